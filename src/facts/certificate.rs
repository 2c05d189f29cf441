//! A certificate as the bundle knows it: its parsed data, every place it was seen, and what the
//! bundle derived about it (issuer, chain, role, client-auth use).

use crate::load::CertificateData;
use crate::location::Location;

use super::fact::Fact;
use super::id::{CertId, CloudCaId, CrlId, IdVec, ServerNameId, TrustedRootProfileId};
use super::name_constraints::NameConstraintBreach;
use super::signature::SignatureCheck;

/// Client Authentication (RFC 5280 §4.2.1.12).
pub(crate) const EKU_CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
/// Server Authentication (RFC 5280 §4.2.1.12).
pub(crate) const EKU_SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
/// anyExtendedKeyUsage (RFC 5280), which Cloud PKI calls "Any Purpose".
pub(crate) const EKU_ANY: &str = "2.5.29.37.0";
/// Microsoft's "Any Purpose" (EAP configuration docs, `AnyPurposeEKUList`).
pub(crate) const EKU_MS_ANY_PURPOSE: &str = "1.3.6.1.4.1.311.10.12.1";

/// Extensions the Windows chain engine processes, so it accepts them marked critical: the
/// RFC 5280 certificate extensions plus Microsoft's application-policy extensions. Microsoft
/// publishes no exact list (inferred from RFC 5280 §4.2 and the CryptoAPI extension OIDs), so
/// the set errs towards known.
pub(crate) const WINDOWS_KNOWN_EXTENSIONS: [&str; 17] = [
    "2.5.29.14",             // subjectKeyIdentifier
    "2.5.29.15",             // keyUsage
    "2.5.29.17",             // subjectAltName
    "2.5.29.18",             // issuerAltName
    "2.5.29.19",             // basicConstraints
    "2.5.29.30",             // nameConstraints
    "2.5.29.31",             // cRLDistributionPoints
    "2.5.29.32",             // certificatePolicies
    "2.5.29.33",             // policyMappings
    "2.5.29.35",             // authorityKeyIdentifier
    "2.5.29.36",             // policyConstraints
    "2.5.29.37",             // extKeyUsage
    "2.5.29.54",             // inhibitAnyPolicy
    "1.3.6.1.5.5.7.1.1",     // authorityInfoAccess
    "1.3.6.1.4.1.311.21.10", // Microsoft application policies
    "1.3.6.1.4.1.311.21.11", // Microsoft application policy mappings
    "1.3.6.1.4.1.311.21.12", // Microsoft application policy constraints
];

/// What a certificate is in the bundle's hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Self-signed (a trust anchor).
    Root,
    /// A CA certificate below a root: basicConstraints cA=TRUE, or it issued a certificate in
    /// the bundle.
    IntermediateCa,
    /// An end-entity certificate.
    Leaf,
}

impl Role {
    /// The field value: `root`, `intermediate-ca`, `leaf`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Root => "root",
            Role::IntermediateCa => "intermediate-ca",
            Role::Leaf => "leaf",
        }
    }
}

