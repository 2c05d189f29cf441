//! Hostile and huge inputs, one generator per shape that once made trustlint quadratic or worse
//! (issue 14; docs/performance.md, "Hostile input"). Each writes the input of size `n` into a
//! directory. `gen-stress` writes them at the sizes of the issue's table for
//! `benches/compare.sh --stress`; `tests/scale.rs` writes them small and at 4× the size and
//! compares the scan times.
//!
//! Keys are Ed25519 from fixed seeds, or bogus RSA keys that are random numbers (no private
//! key, signatures of random bytes), so that generating 40,000 certificates takes seconds and
//! the same `n` gives the same bytes on every run.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark helpers: any failure should stop the run loudly"
)]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CrlDistributionPoint,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair,
    KeyUsagePurpose, PKCS_RSA_SHA256, PublicKeyData, RevokedCertParams, SerialNumber,
    SignatureAlgorithm, SigningKey, date_time_ymd,
};

/// One hostile shape.
pub(crate) struct Case {
    /// Its name: the directory `gen-stress` writes and the label of every figure.
    pub(crate) name: &'static str,
    /// What `n` counts.
    pub(crate) what: &'static str,
    /// The size of the issue's table (`compare.sh --stress`).
    pub(crate) full: usize,
    /// The 1× size of the scale test (and the test runs 4× that).
    pub(crate) small: usize,
    /// Writes the input of size `n` into the (existing, empty) directory.
    pub(crate) write: fn(&Path, usize),
}

/// Every shape of the table of issue 14, in its order.
pub(crate) const CASES: &[Case] = &[
    Case {
        name: "pem-findings",
        what: "certificates in one PEM file, each with a finding",
        full: 32_000,
        small: 400,
        write: pem_findings,
    },
    Case {
        name: "graph-scep",
        what: "SCEP profiles in one Graph export, each with a dangling root reference",
        full: 30_000,
        small: 500,
        write: graph_scep,
    },
    Case {
        name: "syncml-pins",
        what: "TrustedRootCA pins in a ProfileXML escaped inside SyncML",
        full: 60_000,
        small: 1_000,
        write: syncml_pins,
    },
    Case {
        name: "graph-roots-one-line",
        what: "trusted-root profiles in one-line (minified) Graph JSON",
        full: 100_000,
        small: 2_000,
        write: graph_roots_one_line,
    },
    Case {
        name: "eap-one-line",
        what: "TrustedRootCA pins in one-line EAP XML",
        full: 90_000,
        small: 2_500,
        write: eap_one_line,
    },
    Case {
        name: "crl-entries",
        what: "leaves, beside a CRL of 11.5 entries per leaf",
        full: 40_000,
        small: 400,
        write: crl_entries,
    },
    Case {
        name: "reg-deletions",
        what: "[-KEY] deletions in one .reg file",
        full: 100_000,
        small: 2_000,
        write: reg_deletions,
    },
    Case {
        name: "server-names",
        what: "ServerNames entries",
        full: 300_000,
        small: 5_000,
        write: server_names,
    },
    Case {
        name: "same-name-cas",
        what: "CAs sharing name and key identifier, and as many leaves none of them signed",
        full: 1_000,
        // Above MAX_CANDIDATES (256): below it, every leaf's candidate list grows with n.
        small: 300,
        write: same_name_cas,
    },
    Case {
        name: "self-issued",
        what: "self-issued certificates of one name, none self-signed",
        full: 1_000,
        small: 300,
        write: self_issued,
    },
    Case {
        name: "bogus-rsa-8192",
        what: "same-name CA certificates with bogus 8192-bit RSA keys",
        full: 300,
        small: 20,
        write: bogus_rsa_8192,
    },
    Case {
        name: "profiles-x-certificates",
        what: "SCEP profiles under one root, beside as many leaves of its CA without client auth",
        full: 30_000,
        // Large enough that the product of profiles and leaves (900 million at full size)
        // outgrows the linear work of 4x the leaves in a debug build: building each leaf's
        // list of every profile grew 6.1x here, reading ten of it grows 3.8x.
        small: 2_500,
        write: profiles_x_certificates,
    },
    Case {
        name: "nps-names-x-profiles",
        what: "NPS policies each presenting its own certificate, and as many Wi-Fi profiles each with its own ServerNames pattern",
        full: 3_000,
        small: 150,
        write: nps_names_x_profiles,
    },
    Case {
        name: "cross-product",
        what: "leaves without CDP, and as many NPS host snapshots",
        full: 1_000,
        small: 40,
        write: cross_product,
    },
];

