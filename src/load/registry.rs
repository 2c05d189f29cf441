//! Windows registry exports (`.reg`): regedit's UTF-16LE with BOM ("Windows Registry Editor
//! Version 5.00"), the same header in UTF-8 or ANSI, and REGEDIT4 (ANSI).
//!
//! Format: <https://support.microsoft.com/en-us/topic/9c7f37cf-a5e9-e1cd-c4fa-2a26218a1a23>
//! (keys, `@`, `-` deletions, `;` comments); data types `dword:`, `hex:`, `hex(N):` with
//! `hex(2)` REG_EXPAND_SZ, `hex(7)` REG_MULTI_SZ, `hex(b)` REG_QWORD; hex lists continue on the
//! next line after a trailing `\`.

use std::sync::Arc;

use encoding_rs::{UTF_16LE, WINDOWS_1252};

use super::text::{Fallback, decode_or_note};

use super::{Artifact, LoadError, LoadProblem, Parsed};
use crate::location::{LineIndex, Location};

/// Which header the file carries; it decides how `hex(2)`/`hex(7)` bytes are decoded.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegVersion {
    /// "Windows Registry Editor Version 5.00": strings in hex lists are UTF-16LE.
    V5,
    /// "REGEDIT4": strings in hex lists are ANSI.
    V4,
}

/// A parsed `.reg` file.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct RegistryFile {
    /// The file.
    pub location: Location,
    /// Its header.
    pub version: RegVersion,
    /// The host named by a `; host: NAME` comment, if any.
    pub host_hint: Option<String>,
    /// Keys in file order.
    pub keys: Vec<RegKey>,
}

/// A `[KEY]` section.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct RegKey {
    /// The key path as written, without brackets or the leading `-`.
    pub path: String,
    /// `[-KEY]`: the key is deleted.
    pub deleted: bool,
    /// The key line.
    pub location: Location,
    /// Its values in file order.
    pub values: Vec<RegValue>,
}

/// One `"name"=data` line (possibly continued).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct RegValue {
    /// The value name; empty for the default value `@`.
    pub name: String,
    /// The data.
    pub data: RegData,
    /// The value line.
    pub location: Location,
}

/// Value data, typed.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum RegData {
    /// REG_SZ.
    String(String),
    /// REG_EXPAND_SZ.
    ExpandString(String),
    /// REG_MULTI_SZ.
    MultiString(Vec<String>),
    /// REG_DWORD.
    Dword(u32),
    /// REG_QWORD.
    Qword(u64),
    /// REG_BINARY, or any other type number with its bytes.
    Binary {
        /// The registry type number (3 for REG_BINARY).
        reg_type: u32,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// `"name"=-`: the value is deleted.
    Delete,
}

impl RegData {
    /// The registry type's name, as regedit shows it.
    pub fn type_name(&self) -> &'static str {
        match self {
            RegData::String(_) => "REG_SZ",
            RegData::ExpandString(_) => "REG_EXPAND_SZ",
            RegData::MultiString(_) => "REG_MULTI_SZ",
            RegData::Dword(_) => "REG_DWORD",
            RegData::Qword(_) => "REG_QWORD",
            RegData::Binary { .. } => "REG_BINARY",
            RegData::Delete => "deleted",
        }
    }
}

/// Loads a `.reg` file.
pub(crate) fn load(path: &Arc<str>, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    // REGEDIT4 and 8-bit v5 exports are in the ANSI code page.
    let Some(text) = decode_or_note(path, bytes, Fallback::Ansi, &mut out) else {
        return out;
    };
    match parse(path, &text) {
        Ok((file, problem)) => {
            if let Some(p) = problem {
                out.note(p);
            }
            store_certificates(&file, &mut out);
            out.artifacts.push(Artifact::Registry(file));
        }
        Err(e) => out.note(e),
    }
    let broken = out.problem.as_ref().map(|p| p.location.byte_offset);
    out.text = Some(super::FileText::Decoded(super::text::redact_secrets(
        text, broken,
    )));
    out
}

