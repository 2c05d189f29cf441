//! The text a report shows of a file (snippets, SARIF regions, inline ignores), and how it is
//! kept: decoded, or — for a PEM file that is exactly the armour of its certificates and CRLs —
//! not at all, rebuilt from their DER when a finding needs it. A scan of a CA's issued
//! certificates held every PEM file twice (text and DER) until the end of the scan; most such
//! files are what OpenSSL or certutil writes, and those are rebuilt byte for byte.

use std::sync::Arc;

use super::Artifact;

/// The text kept for a file's snippets.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum FileText {
    /// The decoded text: control characters masked, secrets and key material blanked.
    Decoded(Arc<str>),
    /// Exactly the canonical PEM armour of the file's certificates and CRLs, in file order
    /// ([`canonical_pem`]), each line ended by CR LF when `crlf`: rebuilt from their DER.
    CanonicalPem {
        /// Lines end with CR LF (certutil), not LF (OpenSSL).
        crlf: bool,
    },
}

/// A file's text as the scan keeps it until the report: decoded, or the DER of the blocks it
/// is the canonical armour of (shared with the certificates and CRLs, not copied).
#[derive(Debug, Clone)]
pub enum SourceText {
    /// The decoded text.
    Decoded(Arc<str>),
    /// Canonical PEM of these blocks (label, DER), in file order.
    Pem {
        /// The blocks, in file order.
        blocks: Vec<(&'static str, Arc<[u8]>)>,
        /// Lines end with CR LF.
        crlf: bool,
    },
}

impl SourceText {
    /// What a file loaded as keeps for its report, given its artifacts (in file order).
    pub(crate) fn of(text: FileText, artifacts: &[Artifact]) -> SourceText {
        match text {
            FileText::Decoded(t) => SourceText::Decoded(t),
            FileText::CanonicalPem { crlf } => SourceText::Pem {
                blocks: artifacts
                    .iter()
                    .filter_map(pem_block)
                    .map(|(label, der)| (label, der.clone()))
                    .collect(),
                crlf,
            },
        }
    }

    /// The text itself.
    pub fn text(&self) -> Arc<str> {
        match self {
            SourceText::Decoded(t) => t.clone(),
            SourceText::Pem { blocks, crlf } => Arc::from(canonical_pem(
                blocks.iter().map(|(label, der)| (*label, &**der)),
                *crlf,
            )),
        }
    }
}

/// A certificate's or CRL's PEM label and DER; `None` for other artifacts.
fn pem_block(artifact: &Artifact) -> Option<(&'static str, &Arc<[u8]>)> {
    match artifact {
        Artifact::Certificate(c) => Some(("CERTIFICATE", &c.der)),
        Artifact::Crl(c) => Some(("X509 CRL", &c.der)),
        _ => None,
    }
}

/// The armour the pem crate writes (as OpenSSL and certutil do): `-----BEGIN label-----`, the
/// base64 in lines of 64, `-----END label-----`, every line ended, blocks one after the other.
pub(crate) fn canonical_pem<'a>(
    blocks: impl Iterator<Item = (&'static str, &'a [u8])>,
    crlf: bool,
) -> String {
    let line_ending = if crlf {
        pem::LineEnding::CRLF
    } else {
        pem::LineEnding::LF
    };
    let config = pem::EncodeConfig::new().set_line_ending(line_ending);
    blocks
        .map(|(label, der)| pem::encode_config(&pem::Pem::new(label, der), config))
        .collect()
}

/// How a PEM file's text is kept: `CanonicalPem` when `text` is exactly the canonical armour
/// of `artifacts` (every one a certificate or CRL), else the text `decoded` makes (only then
/// copied). The comparison encodes 48 bytes of DER at a time on the stack: a CA's export of a
/// million certificates is checked without allocating.
pub(crate) fn of_pem(
    text: &str,
    artifacts: &[Artifact],
    decoded: impl FnOnce() -> Arc<str>,
) -> FileText {
    match canonical_line_ending(text, artifacts) {
        Some(crlf) => FileText::CanonicalPem { crlf },
        None => FileText::Decoded(decoded()),
    }
}

