//! The rule file format as types: what `rules/<area>/<name>.yaml` may hold, deserialized with
//! `deny_unknown_fields` and compiled as it is read, so that every mistake — an unknown key, an
//! unknown field, an operand of the wrong type, in any entry — is reported at its own line by
//! the parser (see [`crate::yaml`]). The same types give the published JSON Schema
//! (`docs/schema/rule.schema.json`).
//!
//! A rule is read twice: [`RuleHead`] first (its scopes and parameters, which every condition
//! and message is compiled against), then [`RuleFile`] once per scope, with that scope and the
//! parameters in [`with_compiling`]'s context.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::condition::{Accessor, Compiling, Condition, Operator, Params, STRUCTURE_KEYS};
use super::fields::{FieldDef, FieldType, Locator, Scope, fields};
use super::message::Template;
use crate::report::{Severity, Symptom};
use crate::yaml::{self, Invalid, Located, Raw, did_you_mean};

/// What the rule's conditions and messages are compiled against while it is read.
struct Context {
    scope: Scope,
    params: Params,
}

thread_local! {
    /// Set by [`with_compiling`] for the reading of one rule on this thread.
    static COMPILING: RefCell<Option<Rc<Context>>> = const { RefCell::new(None) };
}

/// Runs `read` with conditions and messages compiled in `scope` with `params`.
pub(crate) fn with_compiling<T>(scope: Scope, params: &Params, read: impl FnOnce() -> T) -> T {
    let context = Rc::new(Context {
        scope,
        params: params.clone(),
    });
    let before = COMPILING.with(|c| c.replace(Some(context)));
    let out = read();
    COMPILING.with(|c| c.replace(before));
    out
}

fn context<E: de::Error>() -> Result<Rc<Context>, E> {
    COMPILING
        .with(|c| c.borrow().clone())
        .ok_or_else(|| E::custom("a rule is read through engine::rule, which sets its scope"))
}

/// The first reading of a rule: what the second needs to compile it. Other keys are read (and
/// checked) by [`RuleFile`].
#[derive(Debug, Deserialize)]
pub(crate) struct RuleHead {
    /// The id, for configuration parameters; checked by [`RuleFile`].
    #[serde(default)]
    pub id: Option<String>,
    /// The name, likewise.
    #[serde(default)]
    pub name: Option<String>,
    /// The scopes.
    pub scope: Scopes,
    /// The parameters.
    #[serde(default)]
    pub params: Params,
}

/// A rule file, compiled for one scope.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "trustlint rule",
    description = "One rule: rules/<area>/<name>.yaml"
)]
pub(crate) struct RuleFile {
    /// `TL` and four digits; the first digit is the area (1 revocation, 2 chain, 3 key, 4
    /// validity, 5 EKU, 6 VPN, 7 Intune, 8 mapping, 9 hygiene). Never reused.
    pub id: RuleId,
    /// kebab-case, the problem not the fix (`issuing-ca-without-cdp`); the file's name.
    pub name: RuleName,
    /// Sentence case, no final period.
    pub title: Text,
    /// The default severity.
    pub severity: Severity,
    /// Tags, for `disable: [tag:…]`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// For rules tagged `security`: GitHub code scanning's `security-severity`, 0.0 to 10.0
    /// (9.0 and above critical, 7.0 high, 4.0 medium, below low), the badge its alerts show.
    #[serde(default, rename = "security-severity")]
    pub security_severity: Option<SecuritySeverity>,
    /// How often a finding is a real problem: `very-high`, `high` (the default: the rules read
    /// the files themselves), `medium` (the failure depends on what the files do not say),
    /// `low`. GitHub code scanning's `precision`.
    #[serde(default)]
    pub precision: Option<Precision>,
    /// The scope (or scopes) whose entities the rule looks at: `trustlint fields`.
    #[expect(
        dead_code,
        reason = "read by RuleHead, which the compiling needs first"
    )]
    pub scope: Scopes,
    /// When the rule fires, on one entity of the scope.
    pub when: When,
    /// The finding's message: text with `{field}` and `{param}` placeholders.
    pub message: Message,
    /// The Windows symptom it explains (`trustlint check --symptom`).
    #[serde(default)]
    pub symptom: Option<Symptom>,
    /// Why it matters: the Windows behaviour and its symptom.
    pub why: Text,
    /// The exact change that fixes it.
    pub fix: Text,
    /// Public sources (https URLs).
    pub references: References,
    /// Named values used as `{name}` in operands and messages; `trustlint.yaml` may override.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    #[expect(
        dead_code,
        reason = "read by RuleHead, which the compiling needs first"
    )]
    pub params: Params,
    /// Applied in order: where `when` holds, the severity and/or message change.
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// More locations per finding.
    #[serde(default)]
    pub related: Vec<Related>,
    /// A field with a place in its file (`[at]` in `trustlint fields`) to point findings at.
    #[serde(default)]
    pub at: Option<At>,
}

