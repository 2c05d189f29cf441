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

    // Valid base64 of text that is not XML: one problem at the value, nothing read.
    let f = load(&custom(
        "omaSettingBase64",
        uri,
        "aGVsbG8sIG5vdCBYTUw=",
        false,
    ));
    let p = problem(&f).expect("a problem");
    assert!(p.message().contains("invalid XML"), "{}", p.message());
    assert_eq!(p.location.line, Some(12));
    assert!(profiles(&f).is_empty());

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
      "enableConditionalAccess": true,
      "servers": [
        { "description": "gw", "address": "vpn.contoso.com", "isDefaultServer": true }
      ]
    }
  }
]
"##;
    let f = load(json);
    // Intune's switch for Entra ID conditional access is ProfileXML's DeviceCompliance.
    let ca = f
        .profiles
        .vpn_profiles
        .iter()
        .next()
        .and_then(|v| v.data.conditional_access.clone());
    assert_eq!(
        ca.map(|c| (c.value, c.location.line)),
        Some((true, Some(11)))
    );
    assert!(problem(&f).is_none(), "{:?}", problem(&f));
    let p = profiles(&f);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].name.as_deref(), Some("Contoso VPN"));
    assert_eq!(p[0].protocol.as_deref(), Some("IKEv2"));
    assert_eq!(p[0].servers, [("vpn.contoso.com".to_owned(), Some(13))]);
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
    super::common::findings_of(files)
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

/// The real Microsoft365DSC examples (`../shared/samples/real-world/m365dsc`, see its
/// SOURCES.md): each PKI resource reads into the facts its Graph object would, every finding at
/// the property's line.
#[test]
fn microsoft365dsc_configurations_read_into_the_graph_facts_at_their_lines() {
    let dir = super::common::sample("real-world/m365dsc");
    if !dir.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "{dir:?} is missing");
        return;
    }
    let report = super::common::scan(&dir);
    // The trusted root inside the TrustedCertificate resource (Microsoft Root Authority, 1997,
    // expired 2020-12-31) is reported at the `TrustedRootCertificate` line of the block.
    let expired = report
        .findings
        .iter()
        .find(|f| &*f.rule_name == "certificate-expired")
        .expect("the expired root is reported");
    assert!(
        expired
            .location
            .path
            .ends_with("IntuneDeviceConfigurationTrustedCertificatePolicyWindows10.1-Create.ps1"),
        "{expired:?}"
    );
    assert_eq!(expired.location.line, Some(37));
    assert!(expired.message.contains("Microsoft Root Authority"));
    // The SCEP resource names its root by RootCertificateId; the trusted-root resource beside it
    // has no Id, so the reference cannot be followed: a note, never scep-profile-root-missing.
    let rules: Vec<&str> = report.findings.iter().map(|f| &*f.rule_name).collect();
    assert!(
        rules.contains(&"scep-profile-root-not-exported"),
        "{rules:?}"
    );
    assert!(!rules.contains(&"scep-profile-root-missing"), "{rules:?}");
    // The VPN resource is Cisco AnyConnect, a plug-in: its user name and password are not
    // Windows' MS-CHAPv2.
    assert!(
        !rules.contains(&"vpn-mschapv2-with-credential-guard"),
        "{rules:?}"
    );
    // The PKCS resource writes no ExtendedKeyUsages (its template decides): no EKU finding.
    assert!(
        !rules.contains(&"scep-profile-without-client-auth"),
        "{rules:?}"
    );

    let b = trustlint::load_bundle(&[dir], &super::common::options());
    let scep = b
        .profiles
        .certificate_profiles
        .iter()
        .find(|p| p.data.kind == "SCEP")
        .unwrap();
    assert_eq!(scep.data.name.as_deref(), Some("SCEP"));
    assert_eq!(
        scep.data.root.as_ref().and_then(|r| r.id.as_deref()),
        Some("169bf4fc-5914-40f4-ad33-48c225396183")
    );
    assert_eq!(
        scep.data
            .key_size
            .as_ref()
            .map(|k| (k.value, k.location.line)),
        Some((2048, Some(51)))
    );
    assert_eq!(scep.data.ekus, ["1.3.6.1.5.5.7.3.2"]);
    // KeyUsage is a list in DSC (`@("digitalSignature")`), flags in Graph: the same facts.
    assert_eq!(
        scep.data
            .key_usage
            .as_ref()
            .map(|k| (k.value.clone(), k.location.line)),
        Some((vec!["digitalsignature".to_owned()], Some(53)))
    );
    // The VPN resource: ServerCollection is Graph's `servers`, the block's server at its line.
    let vpn: Vec<_> = b.profiles.vpn_profiles.iter().collect();
    assert_eq!(vpn.len(), 1);
    assert_eq!(vpn[0].data.source, "Microsoft365DSC");
    assert!(vpn[0].data.plugin, "ciscoAnyConnect is a plug-in profile");
    assert_eq!(vpn[0].data.name.as_deref(), Some("VPN"));
    assert_eq!(
        vpn[0]
            .data
            .servers
            .iter()
            .map(|s| (s.value.as_str(), s.location.line))
            .collect::<Vec<_>>(),
        [("10.0.1.10", Some(65))]
    );
    // The Wi-Fi resource is a pre-shared-key network: skipped, and the file list says why.
    let wifi = b
        .files
        .iter()
        .find(|f| {
            f.location
                .path
                .ends_with("IntuneWiFiConfigurationPolicyWindows10.1-Create.ps1")
        })
        .unwrap();
    assert_eq!(wifi.kind, None);
    assert_eq!(
        wifi.skipped.as_ref().map(ToString::to_string).as_deref(),
        Some(
            "a Microsoft365DSC configuration of types trustlint does not read: windowsWifiConfiguration"
        )
    );
}

