//! The condition language, compiled once per rule and scope into typed accessors.
//!
//! `allOf`, `anyOf`, `not`; `field` with `equals`, `notEquals`, `in`, `notIn`, `less`,
//! `lessOrEquals`, `greater`, `greaterOrEquals`, `exists`, `contains`, `startsWith`,
//! `endsWith`, `match`; and `count` (with an optional `where`) over list fields. As in Azure
//! Policy, a test on an absent field is false, except `notEquals`/`notIn` (true) and
//! `exists: false` (true).

use std::borrow::Cow;
use std::collections::BTreeMap;

use regex::Regex;
use serde_yaml::Value as Yaml;

use super::fields::{Entity, FieldType, Getter, Scope, Value, field, fields};
use crate::facts::Bundle;

/// A compile error: what is wrong, a string to find in the rule file for the line, and a hint.
#[derive(Debug, Clone)]
pub struct CompileError {
    /// What is wrong.
    pub message: String,
    /// Text near the mistake, used to point at its line.
    pub near: String,
    /// A "did you mean".
    pub help: Option<String>,
}

impl CompileError {
    fn new(message: impl Into<String>, near: impl Into<String>) -> Self {
        CompileError {
            message: message.into(),
            near: near.into(),
            help: None,
        }
    }

    fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// "did you mean 'x'?" for the closest of `candidates`.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wrong, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean '{c}'?"))
}

/// A compiled path to a field: each step but the last yields an entity for the next.
#[derive(Clone)]
pub struct Accessor {
    steps: Vec<Getter>,
    /// The type of the final value.
    pub ty: FieldType,
    /// The field's name as written.
    pub name: String,
}

impl std::fmt::Debug for Accessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Accessor({})", self.name)
    }
}

impl Accessor {
    /// Resolves `path` in `scope`: a field of the scope; `bundle.` + a bundle field; or an
    /// entity field, a dot, and a field of that entity's scope (`issuer.key.bits`).
    pub fn compile(scope: Scope, path: &str) -> Result<Accessor, CompileError> {
        let mut steps = Vec::new();
        let mut scope = scope;
        let mut rest = path;
        if let Some(r) = rest.strip_prefix("bundle.") {
            steps.push(bundle_entity as Getter);
            scope = Scope::Bundle;
            rest = r;
        }
        loop {
            if let Some(f) = field(scope, rest) {
                steps.push(f.get);
                return Ok(Accessor {
                    steps,
                    ty: f.ty,
                    name: path.to_owned(),
                });
            }
            // The longest prefix that names an entity field.
            let next = rest.match_indices('.').map(|(i, _)| i).rev().find_map(|i| {
                let (head, tail) = (rest.get(..i)?, rest.get(i.saturating_add(1)..)?);
                match field(scope, head)?.ty {
                    FieldType::Entity(s) => Some((field(scope, head)?.get, s, tail)),
                    _ => None,
                }
            });
            let Some((getter, next_scope, tail)) = next else {
                let mut names: Vec<&str> = fields(scope).iter().map(|f| f.name).collect();
                if steps.is_empty() {
                    names.extend(fields(Scope::Bundle).iter().map(|f| f.name));
                }
                let candidates: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
                let help =
                    did_you_mean(rest, candidates.iter().map(String::as_str)).or_else(|| {
                        let bundle_names: Vec<String> = fields(Scope::Bundle)
                            .iter()
                            .map(|f| format!("bundle.{}", f.name))
                            .collect();
                        did_you_mean(path, bundle_names.iter().map(String::as_str))
                    });
                return Err(CompileError::new(
                    format!(
                        "unknown field '{path}' for scope {} (see `trustlint fields`)",
                        scope.name()
                    ),
                    path,
                )
                .with_help(help));
            };
            steps.push(getter);
            scope = next_scope;
            rest = tail;
        }
    }

