//! Fields of the `bundle` scope: the bundle as a whole, usable from every scope as `bundle.`.


use super::{
    Entity, FieldDef, FieldType, Scope, Value, int, s,
};

pub(super) static FIELDS: &[FieldDef] = &[
    bundle_field!(
        "now",
        FieldType::Time,
        "The clock of the scan (`--now`).",
        |b| Value::Time(b.now)
    ),
    bundle_field!(
        "revocation_info_complete",
        FieldType::Bool,
        "Every intermediate CA and client-auth leaf of the bundle has a CRL distribution point or an OCSP URL; absent when the bundle has neither.",
        |b| b
            .revocation_info_complete()
            .map_or(Value::Absent, Value::Bool)
    ),
    bundle_field!(
        "partial_graph_export",
        FieldType::Bool,
        "A Microsoft Graph export of the bundle is one page of a longer list (`@odata.nextLink`): profiles may be on pages the bundle does not hold.",
        |b| Value::Bool(b.profiles.partial_export)
    ),
    bundle_field!(
        "clients.issuing_ca_count",
        FieldType::Int,
        "Distinct issuing CAs of the client-auth leaves a client would hold (not servers').",
        |b| int(b.client_sources.issuing_cas)
    ),
    bundle_field!(
        "clients.user_profile_count",
        FieldType::Int,
        "Intune SCEP/PKCS profiles issuing Client Authentication certificates into the user store.",
        |b| int(b.client_sources.user_profiles)
    ),
    bundle_field!(
        "clients.machine_profile_count",
        FieldType::Int,
        "Intune SCEP/PKCS profiles issuing Client Authentication certificates into the machine store.",
        |b| int(b.client_sources.machine_profiles)
    ),
    bundle_field!(
        "certificate_count",
        FieldType::Int,
        "Distinct certificates in the bundle.",
        |b| int(b.certificate_count())
    ),
    bundle_field!(
        "leaf_count",
        FieldType::Int,
        "Certificates with the leaf role.",
        |b| int(b.leaf_count())
    ),
    bundle_field!(
        "client_auth_leaf_count",
        FieldType::Int,
        "Leaves usable for client authentication.",
        |b| int(b.client_auth_leaf_count())
    ),
    bundle_field!(
        "crl_count",
        FieldType::Int,
        "Distinct CRLs in the bundle.",
        |b| int(b.crls.len())
    ),
    bundle_field!(
        "nps.host_count",
        FieldType::Int,
        "Hosts that are NPS servers: a snapshot holds EAP\\13 or EAP\\25, or the bundle holds their NPS configuration export.",
        |b| int(b.nps_hosts().count())
    ),
    bundle_field!(
        "nps.hosts",
        FieldType::Entities(Scope::RegistryHost),
        "The NPS hosts.",
        |b| Value::Entities(b.nps_hosts().map(Entity::RegistryHost).collect())
    ),
    bundle_field!(
        "nps.ignore_no_revocation_check",
        FieldType::Str,
        "On how many NPS hosts EAP\\13 sets IgnoreNoRevocationCheck=1: `all`, `some`, `none`, or `unknown` (no NPS snapshot in the bundle).",
        |b| s(b.nps_ignore_no_revocation_check().name())
    ),
    bundle_field!(
        "nps.missing_revocation_accepted",
        FieldType::Str,
        "On how many NPS hosts EAP\\13 accepts a chain without revocation information (IgnoreNoRevocationCheck=1 or NoRevocationCheck=1): `all`, `some`, `none` or `unknown`.",
        |b| s(b.nps_missing_revocation_accepted().name())
    ),
    bundle_field!(
        "nps.server_count",
        FieldType::Int,
        "NPS configuration exports in the bundle.",
        |b| int(b.nps.servers.len())
    ),
    bundle_field!(
        "nps.servers",
        FieldType::Entities(Scope::NpsServer),
        "The NPS servers of the bundle's configuration exports.",
        |b| Value::Entities(b.nps.servers.iter().map(Entity::NpsServer).collect())
    ),
    bundle_field!(
        "peap_tls_profile_count",
        FieldType::Int,
        "EAP configurations of client profiles that use PEAP with inner EAP-TLS.",
        |b| int(
            b.profiles
                .eap_configs
                .iter()
                .filter(|e| e.data.method == Some(25)
                    && e.data.layers.get(1).and_then(|l| l.method) == Some(13))
                .count()
        )
    ),
    bundle_field!(
        "device_tunnel_profile_count",
        FieldType::Int,
        "VPN profiles of the bundle that are device tunnels (`DeviceTunnel` true).",
        |b| int(
            b.profiles
                .vpn_profiles
                .iter()
                .filter(|v| v.data.device_tunnel.as_ref().is_some_and(|d| d.value))
                .count()
        )
    ),
    bundle_field!(
        "clients.windows_builds",
        FieldType::StrList,
        "The Windows builds the clients run, from `client-builds` in `trustlint.yaml` (`22000` is Windows 11 21H2); empty when not configured.",
        |b| Value::StrList(&b.client_builds)
    ),
    bundle_field!(
        "domain.controller_versions",
        FieldType::StrList,
        "The Windows Server versions the domain controllers run, from `domain-controllers` in `trustlint.yaml` (`2016`, `2022`); empty when not configured.",
        |b| Value::StrList(&b.domain_controllers)
    ),
];
