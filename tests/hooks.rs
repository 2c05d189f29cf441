//! How trustlint reaches its users: the pre-commit hooks (the manifest parses, its entry runs,
//! --changed-only reports the joins a changed file takes part in; the mirror installs the same
//! hook from the wheel), the GitHub Action, the release workflow. Also shell completions and a
//! quiet stderr off the terminal.

#![allow(clippy::expect_used, clippy::indexing_slicing, reason = "test code")]

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

const FOUNDING: &str = "testdata/scenarios/cloud-pki-aovpn";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .args(args)
        .current_dir(dir)
        .env_remove("CI")
        .output()
        .expect("run trustlint")
}

#[derive(serde::Deserialize, Debug, Clone, PartialEq)]
struct Hook {
    id: String,
    name: String,
    description: String,
    entry: String,
    language: String,
    files: String,
    pass_filenames: bool,
    require_serial: bool,
}

fn hook() -> Hook {
    hook_of(".pre-commit-hooks.yaml")
}

fn hook_of(manifest: &str) -> Hook {
    let text = std::fs::read_to_string(manifest).expect("manifest");
    let mut hooks: Vec<Hook> = serde_yaml::from_str(&text).expect("valid pre-commit manifest");
    assert_eq!(hooks.len(), 1);
    hooks.remove(0)
}

/// The value of `key = "…"` in a TOML file, at its first occurrence.
fn toml_string(file: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).expect("toml file");
    let prefix = format!("{key} = ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map(|v| v.trim().to_owned())
}

/// The mirror (packaging/pre-commit-mirror) is the same hook installed from the wheel: only the
/// language differs, and it pins the wheel of this very version; the wheel is the binary alone.
#[test]
fn the_mirror_hook_is_the_same_hook_installed_from_this_versions_wheel() {
    let mirror = hook_of("packaging/pre-commit-mirror/.pre-commit-hooks.yaml");
    assert_eq!(mirror.language, "python");
    assert_eq!(
        Hook {
            language: "rust".to_owned(),
            ..mirror
        },
        hook()
    );
    let version = toml_string("Cargo.toml", "version").expect("the crate's version");
    let pyproject = "packaging/pre-commit-mirror/pyproject.toml";
    assert_eq!(toml_string(pyproject, "version"), Some(version.clone()));
    let pin = format!("[\"trustlint=={}\"]", version.trim_matches('"'));
    assert_eq!(toml_string(pyproject, "dependencies"), Some(pin));
    assert_eq!(
        toml_string("pyproject.toml", "bindings").as_deref(),
        Some("\"bin\"")
    );
    assert_eq!(
        toml_string("pyproject.toml", "dynamic").as_deref(),
        Some("[\"version\"]")
    );
}

/// Runs the hook's entry the way pre-commit does: the entry's words, then the changed files.
fn run_hook(repo: &Path, changed: &[&str]) -> Output {
    let h = hook();
    let mut words = h.entry.split_whitespace();
    assert_eq!(words.next(), Some("trustlint"));
    let mut args: Vec<&str> = words.collect();
    args.extend(["--now", common::NOW]);
    args.extend(changed);
    run(repo, &args)
}

fn git_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(FOUNDING, dir.path());
    std::fs::create_dir(dir.path().join(".git")).expect("mark the repository root");
    dir
}

#[test]
fn the_manifest_describes_a_rust_hook_that_passes_changed_files() {
    let h = hook();
    assert_eq!(h.id, "trustlint");
    assert_eq!(h.language, "rust");
    assert!(h.pass_filenames);
    assert!(h.entry.contains("--changed-only"));
    let files = regex::Regex::new(&h.files).expect("files is a regex");
    for f in [
        "nps/NPS01.reg",
        "certs/a.cer",
        "vpn/ProfileXML.xml",
        "intune/scep.json",
        "ca.crl",
        "certs/OLD-ALICE.CER",
        "nps/NPS02.REG",
    ] {
        assert!(files.is_match(f), "{f}");
    }
    assert!(!files.is_match("README.md"));
}

