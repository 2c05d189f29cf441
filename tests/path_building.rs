//! Path building (issue 12): the bridge-mesh, same-key renewal, cycle and same-subject
//! scenarios of testdata/scenarios, and the real Federal PKI bundles of ../shared/samples: each
//! chain is the one Windows would rank best, and no chain finding rests on a path it would not
//! choose.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: each failure names what was missing"
)]

use crate::common;

use std::path::Path;

use trustlint::pipeline::Bundle;

fn bundle(paths: &[&Path]) -> Bundle {
    let paths: Vec<_> = paths.iter().map(|p| p.to_path_buf()).collect();
    trustlint::load_bundle(&paths, &common::options())
}

/// The chain of the certificate first seen in a file whose path ends with `file`, as
/// (display name, file name of each element).
fn chain_of(b: &Bundle, file: &str) -> Vec<(String, String)> {
    let start = b
        .certificates
        .iter()
        .find(|c| c.data.location.path.ends_with(file))
        .unwrap_or_else(|| panic!("no certificate from {file}"));
    start
        .chain
        .iter()
        .map(|&id| {
            let c = b.certificates.get(id).expect("chain ids name certificates");
            let name = Path::new(&*c.data.location.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (c.display_name().to_owned(), name)
        })
        .collect()
}

/// Scans `dir` and checks that its only finding is certificate-expired, on the file whose path
/// ends with `file`.
fn only_expired(dir: &Path, file: &str) {
    let report = common::scan(dir);
    assert_eq!(common::rule_names(&report), ["certificate-expired"]);
    assert!(report.findings[0].location.path.ends_with(file));
}

fn files(chain: &[(String, String)]) -> Vec<&str> {
    chain.iter().map(|(_, f)| f.as_str()).collect()
}

#[test]
fn bridge_mesh_takes_the_direct_path_and_reports_only_the_expired_cross_certificate() {
    let dir = Path::new("testdata/scenarios/bridge-mesh");
    only_expired(dir, "bridge-from-fabrikam-2018-expired.cer");
    let b = bundle(&[dir]);
    assert_eq!(
        files(&chain_of(&b, "alice.cer")),
        [
            "alice.cer",
            "northwind-issuing-ca.cer",
            "northwind-root-ca.cer"
        ]
    );
    // The bridge reaches a root both ways; each cross-certificate chains to its own issuer's
    // root, never through the expired one.
    for (file, root) in [
        ("bridge-from-fabrikam.cer", "fabrikam-root-ca.cer"),
        ("bridge-from-northwind.cer", "northwind-root-ca.cer"),
    ] {
        assert_eq!(files(&chain_of(&b, file)), [file, root]);
    }
}

#[test]
fn a_pinned_root_is_preferred_through_the_current_cross_certificate() {
    let dir = Path::new("testdata/scenarios/bridge-mesh-pinned");
    // No path-length-exceeded: the expired cross-certificate with pathlen 0 is an alternative
    // the chain does not take.
    only_expired(dir, "bridge-from-fabrikam-2018-expired.cer");
    let b = bundle(&[dir]);
    assert_eq!(
        files(&chain_of(&b, "alice.cer")),
        [
            "alice.cer",
            "northwind-issuing-ca.cer",
            "northwind-from-bridge.cer",
            "bridge-from-fabrikam.cer",
            "fabrikam-root-ca.cer"
        ]
    );
    let pinned: Vec<&str> = b
        .certificates
        .iter()
        .filter(|c| c.anchor_pinned)
        .map(|c| c.display_name())
        .collect();
    assert_eq!(pinned, ["Fabrikam Root CA"]);
}

#[test]
fn a_root_renewed_with_the_same_key_anchors_at_its_current_certificate() {
    let dir = Path::new("testdata/scenarios/same-key-renewal");
    only_expired(dir, "litware-root-ca-2014.cer");
    let b = bundle(&[dir]);
    let chain = chain_of(&b, "litware-issuing-ca.cer");
    assert_eq!(
        files(&chain),
        ["litware-issuing-ca.cer", "litware-root-ca-2024.cer"]
    );
    let issuing = b
        .certificates
        .iter()
        .find(|c| c.display_name() == "Litware Issuing CA")
        .expect("issuing CA");
    assert_eq!(
        issuing.issuer_edges.len(),
        2,
        "both root certificates verify it"
    );
}

#[test]
fn a_cycle_is_reported_on_each_certificate_of_the_cycle_and_nowhere_else() {
    let dir = Path::new("testdata/scenarios/cross-certificate-cycle");
    let report = common::scan(dir);
    let found: Vec<(&str, &str)> = report
        .findings
        .iter()
        .map(|f| {
            let file = f.location.path.rsplit('/').next().unwrap_or_default();
            (&*f.rule_name, file)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("chain-incomplete", "tailspin-a-from-c.cer"),
            ("chain-incomplete", "tailspin-c-from-a.cer"),
        ]
    );
    assert!(report.findings[0].message.contains("cycle"));
    let b = bundle(&[dir]);
    assert_eq!(
        files(&chain_of(&b, "alice.cer")),
        [
            "alice.cer",
            "tailspin-issuing-ca-b.cer",
            "tailspin-a-from-c.cer",
            "tailspin-c-from-a.cer"
        ]
    );
}

#[test]
fn five_hundred_same_subject_cas_end_in_budget_findings_not_a_hang() {
    let dir = Path::new("testdata/scenarios/same-subject-500");
    let report = common::scan(dir);
    let names = common::rule_names(&report);
    assert!(
        names.iter().all(|n| *n == "issuer-search-exhausted"),
        "{names:?}"
    );
    let b = bundle(&[dir]);
    assert_eq!(b.certificates.len(), 500);
    let exhausted = b
        .certificates
        .iter()
        .filter(|c| c.issuer_search_exhausted)
        .count();
    // Every certificate whose issuer is not among the first keys it may try: 16 per
    // certificate, fewer when the scan's budget cannot give all of them 16. Here 499
    // certificates would spend 15 Ed25519 checks each past their first (7,485) and the scan
    // has 4,096 + 4 × 500 = 6,096, so each may try 13 keys (12 × 499 = 5,988). Pinned, since
    // the candidate order is by content and the files are generated byte for byte (483 with
    // 16 keys each before the scan's budget).
    assert_eq!((names.len(), exhausted), (486, 486));
    // The ones whose issuer was found chain correctly: each to the key before its own.
    let found = b
        .certificates
        .iter()
        .filter(|c| !c.self_signed && c.issuer.is_some())
        .count();
    assert_eq!(found, 500 - 1 - 486);
}

#[test]
fn the_federal_bridge_chains_to_the_self_signed_common_policy_root() {
    let fpki = common::sample("real-world/fpki");
    if !fpki.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing",
            fpki.display()
        );
        return;
    }
    let b = bundle(&[&fpki]);
    let chain = chain_of(&b, "federal_bridge_ca_g4.cer");
    let root = b
        .certificates
        .get(
            *b.certificates
                .iter()
                .find(|c| c.data.location.path.ends_with("federal_bridge_ca_g4.cer"))
                .expect("FBCA G4")
                .chain
                .last()
                .expect("a chain"),
        )
        .expect("root");
    assert_eq!(chain.len(), 2);
    assert!(root.self_signed);
    assert_eq!(root.display_name(), "Federal Common Policy CA G2");
    assert_eq!(root.data.sha1, "99b4251e2eee05d8292e8397a90165293d116028");

    let report = common::scan(&fpki);
    let mut by_rule = std::collections::BTreeMap::<&str, usize>::new();
    for f in &report.findings {
        *by_rule.entry(&f.rule_name).or_default() += 1;
    }
    // Read as an expert would (docs/chain-building.md, "Federal PKI"): no path-length finding
    // (each came from an expired cross-certificate path a valid one beats); two CAs that do
    // outlive the issuer on their best path; three CAs whose issuers are not in the bundle; no
    // name-constraint finding on the cross-certificates members issued to the bridges (their
    // chains cycle back through their own CA from the Common Policy root).
    assert_eq!(by_rule.get("path-length-exceeded"), None);
    assert_eq!(by_rule.get("validity-exceeds-issuer"), Some(&2));
    assert_eq!(by_rule.get("chain-incomplete"), Some(&3));
    assert_eq!(by_rule.get("name-constraints-violated"), None);
}

