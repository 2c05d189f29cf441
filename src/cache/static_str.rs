//! `&'static str` fields through serde: the loaders name things with string constants (`SCEP`,
//! `sha256`, `ProfileXML`), and a cached record must give back a `&'static str` too. Each
//! distinct value is made static once and shared after that; the values are the loaders'
//! constants, a few dozen, and an entry is trusted only after its checksum, so a corrupt cache
//! cannot make them grow.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Deserializer, Serializer};

/// A loader's string constant. An alias, not `&'static str` written out, because serde's
/// derive would borrow a field written `&'static str` from the input (and then require input
/// that lives for ever) even when the field has a `with` of its own.
pub(crate) type Static = &'static str;

fn intern(s: String) -> &'static str {
    static SEEN: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let seen = SEEN.get_or_init(Mutex::default);
    let mut seen = seen
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(&known) = seen.get(s.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(s.into_boxed_str());
    seen.insert(leaked);
    leaked
}

/// Writes the string.
pub(crate) fn serialize<S: Serializer>(value: &&'static str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(value)
}

/// Reads a string and gives back its shared static copy.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    String::deserialize(d).map(intern)
}

/// The same for `Option<&'static str>`.
pub(crate) mod option {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the option.
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<&'static str>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_some(*v),
            None => s.serialize_none(),
        }
    }

    /// Reads the option.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<&'static str>, D::Error> {
        Option::<String>::deserialize(d).map(|o| o.map(super::intern))
    }
}
