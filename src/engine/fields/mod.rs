//! The field registry: every name a rule condition or message may use, with its type, its
//! meaning and the accessor that reads it from the fact model. `trustlint fields` prints it and
//! `docs/fields.md` records it; it is the contract for rule authors.
//!
//! One scope is one line of [`scopes!`] below and one module here holding only that scope's
//! field table; the entity type it names implements [`Fact`] in `facts/`. The list generates
//! [`Scope`], [`Entity`], [`Scope::ALL`], the names, [`fields`] and [`entities`], so a new scope
//! the list does not name, or a scope whose table or entity type is missing, fails to compile.

use std::borrow::Cow;

use crate::facts::id::{CertId, EapConfigId, Id, IdVec, VpnProfileId};
use crate::facts::{Bundle, Fact};
use crate::location::Location;

/// One field of one entity scope: `field!(Variant, "name", type, "doc", |bundle, entity| value)`,
/// optionally followed by `at |entity| location` for a field written in a text file.
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
            first: None,
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
            first: None,
        }
    };
    ($variant:ident, $name:expr, $ty:expr, $doc:expr, |$b:ident, $x:ident| $body:expr, first |$fb:ident, $y:ident, $n:ident| $first:expr) => {
        FieldDef {
            name: $name,
            ty: $ty,
            doc: $doc,
            get: |$b, e| match e {
                Entity::$variant($x) => $body,
                _ => Value::Absent,
            },
            at: None,
            first: Some(|$fb, e, $n| match e {
                Entity::$variant($y) => $first,
                _ => (Vec::new(), 0),
            }),
        }
    };
}

macro_rules! bundle_field {
    ($name:literal, $ty:expr, $doc:literal, |$b:ident| $body:expr) => {
        FieldDef {
            name: $name,
            ty: $ty,
            doc: $doc,
            get: |$b, _e| $body,
            at: None,
            first: None,
        }
    };
}

/// Declares every scope: its variant, the name rules use, the module of its field table, the
/// entity type it borrows from the bundle and how the bundle lists its entities (in a fixed
/// order: what findings and `checked` follow).
macro_rules! scopes {
    ($(
        $(#[$doc:meta])*
        $variant:ident($name:literal, $module:ident, $entity:ty) = |$b:ident| $entities:expr;
    )*) => {
        $(mod $module;)*

        /// What kind of entity a rule looks at.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Scope {
            $($(#[$doc])* $variant,)*
        }

        impl Scope {
            /// Every scope, in the order `trustlint fields` lists them.
            pub const ALL: &[Scope] = &[$(Scope::$variant,)*];

            /// The name rules use.
            pub fn name(self) -> &'static str {
                match self {
                    $(Scope::$variant => $name,)*
                }
            }

            /// The field table of the scope.
            fn table(self) -> &'static [FieldDef] {
                match self {
                    $(Scope::$variant => $module::FIELDS,)*
                }
            }
        }

        /// One entity of the fact model, borrowed.
        #[derive(Debug, Clone, Copy)]
        pub(crate) enum Entity<'b> {
            $($(#[$doc])* $variant($entity),)*
        }

        impl<'b> Entity<'b> {
            /// What it says about itself to findings and reports.
            pub(crate) fn fact(&self) -> &dyn Fact {
                match self {
                    $(Entity::$variant(x) => x,)*
                }
            }
        }

        /// The entities of a scope, in a fixed order.
        pub(crate) fn entities(bundle: &Bundle, scope: Scope) -> Vec<Entity<'_>> {
            match scope {
                $(Scope::$variant => {
                    let $b = bundle;
                    $entities.map(Entity::$variant).collect()
                })*
            }
        }
    };
}

