//! The server names profiles expect (`ServerNames` of an EAP configuration: the NPS server;
//! `Servers` of a VPN profile: the gateway): the entity of the `server_name` scope, and the join
//! that matches each to the leaf certificates of the bundle.

use std::collections::{HashMap, HashSet};

use crate::location::Location;

use super::certificate::{Certificate, Role};
use super::fact::Fact;
use super::id::{CertId, EapConfigId, Id, IdVec, ServerNameId, VpnProfileId};
use super::profile::Profiles;

/// Whose name it is, and so where it is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerNameOwner {
    /// `ServerValidation/ServerNames` of an EAP configuration: the NPS (RADIUS) server.
    Eap(EapConfigId),
    /// `Servers` of a VPN profile: the VPN gateway.
    Vpn(VpnProfileId),
}

/// One server name a profile expects, matched to the certificates of the bundle.
#[derive(Debug, Clone)]
pub struct ServerName {
    /// The EAP configuration or VPN profile that expects it.
    pub owner: ServerNameOwner,
    /// As written.
    pub name: String,
    /// Where.
    pub location: Location,
    /// `eap config <id>` or `vpn profile <id>`: the owner's identity.
    pub owner_id: String,
    /// A leaf certificate whose subject CN or SAN DNS name matches exactly.
    pub certificate: Option<CertId>,
    /// A leaf certificate that matches only when case is ignored (and none matches exactly).
    pub case_only_certificate: Option<CertId>,
    /// A regular expression not tried on the leaves: the scan's pattern budget had run out.
    pub unchecked: bool,
}

/// The server names of the bundle, by id.
pub(crate) type ServerNames = IdVec<ServerNameId, ServerName>;

/// Adds the server names of every EAP configuration, then of every VPN profile, of `p`.
pub(super) fn join(p: &mut Profiles, certs: &[Certificate]) {
    let Profiles {
        eap_configs,
        vpn_profiles,
        server_names,
        ..
    } = p;
    // A few names are matched by a pass over the leaves; many, through an index of the leaves'
    // names (a profile with 300,000 ServerNames must not cost names × leaves).
    let count: usize = eap_configs
        .iter()
        .flat_map(|c| &c.data.layers)
        .map(|l| l.server_names.len())
        .chain(vpn_profiles.iter().map(|v| v.data.servers.len()))
        .sum();
    let leaves = LeafNames::new(certs, count > INDEX_FROM);
    let mut budget = PatternBudget::new(count.saturating_add(certs.len()));
    for (id, config) in eap_configs.iter_ids() {
        let names = config
            .data
            .layers
            .iter()
            .flat_map(|l| &l.server_names)
            .map(|n| (n.value.as_str(), &n.location));
        let owner_id = format!("eap config {}", config.content_id);
        add(
            server_names,
            ServerNameOwner::Eap(id),
            &owner_id,
            names,
            &leaves,
            &mut budget,
        );
    }
    for (id, v) in vpn_profiles.iter_ids() {
        let names = v
            .data
            .servers
            .iter()
            .map(|s| (s.value.as_str(), &s.location));
        let owner_id = format!("vpn profile {}", v.content_id);
        add(
            server_names,
            ServerNameOwner::Vpn(id),
            &owner_id,
            names,
            &leaves,
            &mut budget,
        );
    }
}

/// One entity per distinct name of one owner (PEAP repeats the outer names inside).
fn add<'a>(
    out: &mut ServerNames,
    owner: ServerNameOwner,
    owner_id: &str,
    names: impl Iterator<Item = (&'a str, &'a Location)>,
    leaves: &LeafNames<'_>,
    budget: &mut PatternBudget,
) {
    let mut seen: HashSet<&str> = HashSet::new();
    for (name, location) in names {
        if seen.insert(name) {
            out.push(matched(
                owner,
                owner_id.to_owned(),
                name,
                location,
                leaves,
                budget,
            ));
        }
    }
}

/// How many (regular expression, certificate) tries the scan may spend on server names: a
/// floor, plus a share per name and per certificate. Each distinct pattern is tried once; a
/// bundle of thousands of distinct patterns and thousands of certificates would otherwise cost
/// their product. Past it, a pattern is left unchecked (said on the entity).
pub(crate) struct PatternBudget {
    left: usize,
    /// Patterns already tried, with what they matched (exact, then case ignored).
    tried: HashMap<String, (Option<CertId>, Option<CertId>)>,
}

/// See [`PatternBudget`].
pub(crate) const PATTERN_TRIES_FLOOR: usize = 65_536;
/// See [`PatternBudget`].
pub(crate) const PATTERN_TRIES_PER_ITEM: usize = 64;

