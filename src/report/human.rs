//! Human output through miette: severity, rule, message, the file with a snippet (or, for a
//! binary file, a decoded view of the certificate), related locations, the Windows symptom and
//! the fix.

use std::fmt;
use std::io::Write;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use super::{Finding, Related, Report, Severity, SuppressionKind};
use crate::location::Location;

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    /// ANSI colours.
    pub color: bool,
    /// Terminal width in columns.
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: 100,
        }
    }
}

/// Writes every finding, then a one-line summary.
pub fn render(report: &Report, options: HumanOptions, out: &mut impl Write) -> std::io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_show_related_as_nested(true)
        .with_context_lines(0);
    for f in &report.findings {
        let diag = FindingView::new(f, report);
        let mut text = String::new();
        if handler.render_report(&mut text, &diag).is_err() {
            text = format!("{}: {} [{}]\n", f.location.path, f.message, f.rule_name);
        }
        out.write_all(text.as_bytes())?;
        writeln!(out)?;
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    // Suppressed findings are never silent: one line each, then the count by kind.
    for s in &report.suppressed {
        let f = &s.finding;
        let at = match f.location.line {
            Some(line) => format!("{}:{line}", f.location.path),
            None => f.location.path.to_string(),
        };
        writeln!(
            out,
            "suppressed ({}): {} {} at {at}: {}",
            s.kind.name(),
            f.rule_id,
            f.rule_name,
            s.reason
        )?;
    }
    let suppressed = if report.suppressed.is_empty() {
        String::new()
    } else {
        let mut kinds: Vec<String> = Vec::new();
        for kind in [
            SuppressionKind::Baseline,
            SuppressionKind::Inline,
            SuppressionKind::Config,
        ] {
            let n = report.suppressed.iter().filter(|s| s.kind == kind).count();
            if n > 0 {
                kinds.push(format!("{} {n}", kind.name()));
            }
        }
        format!(
            " ({} suppressed: {})",
            report.suppressed.len(),
            kinds.join(", ")
        )
    };
    writeln!(
        out,
        "trustlint: {}, {}, {} in {}{suppressed}",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        plural(report.count(Severity::Note), "note"),
        plural(report.files, "file"),
    )?;
    let by_kind = report.files_by_kind();
    let skipped = report.files_skipped();
    if by_kind.is_empty() && skipped == 0 {
        return Ok(());
    }
    let read: Vec<String> = by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let read = if read.is_empty() {
        "nothing".to_owned()
    } else {
        read.join(", ")
    };
    writeln!(
        out,
        "read: {read}; skipped: {skipped}{}",
        if skipped > 0 {
            " (--list-files says why)"
        } else {
            ""
        }
    )
}

/// Source text of a location: the file's text, or a decoded view for binary files.
struct Snippet {
    source: NamedSource<Arc<str>>,
    span: (usize, usize),
}

/// What to show under a finding: a decoded view of a certificate or CRL (its PEM or DER text
/// says nothing to a reader), else the line of the text file, else nothing.
fn snippet(location: &Location, report: &Report, summary: Option<&str>) -> Option<Snippet> {
    if let Some(summary) = summary {
        let name = match (location.line, location.container_index) {
            (Some(line), _) => format!("{} (line {line}, decoded)", location.path),
            (None, Some(i)) => format!("{} (item {i}, decoded)", location.path),
            (None, None) if location.byte_offset == 0 => format!("{} (decoded)", location.path),
            (None, None) => format!("{} (byte {}, decoded)", location.path, location.byte_offset),
        };
        // The whole view is the label's span, so every line of it is shown.
        let summary = summary.trim_end();
        return Some(Snippet {
            source: NamedSource::new(name, Arc::from(summary)),
            span: (0, summary.len()),
        });
    }
    let text = report
        .sources
        .get(&location.path)
        .filter(|_| location.line.is_some())?;
    // Label the first line of an item (a .reg key or value can run on), or the rest of the line
    // from an error position.
    let rest = text.get(location.byte_offset..).unwrap_or("");
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let len = match location.byte_len {
        0 => line_len,
        n => line_len.min(n),
    };
    let len = rest
        .get(..len)
        .map_or(0, |s| s.trim_end_matches('\r').len());
    Some(Snippet {
        source: NamedSource::new(&location.path, text.clone()),
        span: (location.byte_offset, len),
    })
}

/// Joins the hard-wrapped lines of each paragraph so the terminal width decides the wrapping.
fn reflow(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn place(location: &Location) -> String {
    match (location.line, location.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", location.path),
        _ if location.byte_offset > 0 => {
            format!("{} (byte {})", location.path, location.byte_offset)
        }
        _ => location.path.to_string(),
    }
}

struct FindingView<'a> {
    finding: &'a Finding,
    code: String,
    snippet: Option<Snippet>,
    help: String,
    related: Vec<RelatedView>,
}

impl<'a> FindingView<'a> {
    fn new(f: &'a Finding, report: &Report) -> Self {
        let snippet = snippet(&f.location, report, f.summary.as_deref());
        let mut help = String::new();
        if snippet.is_none() {
            help.push_str(&format!("at {}\n", place(&f.location)));
        }
        if let Some(s) = &f.symptom {
            let d = s.describe();
            if !d.is_empty() {
                help.push_str(&format!("symptom: {d}\n"));
            }
        }
        help.push_str("fix: ");
        help.push_str(&reflow(&f.fix));
        FindingView {
            finding: f,
            code: format!("{}({})", f.rule_id, f.rule_name),
            snippet,
            help,
            related: f
                .related
                .iter()
                .map(|r| RelatedView::new(r, report))
                .collect(),
        }
    }
}

impl fmt::Debug for FindingView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}
impl fmt::Display for FindingView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}
impl std::error::Error for FindingView<'_> {}

impl Diagnostic for FindingView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.help))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.as_ref().map(|s| &s.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let s = self.snippet.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.finding.title.to_string()), s.span),
        )))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

struct RelatedView {
    text: String,
    snippet: Option<Snippet>,
}

impl RelatedView {
    fn new(r: &Related, report: &Report) -> Self {
        let snippet = snippet(&r.location, report, None);
        let text = if snippet.is_some() {
            r.message.clone()
        } else {
            format!("{}: {}", place(&r.location), r.message)
        };
        RelatedView { text, snippet }
    }
}

impl fmt::Debug for RelatedView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl fmt::Display for RelatedView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl std::error::Error for RelatedView {}

impl Diagnostic for RelatedView {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.as_ref().map(|s| &s.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let s = self.snippet.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, s.span),
        )))
    }
}
