//! A streamed scan: the leaves in chunks, never all in memory at once.
//!
//! A CA's issued certificates (10^6 of them in an audit) are end-entity certificates that
//! issue nothing: each needs the CAs and CRLs to build its chain and check its revocation, and
//! no other leaf. Files that hold only such certificates are written, as loaded, to a spill
//! file outside the scanned paths while the scan loads; the rest of the bundle (the context:
//! CAs, CRLs, every other file) stays in memory. The leaves then come back in chunks, each
//! joined with the context:
//!
//! - pass 1 builds each chunk's chains and counts what its leaves add to the context (how many
//!   certificates a CA issued, whether it is on a client-auth chain; src/facts/outside.rs);
//! - pass 2 joins each chunk again with what all the other leaves add, and evaluates the
//!   certificate rules on its leaves (signature checks answered from pass 1);
//! - the context is then joined alone, with what every leaf adds, and every other rule runs.
//!
//! Each partial bundle then holds the facts the whole bundle would, so the findings are the
//! same bytes (a test runs every scenario both ways). A leaf that might be another certificate's
//! or a CRL's issuer (its subject or key identifier is one some certificate or CRL names), and a
//! leaf also held by a context file, joins the context instead. A bundle with client profiles,
//! registry snapshots or NPS exports, whose joins reach every leaf, is scanned whole, as is one
//! whose issuer searches would share the scan's budget differently in parts (a crafted bundle).

use std::collections::{HashMap, HashSet};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::num::NonZeroU64;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

// The issuer index's hash: a leaf joins the context when the index could match it.
use crate::facts::id::Id as _;
use crate::facts::issuer_index::hash;
use crate::facts::{self, Bundle, Partial, outside::OutsideLeaves};
use rayon::prelude::*;

use crate::load::{Artifact, FileText, LoadedFile};

/// Leaves per chunk when a scan streams on its own: about 225 MB of leaves in flight.
pub const DEFAULT_CHUNK: usize = 50_000;

/// Files from which a scan streams its leaves when no chunk size is asked for: below it, a
/// whole scan fits in a few hundred megabytes and the second join costs more than it saves.
pub const AUTO_FILES: usize = 200_000;

/// Where leaf files wait between loading and their chunk: an unnamed temporary file, or memory
/// when the temporary folder is below a scanned path (nothing is ever written there).
pub(crate) struct Spill {
    store: Mutex<Store>,
    /// Files whose loaded form could not be read back, and why: each is reported as a file
    /// that could not be read, never dropped.
    lost: Mutex<HashMap<Arc<str>, String>>,
}

enum Store {
    File { file: std::fs::File, len: u64 },
    Memory(Vec<u8>),
}

/// Where one file's loaded form is in the spill.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spilled {
    at: u64,
    len: u32,
}

impl Spill {
    /// A spill outside `scanned`.
    pub(crate) fn new(scanned: &[PathBuf]) -> Spill {
        let dir = std::env::temp_dir();
        let inside = scanned.iter().any(|p| crate::cache::is_within(&dir, p));
        let store = match tempfile::tempfile_in(&dir) {
            Ok(file) if !inside => Store::File { file, len: 0 },
            _ => Store::Memory(Vec::new()),
        };
        Spill {
            store: Mutex::new(store),
            lost: Mutex::new(HashMap::new()),
        }
    }

    fn put(&self, bytes: &[u8]) -> Option<Spilled> {
        let len = u32::try_from(bytes.len()).ok()?;
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *store {
            Store::File { file, len: end } => {
                let at = *end;
                file.seek(SeekFrom::Start(at)).ok()?;
                file.write_all(bytes).ok()?;
                *end = at.saturating_add(u64::from(len));
                Some(Spilled { at, len })
            }
            Store::Memory(buf) => {
                let at = buf.len() as u64;
                buf.extend_from_slice(bytes);
                Some(Spilled { at, len })
            }
        }
    }

    fn get(&self, s: Spilled) -> Result<Vec<u8>, String> {
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *store {
            Store::File { file, .. } => {
                let mut out = vec![0; s.len as usize];
                file.seek(SeekFrom::Start(s.at))
                    .and_then(|_| file.read_exact(&mut out))
                    .map_err(|e| e.to_string())?;
                Ok(out)
            }
            Store::Memory(buf) => usize::try_from(s.at)
                .ok()
                .and_then(|at| buf.get(at..at.checked_add(s.len as usize)?))
                .map(<[u8]>::to_vec)
                .ok_or_else(|| "out of range".to_owned()),
        }
    }

