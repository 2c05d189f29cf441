//! What NPS reason codes mean, for `trustlint explain reason N`: Microsoft's text (the reason
//! code pages of the Windows Server 2008 R2 NPS documentation, still the only published list),
//! abridged, and where trustlint's reading of a code goes beyond that text, said so.
//! Sources and confidence: `../shared/docs/domain.md` §4 and `docs/failure-modes.md` §3 (e).

/// Microsoft's meaning of an NPS reason code, with trustlint's notes; `None` for a code this
/// list does not hold.
pub fn meaning(code: u32) -> Option<&'static str> {
    let text = match code {
        16 => {
            "Authentication failed because of a user credentials mismatch: the user name does not map \
             to an existing account, or the password is wrong. With certificates it has several \
             causes besides a missing strong mapping (KB5014754): a client whose TPM signs with \
             RSA-PSS in a way NPS rejects (older TPM 2.0 firmware; third-party), and an \
             Entra-joined device, which has no Active Directory computer object to map to \
             (third-party)."
        }
        22 => {
            "The client could not be authenticated because the EAP type cannot be processed by the server."
        }
        23 => "An error occurred during the Network Policy Server use of the EAP.",
        48 => "The connection request did not match any configured network policy.",
        49 => "The connection request did not match any configured connection request policy.",
        65 => {
            "The connection attempt failed because remote access permission for the user account was denied."
        }
        66 => {
            "The user attempted to use an authentication method that is not enabled on the matching \
             network policy (the VPN client shows 812)."
        }
        73 => {
            "The purposes configured in the Application Policies extensions (EKUs) of the certificate are not valid or are missing: no Client Authentication."
        }
        256 => "The certificate provided by the user or computer has been revoked.",
        258 => {
            "The revocation function was unable to check revocation for the certificate: NPS cannot reach a CRL (no CDP, or an unreachable one)."
        }
        259 => "The certification authority that manages the CRL is not available.",
        262 => {
            "The supplied message is incomplete and the signature was not verified: a malformed or \
             unverifiable RADIUS message (Message-Authenticator), not a credential problem (that is \
             263)."
        }
        263 => "The credentials supplied were not recognized (bad credentials).",
        265 => {
            "The certificate chain was issued by an enterprise root certification authority that is \
             not trusted by the NPS server. Microsoft's text does not mention NTAuth: reading it as \
             an NTAuth problem is an inference."
        }
        267 => "The certificate does not have a valid purpose (EKU) for this use.",
        268 => "The certificate has expired.",
        269 => {
            "The SSPI called by EAP reports that the client and server cannot communicate, because they do not possess a common algorithm (TLS version, cipher or signature scheme)."
        }
        278 => "The certificate has expired.",
        279 => "The validity periods of the certificates in the chain do not match (not nested).",
        281 => "A path length constraint in the certification chain has been exceeded.",
        282 => "The certificate contains a critical extension that NPS does not recognize.",
        283 => {
            "The certificate is not valid for the requested usage: it lacks Client Authentication in its Application Policies."
        }
        284 => {
            "A certificate in the chain is not the issuer of the certificate below it (issuer and parent do not match)."
        }
        286 | 295 => {
            "The certificate was issued by a certification authority that is not trusted by the NPS server (its root or an intermediate is missing from the server's stores)."
        }
        288 => "An unspecified trust failure occurred.",
        294 => {
            "The certificate has been explicitly marked as untrusted (Untrusted Certificates store)."
        }
        _ => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::meaning;

    #[test]
    fn the_codes_the_sources_corrected_say_what_microsoft_says() {
        let m = |c| meaning(c).unwrap_or_default();
        assert!(m(262).contains("Message-Authenticator") && m(262).contains("not a credential"));
        assert!(m(263).contains("credentials"));
        assert!(m(265).contains("does not mention NTAuth") && m(265).contains("inference"));
        assert!(m(16).contains("TPM") && m(16).contains("Entra"));
        assert_eq!(meaning(1), None);
    }
}
