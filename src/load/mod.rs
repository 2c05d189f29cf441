//! Bytes to artifacts: one module per format, each keeping where every item came from.
//!
//! A loader sees one file and nothing else. Lengths and offsets come from the file, so no
//! arithmetic here may be an unchecked conversion or index.
#![deny(clippy::as_conversions)]

pub(crate) mod cert_store;
pub(crate) mod crl;
pub(crate) mod der;
pub(crate) mod dsc;
pub(crate) mod eap;
pub(crate) mod file_text;
pub(crate) mod intune;
pub(crate) mod intune_yaml;
pub(crate) mod key;
pub(crate) mod kind;
pub(crate) mod nps_export;
pub(crate) mod pem;
pub(crate) mod pkcs7;
pub(crate) mod powershell_profile;
pub(crate) mod profile_xml;
pub(crate) mod registry;
pub(crate) mod rras_output;
pub(crate) mod text;
pub(crate) mod vpn_profile;
pub(crate) mod x509;
pub(crate) mod xml;

use std::fs;
use std::io::Read;
use std::sync::Arc;

use crate::discover::DiscoveredFile;
use crate::location::Location;

pub(crate) use crl::CrlData;
pub(crate) use eap::EapConfigData;
pub(crate) use file_text::{FileText, SourceText};
pub(crate) use intune::{CertificateProfileData, CloudCaData, TrustedRootProfileData};
pub(crate) use key::KeyData;
pub use kind::FileKind;
pub(crate) use kind::sniff;
pub(crate) use nps_export::NpsExportData;
pub(crate) use registry::{RegData, RegistryFile};
pub(crate) use rras_output::RrasSettingsData;
pub(crate) use vpn_profile::VpnProfileData;
pub(crate) use x509::CertificateData;

/// Everything one file yielded.
#[derive(serde::Serialize, serde::Deserialize, Debug)]
pub struct LoadedFile {
    /// The path as findings name it.
    #[serde(with = "crate::cache::file_path")]
    pub path: Arc<str>,
    /// Size on disk in bytes.
    pub size: u64,
    /// What the file claimed to be; `None` for files that are not ours (skipped).
    pub kind: Option<FileKind>,
    /// The text of a text format, kept so reports can show a snippet.
    pub text: Option<FileText>,
    /// What was parsed, in file order.
    pub artifacts: Vec<Artifact>,
    /// Why (part of) the file could not be used. One per file: the first thing that went wrong.
    pub problem: Option<FileProblem>,
    /// Why a file that is not ours (`kind` is `None`) was skipped.
    pub skipped: Option<Skipped>,
    /// The file was named on the command line, not found in a folder: skipping it is never
    /// silent.
    pub explicit: bool,
    /// A Graph page that says more pages follow (`@odata.nextLink`): where it says so.
    pub next_page: Option<Location>,
}

/// Why a file was read and not used: shown by `--list-files`, and a note when the format is
/// known or the user named the file.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// Neither the content nor the name match a format trustlint reads.
    NotRecognised,
    /// A format trustlint recognises and does not read: its name.
    UnsupportedFormat(#[serde(with = "crate::cache::static_str")] crate::cache::static_str::Static),
    /// A format trustlint reads, holding nothing it looks at: what was there.
    NothingToRead(String),
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skipped::NotRecognised => f.write_str("not a format trustlint reads"),
            Skipped::UnsupportedFormat(format) => {
                write!(f, "{format}, a format trustlint does not read")
            }
            Skipped::NothingToRead(what) => f.write_str(what),
        }
    }
}

/// One parsed item of a file.
#[derive(serde::Serialize, serde::Deserialize, Debug)]
pub enum Artifact {
    /// An X.509 certificate.
    Certificate(Box<CertificateData>),
    /// A certificate revocation list.
    Crl(Box<CrlData>),
    /// A private key or key container; only its kind and place are kept.
    Key(KeyData),
    /// A registry export.
    Registry(RegistryFile),
    /// An Always On VPN profile (ProfileXML or Intune VPN configuration).
    VpnProfile(Box<VpnProfileData>),
    /// A standalone EAP configuration.
    EapConfig(Box<EapConfigData>),
    /// An Intune trusted-certificate profile.
    TrustedRootProfile(Box<TrustedRootProfileData>),
    /// An Intune SCEP or PKCS certificate profile.
    CertificateProfile(Box<CertificateProfileData>),
    /// A Microsoft Cloud PKI certification authority.
    CloudCa(Box<CloudCaData>),
    /// An NPS server's configuration export.
    NpsExport(Box<NpsExportData>),
    /// RRAS settings as PowerShell printed them.
    RrasSettings(Box<RrasSettingsData>),
}

