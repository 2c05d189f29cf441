//! Fields of the `eap_config` scope: EAP configurations, standalone or of a VPN profile.


use super::{
    listed,
    Entity, FieldDef, FieldType, Scope, Value, int, opt_bool, s, vpn_at,
};
use crate::facts::PinKind;

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        EapConfig,
        "source",
        FieldType::Str,
        "`ProfileXML`, `Intune` (eapXml), `EAP XML` (a standalone file, a WLANProfile or LANProfile), or `Intune Wi-Fi` / `Intune wired` (built from the profile's settings).",
        |_b, e| s(e.source)
    ),
    field!(
        EapConfig,
        "consumer",
        FieldType::Str,
        "What uses it: `vpn` (the VPN profile that holds it), `wifi` (a `WLANProfile`, an Intune Wi-Fi profile), `wired` (a `LANProfile`, an Intune wired-network profile); absent for a standalone EAP XML file.",
        |_b, e| e.consumer_kind().map_or(Value::Absent, |k| s(k.name()))
    ),
    field!(
        EapConfig,
        "consumer_label",
        FieldType::Str,
        "How messages name what uses it: `VPN profile 'Contoso AlwaysOn'`, `Wi-Fi profile 'Corp'`, `wired 802.1X profile`, or `EAP configuration` for a standalone file.",
        |b, e| Value::Str(std::borrow::Cow::Owned(
            e.consumer_label(&b.profiles.vpn_profiles)
        ))
    ),
    field!(
        EapConfig,
        "uses_mschapv2",
        FieldType::Bool,
        "It authenticates with MS-CHAPv2: an inner EAP-MSCHAPv2 (type 26) layer, as PEAP's default, or an Intune Wi-Fi/wired profile's PEAP with `usernameAndPassword` or TTLS with an MS-CHAP inner protocol.",
        |_b, e| Value::Bool(e.data.mschapv2().is_some()),
        at | x | x.data.mschapv2().cloned()
    ),
    field!(
        EapConfig,
        "identity_certificate_profile",
        FieldType::Entity(Scope::CertificateProfile),
        "The Intune SCEP/PKCS profile an Intune Wi-Fi or wired profile names for the client certificate (`identityCertificateForClientAuthentication`), when it is in the bundle.",
        |b, e| e
            .identity_profile
            .and_then(|id| b.profiles.certificate_profiles.get(id))
            .map_or(Value::Absent, |c| Value::Entity(Entity::CertificateProfile(c)))
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
        "The outer method lets the user accept an unknown server: `DisableUserPromptForServerValidation` is not true; absent for a configuration built from an Intune Wi-Fi or wired profile's settings, which do not say.",
        |_b, e| if e.data.from_settings.is_some() {
            Value::Absent
        } else {
            Value::Bool(
                !e.data
                    .outer()
                    .and_then(|l| l.disable_user_prompt.as_ref())
                    .is_some_and(|d| d.value),
            )
        },
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
            e.pins
                .iter()
                .filter_map(|&id| b.profiles.pins.get(id))
                .filter(|p| p.kind == PinKind::TrustedRoot)
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
        |b, e| listed(&b.profiles.pins, &e.pins, Entity::EapThumbprint)
    ),
    field!(
        EapConfig,
        "nps.allows_method",
        FieldType::Bool,
        "An enabled network policy of the bundle's NPS exports offers its outer EAP type (`msNPAllowedEapType`); absent without a method or without an NPS export with an enabled policy.",
        |b, e| e.data.method.and_then(|m| b.nps.allows(m)).map_or(Value::Absent, Value::Bool)
    ),
    field!(
        EapConfig,
        "nps.server_certificates",
        FieldType::Entities(Scope::Certificate),
        "The server certificates enabled NPS policies of the bundle present for its outer EAP type.",
        |b, e| listed(
            &b.certificates,
            e.data.method.map_or(&[][..], |m| b.nps.presented_for(m)),
            Entity::Certificate
        )
    ),
    field!(
        EapConfig,
        "nps.pins_server_root",
        FieldType::Bool,
        "A `TrustedRootCA` thumbprint (an Intune Wi-Fi profile's trusted-root profile) is the root of a server certificate NPS presents for its EAP type, or that certificate; absent when it pins nothing, pins a root the bundle cannot resolve, or no presented certificate's chain reaches a root in the bundle.",
        |_b, e| opt_bool(e.nps.pins_server_root)
    ),
    field!(
        EapConfig,
        "nps.names_server",
        FieldType::Bool,
        "A `ServerNames` entry (a regular expression over the whole name, case ignored) matches the subject CN or a SAN DNS name of a server certificate NPS presents for its EAP type; absent when it names no server or the bundle shows no presented certificate.",
        |_b, e| opt_bool(e.nps.names_server)
    ),
    field!(
        EapConfig,
        "nps.names_unchecked",
        FieldType::Bool,
        "Its `ServerNames` were not compared with the certificates NPS presents: the scan's budget of (pattern, name) tries (65,536 plus 64 per configuration and per presented name) had run out.",
        |_b, e| Value::Bool(e.nps.names_unchecked)
    ),
    field!(
        EapConfig,
        "filter.required_ekus",
        FieldType::StrList,
        "The EKU OIDs the EAP-TLS certificate filter requires besides Client Authentication (`ClientAuthEKUList Enabled=\"true\"` with its `EKUMapInList` entries); empty without such a filter.",
        |_b, e| Value::StrList(
            e.data
                .tls()
                .and_then(|l| l.filtering.as_ref())
                .filter(|f| f.client_auth_eku_list_enabled)
                .map_or(&[][..], |f| f.required_ekus.as_slice())
        )
    ),
    field!(
        EapConfig,
        "server_validation.accept_server_name",
        FieldType::Bool,
        "The outer method's `AcceptServerName`: whether the server's name is validated against `ServerNames`; absent when not written (and for configurations built from Intune Wi-Fi or wired settings). [at]",
        |_b, e| opt_bool(
            e.data
                .layers
                .first()
                .and_then(|l| l.accept_server_name.as_ref())
                .map(|a| a.value)
        ),
        at |x| x
            .data
            .layers
            .first()
            .and_then(|l| l.accept_server_name.as_ref())
            .map(|a| a.location.clone())
    ),
    field!(
        EapConfig,
        "server_validation.malformed_server_name",
        FieldType::Str,
        "The first `ServerNames` entry that holds a quote, a comma or white space: names separated the wrong way (the separator is `;`), or quoted; absent when every entry is a plain name or pattern. [at]",
        |_b, e| malformed_server_name(e).map_or(Value::Absent, |n| s(&n.value)),
        at |x| malformed_server_name(x).map(|n| n.location.clone())
    ),
    field!(
        EapConfig,
        "filter.certificate_store",
        FieldType::Bool,
        "EAP-TLS takes the client certificate from the certificate store (`CredentialsSource/CertificateStore`), not a smart card.",
        |_b, e| Value::Bool(e.data.tls().is_some_and(|l| l.certificate_store))
    ),
    field!(
        EapConfig,
        "https_namespaces",
        FieldType::StrList,
        "The `https://` namespaces its EAP XML elements are in, each once: Windows' EAP schemas define only `http://www.microsoft.com/provisioning/…`.",
        |_b, e| Value::StrList(&e.data.https_namespaces)
    ),
];

/// The first `ServerNames` entry written as if another separator than `;` were allowed, or
/// quoted.
fn malformed_server_name(
    e: &crate::facts::EapConfig,
) -> Option<&crate::load::xml::Spanned<String>> {
    e.data
        .layers
        .iter()
        .flat_map(|l| &l.server_names)
        .find(|n| n.value.contains(['"', '\'', ',', ' ', '\t']))
}
