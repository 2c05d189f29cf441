//! `trustlint.yaml`: per-repository policy. Found upward from the first scanned path (or given
//! with `--config`); read by every stage, it imports none of them.
//!
//! ```yaml
//! disable: [TL1009, cdp-ldap-only, "tag:hygiene"]   # rules off, by id, name or tag
//! severity: { certificate-expires-soon: error }      # severity per rule (id or name)
//! params: { certificate-expires-soon: { days: 60 } } # rule parameters
//! exclude: ["archive/**"]                            # paths not scanned (globs, from this file)
//! ignore:                                            # rules ignored under some paths
//!   - { paths: ["lab/**"], rules: [vpn-server-validation-disabled], reason: lab only }
//! rule-dirs: [policy/rules]                          # more rule directories (from this file)
//! fail-on: error                                     # error | warning | note | never
//! ```
//!
//! Unknown keys, bad values, and rules, tags or parameters that do not exist are errors with the
//! file, the line and a "did you mean".

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

/// The file name looked for.
pub const FILE_NAME: &str = "trustlint.yaml";

/// A loaded configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from; `None` for the default (no file).
    pub path: Option<PathBuf>,
    /// Its directory: globs and rule directories are relative to it.
    pub root: PathBuf,
    raw: RawConfig,
    source: String,
    exclude: Option<GlobSet>,
    ignores: Vec<(GlobSet, Vec<String>, Option<String>)>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default)]
    params: BTreeMap<String, BTreeMap<String, serde_yaml::Value>>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
    #[serde(default)]
    rule_dirs: Vec<PathBuf>,
    #[serde(default)]
    fail_on: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    paths: Vec<String>,
    rules: Vec<String>,
    #[serde(default)]
    reason: Option<String>,
}

/// Top-level keys, for "did you mean".
const KEYS: [&str; 7] = [
    "disable",
    "severity",
    "params",
    "exclude",
    "ignore",
    "rule-dirs",
    "fail-on",
];

/// A configuration error: file, 1-based line, what, and a suggestion.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
#[error("{file}:{line}: {message}")]
pub struct ConfigError {
    /// The configuration file.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// A suggestion.
    #[help]
    pub help: Option<String>,
}

/// What the configuration needs to know of a rule to check references to it.
#[derive(Debug, Clone)]
pub struct RuleRef<'a> {
    /// `TL1001`.
    pub id: &'a str,
    /// `issuing-ca-without-cdp`.
    pub name: &'a str,
    /// Its tags.
    pub tags: &'a [String],
    /// Its parameter names.
    pub params: Vec<&'a str>,
}

impl Config {
    /// The configuration for `paths`: `explicit` if given, else the first `trustlint.yaml`
    /// found from the first path upward, else the default.
    pub fn discover(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Config, ConfigError> {
        if let Some(p) = explicit {
            return Config::load(p);
        }
        let Some(first) = paths.first() else {
            return Ok(Config::default());
        };
        let start = std::path::absolute(first).unwrap_or_else(|_| first.clone());
        let mut dir = if start.is_dir() {
            Some(start.as_path())
        } else {
            start.parent()
        };
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
            dir = d.parent();
        }
        Ok(Config::default())
    }

