//! Intune SCEP and PKCS certificate profiles: the entity of the `certificate_profile` scope,
//! and the join that finds the root each deploys and the CAs that issue under it.

use std::collections::HashMap;

use crate::load::CertificateProfileData;
use crate::load::intune::RootRef;
use crate::location::Location;

use super::certificate::{
    Certificate, Certificates, EKU_ANY, EKU_CLIENT_AUTH, EKU_MS_ANY_PURPOSE, Role,
};
use super::cloud_ca::{CloudCa, CloudCas};
use super::fact::Fact;
use super::id::{CertId, CertificateProfileId, CloudCaId, Id, IdVec, TrustedRootProfileId};
use super::profile::Profiles;
use super::thumbprint_index::ThumbprintIndex;

/// An Intune SCEP or PKCS profile, with its root and issuing CAs.
#[derive(Debug, Clone)]
pub struct CertificateProfile {
    /// What the export says.
    pub data: CertificateProfileData,
    /// The trusted-root profile its reference names.
    pub root_profile: Option<TrustedRootProfileId>,
    /// The root certificate it deploys (through the trusted-root profile, or the expanded
    /// `rootCertificate`).
    pub root_certificate: Option<CertId>,
    /// Whether the bundle can show that a reference resolves to nothing: every trusted-root
    /// profile in it carries its id. Microsoft365DSC configurations and IntuneCD backups may
    /// leave ids out, and a reference to an id-less profile cannot be followed.
    pub root_reference_checkable: bool,
    /// The CAs that issue under it: the Cloud PKI CA whose SCEP URL the profile uses, else the
    /// CA named by a PKCS profile, else the CA certificates below its root (the root itself when
    /// it has none).
    pub issuing_cas: Vec<CertId>,
    /// The issuing CAs are named by the profile (its SCEP URL or PKCS certification
    /// authority), not guessed from its root: only then can the root be checked against them.
    pub issuing_cas_named: bool,
    /// The Cloud PKI CAs whose SCEP URL the profile uses, whether or not their certificates
    /// are in the bundle, in Cloud PKI CA order.
    pub cloud_cas: Vec<CloudCaId>,
    /// See [`CertificateProfile::ekus_outside_cloud_ca`].
    pub ekus_outside_cloud_ca: Option<Vec<String>>,
    /// See [`CertificateProfile::root_anchors_issuing_ca`].
    pub root_anchors_issuing_ca: Option<bool>,
}

/// The certificate profiles of the bundle, by id.
pub(crate) type CertificateProfiles = IdVec<CertificateProfileId, CertificateProfile>;

impl CertificateProfile {
    /// Its EKUs include Client Authentication or Any Purpose; `None` when the export does not
    /// write `extendedKeyUsages`.
    pub fn client_auth(&self) -> Option<bool> {
        self.data.ekus_written.then(|| {
            self.data
                .ekus
                .iter()
                .any(|e| e == EKU_CLIENT_AUTH || e == EKU_ANY || e == EKU_MS_ANY_PURPOSE)
        })
    }

    /// The EKUs the profile asks for that its Cloud PKI issuing CA cannot issue: those missing
    /// from the CA export's `extendedKeyUsages` or, when no export lists them, from the EKU
    /// extension of the CA's certificate (absent, or holding anyExtendedKeyUsage, allows all).
    /// `None` when the profile names no Cloud PKI CA, writes no EKUs, or the CA's are unknown.
    fn ekus_outside_cloud_ca(
        &self,
        cloud_cas: &CloudCas,
        certs: &[Certificate],
    ) -> Option<Vec<String>> {
        if self.cloud_cas.is_empty() || !self.data.ekus_written {
            return None;
        }
        let cas: Vec<&CloudCa> = self
            .cloud_cas
            .iter()
            .filter_map(|&i| cloud_cas.get(i))
            .collect();
        let mut allowed: Vec<&str> = cas
            .iter()
            .filter_map(|ca| ca.data.extended_key_usages.as_ref())
            .flatten()
            .map(String::as_str)
            .collect();
        if allowed.is_empty() {
            for cert in cas
                .iter()
                .filter_map(|ca| ca.certificate.and_then(|c| certs.get(c.index())))
            {
                match &cert.data.extended_key_usage {
                    None => return Some(Vec::new()),
                    Some(ekus) => allowed.extend(ekus.iter().map(String::as_str)),
                }
            }
        }
        if allowed.is_empty() {
            return None;
        }
        if allowed.contains(&super::certificate::EKU_ANY) {
            return Some(Vec::new());
        }
        Some(
            self.data
                .ekus
                .iter()
                .filter(|e| !allowed.contains(&e.as_str()))
                .cloned()
                .collect(),
        )
    }

