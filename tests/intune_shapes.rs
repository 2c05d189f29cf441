//! Intune exports as the tools write them (issue 13): custom OMA-URI profiles in their three
//! value forms, Graph PowerShell SDK dumps. Each shape reads into the same facts as the Graph
//! JSON it stands for, or says precisely why it cannot, at the member.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code"
)]

use trustlint::pipeline::{Bundle, FileProblem, LoadError, bundle, load_bytes};

const PROFILE: &str = "<VPNProfile><NativeProfile><Servers>vpn.contoso.com</Servers><NativeProtocolType>IKEv2</NativeProtocolType><Authentication><MachineMethod>Certificate</MachineMethod></Authentication></NativeProfile><DeviceTunnel>true</DeviceTunnel></VPNProfile>";

/// A custom configuration with one OMA-URI setting, as a Graph export writes it.
fn custom(odata_type: &str, uri: &str, value: &str, encrypted: bool) -> String {
    format!(
        r##"{{
  "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
  "id": "1c527e3e-c8b3-4b6c-8ce0-671feb22f171",
  "displayName": "AOVPN Device Tunnel",
  "omaSettings": [
    {{
      "@odata.type": "#microsoft.graph.{odata_type}",
      "displayName": "ProfileXML",
      "omaUri": "{uri}",
      "fileName": "ProfileXML.xml",
      "isEncrypted": {encrypted},
      "value": {}
    }}
  ]
}}
"##,
        serde_json::to_string(value).unwrap()
    )
}

/// The export as a bundle of its own.
fn load(json: &str) -> Bundle {
    bundle(vec![load_bytes("export.json", json.as_bytes())], 0)
}

/// What a test looks at in a VPN profile read from the export.
struct Seen {
    name: Option<String>,
    device_tunnel: Option<bool>,
    protocol: Option<String>,
    line: Option<u32>,
    servers: Vec<(String, Option<u32>)>,
}

fn profiles(b: &Bundle) -> Vec<Seen> {
    b.profiles
        .vpn_profiles
        .iter()
        .map(|v| Seen {
            name: v.data.name.clone(),
            device_tunnel: v.data.device_tunnel.as_ref().map(|d| d.value),
            protocol: v.data.protocol.as_ref().map(|p| p.value.clone()),
            line: v.data.location.line,
            servers: v
                .data
                .servers
                .iter()
                .map(|s| (s.value.clone(), s.location.line))
                .collect(),
        })
        .collect()
}

/// The file's load problem, if any.
fn problem(b: &Bundle) -> Option<&LoadError> {
    b.files.iter().find_map(|f| match &f.problem {
        Some(FileProblem::Unparseable(e)) => Some(e),
        _ => None,
    })
}

#[test]
fn an_oma_uri_profile_reads_in_each_value_form_at_its_member() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(PROFILE);
    for (odata_type, value) in [
        ("omaSettingString", PROFILE.to_owned()),
        ("omaSettingStringXml", b64.clone()),
        ("omaSettingBase64", b64),
    ] {
        let f = load(&custom(
            odata_type,
            "./Device/Vendor/MSFT/VPNv2/AOVPN%20Device/ProfileXML",
            &value,
            false,
        ));
        assert!(problem(&f).is_none(), "{odata_type}: {:?}", problem(&f));
        let p = profiles(&f);
        assert_eq!(p.len(), 1, "{odata_type}");
        assert_eq!(p[0].name.as_deref(), Some("AOVPN Device"), "{odata_type}");
        assert_eq!(p[0].device_tunnel, Some(true));
        // Everything inside points at the value member (line 12 of the export).
        assert_eq!(p[0].line, Some(12), "{odata_type}");
        assert_eq!(
            p[0].servers,
            [("vpn.contoso.com".to_owned(), Some(12))],
            "{odata_type}"
        );
    }
}

#[test]
fn an_encrypted_or_broken_oma_uri_value_is_said_at_its_member() {
    let uri = "./User/Vendor/MSFT/VPNv2/AOVPN/ProfileXML";
    let f = load(&custom("omaSettingString", uri, "3kq0…(encrypted)", true));
    let p = problem(&f).expect("a problem");
    assert!(
        p.message().contains("getOmaSettingPlainTextValue"),
        "{}",
        p.message()
    );
    assert_eq!(p.location.line, Some(12));
    assert!(profiles(&f).is_empty());

    let f = load(&custom(
        "omaSettingString",
        uri,
        "<VPNProfile><NativeProfile>",
        false,
    ));
    let p = problem(&f).expect("a problem");
    assert_eq!(p.location.line, Some(12), "{}", p.message());

    let f = load(&custom("omaSettingStringXml", uri, "not base64!", false));
    assert!(problem(&f).expect("a problem").message().contains("base64"));

    // A setting that is not a VPNv2 ProfileXML is not read, and is no problem.
    let f = load(&custom(
        "omaSettingString",
        "./Vendor/MSFT/Policy/Config/Update/ActiveHoursStart",
        "8",
        false,
    ));
    assert!(problem(&f).is_none() && profiles(&f).is_empty());
}

