//! Loaders against real public files (`../shared/samples/`, see its SOURCES.md) and the
//! synthetic fixtures: each loads with the fields the rules need.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

use super::common;

use std::path::Path;
use std::sync::Arc;

use trustlint::load::registry::{RegVersion, load};
use trustlint::load::{Artifact, RegData, RegistryFile};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A registry export of the public samples, by its path below `reg/`.
fn reg(name: &str) -> Result<(RegistryFile, Option<String>), String> {
    let path = common::sample("reg").join(name);
    let bytes = std::fs::read(&path).map_err(|e| format!("{path:?}: {e}"))?;
    let parsed = load(&Arc::from(name), &bytes);
    let problem = parsed.problem.map(|p| p.message());
    let file = parsed.artifacts.into_iter().find_map(|a| match a {
        Artifact::Registry(r) => Some(r),
        _ => None,
    });
    let file = file.ok_or_else(|| format!("{name} holds no registry file: {problem:?}"))?;
    Ok((file, problem))
}

fn value<'a>(f: &'a RegistryFile, key_suffix: &str, name: &str) -> Result<&'a RegData, String> {
    let key = f
        .keys
        .iter()
        .find(|k| {
            k.path
                .to_ascii_lowercase()
                .ends_with(&key_suffix.to_ascii_lowercase())
        })
        .ok_or_else(|| format!("no key ending in {key_suffix}"))?;
    key.values
        .iter()
        .find(|v| v.name == name)
        .map(|v| &v.data)
        .ok_or_else(|| format!("no value {name} under {key_suffix}"))
}

#[test]
fn utf16_regedit_export_loads() -> TestResult {
    let (f, problem) = reg("hwdsl2-vpn-extras/Enable_Stronger_Ciphers_for_IKEv2_on_Windows.reg")?;
    assert_eq!(problem, None);
    assert_eq!(f.version, RegVersion::V5);
    assert_eq!(
        value(&f, r"services\RasMan\Parameters", "NegotiateDH2048_AES256")?,
        &RegData::Dword(1)
    );
    let (f, _) = reg("hwdsl2-vpn-extras/Fix_VPN_Error_809_Allow_IPsec_Reboot_Required.reg")?;
    assert_eq!(
        value(&f, r"Services\RasMan\Parameters", "ProhibitIpSec")?,
        &RegData::Dword(0)
    );
    Ok(())
}

#[test]
fn continued_hex_blobs_are_whole_serialized_certificates() -> TestResult {
    let (f, problem) = reg("pikachuim-pikacasetup/test/CA-INSTALL.reg")?;
    assert_eq!(problem, None);
    assert_eq!(
        value(
            &f,
            r"Policies\Microsoft\SystemCertificates\AuthRoot",
            "DisableRootAutoUpdate"
        )?,
        &RegData::Dword(1)
    );
    let RegData::Binary { reg_type: 3, bytes } = value(
        &f,
        r"ROOT\Certificates\F57DF00CEB2476C8144B751F1D2D45EDBB3EDFE1",
        "Blob",
    )?
    else {
        panic!("Blob is not REG_BINARY");
    };
    // A serialized certificate store element: property id 0x53, then more properties, then
    // the certificate (property 0x20) whose DER starts 30 82.
    assert_eq!(&bytes[..4], &[0x53, 0, 0, 0]);
    assert!(bytes.windows(2).any(|w| w == [0x30, 0x82]));
    assert!(
        bytes.len() > 1000,
        "continuation lines were joined: {} bytes",
        bytes.len()
    );
    Ok(())
}

#[test]
fn deletions_with_trailing_spaces_and_ansi_exports_load() -> TestResult {
    let (f, problem) = reg("pikachuim-pikacasetup/root/CA-REMOVED.reg")?;
    assert_eq!(problem, None);
    assert!(!f.keys.is_empty());
    assert!(f.keys.iter().all(|k| k.deleted));
    assert!(f.keys.iter().all(|k| !k.path.ends_with(' ')));
    let (f, problem) = reg("w4rh4wk-debloat-windows-10/lower-ram-usage.reg")?;
    assert_eq!(problem, None);
    assert!(
        f.keys
            .iter()
            .flat_map(|k| &k.values)
            .any(|v| v.data == RegData::Dword(0xffff_ffff))
    );
    let (_, problem) = reg("w4rh4wk-debloat-windows-10/dark-theme.reg")?;
    assert_eq!(problem, None);
    Ok(())
}