/// The JSON Schema of rule files (`docs/schema/rule.schema.json`), pretty-printed.
pub(crate) fn schema() -> String {
    let schema = schemars::schema_for!(RuleFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// A rule id: `TL` and four digits.
#[derive(Debug)]
pub(crate) struct RuleId(pub String);

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Located::new("a rule id", |raw| {
            let id = raw.describe();
            let ok = id.len() == 6
                && id.starts_with("TL")
                && id.bytes().skip(2).all(|b| b.is_ascii_digit());
            if ok {
                Ok(RuleId(id))
            } else {
                Err(Invalid::new(format!(
                    "id '{id}' must be TL followed by four digits"
                )))
            }
        })
        .deserialize(d)
    }
}

impl JsonSchema for RuleId {
    fn schema_name() -> Cow<'static, str> {
        "RuleId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": "^TL[0-9]{4}$"})
    }
}

/// A rule name: kebab-case.
#[derive(Debug)]
pub(crate) struct RuleName(pub String);

impl<'de> Deserialize<'de> for RuleName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Located::new("a rule name", |raw| {
            let name = raw.describe();
            let ok = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if ok {
                Ok(RuleName(name))
            } else {
                Err(Invalid::new(format!("name '{name}' must be kebab-case")))
            }
        })
        .deserialize(d)
    }
}

impl JsonSchema for RuleName {
    fn schema_name() -> Cow<'static, str> {
        "RuleName".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": "^[a-z0-9-]+$"})
    }
}

/// Text that must not be blank.
#[derive(Debug)]
pub(crate) struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Located::new("text", |raw| match raw {
            Raw::Str(s) if !s.trim().is_empty() => Ok(Text(s)),
            _ => Err(Invalid::new("must be text, not empty")),
        })
        .deserialize(d)
    }
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "minLength": 1})
    }
}

/// At least one public source.
#[derive(Debug)]
pub(crate) struct References(pub Vec<String>);

/// A security severity, 0.0 to 10.0 (CVSS's scale, as GitHub reads it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SecuritySeverity(pub f64);

impl<'de> Deserialize<'de> for SecuritySeverity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Located::new("a number from 0.0 to 10.0", |raw| {
            let n = match raw {
                #[expect(clippy::cast_precision_loss, reason = "0 to 10")]
                Raw::Int(i) => i as f64,
                Raw::Float(f) => f,
                _ => return Err(Invalid::new("must be a number from 0.0 to 10.0")),
            };
            if (0.0..=10.0).contains(&n) {
                Ok(SecuritySeverity(n))
            } else {
                Err(Invalid::new("must be a number from 0.0 to 10.0"))
            }
        })
        .deserialize(d)
    }
}

impl JsonSchema for SecuritySeverity {
    fn schema_name() -> Cow<'static, str> {
        "SecuritySeverity".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "number", "minimum": 0.0, "maximum": 10.0})
    }
}

/// How often a rule's findings are real problems (GitHub code scanning's `precision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    /// Practically never wrong.
    VeryHigh,
    /// Read from the files themselves: wrong only when the files are not what is deployed.
    #[default]
    High,
    /// The failure depends on what the files do not say (client builds, device join state).
    Medium,
    /// Often wrong.
    Low,
}

impl Precision {
    /// `very-high`, `high`, `medium`, `low`.
    pub fn name(self) -> &'static str {
        match self {
            Precision::VeryHigh => "very-high",
            Precision::High => "high",
            Precision::Medium => "medium",
            Precision::Low => "low",
        }
    }
}

impl<'de> Deserialize<'de> for References {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Located::new("a list of URLs", |raw| {
            let Raw::List(items) = raw else {
                return Err(Invalid::new("'references' takes a list of URLs"));
            };
            if items.is_empty() {
                return Err(Invalid::new("'references' must name at least one source"));
            }
            Ok(References(items.iter().map(Raw::describe).collect()))
        })
        .deserialize(d)
    }
}

impl JsonSchema for References {
    fn schema_name() -> Cow<'static, str> {
        "References".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": "^https://"}
        })
    }
}

/// One scope or several.
#[derive(Debug, Clone)]
pub(crate) struct Scopes(pub Vec<Scope>);

impl<'de> Deserialize<'de> for Scopes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Located::new("a scope or a list of scopes", |raw| {
            let names = match raw {
                Raw::List(items) => items,
                one => vec![one],
            };
            let mut scopes = Vec::new();
            for n in names {
                let name = n.describe();
                let scope = Scope::from_name(&name).ok_or_else(|| {
                    Invalid::with_help(
                        format!("unknown scope '{name}'"),
                        did_you_mean(&name, Scope::ALL.iter().map(|s| s.name())),
                    )
                })?;
                scopes.push(scope);
            }
            Ok(Scopes(scopes))
        })
        .deserialize(d)
    }
}