/// The certificates of a certificate store's export: each key filed under a store
/// (`…\SystemCertificates\ROOT\Certificates\<SHA-1>`) whose `Blob` holds a certificate. A blob
/// that does not parse is a problem at its value, named by what is wrong, never by its bytes.
fn store_certificates(file: &RegistryFile, out: &mut Parsed) {
    for key in file.keys.iter().filter(|k| !k.deleted) {
        let Some(slot) = super::cert_store::slot_of(&key.path) else {
            continue;
        };
        for value in &key.values {
            let RegData::Binary { bytes, .. } = &value.data else {
                continue;
            };
            if !value.name.eq_ignore_ascii_case("Blob") {
                continue;
            }
            let problem = |what: String| LoadError {
                problem: LoadProblem::Malformed(format!(
                    "the Blob of {} store entry {}: {what}",
                    slot.store, slot.key_thumbprint
                )),
                location: value.location.clone(),
            };
            let props = match super::cert_store::properties(bytes) {
                Ok(props) => props,
                Err(e) => {
                    out.note(problem(format!("{} (byte {})", e.what, e.offset)));
                    continue;
                }
            };
            let Some(range) = props
                .iter()
                .find(|(id, _)| *id == super::cert_store::CERT_PROP_ID)
                .map(|(_, r)| r.clone())
            else {
                out.note(problem("it holds no certificate (property 32)".to_owned()));
                continue;
            };
            let mut slot = slot.clone();
            match super::cert_store::eku_restriction(bytes, &props) {
                Ok(ekus) => slot.eku_restriction = ekus,
                Err(e) => out.note(problem(format!("{} (byte {})", e.what, e.offset))),
            }
            let Some(der) = bytes.get(range) else {
                continue;
            };
            let locate = |_: std::ops::Range<usize>, _: Option<u32>| value.location.clone();
            let mut inner = Parsed::default();
            super::der::parse_blob(der, &locate, super::der::Expect::Certificate, &mut inner);
            for a in inner.artifacts {
                if let Artifact::Certificate(mut c) = a {
                    // The key names the certificate by its SHA-1: a blob holding another one
                    // was edited or corrupted, and Windows finds it under the wrong name.
                    if c.sha1 != slot.key_thumbprint {
                        out.note(problem(format!(
                            "it holds the certificate with thumbprint {}, not the one its key names",
                            c.sha1
                        )));
                    }
                    c.store_slot = Some(slot.clone());
                    out.artifacts.push(Artifact::Certificate(c));
                }
            }
            if let Some(e) = inner.problem {
                out.note(problem(e.problem.to_string()));
            }
        }
    }
}

/// Physical lines with their byte offsets, CR stripped.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0usize;
    text.split('\n').map(move |l| {
        let start = offset;
        offset = offset.saturating_add(l.len()).saturating_add(1);
        (start, l.strip_suffix('\r').unwrap_or(l))
    })
}

