//! Deterministic mutation test: every fixture of `testdata/` and every real export the loader
//! tests read (`common::REAL_EXPORTS`) is mutated (bit flips, truncations, splices from other
//! fixtures, encoding swaps, duplicated blocks) with a fixed seed, and each mutant is linted
//! beside a reference bundle, in memory. No panic; a mutant either parses or has its own
//! `unparseable-file` finding; and the reference bundle's findings are the same as without the
//! mutant.
//!
//! The reference is the NIST PKITS sample, whose keys no other fixture shares: the generated
//! fixtures all use the same TEST ONLY keys, so a mutant of one of them is a legitimate issuer
//! of another (same key) and changes its chain, as it would for Windows. Bounded (a few thousand
//! mutants) to stay well under a minute in CI; the fuzz targets in `fuzz/` go further.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

use super::common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use trustlint::facts::Bundle;
use trustlint::load::{FileProblem, LoadedFile, load_bytes};

/// The reference bundle: the PKITS CAs and CRLs, a PKITS end entity (so the bundle has a
/// client-auth leaf whatever the mutants add), and an NPS snapshot (so the NPS coverage is known
/// whatever the mutants add). A mutant cannot change those bundle-wide facts.
fn reference_paths() -> Vec<PathBuf> {
    let mut paths = common::pkits();
    paths.push(common::sample(
        "certs/pkits/certs/ValidCertificatePathTest1EE.crt",
    ));
    paths.push(PathBuf::from(
        "testdata/rules/nps-revocation-check-disabled/pass/nps/NPS01.reg",
    ));
    paths.sort();
    paths
}
const SEED: u64 = 0x7275_7374_6c69_6e74; // "rustlint"
const MUTANTS_PER_FILE: usize = 12;

/// xorshift64*: small, fixed, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::try_from(self.next() % u64::try_from(n).unwrap_or(u64::MAX)).unwrap_or(0)
        }
    }
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    // A folder that cannot be read adds nothing; the fixture count is asserted below.
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_below(&p, out);
        } else if p.extension().is_some_and(|x| x != "md" && x != "snap") {
            out.push(p);
        }
    }
}

fn in_reference(p: &Path) -> bool {
    reference_files()
        .iter()
        .any(|(name, _)| p == Path::new(&**name))
}

fn mutate(bytes: &[u8], donor: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut v = bytes.to_vec();
    match rng.below(5) {
        // Flip a few bits.
        0 => {
            for _ in 0..=rng.below(4) {
                if !v.is_empty() {
                    let i = rng.below(v.len());
                    v[i] ^= 1 << rng.below(8);
                }
            }
        }
        // Cut it short.
        1 => v.truncate(rng.below(v.len())),
        // Splice in a piece of another fixture.
        2 => {
            let at = rng.below(v.len());
            let from = rng.below(donor.len());
            let len = rng.below(donor.len() - from.min(donor.len())).min(512);
            let piece = donor[from..from + len].to_vec();
            v.splice(at..at, piece);
        }
        // Swap the text encoding: UTF-8 to UTF-16LE with a BOM, or back.
        3 => {
            v = match v.as_slice() {
                [0xFF, 0xFE, rest @ ..] => {
                    rest.chunks(2).filter_map(|c| c.first().copied()).collect()
                }
                _ => {
                    let mut out = vec![0xFF, 0xFE];
                    out.extend(
                        String::from_utf8_lossy(&v)
                            .encode_utf16()
                            .flat_map(u16::to_le_bytes),
                    );
                    out
                }
            }
        }
        // Duplicate a block.
        _ => {
            let start = rng.below(v.len());
            let len = rng.below(v.len() - start).min(4096);
            let block = v[start..start + len].to_vec();
            v.splice(start..start, block);
        }
    }
    v
}

/// The reference files' names and bytes, read once.
fn reference_files() -> &'static [(Arc<str>, Vec<u8>)] {
    static FILES: OnceLock<Vec<(Arc<str>, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| {
        reference_paths()
            .iter()
            .map(|p| {
                (
                    Arc::from(p.to_string_lossy().as_ref()),
                    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
                )
            })
            .collect()
    })
}

fn reference() -> Vec<LoadedFile> {
    reference_files()
        .iter()
        .map(|(path, bytes)| load_bytes(path.clone(), bytes))
        .collect()
}

/// The reference bundle's findings (rule, severity, message, place), with `extra` beside it.
fn lint(extra: Option<LoadedFile>) -> (Vec<String>, Vec<trustlint::Finding>) {
    let mut files = reference();
    files.extend(extra);
    let bundle = Bundle::build(files, Vec::new(), common::now());
    let findings = trustlint::pipeline::evaluate(common::rules(), &bundle);
    let mine = findings
        .iter()
        .filter(|f| in_reference(Path::new(&*f.location.path)))
        .map(|f| {
            format!(
                "{} {} {} {} {:?}",
                f.rule_name,
                f.severity.name(),
                f.message,
                f.location.path,
                f.location.line
            )
        })
        .collect();
    (mine, findings)
}

#[test]
fn mutated_fixtures_never_panic_and_never_disturb_other_files() {
    let (expected, _) = lint(None);
    assert!(
        expected.len() >= 3,
        "the reference has findings to disturb: {expected:?}"
    );
    let mut fixtures = Vec::new();
    files_below(Path::new("testdata"), &mut fixtures);
    fixtures.extend(common::REAL_EXPORTS.iter().map(|p| common::sample(p)));
    fixtures.retain(|p| !in_reference(p));
    fixtures.sort();
    assert!(fixtures.len() > 150, "{}", fixtures.len());
    let contents: Vec<Vec<u8>> = fixtures
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect();
    // The mutants in a fixed order from the seeded generator, then linted on every core: the
    // outcome does not depend on the order they are checked in.
    let mut rng = Rng(SEED);
    let mut mutants: Vec<(usize, usize, Arc<str>, Vec<u8>)> = Vec::new();
    for (i, (path, bytes)) in fixtures.iter().zip(&contents).enumerate() {
        let donor = &contents[(i + 1) % contents.len()];
        // Named apart from the reference's files, with the fixture's extension so sniffing falls
        // back the same way.
        let ext = path
            .extension()
            .map_or(String::new(), |e| format!(".{}", e.to_string_lossy()));
        for m in 0..MUTANTS_PER_FILE {
            let mutant = mutate(bytes, donor, &mut rng);
            mutants.push((i, m, Arc::from(format!("mutants/{i}-{m}{ext}")), mutant));
        }
    }
    let unparseable: usize = mutants
        .par_iter()
        .map(|(i, m, name, mutant)| {
            let path = &fixtures[*i];
            let loaded = load_bytes(name.clone(), mutant);
            let claimed = loaded.kind.is_some();
            let broken = matches!(loaded.problem, Some(FileProblem::Unparseable(_)));
            let (mine, all) = lint(Some(loaded));
            assert_eq!(
                mine,
                expected,
                "mutant {m} of {} disturbed the reference's findings",
                path.display()
            );
            if !(claimed && broken) {
                return 0;
            }
            assert!(
                all.iter()
                    .any(|f| &*f.rule_name == "unparseable-file" && f.location.path == *name),
                "mutant {m} of {} is broken but has no finding",
                path.display()
            );
            1
        })
        .sum();
    let mutants = mutants.len();
    assert!(mutants > 2000, "{mutants}");
    // The mutations do break files: a test that never produced a broken file would prove little.
    assert!(unparseable > mutants / 5, "{unparseable} of {mutants}");
}
