//! The integration tests, as one binary: each module was a test binary of its own, and 15
//! binaries each linked the whole crate. `cargo test <module>::` runs one module's tests,
//! `cargo test <rule_name>` one rule's fixtures (see `rules::fixtures`).

mod binary;
mod common;
#[path = "../benches/stress/mod.rs"]
mod stress;

mod cache;
mod cert_stores;
mod certgen;
mod cli;
mod docs;
mod hooks;
mod intune_shapes;
mod limbo;
mod nps;
mod path_building;
mod policy;
mod promises;
mod report_formats;
mod revocation_semantics;
mod rules;
mod scale;
mod scenarios;
mod secrets;
mod streamed;
mod wifi;
