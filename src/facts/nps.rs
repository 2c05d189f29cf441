//! NPS servers as their configuration exports show them: each export (`nps_server`), its
//! network policies (`nps_policy`) and the EAP method configurations of each (`nps_eap_method`),
//! with the server certificate each method presents found among the bundle's certificates —
//! in the host's own `My` store export when the bundle has one. What the client profiles make
//! of those certificates (their pinned roots, their server names) is derived here too, per EAP
//! type, so a profile's question is one look-up.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::load::NpsExportData;
use crate::load::nps_export::{EAP_MSCHAPV2, EAP_TLS, EapMethodData, NetworkPolicyData, PEAP};
use crate::location::Location;

use super::certificate::{Certificates, ChainEnd};
use super::eap_config::EapConfig;
use super::fact::Fact;
use super::host::RegistryHost;
use super::id::{CertId, IdVec, NpsEapMethodId, NpsPolicyId, NpsServerId};
use super::server_name::NameMatcher;
use super::thumbprint_index::ThumbprintIndex;

/// `msNPAuthenticationType2` values (SDK `AUTHENTICATION_TYPE`): MS-CHAPv2 and its
/// password-change variant.
const AUTH_MSCHAPV2: [u32; 2] = [4, 10];

/// One NPS server's exported configuration.
#[derive(Debug, Clone)]
pub struct NpsServer {
    /// What the export says (its policies are in [`Nps::policies`]).
    pub data: NpsExportData,
    /// The host it belongs to, as hosts are named.
    pub host: String,
    /// Its network policies.
    pub policies: Vec<NpsPolicyId>,
    /// Whom each secret that is set belongs to, in document order.
    pub secret_owners: Vec<String>,
}

/// A network policy of an NPS server.
#[derive(Debug, Clone)]
pub struct NpsPolicy {
    /// The server.
    pub server: NpsServerId,
    /// The host's name.
    pub host: String,
    /// What the export says (its EAP method configurations are in [`Nps::methods`]).
    pub data: NetworkPolicyData,
    /// Its EAP method configurations.
    pub methods: Vec<NpsEapMethodId>,
}

/// One EAP method configuration of a network policy, with the certificate it presents.
#[derive(Debug, Clone)]
pub struct NpsEapMethod {
    /// The policy.
    pub policy: NpsPolicyId,
    /// The policy's name, for messages and identity.
    pub policy_name: String,
    /// The host's name.
    pub host: String,
    /// The policy is enabled.
    pub policy_enabled: bool,
    /// What the blob says.
    pub data: EapMethodData,
    /// The certificate of the bundle with the thumbprint the blob names.
    pub certificate: Option<CertId>,
    /// The host's `My` store is in the bundle (a `.reg` export of `SystemCertificates\My`).
    pub host_store_exported: bool,
    /// The certificate is in that store.
    pub in_host_store: bool,
    /// Another certificate of the host's My store with the same subject: the renewal the policy
    /// should present (the latest to expire, when there are several).
    pub renewal: Option<CertId>,
}

impl NpsEapMethod {
    /// The certificate NPS can present: the one in the host's `My` store when that store is
    /// exported, else the one anywhere in the bundle.
    pub fn presented(&self) -> Option<CertId> {
        self.certificate
            .filter(|_| self.in_host_store || !self.host_store_exported)
    }
}

/// The NPS side of the bundle.
#[derive(Debug, Clone, Default)]
pub struct Nps {
    /// One per export, in path order.
    pub servers: IdVec<NpsServerId, NpsServer>,
    /// Every network policy, server by server, in processing order (`msNPSequence`).
    pub policies: IdVec<NpsPolicyId, NpsPolicy>,
    /// Every EAP method configuration, policy by policy.
    pub methods: IdVec<NpsEapMethodId, NpsEapMethod>,
    /// The certificates enabled policies present (or name, when the host cannot present it),
    /// by the EAP type they present them for, with what profiles compare with them.
    presented_by_type: BTreeMap<u32, Presented>,
    /// The EAP types enabled policies offer (`msNPAllowedEapType`).
    allowed_types: BTreeSet<u32>,
}

/// What one client configuration makes of the certificates NPS presents for its EAP type.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConfigAnswers {
    /// A `TrustedRootCA` pin is the root of a presented certificate (or that certificate);
    /// `None` when it cannot be told (see [`pins_server_root`]).
    pub pins_server_root: Option<bool>,
    /// A `ServerNames` entry names a presented certificate; `None` when it cannot be told.
    pub names_server: Option<bool>,
    /// Its `ServerNames` were not compared: the scan's pattern budget had run out.
    pub names_unchecked: bool,
}

