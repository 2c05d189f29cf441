//! The field registry: every name a rule condition or message may use, with its type, its
//! meaning and the accessor that reads it from the fact model. `trustlint fields` prints it; it
//! is the contract for rule authors.

use std::borrow::Cow;

use crate::facts::RegData;
use crate::facts::host::{HostValue, eap_type};
use crate::facts::{
    Bundle, Certificate, CertificateProfile, CloudCa, Coverage, Crl, EapConfig, EapRevocation,
    FileFact, FileProblem, KeyData, PinnedThumbprint, RegistryHost, ServerName, TrustedRootProfile,
    VpnProfile,
};

/// What kind of entity a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Each distinct certificate.
    Certificate,
    /// Each distinct CRL.
    Crl,
    /// Each registry host (merged snapshots).
    RegistryHost,
    /// Each registry value of each host, as in force after its snapshots were applied.
    RegistryValue,
    /// Each piece of key material.
    Key,
    /// Each scanned file.
    File,
    /// The bundle as a whole (one entity).
    Bundle,
    /// Each VPN profile (ProfileXML, Intune VPN configuration).
    VpnProfile,
    /// Each EAP configuration (of a VPN profile, or standalone).
    EapConfig,
    /// Each `TrustedRootCA` / `IssuerHash` thumbprint of an EAP configuration.
    EapThumbprint,
    /// Each server name a profile expects (`ServerNames`, `Servers`).
    ServerName,
    /// Each Intune trusted-certificate profile.
    TrustedRootProfile,
    /// Each Intune SCEP or PKCS certificate profile.
    CertificateProfile,
    /// Each Microsoft Cloud PKI CA export.
    CloudCa,
}

impl Scope {
    /// Every scope, in the order `trustlint fields` lists them.
    pub const ALL: [Scope; 14] = [
        Scope::Certificate,
        Scope::Crl,
        Scope::RegistryHost,
        Scope::RegistryValue,
        Scope::Key,
        Scope::File,
        Scope::Bundle,
        Scope::VpnProfile,
        Scope::EapConfig,
        Scope::EapThumbprint,
        Scope::ServerName,
        Scope::TrustedRootProfile,
        Scope::CertificateProfile,
        Scope::CloudCa,
    ];

