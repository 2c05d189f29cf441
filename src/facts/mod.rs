//! The fact model: every artifact of the bundle joined into one `Bundle`, with what Windows and
//! NPS will make of it derived once.

pub(crate) mod candidate_paths;
pub(crate) mod certificate;
pub(crate) mod certificate_profile;
pub(crate) mod chain;
pub(crate) mod client_sources;
pub(crate) mod cloud_ca;
pub(crate) mod eap_config;
pub(crate) mod eap_thumbprint;
pub(crate) mod fact;
pub(crate) mod file;
pub(crate) mod host;
pub(crate) mod id;
pub(crate) mod issuer_index;
pub(crate) mod key;
pub(crate) mod name_constraints;
pub(crate) mod ndes;
pub(crate) mod nps;
pub(crate) mod outside;
pub(crate) mod path_quality;
pub(crate) mod profile;
pub(crate) mod revocation;
pub(crate) mod rras;
pub(crate) mod server_name;
pub(crate) mod signature;
pub(crate) mod thumbprint_index;
pub(crate) mod trust_stores;
pub(crate) mod trusted_root_profile;
pub(crate) mod vpn_profile;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::discover::WalkProblem;
use crate::load::{
    Artifact, CertificateData, CrlData, LoadError, LoadProblem, LoadedFile, RegistryFile,
};
use crate::location::Location;
use crate::timings::Stopwatch;

pub(crate) use crate::load::{FileProblem, KeyData, RegData};
pub(crate) use certificate::{Certificate, ChainEnd, Role};
pub(crate) use certificate_profile::CertificateProfile;
pub(crate) use cloud_ca::CloudCa;
pub(crate) use eap_config::EapConfig;
pub(crate) use eap_thumbprint::{PinKind, PinnedThumbprint};
pub(crate) use fact::Fact;
pub(crate) use file::FileFact;
pub(crate) use host::{EapRevocation, RegistryHost, RegistryValueRef};
pub(crate) use id::CertId;
pub(crate) use profile::Profiles;
pub(crate) use revocation::{Coverage, Crl};
pub(crate) use server_name::{ServerName, ServerNameOwner};
pub(crate) use trusted_root_profile::TrustedRootProfile;
pub(crate) use vpn_profile::VpnProfile;

/// Every fact of one scan.
#[derive(Debug)]
pub struct Bundle {
    /// The clock of every time-dependent fact, Unix seconds.
    pub now: i64,
    /// Every file seen (ours or not), in path order, plus walk problems as files.
    pub files: Vec<FileFact>,
    /// Distinct certificates, sorted by SHA-256.
    pub certificates: certificate::Certificates,
    /// Distinct CRLs, sorted by SHA-256.
    pub crls: revocation::Crls,
    /// The CRLs each issuing certificate's CA signed (its subject and key), by CRL id.
    pub crls_by_issuer: std::collections::HashMap<CertId, Vec<id::CrlId>>,
    /// Key material found, in path order.
    pub keys: Vec<KeyData>,
    /// Registry hosts, sorted by name.
    pub hosts: Vec<RegistryHost>,
    /// VPN, EAP and Intune profiles, joined to the certificates.
    pub profiles: Profiles,
    /// NPS servers from their configuration exports, joined to hosts and certificates.
    pub nps: nps::Nps,
    /// Where client certificates come from, counted once.
    pub client_sources: client_sources::ClientCertificateSources,
    /// The Windows builds the configuration says the clients run (`client-builds`), as text.
    pub client_builds: Vec<String>,
    /// The Windows Server versions the configuration says the domain controllers run
    /// (`domain-controllers`), as text.
    pub domain_controllers: Vec<String>,
    /// The text of text files by path, for report snippets (PEM files rebuilt when needed).
    pub sources: BTreeMap<Arc<str>, crate::load::SourceText>,
    /// Wall time of each step of [`Bundle::build`], for `check --timings`.
    pub timings: Stopwatch,
    /// The leaves of the scan this bundle leaves out (a streamed scan's partial bundle), which
    /// its counts include; empty for a whole bundle.
    pub(crate) outside: outside::OutsideLeaves,
    /// How its issuer searches shared the scan's budget.
    pub(crate) search_spend: chain::SearchSpend,
}