    /// Reads and checks one configuration file (its structure; references to rules are checked
    /// by [`Config::check_rules`] once the rules are loaded).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let source = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: file.clone(),
            line: 0,
            message: format!("cannot read: {e}"),
            help: None,
        })?;
        let raw: RawConfig = if source.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_yaml::from_str(&source).map_err(|e| {
                let msg = e.to_string();
                let help = msg
                    .split('`')
                    .nth(1)
                    .and_then(|unknown| did_you_mean(unknown, KEYS.iter().copied()));
                ConfigError {
                    file: file.clone(),
                    line: e.location().map_or(0, |l| l.line()),
                    message: msg.split(" at line ").next().unwrap_or(&msg).to_owned(),
                    help,
                }
            })?
        };
        let root = std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let mut config = Config {
            path: Some(path.to_path_buf()),
            root,
            raw,
            source,
            exclude: None,
            ignores: Vec::new(),
        };
        if let Some(f) = &config.raw.fail_on
            && !["error", "warning", "note", "never"].contains(&f.as_str())
        {
            return Err(config.error_at(
                f,
                format!("fail-on '{f}' must be error, warning, note or never"),
                did_you_mean(f, ["error", "warning", "note", "never"].into_iter()),
            ));
        }
        for (rule, s) in &config.raw.severity {
            if !["error", "warning", "note"].contains(&s.as_str()) {
                return Err(config.error_at(
                    s,
                    format!("severity '{s}' of {rule} must be error, warning or note"),
                    did_you_mean(s, ["error", "warning", "note"].into_iter()),
                ));
            }
        }
        config.exclude = Some(config.globs(&config.raw.exclude)?);
        let mut ignores = Vec::new();
        for i in &config.raw.ignore {
            ignores.push((config.globs(&i.paths)?, i.rules.clone(), i.reason.clone()));
        }
        config.ignores = ignores;
        Ok(config)
    }

    fn globs(&self, patterns: &[String]) -> Result<GlobSet, ConfigError> {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            let glob = Glob::new(p)
                .map_err(|e| self.error_at(p, format!("bad glob '{p}': {}", e.kind()), None))?;
            b.add(glob);
        }
        b.build()
            .map_err(|e| self.error_at("", format!("bad globs: {e}"), None))
    }

    /// An error at the first line of the file that mentions `needle`.
    fn error_at(&self, needle: &str, message: String, help: Option<String>) -> ConfigError {
        let line = if needle.is_empty() {
            0
        } else {
            self.source
                .lines()
                .position(|l| l.contains(needle))
                .map_or(0, |i| i.saturating_add(1))
        };
        ConfigError {
            file: self
                .path
                .as_ref()
                .map_or_else(String::new, |p| p.display().to_string()),
            line,
            message,
            help,
        }
    }

    /// Checks that every rule, tag and parameter the configuration names exists.
    pub fn check_rules(&self, rules: &[RuleRef<'_>]) -> Result<(), ConfigError> {
        let known = |r: &str| rules.iter().any(|x| x.id == r || x.name == r);
        let names = || rules.iter().map(|r| r.name);
        let check = |r: &str| -> Result<(), ConfigError> {
            if let Some(tag) = r.strip_prefix("tag:") {
                if rules.iter().any(|x| x.tags.iter().any(|t| t == tag)) {
                    return Ok(());
                }
                let mut tags: Vec<String> = rules
                    .iter()
                    .flat_map(|x| x.tags.iter().map(|t| format!("tag:{t}")))
                    .collect();
                tags.sort_unstable();
                tags.dedup();
                return Err(self.error_at(
                    r,
                    format!("no rule has the tag '{tag}'"),
                    did_you_mean(r, tags.iter().map(String::as_str)),
                ));
            }
            if known(r) {
                Ok(())
            } else {
                Err(self.error_at(
                    r,
                    format!("no rule is called '{r}' (an id such as TL1001, a name, or tag:NAME)"),
                    did_you_mean(r, names()),
                ))
            }
        };
        for r in &self.raw.disable {
            check(r)?;
        }
        for r in self.raw.severity.keys() {
            check(r)?;
        }
        for i in &self.raw.ignore {
            for r in &i.rules {
                check(r)?;
            }
        }
        for (r, params) in &self.raw.params {
            check(r)?;
            let Some(rule) = rules.iter().find(|x| x.id == r || x.name == r) else {
                continue;
            };
            for p in params.keys() {
                if !rule.params.contains(&p.as_str()) {
                    let has = if rule.params.is_empty() {
                        "it has none".to_owned()
                    } else {
                        format!("it has: {}", rule.params.join(", "))
                    };
                    return Err(self.error_at(
                        p,
                        format!("rule {} has no parameter '{p}' ({has})", rule.name),
                        did_you_mean(p, rule.params.iter().copied()),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether a rule is switched off (by id, name or one of its tags).
    pub fn disabled(&self, rule: &RuleRef<'_>) -> bool {
        self.raw.disable.iter().any(|d| {
            d == rule.id
                || d == rule.name
                || d.strip_prefix("tag:")
                    .is_some_and(|t| rule.tags.iter().any(|x| x == t))
        })
    }

    /// The severity the configuration gives a rule, if any (`error`, `warning`, `note`).
    pub fn severity(&self, id: &str, name: &str) -> Option<&str> {
        self.raw
            .severity
            .get(id)
            .or_else(|| self.raw.severity.get(name))
            .map(String::as_str)
    }

    /// Parameter values for a rule (id or name).
    pub fn params(&self, id: &str, name: &str) -> BTreeMap<String, serde_yaml::Value> {
        let mut out = BTreeMap::new();
        for key in [id, name] {
            if let Some(p) = self.raw.params.get(key) {
                out.extend(p.clone());
            }
        }
        out
    }

    /// More rule directories, relative to the configuration file.
    pub fn rule_dirs(&self) -> Vec<PathBuf> {
        self.raw
            .rule_dirs
            .iter()
            .map(|d| self.root.join(d))
            .collect()
    }

    /// `fail-on`, when set.
    pub fn fail_on(&self) -> Option<&str> {
        self.raw.fail_on.as_deref()
    }

    /// The path of `file` relative to the configuration's directory, `/`-separated; `None` when
    /// it is outside it.
    fn relative(&self, file: &Path) -> Option<String> {
        let abs = std::path::absolute(file).ok()?;
        let rel = abs.strip_prefix(&self.root).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    }

    /// Whether `file` is excluded from the scan.
    pub fn excluded(&self, file: &Path) -> bool {
        match (&self.exclude, self.relative(file)) {
            (Some(set), Some(rel)) => set.is_match(&rel),
            _ => false,
        }
    }

    /// Why findings of `rule` (id or name) in `file` are ignored, when an `ignore` entry covers
    /// them: its reason, else a generic one.
    pub fn ignored(&self, id: &str, name: &str, file: &Path) -> Option<String> {
        let rel = self.relative(file)?;
        self.ignores
            .iter()
            .find(|(set, rules, _)| {
                rules.iter().any(|r| r == id || r == name) && set.is_match(&rel)
            })
            .map(|(_, _, reason)| {
                reason
                    .clone()
                    .unwrap_or_else(|| "ignored by trustlint.yaml".to_owned())
            })
    }
}

/// "did you mean 'x'?" for the closest candidate, if close enough.
fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean '{c}'?"))
}

/// The commented starter configuration `trustlint init` writes.
pub const STARTER: &str = r#"# trustlint.yaml — policy for this repository. Every key is optional.
# Rules: `trustlint rules`; a rule's page: `trustlint explain <rule>`.

# Rules to switch off, by id, name, or tag (tag:NAME).
disable: []
#  - nps-revocation-offline-ignored
#  - tag:hygiene

# Severity per rule (error, warning, note).
severity: {}
#  certificate-expires-soon: error

# Rule parameters.
params:
  certificate-expires-soon:
    days: 30

# Paths not scanned, as globs relative to this file.
exclude: []
#  - "archive/**"

# Rules ignored under some paths (reported as suppressed, never silently).
ignore: []
#  - paths: ["lab/**"]
#    rules: [vpn-server-validation-disabled]
#    reason: lab NPS without a public CA

# More directories of rules in the same format as the built-in ones.
rule-dirs: []

# Exit 1 when a finding at or above this severity remains: error, warning, note or never.
fail-on: warning
"#;
