//! Intune exports: Microsoft Graph (beta) device-configuration JSON, as a single object, an array,
//! or a Graph page `{"value": …}`, or as the Graph PowerShell SDK dumps it (PascalCase base
//! properties, the type's own under `AdditionalProperties`). `@odata.type` selects the kind;
//! unknown kinds are skipped. Custom (OMA-URI) configurations are read for their VPNv2
//! ProfileXML settings, the profile parsed as if it were a file.
//!
//! Kinds and properties (checked against the Graph beta reference, `docs/domain.md` §5):
//! `windows81TrustedRootCertificate` (and Windows 10X's), `windows81SCEPCertificateProfile` (and
//! Windows 10X's), `windows10PkcsCertificateProfile`, `windows10VpnConfiguration`,
//! `cloudCertificationAuthority`. Every member a rule names keeps its line and column.

use std::sync::Arc;

use base64::Engine as _;
use jsonc_parser::ast::{Object, ObjectProp, ObjectPropName, StringLit, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::eap::{self, ConsumerKind, EapConfigData, EapConsumer, normalise_thumbprint};
use super::text::{Fallback, decode_or_note};
use super::vpn_profile::VpnProfileData;
use super::xml::{Spanned, Spans};
use super::{Artifact, LoadError, LoadProblem, Parsed, x509};
use crate::location::{LineIndex, Location};

/// An Intune trusted-certificate profile.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct TrustedRootProfileData {
    /// The object.
    pub location: Location,
    /// Graph `id`.
    pub id: Option<String>,
    /// `displayName`.
    pub name: Option<String>,
    /// `destinationStore`: `computerCertStoreRoot`, `computerCertStoreIntermediate`,
    /// `userCertStoreIntermediate`; absent means the root store (the Graph default).
    pub destination_store: Option<Spanned<String>>,
    /// `certFileName`.
    pub file_name: Option<String>,
    /// SHA-256 of the certificate it carries, when `trustedRootCertificate` decoded to one (the
    /// certificate itself is an artifact of its own).
    pub certificate_sha256: Option<String>,
    /// SHA-1 (the thumbprint EAP pins by) of that certificate.
    pub certificate_sha1: Option<String>,
    /// Where `trustedRootCertificate` is.
    pub certificate_location: Option<Location>,
    /// The SCEP profile whose root this is, when the export is the response of the navigation
    /// GET `…/deviceConfigurations('{id}')/…/rootCertificate` (its `@odata.context` says so): a
    /// sidecar that carries the reference a plain GET of the SCEP profile leaves out.
    pub root_of: Option<String>,
}

/// An Intune SCEP or PKCS certificate profile.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct CertificateProfileData {
    /// The object.
    pub location: Location,
    /// `SCEP` or `PKCS`.
    #[serde(with = "crate::cache::static_str")]
    pub kind: crate::cache::static_str::Static,
    /// Graph `id`.
    pub id: Option<String>,
    /// `displayName`.
    pub name: Option<String>,
    /// `extendedKeyUsages[].objectIdentifier`.
    pub ekus: Vec<String>,
    /// Whether the export writes `extendedKeyUsages` at all (a PKCS profile's EKUs may come from
    /// the CA's template instead, and a Microsoft365DSC configuration may leave them out).
    pub ekus_written: bool,
    /// Where `extendedKeyUsages` is (else the object).
    pub ekus_location: Location,
    /// `keySize` in bits (`size2048` → 2048).
    pub key_size: Option<Spanned<u32>>,
    /// `hashAlgorithm` (`sha1`, `sha2`, or flags such as `sha1,sha2`).
    pub hash_algorithm: Option<Spanned<String>>,
    /// `keyUsage` flags (`keyEncipherment`, `digitalSignature`), written as Graph's
    /// comma-separated flags or as a list (Microsoft365DSC); lower case, in order.
    pub key_usage: Option<Spanned<Vec<String>>>,
    /// `certificateStore`: `user` or `machine`.
    pub certificate_store: Option<String>,
    /// `customSubjectAlternativeNames` of type `universalResourceIdentifier`.
    pub san_uris: Vec<String>,
    /// `subjectAlternativeNameType`.
    pub san_type: Option<String>,
    /// The SAN types the profile asks for: the flags of `subjectAlternativeNameType` and each
    /// `customSubjectAlternativeNames[].sanType`, without `none`, in order, once each.
    pub san_types: Vec<String>,
    /// `subjectNameFormat` (`commonName`, `commonNameAsAadDeviceId`, `custom`, …).
    pub subject_name_format: Option<String>,
    /// The texts Intune fills with variables (`{{AAD_Device_ID}}`): `subjectNameFormatString`,
    /// `subjectAlternativeNameFormatString` and each custom SAN's `name`, in that order.
    pub name_templates: Vec<String>,
    /// Validity in days (`certificateValidityPeriodValue` × `…Scale`; a month counts 31 days
    /// and a year 366, so a comparison with a CA's remaining days errs towards a finding).
    pub validity_days: Option<Spanned<i64>>,
    /// `scepServerUrls`.
    pub scep_server_urls: Vec<String>,
    /// The trusted-root reference: an expanded `rootCertificate`, an `@odata.bind` URL or a bare
    /// id; `None` when the export has none.
    pub root: Option<RootRef>,
    /// `certificationAuthority` (PKCS).
    pub certification_authority: Option<String>,
}

/// How a certificate profile names its trusted-root profile.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct RootRef {
    /// The trusted-root profile's id.
    pub id: Option<String>,
    /// SHA-256 of the certificate of an expanded `rootCertificate`.
    pub certificate_sha256: Option<String>,
    /// Where the reference is written.
    pub location: Location,
}