/// How a partial bundle of a streamed scan is joined: what the leaves outside it add, and how
/// many issuer keys each certificate may check in the whole bundle.
#[derive(Debug, Default)]
pub(crate) struct Partial {
    pub(crate) outside: outside::OutsideLeaves,
    pub(crate) allowed: Option<usize>,
}

impl Bundle {
    /// Joins loaded files (in any order) into the fact model at time `now`.
    pub fn build(loaded: Vec<LoadedFile>, walk_problems: Vec<WalkProblem>, now: i64) -> Bundle {
        Bundle::build_with(loaded, walk_problems, now, &signature::SignatureMemo::off())
    }

    /// [`Bundle::build`], with signature outcomes known from earlier scans (the cache's).
    pub(crate) fn build_with(
        loaded: Vec<LoadedFile>,
        walk_problems: Vec<WalkProblem>,
        now: i64,
        memo: &signature::SignatureMemo,
    ) -> Bundle {
        Bundle::build_partial(loaded, walk_problems, now, memo, Partial::default())
    }

    /// [`Bundle::build_with`] for a part of the bundle: `partial` says what the rest adds.
    pub(crate) fn build_partial(
        mut loaded: Vec<LoadedFile>,
        walk_problems: Vec<WalkProblem>,
        now: i64,
        memo: &signature::SignatureMemo,
        partial: Partial,
    ) -> Bundle {
        let mut timings = Stopwatch::start();
        loaded.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
        let mut files = Vec::with_capacity(loaded.len().saturating_add(walk_problems.len()));
        // Certificates and CRLs stay boxed until they are deduplicated: they are large, and a
        // sort moves pointers where a map of values moved whole records on every insert.
        let mut certs: Vec<Box<CertificateData>> = Vec::new();
        let mut crls: Vec<Box<CrlData>> = Vec::new();
        let mut keys = Vec::new();
        let mut registry_files: Vec<RegistryFile> = Vec::new();
        let mut store_entries: Vec<(String, certificate::StoreMembership)> = Vec::new();
        let mut loaded_profiles = profile::LoadedProfiles::default();
        let mut nps_exports: Vec<crate::load::NpsExportData> = Vec::new();
        let mut rras_outputs: Vec<crate::load::RrasSettingsData> = Vec::new();
        let mut sources = BTreeMap::new();

        for p in walk_problems {
            files.push(FileFact {
                location: Location::file(p.display.clone()),
                kind: None,
                size: 0,
                problem: Some(FileProblem::Unparseable(LoadError {
                    problem: LoadProblem::Walk(p.message),
                    location: Location::file(p.display),
                })),
                skipped: None,
                explicit: false,
                next_page: None,
            });
        }
        for f in loaded {
            loaded_profiles.partial_export |= f.next_page.is_some();
            if let Some(text) = f.text {
                sources.insert(
                    f.path.clone(),
                    crate::load::SourceText::of(text, &f.artifacts),
                );
            }
            files.push(FileFact {
                location: Location::file(f.path),
                kind: f.kind,
                size: f.size,
                problem: f.problem,
                skipped: f.skipped,
                explicit: f.explicit,
                next_page: f.next_page,
            });
            for a in f.artifacts {
                match a {
                    Artifact::Certificate(c) => {
                        // Every store entry is kept: the certificate it holds may also be in
                        // other files, and only the first place survives deduplication.
                        if let Some(slot) = &c.store_slot {
                            store_entries.push((
                                c.sha256.clone(),
                                certificate::StoreMembership {
                                    location: c.location.clone(),
                                    slot: slot.clone(),
                                },
                            ));
                        }
                        certs.push(c);
                    }
                    Artifact::Crl(c) => crls.push(c),
                    Artifact::Key(k) => keys.push(k),
                    Artifact::Registry(r) => registry_files.push(r),
                    Artifact::VpnProfile(v) => loaded_profiles.vpn.push(*v),
                    Artifact::EapConfig(e) => loaded_profiles.eap.push(*e),
                    Artifact::TrustedRootProfile(t) => loaded_profiles.trusted_roots.push(*t),
                    Artifact::CertificateProfile(c) => {
                        loaded_profiles.certificate_profiles.push(*c);
                    }
                    Artifact::CloudCa(c) => loaded_profiles.cloud_cas.push(*c),
                    Artifact::NpsExport(e) => nps_exports.push(*e),
                    Artifact::RrasSettings(r) => rras_outputs.push(*r),
                }
            }
        }
        files.par_sort_by(|a, b| a.location.path.cmp(&b.location.path));

        let mut certificates: certificate::Certificates = distinct(certs)
            .into_par_iter()
            .map(|(mut data, mut seen)| {
                seen.sort();
                if let Some(first) = seen.first()
                    && *first != data.location
                {
                    data.location = first.clone();
                }
                new_certificate(data, seen)
            })
            .collect::<Vec<_>>()
            .into();
        place_in_stores(&mut certificates, store_entries);
        let mut crls: revocation::Crls = distinct(crls)
            .into_iter()
            .map(|(data, seen)| Crl {
                seen,
                data: *data,
                issuer: None,
                issuer_signature: None,
            })
            .collect();
        for c in crls.iter_mut() {
            c.seen.sort();
        }
        timings.lap("facts: join");
        // One issuer index serves certificates and CRLs.
        let ((issuers, search_spend), crl_issuers) = {
            let index = issuer_index::IssuerIndex::new(&certificates);
            (
                chain::search_issuers(&certificates, &index, now, memo, partial.allowed),
                revocation::find_issuers(&crls, &certificates, &index, memo),
            )
        };
        let shares = partial.outside.by_id(&certificates);
        chain::apply(
            &mut certificates,
            issuers,
            &loaded_profiles.pinned_anchors(),
            now,
            &shares,
        );
        timings.lap("facts: chains");
        revocation::set_issuers(&mut crls, crl_issuers);
        let crls_by_issuer = revocation::crls_by_issuer(&certificates, &crls);
        revocation::mark_revoked(&mut certificates, &crls, &crls_by_issuer, now);
        timings.lap("facts: revocation");
        let refs: Vec<&RegistryFile> = registry_files.iter().collect();
        // Files were read in path order, and so are the exports: an export's place is its id.
        let export_refs: Vec<&crate::load::NpsExportData> = nps_exports.iter().collect();
        let rras_refs: Vec<&crate::load::RrasSettingsData> = rras_outputs.iter().collect();
        let mut hosts = host::build_hosts(&refs, &export_refs, &rras_refs);
        rras::join(&mut hosts, &rras_outputs, &certificates);
        // Before the profiles: the certificates NPS presents are servers', which no client
        // profile's certificate filter offers.
        let nps = nps::Nps::build(nps_exports, &hosts, &mut certificates);
        timings.lap("facts: hosts and NPS");
        let mut profiles = Profiles::build(loaded_profiles, &mut certificates);
        timings.lap("facts: profiles");
        nps::answer_configs(&nps, &mut profiles.eap_configs);
        trust_stores::join(&mut hosts, &certificates, &profiles.cloud_cas);
        ndes::join(&mut hosts, &profiles.certificate_profiles);
        let client_sources = client_sources::ClientCertificateSources::count(
            &certificates,
            &profiles.certificate_profiles,
            &shares,
        );
        timings.lap("facts: server side");

        Bundle {
            now,
            files,
            certificates,
            crls,
            crls_by_issuer,
            keys,
            hosts,
            profiles,
            nps,
            client_sources,
            client_builds: Vec::new(),
            domain_controllers: Vec::new(),
            sources,
            timings,
            outside: partial.outside,
            search_spend,
        }
    }

