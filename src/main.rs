//! The `trustlint` command: parses arguments, calls the library, sets the exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use trustlint::config::FailOn;
use trustlint::docs;
use trustlint::report::Format;
use trustlint::terminal::ColorChoice;
use trustlint::{CheckRequest, ScanOptions};

/// Lint Windows/Intune PKI bundles: certificates, CRLs, NPS registry snapshots.
#[derive(Parser)]
#[command(name = "trustlint", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint files and folders.
    Check(Box<CheckArgs>),
    /// Print a shell completion script: `trustlint completions bash > /etc/bash_completion.d/trustlint`.
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff): trustlint's, or a subcommand's (`trustlint man check >
    /// trustlint-check.1`).
    Man {
        /// The subcommand whose page to print (check, init, rules, explain, fields, chain…).
        command: Option<String>,
    },
    /// Write a commented starter trustlint.yaml in the current directory (or DIR).
    Init {
        /// Where to write it.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// List every rule: id, name, severity, title.
    Rules {
        /// Also load the rules in this directory (repeatable).
        #[arg(long = "rules", value_name = "DIR")]
        rule_dirs: Vec<PathBuf>,
    },
    /// Show a rule's documentation, or the rules that produce a Windows symptom (853, "reason 258").
    Explain {
        /// A rule id or name, or a symptom code (an HRESULT as RasClient logs it may be
        /// negative: -2146885613).
        #[arg(allow_negative_numbers = true)]
        query: Vec<String>,
        /// Also load the rules in this directory (repeatable).
        #[arg(long = "rules", value_name = "DIR")]
        rule_dirs: Vec<PathBuf>,
    },
    /// List every field a rule condition may name, with its type and meaning.
    Fields,
    /// Show the chain of the certificates in FILE as the bundle resolves it, with revocation
    /// reachability per element (an offline `certutil -verify`).
    Chain {
        /// A certificate file of the bundle.
        file: PathBuf,
        /// The bundle to resolve it in (default: .).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// The clock, RFC 3339 (default: the system clock).
        #[arg(long, value_name = "RFC3339")]
        now: Option<String>,
    },
    /// Show or remove the scan cache (what `check` keeps of unchanged files between runs).
    Cache {
        /// `info`: where it is and how large; `clean`: remove it.
        #[arg(value_enum)]
        action: CacheAction,
        /// The cache folder (default: TRUSTLINT_CACHE_DIR, $XDG_CACHE_HOME/trustlint or
        /// ~/.cache/trustlint).
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CacheAction {
    /// Where the cache is, and each build's files and size.
    Info,
    /// Remove the cache folder (only one trustlint made).
    Clean,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files and folders to lint.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Show only findings of rules that produce this Windows symptom: a client error (853,
    /// 13801), `reason 258`, `event 6273`, an HRESULT (`0x80092013`, `-2146885613`).
    #[arg(long, value_name = "SYMPTOM", allow_negative_numbers = true)]
    symptom: Option<String>,
    /// Also write FORMAT to FILE (repeatable): `--output sarif=trustlint.sarif`. The scan runs
    /// once whatever the number of outputs; files are written whole or not at all.
    #[arg(long = "output", value_name = "FORMAT=FILE", value_parser = parse_output)]
    outputs: Vec<(Format, PathBuf)>,
    /// The clock for every time-dependent rule, RFC 3339 (default: the system clock).
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Exit 1 when a finding at or above this severity is reported (default: the config's
    /// `fail-on`, else warning).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// The configuration file (default: trustlint.yaml found upward from the first PATH, up to
    /// the repository root).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where the rule pages (docs/rules/ of trustlint) are published, an http(s) URL: SARIF
    /// links each rule to `<URL>/<rule name>.md` (default: the config's `rule-docs-url`).
    #[arg(long, value_name = "URL", value_parser = parse_docs_url)]
    rule_docs_url: Option<String>,
    /// SARIF's `automationDetails.id`, GitHub's category of the analysis (default: the config's
    /// `automation-id`; in Azure Pipelines the id GHAzDO requires, from the job's variables;
    /// else `trustlint/`).
    #[arg(long, value_name = "ID")]
    automation_id: Option<String>,
    /// Read no configuration file: the built-in rules, severities and parameters.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Colour the human output: auto (a terminal, unless NO_COLOR is set non-empty; FORCE_COLOR
    /// set non-empty forces it), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
    /// Print the findings only: no progress bar, no closing summary (warnings about the scan
    /// itself, such as an empty one, stay on stderr).
    #[arg(short, long)]
    quiet: bool,
    /// Report only findings that are not in this baseline; the others are shown as suppressed.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// PATHs are changed files (as pre-commit passes them): scan the whole repository (the
    /// config's directory, else the git top level) and report only findings that point at one
    /// of them, directly or as a related location.
    #[arg(long)]
    changed_only: bool,
    /// Record the current findings as a baseline in FILE (and exit 0).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Add a directory of user rules (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rule_dirs: Vec<PathBuf>,
    /// Worker threads (default: one per core). The output is identical for every value.
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
    /// At most this many files per scan; more is an error (exit 2).
    #[arg(long, value_name = "N", default_value_t = trustlint::DEFAULT_MAX_FILES)]
    max_files: usize,
    /// Leaves per chunk of a streamed scan, which never holds all the leaves in memory (same
    /// findings). A scan of 200,000 files or more streams in chunks of 50,000; 0 never streams.
    #[arg(long, value_name = "N")]
    leaf_chunk: Option<usize>,
    /// Files larger than this many bytes are reported and not read.
    #[arg(long, value_name = "BYTES", default_value_t = trustlint::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Print how long each stage took (rules, discover, load, facts, rules, render) to stderr.
    #[arg(long)]
    timings: bool,
    /// Do not use the scan cache: read and parse every file, check every signature.
    #[arg(long)]
    no_cache: bool,
    /// The scan cache's folder (default: TRUSTLINT_CACHE_DIR, $XDG_CACHE_HOME/trustlint or
    /// ~/.cache/trustlint; off in CI jobs unless this or TRUSTLINT_CACHE_DIR names one). Never
    /// below a scanned path.
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// List every file with the kind it was read as, or why it was skipped, instead of the
    /// findings (exit 0).
    #[arg(long)]
    list_files: bool,
}

fn parse_docs_url(s: &str) -> Result<String, String> {
    if s.starts_with("https://") || s.starts_with("http://") {
        Ok(s.to_owned())
    } else {
        Err(format!("'{s}' is not an http(s) URL"))
    }
}

fn parse_output(s: &str) -> Result<(Format, PathBuf), String> {
    let (format, file) = s
        .split_once('=')
        .ok_or_else(|| format!("'{s}': expected FORMAT=FILE, e.g. sarif=trustlint.sarif"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!("'{format}': unknown format (human, json, sarif, junit, github, html)")
    })?;
    if file.is_empty() {
        return Err(format!("'{s}': the file name is empty"));
    }
    Ok((format, PathBuf::from(file)))
}

fn main() -> ExitCode {
    // Error lines unwrapped: a rule name such as `crl-expried` stays whole for grep and CI logs
    // (the default wraps at 80 columns off a terminal, and splits at hyphens).
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(miette::MietteHandlerOpts::new().wrap_lines(false).build())
    }));
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`trustlint … | head`) is not a failure.
            if e.downcast_ref::<OutputError>()
                .is_some_and(|o| o.0.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "{e:?}");
            ExitCode::from(2)
        }
    }
}

