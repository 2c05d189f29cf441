//! The thumbprints an EAP configuration pins (`TrustedRootCA`, `IssuerHash`): the entity of the
//! `eap_thumbprint` scope, and the join that resolves each to a certificate of the bundle.

use std::collections::BTreeMap;

use crate::load::eap::Thumbprint;
use crate::location::Location;

use super::fact::Fact;
use super::id::{CertId, EapConfigId, IdVec, PinId};
use super::profile::Profiles;
use super::thumbprint_index::ThumbprintIndex;

/// Which list of an EAP configuration a thumbprint is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinKind {
    /// `ServerValidation/TrustedRootCA`: a root the client accepts for the server.
    TrustedRoot,
    /// `FilteringInfo/CAHashList/IssuerHash`: a CA a client certificate must chain to.
    IssuerHash,
}

/// One thumbprint of an EAP configuration, resolved against the bundle.
#[derive(Debug, Clone)]
pub struct PinnedThumbprint {
    /// The list it is in.
    pub kind: PinKind,
    /// As written, normalised, and where (the first place, when PEAP repeats it inside).
    pub thumbprint: Thumbprint,
    /// Other places in the same configuration with the same thumbprint.
    pub also: Vec<Location>,
    /// The EAP configuration.
    pub config: EapConfigId,
    /// The configuration's `content_id`.
    pub owner_id: String,
    /// The certificate with that SHA-1 thumbprint.
    pub certificate: Option<CertId>,
    /// For an issuer hash: the `CAHashList` is enabled, so the filter applies.
    pub filter_enabled: bool,
}

/// The pinned thumbprints of the bundle, by id.
pub(crate) type PinnedThumbprints = IdVec<PinId, PinnedThumbprint>;

/// Adds every thumbprint of every EAP configuration of `p`, one entity per list and value in a
/// configuration (PEAP repeats the outer list inside), each resolved by its SHA-1.
pub(super) fn join(p: &mut Profiles, index: &ThumbprintIndex<'_>) {
    let Profiles {
        eap_configs, pins, ..
    } = p;
    for (config_id, config) in eap_configs.iter_ids_mut() {
        let mut seen: BTreeMap<(u8, String), PinId> = BTreeMap::new();
        let filter_enabled = config
            .data
            .tls()
            .and_then(|l| l.filtering.as_ref())
            .is_some_and(|f| f.ca_hash_list_enabled);
        let roots = config
            .data
            .layers
            .iter()
            .flat_map(|l| l.trusted_roots.iter().map(|t| (PinKind::TrustedRoot, t)));
        let hashes = config
            .data
            .layers
            .iter()
            .filter_map(|l| l.filtering.as_ref())
            .flat_map(|f| f.issuer_hashes.iter().map(|t| (PinKind::IssuerHash, t)));
        let mut mine = Vec::new();
        for (kind, t) in roots.chain(hashes) {
            let key = (
                u8::from(kind == PinKind::IssuerHash),
                t.hex.clone().unwrap_or_else(|| t.raw.clone()),
            );
            if let Some(&id) = seen.get(&key) {
                if let Some(pin) = pins.get_mut(id) {
                    pin.also.push(t.location.clone());
                }
                continue;
            }
            let id = pins.push(PinnedThumbprint {
                kind,
                thumbprint: t.clone(),
                also: Vec::new(),
                config: config_id,
                owner_id: config.content_id.clone(),
                certificate: t.hex.as_deref().and_then(|h| index.by_sha1(h)),
                filter_enabled: kind == PinKind::IssuerHash && filter_enabled,
            });
            seen.insert(key, id);
            mine.push(id);
        }
        config.pins = mine;
    }
}

impl Fact for PinnedThumbprint {
    fn kind_name(&self) -> &'static str {
        "EAP thumbprint"
    }
    fn identity(&self) -> String {
        format!(
            "eap thumbprint {} in eap config {}",
            self.thumbprint
                .hex
                .as_deref()
                .unwrap_or(&self.thumbprint.raw),
            self.owner_id
        )
    }
    fn display_name(&self) -> String {
        self.thumbprint.raw.clone()
    }
    fn location(&self) -> Option<Location> {
        Some(self.thumbprint.location.clone())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &self.also
    }
}
