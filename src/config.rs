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
//! client-builds: [22000, 22621]                      # Windows builds the clients run
//! domain-controllers: [2019, 2022]                   # Windows Server versions of the DCs
//! rule-docs-url: https://example.org/trustlint/docs/rules   # SARIF helpUri base
//! automation-id: pki/prod/                           # SARIF automationDetails.id
//! bundles: { prod: ["prod/**", "roots/**"], lab: ["lab/**", "roots/**"] }   # joined apart
//! ```
//!
//! The file is read into typed structs ([`ConfigFile`], `deny_unknown_fields`) twice: once for
//! its structure (it names the rule directories), once the rules are loaded with them in
//! context, so a rule, tag or parameter that does not exist is refused where it is written.
//! Every error carries the parser's line and a "did you mean" from the keys or names that fit
//! at that place. `docs/schema/trustlint.schema.json` is generated from the same types.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use miette::{NamedSource, SourceSpan};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};

use crate::yaml::{Invalid, Located, YamlError, did_you_mean};

/// The file name looked for.
pub const FILE_NAME: &str = "trustlint.yaml";

/// A loaded configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from; `None` for the default (no file).
    pub path: Option<PathBuf>,
    /// Its directory: globs and rule directories are relative to it.
    pub root: PathBuf,
    file: ConfigFile,
    source: String,
    exclude: Option<GlobSet>,
    ignores: Vec<(GlobSet, Vec<String>, Option<String>)>,
    bundles: Vec<(String, GlobSet)>,
    /// The current directory when the file was loaded: relative paths are made absolute
    /// against it, without asking the system for each of a scan's files.
    cwd: PathBuf,
}

/// `trustlint.yaml` as written.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(
    title = "trustlint.yaml",
    description = "Per-repository policy for trustlint. Every key is optional."
)]
pub struct ConfigFile {
    /// Rules to switch off, by id (TL1009), name (cdp-ldap-only) or tag (tag:hygiene).
    #[serde(default)]
    disable: Vec<RuleSelector>,
    /// Severity per rule (id or name): error, warning or note.
    #[serde(default)]
    severity: BTreeMap<RuleSelector, ConfigSeverity>,
    /// Rule parameters, per rule (id or name).
    #[serde(default)]
    params: RuleParams,
    /// Paths not scanned, as globs relative to this file.
    #[serde(default)]
    exclude: Vec<GlobPattern>,
    /// Rules ignored under some paths (reported as suppressed, never silently).
    #[serde(default)]
    ignore: Vec<IgnoreEntry>,
    /// More directories of rules, relative to this file.
    #[serde(default)]
    rule_dirs: Vec<PathBuf>,
    /// Exit 1 when a finding at or above this severity remains.
    #[serde(default)]
    fail_on: Option<FailOn>,
    /// The Windows builds the clients run (22000 for Windows 11 21H2, 22621 for 22H2, 26100
    /// for 24H2…): a rule whose failure depends on the client build says it for sure when the
    /// build is listed (field `bundle.clients.windows_builds`).
    #[serde(default)]
    client_builds: Vec<u32>,
    /// The Windows Server versions the domain controllers run (2016, 2019, 2022, 2025; 2012 for
    /// 2012 R2): a rule whose failure depends on the KDC says it for sure when they are listed
    /// (field `bundle.domain.controller_versions`).
    #[serde(default)]
    domain_controllers: Vec<u32>,
    /// Where the rule pages (`docs/rules/` of trustlint) are published, an http(s) URL: SARIF
    /// then links each rule to `<url>/<rule name>.md` (`helpUri`).
    #[serde(default)]
    rule_docs_url: Option<DocsUrl>,
    /// SARIF's `automationDetails.id`: GitHub's category of the analysis (`pki/prod/`), which
    /// tells apart two trustlint runs on one commit (default: `trustlint/`, or in Azure
    /// Pipelines the id GHAzDO requires, from the job's variables).
    #[serde(default)]
    automation_id: Option<String>,
    /// Deployments that share the repository but not their servers (`prod`, `lab`): each name
    /// takes globs of files (from this file's directory), and each bundle is joined on its own,
    /// so a lab NPS snapshot never mitigates a prod finding. A file may be in several bundles
    /// (roots both trust); files in none form one more bundle. Default: the scan is one bundle.
    #[serde(default)]
    bundles: BTreeMap<String, Vec<GlobPattern>>,
}

