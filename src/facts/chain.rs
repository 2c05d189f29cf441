//! Path building, as a search rather than a walk: every signature-confirmed issuer of every
//! certificate is an edge, and each certificate's chain is the best path over those edges to a
//! self-signed certificate of the bundle, ranked as the Windows chain engine ranks chains
//! ([`PathQuality`]; docs/chain-building.md).
//!
//! A certificate is signed by one key, so its issuers are the certificates that carry that key:
//! a CA and its cross-certificates, or a CA renewed with the same key. The search checks one
//! signature per distinct candidate key, most likely first, and stops at the first that
//! verifies; [`MAX_KEYS_CHECKED`] bounds it. The best paths form a tree (each certificate's
//! continues with its issuer's), so one shortest-path search from the anchors finds them all, in
//! time linear in the edges (and a logarithm).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::candidate_paths;
use super::certificate::{Certificate, Certificates, ChainEnd, IssuerEdge, Role};
use super::id::{CertId, Id};
use super::issuer_index::{Candidate, IssuerIndex};
use super::name_constraints::{self, NameConstraintBreach};
use super::outside::LeafShare;
use super::path_quality::PathQuality;
use super::signature::{SignatureCheck, SignatureMemo};

/// Longest chain kept. Windows documents no limit short of the path-length constraints;
/// rustls-webpki stops at 6 sub-CAs. 16 covers every real hierarchy (the Federal PKI bridge
/// mesh needs 6) and bounds what a crafted bundle costs.
pub(crate) const MAX_CHAIN_LEN: usize = 16;

/// Most candidate issuer keys whose signature check one certificate may spend. rustls-webpki
/// allows 100 signature checks for a whole path; a certificate here needs one per distinct key
/// among the certificates that match its issuer, and real PKIs have a handful.
pub(crate) const MAX_KEYS_CHECKED: usize = 16;

/// Signature checks a whole scan may spend on issuer search beyond each certificate's likeliest
/// key, in units of one RSA-2048 check: this many per certificate of the bundle…
pub(crate) const SCAN_UNITS_PER_CERT: u64 = 4;
/// …plus this many. A real bundle spends none of it: its certificates have one candidate key,
/// or a handful (cross-certificates, renewals). A crafted one where every certificate matches
/// hundreds of others by name stops here instead of spending 16 checks on each.
pub(crate) const SCAN_UNITS_FLOOR: u64 = 4096;

/// What the issuer search found for one certificate.
pub(crate) struct IssuerSearch {
    self_issued: bool,
    self_signed: bool,
    /// The certificates whose key verifies the signature (or cannot be checked here).
    edges: Vec<IssuerEdge>,
    /// Candidates whose key does not verify it.
    mismatches: Vec<CertId>,
    /// The search stopped at a budget before it found a key that verifies.
    exhausted: bool,
}

/// The checks one certificate's issuer search would make, before any is made.
struct SearchPlan {
    self_issued: bool,
    self_signed: bool,
    /// Candidate issuers grouped by key (one signature check answers for a group), the likeliest
    /// first, at most [`MAX_KEYS_CHECKED`].
    groups: Vec<Vec<CertId>>,
    /// What checking with each group's key costs ([`check_cost`]).
    costs: Vec<u64>,
    /// Candidates were left out: more than [`MAX_KEYS_CHECKED`] keys, or more than
    /// [`super::issuer_index::MAX_CANDIDATES`] certificates.
    truncated: bool,
}

/// Finds the issuers of every certificate. `certs` is sorted by SHA-256, which makes every
/// choice deterministic.
pub(crate) fn search_issuers(
    certs: &[Certificate],
    index: &IssuerIndex<'_>,
    now: i64,
    memo: &SignatureMemo,
    allowed: Option<usize>,
) -> (Vec<IssuerSearch>, SearchSpend) {
    // Signature checks dominate the cost of a bundle; each certificate's are independent. The
    // scan's budget is shared out from the plans, before any check, so that what each
    // certificate may spend depends on the bundle alone and never on thread timing.
    let plans: Vec<SearchPlan> = (0..certs.len())
        .into_par_iter()
        .map(|i| plan_one(certs, i, index, now, memo))
        .collect();
    let spend = SearchSpend {
        allowed: allowed.unwrap_or_else(|| checks_allowed(&plans, certs.len())),
        beyond_first: plans
            .iter()
            .map(|p| extra_cost(p, MAX_KEYS_CHECKED))
            .collect(),
    };
    let searches = plans
        .into_par_iter()
        .enumerate()
        .map(|(i, plan)| search_one(certs, i, plan, spend.allowed, memo))
        .collect();
    (searches, spend)
}

/// How a bundle's issuer searches shared the scan's budget: a streamed scan checks that each
/// of its partial bundles shared it as the whole bundle does.
#[derive(Debug, Default)]
pub(crate) struct SearchSpend {
    /// How many key groups each certificate could check.
    pub(crate) allowed: usize,
    /// What each certificate's checks past its first would cost, were none to verify (by id).
    pub(crate) beyond_first: Vec<u64>,
}