/// Why a file, or part of it, could not be used.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub enum FileProblem {
    /// It claims a known kind and does not parse.
    Unparseable(LoadError),
    /// It is larger than the limit and was not read.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
}

/// A loader's error: what was wrong, as a situation with its data, and where.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, thiserror::Error)]
#[error("{problem}")]
pub struct LoadError {
    /// What was wrong.
    pub problem: LoadProblem,
    /// Where it was wrong.
    pub location: Location,
}

/// What was wrong with a file. The text of each is what findings show (`parse_error`).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadProblem {
    /// The file could not be read.
    #[error("cannot read file: {0}")]
    Unreadable(String),
    /// A folder the walk could not enter, or a path it could not follow.
    #[error("{0}")]
    Walk(String),
    /// Zero bytes.
    #[error("empty file")]
    Empty,
    /// Text that does not decode (invalid UTF-8, odd-length UTF-16).
    #[error("{0}")]
    NotText(String),
    /// Bytes after a whole DER structure, at a byte offset of the file.
    #[error("{extra} bytes of trailing data after the DER structure at byte {at}")]
    TrailingData {
        /// How many bytes.
        extra: usize,
        /// Where they start.
        at: usize,
    },
    /// Bytes after the DER structure of a PEM block.
    #[error("{extra} bytes of trailing data after the DER structure")]
    TrailingDataInBlock {
        /// How many bytes.
        extra: usize,
    },
    /// A `-----BEGIN` line that is not PEM armour.
    #[error("malformed PEM BEGIN line")]
    MalformedPemBegin,
    /// More PEM blocks than the limit.
    #[error("more than {limit} PEM blocks; the rest of the file was not read")]
    TooManyPemBlocks {
        /// The limit.
        limit: usize,
    },
    /// A PEM block without its END line.
    #[error("PEM block '{label}' has no matching END line")]
    UnterminatedPem {
        /// The block's label (`CERTIFICATE`).
        label: String,
    },
    /// A PEM block whose body is not what its label says.
    #[error("PEM block '{label}' at line {line} {what}")]
    BadPemBody {
        /// The block's label.
        label: String,
        /// Its BEGIN line.
        line: u32,
        /// What is wrong with the body.
        what: String,
    },
    /// The DER inside a PEM block is wrong.
    #[error("PEM block '{label}' at line {line}: {inner}")]
    InPemBlock {
        /// The block's label.
        label: String,
        /// Its BEGIN line.
        line: u32,
        /// What is wrong with its DER.
        inner: Box<LoadProblem>,
    },
    /// A PEM file without any block.
    #[error("no PEM block found")]
    NoPemBlock,
    /// XML that does not parse.
    #[error("{what}: {error}")]
    InvalidXml {
        /// Which document: `invalid XML`, `invalid XML in escaped text`…
        what: String,
        /// The parser's words.
        error: String,
    },
    /// Elements nested past the limit.
    #[error("XML nested deeper than {limit} elements; the rest of the document was not read")]
    XmlTooDeep {
        /// The limit.
        limit: usize,
    },
    /// XML with neither a ProfileXML nor an EAP configuration.
    #[error(
        "no VPNProfile or EapHostConfig element found (neither as elements nor escaped as text)"
    )]
    NoProfile,
    /// JSON that does not parse.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// JSON nested past the limit.
    #[error("JSON nested deeper than {limit} levels")]
    JsonTooDeep {
        /// The limit.
        limit: usize,
    },
    /// A Graph member that should be base64 and is not.
    #[error("{member} is not valid base64: {error}")]
    InvalidBase64 {
        /// The member (`trustedRootCertificate`).
        member: String,
        /// The decoder's words.
        error: String,
    },
    /// A trusted-root export whose certificate does not parse.
    #[error("trustedRootCertificate does not hold a certificate: {0}")]
    NotACertificate(String),
    /// An Intune `eapXml` that is not UTF-8.
    #[error("eapXml is not UTF-8 text (byte {0})")]
    EapXmlNotUtf8(usize),
    /// An Intune `eapXml` without an `EapHostConfig`.
    #[error("eapXml does not hold an EapHostConfig")]
    NoEapHostConfig,
    /// An OMA-URI setting whose value the export holds encrypted.
    #[error(
        "the value of OMA-URI setting {uri} is encrypted in this export (isEncrypted: true); export it in plain text (Graph getOmaSettingPlainTextValue) for trustlint to read the profile"
    )]
    OmaSettingEncrypted {
        /// The setting's `omaUri`.
        uri: String,
    },
    /// The format's own syntax, in its words: a DER structure, a registry line, a Graph member.
    #[error("{0}")]
    Malformed(String),
}