    /// Frees the bundle on the worker threads, in the background: the caller goes on (to
    /// render the report) at once. Dropped in place, the allocations of 20,000 certificates
    /// took 100-145 ms at the end of a scan, a tenth of its wall time.
    pub fn release(self) {
        rayon::spawn(move || {
            let Bundle { certificates, .. } = self;
            certificates.into_vec().into_par_iter().for_each(drop);
        });
    }

    /// Frees the bundle on the worker threads and returns when it is freed: a streamed scan's
    /// chunk, whose memory the next chunk is about to take.
    pub(crate) fn free(self) {
        let Bundle { certificates, .. } = self;
        certificates.into_vec().into_par_iter().for_each(drop);
    }

    /// NPS hosts only.
    pub fn nps_hosts(&self) -> impl Iterator<Item = &RegistryHost> {
        self.hosts.iter().filter(|h| h.is_nps())
    }

    /// Whether every intermediate CA and client-auth leaf carries revocation information (a
    /// CDP or an OCSP URL); `None` when the bundle has no such certificate.
    pub fn revocation_info_complete(&self) -> Option<bool> {
        let mut relevant = self
            .certificates
            .iter()
            .filter(|c| c.role == Role::IntermediateCa || c.client_auth)
            .peekable();
        if relevant.peek().is_none() && self.outside.client_auth == 0 {
            return None;
        }
        Some(
            self.outside.client_auth_without_revocation_info == 0
                && relevant
                    .all(|c| !c.data.crl_distribution_points.is_empty() || !c.data.ocsp.is_empty()),
        )
    }