/// The scan's budget for `certificates` certificates.
pub(crate) fn scan_budget(certificates: usize) -> u64 {
    SCAN_UNITS_FLOOR.saturating_add(SCAN_UNITS_PER_CERT.saturating_mul(certificates as u64))
}

/// What a plan's checks past its first cost, up to `level` checks.
fn extra_cost(plan: &SearchPlan, level: usize) -> u64 {
    plan.costs
        .iter()
        .take(level)
        .skip(1)
        .fold(0, |a, &b| a.saturating_add(b))
}

/// What checking a signature with `signer`'s key costs, in RSA-2048 checks. RSA verification
/// grows with the square of the modulus (the public exponent is small), so a bogus 8192-bit key
/// costs 16; other key types cost about one.
fn check_cost(signer: &Certificate) -> u64 {
    let d = &signer.data;
    if d.key_algorithm == crate::load::x509::KeyAlgorithm::Rsa {
        rsa_check_cost(d.key_bits)
    } else {
        1
    }
}

fn rsa_check_cost(bits: u32) -> u64 {
    let bits = u64::from(bits).max(2048);
    (bits * bits).div_ceil(2048 * 2048)
}

/// How many key groups every certificate may check: the most (up to [`MAX_KEYS_CHECKED`]) for
/// which every plan's checks past its first fit in the scan's budget, were none to verify.
/// The first check of each certificate is always allowed: the scan stays linear in the bundle.
fn checks_allowed(plans: &[SearchPlan], certificates: usize) -> usize {
    let budget = scan_budget(certificates);
    let spent = |level: usize| -> u64 {
        plans
            .iter()
            .map(|p| extra_cost(p, level))
            .fold(0, u64::saturating_add)
    };
    (1..=MAX_KEYS_CHECKED)
        .rev()
        .find(|&level| spent(level) <= budget)
        .unwrap_or(1)
}

#[expect(
    clippy::indexing_slicing,
    reason = "every index comes from enumerating `certs` or from the index built over it"
)]
fn plan_one(
    certs: &[Certificate],
    i: usize,
    index: &IssuerIndex<'_>,
    now: i64,
    memo: &SignatureMemo,
) -> SearchPlan {
    let c = &certs[i];
    let d = &c.data;
    let self_issued = d.subject.der == d.issuer.der;
    let self_signed = self_issued
        && matches!(
            memo.check_certificate(d, d),
            SignatureCheck::Valid | SignatureCheck::Unsupported
        );
    let mut plan = SearchPlan {
        self_issued,
        self_signed,
        groups: Vec::new(),
        costs: Vec::new(),
        truncated: false,
    };
    if self_signed {
        return plan; // an anchor: its path ends here
    }
    let candidates = index.candidates(d.authority_key_id.as_deref(), &d.issuer.der);
    let mut found: Vec<Candidate> = candidates
        .found
        .into_iter()
        .filter(|k| k.id.index() != i)
        .collect();

    // One group per distinct key: one signature check answers for all its certificates.
    let key = |k: &Candidate| certs[k.id.index()].public_key();
    found.sort_by(|a, b| key(a).cmp(key(b)).then(a.id.cmp(&b.id)));
    let groups: Vec<&[Candidate]> = found.chunk_by(|a, b| key(a) == key(b)).collect();
    // The likeliest key first: a key-identifier match, then an issuer valid when this
    // certificate was issued, then one valid now; content order last.
    let mut ranked: Vec<(bool, bool, bool, CertId, &[Candidate])> = groups
        .into_iter()
        .filter_map(|g| {
            let first = g.first()?;
            let any = |f: &dyn Fn(&Certificate) -> bool| g.iter().any(|k| f(&certs[k.id.index()]));
            Some((
                !g.iter().any(|k| k.by_key_id),
                !any(&|x| x.valid_at(d.not_before)),
                !any(&|x| x.valid_at(now)),
                first.id,
                g,
            ))
        })
        .collect();
    ranked.sort_by_key(|r| (r.0, r.1, r.2, r.3));
    plan.truncated = candidates.truncated || ranked.len() > MAX_KEYS_CHECKED;
    for (.., group) in ranked.into_iter().take(MAX_KEYS_CHECKED) {
        plan.costs.push(check_cost(&certs[group[0].id.index()]));
        plan.groups.push(group.iter().map(|k| k.id).collect());
    }
    plan
}

#[expect(
    clippy::indexing_slicing,
    reason = "every index comes from enumerating `certs` or from the index built over it"
)]
fn search_one(
    certs: &[Certificate],
    i: usize,
    plan: SearchPlan,
    allowed: usize,
    memo: &SignatureMemo,
) -> IssuerSearch {
    let d = &certs[i].data;
    let mut search = IssuerSearch {
        self_issued: plan.self_issued,
        self_signed: plan.self_signed,
        edges: Vec::new(),
        mismatches: Vec::new(),
        exhausted: false,
    };
    let mut unverified: Vec<CertId> = Vec::new();
    let mut verified = false;
    for (checked, group) in plan.groups.iter().enumerate() {
        if checked == allowed {
            search.exhausted = true;
            break;
        }
        let Some(first) = group.first() else { continue };
        match memo.check_certificate(d, &certs[first.index()].data) {
            SignatureCheck::Valid => {
                search.edges = group
                    .iter()
                    .map(|&issuer| IssuerEdge {
                        issuer,
                        signature: SignatureCheck::Valid,
                    })
                    .collect();
                verified = true;
                break;
            }
            SignatureCheck::Unsupported => unverified.extend(group),
            SignatureCheck::Invalid => search.mismatches.extend(group),
        }
    }
    if !verified {
        search.exhausted |= plan.truncated;
        search.edges = unverified
            .into_iter()
            .map(|issuer| IssuerEdge {
                issuer,
                signature: SignatureCheck::Unsupported,
            })
            .collect();
    }
    search.edges.sort_by_key(|e| e.issuer);
    search.mismatches.sort();
    search
}