/// Every certificate's chain, issuers and chain end, by SHA-256: what a change of thread count
/// or file order must not move.
fn chains_by_content(b: &Bundle) -> Vec<(String, Vec<String>, usize, String)> {
    let sha = |id| {
        b.certificates
            .get(id)
            .map(|c| c.data.sha256.clone())
            .unwrap_or_default()
    };
    b.certificates
        .iter()
        .map(|c| {
            (
                c.data.sha256.clone(),
                c.chain.iter().map(|&id| sha(id)).collect(),
                c.issuer_edges.len(),
                c.chain_end.name().to_owned(),
            )
        })
        .collect()
}

#[test]
fn chains_do_not_depend_on_thread_count_or_file_order() {
    let mut dirs = vec![
        Path::new("testdata/scenarios/bridge-mesh-pinned").to_path_buf(),
        Path::new("testdata/scenarios/same-subject-500").to_path_buf(),
        Path::new("testdata/scenarios/cross-certificate-cycle").to_path_buf(),
    ];
    let fpki = common::sample("real-world/fpki");
    if fpki.is_dir() {
        dirs.push(fpki);
    }
    let mut files: Vec<(std::sync::Arc<str>, Vec<u8>)> = Vec::new();
    for d in &dirs {
        for e in walkdir::WalkDir::new(d).sort_by_file_name() {
            let e = e.expect("walk");
            if !e.file_type().is_file() {
                continue;
            }
            let bytes = std::fs::read(e.path()).expect("read");
            let name = e.path().to_string_lossy();
            // A PEM bundle becomes one file per certificate, so that renaming moves each.
            match pem::parse_many(&bytes) {
                Ok(blocks) if blocks.len() > 1 && name.ends_with(".pem") => {
                    for (k, block) in blocks.iter().enumerate() {
                        files.push((
                            format!("{name}.{k:03}.pem").into(),
                            pem::encode(block).into(),
                        ));
                    }
                }
                _ => files.push((name.into(), bytes)),
            }
        }
    }
    // `renamed`: each file gets a name that sorts in the opposite order (the bundle orders files
    // by path, so only new names change the order it sees them in).
    let build = |threads: usize, renamed: bool| {
        let n = files.len();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        pool.install(|| {
            let loaded = files
                .iter()
                .enumerate()
                .map(|(i, (p, b))| {
                    let path: std::sync::Arc<str> = if renamed {
                        let ext = Path::new(&**p)
                            .extension()
                            .map(|e| e.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        format!("f{:05}.{ext}", n - i).into()
                    } else {
                        p.clone()
                    };
                    trustlint::pipeline::load_bytes(path, b)
                })
                .collect();
            chains_by_content(&trustlint::pipeline::bundle(loaded, common::now()))
        })
    };
    let one = build(1, false);
    assert!(one.len() > 600, "{} certificates", one.len());
    assert_eq!(one, build(4, false), "4 threads");
    assert_eq!(
        one,
        build(2, true),
        "2 threads, files renamed into reverse order"
    );
}

/// The scan's signature budget is shared out before any check: where it binds, what each
/// certificate may try, and so every finding, is the same for any number of threads.
#[test]
fn the_scan_budget_binds_the_same_way_for_any_thread_count() {
    let dir = Path::new("testdata/scenarios/same-subject-500");
    let one = common::json(&common::scan_with(
        &[dir.to_path_buf()],
        Some(1),
        trustlint::DEFAULT_MAX_FILE_SIZE,
    ));
    for threads in [2, 8] {
        let many = common::json(&common::scan_with(
            &[dir.to_path_buf()],
            Some(threads),
            trustlint::DEFAULT_MAX_FILE_SIZE,
        ));
        assert!(one == many, "-j 1 and -j {threads} differ");
    }
    assert_eq!(one.matches("\"issuer-search-exhausted\"").count(), 486);
}
