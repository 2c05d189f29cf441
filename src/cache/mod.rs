//! The scan cache: what the loaders produced for each file, and the outcome of each signature
//! check, kept between runs, so that an unchanged file is neither read nor parsed again and an
//! unchanged certificate pair is not verified again. Rules, joins and time-dependent checks
//! always run afresh: the cache holds nothing they produce, so `--now` and configuration
//! changes need no invalidation.
//!
//! Where: `--cache-dir`, else `TRUSTLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/trustlint`, else
//! `~/.cache/trustlint` (`%LOCALAPPDATA%\trustlint\cache` on Windows); never below a scanned
//! path (the cache is then off for that run, and stderr says so). Below it, one folder per
//! build (the version and a fingerprint of the loader code, so no build reads another's
//! entries) holds 256 shard files of file entries (keyed by absolute path, named by its hash)
//! and one file of signature outcomes. Each file is a header, a SHA-256 of its body and a
//! postcard body, written to a temporary file and renamed over the old one: a reader sees the
//! old file or the new, never half of one, and two runs writing at once lose at most the other
//! run's additions. A file whose header, checksum or body does not check out is ignored (a note
//! on stderr) and rebuilt. An entry is used when the file's size, modification time and inode
//! are the ones recorded, or, when any of them changed, when its content's SHA-256 is: a
//! touched file costs a read and a digest, not a parse. A file changed within the second its
//! entry was written is always confirmed by content (mtime granularity, as git's index does).

pub(crate) mod file_path;
pub(crate) mod shared_bytes;
pub(crate) mod signatures;
pub(crate) mod static_str;
mod store;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::discover::DiscoveredFile;
use crate::load::{self, FileRead, LoadedFile};

/// The default bound on the cache's size on disk.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

/// The version of the entries' layout, beside the build fingerprint.
const FORMAT: u32 = 1;

/// Shards of file entries: a scan reads the shards of its files and rewrites those it changed.
const SHARDS: usize = 256;

/// Where the cache is and how large it may grow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheSettings {
    /// The cache's folder (the builds' folders are below it).
    pub dir: PathBuf,
    /// At most this many bytes on disk, all builds together; the oldest entries go first.
    pub max_bytes: u64,
}

impl CacheSettings {
    /// The default folder: `TRUSTLINT_CACHE_DIR`, `$XDG_CACHE_HOME/trustlint`,
    /// `~/.cache/trustlint`, or on Windows `%LOCALAPPDATA%\trustlint\cache`; `None` when the
    /// environment names no home.
    pub fn default_dir() -> Option<PathBuf> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if let Some(dir) = var("TRUSTLINT_CACHE_DIR") {
            return Some(PathBuf::from(dir));
        }
        if let Some(xdg) = var("XDG_CACHE_HOME") {
            return Some(PathBuf::from(xdg).join("trustlint"));
        }
        if cfg!(windows)
            && let Some(local) = var("LOCALAPPDATA")
        {
            return Some(PathBuf::from(local).join("trustlint").join("cache"));
        }
        var("HOME").map(|home| PathBuf::from(home).join(".cache").join("trustlint"))
    }

    /// This build's folder.
    pub fn build_dir(&self) -> PathBuf {
        self.dir.join(build_name())
    }
}

/// The name of this build's folder: version, layout and loader fingerprint.
fn build_name() -> String {
    format!(
        "{}-f{FORMAT}-{}",
        env!("CARGO_PKG_VERSION"),
        env!("TRUSTLINT_LOADER_FINGERPRINT")
    )
}

/// One file's entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// The file's absolute path: the key.
    fs_path: String,
    /// How the scan named it: a place keeps the name it was loaded under.
    display: String,
    /// The size limit it was loaded under (a larger limit may read what a smaller did not).
    max_file_size: u64,
    /// What stat() said when the content was last confirmed.
    stamp: Stamp,
    /// When that was (nanoseconds since 1970): a file modified in the same second may have the
    /// same stamp with other content.
    confirmed_ns: i128,
    /// SHA-256 of the content.
    content: [u8; 32],
    /// What the loader produced (postcard), decoded only when used.
    #[serde(with = "serde_bytes")]
    loaded: Vec<u8>,
}

