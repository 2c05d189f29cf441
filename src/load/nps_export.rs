//! NPS configuration exports: the XML `netsh nps export` and `Export-NpsConfiguration` write,
//! the same document as the live `%SystemRoot%\System32\ias\ias.xml` (`docs/nps-export.md`).
//!
//! Element names are display names made XML-safe (`AOS-CX_NetPolicy` is `<AOS_CX_NetPolicy
//! name="AOS-CX_NetPolicy">`): the `name` attribute is the real name, so containers are found by
//! their element names (fixed by the schema) and items by their `name` attributes. Every value
//! is an element of a `Properties` list, typed by `dt:dt`; a repeated property repeats the
//! element.
//!
//! The RADIUS shared secrets the export holds in clear text never leave this module: each is
//! reduced to whether it is set, and the text kept for report snippets has them blanked.

use std::sync::Arc;

use roxmltree::{Document, Node, ParsingOptions};

use super::text::{Fallback, decode_or_note};
use super::xml::{Spanned, Spans, child, children, parse_bool, text_of};
use super::{Artifact, LoadError, LoadProblem, Parsed};
use crate::location::Location;

/// The element every NPS export holds below `Root/Children`.
const SERVICE: &str = "Microsoft_Internet_Authentication_Service";

/// Nodes a document may have. A large NPS (thousands of RADIUS clients, about 40 nodes each)
/// stays far below; the file size limit bounds it anyway, this bounds a crafted file's memory.
const MAX_NODES: u32 = 2_000_000;

/// EAP type numbers (IANA; NPS writes them little-endian in its blobs).
pub(crate) const EAP_TLS: u32 = 13;
/// PEAP.
pub(crate) const PEAP: u32 = 25;
/// EAP-MSCHAPv2.
pub(crate) const EAP_MSCHAPV2: u32 = 26;

/// Whether `head` (the start of a file, trimmed) is an NPS configuration export: markup with a
/// `Root` element and the service element (`docs/failure-modes.md` §2.2: collectors save it
/// as `<host>_npsconfig.txt`, so the content decides, not the name).
pub(crate) fn sniff(head: &str) -> bool {
    let lower = head.to_ascii_lowercase();
    lower.starts_with('<')
        && lower.contains("<root")
        && lower.contains("<microsoft_internet_authentication_service")
}

/// One NPS server's configuration, as exported.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct NpsExportData {
    /// The file.
    pub location: Location,
    /// The host a `<!-- host: NAME -->` comment names.
    pub host_hint: Option<String>,
    /// Network policies, in document order.
    pub policies: Vec<NetworkPolicyData>,
    /// Connection request policies, in document order.
    pub request_policies: Vec<RequestPolicyData>,
    /// RADIUS clients, in document order.
    pub radius_clients: Vec<RadiusClientData>,
    /// Remote RADIUS server groups, in document order.
    pub server_groups: Vec<ServerGroupData>,
    /// Every secret the export holds: where, whose, and whether it is set. Never its value.
    pub secrets: Vec<SecretData>,
}

/// A network policy: its conditions and order (`NetworkPolicy`) joined with its settings (the
/// `RadiusProfiles` entry its `msNPAction` names).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct NetworkPolicyData {
    /// The policy's name.
    pub name: String,
    /// Its element in `NetworkPolicy`.
    pub location: Location,
    /// `Policy_Enabled`; a policy without it is enabled (NPS writes it for every policy).
    pub enabled: bool,
    /// `msNPSequence`: processing order, lowest first.
    pub sequence: Option<i64>,
    /// `msNPConstraint` conditions as written.
    pub conditions: Vec<String>,
    /// `msNPAction`: the name of its settings in `RadiusProfiles`.
    pub settings_name: Option<String>,
    /// The settings, when `RadiusProfiles` has them.
    pub settings: Option<PolicySettings>,
}

