//! Fields of the `registry_host` scope: each host's merged registry snapshots and the NPS EAP
//! revocation settings in force (EAP\13 EAP-TLS, EAP\25 PEAP), written out per method.

use super::{
    Entity, FieldDef, FieldType, Scope, Value, cert_at, certs, int, listed, opt_bool, s,
};
use crate::facts::EapRevocation;

/// An NPS revocation DWORD of the host's EAP key; absent without the key.
fn eap(e: &Option<EapRevocation>, f: impl Fn(&EapRevocation) -> u32) -> Value<'static> {
    e.as_ref().map_or(Value::Absent, |e| int(f(e)))
}

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        RegistryHost,
        "name",
        FieldType::Str,
        "Host name: a `; host: NAME` comment in a snapshot, else the file name without extension.",
        |_b, h| s(&h.name)
    ),
    field!(
        RegistryHost,
        "is_nps",
        FieldType::Bool,
        "An NPS (or RRAS) server: a snapshot holds RasMan\\PPP\\EAP\\13 or \\25, or the bundle holds its NPS configuration export.",
        |_b, h| Value::Bool(h.is_nps())
    ),
    field!(
        RegistryHost,
        "file_count",
        FieldType::Int,
        "How many snapshot files make up the host.",
        |_b, h| int(h.files.len())
    ),
    field!(
        RegistryHost,
        "eap_tls.present",
        FieldType::Bool,
        "The host has the EAP-TLS (EAP\\13) key.",
        |_b, h| Value::Bool(h.eap_tls.is_some())
    ),
    field!(
        RegistryHost,
        "eap_tls.ignore_no_revocation_check",
        FieldType::Int,
        "Effective IgnoreNoRevocationCheck under the EAP-TLS (EAP\\13) key (0 when absent); absent without the key.",
        |_b, h| eap(&h.eap_tls, |e| e.ignore_no_revocation_check.value)
    ),
    field!(
        RegistryHost,
        "eap_tls.no_revocation_check",
        FieldType::Int,
        "Effective NoRevocationCheck under the EAP-TLS (EAP\\13) key (0 when absent).",
        |_b, h| eap(&h.eap_tls, |e| e.no_revocation_check.value)
    ),
    field!(
        RegistryHost,
        "eap_tls.ignore_revocation_offline",
        FieldType::Int,
        "Effective IgnoreRevocationOffline under the EAP-TLS (EAP\\13) key (0 when absent).",
        |_b, h| eap(&h.eap_tls, |e| e.ignore_revocation_offline.value)
    ),
    field!(
        RegistryHost,
        "eap_tls.no_root_revocation_check",
        FieldType::Int,
        "Effective NoRootRevocationCheck under the EAP-TLS (EAP\\13) key (0 when absent).",
        |_b, h| eap(&h.eap_tls, |e| e.no_root_revocation_check.value)
    ),
    field!(
        RegistryHost,
        "eap_tls.accepts_missing_revocation",
        FieldType::Bool,
        "NPS accepts a client chain without revocation information for EAP-TLS (EAP\\13): IgnoreNoRevocationCheck=1 or NoRevocationCheck=1.",
        |_b, h| h
            .eap_tls
            .as_ref()
            .map_or(Value::Absent, |e| Value::Bool(e.accepts_missing_revocation()))
    ),
    field!(
        RegistryHost,
        "peap.present",
        FieldType::Bool,
        "The host has the PEAP (EAP\\25) key.",
        |_b, h| Value::Bool(h.peap.is_some())
    ),
    field!(
        RegistryHost,
        "peap.ignore_no_revocation_check",
        FieldType::Int,
        "Effective IgnoreNoRevocationCheck under the PEAP (EAP\\25) key (0 when absent); absent without the key.",
        |_b, h| eap(&h.peap, |e| e.ignore_no_revocation_check.value)
    ),
    field!(
        RegistryHost,
        "peap.no_revocation_check",
        FieldType::Int,
        "Effective NoRevocationCheck under the PEAP (EAP\\25) key (0 when absent).",
        |_b, h| eap(&h.peap, |e| e.no_revocation_check.value)
    ),
    field!(
        RegistryHost,
        "peap.ignore_revocation_offline",
        FieldType::Int,
        "Effective IgnoreRevocationOffline under the PEAP (EAP\\25) key (0 when absent).",
        |_b, h| eap(&h.peap, |e| e.ignore_revocation_offline.value)
    ),
    field!(
        RegistryHost,
        "peap.no_root_revocation_check",
        FieldType::Int,
        "Effective NoRootRevocationCheck under the PEAP (EAP\\25) key (0 when absent).",
        |_b, h| eap(&h.peap, |e| e.no_root_revocation_check.value)
    ),
    field!(
        RegistryHost,
        "peap.accepts_missing_revocation",
        FieldType::Bool,
        "NPS accepts a client chain without revocation information for PEAP (EAP\\25): IgnoreNoRevocationCheck=1 or NoRevocationCheck=1.",
        |_b, h| h
            .peap
            .as_ref()
            .map_or(Value::Absent, |e| Value::Bool(e.accepts_missing_revocation()))
    ),
    field!(
        RegistryHost,
        "eap_snapshot",
        FieldType::Bool,
        "A snapshot of the host holds its EAP\\13 or EAP\\25 key: its NPS revocation values are known (an NPS host known only from its configuration export has none).",
        |_b, h| Value::Bool(h.has_eap_snapshot())
    ),
    field!(
        RegistryHost,
        "nps_forwards_to",
        FieldType::Str,
        "The remote RADIUS servers an enabled connection request policy of the host's NPS export forwards to (`msAuthProviderType` 2, the group `msAuthProviderName` names), comma-separated: the host is a RADIUS proxy, as an RRAS server in front of NPS is. Absent when it forwards nowhere.",
        |b, h| {
            let to = crate::facts::nps::forwards_to(b, h);
            if to.is_empty() {
                Value::Absent
            } else {
                Value::Str(std::borrow::Cow::Owned(to.join(", ")))
            }
        }
    ),
    field!(
        RegistryHost,
        "nps_export_count",
        FieldType::Int,
        "How many NPS configuration exports belong to the host.",
        |_b, h| int(h.nps_exports.len())
    ),
    field!(
        RegistryHost,
        "nps_uses_certificates",
        FieldType::Bool,
        "An enabled network policy of the host's NPS export authenticates clients by certificate (EAP-TLS, or PEAP with inner EAP-TLS); absent without an export.",
        |b, h| if h.nps_exports.is_empty() {
            Value::Absent
        } else {
            Value::Bool(
                h.nps_exports
                    .iter()
                    .filter_map(|&id| b.nps.servers.get(id))
                    .flat_map(|s| &s.policies)
                    .filter_map(|&p| b.nps.policies.get(p))
                    .any(|p| p.data.enabled && p.certificate_based(&b.nps))
            )
        }
    ),
    field!(
        RegistryHost,
        "root_store_exported",
        FieldType::Bool,
        "The bundle holds a registry export of one of the host's ROOT stores (`SystemCertificates\\ROOT`, its Group Policy or `EnterpriseCertificates` twin).",
        |_b, h| Value::Bool(h.trust.root_exported)
    ),
    field!(
        RegistryHost,
        "missing_client_roots",
        FieldType::Entities(Scope::Certificate),
        "Roots that client certificates of the bundle chain to (client-auth leaves, Cloud PKI CAs) and that none of the host's exported ROOT stores holds; empty without a ROOT store export.",
        |b, h| certs(b, &h.trust.missing_client_roots)
    ),
    field!(
        RegistryHost,
        "restricted_client_roots",
        FieldType::Entities(Scope::Certificate),
        "Roots that client certificates chain to and that the host's ROOT store holds restricted (blob property 9) to purposes without Client Authentication.",
        |b, h| certs(b, &h.trust.restricted_client_roots)
    ),
    field!(
        RegistryHost,
        "ntauth_exported",
        FieldType::Bool,
        "The bundle holds a registry export of the host's NTAuth store (`EnterpriseCertificates\\NTAuth`).",
        |_b, h| Value::Bool(h.trust.ntauth_exported)
    ),
    field!(
        RegistryHost,
        "missing_ntauth_cas",
        FieldType::Entities(Scope::Certificate),
        "CAs that issued client certificates of the bundle (and Cloud PKI issuing CAs) that the host's exported NTAuth store lacks; empty without an NTAuth export.",
        |b, h| certs(b, &h.trust.missing_ntauth_cas)
    ),
    field!(
        RegistryHost,
        "rras.ikev2",
        FieldType::Bool,
        "The host runs RRAS IKEv2: a snapshot holds `RemoteAccess\\Parameters\\Ikev2`, or a `Get-VpnAuthProtocol` / `CertAuthFlags` output of it is in the bundle.",
        |_b, h| Value::Bool(h.rras.ikev2)
    ),
    field!(
        RegistryHost,
        "rras.cert_auth_flags",
        FieldType::Int,
        "`Ikev2\\CertAuthFlags` (4: check the revocation of IKEv2 machine certificates); 0 when the key is there without it; absent when nothing shows it. [at]",
        |_b, h| h.rras.cert_auth_flags.map_or(Value::Absent, int),
        at |h| h.rras.cert_auth_flags_location.clone().or_else(|| h.rras.ikev2_location.clone())
    ),
    field!(
        RegistryHost,
        "rras.machine_certificates_accepted",
        FieldType::Bool,
        "`Get-VpnAuthProtocol`'s `UserAuthProtocolAccepted` includes `Certificate`: IKEv2 machine-certificate authentication (device tunnels) is on; absent without that output. [at]",
        |_b, h| opt_bool(h.rras.machine_certificates_accepted.as_ref().map(|s| s.value)),
        at |h| h.rras.machine_certificates_accepted.as_ref().map(|s| s.location.clone())
    ),
    field!(
        RegistryHost,
        "rras.root_restricted",
        FieldType::Bool,
        "`Get-VpnAuthProtocol`'s `RootCertificateNameToAccept` is set: IKEv2 machine certificates must chain to that root; absent without that output. [at]",
        |_b, h| opt_bool(h.rras.root_restricted.as_ref().map(|s| s.value)),
        at |h| h.rras.root_restricted.as_ref().map(|s| s.location.clone())
    ),
    field!(
        RegistryHost,
        "sstp.hash",
        FieldType::Str,
        "The SSTP certificate binding: `SstpSvc\\Parameters\\Sha256CertificateHash` (else `Sha1CertificateHash`), hex; absent when not set. [at]",
        |_b, h| h.rras.sstp_hash.as_ref().map_or(Value::Absent, |x| s(&x.value)),
        at |h| h.rras.sstp_hash.as_ref().map(|x| x.location.clone())
    ),
    field!(
        RegistryHost,
        "sstp.certificate",
        FieldType::Entity(Scope::Certificate),
        "The certificate of the bundle the SSTP binding names; absent when none.",
        |b, h| cert_at(b, h.rras.sstp_certificate)
    ),
    field!(
        RegistryHost,
        "ndes",
        FieldType::Bool,
        "The host is an NDES server: a snapshot holds `HKLM\\SOFTWARE\\Microsoft\\Cryptography\\MSCEP`.",
        |_b, h| Value::Bool(h.ndes.present)
    ),
    field!(
        RegistryHost,
        "ndes.default_values_selected",
        FieldType::StrList,
        "The MSCEP values (`SignatureTemplate`, `EncryptionTemplate`, `GeneralPurposeTemplate`) that an Intune SCEP profile of the bundle selects by its key usage and that still name the default `IPSECIntermediateOffline`. [at]",
        |_b, h| Value::StrList(&h.ndes.default_values_selected),
        at |h| h.ndes.first_default.as_ref().map(|x| x.location.clone())
    ),
    field!(
        RegistryHost,
        "ndes.selecting_profiles",
        FieldType::Entities(Scope::CertificateProfile),
        "The SCEP profiles that select those values.",
        |b, h| listed(
            &b.profiles.certificate_profiles,
            &h.ndes.profiles,
            Entity::CertificateProfile
        )
    ),
];
