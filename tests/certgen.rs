//! The generator of every synthetic fixture in `testdata/` (certificates, CRL-less PKIs, NPS
//! registry snapshots). Run it after changing it, then review `git diff testdata/`:
//!
//! ```sh
//! cargo test --test main certgen:: -- --ignored
//! ```
//!
//! Keys are TEST ONLY and live in `tests/certgen/keys/` (outside `testdata/`, so no scan of the
//! bundled examples meets them). RSA PKCS#1 v1.5 signatures are deterministic, so the same
//! keys, serials and dates give the same bytes on every run. Two fixtures need what rcgen cannot
//! do (a SHA-1 signature, a PKCS#12 file); they are made with the `openssl` command and differ on
//! every run (the PKCS#12 salt, a validity counted from the run date), so keep the committed ones
//! (`git checkout testdata/rules/sha1-signature testdata/rules/protected-key-in-bundle`) unless
//! they have to change.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a generator run by hand: any failure should stop it loudly"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;

use common::aia;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CrlDistributionPoint,
    CustomExtension, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod,
    KeyPair, KeyUsagePurpose, OtherNameValue, RevocationReason, RevokedCertParams, SanType,
    SerialNumber, SubjectPublicKeyInfo, date_time_ymd,
};

fn root_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn key(name: &str) -> KeyPair {
    let path = root_dir()
        .join("tests/certgen/keys")
        .join(format!("{name}.pem"));
    KeyPair::from_pem(&fs::read_to_string(path).unwrap()).unwrap()
}

fn write(path: &Path, bytes: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn dn(cn: &str, org: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(DnType::CommonName, cn);
    if !org.is_empty() {
        d.push(DnType::OrganizationName, org);
    }
    d
}

/// The strong-mapping SAN URI (KB5014754) Intune adds for alice's on-premises SID.
const ALICE_SID_URI: &str =
    "tag:microsoft.com,2022-09-14:sid:S-1-5-21-1004336348-1177238915-682003330-1108";

/// What a certificate of a fixture looks like.
#[derive(Clone)]
struct Spec {
    cn: &'static str,
    org: &'static str,
    serial: u64,
    not_before: (i32, u8, u8),
    not_after: (i32, u8, u8),
    ca: Option<bool>,
    cdp: Vec<&'static str>,
    ca_issuers: Vec<&'static str>,
    ocsp: Vec<&'static str>,
    eku: Vec<ExtendedKeyUsagePurpose>,
    upn: Option<&'static str>,
    uris: Vec<&'static str>,
    dns: Vec<&'static str>,
    path_len: Option<u8>,
    /// Freshest CRL (delta CRL) URLs.
    freshest_crl: Vec<&'static str>,
}

impl Spec {
    fn ca(cn: &'static str, serial: u64) -> Spec {
        Spec {
            cn,
            org: "Contoso",
            serial,
            not_before: (2024, 1, 1),
            not_after: (2034, 1, 1),
            ca: Some(true),
            cdp: vec![],
            ca_issuers: vec![],
            ocsp: vec![],
            eku: vec![],
            upn: None,
            uris: vec![],
            dns: vec![],
            path_len: None,
            freshest_crl: vec![],
        }
    }

    fn user(cn: &'static str, serial: u64) -> Spec {
        Spec {
            cn,
            org: "",
            serial,
            // Long enough that the bundled examples, run without --now, stay free of validity
            // findings for years.
            not_before: (2026, 6, 1),
            not_after: (2031, 6, 1),
            ca: None,
            eku: vec![ExtendedKeyUsagePurpose::ClientAuth],
            upn: Some("alice@contoso.com"),
            uris: vec![ALICE_SID_URI],
            ..Spec::ca(cn, serial)
        }
    }

    fn params(&self) -> CertificateParams {
        let mut p = CertificateParams::default();
        p.distinguished_name = dn(self.cn, self.org);
        p.serial_number = Some(SerialNumber::from_slice(&self.serial.to_be_bytes()));
        let (y, m, d) = self.not_before;
        p.not_before = date_time_ymd(y, m, d);
        let (y, m, d) = self.not_after;
        p.not_after = date_time_ymd(y, m, d);
        p.is_ca = match self.ca {
            Some(true) => IsCa::Ca(self.path_len.map_or(
                BasicConstraints::Unconstrained,
                BasicConstraints::Constrained,
            )),
            Some(false) => IsCa::ExplicitNoCa,
            None => IsCa::NoCa,
        };
        p.key_usages = if self.ca == Some(true) {
            vec![
                KeyUsagePurpose::KeyCertSign,
                KeyUsagePurpose::CrlSign,
                KeyUsagePurpose::DigitalSignature,
            ]
        } else {
            vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ]
        };
        p.extended_key_usages = self.eku.clone();
        p.use_authority_key_identifier_extension = true;
        if !self.cdp.is_empty() {
            p.crl_distribution_points = vec![CrlDistributionPoint {
                uris: self.cdp.iter().map(|s| s.to_string()).collect(),
            }];
        }
        if !self.ca_issuers.is_empty() || !self.ocsp.is_empty() {
            p.custom_extensions.push(aia(&self.ca_issuers, &self.ocsp));
        }
        if !self.freshest_crl.is_empty() {
            p.custom_extensions
                .push(common::freshest_crl(&self.freshest_crl));
        }
        if let Some(upn) = self.upn {
            p.subject_alt_names.push(SanType::OtherName((
                vec![1, 3, 6, 1, 4, 1, 311, 20, 2, 3],
                OtherNameValue::Utf8String(upn.into()),
            )));
        }
        for u in &self.uris {
            p.subject_alt_names
                .push(SanType::URI((*u).try_into().unwrap()));
        }
        for d in &self.dns {
            p.subject_alt_names
                .push(SanType::DnsName((*d).try_into().unwrap()));
        }
        p
    }
}

/// A two-tier PKI: a root, an issuing CA, and leaves.
struct Pki {
    root_der: Vec<u8>,
    issuing_params: CertificateParams,
    issuing_der: Vec<u8>,
    /// The issuing CA's key (`tests/certgen/keys/<name>.pem`).
    issuing_key: &'static str,
}

const CLOUD_PKI_ROOT_AIA: &str = "http://primary-cdn.pki.azure.net/centralus/certificates/5f8b2c1e-7d3a-4e59-9b1f-2a6c0d4e8f10_v1.crt";
const CLOUD_PKI_ISSUING_AIA: &str = "http://primary-cdn.pki.azure.net/centralus/certificates/0c3a7e52-91b4-4f0d-a6e8-3d5b7c9f1a24_v1.crt";
const CLOUD_PKI_LEAF_CDP: &str = "http://primary-cdn.pki.azure.net/centralus/crls/0c3a7e52-91b4-4f0d-a6e8-3d5b7c9f1a24/0c3a7e52-91b4-4f0d-a6e8-3d5b7c9f1a24_v1.crl";
const CLOUD_PKI_ISSUING_CDP: &str = "http://primary-cdn.pki.azure.net/centralus/crls/5f8b2c1e-7d3a-4e59-9b1f-2a6c0d4e8f10/5f8b2c1e-7d3a-4e59-9b1f-2a6c0d4e8f10_v1.crl";

impl Pki {
    fn new(root: &Spec, issuing: &Spec) -> Pki {
        Pki::with_keys(root, issuing, "root", "issuing")
    }

    /// A PKI with keys of its own: two PKIs in one folder that share keys would share key
    /// identifiers, and their certificates would verify under each other's CAs.
    fn with_keys(
        root: &Spec,
        issuing: &Spec,
        root_key_name: &str,
        issuing_key: &'static str,
    ) -> Pki {
        let root_key = key(root_key_name);
        let root_params = root.params();
        let root_der = root_params.self_signed(&root_key).unwrap().der().to_vec();
        let issuing_params = issuing.params();
        let root_issuer = Issuer::from_params(&root_params, &root_key);
        let issuing_der = issuing_params
            .signed_by(&key(issuing_key), &root_issuer)
            .unwrap()
            .der()
            .to_vec();
        Pki {
            root_der,
            issuing_params,
            issuing_der,
            issuing_key,
        }
    }

