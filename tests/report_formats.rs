//! The CI formats: SARIF 2.1.0 (validated for real by `.ci/validate-sarif` with Microsoft's
//! Multitool; here, the shape GitHub code scanning relies on).

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

mod common;

use serde_json::Value;

const FOUNDING: &str = "testdata/scenarios/cloud-pki-aovpn";

#[test]
fn sarif_describes_every_rule_and_locates_every_result() {
    let sarif = common::sarif(&common::scan(FOUNDING));
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), common::rules().len());
    for r in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                r[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{key} of {}",
                r["id"]
            );
        }
        assert!(
            r["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("Why it matters")
        );
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "TL1001");
    let index = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
    assert_eq!(rules[index]["id"], "TL1001");
    assert_eq!(r["level"], "error");
    assert!(r["message"]["text"].as_str().unwrap().contains("lacks CDP"));
    let loc = &r["locations"][0]["physicalLocation"];
    // Spaces in file names are percent-encoded; the base is the directory trustlint ran in.
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "testdata/scenarios/cloud-pki-aovpn/certs/cloud-pki/Contoso%20Cloud%20PKI%20Issuing%20CA.cer"
    );
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    // A binary file: a byte region.
    assert_eq!(loc["region"]["byteOffset"], 0);
    // Related: the Cloud PKI export (JSON, a line region) and both NPS snapshots.
    let related = r["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 3);
    assert_eq!(related[1]["physicalLocation"]["region"]["startLine"], 5);
    assert!(
        related[1]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("NPS01")
    );
    assert!(
        r["partialFingerprints"]["trustlintFingerprint/v1"]
            .as_str()
            .is_some()
    );
    insta::assert_json_snapshot!("sarif-founding", sarif);
}

fn fingerprint_of(sarif: &Value) -> Value {
    sarif["runs"][0]["results"][0]["partialFingerprints"].clone()
}

#[test]
fn sarif_fingerprints_survive_a_file_move() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(FOUNDING, dir.path());
    let before = fingerprint_of(&common::sarif(&common::scan(dir.path())));
    let certs = dir.path().join("certs/cloud-pki");
    std::fs::rename(
        certs.join("Contoso Cloud PKI Issuing CA.cer"),
        dir.path().join("moved-issuing.cer"),
    )
    .unwrap();
    let after = common::sarif(&common::scan(dir.path()));
    assert!(
        after["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("moved-issuing.cer")
    );
    assert_eq!(fingerprint_of(&after), before);
}