fn parse(path: &Arc<str>, text: &str) -> Result<(RegistryFile, Option<LoadError>), LoadError> {
    // One index for every position: a line-by-line scan per value would be quadratic.
    let index = LineIndex::new(text);
    let err = |offset: usize, msg: String| LoadError {
        problem: LoadProblem::Malformed(msg),
        location: index.location(path.clone(), text, offset, 0),
    };
    let mut problem: Option<LoadError> = None;
    let mut note = |e: LoadError| {
        if problem.is_none() {
            problem = Some(e);
        }
    };
    let mut iter = lines(text).peekable();
    let mut version = None;
    for (offset, line) in iter.by_ref() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        version = if t.starts_with("Windows Registry Editor Version") {
            Some(RegVersion::V5)
        } else if t == "REGEDIT4" {
            Some(RegVersion::V4)
        } else {
            return Err(err(
                offset,
                "missing registry header ('Windows Registry Editor Version 5.00' or 'REGEDIT4')"
                    .to_owned(),
            ));
        };
        break;
    }
    let version = version.ok_or_else(|| err(0, "no registry header".to_owned()))?;
    let mut file = RegistryFile {
        location: Location::file(path.clone()),
        version,
        host_hint: None,
        keys: Vec::new(),
    };
    while let Some((offset, line)) = iter.next() {
        let t = line.trim_start();
        let indent = line.len().saturating_sub(t.len());
        if t.trim_end().is_empty() {
            continue;
        }
        if let Some(comment) = t.strip_prefix(';') {
            if let Some(host) = host_hint(comment) {
                file.host_hint = Some(host);
            }
            continue;
        }
        if let Some(inner) = t.trim_end().strip_prefix('[') {
            let Some(inner) = inner.strip_suffix(']') else {
                note(err(offset, "key line has no closing ']'".to_owned()));
                continue;
            };
            let (deleted, key_path) = match inner.strip_prefix('-') {
                Some(p) => (true, p),
                None => (false, inner),
            };
            file.keys.push(RegKey {
                path: key_path.trim().to_owned(),
                deleted,
                location: index.location(
                    path.clone(),
                    text,
                    offset.saturating_add(indent),
                    t.len(),
                ),
                values: Vec::new(),
            });
            continue;
        }
        if t.starts_with('"') || t.starts_with('@') {
            // Join continuation lines of hex lists.
            let mut logical = t.trim_end().to_owned();
            while logical.ends_with('\\') {
                logical.pop();
                match iter.peek() {
                    Some((_, next)) => {
                        logical.push_str(next.trim());
                        iter.next();
                    }
                    None => break,
                }
            }
            let at = offset.saturating_add(indent);
            let value = match parse_value(&logical, version) {
                Ok(v) => v,
                Err(msg) => {
                    note(err(at, msg));
                    continue;
                }
            };
            let Some(key) = file.keys.last_mut() else {
                note(err(at, "value line before any [key] line".to_owned()));
                continue;
            };
            key.values.push(RegValue {
                name: value.0,
                data: value.1,
                location: index.location(path.clone(), text, at, t.trim_end().len()),
            });
            continue;
        }
        note(err(
            offset.saturating_add(indent),
            // The line is not quoted: it may hold a value's data (a shared secret).
            "unrecognised line: neither a [key], a \"name\"=value nor a comment".to_owned(),
        ));
    }
    Ok((file, problem))
}

/// `; host: NPS01` names the host the snapshot was taken on.
fn host_hint(comment: &str) -> Option<String> {
    let c = comment.trim();
    let (key, value) = c.split_once(':')?;
    (key.trim().eq_ignore_ascii_case("host") && !value.trim().is_empty())
        .then(|| value.trim().to_owned())
}

/// Parses `"name"=data` or `@=data`.
fn parse_value(line: &str, version: RegVersion) -> Result<(String, RegData), String> {
    let (name, rest) = if let Some(rest) = line.strip_prefix('@') {
        (String::new(), rest)
    } else {
        let rest = line
            .strip_prefix('"')
            .ok_or("value name must start with '\"'")?;
        parse_quoted(rest).ok_or("value name has no closing quote")?
    };
    let data = rest
        .trim_start()
        .strip_prefix('=')
        .ok_or("expected '=' after the value name")?
        .trim();
    Ok((name, parse_data(data, version)?))
}

/// Reads a quoted string body (after the opening quote) with `\\` and `\"` escapes; returns the
/// string and what follows the closing quote.
fn parse_quoted(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, n)) => out.push(n),
                None => return None,
            },
            '"' => return Some((out, s.get(i.saturating_add(1)..).unwrap_or(""))),
            _ => out.push(c),
        }
    }
    None
}

