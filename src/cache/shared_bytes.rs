//! `Arc<[u8]>` (a certificate's or CRL's DER) through serde as one byte string: serde's own
//! impl writes a sequence of numbers, a byte at a time.

use std::sync::Arc;

use serde::{Deserializer, Serializer};

/// Writes the bytes as a byte string.
pub(crate) fn serialize<S: Serializer>(value: &Arc<[u8]>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bytes(value)
}

/// Reads a byte string. Bytes borrowed from the cache file are copied once, into the `Arc`
/// (through an owned buffer they were allocated and copied twice: 20,000 DERs per warm scan).
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<[u8]>, D::Error> {
    d.deserialize_bytes(SharedBytes)
}

struct SharedBytes;

impl serde::de::Visitor<'_> for SharedBytes {
    type Value = Arc<[u8]>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a byte string")
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(Arc::from(v))
    }

    fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Self::Value, E> {
        Ok(Arc::from(v))
    }
}