/// SplitMix64, counter-based: the same (seed, i) gives the same number on every run.
fn splitmix(seed: u64, i: u64) -> u64 {
    let mut z = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(i.wrapping_add(1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    (0..len as u64)
        .flat_map(|i| splitmix(seed, i).to_be_bytes())
        .take(len)
        .collect()
}

/// An Ed25519 key from a fixed seed (PKCS#8 v1 around the 32 seed bytes).
fn ed25519(seed: u64) -> KeyPair {
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    der.extend(random_bytes(seed ^ 0x0ED2_5519, 32));
    KeyPair::try_from(der.as_slice()).expect("an Ed25519 PKCS#8 key")
}

/// An RSA "key" that is a random number of `bits` bits: its signatures are random bytes, so no
/// signature made with it verifies, and checking one costs what checking a real one does.
struct BogusRsa {
    public: Vec<u8>,
    bits: usize,
    seed: u64,
}

impl BogusRsa {
    fn new(bits: usize, seed: u64) -> BogusRsa {
        let mut modulus = random_bytes(seed, bits / 8);
        modulus[0] |= 0x80;
        modulus[bits / 8 - 1] |= 1;
        // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER 65537 }
        let mut int = vec![0x00];
        int.extend(modulus);
        let mut body = tlv(0x02, &int);
        body.extend(tlv(0x02, &[0x01, 0x00, 0x01]));
        BogusRsa {
            public: tlv(0x30, &body),
            bits,
            seed,
        }
    }
}

impl PublicKeyData for BogusRsa {
    fn der_bytes(&self) -> &[u8] {
        &self.public
    }
    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &PKCS_RSA_SHA256
    }
}

impl SigningKey for BogusRsa {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        // Below the modulus (top bit clear), so the check runs to the end and fails there.
        let mut sig = random_bytes(self.seed ^ msg.len() as u64, self.bits / 8);
        sig[0] &= 0x3f;
        Ok(sig)
    }
}

fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend([0x81, n as u8]);
    } else if n < 0x1_0000 {
        out.extend([0x82, (n >> 8) as u8, n as u8]);
    } else {
        out.extend([0x83, (n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(body);
    out
}

/// A name of one CN: 16 MiB of PEM holds 32,000 leaves.
fn name(cn: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(DnType::CommonName, cn);
    d
}

fn ca_params(cn: &str, serial: u64) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = name(cn);
    p.serial_number = Some(SerialNumber::from_slice(&serial.to_be_bytes()));
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(2035, 1, 1);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.key_identifier_method = KeyIdMethod::Sha256;
    p
}

/// A client-authentication leaf of serial `serial`, with a CDP or without.
fn leaf_params(serial: u64, cdp: bool) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = name(&format!("user{serial:06}"));
    p.serial_number = Some(SerialNumber::from_slice(&serial.to_be_bytes()));
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(2030, 1, 1);
    p.is_ca = IsCa::ExplicitNoCa;
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    p.use_authority_key_identifier_extension = true;
    if cdp {
        p.crl_distribution_points = vec![CrlDistributionPoint {
            uris: vec!["http://pki.contoso.com/crl/issuing.crl".into()],
        }];
    }
    p
}

fn pem(der: &[u8]) -> String {
    let lf = pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF);
    pem::encode_config(&pem::Pem::new("CERTIFICATE", der.to_vec()), lf)
}

