//! The condition language, compiled once per rule and scope into typed accessors.
//!
//! `allOf`, `anyOf`, `not`; `field` with `equals`, `notEquals`, `in`, `notIn`, `less`,
//! `lessOrEquals`, `greater`, `greaterOrEquals`, `exists`, `contains`, `startsWith`,
//! `endsWith`, `match`; and `count` (with an optional `where`) over list fields. `scope`, first in
//! a mapping, limits it to one scope of a rule that has several (elsewhere it never holds, and
//! its fields need not exist there). As in Azure
//! Policy, a test on an absent field is false, except `notEquals`/`notIn` (true) and
//! `exists: false` (true).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_yaml::Value as Yaml;

use super::fields::{Entity, FieldType, Getter, Scope, Value, field, fields};
use crate::facts::Bundle;
#[cfg(test)]
use crate::yaml::YamlError;
use crate::yaml::{self, Invalid, Located, Raw, did_you_mean};

/// A compiled path to a field: each step but the last yields an entity for the next.
#[derive(Clone)]
pub(crate) struct Accessor {
    steps: Vec<Getter>,
    /// The last field's shortcut to the first entities of its list, when it has one.
    first: Option<super::fields::FirstN>,
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
    pub(crate) fn compile(scope: Scope, path: &str) -> Result<Accessor, Invalid> {
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
                    first: f.first,
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
                return Err(Invalid::with_help(
                    format!(
                        "unknown field '{path}' for scope {} (see `trustlint fields`)",
                        scope.name()
                    ),
                    help,
                ));
            };
            steps.push(getter);
            scope = next_scope;
            rest = tail;
        }
    }

    /// The first `n` entities the field lists for `entity`, and how many it lists: without
    /// building the whole list when the field knows its length.
    pub(crate) fn first<'b>(
        &self,
        bundle: &'b Bundle,
        entity: Entity<'b>,
        n: usize,
    ) -> (Vec<Entity<'b>>, usize) {
        let Some((last, prefix)) = self.steps.split_last() else {
            return (Vec::new(), 0);
        };
        let mut current = entity;
        for step in prefix {
            match step(bundle, current) {
                Value::Entity(e) => current = e,
                _ => return (Vec::new(), 0),
            }
        }
        if let Some(first) = self.first {
            return first(bundle, current, n);
        }
        match last(bundle, current) {
            Value::Entities(mut all) => {
                let total = all.len();
                all.truncate(n);
                (all, total)
            }
            Value::Entity(e) => (vec![e], 1),
            _ => (Vec::new(), 0),
        }
    }

    /// The field's value for `entity`.
    pub(crate) fn get<'b>(&self, bundle: &'b Bundle, entity: Entity<'b>) -> Value<'b> {
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
    Match(super::pattern::Pattern),
}

/// A compiled condition.
#[derive(Debug, Clone)]
pub(crate) enum Condition {
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
pub(crate) struct OpHolder(Op);

/// The test operators: their names in rule files, the "did you mean" candidates and the JSON
/// Schema all come from this one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operator {
    /// Equal to the operand.
    Equals,
    /// Not equal (true when the field is absent).
    NotEquals,
    /// One of a list.
    In,
    /// None of a list (true when the field is absent).
    NotIn,
    /// Less than (numbers, times).
    Less,
    /// Less than or equal.
    LessOrEquals,
    /// Greater than.
    Greater,
    /// Greater than or equal.
    GreaterOrEquals,
    /// Present (`true`) or absent (`false`).
    Exists,
    /// A list holds the string, or a string holds the substring.
    Contains,
    /// A string starts with the operand.
    StartsWith,
    /// A string ends with the operand.
    EndsWith,
    /// A string matches the regular expression.
    Match,
}

