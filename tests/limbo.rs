//! x509-limbo (../shared/samples/certs/limbo/, the path-validation suite rustls-webpki and
//! pyca/cryptography test against) as a corpus for path building: each path-building, pathlen,
//! CRL, pathological and RFC 5280 chain case becomes a bundle (its trusted certificates, its
//! intermediates, its CRLs, the peer certificate) scanned at its validation time, and
//! trustlint's verdict is compared with the suite's expected result. The agreement is pinned;
//! every disagreement is listed in docs/chain-building.md with its reason (most are checks a
//! TLS verifier makes that a bundle linter does not: the peer name, a caller's depth limit).
//!
//! trustlint's verdict on the peer certificate: its chosen chain ends at a certificate the case
//! trusts, and no chain finding (chain-incomplete, path-length-exceeded,
//! certificate-signature-invalid, ca-without-basic-constraints, unknown-critical-extension,
//! certificate-expired, certificate-not-yet-valid, certificate-revoked,
//! issuer-search-exhausted, name-constraints-violated, ca-eku-excludes-server-auth: the suite's
//! peers are TLS servers) is on a certificate of that chain, and no CRL of the case is
//! unusable (crl-issuer-without-crl-sign: revocation cannot be checked).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::print_stderr,
    reason = "test code: a failure names the case"
)]

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
use std::sync::Arc;

use serde_json::Value;
use trustlint::pipeline::{LoadedFile, bundle, evaluate, load_bytes};

const LIMBO: &str = "certs/limbo/limbo-2026-06-29.json.gz";

/// The rules whose findings on a chain make trustlint reject it.
const CHAIN_RULES: [&str; 11] = [
    "chain-incomplete",
    "name-constraints-violated",
    "ca-eku-excludes-server-auth",
    "path-length-exceeded",
    "certificate-signature-invalid",
    "ca-without-basic-constraints",
    "unknown-critical-extension",
    "certificate-expired",
    "certificate-not-yet-valid",
    "certificate-revoked",
    "issuer-search-exhausted",
];

/// The cases of the families issue 12 names: path building (BetterTLS and RFC 5280's
/// alternate-chain cases), pathlen, CRL and pathological.
fn in_scope(id: &str) -> bool {
    id.starts_with("bettertls::pathbuilding::")
        || id.starts_with("pathlen::")
        || id.starts_with("crl::")
        || id.starts_with("pathological::")
        || (id.starts_with("rfc5280::")
            && ["chain", "cross", "swapped", "intermediate", "root-"]
                .iter()
                .any(|w| id.contains(w)))
}

fn pems(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// trustlint's verdict on one case: `true` when it accepts the peer's chain.
fn verdict(case: &Value) -> bool {
    let now = case["validation_time"]
        .as_str()
        .map_or_else(common::now, |t| {
            trustlint::clock::parse_rfc3339(&t.replace("+00:00", "Z")).unwrap()
        });
    let mut files: Vec<LoadedFile> = Vec::new();
    let mut add = |name: String, pem: &str| {
        files.push(load_bytes(Arc::<str>::from(name), pem.as_bytes()));
    };
    let trusted = pems(&case["trusted_certs"]);
    for (i, p) in trusted.iter().enumerate() {
        add(format!("trusted{i}.pem"), p);
    }
    for (i, p) in pems(&case["untrusted_intermediates"]).iter().enumerate() {
        add(format!("intermediate{i}.pem"), p);
    }
    for (i, p) in pems(&case["crls"]).iter().enumerate() {
        add(format!("crl{i}.pem"), p);
    }
    add(
        "peer.pem".to_owned(),
        case["peer_certificate"].as_str().unwrap_or_default(),
    );
    let b = bundle(files, now);
    let trusted_hashes: BTreeSet<String> = trusted
        .iter()
        .filter_map(|p| pem::parse(p).ok())
        .map(|p| common::sha256_hex(p.contents()))
        .collect();
    let Some(peer) = b
        .certificates
        .iter()
        .find(|c| &*c.data.location.path == "peer.pem")
    else {
        return false; // the peer did not parse: rejected
    };
    let chain: BTreeSet<String> = peer
        .chain
        .iter()
        .filter_map(|&id| b.certificates.get(id))
        .map(|c| format!("certificate sha256:{}", c.data.sha256))
        .collect();
    let anchored = peer.chain_complete
        && peer
            .chain
            .last()
            .and_then(|&id| b.certificates.get(id))
            .is_some_and(|root| trusted_hashes.contains(&root.data.sha256));
    let findings = evaluate(common::rules(), &b);
    anchored
        && !findings.iter().any(|f| {
            (CHAIN_RULES.contains(&&*f.rule_name) && chain.contains(&f.entity))
                || &*f.rule_name == "crl-issuer-without-crl-sign"
        })
}

#[test]
fn limbo_path_building_agreement_is_pinned() {
    let path = common::sample(LIMBO);
    let Ok(file) = std::fs::File::open(&path) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing",
            path.display()
        );
        eprintln!("skipped: {} is not present", path.display());
        return;
    };
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap();
    let limbo: Value = serde_json::from_str(&text).unwrap();
    let mut disagreements: BTreeMap<String, &str> = BTreeMap::new();
    let mut total = 0;
    for case in limbo["testcases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        if !in_scope(id) {
            continue;
        }
        total += 1;
        let expected = case["expected_result"] == "SUCCESS";
        if verdict(case) != expected {
            disagreements.insert(id.to_owned(), if expected { "rejects" } else { "accepts" });
        }
    }
    let agreed = total - disagreements.len();
    eprintln!("limbo: {agreed} of {total} agree");
    insta::assert_yaml_snapshot!("limbo-disagreements", (total, agreed, disagreements));
}
