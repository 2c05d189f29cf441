//! Helpers shared by the integration tests.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    reason = "shared test helpers: not every test uses each, and a failure is a test failure"
)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use trustlint::{Report, Rule, ScanOptions};

/// The clock every test pins: inside the fixtures' validity windows.
pub const NOW: &str = "2026-12-01T00:00:00Z";

pub fn now() -> i64 {
    trustlint::clock::parse_rfc3339(NOW).unwrap()
}

pub fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| trustlint::load_rules(&[]).unwrap())
}

pub fn scan_with(paths: &[PathBuf], threads: Option<usize>, max_file_size: u64) -> Report {
    let options = ScanOptions {
        now: now(),
        threads,
        max_file_size,
    };
    trustlint::scan(paths, rules(), &options).unwrap()
}

pub fn scan(path: impl AsRef<Path>) -> Report {
    scan_with(
        &[path.as_ref().to_path_buf()],
        None,
        trustlint::load::DEFAULT_MAX_FILE_SIZE,
    )
}

pub fn json(report: &Report) -> String {
    let mut out = Vec::new();
    trustlint::report::json::render(report, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

pub fn human(report: &Report) -> String {
    let mut out = Vec::new();
    let options = trustlint::report::human::HumanOptions {
        color: false,
        width: 80,
    };
    trustlint::report::human::render(report, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Rule names of the findings, in report order.
pub fn rule_names(report: &Report) -> Vec<&str> {
    report.findings.iter().map(|f| &*f.rule_name).collect()
}
