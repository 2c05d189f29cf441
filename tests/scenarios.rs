//! The bundled scenarios: realistic PKI repositories and the findings each must produce.

use crate::common;

use std::path::PathBuf;

use common::{human, json, scan, scan_with};
use trustlint::Severity;

const FOUNDING: &str = "testdata/scenarios/cloud-pki-aovpn";
const MITIGATED: &str = "testdata/scenarios/cloud-pki-aovpn-mitigated";

#[test]
fn founding_case_reports_the_cdp_less_issuing_ca_with_both_nps_hosts() {
    let report = scan(FOUNDING);
    assert_eq!(common::rule_names(&report), ["issuing-ca-without-cdp"]);
    let f = &report.findings[0];
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        f.message,
        "issuing CA 'Contoso Cloud PKI Issuing CA' lacks CDP; NPS will reject with reason 258 unless IgnoreNoRevocationCheck=1"
    );
    assert_eq!(
        &*f.location.path,
        "testdata/scenarios/cloud-pki-aovpn/certs/cloud-pki/Contoso Cloud PKI Issuing CA.cer"
    );
    let related: Vec<(&str, Option<u32>)> = f
        .related
        .iter()
        .map(|r| (&*r.location.path, r.location.line))
        .collect();
    assert_eq!(
        related,
        [
            (
                "testdata/scenarios/cloud-pki-aovpn/intune/cloudCertificationAuthority-issuing.json",
                Some(1)
            ),
            ("testdata/scenarios/cloud-pki-aovpn/nps/NPS01.reg", Some(5)),
            ("testdata/scenarios/cloud-pki-aovpn/nps/NPS02.reg", Some(5)),
        ]
    );
    assert!(
        f.related[0]
            .message
            .contains("Cloud PKI CA 'Contoso Cloud PKI Issuing CA'")
    );
    let symptom = f.symptom.as_ref().unwrap();
    assert_eq!(
        (symptom.client_error, symptom.nps_event, symptom.nps_reason),
        (Some(853), Some(6273), Some(258))
    );
    assert_eq!(report.files, 6);
}

#[test]
fn mitigated_case_is_a_note_that_names_the_trade_off() {
    let report = scan(MITIGATED);
    assert_eq!(common::rule_names(&report), ["issuing-ca-without-cdp"]);
    let f = &report.findings[0];
    assert_eq!(f.severity, Severity::Note);
    assert!(
        f.message
            .contains("accepts client certificates whose revocation it cannot check"),
        "{}",
        f.message
    );
    assert!(
        f.related.iter().all(|r| !r.location.path.ends_with(".reg")),
        "no NPS host lacks the value: {:?}",
        f.related
    );
}

#[test]
fn one_nps_host_without_the_value_keeps_the_error_and_names_only_that_host() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(FOUNDING, dir.path());
    std::fs::copy(
        PathBuf::from(MITIGATED).join("nps/NPS02.reg"),
        dir.path().join("nps/NPS02.reg"),
    )
    .unwrap();
    let report = scan(dir.path());
    let f = &report.findings[0];
    assert_eq!(f.severity, Severity::Error);
    let hosts: Vec<_> = f
        .related
        .iter()
        .filter(|r| r.location.path.ends_with(".reg"))
        .collect();
    assert_eq!(hosts.len(), 1);
    assert!(hosts[0].location.path.ends_with("nps/NPS01.reg"));
}

#[test]
fn without_nps_snapshots_the_message_says_the_settings_were_not_checked() {
    let report = scan(PathBuf::from(FOUNDING).join("certs"));
    let f = &report.findings[0];
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("holds no NPS registry snapshot"),
        "{}",
        f.message
    );
}

#[test]
fn founding_case_human_output() {
    insta::assert_snapshot!("founding-human", human(&scan(FOUNDING)));
    insta::assert_snapshot!("mitigated-human", human(&scan(MITIGATED)));
}

#[test]
fn founding_case_json_output() {
    let out = json(&scan(FOUNDING));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The contract's shape (docs/design.md): every key of a finding is present.
    let f = &v["findings"][0];
    for key in [
        "rule_id",
        "rule",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "byte_offset",
        "entity",
        "symptom",
        "related",
        "fingerprint",
    ] {
        assert!(f.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["version"], 1);
    assert_eq!(f["byte_offset"], 0);
    assert!(f["line"].is_null());
    assert_eq!(v["summary"]["errors"], 1);
    insta::assert_snapshot!("founding-json", out);
}

#[test]
fn output_bytes_do_not_depend_on_the_thread_count() {
    // The public sample corpus beside the checkout (as CI has it) gives thousands of findings
    // over every loader; testdata alone still exercises every rule.
    let mut paths = vec![PathBuf::from("testdata")];
    let samples = PathBuf::from("../shared/samples");
    if samples.is_dir() {
        paths.push(samples);
    }
    let limit = trustlint::DEFAULT_MAX_FILE_SIZE;
    let one = scan_with(&paths, Some(1), limit);
    let eight = scan_with(&paths, Some(8), limit);
    assert!(
        one.findings.len() >= 10,
        "got {} findings",
        one.findings.len()
    );
    assert_eq!(json(&one), json(&eight));
    assert_eq!(human(&one), human(&eight));
}

#[test]
fn fingerprints_survive_a_file_move() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        PathBuf::from(FOUNDING).join("certs/cloud-pki"),
        dir.path().join("elsewhere/renamed"),
    );
    let moved = scan(dir.path());
    let original = scan(PathBuf::from(FOUNDING).join("certs/cloud-pki"));
    assert_eq!(
        moved.findings[0].fingerprint,
        original.findings[0].fingerprint
    );
}