    /// The field's value for `entity`.
    pub fn get<'b>(&self, bundle: &'b Bundle, entity: Entity<'b>) -> Value<'b> {
        let mut current = entity;
        let mut value = Value::Absent;
        for (i, step) in self.steps.iter().enumerate() {
            value = step(bundle, current);
            if i.saturating_add(1) < self.steps.len() {
                match value {
                    Value::Entity(e) => current = e,
                    _ => return Value::Absent,
                }
            }
        }
        value
    }
}

fn bundle_entity<'b>(_b: &'b Bundle, _e: Entity<'b>) -> Value<'b> {
    Value::Entity(Entity::Bundle(_b))
}

/// A literal operand, typed like the field it is compared with.
#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Bool(bool),
    Int(i64),
    Str(String),
    /// Absolute Unix seconds, or `now` plus an offset in seconds.
    Time {
        now_relative: bool,
        secs: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone)]
enum Op {
    Cmp(Cmp, Lit),
    In(Vec<Lit>, bool),
    Exists(bool),
    Contains(Lit),
    StartsWith(String),
    EndsWith(String),
    Match(Regex),
}

/// A compiled condition.
#[derive(Debug, Clone)]
pub enum Condition {
    /// Every child holds.
    All(Vec<Condition>),
    /// Some child holds.
    Any(Vec<Condition>),
    /// The child does not hold.
    Not(Box<Condition>),
    /// A test of one field (or, inside `count.where` over strings, of the element).
    Test {
        /// The field; `None` for the list element.
        field: Option<Accessor>,
        /// The test.
        op: Box<OpHolder>,
    },
    /// A count over a list field compared with a number.
    Count {
        /// The list.
        field: Accessor,
        /// Which elements count.
        filter: Option<Box<Condition>>,
        /// The comparison with the number.
        cmp: Box<OpHolder>,
    },
}

/// An operator, boxed to keep `Condition` small.
#[derive(Debug, Clone)]
pub struct OpHolder(Op);

const OPERATORS: [&str; 13] = [
    "equals",
    "notEquals",
    "in",
    "notIn",
    "less",
    "lessOrEquals",
    "greater",
    "greaterOrEquals",
    "exists",
    "contains",
    "startsWith",
    "endsWith",
    "match",
];
const STRUCTURE_KEYS: [&str; 5] = ["allOf", "anyOf", "not", "field", "count"];

/// Rule parameters (`params:`), substituted where an operand is written `{name}`.
pub type Params = BTreeMap<String, Yaml>;

/// Compiles `yaml` in `scope`.
pub fn compile(yaml: &Yaml, scope: Scope, params: &Params) -> Result<Condition, CompileError> {
    compile_in(yaml, scope, params, None)
}

