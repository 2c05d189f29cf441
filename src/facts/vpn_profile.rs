//! VPN profiles (ProfileXML, Intune windows10VpnConfiguration): the entity of the `vpn_profile`
//! scope, and the join that adds each with the EAP configuration it holds.

use crate::load::VpnProfileData;
use crate::location::Location;

use super::eap_config::EapConfig;
use super::fact::Fact;
use super::id::{EapConfigId, IdVec, VpnProfileId};
use super::profile::Profiles;

/// A VPN profile (ProfileXML or Intune VPN configuration).
#[derive(Debug, Clone)]
pub struct VpnProfile {
    /// What the file says.
    pub data: VpnProfileData,
    /// Its EAP configuration.
    pub eap: Option<EapConfigId>,
    /// Identity by content (source, name, servers, protocol): stable when the file moves.
    pub content_id: String,
}

/// The VPN profiles of the bundle, by id.
pub(crate) type VpnProfiles = IdVec<VpnProfileId, VpnProfile>;

impl VpnProfile {
    /// The profile name, else its first server, else its file: what messages call it.
    pub fn display_name(&self) -> String {
        self.data
            .name
            .clone()
            .or_else(|| self.data.servers.first().map(|s| s.value.clone()))
            .unwrap_or_else(|| self.data.location.path.to_string())
    }
}

/// Adds each loaded VPN profile, and the EAP configuration it holds, to `p`.
pub(super) fn join(loaded: Vec<VpnProfileData>, p: &mut Profiles) {
    for mut data in loaded {
        let id = p.vpn_profiles.next_id();
        let eap = data
            .eap
            .take()
            .map(|e| p.eap_configs.push(EapConfig::new(e, Some(id), data.source)));
        p.vpn_profiles.push(VpnProfile {
            content_id: content_id(&data),
            data,
            eap,
        });
    }
}

/// A VPN profile by content: source, name, servers and protocol.
fn content_id(v: &VpnProfileData) -> String {
    let servers: Vec<&str> = v.servers.iter().map(|s| s.value.as_str()).collect();
    format!(
        "{}|{}|{}|{}",
        v.source,
        v.name.as_deref().unwrap_or(""),
        servers.join(","),
        v.protocol.as_ref().map_or("", |p| p.value.as_str())
    )
}

impl Fact for VpnProfile {
    fn kind_name(&self) -> &'static str {
        "VPN profile"
    }
    fn identity(&self) -> String {
        format!("vpn profile {}", self.content_id)
    }
    fn display_name(&self) -> String {
        VpnProfile::display_name(self)
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
