//! Certificate stores as registry exports keep them: a key per certificate under
//! `…\SystemCertificates\<STORE>\Certificates\<SHA-1>` (and the Group Policy and Enterprise
//! trees), whose `Blob` value is a list of properties, one of them the certificate's DER.
//!
//! The blob format is Microsoft's published certificate-store serialization ([MS-GPEF]
//! 2.2.2.2.1, confirmed): each property is `PropertyID` (u32 LE), a reserved u32 (1), `Length`
//! (u32 LE) and `Length` bytes of value. Property 32 (`CERT_CERT_PROP_ID`) is the DER
//! certificate; property 9 (`CERT_ENHKEY_USAGE_PROP_ID`) the purposes an administrator
//! restricted the store entry to ("Enable only the following purposes").
//!
//! [MS-GPEF]: https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-gpef/e051aba9-c9df-4f82-a42a-c13012c9d381

use std::ops::Range;

/// `CERT_CERT_PROP_ID`: the DER-encoded certificate.
pub(crate) const CERT_PROP_ID: u32 = 32;
/// `CERT_ENHKEY_USAGE_PROP_ID`: the purposes the store entry is restricted to, DER (a SEQUENCE
/// OF OBJECT IDENTIFIER, the EKU extension's value).
pub(crate) const ENHKEY_USAGE_PROP_ID: u32 = 9;

/// Which registry tree a store lives in: what put a certificate there.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum StoreTree {
    /// `HKLM\SOFTWARE\Microsoft\SystemCertificates`: the machine's own stores.
    System,
    /// `HKLM\SOFTWARE\Policies\Microsoft\SystemCertificates`: distributed by Group Policy.
    Policies,
    /// `HKLM\SOFTWARE\Microsoft\EnterpriseCertificates`: published in Active Directory (NTAuth).
    Enterprise,
}

impl StoreTree {
    /// The tree's name as trustlint reports it.
    pub fn name(self) -> &'static str {
        match self {
            StoreTree::System => "SystemCertificates",
            StoreTree::Policies => "Group Policy SystemCertificates",
            StoreTree::Enterprise => "EnterpriseCertificates",
        }
    }
}

/// Where a store export keeps a certificate.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct StoreSlot {
    /// The registry tree.
    pub tree: StoreTree,
    /// The store, upper case: `ROOT`, `CA`, `MY`, `NTAUTH`, `TRUSTEDPEOPLE`…
    pub store: String,
    /// The key's name: the SHA-1 thumbprint the store files the certificate under, lower case.
    pub key_thumbprint: String,
    /// The purposes the entry is restricted to (blob property 9), dotted OIDs; `None` when it
    /// is not restricted.
    pub eku_restriction: Option<Vec<String>>,
}

/// The store slot a registry key path names, when it is a certificate's key:
/// `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\ROOT\Certificates\<SHA-1>` and its
/// Policies and EnterpriseCertificates siblings (`HKLM` spelled either way; the user's
/// `HKEY_CURRENT_USER` stores too).
pub(crate) fn slot_of(key_path: &str) -> Option<StoreSlot> {
    let parts: Vec<&str> = key_path.split('\\').collect();
    let lower: Vec<String> = parts.iter().map(|p| p.to_ascii_lowercase()).collect();
    // …\<tree>\<STORE>\Certificates\<thumbprint>, counted from the end.
    let back = |k: usize| {
        parts
            .len()
            .checked_sub(k)
            .and_then(|i| lower.get(i))
            .map(String::as_str)
    };
    if back(2) != Some("certificates") {
        return None;
    }
    let tree = match back(4)? {
        "systemcertificates" if back(6) == Some("policies") => StoreTree::Policies,
        "systemcertificates" => StoreTree::System,
        "enterprisecertificates" => StoreTree::Enterprise,
        _ => return None,
    };
    let n = parts.len();
    let thumbprint = back(1)?;
    if thumbprint.len() != 40 || !thumbprint.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(StoreSlot {
        tree,
        store: parts.get(n.checked_sub(3)?)?.to_ascii_uppercase(),
        key_thumbprint: thumbprint.to_owned(),
        eku_restriction: None,
    })
}

/// What is wrong with a blob, and at which byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BlobError {
    /// Byte offset in the blob.
    pub offset: usize,
    /// What is wrong, without quoting the bytes.
    pub what: String,
}

/// The properties of a store blob, as (property id, byte range of the value) in blob order.
pub(crate) fn properties(blob: &[u8]) -> Result<Vec<(u32, Range<usize>)>, BlobError> {
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = blob.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(u32::from_le_bytes(b))
    };
    let mut out = Vec::new();
    let mut at = 0usize;
    while at < blob.len() {
        let (Some(id), Some(_reserved), Some(len)) = (
            u32_at(at),
            u32_at(at.saturating_add(4)),
            u32_at(at.saturating_add(8)),
        ) else {
            return Err(BlobError {
                offset: at,
                what: format!(
                    "a property header needs 12 bytes and {} are left",
                    blob.len().saturating_sub(at)
                ),
            });
        };
        let start = at.saturating_add(12);
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| start.checked_add(l))
            .filter(|&end| end <= blob.len())
            .ok_or_else(|| BlobError {
                offset: at.saturating_add(8),
                what: format!(
                    "property {id} says its value is {len} bytes long, past the blob's end ({} bytes left)",
                    blob.len().saturating_sub(start)
                ),
            })?;
        out.push((id, start..end));
        at = end;
    }
    Ok(out)
}

/// The purposes a store entry is restricted to (property 9), as dotted OIDs; `None` when the
/// entry has no restriction. A value that is not a SEQUENCE OF OBJECT IDENTIFIER is an error at
/// its byte.
pub(crate) fn eku_restriction(
    blob: &[u8],
    props: &[(u32, Range<usize>)],
) -> Result<Option<Vec<String>>, BlobError> {
    use x509_parser::asn1_rs::{FromDer as _, Oid};
    let Some((_, range)) = props.iter().find(|(id, _)| *id == ENHKEY_USAGE_PROP_ID) else {
        return Ok(None);
    };
    let value = blob.get(range.clone()).unwrap_or_default();
    match <Vec<Oid<'_>>>::from_der(value) {
        Ok(([], oids)) => Ok(Some(oids.iter().map(Oid::to_id_string).collect())),
        _ => Err(BlobError {
            offset: range.start,
            what: "property 9 (the purposes the entry is restricted to) is not a list of OIDs"
                .to_owned(),
        }),
    }
}