    /// The name rules use.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Certificate => "certificate",
            Scope::Crl => "crl",
            Scope::RegistryHost => "registry_host",
            Scope::RegistryValue => "registry_value",
            Scope::Key => "key",
            Scope::File => "file",
            Scope::Bundle => "bundle",
            Scope::VpnProfile => "vpn_profile",
            Scope::EapConfig => "eap_config",
            Scope::EapThumbprint => "eap_thumbprint",
            Scope::ServerName => "server_name",
            Scope::TrustedRootProfile => "trusted_root_profile",
            Scope::CertificateProfile => "certificate_profile",
            Scope::CloudCa => "cloud_ca",
        }
    }

    /// The scope of a name.
    pub fn from_name(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// One entity of the fact model, borrowed.
#[derive(Debug, Clone, Copy)]
pub enum Entity<'b> {
    /// A certificate.
    Certificate(&'b Certificate),
    /// A CRL.
    Crl(&'b Crl),
    /// A registry host.
    RegistryHost(&'b RegistryHost),
    /// A registry value of a host.
    RegistryValue(RegistryValueRef<'b>),
    /// Key material.
    Key(&'b KeyData),
    /// A file.
    File(&'b FileFact),
    /// The bundle.
    Bundle,
    /// A VPN profile.
    VpnProfile(&'b VpnProfile),
    /// An EAP configuration.
    EapConfig(&'b EapConfig),
    /// A thumbprint of an EAP configuration.
    EapThumbprint(&'b PinnedThumbprint),
    /// A server name a profile expects.
    ServerName(&'b ServerName),
    /// An Intune trusted-certificate profile.
    TrustedRootProfile(&'b TrustedRootProfile),
    /// An Intune SCEP or PKCS profile.
    CertificateProfile(&'b CertificateProfile),
    /// A Cloud PKI CA.
    CloudCa(&'b CloudCa),
}

/// A registry value with the host and (normalised) key it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct RegistryValueRef<'b> {
    /// The host.
    pub host: &'b RegistryHost,
    /// The key path below HKLM, lower case.
    pub key: &'b str,
    /// The value.
    pub value: &'b HostValue,
}

/// A field's value for one entity.
#[derive(Debug, Clone)]
pub enum Value<'b> {
    /// The fact does not exist for this entity (an extension that is absent, no issuer…).
    Absent,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    Str(Cow<'b, str>),
    /// A point in time, Unix seconds.
    Time(i64),
    /// A list of strings.
    StrList(&'b [String]),
    /// Another entity.
    Entity(Entity<'b>),
    /// A list of entities.
    Entities(Vec<Entity<'b>>),
}

/// A field's type, checked when a rule is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// `true`/`false`.
    Bool,
    /// An integer.
    Int,
    /// A string.
    Str,
    /// A time: compare with RFC 3339 text or `now`, `now+30d`, `now-12h`.
    Time,
    /// A list of strings.
    StrList,
    /// One entity of a scope; its fields follow after a dot.
    Entity(Scope),
    /// A list of entities of a scope; use with `count`.
    Entities(Scope),
}

impl FieldType {
    /// The name `trustlint fields` prints.
    pub fn describe(self) -> String {
        match self {
            FieldType::Bool => "bool".into(),
            FieldType::Int => "int".into(),
            FieldType::Str => "string".into(),
            FieldType::Time => "time".into(),
            FieldType::StrList => "list<string>".into(),
            FieldType::Entity(s) => s.name().into(),
            FieldType::Entities(s) => format!("list<{}>", s.name()),
        }
    }
}

/// Reads a field of one entity.
pub type Getter = for<'b> fn(&'b Bundle, Entity<'b>) -> Value<'b>;

/// One field of one scope.
pub struct FieldDef {
    /// Its name, dotted.
    pub name: &'static str,
    /// Its type.
    pub ty: FieldType,
    /// What it means.
    pub doc: &'static str,
    /// The accessor.
    pub get: Getter,
    /// Where the value is written in its file, for fields read from a text format: a rule's
    /// `at:` names such a field to point its finding there instead of at the entity.
    pub at: Option<Locator>,
}

/// Finds where a field's value is written.
pub type Locator = for<'b> fn(Entity<'b>) -> Option<crate::location::Location>;

fn s(v: &str) -> Value<'_> {
    Value::Str(Cow::Borrowed(v))
}
fn opt_s(v: Option<&str>) -> Value<'_> {
    v.map_or(Value::Absent, s)
}
fn int<T: TryInto<i64>>(v: T) -> Value<'static> {
    v.try_into().map_or(Value::Absent, Value::Int)
}
fn certs<'b>(b: &'b Bundle, idx: &[usize]) -> Value<'b> {
    Value::Entities(
        idx.iter()
            .filter_map(|&i| b.certificates.get(i))
            .map(Entity::Certificate)
            .collect(),
    )
}
fn cert_at(b: &Bundle, i: Option<usize>) -> Value<'_> {
    i.and_then(|i| b.certificates.get(i))
        .map_or(Value::Absent, |c| Value::Entity(Entity::Certificate(c)))
}

macro_rules! field {
    ($variant:ident, $name:expr, $ty:expr, $doc:expr, |$b:ident, $x:ident| $body:expr) => {
        FieldDef {
            name: $name,
            ty: $ty,
            doc: $doc,
            get: |$b, e| match e {
                Entity::$variant($x) => $body,
                _ => Value::Absent,
            },
            at: None,
        }
    };
    ($variant:ident, $name:expr, $ty:expr, $doc:expr, |$b:ident, $x:ident| $body:expr, at |$y:ident| $at:expr) => {
        FieldDef {
            name: $name,
            ty: $ty,
            doc: $doc,
            get: |$b, e| match e {
                Entity::$variant($x) => $body,
                _ => Value::Absent,
            },
            at: Some(|e| match e {
                Entity::$variant($y) => $at,
                _ => None,
            }),
        }
    };
}

macro_rules! eap_fields {
    ($sel:ident, $prefix:literal, $what:literal) => {
        [
            field!(
                RegistryHost,
                concat!($prefix, ".present"),
                FieldType::Bool,
                concat!("The host has the ", $what, " key."),
                |_b, h| Value::Bool(h.$sel.is_some())
            ),
            field!(
                RegistryHost,
                concat!($prefix, ".ignore_no_revocation_check"),
                FieldType::Int,
                concat!(
                    "Effective IgnoreNoRevocationCheck under the ",
                    $what,
                    " key (0 when absent); absent without the key."
                ),
                |_b, h| eap(&h.$sel, |e| e.ignore_no_revocation_check.value)
            ),
            field!(
                RegistryHost,
                concat!($prefix, ".no_revocation_check"),
                FieldType::Int,
                concat!(
                    "Effective NoRevocationCheck under the ",
                    $what,
                    " key (0 when absent)."
                ),
                |_b, h| eap(&h.$sel, |e| e.no_revocation_check.value)
            ),
            field!(
                RegistryHost,
                concat!($prefix, ".ignore_revocation_offline"),
                FieldType::Int,
                concat!(
                    "Effective IgnoreRevocationOffline under the ",
                    $what,
                    " key (0 when absent)."
                ),
                |_b, h| eap(&h.$sel, |e| e.ignore_revocation_offline.value)
            ),
            field!(
                RegistryHost,
                concat!($prefix, ".no_root_revocation_check"),
                FieldType::Int,
                concat!(
                    "Effective NoRootRevocationCheck under the ",
                    $what,
                    " key (0 when absent)."
                ),
                |_b, h| eap(&h.$sel, |e| e.no_root_revocation_check.value)
            ),
            field!(
                RegistryHost,
                concat!($prefix, ".accepts_missing_revocation"),
                FieldType::Bool,
                concat!(
                    "NPS accepts a client chain without revocation information for ",
                    $what,
                    ": IgnoreNoRevocationCheck=1 or NoRevocationCheck=1."
                ),
                |_b, h| h.$sel.as_ref().map_or(Value::Absent, |e| Value::Bool(
                    e.accepts_missing_revocation()
                ))
            ),
        ]
    };
}

mod profile;

fn eap(e: &Option<EapRevocation>, f: impl Fn(&EapRevocation) -> u32) -> Value<'static> {
    e.as_ref().map_or(Value::Absent, |e| int(f(e)))
}

fn secs_to_days(secs: i64) -> i64 {
    secs.div_euclid(86_400)
}

static CERTIFICATE_FIELDS: &[FieldDef] = &[
    field!(
        Certificate,
        "role",
        FieldType::Str,
        "`root` (self-signed), `intermediate-ca` (a CA below a root) or `leaf`.",
        |_b, c| s(c.role.name())
    ),
    field!(
        Certificate,
        "self_signed",
        FieldType::Bool,
        "Subject equals issuer and its own key verifies the signature.",
        |_b, c| Value::Bool(c.self_signed)
    ),
    field!(
        Certificate,
        "display_name",
        FieldType::Str,
        "The subject CN, else the whole subject.",
        |_b, c| s(c.display_name())
    ),
    field!(
        Certificate,
        "subject",
        FieldType::Str,
        "Subject distinguished name.",
        |_b, c| s(&c.data.subject.text)
    ),
    field!(
        Certificate,
        "subject.common_name",
        FieldType::Str,
        "Subject CN; absent when none.",
        |_b, c| opt_s(c.data.subject.common_name.as_deref())
    ),
    field!(
        Certificate,
        "issuer_name",
        FieldType::Str,
        "Issuer distinguished name as written in the certificate.",
        |_b, c| s(&c.data.issuer.text)
    ),
    field!(
        Certificate,
        "issuer",
        FieldType::Entity(Scope::Certificate),
        "The issuing certificate in the bundle (key identifier or name, confirmed by signature); absent when none is in the bundle.",
        |b, c| cert_at(b, c.issuer)
    ),
    field!(
        Certificate,
        "version",
        FieldType::Int,
        "X.509 version: 1, 2 or 3.",
        |_b, c| int(c.data.version)
    ),
    field!(
        Certificate,
        "serial",
        FieldType::Str,
        "Serial number, lower-case hex.",
        |_b, c| s(&c.data.serial)
    ),
    field!(
        Certificate,
        "thumbprint",
        FieldType::Str,
        "SHA-1 of the DER, lower-case hex: the Windows thumbprint.",
        |_b, c| s(&c.data.sha1)
    ),
    field!(
        Certificate,
        "sha256",
        FieldType::Str,
        "SHA-256 of the DER, lower-case hex.",
        |_b, c| s(&c.data.sha256)
    ),
    field!(
        Certificate,
        "subject_key_id",
        FieldType::Str,
        "Subject key identifier, lower-case hex; absent when none.",
        |_b, c| opt_s(c.data.subject_key_id.as_deref())
    ),
    field!(
        Certificate,
        "authority_key_id",
        FieldType::Str,
        "Authority key identifier, lower-case hex; absent when none.",
        |_b, c| opt_s(c.data.authority_key_id.as_deref())
    ),
    field!(
        Certificate,
        "basic_constraints.ca",
        FieldType::Bool,
        "basicConstraints cA; absent when the extension is absent.",
        |_b, c| c
            .data
            .basic_constraints
            .map_or(Value::Absent, |(ca, _)| Value::Bool(ca))
    ),
    field!(
        Certificate,
        "basic_constraints.path_len",
        FieldType::Int,
        "basicConstraints pathLenConstraint; absent when none.",
        |_b, c| c
            .data
            .basic_constraints
            .and_then(|(_, p)| p)
            .map_or(Value::Absent, int)
    ),
    field!(
        Certificate,
        "key.type",
        FieldType::Str,
        "Public-key algorithm: `rsa`, `ec`, `ed25519`, `dsa`, or the OID.",
        |_b, c| s(c.data.key_algorithm.name())
    ),
    field!(
        Certificate,
        "key.bits",
        FieldType::Int,
        "Public-key size in bits.",
        |_b, c| int(c.data.key_bits)
    ),
    field!(
        Certificate,
        "signature.algorithm",
        FieldType::Str,
        "Signature algorithm name (`sha256WithRSAEncryption`…) or OID.",
        |_b, c| s(&c.data.signed.algorithm_name)
    ),
    field!(
        Certificate,
        "signature.hash",
        FieldType::Str,
        "Signature digest: `md5`, `sha1`, `sha256`, `sha384`, `sha512` or `unknown`.",
        |_b, c| s(c.data.signed.hash)
    ),
    field!(
        Certificate,
        "not_before",
        FieldType::Time,
        "Start of validity.",
        |_b, c| Value::Time(c.data.not_before)
    ),
    field!(
        Certificate,
        "not_after",
        FieldType::Time,
        "End of validity.",
        |_b, c| Value::Time(c.data.not_after)
    ),
    field!(
        Certificate,
        "days_until_expiry",
        FieldType::Int,
        "Whole days from `--now` to notAfter (negative once expired).",
        |b, c| Value::Int(secs_to_days(c.data.not_after.saturating_sub(b.now)))
    ),
    field!(
        Certificate,
        "extended_key_usage",
        FieldType::StrList,
        "EKU OIDs; absent when the extension is absent (any purpose to Windows).",
        |_b, c| c
            .data
            .extended_key_usage
            .as_deref()
            .map_or(Value::Absent, Value::StrList)
    ),
    field!(
        Certificate,
        "client_auth",
        FieldType::Bool,
        "A leaf usable for client authentication: Client Auth, Any Purpose (2.5.29.37.0 or 1.3.6.1.4.1.311.10.12.1), or no EKU extension.",
        |_b, c| Value::Bool(c.client_auth)
    ),
    field!(
        Certificate,
        "server_auth",
        FieldType::Bool,
        "Its EKUs allow server authentication: Server Auth 1.3.6.1.5.5.7.3.1, Any Purpose, or no EKU extension.",
        |_b, c| Value::Bool(c.allows_eku(crate::facts::certificate::EKU_SERVER_AUTH))
    ),
    field!(
        Certificate,
        "selected_by_profile",
        FieldType::Bool,
        "A leaf that a profile of the bundle would use as client certificate: an enabled EAP `IssuerHash` names a CA of its chain, or an Intune SCEP/PKCS profile's CA issued it.",
        |_b, c| Value::Bool(!c.links.selected_by.is_empty() || !c.links.issued_under.is_empty())
    ),
    field!(
        Certificate,
        "selected_by",
        FieldType::Entities(Scope::EapThumbprint),
        "The enabled `IssuerHash` filters that name a CA of its chain.",
        |b, c| Value::Entities(
            c.links
                .selected_by
                .iter()
                .filter_map(|&k| b.profiles.pins.get(k))
                .map(Entity::EapThumbprint)
                .collect()
        )
    ),
    field!(
        Certificate,
        "issued_under",
        FieldType::Entities(Scope::CertificateProfile),
        "The Intune SCEP/PKCS profiles whose issuing CA issued it.",
        |b, c| Value::Entities(
            c.links
                .issued_under
                .iter()
                .filter_map(|&k| b.profiles.certificate_profiles.get(k))
                .map(Entity::CertificateProfile)
                .collect()
        )
    ),
    field!(
        Certificate,
        "named_by",
        FieldType::Entities(Scope::ServerName),
        "The profile server names (`ServerNames`, `Servers`) that name it, case ignored.",
        |b, c| Value::Entities(
            c.links
                .named_by
                .iter()
                .filter_map(|&k| b.profiles.server_names.get(k))
                .map(Entity::ServerName)
                .collect()
        )
    ),
    field!(
        Certificate,
        "cloud_cas",
        FieldType::Entities(Scope::CloudCa),
        "The Cloud PKI CA exports whose thumbprint is this certificate's.",
        |b, c| Value::Entities(
            c.links
                .cloud_cas
                .iter()
                .filter_map(|&k| b.profiles.cloud_cas.get(k))
                .map(Entity::CloudCa)
                .collect()
        )
    ),
    field!(
        Certificate,
        "in_client_auth_chain",
        FieldType::Bool,
        "A client-auth leaf or a certificate in the chain of one.",
        |_b, c| Value::Bool(c.in_client_auth_chain)
    ),
    field!(
        Certificate,
        "crl_distribution_points",
        FieldType::StrList,
        "CRL distribution point URLs (any scheme).",
        |_b, c| Value::StrList(&c.data.crl_distribution_points)
    ),
    field!(
        Certificate,
        "ocsp_urls",
        FieldType::StrList,
        "AIA OCSP responder URLs.",
        |_b, c| Value::StrList(&c.data.ocsp)
    ),
    field!(
        Certificate,
        "ca_issuers",
        FieldType::StrList,
        "AIA caIssuers URLs.",
        |_b, c| Value::StrList(&c.data.ca_issuers)
    ),
    field!(
        Certificate,
        "san.dns",
        FieldType::StrList,
        "SAN DNS names.",
        |_b, c| Value::StrList(&c.data.san_dns)
    ),
    field!(
        Certificate,
        "san.upn",
        FieldType::StrList,
        "SAN User Principal Names (otherName 1.3.6.1.4.1.311.20.2.3).",
        |_b, c| Value::StrList(&c.data.san_upn)
    ),
    field!(
        Certificate,
        "san.uri",
        FieldType::StrList,
        "SAN URIs.",
        |_b, c| Value::StrList(&c.data.san_uri)
    ),
    field!(
        Certificate,
        "san.email",
        FieldType::StrList,
        "SAN e-mail addresses.",
        |_b, c| Value::StrList(&c.data.san_email)
    ),
    field!(
        Certificate,
        "sid_extension",
        FieldType::Bool,
        "The SID extension 1.3.6.1.4.1.311.25.2 (KB5014754) is present.",
        |_b, c| Value::Bool(c.data.has_sid_extension)
    ),
    field!(
        Certificate,
        "critical_extensions",
        FieldType::StrList,
        "OIDs of the critical extensions.",
        |_b, c| Value::StrList(&c.data.critical_extensions)
    ),
    field!(
        Certificate,
        "unknown_critical_extensions",
        FieldType::StrList,
        "OIDs of critical extensions the Windows chain engine does not process (outside RFC 5280's set and Microsoft's application-policy extensions).",
        |_b, c| Value::StrList(&c.unknown_critical_extensions)
    ),
    field!(
        Certificate,
        "issued_count",
        FieldType::Int,
        "How many certificates of the bundle it issued (itself excluded).",
        |_b, c| int(c.issued_count)
    ),
    field!(
        Certificate,
        "chain",
        FieldType::Entities(Scope::Certificate),
        "The chain from this certificate up, itself first, as far as the bundle reaches.",
        |b, c| certs(b, &c.chain)
    ),
    field!(
        Certificate,
        "chain_complete",
        FieldType::Bool,
        "The chain ends in a self-signed certificate of the bundle.",
        |_b, c| Value::Bool(c.chain_complete)
    ),
    field!(
        Certificate,
        "issuer_mismatches",
        FieldType::Entities(Scope::Certificate),
        "Certificates that match its issuer by key identifier or name but whose key does not verify its signature.",
        |b, c| certs(b, &c.issuer_mismatches)
    ),
    field!(
        Certificate,
        "outlives_issuer",
        FieldType::Bool,
        "Its notAfter is later than its issuer's; absent without an issuer in the bundle.",
        |b, c| c
            .issuer
            .and_then(|i| b.certificates.get(i))
            .map_or(Value::Absent, |i| Value::Bool(
                c.data.not_after > i.data.not_after
            ))
    ),
    field!(
        Certificate,
        "path_len_exceeded_by",
        FieldType::Entity(Scope::Certificate),
        "The CA above it whose pathLenConstraint it is the first in its chain to exceed; absent when none.",
        |b, c| cert_at(b, c.path_len_exceeded_by)
    ),
    field!(
        Certificate,
        "revoked_by",
        FieldType::Entity(Scope::Crl),
        "A CRL of its issuer, verified by the issuer's key and current at `--now`, that lists its serial; absent when none.",
        |b, c| c
            .revoked_by
            .and_then(|k| b.crls.get(k))
            .map_or(Value::Absent, |crl| Value::Entity(Entity::Crl(crl)))
    ),
    field!(
        Certificate,
        "seen_count",
        FieldType::Int,
        "In how many places of the bundle it was found.",
        |_b, c| int(c.seen.len())
    ),
];

static CRL_FIELDS: &[FieldDef] = &[
    field!(
        Crl,
        "issuer_name",
        FieldType::Str,
        "Issuer distinguished name.",
        |_b, c| s(&c.data.issuer.text)
    ),
    field!(
        Crl,
        "display_name",
        FieldType::Str,
        "`CRL of <issuer CN>` (else the whole issuer name): what messages call the CRL.",
        |_b, c| Value::Str(Cow::Owned(Entity::Crl(c).display_name()))
    ),
    field!(
        Crl,
        "issuer",
        FieldType::Entity(Scope::Certificate),
        "The certificate that issued it, when in the bundle.",
        |b, c| cert_at(b, c.issuer)
    ),
    field!(
        Crl,
        "signature_valid",
        FieldType::Bool,
        "The issuer's key verifies the signature; absent without an issuer or when the algorithm cannot be checked.",
        |_b, c| match c.issuer_signature {
            Some(crate::facts::signature::SignatureCheck::Valid) => Value::Bool(true),
            Some(crate::facts::signature::SignatureCheck::Invalid) => Value::Bool(false),
            _ => Value::Absent,
        }
    ),
    field!(
        Crl,
        "self_signed",
        FieldType::Bool,
        "Always false: a CRL is signed by its issuer (present so rules can share a condition with certificates).",
        |_b, _c| Value::Bool(false)
    ),
    field!(
        Crl,
        "this_update",
        FieldType::Time,
        "thisUpdate.",
        |_b, c| Value::Time(c.data.this_update)
    ),
    field!(
        Crl,
        "next_update",
        FieldType::Time,
        "nextUpdate; absent when none.",
        |_b, c| c.data.next_update.map_or(Value::Absent, Value::Time)
    ),
    field!(
        Crl,
        "signature.algorithm",
        FieldType::Str,
        "Signature algorithm name or OID.",
        |_b, c| s(&c.data.signed.algorithm_name)
    ),
    field!(
        Crl,
        "signature.hash",
        FieldType::Str,
        "Signature digest: `md5`, `sha1`, `sha256`, `sha384`, `sha512` or `unknown`.",
        |_b, c| s(c.data.signed.hash)
    ),
    field!(
        Crl,
        "revoked_count",
        FieldType::Int,
        "Number of revoked serials listed.",
        |_b, c| int(c.data.revoked_serials.len())
    ),
    field!(
        Crl,
        "is_delta",
        FieldType::Bool,
        "A delta CRL (Delta CRL Indicator).",
        |_b, c| Value::Bool(c.data.is_delta)
    ),
    field!(
        Crl,
        "sha256",
        FieldType::Str,
        "SHA-256 of the DER, lower-case hex.",
        |_b, c| s(&c.data.sha256)
    ),
];

static HOST_FIELDS: &[FieldDef] = &{
    let base = [
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
            "The host holds RasMan\\PPP\\EAP\\13 or \\25: an NPS (or RRAS) server.",
            |_b, h| Value::Bool(h.is_nps())
        ),
        field!(
            RegistryHost,
            "file_count",
            FieldType::Int,
            "How many snapshot files make up the host.",
            |_b, h| int(h.files.len())
        ),
    ];
    let tls = eap_fields!(eap_tls, "eap_tls", "EAP-TLS (EAP\\13)");
    let peap = eap_fields!(peap, "peap", "PEAP (EAP\\25)");
    let [a, b, c] = base;
    let [t1, t2, t3, t4, t5, t6] = tls;
    let [p1, p2, p3, p4, p5, p6] = peap;
    [a, b, c, t1, t2, t3, t4, t5, t6, p1, p2, p3, p4, p5, p6]
};

static REGISTRY_VALUE_FIELDS: &[FieldDef] = &[
    field!(
        RegistryValue,
        "host",
        FieldType::Entity(Scope::RegistryHost),
        "The host the value is on.",
        |_b, v| Value::Entity(Entity::RegistryHost(v.host))
    ),
    field!(
        RegistryValue,
        "key",
        FieldType::Str,
        "The key path below HKLM, lower case, `ControlSet00N` read as `CurrentControlSet`.",
        |_b, v| s(v.key)
    ),
    field!(
        RegistryValue,
        "name",
        FieldType::Str,
        "The value name as written (registry names are case-insensitive: compare with `match: \"(?i)^name$\"`).",
        |_b, v| s(&v.value.name)
    ),
    field!(
        RegistryValue,
        "type",
        FieldType::Str,
        "`REG_SZ`, `REG_EXPAND_SZ`, `REG_MULTI_SZ`, `REG_DWORD`, `REG_QWORD` or `REG_BINARY`.",
        |_b, v| s(v.value.data.type_name())
    ),
    field!(
        RegistryValue,
        "dword",
        FieldType::Int,
        "The data of a REG_DWORD; absent for other types.",
        |_b, v| match v.value.data {
            RegData::Dword(d) => int(d),
            _ => Value::Absent,
        }
    ),
    field!(
        RegistryValue,
        "string",
        FieldType::Str,
        "The data of a REG_SZ or REG_EXPAND_SZ; absent for other types.",
        |_b, v| match &v.value.data {
            RegData::String(t) | RegData::ExpandString(t) => s(t),
            _ => Value::Absent,
        }
    ),
    field!(
        RegistryValue,
        "eap_type",
        FieldType::Int,
        "The EAP method of a `RasMan\\PPP\\EAP\\<type>` key (13 EAP-TLS, 25 PEAP); absent for other keys.",
        |_b, v| eap_type(v.key).map_or(Value::Absent, int)
    ),
];

static KEY_FIELDS: &[FieldDef] = &[
    field!(
        Key,
        "kind",
        FieldType::Str,
        "`pkcs8`, `rsa`, `ec`, `dsa`, `openssh`, `legacy-encrypted`, `encrypted-pkcs8` or `pkcs12`.",
        |_b, k| s(k.kind.name())
    ),
    field!(
        Key,
        "encrypted",
        FieldType::Bool,
        "Protected by a password (encrypted PKCS#8, legacy encrypted PEM, PKCS#12).",
        |_b, k| Value::Bool(k.kind.is_encrypted())
    ),
];

static FILE_FIELDS: &[FieldDef] = &[
    field!(
        File,
        "path",
        FieldType::Str,
        "The file's path as reported.",
        |_b, f| s(&f.location.path)
    ),
    field!(
        File,
        "kind",
        FieldType::Str,
        "What it claims to be: `DER`, `PEM`, `registry export`; absent for files that are not ours.",
        |_b, f| f.kind.map_or(Value::Absent, |k| s(k.name()))
    ),
    field!(File, "size", FieldType::Int, "Size in bytes.", |_b, f| int(
        f.size
    )),
    field!(
        File,
        "parse_error",
        FieldType::Str,
        "What was wrong, with the line or byte offset; absent when it parsed.",
        |_b, f| match &f.problem {
            Some(FileProblem::Unparseable(e)) => s(&e.message),
            _ => Value::Absent,
        }
    ),
    field!(
        File,
        "too_large",
        FieldType::Bool,
        "Larger than the size limit, so not read.",
        |_b, f| Value::Bool(matches!(f.problem, Some(FileProblem::TooLarge { .. })))
    ),
    field!(
        File,
        "size_limit",
        FieldType::Int,
        "The size limit it exceeded; absent unless too large.",
        |_b, f| match &f.problem {
            Some(FileProblem::TooLarge { limit, .. }) => int(*limit),
            _ => Value::Absent,
        }
    ),
];

macro_rules! bundle_field {
    ($name:literal, $ty:expr, $doc:literal, |$b:ident| $body:expr) => {
        FieldDef {
            name: $name,
            ty: $ty,
            doc: $doc,
            get: |$b, _e| $body,
            at: None,
        }
    };
}

static BUNDLE_FIELDS: &[FieldDef] = &[
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
        "certificate_count",
        FieldType::Int,
        "Distinct certificates in the bundle.",
        |b| int(b.certificates.len())
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
        |b| int(b.certificates.iter().filter(|c| c.client_auth).count())
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
        "Registry hosts that are NPS servers (hold EAP\\13 or EAP\\25).",
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
        |b| s(Coverage::over(&b.hosts, |h| h
            .eap_tls
            .as_ref()
            .is_some_and(|e| e.ignore_no_revocation_check.value == 1))
        .name())
    ),
    bundle_field!(
        "nps.missing_revocation_accepted",
        FieldType::Str,
        "On how many NPS hosts EAP\\13 accepts a chain without revocation information (IgnoreNoRevocationCheck=1 or NoRevocationCheck=1): `all`, `some`, `none` or `unknown`.",
        |b| s(Coverage::over(&b.hosts, |h| h
            .eap_tls
            .as_ref()
            .is_some_and(EapRevocation::accepts_missing_revocation))
        .name())
    ),
];

/// The fields of a scope.
pub fn fields(scope: Scope) -> &'static [FieldDef] {
    match scope {
        Scope::Certificate => CERTIFICATE_FIELDS,
        Scope::Crl => CRL_FIELDS,
        Scope::RegistryHost => HOST_FIELDS,
        Scope::RegistryValue => REGISTRY_VALUE_FIELDS,
        Scope::Key => KEY_FIELDS,
        Scope::File => FILE_FIELDS,
        Scope::Bundle => BUNDLE_FIELDS,
        Scope::VpnProfile => profile::VPN_PROFILE_FIELDS,
        Scope::EapConfig => profile::EAP_CONFIG_FIELDS,
        Scope::EapThumbprint => profile::EAP_THUMBPRINT_FIELDS,
        Scope::ServerName => profile::SERVER_NAME_FIELDS,
        Scope::TrustedRootProfile => profile::TRUSTED_ROOT_PROFILE_FIELDS,
        Scope::CertificateProfile => profile::CERTIFICATE_PROFILE_FIELDS,
        Scope::CloudCa => profile::CLOUD_CA_FIELDS,
    }
}

/// A field of a scope, by exact name.
pub fn field(scope: Scope, name: &str) -> Option<&'static FieldDef> {
    fields(scope).iter().find(|f| f.name == name)
}

/// The entities of a scope, in a fixed order.
pub fn entities(bundle: &Bundle, scope: Scope) -> Vec<Entity<'_>> {
    let p = &bundle.profiles;
    match scope {
        Scope::Certificate => bundle
            .certificates
            .iter()
            .map(Entity::Certificate)
            .collect(),
        Scope::Crl => bundle.crls.iter().map(Entity::Crl).collect(),
        Scope::RegistryHost => bundle.hosts.iter().map(Entity::RegistryHost).collect(),
        Scope::RegistryValue => bundle
            .hosts
            .iter()
            .flat_map(|host| {
                host.values().map(move |(key, value)| {
                    Entity::RegistryValue(RegistryValueRef { host, key, value })
                })
            })
            .collect(),
        Scope::Key => bundle.keys.iter().map(Entity::Key).collect(),
        Scope::File => bundle
            .files
            .iter()
            .filter(|f| f.kind.is_some() || f.problem.is_some())
            .map(Entity::File)
            .collect(),
        Scope::Bundle => vec![Entity::Bundle],
        Scope::VpnProfile => p.vpn_profiles.iter().map(Entity::VpnProfile).collect(),
        Scope::EapConfig => p.eap_configs.iter().map(Entity::EapConfig).collect(),
        Scope::EapThumbprint => p.pins.iter().map(Entity::EapThumbprint).collect(),
        Scope::ServerName => p.server_names.iter().map(Entity::ServerName).collect(),
        Scope::TrustedRootProfile => p
            .trusted_root_profiles
            .iter()
            .map(Entity::TrustedRootProfile)
            .collect(),
        Scope::CertificateProfile => p
            .certificate_profiles
            .iter()
            .map(Entity::CertificateProfile)
            .collect(),
        Scope::CloudCa => p.cloud_cas.iter().map(Entity::CloudCa).collect(),
    }
}

impl Entity<'_> {
    /// A stable identity, used in findings and fingerprints: it does not change when a file
    /// moves, for entities that have content of their own.
    pub fn identity(&self) -> String {
        match self {
            Entity::Certificate(c) => format!("certificate sha256:{}", c.data.sha256),
            Entity::Crl(c) => format!("crl sha256:{}", c.data.sha256),
            Entity::RegistryHost(h) => format!("registry host {}", h.name),
            Entity::RegistryValue(v) => format!(
                "registry value {}\\HKLM\\{}\\{}",
                v.host.name,
                v.key,
                v.value.name.to_ascii_lowercase()
            ),
            Entity::Key(k) => format!(
                "key {}#{}",
                k.location.path,
                k.location
                    .container_index
                    .map_or(k.location.byte_offset, |i| usize::try_from(i)
                        .unwrap_or(usize::MAX))
            ),
            Entity::File(f) => format!("file {}", f.location.path),
            Entity::Bundle => "bundle".to_owned(),
            Entity::VpnProfile(v) => format!("vpn profile {}", v.content_id),
            Entity::EapConfig(e) => format!("eap config {}", e.content_id),
            Entity::EapThumbprint(t) => format!(
                "eap thumbprint {} in eap config {}",
                t.thumbprint.hex.as_deref().unwrap_or(&t.thumbprint.raw),
                t.owner_id
            ),
            Entity::ServerName(n) => format!("server name {} in {}", n.name, n.owner_id),
            Entity::TrustedRootProfile(t) => format!(
                "intune trusted root {}",
                t.data
                    .id
                    .as_deref()
                    .or(t.data.certificate_sha256.as_deref())
                    .unwrap_or(&t.data.location.path)
            ),
            Entity::CertificateProfile(c) => format!(
                "intune {} profile {}",
                c.data.kind,
                c.data
                    .id
                    .as_deref()
                    .or(c.data.name.as_deref())
                    .unwrap_or(&c.data.location.path)
            ),
            Entity::CloudCa(c) => format!(
                "cloud pki ca {}",
                c.data
                    .id
                    .as_deref()
                    .or(c.data.thumbprint.as_deref())
                    .unwrap_or(&c.data.location.path)
            ),
        }
    }

    /// What kind of thing it is, in words: `certificate`, `CRL`, …
    pub fn kind_name(&self) -> &'static str {
        match self {
            Entity::Certificate(_) => "certificate",
            Entity::Crl(_) => "CRL",
            Entity::RegistryHost(_) => "registry host",
            Entity::RegistryValue(_) => "registry value",
            Entity::Key(_) => "key",
            Entity::File(_) => "file",
            Entity::Bundle => "bundle",
            Entity::VpnProfile(_) => "VPN profile",
            Entity::EapConfig(_) => "EAP configuration",
            Entity::EapThumbprint(_) => "EAP thumbprint",
            Entity::ServerName(_) => "server name",
            Entity::TrustedRootProfile(_) => "trusted-root profile",
            Entity::CertificateProfile(_) => "certificate profile",
            Entity::CloudCa(_) => "Cloud PKI CA",
        }
    }

    /// A human name: a certificate's CN, a host's name, a file's path.
    pub fn display_name(&self) -> String {
        match self {
            Entity::Certificate(c) => c.display_name().to_owned(),
            Entity::Crl(c) => format!("CRL of {}", c.data.issuer.short()),
            Entity::RegistryHost(h) => h.name.clone(),
            Entity::RegistryValue(v) => format!("{} on {}", v.value.name, v.host.name),
            Entity::Key(k) => format!("{} key in {}", k.kind.name(), k.location.path),
            Entity::File(f) => f.location.path.to_string(),
            Entity::Bundle => "the bundle".to_owned(),
            Entity::VpnProfile(v) => v
                .data
                .name
                .clone()
                .or_else(|| v.data.servers.first().map(|s| s.value.clone()))
                .unwrap_or_else(|| v.data.location.path.to_string()),
            Entity::EapConfig(e) => e.data.location.path.to_string(),
            Entity::EapThumbprint(t) => t.thumbprint.raw.clone(),
            Entity::ServerName(n) => n.name.clone(),
            Entity::TrustedRootProfile(t) => t.data.name.clone().unwrap_or_default(),
            Entity::CertificateProfile(c) => c.data.name.clone().unwrap_or_default(),
            Entity::CloudCa(c) => c.data.name.clone().unwrap_or_default(),
        }
    }

    /// Where a finding on it points.
    pub fn location(&self) -> Option<crate::location::Location> {
        match self {
            Entity::Certificate(c) => Some(c.data.location.clone()),
            Entity::Crl(c) => Some(
                c.seen
                    .first()
                    .cloned()
                    .unwrap_or_else(|| c.data.location.clone()),
            ),
            Entity::RegistryHost(h) => Some(h.primary_location()),
            Entity::RegistryValue(v) => Some(v.value.location.clone()),
            Entity::Key(k) => Some(k.location.clone()),
            Entity::File(f) => Some(match &f.problem {
                Some(FileProblem::Unparseable(e)) => e.location.clone(),
                _ => f.location.clone(),
            }),
            Entity::Bundle => None,
            Entity::VpnProfile(v) => Some(v.data.location.clone()),
            Entity::EapConfig(e) => Some(e.data.location.clone()),
            Entity::EapThumbprint(t) => Some(t.thumbprint.location.clone()),
            Entity::ServerName(n) => Some(n.location.clone()),
            Entity::TrustedRootProfile(t) => Some(t.data.location.clone()),
            Entity::CertificateProfile(c) => Some(c.data.location.clone()),
            Entity::CloudCa(c) => Some(c.data.location.clone()),
        }
    }

    /// A text view for reports when the entity lives in a binary file.
    pub fn summary(&self) -> Option<String> {
        match self {
            Entity::Certificate(c) => Some(c.summary()),
            Entity::Crl(c) => Some(format!(
                "CRL issuer:  {}\nthis update: {}\nnext update: {}\nrevoked:     {}\n",
                c.data.issuer.text,
                crate::clock::format_rfc3339(c.data.this_update),
                c.data
                    .next_update
                    .map_or_else(|| "(none)".to_owned(), crate::clock::format_rfc3339),
                c.data.revoked_serials.len()
            )),
            _ => None,
        }
    }

    /// Other places the same entity was seen (a certificate in several files).
    pub fn also_seen(&self) -> &[crate::location::Location] {
        match self {
            Entity::Certificate(c) => c.seen.get(1..).unwrap_or_default(),
            Entity::Crl(c) => c.seen.get(1..).unwrap_or_default(),
            Entity::EapThumbprint(t) => &t.also,
            _ => &[],
        }
    }
}