/// Certificates a profile of the bundle pins as trust anchors, by SHA-1 or SHA-256 thumbprint
/// (lower-case hex, sorted): the paths that end at one of them are preferred.
#[derive(Debug, Default)]
pub(crate) struct PinnedAnchors {
    pub(crate) sha1: Vec<String>,
    pub(crate) sha256: Vec<String>,
}

impl PinnedAnchors {
    fn pins(&self, c: &Certificate) -> bool {
        self.sha1.binary_search(&c.data.sha1).is_ok()
            || self.sha256.binary_search(&c.data.sha256).is_ok()
    }
}

#[expect(
    clippy::indexing_slicing,
    reason = "every index comes from enumerating `certs` or from edges built over it, never from file data"
)]
/// Records the issuers on the certificates, chooses each one's path, and derives what follows
/// from the chosen paths: roles, client-auth chains, path-length violations.
pub(crate) fn apply(
    certs: &mut Certificates,
    searches: Vec<IssuerSearch>,
    pinned: &PinnedAnchors,
    now: i64,
    outside: &[LeafShare],
) {
    for (c, s) in certs.iter_mut().zip(searches) {
        c.self_issued = s.self_issued;
        c.self_signed = s.self_signed;
        c.issuer_edges = s.edges;
        c.issuer_mismatches = s.mismatches;
        c.issuer_search_exhausted = s.exhausted;
    }
    for c in certs.iter_mut() {
        c.anchor_pinned = c.self_signed && pinned.pins(c);
    }

    let best = best_paths(certs, now);
    let n = certs.len();
    let mut chains: Vec<(Vec<CertId>, ChainEnd)> = Vec::with_capacity(n);
    for i in 0..n {
        chains.push(match best[i] {
            Some(BestPath { quality, .. }) => {
                let mut chain = vec![CertId::from_index(i)];
                let mut at = i;
                while let Some(BestPath {
                    next: Some(step), ..
                }) = best[at]
                {
                    if chain.len() == MAX_CHAIN_LEN {
                        break;
                    }
                    chain.push(step.issuer);
                    at = step.issuer.index();
                }
                let end = if usize::try_from(quality.length).is_ok_and(|l| l <= MAX_CHAIN_LEN) {
                    ChainEnd::Anchor
                } else {
                    ChainEnd::DepthLimit
                };
                (chain, end)
            }
            None => partial_path(certs, CertId::from_index(i), now),
        });
    }
    for (c, (chain, end)) in certs.iter_mut().zip(chains) {
        c.set_chain(chain, end);
    }

    assign_roles(certs, outside);
    if reweigh(certs, now) {
        // A reweighed chain may start at another certificate of the same CA.
        assign_roles(certs, outside);
    }

    // Where a chain stops short, the certificate at the break carries it: the one whose
    // issuer is missing, a member of the cycle, the first beyond the depth limit. A cycle
    // through a CA that another of its certificates anchors is no break: that certificate is a
    // cross-certificate for relying parties anchored elsewhere.
    let for_elsewhere = cross_certificates_for_elsewhere(certs);
    for i in 0..n {
        let c = &certs[i];
        let here = match c.chain_end {
            ChainEnd::Anchor => false,
            ChainEnd::IssuerMissing | ChainEnd::SignatureMismatch | ChainEnd::SearchExhausted => {
                c.chain.len() == 1
            }
            ChainEnd::Cycle { back_to } => back_to.index() == i && !for_elsewhere[i],
            ChainEnd::DepthLimit => c
                .issuer
                .is_none_or(|j| certs[j.index()].chain_end != ChainEnd::DepthLimit),
        };
        certs[i].chain_breaks_here = here;
    }

    let over: Vec<Option<CertId>> = (0..n)
        .map(|i| path_len_exceeded(certs, &certs[i].chain))
        .collect();
    for i in 0..n {
        // Report only the first certificate down the chain that exceeds the constraint: the
        // ones below it exceed it too, because of it.
        let parent_over = certs[i]
            .chain
            .get(1)
            .is_some_and(|&p| over[p.index()].is_some());
        certs[i].path_len_exceeded_by = over[i].filter(|_| !parent_over);
    }

    for (c, share) in certs.iter_mut().zip(outside) {
        c.in_client_auth_chain |= share.client_chains > 0;
        c.in_server_auth_chain |= share.server_chains > 0;
    }
    for i in 0..n {
        let (client, server) = (certs[i].client_auth, certs[i].names_server_auth());
        if certs[i].role == Role::Leaf && (client || server) {
            for k in 0..certs[i].chain.len() {
                let j = certs[i].chain[k].index();
                certs[j].in_client_auth_chain |= client;
                certs[j].in_server_auth_chain |= server;
            }
        }
    }

    if certs.iter().any(|c| c.data.name_constraints.is_some()) {
        let breaches: Vec<_> = (0..n)
            .into_par_iter()
            .map(|i| {
                if for_elsewhere[i] {
                    None
                } else {
                    name_constraints_breach(certs, i)
                }
            })
            .collect();
        for (c, b) in certs.iter_mut().zip(breaches) {
            c.name_constraints_breach = b.map(Box::new);
        }
    }
}

