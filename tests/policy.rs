//! Repository policy end to end: trustlint.yaml (found upward, or --config), `trustlint init`,
//! baselines and inline ignores. Each test would fail if the mechanism broke.

#![allow(clippy::expect_used, reason = "test code")]

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

const FOUNDING: &str = "testdata/scenarios/cloud-pki-aovpn";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run trustlint")
}

fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

fn rules_of(v: &serde_json::Value) -> Vec<String> {
    let mut r: Vec<String> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_owned())
        .collect();
    r.sort();
    r
}

/// stderr with miette's wrapping undone (it wraps at 80 columns when not on a terminal).
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

fn finding<'v>(v: &'v serde_json::Value, rule: &str) -> &'v serde_json::Value {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == rule)
        .expect("finding of the rule")
}

/// A copy of the deployment scenarios with a trustlint.yaml at the top.
fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree("testdata/scenarios", dir.path());
    std::fs::write(dir.path().join("trustlint.yaml"), config).expect("write config");
    dir
}

const CHECK: [&str; 5] = ["check", "--now", common::NOW, "--format", "json"];

#[test]
fn config_disables_by_id_name_and_tag_and_is_found_upward() {
    let dir = repo("disable: [TL1004, certificate-revoked, \"tag:mapping\"]\n");
    // Scanning subfolders still finds the file above them.
    let o = run(
        dir.path(),
        &[
            &CHECK[..],
            &[
                "stale-crl",
                "revoked-leaf",
                "user-cert-without-strong-mapping",
                "scep-issues-server-auth",
            ],
        ]
        .concat(),
    );
    let rules = rules_of(&json_of(&o));
    assert_eq!(
        rules,
        [
            "client-auth-eku-missing",
            "scep-profile-without-client-auth"
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn config_sets_severity_params_fail_on_and_excludes_paths() {
    // Without a config: crl-expired is an error and exits 1.
    let dir = repo("");
    let o = run(dir.path(), &[&CHECK[..], &["stale-crl"]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(finding(&json_of(&o), "crl-expired")["severity"], "error");

    let dir = repo(
        "severity: { crl-expired: note }\nfail-on: warning\nexclude: [\"revoked-leaf/pki/*.crl\"]\nparams: { certificate-expires-soon: { days: 3650 } }\n",
    );
    let o = run(dir.path(), &[&CHECK[..], &["stale-crl"]].concat());
    let v = json_of(&o);
    assert_eq!(finding(&v, "crl-expired")["severity"], "note");
    // The config's fail-on (warning): the note does not fail, the expires-soon warning does.
    assert_eq!(
        finding(&v, "certificate-expires-soon")["severity"],
        "warning"
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // The CRL that revokes alice is excluded, so she is not revoked; the expires-soon window is
    // now ten years, so her certificate (to 2031) is reported.
    let o = run(dir.path(), &[&CHECK[..], &["revoked-leaf"]].concat());
    let rules = rules_of(&json_of(&o));
    assert!(
        !rules.contains(&"certificate-revoked".to_owned()),
        "{rules:?}"
    );
    assert!(
        rules.contains(&"certificate-expires-soon".to_owned()),
        "{rules:?}"
    );
}

#[test]
fn config_path_ignores_are_reported_as_suppressed_with_their_reason() {
    let dir = repo(
        "ignore:\n  - paths: [\"stale-crl/**\"]\n    rules: [crl-expired]\n    reason: CA decommissioned in December\n",
    );
    let o = run(dir.path(), &[&CHECK[..], &["stale-crl"]].concat());
    let v = json_of(&o);
    // Only the SCEP profile's note on the domain controllers is left.
    assert_eq!(rules_of(&v), ["strong-mapping-sid-uri-needs-2019-kdc"]);
    assert_eq!(v["summary"]["suppressed"], 1);
    assert_eq!(v["suppressed"][0]["rule"], "crl-expired");
    assert_eq!(v["suppressed"][0]["suppression"]["kind"], "config");
    assert_eq!(
        v["suppressed"][0]["suppression"]["reason"],
        "CA decommissioned in December"
    );
    assert_eq!(o.status.code(), Some(0));
    // Human output names it too.
    let o = run(dir.path(), &["check", "--now", common::NOW, "stale-crl"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("suppressed (config): TL1004 crl-expired at stale-crl/pki/Contoso Issuing CA.crl: CA decommissioned in December"), "{out}");
    assert!(out.contains("(1 suppressed: config 1)"), "{out}");
}

#[test]
fn config_errors_name_the_file_line_and_a_suggestion() {
    for (config, line, text, help) in [
        (
            "disable: []\nfail_on: error\n",
            2,
            "unknown field 'fail_on'",
            "did you mean 'fail-on'?",
        ),
        (
            "disable:\n  - crl-expried\n",
            2,
            "no rule is called 'crl-expried'",
            "did you mean 'crl-expired'?",
        ),
        (
            "params:\n  certificate-expires-soon:\n    dayz: 3\n",
            3,
            "has no parameter 'dayz' (it has: days)",
            "did you mean 'days'?",
        ),
        (
            "severity:\n  crl-expired: critical\n",
            2,
            "must be error, warning or note",
            "",
        ),
        ("exclude: [\"a/[\"]\n", 1, "bad glob", ""),
        (
            "disable: [\"tag:intnue\"]\n",
            1,
            "no rule has the tag 'intnue'",
            "did you mean 'tag:intune'?",
        ),
    ] {
        let dir = repo(config);
        let o = run(dir.path(), &["check", "stale-crl"]);
        assert_eq!(o.status.code(), Some(2), "{config}");
        let err = stderr(&o);
        assert!(
            err.contains(&format!("trustlint.yaml:{line}: ")),
            "{config}: {err}"
        );
        assert!(err.contains(text), "{config}: {err}");
        assert!(err.contains(help), "{config}: {err}");
    }
    // --config names a file anywhere.
    let dir = repo("");
    std::fs::write(dir.path().join("strict.yaml"), "fail-on: never\n").expect("write");
    let o = run(
        dir.path(),
        &[
            "check",
            "--config",
            "strict.yaml",
            "--now",
            common::NOW,
            "stale-crl",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn config_mistakes_are_reported_where_they_are_written_with_hints_from_their_own_map() {
    // Line 10 misspells a rule that a comment on line 1 also names: the parser's position is
    // used, not the first line that holds the text.
    let config = "\
# keep crl-expried out of this file: it is a typo of crl-expired
fail-on: warning
severity:
  certificate-expires-soon: warning
params:
  certificate-expires-soon:
    days: 30
ignore:
  - paths: [\"lab/**\"]
    rules: [crl-expried]
";
    let dir = repo(config);
    let o = run(dir.path(), &["check", "stale-crl"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("trustlint.yaml:10: "), "{err}");
    assert!(err.contains("no rule is called 'crl-expried'"), "{err}");
    assert!(err.contains("did you mean 'crl-expired'?"), "{err}");

    // A bad key inside an `ignore` entry: the hint comes from that entry's keys.
    let dir = repo(&config.replace("    rules: [crl-expried]", "    rulez: [crl-expired]"));
    let err = stderr(&run(dir.path(), &["check", "stale-crl"]));
    assert!(err.contains("trustlint.yaml:10: "), "{err}");
    assert!(err.contains("did you mean 'rules'?"), "{err}");
    assert!(!err.contains("rule-dirs"), "{err}");
}

#[test]
fn init_writes_a_starter_config_that_loads_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(FOUNDING, dir.path());
    let o = run(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.path().join("trustlint.yaml")).expect("written");
    assert!(text.starts_with("# trustlint.yaml"));
    // The starter changes nothing: same findings as without it.
    let o = run(dir.path(), &CHECK);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(rules_of(&json_of(&o)), ["issuing-ca-without-cdp"]);
    let o = run(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("never overwrites"));
}

#[test]
fn baseline_suppresses_known_findings_across_file_moves_and_refuses_other_versions() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(FOUNDING, dir.path().join("repo"));
    let repo = dir.path().join("repo");
    let base = dir.path().join("baseline.json");
    let base_arg = base.to_string_lossy().into_owned();
    let o = run(
        &repo,
        &["check", "--now", common::NOW, "--write-baseline", &base_arg],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("baseline of 1 finding(s) written"));

    // The CA certificate moves; the finding is the same one and stays suppressed.
    std::fs::rename(
        repo.join("certs/cloud-pki/Contoso Cloud PKI Issuing CA.cer"),
        repo.join("issuing.cer"),
    )
    .expect("move");
    let o = run(&repo, &[&CHECK[..], &["--baseline", &base_arg]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json_of(&o);
    assert!(v["findings"].as_array().expect("findings").is_empty());
    assert_eq!(v["suppressed"][0]["suppression"]["kind"], "baseline");
    assert_eq!(v["suppressed"][0]["path"], "issuing.cer");

    // A new problem is reported.
    std::fs::copy(
        "testdata/scenarios/stale-crl/pki/Contoso Issuing CA.crl",
        repo.join("stale.crl"),
    )
    .expect("copy");
    std::fs::copy(
        "testdata/scenarios/stale-crl/pki/Contoso Issuing CA.cer",
        repo.join("onprem-issuing.cer"),
    )
    .expect("copy");
    let o = run(&repo, &[&CHECK[..], &["--baseline", &base_arg]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(rules_of(&json_of(&o)), ["crl-expired"]);

    // In SARIF the baselined result is kept, marked unchanged and suppressed.
    let o = run(
        &repo,
        &[
            "check",
            "--now",
            common::NOW,
            "--format",
            "sarif",
            "--baseline",
            &base_arg,
        ],
    );
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let kept = results
        .iter()
        .find(|r| r["ruleId"] == "TL1001")
        .expect("kept");
    assert_eq!(kept["baselineState"], "unchanged");
    assert_eq!(kept["suppressions"][0]["kind"], "external");
    let new = results
        .iter()
        .find(|r| r["ruleId"] == "TL1004")
        .expect("new");
    assert_eq!(new["baselineState"], "new");

    // Another version, or not a baseline at all: exit 2 before any scan.
    std::fs::write(
        &base,
        "{\"version\": 2, \"tool\": \"trustlint\", \"findings\": []}",
    )
    .expect("write");
    let o = run(&repo, &["check", "--baseline", &base_arg]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("it is version 2"), "{}", stderr(&o));
    std::fs::write(&base, "not json").expect("write");
    assert_eq!(
        run(&repo, &["check", "--baseline", &base_arg])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn inline_ignores_in_reg_and_xml_comments_are_suppressed_with_their_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A .reg file (UTF-8, as some tools write it) with an ignore on the line above the value.
    std::fs::write(
        dir.path().join("NPS01.reg"),
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\13]\r\n; trustlint: ignore[nps-revocation-offline-ignored] CDP host is single-homed; tracked in PKI-42\r\n\"IgnoreRevocationOffline\"=dword:00000001\r\n\"NoRevocationCheck\"=dword:00000001\r\n",
    )
    .expect("write reg");
    // The wrong-root ProfileXML with an XML comment before the pinned root.
    let xml =
        std::fs::read_to_string("testdata/scenarios/vpn-pins-wrong-root/vpn/ProfileXML_User.xml")
            .expect("xml");
    let at = xml.find("<TrustedRootCA>").expect("pinned root");
    let line_start = xml[..at].rfind('\n').map_or(0, |i| i + 1);
    let patched = format!(
        "{}<!-- trustlint: ignore[vpn-trusted-root-not-found] root deployed by GPO -->\n{}",
        &xml[..line_start],
        &xml[line_start..]
    );
    std::fs::write(dir.path().join("profile.xml"), patched).expect("write xml");
    let o = run(dir.path(), &CHECK);
    let v = json_of(&o);
    // NoRevocationCheck has no ignore, nor the profile's issuer filter: still reported.
    assert_eq!(
        rules_of(&v),
        ["nps-revocation-check-disabled", "vpn-issuer-hash-not-found"],
        "{}",
        stderr(&o)
    );
    let suppressed: Vec<(String, String)> = v["suppressed"]
        .as_array()
        .expect("suppressed")
        .iter()
        .map(|s| {
            (
                s["rule"].as_str().expect("rule").to_owned(),
                s["suppression"]["reason"]
                    .as_str()
                    .expect("reason")
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(
        suppressed,
        [
            (
                "nps-revocation-offline-ignored".to_owned(),
                "CDP host is single-homed; tracked in PKI-42".to_owned()
            ),
            (
                "vpn-trusted-root-not-found".to_owned(),
                "root deployed by GPO".to_owned()
            ),
        ]
    );
    assert!(
        v["suppressed"]
            .as_array()
            .expect("s")
            .iter()
            .all(|s| s["suppression"]["kind"] == "inline")
    );
}

/// prod holds the Cloud PKI CA and no NPS snapshot; lab holds NPS snapshots that set
/// IgnoreNoRevocationCheck=1. Joined as one bundle, lab's servers mitigate prod's CA (a note);
/// with `bundles:` each deployment is joined on its own and prod's finding stays an error. A
/// root listed in both bundles is read in each, and what both report of it is reported once.
#[test]
fn bundles_keep_lab_snapshots_from_mitigating_prod_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    common::copy_tree(format!("{FOUNDING}/certs"), root.join("prod/certs"));
    common::copy_tree(format!("{FOUNDING}/intune"), root.join("prod/intune"));
    common::copy_tree(
        "testdata/scenarios/cloud-pki-aovpn-mitigated/nps",
        root.join("lab/nps"),
    );
    // A broken file both deployments share: its finding is the same in each.
    std::fs::create_dir(root.join("shared")).expect("shared");
    std::fs::write(
        root.join("shared/broken.cer"),
        b"-----BEGIN CERTIFICATE-----\nnot base64\n",
    )
    .expect("broken file");
    std::fs::create_dir(root.join(".git")).expect("repository root");
    let cdp = |v: &serde_json::Value| {
        let f = finding(v, "issuing-ca-without-cdp");
        (
            f["severity"].as_str().expect("severity").to_owned(),
            f["related"].as_array().expect("related").len(),
        )
    };
    let together = json_of(&run(root, &[&CHECK[..], &["."]].concat()));
    assert_eq!(cdp(&together).0, "note", "{together}");

    std::fs::write(
        root.join("trustlint.yaml"),
        "bundles:\n  prod: [\"prod/**\", \"shared/**\"]\n  lab: [\"lab/**\", \"shared/**\", \"prod/certs/cloud-pki/*Root*\"]\n",
    )
    .expect("config");
    let apart = json_of(&run(root, &[&CHECK[..], &["."]].concat()));
    assert_eq!(cdp(&apart).0, "error", "{apart}");
    // The lab snapshots are not among its related places.
    let related = finding(&apart, "issuing-ca-without-cdp")["related"].to_string();
    assert!(!related.contains("lab/"), "{related}");
    // Every file is listed once, the shared root included, and counted once.
    let listed = run(root, &["check", ".", "--list-files"]);
    let lines: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    let roots = lines.iter().filter(|l| l.contains("Root CA.cer")).count();
    assert_eq!(roots, 1, "{lines:?}");
    assert_eq!(apart["summary"]["files"], together["summary"]["files"]);
    // No finding twice: the shared file's is reported once.
    let broken = apart["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["path"] == "shared/broken.cer")
        .count();
    assert_eq!(broken, 1, "{apart}");
    let keys: Vec<String> = apart["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{} {} {}", f["rule"], f["fingerprint"], f["message"]))
        .collect();
    let distinct: std::collections::BTreeSet<&String> = keys.iter().collect();
    assert_eq!(keys.len(), distinct.len(), "{keys:?}");
    // A bundle name that is not a map of globs is refused where it is written.
    std::fs::write(root.join("trustlint.yaml"), "bundles:\n  prod: 3\n").expect("config");
    let o = run(root, &[&CHECK[..], &["."]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
