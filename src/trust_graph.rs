//! The bundle as a graph, for the HTML report: roots, the CAs below them and their leaves
//! (grouped per issuing CA and purpose when many, so 20,000 leaves stay a node or two), the issuer the chain
//! engine chose drawn apart from the other issuers a certificate has (cross-certificates,
//! renewed CAs), the client EAP configurations with the roots they pin and the issuers they
//! filter, and the NPS hosts with their EAP\13 revocation settings. Nodes are keyed by the
//! identity findings carry, so each finding lands on its node.

use std::collections::{BTreeMap, HashMap};

use crate::facts::certificate::{EKU_ANY, EKU_MS_ANY_PURPOSE};
use crate::facts::fact::Fact;
use crate::facts::{Bundle, CertId, Role};

/// Leaves of one issuer drawn one by one up to this many; more become one node that counts
/// them.
pub const MAX_LEAVES_DRAWN: usize = 6;

/// What a group of leaves is for, as its EKUs allow it (Windows reads no EKU extension, and
/// anyExtendedKeyUsage, as any purpose): the leaves of one CA split by it, since client and
/// server certificates of one CA fail in different places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Purpose {
    Client,
    Server,
    ClientAndServer,
    Any,
    Other,
}

impl Purpose {
    fn of(c: &crate::facts::Certificate) -> Purpose {
        let any = c
            .data
            .extended_key_usage
            .as_ref()
            .is_none_or(|ekus| ekus.iter().any(|e| e == EKU_ANY || e == EKU_MS_ANY_PURPOSE));
        match (any, c.allows_client_auth(), c.server_auth()) {
            (true, _, _) => Purpose::Any,
            (false, true, true) => Purpose::ClientAndServer,
            (false, true, false) => Purpose::Client,
            (false, false, true) => Purpose::Server,
            (false, false, false) => Purpose::Other,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Purpose::Client => "client authentication",
            Purpose::Server => "server authentication",
            Purpose::ClientAndServer => "client and server authentication",
            Purpose::Any => "any purpose",
            Purpose::Other => "neither client nor server authentication",
        }
    }

    /// For the drawn label, which has room for 25 characters.
    fn short(self) -> &'static str {
        match self {
            Purpose::Client => "client",
            Purpose::Server => "server",
            Purpose::ClientAndServer => "client+server",
            Purpose::Any => "any-purpose",
            Purpose::Other => "other",
        }
    }

    fn client_auth(self) -> bool {
        matches!(
            self,
            Purpose::Client | Purpose::ClientAndServer | Purpose::Any
        )
    }
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    /// A self-signed certificate.
    Root,
    /// A CA certificate below a root.
    Intermediate,
    /// An end-entity certificate.
    Leaf,
    /// The leaves of one issuer, counted.
    Leaves,
    /// A client EAP configuration (VPN or Wi-Fi profile).
    ClientProfile,
    /// An Intune object: a trusted-certificate, SCEP or PKCS profile, or a Cloud PKI CA.
    Intune,
    /// An NPS (or RRAS) host known from its registry snapshot.
    NpsHost,
}

impl NodeKind {
    /// In words.
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Root => "root CA",
            NodeKind::Intermediate => "intermediate CA",
            NodeKind::Leaf => "certificate",
            NodeKind::Leaves => "certificates",
            NodeKind::ClientProfile => "client EAP profile",
            NodeKind::Intune => "Intune",
            NodeKind::NpsHost => "NPS host",
        }
    }
}

/// One node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphNode {
    /// The identity findings carry (`certificate sha256:…`, `registry host NPS01`); for a
    /// group of leaves, `leaves of ` and the issuer's identity.
    pub key: String,
    /// What it is.
    pub kind: NodeKind,
    /// Its name.
    pub label: String,
    /// What a reviewer checks: subject, issuer, thumbprint, validity, CDP, AIA, settings.
    pub details: Vec<(&'static str, String)>,
    /// The files it was read from.
    pub files: Vec<String>,
    /// For a group of leaves: the identities of its members.
    pub members: Vec<String>,
    /// Its column, left to right: roots first, clients and servers last.
    pub column: usize,
}

