//! trustlint: a static linter for Windows/Intune PKI bundles. It reads certificates, CRLs,
//! registry snapshots, VPN and Intune profiles together and reports what Windows, NPS and
//! Always On VPN will do with them.
//!
//! The front door:
//! - [`check()`]: a whole check as the command line runs it (configuration, rules, scan,
//!   `--changed-only`, baseline, symptom filter, `fail-on`);
//! - [`scan`] and [`scan_configured`]: the findings of paths under rules; [`load_rules`];
//! - [`chain`]: the chains of one file's certificates (`trustlint chain`);
//! - [`ScanOptions`], [`Report`], [`Finding`], [`Severity`]; the reporters in [`report`] (one
//!   per format, and [`report::chain`]); [`config::Config`]; [`baseline::Baseline`]; [`output`]
//!   (files written whole or not at all).
//!
//! - [`docs`]: rule and field documentation and the JSON Schemas; [`pipeline`]: the stages one
//!   at a time (load, join, evaluate), for benchmarks and fuzz targets.
//!
//! The pipeline inside — `discover` → `load` (in parallel) → `facts` → `engine` → `report` — is
//! private: what it needs to show, the front door re-exports.

pub mod baseline;
pub mod cache;
pub mod check;
pub mod clock;
pub mod config;
pub mod docs;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod repository;
pub mod terminal;
pub mod trust_graph;

mod bundles;
mod chain_view;
mod digest;
mod discover;
mod engine;
mod facts;
mod leaf_stream;
mod load;
mod location;
mod policy;
mod printable;
mod timings;
mod yaml;

// In test builds the crate also answers to its own name, so the in-crate tests of `tests/`
// (src/tests/) read like the integration tests and share their helpers.
#[cfg(test)]
extern crate self as trustlint;
#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

pub use chain_view::{
    ChainElement, ChainEnd, ChainReport, ChainView, CloudCaView, CrlCoverage, Revocation, Validity,
};
pub use check::{CheckError, CheckOutcome, CheckRequest, check};
pub use engine::{MAX_RELATED, Precision, Rule, RuleError, RuleProblem, RuleSetError, load_rules};
pub use load::DEFAULT_MAX_FILE_SIZE;
pub use location::Location;

/// The default limit on files per scan.
pub const DEFAULT_MAX_FILES: usize = 1_000_000;
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
    /// Record the trust graph (`Report::graph`), for the HTML report.
    pub record_graph: bool,
    /// At most this many files per scan; more is an error that says so (a scan pointed at `/`
    /// by mistake should stop, not read a million files).
    pub max_files: usize,
    /// Counters a progress display may read while the files load.
    pub progress: Option<std::sync::Arc<Progress>>,
    /// Files whose places a finding lists first among its related places (the files of
    /// `--changed-only`). A finding lists at most [`MAX_RELATED`]; those in these files come
    /// first, so a change to any of them still shows in the findings it is part of.
    pub focus: Vec<PathBuf>,
    /// The directory findings name files relative to (the repository root, see
    /// [`repository`]); `None`: as the paths were given.
    pub root: Option<PathBuf>,
    /// The scan cache ([`cache`]); `None`: no cache (`--no-cache`). A cache folder below a
    /// scanned path is not used.
    pub cache: Option<cache::CacheSettings>,
    /// Leaves per chunk of a streamed scan (the leaves never all in memory at once; the
    /// findings are the same). `None`: chunks of [`LEAF_CHUNK`] when a scan has
    /// [`LEAF_STREAM_FILES`] files or more; `Some(0)`: never streamed.
    pub leaf_chunk: Option<usize>,
}

pub use leaf_stream::{AUTO_FILES as LEAF_STREAM_FILES, DEFAULT_CHUNK as LEAF_CHUNK};

/// How far loading has come: files found and files loaded. Written by the scan, read by a
/// progress display on another thread.
#[derive(Debug, Default)]
pub struct Progress {
    /// Files to load.
    pub total: std::sync::atomic::AtomicUsize,
    /// Files loaded so far.
    pub loaded: std::sync::atomic::AtomicUsize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            now: clock::system_now(),
            threads: None,
            max_file_size: load::DEFAULT_MAX_FILE_SIZE,
            record_checks: false,
            record_graph: false,
            max_files: DEFAULT_MAX_FILES,
            progress: None,
            focus: Vec::new(),
            root: None,
            cache: None,
            leaf_chunk: None,
        }
    }
}