impl Nps {
    /// Builds the NPS facts from the exports (in path order), with each server's host and its
    /// certificates found in `certs`.
    pub(crate) fn build(
        exports: Vec<NpsExportData>,
        hosts: &[RegistryHost],
        certs: &mut Certificates,
    ) -> Nps {
        let mut nps = Nps::default();
        let index = ThumbprintIndex::new(certs);
        // One pass each over hosts and store entries, not one per export: the host of each
        // export, and each host's My store (whether exported, and what it holds).
        let mut host_of_export: HashMap<NpsServerId, usize> = HashMap::new();
        let mut host_of_file: HashMap<&str, usize> = HashMap::new();
        for (i, h) in hosts.iter().enumerate() {
            for &e in &h.nps_exports {
                host_of_export.insert(e, i);
            }
            for f in &h.files {
                host_of_file.insert(&f.path, i);
            }
        }
        let mut my_store: HashSet<(usize, CertId)> = HashSet::new();
        let mut my_exported: HashSet<usize> = HashSet::new();
        // Each host's My store by subject, for the renewal of a certificate it no longer holds.
        let mut my_by_subject: HashMap<(usize, &str), Vec<CertId>> = HashMap::new();
        for (id, c) in certs.iter_ids() {
            for m in c.stores.iter().filter(|m| m.slot.store == "MY") {
                if let Some(&h) = host_of_file.get(&*m.location.path) {
                    my_store.insert((h, id));
                    my_exported.insert(h);
                    my_by_subject
                        .entry((h, c.data.subject.text.as_str()))
                        .or_default()
                        .push(id);
                }
            }
        }
        let renewal_of = |host: Option<usize>, named: Option<CertId>| -> Option<CertId> {
            let (h, named) = (host?, named?);
            let subject = certs.get(named)?.data.subject.text.as_str();
            my_by_subject
                .get(&(h, subject))?
                .iter()
                .copied()
                .filter(|&id| id != named)
                .max_by_key(|&id| (certs.get(id).map_or(i64::MIN, |c| c.data.not_after), id))
        };
        for mut data in exports {
            let server_id = nps.servers.next_id();
            let host_index = host_of_export.get(&server_id).copied();
            let host = host_index
                .and_then(|i| hosts.get(i))
                .map_or_else(|| data.location.path.to_string(), |h| h.name.clone());
            let host_store_exported = host_index.is_some_and(|h| my_exported.contains(&h));
            let mut policies = std::mem::take(&mut data.policies);
            // NPS evaluates in `msNPSequence` order; a policy without one goes last, in
            // document order (the sort is stable).
            policies.sort_by_key(|p| p.sequence.unwrap_or(i64::MAX));
            let mut policy_ids = Vec::new();
            for mut policy in policies {
                let policy_id = nps.policies.next_id();
                let blobs = policy
                    .settings
                    .as_mut()
                    .map(|s| std::mem::take(&mut s.eap_methods))
                    .unwrap_or_default();
                let mut method_ids = Vec::new();
                for blob in blobs {
                    let certificate = blob
                        .server_thumbprint
                        .as_deref()
                        .and_then(|t| index.by_sha1(t));
                    let in_host_store = certificate
                        .zip(host_index)
                        .is_some_and(|(id, h)| my_store.contains(&(h, id)));
                    let renewal = if in_host_store {
                        None
                    } else {
                        renewal_of(host_index, certificate)
                    };
                    method_ids.push(nps.methods.push(NpsEapMethod {
                        policy: policy_id,
                        policy_name: policy.name.clone(),
                        host: host.clone(),
                        policy_enabled: policy.enabled,
                        data: blob,
                        certificate,
                        host_store_exported,
                        in_host_store,
                        renewal,
                    }));
                }
                policy_ids.push(nps.policies.push(NpsPolicy {
                    server: server_id,
                    host: host.clone(),
                    data: policy,
                    methods: method_ids,
                }));
            }
            let secret_owners = data
                .secrets
                .iter()
                .filter(|s| s.set)
                .map(|s| s.owner.clone())
                .collect();
            nps.servers.push(NpsServer {
                data,
                host,
                policies: policy_ids,
                secret_owners,
            });
        }
        let mut by_type: BTreeMap<u32, Vec<CertId>> = BTreeMap::new();
        for p in nps.policies.iter().filter(|p| p.data.enabled) {
            nps.allowed_types.extend(p.allowed_eap_types());
            for m in p.methods.iter().filter_map(|&m| nps.methods.get(m)) {
                // What clients will be shown: the certificate the host presents; failing that,
                // the one the policy names (its renewal keeps its issuer and names, so its chain
                // and names still tell which roots and server names the profiles need).
                if let Some(c) = m.presented().or(m.certificate) {
                    by_type.entry(m.data.eap_type).or_default().push(c);
                }
            }
        }
        nps.presented_by_type = by_type
            .into_iter()
            .map(|(t, ids)| (t, Presented::new(ids, certs)))
            .collect();
        for (id, m) in nps.methods.iter_ids() {
            if let Some(c) = m.certificate.and_then(|c| certs.get_mut(c)) {
                c.nps_methods.push(id);
            }
        }
        nps
    }

