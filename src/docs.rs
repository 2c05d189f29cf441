//! Rule and field documentation, generated from the rule files and the field tables:
//! `trustlint rules`, `explain`, `fields`, `docs/rules.md`, `docs/fields.md`, the JSON Schemas.

pub use crate::engine::docs::{
    by_symptom, catalogue, explain, fields_doc, fields_markdown, find, markdown, page, rule_doc,
    rule_markdown,
};
pub use crate::engine::reason_codes::meaning as reason_code_meaning;

/// The JSON Schema of rule files (`docs/schema/rule.schema.json`).
pub fn rule_schema() -> String {
    crate::engine::rule_schema()
}

/// The JSON Schema of `trustlint.yaml` (`docs/schema/trustlint.schema.json`).
pub fn config_schema() -> String {
    crate::config::schema()
}