impl PatternBudget {
    /// A budget for `items` names and certificates.
    pub(crate) fn new(items: usize) -> Self {
        PatternBudget {
            left: PATTERN_TRIES_FLOOR.saturating_add(PATTERN_TRIES_PER_ITEM.saturating_mul(items)),
            tried: HashMap::new(),
        }
    }

    /// Spends `cost` tries; `false` (and nothing spent) when fewer are left.
    pub(crate) fn spend(&mut self, cost: usize) -> bool {
        match self.left.checked_sub(cost) {
            Some(left) => {
                self.left = left;
                true
            }
            None => false,
        }
    }
}

/// The names of the bundle's leaf certificates (subject CN and SAN DNS names), each with the
/// first certificate that carries it, as written and case-folded: a plain `ServerNames` entry
/// is a lookup, not a pass over every certificate. Built on the first lookup, so a bundle whose
/// profiles name no server pays nothing.
struct LeafNames<'c> {
    certs: &'c [Certificate],
    /// Look names up in the index rather than scan the leaves.
    indexed: bool,
    index: std::cell::OnceCell<NameIndex<'c>>,
}

/// Names in the bundle above which matching goes through the index.
const INDEX_FROM: usize = 64;

/// Leaf names as written, and folded to lower case, to the first certificate with each.
type NameIndex<'c> = (HashMap<&'c str, CertId>, HashMap<String, CertId>);

impl<'c> LeafNames<'c> {
    fn new(certs: &'c [Certificate], indexed: bool) -> Self {
        LeafNames {
            certs,
            indexed,
            index: std::cell::OnceCell::new(),
        }
    }

    fn index(&self) -> &NameIndex<'c> {
        self.index.get_or_init(|| {
            let mut exact = HashMap::new();
            let mut folded = HashMap::new();
            for (i, c) in self.certs.iter().enumerate() {
                if c.role != Role::Leaf {
                    continue;
                }
                for n in c
                    .data
                    .subject
                    .common_name
                    .iter()
                    .chain(c.data.san_dns.iter())
                {
                    exact.entry(n.as_str()).or_insert(CertId::from_index(i));
                    folded
                        .entry(n.to_ascii_lowercase())
                        .or_insert(CertId::from_index(i));
                }
            }
            (exact, folded)
        })
    }
}

/// A server name matched against the leaf certificates' subject CN and SAN DNS names. Windows
/// reads a `ServerNames` entry with `*`, `\`, `^`, `$`, `(`, `[`, `|`, `+` or `?` as a regular
/// expression (`.*\.contoso\.com`); other entries compare as text.
fn matched(
    owner: ServerNameOwner,
    owner_id: String,
    name: &str,
    location: &Location,
    leaves: &LeafNames<'_>,
    budget: &mut PatternBudget,
) -> ServerName {
    let matcher = NameMatcher::new(name);
    let mut unchecked = false;
    let (exact, folded) = match &matcher {
        NameMatcher::Text(t) if leaves.indexed => {
            let (exact, folded) = leaves.index();
            (
                exact.get(t.as_str()).copied(),
                folded.get(&t.to_ascii_lowercase()).copied(),
            )
        }
        NameMatcher::Pattern { .. } if budget.tried.contains_key(name) => {
            budget.tried.get(name).copied().unwrap_or_default()
        }
        NameMatcher::Pattern { .. } if !budget.spend(leaves.certs.len()) => {
            unchecked = true;
            (None, None)
        }
        _ => {
            // A regular expression (or one of a few names) is tried on every leaf name.
            let mut exact = None;
            let mut folded = None;
            for (i, c) in leaves.certs.iter().enumerate() {
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
                        exact = Some(CertId::from_index(i));
                    }
                    if folded.is_none() && matcher.matches(n, false) {
                        folded = Some(CertId::from_index(i));
                    }
                }
            }
            if matches!(matcher, NameMatcher::Pattern { .. }) {
                budget.tried.insert(name.to_owned(), (exact, folded));
            }
            (exact, folded)
        }
    };
    ServerName {
        owner,
        name: name.to_owned(),
        location: location.clone(),
        owner_id,
        certificate: exact,
        case_only_certificate: if exact.is_some() { None } else { folded },
        unchecked,
    }
}

/// A server name as Windows reads it: a regular expression when it has one of `*`, `\`, `^`,
/// `$`, `(`, `[`, `|`, `+`, `?` (anchored to the whole name; a pattern that does not compile
/// matches nothing), else text.
pub(crate) enum NameMatcher {
    /// A plain name.
    Text(String),
    /// A regular expression, compiled matching case and ignoring it.
    Pattern {
        /// Case matters.
        exact: Option<regex::Regex>,
        /// Case ignored.
        folded: Option<regex::Regex>,
    },
}

impl NameMatcher {
    pub(crate) fn new(name: &str) -> NameMatcher {
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

    pub(crate) fn matches(&self, candidate: &str, case_sensitive: bool) -> bool {
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
