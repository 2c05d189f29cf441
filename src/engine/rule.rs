//! Rules: one YAML file each, validated and compiled at load. Built-in rules are embedded from
//! `rules/`; user rules come from `--rules DIR` in the same format.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use rayon::prelude::*;

use super::condition::{Accessor, Condition, Params};
use super::fields::{Locator, Scope};
use super::message::Template;
pub use super::rule_file::Precision;
use super::rule_file::{RuleFile, RuleHead, with_compiling};
use crate::report::{Severity, Symptom};
use crate::yaml::YamlError;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Parameter values by (rule id, parameter name) that replace a rule's own.
pub(crate) type ParamsFor<'a> = dyn Fn(&str, &str) -> Params + Sync + 'a;

/// A rule file that does not load: which file, which line, what is wrong, with the YAML as
/// miette source and a label on the mistake.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}:{line}: {problem}")]
#[diagnostic(code(trustlint::rule))]
pub struct RuleError {
    /// The rule file.
    pub file: String,
    /// What is wrong.
    pub problem: RuleProblem,
    /// 1-based line of the mistake (0 when the file has no text: unreadable, missing).
    pub line: usize,
    #[source_code]
    src: NamedSource<String>,
    #[label("here")]
    span: SourceSpan,
    /// A "did you mean".
    #[help]
    pub help: Option<String>,
}

/// What is wrong with a rule file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleProblem {
    /// The YAML does not say a valid rule: a key, a value, a field, an operand.
    #[error("{0}")]
    Invalid(String),
    /// Another rule has this id.
    #[error("id '{id}' is already used by {first}")]
    DuplicateId {
        /// The id.
        id: String,
        /// The rule file that has it first.
        first: String,
    },
    /// Another rule has this name.
    #[error("name '{name}' is already used by {first}")]
    DuplicateName {
        /// The name.
        name: String,
        /// The rule file that has it first.
        first: String,
    },
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Unreadable(String),
    /// A `--rules` directory that does not exist.
    #[error("not a directory of rules")]
    NotADirectory,
}

impl RuleError {
    /// What is wrong, as one line.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }

    fn new(file: &str, src: &str, at: Option<&YamlError>, problem: RuleProblem) -> Self {
        let offset = at.map_or(0, |e| e.offset);
        let len = src
            .get(offset..)
            .and_then(|s| s.find('\n'))
            .unwrap_or_default();
        RuleError {
            file: file.to_owned(),
            problem,
            line: at.map_or(0, |e| e.line),
            src: NamedSource::new(file, src.to_owned()),
            span: (offset, len).into(),
            help: at.and_then(|e| e.help.clone()),
        }
    }

    fn invalid(file: &str, src: &str, e: &YamlError) -> Box<Self> {
        Box::new(RuleError::new(
            file,
            src,
            Some(e),
            RuleProblem::Invalid(e.message.clone()),
        ))
    }

    /// A problem of the file as a whole, or at the first place `needle` is written (a
    /// duplicate id or name: a key already read, written once in its file).
    fn whole(file: &str, src: &str, needle: Option<&str>, problem: RuleProblem) -> Self {
        let at = needle.and_then(|n| src.find(n)).map(|offset| {
            let (line, column) = crate::location::line_column(src, offset);
            YamlError {
                message: String::new(),
                help: None,
                offset,
                line: usize::try_from(line).unwrap_or(0),
                column: usize::try_from(column).unwrap_or(0),
            }
        });
        RuleError::new(file, src, at.as_ref(), problem)
    }
}

/// A rule, compiled.
#[derive(Debug)]
pub struct Rule {
    /// `TL1001`.
    pub id: Arc<str>,
    /// `issuing-ca-without-cdp`.
    pub name: Arc<str>,
    /// One-line title.
    pub title: Arc<str>,
    /// Default severity.
    pub severity: Severity,
    /// Tags.
    pub tags: Vec<String>,
    /// GitHub code scanning's `security-severity` (0.0–10.0), for rules tagged `security`.
    pub security_severity: Option<f64>,
    /// How often a finding is a real problem.
    pub precision: Precision,
    /// The scopes it evaluates.
    pub scopes: Vec<Scope>,
    /// The Windows symptom.
    pub symptom: Option<Symptom>,
    /// Why it matters.
    pub why: String,
    /// How to fix it.
    pub fix: Arc<str>,
    /// Public sources.
    pub references: Vec<String>,
    /// Where the rule came from: `rules/<area>/<name>.yaml` or a user path.
    pub origin: String,
    /// The rule's parameters.
    pub params: Params,
    pub(crate) programs: Vec<Program>,
}

