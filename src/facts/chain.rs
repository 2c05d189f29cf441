//! Issuer resolution and chain building, in the manner of the Windows chain engine: candidates
//! by authority key identifier first, then by issuer name; a candidate counts only when its key
//! verifies the signature; cycles stop the walk.

use rayon::prelude::*;

use super::certificate::{Certificate, Role};
use super::id::{CertId, Id};
use super::signature::{SignatureCheck, check};

/// Longest chain followed. Windows has no documented limit short of the path-length
/// constraints; rustls-webpki stops at 6 sub-CAs. 16 covers every real hierarchy and bounds a
/// crafted bundle's work.
const MAX_CHAIN_LEN: usize = 16;

/// The issuer of each certificate (signature-confirmed), as [`apply`] takes them. `certs` is
/// sorted by SHA-256, which makes every choice deterministic.
pub(crate) fn resolve_issuers(certs: &[Certificate], index: &IssuerIndex<'_>, now: i64) -> Issuers {
    // Signature checks dominate the cost of a bundle; each certificate's are independent.
    Issuers(
        (0..certs.len())
            .into_par_iter()
            .map(|i| resolve_one(certs, i, index, now))
            .collect(),
    )
}

/// Issuers found by [`resolve_issuers`], one per certificate.
pub(crate) struct Issuers(Vec<Resolution>);

#[expect(
    clippy::indexing_slicing,
    reason = "every index comes from enumerating `certs` or from maps built over it, never from file data"
)]
/// Records the issuers on the certificates, builds chains and assigns roles.
pub(crate) fn apply(certs: &mut [Certificate], Issuers(resolved): Issuers) {
    for (
        c,
        Resolution {
            self_issued,
            self_signed,
            issuer,
            mismatches,
        },
    ) in certs.iter_mut().zip(resolved)
    {
        c.self_issued = self_issued;
        c.self_signed = self_signed;
        c.issuer = issuer.map(|(j, _)| CertId::from_index(j));
        c.issuer_signature = issuer.map(|(_, s)| s);
        c.issuer_mismatches = mismatches.into_iter().map(CertId::from_index).collect();
    }

    let mut issued = vec![0u32; certs.len()];
    for c in certs.iter() {
        if let Some(j) = c.issuer
            && let Some(n) = issued.get_mut(j.index())
        {
            *n = n.saturating_add(1);
        }
    }

    for i in 0..certs.len() {
        let mut chain = vec![CertId::from_index(i)];
        let mut at = i;
        let mut complete = certs[i].self_signed;
        while !complete && chain.len() < MAX_CHAIN_LEN {
            let Some(next) = certs[at].issuer else { break };
            if chain.contains(&next) {
                break; // a cycle of cross-certificates: stop, the chain does not anchor
            }
            chain.push(next);
            at = next.index();
            complete = certs[at].self_signed;
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

    let over: Vec<Option<CertId>> = (0..certs.len())
        .map(|i| path_len_exceeded(certs, &certs[i].chain))
        .collect();
    for i in 0..certs.len() {
        // Report only the first certificate down the chain that exceeds the constraint: the
        // ones below it exceed it too, because of it.
        let parent_over = certs[i]
            .chain
            .get(1)
            .is_some_and(|&p| over[p.index()].is_some());
        certs[i].path_len_exceeded_by = over[i].filter(|_| !parent_over);
    }

    for i in 0..certs.len() {
        if certs[i].client_auth {
            for k in 0..certs[i].chain.len() {
                let j = certs[i].chain[k];
                certs[j.index()].in_client_auth_chain = true;
            }
        }
    }
}

/// The CA above the start of `chain` whose pathLenConstraint the chain breaks: more
/// non-self-issued CA certificates below it than the constraint allows (RFC 5280 §4.2.1.9;
/// NPS reason 281). The start counts only when it is a CA itself.
#[expect(
    clippy::indexing_slicing,
    reason = "chain indexes come from `resolve`, which built them over `certs`"
)]
fn path_len_exceeded(certs: &[Certificate], chain: &[CertId]) -> Option<CertId> {
    for (j, &ancestor) in chain.iter().enumerate().skip(1) {
        let Some((true, Some(max))) = certs[ancestor.index()].data.basic_constraints else {
            continue;
        };
        let below = chain.get(..j).unwrap_or_default();
        let cas_below = below
            .iter()
            .enumerate()
            .filter(|&(pos, &k)| {
                let c = &certs[k.index()];
                !c.self_issued && (pos > 0 || c.role == Role::IntermediateCa)
            })
            .count();
        if u64::try_from(cas_below).unwrap_or(u64::MAX) > u64::from(max) {
            return Some(ancestor);
        }
    }
    None
}