    /// Writes `loaded` to the spill when it holds only leaves, keeping what its file fact and
    /// the chunking need; otherwise keeps it as it is.
    pub(crate) fn take(&self, loaded: LoadedFile) -> Kept {
        let Some(leaves) = leaf_keys(&loaded) else {
            return Kept::File(Box::new(loaded));
        };
        let Some(at) = crate::cache::encode(&loaded).and_then(|b| self.put(&b)) else {
            return Kept::File(Box::new(loaded));
        };
        Kept::Leaves(LeafStub {
            path: loaded.path,
            size: loaded.size,
            kind: loaded.kind,
            explicit: loaded.explicit,
            at,
            leaves: leaves.into_boxed_slice(),
        })
    }

    /// The file `stub` stands for, as loaded; if the spill cannot give it back, the file with
    /// that problem (a finding, as any file that cannot be read).
    fn bring_back(&self, stub: &LeafStub) -> LoadedFile {
        let read = self.get(stub.at).and_then(|bytes| {
            crate::cache::decode_as(&stub.path, &bytes).ok_or_else(|| "does not decode".to_owned())
        });
        match read {
            Ok(f) => f,
            Err(why) => {
                self.lost
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(stub.path.clone(), why.clone());
                unreadable(stub, why)
            }
        }
    }

    /// The fact of `stub`'s file, as a whole scan has it (with a problem if the spill lost it).
    fn file_fact(&self, stub: &LeafStub) -> facts::FileFact {
        let lost = self.lost.lock().unwrap_or_else(|e| e.into_inner());
        let problem = lost
            .get(&stub.path)
            .map(|why| lost_problem(stub, why.clone()));
        facts::FileFact {
            location: crate::location::Location::file(stub.path.clone()),
            kind: stub.kind,
            size: stub.size,
            problem,
            skipped: None,
            explicit: stub.explicit,
            next_page: None,
        }
    }
}

/// A file as loading kept it: whole, or its leaves in the spill.
pub(crate) enum Kept {
    File(Box<LoadedFile>),
    Leaves(LeafStub),
}

/// A file of leaves in the spill: what its file fact needs, where it is, and its leaves' keys
/// (about 100 bytes, where a loaded file is 270 plus its certificates).
#[derive(Debug)]
pub(crate) struct LeafStub {
    path: Arc<str>,
    size: u64,
    kind: Option<crate::load::FileKind>,
    explicit: bool,
    at: Spilled,
    leaves: Box<[LeafKey]>,
}

fn lost_problem(stub: &LeafStub, why: String) -> crate::load::FileProblem {
    crate::load::FileProblem::Unparseable(crate::load::LoadError {
        problem: crate::load::LoadProblem::Unreadable(format!(
            "the streamed scan's temporary copy could not be read back ({why})"
        )),
        location: crate::location::Location::file(stub.path.clone()),
    })
}

/// A file the spill lost, as a file that could not be read.
fn unreadable(stub: &LeafStub, why: String) -> LoadedFile {
    LoadedFile {
        path: stub.path.clone(),
        size: stub.size,
        kind: stub.kind,
        text: None,
        artifacts: Vec::new(),
        problem: Some(lost_problem(stub, why)),
        skipped: None,
        explicit: stub.explicit,
        next_page: None,
    }
}

/// What decides where a leaf goes: its digest (duplicates go to one chunk), and the names and
/// key identifier by which some other object could name it as issuer.
#[derive(Debug, Clone, Copy)]
struct LeafKey {
    sha256: u128,
    subject: u64,
    subject_key_id: Option<NonZeroU64>,
    issuer: u64,
    authority_key_id: Option<NonZeroU64>,
    /// What it would add to its issuer and chain, as a leaf.
    flags: facts::outside::LeafFlags,
}

/// A key identifier's hash, never zero: an absent one takes no room beside it.
fn key_hash(k: &str) -> NonZeroU64 {
    NonZeroU64::new(hash(k.as_bytes())).unwrap_or(NonZeroU64::MIN)
}