/// The first CA up the chosen chain of certificate `i` whose name constraints its names break.
/// A self-issued CA certificate is exempt (RFC 5280 §6.1.3 (b)); a leaf never is.
#[expect(
    clippy::indexing_slicing,
    reason = "chain ids come from `apply`, which built them over `certs`"
)]
fn name_constraints_breach(
    certs: &Certificates,
    i: usize,
) -> Option<(CertId, NameConstraintBreach)> {
    let c = &certs[i];
    if c.self_issued && c.role != Role::Leaf {
        return None;
    }
    let constraining: Vec<CertId> = c
        .chain
        .iter()
        .skip(1)
        .copied()
        .filter(|&a| certs[a.index()].data.name_constraints.is_some())
        .collect();
    if constraining.is_empty() {
        return None;
    }
    let names = name_constraints::Names::of(&c.data);
    let mut budget = name_constraints::MAX_COMPARISONS;
    constraining.into_iter().find_map(|a| {
        let nc = certs[a.index()].data.name_constraints.as_deref()?;
        name_constraints::check(&names, nc, &mut budget).map(|b| (a, b))
    })
}

/// An `http://` or `https://` URL: one any relying party can fetch, unlike `ldap://`.
pub(crate) fn is_http(url: &str) -> bool {
    let scheme = url.split(':').next().unwrap_or_default();
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// Counts what each certificate issued (on the chosen chains; with what the leaves outside a
/// partial bundle add, by id) and derives its role and client-auth use.
fn assign_roles(certs: &mut Certificates, outside: &[LeafShare]) {
    let mut issued = vec![(0u32, 0u32); certs.len()];
    for (counts, share) in issued.iter_mut().zip(outside) {
        *counts = (share.issued, share.issued_with_http_aia);
    }
    for c in certs.iter() {
        if let Some(j) = c.issuer
            && let Some((n, http)) = issued.get_mut(j.index())
        {
            *n = n.saturating_add(1);
            if c.data.ca_issuers.iter().any(|u| is_http(u)) {
                *http = http.saturating_add(1);
            }
        }
    }
    for (c, (issued, http)) in certs.iter_mut().zip(issued) {
        c.issued_count = issued;
        c.issued_with_http_aia = http;
        let is_ca = c.data.basic_constraints.is_some_and(|(ca, _)| ca);
        let explicitly_end_entity = c.data.basic_constraints.is_some_and(|(ca, _)| !ca);
        c.role = if c.self_signed && !explicitly_end_entity {
            Role::Root
        } else if !c.self_signed && (is_ca || c.issued_count > 0) {
            Role::IntermediateCa
        } else {
            Role::Leaf
        };
        c.client_auth = c.role == Role::Leaf && c.allows_eku(super::certificate::EKU_CLIENT_AUTH);
    }
}

/// Weighs again, one by one, the candidate paths of the certificates whose chosen chain
/// depends on the certificate itself, which the shortest-path search cannot see:
/// - a chain that meets the certificate's own CA again (a cross-certificate a member PKI issued
///   to a bridge, validated from the bridge's side): Windows calls it cyclic
///   (`CERT_TRUST_IS_CYCLIC`: a certificate of the chain "was issued by a CA that the original
///   certificate had certified");
/// - a CA above whose name constraints its names break, or whose EKUs exclude its usage.
///
/// Another path may be free of them, as Windows ranks a chain without trust errors first. A
/// cyclic chain with no other complete path becomes its partial path. Bounded by
/// [`candidate_paths::MAX_PATHS_EXPLORED`] paths per certificate; only such certificates pay.
/// Returns whether any chain changed.
fn reweigh(certs: &mut Certificates, now: i64) -> bool {
    let loops = |c: &Certificate| {
        c.chain
            .iter()
            .skip(1)
            .any(|&a| certs.get(a).is_some_and(|a| a.same_ca(c)))
    };
    let concerned = |c: &Certificate| {
        c.chain_complete
            && (loops(c)
                || c.chain.iter().skip(1).any(|&a| {
                    certs.get(a).is_some_and(|a| {
                        a.data.name_constraints.is_some() || a.data.extended_key_usage.is_some()
                    })
                }))
    };
    let ids: Vec<CertId> = certs
        .iter_ids()
        .filter(|(_, c)| concerned(c))
        .map(|(id, _)| id)
        .collect();
    if ids.is_empty() {
        return false;
    }
    let shared: &Certificates = certs;
    let chosen: Vec<(CertId, Vec<CertId>, ChainEnd)> = ids
        .into_par_iter()
        .filter_map(|id| {
            let c = shared.get(id)?;
            let looping = loops(c);
            let current = if looping {
                None
            } else {
                let q = candidate_paths::quality(shared, &c.chain, now)?;
                if q.usage_errors == 0 {
                    return None;
                }
                Some(q)
            };
            let better = candidate_paths::explore(shared, id, MAX_CHAIN_LEN)
                .paths
                .into_iter()
                .filter_map(|p| Some((candidate_paths::quality(shared, &p, now)?, p)))
                .filter(|(q, _)| current.is_none_or(|current| *q < current))
                .min();
            match better {
                Some((_, path)) => Some((id, path, ChainEnd::Anchor)),
                None if looping => {
                    let (path, end) = partial_path(shared, id, now);
                    Some((id, path, end))
                }
                None => None,
            }
        })
        .collect();
    let changed = !chosen.is_empty();
    for (id, path, end) in chosen {
        if let Some(c) = certs.get_mut(id) {
            c.set_chain(path, end);
        }
    }
    changed
}

/// For each certificate, whether its chain cycles back through its own CA while another
/// certificate of that CA is anchored: a cross-certificate a member PKI issued to a bridge, for
/// relying parties anchored at the member. From this bundle's roots its chain means nothing, so
/// no rule judges what lies above it. Cycles are rare: without one, nothing is hashed.
fn cross_certificates_for_elsewhere(certs: &Certificates) -> Vec<bool> {
    let cycles = |c: &Certificate| matches!(c.chain_end, ChainEnd::Cycle { .. });
    if !certs.iter().any(cycles) {
        return vec![false; certs.len()];
    }
    let ca_of = ca_identities(certs);
    let mut anchored = vec![false; certs.len()];
    for (c, ca) in certs.iter().zip(&ca_of) {
        if c.chain_complete
            && let Some(a) = anchored.get_mut(ca.index())
        {
            *a = true;
        }
    }
    certs
        .iter()
        .zip(&ca_of)
        .map(|(c, ca)| cycles(c) && anchored.get(ca.index()).is_some_and(|a| *a))
        .collect()
}

/// For each certificate, the first certificate (in content order) of its CA: same subject,
/// same public key. Two certificates of one CA (a cross-certificate, a same-key renewal) share
/// it.
pub(crate) fn ca_identities(certs: &[Certificate]) -> Vec<CertId> {
    let mut first: std::collections::HashMap<(&[u8], &[u8]), CertId> =
        std::collections::HashMap::with_capacity(certs.len());
    certs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            *first
                .entry((c.data.subject.der.as_slice(), c.public_key()))
                .or_insert(CertId::from_index(i))
        })
        .collect()
}

