//! The founding rule's boundaries, on bundles made on the fly: which issuing CAs count, which
//! leaves make a chain "client-auth", and what OCSP changes.

#![allow(clippy::unwrap_used, reason = "test code")]

use crate::common;

use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, CrlDistributionPoint, DnType, ExtendedKeyUsagePurpose,
    IsCa, Issuer, KeyPair,
};

struct Leaf {
    eku: Option<Vec<ExtendedKeyUsagePurpose>>,
}

/// Writes a root, an issuing CA (with `ocsp` in its AIA when given, never a CDP) and `leaves`
/// (each with a CDP) into `dir`.
fn write_pki(dir: &Path, ocsp: Option<&str>, leaves: &[Leaf]) {
    let (kr, ki) = (KeyPair::generate().unwrap(), KeyPair::generate().unwrap());
    let mut root = CertificateParams::default();
    root.distinguished_name.push(DnType::CommonName, "Root");
    root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let mut issuing = CertificateParams::default();
    issuing
        .distinguished_name
        .push(DnType::CommonName, "Issuing");
    issuing.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    issuing.use_authority_key_identifier_extension = true;
    if let Some(url) = ocsp {
        issuing.custom_extensions.push(common::aia(&[], &[url]));
    }
    let root_issuer = Issuer::from_params(&root, &kr);
    std::fs::write(dir.join("root.cer"), root.self_signed(&kr).unwrap().der()).unwrap();
    std::fs::write(
        dir.join("issuing.cer"),
        issuing.signed_by(&ki, &root_issuer).unwrap().der(),
    )
    .unwrap();
    let issuer = Issuer::from_params(&issuing, &ki);
    for (n, leaf) in leaves.iter().enumerate() {
        let mut p = CertificateParams::default();
        p.distinguished_name
            .push(DnType::CommonName, format!("leaf {n}"));
        p.use_authority_key_identifier_extension = true;
        p.crl_distribution_points = vec![CrlDistributionPoint {
            uris: vec!["http://pki.example/issuing.crl".into()],
        }];
        if let Some(eku) = &leaf.eku {
            p.extended_key_usages = eku.clone();
        }
        let cert = p.signed_by(&KeyPair::generate().unwrap(), &issuer).unwrap();
        std::fs::write(dir.join(format!("leaf{n}.cer")), cert.der()).unwrap();
    }
}

fn fires(ocsp: Option<&str>, leaves: &[Leaf]) -> bool {
    let dir = tempfile::tempdir().unwrap();
    write_pki(dir.path(), ocsp, leaves);
    common::scan(dir.path())
        .findings
        .iter()
        .any(|f| &*f.rule_name == "issuing-ca-without-cdp")
}

#[test]
fn a_bundle_of_cas_only_is_checked() {
    assert!(fires(None, &[]));
}

#[test]
fn a_client_auth_leaf_puts_its_issuer_in_scope() {
    assert!(fires(
        None,
        &[Leaf {
            eku: Some(vec![ExtendedKeyUsagePurpose::ClientAuth])
        }]
    ));
    assert!(fires(
        None,
        &[Leaf {
            eku: Some(vec![ExtendedKeyUsagePurpose::Any])
        }]
    ));
    assert!(
        fires(None, &[Leaf { eku: None }]),
        "no EKU extension means any purpose to Windows"
    );
}

#[test]
fn an_issuer_of_server_certificates_only_is_not_an_nps_client_chain() {
    assert!(!fires(
        None,
        &[Leaf {
            eku: Some(vec![ExtendedKeyUsagePurpose::ServerAuth])
        }]
    ));
}

#[test]
fn an_ocsp_url_is_revocation_information() {
    assert!(!fires(
        Some("http://ocsp.example"),
        &[Leaf {
            eku: Some(vec![ExtendedKeyUsagePurpose::ClientAuth])
        }]
    ));
}
