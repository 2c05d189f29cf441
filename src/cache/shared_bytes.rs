//! `Arc<[u8]>` (a certificate's or CRL's DER) through serde as one byte string: serde's own
//! impl writes a sequence of numbers, a byte at a time.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serializer};

/// Writes the bytes as a byte string.
pub(crate) fn serialize<S: Serializer>(value: &Arc<[u8]>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bytes(value)
}

/// Reads a byte string.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<[u8]>, D::Error> {
    serde_bytes::ByteBuf::deserialize(d).map(|b| Arc::from(b.into_vec()))
}
