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
//! and 256 of signature outcomes (by the signed object's digest; each read when the scan first
//! checks a signature that falls in it). Each file is a header, a checksum of its body and a
//! postcard body, written to a temporary file and renamed over the old one: a reader sees the
//! old file or the new, never half of one, and two runs writing at once lose at most the other
//! run's additions. A file whose header, checksum or body does not check out is ignored (a note
//! on stderr) and rebuilt. An entry is used when the file's size, modification time and inode
//! are the ones recorded, or, when any of them changed, when its content's SHA-256 is: a
//! touched file costs a read and a digest, not a parse. A file changed within the second its
//! entry was written is always confirmed by content (mtime granularity, as git's index does).
//! A scan loads its files shard by shard, reading a shard when it reaches it and writing it
//! back as soon as its last file is loaded, so that the cache adds a few shards to the peak
//! memory of a scan, not the whole cache.

pub(crate) mod file_path;
pub(crate) mod shared_bytes;
pub(crate) mod signatures;
pub(crate) mod static_str;
mod store;

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::discover::DiscoveredFile;
use crate::load::{self, FileRead, LoadedFile};

/// The default bound on the cache's size on disk.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

/// The version of the entries' layout, beside the build fingerprint.
const FORMAT: u32 = 2;

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

/// One file's entry, as written, and as read: borrowed from the shard file's body.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry<'a> {
    /// The file's absolute path: the key.
    #[serde(borrow)]
    fs_path: Cow<'a, str>,
    /// How the scan named it: a place keeps the name it was loaded under.
    #[serde(borrow)]
    display: Cow<'a, str>,
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
    #[serde(borrow, with = "serde_bytes")]
    loaded: Cow<'a, [u8]>,
}

/// An entry read at the start of a scan: its parts in the shard's body, which the cache keeps
/// (a 20,000-file cache is 60 MB: copying each entry out of it cost more than decoding it).
#[derive(Debug)]
struct Slot {
    display: Range<usize>,
    max_file_size: u64,
    stamp: Stamp,
    confirmed_ns: i128,
    content: [u8; 32],
    loaded: Range<usize>,
}

/// A shard read at the start of a scan: its body and the entries in it by absolute path.
struct ReadShard {
    body: store::Body,
    slots: HashMap<String, Slot>,
}

impl ReadShard {
    fn read(path: &Path) -> Option<ReadShard> {
        let body = store::read_body(path)?;
        let shard: Shard<'_> = store::decode(path, body.as_slice())?;
        let all = body.as_slice();
        let slots = shard
            .entries
            .into_iter()
            .filter_map(|e| {
                let slot = Slot {
                    display: range_in(all, e.display.as_bytes())?,
                    max_file_size: e.max_file_size,
                    stamp: e.stamp,
                    confirmed_ns: e.confirmed_ns,
                    content: e.content,
                    loaded: range_in(all, &e.loaded)?,
                };
                Some((e.fs_path.into_owned(), slot))
            })
            .collect();
        Some(ReadShard { body, slots })
    }

    fn part(&self, range: &Range<usize>) -> &[u8] {
        self.body.as_slice().get(range.clone()).unwrap_or_default()
    }
}