/// An absolute http(s) URL.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(try_from = "String")]
struct DocsUrl(String);

impl TryFrom<String> for DocsUrl {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        if s.starts_with("https://") || s.starts_with("http://") {
            Ok(DocsUrl(s))
        } else {
            Err(format!("'{s}' is not an http(s) URL"))
        }
    }
}

/// The JSON Schema of `trustlint.yaml` (`docs/schema/trustlint.schema.json`), generated from
/// the types that read it.
pub fn schema() -> String {
    let schema = schemars::schema_for!(ConfigFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// One entry of `ignore`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct IgnoreEntry {
    /// Globs relative to this file.
    paths: Vec<GlobPattern>,
    /// Rules (id, name or tag:NAME) whose findings there are suppressed.
    rules: Vec<RuleSelector>,
    /// Shown with each suppressed finding.
    #[serde(default)]
    reason: Option<String>,
}

/// The severity at or above which a check fails (exit 1): `fail-on` here, `--fail-on` on the
/// command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// An error.
    Error,
    /// A warning or an error.
    Warning,
    /// Any finding.
    Note,
    /// Never: report only.
    Never,
}

/// A severity the configuration gives a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ConfigSeverity(&'static str);

impl<'de> Deserialize<'de> for ConfigSeverity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const NAMES: [&str; 3] = ["error", "warning", "note"];
        Located::new("error, warning or note", |raw| {
            let s = raw.describe();
            NAMES
                .into_iter()
                .find(|n| *n == s)
                .map(ConfigSeverity)
                .ok_or_else(|| {
                    Invalid::with_help(
                        format!("severity '{s}' must be error, warning or note"),
                        did_you_mean(&s, NAMES),
                    )
                })
        })
        .deserialize(d)
    }
}

impl JsonSchema for ConfigSeverity {
    fn schema_name() -> Cow<'static, str> {
        "Severity".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "enum": ["error", "warning", "note"]})
    }
}

/// A glob, checked as it is read.
#[derive(Debug, Clone)]
struct GlobPattern(Glob);

impl<'de> Deserialize<'de> for GlobPattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Located::new("a glob", |raw| {
            let p = raw.describe();
            Glob::new(&p)
                .map(GlobPattern)
                .map_err(|e| Invalid::new(format!("bad glob '{p}': {}", e.kind())))
        })
        .deserialize(d)
    }
}

impl JsonSchema for GlobPattern {
    fn schema_name() -> Cow<'static, str> {
        "Glob".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "description": "A glob relative to trustlint.yaml (archive/**)."})
    }
}

thread_local! {
    /// The rules the second reading checks references against.
    static KNOWN_RULES: RefCell<Option<Vec<KnownRule>>> = const { RefCell::new(None) };
}

/// What the configuration needs to know of a rule to check references to it, owned.
#[derive(Debug, Clone)]
struct KnownRule {
    id: String,
    name: String,
    tags: Vec<String>,
    params: Vec<String>,
}

fn with_known_rules<T>(rules: &[RuleRef<'_>], read: impl FnOnce() -> T) -> T {
    let known = rules
        .iter()
        .map(|r| KnownRule {
            id: r.id.to_owned(),
            name: r.name.to_owned(),
            tags: r.tags.to_vec(),
            params: r.params.iter().map(|p| (*p).to_owned()).collect(),
        })
        .collect();
    let before = KNOWN_RULES.with(|k| k.replace(Some(known)));
    let out = read();
    KNOWN_RULES.with(|k| k.replace(before));
    out
}

/// A rule by id, name or `tag:NAME`; checked against the loaded rules on the second reading.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct RuleSelector(String);

impl RuleSelector {
    fn check(text: &str, known: &[KnownRule]) -> Result<(), Invalid> {
        if let Some(tag) = text.strip_prefix("tag:") {
            if known.iter().any(|r| r.tags.iter().any(|t| t == tag)) {
                return Ok(());
            }
            let mut tags: Vec<String> = known
                .iter()
                .flat_map(|r| r.tags.iter().map(|t| format!("tag:{t}")))
                .collect();
            tags.sort_unstable();
            tags.dedup();
            return Err(Invalid::with_help(
                format!("no rule has the tag '{tag}'"),
                did_you_mean(text, tags.iter().map(String::as_str)),
            ));
        }
        if known.iter().any(|r| r.id == text || r.name == text) {
            return Ok(());
        }
        Err(Invalid::with_help(
            format!("no rule is called '{text}' (an id such as TL1001, a name, or tag:NAME)"),
            did_you_mean(text, known.iter().map(|r| r.name.as_str())),
        ))
    }
}

impl<'de> Deserialize<'de> for RuleSelector {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Located::new("a rule id, name or tag:NAME", |raw| {
            let text = raw.describe();
            KNOWN_RULES.with(|k| match k.borrow().as_deref() {
                Some(known) => RuleSelector::check(&text, known),
                None => Ok(()),
            })?;
            Ok(RuleSelector(text))
        })
        .deserialize(d)
    }
}