/// The leaves of a file that holds nothing else (every artifact a certificate that is not a
/// CA, not self-issued and in no store export), read without a problem; `None` otherwise.
fn leaf_keys(f: &LoadedFile) -> Option<Vec<LeafKey>> {
    if f.artifacts.is_empty()
        || f.problem.is_some()
        || f.skipped.is_some()
        || f.next_page.is_some()
        || matches!(f.text, Some(FileText::Decoded(_)))
    {
        return None;
    }
    f.artifacts
        .iter()
        .map(|a| match a {
            Artifact::Certificate(c)
                if c.store_slot.is_none()
                    && !c.basic_constraints.is_some_and(|(ca, _)| ca)
                    && c.subject.der != c.issuer.der =>
            {
                Some(LeafKey {
                    sha256: crate::digest::prefix(&c.sha256),
                    subject: hash(&c.subject.der),
                    subject_key_id: c.subject_key_id.as_deref().map(key_hash),
                    issuer: hash(&c.issuer.der),
                    authority_key_id: c.authority_key_id.as_deref().map(key_hash),
                    flags: facts::outside::LeafFlags::of_data(c),
                })
            }
            _ => None,
        })
        .collect()
}

/// What a streamed scan produced: the findings of every partial bundle, and the bundle to
/// report from (the context and every file).
pub(crate) struct Streamed {
    pub(crate) bundle: Bundle,
    pub(crate) leaf_findings: Vec<crate::report::Finding>,
    pub(crate) leaf_sources: Vec<(Arc<str>, crate::load::SourceText)>,
    /// The two passes over the chunks, for `--timings`.
    pub(crate) timings: crate::timings::Stopwatch,
    /// The signature outcomes, with what the scan learned.
    pub(crate) memo: facts::signature::SignatureMemo,
}

/// What a scan that spilled its leaves joins whole after all: every file, leaves restored.
pub(crate) struct WholeScan {
    pub(crate) files: Vec<LoadedFile>,
    pub(crate) problems: Vec<crate::discover::WalkProblem>,
    pub(crate) memo: facts::signature::SignatureMemo,
}

/// How a scan that spilled its leaves went on.
pub(crate) enum Outcome {
    Streamed(Box<Streamed>),
    Whole(WholeScan),
}

