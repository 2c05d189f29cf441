//! Always On VPN ProfileXML (the VPNv2 CSP's `VPNProfile`): servers, protocol, tunnel type,
//! authentication methods and the EAP configuration inside, inline or XML-escaped.
//!
//! Schema: <https://learn.microsoft.com/en-us/windows/client-management/mdm/vpnv2-profile-xsd>.

use roxmltree::Node;

use super::Parsed;
use super::eap::{self, EapConfigData};
use super::xml::{self, Spanned, Spans, child, parse_bool, spanned, text_of};
use crate::location::Location;

/// One VPN profile, from ProfileXML or from an Intune VPN configuration export.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct VpnProfileData {
    /// The `VPNProfile` element (or the Intune object).
    pub location: Location,
    /// `ProfileName`, or Intune's `displayName`/`connectionName`.
    pub name: Option<String>,
    /// Where it came from: `ProfileXML` or `Intune`.
    #[serde(with = "crate::cache::static_str")]
    pub source: crate::cache::static_str::Static,
    /// `NativeProfile/Servers`, split at `,`, without the `;friendly name` part.
    pub servers: Vec<Spanned<String>>,
    /// `NativeProfile/NativeProtocolType` (`IKEv2`, `SSTP`, `Automatic`, …).
    pub protocol: Option<Spanned<String>>,
    /// `DeviceTunnel`.
    pub device_tunnel: Option<Spanned<bool>>,
    /// `Authentication/UserMethod` (`Eap`, `MSChapv2`).
    pub user_method: Option<Spanned<String>>,
    /// `Authentication/MachineMethod` (`Certificate`).
    pub machine_method: Option<Spanned<String>>,
    /// A plug-in (third-party) profile: `PluginProfile` instead of `NativeProfile`.
    pub plugin: bool,
    /// The EAP configuration, when there is one.
    /// `DeviceCompliance/Enabled` (Intune `enableConditionalAccess`): Entra ID conditional
    /// access issues the VPN a short-lived certificate.
    pub conditional_access: Option<Spanned<bool>>,
    pub eap: Option<EapConfigData>,
}

/// Reads a `VPNProfile` element.
pub(crate) fn parse(
    node: Node<'_, '_>,
    spans: &Spans,
    depth: u32,
    out: &mut Parsed,
) -> VpnProfileData {
    let native = child(node, "NativeProfile");
    let auth = native.and_then(|n| child(n, "Authentication"));
    let text = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
    let mut servers = Vec::new();
    if let Some(s) = native.and_then(|n| child(n, "Servers")) {
        let location = spans.value(s);
        for entry in text_of(s).split(',') {
            // "server;friendly name" names one server.
            let host = entry.split(';').next().unwrap_or_default().trim();
            if !host.is_empty() {
                servers.push(Spanned {
                    value: host.to_owned(),
                    location: location.clone(),
                });
            }
        }
    }
    let eap = auth
        .and_then(|a| child(a, "Eap"))
        .and_then(|e| child(e, "Configuration"))
        .and_then(|c| eap_of(c, spans, depth, out));
    VpnProfileData {
        location: spans.tag(node),
        name: child(node, "ProfileName")
            .map(text_of)
            .and_then(|s| text(&s)),
        source: "ProfileXML",
        servers,
        protocol: native.and_then(|n| spanned(n, "NativeProtocolType", spans, text)),
        device_tunnel: spanned(node, "DeviceTunnel", spans, parse_bool),
        user_method: auth.and_then(|a| spanned(a, "UserMethod", spans, text)),
        machine_method: auth.and_then(|a| spanned(a, "MachineMethod", spans, text)),
        plugin: child(node, "PluginProfile").is_some(),
        conditional_access: child(node, "DeviceCompliance")
            .and_then(|d| spanned(d, "Enabled", spans, parse_bool)),
        eap,
    }
}

/// The EAP configuration in `<Configuration>`: an element, or escaped text (the form MDM and
/// WMI bridges use).
fn eap_of(
    config: Node<'_, '_>,
    spans: &Spans,
    depth: u32,
    out: &mut Parsed,
) -> Option<EapConfigData> {
    if let Some(e) = child(config, "EapHostConfig") {
        return Some(eap::parse(e, spans));
    }
    for t in config.children().filter(Node::is_text) {
        if let Some((inner, inner_spans)) =
            xml::escaped_document(t, spans, depth, &["<EapHostConfig"])
        {
            let what = "invalid XML in the escaped EapHostConfig";
            let found = xml::with_document(&inner, &inner_spans, what, out, |root, _| {
                (root.tag_name().name() == "EapHostConfig").then(|| eap::parse(root, &inner_spans))
            });
            if let Some(Some(e)) = found {
                return Some(e);
            }
        }
    }
    None
}
