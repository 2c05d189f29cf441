//! Embeds every built-in rule (`rules/**/*.yaml`) into the binary: the file existing is its
//! registration. Also embeds the generated rule pages (`docs/rules/*.md`), which `trustlint
//! explain` prints; a test keeps them in step with the rules.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = String::new();
    embed(
        &mut out,
        &manifest.join("rules"),
        &["yaml", "yml"],
        "/// Built-in rules: (path below `rules/`, YAML text), sorted by path.\npub(crate) static BUILTIN_RULES",
    );
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
}

fn embed(out: &mut String, root: &Path, extensions: &[&str], declaration: &str) {
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(root, extensions, &mut files);
    files.sort();
    let _ = writeln!(out, "{declaration}: &[(&str, &str)] = &[");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            f.display().to_string()
        );
    }
    out.push_str("];\n");
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
