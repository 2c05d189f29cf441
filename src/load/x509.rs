//! X.509 certificates: DER bytes to an owned record of every field the fact model uses.

use std::ops::Range;
use std::sync::Arc;

use std::fmt::Write as _;

use x509_parser::asn1_rs::{Any, Oid, Tag};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{
    CRLDistributionPoints, DistributionPointName, GeneralName, GeneralSubtree, ParsedExtension,
};
use x509_parser::oid_registry::{
    OID_PKIX_ACCESS_DESCRIPTOR_CA_ISSUERS, OID_PKIX_ACCESS_DESCRIPTOR_OCSP,
};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::{AttributeTypeAndValue, X509Name};

pub(crate) use crate::digest::hex;
use crate::digest::{sha1_hex, sha256_hex};
use crate::location::Location;

/// The content octets of Microsoft's SID security extension, 1.3.6.1.4.1.311.25.2
/// (KB5014754): extensions are matched by bytes, so no OID becomes text unless it is kept.
const SID_EXTENSION_DER: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x19, 0x02];
/// The content octets of the User Principal Name otherName type, 1.3.6.1.4.1.311.20.2.3.
const UPN_DER: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03];

/// Public-key algorithm of a certificate.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// RSA.
    Rsa,
    /// Elliptic curve, with the curve's name.
    Ec(String),
    /// Ed25519.
    Ed25519,
    /// DSA.
    Dsa,
    /// Anything else, by OID.
    Other(String),
}

impl KeyAlgorithm {
    /// Lower-case name: `rsa`, `ec`, `ed25519`, `dsa`, or the OID.
    pub fn name(&self) -> &str {
        match self {
            KeyAlgorithm::Rsa => "rsa",
            KeyAlgorithm::Ec(_) => "ec",
            KeyAlgorithm::Ed25519 => "ed25519",
            KeyAlgorithm::Dsa => "dsa",
            KeyAlgorithm::Other(oid) => oid,
        }
    }
}

/// A distinguished name: display form, common name and the DER bytes used to match names.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// RFC 4514-style text, as x509-parser renders it.
    pub text: String,
    /// The first common name, if any.
    pub common_name: Option<String>,
    /// The name Windows shows for it ("Issued To" in certmgr, `CertGetNameString`'s simple
    /// display type): the most specific (last in DER order) CN, else the last OU, else the last
    /// O, else the e-mail attribute; `None` when it has none of them.
    pub display: Option<String>,
    /// The DER encoding, compared byte for byte when matching issuer to subject.
    #[serde(with = "serde_bytes")]
    pub der: Vec<u8>,
}

impl Name {
    pub(crate) fn from_x509(name: &X509Name<'_>) -> Self {
        Name {
            text: name.to_string(),
            common_name: name
                .iter_common_name()
                .next()
                .and_then(|cn| cn.as_str().ok())
                .map(str::to_owned),
            // An AD CS root under an AD-style name (DC=…, CN=Configuration, …, CN=<CA>) is
            // known by its last CN, not its first.
            display: last_text(name.iter_common_name())
                .or_else(|| last_text(name.iter_organizational_unit()))
                .or_else(|| last_text(name.iter_organization()))
                .or_else(|| last_text(name.iter_email())),
            der: name.as_raw().to_vec(),
        }
    }

    /// The name Windows shows ([`Name::display`]), else the whole name.
    pub fn short(&self) -> &str {
        self.display.as_deref().unwrap_or(&self.text)
    }
}

