//! One self-contained HTML page for the pre-rollout review (`--format html`): the verdict in one
//! line, the counts by severity, and the findings table — sortable and filterable by severity,
//! rule and file with a small inline script, readable without it, without colour (severity is
//! a word and a symbol) and on paper (a print stylesheet).
//!
//! Self-contained and offline: inline CSS and script, no font, image or URL to fetch, and a
//! Content-Security-Policy that forbids fetching anything, so a file name or subject in the
//! page can never make a reader's browser reach the network. The bytes depend on the report
//! only (the scan's `--now`, never the wall clock). Above [`MAX_ROWS`] findings the table sums
//! them up by rule and issuer (else file), as SARIF does, so the page stays small enough to
//! mail (docs/ci.md states the budget; a test holds it).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Finding, Report, Severity, Suppressed};

/// Most rows of the findings table; above it findings are summed up (never dropped).
pub const MAX_ROWS: usize = 1_000;

/// Most files listed by name in each of the two lists (skipped, read); the rest are counted
/// (`check --list-files` names every one).
pub const MAX_FILES_LISTED: usize = 1_000;

/// The page's size budget, small enough to mail: every scenario and every bundle size stays
/// under it (tests/report_formats.rs), as the table and the file lists are bounded.
pub const SIZE_BUDGET: usize = 3 * 1024 * 1024;

