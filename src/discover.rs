//! Walking the given paths and deciding, by content first and extension second, what each file is.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file found under one of the scanned paths.
#[derive(Debug, Clone)]
pub(crate) struct DiscoveredFile {
    /// Where to read it.
    pub fs_path: PathBuf,
    /// How findings name it: the path as given joined with the path below it, `/`-separated.
    pub display: Arc<str>,
    /// Named on the command line itself, not found below a folder.
    pub explicit: bool,
}

/// Something the walk could not do; it becomes an `unparseable-file` finding on that path.
#[derive(Debug, Clone)]
pub struct WalkProblem {
    /// The path as findings name it.
    pub display: Arc<str>,
    /// What went wrong, in words.
    pub message: String,
}

/// The result of walking the scanned paths: files sorted by display path, and problems.
#[derive(Debug, Default)]
pub(crate) struct Discovery {
    /// Files to load, sorted by display path so every later stage sees one order.
    pub files: Vec<DiscoveredFile>,
    /// Walk errors (unreadable directories, symlink loops, missing paths).
    pub problems: Vec<WalkProblem>,
    /// The walk stopped at its file limit.
    pub truncated: bool,
}

/// Walks `paths` without following symlinks (a symlink is neither followed nor read) and skips
/// `.git/`. The order of the result does not depend on the order the file system returns.
pub(crate) fn discover(paths: &[PathBuf]) -> Discovery {
    discover_at_most(paths, usize::MAX)
}

/// Like [`discover`], stopping once more than `limit` files were found (`Discovery::truncated`):
/// the walk of a tree far too large is cut short instead of listed whole.
pub(crate) fn discover_at_most(paths: &[PathBuf], limit: usize) -> Discovery {
    let mut out = Discovery::default();
    for root in paths {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || e.file_name() != ".git");
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    out.files.push(DiscoveredFile {
                        display: display_path(e.path()),
                        explicit: e.depth() == 0,
                        fs_path: e.into_path(),
                    });
                    // More than `limit` files: stop now (exactly `limit` is allowed).
                    if out.files.len() > limit {
                        out.truncated = true;
                        return out;
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let path = err.path().unwrap_or(root);
                    let message = match (err.loop_ancestor(), err.io_error()) {
                        (Some(anc), _) => {
                            format!("symlink loop back to {}", display_path(anc))
                        }
                        (None, Some(io)) => format!("cannot read: {io}"),
                        (None, None) => err.to_string(),
                    };
                    out.problems.push(WalkProblem {
                        display: display_path(path),
                        message,
                    });
                }
            }
        }
    }
    // Overlapping arguments (`dir` and `dir/./x.xml`, or a relative and an absolute path to
    // one file) name a file more than once: it is scanned once, named explicitly if either
    // argument named it. Files are identified by their path as the OS has it, not by the
    // (lossy) display, so two names that differ only in bytes that are not UTF-8 stay two.
    // One argument: the walk yields each file once. Several may overlap.
    if paths.len() > 1 {
        let mut keyed: Vec<(PathBuf, DiscoveredFile)> = std::mem::take(&mut out.files)
            .into_iter()
            .map(|f| {
                let key = std::fs::canonicalize(&f.fs_path).unwrap_or_else(|_| lexical(&f.fs_path));
                (key, f)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.explicit.cmp(&a.1.explicit)));
        keyed.dedup_by(|a, b| a.0 == b.0);
        out.files = keyed.into_iter().map(|(_, f)| f).collect();
    }
    out.files.sort_by(|a, b| {
        a.display
            .cmp(&b.display)
            .then_with(|| a.fs_path.cmp(&b.fs_path))
    });
    out.problems.sort_by(|a, b| a.display.cmp(&b.display));
    out
}

