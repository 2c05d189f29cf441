//! Writing reports to files: whole or not at all. Every `--output` is rendered to a temporary
//! file beside its target and renamed into place only when all of them rendered, so a CI step
//! never reads half a SARIF file or one output of a run and another of the previous run.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::report::human::HumanOptions;
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

/// Writes `bytes` to `file` whole or not at all (a temporary file beside it, then a rename);
/// a symlink is written through, a device or FIFO written to directly, never replaced.
pub fn write_atomic(file: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let file = match destination(file).map_err(|e| WriteError { what: "", ..e })? {
        Destination::Stream(path) => {
            return std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .and_then(|mut f| f.write_all(bytes))
                .map_err(|source| WriteError {
                    what: "",
                    path,
                    source,
                });
        }
        Destination::Replace(path) => path,
    };
    let file = file.as_path();
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

/// Where an `--output` goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Destination {
    /// A regular file, new or existing (a symlink's target): written beside it and renamed
    /// into place.
    Replace(PathBuf),
    /// A device or a FIFO (`/dev/stdout`, a pipe): written to directly, never renamed over.
    Stream(PathBuf),
}

impl Destination {
    fn path(&self) -> &Path {
        match self {
            Destination::Replace(p) | Destination::Stream(p) => p,
        }
    }
}

/// What `file` is, following symlinks to what they name. A directory, or a symlink to nothing,
/// is refused.
fn destination(file: &Path) -> Result<Destination, WriteError> {
    let refuse = |message: &str| WriteError {
        what: "--output ",
        path: file.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, message.to_owned()),
    };
    let link = std::fs::symlink_metadata(file);
    let file = match &link {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(file).map_err(|_| refuse("a symbolic link to nothing"))?
        }
        _ => file.to_path_buf(),
    };
    match std::fs::metadata(&file) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Destination::Replace(file)),
        Err(source) => Err(WriteError {
            what: "--output ",
            path: file,
            source,
        }),
        Ok(m) if m.is_file() => Ok(Destination::Replace(file)),
        Ok(m) if m.is_dir() => Err(refuse("a directory")),
        Ok(_) => Ok(Destination::Stream(file)),
    }
}

/// Checks every `--output` before the scan: a directory or a dangling symlink is refused, and
/// two outputs naming one file (directly, through `.`/`..` or a symlink) are an error, so no
/// run writes one file twice or learns it cannot write after minutes of scanning.
pub fn check_outputs(outputs: &[(Format, PathBuf)]) -> Result<(), WriteError> {
    let mut seen: Vec<PathBuf> = Vec::new();
    for (_, file) in outputs {
        let dest = destination(file)?;
        let key = std::path::absolute(dest.path()).unwrap_or_else(|_| dest.path().to_path_buf());
        let key = key
            .parent()
            .and_then(|d| std::fs::canonicalize(d).ok())
            .map_or(key.clone(), |d| d.join(key.file_name().unwrap_or_default()));
        if seen.contains(&key) {
            return Err(WriteError {
                what: "--output ",
                path: file.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "named by another --output too",
                ),
            });
        }
        seen.push(key);
    }
    Ok(())
}

/// Renders `report` in each format into its file; all are written, or none (a device or FIFO
/// target is written last, directly).
pub fn write_reports(
    outputs: &[(Format, PathBuf)],
    report: &Report,
    docs: &[RuleDoc],
) -> Result<(), WriteError> {
    let mut staged = Vec::new();
    let mut streams = Vec::new();
    let discard = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (format, file) in outputs {
        let dest = match destination(file) {
            Ok(d) => d,
            Err(e) => {
                discard(&staged);
                return Err(e);
            }
        };
        match dest {
            Destination::Stream(path) => streams.push((*format, path)),
            Destination::Replace(path) => match stage(*format, report, docs, &path) {
                Ok(tmp) => staged.push((tmp, path)),
                Err(e) => {
                    discard(&staged);
                    return Err(e);
                }
            },
        }
    }
    for (tmp, file) in &staged {
        std::fs::rename(tmp, file).map_err(|source| WriteError {
            what: "--output ",
            path: file.clone(),
            source,
        })?;
    }
    for (format, path) in streams {
        let fail = |source| WriteError {
            what: "--output ",
            path: path.clone(),
            source,
        };
        let mut w = std::io::BufWriter::new(
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(fail)?,
        );
        format
            .render(report, docs, &HumanOptions::default(), &mut w)
            .and_then(|()| w.flush())
            .map_err(fail)?;
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
        .render(report, docs, &HumanOptions::default(), &mut w)
        .and_then(|()| w.flush());
    drop(w);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(tmp)
}