/// The text of the last attribute of `values` (DER order), when it is a string.
fn last_text<'a>(values: impl Iterator<Item = &'a AttributeTypeAndValue<'a>>) -> Option<String> {
    let v = values.last()?;
    if let Ok(text) = v.as_str() {
        return Some(text.to_owned());
    }
    // x509-parser reads the UTF-8 compatible string types only; older CAs (AD CS among them)
    // wrote T61String, and some BMPString.
    let any = v.attr_value();
    match any.tag() {
        // T61String, read as Latin-1 as every major toolkit does in practice.
        Tag::TeletexString => Some(any.data.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            let units: Vec<u16> = any
                .data
                .chunks_exact(2)
                .filter_map(|p| match p {
                    &[hi, lo] => Some(u16::from_be_bytes([hi, lo])),
                    _ => None,
                })
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// The keyUsage bit of keyCertSign (RFC 5280 §4.2.1.3: bit 5).
pub(crate) const KEY_USAGE_KEY_CERT_SIGN: u16 = 1 << 5;
/// The keyUsage bit of cRLSign (bit 6).
pub(crate) const KEY_USAGE_CRL_SIGN: u16 = 1 << 6;

/// A CA's nameConstraints (RFC 5280 §4.2.1.10): the subtrees the names below it must fall in,
/// and those they must not.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Default, PartialEq, Eq)]
pub struct NameConstraints {
    /// permittedSubtrees.
    pub permitted: Vec<SubtreeName>,
    /// excludedSubtrees.
    pub excluded: Vec<SubtreeName>,
}

/// The base name of one subtree.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum SubtreeName {
    /// dNSName: the domain and every name below it (`.example.com`: below it only).
    Dns(String),
    /// rfc822Name: a mailbox, a host, or (with a leading dot) a domain.
    Email(String),
    /// iPAddress: an address and its mask, 8 bytes (IPv4) or 32 (IPv6).
    Ip(Vec<u8>),
    /// directoryName: the DER of a name the subject must start with.
    Directory(Vec<u8>),
    /// Another form (URI, otherName…), named; trustlint does not evaluate it.
    Other(#[serde(with = "crate::cache::static_str")] crate::cache::static_str::Static),
}

impl SubtreeName {
    fn of(name: &GeneralName<'_>) -> SubtreeName {
        match name {
            GeneralName::DNSName(s) => SubtreeName::Dns((*s).to_owned()),
            GeneralName::RFC822Name(s) => SubtreeName::Email((*s).to_owned()),
            GeneralName::IPAddress(ip) => SubtreeName::Ip(ip.to_vec()),
            GeneralName::DirectoryName(n) => SubtreeName::Directory(n.as_raw().to_vec()),
            GeneralName::URI(_) => SubtreeName::Other("uniformResourceIdentifier"),
            GeneralName::OtherName(..) => SubtreeName::Other("otherName"),
            _ => SubtreeName::Other("another name form"),
        }
    }
}

/// The signature of a signed object and what is needed to verify it later without parsing the
/// whole object again.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct SignedParts {
    /// Byte range of the signed data (TBS) in the object's DER.
    pub tbs: Range<usize>,
    /// Byte range of the signature AlgorithmIdentifier in the object's DER.
    pub algorithm: Range<usize>,
    /// Byte range of the signature bits (the BIT STRING's content after its unused-bits count)
    /// in the object's DER: a range, not a copy, as the DER is kept anyway.
    pub signature: Range<usize>,
    /// The signature algorithm's name (`sha256WithRSAEncryption`…) or OID.
    pub algorithm_name: String,
    /// The digest: `md5`, `sha1`, `sha256`, `sha384`, `sha512`, or `unknown`.
    #[serde(with = "crate::cache::static_str")]
    pub hash: crate::cache::static_str::Static,
}

/// Everything trustlint uses from one certificate, owned.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct CertificateData {
    /// Where it was read.
    pub location: Location,
    /// The certificate's DER.
    #[serde(with = "crate::cache::shared_bytes")]
    pub der: Arc<[u8]>,
    /// SHA-256 of the DER, lower-case hex.
    pub sha256: String,
    /// SHA-1 of the DER, lower-case hex: Windows' thumbprint.
    pub sha1: String,
    /// X.509 version: 1, 2 or 3.
    pub version: u32,
    /// Serial number, lower-case hex.
    pub serial: String,
    /// Subject name.
    pub subject: Name,
    /// Issuer name.
    pub issuer: Name,
    /// Subject key identifier, lower-case hex.
    pub subject_key_id: Option<String>,
    /// Authority key identifier's keyIdentifier, lower-case hex.
    pub authority_key_id: Option<String>,
    /// basicConstraints: (cA, pathLenConstraint); `None` when the extension is absent.
    pub basic_constraints: Option<(bool, Option<u32>)>,
    /// Public-key algorithm.
    pub key_algorithm: KeyAlgorithm,
    /// Key size in bits.
    pub key_bits: u32,
    /// Byte range of the SubjectPublicKeyInfo in `der`.
    pub spki: Range<usize>,
    /// The signature.
    pub signed: SignedParts,
    /// notBefore, Unix seconds.
    pub not_before: i64,
    /// notAfter, Unix seconds.
    pub not_after: i64,
    /// EKU OIDs; `None` when the extension is absent (which Windows treats as any purpose).
    pub extended_key_usage: Option<Vec<String>>,
    /// CRL distribution point URLs, in certificate order.
    pub crl_distribution_points: Vec<String>,
    /// Freshest CRL (delta CRL distribution point, 2.5.29.46) URLs, in certificate order.
    pub freshest_crl: Vec<String>,
    /// AIA caIssuers URLs.
    pub ca_issuers: Vec<String>,
    /// AIA OCSP URLs.
    pub ocsp: Vec<String>,
    /// SAN dNSName entries.
    pub san_dns: Vec<String>,
    /// SAN UPN otherName entries.
    pub san_upn: Vec<String>,
    /// SAN URI entries.
    pub san_uri: Vec<String>,
    /// SAN rfc822Name entries.
    pub san_email: Vec<String>,
    /// SAN iPAddress entries: 4 bytes (IPv4) or 16 (IPv6).
    pub san_ip: Vec<Vec<u8>>,
    /// keyUsage bits (bit 0 digitalSignature … bit 5 keyCertSign, bit 6 cRLSign); `None` when
    /// the extension is absent.
    pub key_usage: Option<u16>,
    /// nameConstraints, when present.
    pub name_constraints: Option<Box<NameConstraints>>,
    /// Whether the SID extension 1.3.6.1.4.1.311.25.2 is present.
    pub has_sid_extension: bool,
    /// OIDs of critical extensions.
    pub critical_extensions: Vec<String>,
    /// The certificate store it was read from, for a certificate in a store's registry export.
    pub store_slot: Option<super::cert_store::StoreSlot>,
}

