//! `trustlint chain FILE`: each certificate of a file with its chain as the bundle resolves it,
//! and what a relying party can learn about each element's revocation, offline — like
//! `certutil -verify -urlfetch` without the fetching. This module builds the value;
//! `report::chain` renders it.

use crate::facts::candidate_paths;
use crate::facts::chain::MAX_CHAIN_LEN;
use crate::facts::path_quality::{PathQuality, Rejection};
use crate::facts::{self, Bundle, CertId, Certificate, Role};

/// Most rejected paths the report lists.
const MAX_ALTERNATIVES_SHOWN: usize = 8;

/// The chains of the certificates of one file, and the NPS settings that judge them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// The clock the chains were judged at, Unix seconds.
    pub now: i64,
    /// One chain per certificate of the file, in the bundle's order.
    pub chains: Vec<ChainView>,
    /// Each NPS host with its EAP\13 `IgnoreNoRevocationCheck`, `None` for a host known only
    /// from its NPS export; empty without either.
    pub nps_hosts: Vec<(String, Option<u32>)>,
}

/// One certificate's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainView {
    /// The certificate's display name.
    pub name: String,
    /// The file it was read from.
    pub path: String,
    /// From the certificate up, itself first.
    pub elements: Vec<ChainElement>,
    /// How the chain ends.
    pub end: ChainEnd,
    /// Other candidate paths, best first, each with why the chosen one beat it (at most 8).
    pub alternatives: Vec<Alternative>,
    /// How many more candidate paths there are than `alternatives` lists; `None` when the
    /// exploration stopped at its budget before seeing them all.
    pub more_alternatives: Option<usize>,
    /// The NPS policies that name it as their server certificate: `NPS01, policy 'Always On
    /// VPN' (PEAP)`, with what keeps the host from presenting it when something does.
    pub presented_by: Vec<String>,
}

/// A candidate path the chain engine did not choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// Display names from the certificate's issuer up.
    pub path: Vec<String>,
    /// Why it lost: "holds a certificate that is not valid at --now"…
    pub reason: &'static str,
}

/// One certificate of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainElement {
    /// Subject distinguished name.
    pub subject: String,
    /// `root (trust anchor)`, `intermediate CA`, `leaf, client authentication`, `leaf`.
    pub role: &'static str,
    /// SHA-1 thumbprint.
    pub thumbprint: String,
    /// Serial number, hex.
    pub serial: String,
    /// notBefore, Unix seconds.
    pub not_before: i64,
    /// notAfter, Unix seconds.
    pub not_after: i64,
    /// At the report's clock.
    pub validity: Validity,
    /// `rsa`, `ec`…
    pub key_algorithm: String,
    /// Key size in bits.
    pub key_bits: u32,
    /// Signature algorithm name.
    pub signature_algorithm: String,
    /// Where a relying party learns its revocation status.
    pub revocation: Revocation,
    /// The Cloud PKI CA exports that describe it.
    pub cloud_cas: Vec<CloudCaView>,
    /// Above the first element: the bundle's CRL of this CA for the element below it.
    pub crl_for_below: Option<CrlCoverage>,
}

/// A certificate's validity at the report's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// notBefore ≤ now ≤ notAfter.
    Valid,
    /// now > notAfter.
    Expired,
    /// now < notBefore.
    NotYetValid,
}

/// Where a relying party learns a certificate's revocation status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    /// A self-signed root: not checked.
    SelfSignedRoot,
    /// Neither CDP nor OCSP: NPS rejects with reason 258 unless IgnoreNoRevocationCheck=1.
    Unknown,
    /// CRL distribution points and OCSP responders.
    Published {
        /// CDP URLs.
        cdp: Vec<String>,
        /// Every CDP is LDAP: unreachable outside the domain.
        ldap_only: bool,
        /// OCSP URLs.
        ocsp: Vec<String>,
    },
}

/// A Cloud PKI CA export that describes a chain element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudCaView {
    /// Its display name.
    pub name: Option<String>,
    /// Root or issuing.
    pub ca_type: Option<String>,
    /// The export's file.
    pub path: String,
    /// Its CRL URL.
    pub crl_url: Option<String>,
}

/// The bundle's freshest CRL of a CA, for the certificate below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrlCoverage {
    /// No CRL of that CA in the bundle.
    None,
    /// The CRL, its next update, whether it is stale, and whether it lists the certificate.
    Crl {
        /// The CRL's file.
        path: String,
        /// nextUpdate, Unix seconds.
        next_update: Option<i64>,
        /// nextUpdate is past.
        expired: bool,
        /// The certificate below is listed: its display name.
        revoked: Option<String>,
    },
}

