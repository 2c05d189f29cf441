//! The cache's files on disk: a header, a checksum of the body (XXH3-128) and a postcard body,
//! written atomically (a temporary file in the same folder, renamed over the old one); the folder's
//! CACHEDIR.TAG; removing other builds' folders when the cache outgrows its bound.

use std::io::Write;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// What every cache file starts with.
const MAGIC: &[u8; 16] = b"trustlint-cache\n";

/// The cache-directory tag (https://bford.info/cachedir/): backup tools skip the folder, and
/// `cache clean` removes only a folder that has it.
const TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by trustlint (its scan cache).\n\
# For information about cache directory tags see https://bford.info/cachedir/\n";

/// Reads a cache file and decodes it; `None` when there is none, and (with a note on stderr)
/// when it does not check out: it is then rebuilt.
pub(super) fn read<T: DeserializeOwned>(path: &Path) -> Option<T> {
    let body = read_body(path)?;
    decode(path, body.as_slice())
}

/// Decodes a body `read_body` returned (borrowing from it where the type does); `None`, with a
/// note on stderr, when it does not decode.
pub(super) fn decode<'a, T: Deserialize<'a>>(path: &Path, body: &'a [u8]) -> Option<T> {
    match postcard::from_bytes(body) {
        Ok(value) => Some(value),
        Err(_) => {
            note(path, "damaged (its body does not decode)");
            None
        }
    }
}

/// The checked body of a cache file; `None` when there is none, and (with a note on stderr)
/// when its header or checksum does not check out.
pub(super) fn read_body(path: &Path) -> Option<Body> {
    match read_checked(path) {
        Ok(body) => body,
        Err(why) => {
            note(path, why);
            None
        }
    }
}

/// The checked body of a cache file; `None` when there is none or it does not check out,
/// silently (the caller says what it does instead).
pub(super) fn read_body_quiet(path: &Path) -> Option<Body> {
    read_checked(path).ok().flatten()
}

fn note(path: &Path, why: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "trustlint: note: cache file {} is {why}; it is ignored and will be rebuilt",
        path.display()
    );
}

/// The header: magic, layout, checksum.
const HEADER: usize = MAGIC.len() + 4 + 16;

/// The checksum of a body. It detects a file cut short or damaged on disk; it is not a
/// defence against someone who can write the cache folder (no unkeyed digest is: they can
/// recompute it, and they could as well replace trustlint itself), so a fast non-cryptographic
/// hash serves: SHA-256 of the 60 MB a 20,000-file cache holds was 7 % of a warm scan.
fn checksum(body: &[u8]) -> [u8; 16] {
    xxhash_rust::xxh3::xxh3_128(body).to_le_bytes()
}

/// A cache file whose header and checksum checked out.
pub(super) struct Body {
    bytes: Vec<u8>,
}

impl Body {
    /// The body, after the header.
    pub(super) fn as_slice(&self) -> &[u8] {
        self.bytes.get(HEADER..).unwrap_or_default()
    }
}

fn read_checked(path: &Path) -> Result<Option<Body>, &'static str> {
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
    let (sum, body) = rest.split_at_checked(16).ok_or("truncated")?;
    if checksum(body) != sum {
        return Err("damaged (its checksum does not match)");
    }
    Ok(Some(Body { bytes }))
}

/// Writes a cache file atomically; a failure leaves the old file (the cache is an
/// optimisation: it never fails a scan).
pub(super) fn write<T: Serialize>(path: &Path, value: &T, size_hint: usize) {
    // Sized once: grown by doubling, a shard's body was copied several times over.
    let Ok(body) = postcard::to_extend(value, Vec::with_capacity(size_hint)) else {
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
        f.write_all(&checksum(&body))?;
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