impl LoadError {
    /// An error at a byte offset of a binary file.
    pub fn at_offset(path: &Arc<str>, offset: usize, problem: LoadProblem) -> Self {
        LoadError {
            problem,
            location: Location {
                byte_offset: offset,
                ..Location::file(path.clone())
            },
        }
    }

    /// An error at a byte offset of a text file.
    pub fn in_text(path: &Arc<str>, text: &str, offset: usize, problem: LoadProblem) -> Self {
        LoadError {
            problem,
            location: Location::in_text(path.clone(), text, offset, 0),
        }
    }

    /// What was wrong, in words (the finding's `parse_error`).
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

/// The default size limit: bigger files get `file-too-large` and are not read.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Reads, classifies and parses one file. Never fails: problems are recorded in the result.
pub(crate) fn load_file(file: &DiscoveredFile, max_size: u64) -> LoadedFile {
    match read_file(file, max_size) {
        FileRead::Bytes(bytes) => load_read(file, &bytes),
        FileRead::Unread(loaded) => *loaded,
    }
}

/// What reading a file gave: its bytes, or (too large, unreadable) the file as loaded.
pub(crate) enum FileRead {
    /// The whole file.
    Bytes(Vec<u8>),
    /// Not read: what the scan says of it.
    Unread(Box<LoadedFile>),
}

/// Reads a file within the size limit.
pub(crate) fn read_file(file: &DiscoveredFile, max_size: u64) -> FileRead {
    let path = file.display.clone();
    let mut out = LoadedFile {
        path: path.clone(),
        size: 0,
        kind: None,
        text: None,
        artifacts: Vec::new(),
        problem: None,
        skipped: None,
        explicit: file.explicit,
        next_page: None,
    };
    match read_limited(&file.fs_path, max_size) {
        Ok(ReadOutcome::All(bytes)) => FileRead::Bytes(bytes),
        Ok(ReadOutcome::TooLarge(size)) => {
            out.size = size;
            // Whatever it is, a file that was not read is said: its kind from its first bytes
            // (a PEM bundle named .txt, a Graph export) or its name, when either tells.
            let head = read_head(&file.fs_path, kind::SNIFF_WINDOW).unwrap_or_default();
            out.kind = sniff(&head, &path);
            out.problem = Some(FileProblem::TooLarge {
                size,
                limit: max_size,
            });
            FileRead::Unread(Box::new(out))
        }
        Err(e) => {
            out.kind = sniff(&[], &path);
            out.problem = Some(FileProblem::Unparseable(LoadError::at_offset(
                &path,
                0,
                LoadProblem::Unreadable(e.to_string()),
            )));
            FileRead::Unread(Box::new(out))
        }
    }
}

/// Loads the bytes read from `file`.
pub(crate) fn load_read(file: &DiscoveredFile, bytes: &[u8]) -> LoadedFile {
    let mut loaded = load_bytes(file.display.clone(), bytes);
    loaded.explicit = file.explicit;
    loaded
}

/// Classifies and parses a file's content (what [`load_file`] does once the bytes are read;
/// the fuzz targets call it directly).
pub(crate) fn load_bytes(path: Arc<str>, bytes: &[u8]) -> LoadedFile {
    let mut out = LoadedFile {
        path: path.clone(),
        size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        kind: None,
        text: None,
        artifacts: Vec::new(),
        problem: None,
        skipped: None,
        explicit: false,
        next_page: None,
    };
    let Some(kind) = sniff(bytes, &path) else {
        out.skipped = Some(
            kind::unsupported_format(bytes)
                .map_or(Skipped::NotRecognised, Skipped::UnsupportedFormat),
        );
        return out;
    };
    out.kind = Some(kind);
    fill(&mut out, kind, bytes);
    out
}

/// Loads `bytes` with the loader of `kind`, whatever the content says.
pub(crate) fn load_as(kind: FileKind, path: Arc<str>, bytes: &[u8]) -> LoadedFile {
    let mut out = LoadedFile {
        path,
        size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        kind: Some(kind),
        text: None,
        artifacts: Vec::new(),
        problem: None,
        skipped: None,
        explicit: false,
        next_page: None,
    };
    fill(&mut out, kind, bytes);
    out
}

/// Runs the loader of `kind` and records what it found in `out`.
fn fill(out: &mut LoadedFile, kind: FileKind, bytes: &[u8]) {
    let path = out.path.clone();
    let parsed = match kind {
        FileKind::Der => der::load(&path, bytes),
        FileKind::Pem => pem::load(&path, bytes),
        FileKind::Registry => registry::load(&path, bytes),
        FileKind::Xml => profile_xml::load(&path, bytes),
        FileKind::PowerShell => powershell_profile::load(&path, bytes),
        FileKind::Dsc => dsc::load(&path, bytes),
        FileKind::Yaml => intune_yaml::load(&path, bytes),
        FileKind::Json => intune::load(&path, bytes),
        FileKind::NpsExport => nps_export::load(&path, bytes),
        FileKind::RrasOutput => rras_output::load(&path, bytes),
    };
    if let Some(what) = parsed.skipped {
        out.kind = None;
        out.skipped = Some(Skipped::NothingToRead(what));
        return;
    }
    // Snippets show this text: its control characters are masked here, once per file, on the
    // loading threads.
    out.text = parsed.text.map(|t| match t {
        FileText::Decoded(t) => FileText::Decoded(crate::printable::masked(t)),
        // Armour and base64: nothing to mask.
        canonical @ FileText::CanonicalPem { .. } => canonical,
    });
    out.artifacts = parsed.artifacts;
    out.problem = parsed.problem.map(FileProblem::Unparseable);
    out.next_page = parsed.next_page;
}

/// What a format loader returns: artifacts, the first problem, and decoded text for snippets.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// Items parsed, in file order.
    pub artifacts: Vec<Artifact>,
    /// The first thing that went wrong.
    pub problem: Option<LoadError>,
    /// The text kept for snippets, for text formats.
    pub text: Option<FileText>,
    /// The file parsed but holds nothing of ours (Graph JSON of a kind we do not read): what it
    /// holds. It is skipped like a file whose content is not recognised, and listed with this.
    pub skipped: Option<String>,
    /// A Graph page whose `@odata.nextLink` says the list goes on in a response the file does
    /// not hold: where the link is.
    pub next_page: Option<Location>,
}

impl Parsed {
    /// Records `e` unless an earlier problem was recorded.
    pub(crate) fn note(&mut self, e: LoadError) {
        if self.problem.is_none() {
            self.problem = Some(e);
        }
    }
}

/// The first `max` bytes of a file (fewer when it is shorter).
fn read_head(path: &std::path::Path, max: usize) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(max);
    fs::File::open(path)?
        .take(u64::try_from(max).unwrap_or(u64::MAX))
        .read_to_end(&mut head)?;
    Ok(head)
}

enum ReadOutcome {
    All(Vec<u8>),
    TooLarge(u64),
}

fn read_limited(path: &std::path::Path, max: u64) -> std::io::Result<ReadOutcome> {
    let f = fs::File::open(path)?;
    let len = f.metadata()?.len();
    if len > max {
        return Ok(ReadOutcome::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // Read one byte past the limit so a file that grew since stat() is still caught.
    f.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > max {
        return Ok(ReadOutcome::TooLarge(read));
    }
    Ok(ReadOutcome::All(bytes))
}
