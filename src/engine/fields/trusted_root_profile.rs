//! Fields of the `trusted_root_profile` scope: Intune trusted-certificate profiles.


use super::{
    Entity, FieldDef, FieldType, Scope, Value, cert_at, opt_s,
};

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        TrustedRootProfile,
        "name",
        FieldType::Str,
        "`displayName`; absent when none.",
        |_b, t| opt_s(t.data.name.as_deref())
    ),
    field!(
        TrustedRootProfile,
        "id",
        FieldType::Str,
        "Graph `id`; absent when none.",
        |_b, t| opt_s(t.data.id.as_deref())
    ),
    field!(
        TrustedRootProfile,
        "destination_store",
        FieldType::Str,
        "`destinationStore`; absent when not written (the Graph default is the computer's root store).",
        |_b, t| opt_s(t.data.destination_store.as_ref().map(|d| d.value.as_str())),
        at | x
            | x.data
                .destination_store
                .as_ref()
                .map(|d| d.location.clone())
    ),
    field!(
        TrustedRootProfile,
        "deploys_to_root_store",
        FieldType::Bool,
        "It installs into a Trusted Root store: `computerCertStoreRoot`, `userCertStoreRoot`, or no destinationStore.",
        |_b, t| Value::Bool(t.data.destination_store.as_ref().is_none_or(|d| {
            d.value.eq_ignore_ascii_case("computerCertStoreRoot")
                || d.value.eq_ignore_ascii_case("userCertStoreRoot")
        }))
    ),
    field!(
        TrustedRootProfile,
        "certificate",
        FieldType::Entity(Scope::Certificate),
        "The certificate it deploys; absent when `trustedRootCertificate` holds none.",
        |b, t| cert_at(b, t.certificate),
        at | x | x.data.certificate_location.clone()
    ),
];
