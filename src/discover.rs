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
            if out.files.len() > limit {
                out.truncated = true;
                return out;
            }
            match entry {
                Ok(e) if e.file_type().is_file() => out.files.push(DiscoveredFile {
                    display: display_path(e.path()),
                    explicit: e.depth() == 0,
                    fs_path: e.into_path(),
                }),
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
    out.files.sort_by(|a, b| a.display.cmp(&b.display));
    out.files.dedup_by(|a, b| a.display == b.display);
    out.problems.sort_by(|a, b| a.display.cmp(&b.display));
    out
}

/// `/`-separated display form of a path, without a leading `./`.
pub(crate) fn display_path(p: &Path) -> Arc<str> {
    let s = p.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s);
    Arc::from(s)
}
