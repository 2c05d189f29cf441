//! Fields of the `cloud_ca` scope: Microsoft Cloud PKI CA exports.


use super::{
    Entity, FieldDef, FieldType, Scope, Value, cert_at, opt_s,
};

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        CloudCa,
        "name",
        FieldType::Str,
        "`displayName`; absent when none.",
        |_b, c| opt_s(c.data.name.as_deref())
    ),
    field!(
        CloudCa,
        "type",
        FieldType::Str,
        "`cloudCertificationAuthorityType`: `rootCertificationAuthority`, `issuingCertificationAuthority`, `issuingCertificationAuthorityWithExternalRoot`.",
        |_b, c| opt_s(c.data.ca_type.as_deref())
    ),
    field!(
        CloudCa,
        "crl_url",
        FieldType::Str,
        "`certificateRevocationListUrl`; absent when none.",
        |_b, c| opt_s(c.data.crl_url.as_deref())
    ),
    field!(
        CloudCa,
        "thumbprint",
        FieldType::Str,
        "`thumbprint`, 40 lower-case hex digits; absent when none.",
        |_b, c| opt_s(c.data.thumbprint.as_deref())
    ),
    field!(
        CloudCa,
        "certificate",
        FieldType::Entity(Scope::Certificate),
        "The certificate with its thumbprint; absent when not in the bundle.",
        |b, c| cert_at(b, c.certificate)
    ),
    field!(
        CloudCa,
        "extended_key_usages",
        FieldType::StrList,
        "`extendedKeyUsages[].objectIdentifier`: what the CA may issue; absent when the export does not write them.",
        |_b, c| c.data.extended_key_usages.as_deref().map_or(Value::Absent, Value::StrList)
    ),
];
