//! PowerShell scripts that deploy an Always On VPN profile: `VPN_Profile.ps1` as Microsoft's
//! MakeProfile.ps1 generates it, and the hand-written scripts derived from it. The ProfileXML is
//! a string literal assigned to `$ProfileXML`; `$ProfileName` names the connection. Scripts are
//! often saved as UTF-16LE (PowerShell ISE's default), which the text decoding honours.
//!
//! Only string literals are read: single-quoted (`''` is a quote), double-quoted (taken as
//! written: a profile with `$variables` in it cannot be known statically), and here-strings
//! (`@'…'@`, `@"…"@`). Every position inside points at the file, escapes undone.

use std::sync::Arc;

use super::text::{Fallback, decode_or_note};
use super::xml::Spans;
use super::{Artifact, LoadError, LoadProblem, Parsed, profile_xml};

/// Whether `head` (the start of a file, trimmed) is a script that assigns a ProfileXML.
pub(crate) fn sniff(head: &str) -> bool {
    let lower = head.to_ascii_lowercase();
    lower.contains("$profilexml")
        && (lower.contains("<vpnprofile") || lower.contains("&lt;vpnprofile"))
}

/// Loads a script: the profile of each `$ProfileXML = <string literal>` assignment.
pub(crate) fn load(path: &Arc<str>, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    let Some(text) = decode_or_note(path, bytes, Fallback::Utf8Only, &mut out) else {
        return out;
    };
    let name = assigned_string(&text, "$profilename").map(|(s, _)| s);
    let mut found = 0usize;
    let mut at = 0usize;
    while let Some((literal, table, next)) = assignment(&text, "$profilexml", at) {
        at = next;
        let spans = Spans::mapped(path, &text, &literal, table);
        let first = out.artifacts.len();
        found = found.saturating_add(profile_xml::load_cut(&literal, &spans, &mut out));
        for a in out.artifacts.get_mut(first..).into_iter().flatten() {
            if let Artifact::VpnProfile(p) = a {
                p.source = "PowerShell script";
                if p.name.is_none() {
                    p.name.clone_from(&name);
                }
            }
        }
    }
    if found == 0 && out.problem.is_none() {
        out.note(LoadError::in_text(path, &text, 0, LoadProblem::NoProfile));
    }
    out.text = Some(super::FileText::Decoded(super::text::redact_xml_secrets(
        text,
    )));
    out
}

/// The first string literal assigned to `variable` (lower case, with its `$`): its value.
fn assigned_string(text: &str, variable: &str) -> Option<(String, Vec<usize>)> {
    assignment(text, variable, 0).map(|(s, t, _)| (s, t))
}

/// The next `variable = <string literal>` at or after byte `from` of `text`: the literal's value,
/// for each of its bytes the offset in `text` it came from (one entry past the end), and where
/// to look for the next assignment.
fn assignment(text: &str, variable: &str, from: usize) -> Option<(String, Vec<usize>, usize)> {
    let lower = text.to_ascii_lowercase();
    let mut search = from;
    loop {
        let start = lower.get(search..)?.find(variable)?.saturating_add(search);
        let after = start.saturating_add(variable.len());
        search = after;
        // `$ProfileXMLEscaped` is another variable: the name must end here.
        if lower
            .get(after..)
            .and_then(|r| r.chars().next())
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = text.get(after..)?;
        let trimmed = rest.trim_start_matches([' ', '\t']);
        let Some(value) = trimmed.strip_prefix('=') else {
            continue;
        };
        let value_at = text.len().saturating_sub(value.len());
        let value = value.trim_start_matches([' ', '\t']);
        let literal_at = text.len().saturating_sub(value.len());
        if let Some((s, table, end)) = literal(value) {
            let table = table
                .into_iter()
                .map(|o| o.saturating_add(literal_at))
                .collect();
            return Some((s, table, end.saturating_add(literal_at)));
        }
        search = value_at;
    }
}

/// A PowerShell string literal at the start of `s`: its value, the offset in `s` of each value
/// byte (one entry past the end), and the offset just past the literal.
fn literal(s: &str) -> Option<(String, Vec<usize>, usize)> {
    let (open, close, doubled) = if s.starts_with("@'") {
        ("@'", "'@", None)
    } else if s.starts_with("@\"") {
        ("@\"", "\"@", None)
    } else if s.starts_with('\'') {
        ("'", "'", Some('\''))
    } else if s.starts_with('"') {
        ("\"", "\"", Some('"'))
    } else {
        return None;
    };
    let mut value = String::new();
    let mut table = Vec::new();
    let mut i = open.len();
    if doubled.is_none() {
        // A here-string's text starts on the line after its opening.
        i = s.get(i..)?.find('\n')?.saturating_add(i).saturating_add(1);
    }
    while let Some(c) = s.get(i..).and_then(|r| r.chars().next()) {
        let width = c.len_utf8();
        match doubled {
            Some(q) if c == q => {
                let next = s
                    .get(i.saturating_add(width)..)
                    .and_then(|r| r.chars().next());
                if next == Some(q) {
                    // `''` (or `""`) is one quote.
                    table.push(i);
                    value.push(q);
                    i = i.saturating_add(width.saturating_mul(2));
                    continue;
                }
                table.push(i);
                return Some((value, table, i.saturating_add(width)));
            }
            None if s.get(i..)?.starts_with(close) && here_string_end(s, i) => {
                // The newline before the closing `'@` is not part of the value.
                if value.ends_with('\n') {
                    value.pop();
                    table.pop();
                    if value.ends_with('\r') {
                        value.pop();
                        table.pop();
                    }
                }
                table.push(i);
                return Some((value, table, i.saturating_add(close.len())));
            }
            _ => {
                for k in 0..width {
                    table.push(i.saturating_add(k));
                }
                value.push(c);
                i = i.saturating_add(width);
            }
        }
    }
    None
}

/// A here-string closes only at the start of a line.
fn here_string_end(s: &str, i: usize) -> bool {
    i == 0 || s.get(..i).is_some_and(|b| b.ends_with('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_undo_their_escapes_and_keep_their_places() {
        let s = "'it''s <VPNProfile/>' # done";
        let got = literal(s);
        assert_eq!(
            got.as_ref().map(|(v, _, _)| v.as_str()),
            Some("it's <VPNProfile/>")
        );
        let (v, table, end) = got.unwrap_or_default();
        assert_eq!(table.len(), v.len().saturating_add(1));
        assert_eq!(s.get(end..), Some(" # done"));
        // The doubled quote stands at the first of the pair; the letter after it, past both.
        assert_eq!((table.get(2), table.get(3)), (Some(&3), Some(&5)));

        let here = "@'\r\n<VPNProfile>\r\n</VPNProfile>\r\n'@\r\nnext";
        let (v, _, end) = literal(here).unwrap_or_default();
        assert_eq!(v, "<VPNProfile>\r\n</VPNProfile>");
        assert_eq!(here.get(end..), Some("\r\nnext"));
    }

    #[test]
    fn the_assignment_is_found_by_its_exact_name() {
        let text = "$ProfileXMLEscaped = 'no'\n$ProfileXML = '<VPNProfile/>'\n";
        assert_eq!(
            assignment(text, "$profilexml", 0).map(|(v, _, _)| v),
            Some("<VPNProfile/>".to_owned())
        );
    }
}
