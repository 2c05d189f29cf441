//! Fields of the `certificate_profile` scope: Intune SCEP and PKCS profiles with their root and
//! issuing CAs.

use std::borrow::Cow;

use super::{
    Entity, FieldDef, FieldType, Scope, Value, cert_at, int, opt_bool, opt_s, s,
};

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        CertificateProfile,
        "kind",
        FieldType::Str,
        "`SCEP` or `PKCS`.",
        |_b, p| s(p.data.kind)
    ),
    field!(
        CertificateProfile,
        "name",
        FieldType::Str,
        "`displayName`; absent when none.",
        |_b, p| opt_s(p.data.name.as_deref())
    ),
    field!(
        CertificateProfile,
        "display_name",
        FieldType::Str,
        "What messages call it: its `displayName`, else its id, else `(unnamed profile)`.",
        |_b, p| Value::Str(Cow::Owned(crate::facts::fact::Fact::display_name(p)))
    ),
    field!(
        CertificateProfile,
        "extended_key_usages",
        FieldType::StrList,
        "`extendedKeyUsages[].objectIdentifier`.",
        |_b, p| Value::StrList(&p.data.ekus),
        at | x | Some(x.data.ekus_location.clone())
    ),
    field!(
        CertificateProfile,
        "client_auth",
        FieldType::Bool,
        "Its EKUs include Client Authentication or Any Purpose (2.5.29.37.0, 1.3.6.1.4.1.311.10.12.1); absent when the export does not write `extendedKeyUsages`.",
        |_b, p| opt_bool(p.client_auth())
    ),
    field!(
        CertificateProfile,
        "key_size",
        FieldType::Int,
        "`keySize` in bits; absent when not written.",
        |_b, p| p
            .data
            .key_size
            .as_ref()
            .map_or(Value::Absent, |k| int(k.value)),
        at | x | x.data.key_size.as_ref().map(|k| k.location.clone())
    ),
    field!(
        CertificateProfile,
        "hash_algorithm",
        FieldType::Str,
        "`hashAlgorithm` as written (`sha1`, `sha2`, or flags such as `sha1,sha2`); absent when not written.",
        |_b, p| opt_s(p.data.hash_algorithm.as_ref().map(|h| h.value.as_str())),
        at | x | x.data.hash_algorithm.as_ref().map(|h| h.location.clone())
    ),
    field!(
        CertificateProfile,
        "certificate_store",
        FieldType::Str,
        "`certificateStore`: `user` or `machine`; absent when not written.",
        |_b, p| opt_s(p.data.certificate_store.as_deref())
    ),
    field!(
        CertificateProfile,
        "san_uris",
        FieldType::StrList,
        "`customSubjectAlternativeNames` of type universalResourceIdentifier.",
        |_b, p| Value::StrList(&p.data.san_uris)
    ),
    field!(
        CertificateProfile,
        "validity_days",
        FieldType::Int,
        "Certificate validity in days (months count 31, years 366); absent when not written.",
        |_b, p| p
            .data
            .validity_days
            .as_ref()
            .map_or(Value::Absent, |v| Value::Int(v.value)),
        at | x | x.data.validity_days.as_ref().map(|v| v.location.clone())
    ),
    field!(
        CertificateProfile,
        "root_reference",
        FieldType::Str,
        "The trusted-root profile id it names (expanded `rootCertificate`, `@odata.bind` or bare id); absent when the export has no reference.",
        |_b, p| match &p.data.root {
            Some(r) => Value::Str(Cow::Borrowed(r.id.as_deref().unwrap_or("(expanded)"))),
            None => Value::Absent,
        },
        at | x | x.data.root.as_ref().map(|r| r.location.clone())
    ),
    field!(
        CertificateProfile,
        "root_reference_checkable",
        FieldType::Bool,
        "Whether the bundle can show that the root reference resolves to nothing: every trusted-root profile in it carries its id (Microsoft365DSC and IntuneCD exports may leave ids out).",
        |_b, p| Value::Bool(p.root_reference_checkable)
    ),
    field!(
        CertificateProfile,
        "root_certificate",
        FieldType::Entity(Scope::Certificate),
        "The root certificate it deploys, through its trusted-root profile; absent when the reference resolves to none.",
        |b, p| cert_at(b, p.root_certificate)
    ),
    field!(
        CertificateProfile,
        "issuing_ca",
        FieldType::Entity(Scope::Certificate),
        "The CA that issues under it that expires first (the Cloud PKI CA of its SCEP URL, the CA a PKCS profile names, else the CAs below its root); absent when unknown.",
        |b, p| cert_at(b, p.first_expiring_ca(&b.certificates))
    ),
    field!(
        CertificateProfile,
        "issuing_ca_remaining_days",
        FieldType::Int,
        "Whole days from `--now` until `issuing_ca` expires; absent without one.",
        |b, p| p
            .issuing_ca_remaining_days(&b.certificates, b.now)
            .map_or(Value::Absent, Value::Int)
    ),
    field!(
        CertificateProfile,
        "validity_exceeds_ca",
        FieldType::Bool,
        "`validity_days` is longer than `issuing_ca_remaining_days`; absent when either is unknown.",
        |b, p| opt_bool(p.validity_exceeds_ca(&b.certificates, b.now)),
        at | x | x.data.validity_days.as_ref().map(|v| v.location.clone())
    ),
    field!(
        CertificateProfile,
        "key_usage",
        FieldType::StrList,
        "`keyUsage` flags, lower case (`keyencipherment`, `digitalsignature`); empty when not written.",
        |_b, c| Value::StrList(c.data.key_usage.as_ref().map_or(&[][..], |k| &k.value))
    ),
    field!(
        CertificateProfile,
        "scep_server_urls",
        FieldType::StrList,
        "`scepServerUrls`, as written (Cloud PKI's keep the `{{CloudPKIFQDN}}` host).",
        |_b, p| Value::StrList(&p.data.scep_server_urls)
    ),
    field!(
        CertificateProfile,
        "cloud_cas",
        FieldType::Entities(Scope::CloudCa),
        "The Cloud PKI CA exports whose `scepServerUrl` is one of its SCEP URLs (with or without their certificates in the bundle).",
        |b, p| super::listed(&b.profiles.cloud_cas, &p.cloud_cas, Entity::CloudCa)
    ),
    field!(
        CertificateProfile,
        "ekus_outside_cloud_ca",
        FieldType::StrList,
        "EKUs it asks for that its Cloud PKI issuing CA does not list (the CA export's `extendedKeyUsages`, else its certificate's EKU extension); absent when it names no Cloud PKI CA, writes no EKUs or the CA's are unknown.",
        |_b, p| p.ekus_outside_cloud_ca.as_deref().map_or(Value::Absent, Value::StrList)
    ),
    field!(
        CertificateProfile,
        "root_anchors_issuing_ca",
        FieldType::Bool,
        "The root it deploys is on the chain of the CA it names (SCEP URL, PKCS CA): same subject and key; absent unless both are known, false only when that CA's chain is complete without it.",
        |_b, p| opt_bool(p.root_anchors_issuing_ca)
    ),
    field!(
        CertificateProfile,
        "san_types",
        FieldType::StrList,
        "SAN types it asks for: `subjectAlternativeNameType` flags and `customSubjectAlternativeNames[].sanType` (`userPrincipalName`, `domainNameService`, `universalResourceIdentifier`, `emailAddress`, …), without `none`.",
        |_b, p| Value::StrList(&p.data.san_types)
    ),
    field!(
        CertificateProfile,
        "subject_name_format",
        FieldType::Str,
        "`subjectNameFormat` (`commonName`, `commonNameAsAadDeviceId`, `custom`, …); absent when not written.",
        |_b, p| opt_s(p.data.subject_name_format.as_deref())
    ),
    field!(
        CertificateProfile,
        "name_templates",
        FieldType::StrList,
        "The texts Intune fills with variables: `subjectNameFormatString`, `subjectAlternativeNameFormatString` and each custom SAN's `name`.",
        |_b, p| Value::StrList(&p.data.name_templates)
    ),
];