/// What stat() says of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    size: u64,
    mtime_ns: i128,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        let mtime_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX));
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            size: m.len(),
            mtime_ns,
            inode,
        })
    }
}

/// A shard file's body.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Shard {
    entries: Vec<Entry>,
}

/// How a run used the cache: `--timings` and `trustlint cache info` print it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheUse {
    /// Files whose entry was used as it was.
    pub hits: usize,
    /// Files whose stamp changed and whose content had not: used after a read and a digest.
    pub confirmed: usize,
    /// Files loaded afresh.
    pub misses: usize,
}

/// The file cache of one scan: the shards its files fall in, read at the start; the entries it
/// made, written at the end.
pub(crate) struct FileCache {
    build_dir: PathBuf,
    max_bytes: u64,
    max_file_size: u64,
    shards: Vec<Option<HashMap<String, Entry>>>,
    made: Mutex<Vec<(usize, Entry)>>,
    started_ns: i128,
}

fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX))
}

fn shard_of(fs_path: &str) -> usize {
    let digest = ring::digest::digest(&ring::digest::SHA256, fs_path.as_bytes());
    usize::from(digest.as_ref().first().copied().unwrap_or(0))
}

fn absolute(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref());
    out
}

impl FileCache {
    /// Opens the cache for `files`: reads the shards they fall in (in parallel).
    pub(crate) fn open(
        settings: &CacheSettings,
        files: &[DiscoveredFile],
        max_file_size: u64,
    ) -> FileCache {
        let build_dir = settings.build_dir();
        let mut wanted = vec![false; SHARDS];
        for f in files {
            if let Some(w) = wanted.get_mut(shard_of(&absolute(&f.fs_path))) {
                *w = true;
            }
        }
        let files_dir = build_dir.join("files");
        let shards = wanted
            .par_iter()
            .enumerate()
            .map(|(i, &w)| {
                if !w {
                    return None;
                }
                let shard: Shard = store::read(&files_dir.join(format!("{i:02x}.bin")))?;
                Some(
                    shard
                        .entries
                        .into_iter()
                        .map(|e| (e.fs_path.clone(), e))
                        .collect(),
                )
            })
            .collect();
        FileCache {
            build_dir,
            max_bytes: settings.max_bytes,
            max_file_size,
            shards,
            made: Mutex::new(Vec::new()),
            started_ns: now_ns(),
        }
    }

    /// Loads `file` from its entry when the entry still holds, else from the file (and makes
    /// an entry of it). Says which it was.
    pub(crate) fn load(&self, file: &DiscoveredFile) -> (LoadedFile, Outcome) {
        let fs_path = absolute(&file.fs_path);
        let shard = shard_of(&fs_path);
        let stamp = Stamp::of(&file.fs_path);
        let entry = self
            .shards
            .get(shard)
            .and_then(Option::as_ref)
            .and_then(|s| s.get(&fs_path))
            .filter(|e| e.display == *file.display && e.max_file_size == self.max_file_size);
        if let (Some(e), Some(stamp)) = (entry, stamp) {
            // Modified within a second of its confirmation: the stamp cannot tell.
            let racy = e.stamp.mtime_ns.saturating_add(1_000_000_000) >= e.confirmed_ns;
            if e.stamp == stamp
                && !racy
                && let Some(loaded) = decode(file, &e.loaded)
            {
                return (loaded, Outcome::Hit);
            }
        }
        let bytes = match load::read_file(file, self.max_file_size) {
            FileRead::Bytes(bytes) => bytes,
            FileRead::Unread(loaded) => return (*loaded, Outcome::Miss),
        };
        let content = sha256(&bytes);
        if let Some(e) = entry
            && e.content == content
            && let Some(loaded) = decode(file, &e.loaded)
        {
            if let Some(stamp) = stamp {
                self.remember(
                    shard,
                    Entry {
                        stamp,
                        confirmed_ns: self.started_ns,
                        ..e.clone()
                    },
                );
            }
            return (loaded, Outcome::Confirmed);
        }
        let loaded = load::load_read(file, &bytes);
        if let (Some(stamp), Some(encoded)) = (stamp, encode(&loaded)) {
            self.remember(
                shard,
                Entry {
                    fs_path,
                    display: file.display.to_string(),
                    max_file_size: self.max_file_size,
                    stamp,
                    confirmed_ns: self.started_ns,
                    content,
                    loaded: encoded,
                },
            );
        }
        (loaded, Outcome::Miss)
    }

