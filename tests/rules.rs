//! Every rule against its fixtures (`testdata/rules/<name>/{fail,pass}/`), and the registry's
//! own invariants: ids, names, folders, docs.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failure is a test failure"
)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::{json, rules, scan_with};

const BANNED_PREFIXES: [&str; 6] = [
    "use-",
    "prefer-",
    "avoid-",
    "do-not-",
    "consider-",
    "ensure-",
];

fn area_of(id: &str) -> &'static str {
    match id.as_bytes().get(2) {
        Some(b'1') => "revocation",
        Some(b'2') => "chain",
        Some(b'3') => "key",
        Some(b'4') => "validity",
        Some(b'5') => "eku",
        Some(b'6') => "vpn",
        Some(b'7') => "intune",
        Some(b'8') => "mapping",
        Some(b'9') => "hygiene",
        _ => "?",
    }
}

fn fixture_scan(name: &str, side: &str) -> trustlint::Report {
    let base = Path::new("testdata/rules").join(name);
    let limit = fs::read_to_string(base.join("max-file-size"))
        .map(|s| s.trim().parse().unwrap())
        .unwrap_or(trustlint::load::DEFAULT_MAX_FILE_SIZE);
    scan_with(&[base.join(side)], Some(2), limit)
}

#[test]
fn every_rule_fires_on_its_fail_fixture_and_not_on_its_pass_fixture() {
    let mut problems = Vec::new();
    for rule in rules() {
        let fail = fixture_scan(&rule.name, "fail");
        let hits: Vec<_> = fail
            .findings
            .iter()
            .filter(|f| f.rule_name == rule.name)
            .collect();
        if hits.is_empty() {
            problems.push(format!(
                "{} does not fire on fail/ (found: {:?})",
                rule.name,
                common::rule_names(&fail)
            ));
        }
        let pass = fixture_scan(&rule.name, "pass");
        if pass.findings.iter().any(|f| f.rule_name == rule.name) {
            problems.push(format!("{} fires on pass/", rule.name));
        }
        let mut only = fail;
        only.findings.retain(|f| f.rule_name == rule.name);
        insta::assert_snapshot!(format!("fail-{}", rule.name), json(&only));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_fixture_folder_belongs_to_a_rule() {
    let names: BTreeSet<String> = rules().iter().map(|r| r.name.to_string()).collect();
    for entry in fs::read_dir("testdata/rules").unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(names.contains(&name), "testdata/rules/{name} has no rule");
            for side in ["fail", "pass"] {
                assert!(
                    entry.path().join(side).is_dir(),
                    "testdata/rules/{name}/{side} is missing"
                );
            }
        }
    }
}

#[test]
fn rule_files_follow_the_registry_conventions() {
    let mut ids = BTreeSet::new();
    for rule in rules() {
        let origin = PathBuf::from(&rule.origin);
        assert_eq!(
            origin.file_stem().unwrap().to_str().unwrap(),
            &*rule.name,
            "{}: file name must be the rule name",
            rule.origin
        );
        let folder = origin
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        assert_eq!(
            folder,
            area_of(&rule.id),
            "{}: {} belongs in rules/{}/",
            rule.origin,
            rule.id,
            area_of(&rule.id)
        );
        assert!(
            !BANNED_PREFIXES.iter().any(|p| rule.name.starts_with(p)),
            "{}: banned name prefix",
            rule.name
        );
        assert!(
            !rule.why.trim().is_empty() && !rule.fix.trim().is_empty(),
            "{}: why/fix",
            rule.name
        );
        assert!(
            rule.references.iter().all(|r| r.starts_with("https://")),
            "{}: references must be https URLs",
            rule.name
        );
        assert!(
            !rule.title.ends_with('.'),
            "{}: title ends with a period",
            rule.name
        );
        assert!(ids.insert(rule.id.clone()));
    }
}

#[test]
fn catalogue_is_stable() {
    let list: String = rules()
        .iter()
        .map(|r| format!("{} {} {}\n", r.id, r.name, r.severity.name()))
        .collect();
    insta::assert_snapshot!("catalogue", list);
}

#[test]
fn duplicate_ids_and_names_in_user_rules_are_load_errors() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = fs::read_to_string("rules/validity/certificate-expired.yaml").unwrap();
    fs::write(dir.path().join("copy.yaml"), builtin).unwrap();
    let err = trustlint::load_rules(&[dir.path().to_path_buf()]).unwrap_err();
    let text: Vec<String> = err.errors.iter().map(|e| e.message.clone()).collect();
    assert!(
        text.iter()
            .any(|m| m.contains("id 'TL4001' is already used")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|m| m.contains("name 'certificate-expired' is already used")),
        "{text:?}"
    );
}

