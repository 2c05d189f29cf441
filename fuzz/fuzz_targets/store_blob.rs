//! A certificate store's `Blob` on arbitrary bytes, as a registry export of the ROOT store
//! carries it: the property list parser and the certificate in it must never panic, and a
//! blob that does not parse is the file's one problem.
#![no_main]

use std::fmt::Write as _;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use trustlint::pipeline::{FileKind, FileProblem};

fuzz_target!(|data: &[u8]| {
    let mut hex = String::with_capacity(data.len() * 3);
    for (i, b) in data.iter().enumerate() {
        if i > 0 {
            hex.push(',');
        }
        let _ = write!(hex, "{b:02x}");
    }
    let text = format!(
        "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\SystemCertificates\\ROOT\\Certificates\\{}]\n\"Blob\"=hex:{hex}\n",
        "0".repeat(40)
    );
    let path: Arc<str> = Arc::from("fuzz-store.reg");
    let parsed = trustlint::pipeline::load_as(FileKind::Registry, path, text.as_bytes());
    for a in &parsed.artifacts {
        let _ = format!("{a:?}");
    }
    if let Some(FileProblem::Unparseable(p)) = &parsed.problem {
        assert!(!p.message().is_empty());
    }
});
