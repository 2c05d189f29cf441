//! Wi-Fi and wired 802.1X profiles are EAP consumers like VPN profiles (issue 13): a Windows
//! `WLANProfile` / `LANProfile`, an OMA-URI `WlanXml`, an Intune enterprise Wi-Fi or wired
//! profile, a Microsoft365DSC resource. Every EAP rule applies to them, and findings name the
//! profile and what its user sees, not a VPN.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code"
)]

use base64::Engine as _;
use trustlint::Finding;
use trustlint::pipeline::{bundle, load_bytes};

use super::common;

use common::findings_of as findings;

fn of_rule<'f>(findings: &'f [Finding], rule: &str) -> Vec<&'f Finding> {
    findings.iter().filter(|f| &*f.rule_name == rule).collect()
}

fn root_b64() -> String {
    let der = std::fs::read(
        "testdata/scenarios/cloud-pki-aovpn/certs/cloud-pki/Contoso Cloud PKI Root CA.cer",
    )
    .unwrap();
    base64::engine::general_purpose::STANDARD.encode(der)
}

/// An EAP-TLS `EapHostConfig` pinning `root` (a thumbprint as written) with `issuer_hash` in an
/// enabled CAHashList.
fn eap_host_config(root: &str, issuer_hash: &str) -> String {
    format!(
        r#"<EapHostConfig xmlns="http://www.microsoft.com/provisioning/EapHostConfig"><EapMethod><Type xmlns="http://www.microsoft.com/provisioning/EapCommon">13</Type><VendorId xmlns="http://www.microsoft.com/provisioning/EapCommon">0</VendorId><VendorType xmlns="http://www.microsoft.com/provisioning/EapCommon">0</VendorType><AuthorId xmlns="http://www.microsoft.com/provisioning/EapCommon">0</AuthorId></EapMethod><Config xmlns="http://www.microsoft.com/provisioning/EapHostConfig"><Eap xmlns="http://www.microsoft.com/provisioning/BaseEapConnectionPropertiesV1"><Type>13</Type><EapType xmlns="http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV1"><CredentialsSource><CertificateStore><SimpleCertSelection>true</SimpleCertSelection></CertificateStore></CredentialsSource><ServerValidation><DisableUserPromptForServerValidation>true</DisableUserPromptForServerValidation><ServerNames>nps.contoso.com</ServerNames><TrustedRootCA>{root}</TrustedRootCA></ServerValidation><DifferentUsername>false</DifferentUsername><PerformServerValidation xmlns="http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV2">true</PerformServerValidation><AcceptServerName xmlns="http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV2">true</AcceptServerName><TLSExtensions xmlns="http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV2"><FilteringInfo xmlns="http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV3"><CAHashList Enabled="true"><IssuerHash>{issuer_hash}</IssuerHash></CAHashList></FilteringInfo></TLSExtensions></EapType></Eap></Config></EapHostConfig>"#
    )
}

const UNKNOWN: &str = "ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff";

/// A `WLANProfile` as `netsh wlan export profile` writes one for WPA2-Enterprise.
fn wlan_profile(name: &str, eap: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<WLANProfile xmlns="http://www.microsoft.com/networking/WLAN/profile/v1">
	<name>{name}</name>
	<SSIDConfig>
		<SSID>
			<name>{name}</name>
		</SSID>
	</SSIDConfig>
	<connectionType>ESS</connectionType>
	<connectionMode>auto</connectionMode>
	<MSM>
		<security>
			<authEncryption>
				<authentication>WPA2</authentication>
				<encryption>AES</encryption>
				<useOneX>true</useOneX>
			</authEncryption>
			<OneX xmlns="http://www.microsoft.com/networking/OneX/v1">
				<authMode>machineOrUser</authMode>
				<EAPConfig>{eap}</EAPConfig>
			</OneX>
		</security>
	</MSM>
</WLANProfile>
"#
    )
}

#[test]
fn the_real_wlan_profile_is_a_wifi_consumer_and_its_findings_say_so() {
    let path = common::sample("real-world/wlan-msdocs-extracted");
    if !path.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "{path:?} is missing");
        return;
    }
    let report = common::scan(&path);
    let mut rules: Vec<&str> = report.findings.iter().map(|f| &*f.rule_name).collect();
    rules.sort_unstable();
    assert_eq!(
        rules,
        [
            "vpn-issuer-hash-not-found",
            "vpn-server-validation-disabled"
        ]
    );
    for f in &report.findings {
        assert!(
            f.message.starts_with("Wi-Fi profile 'testcert': "),
            "{}",
            f.message
        );
        assert!(!f.message.contains("VPN"), "{}", f.message);
    }
    // The issuer filter: what a Wi-Fi user sees, not the VPN client's 798.
    let filter = of_rule(&report.findings, "vpn-issuer-hash-not-found");
    let symptom = filter[0].symptom.as_ref().unwrap();
    assert_eq!(symptom.client_error, None);
    assert!(
        symptom
            .other
            .as_deref()
            .unwrap()
            .starts_with("Wi-Fi or wired 802.1X"),
        "{symptom:?}"
    );
}