/// Runs the streamed scan of `loaded` (leaf files spilled as `leaf_files` says, by index), or
/// gives the files back, leaves restored, for a whole scan.
#[allow(
    clippy::too_many_arguments,
    reason = "one call site: scan_bundle's state"
)]
pub(crate) fn scan(
    spill: &Spill,
    loaded: Vec<Kept>,
    problems: Vec<crate::discover::WalkProblem>,
    now: i64,
    memo: facts::signature::SignatureMemo,
    chunk: usize,
    rules: &[crate::Rule],
    focus: &[PathBuf],
    root: Option<&Path>,
    configure: &dyn Fn(&mut Bundle),
) -> Outcome {
    let mut context: Vec<LoadedFile> = Vec::new();
    let mut stubs: Vec<LeafStub> = Vec::new();
    for kept in loaded {
        match kept {
            Kept::Leaves(l) => stubs.push(l),
            Kept::File(f) => context.push(*f),
        }
    }
    // Leaves that join the context: a possible issuer of something, or a duplicate of a
    // context certificate; with every file that shares a leaf with them.
    let mut named_issuers: HashSet<u64> = HashSet::new();
    let mut named_keys: HashSet<NonZeroU64> = HashSet::new();
    let mut context_digests: HashSet<u128> = HashSet::new();
    for f in &context {
        for a in &f.artifacts {
            match a {
                Artifact::Certificate(c) => {
                    named_issuers.insert(hash(&c.issuer.der));
                    if let Some(k) = &c.authority_key_id {
                        named_keys.insert(key_hash(k));
                    }
                    context_digests.insert(crate::digest::prefix(&c.sha256));
                }
                Artifact::Crl(c) => {
                    named_issuers.insert(hash(&c.issuer.der));
                    if let Some(k) = &c.authority_key_id {
                        named_keys.insert(key_hash(k));
                    }
                }
                _ => {}
            }
        }
    }
    for l in &stubs {
        for k in &l.leaves {
            named_issuers.insert(k.issuer);
            if let Some(a) = k.authority_key_id {
                named_keys.insert(a);
            }
        }
    }
    let groups = Groups::of(&stubs);
    let mut promoted = vec![false; groups.count];
    for (i, l) in stubs.iter().enumerate() {
        let joins_context = l.leaves.iter().any(|k| {
            named_issuers.contains(&k.subject)
                || k.subject_key_id.is_some_and(|s| named_keys.contains(&s))
                || context_digests.contains(&k.sha256)
        });
        if joins_context && let Some(p) = groups.of_file.get(i).and_then(|&g| promoted.get_mut(g)) {
            *p = true;
        }
    }
    let mut leaves: Vec<(LeafStub, usize)> = Vec::with_capacity(stubs.len());
    for (i, stub) in stubs.into_iter().enumerate() {
        let group = groups.of_file.get(i).copied().unwrap_or_default();
        if promoted.get(group).copied().unwrap_or(true) {
            context.push(spill.bring_back(&stub));
        } else {
            leaves.push((stub, group));
        }
    }
    if leaves.is_empty() || joins_every_leaf(&context) {
        return Outcome::Whole(whole(spill, context, &leaves, problems, memo));
    }

    // Chunks: whole groups, in file order, about `chunk` leaves each.
    let mut chunk_of_group: HashMap<usize, usize> = HashMap::new();
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    let mut in_last = 0usize;
    for (i, (l, group)) in leaves.iter().enumerate() {
        let k = match chunk_of_group.get(group) {
            Some(&k) => k,
            None => {
                if chunks.is_empty() || in_last >= chunk {
                    chunks.push(Vec::new());
                    in_last = 0;
                }
                let k = chunks.len() - 1;
                chunk_of_group.insert(*group, k);
                k
            }
        };
        if let Some(c) = chunks.get_mut(k) {
            c.push(i);
            if k + 1 == chunks.len() {
                in_last += l.leaves.len();
            }
        }
    }

    let context_bytes: Vec<(Arc<str>, Vec<u8>)> = context
        .iter()
        .filter_map(|f| Some((f.path.clone(), crate::cache::encode(f)?)))
        .collect();
    if context_bytes.len() != context.len() {
        return Outcome::Whole(whole(spill, context, &leaves, problems, memo));
    }
    drop(context);
    let run = Run {
        spill,
        context: &context_bytes,
        leaves: &leaves,
        now,
        configure,
        rules,
        focus,
        root,
    };
    let mut timings = crate::timings::Stopwatch::start();

    // One pass when what each chunk adds to the context can be predicted (each leaf's issuer
    // is the one context certificate its key identifier, or else its issuer name, matches) and
    // the prediction holds for every chunk: each chunk then saw exactly what the others add.
    let mut memo = memo;
    if let Some(predicted) = Prediction::of(&run, &chunks, &memo) {
        let mut totals = OutsideLeaves::default();
        for p in &predicted {
            totals.add(p);
        }
        let mut spend = Spend::default();
        let mut found = Found::default();
        let mut held = true;
        for (k, (files, share)) in chunks.iter().zip(&predicted).enumerate() {
            let partial = Partial {
                outside: totals.without(share),
                allowed: None,
            };
            let (mut bundle, digests) = run.join(files, &memo, partial);
            let is_leaf = of_chunk(&digests);
            if !spend.count(&bundle, k, &is_leaf) {
                bundle.free();
                return Outcome::Whole(run.whole(problems, memo));
            }
            if OutsideLeaves::of(&bundle.certificates, &is_leaf) != *share {
                bundle.free();
                held = false;
                break;
            }
            run.evaluate(&mut bundle, files, &is_leaf, &mut found);
            bundle.free();
        }
        if held {
            if !spend.fits() {
                return Outcome::Whole(run.whole(problems, memo));
            }
            timings.lap("leaves: one pass (predicted shares held)");
            return run.finish(problems, memo.settled(), totals, found, timings);
        }
        // What the pass learned (with the cache) answers the two passes' signature checks.
        memo = memo.settled();
        timings.lap("leaves: one pass (a predicted share did not hold)");
    }

    // Signature outcomes are learned in pass 1 and answered from memory in pass 2 and after
    // (the one pass above learns only for the cache: a million outcomes held for nothing
    // were 200 MB).
    if !memo.is_on() {
        memo = facts::signature::SignatureMemo::with(Default::default());
    }

    // Pass 1: what each chunk's leaves add to the context, and what their searches spend.
    let mut shares: Vec<OutsideLeaves> = Vec::with_capacity(chunks.len());
    let mut spend = Spend::default();
    for (k, files) in chunks.iter().enumerate() {
        let (bundle, digests) = run.join(files, &memo, Partial::default());
        let is_leaf = of_chunk(&digests);
        if !spend.count(&bundle, k, &is_leaf) {
            bundle.free();
            return Outcome::Whole(run.whole(problems, memo));
        }
        shares.push(OutsideLeaves::of(&bundle.certificates, &is_leaf));
        bundle.free();
    }
    if !spend.fits() {
        return Outcome::Whole(run.whole(problems, memo));
    }
    let mut totals = OutsideLeaves::default();
    for s in &shares {
        totals.add(s);
    }
    let memo = memo.settled();
    timings.lap("leaves: pass 1 (chains, what they add)");

    // Pass 2: each chunk's certificate rules, with what every other leaf adds.
    let mut found = Found::default();
    for (files, share) in chunks.iter().zip(&shares) {
        let partial = Partial {
            outside: totals.without(share),
            allowed: Some(facts::chain::MAX_KEYS_CHECKED),
        };
        let (mut bundle, digests) = run.join(files, &memo, partial);
        let is_leaf = of_chunk(&digests);
        run.evaluate(&mut bundle, files, &is_leaf, &mut found);
        bundle.free();
    }
    timings.lap("leaves: pass 2 (certificate rules)");
    run.finish(problems, memo, totals, found, timings)
}