/// The authentication settings of a network or connection request policy.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct PolicySettings {
    /// Its element in `RadiusProfiles` (or `Proxy_Profiles`).
    pub location: Location,
    /// `msNPAuthenticationType2`: 4 MS-CHAPv2, 5 EAP, 10 MS-CHAPv2 password change, …
    pub auth_types: Vec<Spanned<u32>>,
    /// `msNPAllowedEapType`: the EAP types the policy offers, in order.
    pub allowed_eap_types: Vec<Spanned<u32>>,
    /// `msEAPConfiguration`: the configuration of each EAP type.
    pub eap_methods: Vec<EapMethodData>,
    /// `msAuthProviderType` of a connection request policy: 1 Windows (this server
    /// authenticates), 2 RADIUS proxy (forwarded to a remote server group).
    pub provider_type: Option<u32>,
    /// `msAuthProviderName`: the remote RADIUS server group it forwards to.
    pub provider_name: Option<String>,
}

/// One `msEAPConfiguration` blob, decoded as far as the format is established.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct EapMethodData {
    /// The element's value.
    pub location: Location,
    /// The EAP type of its header (13 EAP-TLS, 25 PEAP).
    pub eap_type: u32,
    /// The SHA-1 thumbprint of the server certificate NPS presents, lower-case hex.
    pub server_thumbprint: Option<String>,
    /// PEAP's inner methods, when the blob has the list where the public exports have it.
    pub inner_methods: Option<Vec<u32>>,
}

/// A connection request policy and its settings (`Proxy_Policies` joined with `Proxy_Profiles`).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct RequestPolicyData {
    /// The policy's name.
    pub name: String,
    /// Its element in `Proxy_Policies`.
    pub location: Location,
    /// `Policy_Enabled`.
    pub enabled: bool,
    /// `msNPSequence`.
    pub sequence: Option<i64>,
    /// `msNPConstraint` conditions as written.
    pub conditions: Vec<String>,
    /// Its settings, when `Proxy_Profiles` has them.
    pub settings: Option<PolicySettings>,
}

/// A RADIUS client (a VPN server, a switch, an access point).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct RadiusClientData {
    /// Its friendly name.
    pub name: String,
    /// Its element.
    pub location: Location,
    /// `IP_Address`: an address or DNS name.
    pub address: Option<String>,
    /// `Radius_Client_Enabled`.
    pub enabled: bool,
}

/// A remote RADIUS server group and the servers in it.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct ServerGroupData {
    /// The group's name.
    pub name: String,
    /// Its element.
    pub location: Location,
    /// Each server's `Address`.
    pub servers: Vec<Spanned<String>>,
}

/// A secret of the export: never its value.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct SecretData {
    /// The element (`Shared_Secret`, `Authentication_Secret`, …).
    pub element: String,
    /// What holds it: `RADIUS client 'AOS'`, `remote RADIUS server '10.0.0.5'`, …
    pub owner: String,
    /// The element's start tag.
    pub location: Location,
    /// It holds a value (an empty element holds none).
    pub set: bool,
}

