//! EAP configuration XML (`EapHostConfig`) for EAP-TLS (type 13) and PEAP (type 25) wrapping
//! EAP-TLS: server validation, the roots it pins, and the certificate filter.
//!
//! Schema: <https://learn.microsoft.com/en-us/windows/client-management/mdm/eap-configuration>.
//! Elements are matched by local name: the namespaces (`…/EapTlsConnectionPropertiesV1`, `V2`,
//! `V3`, `MsPeapConnectionPropertiesV1`, …) vary by Windows version and published samples.

use roxmltree::Node;

use super::xml::{Spanned, Spans, child, children, parse_bool, spanned, text_of};
use crate::location::Location;

/// EAP method type of EAP-TLS.
pub(crate) const EAP_TLS: u32 = 13;

/// One EAP configuration.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct EapConfigData {
    /// The `EapHostConfig` element.
    pub location: Location,
    /// `EapMethod/Type`: 13 EAP-TLS, 25 PEAP.
    pub method: Option<u32>,
    /// The method layers, outermost first: PEAP then its inner EAP-TLS, or EAP-TLS alone.
    pub layers: Vec<EapLayer>,
    /// The Wi-Fi or wired profile around it, when the file says (a VPN profile's EAP
    /// configuration is linked to its profile when the bundle is joined).
    pub consumer: Option<EapConsumer>,
    /// Built from a profile's settings rather than read from EAP XML: the export it came from
    /// (`Intune Wi-Fi`, `Intune wired`). What those settings do not say (whether the user may
    /// accept an unknown server) is unknown, not a default.
    #[serde(with = "crate::cache::static_str::option")]
    pub from_settings: Option<crate::cache::static_str::Static>,
    /// Where a profile's settings choose MS-CHAPv2 inside the tunnel (Intune: PEAP with
    /// `usernameAndPassword`, TTLS with `innerAuthenticationProtocolForEAPTTLS`
    /// `microsoftChapVersionTwo`/`microsoftChap`); EAP XML says it with an inner EAP type 26.
    pub mschapv2_settings: Option<Location>,
    /// The Intune SCEP/PKCS profile that provides the client certificate
    /// (`identityCertificateForClientAuthentication`), by id.
    pub identity_certificate_profile: Option<Spanned<String>>,
    /// The `https://` namespaces its elements are in, each once, in document order: Windows'
    /// EAP schemas define only `http://www.microsoft.com/provisioning/…` namespaces.
    pub https_namespaces: Vec<String>,
}

/// EAP method type of EAP-MSCHAPv2.
pub(crate) const EAP_MSCHAPV2: u32 = 26;

/// What uses an EAP configuration: findings name it, and what its user sees.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct EapConsumer {
    /// VPN, Wi-Fi or wired.
    pub kind: ConsumerKind,
    /// The profile's name (a WLAN profile's `name`, an Intune display name), when written.
    pub name: Option<String>,
}

/// The kinds of EAP consumer.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsumerKind {
    /// An Always On VPN profile.
    Vpn,
    /// A Wi-Fi profile (`WLANProfile`, Intune `windowsWifiEnterpriseEAPConfiguration`).
    WiFi,
    /// A wired 802.1X profile (`LANProfile`, Intune `windowsWiredNetworkConfiguration`).
    Wired,
}

impl ConsumerKind {
    /// The name rules compare against: `vpn`, `wifi`, `wired`.
    pub fn name(self) -> &'static str {
        match self {
            ConsumerKind::Vpn => "vpn",
            ConsumerKind::WiFi => "wifi",
            ConsumerKind::Wired => "wired",
        }
    }

    /// How messages call a profile of this kind.
    pub fn profile_noun(self) -> &'static str {
        match self {
            ConsumerKind::Vpn => "VPN profile",
            ConsumerKind::WiFi => "Wi-Fi profile",
            ConsumerKind::Wired => "wired 802.1X profile",
        }
    }
}

impl EapConfigData {
    /// The outermost layer: the one whose server validation the client applies first.
    pub fn outer(&self) -> Option<&EapLayer> {
        self.layers.first()
    }

    /// Where the configuration authenticates with MS-CHAPv2: an EAP-MSCHAPv2 layer (PEAP's
    /// default inner method), or a profile setting that chooses it.
    pub fn mschapv2(&self) -> Option<&Location> {
        self.layers
            .iter()
            .find(|l| l.method == Some(EAP_MSCHAPV2))
            .map(|l| &l.location)
            .or(self.mschapv2_settings.as_ref())
    }

    /// The EAP-TLS layer, where the client certificate is chosen.
    pub fn tls(&self) -> Option<&EapLayer> {
        self.layers.iter().find(|l| l.method == Some(EAP_TLS))
    }
}