/// A Microsoft Cloud PKI certification authority (`cloudCertificationAuthority`).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct CloudCaData {
    /// The object.
    pub location: Location,
    /// Graph `id`.
    pub id: Option<String>,
    /// `displayName`.
    pub name: Option<String>,
    /// `cloudCertificationAuthorityType`.
    pub ca_type: Option<String>,
    /// `certificateRevocationListUrl`.
    pub crl_url: Option<String>,
    /// `thumbprint`, normalised to 40 lower-case hex digits when it is one.
    pub thumbprint: Option<String>,
    /// `scepServerUrl`.
    pub scep_server_url: Option<String>,
    /// `extendedKeyUsages[].objectIdentifier`; `None` when the export does not write the list.
    pub extended_key_usages: Option<Vec<String>>,
}

/// Documents nested deeper than this are refused (Graph exports are a few levels deep).
const MAX_DEPTH: usize = 64;

/// Loads a Graph JSON export.
pub(crate) fn load(path: &Arc<str>, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    let Some(text) = decode_or_note(path, bytes, Fallback::Utf8Only, &mut out) else {
        return out;
    };
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let mut secrets = Vec::new();
    match parse_to_ast(&text, &CollectOptions::default(), &strict) {
        Ok(parsed) => {
            if let Some(v) = &parsed.value {
                secrets = secret_values(v);
            }
            let ctx = Ctx {
                path: path.clone(),
                lines: LineIndex::new(&text),
                text: text.clone(),
            };
            if let Some(v) = &parsed.value {
                if depth(v) > MAX_DEPTH {
                    out.note(ctx.error(0, LoadProblem::JsonTooDeep { limit: MAX_DEPTH }));
                } else {
                    let mut unread = Vec::new();
                    top_level(v, &ctx, &mut out, &mut unread);
                    if out.artifacts.is_empty() && out.problem.is_none() {
                        out.skipped = Some(nothing_to_read("Graph JSON", unread));
                    }
                }
            }
        }
        Err(e) => out.note(LoadError::in_text(
            path,
            &text,
            e.range().start,
            LoadProblem::InvalidJson(e.kind().to_string()),
        )),
    }
    if out.artifacts.is_empty() && out.problem.is_none() && out.skipped.is_none() {
        out.skipped = Some(nothing_to_read("Graph JSON", Vec::new()));
    }
    // Line by line, and by member for a document on one line.
    let broken = out.problem.as_ref().map(|p| p.location.byte_offset);
    let text = super::text::blank(super::text::redact_secrets(text, broken), &secrets);
    out.text = Some(super::FileText::Decoded(text));
    out
}

/// The byte ranges of the values of members whose names look secret (`preSharedKey`,
/// `sharedSecret`, `password`…), anywhere in `v`, for the text reports may quote.
fn secret_values(v: &Value<'_>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    // Iterative: the nesting limit is checked after this, on the same tree.
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(o) => {
                for p in &o.properties {
                    if super::text::is_secret_name(p.name.as_str()) {
                        let r = p.value.range();
                        out.push(r.start..r.end);
                    } else {
                        stack.push(&p.value);
                    }
                }
            }
            Value::Array(a) => stack.extend(a.elements.iter()),
            _ => {}
        }
    }
    out
}

fn depth(v: &Value<'_>) -> usize {
    // Iterative, so a crafted document cannot exhaust the stack here.
    let mut max = 0;
    let mut stack = vec![(v, 1usize)];
    while let Some((v, d)) = stack.pop() {
        max = max.max(d);
        if d > MAX_DEPTH {
            break;
        }
        match v {
            Value::Object(o) => stack.extend(o.properties.iter().map(|p| (&p.value, d + 1))),
            Value::Array(a) => stack.extend(a.elements.iter().map(|e| (e, d + 1))),
            _ => {}
        }
    }
    max
}

struct Ctx {
    path: Arc<str>,
    text: Arc<str>,
    /// Where the lines start: every member used asks for its line and column.
    lines: LineIndex,
}

impl Ctx {
    fn loc(&self, r: impl jsonc_parser::common::Ranged) -> Location {
        let range = r.range();
        self.lines.location(
            self.path.clone(),
            &self.text,
            range.start,
            range.end.saturating_sub(range.start),
        )
    }

    fn error(&self, offset: usize, problem: LoadProblem) -> LoadError {
        LoadError {
            problem,
            location: self
                .lines
                .location(self.path.clone(), &self.text, offset, 0),
        }
    }
}