/// Loads an NPS configuration export.
pub(crate) fn load(path: &Arc<str>, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    let Some(text) = decode_or_note(path, bytes, Fallback::Utf8Only, &mut out) else {
        return out;
    };
    let spans = Spans::file(path, &text);
    let options = ParsingOptions {
        // A DTD is how entity-expansion bombs get in; no export has one.
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let export = match Document::parse_with_options(&text, options) {
        Ok(doc) => Some(read_document(doc.root_element(), &spans, path, &mut out)),
        Err(e) => {
            let offset = super::xml::offset_of(&text, e.pos().row, e.pos().col);
            out.note(LoadError {
                problem: LoadProblem::InvalidXml {
                    what: "invalid XML in the NPS configuration export".to_owned(),
                    error: e.to_string(),
                },
                location: spans.at(offset..offset),
            });
            // A document cut short still says which secrets it holds: they are found by a scan
            // of the markup, so the hygiene finding does not depend on the file being whole.
            Some(NpsExportData {
                location: Location::file(path.clone()),
                host_hint: None,
                policies: Vec::new(),
                request_policies: Vec::new(),
                radius_clients: Vec::new(),
                server_groups: Vec::new(),
                secrets: scanned_secrets(&text, &spans),
            })
        }
    };
    if let Some(mut export) = export {
        export.host_hint = host_hint(&text);
        out.artifacts.push(Artifact::NpsExport(Box::new(export)));
    }
    out.text = Some(super::FileText::Decoded(super::text::redact_xml_secrets(
        text,
    )));
    out
}

/// The host a `<!-- host: NAME -->` comment in the first lines names (the `.reg` files' `; host:`
/// for XML).
fn host_hint(text: &str) -> Option<String> {
    let head = text.get(..text.len().min(4096)).unwrap_or(text);
    let start = head.find("<!--")?;
    let rest = head.get(start.saturating_add(4)..)?;
    let comment = rest.get(..rest.find("-->")?)?.trim();
    let (key, value) = comment.split_once(':')?;
    (key.trim().eq_ignore_ascii_case("host") && !value.trim().is_empty())
        .then(|| value.trim().to_owned())
}

fn read_document(
    root: Node<'_, '_>,
    spans: &Spans,
    path: &Arc<str>,
    out: &mut Parsed,
) -> NpsExportData {
    let mut export = NpsExportData {
        location: Location::file(path.clone()),
        host_hint: None,
        policies: Vec::new(),
        request_policies: Vec::new(),
        radius_clients: Vec::new(),
        server_groups: Vec::new(),
        secrets: Vec::new(),
    };
    let Some(service) = child(root, "Children").and_then(|c| child(c, SERVICE)) else {
        out.note(LoadError {
            problem: LoadProblem::Malformed(format!(
                "an NPS configuration export without Root/Children/{SERVICE}"
            )),
            location: spans.tag(root),
        });
        export.secrets = dom_secrets(root, spans);
        return export;
    };
    let sections = child(service, "Children");
    let section = |name: &str| sections.and_then(|s| child(s, name));
    let settings = |name: &str, out: &mut Parsed| -> Vec<(String, PolicySettings)> {
        items(section(name))
            .map(|(n, node)| (n, read_settings(node, spans, out)))
            .collect()
    };
    let network_settings = settings("RadiusProfiles", out);
    let request_settings = settings("Proxy_Profiles", out);
    let find = |list: &[(String, PolicySettings)], name: Option<&str>| {
        name.and_then(|n| list.iter().find(|(s, _)| s == n))
            .map(|(_, s)| s.clone())
    };
    for (name, node) in items(section("NetworkPolicy")) {
        let props = child(node, "Properties");
        let settings_name = props.and_then(|p| string(p, "msNPAction"));
        export.policies.push(NetworkPolicyData {
            settings: find(&network_settings, settings_name.as_deref()),
            name,
            location: spans.tag(node),
            enabled: props.and_then(|p| boolean(p, "Policy_Enabled")) != Some(false),
            sequence: props.and_then(|p| integer(p, "msNPSequence")),
            conditions: props.map(conditions).unwrap_or_default(),
            settings_name,
        });
    }
    for (name, node) in items(section("Proxy_Policies")) {
        let props = child(node, "Properties");
        let settings_name = props.and_then(|p| string(p, "msNPAction"));
        export.request_policies.push(RequestPolicyData {
            settings: find(&request_settings, settings_name.as_deref()),
            name,
            location: spans.tag(node),
            enabled: props.and_then(|p| boolean(p, "Policy_Enabled")) != Some(false),
            sequence: props.and_then(|p| integer(p, "msNPSequence")),
            conditions: props.map(conditions).unwrap_or_default(),
        });
    }
    let clients = section("Protocols").and_then(|p| {
        p.descendants()
            .find(|n| n.is_element() && n.tag_name().name() == "Clients")
    });
    for (name, node) in items(clients) {
        let props = child(node, "Properties");
        export.radius_clients.push(RadiusClientData {
            name,
            location: spans.tag(node),
            address: props.and_then(|p| string(p, "IP_Address")),
            enabled: props.and_then(|p| boolean(p, "Radius_Client_Enabled")) != Some(false),
        });
    }
    for (name, node) in items(section("RADIUS_Server_Groups")) {
        let servers = items(Some(node))
            .filter_map(|(_, server)| {
                let address = child(server, "Properties").and_then(|p| child(p, "Address"))?;
                Some(Spanned {
                    value: text_of(address),
                    location: spans.value(address),
                })
            })
            .collect();
        export.server_groups.push(ServerGroupData {
            name,
            location: spans.tag(node),
            servers,
        });
    }
    export.secrets = dom_secrets(root, spans);
    export
}

/// The named items of a container: `<X><Children><Item name="…">…` as (name, element).
fn items<'a, 'i>(container: Option<Node<'a, 'i>>) -> impl Iterator<Item = (String, Node<'a, 'i>)> {
    container
        .and_then(|c| child(c, "Children"))
        .into_iter()
        .flat_map(|c| c.children().filter(Node::is_element))
        .map(|n| {
            let name = n
                .attribute("name")
                .map_or_else(|| n.tag_name().name().to_owned(), str::to_owned);
            (name, n)
        })
}

fn string(props: Node<'_, '_>, name: &str) -> Option<String> {
    child(props, name).map(text_of)
}

fn boolean(props: Node<'_, '_>, name: &str) -> Option<bool> {
    child(props, name).and_then(|n| parse_bool(&text_of(n)))
}

fn integer(props: Node<'_, '_>, name: &str) -> Option<i64> {
    child(props, name).and_then(|n| text_of(n).parse().ok())
}

fn conditions(props: Node<'_, '_>) -> Vec<String> {
    children(props, "msNPConstraint").map(text_of).collect()
}

/// The authentication settings of one `RadiusProfiles` / `Proxy_Profiles` entry.
fn read_settings(node: Node<'_, '_>, spans: &Spans, out: &mut Parsed) -> PolicySettings {
    let props = child(node, "Properties");
    let ints = |name: &'static str| -> Vec<Spanned<u32>> {
        props
            .into_iter()
            .flat_map(|p| children(p, name))
            .filter_map(|n| {
                Some(Spanned {
                    value: text_of(n).parse().ok()?,
                    location: spans.value(n),
                })
            })
            .collect()
    };
    let policy = node.attribute("name").unwrap_or_default();
    let mut allowed_eap_types = Vec::new();
    for n in props
        .into_iter()
        .flat_map(|p| children(p, "msNPAllowedEapType"))
    {
        let location = spans.value(n);
        match hex_bytes(&text_of(n)).and_then(|b| le_u32(&b, 0)) {
            Some(t) => allowed_eap_types.push(Spanned { value: t, location }),
            None => out.note(LoadError {
                problem: LoadProblem::Malformed(format!(
                    "msNPAllowedEapType of policy '{policy}' is not a hex EAP type entry"
                )),
                location,
            }),
        }
    }
    let mut eap_methods = Vec::new();
    for n in props
        .into_iter()
        .flat_map(|p| children(p, "msEAPConfiguration"))
    {
        let location = spans.value(n);
        match decode_eap_configuration(&text_of(n)) {
            Ok(m) => eap_methods.push(EapMethodData {
                location,
                eap_type: m.eap_type,
                server_thumbprint: m.server_thumbprint,
                inner_methods: m.inner_methods,
            }),
            Err(what) => out.note(LoadError {
                problem: LoadProblem::Malformed(format!(
                    "msEAPConfiguration of policy '{policy}' {what}"
                )),
                location,
            }),
        }
    }
    PolicySettings {
        location: spans.tag(node),
        auth_types: ints("msNPAuthenticationType2"),
        allowed_eap_types,
        eap_methods,
        provider_type: props
            .and_then(|p| integer(p, "msAuthProviderType"))
            .and_then(|v| u32::try_from(v).ok()),
        provider_name: props.and_then(|p| string(p, "msAuthProviderName")),
    }
}

