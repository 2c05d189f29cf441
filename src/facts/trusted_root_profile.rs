//! Intune trusted-certificate profiles: the entity of the `trusted_root_profile` scope, and the
//! join that finds the certificate each deploys.

use std::collections::HashMap;

use crate::load::TrustedRootProfileData;
use crate::location::Location;

use super::fact::Fact;
use super::id::{CertId, IdVec, TrustedRootProfileId};
use super::profile::Profiles;
use super::thumbprint_index::ThumbprintIndex;

/// An Intune trusted-certificate profile with its certificate.
#[derive(Debug, Clone)]
pub struct TrustedRootProfile {
    /// What the export says.
    pub data: TrustedRootProfileData,
    /// Its certificate.
    pub certificate: Option<CertId>,
}

/// The trusted-root profiles of the bundle, by id.
pub(crate) type TrustedRootProfiles = IdVec<TrustedRootProfileId, TrustedRootProfile>;

/// Adds each trusted-root profile to `p`, with its certificate (by SHA-256). An expanded
/// `rootCertificate` of a SCEP profile and a separate export of the same profile are one.
pub(super) fn join(
    loaded: Vec<TrustedRootProfileData>,
    p: &mut Profiles,
    index: &ThumbprintIndex<'_>,
) {
    // Profiles by (id, certificate): a duplicate is found by lookup, not by a pass over every
    // profile read so far.
    let mut by_id: HashMap<(String, Option<CertId>), TrustedRootProfileId> = HashMap::new();
    for data in loaded {
        let certificate = data
            .certificate_sha256
            .as_deref()
            .and_then(|h| index.by_sha256(h));
        let key = data.id.clone().map(|id| (id, certificate));
        let duplicate = key
            .as_ref()
            .and_then(|k| by_id.get(k))
            .and_then(|&id| p.trusted_root_profiles.get_mut(id));
        match duplicate {
            // The same profile twice (a navigation GET's response beside the full export): one
            // profile, and the SCEP profile the sidecar names it the root of is kept.
            Some(kept) => {
                if kept.data.root_of.is_none() {
                    kept.data.root_of = data.root_of;
                }
            }
            None => {
                let id = p
                    .trusted_root_profiles
                    .push(TrustedRootProfile { data, certificate });
                if let Some(k) = key {
                    by_id.insert(k, id);
                }
            }
        }
    }
}

impl Fact for TrustedRootProfile {
    fn kind_name(&self) -> &'static str {
        "trusted-root profile"
    }
    fn identity(&self) -> String {
        format!(
            "intune trusted root {}",
            self.data
                .id
                .as_deref()
                .or(self.data.certificate_sha256.as_deref())
                .unwrap_or(&self.data.location.path)
        )
    }
    fn display_name(&self) -> String {
        self.data.name.clone().unwrap_or_default()
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