/// Reads Graph values that another loader built from `text` (a DSC configuration, a YAML
/// backup) as if each were a JSON document: every range in them is a byte range of `text`.
/// Returns the types of the objects it did not read.
pub(super) fn read_values(
    path: &Arc<str>,
    text: &Arc<str>,
    values: &[Value<'_>],
    out: &mut Parsed,
) -> Vec<String> {
    let ctx = Ctx {
        path: path.clone(),
        lines: LineIndex::new(text),
        text: text.clone(),
    };
    let mut unread = Vec::new();
    for v in values {
        top_level(v, &ctx, out, &mut unread);
    }
    unread
}

/// A single object, an array of objects, or a Graph page (`value` holding either). The types
/// of the objects not read go to `unread`.
fn top_level(v: &Value<'_>, ctx: &Ctx, out: &mut Parsed, unread: &mut Vec<String>) {
    match v {
        Value::Array(a) => {
            for e in &a.elements {
                if let Value::Object(o) = e {
                    any_object(o, ctx, out, unread);
                }
            }
        }
        Value::Object(o) if odata_type(o).is_none() && sdk_dump(o).is_none() => {
            if let Some(p) = o.get("value") {
                top_level(&p.value, ctx, out, unread);
            }
            // One page of a longer list: the rest is in responses this file does not hold.
            if let Some(link) = o.get("@odata.nextLink") {
                out.next_page.get_or_insert_with(|| ctx.loc(link.range));
            }
        }
        Value::Object(o) => any_object(o, ctx, out, unread),
        _ => {}
    }
}

/// A Graph object, or the same object as the Graph PowerShell SDK dumps it.
fn any_object(o: &Object<'_>, ctx: &Ctx, out: &mut Parsed, unread: &mut Vec<String>) {
    let merged = sdk_dump(o);
    let o = merged.as_ref().unwrap_or(o);
    if !object(o, ctx, out)
        && let Some(kind) = odata_type(o)
    {
        unread.push(kind.to_owned());
    }
}

/// What a document that yielded nothing held: `what` (Graph JSON, Graph YAML…) of the types
/// trustlint does not read, the first few named.
pub(super) fn nothing_to_read(what: &str, mut unread: Vec<String>) -> String {
    const SHOWN: usize = 3;
    unread.sort();
    unread.dedup();
    if unread.is_empty() {
        return format!("{what} without a Microsoft Graph object");
    }
    let more = unread.len().saturating_sub(SHOWN);
    unread.truncate(SHOWN);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    // The type names come from the file.
    let types = unread.join(", ");
    format!(
        "{what} of types trustlint does not read: {}{more}",
        crate::printable::printable(&types)
    )
}

/// An object as `Get-MgDeviceManagementDeviceConfiguration … | ConvertTo-Json` writes it: the
/// base type's properties in PascalCase (`Id`, `DisplayName`) and the derived type's own members,
/// with its `@odata.type`, under `AdditionalProperties`. Returns the Graph object it stands for:
/// the additional properties, plus the base properties camel-cased where the additional ones do
/// not have them. Every member keeps its place in the file.
fn sdk_dump<'a>(o: &Object<'a>) -> Option<Object<'a>> {
    let extra = o.get("AdditionalProperties")?.value.as_object()?;
    odata_type(extra)?;
    let mut merged = Object {
        range: o.range,
        properties: extra.properties.clone(),
    };
    for p in &o.properties {
        let name = p.name.as_str();
        if name == "AdditionalProperties" {
            continue;
        }
        let camel = camel_case(name);
        if merged.get(&camel).is_some() {
            continue;
        }
        let mut prop = p.clone();
        prop.name = ObjectPropName::String(StringLit {
            range: p.range,
            value: camel.into(),
        });
        merged.properties.push(prop);
    }
    Some(merged)
}

