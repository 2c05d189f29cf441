//! Issuer resolution and chain building, in the manner of the Windows chain engine: candidates
//! by authority key identifier first, then by issuer name; a candidate counts only when its key
//! verifies the signature; cycles stop the walk.

use std::collections::HashMap;

use super::certificate::{Certificate, Role};
use super::signature::{SignatureCheck, check};

/// Longest chain followed. Windows has no documented limit short of the path-length
/// constraints; rustls-webpki stops at 6 sub-CAs. 16 covers every real hierarchy and bounds a
/// crafted bundle's work.
const MAX_CHAIN_LEN: usize = 16;

#[expect(
    clippy::indexing_slicing,
    reason = "every index comes from enumerating `certs` or from maps built over it, never from file data"
)]
/// Resolves issuers, builds chains and assigns roles. `certs` is sorted by SHA-256, which makes
/// every choice below deterministic.
pub fn resolve(certs: &mut [Certificate], now: i64) {
    let mut by_ski: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_subject: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, c) in certs.iter().enumerate() {
        if let Some(ski) = &c.data.subject_key_id {
            by_ski.entry(ski.as_str()).or_default().push(i);
        }
        by_subject
            .entry(c.data.subject.der.as_slice())
            .or_default()
            .push(i);
    }

    let mut resolved = Vec::with_capacity(certs.len());
    for (i, c) in certs.iter().enumerate() {
        let d = &c.data;
        let self_issued = d.subject.der == d.issuer.der;
        let self_check = self_issued.then(|| check(&d.der, &d.signed, d));
        let self_signed = matches!(
            self_check,
            Some(SignatureCheck::Valid | SignatureCheck::Unsupported)
        );

        // Candidates: key-identifier matches first, then name matches; the current ones (valid
        // at `now`) before expired ones, as Windows prefers time-valid issuers.
        let mut candidates: Vec<(u8, bool, usize)> = Vec::new();
        if let Some(aki) = &d.authority_key_id {
            for &j in by_ski.get(aki.as_str()).into_iter().flatten() {
                candidates.push((0, !is_current(&certs[j], now), j));
            }
        }
        for &j in by_subject
            .get(d.issuer.der.as_slice())
            .into_iter()
            .flatten()
        {
            if !candidates.iter().any(|(_, _, k)| *k == j) {
                candidates.push((1, !is_current(&certs[j], now), j));
            }
        }
        candidates.retain(|(_, _, j)| *j != i);
        candidates.sort();

        let mut issuer = None;
        let mut mismatches = Vec::new();
        if !self_signed {
            for &(_, _, j) in &candidates {
                match check(&d.der, &d.signed, &certs[j].data) {
                    SignatureCheck::Valid => {
                        issuer = Some((j, SignatureCheck::Valid));
                        break;
                    }
                    SignatureCheck::Unsupported => {
                        if issuer.is_none() {
                            issuer = Some((j, SignatureCheck::Unsupported));
                        }
                    }
                    SignatureCheck::Invalid => mismatches.push(j),
                }
            }
        }
        resolved.push((self_issued, self_signed, issuer, mismatches));
    }

    for (c, (self_issued, self_signed, issuer, mismatches)) in certs.iter_mut().zip(resolved) {
        c.self_issued = self_issued;
        c.self_signed = self_signed;
        c.issuer = issuer.map(|(j, _)| j);
        c.issuer_signature = issuer.map(|(_, s)| s);
        c.issuer_mismatches = mismatches;
    }

    let mut issued = vec![0u32; certs.len()];
    for c in certs.iter() {
        if let Some(j) = c.issuer
            && let Some(n) = issued.get_mut(j)
        {
            *n = n.saturating_add(1);
        }
    }

    for i in 0..certs.len() {
        let mut chain = vec![i];
        let mut at = i;
        let mut complete = certs[i].self_signed;
        while !complete && chain.len() < MAX_CHAIN_LEN {
            let Some(next) = certs[at].issuer else { break };
            if chain.contains(&next) {
                break; // a cycle of cross-certificates: stop, the chain does not anchor
            }
            chain.push(next);
            at = next;
            complete = certs[next].self_signed;
        }
        let c = &mut certs[i];
        c.chain = chain;
        c.chain_complete = complete;
        c.issued_count = issued[i];
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

    for i in 0..certs.len() {
        if certs[i].client_auth {
            for j in certs[i].chain.clone() {
                certs[j].in_client_auth_chain = true;
            }
        }
    }
}

fn is_current(c: &Certificate, now: i64) -> bool {
    c.data.not_before <= now && now <= c.data.not_after
}