/// An `msEAPConfiguration` blob, decoded.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodedEapConfiguration {
    /// The EAP type of the 16-byte header.
    pub eap_type: u32,
    /// The server certificate's SHA-1 thumbprint, lower-case hex.
    pub server_thumbprint: Option<String>,
    /// PEAP's inner methods.
    pub inner_methods: Option<Vec<u32>>,
}

/// The length NPS writes before the thumbprint: 20 bytes, a SHA-1.
const THUMBPRINT_MARKER: [u8; 4] = [0x14, 0, 0, 0];

/// Decodes an `msEAPConfiguration` value (hex text). The header is 16 bytes, the EAP type
/// first (little-endian). The server certificate's thumbprint is the 20 bytes after the first
/// `14000000` length at a 4-byte boundary past the header, and is taken only when it is not all
/// zero: the offset differs between PEAP and EAP-TLS, and community tools that assume a fixed
/// one are how thumbprints get corrupted. After PEAP's thumbprint comes its inner method, read
/// only in the one-method layout the public export shows (`docs/nps-export.md`: inferred).
pub(crate) fn decode_eap_configuration(hex: &str) -> Result<DecodedEapConfiguration, String> {
    let bytes = hex_bytes(hex).ok_or("is not hex text")?;
    if bytes.len() < 16 {
        return Err(format!(
            "is {} bytes long, shorter than its 16-byte header",
            bytes.len()
        ));
    }
    let eap_type = le_u32(&bytes, 0).ok_or("has no EAP type")?;
    let mut server_thumbprint = None;
    let mut after_thumbprint = None;
    let mut at = 16usize;
    while at.saturating_add(4) <= bytes.len() {
        if bytes.get(at..at.saturating_add(4)) == Some(&THUMBPRINT_MARKER[..]) {
            let start = at.saturating_add(4);
            let end = start.saturating_add(20);
            let Some(thumb) = bytes.get(start..end) else {
                return Err(format!(
                    "ends inside the server certificate thumbprint (byte {start} of {})",
                    bytes.len()
                ));
            };
            if thumb.iter().any(|&b| b != 0) {
                server_thumbprint = Some(thumb.iter().map(|b| format!("{b:02x}")).collect());
                after_thumbprint = Some(end);
                break;
            }
        }
        at = at.saturating_add(4);
    }
    if server_thumbprint.is_none() && matches!(eap_type, EAP_TLS | PEAP) {
        return Err(format!(
            "(EAP type {eap_type}) holds no server certificate thumbprint (no 20-byte field after a 0x14 length)"
        ));
    }
    let inner_methods = match (eap_type, after_thumbprint) {
        (PEAP, Some(end)) => inner_methods(&bytes, end),
        _ => None,
    };
    Ok(DecodedEapConfiguration {
        eap_type,
        server_thumbprint,
        inner_methods,
    })
}

