//! VPN/EAP and Intune profiles joined to the certificates of the bundle: the roots a profile
//! pins, the issuers its certificate filter names, the servers it expects, the root a SCEP
//! profile deploys and the CA that issues under it, the Cloud PKI CA behind a certificate.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::digest;
use crate::load::eap::{EapConfigData, Filtering, Thumbprint};
use crate::load::{CertificateProfileData, CloudCaData, TrustedRootProfileData, VpnProfileData};
use crate::location::Location;

use super::fact::Fact;

use super::certificate::{Certificate, EKU_ANY, EKU_CLIENT_AUTH, EKU_MS_ANY_PURPOSE, Role};

/// A VPN profile (ProfileXML or Intune VPN configuration).
#[derive(Debug, Clone)]
pub struct VpnProfile {
    /// What the file says.
    pub data: VpnProfileData,
    /// Index of its EAP configuration in `Bundle::eap_configs`.
    pub eap: Option<usize>,
    /// Identity by content (source, name, servers, protocol): stable when the file moves.
    pub content_id: String,
}

/// An EAP configuration: standalone, or the one of a VPN profile.
#[derive(Debug, Clone)]
pub struct EapConfig {
    /// What the file says.
    pub data: EapConfigData,
    /// Index of the VPN profile that holds it.
    pub profile: Option<usize>,
    /// Where it came from: `ProfileXML`, `Intune` or `EAP XML`.
    pub source: &'static str,
    /// Identity by content (methods, pinned thumbprints, server names), hashed: stable when
    /// the file moves.
    pub content_id: String,
    /// The leaf certificates of the bundle its EAP-TLS certificate filter would offer (see
    /// [`passes_filter`]); server certificates the profiles name are left out.
    pub selected: Vec<usize>,
}

/// Which list of an EAP configuration a thumbprint is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinKind {
    /// `ServerValidation/TrustedRootCA`: a root the client accepts for the server.
    TrustedRoot,
    /// `FilteringInfo/CAHashList/IssuerHash`: a CA a client certificate must chain to.
    IssuerHash,
}

/// One thumbprint of an EAP configuration, resolved against the bundle.
#[derive(Debug, Clone)]
pub struct PinnedThumbprint {
    /// The list it is in.
    pub kind: PinKind,
    /// As written, normalised, and where (the first place, when PEAP repeats it inside).
    pub thumbprint: Thumbprint,
    /// Other places in the same configuration with the same thumbprint.
    pub also: Vec<Location>,
    /// Index of the EAP configuration.
    pub config: usize,
    /// The configuration's `content_id`.
    pub owner_id: String,
    /// The certificate with that SHA-1 thumbprint.
    pub certificate: Option<usize>,
    /// For an issuer hash: the `CAHashList` is enabled, so the filter applies.
    pub filter_enabled: bool,
}

/// Where a server name is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerNameKind {
    /// `ServerValidation/ServerNames` of an EAP configuration: the NPS (RADIUS) server.
    Eap,
    /// `Servers` of a VPN profile: the VPN gateway.
    Vpn,
}

/// One server name a profile expects, matched to the certificates of the bundle.
#[derive(Debug, Clone)]
pub struct ServerName {
    /// EAP or VPN.
    pub kind: ServerNameKind,
    /// As written.
    pub name: String,
    /// Where.
    pub location: Location,
    /// Index of the EAP configuration (EAP) or VPN profile (VPN).
    pub owner: usize,
    /// `eap config <id>` or `vpn profile <id>`: the owner's identity.
    pub owner_id: String,
    /// A leaf certificate whose subject CN or SAN DNS name matches exactly.
    pub certificate: Option<usize>,
    /// A leaf certificate that matches only when case is ignored (and none matches exactly).
    pub case_only_certificate: Option<usize>,
}

/// An Intune trusted-certificate profile with its certificate.
#[derive(Debug, Clone)]
pub struct TrustedRootProfile {
    /// What the export says.
    pub data: TrustedRootProfileData,
    /// Index of its certificate.
    pub certificate: Option<usize>,
}

