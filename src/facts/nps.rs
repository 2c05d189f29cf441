//! NPS servers as their configuration exports show them: each export (`nps_server`), its
//! network policies (`nps_policy`) and the EAP method configurations of each (`nps_eap_method`),
//! with the server certificate each method presents found among the bundle's certificates —
//! in the host's own `My` store export when the bundle has one. What the client profiles make
//! of those certificates (their pinned roots, their server names) is derived here too, per EAP
//! type, so a profile's question is one look-up.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::load::NpsExportData;
use crate::load::nps_export::{EAP_MSCHAPV2, EAP_TLS, EapMethodData, NetworkPolicyData, PEAP};
use crate::location::Location;

use super::certificate::{Certificate, Certificates, ChainEnd};
use super::eap_config::EapConfig;
use super::fact::Fact;
use super::host::RegistryHost;
use super::id::{CertId, IdVec, NpsEapMethodId, NpsPolicyId, NpsServerId};
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
    /// by the EAP type they present them for.
    presented_by_type: BTreeMap<u32, Vec<CertId>>,
    /// The EAP types enabled policies offer (`msNPAllowedEapType`).
    allowed_types: BTreeSet<u32>,
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
        for mut data in exports {
            let server_id = nps.servers.next_id();
            let host = hosts
                .iter()
                .find(|h| h.nps_exports.contains(&server_id))
                .map_or_else(|| data.location.path.to_string(), |h| h.name.clone());
            let host_files: HashSet<&str> = hosts
                .iter()
                .filter(|h| h.nps_exports.contains(&server_id))
                .flat_map(|h| h.files.iter().map(|l| &*l.path))
                .collect();
            let in_host_my = |c: &Certificate| {
                c.stores
                    .iter()
                    .any(|m| m.slot.store == "MY" && host_files.contains(&*m.location.path))
            };
            let host_store_exported = certs.iter().any(in_host_my);
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
                        .and_then(|id| certs.get(id))
                        .is_some_and(in_host_my);
                    method_ids.push(nps.methods.push(NpsEapMethod {
                        policy: policy_id,
                        policy_name: policy.name.clone(),
                        host: host.clone(),
                        policy_enabled: policy.enabled,
                        data: blob,
                        certificate,
                        host_store_exported,
                        in_host_store,
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
        for p in nps.policies.iter().filter(|p| p.data.enabled) {
            nps.allowed_types.extend(p.allowed_eap_types());
            for m in p.methods.iter().filter_map(|&m| nps.methods.get(m)) {
                // What clients will be shown: the certificate the host presents; failing that,
                // the one the policy names (its renewal keeps its issuer and names, so its chain
                // and names still tell which roots and server names the profiles need).
                if let Some(c) = m.presented().or(m.certificate) {
                    let list = nps.presented_by_type.entry(m.data.eap_type).or_default();
                    if !list.contains(&c) {
                        list.push(c);
                    }
                }
            }
        }
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
            .map_or(&[], Vec::as_slice)
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

/// The root of a certificate's chain, when its chain reaches a self-signed certificate.
fn root_of(certs: &Certificates, id: CertId) -> Option<&Certificate> {
    let c = certs.get(id)?;
    if !matches!(c.chain_end, ChainEnd::Anchor) {
        return None;
    }
    certs.get(*c.chain.last()?)
}

/// Whether a client configuration pins the root of a server certificate NPS presents for its
/// EAP type (or that certificate itself): `None` when it cannot be told — the configuration
/// pins nothing, names a root the bundle cannot resolve, or no presented certificate's chain
/// reaches a root in the bundle.
pub(crate) fn pins_server_root(
    nps: &Nps,
    certs: &Certificates,
    config: &EapConfig,
) -> Option<bool> {
    let eap_type = config.data.method?;
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
    let mut known = false;
    for &id in nps.presented_for(eap_type) {
        let server = certs.get(id)?;
        if pins.contains(&server.data.sha1.as_str()) {
            return Some(true);
        }
        if let Some(root) = root_of(certs, id) {
            known = true;
            if pins.contains(&root.data.sha1.as_str()) {
                return Some(true);
            }
        }
    }
    known.then_some(false)
}

/// Whether a client configuration's `ServerNames` name a server certificate NPS presents for its
/// EAP type: each entry is a regular expression matched against the whole subject CN and each
/// SAN DNS name, case ignored (Windows 11 22H2 and later). `None` when the configuration names
/// no server or the bundle shows no presented certificate.
pub(crate) fn names_server(nps: &Nps, certs: &Certificates, config: &EapConfig) -> Option<bool> {
    let eap_type = config.data.method?;
    let presented = nps.presented_for(eap_type);
    let entries: Vec<&str> = config
        .data
        .layers
        .iter()
        .flat_map(|l| &l.server_names)
        .map(|n| n.value.as_str())
        .collect();
    if presented.is_empty() || entries.is_empty() {
        return None;
    }
    let patterns: Vec<ServerNamePattern> =
        entries.iter().map(|e| ServerNamePattern::new(e)).collect();
    Some(presented.iter().filter_map(|&id| certs.get(id)).any(|c| {
        c.data
            .subject
            .common_name
            .iter()
            .chain(&c.data.san_dns)
            .any(|name| patterns.iter().any(|p| p.matches(name)))
    }))
}

/// A `ServerNames` entry: a regular expression over the whole name, case ignored; an entry that
/// does not compile is compared as text.
enum ServerNamePattern {
    Regex(regex::Regex),
    Text(String),
}

impl ServerNamePattern {
    fn new(entry: &str) -> Self {
        // A plain host name (dots are the only metacharacter in it) is compared as text: a
        // profile may list thousands, and each regular expression costs a compilation.
        if !entry.contains(['*', '?', '+', '[', ']', '(', ')', '|', '\\', '^', '$', '{']) {
            return ServerNamePattern::Text(entry.to_ascii_lowercase());
        }
        regex::RegexBuilder::new(&format!("^(?:{entry})$"))
            .case_insensitive(true)
            // A profile's entry is a host name pattern; a bigger program is not one.
            .size_limit(1 << 16)
            .build()
            .map_or_else(
                |_| ServerNamePattern::Text(entry.to_ascii_lowercase()),
                ServerNamePattern::Regex,
            )
    }

    fn matches(&self, name: &str) -> bool {
        match self {
            ServerNamePattern::Regex(r) => r.is_match(name),
            ServerNamePattern::Text(t) => name.eq_ignore_ascii_case(t),
        }
    }
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
    fn server_name_entries_are_whole_name_patterns() {
        let p = ServerNamePattern::new(r".*\.contoso\.com");
        assert!(p.matches("nps01.contoso.com") && p.matches("NPS01.Contoso.COM"));
        assert!(!p.matches("nps01.contoso.com.evil"));
        let plain = ServerNamePattern::new("nps01.contoso.com");
        assert!(plain.matches("NPS01.contoso.com") && !plain.matches("nps01.contoso.com.au"));
        let broken = ServerNamePattern::new("nps(");
        assert!(broken.matches("NPS(") && !broken.matches("nps"));
    }
}