#[test]
fn a_wlan_profile_a_lan_profile_and_a_vpn_profile_are_named_for_what_they_are() {
    let eap = eap_host_config(UNKNOWN, UNKNOWN);
    let lan = format!(
        "<?xml version=\"1.0\"?>\n<LANProfile xmlns=\"http://www.microsoft.com/networking/LAN/profile/v1\">\n<MSM><security><OneXEnforced>false</OneXEnforced><OneXEnabled>true</OneXEnabled><OneX xmlns=\"http://www.microsoft.com/networking/OneX/v1\"><EAPConfig>{eap}</EAPConfig></OneX></security></MSM>\n</LANProfile>\n"
    );
    let vpn = format!(
        "<VPNProfile><ProfileName>Contoso AlwaysOn</ProfileName><NativeProfile><Servers>vpn.contoso.com</Servers><NativeProtocolType>IKEv2</NativeProtocolType><Authentication><UserMethod>Eap</UserMethod><Eap><Configuration>{eap}</Configuration></Eap></Authentication></NativeProfile></VPNProfile>"
    );
    let found = findings(&[
        ("wifi/Corp.xml", &wlan_profile("Corp", &eap)),
        ("wired/Ethernet.xml", &lan),
        ("vpn/ProfileXML.xml", &vpn),
        ("eap/standalone.xml", &eap),
    ]);
    let mut not_found: Vec<(String, Option<u32>)> = of_rule(&found, "vpn-trusted-root-not-found")
        .into_iter()
        .map(|f| {
            (
                f.message.split(':').next().unwrap().to_owned(),
                f.symptom.as_ref().and_then(|s| s.client_error),
            )
        })
        .collect();
    not_found.sort();
    assert_eq!(
        not_found,
        [
            ("EAP configuration".to_owned(), Some(864)),
            ("VPN profile 'Contoso AlwaysOn'".to_owned(), Some(864)),
            ("Wi-Fi profile 'Corp'".to_owned(), None),
            ("wired 802.1X profile".to_owned(), None),
        ]
    );
}

#[test]
fn an_oma_uri_wlanxml_is_read_as_its_wifi_profile_at_the_member() {
    let wlan = wlan_profile("Corp", &eap_host_config(UNKNOWN, UNKNOWN));
    let custom = format!(
        r##"{{
  "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
  "id": "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9",
  "displayName": "Corp Wi-Fi (custom)",
  "omaSettings": [
    {{
      "@odata.type": "#microsoft.graph.omaSettingString",
      "displayName": "WlanXml",
      "omaUri": "./Device/Vendor/MSFT/WiFi/Profile/Corp/WlanXml",
      "isEncrypted": false,
      "value": {}
    }}
  ]
}}
"##,
        serde_json::to_string(&wlan).unwrap()
    );
    let found = findings(&[("intune/Corp Wi-Fi.json", &custom)]);
    let f = of_rule(&found, "vpn-trusted-root-not-found");
    assert_eq!(f.len(), 1, "{found:?}");
    assert!(
        f[0].message.starts_with("Wi-Fi profile 'Corp': "),
        "{}",
        f[0].message
    );
    // Everything inside the value points at the value (line 11 of the export).
    assert_eq!(f[0].location.line, Some(11));
}

/// An Intune enterprise Wi-Fi profile as Graph exports it: roots by `@odata.bind`, by expanded
/// object, and Microsoft365DSC's ids; server names from `trustedServerCertificateNames`.
fn intune_wifi(roots: &str) -> String {
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
    "nps.contoso.com"
  ],
  {roots}
}}
"##
    )
}

fn trusted_root(id: Option<&str>) -> String {
    let id = id.map_or(String::new(), |id| format!("\"id\": \"{id}\",\n  "));
    format!(
        "{{\n  \"@odata.type\": \"#microsoft.graph.windows81TrustedRootCertificate\",\n  {id}\"displayName\": \"Contoso NPS Root\",\n  \"trustedRootCertificate\": \"{}\",\n  \"destinationStore\": \"computerCertStoreRoot\"\n}}\n",
        root_b64()
    )
}