/// An Intune SCEP or PKCS profile, with its root and issuing CAs.
#[derive(Debug, Clone)]
pub struct CertificateProfile {
    /// What the export says.
    pub data: CertificateProfileData,
    /// Index of the trusted-root profile its reference names.
    pub root_profile: Option<usize>,
    /// Index of the root certificate it deploys (through the trusted-root profile, or the
    /// expanded `rootCertificate`).
    pub root_certificate: Option<usize>,
    /// The CAs that issue under it: the Cloud PKI CA whose SCEP URL the profile uses, else the
    /// CA named by a PKCS profile, else the CA certificates below its root (the root itself when
    /// it has none).
    pub issuing_cas: Vec<usize>,
}

/// A Microsoft Cloud PKI CA with its certificate.
#[derive(Debug, Clone)]
pub struct CloudCa {
    /// What the export says.
    pub data: CloudCaData,
    /// Index of the certificate whose SHA-1 thumbprint it names.
    pub certificate: Option<usize>,
}

/// Links from a certificate to the profiles that name it.
#[derive(Debug, Clone, Default)]
pub struct ProfileLinks {
    /// Issuer hashes (enabled filters) of CAs in its chain: the profiles that would select it.
    pub selected_by: Vec<usize>,
    /// Certificate profiles whose issuing CA issued it.
    pub issued_under: Vec<usize>,
    /// Server names that name it (case ignored).
    pub named_by: Vec<usize>,
    /// Cloud PKI CA exports that describe it.
    pub cloud_cas: Vec<usize>,
}

/// Every profile of the bundle, joined.
#[derive(Debug, Default)]
pub struct Profiles {
    /// VPN profiles, in path order.
    pub vpn_profiles: Vec<VpnProfile>,
    /// EAP configurations (of VPN profiles and standalone), in path order.
    pub eap_configs: Vec<EapConfig>,
    /// Thumbprints pinned by EAP configurations.
    pub pins: Vec<PinnedThumbprint>,
    /// Server names expected by profiles.
    pub server_names: Vec<ServerName>,
    /// Intune trusted-certificate profiles.
    pub trusted_root_profiles: Vec<TrustedRootProfile>,
    /// Intune SCEP and PKCS profiles.
    pub certificate_profiles: Vec<CertificateProfile>,
    /// Cloud PKI CAs.
    pub cloud_cas: Vec<CloudCa>,
}

/// Profiles as loaded, before they are joined.
#[derive(Debug, Default)]
pub struct LoadedProfiles {
    /// VPN profiles.
    pub vpn: Vec<VpnProfileData>,
    /// Standalone EAP configurations.
    pub eap: Vec<EapConfigData>,
    /// Trusted-root profiles.
    pub trusted_roots: Vec<TrustedRootProfileData>,
    /// SCEP/PKCS profiles.
    pub certificate_profiles: Vec<CertificateProfileData>,
    /// Cloud PKI CAs.
    pub cloud_cas: Vec<CloudCaData>,
}