/// Parses one certificate at the start of `der`. Returns it and the number of bytes it used.
pub(crate) fn parse(der: &[u8], location: Location) -> Result<(CertificateData, usize), String> {
    let (rest, cert) = X509Certificate::from_der(der)
        .map_err(|e| format!("not a valid X.509 certificate: {e}"))?;
    let used = der.len().saturating_sub(rest.len());
    let bytes = der.get(..used).ok_or("certificate length out of range")?;
    let data = extract(&cert, bytes, location)?;
    Ok((data, used))
}

fn extract(
    cert: &X509Certificate<'_>,
    der: &[u8],
    location: Location,
) -> Result<CertificateData, String> {
    let tbs = &cert.tbs_certificate;
    let spki = subrange(der, tbs.subject_pki.raw).ok_or("public key outside the certificate")?;
    let signed = signed_parts(
        der,
        tbs.as_ref(),
        &oid_string(&cert.signature_algorithm.algorithm),
        &cert.signature_value.data,
    )?;
    let (key_algorithm, key_bits) = key_of(cert);

    let mut data = CertificateData {
        sha256: sha256_hex(der),
        sha1: sha1_hex(der),
        der: Arc::from(der),
        location,
        version: tbs.version.0.saturating_add(1),
        serial: hex(tbs.raw_serial()),
        subject: Name::from_x509(tbs.subject()),
        issuer: Name::from_x509(tbs.issuer()),
        subject_key_id: None,
        authority_key_id: None,
        basic_constraints: None,
        key_algorithm,
        key_bits,
        spki,
        signed,
        not_before: tbs.validity().not_before.timestamp(),
        not_after: tbs.validity().not_after.timestamp(),
        extended_key_usage: None,
        crl_distribution_points: Vec::new(),
        freshest_crl: Vec::new(),
        ca_issuers: Vec::new(),
        ocsp: Vec::new(),
        san_dns: Vec::new(),
        san_upn: Vec::new(),
        san_uri: Vec::new(),
        san_email: Vec::new(),
        san_ip: Vec::new(),
        key_usage: None,
        name_constraints: None,
        has_sid_extension: false,
        critical_extensions: Vec::new(),
        store_slot: None,
    };

    for ext in tbs.extensions() {
        if ext.critical {
            data.critical_extensions.push(oid_string(&ext.oid));
        }
        if ext.oid.as_bytes() == SID_EXTENSION_DER {
            data.has_sid_extension = true;
        }
        if oid_string(&ext.oid) == OID_FRESHEST_CRL {
            data.freshest_crl = distribution_point_urls(ext.value);
        }
        match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => data.subject_key_id = Some(hex(k.0)),
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                data.authority_key_id = a.key_identifier.as_ref().map(|k| hex(k.0));
            }
            ParsedExtension::BasicConstraints(bc) => {
                data.basic_constraints = Some((bc.ca, bc.path_len_constraint));
            }
            ParsedExtension::KeyUsage(ku) => data.key_usage = Some(ku.flags),
            ParsedExtension::NameConstraints(nc) => {
                let subtrees = |list: &Option<Vec<GeneralSubtree<'_>>>| {
                    list.iter()
                        .flatten()
                        .map(|t| SubtreeName::of(&t.base))
                        .collect()
                };
                data.name_constraints = Some(Box::new(NameConstraints {
                    permitted: subtrees(&nc.permitted_subtrees),
                    excluded: subtrees(&nc.excluded_subtrees),
                }));
            }
            ParsedExtension::ExtendedKeyUsage(eku) => {
                let mut oids = Vec::new();
                for (on, id) in [
                    (eku.any, "2.5.29.37.0"),
                    (eku.server_auth, "1.3.6.1.5.5.7.3.1"),
                    (eku.client_auth, "1.3.6.1.5.5.7.3.2"),
                    (eku.code_signing, "1.3.6.1.5.5.7.3.3"),
                    (eku.email_protection, "1.3.6.1.5.5.7.3.4"),
                    (eku.time_stamping, "1.3.6.1.5.5.7.3.8"),
                    (eku.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
                ] {
                    if on {
                        oids.push(id.to_owned());
                    }
                }
                oids.extend(eku.other.iter().map(oid_string));
                data.extended_key_usage = Some(oids);
            }
            ParsedExtension::CRLDistributionPoints(points) => {
                data.crl_distribution_points = point_urls(points);
            }
            ParsedExtension::AuthorityInfoAccess(aia) => {
                for desc in aia.iter() {
                    let Some(url) = uri_of(&desc.access_location) else {
                        continue;
                    };
                    if desc.access_method == OID_PKIX_ACCESS_DESCRIPTOR_CA_ISSUERS {
                        data.ca_issuers.push(url);
                    } else if desc.access_method == OID_PKIX_ACCESS_DESCRIPTOR_OCSP {
                        data.ocsp.push(url);
                    }
                }
            }
            ParsedExtension::SubjectAlternativeName(san) => {
                for name in &san.general_names {
                    match name {
                        GeneralName::DNSName(s) => data.san_dns.push((*s).to_owned()),
                        GeneralName::URI(s) => data.san_uri.push((*s).to_owned()),
                        GeneralName::RFC822Name(s) => data.san_email.push((*s).to_owned()),
                        GeneralName::IPAddress(ip) => data.san_ip.push(ip.to_vec()),
                        GeneralName::OtherName(oid, value) if oid.as_bytes() == UPN_DER => {
                            if let Some(upn) = other_name_utf8(value) {
                                data.san_upn.push(upn);
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(data)
}

fn key_of(cert: &X509Certificate<'_>) -> (KeyAlgorithm, u32) {
    let spki = &cert.tbs_certificate.subject_pki;
    let bits = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => (KeyAlgorithm::Rsa, bits(rsa.key_size())),
        Ok(PublicKey::EC(point)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| curve_name(&oid_string(&o)))
                .unwrap_or_else(|| "unknown".to_owned());
            (KeyAlgorithm::Ec(curve), bits(point.key_size()))
        }
        Ok(PublicKey::DSA(y)) => (KeyAlgorithm::Dsa, bits(y.len().saturating_mul(8))),
        _ => {
            let oid = oid_string(&spki.algorithm.algorithm);
            if oid == "1.3.101.112" {
                (KeyAlgorithm::Ed25519, 256)
            } else {
                (KeyAlgorithm::Other(oid), 0)
            }
        }
    }
}

fn curve_name(oid: &str) -> String {
    match oid {
        "1.2.840.10045.3.1.7" => "P-256".to_owned(),
        "1.3.132.0.34" => "P-384".to_owned(),
        "1.3.132.0.35" => "P-521".to_owned(),
        "1.3.132.0.10" => "secp256k1".to_owned(),
        other => other.to_owned(),
    }
}

/// Locates the TBS and AlgorithmIdentifier inside a signed object's DER and names the algorithm.
pub(crate) fn signed_parts(
    der: &[u8],
    tbs_raw: &[u8],
    algorithm_oid: &str,
    signature: &[u8],
) -> Result<SignedParts, String> {
    let tbs = subrange(der, tbs_raw).ok_or("signed data outside the object")?;
    // The AlgorithmIdentifier is the element right after the TBS (RFC 5280 §4.1, §5.1).
    let after = der
        .get(tbs.end..)
        .ok_or("truncated after the signed data")?;
    let (rest, _) = Any::from_der(after).map_err(|e| format!("bad signature algorithm: {e}"))?;
    let alg_len = after.len().saturating_sub(rest.len());
    let (name, hash) = signature_algorithm_name(algorithm_oid);
    Ok(SignedParts {
        algorithm: tbs.end..tbs.end.saturating_add(alg_len),
        tbs,
        signature: subrange(der, signature).ok_or("signature outside the object")?,
        algorithm_name: name,
        hash,
    })
}

/// Name and digest of a signature algorithm OID. RSASSA-PSS carries its digest in parameters,
/// which are not read here: its digest is `unknown`.
pub(crate) fn signature_algorithm_name(oid: &str) -> (String, &'static str) {
    let (name, hash) = match oid {
        "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption", "md5"),
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => ("sha1WithRSAEncryption", "sha1"),
        "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption", "sha256"),
        "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption", "sha384"),
        "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption", "sha512"),
        "1.2.840.113549.1.1.10" => ("rsassaPss", "unknown"),
        "1.2.840.10045.4.1" => ("ecdsa-with-SHA1", "sha1"),
        "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256", "sha256"),
        "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384", "sha384"),
        "1.2.840.10045.4.3.4" => ("ecdsa-with-SHA512", "sha512"),
        "1.2.840.10040.4.3" => ("dsa-with-sha1", "sha1"),
        "2.16.840.1.101.3.4.3.2" => ("dsa-with-sha256", "sha256"),
        "1.3.101.112" => ("Ed25519", "sha512"),
        other => return (other.to_owned(), "unknown"),
    };
    (name.to_owned(), hash)
}

