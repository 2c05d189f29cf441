//! NPS configuration exports joined with the rest of the bundle (issue 15): an NPS server known
//! only from its export is an NPS host the founding rule names, and a server that forwards RADIUS
//! requests (an RRAS server in front of NPS) is named as the proxy that needs the value too.

#![allow(clippy::unwrap_used, reason = "test code")]

use std::fs;
use std::path::Path;

use crate::common;

const FOUNDING: &str = "testdata/scenarios/cloud-pki-aovpn";

/// An NPS export with one connection request policy; `forward_to` makes it a RADIUS proxy that
/// forwards to a remote server group holding that address.
fn export(forward_to: Option<&str>) -> String {
    let dt = "xmlns:dt=\"urn:schemas-microsoft-com:datatypes\"";
    let (provider, group) = match forward_to {
        Some(address) => (
            format!(
                "<msAuthProviderType {dt} dt:dt=\"int\">2</msAuthProviderType><msAuthProviderName {dt} dt:dt=\"string\">NPS servers</msAuthProviderName>"
            ),
            format!(
                "<NPS_servers name=\"NPS servers\"><Children><S name=\"{address}\"><Properties><Address {dt} dt:dt=\"string\">{address}</Address><Authentication_Secret {dt} dt:dt=\"string\"></Authentication_Secret></Properties></S></Children></NPS_servers>"
            ),
        ),
        None => (
            format!("<msAuthProviderType {dt} dt:dt=\"int\">1</msAuthProviderType>"),
            String::new(),
        ),
    };
    format!(
        "<?xml version=\"1.0\"?>\n<Root xmlns:dt=\"urn:schemas-microsoft-com:datatypes\">\n<Children>\n<Microsoft_Internet_Authentication_Service name=\"Microsoft_Internet_Authentication_Service\">\n<Children>\n<Proxy_Policies name=\"Proxy_Policies\"><Children><VPN name=\"VPN\"><Properties><Policy_Enabled {dt} dt:dt=\"boolean\">1</Policy_Enabled><msNPAction {dt} dt:dt=\"string\">VPN</msNPAction><msNPConstraint {dt} dt:dt=\"string\">MATCH(\"NAS-Port-Type=^5$\")</msNPConstraint><msNPSequence {dt} dt:dt=\"int\">1</msNPSequence></Properties></VPN></Children></Proxy_Policies>\n<Proxy_Profiles name=\"Proxy_Profiles\"><Children><VPN name=\"VPN\"><Properties>{provider}</Properties></VPN></Children></Proxy_Profiles>\n<RADIUS_Server_Groups name=\"RADIUS_Server_Groups\"><Children>{group}</Children></RADIUS_Server_Groups>\n</Children>\n</Microsoft_Internet_Authentication_Service>\n</Children>\n</Root>\n"
    )
}

fn founding_without_registry(dir: &Path) {
    common::copy_tree(FOUNDING, dir);
    fs::remove_dir_all(dir.join("nps")).unwrap();
    fs::create_dir_all(dir.join("nps")).unwrap();
}

#[test]
fn an_nps_server_known_from_its_export_is_named_by_the_founding_rule() {
    let dir = tempfile::tempdir().unwrap();
    founding_without_registry(dir.path());
    fs::write(dir.path().join("nps/NPS01_npsconfig.txt"), export(None)).unwrap();
    let report = common::scan(dir.path());
    let f = report
        .findings
        .iter()
        .find(|f| &*f.rule_name == "issuing-ca-without-cdp")
        .unwrap();
    assert!(
        f.message.contains(
            "the bundle holds their NPS configuration but no snapshot of their EAP\\13 key"
        ),
        "{}",
        f.message
    );
    assert!(
        f.related.iter().any(|r| r
            .message
            .starts_with("NPS host NPS01 (from its NPS configuration export)")),
        "{:?}",
        f.related
    );
}

#[test]
fn a_radius_proxy_is_named_as_a_host_that_needs_the_value_too() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(FOUNDING, dir.path());
    // NPS01 and NPS02 set the value; RRAS01, which forwards to NPS01, does not.
    for host in ["NPS01", "NPS02"] {
        let text = common::nps_reg_text(host, "\"IgnoreNoRevocationCheck\"=dword:00000001\n");
        fs::write(dir.path().join(format!("nps/{host}.reg")), text).unwrap();
    }
    fs::write(
        dir.path().join("nps/RRAS01.reg"),
        common::nps_reg_text("RRAS01", ""),
    )
    .unwrap();
    fs::write(
        dir.path().join("nps/RRAS01_npsconfig.txt"),
        export(Some("10.0.0.5")),
    )
    .unwrap();
    let report = common::scan(dir.path());
    let f = report
        .findings
        .iter()
        .find(|f| &*f.rule_name == "issuing-ca-without-cdp")
        .unwrap();
    assert!(
        f.related.iter().any(|r| r
            .message
            .starts_with("RRAS01 forwards RADIUS requests to 10.0.0.5")),
        "{:?}",
        f.related
    );
    // Without the forwarding policy RRAS01 is an NPS host like the others, not a proxy.
    fs::write(dir.path().join("nps/RRAS01_npsconfig.txt"), export(None)).unwrap();
    let report = common::scan(dir.path());
    let f = report
        .findings
        .iter()
        .find(|f| &*f.rule_name == "issuing-ca-without-cdp")
        .unwrap();
    assert!(
        !f.related.iter().any(|r| r.message.contains("forwards")),
        "{:?}",
        f.related
    );
}
