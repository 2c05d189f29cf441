//! SARIF 2.1.0 (`--format sarif`), the format GitHub code scanning and Azure DevOps read: one
//! run, every rule as a reporting descriptor with its documentation, results with physical
//! locations relative to `%SRCROOT%`, related locations, and partial fingerprints: the finding
//! fingerprint (tracked across runs and file moves) and GitHub's own `primaryLocationLineHash`
//! (computed as GitHub computes it, so code scanning follows an alert; `line_hash.rs`). Binary
//! files' results carry line 1 beside their byte range, and the certificate's summary as the
//! region's snippet. The run's `automationDetails` is `trustlint/`, a given id, or the Azure
//! Pipelines job's (`automation.rs`).
//!
//! Schema: <https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>; checked in CI with
//! Microsoft's SARIF Multitool and its GitHub rules (`.ci/run`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::json;
use serde_sarif::sarif::{
    Artifact, ArtifactLocation, Location as SarifLocation, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
};

use super::{Finding, Report, RuleDoc, Severity, Suppressed, SuppressionKind};
use crate::location::Location;

/// The base every relative `artifactLocation.uri` is resolved against: the repository root
/// (`crate::repository`); `run.originalUriBaseIds` describes it.
pub const SRCROOT: &str = "%SRCROOT%";

/// The key of the trustlint fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "trustlintFingerprint/v1";

/// The key GitHub code scanning follows alerts by (see [`super::line_hash`]).
const LINE_HASH_KEY: &str = "primaryLocationLineHash/v1";

/// Characters a path segment keeps as they are; everything else is percent-encoded (RFC 3986
/// unreserved plus `/`).
const PATH_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'!')
    .add(b'$')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*')
    .add(b'+')
    .add(b',')
    .add(b';')
    .add(b'=')
    .add(b':')
    .add(b'@');

/// Most results a run holds before findings are summed up: GitHub code scanning shows 5,000
/// results of a run and refuses an upload of more than 25,000.
pub const MAX_RESULTS: usize = 5_000;

/// The findings as results: each its own while they fit in `cap`; above it, the findings of
/// one rule in one group ([`Finding::group`]: the certificates of one issuer, or one file) and
/// of one suppression state become one result, which names the first and lists the others as
/// related places with the count; still above, one result per rule and state. Never dropped.
pub(super) fn summed_up<'r>(
    items: Vec<(&'r Finding, Option<&'r Suppressed>)>,
    cap: usize,
) -> Vec<(Cow<'r, Finding>, Option<&'r Suppressed>)> {
    if items.len() <= cap {
        return items
            .into_iter()
            .map(|(f, s)| (Cow::Borrowed(f), s))
            .collect();
    }
    let by_group = sum_by(&items, |f| Some(&*f.group));
    if by_group.len() <= cap {
        return by_group;
    }
    sum_by(&items, |_| None)
}

/// One result per rule, suppression state and `key` (kept in the order of first appearance).
fn sum_by<'r>(
    items: &[(&'r Finding, Option<&'r Suppressed>)],
    key: impl Fn(&Finding) -> Option<&str>,
) -> Vec<(Cow<'r, Finding>, Option<&'r Suppressed>)> {
    type Key<'k> = (&'k str, Option<&'k str>, Option<SuppressionKind>);
    let mut order: Vec<Key<'_>> = Vec::new();
    let mut groups: BTreeMap<Key<'_>, Vec<(&Finding, Option<&Suppressed>)>> = BTreeMap::new();
    for &(f, s) in items {
        let k = (&*f.rule_id, key(f), s.map(|s| s.kind));
        let members = groups.entry(k).or_insert_with(|| {
            order.push(k);
            Vec::new()
        });
        members.push((f, s));
    }
    order
        .into_iter()
        .filter_map(|k| {
            let members = groups.remove(&k)?;
            let &(first, suppressed) = members.first()?;
            if members.len() == 1 {
                return Some((Cow::Borrowed(first), suppressed));
            }
            let mut f = first.clone();
            let what =
                k.1.map_or_else(|| "all of this rule".to_owned(), str::to_owned);
            f.message = format!(
                "{} (and {} more findings of this rule: {what}; --format json lists each)",
                first.message,
                members.len() - 1
            );
            f.severity = members
                .iter()
                .map(|(m, _)| m.severity)
                .max()
                .unwrap_or(first.severity);
            f.related = members
                .iter()
                .skip(1)
                .take(crate::engine::MAX_RELATED)
                .map(|(m, _)| super::Related {
                    location: m.location.clone(),
                    message: m.message.clone(),
                })
                .collect();
            f.related_omitted = members
                .len()
                .saturating_sub(1)
                .saturating_sub(f.related.len());
            // Stable while the group is: the rule, the group and the state.
            f.fingerprint = super::fingerprint(&first.rule_id, &format!("summed up {what}"));
            Some((Cow::Owned(f), suppressed))
        })
        .collect()
}