scopes! {
    /// Each distinct certificate.
    Certificate("certificate", certificate, &'b crate::facts::Certificate) =
        |b| b.certificates.iter();
    /// Each distinct CRL.
    Crl("crl", crl, &'b crate::facts::Crl) = |b| b.crls.iter();
    /// Each registry host (merged snapshots).
    RegistryHost("registry_host", registry_host, &'b crate::facts::RegistryHost) =
        |b| b.hosts.iter();
    /// Each registry value of each host, as in force after its snapshots were applied.
    RegistryValue("registry_value", registry_value, crate::facts::RegistryValueRef<'b>) =
        |b| b.hosts.iter().flat_map(crate::facts::RegistryHost::registry_values);
    /// Each piece of key material.
    Key("key", key, &'b crate::facts::KeyData) = |b| b.keys.iter();
    /// Each scanned file that is ours or has a problem.
    File("file", file, &'b crate::facts::FileFact) =
        |b| b.files.iter().filter(|f| f.is_judged());
    /// The bundle as a whole (one entity).
    Bundle("bundle", bundle, &'b Bundle) = |b| std::iter::once(b);
    /// Each VPN profile (ProfileXML, Intune VPN configuration).
    VpnProfile("vpn_profile", vpn_profile, &'b crate::facts::VpnProfile) =
        |b| b.profiles.vpn_profiles.iter();
    /// Each EAP configuration (of a VPN profile, or standalone).
    EapConfig("eap_config", eap_config, &'b crate::facts::EapConfig) =
        |b| b.profiles.eap_configs.iter();
    /// Each `TrustedRootCA` / `IssuerHash` thumbprint of an EAP configuration.
    EapThumbprint("eap_thumbprint", eap_thumbprint, &'b crate::facts::PinnedThumbprint) =
        |b| b.profiles.pins.iter();
    /// Each server name a profile expects (`ServerNames`, `Servers`).
    ServerName("server_name", server_name, &'b crate::facts::ServerName) =
        |b| b.profiles.server_names.iter();
    /// Each Intune trusted-certificate profile.
    TrustedRootProfile(
        "trusted_root_profile",
        trusted_root_profile,
        &'b crate::facts::TrustedRootProfile
    ) = |b| b.profiles.trusted_root_profiles.iter();
    /// Each Intune SCEP or PKCS certificate profile.
    CertificateProfile(
        "certificate_profile",
        certificate_profile,
        &'b crate::facts::CertificateProfile
    ) = |b| b.profiles.certificate_profiles.iter();
    /// Each Microsoft Cloud PKI CA export.
    CloudCa("cloud_ca", cloud_ca, &'b crate::facts::CloudCa) = |b| b.profiles.cloud_cas.iter();
    /// Each NPS server, from its configuration export.
    NpsServer("nps_server", nps_server, &'b crate::facts::nps::NpsServer) =
        |b| b.nps.servers.iter();
    /// Each network policy of each NPS server, in processing order.
    NpsPolicy("nps_policy", nps_policy, &'b crate::facts::nps::NpsPolicy) =
        |b| b.nps.policies.iter();
    /// Each EAP method configuration (`msEAPConfiguration`) of each network policy.
    NpsEapMethod("nps_eap_method", nps_eap_method, &'b crate::facts::nps::NpsEapMethod) =
        |b| b.nps.methods.iter();
}

impl Scope {
    /// The scope of a name.
    pub fn from_name(name: &str) -> Option<Scope> {
        Scope::ALL.iter().copied().find(|s| s.name() == name)
    }
}

impl Entity<'_> {
    /// A stable identity, used in findings and fingerprints (see [`Fact::identity`]).
    pub(crate) fn identity(&self) -> String {
        self.fact().identity()
    }

    /// What kind of thing it is, in words: `certificate`, `CRL`, …
    pub(crate) fn kind_name(&self) -> &'static str {
        self.fact().kind_name()
    }

    /// A human name: a certificate's CN, a host's name, a file's path.
    pub(crate) fn display_name(&self) -> String {
        self.fact().display_name()
    }

    /// Where a finding on it points.
    pub(crate) fn location(&self) -> Option<Location> {
        self.fact().location()
    }

    /// A text view for reports when the entity lives in a binary file.
    pub(crate) fn summary(&self) -> Option<String> {
        self.fact().summary()
    }

    /// Other places the same entity was seen (a certificate in several files).
    pub(crate) fn also_seen(&self) -> &[Location] {
        self.fact().also_seen()
    }
}

/// A field's value for one entity.
#[derive(Debug, Clone)]
pub(crate) enum Value<'b> {
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
pub(crate) enum FieldType {
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
    pub(crate) fn describe(self) -> String {
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
pub(crate) type Getter = for<'b> fn(&'b Bundle, Entity<'b>) -> Value<'b>;

/// One field of one scope.
pub(crate) struct FieldDef {
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
    /// For a list whose length is known without building it: its first `n` entities and its
    /// length. A finding's related places take the first few and count the rest
    /// ([`crate::engine::MAX_RELATED`]); building a list of 30,000 profiles for each of 30,000
    /// leaves to keep ten was the cost.
    pub first: Option<FirstN>,
}

/// The first `n` entities of a list field, and the list's length.
pub(crate) type FirstN = for<'b> fn(&'b Bundle, Entity<'b>, usize) -> (Vec<Entity<'b>>, usize);

/// Finds where a field's value is written.
pub(crate) type Locator = for<'b> fn(Entity<'b>) -> Option<crate::location::Location>;

fn s(v: &str) -> Value<'_> {
    Value::Str(Cow::Borrowed(v))
}
fn opt_s(v: Option<&str>) -> Value<'_> {
    v.map_or(Value::Absent, s)
}
fn int<T: TryInto<i64>>(v: T) -> Value<'static> {
    v.try_into().map_or(Value::Absent, Value::Int)
}
/// The entities of `list` that `ids` name, as a field value.
fn listed<'b, I: Id, T>(
    list: &'b IdVec<I, T>,
    ids: &[I],
    entity: fn(&'b T) -> Entity<'b>,
) -> Value<'b> {
    Value::Entities(
        ids.iter()
            .filter_map(|&id| list.get(id))
            .map(entity)
            .collect(),
    )
}
fn certs<'b>(b: &'b Bundle, idx: &[CertId]) -> Value<'b> {
    listed(&b.certificates, idx, Entity::Certificate)
}
fn cert_at(b: &Bundle, i: Option<CertId>) -> Value<'_> {
    i.and_then(|i| b.certificates.get(i))
        .map_or(Value::Absent, |c| Value::Entity(Entity::Certificate(c)))
}

fn opt_bool(v: Option<bool>) -> Value<'static> {
    v.map_or(Value::Absent, Value::Bool)
}

fn eap_at(b: &Bundle, i: Option<EapConfigId>) -> Value<'_> {
    i.and_then(|i| b.profiles.eap_configs.get(i))
        .map_or(Value::Absent, |e| Value::Entity(Entity::EapConfig(e)))
}

fn vpn_at(b: &Bundle, i: Option<VpnProfileId>) -> Value<'_> {
    i.and_then(|i| b.profiles.vpn_profiles.get(i))
        .map_or(Value::Absent, |v| Value::Entity(Entity::VpnProfile(v)))
}

/// The fields of a scope.
pub(crate) fn fields(scope: Scope) -> &'static [FieldDef] {
    scope.table()
}

/// A field of a scope, by exact name.
pub(crate) fn field(scope: Scope, name: &str) -> Option<&'static FieldDef> {
    fields(scope).iter().find(|f| f.name == name)
}