/// A certificate's best complete path: its quality and its first step (none for an anchor).
#[derive(Debug, Clone, Copy)]
struct BestPath {
    quality: PathQuality,
    next: Option<IssuerEdge>,
}

/// The best complete path of every certificate; `None` where no path reaches an anchor. A shortest-path search from all
/// anchors at once over the issuer edges reversed: each certificate's best path is its best
/// issuer's plus one link, so every quality is final when it leaves the queue. Ties go to the
/// issuer first in content order, as the queue breaks them by id.
#[expect(
    clippy::indexing_slicing,
    reason = "every index comes from enumerating `certs` or from edges built over it"
)]
fn best_paths(certs: &[Certificate], now: i64) -> Vec<Option<BestPath>> {
    let n = certs.len();
    // Edges downwards (issuer → certificate), grouped by issuer.
    let mut down: Vec<(usize, usize, SignatureCheck)> = certs
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.self_signed)
        .flat_map(|(i, c)| {
            c.issuer_edges
                .iter()
                .map(move |e| (e.issuer.index(), i, e.signature))
        })
        .collect();
    down.sort_unstable_by_key(|&(j, i, _)| (j, i));
    let mut first = vec![0usize; n.saturating_add(1)];
    for &(j, _, _) in &down {
        first[j.saturating_add(1)] = first[j.saturating_add(1)].saturating_add(1);
    }
    for k in 1..first.len() {
        first[k] = first[k].saturating_add(first[k - 1]);
    }

    let mut best: Vec<Option<BestPath>> = vec![None; n];
    let mut done = vec![false; n];
    let mut queue = BinaryHeap::new();
    for (i, c) in certs.iter().enumerate() {
        if c.self_signed {
            let q = PathQuality::anchor(c, c.anchor_pinned, now);
            best[i] = Some(BestPath {
                quality: q,
                next: None,
            });
            queue.push(Reverse((q, i)));
        }
    }
    while let Some(Reverse((q, j))) = queue.pop() {
        if done[j] {
            continue;
        }
        done[j] = true;
        for &(_, i, signature) in &down[first[j]..first[j + 1]] {
            if done[i] {
                continue;
            }
            let offer = q.extend(&certs[i], &certs[j], signature, now);
            let better = match best[i] {
                None => true,
                Some(BestPath {
                    quality,
                    next: Some(via),
                }) => (offer, j) < (quality, via.issuer.index()),
                Some(BestPath { next: None, .. }) => false,
            };
            if better {
                best[i] = Some(BestPath {
                    quality: offer,
                    next: Some(IssuerEdge {
                        issuer: CertId::from_index(j),
                        signature,
                    }),
                });
                queue.push(Reverse((offer, i)));
            }
        }
    }
    best
}

