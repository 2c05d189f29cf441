//! YAML read so that every error — a structural one from serde or a semantic one (an unknown
//! field name, an operand of the wrong type, a rule that does not exist) — carries the
//! position the parser was at. Semantic checks run inside `Deserialize` impls: serde_yaml
//! stamps an error raised while it visits a node with that node's position, so a mistake in a
//! rule's second `overrides` entry is reported there, not at the first place its text appears.
//!
//! [`Raw`] and [`Located`] are the tools: a value read as YAML gives it, converted by a closure
//! inside the visitor, so the conversion's error is stamped with the value's position.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Separates a message from its "did you mean" inside a serde error's text (serde errors carry
/// one string); never written by a user, since it is a control character.
const HELP: char = '\u{1f}';

/// A serde error with a message and an optional hint, for [`YamlError::help`].
pub(crate) fn error<E: de::Error>(message: impl fmt::Display, help: Option<String>) -> E {
    match help {
        Some(h) => E::custom(format_args!("{message}{HELP}{h}")),
        None => E::custom(message),
    }
}

/// An error of a YAML document, at the place the parser was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    /// What is wrong, prefixed by the path of the key when the parser knows it
    /// (`overrides[1].when: …`).
    pub message: String,
    /// A "did you mean", when there is a close candidate.
    pub help: Option<String>,
    /// Byte offset in the document; 0 when unknown.
    pub offset: usize,
    /// 1-based line; 0 when unknown.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
}

impl YamlError {
    /// The error serde_yaml reports, with its position and its hint split out.
    pub(crate) fn from_yaml(e: &serde_yaml::Error) -> Self {
        let (offset, line, column) = e
            .location()
            .map_or((0, 0, 0), |l| (l.index(), l.line(), l.column()));
        YamlError::from_text(&e.to_string(), offset, line, column)
    }

    /// An error of the build's JSON form of a built-in rule: no position in the YAML.
    pub(crate) fn from_json(e: &serde_json::Error) -> Self {
        YamlError::from_text(&e.to_string(), 0, 0, 0)
    }

    fn from_text(text: &str, offset: usize, line: usize, column: usize) -> Self {
        // serde_yaml appends " at line N column M"; the position is kept apart.
        let text = match text.rfind(" at line ") {
            Some(i) if line > 0 => text.get(..i).unwrap_or(text),
            _ => text,
        };
        let (message, help) = match text.split_once(HELP) {
            Some((m, h)) => (m.to_owned(), Some(h.to_owned())),
            None => (text.to_owned(), unknown_name_help(text)),
        };
        YamlError {
            message: message.replace('`', "'"),
            help,
            offset,
            line,
            column,
        }
    }
}

/// A YAML document as `T`, every error located.
pub(crate) fn from_str<T: de::DeserializeOwned>(src: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(src).map_err(|e| YamlError::from_yaml(&e))
}

/// "did you mean" for serde's own "unknown field `x`, expected one of `a`, `b`" and "unknown
/// variant" errors: the candidates are the keys (or values) of the very map where the mistake
/// is, as serde lists them.
fn unknown_name_help(message: &str) -> Option<String> {
    let rest = message
        .split_once("unknown field `")
        .or_else(|| message.split_once("unknown variant `"))?
        .1;
    let (wrong, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected")?.1;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(wrong, candidates)
}

/// "did you mean 'x'?" for the closest of `candidates`, if close enough.
pub(crate) fn did_you_mean<'a>(
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

/// A YAML value as written, for conversions that decide its meaning themselves.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Raw {
    /// `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// Text.
    Str(String),
    /// A list.
    List(Vec<Raw>),
    /// A mapping (its content is not kept: no conversion takes one).
    Map,
}

