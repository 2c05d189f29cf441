//! Walking the given paths and deciding, by content first and extension second, what each file is.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file found under one of the scanned paths.
#[derive(Debug, Clone)]
pub struct DiscoveredFile {
    /// Where to read it.
    pub fs_path: PathBuf,
    /// How findings name it: the path as given joined with the path below it, `/`-separated.
    pub display: Arc<str>,
}

/// Something the walk could not do; it becomes an `unparseable-file` finding on that path.
#[derive(Debug, Clone)]
pub struct WalkProblem {
    /// The path as findings name it.
    pub display: Arc<str>,
    /// What went wrong, in words.
    pub message: String,
}

/// The result of walking the scanned paths: files sorted by display path, and problems.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to load, sorted by display path so every later stage sees one order.
    pub files: Vec<DiscoveredFile>,
    /// Walk errors (unreadable directories, symlink loops, missing paths).
    pub problems: Vec<WalkProblem>,
    /// The walk stopped at its file limit.
    pub truncated: bool,
}

/// Walks `paths` without following symlinks (a symlink is neither followed nor read) and skips
/// `.git/`. The order of the result does not depend on the order the file system returns.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    discover_at_most(paths, usize::MAX)
}

/// Like [`discover`], stopping once more than `limit` files were found (`Discovery::truncated`):
/// the walk of a tree far too large is cut short instead of listed whole.
pub fn discover_at_most(paths: &[PathBuf], limit: usize) -> Discovery {
    let mut out = Discovery::default();
    for root in paths {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || e.file_name() != ".git");
        for entry in walker {
            if out.files.len() > limit {
                out.truncated = true;
                return out;
            }
            match entry {
                Ok(e) if e.file_type().is_file() => out.files.push(DiscoveredFile {
                    display: display_path(e.path()),
                    fs_path: e.into_path(),
                }),
                Ok(_) => {}
                Err(err) => {
                    let path = err.path().unwrap_or(root);
                    let message = match (err.loop_ancestor(), err.io_error()) {
                        (Some(anc), _) => {
                            format!("symlink loop back to {}", display_path(anc))
                        }
                        (None, Some(io)) => format!("cannot read: {io}"),
                        (None, None) => err.to_string(),
                    };
                    out.problems.push(WalkProblem {
                        display: display_path(path),
                        message,
                    });
                }
            }
        }
    }
    out.files.sort_by(|a, b| a.display.cmp(&b.display));
    out.files.dedup_by(|a, b| a.display == b.display);
    out.problems.sort_by(|a, b| a.display.cmp(&b.display));
    out
}

/// `/`-separated display form of a path, without a leading `./`.
pub fn display_path(p: &Path) -> Arc<str> {
    let s = p.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s);
    Arc::from(s)
}

/// What a file claims to be. Decided by content when the content says, else by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// A DER-encoded ASN.1 structure: certificate, CRL, PKCS#7 or PKCS#12.
    Der,
    /// PEM armour: any mix of certificates, CRLs, PKCS#7 and keys.
    Pem,
    /// A Windows registry export (`.reg`).
    Registry,
    /// XML holding an Always On VPN ProfileXML or an EAP configuration, plain or escaped inside
    /// another document (MDM SyncML, a PowerShell export).
    Xml,
    /// Microsoft Graph JSON from Intune (`@odata.type` `#microsoft.graph.…`).
    Json,
}

impl FileKind {
    /// The lower-case name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Der => "DER",
            FileKind::Pem => "PEM",
            FileKind::Registry => "registry export",
            FileKind::Xml => "XML",
            FileKind::Json => "JSON",
        }
    }
}

const REG5_HEADER: &str = "Windows Registry Editor";
const REG4_HEADER: &str = "REGEDIT4";
/// PEM armour may follow text such as OpenSSL's "Bag Attributes"; look this far for it.
const PEM_SNIFF_WINDOW: usize = 64 * 1024;

/// Decides what `bytes` (the file's content) is, looking at the content first and at the file
/// name's extension only when the content is not recognised. `None`: not ours, skipped quietly.
pub fn sniff(bytes: &[u8], file_name: &str) -> Option<FileKind> {
    if let Some(kind) = sniff_content(bytes) {
        return Some(kind);
    }
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "cer" | "crt" | "der" | "crl" | "p7b" | "p7c" | "pfx" | "p12" => Some(FileKind::Der),
        "pem" | "key" => Some(FileKind::Pem),
        "reg" => Some(FileKind::Registry),
        _ => None,
    }
}

