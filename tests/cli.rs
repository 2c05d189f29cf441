//! The command line end to end: exit codes, formats, the documentation commands.

#![allow(clippy::expect_used, reason = "test code")]

use crate::common;

use std::process::{Command, Output};

const FOUNDING: &str = "testdata/scenarios/cloud-pki-aovpn";
const MITIGATED: &str = "testdata/scenarios/cloud-pki-aovpn-mitigated";

fn trustlint(args: &[&str]) -> Output {
    trustlint_with(args, &[])
}

/// trustlint with `vars` set, in an environment cleared of what changes its output.
fn trustlint_with(args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trustlint"));
    c.args(args)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("COLUMNS")
        .env_remove("CI");
    for (k, v) in vars {
        c.env(k, v);
    }
    c.output().expect("run trustlint")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn founding_scenario_exits_1_and_prints_the_founding_finding() {
    let o = trustlint(&["check", FOUNDING, "--now", common::NOW]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "issuing CA 'Contoso Cloud PKI Issuing CA' lacks CDP; NPS will reject with reason 258"
        ),
        "{out}"
    );
    assert!(out.contains("nps/NPS01.reg"), "{out}");
    assert!(
        out.ends_with(
            "trustlint: 1 error, 0 warnings, 0 notes in 6 files\n\
             read: 3 DER, 1 JSON, 2 registry export; skipped: 1 (--list-files says why)\n"
        ),
        "{out}"
    );
}

#[test]
fn list_files_names_each_file_with_its_kind_or_why_it_was_skipped() {
    let o = trustlint(&["check", "--list-files", FOUNDING]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines.contains(&format!("{FOUNDING}/nps/NPS01.reg: registry export").as_str()),
        "{out}"
    );
    assert!(
        lines.contains(
            &format!("{FOUNDING}/README.md: skipped (not a format trustlint reads)").as_str()
        ),
        "{out}"
    );
    assert_eq!(lines.last(), Some(&"6 read, 1 skipped"), "{out}");
}

#[test]
fn a_file_named_on_the_command_line_and_not_read_is_a_note() {
    let readme = format!("{FOUNDING}/README.md");
    let o = trustlint(&["check", "--format", "json", &readme]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{json}");
    assert_eq!(findings[0]["rule"], "file-not-read");
    assert_eq!(
        findings[0]["message"],
        format!(
            "{readme} was named on the command line and not read: not a format trustlint reads"
        )
    );
    assert_eq!(json["summary"]["files_skipped"], 1);
    // Found in a folder, the same file is listed and not judged.
    let o = trustlint(&["check", "--format", "json", FOUNDING, "--now", common::NOW]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != "file-not-read"),
        "{json}"
    );
    assert_eq!(json["summary"]["files_by_kind"]["registry export"], 2);
}

#[test]
fn fail_on_decides_the_exit_code() {
    let code = |args: &[&str]| trustlint(args).status.code();
    assert_eq!(
        code(&["check", MITIGATED, "--now", common::NOW]),
        Some(0),
        "a note is below the default warning"
    );
    assert_eq!(
        code(&[
            "check",
            MITIGATED,
            "--now",
            common::NOW,
            "--fail-on",
            "note"
        ]),
        Some(1)
    );
    assert_eq!(
        code(&[
            "check",
            FOUNDING,
            "--now",
            common::NOW,
            "--fail-on",
            "never"
        ]),
        Some(0)
    );
    assert_eq!(
        code(&[
            "check",
            FOUNDING,
            "--now",
            common::NOW,
            "--fail-on",
            "error"
        ]),
        Some(1)
    );
}