#[test]
fn changing_only_the_nps_snapshot_still_reports_the_founding_finding() {
    let repo = git_repo();
    // pre-commit runs the entry at the top of the repository.
    let o = run_hook(repo.path(), &["nps/NPS01.reg"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("issuing CA 'Contoso Cloud PKI Issuing CA' lacks CDP"),
        "{out}"
    );
    // Paths are as the user knows them, relative to the repository.
    assert!(
        out.contains("certs/cloud-pki/Contoso Cloud PKI Issuing CA.cer"),
        "{out}"
    );
    assert!(!out.contains(&*repo.path().to_string_lossy()), "{out}");
}

/// The half fix: NPS01 now sets IgnoreNoRevocationCheck=1, NPS02 does not. The commit changes
/// only NPS01's snapshot, which the finding no longer lists as a cause; the hook still fails,
/// and says that NPS01 passes while the finding stands on NPS02.
#[test]
fn fixing_one_nps_host_of_two_still_fails_and_says_why() {
    let repo = git_repo();
    std::fs::copy(
        "testdata/scenarios/cloud-pki-aovpn-mitigated/nps/NPS01.reg",
        repo.path().join("nps/NPS01.reg"),
    )
    .expect("the mitigated snapshot");
    let o = run_hook(repo.path(), &["nps/NPS01.reg", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let findings = v["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{v}");
    let f = &findings[0];
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .contains("lacks CDP")
    );
    let related: Vec<(&str, &str)> = f["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|r| {
            (
                r["path"].as_str().expect("path"),
                r["message"].as_str().expect("message"),
            )
        })
        .collect();
    // NPS01 once, first (the changed file), saying it passes; NPS02 as the cause.
    let nps01: Vec<_> = related
        .iter()
        .filter(|(p, _)| *p == "nps/NPS01.reg")
        .collect();
    assert_eq!(nps01.len(), 1, "{related:?}");
    assert_eq!(
        related[0],
        (
            "nps/NPS01.reg",
            "registry host 'NPS01' (changed) passes this check; the finding stands on the other places listed"
        )
    );
    assert!(
        related
            .iter()
            .any(|(p, m)| *p == "nps/NPS02.reg" && m.contains("no IgnoreNoRevocationCheck=1")),
        "{related:?}"
    );
    // The full fix passes.
    std::fs::copy(
        "testdata/scenarios/cloud-pki-aovpn-mitigated/nps/NPS02.reg",
        repo.path().join("nps/NPS02.reg"),
    )
    .expect("the mitigated snapshot");
    let o = run_hook(repo.path(), &["nps/NPS02.reg"]);
    let out = String::from_utf8_lossy(&o.stdout);
    // What is left is the note that names the trade-off: it does not fail the hook.
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("× issuing CA"), "{out}");
}

#[test]
fn changing_a_file_no_finding_points_at_reports_nothing() {
    let repo = git_repo();
    let o = run_hook(repo.path(), &["certs/users/alice.contoso.com.cer"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("0 errors, 0 warnings, 0 notes"));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run(Path::new("."), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&o.stdout);
        assert!(
            script.contains("trustlint") && script.contains("changed-only"),
            "{shell}"
        );
    }
}

#[test]
fn no_progress_or_other_noise_on_stderr_off_a_terminal() {
    let o = run(
        Path::new("."),
        &[
            "check",
            "testdata",
            "--now",
            common::NOW,
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A finding lists at most `MAX_RELATED` related places; a changed file beyond them is still
/// seen, and listed first.
#[test]
fn a_changed_file_past_the_related_cap_still_reports_its_findings() {
    let repo = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(repo.path().join(".git")).expect("mark the repository root");
    let case = crate::stress::CASES
        .iter()
        .find(|c| c.name == "cross-product")
        .expect("the case");
    (case.write)(repo.path(), 2 * trustlint::MAX_RELATED);
    let last = format!("nps/NPS{:04}.reg", 2 * trustlint::MAX_RELATED - 1);
    let o = run_hook(repo.path(), &[&last]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let first = out
        .find("NPS host NPS")
        .map(|at| &out[at..at + 16])
        .expect("a related NPS host");
    assert_eq!(
        first,
        format!("NPS host NPS{:04}", 2 * trustlint::MAX_RELATED - 1),
        "{out}"
    );
    assert!(out.contains("10 more places not listed"), "{out}");
}

/// The composite Action (action.yml) installs this version's wheel, writes SARIF beside the
/// annotations and uploads it with GitHub's own action; .ci/wheel-clients runs its steps.
#[test]
fn the_action_installs_this_version_and_uploads_its_sarif() {
    let text = std::fs::read_to_string("action.yml").expect("action.yml");
    let action: serde_yaml::Value = serde_yaml::from_str(&text).expect("action.yml parses");
    let version = toml_string("Cargo.toml", "version").expect("the crate's version");
    assert_eq!(
        action["inputs"]["version"]["default"].as_str(),
        Some(version.trim_matches('"'))
    );
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let steps = action["runs"]["steps"].as_sequence().expect("steps");
    let check = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("check"))
        .expect("a check step");
    let script = check["run"].as_str().expect("a script");
    for flag in ["--format github", "--output \"sarif=", "--automation-id"] {
        assert!(script.contains(flag), "{flag}");
    }
    assert!(steps.iter().any(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
    }));
}

/// The release workflow builds for Linux, Windows and macOS, binaries and wheels alike, from
/// the lock file, and refuses a tag that is not Cargo.toml's version.
#[test]
fn the_release_workflow_builds_every_platform_from_the_lock_file() {
    let text = std::fs::read_to_string(".github/workflows/release.yml").expect("release.yml");
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).expect("release.yml parses");
    // serde_yaml reads the key `on` as the string "on" (YAML 1.2).
    assert_eq!(workflow["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let jobs = &workflow["jobs"];
    let targets = |job: &str| -> Vec<String> {
        jobs[job]["strategy"]["matrix"]["include"]
            .as_sequence()
            .expect("a matrix")
            .iter()
            .map(|m| m["target"].as_str().expect("target").to_owned())
            .collect()
    };
    for job in ["binaries", "wheels"] {
        let t = targets(job);
        for platform in ["linux", "windows", "apple-darwin"] {
            assert!(t.iter().any(|t| t.contains(platform)), "{job}: {platform}");
        }
    }
    assert!(text.contains("cargo build --release --locked"));
    assert!(text.contains("PyO3/maturin-action"));
    assert!(text.contains("args: --release --locked --out dist"));
    for job in ["binaries", "wheels", "sdist"] {
        assert_eq!(jobs[job]["needs"].as_str(), Some("version"), "{job}");
    }
}