/// `Some(crlf)` when `text` is [`canonical_pem`] of `artifacts` with CR LF (or LF) line ends.
fn canonical_line_ending(text: &str, artifacts: &[Artifact]) -> Option<bool> {
    use base64::Engine;
    let first_line = text.get(..text.find('\n')?)?;
    let crlf = first_line.ends_with('\r');
    let eol: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    let strip = |rest: &mut &[u8], part: &[u8]| -> Option<()> {
        *rest = rest.strip_prefix(part)?;
        Some(())
    };
    let mut rest = text.as_bytes();
    if artifacts.is_empty() {
        return None;
    }
    for artifact in artifacts {
        let (label, der) = pem_block(artifact)?;
        let label = label.as_bytes();
        for part in [&b"-----BEGIN "[..], label, b"-----", eol] {
            strip(&mut rest, part)?;
        }
        // 48 bytes are 64 base64 characters, the armour's line.
        let mut line = [0u8; 64];
        for chunk in der.chunks(48) {
            let n = base64::engine::general_purpose::STANDARD
                .encode_slice(chunk, &mut line)
                .ok()?;
            strip(&mut rest, line.get(..n)?)?;
            strip(&mut rest, eol)?;
        }
        for part in [&b"-----END "[..], label, b"-----", eol] {
            strip(&mut rest, part)?;
        }
    }
    rest.is_empty().then_some(crlf)
}

#[cfg(test)]
mod tests {
    use super::{FileText, SourceText, canonical_pem};
    use std::sync::Arc;

    /// Every PEM file of the samples: kept as canonical exactly when its text is rebuilt byte
    /// for byte, and rebuilt to the text a decoded file would keep.
    #[test]
    fn canonical_pem_is_rebuilt_byte_for_byte() -> Result<(), String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut canonical = 0usize;
        let mut decoded = 0usize;
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.map_err(|e| e.to_string())?;
            let bytes = match std::fs::read(entry.path()) {
                Ok(b) if entry.file_type().is_file() => b,
                _ => continue,
            };
            if !super::super::pem::sniff(&bytes) {
                continue;
            }
            let path: Arc<str> = Arc::from(entry.path().display().to_string());
            let parsed = super::super::pem::load(&path, &bytes);
            let Some(kept) = parsed.text else { continue };
            let whole: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes).into_owned());
            match kept {
                FileText::CanonicalPem { .. } => {
                    canonical = canonical.saturating_add(1);
                    let rebuilt = SourceText::of(kept, &parsed.artifacts).text();
                    if rebuilt != whole {
                        return Err(format!("{path}: rebuilt text differs from the file"));
                    }
                }
                FileText::Decoded(_) => {
                    decoded = decoded.saturating_add(1);
                    // Rebuilt by the pem crate, the text differs from the file's: either line
                    // end, or an artifact that is not a certificate or CRL.
                    let blocks: Option<Vec<(&'static str, &[u8])>> = parsed
                        .artifacts
                        .iter()
                        .map(|a| super::pem_block(a).map(|(label, der)| (label, &**der)))
                        .collect();
                    if let Some(blocks) = blocks.filter(|b| !b.is_empty()) {
                        for crlf in [false, true] {
                            if canonical_pem(blocks.iter().copied(), crlf) == *whole {
                                return Err(format!("{path}: canonical, kept decoded"));
                            }
                        }
                    }
                }
            }
        }
        // Both kinds are in the fixtures: OpenSSL's and certutil's armour, and files with
        // comments or keys.
        if canonical == 0 || decoded == 0 {
            return Err(format!(
                "{canonical} canonical and {decoded} other PEM files"
            ));
        }
        Ok(())
    }

    /// tests/report_formats.rs relies on this file (certutil's CR LF armour) being rebuilt.
    #[test]
    fn a_certutil_export_is_rebuilt() -> Result<(), String> {
        let bytes = include_bytes!(
            "../../testdata/scenarios/same-subject-500/certs/woodgrove-rollover-cas.pem"
        );
        let parsed = super::super::pem::load(&Arc::from("rollover.pem"), bytes);
        match parsed.text {
            Some(FileText::CanonicalPem { crlf: true }) => Ok(()),
            other => Err(format!("kept as {other:?}")),
        }
    }

    #[test]
    fn text_around_the_armour_is_kept_decoded() -> Result<(), String> {
        let path: Arc<str> = Arc::from("a.pem");
        let der =
            include_bytes!("../../testdata/scenarios/bridge-mesh/certs/roots/fabrikam-root-ca.cer");
        let armoured = canonical_pem(std::iter::once(("CERTIFICATE", &der[..])), true);
        for (text, canonical) in [
            (armoured.clone(), true),
            (armoured.replace("\r\n", "\n"), true),
            (format!("subject=CN=x\n{armoured}"), false),
            (armoured.trim_end().to_owned(), false),
            (format!("{armoured}\r\n"), false),
        ] {
            let parsed = super::super::pem::load(&path, text.as_bytes());
            let got = matches!(parsed.text, Some(FileText::CanonicalPem { .. }));
            if got != canonical {
                return Err(format!("{text:?}: canonical {got}, expected {canonical}"));
            }
        }
        Ok(())
    }
}
