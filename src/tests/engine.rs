//! The condition language's semantics, evaluated on the founding scenario's real facts.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

use super::common;

use std::sync::OnceLock;

use trustlint::engine::condition::{Condition, Params};
use trustlint::engine::fields::{Entity, Scope, entities};
use trustlint::engine::message::Template;
use trustlint::facts::Bundle;

fn bundle() -> &'static Bundle {
    static B: OnceLock<Bundle> = OnceLock::new();
    B.get_or_init(|| {
        let options = common::options();
        trustlint::load_bundle(&["testdata/scenarios/cloud-pki-aovpn".into()], &options)
    })
}

/// Display names of the certificates for which `yaml` holds.
fn matching(yaml: &str) -> Vec<String> {
    let cond = Condition::from_yaml(yaml, Scope::Certificate, &Params::new())
        .unwrap_or_else(|e| panic!("{yaml}: {e:?}"));
    let b = bundle();
    entities(b, Scope::Certificate)
        .into_iter()
        .filter(|e| cond.eval(b, *e))
        .map(|e| e.display_name())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

const ROOT: &str = "Contoso Cloud PKI Root CA";
const ISSUING: &str = "Contoso Cloud PKI Issuing CA";
const LEAF: &str = "alice@contoso.com";

#[test]
fn roles_and_simple_operators() {
    assert_eq!(matching("{field: role, equals: root}"), [ROOT]);
    assert_eq!(matching("{field: role, in: [root, leaf]}"), [ROOT, LEAF]);
    assert_eq!(matching("{field: role, notIn: [root, leaf]}"), [ISSUING]);
    assert_eq!(matching("{field: display_name, startsWith: alice}"), [LEAF]);
    assert_eq!(
        matching("{field: display_name, endsWith: Issuing CA}"),
        [ISSUING]
    );
    assert_eq!(
        matching("{field: display_name, match: '^Contoso .* Root'}"),
        [ROOT]
    );
    assert_eq!(
        matching("{field: san.upn, contains: alice@contoso.com}"),
        [LEAF]
    );
}

#[test]
fn absent_fields_are_false_except_for_negations() {
    // The leaf has no basicConstraints extension.
    assert_eq!(
        matching("{field: basic_constraints.ca, equals: false}"),
        Vec::<String>::new()
    );
    assert_eq!(
        matching("{field: basic_constraints.ca, notEquals: true}"),
        [LEAF]
    );
    assert_eq!(
        matching("{field: basic_constraints.ca, exists: false}"),
        [LEAF]
    );
    assert_eq!(
        matching("{not: {field: basic_constraints.ca, equals: true}}"),
        [LEAF]
    );
    // The root has no issuer entity beyond itself: `issuer` is absent for self-signed roots.
    assert_eq!(
        matching("{field: issuer.key.bits, equals: 2048}"),
        [ISSUING, LEAF]
    );
}

#[test]
fn counts_over_strings_and_entities() {
    assert_eq!(
        matching("{field: crl_distribution_points, count: 0}"),
        [ISSUING, ROOT]
    );
    assert_eq!(
        matching(
            "{field: crl_distribution_points, count: {where: {startsWith: 'http://'}, greater: 0}}"
        ),
        [LEAF]
    );
    assert_eq!(
        matching("{field: chain, count: {where: {field: role, equals: root}, equals: 1}}"),
        [ISSUING, ROOT, LEAF]
    );
    assert_eq!(matching("{field: chain, count: 3}"), [LEAF]);
    assert_eq!(matching("{field: bundle.nps.hosts, count: {where: {field: eap_tls.ignore_no_revocation_check, equals: 0}, equals: 2}}").len(), 3);
}

#[test]
fn times_compare_with_now_and_offsets() {
    // NOW is 2026-12-01; the leaf ends 2031-06-01, the issuing CA 2034, the root 2044.
    assert_eq!(
        matching("{field: not_after, lessOrEquals: now+2000d}"),
        [LEAF]
    );
    assert_eq!(
        matching("{field: not_after, less: '2040-01-01T00:00:00Z'}"),
        [ISSUING, LEAF]
    );
    assert_eq!(matching("{field: not_before, greater: now-365d}"), [LEAF]);
    assert!(matching("{field: not_after, less: now}").is_empty());
}

#[test]
fn anyof_allof_compose() {
    assert_eq!(
        matching("{anyOf: [{field: role, equals: root}, {field: client_auth, equals: true}]}"),
        [ROOT, LEAF]
    );
    assert_eq!(
        matching(
            "{allOf: [{field: in_client_auth_chain, equals: true}, {field: self_signed, equals: false}]}"
        ),
        [ISSUING, LEAF]
    );
}

#[test]
fn templates_render_fields_lists_entities_and_absent_values()
-> Result<(), Box<dyn std::error::Error>> {
    let b = bundle();
    let leaf = entities(b, Scope::Certificate)
        .into_iter()
        .find(|e| e.display_name() == LEAF)
        .ok_or("no leaf entity")?;
    let mut params = Params::new();
    params.insert("days".into(), serde_yaml::Value::from(30));
    let t = Template::compile(
        "{display_name} by {issuer} ({issuer.key.bits} bits), CA {basic_constraints.ca}, {{literal}}, {days} days, ends {not_after}",
        Scope::Certificate,
        &params,
    )
    .map_err(|e| e.message)?;
    assert_eq!(
        t.render(b, leaf),
        "alice@contoso.com by Contoso Cloud PKI Issuing CA (2048 bits), CA (none), {literal}, 30 days, ends 2031-06-01T00:00:00Z"
    );
    assert!(Template::compile("{nope}", Scope::Certificate, &Params::new()).is_err());
    assert!(matches!(
        entities(b, Scope::Bundle)[..],
        [Entity::Bundle(_)]
    ));
    Ok(())
}
