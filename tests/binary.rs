//! The trustlint binary as the integration tests run it (the unit tests, which share
//! `common`, have no binary to run).

#![allow(clippy::unwrap_used, reason = "test code")]

use std::path::Path;

/// Runs the trustlint binary in `dir` with `args` and `vars`, outside any CI (CI, TF_BUILD and
/// the Azure Pipelines variables removed), and expects a scan's exit status (0 or 1).
pub(crate) fn check_in(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> std::process::Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_trustlint"));
    c.args(args).current_dir(dir).env_remove("CI");
    for (k, _) in std::env::vars() {
        if k == "TF_BUILD" || k.starts_with("SYSTEM_") || k.starts_with("BUILD_") {
            c.env_remove(k);
        }
    }
    c.envs(vars.iter().copied());
    let o = c.output().unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}