    fn remember(&self, shard: usize, entry: Entry) {
        self.made
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((shard, entry));
    }

    /// Writes the shards this scan changed, each merged with what is on disk now (another run
    /// may have written since), the oldest entries dropped to keep each shard within its share
    /// of the size bound.
    pub(crate) fn write(self) {
        let made = self
            .made
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if made.is_empty() {
            return;
        }
        let mut by_shard: HashMap<usize, Vec<Entry>> = HashMap::new();
        for (shard, entry) in made {
            by_shard.entry(shard).or_default().push(entry);
        }
        if store::prepare(&self.build_dir.join("files")).is_err() {
            return;
        }
        store::tag(self.build_dir.parent().unwrap_or(&self.build_dir));
        let share = self.max_bytes / 2 / SHARDS as u64;
        let files_dir = self.build_dir.join("files");
        let mut shards: Vec<(usize, Vec<Entry>)> = by_shard.into_iter().collect();
        shards.sort_by_key(|(s, _)| *s);
        shards.into_par_iter().for_each(|(shard, new)| {
            let path = files_dir.join(format!("{shard:02x}.bin"));
            let old: Shard = store::read_quiet(&path).unwrap_or_default();
            let mut merged: HashMap<String, Entry> = old
                .entries
                .into_iter()
                .map(|e| (e.fs_path.clone(), e))
                .collect();
            for e in new {
                merged.insert(e.fs_path.clone(), e);
            }
            let mut entries: Vec<Entry> = merged.into_values().collect();
            // Newest first, then kept while they fit.
            entries.sort_by(|a, b| {
                b.confirmed_ns
                    .cmp(&a.confirmed_ns)
                    .then_with(|| a.fs_path.cmp(&b.fs_path))
            });
            let mut size = 0u64;
            entries.retain(|e| {
                size = size.saturating_add(e.loaded.len() as u64 + 128);
                size <= share
            });
            store::write(&path, &Shard { entries });
        });
        store::trim_other_builds(
            self.build_dir.parent().unwrap_or(&self.build_dir),
            &build_name(),
            self.max_bytes,
        );
    }
}

/// How a file was loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// From its entry.
    Hit,
    /// From its entry, after a read and a digest.
    Confirmed,
    /// From the file.
    Miss,
}

fn encode(loaded: &LoadedFile) -> Option<Vec<u8>> {
    file_path::with_file(&loaded.path, || postcard::to_stdvec(loaded).ok())
}

fn decode(file: &DiscoveredFile, bytes: &[u8]) -> Option<LoadedFile> {
    let mut loaded: LoadedFile =
        file_path::with_file(&file.display, || postcard::from_bytes(bytes).ok())?;
    loaded.explicit = file.explicit;
    Some(loaded)
}

/// `dir` is `root` or below it (both made absolute; symlinks resolved where they exist).
pub(crate) fn is_within(dir: &Path, root: &Path) -> bool {
    let resolve = |p: &Path| {
        std::fs::canonicalize(p)
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    // The cache folder may not exist yet: resolve its nearest existing ancestor.
    let mut existing = dir.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut full = resolve(&existing);
    for name in rest.iter().rev() {
        full.push(name);
    }
    full.starts_with(resolve(root))
}

/// What `trustlint cache info` prints.
pub fn info(settings: &CacheSettings) -> String {
    store::info(&settings.dir, &build_name())
}

/// Removes the cache (`trustlint cache clean`): only a folder trustlint made (it holds
/// trustlint's CACHEDIR.TAG), never another.
pub fn clean(settings: &CacheSettings) -> Result<String, String> {
    store::clean(&settings.dir)
}