/// Where `part`, borrowed from `all`, lies in it; `None` when it is not borrowed from it.
fn range_in(all: &[u8], part: &[u8]) -> Option<Range<usize>> {
    let start = part.as_ptr().addr().checked_sub(all.as_ptr().addr())?;
    let end = start.checked_add(part.len())?;
    (end <= all.len()).then_some(start..end)
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
struct Shard<'a> {
    #[serde(borrow)]
    entries: Vec<Entry<'a>>,
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

/// The file cache of one scan. Files are loaded shard by shard (`order`): a shard is read when
/// its first file is loaded, and when its last is, the entries the scan made are written and
/// the shard freed, so that at most a few shards are in memory at once (holding all of them,
/// or all new entries, to the end of the load was a third of a scan's peak memory).
pub(crate) struct FileCache {
    files_dir: PathBuf,
    cache_dir: PathBuf,
    max_bytes: u64,
    max_file_size: u64,
    /// Each file's absolute path and shard, in the scan's file order.
    keys: Vec<(String, usize)>,
    shards: Vec<Mutex<ShardState>>,
    /// The folder was made and tagged: once, when the first shard is written.
    prepared: std::sync::OnceLock<bool>,
    started_ns: i128,
}

/// A shard during the load.
#[derive(Default)]
struct ShardState {
    /// Files of the scan in it not loaded yet.
    remaining: usize,
    /// What the file held: read when its first file is loaded (`Some(None)`: no file, or one
    /// that did not check out), freed after its last.
    read: Option<Option<ReadShard>>,
    /// The entries this scan made.
    made: Vec<Entry<'static>>,
    /// The entries this scan used as they were (by path): a cache smaller than the scan keeps
    /// them before new ones, so that repeated scans use the same entries instead of replacing
    /// them all each time.
    kept: Vec<String>,
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

/// `path` made absolute against `cwd` (as `std::path::absolute` does, without asking the
/// system for the current directory for each file).
fn absolute(cwd: &Path, path: &Path) -> String {
    let joined = cwd.join(path);
    std::path::absolute(&joined)
        .unwrap_or(joined)
        .to_string_lossy()
        .into_owned()
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref());
    out
}

impl FileCache {
    /// The cache for the files of a scan: where each falls; nothing is read yet.
    pub(crate) fn open(
        settings: &CacheSettings,
        files: &[DiscoveredFile],
        max_file_size: u64,
    ) -> FileCache {
        let build_dir = settings.build_dir();
        let cwd = std::env::current_dir().unwrap_or_default();
        let keys: Vec<(String, usize)> = files
            .par_iter()
            .map(|f| {
                let fs_path = absolute(&cwd, &f.fs_path);
                let shard = shard_of(&fs_path);
                (fs_path, shard)
            })
            .collect();
        let shards: Vec<Mutex<ShardState>> = (0..SHARDS).map(|_| Mutex::default()).collect();
        for (_, shard) in &keys {
            if let Some(s) = shards.get(*shard) {
                lock(s).remaining += 1;
            }
        }
        FileCache {
            files_dir: build_dir.join("files"),
            cache_dir: settings.dir.clone(),
            max_bytes: settings.max_bytes,
            max_file_size,
            keys,
            shards,
            prepared: std::sync::OnceLock::new(),
            started_ns: now_ns(),
        }
    }

    /// The bytes of file entries one shard may hold: half the bound, shared by the shards.
    fn shard_share(&self) -> u64 {
        self.max_bytes / 2 / SHARDS as u64
    }

    /// The order to load the files in (their indices): shard by shard.
    pub(crate) fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.keys.len()).collect();
        order.sort_by_key(|&i| self.keys.get(i).map_or(0, |k| k.1));
        order
    }

    fn shard_path(&self, shard: usize) -> PathBuf {
        self.files_dir.join(format!("{shard:02x}.bin"))
    }

    /// Loads `file` (the scan's file number `index`) from its entry when the entry still holds,
    /// else from the file (and makes an entry of it). Says which it was.
    pub(crate) fn load(&self, index: usize, file: &DiscoveredFile) -> (LoadedFile, Outcome) {
        let Some((fs_path, shard)) = self.keys.get(index) else {
            return (load::load_file(file, self.max_file_size), Outcome::Miss);
        };
        let Some(state) = self.shards.get(*shard) else {
            return (load::load_file(file, self.max_file_size), Outcome::Miss);
        };
        let (loaded, outcome, entry) = self.load_in(state, *shard, fs_path, file);
        let finished = {
            let mut s = lock(state);
            if let Some(e) = entry {
                s.made.push(e);
            }
            s.remaining = s.remaining.saturating_sub(1);
            (s.remaining == 0).then(|| {
                s.read = None;
                (std::mem::take(&mut s.made), std::mem::take(&mut s.kept))
            })
        };
        if let Some((made, kept)) = finished
            && !made.is_empty()
        {
            self.write_shard(*shard, made, &kept);
        }
        (loaded, outcome)
    }

    fn load_in(
        &self,
        state: &Mutex<ShardState>,
        shard: usize,
        fs_path: &str,
        file: &DiscoveredFile,
    ) -> (LoadedFile, Outcome, Option<Entry<'static>>) {
        let stamp = Stamp::of(&file.fs_path);
        // What the entry says, and the entry's blob when the stamp did not settle it.
        let mut known: Option<([u8; 32], Vec<u8>)> = None;
        {
            let mut s = lock(state);
            let read = s
                .read
                .get_or_insert_with(|| ReadShard::read(&self.shard_path(shard)));
            if let Some(r) = read.as_ref()
                && let Some(e) = r.slots.get(fs_path)
                && r.part(&e.display) == file.display.as_bytes()
                && e.max_file_size == self.max_file_size
            {
                // Modified within a second of its confirmation: the stamp cannot tell.
                let racy = e.stamp.mtime_ns.saturating_add(1_000_000_000) >= e.confirmed_ns;
                if stamp == Some(e.stamp)
                    && !racy
                    && let Some(loaded) = decode(file, r.part(&e.loaded))
                {
                    s.kept.push(fs_path.to_owned());
                    return (loaded, Outcome::Hit, None);
                }
                known = Some((e.content, r.part(&e.loaded).to_vec()));
            }
        }
        let bytes = match load::read_file(file, self.max_file_size) {
            FileRead::Bytes(bytes) => bytes,
            FileRead::Unread(loaded) => return (*loaded, Outcome::Miss, None),
        };
        let content = sha256(&bytes);
        let entry = |loaded: Vec<u8>| {
            stamp.map(|stamp| Entry {
                fs_path: Cow::Owned(fs_path.to_owned()),
                display: Cow::Owned(file.display.to_string()),
                max_file_size: self.max_file_size,
                stamp,
                confirmed_ns: self.started_ns,
                content,
                loaded: Cow::Owned(loaded),
            })
        };
        if let Some((known_content, blob)) = known
            && known_content == content
            && let Some(loaded) = decode(file, &blob)
        {
            return (loaded, Outcome::Confirmed, entry(blob));
        }
        let loaded = load::load_read(file, &bytes);
        // Every miss is encoded, whether or not the shard will keep it: which entries a full
        // shard keeps then depends on the files and the disk, never on the order the threads
        // reached them, and a scan that adds nothing writes nothing (see write_shard).
        let made = encode(&loaded).and_then(entry);
        (loaded, Outcome::Miss, made)
    }

    /// Writes a shard: the entries this scan made merged with what is on disk now (another run
    /// may have written since), the oldest entries dropped to keep it within its share of the
    /// size bound.
    fn write_shard(&self, shard: usize, new: Vec<Entry<'static>>, kept: &[String]) {
        let prepared = *self.prepared.get_or_init(|| {
            let made = store::prepare(&self.files_dir).is_ok();
            if made {
                store::tag(&self.cache_dir);
            }
            made
        });
        if !prepared {
            return;
        }
        let share = self.shard_share();
        let path = self.shard_path(shard);
        let old_body = store::read_body_quiet(&path);
        let old: Shard<'_> = old_body
            .as_ref()
            .and_then(|b| postcard::from_bytes(b.as_slice()).ok())
            .unwrap_or_default();
        let mut merged: HashMap<Cow<'_, str>, Entry<'_>> = old
            .entries
            .into_iter()
            .map(|e| (e.fs_path.clone(), e))
            .collect();
        let fresh: std::collections::HashSet<String> =
            new.iter().map(|e| e.fs_path.to_string()).collect();
        for e in new {
            merged.insert(e.fs_path.clone(), e);
        }
        let mut entries: Vec<Entry<'_>> = merged.into_values().collect();
        // Newest first, then kept while they fit.
        // Those this scan used first, then the newest.
        let kept: std::collections::HashSet<&str> = kept.iter().map(String::as_str).collect();
        let used = |e: &Entry<'_>| kept.contains(&*e.fs_path);
        entries.sort_by(|a, b| {
            used(b)
                .cmp(&used(a))
                .then_with(|| b.confirmed_ns.cmp(&a.confirmed_ns))
                .then_with(|| a.fs_path.cmp(&b.fs_path))
        });
        // First fit: an entry too large for what is left does not keep out smaller ones.
        let mut size = 0u64;
        entries.retain(|e| {
            let after = size.saturating_add(entry_bytes(e));
            let fits = after <= share;
            if fits {
                size = after;
            }
            fits
        });
        // Nothing this scan made was kept: the shard on disk already holds what it would
        // write (the entries this scan used fit, as they did when written), so it is not
        // rewritten. A cache smaller than the scan thus settles instead of being rewritten
        // by every scan.
        if !entries.iter().any(|e| fresh.contains(&*e.fs_path)) {
            return;
        }
        let size = entries
            .iter()
            .map(|e| e.loaded.len() + e.fs_path.len() + e.display.len() + 96)
            .sum();
        store::write(&path, &Shard { entries }, size);
    }

    /// Ends the scan's use of the cache: writes what is left (nothing, when every file was
    /// loaded through `load`) and, when the cache outgrew its bound, removes other builds'
    /// folders.
    pub(crate) fn finish(self) {
        for (shard, state) in self.shards.iter().enumerate() {
            let (made, kept) = {
                let mut s = lock(state);
                (std::mem::take(&mut s.made), std::mem::take(&mut s.kept))
            };
            if !made.is_empty() {
                self.write_shard(shard, made, &kept);
            }
        }
        if self.prepared.get().copied().unwrap_or(false) {
            store::trim_other_builds(&self.cache_dir, &build_name(), self.max_bytes);
        }
    }
}

/// An entry's size as the bound counts it: its blob and about what the rest takes.
fn entry_bytes(e: &Entry<'_>) -> u64 {
    e.loaded.len() as u64 + ENTRY_OVERHEAD
}

/// About what an entry takes besides its blob (paths, stamp, digest).
const ENTRY_OVERHEAD: u64 = 128;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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

/// What the loader produced, as a cache entry holds it (a streamed scan's spill too).
pub(crate) fn encode(loaded: &LoadedFile) -> Option<Vec<u8>> {
    file_path::with_file(&loaded.path, || postcard::to_stdvec(loaded).ok())
}

/// [`encode`]'s bytes read back as the file named `path`.
pub(crate) fn decode_as(path: &std::sync::Arc<str>, bytes: &[u8]) -> Option<LoadedFile> {
    file_path::with_file(path, || postcard::from_bytes(bytes).ok())
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