    /// Whether the root the profile deploys is the root its issuing CA chains to (that root,
    /// or a certificate of the same subject and key, is on the CA's chain). `None` unless the
    /// profile names its issuing CA (SCEP URL, PKCS CA) and its root resolves; `false` only when
    /// the CA's chain is complete without it.
    fn root_anchors_issuing_ca(&self, certs: &[Certificate]) -> Option<bool> {
        if !self.issuing_cas_named || self.issuing_cas.is_empty() {
            return None;
        }
        let root = certs.get(self.root_certificate?.index())?;
        let same_ca = |c: &Certificate| {
            c.data.subject.der == root.data.subject.der && c.public_key() == root.public_key()
        };
        let mut unknown = false;
        for ca in self
            .issuing_cas
            .iter()
            .filter_map(|&i| certs.get(i.index()))
        {
            if ca
                .chain
                .iter()
                .filter_map(|&i| certs.get(i.index()))
                .any(same_ca)
            {
                return Some(true);
            }
            unknown |= !ca.chain_complete;
        }
        (!unknown).then_some(false)
    }

    /// The issuing CA that expires first: the one that limits what the profile issues.
    pub fn first_expiring_ca(&self, certs: &Certificates) -> Option<CertId> {
        self.issuing_cas
            .iter()
            .copied()
            .filter_map(|id| certs.get(id).map(|c| (c.data.not_after, id)))
            .min()
            .map(|(_, id)| id)
    }

    /// Whole days from `now` until [`Self::first_expiring_ca`] expires; `None` without one.
    pub fn issuing_ca_remaining_days(&self, certs: &Certificates, now: i64) -> Option<i64> {
        let ca = certs.get(self.first_expiring_ca(certs)?)?;
        Some(ca.data.not_after.saturating_sub(now).div_euclid(86_400))
    }

    /// The validity the profile asks for is longer than its issuing CA has left: Windows then
    /// gets a certificate cut short at the CA's expiry. `None` when either is unknown.
    pub fn validity_exceeds_ca(&self, certs: &Certificates, now: i64) -> Option<bool> {
        let validity = self.data.validity_days.as_ref()?;
        Some(validity.value > self.issuing_ca_remaining_days(certs, now)?)
    }
}

