//! Signature checks between objects of the bundle, through x509-parser's `verify` (ring).

use x509_parser::asn1_rs::BitString;
use x509_parser::prelude::FromDer;
use x509_parser::verify::verify_signature;
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

use std::sync::{Mutex, OnceLock};

use crate::load::CertificateData;
use crate::load::x509::SignedParts;

/// The outcome of checking one signature with one key.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum SignatureCheck {
    /// The key verifies the signature.
    Valid,
    /// The algorithm (or key type) is one ring cannot verify, so nothing is known.
    Unsupported,
    /// The key does not verify the signature.
    Invalid,
}

/// Checks `signed` (the object whose DER is `der`) with the public key of `signer`.
pub(crate) fn check(der: &[u8], signed: &SignedParts, signer: &CertificateData) -> SignatureCheck {
    let Some(spki_der) = signer.der.get(signer.spki.clone()) else {
        return SignatureCheck::Unsupported;
    };
    let (Ok((_, spki)), Some(tbs), Some(alg_der), Some(signature)) = (
        SubjectPublicKeyInfo::from_der(spki_der),
        der.get(signed.tbs.clone()),
        der.get(signed.algorithm.clone()),
        der.get(signed.signature.clone()),
    ) else {
        return SignatureCheck::Unsupported;
    };
    let Ok((_, alg)) = AlgorithmIdentifier::from_der(alg_der) else {
        return SignatureCheck::Unsupported;
    };
    let sig = BitString::new(0, signature);
    match verify_signature(&spki, &alg, &sig, tbs) {
        Ok(()) => SignatureCheck::Valid,
        Err(x509_parser::error::X509Error::SignatureVerificationError) => SignatureCheck::Invalid,
        Err(_) => SignatureCheck::Unsupported,
    }
}

/// A signature check's key: the SHA-256 of the signed object's DER (which holds the signed data,
/// the algorithm and the signature) and of the signer's SubjectPublicKeyInfo. The same pair
/// always checks the same way.
pub(crate) type SignatureKey = ([u8; 32], [u8; 32]);

/// Signature outcomes known before a check is made, sorted by key and looked up by binary
/// search: opening a cache of many thousand outcomes is one read and no table built, so a scan
/// of three certificates does not pay for the 20,000 an earlier scan checked.
#[derive(Debug, Default)]
pub(crate) struct KnownChecks(Vec<(SignatureKey, SignatureCheck)>);

impl KnownChecks {
    /// The outcomes in any order; for a key given twice, the last.
    pub(crate) fn new(mut checks: Vec<(SignatureKey, SignatureCheck)>) -> KnownChecks {
        sort_keeping_last(&mut checks, |c| c.0);
        KnownChecks(checks)
    }

    pub(crate) fn get(&self, key: &SignatureKey) -> Option<SignatureCheck> {
        let at = self.0.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        self.0.get(at).map(|&(_, check)| check)
    }
}

/// Sorts `items` by `key` and keeps, of each run of equal keys, the one given last. The sort is
/// stable, so it is linear on items already sorted (as a cache shard is).
pub(crate) fn sort_keeping_last<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    items.sort_by_key(|t| key(t));
    // `dedup_by` keeps the first of a run: the later item's value moves into it.
    items.dedup_by(|later, kept| {
        let same = key(later) == key(kept);
        if same {
            std::mem::swap(later, kept);
        }
        same
    });
}

/// Reads the known outcomes of one shard: those whose signed object's SHA-256 starts with the
/// byte given.
pub(crate) type ShardReader = Box<dyn Fn(u8) -> KnownChecks + Send + Sync>;

/// Where the known outcomes are.
#[derive(Default)]
enum Known {
    #[default]
    None,
    /// In memory, all of them.
    Loaded(KnownChecks),
    /// Read shard by shard, each the first time a check falls in it: a scan of three
    /// certificates reads three small shards, not the outcomes of every scan before it.
    Sharded {
        shards: Vec<OnceLock<KnownChecks>>,
        read: ShardReader,
    },
}

impl std::fmt::Debug for Known {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Known::None => f.write_str("None"),
            Known::Loaded(k) => f.debug_tuple("Loaded").field(&k.0.len()).finish(),
            Known::Sharded { shards, .. } => {
                let read = shards.iter().filter(|s| s.get().is_some()).count();
                f.debug_struct("Sharded").field("read", &read).finish()
            }
        }
    }
}

impl Known {
    fn get(&self, key: &SignatureKey) -> Option<SignatureCheck> {
        match self {
            Known::None => None,
            Known::Loaded(k) => k.get(key),
            Known::Sharded { shards, read } => {
                let first = key.0[0];
                shards
                    .get(usize::from(first))?
                    .get_or_init(|| read(first))
                    .get(key)
            }
        }
    }