/// One method's settings (`Eap/Type` and `Eap/EapType`).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct EapLayer {
    /// `Eap/Type`.
    pub method: Option<u32>,
    /// The `EapType` element.
    pub location: Location,
    /// The `ServerValidation` element, when present.
    pub server_validation: Option<Location>,
    /// `PerformServerValidation` (EAP-TLS V2, or PEAP's `PeapExtensions`).
    pub perform_server_validation: Option<Spanned<bool>>,
    /// `AcceptServerName` (EAP-TLS V2, or PEAP's `PeapExtensions`): whether the server's name is
    /// validated against `ServerNames`.
    pub accept_server_name: Option<Spanned<bool>>,
    /// `ServerValidation/DisableUserPromptForServerValidation`.
    pub disable_user_prompt: Option<Spanned<bool>>,
    /// `ServerValidation/ServerNames`, split at `;`, each with its place.
    pub server_names: Vec<Spanned<String>>,
    /// Every `ServerValidation/TrustedRootCA`.
    pub trusted_roots: Vec<Thumbprint>,
    /// `TLSExtensions/FilteringInfo` of an EAP-TLS layer.
    pub filtering: Option<Filtering>,
    /// `CredentialsSource/CertificateStore`: EAP-TLS picks the client certificate from the
    /// user's or computer's store (not a smart card).
    pub certificate_store: bool,
}

/// The client certificate filter of EAP-TLS (`FilteringInfo`, EapTlsConnectionPropertiesV3).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Filtering {
    /// The `FilteringInfo` element.
    pub location: Location,
    /// `CAHashList Enabled="true"`: only certificates with one of `issuer_hashes` in their
    /// chain are offered.
    pub ca_hash_list_enabled: bool,
    /// Every `CAHashList/IssuerHash`.
    pub issuer_hashes: Vec<Thumbprint>,
    /// `ClientAuthEKUList Enabled="true"`.
    pub client_auth_eku_list_enabled: bool,
    /// The OIDs a certificate must carry besides Client Authentication (`EKUMapInList` names
    /// resolved through `EKUMapping`; an unresolved name is kept as written).
    pub required_ekus: Vec<String>,
    /// `AllPurposeEnabled`: certificates without an EKU extension qualify.
    pub all_purpose_enabled: bool,
    /// `AnyPurposeEKUList Enabled="true"`: certificates with Any Purpose qualify.
    pub any_purpose_enabled: bool,
}

/// A certificate thumbprint as written in a profile, and normalised.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Thumbprint {
    /// As written, trimmed.
    pub raw: String,
    /// 40 lower-case hex digits, when `raw` is a SHA-1 thumbprint in any of its spellings.
    pub hex: Option<String>,
    /// Where it is written.
    pub location: Location,
    /// The Intune trusted-root profile it stands for, by id, when the export names the root by
    /// reference (a Wi-Fi profile's `rootCertificatesForServerValidation`): the bundle resolves
    /// it to that profile's certificate.
    pub profile_reference: Option<String>,
}

impl Thumbprint {
    /// Reads an element's text as a thumbprint.
    pub fn from_element(node: Node<'_, '_>, spans: &Spans) -> Thumbprint {
        let raw = text_of(node);
        Thumbprint {
            hex: normalise_thumbprint(&raw),
            raw,
            location: spans.value(node),
            profile_reference: None,
        }
    }
}

/// A SHA-1 thumbprint in any spelling found in real profiles and certificate dialogs: hex pairs
/// with spaces (and a trailing space), contiguous, upper or lower case, with colons, or with the
/// invisible left-to-right mark that copying from the Windows certificate dialog adds.
pub(crate) fn normalise_thumbprint(raw: &str) -> Option<String> {
    let hex: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ':' | '\u{200e}' | '\u{200f}' | '\u{feff}'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (hex.len() == 40 && hex.chars().all(|c| c.is_ascii_hexdigit())).then_some(hex)
}

/// Reads an `EapHostConfig` element.
pub(crate) fn parse(node: Node<'_, '_>, spans: &Spans) -> EapConfigData {
    let method = child(node, "EapMethod")
        .and_then(|m| child(m, "Type"))
        .and_then(|t| text_of(t).parse().ok());
    let mut layers = Vec::new();
    if let Some(eap) = child(node, "Config").and_then(|c| child(c, "Eap")) {
        collect_layers(eap, spans, &mut layers);
    }
    EapConfigData {
        location: spans.tag(node),
        method,
        layers,
        consumer: None,
        from_settings: None,
        mschapv2_settings: None,
        identity_certificate_profile: None,
        https_namespaces: https_namespaces(node),
    }
}

/// The distinct `https://` namespaces of the elements below `node` (itself included), in
/// document order. Microsoft's documentation once rewrote its samples' namespaces to https,
/// and samples copied from then carry them.
fn https_namespaces(node: Node<'_, '_>) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for n in node.descendants().filter(Node::is_element) {
        if let Some(ns) = n.tag_name().namespace()
            && ns
                .get(..8)
                .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
            && !found.iter().any(|f| f == ns)
        {
            found.push(ns.to_owned());
        }
    }
    found
}