/// What an edge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// The issuer the chain engine chose.
    Issued,
    /// Another certificate that also issued it (a cross-certificate, a renewed CA): a path
    /// the engine did not choose.
    AlsoIssued,
    /// A client profile trusts this root for the server (`TrustedRootCA`).
    Pins,
    /// A client profile picks its certificate from this issuer (`IssuerHash`).
    Filters,
    /// An Intune object deploys or names this certificate (a trusted-certificate profile's
    /// certificate, a SCEP/PKCS profile's root or issuing CA, a Cloud PKI CA's certificate).
    Deploys,
    /// An NPS policy presents this server certificate.
    Presents,
}

/// One edge, from `from` to `to` (indexes of [`TrustGraph::nodes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GraphEdge {
    /// Where it starts (the issuer, the profile).
    pub from: usize,
    /// Where it ends.
    pub to: usize,
    /// What it says.
    pub kind: EdgeKind,
}

/// The graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustGraph {
    /// In column order, then by name.
    pub nodes: Vec<GraphNode>,
    /// Sorted, without duplicates.
    pub edges: Vec<GraphEdge>,
}

impl TrustGraph {
    /// The graph of `bundle`.
    pub(crate) fn of(bundle: &Bundle) -> TrustGraph {
        let mut b = Builder::default();
        let certs = &bundle.certificates;
        // Leaves by issuer, to group the many; the groups of one issuer split by purpose.
        let mut leaves_of: BTreeMap<Option<CertId>, Vec<CertId>> = BTreeMap::new();
        for (id, c) in certs.iter_ids() {
            if c.role == Role::Leaf {
                leaves_of.entry(c.issuer).or_default().push(id);
            }
        }
        let ca_column = |c: &crate::facts::Certificate| match c.role {
            Role::Root => 0,
            _ => c.chain.len().saturating_sub(1).max(1),
        };
        let mut deepest_ca = 0;
        let mut node_of_cert: HashMap<CertId, usize> = HashMap::new();
        for (id, c) in certs.iter_ids() {
            if c.role == Role::Leaf {
                continue;
            }
            let column = ca_column(c);
            deepest_ca = deepest_ca.max(column);
            let kind = if c.role == Role::Root {
                NodeKind::Root
            } else {
                NodeKind::Intermediate
            };
            node_of_cert.insert(id, b.node(certificate_node(c, kind, column)));
        }
        let leaf_column = deepest_ca + 1;
        for (issuer, leaves) in &leaves_of {
            if leaves.len() > MAX_LEAVES_DRAWN {
                let issuer_cert = issuer.and_then(|i| certs.get(i));
                let issuer_name = issuer_cert.map_or("no issuer in the bundle".to_owned(), |c| {
                    c.display_name().to_owned()
                });
                let issuer_key = issuer_cert.map_or_else(String::new, Fact::identity);
                let intune_profiles: Vec<&crate::facts::CertificateProfile> = issuer
                    .map(|i| bundle.profiles.issuing_under(i))
                    .unwrap_or_default();
                let mut by_purpose: BTreeMap<Purpose, Vec<CertId>> = BTreeMap::new();
                for &l in leaves {
                    if let Some(c) = certs.get(l) {
                        by_purpose.entry(Purpose::of(c)).or_default().push(l);
                    }
                }
                for (purpose, ids) in by_purpose {
                    let members: Vec<&crate::facts::Certificate> =
                        ids.iter().filter_map(|&l| certs.get(l)).collect();
                    let mut files: Vec<String> = members
                        .iter()
                        .map(|c| c.data.location.path.to_string())
                        .collect();
                    files.sort();
                    files.dedup();
                    let mut details = vec![
                        ("issued by", issuer_name.clone()),
                        ("purpose", purpose.name().to_owned()),
                    ];
                    // A certificate does not say which Intune profile requested it: the
                    // profiles that issue under its CA for this purpose are listed, not joined.
                    let profiles: Vec<String> = intune_profiles
                        .iter()
                        .filter(|p| purpose.client_auth() && p.client_auth() != Some(false))
                        .map(|p| p.display_name())
                        .collect();
                    if !profiles.is_empty() {
                        details
                            .push(("Intune profiles issuing under this CA", profiles.join(", ")));
                    }
                    let group = b.node(GraphNode {
                        key: format!("leaves of {issuer_key} for {}", purpose.name()),
                        kind: NodeKind::Leaves,
                        label: format!(
                            "{} {} certificate{}",
                            members.len(),
                            purpose.short(),
                            if members.len() == 1 { "" } else { "s" }
                        ),
                        details,
                        files,
                        members: members.iter().map(|c| c.identity()).collect(),
                        column: leaf_column,
                    });
                    for l in ids {
                        node_of_cert.insert(l, group);
                    }
                }
            } else {
                for &l in leaves {
                    if let Some(c) = certs.get(l) {
                        let n = b.node(certificate_node(c, NodeKind::Leaf, leaf_column));
                        node_of_cert.insert(l, n);
                    }
                }
            }
        }
        // Issuers: the chosen one, and the others the certificate also has.
        for (id, c) in certs.iter_ids() {
            let Some(&to) = node_of_cert.get(&id) else {
                continue;
            };
            for e in &c.issuer_edges {
                let Some(&from) = node_of_cert.get(&e.issuer) else {
                    continue;
                };
                if from == to {
                    continue; // a self-signed root's own edge
                }
                let kind = if Some(e.issuer) == c.issuer {
                    EdgeKind::Issued
                } else {
                    EdgeKind::AlsoIssued
                };
                b.edge(from, to, kind);
            }
        }
        let consumer_column = leaf_column + 1;
        // Client EAP configurations and what they pin.
        let mut node_of_config = HashMap::new();
        for (id, config) in bundle.profiles.eap_configs.iter_ids() {
            let location = config.location();
            let files = location
                .iter()
                .map(|l| l.path.to_string())
                .collect::<Vec<_>>();
            let n = b.node(GraphNode {
                key: config.identity(),
                kind: NodeKind::ClientProfile,
                label: config.consumer_label(&bundle.profiles.vpn_profiles),
                details: Vec::new(),
                files,
                members: Vec::new(),
                column: consumer_column,
            });
            node_of_config.insert(id, n);
        }
        for (_, pin) in bundle.profiles.pins.iter_ids() {
            let (Some(&from), Some(&to)) = (
                node_of_config.get(&pin.config),
                pin.certificate.and_then(|c| node_of_cert.get(&c)),
            ) else {
                continue;
            };
            let kind = match pin.kind {
                crate::facts::eap_thumbprint::PinKind::TrustedRoot => EdgeKind::Pins,
                crate::facts::eap_thumbprint::PinKind::IssuerHash => EdgeKind::Filters,
            };
            b.edge(from, to, kind);
        }
        // Intune objects and the certificates they deploy or name.
        let intune_column = consumer_column;
        let intune = |b: &mut Builder, fact: &dyn Fact, what: &str, certs_named: &[CertId]| {
            let files = fact.location().iter().map(|l| l.path.to_string()).collect();
            let n = b.node(GraphNode {
                key: fact.identity(),
                kind: NodeKind::Intune,
                label: fact.display_name(),
                details: vec![("object", what.to_owned())],
                files,
                members: Vec::new(),
                column: intune_column,
            });
            for c in certs_named {
                if let Some(&to) = node_of_cert.get(c) {
                    b.edge(n, to, EdgeKind::Deploys);
                }
            }
        };
        for (_, p) in bundle.profiles.trusted_root_profiles.iter_ids() {
            let named: Vec<CertId> = p.certificate.into_iter().collect();
            intune(&mut b, p, "trusted-certificate profile", &named);
        }
        for (_, p) in bundle.profiles.certificate_profiles.iter_ids() {
            let named: Vec<CertId> = p
                .root_certificate
                .into_iter()
                .chain(p.issuing_cas.iter().copied())
                .collect();
            intune(&mut b, p, "SCEP/PKCS certificate profile", &named);
        }
        for (_, ca) in bundle.profiles.cloud_cas.iter_ids() {
            let named: Vec<CertId> = ca.certificate.into_iter().collect();
            intune(&mut b, ca, "Cloud PKI CA", &named);
        }
        // NPS hosts with their EAP\13 revocation settings.
        let mut host_node: HashMap<String, usize> = HashMap::new();
        for host in &bundle.hosts {
            let mut details = Vec::new();
            if let Some(tls) = &host.eap_tls {
                // A value the snapshot does not hold is Windows' default, 0: said so.
                let shown = |s: &crate::facts::host::Setting| match s.location {
                    Some(_) => s.value.to_string(),
                    None => format!("{} (not set)", s.value),
                };
                details.push((
                    "IgnoreNoRevocationCheck",
                    shown(&tls.ignore_no_revocation_check),
                ));
                details.push(("NoRevocationCheck", shown(&tls.no_revocation_check)));
                details.push((
                    "IgnoreRevocationOffline",
                    shown(&tls.ignore_revocation_offline),
                ));
            } else {
                details.push(("EAP\\13", "not in the snapshot".to_owned()));
            }
            let n = b.node(GraphNode {
                key: host.identity(),
                kind: NodeKind::NpsHost,
                label: host.name.clone(),
                details,
                files: host.files.iter().map(|l| l.path.to_string()).collect(),
                members: Vec::new(),
                column: consumer_column + 1,
            });
            host_node.insert(host.name.to_ascii_lowercase(), n);
        }
        // NPS exports: a host's node (made here when no registry snapshot names it) takes the
        // findings on its server, policies and EAP methods, and presents their certificates.
        let mut host_of = |b: &mut Builder, name: &str, file: Option<String>| {
            let n = *host_node
                .entry(name.to_ascii_lowercase())
                .or_insert_with(|| {
                    b.node(GraphNode {
                        key: format!("nps server {}", name.to_ascii_lowercase()),
                        kind: NodeKind::NpsHost,
                        label: name.to_owned(),
                        details: vec![("EAP\\13", "no registry snapshot".to_owned())],
                        files: Vec::new(),
                        members: Vec::new(),
                        column: consumer_column + 1,
                    })
                });
            if let (Some(node), Some(f)) = (b.nodes.get_mut(n), file)
                && !node.files.contains(&f)
            {
                node.files.push(f);
            }
            n
        };
        for (_, server) in bundle.nps.servers.iter_ids() {
            let file = server.location().map(|l| l.path.to_string());
            let n = host_of(&mut b, &server.host, file);
            if let Some(node) = b.nodes.get_mut(n) {
                node.members.push(server.identity());
            }
        }
        for (_, policy) in bundle.nps.policies.iter_ids() {
            let n = host_of(&mut b, &policy.host, None);
            if let Some(node) = b.nodes.get_mut(n) {
                node.members.push(policy.identity());
            }
        }
        for (_, method) in bundle.nps.methods.iter_ids() {
            let n = host_of(&mut b, &method.host, None);
            if let Some(node) = b.nodes.get_mut(n) {
                node.members.push(method.identity());
                node.details.push((
                    "policy",
                    format!(
                        "'{}' presents {}",
                        method.policy_name,
                        method
                            .certificate
                            .and_then(|c| certs.get(c))
                            .map_or("no certificate of the bundle", |c| c.display_name())
                    ),
                ));
            }
            if let Some(&to) = method.certificate.and_then(|c| node_of_cert.get(&c)) {
                b.edge(n, to, EdgeKind::Presents);
            }
        }
        b.finish()
    }