/// Does any join of this context reach every leaf: client profiles (their certificate filters
/// select leaves), registry snapshots, NPS exports and RRAS settings (thumbprints, stores)?
fn joins_every_leaf(context: &[LoadedFile]) -> bool {
    context.iter().flat_map(|f| &f.artifacts).any(|a| {
        !matches!(
            a,
            Artifact::Certificate(_) | Artifact::Crl(_) | Artifact::Key(_)
        )
    })
}

/// The files restored for a whole scan.
fn whole(
    spill: &Spill,
    mut context: Vec<LoadedFile>,
    leaves: &[(LeafStub, usize)],
    problems: Vec<crate::discover::WalkProblem>,
    memo: facts::signature::SignatureMemo,
) -> WholeScan {
    context.par_extend(leaves.par_iter().map(|(stub, _)| spill.bring_back(stub)));
    WholeScan {
        files: context,
        problems,
        memo,
    }
}

/// What the chunks' certificate rules found: the findings, and the texts of the chunks' files
/// they point into.
#[derive(Default)]
struct Found {
    findings: Vec<crate::report::Finding>,
    sources: Vec<(Arc<str>, crate::load::SourceText)>,
}

/// Whether a certificate of a chunk's bundle is one of the chunk's leaves (by digest), not the
/// context's.
fn of_chunk(digests: &HashSet<u128>) -> impl Fn(&facts::Certificate) -> bool + Sync + '_ {
    |c| digests.contains(&crate::digest::prefix(&c.data.sha256))
}

/// What every join of a streamed scan reads.
struct Run<'a> {
    spill: &'a Spill,
    context: &'a [(Arc<str>, Vec<u8>)],
    leaves: &'a [(LeafStub, usize)],
    now: i64,
    /// What the configuration adds to every bundle (client builds, domain controllers).
    configure: &'a dyn Fn(&mut Bundle),
    rules: &'a [crate::Rule],
    focus: &'a [PathBuf],
    root: Option<&'a Path>,
}

