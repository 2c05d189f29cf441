//! Findings and the reporters that render them, one file per output format.

pub mod automation;
pub mod chain;
pub mod files;
pub mod github;
mod graph_svg;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod line_hash;
pub mod sarif;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::location::Location;

/// How bad a finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: a trade-off worth knowing.
    Note,
    /// Will cause trouble under some conditions, or weakens security.
    Warning,
    /// Will break authentication.
    Error,
}

impl Severity {
    /// The lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `error`, `warning`, `note`.
    pub fn from_name(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "note" => Some(Severity::Note),
            _ => None,
        }
    }
}

/// A report format: what `--format` and `--output FORMAT=FILE` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics for people, with snippets (miette).
    Human,
    /// The versioned JSON contract.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, for CI test views.
    Junit,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// One self-contained HTML page for the pre-rollout review.
    Html,
}

impl Format {
    /// Whether [`Format::render`] reads the rules' documentation (SARIF's rule descriptors):
    /// rendering it for the 40 rules was a tenth of a small scan's start-up.
    pub fn needs_rule_docs(self) -> bool {
        matches!(self, Format::Sarif)
    }

    /// Writes `report` in this format; `color` applies to `Human` only.
    pub fn render(
        self,
        report: &Report,
        docs: &[RuleDoc],
        human: &human::HumanOptions,
        out: &mut impl std::io::Write,
    ) -> std::io::Result<()> {
        match self {
            Format::Human => human::render(report, human, out),
            Format::Json => json::render(report, out),
            Format::Sarif => sarif::render(report, docs, out),
            Format::Junit => junit::render(report, out),
            Format::Github => github::render(report, out),
            Format::Html => html::render(report, out),
        }
    }
}

/// What a reporter needs to know of a rule (SARIF's rule descriptors, JUnit's suites).
#[derive(Debug, Clone)]
pub struct RuleDoc {
    /// `TL1001`.
    pub id: Arc<str>,
    /// `issuing-ca-without-cdp`.
    pub name: Arc<str>,
    /// One line.
    pub title: Arc<str>,
    /// The default severity.
    pub severity: Severity,
    /// Tags.
    pub tags: Vec<String>,
    /// GitHub code scanning's `security-severity` (0.0–10.0), for rules tagged `security`.
    pub security_severity: Option<f64>,
    /// `very-high`, `high`, `medium`, `low`: how often a finding is a real problem.
    pub precision: &'static str,
    /// Why it matters.
    pub why: String,
    /// The full documentation as plain text (`trustlint explain`).
    pub help_text: String,
    /// The full documentation as Markdown (`docs/rules.md`).
    pub help_markdown: String,
    /// Where the rule's page is published (SARIF `helpUri`), when a base URL is configured.
    pub help_uri: Option<String>,
}

/// What Windows shows when the mistake reaches production.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Symptom {
    /// RAS client error code (853, 798…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_error: Option<u32>,
    /// RasClient event id (20227…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rasclient_event: Option<u32>,
    /// NPS Security-log event id (6273…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps_event: Option<u32>,
    /// NPS reason code (258…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps_reason: Option<u32>,
    /// KDC event id on domain controllers (39…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kdc_event: Option<u32>,
    /// Other codes and words: alternatives, HRESULTs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
}

impl Symptom {
    /// One line: `client error 853; NPS event 6273 reason 258; …`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = self.client_error {
            parts.push(format!("VPN client error {c}"));
        }
        if let Some(e) = self.rasclient_event {
            parts.push(format!("RasClient event {e}"));
        }
        match (self.nps_event, self.nps_reason) {
            (Some(e), Some(r)) => parts.push(format!("NPS event {e} reason code {r}")),
            (Some(e), None) => parts.push(format!("NPS event {e}")),
            (None, Some(r)) => parts.push(format!("NPS reason code {r}")),
            (None, None) => {}
        }
        if let Some(k) = self.kdc_event {
            parts.push(format!("KDC event {k}"));
        }
        if let Some(o) = &self.other {
            parts.push(o.clone());
        }
        parts.join("; ")
    }
}

/// Another place a finding involves, with what it says about that place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The place.
    pub location: Location,
    /// What is there.
    pub message: String,
}

/// One problem found.
#[derive(Debug, Clone)]
pub struct Finding {
    /// `TL1001`.
    pub rule_id: Arc<str>,
    /// `issuing-ca-without-cdp`.
    pub rule_name: Arc<str>,
    /// The rule's title.
    pub title: Arc<str>,
    /// Severity after overrides.
    pub severity: Severity,
    /// The rendered message.
    pub message: String,
    /// The primary place.
    pub location: Location,
    /// Other places involved: the first [`crate::engine::MAX_RELATED`] in the bundle's order.
    pub related: Vec<Related>,
    /// How many more places are involved than `related` lists.
    pub related_omitted: usize,
    /// What the finding is about: `certificate sha256:…`, `registry host NPS01`, `file …`.
    pub entity: String,
    /// Stable identity for baselines: rule id + entity.
    pub fingerprint: String,
    /// The Windows symptom.
    pub symptom: Option<Symptom>,
    /// How to fix it.
    pub fix: Arc<str>,
    /// A decoded text view of the entity (a certificate's subject, issuer, thumbprint…), for
    /// reports: the certificate's own bytes say nothing to a reader.
    pub summary: Option<String>,
    /// What findings of one rule are summed up by when a report must be shorter (SARIF above
    /// its cap): `certificates issued by <issuer>` for certificates, else `in <file>`.
    pub group: Arc<str>,
}

