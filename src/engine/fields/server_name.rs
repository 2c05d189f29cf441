//! Fields of the `server_name` scope: each `ServerNames` / `Servers` entry, matched to the
//! certificates of the bundle.


use super::{
    Entity, FieldDef, FieldType, Scope, Value, cert_at, eap_at, s, vpn_at,
};
use crate::facts::ServerNameOwner;

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        ServerName,
        "kind",
        FieldType::Str,
        "`eap` (`ServerNames`: the NPS server) or `vpn` (`Servers`: the VPN gateway).",
        |_b, n| s(match n.owner {
            ServerNameOwner::Eap(_) => "eap",
            ServerNameOwner::Vpn(_) => "vpn",
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
        |b, n| match n.owner {
            ServerNameOwner::Eap(config) => eap_at(b, Some(config)),
            ServerNameOwner::Vpn(_) => Value::Absent,
        }
    ),
    field!(
        ServerName,
        "profile",
        FieldType::Entity(Scope::VpnProfile),
        "The VPN profile of a `vpn` name, or of the EAP configuration of an `eap` name.",
        |b, n| match n.owner {
            ServerNameOwner::Vpn(profile) => vpn_at(b, Some(profile)),
            ServerNameOwner::Eap(config) => vpn_at(
                b,
                b.profiles.eap_configs.get(config).and_then(|e| e.profile)
            ),
        }
    ),
    field!(
        ServerName,
        "unchecked",
        FieldType::Bool,
        "A regular expression not tried on the bundle's certificates: the scan's budget of (pattern, certificate) tries (65,536 plus 64 per name and per certificate) had run out; `certificate` and `case_only_certificate` are then absent for want of a look, not of a match.",
        |_b, n| Value::Bool(n.unchecked)
    ),
];
