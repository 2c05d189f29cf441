//! PEM files: every armoured block in file order, each handed to the DER parser (certificates,
//! CRLs, PKCS#7) or recorded as key material without decoding it.

use std::sync::Arc;

use super::der::{Expect, parse_blob};
use super::key::{KeyData, KeyKind};
use super::{Artifact, LoadError, LoadProblem, Parsed};
use crate::location::{LineIndex, Location};

/// PEM blocks read from one file at most: a trust store export has a few hundred; the limit
/// bounds the work a crafted file of tiny blocks can cause.
pub(crate) const MAX_BLOCKS: usize = 100_000;

/// Loads a PEM file.
pub(crate) fn load(path: &Arc<str>, bytes: &[u8]) -> Parsed {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let lines = LineIndex::new(&text);
    let at = |offset: usize, len: usize| lines.location(path.clone(), &text, offset, len);
    let mut out = Parsed::default();
    let mut key_blocks: Vec<std::ops::Range<usize>> = Vec::new();
    let mut index = 0u32;
    let mut offset = 0usize;
    let mut found_any = false;
    let mut blocks = 0usize;
    while let Some(rel) = text.get(offset..).and_then(|t| t.find("-----BEGIN ")) {
        let start = offset.saturating_add(rel);
        let line_end = text
            .get(start..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| start.saturating_add(i));
        let header = text.get(start..line_end).unwrap_or("").trim_end();
        let Some(label) = header
            .strip_prefix("-----BEGIN ")
            .and_then(|h| h.strip_suffix("-----"))
        else {
            out.note_with(|| LoadError {
                problem: LoadProblem::MalformedPemBegin,
                location: at(start, 0),
            });
            offset = line_end;
            continue;
        };
        found_any = true;
        blocks = blocks.saturating_add(1);
        if blocks > MAX_BLOCKS {
            out.note_with(|| LoadError {
                problem: LoadProblem::TooManyPemBlocks { limit: MAX_BLOCKS },
                location: at(start, 0),
            });
            break;
        }
        let end_marker = format!("-----END {label}-----");
        let Some(end_rel) = text.get(line_end..).and_then(|t| t.find(&end_marker)) else {
            out.note_with(|| LoadError {
                problem: LoadProblem::UnterminatedPem {
                    label: label.to_owned(),
                },
                location: at(start, 0),
            });
            break;
        };
        let end = line_end
            .saturating_add(end_rel)
            .saturating_add(end_marker.len());
        let block = text.get(start..end).unwrap_or("");
        let location = {
            let mut l = at(start, block.len());
            l.container_index = Some(index);
            l
        };
        index = index.saturating_add(1);
        offset = end;

        if let Some(kind) = KeyKind::from_pem_label(label) {
            // Key material is located, never decoded, and blanked in the text kept for reports.
            key_blocks.push(line_end..end.saturating_sub(end_marker.len()));
            let kind = if block.contains("Proc-Type: 4,ENCRYPTED") {
                KeyKind::LegacyEncrypted
            } else {
                kind
            };
            out.artifacts
                .push(Artifact::Key(KeyData { kind, location }));
            continue;
        }
        let expect = match label {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => Expect::Certificate,
            "X509 CRL" => Expect::Crl,
            "PKCS7" | "CMS" => Expect::Pkcs7,
            _ => continue,
        };
        let line = location.line.unwrap_or(0);
        // Blank lines inside a body without RFC 1421 headers are tolerated, as certutil does;
        // the pem crate would read them as the end of a header section.
        let compact;
        let block = if block.contains(':') || !block.lines().any(|l| l.trim().is_empty()) {
            block
        } else {
            compact = block
                .lines()
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            compact.as_str()
        };
        let der = match pem::parse(block) {
            Ok(p) if p.contents().is_empty() => Err("is empty".to_owned()),
            Ok(p) => Ok(p.into_contents()),
            Err(e) => Err(format!("does not decode: {e}")),
        };
        let der = match der {
            Ok(der) => der,
            Err(what) => {
                out.note(LoadError {
                    problem: LoadProblem::BadPemBody {
                        label: label.to_owned(),
                        line,
                        what: what.to_string(),
                    },
                    location,
                });
                continue;
            }
        };
        let locate = |_: std::ops::Range<usize>, i: Option<u32>| Location {
            container_index: i.or(location.container_index),
            ..location.clone()
        };
        let mut inner = Parsed::default();
        let used = parse_blob(&der, &locate, expect, &mut inner);
        // OpenSSL's TRUSTED CERTIFICATE carries trust settings after the certificate by design.
        if let Some(used) = used
            && used < der.len()
            && label != "TRUSTED CERTIFICATE"
        {
            inner.note(LoadError {
                problem: LoadProblem::TrailingDataInBlock {
                    extra: der.len().saturating_sub(used),
                },
                location: location.clone(),
            });
        }
        out.artifacts.append(&mut inner.artifacts);
        if let Some(mut e) = inner.problem {
            e.problem = LoadProblem::InPemBlock {
                label: label.to_owned(),
                line,
                inner: Box::new(e.problem),
            };
            out.note(e);
        }
    }
    if !found_any && out.problem.is_none() {
        out.note(LoadError::in_text(path, &text, 0, LoadProblem::NoPemBlock));
    }
    out.text = Some(Arc::from(redact(text, &key_blocks)));
    out
}

/// Replaces every character of the key blocks' bodies but line ends with `*`, keeping byte
/// offsets: reports quote this text, and it must never hold key material.
fn redact(text: String, blocks: &[std::ops::Range<usize>]) -> String {
    if blocks.is_empty() {
        return text;
    }
    let mut bytes = text.into_bytes();
    for r in blocks {
        for b in bytes.get_mut(r.clone()).into_iter().flatten() {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b'*';
            }
        }
    }
    // Every byte in the blocks became ASCII, and block bounds are ASCII line ends or markers,
    // so the result is UTF-8; the lossy decode only guards that invariant.
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Whether `window` (the start of a file) has a line that is exactly PEM armour
/// (`-----BEGIN LABEL-----`). A JSON or Markdown file that quotes PEM inline has no such line
/// and is not PEM.
pub(crate) fn sniff(window: &[u8]) -> bool {
    window.split(|b| *b == b'\n').any(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        line.strip_prefix(b"-----BEGIN ")
            .and_then(|rest| rest.strip_suffix(b"-----"))
            .is_some_and(|label| {
                !label.is_empty()
                    && label
                        .iter()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b' ')
            })
    })
}
