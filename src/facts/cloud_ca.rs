//! Microsoft Cloud PKI CA exports: the entity of the `cloud_ca` scope, and the join that finds
//! the certificate each describes.

use crate::load::CloudCaData;
use crate::location::Location;

use super::fact::Fact;
use super::id::{CertId, CloudCaId, IdVec};
use super::profile::Profiles;
use super::thumbprint_index::ThumbprintIndex;

/// A Microsoft Cloud PKI CA with its certificate.
#[derive(Debug, Clone)]
pub struct CloudCa {
    /// What the export says.
    pub data: CloudCaData,
    /// The certificate whose SHA-1 thumbprint it names.
    pub certificate: Option<CertId>,
}

/// The Cloud PKI CAs of the bundle, by id.
pub(crate) type CloudCas = IdVec<CloudCaId, CloudCa>;

/// Adds each Cloud PKI CA export to `p`, with its certificate (by SHA-1 thumbprint).
pub(super) fn join(loaded: Vec<CloudCaData>, p: &mut Profiles, index: &ThumbprintIndex<'_>) {
    for data in loaded {
        let certificate = data.thumbprint.as_deref().and_then(|h| index.by_sha1(h));
        p.cloud_cas.push(CloudCa { data, certificate });
    }
}

impl Fact for CloudCa {
    fn kind_name(&self) -> &'static str {
        "Cloud PKI CA"
    }
    fn identity(&self) -> String {
        format!(
            "cloud pki ca {}",
            self.data
                .id
                .as_deref()
                .or(self.data.thumbprint.as_deref())
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
