//! Helpers shared by the integration tests.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    reason = "shared test helpers: not every test uses each, and a failure is a test failure"
)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use trustlint::{Report, Rule, ScanOptions};

/// The clock every test pins: inside the fixtures' validity windows.
pub const NOW: &str = "2026-12-01T00:00:00Z";

pub fn now() -> i64 {
    trustlint::clock::parse_rfc3339(NOW).unwrap()
}

pub fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| trustlint::load_rules(&[]).unwrap())
}

/// The findings of in-memory files `(name, content)`, joined as one bundle and linted by every
/// built-in rule at 2026-06-01 (inside the fixtures' validity windows).
pub fn findings_of(files: &[(&str, &str)]) -> Vec<trustlint::Finding> {
    let loaded = files
        .iter()
        .map(|(name, text)| trustlint::pipeline::load_bytes(*name, text.as_bytes()))
        .collect();
    let b = trustlint::pipeline::bundle(loaded, 1_780_272_000);
    trustlint::pipeline::evaluate(rules(), &b)
}

/// Options for a test scan: the pinned clock, one thread, a 1 MiB file limit.
pub fn options() -> ScanOptions {
    ScanOptions {
        now: now(),
        threads: Some(1),
        max_file_size: 1 << 20,
        ..ScanOptions::default()
    }
}

pub fn scan_with(paths: &[PathBuf], threads: Option<usize>, max_file_size: u64) -> Report {
    let options = ScanOptions {
        now: now(),
        threads,
        max_file_size,
        record_checks: true,
        record_graph: true,
        progress: None,
        max_files: trustlint::DEFAULT_MAX_FILES,
        focus: Vec::new(),
        root: None,
        cache: None,
        leaf_chunk: None,
    };
    trustlint::scan(paths, rules(), &options).unwrap()
}

pub fn scan(path: impl AsRef<Path>) -> Report {
    scan_with(
        &[path.as_ref().to_path_buf()],
        None,
        trustlint::DEFAULT_MAX_FILE_SIZE,
    )
}