impl JsonSchema for RuleSelector {
    fn schema_name() -> Cow<'static, str> {
        "RuleSelector".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A rule id (TL1001), name (issuing-ca-without-cdp) or tag:NAME (`trustlint rules`)."
        })
    }
}

/// `params`: values by rule, then by parameter name; each name checked against its rule on the
/// second reading.
#[derive(Debug, Clone, Default)]
struct RuleParams(BTreeMap<String, BTreeMap<String, serde_yaml::Value>>);

impl<'de> Deserialize<'de> for RuleParams {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RuleParamsVisitor)
    }
}

struct RuleParamsVisitor;

impl<'de> Visitor<'de> for RuleParamsVisitor {
    type Value = RuleParams;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("parameter values by rule")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RuleParams, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(RuleSelector(rule)) = map.next_key()? {
            let values = map.next_value_seed(ParamValues { rule: &rule })?;
            out.insert(rule, values);
        }
        Ok(RuleParams(out))
    }
}

/// The parameter values of one rule.
struct ParamValues<'a> {
    rule: &'a str,
}

impl<'de> DeserializeSeed<'de> for ParamValues<'_> {
    type Value = BTreeMap<String, serde_yaml::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ParamValues<'_> {
    type Value = BTreeMap<String, serde_yaml::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("parameter values by name")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let rule = self.rule;
        let mut out = BTreeMap::new();
        while let Some(name) = map.next_key_seed(Located::new("a parameter name", |raw| {
            let p = raw.describe();
            KNOWN_RULES.with(|k| {
                let known = k.borrow();
                let Some(r) = known
                    .as_deref()
                    .and_then(|rs| rs.iter().find(|r| r.id == rule || r.name == rule))
                else {
                    return Ok(p);
                };
                if r.params.contains(&p) {
                    return Ok(p);
                }
                let has = if r.params.is_empty() {
                    "it has none".to_owned()
                } else {
                    format!("it has: {}", r.params.join(", "))
                };
                Err(Invalid::with_help(
                    format!("rule {} has no parameter '{p}' ({has})", r.name),
                    did_you_mean(&p, r.params.iter().map(String::as_str)),
                ))
            })
        }))? {
            out.insert(name, map.next_value()?);
        }
        Ok(out)
    }
}

impl JsonSchema for RuleParams {
    fn schema_name() -> Cow<'static, str> {
        "RuleParams".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "Parameter values by rule (id or name), then by parameter name (`trustlint explain <rule>`).",
            "additionalProperties": {"type": "object"}
        })
    }
}

/// A configuration that cannot be used: which file, which line, what is wrong, with the YAML as
/// miette source and a label on the mistake.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
#[error("{file}:{line}: {problem}")]
#[diagnostic(code(trustlint::config))]
pub struct ConfigError {
    /// The configuration file.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// What is wrong.
    pub problem: ConfigProblem,
    /// A suggestion.
    #[help]
    pub help: Option<String>,
    #[source_code]
    src: Arc<NamedSource<String>>,
    #[label("here")]
    span: Option<SourceSpan>,
}

/// What is wrong with a configuration file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigProblem {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Unreadable(String),
    /// The YAML does not say a valid configuration: a key, a value, a rule, tag or parameter
    /// that does not exist, a bad glob; in the words of the check that refused it.
    #[error("{0}")]
    Invalid(String),
    /// The globs, each valid, do not build a set.
    #[error("bad globs: {0}")]
    Globs(String),
}

impl ConfigError {
    /// What is wrong, as one line.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }

    fn unreadable(file: &str, e: &std::io::Error) -> Self {
        ConfigError {
            file: file.to_owned(),
            line: 0,
            problem: ConfigProblem::Unreadable(e.to_string()),
            help: None,
            src: Arc::new(NamedSource::new(file, String::new())),
            span: None,
        }
    }

