//! VPN/EAP and Intune profiles joined to the certificates of the bundle: the roots a profile
//! pins, the issuers its certificate filter names, the servers it expects, the root a SCEP
//! profile deploys and the CA that issues under it, the Cloud PKI CA behind a certificate.
//! Each profile kind is its own module with its own join; this one runs them in order and
//! writes the links back onto the certificates.

use crate::load::{
    CertificateProfileData, CloudCaData, EapConfigData, TrustedRootProfileData, VpnProfileData,
};

use std::collections::HashMap;

use super::certificate::{Certificate, Certificates, ProfileLinks, Role};
use super::certificate_profile::{self, CertificateProfiles};
use super::chain::PinnedAnchors;
use super::cloud_ca::{self, CloudCas};
use super::eap_config::{self, EapConfigs};
use super::eap_thumbprint::{self, PinKind, PinnedThumbprints};
use super::id::{CertId, CertificateProfileId, Id, PinId};
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
    /// Enabled `IssuerHash` filters by the CA they name, each list in id order.
    pins_by_ca: HashMap<CertId, Vec<PinId>>,
    /// Certificate profiles by each of their issuing CAs, each list in id order.
    profiles_by_issuing_ca: HashMap<CertId, Vec<CertificateProfileId>>,
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

    /// Records on each certificate the profiles that name it or describe it, and indexes by CA
    /// the profiles that select or issue leaves.
    fn link(&mut self, certs: &mut Certificates) {
        let mut links: Vec<ProfileLinks> = vec![ProfileLinks::default(); certs.len()];
        for (id, pin) in self.pins.iter_ids() {
            if let (PinKind::IssuerHash, true, Some(ca)) =
                (pin.kind, pin.filter_enabled, pin.certificate)
            {
                self.pins_by_ca.entry(ca).or_default().push(id);
            }
        }
        for (id, profile) in self.certificate_profiles.iter_ids() {
            let mut cas = profile.issuing_cas.clone();
            cas.sort_unstable();
            cas.dedup();
            for ca in cas {
                self.profiles_by_issuing_ca.entry(ca).or_default().push(id);
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
        for (id, t) in self.trusted_root_profiles.iter_ids() {
            if let Some(c) = t.certificate
                && let Some(l) = links.get_mut(c.index())
            {
                l.distributed_by.push(id);
            }
        }
        for (c, mut l) in certs.iter_mut().zip(links) {
            // A certificate a profile names as its server is that server's certificate, not
            // one a client holds, though the same CA issued it.
            // A server's certificate (a profile names it, an NPS policy presents it) is no
            // client's.
            l.client = c.role == Role::Leaf && l.named_by.is_empty() && c.nps_methods.is_empty();
            c.links = l;
        }
    }

    /// The enabled `IssuerHash` filters that name a CA of `c`'s chain (a client leaf's), in id
    /// order.
    pub fn selected_by(&self, c: &Certificate) -> Vec<PinId> {
        if !c.links.client || self.pins_by_ca.is_empty() {
            return Vec::new();
        }
        let mut pins: Vec<PinId> = c
            .chain
            .iter()
            .skip(1)
            .filter_map(|ca| self.pins_by_ca.get(ca))
            .flatten()
            .copied()
            .collect();
        pins.sort_unstable();
        pins.dedup();
        pins
    }

    /// The first `n` of [`Self::selected_by`], and how many there are, without building the
    /// list: a pin names one CA, so the lists of the CAs of a chain are disjoint, each sorted.
    pub fn selected_by_first(&self, c: &Certificate, n: usize) -> (Vec<PinId>, usize) {
        if !c.links.client || self.pins_by_ca.is_empty() {
            return (Vec::new(), 0);
        }
        let lists: Vec<&Vec<PinId>> = c
            .chain
            .iter()
            .skip(1)
            .filter_map(|ca| self.pins_by_ca.get(ca))
            .collect();
        let total = lists.iter().map(|l| l.len()).sum();
        let mut first: Vec<PinId> = lists
            .iter()
            .flat_map(|l| l.iter().take(n))
            .copied()
            .collect();
        first.sort_unstable();
        first.truncate(n);
        (first, total)
    }

    /// The certificate profiles whose issuing CA issued `c` (a client leaf), in id order.
    pub fn issued_under(&self, c: &Certificate) -> &[CertificateProfileId] {
        c.issuer
            .filter(|_| c.links.client)
            .and_then(|ca| self.profiles_by_issuing_ca.get(&ca))
            .map_or(&[], Vec::as_slice)
    }

    /// The certificate profiles whose issuing CA is `ca`, in id order.
    pub fn issuing_under(&self, ca: CertId) -> Vec<&super::CertificateProfile> {
        self.profiles_by_issuing_ca
            .get(&ca)
            .map(|ids| {
                ids.iter()
                    .filter_map(|&id| self.certificate_profiles.get(id))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `c` is a leaf that a profile of the bundle would use as client certificate: an enabled
    /// EAP `IssuerHash` names a CA of its chain, or an Intune SCEP/PKCS profile's CA issued it.
    pub fn selects(&self, c: &Certificate) -> bool {
        c.links.client
            && (c
                .chain
                .iter()
                .skip(1)
                .any(|ca| self.pins_by_ca.contains_key(ca))
                || !self.issued_under(c).is_empty())
    }
}