#[test]
fn an_sdk_dump_reads_as_the_graph_object_it_stands_for() {
    let json = r##"[
  {
    "DisplayName": "Contoso VPN",
    "Id": "0e6b2f4c-9d1a-4f3e-8b7c-5a2d1e0f9c8b",
    "Version": 2,
    "AdditionalProperties": {
      "@odata.type": "#microsoft.graph.windows10VpnConfiguration",
      "connectionName": "Contoso VPN",
      "connectionType": "ikEv2",
      "authenticationMethod": "certificate",
      "servers": [
        { "description": "gw", "address": "vpn.contoso.com", "isDefaultServer": true }
      ]
    }
  }
]
"##;
    let f = load(json);
    assert!(problem(&f).is_none(), "{:?}", problem(&f));
    let p = profiles(&f);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].name.as_deref(), Some("Contoso VPN"));
    assert_eq!(p[0].protocol.as_deref(), Some("IKEv2"));
    assert_eq!(p[0].servers, [("vpn.contoso.com".to_owned(), Some(12))]);
}

/// A SCEP profile exported with `$expand=rootCertificate($select=id,displayName)`: the root
/// reference is an object with only the id.
const SCEP_PARTIAL_ROOT: &str = r##"{
  "@odata.type": "#microsoft.graph.windows81SCEPCertificateProfile",
  "id": "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
  "displayName": "AOVPN User Certificate",
  "keySize": "size2048",
  "hashAlgorithm": "sha2",
  "keyUsage": "digitalSignature,keyEncipherment",
  "certificateStore": "user",
  "scepServerUrls": [ "https://ndes.contoso.com/certsrv/mscep/mscep.dll" ],
  "extendedKeyUsages": [ { "name": "Client Authentication", "objectIdentifier": "1.3.6.1.5.5.7.3.2" } ],
  "rootCertificate": {
    "id": "6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f",
    "displayName": "Contoso Cloud PKI Root CA"
  }
}
"##;

fn trusted_root_export() -> String {
    use base64::Engine as _;
    let der = std::fs::read(
        "testdata/scenarios/cloud-pki-aovpn/certs/cloud-pki/Contoso Cloud PKI Root CA.cer",
    )
    .unwrap();
    format!(
        r##"{{
  "@odata.type": "#microsoft.graph.windows81TrustedRootCertificate",
  "id": "6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f",
  "displayName": "Contoso Cloud PKI Root CA",
  "trustedRootCertificate": "{}",
  "destinationStore": "computerCertStoreRoot"
}}
"##,
        base64::engine::general_purpose::STANDARD.encode(der)
    )
}

/// The findings of the files, as (rule, message), linted by every built-in rule.
fn findings(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let loaded = files
        .iter()
        .map(|(name, text)| load_bytes(*name, text.as_bytes()))
        .collect();
    let b = bundle(loaded, 1_780_272_000);
    let rules = trustlint::load_rules(&[]).unwrap();
    trustlint::pipeline::evaluate(&rules, &b)
        .into_iter()
        .map(|f| (f.rule_name.to_string(), f.message))
        .collect()
}

#[test]
fn a_partial_root_reference_never_shadows_the_full_export_whatever_the_file_order() {
    let root = trusted_root_export();
    let forward = findings(&[("a-scep.json", SCEP_PARTIAL_ROOT), ("b-root.json", &root)]);
    let backward = findings(&[("b-scep.json", SCEP_PARTIAL_ROOT), ("a-root.json", &root)]);
    assert_eq!(forward, backward);
    assert!(
        forward
            .iter()
            .all(|(rule, _)| rule != "scep-profile-root-missing"),
        "{forward:?}"
    );
    // Without the full export, the reference dangles: that is evidence, and the rule says so.
    let alone = findings(&[("a-scep.json", SCEP_PARTIAL_ROOT)]);
    assert!(
        alone
            .iter()
            .any(|(rule, _)| rule == "scep-profile-root-missing"),
        "{alone:?}"
    );
}
