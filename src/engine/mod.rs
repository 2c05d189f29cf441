//! The rule engine: loads YAML rules, compiles their conditions against the field registry,
//! and evaluates them over the fact model.

pub(crate) mod condition;
pub(crate) mod docs;
pub(crate) mod fields;
pub(crate) mod message;
mod pattern;
pub(crate) mod reason_codes;
pub(crate) mod rule;
mod rule_file;

use crate::printable::{printable, printable_lines};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::facts::Bundle;
use crate::location::Location;
use crate::report::{Checked, CheckedEntity, Finding, Related, fingerprint};
use fields::{Entity, Value, entities};
pub(crate) use rule::load_rules_with;
pub use rule::{Precision, Rule, RuleError, RuleProblem, RuleSetError, load_rules};

/// The JSON Schema of rule files (`docs/schema/rule.schema.json`), generated from the types
/// that read them.
pub(crate) fn rule_schema() -> String {
    rule_file::schema()
}

/// Evaluates every rule over every entity of its scopes. The result is sorted by path,
/// position, rule id and entity, whatever the number of threads.
/// `focus`: the paths (as findings name them) whose related places are listed first.
pub(crate) fn evaluate(rules: &[Rule], bundle: &Bundle, focus: &HashSet<&str>) -> Vec<Finding> {
    evaluate_where(rules, bundle, focus, &|_| true)
}

