//! The cache's files on disk: a header, the SHA-256 of the body and a postcard body, written
//! atomically (a temporary file in the same folder, renamed over the old one); the folder's
//! CACHEDIR.TAG; removing other builds' folders when the cache outgrows its bound.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// What every cache file starts with.
const MAGIC: &[u8; 16] = b"trustlint-cache\n";

/// The cache-directory tag (https://bford.info/cachedir/): backup tools skip the folder, and
/// `cache clean` removes only a folder that has it.
const TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by trustlint (its scan cache).\n\
# For information about cache directory tags see https://bford.info/cachedir/\n";

/// Reads a cache file; `None` when there is none, and (with a note on stderr) when it does not
/// check out: it is then rebuilt.
pub(super) fn read<T: DeserializeOwned>(path: &Path) -> Option<T> {
    match read_checked(path) {
        Ok(value) => value,
        Err(why) => {
            let _ = writeln!(
                std::io::stderr(),
                "trustlint: note: cache file {} is {why}; it is ignored and will be rebuilt",
                path.display()
            );
            None
        }
    }
}

/// Reads a cache file; `None` when there is none or it does not check out, silently (the
/// caller says what it does instead).
pub(super) fn read_quiet<T: DeserializeOwned>(path: &Path) -> Option<T> {
    read_checked(path).ok().flatten()
}

fn read_checked<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, &'static str> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(_) => return Err("unreadable"),
    };
    let (magic, rest) = bytes.split_at_checked(MAGIC.len()).ok_or("truncated")?;
    if magic != MAGIC {
        return Err("not a trustlint cache file");
    }
    let (format, rest) = rest.split_at_checked(4).ok_or("truncated")?;
    if format != super::FORMAT.to_le_bytes() {
        return Err("of another layout");
    }
    let (sum, body) = rest.split_at_checked(32).ok_or("truncated")?;
    if ring::digest::digest(&ring::digest::SHA256, body).as_ref() != sum {
        return Err("damaged (its checksum does not match)");
    }
    postcard::from_bytes(body)
        .map(Some)
        .map_err(|_| "damaged (its body does not decode)")
}

/// Writes a cache file atomically; a failure leaves the old file (the cache is an
/// optimisation: it never fails a scan).
pub(super) fn write<T: Serialize>(path: &Path, value: &T) {
    let Ok(body) = postcard::to_stdvec(value) else {
        return;
    };
    let Some(dir) = path.parent() else { return };
    let unique = format!(
        ".{}.{}.{:?}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id(),
        std::thread::current().id()
    )
    .replace(['(', ')'], "");
    let tmp = dir.join(unique);
    let written = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(MAGIC)?;
        f.write_all(&super::FORMAT.to_le_bytes())?;
        f.write_all(ring::digest::digest(&ring::digest::SHA256, &body).as_ref())?;
        f.write_all(&body)?;
        f.flush()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Makes `dir` and its parents.
pub(super) fn prepare(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Writes the cache folder's CACHEDIR.TAG, once.
pub(super) fn tag(cache_dir: &Path) {
    let path = cache_dir.join("CACHEDIR.TAG");
    if !path.exists() {
        let _ = std::fs::write(path, TAG);
    }
}

fn has_tag(cache_dir: &Path) -> bool {
    std::fs::read_to_string(cache_dir.join("CACHEDIR.TAG"))
        .is_ok_and(|t| t.starts_with("Signature: 8a477f597d28d172789f06886806bc55"))
}

/// Bytes and files below `dir`, and the newest modification time.
fn usage(dir: &Path) -> (u64, usize, std::time::SystemTime) {
    let mut bytes = 0u64;
    let mut files = 0usize;
    let mut newest = std::time::UNIX_EPOCH;
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if let Ok(m) = e.metadata()
            && m.is_file()
        {
            bytes = bytes.saturating_add(m.len());
            files += 1;
            if let Ok(t) = m.modified() {
                newest = newest.max(t);
            }
        }
    }
    (bytes, files, newest)
}

/// The builds' folders below `cache_dir`, with their usage.
fn builds(cache_dir: &Path) -> Vec<(String, u64, usize, std::time::SystemTime)> {
    let mut out: Vec<_> = std::fs::read_dir(cache_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| {
            let (bytes, files, newest) = usage(&e.path());
            (
                e.file_name().to_string_lossy().into_owned(),
                bytes,
                files,
                newest,
            )
        })
        .collect();
    out.sort();
    out
}

/// When the cache holds more than `max_bytes`, removes other builds' folders, least recently
/// written first, until it fits (this build's own shards keep within their shares).
pub(super) fn trim_other_builds(cache_dir: &Path, current: &str, max_bytes: u64) {
    if !has_tag(cache_dir) {
        return;
    }
    let mut all = builds(cache_dir);
    let mut total: u64 = all.iter().map(|b| b.1).sum();
    all.sort_by_key(|b| b.3);
    for (name, bytes, _, _) in all {
        if total <= max_bytes {
            break;
        }
        if name != current && std::fs::remove_dir_all(cache_dir.join(&name)).is_ok() {
            total = total.saturating_sub(bytes);
        }
    }
}

/// `trustlint cache info`.
pub(super) fn info(cache_dir: &Path, current: &str) -> String {
    let mut out = format!("cache folder: {}\n", cache_dir.display());
    let all = builds(cache_dir);
    if all.is_empty() {
        out.push_str("empty\n");
    }
    for (name, bytes, files, _) in all {
        let this = if name == current { " (this build)" } else { "" };
        out.push_str(&format!(
            "{name}{this}: {files} file(s), {:.1} MiB\n",
            bytes as f64 / 1_048_576.0
        ));
    }
    out
}

/// `trustlint cache clean`.
pub(super) fn clean(cache_dir: &Path) -> Result<String, String> {
    if !cache_dir.exists() {
        return Ok(format!("no cache at {}", cache_dir.display()));
    }
    if !has_tag(cache_dir) {
        return Err(format!(
            "{} has no trustlint CACHEDIR.TAG: not removed (it is not a cache trustlint made)",
            cache_dir.display()
        ));
    }
    let (bytes, files, _) = usage(cache_dir);
    std::fs::remove_dir_all(cache_dir)
        .map_err(|e| format!("cannot remove {}: {e}", cache_dir.display()))?;
    Ok(format!(
        "removed {} ({files} file(s), {:.1} MiB)",
        cache_dir.display(),
        bytes as f64 / 1_048_576.0
    ))
}
