//! Every scanned file and what became of it: the entity of the `file` scope, which carries the
//! findings about files themselves (unparseable, too large).

use crate::load::{FileKind, FileProblem};
use crate::location::Location;

use super::fact::Fact;

/// A scanned file and what became of it.
#[derive(Debug, Clone)]
pub struct FileFact {
    /// The file.
    pub location: Location,
    /// What it claimed to be; `None` for files that are not ours.
    pub kind: Option<FileKind>,
    /// Size in bytes.
    pub size: u64,
    /// Why it, or part of it, could not be used.
    pub problem: Option<FileProblem>,
}

impl FileFact {
    /// A file rules look at: one of ours, or one with a problem (files that are not ours and
    /// read fine are listed, not judged).
    pub fn is_judged(&self) -> bool {
        self.kind.is_some() || self.problem.is_some()
    }
}

impl Fact for FileFact {
    fn kind_name(&self) -> &'static str {
        "file"
    }
    fn identity(&self) -> String {
        format!("file {}", self.location.path)
    }
    fn display_name(&self) -> String {
        self.location.path.to_string()
    }
    fn location(&self) -> Option<Location> {
        Some(match &self.problem {
            Some(FileProblem::Unparseable(e)) => e.location.clone(),
            _ => self.location.clone(),
        })
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}