impl Finding {
    /// "and K more places" when `related` was capped, for the text reports.
    pub fn related_omitted_line(&self) -> Option<String> {
        (self.related_omitted > 0).then(|| {
            format!(
                "{} more place{} not listed (the first {} are)",
                self.related_omitted,
                if self.related_omitted == 1 { "" } else { "s" },
                self.related.len()
            )
        })
    }

    /// The order every report uses: path, position, rule id, entity.
    pub fn sort_key(&self) -> (&str, u32, u32, usize, &str, &str) {
        (
            &self.location.path,
            self.location.line.unwrap_or(0),
            self.location.column.unwrap_or(0),
            self.location.byte_offset,
            &self.rule_id,
            &self.entity,
        )
    }
}

/// What one rule looked at (for JUnit, which reports passes as well as failures).
#[derive(Debug, Clone)]
pub struct Checked {
    /// `TL1001`.
    pub rule_id: Arc<str>,
    /// `issuing-ca-without-cdp`.
    pub rule_name: Arc<str>,
    /// The entities of its scopes, in a fixed order.
    pub entities: Vec<CheckedEntity>,
}

/// One entity a rule looked at.
#[derive(Debug, Clone)]
pub struct CheckedEntity {
    /// Its stable identity (what findings carry as `entity`).
    pub identity: String,
    /// `certificate 'Contoso Issuing CA'`: what it is, in words.
    pub name: String,
    /// Where it is (its first place in the bundle), when it has one.
    pub location: Option<Location>,
}

/// Why a finding is not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SuppressionKind {
    /// It is in the baseline (`--baseline`): known before, not new.
    Baseline,
    /// A `trustlint: ignore[rule]` comment in the file.
    Inline,
    /// An `ignore` entry of `trustlint.yaml`.
    Config,
}

impl SuppressionKind {
    /// `baseline`, `inline`, `config`.
    pub fn name(self) -> &'static str {
        match self {
            SuppressionKind::Baseline => "baseline",
            SuppressionKind::Inline => "inline",
            SuppressionKind::Config => "config",
        }
    }
}

/// A finding that is reported as suppressed, with why.
#[derive(Debug, Clone)]
pub struct Suppressed {
    /// The finding.
    pub finding: Finding,
    /// What suppressed it.
    pub kind: SuppressionKind,
    /// The justification given (the comment's or the config's reason).
    pub reason: String,
}

/// A scan's result, ready to render.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings, sorted.
    pub findings: Vec<Finding>,
    /// What each rule looked at; filled only when asked for (`ScanOptions::record_checks`).
    pub checked: Vec<Checked>,
    /// Findings suppressed by the baseline, inline comments or the configuration: not counted,
    /// but never silent.
    pub suppressed: Vec<Suppressed>,
    /// A baseline was applied (SARIF then marks every result new or unchanged).
    pub baseline_applied: bool,
    /// The scan's clock (`--now`), Unix seconds: the time reports that want one are stamped
    /// with (JUnit's `timestamp`), so that the output never depends on the wall clock.
    pub now: i64,
    /// The run's identity (SARIF `automationDetails`): `trustlint/`, a given id, or the Azure
    /// Pipelines job's.
    pub automation: automation::Automation,
    /// The bundle as a graph, when asked for (`ScanOptions::record_graph`): the HTML report.
    pub graph: Option<crate::trust_graph::TrustGraph>,
    /// The directory relative paths are relative to (the repository root, see
    /// [`crate::repository`]); `None`: the working directory.
    pub root: Option<std::path::PathBuf>,
    /// How many files were read as one of our kinds.
    pub files: usize,
    /// Every file the scan saw, by path: the kind it was read as, or why it was skipped.
    pub inventory: Vec<InventoryEntry>,
    /// Decoded text of text files by path, for snippets.
    pub sources: BTreeMap<Arc<str>, Arc<str>>,
    /// Wall time of each stage of the scan, in order (`check --timings` prints them). Never
    /// part of a rendered report: the output must not depend on the clock.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// How the scan used the cache (`check --timings` prints it); never part of a rendered
    /// report.
    pub cache: Option<crate::cache::CacheUse>,
}

/// One file the scan saw and what became of it (`check --list-files`, JSON
/// `summary.files_by_kind`, SARIF `artifacts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryEntry {
    /// The path as findings name it.
    pub path: Arc<str>,
    /// Size in bytes.
    pub size: u64,
    /// The kind it was read as; `None` when skipped.
    pub kind: Option<&'static str>,
    /// Why it was skipped; `None` when read.
    pub skipped: Option<String>,
    /// It was read and could not be (fully) used: the `unparseable-file` or `file-too-large`
    /// finding says why.
    pub problem: bool,
}

impl Report {
    /// Files read, by kind name, in name order.
    pub fn files_by_kind(&self) -> BTreeMap<&'static str, usize> {
        let mut by_kind = BTreeMap::new();
        for kind in self.inventory.iter().filter_map(|e| e.kind) {
            *by_kind.entry(kind).or_default() += 1;
        }
        by_kind
    }

    /// Files skipped (not ours, or a format trustlint does not read).
    pub fn files_skipped(&self) -> usize {
        self.inventory.iter().filter(|e| e.kind.is_none()).count()
    }

    /// Findings of one severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The highest severity among the findings.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Stable fingerprint of a finding: SHA-256 of the rule id and the entity's identity.
pub fn fingerprint(rule_id: &str, entity: &str) -> String {
    let mut input = Vec::with_capacity(rule_id.len() + entity.len() + 1);
    input.extend_from_slice(rule_id.as_bytes());
    input.push(0);
    input.extend_from_slice(entity.as_bytes());
    let digest = ring::digest::digest(&ring::digest::SHA256, &input);
    crate::digest::hex(digest.as_ref().get(..16).unwrap_or_default())
}
