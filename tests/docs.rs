//! The rule documentation is generated from the rule files and kept in the repository:
//! `docs/rules.md` (the catalogue) and `docs/rules/<name>.md` (one page per rule, with the
//! failing example its fixture produces). These tests fail when either is stale;
//! `TRUSTLINT_UPDATE_DOCS=1 cargo test --test main docs::` rewrites them.

#![allow(clippy::unwrap_used, reason = "test code")]

use crate::common;

use std::fmt::Write;
use std::path::Path;

fn update() -> bool {
    std::env::var_os("TRUSTLINT_UPDATE_DOCS").is_some()
}

/// Fails when the committed `path` is not `generated`; rewrites it under TRUSTLINT_UPDATE_DOCS.
fn assert_generated(path: &str, generated: &str) {
    if update() {
        std::fs::write(path, generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "{path} is stale: run `TRUSTLINT_UPDATE_DOCS=1 cargo test --test main docs::` and commit it"
    );
}

#[test]
fn rules_markdown_matches_the_rule_files() {
    assert_generated("docs/rules.md", &trustlint::docs::markdown(common::rules()));
}

#[test]
fn json_schemas_match_the_types_that_read_the_files() {
    assert_generated(
        "docs/schema/rule.schema.json",
        &trustlint::docs::rule_schema(),
    );
    assert_generated(
        "docs/schema/trustlint.schema.json",
        &trustlint::docs::config_schema(),
    );
}

#[test]
fn every_rule_file_and_the_starter_config_validate_against_their_schema() {
    // The schema must accept what the project itself writes, or editors would flag it.
    let rule_schema: serde_json::Value =
        serde_json::from_str(&trustlint::docs::rule_schema()).unwrap();
    let validator = jsonschema::validator_for(&rule_schema).unwrap();
    for rule in common::rules() {
        let text = std::fs::read_to_string(&rule.origin).unwrap();
        let value: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", rule.origin);
    }
    let bad: serde_json::Value =
        serde_yaml::from_str("id: TL1\nname: x\nwhen: {field: role, equal: leaf}").unwrap();
    assert!(!validator.is_valid(&bad));
    let config_schema: serde_json::Value =
        serde_json::from_str(&trustlint::docs::config_schema()).unwrap();
    let validator = jsonschema::validator_for(&config_schema).unwrap();
    let starter: serde_json::Value = serde_yaml::from_str(trustlint::config::STARTER).unwrap();
    assert!(validator.is_valid(&starter));
    let typo: serde_json::Value = serde_yaml::from_str("fail_on: error").unwrap();
    assert!(!validator.is_valid(&typo));
}

#[test]
fn fields_markdown_matches_the_field_tables() {
    assert_generated("docs/fields.md", &trustlint::docs::fields_markdown());
}

fn files_below(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_below(&p, base, out);
        } else {
            out.push(
                p.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

/// A rule's page: its Markdown and what its failing fixture produces.
fn page(rule: &trustlint::Rule) -> String {
    let mut out = trustlint::docs::rule_markdown(rule, "#");
    let base = Path::new("testdata/rules").join(&*rule.name);
    let fail = base.join("fail");
    let mut files = Vec::new();
    files_below(&fail, &fail, &mut files);
    files.sort();
    let limit = std::fs::read_to_string(base.join("max-file-size"))
        .map(|s| s.trim().parse().unwrap())
        .unwrap_or(trustlint::DEFAULT_MAX_FILE_SIZE);
    let report = common::scan_with(std::slice::from_ref(&fail), Some(1), limit);
    let prefix = format!("{}/", fail.display());
    let rel = |p: &str| p.strip_prefix(&prefix).unwrap_or(p).to_owned();
    let _ = writeln!(
        out,
        "\n## Example\n\nThe failing fixture `{}/` (scanned with `--now {}`) holds:\n",
        fail.display(),
        common::NOW
    );
    for f in &files {
        let _ = writeln!(out, "- `{f}`");
    }
    let _ = writeln!(out, "\ntrustlint reports:\n\n```text");
    for f in report.findings.iter().filter(|f| f.rule_name == rule.name) {
        let at = match f.location.line {
            Some(line) => format!("{}:{line}", rel(&f.location.path)),
            None => rel(&f.location.path),
        };
        let _ = writeln!(
            out,
            "{} {} {}  {at}\n  {}",
            f.severity.name(),
            f.rule_id,
            f.rule_name,
            f.message
        );
        for r in &f.related {
            let at = match r.location.line {
                Some(line) => format!("{}:{line}", rel(&r.location.path)),
                None => rel(&r.location.path),
            };
            let _ = writeln!(out, "  related: {at}: {}", r.message);
        }
    }
    let _ = writeln!(
        out,
        "```\n\n`{}/pass/` is the same bundle without the mistake: no such finding.",
        base.display()
    );
    out
}

#[test]
fn each_rule_page_matches_its_rule_and_fixture() {
    let mut stale = Vec::new();
    let dir = Path::new("docs/rules");
    if update() {
        std::fs::create_dir_all(dir).unwrap();
    }
    let mut expected = Vec::new();
    for rule in common::rules() {
        let name = format!("{}.md", rule.name);
        let generated = page(rule);
        let path = dir.join(&name);
        if update() {
            std::fs::write(&path, &generated).unwrap();
        }
        if std::fs::read_to_string(&path).unwrap_or_default() != generated {
            stale.push(name.clone());
        }
        expected.push(name);
    }
    // No page for a rule that no longer exists.
    let mut present: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    expected.sort();
    assert_eq!(
        present, expected,
        "docs/rules/ holds pages of rules that do not exist"
    );
    assert!(
        stale.is_empty(),
        "stale rule pages {stale:?}: run `TRUSTLINT_UPDATE_DOCS=1 cargo test --test main docs::` and commit them"
    );
}

/// Every string of a YAML value, depth first.
fn strings_of(v: &serde_yaml::Value, out: &mut Vec<String>) {
    match v {
        serde_yaml::Value::String(s) => out.push(s.clone()),
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|i| strings_of(i, out)),
        serde_yaml::Value::Mapping(m) => m.values().for_each(|i| strings_of(i, out)),
        serde_yaml::Value::Tagged(t) => strings_of(&t.value, out),
        _ => {}
    }
}

/// docs/ci.md and the README's CI section: every YAML recipe parses, and every `trustlint`
/// command in them runs (in recipe order, in a copy of the founding bundle) without a usage
/// error, writing the files its `--output` and `--write-baseline` name.
#[test]
fn ci_recipes_parse_and_their_commands_run() {
    let mut commands = Vec::new();
    let mut recipes = 0;
    for doc in ["docs/ci.md", "README.md"] {
        let text = std::fs::read_to_string(doc).unwrap();
        for block in text.split("```yaml\n").skip(1) {
            let yaml = block.split("```").next().unwrap();
            let value: serde_yaml::Value = serde_yaml::from_str(yaml)
                .unwrap_or_else(|e| panic!("{doc}: a recipe does not parse: {e}\n{yaml}"));
            recipes += 1;
            let mut strings = Vec::new();
            strings_of(&value, &mut strings);
            commands.extend(
                strings
                    .into_iter()
                    .filter_map(|s| s.find("trustlint check").map(|at| s[at..].to_owned())),
            );
        }
    }
    assert!(recipes >= 6, "{recipes}");
    assert!(commands.len() >= 5, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree("testdata/scenarios/cloud-pki-aovpn", dir.path());
    std::fs::create_dir(dir.path().join("out")).unwrap();
    for command in &commands {
        let command = command.replace("$(Build.ArtifactStagingDirectory)", "out");
        let words: Vec<&str> = command.split_whitespace().collect();
        let args: Vec<&str> = words[1..]
            .iter()
            .copied()
            .chain(["--now", common::NOW])
            .collect();
        crate::binary::check_in(dir.path(), &args, &[]);
        for (i, w) in words.iter().enumerate() {
            let written = match *w {
                "--output" => words
                    .get(i + 1)
                    .and_then(|o| o.split_once('='))
                    .map(|(_, f)| f),
                "--write-baseline" => words.get(i + 1).copied(),
                _ => None,
            };
            if let Some(file) = written {
                assert!(
                    dir.path().join(file).is_file(),
                    "{command}: {file} not written"
                );
            }
        }
    }
}

/// docs/man/: `trustlint man` and `trustlint man <subcommand>` as committed, one page each (the
/// layout of git and cargo), without a date so the pages never go stale by themselves.
#[test]
fn man_pages_match_the_command_line() {
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_trustlint"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    if update() {
        std::fs::create_dir_all("docs/man").unwrap();
    }
    let main = run(&["man"]);
    assert!(main.contains(".TH trustlint 1"), "{main}");
    assert_generated("docs/man/trustlint.1", &main);
    // Every subcommand `trustlint --help` lists (help aside).
    let help = run(&["--help"]);
    let subcommands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|s| *s != "help")
        .collect();
    assert!(
        subcommands.contains(&"check") && subcommands.len() >= 8,
        "{subcommands:?}"
    );
    let mut pages = 1;
    for sub in subcommands {
        let page = run(&["man", sub]);
        assert!(page.contains(&format!(".TH trustlint-{sub} 1")), "{sub}");
        assert_generated(&format!("docs/man/trustlint-{sub}.1"), &page);
        pages += 1;
    }
    // Every page of docs/man is one of these: none left behind by a removed subcommand.
    assert_eq!(std::fs::read_dir("docs/man").unwrap().count(), pages);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .args(["man", "lint"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("one of: check"));
}