#[test]
fn a_version_1_trust_anchor_is_accepted_as_a_ca() {
    let dir = "testdata/scenarios/legacy-v1-root";
    let report = scan(dir);
    assert!(
        report.findings.is_empty(),
        "{:?}",
        common::rule_names(&report)
    );
    // The exemption is what keeps ca-without-basic-constraints quiet: the root is v1, has no
    // basicConstraints, and issued the client certificate.
    let options = common::options();
    let bundle = trustlint::load_bundle(&[dir.into()], &options);
    let root = bundle.certificates.iter().find(|c| c.self_signed).unwrap();
    assert_eq!(
        (
            root.data.version,
            root.data.basic_constraints,
            root.issued_count
        ),
        (1, None, 1)
    );
}

/// The deployment scenarios: a healthy one and one mistake each, with exactly the findings each
/// must produce (see each scenario's README.md).
const DEPLOYMENTS: [(&str, &[&str]); 7] = [
    ("healthy-deployment", &[SID_URI_NOTE]),
    (
        "vpn-pins-wrong-root",
        &[
            "eap-trusted-root-not-server-root",
            SID_URI_NOTE,
            "vpn-trusted-root-not-found",
        ],
    ),
    (
        "scep-issues-server-auth",
        &[
            "client-auth-eku-missing",
            "scep-profile-without-client-auth",
            SID_URI_NOTE,
        ],
    ),
    (
        "user-cert-without-strong-mapping",
        &["scep-profile-without-sid-uri", "strong-mapping-missing"],
    ),
    ("stale-crl", &["crl-expired", SID_URI_NOTE]),
    ("revoked-leaf", &["certificate-revoked", SID_URI_NOTE]),
    (
        "revocation-lifecycle",
        &[
            "crl-expires-soon",
            "delta-crl-url-plus-sign",
            "ocsp-with-broken-crl-fallback",
            SID_URI_NOTE,
        ],
    ),
];

/// The healthy deployment's SCEP profile writes the SID URI, whose domain-controller requirement
/// the bundle cannot settle: a note in every deployment but the one without the URI.
const SID_URI_NOTE: &str = "strong-mapping-sid-uri-needs-2019-kdc";

/// Issue 16's family scenarios beyond the deployments: several mistakes of one family in one
/// bundle, each producing exactly its finding (see each scenario's README.md).
const FAMILIES: [(&str, &[&str]); 2] = [
    (
        "cloud-pki-profiles",
        &[
            "byoca-ldap-cdp-aia",
            "scep-eku-not-in-cloud-ca",
            "scep-profile-mixes-ndes-and-cloud-pki",
            "scep-root-not-anchor-of-issuing-ca",
            "strong-mapping-sid-uri-needs-2019-kdc",
            "strong-mapping-sid-uri-needs-2019-kdc",
            "strong-mapping-sid-uri-needs-2019-kdc",
        ],
    ),
    (
        "client-profiles",
        &[
            "device-cert-for-entra-joined-devices",
            "eap-client-cert-filter-missing",
            "eap-trusted-root-not-on-nps",
            "eap-xml-wrong-namespace",
            "strong-mapping-sid-uri-needs-2019-kdc",
            "user-cert-without-upn-san",
        ],
    ),
];

#[test]
fn each_family_scenario_produces_exactly_its_findings() {
    for (name, expected) in FAMILIES {
        let report = scan(PathBuf::from("testdata/scenarios").join(name));
        let mut got = common::rule_names(&report);
        got.sort_unstable();
        assert_eq!(got, expected, "{name}");
        insta::assert_snapshot!(format!("family-{name}"), json(&report));
    }
}

#[test]
fn each_deployment_scenario_produces_exactly_its_findings() {
    for (name, expected) in DEPLOYMENTS {
        let report = scan(PathBuf::from("testdata/scenarios").join(name));
        let mut got = common::rule_names(&report);
        got.sort_unstable();
        assert_eq!(got, expected, "{name}");
        insta::assert_snapshot!(format!("deployment-{name}"), json(&report));
    }
}

