//! The real-world corpora of `../shared/samples/` (zlint, x509-limbo, NIST PKITS, pyca vectors,
//! pkilint, Mozilla and DoD roots, a hobby PKI, .reg, ProfileXML and Graph samples; see its
//! SOURCES.md): no panic, every file is either parsed or has an `unparseable-file` finding, and
//! the counts (files seen, parsed, findings by rule) are pinned, so a regression in any loader or
//! rule shows up as a changed count.
//!
//! The corpora sit beside the repository (CI checks out `shared/` next to it). Where they are
//! missing the test says so and stops, unless `CI` is set, where missing corpora fail it.

#![allow(clippy::unwrap_used, clippy::print_stderr, reason = "test code")]

use super::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use trustlint::load::FileProblem;

const SAMPLES: &str = "../shared/samples";

fn samples() -> Option<PathBuf> {
    let p = Path::new(SAMPLES);
    if p.is_dir() {
        return Some(p.to_path_buf());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{SAMPLES} is missing: CI must check out shared/ beside the repository"
    );
    eprintln!("skipped: {SAMPLES} is not present");
    None
}

#[test]
fn every_sample_is_parsed_or_has_a_finding_and_the_counts_hold() {
    let Some(root) = samples() else { return };
    let discovery = trustlint::discover::discover(std::slice::from_ref(&root));
    assert!(discovery.problems.is_empty(), "{:?}", discovery.problems);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut claimed_without_result = Vec::new();
    for f in &discovery.files {
        let loaded = trustlint::load::load_file(f, trustlint::DEFAULT_MAX_FILE_SIZE);
        *counts.entry("files seen".into()).or_default() += 1;
        match (&loaded.kind, &loaded.problem, loaded.artifacts.is_empty()) {
            (None, _, _) => *counts.entry("skipped (not ours)".into()).or_default() += 1,
            (Some(_), Some(FileProblem::Unparseable(_)), _) => {
                *counts.entry("unparseable".into()).or_default() += 1;
            }
            (Some(_), Some(FileProblem::TooLarge { .. }), _) => {
                *counts.entry("too large".into()).or_default() += 1;
            }
            (Some(_), None, false) => *counts.entry("parsed".into()).or_default() += 1,
            (Some(_), None, true) => claimed_without_result.push(f.display.to_string()),
        }
    }
    assert!(
        claimed_without_result.is_empty(),
        "claimed but neither parsed nor a problem: {claimed_without_result:?}"
    );

    let report = common::scan(&root);
    let unparseable = report
        .findings
        .iter()
        .filter(|f| &*f.rule_name == "unparseable-file")
        .count();
    assert_eq!(unparseable, counts.get("unparseable").copied().unwrap_or(0));
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for f in &report.findings {
        *by_rule.entry(f.rule_name.to_string()).or_default() += 1;
    }
    // A healthy public root must not be flagged: on Mozilla's roots only real expiry fires.
    let mozilla: BTreeMap<String, usize> = report
        .findings
        .iter()
        .filter(|f| f.location.path.contains("/mozilla-roots/"))
        .fold(BTreeMap::new(), |mut m, f| {
            *m.entry(f.rule_name.to_string()).or_default() += 1;
            m
        });
    assert_eq!(mozilla.keys().collect::<Vec<_>>(), ["certificate-expired"]);
    insta::assert_yaml_snapshot!("corpus-counts", (counts, by_rule));
}