/// Freshest CRL (RFC 5280 §4.2.1.15): where the delta CRLs are, in CRLDistributionPoints syntax.
/// x509-parser leaves it unparsed, so it is read with that extension's parser.
const OID_FRESHEST_CRL: &str = "2.5.29.46";

/// The URLs of a CRLDistributionPoints-syntax extension value; none when it does not parse
/// (a malformed extension is not a reason to drop the certificate).
fn distribution_point_urls(value: &[u8]) -> Vec<String> {
    CRLDistributionPoints::from_der(value)
        .map(|(_, points)| point_urls(&points))
        .unwrap_or_default()
}

fn point_urls(points: &CRLDistributionPoints<'_>) -> Vec<String> {
    points
        .iter()
        .filter_map(|p| match &p.distribution_point {
            Some(DistributionPointName::FullName(names)) => Some(names.iter().filter_map(uri_of)),
            _ => None,
        })
        .flatten()
        .collect()
}

fn uri_of(name: &GeneralName<'_>) -> Option<String> {
    match name {
        GeneralName::URI(u) => Some((*u).to_owned()),
        _ => None,
    }
}

/// The UPN otherName value: `[0] EXPLICIT UTF8String`.
fn other_name_utf8(value: &[u8]) -> Option<String> {
    let (_, outer) = Any::from_der(value).ok()?;
    let inner = if outer.tag() == Tag::Utf8String {
        outer
    } else {
        Any::from_der(outer.data).ok()?.1
    };
    std::str::from_utf8(inner.data).ok().map(str::to_owned)
}

