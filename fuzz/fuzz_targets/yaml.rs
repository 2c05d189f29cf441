//! The Graph YAML (IntuneCD) loader on arbitrary bytes: it must never panic, and what it returns must hold
//! together (a loader never fails: artifacts and at most one problem).
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use trustlint::pipeline::{FileKind, FileProblem};

fuzz_target!(|data: &[u8]| {
    let path: Arc<str> = Arc::from("fuzz.yaml");
    let parsed = trustlint::pipeline::load_as(FileKind::Yaml, path, data);
    // Touch what later stages read, so a lazily broken value shows up here.
    for a in &parsed.artifacts {
        let _ = format!("{a:?}");
    }
    if let Some(FileProblem::Unparseable(p)) = &parsed.problem {
        assert!(!p.message().is_empty());
    }
});
