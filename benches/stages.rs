//! Micro-benchmarks, one per stage, so that a regression shows where it is:
//!
//! ```sh
//! cargo bench --bench stages                 # everything
//! cargo bench --bench stages -- load         # the loaders only (a filter on names)
//! ```
//!
//! - `load::*`: each loader on one file of its kind (DER and PEM certificate, CRL, NPS .reg
//!   snapshot, ProfileXML, Intune export).
//! - `facts::build`: issuer resolution, chain building, revocation and profile joins over N
//!   loaded leaves of one issuing CA (signature checks included: they are most of it).
//! - `facts::same_subject`: path building over N CAs of one subject without key identifiers,
//!   the worst case of the issuer search (its budget keeps it linear).
//! - `rules::evaluate`: each built-in rule alone over the bundled scenarios.
//! - `report::*`: each reporter on the findings of the bundled scenarios.
//!
//! Whole-process figures against parse-floor and pkilint come from `benches/compare.sh`; see
//! docs/performance.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark set-up: a failure should stop the run loudly"
)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use divan::{Bencher, black_box};
use trustlint::pipeline::{Bundle, LoadedFile, load_bytes};
use trustlint::report::{RuleDoc, human, json};
use trustlint::{Report, Rule, ScanOptions};

mod corpus;

fn main() {
    divan::main();
}

/// The clock of every benchmark: inside the fixtures' validity windows.
const NOW: i64 = 1_780_272_000; // 2026-06-01T00:00:00Z

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
}

fn read(rel: &str) -> (Arc<str>, Vec<u8>) {
    let path = testdata(rel);
    (Arc::from(rel), std::fs::read(&path).unwrap())
}

fn pki() -> &'static corpus::Pki {
    static PKI: OnceLock<corpus::Pki> = OnceLock::new();
    PKI.get_or_init(corpus::Pki::new)
}

mod load {
    use super::*;

    fn bench_file(bencher: Bencher<'_, '_>, path: Arc<str>, bytes: Vec<u8>) {
        bencher
            .counter(divan::counter::BytesCount::new(bytes.len()))
            .bench(|| load_bytes(black_box(path.clone()), black_box(&bytes)));
    }

    #[divan::bench]
    fn der_certificate(bencher: Bencher<'_, '_>) {
        bench_file(bencher, Arc::from("user.cer"), pki().leaf(0, 1));
    }

    #[divan::bench]
    fn pem_certificate(bencher: Bencher<'_, '_>) {
        bench_file(
            bencher,
            Arc::from("user.crt"),
            corpus::pem(&pki().leaf(1, 1)),
        );
    }

    #[divan::bench]
    fn crl(bencher: Bencher<'_, '_>) {
        bench_file(bencher, Arc::from("issuing.crl"), pki().crl());
    }

    #[divan::bench]
    fn registry_snapshot(bencher: Bencher<'_, '_>) {
        let (path, bytes) = read("scenarios/healthy-deployment/nps/NPS01.reg");
        bench_file(bencher, path, bytes);
    }

    #[divan::bench]
    fn profile_xml(bencher: Bencher<'_, '_>) {
        let (path, bytes) = read("scenarios/healthy-deployment/vpn/ProfileXML_User.xml");
        bench_file(bencher, path, bytes);
    }

    #[divan::bench]
    fn intune_export(bencher: Bencher<'_, '_>) {
        let (path, bytes) =
            read("scenarios/healthy-deployment/intune/AOVPN User Certificate.scep.json");
        bench_file(bencher, path, bytes);
    }
}

mod facts {
    use super::*;

    /// The root, the issuing CA, its CRL and `n` leaves, as files.
    fn files(n: usize) -> Vec<(Arc<str>, Vec<u8>)> {
        let p = pki();
        let mut files = vec![
            (Arc::from("root.cer"), p.root.clone()),
            (Arc::from("issuing.cer"), p.issuing.clone()),
            (Arc::from("issuing.crl"), p.crl()),
        ];
        for i in 0..n {
            files.push((Arc::from(format!("user{i:06}.cer")), p.leaf(i, 1)));
        }
        files
    }

    /// Fact building over `files`, loaded afresh for each sample, counted as `n` items.
    fn bench_bundle(bencher: Bencher<'_, '_>, files: &[(Arc<str>, Vec<u8>)], n: usize) {
        bencher
            .counter(divan::counter::ItemsCount::new(n))
            .with_inputs(|| -> Vec<LoadedFile> {
                files
                    .iter()
                    .map(|(path, bytes)| load_bytes(path.clone(), bytes))
                    .collect()
            })
            .bench_values(|loaded| trustlint::pipeline::bundle(loaded, NOW));
    }