/// How a chain ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainEnd {
    /// In a self-signed root of the bundle.
    Complete,
    /// At a certificate whose issuer is not in the bundle.
    Incomplete {
        /// That certificate's display name.
        last: String,
        /// Its AIA caIssuers URLs.
        aia: Vec<String>,
    },
    /// At a certificate whose issuer candidates all fail to verify its signature.
    SignatureMismatch {
        /// That certificate's display name.
        last: String,
    },
    /// At a certificate whose issuer search ran out of budget.
    SearchExhausted {
        /// That certificate's display name.
        last: String,
    },
    /// In a cycle: every issuer of the last certificate is already in the chain.
    Cycle {
        /// The last certificate's display name.
        last: String,
        /// The certificate of the chain the cycle returns to.
        back_to: String,
    },
    /// At the depth limit.
    DepthLimit,
}

/// The chains of every certificate found in `path` (a file of the bundle), or `None` when the
/// bundle holds no certificate from that file.
pub(crate) fn chains_of(bundle: &Bundle, path: &str) -> Option<ChainReport> {
    let chains: Vec<ChainView> = bundle
        .certificates
        .iter_ids()
        .filter(|(_, c)| c.seen.iter().any(|l| &*l.path == path))
        .filter_map(|(id, _)| chain(bundle, id))
        .collect();
    if chains.is_empty() {
        return None;
    }
    let nps_hosts = bundle
        .nps_hosts()
        .map(|h| {
            let v = if h.has_eap_snapshot() {
                Some(
                    h.eap_tls
                        .as_ref()
                        .map_or(0, |e| e.ignore_no_revocation_check.value),
                )
            } else {
                None
            };
            (h.name.clone(), v)
        })
        .collect();
    Some(ChainReport {
        now: bundle.now,
        chains,
        nps_hosts,
    })
}

fn chain(bundle: &Bundle, start: CertId) -> Option<ChainView> {
    let leaf = bundle.certificates.get(start)?;
    let mut elements = Vec::new();
    for (depth, &id) in leaf.chain.iter().enumerate() {
        let Some(c) = bundle.certificates.get(id) else {
            continue;
        };
        let crl_for_below = if depth > 0 {
            leaf.chain
                .get(depth.saturating_sub(1))
                .and_then(|&below| bundle.certificates.get(below))
                .map(|child| crl_coverage(bundle, id, child))
        } else {
            None
        };
        elements.push(element(bundle, c, crl_for_below));
    }
    let last = leaf
        .chain
        .last()
        .and_then(|&id| bundle.certificates.get(id))?;
    let name = |id: CertId| {
        bundle
            .certificates
            .get(id)
            .map_or_else(String::new, |c| c.display_name().to_owned())
    };
    let end = match leaf.chain_end {
        facts::ChainEnd::Anchor => ChainEnd::Complete,
        facts::ChainEnd::IssuerMissing => ChainEnd::Incomplete {
            last: last.display_name().to_owned(),
            aia: last.data.ca_issuers.clone(),
        },
        facts::ChainEnd::SignatureMismatch => ChainEnd::SignatureMismatch {
            last: last.display_name().to_owned(),
        },
        facts::ChainEnd::SearchExhausted => ChainEnd::SearchExhausted {
            last: last.display_name().to_owned(),
        },
        facts::ChainEnd::Cycle { back_to } => ChainEnd::Cycle {
            last: last.display_name().to_owned(),
            back_to: name(back_to),
        },
        facts::ChainEnd::DepthLimit => ChainEnd::DepthLimit,
    };
    let (alternatives, more_alternatives) = alternatives(bundle, start);
    let presented_by = leaf
        .nps_methods
        .iter()
        .filter_map(|&m| bundle.nps.methods.get(m))
        .map(|m| {
            let mut s = format!(
                "{}, policy '{}' ({})",
                m.host,
                m.policy_name,
                facts::nps::eap_type_name(m.data.eap_type)
            );
            if !m.policy_enabled {
                s.push_str(", disabled");
            }
            if m.host_store_exported && !m.in_host_store {
                s.push_str(&format!(": not in {}'s exported My store", m.host));
            }
            s
        })
        .collect();
    Some(ChainView {
        name: leaf.display_name().to_owned(),
        path: leaf.data.location.path.to_string(),
        elements,
        end,
        alternatives,
        more_alternatives,
        presented_by,
    })
}

