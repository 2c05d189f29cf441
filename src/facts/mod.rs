//! The fact model: every artifact of the bundle joined into one `Bundle`, with what Windows and
//! NPS will make of it derived once.

pub mod certificate;
pub mod chain;
pub mod host;
pub mod profile;
pub mod revocation;
pub mod signature;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::discover::{FileKind, WalkProblem};
use crate::load::{Artifact, LoadError, LoadedFile, RegistryFile};
use crate::location::Location;

pub use crate::load::{FileProblem, KeyData, KeyKind, RegData};
pub use certificate::{Certificate, Role};
pub use host::{EapRevocation, RegistryHost, Setting};
pub use profile::{
    CertificateProfile, CloudCa, EapConfig, PinKind, PinnedThumbprint, Profiles, ServerName,
    ServerNameKind, TrustedRootProfile, VpnProfile,
};
pub use revocation::{Coverage, Crl};

/// A scanned file and what became of it.
#[derive(Debug, Clone)]
pub struct FileFact {
    /// The file.
    pub location: Location,
    /// What it claimed to be; `None` for files that are not ours.
    pub kind: Option<FileKind>,
    /// Size in bytes.
    pub size: u64,
    /// Why it, or part of it, could not be used.
    pub problem: Option<FileProblem>,
}

/// Every fact of one scan.
#[derive(Debug)]
pub struct Bundle {
    /// The clock of every time-dependent fact, Unix seconds.
    pub now: i64,
    /// Every file seen (ours or not), in path order, plus walk problems as files.
    pub files: Vec<FileFact>,
    /// Distinct certificates, sorted by SHA-256.
    pub certificates: Vec<Certificate>,
    /// Distinct CRLs, sorted by SHA-256.
    pub crls: Vec<Crl>,
    /// Key material found, in path order.
    pub keys: Vec<KeyData>,
    /// Registry hosts, sorted by name.
    pub hosts: Vec<RegistryHost>,
    /// VPN, EAP and Intune profiles, joined to the certificates.
    pub profiles: Profiles,
    /// Decoded text of text files by path, for report snippets.
    pub sources: BTreeMap<Arc<str>, Arc<str>>,
}

impl Bundle {
    /// Joins loaded files (in any order) into the fact model at time `now`.
    pub fn build(mut loaded: Vec<LoadedFile>, walk_problems: Vec<WalkProblem>, now: i64) -> Bundle {
        loaded.sort_by(|a, b| a.path.cmp(&b.path));
        let mut files = Vec::with_capacity(loaded.len());
        let mut certs: BTreeMap<String, Certificate> = BTreeMap::new();
        let mut crls: BTreeMap<String, Crl> = BTreeMap::new();
        let mut keys = Vec::new();
        let mut registry_files: Vec<RegistryFile> = Vec::new();
        let mut loaded_profiles = profile::LoadedProfiles::default();
        let mut sources = BTreeMap::new();

        for p in walk_problems {
            files.push(FileFact {
                location: Location::file(p.display.clone()),
                kind: None,
                size: 0,
                problem: Some(FileProblem::Unparseable(LoadError {
                    message: p.message,
                    location: Location::file(p.display),
                })),
            });
        }
        for f in loaded {
            if let Some(text) = f.text {
                sources.insert(f.path.clone(), text);
            }
            files.push(FileFact {
                location: Location::file(f.path),
                kind: f.kind,
                size: f.size,
                problem: f.problem,
            });
            for a in f.artifacts {
                match a {
                    Artifact::Certificate(c) => {
                        let loc = c.location.clone();
                        certs
                            .entry(c.sha256.clone())
                            .and_modify(|e| e.seen.push(loc.clone()))
                            .or_insert_with(|| new_certificate(*c));
                    }
                    Artifact::Crl(c) => {
                        let loc = c.location.clone();
                        crls.entry(c.sha256.clone())
                            .and_modify(|e| e.seen.push(loc.clone()))
                            .or_insert_with(|| Crl {
                                seen: vec![c.location.clone()],
                                data: *c,
                                issuer: None,
                                issuer_signature: None,
                            });
                    }
                    Artifact::Key(k) => keys.push(k),
                    Artifact::Registry(r) => registry_files.push(r),
                    Artifact::VpnProfile(v) => loaded_profiles.vpn.push(*v),
                    Artifact::EapConfig(e) => loaded_profiles.eap.push(*e),
                    Artifact::TrustedRootProfile(t) => loaded_profiles.trusted_roots.push(*t),
                    Artifact::CertificateProfile(c) => {
                        loaded_profiles.certificate_profiles.push(*c);
                    }
                    Artifact::CloudCa(c) => loaded_profiles.cloud_cas.push(*c),
                }
            }
        }
        files.sort_by(|a, b| a.location.path.cmp(&b.location.path));

        let mut certificates: Vec<Certificate> = certs.into_values().collect();
        for c in &mut certificates {
            c.seen.sort();
            if let Some(first) = c.seen.first()
                && *first != c.data.location
            {
                c.data.location = first.clone();
            }
        }
        chain::resolve(&mut certificates, now);

        let mut crls: Vec<Crl> = crls.into_values().collect();
        for c in &mut crls {
            c.seen.sort();
        }
        revocation::match_issuers(&mut crls, &certificates);
        revocation::mark_revoked(&mut certificates, &crls, now);
        let profiles = Profiles::build(loaded_profiles, &mut certificates);

        let refs: Vec<&RegistryFile> = registry_files.iter().collect();
        let hosts = host::build_hosts(&refs);

        Bundle {
            now,
            files,
            certificates,
            crls,
            keys,
            hosts,
            profiles,
            sources,
        }
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
        relevant.peek()?;
        Some(
            relevant.all(|c| !c.data.crl_distribution_points.is_empty() || !c.data.ocsp.is_empty()),
        )
    }

    /// Certificates with the leaf role.
    pub fn leaf_count(&self) -> usize {
        self.certificates
            .iter()
            .filter(|c| c.role == Role::Leaf)
            .count()
    }
}

fn new_certificate(data: crate::load::CertificateData) -> Certificate {
    Certificate {
        seen: vec![data.location.clone()],
        self_issued: false,
        self_signed: false,
        issuer: None,
        issuer_signature: None,
        issuer_mismatches: Vec::new(),
        chain: Vec::new(),
        chain_complete: false,
        role: Role::Leaf,
        issued_count: 0,
        client_auth: false,
        in_client_auth_chain: false,
        path_len_exceeded_by: None,
        revoked_by: None,
        links: profile::ProfileLinks::default(),
        unknown_critical_extensions: data
            .critical_extensions
            .iter()
            .filter(|oid| !certificate::WINDOWS_KNOWN_EXTENSIONS.contains(&oid.as_str()))
            .cloned()
            .collect(),
        data,
    }
}