    /// Leaves usable for client authentication.
    pub fn client_auth_leaf_count(&self) -> usize {
        self.certificates
            .iter()
            .filter(|c| c.client_auth)
            .count()
            .saturating_add(self.outside.client_auth)
    }

    /// Distinct certificates.
    pub fn certificate_count(&self) -> usize {
        self.certificates.len().saturating_add(self.outside.leaves)
    }

    /// On how many NPS hosts EAP\\13 sets `IgnoreNoRevocationCheck=1`.
    pub fn nps_ignore_no_revocation_check(&self) -> Coverage {
        Coverage::over(&self.hosts, |h| {
            h.eap_tls
                .as_ref()
                .is_some_and(|e| e.ignore_no_revocation_check.value == 1)
        })
    }

    /// On how many NPS hosts EAP\\13 accepts a chain without revocation information
    /// (`IgnoreNoRevocationCheck=1` or `NoRevocationCheck=1`).
    pub fn nps_missing_revocation_accepted(&self) -> Coverage {
        Coverage::over(&self.hosts, |h| {
            h.eap_tls
                .as_ref()
                .is_some_and(EapRevocation::accepts_missing_revocation)
        })
    }

    /// Certificates with the leaf role.
    pub fn leaf_count(&self) -> usize {
        self.certificates
            .iter()
            .filter(|c| c.role == Role::Leaf)
            .count()
            .saturating_add(self.outside.leaves)
    }
}

impl Fact for Bundle {
    fn kind_name(&self) -> &'static str {
        "bundle"
    }
    fn identity(&self) -> String {
        "bundle".to_owned()
    }
    fn display_name(&self) -> String {
        "the bundle".to_owned()
    }
    fn location(&self) -> Option<Location> {
        None
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}

