//! XML as the loaders read it: documents parsed with limits (no DTD, bounded nodes and depth),
//! documents XML-escaped as the text of another element and unescaped with a map back to the
//! file, so every element a rule names keeps its line and column through the escaping, and
//! small element helpers. The formats themselves are `profile_xml`, `vpn_profile` and `eap`.

use std::ops::Range;
use std::sync::Arc;

use roxmltree::{Document, Node, ParsingOptions};

use super::{LoadError, LoadProblem, Parsed};
use crate::location::{LineIndex, Location};

/// More nodes than any real profile has (the largest sample has about 700); bounds a crafted
/// file's memory.
const MAX_NODES: u32 = 200_000;
/// How many times a profile may be escaped inside another document.
const MAX_NESTING: u32 = 3;
/// How deep elements may nest (real profiles are under 20 levels).
pub(crate) const MAX_DEPTH: usize = 256;

fn parse_options<'a>() -> ParsingOptions<'a> {
    ParsingOptions {
        // A DTD is how entity-expansion bombs get in; no profile has one.
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    }
}

/// Parses `xml` and hands its root element to `f`; a parse error is noted in `out` as `what:
/// <error>` with its place in the file.
pub(crate) fn with_document<R>(
    xml: &str,
    spans: &Spans,
    what: &str,
    out: &mut Parsed,
    f: impl FnOnce(Node<'_, '_>, &mut Parsed) -> R,
) -> Option<R> {
    match Document::parse_with_options(xml, parse_options()) {
        Ok(doc) => Some(f(doc.root_element(), out)),
        Err(e) => {
            let offset = offset_of(xml, e.pos().row, e.pos().col);
            out.note(LoadError {
                problem: LoadProblem::InvalidXml {
                    what: what.to_owned(),
                    error: e.to_string(),
                },
                location: spans.at(offset..offset),
            });
            None
        }
    }
}

/// The text of `node` when it is an XML document escaped as text whose elements include one
/// of `roots` (`<VPNProfile`), with spans that point into the file; `None` past
/// [`MAX_NESTING`] levels of escaping.
pub(crate) fn escaped_document(
    node: Node<'_, '_>,
    spans: &Spans,
    depth: u32,
    roots: &[&str],
) -> Option<(String, Spans)> {
    let text = node.text()?;
    let trimmed = text.trim_start();
    let holds_ours = trimmed.starts_with('<') && roots.iter().any(|r| text.contains(r));
    if !holds_ours || depth >= MAX_NESTING {
        return None;
    }
    let inner_spans = spans.unescaped(node, text);
    Some((text.to_owned(), inner_spans))
}

/// Byte offset of a 1-based row and column (in characters) of `text`.
pub(crate) fn offset_of(text: &str, row: u32, col: u32) -> usize {
    let mut offset = 0usize;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1) == row {
            let col = usize::try_from(col.saturating_sub(1)).unwrap_or(0);
            return offset
                .saturating_add(line.char_indices().nth(col).map_or(line.len(), |(b, _)| b));
        }
        offset = offset.saturating_add(line.len());
    }
    offset
}

/// Where the parts of a (possibly unescaped) XML document are in the file.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Spans {
    path: Arc<str>,
    /// The file's text.
    text: Arc<str>,
    /// Where its lines start (every element asks for a line and column).
    lines: Arc<LineIndex>,
    /// The document's own text (the file's, or text unescaped from it).
    doc: Arc<str>,
    map: SpanMap,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
enum SpanMap {
    /// The document is the file's text.
    Identity,
    /// Byte `i` of the document is at byte `table[i]` of the file (one entry past the end).
    Table(Vec<usize>),
    /// Everything is at one place (text decoded from base64, say).
    Fixed(Location),
}

impl Spans {
    /// Spans of a file's own text.
    pub fn file(path: &Arc<str>, text: &Arc<str>) -> Spans {
        Spans {
            path: path.clone(),
            lines: Arc::new(LineIndex::new(text)),
            text: text.clone(),
            doc: text.clone(),
            map: SpanMap::Identity,
        }
    }