/// [`evaluate`] over the entities `keep` holds for (a streamed scan's chunk: its leaves).
pub(crate) fn evaluate_where(
    rules: &[Rule],
    bundle: &Bundle,
    focus: &HashSet<&str>,
    keep: &(dyn Fn(Entity<'_>) -> bool + Sync),
) -> Vec<Finding> {
    // Entity by entity, every program of its scope: one pass over the certificates for all
    // certificate rules, split among the threads, rather than a pass per rule. With 200,000
    // certificates the passes per rule cost more in cache misses than in evaluation.
    let mut by_scope: BTreeMap<fields::Scope, Vec<(&Rule, &rule::Program)>> = BTreeMap::new();
    for rule in rules {
        for p in &rule.programs {
            by_scope.entry(p.scope).or_default().push((rule, p));
        }
    }
    let mut findings: Vec<Finding> = Vec::new();
    for (scope, programs) in &by_scope {
        let found: Vec<Finding> = entities(bundle, *scope)
            .into_par_iter()
            .filter(|e| keep(*e))
            .flat_map_iter(|e| {
                programs
                    .iter()
                    .filter(move |(_, p)| p.when.eval(bundle, e))
                    .map(move |(rule, p)| finding(rule, p, bundle, e, focus))
            })
            .collect();
        findings.extend(found);
    }
    findings.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

/// What each rule looks at: the entities of its scopes, for reporters that count passes.
pub(crate) fn checked(rules: &[Rule], bundle: &Bundle) -> Vec<Checked> {
    rules
        .iter()
        .map(|rule| Checked {
            rule_id: rule.id.clone(),
            rule_name: rule.name.clone(),
            entities: rule
                .programs
                .iter()
                .flat_map(|p| entities(bundle, p.scope))
                .map(|e| CheckedEntity {
                    identity: e.identity(),
                    name: format!("{} '{}'", e.kind_name(), e.display_name()),
                    location: e.location(),
                })
                .collect(),
        })
        .collect()
}

/// Most related locations one finding lists, in the order of the bundle; the others are counted
/// in [`Finding::related_omitted`]. A cause shared by many places (every NPS host, every
/// candidate issuer) would otherwise make the output the product of two counts: 1,000 leaves
/// without a CDP beside 1,000 NPS snapshots once gave 230 MB of JSON from 4.6 MB of input.
pub const MAX_RELATED: usize = 10;

fn finding<'b>(
    rule: &Rule,
    program: &rule::Program,
    bundle: &'b Bundle,
    entity: Entity<'b>,
    focus: &HashSet<&str>,
) -> Finding {
    let mut severity = rule.severity;
    let mut message = &program.message;
    let mut symptom = &rule.symptom;
    for o in &program.overrides {
        if o.when.eval(bundle, entity) {
            if let Some(s) = o.severity {
                severity = s;
            }
            if let Some(m) = &o.message {
                message = m;
            }
            if o.symptom.is_some() {
                symptom = &o.symptom;
            }
        }
    }
    // The first MAX_RELATED places in the bundle's order, those in focused files first; each
    // list keeps at most MAX_RELATED, so a message is rendered only for what may be shown.
    let mut focused: Vec<Related> = Vec::new();
    let mut others = Vec::new();
    // Entities in changed files a `where` filtered out (see below).
    let mut examined: Vec<(Location, String)> = Vec::new();
    let mut places = 0usize;
    // Places of lists read only in part (`Accessor::first`), past what was read.
    let mut beyond = 0usize;
    let mut relate = |location: Option<crate::location::Location>, message: &dyn Fn() -> String| {
        let Some(location) = location else { return };
        places += 1;
        let list = if focus.contains(&*location.path) {
            &mut focused
        } else {
            &mut others
        };
        if list.len() < MAX_RELATED {
            list.push(Related {
                location,
                message: message(),
            });
        }
    };
    for r in &program.related {
        if r.filter.is_none() && focus.is_empty() {
            // The first few in the bundle's order, the rest counted: the list is never built
            // when its field knows its length.
            let (targets, total) = r.from.first(bundle, entity, MAX_RELATED);
            let shown = targets.len();
            for t in targets {
                relate(t.location(), &|| {
                    printable(&r.message.render(bundle, t)).into_owned()
                });
            }
            // Counted as places: every entity a related list names is located.
            beyond = beyond.saturating_add(total.saturating_sub(shown));
            continue;
        }
        let targets = match r.from.get(bundle, entity) {
            Value::Entities(targets) => targets,
            Value::Entity(target) => vec![target],
            _ => Vec::new(),
        };
        for t in targets {
            if r.filter.as_ref().is_none_or(|f| f.eval(bundle, t)) {
                relate(t.location(), &|| {
                    printable(&r.message.render(bundle, t)).into_owned()
                });
            } else if let Some(location) = t.location()
                && focus.contains(&*location.path)
                && !examined
                    .iter()
                    .any(|(l, _): &(Location, String)| l.path == location.path)
            {
                examined.push((
                    location,
                    format!(
                        "{} '{}' (changed) passes this check; the finding stands on the other places listed",
                        t.kind_name(),
                        printable(&t.display_name())
                    ),
                ));
            }
        }
    }
    for seen in entity.also_seen() {
        relate(Some(seen.clone()), &|| {
            format!("the same {} is also here", entity.kind_name())
        });
    }
    // A changed file the rule looked at and found fine, while the finding stands on others:
    // a hook run that fixes one NPS host of two must say so, not pass in silence. Said once,
    // and only where the file is not already listed as a cause.
    for (location, message) in examined {
        if focused.len() < MAX_RELATED && !focused.iter().any(|r| r.location.path == location.path)
        {
            places += 1;
            focused.push(Related { location, message });
        }
    }
    let mut related = focused;
    related.extend(others);
    related.truncate(MAX_RELATED);
    let related_omitted = (places - related.len()).saturating_add(beyond);
    let identity = entity.identity();
    let location = program
        .at
        .and_then(|at| at(entity))
        .or_else(|| entity.location())
        .unwrap_or_else(|| crate::location::Location::file("".into()));
    // Messages and summaries carry names from the files (subjects, profile names): their
    // control characters are shown, never sent to a terminal or a log.
    let summary = entity.summary().map(|s| printable_lines(&s).into_owned());
    let group: Arc<str> = match entity {
        Entity::Certificate(c) => Arc::from(format!(
            "certificates issued by {}",
            printable(&c.data.issuer.text)
        )),
        _ => Arc::from(format!("in {}", location.path)),
    };
    Finding {
        rule_id: rule.id.clone(),
        rule_name: rule.name.clone(),
        title: rule.title.clone(),
        severity,
        message: printable(&message.render(bundle, entity)).into_owned(),
        location,
        related,
        related_omitted,
        fingerprint: fingerprint(&rule.id, &identity),
        entity: identity,
        symptom: symptom.clone(),
        fix: rule.fix.clone(),
        summary,
        group,
    }
}
