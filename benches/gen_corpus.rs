//! A synthetic PKI corpus for benchmarks, in Rust (rcgen), so that benchmarking needs no Python:
//!
//! ```sh
//! cargo run --release --example gen-corpus -- OUT_DIR N_LEAVES [SEED]
//! ```
//!
//! It writes what `../shared/bench/gen_corpus.py` writes, so figures from either corpus
//! compare: a root and an issuing CA (with a CDP), N client-authentication user certificates
//! (UPN and SID-URI SANs, CDP, AIA; RSA 2048 with SHA-256; DER `.cer` and PEM `.crt`
//! alternating, 1000 per folder) and the issuing CA's CRL. As there, keys are reused (one per
//! tier) so that generation is quick, and every certificate is distinct (serial, subject, SAN).
//!
//! The keys are the TEST ONLY keys of `tests/certgen/keys/`. RSA PKCS#1 v1.5 signatures are
//! deterministic and serials come from a counter-based generator, so the same N and SEED give
//! the same bytes on every run, whatever the number of threads.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::exit,
    reason = "a command-line helper run by hand or by benches/compare.sh: any failure should stop it loudly"
)]

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CrlDistributionPoint,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair,
    KeyUsagePurpose, OtherNameValue, SanType, SerialNumber, date_time_ymd,
};

#[path = "../tests/common/mod.rs"]
mod common;

/// Certificates per folder, as in gen_corpus.py.
const PER_FOLDER: usize = 1000;
const CDP_URL: &str = "http://pki.contoso.com/crl/issuing.crl";

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

/// SplitMix64: a counter-based generator, so leaf `i` gets the same serial and lifetime
/// whichever thread makes it.
fn splitmix(seed: u64, i: u64) -> u64 {
    let mut z = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(i.wrapping_add(1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(n)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen-corpus OUT_DIR N_LEAVES [SEED]");
        std::process::exit(2);
    };
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let out = PathBuf::from(out);
    let certs_dir = out.join("certs");
    fs::create_dir_all(&certs_dir).unwrap();
    fs::create_dir_all(out.join("crl")).unwrap();

    let (root_key, issuing_key, leaf_key) = (key("root"), key("issuing"), key("leaf-user"));
    let root_params = ca_params("Contoso Root CA", 1, None);
    let root = root_params.self_signed(&root_key).unwrap();
    let root_issuer = Issuer::from_params(&root_params, &root_key);
    let mut issuing_params = ca_params("Contoso Issuing CA", 2, Some(0));
    issuing_params.use_authority_key_identifier_extension = true;
    issuing_params.crl_distribution_points = vec![CrlDistributionPoint {
        uris: vec!["http://pki.contoso.com/crl/root.crl".into()],
    }];
    let issuing = issuing_params
        .signed_by(&issuing_key, &root_issuer)
        .unwrap();
    fs::write(certs_dir.join("root.cer"), root.der()).unwrap();
    fs::write(certs_dir.join("issuing.cer"), issuing.der()).unwrap();
    let issuer = Issuer::from_params(&issuing_params, &issuing_key);

    let folders = n.div_ceil(PER_FOLDER);
    (0..folders).into_par_iter().for_each(|folder| {
        let dir = certs_dir.join(format!("{folder:03}"));
        fs::create_dir_all(&dir).unwrap();
        let first = folder * PER_FOLDER;
        for i in first..n.min(first + PER_FOLDER) {
            let (bytes, file) = leaf(i, seed, &leaf_key, &issuer);
            fs::write(dir.join(file), bytes).unwrap();
        }
    });

    let crl = CertificateRevocationListParams {
        this_update: date_time_ymd(2026, 5, 1),
        next_update: date_time_ymd(2026, 8, 1),
        crl_number: SerialNumber::from_slice(&[1]),
        issuing_distribution_point: None,
        revoked_certs: Vec::new(),
        key_identifier_method: KeyIdMethod::Sha256,
    };
    let crl = crl.signed_by(&issuer).unwrap();
    fs::write(out.join("crl/issuing.crl"), crl.der()).unwrap();
    println!("{}: root, issuing CA, {n} leaves, 1 CRL", out.display());
}

/// Leaf `i`: its bytes and file name (`userNNNNNN.cer` as DER for even `i`, `.crt` as PEM for
/// odd `i`, as gen_corpus.py writes them).
fn leaf(i: usize, seed: u64, key: &KeyPair, issuer: &Issuer<'_, &KeyPair>) -> (Vec<u8>, String) {
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
    let cert = p.signed_by(key, issuer).unwrap();
    if i % 2 == 1 {
        (cert.pem().into_bytes(), format!("{user}.crt"))
    } else {
        (cert.der().to_vec(), format!("{user}.cer"))
    }
}
