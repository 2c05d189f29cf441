//! Certificate revocation lists: DER bytes to an owned record.

use std::sync::Arc;

use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use super::x509::{Name, SignedParts, hex, signed_parts};
use crate::location::Location;

/// Delta CRL Indicator (RFC 5280 §5.2.4).
const OID_DELTA_CRL_INDICATOR: &str = "2.5.29.27";

/// Everything trustlint uses from one CRL, owned.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct CrlData {
    /// Where it was read.
    pub location: Location,
    /// The CRL's DER.
    #[serde(with = "crate::cache::shared_bytes")]
    pub der: Arc<[u8]>,
    /// SHA-256 of the DER, lower-case hex.
    pub sha256: String,
    /// Issuer name.
    pub issuer: Name,
    /// Authority key identifier, lower-case hex.
    pub authority_key_id: Option<String>,
    /// thisUpdate, Unix seconds.
    pub this_update: i64,
    /// nextUpdate, Unix seconds; `None` when absent.
    pub next_update: Option<i64>,
    /// Revoked serial numbers, lower-case hex, sorted (looked up by bisection: a CRL of
    /// hundreds of thousands of entries is checked against every certificate).
    pub revoked_serials: Vec<String>,
    /// Whether it is a delta CRL (Delta CRL Indicator 2.5.29.27).
    pub is_delta: bool,
    /// The signature.
    pub signed: SignedParts,
}

/// Parses one CRL at the start of `der`. Returns it and the number of bytes it used.
pub(crate) fn parse(der: &[u8], location: Location) -> Result<(CrlData, usize), String> {
    let (rest, crl) =
        CertificateRevocationList::from_der(der).map_err(|e| format!("not a valid CRL: {e}"))?;
    let used = der.len().saturating_sub(rest.len());
    let bytes = der.get(..used).ok_or("CRL length out of range")?;
    let tbs = &crl.tbs_cert_list;
    let signed = signed_parts(
        bytes,
        tbs.as_ref(),
        &super::x509::oid_string(&crl.signature_algorithm.algorithm),
        &crl.signature_value.data,
    )?;
    let mut data = CrlData {
        location,
        sha256: crate::digest::sha256_hex(bytes),
        der: Arc::from(bytes),
        issuer: Name::from_x509(crl.issuer()),
        authority_key_id: None,
        this_update: crl.last_update().timestamp(),
        next_update: crl.next_update().map(|t| t.timestamp()),
        revoked_serials: {
            let mut serials: Vec<String> = crl
                .iter_revoked_certificates()
                .map(|r| hex(r.raw_serial()))
                .collect();
            serials.sort_unstable();
            serials
        },
        is_delta: false,
        signed,
    };
    for ext in crl.extensions() {
        if super::x509::oid_string(&ext.oid) == OID_DELTA_CRL_INDICATOR {
            data.is_delta = true;
        }
        if let ParsedExtension::AuthorityKeyIdentifier(a) = ext.parsed_extension() {
            data.authority_key_id = a.key_identifier.as_ref().map(|k| hex(k.0));
        }
    }
    Ok((data, used))
}