/// A rule compiled for one scope.
#[derive(Debug)]
pub(crate) struct Program {
    pub(crate) scope: Scope,
    pub(crate) when: Condition,
    pub(crate) message: Template,
    pub(crate) overrides: Vec<Override>,
    pub(crate) related: Vec<RelatedProgram>,
    /// Where findings point, when the rule names a field (`at:`) instead of the entity.
    pub(crate) at: Option<Locator>,
}

#[derive(Debug)]
pub(crate) struct Override {
    pub(crate) when: Condition,
    pub(crate) severity: Option<Severity>,
    pub(crate) message: Option<Template>,
    pub(crate) symptom: Option<Symptom>,
}

#[derive(Debug)]
pub(crate) struct RelatedProgram {
    pub(crate) from: Accessor,
    pub(crate) filter: Option<Condition>,
    pub(crate) message: Template,
}

/// The text a rule is read from.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// The build's JSON form of a built-in rule.
    Json(&'a str),
    /// YAML, whose errors carry positions.
    Yaml(&'a str),
}

impl Source<'_> {
    fn read<T: serde::de::DeserializeOwned>(self) -> Result<T, YamlError> {
        match self {
            Source::Json(text) => serde_json::from_str(text).map_err(|e| YamlError::from_json(&e)),
            Source::Yaml(text) => crate::yaml::from_str(text),
        }
    }
}

/// Parses a rule from `json`, the build's JSON form of the YAML `src`, when there is one (a
/// built-in rule) and it reads; else from `src`, so that errors always point into the YAML.
fn parse_rule_from(
    origin: &str,
    src: &str,
    json: Option<&str>,
    params: &ParamsFor<'_>,
) -> Result<Rule, Box<RuleError>> {
    if let Some(json) = json
        && let Ok(rule) = compile_rule(origin, Source::Json(json), params)
    {
        return Ok(rule);
    }
    compile_rule(origin, Source::Yaml(src), params).map_err(|e| RuleError::invalid(origin, src, &e))
}

/// Reads a rule: its head (scopes and parameters), then the whole file once per scope, compiled
/// in that scope with the parameters (the rule's own, replaced by `params`).
fn compile_rule(
    origin: &str,
    source: Source<'_>,
    params: &ParamsFor<'_>,
) -> Result<Rule, YamlError> {
    let head: RuleHead = source.read()?;
    let mut values = head.params;
    let id = head.id.unwrap_or_default();
    let name = head.name.unwrap_or_default();
    for (k, v) in params(&id, &name) {
        if let Some(slot) = values.get_mut(&k) {
            *slot = v;
        }
    }
    let mut programs = Vec::new();
    let mut described = None;
    for &scope in &head.scope.0 {
        let RuleFile {
            id,
            name,
            title,
            severity,
            tags,
            security_severity,
            precision,
            scope: _,
            when,
            message,
            symptom,
            why,
            fix,
            references,
            params: _,
            overrides,
            related,
            at,
        } = with_compiling(scope, &values, || source.read())?;
        programs.push(Program {
            scope,
            when: when.0,
            message: message.0,
            overrides: overrides
                .into_iter()
                .map(|o| Override {
                    when: o.when.0,
                    severity: o.severity,
                    message: o.message.map(|m| m.0),
                    symptom: o.symptom,
                })
                .collect(),
            related: related
                .into_iter()
                .map(|r| RelatedProgram {
                    from: r.from,
                    filter: r.filter,
                    message: r.message,
                })
                .collect(),
            at: at.map(|a| a.0),
        });
        // Every reading says the same of the rule itself; the last is kept.
        described = Some((
            (id, name, title, severity, tags),
            (security_severity, precision),
            (symptom, why, fix, references),
        ));
    }
    let Some((
        (id, name, title, severity, tags),
        (security_severity, precision),
        (symptom, why, fix, references),
    )) = described
    else {
        return Err(YamlError {
            message: "'scope' must name at least one scope".to_owned(),
            help: None,
            offset: 0,
            line: 0,
            column: 0,
        });
    };
    Ok(Rule {
        id: Arc::from(id.0),
        name: Arc::from(name.0),
        title: Arc::from(title.0),
        severity,
        tags,
        security_severity: security_severity.map(|s| s.0),
        precision: precision.unwrap_or_default(),
        scopes: head.scope.0,
        symptom,
        why: why.0,
        fix: Arc::from(fix.0),
        references: references.0,
        origin: origin.to_owned(),
        params: values,
        programs,
    })
}