fn compile_in(
    yaml: &Yaml,
    scope: Scope,
    params: &Params,
    element: Option<FieldType>,
) -> Result<Condition, CompileError> {
    let map = yaml.as_mapping().ok_or_else(|| {
        CompileError::new(
            "a condition must be a mapping (allOf, anyOf, not, field…)",
            yaml_text(yaml),
        )
    })?;
    let keys: Vec<String> = map.keys().map(yaml_text).collect();
    for k in &keys {
        if !OPERATORS.contains(&k.as_str()) && !STRUCTURE_KEYS.contains(&k.as_str()) && k != "where"
        {
            let help = did_you_mean(k, OPERATORS.iter().chain(STRUCTURE_KEYS.iter()).copied());
            return Err(
                CompileError::new(format!("unknown condition key '{k}'"), format!("{k}:"))
                    .with_help(help),
            );
        }
    }
    let get = |k: &str| map.get(Yaml::String(k.to_owned()));
    let children = |v: &Yaml, key: &str| -> Result<Vec<Condition>, CompileError> {
        v.as_sequence()
            .ok_or_else(|| {
                CompileError::new(
                    format!("'{key}' takes a list of conditions"),
                    format!("{key}:"),
                )
            })?
            .iter()
            .map(|c| compile_in(c, scope, params, element))
            .collect()
    };
    if let Some(v) = get("allOf") {
        only(&keys, "allOf")?;
        return Ok(Condition::All(children(v, "allOf")?));
    }
    if let Some(v) = get("anyOf") {
        only(&keys, "anyOf")?;
        return Ok(Condition::Any(children(v, "anyOf")?));
    }
    if let Some(v) = get("not") {
        only(&keys, "not")?;
        return Ok(Condition::Not(Box::new(compile_in(
            v, scope, params, element,
        )?)));
    }

    let ops: Vec<&String> = keys
        .iter()
        .filter(|k| OPERATORS.contains(&k.as_str()))
        .collect();
    let field_acc = match get("field") {
        Some(f) => {
            let name = f
                .as_str()
                .ok_or_else(|| CompileError::new("'field' takes a field name", "field:"))?;
            Some(Accessor::compile(scope, name)?)
        }
        None => None,
    };

    if let Some(count) = get("count") {
        let acc = field_acc
            .ok_or_else(|| CompileError::new("'count' needs a 'field' naming a list", "count:"))?;
        let elem_scope = match acc.ty {
            FieldType::StrList => None,
            FieldType::Entities(s) => Some(s),
            other => {
                return Err(CompileError::new(
                    format!(
                        "'count' needs a list field; '{}' is {}",
                        acc.name,
                        other.describe()
                    ),
                    acc.name.clone(),
                ));
            }
        };
        if !ops.is_empty() {
            return Err(CompileError::new(
                "put the comparison inside 'count' (count: {where: …, greater: 0}) or write count: N",
                "count:",
            ));
        }
        let (filter, cmp) = match count {
            Yaml::Number(_) | Yaml::String(_) => (
                None,
                Op::Cmp(Cmp::Eq, lit(count, FieldType::Int, params, "count:")?),
            ),
            Yaml::Mapping(m) => {
                let mut filter = None;
                let mut cmp = None;
                for (k, v) in m {
                    let k = yaml_text(k);
                    match k.as_str() {
                        "where" => {
                            filter = Some(Box::new(match elem_scope {
                                Some(s) => compile_in(v, s, params, None)?,
                                None => compile_in(v, scope, params, Some(FieldType::Str))?,
                            }));
                        }
                        op => {
                            let c = cmp_of(op).ok_or_else(|| {
                                CompileError::new(
                                    format!("unknown key '{op}' in count"),
                                    format!("{op}:"),
                                )
                                .with_help(did_you_mean(
                                    op,
                                    [
                                        "where",
                                        "equals",
                                        "notEquals",
                                        "less",
                                        "lessOrEquals",
                                        "greater",
                                        "greaterOrEquals",
                                    ],
                                ))
                            })?;
                            cmp = Some(Op::Cmp(c, lit(v, FieldType::Int, params, op)?));
                        }
                    }
                }
                let cmp = cmp.ok_or_else(|| {
                    CompileError::new("'count' needs a comparison (equals, greater…)", "count:")
                })?;
                (filter, cmp)
            }
            _ => {
                return Err(CompileError::new(
                    "'count' takes a number or a mapping",
                    "count:",
                ));
            }
        };
        return Ok(Condition::Count {
            field: acc,
            filter,
            cmp: Box::new(OpHolder(cmp)),
        });
    }

    let ty = match (&field_acc, element) {
        (Some(a), _) => a.ty,
        (None, Some(t)) => t,
        (None, None) => {
            return Err(CompileError::new(
                "a test needs a 'field'",
                keys.first().cloned().unwrap_or_default(),
            ));
        }
    };
    let [op_name] = ops.as_slice() else {
        return Err(CompileError::new(
            format!(
                "a field test takes exactly one operator, found {}",
                ops.len()
            ),
            field_acc
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
        ));
    };
    let v = get(op_name).unwrap_or(&Yaml::Null);
    let name = field_acc
        .as_ref()
        .map_or("the element", |a| a.name.as_str());
    let type_err = |what: &str| {
        CompileError::new(
            format!("'{op_name}' {what}; '{name}' is {}", ty.describe()),
            format!("{op_name}:"),
        )
    };
    let op = match op_name.as_str() {
        "exists" => Op::Exists(v.as_bool().ok_or_else(|| type_err("takes true or false"))?),
        "equals" | "notEquals" | "less" | "lessOrEquals" | "greater" | "greaterOrEquals" => {
            let c = cmp_of(op_name).unwrap_or(Cmp::Eq);
            let ordered = !matches!(c, Cmp::Eq | Cmp::Ne);
            match ty {
                FieldType::Int | FieldType::Time => {}
                FieldType::Bool | FieldType::Str if !ordered => {}
                _ => {
                    return Err(type_err(if ordered {
                        "compares numbers and times"
                    } else {
                        "compares single values"
                    }));
                }
            }
            Op::Cmp(c, lit(v, ty, params, op_name)?)
        }
        "in" | "notIn" => {
            if !matches!(ty, FieldType::Int | FieldType::Str) {
                return Err(type_err("takes a string or number field"));
            }
            let items = v.as_sequence().ok_or_else(|| type_err("takes a list"))?;
            Op::In(
                items
                    .iter()
                    .map(|i| lit(i, ty, params, op_name))
                    .collect::<Result<_, _>>()?,
                op_name.as_str() == "in",
            )
        }
        "contains" => match ty {
            FieldType::StrList | FieldType::Str => {
                Op::Contains(lit(v, FieldType::Str, params, op_name)?)
            }
            _ => return Err(type_err("takes a string or list field")),
        },
        "startsWith" | "endsWith" | "match" => {
            if ty != FieldType::Str {
                return Err(type_err("takes a string field"));
            }
            let Lit::Str(s) = lit(v, FieldType::Str, params, op_name)? else {
                return Err(type_err("takes a string"));
            };
            match op_name.as_str() {
                "startsWith" => Op::StartsWith(s),
                "endsWith" => Op::EndsWith(s),
                _ => Op::Match(
                    Regex::new(&s)
                        .map_err(|e| CompileError::new(format!("bad regex: {e}"), s.clone()))?,
                ),
            }
        }
        _ => return Err(type_err("is not an operator")),
    };
    Ok(Condition::Test {
        field: field_acc,
        op: Box::new(OpHolder(op)),
    })
}

