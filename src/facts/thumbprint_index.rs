//! The bundle's certificates by hash: SHA-1 (the thumbprint Windows shows, and what profiles,
//! Cloud PKI exports and certificate stores name) and SHA-256 (what Intune trusted-root exports
//! carry). Every join that names a certificate by a hash looks it up here.

use std::cell::OnceCell;

use rayon::prelude::*;

use super::certificate::Certificates;
use super::id::{CertId, Id};
use crate::digest;

/// Look-ups of certificates by SHA-1 or SHA-256, lower-case hex.
pub(crate) struct ThumbprintIndex<'c> {
    certs: &'c Certificates,
    /// (SHA-1 prefix, id) sorted; built on the first SHA-1 look-up. Most scans name no
    /// thumbprint, and a sorted list of pairs costs less than a hash map of every certificate.
    by_sha1: OnceCell<Vec<(u128, CertId)>>,
}

impl<'c> ThumbprintIndex<'c> {
    /// An index over `certs`, which [`super::Bundle`] keeps sorted by SHA-256.
    pub(crate) fn new(certs: &'c Certificates) -> Self {
        ThumbprintIndex {
            certs,
            by_sha1: OnceCell::new(),
        }
    }

    /// The certificate whose SHA-1 thumbprint is `hex`.
    pub(crate) fn by_sha1(&self, hex: &str) -> Option<CertId> {
        let index = self.by_sha1.get_or_init(|| {
            let mut index: Vec<(u128, CertId)> = self
                .certs
                .par_iter()
                .enumerate()
                .map(|(i, c)| (digest::prefix(&c.data.sha1), CertId::from_index(i)))
                .collect();
            index.par_sort_unstable();
            index
        });
        let p = digest::prefix(hex);
        let start = index.partition_point(|e| e.0 < p);
        index
            .get(start..)?
            .iter()
            .take_while(|e| e.0 == p)
            .map(|e| e.1)
            .find(|&id| self.certs.get(id).is_some_and(|c| c.data.sha1 == hex))
    }

    /// The certificate whose SHA-256 is `hex` (the list is sorted by it: bisection).
    pub(crate) fn by_sha256(&self, hex: &str) -> Option<CertId> {
        self.certs
            .binary_search_by(|c| c.data.sha256.as_str().cmp(hex))
            .ok()
            .map(CertId::from_index)
    }
}
