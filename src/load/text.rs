//! Text files' bytes to text: a BOM decides (UTF-8, UTF-16LE as regedit and Windows PowerShell
//! write, UTF-16BE); without one, UTF-8, else the fallback the format allows.

use std::sync::Arc;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::{LoadError, LoadProblem, Parsed};

/// What to do with BOM-less bytes that are not UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fallback {
    /// Read them as Windows-1252 (`.reg` files in the ANSI code page).
    Ansi,
    /// Report the first invalid byte (XML and JSON default to UTF-8).
    Utf8Only,
}

/// Decodes the file's bytes to text, honouring the BOM. Errors carry a byte offset.
pub(crate) fn decode(bytes: &[u8], fallback: Fallback) -> Result<String, (usize, String)> {
    if bytes.is_empty() {
        return Err((0, "empty file".to_owned()));
    }
    let (body, encoding) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (rest, Some(UTF_16LE)),
        [0xFE, 0xFF, rest @ ..] => (rest, Some(UTF_16BE)),
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            return std::str::from_utf8(rest).map(str::to_owned).map_err(|e| {
                (
                    e.valid_up_to().saturating_add(3),
                    format!(
                        "invalid UTF-8 at byte {}",
                        e.valid_up_to().saturating_add(3)
                    ),
                )
            });
        }
        _ => (bytes, None),
    };
    match encoding {
        Some(enc) => {
            if body.len() % 2 != 0 {
                return Err((
                    bytes.len().saturating_sub(1),
                    format!(
                        "UTF-16 file has an odd number of bytes ({}); the last byte is cut off",
                        bytes.len()
                    ),
                ));
            }
            enc.decode_without_bom_handling_and_without_replacement(body)
                .map(|c| c.into_owned())
                .ok_or((2, format!("invalid {} (unpaired surrogate)", enc.name())))
        }
        None => match (std::str::from_utf8(bytes), fallback) {
            (Ok(s), _) => Ok(s.to_owned()),
            // 1252 is the common ANSI code page; every byte sequence decodes.
            (Err(_), Fallback::Ansi) => Ok(WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned()),
            (Err(e), Fallback::Utf8Only) => Err((
                e.valid_up_to(),
                format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            )),
        },
    }
}

/// Decodes a text file for a loader; a file that does not decode is noted in `out` (with the
/// byte offset) and yields `None`.
pub(crate) fn decode_or_note(
    path: &Arc<str>,
    bytes: &[u8],
    fallback: Fallback,
    out: &mut Parsed,
) -> Option<Arc<str>> {
    match decode(bytes, fallback) {
        Ok(t) => Some(Arc::from(t)),
        Err((offset, message)) => {
            out.note(LoadError::at_offset(
                path,
                offset,
                LoadProblem::NotText(message),
            ));
            None
        }
    }
}

/// Names whose values are secrets: a member or value named so has its value blanked in the text
/// kept for report snippets (RADIUS shared secrets, Wi-Fi pre-shared keys, passwords).
const SECRET_NAMES: [&str; 6] = [
    "secret",
    "password",
    "passwd",
    "presharedkey",
    "psk",
    // WLANProfile's sharedKey/keyMaterial: the Wi-Fi passphrase.
    "keymaterial",
];

/// Whether a member or value name looks like it holds a secret.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_NAMES.iter().any(|n| name.contains(n))
}

/// `text` with every byte of `ranges` but line ends replaced by `*` (offsets unchanged).
pub(crate) fn blank(text: Arc<str>, ranges: &[std::ops::Range<usize>]) -> Arc<str> {
    if ranges.is_empty() {
        return text;
    }
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for b in bytes.get_mut(r.clone()).into_iter().flatten() {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b'*';
            }
        }
    }
    // Ranges start and end at ASCII bytes (JSON values, PEM markers and line ends), so
    // whole characters were replaced: still UTF-8; the lossy decode only guards that.
    Arc::from(String::from_utf8_lossy(&bytes).as_ref())
}

/// The text reports may quote: `text` with the value of every `name = value` or `name: value`
/// whose name looks secret replaced by `*` byte for byte (offsets, lines and columns unchanged),
/// and, when `broken_line_at` is given, the value part of the line holding that byte offset
/// too, or all of it when it has no separator (a line that did not parse may hold a secret
/// under any name). Comment lines are kept.
pub(crate) fn redact_secrets(text: Arc<str>, broken_line_at: Option<usize>) -> Arc<str> {
    let mut bytes: Option<Vec<u8>> = None;
    let mut start = 0usize;
    for line in text.split_inclusive('\n') {
        let end = start.saturating_add(line.len());
        let trimmed = line.trim_start();
        let comment = ["#", ";", "//", "<"].iter().any(|c| trimmed.starts_with(c));
        let broken = broken_line_at.is_some_and(|at| (start..end).contains(&at));
        let sep = line.find(['=', ':']);
        let value_from = match sep {
            Some(sep) if !comment && is_secret_name(line.get(..sep).unwrap_or_default()) => {
                Some(sep.saturating_add(1))
            }
            // A broken line: its value part, or all of it when it has none.
            _ if broken => Some(sep.map_or(line.len().saturating_sub(trimmed.len()), |s| {
                s.saturating_add(1)
            })),
            _ => None,
        };
        if let Some(from) = value_from {
            let b = bytes.get_or_insert_with(|| text.as_bytes().to_vec());
            for byte in b
                .get_mut(start.saturating_add(from)..end)
                .into_iter()
                .flatten()
            {
                if !matches!(*byte, b'\n' | b'\r') {
                    *byte = b'*';
                }
            }
        }
        start = end;
    }
    match bytes {
        // Whole characters after an ASCII separator became ASCII: still UTF-8.
        Some(b) => Arc::from(String::from_utf8_lossy(&b).as_ref()),
        None => text,
    }
}

