//! trustlint's promises, as tests: offline (no network crate in the dependency tree; CI also
//! runs a scan under strace), read-only (a scan changes no byte and no mtime of what it reads),
//! no key leak (no line of key material in any output), and determinism (the same bytes for any
//! thread count and for the same tree created in another order).

#![allow(clippy::expect_used, clippy::indexing_slicing, reason = "test code")]

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

fn trustlint(dir: &Path, args: &[&str]) -> Output {
    trustlint_cached(dir, &dir.join("cache"), args)
}

/// A run with its scan cache in `cache`.
fn trustlint_cached(dir: &Path, cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .args(args)
        .current_dir(dir)
        .env("CI", "1")
        .env("TRUSTLINT_CACHE_DIR", cache)
        .output()
        .expect("run trustlint")
}

const FORMATS: [&str; 5] = ["human", "json", "sarif", "junit", "github"];

/// Crates that open sockets or resolve names: none may be in trustlint's build.
const NETWORK_CRATES: [&str; 18] = [
    "hyper",
    "reqwest",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "attohttpc",
    "surf",
    "h2",
    "h3",
    "quinn",
    "mio",
    "socket2",
    "tokio",
    "async-std",
    "hickory-resolver",
    "trust-dns-resolver",
    "native-tls",
];

#[test]
fn offline_no_network_crate_in_the_dependency_tree() {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "--locked",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        crates.contains(&"x509-parser"),
        "the tree was read: {}",
        crates.len()
    );
    let found: Vec<&&str> = crates
        .iter()
        .filter(|c| NETWORK_CRATES.contains(c))
        .collect();
    assert!(found.is_empty(), "network crates in the build: {found:?}");
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    for e in walk(dir) {
        let meta = std::fs::metadata(&e).expect("metadata");
        let bytes = if meta.is_file() {
            std::fs::read(&e).expect("read")
        } else {
            Vec::new()
        };
        out.insert(e, (bytes, meta.modified().expect("mtime")));
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn set_readonly(dir: &Path, readonly: bool) {
    for p in walk(dir).into_iter().rev() {
        let mut perms = std::fs::metadata(&p).expect("metadata").permissions();
        perms.set_readonly(readonly);
        std::fs::set_permissions(&p, perms).expect("chmod");
    }
}

#[test]
fn read_only_a_scan_changes_nothing_it_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tree = dir.path().join("scenarios");
    common::copy_tree("testdata/scenarios", &tree);
    set_readonly(&tree, true);
    let before = snapshot(&tree);
    let outputs = dir.path().join("out");
    std::fs::create_dir(&outputs).expect("out dir");
    for format in FORMATS {
        let file = outputs.join(format!("report.{format}"));
        let o = trustlint(
            dir.path(),
            &[
                "check",
                "scenarios",
                "--now",
                common::NOW,
                "--format",
                format,
                "--output",
                &format!("{format}={}", file.display()),
            ],
        );
        assert_eq!(
            o.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let o = trustlint(
        dir.path(),
        &[
            "chain",
            "scenarios/cloud-pki-aovpn/certs/users/alice.contoso.com.cer",
            "scenarios",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    // The scans above wrote the cache beside the tree; a cache folder below a scanned path is
    // not used (and not made).
    assert!(dir.path().join("cache/CACHEDIR.TAG").exists());
    let o = trustlint_cached(
        dir.path(),
        &tree.join("cloud-pki-aovpn/.cache"),
        &["check", "scenarios", "--now", common::NOW],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("runs without the cache"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let after = snapshot(&tree);
    set_readonly(&tree, false);
    assert_eq!(before.len(), after.len(), "files appeared or vanished");
    for (path, (bytes, mtime)) in &before {
        let (b, m) = &after[path];
        assert!(b == bytes && m == mtime, "{} changed", path.display());
    }
}

/// Every run of 16 or more characters of a key's body (its base64 lines, and the hex of its
/// bytes) that an output must never contain.
fn key_fragments(pem_text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut body = String::new();
    for line in pem_text.lines() {
        if line.starts_with("-----BEGIN") {
            inside = line.contains("PRIVATE KEY");
            continue;
        }
        if line.starts_with("-----END") {
            inside = false;
            continue;
        }
        if inside && !line.contains(':') && line.len() >= 16 {
            out.push(line[..16].to_owned());
            out.push(line[line.len() - 16..].to_owned());
            body.push_str(line);
        }
    }
    use base64::Engine as _;
    if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(body.as_bytes()) {
        for chunk in der.chunks_exact(8).skip(2).take(20) {
            out.push(common::hex(chunk));
        }
    }
    out
}

#[test]
fn no_key_leak_in_any_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keys = dir.path().join("keys");
    common::copy_tree("tests/promises/keys", &keys);
    std::fs::remove_file(keys.join("README.md")).expect("readme");
    // A key inside a certificate bundle, and a PKCS#12 file.
    let bundle = format!(
        "{}{}",
        std::fs::read_to_string("testdata/rules/private-key-in-bundle/fail/nps01-bundle.pem")
            .expect("bundle"),
        std::fs::read_to_string("tests/promises/keys/rsa-pkcs1.pem").expect("key")
    );
    std::fs::write(keys.join("bundle.pem"), &bundle).expect("write");
    std::fs::copy(
        "testdata/rules/protected-key-in-bundle/fail/alice.pfx",
        keys.join("alice.pfx"),
    )
    .expect("pfx");
    let mut fragments = Vec::new();
    for f in [
        "rsa-pkcs1.pem",
        "ec-sec1.pem",
        "ec-pkcs8.pem",
        "encrypted-pkcs8.pem",
        "bundle.pem",
    ] {
        fragments.extend(key_fragments(
            &std::fs::read_to_string(keys.join(f)).expect("key"),
        ));
    }
    let pfx = std::fs::read(keys.join("alice.pfx")).expect("pfx");
    // Whole 8-byte chunks only: a file's short tail (one byte is two hex digits) would turn up
    // in any output by chance.
    for chunk in pfx.chunks_exact(8).skip(8).take(40) {
        fragments.push(common::hex(chunk));
    }
    assert!(fragments.len() > 100);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("out");
    let mut texts = Vec::new();
    for format in FORMATS {
        let file = out_dir.join(format);
        let o = trustlint(
            dir.path(),
            &[
                "check",
                "keys",
                "--now",
                common::NOW,
                "--format",
                format,
                "--output",
                &format!("{format}={}", file.display()),
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{format}");
        texts.push(String::from_utf8_lossy(&o.stdout).into_owned());
        texts.push(String::from_utf8_lossy(&o.stderr).into_owned());
        texts.push(std::fs::read_to_string(&file).expect("output"));
    }
    // The keys were found and reported.
    assert!(
        texts
            .iter()
            .any(|t| t.contains("private-key-in-bundle") && t.contains("ec-sec1.pem"))
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("protected-key-in-bundle") && t.contains("alice.pfx"))
    );
    for t in &texts {
        for f in &fragments {
            assert!(!t.contains(f.as_str()), "key material '{f}' in an output");
        }
    }
    // Nor in the scan cache the runs wrote: neither the base64 of a key nor its bytes.
    let mut cached = Vec::new();
    for p in walk(&dir.path().join("cache")) {
        if p.is_file() {
            cached.extend(std::fs::read(&p).expect("cache file"));
        }
    }
    assert!(cached.len() > 1000, "the runs wrote no cache");
    let has = |needle: &[u8]| cached.windows(needle.len()).any(|w| w == needle);
    for f in &fragments {
        if !f.bytes().all(|b| b.is_ascii_hexdigit()) {
            assert!(!has(f.as_bytes()), "key material '{f}' in the cache");
        }
    }
    // The private part of an RSA key (past its modulus, which the certificate makes public:
    // the private exponent and the primes), byte for byte.
    use base64::Engine as _;
    let rsa = std::fs::read_to_string(keys.join("rsa-pkcs1.pem")).expect("key");
    let body: String = rsa.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("base64");
    assert!(der.len() > 1000);
    for chunk in der.chunks_exact(8).skip(50).take(60) {
        assert!(
            !has(chunk),
            "private key bytes {} in the cache",
            common::hex(chunk)
        );
    }
}

fn json_of(dir: &Path, cache: &Path, path: &str, threads: &str, format: &str) -> Vec<u8> {
    let o = trustlint_cached(
        dir,
        cache,
        &[
            "check",
            path,
            "--now",
            common::NOW,
            "--format",
            format,
            "-j",
            threads,
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    o.stdout
}

#[test]
fn deterministic_for_any_thread_count_and_creation_order() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The cache outside the checkout: a run from the repository must not leave a folder in it.
    let cache = tempfile::tempdir().expect("tempdir");
    for format in ["json", "sarif"] {
        let one = json_of(here, cache.path(), "testdata", "1", format);
        let json = |threads| json_of(here, cache.path(), "testdata", threads, format);
        assert_eq!(one, json("2"), "{format} -j 2");
        assert_eq!(one, json("8"), "{format} -j 8");
    }
    // The same tree, its files created in the opposite order (directory order differs).
    let mut files = walk(Path::new("testdata/scenarios"));
    files.retain(|p| p.is_file());
    files.sort();
    let make = |order: &mut dyn Iterator<Item = &PathBuf>| {
        let dir = tempfile::tempdir().expect("tempdir");
        for f in order {
            let target = dir
                .path()
                .join("scenarios")
                .join(f.strip_prefix("testdata/scenarios").expect("below"));
            std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            std::fs::copy(f, &target).expect("copy");
        }
        dir
    };
    let forward = make(&mut files.iter());
    let backward = make(&mut files.iter().rev());
    for format in ["json", "sarif", "junit", "human"] {
        assert_eq!(
            json_of(
                forward.path(),
                &forward.path().join("cache"),
                "scenarios",
                "4",
                format
            ),
            json_of(
                backward.path(),
                &backward.path().join("cache"),
                "scenarios",
                "4",
                format
            ),
            "{format}"
        );
    }
}