/// The distinct items of `items` (in file order) by SHA-256, sorted by it, each with every
/// place it was seen, in file order. The item kept is the first seen.
fn distinct<T>(items: Vec<Box<T>>) -> Vec<(Box<T>, Vec<Location>)>
where
    T: Identified + Send + Sync,
{
    // Sort (digest prefix, position) pairs, contiguous in memory: comparing the records'
    // digest strings reached into two scattered records per comparison, which made the join
    // grow faster than the bundle. Equal prefixes fall back to the whole digest, then to file
    // order, so the order is that of a stable sort by digest.
    let digest = |i: usize| items.get(i).map(|item| item.sha256());
    let mut order: Vec<(u128, usize)> = items
        .par_iter()
        .enumerate()
        .map(|(i, item)| (crate::digest::prefix(item.sha256()), i))
        .collect();
    order.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| digest(a.1).cmp(&digest(b.1)))
            .then(a.1.cmp(&b.1))
    });
    let mut slots: Vec<Option<Box<T>>> = items.into_iter().map(Some).collect();
    let mut out: Vec<(Box<T>, Vec<Location>)> = Vec::with_capacity(slots.len());
    let mut last_prefix = None;
    for (prefix, i) in order {
        let Some(item) = slots.get_mut(i).and_then(Option::take) else {
            continue;
        };
        // Only an equal prefix needs the digests themselves, which live in scattered records.
        let duplicate = last_prefix == Some(prefix)
            && out
                .last()
                .is_some_and(|(first, _)| first.sha256() == item.sha256());
        last_prefix = Some(prefix);
        match out.last_mut() {
            Some((_, seen)) if duplicate => seen.push(item.location().clone()),
            _ => {
                let seen = vec![item.location().clone()];
                out.push((item, seen));
            }
        }
    }
    out
}

/// An artifact identified by its SHA-256, and where it was read.
trait Identified {
    fn location(&self) -> &Location;
    fn sha256(&self) -> &str;
}

impl Identified for CertificateData {
    fn location(&self) -> &Location {
        &self.location
    }
    fn sha256(&self) -> &str {
        &self.sha256
    }
}

impl Identified for CrlData {
    fn location(&self) -> &Location {
        &self.location
    }
    fn sha256(&self) -> &str {
        &self.sha256
    }
}

/// Records on each certificate the store entries that hold it (by SHA-256), in place order.
fn place_in_stores(
    certificates: &mut certificate::Certificates,
    entries: Vec<(String, certificate::StoreMembership)>,
) {
    if entries.is_empty() {
        return;
    }
    let mut placed: Vec<(CertId, certificate::StoreMembership)> = {
        let by_sha256: std::collections::HashMap<&str, CertId> = certificates
            .iter_ids()
            .map(|(id, c)| (c.data.sha256.as_str(), id))
            .collect();
        entries
            .into_iter()
            .filter_map(|(h, m)| by_sha256.get(h.as_str()).map(|&id| (id, m)))
            .collect()
    };
    placed.sort();
    for (id, m) in placed {
        if let Some(c) = certificates.get_mut(id) {
            c.store_names.push(m.slot.store.clone());
            c.stores.push(m);
        }
    }
    for (_, c) in certificates.iter_ids_mut() {
        c.store_names.sort();
        c.store_names.dedup();
    }
}

fn new_certificate(data: Box<CertificateData>, seen: Vec<Location>) -> Certificate {
    Certificate {
        seen,
        stores: Vec::new(),
        store_names: Vec::new(),
        self_issued: false,
        self_signed: false,
        issuer: None,
        issuer_signature: None,
        issuer_edges: Vec::new(),
        issuer_mismatches: Vec::new(),
        issuer_search_exhausted: false,
        chain: Vec::new(),
        chain_complete: false,
        chain_end: certificate::ChainEnd::IssuerMissing,
        chain_breaks_here: false,
        anchor_pinned: false,
        role: Role::Leaf,
        issued_count: 0,
        issued_with_http_aia: 0,
        client_auth: false,
        in_client_auth_chain: false,
        in_server_auth_chain: false,
        name_constraints_breach: None,
        path_len_exceeded_by: None,
        revoked_by: None,
        links: certificate::ProfileLinks::default(),
        nps_methods: Vec::new(),
        unknown_critical_extensions: data
            .critical_extensions
            .iter()
            .filter(|oid| !certificate::WINDOWS_KNOWN_EXTENSIONS.contains(&oid.as_str()))
            .cloned()
            .collect(),
        data,
    }
}
