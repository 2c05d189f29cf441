//! The repository a scan belongs to, and paths relative to its root. Reports name files
//! relative to the repository root whatever directory trustlint ran in, as code scanning
//! (GitHub, Azure DevOps), GitLab and annotations resolve them against the checkout, and as
//! cargo names files from any subdirectory of a workspace: a scan of `certs` from inside `pki/`
//! reports `pki/certs/a.cer` in every format. A file outside the repository keeps its path as
//! given (an absolute one becomes a `file:` URI in SARIF).

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// The nearest directory at or above `start` that holds `.git` (a directory, or the file of a
/// worktree or submodule).
pub fn git_top_level(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The root reports are relative to: the git top level above the first path, else the
/// configuration's directory. `None` outside both: paths stay as given.
pub fn report_root(first_path: Option<&Path>, config_root: Option<&Path>) -> Option<PathBuf> {
    let first = first_path.map(absolute)?;
    let start = if first.is_dir() {
        first.as_path()
    } else {
        first.parent().unwrap_or(&first)
    };
    git_top_level(start).or_else(|| config_root.map(absolute))
}

/// `path` (`/`-separated, as findings carry it, relative to `cwd` or absolute) relative to
/// `root` when the file is under it; else `path` unchanged. Lexical: `..` is resolved against
/// the written path, which is what the user's shell did to reach it.
pub fn relative_to_root<'a>(path: &'a str, cwd: &Path, root: &Path) -> Cow<'a, str> {
    let written = Path::new(path);
    // The common case, a scan from the root of a path below it, costs no allocation: the name
    // is already relative to the root (display paths carry no `.` segments).
    let climbs =
        path == ".." || path.starts_with("../") || path.contains("/../") || path.ends_with("/..");
    if cwd == root && written.is_relative() && !is_windows_absolute(path) && !climbs {
        return Cow::Borrowed(path);
    }
    let joined = if written.is_absolute() || is_windows_absolute(path) {
        PathBuf::from(strip_verbatim(path).as_ref())
    } else {
        cwd.join(written)
    };
    let normal = lexical(&joined);
    match normal.strip_prefix(root) {
        Ok(rel) if rel.as_os_str().is_empty() => Cow::Borrowed("."),
        Ok(rel) => {
            let s = rel.to_string_lossy().replace('\\', "/");
            if s == path {
                Cow::Borrowed(path)
            } else {
                Cow::Owned(s)
            }
        }
        Err(_) => Cow::Borrowed(path),
    }
}

/// `C:/…`, `C:\…`, `//server/…`: absolute on Windows, whichever system reads the path.
fn is_windows_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with("//")
        || path.starts_with("\\\\")
        || matches!((b.first(), b.get(1), b.get(2)), (Some(d), Some(b':'), Some(b'/' | b'\\')) if d.is_ascii_alphabetic())
}

/// A path without Windows' verbatim prefix: `//?/C:/x` is `C:/x`, `//?/UNC/server/share` is
/// `//server/share` (the same file, as users write it).
pub(crate) fn strip_verbatim(path: &str) -> Cow<'_, str> {
    let slashed = path.replace('\\', "/");
    if let Some(unc) = slashed.strip_prefix("//?/UNC/") {
        return Cow::Owned(format!("//{unc}"));
    }
    if let Some(rest) = slashed.strip_prefix("//?/") {
        return Cow::Owned(rest.to_owned());
    }
    Cow::Borrowed(path)
}

/// The absolute, lexically normal form of `path` (relative to `root`, else to the working
/// directory): two names of one file compare equal (`--changed-only`'s files against findings).
pub fn resolve(path: &Path, root: Option<&Path>) -> PathBuf {
    let joined = match root {
        Some(r) if path.is_relative() => r.join(path),
        _ => path.to_path_buf(),
    };
    lexical(&absolute(&joined))
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// `p` with `.` dropped and `..` applied to what precedes it.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_a_subfolder_are_relative_to_the_root() {
        let root = Path::new("/repo");
        let sub = Path::new("/repo/pki");
        assert_eq!(
            relative_to_root("certs/a.cer", sub, root),
            "pki/certs/a.cer"
        );
        assert_eq!(relative_to_root("../lab/b.cer", sub, root), "lab/b.cer");
        assert_eq!(
            relative_to_root("./certs/./a.cer", sub, root),
            "pki/certs/a.cer"
        );
        // From the root, paths are as given.
        assert!(matches!(
            relative_to_root("pki/certs/a.cer", root, root),
            Cow::Borrowed("pki/certs/a.cer")
        ));
        // Absolute under the root: relative; outside: unchanged.
        assert_eq!(
            relative_to_root("/repo/pki/a.cer", Path::new("/"), root),
            "pki/a.cer"
        );
        assert_eq!(
            relative_to_root("/elsewhere/a.cer", sub, root),
            "/elsewhere/a.cer"
        );
        assert_eq!(relative_to_root("../../x.cer", sub, root), "../../x.cer");
        assert_eq!(relative_to_root(".", root, root), ".");
    }

    #[test]
    fn verbatim_prefixes_are_the_paths_behind_them() {
        assert_eq!(strip_verbatim("//?/C:/PKI/a.cer"), "C:/PKI/a.cer");
        assert_eq!(strip_verbatim("\\\\?\\C:\\PKI\\a.cer"), "C:/PKI/a.cer");
        assert_eq!(
            strip_verbatim("//?/UNC/srv/share/a.cer"),
            "//srv/share/a.cer"
        );
        assert_eq!(strip_verbatim("certs/a.cer"), "certs/a.cer");
        assert!(is_windows_absolute("C:\\PKI\\a.cer"));
        assert!(is_windows_absolute("//srv/share"));
        assert!(!is_windows_absolute("certs/a.cer"));
    }

    #[test]
    fn the_root_is_the_git_top_level_else_the_configuration_directory() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let pki = dir.path().join("pki");
        std::fs::create_dir_all(pki.join("certs"))?;
        assert_eq!(
            report_root(Some(&pki.join("certs")), Some(&pki)),
            Some(pki.clone())
        );
        assert_eq!(report_root(Some(&pki.join("certs")), None), None);
        std::fs::create_dir(dir.path().join(".git"))?;
        assert_eq!(
            report_root(Some(&pki.join("certs")), Some(&pki)),
            Some(dir.path().to_path_buf())
        );
        Ok(())
    }
}
