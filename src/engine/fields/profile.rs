//! Fields of the profile scopes: VPN profiles, EAP configurations and their thumbprints and
//! server names, Intune trusted-root and certificate profiles, Cloud PKI CAs.

use std::borrow::Cow;

use super::{Entity, FieldDef, FieldType, Scope, Value, cert_at, int, opt_s, s};
use crate::facts::certificate::{EKU_ANY, EKU_CLIENT_AUTH, EKU_MS_ANY_PURPOSE};
use crate::facts::{Bundle, CertificateProfile, PinKind, ServerNameKind};

fn eap_at(b: &Bundle, i: Option<usize>) -> Value<'_> {
    i.and_then(|i| b.profiles.eap_configs.get(i))
        .map_or(Value::Absent, |e| Value::Entity(Entity::EapConfig(e)))
}

fn vpn_at(b: &Bundle, i: Option<usize>) -> Value<'_> {
    i.and_then(|i| b.profiles.vpn_profiles.get(i))
        .map_or(Value::Absent, |v| Value::Entity(Entity::VpnProfile(v)))
}

fn opt_bool(v: Option<bool>) -> Value<'static> {
    v.map_or(Value::Absent, Value::Bool)
}

/// The issuing CA of a certificate profile that expires first (the one that limits it).
pub(crate) fn first_expiring_ca(b: &Bundle, p: &CertificateProfile) -> Option<usize> {
    p.issuing_cas
        .iter()
        .copied()
        .filter_map(|i| b.certificates.get(i).map(|c| (c.data.not_after, i)))
        .min()
        .map(|(_, i)| i)
}

fn remaining_days(b: &Bundle, p: &CertificateProfile) -> Option<i64> {
    let ca = b.certificates.get(first_expiring_ca(b, p)?)?;
    Some(ca.data.not_after.saturating_sub(b.now).div_euclid(86_400))
}

pub(super) static VPN_PROFILE_FIELDS: &[FieldDef] = &[
    field!(
        VpnProfile,
        "display_name",
        FieldType::Str,
        "The profile name, else its first server, else its file: what messages call it.",
        |_b, v| Value::Str(Cow::Owned(Entity::VpnProfile(v).display_name()))
    ),
    field!(
        VpnProfile,
        "name",
        FieldType::Str,
        "`ProfileName`, or the Intune display name; absent when none.",
        |_b, v| opt_s(v.data.name.as_deref())
    ),
    field!(
        VpnProfile,
        "source",
        FieldType::Str,
        "`ProfileXML` or `Intune` (a windows10VpnConfiguration export).",
        |_b, v| s(v.data.source)
    ),
    field!(
        VpnProfile,
        "protocol",
        FieldType::Str,
        "`NativeProtocolType` (`IKEv2`, `SSTP`, `Automatic`, …; Intune's connectionType mapped to the same names); absent for plug-in profiles.",
        |_b, v| opt_s(v.data.protocol.as_ref().map(|p| p.value.as_str())),
        at | x | x.data.protocol.as_ref().map(|p| p.location.clone())
    ),
    field!(
        VpnProfile,
        "device_tunnel",
        FieldType::Bool,
        "`DeviceTunnel` (Intune: enableDeviceTunnel); absent when not written.",
        |_b, v| opt_bool(v.data.device_tunnel.as_ref().map(|d| d.value)),
        at | x | x.data.device_tunnel.as_ref().map(|d| d.location.clone())
    ),
    field!(
        VpnProfile,
        "user_method",
        FieldType::Str,
        "`Authentication/UserMethod` (`Eap`, `MSChapv2`); absent when none.",
        |_b, v| opt_s(v.data.user_method.as_ref().map(|m| m.value.as_str())),
        at | x | x.data.user_method.as_ref().map(|m| m.location.clone())
    ),
    field!(
        VpnProfile,
        "machine_method",
        FieldType::Str,
        "`Authentication/MachineMethod` (`Certificate`); absent when none.",
        |_b, v| opt_s(v.data.machine_method.as_ref().map(|m| m.value.as_str())),
        at | x | x.data.machine_method.as_ref().map(|m| m.location.clone())
    ),
    field!(
        VpnProfile,
        "plugin",
        FieldType::Bool,
        "A third-party plug-in profile (`PluginProfile`).",
        |_b, v| Value::Bool(v.data.plugin)
    ),
    field!(
        VpnProfile,
        "server_count",
        FieldType::Int,
        "How many servers it names.",
        |_b, v| int(v.data.servers.len())
    ),
    field!(
        VpnProfile,
        "eap",
        FieldType::Entity(Scope::EapConfig),
        "Its EAP configuration; absent when none.",
        |b, v| eap_at(b, v.eap)
    ),
];

