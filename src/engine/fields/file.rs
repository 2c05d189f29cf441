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
        "What it claims to be: `DER`, `PEM`, `registry export`, `XML`, `JSON`, `PowerShell script`, `Microsoft365DSC configuration`, `YAML`; absent for files that are not ours.",
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
        "skipped",
        FieldType::Str,
        "Why a file that is not ours was skipped (`not a format trustlint reads`, the format it was recognised as, or what it held); absent for files that were read.",
        |_b, f| f
            .skipped
            .as_ref()
            .map_or(Value::Absent, |r| Value::Str(Cow::Owned(r.to_string())))
    ),
    field!(
        File,
        "unsupported_format",
        FieldType::Str,
        "The format a skipped file was recognised as, when trustlint recognises it and does not read it (console output of the MDM_VPNv2_01 WMI class, an NPS configuration export); absent otherwise.",
        |_b, f| match &f.skipped {
            Some(crate::load::Skipped::UnsupportedFormat(format)) => s(format),
            _ => Value::Absent,
        }
    ),
    field!(
        File,
        "explicit",
        FieldType::Bool,
        "Named on the command line itself rather than found below a folder.",
        |_b, f| Value::Bool(f.explicit)
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
    field!(
        File,
        "next_page",
        FieldType::Bool,
        "It is one page of a Microsoft Graph list: its `@odata.nextLink` says more pages follow, which the file does not hold. Its place is the link.",
        |_b, f| Value::Bool(f.next_page.is_some()),
        at | f | f.next_page.clone()
    ),
];