impl Raw {
    /// How the value reads in a message.
    pub(crate) fn describe(&self) -> String {
        match self {
            Raw::Null => "null".to_owned(),
            Raw::Bool(b) => b.to_string(),
            Raw::Int(n) => n.to_string(),
            Raw::Float(f) => f.to_string(),
            Raw::Str(s) => s.clone(),
            Raw::List(_) => "a list".to_owned(),
            Raw::Map => "a mapping".to_owned(),
        }
    }
}

impl<'de> de::Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        Located::new("a value", Ok).deserialize(d)
    }
}

/// Why a conversion refused a value: a message and an optional "did you mean".
#[derive(Debug, Clone)]
pub(crate) struct Invalid {
    /// What is wrong.
    pub message: String,
    /// A hint.
    pub help: Option<String>,
}

impl Invalid {
    /// A refusal without a hint.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Invalid {
            message: message.into(),
            help: None,
        }
    }

    /// A refusal with a hint.
    pub(crate) fn with_help(message: impl Into<String>, help: Option<String>) -> Self {
        Invalid {
            message: message.into(),
            help,
        }
    }
}

/// Reads a value as [`Raw`] and converts it with `convert` while the parser is still at it, so
/// a refusal is located at the value.
pub(crate) struct Located<F, T> {
    expecting: &'static str,
    convert: F,
    out: PhantomData<fn() -> T>,
}

impl<F, T> Located<F, T>
where
    F: FnOnce(Raw) -> Result<T, Invalid>,
{
    /// A seed for a value described as `expecting` in serde's messages.
    pub(crate) fn new(expecting: &'static str, convert: F) -> Self {
        Located {
            expecting,
            convert,
            out: PhantomData,
        }
    }
}

impl<'de, F, T> DeserializeSeed<'de> for Located<F, T>
where
    F: FnOnce(Raw) -> Result<T, Invalid>,
{
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

impl<F, T> Located<F, T>
where
    F: FnOnce(Raw) -> Result<T, Invalid>,
{
    fn finish<E: de::Error>(self, raw: Raw) -> Result<T, E> {
        (self.convert)(raw).map_err(|i| error(i.message, i.help))
    }
}

impl<'de, F, T> Visitor<'de> for Located<F, T>
where
    F: FnOnce(Raw) -> Result<T, Invalid>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        self.finish(Raw::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.finish(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        match i64::try_from(v) {
            Ok(n) => self.finish(Raw::Int(n)),
            Err(_) => self.finish(Raw::Str(v.to_string())),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        self.finish(Raw::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        self.finish(Raw::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        self.finish(Raw::Str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        self.finish(Raw::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        self.finish(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        let raw = <Raw as de::Deserialize>::deserialize(d)?;
        self.finish(raw)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Raw>()? {
            items.push(item);
        }
        self.finish(Raw::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        self.finish(Raw::Map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "read only for its errors")]
    struct Two {
        first: u32,
        second: Vec<Even>,
    }

    #[derive(Debug)]
    struct Even;

    impl<'de> de::Deserialize<'de> for Even {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Even, D::Error> {
            Located::new("an even number", |raw| match raw {
                Raw::Int(n) if n % 2 == 0 => Ok(Even),
                other => Err(Invalid::with_help(
                    format!("{} is odd", other.describe()),
                    Some("add one".to_owned()),
                )),
            })
            .deserialize(d)
        }
    }

    #[test]
    fn a_conversion_error_is_located_at_its_value_with_its_hint() {
        let e = from_str::<Two>("first: 1\nsecond:\n  - 2\n  - 4\n  - 7\n").unwrap_err();
        assert_eq!((e.line, e.column), (5, 5));
        assert_eq!(e.message, "second[2]: 7 is odd");
        assert_eq!(e.help.as_deref(), Some("add one"));
    }

    #[test]
    fn an_unknown_key_is_located_at_the_key_and_suggests_from_its_own_map() {
        let e = from_str::<Two>("first: 1\nsecnd: []\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.message.starts_with("unknown field 'secnd'"),
            "{}",
            e.message
        );
        assert_eq!(e.help.as_deref(), Some("did you mean 'second'?"));
    }
}