fn only(keys: &[String], key: &str) -> Result<(), CompileError> {
    if keys.len() == 1 {
        Ok(())
    } else {
        Err(CompileError::new(
            format!("'{key}' must be alone in its mapping"),
            format!("{key}:"),
        ))
    }
}

fn cmp_of(op: &str) -> Option<Cmp> {
    Some(match op {
        "equals" => Cmp::Eq,
        "notEquals" => Cmp::Ne,
        "less" => Cmp::Lt,
        "lessOrEquals" => Cmp::Le,
        "greater" => Cmp::Gt,
        "greaterOrEquals" => Cmp::Ge,
        _ => return None,
    })
}

fn yaml_text(v: &Yaml) -> String {
    match v {
        Yaml::String(s) => s.clone(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Null => "null".into(),
        _ => serde_yaml::to_string(v)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// Substitutes `{param}` references in a string operand; `{{` and `}}` stand for literal braces,
/// as in messages.
fn substitute(s: &str, params: &Params, near: &str) -> Result<String, CompileError> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find(['{', '}']) {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        if let Some(tail) = after
            .strip_prefix("{{")
            .or_else(|| after.strip_prefix("}}"))
        {
            out.push_str(after.get(..1).unwrap_or(""));
            rest = tail;
            continue;
        }
        if after.starts_with('}') {
            return Err(CompileError::new(
                format!("unmatched '}}' in '{s}' (write '}}}}' for a brace)"),
                near,
            ));
        }
        let after = after.get(1..).unwrap_or("");
        let close = after
            .find('}')
            .ok_or_else(|| CompileError::new(format!("unclosed '{{' in '{s}'"), near))?;
        let (name, tail) = after.split_at(close);
        let value = params.get(name).ok_or_else(|| {
            CompileError::new(format!("unknown parameter '{name}'"), format!("{{{name}}}"))
                .with_help(did_you_mean(name, params.keys().map(String::as_str)))
        })?;
        out.push_str(&yaml_text(value));
        rest = tail.get(1..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

fn lit(v: &Yaml, ty: FieldType, params: &Params, near: &str) -> Result<Lit, CompileError> {
    let text = match v {
        Yaml::String(s) => Some(substitute(s, params, near)?),
        _ => None,
    };
    let mismatch = || {
        CompileError::new(
            format!("'{}' is not a {}", yaml_text(v), ty.describe()),
            near.to_owned(),
        )
    };
    match ty {
        FieldType::Bool => v.as_bool().map(Lit::Bool).ok_or_else(mismatch),
        FieldType::Int => match (v.as_i64(), &text) {
            (Some(n), _) => Ok(Lit::Int(n)),
            (None, Some(t)) => t.trim().parse().map(Lit::Int).map_err(|_| mismatch()),
            _ => Err(mismatch()),
        },
        FieldType::Str | FieldType::StrList => text.map(Lit::Str).ok_or_else(mismatch),
        FieldType::Time => parse_time(text.as_deref().ok_or_else(mismatch)?).ok_or_else(|| {
            CompileError::new(
                format!(
                    "'{}' is not a time (RFC 3339, now, now+30d, now-12h)",
                    yaml_text(v)
                ),
                near.to_owned(),
            )
        }),
        FieldType::Entity(_) | FieldType::Entities(_) => Err(mismatch()),
    }
}

fn parse_time(s: &str) -> Option<Lit> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix("now") {
        if rest.is_empty() {
            return Some(Lit::Time {
                now_relative: true,
                secs: 0,
            });
        }
        let (sign, rest) = match rest.split_at_checked(1)? {
            ("+", r) => (1i64, r),
            ("-", r) => (-1i64, r),
            _ => return None,
        };
        let (num, unit) = rest.split_at_checked(rest.len().checked_sub(1)?)?;
        let n: i64 = num.trim().parse().ok()?;
        let unit_secs = match unit {
            "d" => 86_400,
            "h" => 3_600,
            "m" => 60,
            "s" => 1,
            _ => return None,
        };
        return Some(Lit::Time {
            now_relative: true,
            secs: sign.checked_mul(n)?.checked_mul(unit_secs)?,
        });
    }
    let secs = crate::clock::parse_rfc3339(s).ok()?;
    Some(Lit::Time {
        now_relative: false,
        secs,
    })
}

impl Condition {
    /// Whether the condition holds for `entity`.
    pub fn eval<'b>(&self, bundle: &'b Bundle, entity: Entity<'b>) -> bool {
        self.eval_with(bundle, entity, None)
    }

    fn eval_with<'b>(&self, bundle: &'b Bundle, entity: Entity<'b>, element: Option<&str>) -> bool {
        match self {
            Condition::All(cs) => cs.iter().all(|c| c.eval_with(bundle, entity, element)),
            Condition::Any(cs) => cs.iter().any(|c| c.eval_with(bundle, entity, element)),
            Condition::Not(c) => !c.eval_with(bundle, entity, element),
            Condition::Test { field, op } => {
                let value = match field {
                    Some(acc) => acc.get(bundle, entity),
                    None => element.map_or(Value::Absent, |e| Value::Str(Cow::Borrowed(e))),
                };
                test(&op.0, &value, bundle.now)
            }
            Condition::Count { field, filter, cmp } => {
                let n = match field.get(bundle, entity) {
                    Value::StrList(items) => items
                        .iter()
                        .filter(|i| {
                            filter
                                .as_ref()
                                .is_none_or(|f| f.eval_with(bundle, entity, Some(i)))
                        })
                        .count(),
                    Value::Entities(items) => items
                        .iter()
                        .filter(|i| {
                            filter
                                .as_ref()
                                .is_none_or(|f| f.eval_with(bundle, **i, None))
                        })
                        .count(),
                    _ => 0,
                };
                test(
                    &cmp.0,
                    &Value::Int(i64::try_from(n).unwrap_or(i64::MAX)),
                    bundle.now,
                )
            }
        }
    }
}

fn test(op: &Op, value: &Value<'_>, now: i64) -> bool {
    match op {
        Op::Exists(want) => !matches!(value, Value::Absent) == *want,
        Op::Cmp(c, l) => match compare(value, l, now) {
            None => *c == Cmp::Ne,
            Some(ord) => match c {
                Cmp::Eq => ord.is_eq(),
                Cmp::Ne => ord.is_ne(),
                Cmp::Lt => ord.is_lt(),
                Cmp::Le => ord.is_le(),
                Cmp::Gt => ord.is_gt(),
                Cmp::Ge => ord.is_ge(),
            },
        },
        Op::In(items, want) => {
            let found = items
                .iter()
                .any(|l| compare(value, l, now).is_some_and(|o| o.is_eq()));
            found == *want
        }
        Op::Contains(Lit::Str(needle)) => match value {
            Value::StrList(items) => items.iter().any(|i| i == needle),
            Value::Str(s) => s.contains(needle.as_str()),
            _ => false,
        },
        Op::Contains(_) => false,
        Op::StartsWith(p) => matches!(value, Value::Str(s) if s.starts_with(p.as_str())),
        Op::EndsWith(p) => matches!(value, Value::Str(s) if s.ends_with(p.as_str())),
        Op::Match(re) => matches!(value, Value::Str(s) if re.is_match(s)),
    }
}

fn compare(value: &Value<'_>, lit: &Lit, now: i64) -> Option<std::cmp::Ordering> {
    match (value, lit) {
        (Value::Bool(a), Lit::Bool(b)) => Some(a.cmp(b)),
        (Value::Int(a), Lit::Int(b)) => Some(a.cmp(b)),
        (Value::Str(a), Lit::Str(b)) => Some(a.as_ref().cmp(b.as_str())),
        (Value::Time(a), Lit::Time { now_relative, secs }) => {
            let b = if *now_relative {
                now.saturating_add(*secs)
            } else {
                *secs
            };
            Some(a.cmp(&b))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile_str(y: &str, scope: Scope) -> Result<Condition, CompileError> {
        compile(
            &serde_yaml::from_str(y).unwrap_or_default(),
            scope,
            &Params::new(),
        )
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let e = compile_str(
            "field: crl_distribution_point\ncount: 0",
            Scope::Certificate,
        )
        .unwrap_err();
        assert!(e.message.contains("unknown field"), "{}", e.message);
        assert_eq!(
            e.help.as_deref(),
            Some("did you mean 'crl_distribution_points'?")
        );
    }

    #[test]
    fn unknown_key_and_type_mismatch_are_errors() {
        let e = compile_str("field: role\nequal: leaf", Scope::Certificate).unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean 'equals'?"));
        let e = compile_str("field: key.bits\nequals: big", Scope::Certificate).unwrap_err();
        assert!(e.message.contains("is not a int"), "{}", e.message);
        let e = compile_str("field: role\nless: 3", Scope::Certificate).unwrap_err();
        assert!(e.message.contains("compares numbers"), "{}", e.message);
    }

    #[test]
    fn nested_entity_and_bundle_fields_resolve() {
        assert!(compile_str("field: issuer.key.bits\nless: 2048", Scope::Certificate).is_ok());
        assert!(
            compile_str(
                "field: bundle.nps.host_count\nequals: 0",
                Scope::Certificate
            )
            .is_ok()
        );
        assert!(compile_str("field: issuer.nope\nexists: true", Scope::Certificate).is_err());
    }

    #[test]
    fn time_operands_parse() {
        assert_eq!(
            parse_time("now+30d"),
            Some(Lit::Time {
                now_relative: true,
                secs: 30 * 86_400
            })
        );
        assert_eq!(
            parse_time("now"),
            Some(Lit::Time {
                now_relative: true,
                secs: 0
            })
        );
        assert_eq!(
            parse_time("2025-02-11T00:00:00Z"),
            Some(Lit::Time {
                now_relative: false,
                secs: 1_739_232_000
            })
        );
        assert_eq!(parse_time("later"), None);
    }
}
