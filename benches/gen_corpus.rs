//! A synthetic PKI corpus for benchmarks, in Rust (rcgen), so that benchmarking needs no Python:
//!
//! ```sh
//! cargo run --release --example gen-corpus -- OUT_DIR N_LEAVES [SEED]
//! ```
//!
//! It writes what `../shared/bench/gen_corpus.py` writes, so figures from either corpus
//! compare: `certs/root.cer`, `certs/issuing.cer`, N leaves as `certs/NNN/userNNNNNN.cer` (DER,
//! even N) and `.crt` (PEM, odd N), 1000 per folder, and `crl/issuing.crl`. See
//! `benches/corpus/mod.rs` for what the certificates hold.

#![allow(
    clippy::unwrap_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::exit,
    reason = "a command-line helper run by hand or by benches/compare.sh: any failure should stop it loudly"
)]

use std::fs;
use std::path::PathBuf;

use rayon::prelude::*;

mod corpus;

/// Certificates per folder, as in gen_corpus.py.
const PER_FOLDER: usize = 1000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(n)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen-corpus OUT_DIR N_LEAVES [SEED]");
        std::process::exit(2);
    };
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let out = PathBuf::from(out);
    let certs = out.join("certs");
    fs::create_dir_all(&certs).unwrap();
    fs::create_dir_all(out.join("crl")).unwrap();

    let pki = corpus::Pki::new();
    fs::write(certs.join("root.cer"), &pki.root).unwrap();
    fs::write(certs.join("issuing.cer"), &pki.issuing).unwrap();
    (0..n.div_ceil(PER_FOLDER))
        .into_par_iter()
        .for_each(|folder| {
            let dir = certs.join(format!("{folder:03}"));
            fs::create_dir_all(&dir).unwrap();
            let first = folder * PER_FOLDER;
            for i in first..n.min(first + PER_FOLDER) {
                let der = pki.leaf(i, seed);
                let (bytes, ext) = if i % 2 == 1 {
                    (corpus::pem(&der), "crt")
                } else {
                    (der, "cer")
                };
                fs::write(dir.join(format!("user{i:06}.{ext}")), bytes).unwrap();
            }
        });
    fs::write(out.join("crl/issuing.crl"), pki.crl()).unwrap();
    println!("{}: root, issuing CA, {n} leaves, 1 CRL", out.display());
}