pub(super) static EAP_CONFIG_FIELDS: &[FieldDef] = &[
    field!(
        EapConfig,
        "source",
        FieldType::Str,
        "`ProfileXML`, `Intune` (eapXml) or `EAP XML` (a standalone file).",
        |_b, e| s(e.source)
    ),
    field!(
        EapConfig,
        "method",
        FieldType::Int,
        "`EapMethod/Type`: 13 EAP-TLS, 25 PEAP.",
        |_b, e| e.data.method.map_or(Value::Absent, int)
    ),
    field!(
        EapConfig,
        "inner_method",
        FieldType::Int,
        "The method inside PEAP (13 for PEAP-TLS); absent otherwise.",
        |_b, e| e
            .data
            .layers
            .get(1)
            .and_then(|l| l.method)
            .map_or(Value::Absent, int)
    ),
    field!(
        EapConfig,
        "profile",
        FieldType::Entity(Scope::VpnProfile),
        "The VPN profile that holds it; absent for a standalone file.",
        |b, e| vpn_at(b, e.profile)
    ),
    field!(
        EapConfig,
        "server_validation.perform",
        FieldType::Bool,
        "Outer method's `PerformServerValidation`; absent when not written (Windows then validates).",
        |_b, e| opt_bool(
            e.data
                .outer()
                .and_then(|l| l.perform_server_validation.as_ref())
                .map(|p| p.value)
        ),
        at | x
            | x.data
                .outer()
                .and_then(|l| l.perform_server_validation.as_ref())
                .map(|p| p.location.clone())
    ),
    field!(
        EapConfig,
        "server_validation.user_prompt_allowed",
        FieldType::Bool,
        "The outer method lets the user accept an unknown server: `DisableUserPromptForServerValidation` is not true.",
        |_b, e| Value::Bool(
            !e.data
                .outer()
                .and_then(|l| l.disable_user_prompt.as_ref())
                .is_some_and(|d| d.value)
        ),
        at | x
            | x.data.outer().and_then(|l| l
                .disable_user_prompt
                .as_ref()
                .map(|d| d.location.clone())
                .or_else(|| l.server_validation.clone()))
    ),
    field!(
        EapConfig,
        "server_validation.server_name_count",
        FieldType::Int,
        "How many `ServerNames` entries the outer method has.",
        |_b, e| int(e.data.outer().map_or(0, |l| l.server_names.len()))
    ),
    field!(
        EapConfig,
        "server_validation.trusted_root_count",
        FieldType::Int,
        "How many `TrustedRootCA` thumbprints the outer method has.",
        |_b, e| int(e.data.outer().map_or(0, |l| l.trusted_roots.len()))
    ),
    field!(
        EapConfig,
        "filter.ca_hash_list_enabled",
        FieldType::Bool,
        "The EAP-TLS certificate filter by issuer (`CAHashList Enabled=\"true\"`) is on.",
        |_b, e| Value::Bool(
            e.data
                .tls()
                .and_then(|l| l.filtering.as_ref())
                .is_some_and(|f| f.ca_hash_list_enabled)
        )
    ),
    field!(
        EapConfig,
        "selected_certificates",
        FieldType::Entities(Scope::Certificate),
        "The leaf certificates of the bundle its EAP-TLS certificate filter would offer: issuer (CAHashList) and EKU filter (ClientAuthEKUList, AnyPurposeEKUList, AllPurposeEnabled) applied; server certificates the profiles name left out.",
        |b, e| super::certs(b, &e.selected)
    ),
    field!(
        EapConfig,
        "accepted_roots",
        FieldType::Entities(Scope::Certificate),
        "The certificates of the bundle its `TrustedRootCA` thumbprints name: the roots it accepts for the server.",
        |b, e| Value::Entities(
            b.profiles
                .pins
                .iter()
                .filter(|p| p.kind == PinKind::TrustedRoot)
                .filter(|p| b
                    .profiles
                    .eap_configs
                    .get(p.config)
                    .is_some_and(|c| std::ptr::eq(c, e)))
                .filter_map(|p| p.certificate.and_then(|i| b.certificates.get(i)))
                .map(Entity::Certificate)
                .collect()
        )
    ),
    field!(
        EapConfig,
        "thumbprints",
        FieldType::Entities(Scope::EapThumbprint),
        "Its `TrustedRootCA` and `IssuerHash` thumbprints.",
        |b, e| Value::Entities(
            b.profiles
                .pins
                .iter()
                .filter(|p| b
                    .profiles
                    .eap_configs
                    .get(p.config)
                    .is_some_and(|c| std::ptr::eq(c, e)))
                .map(Entity::EapThumbprint)
                .collect()
        )
    ),
];

