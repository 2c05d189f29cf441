//! trustlint: a static linter for Windows/Intune PKI bundles. It reads certificates, CRLs and
//! registry snapshots together and reports what Windows, NPS and Always On VPN will do with them.
//!
//! The pipeline: [`discover`] → [`load`] (in parallel) → [`facts`] → [`engine`] → [`report`].

pub mod chain_view;
pub mod clock;
pub mod digest;
pub mod discover;
pub mod engine;
pub mod facts;
pub mod load;
pub mod location;
pub mod report;

use std::path::PathBuf;

use rayon::prelude::*;

pub use engine::{Rule, RuleSetError, load_rules};
pub use load::DEFAULT_MAX_FILE_SIZE;
pub use report::{Finding, Report, Severity};

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// The clock for every time-dependent fact, Unix seconds.
    pub now: i64,
    /// Worker threads; `None` for one per core. The output does not depend on it.
    pub threads: Option<usize>,
    /// Files larger than this many bytes are not read (`file-too-large`).
    pub max_file_size: u64,
    /// Record what each rule looked at (`Report::checked`), for JUnit.
    pub record_checks: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            now: clock::system_now(),
            threads: None,
            max_file_size: load::DEFAULT_MAX_FILE_SIZE,
            record_checks: false,
        }
    }
}

/// Why a scan could not run at all (bad input files never cause this: they are findings).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScanError {
    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Requested threads.
        threads: usize,
        /// The error.
        message: String,
    },
}

/// Discovers, loads (in parallel) and joins `paths` into the fact model, without rules.
pub fn load_bundle(paths: &[PathBuf], options: &ScanOptions) -> facts::Bundle {
    let discovery = discover::discover(paths);
    let loaded: Vec<load::LoadedFile> = discovery
        .files
        .par_iter()
        .map(|f| load::load_file(f, options.max_file_size))
        .collect();
    facts::Bundle::build(loaded, discovery.problems, options.now)
}

/// Scans `paths` with `rules` and returns the sorted findings.
pub fn scan(paths: &[PathBuf], rules: &[Rule], options: &ScanOptions) -> Result<Report, ScanError> {
    let run = || {
        let bundle = load_bundle(paths, options);
        let findings = engine::evaluate(rules, &bundle);
        let checked = if options.record_checks {
            engine::checked(rules, &bundle)
        } else {
            Vec::new()
        };
        Report {
            findings,
            checked,
            files: bundle.files.iter().filter(|f| f.kind.is_some()).count(),
            sources: bundle.sources,
        }
    };
    match options.threads {
        None => Ok(run()),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map(|pool| pool.install(run))
            .map_err(|e| ScanError::Threads {
                threads: n,
                message: e.to_string(),
            }),
    }
}
