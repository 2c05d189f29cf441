//! Human output through miette: severity, rule, message, the file with a snippet (or, for a
//! binary file, a decoded view of the certificate), related locations, the Windows symptom and
//! the fix.

use std::fmt;
use std::io::Write;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};

use super::{Finding, Related, Report, Severity, SuppressionKind};
use crate::location::Location;

/// How to draw.
#[derive(Debug, Clone)]
pub struct HumanOptions {
    /// ANSI colours.
    pub color: bool,
    /// Terminal width in columns.
    pub width: usize,
    /// The closing summary (counts, what was read): off with `--quiet`.
    pub summary: bool,
    /// Where the rule pages are published (`--rule-docs-url`): each finding's rule links to
    /// `<url>/<rule name>.md`, written after the rule off a terminal.
    pub rule_docs_url: Option<String>,
    /// Rule names as OSC 8 hyperlinks to their pages (a terminal that draws colour).
    pub hyperlinks: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: crate::terminal::DEFAULT_WIDTH,
            summary: true,
            rule_docs_url: None,
            hyperlinks: false,
        }
    }
}

/// Most findings of one rule in one file drawn in full; the rest are counted on one line.
pub const MAX_SHOWN_PER_RULE_AND_FILE: usize = 20;

/// Writes the findings (at most [`MAX_SHOWN_PER_RULE_AND_FILE`] of a rule in a file, then a
/// count), then a one-line summary.
pub fn render(
    report: &Report,
    options: &HumanOptions,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        // A hyperlink where the terminal draws one; else the URL after the rule, when known.
        .with_links(options.hyperlinks)
        .with_link_display_text("")
        .with_show_related_as_nested(true)
        .with_context_lines(0);
    // A reader wants the first few findings of a rule in a file and the count of the rest,
    // not 90,000 snippets of one mistake repeated; machine formats keep every finding.
    let mut shown: std::collections::HashMap<(&str, &str), usize> =
        std::collections::HashMap::new();
    let mut not_shown: std::collections::BTreeMap<(&str, &str), (usize, &Finding)> =
        std::collections::BTreeMap::new();
    for f in &report.findings {
        let n = shown.entry((&f.location.path, &f.rule_id)).or_default();
        *n += 1;
        if *n > MAX_SHOWN_PER_RULE_AND_FILE {
            not_shown
                .entry((&f.location.path, &f.rule_id))
                .or_insert((0, f))
                .0 += 1;
            continue;
        }
        let diag = FindingView::new(f, report, options.rule_docs_url.as_deref());
        let mut text = String::new();
        if handler.render_report(&mut text, &diag).is_err() {
            text = format!("{}: {} [{}]\n", f.location.path, f.message, f.rule_name);
        }
        out.write_all(text.as_bytes())?;
        writeln!(out)?;
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    for ((path, _), (n, f)) in &not_shown {
        writeln!(
            out,
            "not shown: {} more of {} {} in {path} (the first {MAX_SHOWN_PER_RULE_AND_FILE} are above; --format json lists every one)",
            n, f.rule_id, f.rule_name
        )?;
    }
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
    if !options.summary {
        return Ok(());
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

/// Source text of a location: an excerpt of the file's text, or a decoded view for binary files.
struct Snippet {
    source: SnippetSource,
    span: (usize, usize),
}

enum SnippetSource {
    Decoded(NamedSource<Arc<str>>),
    Excerpt(Excerpt),
}

impl SnippetSource {
    fn code(&self) -> &dyn SourceCode {
        match self {
            SnippetSource::Decoded(s) => s,
            SnippetSource::Excerpt(e) => e,
        }
    }
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
            source: SnippetSource::Decoded(NamedSource::new(name, Arc::from(summary))),
            span: (0, summary.len()),
        });
    }
    let text = report
        .sources
        .get(&location.path)
        .filter(|_| location.line.is_some())?;
    let (Some(line), Some(column)) = (location.line, location.column) else {
        return None;
    };
    // Label the first line of an item (a .reg key or value can run on), or the rest of the line
    // from an error position.
    let offset = location.byte_offset.min(text.len());
    let rest = text.get(offset..).unwrap_or("");
    let line_len = rest
        .get(..rest.len().min(EXCERPT_CONTEXT + MAX_LABEL))
        .and_then(|r| r.find('\n'))
        .unwrap_or(rest.len());
    let len = match location.byte_len {
        0 => line_len,
        n => line_len.min(n),
    };
    let len = rest
        .get(..len)
        .map_or(0, |s| s.trim_end_matches('\r').len());
    let excerpt = Excerpt::of(
        &location.path,
        text,
        offset..offset + len,
        (
            line.saturating_sub(1) as usize,
            column.saturating_sub(1) as usize,
        ),
    );
    let span = excerpt.span;
    Some(Snippet {
        source: SnippetSource::Excerpt(excerpt),
        span,
    })
}