#[test]
fn user_rule_with_an_unknown_field_names_the_file_line_and_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let rule = "id: TL9901\nname: my-rule\ntitle: Mine\nseverity: warning\nscope: certificate\nwhen:\n  allOf:\n    - field: rolee\n      equals: leaf\nmessage: x\nwhy: y\nfix: z\nreferences: [https://example.com]\n";
    fs::write(dir.path().join("my-rule.yaml"), rule).unwrap();
    let err = trustlint::load_rules(&[dir.path().to_path_buf()]).unwrap_err();
    let e = &err.errors[0];
    assert!(e.file.ends_with("my-rule.yaml"));
    assert_eq!(e.line, 8);
    assert!(e.message.contains("unknown field 'rolee'"), "{}", e.message);
    assert_eq!(e.help.as_deref(), Some("did you mean 'role'?"));
}

#[test]
fn user_rule_with_an_unknown_key_is_a_load_error() {
    let dir = tempfile::tempdir().unwrap();
    let rule = "id: TL9902\nname: my-rule\ntitle: Mine\nseverity: warning\nscope: certificate\nwhen: {field: role, equals: leaf}\nmesage: x\nwhy: y\nfix: z\nreferences: [https://example.com]\n";
    fs::write(dir.path().join("my-rule.yaml"), rule).unwrap();
    let err = trustlint::load_rules(&[dir.path().to_path_buf()]).unwrap_err();
    let e = &err.errors[0];
    assert_eq!(e.line, 7, "{}", e.message);
    assert_eq!(e.help.as_deref(), Some("did you mean 'message'?"));
}

#[test]
fn at_must_name_a_field_with_a_place_in_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let rule = "id: TL9904\nname: my-scep-rule\ntitle: Mine\nseverity: warning\nscope: certificate_profile\nat: key_sise\nwhen: {field: kind, equals: SCEP}\nmessage: x\nwhy: y\nfix: z\nreferences: [https://example.com]\n";
    fs::write(dir.path().join("my-scep-rule.yaml"), rule).unwrap();
    let err = trustlint::load_rules(&[dir.path().to_path_buf()]).unwrap_err();
    let e = &err.errors[0];
    assert_eq!(e.line, 6, "{}", e.message);
    assert_eq!(e.help.as_deref(), Some("did you mean 'key_size'?"));
    // A field without a place (computed, not written in a file) is refused too.
    fs::write(
        dir.path().join("my-scep-rule.yaml"),
        rule.replace("key_sise", "issuing_ca_remaining_days"),
    )
    .unwrap();
    assert!(trustlint::load_rules(&[dir.path().to_path_buf()]).is_err());
}

#[test]
fn at_points_the_finding_at_the_member() {
    let report = fixture_scan("scep-profile-weak-key", "fail");
    let f = report
        .findings
        .iter()
        .find(|f| &*f.rule_name == "scep-profile-weak-key")
        .unwrap();
    let text =
        fs::read_to_string("testdata/rules/scep-profile-weak-key/fail/intune/scep-user.json")
            .unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("\"keySize\""))
        .unwrap()
        + 1;
    assert_eq!(f.location.line, Some(u32::try_from(line).unwrap()));
}

#[test]
fn user_rules_run_beside_the_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    let rule = "id: TL9903\nname: contoso-root-present\ntitle: Contoso root in bundle\nseverity: note\nscope: certificate\nwhen:\n  allOf:\n    - {field: role, equals: root}\n    - {field: subject.common_name, startsWith: Contoso}\nmessage: \"root {display_name} ({key.bits}-bit {key.type})\"\nwhy: y\nfix: z\nreferences: [https://example.com]\n";
    fs::write(dir.path().join("contoso-root-present.yaml"), rule).unwrap();
    let all = trustlint::load_rules(&[dir.path().to_path_buf()]).unwrap();
    let options = common::options();
    let report = trustlint::scan(
        &["testdata/scenarios/cloud-pki-aovpn".into()],
        &all,
        &options,
    )
    .unwrap();
    let mine: Vec<_> = report
        .findings
        .iter()
        .filter(|f| &*f.rule_id == "TL9903")
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0].message,
        "root Contoso Cloud PKI Root CA (2048-bit rsa)"
    );
}

#[test]
fn sha1_signature_also_covers_crls() {
    let report = common::scan("testdata/samples/pkits/DSACACRL.crl");
    let hits: Vec<_> = report
        .findings
        .iter()
        .filter(|f| &*f.rule_name == "sha1-signature")
        .collect();
    assert_eq!(hits.len(), 1, "{:?}", common::rule_names(&report));
    assert_eq!(
        hits[0].message,
        "'CRL of DSA CA' is signed with SHA-1 (dsa-with-sha1)"
    );
    assert!(hits[0].entity.starts_with("crl sha256:"));
}