    /// The certificates enabled policies present for `eap_type`.
    pub fn presented_for(&self, eap_type: u32) -> &[CertId] {
        self.presented_by_type
            .get(&eap_type)
            .map_or(&[], |p| p.certs.as_slice())
    }

    /// Whether any enabled network policy offers `eap_type`; `None` when the bundle has no
    /// enabled network policy with settings (nothing to say).
    pub fn allows(&self, eap_type: u32) -> Option<bool> {
        self.policies
            .iter()
            .any(|p| p.data.enabled && p.data.settings.is_some())
            .then(|| self.allowed_types.contains(&eap_type))
    }
}

impl NpsPolicy {
    /// The EAP types it offers (`msNPAllowedEapType`).
    pub fn allowed_eap_types(&self) -> impl Iterator<Item = u32> + '_ {
        self.data
            .settings
            .iter()
            .flat_map(|s| s.allowed_eap_types.iter().map(|t| t.value))
    }

    /// It offers `eap_type`.
    pub fn offers(&self, eap_type: u32) -> bool {
        self.allowed_eap_types().any(|t| t == eap_type)
    }

    /// Its PEAP configurations' inner methods, when every PEAP blob of it was decoded that far;
    /// `None` when it has no PEAP configuration or one was not.
    pub fn peap_inner_methods(&self, nps: &Nps) -> Option<Vec<u32>> {
        let mut peap = self
            .methods
            .iter()
            .filter_map(|&m| nps.methods.get(m))
            .filter(|m| m.data.eap_type == PEAP)
            .peekable();
        peap.peek()?;
        let mut out = Vec::new();
        for m in peap {
            out.extend(m.data.inner_methods.as_ref()?);
        }
        Some(out)
    }

    /// Clients authenticate with a certificate: it offers EAP-TLS, or PEAP with inner EAP-TLS.
    pub fn certificate_based(&self, nps: &Nps) -> bool {
        self.offers(EAP_TLS)
            || self
                .peap_inner_methods(nps)
                .is_some_and(|m| m.contains(&EAP_TLS))
    }

    /// Where it lets a password in: MS-CHAPv2 as an authentication method, EAP-MSCHAPv2 as an
    /// EAP type, or as PEAP's inner method. Empty when it does not.
    pub fn mschapv2_uses(&self, nps: &Nps) -> Vec<&'static str> {
        let mut uses = Vec::new();
        if self
            .data
            .settings
            .iter()
            .flat_map(|s| &s.auth_types)
            .any(|t| AUTH_MSCHAPV2.contains(&t.value))
        {
            uses.push("MS-CHAPv2 authentication");
        }
        if self.offers(EAP_MSCHAPV2) {
            uses.push("EAP-MSCHAPv2");
        }
        if self
            .peap_inner_methods(nps)
            .is_some_and(|m| m.contains(&EAP_MSCHAPV2))
        {
            uses.push("PEAP with inner EAP-MSCHAPv2");
        }
        uses
    }
}