/// Reads an `Eap` element (`Type` + `EapType`) and, for PEAP, the `Eap` inside it.
fn collect_layers(eap: Node<'_, '_>, spans: &Spans, out: &mut Vec<EapLayer>) {
    // PEAP nests at most once; the bound keeps a crafted file from recursing deeply.
    if out.len() >= 4 {
        return;
    }
    let method = child(eap, "Type").and_then(|t| text_of(t).parse().ok());
    let Some(ty) = child(eap, "EapType") else {
        return;
    };
    let sv = child(ty, "ServerValidation");
    let perform = child(ty, "PeapExtensions")
        .and_then(|x| spanned(x, "PerformServerValidation", spans, parse_bool))
        .or_else(|| spanned(ty, "PerformServerValidation", spans, parse_bool));
    let accept_server_name = child(ty, "PeapExtensions")
        .and_then(|x| spanned(x, "AcceptServerName", spans, parse_bool))
        .or_else(|| spanned(ty, "AcceptServerName", spans, parse_bool));
    let mut server_names = Vec::new();
    if let Some(names) = sv.and_then(|s| child(s, "ServerNames")) {
        let location = spans.value(names);
        for name in text_of(names).split(';') {
            let name = name.trim();
            if !name.is_empty() {
                server_names.push(Spanned {
                    value: name.to_owned(),
                    location: location.clone(),
                });
            }
        }
    }
    let filtering = child(ty, "TLSExtensions")
        .and_then(|t| child(t, "FilteringInfo"))
        .map(|f| filtering(f, spans));
    out.push(EapLayer {
        method,
        location: spans.tag(ty),
        server_validation: sv.map(|s| spans.tag(s)),
        perform_server_validation: perform,
        accept_server_name,
        disable_user_prompt: sv
            .and_then(|s| spanned(s, "DisableUserPromptForServerValidation", spans, parse_bool)),
        server_names,
        trusted_roots: sv
            .map(|s| {
                children(s, "TrustedRootCA")
                    .map(|t| Thumbprint::from_element(t, spans))
                    .collect()
            })
            .unwrap_or_default(),
        filtering,
        certificate_store: child(ty, "CredentialsSource")
            .and_then(|c| child(c, "CertificateStore"))
            .is_some(),
    });
    if let Some(inner) = child(ty, "Eap") {
        collect_layers(inner, spans, out);
    }
}

fn filtering(f: Node<'_, '_>, spans: &Spans) -> Filtering {
    let enabled = |n: Option<Node<'_, '_>>| {
        n.and_then(|n| n.attribute("Enabled"))
            .and_then(parse_bool)
            .unwrap_or(false)
    };
    let ca_hash = child(f, "CAHashList");
    let eku_map: Vec<(String, String)> = child(f, "EKUMapping")
        .map(|m| {
            children(m, "EKUMap")
                .filter_map(|e| Some((text_of(child(e, "EKUName")?), text_of(child(e, "EKUOID")?))))
                .collect()
        })
        .unwrap_or_default();
    let client_list = child(f, "ClientAuthEKUList");
    let required_ekus = client_list
        .map(|l| {
            children(l, "EKUMapInList")
                .filter_map(|e| child(e, "EKUName").map(text_of))
                .map(|name| {
                    eku_map
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map_or(name.clone(), |(_, oid)| oid.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    Filtering {
        location: spans.tag(f),
        ca_hash_list_enabled: enabled(ca_hash),
        issuer_hashes: ca_hash
            .map(|c| {
                children(c, "IssuerHash")
                    .map(|h| Thumbprint::from_element(h, spans))
                    .collect()
            })
            .unwrap_or_default(),
        client_auth_eku_list_enabled: enabled(client_list),
        required_ekus,
        all_purpose_enabled: child(f, "AllPurposeEnabled")
            .and_then(|a| parse_bool(&text_of(a)))
            .unwrap_or(false),
        any_purpose_enabled: enabled(child(f, "AnyPurposeEKUList")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprints_in_every_spelling() {
        let want = Some("db525d00f813849e3feec253dbb04f2104c3c2b6".to_owned());
        for raw in [
            "db 52 5d 00 f8 13 84 9e 3f ee c2 53 db b0 4f 21 04 c3 c2 b6 ",
            "DB525D00F813849E3FEEC253DBB04F2104C3C2B6",
            "\u{200e}db:52:5d:00:f8:13:84:9e:3f:ee:c2:53:db:b0:4f:21:04:c3:c2:b6",
            "db 52 5d 00 f8 13 84 9e 3f ee\n   c2 53 db b0 4f 21 04 c3 c2 b6",
        ] {
            assert_eq!(normalise_thumbprint(raw), want, "{raw:?}");
        }
        assert_eq!(normalise_thumbprint("This is my issuer hash"), None);
        assert_eq!(normalise_thumbprint("db 52 5d"), None);
    }
}
