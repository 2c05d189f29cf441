//! Rules: one YAML file each, validated and compiled at load. Built-in rules are embedded from
//! `rules/`; user rules come from `--rules DIR` in the same format.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use rayon::prelude::*;
use serde::Deserialize;
use serde_yaml::Value as Yaml;

use super::condition::{Accessor, CompileError, Condition, Params, compile, did_you_mean};
use super::fields::{FieldDef, FieldType, Locator, Scope, fields};
use super::message::Template;
use crate::report::{Severity, Symptom};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Parameter values by (rule id, parameter name) that replace a rule's own.
pub type ParamsFor<'a> = dyn Fn(&str, &str) -> Params + Sync + 'a;

/// A rule file that does not load: which file, which line, what is wrong.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}: {message}")]
#[diagnostic(code(trustlint::rule))]
pub struct RuleError {
    /// The rule file.
    pub file: String,
    /// What is wrong.
    pub message: String,
    /// 1-based line of the mistake.
    pub line: usize,
    #[source_code]
    src: NamedSource<String>,
    #[label("here")]
    span: SourceSpan,
    /// A "did you mean".
    #[help]
    pub help: Option<String>,
}

impl RuleError {
    fn new(
        file: &str,
        src: &str,
        offset: usize,
        message: String,
        help: Option<String>,
    ) -> Box<Self> {
        let len = src.get(offset..).and_then(|s| s.find('\n')).unwrap_or(0);
        Self::spanning(file, src, offset, len, message, help)
    }

    fn spanning(
        file: &str,
        src: &str,
        offset: usize,
        len: usize,
        message: String,
        help: Option<String>,
    ) -> Box<Self> {
        let (line, _) = crate::location::line_column(src, offset);
        Box::new(RuleError {
            file: file.to_owned(),
            message,
            line: usize::try_from(line).unwrap_or(0),
            src: NamedSource::new(file, src.to_owned()),
            span: (offset, len).into(),
            help,
        })
    }

