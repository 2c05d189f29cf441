//! The scan cache never changes a result: every scenario and the sample corpora give the bytes
//! of a `--no-cache` run cold, warm, with the cache written by `-j 1` and read by `-j 8`, after
//! files are touched, after a certificate is edited, and after the cache is corrupted. Each
//! warm run must also have used the cache (`--timings` says how many files came from it), or
//! the comparison would prove nothing.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::path::Path;
use std::process::Output;

use crate::common;

fn run(dir: &Path, cache: &Path, args: &[&str]) -> Output {
    let cache = cache.to_str().expect("utf-8 path");
    run_with_env(dir, args, &[("TRUSTLINT_CACHE_DIR", cache)])
}

/// `check --format json --timings` and `args` in `dir` with `vars` set.
fn run_with_env(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut all = vec![
        "check",
        "--now",
        common::NOW,
        "--format",
        "json",
        "--timings",
    ];
    all.extend_from_slice(args);
    crate::binary::check_in(dir, &all, vars)
}

/// (files from the cache, confirmed by content, loaded), as `--timings` prints them.
fn cache_use(o: &Output) -> (usize, usize, usize) {
    let stderr = String::from_utf8_lossy(&o.stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("trustlint: cache ") && l.contains("from the cache"))
        .unwrap_or_else(|| panic!("no cache line in {stderr}"));
    let numbers: Vec<usize> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    match numbers.as_slice() {
        [hits, confirmed, loaded] => (*hits, *confirmed, *loaded),
        _ => panic!("{line}"),
    }
}

fn uncached(dir: &Path, path: &str) -> Vec<u8> {
    uncached_with(dir, path, &[])
}

fn uncached_with(dir: &Path, path: &str, extra: &[&str]) -> Vec<u8> {
    let mut args = vec![
        "check",
        path,
        "--now",
        common::NOW,
        "--format",
        "json",
        "--no-cache",
    ];
    args.extend_from_slice(extra);
    crate::binary::check_in(dir, &args, &[]).stdout
}

/// Cold (`-j 1`, writing), then warm (`-j 8`, reading): both the bytes of `--no-cache`, the warm
/// run with every file from the cache.
fn cold_then_warm(dir: &Path, path: &str, cache: &Path) {
    // SARIF as well as JSON: SARIF reads each file's text (a region ends where its item does),
    // so it shows that a text from the cache (a PEM file's, rebuilt from its certificates) is
    // the file's.
    let out = tempfile::tempdir().expect("tempdir");
    let sarif = |run: &str| out.path().join(format!("{run}.sarif"));
    let output = |run: &str| format!("sarif={}", sarif(run).display());
    let read = |run: &str| std::fs::read(sarif(run)).expect("SARIF written");
    let expected = uncached_with(dir, path, &["--output", &output("uncached")]);
    let cold = run(dir, cache, &[path, "-j", "1", "--output", &output("cold")]);
    assert_eq!(cold.stdout, expected, "{path}: cold run");
    assert!(read("cold") == read("uncached"), "{path}: cold run's SARIF");
    let (_, _, loaded) = cache_use(&cold);
    assert!(loaded > 0, "{path}: the cold run loaded nothing");
    let warm = run(dir, cache, &[path, "-j", "8", "--output", &output("warm")]);
    assert_eq!(warm.stdout, expected, "{path}: warm run");
    assert!(read("warm") == read("uncached"), "{path}: warm run's SARIF");
    assert_eq!(
        cache_use(&warm),
        (loaded, 0, 0),
        "{path}: the warm run did not take every file from the cache"
    );
}

#[test]
fn every_scenario_gives_the_same_bytes_cold_and_warm() {
    let cache = tempfile::tempdir().expect("tempdir");
    for scenario in std::fs::read_dir("testdata/scenarios").expect("scenarios") {
        let dir = scenario.expect("entry").path();
        cold_then_warm(&dir, ".", cache.path());
    }
    // The whole folder at once: another bundle, the same entries (keyed by file).
    let expected = uncached(Path::new("."), "testdata/scenarios");
    let o = run(Path::new("."), cache.path(), &["testdata/scenarios"]);
    assert_eq!(o.stdout, expected);
}

#[test]
fn the_sample_corpora_give_the_same_bytes_cold_and_warm() {
    let cache = tempfile::tempdir().expect("tempdir");
    cold_then_warm(Path::new("."), common::SAMPLES, cache.path());
}