/// The paths of the bundle's files (as findings name them) that are among `focus`, compared as
/// absolute paths: `--changed-only` names files as git gives them, the scan as it found them.
fn focused_paths<'b>(
    bundle: &'b facts::Bundle,
    focus: &[PathBuf],
    root: Option<&Path>,
) -> HashSet<&'b str> {
    if focus.is_empty() {
        return HashSet::new();
    }
    let wanted: HashSet<PathBuf> = focus.iter().map(|p| repository::resolve(p, None)).collect();
    bundle
        .files
        .iter()
        .map(|f| &*f.location.path)
        .filter(|p| wanted.contains(&repository::resolve(Path::new(p), root)))
        .collect()
}

/// Why a scan could not run at all (bad input files never cause this: they are findings).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScanError {
    /// More files than the limit.
    #[error("more than {limit} files under the given paths; narrow the paths or raise --max-files")]
    TooManyFiles {
        /// The limit.
        limit: usize,
    },
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
    load_bundle_configured(paths, options, &config::Config::default())
}

/// Like [`load_bundle`], leaving out the files the configuration excludes.
pub fn load_bundle_configured(
    paths: &[PathBuf],
    options: &ScanOptions,
    config: &config::Config,
) -> facts::Bundle {
    load_discovered(discover::discover(paths), options, config)
}

fn load_discovered(
    discovery: discover::Discovery,
    options: &ScanOptions,
    config: &config::Config,
) -> facts::Bundle {
    let loaded = load_files(discovery, options, config, None, &|f| f);
    facts::Bundle::build(loaded.files, loaded.problems, options.now)
}

/// What loading produced: each file as `keep` made it, in the scan's order.
struct Loaded<T> {
    files: Vec<T>,
    problems: Vec<discover::WalkProblem>,
    cache_use: Option<cache::CacheUse>,
}

/// Loads the discovered files in parallel; `keep` takes each file as loaded (a streamed scan
/// spills its leaves there, so that they are never all in memory).
fn load_files<T: Send>(
    mut discovery: discover::Discovery,
    options: &ScanOptions,
    config: &config::Config,
    cache: Option<&cache::CacheSettings>,
    keep: &(dyn Fn(load::LoadedFile) -> T + Sync),
) -> Loaded<T> {
    discovery.files.retain(|f| !config.excluded(&f.fs_path));
    let ordering = std::sync::atomic::Ordering::Relaxed;
    if let Some(p) = &options.progress {
        // Added, not set: each bundle of a scan loads its own files.
        p.total.fetch_add(discovery.files.len(), ordering);
    }
    let file_cache =
        cache.map(|c| cache::FileCache::open(c, &discovery.files, options.max_file_size));
    let files = &discovery.files;
    let load_one = |i: usize, f: &discover::DiscoveredFile| {
        let (file, outcome) = match &file_cache {
            Some(fc) => fc.load(i, f),
            None => (
                load::load_file(f, options.max_file_size),
                cache::Outcome::Miss,
            ),
        };
        if let Some(p) = &options.progress {
            p.loaded.fetch_add(1, ordering);
        }
        (keep(file), outcome)
    };
    let loaded: Vec<(T, cache::Outcome)> = match &file_cache {
        // Shard by shard (see FileCache), then back in the scan's order.
        Some(fc) => {
            // Paired with their files first: an indexed parallel iterator collects straight
            // into one vector, where a filtering one collected into a list of vectors and then
            // copied them (both held at once: the peak of a cold scan with the cache).
            let ordered: Vec<(usize, &discover::DiscoveredFile)> = fc
                .order()
                .into_iter()
                .filter_map(|i| Some((i, files.get(i)?)))
                .collect();
            let mut numbered: Vec<(usize, (T, cache::Outcome))> = ordered
                .into_par_iter()
                .map(|(i, f)| (i, load_one(i, f)))
                .collect();
            numbered.sort_by_key(|(i, _)| *i);
            numbered.into_iter().map(|(_, l)| l).collect()
        }
        None => files
            .par_iter()
            .enumerate()
            .map(|(i, f)| load_one(i, f))
            .collect(),
    };
    if let Some(fc) = file_cache {
        fc.finish();
    }
    let cache_use = cache.map(|_| {
        let mut u = cache::CacheUse::default();
        for (_, outcome) in &loaded {
            match outcome {
                cache::Outcome::Hit => u.hits += 1,
                cache::Outcome::Confirmed => u.confirmed += 1,
                cache::Outcome::Miss => u.misses += 1,
            }
        }
        u
    });
    Loaded {
        files: loaded.into_iter().map(|(l, _)| l).collect(),
        problems: discovery.problems,
        cache_use,
    }
}