/// The page's stylesheet: system fonts, severity as text and symbol first, colour second.
const STYLE: &str = r#"
:root { color-scheme: light dark; --err: #b3261e; --warn: #8a5a00; --note: #3b5b8c; --muted: #555; }
@media (prefers-color-scheme: dark) { :root { --err: #ff8a80; --warn: #ffcc66; --note: #9ec1ff; --muted: #bbb; } }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 78rem; padding: 1rem 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .4rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; }
.verdict { font-size: 1.1rem; font-weight: 600; padding: .6rem .8rem; border-left: .35rem solid currentColor; margin: .6rem 0; }
.verdict.fails { color: var(--err); }
.counts { display: flex; gap: 1.2rem; list-style: none; padding: 0; margin: .4rem 0; }
.meta { color: var(--muted); margin: .2rem 0; }
.sev-error { color: var(--err); } .sev-warning { color: var(--warn); } .sev-note { color: var(--note); }
.filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; margin: .5rem 0; }
.filters label { display: flex; flex-direction: column; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid color-mix(in srgb, currentColor 20%, transparent); }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th button::after { content: " \2195"; opacity: .5; }
td.place, td.rule { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: .85rem; overflow-wrap: anywhere; }
details summary { cursor: pointer; }
details ul { margin: .3rem 0 .3rem 1rem; padding: 0; }
.fix { white-space: pre-wrap; margin: .3rem 0; }
:focus-visible { outline: 2px solid Highlight; outline-offset: 2px; }
.graph { overflow: auto; border: 1px solid color-mix(in srgb, currentColor 20%, transparent); max-height: 80vh; }
.graph svg { font: 12px system-ui, sans-serif; }
.node rect { fill: Canvas; stroke: currentColor; stroke-width: 1.2; }
.node text { fill: CanvasText; } .node .kind { font-size: 10px; opacity: .75; }
.node .badge { font-weight: 700; }
.n-error rect { stroke: var(--err); stroke-width: 3; } .n-error .badge { fill: var(--err); }
.n-warning rect { stroke: var(--warn); stroke-width: 2.5; } .n-warning .badge { fill: var(--warn); }
.n-note rect { stroke: var(--note); stroke-width: 2; } .n-note .badge { fill: var(--note); }
.node:focus-visible rect, .node:hover rect { stroke-width: 4; }
.edge { fill: none; stroke: CanvasText; stroke-width: 1.3; color: CanvasText; }
.e-also { stroke: GrayText; stroke-dasharray: 6 4; color: GrayText; }
.e-pins { stroke: #2f6fbf; color: #2f6fbf; stroke-width: 1.6; }
.e-filters { stroke: #2f6fbf; color: #2f6fbf; stroke-dasharray: 2 3; }
.e-deploys { stroke: #2e7d32; color: #2e7d32; }
.e-presents { stroke: #7b3fa0; color: #7b3fa0; stroke-width: 1.6; }
.e-join { stroke-dasharray: 8 4; stroke-width: 2; }
.j-error { stroke: var(--err); color: var(--err); } .j-warning { stroke: var(--warn); color: var(--warn); }
.j-note { stroke: var(--note); color: var(--note); }
.legend { font-size: .85rem; color: var(--muted); }
.nodes { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: .8rem; margin-top: .8rem; }
.node-details { border: 1px solid color-mix(in srgb, currentColor 20%, transparent); padding: .4rem .7rem; border-radius: 6px; }
.node-details:target { outline: 3px solid Highlight; }
.node-details h3 { font-size: 1rem; margin: .2rem 0; word-break: break-word; }
.node-details dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .6rem; margin: .3rem 0; font-size: .85rem; }
.node-details dt { font-weight: 600; } .node-details dd { margin: 0; word-break: break-all; }
@media print {
  .graph { max-height: none; overflow: visible; border: 0; }
  .graph svg { max-width: 100%; height: auto; }
  .filters, th button::after { display: none; }
  details::details-content { content-visibility: visible; display: block; }
  details summary { list-style: none; }
  body { max-width: none; font-size: 10pt; }
  tr { break-inside: avoid; }
  /* A page is narrow: fixed shares, so paths and rule names wrap instead of squeezing to a
     letter per line. */
  #findings-table { table-layout: fixed; }
  #findings-table th:nth-child(1) { width: 10%; } #findings-table th:nth-child(2) { width: 17%; }
  #findings-table th:nth-child(3) { width: 41%; } #findings-table th:nth-child(4) { width: 16%; }
  #findings-table th:nth-child(5) { width: 16%; }
}
"#;

/// Filtering and sorting, without a server: rows carry their severity, rule and file.
const SCRIPT: &str = r#"
(function () {
  var table = document.getElementById("findings-table");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var sev = document.getElementById("f-severity");
  var rule = document.getElementById("f-rule");
  var file = document.getElementById("f-file");
  var shown = document.getElementById("shown");
  function apply() {
    var s = sev.value, r = rule.value.toLowerCase(), f = file.value.toLowerCase(), n = 0;
    rows.forEach(function (row) {
      var ok = (!s || row.dataset.severity === s) &&
        (!r || row.dataset.rule.toLowerCase().indexOf(r) >= 0) &&
        (!f || row.dataset.file.toLowerCase().indexOf(f) >= 0);
      row.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + " of " + rows.length + " shown";
  }
  [sev, rule, file].forEach(function (e) { e.addEventListener("input", apply); });
  var order = {};
  Array.prototype.forEach.call(table.tHead.querySelectorAll("button[data-key]"), function (b) {
    b.addEventListener("click", function () {
      var key = b.dataset.key, dir = order[key] === 1 ? -1 : 1;
      order = {}; order[key] = dir;
      rows.sort(function (a, c) {
        var x = a.dataset[key], y = c.dataset[key];
        return (x < y ? -1 : x > y ? 1 : a.dataset.index - c.dataset.index) * dir;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      Array.prototype.forEach.call(table.tHead.querySelectorAll("th"), function (th) {
        th.removeAttribute("aria-sort");
      });
      b.parentNode.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    });
  });
  apply();
})();
"#;

/// Writes the report as one HTML page.
pub fn render(report: &Report, out: &mut impl Write) -> io::Result<()> {
    let mut page = String::with_capacity(64 * 1024);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing may be fetched: not a font, not an image, not a link prefetch.
    page.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n");
    page.push_str("<meta name=\"generator\" content=\"trustlint ");
    page.push_str(env!("CARGO_PKG_VERSION"));
    page.push_str("\">\n<title>trustlint: pre-rollout review</title>\n<style>");
    page.push_str(STYLE);
    page.push_str("</style>\n</head>\n<body>\n<header>\n<h1>trustlint: pre-rollout review</h1>\n");
    verdict(report, &mut page);
    counts(report, &mut page);
    page.push_str("</header>\n<main>\n");
    let items: Vec<(&Finding, Option<&Suppressed>)> =
        report.findings.iter().map(|f| (f, None)).collect();
    let rows = super::sarif::summed_up(items, MAX_ROWS);
    let rows: Vec<&Finding> = rows.iter().map(|(f, _)| f.as_ref()).collect();
    findings_table(report, &rows, &mut page);
    if let Some(graph) = &report.graph {
        super::graph_svg::render(graph, &rows, &mut page);
    }
    files(report, &mut page);
    page.push_str("</main>\n<script>");
    page.push_str(SCRIPT);
    page.push_str("</script>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

/// The verdict in one line: what will fail, with which Windows error, or that nothing will.
fn verdict(report: &Report, page: &mut String) {
    let errors: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    let Some(first) = errors.first() else {
        let _ = writeln!(
            page,
            "<p class=\"verdict\" role=\"status\">No finding breaks authentication: {} warning(s), {} note(s).</p>",
            report.count(Severity::Warning),
            report.count(Severity::Note)
        );
        return;
    };
    let mut symptoms: Vec<String> = Vec::new();
    for f in &errors {
        if let Some(s) = &f.symptom {
            let text = s.describe();
            if !symptoms.contains(&text) {
                symptoms.push(text);
            }
        }
    }
    let mut line = format!(
        "{} error(s) will break authentication. First: {}",
        errors.len(),
        first.message
    );
    if !symptoms.is_empty() {
        let shown: Vec<&str> = symptoms.iter().take(3).map(String::as_str).collect();
        line.push_str(". Windows shows: ");
        line.push_str(&shown.join("; "));
        if symptoms.len() > 3 {
            let _ = write!(line, " (and {} more)", symptoms.len() - 3);
        }
    }
    let _ = writeln!(
        page,
        "<p class=\"verdict fails\" role=\"status\">✖ {}.</p>",
        escape(&line)
    );
}

fn counts(report: &Report, page: &mut String) {
    page.push_str("<ul class=\"counts\" aria-label=\"Findings by severity\">\n");
    for s in [Severity::Error, Severity::Warning, Severity::Note] {
        let _ = writeln!(
            page,
            "<li class=\"sev-{name}\">{symbol} {count} {name}{plural}</li>",
            name = s.name(),
            symbol = symbol(s),
            count = report.count(s),
            plural = if report.count(s) == 1 { "" } else { "s" },
        );
    }
    let _ = writeln!(
        page,
        "<li>{} suppressed</li>\n</ul>\n<p class=\"meta\">Checked at {} · {} file(s) read, {} skipped (listed below).</p>",
        report.suppressed.len(),
        crate::clock::format_rfc3339(report.now),
        report.files,
        report.files_skipped()
    );
}

fn findings_table(report: &Report, rows: &[&Finding], page: &mut String) {
    let total = report.findings.len();
    page.push_str(
        "<section aria-labelledby=\"findings-h\">\n<h2 id=\"findings-h\">Findings</h2>\n",
    );
    if rows.len() < total {
        let _ = writeln!(
            page,
            "<p class=\"meta\">{total} findings, summed up in {} rows by rule and issuer (else file): <code>--format json</code> lists each.</p>",
            rows.len()
        );
    }
    if rows.is_empty() {
        page.push_str("<p>No findings.</p>\n</section>\n");
        return;
    }
    page.push_str(concat!(
        "<form class=\"filters\" role=\"search\" aria-label=\"Filter the findings\" onsubmit=\"return false\">\n",
        "<label>Severity <select id=\"f-severity\"><option value=\"\">all</option>",
        "<option value=\"3\">error</option><option value=\"2\">warning</option><option value=\"1\">note</option></select></label>\n",
        "<label>Rule <input id=\"f-rule\" type=\"search\" placeholder=\"TL1001 or a name\"></label>\n",
        "<label>File <input id=\"f-file\" type=\"search\" placeholder=\"part of a path\"></label>\n",
        "<output id=\"shown\" aria-live=\"polite\"></output>\n</form>\n",
        "<table id=\"findings-table\">\n<thead><tr>",
        "<th scope=\"col\"><button type=\"button\" data-key=\"severity\">Severity</button></th>",
        "<th scope=\"col\"><button type=\"button\" data-key=\"rule\">Rule</button></th>",
        "<th scope=\"col\">Finding</th>",
        "<th scope=\"col\"><button type=\"button\" data-key=\"file\">File</button></th>",
        "<th scope=\"col\">Windows symptom</th></tr></thead>\n<tbody>\n"
    ));
    for (index, f) in rows.iter().enumerate() {
        row(index, f, page);
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn row(index: usize, f: &Finding, page: &mut String) {
    let place = place(&f.location.path, f.location.line);
    let rank = match f.severity {
        Severity::Error => 3,
        Severity::Warning => 2,
        Severity::Note => 1,
    };
    let _ = write!(
        page,
        "<tr id=\"finding-{index}\" data-index=\"{index}\" data-severity=\"{rank}\" data-rule=\"{id} {name}\" data-file=\"{file}\">\
<td class=\"sev-{sev}\">{symbol} {sev}</td><td class=\"rule\">{id}<br>{name}</td><td><details><summary>{message}</summary>",
        id = escape(&f.rule_id),
        name = escape(&f.rule_name),
        file = escape(&f.location.path),
        sev = f.severity.name(),
        symbol = symbol(f.severity),
        message = escape(&f.message),
    );
    if !f.related.is_empty() || f.related_omitted > 0 {
        page.push_str("<ul>");
        for r in &f.related {
            let _ = write!(
                page,
                "<li><code>{}</code>: {}</li>",
                escape(&place_of(&r.location)),
                escape(&r.message)
            );
        }
        if let Some(more) = f.related_omitted_line() {
            let _ = write!(page, "<li>{}</li>", escape(&more));
        }
        page.push_str("</ul>");
    }
    let _ = writeln!(
        page,
        "<p class=\"fix\"><strong>Fix:</strong> {}</p></details></td><td class=\"place\">{}</td><td class=\"symptom\">{}</td></tr>",
        escape(&super::human::reflow(&f.fix)),
        escape(&place),
        f.symptom
            .as_ref()
            .map(|s| escape(&s.describe()))
            .unwrap_or_default()
    );
}

/// Every file the scan saw: the skipped ones first (nothing is left out in silence), then the
/// read ones by kind; each list names its first [`MAX_FILES_LISTED`] and counts the rest.
fn files(report: &Report, page: &mut String) {
    let by_kind: Vec<String> = report
        .files_by_kind()
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    let _ = writeln!(
        page,
        "<section aria-labelledby=\"files-h\">\n<h2 id=\"files-h\">Files</h2>\n<p>{} read ({}), {} skipped.</p>",
        report.files,
        escape(&by_kind.join(", ")),
        report.files_skipped()
    );
    let skipped: Vec<String> = report
        .inventory
        .iter()
        .filter(|e| e.kind.is_none())
        .map(|e| {
            let why = e.skipped.as_deref().unwrap_or("not read");
            format!("<code>{}</code> — {}", escape(&e.path), escape(why))
        })
        .collect();
    let read: Vec<String> = report
        .inventory
        .iter()
        .filter_map(|e| {
            let kind = e.kind?;
            Some(format!(
                "<code>{}</code> — {}",
                escape(&e.path),
                escape(kind)
            ))
        })
        .collect();
    file_list("Skipped", &skipped, page);
    file_list("Read", &read, page);
    page.push_str("</section>\n");
}

fn file_list(what: &str, items: &[String], page: &mut String) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(
        page,
        "<details><summary>{what}: {}</summary>\n<ul>",
        items.len()
    );
    for item in items.iter().take(MAX_FILES_LISTED) {
        let _ = writeln!(page, "<li>{item}</li>");
    }
    if items.len() > MAX_FILES_LISTED {
        let _ = writeln!(
            page,
            "<li>and {} more (<code>trustlint check --list-files</code> lists every one)</li>",
            items.len() - MAX_FILES_LISTED
        );
    }
    page.push_str("</ul>\n</details>\n");
}

fn place_of(l: &crate::location::Location) -> String {
    place(&l.path, l.line)
}

fn place(path: &str, line: Option<u32>) -> String {
    match line {
        Some(line) => format!("{path}:{line}"),
        None => path.to_owned(),
    }
}

/// Severity as a symbol, so that it reads without colour.
pub(super) fn symbol(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✖",
        Severity::Warning => "⚠",
        Severity::Note => "ℹ",
    }
}

/// Text for HTML content and attribute values.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(
            super::escape(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
