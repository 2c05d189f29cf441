//! DER files and DER blobs inside PEM: decides by structure whether a blob is a certificate, a
//! CRL, a PKCS#7 bundle, a PKCS#12 file or a private key, and hands it to that format's parser.

use std::ops::Range;
use std::sync::Arc;

use x509_parser::asn1_rs::{Any, FromBer as _, Tag};

use super::key::{KeyData, KeyKind};
use super::x509::subrange;
use super::{Artifact, LoadError, LoadProblem, Parsed, crl, pkcs7, x509};
use crate::location::Location;

/// What the container (PEM label or file name) says a blob should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// Nothing said: decide by structure.
    Any,
    /// A certificate.
    Certificate,
    /// A CRL.
    Crl,
    /// A PKCS#7 bundle.
    Pkcs7,
}

/// Loads a DER file.
pub(crate) fn load(path: &Arc<str>, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    if bytes.is_empty() {
        out.note(LoadError::at_offset(path, 0, LoadProblem::Empty));
        return out;
    }
    let expect = expect_from_name(path);
    let locate = |r: Range<usize>, index: Option<u32>| Location {
        byte_offset: r.start,
        byte_len: r.len(),
        container_index: index,
        ..Location::file(path.clone())
    };
    let used = parse_blob(bytes, &locate, expect, &mut out);
    if let Some(used) = used
        && used < bytes.len()
    {
        let extra = bytes.len().saturating_sub(used);
        out.note(LoadError::at_offset(
            path,
            used,
            LoadProblem::TrailingData { extra, at: used },
        ));
    }
    out
}

fn expect_from_name(path: &str) -> Expect {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".crl") {
        Expect::Crl
    } else if lower.ends_with(".p7b") || lower.ends_with(".p7c") {
        Expect::Pkcs7
    } else if lower.ends_with(".cer") || lower.ends_with(".crt") {
        Expect::Certificate
    } else {
        Expect::Any
    }
}

/// Parses one DER blob, pushing artifacts (or a problem) to `out`. `locate` turns a byte range of
/// `blob` and a container index into a location. Returns how many bytes the outer structure used,
/// when it parsed.
pub(crate) fn parse_blob(
    blob: &[u8],
    locate: &dyn Fn(Range<usize>, Option<u32>) -> Location,
    expect: Expect,
    out: &mut Parsed,
) -> Option<usize> {
    let err = |offset: usize, message: String| LoadError {
        problem: LoadProblem::Malformed(message),
        location: locate(offset..offset, None),
    };
    let (rest, outer) = match Any::from_ber(blob) {
        Ok(v) => v,
        Err(x509_parser::nom::Err::Incomplete(needed)) => {
            let more = match needed {
                x509_parser::nom::Needed::Size(n) => format!("{n} more bytes"),
                x509_parser::nom::Needed::Unknown => "more bytes".to_owned(),
            };
            out.note(err(
                blob.len(),
                format!(
                    "truncated DER: the structure at byte 0 needs {more} than the {} present",
                    blob.len()
                ),
            ));
            return None;
        }
        Err(e) => {
            out.note(err(0, format!("malformed DER at byte 0: {e}")));
            return None;
        }
    };
    let used = blob.len().saturating_sub(rest.len());
    if outer.tag() != Tag::Sequence {
        out.note(err(
            0,
            format!(
                "expected a DER SEQUENCE at byte 0, found tag {}",
                outer.tag()
            ),
        ));
        return None;
    }
    let (first, second) = first_two(outer.data);
    match (first.as_ref().map(Any::tag), second.as_ref().map(Any::tag)) {
        (Some(Tag::Integer), second) => {
            let version = first.as_ref().and_then(|a| a.as_u32().ok());
            let kind = match (version, second) {
                (Some(3), Some(Tag::Sequence)) => KeyKind::Pkcs12,
                (Some(0), Some(Tag::Sequence)) => KeyKind::Pkcs8,
                (Some(0), Some(Tag::Integer)) => KeyKind::Rsa,
                (Some(1), Some(Tag::OctetString)) => KeyKind::Ec,
                _ => {
                    out.note(err(
                        0,
                        "unrecognised DER structure (not a certificate, CRL, PKCS#7 or key)"
                            .to_owned(),
                    ));
                    return None;
                }
            };
            out.artifacts.push(Artifact::Key(KeyData {
                kind,
                location: locate(0..used, None),
            }));
        }
        (Some(Tag::Oid), _) => {
            let contents = match pkcs7::parse(blob.get(..used).unwrap_or(blob)) {
                Ok(c) => c,
                Err(e) => {
                    out.note(err(0, e));
                    return None;
                }
            };
            let mut index = 0u32;
            for (der, is_cert) in contents
                .certificates
                .iter()
                .map(|d| (*d, true))
                .chain(contents.crls.iter().map(|d| (*d, false)))
            {
                let range = subrange(blob, der).unwrap_or(0..0);
                let item = index;
                let location = locate(range.clone(), Some(item));
                index = index.saturating_add(1);
                let parsed = if is_cert {
                    x509::parse(der, location).map(|(c, _)| Artifact::Certificate(Box::new(c)))
                } else {
                    crl::parse(der, location).map(|(c, _)| Artifact::Crl(Box::new(c)))
                };
                match parsed {
                    Ok(a) => out.artifacts.push(a),
                    Err(e) => out.note(err(
                        range.start,
                        format!(
                            "PKCS#7 item {item} (counted from 0) at byte {}: {e}",
                            range.start
                        ),
                    )),
                }
            }
        }
        (Some(Tag::Sequence), second) => {
            let whole = blob.get(..used).unwrap_or(blob);
            let cert = match expect {
                Expect::Crl => None,
                _ => Some(x509::parse(whole, locate(0..used, None))),
            };
            match cert {
                Some(Ok((c, _))) => out.artifacts.push(Artifact::Certificate(Box::new(c))),
                cert_result => match crl::parse(whole, locate(0..used, None)) {
                    Ok((c, _)) => out.artifacts.push(Artifact::Crl(Box::new(c))),
                    Err(crl_err) => {
                        if second == Some(Tag::OctetString) {
                            out.artifacts.push(Artifact::Key(KeyData {
                                kind: KeyKind::EncryptedPkcs8,
                                location: locate(0..used, None),
                            }));
                        } else {
                            let message = match (cert_result, expect) {
                                (Some(Err(cert_err)), Expect::Certificate | Expect::Pkcs7) => {
                                    cert_err
                                }
                                (Some(Err(cert_err)), Expect::Any) => {
                                    format!(
                                        "neither a certificate nor a CRL: {cert_err}; {crl_err}"
                                    )
                                }
                                _ => crl_err,
                            };
                            out.note(err(0, message));
                            return None;
                        }
                    }
                },
            }
        }
        _ => {
            out.note(err(
                0,
                "unrecognised DER structure (not a certificate, CRL, PKCS#7 or key)".to_owned(),
            ));
            return None;
        }
    }
    Some(used)
}

fn first_two(data: &[u8]) -> (Option<Any<'_>>, Option<Any<'_>>) {
    match Any::from_ber(data) {
        Ok((rest, first)) => (Some(first), Any::from_ber(rest).ok().map(|(_, a)| a)),
        Err(_) => (None, None),
    }
}

/// Whether `bytes` are DER: a SEQUENCE whose declared length fits the file (trailing bytes are
/// the parser's to report), or a BER SEQUENCE of indefinite length. Text that merely starts
/// with `0` is not DER.
pub(crate) fn sniff(bytes: &[u8]) -> bool {
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
