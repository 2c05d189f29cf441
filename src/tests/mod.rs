//! Tests that look inside the pipeline (loaders, facts, the condition language, identities,
//! mutants, the real-world corpora), so they live in the crate: the pipeline's modules are not
//! public. The integration tests of `tests/` use the front door only. `trustlint::` paths work
//! here as in `tests/` (lib.rs names the crate after itself in test builds), and the helpers of
//! `tests/common` are shared.

#[path = "../../tests/common/mod.rs"]
mod common;

mod bad_input;
mod corpora;
mod engine;
mod identity;
mod loaders;
mod mutation;
mod profiles;