/// Writes the report as SARIF 2.1.0. `rules` are every rule that ran, in catalogue order.
pub fn render(report: &Report, rules: &[RuleDoc], out: &mut impl Write) -> io::Result<()> {
    let sarif = build(report, rules);
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    out.write_all(b"\n")
}

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Note => ResultLevel::Note,
    }
}

fn text(s: impl Into<String>) -> Message {
    Message::builder().text(s.into()).build()
}

fn build(report: &Report, rules: &[RuleDoc]) -> Sarif {
    let index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (&*r.id, i)).collect();
    let descriptors: Vec<ReportingDescriptor> = rules.iter().map(descriptor).collect();
    let driver = ToolComponent::builder()
        .name("trustlint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .full_name(format!("trustlint {}", env!("CARGO_PKG_VERSION")))
        .rules(descriptors)
        .build();
    // Baselined results are kept and marked, not dropped: code scanning would close the alerts
    // and reopen them later. Every result says whether it is new when a baseline was applied.
    let mut hashes = LineHashes {
        root: report.root.as_deref(),
        by_path: BTreeMap::new(),
    };
    // Every finding, then every suppressed one with its suppression; summed up above the cap.
    let items: Vec<(&Finding, Option<&Suppressed>)> = report
        .findings
        .iter()
        .map(|f| (f, None))
        .chain(report.suppressed.iter().map(|s| (&s.finding, Some(s))))
        .collect();
    let total = items.len();
    let summed = summed_up(items, MAX_RESULTS);
    let mut results: Vec<SarifResult> = Vec::with_capacity(summed.len());
    for (f, suppressed) in &summed {
        let mut r = result(
            f,
            index.get(&*f.rule_id).copied(),
            &mut hashes,
            &report.sources,
        );
        match suppressed {
            None => {
                if report.baseline_applied {
                    r.baseline_state = Some(json!("new"));
                }
            }
            Some(s) => {
                let kind = match s.kind {
                    SuppressionKind::Inline => "inSource",
                    SuppressionKind::Baseline | SuppressionKind::Config => "external",
                };
                r.suppressions = Some(vec![
                    Suppression::builder()
                        .kind(json!(kind))
                        .status(json!("accepted"))
                        .justification(s.reason.clone())
                        .build(),
                ]);
                if report.baseline_applied {
                    let state = if s.kind == SuppressionKind::Baseline {
                        "unchanged"
                    } else {
                        "new"
                    };
                    r.baseline_state = Some(json!(state));
                }
            }
        }
        results.push(r);
    }
    // What `%SRCROOT%` stands for, described rather than given as a `file:` URI: the
    // directory's absolute path would make the same scan's bytes differ from one checkout to
    // another (the consumer knows its checkout; GitHub resolves against it).
    let mut srcroot: BTreeMap<String, ArtifactLocation> = BTreeMap::new();
    srcroot.insert(
        SRCROOT.to_owned(),
        ArtifactLocation::builder()
            .description(text(
                "The repository root (the git top level, else the directory of trustlint.yaml; outside both, the directory trustlint ran in): every relative path is relative to it.",
            ))
            .build(),
    );
    let mut run_properties = BTreeMap::new();
    if summed.len() < total {
        // Never a silently shorter run: how many findings the results stand for.
        run_properties.insert(
            "trustlintSummedUp".to_owned(),
            json!({"findings": total, "results": summed.len(), "cap": MAX_RESULTS}),
        );
    }
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .original_uri_base_ids(srcroot)
        .automation_details(automation_details(&report.automation))
        .column_kind(json!("unicodeCodePoints"))
        .artifacts(artifacts(report))
        .results(results)
        .build();
    if !run_properties.is_empty() {
        run.properties = Some(
            PropertyBag::builder()
                .additional_properties(run_properties)
                .build(),
        );
    }
    Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// `run.automationDetails`, which GitHub Advanced Security for Azure DevOps requires (GHAzDO1014,
/// and in a pipeline GHAzDO1019/1020) and GitHub reads as the analysis's category.
fn automation_details(
    a: &super::automation::Automation,
) -> serde_sarif::sarif::RunAutomationDetails {
    let details = serde_sarif::sarif::RunAutomationDetails::builder().id(a.id.clone());
    if a.properties.is_empty() {
        return details.build();
    }
    let properties: BTreeMap<String, serde_json::Value> = a
        .properties
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    details
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build()
}

/// Every file the scan saw, as a SARIF artifact: its location and length, and in its properties
/// the kind it was read as (`trustlintKind`) or why it was skipped (`trustlintSkipped`).
fn artifacts(report: &Report) -> Vec<Artifact> {
    report
        .inventory
        .iter()
        .map(|e| {
            let mut properties = BTreeMap::new();
            match (e.kind, &e.skipped) {
                (Some(kind), _) => {
                    properties.insert("trustlintKind".to_owned(), json!(kind));
                }
                (None, Some(why)) => {
                    properties.insert("trustlintSkipped".to_owned(), json!(why));
                }
                (None, None) => {}
            }
            Artifact::builder()
                .location(artifact_location(&e.path))
                .length(i64::try_from(e.size).unwrap_or(i64::MAX))
                .properties(
                    PropertyBag::builder()
                        .additional_properties(properties)
                        .build(),
                )
                .build()
        })
        .collect()
}

fn descriptor(r: &RuleDoc) -> ReportingDescriptor {
    let mut tags = r.tags.clone();
    tags.push(r.severity.name().to_owned());
    let mut d = ReportingDescriptor::builder()
        .id(r.id.to_string())
        .name(r.name.to_string())
        .short_description(
            MultiformatMessageString::builder()
                .text(r.title.to_string())
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(r.why.trim().to_owned())
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(r.help_text.clone())
                .markdown(r.help_markdown.clone())
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level(r.severity)))
                .build(),
        )
        .properties(rule_properties(r, tags))
        .build();
    d.help_uri.clone_from(&r.help_uri);
    d
}