    /// Spans of a document cut out of a file's text, byte `i` of `doc` being at byte `table[i]`
    /// of the file (one entry past the end): a string literal in a script, its escapes undone.
    pub fn mapped(path: &Arc<str>, text: &Arc<str>, doc: &str, table: Vec<usize>) -> Spans {
        Spans {
            path: path.clone(),
            lines: Arc::new(LineIndex::new(text)),
            text: text.clone(),
            doc: Arc::from(doc),
            map: SpanMap::Table(table),
        }
    }

    /// Spans of a document that has no positions of its own: everything points at `location`.
    pub fn fixed(location: Location) -> Spans {
        Spans {
            path: location.path.clone(),
            lines: Arc::new(LineIndex::default()),
            text: Arc::from(""),
            doc: Arc::from(""),
            map: SpanMap::Fixed(location),
        }
    }

    fn file_offset(&self, offset: usize) -> Option<usize> {
        match &self.map {
            SpanMap::Identity => Some(offset),
            SpanMap::Table(t) => t.get(offset).or_else(|| t.last()).copied(),
            SpanMap::Fixed(_) => None,
        }
    }

    /// The location of a byte range of the document.
    pub fn at(&self, range: Range<usize>) -> Location {
        if let SpanMap::Fixed(l) = &self.map {
            return l.clone();
        }
        let start = self.file_offset(range.start).unwrap_or(0);
        let end = self.file_offset(range.end).unwrap_or(start).max(start);
        self.lines.location(
            self.path.clone(),
            &self.text,
            start,
            end.saturating_sub(start),
        )
    }

    /// The location of an element's value: its text when it has some, else its start tag.
    pub fn value(&self, node: Node<'_, '_>) -> Location {
        match node.first_child().filter(Node::is_text) {
            Some(t) if !t.text().unwrap_or_default().trim().is_empty() => {
                let r = t.range();
                let raw = t.text().unwrap_or_default();
                // Point at the value itself, without the indentation around it.
                let lead = raw.len().saturating_sub(raw.trim_start().len());
                let start = r.start.saturating_add(lead);
                let len = raw.trim().len();
                self.at(start..start.saturating_add(len).min(r.end.max(start)))
            }
            _ => self.tag(node),
        }
    }

    /// The location of an element's start tag name (`<Name`).
    pub fn tag(&self, node: Node<'_, '_>) -> Location {
        let start = node.range().start;
        let len = node.tag_name().name().len().saturating_add(1);
        self.at(start..start.saturating_add(len))
    }

    /// Spans for the text of `node` (whose unescaped value is `value`) read as a document of
    /// its own: each byte maps through the entity references and CDATA sections of the raw
    /// text. If the raw text does not reproduce `value`, everything points at the element.
    fn unescaped(&self, node: Node<'_, '_>, value: &str) -> Spans {
        let range = node.range();
        let fallback = || Spans {
            map: SpanMap::Fixed(self.at(range.start..range.start)),
            ..self.clone()
        };
        let Some(raw) = self.doc.get(range.clone()) else {
            return fallback();
        };
        let Some((decoded, table)) = unescape_with_offsets(raw) else {
            return fallback();
        };
        if decoded != value {
            return fallback();
        }
        let table: Option<Vec<usize>> = table
            .into_iter()
            .map(|o| self.file_offset(range.start.saturating_add(o)))
            .collect();
        match table {
            Some(t) => Spans {
                doc: Arc::from(value),
                map: SpanMap::Table(t),
                ..self.clone()
            },
            None => fallback(),
        }
    }
}

