//! The healthy deployment's profile joins, read from the facts: which client certificates its
//! EAP-TLS filter offers and which roots it accepts for the server.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

use super::common;

fn bundle_of(path: &std::path::Path) -> trustlint::facts::Bundle {
    trustlint::load_bundle(&[path.to_path_buf()], &common::options())
}

fn names(b: &trustlint::facts::Bundle, idx: &[trustlint::facts::CertId]) -> Vec<String> {
    idx.iter()
        .filter_map(|&i| b.certificates.get(i))
        .map(|c| c.display_name().to_owned())
        .collect()
}

#[test]
fn the_healthy_profile_selects_alice_and_accepts_the_root_and_its_eku_filter_narrows_it()
-> std::io::Result<()> {
    let healthy = std::path::Path::new("testdata/scenarios/healthy-deployment");
    let b = bundle_of(healthy);
    let eap = &b.profiles.eap_configs[0];
    // The NPS and VPN server certificates come from the same issuing CA but are named as
    // servers, so only alice's is a client certificate the filter offers.
    assert_eq!(names(&b, &eap.selected), ["alice@contoso.com"]);
    let roots: Vec<trustlint::facts::CertId> = b
        .profiles
        .pins
        .iter()
        .filter(|p| p.kind == trustlint::facts::PinKind::TrustedRoot)
        .filter_map(|p| p.certificate)
        .collect();
    assert_eq!(names(&b, &roots), ["Contoso Root CA"]);

    // Require an extra EKU (as the Entra conditional-access profiles do): alice lacks it.
    let dir = tempfile::tempdir()?;
    common::copy_tree(healthy, dir.path());
    let xml_path = dir.path().join("vpn/ProfileXML_User.xml");
    let xml = std::fs::read_to_string(&xml_path)?;
    let narrowed = xml.replacen(
        "</CAHashList>",
        "</CAHashList>\n<EKUMapping><EKUMap><EKUName>AAD Conditional Access</EKUName><EKUOID>1.3.6.1.4.1.311.87</EKUOID></EKUMap></EKUMapping>\n<ClientAuthEKUList Enabled=\"true\"><EKUMapInList><EKUName>AAD Conditional Access</EKUName></EKUMapInList></ClientAuthEKUList>",
        1,
    );
    assert_ne!(narrowed, xml);
    std::fs::write(&xml_path, narrowed)?;
    let b = bundle_of(dir.path());
    assert!(b.profiles.eap_configs[0].selected.is_empty());
    Ok(())
}
