//! Message templates: text with `{field}` placeholders, compiled once against the field
//! registry (or the rule's parameters) and rendered per finding.

use super::condition::{Accessor, Params};
use super::fields::{Entity, Scope, Value};
use crate::facts::Bundle;
use crate::yaml::Invalid;

#[derive(Debug, Clone)]
enum Segment {
    Text(String),
    Field(Accessor),
}

/// A compiled template.
#[derive(Debug, Clone)]
pub(crate) struct Template(Vec<Segment>);

impl Template {
    /// Compiles `text` in `scope`. `{{` and `}}` stand for literal braces.
    pub(crate) fn compile(text: &str, scope: Scope, params: &Params) -> Result<Template, Invalid> {
        let mut segments = Vec::new();
        let mut buf = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    buf.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    buf.push('}');
                }
                '{' => {
                    let name: String = chars.by_ref().take_while(|c| *c != '}').collect();
                    let name = name.trim();
                    if let Some(p) = params.get(name) {
                        buf.push_str(&match p {
                            serde_yaml::Value::String(s) => s.clone(),
                            other => serde_yaml::to_string(other)
                                .unwrap_or_default()
                                .trim()
                                .to_owned(),
                        });
                        continue;
                    }
                    if !buf.is_empty() {
                        segments.push(Segment::Text(std::mem::take(&mut buf)));
                    }
                    segments.push(Segment::Field(Accessor::compile(scope, name)?));
                }
                c => buf.push(c),
            }
        }
        if !buf.is_empty() {
            segments.push(Segment::Text(buf));
        }
        Ok(Template(segments))
    }

    /// Renders the template for `entity`.
    pub(crate) fn render<'b>(&self, bundle: &'b Bundle, entity: Entity<'b>) -> String {
        let mut out = String::new();
        for s in &self.0 {
            match s {
                Segment::Text(t) => out.push_str(t),
                Segment::Field(acc) => push_value(&mut out, &acc.get(bundle, entity)),
            }
        }
        out
    }
}

fn push_value(out: &mut String, v: &Value<'_>) {
    use std::fmt::Write;
    match v {
        Value::Absent => out.push_str("(none)"),
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Str(s) => out.push_str(s),
        Value::Time(t) => out.push_str(&crate::clock::format_rfc3339(*t)),
        Value::StrList(items) => out.push_str(&items.join(", ")),
        Value::Entity(e) => out.push_str(&e.display_name()),
        Value::Entities(es) => {
            let names: Vec<String> = es.iter().map(|e| e.display_name()).collect();
            out.push_str(&names.join(", "));
        }
    }
}
