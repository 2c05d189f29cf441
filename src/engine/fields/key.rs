//! Fields of the `key` scope: key material found in the bundle (never decoded).


use super::{
    Entity, FieldDef, FieldType, Value, s,
};

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        Key,
        "kind",
        FieldType::Str,
        "`pkcs8`, `rsa`, `ec`, `dsa`, `openssh`, `legacy-encrypted`, `encrypted-pkcs8` or `pkcs12`.",
        |_b, k| s(k.kind.name())
    ),
    field!(
        Key,
        "encrypted",
        FieldType::Bool,
        "Protected by a password (encrypted PKCS#8, legacy encrypted PEM, PKCS#12).",
        |_b, k| Value::Bool(k.kind.is_encrypted())
    ),
];
