//! What each host trusts, as its certificate-store exports show it: the roots its ROOT stores
//! hold (the machine's own, Group Policy's, Active Directory's), with the purposes an entry is
//! restricted to, and the CAs its NTAuth cache holds. Joined with the client certificates of the
//! bundle: the roots their chains need and the CAs that issued them, which an NPS server must
//! trust to accept them (`eap-trusted-root-not-on-nps`, `ntauth-missing-ca`).

use std::collections::BTreeMap;

use super::certificate::{Certificate, Certificates, ChainEnd, EKU_ANY, EKU_CLIENT_AUTH, Role};
use super::cloud_ca::CloudCa;
use super::host::RegistryHost;
use super::id::CertId;

/// What a host's store exports show it trusts. Empty when the bundle has no store export of it.
#[derive(Debug, Clone, Default)]
pub struct HostTrust {
    /// A ROOT store of the host is exported (any tree).
    pub root_exported: bool,
    /// The host's NTAuth store (`EnterpriseCertificates\NTAuth`) is exported.
    pub ntauth_exported: bool,
    /// Each certificate of its ROOT stores with the purposes its entry is restricted to (`None`:
    /// not restricted; of several entries, the least restricted counts).
    pub roots: BTreeMap<CertId, Option<Vec<String>>>,
    /// The CAs of its NTAuth store.
    pub ntauth: Vec<CertId>,
    /// Roots client certificates of the bundle chain to that its ROOT stores do not hold.
    pub missing_client_roots: Vec<CertId>,
    /// Roots client certificates chain to that its ROOT stores hold restricted to purposes
    /// without Client Authentication.
    pub restricted_client_roots: Vec<CertId>,
    /// CAs that issued client certificates of the bundle that its NTAuth store lacks.
    pub missing_ntauth_cas: Vec<CertId>,
}

/// The client certificates' trust needs: the roots their chains end in and the CAs that issued
/// them, each once, in id order. Client certificates are the client-auth leaves (not a server's:
/// no NPS policy presents them) whose chain reaches a root of the bundle; a Cloud PKI CA export
/// adds its CA's root and, for an issuing CA, the CA itself.
fn client_needs(certs: &Certificates, cloud_cas: &[CloudCa]) -> (Vec<CertId>, Vec<CertId>) {
    let mut roots = Vec::new();
    let mut issuers = Vec::new();
    let anchored = |c: &Certificate| matches!(c.chain_end, ChainEnd::Anchor);
    for c in certs.iter() {
        if c.role == Role::Leaf && c.client_auth && c.nps_methods.is_empty() && anchored(c) {
            roots.extend(c.chain.last().copied());
            issuers.extend(c.issuer);
        }
    }
    for ca in cloud_cas {
        let Some(c) = ca.certificate.and_then(|id| certs.get(id).map(|c| (id, c))) else {
            continue;
        };
        if anchored(c.1) {
            roots.extend(c.1.chain.last().copied());
            if c.1.role == Role::IntermediateCa {
                issuers.push(c.0);
            }
        }
    }
    for list in [&mut roots, &mut issuers] {
        list.sort_unstable();
        list.dedup();
    }
    (roots, issuers)
}

/// Whether a store entry restricted to `purposes` still allows client authentication.
fn allows_client_auth(purposes: &Option<Vec<String>>) -> bool {
    purposes
        .as_ref()
        .is_none_or(|p| p.iter().any(|o| o == EKU_CLIENT_AUTH || o == EKU_ANY))
}

/// Fills each host's [`HostTrust`] from the store memberships of `certs`.
pub(crate) fn join(hosts: &mut [RegistryHost], certs: &Certificates, cloud_cas: &[CloudCa]) {
    let mut by_file: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, h) in hosts.iter().enumerate() {
        for f in &h.files {
            by_file.insert(&f.path, i);
        }
    }
    let mut trust: Vec<HostTrust> = vec![HostTrust::default(); hosts.len()];
    for (id, c) in certs.iter_ids() {
        for m in &c.stores {
            let Some(t) = by_file
                .get(&*m.location.path)
                .and_then(|&i| trust.get_mut(i))
            else {
                continue;
            };
            match m.slot.store.as_str() {
                "ROOT" => {
                    t.root_exported = true;
                    let entry = t.roots.entry(id).or_insert(Some(Vec::new()));
                    // Of two entries of one root (machine and Group Policy), the freer counts.
                    match (&entry, &m.slot.eku_restriction) {
                        (_, None) => *entry = None,
                        (Some(have), Some(more)) => {
                            let mut all = have.clone();
                            all.extend(more.iter().cloned());
                            all.sort();
                            all.dedup();
                            *entry = Some(all);
                        }
                        (None, Some(_)) => {}
                    }
                }
                "NTAUTH" => {
                    t.ntauth_exported = true;
                    t.ntauth.push(id);
                }
                _ => {}
            }
        }
    }
    let (roots, issuers) = client_needs(certs, cloud_cas);
    for (h, mut t) in hosts.iter_mut().zip(trust) {
        t.ntauth.sort_unstable();
        t.ntauth.dedup();
        if t.root_exported {
            for &r in &roots {
                match t.roots.get(&r) {
                    None => t.missing_client_roots.push(r),
                    Some(p) if !allows_client_auth(p) => t.restricted_client_roots.push(r),
                    Some(_) => {}
                }
            }
        }
        if t.ntauth_exported {
            t.missing_ntauth_cas = issuers
                .iter()
                .copied()
                .filter(|i| t.ntauth.binary_search(i).is_err())
                .collect();
        }
        h.trust = t;
    }
}

#[cfg(test)]
mod tests {
    use super::allows_client_auth;

    #[test]
    fn a_restriction_without_client_auth_takes_the_purpose_away() {
        assert!(allows_client_auth(&None));
        assert!(allows_client_auth(&Some(vec![
            "1.3.6.1.5.5.7.3.1".into(),
            "1.3.6.1.5.5.7.3.2".into()
        ])));
        assert!(!allows_client_auth(&Some(vec!["1.3.6.1.5.5.7.3.1".into()])));
        assert!(!allows_client_auth(&Some(Vec::new())));
    }
}
