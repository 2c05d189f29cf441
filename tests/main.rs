//! The integration tests, as one binary: each module was a test binary of its own, and 15
//! binaries each linked the whole crate. `cargo test <module>::` runs one module's tests,
//! `cargo test <rule_name>` one rule's fixtures (see `rules::fixtures`).

mod common;

mod bad_input;
mod certgen;
mod cli;
mod corpora;
mod docs;
mod engine;
mod hooks;
mod identity;
mod loaders;
mod mutation;
mod policy;
mod promises;
mod report_formats;
mod revocation_semantics;
mod rules;
mod scenarios;