/// Range of `part` inside `whole`, when `part` is a sub-slice of it.
/// The dotted text of `oid`, written into one string. asn1-rs' `to_id_string` allocates a string
/// per arc and joins them, which made OID text 5 % of loading; only OIDs it cannot read as
/// `u64` arcs are left to it.
pub(crate) fn oid_string(oid: &Oid<'_>) -> String {
    let Some(arcs) = oid.iter() else {
        return oid.to_id_string();
    };
    let mut s = String::with_capacity(24);
    for (i, arc) in arcs.enumerate() {
        if i > 0 {
            s.push('.');
        }
        let _ = write!(s, "{arc}");
    }
    s
}

pub(crate) fn subrange(whole: &[u8], part: &[u8]) -> Option<Range<usize>> {
    let start = part.as_ptr().addr().checked_sub(whole.as_ptr().addr())?;
    let end = start.checked_add(part.len())?;
    (end <= whole.len()).then_some(start..end)
}

#[cfg(test)]
mod tests {
    /// Microsoft's SID security extension (KB5014754).
    const OID_SID_EXTENSION: &str = "1.3.6.1.4.1.311.25.2";

    use std::str::FromStr as _;

    use super::*;

    #[test]
    fn oid_text_and_oid_bytes_agree_with_asn1_rs() -> Result<(), Box<dyn std::error::Error>> {
        for text in [
            OID_SID_EXTENSION,
            "1.3.6.1.4.1.311.20.2.3",
            "2.5.29.37.0",
            "1.2.840.113549.1.1.11",
            "1.2.4294967296",
        ] {
            let oid = Oid::from_str(text).map_err(|e| format!("{text}: {e:?}"))?;
            assert_eq!(oid_string(&oid), oid.to_id_string());
            assert_eq!(oid_string(&oid), text);
        }
        // An arc beyond u64 (2^70) is left to asn1-rs, whatever it makes of it.
        let mut huge = vec![0x2a, 0x81];
        huge.extend([0x80; 9]);
        huge.push(0x00);
        let huge = Oid::new(std::borrow::Cow::Owned(huge));
        assert_eq!(oid_string(&huge), huge.to_id_string());
        let sid = Oid::from_str(OID_SID_EXTENSION).map_err(|e| format!("{e:?}"))?;
        assert_eq!(sid.as_bytes(), SID_EXTENSION_DER);
        let upn = Oid::from_str("1.3.6.1.4.1.311.20.2.3").map_err(|e| format!("{e:?}"))?;
        assert_eq!(upn.as_bytes(), UPN_DER);
        Ok(())
    }
}
