//! Every scanned file and what became of it: the entity of the `file` scope, which carries the
//! findings about files themselves (unparseable, too large).

use crate::load::{FileKind, FileProblem, Skipped};
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
    /// Why it was skipped, when it is not ours.
    pub skipped: Option<Skipped>,
    /// Named on the command line rather than found in a folder.
    pub explicit: bool,
    /// A Graph page whose `@odata.nextLink` says more pages follow: where it says so.
    pub next_page: Option<Location>,
}

impl FileFact {
    /// A file rules look at: one of ours, one with a problem, or one skipped that the user
    /// should hear about (a known format trustlint does not read, a file named on the command
    /// line). Other files that are not ours are listed, not judged.
    pub fn is_judged(&self) -> bool {
        self.kind.is_some() || self.problem.is_some() || self.skip_is_news()
    }

    /// Skipping this file deserves a word: its format is known and not read, or the user named
    /// it.
    pub fn skip_is_news(&self) -> bool {
        matches!(self.skipped, Some(Skipped::UnsupportedFormat(_)))
            || (self.explicit && self.skipped.is_some())
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
