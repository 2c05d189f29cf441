//! The signature outcomes of earlier scans, in one file of this build's folder: read before the
//! chains are built, written back with what the scan learned (newest kept when over the bound).

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::store;
use crate::facts::signature::{SignatureCheck, SignatureKey, SignatureMemo};

/// An entry's size on disk, about: two digests and the outcome.
const ENTRY_BYTES: u64 = 66;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Signatures {
    /// Oldest first.
    checks: Vec<(SignatureKey, SignatureCheck)>,
}

fn path(build_dir: &Path) -> std::path::PathBuf {
    build_dir.join("signatures.bin")
}

/// The memo of a scan: the outcomes on disk.
pub(crate) fn open(build_dir: &Path) -> SignatureMemo {
    let stored: Signatures = store::read(&path(build_dir)).unwrap_or_default();
    SignatureMemo::with(stored.checks.into_iter().collect())
}

/// Writes the outcomes back when the scan learned any, merged with what is on disk now.
pub(crate) fn write(build_dir: &Path, memo: SignatureMemo, max_bytes: u64) {
    let (_, learned) = memo.into_parts();
    if learned.is_empty() {
        return;
    }
    if store::prepare(build_dir).is_err() {
        return;
    }
    let file = path(build_dir);
    let mut checks = store::read_body_quiet(&file)
        .and_then(|body| postcard::from_bytes::<Signatures>(body.as_slice()).ok())
        .unwrap_or_default()
        .checks;
    let fresh: HashMap<SignatureKey, SignatureCheck> = learned.iter().copied().collect();
    checks.retain(|(k, _)| !fresh.contains_key(k));
    checks.extend(learned);
    // A quarter of the bound for signatures; the oldest go first.
    let keep = usize::try_from(max_bytes / 4 / ENTRY_BYTES).unwrap_or(usize::MAX);
    let excess = checks.len().saturating_sub(keep);
    checks.drain(..excess);
    let size = checks.len() * ENTRY_BYTES as usize;
    store::write(&file, &Signatures { checks }, size);
}
