//! A check as the command line, a pre-commit hook or a library user asks for it: the policy
//! around one scan — the configuration, the rules it selects, `--changed-only`, the baseline,
//! the symptom filter and `fail-on` — so that `main.rs` is argument parsing, one call and the
//! exit code.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::baseline::{Baseline, BaselineError};
use crate::config::{Config, ConfigError, FailOn};
use crate::engine::{self, Rule};
use crate::report::{Report, RuleDoc, Severity};
use crate::{PolicyError, ScanError, ScanOptions};

/// What to check and how.
#[derive(Debug, Clone, Default)]
pub struct CheckRequest {
    /// Files and folders; with `changed_only`, the changed files.
    pub paths: Vec<PathBuf>,
    /// The configuration file; `None`: `trustlint.yaml` found upward from the first path.
    pub config: Option<PathBuf>,
    /// Read no configuration at all (`--no-config`): the built-in defaults.
    pub no_config: bool,
    /// More directories of user rules.
    pub rule_dirs: Vec<PathBuf>,
    /// How to scan.
    pub options: ScanOptions,
    /// `paths` are changed files (as pre-commit passes them): scan their repository (the
    /// configuration's directory, else the git top level) and keep the findings that point at
    /// one of them, directly or as a related location.
    pub changed_only: bool,
    /// Findings in this baseline are reported as suppressed.
    pub baseline: Option<PathBuf>,
    /// Keep only the findings of rules that produce this Windows symptom (853, `reason 258`).
    pub symptom: Option<String>,
    /// The severity that fails the check; `None`: the configuration's, else warning.
    pub fail_on: Option<FailOn>,
    /// Where the rule pages are published (`docs/rules/` of this repository); `None`: the
    /// configuration's `rule-docs-url`, else none.
    pub rule_docs_url: Option<String>,
    /// SARIF's `automationDetails.id` (`--automation-id`); `None`: the configuration's
    /// `automation-id`, else the Azure Pipelines job's, else `trustlint/`.
    pub automation_id: Option<String>,
    /// The Azure Pipelines job the check runs in, as read from its variables (the CLI reads
    /// them; a library user passes what it knows).
    pub azure_pipelines: Option<crate::report::automation::AzurePipelines>,
}

/// What a check found, and whether it fails.
#[derive(Debug)]
pub struct CheckOutcome {
    /// The findings, suppressed ones apart.
    pub report: Report,
    /// The rules that ran.
    pub rules: Vec<Rule>,
    /// The findings as a baseline, before the symptom filter (`--write-baseline`).
    pub baseline: Baseline,
    /// The severity that fails the check.
    pub fail_on: FailOn,
    /// How long the rules took to load.
    pub rules_loaded: Duration,
    /// Where the rule pages are published: `<url>/<rule name>.md` is each rule's page.
    pub rule_docs_url: Option<String>,
}

impl CheckOutcome {
    /// A finding at or above `fail_on` remains.
    pub fn failed(&self) -> bool {
        let threshold = match self.fail_on {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        };
        threshold.is_some_and(|t| self.report.worst().is_some_and(|w| w >= t))
    }

    /// The documentation of the rules that ran, for the reporters.
    pub fn rule_docs(&self) -> Vec<RuleDoc> {
        let base = self
            .rule_docs_url
            .as_deref()
            .map(|u| u.trim_end_matches('/'));
        self.rules
            .iter()
            .map(|r| {
                let mut doc = engine::docs::rule_doc(r);
                doc.help_uri = base.map(|b| format!("{b}/{}.md", r.name));
                doc
            })
            .collect()
    }
}

/// Why a check could not run (bad input files never cause this: they are findings).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum CheckError {
    /// A path to check does not exist.
    #[error("{}: no such file or directory", .0.display())]
    NoSuchPath(PathBuf),
    /// `threads` is zero.
    #[error("--threads must be at least 1")]
    NoThreads,
    /// The configuration file is broken.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    /// A rule file, or the configuration's references to rules.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(#[from] PolicyError),
    /// The baseline cannot be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(#[from] BaselineError),
    /// No rule produces the symptom asked for.
    #[error(
        "--symptom '{0}': no rule produces it (try `trustlint explain {0}`, or a code such as 853, 'reason 258', 'event 6273')"
    )]
    UnknownSymptom(String),
    /// The scan could not run.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Scan(#[from] ScanError),
}