/// The candidate paths of `start` other than its chosen chain, best first, each with the
/// reason it lost; and how many more there are (`None`: the exploration hit its budget).
fn alternatives(bundle: &Bundle, start: CertId) -> (Vec<Alternative>, Option<usize>) {
    let certs = &bundle.certificates;
    let Some(leaf) = certs.get(start) else {
        return (Vec::new(), Some(0));
    };
    let quality = |p: &[CertId]| candidate_paths::quality(certs, p, bundle.now);
    let chosen = leaf.chain_complete.then(|| quality(&leaf.chain)).flatten();
    let explored = candidate_paths::explore(certs, start, MAX_CHAIN_LEN);
    let mut ranked: Vec<(Option<PathQuality>, Vec<CertId>)> = explored
        .paths
        .into_iter()
        .filter(|p| *p != leaf.chain)
        .map(|p| (quality(&p), p))
        .collect();
    // Complete paths first, best first; then the incomplete ones; content order on ties.
    ranked.sort_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => x.cmp(y).then_with(|| a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    let total = ranked.len();
    let shown = ranked
        .into_iter()
        .take(MAX_ALTERNATIVES_SHOWN)
        .map(|(q, p)| Alternative {
            path: p
                .iter()
                .skip(1)
                .filter_map(|&id| certs.get(id))
                .map(|c| c.display_name().to_owned())
                .collect(),
            reason: match (q, chosen) {
                (Some(q), Some(chosen)) => q.rejected_against(&chosen).reason(),
                (Some(_), None) => Rejection::Longer.reason(),
                (None, _) => Rejection::Incomplete.reason(),
            },
        })
        .collect::<Vec<_>>();
    let more = total.saturating_sub(shown.len());
    (shown, (!explored.exhausted).then_some(more))
}

fn element(bundle: &Bundle, c: &Certificate, crl_for_below: Option<CrlCoverage>) -> ChainElement {
    let role = match c.role {
        Role::Root => "root (trust anchor)",
        Role::IntermediateCa => "intermediate CA",
        Role::Leaf if c.client_auth => "leaf, client authentication",
        Role::Leaf => "leaf",
    };
    let validity = if c.data.not_after < bundle.now {
        Validity::Expired
    } else if c.data.not_before > bundle.now {
        Validity::NotYetValid
    } else {
        Validity::Valid
    };
    ChainElement {
        subject: c.data.subject.text.clone(),
        role,
        thumbprint: c.data.sha1.clone(),
        serial: c.data.serial.clone(),
        not_before: c.data.not_before,
        not_after: c.data.not_after,
        validity,
        key_algorithm: c.data.key_algorithm.name().to_owned(),
        key_bits: c.data.key_bits,
        signature_algorithm: c.data.signed.algorithm_name.clone(),
        revocation: revocation(c),
        cloud_cas: c
            .links
            .cloud_cas
            .iter()
            .filter_map(|&k| bundle.profiles.cloud_cas.get(k))
            .map(|ca| CloudCaView {
                name: ca.data.name.clone(),
                ca_type: ca.data.ca_type.clone(),
                path: ca.data.location.path.to_string(),
                crl_url: ca.data.crl_url.clone(),
            })
            .collect(),
        crl_for_below,
    }
}

fn revocation(c: &Certificate) -> Revocation {
    if c.self_signed {
        return Revocation::SelfSignedRoot;
    }
    let cdp = &c.data.crl_distribution_points;
    let ocsp = &c.data.ocsp;
    if cdp.is_empty() && ocsp.is_empty() {
        return Revocation::Unknown;
    }
    Revocation::Published {
        ldap_only: !cdp.is_empty()
            && cdp
                .iter()
                .all(|u| u.to_ascii_lowercase().starts_with("ldap:")),
        cdp: cdp.clone(),
        ocsp: ocsp.clone(),
    }
}

/// The freshest CRL of the bundle issued by certificate `issuer`, and whether `child` is on it.
fn crl_coverage(bundle: &Bundle, issuer: CertId, child: &Certificate) -> CrlCoverage {
    let crl = bundle
        .crls
        .iter()
        .filter(|crl| crl.issuer == Some(issuer) && !crl.data.is_delta)
        .max_by_key(|crl| crl.data.this_update);
    let Some(crl) = crl else {
        return CrlCoverage::None;
    };
    CrlCoverage::Crl {
        path: crl.data.location.path.to_string(),
        next_update: crl.data.next_update,
        expired: crl.data.next_update.is_some_and(|n| n < bundle.now),
        revoked: crl
            .data
            .revoked_serials
            .contains(&child.data.serial)
            .then(|| child.display_name().to_owned()),
    }
}