fn parse_data(data: &str, version: RegVersion) -> Result<RegData, String> {
    if data == "-" {
        return Ok(RegData::Delete);
    }
    if let Some(s) = data.strip_prefix('"') {
        let (value, _) = parse_quoted(s).ok_or("unterminated string: no closing '\"'")?;
        return Ok(RegData::String(value));
    }
    let lower = data.to_ascii_lowercase();
    if let Some(digits) = lower.strip_prefix("dword:") {
        let digits = digits.trim();
        // regedit writes 8 digits; real files carry extra leading zeros, which change nothing.
        let significant = digits.trim_start_matches('0');
        if digits.is_empty() || significant.len() > 8 {
            return Err(format!(
                "dword value must be at most 8 significant hex digits, found {}",
                significant.len()
            ));
        }
        return u32::from_str_radix(
            if significant.is_empty() {
                "0"
            } else {
                significant
            },
            16,
        )
        .map(RegData::Dword)
        .map_err(|_| "dword value is not hex".to_owned());
    }
    let (reg_type, list) = if let Some(list) = lower.strip_prefix("hex:") {
        (3u32, list)
    } else if let Some(rest) = lower.strip_prefix("hex(") {
        let (ty, list) = rest.split_once("):").ok_or("malformed hex(N): type")?;
        let ty = u32::from_str_radix(ty.trim(), 16).map_err(|_| "malformed hex(N): value type")?;
        (ty, list)
    } else {
        // What follows `=` is not quoted: value data may be a secret.
        return Err(
            "unrecognised value data: not a \"string\", dword:, hex: or hex(N): value".to_owned(),
        );
    };
    let bytes = parse_hex_list(list)?;
    Ok(match reg_type {
        2 => RegData::ExpandString(
            decode_strings(&bytes, version)
                .into_iter()
                .next()
                .unwrap_or_default(),
        ),
        7 => RegData::MultiString(decode_strings(&bytes, version)),
        4 => {
            let arr: [u8; 4] = bytes
                .as_slice()
                .try_into()
                .map_err(|_| "hex(4) needs exactly 4 bytes")?;
            RegData::Dword(u32::from_le_bytes(arr))
        }
        0xb => {
            let arr: [u8; 8] = bytes
                .as_slice()
                .try_into()
                .map_err(|_| "hex(b) needs exactly 8 bytes")?;
            RegData::Qword(u64::from_le_bytes(arr))
        }
        _ => RegData::Binary { reg_type, bytes },
    })
}

fn parse_hex_list(list: &str) -> Result<Vec<u8>, String> {
    let list = list.trim();
    if list.is_empty() {
        return Ok(Vec::new());
    }
    list.split(',')
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .enumerate()
        .map(|(i, b)| {
            u8::from_str_radix(b, 16)
                .map_err(|_| format!("value data byte {} is not a hex byte", i.saturating_add(1)))
        })
        .collect()
}