#[test]
fn usage_and_rule_errors_exit_2() {
    let o = trustlint(&["check", FOUNDING, "--now", "yesterday"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--now"), "{}", stderr(&o));
    let o = trustlint(&["check", "no/such/path"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        trustlint(&["check", FOUNDING, "--format", "xml"])
            .status
            .code(),
        Some(2)
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let rule = "id: TL9901\nname: bad\ntitle: Bad\nseverity: warning\nscope: certificate\nwhen: {field: key.bitz, less: 2048}\nmessage: x\nwhy: y\nfix: z\nreferences: [https://example.com]\n";
    std::fs::write(dir.path().join("bad.yaml"), rule).expect("write");
    let o = trustlint(&[
        "check",
        FOUNDING,
        "--rules",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("bad.yaml")
            && err.contains("unknown field 'key.bitz'")
            && err.contains("did you mean 'key.bits'?"),
        "{err}"
    );
}

#[test]
fn json_is_identical_for_one_and_eight_threads() {
    let one = trustlint(&[
        "check",
        "testdata",
        "--now",
        common::NOW,
        "--format",
        "json",
        "-j",
        "1",
    ]);
    let eight = trustlint(&[
        "check",
        "testdata",
        "--now",
        common::NOW,
        "--format",
        "json",
        "-j",
        "8",
    ]);
    assert_eq!(one.status.code(), Some(1));
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, eight.stdout);
}

#[test]
fn timings_go_to_stderr_and_leave_the_report_alone() {
    let args = ["check", FOUNDING, "--now", common::NOW, "--format", "json"];
    let plain = trustlint(&args);
    let timed = trustlint(&[&args[..], &["--timings"]].concat());
    assert_eq!(timed.status.code(), plain.status.code());
    assert_eq!(
        timed.stdout, plain.stdout,
        "--timings must not change the report"
    );
    let err = stderr(&timed);
    let stages: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("trustlint: "))
        .filter_map(|l| l.rsplit_once(" ms").map(|(head, _)| head))
        .filter_map(|head| head.rsplit_once(' ').map(|(name, _)| name.trim()))
        .collect();
    for stage in [
        "rule loading",
        "discover",
        "load",
        "facts: chains",
        "rules",
        "render",
        "total",
    ] {
        assert!(stages.contains(&stage), "no '{stage}' in:\n{err}");
    }
    assert!(stderr(&plain).is_empty(), "{}", stderr(&plain));
}

#[test]
fn rules_explain_and_fields_document_the_catalogue() {
    let o = trustlint(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let list = stdout(&o);
    assert_eq!(list.lines().count(), common::rules().len());
    assert!(list.contains("TL1001  issuing-ca-without-cdp"));

    for query in ["TL1001", "issuing-ca-without-cdp"] {
        let doc = stdout(&trustlint(&["explain", query]));
        // The terminal shows the rule's page, the same text as docs/rules/<name>.md.
        assert_eq!(
            doc,
            std::fs::read_to_string("docs/rules/issuing-ca-without-cdp.md").expect("page")
        );
        assert!(doc.starts_with("# issuing-ca-without-cdp\n\n**TL1001** · Issuing CA certificate has no CRL distribution point"), "{doc}");
        assert!(
            doc.contains("reason code 258")
                && doc.contains("IgnoreNoRevocationCheck")
                && doc.contains("https://learn.microsoft.com/"),
            "{doc}"
        );
    }
    let by_symptom = stdout(&trustlint(&["explain", "reason", "258"]));
    assert!(
        by_symptom.contains("TL1001") && by_symptom.contains("TL1002"),
        "{by_symptom}"
    );
    assert!(!by_symptom.contains("TL4001"), "{by_symptom}");
    let by_client_error = stdout(&trustlint(&["explain", "854"]));
    assert!(
        by_client_error.contains("certificate-expired"),
        "{by_client_error}"
    );
    assert_eq!(
        trustlint(&["explain", "no-such-rule"]).status.code(),
        Some(2)
    );

    let fields = stdout(&trustlint(&["fields"]));
    for f in [
        "crl_distribution_points",
        "bundle.nps.missing_revocation_accepted",
        "eap_tls.ignore_no_revocation_check",
        "parse_error",
    ] {
        assert!(fields.contains(f), "{f} missing from `trustlint fields`");
    }
}

#[test]
fn chain_shows_each_element_with_its_revocation_reachability() {
    let o = trustlint(&[
        "chain",
        "testdata/scenarios/cloud-pki-aovpn/certs/users/alice.contoso.com.cer",
        FOUNDING,
        "--now",
        common::NOW,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].contains("alice@contoso.com") && lines[0].contains("client authentication"));
    assert!(
        lines[1].contains("Contoso Cloud PKI Issuing CA")
            && lines[2].contains("root (trust anchor)")
    );
    assert!(out.contains("NO CDP and NO OCSP"), "{out}");
    assert!(
        out.contains("Microsoft Cloud PKI CA 'Contoso Cloud PKI Issuing CA' (issuingCertificationAuthority), exported in testdata/scenarios/cloud-pki-aovpn/intune/cloudCertificationAuthority-issuing.json"),
        "{out}"
    );
    assert!(out.contains("the chain is complete"), "{out}");
    assert!(
        out.contains("NPS01 (EAP\\13 IgnoreNoRevocationCheck=0)"),
        "{out}"
    );

    // PKITS: the Good CA's CRL is in the bundle and lists revoked serials.
    let good_ca = common::sample("certs/pkits/certs/GoodCACert.crt");
    let mut args = vec!["chain".to_owned(), good_ca.display().to_string()];
    args.extend(common::pkits().iter().map(|p| p.display().to_string()));
    args.extend(["--now".to_owned(), "2020-01-01T00:00:00Z".to_owned()]);
    let o = trustlint(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let out = stdout(&o);
    assert!(
        out.contains(
            "CRL in the bundle for what it issued: ../shared/samples/certs/pkits/crls/TrustAnchorRootCRL.crl"
        ),
        "{out}"
    );
    assert!(out.contains("NPS: no NPS registry snapshot"), "{out}");

    let o = trustlint(&["chain", "README.md", FOUNDING]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn chain_lists_the_paths_it_rejected_and_why() {
    let dir = "testdata/scenarios/bridge-mesh-pinned";
    let o = trustlint(&[
        "chain",
        "testdata/scenarios/bridge-mesh-pinned/certs/northwind/alice.cer",
        dir,
        "--now",
        common::NOW,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let elements: Vec<&str> = out.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(elements.len(), 5, "{out}");
    assert!(
        elements[4].contains("Fabrikam Root CA") && elements[4].contains("root"),
        "{out}"
    );
    // The direct path to Northwind's root loses only because a profile pins Fabrikam's; the one
    // through the expired 2018 cross-certificate loses on time validity.
    assert!(
        out.contains(
            "via 'Northwind Issuing CA' -> 'Northwind Root CA': ends at a root no profile pins"
        ),
        "{out}"
    );
    assert!(
        out.contains("'Contoso Bridge CA' -> 'Fabrikam Root CA': holds a certificate that is not valid at --now"),
        "{out}"
    );
}

#[test]
fn a_scan_that_finds_nothing_to_read_says_so_on_stderr() {
    let o = trustlint(&["check", "docs"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains(
            "no certificate, CRL, key, registry export, VPN profile or Intune export found"
        ),
        "{}",
        stderr(&o)
    );
    let o = trustlint(&["check", MITIGATED, "--now", common::NOW]);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn several_outputs_in_one_run_beside_the_terminal_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    let (sarif, junit, json) = (file("t.sarif"), file("t.xml"), file("t.json"));
    let o = trustlint(&[
        "check",
        FOUNDING,
        "--now",
        common::NOW,
        "--format",
        "github",
        "--output",
        &format!("sarif={sarif}"),
        "--output",
        &format!("junit={junit}"),
        "--output",
        &format!("json={json}"),
    ]);
    // The exit code does not depend on the formats.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("::error file=testdata/scenarios/cloud-pki-aovpn/"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif")).expect("json");
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "TL1001");
    assert!(
        std::fs::read_to_string(&junit)
            .expect("junit")
            .contains("failures=\"1\"")
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json file")).expect("json");
    assert_eq!(json["findings"][0]["rule"], "issuing-ca-without-cdp");
    // Nothing but the three outputs: no temporary file is left behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["t.json", "t.sarif", "t.xml"]);
}

#[test]
fn an_unwritable_output_is_exit_2_and_nothing_is_written_half_way() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.sarif");
    let bad = dir.path().join("missing-dir/x.xml");
    let o = trustlint(&[
        "check",
        FOUNDING,
        "--output",
        &format!("sarif={}", good.display()),
        "--output",
        &format!("junit={}", bad.display()),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write --output"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty(), "no report when an output failed");
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("read_dir").count(),
        0,
        "the good output is not written either"
    );
    let o = trustlint(&["check", FOUNDING, "--output", "yaml=x.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown format"), "{}", stderr(&o));
}

#[test]
fn explain_finds_the_rules_behind_the_nps_and_rras_codes() {
    // (query, a rule it must list): NPS reason codes, VPN client errors, HRESULTs as Windows
    // writes them (hex, and the negative decimal RasClient event 20227 logs).
    for (query, rule) in [
        ("reason 22", "nps-policy-server-cert-not-found"),
        ("66", "nps-eap-type-not-allowed"),
        ("858", "nps-policy-server-cert-expired"),
        ("812", "nps-eap-type-not-allowed"),
        ("853", "eap-server-name-mismatch"),
        ("13801", "server-auth-eku-missing"),
        ("0x80092013", "sstp-server-cert-crl-not-public"),
        ("-2146885613", "sstp-server-cert-crl-not-public"),
        ("0x800B0101", "sstp-server-cert-expired"),
        ("-2146762495", "sstp-server-cert-expired"),
        ("reason 286", "eap-trusted-root-not-on-nps"),
    ] {
        let args: Vec<&str> = std::iter::once("explain").chain(query.split(' ')).collect();
        let o = trustlint(&args);
        let text = stdout(&o);
        assert!(text.contains(rule), "explain {query}:\n{text}");
    }
}

#[test]
fn symptom_shows_only_the_findings_that_explain_it() {
    let all = trustlint(&[
        "check",
        "testdata/scenarios",
        "--now",
        common::NOW,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&all.stdout).expect("json");
    let every: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule"))
        .collect();
    assert!(every.contains(&"crl-expired") && every.contains(&"vpn-trusted-root-not-found"));
    let o = trustlint(&[
        "check",
        "testdata/scenarios",
        "--now",
        common::NOW,
        "--format",
        "json",
        "--symptom",
        "853",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let mut rules: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule"))
        .collect();
    rules.sort_unstable();
    rules.dedup();
    // Scanned as one bundle, the scenarios join each profile with every scenario's NPS export
    // (the bridge-mesh profile names no server those exports present) and count every
    // scenario's client certificates and profiles together (a profile without a filter then
    // sees several CAs; an issuing CA is deployed in one scenario and not in another).
    assert_eq!(
        rules,
        [
            "byoca-ldap-cdp-aia",
            "crl-expires-soon",
            "delta-crl-url-plus-sign",
            "eap-client-cert-filter-missing",
            "eap-server-name-mismatch",
            "intermediate-not-distributed",
            "issuing-ca-without-cdp",
            "scep-profile-without-sid-uri",
            "strong-mapping-missing",
            "strong-mapping-sid-uri-needs-2019-kdc",
            "user-cert-without-upn-san",
        ]
    );
    // NPS reason 258 is the revocation family only.
    let o = trustlint(&[
        "check",
        FOUNDING,
        "--now",
        common::NOW,
        "--format",
        "json",
        "--symptom",
        "reason 258",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["findings"][0]["rule"], "issuing-ca-without-cdp");
    // An unknown symptom is a usage error, before any scan.
    let o = trustlint(&["check", FOUNDING, "--symptom", "9999"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no rule produces it"), "{}", stderr(&o));
}

#[test]
fn an_unparseable_file_is_exit_1_not_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.cer"), b"").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .args(["check", "--now", common::NOW])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("empty file"));
}

#[test]
fn more_files_than_max_files_is_a_clear_error_before_anything_is_read() {
    let o = trustlint(&["check", FOUNDING, "--max-files", "3"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("more than 3 files under the given paths"),
        "{err}"
    );
}

#[test]
fn a_closed_stdout_ends_the_output_and_keeps_the_scans_exit_status_in_every_format() {
    for format in ["human", "json", "sarif", "junit", "github"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trustlint"))
            .args(["check", "--format", format, FOUNDING, "--now", common::NOW])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run trustlint");
        // The reader goes away before the first byte is written (`| head -c0`).
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn outputs_are_checked_before_the_scan_and_never_replace_what_they_point_through() {
    let dir = tempfile::tempdir().expect("tempdir");
    let twice = dir.path().join("twice.sarif");
    let again = dir.path().join(".").join("twice.sarif");
    let o = trustlint(&[
        "check",
        FOUNDING,
        "--output",
        &format!("sarif={}", twice.display()),
        "--output",
        &format!("json={}", again.display()),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("named by another --output too"),
        "{}",
        stderr(&o)
    );
    assert!(!twice.exists(), "nothing written");
    let o = trustlint(&[
        "check",
        FOUNDING,
        "--output",
        &format!("sarif={}", dir.path().display()),
    ]);
    assert_eq!(o.status.code(), Some(2), "a directory is refused");

    #[cfg(unix)]
    {
        let real = dir.path().join("real.sarif");
        let link = dir.path().join("link.sarif");
        std::fs::write(&real, "old").expect("write");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        let o = trustlint(&[
            "check",
            FOUNDING,
            "--now",
            common::NOW,
            "--output",
            &format!("sarif={}", link.display()),
        ]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink(),
            "the link is written through, not replaced"
        );
        let written = std::fs::read_to_string(&real).expect("read");
        assert!(written.contains("\"version\": \"2.1.0\""), "{written}");
        // A device is written to, never renamed over.
        let o = trustlint(&["check", FOUNDING, "--output", "json=/dev/null"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::metadata("/dev/null")
                .expect("/dev/null")
                .file_type()
                .is_char_device()
        );
    }
}

#[test]
fn config_and_baseline_that_are_not_regular_files_are_refused_and_threads_are_clamped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_str().expect("utf-8");
    for flag in ["--config", "--baseline"] {
        let o = trustlint(&["check", FOUNDING, flag, d]);
        assert_eq!(o.status.code(), Some(2), "{flag}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("not a regular file"),
            "{flag}: {}",
            stderr(&o)
        );
    }
    let o = trustlint(&["check", FOUNDING, "--now", common::NOW, "-j", "100000"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("using 256"), "{}", stderr(&o));
}

/// Issue 16's corrections of what the sources contradict: reason codes as Microsoft words them,
/// and the end of KB5014754's compatibility mode.
#[test]
fn explain_says_what_the_reason_codes_mean_as_the_sources_do() {
    let text = |args: &[&str]| stdout(&trustlint(args));
    let r262 = text(&["explain", "reason", "262"]);
    assert!(
        r262.contains("Message-Authenticator") && r262.contains("not a credential problem"),
        "{r262}"
    );
    let r265 = text(&["explain", "reason", "265"]);
    assert!(
        r265.contains("does not mention NTAuth") && r265.contains("inference"),
        "{r265}"
    );
    let r16 = text(&["explain", "reason", "16"]);
    assert!(
        r16.contains("TPM") && r16.contains("Entra") && r16.contains("strong-mapping-missing"),
        "{r16}"
    );
    // KB5014754's corrected changelog: compatibility mode ended on 9 September 2025, not the 10th.
    let tl8001 = text(&["explain", "strong-mapping-missing"]);
    assert!(tl8001.contains("9 September 2025"), "{tl8001}");
    let between = trustlint(&[
        "check",
        "testdata/rules/strong-mapping-missing/fail",
        "--now",
        "2025-06-01T00:00:00Z",
        "--format",
        "json",
    ]);
    let out = String::from_utf8_lossy(&between.stdout);
    assert!(
        out.contains("postpones that only until 2025-09-09T00:00:00Z"),
        "{out}"
    );
    for entry in std::fs::read_dir("rules").unwrap().flat_map(|d| {
        std::fs::read_dir(d.unwrap().path())
            .into_iter()
            .flatten()
            .map(|e| e.unwrap().path())
    }) {
        let yaml = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(
            !yaml.contains("2025-09-10") && !yaml.contains("10 September 2025"),
            "{entry:?}"
        );
    }
}

/// The (severity, message) of each finding of `rule` on its `fail/` fixture, scanned with
/// `config` as the fixture's trustlint.yaml (none when `None`).
fn rule_findings_with_config(rule: &str, config: Option<&str>) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(format!("testdata/rules/{rule}/fail"), dir.path());
    if let Some(c) = config {
        std::fs::write(dir.path().join("trustlint.yaml"), c).expect("write the config");
    }
    let o = trustlint(&[
        "check",
        dir.path().to_str().expect("a UTF-8 path"),
        "--now",
        common::NOW,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v.get("findings")
        .and_then(serde_json::Value::as_array)
        .expect("findings")
        .iter()
        .filter(|f| f.get("rule").and_then(serde_json::Value::as_str) == Some(rule))
        .map(|f| {
            let text = |k: &str| {
                f.get(k)
                    .and_then(serde_json::Value::as_str)
                    .expect(k)
                    .to_owned()
            };
            (text("severity"), text("message"))
        })
        .collect()
}

/// TL6005's claim as the sources have it (issue 16): case-sensitive ServerNames were Windows 11
/// 21H2's alone, so the finding is a note unless `client-builds` lists build 22000.
#[test]
fn the_server_name_case_finding_depends_on_the_configured_client_builds() {
    let severity_with = |config: Option<&str>| {
        let found = rule_findings_with_config("vpn-server-name-case-mismatch", config);
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().unwrap()
    };
    let (sev, msg) = severity_with(None);
    assert_eq!(sev, "note");
    assert!(
        msg.contains("21H2 (build 22000)") && msg.contains("client-builds"),
        "{msg}"
    );
    let (sev, msg) = severity_with(Some("client-builds: [22000, 22621]\n"));
    assert_eq!(sev, "error");
    assert!(msg.contains("the fleet runs Windows 11 21H2"), "{msg}");
    let (sev, msg) = severity_with(Some("client-builds: [22621, 26100]\n"));
    assert_eq!(sev, "note");
    assert!(
        msg.contains("none of the configured client builds"),
        "{msg}"
    );
}

/// TL8006 (issue 16): the SID URI alone is a note while the domain controllers are unknown, an
/// error when `domain-controllers` lists a version before 2019, and no finding when every
/// listed one is 2019 or later.
#[test]
fn the_sid_uri_finding_depends_on_the_configured_domain_controllers() {
    let findings_with = |config: Option<&str>| {
        rule_findings_with_config("strong-mapping-sid-uri-needs-2019-kdc", config)
    };
    let unknown = findings_with(None);
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert_eq!(unknown[0].0, "note");
    assert!(unknown[0].1.contains("2019 or later"), "{}", unknown[0].1);
    let old = findings_with(Some("domain-controllers: [2016, 2022]\n"));
    assert_eq!(old.len(), 1, "{old:?}");
    assert_eq!(old[0].0, "error");
    assert!(old[0].1.contains("2016, 2022"), "{}", old[0].1);
    assert!(findings_with(Some("domain-controllers: [2019, 2025]\n")).is_empty());
}

/// `explain` finds each rule issue 16 added by the symptom an admin sees: a code where Windows
/// logs one, the words of the symptom where it does not.
#[test]
fn explain_finds_each_issue_16_rule_by_its_symptom() {
    for (query, rule) in [
        ("reason 258", "crl-expires-soon"),
        ("259", "crl-too-large"),
        ("853", "delta-crl-url-plus-sign"),
        ("291", "ocsp-with-broken-crl-fallback"),
        ("286", "aia-ldap-only"),
        (
            "after the upgrade to Windows 11",
            "eap-profile-without-trusted-root",
        ),
        (
            "not conditioned on compliance",
            "conditional-access-profile-without-eku-filter",
        ),
        ("any RADIUS server", "eap-server-name-check-off"),
        ("profile is rejected", "eap-xml-wrong-namespace"),
        (
            "prompted to choose a certificate",
            "eap-client-cert-filter-missing",
        ),
        ("Credential Guard", "vpn-mschapv2-with-credential-guard"),
        ("reason 16", "user-cert-without-upn-san"),
        ("reason 16", "device-cert-without-dns-san"),
        ("reason 16", "device-cert-for-entra-joined-devices"),
        ("event 39", "strong-mapping-sid-uri-needs-2019-kdc"),
        (
            "chain to the wrong root",
            "scep-profile-mixes-ndes-and-cloud-pki",
        ),
        (
            "no certificate is issued",
            "scep-any-purpose-with-cloud-pki",
        ),
        ("no certificate is issued", "scep-eku-not-in-cloud-ca"),
        (
            "no certificate is issued",
            "scep-root-not-anchor-of-issuing-ca",
        ),
        ("798", "intermediate-not-distributed"),
        ("reason 258", "byoca-ldap-cdp-aia"),
    ] {
        let args: Vec<&str> = std::iter::once("explain").chain(query.split(' ')).collect();
        let o = trustlint(&args);
        let text = stdout(&o);
        assert!(
            text.contains(rule),
            "explain {query}:\n{text}{}",
            stderr(&o)
        );
    }
    // Words that no symptom holds are an error, as before.
    let o = trustlint(&["explain", "kangaroo", "uplink"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
}

/// `--color`, FORCE_COLOR and NO_COLOR as ruff and cargo users expect: the flag first, then
/// FORCE_COLOR, then NO_COLOR, each variable only when set non-empty; no colour into a pipe.
#[test]
fn color_follows_the_flag_then_force_color_then_no_color() {
    let colored = |args: &[&str], vars: &[(&str, &str)]| {
        let mut all = vec!["check", FOUNDING, "--now", common::NOW];
        all.extend_from_slice(args);
        stdout(&trustlint_with(&all, vars)).contains('\u{1b}')
    };
    assert!(!colored(&[], &[]), "a pipe is not a terminal");
    assert!(colored(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!colored(&["--color", "never"], &[("FORCE_COLOR", "1")]));
    assert!(colored(&[], &[("FORCE_COLOR", "1")]));
    assert!(!colored(&[], &[("FORCE_COLOR", "")]));
    assert!(!colored(&["--color", "auto"], &[("NO_COLOR", "1")]));
}

/// `--quiet` prints the findings and nothing else; COLUMNS sets the width the human report
/// wraps to when stdout is not a terminal.
#[test]
fn quiet_drops_the_summary_and_columns_sets_the_width() {
    let loud = stdout(&trustlint(&["check", FOUNDING, "--now", common::NOW]));
    assert!(loud.contains("trustlint: 1 error"), "{loud}");
    let o = trustlint(&["check", FOUNDING, "--now", common::NOW, "--quiet"]);
    assert_eq!(o.status.code(), Some(1));
    let quiet = stdout(&o);
    assert!(quiet.contains("lacks CDP"), "{quiet}");
    assert!(
        !quiet.contains("trustlint: 1 error") && !quiet.contains("read: "),
        "{quiet}"
    );
    // The message wraps at the width (snippets and paths do not wrap).
    let narrow = stdout(&trustlint_with(
        &["check", FOUNDING, "--now", common::NOW],
        &[("COLUMNS", "60")],
    ));
    let first = |text: &str| {
        text.lines()
            .find(|l| l.contains('×'))
            .unwrap_or("")
            .to_owned()
    };
    assert!(first(&narrow).ends_with("lacks CDP;"), "{narrow}");
    assert!(first(&loud).contains("NPS will reject"), "{loud}");
}

/// `--no-config` ignores the trustlint.yaml that would be found, and cannot be combined with
/// `--config`; discovery stops at the repository root (a directory holding `.git`).
#[test]
fn no_config_and_discovery_stop_at_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    common::copy_tree(FOUNDING, repo.join("bundle"));
    std::fs::write(
        dir.path().join("trustlint.yaml"),
        "disable: [issuing-ca-without-cdp]\n",
    )
    .unwrap();
    let rules = |args: &[&str]| {
        let bundle = repo.join("bundle");
        let mut all = vec!["check", bundle.to_str().unwrap(), "--now", common::NOW];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        let o = trustlint(&all);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        v["findings"].as_array().unwrap().len()
    };
    // No repository yet: the file above is found and disables the rule.
    assert_eq!(rules(&[]), 0);
    assert_eq!(rules(&["--no-config"]), 1);
    // The bundle is in a repository: the file above its root is not its configuration.
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    assert_eq!(rules(&[]), 1);
    let o = trustlint(&[
        "check",
        FOUNDING,
        "--no-config",
        "--config",
        "trustlint.yaml",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