/// A real IntuneCD backup (JSON, 5-space indent, no ids): read, and said to hold nothing trustlint
/// looks at (a macOS Wi-Fi profile, a Windows Update ring), by type.
#[test]
fn intunecd_backups_of_other_types_are_listed_with_their_types() {
    let dir = super::common::sample("real-world/intunecd-ces2026");
    if !dir.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "{dir:?} is missing");
        return;
    }
    let b = trustlint::load_bundle(&[dir], &super::common::options());
    let mut skipped: Vec<String> = b
        .files
        .iter()
        .filter_map(|f| f.skipped.as_ref().map(ToString::to_string))
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            "Graph JSON of types trustlint does not read: macOSEnterpriseWiFiConfiguration",
            "Graph JSON of types trustlint does not read: windowsUpdateForBusinessConfiguration",
        ]
    );
}

const DSC_HEAD: &str = "Configuration M365TenantConfig\n{\n    Import-DscResource -ModuleName 'Microsoft365DSC'\n    Node localhost\n    {\n";

/// Bad input in the new shapes: one `unparseable-file` at the line, the rest of the scan goes on.
#[test]
fn a_broken_dsc_configuration_or_yaml_backup_is_one_finding_at_its_line() {
    let root = trusted_root_export();
    let cases = [
        (
            "dsc/unclosed.ps1",
            format!("{DSC_HEAD}        IntuneDeviceConfigurationTrustedCertificatePolicyWindows10 'Root'\n        {{\n            DisplayName = 'Root'\n            TrustedRootCertificate = 'MIIB\n        }}\n    }}\n}}\n"),
            9,
            "Microsoft365DSC configuration: a string is never closed",
        ),
        (
            "dsc/missing-equals.ps1",
            format!("{DSC_HEAD}        IntuneDeviceConfigurationScepCertificatePolicyWindows10 'SCEP'\n        {{\n            DisplayName 'SCEP'\n        }}\n    }}\n}}\n"),
            8,
            "Microsoft365DSC configuration: expected '=' after the property name 'DisplayName'",
        ),
        (
            "intunecd/dup.yaml",
            "'@odata.type': '#microsoft.graph.windows81SCEPCertificateProfile'\ndisplayName: SCEP\nkeySize: size2048\nhashAlgorithm: sha2\nkeySize: size1024\n".to_owned(),
            5,
            "YAML: duplicate key 'keySize' (YAML keys must be unique)",
        ),
    ];
    for (name, text, line, message) in &cases {
        let findings = findings(&[(name, text), ("intune/root.json", &root)]);
        let unparseable: Vec<_> = findings
            .iter()
            .filter(|(rule, _)| rule == "unparseable-file")
            .collect();
        assert_eq!(unparseable.len(), 1, "{name}: {findings:?}");
        assert_eq!(unparseable[0].1, format!("{name}: {message}"), "{name}");
        let loaded = load_bytes(*name, text.as_bytes());
        match &loaded.problem {
            Some(FileProblem::Unparseable(e)) => assert_eq!(e.location.line, Some(*line), "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

/// An IntuneCD YAML backup reads into the same facts as the Graph JSON it was made from.
#[test]
fn an_intunecd_yaml_backup_reads_as_its_graph_json() {
    let yaml = "'@odata.type': '#microsoft.graph.windows81SCEPCertificateProfile'\nroleScopeTagIds:\n- Default\ndisplayName: AOVPN User\ncertificateStore: user\nhashAlgorithm: sha1,sha2\nkeySize: size1024\nextendedKeyUsages:\n- name: Server Authentication\n  objectIdentifier: 1.3.6.1.5.5.7.3.1\ncertificateValidityPeriodScale: years\ncertificateValidityPeriodValue: 1\nassignments: []\n";
    let b = bundle(
        vec![load_bytes(
            "Device Configurations/AOVPN User_windows81SCEPCertificateProfile.yaml",
            yaml.as_bytes(),
        )],
        0,
    );
    let p = b.profiles.certificate_profiles.iter().next().unwrap();
    assert_eq!(p.data.name.as_deref(), Some("AOVPN User"));
    assert_eq!(
        p.data.key_size.as_ref().map(|k| (k.value, k.location.line)),
        Some((1024, Some(7)))
    );
    assert_eq!(
        p.data.hash_algorithm.as_ref().map(|h| h.value.as_str()),
        Some("sha1,sha2")
    );
    assert_eq!(p.data.ekus, ["1.3.6.1.5.5.7.3.1"]);
    assert_eq!(p.data.validity_days.as_ref().map(|v| v.value), Some(366));
    assert!(p.data.root.is_none(), "IntuneCD writes no root reference");
    let rules: Vec<String> = findings(&[("cd/scep.yaml", yaml)])
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    for expected in [
        "scep-profile-weak-key",
        "scep-profile-sha1",
        "scep-profile-without-client-auth",
        "scep-profile-root-not-exported",
    ] {
        assert!(rules.iter().any(|r| r == expected), "{expected}: {rules:?}");
    }
    assert!(
        !rules.iter().any(|r| r == "scep-profile-root-missing"),
        "{rules:?}"
    );
}

/// A SCEP profile from a plain GET (no reference) and the response of its navigation GET
/// (`…/deviceConfigurations('{id}')/microsoft.graph.windows81SCEPCertificateProfile/rootCertificate`)
/// beside it: the sidecar's `@odata.context` names the profile, so the root is known, whatever
/// the order of the files, and alone or beside the full export of the same root.
#[test]
fn a_navigation_get_sidecar_gives_a_plain_export_its_root() {
    let plain = SCEP_PARTIAL_ROOT.replace(
        ",\n  \"rootCertificate\": {\n    \"id\": \"6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f\",\n    \"displayName\": \"Contoso Cloud PKI Root CA\"\n  }",
        "",
    );
    assert!(!plain.contains("rootCertificate"), "{plain}");
    let scep_id = "3c1e0f7a-2b4d-4e6f-8a9b-1c2d3e4f5a6b";
    let plain = plain.replace("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", scep_id);
    let sidecar = trusted_root_export().replacen(
        "{\n",
        &format!("{{\n  \"@odata.context\": \"https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations('{scep_id}')/microsoft.graph.windows81SCEPCertificateProfile/rootCertificate/$entity\",\n"),
        1,
    );
    let alone = findings(&[("scep.json", &plain)]);
    assert!(
        alone
            .iter()
            .any(|(r, _)| r == "scep-profile-root-not-exported"),
        "{alone:?}"
    );
    let forward = findings(&[("a-scep.json", &plain), ("b-root.json", &sidecar)]);
    let backward = findings(&[("b-scep.json", &plain), ("a-root.json", &sidecar)]);
    assert_eq!(forward, backward);
    assert!(
        forward
            .iter()
            .all(|(r, _)| !r.starts_with("scep-profile-root")),
        "{forward:?}"
    );
    // Beside the full export of the same root (one profile once joined), still resolved.
    let root = trusted_root_export();
    for order in [
        [
            ("a.json", root.as_str()),
            ("b.json", sidecar.as_str()),
            ("c.json", plain.as_str()),
        ],
        [
            ("c.json", root.as_str()),
            ("b.json", sidecar.as_str()),
            ("a.json", plain.as_str()),
        ],
    ] {
        let got = findings(&order);
        assert!(
            got.iter().all(|(r, _)| !r.starts_with("scep-profile-root")),
            "{got:?}"
        );
    }
}

/// Graph's envelopes: a single object under `value` (the reference pages' samples), and a page
/// of a list with `@odata.nextLink`; the same trusted-root profile either way, at its member.
#[test]
fn graph_pages_and_value_objects_read_as_their_objects() {
    let root = trusted_root_export();
    let single = format!("{{\n\"value\": {root}}}\n");
    let page = format!(
        "{{\n\"@odata.context\": \"https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations\",\n\"@odata.nextLink\": \"https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations?$skiptoken=abc\",\n\"value\": [\n{root}]\n}}\n"
    );
    for (name, text, line) in [("single", &single, 6), ("page", &page, 9)] {
        let b = load(text);
        assert!(problem(&b).is_none(), "{name}: {:?}", problem(&b));
        let t: Vec<_> = b.profiles.trusted_root_profiles.iter().collect();
        assert_eq!(t.len(), 1, "{name}");
        assert_eq!(
            t[0].data.id.as_deref(),
            Some("6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"),
            "{name}"
        );
        assert!(t[0].certificate.is_some(), "{name}");
        assert_eq!(
            t[0].data.certificate_location.as_ref().and_then(|l| l.line),
            Some(line),
            "{name}"
        );
    }
}

/// A Graph page whose `@odata.nextLink` says more follow is said, and a reference to a profile
/// that may be on another page is not called dangling: the note says why it is not checked.
#[test]
fn a_partial_graph_page_is_said_and_its_missing_references_are_not_called_dangling() {
    let page = |next: bool| {
        let link = if next {
            "\"@odata.nextLink\": \"https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations?$skiptoken=abc\",\n"
        } else {
            ""
        };
        format!(
            "{{\n\"@odata.context\": \"https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations\",\n{link}\"value\": [\n{}]\n}}\n",
            SCEP_PARTIAL_ROOT
        )
    };
    // The whole list: the SCEP profile's root is in no profile of the bundle, evidence that
    // the reference dangles.
    let whole = findings(&[("all.json", &page(false))]);
    assert!(
        whole.iter().any(|(r, _)| r == "scep-profile-root-missing"),
        "{whole:?}"
    );
    assert!(
        whole.iter().all(|(r, _)| r != "graph-export-partial"),
        "{whole:?}"
    );
    // Page one of several: the root may be on another page.
    let first = findings(&[("page1.json", &page(true))]);
    let rules: Vec<&str> = first.iter().map(|(r, _)| r.as_str()).collect();
    assert!(!rules.contains(&"scep-profile-root-missing"), "{rules:?}");
    assert_eq!(
        rules
            .iter()
            .filter(|r| **r == "graph-export-partial")
            .count(),
        1,
        "{rules:?}"
    );
    let note = first
        .iter()
        .find(|(r, _)| r == "scep-profile-root-not-exported")
        .map(|(_, m)| m.as_str());
    assert!(
        note.is_some_and(|m| m.contains("is not on the page of the Graph export")),
        "{first:?}"
    );
}