/// Runs a check: configuration, rules, scan, then `--changed-only`, the baseline and the
/// symptom filter, in that order.
pub fn check(request: CheckRequest) -> Result<CheckOutcome, CheckError> {
    if request.options.threads == Some(0) {
        return Err(CheckError::NoThreads);
    }
    for p in &request.paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(CheckError::NoSuchPath(p.clone()));
        }
    }
    let changed: Option<Vec<PathBuf>> = request
        .changed_only
        .then(|| request.paths.iter().map(|p| absolute(p)).collect());
    let config = if request.no_config {
        Config::default()
    } else {
        Config::discover(request.config.as_deref(), &request.paths)?
    };
    let scan_paths = match &changed {
        Some(files) => vec![repository_root(&config, files)],
        None => request.paths.clone(),
    };
    let started = Instant::now();
    let rules = crate::load_rules_for(&config, &request.rule_dirs)?;
    let rules_loaded = started.elapsed();
    // Read before the scan: a bad baseline or symptom is a usage error, not a late surprise.
    let baseline = request
        .baseline
        .as_deref()
        .map(Baseline::read)
        .transpose()?;
    let symptom_rules: Option<Vec<Arc<str>>> = match &request.symptom {
        None => None,
        Some(q) => {
            let matched = engine::docs::by_symptom(&rules, q);
            if matched.is_empty() {
                return Err(CheckError::UnknownSymptom(q.clone()));
            }
            Some(matched.iter().map(|r| r.id.clone()).collect())
        }
    };
    let mut options = request.options;
    if let Some(files) = &changed {
        options.focus.clone_from(files);
    }
    // Every report names files relative to the repository root, whatever the working directory.
    let root = crate::repository::report_root(
        scan_paths.first().map(PathBuf::as_path),
        config.path.is_some().then_some(config.root.as_path()),
    );
    options.root.clone_from(&root);
    let mut report = crate::scan_configured(&scan_paths, &rules, &options, &config)?;
    report.root.clone_from(&root);
    if let Some(files) = &changed {
        let files: Vec<PathBuf> = files
            .iter()
            .map(|f| crate::repository::resolve(f, None))
            .collect();
        let touches =
            |p: &str| files.contains(&crate::repository::resolve(Path::new(p), root.as_deref()));
        report.findings.retain(|f| {
            touches(&f.location.path) || f.related.iter().any(|r| touches(&r.location.path))
        });
        report
            .suppressed
            .retain(|s| touches(&s.finding.location.path));
    }
    if let Some(b) = &baseline {
        crate::policy::apply_baseline(&mut report, b);
    }
    let written = Baseline::of(&report.findings);
    if let Some(ids) = &symptom_rules {
        report.findings.retain(|f| ids.contains(&f.rule_id));
        report.checked.retain(|c| ids.contains(&c.rule_id));
    }
    let fail_on = request
        .fail_on
        .or_else(|| config.fail_on())
        .unwrap_or(FailOn::Warning);
    let rule_docs_url = request
        .rule_docs_url
        .or_else(|| config.rule_docs_url().map(str::to_owned));
    let automation_id = request.automation_id.as_deref().or(config.automation_id());
    report.automation = crate::report::automation::resolve(
        automation_id,
        request
            .azure_pipelines
            .as_ref()
            .unwrap_or(&crate::report::automation::AzurePipelines::Absent),
    );
    Ok(CheckOutcome {
        report,
        rules,
        baseline: written,
        fail_on,
        rules_loaded,
        rule_docs_url,
    })
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The repository the changed files belong to: the configuration's directory, else the nearest
/// directory above the first file that holds `.git`, else the current directory. Given as a
/// path relative to the current directory when it is the current directory or below it, so
/// findings name files as the hook's user knows them.
fn repository_root(config: &Config, files: &[PathBuf]) -> PathBuf {
    let root = if config.path.is_some() {
        Some(config.root.clone())
    } else {
        files
            .first()
            .and_then(|f| f.parent())
            .and_then(crate::repository::git_top_level)
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    match root {
        None => PathBuf::from("."),
        Some(r) if r == cwd => PathBuf::from("."),
        Some(r) => r
            .strip_prefix(&cwd)
            .map_or_else(|_| r.clone(), Path::to_path_buf),
    }
}