pub(super) static EAP_THUMBPRINT_FIELDS: &[FieldDef] = &[
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
        "config",
        FieldType::Entity(Scope::EapConfig),
        "The EAP configuration it is in.",
        |b, p| eap_at(b, Some(p.config))
    ),
];

pub(super) static SERVER_NAME_FIELDS: &[FieldDef] = &[
    field!(
        ServerName,
        "kind",
        FieldType::Str,
        "`eap` (`ServerNames`: the NPS server) or `vpn` (`Servers`: the VPN gateway).",
        |_b, n| s(match n.kind {
            ServerNameKind::Eap => "eap",
            ServerNameKind::Vpn => "vpn",
        })
    ),
    field!(
        ServerName,
        "name",
        FieldType::Str,
        "The name as written (a `ServerNames` entry may be a regular expression).",
        |_b, n| s(&n.name)
    ),
    field!(
        ServerName,
        "certificate",
        FieldType::Entity(Scope::Certificate),
        "A leaf certificate whose subject CN or SAN DNS name matches it exactly; absent when none.",
        |b, n| cert_at(b, n.certificate)
    ),
    field!(
        ServerName,
        "case_only_certificate",
        FieldType::Entity(Scope::Certificate),
        "A leaf certificate that matches only when case is ignored (and none matches exactly); absent otherwise.",
        |b, n| cert_at(b, n.case_only_certificate)
    ),
    field!(
        ServerName,
        "config",
        FieldType::Entity(Scope::EapConfig),
        "The EAP configuration of an `eap` name.",
        |b, n| match n.kind {
            ServerNameKind::Eap => eap_at(b, Some(n.owner)),
            ServerNameKind::Vpn => Value::Absent,
        }
    ),
    field!(
        ServerName,
        "profile",
        FieldType::Entity(Scope::VpnProfile),
        "The VPN profile of a `vpn` name, or of the EAP configuration of an `eap` name.",
        |b, n| match n.kind {
            ServerNameKind::Vpn => vpn_at(b, Some(n.owner)),
            ServerNameKind::Eap => vpn_at(
                b,
                b.profiles.eap_configs.get(n.owner).and_then(|e| e.profile)
            ),
        }
    ),
];

pub(super) static TRUSTED_ROOT_PROFILE_FIELDS: &[FieldDef] = &[
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

pub(super) static CERTIFICATE_PROFILE_FIELDS: &[FieldDef] = &[
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
        "Its EKUs include Client Authentication or Any Purpose (2.5.29.37.0, 1.3.6.1.4.1.311.10.12.1).",
        |_b, p| Value::Bool(
            p.data
                .ekus
                .iter()
                .any(|e| e == EKU_CLIENT_AUTH || e == EKU_ANY || e == EKU_MS_ANY_PURPOSE)
        ),
        at | x | Some(x.data.ekus_location.clone())
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
        |b, p| cert_at(b, first_expiring_ca(b, p))
    ),
    field!(
        CertificateProfile,
        "issuing_ca_remaining_days",
        FieldType::Int,
        "Whole days from `--now` until `issuing_ca` expires; absent without one.",
        |b, p| remaining_days(b, p).map_or(Value::Absent, Value::Int)
    ),
    field!(
        CertificateProfile,
        "validity_exceeds_ca",
        FieldType::Bool,
        "`validity_days` is longer than `issuing_ca_remaining_days`; absent when either is unknown.",
        |b, p| match (p.data.validity_days.as_ref(), remaining_days(b, p)) {
            (Some(v), Some(r)) => Value::Bool(v.value > r),
            _ => Value::Absent,
        },
        at | x | x.data.validity_days.as_ref().map(|v| v.location.clone())
    ),
];

pub(super) static CLOUD_CA_FIELDS: &[FieldDef] = &[
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
];