impl Run<'_> {
    /// Evaluates the certificate rules on the leaves of a chunk's bundle, keeping the findings
    /// and the texts of the chunk's files they point into (context files' are the final
    /// bundle's).
    fn evaluate(
        &self,
        bundle: &mut Bundle,
        files: &[usize],
        is_leaf: &(dyn Fn(&facts::Certificate) -> bool + Sync),
        out: &mut Found,
    ) {
        let focused = crate::focused_paths(bundle, self.focus, self.root);
        let found = crate::engine::evaluate_where(
            self.rules,
            bundle,
            &focused,
            &|e| matches!(e, crate::engine::fields::Entity::Certificate(c) if is_leaf(c)),
        );
        drop(focused);
        let chunk_paths: HashSet<&str> = files
            .iter()
            .filter_map(|&i| self.leaves.get(i).map(|(f, _)| &*f.path))
            .collect();
        let named: HashSet<Arc<str>> = found
            .iter()
            .flat_map(|f| {
                std::iter::once(&f.location.path).chain(f.related.iter().map(|r| &r.location.path))
            })
            .filter(|p| chunk_paths.contains(&***p))
            .cloned()
            .collect();
        for (path, text) in std::mem::take(&mut bundle.sources) {
            if named.contains(&path) {
                out.sources.push((path, text));
            }
        }
        out.findings.extend(found);
    }

    /// The context with every leaf's share, and every file's fact.
    fn finish(
        &self,
        problems: Vec<crate::discover::WalkProblem>,
        memo: facts::signature::SignatureMemo,
        totals: OutsideLeaves,
        found: Found,
        timings: crate::timings::Stopwatch,
    ) -> Outcome {
        let mut bundle = Bundle::build_partial(
            self.decode_context(),
            problems,
            self.now,
            &memo,
            Partial {
                outside: totals,
                allowed: Some(facts::chain::MAX_KEYS_CHECKED),
            },
        );
        bundle.files.extend(
            self.leaves
                .iter()
                .map(|(stub, _)| self.spill.file_fact(stub)),
        );
        // In place (a stable sort's buffer was a second copy of every file fact): by path, a
        // walk problem before a file of its path, as the whole bundle's stable sort leaves
        // them (one walk problem per path).
        let walk_problem_first = |f: &facts::FileFact| {
            !matches!(
                &f.problem,
                Some(crate::load::FileProblem::Unparseable(
                    crate::load::LoadError {
                        problem: crate::load::LoadProblem::Walk(_),
                        ..
                    }
                ))
            )
        };
        bundle.files.par_sort_unstable_by(|a, b| {
            a.location
                .path
                .cmp(&b.location.path)
                .then_with(|| walk_problem_first(a).cmp(&walk_problem_first(b)))
        });
        Outcome::Streamed(Box::new(Streamed {
            bundle,
            leaf_findings: found.findings,
            leaf_sources: found.sources,
            timings,
            memo,
        }))
    }

    fn decode_context(&self) -> Vec<LoadedFile> {
        self.context
            .iter()
            .filter_map(|(p, b)| crate::cache::decode_as(p, b))
            .collect()
    }

    /// The context joined with the leaf files `files` (indexes into `leaves`), and the digests
    /// of those leaves.
    fn join(
        &self,
        files: &[usize],
        memo: &facts::signature::SignatureMemo,
        partial: Partial,
    ) -> (Bundle, HashSet<u128>) {
        let mut loaded = self.decode_context();
        let stubs: Vec<&LeafStub> = files
            .iter()
            .filter_map(|&i| self.leaves.get(i).map(|(stub, _)| stub))
            .collect();
        let digests: HashSet<u128> = stubs
            .iter()
            .flat_map(|stub| stub.leaves.iter().map(|k| k.sha256))
            .collect();
        // Read one at a time (the spill is one file), decoded on every thread.
        loaded.par_extend(stubs.par_iter().map(|stub| self.spill.bring_back(stub)));
        let mut bundle = Bundle::build_partial(loaded, Vec::new(), self.now, memo, partial);
        (self.configure)(&mut bundle);
        (bundle, digests)
    }

    fn whole(
        &self,
        problems: Vec<crate::discover::WalkProblem>,
        memo: facts::signature::SignatureMemo,
    ) -> WholeScan {
        whole(
            self.spill,
            self.decode_context(),
            self.leaves,
            problems,
            memo,
        )
    }
}

/// Leaf files grouped so that files sharing a certificate are in one group (its copies must
/// be joined together to be one certificate seen in several places).
struct Groups {
    of_file: Vec<usize>,
    count: usize,
}