#[test]
fn an_intune_wifi_profile_pins_the_roots_it_references() {
    let bind = r#""rootCertificatesForServerValidation@odata.bind": [
    "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b')"
  ]"#;
    // The reference resolves to the trusted-root export beside it: nothing to report about it.
    let found = findings(&[
        ("intune/wifi.json", &intune_wifi(bind)),
        (
            "intune/root.json",
            &trusted_root(Some("1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b")),
        ),
    ]);
    assert!(
        of_rule(&found, "vpn-trusted-root-not-found").is_empty(),
        "{found:?}"
    );
    assert!(
        of_rule(&found, "vpn-server-validation-disabled").is_empty(),
        "{found:?}"
    );
    let b = bundle(
        vec![
            load_bytes("intune/wifi.json", intune_wifi(bind).as_bytes()),
            load_bytes(
                "intune/root.json",
                trusted_root(Some("1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b")).as_bytes(),
            ),
        ],
        0,
    );
    let pin = b.profiles.pins.iter().next().unwrap();
    let root = b.certificates.iter().next().unwrap();
    assert_eq!(pin.thumbprint.hex.as_deref(), Some(root.data.sha1.as_str()));
    let names: Vec<_> = b
        .profiles
        .server_names
        .iter()
        .map(|n| n.name.clone())
        .collect();
    assert_eq!(names, ["nps.contoso.com"]);

    // A reference to a profile the export does not hold, where every trusted-root profile has
    // its id: it dangles, reported at the reference.
    let found = findings(&[
        ("intune/wifi.json", &intune_wifi(bind)),
        (
            "intune/other-root.json",
            &trusted_root(Some("99999999-0000-4000-8000-000000000000")),
        ),
    ]);
    let dangling = of_rule(&found, "vpn-trusted-root-not-found");
    assert_eq!(dangling.len(), 1, "{found:?}");
    assert_eq!(
        dangling[0].message,
        "Wi-Fi profile 'Corp Wi-Fi': the root certificate for server validation is trusted-root profile 1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b, which is not in the bundle (or carries no certificate); the client will not trust the NPS server's certificate unless that root is deployed"
    );
    assert_eq!(dangling[0].location.line, Some(15));
    assert_eq!(
        dangling[0].symptom.as_ref().and_then(|s| s.client_error),
        None,
        "a Wi-Fi symptom, not the VPN client's 864"
    );
    // The same reference when the only trusted-root profile has no id (an IntuneCD backup):
    // it cannot be followed, which is not evidence that it dangles.
    let found = findings(&[
        ("intune/wifi.json", &intune_wifi(bind)),
        ("intunecd/root.json", &trusted_root(None)),
    ]);
    assert!(
        of_rule(&found, "vpn-trusted-root-not-found").is_empty(),
        "{found:?}"
    );
    // …and it is not silent: a note says which reference could not be followed, at it.
    let unfollowed = of_rule(&found, "eap-root-profile-not-exported");
    assert_eq!(unfollowed.len(), 1, "{found:?}");
    assert_eq!(unfollowed[0].location.line, Some(15));
    assert!(
        unfollowed[0].message.starts_with(
            "Wi-Fi profile 'Corp Wi-Fi': server validation trusts trusted-root profile 1f2e3d4c-"
        ),
        "{}",
        unfollowed[0].message
    );
    // A reference that resolves, or one that dangles, is not this note's.
    for ids in [
        Some("1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"),
        Some("99999999-0000-4000-8000-000000000000"),
    ] {
        let found = findings(&[
            ("intune/wifi.json", &intune_wifi(bind)),
            ("intune/root.json", &trusted_root(ids)),
        ]);
        assert!(
            of_rule(&found, "eap-root-profile-not-exported").is_empty(),
            "{found:?}"
        );
    }

    // An expanded root pins its own certificate; no root at all is server validation that
    // Windows 11 fails (issue 16 split it out of vpn-server-validation-disabled).
    let expanded = format!(
        "\"rootCertificatesForServerValidation\": [\n    {}  ]",
        trusted_root(Some("1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"))
    );
    let found = findings(&[("intune/wifi.json", &intune_wifi(&expanded))]);
    assert!(
        of_rule(&found, "vpn-trusted-root-not-found").is_empty(),
        "{found:?}"
    );
    let found = findings(&[(
        "intune/wifi.json",
        &intune_wifi("\"rootCertificatesForServerValidation@odata.bind\": []"),
    )]);
    let open = of_rule(&found, "eap-profile-without-trusted-root");
    assert_eq!(open.len(), 1, "{found:?}");
    assert!(
        open[0].message.starts_with(
            "Wi-Fi profile 'Corp Wi-Fi': server validation is on but it names no root certificate"
        ),
        "{}",
        open[0].message
    );
    assert!(of_rule(&found, "vpn-server-validation-disabled").is_empty());
}