/// A rule's `properties`: its tags, GitHub's `precision`, and for security rules GitHub's
/// `security-severity` (a string, as GitHub reads it), which gives code-scanning alerts their
/// Critical/High/Medium/Low badge.
fn rule_properties(r: &RuleDoc, tags: Vec<String>) -> PropertyBag {
    let mut extra = BTreeMap::new();
    extra.insert("precision".to_owned(), json!(r.precision));
    if let Some(s) = r.security_severity {
        extra.insert("security-severity".to_owned(), json!(format!("{s:.1}")));
    }
    PropertyBag::builder()
        .tags(tags)
        .additional_properties(extra)
        .build()
}

/// The line hashes of the files results point at, each file read once, on demand. A file that
/// cannot be read (moved since the scan) gets none: GitHub then computes its own if it can.
struct LineHashes<'a> {
    /// Where relative paths are (the report's root, else the working directory).
    root: Option<&'a std::path::Path>,
    by_path: BTreeMap<String, Option<Vec<String>>>,
}

impl LineHashes<'_> {
    /// The hash of line `line` (1-based) of the file at `path`.
    fn get(&mut self, path: &str, line: u32) -> Option<String> {
        let root = self.root;
        let hashes = self.by_path.entry(path.to_owned()).or_insert_with(|| {
            let file = match root {
                Some(r) => r.join(path),
                None => std::path::PathBuf::from(path),
            };
            std::fs::read(file)
                .ok()
                .map(|b| super::line_hash::line_hashes(&b))
        });
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        hashes.as_ref()?.get(index).cloned()
    }
}

