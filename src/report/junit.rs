//! JUnit XML (`--format junit`), what Azure DevOps, GitLab and Jenkins read: a test suite per
//! rule, a test case per entity the rule checked, a failure for each finding (its message,
//! severity and location). Needs `Report::checked` (ScanOptions::record_checks).
//!
//! GitLab keys test cases by name and keeps the first of equal names, so a case's name is unique
//! in its suite: the entity, the file it is in, and a `#2`, `#3`… for entities that still share
//! both. Each case carries a `file` attribute; suites and cases carry `time` (0: trustlint does
//! not time single checks, and the output never depends on the clock) and suites a `timestamp`,
//! the scan's `--now`.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use super::{Finding, Report};
use crate::location::Location;

/// Writes the report as JUnit XML.
pub fn render(report: &Report, out: &mut impl Write) -> io::Result<()> {
    let suppressed: BTreeMap<(&str, &str), &str> = report
        .suppressed
        .iter()
        .map(|s| {
            (
                (&*s.finding.rule_id, s.finding.entity.as_str()),
                s.reason.as_str(),
            )
        })
        .collect();
    let mut by_check: BTreeMap<(&str, &str), Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        by_check
            .entry((&*f.rule_id, f.entity.as_str()))
            .or_default()
            .push(f);
    }
    let mut junit = JunitReport::new("trustlint");
    junit.set_time(Duration::ZERO);
    let timestamp = crate::clock::format_rfc3339(report.now);
    for check in &report.checked {
        let mut suite = TestSuite::new(format!("{} {}", check.rule_id, check.rule_name));
        suite.set_time(Duration::ZERO);
        suite
            .extra
            .insert("timestamp".into(), timestamp.as_str().into());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for e in &check.entities {
            let findings = by_check
                .get(&(&*check.rule_id, e.identity.as_str()))
                .map_or(&[][..], Vec::as_slice);
            let key = (&*check.rule_id, e.identity.as_str());
            let status = match findings.first() {
                None => match suppressed.get(&key) {
                    // A suppressed finding is a skipped case, with why: not a pass, not a failure.
                    Some(reason) => {
                        let mut s = TestCaseStatus::skipped();
                        s.set_message(format!("suppressed: {reason}"));
                        s
                    }
                    None => TestCaseStatus::success(),
                },
                Some(first) => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(first.message.clone())
                        .set_type(first.severity.name())
                        .set_description(describe(findings));
                    s
                }
            };
            let path = e.location.as_ref().map(|l| &*l.path);
            let mut name = match path {
                Some(p) => format!("{} in {p}", e.name),
                None => e.name.clone(),
            };
            let count = seen.entry(name.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                name = format!("{name} #{count}");
            }
            let mut case = TestCase::new(name, status);
            case.set_classname(format!("trustlint.{}", check.rule_name));
            case.set_time(Duration::ZERO);
            if let Some(p) = path {
                case.extra.insert("file".into(), p.into());
            }
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    // Serialized in memory first: the writer's own errors (a closed pipe) keep their kind.
    let xml = junit.to_string().map_err(io::Error::other)?;
    out.write_all(xml.as_bytes())?;
    out.write_all(b"\n")
}

fn place(l: &Location) -> String {
    match (l.line, l.column) {
        (Some(line), Some(col)) => format!("{}:{line}:{col}", l.path),
        (Some(line), None) => format!("{}:{line}", l.path),
        _ => format!("{} (byte {})", l.path, l.byte_offset),
    }
}

/// Every finding of the test case with its places: what a reader of the CI page needs.
fn describe(findings: &[&Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        s.push_str(&format!(
            "{} {} [{}] at {}\n{}\n",
            f.rule_id,
            f.rule_name,
            f.severity.name(),
            place(&f.location),
            f.message
        ));
        for r in &f.related {
            s.push_str(&format!(
                "  related: {}: {}\n",
                place(&r.location),
                r.message
            ));
        }
        if let Some(more) = f.related_omitted_line() {
            s.push_str(&format!("  related: {more}\n"));
        }
        if let Some(sym) = &f.symptom {
            s.push_str(&format!("  symptom: {}\n", sym.describe()));
        }
        s.push_str(&format!("  fix: {}\n", f.fix.trim()));
    }
    s
}
