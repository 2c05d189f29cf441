//! The path of a `Location` through serde. Every place in a cached file names that file, so a
//! cached record writes "this file" instead of the path, and reading it gives every place the
//! one shared path of the file being read (as the loader does), not a copy each. A place in
//! another file (none today) keeps its own path.

use std::cell::RefCell;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

thread_local! {
    static CURRENT: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
}

/// Runs `f` with `path` as the file whose places are written or read.
pub(crate) fn with_file<R>(path: &Arc<str>, f: impl FnOnce() -> R) -> R {
    let before = CURRENT.with(|c| c.replace(Some(path.clone())));
    let out = f();
    CURRENT.with(|c| *c.borrow_mut() = before);
    out
}

fn current() -> Option<Arc<str>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Writes nothing for the current file's path, else the path.
pub(crate) fn serialize<S: Serializer>(value: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    let same = current().is_some_and(|c| Arc::ptr_eq(&c, value) || *c == **value);
    let written: Option<&str> = if same { None } else { Some(value) };
    written.serialize(s)
}

/// Reads a path, or the current file's.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(p) => Ok(Arc::from(p)),
        None => current().ok_or_else(|| serde::de::Error::custom("a place without its file")),
    }
}
