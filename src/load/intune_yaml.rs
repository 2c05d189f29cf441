//! Microsoft Graph objects written as YAML: IntuneCD backups (`IntuneCD-startbackup -o yaml`),
//! one object per file in folders such as `Device Configurations/`. The members are Graph's
//! (`'@odata.type': '#microsoft.graph.windows81SCEPCertificateProfile'`), so each document is
//! turned into the JSON syntax tree the Graph reader reads, every node keeping its place.
//! IntuneCD leaves out ids and references; that is the export's shape, not an error.
//!
//! Refused, as `unparseable-file` at the place: YAML that does not parse, a duplicate key (YAML
//! forbids it, and which value counts is unknowable), a key that is not a scalar, nesting past
//! the limit. Aliases are not expanded (no alias bomb can grow the document): an alias reads as
//! null.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use jsonc_parser::ast::{
    Array, BooleanLit, NullKeyword, NumberLit, Object, ObjectProp, ObjectPropName, StringLit, Value,
};
use jsonc_parser::common::{Range, Ranged};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span};

use super::text::{Fallback, decode_or_note};
use super::{LoadError, LoadProblem, Parsed, intune};

/// Nodes nested deeper than this are refused (Graph objects are a few levels deep).
const MAX_DEPTH: usize = 64;

/// Whether `head` (the start of a file, trimmed) is Graph YAML: a `@odata.type` key (quoted, as
/// YAML requires for a key starting with `@`) naming a `#microsoft.graph.` type.
pub(crate) fn sniff(head: &str) -> bool {
    head.contains("#microsoft.graph.")
        && head.lines().any(|l| {
            let key = l.trim_start().trim_start_matches("- ");
            key.starts_with("'@odata.type'") || key.starts_with("\"@odata.type\"")
        })
}

/// Loads a YAML file of Graph objects.
pub(crate) fn load(path: &Arc<str>, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    let Some(text) = decode_or_note(path, bytes, Fallback::Utf8Only, &mut out) else {
        return out;
    };
    match documents(&text) {
        Ok(values) => {
            let unread = intune::read_values(path, &text, &values, &mut out);
            if out.artifacts.is_empty() && out.problem.is_none() {
                out.skipped = Some(intune::nothing_to_read("Graph YAML", unread));
            }
        }
        Err((offset, message)) => out.note(LoadError::in_text(
            path,
            &text,
            offset,
            LoadProblem::Malformed(format!("YAML: {message}")),
        )),
    }
    let broken = out.problem.as_ref().map(|p| p.location.byte_offset);
    out.text = Some(super::FileText::Decoded(super::text::redact_secrets(
        text, broken,
    )));
    out
}

type Error = (usize, String);

/// Every document of `text`, as JSON syntax trees over `text`'s byte ranges.
fn documents(text: &str) -> Result<Vec<Value<'_>>, Error> {
    let mut b = Builder {
        text,
        parser: Parser::new_from_str(text),
        bytes: Positions::new(text),
    };
    let mut out = Vec::new();
    while let Some((event, span)) = b.next()? {
        match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            other => out.push(b.node(other, span, 1)?),
        }
    }
    Ok(out)
}

/// Byte offsets of the parser's character positions.
struct Positions {
    /// For text that is not ASCII: the byte offset of each character (one past the end too).
    table: Option<Vec<usize>>,
    len: usize,
}

impl Positions {
    fn new(text: &str) -> Positions {
        let table = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        });
        Positions {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, m: &Marker) -> usize {
        match &self.table {
            Some(t) => t.get(m.index()).copied().unwrap_or(self.len),
            None => m.index().min(self.len),
        }
    }
}