#[test]
fn nps_snapshot_gives_effective_revocation_settings_and_defaults() -> Result<(), String> {
    use trustlint::facts::host::build_hosts;
    let load_host = |p: &str| {
        let bytes = std::fs::read(p).map_err(|e| format!("{p}: {e}"))?;
        match load(&Arc::from(p), &bytes).artifacts.pop() {
            Some(Artifact::Registry(r)) => Ok(r),
            _ => Err(format!("{p}: not read as a registry export")),
        }
    };
    let absent = load_host("testdata/scenarios/cloud-pki-aovpn/nps/NPS01.reg")?;
    let set = load_host("testdata/scenarios/cloud-pki-aovpn-mitigated/nps/NPS02.reg")?;
    let hosts = build_hosts(&[&absent, &set], &[], &[]);
    let [nps01, nps02] = hosts.as_slice() else {
        return Err(format!("{} hosts, not 2", hosts.len()));
    };
    assert_eq!(nps01.name, "NPS01");
    let tls = nps01
        .eap_tls
        .as_ref()
        .ok_or("NPS01 has no EAP\\13 values")?;
    assert_eq!(
        tls.ignore_no_revocation_check.value, 0,
        "absent means the documented default 0"
    );
    assert!(tls.ignore_no_revocation_check.location.is_none());
    assert!(nps01.peap.is_some());
    let tls = nps02
        .eap_tls
        .as_ref()
        .ok_or("NPS02 has no EAP\\13 values")?;
    assert_eq!(tls.ignore_no_revocation_check.value, 1);
    assert_eq!(
        tls.ignore_no_revocation_check
            .location
            .as_ref()
            .map(|l| l.line),
        Some(Some(24))
    );
    // Typed look-up through any spelling of the key.
    let v = nps02
        .value(
            r"HKLM\SYSTEM\ControlSet001\Services\RasMan\PPP\EAP\13",
            "RolesSupported",
        )
        .ok_or("RolesSupported not found through ControlSet001")?;
    assert_eq!(v.data, RegData::Dword(10));
    Ok(())
}

#[test]
fn certificate_fields_are_extracted() -> TestResult {
    let der =
        std::fs::read("testdata/scenarios/cloud-pki-aovpn/certs/users/alice.contoso.com.cer")?;
    let loc = trustlint::location::Location::file("alice.cer".into());
    let (c, used) = trustlint::load::x509::parse(&der, loc)?;
    assert_eq!(used, der.len());
    assert_eq!(c.sha1, trustlint::digest::sha1_hex(&der));
    assert_eq!(c.subject.common_name.as_deref(), Some("alice@contoso.com"));
    assert_eq!(
        c.extended_key_usage.as_deref(),
        Some(&["1.3.6.1.5.5.7.3.2".to_owned()][..])
    );
    assert_eq!(c.san_upn, ["alice@contoso.com"]);
    assert!(
        c.san_uri
            .first()
            .is_some_and(|u| u.starts_with("tag:microsoft.com,2022-09-14:sid:"))
    );
    assert_eq!(c.crl_distribution_points.len(), 1);
    assert_eq!(c.key_bits, 2048);
    assert_eq!(c.signed.hash, "sha256");
    assert!(c.authority_key_id.is_some());
    let issuing = std::fs::read(
        "testdata/scenarios/cloud-pki-aovpn/certs/cloud-pki/Contoso Cloud PKI Issuing CA.cer",
    )?;
    let (ca, _) =
        trustlint::load::x509::parse(&issuing, trustlint::location::Location::file("i".into()))?;
    assert_eq!(ca.basic_constraints, Some((true, None)));
    assert!(ca.crl_distribution_points.is_empty());
    assert_eq!(ca.ca_issuers.len(), 1);
    assert_eq!(ca.subject_key_id, c.authority_key_id);
    Ok(())
}

