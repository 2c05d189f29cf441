//! PKCS#7 / CMS certs-only bundles (`.p7b`): the certificates and CRLs they carry.
//!
//! RFC 5652 §5.1: ContentInfo { contentType, [0] EXPLICIT SignedData { version,
//! digestAlgorithms, encapContentInfo, [0] IMPLICIT certificates OPTIONAL, [1] IMPLICIT crls
//! OPTIONAL, signerInfos } }. Windows writes DER; other tools write BER with indefinite
//! lengths, which the BER reader accepts.

use x509_parser::asn1_rs::{Any, Class, FromBer as _, Tag};

/// OID of PKCS#7 signedData.
pub(crate) const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";

/// The certificates and CRLs in a signedData, as sub-slices of the input.
#[derive(Debug, Default)]
pub(crate) struct Contents<'a> {
    /// Certificate encodings, in order.
    pub certificates: Vec<&'a [u8]>,
    /// CRL encodings, in order.
    pub crls: Vec<&'a [u8]>,
}

/// Reads the certificates and CRLs of a ContentInfo holding signedData.
pub(crate) fn parse(input: &[u8]) -> Result<Contents<'_>, String> {
    let (_, content_info) =
        Any::from_ber(input).map_err(|e| format!("bad PKCS#7 ContentInfo: {e}"))?;
    let mut items = elements(content_info.data)?;
    let oid = items.next().ok_or("empty PKCS#7 ContentInfo")??;
    let (_, oid_any) = Any::from_ber(oid).map_err(|e| format!("bad PKCS#7 content type: {e}"))?;
    let oid_text = oid_any
        .as_oid()
        .map(|o| super::x509::oid_string(&o))
        .map_err(|e| format!("bad PKCS#7 content type: {e}"))?;
    if oid_text != OID_SIGNED_DATA {
        return Err(format!("PKCS#7 content type {oid_text} is not signedData"));
    }
    let explicit = items.next().ok_or("PKCS#7 signedData has no content")??;
    let (_, explicit) = Any::from_ber(explicit).map_err(|e| format!("bad PKCS#7 content: {e}"))?;
    let (_, signed_data) =
        Any::from_ber(explicit.data).map_err(|e| format!("bad PKCS#7 SignedData: {e}"))?;
    let mut out = Contents::default();
    for item in elements(signed_data.data)? {
        let item = item?;
        let (_, any) = Any::from_ber(item).map_err(|e| format!("bad PKCS#7 element: {e}"))?;
        if any.class() != Class::ContextSpecific {
            continue;
        }
        let list = match any.tag() {
            Tag(0) => &mut out.certificates,
            Tag(1) => &mut out.crls,
            _ => continue,
        };
        for element in elements(any.data)? {
            list.push(element?);
        }
    }
    Ok(out)
}

/// The encodings of the consecutive elements in `data`, each including its header.
fn elements(mut data: &[u8]) -> Result<impl Iterator<Item = Result<&[u8], String>>, String> {
    let mut out = Vec::new();
    while !data.is_empty() {
        // Indefinite-length content ends with an end-of-contents marker.
        if data.starts_with(&[0, 0]) {
            break;
        }
        let (rest, _) = Any::from_ber(data).map_err(|e| format!("bad PKCS#7 element: {e}"))?;
        let len = data.len().saturating_sub(rest.len());
        let (head, tail) = data
            .split_at_checked(len)
            .ok_or("PKCS#7 element out of range")?;
        out.push(Ok(head));
        data = tail;
    }
    Ok(out.into_iter())
}