    fn near(file: &str, src: &str, e: CompileError) -> Box<Self> {
        match src.find(&e.near) {
            Some(offset) if !e.near.is_empty() => {
                RuleError::spanning(file, src, offset, e.near.len(), e.message, e.help)
            }
            _ => RuleError::new(file, src, 0, e.message, e.help),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleYaml {
    id: String,
    name: String,
    title: String,
    severity: String,
    #[serde(default)]
    tags: Vec<String>,
    scope: ScopeYaml,
    when: Yaml,
    message: String,
    #[serde(default)]
    symptom: Option<Symptom>,
    why: String,
    fix: String,
    references: Vec<String>,
    #[serde(default)]
    params: Params,
    #[serde(default)]
    overrides: Vec<OverrideYaml>,
    #[serde(default)]
    related: Vec<RelatedYaml>,
    #[serde(default)]
    at: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ScopeYaml {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideYaml {
    when: Yaml,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelatedYaml {
    from: String,
    #[serde(default, rename = "where")]
    filter: Option<Yaml>,
    message: String,
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
}

#[derive(Debug)]
pub(crate) struct RelatedProgram {
    pub(crate) from: Accessor,
    pub(crate) filter: Option<Condition>,
    pub(crate) message: Template,
}

const RULE_KEYS: [&str; 16] = [
    "id",
    "name",
    "title",
    "severity",
    "tags",
    "scope",
    "when",
    "message",
    "symptom",
    "why",
    "fix",
    "references",
    "params",
    "overrides",
    "related",
    "at",
];

/// Loads and compiles one rule file's text.
pub fn parse_rule(origin: &str, src: &str) -> Result<Rule, Box<RuleError>> {
    parse_rule_with(origin, src, &|_, _| Params::new())
}

/// Like [`parse_rule`], with parameter values that replace the rule's own (`params(id, name)`;
/// names the rule does not declare are ignored here and reported by the configuration).
pub fn parse_rule_with(
    origin: &str,
    src: &str,
    params: &ParamsFor<'_>,
) -> Result<Rule, Box<RuleError>> {
    parse_rule_from(origin, src, None, params)
}

/// Parses a rule from `json`, the build's JSON form of the YAML `src`, when there is one (a
/// built-in rule), else from `src`. Errors always point into `src`.
fn parse_rule_from(
    origin: &str,
    src: &str,
    json: Option<&str>,
    params: &ParamsFor<'_>,
) -> Result<Rule, Box<RuleError>> {
    let from_json = json.and_then(|j| serde_json::from_str::<RuleYaml>(j).ok());
    let mut raw: RuleYaml = match from_json {
        Some(raw) => raw,
        None => serde_yaml::from_str(src).map_err(|e| {
            let offset = e.location().map_or(0, |l| l.index());
            let msg = e.to_string();
            let help = msg
                .split('`')
                .nth(1)
                .and_then(|unknown| did_you_mean(unknown, RULE_KEYS));
            RuleError::new(origin, src, offset, msg, help)
        })?,
    };
    for (k, v) in params(&raw.id, &raw.name) {
        if let Some(slot) = raw.params.get_mut(&k) {
            *slot = v;
        }
    }
    let err_at = |needle: &str, message: String| {
        let offset = src.find(needle).unwrap_or(0);
        RuleError::new(origin, src, offset, message, None)
    };
    if !is_rule_id(&raw.id) {
        return Err(err_at(
            &raw.id,
            format!("id '{}' must be TL followed by four digits", raw.id),
        ));
    }
    if raw.name.is_empty()
        || !raw
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(err_at(
            &raw.name,
            format!("name '{}' must be kebab-case", raw.name),
        ));
    }
    let severity = parse_severity(&raw.severity).map_err(|m| err_at("severity:", m))?;
    let scope_names = match &raw.scope {
        ScopeYaml::One(s) => vec![s.clone()],
        ScopeYaml::Many(v) => v.clone(),
    };
    let mut scopes = Vec::new();
    for s in &scope_names {
        let scope = Scope::from_name(s).ok_or_else(|| {
            let help = did_you_mean(s, Scope::ALL.iter().map(|s| s.name()));
            RuleError::new(
                origin,
                src,
                src.find("scope:").unwrap_or(0),
                format!("unknown scope '{s}'"),
                help,
            )
        })?;
        scopes.push(scope);
    }
    let near = |e: CompileError| RuleError::near(origin, src, e);
    let mut programs = Vec::new();
    for &scope in &scopes {
        let when = compile(&raw.when, scope, &raw.params).map_err(near)?;
        let message = Template::compile(&raw.message, scope, &raw.params).map_err(near)?;
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            overrides.push(Override {
                when: compile(&o.when, scope, &raw.params).map_err(near)?,
                severity: o
                    .severity
                    .as_deref()
                    .map(parse_severity)
                    .transpose()
                    .map_err(|m| err_at("overrides:", m))?,
                message: o
                    .message
                    .as_deref()
                    .map(|m| Template::compile(m, scope, &raw.params))
                    .transpose()
                    .map_err(near)?,
            });
        }
        let mut related = Vec::new();
        for r in &raw.related {
            let from = Accessor::compile(scope, &r.from).map_err(near)?;
            let (FieldType::Entities(target) | FieldType::Entity(target)) = from.ty else {
                return Err(err_at(
                    &r.from,
                    format!(
                        "related 'from' must name an entity or a list of entities; '{}' is {}",
                        r.from,
                        from.ty.describe()
                    ),
                ));
            };
            related.push(RelatedProgram {
                filter: r
                    .filter
                    .as_ref()
                    .map(|f| compile(f, target, &raw.params))
                    .transpose()
                    .map_err(near)?,
                message: Template::compile(&r.message, target, &raw.params).map_err(near)?,
                from,
            });
        }
        let at = match raw.at.as_deref() {
            None => None,
            Some(name) => {
                let located = |f: &&FieldDef| f.at.is_some();
                let Some(locate) = fields(scope)
                    .iter()
                    .filter(located)
                    .find(|f| f.name == name)
                else {
                    let help =
                        did_you_mean(name, fields(scope).iter().filter(located).map(|f| f.name));
                    return Err(RuleError::new(
                        origin,
                        src,
                        src.find("at:").unwrap_or(0),
                        format!(
                            "'at: {name}' must name a field of scope {} that has a place in its file",
                            scope.name()
                        ),
                        help,
                    ));
                };
                locate.at
            }
        };
        programs.push(Program {
            scope,
            when,
            message,
            overrides,
            related,
            at,
        });
    }
    for (key, text) in [("why", &raw.why), ("fix", &raw.fix), ("title", &raw.title)] {
        if text.trim().is_empty() {
            return Err(err_at(
                &format!("{key}:"),
                format!("'{key}' must not be empty"),
            ));
        }
    }
    if raw.references.is_empty() {
        return Err(err_at(
            "references:",
            "'references' must name at least one source".to_owned(),
        ));
    }
    Ok(Rule {
        id: Arc::from(raw.id),
        name: Arc::from(raw.name),
        title: Arc::from(raw.title),
        severity,
        tags: raw.tags,
        scopes,
        symptom: raw.symptom,
        why: raw.why,
        fix: Arc::from(raw.fix),
        references: raw.references,
        origin: origin.to_owned(),
        params: raw.params,
        programs,
    })
}

fn is_rule_id(id: &str) -> bool {
    id.len() == 6 && id.starts_with("TL") && id.bytes().skip(2).all(|b| b.is_ascii_digit())
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::from_name(s).ok_or_else(|| {
        let help = did_you_mean(s, ["error", "warning", "note"]).unwrap_or_default();
        format!("severity '{s}' must be error, warning or note {help}")
            .trim()
            .to_owned()
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
pub fn load_rules_with(
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
            errors.push(*RuleError::new(
                &dir.display().to_string(),
                "",
                0,
                "not a directory of rules".to_owned(),
                None,
            ));
        }
        for f in files {
            match std::fs::read_to_string(&f) {
                Ok(text) => sources.push((display(&f), Cow::Owned(text), None)),
                Err(e) => errors.push(*RuleError::new(
                    &display(&f),
                    "",
                    0,
                    format!("cannot read: {e}"),
                    None,
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
                for (map, key, what) in [
                    (&mut ids, rule.id.clone(), "id"),
                    (&mut names, rule.name.clone(), "name"),
                ] {
                    if let Some(first) = map.get(&key) {
                        errors.push(*RuleError::new(
                            origin,
                            text,
                            text.find(&*key).unwrap_or(0),
                            format!("{what} '{key}' is already used by {first}"),
                            None,
                        ));
                    } else {
                        map.insert(key, origin.clone());
                    }
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
            let from_yaml = parse_rule_from(path, yaml, None, &none);
            let from_json = parse_rule_from(path, yaml, Some(json), &none);
            match (from_yaml, from_json) {
                (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{path}"),
                (a, b) => panic!("{path}: from YAML {:?}, from JSON {:?}", a.err(), b.err()),
            }
        }
    }
}