#[test]
fn pem_bundle_with_a_key_keeps_certificates_and_never_the_key_bytes() -> TestResult {
    let bytes = std::fs::read("testdata/rules/private-key-in-bundle/fail/nps01-bundle.pem")?;
    let parsed = trustlint::load::pem::load(&Arc::from("b.pem"), &bytes);
    assert_eq!(parsed.problem.map(|p| p.message()), None);
    let kinds: Vec<&str> = parsed
        .artifacts
        .iter()
        .map(|a| match a {
            Artifact::Certificate(_) => "cert",
            Artifact::Key(_) => "key",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["cert", "cert", "key"]);
    let Some(Artifact::Key(k)) = parsed.artifacts.get(2) else {
        return Err("the third artifact is not the key".into());
    };
    assert_eq!(k.location.line, Some(47));
    assert!(
        format!("{k:?}").len() < 300,
        "a key artifact holds no key material"
    );
    Ok(())
}

#[test]
fn pkcs12_and_pkcs7_are_recognised() -> TestResult {
    let bytes = std::fs::read("testdata/rules/protected-key-in-bundle/fail/alice.pfx")?;
    let parsed = trustlint::load::der::load(&Arc::from("a.pfx"), &bytes);
    assert!(
        matches!(&parsed.artifacts[..], [Artifact::Key(k)] if k.kind == trustlint::load::key::KeyKind::Pkcs12)
    );
    Ok(())
}

fn load_path(p: impl AsRef<Path>) -> trustlint::load::LoadedFile {
    let p = p.as_ref();
    let file = trustlint::discover::DiscoveredFile {
        display: p.to_string_lossy().as_ref().into(),
        fs_path: p.to_path_buf(),
        explicit: false,
    };
    trustlint::load::load_file(&file, 1 << 20)
}

fn certificates(loaded: &trustlint::load::LoadedFile) -> Vec<&trustlint::load::CertificateData> {
    loaded
        .artifacts
        .iter()
        .filter_map(|a| match a {
            Artifact::Certificate(c) => Some(&**c),
            _ => None,
        })
        .collect()
}

#[test]
fn pkcs7_bundles_in_ber_der_and_pem_yield_their_certificates() {
    let ber = load_path(common::sample("certs/pyca-vectors/pkcs7/amazon-roots.p7b"));
    let der = load_path(common::sample("certs/pyca-vectors/pkcs7/amazon-roots.der"));
    let pem = load_path(common::sample("certs/pyca-vectors/pkcs7/isrg.pem"));
    for f in [&ber, &der, &pem] {
        assert!(f.problem.is_none(), "{}: {:?}", f.path, f.problem);
    }
    let ber_certs = certificates(&ber);
    let der_certs = certificates(&der);
    assert_eq!(ber_certs.len(), 2, "openssl pkcs7 -print_certs lists 2");
    let thumbs = |cs: &[&trustlint::load::CertificateData]| {
        cs.iter().map(|c| c.sha1.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        thumbs(&ber_certs),
        thumbs(&der_certs),
        "BER and DER hold the same certificates"
    );
    assert_eq!(ber_certs[1].location.container_index, Some(1));
    assert_eq!(certificates(&pem).len(), 1);
}

#[test]
fn crls_are_matched_to_their_issuer_by_signature() -> TestResult {
    use trustlint::facts::Bundle;
    use trustlint::facts::signature::SignatureCheck;
    let files: Vec<_> = common::pkits().iter().map(load_path).collect();
    let bundle = Bundle::build(files, Vec::new(), 0);
    let crl = |name: &str| {
        bundle
            .crls
            .iter()
            .find(|c| c.data.location.path.ends_with(name))
            .ok_or(format!("no CRL {name}"))
    };
    let issuer_cn = |c: &trustlint::facts::Crl| {
        c.issuer
            .and_then(|i| bundle.certificates.get(i))
            .map(|i| i.display_name().to_owned())
    };
    assert_eq!(
        crl("GoodCACRL.crl")?.issuer_signature,
        Some(SignatureCheck::Valid)
    );
    assert_eq!(issuer_cn(crl("GoodCACRL.crl")?).as_deref(), Some("Good CA"));
    assert_eq!(
        crl("TrustAnchorRootCRL.crl")?.issuer_signature,
        Some(SignatureCheck::Valid)
    );
    assert_eq!(
        crl("BadCRLSignatureCACRL.crl")?.issuer_signature,
        Some(SignatureCheck::Invalid)
    );
    assert!(crl("deltaCRLCA1deltaCRL.crl")?.data.is_delta);
    assert!(!crl("deltaCRLCA1CRL.crl")?.data.is_delta);
    // PKITS "Bad Signed CA": its issuer matches by name and key identifier, but the signature
    // does not verify, so it has no issuer and the mismatch is recorded.
    let bad = bundle
        .certificates
        .iter()
        .find(|c| c.display_name() == "Bad Signed CA")
        .ok_or("no Bad Signed CA")?;
    assert_eq!(bad.issuer, None);
    assert_eq!(bad.issuer_mismatches.len(), 1);
    let good = bundle
        .certificates
        .iter()
        .find(|c| c.display_name() == "Good CA")
        .ok_or("no Good CA")?;
    assert_eq!(good.chain.len(), 2);
    assert!(good.chain_complete);
    assert_eq!(good.role, trustlint::facts::Role::IntermediateCa);
    Ok(())
}

fn profiles(
    p: impl AsRef<Path>,
) -> (
    Vec<trustlint::load::VpnProfileData>,
    Vec<trustlint::load::EapConfigData>,
    Option<trustlint::load::LoadError>,
) {
    let loaded = load_path(p);
    let mut vpn = Vec::new();
    let mut eap = Vec::new();
    for a in loaded.artifacts {
        match a {
            Artifact::VpnProfile(v) => vpn.push(*v),
            Artifact::EapConfig(e) => eap.push(*e),
            _ => {}
        }
    }
    let problem = match loaded.problem {
        Some(trustlint::load::FileProblem::Unparseable(e)) => Some(e),
        _ => None,
    };
    (vpn, eap, problem)
}

#[test]
fn real_profilexml_samples_load_with_what_the_rules_need() -> Result<(), String> {
    // Inline PEAP → EAP-TLS; thumbprint as spaced pairs with a trailing space, repeated inside.
    let (vpn, _, problem) = profiles(common::sample(
        "profilexml/richardhicks-aovpn/ProfileXML_Entra_ConditionalAccess.xml",
    ));
    assert!(problem.is_none(), "{problem:?}");
    let v = vpn.first().ok_or("no VPN profile")?;
    assert_eq!(
        v.servers
            .iter()
            .map(|s| s.value.as_str())
            .collect::<Vec<_>>(),
        ["vpn.example.net"]
    );
    assert_eq!(v.protocol.as_ref().ok_or("no protocol")?.value, "SSTP");
    let eap = v.eap.as_ref().ok_or("no EAP")?;
    assert_eq!(eap.method, Some(25));
    assert_eq!(
        eap.layers.iter().map(|l| l.method).collect::<Vec<_>>(),
        [Some(25), Some(13)]
    );
    let outer = eap.layers.first().ok_or("no outer layer")?;
    let inner = eap.layers.get(1).ok_or("no inner layer")?;
    let root = outer.trusted_roots.first().ok_or("no trusted root")?;
    assert_eq!(
        root.hex.as_deref(),
        Some("db525d00f813849e3feec253dbb04f2104c3c2b6")
    );
    assert_eq!(
        (root.location.line, root.location.column),
        (Some(41), Some(56))
    );
    assert_eq!(
        inner.server_names.first().map(|n| n.value.as_str()),
        Some("nps.corp.example.net")
    );
    assert!(
        outer
            .disable_user_prompt
            .as_ref()
            .ok_or("no prompt setting")?
            .value
    );
    let filter = eap
        .tls()
        .and_then(|t| t.filtering.as_ref())
        .ok_or("no certificate filter")?;
    assert_eq!(filter.required_ekus, ["1.3.6.1.4.1.311.87"]);

    // Escaped EapHostConfig inside <Configuration>: positions map through the entities.
    let (vpn, _, problem) = profiles(common::sample(
        "profilexml/leiqos-aovpn/dornMX_User_tunnel_profile.xml",
    ));
    assert!(problem.is_none(), "{problem:?}");
    let root = vpn
        .first()
        .and_then(|v| v.eap.as_ref())
        .and_then(|e| e.layers.first())
        .and_then(|l| l.trusted_roots.first())
        .ok_or("no trusted root")?;
    assert_eq!(
        root.hex.as_deref(),
        Some("68b545d69b6f49dd8614cf1b3470d38575b22db8")
    );
    assert_eq!(
        (root.location.line, root.location.column),
        (Some(30), Some(32))
    );

    // Production profile: empty ServerNames, the prompt allowed.
    let (vpn, _, _) = profiles(common::sample(
        "profilexml/new-era-technology-au-aovpn/STP_ProfileXML_User_EAP.xml",
    ));
    let outer = vpn
        .first()
        .and_then(|v| v.eap.as_ref())
        .and_then(|e| e.outer())
        .ok_or("no outer EAP layer")?;
    assert!(outer.server_names.is_empty());
    assert!(
        !outer
            .disable_user_prompt
            .as_ref()
            .ok_or("no prompt setting")?
            .value
    );

    // Device tunnel: IKEv2 with machine certificate.
    let (vpn, _, _) = profiles(common::sample(
        "profilexml/richardhicks-aovpn/ProfileXML_Device.xml",
    ));
    let v = vpn.first().ok_or("no VPN profile")?;
    assert!(v.device_tunnel.as_ref().ok_or("no DeviceTunnel")?.value);
    assert_eq!(
        v.machine_method.as_ref().ok_or("no MachineMethod")?.value,
        "Certificate"
    );
    assert!(v.eap.is_none());

    // Microsoft's example: two roots.
    let (vpn, _, _) = profiles(common::sample(
        "profilexml/msdocs-extracted/vpnv2-profile-xsd_native-profile-example.xml",
    ));
    let roots: usize = vpn
        .first()
        .and_then(|v| v.eap.as_ref())
        .ok_or("no EAP")?
        .layers
        .iter()
        .map(|l| l.trusted_roots.len())
        .sum();
    assert!(roots >= 2);
    Ok(())
}

#[test]
fn real_eap_xml_samples_load() -> Result<(), String> {
    let (_, eap, problem) = profiles(common::sample(
        "eapxml/msdocs-extracted/eap-configuration_eap-tls-certificate-filtering.xml",
    ));
    assert!(problem.is_none(), "{problem:?}");
    let tls = eap.first().and_then(|e| e.tls()).ok_or("no EAP-TLS")?;
    assert!(
        !tls.perform_server_validation
            .as_ref()
            .ok_or("no PerformServerValidation")?
            .value
    );
    let f = tls.filtering.as_ref().ok_or("no certificate filter")?;
    assert!(f.ca_hash_list_enabled && f.all_purpose_enabled && f.any_purpose_enabled);
    // The comment inside IssuerHash is not part of the thumbprint.
    assert_eq!(
        f.issuer_hashes.first().and_then(|h| h.hex.as_deref()),
        Some("ffffffffffffffffffffffffffffffffffffffff")
    );
    assert_eq!(
        f.required_ekus.first().map(String::as_str),
        Some("1.3.6.1.4.1.311.42.1.15")
    );

    // One line, https:// namespaces: still read (element names are matched locally).
    let (_, eap, problem) = profiles(common::sample(
        "eapxml/msdocs-extracted/aovpn-client-connections_intune-peap-eap-tls_https-namespaces.xml",
    ));
    assert!(problem.is_none(), "{problem:?}");
    let root = eap
        .first()
        .and_then(|e| e.layers.first())
        .and_then(|l| l.trusted_roots.first())
        .ok_or("no trusted root")?;
    assert_eq!(
        root.hex.as_deref(),
        Some("5a89fecb5b49a70b1a5263b735eed71cc268be4b")
    );
    assert_eq!(root.location.line, Some(1));
    Ok(())
}

#[test]
fn real_intune_graph_samples_load_or_say_precisely_what_is_wrong() {
    let scep = load_path(common::sample(
        "intune/msgraph-docs-extracted/windows81SCEPCertificateProfile.get-response.json",
    ));
    let Some(Artifact::CertificateProfile(p)) = scep.artifacts.first() else {
        panic!("no SCEP profile: {:?}", scep.problem)
    };
    assert_eq!(p.kind, "SCEP");
    assert_eq!(p.key_size.as_ref().map(|k| k.value), Some(2048));
    assert_eq!(
        p.hash_algorithm.as_ref().map(|h| h.value.as_str()),
        Some("sha2")
    );
    assert_eq!(p.validity_days.as_ref().map(|d| d.value), Some(14 * 31));
    assert_eq!(p.certificate_store.as_deref(), Some("machine"));
    assert!(scep.problem.is_none());

    let pkcs = load_path(common::sample(
        "intune/msgraph-docs-extracted/windows10PkcsCertificateProfile.get-response.json",
    ));
    assert!(
        matches!(pkcs.artifacts.first(), Some(Artifact::CertificateProfile(p)) if p.kind == "PKCS")
    );

    // The docs put base64 of the text "trustedRootCertificate" where DER belongs: a finding at
    // the member's line.
    let trc = load_path(common::sample(
        "intune/msgraph-docs-extracted/windows81TrustedRootCertificate.get-response.json",
    ));
    let Some(trustlint::load::FileProblem::Unparseable(e)) = &trc.problem else {
        panic!("expected a problem")
    };
    assert!(
        e.message()
            .contains("trustedRootCertificate does not hold a certificate"),
        "{}",
        e.message()
    );
    assert_eq!(e.location.line, Some(35));
    assert!(
        trc.artifacts
            .iter()
            .any(|a| matches!(a, Artifact::TrustedRootProfile(_)))
    );

    // VPN profile with base64 "eapXml" text that is not XML: the profile loads, the eapXml
    // member is the finding.
    let vpn = load_path(common::sample(
        "intune/msgraph-docs-extracted/windows10VpnConfiguration.get-response.json",
    ));
    let Some(Artifact::VpnProfile(v)) = vpn.artifacts.first() else {
        panic!()
    };
    assert_eq!(v.source, "Intune");
    assert_eq!(v.servers[0].value, "Address value");
    let Some(trustlint::load::FileProblem::Unparseable(e)) = &vpn.problem else {
        panic!()
    };
    assert!(
        e.message().starts_with("eapXml is not XML"),
        "{}",
        e.message()
    );
    assert_eq!(e.location.line, Some(64));
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// Loads `bytes` as file `name` and returns the first VPN profile's outer TrustedRootCA.
fn pinned_root(
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> Result<trustlint::load::eap::Thumbprint, String> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| format!("{name}: {e}"))?;
    let (vpn, _, problem) = profiles(path.to_str().ok_or("path is not UTF-8")?);
    assert!(problem.is_none(), "{name}: {problem:?}");
    vpn.first()
        .and_then(|v| v.eap.as_ref())
        .and_then(|e| e.layers.first())
        .and_then(|l| l.trusted_roots.first())
        .cloned()
        .ok_or_else(|| format!("{name}: no VPN profile with an outer TrustedRootCA"))
}

/// 1-based line and column of the first `needle` in `text`.
fn line_col(text: &str, needle: &str) -> Result<(Option<u32>, Option<u32>), String> {
    let at = text
        .find(needle)
        .ok_or_else(|| format!("{needle:?} is not in the text"))?;
    let (l, c) = trustlint::location::line_column(text, at);
    Ok((Some(l), Some(c)))
}

#[test]
fn profilexml_wrapped_the_ways_admins_find_it_keeps_its_positions() -> Result<(), String> {
    let sample = std::fs::read_to_string(common::sample(
        "profilexml/richardhicks-aovpn/ProfileXML_Entra_ConditionalAccess.xml",
    ))
    .map_err(|e| format!("richardhicks sample: {e}"))?;
    // The declaration-free body, as the CSP takes it.
    let body = sample.trim_start_matches(|c| c != '<');
    let want = Some("db525d00f813849e3feec253dbb04f2104c3c2b6");
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;

    // MDM SyncML: the ProfileXML escaped in <Data>.
    let syncml = format!(
        "<SyncML xmlns=\"SYNCML:SYNCML1.2\">\n  <SyncBody>\n    <Add>\n      <CmdID>1</CmdID>\n      <Item>\n        <Target><LocURI>./User/Vendor/MSFT/VPNv2/Contoso/ProfileXML</LocURI></Target>\n        <Meta><Format xmlns=\"syncml:metinf\">chr</Format></Meta>\n        <Data>{}</Data>\n      </Item>\n    </Add>\n    <Final/>\n  </SyncBody>\n</SyncML>\n",
        xml_escape(body)
    );
    let root = pinned_root(dir.path(), "syncml.xml", syncml.as_bytes())?;
    assert_eq!(root.hex.as_deref(), want);
    assert_eq!(
        (root.location.line, root.location.column),
        line_col(&syncml, "db 52 5d")?
    );

    // Escaped twice: a ProfileXML whose EapHostConfig is itself escaped, inside SyncML.
    let dornmx = std::fs::read_to_string(common::sample(
        "profilexml/leiqos-aovpn/dornMX_User_tunnel_profile.xml",
    ))
    .map_err(|e| format!("dornMX sample: {e}"))?;
    let inner = dornmx.trim_start_matches(|c| c != '<');
    let twice = format!("<SyncML>\n<Data>{}</Data>\n</SyncML>\n", xml_escape(inner));
    let root = pinned_root(dir.path(), "twice.xml", twice.as_bytes())?;
    assert_eq!(
        root.hex.as_deref(),
        Some("68b545d69b6f49dd8614cf1b3470d38575b22db8")
    );
    assert_eq!(
        (root.location.line, root.location.column),
        line_col(&twice, "68b545d6")?
    );

    // The same in a CDATA section.
    let cdata = format!("<SyncML><Data><![CDATA[{body}]]></Data></SyncML>\n");
    let root = pinned_root(dir.path(), "cdata.xml", cdata.as_bytes())?;
    assert_eq!(root.hex.as_deref(), want);
    assert_eq!(
        (root.location.line, root.location.column),
        line_col(&cdata, "db 52 5d")?
    );

    // Windows PowerShell's Out-File: UTF-16LE with a BOM; positions as in the original.
    let root = pinned_root(dir.path(), "out-file.xml", &utf16le(&sample))?;
    assert_eq!(root.hex.as_deref(), want);
    assert_eq!(
        (root.location.line, root.location.column),
        (Some(41), Some(56))
    );

    // Export-Clixml of the profile string: UTF-16LE, the ProfileXML escaped in <S>.
    let clixml = format!(
        "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\r\n  <S>{}</S>\r\n</Objs>",
        xml_escape(body)
    );
    let root = pinned_root(dir.path(), "profile.clixml.xml", &utf16le(&clixml))?;
    assert_eq!(root.hex.as_deref(), want);
    assert_eq!(
        (root.location.line, root.location.column),
        line_col(&clixml, "db 52 5d")?
    );
    Ok(())
}

#[test]
fn graph_pages_and_arrays_resolve_the_scep_root_in_all_three_shapes() -> Result<(), String> {
    let root_der = std::fs::read("testdata/scenarios/healthy-deployment/pki/Contoso Root CA.cer")
        .map_err(|e| format!("Contoso Root CA.cer: {e}"))?;
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(&root_der)
    };
    let trusted = format!(
        r#"{{"@odata.type": "{}", "id": "root-1", "displayName": "Root", "trustedRootCertificate": "{b64}", "destinationStore": "computerCertStoreRoot"}}"#,
        "#microsoft.graph.windows81TrustedRootCertificate"
    );
    let scep = |name: &str, reference: &str| {
        format!(
            r#"{{"@odata.type": "{}", "id": "{name}", "displayName": "{name}", "extendedKeyUsages": [{{"name": "Client Authentication", "objectIdentifier": "1.3.6.1.5.5.7.3.2"}}], {reference}}}"#,
            "#microsoft.graph.windows81SCEPCertificateProfile"
        )
    };
    let expanded = scep(
        "expanded",
        &format!(
            r#""rootCertificate": {}"#,
            trusted.replace("root-1", "root-2")
        ),
    );
    let bound = scep(
        "bound",
        r#""rootCertificate@odata.bind": "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('root-1')""#,
    );
    let bare = scep("bare", r#""rootCertificate": "root-1""#);
    let dangling = scep("dangling", r#""rootCertificateId": "root-404""#);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    // A Graph page holding an array, and a bare array.
    std::fs::write(
        dir.path().join("page.json"),
        format!(r#"{{"@odata.context": "x", "value": [{trusted}, {expanded}]}}"#),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        dir.path().join("array.json"),
        format!("[{bound}, {bare}, {dangling}]"),
    )
    .map_err(|e| e.to_string())?;
    let bundle = trustlint::load_bundle(&[dir.path().to_path_buf()], &common::options());
    let root = bundle
        .certificates
        .iter()
        .position(|c| c.data.subject.common_name.as_deref() == Some("Contoso Root CA"))
        .map(<trustlint::facts::CertId as trustlint::facts::id::Id>::from_index)
        .ok_or("the bundle has no Contoso Root CA")?;
    let resolved: Vec<(Option<String>, Option<trustlint::facts::CertId>)> = bundle
        .profiles
        .certificate_profiles
        .iter()
        .map(|p| (p.data.name.clone(), p.root_certificate))
        .collect();
    assert_eq!(
        resolved,
        [
            (Some("bound".to_owned()), Some(root)),
            (Some("bare".to_owned()), Some(root)),
            (Some("dangling".to_owned()), None),
            (Some("expanded".to_owned()), Some(root)),
        ]
    );
    // The expanded root is a trusted-root profile of its own; the same certificate once.
    assert_eq!(bundle.profiles.trusted_root_profiles.len(), 2);
    assert_eq!(bundle.certificates.len(), 1);
    Ok(())
}