/// The chain of a certificate no path anchors: as far up as its issuers go, the time-valid,
/// time-nested CA issuer first at each step, never meeting a CA twice. Says why it stops.
fn partial_path(certs: &Certificates, start: CertId, now: i64) -> (Vec<CertId>, ChainEnd) {
    let mut chain = vec![start];
    let mut at = start;
    loop {
        let Some(c) = certs.get(at) else {
            return (chain, ChainEnd::IssuerMissing);
        };
        if c.issuer_edges.is_empty() {
            let end = if c.issuer_search_exhausted {
                ChainEnd::SearchExhausted
            } else if c.issuer_mismatches.is_empty() {
                ChainEnd::IssuerMissing
            } else {
                ChainEnd::SignatureMismatch
            };
            return (chain, end);
        }
        if chain.len() == MAX_CHAIN_LEN {
            return (chain, ChainEnd::DepthLimit);
        }
        let rank = |e: &IssuerEdge| {
            let issuer = certs.get(e.issuer);
            (
                !issuer.is_some_and(|x| x.valid_at(now)),
                !issuer.is_some_and(|x| c.nested_in(x)),
                !issuer.is_some_and(Certificate::may_issue),
                e.issuer,
            )
        };
        // A CA met again through another of its certificates is a loop too, the start's own
        // CA included (`CERT_TRUST_IS_CYCLIC`).
        let on_path = |e: &IssuerEdge| {
            certs.get(e.issuer).is_none_or(|issuer| {
                chain
                    .iter()
                    .any(|&k| certs.get(k).is_some_and(|k| k.same_ca(issuer)))
            })
        };
        let next = c
            .issuer_edges
            .iter()
            .filter(|e| !on_path(e))
            .min_by_key(|e| rank(e));
        match next {
            Some(e) => {
                chain.push(e.issuer);
                at = e.issuer;
            }
            None => {
                let back_to = c
                    .issuer_edges
                    .iter()
                    .min_by_key(|e| rank(e))
                    .map_or(start, |e| e.issuer);
                return (chain, ChainEnd::Cycle { back_to });
            }
        }
    }
}