/// The finding's message with its related places as SARIF embedded links (`[NPS01.reg:5](1)`,
/// the number a related location's id), so code scanning shows the join in the alert itself;
/// brackets of the text are escaped, as SARIF requires of a message with links.
fn linked_message(f: &Finding) -> String {
    let escape = |s: &str| s.replace('[', "\\[").replace(']', "\\]");
    let mut message = escape(&f.message);
    if f.related.is_empty() {
        return message;
    }
    let links: Vec<String> = f
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            // The file's name is enough for a label: the link leads to the whole path.
            let name = r.location.path.rsplit('/').next().unwrap_or_default();
            let place = match r.location.line {
                Some(line) => format!("{name}:{line}"),
                None => name.to_owned(),
            };
            format!("[{}]({i})", escape(&place))
        })
        .collect();
    message.push_str(" (related: ");
    message.push_str(&links.join(", "));
    message.push(')');
    message
}

fn result(
    f: &Finding,
    rule_index: Option<usize>,
    hashes: &mut LineHashes,
    sources: &BTreeMap<Arc<str>, Arc<str>>,
) -> SarifResult {
    let related: Vec<SarifLocation> = f
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            SarifLocation::builder()
                .id(i64::try_from(i).unwrap_or(i64::MAX))
                .physical_location(physical(&r.location, sources))
                .message(text(r.message.clone()))
                .build()
        })
        .collect();
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(FINGERPRINT_KEY.to_owned(), f.fingerprint.clone());
    // A binary file's result is on its line 1, as GitHub hashes a result without a line.
    if let Some(h) = hashes.get(&f.location.path, f.location.line.unwrap_or(1)) {
        fingerprints.insert(LINE_HASH_KEY.to_owned(), h);
    }
    let mut primary = physical(&f.location, sources);
    if f.location.line.is_none()
        && let (Some(region), Some(summary)) = (primary.region.as_mut(), &f.summary)
    {
        // What the certificate's bytes say, for the reader of the alert.
        region.snippet = Some(
            serde_sarif::sarif::ArtifactContent::builder()
                .text(summary.clone())
                .build(),
        );
    }
    let location = SarifLocation::builder().physical_location(primary).build();
    let base = SarifResult::builder()
        .rule_id(f.rule_id.to_string())
        .level(level(f.severity))
        .message(text(linked_message(f)))
        .locations(vec![location])
        .partial_fingerprints(fingerprints);
    let mut r = if related.is_empty() {
        base.build()
    } else {
        base.related_locations(related).build()
    };
    if f.related_omitted > 0 {
        // SARIF has no count of locations left out; a property bag says how many.
        let mut more = BTreeMap::new();
        more.insert(
            "relatedLocationsOmitted".to_owned(),
            json!(f.related_omitted),
        );
        r.properties = Some(PropertyBag::builder().additional_properties(more).build());
    }
    r.rule_index = rule_index.and_then(|i| i64::try_from(i).ok());
    r
}

/// A file: a relative path under `%SRCROOT%`, an absolute one as a `file:` URI (a Unix path,
/// a Windows drive-letter path or a UNC path alike). Backslashes separate segments: a path
/// written on Windows means the same file in the URI.
fn artifact_location(path: &str) -> ArtifactLocation {
    match file_uri(path) {
        Some(uri) => ArtifactLocation::builder().uri(uri).build(),
        None => ArtifactLocation::builder()
            .uri(encode_segments(&path.replace('\\', "/")))
            .uri_base_id(SRCROOT)
            .build(),
    }
}

/// `file:` URI of an absolute path: `/srv/pki/a.cer` → `file:///srv/pki/a.cer`,
/// `C:\PKI\a.cer` → `file:///C:/PKI/a.cer`, `\\server\share\a.cer` →
/// `file://server/share/a.cer`; `None` for a relative path.
pub(crate) fn file_uri(path: &str) -> Option<String> {
    // \\?\C:\… and \\?\UNC\… (verbatim paths) are the paths behind the prefix.
    let slashed = crate::repository::strip_verbatim(path).replace('\\', "/");
    if let Some(unc) = slashed.strip_prefix("//") {
        let (host, rest) = unc.split_once('/').unwrap_or((unc, ""));
        return Some(format!(
            "file://{}/{}",
            encode_segments(host),
            encode_segments(rest)
        ));
    }
    let bytes = slashed.as_bytes();
    if let (Some(drive), Some(b':'), Some(b'/')) = (bytes.first(), bytes.get(1), bytes.get(2))
        && drive.is_ascii_alphabetic()
    {
        let rest = slashed.get(3..).unwrap_or_default();
        return Some(format!(
            "file:///{}:/{}",
            char::from(*drive).to_ascii_uppercase(),
            encode_segments(rest)
        ));
    }
    slashed
        .starts_with('/')
        .then(|| format!("file://{}", encode_segments(&slashed)))
}