/// The remote RADIUS servers `host` forwards requests to: the servers of the groups its enabled
/// connection request policies name with `msAuthProviderType` 2 (RADIUS proxy), in document
/// order, each once.
pub(crate) fn forwards_to(bundle: &super::Bundle, host: &RegistryHost) -> Vec<String> {
    const RADIUS_PROXY: u32 = 2;
    let mut out: Vec<String> = Vec::new();
    for server in host
        .nps_exports
        .iter()
        .filter_map(|&id| bundle.nps.servers.get(id))
    {
        let groups = server
            .data
            .request_policies
            .iter()
            .filter(|p| p.enabled)
            .filter_map(|p| p.settings.as_ref())
            .filter(|s| s.provider_type == Some(RADIUS_PROXY))
            .filter_map(|s| s.provider_name.as_deref());
        for group in groups {
            let addresses = server
                .data
                .server_groups
                .iter()
                .filter(|g| g.name == group)
                .flat_map(|g| &g.servers)
                .map(|a| a.value.clone());
            let known = server.data.server_groups.iter().any(|g| g.name == group);
            let addresses: Vec<String> = if known {
                addresses.collect()
            } else {
                // The group is not in the export: name it.
                vec![format!("group '{group}'")]
            };
            for a in addresses {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
    }
    out
}

/// The certificates presented for one EAP type, and what client profiles compare with them:
/// their SHA-1s and their roots' (`TrustedRootCA` pins), and their names (`ServerNames`). Built
/// once, so a profile's question is a few look-ups, not a pass over every presented certificate.
#[derive(Debug, Clone, Default)]
struct Presented {
    /// The certificates, sorted, each once.
    certs: Vec<CertId>,
    /// SHA-1 thumbprints of the certificates and of the roots their chains reach.
    thumbprints: HashSet<String>,
    /// A presented certificate's chain reaches a root of the bundle: a pin that names none of
    /// `thumbprints` is then known to be wrong.
    root_known: bool,
    /// Subject CNs and SAN DNS names, lower case, sorted, each once.
    names: Vec<String>,
}

impl Presented {
    fn new(mut ids: Vec<CertId>, certs: &Certificates) -> Presented {
        ids.sort_unstable();
        ids.dedup();
        let mut p = Presented::default();
        for &id in &ids {
            let Some(c) = certs.get(id) else { continue };
            p.thumbprints.insert(c.data.sha1.clone());
            if matches!(c.chain_end, ChainEnd::Anchor)
                && let Some(root) = c.chain.last().and_then(|&r| certs.get(r))
            {
                p.root_known = true;
                p.thumbprints.insert(root.data.sha1.clone());
            }
            p.names.extend(
                c.data
                    .subject
                    .common_name
                    .iter()
                    .chain(&c.data.san_dns)
                    .map(|n| n.to_ascii_lowercase()),
            );
        }
        p.names.sort_unstable();
        p.names.dedup();
        p.certs = ids;
        p
    }
}

/// Whether a client configuration pins the root of a server certificate NPS presents for its
/// EAP type (or that certificate itself): `None` when it cannot be told — the configuration
/// pins nothing, names a root the bundle cannot resolve, or no presented certificate's chain
/// reaches a root in the bundle.
fn pins_server_root(nps: &Nps, config: &EapConfig) -> Option<bool> {
    let presented = nps.presented_by_type.get(&config.data.method?)?;
    let pins: Vec<&str> = config
        .data
        .layers
        .iter()
        .flat_map(|l| &l.trusted_roots)
        .map(|t| t.hex.as_deref())
        .collect::<Option<_>>()?;
    if pins.is_empty() {
        return None;
    }
    if pins.iter().any(|p| presented.thumbprints.contains(*p)) {
        return Some(true);
    }
    presented.root_known.then_some(false)
}

/// The (regular expression, name) matches the scan may try for `ServerNames`: this many, plus
/// [`PATTERN_MATCHES_PER_ITEM`] per client configuration and per presented name. Each distinct
/// pattern is matched against the presented names once, but thousands of distinct patterns
/// against thousands of NPS certificates would multiply; the budget grows with the input, so
/// the work stays linear. Past it, the patterns not yet tried leave their configurations
/// unanswered, and `eap-server-name-mismatch` says so for each (a note).
pub(crate) const PATTERN_MATCHES_FLOOR: usize = 65_536;
/// See [`PATTERN_MATCHES_FLOOR`].
pub(crate) const PATTERN_MATCHES_PER_ITEM: usize = 64;

/// The answers of every client configuration, in id order: [`pins_server_root`], and whether
/// its `ServerNames` name a presented certificate (see [`names_server`]).
pub(crate) fn answer_configs(nps: &Nps, configs: &mut super::eap_config::EapConfigs) {
    let names: usize = nps.presented_by_type.values().map(|p| p.names.len()).sum();
    let mut budget = PATTERN_MATCHES_FLOOR.saturating_add(
        PATTERN_MATCHES_PER_ITEM.saturating_mul(configs.len().saturating_add(names)),
    );
    // Each distinct (EAP type, pattern) once: most profiles repeat the same few.
    let mut tried: HashMap<(u32, String), bool> = HashMap::new();
    for (_, config) in configs.iter_ids_mut() {
        let pins = pins_server_root(nps, config);
        let names = names_server(nps, config, &mut tried, &mut budget);
        config.nps = ConfigAnswers {
            pins_server_root: pins,
            names_server: names.flatten(),
            names_unchecked: names == Some(None),
        };
    }
}

/// Whether a client configuration's `ServerNames` name a server certificate NPS presents for its
/// EAP type: an entry with a regular expression's characters is matched against the whole
/// subject CN and each SAN DNS name, case ignored (Windows 11 22H2 and later); a plain name is
/// looked up ([`NameMatcher`], as `server_name` reads them). `None`
/// when the configuration names no server or the bundle shows no presented certificate;
/// `Some(None)` when the budget ran out before the answer was known.
fn names_server(
    nps: &Nps,
    config: &EapConfig,
    tried: &mut HashMap<(u32, String), bool>,
    budget: &mut usize,
) -> Option<Option<bool>> {
    let method = config.data.method?;
    let presented = nps.presented_by_type.get(&method)?;
    let entries: Vec<&str> = config
        .data
        .layers
        .iter()
        .flat_map(|l| &l.server_names)
        .map(|n| n.value.as_str())
        .collect();
    if presented.certs.is_empty() || entries.is_empty() {
        return None;
    }
    for entry in entries {
        let matched = if let Some(&m) = tried.get(&(method, entry.to_owned())) {
            m
        } else {
            let m = match NameMatcher::new(entry) {
                NameMatcher::Text(t) => presented
                    .names
                    .binary_search(&t.to_ascii_lowercase())
                    .is_ok(),
                matcher => {
                    let Some(left) = budget.checked_sub(presented.names.len()) else {
                        return Some(None);
                    };
                    *budget = left;
                    presented.names.iter().any(|n| matcher.matches(n, false))
                }
            };
            tried.insert((method, entry.to_owned()), m);
            m
        };
        if matched {
            return Some(Some(true));
        }
    }
    Some(Some(false))
}

impl Fact for NpsServer {
    fn kind_name(&self) -> &'static str {
        "NPS server"
    }
    fn identity(&self) -> String {
        format!("nps server {}", self.host.to_ascii_lowercase())
    }
    fn display_name(&self) -> String {
        self.host.clone()
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

impl Fact for NpsPolicy {
    fn kind_name(&self) -> &'static str {
        "NPS network policy"
    }
    fn identity(&self) -> String {
        format!(
            "nps policy {} {}",
            self.host.to_ascii_lowercase(),
            self.data.name
        )
    }
    fn display_name(&self) -> String {
        format!("{} on {}", self.data.name, self.host)
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

impl Fact for NpsEapMethod {
    fn kind_name(&self) -> &'static str {
        "NPS EAP method"
    }
    fn identity(&self) -> String {
        format!(
            "nps eap method {} {} {}",
            self.host.to_ascii_lowercase(),
            self.policy_name,
            self.data.eap_type
        )
    }
    fn display_name(&self) -> String {
        format!(
            "{} of policy {} on {}",
            eap_type_name(self.data.eap_type),
            self.policy_name,
            self.host
        )
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

/// An EAP type's name as the NPS console shows it.
pub(crate) fn eap_type_name(eap_type: u32) -> String {
    match eap_type {
        EAP_TLS => "EAP-TLS".to_owned(),
        PEAP => "PEAP".to_owned(),
        EAP_MSCHAPV2 => "EAP-MSCHAPv2".to_owned(),
        other => format!("EAP type {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_name_entries_are_whole_name_patterns_or_text() {
        let p = NameMatcher::new(r".*\.contoso\.com");
        assert!(p.matches("nps01.contoso.com", false) && p.matches("NPS01.Contoso.COM", false));
        assert!(!p.matches("nps01.contoso.com.evil", false));
        let plain = NameMatcher::new("nps01.contoso.com");
        assert!(matches!(plain, NameMatcher::Text(_)));
        assert!(plain.matches("NPS01.contoso.com", false));
        assert!(!plain.matches("nps01.contoso.com.au", false));
        assert!(
            !NameMatcher::new("nps(").matches("nps(", false),
            "does not compile: no match"
        );
    }
}
