//! JSON output, version 1 (the contract in docs/design.md): its own types, not a dump of the
//! internal `Finding`, so internal changes cannot change it.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::{Finding, Report, Severity, Symptom};

/// The version of this output format.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    /// Findings not counted (baseline, inline ignore, trustlint.yaml), each with why.
    suppressed: Vec<JsonSuppressed<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    suppression: JsonSuppression<'a>,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    kind: &'static str,
    reason: &'a str,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'a str,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    path: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    byte_offset: Option<usize>,
    entity: &'a str,
    symptom: Option<&'a Symptom>,
    related: Vec<JsonRelated<'a>>,
    /// Related places beyond the first `MAX_RELATED`, counted and not listed.
    related_omitted: usize,
    fingerprint: &'a str,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    byte_offset: Option<usize>,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    /// Files read, by the kind they were read as.
    files_by_kind: BTreeMap<&'static str, usize>,
    /// Files skipped (`check --list-files` says why).
    files_skipped: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    suppressed: usize,
}

fn byte_offset(f: &crate::location::Location) -> Option<usize> {
    // Text formats are addressed by line and column; binary ones by byte offset.
    f.line.is_none().then_some(f.byte_offset)
}

fn convert(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule_id: &f.rule_id,
        rule: &f.rule_name,
        severity: f.severity,
        message: &f.message,
        path: &f.location.path,
        line: f.location.line,
        column: f.location.column,
        byte_offset: byte_offset(&f.location),
        entity: &f.entity,
        symptom: f.symptom.as_ref(),
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                path: &r.location.path,
                line: r.location.line,
                column: r.location.column,
                byte_offset: byte_offset(&r.location),
                message: &r.message,
            })
            .collect(),
        related_omitted: f.related_omitted,
        fingerprint: &f.fingerprint,
    }
}

/// Writes `report` as pretty-printed JSON followed by a newline.
pub fn render(report: &Report, out: &mut impl Write) -> std::io::Result<()> {
    let output = Output {
        version: VERSION,
        tool: Tool {
            name: "trustlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: report.findings.iter().map(convert).collect(),
        suppressed: report
            .suppressed
            .iter()
            .map(|s| JsonSuppressed {
                finding: convert(&s.finding),
                suppression: JsonSuppression {
                    kind: s.kind.name(),
                    reason: &s.reason,
                },
            })
            .collect(),
        summary: Summary {
            files: report.files,
            files_by_kind: report.files_by_kind(),
            files_skipped: report.files_skipped(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            notes: report.count(Severity::Note),
            suppressed: report.suppressed.len(),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
