//! PEM files: every armoured block in file order, each handed to the DER parser (certificates,
//! CRLs, PKCS#7) or recorded as key material without decoding it.

use std::sync::Arc;

use rayon::prelude::*;

use super::der::{Expect, parse_blob};
use super::key::{KeyData, KeyKind};
use super::{Artifact, LoadError, LoadProblem, Parsed};
use crate::location::{LineIndex, Location};

/// PEM blocks read from one file at most: a trust store export has a few hundred; the limit
/// bounds the work a crafted file of tiny blocks can cause.
pub(crate) const MAX_BLOCKS: usize = 100_000;

/// Loads a PEM file.
pub(crate) fn load(path: &Arc<str>, bytes: &[u8]) -> Parsed {
    // Borrowed when the file is UTF-8 (every PEM file is ASCII): the text is copied only if
    // the report has to keep it.
    let text = String::from_utf8_lossy(bytes);
    let lines = LineIndex::new(&text);
    let at = |offset: usize, len: usize| lines.location(path.clone(), &text, offset, len);
    let mut out = Parsed::default();
    let mut key_blocks: Vec<std::ops::Range<usize>> = Vec::new();
    let mut index = 0u32;
    let mut offset = 0usize;
    let mut found_any = false;
    let mut blocks = 0usize;
    let mut found: Vec<Found<'_>> = Vec::new();
    let mut problem_found = false;
    while let Some(rel) = text.get(offset..).and_then(|t| t.find("-----BEGIN ")) {
        let start = offset.saturating_add(rel);
        let line_end = text
            .get(start..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| start.saturating_add(i));
        // The label ends at the next five dashes, wherever the line ends: a block may be written
        // on one line (`-----BEGIN PRIVATE KEY-----MIG…-----END PRIVATE KEY-----`), and a key
        // in it must still be recognised as a key, never quoted as a malformed label.
        let label_start = start.saturating_add("-----BEGIN ".len());
        let label = text
            .get(label_start..line_end)
            .and_then(|h| h.find("-----"))
            .and_then(|i| text.get(label_start..label_start.saturating_add(i)))
            .filter(|l| is_label(l.as_bytes()));
        let Some(label) = label else {
            if !problem_found {
                problem_found = true;
                found.push(Found::Problem(LoadError {
                    problem: LoadProblem::MalformedPemBegin,
                    location: at(start, 0),
                }));
            }
            offset = line_end;
            continue;
        };
        let header_end = label_start
            .saturating_add(label.len())
            .saturating_add("-----".len());
        found_any = true;
        blocks = blocks.saturating_add(1);
        if blocks > MAX_BLOCKS {
            found.push(Found::Problem(LoadError {
                problem: LoadProblem::TooManyPemBlocks { limit: MAX_BLOCKS },
                location: at(start, 0),
            }));
            break;
        }
        let end_marker = format!("-----END {label}-----");
        let Some(end_rel) = text.get(header_end..).and_then(|t| t.find(&end_marker)) else {
            found.push(Found::Problem(LoadError {
                problem: LoadProblem::UnterminatedPem {
                    label: label.to_owned(),
                },
                location: at(start, 0),
            }));
            break;
        };
        let end = header_end
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
            key_blocks.push(header_end..end.saturating_sub(end_marker.len()));
            let kind = if block.contains("Proc-Type: 4,ENCRYPTED") {
                KeyKind::LegacyEncrypted
            } else {
                kind
            };
            found.push(Found::Key(KeyData { kind, location }));
            continue;
        }
        let expect = match label {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => Expect::Certificate,
            "X509 CRL" => Expect::Crl,
            "PKCS7" | "CMS" => Expect::Pkcs7,
            _ => continue,
        };
        found.push(Found::Block {
            label,
            block,
            header: header_end.saturating_sub(start),
            end_marker,
            location,
            expect,
        });
    }
    // Decoding is most of the work, and each block's is its own: a CA's export of tens of
    // thousands of certificates in one file is decoded on every thread, in file order.
    let decoded: Vec<Decoded> = found
        .into_par_iter()
        .with_min_len(64)
        .map(|f| match f {
            Found::Key(k) => (vec![Artifact::Key(k)], None),
            Found::Problem(e) => (Vec::new(), Some(e)),
            Found::Block {
                label,
                block,
                header,
                end_marker,
                location,
                expect,
            } => decode(label, block, header, &end_marker, location, expect),
        })
        .collect();
    for (mut artifacts, problem) in decoded {
        out.artifacts.append(&mut artifacts);
        if let Some(e) = problem {
            out.note(e);
        }
    }
    if !found_any && out.problem.is_none() {
        out.note(LoadError::in_text(path, &text, 0, LoadProblem::NoPemBlock));
    }
    // Key material is blanked in the text kept for reports.
    out.text = Some(super::file_text::of_pem(&text, &out.artifacts, || {
        super::text::blank(Arc::from(&*text), &key_blocks)
    }));
    out
}

