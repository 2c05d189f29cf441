//! The synthetic PKI of the benchmarks, in the shape of `../shared/bench/gen_corpus.py`: a root,
//! an issuing CA with a CDP, client-authentication user certificates (UPN and SID-URI SANs, CDP,
//! AIA; RSA 2048 with SHA-256) and the issuing CA's CRL. Used by `gen-corpus` (files on disk)
//! and by the stage benchmarks (bytes in memory).
//!
//! The keys are the TEST ONLY keys of `tests/certgen/keys/`. RSA PKCS#1 v1.5 signatures are
//! deterministic and serials come from a counter-based generator, so the same index and seed
//! give the same bytes on every run, whatever the number of threads.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark helpers: any failure should stop the run loudly"
)]

use std::fs;
use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CrlDistributionPoint,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair,
    KeyUsagePurpose, OtherNameValue, SanType, SerialNumber, date_time_ymd,
};

#[path = "../../tests/common/mod.rs"]
mod common;

const CDP_URL: &str = "http://pki.contoso.com/crl/issuing.crl";

/// The root and issuing CA, and the key every leaf shares.
pub(crate) struct Pki {
    /// The root certificate, DER.
    pub(crate) root: Vec<u8>,
    /// The issuing CA certificate, DER.
    pub(crate) issuing: Vec<u8>,
    issuing_params: CertificateParams,
    issuing_key: KeyPair,
    leaf_key: KeyPair,
}

fn key(name: &str) -> KeyPair {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/certgen/keys")
        .join(format!("{name}.pem"));
    let pem = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    KeyPair::from_pem(&pem).expect("a TEST ONLY key")
}

fn name(cn: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(DnType::OrganizationName, "Contoso");
    d.push(DnType::CommonName, cn);
    d
}

fn ca_params(cn: &str, serial: u8, path_len: Option<u8>) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = name(cn);
    p.serial_number = Some(SerialNumber::from_slice(&[serial]));
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(2030, 1, 1);
    p.is_ca = IsCa::Ca(match path_len {
        Some(n) => BasicConstraints::Constrained(n),
        None => BasicConstraints::Unconstrained,
    });
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.key_identifier_method = KeyIdMethod::Sha256;
    p
}

/// SplitMix64, counter-based: leaf `i` gets the same serial and lifetime whichever thread
/// makes it.
fn splitmix(seed: u64, i: u64) -> u64 {
    let mut z = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(i.wrapping_add(1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Pki {
    /// The root and issuing CA of every corpus.
    pub(crate) fn new() -> Pki {
        let root_key = key("root");
        let root_params = ca_params("Contoso Root CA", 1, None);
        let root = root_params.self_signed(&root_key).unwrap();
        let root_issuer = Issuer::from_params(&root_params, &root_key);
        let mut issuing_params = ca_params("Contoso Issuing CA", 2, Some(0));
        issuing_params.use_authority_key_identifier_extension = true;
        issuing_params.crl_distribution_points = vec![CrlDistributionPoint {
            uris: vec!["http://pki.contoso.com/crl/root.crl".into()],
        }];
        let issuing_key = key("issuing");
        let issuing = issuing_params
            .signed_by(&issuing_key, &root_issuer)
            .unwrap();
        Pki {
            root: root.der().to_vec(),
            issuing: issuing.der().to_vec(),
            issuing_params,
            issuing_key,
            leaf_key: key("leaf-user"),
        }
    }

    /// Leaf `i` as DER.
    pub(crate) fn leaf(&self, i: usize, seed: u64) -> Vec<u8> {
        let user = format!("user{i:06}");
        let index = u64::try_from(i).unwrap();
        let (hi, lo) = (splitmix(seed, 2 * index), splitmix(seed, 2 * index + 1));
        // 120 random bits with bit 121 set, as gen_corpus.py's `getrandbits(120) | 1 << 121`.
        let mut serial = vec![0x02];
        serial.extend_from_slice(&hi.to_be_bytes()[1..]);
        serial.extend_from_slice(&lo.to_be_bytes());
        let mut p = CertificateParams::default();
        p.distinguished_name = name(&user);
        p.serial_number = Some(SerialNumber::from_slice(&serial));
        p.not_before = date_time_ymd(2025, 1, 1);
        p.not_after =
            date_time_ymd(2030, 1, 1) - time::Duration::days(i64::try_from(lo % 1001).unwrap());
        p.is_ca = IsCa::ExplicitNoCa;
        p.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        p.subject_alt_names = vec![
            SanType::OtherName((
                vec![1, 3, 6, 1, 4, 1, 311, 20, 2, 3],
                OtherNameValue::Utf8String(format!("{user}@contoso.com")),
            )),
            SanType::URI(
                format!(
                    "tag:microsoft.com,2022-09-14:sid:S-1-5-21-1-2-3-{}",
                    1000 + i
                )
                .try_into()
                .unwrap(),
            ),
        ];
        p.use_authority_key_identifier_extension = true;
        p.key_identifier_method = KeyIdMethod::Sha256;
        p.crl_distribution_points = vec![CrlDistributionPoint {
            uris: vec![CDP_URL.into()],
        }];
        p.custom_extensions = vec![common::aia(
            &["http://pki.contoso.com/aia/issuing.cer"],
            &[],
        )];
        let issuer = Issuer::from_params(&self.issuing_params, &self.issuing_key);
        p.signed_by(&self.leaf_key, &issuer).unwrap().der().to_vec()
    }

    /// The issuing CA's CRL (no revocations), DER.
    pub(crate) fn crl(&self) -> Vec<u8> {
        let issuer = Issuer::from_params(&self.issuing_params, &self.issuing_key);
        CertificateRevocationListParams {
            this_update: date_time_ymd(2026, 5, 1),
            next_update: date_time_ymd(2026, 8, 1),
            crl_number: SerialNumber::from_slice(&[1]),
            issuing_distribution_point: None,
            revoked_certs: Vec::new(),
            key_identifier_method: KeyIdMethod::Sha256,
        }
        .signed_by(&issuer)
        .unwrap()
        .der()
        .to_vec()
    }
}

/// PEM armour of a DER certificate, as gen_corpus.py writes `.crt` files.
pub(crate) fn pem(der: &[u8]) -> Vec<u8> {
    let lf = pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF);
    pem::encode_config(&pem::Pem::new("CERTIFICATE", der.to_vec()), lf).into_bytes()
}
