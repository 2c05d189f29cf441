//! Fields of the `eap_thumbprint` scope: each `TrustedRootCA` / `IssuerHash` of an EAP
//! configuration, resolved against the bundle.


use super::{
    Entity, FieldDef, FieldType, Scope, Value, cert_at, eap_at, opt_s, s,
};
use crate::facts::PinKind;

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        EapThumbprint,
        "kind",
        FieldType::Str,
        "`TrustedRootCA` (a root the client accepts for the server) or `IssuerHash` (a CA a client certificate must chain to).",
        |_b, p| s(match p.kind {
            PinKind::TrustedRoot => "TrustedRootCA",
            PinKind::IssuerHash => "IssuerHash",
        })
    ),
    field!(
        EapThumbprint,
        "thumbprint",
        FieldType::Str,
        "The SHA-1 thumbprint, 40 lower-case hex digits; absent when the text is not one.",
        |_b, p| opt_s(p.thumbprint.hex.as_deref())
    ),
    field!(
        EapThumbprint,
        "raw",
        FieldType::Str,
        "The text as written, trimmed.",
        |_b, p| s(&p.thumbprint.raw)
    ),
    field!(
        EapThumbprint,
        "well_formed",
        FieldType::Bool,
        "The text is a SHA-1 thumbprint (40 hex digits, spaces, colons and case aside).",
        |_b, p| Value::Bool(p.thumbprint.hex.is_some())
    ),
    field!(
        EapThumbprint,
        "certificate",
        FieldType::Entity(Scope::Certificate),
        "The certificate of the bundle with this thumbprint; absent when none.",
        |b, p| cert_at(b, p.certificate)
    ),
    field!(
        EapThumbprint,
        "filter_enabled",
        FieldType::Bool,
        "For an `IssuerHash`: the `CAHashList` is enabled, so the filter applies.",
        |_b, p| Value::Bool(p.filter_enabled)
    ),
    field!(
        EapThumbprint,
        "profile_reference",
        FieldType::Str,
        "The Intune trusted-root profile id an export pins the root by (a Wi-Fi or wired profile's `rootCertificatesForServerValidation`); absent for a thumbprint written as such.",
        |_b, p| p
            .thumbprint
            .profile_reference
            .as_deref()
            .map_or(Value::Absent, s)
    ),
    field!(
        EapThumbprint,
        "profile_reference_checkable",
        FieldType::Bool,
        "Whether the bundle can show that the profile reference resolves to nothing: every trusted-root profile in it carries its id.",
        |b, _p| Value::Bool(b.profiles.trusted_root_references_checkable)
    ),
    field!(
        EapThumbprint,
        "config",
        FieldType::Entity(Scope::EapConfig),
        "The EAP configuration it is in.",
        |b, p| eap_at(b, Some(p.config))
    ),
];