fn sniff_content(bytes: &[u8]) -> Option<FileKind> {
    // A file that starts with a printable ASCII byte decodes to text that starts with it: then
    // the header checks need no decoding, and binary files (DER starts with 0x30, '0') are not
    // decoded at all. A BOM, UTF-16 or leading white space takes the decoding path.
    let plain_start = bytes.first().copied().filter(|b| b.is_ascii_graphic());
    let registry = match plain_start {
        Some(_) => {
            bytes.starts_with(REG5_HEADER.as_bytes()) || bytes.starts_with(REG4_HEADER.as_bytes())
        }
        None => looks_like_registry(bytes),
    };
    if registry {
        return Some(FileKind::Registry);
    }
    if plain_start.is_none_or(|b| matches!(b, b'<' | b'{' | b'[')) {
        let head = text_head(bytes, PEM_SNIFF_WINDOW);
        let head = head.trim_start();
        if head.starts_with('<') && XML_MARKERS.iter().any(|m| head.contains(m)) {
            return Some(FileKind::Xml);
        }
        if (head.starts_with('{') || head.starts_with('['))
            && head.contains("@odata.type")
            && head.contains("#microsoft.graph.")
        {
            return Some(FileKind::Json);
        }
    }
    let window = bytes.get(..PEM_SNIFF_WINDOW).unwrap_or(bytes);
    if has_pem_begin_line(window) {
        return Some(FileKind::Pem);
    }
    if looks_like_der(bytes) {
        return Some(FileKind::Der);
    }
    None
}

/// A SEQUENCE whose declared length fits the file (trailing bytes are the parser's to report),
/// or a BER SEQUENCE of indefinite length. Text that merely starts with `0` is not DER.
fn looks_like_der(bytes: &[u8]) -> bool {
    let (len, header) = match bytes {
        [0x30, 0x80, ..] => return true,
        [0x30, n, rest @ ..] if *n >= 0x81 && *n <= 0x84 => {
            let width = usize::from(*n & 0x7f);
            let Some(len_bytes) = rest.get(..width) else {
                return false;
            };
            let len = len_bytes.iter().fold(0usize, |acc, b| {
                acc.saturating_mul(256).saturating_add(usize::from(*b))
            });
            (len, 2usize.saturating_add(width))
        }
        [0x30, n, ..] if *n < 0x80 => (usize::from(*n), 2),
        _ => return false,
    };
    len > 0 && header.saturating_add(len) <= bytes.len()
}

/// What marks an XML file as ours: a ProfileXML or EAP configuration, as elements or escaped
/// as text inside another document.
const XML_MARKERS: [&str; 4] = [
    "<VPNProfile",
    "&lt;VPNProfile",
    "<EapHostConfig",
    "&lt;EapHostConfig",
];

fn looks_like_registry(bytes: &[u8]) -> bool {
    let head = text_head(bytes, 128);
    let head = head.trim_start();
    head.starts_with(REG5_HEADER) || head.starts_with(REG4_HEADER)
}

/// The first `max` bytes of a file as text, lossily: UTF-16 by its BOM, else UTF-8.
fn text_head(bytes: &[u8], max: usize) -> String {
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

/// A line that is exactly PEM armour (`-----BEGIN LABEL-----`). A JSON or Markdown file that
/// quotes PEM inline has no such line and is not PEM.
fn has_pem_begin_line(window: &[u8]) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_wins_over_extension() {
        assert_eq!(
            sniff(b"-----BEGIN CERTIFICATE-----\n", "x.cer"),
            Some(FileKind::Pem)
        );
        assert_eq!(sniff(b"REGEDIT4\r\n", "x.txt"), Some(FileKind::Registry));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "Windows Registry Editor Version 5.00"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(sniff(&utf16, "snap.dat"), Some(FileKind::Registry));
        let mut der = vec![0x30, 0x82, 0x01, 0x00];
        der.resize(4 + 256, 0);
        assert_eq!(sniff(&der, "blob"), Some(FileKind::Der));
        assert_eq!(
            sniff(&[0x30, 0x80, 0x02, 0x01, 0x00], "ber"),
            Some(FileKind::Der)
        );
        assert_eq!(
            sniff("0€ text".as_bytes(), "notes"),
            None,
            "text starting with 0 is not DER"
        );
        assert_eq!(
            sniff(&[0x30, 0x82, 0x01, 0x00], "cut.bin"),
            None,
            "declared length beyond the file"
        );
    }

    #[test]
    fn extension_decides_unrecognised_content_and_unknown_is_skipped() {
        assert_eq!(sniff(b"", "empty.cer"), Some(FileKind::Der));
        assert_eq!(sniff(b"garbage", "x.reg"), Some(FileKind::Registry));
        assert_eq!(sniff(b"# readme", "README.md"), None);
        assert_eq!(sniff(&[0x30, 0x03, 0x01], "odd.bin"), None);
        assert_eq!(
            sniff(
                b"{\"pem\": \"-----BEGIN CERTIFICATE-----\\nMII\"}",
                "x.json"
            ),
            None
        );
    }
}
