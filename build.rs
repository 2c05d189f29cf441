//! Embeds every built-in rule (`rules/**/*.yaml`) into the binary: the file existing is its
//! registration. Also embeds the generated rule pages (`docs/rules/*.md`), which `trustlint
//! explain` prints; a test keeps them in step with the rules.

use std::fmt::Write;
use std::path::{Path, PathBuf};

#[allow(
    clippy::print_stderr,
    reason = "a build script tells cargo why it failed on stderr"
)]
fn main() {
    // Read when the script runs, not when it is compiled (`env!`): cargo reuses a compiled build
    // script for another checkout of the package sharing the target folder, which then embedded
    // that checkout's rules (or none, once it was gone) and fingerprinted its loaders.
    let Some(manifest) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        eprintln!("build.rs: cargo did not set CARGO_MANIFEST_DIR");
        std::process::exit(1);
    };
    let manifest = manifest.as_path();
    let mut out = String::new();
    if !embed_rules(&mut out, &manifest.join("rules")) {
        // A binary without its rules reports every bundle clean: never build one.
        eprintln!(
            "build.rs: no rule found below {}",
            manifest.join("rules").display()
        );
        std::process::exit(1);
    }
    embed(
        &mut out,
        &manifest.join("docs/rules"),
        &["md"],
        "/// Rule pages: (path below `docs/rules/`, Markdown), sorted by path.\npub(crate) static BUILTIN_RULE_PAGES",
    );
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("builtin_rules.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
    println!(
        "cargo:rustc-env=TRUSTLINT_LOADER_FINGERPRINT={:016x}",
        loader_fingerprint(manifest)
    );
    let tests = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("rule_fixture_tests.rs");
    if let Err(e) = std::fs::write(&tests, rule_fixture_tests(&manifest.join("rules"))) {
        println!("cargo:warning=cannot write {}: {e}", tests.display());
    }
}

/// One `#[test]` per built-in rule, named after the rule (`issuing-ca-without-cdp` becomes
/// `issuing_ca_without_cdp`), for `tests/rules.rs` to include: `cargo test <rule_name>` then runs
/// that rule's fixtures alone, and a failing rule is named by its own test.
fn rule_fixture_tests(root: &Path) -> String {
    let mut out = String::new();
    for (file, _) in sources(root, &["yaml", "yml"]) {
        let Some(name) = file.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let _ = writeln!(
            out,
            "#[test]\nfn {}() {{\n    super::assert_rule_fixtures({name:?});\n}}",
            name.replace('-', "_")
        );
    }
    out
}

fn embed(out: &mut String, root: &Path, extensions: &[&str], declaration: &str) {
    let _ = writeln!(out, "{declaration}: &[(&str, &str)] = &[");
    for (file, rel) in sources(root, extensions) {
        let _ = writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            file.display().to_string()
        );
    }
    out.push_str("];\n");
}

/// FNV-1a over the code that decides what the scan cache holds (the loaders, places, signature
/// checks, the cache itself) and the dependency versions (Cargo.lock, when the package has it): a build whose
/// loaders differ in any byte never reads another build's entries, even at the same version.
fn loader_fingerprint(manifest: &Path) -> u64 {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["src/load", "src/cache"] {
        files.extend(
            sources(&manifest.join(dir), &["rs"])
                .into_iter()
                .map(|(f, _)| f),
        );
    }
    for file in ["src/location.rs", "src/facts/signature.rs", "Cargo.lock"] {
        let f = manifest.join(file);
        println!("cargo:rerun-if-changed={}", f.display());
        files.push(f);
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for f in files {
        let name = f
            .strip_prefix(manifest)
            .unwrap_or(&f)
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&f).unwrap_or_default();
        for b in name.bytes().chain([0]).chain(bytes).chain([0]) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Each built-in rule as its YAML (what errors and docs quote) and, where it converts, the same
/// document as JSON: libyaml parsing of the 40 built-in rules was most of the start-up time of a
/// small scan, and JSON of the same values parses in a fraction of it. A rule that does not
/// convert (YAML the build cannot read) keeps `None` and is parsed, and reported, from its YAML.
/// Read as YAML values, mappings keep their order in the JSON (a `scope` key must come first in
/// its condition; serde_json's own maps would sort the keys).
/// False when there is no rule to embed.
fn embed_rules(out: &mut String, root: &Path) -> bool {
    out.push_str(
        "/// Built-in rules: (path below `rules/`, YAML text, the same as JSON), sorted by path.\n",
    );
    out.push_str("pub(crate) static BUILTIN_RULES: &[(&str, &str, Option<&str>)] = &[\n");
    let rules = sources(root, &["yaml", "yml"]);
    let found = !rules.is_empty();
    for (file, rel) in rules {
        let json = std::fs::read_to_string(&file)
            .ok()
            .and_then(|text| serde_yaml::from_str::<serde_yaml::Value>(&text).ok())
            .and_then(|value| serde_json::to_string(&value).ok());
        let _ = writeln!(
            out,
            "    ({rel:?}, include_str!({:?}), {json:?}),",
            file.display().to_string()
        );
    }
    out.push_str("];\n");
    found
}

/// The files below `root` with these extensions, sorted, each with its path below `root`; the
/// build reruns when any of them (or the folder) changes.
fn sources(root: &Path, extensions: &[&str]) -> Vec<(PathBuf, String)> {
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(root, extensions, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            println!("cargo:rerun-if-changed={}", f.display());
            let rel = f
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            (f, rel)
        })
        .collect()
}

fn collect(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, extensions, out);
        } else if p
            .extension()
            .is_some_and(|x| extensions.iter().any(|e| x == *e))
        {
            out.push(p);
        }
    }
}
