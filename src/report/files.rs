//! `trustlint check --list-files`: every file the scan saw, one per line, with the kind it was
//! read as or why it was skipped. Nothing is skipped in silence: this is where a user sees it.

use std::io::{self, Write};

use super::Report;

/// Writes `path: kind` for each file read, `path: skipped (why)` for each file skipped, in path
/// order, then the counts.
pub fn render(report: &Report, out: &mut impl Write) -> io::Result<()> {
    for e in &report.inventory {
        match (e.kind, &e.skipped) {
            (Some(kind), _) if e.problem => writeln!(
                out,
                "{}: {kind}, not fully read (see its unparseable-file or file-too-large finding)",
                e.path
            )?,
            (Some(kind), _) => writeln!(out, "{}: {kind}", e.path)?,
            (None, Some(why)) => writeln!(out, "{}: skipped ({why})", e.path)?,
            (None, None) if e.problem => writeln!(out, "{}: not read (see its finding)", e.path)?,
            (None, None) => writeln!(out, "{}: skipped", e.path)?,
        }
    }
    let read: usize = report.files_by_kind().values().sum();
    writeln!(out, "{} read, {} skipped", read, report.files_skipped())
}