    /// Adds `other`'s nodes that are not already here (by key) and its edges: the graph of a
    /// scan of several bundles.
    pub(crate) fn merge(&mut self, other: TrustGraph) {
        let mut index: HashMap<String, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.key.clone(), i))
            .collect();
        let mut remap = Vec::with_capacity(other.nodes.len());
        for n in other.nodes {
            let at = *index.entry(n.key.clone()).or_insert_with(|| {
                self.nodes.push(n);
                self.nodes.len() - 1
            });
            remap.push(at);
        }
        for e in other.edges {
            if let (Some(&from), Some(&to)) = (remap.get(e.from), remap.get(e.to)) {
                self.edges.push(GraphEdge {
                    from,
                    to,
                    kind: e.kind,
                });
            }
        }
        let graph = std::mem::take(self);
        let mut b = Builder::default();
        for n in graph.nodes {
            b.node(n);
        }
        for e in graph.edges {
            b.edge(e.from, e.to, e.kind);
        }
        *self = b.finish();
    }
}

fn certificate_node(c: &crate::facts::Certificate, kind: NodeKind, column: usize) -> GraphNode {
    let time = crate::clock::format_rfc3339;
    let d = &c.data;
    let mut details = vec![
        ("subject", d.subject.text.clone()),
        ("issuer", d.issuer.text.clone()),
        ("thumbprint (SHA-1)", d.sha1.clone()),
        (
            "valid",
            format!("{} to {}", time(d.not_before), time(d.not_after)),
        ),
    ];
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.join(", ")
        }
    };
    details.push(("CRL distribution points", list(&d.crl_distribution_points)));
    details.push(("AIA CA issuers", list(&d.ca_issuers)));
    details.push(("OCSP", list(&d.ocsp)));
    let mut files: Vec<String> = c.seen.iter().map(|l| l.path.to_string()).collect();
    files.dedup();
    GraphNode {
        key: c.identity(),
        kind,
        label: c.display_name().to_owned(),
        details,
        files,
        members: Vec::new(),
        column,
    }
}

