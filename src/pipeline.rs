//! The pipeline's stages one at a time, for benchmarks, fuzz targets and tools that need less
//! than a whole scan: load one file (or its bytes), join loaded files into a [`Bundle`],
//! evaluate rules on it. A scan is these stages in a row (see [`crate::scan`]).

use std::path::Path;
use std::sync::Arc;

use crate::discover::DiscoveredFile;
use crate::engine::Rule;
use crate::report::Finding;

pub use crate::facts::Bundle;
pub use crate::load::{FileKind, FileProblem, LoadError, LoadProblem, LoadedFile, Skipped};

/// Reads and loads one file, named `display` in findings; files over `max_size` bytes are
/// not read (`file-too-large`).
pub fn load_file(path: &Path, display: &str, max_size: u64) -> LoadedFile {
    let file = DiscoveredFile {
        fs_path: path.to_path_buf(),
        display: Arc::from(display),
        explicit: true,
    };
    crate::load::load_file(&file, max_size)
}

/// Loads a file's content: its kind sniffed from the bytes (then the name), then its loader.
pub fn load_bytes(path: impl Into<Arc<str>>, bytes: &[u8]) -> LoadedFile {
    crate::load::load_bytes(path.into(), bytes)
}

/// Loads `bytes` with the loader of `kind`, whatever they hold: what a fuzz target of one
/// loader calls.
pub fn load_as(kind: FileKind, path: impl Into<Arc<str>>, bytes: &[u8]) -> LoadedFile {
    crate::load::load_as(kind, path.into(), bytes)
}

/// Joins loaded files (in any order) into the fact model at `now` (Unix seconds).
pub fn bundle(files: Vec<LoadedFile>, now: i64) -> Bundle {
    Bundle::build(files, Vec::new(), now)
}

/// Evaluates `rules` on `bundle`: the findings, sorted, before any policy.
pub fn evaluate(rules: &[Rule], bundle: &Bundle) -> Vec<Finding> {
    crate::engine::evaluate(rules, bundle, &std::collections::HashSet::new())
}

/// The trust graph of `bundle`, as the HTML report draws it.
pub fn graph(bundle: &Bundle) -> crate::trust_graph::TrustGraph {
    crate::trust_graph::TrustGraph::of(bundle)
}