fn base64(der: &[u8]) -> String {
    pem(der)
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

/// A root and an issuing CA (Ed25519), the issuing CA's parameters and key for signing.
struct Pki {
    root: Vec<u8>,
    issuing: Vec<u8>,
    issuing_params: CertificateParams,
    issuing_key: KeyPair,
}

impl Pki {
    fn new() -> Pki {
        let root_key = ed25519(1);
        let root_params = ca_params("Stress Root CA", 1);
        let root = root_params.self_signed(&root_key).unwrap();
        let mut issuing_params = ca_params("Stress Issuing CA", 2);
        issuing_params.use_authority_key_identifier_extension = true;
        issuing_params.crl_distribution_points = vec![CrlDistributionPoint {
            uris: vec!["http://pki.contoso.com/crl/root.crl".into()],
        }];
        let issuing_key = ed25519(2);
        let issuing = issuing_params
            .signed_by(&issuing_key, &Issuer::from_params(&root_params, &root_key))
            .unwrap();
        Pki {
            root: root.der().to_vec(),
            issuing: issuing.der().to_vec(),
            issuing_params,
            issuing_key,
        }
    }

    fn leaf(&self, serial: u64, cdp: bool, key: &KeyPair) -> Vec<u8> {
        let issuer = Issuer::from_params(&self.issuing_params, &self.issuing_key);
        leaf_params(serial, cdp)
            .signed_by(key, &issuer)
            .unwrap()
            .der()
            .to_vec()
    }

    fn write_cas(&self, dir: &Path) {
        fs::write(dir.join("root.cer"), &self.root).unwrap();
        fs::write(dir.join("issuing.cer"), &self.issuing).unwrap();
    }
}

fn pem_findings(dir: &Path, n: usize) {
    let pki = Pki::new();
    pki.write_cas(dir);
    let key = ed25519(3);
    let mut out = String::new();
    for i in 0..n as u64 {
        out.push_str(&pem(&pki.leaf(1000 + i, false, &key)));
    }
    fs::write(dir.join("leaves.pem"), out).unwrap();
}

fn graph_scep(dir: &Path, n: usize) {
    let mut out = String::from(
        "{\n  \"@odata.context\": \"https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations\",\n  \"value\": [\n",
    );
    for i in 0..n {
        if i > 0 {
            out.push_str(",\n");
        }
        write!(
            out,
            "    {{\n      \"@odata.type\": \"#microsoft.graph.windows81SCEPCertificateProfile\",\n      \"id\": \"{i:08x}-0000-4000-8000-000000000000\",\n      \"displayName\": \"SCEP {i}\",\n      \"keySize\": \"size2048\",\n      \"hashAlgorithm\": \"sha2\",\n      \"extendedKeyUsages\": [{{ \"name\": \"Client Authentication\", \"objectIdentifier\": \"1.3.6.1.5.5.7.3.2\" }}],\n      \"rootCertificate@odata.bind\": \"https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('{:08x}-ffff-4000-8000-000000000000')\"\n    }}",
            i + 1
        )
        .unwrap();
    }
    out.push_str("\n  ]\n}\n");
    fs::write(dir.join("deviceConfigurations.json"), out).unwrap();
}

/// A thumbprint in the spaced form of EAP XML, distinct for each `i`.
fn spaced_thumbprint(i: usize) -> String {
    random_bytes(0x7415 ^ i as u64, 20)
        .iter()
        .map(|b| format!("{b:02x} "))
        .collect()
}

fn eap_host_config(pins: &str) -> String {
    format!(
        "<EapHostConfig xmlns=\"http://www.microsoft.com/provisioning/EapHostConfig\"><EapMethod><Type xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">13</Type><VendorId xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">0</VendorId><VendorType xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">0</VendorType><AuthorId xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">0</AuthorId></EapMethod><Config xmlns=\"http://www.microsoft.com/provisioning/EapHostConfig\"><Eap xmlns=\"http://www.microsoft.com/provisioning/BaseEapConnectionPropertiesV1\"><Type>13</Type><EapType xmlns=\"http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV1\"><CredentialsSource><CertificateStore><SimpleCertSelection>true</SimpleCertSelection></CertificateStore></CredentialsSource><ServerValidation><DisableUserPromptForServerValidation>true</DisableUserPromptForServerValidation><ServerNames>nps01.contoso.com</ServerNames>{pins}</ServerValidation><DifferentUsername>false</DifferentUsername></EapType></Eap></Config></EapHostConfig>"
    )
}

fn pins(n: usize) -> String {
    (0..n)
        .map(|i| format!("<TrustedRootCA>{}</TrustedRootCA>", spaced_thumbprint(i)))
        .collect()
}

fn vpn_profile(eap: &str, servers: &str) -> String {
    format!(
        "<VPNProfile><AlwaysOn>true</AlwaysOn><NativeProfile><Servers>{servers}</Servers><NativeProtocolType>IKEv2</NativeProtocolType><Authentication><UserMethod>Eap</UserMethod><Eap><Configuration>{eap}</Configuration></Eap></Authentication></NativeProfile></VPNProfile>"
    )
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn syncml_pins(dir: &Path, n: usize) {
    let profile = vpn_profile(&eap_host_config(&pins(n)), "vpn.contoso.com");
    let syncml = format!(
        "<SyncML xmlns=\"SYNCML:SYNCML1.2\">\n  <SyncBody>\n    <Add>\n      <CmdID>1</CmdID>\n      <Item>\n        <Target><LocURI>./User/Vendor/MSFT/VPNv2/Contoso/ProfileXML</LocURI></Target>\n        <Meta><Format xmlns=\"syncml:metinf\">chr</Format></Meta>\n        <Data>{}</Data>\n      </Item>\n    </Add>\n    <Final/>\n  </SyncBody>\n</SyncML>\n",
        xml_escape(&profile)
    );
    fs::write(dir.join("syncml.xml"), syncml).unwrap();
}

fn graph_roots_one_line(dir: &Path, n: usize) {
    // One profile in sixteen carries a certificate (a few real roots, duplicated as exports
    // of copied profiles are); the others carry none, which is a finding each. So 100,000
    // profiles fit in 16 MiB.
    let roots: Vec<String> = (0..4u64)
        .map(|k| {
            let key = ed25519(100 + k);
            base64(
                ca_params(&format!("Stress Root {k}"), 10 + k)
                    .self_signed(&key)
                    .unwrap()
                    .der(),
            )
        })
        .collect();
    let mut out = String::from("{\"value\":[");
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let cert = if i % 16 == 0 {
            format!(",\"trustedRootCertificate\":\"{}\"", roots[i / 16 % 4])
        } else {
            String::new()
        };
        write!(
            out,
            "{{\"@odata.type\":\"#microsoft.graph.windows81TrustedRootCertificate\",\"id\":\"{i:08x}\",\"displayName\":\"Root {i}\"{cert}}}"
        )
        .unwrap();
    }
    out.push_str("]}");
    fs::write(dir.join("trustedRoots.json"), out).unwrap();
}

fn eap_one_line(dir: &Path, n: usize) {
    fs::write(dir.join("eap.xml"), eap_host_config(&pins(n))).unwrap();
}

fn crl_entries(dir: &Path, n: usize) {
    let pki = Pki::new();
    pki.write_cas(dir);
    let key = ed25519(3);
    // Leaf serials 1000.., a thousand per file.
    for (k, first) in (0..n as u64).step_by(1000).enumerate() {
        let mut out = String::new();
        for i in first..(first + 1000).min(n as u64) {
            out.push_str(&pem(&pki.leaf(1000 + i, true, &key)));
        }
        fs::write(dir.join(format!("leaves{k:03}.pem")), out).unwrap();
    }
    // 11.5 entries per leaf; one entry in a hundred revokes one of the leaves.
    let revoked = (0..(n as u64 * 23 / 2))
        .map(|k| RevokedCertParams {
            serial_number: SerialNumber::from_slice(
                &(if k % 100 == 0 {
                    1000 + k / 100
                } else {
                    1_000_000 + k
                })
                .to_be_bytes(),
            ),
            revocation_time: date_time_ymd(2026, 1, 1),
            reason_code: None,
            invalidity_date: None,
        })
        .collect();
    let crl = CertificateRevocationListParams {
        // Current for the tests' clock (2026-12-01) and compare.sh's (2026-06-01).
        this_update: date_time_ymd(2026, 5, 1),
        next_update: date_time_ymd(2027, 5, 1),
        crl_number: SerialNumber::from_slice(&[1]),
        issuing_distribution_point: None,
        revoked_certs: revoked,
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&Issuer::from_params(&pki.issuing_params, &pki.issuing_key))
    .unwrap();
    fs::write(dir.join("issuing.crl"), crl.der()).unwrap();
}

const EAP13: &str = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\RasMan\PPP\EAP\13";

fn reg_deletions(dir: &Path, n: usize) {
    let mut out = String::from("Windows Registry Editor Version 5.00\n\n");
    writeln!(
        out,
        "[{EAP13}]\n\"IgnoreNoRevocationCheck\"=dword:00000001\n"
    )
    .unwrap();
    // Half the lines make a key, half delete one: deletion once had to look at every key.
    for i in 0..n / 2 {
        writeln!(out, "[{EAP13}\\Sub{i:06}]\n\"Value\"=dword:00000001\n").unwrap();
    }
    for i in 0..n {
        writeln!(out, "[-{EAP13}\\Sub{:06}]", i % (n / 2).max(1)).unwrap();
    }
    fs::write(dir.join("NPS01.reg"), out).unwrap();
}

fn server_names(dir: &Path, n: usize) {
    let pki = Pki::new();
    pki.write_cas(dir);
    let names: Vec<String> = (0..n).map(|i| format!("nps{i:06}.contoso.com")).collect();
    let eap = eap_host_config("").replace(
        "<ServerNames>nps01.contoso.com</ServerNames>",
        &format!("<ServerNames>{}</ServerNames>", names.join(";")),
    );
    fs::write(
        dir.join("profile.xml"),
        vpn_profile(&eap, "vpn.contoso.com"),
    )
    .unwrap();
    // A few server certificates, one in a case the list does not have.
    let issuer = Issuer::from_params(&pki.issuing_params, &pki.issuing_key);
    for (i, cn) in ["nps000001.contoso.com", "NPS000002.Contoso.com"]
        .iter()
        .enumerate()
    {
        let mut p = leaf_params(500 + i as u64, true);
        p.distinguished_name = name(cn);
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        p.subject_alt_names = vec![rcgen::SanType::DnsName((*cn).try_into().unwrap())];
        let der = p.signed_by(&ed25519(4), &issuer).unwrap();
        fs::write(dir.join(format!("server{i}.cer")), der.der()).unwrap();
    }
}

fn same_name_cas(dir: &Path, n: usize) {
    let ski = vec![0x5a; 20];
    let mut cas = String::new();
    for i in 0..n as u64 {
        let mut p = ca_params("Stress Issuing CA", 100 + i);
        p.key_identifier_method = KeyIdMethod::PreSpecified(ski.clone());
        p.not_before = date_time_ymd(2025, 1, 1) + time::Duration::seconds(i as i64);
        cas.push_str(&pem(p.self_signed(&ed25519(1000 + i)).unwrap().der()));
    }
    fs::write(dir.join("cas.pem"), cas).unwrap();
    // The leaves name that issuer and key identifier, but a key of none of them signed them.
    let mut signer = ca_params("Stress Issuing CA", 99);
    signer.key_identifier_method = KeyIdMethod::PreSpecified(ski);
    let signer_key = ed25519(999);
    let issuer = Issuer::from_params(&signer, &signer_key);
    let key = ed25519(3);
    let mut leaves = String::new();
    for i in 0..n as u64 {
        leaves.push_str(&pem(leaf_params(10_000 + i, true)
            .signed_by(&key, &issuer)
            .unwrap()
            .der()));
    }
    fs::write(dir.join("leaves.pem"), leaves).unwrap();
}

fn self_issued(dir: &Path, n: usize) {
    let mut out = String::new();
    for i in 0..n as u64 {
        let p = ca_params("Stress Self-Issued CA", 100 + i);
        // Subject and issuer are one name, but another key signs: never self-signed.
        let signer_key = ed25519(5000 + i);
        let key = ed25519(1000 + i);
        let der = p
            .signed_by(&key, &Issuer::from_params(&p, &signer_key))
            .unwrap();
        out.push_str(&pem(der.der()));
    }
    fs::write(dir.join("self-issued.pem"), out).unwrap();
}

fn bogus_rsa_8192(dir: &Path, n: usize) {
    let mut out = String::new();
    for i in 0..n as u64 {
        let p = ca_params("Stress Bogus RSA CA", 100 + i);
        let key = BogusRsa::new(8192, 7000 + i);
        let der = p
            .signed_by(
                &key,
                &Issuer::from_params(&p, BogusRsa::new(8192, 9000 + i)),
            )
            .unwrap();
        out.push_str(&pem(der.der()));
    }
    fs::write(dir.join("bogus-rsa.pem"), out).unwrap();
}

fn cross_product(dir: &Path, n: usize) {
    let pki = Pki::new();
    pki.write_cas(dir);
    let key = ed25519(3);
    let mut leaves = String::new();
    for i in 0..n as u64 {
        leaves.push_str(&pem(&pki.leaf(1000 + i, false, &key)));
    }
    fs::write(dir.join("leaves.pem"), leaves).unwrap();
    fs::create_dir_all(dir.join("nps")).unwrap();
    for i in 0..n {
        let host = format!("NPS{i:04}");
        let reg = format!(
            "Windows Registry Editor Version 5.00\n\n; Exported from {host} with: reg export HKLM\\SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\n\n[{EAP13}]\n\"RolesSupported\"=dword:0000000a\n"
        );
        fs::write(dir.join("nps").join(format!("{host}.reg")), reg).unwrap();
    }
}

fn profiles_x_certificates(dir: &Path, n: usize) {
    let pki = Pki::new();
    pki.write_cas(dir);
    let key = ed25519(3);
    let issuer = Issuer::from_params(&pki.issuing_params, &pki.issuing_key);
    for (k, first) in (0..n as u64).step_by(1000).enumerate() {
        let mut out = String::new();
        for i in first..(first + 1000).min(n as u64) {
            // Server authentication only: every profile would hand out a certificate that
            // cannot authenticate a client (a finding per leaf, listing the profiles).
            let mut p = leaf_params(1000 + i, true);
            p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
            out.push_str(&pem(p.signed_by(&key, &issuer).unwrap().der()));
        }
        fs::write(dir.join(format!("leaves{k:03}.pem")), out).unwrap();
    }
    let root_id = "6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f";
    fs::write(
        dir.join("trustedRoot.json"),
        format!(
            "{{\"@odata.type\":\"#microsoft.graph.windows81TrustedRootCertificate\",\"id\":\"{root_id}\",\"displayName\":\"Stress Root CA\",\"trustedRootCertificate\":\"{}\"}}\n",
            base64(&pki.root)
        ),
    )
    .unwrap();
    // Each profile asks for 20 years, more than its issuing CA has left (a finding each):
    // finding that CA was once a pass over every certificate, per profile.
    let mut out = String::from("{\"value\":[\n");
    for i in 0..n {
        if i > 0 {
            out.push_str(",\n");
        }
        write!(
            out,
            "{{\"@odata.type\":\"#microsoft.graph.windows81SCEPCertificateProfile\",\"id\":\"{i:08x}-0000-4000-8000-000000000000\",\"displayName\":\"SCEP {i}\",\"keySize\":\"size2048\",\"hashAlgorithm\":\"sha2\",\"subjectAlternativeNameType\":\"userPrincipalName\",\"certificateValidityPeriodValue\":20,\"certificateValidityPeriodScale\":\"years\",\"extendedKeyUsages\":[{{\"name\":\"Client Authentication\",\"objectIdentifier\":\"1.3.6.1.5.5.7.3.2\"}}],\"rootCertificate@odata.bind\":\"https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('{root_id}')\"}}"
        )
        .unwrap();
    }
    out.push_str("\n]}\n");
    fs::write(dir.join("scep.json"), out).unwrap();
}

/// n server certificates, each presented by a policy of one NPS export, and n Intune Wi-Fi
/// profiles whose `trustedServerCertificateNames` is a pattern of its own that matches none: every
/// pattern against every presented name would be n² tries (the budget keeps it linear).
fn nps_names_x_profiles(dir: &Path, n: usize) {
    let pki = Pki::new();
    pki.write_cas(dir);
    let issuer = Issuer::from_params(&pki.issuing_params, &pki.issuing_key);
    let key = ed25519(5);
    let mut certs = String::new();
    let mut profiles = String::new();
    let mut conditions = String::new();
    let dt = "xmlns:dt=\"urn:schemas-microsoft-com:datatypes\"";
    for i in 0..n {
        let cn = format!("srv{i:05}.stress.test");
        let mut p = leaf_params(20_000 + i as u64, true);
        p.distinguished_name = name(&cn);
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        p.subject_alt_names = vec![rcgen::SanType::DnsName(cn.as_str().try_into().unwrap())];
        let der = p.signed_by(&key, &issuer).unwrap();
        certs.push_str(&pem(der.der()));
        let sha1 = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, der.der());
        let thumb: String = sha1.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        writeln!(
            profiles,
            "<P{i} name=\"P{i}\"><Properties><msEAPConfiguration {dt} dt:dt=\"bin.hex\">0d0000000000000000000000000000003c000000020000003c000000010000000000000014000000{thumb}00000000</msEAPConfiguration><msNPAllowedEapType {dt} dt:dt=\"bin.hex\">0d000000000000000000000000000000</msNPAllowedEapType><msNPAuthenticationType2 {dt} dt:dt=\"int\">5</msNPAuthenticationType2></Properties></P{i}>"
        )
        .unwrap();
        writeln!(
            conditions,
            "<P{i} name=\"P{i}\"><Properties><Policy_Enabled {dt} dt:dt=\"boolean\">1</Policy_Enabled><msNPAction {dt} dt:dt=\"string\">P{i}</msNPAction><msNPSequence {dt} dt:dt=\"int\">{i}</msNPSequence></Properties></P{i}>"
        )
        .unwrap();
    }
    fs::write(dir.join("servers.pem"), certs).unwrap();
    fs::write(
        dir.join("NPS01_npsconfig.txt"),
        format!(
            "<?xml version=\"1.0\"?>\n<Root xmlns:dt=\"urn:schemas-microsoft-com:datatypes\">\n<Children>\n<Microsoft_Internet_Authentication_Service name=\"Microsoft_Internet_Authentication_Service\">\n<Children>\n<RadiusProfiles name=\"RadiusProfiles\"><Children>\n{profiles}</Children></RadiusProfiles>\n<NetworkPolicy name=\"NetworkPolicy\"><Children>\n{conditions}</Children></NetworkPolicy>\n</Children>\n</Microsoft_Internet_Authentication_Service>\n</Children>\n</Root>\n"
        ),
    )
    .unwrap();
    let mut wifi = String::from("{\"value\":[\n");
    for i in 0..n {
        if i > 0 {
            wifi.push_str(",\n");
        }
        write!(
            wifi,
            "{{\"@odata.type\":\"#microsoft.graph.windowsWifiEnterpriseEAPConfiguration\",\"id\":\"{i:08x}-0000-4000-8000-00000000000a\",\"displayName\":\"Wi-Fi {i}\",\"ssid\":\"CORP{i}\",\"wifiSecurityType\":\"wpa2Enterprise\",\"eapType\":\"eapTls\",\"authenticationMethod\":\"certificate\",\"trustedServerCertificateNames\":[\"srv{i:05}\\\\.other[0-9]*\\\\.test\"]}}"
        )
        .unwrap();
    }
    wifi.push_str("\n]}\n");
    fs::write(dir.join("wifi.json"), wifi).unwrap();
}
