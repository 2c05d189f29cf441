//! Fields of the `nps_eap_method` scope: each `msEAPConfiguration` of each network policy, with
//! the server certificate it names.

use std::borrow::Cow;

use super::{Entity, FieldDef, FieldType, Scope, Value, cert_at, int, opt_bool, opt_s, s};
use crate::facts::nps::eap_type_name;
use crate::load::nps_export::{EAP_MSCHAPV2, EAP_TLS};

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        NpsEapMethod,
        "eap_type",
        FieldType::Int,
        "The EAP type the configuration is for: 13 EAP-TLS, 25 PEAP.",
        |_b, m| int(m.data.eap_type)
    ),
    field!(
        NpsEapMethod,
        "eap_type_name",
        FieldType::Str,
        "`EAP-TLS`, `PEAP`, `EAP-MSCHAPv2`, or `EAP type N`.",
        |_b, m| Value::Str(Cow::Owned(eap_type_name(m.data.eap_type)))
    ),
    field!(
        NpsEapMethod,
        "thumbprint",
        FieldType::Str,
        "The SHA-1 thumbprint of the server certificate the configuration names, lower-case hex; absent when the blob names none.",
        |_b, m| opt_s(m.data.server_thumbprint.as_deref())
    ),
    field!(
        NpsEapMethod,
        "certificate",
        FieldType::Entity(Scope::Certificate),
        "The certificate of the bundle with that thumbprint, wherever it was found; absent when none.",
        |b, m| cert_at(b, m.certificate)
    ),
    field!(
        NpsEapMethod,
        "presented_certificate",
        FieldType::Entity(Scope::Certificate),
        "The certificate NPS can present: the one in the host's `My` store when that store's export is in the bundle, else `certificate`; absent when none.",
        |b, m| cert_at(b, m.presented())
    ),
    field!(
        NpsEapMethod,
        "host_store_exported",
        FieldType::Bool,
        "The bundle holds a registry export of the host's `My` store (`SystemCertificates\\My`).",
        |_b, m| Value::Bool(m.host_store_exported)
    ),
    field!(
        NpsEapMethod,
        "in_host_store",
        FieldType::Bool,
        "The certificate is in the host's exported `My` store.",
        |_b, m| Value::Bool(m.in_host_store)
    ),
    field!(
        NpsEapMethod,
        "host",
        FieldType::Str,
        "The NPS host.",
        |_b, m| s(&m.host)
    ),
    field!(
        NpsEapMethod,
        "policy_name",
        FieldType::Str,
        "The network policy's name.",
        |_b, m| s(&m.policy_name)
    ),
    field!(
        NpsEapMethod,
        "policy_enabled",
        FieldType::Bool,
        "The network policy is enabled.",
        |_b, m| Value::Bool(m.policy_enabled)
    ),
    field!(
        NpsEapMethod,
        "policy",
        FieldType::Entity(Scope::NpsPolicy),
        "The network policy.",
        |b, m| b
            .nps
            .policies
            .get(m.policy)
            .map_or(Value::Absent, |p| Value::Entity(Entity::NpsPolicy(p)))
    ),
    field!(
        NpsEapMethod,
        "inner_tls",
        FieldType::Bool,
        "PEAP: EAP-TLS is an inner method; absent for other types or when the inner method list was not decoded.",
        |_b, m| opt_bool(m.data.inner_methods.as_ref().map(|i| i.contains(&EAP_TLS)))
    ),
    field!(
        NpsEapMethod,
        "inner_mschapv2",
        FieldType::Bool,
        "PEAP: EAP-MSCHAPv2 is an inner method; absent for other types or when the inner method list was not decoded.",
        |_b, m| opt_bool(m.data.inner_methods.as_ref().map(|i| i.contains(&EAP_MSCHAPV2)))
    ),
    field!(
        NpsEapMethod,
        "renewal",
        FieldType::Entity(Scope::Certificate),
        "When the host's exported My store does not hold the certificate the configuration names: another certificate of that store with the same subject (its renewal, the latest to expire); absent otherwise.",
        |b, m| cert_at(b, m.renewal)
    ),
];