struct Builder<'a> {
    text: &'a str,
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    bytes: Positions,
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<Option<(Event<'a>, Span)>, Error> {
        match self.parser.next() {
            None => Ok(None),
            Some(Ok(e)) => Ok(Some(e)),
            Some(Err(e)) => Err((self.bytes.byte(e.marker()), e.info().to_owned())),
        }
    }

    fn range(&self, span: &Span) -> Range {
        let start = self.bytes.byte(&span.start);
        Range {
            start,
            end: self.bytes.byte(&span.end).max(start),
        }
    }

    fn expect_next(&mut self) -> Result<(Event<'a>, Span), Error> {
        self.next()?.ok_or_else(|| {
            (
                self.text.len(),
                "the document ends inside a node".to_owned(),
            )
        })
    }

    fn node(&mut self, event: Event<'a>, span: Span, depth: usize) -> Result<Value<'a>, Error> {
        let range = self.range(&span);
        if depth > MAX_DEPTH {
            return Err((
                range.start,
                format!("nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(match event {
            Event::Scalar(value, style, _, _) => self.scalar(value, style, range),
            Event::Alias(_) => Value::NullKeyword(NullKeyword { range }),
            Event::SequenceStart(_, _) => {
                let mut elements = Vec::new();
                let mut end = range.end;
                loop {
                    let (e, s) = self.expect_next()?;
                    if matches!(e, Event::SequenceEnd) {
                        end = end.max(self.range(&s).end);
                        break;
                    }
                    let v = self.node(e, s, depth.saturating_add(1))?;
                    end = end.max(v.range().end);
                    elements.push(v);
                }
                Value::Array(Array {
                    range: Range {
                        start: range.start,
                        end,
                    },
                    elements,
                })
            }
            Event::MappingStart(_, _) => Value::Object(self.mapping(range, depth)?),
            _ => return Err((range.start, "unexpected YAML event".to_owned())),
        })
    }

    fn mapping(&mut self, range: Range, depth: usize) -> Result<Object<'a>, Error> {
        let mut properties = Vec::new();
        let mut seen = HashSet::new();
        let mut end = range.end;
        loop {
            let (e, s) = self.expect_next()?;
            let key_range = self.range(&s);
            let key = match e {
                Event::MappingEnd => {
                    end = end.max(key_range.end);
                    break;
                }
                Event::Scalar(k, _, _, _) => k,
                _ => {
                    return Err((
                        key_range.start,
                        "a mapping key that is not a string".to_owned(),
                    ));
                }
            };
            if !seen.insert(key.clone()) {
                return Err((
                    key_range.start,
                    format!("duplicate key '{key}' (YAML keys must be unique)"),
                ));
            }
            let (ve, vs) = self.expect_next()?;
            let value = self.node(ve, vs, depth.saturating_add(1))?;
            let value_end = value.range().end.max(key_range.end);
            end = end.max(value_end);
            properties.push(ObjectProp {
                range: Range {
                    start: key_range.start,
                    end: value_end,
                },
                name: ObjectPropName::String(StringLit {
                    range: key_range,
                    value: key,
                }),
                value,
            });
        }
        Ok(Object {
            range: Range {
                start: range.start,
                end,
            },
            properties,
        })
    }

    /// A scalar as JSON would have it: plain `true`, `false`, `null`, `~` and numbers are typed
    /// (YAML's core schema); everything else, quoted or not, is a string.
    fn scalar(&self, value: Cow<'a, str>, style: ScalarStyle, range: Range) -> Value<'a> {
        if style == ScalarStyle::Plain {
            match value.as_ref() {
                "true" | "True" | "TRUE" => {
                    return Value::BooleanLit(BooleanLit { range, value: true });
                }
                "false" | "False" | "FALSE" => {
                    return Value::BooleanLit(BooleanLit {
                        range,
                        value: false,
                    });
                }
                "null" | "Null" | "NULL" | "~" | "" => {
                    return Value::NullKeyword(NullKeyword { range });
                }
                _ => {}
            }
            // A number keeps its text from the document, which the syntax tree borrows.
            if let Some(written) = self.text.get(range.start..range.end)
                && written == value.as_ref()
                && written.parse::<f64>().is_ok()
            {
                return Value::NumberLit(NumberLit {
                    range,
                    value: written,
                });
            }
        }
        Value::StringLit(StringLit { range, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_their_places_and_types() -> Result<(), Error> {
        let text = "'@odata.type': '#microsoft.graph.windows81SCEPCertificateProfile'\n\
                    displayName: Contoso – SCEP\nkeySize: size2048\n\
                    certificateValidityPeriodValue: 2\nenabled: true\n\
                    extendedKeyUsages:\n- name: Client Authentication\n  objectIdentifier: 1.3.6.1.5.5.7.3.2\n";
        let docs = documents(text)?;
        let Some(Value::Object(o)) = docs.first() else {
            return Err((0, "no object".into()));
        };
        let key = o.get_string("keySize").map(|s| s.range);
        assert_eq!(key.and_then(|r| text.get(r.start..r.end)), Some("size2048"));
        assert_eq!(
            o.get("certificateValidityPeriodValue")
                .and_then(|p| p.value.as_number_lit())
                .map(|n| n.value),
            Some("2")
        );
        assert!(matches!(
            o.get("enabled").map(|p| &p.value),
            Some(Value::BooleanLit(_))
        ));
        let eku = o
            .get("extendedKeyUsages")
            .and_then(|p| p.value.as_array())
            .and_then(|a| a.elements.first())
            .and_then(|e| e.as_object())
            .and_then(|e| e.get_string("objectIdentifier"));
        assert_eq!(eku.map(|s| s.value.as_ref()), Some("1.3.6.1.5.5.7.3.2"));
        Ok(())
    }

    #[test]
    fn duplicate_keys_and_bad_yaml_are_located() {
        let dup = "displayName: a\nkeySize: size2048\nkeySize: size1024\n";
        assert_eq!(documents(dup).err().map(|(at, _)| at), dup.rfind("keySize"));
        assert!(documents("a: [1, 2\n").is_err());
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        assert!(documents(&deep).is_err());
    }
}