/// Percent-encodes a `/`-separated path (each segment, the slashes kept).
fn encode_segments(path: &str) -> String {
    utf8_percent_encode(path, PATH_ESCAPES).to_string()
}

/// A file location: a relative path under `%SRCROOT%` (absolute paths as `file://` URIs), with
/// a line/column region for text files (its end too, from the file's text: code scanning then
/// marks the whole item) and a byte region for binary ones.
fn physical(l: &Location, sources: &BTreeMap<Arc<str>, Arc<str>>) -> PhysicalLocation {
    let artifact = artifact_location(&l.path);
    let region = match (l.line, l.column) {
        (Some(line), column) => {
            let start_column = column.unwrap_or(1);
            let region = Region::builder()
                .start_line(i64::from(line))
                .start_column(i64::from(start_column));
            let end = sources
                .get(&l.path)
                .and_then(|text| text_end(text, l, line, start_column));
            match end {
                Some((end_line, end_column)) => {
                    region.end_line(end_line).end_column(end_column).build()
                }
                None => region.build(),
            }
        }
        _ => {
            // A binary file: its byte range, and line 1 so that every result has a start line
            // (GitHub code scanning requires one).
            let offset = i64::try_from(l.byte_offset).unwrap_or(i64::MAX);
            let region = Region::builder().start_line(1).byte_offset(offset);
            if l.byte_len > 0 {
                region
                    .byte_length(i64::try_from(l.byte_len).unwrap_or(i64::MAX))
                    .build()
            } else {
                region.build()
            }
        }
    };
    PhysicalLocation::builder()
        .artifact_location(artifact)
        .region(region)
        .build()
}

