//! Text from scanned files on its way to a terminal or a log: file names, certificate subjects,
//! profile names. Any of them can carry control characters — ESC sequences that clear a screen
//! or set a window title, a line break followed by `::error` that a GitHub Actions log reads as
//! a command, bidirectional overrides that reorder what a reviewer sees. Each such character is
//! shown as `\u{…}` instead, in every output format, so what is printed is what is there.

use std::borrow::Cow;
use std::sync::Arc;

/// `s` with every control character (C0, DEL, C1) and bidirectional formatting character
/// written as `\u{hex}`; borrowed when there is none.
pub(crate) fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().saturating_add(8));
    for c in s.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`printable`] line by line: the line breaks of a multi-line text (an entity's summary) are
/// kept, every other control character is escaped.
pub(crate) fn printable_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| needs_escape(c) && c != '\n') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.split('\n').map(printable).collect::<Vec<_>>().join("\n"))
}

/// `text` (a file's content, for report snippets) with each byte of every control or
/// bidirectional formatting character but tab and line ends replaced by `?`: byte offsets, lines
/// and columns stay where the findings point.
pub(crate) fn masked(text: Arc<str>) -> Arc<str> {
    // Printable ASCII, tab and line ends: nothing to mask (a byte scan, most files' case).
    if text
        .bytes()
        .all(|b| matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r'))
    {
        return text;
    }
    if !text
        .chars()
        .any(|c| needs_escape(c) && !matches!(c, '\t' | '\n' | '\r'))
    {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if needs_escape(c) && !matches!(c, '\t' | '\n' | '\r') {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Arc::from(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_shown_not_obeyed() {
        assert!(matches!(printable("Contoso Root CA"), Cow::Borrowed(_)));
        assert_eq!(
            printable("x\n::error file=INJECTED.cer::owned\u{1b}[2J\u{7}\u{9b}\u{202e}"),
            "x\\u{a}::error file=INJECTED.cer::owned\\u{1b}[2J\\u{7}\\u{9b}\\u{202e}"
        );
        assert_eq!(printable("tab\tand\u{7f}"), "tab\\u{9}and\\u{7f}");
    }

    #[test]
    fn a_summary_keeps_its_lines() {
        assert_eq!(
            printable_lines("subject: CN=a\u{1b}b\nrole: leaf"),
            "subject: CN=a\\u{1b}b\nrole: leaf"
        );
    }

    #[test]
    fn masked_text_keeps_every_offset() {
        let text: Arc<str> = Arc::from("a\u{1b}[2J\tb\r\n\u{9b}c\u{202e}d\n");
        let m = masked(text.clone());
        assert_eq!(m.len(), text.len());
        assert_eq!(&*m, "a?[2J\tb\r\n??c???d\n");
    }
}