fn load_rules(dirs: &[PathBuf]) -> miette::Result<Vec<trustlint::Rule>> {
    Ok(trustlint::load_rules(dirs)?)
}

fn run(cli: Cli) -> miette::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Check(args) => check(*args, &mut stdout),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "trustlint", &mut stdout);
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { command } => {
            man_page(command.as_deref(), &mut stdout)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            let path = dir.join(trustlint::config::FILE_NAME);
            if path.exists() {
                return Err(miette::miette!(
                    "{} already exists; trustlint init never overwrites it",
                    path.display()
                ));
            }
            trustlint::output::write_atomic(&path, trustlint::config::STARTER.as_bytes())?;
            writeln!(
                stdout,
                "wrote {}: edit it, then run `trustlint check`",
                path.display()
            )
            .map_err(io)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { rule_dirs } => {
            let rules = load_rules(&rule_dirs)?;
            stdout
                .write_all(docs::catalogue(&rules).as_bytes())
                .map_err(io)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { query, rule_dirs } => {
            let rules = load_rules(&rule_dirs)?;
            let query = query.join(" ");
            if let Some(rule) = docs::find(&rules, &query) {
                stdout.write_all(docs::page(rule).as_bytes()).map_err(io)?;
                return Ok(ExitCode::SUCCESS);
            }
            let matches = docs::by_symptom(&rules, &query);
            // `reason N`: what Microsoft says the code means, before the rules that produce it.
            let reason = query
                .to_ascii_lowercase()
                .strip_prefix("reason")
                .and_then(|n| n.trim().parse::<u32>().ok())
                .and_then(|n| docs::reason_code_meaning(n).map(|m| (n, m)));
            if let Some((n, meaning)) = reason {
                writeln!(stdout, "NPS reason code {n}: {meaning}\n").map_err(io)?;
                if matches.is_empty() {
                    writeln!(stdout, "(no rule of trustlint predicts it)").map_err(io)?;
                    return Ok(ExitCode::SUCCESS);
                }
            }
            if matches.is_empty() {
                return Err(miette::miette!(
                    "no rule or symptom matches '{query}' (see `trustlint rules`)"
                ));
            }
            for r in matches {
                writeln!(stdout, "{:<7} {:<36} {}", r.id, r.name, r.title).map_err(io)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Chain { file, paths, now } => {
            let options = ScanOptions {
                now: parse_now(now.as_deref())?,
                ..ScanOptions::default()
            };
            let chains = trustlint::chain(&file, &paths, &options)?;
            trustlint::report::chain::render(&chains, &mut stdout).map_err(io)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Cache { action, cache_dir } => {
            let Some(settings) = cache_settings(cache_dir) else {
                return Err(miette::miette!(
                    "no cache folder: set --cache-dir, TRUSTLINT_CACHE_DIR, XDG_CACHE_HOME or HOME"
                ));
            };
            let text = match action {
                CacheAction::Info => trustlint::cache::info(&settings),
                CacheAction::Clean => {
                    trustlint::cache::clean(&settings).map_err(|e| miette::miette!("{e}"))? + "\n"
                }
            };
            stdout.write_all(text.as_bytes()).map_err(io)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Fields => {
            stdout
                .write_all(docs::fields_doc().as_bytes())
                .map_err(io)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The man page of trustlint, or of one subcommand as `trustlint-<name>` (the layout git and
/// cargo use). No date: the page is the same whatever day it is made.
fn man_page(command: Option<&str>, out: &mut impl Write) -> miette::Result<()> {
    let mut cli = Cli::command();
    cli.build();
    let cmd = match command {
        None => cli,
        Some(name) => {
            let Some(sub) = cli.find_subcommand(name) else {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                return Err(miette::miette!(
                    "no subcommand '{name}' (one of: {})",
                    names.join(", ")
                ));
            };
            let full = format!("trustlint-{name}");
            sub.clone().name(full.clone()).bin_name(full)
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut page).map_err(io)?;
    out.write_all(&page).map_err(io)
}

/// `-j` above this is clamped: each thread costs a stack, and thousands of them stall the
/// machine (or fail to spawn) long before the scan gains anything.
const MAX_THREADS: usize = 256;

fn check(args: CheckArgs, stdout: &mut impl Write) -> miette::Result<ExitCode> {
    let record_checks =
        args.format == Format::Junit || args.outputs.iter().any(|(f, _)| *f == Format::Junit);
    let record_graph =
        args.format == Format::Html || args.outputs.iter().any(|(f, _)| *f == Format::Html);
    let threads = args.threads.map(|n| {
        if n > MAX_THREADS {
            let _ = writeln!(
                std::io::stderr(),
                "trustlint: -j {n} is more threads than any scan can use; using {MAX_THREADS}"
            );
        }
        n.min(MAX_THREADS)
    });
    let cache = cache_choice(&args);
    let mut options = ScanOptions {
        now: parse_now(args.now.as_deref())?,
        threads,
        max_file_size: args.max_file_size,
        record_checks,
        record_graph,
        max_files: args.max_files,
        progress: None,
        focus: Vec::new(),
        root: None,
        cache: match &cache {
            CacheChoice::On(settings) => Some(settings.clone()),
            CacheChoice::Off | CacheChoice::OffInCi => None,
        },
        leaf_chunk: args.leaf_chunk,
    };
    // Outputs are checked before minutes of scanning, not after.
    trustlint::output::check_outputs(&args.outputs)?;
    let azure_pipelines =
        trustlint::report::automation::AzurePipelines::detect(|name| std::env::var(name).ok());
    let writes_sarif =
        args.format == Format::Sarif || args.outputs.iter().any(|(f, _)| *f == Format::Sarif);
    if let (true, trustlint::report::automation::AzurePipelines::Partial(problems)) =
        (writes_sarif, &azure_pipelines)
    {
        // GHAzDO drops a run whose pipeline identity is incomplete: say so, and say why.
        let _ = writeln!(
            std::io::stderr(),
            "trustlint: warning: Azure Pipelines (TF_BUILD) without a complete job identity; the SARIF keeps automationDetails.id '{}', which GitHub Advanced Security for Azure DevOps will not attach to this pipeline: {}",
            args.automation_id
                .as_deref()
                .unwrap_or(trustlint::report::automation::DEFAULT_ID),
            problems.join("; ")
        );
    }
    let progress = if args.quiet {
        ProgressDisplay::none()
    } else {
        ProgressDisplay::start(&mut options)
    };
    let checked = trustlint::check(CheckRequest {
        paths: args.paths,
        config: args.config,
        no_config: args.no_config,
        rule_dirs: args.rule_dirs,
        options,
        changed_only: args.changed_only,
        baseline: args.baseline,
        symptom: args.symptom,
        fail_on: args.fail_on,
        rule_docs_url: args.rule_docs_url,
        automation_id: args.automation_id,
        azure_pipelines: Some(azure_pipelines),
    });
    progress.finish();
    let outcome = checked?;
    if let Some(file) = &args.write_baseline {
        trustlint::output::write_atomic(file, outcome.baseline.to_json().as_bytes())?;
        if args.quiet {
            return Ok(ExitCode::SUCCESS);
        }
        let _ = writeln!(
            std::io::stderr(),
            "trustlint: baseline of {} finding(s) written to {}",
            outcome.baseline.findings.len(),
            file.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.list_files {
        trustlint::report::files::render(&outcome.report, stdout).map_err(io)?;
        return Ok(ExitCode::SUCCESS);
    }
    let needs_docs = std::iter::once(args.format)
        .chain(args.outputs.iter().map(|(f, _)| *f))
        .any(Format::needs_rule_docs);
    let docs = if needs_docs {
        outcome.rule_docs()
    } else {
        Vec::new()
    };
    trustlint::output::write_reports(&args.outputs, &outcome.report, &docs)?;
    let env = |name: &str| std::env::var(name).ok();
    let terminal = std::io::stdout().is_terminal();
    let human = trustlint::report::human::HumanOptions {
        color: trustlint::terminal::use_color(args.color, terminal, env),
        width: trustlint::terminal::width(
            terminal.then(trustlint::terminal::stdout_width).flatten(),
            env,
        ),
        summary: !args.quiet,
        rule_docs_url: outcome.rule_docs_url.clone(),
        // OSC 8 where colour is drawn on a terminal: a pipe or a CI log gets the plain URL.
        hyperlinks: terminal && trustlint::terminal::use_color(args.color, terminal, env),
    };
    let rendering = std::time::Instant::now();
    // A reader that stops early (`trustlint check | head`) closes the pipe: the output ends
    // there, in every format alike, and the exit status is still the scan's (README).
    // Buffered: a locked stdout flushes at every newline, and pretty JSON has one per field
    // (1.8 million write calls for 90,000 findings).
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *stdout);
    let written = args
        .format
        .render(&outcome.report, &docs, &human, &mut buffered)
        .and_then(|()| buffered.flush());
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.map_err(io)?,
    }
    if args.timings {
        let mut stages = vec![("rule loading", outcome.rules_loaded)];
        stages.extend(outcome.report.timings.iter().copied());
        stages.push(("render", rendering.elapsed()));
        print_timings(&stages);
        if matches!(cache, CacheChoice::OffInCi) {
            let _ = writeln!(
                std::io::stderr(),
                "trustlint: cache        off: CI is set (a CI job starts with an empty cache); --cache-dir or TRUSTLINT_CACHE_DIR turns it on"
            );
        }
        if let Some(u) = outcome.report.cache {
            let _ = writeln!(
                std::io::stderr(),
                "trustlint: cache        {} file(s) from the cache, {} confirmed by content, {} loaded",
                u.hits,
                u.confirmed,
                u.misses
            );
        }
    }
    if outcome.report.files == 0 {
        // A CI gate pointed at the wrong folder would otherwise pass in silence.
        let _ = writeln!(
            std::io::stderr(),
            "trustlint: warning: no certificate, CRL, key, registry export, VPN profile or Intune export found in the given paths"
        );
    }
    Ok(if outcome.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether a scan uses the cache.
enum CacheChoice {
    On(trustlint::cache::CacheSettings),
    /// `--no-cache`, `TRUSTLINT_NO_CACHE`, or no home to put it in.
    Off,
    /// A CI job (`CI` set, as GitHub Actions, GitLab CI and most others set it, or Azure
    /// Pipelines' `TF_BUILD`) and no cache folder named: a job starts from an empty cache, and
    /// writing one it will not read again only costs time (a fifth of a cold scan).
    OffInCi,
}

fn cache_choice(args: &CheckArgs) -> CacheChoice {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let truthy = |name: &str| {
        std::env::var(name)
            .is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
    };
    if args.no_cache || set("TRUSTLINT_NO_CACHE") {
        return CacheChoice::Off;
    }
    if args.cache_dir.is_none()
        && !set("TRUSTLINT_CACHE_DIR")
        && (truthy("CI") || truthy("TF_BUILD"))
    {
        return CacheChoice::OffInCi;
    }
    cache_settings(args.cache_dir.clone()).map_or(CacheChoice::Off, CacheChoice::On)
}

/// The cache's settings: `dir`, else the default folder; `None` when there is no home.
fn cache_settings(dir: Option<PathBuf>) -> Option<trustlint::cache::CacheSettings> {
    let dir = dir.or_else(trustlint::cache::CacheSettings::default_dir)?;
    let max_bytes = std::env::var("TRUSTLINT_CACHE_MAX_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(trustlint::cache::DEFAULT_MAX_BYTES);
    Some(trustlint::cache::CacheSettings { dir, max_bytes })
}

fn print_timings(stages: &[(&str, std::time::Duration)]) {
    let mut err = std::io::stderr().lock();
    for (name, took) in stages {
        let _ = writeln!(
            err,
            "trustlint: {name:<12} {:>9.3} ms",
            took.as_secs_f64() * 1e3
        );
    }
    let total: std::time::Duration = stages.iter().map(|(_, d)| *d).sum();
    let _ = writeln!(
        err,
        "trustlint: {:<12} {:>9.3} ms",
        "total",
        total.as_secs_f64() * 1e3
    );
}

/// A progress bar on stderr while files load: only on a terminal, never in CI (`CI` set), and
/// only once a scan has run for a moment, so quick runs and hook runs print nothing extra.
struct ProgressDisplay {
    stop: Option<(
        std::sync::Arc<std::sync::atomic::AtomicBool>,
        std::thread::JoinHandle<()>,
    )>,
}

impl ProgressDisplay {
    const DELAY: std::time::Duration = std::time::Duration::from_millis(500);

    /// No progress display (`--quiet`).
    fn none() -> ProgressDisplay {
        ProgressDisplay { stop: None }
    }

    fn start(options: &mut ScanOptions) -> ProgressDisplay {
        if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
            return ProgressDisplay { stop: None };
        }
        let counters = std::sync::Arc::new(trustlint::Progress::default());
        options.progress = Some(counters.clone());
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let handle = std::thread::spawn(move || {
            use std::sync::atomic::Ordering::Relaxed;
            let started = std::time::Instant::now();
            let mut bar: Option<indicatif::ProgressBar> = None;
            while !stopped.load(Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(50));
                if started.elapsed() < Self::DELAY {
                    continue;
                }
                let total = counters.total.load(Relaxed);
                let b = bar.get_or_insert_with(|| {
                    let b = indicatif::ProgressBar::new(0);
                    if let Ok(style) = indicatif::ProgressStyle::with_template(
                        "trustlint: {msg} {pos}/{len} files {wide_bar} {elapsed}",
                    ) {
                        b.set_style(style);
                    }
                    b
                });
                let loaded = counters.loaded.load(Relaxed);
                b.set_length(u64::try_from(total).unwrap_or(u64::MAX));
                b.set_position(u64::try_from(loaded).unwrap_or(0));
                // Once every file is read, the time goes to chains, signatures and rules.
                b.set_message(if total > 0 && loaded >= total {
                    "checking"
                } else {
                    "loading"
                });
            }
            if let Some(b) = bar {
                b.finish_and_clear();
            }
        });
        ProgressDisplay {
            stop: Some((stop, handle)),
        }
    }

    fn finish(self) {
        if let Some((stop, handle)) = self.stop {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            let _ = handle.join();
        }
    }
}

/// Writing the output failed; a closed pipe is told apart so `main` can treat it as success.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write output: {0}")]
struct OutputError(std::io::Error);

fn parse_now(now: Option<&str>) -> miette::Result<i64> {
    match now {
        Some(s) => trustlint::clock::parse_rfc3339(s).map_err(|e| miette::miette!("--now: {e}")),
        None => Ok(trustlint::clock::system_now()),
    }
}

fn io(e: std::io::Error) -> miette::Report {
    miette::Report::new(OutputError(e))
}
