//! `docs/rules.md` is generated from the rule files; this fails when it is stale.
//! `TRUSTLINT_UPDATE_DOCS=1 cargo test --test docs` rewrites it.

#![allow(clippy::unwrap_used, reason = "test code")]

mod common;

#[test]
fn rules_markdown_matches_the_rule_files() {
    let generated = trustlint::engine::docs::markdown(common::rules());
    let path = "docs/rules.md";
    if std::env::var_os("TRUSTLINT_UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is stale: run `TRUSTLINT_UPDATE_DOCS=1 cargo test --test docs` and commit it"
    );
}
