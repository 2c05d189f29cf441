//! The hostile and huge inputs of issue 14, for `benches/compare.sh --stress`:
//!
//! ```sh
//! cargo run --release --example gen-stress -- OUT_DIR [SCALE] [CASE...]
//! ```
//!
//! Writes `OUT_DIR/CASE/` for every case of `benches/stress/mod.rs` (or those named), each at
//! its size in the issue's table times SCALE (default 1; `0.25` for the quarter sizes that the
//! growth figures compare against). Prints one line per case: name, n, what n counts.

#![allow(
    clippy::unwrap_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::exit,
    reason = "a command-line helper run by hand or by benches/compare.sh: any failure should stop it loudly"
)]

use std::fs;
use std::path::PathBuf;

mod stress;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: gen-stress OUT_DIR [SCALE] [CASE...]");
        std::process::exit(2);
    };
    let scale: f64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let named: Vec<&String> = args.iter().skip(2).collect();
    for case in stress::CASES {
        if !named.is_empty() && !named.iter().any(|n| *n == case.name) {
            continue;
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "a size and a scale typed by hand"
        )]
        let n = ((case.full as f64 * scale).round() as usize).max(1);
        let dir = PathBuf::from(out).join(case.name);
        if dir.exists() {
            fs::remove_dir_all(&dir).unwrap();
        }
        fs::create_dir_all(&dir).unwrap();
        (case.write)(&dir, n);
        println!("{}\t{n}\t{}", case.name, case.what);
    }
}
