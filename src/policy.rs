//! What a repository decided about findings, applied after the rules ran: severities from
//! `trustlint.yaml`, its per-path ignores, `trustlint: ignore[rule] reason` comments in the
//! files, and the baseline. Suppressed findings move to `Report::suppressed`; none is dropped.

use std::collections::{BTreeMap, HashMap};

use crate::baseline::Baseline;
use crate::config::Config;
use crate::report::{Report, Severity, Suppressed, SuppressionKind};

/// The marker of an inline ignore, inside a comment (`;` in a `.reg` file, `<!-- -->` in XML).
const MARKER: &str = "trustlint: ignore[";

/// Applies the configuration's severities and ignores and the files' inline ignores.
/// `defaults` gives a rule's default severity by id: a config severity replaces that default,
/// not a severity a rule's own override chose (a mitigated case stays a note).
pub(crate) fn apply_config(
    report: &mut Report,
    config: &Config,
    defaults: &dyn Fn(&str) -> Option<Severity>,
    fs_path: &dyn Fn(&str) -> std::path::PathBuf,
) {
    for f in &mut report.findings {
        if let Some(s) = config
            .severity(&f.rule_id, &f.rule_name)
            .and_then(Severity::from_name)
            && defaults(&f.rule_id) == Some(f.severity)
        {
            f.severity = s;
        }
    }
    let findings = std::mem::take(&mut report.findings);
    // Each file's inline markers are found once, the first time a finding points into it:
    // rescanning the file for every finding made many findings in one file quadratic.
    let mut markers: HashMap<&str, BTreeMap<usize, &str>> = HashMap::new();
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    for f in findings {
        let path = fs_path(&f.location.path);
        if let Some(reason) = config.ignored(&f.rule_id, &f.rule_name, &path) {
            suppressed.push(Suppressed {
                finding: f,
                kind: SuppressionKind::Config,
                reason,
            });
            continue;
        }
        let sources = &report.sources;
        let inline = f.location.line.and_then(|line| {
            let (path, text) = sources.get_key_value(&f.location.path)?;
            let of_file = markers.entry(&**path).or_insert_with(|| marker_lines(text));
            inline_ignore(of_file, line, &f.rule_name, &f.rule_id)
        });
        match inline {
            Some(reason) => suppressed.push(Suppressed {
                finding: f,
                kind: SuppressionKind::Inline,
                reason,
            }),
            None => kept.push(f),
        }
    }
    report.findings = kept;
    report.suppressed.append(&mut suppressed);
}

/// The lines of `text` (1-based) that hold an inline-ignore marker.
fn marker_lines(text: &str) -> BTreeMap<usize, &str> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(MARKER))
        .map(|(i, l)| (i.saturating_add(1), l))
        .collect()
}

/// The reason of a `trustlint: ignore[rule] reason` comment on the finding's line or the line
/// above it.
fn inline_ignore(
    markers: &BTreeMap<usize, &str>,
    line: u32,
    rule_name: &str,
    rule_id: &str,
) -> Option<String> {
    let line = usize::try_from(line).ok()?;
    [Some(line), line.checked_sub(1)]
        .into_iter()
        .flatten()
        .filter_map(|l| markers.get(&l))
        .find_map(|l| parse_marker(l, rule_name, rule_id))
}

/// `; trustlint: ignore[rule-a, TL1002] reason` → the reason, when the rule is listed and the
/// marker sits in a comment.
fn parse_marker(line: &str, rule_name: &str, rule_id: &str) -> Option<String> {
    let at = line.find(MARKER)?;
    let before = line.get(..at)?;
    if !(before.contains(';') || before.contains("<!--")) {
        return None;
    }
    let rest = line.get(at.saturating_add(MARKER.len())..)?;
    let close = rest.find(']')?;
    let listed = rest
        .get(..close)?
        .split(',')
        .map(str::trim)
        .any(|r| r == rule_name || r == rule_id);
    if !listed {
        return None;
    }
    let reason = rest
        .get(close.saturating_add(1)..)?
        .trim()
        .trim_end_matches("-->")
        .trim();
    Some(if reason.is_empty() {
        "ignored inline (no reason given)".to_owned()
    } else {
        reason.to_owned()
    })
}

/// Moves findings recorded in `baseline` to the suppressed list.
pub(crate) fn apply_baseline(report: &mut Report, baseline: &Baseline) {
    let known = baseline.fingerprints();
    let findings = std::mem::take(&mut report.findings);
    for f in findings {
        if known.contains(f.fingerprint.as_str()) {
            report.suppressed.push(Suppressed {
                finding: f,
                kind: SuppressionKind::Baseline,
                reason: "in the baseline".to_owned(),
            });
        } else {
            report.findings.push(f);
        }
    }
    report.baseline_applied = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_in_comments_name_rules_and_give_reasons() {
        let reg = "; trustlint: ignore[nps-revocation-offline-ignored] NPS01 is a lab server";
        assert_eq!(
            parse_marker(reg, "nps-revocation-offline-ignored", "TL1009").as_deref(),
            Some("NPS01 is a lab server")
        );
        let xml =
            "  <!-- trustlint: ignore[TL6001, vpn-issuer-hash-not-found] root deployed by GPO -->";
        assert_eq!(
            parse_marker(xml, "vpn-trusted-root-not-found", "TL6001").as_deref(),
            Some("root deployed by GPO")
        );
        assert_eq!(parse_marker(xml, "crl-expired", "TL1004"), None);
        // Not in a comment: a value that happens to contain the text.
        assert_eq!(
            parse_marker(
                "\"X\"=\"trustlint: ignore[crl-expired]\"",
                "crl-expired",
                "TL1004"
            ),
            None
        );
    }
}
