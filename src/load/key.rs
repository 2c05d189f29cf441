//! Private keys and key containers. They are recognised and located, never decoded further, and
//! nothing of their content is kept: a key's bytes never reach a report.

use crate::location::Location;

/// The kind of key material found.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum KeyKind {
    /// PEM `PRIVATE KEY` or a DER PKCS#8 PrivateKeyInfo.
    Pkcs8,
    /// PEM `RSA PRIVATE KEY` or a DER PKCS#1 RSAPrivateKey.
    Rsa,
    /// PEM `EC PRIVATE KEY` or a DER SEC1 ECPrivateKey.
    Ec,
    /// PEM `DSA PRIVATE KEY`.
    Dsa,
    /// PEM `OPENSSH PRIVATE KEY`.
    OpenSsh,
    /// A legacy PEM key with `Proc-Type: 4,ENCRYPTED`.
    LegacyEncrypted,
    /// PEM `ENCRYPTED PRIVATE KEY` or a DER EncryptedPrivateKeyInfo.
    EncryptedPkcs8,
    /// A PKCS#12 (PFX) file.
    Pkcs12,
}

impl KeyKind {
    /// The name used in fields and messages.
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::Pkcs8 => "pkcs8",
            KeyKind::Rsa => "rsa",
            KeyKind::Ec => "ec",
            KeyKind::Dsa => "dsa",
            KeyKind::OpenSsh => "openssh",
            KeyKind::LegacyEncrypted => "legacy-encrypted",
            KeyKind::EncryptedPkcs8 => "encrypted-pkcs8",
            KeyKind::Pkcs12 => "pkcs12",
        }
    }

    /// Whether the key is protected by a password.
    pub fn is_encrypted(self) -> bool {
        matches!(
            self,
            KeyKind::LegacyEncrypted | KeyKind::EncryptedPkcs8 | KeyKind::Pkcs12
        )
    }

    /// The kind named by a PEM label, if the label is a private key's.
    pub fn from_pem_label(label: &str) -> Option<KeyKind> {
        Some(match label {
            "PRIVATE KEY" => KeyKind::Pkcs8,
            "RSA PRIVATE KEY" => KeyKind::Rsa,
            "EC PRIVATE KEY" => KeyKind::Ec,
            "DSA PRIVATE KEY" => KeyKind::Dsa,
            "OPENSSH PRIVATE KEY" => KeyKind::OpenSsh,
            "ENCRYPTED PRIVATE KEY" => KeyKind::EncryptedPkcs8,
            _ => return None,
        })
    }
}

/// Key material found in a file: what and where, nothing else.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct KeyData {
    /// What kind of key.
    pub kind: KeyKind,
    /// Where it is.
    pub location: Location,
}