impl Operator {
    /// Every operator, in the order the docs list them.
    pub(crate) const ALL: [Operator; 13] = [
        Operator::Equals,
        Operator::NotEquals,
        Operator::In,
        Operator::NotIn,
        Operator::Less,
        Operator::LessOrEquals,
        Operator::Greater,
        Operator::GreaterOrEquals,
        Operator::Exists,
        Operator::Contains,
        Operator::StartsWith,
        Operator::EndsWith,
        Operator::Match,
    ];

    /// The key rule files write.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Operator::Equals => "equals",
            Operator::NotEquals => "notEquals",
            Operator::In => "in",
            Operator::NotIn => "notIn",
            Operator::Less => "less",
            Operator::LessOrEquals => "lessOrEquals",
            Operator::Greater => "greater",
            Operator::GreaterOrEquals => "greaterOrEquals",
            Operator::Exists => "exists",
            Operator::Contains => "contains",
            Operator::StartsWith => "startsWith",
            Operator::EndsWith => "endsWith",
            Operator::Match => "match",
        }
    }

    /// What the operand is, for the JSON Schema.
    pub(crate) fn doc(self) -> &'static str {
        match self {
            Operator::Equals => "Equal to the operand (bool, number, string or time).",
            Operator::NotEquals => "Not equal to the operand; true when the field is absent.",
            Operator::In => "One of a list of strings or numbers.",
            Operator::NotIn => {
                "None of a list of strings or numbers; true when the field is absent."
            }
            Operator::Less => "Less than a number or time (RFC 3339, now, now+30d, now-12h).",
            Operator::LessOrEquals => "Less than or equal to a number or time.",
            Operator::Greater => "Greater than a number or time.",
            Operator::GreaterOrEquals => "Greater than or equal to a number or time.",
            Operator::Exists => "true: the field is present; false: it is absent.",
            Operator::Contains => "A list field holds the string, or a string field the substring.",
            Operator::StartsWith => "A string field starts with the operand.",
            Operator::EndsWith => "A string field ends with the operand.",
            Operator::Match => "A string field matches the regular expression.",
        }
    }

    fn from_name(name: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The comparison of `equals` … `greaterOrEquals`; `None` for the others.
    fn comparison(self) -> Option<Cmp> {
        Some(match self {
            Operator::Equals => Cmp::Eq,
            Operator::NotEquals => Cmp::Ne,
            Operator::Less => Cmp::Lt,
            Operator::LessOrEquals => Cmp::Le,
            Operator::Greater => Cmp::Gt,
            Operator::GreaterOrEquals => Cmp::Ge,
            _ => return None,
        })
    }
}

/// The keys of a condition mapping besides the operators.
pub(crate) const STRUCTURE_KEYS: [&str; 6] = ["allOf", "anyOf", "not", "field", "count", "scope"];

/// Rule parameters (`params:`), substituted where an operand is written `{name}`.
pub(crate) type Params = BTreeMap<String, Yaml>;

/// One key of a condition mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    AllOf,
    AnyOf,
    Not,
    Field,
    Count,
    Where,
    Scope,
    Op(Operator),
}

impl Key {
    fn name(self) -> &'static str {
        match self {
            Key::AllOf => "allOf",
            Key::AnyOf => "anyOf",
            Key::Not => "not",
            Key::Field => "field",
            Key::Count => "count",
            Key::Where => "where",
            Key::Scope => "scope",
            Key::Op(o) => o.name(),
        }
    }

    fn parse(raw: Raw, in_count: bool) -> Result<Key, Invalid> {
        let text = raw.describe();
        let key = match text.as_str() {
            "allOf" => Some(Key::AllOf),
            "anyOf" => Some(Key::AnyOf),
            "not" => Some(Key::Not),
            "field" => Some(Key::Field),
            "count" => Some(Key::Count),
            "where" => Some(Key::Where),
            "scope" => Some(Key::Scope),
            other => Operator::from_name(other).map(Key::Op),
        };
        let allowed = |k: Key| {
            if in_count {
                k == Key::Where || matches!(k, Key::Op(o) if o.comparison().is_some())
            } else {
                k != Key::Where
            }
        };
        if let Some(k) = key.filter(|&k| allowed(k)) {
            return Ok(k);
        }
        let comparisons = Operator::ALL
            .into_iter()
            .filter(|o| o.comparison().is_some())
            .map(Operator::name);
        let (message, candidates): (String, Vec<&str>) = if in_count {
            (
                format!("unknown key '{text}' in count (where, or a comparison)"),
                std::iter::once("where").chain(comparisons).collect(),
            )
        } else if key == Some(Key::Where) {
            ("'where' belongs inside 'count'".to_owned(), Vec::new())
        } else {
            (
                format!("unknown condition key '{text}'"),
                Operator::ALL
                    .into_iter()
                    .map(Operator::name)
                    .chain(STRUCTURE_KEYS)
                    .collect(),
            )
        };
        Err(Invalid::with_help(message, did_you_mean(&text, candidates)))
    }
}