impl JsonSchema for Scopes {
    fn schema_name() -> Cow<'static, str> {
        "Scopes".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
        json_schema!({
            "oneOf": [
                {"type": "string", "enum": names},
                {"type": "array", "minItems": 1, "items": {"type": "string", "enum": names}}
            ]
        })
    }
}

/// A condition, compiled in the rule's scope.
#[derive(Debug)]
pub(crate) struct When(pub Condition);

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let c = context::<D::Error>()?;
        Compiling::new(c.scope, &c.params).deserialize(d).map(When)
    }
}

impl JsonSchema for When {
    fn schema_name() -> Cow<'static, str> {
        "Condition".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let condition = generator.subschema_for::<When>();
        let mut properties = serde_json::Map::new();
        properties.insert(
            "allOf".into(),
            json_schema!({"type": "array", "items": condition, "description": "Every condition holds."})
                .into(),
        );
        properties.insert(
            "anyOf".into(),
            json_schema!({"type": "array", "items": condition, "description": "Some condition holds."})
                .into(),
        );
        properties.insert(
            "not".into(),
            json_schema!({"allOf": [condition], "description": "The condition does not hold."})
                .into(),
        );
        properties.insert(
            "field".into(),
            json_schema!({
                "type": "string",
                "description": "A field of the scope (`trustlint fields`), `bundle.<field>`, or an entity field, a dot and a field of its scope (issuer.key.bits)."
            })
            .into(),
        );
        properties.insert(
            "count".into(),
            json_schema!({
                "description": "Over a list field: a number, or where (a condition on each element) and a comparison.",
                "oneOf": [
                    {"type": ["integer", "string"]},
                    {
                        "type": "object",
                        "properties": {
                            "where": condition,
                            "equals": {"type": ["integer", "string"]},
                            "notEquals": {"type": ["integer", "string"]},
                            "less": {"type": ["integer", "string"]},
                            "lessOrEquals": {"type": ["integer", "string"]},
                            "greater": {"type": ["integer", "string"]},
                            "greaterOrEquals": {"type": ["integer", "string"]}
                        },
                        "additionalProperties": false
                    }
                ]
            })
            .into(),
        );
        properties.insert(
            "scope".into(),
            json_schema!({
                "type": "string",
                "description": "First in its mapping: the rest applies only to entities of this scope (of a rule with several scopes); on the others the condition never holds."
            })
            .into(),
        );
        for op in Operator::ALL {
            properties.insert(
                op.name().into(),
                json_schema!({"description": op.doc()}).into(),
            );
        }
        debug_assert!(STRUCTURE_KEYS.iter().all(|k| properties.contains_key(*k)));
        json_schema!({
            "type": "object",
            "description": "allOf, anyOf or not alone; or a field with one operator (or count); optionally first a scope.",
            "minProperties": 1,
            "properties": properties,
            "additionalProperties": false
        })
    }
}

/// A message template, compiled in the rule's scope.
#[derive(Debug)]
pub(crate) struct Message(pub Template);

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let c = context::<D::Error>()?;
        template_in(c.scope, &c.params).deserialize(d).map(Message)
    }
}

impl JsonSchema for Message {
    fn schema_name() -> Cow<'static, str> {
        "Message".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "Lower case: entity, fact, consequence. {field} and {param} placeholders; {{ and }} for braces."
        })
    }
}

/// A message template compiled in `scope`, located at its text.
fn template_in(
    scope: Scope,
    params: &Params,
) -> Located<impl FnOnce(Raw) -> Result<Template, Invalid> + '_, Template> {
    Located::new("a message", move |raw| match raw {
        Raw::Str(text) => Template::compile(&text, scope, params),
        other => Err(Invalid::new(format!(
            "a message must be text, not {}",
            other.describe()
        ))),
    })
}

/// One entry of `overrides`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Override {
    /// Where this holds…
    pub when: When,
    /// …the finding gets this severity…
    #[serde(default)]
    pub severity: Option<Severity>,
    /// …and/or this message…
    #[serde(default)]
    pub message: Option<Message>,
    /// …and/or this Windows symptom (what the user sees differs by consumer: a VPN client error
    /// code, a Wi-Fi network that cannot be joined).
    #[serde(default)]
    pub symptom: Option<Symptom>,
}

/// One entry of `related`: more locations per finding, compiled in the scope `from` reaches.
#[derive(Debug)]
pub(crate) struct Related {
    /// The entity (or list) whose locations are added.
    pub from: Accessor,
    /// Which of them.
    pub filter: Option<Condition>,
    /// The label of each.
    pub message: Template,
}