    /// Every known outcome (the shards not read yet are read now).
    fn into_all(self) -> Vec<(SignatureKey, SignatureCheck)> {
        match self {
            Known::None => Vec::new(),
            Known::Loaded(k) => k.0,
            Known::Sharded { shards, read } => shards
                .into_iter()
                .zip(0..=u8::MAX)
                .flat_map(|(shard, first)| match shard.into_inner() {
                    Some(k) => k.0,
                    None => read(first).0,
                })
                .collect(),
        }
    }
}

/// Signature outcomes known before the scan (the cache's) and those the scan learned: a check
/// whose pair is known is not made again.
#[derive(Debug, Default)]
pub(crate) struct SignatureMemo {
    known: Known,
    learned: Mutex<Vec<(SignatureKey, SignatureCheck)>>,
    on: bool,
}

impl SignatureMemo {
    /// Every check is made (no cache).
    pub(crate) fn off() -> SignatureMemo {
        SignatureMemo::default()
    }

    /// Checks answered from `known`, the others made and learned.
    pub(crate) fn with(known: KnownChecks) -> SignatureMemo {
        SignatureMemo {
            known: Known::Loaded(known),
            learned: Mutex::new(Vec::new()),
            on: true,
        }
    }

    /// Checks answered from 256 shards `read` gives when first needed (by the first byte of the
    /// signed object's SHA-256), the others made and learned.
    pub(crate) fn sharded(read: ShardReader) -> SignatureMemo {
        SignatureMemo {
            known: Known::Sharded {
                shards: (0..=u8::MAX).map(|_| OnceLock::new()).collect(),
                read,
            },
            learned: Mutex::new(Vec::new()),
            on: true,
        }
    }

    /// [`check`], answered from memory when the pair was checked before. `object` is the SHA-256
    /// of `der`.
    pub(crate) fn check(
        &self,
        object: [u8; 32],
        der: &[u8],
        signed: &SignedParts,
        signer: &CertificateData,
    ) -> SignatureCheck {
        if !self.on {
            return check(der, signed, signer);
        }
        let Some(spki) = signer.der.get(signer.spki.clone()) else {
            return SignatureCheck::Unsupported;
        };
        let key = (object, sha256(spki));
        if let Some(known) = self.known(&key) {
            return known;
        }
        let result = check(der, signed, signer);
        self.learned
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((key, result));
        result
    }

    /// A certificate's check: its SHA-256 is already known.
    pub(crate) fn check_certificate(
        &self,
        d: &CertificateData,
        signer: &CertificateData,
    ) -> SignatureCheck {
        if !self.on {
            return check(&d.der, &d.signed, signer);
        }
        self.check(digest_of_hex(&d.sha256), &d.der, &d.signed, signer)
    }

    /// The outcome known for `key` before the scan, if any.
    pub(crate) fn known(&self, key: &SignatureKey) -> Option<SignatureCheck> {
        self.known.get(key)
    }

    /// The same memo, answering from what it learned too (it still reports it as learned).
    pub(crate) fn settled(self) -> SignatureMemo {
        let (known, learned) = self.into_parts();
        let mut all = known.into_all();
        all.extend(learned.iter().copied());
        SignatureMemo {
            known: Known::Loaded(KnownChecks::new(all)),
            learned: Mutex::new(learned),
            on: true,
        }
    }

    /// Whether outcomes are remembered.
    pub(crate) fn is_on(&self) -> bool {
        self.on
    }

    /// The outcomes learned, sorted.
    pub(crate) fn into_learned(self) -> Vec<(SignatureKey, SignatureCheck)> {
        self.into_parts().1
    }

    /// The outcomes known before and those learned, learned last.
    fn into_parts(self) -> (Known, Vec<(SignatureKey, SignatureCheck)>) {
        let mut learned = self
            .learned
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Threads learn in any order: sorted, the cache file is the same for any thread count.
        learned.sort_unstable();
        learned.dedup();
        (self.known, learned)
    }
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref());
    out
}

/// The bytes of a 64-digit hex digest (zeros where it is not hex: never the case for the
/// digests the loaders write).
fn digest_of_hex(hex: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(hex.as_bytes().chunks(2)) {
        *o = std::str::from_utf8(pair)
            .ok()
            .and_then(|p| u8::from_str_radix(p, 16).ok())
            .unwrap_or(0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sort_keeping_last;

    #[test]
    fn of_equal_keys_the_one_given_last_is_kept() {
        let mut items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (3, 'e'), (1, 'f')];
        sort_keeping_last(&mut items, |i| i.0);
        assert_eq!(items, vec![(1, 'f'), (2, 'd'), (3, 'e')]);
    }
}