/// Where the item at `l` ends in `text` (which starts it at `line`:`column`): SARIF's `endLine`
/// and `endColumn` (the code point after the item). `None` for an empty item or offsets that
/// do not fall on the text's characters. Costs the item's length, never the file's.
fn text_end(text: &str, l: &Location, line: u32, column: u32) -> Option<(i64, i64)> {
    if l.byte_len == 0 {
        return None;
    }
    let item = text.get(l.byte_offset..l.byte_offset.checked_add(l.byte_len)?)?;
    let count = |s: &str| i64::try_from(s.chars().count()).ok();
    match item.rfind('\n') {
        None => Some((i64::from(line), i64::from(column) + count(item)?)),
        Some(last) => {
            let lines = i64::try_from(item.matches('\n').count()).ok()?;
            let tail = item.get(last + 1..)?;
            Some((i64::from(line) + lines, count(tail)? + 1))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{MAX_RESULTS, artifact_location, file_uri, summed_up};
    use crate::location::Location;
    use crate::report::{Finding, Severity};

    fn finding(n: usize, group: &str, severity: Severity) -> Finding {
        Finding {
            rule_id: Arc::from("TL1002"),
            rule_name: Arc::from("leaf-without-revocation-info"),
            title: Arc::from("t"),
            severity,
            message: format!("certificate {n} has no CDP"),
            location: Location::file(Arc::from(format!("leaves/{n}.cer"))),
            related: Vec::new(),
            related_omitted: 0,
            entity: format!("certificate {n}"),
            fingerprint: format!("{n:032x}"),
            symptom: None,
            fix: Arc::from("f"),
            summary: None,
            group: Arc::from(group),
        }
    }

    /// Up to the cap every finding is a result; above it, one result per rule and group, which
    /// counts the others and lists the first of them, the worst severity kept.
    #[test]
    fn above_the_cap_findings_are_summed_up_by_rule_and_group_never_dropped() {
        let few: Vec<Finding> = (0..MAX_RESULTS)
            .map(|n| finding(n, "certificates issued by CN=A", Severity::Warning))
            .collect();
        let items = few.iter().map(|f| (f, None)).collect();
        assert_eq!(summed_up(items, MAX_RESULTS).len(), MAX_RESULTS);

        let mut many: Vec<Finding> = (0..6_000)
            .map(|n| {
                let group = if n % 3 == 0 {
                    "certificates issued by CN=B"
                } else {
                    "certificates issued by CN=A"
                };
                finding(n, group, Severity::Warning)
            })
            .collect();
        if let Some(f) = many.get_mut(7) {
            f.severity = Severity::Error;
        }
        let items = many.iter().map(|f| (f, None)).collect();
        let summed = summed_up(items, MAX_RESULTS);
        assert_eq!(summed.len(), 2);
        let (b, _) = &summed[0];
        assert_eq!(b.location.path.as_ref(), "leaves/0.cer");
        assert!(
            b.message
                .contains("and 1999 more findings of this rule: certificates issued by CN=B"),
            "{}",
            b.message
        );
        assert_eq!(b.related.len(), crate::engine::MAX_RELATED);
        assert_eq!(b.related_omitted, 1999 - crate::engine::MAX_RELATED);
        let (a, _) = &summed[1];
        assert!(a.message.contains("and 3999 more"), "{}", a.message);
        assert_eq!(a.severity, Severity::Error);
        assert_ne!(a.fingerprint, b.fingerprint);
    }

    #[test]
    fn text_regions_end_after_their_last_code_point() {
        let text = "a\n  <Ünïcode>x</Ünïcode>\n{\n  \"k\": 1\n}\n";
        let at = |needle: &str, len: usize| Location {
            byte_offset: text.find(needle).unwrap_or(usize::MAX),
            byte_len: len,
            ..Location::file(Arc::from("f"))
        };
        // One line, multibyte: columns count code points, the end is exclusive.
        let tag = at("<Ünïcode>", "<Ünïcode>".len());
        assert_eq!(super::text_end(text, &tag, 2, 3), Some((2, 12)));
        // Several lines: the end is on the last one, after its last character.
        let object = at("{", "{\n  \"k\": 1\n}".len());
        assert_eq!(super::text_end(text, &object, 3, 1), Some((5, 2)));
        // Empty, or past the text: no end.
        assert_eq!(super::text_end(text, &at("{", 0), 3, 1), None);
        assert_eq!(super::text_end(text, &at("{", 500), 3, 1), None);
    }

    #[test]
    fn absolute_paths_of_every_system_are_file_uris() {
        let cases = [
            ("/srv/pki/a b.cer", Some("file:///srv/pki/a%20b.cer")),
            (
                "C:\\Users\\admin\\PKI\\alice.cer",
                Some("file:///C:/Users/admin/PKI/alice.cer"),
            ),
            ("c:/PKI/NPS01.reg", Some("file:///C:/PKI/NPS01.reg")),
            (
                "\\\\fs01\\pki$\\root.cer",
                Some("file://fs01/pki%24/root.cer"),
            ),
            ("\\\\?\\C:\\PKI\\root.cer", Some("file:///C:/PKI/root.cer")),
            (
                "\\\\?\\UNC\\fs01\\pki\\root.cer",
                Some("file://fs01/pki/root.cer"),
            ),
            ("certs/alice.cer", None),
            ("certs\\alice.cer", None),
        ];
        for (path, want) in cases {
            assert_eq!(file_uri(path).as_deref(), want, "{path}");
        }
    }

    #[test]
    fn a_relative_windows_path_is_relative_to_srcroot_with_slashes() {
        let l = artifact_location("certs\\users\\alice smith.cer");
        assert_eq!(l.uri.as_deref(), Some("certs/users/alice%20smith.cer"));
        assert_eq!(l.uri_base_id.as_deref(), Some("%SRCROOT%"));
        // Not `C%3A/…` marked relative: a drive letter is an absolute file URI.
        let l = artifact_location("C:\\PKI\\a.cer");
        assert_eq!(l.uri.as_deref(), Some("file:///C:/PKI/a.cer"));
        assert!(l.uri_base_id.is_none());
    }
}