#[test]
fn the_wrong_root_finding_names_the_pinned_line_and_the_repeat_inside_peap() {
    let report = scan("testdata/scenarios/vpn-pins-wrong-root");
    let f = report
        .findings
        .iter()
        .find(|f| &*f.rule_name == "vpn-trusted-root-not-found")
        .unwrap();
    assert!(f.location.path.ends_with("vpn/ProfileXML_User.xml"));
    let text =
        std::fs::read_to_string("testdata/scenarios/vpn-pins-wrong-root/vpn/ProfileXML_User.xml")
            .unwrap();
    let pinned: Vec<u32> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("<TrustedRootCA>"))
        .map(|(i, _)| u32::try_from(i + 1).unwrap())
        .collect();
    assert_eq!(pinned.len(), 2, "outer PEAP and inner TLS each pin it");
    assert_eq!(f.location.line, Some(pinned[0]));
    assert_eq!(f.related.len(), 1);
    assert_eq!(f.related[0].location.line, Some(pinned[1]));
}

#[test]
fn the_revoked_leaf_finding_points_at_the_crl_that_lists_it() {
    let report = scan("testdata/scenarios/revoked-leaf");
    let f = report
        .findings
        .iter()
        .find(|f| &*f.rule_name == "certificate-revoked")
        .unwrap();
    assert!(f.location.path.ends_with("users/alice.contoso.com.cer"));
    assert!(
        f.related[0]
            .location
            .path
            .ends_with("pki/Contoso Issuing CA.crl")
    );
}

#[test]
fn the_founding_case_as_exported_by_the_tools_gives_the_same_findings() {
    let exported = scan("testdata/scenarios/intune-as-exported");
    let graph = scan(FOUNDING);
    // The whole report, pinned: the finding, its related places, and the inventory of what was
    // read (every export shape by kind).
    insta::assert_snapshot!("intune-as-exported-json", common::json(&exported));
    // The Microsoft365DSC configuration also carries the SCEP profile, whose SID URI is a note
    // of its own (the Graph founding case has no SCEP profile); the rest is the same.
    let mut same = common::rule_names(&exported);
    same.retain(|r| *r != "strong-mapping-sid-uri-needs-2019-kdc");
    assert_eq!(same, common::rule_names(&graph));
    assert_eq!(
        exported.findings.len(),
        graph.findings.len() + 1,
        "one note for the SCEP profile"
    );
    assert_eq!(exported.findings[0].message, graph.findings[0].message);

    let options = common::options();
    let b = trustlint::load_bundle(&["testdata/scenarios/intune-as-exported".into()], &options);
    // The OMA-URI profile: named after its VPNv2 node, its EAP read, every position at the
    // setting's value (line 16 of the export).
    let vpn: Vec<_> = b.profiles.vpn_profiles.iter().collect();
    assert_eq!(
        vpn.len(),
        2,
        "the OMA-URI profile and the MakeProfile script"
    );
    let root = b.certificates.iter().find(|c| c.self_signed).unwrap();
    for (source, file, line) in [
        ("Intune OMA-URI", "AOVPN User Tunnel.json", 16),
        // The script's servers sit on line 8 of the UTF-16LE file, escapes undone.
        ("PowerShell script", "VPN_Profile.ps1", 4),
    ] {
        let p = vpn.iter().find(|p| p.data.source == source).unwrap();
        let v = &p.data;
        assert_eq!(v.name.as_deref(), Some("Contoso AlwaysOn"), "{source}");
        assert!(v.location.path.ends_with(file), "{source}");
        assert_eq!(v.location.line, Some(line), "{source}");
        assert_eq!(v.servers.len(), 1, "{source}");
        let eap = &b.profiles.eap_configs.get(p.eap.unwrap()).unwrap().data;
        let pinned: Vec<_> = eap
            .layers
            .iter()
            .flat_map(|l| &l.trusted_roots)
            .filter_map(|t| t.hex.clone())
            .collect();
        assert_eq!(
            pinned,
            [root.data.sha1.clone(), root.data.sha1.clone()],
            "{source}"
        );
    }
    let script = vpn
        .iter()
        .find(|p| p.data.source == "PowerShell script")
        .unwrap();
    assert_eq!(script.data.servers[0].location.line, Some(8));
    assert!(
        root.anchor_pinned,
        "the profile's pin makes the root a preferred anchor"
    );
    // The trusted root three times: the DSC resource and the SDK dump (one profile: same id,
    // same certificate; the first file by path is kept), and the IntuneCD YAML (no id).
    let trusted: Vec<_> = b.profiles.trusted_root_profiles.iter().collect();
    assert_eq!(trusted.len(), 2);
    for t in &trusted {
        assert_eq!(t.data.name.as_deref(), Some("Contoso Cloud PKI Root CA"));
        assert_eq!(
            t.certificate
                .and_then(|id| b.certificates.get(id))
                .map(|c| &c.data.sha1),
            Some(&root.data.sha1)
        );
    }
    let by_file = |name: &str| {
        trusted
            .iter()
            .find(|t| t.data.location.path.ends_with(name))
            .unwrap()
    };
    let dsc = by_file("M365TenantConfig.ps1");
    assert_eq!(
        dsc.data.id.as_deref(),
        Some("6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f")
    );
    // The resource's certificate sits on line 30 of the configuration.
    assert_eq!(
        dsc.data.certificate_location.as_ref().and_then(|l| l.line),
        Some(30)
    );
    let yaml = by_file("Contoso Cloud PKI Root CA_windows81TrustedRootCertificate.yaml");
    assert_eq!(yaml.data.id, None, "IntuneCD leaves ids out");
    assert_eq!(
        yaml.data.certificate_location.as_ref().and_then(|l| l.line),
        Some(10)
    );
    // The DSC SCEP profile: its root by RootCertificateId, its issuing CA by its SCEP URL.
    let scep: Vec<_> = b.profiles.certificate_profiles.iter().collect();
    assert_eq!(scep.len(), 1);
    let p = &scep[0];
    assert_eq!(p.data.name.as_deref(), Some("AOVPN User Certificate"));
    assert_eq!(
        p.root_certificate,
        b.certificates
            .iter_ids()
            .find(|(_, c)| c.self_signed)
            .map(|(id, _)| id)
    );
    assert_eq!(p.issuing_cas.len(), 1);
    assert_eq!(
        p.data.key_size.as_ref().map(|k| (k.value, k.location.line)),
        Some((2048, Some(65)))
    );
    // The SDK dump alone: PascalCase Id and DisplayName, the certificate under
    // AdditionalProperties.
    let sdk = trustlint::load_bundle(
        &["testdata/scenarios/intune-as-exported/intune/Contoso Cloud PKI Root CA (Get-MgDeviceManagementDeviceConfiguration).json".into()],
        &options,
    );
    let t = sdk.profiles.trusted_root_profiles.iter().next().unwrap();
    assert_eq!(
        (t.data.id.as_deref(), t.data.name.as_deref()),
        (
            Some("6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"),
            Some("Contoso Cloud PKI Root CA")
        )
    );
    assert_eq!(
        t.certificate
            .and_then(|id| sdk.certificates.get(id))
            .map(|c| &c.data.sha1),
        Some(&root.data.sha1)
    );
}