impl Groups {
    fn of(stubs: &[LeafStub]) -> Groups {
        let mut parent: Vec<usize> = (0..stubs.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while let Some(&p) = parent.get(i) {
                if p == i {
                    break;
                }
                let up = parent.get(p).copied().unwrap_or(p);
                if let Some(slot) = parent.get_mut(i) {
                    *slot = up;
                }
                i = p;
            }
            i
        }
        let mut by_digest: Vec<(u128, usize)> = stubs
            .iter()
            .enumerate()
            .flat_map(|(i, l)| l.leaves.iter().map(move |k| (k.sha256, i)))
            .collect();
        by_digest.sort_unstable();
        for w in by_digest.windows(2) {
            if let [(a, i), (b, j)] = w
                && a == b
            {
                let (ri, rj) = (root(&mut parent, *i), root(&mut parent, *j));
                if let Some(slot) = parent.get_mut(ri.max(rj)) {
                    *slot = ri.min(rj);
                }
            }
        }
        let mut dense: HashMap<usize, usize> = HashMap::new();
        let of_file = (0..stubs.len())
            .map(|i| {
                let r = root(&mut parent, i);
                let next = dense.len();
                *dense.entry(r).or_insert(next)
            })
            .collect();
        Groups {
            of_file,
            count: dense.len(),
        }
    }
}

/// What the issuer searches of a streamed scan's partial bundles spend, to check that they
/// share the scan's budget as the whole bundle would.
#[derive(Default)]
struct Spend {
    spent: u64,
    certificates: usize,
}

impl Spend {
    /// Counts chunk `k`'s leaves (and the context's, once, with the first chunk); false when
    /// the chunk's bundle could not check every key it would check whole.
    fn count(
        &mut self,
        bundle: &Bundle,
        k: usize,
        is_leaf: &dyn Fn(&facts::Certificate) -> bool,
    ) -> bool {
        if bundle.search_spend.allowed != facts::chain::MAX_KEYS_CHECKED {
            return false;
        }
        for (c, extra) in bundle
            .certificates
            .iter()
            .zip(&bundle.search_spend.beyond_first)
        {
            if is_leaf(c) || k == 0 {
                self.spent = self.spent.saturating_add(*extra);
                self.certificates += 1;
            }
        }
        true
    }

    /// The whole bundle's searches fit the scan's budget: each could check every key.
    fn fits(&self) -> bool {
        self.spent <= facts::chain::scan_budget(self.certificates)
    }
}

/// What each chunk's leaves are predicted to add to the context, from the context joined
/// alone: a leaf's issuer is the one context certificate whose key identifier its authority
/// key identifier names (or, without one, whose subject is its issuer name), and its chain
/// that certificate's. `None` when some leaf's issuer cannot be predicted so.
struct Prediction;

impl Prediction {
    fn of(
        run: &Run<'_>,
        chunks: &[Vec<usize>],
        memo: &facts::signature::SignatureMemo,
    ) -> Option<Vec<OutsideLeaves>> {
        let context = Bundle::build_partial(
            run.decode_context(),
            Vec::new(),
            run.now,
            memo,
            Partial::default(),
        );
        let certs = &context.certificates;
        let mut by_key: HashMap<NonZeroU64, Vec<usize>> = HashMap::new();
        let mut by_subject: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, c) in certs.iter().enumerate() {
            if let Some(k) = &c.data.subject_key_id {
                by_key.entry(key_hash(k)).or_default().push(i);
            }
            by_subject
                .entry(hash(&c.data.subject.der))
                .or_default()
                .push(i);
        }
        let only = |v: Option<&Vec<usize>>| match v.map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        };
        let sha = |i: usize| {
            certs
                .get(facts::CertId::from_index(i))
                .map(|c| c.data.sha256.as_str())
        };
        let mut out = Vec::with_capacity(chunks.len());
        for files in chunks {
            let mut keys: Vec<&LeafKey> = files
                .iter()
                .filter_map(|&i| run.leaves.get(i))
                .flat_map(|(stub, _)| stub.leaves.iter())
                .collect();
            // One certificate in several files counts once.
            keys.sort_by_key(|k| k.sha256);
            keys.dedup_by_key(|k| k.sha256);
            let mut share = OutsideLeaves::default();
            for k in keys {
                let issuer = match k.authority_key_id {
                    Some(aki) => only(by_key.get(&aki)),
                    None => only(by_subject.get(&k.issuer)),
                }?;
                let chain = &certs.get(facts::CertId::from_index(issuer))?.chain;
                share.add_leaf(
                    k.flags,
                    k.flags.client_auth,
                    sha(issuer),
                    chain.iter().filter_map(|id| sha(id.index())),
                );
            }
            out.push(share);
        }
        context.free();
        Some(out)
    }
}
