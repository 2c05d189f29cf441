//! Fields of the `nps_policy` scope: each network policy of each NPS export, with the
//! authentication its settings allow.

use std::borrow::Cow;

use super::{Entity, FieldDef, FieldType, Scope, Value, int, opt_bool, s};
use crate::load::nps_export::{EAP_MSCHAPV2, EAP_TLS, PEAP};

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        NpsPolicy,
        "name",
        FieldType::Str,
        "The policy's name.",
        |_b, p| s(&p.data.name)
    ),
    field!(
        NpsPolicy,
        "host",
        FieldType::Str,
        "The NPS host it is on.",
        |_b, p| s(&p.host)
    ),
    field!(
        NpsPolicy,
        "server",
        FieldType::Entity(Scope::NpsServer),
        "The NPS server (export) it belongs to.",
        |b, p| b
            .nps
            .servers
            .get(p.server)
            .map_or(Value::Absent, |n| Value::Entity(Entity::NpsServer(n)))
    ),
    field!(
        NpsPolicy,
        "enabled",
        FieldType::Bool,
        "`Policy_Enabled`.",
        |_b, p| Value::Bool(p.data.enabled)
    ),
    field!(
        NpsPolicy,
        "sequence",
        FieldType::Int,
        "`msNPSequence`: processing order, lowest first; absent when not written.",
        |_b, p| p.data.sequence.map_or(Value::Absent, int)
    ),
    field!(
        NpsPolicy,
        "conditions",
        FieldType::StrList,
        "`msNPConstraint` conditions as written (`NTGROUPS(\"S-1-5-…\")`, `MATCH(\"NAS-Port-Type=^5$\")`).",
        |_b, p| Value::StrList(&p.data.conditions)
    ),
    field!(
        NpsPolicy,
        "has_settings",
        FieldType::Bool,
        "The export holds the settings (`RadiusProfiles` entry) its `msNPAction` names.",
        |_b, p| Value::Bool(p.data.settings.is_some())
    ),
    field!(
        NpsPolicy,
        "offers_eap_tls",
        FieldType::Bool,
        "`msNPAllowedEapType` lists EAP-TLS (\"Microsoft: Smart Card or other certificate\", type 13).",
        |_b, p| Value::Bool(p.offers(EAP_TLS))
    ),
    field!(
        NpsPolicy,
        "offers_peap",
        FieldType::Bool,
        "`msNPAllowedEapType` lists PEAP (type 25).",
        |_b, p| Value::Bool(p.offers(PEAP))
    ),
    field!(
        NpsPolicy,
        "peap_inner_tls",
        FieldType::Bool,
        "Its PEAP configuration lists EAP-TLS as an inner method; absent when it has no PEAP configuration or its inner method list was not decoded.",
        |b, p| opt_bool(p.peap_inner_methods(&b.nps).map(|m| m.contains(&EAP_TLS)))
    ),
    field!(
        NpsPolicy,
        "peap_inner_mschapv2",
        FieldType::Bool,
        "Its PEAP configuration lists EAP-MSCHAPv2 as an inner method; absent when it has no PEAP configuration or its inner method list was not decoded.",
        |b, p| opt_bool(p.peap_inner_methods(&b.nps).map(|m| m.contains(&EAP_MSCHAPV2)))
    ),
    field!(
        NpsPolicy,
        "certificate_based",
        FieldType::Bool,
        "Clients authenticate with a certificate: it offers EAP-TLS, or PEAP with inner EAP-TLS.",
        |b, p| Value::Bool(p.certificate_based(&b.nps))
    ),
    field!(
        NpsPolicy,
        "mschapv2",
        FieldType::Str,
        "Where it lets MS-CHAPv2 in, comma-separated: `MS-CHAPv2 authentication` (`msNPAuthenticationType2` 4 or 10), `EAP-MSCHAPv2`, `PEAP with inner EAP-MSCHAPv2`; absent when nowhere. [at]",
        |b, p| {
            let uses = p.mschapv2_uses(&b.nps);
            if uses.is_empty() {
                Value::Absent
            } else {
                Value::Str(Cow::Owned(uses.join(", ")))
            }
        },
        at |p| p.data.settings.as_ref().map(|st| {
            st.auth_types
                .iter()
                .find(|t| matches!(t.value, 4 | 10))
                .or_else(|| st.allowed_eap_types.iter().find(|t| t.value == EAP_MSCHAPV2))
                .map_or_else(|| st.location.clone(), |t| t.location.clone())
        })
    ),
    field!(
        NpsPolicy,
        "methods",
        FieldType::Entities(Scope::NpsEapMethod),
        "Its EAP method configurations (`msEAPConfiguration`).",
        |b, p| Value::Entities(
            p.methods
                .iter()
                .filter_map(|&m| b.nps.methods.get(m))
                .map(Entity::NpsEapMethod)
                .collect()
        )
    ),
];
