//! The signature outcomes of earlier scans, in 256 shard files of this build's folder
//! (`signatures/00.bin` … `ff.bin`, by the first byte of the signed object's SHA-256): a shard
//! is read the first time the scan checks a signature that falls in it, and the shards the scan
//! learned outcomes for are written back (the oldest dropped when over their share of the
//! bound).
//!
//! A scan reads the outcomes of the objects it has, not every scan's before it: with one file
//! of 20,000 outcomes, a three-certificate scan spent 6 ms copying and decoding it. Each shard is
//! sorted by key, so lookups are binary searches and no table is built, and each digest is one
//! run of bytes, not 32 numbers, so decoding is a copy.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_bytes::ByteArray;

use super::store;
use crate::facts::signature::{
    KnownChecks, SignatureCheck, SignatureKey, SignatureMemo, sort_keeping_last,
};

/// An entry's size on disk, about: two digests with their lengths, the outcome, the write.
const ENTRY_BYTES: u64 = 70;

/// The shards: one per first byte of the signed object's digest.
const SHARDS: u64 = 256;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Signatures {
    /// Sorted by (object, signer).
    checks: Vec<Stored>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    object: ByteArray<32>,
    signer: ByteArray<32>,
    check: SignatureCheck,
    /// Which write of the shard added it (counting up): the lowest are dropped first.
    written: u32,
}

impl Stored {
    fn key(&self) -> SignatureKey {
        (self.object.into_array(), self.signer.into_array())
    }
}

fn dir(build_dir: &Path) -> PathBuf {
    build_dir.join("signatures")
}

fn shard_path(dir: &Path, first: u8) -> PathBuf {
    dir.join(format!("{first:02x}.bin"))
}

/// The memo of a scan: the outcomes on disk, each shard read when first needed.
pub(crate) fn open(build_dir: &Path) -> SignatureMemo {
    let dir = dir(build_dir);
    SignatureMemo::sharded(Box::new(move |first| read_shard(&dir, first)))
}

fn read_shard(dir: &Path, first: u8) -> KnownChecks {
    let stored: Signatures = store::read(&shard_path(dir, first)).unwrap_or_default();
    KnownChecks::new(stored.checks.iter().map(|c| (c.key(), c.check)).collect())
}

/// Writes back the shards the scan learned outcomes for, each merged with what is on disk now.
pub(crate) fn write(build_dir: &Path, memo: SignatureMemo, max_bytes: u64) {
    write_learned(build_dir, &memo.into_learned(), max_bytes);
}

fn write_learned(build_dir: &Path, learned: &[(SignatureKey, SignatureCheck)], max_bytes: u64) {
    if learned.is_empty() {
        return;
    }
    let dir = dir(build_dir);
    if store::prepare(&dir).is_err() {
        return;
    }
    // A quarter of the bound for signatures, shared by the shards.
    let keep = usize::try_from(max_bytes / 4 / ENTRY_BYTES / SHARDS)
        .unwrap_or(usize::MAX)
        .max(1);
    // `learned` is sorted, so each shard's outcomes are one run.
    let runs: Vec<&[(SignatureKey, SignatureCheck)]> =
        learned.chunk_by(|a, b| a.0.0[0] == b.0.0[0]).collect();
    runs.par_iter().for_each(|run| {
        if let Some(((object, _), _)) = run.first() {
            write_shard(&shard_path(&dir, object[0]), run, keep);
        }
    });
}

fn write_shard(file: &Path, learned: &[(SignatureKey, SignatureCheck)], keep: usize) {
    let on_disk = store::read_body_quiet(file)
        .and_then(|body| postcard::from_bytes::<Signatures>(body.as_slice()).ok())
        .unwrap_or_default()
        .checks;
    let written = on_disk
        .iter()
        .map(|c| c.written)
        .max()
        .map_or(0, |w| w.saturating_add(1));
    let mut checks: Vec<Stored> = on_disk;
    checks.extend(learned.iter().map(|&((object, signer), check)| Stored {
        object: ByteArray::new(object),
        signer: ByteArray::new(signer),
        check,
        written,
    }));
    // Of a key on disk and learned again (a concurrent run wrote it meanwhile), the learned
    // entry, which comes later, is kept.
    sort_keeping_last(&mut checks, Stored::key);
    let excess = checks.len().saturating_sub(keep);
    if excess > 0 {
        // The oldest writes go first, by key within one write (the sort is stable).
        checks.sort_by_key(|c| c.written);
        checks.drain(..excess);
        checks.sort_by_key(Stored::key);
    }
    let size = checks.len() * ENTRY_BYTES as usize;
    store::write(file, &Signatures { checks }, size);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key in shard `shard`, the `n`th there.
    fn key(shard: u8, n: u8) -> SignatureKey {
        let mut object = [n; 32];
        object[0] = shard;
        (object, [n.wrapping_add(100); 32])
    }

    fn known(build_dir: &Path, keys: &[SignatureKey]) -> Vec<(SignatureKey, SignatureCheck)> {
        let memo = open(build_dir);
        keys.iter()
            .filter_map(|k| memo.known(k).map(|c| (*k, c)))
            .collect()
    }

    #[test]
    fn outcomes_written_in_any_order_are_answered_from_their_shards() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let mut learned = vec![
            (key(9, 1), SignatureCheck::Invalid),
            (key(1, 1), SignatureCheck::Valid),
            (key(9, 2), SignatureCheck::Unsupported),
        ];
        learned.sort();
        write_learned(dir.path(), &learned, 1 << 30);
        write_learned(dir.path(), &[(key(1, 2), SignatureCheck::Valid)], 1 << 30);
        let all = [
            key(1, 1),
            key(1, 2),
            key(1, 3),
            key(9, 1),
            key(9, 2),
            key(200, 1),
        ];
        assert_eq!(
            known(dir.path(), &all),
            vec![
                (key(1, 1), SignatureCheck::Valid),
                (key(1, 2), SignatureCheck::Valid),
                (key(9, 1), SignatureCheck::Invalid),
                (key(9, 2), SignatureCheck::Unsupported),
            ]
        );
        let shards: Vec<_> = std::fs::read_dir(dir.path().join("signatures"))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(shards.len(), 2, "{shards:?}");
        Ok(())
    }

    #[test]
    fn over_its_share_a_shard_drops_its_oldest_writes_first() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        // Room for three entries per shard: a quarter of the bound, ENTRY_BYTES each.
        let bound = 4 * 3 * ENTRY_BYTES * SHARDS;
        let first = [
            (key(4, 7), SignatureCheck::Valid),
            (key(4, 8), SignatureCheck::Valid),
        ];
        write_learned(dir.path(), &first, bound);
        let second = [
            (key(4, 1), SignatureCheck::Invalid),
            (key(4, 2), SignatureCheck::Valid),
        ];
        write_learned(dir.path(), &second, bound);
        // Of the first write, key 7 goes (the lower key among equals); the second stays whole.
        let all = [key(4, 1), key(4, 2), key(4, 7), key(4, 8)];
        assert_eq!(
            known(dir.path(), &all),
            vec![
                (key(4, 1), SignatureCheck::Invalid),
                (key(4, 2), SignatureCheck::Valid),
                (key(4, 8), SignatureCheck::Valid),
            ]
        );
        Ok(())
    }
}