    #[divan::bench(args = [100, 1000])]
    fn build(bencher: Bencher<'_, '_>, n: usize) {
        bench_bundle(bencher, &files(n), n);
    }

    /// The first `n` of the 500 same-subject CAs without key identifiers
    /// (testdata/scenarios/same-subject-500): each certificate's issuer search meets `n - 1`
    /// candidates that only a signature tells apart. The budget keeps it linear in `n`: compare
    /// the per-item times across the arguments (issue 12: 500 under 0.5 s for the whole scan).
    #[divan::bench(args = [125, 250, 500])]
    fn same_subject(bencher: Bencher<'_, '_>, n: usize) {
        let (_, bytes) = read("scenarios/same-subject-500/certs/woodgrove-rollover-cas.pem");
        let files: Vec<(Arc<str>, Vec<u8>)> = pem::parse_many(&bytes)
            .unwrap()
            .into_iter()
            .take(n)
            .enumerate()
            .map(|(i, p)| (Arc::from(format!("ca{i:03}.cer")), p.into_contents()))
            .collect();
        bench_bundle(bencher, &files, n);
    }
}

/// The built-in rules and a bundle of every bundled scenario.
fn scenarios() -> &'static (Vec<Rule>, Bundle) {
    static SCENARIOS: OnceLock<(Vec<Rule>, Bundle)> = OnceLock::new();
    SCENARIOS.get_or_init(|| {
        let rules = trustlint::load_rules(&[]).unwrap();
        let options = ScanOptions {
            now: NOW,
            ..ScanOptions::default()
        };
        let bundle = trustlint::load_bundle(&[testdata("scenarios")], &options);
        (rules, bundle)
    })
}

mod rules {
    use super::*;

    fn names() -> Vec<&'static str> {
        scenarios().0.iter().map(|r| &*r.name).collect()
    }

    #[divan::bench(args = names())]
    fn evaluate(bencher: Bencher<'_, '_>, name: &str) {
        let (rules, bundle) = scenarios();
        let rule = rules.iter().find(|r| &*r.name == name).unwrap();
        let one = std::slice::from_ref(rule);
        bencher.bench(|| trustlint::pipeline::evaluate(black_box(one), black_box(bundle)));
    }
}

mod report {
    use super::*;

    fn report() -> &'static (Report, Vec<RuleDoc>) {
        static REPORT: OnceLock<(Report, Vec<RuleDoc>)> = OnceLock::new();
        REPORT.get_or_init(|| {
            let (rules, _) = scenarios();
            let options = ScanOptions {
                now: NOW,
                record_checks: true,
                record_graph: true,
                ..ScanOptions::default()
            };
            let report = trustlint::scan(&[testdata("scenarios")], rules, &options).unwrap();
            let docs = rules.iter().map(trustlint::docs::rule_doc).collect();
            (report, docs)
        })
    }

    fn render(bencher: Bencher<'_, '_>, f: impl Fn(&Report, &[RuleDoc], &mut Vec<u8>) + Sync) {
        let (report, docs) = report();
        bencher.bench(|| {
            let mut out = Vec::with_capacity(1 << 20);
            f(black_box(report), docs, &mut out);
            out
        });
    }

    #[divan::bench]
    fn human(bencher: Bencher<'_, '_>) {
        let options = human::HumanOptions::default();
        render(bencher, |r, _, out| {
            human::render(r, &options, out).unwrap()
        });
    }

    #[divan::bench]
    fn json(bencher: Bencher<'_, '_>) {
        render(bencher, |r, _, out| json::render(r, out).unwrap());
    }

    #[divan::bench]
    fn sarif(bencher: Bencher<'_, '_>) {
        render(bencher, |r, d, out| {
            trustlint::report::sarif::render(r, d, out).unwrap();
        });
    }

    #[divan::bench]
    fn junit(bencher: Bencher<'_, '_>) {
        render(bencher, |r, _, out| {
            trustlint::report::junit::render(r, out).unwrap();
        });
    }

    #[divan::bench]
    fn github(bencher: Bencher<'_, '_>) {
        render(bencher, |r, _, out| {
            trustlint::report::github::render(r, out).unwrap();
        });
    }

    #[divan::bench]
    fn html(bencher: Bencher<'_, '_>) {
        render(bencher, |r, _, out| {
            trustlint::report::html::render(r, out).unwrap();
        });
    }
}