/// The CA whose pathLenConstraint the chain of a CA certificate breaks for what that CA issues
/// (RFC 5280 §6.1.4 (l)-(m)): more non-self-issued CA certificates between the constraining CA
/// and an end entity than it allows. The start counts only when it issued a certificate of the
/// bundle (it is then an intermediate of that certificate's path); as the target of its own
/// path it does not count against the constraints above it. NPS reason 281.
#[expect(
    clippy::indexing_slicing,
    reason = "chain ids come from `apply`, which built them over `certs`"
)]
fn path_len_exceeded(certs: &Certificates, chain: &[CertId]) -> Option<CertId> {
    let start = certs.get(*chain.first()?)?;
    let start_counts = start.issued_count > 0 && !start.self_issued;
    for (j, &ancestor) in chain.iter().enumerate().skip(1) {
        let Some((true, Some(max))) = certs[ancestor.index()].data.basic_constraints else {
            continue;
        };
        let below = chain.get(1..j).unwrap_or_default();
        let cas_below = below
            .iter()
            .filter(|&&k| !certs[k.index()].self_issued)
            .count()
            .saturating_add(usize::from(start_counts));
        if u64::try_from(cas_below).unwrap_or(u64::MAX) > u64::from(max) {
            return Some(ancestor);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

    use crate::facts::Bundle;
    use crate::load::{Artifact, LoadedFile};
    use crate::location::Location;

    type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

    fn ca_params(cn: &str) -> CertificateParams {
        let mut p = CertificateParams::default();
        p.distinguished_name.push(DnType::CommonName, cn);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.use_authority_key_identifier_extension = true;
        p
    }

    fn bundle(ders: &[(&str, Vec<u8>)]) -> TestResult<Bundle> {
        let mut loaded = Vec::new();
        for (name, der) in ders {
            let path: Arc<str> = Arc::from(*name);
            let (c, _) = crate::load::x509::parse(der, Location::file(path.clone()))?;
            loaded.push(LoadedFile {
                path,
                size: 0,
                kind: None,
                text: None,
                artifacts: vec![Artifact::Certificate(Box::new(c))],
                problem: None,
                skipped: None,
                explicit: false,
                next_page: None,
            });
        }
        // 2026-06-01: inside the validity of every certificate made here unless a test sets
        // dates, and after the ones it backdates.
        Ok(Bundle::build(loaded, Vec::new(), 1_780_272_000))
    }

    fn by_file<'b>(b: &'b Bundle, name: &str) -> TestResult<&'b crate::facts::Certificate> {
        Ok(b.certificates
            .iter()
            .find(|c| &*c.data.location.path == name)
            .ok_or(format!("no certificate from {name}"))?)
    }

    #[test]
    fn cross_certificate_and_self_signed_root_both_anchor_the_chain() -> TestResult {
        let (ka, kb, kl) = (
            KeyPair::generate()?,
            KeyPair::generate()?,
            KeyPair::generate()?,
        );
        let (pa, pb) = (ca_params("Root A"), ca_params("Root B"));
        let root_a = pa.self_signed(&ka)?;
        let root_b = pb.self_signed(&kb)?;
        let cross_b = pb.signed_by(&kb, &Issuer::from_params(&pa, &ka))?;
        let mut pl = CertificateParams::default();
        pl.distinguished_name.push(DnType::CommonName, "leaf");
        pl.use_authority_key_identifier_extension = true;
        let leaf = pl.signed_by(&kl, &Issuer::from_params(&pb, &kb))?;
        let b = bundle(&[
            ("a.cer", root_a.der().to_vec()),
            ("b.cer", root_b.der().to_vec()),
            ("cross.cer", cross_b.der().to_vec()),
            ("leaf.cer", leaf.der().to_vec()),
        ])?;
        let leaf = by_file(&b, "leaf.cer")?;
        assert!(leaf.chain_complete);
        assert!(leaf.client_auth, "no EKU extension means any purpose");
        let cross = by_file(&b, "cross.cer")?;
        assert_eq!(cross.role, crate::facts::Role::IntermediateCa);
        assert_eq!(cross.chain.len(), 2);
        assert!(cross.chain_complete);
        assert!(by_file(&b, "a.cer")?.self_signed && by_file(&b, "b.cer")?.self_signed);
        assert!(
            by_file(&b, "a.cer")?.in_client_auth_chain
                || by_file(&b, "b.cer")?.in_client_auth_chain
        );
        Ok(())
    }

    #[test]
    fn a_cycle_of_cross_certificates_stops_and_does_not_anchor() -> TestResult {
        let (ka, kb) = (KeyPair::generate()?, KeyPair::generate()?);
        let (pa, pb) = (ca_params("CA A"), ca_params("CA B"));
        let a_by_b = pa.signed_by(&ka, &Issuer::from_params(&pb, &kb))?;
        let b_by_a = pb.signed_by(&kb, &Issuer::from_params(&pa, &ka))?;
        let b = bundle(&[
            ("ab.cer", a_by_b.der().to_vec()),
            ("ba.cer", b_by_a.der().to_vec()),
        ])?;
        for (id, c) in b.certificates.iter_ids() {
            assert!(!c.self_signed);
            assert!(c.issuer.is_some());
            assert_eq!(c.chain.len(), 2, "the walk stops where it would revisit");
            assert!(!c.chain_complete);
            assert_eq!(c.chain_end, crate::facts::ChainEnd::Cycle { back_to: id });
            assert!(
                c.chain_breaks_here,
                "each certificate of the cycle carries the break"
            );
        }
        Ok(())
    }

    #[test]
    fn a_same_name_issuer_with_another_key_is_not_the_issuer() -> TestResult {
        let (k_old, k_new, kl) = (
            KeyPair::generate()?,
            KeyPair::generate()?,
            KeyPair::generate()?,
        );
        let p = ca_params("Contoso Issuing CA");
        let old = p.self_signed(&k_old)?;
        let new = p.self_signed(&k_new)?;
        let mut pl = CertificateParams::default();
        pl.distinguished_name.push(DnType::CommonName, "leaf");
        // No AKI: only the name links the leaf to a CA, as in old Windows-issued certificates.
        let leaf = pl.signed_by(&kl, &Issuer::from_params(&p, &k_new))?;
        let b = bundle(&[
            ("old.cer", old.der().to_vec()),
            ("new.cer", new.der().to_vec()),
            ("leaf.cer", leaf.der().to_vec()),
        ])?;
        let leaf = by_file(&b, "leaf.cer")?;
        let issuer = b
            .certificates
            .get(leaf.issuer.ok_or("the leaf has no issuer")?)
            .ok_or("no such issuer")?;
        assert_eq!(&*issuer.data.location.path, "new.cer");
        assert_eq!(
            leaf.issuer_signature,
            Some(crate::facts::signature::SignatureCheck::Valid)
        );
        // The other key is checked only when its turn comes first; it never becomes an edge.
        assert_eq!(leaf.issuer_edges.len(), 1);
        for &m in &leaf.issuer_mismatches {
            let m = b.certificates.get(m).ok_or("no such mismatch")?;
            assert_eq!(&*m.data.location.path, "old.cer");
        }
        Ok(())
    }

    #[test]
    fn a_current_same_key_issuer_beats_an_expired_one_whatever_the_content_order() -> TestResult {
        // Two certificates of one CA (one key, one name): the 2010 one expired, the 2020 one
        // current. The leaf's chain runs through the current one, and the expired one is an
        // alternative edge, not the issuer.
        let (k_root, k_ca, k_leaf) = (
            KeyPair::generate()?,
            KeyPair::generate()?,
            KeyPair::generate()?,
        );
        let root = ca_params("Root");
        let mut old = ca_params("Issuing CA");
        old.not_before = rcgen::date_time_ymd(2010, 1, 1);
        old.not_after = rcgen::date_time_ymd(2015, 1, 1);
        let mut new = ca_params("Issuing CA");
        new.not_before = rcgen::date_time_ymd(2020, 1, 1);
        new.not_after = rcgen::date_time_ymd(2040, 1, 1);
        let root_issuer = Issuer::from_params(&root, &k_root);
        let mut pl = CertificateParams::default();
        pl.distinguished_name.push(DnType::CommonName, "leaf");
        pl.use_authority_key_identifier_extension = true;
        pl.not_before = rcgen::date_time_ymd(2021, 1, 1);
        pl.not_after = rcgen::date_time_ymd(2030, 1, 1);
        let leaf = pl.signed_by(&k_leaf, &Issuer::from_params(&new, &k_ca))?;
        let b = bundle(&[
            ("root.cer", root.self_signed(&k_root)?.der().to_vec()),
            (
                "old.cer",
                old.signed_by(&k_ca, &root_issuer)?.der().to_vec(),
            ),
            (
                "new.cer",
                new.signed_by(&k_ca, &root_issuer)?.der().to_vec(),
            ),
            ("leaf.cer", leaf.der().to_vec()),
        ])?;
        let leaf = by_file(&b, "leaf.cer")?;
        assert_eq!(
            leaf.issuer_edges.len(),
            2,
            "both certificates of the CA verify it"
        );
        let issuer = b
            .certificates
            .get(leaf.issuer.ok_or("no issuer")?)
            .ok_or("no such issuer")?;
        assert_eq!(&*issuer.data.location.path, "new.cer");
        assert!(leaf.chain_complete);
        assert_eq!(leaf.chain.len(), 3);
        Ok(())
    }

    #[test]
    fn the_depth_limit_breaks_a_chain_once_where_it_is_crossed() -> TestResult {
        // A root and 17 CAs, each issued by the one before: CA 15 is the 16th certificate of
        // its chain, the last that fits; CA 16 is the first past the limit.
        let keys: Vec<KeyPair> = (0..18)
            .map(|_| KeyPair::generate())
            .collect::<Result<_, _>>()?;
        let params: Vec<CertificateParams> =
            (0..18).map(|i| ca_params(&format!("CA {i}"))).collect();
        let mut ders = vec![(
            "ca00.cer".to_owned(),
            params[0].self_signed(&keys[0])?.der().to_vec(),
        )];
        for i in 1..18 {
            let issuer = Issuer::from_params(&params[i - 1], &keys[i - 1]);
            ders.push((
                format!("ca{i:02}.cer"),
                params[i].signed_by(&keys[i], &issuer)?.der().to_vec(),
            ));
        }
        let named: Vec<(&str, Vec<u8>)> =
            ders.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
        let b = bundle(&named)?;
        let fits = by_file(&b, "ca15.cer")?;
        assert!(fits.chain_complete);
        assert_eq!(fits.chain.len(), super::MAX_CHAIN_LEN);
        let past = by_file(&b, "ca16.cer")?;
        assert_eq!(past.chain_end, crate::facts::ChainEnd::DepthLimit);
        assert!(!past.chain_complete && past.chain_breaks_here);
        assert_eq!(past.chain.len(), super::MAX_CHAIN_LEN, "kept to the limit");
        let below = by_file(&b, "ca17.cer")?;
        assert_eq!(below.chain_end, crate::facts::ChainEnd::DepthLimit);
        assert!(!below.chain_breaks_here, "it inherits the break");
        Ok(())
    }

    fn plans(n: usize, keys: usize, cost: u64) -> Vec<super::SearchPlan> {
        (0..n)
            .map(|_| super::SearchPlan {
                self_issued: false,
                self_signed: false,
                groups: vec![Vec::new(); keys],
                costs: vec![cost; keys],
                truncated: false,
            })
            .collect()
    }

    #[test]
    fn a_real_bundle_never_feels_the_scan_budget() {
        // A million certificates with a handful of candidate keys each (cross-certificates).
        assert_eq!(
            super::checks_allowed(&plans(1_000_000, 4, 1), 1_000_000),
            super::MAX_KEYS_CHECKED
        );
        assert_eq!(
            super::checks_allowed(&plans(20, 16, 1), 20),
            super::MAX_KEYS_CHECKED
        );
    }

    #[test]
    fn the_scan_budget_lowers_every_certificate_alike() {
        // 500 same-name Ed25519 CAs: 15 × 500 checks past the first would exceed 4,096 + 2,000.
        assert_eq!(super::checks_allowed(&plans(500, 16, 1), 500), 13);
        // Bogus 8192-bit RSA keys cost 16 each: 300 of them get one check past the first.
        assert_eq!(super::rsa_check_cost(8192), 16);
        assert_eq!(super::checks_allowed(&plans(300, 16, 16), 300), 2);
        // Never below the first check: the scan stays linear, however hostile.
        assert_eq!(super::checks_allowed(&plans(100_000, 16, 16), 10), 1);
    }
}