pub fn json(report: &Report) -> String {
    let mut out = Vec::new();
    trustlint::report::json::render(report, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

pub fn human(report: &Report) -> String {
    let mut out = Vec::new();
    let options = trustlint::report::human::HumanOptions {
        width: 80,
        ..Default::default()
    };
    trustlint::report::human::render(report, &options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Rule names of the findings, in report order.
pub fn rule_names(report: &Report) -> Vec<&str> {
    report.findings.iter().map(|f| &*f.rule_name).collect()
}

/// DER of AuthorityInfoAccess with caIssuers and OCSP URIs (rcgen has no builder for it).
pub fn aia(ca_issuers: &[&str], ocsp: &[&str]) -> rcgen::CustomExtension {
    const CA_ISSUERS: [u8; 8] = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02];
    const OCSP: [u8; 8] = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01];
    let mut descs = Vec::new();
    for (oid, urls) in [(CA_ISSUERS, ca_issuers), (OCSP, ocsp)] {
        for url in urls {
            let mut d = tlv(0x06, &oid);
            d.extend(tlv(0x86, url.as_bytes()));
            descs.extend(tlv(0x30, &d));
        }
    }
    rcgen::CustomExtension::from_oid_content(&[1, 3, 6, 1, 5, 5, 7, 1, 1], tlv(0x30, &descs))
}

/// A Freshest CRL extension (2.5.29.46, where the delta CRLs are): one distribution point whose
/// full name is the URLs, in CRLDistributionPoints syntax (rcgen writes only the base CDP).
pub fn freshest_crl(urls: &[&str]) -> rcgen::CustomExtension {
    let names: Vec<u8> = urls.iter().flat_map(|u| tlv(0x86, u.as_bytes())).collect();
    let point = tlv(0x30, &tlv(0xa0, &tlv(0xa0, &names)));
    rcgen::CustomExtension::from_oid_content(&[2, 5, 29, 46], tlv(0x30, &point))
}

/// A DER tag-length-value with a definite length of up to 65,535 bytes.
fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend([0x81, n as u8]);
    } else {
        out.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(body);
    out
}

/// Copies every file below `from` to the same place below `to`.
pub fn copy_tree(from: impl AsRef<Path>, to: impl AsRef<Path>) {
    for e in walkdir::WalkDir::new(from.as_ref())
        .into_iter()
        .map(Result::unwrap)
    {
        let rel = e.path().strip_prefix(from.as_ref()).unwrap();
        let dest = to.as_ref().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

pub fn sarif(report: &Report) -> serde_json::Value {
    let docs: Vec<_> = rules().iter().map(trustlint::docs::rule_doc).collect();
    let mut out = Vec::new();
    trustlint::report::sarif::render(report, &docs, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

pub fn junit(report: &Report) -> String {
    let mut out = Vec::new();
    trustlint::report::junit::render(report, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

pub fn github(report: &Report) -> String {
    let mut out = Vec::new();
    trustlint::report::github::render(report, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The public samples beside the repository: `../shared/samples/` (CI has it there; its
/// SOURCES.md says where each file came from). Tests read them in place, never copies.
pub const SAMPLES: &str = "../shared/samples";

/// A file of the public samples, by its path below [`SAMPLES`].
pub fn sample(rel: &str) -> PathBuf {
    Path::new(SAMPLES).join(rel)
}

/// The NIST PKITS files the CRL and chain tests read (of PKITS' hundreds): the trust anchor,
/// the Good CA, a bad certificate signature, a bad CRL signature, a delta CRL and a CRL signed
/// with dsa-with-sha1, each with its CRL.
pub const PKITS: [&str; 11] = [
    "certs/pkits/certs/BadCRLSignatureCACert.crt",
    "certs/pkits/certs/BadSignedCACert.crt",
    "certs/pkits/certs/GoodCACert.crt",
    "certs/pkits/certs/TrustAnchorRootCertificate.crt",
    "certs/pkits/certs/deltaCRLCA1Cert.crt",
    "certs/pkits/crls/BadCRLSignatureCACRL.crl",
    "certs/pkits/crls/DSACACRL.crl",
    "certs/pkits/crls/GoodCACRL.crl",
    "certs/pkits/crls/TrustAnchorRootCRL.crl",
    "certs/pkits/crls/deltaCRLCA1CRL.crl",
    "certs/pkits/crls/deltaCRLCA1deltaCRL.crl",
];

/// [`PKITS`] as paths.
pub fn pkits() -> Vec<PathBuf> {
    PKITS.iter().map(|p| sample(p)).collect()
}

/// The real exports the loader tests read, which the mutation test also mutates: registry
/// exports (UTF-16 and 8-bit), PKCS#7 bundles, ProfileXML, EAP XML and Graph responses.
pub const REAL_EXPORTS: [&str; 20] = [
    "reg/hwdsl2-vpn-extras/Enable_Stronger_Ciphers_for_IKEv2_on_Windows.reg",
    "reg/hwdsl2-vpn-extras/Fix_VPN_Error_809_Allow_IPsec_Reboot_Required.reg",
    "reg/pikachuim-pikacasetup/root/CA-REMOVED.reg",
    "reg/pikachuim-pikacasetup/test/CA-INSTALL.reg",
    "reg/w4rh4wk-debloat-windows-10/dark-theme.reg",
    "reg/w4rh4wk-debloat-windows-10/lower-ram-usage.reg",
    "certs/pyca-vectors/pkcs7/amazon-roots.der",
    "certs/pyca-vectors/pkcs7/amazon-roots.p7b",
    "certs/pyca-vectors/pkcs7/isrg.pem",
    "profilexml/leiqos-aovpn/dornMX_User_tunnel_profile.xml",
    "profilexml/msdocs-extracted/vpnv2-profile-xsd_native-profile-example.xml",
    "profilexml/new-era-technology-au-aovpn/STP_ProfileXML_User_EAP.xml",
    "profilexml/richardhicks-aovpn/ProfileXML_Device.xml",
    "profilexml/richardhicks-aovpn/ProfileXML_Entra_ConditionalAccess.xml",
    "eapxml/msdocs-extracted/aovpn-client-connections_intune-peap-eap-tls_https-namespaces.xml",
    "eapxml/msdocs-extracted/eap-configuration_eap-tls-certificate-filtering.xml",
    "intune/msgraph-docs-extracted/windows10PkcsCertificateProfile.get-response.json",
    "intune/msgraph-docs-extracted/windows10VpnConfiguration.get-response.json",
    "intune/msgraph-docs-extracted/windows81SCEPCertificateProfile.get-response.json",
    "intune/msgraph-docs-extracted/windows81TrustedRootCertificate.get-response.json",
];

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of `der`, lower-case hex, as finding entities name certificates.
pub fn sha256_hex(der: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, der).as_ref())
}

/// The SHA-1 thumbprint of `der`, lower-case hex, as Windows names certificates.
pub fn sha1_hex(der: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, der).as_ref())
}

/// A certificate store's `Blob`: the certificate as property 32, after an unrelated property, as
/// Windows writes several (key identifiers, friendly names) before it.
pub fn store_blob(der: &[u8]) -> Vec<u8> {
    store_blob_restricted(der, None)
}

/// A store `Blob` whose entry is restricted to `purposes` (property 9, "Enable only the following
/// purposes"): the EKU extension's value, a SEQUENCE OF OBJECT IDENTIFIER.
pub fn store_blob_restricted(der: &[u8], purposes: Option<&[&str]>) -> Vec<u8> {
    let restriction = purposes.map(|p| {
        let oids: Vec<u8> = p.iter().flat_map(|o| der_oid(o)).collect();
        let mut seq = vec![0x30, u8::try_from(oids.len()).unwrap()];
        seq.extend(oids);
        seq
    });
    let mut b = Vec::new();
    let props = restriction
        .iter()
        .map(|r| (9u32, r.as_slice()))
        .chain([(20u32, &[0xAAu8; 20][..]), (32, der)]);
    for (id, value) in props {
        b.extend(id.to_le_bytes());
        b.extend(1u32.to_le_bytes());
        b.extend(u32::try_from(value.len()).unwrap().to_le_bytes());
        b.extend(value);
    }
    b
}

/// A dotted OID, DER-encoded (tag, length, base-128 arcs).
fn der_oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let (first, rest) = arcs.split_at(2);
    let mut body = vec![u8::try_from(first.iter().fold(0, |acc, a| acc * 40 + a)).unwrap()];
    for &arc in rest {
        let mut chunk = vec![u8::try_from(arc & 0x7f).unwrap()];
        let mut rest = arc >> 7;
        while rest > 0 {
            chunk.push(u8::try_from(rest & 0x7f).unwrap() | 0x80);
            rest >>= 7;
        }
        chunk.reverse();
        body.extend(chunk);
    }
    let mut out = vec![0x06, u8::try_from(body.len()).unwrap()];
    out.extend(body);
    out
}

/// regedit's form of a REG_BINARY value: `hex:` and bytes, wrapped with `\` continuations.
pub fn reg_binary(name: &str, bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut out = format!("\"{name}\"=hex:");
    for (i, chunk) in hex.chunks(24).enumerate() {
        if i > 0 {
            out.push_str(",\\\n  ");
        }
        out.push_str(&chunk.join(","));
    }
    out.push('\n');
    out
}

/// `reg export HKLM\SOFTWARE\Microsoft\SystemCertificates\<store>` of `host` holding `certs`,
/// each under its SHA-1 thumbprint, with a `; host:` comment that joins it to the host's other
/// files.
pub fn store_export_of(host: &str, store: &str, certs: &[&[u8]]) -> String {
    let entries: Vec<(&[u8], Option<&[&str]>)> = certs.iter().map(|c| (*c, None)).collect();
    store_export_at(
        host,
        &format!("SOFTWARE\\Microsoft\\SystemCertificates\\{store}"),
        &entries,
    )
}

/// A store export of `HKLM\<store_key>` (`SOFTWARE\Microsoft\EnterpriseCertificates\NTAuth`…) of
/// `host`: each entry a certificate and the purposes its entry is restricted to.
pub fn store_export_at(
    host: &str,
    store_key: &str,
    entries: &[(&[u8], Option<&[&str]>)],
) -> String {
    let mut t = format!(
        "Windows Registry Editor Version 5.00\n\n; host: {host}\n; reg export HKLM\\{store_key}\n\n"
    );
    for (der, purposes) in entries {
        t.push_str(&format!(
            "[HKEY_LOCAL_MACHINE\\{store_key}\\Certificates\\{}]\n{}\n",
            sha1_hex(der).to_uppercase(),
            reg_binary("Blob", &store_blob_restricted(der, *purposes))
        ));
    }
    t
}

/// A host's `RasMan\PPP\EAP\13` and `\25` keys as a UTF-8 `.reg` snapshot, `extra13` lines under
/// EAP\13 (tests that need regedit's UTF-16 use the generated scenarios).
pub fn nps_reg_text(host: &str, extra13: &str) -> String {
    format!(
        "Windows Registry Editor Version 5.00\n\n; Exported from {host}\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\13]\n\"RolesSupported\"=dword:0000000a\n{extra13}\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\25]\n\"RolesSupported\"=dword:0000000b\n"
    )
}