/// One distinct certificate (by SHA-256) with what the bundle derived about it.
#[derive(Debug, Clone)]
pub struct Certificate {
    /// The parsed certificate, from the first place it was seen.
    pub data: Box<CertificateData>,
    /// Every place it was seen, sorted; the first is `data.location`.
    pub seen: Vec<Location>,
    /// The certificate stores whose registry exports hold it, by place.
    pub stores: Vec<StoreMembership>,
    /// The names of those stores (`ROOT`, `CA`, `MY`, `NTAUTH`…), sorted, each once.
    pub store_names: Vec<String>,
    /// Subject and issuer name are equal.
    pub self_issued: bool,
    /// Self-issued and its own key verifies its signature (or the algorithm is one that cannot
    /// be checked here).
    pub self_signed: bool,
    /// The issuer the chain engine picked.
    pub issuer: Option<CertId>,
    /// How the picked issuer's key checked this certificate's signature.
    pub issuer_signature: Option<SignatureCheck>,
    /// Every certificate whose key verifies this one's signature (or cannot be checked here):
    /// the issuer, its cross-certificates and its same-key renewals, in content order. Each is
    /// the first step of a candidate path.
    pub issuer_edges: Vec<IssuerEdge>,
    /// Certificates that match this one's issuer by key identifier or name but whose key does
    /// not verify its signature.
    pub issuer_mismatches: Vec<CertId>,
    /// The issuer search stopped at its budget before a key verified the signature.
    pub issuer_search_exhausted: bool,
    /// The chosen path from this certificate up (itself first), as far as the bundle reaches.
    pub chain: Vec<CertId>,
    /// The chain ends in a self-signed certificate.
    pub chain_complete: bool,
    /// Where and why the chain ends.
    pub chain_end: ChainEnd,
    /// The chain stops short at this certificate: its issuer is missing, it is in a cycle, or
    /// the depth limit is reached at it. Certificates below it inherit the break.
    pub chain_breaks_here: bool,
    /// A self-signed certificate that a profile of the bundle pins as trusted root.
    pub anchor_pinned: bool,
    /// Root, intermediate CA or leaf.
    pub role: Role,
    /// How many other certificates of the bundle it issued.
    pub issued_count: u32,
    /// How many of those carry an `http(s)` AIA caIssuers URL: a client holding one of them
    /// can fetch this certificate.
    pub issued_with_http_aia: u32,
    /// A leaf whose EKUs allow client authentication (Client Auth, either Any Purpose, or no EKU
    /// extension at all).
    pub client_auth: bool,
    /// It is a client-auth leaf or in the chain of one.
    pub in_client_auth_chain: bool,
    /// It is a leaf whose EKU extension names Server Authentication, or in the chain of one.
    pub in_server_auth_chain: bool,
    /// The first CA up its chain whose name constraints its names break, and how.
    pub name_constraints_breach: Option<Box<(CertId, NameConstraintBreach)>>,
    /// The profiles that select, issue, name or describe it.
    /// The NPS EAP method configurations that name it as their server certificate.
    pub nps_methods: Vec<super::id::NpsEapMethodId>,
    pub links: ProfileLinks,
    /// Critical extensions outside [`WINDOWS_KNOWN_EXTENSIONS`].
    pub unknown_critical_extensions: Vec<String>,
    /// The CA above it in its chain whose pathLenConstraint this certificate is the first to
    /// exceed.
    pub path_len_exceeded_by: Option<CertId>,
    /// A CRL of its issuer, correctly signed and current at `--now`, that lists its serial
    /// number.
    pub revoked_by: Option<CrlId>,
}

/// One issuer of a certificate: a certificate whose key checked its signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuerEdge {
    /// The issuing certificate.
    pub issuer: CertId,
    /// `Valid`, or `Unsupported` when the algorithm cannot be checked here.
    pub signature: SignatureCheck,
}

/// Where a certificate's chosen chain ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainEnd {
    /// At a self-signed certificate of the bundle.
    Anchor,
    /// At a certificate whose issuer is not in the bundle.
    IssuerMissing,
    /// At a certificate whose issuer candidates all fail to verify its signature.
    SignatureMismatch,
    /// At a certificate whose issuer search ran out of budget.
    SearchExhausted,
    /// In a cycle of cross-certificates: every issuer of the last certificate is already in
    /// the chain; `back_to` is the one the chain would return to.
    Cycle {
        /// The certificate of the chain the cycle returns to.
        back_to: CertId,
    },
    /// At the depth limit (16 certificates).
    DepthLimit,
}