    /// The Cloud PKI shape: the issuing CA certificate has no CDP; leaves do.
    fn cloud(issuing_cdp: &[&'static str]) -> Pki {
        let root = Spec {
            not_after: (2044, 1, 1),
            ..Spec::ca("Contoso Cloud PKI Root CA", 0x1001)
        };
        let issuing = Spec {
            cdp: issuing_cdp.to_vec(),
            ca_issuers: vec![CLOUD_PKI_ROOT_AIA],
            ..Spec::ca("Contoso Cloud PKI Issuing CA", 0x2001)
        };
        Pki::new(&root, &issuing)
    }

    fn leaf(&self, spec: &Spec, key_name: &str) -> Vec<u8> {
        let issuer = Issuer::from_params(&self.issuing_params, key(self.issuing_key));
        spec.params()
            .signed_by(&key(key_name), &issuer)
            .unwrap()
            .der()
            .to_vec()
    }

    fn leaf_with_public_key(&self, spec: &Spec, spki_der: &[u8]) -> Vec<u8> {
        let issuer = Issuer::from_params(&self.issuing_params, key(self.issuing_key));
        let spki = SubjectPublicKeyInfo::from_der(spki_der).unwrap();
        spec.params()
            .signed_by(&spki, &issuer)
            .unwrap()
            .der()
            .to_vec()
    }

    /// A CRL of the issuing CA, signed with the key `key_name` (`issuing` for a valid one).
    fn crl(
        &self,
        key_name: &str,
        this: (i32, u8, u8),
        next: (i32, u8, u8),
        revoked: &[u64],
    ) -> Vec<u8> {
        let issuer = Issuer::from_params(&self.issuing_params, key(key_name));
        let params = CertificateRevocationListParams {
            this_update: date_time_ymd(this.0, this.1, this.2),
            next_update: date_time_ymd(next.0, next.1, next.2),
            crl_number: SerialNumber::from(7u64),
            issuing_distribution_point: None,
            revoked_certs: revoked
                .iter()
                .map(|serial| RevokedCertParams {
                    serial_number: SerialNumber::from_slice(&serial.to_be_bytes()),
                    revocation_time: date_time_ymd(this.0, this.1, this.2),
                    reason_code: Some(RevocationReason::KeyCompromise),
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        params.signed_by(&issuer).unwrap().der().to_vec()
    }

    fn write_cas(&self, dir: &Path) {
        write(&dir.join("certs/root-ca.cer"), &self.root_der);
        write(&dir.join("certs/issuing-ca.cer"), &self.issuing_der);
    }

    fn root_pem(&self) -> String {
        pem::encode(&pem::Pem::new("CERTIFICATE", self.root_der.clone()))
    }

    fn issuing_pem(&self) -> String {
        pem::encode(&pem::Pem::new("CERTIFICATE", self.issuing_der.clone()))
    }
}

/// Alice's Cloud PKI certificate: Cloud PKI's CDP and, as Cloud PKI hosts one for each
/// issuing CA, an http AIA to the issuing CA.
fn user_leaf() -> Spec {
    Spec {
        cdp: vec![CLOUD_PKI_LEAF_CDP],
        ca_issuers: vec![CLOUD_PKI_ISSUING_AIA],
        ..Spec::user("alice@contoso.com", 0x3001)
    }
}

/// UTF-16LE with BOM and CRLF, as regedit exports.
fn reg_utf16(text: &str) -> Vec<u8> {
    let text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// A `hex(2):` REG_EXPAND_SZ line wrapped the way regedit wraps it.
fn hex2(name: &str, value: &str) -> String {
    let mut bytes: Vec<u8> = value.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.extend([0, 0]);
    let mut line = format!("\"{name}\"=hex(2):");
    let mut out = String::new();
    for (i, b) in bytes.iter().enumerate() {
        line.push_str(&format!("{b:02x}"));
        if i + 1 < bytes.len() {
            line.push(',');
            if line.len() > 76 {
                out.push_str(&line);
                out.push_str("\\\n");
                line = "  ".to_owned();
            }
        }
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// An NPS server's EAP\13 (and EAP\25) keys as `reg export` writes them. `extra` lines go under
/// EAP\13.
fn nps_reg(host: &str, extra13: &str, extra25: &str) -> Vec<u8> {
    let eap13 = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\RasMan\PPP\EAP\13";
    let eap25 = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\RasMan\PPP\EAP\25";
    let mut t = String::from("Windows Registry Editor Version 5.00\n\n");
    t.push_str(&format!("; Exported from {host} with: reg export HKLM\\SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\n\n"));
    t.push_str(&format!("[{eap13}]\n"));
    t.push_str(&hex2("ConfigUIPath", "%SystemRoot%\\system32\\rastls.dll"));
    t.push_str("\"FriendlyName\"=\"@%SystemRoot%\\\\system32\\\\rastls.dll,-2001\"\n");
    t.push_str(&hex2("IdentityPath", "%SystemRoot%\\system32\\rastls.dll"));
    t.push_str(&hex2(
        "InteractiveUIPath",
        "%SystemRoot%\\system32\\rastls.dll",
    ));
    t.push_str("\"InvokePasswordDialog\"=dword:00000000\n\"InvokeUsernameDialog\"=dword:00000000\n\"MPPEEncryptionSupported\"=dword:00000001\n");
    t.push_str(&hex2("Path", "%SystemRoot%\\system32\\rastls.dll"));
    t.push_str("\"RolesSupported\"=dword:0000000a\n\"StandaloneSupported\"=dword:00000001\n");
    t.push_str(extra13);
    t.push_str(&format!("\n[{eap25}]\n"));
    t.push_str(&hex2("ConfigUIPath", "%SystemRoot%\\system32\\rastls.dll"));
    t.push_str("\"FriendlyName\"=\"@%SystemRoot%\\\\system32\\\\rastls.dll,-2002\"\n");
    t.push_str(&hex2("Path", "%SystemRoot%\\system32\\rastls.dll"));
    t.push_str("\"RolesSupported\"=dword:0000000b\n");
    t.push_str(extra25);
    t.push('\n');
    reg_utf16(&t)
}

const IGNORE_NO_REV: &str = "\"IgnoreNoRevocationCheck\"=dword:00000001\n";

fn readme(dir: &Path, text: &str) {
    write(&dir.join("README.md"), text.as_bytes());
}

fn rule_dir(name: &str, side: &str) -> PathBuf {
    let d = root_dir().join("testdata/rules").join(name).join(side);
    let _ = fs::remove_dir_all(&d);
    d
}

/// The openssl arguments that make alice's certificate request from `leaf.key`.
const ALICE_CSR: [&str; 8] = [
    "req",
    "-new",
    "-key",
    "leaf.key",
    "-subj",
    "/CN=alice@contoso.com",
    "-out",
    "leaf.csr",
];

fn openssl(args: &[&str], dir: &Path) {
    let status = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "openssl {args:?} failed");
}

#[test]
#[ignore = "writes testdata/; run by hand: cargo test --test main certgen:: -- --ignored"]
fn generate_fixtures() {
    scenarios();
    deployment_scenarios();
    legacy_v1_root();
    revocation_rules();
    crl_rules();
    chain_rules();
    more_chain_rules();
    chain_scenarios();
    chain_engine_rules();
    intune_as_exported();
    key_rules();
    validity_rules();
    mapping_rules();
    eku_rules();
    vpn_rules();
    intune_rules();
    hygiene_rules();
    wifi_rules();
    nps_rules();
    nps_cert_renewed();
    cloud_pki_profiles_scenario();
    client_profiles_scenario();
    trust_store_rules();
    rras_rules();
    ndes_rules();
    eap_profile_rules();
    conditional_access_rules();
    server_name_check_rules();
    aia_rules();
    crl_lifecycle_rules();
    client_profile_rules();
}

fn scenarios() {
    for (name, extra, text) in [
        (
            "cloud-pki-aovpn",
            "",
            "The founding case: Microsoft Cloud PKI for Intune issues the user certificates of an\nAlways On VPN (EAP-TLS) deployment; its issuing-CA certificate has no CRL distribution point,\nand neither NPS server sets IgnoreNoRevocationCheck. Expected: issuing-ca-without-cdp (error),\nwith the Cloud PKI CA export (intune/) and both NPS snapshots as related locations.\n\nSynthetic: generated by tests/certgen.rs (TEST ONLY keys); the .reg files are UTF-16LE with a\nBOM and CRLF line ends, as `reg export` writes them.\n",
        ),
        (
            "cloud-pki-aovpn-mitigated",
            IGNORE_NO_REV,
            "The founding case after the fix Microsoft documents: both NPS servers set\nIgnoreNoRevocationCheck=1 under EAP\\13. Expected: issuing-ca-without-cdp as a note that names\nthe trade-off, nothing else.\n\nSynthetic: generated by tests/certgen.rs (TEST ONLY keys).\n",
        ),
    ] {
        let dir = root_dir().join("testdata/scenarios").join(name);
        let _ = fs::remove_dir_all(&dir);
        founding_bundle(&dir, extra);
        readme(&dir, text);
    }
}

/// The founding case's files in `dir`: the Cloud PKI root and issuing CA (no CDP), alice's
/// certificate, the Cloud PKI CA export and two NPS snapshots with `extra` under EAP\13.
fn founding_bundle(dir: &Path, extra: &str) -> Pki {
    let pki = Pki::cloud(&[]);
    write(
        &dir.join("certs/cloud-pki/Contoso Cloud PKI Root CA.cer"),
        &pki.root_der,
    );
    write(
        &dir.join("certs/cloud-pki/Contoso Cloud PKI Issuing CA.cer"),
        &pki.issuing_der,
    );
    let alice = pki.leaf(&user_leaf(), "leaf-user");
    write(&dir.join("certs/users/alice.contoso.com.cer"), &alice);
    write(
        &dir.join("intune/cloudCertificationAuthority-issuing.json"),
        cloud_ca_json(&pki.issuing_der).as_bytes(),
    );
    write(&dir.join("nps/NPS01.reg"), &nps_reg("NPS01", extra, ""));
    write(&dir.join("nps/NPS02.reg"), &nps_reg("NPS02", extra, ""));
    pki
}

/// A version 1 self-signed root (no extensions at all, as old roots are) that issued a client
/// certificate. rcgen writes only v3, so openssl makes both.
fn legacy_v1_root() {
    let dir = root_dir().join("testdata/scenarios/legacy-v1-root");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("certs")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let keys = root_dir().join("tests/certgen/keys");
    fs::copy(keys.join("root.pem"), tmp.path().join("root.key")).unwrap();
    fs::copy(keys.join("leaf-user.pem"), tmp.path().join("leaf.key")).unwrap();
    fs::write(
        tmp.path().join("ext.cnf"),
        "extendedKeyUsage=clientAuth\ncrlDistributionPoints=URI:http://pki.contoso.com/CertEnroll/legacy.crl\nauthorityKeyIdentifier=keyid,issuer\n",
    )
    .unwrap();
    for args in [
        &[
            "req",
            "-new",
            "-key",
            "root.key",
            "-subj",
            "/CN=Contoso Legacy Root CA/O=Contoso",
            "-out",
            "root.csr",
        ][..],
        &[
            "x509",
            "-req",
            "-in",
            "root.csr",
            "-signkey",
            "root.key",
            "-days",
            "7300",
            "-set_serial",
            "0x4001",
            "-out",
            "root.pem",
        ],
        &ALICE_CSR,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-days",
            "3650",
            "-set_serial",
            "0x4002",
            "-extfile",
            "ext.cnf",
            "-outform",
            "DER",
            "-out",
            "alice.cer",
        ],
        &[
            "x509", "-in", "root.pem", "-outform", "DER", "-out", "root.cer",
        ],
    ] {
        openssl(args, tmp.path());
    }
    fs::copy(
        tmp.path().join("root.cer"),
        dir.join("certs/legacy-root-v1.cer"),
    )
    .unwrap();
    fs::copy(tmp.path().join("alice.cer"), dir.join("certs/alice.cer")).unwrap();
    readme(
        &dir,
        "An old self-signed root in X.509 version 1 (no extensions, so no basicConstraints) that\nissued a client certificate. Windows and RFC 5280 accept a v1 trust anchor as a CA, so\nca-without-basic-constraints must not fire. Made with openssl by tests/certgen.rs (TEST ONLY\nkeys); not byte-reproducible.\n",
    );
}

fn revocation_rules() {
    // issuing-ca-without-cdp: the CDP-less issuing CA + an NPS .reg without the value; pass: the
    // issuing CA carries a CDP.
    for (side, cdp) in [("fail", vec![]), ("pass", vec![CLOUD_PKI_ISSUING_CDP])] {
        let d = rule_dir("issuing-ca-without-cdp", side);
        let pki = Pki::cloud(&cdp);
        pki.write_cas(&d);
        write(
            &d.join("certs/alice.cer"),
            &pki.leaf(&user_leaf(), "leaf-user"),
        );
        write(&d.join("nps/NPS01.reg"), &nps_reg("NPS01", "", ""));
    }
    // leaf-without-revocation-info: a client certificate without CDP; pass: with CDP.
    for (side, cdp) in [("fail", vec![]), ("pass", vec![CLOUD_PKI_LEAF_CDP])] {
        let d = rule_dir("leaf-without-revocation-info", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        pki.write_cas(&d);
        let leaf = Spec { cdp, ..user_leaf() };
        write(&d.join("certs/alice.cer"), &pki.leaf(&leaf, "leaf-user"));
    }
    // cdp-ldap-only: the issuing CA publishes its CRL only over LDAP; pass: LDAP and HTTP.
    const LDAP: &str = "ldap:///CN=Contoso%20Root%20CA,CN=CA01,CN=CDP,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?certificateRevocationList?base?objectClass=cRLDistributionPoint";
    const HTTP: &str = "http://pki.contoso.com/CertEnroll/Contoso%20Root%20CA.crl";
    for (side, cdp) in [("fail", vec![LDAP]), ("pass", vec![LDAP, HTTP])] {
        let d = rule_dir("cdp-ldap-only", side);
        let root = Spec::ca("Contoso Root CA", 0x1101);
        let issuing = Spec {
            cdp,
            ..Spec::ca("Contoso Issuing CA", 0x2101)
        };
        let pki = Pki::new(&root, &issuing);
        pki.write_cas(&d);
        let leaf = Spec {
            cdp: vec!["http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl"],
            ..user_leaf()
        };
        write(&d.join("certs/alice.cer"), &pki.leaf(&leaf, "leaf-user"));
    }
    // nps-revocation-check-disabled: NoRevocationCheck=1 under EAP\13; pass: 0.
    for (side, value) in [("fail", 1), ("pass", 0)] {
        let d = rule_dir("nps-revocation-check-disabled", side);
        let extra = format!("\"NoRevocationCheck\"=dword:0000000{value}\n");
        write(&d.join("nps/NPS01.reg"), &nps_reg("NPS01", &extra, ""));
    }
}

fn chain_rules() {
    // chain-incomplete: the root is missing; pass: the root is there.
    for side in ["fail", "pass"] {
        let d = rule_dir("chain-incomplete", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        write(&d.join("certs/issuing-ca.cer"), &pki.issuing_der);
        write(
            &d.join("certs/alice.cer"),
            &pki.leaf(&user_leaf(), "leaf-user"),
        );
        if side == "pass" {
            write(&d.join("certs/root-ca.cer"), &pki.root_der);
        }
    }
    // ca-without-basic-constraints: the issuing CA has no basicConstraints; pass: it has cA=TRUE.
    for (side, ca) in [("fail", None), ("pass", Some(true))] {
        let d = rule_dir("ca-without-basic-constraints", side);
        let root = Spec::ca("Contoso Root CA", 0x1201);
        let issuing = Spec {
            ca,
            cdp: vec!["http://pki.contoso.com/CertEnroll/Contoso%20Root%20CA.crl"],
            ..Spec::ca("Contoso Issuing CA", 0x2201)
        };
        let pki = Pki::new(&root, &issuing);
        pki.write_cas(&d);
        write(
            &d.join("certs/alice.cer"),
            &pki.leaf(&user_leaf(), "leaf-user"),
        );
    }
}

fn key_rules() {
    // rsa-key-too-small: a client certificate with a 1024-bit RSA key; pass: 2048 bits.
    for side in ["fail", "pass"] {
        let d = rule_dir("rsa-key-too-small", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        pki.write_cas(&d);
        let leaf = if side == "fail" {
            let spki = fs::read(root_dir().join("tests/certgen/keys/weak-1024.spki.der")).unwrap();
            pki.leaf_with_public_key(&user_leaf(), &spki)
        } else {
            pki.leaf(&user_leaf(), "leaf-user")
        };
        write(&d.join("certs/alice.cer"), &leaf);
    }
    // sha1-signature: the same client certificate signed with SHA-1 (openssl), pass: SHA-256.
    for (side, digest) in [("fail", "-sha1"), ("pass", "-sha256")] {
        let d = rule_dir("sha1-signature", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        pki.write_cas(&d);
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("issuing.pem"), pki.issuing_pem()).unwrap();
        fs::copy(
            root_dir().join("tests/certgen/keys/issuing.pem"),
            tmp.path().join("issuing.key"),
        )
        .unwrap();
        fs::copy(
            root_dir().join("tests/certgen/keys/leaf-user.pem"),
            tmp.path().join("leaf.key"),
        )
        .unwrap();
        fs::write(
            tmp.path().join("ext.cnf"),
            format!("basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\nsubjectAltName=otherName:1.3.6.1.4.1.311.20.2.3;UTF8:alice@contoso.com\ncrlDistributionPoints=URI:{CLOUD_PKI_LEAF_CDP}\nauthorityKeyIdentifier=keyid\n"),
        )
        .unwrap();
        openssl(&ALICE_CSR, tmp.path());
        // -days from today would rot; a fixed window needs -not_before/-not_after (OpenSSL 3.4+),
        // so the validity is wide instead: tests pin --now inside it.
        openssl(
            &[
                "x509",
                "-req",
                "-in",
                "leaf.csr",
                "-CA",
                "issuing.pem",
                "-CAkey",
                "issuing.key",
                digest,
                "-set_serial",
                "0x3301",
                "-days",
                "3650",
                "-extfile",
                "ext.cnf",
                "-outform",
                "DER",
                "-out",
                "leaf.cer",
            ],
            tmp.path(),
        );
        fs::copy(tmp.path().join("leaf.cer"), {
            let p = d.join("certs/alice.cer");
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            p
        })
        .unwrap();
    }
}

fn validity_rules() {
    type Ymd = (i32, u8, u8);
    let cases: [(&str, Ymd, Ymd); 3] = [
        ("certificate-expired", (2024, 6, 1), (2025, 6, 1)),
        ("certificate-expires-soon", (2025, 12, 10), (2026, 12, 10)),
        ("certificate-not-yet-valid", (2027, 1, 15), (2028, 1, 15)),
    ];
    for (name, not_before, not_after) in cases {
        for side in ["fail", "pass"] {
            let d = rule_dir(name, side);
            let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
            pki.write_cas(&d);
            let leaf = if side == "fail" {
                Spec {
                    not_before,
                    not_after,
                    ..user_leaf()
                }
            } else {
                user_leaf()
            };
            write(&d.join("certs/alice.cer"), &pki.leaf(&leaf, "leaf-user"));
        }
    }
}

/// A Wi-Fi profile as `netsh wlan export profile` writes one for WPA2-Enterprise with PEAP,
/// its inner method `inner` (26 EAP-MSCHAPv2, 13 EAP-TLS).
fn wlan_peap(name: &str, inner: u32) -> String {
    let inner_type = if inner == 26 {
        "<EapType xmlns=\"http://www.microsoft.com/provisioning/MsChapV2ConnectionPropertiesV1\"><UseWinLogonCredentials>true</UseWinLogonCredentials></EapType>".to_owned()
    } else {
        "<EapType xmlns=\"http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV1\"><CredentialsSource><CertificateStore><SimpleCertSelection>true</SimpleCertSelection></CertificateStore></CredentialsSource><ServerValidation><DisableUserPromptForServerValidation>true</DisableUserPromptForServerValidation><ServerNames>nps01.contoso.com</ServerNames></ServerValidation><DifferentUsername>false</DifferentUsername></EapType>".to_owned()
    };
    format!(
        "<?xml version=\"1.0\"?>\r\n<WLANProfile xmlns=\"http://www.microsoft.com/networking/WLAN/profile/v1\">\r\n\t<name>{name}</name>\r\n\t<SSIDConfig>\r\n\t\t<SSID>\r\n\t\t\t<name>{name}</name>\r\n\t\t</SSID>\r\n\t</SSIDConfig>\r\n\t<connectionType>ESS</connectionType>\r\n\t<connectionMode>auto</connectionMode>\r\n\t<MSM>\r\n\t\t<security>\r\n\t\t\t<authEncryption>\r\n\t\t\t\t<authentication>WPA2</authentication>\r\n\t\t\t\t<encryption>AES</encryption>\r\n\t\t\t\t<useOneX>true</useOneX>\r\n\t\t\t</authEncryption>\r\n\t\t\t<OneX xmlns=\"http://www.microsoft.com/networking/OneX/v1\">\r\n\t\t\t\t<authMode>user</authMode>\r\n\t\t\t\t<EAPConfig><EapHostConfig xmlns=\"http://www.microsoft.com/provisioning/EapHostConfig\"><EapMethod><Type xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">25</Type><VendorId xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">0</VendorId><VendorType xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">0</VendorType><AuthorId xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">0</AuthorId></EapMethod><Config xmlns=\"http://www.microsoft.com/provisioning/EapHostConfig\"><Eap xmlns=\"http://www.microsoft.com/provisioning/BaseEapConnectionPropertiesV1\"><Type>25</Type><EapType xmlns=\"http://www.microsoft.com/provisioning/MsPeapConnectionPropertiesV1\"><ServerValidation><DisableUserPromptForServerValidation>true</DisableUserPromptForServerValidation><ServerNames>nps01.contoso.com</ServerNames><TrustedRootCA>{ROOT_PIN}</TrustedRootCA></ServerValidation><FastReconnect>true</FastReconnect><InnerEapOptional>false</InnerEapOptional><Eap xmlns=\"http://www.microsoft.com/provisioning/BaseEapConnectionPropertiesV1\"><Type>{inner}</Type>{inner_type}</Eap><EnableQuarantineChecks>false</EnableQuarantineChecks><RequireCryptoBinding>false</RequireCryptoBinding><PeapExtensions><PerformServerValidation xmlns=\"http://www.microsoft.com/provisioning/MsPeapConnectionPropertiesV2\">true</PerformServerValidation><AcceptServerName xmlns=\"http://www.microsoft.com/provisioning/MsPeapConnectionPropertiesV2\">true</AcceptServerName></PeapExtensions></EapType></Eap></Config></EapHostConfig></EAPConfig>\r\n\t\t\t</OneX>\r\n\t\t</security>\r\n\t</MSM>\r\n</WLANProfile>\r\n"
    )
}

/// Where `wlan_peap` pins the root; replaced by the real thumbprint.
const ROOT_PIN: &str = "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";

fn wifi_rules() {
    // vpn-mschapv2-with-credential-guard: a Wi-Fi profile with PEAP and its default inner
    // EAP-MSCHAPv2; pass: the same profile with PEAP-TLS inside. The root both pin is in the
    // folder, so nothing else fires.
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    let pin = spaced_thumbprint(&pki.root_der);
    for (side, inner) in [("fail", 26), ("pass", 13)] {
        let d = rule_dir("vpn-mschapv2-with-credential-guard", side);
        write(
            &d.join("certs/Contoso Cloud PKI Root CA.cer"),
            &pki.root_der,
        );
        write(
            &d.join("wifi/Contoso Corp.xml"),
            wlan_peap("Contoso Corp", inner)
                .replace(ROOT_PIN, &pin)
                .as_bytes(),
        );
    }
}

fn hygiene_rules() {
    // file-not-read: the console output of `Get-CimInstance -Namespace root\cimv2\mdm\dmmap
    // -ClassName MDM_VPNv2_01` saved to a file (the shape Microsoft's AOVPN guide prints; the
    // ProfileXML wrapped at the console's width); pass: the same folder with a plain text file,
    // which is not a format of any kind and goes unmentioned.
    for side in ["fail", "pass"] {
        let d = rule_dir("file-not-read", side);
        write(
            &d.join("README.txt"),
            b"Profiles deployed on the pilot devices, 2026-11.\n",
        );
        if side == "fail" {
            write(
                &d.join("pilot-device-vpn.txt"),
                b"\n\n__GENUS          : 2\n__CLASS          : MDM_VPNv2_01\n__SUPERCLASS     :\n__DYNASTY        : MDM_VPNv2_01\n__RELPATH        : MDM_VPNv2_01.InstanceID=\"Contoso%20AlwaysOn\",ParentID=\"./Vendor/MSFT/VPNv2\"\n__PROPERTY_COUNT : 10\nAlwaysOn         : True\nInstanceID       : Contoso%20AlwaysOn\nParentID         : ./Vendor/MSFT/VPNv2\nProfileXML       : <VPNProfile><AlwaysOn>true</AlwaysOn><NativeProfile><Servers>vpn.contoso.com</S\n                   ervers><NativeProtocolType>IKEv2</NativeProtocolType></NativeProfile></VPNProf\n                   ile>\n",
            );
        }
    }
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    let chain_pem = format!("{}{}", pki.issuing_pem(), pki.root_pem());
    // private-key-in-bundle: a PEM bundle with the NPS server key inside (TEST ONLY key).
    for side in ["fail", "pass"] {
        let d = rule_dir("private-key-in-bundle", side);
        let mut pem = chain_pem.clone();
        if side == "fail" {
            pem.push_str(
                &fs::read_to_string(root_dir().join("tests/certgen/keys/nps-server.pem")).unwrap(),
            );
        }
        write(&d.join("nps01-bundle.pem"), pem.as_bytes());
    }
    // protected-key-in-bundle: a PKCS#12 export of the user certificate; pass: the .cer only.
    for side in ["fail", "pass"] {
        let d = rule_dir("protected-key-in-bundle", side);
        let leaf = pki.leaf(&user_leaf(), "leaf-user");
        write(&d.join("alice.cer"), &leaf);
        if side == "fail" {
            let tmp = tempfile::tempdir().unwrap();
            fs::write(tmp.path().join("leaf.der"), &leaf).unwrap();
            fs::copy(
                root_dir().join("tests/certgen/keys/leaf-user.pem"),
                tmp.path().join("leaf.key"),
            )
            .unwrap();
            openssl(
                &[
                    "x509", "-inform", "DER", "-in", "leaf.der", "-out", "leaf.pem",
                ],
                tmp.path(),
            );
            openssl(
                &[
                    "pkcs12",
                    "-export",
                    "-in",
                    "leaf.pem",
                    "-inkey",
                    "leaf.key",
                    "-passout",
                    "pass:TEST-ONLY",
                    "-out",
                    "alice.pfx",
                ],
                tmp.path(),
            );
            fs::copy(tmp.path().join("alice.pfx"), d.join("alice.pfx")).unwrap();
        }
    }
    // unparseable-file: the issuing CA certificate cut short; pass: whole.
    for side in ["fail", "pass"] {
        let d = rule_dir("unparseable-file", side);
        let der = if side == "fail" {
            &pki.issuing_der[..pki.issuing_der.len() / 2]
        } else {
            &pki.issuing_der[..]
        };
        write(&d.join("certs/issuing-ca.cer"), der);
    }
    // file-too-large: scanned with the limit in testdata/rules/file-too-large/max-file-size; the
    // fail side holds a bundle over it, the pass side the single certificate under it.
    for side in ["fail", "pass"] {
        let d = rule_dir("file-too-large", side);
        let body = if side == "fail" {
            chain_pem.repeat(3)
        } else {
            pki.root_pem()
        };
        write(&d.join("chain.pem"), body.as_bytes());
    }
    write(
        &root_dir().join("testdata/rules/file-too-large/max-file-size"),
        b"4096\n",
    );
}

/// A PKI whose issuing CA publishes a CDP, alice's certificate under it, and `crl` beside them.
fn pki_with_crl(d: &Path, crl: impl Fn(&Pki) -> Vec<u8>) {
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    pki.write_cas(d);
    write(
        &d.join("certs/alice.cer"),
        &pki.leaf(&user_leaf(), "leaf-user"),
    );
    write(&d.join("crl/issuing-ca.crl"), &crl(&pki));
}

fn crl_rules() {
    // crl-expired: the issuing CA's CRL ran out before the tests' --now (2026-12-01); pass: current.
    for (side, next) in [("fail", (2026, 11, 20)), ("pass", (2026, 12, 18))] {
        pki_with_crl(&rule_dir("crl-expired", side), |pki| {
            pki.crl("issuing", (2026, 11, 13), next, &[])
        });
    }
    // crl-signature-invalid: a CRL under the issuing CA's name signed by another key; pass: by
    // the issuing CA's key.
    for (side, signer) in [("fail", "issuing-onprem"), ("pass", "issuing")] {
        pki_with_crl(&rule_dir("crl-signature-invalid", side), |pki| {
            pki.crl(signer, (2026, 11, 27), (2026, 12, 4), &[])
        });
    }
    // certificate-revoked: the current CRL lists alice's serial; pass: another serial.
    for (side, serial) in [("fail", 0x3001), ("pass", 0x3999)] {
        pki_with_crl(&rule_dir("certificate-revoked", side), |pki| {
            pki.crl("issuing", (2026, 11, 27), (2026, 12, 4), &[serial])
        });
    }
    // nps-ignore-no-revocation-unneeded: every CA and leaf has a CDP, yet NPS ignores missing
    // revocation; pass: the Cloud PKI issuing CA without CDP, which is what the value is for.
    for (side, cdp) in [("fail", vec![CLOUD_PKI_ISSUING_CDP]), ("pass", vec![])] {
        let d = rule_dir("nps-ignore-no-revocation-unneeded", side);
        let pki = Pki::cloud(&cdp);
        pki.write_cas(&d);
        write(
            &d.join("certs/alice.cer"),
            &pki.leaf(&user_leaf(), "leaf-user"),
        );
        write(
            &d.join("nps/NPS01.reg"),
            &nps_reg("NPS01", IGNORE_NO_REV, ""),
        );
    }
    // nps-revocation-offline-ignored: IgnoreRevocationOffline=1 under EAP\13; pass: 0.
    for (side, value) in [("fail", 1), ("pass", 0)] {
        let d = rule_dir("nps-revocation-offline-ignored", side);
        let extra = format!("\"IgnoreRevocationOffline\"=dword:0000000{value}\n");
        write(&d.join("nps/NPS01.reg"), &nps_reg("NPS01", &extra, ""));
    }
}

fn more_chain_rules() {
    // path-length-exceeded: a root with pathlen 1 (one CA tier below it) above a policy CA
    // that issued a third tier; pass: the root allows two tiers below it.
    for (side, path_len) in [("fail", 1), ("pass", 2)] {
        let d = rule_dir("path-length-exceeded", side);
        let root = Spec {
            path_len: Some(path_len),
            ..Spec::ca("Contoso Root CA", 0x1301)
        };
        let issuing = Spec {
            cdp: vec!["http://pki.contoso.com/CertEnroll/Contoso%20Root%20CA.crl"],
            ..Spec::ca("Contoso Policy CA", 0x2301)
        };
        let pki = Pki::new(&root, &issuing);
        pki.write_cas(&d);
        let sub = Spec {
            cdp: vec!["http://pki.contoso.com/CertEnroll/Contoso%20Policy%20CA.crl"],
            ..Spec::ca("Contoso User Issuing CA", 0x2302)
        };
        let sub_params = sub.params();
        write(
            &d.join("certs/user-issuing-ca.cer"),
            &pki.leaf(&sub, "issuing-onprem"),
        );
        let leaf = Spec {
            cdp: vec!["http://pki.contoso.com/CertEnroll/Contoso%20User%20Issuing%20CA.crl"],
            ..user_leaf()
        };
        let issuer = Issuer::from_params(&sub_params, key("issuing-onprem"));
        let alice = leaf.params().signed_by(&key("leaf-user"), &issuer).unwrap();
        write(&d.join("certs/alice.cer"), alice.der());
    }
    // unknown-critical-extension: alice's certificate with a private extension marked critical;
    // pass: the same extension, not critical.
    for (side, critical) in [("fail", true), ("pass", false)] {
        let d = rule_dir("unknown-critical-extension", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        pki.write_cas(&d);
        let mut params = user_leaf().params();
        // A private-enterprise OID (the documentation arc 1.3.6.1.4.1.32473) with a NULL value.
        let mut ext = CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 32473, 1], vec![5, 0]);
        ext.set_criticality(critical);
        params.custom_extensions.push(ext);
        let issuer = Issuer::from_params(&pki.issuing_params, key("issuing"));
        let alice = params.signed_by(&key("leaf-user"), &issuer).unwrap();
        write(&d.join("certs/alice.cer"), alice.der());
    }
    // validity-exceeds-issuer: alice's certificate runs to 2035, the issuing CA to 2034; pass:
    // it ends in 2031.
    for (side, not_after) in [("fail", (2035, 6, 1)), ("pass", (2031, 6, 1))] {
        let d = rule_dir("validity-exceeds-issuer", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        pki.write_cas(&d);
        let leaf = Spec {
            not_after,
            ..user_leaf()
        };
        write(&d.join("certs/alice.cer"), &pki.leaf(&leaf, "leaf-user"));
    }
    // certificate-signature-invalid: a certificate naming the issuing CA as issuer but signed by
    // another key; pass: signed by the issuing CA's key.
    for (side, signer) in [("fail", "issuing-onprem"), ("pass", "issuing")] {
        let d = rule_dir("certificate-signature-invalid", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        pki.write_cas(&d);
        let issuer = Issuer::from_params(&pki.issuing_params, key(signer));
        let alice = user_leaf()
            .params()
            .signed_by(&key("leaf-user"), &issuer)
            .unwrap();
        write(&d.join("certs/alice.cer"), alice.der());
    }
}

fn mapping_rules() {
    // strong-mapping-missing: a user certificate with a UPN and no SID URI; pass: with the URI.
    for side in ["fail", "pass"] {
        let d = rule_dir("strong-mapping-missing", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        pki.write_cas(&d);
        let leaf = if side == "fail" {
            Spec {
                uris: vec![],
                ..user_leaf()
            }
        } else {
            user_leaf()
        };
        write(&d.join("certs/alice.cer"), &pki.leaf(&leaf, "leaf-user"));
    }
}

// ---- Profiles: ProfileXML, EAP XML and Intune Graph JSON -------------------------------------

/// Windows' spelling of a thumbprint in EAP XML: lower-case hex pairs, space-separated, with the
/// trailing space Microsoft's samples have.
fn spaced_thumbprint(der: &[u8]) -> String {
    let hex = common::sha1_hex(der);
    let mut out = String::new();
    for pair in hex.as_bytes().chunks(2) {
        out.push_str(std::str::from_utf8(pair).unwrap());
        out.push(' ');
    }
    out
}

/// What an EAP configuration says.
struct Eap {
    trusted_roots: Vec<String>,
    server_names: &'static str,
    disable_prompt: bool,
    perform_validation: bool,
    issuer_hashes: Vec<String>,
}

impl Eap {
    fn pinned(pki: &Pki) -> Eap {
        Eap {
            trusted_roots: vec![spaced_thumbprint(&pki.root_der)],
            server_names: "nps01.contoso.com",
            disable_prompt: true,
            perform_validation: true,
            issuer_hashes: vec![spaced_thumbprint(&pki.issuing_der)],
        }
    }

    /// PEAP wrapping EAP-TLS, as the Always On VPN documentation builds it.
    fn xml(&self, indent: &str) -> String {
        let sv = |pad: &str| {
            let mut s = format!(
                "{pad}<ServerValidation>\n{pad}  <DisableUserPromptForServerValidation>{}</DisableUserPromptForServerValidation>\n{pad}  <ServerNames>{}</ServerNames>\n",
                self.disable_prompt, self.server_names
            );
            for r in &self.trusted_roots {
                s.push_str(&format!("{pad}  <TrustedRootCA>{r}</TrustedRootCA>\n"));
            }
            s.push_str(&format!("{pad}</ServerValidation>\n"));
            s
        };
        let mut hashes = String::new();
        for h in &self.issuer_hashes {
            hashes.push_str(&format!("              <IssuerHash>{h}</IssuerHash>\n"));
        }
        let body = format!(
            r#"<EapHostConfig xmlns="http://www.microsoft.com/provisioning/EapHostConfig">
  <EapMethod>
    <Type xmlns="http://www.microsoft.com/provisioning/EapCommon">25</Type>
    <VendorId xmlns="http://www.microsoft.com/provisioning/EapCommon">0</VendorId>
    <VendorType xmlns="http://www.microsoft.com/provisioning/EapCommon">0</VendorType>
    <AuthorId xmlns="http://www.microsoft.com/provisioning/EapCommon">0</AuthorId>
  </EapMethod>
  <Config xmlns="http://www.microsoft.com/provisioning/EapHostConfig">
    <Eap xmlns="http://www.microsoft.com/provisioning/BaseEapConnectionPropertiesV1">
      <Type>25</Type>
      <EapType xmlns="http://www.microsoft.com/provisioning/MsPeapConnectionPropertiesV1">
{outer}        <FastReconnect>true</FastReconnect>
        <InnerEapOptional>false</InnerEapOptional>
        <Eap xmlns="http://www.microsoft.com/provisioning/BaseEapConnectionPropertiesV1">
          <Type>13</Type>
          <EapType xmlns="http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV1">
            <CredentialsSource>
              <CertificateStore>
                <SimpleCertSelection>true</SimpleCertSelection>
              </CertificateStore>
            </CredentialsSource>
{inner}            <DifferentUsername>false</DifferentUsername>
            <PerformServerValidation xmlns="http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV2">{perform}</PerformServerValidation>
            <AcceptServerName xmlns="http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV2">true</AcceptServerName>
            <TLSExtensions xmlns="http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV2">
              <FilteringInfo xmlns="http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV3">
                <CAHashList Enabled="{enabled}">
{hashes}                </CAHashList>
              </FilteringInfo>
            </TLSExtensions>
          </EapType>
        </Eap>
        <EnableQuarantineChecks>false</EnableQuarantineChecks>
        <RequireCryptoBinding>false</RequireCryptoBinding>
        <PeapExtensions>
          <PerformServerValidation xmlns="http://www.microsoft.com/provisioning/MsPeapConnectionPropertiesV2">{perform}</PerformServerValidation>
          <AcceptServerName xmlns="http://www.microsoft.com/provisioning/MsPeapConnectionPropertiesV2">true</AcceptServerName>
        </PeapExtensions>
      </EapType>
    </Eap>
  </Config>
</EapHostConfig>
"#,
            outer = sv("        "),
            inner = sv("            "),
            perform = self.perform_validation,
            enabled = !self.issuer_hashes.is_empty(),
        );
        body.lines().map(|l| format!("{indent}{l}\n")).collect()
    }
}

/// A user-tunnel (or device-tunnel) ProfileXML around an EAP configuration.
fn profile_xml(eap: Option<&Eap>, device_tunnel: bool, protocol: &str) -> String {
    let auth = match eap {
        Some(e) => format!(
            "      <UserMethod>Eap</UserMethod>\n      <Eap>\n        <Configuration>\n{}        </Configuration>\n      </Eap>\n",
            e.xml("          ")
        ),
        None => "      <MachineMethod>Certificate</MachineMethod>\n".to_owned(),
    };
    format!(
        "<VPNProfile>\n  <AlwaysOn>true</AlwaysOn>\n  <DeviceTunnel>{device_tunnel}</DeviceTunnel>\n  <NativeProfile>\n    <Servers>vpn.contoso.com</Servers>\n    <NativeProtocolType>{protocol}</NativeProtocolType>\n    <RoutingPolicyType>SplitTunnel</RoutingPolicyType>\n    <Authentication>\n{auth}    </Authentication>\n  </NativeProfile>\n</VPNProfile>\n"
    )
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Intune keeps `{{CloudPKIFQDN}}` literal in the profile and substitutes it on the device.
const CLOUD_PKI_SCEP_URL: &str = "https://{{CloudPKIFQDN}}/TrafficGateway/PassThroughRoutingService/CloudPki/CloudPkiService/Scep/0c3a7e52-91b4-4f0d-a6e8-3d5b7c9f1a24/5f8b2c1e-7d3a-4e59-9b1f-2a6c0d4e8f10";

const TRUSTED_ROOT_ID: &str = "6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f";

/// An Intune trusted-certificate profile as `GET deviceConfigurations/{id}` returns it.
fn intune_trusted_root(name: &str, der: &[u8], store: &str) -> String {
    intune_trusted_cert(TRUSTED_ROOT_ID, name, der, store)
}

/// An Intune trusted-certificate profile of id `id`.
fn intune_trusted_cert(id: &str, name: &str, der: &[u8], store: &str) -> String {
    format!(
        r##"{{
  "@odata.type": "#microsoft.graph.windows81TrustedRootCertificate",
  "id": "{id}",
  "displayName": "{name}",
  "trustedRootCertificate": "{}",
  "certFileName": "{name}.cer",
  "destinationStore": "{store}"
}}
"##,
        b64(der)
    )
}

/// What an Intune SCEP profile says.
struct Scep {
    ekus: Vec<(&'static str, &'static str)>,
    key_size: &'static str,
    hash: &'static str,
    store: &'static str,
    sid_uri: bool,
    validity_years: u32,
    root_bind: &'static str,
    scep_url: &'static str,
    /// SCEP URLs listed after `scep_url`.
    more_scep_urls: Vec<&'static str>,
    /// The custom SANs (type, value) instead of the UPN (and SID URI, with `sid_uri`).
    sans: Option<Vec<(&'static str, &'static str)>>,
    /// `subjectNameFormat`, and `subjectNameFormatString` when not empty.
    subject_name: (&'static str, &'static str),
}

impl Scep {
    fn healthy() -> Scep {
        Scep {
            ekus: vec![("Client Authentication", "1.3.6.1.5.5.7.3.2")],
            key_size: "size2048",
            hash: "sha2",
            store: "user",
            sid_uri: true,
            validity_years: 1,
            root_bind: TRUSTED_ROOT_ID,
            scep_url: CLOUD_PKI_SCEP_URL,
            more_scep_urls: vec![],
            sans: None,
            subject_name: ("commonNameAsEmail", ""),
        }
    }

    fn json(&self) -> String {
        let ekus: Vec<String> = self
            .ekus
            .iter()
            .map(|(n, o)| format!(r#"    {{ "@odata.type": "microsoft.graph.extendedKeyUsage", "name": "{n}", "objectIdentifier": "{o}" }}"#))
            .collect();
        let custom: String;
        let sans = if let Some(list) = &self.sans {
            custom = list
                .iter()
                .map(|(t, n)| format!(r#"    {{ "@odata.type": "microsoft.graph.customSubjectAlternativeName", "sanType": "{t}", "name": "{n}" }}"#))
                .collect::<Vec<_>>()
                .join(",\n");
            custom.as_str()
        } else if self.sid_uri {
            r#"    { "@odata.type": "microsoft.graph.customSubjectAlternativeName", "sanType": "universalResourceIdentifier", "name": "tag:microsoft.com,2022-09-14:sid:{{OnPremisesSecurityIdentifier}}" },
    { "@odata.type": "microsoft.graph.customSubjectAlternativeName", "sanType": "userPrincipalName", "name": "{{UserPrincipalName}}" }"#
        } else {
            r#"    { "@odata.type": "microsoft.graph.customSubjectAlternativeName", "sanType": "userPrincipalName", "name": "{{UserPrincipalName}}" }"#
        };
        format!(
            r##"{{
  "@odata.type": "#microsoft.graph.windows81SCEPCertificateProfile",
  "id": "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
  "displayName": "AOVPN User Certificate",
  "renewalThresholdPercentage": 20,
  "keyStorageProvider": "useTpmKspOtherwiseFail",
  "subjectNameFormat": "{subject_format}",{subject_string}
  "certificateValidityPeriodValue": {validity},
  "certificateValidityPeriodScale": "years",
  "extendedKeyUsages": [
{ekus}
  ],
  "customSubjectAlternativeNames": [
{sans}
  ],
  "scepServerUrls": [
    {scep_urls}
  ],
  "keyUsage": "digitalSignature,keyEncipherment",
  "keySize": "{key_size}",
  "hashAlgorithm": "{hash}",
  "certificateStore": "{store}"{bind}
}}
"##,
            validity = self.validity_years,
            subject_format = self.subject_name.0,
            subject_string = if self.subject_name.1.is_empty() {
                String::new()
            } else {
                format!(
                    "\n  \"subjectNameFormatString\": \"{}\",",
                    self.subject_name.1
                )
            },
            ekus = ekus.join(",\n"),
            key_size = self.key_size,
            hash = self.hash,
            store = self.store,
            // An empty reference is no reference: what a Graph list response or an IntuneCD
            // backup holds.
            bind = if self.root_bind.is_empty() {
                String::new()
            } else {
                format!(
                    ",\n  \"rootCertificate@odata.bind\": \"https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('{}')\"",
                    self.root_bind
                )
            },
            scep_urls = std::iter::once(self.scep_url)
                .chain(self.more_scep_urls.iter().copied())
                .map(|u| format!("\"{u}\""))
                .collect::<Vec<_>>()
                .join(",\n    "),
        )
    }
}

/// The NPS server's certificate: Server Authentication (or not), its DNS name in CN and SAN.
fn nps_server_leaf(pki: &Pki, cn: &'static str, server_auth: bool) -> Vec<u8> {
    let spec = Spec {
        cn,
        eku: if server_auth {
            vec![ExtendedKeyUsagePurpose::ServerAuth]
        } else {
            vec![ExtendedKeyUsagePurpose::ClientAuth]
        },
        upn: None,
        uris: vec![],
        dns: vec![cn],
        cdp: vec![CLOUD_PKI_LEAF_CDP],
        ..Spec::user(cn, 0x5001)
    };
    pki.leaf(&spec, "nps-server")
}

fn eku_rules() {
    // client-auth-eku-missing: the certificate the profile's IssuerHash filter selects has only
    // Server Authentication; pass: Client Authentication.
    for side in ["fail", "pass"] {
        let d = rule_dir("client-auth-eku-missing", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        pki.write_cas(&d);
        let leaf = Spec {
            eku: if side == "fail" {
                vec![ExtendedKeyUsagePurpose::ServerAuth]
            } else {
                vec![ExtendedKeyUsagePurpose::ClientAuth]
            },
            ..user_leaf()
        };
        write(&d.join("certs/alice.cer"), &pki.leaf(&leaf, "leaf-user"));
        let xml = profile_xml(Some(&Eap::pinned(&pki)), false, "IKEv2");
        write(&d.join("vpn/ProfileXML_User.xml"), xml.as_bytes());
    }
    // server-auth-eku-missing: the NPS certificate the profile names has only Client
    // Authentication; pass: Server Authentication.
    for (side, server_auth) in [("fail", false), ("pass", true)] {
        let d = rule_dir("server-auth-eku-missing", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        pki.write_cas(&d);
        write(
            &d.join("certs/nps01.contoso.com.cer"),
            &nps_server_leaf(&pki, "nps01.contoso.com", server_auth),
        );
        let xml = profile_xml(Some(&Eap::pinned(&pki)), false, "IKEv2");
        write(&d.join("vpn/ProfileXML_User.xml"), xml.as_bytes());
    }
}

fn vpn_rules() {
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    let other = Pki::new(
        &Spec::ca("Fabrikam Root CA", 0x1701),
        &Spec::ca("Fabrikam Issuing CA", 0x2701),
    );
    // vpn-trusted-root-not-found: the profile pins another PKI's root; pass: ours.
    for side in ["fail", "pass"] {
        let d = rule_dir("vpn-trusted-root-not-found", side);
        pki.write_cas(&d);
        let mut eap = Eap::pinned(&pki);
        if side == "fail" {
            eap.trusted_roots = vec![spaced_thumbprint(&other.root_der)];
        }
        write(
            &d.join("vpn/ProfileXML_User.xml"),
            profile_xml(Some(&eap), false, "IKEv2").as_bytes(),
        );
    }
    // vpn-trusted-root-not-a-root: the profile pins the issuing CA; pass: the root.
    for side in ["fail", "pass"] {
        let d = rule_dir("vpn-trusted-root-not-a-root", side);
        pki.write_cas(&d);
        let mut eap = Eap::pinned(&pki);
        if side == "fail" {
            eap.trusted_roots = vec![spaced_thumbprint(&pki.issuing_der)];
        }
        write(
            &d.join("vpn/ProfileXML_User.xml"),
            profile_xml(Some(&eap), false, "IKEv2").as_bytes(),
        );
    }
    // vpn-issuer-hash-not-found: the filter names another PKI's issuing CA; pass: ours. The
    // standalone EAP XML form (what Intune's "EAP Xml" box takes).
    for side in ["fail", "pass"] {
        let d = rule_dir("vpn-issuer-hash-not-found", side);
        pki.write_cas(&d);
        let mut eap = Eap::pinned(&pki);
        if side == "fail" {
            eap.issuer_hashes = vec![spaced_thumbprint(&other.issuing_der)];
        }
        write(&d.join("vpn/eap-config.xml"), eap.xml("").as_bytes());
    }
    // vpn-server-validation-disabled: no ServerNames and the prompt allowed; pass: names and no
    // prompt.
    for side in ["fail", "pass"] {
        let d = rule_dir("vpn-server-validation-disabled", side);
        pki.write_cas(&d);
        let mut eap = Eap::pinned(&pki);
        if side == "fail" {
            eap.server_names = "";
            eap.disable_prompt = false;
        }
        write(
            &d.join("vpn/ProfileXML_User.xml"),
            profile_xml(Some(&eap), false, "IKEv2").as_bytes(),
        );
    }
    // vpn-server-name-case-mismatch: ServerNames says NPS01.contoso.com, the certificate
    // nps01.contoso.com; pass: the same case.
    for (side, names) in [("fail", "NPS01.contoso.com"), ("pass", "nps01.contoso.com")] {
        let d = rule_dir("vpn-server-name-case-mismatch", side);
        pki.write_cas(&d);
        write(
            &d.join("certs/nps01.contoso.com.cer"),
            &nps_server_leaf(&pki, "nps01.contoso.com", true),
        );
        let mut eap = Eap::pinned(&pki);
        eap.server_names = names;
        write(
            &d.join("vpn/ProfileXML_User.xml"),
            profile_xml(Some(&eap), false, "IKEv2").as_bytes(),
        );
    }
    // vpn-device-tunnel-misconfigured: a device tunnel over SSTP; pass: IKEv2. Both use
    // machine-certificate authentication.
    for (side, protocol) in [("fail", "SSTP"), ("pass", "IKEv2")] {
        let d = rule_dir("vpn-device-tunnel-misconfigured", side);
        write(
            &d.join("vpn/ProfileXML_Device.xml"),
            profile_xml(None, true, protocol).as_bytes(),
        );
    }
}

fn intune_rules() {
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    let root_profile = intune_trusted_root(
        "Contoso Cloud PKI Root CA",
        &pki.root_der,
        "computerCertStoreRoot",
    );
    let scep_case = |name: &str, change: &dyn Fn(&mut Scep)| {
        for side in ["fail", "pass"] {
            let d = rule_dir(name, side);
            pki.write_cas(&d);
            write(&d.join("intune/trusted-root.json"), root_profile.as_bytes());
            let mut scep = Scep::healthy();
            if side == "fail" {
                change(&mut scep);
            }
            write(&d.join("intune/scep-user.json"), scep.json().as_bytes());
        }
    };
    scep_case("scep-profile-without-client-auth", &|s| {
        s.ekus = vec![("Server Authentication", "1.3.6.1.5.5.7.3.1")];
    });
    scep_case("scep-profile-weak-key", &|s| s.key_size = "size1024");
    scep_case("scep-profile-root-missing", &|s| {
        s.root_bind = "00000000-dead-4bad-8bad-000000000000";
    });
    scep_case("scep-profile-without-sid-uri", &|s| s.sid_uri = false);
    scep_case("scep-profile-root-not-exported", &|s| s.root_bind = "");
    scep_case("scep-profile-sha1", &|s| s.hash = "sha1");
    // The issuing CA runs to 2034; --now is 2026-12-01: about 7 years and a month are left.
    scep_case("scep-profile-validity-exceeds-ca", &|s| {
        s.validity_years = 8
    });
    scep_case("scep-profile-mixes-ndes-and-cloud-pki", &|s| {
        s.more_scep_urls = vec![NDES_URL];
    });
    scep_case("scep-any-purpose-with-cloud-pki", &|s| {
        s.ekus.push(("Any Purpose", "2.5.29.37.0"));
    });
    cloud_pki_rules(&pki);
    // trusted-root-profile-not-root: the root-store profile carries the issuing CA; pass: the
    // root.
    for side in ["fail", "pass"] {
        let d = rule_dir("trusted-root-profile-not-root", side);
        let der = if side == "fail" {
            &pki.issuing_der
        } else {
            &pki.root_der
        };
        write(
            &d.join("intune/trusted-root.json"),
            intune_trusted_root("Contoso Cloud PKI Root CA", der, "computerCertStoreRoot")
                .as_bytes(),
        );
    }
}

/// The Graph export of the Cloud PKI issuing CA (`GET deviceManagement/cloudCertificationAuthority/{id}`).
fn cloud_ca_json(der: &[u8]) -> String {
    cloud_ca_json_of(der, "issuingCertificationAuthority", &[])
}

/// A Cloud PKI CA export of type `ca_type` whose `extendedKeyUsages` are `ekus` (name, OID);
/// none written when empty.
fn cloud_ca_json_of(der: &[u8], ca_type: &str, ekus: &[(&str, &str)]) -> String {
    let ekus = if ekus.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = ekus
            .iter()
            .map(|(n, o)| format!(r#"    {{ "name": "{n}", "objectIdentifier": "{o}" }}"#))
            .collect();
        format!("  \"extendedKeyUsages\": [\n{}\n  ],\n", list.join(",\n"))
    };
    format!(
        r##"{{
  "@odata.type": "#microsoft.graph.cloudCertificationAuthority",
  "id": "5f8b2c1e-7d3a-4e59-9b1f-2a6c0d4e8f10",
  "displayName": "Contoso Cloud PKI Issuing CA",
  "cloudCertificationAuthorityType": "{ca_type}",
{ekus}  "certificationAuthorityStatus": "active",
  "certificateKeySize": "rsa2048",
  "cloudCertificationAuthorityHashingAlgorithm": "sha256",
  "keyPlatform": "software",
  "validityPeriodInYears": 10,
  "scepServerUrl": "{CLOUD_PKI_SCEP_URL}",
  "certificateRevocationListUrl": "{CLOUD_PKI_ISSUING_CDP}",
  "thumbprint": "{}"
}}
"##,
        common::sha1_hex(der).to_uppercase()
    )
}

// ---- Deployment scenarios: one healthy Always On VPN deployment and one mistake each ---------

const ONPREM_ROOT_CDP: &str = "http://pki.contoso.com/CertEnroll/Contoso%20Root%20CA.crl";
const ONPREM_ISSUING_CDP: &str = "http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl";
const ONPREM_ISSUING_LDAP_CDP: &str = "ldap:///CN=Contoso%20Issuing%20CA,CN=PKI01,CN=CDP,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?certificateRevocationList?base?objectClass=cRLDistributionPoint";
const NDES_URL: &str = "https://ndes.contoso.com/certsrv/mscep/mscep.dll";

/// What differs from the healthy deployment.
#[derive(Default)]
struct Mistake {
    pin_other_root: bool,
    scep_server_auth: bool,
    no_sid: bool,
    crl_next_update: Option<(i32, u8, u8)>,
    revoke_alice: bool,
    /// The Freshest CRL (delta CRL) URL alice's certificate names.
    alice_delta_crl: Option<&'static str>,
    /// The NPS certificate has an OCSP responder and only AD CS's default LDAP CDP.
    nps_ocsp_ldap_cdp: bool,
}

/// An on-premises two-tier AD CS PKI with CDPs, a fresh CRL, the NPS and VPN server
/// certificates, alice's Intune SCEP certificate, the ProfileXML that pins the root and filters
/// by the issuing CA, the Intune trusted-root and SCEP profiles, and an NPS registry snapshot.
fn deployment(dir: &Path, m: &Mistake) {
    let root = Spec {
        not_after: (2044, 1, 1),
        ..Spec::ca("Contoso Root CA", 0x1801)
    };
    let issuing = Spec {
        cdp: vec![ONPREM_ROOT_CDP],
        ..Spec::ca("Contoso Issuing CA", 0x2801)
    };
    let pki = Pki::new(&root, &issuing);
    write(&dir.join("pki/Contoso Root CA.cer"), &pki.root_der);
    write(&dir.join("pki/Contoso Issuing CA.cer"), &pki.issuing_der);
    let crl = pki.crl(
        "issuing",
        (2026, 11, 27),
        m.crl_next_update.unwrap_or((2027, 5, 27)),
        if m.revoke_alice {
            &[0x3801, 0x3802]
        } else {
            &[0x3802]
        },
    );
    write(&dir.join("pki/Contoso Issuing CA.crl"), &crl);

    let server = |cn: &'static str, serial: u64| Spec {
        cn,
        eku: vec![ExtendedKeyUsagePurpose::ServerAuth],
        upn: None,
        uris: vec![],
        dns: vec![cn],
        cdp: vec![ONPREM_ISSUING_CDP],
        ..Spec::user(cn, serial)
    };
    let nps_spec = if m.nps_ocsp_ldap_cdp {
        Spec {
            cdp: vec![ONPREM_ISSUING_LDAP_CDP],
            ocsp: vec!["http://ocsp.contoso.com/ocsp"],
            ..server("nps01.contoso.com", 0x3803)
        }
    } else {
        server("nps01.contoso.com", 0x3803)
    };
    let nps_server = pki.leaf(&nps_spec, "nps-server");
    write(&dir.join("servers/nps01.contoso.com.cer"), &nps_server);
    write(
        &dir.join("servers/vpn.contoso.com.cer"),
        &pki.leaf(&server("vpn.contoso.com", 0x3804), "leaf-device"),
    );
    let alice = Spec {
        cdp: vec![ONPREM_ISSUING_CDP],
        eku: if m.scep_server_auth {
            vec![ExtendedKeyUsagePurpose::ServerAuth]
        } else {
            vec![ExtendedKeyUsagePurpose::ClientAuth]
        },
        uris: if m.no_sid {
            vec![]
        } else {
            vec![ALICE_SID_URI]
        },
        freshest_crl: m.alice_delta_crl.into_iter().collect(),
        ..Spec::user("alice@contoso.com", 0x3801)
    };
    write(
        &dir.join("users/alice.contoso.com.cer"),
        &pki.leaf(&alice, "leaf-user"),
    );

    let mut eap = Eap::pinned(&pki);
    if m.pin_other_root {
        let other = Pki::new(
            &Spec::ca("Fabrikam Root CA", 0x1701),
            &Spec::ca("Fabrikam Issuing CA", 0x2701),
        );
        eap.trusted_roots = vec![spaced_thumbprint(&other.root_der)];
    }
    write(
        &dir.join("vpn/ProfileXML_User.xml"),
        profile_xml(Some(&eap), false, "IKEv2").as_bytes(),
    );
    write(
        &dir.join("intune/Contoso Root CA.trustedRoot.json"),
        intune_trusted_root("Contoso Root CA", &pki.root_der, "computerCertStoreRoot").as_bytes(),
    );
    // The issuing CA reaches clients as Intune deploys it: a trusted-certificate profile for
    // the intermediate store (its leaves carry no AIA).
    write(
        &dir.join("intune/Contoso Issuing CA.trustedIntermediate.json"),
        intune_trusted_cert(
            "3c1d7a9e-2b4f-4e8a-9c6d-5f0e1a2b3c4d",
            "Contoso Issuing CA",
            &pki.issuing_der,
            "computerCertStoreIntermediate",
        )
        .as_bytes(),
    );
    let mut scep = Scep {
        scep_url: NDES_URL,
        ..Scep::healthy()
    };
    if m.scep_server_auth {
        scep.ekus = vec![("Server Authentication", "1.3.6.1.5.5.7.3.1")];
    }
    scep.sid_uri = !m.no_sid;
    write(
        &dir.join("intune/AOVPN User Certificate.scep.json"),
        scep.json().as_bytes(),
    );
    write(&dir.join("nps/NPS01.reg"), &nps_reg("NPS01", "", ""));
    // The server side of the join: the NPS export (its Always On VPN policy presents the NPS
    // certificate for PEAP with inner EAP-TLS, MS-CHAPv2 removed; the RADIUS client's secret
    // removed before commit) and the host's My and ROOT stores.
    write(
        &dir.join("nps/NPS01_npsconfig.txt"),
        nps_export(
            &[NpsPolicy::aovpn(&nps_server)],
            &[("VPN01", "10.0.10.4", "")],
        )
        .as_bytes(),
    );
    write(
        &dir.join("nps/NPS01-My.reg"),
        common::store_export_of("NPS01", "My", &[&nps_server]).as_bytes(),
    );
    write(
        &dir.join("nps/NPS01-Root.reg"),
        common::store_export_of("NPS01", "ROOT", &[&pki.root_der]).as_bytes(),
    );
}

fn deployment_scenarios() {
    let cases: [(&str, Mistake, &str); 7] = [
        (
            "healthy-deployment",
            Mistake::default(),
            "A complete, healthy Always On VPN deployment on an on-premises two-tier AD CS PKI: root and\nissuing CA with CRL distribution points, a current CRL of the issuing CA, the NPS and VPN\nserver certificates (Server Authentication), alice's user certificate from the Intune SCEP\nprofile (Client Authentication, UPN, SID URI), the ProfileXML (PEAP-TLS) that pins the root,\nnames the NPS server and filters client certificates by the issuing CA, the Intune\ntrusted-certificate profiles (root and issuing CA) and SCEP profile, the NPS EAP registry snapshot, NPS01's configuration export\n(PEAP with inner EAP-TLS presenting the NPS certificate, MS-CHAPv2 removed, the RADIUS secret\nremoved) and its My and ROOT store exports.\n\nExpected: only the note strong-mapping-sid-uri-needs-2019-kdc on the SCEP profile (its SID\nURI needs Windows Server 2019 or later domain controllers, whose versions the bundle does\nnot hold; `domain-controllers` in trustlint.yaml settles it).\n",
        ),
        (
            "vpn-pins-wrong-root",
            Mistake {
                pin_other_root: true,
                ..Mistake::default()
            },
            "The healthy deployment, but the ProfileXML pins the root of another PKI (Fabrikam) in\nTrustedRootCA, as happens when a profile is copied between tenants.\n\nExpected: vpn-trusted-root-not-found (client error 864), and eap-trusted-root-not-server-root:\nthe root NPS01's export shows its certificate chaining to is not among the profile's roots.\n",
        ),
        (
            "scep-issues-server-auth",
            Mistake {
                scep_server_auth: true,
                ..Mistake::default()
            },
            "The healthy deployment, but the Intune SCEP profile issues Server Authentication\ncertificates, and alice's certificate came from it.\n\nExpected: scep-profile-without-client-auth on the profile and client-auth-eku-missing on\nalice's certificate (client error 798, NPS reason 73).\n",
        ),
        (
            "user-cert-without-strong-mapping",
            Mistake {
                no_sid: true,
                ..Mistake::default()
            },
            "The healthy deployment, but the SCEP profile has no\ntag:microsoft.com,2022-09-14:sid:{{OnPremisesSecurityIdentifier}} URI, so alice's\ncertificate carries only her UPN.\n\nExpected: strong-mapping-missing (error after 2025-02-11: NPS reason 16, KDC event 39) and\nscep-profile-without-sid-uri.\n",
        ),
        (
            "stale-crl",
            Mistake {
                crl_next_update: Some((2026, 11, 30)),
                ..Mistake::default()
            },
            "The healthy deployment, but the issuing CA's CRL in the bundle ran out on 2026-11-30\n(the tests' --now is 2026-12-01).\n\nExpected: crl-expired.\n",
        ),
        (
            "revoked-leaf",
            Mistake {
                revoke_alice: true,
                ..Mistake::default()
            },
            "The healthy deployment, but the issuing CA's current CRL lists alice's certificate.\n\nExpected: certificate-revoked (client error 855, NPS reason 256).\n",
        ),
        (
            "revocation-lifecycle",
            Mistake {
                crl_next_update: Some((2026, 12, 2)),
                alice_delta_crl: Some(
                    "http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA+.crl",
                ),
                nps_ocsp_ldap_cdp: true,
                ..Mistake::default()
            },
            "The healthy deployment with three revocation mistakes an AD CS PKI makes over time:\n- the issuing CA's CRL in the bundle reaches its nextUpdate on 2026-12-02, a day after the\n  tests' --now: crl-expires-soon;\n- alice's certificate names its delta CRL at AD CS's `Contoso Issuing CA+.crl` over http,\n  which IIS request filtering rejects: delta-crl-url-plus-sign;\n- the NPS certificate has an OCSP responder but only AD CS's default LDAP CDP, so the CRL\n  fallback fails once Windows switches from OCSP to the CRL: ocsp-with-broken-crl-fallback\n  (cdp-ldap-only does not fire: it concerns client-auth chains).\n\nExpected: exactly those three findings.\n",
        ),
    ];
    for (name, mistake, text) in cases {
        let dir = root_dir().join("testdata/scenarios").join(name);
        let _ = fs::remove_dir_all(&dir);
        deployment(&dir, &mistake);
        // The healthy deployment's own note comes with every mistake that keeps the SID URI.
        let note = if mistake.no_sid || name == "healthy-deployment" {
            ""
        } else {
            "Also, as in the healthy deployment: the note strong-mapping-sid-uri-needs-2019-kdc on\nthe SCEP profile.\n"
        };
        readme(
            &dir,
            &format!("{text}{note}\nSynthetic: generated by tests/certgen.rs (TEST ONLY keys).\n"),
        );
    }
}

/// An Ed25519 key derived from `label`: the same key on every run, and Ed25519 signatures are
/// deterministic, so scenarios that need many keys regenerate byte for byte without a key file
/// each. PKCS#8 v1 holding the 32-byte seed (SHA-256 of the label).
fn seeded_key(label: &str) -> KeyPair {
    let seed = ring::digest::digest(&ring::digest::SHA256, label.as_bytes());
    let mut pkcs8 = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    pkcs8.extend_from_slice(seed.as_ref());
    KeyPair::try_from(pkcs8.as_slice()).unwrap()
}

/// A CA certificate's parameters as a bridge or cross-certifying PKI writes them: CDP and AIA
/// on every certificate but the roots.
fn mesh_ca(cn: &'static str, org: &'static str, serial: u64, from: i32, to: i32) -> Spec {
    Spec {
        org,
        not_before: (from, 1, 1),
        not_after: (to, 1, 1),
        cdp: vec!["http://pki.example.net/crl/mesh.crl"],
        ca_issuers: vec!["http://pki.example.net/aia/mesh.p7c"],
        ..Spec::ca(cn, serial)
    }
}

/// CA parameters with no key identifier at all (rcgen writes a subject key identifier on every
/// CA, so basicConstraints goes in by hand), as some old and hand-made CAs are.
fn ca_without_key_ids(cn: &'static str, serial: u64) -> CertificateParams {
    let mut p = Spec {
        ca: None,
        not_after: (2036, 1, 1),
        cdp: vec!["http://pki.example.net/crl/legacy.crl"],
        ..Spec::ca(cn, serial)
    }
    .params();
    p.use_authority_key_identifier_extension = false;
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    // basicConstraints, critical, cA=TRUE.
    let mut bc =
        CustomExtension::from_oid_content(&[2, 5, 29, 19], vec![0x30, 0x03, 0x01, 0x01, 0xFF]);
    bc.set_criticality(true);
    p.custom_extensions.push(bc);
    p
}

fn pem_bundle(ders: &[Vec<u8>]) -> String {
    ders.iter()
        .map(|d| pem::encode(&pem::Pem::new("CERTIFICATE", d.clone())))
        .collect()
}

/// The path-building scenarios of issue 12: a bridge mesh (with and without a profile that pins
/// one root), a CA renewed with the same key, a cycle of cross-certificates, 500 same-subject
/// CAs without key identifiers.
fn chain_scenarios() {
    let scenario = |name: &str| {
        let d = root_dir().join("testdata/scenarios").join(name);
        let _ = fs::remove_dir_all(&d);
        d
    };

    // Bridge mesh: Fabrikam Root CA and Northwind Root CA (self-signed) cross-certify with the
    // Contoso Bridge CA in both directions. The bridge's old cross-certificate from Fabrikam
    // has expired and carries pathLenConstraint 0. Northwind's issuing CA issued alice.
    let (ka, kb, kx) = (
        seeded_key("mesh/fabrikam-root"),
        seeded_key("mesh/northwind-root"),
        seeded_key("mesh/bridge"),
    );
    let root_a = mesh_ca("Fabrikam Root CA", "Fabrikam", 0x5101, 2020, 2040);
    let root_b = mesh_ca("Northwind Root CA", "Northwind", 0x5201, 2020, 2040);
    let bridge = mesh_ca("Contoso Bridge CA", "Contoso", 0x5301, 2024, 2038);
    let (pa, pb) = (root_a.params(), root_b.params());
    let (ia, ib) = (Issuer::from_params(&pa, &ka), Issuer::from_params(&pb, &kb));
    let px = bridge.params();
    let ix = Issuer::from_params(&px, &kx);
    let old_bridge = Spec {
        path_len: Some(0),
        serial: 0x5302,
        not_before: (2018, 1, 1),
        not_after: (2023, 1, 1),
        ..bridge.clone()
    };
    let cross = |spec: &Spec, key: &KeyPair, issuer: &Issuer<'_, &KeyPair>| {
        spec.params().signed_by(key, issuer).unwrap().der().to_vec()
    };
    let issuing = Spec {
        not_before: (2024, 1, 1),
        not_after: (2034, 1, 1),
        ..mesh_ca("Northwind Issuing CA", "Northwind", 0x5202, 2024, 2034)
    };
    let ki = seeded_key("mesh/northwind-issuing");
    let issuing_der = cross(&issuing, &ki, &ib);
    let pi = issuing.params();
    let alice = Spec {
        cdp: vec!["http://pki.example.net/crl/northwind-issuing.crl"],
        ..user_leaf()
    }
    .params()
    .signed_by(&seeded_key("mesh/alice"), &Issuer::from_params(&pi, &ki))
    .unwrap()
    .der()
    .to_vec();
    let root_a_der = pa.self_signed(&ka).unwrap().der().to_vec();
    let mesh: Vec<(&str, Vec<u8>)> = vec![
        ("roots/fabrikam-root-ca.cer", root_a_der.clone()),
        (
            "roots/northwind-root-ca.cer",
            pb.self_signed(&kb).unwrap().der().to_vec(),
        ),
        (
            "bridge/bridge-from-fabrikam.cer",
            cross(
                &Spec {
                    serial: 0x5303,
                    ..bridge.clone()
                },
                &kx,
                &ia,
            ),
        ),
        (
            "bridge/bridge-from-fabrikam-2018-expired.cer",
            cross(&old_bridge, &kx, &ia),
        ),
        (
            "bridge/bridge-from-northwind.cer",
            cross(
                &Spec {
                    serial: 0x5304,
                    ..bridge.clone()
                },
                &kx,
                &ib,
            ),
        ),
        (
            "bridge/fabrikam-from-bridge.cer",
            cross(
                &mesh_ca("Fabrikam Root CA", "Fabrikam", 0x5102, 2024, 2036),
                &ka,
                &ix,
            ),
        ),
        (
            "bridge/northwind-from-bridge.cer",
            cross(
                &mesh_ca("Northwind Root CA", "Northwind", 0x5203, 2024, 2036),
                &kb,
                &ix,
            ),
        ),
        ("northwind/northwind-issuing-ca.cer", issuing_der),
        ("northwind/alice.cer", alice),
    ];
    for (name, pinned) in [("bridge-mesh", false), ("bridge-mesh-pinned", true)] {
        let d = scenario(name);
        for (file, der) in &mesh {
            write(&d.join("certs").join(file), der);
        }
        let text = if pinned {
            write(
                &d.join("vpn/ProfileXML_User.xml"),
                profile_xml(
                    Some(&Eap {
                        trusted_roots: vec![spaced_thumbprint(&root_a_der)],
                        server_names: "nps01.fabrikam.com",
                        disable_prompt: true,
                        perform_validation: true,
                        issuer_hashes: vec![],
                    }),
                    false,
                    "IKEv2",
                )
                .as_bytes(),
            );
            "The bridge mesh, with an Always On VPN profile that pins Fabrikam Root CA as its trusted\nroot. Expected: alice's chain runs Northwind Issuing CA -> Northwind Root CA (cross-certified by\nthe bridge) -> Contoso Bridge CA (from Fabrikam, the current cross-certificate) -> Fabrikam Root\nCA, every link time-valid and nested; the expired 2018 cross-certificate with pathlen 0 is a\nrejected alternative, so no path-length-exceeded.\n\nSynthetic: generated by tests/certgen.rs (seeded TEST ONLY Ed25519 keys).\n"
        } else {
            "A bridge mesh: Fabrikam Root CA and Northwind Root CA (self-signed) cross-certified through\nthe Contoso Bridge CA, cross-certificates in both directions; the bridge's 2018 cross-certificate\nfrom Fabrikam has expired and carries pathLenConstraint 0. Northwind Issuing CA issued alice.\nExpected: alice's chain is Northwind Issuing CA -> Northwind Root CA; the only finding is\ncertificate-expired on the 2018 cross-certificate.\n\nSynthetic: generated by tests/certgen.rs (seeded TEST ONLY Ed25519 keys).\n"
        };
        readme(&d, text);
    }

    // A root renewed with the same key: the 2014 certificate has expired, the 2024 one is
    // current; the issuing CA (2023-2033) chains to the renewed one.
    {
        let d = scenario("same-key-renewal");
        let kr = seeded_key("renewal/root");
        let old = mesh_ca("Litware Root CA", "Litware", 0x5401, 2014, 2024).params();
        let new = mesh_ca("Litware Root CA", "Litware", 0x5402, 2024, 2044).params();
        write(
            &d.join("certs/litware-root-ca-2014.cer"),
            old.self_signed(&kr).unwrap().der(),
        );
        write(
            &d.join("certs/litware-root-ca-2024.cer"),
            new.self_signed(&kr).unwrap().der(),
        );
        let ki = seeded_key("renewal/issuing");
        let issuing = mesh_ca("Litware Issuing CA", "Litware", 0x5403, 2023, 2033);
        write(
            &d.join("certs/litware-issuing-ca.cer"),
            issuing
                .params()
                .signed_by(&ki, &Issuer::from_params(&new, &kr))
                .unwrap()
                .der(),
        );
        readme(
            &d,
            "A root renewed with the same key: Litware Root CA 2014-2024 (expired) and 2024-2044, one\nkey, one subject. The issuing CA (2023-2033) verifies with both. Expected: its chain ends at the\n2024 certificate; the only finding is certificate-expired on the 2014 one.\n\nSynthetic: generated by tests/certgen.rs (seeded TEST ONLY Ed25519 keys).\n",
        );
    }

    // A cycle: Tailspin CA A and Tailspin CA C certify each other and no self-signed root ends
    // it; A issued Tailspin Issuing CA B, which issued alice.
    {
        let d = scenario("cross-certificate-cycle");
        let (ka, kc, kb) = (
            seeded_key("cycle/a"),
            seeded_key("cycle/c"),
            seeded_key("cycle/b"),
        );
        let a = mesh_ca("Tailspin CA A", "Tailspin", 0x5501, 2024, 2036);
        let c = mesh_ca("Tailspin CA C", "Tailspin", 0x5502, 2024, 2036);
        let (pa, pc) = (a.params(), c.params());
        write(
            &d.join("certs/tailspin-a-from-c.cer"),
            pa.signed_by(&ka, &Issuer::from_params(&pc, &kc))
                .unwrap()
                .der(),
        );
        write(
            &d.join("certs/tailspin-c-from-a.cer"),
            pc.signed_by(&kc, &Issuer::from_params(&pa, &ka))
                .unwrap()
                .der(),
        );
        let b = mesh_ca("Tailspin Issuing CA B", "Tailspin", 0x5503, 2024, 2034).params();
        write(
            &d.join("certs/tailspin-issuing-ca-b.cer"),
            b.signed_by(&kb, &Issuer::from_params(&pa, &ka))
                .unwrap()
                .der(),
        );
        let alice = Spec {
            cdp: vec!["http://pki.example.net/crl/tailspin-b.crl"],
            ..user_leaf()
        };
        write(
            &d.join("certs/alice.cer"),
            alice
                .params()
                .signed_by(&seeded_key("cycle/alice"), &Issuer::from_params(&b, &kb))
                .unwrap()
                .der(),
        );
        readme(
            &d,
            "A cycle of cross-certificates: Tailspin CA A and Tailspin CA C certify each other, and no\nself-signed root ends the loop; A issued Tailspin Issuing CA B, which issued alice. Expected:\nchain-incomplete on each certificate of the cycle (A-from-C and C-from-A), none on B or alice,\nwhose chains inherit the break.\n\nSynthetic: generated by tests/certgen.rs (seeded TEST ONLY Ed25519 keys).\n",
        );
    }

    // 500 CA certificates with one subject and no key identifiers: a rollover chain, each
    // signed by the previous one's key, the first self-signed. Finding the issuer of each means
    // trying keys; the search is bounded.
    {
        let d = scenario("same-subject-500");
        let keys: Vec<KeyPair> = (0..500)
            .map(|i| seeded_key(&format!("same-subject/{i}")))
            .collect();
        let params: Vec<CertificateParams> = (0..500u64)
            .map(|i| ca_without_key_ids("Woodgrove Rollover CA", 0x6000 + i))
            .collect();
        let mut ders = vec![params[0].self_signed(&keys[0]).unwrap().der().to_vec()];
        for i in 1..500 {
            let issuer = Issuer::from_params(&params[i - 1], &keys[i - 1]);
            ders.push(
                params[i]
                    .signed_by(&keys[i], &issuer)
                    .unwrap()
                    .der()
                    .to_vec(),
            );
        }
        write(
            &d.join("certs/woodgrove-rollover-cas.pem"),
            pem_bundle(&ders).as_bytes(),
        );
        readme(
            &d,
            "500 CA certificates that share one subject (Woodgrove Rollover CA) and carry no key\nidentifiers: a chain of key rollovers, each signed by the previous key, the first self-signed.\nOnly signatures tell the issuers apart, so the issuer search is bounded (16 keys per\ncertificate). Expected: the scan ends in well under a second; certificates whose issuer is not\namong the keys checked get issuer-search-exhausted; no hang, no silence.\n\nSynthetic: generated by tests/certgen.rs (seeded TEST ONLY Ed25519 keys).\n",
        );
    }

    // issuer-search-exhausted: alice names Contoso Legacy CA as issuer, without an authority key
    // identifier; 20 certificates of that name (none hers) are in the bundle. Pass: 15, fewer
    // than the budget of 16 keys, so every key is checked (and certificate-signature-invalid
    // says none verifies).
    for (side, decoys) in [("fail", 20u64), ("pass", 15)] {
        let d = rule_dir("issuer-search-exhausted", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        write(&d.join("certs/root-ca.cer"), &pki.root_der);
        let root_params = Spec {
            not_after: (2044, 1, 1),
            ..Spec::ca("Contoso Cloud PKI Root CA", 0x1001)
        }
        .params();
        let root = Issuer::from_params(&root_params, key("root"));
        let mut ders = Vec::new();
        for i in 0..decoys {
            let p = ca_without_key_ids("Contoso Legacy CA", 0x7000 + i);
            ders.push(
                p.signed_by(&seeded_key(&format!("legacy/{i}")), &root)
                    .unwrap()
                    .der()
                    .to_vec(),
            );
        }
        write(
            &d.join("certs/contoso-legacy-cas.pem"),
            pem_bundle(&ders).as_bytes(),
        );
        let absent = ca_without_key_ids("Contoso Legacy CA", 0x7fff);
        let mut leaf = user_leaf().params();
        leaf.use_authority_key_identifier_extension = false;
        let alice = leaf
            .signed_by(
                &key("leaf-user"),
                &Issuer::from_params(&absent, seeded_key("legacy/absent")),
            )
            .unwrap();
        write(&d.join("certs/alice.cer"), alice.der());
    }
}

/// The Cloud PKI shape with the issuing CA's parameters changed by `tweak` (EKUs, key usage,
/// name constraints), signed by the root as usual.
fn tweaked_cloud_pki(tweak: impl Fn(&mut CertificateParams)) -> Pki {
    let root = Spec {
        not_after: (2044, 1, 1),
        ..Spec::ca("Contoso Cloud PKI Root CA", 0x1001)
    };
    let issuing = Spec {
        cdp: vec![CLOUD_PKI_ISSUING_CDP],
        ca_issuers: vec![CLOUD_PKI_ROOT_AIA],
        ..Spec::ca("Contoso Cloud PKI Issuing CA", 0x2001)
    };
    let root_key = key("root");
    let root_params = root.params();
    let root_der = root_params.self_signed(&root_key).unwrap().der().to_vec();
    let mut issuing_params = issuing.params();
    tweak(&mut issuing_params);
    let issuing_der = issuing_params
        .signed_by(
            &key("issuing"),
            &Issuer::from_params(&root_params, &root_key),
        )
        .unwrap()
        .der()
        .to_vec();
    Pki {
        root_der,
        issuing_params,
        issuing_der,
        issuing_key: "issuing",
    }
}

/// The rules issue 12 added to the chain engine: CA EKUs, name constraints, CRL signing.
fn chain_engine_rules() {
    use ExtendedKeyUsagePurpose::{ClientAuth, ServerAuth};
    // ca-eku-excludes-client-auth: the issuing CA's EKUs are Server Authentication only, above
    // alice's client certificate. ca-eku-excludes-server-auth: Client Authentication only,
    // above the NPS server certificate. Pass: both EKUs.
    for (rule, only, file) in [
        ("ca-eku-excludes-client-auth", ServerAuth, "alice.cer"),
        (
            "ca-eku-excludes-server-auth",
            ClientAuth,
            "nps01.contoso.com.cer",
        ),
    ] {
        for (side, ekus) in [("fail", vec![only]), ("pass", vec![ClientAuth, ServerAuth])] {
            let d = rule_dir(rule, side);
            let pki = tweaked_cloud_pki(|p| p.extended_key_usages = ekus.clone());
            pki.write_cas(&d);
            let leaf = if file == "alice.cer" {
                pki.leaf(&user_leaf(), "leaf-user")
            } else {
                nps_server_leaf(&pki, "nps01.contoso.com", true)
            };
            write(&d.join("certs").join(file), &leaf);
        }
    }
    // name-constraints-violated: the issuing CA permits contoso.com only and issued a server
    // certificate for vpn.fabrikam.com; pass: for vpn.contoso.com.
    for (side, name) in [("fail", "vpn.fabrikam.com"), ("pass", "vpn.contoso.com")] {
        let d = rule_dir("name-constraints-violated", side);
        let pki = tweaked_cloud_pki(|p| {
            p.name_constraints = Some(rcgen::NameConstraints {
                permitted_subtrees: vec![rcgen::GeneralSubtree::DnsName("contoso.com".into())],
                excluded_subtrees: vec![],
            });
        });
        pki.write_cas(&d);
        write(
            &d.join(format!("certs/{name}.cer")),
            &nps_server_leaf(&pki, name, true),
        );
    }
    // crl-issuer-without-crl-sign: the issuing CA's keyUsage is keyCertSign and digitalSignature,
    // without cRLSign, and it signed the CRL; pass: with cRLSign.
    for (side, crl_sign) in [("fail", false), ("pass", true)] {
        let d = rule_dir("crl-issuer-without-crl-sign", side);
        let pki = tweaked_cloud_pki(|p| {
            p.key_usages = vec![
                KeyUsagePurpose::KeyCertSign,
                KeyUsagePurpose::DigitalSignature,
            ];
            if crl_sign {
                p.key_usages.push(KeyUsagePurpose::CrlSign);
            }
        });
        pki.write_cas(&d);
        write(
            &d.join("certs/alice.cer"),
            &pki.leaf(&user_leaf(), "leaf-user"),
        );
        // rcgen refuses to sign a CRL for an issuer without cRLSign, which is the point here:
        // the CRL is signed with the same name and key from parameters that allow it.
        let mut signer = pki.issuing_params.clone();
        signer.key_usages.push(KeyUsagePurpose::CrlSign);
        let signing = Pki {
            root_der: Vec::new(),
            issuing_params: signer,
            issuing_der: Vec::new(),
            issuing_key: "issuing",
        };
        write(
            &d.join("crl/issuing-ca.crl"),
            &signing.crl("issuing", (2026, 11, 1), (2027, 11, 1), &[]),
        );
    }
}

/// The founding PKI as a real tenant backup holds it (issue 13, first shapes): the Always On VPN
/// profile as a custom OMA-URI configuration (the ProfileXML as `omaSettingString` text, the
/// way Microsoft's AOVPN guide has admins paste it), and the root's trusted-certificate profile
/// as the Graph PowerShell SDK dumps it (`Get-MgDeviceManagementDeviceConfiguration |
/// ConvertTo-Json`: PascalCase base properties, the type's own under `AdditionalProperties`).
fn intune_as_exported() {
    let dir = root_dir().join("testdata/scenarios/intune-as-exported");
    let _ = fs::remove_dir_all(&dir);
    let pki = founding_bundle(&dir, "");
    let profile = profile_xml(Some(&Eap::pinned(&pki)), false, "IKEv2");
    let custom = format!(
        r##"{{
  "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
  "id": "9d3c1f7a-5b2e-4c8d-a1f0-6e4b2d8c7a15",
  "displayName": "AOVPN User Tunnel",
  "description": "Always On VPN user tunnel (ProfileXML)",
  "version": 3,
  "omaSettings": [
    {{
      "@odata.type": "#microsoft.graph.omaSettingString",
      "displayName": "AOVPN ProfileXML",
      "description": null,
      "omaUri": "./User/Vendor/MSFT/VPNv2/Contoso%20AlwaysOn/ProfileXML",
      "isEncrypted": false,
      "isReadOnly": false,
      "secretReferenceValueId": null,
      "value": {}
    }},
    {{
      "@odata.type": "#microsoft.graph.omaSettingInteger",
      "displayName": "Register DNS",
      "omaUri": "./User/Vendor/MSFT/VPNv2/Contoso%20AlwaysOn/RegisterDNS",
      "isReadOnly": false,
      "value": 1
    }}
  ]
}}
"##,
        serde_json::to_string(&profile).unwrap()
    );
    write(
        &dir.join("intune/AOVPN User Tunnel.json"),
        custom.as_bytes(),
    );
    // The same profile as Microsoft's MakeProfile.ps1 writes VPN_Profile.ps1 (saved by the ISE
    // as UTF-16LE with a BOM): the ProfileXML a single-quoted literal, escaped afterwards.
    let script = format!(
        "$ProfileName = 'Contoso AlwaysOn'\r\n$ProfileNameEscaped = $ProfileName -replace ' ', '%20'\r\n\r\n$ProfileXML = '{}'\r\n\r\n$ProfileXML = $ProfileXML -replace '<', '&lt;'\r\n$ProfileXML = $ProfileXML -replace '>', '&gt;'\r\n$ProfileXML = $ProfileXML -replace '\"', '&quot;'\r\n\r\n$nodeCSPURI = './Vendor/MSFT/VPNv2'\r\n$namespaceName = 'root\\cimv2\\mdm\\dmmap'\r\n$className = 'MDM_VPNv2_01'\r\n",
        profile.replace('\'', "''")
    );
    write(&dir.join("scripts/VPN_Profile.ps1"), &reg_utf16(&script));
    let sdk = format!(
        r##"{{
  "Assignments": null,
  "CreatedDateTime": "2026-05-04T09:12:44.1234567Z",
  "Description": "",
  "DeviceSettingStateSummaries": null,
  "DisplayName": "Contoso Cloud PKI Root CA",
  "Id": "{TRUSTED_ROOT_ID}",
  "LastModifiedDateTime": "2026-05-04T09:12:44.1234567Z",
  "RoleScopeTagIds": [
    "0"
  ],
  "SupportsScopeTags": true,
  "Version": 1,
  "AdditionalProperties": {{
    "@odata.type": "#microsoft.graph.windows81TrustedRootCertificate",
    "trustedRootCertificate": "{}",
    "certFileName": "Contoso Cloud PKI Root CA.cer",
    "destinationStore": "computerCertStoreRoot"
  }}
}}
"##,
        b64(&pki.root_der)
    );
    write(
        &dir.join(
            "intune/Contoso Cloud PKI Root CA (Get-MgDeviceManagementDeviceConfiguration).json",
        ),
        sdk.as_bytes(),
    );
    // The SCEP profile as a Microsoft365DSC configuration declares it (Export-M365DSCConfiguration
    // writes resources of this shape: PascalCase Graph properties, CIM instances for the EKUs
    // and SANs, the root by RootCertificateId); the trusted-root profile with its Id beside it.
    let scep_url = "https://{{CloudPKIFQDN}}/TrafficGateway/PassThroughRoutingService/CloudPki/CloudPkiService/Scep/0c3a7e52-91b4-4f0d-a6e8-3d5b7c9f1a24/5f8b2c1e-7d3a-4e59-9b1f-2a6c0d4e8f10";
    let dsc = format!(
        r#"# Generated by Microsoft365DSC
param (
    [parameter()]
    [System.Management.Automation.PSCredential]
    $Credential
)

Configuration M365TenantConfig
{{
    param (
        [parameter()]
        [System.Management.Automation.PSCredential]
        $Credential
    )

    $OrganizationName = $ConfigurationData.NonNodeData.OrganizationName

    Import-DscResource -ModuleName 'Microsoft365DSC' -ModuleVersion '1.25.1203.1'

    Node localhost
    {{
        IntuneDeviceConfigurationTrustedCertificatePolicyWindows10 "IntuneDeviceConfigurationTrustedCertificatePolicyWindows10-Contoso Cloud PKI Root CA"
        {{
            CertFileName           = "Contoso Cloud PKI Root CA.cer";
            Credential             = $Credential;
            DestinationStore       = "computerCertStoreRoot";
            DisplayName            = "Contoso Cloud PKI Root CA";
            Ensure                 = "Present";
            Id                     = "{TRUSTED_ROOT_ID}";
            TrustedRootCertificate = "{root}";
        }}
        IntuneDeviceConfigurationScepCertificatePolicyWindows10 "IntuneDeviceConfigurationScepCertificatePolicyWindows10-AOVPN User Certificate"
        {{
            Assignments                    = @(
                MSFT_DeviceManagementConfigurationPolicyAssignments{{
                    deviceAndAppManagementAssignmentFilterType = 'none'
                    dataType = '#microsoft.graph.groupAssignmentTarget'
                    groupId = '1e6a1b0c-2f3d-4c5e-9a7b-8c9d0e1f2a3b'
                }}
            );
            CertificateStore               = "user";
            CertificateValidityPeriodScale = "years";
            CertificateValidityPeriodValue = 1;
            Credential                     = $Credential;
            CustomSubjectAlternativeNames  = @(
                MSFT_MicrosoftGraphcustomSubjectAlternativeName{{
                    SanType = 'universalResourceIdentifier'
                    Name = 'tag:microsoft.com,2022-09-14:sid:{{{{OnPremisesSecurityIdentifier}}}}'
                }}
                MSFT_MicrosoftGraphcustomSubjectAlternativeName{{
                    SanType = 'userPrincipalName'
                    Name = '{{{{UserPrincipalName}}}}'
                }}
            );
            DisplayName                    = "AOVPN User Certificate";
            Ensure                         = "Present";
            ExtendedKeyUsages              = @(
                MSFT_MicrosoftGraphextendedKeyUsage{{
                    ObjectIdentifier = '1.3.6.1.5.5.7.3.2'
                    Name = 'Client Authentication'
                }}
            );
            HashAlgorithm                  = "sha2";
            Id                             = "2b7e4c1a-9d3f-4a6b-8c2e-5f1a0d9b7c34";
            KeySize                        = "size2048";
            KeyStorageProvider             = "useTpmKspOtherwiseUseSoftwareKsp";
            KeyUsage                       = @("digitalSignature","keyEncipherment");
            RenewalThresholdPercentage     = 20;
            RootCertificateId              = "{TRUSTED_ROOT_ID}";
            ScepServerUrls                 = @("{scep_url}");
            SubjectAlternativeNameType     = "none";
            SubjectNameFormat              = "custom";
            SubjectNameFormatString        = "CN={{{{UserName}}}}";
        }}
    }}
}}

M365TenantConfig -ConfigurationData .\ConfigurationData.psd1 -Credential $Credential
"#,
        root = b64(&pki.root_der),
    );
    write(&dir.join("dsc/M365TenantConfig.ps1"), dsc.as_bytes());
    // The trusted-root profile as IntuneCD backs it up with `-o yaml`: Graph's members, no id,
    // assignments inlined, in its "Device Configurations" folder.
    let intunecd = format!(
        "'@odata.type': '#microsoft.graph.windows81TrustedRootCertificate'\nroleScopeTagIds:\n- Default\nsupportsScopeTags: true\ndeviceManagementApplicabilityRuleOsEdition: null\ndeviceManagementApplicabilityRuleOsVersion: null\ndeviceManagementApplicabilityRuleDeviceMode: null\ndescription: ''\ndisplayName: Contoso Cloud PKI Root CA\ntrustedRootCertificate: {}\ncertFileName: Contoso Cloud PKI Root CA.cer\ndestinationStore: computerCertStoreRoot\nassignments:\n- intent: apply\n  source: direct\n  target:\n    '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget'\n    deviceAndAppManagementAssignmentFilterId: null\n    deviceAndAppManagementAssignmentFilterType: none\n",
        b64(&pki.root_der)
    );
    write(
        &dir.join("intunecd/Device Configurations/Contoso Cloud PKI Root CA_windows81TrustedRootCertificate.yaml"),
        intunecd.as_bytes(),
    );
    readme(
        &dir,
        "The founding case (testdata/scenarios/cloud-pki-aovpn) as a tenant backup holds it: the\nAlways On VPN profile as a custom OMA-URI configuration (ProfileXML as omaSettingString text),\nthe root's trusted-certificate profile as the Graph PowerShell SDK dumps it (PascalCase, the\ntype's members under AdditionalProperties), the same profile as MakeProfile's VPN_Profile.ps1\n(UTF-16LE), the SCEP profile and the trusted root as a Microsoft365DSC configuration declares\nthem, and the trusted root again as an IntuneCD YAML backup. Expected: the same findings as the\nGraph JSON scenario, issuing-ca-without-cdp and nothing else, and the profile read with its EAP\npins.\n\nSynthetic: generated by tests/certgen.rs (TEST ONLY keys).\n",
    );
}

/// One network policy of a generated NPS export.
struct NpsPolicy {
    name: &'static str,
    enabled: bool,
    /// `msNPAllowedEapType`.
    allowed: Vec<u32>,
    /// `msNPAuthenticationType2`.
    auth: Vec<u32>,
    /// `msEAPConfiguration` blobs, hex.
    blobs: Vec<String>,
}

impl NpsPolicy {
    /// The Always On VPN policy the Microsoft guide builds: PEAP with inner EAP-TLS ("Smart Card
    /// or other certificate"), presenting `server`.
    fn aovpn(server: &[u8]) -> NpsPolicy {
        NpsPolicy {
            name: "Always On VPN",
            enabled: true,
            allowed: vec![25],
            auth: vec![5],
            blobs: vec![peap_blob(server, 13)],
        }
    }
}

/// A PEAP `msEAPConfiguration` naming `server`, with the one inner method `inner`, in the
/// layout of the public export (`docs/nps-export.md`): header, sizes, the thumbprint after its
/// length 0x14, a flag, the count 1, the size 0x10 and the method.
fn peap_blob(server: &[u8], inner: u32) -> String {
    format!(
        "19000000000000000000000000000000{}{}{}{}{}",
        "38000000020000003800000001000000",
        "14000000",
        common::sha1_hex(server),
        "010000000100000010000000",
        format_args!("{inner:02x}00000000000000"),
    )
}

/// An EAP-TLS `msEAPConfiguration` naming `server`: the thumbprint four bytes later than PEAP's
/// (community tools read it at hex offset 80, not 72).
fn tls_blob(server: &[u8]) -> String {
    format!(
        "0d0000000000000000000000000000003c000000020000003c000000010000000000000014000000{}00000000",
        common::sha1_hex(server)
    )
}

/// An NPS configuration export as `netsh nps export` writes it (the structure of the public
/// exports: `docs/nps-export.md`), with `policies` and RADIUS clients `(name, address, secret)`.
fn nps_export(policies: &[NpsPolicy], clients: &[(&str, &str, &str)]) -> String {
    const DT: &str = "xmlns:dt=\"urn:schemas-microsoft-com:datatypes\"";
    let element = |name: &str| name.replace([' ', '-'], "_");
    let mut profiles = String::new();
    let mut conditions = String::new();
    for (i, p) in policies.iter().enumerate() {
        let tag = element(p.name);
        profiles.push_str(&format!(
            "\t\t\t\t\t\t<{tag} name=\"{}\">\n\t\t\t\t\t\t\t<Properties>\n",
            p.name
        ));
        profiles.push_str(&format!("\t\t\t\t\t\t\t\t<IP_Filter_Template_Guid {DT} dt:dt=\"string\">{{00000000-0000-0000-0000-000000000000}}</IP_Filter_Template_Guid>\n"));
        for b in &p.blobs {
            profiles.push_str(&format!("\t\t\t\t\t\t\t\t<msEAPConfiguration {DT} dt:dt=\"bin.hex\">{b}</msEAPConfiguration>\n"));
        }
        profiles.push_str(&format!(
            "\t\t\t\t\t\t\t\t<msNPAllowDialin {DT} dt:dt=\"boolean\">1</msNPAllowDialin>\n"
        ));
        for t in &p.allowed {
            profiles.push_str(&format!("\t\t\t\t\t\t\t\t<msNPAllowedEapType {DT} dt:dt=\"bin.hex\">{t:02x}000000000000000000000000000000</msNPAllowedEapType>\n"));
        }
        for a in &p.auth {
            profiles.push_str(&format!("\t\t\t\t\t\t\t\t<msNPAuthenticationType2 {DT} dt:dt=\"int\">{a}</msNPAuthenticationType2>\n"));
        }
        profiles.push_str(&format!("\t\t\t\t\t\t\t\t<msRADIUSFramedProtocol {DT} dt:dt=\"int\">1</msRADIUSFramedProtocol>\n\t\t\t\t\t\t\t\t<msRADIUSServiceType {DT} dt:dt=\"int\">2</msRADIUSServiceType>\n\t\t\t\t\t\t\t</Properties>\n\t\t\t\t\t\t</{tag}>\n"));
        conditions.push_str(&format!(
            "\t\t\t\t\t\t<{tag} name=\"{name}\">\n\t\t\t\t\t\t\t<Properties>\n\t\t\t\t\t\t\t\t<Policy_Enabled {DT} dt:dt=\"boolean\">{enabled}</Policy_Enabled>\n\t\t\t\t\t\t\t\t<Policy_SourceTag {DT} dt:dt=\"int\">2</Policy_SourceTag>\n\t\t\t\t\t\t\t\t<msNPAction {DT} dt:dt=\"string\">{name}</msNPAction>\n\t\t\t\t\t\t\t\t<msNPConstraint {DT} dt:dt=\"string\">NTGROUPS(\"S-1-5-21-1004336348-1177238915-682003330-1601\")</msNPConstraint>\n\t\t\t\t\t\t\t\t<msNPConstraint {DT} dt:dt=\"string\">MATCH(\"NAS-Port-Type=^5$\")</msNPConstraint>\n\t\t\t\t\t\t\t\t<msNPSequence {DT} dt:dt=\"int\">{seq}</msNPSequence>\n\t\t\t\t\t\t\t</Properties>\n\t\t\t\t\t\t</{tag}>\n",
            name = p.name,
            enabled = u8::from(p.enabled),
            seq = i + 1,
        ));
    }
    let mut client_xml = String::new();
    for (name, address, secret) in clients {
        client_xml.push_str(&format!(
            "\t\t\t\t\t\t\t\t\t\t<{tag} name=\"{name}\">\n\t\t\t\t\t\t\t\t\t\t\t<Properties>\n\t\t\t\t\t\t\t\t\t\t\t\t<Client_Secret_Template_Guid {DT} dt:dt=\"string\">{{00000000-0000-0000-0000-000000000000}}</Client_Secret_Template_Guid>\n\t\t\t\t\t\t\t\t\t\t\t\t<IP_Address {DT} dt:dt=\"string\">{address}</IP_Address>\n\t\t\t\t\t\t\t\t\t\t\t\t<NAS_Manufacturer {DT} dt:dt=\"int\">0</NAS_Manufacturer>\n\t\t\t\t\t\t\t\t\t\t\t\t<Radius_Client_Enabled {DT} dt:dt=\"boolean\">1</Radius_Client_Enabled>\n\t\t\t\t\t\t\t\t\t\t\t\t<Require_Signature {DT} dt:dt=\"boolean\">1</Require_Signature>\n\t\t\t\t\t\t\t\t\t\t\t\t<Shared_Secret {DT} dt:dt=\"string\">{secret}</Shared_Secret>\n\t\t\t\t\t\t\t\t\t\t\t</Properties>\n\t\t\t\t\t\t\t\t\t\t</{tag}>\n",
            tag = element(name),
        ));
    }
    format!(
        "<?xml version=\"1.0\"?>\n<Root xmlns:dt=\"urn:schemas-microsoft-com:datatypes\">\n\t<Children>\n\t\t<Version name=\"Version\" dt:dt=\"int\">257</Version>\n\t\t<Microsoft_Internet_Authentication_Service name=\"Microsoft_Internet_Authentication_Service\">\n\t\t\t<Children>\n\t\t\t\t<RadiusProfiles name=\"RadiusProfiles\">\n\t\t\t\t\t<Children>\n{profiles}\t\t\t\t\t</Children>\n\t\t\t\t</RadiusProfiles>\n\t\t\t\t<NetworkPolicy name=\"NetworkPolicy\">\n\t\t\t\t\t<Children>\n{conditions}\t\t\t\t\t</Children>\n\t\t\t\t</NetworkPolicy>\n\t\t\t\t<Protocols name=\"Protocols\">\n\t\t\t\t\t<Children>\n\t\t\t\t\t\t<Microsoft_Radius_Protocol name=\"Microsoft Radius Protocol\">\n\t\t\t\t\t\t\t<Children>\n\t\t\t\t\t\t\t\t<Clients name=\"Clients\">\n\t\t\t\t\t\t\t\t\t<Children>\n{client_xml}\t\t\t\t\t\t\t\t\t</Children>\n\t\t\t\t\t\t\t\t</Clients>\n\t\t\t\t\t\t\t</Children>\n\t\t\t\t\t\t</Microsoft_Radius_Protocol>\n\t\t\t\t\t</Children>\n\t\t\t\t</Protocols>\n\t\t\t\t<RADIUS_Server_Groups name=\"RADIUS_Server_Groups\">\n\t\t\t\t\t<Children>\n\t\t\t\t\t</Children>\n\t\t\t\t</RADIUS_Server_Groups>\n\t\t\t</Children>\n\t\t</Microsoft_Internet_Authentication_Service>\n\t</Children>\n</Root>\n"
    )
}

/// The canary secret of the NPS fixtures: no output may ever contain it.
const NPS_CANARY_SECRET: &str = "tl-CANARY-radius-7f3a9c";

/// An NPS server certificate of `pki`: `cn` in CN and SAN, Server Authentication or not, valid
/// `from`–`to`, numbered `serial` (a renewal differs from the certificate it replaces by it).
fn nps_cert(
    pki: &Pki,
    cn: &'static str,
    serial: u64,
    validity: ((i32, u8, u8), (i32, u8, u8)),
    server_auth: bool,
) -> Vec<u8> {
    let spec = Spec {
        cn,
        eku: if server_auth {
            vec![ExtendedKeyUsagePurpose::ServerAuth]
        } else {
            vec![ExtendedKeyUsagePurpose::ClientAuth]
        },
        upn: None,
        uris: vec![],
        dns: vec![cn],
        cdp: vec![CLOUD_PKI_LEAF_CDP],
        not_before: validity.0,
        not_after: validity.1,
        ..Spec::user(cn, serial)
    };
    pki.leaf(&spec, "nps-server")
}

const CURRENT: ((i32, u8, u8), (i32, u8, u8)) = ((2026, 6, 1), (2028, 6, 1));

fn nps_rules() {
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    let server = nps_cert(&pki, "nps01.contoso.com", 0x5101, CURRENT, true);
    // The folder of an NPS rule: the CAs, the NPS certificate `cert`, the export, and a VPN
    // profile whose EAP configuration is `eap` (PEAP with inner EAP-TLS), when given.
    let case = |name: &str, side: &str, cert: &[u8], export: String, eap: Option<Eap>| {
        let d = rule_dir(name, side);
        pki.write_cas(&d);
        write(&d.join("certs/nps01.contoso.com.cer"), cert);
        write(&d.join("nps/NPS01_npsconfig.txt"), export.as_bytes());
        if let Some(eap) = eap {
            write(
                &d.join("vpn/ProfileXML_User.xml"),
                profile_xml(Some(&eap), false, "IKEv2").as_bytes(),
            );
        }
    };
    // nps-policy-server-cert-not-found: the policy names last year's certificate, the folder
    // holds the renewal; pass: it names the renewal.
    let last_year = nps_cert(
        &pki,
        "nps01.contoso.com",
        0x5100,
        ((2025, 6, 1), (2026, 6, 1)),
        true,
    );
    for (side, named) in [("fail", &last_year), ("pass", &server)] {
        case(
            "nps-policy-server-cert-not-found",
            side,
            &server,
            nps_export(&[NpsPolicy::aovpn(named)], &[]),
            None,
        );
    }
    // nps-policy-server-cert-expired / -expires-soon: the policy names a certificate that has
    // expired / expires within 30 days of the tests' clock; pass: a current one.
    for (name, validity) in [
        (
            "nps-policy-server-cert-expired",
            ((2024, 6, 1), (2025, 6, 1)),
        ),
        (
            "nps-policy-server-cert-expires-soon",
            ((2025, 12, 10), (2026, 12, 10)),
        ),
    ] {
        let old = nps_cert(&pki, "nps01.contoso.com", 0x5102, validity, true);
        for (side, cert) in [("fail", &old), ("pass", &server)] {
            case(
                name,
                side,
                cert,
                nps_export(&[NpsPolicy::aovpn(cert)], &[]),
                None,
            );
        }
    }
    // nps-server-cert-unusable: the certificate the policy names has Client Authentication
    // only; pass: Server Authentication.
    let client_only = nps_cert(&pki, "nps01.contoso.com", 0x5103, CURRENT, false);
    for (side, cert) in [("fail", &client_only), ("pass", &server)] {
        case(
            "nps-server-cert-unusable",
            side,
            cert,
            nps_export(&[NpsPolicy::aovpn(cert)], &[]),
            None,
        );
    }
    // eap-trusted-root-not-server-root: NPS presents a certificate of the on-premises
    // enterprise PKI; the profile pins the Cloud PKI root (the root of the client
    // certificates). Pass: it pins the enterprise root.
    let enterprise = Pki::with_keys(
        &Spec::ca("Contoso Enterprise Root CA", 0x1801),
        &Spec::ca("Contoso Enterprise Issuing CA", 0x2901),
        "leaf-device",
        "issuing-onprem",
    );
    let enterprise_server = nps_cert(&enterprise, "nps01.contoso.com", 0x5104, CURRENT, true);
    for side in ["fail", "pass"] {
        let mut eap = Eap::pinned(&pki);
        if side == "pass" {
            eap.trusted_roots = vec![spaced_thumbprint(&enterprise.root_der)];
        }
        case(
            "eap-trusted-root-not-server-root",
            side,
            &enterprise_server,
            nps_export(&[NpsPolicy::aovpn(&enterprise_server)], &[]),
            Some(eap),
        );
        let d = root_dir()
            .join("testdata/rules/eap-trusted-root-not-server-root")
            .join(side);
        write(
            &d.join("certs/enterprise/Contoso Enterprise Root CA.cer"),
            &enterprise.root_der,
        );
        write(
            &d.join("certs/enterprise/Contoso Enterprise Issuing CA.cer"),
            &enterprise.issuing_der,
        );
    }
    // eap-server-name-mismatch: the profile expects nps01.contoso.com, NPS presents
    // radius.contoso.com; pass: nps01.
    let radius = nps_cert(&pki, "radius.contoso.com", 0x5105, CURRENT, true);
    for (side, cert) in [("fail", &radius), ("pass", &server)] {
        case(
            "eap-server-name-mismatch",
            side,
            cert,
            nps_export(&[NpsPolicy::aovpn(cert)], &[]),
            Some(Eap::pinned(&pki)),
        );
    }
    // nps-eap-type-not-allowed: the profile uses PEAP; the only policy offers EAP-TLS; pass:
    // it offers PEAP.
    for side in ["fail", "pass"] {
        let policy = if side == "fail" {
            NpsPolicy {
                allowed: vec![13],
                blobs: vec![tls_blob(&server)],
                ..NpsPolicy::aovpn(&server)
            }
        } else {
            NpsPolicy::aovpn(&server)
        };
        case(
            "nps-eap-type-not-allowed",
            side,
            &server,
            nps_export(&[policy], &[]),
            Some(Eap::pinned(&pki)),
        );
    }
    // nps-peap-inner-tls-missing: the profile uses PEAP with inner EAP-TLS; the policy's PEAP
    // keeps its default inner EAP-MSCHAPv2; pass: inner EAP-TLS.
    for (side, inner) in [("fail", 26), ("pass", 13)] {
        let policy = NpsPolicy {
            blobs: vec![peap_blob(&server, inner)],
            ..NpsPolicy::aovpn(&server)
        };
        case(
            "nps-peap-inner-tls-missing",
            side,
            &server,
            nps_export(&[policy], &[]),
            Some(Eap::pinned(&pki)),
        );
    }
    // nps-mschapv2-still-enabled: the certificate policy keeps the wizard's MS-CHAPv2
    // methods; pass: EAP only.
    for (side, auth) in [("fail", vec![5, 4, 10]), ("pass", vec![5])] {
        let policy = NpsPolicy {
            auth,
            ..NpsPolicy::aovpn(&server)
        };
        case(
            "nps-mschapv2-still-enabled",
            side,
            &server,
            nps_export(&[policy], &[]),
            None,
        );
    }
    // nps-peap-and-eap-tls-both-enabled: EAP-TLS offered beside PEAP with inner EAP-TLS; pass:
    // PEAP only.
    for (side, allowed) in [("fail", vec![25, 13]), ("pass", vec![25])] {
        let policy = NpsPolicy {
            allowed,
            blobs: vec![peap_blob(&server, 13), tls_blob(&server)],
            ..NpsPolicy::aovpn(&server)
        };
        case(
            "nps-peap-and-eap-tls-both-enabled",
            side,
            &server,
            nps_export(&[policy], &[]),
            None,
        );
    }
    // nps-export-contains-secrets: a RADIUS client with its shared secret (the canary); pass:
    // the same export with the secret removed before it was committed.
    for (side, secret) in [("fail", NPS_CANARY_SECRET), ("pass", "")] {
        case(
            "nps-export-contains-secrets",
            side,
            &server,
            nps_export(
                &[NpsPolicy::aovpn(&server)],
                &[("VPN01", "10.0.10.4", secret)],
            ),
            None,
        );
    }
    // nps-revocation-value-on-peap-key-only: IgnoreNoRevocationCheck under EAP\25 only, on an
    // NPS whose policy uses PEAP with inner EAP-TLS; pass: under EAP\13 as well.
    for (side, extra13) in [("fail", ""), ("pass", IGNORE_NO_REV)] {
        case(
            "nps-revocation-value-on-peap-key-only",
            side,
            &server,
            nps_export(&[NpsPolicy::aovpn(&server)], &[]),
            None,
        );
        let d = root_dir()
            .join("testdata/rules/nps-revocation-value-on-peap-key-only")
            .join(side);
        write(
            &d.join("nps/NPS01.reg"),
            &nps_reg("NPS01", extra13, IGNORE_NO_REV),
        );
    }
}

/// The most common NPS outage, with everything around it: the NPS certificate was renewed, the
/// renewal is in NPS01's My store, and both network policies (PEAP for the VPN, EAP-TLS for
/// Wi-Fi) still present last year's certificate. The client side pins the wrong root: the VPN
/// profile and the Intune Wi-Fi profile trust the Cloud PKI root that issues the *client*
/// certificates, not the enterprise root of the NPS certificate. The export still holds a
/// RADIUS client's shared secret.
fn nps_cert_renewed() {
    let dir = root_dir().join("testdata/scenarios/nps-cert-renewed");
    let _ = fs::remove_dir_all(&dir);
    let cloud = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    cloud.write_cas(&dir.join("pki/cloud"));
    let enterprise = Pki::with_keys(
        &Spec {
            not_after: (2044, 1, 1),
            ..Spec::ca("Contoso Enterprise Root CA", 0x1801)
        },
        &Spec {
            cdp: vec![ONPREM_ROOT_CDP],
            ..Spec::ca("Contoso Enterprise Issuing CA", 0x2901)
        },
        "leaf-device",
        "issuing-onprem",
    );
    write(
        &dir.join("pki/enterprise/Contoso Enterprise Root CA.cer"),
        &enterprise.root_der,
    );
    write(
        &dir.join("pki/enterprise/Contoso Enterprise Issuing CA.cer"),
        &enterprise.issuing_der,
    );
    let server = |serial: u64, validity: ((i32, u8, u8), (i32, u8, u8))| {
        let spec = Spec {
            cn: "nps01.contoso.com",
            eku: vec![ExtendedKeyUsagePurpose::ServerAuth],
            upn: None,
            uris: vec![],
            dns: vec!["nps01.contoso.com"],
            cdp: vec![ONPREM_ISSUING_CDP],
            not_before: validity.0,
            not_after: validity.1,
            ..Spec::user("nps01.contoso.com", serial)
        };
        enterprise.leaf(&spec, "nps-server")
    };
    // Last year's certificate ran out on 2026-11-15; the renewal was issued on 2026-11-01.
    let last_year = server(0x5201, ((2025, 11, 15), (2026, 11, 15)));
    let renewed = server(0x5202, ((2026, 11, 1), (2028, 11, 1)));
    write(&dir.join("servers/nps01.contoso.com-2025.cer"), &last_year);
    write(
        &dir.join("nps/NPS01-My.reg"),
        common::store_export_of("NPS01", "My", &[&renewed]).as_bytes(),
    );
    write(
        &dir.join("nps/NPS01-Root.reg"),
        common::store_export_of("NPS01", "ROOT", &[&enterprise.root_der, &cloud.root_der])
            .as_bytes(),
    );
    write(
        &dir.join("nps/NPS01_npsconfig.txt"),
        nps_export(
            &[
                NpsPolicy::aovpn(&last_year),
                NpsPolicy {
                    name: "Corp Wi-Fi",
                    allowed: vec![13],
                    blobs: vec![tls_blob(&last_year)],
                    ..NpsPolicy::aovpn(&last_year)
                },
            ],
            &[("VPN01", "10.0.10.4", NPS_CANARY_SECRET)],
        )
        .as_bytes(),
    );
    write(&dir.join("nps/NPS01.reg"), &nps_reg("NPS01", "", ""));
    // The client side: alice's certificate from Cloud PKI; the VPN profile (PEAP-TLS) pins the
    // Cloud PKI root; so does the Intune Wi-Fi profile (EAP-TLS), through its trusted-root profile.
    write(
        &dir.join("users/alice.contoso.com.cer"),
        &cloud.leaf(&user_leaf(), "leaf-user"),
    );
    write(
        &dir.join("vpn/ProfileXML_User.xml"),
        profile_xml(Some(&Eap::pinned(&cloud)), false, "IKEv2").as_bytes(),
    );
    write(
        &dir.join("intune/Contoso Cloud PKI Root CA.trustedRoot.json"),
        intune_trusted_root(
            "Contoso Cloud PKI Root CA",
            &cloud.root_der,
            "computerCertStoreRoot",
        )
        .as_bytes(),
    );
    write(
        &dir.join("intune/Corp Wi-Fi.wifi.json"),
        format!(
            r##"{{
  "@odata.type": "#microsoft.graph.windowsWifiEnterpriseEAPConfiguration",
  "id": "5d6e7f80-9a1b-4c2d-8e3f-405162738495",
  "displayName": "Corp Wi-Fi",
  "networkName": "CORP",
  "ssid": "CORP",
  "connectAutomatically": true,
  "wifiSecurityType": "wpa2Enterprise",
  "eapType": "eapTls",
  "authenticationMethod": "certificate",
  "trustedServerCertificateNames": [
    "nps01.contoso.com"
  ],
  "rootCertificatesForServerValidation@odata.bind": [
    "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('{TRUSTED_ROOT_ID}')"
  ]
}}
"##
        )
        .as_bytes(),
    );
    readme(
        &dir,
        "The NPS certificate was renewed and the policies were not: the most common NPS outage, with\nthe client side around it.\n\n- `nps/NPS01_npsconfig.txt` (`netsh nps export`): the Always On VPN policy (PEAP with inner\n  EAP-TLS) and the Corp Wi-Fi policy (EAP-TLS) still present last year's certificate\n  (`servers/nps01.contoso.com-2025.cer`, expired on 2026-11-15); a RADIUS client's shared\n  secret is still in the file.\n- `nps/NPS01-My.reg`: NPS01's My store holds only the renewal; `nps/NPS01-Root.reg` its roots.\n- `vpn/ProfileXML_User.xml` and `intune/Corp Wi-Fi.wifi.json` pin the Cloud PKI root (the root\n  of the client certificates), not the enterprise root of the NPS certificate.\n\nExpected: nps-policy-server-cert-not-found on both policies (NPS event 6273, reason 22), each\nnaming the renewal NPS01's My store holds,\neap-trusted-root-not-server-root on the VPN and the Wi-Fi profile, certificate-expired on last\nyear's certificate, nps-export-contains-secrets (the secret is never printed), and the note\nstrong-mapping-sid-uri-needs-2019-kdc on alice's certificate (its SID only as a URI; the\ndomain controllers' versions are not in the bundle).\n\nSynthetic: generated by tests/certgen.rs (TEST ONLY keys).\n",
    );
}

/// The rules on what an NPS server's store exports show it trusts.
fn trust_store_rules() {
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    let enterprise = Pki::with_keys(
        &Spec::ca("Contoso Enterprise Root CA", 0x1801),
        &Spec::ca("Contoso Enterprise Issuing CA", 0x2901),
        "leaf-device",
        "issuing-onprem",
    );
    let alice = pki.leaf(&user_leaf(), "leaf-user");
    let base = |d: &Path| {
        pki.write_cas(d);
        write(&d.join("certs/users/alice.contoso.com.cer"), &alice);
        write(&d.join("nps/NPS01.reg"), &nps_reg("NPS01", "", ""));
    };
    // eap-trusted-root-not-on-nps: NPS01's ROOT store holds only the enterprise root, and NPS02
    // holds the Cloud PKI root restricted to Server Authentication; pass: both hold it freely.
    for side in ["fail", "pass"] {
        let d = rule_dir("eap-trusted-root-not-on-nps", side);
        base(&d);
        write(&d.join("nps/NPS02.reg"), &nps_reg("NPS02", "", ""));
        let server_auth_only: &[&str] = &["1.3.6.1.5.5.7.3.1"];
        let (nps01, nps02): (Vec<&[u8]>, Option<&[&str]>) = if side == "fail" {
            (vec![&enterprise.root_der], Some(server_auth_only))
        } else {
            (vec![&enterprise.root_der, &pki.root_der], None)
        };
        write(
            &d.join("nps/NPS01-Root.reg"),
            common::store_export_of("NPS01", "ROOT", &nps01).as_bytes(),
        );
        write(
            &d.join("nps/NPS02-Root.reg"),
            common::store_export_at(
                "NPS02",
                r"SOFTWARE\Microsoft\SystemCertificates\ROOT",
                &[(&pki.root_der, nps02)],
            )
            .as_bytes(),
        );
    }
    // ntauth-missing-ca: NTAuth holds the enterprise issuing CA, not Cloud PKI's; pass: both.
    for side in ["fail", "pass"] {
        let d = rule_dir("ntauth-missing-ca", side);
        base(&d);
        let mut cas: Vec<&[u8]> = vec![&enterprise.issuing_der];
        if side == "pass" {
            cas.push(&pki.issuing_der);
        }
        let entries: Vec<(&[u8], Option<&[&str]>)> = cas.iter().map(|c| (*c, None)).collect();
        write(
            &d.join("nps/NPS01-NTAuth.reg"),
            common::store_export_at(
                "NPS01",
                r"SOFTWARE\Microsoft\EnterpriseCertificates\NTAuth",
                &entries,
            )
            .as_bytes(),
        );
    }
}

/// An RRAS server's registry snapshot (regedit's v5 text): its IKEv2 parameters with `ikev2`
/// lines, and the SSTP binding of `sstp_cert` by SHA-256 when given.
fn rras_reg(host: &str, ikev2: &str, sstp_cert: Option<&[u8]>) -> Vec<u8> {
    let mut t = format!(
        "Windows Registry Editor Version 5.00\n\n; Exported from {host}\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\RemoteAccess\\Parameters\\Ikev2]\n\"EnableServerFragmentation\"=dword:00000001\n{ikev2}\n"
    );
    if let Some(der) = sstp_cert {
        let hash = ring::digest::digest(&ring::digest::SHA256, der);
        t.push_str(
            "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\SstpSvc\\Parameters]\n",
        );
        t.push_str(&common::reg_binary("Sha256CertificateHash", hash.as_ref()));
        t.push('\n');
    }
    reg_utf16(&t)
}

/// `Get-VpnAuthProtocol | Out-File` (Windows PowerShell: UTF-16LE with a BOM), as Microsoft's
/// Set-VpnAuthProtocol page prints the list; `root` the value of RootCertificateNameToAccept.
fn vpn_auth_protocol(accepted: &str, root: &str) -> Vec<u8> {
    let t = format!(
        "\nUserAuthProtocolAccepted      : {{{accepted}}}\nTunnelAuthProtocolsAdvertised : Certificates\nRootCertificateNameToAccept   : {root}\nCertificateAdvertised         :\nCertificateEKUsToAccept       : {{}}\n\n\n"
    );
    reg_utf16(&t)
}

/// The RRAS and SSTP rules.
fn rras_rules() {
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    let vpn_cert = |serial: u64, validity: ((i32, u8, u8), (i32, u8, u8)), cdp: &'static str| {
        let spec = Spec {
            cn: "vpn.contoso.com",
            eku: vec![ExtendedKeyUsagePurpose::ServerAuth],
            upn: None,
            uris: vec![],
            dns: vec!["vpn.contoso.com"],
            cdp: vec![cdp],
            not_before: validity.0,
            not_after: validity.1,
            ..Spec::user("vpn.contoso.com", serial)
        };
        pki.leaf(&spec, "leaf-device")
    };
    // rras-ikev2-crl-check-disabled: a device tunnel and an RRAS server without CertAuthFlags;
    // pass: CertAuthFlags=4.
    for (side, flags) in [("fail", ""), ("pass", "\"CertAuthFlags\"=dword:00000004\n")] {
        let d = rule_dir("rras-ikev2-crl-check-disabled", side);
        write(&d.join("rras/VPN01.reg"), &rras_reg("VPN01", flags, None));
        write(
            &d.join("vpn/ProfileXML_Device.xml"),
            profile_xml(None, true, "IKEv2").as_bytes(),
        );
    }
    // rras-ikev2-root-not-restricted: Get-RrasConfiguration's authconfig with machine
    // certificates accepted and no root; pass: a root set (the certificate printed over lines).
    for (side, root) in [
        ("fail", ""),
        (
            "pass",
            "[Subject]\n                                  CN=Contoso Cloud PKI Root CA, O=Contoso\n\n                                [Thumbprint]\n                                  71899A67BF33AF31BEFDC071F8F733B183856332",
        ),
    ] {
        let d = rule_dir("rras-ikev2-root-not-restricted", side);
        write(
            &d.join("rras/vpn01_authconfig.txt"),
            &vpn_auth_protocol("EAP, Certificate", root),
        );
    }
    // sstp-server-cert-expired / -expires-soon: the bound certificate has expired / expires
    // within 30 days; pass: a current one.
    let current = vpn_cert(0x6101, ((2026, 6, 1), (2028, 6, 1)), CLOUD_PKI_LEAF_CDP);
    for (name, validity) in [
        ("sstp-server-cert-expired", ((2024, 6, 1), (2025, 6, 1))),
        (
            "sstp-server-cert-expires-soon",
            ((2025, 12, 10), (2026, 12, 10)),
        ),
    ] {
        let old = vpn_cert(0x6102, validity, CLOUD_PKI_LEAF_CDP);
        for (side, cert) in [("fail", &old), ("pass", &current)] {
            let d = rule_dir(name, side);
            pki.write_cas(&d);
            write(&d.join("certs/vpn.contoso.com.cer"), cert);
            write(
                &d.join("rras/VPN01.reg"),
                &rras_reg("VPN01", "\"CertAuthFlags\"=dword:00000004\n", Some(cert)),
            );
        }
    }
    // sstp-server-cert-crl-not-public: the bound certificate's only CDP is on an internal
    // host; pass: a public one.
    let internal = vpn_cert(
        0x6103,
        ((2026, 6, 1), (2028, 6, 1)),
        "http://ca01.contoso.local/CertEnroll/issuing.crl",
    );
    for (side, cert) in [("fail", &internal), ("pass", &current)] {
        let d = rule_dir("sstp-server-cert-crl-not-public", side);
        pki.write_cas(&d);
        write(&d.join("certs/vpn.contoso.com.cer"), cert);
        write(
            &d.join("rras/VPN01.reg"),
            &rras_reg("VPN01", "\"CertAuthFlags\"=dword:00000004\n", Some(cert)),
        );
    }
}

/// An NDES server's MSCEP key as `reg export` writes it, each value naming `template`, except
/// `general` for GeneralPurposeTemplate.
fn ndes_reg(host: &str, general: &str, template: &str) -> Vec<u8> {
    reg_utf16(&format!(
        "Windows Registry Editor Version 5.00\n\n; Exported from {host}\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\\MSCEP]\n\"EncryptionTemplate\"=\"{template}\"\n\"GeneralPurposeTemplate\"=\"{general}\"\n\"SignatureTemplate\"=\"{template}\"\n\n"
    ))
}

/// scep-keyusage-selects-default-ndes-template: the SCEP profile (key encipherment and digital
/// signature: GeneralPurposeTemplate) and an NDES host whose GeneralPurposeTemplate is still the
/// default; pass: it names the SCEP template.
fn ndes_rules() {
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    for (side, general) in [
        ("fail", "IPSECIntermediateOffline"),
        ("pass", "AOVPNUserSCEP"),
    ] {
        let d = rule_dir("scep-keyusage-selects-default-ndes-template", side);
        pki.write_cas(&d);
        write(
            &d.join("intune/Contoso Cloud PKI Root CA.trustedRoot.json"),
            intune_trusted_root(
                "Contoso Cloud PKI Root CA",
                &pki.root_der,
                "computerCertStoreRoot",
            )
            .as_bytes(),
        );
        let scep = Scep {
            scep_url: NDES_URL,
            ..Scep::healthy()
        };
        write(
            &d.join("intune/AOVPN User Certificate.scep.json"),
            scep.json().as_bytes(),
        );
        write(
            &d.join("ndes/NDES01.reg"),
            &ndes_reg("NDES01", general, "IPSECIntermediateOffline"),
        );
    }
}

/// eap-profile-without-trusted-root: the VPN profile validates the server and pins no root;
/// pass: it pins the Cloud PKI root beside it.
fn eap_profile_rules() {
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    for side in ["fail", "pass"] {
        let d = rule_dir("eap-profile-without-trusted-root", side);
        pki.write_cas(&d);
        let mut eap = Eap::pinned(&pki);
        if side == "fail" {
            eap.trusted_roots = vec![];
        }
        write(
            &d.join("vpn/ProfileXML_User.xml"),
            profile_xml(Some(&eap), false, "IKEv2").as_bytes(),
        );
    }
}

/// conditional-access-profile-without-eku-filter: a user tunnel with DeviceCompliance on and an
/// EAP-TLS filter by issuer only; pass: the filter requires the AAD Conditional Access EKU, as
/// Microsoft's conditional-access sample writes it.
fn conditional_access_rules() {
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    for side in ["fail", "pass"] {
        let d = rule_dir("conditional-access-profile-without-eku-filter", side);
        pki.write_cas(&d);
        let mut xml = profile_xml(Some(&Eap::pinned(&pki)), false, "IKEv2").replace(
            "  <AlwaysOn>true</AlwaysOn>\n",
            "  <AlwaysOn>true</AlwaysOn>\n  <DeviceCompliance>\n    <Enabled>true</Enabled>\n    <Sso>\n      <Enabled>false</Enabled>\n    </Sso>\n  </DeviceCompliance>\n",
        );
        if side == "pass" {
            xml = xml.replace(
                "</CAHashList>\n",
                "</CAHashList>\n<EKUMapping><EKUMap><EKUName>AAD Conditional Access</EKUName><EKUOID>1.3.6.1.4.1.311.87</EKUOID></EKUMap></EKUMapping>\n<ClientAuthEKUList Enabled=\"true\"><EKUMapInList><EKUName>AAD Conditional Access</EKUName></EKUMapInList></ClientAuthEKUList>\n",
            );
        }
        write(&d.join("vpn/ProfileXML_User.xml"), xml.as_bytes());
    }
}

/// eap-server-name-check-off: AcceptServerName false with names listed; pass: true. The
/// malformed-names case is a rule test (tests/rules.rs covers the fixture; tests/cli.rs the rest).
fn server_name_check_rules() {
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    for side in ["fail", "pass"] {
        let d = rule_dir("eap-server-name-check-off", side);
        pki.write_cas(&d);
        let mut xml = profile_xml(Some(&Eap::pinned(&pki)), false, "IKEv2");
        if side == "fail" {
            xml = xml.replace(
                "<AcceptServerName xmlns=\"http://www.microsoft.com/provisioning/MsPeapConnectionPropertiesV2\">true</AcceptServerName>",
                "<AcceptServerName xmlns=\"http://www.microsoft.com/provisioning/MsPeapConnectionPropertiesV2\">false</AcceptServerName>",
            );
        }
        write(&d.join("vpn/ProfileXML_User.xml"), xml.as_bytes());
    }
}

/// aia-ldap-only: alice's issuing CA names its issuer only at AD CS's default LDAP AIA; pass:
/// an http:// location beside it.
fn aia_rules() {
    const LDAP_AIA: &str = "ldap:///CN=Contoso%20Root%20CA,CN=AIA,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?cACertificate?base?objectClass=certificationAuthority";
    for (side, aia) in [
        ("fail", vec![LDAP_AIA]),
        (
            "pass",
            vec![
                LDAP_AIA,
                "http://pki.contoso.com/CertEnroll/Contoso%20Root%20CA.crt",
            ],
        ),
    ] {
        let d = rule_dir("aia-ldap-only", side);
        let pki = Pki::new(
            &Spec::ca("Contoso Root CA", 0x1801),
            &Spec {
                cdp: vec![ONPREM_ROOT_CDP],
                ca_issuers: aia,
                ..Spec::ca("Contoso Issuing CA", 0x2801)
            },
        );
        pki.write_cas(&d);
        let alice = Spec {
            cdp: vec![ONPREM_ISSUING_CDP],
            ..Spec::user("alice@contoso.com", 0x3801)
        };
        write(&d.join("certs/alice.cer"), &pki.leaf(&alice, "leaf-user"));
    }
}

/// Issue 16's revocation rules.
/// - crl-expires-soon: the issuing CA's CRL ends a day after the tests' --now; pass: 17 days.
/// - crl-too-large: a CRL of 80 revoked serials against a threshold of 2,000 bytes (the rule
///   folder's trustlint.yaml); pass: an empty CRL.
/// - delta-crl-url-plus-sign: the issuing CA and alice name AD CS's `<CA>+.crl` delta over
///   http; pass: a delta name without '+'.
/// - ocsp-with-broken-crl-fallback: alice has an OCSP responder and a CDP whose CRL (the
///   issuing CA's, in the bundle) ran out; pass: the CRL is current.
fn crl_lifecycle_rules() {
    for (side, next) in [("fail", (2026, 12, 2)), ("pass", (2026, 12, 18))] {
        pki_with_crl(&rule_dir("crl-expires-soon", side), |pki| {
            pki.crl("issuing", (2026, 11, 25), next, &[])
        });
    }
    for (side, count) in [("fail", 80u64), ("pass", 0)] {
        pki_with_crl(&rule_dir("crl-too-large", side), |pki| {
            let serials: Vec<u64> = (0..count).map(|i| 0x9000 + i).collect();
            pki.crl("issuing", (2026, 11, 25), (2026, 12, 18), &serials)
        });
    }
    write(
        &root_dir().join("testdata/rules/crl-too-large/trustlint.yaml"),
        b"# The fixtures test the rule at a small threshold: the default is 10 MiB.\nparams:\n  crl-too-large:\n    bytes: 2000\n",
    );
    for (side, delta) in [
        (
            "fail",
            "http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA+.crl",
        ),
        (
            "pass",
            "http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA-delta.crl",
        ),
    ] {
        let d = rule_dir("delta-crl-url-plus-sign", side);
        let pki = Pki::new(
            &Spec::ca("Contoso Root CA", 0x1802),
            &Spec {
                cdp: vec![ONPREM_ROOT_CDP],
                ..Spec::ca("Contoso Issuing CA", 0x2802)
            },
        );
        pki.write_cas(&d);
        let alice = Spec {
            cdp: vec![ONPREM_ISSUING_CDP],
            freshest_crl: vec![delta],
            ..Spec::user("alice@contoso.com", 0x3802)
        };
        write(&d.join("certs/alice.cer"), &pki.leaf(&alice, "leaf-user"));
    }
    for (side, next) in [("fail", (2026, 11, 20)), ("pass", (2026, 12, 18))] {
        let d = rule_dir("ocsp-with-broken-crl-fallback", side);
        let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
        pki.write_cas(&d);
        let alice = Spec {
            ocsp: vec!["http://ocsp.contoso.com/ocsp"],
            ..user_leaf()
        };
        write(&d.join("certs/alice.cer"), &pki.leaf(&alice, "leaf-user"));
        write(
            &d.join("crl/issuing-ca.crl"),
            &pki.crl("issuing", (2026, 11, 13), next, &[]),
        );
    }
}

/// Issue 16's Cloud PKI rules, on the Cloud PKI of `intune_rules`.
/// - scep-eku-not-in-cloud-ca: the issuing CA's export lists Client Authentication only; the
///   profile also asks for Secure Email. Pass: Client Authentication only.
/// - scep-root-not-anchor-of-issuing-ca: the profile's trusted-root profile holds the root of
///   another hierarchy (Fabrikam), while the CA its SCEP URL names chains to the Cloud PKI root.
///   Pass: the Cloud PKI root.
/// - intermediate-not-distributed: an AD CS issuing CA whose leaves name it only over LDAP,
///   with an Intune trusted-certificate profile for the root but none for it. Pass: a profile
///   deploys it to the intermediate store.
/// - byoca-ldap-cdp-aia: a bring-your-own-CA Cloud PKI issuing CA signed by a private CA that
///   wrote only LDAP CDP and AIA. Pass: http beside them.
fn cloud_pki_rules(pki: &Pki) {
    const CLIENT_AUTH: (&str, &str) = ("Client Authentication", "1.3.6.1.5.5.7.3.2");
    let root_profile = intune_trusted_root(
        "Contoso Cloud PKI Root CA",
        &pki.root_der,
        "computerCertStoreRoot",
    );
    for side in ["fail", "pass"] {
        let d = rule_dir("scep-eku-not-in-cloud-ca", side);
        pki.write_cas(&d);
        write(&d.join("intune/trusted-root.json"), root_profile.as_bytes());
        write(
            &d.join("intune/cloud-ca-issuing.json"),
            cloud_ca_json_of(
                &pki.issuing_der,
                "issuingCertificationAuthority",
                &[CLIENT_AUTH],
            )
            .as_bytes(),
        );
        let mut scep = Scep::healthy();
        if side == "fail" {
            scep.ekus.push(("Secure Email", "1.3.6.1.5.5.7.3.4"));
        }
        write(&d.join("intune/scep-user.json"), scep.json().as_bytes());
    }
    let fabrikam = Pki::with_keys(
        &Spec::ca("Fabrikam Root CA", 0x1701),
        &Spec::ca("Fabrikam Issuing CA", 0x2701),
        "leaf-device",
        "issuing-onprem",
    );
    for (side, root) in [("fail", &fabrikam.root_der), ("pass", &pki.root_der)] {
        let d = rule_dir("scep-root-not-anchor-of-issuing-ca", side);
        pki.write_cas(&d);
        write(
            &d.join("intune/trusted-root.json"),
            intune_trusted_root("Contoso Cloud PKI Root CA", root, "computerCertStoreRoot")
                .as_bytes(),
        );
        write(
            &d.join("intune/cloud-ca-issuing.json"),
            cloud_ca_json(&pki.issuing_der).as_bytes(),
        );
        write(
            &d.join("intune/scep-user.json"),
            Scep::healthy().json().as_bytes(),
        );
    }
    const LDAP_AIA: &str = "ldap:///CN=Contoso%20Issuing%20CA,CN=AIA,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?cACertificate?base?objectClass=certificationAuthority";
    let onprem = Pki::new(
        &Spec::ca("Contoso Root CA", 0x1803),
        &Spec {
            cdp: vec![ONPREM_ROOT_CDP],
            ..Spec::ca("Contoso Issuing CA", 0x2803)
        },
    );
    for side in ["fail", "pass"] {
        let d = rule_dir("intermediate-not-distributed", side);
        onprem.write_cas(&d);
        let alice = Spec {
            cdp: vec![ONPREM_ISSUING_CDP],
            ca_issuers: vec![LDAP_AIA],
            ..Spec::user("alice@contoso.com", 0x3803)
        };
        write(
            &d.join("certs/alice.cer"),
            &onprem.leaf(&alice, "leaf-user"),
        );
        write(
            &d.join("intune/trusted-root.json"),
            intune_trusted_root("Contoso Root CA", &onprem.root_der, "computerCertStoreRoot")
                .as_bytes(),
        );
        if side == "pass" {
            write(
                &d.join("intune/trusted-intermediate.json"),
                intune_trusted_cert(
                    "3c1d7a9e-2b4f-4e8a-9c6d-5f0e1a2b3c4d",
                    "Contoso Issuing CA",
                    &onprem.issuing_der,
                    "computerCertStoreIntermediate",
                )
                .as_bytes(),
            );
        }
    }
    const PRIVATE_LDAP_CDP: &str = "ldap:///CN=Contoso%20Root%20CA,CN=PKI01,CN=CDP,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?certificateRevocationList?base?objectClass=cRLDistributionPoint";
    const PRIVATE_LDAP_AIA: &str = "ldap:///CN=Contoso%20Root%20CA,CN=AIA,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?cACertificate?base?objectClass=certificationAuthority";
    for (side, cdp, aia) in [
        ("fail", vec![PRIVATE_LDAP_CDP], vec![PRIVATE_LDAP_AIA]),
        (
            "pass",
            vec![PRIVATE_LDAP_CDP, ONPREM_ROOT_CDP],
            vec![
                PRIVATE_LDAP_AIA,
                "http://pki.contoso.com/CertEnroll/Contoso%20Root%20CA.crt",
            ],
        ),
    ] {
        let d = rule_dir("byoca-ldap-cdp-aia", side);
        let byoca = Pki::new(
            &Spec::ca("Contoso Root CA", 0x1804),
            &Spec {
                cdp,
                ca_issuers: aia,
                ..Spec::ca("Contoso Cloud PKI Issuing CA", 0x2804)
            },
        );
        byoca.write_cas(&d);
        write(
            &d.join("intune/cloud-ca-issuing.json"),
            cloud_ca_json_of(
                &byoca.issuing_der,
                "issuingCertificationAuthorityWithExternalRoot",
                &[CLIENT_AUTH],
            )
            .as_bytes(),
        );
    }
}

/// The Cloud PKI family's scenario: a tenant with a Cloud PKI issuing CA (Client
/// Authentication only), a bring-your-own-CA issuing CA under the on-premises root, and three
/// SCEP profiles, each with one mistake.
fn cloud_pki_profiles_scenario() {
    const BYOCA_ID: &str = "7d2e4f6a-8b1c-4d3e-9f5a-6b7c8d9e0f1a";
    const LEGACY_ROOT_ID: &str = "e4c3b2a1-9f8e-4d7c-8b6a-5f4e3d2c1b0a";
    let dir = root_dir().join("testdata/scenarios/cloud-pki-profiles");
    let _ = fs::remove_dir_all(&dir);
    let cloud = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    write(
        &dir.join("pki/Contoso Cloud PKI Root CA.cer"),
        &cloud.root_der,
    );
    write(
        &dir.join("pki/Contoso Cloud PKI Issuing CA.cer"),
        &cloud.issuing_der,
    );
    write(
        &dir.join("intune/cloudCertificationAuthority-issuing.json"),
        cloud_ca_json_of(
            &cloud.issuing_der,
            "issuingCertificationAuthority",
            &[("Client Authentication", "1.3.6.1.5.5.7.3.2")],
        )
        .as_bytes(),
    );
    // The bring-your-own-CA issuing CA, signed by the on-premises root with AD CS's default
    // LDAP-only locations.
    let byoca = Pki::with_keys(
        &Spec {
            not_after: (2044, 1, 1),
            ..Spec::ca("Contoso Root CA", 0x1805)
        },
        &Spec {
            cdp: vec![
                "ldap:///CN=Contoso%20Root%20CA,CN=PKI01,CN=CDP,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?certificateRevocationList?base?objectClass=cRLDistributionPoint",
            ],
            ca_issuers: vec![
                "ldap:///CN=Contoso%20Root%20CA,CN=AIA,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?cACertificate?base?objectClass=certificationAuthority",
            ],
            ..Spec::ca("Contoso BYOCA Issuing CA", 0x2805)
        },
        "leaf-device",
        "issuing-onprem",
    );
    write(&dir.join("pki/Contoso Root CA.cer"), &byoca.root_der);
    write(
        &dir.join("pki/Contoso BYOCA Issuing CA.cer"),
        &byoca.issuing_der,
    );
    write(
        &dir.join("intune/cloudCertificationAuthority-byoca.json"),
        cloud_ca_json_of(
            &byoca.issuing_der,
            "issuingCertificationAuthorityWithExternalRoot",
            &[("Client Authentication", "1.3.6.1.5.5.7.3.2")],
        )
        .replace("5f8b2c1e-7d3a-4e59-9b1f-2a6c0d4e8f10", BYOCA_ID)
        .replace("Contoso Cloud PKI Issuing CA", "Contoso BYOCA Issuing CA")
        .replace(
            CLOUD_PKI_ISSUING_CDP,
            "http://primary-cdn.pki.azure.net/centralus/crls/7d2e4f6a-8b1c-4d3e-9f5a-6b7c8d9e0f1a/7d2e4f6a-8b1c-4d3e-9f5a-6b7c8d9e0f1a_v1.crl",
        )
        .as_bytes(),
    );
    write(
        &dir.join("intune/Contoso Cloud PKI Root CA.trustedRoot.json"),
        intune_trusted_root(
            "Contoso Cloud PKI Root CA",
            &cloud.root_der,
            "computerCertStoreRoot",
        )
        .as_bytes(),
    );
    write(
        &dir.join("intune/Contoso Root CA.trustedRoot.json"),
        intune_trusted_cert(
            LEGACY_ROOT_ID,
            "Contoso Root CA",
            &byoca.root_der,
            "computerCertStoreRoot",
        )
        .as_bytes(),
    );
    // Three SCEP profiles of the Cloud PKI issuing CA, one mistake each.
    let profile = |scep: Scep, id: &str, name: &str| {
        scep.json()
            .replace("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", id)
            .replace("AOVPN User Certificate", name)
    };
    write(
        &dir.join("intune/AOVPN User Certificate.scep.json"),
        profile(
            Scep {
                more_scep_urls: vec![NDES_URL],
                ..Scep::healthy()
            },
            "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
            "AOVPN User Certificate",
        )
        .as_bytes(),
    );
    write(
        &dir.join("intune/Wi-Fi User Certificate.scep.json"),
        profile(
            Scep {
                ekus: vec![
                    ("Client Authentication", "1.3.6.1.5.5.7.3.2"),
                    ("Secure Email", "1.3.6.1.5.5.7.3.4"),
                ],
                ..Scep::healthy()
            },
            "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
            "Wi-Fi User Certificate",
        )
        .as_bytes(),
    );
    write(
        &dir.join("intune/Kiosk User Certificate.scep.json"),
        profile(
            Scep {
                root_bind: LEGACY_ROOT_ID,
                ..Scep::healthy()
            },
            "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
            "Kiosk User Certificate",
        )
        .as_bytes(),
    );
    readme(
        &dir,
        "A tenant's Microsoft Cloud PKI as Graph exports it, with one mistake per object:\n\
         - the Cloud PKI issuing CA issues Client Authentication only (its export lists it) and its\n\
         \x20 CDP is Cloud PKI's own;\n\
         - 'AOVPN User Certificate' lists the Cloud PKI SCEP URL and an NDES URL:\n\
         \x20 scep-profile-mixes-ndes-and-cloud-pki;\n\
         - 'Wi-Fi User Certificate' also asks for Secure Email, which the CA does not list:\n\
         \x20 scep-eku-not-in-cloud-ca;\n\
         - 'Kiosk User Certificate' references the trusted-root profile of the on-premises root,\n\
         \x20 not the Cloud PKI root its issuing CA chains to: scep-root-not-anchor-of-issuing-ca;\n\
         - the bring-your-own-CA issuing CA was signed by the on-premises root with AD CS's default\n\
         \x20 LDAP-only CDP and AIA: byoca-ldap-cdp-aia (cdp-ldap-only and aia-ldap-only leave it to\n\
         \x20 that rule).\n\n\
         Expected: exactly those four findings.\n\n\
         Synthetic: generated by tests/certgen.rs (TEST ONLY keys).\n",
    );
}

/// Issue 16's client-profile and certificate-mapping rules.
/// - eap-xml-wrong-namespace: the ProfileXML's EAP XML in https:// namespaces; pass: http.
/// - eap-client-cert-filter-missing: EAP-TLS from the store without CAHashList, beside client
///   certificates of two CAs; pass: the CAHashList names the issuing CA.
/// - user-cert-without-upn-san: a user-store SCEP profile with an e-mail SAN only; pass: UPN.
/// - device-cert-without-dns-san: a machine-store profile with a UPN SAN only; pass: DNS.
/// - device-cert-for-entra-joined-devices: a machine-store profile named after
///   {{AAD_Device_ID}} with {{DeviceName}} as DNS; pass: {{FullyQualifiedDomainName}} and the SID.
/// - strong-mapping-sid-uri-needs-2019-kdc: a client certificate with the SID URI and no SID
///   extension, which the ProfileXML's issuer filter selects (no Intune profile issued it);
///   pass: without the URI (TL8001's case).
fn client_profile_rules() {
    let pki = Pki::cloud(&[CLOUD_PKI_ISSUING_CDP]);
    for side in ["fail", "pass"] {
        let d = rule_dir("eap-xml-wrong-namespace", side);
        let xml = profile_xml(Some(&Eap::pinned(&pki)), false, "IKEv2");
        let xml = if side == "fail" {
            xml.replace(
                "http://www.microsoft.com/provisioning/",
                "https://www.microsoft.com/provisioning/",
            )
        } else {
            xml
        };
        write(&d.join("vpn/ProfileXML_User.xml"), xml.as_bytes());
    }
    let other = Pki::with_keys(
        &Spec::ca("Fabrikam Root CA", 0x1706),
        &Spec::ca("Fabrikam Issuing CA", 0x2706),
        "leaf-device",
        "issuing-onprem",
    );
    for side in ["fail", "pass"] {
        let d = rule_dir("eap-client-cert-filter-missing", side);
        pki.write_cas(&d);
        write(
            &d.join("certs/alice.cer"),
            &pki.leaf(&user_leaf(), "leaf-user"),
        );
        write(&d.join("certs/fabrikam/root-ca.cer"), &other.root_der);
        write(&d.join("certs/fabrikam/issuing-ca.cer"), &other.issuing_der);
        let alice_fabrikam = Spec {
            upn: Some("alice@fabrikam.com"),
            ..Spec::user("alice@fabrikam.com", 0x3706)
        };
        write(
            &d.join("certs/fabrikam/alice.cer"),
            &other.leaf(&alice_fabrikam, "leaf-user"),
        );
        let mut eap = Eap::pinned(&pki);
        if side == "fail" {
            eap.issuer_hashes = vec![];
        }
        write(
            &d.join("vpn/ProfileXML_User.xml"),
            profile_xml(Some(&eap), false, "IKEv2").as_bytes(),
        );
    }
    let profile_case = |name: &str, fail: Scep, pass: Scep| {
        for (side, scep) in [("fail", &fail), ("pass", &pass)] {
            let d = rule_dir(name, side);
            write(&d.join("intune/scep.json"), scep.json().as_bytes());
        }
    };
    profile_case(
        "user-cert-without-upn-san",
        Scep {
            sans: Some(vec![("emailAddress", "{{EmailAddress}}")]),
            ..Scep::healthy()
        },
        Scep {
            sans: Some(vec![("userPrincipalName", "{{UserPrincipalName}}")]),
            ..Scep::healthy()
        },
    );
    profile_case(
        "device-cert-without-dns-san",
        Scep {
            store: "machine",
            sans: Some(vec![("userPrincipalName", "{{UserPrincipalName}}")]),
            subject_name: ("custom", "CN={{FullyQualifiedDomainName}}"),
            ..Scep::healthy()
        },
        Scep {
            store: "machine",
            sans: Some(vec![("domainNameService", "{{FullyQualifiedDomainName}}")]),
            subject_name: ("custom", "CN={{FullyQualifiedDomainName}}"),
            ..Scep::healthy()
        },
    );
    profile_case(
        "device-cert-for-entra-joined-devices",
        Scep {
            store: "machine",
            sans: Some(vec![("domainNameService", "{{DeviceName}}")]),
            subject_name: ("custom", "CN={{AAD_Device_ID}}"),
            ..Scep::healthy()
        },
        Scep {
            store: "machine",
            sans: Some(vec![
                ("domainNameService", "{{FullyQualifiedDomainName}}"),
                (
                    "universalResourceIdentifier",
                    "tag:microsoft.com,2022-09-14:sid:{{OnPremisesSecurityIdentifier}}",
                ),
            ]),
            subject_name: ("custom", "CN={{FullyQualifiedDomainName}}"),
            ..Scep::healthy()
        },
    );
    for side in ["fail", "pass"] {
        let d = rule_dir("strong-mapping-sid-uri-needs-2019-kdc", side);
        pki.write_cas(&d);
        let alice = Spec {
            uris: if side == "fail" {
                vec![ALICE_SID_URI]
            } else {
                vec![]
            },
            ..user_leaf()
        };
        write(&d.join("certs/alice.cer"), &pki.leaf(&alice, "leaf-user"));
        write(
            &d.join("vpn/ProfileXML_User.xml"),
            profile_xml(Some(&Eap::pinned(&pki)), false, "IKEv2").as_bytes(),
        );
    }
}

/// The client-profile family's scenario: the healthy deployment after a merger and a copy-paste
/// (see its README).
fn client_profiles_scenario() {
    let dir = root_dir().join("testdata/scenarios/client-profiles");
    let _ = fs::remove_dir_all(&dir);
    deployment(&dir, &Mistake::default());
    let root = Spec {
        not_after: (2044, 1, 1),
        ..Spec::ca("Contoso Root CA", 0x1801)
    };
    let issuing = Spec {
        cdp: vec![ONPREM_ROOT_CDP],
        ..Spec::ca("Contoso Issuing CA", 0x2801)
    };
    let pki = Pki::new(&root, &issuing);
    // The ProfileXML's EAP XML copied from a sample with https:// namespaces, and its
    // certificate filter dropped on the way.
    let mut eap = Eap::pinned(&pki);
    eap.issuer_hashes = vec![];
    write(
        &dir.join("vpn/ProfileXML_User.xml"),
        profile_xml(Some(&eap), false, "IKEv2")
            .replace(
                "http://www.microsoft.com/provisioning/",
                "https://www.microsoft.com/provisioning/",
            )
            .as_bytes(),
    );
    // The acquired company's PKI still issues alice a client certificate.
    let fabrikam = Pki::with_keys(
        &Spec {
            not_after: (2044, 1, 1),
            ..Spec::ca("Fabrikam Root CA", 0x1707)
        },
        &Spec {
            cdp: vec!["http://pki.fabrikam.com/CertEnroll/Fabrikam%20Root%20CA.crl"],
            ..Spec::ca("Fabrikam Issuing CA", 0x2707)
        },
        "leaf-device",
        "issuing-onprem",
    );
    write(&dir.join("pki/Fabrikam Root CA.cer"), &fabrikam.root_der);
    write(
        &dir.join("pki/Fabrikam Issuing CA.cer"),
        &fabrikam.issuing_der,
    );
    let alice_fabrikam = Spec {
        cdp: vec!["http://pki.fabrikam.com/CertEnroll/Fabrikam%20Issuing%20CA.crl"],
        upn: Some("alice@fabrikam.com"),
        uris: vec![ALICE_SID_URI],
        ..Spec::user("alice@fabrikam.com", 0x3707)
    };
    write(
        &dir.join("users/alice.fabrikam.com.cer"),
        &fabrikam.leaf(&alice_fabrikam, "leaf-user"),
    );
    // The user profile writes the e-mail address instead of the UPN; a new Wi-Fi device
    // profile is built for Entra-joined devices.
    write(
        &dir.join("intune/AOVPN User Certificate.scep.json"),
        Scep {
            scep_url: NDES_URL,
            sans: Some(vec![
                (
                    "universalResourceIdentifier",
                    "tag:microsoft.com,2022-09-14:sid:{{OnPremisesSecurityIdentifier}}",
                ),
                ("emailAddress", "{{EmailAddress}}"),
            ]),
            ..Scep::healthy()
        }
        .json()
        .as_bytes(),
    );
    write(
        &dir.join("intune/Wi-Fi Device Certificate.scep.json"),
        Scep {
            scep_url: NDES_URL,
            store: "machine",
            sans: Some(vec![("domainNameService", "{{DeviceName}}")]),
            subject_name: ("custom", "CN={{AAD_Device_ID}}"),
            ..Scep::healthy()
        }
        .json()
        .replace(
            "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
            "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
        )
        .replace("AOVPN User Certificate", "Wi-Fi Device Certificate")
        .as_bytes(),
    );
    readme(
        &dir,
        "The healthy deployment after a merger and a copy-paste, one mistake per client-side object:\n\
         - the ProfileXML's EAP XML was copied from a sample that writes https:// namespaces:\n\
         \x20 eap-xml-wrong-namespace;\n\
         - its CAHashList filter was dropped while alice also holds a Fabrikam client certificate:\n\
         \x20 eap-client-cert-filter-missing (two issuing CAs of client certificates);\n\
         - the Intune user SCEP profile writes the e-mail address, not the UPN:\n\
         \x20 user-cert-without-upn-san; it keeps the SID URI: strong-mapping-sid-uri-needs-2019-kdc\n\
         \x20 (a note: the domain controllers' versions are not in the bundle);\n\
         - a new Wi-Fi device profile names certificates after {{AAD_Device_ID}}, as for\n\
         \x20 Entra-joined devices NPS cannot map: device-cert-for-entra-joined-devices.\n\
         The merger shows on the server side too: NPS01's ROOT store lacks the Fabrikam root\n\
         (eap-trusted-root-not-on-nps).\n\n\
         Expected: exactly those six findings.\n\n\
         Synthetic: generated by tests/certgen.rs (TEST ONLY keys).\n",
    );
}