impl Profiles {
    /// Joins the loaded profiles to `certs` (sorted by SHA-256, as [`super::Bundle`] keeps them)
    /// and records on each certificate what names it.
    pub fn build(loaded: LoadedProfiles, certs: &mut [Certificate]) -> Profiles {
        // Few profiles name few certificates: the SHA-1 index is built on the first lookup
        // (most scans have none), as contiguous (prefix, index) pairs, and `certs` is already
        // sorted by SHA-256. Hash maps of every certificate cost more than all the lookups.
        let sha1_index: OnceCell<Vec<(u128, usize)>> = OnceCell::new();
        let by_sha1 = |key: &str| -> Option<usize> {
            let index = sha1_index.get_or_init(|| {
                let mut index: Vec<(u128, usize)> = certs
                    .par_iter()
                    .enumerate()
                    .map(|(i, c)| (digest::prefix(&c.data.sha1), i))
                    .collect();
                index.par_sort_unstable();
                index
            });
            let p = digest::prefix(key);
            let start = index.partition_point(|e| e.0 < p);
            index
                .get(start..)?
                .iter()
                .take_while(|e| e.0 == p)
                .map(|e| e.1)
                .find(|&i| certs.get(i).is_some_and(|c| c.data.sha1 == key))
        };
        let by_sha256 = |key: &str| -> Option<usize> {
            certs
                .binary_search_by(|c| c.data.sha256.as_str().cmp(key))
                .ok()
        };
        let mut p = Profiles::default();

        for mut data in loaded.vpn {
            let eap = data.eap.take().map(|e| {
                p.eap_configs.push(EapConfig {
                    content_id: eap_content_id(&e),
                    selected: Vec::new(),
                    data: e,
                    profile: Some(p.vpn_profiles.len()),
                    source: data.source,
                });
                p.eap_configs.len().saturating_sub(1)
            });
            p.vpn_profiles.push(VpnProfile {
                content_id: vpn_content_id(&data),
                data,
                eap,
            });
        }
        for e in loaded.eap {
            p.eap_configs.push(EapConfig {
                content_id: eap_content_id(&e),
                selected: Vec::new(),
                data: e,
                profile: None,
                source: "EAP XML",
            });
        }
        for (ci, config) in p.eap_configs.iter().enumerate() {
            let mut seen: BTreeMap<(u8, String), usize> = BTreeMap::new();
            let filter_enabled = config
                .data
                .tls()
                .and_then(|l| l.filtering.as_ref())
                .is_some_and(|f| f.ca_hash_list_enabled);
            let roots = config
                .data
                .layers
                .iter()
                .flat_map(|l| l.trusted_roots.iter().map(|t| (PinKind::TrustedRoot, t)));
            let hashes = config
                .data
                .layers
                .iter()
                .filter_map(|l| l.filtering.as_ref())
                .flat_map(|f| f.issuer_hashes.iter().map(|t| (PinKind::IssuerHash, t)));
            for (kind, t) in roots.chain(hashes) {
                let key = (
                    u8::from(kind == PinKind::IssuerHash),
                    t.hex.clone().unwrap_or_else(|| t.raw.clone()),
                );
                if let Some(&k) = seen.get(&key) {
                    if let Some(pin) = p.pins.get_mut(k) {
                        pin.also.push(t.location.clone());
                    }
                    continue;
                }
                seen.insert(key, p.pins.len());
                p.pins.push(PinnedThumbprint {
                    kind,
                    thumbprint: t.clone(),
                    also: Vec::new(),
                    config: ci,
                    owner_id: config.content_id.clone(),
                    certificate: t.hex.as_deref().and_then(&by_sha1),
                    filter_enabled: kind == PinKind::IssuerHash && filter_enabled,
                });
            }
            let mut names_seen: Vec<&str> = Vec::new();
            for n in config.data.layers.iter().flat_map(|l| &l.server_names) {
                // PEAP repeats the outer names inside; one entity per name.
                if names_seen.contains(&n.value.as_str()) {
                    continue;
                }
                names_seen.push(&n.value);
                p.server_names.push(server_name(
                    ServerNameKind::Eap,
                    &n.value,
                    &n.location,
                    (ci, format!("eap config {}", config.content_id)),
                    certs,
                ));
            }
        }
        for (vi, v) in p.vpn_profiles.iter().enumerate() {
            for s in &v.data.servers {
                if p.server_names
                    .iter()
                    .any(|n| n.kind == ServerNameKind::Vpn && n.owner == vi && n.name == s.value)
                {
                    continue;
                }
                p.server_names.push(server_name(
                    ServerNameKind::Vpn,
                    &s.value,
                    &s.location,
                    (vi, format!("vpn profile {}", v.content_id)),
                    certs,
                ));
            }
        }

        for data in loaded.trusted_roots {
            let certificate = data.certificate_sha256.as_deref().and_then(&by_sha256);
            // An expanded rootCertificate and a separate export of the same profile are one.
            let duplicate = p.trusted_root_profiles.iter().any(|t| {
                t.data.id.is_some() && t.data.id == data.id && t.certificate == certificate
            });
            if !duplicate {
                p.trusted_root_profiles
                    .push(TrustedRootProfile { data, certificate });
            }
        }
        for data in loaded.cloud_cas {
            let certificate = data.thumbprint.as_deref().and_then(&by_sha1);
            p.cloud_cas.push(CloudCa { data, certificate });
        }
        for data in loaded.certificate_profiles {
            let root_profile = data.root.as_ref().and_then(|r| {
                p.trusted_root_profiles.iter().position(|t| {
                    (r.id.is_some() && t.data.id == r.id)
                        || (r.certificate_sha256.is_some()
                            && t.data.certificate_sha256 == r.certificate_sha256)
                })
            });
            let root_certificate = root_profile
                .and_then(|k| p.trusted_root_profiles.get(k))
                .and_then(|t| t.certificate)
                .or_else(|| {
                    data.root
                        .as_ref()
                        .and_then(|r| r.certificate_sha256.as_deref())
                        .and_then(&by_sha256)
                });
            let issuing_cas = issuing_cas(&data, root_certificate, &p.cloud_cas, certs);
            p.certificate_profiles.push(CertificateProfile {
                data,
                root_profile,
                root_certificate,
                issuing_cas,
            });
        }

        p.link(certs);
        p.select(certs);
        p
    }