impl ChainEnd {
    /// The field value.
    pub fn name(self) -> &'static str {
        match self {
            ChainEnd::Anchor => "anchor",
            ChainEnd::IssuerMissing => "issuer-missing",
            ChainEnd::SignatureMismatch => "signature-mismatch",
            ChainEnd::SearchExhausted => "search-exhausted",
            ChainEnd::Cycle { .. } => "cycle",
            ChainEnd::DepthLimit => "depth-limit",
        }
    }
}

/// A certificate store that holds a certificate, as a registry export of the store shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoreMembership {
    /// The store entry's `Blob` value.
    pub location: Location,
    /// The store.
    pub slot: crate::load::cert_store::StoreSlot,
}

/// Links from a certificate to the profiles that name it: written by the profile joins, read
/// by the certificate's fields. It lives here, beside the certificate, so the certificate does
/// not depend on the profile modules (the joins depend on both).
#[derive(Debug, Clone, Default)]
pub struct ProfileLinks {
    /// A leaf no profile names as its server: the profiles that select client certificates by
    /// their CA (issuer hashes, SCEP/PKCS profiles) apply to it. Which ones is a lookup by CA
    /// ([`super::Profiles::selected_by`], [`super::Profiles::issued_under`]), never a list per
    /// certificate: 30,000 profiles of one CA beside 30,000 leaves would be 900 million entries.
    pub client: bool,
    /// Server names that name it (case ignored).
    pub named_by: Vec<ServerNameId>,
    /// Cloud PKI CA exports that describe it.
    pub cloud_cas: Vec<CloudCaId>,
    /// Intune trusted-certificate profiles that deploy it (to any store).
    pub distributed_by: Vec<TrustedRootProfileId>,
}

/// The certificates of the bundle, by id.
pub(crate) type Certificates = IdVec<CertId, Certificate>;

impl Certificate {
    /// The name Windows shows as "Issued To" (`CertGetNameString`, simple display type): the
    /// subject's most specific CN, else OU, else O, else e-mail; for an empty subject the first
    /// SAN DNS name or e-mail address; else the whole subject.
    pub fn display_name(&self) -> &str {
        let d = &self.data;
        d.subject
            .display
            .as_deref()
            .or_else(|| d.san_dns.first().map(String::as_str))
            .or_else(|| d.san_email.first().map(String::as_str))
            .unwrap_or(&d.subject.text)
    }

    /// Whether its EKUs allow `oid` as Windows reads them: no EKU extension means any purpose.
    pub fn allows_eku(&self, oid: &str) -> bool {
        allows_eku(&self.data, oid)
    }

    /// Its EKUs allow server authentication (Server Auth, Any Purpose, or no EKU extension).
    pub fn server_auth(&self) -> bool {
        self.allows_eku(EKU_SERVER_AUTH)
    }

    /// Its EKUs allow client authentication (Client Auth, Any Purpose, or no EKU extension),
    /// whatever its role: on a CA, an EKU extension restricts what its chain may be used for.
    pub fn allows_client_auth(&self) -> bool {
        self.allows_eku(EKU_CLIENT_AUTH)
    }

    /// Its EKU extension names Server Authentication explicitly (a server certificate, not an
    /// any-purpose one).
    pub fn names_server_auth(&self) -> bool {
        names_server_auth(&self.data)
    }

    /// Its key may sign CRLs: no keyUsage extension, or one with cRLSign (RFC 5280 §4.2.1.3).
    pub fn may_sign_crls(&self) -> bool {
        self.data
            .key_usage
            .is_none_or(|bits| bits & crate::load::x509::KEY_USAGE_CRL_SIGN != 0)
    }

    /// Valid at `at`: notBefore ≤ at ≤ notAfter.
    pub fn valid_at(&self, at: i64) -> bool {
        self.data.not_before <= at && at <= self.data.not_after
    }

    /// Its validity lies inside `issuer`'s (the chain is time-nested at this link).
    pub fn nested_in(&self, issuer: &Certificate) -> bool {
        issuer.data.not_before <= self.data.not_before
            && self.data.not_after <= issuer.data.not_after
    }