/// What a condition is compiled against: its scope, the type of the list element inside a
/// `count.where` over strings, and the rule's parameters.
#[derive(Clone, Copy)]
pub(crate) struct Compiling<'a> {
    /// The scope of the entity the condition looks at.
    pub scope: Scope,
    /// Inside `count.where` over a list of strings: the element's type (tests without `field`).
    pub element: Option<FieldType>,
    /// The rule's parameters.
    pub params: &'a Params,
}

impl<'a> Compiling<'a> {
    /// Conditions on entities of `scope`.
    pub(crate) fn new(scope: Scope, params: &'a Params) -> Self {
        Compiling {
            scope,
            element: None,
            params,
        }
    }
}

impl Condition {
    /// Compiles the YAML text of one condition (for tests and tools; rule files compile their
    /// conditions as they are read).
    #[cfg(test)]
    pub(crate) fn from_yaml(
        text: &str,
        scope: Scope,
        params: &Params,
    ) -> Result<Condition, YamlError> {
        let mut de = serde_yaml::Deserializer::from_str(text);
        let Some(doc) = de.next() else {
            return Err(YamlError::from_yaml(&de::Error::custom("empty document")));
        };
        Compiling::new(scope, params)
            .deserialize(doc)
            .map_err(|e| YamlError::from_yaml(&e))
    }
}

impl<'de> DeserializeSeed<'de> for Compiling<'_> {
    type Value = Condition;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Condition, D::Error> {
        d.deserialize_map(self)
    }
}

/// A list of conditions (`allOf`, `anyOf`).
struct Conditions<'a>(Compiling<'a>);

impl<'de> DeserializeSeed<'de> for Conditions<'_> {
    type Value = Vec<Condition>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Condition>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Conditions<'_> {
    type Value = Vec<Condition>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of conditions")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Condition>, A::Error> {
        let mut out = Vec::new();
        while let Some(c) = seq.next_element_seed(self.0)? {
            out.push(c);
        }
        Ok(out)
    }
}

/// A value read before the key that gives it its meaning (`{equals: leaf, field: role}`): kept
/// as written and compiled once the mapping is read, its errors then located at the mapping.
type Pending = serde_json::Value;