#[test]
fn touched_edited_and_corrupted_give_the_same_bytes_as_no_cache() {
    let work = tempfile::tempdir().expect("tempdir");
    let tree = work.path().join("bundle");
    common::copy_tree("testdata/scenarios/cloud-pki-aovpn", &tree);
    // Files changed in the second their entry is written are always confirmed by content (the
    // stamp cannot tell): the copies are dated an hour back, as files in a repository are.
    let hour = std::time::Duration::from_secs(3600);
    let touch = |when: std::time::SystemTime| {
        let mut files = 0;
        for entry in walkdir::WalkDir::new(&tree) {
            let entry = entry.expect("walk");
            if entry.file_type().is_file() {
                let f = std::fs::File::options()
                    .append(true)
                    .open(entry.path())
                    .expect("open");
                f.set_modified(when).expect("set mtime");
                files += 1;
            }
        }
        files
    };
    touch(std::time::SystemTime::now() - 2 * hour);
    let cache = work.path().join("cache");
    cold_then_warm(&tree, ".", &cache);

    // Touched: new modification times, the same content. Confirmed by a digest, not parsed.
    let files = touch(std::time::SystemTime::now() - hour);
    let touched = run(&tree, &cache, &["."]);
    assert_eq!(touched.stdout, uncached(&tree, "."));
    let (hits, confirmed, loaded) = cache_use(&touched);
    assert_eq!((hits, loaded), (0, 0), "{:?}", cache_use(&touched));
    assert!(confirmed > 0 && confirmed <= files);

    // One certificate edited: the issuing CA replaced by the root (same size or not). The
    // result changes, as without the cache.
    let before = touched.stdout;
    let issuing = tree.join("certs/cloud-pki/Contoso Cloud PKI Issuing CA.cer");
    std::fs::copy(
        tree.join("certs/cloud-pki/Contoso Cloud PKI Root CA.cer"),
        &issuing,
    )
    .expect("edit");
    // Dated as the others: only its size and content tell it changed.
    std::fs::File::options()
        .append(true)
        .open(&issuing)
        .expect("open")
        .set_modified(std::time::SystemTime::now() - hour)
        .expect("set mtime");
    let edited = run(&tree, &cache, &["."]);
    let expected = uncached(&tree, ".");
    assert_ne!(
        expected, before,
        "the edit changes nothing: the test proves nothing"
    );
    assert_eq!(edited.stdout, expected);
    assert!(
        cache_use(&edited).2 >= 1,
        "the edited file was not loaded afresh"
    );

    // Corrupted: every cache file cut short or overwritten. Ignored (a note), rebuilt.
    let mut damaged = 0;
    for entry in walkdir::WalkDir::new(&cache) {
        let entry = entry.expect("walk");
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_file() && name.ends_with(".bin") {
            let bytes = std::fs::read(entry.path()).expect("read");
            let cut = if damaged % 2 == 0 {
                bytes.get(..bytes.len() / 2).unwrap_or_default().to_vec()
            } else {
                let mut b = bytes.clone();
                if let Some(x) = b.last_mut() {
                    *x ^= 0xff;
                }
                b
            };
            std::fs::write(entry.path(), cut).expect("damage");
            damaged += 1;
        }
    }
    assert!(damaged >= 2, "no cache file to damage");
    let after = run(&tree, &cache, &["."]);
    assert_eq!(after.stdout, expected);
    assert!(
        String::from_utf8_lossy(&after.stderr).contains("ignored and will be rebuilt"),
        "{}",
        String::from_utf8_lossy(&after.stderr)
    );
    // Rebuilt: the next run takes every file from it again.
    let again = run(&tree, &cache, &["."]);
    assert_eq!(again.stdout, expected);
    assert_eq!(cache_use(&again).1 + cache_use(&again).2, 0);
}

#[test]
fn cache_info_and_clean_touch_only_a_cache_trustlint_made() {
    let work = tempfile::tempdir().expect("tempdir");
    let cache = work.path().join("cache");
    run(
        Path::new("testdata/scenarios/cloud-pki-aovpn"),
        &cache,
        &["."],
    );
    let cache_arg = cache.to_str().expect("utf-8");
    let bin = env!("CARGO_BIN_EXE_trustlint");
    let info = std::process::Command::new(bin)
        .args(["cache", "info", "--cache-dir", cache_arg])
        .output()
        .expect("info");
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(
        text.contains("(this build)") && text.contains("MiB"),
        "{text}"
    );
    // A folder without trustlint's tag is not removed.
    let other = work.path().join("precious");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(other.join("keep.txt"), "x").expect("write");
    let refused = std::process::Command::new(bin)
        .args([
            "cache",
            "clean",
            "--cache-dir",
            other.to_str().expect("utf-8"),
        ])
        .output()
        .expect("clean");
    assert!(!refused.status.success());
    assert!(other.join("keep.txt").exists());
    let cleaned = std::process::Command::new(bin)
        .args(["cache", "clean", "--cache-dir", cache_arg])
        .output()
        .expect("clean");
    assert!(cleaned.status.success(), "{cleaned:?}");
    assert!(!cache.exists());
}