    fn at(file: &str, source: &str, e: YamlError) -> Self {
        let len = source
            .get(e.offset..)
            .and_then(|s| s.find('\n'))
            .unwrap_or_default();
        ConfigError {
            file: file.to_owned(),
            line: e.line,
            problem: ConfigProblem::Invalid(e.message),
            help: e.help,
            src: Arc::new(NamedSource::new(file, source.to_owned())),
            span: (e.line > 0).then(|| (e.offset, len).into()),
        }
    }
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
    /// found from the first path upward to the repository root (a directory holding `.git`),
    /// else the default.
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
            // The repository's root is as far as a repository's configuration can be: a
            // trustlint.yaml above it belongs to something else.
            if d.join(".git").exists() {
                break;
            }
            dir = d.parent();
        }
        Ok(Config::default())
    }

    /// Reads and checks one configuration file (its structure; references to rules are checked
    /// by [`Config::check_rules`] once the rules are loaded).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let source = read_regular_file(path).map_err(|e| ConfigError::unreadable(&file, &e))?;
        let parsed = Config::read(&source).map_err(|e| ConfigError::at(&file, &source, e))?;
        let root = std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let globs = |patterns: &[GlobPattern]| -> Result<GlobSet, ConfigError> {
            let mut b = GlobSetBuilder::new();
            for p in patterns {
                b.add(p.0.clone());
            }
            b.build().map_err(|e| ConfigError {
                file: file.clone(),
                line: 0,
                problem: ConfigProblem::Globs(e.to_string()),
                help: None,
                src: Arc::new(NamedSource::new(&file, source.clone())),
                span: None,
            })
        };
        // No patterns, no set: `excluded` then makes no path absolute.
        let exclude = if parsed.exclude.is_empty() {
            None
        } else {
            Some(globs(&parsed.exclude)?)
        };
        let mut bundles = Vec::new();
        for (name, patterns) in &parsed.bundles {
            bundles.push((name.clone(), globs(patterns)?));
        }
        let mut ignores = Vec::new();
        for i in &parsed.ignore {
            ignores.push((
                globs(&i.paths)?,
                i.rules.iter().map(|r| r.0.clone()).collect(),
                i.reason.clone(),
            ));
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            root,
            file: parsed,
            source,
            exclude,
            ignores,
            bundles,
            cwd: std::env::current_dir().unwrap_or_default(),
        })
    }

    fn read(source: &str) -> Result<ConfigFile, YamlError> {
        if source.trim().is_empty() {
            Ok(ConfigFile::default())
        } else {
            crate::yaml::from_str(source)
        }
    }

    /// Checks that every rule, tag and parameter the configuration names exists: the file is
    /// read again with `rules` known, so each mistake is reported where it is written.
    pub fn check_rules(&self, rules: &[RuleRef<'_>]) -> Result<(), ConfigError> {
        let file = self
            .path
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string());
        with_known_rules(rules, || Config::read(&self.source))
            .map(|_| ())
            .map_err(|e| ConfigError::at(&file, &self.source, e))
    }

    /// Whether a rule is switched off (by id, name or one of its tags).
    pub fn disabled(&self, rule: &RuleRef<'_>) -> bool {
        self.file.disable.iter().map(|d| &d.0).any(|d| {
            d == rule.id
                || d == rule.name
                || d.strip_prefix("tag:")
                    .is_some_and(|t| rule.tags.iter().any(|x| x == t))
        })
    }

    /// The severity the configuration gives a rule, if any (`error`, `warning`, `note`).
    pub fn severity(&self, id: &str, name: &str) -> Option<&str> {
        let get = |key: &str| self.file.severity.get(&RuleSelector(key.to_owned()));
        get(id).or_else(|| get(name)).map(|s| s.0)
    }

    /// Parameter values for a rule (id or name).
    pub fn params(&self, id: &str, name: &str) -> BTreeMap<String, serde_yaml::Value> {
        let mut out = BTreeMap::new();
        for key in [id, name] {
            if let Some(p) = self.file.params.0.get(key) {
                out.extend(p.clone());
            }
        }
        out
    }

    /// More rule directories, relative to the configuration file.
    pub fn rule_dirs(&self) -> Vec<PathBuf> {
        self.file
            .rule_dirs
            .iter()
            .map(|d| self.root.join(d))
            .collect()
    }

    /// `fail-on`, when set.
    pub fn fail_on(&self) -> Option<FailOn> {
        self.file.fail_on
    }

    /// `client-builds`: the Windows builds the clients run, as text (`22000`), sorted.
    pub fn client_builds(&self) -> Vec<String> {
        let mut builds: Vec<u32> = self.file.client_builds.clone();
        builds.sort_unstable();
        builds.dedup();
        builds.iter().map(u32::to_string).collect()
    }

    /// `rule-docs-url`, when set.
    pub fn rule_docs_url(&self) -> Option<&str> {
        self.file.rule_docs_url.as_ref().map(|u| u.0.as_str())
    }

    /// `automation-id`, when set.
    pub fn automation_id(&self) -> Option<&str> {
        self.file.automation_id.as_deref()
    }

    /// `domain-controllers`: the Windows Server versions of the domain controllers, as text
    /// (`2016`), sorted.
    pub fn domain_controllers(&self) -> Vec<String> {
        let mut versions: Vec<u32> = self.file.domain_controllers.clone();
        versions.sort_unstable();
        versions.dedup();
        versions.iter().map(u32::to_string).collect()
    }

    /// The path of `file` relative to the configuration's directory, `/`-separated; `None` when
    /// it is outside it.
    fn relative(&self, file: &Path) -> Option<String> {
        // Joined to an absolute directory first, `absolute` only normalises.
        let joined;
        let file = if file.is_relative() && self.cwd.is_absolute() {
            joined = self.cwd.join(file);
            &joined
        } else {
            file
        };
        let abs = std::path::absolute(file).ok()?;
        let rel = abs.strip_prefix(&self.root).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    }

    /// The names of the `bundles` `file` belongs to, in name order; empty when it is in none
    /// (or no bundles are configured).
    pub fn bundles_of(&self, file: &Path) -> Vec<&str> {
        if self.bundles.is_empty() {
            return Vec::new();
        }
        let Some(rel) = self.relative(file) else {
            return Vec::new();
        };
        self.bundles
            .iter()
            .filter(|(_, set)| set.is_match(&rel))
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// Whether `bundles` are configured.
    pub fn has_bundles(&self) -> bool {
        !self.bundles.is_empty()
    }

    /// Whether `file` is excluded from the scan.
    pub fn excluded(&self, file: &Path) -> bool {
        // Asked for every file discovered: without patterns, no path is made absolute (each
        // `std::path::absolute` of a relative path asks the system for the current directory).
        let Some(set) = &self.exclude else {
            return false;
        };
        self.relative(file).is_some_and(|rel| set.is_match(&rel))
    }

    /// Why findings of `rule` (id or name) in `file` are ignored, when an `ignore` entry covers
    /// them: its reason, else a generic one.
    pub fn ignored(&self, id: &str, name: &str, file: &Path) -> Option<String> {
        if self.ignores.is_empty() {
            return None;
        }
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

# The Windows builds your clients run (22000 = Windows 11 21H2, 22621 = 22H2, 26100 = 24H2):
# rules whose failure depends on the build are certain when it is listed.
client-builds: []
#  - 22621

# The Windows Server versions your domain controllers run (2016, 2019, 2022, 2025): rules whose
# failure depends on the KDC version are certain when they are listed.
domain-controllers: []
#  - 2022

# Where the rule pages (docs/rules/ of trustlint) are published: SARIF links each rule there.
# rule-docs-url: https://example.org/trustlint/docs/rules

# SARIF's automationDetails.id: GitHub's category, to tell two trustlint runs of one commit apart
# (default trustlint/; in Azure Pipelines, the id GHAzDO requires, from the job's variables).
# automation-id: pki/prod/

# Deployments that share this repository but not their servers: each is joined on its own, so a
# lab NPS snapshot never mitigates a prod finding. Globs from this file's directory; a file may
# be in several (shared roots); files in none form one more bundle.
# bundles:
#   prod: ["prod/**", "roots/**"]
#   lab: ["lab/**", "roots/**"]
"#;

/// Reads a file the user names (`--config`, `--baseline`) as text, refusing anything that is not
/// a regular file: a FIFO would block the run forever, a device would be read without end.
pub(crate) fn read_regular_file(path: &Path) -> std::io::Result<String> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    std::fs::read_to_string(path)
}