/// The text reports may quote from an XML file: the content of every element whose name looks
/// secret (`keyMaterial`, `Password`, `PreSharedKey`…) replaced by `*` byte for byte, in plain
/// markup and in markup escaped inside another document (`&lt;keyMaterial&gt;`, SyncML).
/// One pass, offsets unchanged.
pub(crate) fn redact_xml_secrets(text: Arc<str>) -> Arc<str> {
    let ranges: Vec<_> = xml_secret_elements(&text)
        .into_iter()
        .map(|e| e.content)
        .collect();
    blank(text, &ranges)
}

/// An element of XML text whose name looks secret: where its name and its content are.
#[derive(Debug, Clone)]
pub(crate) struct SecretElement {
    /// The element's name, prefix included, as a byte range of the text.
    pub name: std::ops::Range<usize>,
    /// Its content up to the next tag, as a byte range of the text.
    pub content: std::ops::Range<usize>,
}

/// Every element of `text` whose local name looks secret, found by a scan of the markup (plain
/// and escaped), not a parse: it also finds them in a document that is cut short or broken.
/// Self-closing elements hold nothing and are left out. One pass.
pub(crate) fn xml_secret_elements(text: &str) -> Vec<SecretElement> {
    let t = text.as_bytes();
    let mut found_elements = Vec::new();
    let mut i = 0;
    while let Some(found) = t
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<' || b == b'&'))
    {
        let at = i + found;
        let open = if t.get(at) == Some(&b'<') {
            1
        } else if t.get(at..at + 4) == Some(b"&lt;") {
            4
        } else {
            0
        };
        i = at + 1;
        if open == 0 {
            continue;
        }
        let name_start = at + open;
        let name_len = t
            .get(name_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-'))
            .count();
        let name = text
            .get(name_start..name_start + name_len)
            .unwrap_or_default();
        let local = name.rsplit(':').next().unwrap_or(name);
        if local.is_empty() || !is_secret_name(local) {
            continue;
        }
        // The end of the start tag (`>`, or `&gt;` when escaped); a self-closing one holds
        // nothing. Its content runs to the next tag (`<`, or `&lt;`).
        let (tag_close, next_tag): (&[u8], &[u8]) = if open == 1 {
            (b">", b"<")
        } else {
            (b"&gt;", b"&lt;")
        };
        let after_name = name_start + name_len;
        let Some(close) = find(t, after_name, tag_close) else {
            break;
        };
        if close > 0 && t.get(close - 1) == Some(&b'/') {
            // Past the tag: no byte is searched twice, however many tags there are.
            i = close + tag_close.len();
            continue;
        }
        let content_start = close + tag_close.len();
        let content_end = find(t, content_start, next_tag).unwrap_or(t.len());
        found_elements.push(SecretElement {
            name: name_start..after_name,
            content: content_start..content_end,
        });
        i = content_end;
    }
    found_elements
}

/// The first occurrence of `needle` in `hay` at or after `from`.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The first `max` bytes of a file as text, lossily: UTF-16 by its BOM, else UTF-8. For
/// sniffing only: the loaders decode with [`decode_or_note`].
pub(crate) fn head(bytes: &[u8], max: usize) -> String {
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16_head(rest, max, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16_head(rest, max, u16::from_be_bytes),
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            String::from_utf8_lossy(rest.get(..max).unwrap_or(rest)).into_owned()
        }
        _ => String::from_utf8_lossy(bytes.get(..max).unwrap_or(bytes)).into_owned(),
    }
}

fn utf16_head(body: &[u8], max: usize, unit: fn([u8; 2]) -> u16) -> String {
    let n = body.len().min(max) & !1;
    let units = body.get(..n).unwrap_or_default().chunks_exact(2).map(|c| {
        unit([
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
        ])
    });
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_are_blanked_in_place() {
        let text: Arc<str> = Arc::from(
            "[HKLM\\X]\r\n\"SharedSecret\"=\"hunter2\"\r\n\"Other\"=dword:1\r\n; a comment: Secret=kept\r\nbroken line=oops\r\n",
        );
        let at = text.find("broken").unwrap_or_default();
        let out = redact_secrets(text.clone(), Some(at));
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("hunter2") && !out.contains("oops"), "{out}");
        assert!(
            out.contains("\"Other\"=dword:1") && out.contains("Secret=kept"),
            "{out}"
        );
        assert!(out.contains("\"SharedSecret\"=*********\r\n"), "{out}");
        let json: Arc<str> = Arc::from(
            "{\n  \"preSharedKey\": \"abc\",\n  \"authenticationMethod\": \"usernameAndPassword\"\n}",
        );
        let out = redact_secrets(json, None);
        assert!(
            !out.contains("abc") && out.contains("usernameAndPassword"),
            "{out}"
        );
    }
}
