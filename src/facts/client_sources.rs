//! Where the bundle's client certificates come from: the issuing CAs of its client-auth leaves
//! and the Intune certificate profiles that issue client-auth certificates, per store. With
//! more than one source and no filter in the EAP profile, Windows asks the user which
//! certificate to send, or sends the wrong one.

use super::certificate::Certificates;
use super::certificate_profile::CertificateProfiles;
use super::id::{CertId, Id};

/// Counted once per bundle: rules read them for every EAP configuration.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ClientCertificateSources {
    /// Distinct issuers of leaves a client would hold (client authentication, not a server's).
    pub issuing_cas: usize,
    /// Client-auth SCEP/PKCS profiles that install into the user store.
    pub user_profiles: usize,
    /// Client-auth SCEP/PKCS profiles that install into the machine store.
    pub machine_profiles: usize,
}

impl ClientCertificateSources {
    /// Counts them in one pass over the certificates and one over the profiles.
    /// `outside`: what leaves outside a partial bundle add to its certificates, by id.
    pub(crate) fn count(
        certs: &Certificates,
        profiles: &CertificateProfiles,
        outside: &[super::outside::LeafShare],
    ) -> Self {
        let mut issuers: Vec<CertId> = certs
            .iter()
            .filter(|c| c.client_auth && c.links.client)
            .filter_map(|c| c.issuer)
            .chain(
                outside
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.issued_client > 0)
                    .map(|(i, _)| CertId::from_index(i)),
            )
            .collect();
        issuers.sort_unstable();
        issuers.dedup();
        let client_profiles = || profiles.iter().filter(|p| p.client_auth() == Some(true));
        let in_store = |store: &str| {
            client_profiles()
                .filter(|p| {
                    p.data
                        .certificate_store
                        .as_deref()
                        .is_some_and(|s| s.eq_ignore_ascii_case(store))
                })
                .count()
        };
        ClientCertificateSources {
            issuing_cas: issuers.len(),
            user_profiles: in_store("user"),
            machine_profiles: in_store("machine"),
        }
    }
}