/// Bytes of a line shown on each side of a label, and the most of a label shown.
const EXCERPT_CONTEXT: usize = 120;
const MAX_LABEL: usize = 240;

/// The part of a file a snippet shows: the labelled span's line, cut to [`EXCERPT_CONTEXT`]
/// bytes on each side of it (`…` where cut), placed at its line and column in the file. miette
/// finds a span's line by reading its source from the start and prints the whole line: with
/// the whole file as the source, 90,000 findings on one 8 MB line printed 8 MB each.
struct Excerpt {
    name: String,
    text: String,
    /// The label's span in `text`.
    span: (usize, usize),
    /// 0-based line of `text` in the file.
    line: usize,
    /// What turns a column miette counts in `text` (bytes from the line's start) into the
    /// file's column (characters).
    column_shift: isize,
}

impl Excerpt {
    /// The excerpt of `text` around `span` (byte offsets), whose start is at `position`
    /// (0-based line and column in characters).
    fn of(name: &str, text: &str, span: std::ops::Range<usize>, position: (usize, usize)) -> Self {
        let boundary_down = |mut i: usize| {
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let label_end = boundary_down(span.end.min(span.start + MAX_LABEL));
        let lo = boundary_down(span.start.saturating_sub(EXCERPT_CONTEXT));
        let before = text.get(lo..span.start).unwrap_or("");
        let (start, cut_before) = match before.rfind(['\n', '\r']) {
            Some(nl) => (lo + nl + 1, false),
            None => (lo, lo > 0),
        };
        let hi = boundary_down((label_end + EXCERPT_CONTEXT).min(text.len()));
        let after = text.get(label_end..hi).unwrap_or("");
        let (end, cut_after) = match after.find(['\n', '\r']) {
            Some(nl) => (label_end + nl, false),
            None => (hi, hi < text.len()),
        };
        let prefix = if cut_before { "…" } else { "" };
        let mut excerpt = String::with_capacity(end - start + 8);
        excerpt.push_str(prefix);
        excerpt.push_str(text.get(start..end).unwrap_or(""));
        if cut_after {
            excerpt.push('…');
        }
        let bytes_before = prefix.len() + span.start - start;
        let shift = isize::try_from(position.1).unwrap_or(isize::MAX)
            - isize::try_from(bytes_before).unwrap_or(isize::MAX);
        Excerpt {
            name: name.to_owned(),
            span: (
                prefix.len() + span.start - start,
                label_end.saturating_sub(span.start),
            ),
            text: excerpt,
            line: position.0,
            column_shift: shift,
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        // One line, so miette's column is on the labelled line.
        let column = isize::try_from(inner.column())
            .unwrap_or(isize::MAX)
            .saturating_add(self.column_shift);
        let column = usize::try_from(column).unwrap_or(0);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.line + inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// Joins the hard-wrapped lines of each paragraph so the terminal width decides the wrapping.
pub(super) fn reflow(text: &str) -> String {
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
    /// The rule's page, when the pages' home is known.
    url: Option<String>,
    snippet: Option<Snippet>,
    help: String,
    related: Vec<RelatedView>,
}

impl<'a> FindingView<'a> {
    fn new(f: &'a Finding, report: &Report, docs_url: Option<&str>) -> Self {
        let snippet = snippet(&f.location, report, f.summary.as_deref());
        let mut help = String::new();
        if snippet.is_none() {
            help.push_str(&format!("at {}\n", place(&f.location)));
        }
        if let Some(more) = f.related_omitted_line() {
            help.push_str(&format!("related: {more}\n"));
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
            url: docs_url.map(|u| format!("{}/{}.md", u.trim_end_matches('/'), f.rule_name)),
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
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display + 'b>)
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
        self.snippet.as_ref().map(|s| s.source.code())
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
        self.snippet.as_ref().map(|s| s.source.code())
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let s = self.snippet.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, s.span),
        )))
    }
}