/// Adds each SCEP/PKCS profile to `p`, joined to its trusted-root profile, root certificate
/// and issuing CAs. Runs after the trusted-root profiles and Cloud PKI CAs are joined.
pub(super) fn join(
    loaded: Vec<CertificateProfileData>,
    p: &mut Profiles,
    index: &ThumbprintIndex<'_>,
    certs: &[Certificate],
) {
    let Profiles {
        trusted_root_profiles: roots,
        certificate_profiles,
        cloud_cas,
        trusted_root_references_checkable,
        ..
    } = p;
    // The trusted-root profiles by id, by certificate and by the SCEP profile a navigation
    // GET names: every reference is a lookup, not a pass over every profile.
    let mut by_id: HashMap<&str, Vec<TrustedRootProfileId>> = HashMap::new();
    let mut by_sha256: HashMap<&str, Vec<TrustedRootProfileId>> = HashMap::new();
    let mut by_root_of: HashMap<&str, Vec<TrustedRootProfileId>> = HashMap::new();
    for (id, t) in roots.iter_ids() {
        for (map, key) in [
            (&mut by_id, &t.data.id),
            (&mut by_sha256, &t.data.certificate_sha256),
            (&mut by_root_of, &t.data.root_of),
        ] {
            if let Some(k) = key.as_deref() {
                map.entry(k).or_default().push(id);
            }
        }
    }
    let cas = IssuingCas::new(cloud_cas, certs);
    let named = |map: &HashMap<&str, Vec<TrustedRootProfileId>>, key: Option<&str>| {
        key.and_then(|k| map.get(k)).cloned().unwrap_or_default()
    };
    for mut data in loaded {
        // A plain GET carries no reference; the navigation GET's response beside it does.
        if data.root.is_none()
            && let Some(sidecar) = named(&by_root_of, data.id.as_deref())
                .into_iter()
                .filter_map(|id| roots.get(id))
                .min_by(|a, b| a.data.certificate_sha256.cmp(&b.data.certificate_sha256))
        {
            data.root = Some(RootRef {
                id: sidecar.data.id.clone(),
                certificate_sha256: sidecar.data.certificate_sha256.clone(),
                location: sidecar.data.location.clone(),
            });
        }
        // Of the trusted-root profiles the reference names, the fullest: one with its
        // certificate in the bundle first, then content order (the certificate's SHA-256), never
        // file order.
        let root_profile = data.root.as_ref().and_then(|r| {
            let mut candidates = named(&by_id, r.id.as_deref());
            candidates.extend(named(&by_sha256, r.certificate_sha256.as_deref()));
            candidates
                .into_iter()
                .filter_map(|id| roots.get(id).map(|t| (id, t)))
                .min_by(|(a, ta), (b, tb)| {
                    tb.certificate
                        .is_some()
                        .cmp(&ta.certificate.is_some())
                        .then_with(|| ta.data.certificate_sha256.cmp(&tb.data.certificate_sha256))
                        .then(a.cmp(b))
                })
                .map(|(id, _)| id)
        });
        let root_certificate = root_profile
            .and_then(|id| roots.get(id))
            .and_then(|t| t.certificate)
            .or_else(|| {
                data.root
                    .as_ref()
                    .and_then(|r| r.certificate_sha256.as_deref())
                    .and_then(|h| index.by_sha256(h))
            });
        let (issuing_cas, issuing_cas_named) = cas.issuing(&data, root_certificate);
        let profile_cloud_cas = cas.cloud_cas_of(&data);
        let mut profile = CertificateProfile {
            data,
            root_profile,
            root_certificate,
            root_reference_checkable: *trusted_root_references_checkable,
            issuing_cas,
            issuing_cas_named,
            cloud_cas: profile_cloud_cas,
            ekus_outside_cloud_ca: None,
            root_anchors_issuing_ca: None,
        };
        profile.ekus_outside_cloud_ca = profile.ekus_outside_cloud_ca(cloud_cas, certs);
        profile.root_anchors_issuing_ca = profile.root_anchors_issuing_ca(certs);
        certificate_profiles.push(profile);
    }
}

/// Where to find the CAs that issue under a certificate profile (see
/// [`CertificateProfile::issuing_cas`]), built once per bundle: each profile's are lookups, not
/// a pass over every certificate (30,000 profiles beside 30,000 certificates would be 900
/// million comparisons).
struct IssuingCas {
    /// Cloud PKI CA certificates by SCEP URL (lower case), in Cloud PKI CA order.
    by_scep_url: HashMap<String, Vec<(usize, CertId)>>,
    /// Cloud PKI CAs by SCEP URL (lower case), with or without their certificates.
    cloud_by_scep_url: HashMap<String, Vec<CloudCaId>>,
    /// CA certificates (every role but leaf) by display name (lower case), in content order.
    by_name: HashMap<String, Vec<CertId>>,
    /// Intermediate CAs by each certificate on their chain, in content order.
    below: HashMap<CertId, Vec<CertId>>,
}