/// Errors while loading a set of rules: every broken file, not just the first.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{} rule file(s) failed to load", errors.len())]
pub struct RuleSetError {
    /// One per broken file (or per duplicate).
    #[related]
    pub errors: Vec<RuleError>,
}

/// The built-in rules, then every `*.yaml`/`*.yml` below each of `dirs`, compiled. Ids and
/// names must be unique across all of them.
pub fn load_rules(dirs: &[PathBuf]) -> Result<Vec<Rule>, RuleSetError> {
    load_rules_with(dirs, &|_, _| Params::new())
}

/// Like [`load_rules`], with parameter values that replace the rules' own (see
/// [`parse_rule_with`]).
pub(crate) fn load_rules_with(
    dirs: &[PathBuf],
    params: &ParamsFor<'_>,
) -> Result<Vec<Rule>, RuleSetError> {
    let mut sources: Vec<(String, Cow<'static, str>, Option<&'static str>)> = BUILTIN_RULES
        .iter()
        .map(|(path, text, json)| (format!("rules/{path}"), Cow::Borrowed(*text), *json))
        .collect();
    let mut errors = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        files.sort();
        if files.is_empty() && !dir.is_dir() {
            errors.push(RuleError::whole(
                &dir.display().to_string(),
                "",
                None,
                RuleProblem::NotADirectory,
            ));
        }
        for f in files {
            match std::fs::read_to_string(&f) {
                Ok(text) => sources.push((display(&f), Cow::Owned(text), None)),
                Err(e) => errors.push(RuleError::whole(
                    &display(&f),
                    "",
                    None,
                    RuleProblem::Unreadable(e.to_string()),
                )),
            }
        }
    }
    let mut rules = Vec::new();
    let mut ids: BTreeMap<Arc<str>, String> = BTreeMap::new();
    let mut names: BTreeMap<Arc<str>, String> = BTreeMap::new();
    // Rules compile independently; collecting keeps their order, so errors and duplicates
    // come out the same whatever the number of threads.
    let parsed: Vec<Result<Rule, Box<RuleError>>> = sources
        .par_iter()
        .map(|(origin, text, json)| parse_rule_from(origin, text, *json, params))
        .collect();
    for ((origin, text, _), parsed) in sources.iter().zip(parsed) {
        match parsed {
            Ok(rule) => {
                if let Some(first) = ids.get(&rule.id) {
                    let problem = RuleProblem::DuplicateId {
                        id: rule.id.to_string(),
                        first: first.clone(),
                    };
                    errors.push(RuleError::whole(origin, text, Some(&rule.id), problem));
                } else {
                    ids.insert(rule.id.clone(), origin.clone());
                }
                if let Some(first) = names.get(&rule.name) {
                    let problem = RuleProblem::DuplicateName {
                        name: rule.name.to_string(),
                        first: first.clone(),
                    };
                    errors.push(RuleError::whole(origin, text, Some(&rule.name), problem));
                } else {
                    names.insert(rule.name.clone(), origin.clone());
                }
                rules.push(rule);
            }
            Err(e) => errors.push(*e),
        }
    }
    if errors.is_empty() {
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(rules)
    } else {
        Err(RuleSetError { errors })
    }
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_rule_has_a_json_form_that_compiles_to_the_same_rule() {
        assert!(!BUILTIN_RULES.is_empty());
        for (path, yaml, json) in BUILTIN_RULES {
            let json = json.unwrap_or_else(|| panic!("{path}: the build made no JSON of it"));
            let none = |_: &str, _: &str| Params::new();
            // The JSON form must read by itself: a silent fall-back to YAML would cost the
            // start-up time the JSON is there to save.
            assert!(
                compile_rule(path, Source::Json(json), &none).is_ok(),
                "{path}: the JSON form does not read"
            );
            let from_yaml = parse_rule_from(path, yaml, None, &none);
            let from_json = parse_rule_from(path, yaml, Some(json), &none);
            match (from_yaml, from_json) {
                (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{path}"),
                (a, b) => panic!("{path}: from YAML {:?}, from JSON {:?}", a.err(), b.err()),
            }
        }
    }
}
