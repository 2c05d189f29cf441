//! Fields of the `crl` scope: each distinct CRL and its issuer.

use std::borrow::Cow;

use super::{
    Entity, FieldDef, FieldType, Scope, Value, cert_at, int, s,
};

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        Crl,
        "issuer_name",
        FieldType::Str,
        "Issuer distinguished name.",
        |_b, c| s(&c.data.issuer.text)
    ),
    field!(
        Crl,
        "display_name",
        FieldType::Str,
        "`CRL of <issuer CN>` (else the whole issuer name): what messages call the CRL.",
        |_b, c| Value::Str(Cow::Owned(c.display_name()))
    ),
    field!(
        Crl,
        "issuer",
        FieldType::Entity(Scope::Certificate),
        "The certificate that issued it, when in the bundle.",
        |b, c| cert_at(b, c.issuer)
    ),
    field!(
        Crl,
        "signature_valid",
        FieldType::Bool,
        "The issuer's key verifies the signature; absent without an issuer or when the algorithm cannot be checked.",
        |_b, c| match c.issuer_signature {
            Some(crate::facts::signature::SignatureCheck::Valid) => Value::Bool(true),
            Some(crate::facts::signature::SignatureCheck::Invalid) => Value::Bool(false),
            _ => Value::Absent,
        }
    ),
    field!(
        Crl,
        "self_signed",
        FieldType::Bool,
        "Always false: a CRL is signed by its issuer (present so rules can share a condition with certificates).",
        |_b, _c| Value::Bool(false)
    ),
    field!(
        Crl,
        "this_update",
        FieldType::Time,
        "thisUpdate.",
        |_b, c| Value::Time(c.data.this_update)
    ),
    field!(
        Crl,
        "next_update",
        FieldType::Time,
        "nextUpdate; absent when none.",
        |_b, c| c.data.next_update.map_or(Value::Absent, Value::Time)
    ),
    field!(
        Crl,
        "signature.algorithm",
        FieldType::Str,
        "Signature algorithm name or OID.",
        |_b, c| s(&c.data.signed.algorithm_name)
    ),
    field!(
        Crl,
        "signature.hash",
        FieldType::Str,
        "Signature digest: `md5`, `sha1`, `sha256`, `sha384`, `sha512` or `unknown`.",
        |_b, c| s(c.data.signed.hash)
    ),
    field!(
        Crl,
        "revoked_count",
        FieldType::Int,
        "Number of revoked serials listed.",
        |_b, c| int(c.data.revoked_serials.len())
    ),
    field!(
        Crl,
        "is_delta",
        FieldType::Bool,
        "A delta CRL (Delta CRL Indicator).",
        |_b, c| Value::Bool(c.data.is_delta)
    ),
    field!(
        Crl,
        "sha256",
        FieldType::Str,
        "SHA-256 of the DER, lower-case hex.",
        |_b, c| s(&c.data.sha256)
    ),
    field!(
        Crl,
        "size",
        FieldType::Int,
        "Size of the CRL's DER in bytes: what a relying party downloads.",
        |_b, c| int(c.data.der.len())
    ),
];
