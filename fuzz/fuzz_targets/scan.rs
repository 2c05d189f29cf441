//! The whole pipeline on a small in-memory bundle: the input is cut into up to four files
//! (named by the first byte of each part, so every loader and every join is reached), loaded,
//! joined, and every built-in rule evaluated and rendered (JSON, SARIF, and HTML with the trust
//! graph). Nothing may panic, and the result must not depend on the order the files arrive in.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 8] = [
    "certs/a.cer",
    "certs/b.pem",
    "crl/c.crl",
    "nps/NPS01.reg",
    "vpn/profile.xml",
    "intune/export.json",
    "p7/bundle.p7b",
    "keys/k.key",
];

fn rules() -> &'static [trustlint::Rule] {
    static RULES: OnceLock<Vec<trustlint::Rule>> = OnceLock::new();
    RULES.get_or_init(|| trustlint::load_rules(&[]).unwrap_or_default())
}

fn render(files: Vec<trustlint::pipeline::LoadedFile>) -> Vec<u8> {
    let now = 1_795_000_000; // 2026-11-18, fixed: the target must be deterministic
    let bundle = trustlint::pipeline::bundle(files, now);
    let findings = trustlint::pipeline::evaluate(rules(), &bundle);
    let report = trustlint::Report {
        findings,
        graph: Some(trustlint::pipeline::graph(&bundle)),
        ..Default::default()
    };
    let mut out = Vec::new();
    let _ = trustlint::report::json::render(&report, &mut out);
    let docs: Vec<_> = rules()
        .iter()
        .map(trustlint::docs::rule_doc)
        .collect();
    let _ = trustlint::report::sarif::render(&report, &docs, &mut out);
    // The HTML report lays out the graph of whatever the files hold.
    let _ = trustlint::report::html::render(&report, &mut out);
    out
}

fuzz_target!(|data: &[u8]| {
    let mut named: Vec<(Arc<str>, &[u8])> = Vec::new();
    for (i, part) in data.split(|b| *b == 0xFF).take(4).enumerate() {
        let Some((&selector, body)) = part.split_first() else {
            continue;
        };
        let name = NAMES[usize::from(selector) % NAMES.len()];
        named.push((Arc::from(format!("{i}/{name}")), body));
    }
    let load = |order: &mut dyn Iterator<Item = &(Arc<str>, &[u8])>| {
        order
            .map(|(p, b)| trustlint::pipeline::load_bytes(p.clone(), b))
            .collect::<Vec<_>>()
    };
    let forward = render(load(&mut named.iter()));
    let backward = render(load(&mut named.iter().rev()));
    assert_eq!(
        forward, backward,
        "the output depends on the order files arrive in"
    );
});
