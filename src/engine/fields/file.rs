//! Fields of the `file` scope: each scanned file that is ours or has a problem.


use super::{
    Entity, FieldDef, FieldType, Value, int, s,
};
use std::borrow::Cow;

use crate::facts::FileProblem;

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        File,
        "path",
        FieldType::Str,
        "The file's path as reported.",
        |_b, f| s(&f.location.path)
    ),
    field!(
        File,
        "kind",
        FieldType::Str,
        "What it claims to be: `DER`, `PEM`, `registry export`, `XML`, `JSON`, `PowerShell script`; absent for files that are not ours.",
        |_b, f| f.kind.map_or(Value::Absent, |k| s(k.name()))
    ),
    field!(File, "size", FieldType::Int, "Size in bytes.", |_b, f| int(
        f.size
    )),
    field!(
        File,
        "parse_error",
        FieldType::Str,
        "What was wrong, with the line or byte offset; absent when it parsed.",
        |_b, f| match &f.problem {
            Some(FileProblem::Unparseable(e)) => Value::Str(Cow::Owned(e.message())),
            _ => Value::Absent,
        }
    ),
    field!(
        File,
        "too_large",
        FieldType::Bool,
        "Larger than the size limit, so not read.",
        |_b, f| Value::Bool(matches!(f.problem, Some(FileProblem::TooLarge { .. })))
    ),
    field!(
        File,
        "size_limit",
        FieldType::Int,
        "The size limit it exceeded; absent unless too large.",
        |_b, f| match &f.problem {
            Some(FileProblem::TooLarge { limit, .. }) => int(*limit),
            _ => Value::Absent,
        }
    ),
];
