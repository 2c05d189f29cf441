//! EAP configurations (of a VPN profile, or standalone EAP XML): the entity of the `eap_config`
//! scope, and the join that finds the client certificates its EAP-TLS filter would offer.

use std::collections::BTreeMap;

use crate::load::TrustedRootProfileData;
use crate::load::eap::{ConsumerKind, EapConfigData, Filtering};
use crate::location::Location;

use super::certificate::{Certificate, EKU_ANY, EKU_CLIENT_AUTH, EKU_MS_ANY_PURPOSE, Role};
use super::eap_thumbprint::PinKind;
use super::fact::Fact;
use super::id::{CertId, CertificateProfileId, EapConfigId, Id, IdVec, PinId, VpnProfileId};
use super::profile::Profiles;
use super::vpn_profile::VpnProfiles;

/// An EAP configuration: standalone, or the one of a VPN profile.
#[derive(Debug, Clone)]
pub struct EapConfig {
    /// What the file says.
    pub data: EapConfigData,
    /// The VPN profile that holds it.
    pub profile: Option<VpnProfileId>,
    /// Where it came from: `ProfileXML`, `Intune` or `EAP XML`.
    pub source: &'static str,
    /// Identity by content (methods, pinned thumbprints, server names), hashed: stable when
    /// the file moves.
    pub content_id: String,
    /// Its `TrustedRootCA` and `IssuerHash` thumbprints.
    pub pins: Vec<PinId>,
    /// The leaf certificates of the bundle its EAP-TLS certificate filter would offer (see
    /// [`passes_filter`]); server certificates the profiles name are left out.
    pub selected: Vec<CertId>,
    /// The Intune SCEP/PKCS profile its settings name for the client certificate, when that
    /// profile is in the bundle.
    pub identity_profile: Option<CertificateProfileId>,
    /// What it makes of the server certificates the bundle's NPS policies present.
    pub nps: super::nps::ConfigAnswers,
}

/// The EAP configurations of the bundle, by id.
pub(crate) type EapConfigs = IdVec<EapConfigId, EapConfig>;

impl EapConfig {
    /// What uses it: the VPN profile that holds it, else the Wi-Fi or wired profile around it;
    /// `None` for a standalone EAP XML file.
    pub fn consumer_kind(&self) -> Option<ConsumerKind> {
        if self.profile.is_some() {
            return Some(ConsumerKind::Vpn);
        }
        self.data.consumer.as_ref().map(|c| c.kind)
    }

    /// How findings name what uses it: `VPN profile 'Contoso AlwaysOn'`, `Wi-Fi profile 'Corp'`,
    /// `wired 802.1X profile`, or `EAP configuration` for a standalone file.
    pub fn consumer_label(&self, vpn_profiles: &VpnProfiles) -> String {
        let (noun, name) = match (
            self.profile.and_then(|id| vpn_profiles.get(id)),
            &self.data.consumer,
        ) {
            (Some(v), _) => (ConsumerKind::Vpn.profile_noun(), Some(v.display_name())),
            (None, Some(c)) => (c.kind.profile_noun(), c.name.clone()),
            (None, None) => return "EAP configuration".to_owned(),
        };
        match name {
            Some(n) => format!("{noun} '{n}'"),
            None => noun.to_owned(),
        }
    }

    /// A configuration read from `source`, held by `profile` when it has one, not yet joined.
    pub fn new(data: EapConfigData, profile: Option<VpnProfileId>, source: &'static str) -> Self {
        EapConfig {
            content_id: content_id(&data),
            data,
            profile,
            source,
            pins: Vec::new(),
            selected: Vec::new(),
            identity_profile: None,
            nps: super::nps::ConfigAnswers::default(),
        }
    }
}

