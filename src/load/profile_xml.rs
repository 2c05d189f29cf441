//! XML files that hold an Always On VPN ProfileXML or an EAP configuration (`EapHostConfig`):
//! standalone, or XML-escaped as the text of another element, the ways admins find them (an MDM
//! SyncML `<Data>`, a PowerShell export, an escaped `EapHostConfig` inside `<Configuration>`).
//! An EAP configuration inside a Windows Wi-Fi profile (`WLANProfile`, as `netsh wlan export
//! profile` writes it and the WiFi CSP's `WlanXml` takes it) or wired profile (`LANProfile`)
//! is read with that profile as its consumer.

use std::sync::Arc;

use roxmltree::Node;

use super::eap::{ConsumerKind, EapConsumer};
use super::text::{Fallback, decode_or_note};
use super::xml::{self, Spans};
use super::{Artifact, LoadError, LoadProblem, Parsed, eap, vpn_profile};
use crate::location::Location;

/// The elements that make an XML document ours, as `escaped_document` looks for them in text.
pub(crate) const ROOTS: [&str; 2] = ["<VPNProfile", "<EapHostConfig"];

/// What marks an XML file as ours: a ProfileXML or EAP configuration, as elements or escaped
/// as text inside another document.
const MARKERS: [&str; 4] = [
    "<VPNProfile",
    "&lt;VPNProfile",
    "<EapHostConfig",
    "&lt;EapHostConfig",
];

/// Whether `head` (the start of a file, trimmed) is XML holding a profile of ours.
pub(crate) fn sniff(head: &str) -> bool {
    head.starts_with('<') && MARKERS.iter().any(|m| head.contains(m))
}

/// Loads an XML file: every ProfileXML and EAP configuration in it, in document order.
pub(crate) fn load(path: &Arc<str>, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    let Some(text) = decode_or_note(path, bytes, Fallback::Utf8Only, &mut out) else {
        return out;
    };
    let spans = Spans::file(path, &text);
    load_document(&text, &spans, 0, &mut out);
    if out.artifacts.is_empty() && out.problem.is_none() {
        out.note(LoadError::in_text(path, &text, 0, LoadProblem::NoProfile));
    }
    out.text = Some(super::FileText::Decoded(super::text::redact_xml_secrets(
        text,
    )));
    out
}

/// Collects the ProfileXML and EAP configurations of XML text embedded in another format (an
/// Intune OMA-URI value), every position pointing at `location`, where the text is written.
/// Returns how many it found.
pub(crate) fn load_embedded(text: &str, location: Location, out: &mut Parsed) -> usize {
    load_cut(text, &Spans::fixed(location), out)
}

/// Collects the ProfileXML and EAP configurations of XML text cut out of another file (a
/// script's string literal), positioned through `spans`. Returns how many it found.
pub(crate) fn load_cut(text: &str, spans: &Spans, out: &mut Parsed) -> usize {
    let before = out.artifacts.len();
    load_document(text, spans, 1, out);
    out.artifacts.len().saturating_sub(before)
}

/// Parses `xml` (the file, or text unescaped from an element of it) and collects what it holds.
fn load_document(text: &str, spans: &Spans, depth: u32, out: &mut Parsed) {
    let what = if depth == 0 {
        "invalid XML"
    } else {
        "invalid XML in escaped text"
    };
    xml::with_document(text, spans, what, out, |root, out| {
        collect(root, spans, depth, out);
    });
}

/// Finds profiles and EAP configurations at or below `root`, as elements or as escaped text.
/// Iterative, with a depth limit: a crafted document nested a hundred thousand levels deep must
/// be a finding, not a stack overflow.
fn collect(root: Node<'_, '_>, spans: &Spans, depth: u32, out: &mut Parsed) {
    let mut stack: Vec<(Node<'_, '_>, usize, Option<EapConsumer>)> = vec![(root, 0usize, None)];
    while let Some((node, level, consumer)) = stack.pop() {
        if level > xml::MAX_DEPTH {
            out.note(LoadError {
                problem: LoadProblem::XmlTooDeep {
                    limit: xml::MAX_DEPTH,
                },
                location: spans.tag(node),
            });
            return;
        }
        if node.is_element() {
            match node.tag_name().name() {
                "VPNProfile" => {
                    let profile = vpn_profile::parse(node, spans, depth, out);
                    out.artifacts.push(Artifact::VpnProfile(Box::new(profile)));
                    continue;
                }
                "EapHostConfig" => {
                    let mut eap = eap::parse(node, spans);
                    eap.consumer = consumer;
                    out.artifacts.push(Artifact::EapConfig(Box::new(eap)));
                    continue;
                }
                _ => {}
            }
        }
        let consumer = network_profile(node).or(consumer);
        if node.is_text() {
            if let Some((inner, inner_spans)) = xml::escaped_document(node, spans, depth, &ROOTS) {
                load_document(&inner, &inner_spans, depth.saturating_add(1), out);
            }
            continue;
        }
        // Children in reverse, so they pop in document order.
        let children: Vec<Node<'_, '_>> = node.children().collect();
        for child in children.into_iter().rev() {
            stack.push((child, level.saturating_add(1), consumer.clone()));
        }
    }
}

/// The consumer a `WLANProfile` or `LANProfile` element stands for: a Wi-Fi profile named by
/// its `name` (else its first SSID), or a wired 802.1X profile (which has no name).
fn network_profile(node: Node<'_, '_>) -> Option<EapConsumer> {
    if !node.is_element() {
        return None;
    }
    match node.tag_name().name() {
        "WLANProfile" => {
            let name = xml::child(node, "name")
                .or_else(|| {
                    xml::child(node, "SSIDConfig")
                        .and_then(|c| xml::child(c, "SSID"))
                        .and_then(|s| xml::child(s, "name"))
                })
                .map(xml::text_of)
                .filter(|n| !n.is_empty());
            Some(EapConsumer {
                kind: ConsumerKind::WiFi,
                name,
            })
        }
        "LANProfile" => Some(EapConsumer {
            kind: ConsumerKind::Wired,
            name: None,
        }),
        _ => None,
    }
}