/// Certificates of the bundle by subject key identifier and by subject name: where to look for
/// the issuer of a certificate or a CRL. Sorted (hash, index) lists searched by bisection, each
/// hit confirmed against the certificate itself: most subjects are leaves that issue nothing,
/// and a hash map with a list per key, or a sort comparing names scattered over the heap, grew
/// faster than the bundle.
pub(crate) struct IssuerIndex<'a> {
    certs: &'a [Certificate],
    by_ski: Vec<(u64, usize)>,
    by_subject: Vec<(u64, usize)>,
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

    /// Possible issuers of an object with this authority key identifier and issuer name: those
    /// whose subject key identifier matches first (`false`), then those matching by name only
    /// (`true`), each once, in index order.
    pub(crate) fn candidates(&self, aki: Option<&str>, issuer_name: &[u8]) -> Vec<(bool, usize)> {
        let cert = |j: usize| self.certs.get(j).map(|c| &c.data);
        let mut out: Vec<(bool, usize)> = match aki {
            Some(k) => hits(&self.by_ski, k.as_bytes())
                .filter(|&j| cert(j).is_some_and(|d| d.subject_key_id.as_deref() == Some(k)))
                .map(|j| (false, j))
                .collect(),
            None => Vec::new(),
        };
        for j in hits(&self.by_subject, issuer_name) {
            if cert(j).is_some_and(|d| d.subject.der == issuer_name)
                && !out.iter().any(|(_, k)| *k == j)
            {
                out.push((true, j));
            }
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
fn hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher as _;
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

struct Resolution {
    self_issued: bool,
    self_signed: bool,
    issuer: Option<(usize, SignatureCheck)>,
    mismatches: Vec<usize>,
}

#[expect(
    clippy::indexing_slicing,
    reason = "every index comes from maps built over `certs`, never from file data"
)]
fn resolve_one(certs: &[Certificate], i: usize, idx: &IssuerIndex<'_>, now: i64) -> Resolution {
    let c = &certs[i];
    let d = &c.data;
    let self_issued = d.subject.der == d.issuer.der;
    let self_check = self_issued.then(|| check(&d.der, &d.signed, d));
    let self_signed = matches!(
        self_check,
        Some(SignatureCheck::Valid | SignatureCheck::Unsupported)
    );

    // Candidates: key-identifier matches first, then name matches; the current ones (valid
    // at `now`) before expired ones, as Windows prefers time-valid issuers.
    let mut candidates: Vec<(bool, bool, usize)> = idx
        .candidates(d.authority_key_id.as_deref(), &d.issuer.der)
        .into_iter()
        .map(|(by_name, j)| (by_name, !is_current(&certs[j], now), j))
        .collect();
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
    Resolution {
        self_issued,
        self_signed,
        issuer,
        mismatches,
    }
}

fn is_current(c: &Certificate, now: i64) -> bool {
    c.data.not_before <= now && now <= c.data.not_after
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
            });
        }
        Ok(Bundle::build(loaded, Vec::new(), 0))
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
        for c in &b.certificates {
            assert!(!c.self_signed);
            assert!(c.issuer.is_some());
            assert_eq!(c.chain.len(), 2, "the walk stops where it would revisit");
            assert!(!c.chain_complete);
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
        Ok(())
    }
}
