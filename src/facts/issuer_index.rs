//! Where to look for the issuer of a certificate or a CRL: the certificates of the bundle by
//! subject key identifier and by subject name.

use rayon::prelude::*;

use super::certificate::Certificate;
use super::id::{CertId, Id};

/// Most candidates by name one object considers. Real PKIs put a handful of certificates under
/// one name (renewals, cross-certificates); a crafted bundle can put thousands, and every
/// candidate costs a signature check, so the search is bounded and says when it stopped
/// ([`Candidates::truncated`]).
pub(crate) const MAX_CANDIDATES: usize = 256;

/// Certificates of the bundle by subject key identifier and by subject name. Sorted (hash,
/// index) lists searched by bisection, each hit confirmed against the certificate itself: most
/// subjects are leaves that issue nothing, and a hash map with a list per key, or a sort
/// comparing names scattered over the heap, grew faster than the bundle.
pub(crate) struct IssuerIndex<'a> {
    certs: &'a [Certificate],
    by_ski: Vec<(u64, usize)>,
    by_subject: Vec<(u64, usize)>,
}

/// The possible issuers of one object, as [`IssuerIndex::candidates`] finds them.
#[derive(Debug, Default)]
pub(crate) struct Candidates {
    /// Each candidate once, with how it matched, in index (content) order within each match.
    pub(crate) found: Vec<Candidate>,
    /// More certificates matched than [`MAX_CANDIDATES`]; the rest were not considered.
    pub(crate) truncated: bool,
}

/// One possible issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) id: CertId,
    /// Its subject key identifier is the object's authority key identifier (else it matched
    /// by name only).
    pub(crate) by_key_id: bool,
}

impl<'a> IssuerIndex<'a> {
    /// Indexes `certs`.
    pub(crate) fn new(certs: &'a [Certificate]) -> Self {
        let mut by_ski: Vec<(u64, usize)> = certs
            .par_iter()
            .enumerate()
            .filter_map(|(i, c)| {
                c.data
                    .subject_key_id
                    .as_deref()
                    .map(|k| (hash(k.as_bytes()), i))
            })
            .collect();
        let mut by_subject: Vec<(u64, usize)> = certs
            .par_iter()
            .enumerate()
            .map(|(i, c)| (hash(&c.data.subject.der), i))
            .collect();
        // (hash, index) pairs are distinct, so the unstable sort is deterministic, and each
        // key's certificates come in index order.
        by_ski.par_sort_unstable();
        by_subject.par_sort_unstable();
        IssuerIndex {
            certs,
            by_ski,
            by_subject,
        }
    }

    /// Possible issuers of an object with this authority key identifier and issuer name:
    /// those whose subject key identifier matches, and those whose subject matches (Windows
    /// matches by name too when identifiers are absent or disagree), at most
    /// [`MAX_CANDIDATES`].
    pub(crate) fn candidates(&self, aki: Option<&str>, issuer_name: &[u8]) -> Candidates {
        let cert = |j: usize| self.certs.get(j).map(|c| &c.data);
        let mut out = Candidates::default();
        if let Some(k) = aki {
            for j in hits(&self.by_ski, k.as_bytes()) {
                let Some(d) = cert(j) else { continue };
                if d.subject_key_id.as_deref() != Some(k) {
                    continue; // a hash collision
                }
                if out.found.len() == MAX_CANDIDATES {
                    out.truncated = true;
                    break;
                }
                out.found.push(Candidate {
                    id: CertId::from_index(j),
                    by_key_id: true,
                });
            }
        }
        // Key-identifier matches come first and are at most MAX_CANDIDATES, so this check
        // stays linear: the name loop only skips the ones already found.
        let by_key = out.found.len();
        for j in hits(&self.by_subject, issuer_name) {
            if cert(j).is_none_or(|d| d.subject.der != issuer_name) {
                continue;
            }
            let id = CertId::from_index(j);
            if out
                .found
                .get(..by_key)
                .is_some_and(|k| k.iter().any(|c| c.id == id))
            {
                continue;
            }
            if out.found.len() == MAX_CANDIDATES {
                out.truncated = true;
                break;
            }
            out.found.push(Candidate {
                id,
                by_key_id: false,
            });
        }
        out
    }
}

/// The indexes filed under the hash of `key` in sorted `list` (hash collisions included: the
/// caller compares the keys).
fn hits<'l>(list: &'l [(u64, usize)], key: &[u8]) -> impl Iterator<Item = usize> + 'l {
    let h = hash(key);
    let start = list.partition_point(|(k, _)| *k < h);
    list.get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(move |(k, _)| *k == h)
        .map(|(_, j)| *j)
}

/// A 64-bit hash of `bytes`, the same in every run (the index order must not depend on a
/// per-process random seed).
pub(crate) fn hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher as _;
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}