    /// Records, for each EAP configuration, the client certificates its filter would offer.
    fn select(&mut self, certs: &[Certificate]) {
        for (ci, config) in self.eap_configs.iter_mut().enumerate() {
            let issuer_cas: Vec<usize> = self
                .pins
                .iter()
                .filter(|p| p.config == ci && p.kind == PinKind::IssuerHash && p.filter_enabled)
                .filter_map(|p| p.certificate)
                .collect();
            let filter = config.data.tls().and_then(|l| l.filtering.as_ref());
            config.selected = certs
                .iter()
                .enumerate()
                .filter(|(_, c)| c.role == Role::Leaf && c.links.named_by.is_empty())
                .filter(|(_, c)| passes_filter(c, filter, &issuer_cas))
                .map(|(i, _)| i)
                .collect();
        }
    }

    /// Records on each certificate the profiles that select it, issue it, name it or describe it.
    fn link(&self, certs: &mut [Certificate]) {
        let mut links: Vec<ProfileLinks> = vec![ProfileLinks::default(); certs.len()];
        for (k, pin) in self.pins.iter().enumerate() {
            let (PinKind::IssuerHash, true, Some(ca)) =
                (pin.kind, pin.filter_enabled, pin.certificate)
            else {
                continue;
            };
            for (i, c) in certs.iter().enumerate() {
                // The filter matches a certificate with the CA anywhere above it in its chain.
                if c.role == Role::Leaf
                    && c.chain.iter().skip(1).any(|&j| j == ca)
                    && let Some(l) = links.get_mut(i)
                {
                    l.selected_by.push(k);
                }
            }
        }
        for (k, profile) in self.certificate_profiles.iter().enumerate() {
            for (i, c) in certs.iter().enumerate() {
                if c.role == Role::Leaf
                    && c.issuer.is_some_and(|j| profile.issuing_cas.contains(&j))
                    && let Some(l) = links.get_mut(i)
                {
                    l.issued_under.push(k);
                }
            }
        }
        for (k, n) in self.server_names.iter().enumerate() {
            if let Some(i) = n.certificate.or(n.case_only_certificate)
                && let Some(l) = links.get_mut(i)
            {
                l.named_by.push(k);
            }
        }
        for (k, ca) in self.cloud_cas.iter().enumerate() {
            if let Some(i) = ca.certificate
                && let Some(l) = links.get_mut(i)
            {
                l.cloud_cas.push(k);
            }
        }
        for (c, mut l) in certs.iter_mut().zip(links) {
            // A certificate a profile names as its server is that server's certificate, not
            // one a client holds, though the same CA issued it.
            if !l.named_by.is_empty() {
                l.selected_by.clear();
                l.issued_under.clear();
            }
            c.links = l;
        }
    }
}

