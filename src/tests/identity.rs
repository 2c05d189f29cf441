//! Entity identities: what finding fingerprints, baselines and SARIF `partialFingerprints` rest
//! on. An entity with content of its own keeps its identity when its file moves and gets a new
//! one when the content that identifies it changes; `file` and `key` are named by their place.

#![allow(clippy::unwrap_used, reason = "test code")]

use super::common;

use std::collections::BTreeMap;
use std::path::Path;

use trustlint::engine::fields::{Scope, entities};

const SCENARIO: &str = "testdata/scenarios/healthy-deployment";

/// Identities by scope of every entity of the bundle under `dir`.
fn identities(dir: &Path) -> BTreeMap<&'static str, Vec<String>> {
    let bundle = trustlint::load_bundle(&[dir.to_path_buf()], &common::options());
    Scope::ALL
        .iter()
        .map(|&scope| {
            let mut ids: Vec<String> = entities(&bundle, scope)
                .iter()
                .map(|e| e.identity())
                .collect();
            ids.sort();
            (scope.name(), ids)
        })
        .collect()
}

/// The scenario copied to `to`, every folder under another name. Files that sit together stay
/// together: a host is the files of one name in one folder (an NPS01 snapshot and its NPS
/// export), so splitting them would make two hosts, not move one.
fn moved_copy(to: &Path) -> Result<(), Box<dyn std::error::Error>> {
    for e in walkdir::WalkDir::new(SCENARIO) {
        let e = e?;
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(SCENARIO)?;
            let folder = rel.parent().unwrap_or(Path::new(""));
            let dest = to.join("moved").join(folder.with_extension("d"));
            std::fs::create_dir_all(&dest)?;
            std::fs::copy(e.path(), dest.join(e.file_name()))?;
        }
    }
    Ok(())
}

#[test]
fn identities_survive_a_file_move_except_for_entities_named_by_their_place()
-> Result<(), Box<dyn std::error::Error>> {
    let here = tempfile::tempdir()?;
    common::copy_tree(SCENARIO, here.path());
    let there = tempfile::tempdir()?;
    moved_copy(there.path())?;
    let before = identities(here.path());
    let after = identities(there.path());
    for (scope, ids) in &before {
        match *scope {
            // Named by path: a moved file is another file.
            "file" | "key" => {
                if !ids.is_empty() {
                    assert_ne!(ids, &after[scope], "{scope}");
                }
            }
            _ => assert_eq!(ids, &after[scope], "{scope} identities moved with the file"),
        }
    }
    // The scenario has an entity of each content scope, so the comparison above means something.
    for scope in [
        "certificate",
        "crl",
        "registry_host",
        "registry_value",
        "vpn_profile",
        "eap_config",
        "eap_thumbprint",
        "server_name",
        "trusted_root_profile",
        "certificate_profile",
        "nps_server",
        "nps_policy",
        "nps_eap_method",
    ] {
        assert!(!before[scope].is_empty(), "{scope} has no entity");
    }
    Ok(())
}

#[test]
fn identities_change_with_the_content_that_identifies_the_entity()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    common::copy_tree(SCENARIO, dir.path());
    let before = identities(dir.path());
    // Another VPN gateway: the profile and its `Servers` entry are other entities; the EAP
    // configuration (methods, pinned roots, NPS names) is not.
    let profile = dir.path().join("vpn/ProfileXML_User.xml");
    let text = std::fs::read_to_string(&profile)?;
    std::fs::write(
        &profile,
        text.replace(
            "<Servers>vpn.contoso.com</Servers>",
            "<Servers>vpn2.contoso.com</Servers>",
        ),
    )?;
    let after = identities(dir.path());
    assert_ne!(before["vpn_profile"], after["vpn_profile"]);
    assert_ne!(before["server_name"], after["server_name"]);
    assert_eq!(before["eap_config"], after["eap_config"]);
    assert_eq!(before["certificate"], after["certificate"]);
    Ok(())
}