/// Scans `paths` with `rules` and returns the sorted findings.
pub fn scan(paths: &[PathBuf], rules: &[Rule], options: &ScanOptions) -> Result<Report, ScanError> {
    scan_configured(paths, rules, options, &config::Config::default())
}

/// Why the rules of a configured scan cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PolicyError {
    /// A rule file does not load.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rules(#[from] RuleSetError),
    /// The configuration names something that does not exist.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] config::ConfigError),
}

/// The rules a configured scan runs: the built-in ones, `dirs` and the configuration's rule
/// directories, with its parameter values; references checked; disabled rules left out.
pub fn load_rules_for(config: &config::Config, dirs: &[PathBuf]) -> Result<Vec<Rule>, PolicyError> {
    let mut all_dirs = dirs.to_vec();
    all_dirs.extend(config.rule_dirs());
    let rules = engine::load_rules_with(&all_dirs, &|id, name| config.params(id, name))?;
    let refs: Vec<config::RuleRef<'_>> = rules.iter().map(rule_ref).collect();
    config.check_rules(&refs)?;
    let keep: Vec<bool> = refs.iter().map(|r| !config.disabled(r)).collect();
    Ok(rules
        .into_iter()
        .zip(keep)
        .filter_map(|(r, k)| k.then_some(r))
        .collect())
}

fn rule_ref(r: &Rule) -> config::RuleRef<'_> {
    config::RuleRef {
        id: &r.id,
        name: &r.name,
        tags: &r.tags,
        params: r.params.keys().map(String::as_str).collect(),
    }
}