/// Whether EAP-TLS would offer `c` under `filter` (Microsoft's EAP configuration docs): with
/// `CAHashList` enabled, one of `issuer_cas` must be above it in its chain; then Client
/// Authentication plus every `EKUMapInList` OID, or Any Purpose when `AnyPurposeEKUList` is
/// enabled, or no EKU extension when `AllPurposeEnabled`. Without a filter, the default:
/// Client Authentication, Any Purpose or no EKU extension.
pub fn passes_filter(c: &Certificate, filter: Option<&Filtering>, issuer_cas: &[usize]) -> bool {
    let Some(f) = filter else {
        return c.client_auth;
    };
    if f.ca_hash_list_enabled && !c.chain.iter().skip(1).any(|j| issuer_cas.contains(j)) {
        return false;
    }
    let ekus = c.data.extended_key_usage.as_deref();
    let has = |oid: &str| ekus.is_some_and(|e| e.iter().any(|x| x == oid));
    let client = has(EKU_CLIENT_AUTH) && f.required_ekus.iter().all(|oid| has(oid));
    let any = f.any_purpose_enabled && (has(EKU_ANY) || has(EKU_MS_ANY_PURPOSE));
    let all = f.all_purpose_enabled && ekus.is_none();
    client || any || all
}

/// The CAs that issue under a certificate profile (see [`CertificateProfile::issuing_cas`]).
fn issuing_cas(
    data: &CertificateProfileData,
    root: Option<usize>,
    cloud_cas: &[CloudCa],
    certs: &[Certificate],
) -> Vec<usize> {
    let by_scep_url: Vec<usize> = cloud_cas
        .iter()
        .filter(|ca| {
            ca.data.scep_server_url.as_ref().is_some_and(|u| {
                data.scep_server_urls
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(u))
            })
        })
        .filter_map(|ca| ca.certificate)
        .collect();
    if !by_scep_url.is_empty() {
        return by_scep_url;
    }
    if let Some(name) = data.certification_authority.as_deref().map(|n| {
        // PKCS: "ca01.contoso.com\Contoso Issuing CA" names the CA after the backslash.
        n.rsplit('\\').next().unwrap_or(n).to_owned()
    }) {
        let named: Vec<usize> = certs
            .iter()
            .enumerate()
            .filter(|(_, c)| c.role != Role::Leaf && c.display_name().eq_ignore_ascii_case(&name))
            .map(|(i, _)| i)
            .collect();
        if !named.is_empty() {
            return named;
        }
    }
    let Some(root) = root else {
        return Vec::new();
    };
    let below: Vec<usize> = certs
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != root && c.role == Role::IntermediateCa && c.chain.contains(&root))
        .map(|(i, _)| i)
        .collect();
    if below.is_empty() { vec![root] } else { below }
}

/// A server name matched against the leaf certificates' subject CN and SAN DNS names. Windows
/// reads a `ServerNames` entry with `*`, `\`, `^`, `$`, `(`, `[`, `|`, `+` or `?` as a regular
/// expression (`.*\.contoso\.com`); other entries compare as text.
fn server_name(
    kind: ServerNameKind,
    name: &str,
    location: &Location,
    (owner, owner_id): (usize, String),
    certs: &[Certificate],
) -> ServerName {
    let matcher = NameMatcher::new(name);
    let mut exact = None;
    let mut folded = None;
    for (i, c) in certs.iter().enumerate() {
        if c.role != Role::Leaf {
            continue;
        }
        let names = c
            .data
            .subject
            .common_name
            .iter()
            .chain(c.data.san_dns.iter());
        for n in names {
            if exact.is_none() && matcher.matches(n, true) {
                exact = Some(i);
            }
            if folded.is_none() && matcher.matches(n, false) {
                folded = Some(i);
            }
        }
    }
    ServerName {
        kind,
        name: name.to_owned(),
        location: location.clone(),
        owner,
        owner_id,
        certificate: exact,
        case_only_certificate: if exact.is_some() { None } else { folded },
    }
}