/// PEAP's inner method after the thumbprint, in the layout of the public export: a flag, the
/// count (1), a size (0x10) and the method's type. Only that one-method layout is read: how a
/// second method is laid out is not established, so a list of any other count is not taken.
fn inner_methods(bytes: &[u8], from: usize) -> Option<Vec<u32>> {
    let count = le_u32(bytes, from.checked_add(4)?)?;
    if count != 1 {
        return None;
    }
    Some(vec![le_u32(bytes, from.checked_add(12)?)?])
}

fn le_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// `bin.hex` text (white space allowed between digits) as bytes.
fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| {
            char::from(b)
                .to_digit(16)
                .and_then(|d| u8::try_from(d).ok())
        })
        .collect::<Option<_>>()?;
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    Some(
        digits
            .chunks_exact(2)
            .map(|p| p.first().copied().unwrap_or(0) << 4 | p.get(1).copied().unwrap_or(0))
            .collect(),
    )
}

/// Whether an element name is a secret's (a `…_Template_Guid` only points at a template).
fn is_secret_element(name: &str) -> bool {
    super::text::is_secret_name(name) && !name.to_ascii_lowercase().ends_with("_guid")
}

/// The secrets of a parsed document, each named by what holds it.
fn dom_secrets(root: Node<'_, '_>, spans: &Spans) -> Vec<SecretData> {
    root.descendants()
        .filter(|n| n.is_element() && is_secret_element(n.tag_name().name()))
        .map(|n| SecretData {
            element: n.tag_name().name().to_owned(),
            owner: owner_of(n),
            location: spans.tag(n),
            set: !text_of(n).is_empty(),
        })
        .collect()
}

/// What holds a secret: the nearest named item above its `Properties`, and what kind of item
/// the container it sits in makes it.
fn owner_of(secret: Node<'_, '_>) -> String {
    let item = secret
        .ancestors()
        .skip(1)
        .find(|a| a.is_element() && a.attribute("name").is_some());
    let name = item.and_then(|i| i.attribute("name")).unwrap_or("?");
    let within = |container: &str| {
        secret
            .ancestors()
            .any(|a| a.is_element() && a.tag_name().name() == container)
    };
    let kind = if within("Clients") {
        "RADIUS client"
    } else if within("RADIUS_Server_Groups") {
        "remote RADIUS server"
    } else if secret
        .ancestors()
        .any(|a| a.is_element() && a.tag_name().name().contains("Templates"))
    {
        "shared secret template"
    } else {
        "item"
    };
    format!("{kind} '{name}'")
}