/// Scans `paths` under a configuration: excluded files are not read; severities, path ignores
/// and inline ignores are applied to the findings.
pub fn scan_configured(
    paths: &[PathBuf],
    rules: &[Rule],
    options: &ScanOptions,
    config: &config::Config,
) -> Result<Report, ScanError> {
    let started = Instant::now();
    let mut discovery = discover::discover_at_most(paths, options.max_files);
    if let Some(root) = &options.root {
        discovery.relative_to(root);
    }
    let discovered = started.elapsed();
    if discovery.truncated {
        return Err(ScanError::TooManyFiles {
            limit: options.max_files,
        });
    }
    // Nothing is ever written below a scanned path: a cache there is not used.
    let cache = options.cache.as_ref().filter(|c| {
        let inside = paths.iter().find(|p| cache::is_within(&c.dir, p));
        if let Some(p) = inside {
            let mut stderr = std::io::stderr();
            let _ = std::io::Write::write_fmt(
                &mut stderr,
                format_args!(
                    "trustlint: note: the cache folder {} is below the scanned path {}; this scan runs without the cache\n",
                    c.dir.display(),
                    p.display()
                ),
            );
        }
        inside.is_none()
    });
    // Each configured bundle (trustlint.yaml `bundles:`) is joined on its own.
    let parts = bundles::partition(discovery, config);
    let run = || {
        let reports: Vec<Report> = parts
            .into_iter()
            .map(|part| scan_bundle(part, discovered, rules, options, config, cache, paths))
            .collect();
        bundles::merge(reports)
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

/// One bundle's scan: load, join, evaluate, apply the configuration.
fn scan_bundle(
    discovery: discover::Discovery,
    discovered: std::time::Duration,
    rules: &[Rule],
    options: &ScanOptions,
    config: &config::Config,
    cache: Option<&cache::CacheSettings>,
    scanned: &[PathBuf],
) -> Report {
    let mut watch = timings::Stopwatch::start();
    watch.record("discover", discovered);
    // Leaves streamed in chunks (src/leaf_stream.rs): when asked, or for a large scan; never
    // for reports that list every entity (JUnit's checks, the HTML graph).
    let chunk = options
        .leaf_chunk
        .or((discovery.files.len() >= LEAF_STREAM_FILES).then_some(LEAF_CHUNK))
        .filter(|&n| n > 0 && !options.record_checks && !options.record_graph);
    let memo = match cache {
        Some(c) => cache::signatures::open(&c.build_dir()),
        None => facts::signature::SignatureMemo::off(),
    };
    watch.lap("cache: signatures read");
    let (streamed, cache_use, spill) = match chunk {
        Some(chunk) => {
            let spill = leaf_stream::Spill::new(scanned);
            let loaded = load_files(discovery, options, config, cache, &|f| spill.take(f));
            watch.lap("load");
            let streamed = leaf_stream::scan(
                &spill,
                loaded.files,
                loaded.problems,
                options.now,
                memo,
                chunk,
                rules,
                &options.focus,
                options.root.as_deref(),
                &|b: &mut facts::Bundle| {
                    b.client_builds = config.client_builds();
                    b.domain_controllers = config.domain_controllers();
                },
            );
            (streamed, loaded.cache_use, Some(spill))
        }
        None => {
            let loaded = load_files(discovery, options, config, cache, &|f| f);
            watch.lap("load");
            let whole = leaf_stream::Outcome::Whole(leaf_stream::WholeScan {
                files: loaded.files,
                problems: loaded.problems,
                memo,
            });
            (whole, loaded.cache_use, None)
        }
    };
    let (mut bundle, memo, leaf_findings, leaf_sources) = match streamed {
        leaf_stream::Outcome::Streamed(s) => {
            let s = *s;
            watch.absorb(s.timings);
            (s.bundle, s.memo, s.leaf_findings, s.leaf_sources)
        }
        leaf_stream::Outcome::Whole(w) => {
            let bundle = facts::Bundle::build_with(w.files, w.problems, options.now, &w.memo);
            (bundle, w.memo, Vec::new(), Vec::new())
        }
    };
    drop(spill);
    bundle.client_builds = config.client_builds();
    bundle.domain_controllers = config.domain_controllers();
    watch.absorb(std::mem::take(&mut bundle.timings));
    if let Some(c) = cache {
        cache::signatures::write(&c.build_dir(), memo, c.max_bytes);
        watch.lap("cache: signatures written");
    }
    let focus = focused_paths(&bundle, &options.focus, options.root.as_deref());
    let mut findings = engine::evaluate(rules, &bundle, &focus);
    if !leaf_findings.is_empty() {
        findings.extend(leaf_findings);
        findings.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    bundle.sources.extend(leaf_sources);
    let checked = if options.record_checks {
        engine::checked(rules, &bundle)
    } else {
        Vec::new()
    };
    let graph = options
        .record_graph
        .then(|| trust_graph::TrustGraph::of(&bundle));
    watch.lap("rules");
    let sources = report_sources(std::mem::take(&mut bundle.sources), &findings);
    let mut report = Report {
        findings,
        checked,
        files: bundle.files.iter().filter(|f| f.kind.is_some()).count(),
        inventory: bundle
            .files
            .iter()
            .map(|f| report::InventoryEntry {
                path: f.location.path.clone(),
                size: f.size,
                kind: f.kind.map(load::FileKind::name),
                skipped: f.skipped.as_ref().map(ToString::to_string),
                problem: f.problem.is_some(),
            })
            .collect(),
        sources,
        now: bundle.now,
        graph,
        ..Report::default()
    };
    let default_severity = |id: &str| rules.iter().find(|r| &*r.id == id).map(|r| r.severity);
    // Findings name files relative to the root when one is set: resolve them against it.
    policy::apply_config(&mut report, config, &default_severity, &|p| {
        repository::resolve(Path::new(p), options.root.as_deref())
    });
    watch.lap("policy");
    bundle.release();
    watch.lap("free");
    report.timings = watch.into_laps();
    report.cache = cache_use;
    report
}

/// The texts the report shows: every decoded one, and the PEM files a finding points into,
/// rebuilt (the others are never shown, and rebuilding all of them would hold every PEM file's
/// text at once, which the scan avoided).
fn report_sources(
    sources: std::collections::BTreeMap<std::sync::Arc<str>, load::SourceText>,
    findings: &[report::Finding],
) -> std::collections::BTreeMap<std::sync::Arc<str>, std::sync::Arc<str>> {
    let shown: std::collections::HashSet<&str> = findings
        .iter()
        .flat_map(|f| std::iter::once(&f.location).chain(f.related.iter().map(|r| &r.location)))
        .map(|l| &*l.path)
        .collect();
    sources
        .into_iter()
        .filter_map(|(path, source)| match source {
            load::SourceText::Decoded(text) => Some((path, text)),
            pem @ load::SourceText::Pem { .. } => {
                shown.contains(&*path).then(|| (path, pem.text()))
            }
        })
        .collect()
}

/// Why `trustlint chain` has nothing to show.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum ChainError {
    /// The file holds no certificate the bundle read.
    #[error("{0}: no certificate found in it")]
    NoCertificate(String),
}

/// The chains of the certificates in `file`, resolved in the bundle of `paths` (and `file`).
pub fn chain(
    file: &std::path::Path,
    paths: &[PathBuf],
    options: &ScanOptions,
) -> Result<ChainReport, ChainError> {
    let mut paths = paths.to_vec();
    paths.push(file.to_path_buf());
    let bundle = load_bundle(&paths, options);
    let display = discover::display_path(file);
    chain_view::chains_of(&bundle, &display)
        .ok_or_else(|| ChainError::NoCertificate(display.to_string()))
}
