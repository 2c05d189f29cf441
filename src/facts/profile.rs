//! VPN/EAP and Intune profiles joined to the certificates of the bundle: the roots a profile
//! pins, the issuers its certificate filter names, the servers it expects, the root a SCEP
//! profile deploys and the CA that issues under it, the Cloud PKI CA behind a certificate.
//! Each profile kind is its own module with its own join; this one runs them in order and
//! writes the links back onto the certificates.

use crate::load::{
    CertificateProfileData, CloudCaData, EapConfigData, TrustedRootProfileData, VpnProfileData,
};

use super::certificate::{Certificates, ProfileLinks, Role};
use super::certificate_profile::{self, CertificateProfiles};
use super::chain::PinnedAnchors;
use super::cloud_ca::{self, CloudCas};
use super::eap_config::{self, EapConfigs};
use super::eap_thumbprint::{self, PinKind, PinnedThumbprints};
use super::id::Id;
use super::server_name::{self, ServerNames};
use super::thumbprint_index::ThumbprintIndex;
use super::trusted_root_profile::{self, TrustedRootProfiles};
use super::vpn_profile::{self, VpnProfiles};

/// Every profile of the bundle, joined.
#[derive(Debug, Default)]
pub struct Profiles {
    /// VPN profiles, in path order.
    pub vpn_profiles: VpnProfiles,
    /// EAP configurations (of VPN profiles, then standalone), in path order.
    pub eap_configs: EapConfigs,
    /// Thumbprints pinned by EAP configurations.
    pub pins: PinnedThumbprints,
    /// Server names expected by profiles.
    pub server_names: ServerNames,
    /// Intune trusted-certificate profiles.
    pub trusted_root_profiles: TrustedRootProfiles,
    /// Intune SCEP and PKCS profiles.
    pub certificate_profiles: CertificateProfiles,
    /// Cloud PKI CAs.
    pub cloud_cas: CloudCas,
    /// Every trusted-root profile carries its id and no Graph export is a partial page, so a
    /// reference to an id none has is evidence that the reference dangles (Microsoft365DSC and
    /// IntuneCD exports may leave ids out; a paged export holds only some profiles).
    pub trusted_root_references_checkable: bool,
    /// A Graph export of the bundle is one page of a longer list (`@odata.nextLink`).
    pub partial_export: bool,
}

/// Profiles as loaded, before they are joined.
#[derive(Debug, Default)]
pub struct LoadedProfiles {
    /// VPN profiles.
    pub vpn: Vec<VpnProfileData>,
    /// Standalone EAP configurations.
    pub eap: Vec<EapConfigData>,
    /// Trusted-root profiles.
    pub trusted_roots: Vec<TrustedRootProfileData>,
    /// SCEP/PKCS profiles.
    pub certificate_profiles: Vec<CertificateProfileData>,
    /// Cloud PKI CAs.
    pub cloud_cas: Vec<CloudCaData>,
    /// A Graph export of the bundle is one page of a longer list (`@odata.nextLink`): profiles
    /// may be on pages the bundle does not hold.
    pub partial_export: bool,
}

impl LoadedProfiles {
    /// The roots the profiles pin: every EAP `TrustedRootCA` (SHA-1) and every Intune
    /// trusted-root profile's certificate (SHA-256). Path building prefers chains that end at
    /// one of them, as a client whose profile names its root trusts that root.
    pub(crate) fn pinned_anchors(&self) -> PinnedAnchors {
        let eap = self
            .vpn
            .iter()
            .filter_map(|v| v.eap.as_ref())
            .chain(&self.eap);
        let mut pinned = PinnedAnchors {
            sha1: eap
                .flat_map(|e| &e.layers)
                .flat_map(|l| &l.trusted_roots)
                .filter_map(|t| t.hex.clone())
                .collect(),
            sha256: self
                .trusted_roots
                .iter()
                .filter_map(|t| t.certificate_sha256.clone())
                .collect(),
        };
        pinned.sha1.sort();
        pinned.sha1.dedup();
        pinned.sha256.sort();
        pinned.sha256.dedup();
        pinned
    }
}

impl Profiles {
    /// Joins the loaded profiles to `certs` (sorted by SHA-256, as [`super::Bundle`] keeps them)
    /// and records on each certificate what names it.
    pub fn build(mut loaded: LoadedProfiles, certs: &mut Certificates) -> Profiles {
        let mut p = Profiles::default();
        eap_config::resolve_root_references(
            loaded
                .vpn
                .iter_mut()
                .filter_map(|v| v.eap.as_mut())
                .chain(loaded.eap.iter_mut()),
            &loaded.trusted_roots,
        );
        p.partial_export = loaded.partial_export;
        p.trusted_root_references_checkable =
            !loaded.partial_export && loaded.trusted_roots.iter().all(|t| t.id.is_some());
        {
            let index = ThumbprintIndex::new(certs);
            vpn_profile::join(loaded.vpn, &mut p);
            eap_config::join_standalone(loaded.eap, &mut p);
            eap_thumbprint::join(&mut p, &index);
            server_name::join(&mut p, certs);
            trusted_root_profile::join(loaded.trusted_roots, &mut p, &index);
            cloud_ca::join(loaded.cloud_cas, &mut p, &index);
            certificate_profile::join(loaded.certificate_profiles, &mut p, &index, certs);
            eap_config::link_identity_profiles(&mut p);
        }
        p.link(certs);
        eap_config::select(&mut p, certs);
        p
    }

    /// Records on each certificate the profiles that select it, issue it, name it or describe it.
    fn link(&self, certs: &mut Certificates) {
        let mut links: Vec<ProfileLinks> = vec![ProfileLinks::default(); certs.len()];
        for (id, pin) in self.pins.iter_ids() {
            let (PinKind::IssuerHash, true, Some(ca)) =
                (pin.kind, pin.filter_enabled, pin.certificate)
            else {
                continue;
            };
            for (c, l) in certs.iter().zip(links.iter_mut()) {
                // The filter matches a certificate with the CA anywhere above it in its chain.
                if c.role == Role::Leaf && c.chain.iter().skip(1).any(|&j| j == ca) {
                    l.selected_by.push(id);
                }
            }
        }
        for (id, profile) in self.certificate_profiles.iter_ids() {
            for (c, l) in certs.iter().zip(links.iter_mut()) {
                if c.role == Role::Leaf
                    && c.issuer.is_some_and(|j| profile.issuing_cas.contains(&j))
                {
                    l.issued_under.push(id);
                }
            }
        }
        for (id, n) in self.server_names.iter_ids() {
            if let Some(c) = n.certificate.or(n.case_only_certificate)
                && let Some(l) = links.get_mut(c.index())
            {
                l.named_by.push(id);
            }
        }
        for (id, ca) in self.cloud_cas.iter_ids() {
            if let Some(c) = ca.certificate
                && let Some(l) = links.get_mut(c.index())
            {
                l.cloud_cas.push(id);
            }
        }
        for (c, mut l) in certs.iter_mut().zip(links) {
            // A certificate a profile names as its server is that server's certificate, not
            // one a client holds, though the same CA issued it.
            if !l.named_by.is_empty() {
                l.selected_by.clear();
                l.issued_under.clear();
            }
            c.links = l;
        }
    }
}