impl<'de> Deserialize<'de> for Related {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RelatedVisitor)
    }
}

struct RelatedVisitor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RelatedKey {
    From,
    Where,
    Message,
}

const RELATED_KEYS: [&str; 3] = ["from", "where", "message"];

impl<'de> Visitor<'de> for RelatedVisitor {
    type Value = Related;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping with from, where and message")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Related, A::Error> {
        let c = context::<A::Error>()?;
        let mut from: Option<(Accessor, Scope)> = None;
        let mut filter = None;
        let mut message = None;
        // `where` and `message` compile in the scope `from` reaches; written before it, they
        // wait, and their errors are then located at the entry.
        let mut waiting: Vec<(RelatedKey, serde_json::Value)> = Vec::new();
        let key_seed = || {
            Located::new("from, where or message", |raw: Raw| {
                let k = raw.describe();
                match k.as_str() {
                    "from" => Ok(RelatedKey::From),
                    "where" => Ok(RelatedKey::Where),
                    "message" => Ok(RelatedKey::Message),
                    _ => Err(Invalid::with_help(
                        format!("unknown field '{k}', expected one of 'from', 'where', 'message'"),
                        did_you_mean(&k, RELATED_KEYS),
                    )),
                }
            })
        };
        while let Some(key) = map.next_key_seed(key_seed())? {
            match (key, &from) {
                (RelatedKey::From, _) => {
                    let scope = c.scope;
                    from = Some(map.next_value_seed(Located::new("a field", move |raw| {
                        let acc = Accessor::compile(scope, &raw.describe())?;
                        let (FieldType::Entities(target) | FieldType::Entity(target)) = acc.ty
                        else {
                            return Err(Invalid::new(format!(
                                "related 'from' must name an entity or a list of entities; '{}' is {}",
                                acc.name,
                                acc.ty.describe()
                            )));
                        };
                        Ok((acc, target))
                    }))?);
                }
                (RelatedKey::Where, Some((_, target))) => {
                    filter = Some(map.next_value_seed(Compiling::new(*target, &c.params))?);
                }
                (RelatedKey::Message, Some((_, target))) => {
                    message = Some(map.next_value_seed(template_in(*target, &c.params))?);
                }
                (k, None) => waiting.push((k, map.next_value()?)),
            }
        }
        let Some((from, target)) = from else {
            return Err(de::Error::missing_field("from"));
        };
        for (k, value) in waiting {
            let relocate = |e: serde_json::Error| yaml::error::<A::Error>(json_message(&e), None);
            match k {
                RelatedKey::Where => {
                    filter = Some(
                        Compiling::new(target, &c.params)
                            .deserialize(value)
                            .map_err(relocate)?,
                    );
                }
                RelatedKey::Message => {
                    message = Some(
                        template_in(target, &c.params)
                            .deserialize(value)
                            .map_err(relocate)?,
                    );
                }
                RelatedKey::From => {}
            }
        }
        let Some(message) = message else {
            return Err(de::Error::missing_field("message"));
        };
        Ok(Related {
            from,
            filter,
            message,
        })
    }
}

/// serde_json's message without its position (which means nothing in a YAML file).
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_owned(),
        None => text,
    }
}

impl JsonSchema for Related {
    fn schema_name() -> Cow<'static, str> {
        "Related".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let condition = generator.subschema_for::<When>();
        json_schema!({
            "type": "object",
            "properties": {
                "from": {"type": "string", "description": "An entity field or a list of entities (bundle.nps.hosts)."},
                "where": condition,
                "message": {"type": "string", "description": "The label of each location, in the scope of `from`."}
            },
            "required": ["from", "message"],
            "additionalProperties": false
        })
    }
}

/// `at:`: a field with a place in its file.
pub(crate) struct At(pub Locator);

impl fmt::Debug for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("At")
    }
}

impl<'de> Deserialize<'de> for At {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let c = context::<D::Error>()?;
        Located::new("a field name", |raw| {
            let name = raw.describe();
            let located = |f: &&FieldDef| f.at.is_some();
            let table = fields(c.scope);
            let found = table
                .iter()
                .filter(located)
                .find(|f| f.name == name)
                .and_then(|f| f.at);
            found.map(At).ok_or_else(|| {
                Invalid::with_help(
                    format!(
                        "'at: {name}' must name a field of scope {} that has a place in its file",
                        c.scope.name()
                    ),
                    did_you_mean(&name, table.iter().filter(located).map(|f| f.name)),
                )
            })
        })
        .deserialize(d)
    }
}

impl JsonSchema for At {
    fn schema_name() -> Cow<'static, str> {
        "At".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "description": "A field marked [at] in `trustlint fields`."})
    }
}
