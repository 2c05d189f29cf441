//! Baselines: the fingerprints of the findings a repository already has, so a CI gate can be
//! adopted on it and report only what is new. Fingerprints come from the rule and the entity's
//! identity (a certificate's SHA-256, …), so a certificate that moves keeps its fingerprint.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::report::Finding;

/// The format version written and accepted.
pub const VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version.
    pub version: u32,
    /// `trustlint`.
    pub tool: String,
    /// The findings recorded, sorted by fingerprint.
    pub findings: Vec<BaselineEntry>,
}

/// One recorded finding; only the fingerprint is matched, the rest helps a reviewer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The finding fingerprint.
    pub fingerprint: String,
    /// The rule name.
    pub rule: String,
    /// The entity's identity.
    pub entity: String,
    /// Where it was when recorded.
    pub path: String,
}

/// Why a baseline file cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum BaselineError {
    /// It cannot be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// It is not a trustlint baseline of this version.
    #[error("{path}: not a trustlint baseline of version {VERSION}: {message}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl Baseline {
    /// The baseline of `findings`.
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule: f.rule_name.to_string(),
                entity: f.entity.clone(),
                path: f.location.path.to_string(),
            })
            .collect();
        entries.sort();
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline {
            version: VERSION,
            tool: "trustlint".to_owned(),
            findings: entries,
        }
    }

    /// Reads a baseline, refusing other versions and other tools' files.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let shown = path.display().to_string();
        let text = crate::config::read_regular_file(path).map_err(|e| BaselineError::Io {
            path: shown.clone(),
            message: format!("cannot read: {e}"),
        })?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| BaselineError::Format {
                path: shown.clone(),
                message: e.to_string(),
            })?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) => {
                return Err(BaselineError::Format {
                    path: shown,
                    message: format!("it is version {v}; write a new one with --write-baseline"),
                });
            }
            None => {
                return Err(BaselineError::Format {
                    path: shown,
                    message: "no \"version\" field".to_owned(),
                });
            }
        }
        serde_json::from_value(value).map_err(|e| BaselineError::Format {
            path: shown,
            message: e.to_string(),
        })
    }

    /// The baseline as JSON text.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The recorded fingerprints.
    pub fn fingerprints(&self) -> BTreeSet<&str> {
        self.findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect()
    }
}