impl<'de> Visitor<'de> for Compiling<'_> {
    type Value = Condition;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a condition: a mapping with allOf, anyOf, not, field or count")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Condition, A::Error> {
        let mut keys: Vec<Key> = Vec::new();
        let mut children: Option<Condition> = None;
        let mut field: Option<Accessor> = None;
        let mut ops: Vec<(Operator, Op)> = Vec::new();
        let mut pending_ops: Vec<(Operator, Pending)> = Vec::new();
        let mut count: Option<(Option<Box<Condition>>, Op)> = None;
        let mut pending_count: Option<Pending> = None;
        while let Some(key) = map.next_key_seed(Located::new("a condition key", |raw| {
            Key::parse(raw, false)
        }))? {
            if keys.contains(&key) {
                return Err(yaml::error(
                    format!("'{}' is written twice", key.name()),
                    None,
                ));
            }
            keys.push(key);
            match key {
                Key::Scope => {
                    if keys.len() > 1 {
                        return Err(yaml::error(
                            "write 'scope' first in its mapping: it decides how the rest compiles",
                            None,
                        ));
                    }
                    let name: String = map.next_value()?;
                    let Some(scope) = Scope::from_name(&name) else {
                        return Err(yaml::error(format!("unknown scope '{name}'"), None));
                    };
                    if scope != self.scope {
                        // Written for another scope of the rule: its fields need not exist
                        // here, and on this scope's entities it never holds.
                        while map.next_key::<de::IgnoredAny>()?.is_some() {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                        return Ok(Condition::Any(Vec::new()));
                    }
                }
                Key::AllOf => {
                    children = Some(Condition::All(map.next_value_seed(Conditions(self))?))
                }
                Key::AnyOf => {
                    children = Some(Condition::Any(map.next_value_seed(Conditions(self))?))
                }
                Key::Not => children = Some(Condition::Not(Box::new(map.next_value_seed(self)?))),
                Key::Field => {
                    let scope = self.scope;
                    field = Some(map.next_value_seed(Located::new(
                        "a field name",
                        move |raw| match raw {
                            Raw::Str(name) => Accessor::compile(scope, &name),
                            other => Err(Invalid::new(format!(
                                "'field' takes a field name, not {}",
                                other.describe()
                            ))),
                        },
                    ))?);
                }
                Key::Count => match &field {
                    Some(acc) => count = Some(map.next_value_seed(CountSeed::new(acc, self)?)?),
                    None => pending_count = Some(map.next_value()?),
                },
                Key::Op(op) => match field.as_ref().map(|a| a.ty).or(self.element) {
                    Some(ty) => {
                        let seed = OperandSeed::new(op, ty, field.as_ref(), self.params);
                        ops.push((op, map.next_value_seed(seed)?));
                    }
                    None => pending_ops.push((op, map.next_value()?)),
                },
                Key::Where => return Err(yaml::error("'where' belongs inside 'count'", None)),
            }
        }
        // Values that came before their field, compiled now.
        let ty = field.as_ref().map(|a| a.ty).or(self.element);
        for (op, value) in pending_ops {
            let Some(ty) = ty else { break };
            let seed = OperandSeed::new(op, ty, field.as_ref(), self.params);
            ops.push((op, seed.deserialize(value).map_err(relocated)?));
        }
        if let (Some(value), Some(acc)) = (pending_count, &field) {
            count = Some(
                CountSeed::new(acc, self)?
                    .deserialize(value)
                    .map_err(relocated)?,
            );
        }
        self.assemble(&keys, children, field, ops, count)
    }
}

/// An error of a value compiled after its mapping was read: serde_json's own position means
/// nothing in the rule file, so the message alone is kept and the mapping's position applies.
fn relocated<E: de::Error>(e: serde_json::Error) -> E {
    let text = e.to_string();
    let message = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| text.get(..i).unwrap_or(&text));
    E::custom(message)
}