/// The NPS certificate was renewed and the policies were not (issue 15): both policies name
/// last year's certificate, which NPS01's My store no longer holds; the VPN and Wi-Fi profiles
/// pin the client certificates' root; the export still holds a RADIUS secret.
#[test]
fn nps_cert_renewed_shows_the_whole_join() {
    let dir = "testdata/scenarios/nps-cert-renewed";
    let report = scan(dir);
    let mut got = common::rule_names(&report);
    got.sort_unstable();
    assert_eq!(
        got,
        [
            "certificate-expired",
            "eap-trusted-root-not-server-root",
            "eap-trusted-root-not-server-root",
            "nps-export-contains-secrets",
            "nps-policy-server-cert-not-found",
            "nps-policy-server-cert-not-found",
            "strong-mapping-sid-uri-needs-2019-kdc",
        ]
    );
    let policies: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| &*f.rule_name == "nps-policy-server-cert-not-found")
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        policies.iter().any(|m| m.contains("'Always On VPN': PEAP"))
            && policies.iter().any(|m| m.contains("'Corp Wi-Fi': EAP-TLS"))
            && policies
                .iter()
                .all(|m| m
                    .contains("NPS01's exported My store no longer holds; it holds the renewal")),
        "{policies:?}"
    );
    let profiles: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| &*f.rule_name == "eap-trusted-root-not-server-root")
        .map(|f| &*f.location.path)
        .collect();
    assert!(
        profiles.iter().any(|p| p.ends_with("ProfileXML_User.xml"))
            && profiles.iter().any(|p| p.ends_with("Corp Wi-Fi.wifi.json")),
        "{profiles:?}"
    );
    insta::assert_snapshot!("nps-cert-renewed", json(&report));
    // The renewed certificate's chain names the policies that should present it (none: they
    // name last year's), and last year's names both.
    let last_year = format!("{dir}/servers/nps01.contoso.com-2025.cer");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .args(["chain", &last_year, dir, "--now", common::NOW])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("presented by NPS:")
            && text
                .contains("NPS01, policy 'Always On VPN' (PEAP): not in NPS01's exported My store")
            && text.contains("NPS01, policy 'Corp Wi-Fi' (EAP-TLS)"),
        "{text}"
    );
}