#[test]
fn a_microsoft365dsc_wired_network_resource_is_a_wired_consumer() {
    let dsc = "Configuration M365TenantConfig\n{\n    Import-DscResource -ModuleName 'Microsoft365DSC'\n    Node localhost\n    {\n        IntuneDeviceConfigurationWiredNetworkPolicyWindows10 'Wired'\n        {\n            DisplayName                            = 'Wired Network';\n            AuthenticationMethod                   = 'certificate';\n            EapType                                = 'eapTls';\n            Ensure                                 = 'Present';\n            TrustedServerCertificateNames          = @('nps.contoso.com');\n            RootCertificatesForServerValidationIds = @('a485d322-13cd-43ef-beda-733f656f48ea');\n        }\n    }\n}\n";
    let found = findings(&[
        ("dsc/M365TenantConfig.ps1", dsc),
        (
            "intune/root.json",
            &trusted_root(Some("1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b")),
        ),
    ]);
    let f = of_rule(&found, "vpn-trusted-root-not-found");
    assert_eq!(f.len(), 1, "{found:?}");
    assert!(
        f[0].message.starts_with("wired 802.1X profile 'Wired Network': the root certificate for server validation is trusted-root profile a485d322-13cd-43ef-beda-733f656f48ea"),
        "{}",
        f[0].message
    );
    assert_eq!(f[0].location.line, Some(13));
}

/// MS-CHAPv2 in each shape that selects it: a VPN profile's `UserMethod`, an Intune Wi-Fi
/// profile's PEAP with a user name and password or TTLS with MS-CHAPv2 inside; certificate
/// authentication does not.
#[test]
fn mschapv2_is_found_in_every_shape_that_selects_it() {
    let vpn = "<VPNProfile><ProfileName>Legacy</ProfileName><NativeProfile><Servers>vpn.contoso.com</Servers><NativeProtocolType>SSTP</NativeProtocolType><Authentication><UserMethod>MSChapv2</UserMethod></Authentication></NativeProfile></VPNProfile>";
    let peap = intune_wifi("\"rootCertificatesForServerValidation@odata.bind\": []")
        .replace("\"eapTls\"", "\"peap\"")
        .replace("\"certificate\"", "\"usernameAndPassword\"");
    let ttls =
        intune_wifi("\"innerAuthenticationProtocolForEAPTTLS\": \"microsoftChapVersionTwo\"")
            .replace("\"eapTls\"", "\"eapTtls\"")
            .replace("\"certificate\"", "\"usernameAndPassword\"");
    let tls = intune_wifi("\"rootCertificatesForServerValidation@odata.bind\": []");
    for (name, text, line) in [
        ("vpn.xml", vpn, Some(1)),
        ("peap.json", peap.as_str(), Some(10)),
        ("ttls.json", ttls.as_str(), Some(14)),
        ("tls.json", tls.as_str(), None),
    ] {
        let found = findings(&[(name, text)]);
        let f = of_rule(&found, "vpn-mschapv2-with-credential-guard");
        assert_eq!(
            f.first().and_then(|f| f.location.line),
            line,
            "{name}: {found:?}"
        );
        if let Some(f) = f.first() {
            let label = if name == "vpn.xml" {
                "VPN profile 'Legacy'"
            } else {
                "Wi-Fi profile 'Corp Wi-Fi'"
            };
            assert!(f.message.starts_with(label), "{}", f.message);
        }
    }
}

/// `identityCertificateForClientAuthentication` links an Intune Wi-Fi profile to the SCEP
/// profile that provides its client certificate, when that profile is in the bundle.
#[test]
fn an_intune_wifi_profile_is_linked_to_its_client_certificate_profile() {
    let wifi = intune_wifi(
        "\"identityCertificateForClientAuthentication@odata.bind\": \"https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d')\"",
    );
    let scep = r##"{
  "@odata.type": "#microsoft.graph.windows81SCEPCertificateProfile",
  "id": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
  "displayName": "Wi-Fi User Certificate",
  "keySize": "size2048",
  "hashAlgorithm": "sha2",
  "certificateStore": "user",
  "extendedKeyUsages": [ { "name": "Client Authentication", "objectIdentifier": "1.3.6.1.5.5.7.3.2" } ]
}
"##;
    let b = bundle(
        vec![
            load_bytes("intune/wifi.json", wifi.as_bytes()),
            load_bytes("intune/scep.json", scep.as_bytes()),
        ],
        0,
    );
    let config = b.profiles.eap_configs.iter().next().unwrap();
    let linked = config
        .identity_profile
        .and_then(|id| b.profiles.certificate_profiles.get(id))
        .unwrap();
    assert_eq!(linked.data.name.as_deref(), Some("Wi-Fi User Certificate"));
    // Without the SCEP export, the link is simply absent.
    let alone = bundle(vec![load_bytes("intune/wifi.json", wifi.as_bytes())], 0);
    assert!(
        alone
            .profiles
            .eap_configs
            .iter()
            .next()
            .unwrap()
            .identity_profile
            .is_none()
    );
}
