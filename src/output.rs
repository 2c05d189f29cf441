//! Writing reports to files: whole or not at all. Every `--output` is rendered to a temporary
//! file beside its target and renamed into place only when all of them rendered, so a CI step
//! never reads half a SARIF file or one output of a run and another of the previous run.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::report::{Format, Report, RuleDoc};

/// A file that could not be written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write {what}{}: {source}", path.display())]
pub struct WriteError {
    /// What the file is for: empty, or `--output `.
    pub what: &'static str,
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// Writes `bytes` to `file` whole or not at all (a temporary file beside it, then a rename).
pub fn write_atomic(file: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let tmp = temporary_beside(file)?;
    let fail = |source| WriteError {
        what: "",
        path: file.to_path_buf(),
        source,
    };
    if let Err(e) = std::fs::write(&tmp, bytes) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    std::fs::rename(&tmp, file).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

/// Renders `report` in each format into its file; all are written, or none.
pub fn write_reports(
    outputs: &[(Format, PathBuf)],
    report: &Report,
    docs: &[RuleDoc],
) -> Result<(), WriteError> {
    let mut staged = Vec::new();
    for (format, file) in outputs {
        match stage(*format, report, docs, file) {
            Ok(tmp) => staged.push((tmp, file)),
            Err(e) => {
                for (tmp, _) in &staged {
                    let _ = std::fs::remove_file(tmp);
                }
                return Err(e);
            }
        }
    }
    for (tmp, file) in &staged {
        std::fs::rename(tmp, file).map_err(|source| WriteError {
            what: "--output ",
            path: (*file).clone(),
            source,
        })?;
    }
    Ok(())
}

fn temporary_beside(file: &Path) -> Result<PathBuf, WriteError> {
    let name = file.file_name().ok_or_else(|| WriteError {
        what: "",
        path: file.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".trustlint-{}.tmp", std::process::id()));
    Ok(file.with_file_name(tmp_name))
}

/// Renders `format` into a temporary file beside `file` and returns its path.
fn stage(
    format: Format,
    report: &Report,
    docs: &[RuleDoc],
    file: &Path,
) -> Result<PathBuf, WriteError> {
    let tmp = temporary_beside(file)?;
    let fail = |source| WriteError {
        what: "--output ",
        path: file.to_path_buf(),
        source,
    };
    let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(fail)?);
    let written = format
        .render(report, docs, false, &mut w)
        .and_then(|()| w.flush());
    drop(w);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(tmp)
}
