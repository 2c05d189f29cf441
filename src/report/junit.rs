//! JUnit XML (`--format junit`), what Azure DevOps, GitLab and Jenkins read: a test suite per
//! rule, a test case per entity the rule checked, a failure for each finding (its message,
//! severity and location). Needs `Report::checked` (ScanOptions::record_checks).
//!
//! GitLab keys test cases by name and keeps the first of equal names, so a case's name is unique
//! in its suite: the entity, the file it is in, and a `#2`, `#3`… for entities that still share
//! both. Each case carries a `file` attribute; suites and cases carry `time` (0: trustlint does
//! not time single checks, and the output never depends on the clock) and suites a `timestamp`,
//! the scan's `--now`.
//!
//! Above [`MAX_CASES`] test cases (GitLab refuses a report over 30 MB; a 20,000-leaf export gave
//! 700,000 cases, 144 MB), each rule's passing entities become one case that counts them, and
//! its failing and suppressed findings stay one case each, or above the SARIF cap are summed up
//! as SARIF sums them ([`super::sarif::summed_up`]): by rule and issuer (else file), never
//! dropped.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use super::{Finding, Report};
use crate::location::Location;

/// Most test cases written one per checked entity; above it the report is compacted (module
/// documentation).
pub const MAX_CASES: usize = 5_000;

/// Writes the report as JUnit XML.
pub fn render(report: &Report, out: &mut impl Write) -> io::Result<()> {
    let cases: usize = report.checked.iter().map(|c| c.entities.len()).sum();
    if cases > MAX_CASES {
        return render_compact(report, out);
    }
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
        let mut suite = suite_of(check, &timestamp);
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
            let name = match path {
                Some(p) => format!("{} in {p}", e.name),
                None => e.name.clone(),
            };
            add_case(&mut suite, &mut seen, name, status, &check.rule_name, path);
        }
        junit.add_test_suite(suite);
    }
    // Serialized in memory first: the writer's own errors (a closed pipe) keep their kind.
    let xml = junit.to_string().map_err(io::Error::other)?;
    out.write_all(xml.as_bytes())?;
    out.write_all(b"\n")
}

/// The report above [`MAX_CASES`]: per rule, one case per finding (summed up above the SARIF
/// cap) and one case counting the entities that passed.
fn render_compact(report: &Report, out: &mut impl Write) -> io::Result<()> {
    let items: Vec<(&Finding, Option<&super::Suppressed>)> = report
        .findings
        .iter()
        .map(|f| (f, None))
        .chain(report.suppressed.iter().map(|s| (&s.finding, Some(s))))
        .collect();
    type Item<'f> = (&'f Finding, Option<&'f super::Suppressed>);
    let mut by_rule: BTreeMap<&str, Vec<Item<'_>>> = BTreeMap::new();
    let mut entities_found: BTreeMap<&str, HashSet<&str>> = BTreeMap::new();
    for (f, _) in &items {
        entities_found
            .entry(&*f.rule_id)
            .or_default()
            .insert(f.entity.as_str());
    }
    let summed = super::sarif::summed_up(items, super::sarif::MAX_RESULTS);
    let mut junit = JunitReport::new("trustlint");
    junit.set_time(Duration::ZERO);
    let timestamp = crate::clock::format_rfc3339(report.now);
    for (f, s) in &summed {
        by_rule
            .entry(&*f.rule_id)
            .or_default()
            .push((f.as_ref(), *s));
    }
    for check in &report.checked {
        let mut suite = suite_of(check, &timestamp);
        let mut seen: HashMap<String, usize> = HashMap::new();
        let names: HashMap<&str, &str> = check
            .entities
            .iter()
            .map(|e| (e.identity.as_str(), e.name.as_str()))
            .collect();
        for &(f, suppressed) in by_rule.get(&*check.rule_id).map_or(&[][..], Vec::as_slice) {
            let status = match suppressed {
                Some(s) => {
                    let mut st = TestCaseStatus::skipped();
                    st.set_message(format!("suppressed: {}", s.reason));
                    st
                }
                None => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    st.set_message(f.message.clone())
                        .set_type(f.severity.name())
                        .set_description(describe(&[f]));
                    st
                }
            };
            let entity = names.get(f.entity.as_str()).copied().unwrap_or(&f.entity);
            let name = format!("{entity} in {}", f.location.path);
            let path = Some(&*f.location.path);
            add_case(&mut suite, &mut seen, name, status, &check.rule_name, path);
        }
        let found = entities_found.get(&*check.rule_id).map_or(0, HashSet::len);
        let passed = check.entities.len().saturating_sub(found);
        if passed > 0 {
            let name = format!(
                "{passed} {} passed (above {MAX_CASES} cases, passes are counted, not listed)",
                if passed == 1 { "entity" } else { "entities" }
            );
            let status = TestCaseStatus::success();
            add_case(&mut suite, &mut seen, name, status, &check.rule_name, None);
        }
        junit.add_test_suite(suite);
    }
    let xml = junit.to_string().map_err(io::Error::other)?;
    out.write_all(xml.as_bytes())?;
    out.write_all(b"\n")
}

/// The suite of one rule, stamped with the scan's clock (`--now`), never the wall clock.
fn suite_of(check: &super::Checked, timestamp: &str) -> TestSuite {
    let mut suite = TestSuite::new(format!("{} {}", check.rule_id, check.rule_name));
    suite.set_time(Duration::ZERO);
    suite.extra.insert("timestamp".into(), timestamp.into());
    suite
}

/// Adds a case to the rule's suite, named apart from the suite's other cases (GitLab keeps one
/// case of each name): `#2`, `#3`… when a name repeats.
fn add_case(
    suite: &mut TestSuite,
    seen: &mut HashMap<String, usize>,
    name: String,
    status: TestCaseStatus,
    rule_name: &str,
    file: Option<&str>,
) {
    let count = seen.entry(name.clone()).or_insert(0);
    *count += 1;
    let name = if *count > 1 {
        format!("{name} #{count}")
    } else {
        name
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(format!("trustlint.{rule_name}"));
    case.set_time(Duration::ZERO);
    if let Some(p) = file {
        case.extra.insert("file".into(), p.into());
    }
    suite.add_test_case(case);
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