    /// Windows accepts it as the issuer of another certificate: basicConstraints cA=TRUE, or a
    /// version 1 self-signed certificate (which has no extensions; RFC 5280 §6.1 takes trust
    /// anchor information as given).
    pub fn may_issue(&self) -> bool {
        match self.data.basic_constraints {
            Some((ca, _)) => ca,
            None => self.data.version == 1 && self.self_signed,
        }
    }

    /// The same CA as `other`: same subject and same public key (a cross-certificate or a
    /// same-key renewal of it). A path whose issuers meet a CA twice is a loop, whichever of its
    /// certificates they meet (RFC 4158 detects loops by name and key).
    pub fn same_ca(&self, other: &Certificate) -> bool {
        self.data.subject.der == other.data.subject.der && self.public_key() == other.public_key()
    }

    /// The DER of its SubjectPublicKeyInfo.
    pub fn public_key(&self) -> &[u8] {
        self.data
            .der
            .get(self.data.spki.clone())
            .unwrap_or_default()
    }

    /// Records its chosen chain (itself first) and how it ends; the issuer is the chain's
    /// second certificate.
    pub(crate) fn set_chain(&mut self, chain: Vec<CertId>, end: ChainEnd) {
        self.issuer = chain.get(1).copied();
        self.issuer_signature = self.issuer.and_then(|j| {
            self.issuer_edges
                .iter()
                .find(|e| e.issuer == j)
                .map(|e| e.signature)
        });
        self.chain = chain;
        self.chain_complete = end == ChainEnd::Anchor;
        self.chain_end = end;
    }

    /// Whole days from `now` to notAfter (negative once expired).
    pub fn days_until_expiry(&self, now: i64) -> i64 {
        self.data.not_after.saturating_sub(now).div_euclid(86_400)
    }

    /// Its notAfter is later than its issuer's; `None` without an issuer in the bundle.
    pub fn outlives_issuer(&self, certs: &Certificates) -> Option<bool> {
        let issuer = certs.get(self.issuer?)?;
        Some(self.data.not_after > issuer.data.not_after)
    }

    /// A short text view of the certificate for reports on binary files.
    pub fn summary(&self) -> String {
        let time = crate::clock::format_rfc3339;
        format!(
            "subject:    {}\nissuer:     {}\nthumbprint: {} (SHA-1)\nserial:     {}\nvalid:      {} to {}\nrole:       {}\n",
            self.data.subject.text,
            self.data.issuer.text,
            self.data.sha1,
            self.data.serial,
            time(self.data.not_before),
            time(self.data.not_after),
            self.role.name(),
        )
    }
}

impl Fact for Certificate {
    fn kind_name(&self) -> &'static str {
        "certificate"
    }
    fn identity(&self) -> String {
        format!("certificate sha256:{}", self.data.sha256)
    }
    fn display_name(&self) -> String {
        Certificate::display_name(self).to_owned()
    }
    fn location(&self) -> Option<Location> {
        Some(self.data.location.clone())
    }
    fn summary(&self) -> Option<String> {
        Some(Certificate::summary(self))
    }
    fn also_seen(&self) -> &[Location] {
        self.seen.get(1..).unwrap_or_default()
    }
}

/// [`Certificate::allows_eku`] of certificate data read before any join (the leaf stream
/// predicts its shares from it).
pub(crate) fn allows_eku(d: &CertificateData, oid: &str) -> bool {
    match &d.extended_key_usage {
        None => true,
        Some(ekus) => ekus
            .iter()
            .any(|e| e == oid || e == EKU_ANY || e == EKU_MS_ANY_PURPOSE),
    }
}

/// [`Certificate::names_server_auth`] of certificate data read before any join.
pub(crate) fn names_server_auth(d: &CertificateData) -> bool {
    d.extended_key_usage
        .as_ref()
        .is_some_and(|ekus| ekus.iter().any(|e| e == EKU_SERVER_AUTH))
}
