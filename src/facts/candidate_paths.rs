//! The candidate paths of one certificate, enumerated: what the chain engine weighs when the
//! best path depends on the certificate itself (its names against name constraints, its usage
//! against the EKUs of the CAs above it), and what `trustlint chain` lists as alternatives.
//! Bounded: a bridge mesh can hold thousands of simple paths.

use super::certificate::{Certificate, Certificates, Role};
use super::id::CertId;
use super::name_constraints;
use super::path_quality::PathQuality;

/// Most candidate paths explored for one certificate.
pub(crate) const MAX_PATHS_EXPLORED: usize = 64;

/// The candidate paths of a certificate, each from it up.
pub(crate) struct CandidatePaths {
    /// Paths that end at a self-signed certificate, at a certificate with no new issuer, or at
    /// the depth limit; in depth-first order over the issuers in content order.
    pub(crate) paths: Vec<Vec<CertId>>,
    /// [`MAX_PATHS_EXPLORED`] was reached: there may be more.
    pub(crate) exhausted: bool,
}

/// Every candidate path of `start`, up to the budget. A path never meets a CA twice (subject
/// and key), the start's own CA included: Windows calls such a chain cyclic.
pub(crate) fn explore(certs: &Certificates, start: CertId, max_len: usize) -> CandidatePaths {
    let mut paths = Vec::new();
    let mut stack = vec![start];
    let exhausted = !walk(certs, &mut stack, &mut paths, max_len);
    CandidatePaths { paths, exhausted }
}

fn walk(
    certs: &Certificates,
    stack: &mut Vec<CertId>,
    paths: &mut Vec<Vec<CertId>>,
    max_len: usize,
) -> bool {
    let Some(c) = stack.last().and_then(|&id| certs.get(id)) else {
        return true;
    };
    let on_path = |i: CertId| {
        let Some(issuer) = certs.get(i) else {
            return true;
        };
        stack
            .iter()
            .any(|&s| certs.get(s).is_some_and(|s| s.same_ca(issuer)))
    };
    let next: Vec<CertId> = c
        .issuer_edges
        .iter()
        .map(|e| e.issuer)
        .filter(|&i| !on_path(i))
        .collect();
    if c.self_signed || next.is_empty() || stack.len() == max_len {
        if paths.len() == MAX_PATHS_EXPLORED {
            return false;
        }
        paths.push(stack.clone());
        return true;
    }
    for issuer in next {
        stack.push(issuer);
        let go_on = walk(certs, stack, paths, max_len);
        stack.pop();
        if !go_on {
            return false;
        }
    }
    true
}

/// The quality of `path` (its start first) when it ends at a self-signed certificate, with the
/// errors that depend on the start: its names against the name constraints above it, and (for
/// a leaf) its client or server usage against the EKUs of the CAs above it.
pub(crate) fn quality(certs: &Certificates, path: &[CertId], now: i64) -> Option<PathQuality> {
    let anchor = certs.get(*path.last()?)?;
    if !anchor.self_signed {
        return None;
    }
    let mut q = PathQuality::anchor(anchor, anchor.anchor_pinned, now);
    for pair in path.windows(2).rev() {
        let [child, issuer] = pair else { return None };
        let (child, issuer_id) = (certs.get(*child)?, *issuer);
        let issuer = certs.get(issuer_id)?;
        let signature = child
            .issuer_edges
            .iter()
            .find(|e| e.issuer == issuer_id)?
            .signature;
        q = q.extend(child, issuer, signature, now);
    }
    let start = certs.get(*path.first()?)?;
    let above = || path.iter().skip(1).filter_map(|&id| certs.get(id));
    let mut errors = 0u32;
    if start.role == Role::Leaf {
        let excludes = |allows: fn(&Certificate) -> bool| {
            above()
                .filter(|ca| ca.data.extended_key_usage.is_some() && !allows(ca))
                .count()
        };
        if start.client_auth {
            errors = errors.saturating_add(count(excludes(Certificate::allows_client_auth)));
        }
        if start.names_server_auth() {
            errors = errors.saturating_add(count(excludes(Certificate::server_auth)));
        }
    }
    let constrained = above().any(|ca| ca.data.name_constraints.is_some());
    if constrained && (!start.self_issued || start.role == Role::Leaf) {
        let mut budget = name_constraints::MAX_COMPARISONS;
        let names = name_constraints::Names::of(&start.data);
        let breaches = above()
            .filter_map(|ca| ca.data.name_constraints.as_deref())
            .filter(|nc| name_constraints::check(&names, nc, &mut budget).is_some())
            .count();
        errors = errors.saturating_add(count(breaches));
    }
    Some(q.with_usage_errors(errors))
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