/// What the scan of the armour found, in file order; blocks are decoded afterwards.
enum Found<'t> {
    Key(KeyData),
    Block {
        label: &'t str,
        /// The whole block, armour included.
        block: &'t str,
        /// Where its body starts, from the block's start.
        header: usize,
        end_marker: String,
        location: Location,
        expect: Expect,
    },
    Problem(LoadError),
}

/// What one block decoded to, and its problem.
type Decoded = (Vec<Artifact>, Option<LoadError>);

/// Decodes one armoured block (`block`, armour included) of certificates, a CRL or PKCS#7.
fn decode(
    label: &str,
    block: &str,
    header: usize,
    end_marker: &str,
    location: Location,
    expect: Expect,
) -> Decoded {
    let line = location.line.unwrap_or(0);
    // Blank lines inside a body without RFC 1421 headers are tolerated, as certutil does;
    // the pem crate would read them as the end of a header section.
    let compact;
    let block = if !block.contains('\n') {
        // One line: the armour on lines of its own, as the pem crate reads it.
        compact = format!(
            "-----BEGIN {label}-----\n{}\n{end_marker}",
            block
                .get(header..block.len().saturating_sub(end_marker.len()))
                .unwrap_or("")
                .trim()
        );
        compact.as_str()
    } else if block.contains(':') || !block.lines().any(|l| l.trim().is_empty()) {
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
            let e = LoadError {
                problem: LoadProblem::BadPemBody {
                    label: label.to_owned(),
                    line,
                    what: what.to_string(),
                },
                location,
            };
            return (Vec::new(), Some(e));
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
    let problem = inner.problem.map(|mut e| {
        e.problem = LoadProblem::InPemBlock {
            label: label.to_owned(),
            line,
            inner: Box::new(e.problem),
        };
        e
    });
    (inner.artifacts, problem)
}

/// Whether `window` (the start of a file) has a line that is exactly PEM armour
/// (`-----BEGIN LABEL-----`). A JSON or Markdown file that quotes PEM inline has no such line
/// and is not PEM.
pub(crate) fn sniff(window: &[u8]) -> bool {
    window.split(|b| *b == b'\n').any(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        line.strip_prefix(b"-----BEGIN ").is_some_and(|rest| {
            // `LABEL-----`, then the end of the line or (a one-line block) the body.
            rest.windows(5)
                .position(|w| w == b"-----")
                .and_then(|i| rest.get(..i))
                .is_some_and(is_label)
        })
    })
}

/// A PEM label as written in practice: upper-case letters, digits and spaces, at most 64 bytes
/// (`CERTIFICATE`, `X509 CRL`, `ENCRYPTED PRIVATE KEY`).
fn is_label(label: &[u8]) -> bool {
    !label.is_empty()
        && label.len() <= 64
        && label
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b' ')
}