impl Discovery {
    /// Names every file relative to `root` (the repository root) when it is under it, as the
    /// working directory's path joined with the path given: a scan from a subfolder names
    /// files as a scan from the root does. Files outside keep their names.
    pub(crate) fn relative_to(&mut self, root: &Path) {
        let Ok(cwd) = std::env::current_dir() else {
            return;
        };
        let mut renamed = false;
        let mut rename = |display: &mut Arc<str>| {
            if let std::borrow::Cow::Owned(s) =
                crate::repository::relative_to_root(display, &cwd, root)
            {
                *display = Arc::from(s);
                renamed = true;
            }
        };
        self.files.iter_mut().for_each(|f| rename(&mut f.display));
        self.problems
            .iter_mut()
            .for_each(|p| rename(&mut p.display));
        // A scan from the root renames nothing: the order stands.
        if !renamed {
            return;
        }
        self.files.sort_by(|a, b| {
            a.display
                .cmp(&b.display)
                .then_with(|| a.fs_path.cmp(&b.fs_path))
        });
        self.problems.sort_by(|a, b| a.display.cmp(&b.display));
    }
}

/// `/`-separated display form of a path, without a leading `./`.
pub(crate) fn display_path(p: &Path) -> Arc<str> {
    // The common case, a UTF-8 path without `.` components or control characters, is taken
    // as it is.
    if let Some(s) = p.to_str()
        && !s.contains('\\')
        && !s.starts_with("./")
        && !s.contains("/./")
        && !s.ends_with("/.")
        && matches!(
            crate::printable::printable(s),
            std::borrow::Cow::Borrowed(_)
        )
    {
        return Arc::from(s);
    }
    let p = lexical(p);
    // Bytes that are not UTF-8 are written `\x{..}`, so two names that differ only there are
    // shown differently (a lossy U+FFFD would make them one).
    let mut s = String::new();
    for chunk in p.as_os_str().as_encoded_bytes().utf8_chunks() {
        s.push_str(&chunk.valid().replace('\\', "/"));
        for b in chunk.invalid() {
            s.push_str(&format!("\\x{{{b:02x}}}"));
        }
    }
    // `\\?\C:\pki` is `C:/pki` to the user who typed either.
    let s = crate::repository::strip_verbatim(&s);
    // A file name is data from the scanned tree: its control characters are shown, not sent.
    Arc::from(crate::printable::printable(&s).as_ref())
}

/// `p` without its `.` components (`dir/./x.xml` is `dir/x.xml`; `./x` is `x`), as written
/// otherwise: `..` is kept, since it depends on symlinks.
fn lexical(p: &Path) -> PathBuf {
    let mut out: PathBuf = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn overlapping_arguments_scan_a_file_once_and_dot_components_do_not_count() -> TestResult {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("x.xml"), "<VPNProfile/>")?;
        std::fs::write(dir.path().join("y.cer"), "")?;
        let root = dir.path().to_path_buf();
        let found = discover(&[root.clone(), root.join(".").join("x.xml")]);
        let names: Vec<&str> = found.files.iter().map(|f| &*f.display).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        let x = found
            .files
            .iter()
            .find(|f| f.display.ends_with("/x.xml"))
            .ok_or("x.xml")?;
        assert!(x.explicit, "named explicitly by one of the arguments");
        assert!(!x.display.contains("/./"), "{}", x.display);
        Ok(())
    }

    #[test]
    fn the_file_limit_is_exact() -> TestResult {
        let dir = tempfile::tempdir()?;
        for i in 0..3 {
            std::fs::write(dir.path().join(format!("{i}.cer")), "")?;
        }
        let root = [dir.path().to_path_buf()];
        assert!(!discover_at_most(&root, 3).truncated, "3 files, limit 3");
        assert!(discover_at_most(&root, 2).truncated, "3 files, limit 2");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn names_that_differ_only_in_non_utf8_bytes_stay_two_files() -> TestResult {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir()?;
        for name in [b"a\xff.cer".as_slice(), b"a\xfe.cer".as_slice()] {
            std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(name)), "")?;
        }
        let found = discover(&[dir.path().to_path_buf()]);
        let mut names: Vec<String> = found
            .files
            .iter()
            .map(|f| f.display.rsplit('/').next().unwrap_or_default().to_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a\\x{fe}.cer", "a\\x{ff}.cer"]);
        Ok(())
    }
}