enum NameMatcher {
    Text(String),
    Pattern {
        exact: Option<regex::Regex>,
        folded: Option<regex::Regex>,
    },
}

impl NameMatcher {
    fn new(name: &str) -> NameMatcher {
        if name.contains(['*', '\\', '^', '$', '(', '[', '|', '+', '?']) {
            let anchored = format!("^(?:{name})$");
            let build = |fold: bool| {
                regex::RegexBuilder::new(&anchored)
                    .case_insensitive(fold)
                    .size_limit(1 << 16)
                    .build()
                    .ok()
            };
            NameMatcher::Pattern {
                exact: build(false),
                folded: build(true),
            }
        } else {
            NameMatcher::Text(name.to_owned())
        }
    }

    fn matches(&self, candidate: &str, case_sensitive: bool) -> bool {
        match self {
            NameMatcher::Text(t) if case_sensitive => t == candidate,
            NameMatcher::Text(t) => t.eq_ignore_ascii_case(candidate),
            NameMatcher::Pattern { exact, folded } => {
                let re = if case_sensitive { exact } else { folded };
                re.as_ref().is_some_and(|r| r.is_match(candidate))
            }
        }
    }
}

/// A VPN profile by content: source, name, servers and protocol.
fn vpn_content_id(v: &VpnProfileData) -> String {
    let servers: Vec<&str> = v.servers.iter().map(|s| s.value.as_str()).collect();
    format!(
        "{}|{}|{}|{}",
        v.source,
        v.name.as_deref().unwrap_or(""),
        servers.join(","),
        v.protocol.as_ref().map_or("", |p| p.value.as_str())
    )
}

/// An EAP configuration by content: methods, pinned thumbprints and server names, hashed to 16
/// hex digits.
fn eap_content_id(e: &EapConfigData) -> String {
    let mut canon = format!("{:?}", e.method);
    for l in &e.layers {
        canon.push_str(&format!("|{:?}", l.method));
        let hashes = l.filtering.iter().flat_map(|f| &f.issuer_hashes);
        for (tag, t) in l
            .trusted_roots
            .iter()
            .map(|t| ("r", t))
            .chain(hashes.map(|t| ("i", t)))
        {
            canon.push_str(&format!(",{tag}:{}", t.hex.as_deref().unwrap_or(&t.raw)));
        }
        for n in &l.server_names {
            canon.push_str(&format!(",n:{}", n.value));
        }
    }
    let hash = crate::digest::sha256_hex(canon.as_bytes());
    hash.get(..16).unwrap_or(&hash).to_owned()
}

impl CertificateProfile {
    /// The issuing CA that expires first: the one that limits what the profile issues.
    pub fn first_expiring_ca(&self, certs: &[Certificate]) -> Option<usize> {
        self.issuing_cas
            .iter()
            .copied()
            .filter_map(|i| certs.get(i).map(|c| (c.data.not_after, i)))
            .min()
            .map(|(_, i)| i)
    }

    /// Whole days from `now` until [`Self::first_expiring_ca`] expires; `None` without one.
    pub fn issuing_ca_remaining_days(&self, certs: &[Certificate], now: i64) -> Option<i64> {
        let ca = certs.get(self.first_expiring_ca(certs)?)?;
        Some(ca.data.not_after.saturating_sub(now).div_euclid(86_400))
    }