/// Gives every root an export pins by reference (an Intune Wi-Fi profile's
/// `rootCertificatesForServerValidation`) the thumbprint of the trusted-root profile it names,
/// when that profile is in the bundle with its certificate. Of several profiles with the id, the
/// first in path order that carries a certificate.
pub(super) fn resolve_root_references<'a>(
    configs: impl Iterator<Item = &'a mut EapConfigData>,
    trusted_roots: &[TrustedRootProfileData],
) {
    let mut sha1_by_id: BTreeMap<&str, &str> = BTreeMap::new();
    for t in trusted_roots {
        if let (Some(id), Some(sha1)) = (t.id.as_deref(), t.certificate_sha1.as_deref()) {
            sha1_by_id.entry(id).or_insert(sha1);
        }
    }
    for config in configs {
        for t in config
            .layers
            .iter_mut()
            .flat_map(|l| l.trusted_roots.iter_mut())
        {
            if t.hex.is_none()
                && let Some(sha1) = t
                    .profile_reference
                    .as_deref()
                    .and_then(|id| sha1_by_id.get(id))
            {
                t.hex = Some((*sha1).to_owned());
            }
        }
    }
}

/// Adds each standalone EAP configuration to `p`.
pub(super) fn join_standalone(loaded: Vec<EapConfigData>, p: &mut Profiles) {
    for e in loaded {
        let source = e.from_settings.unwrap_or("EAP XML");
        p.eap_configs.push(EapConfig::new(e, None, source));
    }
}

/// Links each configuration whose settings name a certificate profile for the client
/// certificate to that profile. Runs after the certificate profiles are joined.
pub(super) fn link_identity_profiles(p: &mut Profiles) {
    let Profiles {
        eap_configs,
        certificate_profiles,
        ..
    } = p;
    // The first profile of each id, by lookup.
    let mut by_id: BTreeMap<&str, CertificateProfileId> = BTreeMap::new();
    for (cid, c) in certificate_profiles.iter_ids() {
        if let Some(id) = c.data.id.as_deref() {
            by_id.entry(id).or_insert(cid);
        }
    }
    for config in eap_configs.iter_mut() {
        config.identity_profile = config
            .data
            .identity_certificate_profile
            .as_ref()
            .and_then(|id| by_id.get(id.value.as_str()).copied());
    }
}

/// Records, for each EAP configuration, the client certificates its filter would offer. Runs
/// after the thumbprints are joined and the certificates know which server names name them.
pub(super) fn select(p: &mut Profiles, certs: &[Certificate]) {
    let Profiles {
        eap_configs, pins, ..
    } = p;
    for config in eap_configs.iter_mut() {
        let issuer_cas: Vec<CertId> = config
            .pins
            .iter()
            .filter_map(|&id| pins.get(id))
            .filter(|p| p.kind == PinKind::IssuerHash && p.filter_enabled)
            .filter_map(|p| p.certificate)
            .collect();
        let filter = config.data.tls().and_then(|l| l.filtering.as_ref());
        config.selected = certs
            .iter()
            .enumerate()
            // A certificate a profile names as its server, or an NPS policy presents, is a
            // server's: no client filter offers it.
            .filter(|(_, c)| {
                c.role == Role::Leaf && c.links.named_by.is_empty() && c.nps_methods.is_empty()
            })
            .filter(|(_, c)| passes_filter(c, filter, &issuer_cas))
            .map(|(i, _)| CertId::from_index(i))
            .collect();
    }
}

/// Whether EAP-TLS would offer `c` under `filter` (Microsoft's EAP configuration docs): with
/// `CAHashList` enabled, one of `issuer_cas` must be above it in its chain; then Client
/// Authentication plus every `EKUMapInList` OID, or Any Purpose when `AnyPurposeEKUList` is
/// enabled, or no EKU extension when `AllPurposeEnabled`. Without a filter, the default:
/// Client Authentication, Any Purpose or no EKU extension.
pub(crate) fn passes_filter(
    c: &Certificate,
    filter: Option<&Filtering>,
    issuer_cas: &[CertId],
) -> bool {
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

/// An EAP configuration by content: methods, pinned thumbprints and server names, hashed to 16
/// hex digits.
fn content_id(e: &EapConfigData) -> String {
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