/// The secrets of a document that does not parse, found by a scan of its markup.
fn scanned_secrets(text: &str, spans: &Spans) -> Vec<SecretData> {
    super::text::xml_secret_elements(text)
        .into_iter()
        .filter_map(|e| {
            let element = text.get(e.name.clone())?;
            let local = element.rsplit(':').next().unwrap_or(element);
            is_secret_element(local).then(|| SecretData {
                element: local.to_owned(),
                owner: "an item of the part that does not parse".to_owned(),
                location: spans.at(e.name.start.saturating_sub(1)..e.name.end),
                set: !text.get(e.content).unwrap_or_default().trim().is_empty(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), String>;

    /// The PEAP blob of a public export (`docs/nps-export.md`): inner method EAP-MSCHAPv2.
    const PEAP_MSCHAPV2: &str = "1900000000000000000000000000000038000000020000003800000001000000140000002c6309139f605edd59adf035b1fff11ee18df5ac0100000001000000100000001a00000000000000";

    #[test]
    fn a_peap_blob_gives_its_thumbprint_and_inner_method() -> TestResult {
        let d = decode_eap_configuration(PEAP_MSCHAPV2)?;
        assert_eq!(d.eap_type, PEAP);
        assert_eq!(
            d.server_thumbprint.as_deref(),
            Some("2c6309139f605edd59adf035b1fff11ee18df5ac")
        );
        assert_eq!(d.inner_methods, Some(vec![EAP_MSCHAPV2]));
        // White space around and inside the value, as exports indent it.
        let spaced = format!("\n  {}\n  {} ", &PEAP_MSCHAPV2[..40], &PEAP_MSCHAPV2[40..]);
        assert_eq!(decode_eap_configuration(&spaced)?, d);
        Ok(())
    }

    #[test]
    fn the_thumbprint_is_found_by_its_length_not_an_offset() -> TestResult {
        // EAP-TLS: four more bytes before the length than PEAP (offset 80 in hex, not 72).
        let tls = format!(
            "0d000000000000000000000000000000{}{}{}{}",
            "3c000000020000003c00000001000000",
            "00000000",
            "14000000",
            "00112233445566778899aabbccddeeff00112233"
        );
        let d = decode_eap_configuration(&tls)?;
        assert_eq!(d.eap_type, EAP_TLS);
        assert_eq!(
            d.server_thumbprint.as_deref(),
            Some("00112233445566778899aabbccddeeff00112233")
        );
        assert_eq!(d.inner_methods, None);
        Ok(())
    }

    #[test]
    fn broken_blobs_say_what_is_wrong() {
        for (hex, expected) in [
            ("19000000", "shorter than its 16-byte header"),
            ("1900000000000000000000000000000", "is not hex text"),
            ("zz", "is not hex text"),
            (
                "190000000000000000000000000000003800000014000000aabb",
                "ends inside the server certificate thumbprint",
            ),
            (
                "1900000000000000000000000000000038000000",
                "holds no server certificate thumbprint",
            ),
        ] {
            let result = decode_eap_configuration(hex);
            assert!(
                result.as_ref().is_err_and(|e| e.contains(expected)),
                "{hex}: {result:?}"
            );
        }
        // EAP-MSCHAPv2 has no server certificate of its own: a header alone is whole.
        assert!(decode_eap_configuration("1a000000000000000000000000000000").is_ok());
    }

    #[test]
    fn only_the_one_method_inner_layout_is_read() -> TestResult {
        // Two methods: a layout no public export shows, so the list is not taken.
        let two = PEAP_MSCHAPV2.replace(
            "0100000001000000100000001a000000",
            "0100000002000000100000001a000000",
        );
        let d = decode_eap_configuration(&two)?;
        assert!(d.server_thumbprint.is_some());
        assert_eq!(d.inner_methods, None);
        // Cut inside the inner method: the thumbprint stands, the method is not read.
        let cut = &PEAP_MSCHAPV2[..PEAP_MSCHAPV2.len() - 16];
        assert_eq!(decode_eap_configuration(cut)?.inner_methods, None);
        Ok(())
    }
}