impl Compiling<'_> {
    fn assemble<E: de::Error>(
        self,
        keys: &[Key],
        children: Option<Condition>,
        field: Option<Accessor>,
        ops: Vec<(Operator, Op)>,
        count: Option<(Option<Box<Condition>>, Op)>,
    ) -> Result<Condition, E> {
        // `scope` has done its work when the mapping was read.
        let keys: Vec<Key> = keys.iter().copied().filter(|&k| k != Key::Scope).collect();
        let keys = keys.as_slice();
        if keys.is_empty() {
            return Err(yaml::error(
                "'scope' needs a condition beside it (allOf, anyOf, not, field or count)",
                None,
            ));
        }
        if let Some(c) = children {
            if keys.len() > 1 {
                let key = keys
                    .iter()
                    .find(|k| matches!(k, Key::AllOf | Key::AnyOf | Key::Not))
                    .map_or("allOf", |k| k.name());
                return Err(yaml::error(
                    format!("'{key}' must be alone in its mapping"),
                    None,
                ));
            }
            return Ok(c);
        }
        if keys.contains(&Key::Count) {
            let Some(acc) = field else {
                return Err(yaml::error("'count' needs a 'field' naming a list", None));
            };
            if !ops.is_empty() {
                return Err(yaml::error(
                    "put the comparison inside 'count' (count: {where: …, greater: 0}) or write count: N",
                    None,
                ));
            }
            let Some((filter, cmp)) = count else {
                return Err(yaml::error(
                    "'count' needs a comparison (equals, greater…)",
                    None,
                ));
            };
            return Ok(Condition::Count {
                field: acc,
                filter,
                cmp: Box::new(OpHolder(cmp)),
            });
        }
        if field.is_none() && self.element.is_none() {
            return Err(yaml::error("a test needs a 'field'", None));
        }
        let mut ops = ops;
        let (Some((_, op)), true) = (ops.pop(), ops.is_empty()) else {
            let n = keys.iter().filter(|k| matches!(k, Key::Op(_))).count();
            return Err(yaml::error(
                format!("a field test takes exactly one operator, found {n}"),
                None,
            ));
        };
        Ok(Condition::Test {
            field,
            op: Box::new(OpHolder(op)),
        })
    }
}

/// The value of `count`: a number, or `{where: …, <comparison>: N}`.
struct CountSeed<'a> {
    /// What `where` compiles against: the element's scope, or strings.
    inner: Compiling<'a>,
}

impl<'a> CountSeed<'a> {
    fn new<E: de::Error>(field: &Accessor, outer: Compiling<'a>) -> Result<Self, E> {
        let inner = match field.ty {
            FieldType::StrList => Compiling {
                element: Some(FieldType::Str),
                ..outer
            },
            FieldType::Entities(s) => Compiling::new(s, outer.params),
            other => {
                return Err(yaml::error(
                    format!(
                        "'count' needs a list field; '{}' is {}",
                        field.name,
                        other.describe()
                    ),
                    None,
                ));
            }
        };
        Ok(CountSeed { inner })
    }
}

impl<'de> DeserializeSeed<'de> for CountSeed<'_> {
    type Value = (Option<Box<Condition>>, Op);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl CountSeed<'_> {
    fn number<E: de::Error>(self, raw: Raw) -> Result<(Option<Box<Condition>>, Op), E> {
        let lit = lit(raw, FieldType::Int, self.inner.params)
            .map_err(|i| yaml::error(i.message, i.help))?;
        Ok((None, Op::Cmp(Cmp::Eq, lit)))
    }
}

impl<'de> Visitor<'de> for CountSeed<'_> {
    type Value = (Option<Box<Condition>>, Op);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a number or a mapping (where, and a comparison)")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.number(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.number(i64::try_from(v).map_or_else(|_| Raw::Str(v.to_string()), Raw::Int))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.number(Raw::Str(v.to_owned()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut filter = None;
        let mut cmp = None;
        while let Some(key) = map.next_key_seed(Located::new("where or a comparison", |raw| {
            Key::parse(raw, true)
        }))? {
            match key {
                Key::Where => filter = Some(Box::new(map.next_value_seed(self.inner)?)),
                Key::Op(op) => {
                    let c = op.comparison().unwrap_or(Cmp::Eq);
                    let params = self.inner.params;
                    let l = map.next_value_seed(Located::new("a number", move |raw| {
                        lit(raw, FieldType::Int, params)
                    }))?;
                    cmp = Some(Op::Cmp(c, l));
                }
                _ => {
                    return Err(yaml::error(
                        format!("unknown key '{}' in count", key.name()),
                        None,
                    ));
                }
            }
        }
        let cmp =
            cmp.ok_or_else(|| yaml::error("'count' needs a comparison (equals, greater…)", None))?;
        Ok((filter, cmp))
    }
}