/// Nodes and edges as they are found; [`Builder::finish`] orders them.
#[derive(Default)]
struct Builder {
    nodes: Vec<GraphNode>,
    edges: Vec<GraphEdge>,
}

impl Builder {
    fn node(&mut self, n: GraphNode) -> usize {
        self.nodes.push(n);
        self.nodes.len() - 1
    }

    fn edge(&mut self, from: usize, to: usize, kind: EdgeKind) {
        self.edges.push(GraphEdge { from, to, kind });
    }

    /// Nodes by column, kind, label and key; edges renumbered, sorted and deduplicated: the
    /// same bundle gives the same graph whatever the order its files were read in.
    fn finish(self) -> TrustGraph {
        let mut order: Vec<usize> = (0..self.nodes.len()).collect();
        let sort_key = |i: usize| {
            self.nodes
                .get(i)
                .map(|n| (n.column, n.kind, n.label.as_str(), n.key.as_str()))
        };
        order.sort_by(|&a, &b| sort_key(a).cmp(&sort_key(b)));
        let mut new_index = vec![0; self.nodes.len()];
        for (new, &old) in order.iter().enumerate() {
            if let Some(slot) = new_index.get_mut(old) {
                *slot = new;
            }
        }
        let renumber = |i: usize| new_index.get(i).copied().unwrap_or_default();
        let mut slots: Vec<Option<GraphNode>> = self.nodes.into_iter().map(Some).collect();
        let nodes = order
            .iter()
            .filter_map(|&old| slots.get_mut(old).and_then(Option::take))
            .collect();
        let mut edges: Vec<GraphEdge> = self
            .edges
            .into_iter()
            .map(|e| GraphEdge {
                from: renumber(e.from),
                to: renumber(e.to),
                kind: e.kind,
            })
            .collect();
        edges.sort();
        edges.dedup();
        TrustGraph { nodes, edges }
    }
}