/// `DisplayName` → `displayName` (the SDK's PascalCase back to Graph's names).
pub(super) fn camel_case(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

fn odata_type<'a>(o: &'a Object<'_>) -> Option<&'a str> {
    let t = o.get_string("@odata.type")?;
    Some(
        t.value
            .trim_start_matches('#')
            .trim_start_matches("microsoft.graph."),
    )
}

/// Reads one Graph object by its `@odata.type`; false when trustlint does not read its type.
fn object(o: &Object<'_>, ctx: &Ctx, out: &mut Parsed) -> bool {
    let Some(kind) = odata_type(o) else {
        return false;
    };
    let windows = kind.starts_with("windows");
    if windows && kind.ends_with("TrustedRootCertificate") {
        trusted_root(o, ctx, out);
    } else if windows && kind.ends_with("SCEPCertificateProfile") {
        let p = certificate_profile(o, "SCEP", ctx, out);
        out.artifacts
            .push(Artifact::CertificateProfile(Box::new(p)));
    } else if windows && kind.ends_with("PkcsCertificateProfile") {
        let p = certificate_profile(o, "PKCS", ctx, out);
        out.artifacts
            .push(Artifact::CertificateProfile(Box::new(p)));
    } else if kind == "windows10VpnConfiguration" {
        vpn(o, ctx, out);
    } else if kind == "windows10CustomConfiguration" {
        custom_configuration(o, ctx, out);
    } else if kind == "windowsWifiEnterpriseEAPConfiguration" {
        network_eap(o, ConsumerKind::WiFi, "Intune Wi-Fi", ctx, out);
    } else if kind == "windowsWiredNetworkConfiguration" {
        network_eap(o, ConsumerKind::Wired, "Intune wired", ctx, out);
    } else if kind == "cloudCertificationAuthority" {
        out.artifacts
            .push(Artifact::CloudCa(Box::new(cloud_ca(o, ctx))));
    } else {
        return false;
    }
    true
}

fn string(o: &Object<'_>, name: &str) -> Option<String> {
    o.get_string(name)
        .map(|s| s.value.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn spanned_string(o: &Object<'_>, name: &str, ctx: &Ctx) -> Option<Spanned<String>> {
    let s = o.get_string(name)?;
    Some(Spanned {
        value: s.value.trim().to_owned(),
        location: ctx.loc(s.range),
    })
}

/// A Graph flags enum member: `"a,b"` as Graph writes it, or `["a", "b"]` as Microsoft365DSC
/// does; each flag trimmed and lower-cased.
fn flags(o: &Object<'_>, name: &str, ctx: &Ctx) -> Option<Spanned<Vec<String>>> {
    let p = o.get(name)?;
    let value: Vec<String> = if let Some(s) = p.value.as_string_lit() {
        s.value
            .split(',')
            .map(|f| f.trim().to_ascii_lowercase())
            .filter(|f| !f.is_empty())
            .collect()
    } else {
        p.value
            .as_array()?
            .elements
            .iter()
            .filter_map(|e| e.as_string_lit())
            .map(|s| s.value.trim().to_ascii_lowercase())
            .collect()
    };
    Some(Spanned {
        value,
        location: ctx.loc(p.range),
    })
}

fn number<'o, 'a>(o: &'o Object<'a>, name: &str) -> Option<(i64, &'o ObjectProp<'a>)> {
    let p = o.get(name)?;
    let n = p.value.as_number_lit()?;
    Some((n.value.parse().ok()?, p))
}

/// Base64 of a Graph binary property, whitespace ignored.
fn base64_member(
    o: &Object<'_>,
    name: &str,
    ctx: &Ctx,
    out: &mut Parsed,
) -> Option<(Vec<u8>, Location)> {
    let s = o.get_string(name)?;
    let location = ctx.loc(s.range);
    let compact: String = s.value.chars().filter(|c| !c.is_whitespace()).collect();
    match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
        Ok(bytes) => Some((bytes, location)),
        Err(e) => {
            out.note(LoadError {
                problem: LoadProblem::InvalidBase64 {
                    member: name.to_string(),
                    error: e.to_string(),
                },
                location,
            });
            None
        }
    }
}

/// Reads a trusted-certificate profile; its certificate becomes an artifact of its own, located
/// at the `trustedRootCertificate` member.
fn trusted_root(o: &Object<'_>, ctx: &Ctx, out: &mut Parsed) -> TrustedRootProfileData {
    let mut certificate_sha256 = None;
    let mut certificate_sha1 = None;
    let mut certificate_location = None;
    if let Some((bytes, location)) = base64_member(o, "trustedRootCertificate", ctx, out) {
        certificate_location = Some(location.clone());
        match certificate_der(&bytes).and_then(|der| x509::parse(&der, location.clone())) {
            Ok((cert, _)) => {
                certificate_sha256 = Some(cert.sha256.clone());
                certificate_sha1 = Some(cert.sha1.clone());
                out.artifacts.push(Artifact::Certificate(Box::new(cert)));
            }
            Err(e) => out.note(LoadError {
                problem: LoadProblem::NotACertificate(e.to_string()),
                location,
            }),
        }
    }
    let profile = TrustedRootProfileData {
        location: ctx.loc(o.range),
        id: string(o, "id"),
        name: string(o, "displayName"),
        destination_store: spanned_string(o, "destinationStore", ctx),
        file_name: string(o, "certFileName"),
        certificate_sha256,
        certificate_sha1,
        certificate_location,
        root_of: o
            .get_string("@odata.context")
            .and_then(|c| navigation_parent(&c.value, "rootCertificate")),
    };
    out.artifacts
        .push(Artifact::TrustedRootProfile(Box::new(profile.clone())));
    profile
}

/// The DER of an uploaded certificate file: DER as is, or the body of a PEM `.cer`.
fn certificate_der(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.starts_with(b"-----BEGIN") {
        return pem::parse(bytes)
            .map(|p| p.into_contents())
            .map_err(|e| format!("PEM: {e}"));
    }
    Ok(bytes.to_vec())
}

fn certificate_profile(
    o: &Object<'_>,
    kind: &'static str,
    ctx: &Ctx,
    out: &mut Parsed,
) -> CertificateProfileData {
    let eku_prop = o.get("extendedKeyUsages");
    let ekus = eku_oids(o).unwrap_or_default();
    let key_size = o.get_string("keySize").and_then(|s| {
        Some(Spanned {
            value: s.value.trim().strip_prefix("size")?.parse().ok()?,
            location: ctx.loc(s.range),
        })
    });
    let validity_days = number(o, "certificateValidityPeriodValue").and_then(|(n, p)| {
        let per = match string(o, "certificateValidityPeriodScale")?.as_str() {
            "days" => 1,
            "months" => 31,
            "years" => 366,
            _ => return None,
        };
        Some(Spanned {
            value: n.saturating_mul(per),
            location: ctx.loc(p.range),
        })
    });
    let custom_sans: Vec<(Option<String>, Option<String>)> = o
        .get("customSubjectAlternativeNames")
        .and_then(|p| p.value.as_array())
        .map(|a| {
            a.elements
                .iter()
                .filter_map(|e| e.as_object())
                .map(|e| (string(e, "sanType"), string(e, "name")))
                .collect()
        })
        .unwrap_or_default();
    let san_uris = custom_sans
        .iter()
        .filter(|(t, _)| t.as_deref() == Some("universalResourceIdentifier"))
        .filter_map(|(_, n)| n.clone())
        .collect();
    let san_type = string(o, "subjectAlternativeNameType");
    let mut san_types: Vec<String> = Vec::new();
    for t in san_type
        .iter()
        .flat_map(|t| t.split(','))
        .map(str::trim)
        .chain(custom_sans.iter().filter_map(|(t, _)| t.as_deref()))
    {
        if !t.is_empty() && !t.eq_ignore_ascii_case("none") && !san_types.iter().any(|s| s == t) {
            san_types.push(t.to_owned());
        }
    }
    let name_templates = [
        string(o, "subjectNameFormatString"),
        string(o, "subjectAlternativeNameFormatString"),
    ]
    .into_iter()
    .flatten()
    .chain(custom_sans.into_iter().filter_map(|(_, n)| n))
    .collect();
    let scep_server_urls = o
        .get("scepServerUrls")
        .and_then(|p| p.value.as_array())
        .map(|a| {
            a.elements
                .iter()
                .filter_map(|e| e.as_string_lit())
                .map(|s| s.value.trim().to_owned())
                .collect()
        })
        .unwrap_or_default();
    CertificateProfileData {
        location: ctx.loc(o.range),
        kind,
        id: string(o, "id"),
        name: string(o, "displayName"),
        ekus,
        ekus_written: eku_prop.is_some_and(|p| p.value.as_array().is_some()),
        ekus_location: eku_prop.map_or_else(|| ctx.loc(o.range), |p| ctx.loc(p.range)),
        key_size,
        hash_algorithm: spanned_string(o, "hashAlgorithm", ctx),
        key_usage: flags(o, "keyUsage", ctx),
        certificate_store: string(o, "certificateStore"),
        san_uris,
        san_type,
        san_types,
        subject_name_format: string(o, "subjectNameFormat"),
        name_templates,
        validity_days,
        scep_server_urls,
        root: root_ref(o, ctx, out),
        certification_authority: string(o, "certificationAuthority"),
    }
}

/// The SCEP profile's root: `rootCertificate` expanded (`$expand=rootCertificate`), as a bare
/// id, `rootCertificate@odata.bind` (a URL ending in the id), or `rootCertificateId`.
fn root_ref(o: &Object<'_>, ctx: &Ctx, out: &mut Parsed) -> Option<RootRef> {
    if let Some(p) = o.get("rootCertificate") {
        match &p.value {
            // A full expansion carries the certificate and is a trusted-root profile of its
            // own; `$expand=rootCertificate($select=id,displayName)` carries only the id, a
            // reference like any other (it must not shadow the full export of that id).
            Value::Object(inner) if inner.get("trustedRootCertificate").is_some() => {
                let profile = trusted_root(inner, ctx, out);
                return Some(RootRef {
                    id: profile.id,
                    certificate_sha256: profile.certificate_sha256,
                    location: ctx.loc(p.range),
                });
            }
            Value::Object(inner) => {
                return Some(RootRef {
                    id: string(inner, "id"),
                    certificate_sha256: None,
                    location: ctx.loc(p.range),
                });
            }
            Value::StringLit(s) => {
                return Some(RootRef {
                    id: Some(last_segment(&s.value)),
                    certificate_sha256: None,
                    location: ctx.loc(p.range),
                });
            }
            _ => {}
        }
    }
    for name in ["rootCertificate@odata.bind", "rootCertificateId"] {
        if let Some(s) = o.get_string(name) {
            return Some(RootRef {
                id: Some(last_segment(&s.value)),
                certificate_sha256: None,
                location: ctx.loc(s.range),
            });
        }
    }
    None
}

/// The id of the device configuration whose navigation property `property` an `@odata.context`
/// describes: `…$metadata#deviceManagement/deviceConfigurations('ID')/microsoft.graph.windows81SCEPCertificateProfile/rootCertificate/$entity`
/// → `ID`.
fn navigation_parent(context: &str, property: &str) -> Option<String> {
    let (_, rest) = context.split_once("deviceConfigurations")?;
    let (id, path) = if let Some(quoted) = rest.strip_prefix("('") {
        quoted.split_once("')")?
    } else {
        rest.strip_prefix('/')?.split_once('/')?
    };
    let id = id.trim();
    let names_property = path
        .split('/')
        .any(|segment| segment.eq_ignore_ascii_case(property));
    (names_property && !id.is_empty()).then(|| id.to_owned())
}

/// `https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('ID')` or
/// `…/deviceConfigurations/ID` → `ID`; a bare id stays as it is.
fn last_segment(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let tail = url.rsplit('/').next().unwrap_or(url);
    let tail = tail
        .split_once("('")
        .map_or(tail, |(_, rest)| rest.trim_end_matches("')"));
    tail.to_owned()
}

/// Reads a Windows 10 VPN configuration into the same shape as a ProfileXML.
fn vpn(o: &Object<'_>, ctx: &Ctx, out: &mut Parsed) {
    let location = ctx.loc(o.range);
    let servers = o
        .get("servers")
        .and_then(|p| p.value.as_array())
        .map(|a| {
            a.elements
                .iter()
                .filter_map(|e| e.as_object())
                .filter_map(|e| {
                    let s = e.get_string("address")?;
                    Some(Spanned {
                        value: s.value.trim().to_owned(),
                        location: ctx.loc(s.range),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let device_tunnel = o.get("enableDeviceTunnel").and_then(|p| match &p.value {
        Value::BooleanLit(b) => Some(Spanned {
            value: b.value,
            location: ctx.loc(p.range),
        }),
        _ => None,
    });
    let is_device = device_tunnel.as_ref().is_some_and(|d| d.value);
    let auth = spanned_string(o, "authenticationMethod", ctx);
    let connection_type = string(o, "connectionType");
    // Windows' own VPN client; the other connection types (Cisco AnyConnect, Pulse Secure, F5…)
    // are plug-ins that authenticate their own way.
    let native = connection_type.as_deref().is_none_or(|t| {
        matches!(
            t,
            "ikEv2" | "l2tp" | "pptp" | "automatic" | "sstp" | "microsoftSstp"
        )
    });
    // Intune writes the ProfileXML from these: certificate authentication is EAP-TLS for a
    // user tunnel and machine-certificate IKEv2 for a device tunnel.
    let (user_method, machine_method) = match auth.as_ref().map(|a| a.value.as_str()) {
        _ if !native => (None, None),
        Some("certificate") if is_device => {
            (None, auth.clone().map(|a| with_value(a, "Certificate")))
        }
        Some("certificate" | "customEapXml" | "derivedCredential") => {
            (auth.clone().map(|a| with_value(a, "Eap")), None)
        }
        Some("usernameAndPassword") => (auth.clone().map(|a| with_value(a, "MSChapv2")), None),
        _ => (None, None),
    };
    let eap = base64_member(o, "eapXml", ctx, out)
        .and_then(|(bytes, location)| eap_from_bytes(&bytes, &location, out));
    let profile = VpnProfileData {
        location,
        name: string(o, "displayName").or_else(|| string(o, "connectionName")),
        source: "Intune",
        servers,
        protocol: spanned_string(o, "connectionType", ctx).map(|c| {
            let v = match c.value.as_str() {
                "ikEv2" => "IKEv2",
                "l2tp" => "L2tp",
                "pptp" => "Pptp",
                "automatic" => "Automatic",
                "sstp" | "microsoftSstp" => "SSTP",
                other => other,
            }
            .to_owned();
            with_value(c, &v)
        }),
        device_tunnel,
        user_method,
        machine_method,
        plugin: !native,
        conditional_access: o
            .get("enableConditionalAccess")
            .and_then(|p| match &p.value {
                Value::BooleanLit(b) => Some(Spanned {
                    value: b.value,
                    location: ctx.loc(p.range),
                }),
                _ => None,
            }),
        eap,
    };
    out.artifacts.push(Artifact::VpnProfile(Box::new(profile)));
}

/// Reads the VPNv2 ProfileXML settings of a custom (OMA-URI) configuration: the way Always On
/// VPN profiles are deployed through Intune. `omaSettingString` holds the XML as text;
/// `omaSettingStringXml` and `omaSettingBase64` hold it as base64. The profile is read as if it
/// were a file, every position pointing at the setting's `value`.
fn custom_configuration(o: &Object<'_>, ctx: &Ctx, out: &mut Parsed) {
    let Some(settings) = o.get("omaSettings").and_then(|p| p.value.as_array()) else {
        return;
    };
    for setting in settings.elements.iter().filter_map(Value::as_object) {
        let Some(uri) = string(setting, "omaUri") else {
            continue;
        };
        let target = match (vpnv2_profile_name(&uri), wifi_profile_name(&uri)) {
            (Some(name), _) => OmaTarget::Vpn(name),
            (None, Some(ssid)) => OmaTarget::WiFi(ssid),
            (None, None) => continue,
        };
        let Some(value) = setting.get_string("value") else {
            continue;
        };
        let location = ctx.loc(value.range);
        if matches!(setting.get("isEncrypted").map(|p| &p.value), Some(Value::BooleanLit(b)) if b.value)
        {
            out.note(LoadError {
                problem: LoadProblem::OmaSettingEncrypted { uri },
                location,
            });
            continue;
        }
        let xml = match odata_type(setting) {
            Some("omaSettingStringXml" | "omaSettingBase64") => {
                let Some((bytes, _)) = base64_member(setting, "value", ctx, out) else {
                    continue;
                };
                match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(e) => {
                        out.note(LoadError {
                            problem: LoadProblem::EapXmlNotUtf8(e.utf8_error().valid_up_to()),
                            location,
                        });
                        continue;
                    }
                }
            }
            _ => value.value.to_string(),
        };
        let first = out.artifacts.len();
        if super::profile_xml::load_embedded(&xml, location.clone(), out) == 0 {
            // A Wi-Fi profile without EAP (a pre-shared key) has nothing of ours; a VPNv2
            // ProfileXML without a profile is broken.
            if matches!(target, OmaTarget::Vpn(_)) {
                out.note(LoadError {
                    problem: LoadProblem::NoProfile,
                    location,
                });
            }
            continue;
        }
        for a in out.artifacts.get_mut(first..).into_iter().flatten() {
            match (a, &target) {
                // The connection takes the name of its VPNv2 node; the XML's ProfileName, if
                // any, is only a label.
                (Artifact::VpnProfile(p), OmaTarget::Vpn(name)) => {
                    p.name = Some(name.clone());
                    p.source = "Intune OMA-URI";
                }
                // A WlanXml names its network itself; the node's SSID stands in when it does not.
                (Artifact::EapConfig(e), OmaTarget::WiFi(ssid)) => {
                    let consumer = e.consumer.get_or_insert(EapConsumer {
                        kind: ConsumerKind::WiFi,
                        name: None,
                    });
                    if consumer.name.is_none() {
                        consumer.name = Some(ssid.clone());
                    }
                }
                _ => {}
            }
        }
    }
}

/// Reads an Intune enterprise Wi-Fi (`windowsWifiEnterpriseEAPConfiguration`) or wired 802.1X
/// (`windowsWiredNetworkConfiguration`) profile as the EAP configuration its settings make:
/// `eapType` is the method, `trustedServerCertificateNames` the server names, and
/// `rootCertificatesForServerValidation` the pinned roots. A root comes expanded (its
/// certificate read, and the profile a trusted-root profile of its own), or by reference (an
/// `@odata.bind` URL, an `{id}` object, Microsoft365DSC's `…Ids`), resolved against the
/// bundle's trusted-root profiles when the bundle is joined.
fn network_eap(
    o: &Object<'_>,
    kind: ConsumerKind,
    source: &'static str,
    ctx: &Ctx,
    out: &mut Parsed,
) {
    let location = ctx.loc(o.range);
    let method_written = spanned_string(o, "eapType", ctx);
    // IANA EAP method numbers.
    let method = method_written
        .as_ref()
        .and_then(|m| match m.value.as_str() {
            "eapTls" => Some(13),
            "leap" => Some(17),
            "eapSim" => Some(18),
            "eapTtls" => Some(21),
            "peap" => Some(25),
            "eapFast" => Some(43),
            "teap" => Some(55),
            _ => None,
        });
    let server_names = o
        .get("trustedServerCertificateNames")
        .and_then(|p| p.value.as_array())
        .map(|a| {
            a.elements
                .iter()
                .filter_map(Value::as_string_lit)
                .filter(|s| !s.value.trim().is_empty())
                .map(|s| Spanned {
                    value: s.value.trim().to_owned(),
                    location: ctx.loc(s.range),
                })
                .collect()
        })
        .unwrap_or_default();
    let trusted_roots = server_roots(o, ctx, out);
    // MS-CHAPv2 inside the tunnel: PEAP with a user name and password (its inner method is
    // EAP-MSCHAPv2), or TTLS with an MS-CHAP inner protocol.
    let auth = spanned_string(o, "authenticationMethod", ctx);
    let ttls_inner = spanned_string(o, "innerAuthenticationProtocolForEAPTTLS", ctx)
        .or_else(|| spanned_string(o, "innerAuthenticationProtocolForEapTtls", ctx));
    let mschapv2_settings = match (method, &auth, &ttls_inner) {
        (Some(25), Some(a), _) if a.value == "usernameAndPassword" => Some(a.location.clone()),
        (Some(21), _, Some(i))
            if matches!(
                i.value.as_str(),
                "microsoftChapVersionTwo" | "microsoftChap"
            ) =>
        {
            Some(i.location.clone())
        }
        _ => None,
    };
    let identity_certificate_profile = o
        .get("identityCertificateForClientAuthentication")
        .and_then(|p| match &p.value {
            Value::Object(inner) => inner.get_string("id").map(|s| Spanned {
                value: s.value.trim().to_owned(),
                location: ctx.loc(p.range),
            }),
            _ => None,
        })
        .or_else(|| {
            [
                "identityCertificateForClientAuthentication@odata.bind",
                "identityCertificateForClientAuthenticationId",
            ]
            .iter()
            .find_map(|name| o.get_string(name))
            .map(|s| Spanned {
                value: last_segment(&s.value),
                location: ctx.loc(s.range),
            })
        });
    let layer = eap::EapLayer {
        method,
        location: method_written
            .as_ref()
            .map_or_else(|| location.clone(), |m| m.location.clone()),
        server_validation: None,
        perform_server_validation: None,
        accept_server_name: None,
        disable_user_prompt: None,
        server_names,
        trusted_roots,
        filtering: None,
        // Intune builds the client certificate selection from the identity certificate
        // profile; the settings do not say which store or filter.
        certificate_store: false,
    };
    let data = EapConfigData {
        location,
        method,
        layers: vec![layer],
        consumer: Some(EapConsumer {
            kind,
            name: string(o, "displayName")
                .or_else(|| string(o, "networkName"))
                .or_else(|| string(o, "ssid")),
        }),
        from_settings: Some(source),
        mschapv2_settings,
        identity_certificate_profile,
        https_namespaces: Vec::new(),
    };
    out.artifacts.push(Artifact::EapConfig(Box::new(data)));
}

/// The roots a Wi-Fi or wired profile pins for server validation, in every shape an export
/// writes them.
fn server_roots(o: &Object<'_>, ctx: &Ctx, out: &mut Parsed) -> Vec<eap::Thumbprint> {
    let mut roots = Vec::new();
    let reference = |id: String, location: Location| eap::Thumbprint {
        raw: format!("trusted-root profile {id}"),
        hex: None,
        location,
        profile_reference: Some(id),
    };
    if let Some(list) = o
        .get("rootCertificatesForServerValidation")
        .and_then(|p| p.value.as_array())
    {
        for e in &list.elements {
            match e {
                Value::Object(inner) if inner.get("trustedRootCertificate").is_some() => {
                    let profile = trusted_root(inner, ctx, out);
                    let hex = profile.certificate_sha1.clone();
                    roots.push(eap::Thumbprint {
                        raw: profile.id.clone().map_or_else(
                            || "(expanded)".to_owned(),
                            |id| format!("trusted-root profile {id}"),
                        ),
                        hex,
                        location: ctx.loc(inner.range),
                        profile_reference: profile.id,
                    });
                }
                Value::Object(inner) => {
                    if let Some(id) = string(inner, "id") {
                        roots.push(reference(id, ctx.loc(inner.range)));
                    }
                }
                Value::StringLit(s) => {
                    roots.push(reference(last_segment(&s.value), ctx.loc(s.range)))
                }
                _ => {}
            }
        }
    }
    for name in [
        "rootCertificatesForServerValidation@odata.bind",
        "rootCertificatesForServerValidationIds",
    ] {
        if let Some(list) = o.get(name).and_then(|p| p.value.as_array()) {
            for s in list.elements.iter().filter_map(Value::as_string_lit) {
                roots.push(reference(last_segment(&s.value), ctx.loc(s.range)));
            }
        }
    }
    roots
}

/// What an OMA-URI setting configures: a VPNv2 profile or a Wi-Fi profile, by its name.
enum OmaTarget {
    Vpn(String),
    WiFi(String),
}

/// The SSID of a `./Vendor/MSFT/WiFi/Profile/<ssid>/WlanXml` OMA-URI (also under `./Device/` and
/// `./User/`), URL-decoded.
fn wifi_profile_name(uri: &str) -> Option<String> {
    oma_node_name(uri, "wifi/profile/", "/wlanxml")
}

/// The profile name of a `./User|Device/Vendor/MSFT/VPNv2/<name>/ProfileXML` OMA-URI,
/// URL-decoded (the CSP requires names with spaces to be escaped).
fn vpnv2_profile_name(uri: &str) -> Option<String> {
    oma_node_name(uri, "vpnv2/", "/profilexml")
}

/// The node name between `./[User/|Device/]Vendor/MSFT/<csp>` and `<leaf>` in an OMA-URI
/// (both given in lower case; the URI is matched without regard to case), URL-decoded.
fn oma_node_name(uri: &str, csp: &str, leaf: &str) -> Option<String> {
    let lower = uri.to_ascii_lowercase();
    let rest = [
        "./user/vendor/msft/",
        "./device/vendor/msft/",
        "./vendor/msft/",
    ]
    .iter()
    .find_map(|scope| lower.strip_prefix(scope)?.strip_prefix(csp))?;
    let name_len = rest.strip_suffix(leaf)?.len();
    let start = uri.len().saturating_sub(rest.len());
    let raw = uri.get(start..start.saturating_add(name_len))?;
    Some(
        percent_encoding::percent_decode_str(raw)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

fn with_value(s: Spanned<String>, v: &str) -> Spanned<String> {
    Spanned {
        value: v.to_owned(),
        location: s.location,
    }
}

/// The EAP configuration of a base64 `eapXml` (UTF-8 bytes); everything in it points at the
/// member, since decoded text has no lines of its own in the file.
fn eap_from_bytes(bytes: &[u8], location: &Location, out: &mut Parsed) -> Option<EapConfigData> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            out.note(LoadError {
                problem: LoadProblem::EapXmlNotUtf8(e.valid_up_to()),
                location: location.clone(),
            });
            return None;
        }
    };
    let spans = Spans::fixed(location.clone());
    let found = super::xml::with_document(text, &spans, "eapXml is not XML", out, |root, _| {
        (root.tag_name().name() == "EapHostConfig").then(|| eap::parse(root, &spans))
    })?;
    if found.is_none() {
        out.note(LoadError {
            problem: LoadProblem::NoEapHostConfig,
            location: location.clone(),
        });
    }
    found
}

fn cloud_ca(o: &Object<'_>, ctx: &Ctx) -> CloudCaData {
    CloudCaData {
        location: ctx.loc(o.range),
        id: string(o, "id"),
        name: string(o, "displayName"),
        ca_type: string(o, "cloudCertificationAuthorityType"),
        crl_url: string(o, "certificateRevocationListUrl"),
        thumbprint: string(o, "thumbprint").and_then(|t| normalise_thumbprint(&t)),
        scep_server_url: string(o, "scepServerUrl"),
        extended_key_usages: eku_oids(o),
    }
}

/// `extendedKeyUsages[].objectIdentifier` of a certificate profile or a Cloud PKI CA; `None`
/// when the object writes no such list.
fn eku_oids(o: &Object<'_>) -> Option<Vec<String>> {
    o.get("extendedKeyUsages")
        .and_then(|p| p.value.as_array())
        .map(|a| {
            a.elements
                .iter()
                .filter_map(|e| e.as_object())
                .filter_map(|e| string(e, "objectIdentifier"))
                .collect()
        })
}

/// Whether `head` (the start of a file, trimmed) is Microsoft Graph JSON: an object or list
/// that names `#microsoft.graph.` types in `@odata.type`.
pub(crate) fn sniff(head: &str) -> bool {
    (head.starts_with('{') || head.starts_with('['))
        && head.contains("@odata.type")
        && head.contains("#microsoft.graph.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vpnv2_oma_uris_name_their_profile() {
        for (uri, name) in [
            (
                "./User/Vendor/MSFT/VPNv2/Contoso%20AlwaysOn/ProfileXML",
                Some("Contoso AlwaysOn"),
            ),
            (
                "./Device/Vendor/MSFT/VPNv2/DeviceTunnel/ProfileXML",
                Some("DeviceTunnel"),
            ),
            ("./user/vendor/msft/vpnv2/AOVPN/profilexml", Some("AOVPN")),
            ("./Vendor/MSFT/WiFi/Profile/Corp/WlanXml", None),
            ("./User/Vendor/MSFT/VPNv2/AOVPN/EdpModeId", None),
        ] {
            assert_eq!(vpnv2_profile_name(uri).as_deref(), name, "{uri}");
        }
        for (uri, ssid) in [
            ("./Vendor/MSFT/WiFi/Profile/Corp/WlanXml", Some("Corp")),
            (
                "./Device/Vendor/MSFT/WiFi/Profile/Contoso%20Corp/WlanXml",
                Some("Contoso Corp"),
            ),
            ("./Vendor/MSFT/WiFi/Profile/Corp/Proxy", None),
        ] {
            assert_eq!(wifi_profile_name(uri).as_deref(), ssid, "{uri}");
        }
    }

    #[test]
    fn a_navigation_get_names_the_profile_it_belongs_to() {
        let context = "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations('2b7e4c1a-9d3f')/microsoft.graph.windows81SCEPCertificateProfile/rootCertificate/$entity";
        assert_eq!(
            navigation_parent(context, "rootCertificate").as_deref(),
            Some("2b7e4c1a-9d3f")
        );
        let plain = "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations/$entity";
        assert_eq!(navigation_parent(plain, "rootCertificate"), None);
        let list = "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations('x')/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation";
        assert_eq!(navigation_parent(list, "rootCertificate"), None);
    }

    #[test]
    fn root_references_resolve_to_the_id() {
        for r in [
            "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('3fb588f9-88f9')",
            "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations/3fb588f9-88f9",
            "3fb588f9-88f9",
        ] {
            assert_eq!(last_segment(r), "3fb588f9-88f9", "{r}");
        }
    }
}