    /// The validity the profile asks for is longer than its issuing CA has left: Windows then
    /// gets a certificate cut short at the CA's expiry. `None` when either is unknown.
    pub fn validity_exceeds_ca(&self, certs: &[Certificate], now: i64) -> Option<bool> {
        let validity = self.data.validity_days.as_ref()?;
        Some(validity.value > self.issuing_ca_remaining_days(certs, now)?)
    }
}

impl VpnProfile {
    /// The profile name, else its first server, else its file: what messages call it.
    pub fn display_name(&self) -> String {
        self.data
            .name
            .clone()
            .or_else(|| self.data.servers.first().map(|s| s.value.clone()))
            .unwrap_or_else(|| self.data.location.path.to_string())
    }
}

impl Fact for VpnProfile {
    fn kind_name(&self) -> &'static str {
        "VPN profile"
    }
    fn identity(&self) -> String {
        format!("vpn profile {}", self.content_id)
    }
    fn display_name(&self) -> String {
        VpnProfile::display_name(self)
    }
    fn location(&self) -> Option<Location> {
        Some(self.data.location.clone())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}

impl Fact for EapConfig {
    fn kind_name(&self) -> &'static str {
        "EAP configuration"
    }
    fn identity(&self) -> String {
        format!("eap config {}", self.content_id)
    }
    fn display_name(&self) -> String {
        self.data.location.path.to_string()
    }
    fn location(&self) -> Option<Location> {
        Some(self.data.location.clone())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}

impl Fact for PinnedThumbprint {
    fn kind_name(&self) -> &'static str {
        "EAP thumbprint"
    }
    fn identity(&self) -> String {
        format!(
            "eap thumbprint {} in eap config {}",
            self.thumbprint
                .hex
                .as_deref()
                .unwrap_or(&self.thumbprint.raw),
            self.owner_id
        )
    }
    fn display_name(&self) -> String {
        self.thumbprint.raw.clone()
    }
    fn location(&self) -> Option<Location> {
        Some(self.thumbprint.location.clone())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &self.also
    }
}

impl Fact for ServerName {
    fn kind_name(&self) -> &'static str {
        "server name"
    }
    fn identity(&self) -> String {
        format!("server name {} in {}", self.name, self.owner_id)
    }
    fn display_name(&self) -> String {
        self.name.clone()
    }
    fn location(&self) -> Option<Location> {
        Some(self.location.clone())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}

impl Fact for TrustedRootProfile {
    fn kind_name(&self) -> &'static str {
        "trusted-root profile"
    }
    fn identity(&self) -> String {
        format!(
            "intune trusted root {}",
            self.data
                .id
                .as_deref()
                .or(self.data.certificate_sha256.as_deref())
                .unwrap_or(&self.data.location.path)
        )
    }
    fn display_name(&self) -> String {
        self.data.name.clone().unwrap_or_default()
    }
    fn location(&self) -> Option<Location> {
        Some(self.data.location.clone())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}

impl Fact for CertificateProfile {
    fn kind_name(&self) -> &'static str {
        "certificate profile"
    }
    fn identity(&self) -> String {
        format!(
            "intune {} profile {}",
            self.data.kind,
            self.data
                .id
                .as_deref()
                .or(self.data.name.as_deref())
                .unwrap_or(&self.data.location.path)
        )
    }
    fn display_name(&self) -> String {
        self.data.name.clone().unwrap_or_default()
    }
    fn location(&self) -> Option<Location> {
        Some(self.data.location.clone())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}

impl Fact for CloudCa {
    fn kind_name(&self) -> &'static str {
        "Cloud PKI CA"
    }
    fn identity(&self) -> String {
        format!(
            "cloud pki ca {}",
            self.data
                .id
                .as_deref()
                .or(self.data.thumbprint.as_deref())
                .unwrap_or(&self.data.location.path)
        )
    }
    fn display_name(&self) -> String {
        self.data.name.clone().unwrap_or_default()
    }
    fn location(&self) -> Option<Location> {
        Some(self.data.location.clone())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}