/// A CI job starts from an empty cache: with `CI` set and no cache folder named, the scan
/// writes nothing and `--timings` says why; naming a folder turns the cache on, with the same
/// result.
#[test]
fn ci_jobs_use_the_cache_only_when_a_folder_is_named() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path().to_str().expect("utf-8");
    let xdg = format!("{h}/xdg");
    let named = format!("{h}/named");
    let dir = Path::new("testdata/scenarios/cloud-pki-aovpn");
    let base = [("HOME", h), ("XDG_CACHE_HOME", xdg.as_str())];
    let run_with = |extra: &[(&str, &str)]| {
        let mut vars = base.to_vec();
        vars.extend_from_slice(extra);
        run_with_env(dir, &["."], &vars)
    };
    let off = run_with(&[("CI", "true"), ("TRUSTLINT_CACHE_DIR", "")]);
    let stderr = String::from_utf8_lossy(&off.stderr);
    assert!(stderr.contains("cache        off: CI is set"), "{stderr}");
    let written = walkdir::WalkDir::new(home.path())
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .count();
    assert_eq!(
        written, 0,
        "a CI scan without a named cache folder wrote a cache"
    );
    let on = run_with(&[("CI", "true"), ("TRUSTLINT_CACHE_DIR", named.as_str())]);
    assert_eq!(
        cache_use(&on).2,
        7,
        "{}",
        String::from_utf8_lossy(&on.stderr)
    );
    assert!(Path::new(&named).join("CACHEDIR.TAG").exists());
    assert_eq!(off.stdout, on.stdout);
    // Outside CI the default folder is used.
    let local = run_with(&[("TRUSTLINT_CACHE_DIR", "")]);
    assert!(
        Path::new(&xdg)
            .join("trustlint")
            .join("CACHEDIR.TAG")
            .exists()
    );
    assert_eq!(local.stdout, on.stdout);
}

/// A cache smaller than the corpus keeps what fits, within its bound, and never changes a
/// result: the warm run takes some files from it and loads the rest.
#[test]
fn a_cache_smaller_than_the_corpus_stays_within_its_bound() {
    let work = tempfile::tempdir().expect("tempdir");
    let cache = work.path().join("cache");
    let c = cache.to_str().expect("utf-8");
    let max = 2 * 1024 * 1024;
    let max_text = max.to_string();
    let vars = [
        ("TRUSTLINT_CACHE_DIR", c),
        ("TRUSTLINT_CACHE_MAX_BYTES", max_text.as_str()),
    ];
    let no_cache = run_with_env(Path::new("."), &[common::SAMPLES, "--no-cache"], &vars);
    let cold = run_with_env(Path::new("."), &[common::SAMPLES, "-j", "2"], &vars);
    let warm = run_with_env(Path::new("."), &[common::SAMPLES, "-j", "2"], &vars);
    assert_eq!(cold.stdout, no_cache.stdout);
    assert_eq!(warm.stdout, no_cache.stdout);
    let (hits, _, misses) = cache_use(&warm);
    assert!(hits > 0 && misses > 0, "hits {hits}, misses {misses}");
    let on_disk: u64 = walkdir::WalkDir::new(&cache)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    assert!(on_disk <= max, "{on_disk} bytes on disk, bound {max}");
    // The entries a scan used are kept before new ones: a second warm scan finds the cache as
    // the first left it, and uses the same entries (a cache that replaced them with new ones
    // on every scan would write it all each time).
    // Each shard file's bytes and modification time: a shard written again with the same
    // entries would keep its bytes and change its time.
    type Shards = Vec<(std::path::PathBuf, Vec<u8>, Option<std::time::SystemTime>)>;
    let contents = || -> Shards {
        let mut all: Shards = walkdir::WalkDir::new(&cache)
            .into_iter()
            .flatten()
            // The signature shards may drop and learn outcomes again within so small a bound.
            .filter(|e| {
                e.file_type().is_file()
                    && !e.path().components().any(|c| c.as_os_str() == "signatures")
            })
            .map(|e| {
                let bytes = std::fs::read(e.path()).expect("read");
                let modified = e.metadata().ok().and_then(|m| m.modified().ok());
                (e.into_path(), bytes, modified)
            })
            .collect();
        all.sort();
        all
    };
    let after_first = contents();
    let again = run_with_env(Path::new("."), &[common::SAMPLES, "-j", "2"], &vars);
    assert_eq!(again.stdout, no_cache.stdout);
    assert_eq!(
        cache_use(&again).0,
        hits,
        "the second warm scan used other entries"
    );
    assert!(
        contents() == after_first,
        "the second warm scan rewrote the cache's shards"
    );
}