/// NUL-separated strings from hex(2)/hex(7) bytes: UTF-16LE in v5 files, ANSI in REGEDIT4.
fn decode_strings(bytes: &[u8], version: RegVersion) -> Vec<String> {
    let text = match version {
        RegVersion::V5 => UTF_16LE.decode_without_bom_handling(bytes).0.into_owned(),
        RegVersion::V4 => WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    };
    text.split('\0')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

const REG5_HEADER: &str = "Windows Registry Editor";
const REG4_HEADER: &str = "REGEDIT4";

/// Whether `bytes` start like a registry export (`Windows Registry Editor Version 5.00` or
/// `REGEDIT4`, in UTF-16 with a BOM as regedit writes it, or 8-bit). `plain` says the file
/// starts with a printable ASCII byte, so the header can be compared without decoding.
pub(crate) fn sniff(bytes: &[u8], plain: bool) -> bool {
    if plain {
        return bytes.starts_with(REG5_HEADER.as_bytes())
            || bytes.starts_with(REG4_HEADER.as_bytes());
    }
    let head = super::text::head(bytes, 128);
    let head = head.trim_start();
    head.starts_with(REG5_HEADER) || head.starts_with(REG4_HEADER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (RegistryFile, Option<LoadError>) {
        match parse(&Arc::from("t.reg"), text) {
            Ok(parsed) => parsed,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn parses_types_escapes_continuations_and_deletions() {
        let text = "Windows Registry Editor Version 5.00\r\n\r\n; host: NPS01\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\
\"D\"=dword:0000000a\r\n\"S\"=\"a \\\"q\\\" \\\\ b\"\r\n@=\"def\"\r\n\"M\"=hex(7):61,00,62,00,00,00,63,00,\\\r\n  00,00,00,00\r\n\
\"Q\"=hex(b):01,00,00,00,00,00,00,00\r\n\"E\"=hex(2):25,00,00,00\r\n\"B\"=hex:de,ad\r\n\"X\"=-\r\n[-HKEY_LOCAL_MACHINE\\B]\r\n";
        let (f, problem) = parse_text(text);
        assert!(problem.is_none(), "{problem:?}");
        assert_eq!(f.host_hint.as_deref(), Some("NPS01"));
        assert_eq!(f.keys.len(), 2);
        let v: Vec<_> = f.keys[0]
            .values
            .iter()
            .map(|v| (v.name.as_str(), v.data.clone()))
            .collect();
        assert_eq!(v[0], ("D", RegData::Dword(10)));
        assert_eq!(v[1], ("S", RegData::String("a \"q\" \\ b".into())));
        assert_eq!(v[2], ("", RegData::String("def".into())));
        assert_eq!(
            v[3],
            ("M", RegData::MultiString(vec!["ab".into(), "c".into()]))
        );
        assert_eq!(v[4], ("Q", RegData::Qword(1)));
        assert_eq!(v[5], ("E", RegData::ExpandString("%".into())));
        assert_eq!(
            v[6],
            (
                "B",
                RegData::Binary {
                    reg_type: 3,
                    bytes: vec![0xde, 0xad]
                }
            )
        );
        assert_eq!(v[7], ("X", RegData::Delete));
        assert!(f.keys[1].deleted);
        assert_eq!(f.keys[0].values[3].location.line, Some(8));
    }

    #[test]
    fn regedit4_is_ansi_in_text_and_in_hex_lists() {
        // "Caf\xe9" in Windows-1252, as a REG_SZ line and as REG_EXPAND_SZ bytes.
        let mut bytes =
            b"REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"S\"=\"Caf".to_vec();
        bytes.extend_from_slice(b"\xe9\"\r\n\"E\"=hex(2):43,61,66,e9,00\r\n");
        let parsed = load(&Arc::from("v4.reg"), &bytes);
        assert!(parsed.problem.is_none(), "{:?}", parsed.problem);
        let Some(Artifact::Registry(f)) = parsed.artifacts.first() else {
            panic!()
        };
        assert_eq!(f.version, RegVersion::V4);
        assert_eq!(f.keys[0].values[0].data, RegData::String("Café".into()));
        assert_eq!(
            f.keys[0].values[1].data,
            RegData::ExpandString("Café".into())
        );
    }

    #[test]
    fn unterminated_string_is_a_problem_with_its_line() {
        let (_, problem) = parse_text("REGEDIT4\n[HKEY_LOCAL_MACHINE\\A]\n\"S\"=\"open\n");
        let Some(p) = problem else {
            panic!("no problem reported")
        };
        assert_eq!(p.location.line, Some(3));
        assert!(
            p.message().contains("unterminated string"),
            "{}",
            p.message()
        );
    }

    #[test]
    fn odd_utf16_byte_count_is_reported() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("REGEDIT4".encode_utf16().flat_map(u16::to_le_bytes));
        bytes.push(0x41);
        let (offset, msg) = crate::load::text::decode(&bytes, Fallback::Ansi).unwrap_err();
        assert_eq!(offset, bytes.len() - 1);
        assert!(msg.contains("odd number of bytes"));
    }
}