impl IssuingCas {
    fn new(cloud_cas: &[CloudCa], certs: &[Certificate]) -> Self {
        let mut by_scep_url: HashMap<String, Vec<(usize, CertId)>> = HashMap::new();
        let mut cloud_by_scep_url: HashMap<String, Vec<CloudCaId>> = HashMap::new();
        for (i, ca) in cloud_cas.iter().enumerate() {
            if let Some(url) = &ca.data.scep_server_url {
                cloud_by_scep_url
                    .entry(url.to_ascii_lowercase())
                    .or_default()
                    .push(CloudCaId::from_index(i));
            }
            if let (Some(url), Some(cert)) = (&ca.data.scep_server_url, ca.certificate) {
                by_scep_url
                    .entry(url.to_ascii_lowercase())
                    .or_default()
                    .push((i, cert));
            }
        }
        let mut by_name: HashMap<String, Vec<CertId>> = HashMap::new();
        let mut below: HashMap<CertId, Vec<CertId>> = HashMap::new();
        for (i, c) in certs.iter().enumerate() {
            let id = CertId::from_index(i);
            if c.role != Role::Leaf {
                by_name
                    .entry(c.display_name().to_ascii_lowercase())
                    .or_default()
                    .push(id);
            }
            if c.role == Role::IntermediateCa {
                let mut above: Vec<CertId> = c.chain.iter().copied().filter(|a| *a != id).collect();
                above.sort_unstable();
                above.dedup();
                for a in above {
                    below.entry(a).or_default().push(id);
                }
            }
        }
        IssuingCas {
            by_scep_url,
            cloud_by_scep_url,
            by_name,
            below,
        }
    }

    /// The CAs that issue under the profile `data`, whose root is `root`: the Cloud PKI CAs
    /// its SCEP URLs name, else the CAs its PKCS certification authority names, else the
    /// intermediate CAs under its root, else the root; and whether the profile named them (the
    /// first two) rather than they were found under its root.
    fn issuing(&self, data: &CertificateProfileData, root: Option<CertId>) -> (Vec<CertId>, bool) {
        let mut by_url: Vec<(usize, CertId)> = data
            .scep_server_urls
            .iter()
            .filter_map(|u| self.by_scep_url.get(&u.to_ascii_lowercase()))
            .flatten()
            .copied()
            .collect();
        if !by_url.is_empty() {
            by_url.sort_unstable();
            by_url.dedup();
            return (by_url.into_iter().map(|(_, id)| id).collect(), true);
        }
        if let Some(name) = data.certification_authority.as_deref().map(|n| {
            // PKCS: "ca01.contoso.com\Contoso Issuing CA" names the CA after the backslash.
            n.rsplit('\\').next().unwrap_or(n).to_ascii_lowercase()
        }) && let Some(named) = self.by_name.get(&name)
        {
            return (named.clone(), true);
        }
        let Some(root) = root else {
            return (Vec::new(), false);
        };
        match self.below.get(&root) {
            Some(below) => (below.clone(), false),
            None => (vec![root], false),
        }
    }

    /// The Cloud PKI CAs whose SCEP URL the profile `data` uses, in Cloud PKI CA order.
    fn cloud_cas_of(&self, data: &CertificateProfileData) -> Vec<CloudCaId> {
        let mut ids: Vec<CloudCaId> = data
            .scep_server_urls
            .iter()
            .filter_map(|u| self.cloud_by_scep_url.get(&u.to_ascii_lowercase()))
            .flatten()
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

impl Fact for CertificateProfile {
    fn kind_name(&self) -> &'static str {
        "certificate profile"
    }
    fn identity(&self) -> String {
        format!(
            "intune {} profile {}",
            self.data.kind,
            self.data
                .id
                .as_deref()
                .or(self.data.name.as_deref())
                .unwrap_or(&self.data.location.path)
        )
    }
    fn display_name(&self) -> String {
        self.data
            .name
            .clone()
            .or_else(|| self.data.id.clone())
            .unwrap_or_else(|| "(unnamed profile)".to_owned())
    }
    fn location(&self) -> Option<Location> {
        Some(self.data.location.clone())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}