/// Unescapes raw XML character data (entity and character references, CDATA sections, line-end
/// normalisation) and returns, for each byte of the result, the offset in `raw` it came from,
/// plus one entry for the end.
fn unescape_with_offsets(raw: &str) -> Option<(String, Vec<usize>)> {
    let mut out = String::with_capacity(raw.len());
    let mut table = Vec::with_capacity(raw.len().saturating_add(1));
    let mut rest = raw;
    let mut at = 0usize;
    let push = |out: &mut String, table: &mut Vec<usize>, s: &str, from: usize| {
        for _ in 0..s.len() {
            table.push(from);
        }
        out.push_str(s);
    };
    while let Some(c) = rest.chars().next() {
        if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
            let end = cdata.find("]]>")?;
            let body = cdata.get(..end)?;
            let base = at.saturating_add(9);
            let mut chars = body.char_indices().peekable();
            while let Some((i, ch)) = chars.next() {
                // Line ends are normalised inside CDATA too (XML 1.0 §2.11).
                let ch = match ch {
                    '\r' if chars.peek().is_some_and(|(_, n)| *n == '\n') => continue,
                    '\r' => '\n',
                    other => other,
                };
                let mut buf = [0u8; 4];
                push(
                    &mut out,
                    &mut table,
                    ch.encode_utf8(&mut buf),
                    base.saturating_add(i),
                );
            }
            let consumed = end.saturating_add(12);
            rest = rest.get(consumed..)?;
            at = at.saturating_add(consumed);
            continue;
        }
        let (text, consumed): (String, usize) = match c {
            '&' => {
                let end = rest.find(';')?;
                let name = rest.get(1..end)?;
                let ch = match name {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => {
                        let code = if let Some(hex) = name.strip_prefix("#x") {
                            u32::from_str_radix(hex, 16).ok()?
                        } else {
                            name.strip_prefix('#')?.parse().ok()?
                        };
                        char::from_u32(code)?
                    }
                };
                (ch.to_string(), end.saturating_add(1))
            }
            '\r' => {
                let n = if rest.starts_with("\r\n") { 2 } else { 1 };
                ("\n".to_owned(), n)
            }
            _ => (c.to_string(), c.len_utf8()),
        };
        push(&mut out, &mut table, &text, at);
        rest = rest.get(consumed..)?;
        at = at.saturating_add(consumed);
    }
    table.push(at);
    Some((out, table))
}

/// The text content of an element, comments left out and trimmed: `<A>x<!-- c -->y</A>` is `xy`.
pub(crate) fn text_of(node: Node<'_, '_>) -> String {
    let mut s = String::new();
    for c in node.children().filter(Node::is_text) {
        s.push_str(c.text().unwrap_or_default());
    }
    s.trim().to_owned()
}

/// The first child element with this local name (namespaces vary between Windows versions and
/// published samples, so they are not compared).
pub(crate) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Every child element with this local name.
pub(crate) fn children<'a, 'i>(
    node: Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// `true`/`false` (any case) or `1`/`0`.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// A value and where it is written.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where.
    pub location: Location,
}

/// A child element's value, parsed, with its location.
pub(crate) fn spanned<T>(
    node: Node<'_, '_>,
    name: &str,
    spans: &Spans,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<Spanned<T>> {
    let c = child(node, name)?;
    Some(Spanned {
        value: parse(&text_of(c))?,
        location: spans.value(c),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_maps_every_byte_back() {
        let Some((cdata, _)) = unescape_with_offsets("<![CDATA[a\r\nb\rc]]>") else {
            unreachable!("valid input")
        };
        assert_eq!(cdata, "a\nb\nc");
        let raw = "a&lt;b&#x41;<![CDATA[<x>]]>\r\nz";
        let Some((text, table)) = unescape_with_offsets(raw) else {
            unreachable!("valid input")
        };
        assert_eq!(text, "a<bA<x>\nz");
        assert_eq!(table, vec![0, 1, 5, 6, 21, 22, 23, 27, 29, 30]);
    }

    #[test]
    fn offsets_of_rows_and_columns() {
        assert_eq!(offset_of("ab\ncdé\nf", 2, 3), 5);
        assert_eq!(offset_of("ab\ncdé\nf", 3, 1), 8);
    }
}
