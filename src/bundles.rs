//! Several deployments in one repository (`bundles:` in trustlint.yaml): the scanned files split
//! into bundles, each joined on its own, their reports merged into one. A lab NPS snapshot that
//! sets IgnoreNoRevocationCheck=1 then never mitigates the prod CA's finding: the two never meet
//! in one fact model. A file may belong to several bundles (roots both deployments trust); it is
//! read once per bundle, and a finding the bundles share is reported once.

use std::collections::{BTreeMap, HashSet};

use crate::config::Config;
use crate::discover::Discovery;
use crate::report::Report;

/// The discovery split by the configuration's bundles, in name order, then the files of no
/// bundle (and the walk's problems) as one more; the whole discovery when none is configured.
pub(crate) fn partition(discovery: Discovery, config: &Config) -> Vec<Discovery> {
    if !config.has_bundles() {
        return vec![discovery];
    }
    let mut named: BTreeMap<&str, Discovery> = BTreeMap::new();
    let mut rest = Discovery {
        problems: discovery.problems,
        truncated: discovery.truncated,
        ..Discovery::default()
    };
    for file in discovery.files {
        let names = config.bundles_of(&file.fs_path);
        if names.is_empty() {
            rest.files.push(file);
            continue;
        }
        for name in names {
            named.entry(name).or_default().files.push(file.clone());
        }
    }
    let mut parts: Vec<Discovery> = named.into_values().collect();
    if !rest.files.is_empty() || !rest.problems.is_empty() || parts.is_empty() {
        parts.push(rest);
    }
    parts
}

/// One report of the bundles' reports: findings and suppressed findings once each (a file in
/// two bundles gives its own findings twice), every checked entity and file once, in the
/// order every report uses.
pub(crate) fn merge(mut parts: Vec<Report>) -> Report {
    if parts.len() == 1 {
        return parts.pop().unwrap_or_default();
    }
    let mut merged = Report::default();
    let mut seen_findings = HashSet::new();
    let mut seen_suppressed = HashSet::new();
    let mut seen_files = HashSet::new();
    let mut timings: Vec<(&'static str, std::time::Duration)> = Vec::new();
    for part in parts {
        merged.now = part.now;
        merged.baseline_applied |= part.baseline_applied;
        for f in part.findings {
            if seen_findings.insert(key(&f)) {
                merged.findings.push(f);
            }
        }
        for s in part.suppressed {
            if seen_suppressed.insert(key(&s.finding)) {
                merged.suppressed.push(s);
            }
        }
        if merged.checked.is_empty() {
            merged.checked = part.checked;
        } else {
            for (into, from) in merged.checked.iter_mut().zip(part.checked) {
                let known: HashSet<String> =
                    into.entities.iter().map(|e| e.identity.clone()).collect();
                into.entities.extend(
                    from.entities
                        .into_iter()
                        .filter(|e| !known.contains(&e.identity)),
                );
            }
        }
        for e in part.inventory {
            if seen_files.insert(e.path.clone()) {
                merged.inventory.push(e);
            }
        }
        merged.sources.extend(part.sources);
        match (&mut merged.graph, part.graph) {
            (Some(into), Some(from)) => into.merge(from),
            (into @ None, from) => *into = from,
            (Some(_), None) => {}
        }
        if let Some(u) = part.cache {
            let sum = merged.cache.get_or_insert_with(Default::default);
            sum.hits += u.hits;
            sum.confirmed += u.confirmed;
            sum.misses += u.misses;
        }
        for (stage, took) in part.timings {
            match timings.iter_mut().find(|(s, _)| *s == stage) {
                Some((_, sum)) => *sum += took,
                None => timings.push((stage, took)),
            }
        }
    }
    merged
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    merged
        .suppressed
        .sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    merged.inventory.sort_by(|a, b| a.path.cmp(&b.path));
    merged.files = merged.inventory.iter().filter(|e| e.kind.is_some()).count();
    merged.timings = timings;
    merged
}

/// What makes two findings one: the rule, the entity, the place and what is said of it.
fn key(f: &crate::Finding) -> (String, String, String, usize, String) {
    (
        f.rule_id.to_string(),
        f.entity.clone(),
        f.location.path.to_string(),
        f.location.byte_offset,
        f.message.clone(),
    )
}