/// The operand of one operator, typed by the field it tests.
struct OperandSeed<'a> {
    op: Operator,
    ty: FieldType,
    field: Option<&'a str>,
    params: &'a Params,
}

impl<'de> DeserializeSeed<'de> for OperandSeed<'_> {
    type Value = Op;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Op, D::Error> {
        Located::new("an operand", |raw| self.compile(raw)).deserialize(d)
    }
}

impl<'a> OperandSeed<'a> {
    fn new(op: Operator, ty: FieldType, field: Option<&'a Accessor>, params: &'a Params) -> Self {
        OperandSeed {
            op,
            ty,
            field: field.map(|a| a.name.as_str()),
            params,
        }
    }

    fn compile(&self, raw: Raw) -> Result<Op, Invalid> {
        let (op, ty) = (self.op, self.ty);
        let name = self.field.unwrap_or("the element");
        let type_err = |what: &str| {
            Invalid::new(format!(
                "'{}' {what}; '{name}' is {}",
                op.name(),
                ty.describe()
            ))
        };
        Ok(match op {
            Operator::Exists => match raw {
                Raw::Bool(b) => Op::Exists(b),
                _ => return Err(type_err("takes true or false")),
            },
            Operator::Equals
            | Operator::NotEquals
            | Operator::Less
            | Operator::LessOrEquals
            | Operator::Greater
            | Operator::GreaterOrEquals => {
                let c = op.comparison().unwrap_or(Cmp::Eq);
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
                Op::Cmp(c, lit(raw, ty, self.params)?)
            }
            Operator::In | Operator::NotIn => {
                if !matches!(ty, FieldType::Int | FieldType::Str) {
                    return Err(type_err("takes a string or number field"));
                }
                let Raw::List(items) = raw else {
                    return Err(type_err("takes a list"));
                };
                Op::In(
                    items
                        .into_iter()
                        .map(|i| lit(i, ty, self.params))
                        .collect::<Result<_, _>>()?,
                    op == Operator::In,
                )
            }
            Operator::Contains => match ty {
                FieldType::StrList | FieldType::Str => {
                    Op::Contains(lit(raw, FieldType::Str, self.params)?)
                }
                _ => return Err(type_err("takes a string or list field")),
            },
            Operator::StartsWith | Operator::EndsWith | Operator::Match => {
                if ty != FieldType::Str {
                    return Err(type_err("takes a string field"));
                }
                let Lit::Str(s) = lit(raw, FieldType::Str, self.params)? else {
                    return Err(type_err("takes a string"));
                };
                match op {
                    Operator::StartsWith => Op::StartsWith(s),
                    Operator::EndsWith => Op::EndsWith(s),
                    _ => Op::Match(
                        super::pattern::Pattern::new(&s)
                            .map_err(|e| Invalid::new(format!("bad regex: {e}")))?,
                    ),
                }
            }
        })
    }
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
fn substitute(s: &str, params: &Params) -> Result<String, Invalid> {
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
            return Err(Invalid::new(format!(
                "unmatched '}}' in '{s}' (write '}}}}' for a brace)"
            )));
        }
        let after = after.get(1..).unwrap_or("");
        let close = after
            .find('}')
            .ok_or_else(|| Invalid::new(format!("unclosed '{{' in '{s}'")))?;
        let (name, tail) = after.split_at(close);
        let value = params.get(name).ok_or_else(|| {
            Invalid::with_help(
                format!("unknown parameter '{name}'"),
                did_you_mean(name, params.keys().map(String::as_str)),
            )
        })?;
        out.push_str(&yaml_text(value));
        rest = tail.get(1..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

/// An operand as a literal of type `ty`; strings may name parameters.
fn lit(v: Raw, ty: FieldType, params: &Params) -> Result<Lit, Invalid> {
    let shown = v.describe();
    let text = match &v {
        Raw::Str(s) => Some(substitute(s, params)?),
        _ => None,
    };
    let mismatch = || Invalid::new(format!("'{shown}' is not a {}", ty.describe()));
    match ty {
        FieldType::Bool => match v {
            Raw::Bool(b) => Ok(Lit::Bool(b)),
            _ => Err(mismatch()),
        },
        FieldType::Int => match (&v, &text) {
            (Raw::Int(n), _) => Ok(Lit::Int(*n)),
            (_, Some(t)) => t.trim().parse().map(Lit::Int).map_err(|_| mismatch()),
            _ => Err(mismatch()),
        },
        FieldType::Str | FieldType::StrList => text.map(Lit::Str).ok_or_else(mismatch),
        FieldType::Time => parse_time(text.as_deref().ok_or_else(mismatch)?).ok_or_else(|| {
            Invalid::new(format!(
                "'{shown}' is not a time (RFC 3339, now, now+30d, now-12h)"
            ))
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
    pub(crate) fn eval<'b>(&self, bundle: &'b Bundle, entity: Entity<'b>) -> bool {
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

    fn compile_str(y: &str, scope: Scope) -> Result<Condition, YamlError> {
        Condition::from_yaml(y, scope, &Params::new())
    }

    #[test]
    fn a_mistake_deep_in_a_condition_is_located_at_its_own_line() {
        let yaml = "allOf:\n  - field: role\n    equals: leaf\n  - anyOf:\n      - field: key.bits\n        less: 2048\n      - field: key.bitz\n        less: 2048\n";
        let e = compile_str(yaml, Scope::Certificate).unwrap_err();
        assert_eq!(e.line, 7, "{e:?}");
        assert_eq!(e.help.as_deref(), Some("did you mean 'key.bits'?"));
        let e = compile_str(
            "field: role\nequals: leaf\nequal: root\n",
            Scope::Certificate,
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (3, 1), "{e:?}");
        let e = compile_str("field: key.bits\nless: big\n", Scope::Certificate).unwrap_err();
        assert_eq!((e.line, e.column), (2, 7), "{e:?}");
    }

    /// `scope` first in a mapping: in its own scope the rest compiles as usual; in another the
    /// rest is not compiled (its fields need not exist there) and never holds.
    #[test]
    fn a_scope_key_limits_a_condition_to_its_scope() -> Result<(), String> {
        let yaml = "scope: certificate_profile\nfield: certificate_store\nequals: user\n";
        let own = compile_str(yaml, Scope::CertificateProfile).map_err(|e| e.message)?;
        if matches!(&own, Condition::Any(c) if c.is_empty()) {
            return Err("compiled to never in its own scope".to_owned());
        }
        let other = compile_str(yaml, Scope::Certificate).map_err(|e| e.message)?;
        if !matches!(&other, Condition::Any(c) if c.is_empty()) {
            return Err(format!("not never in another scope: {other:?}"));
        }
        let late = compile_str(
            "field: certificate_store\nscope: certificate_profile\nequals: user\n",
            Scope::CertificateProfile,
        );
        match late {
            Err(e) if e.message.contains("write 'scope' first") => {}
            other => return Err(format!("scope after a key: {other:?}")),
        }
        match compile_str(
            "scope: certificat\nfield: role\nequals: leaf\n",
            Scope::Certificate,
        ) {
            Err(e) if e.message.contains("unknown scope 'certificat'") => {}
            other => return Err(format!("unknown scope: {other:?}")),
        }
        match compile_str("scope: certificate\n", Scope::Certificate) {
            Err(e) if e.message.contains("needs a condition beside it") => Ok(()),
            other => Err(format!("scope alone: {other:?}")),
        }
    }

    #[test]
    fn an_operand_before_its_field_is_still_typed_by_it() {
        assert!(compile_str("{equals: leaf, field: role}", Scope::Certificate).is_ok());
        let e = compile_str("{less: 3, field: role}", Scope::Certificate).unwrap_err();
        assert!(e.message.contains("compares numbers"), "{}", e.message);
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
