//! CRLs matched to their issuer in the bundle (issuer name or key identifier, confirmed by the
//! signature), and what an NPS relying party can do about revocation.

use rayon::prelude::*;

use crate::load::CrlData;
use crate::location::Location;

use super::fact::Fact;
use super::id::{CertId, CrlId, Id, IdVec};

use super::certificate::Certificate;
use super::host::RegistryHost;
use super::issuer_index::IssuerIndex;
use super::signature::{SignatureCheck, SignatureMemo};

/// One distinct CRL (by SHA-256).
#[derive(Debug, Clone)]
pub struct Crl {
    /// The parsed CRL, from the first place it was seen.
    pub data: CrlData,
    /// Every place it was seen, sorted.
    pub seen: Vec<Location>,
    /// The issuing certificate, when one in the bundle matches.
    pub issuer: Option<CertId>,
    /// How the issuer's key checked the CRL's signature.
    pub issuer_signature: Option<SignatureCheck>,
}

/// The CRLs of the bundle, by id.
pub(crate) type Crls = IdVec<CrlId, Crl>;

/// Matches every CRL to the certificate that issued it: key identifier or name first, then the
/// signature decides; an issuer whose key does not verify is still recorded, with `Invalid`.
pub(crate) fn find_issuers(
    crls: &[Crl],
    certs: &[Certificate],
    index: &IssuerIndex<'_>,
    memo: &SignatureMemo,
) -> Vec<Option<(SignatureCheck, CertId)>> {
    crls.par_iter()
        .map(|crl| {
            let d = &crl.data;
            let digest = memo.is_on().then(|| super::signature::sha256(&d.der));
            let mut best: Option<(SignatureCheck, CertId)> = None;
            let candidates = index.candidates(d.authority_key_id.as_deref(), &d.issuer.der);
            for (checked, k) in candidates.found.iter().enumerate() {
                if checked == super::chain::MAX_KEYS_CHECKED {
                    break;
                }
                let i = k.id.index();
                let Some(c) = certs.get(i) else { continue };
                let result = match digest {
                    Some(digest) => memo.check(digest, &d.der, &d.signed, &c.data),
                    None => super::signature::check(&d.der, &d.signed, &c.data),
                };
                if best.is_none_or(|(b, _)| result < b) {
                    best = Some((result, CertId::from_index(i)));
                }
                if result == SignatureCheck::Valid {
                    break;
                }
            }
            best
        })
        .collect()
}

/// Records what [`find_issuers`] found.
pub(crate) fn set_issuers(crls: &mut [Crl], matched: Vec<Option<(SignatureCheck, CertId)>>) {
    for (crl, best) in crls.iter_mut().zip(matched) {
        crl.issuer = best.map(|(_, i)| i);
        crl.issuer_signature = best.map(|(s, _)| s);
    }
}

/// Across the NPS hosts of the bundle, whether a condition holds on all, some or none of them;
/// `Unknown` when the bundle holds no NPS snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Every NPS host.
    All,
    /// Some but not all.
    Some,
    /// None of them.
    None,
    /// No NPS host in the bundle.
    Unknown,
}

impl Coverage {
    /// The field value.
    pub fn name(self) -> &'static str {
        match self {
            Coverage::All => "all",
            Coverage::Some => "some",
            Coverage::None => "none",
            Coverage::Unknown => "unknown",
        }
    }

    /// How many of the NPS hosts whose EAP keys a snapshot shows satisfy `pred` (a host known
    /// only from its NPS export has values nobody can read: it is not counted either way).
    pub fn over(hosts: &[RegistryHost], pred: impl Fn(&RegistryHost) -> bool) -> Coverage {
        let nps: Vec<&RegistryHost> = hosts.iter().filter(|h| h.has_eap_snapshot()).collect();
        let yes = nps.iter().filter(|h| pred(h)).count();
        match (nps.len(), yes) {
            (0, _) => Coverage::Unknown,
            (n, y) if y == n => Coverage::All,
            (_, 0) => Coverage::None,
            _ => Coverage::Some,
        }
    }
}

/// Marks every certificate listed on a CRL of its own issuer that the issuer's key verifies and
/// that is current at `now` (thisUpdate ≤ now ≤ nextUpdate): what Windows treats as revoked. A
/// stale CRL is not evidence of revocation; it is its own finding (`crl-expired`). Neither is a
/// CRL whose issuer's keyUsage lacks cRLSign (RFC 5280 §6.3.3 (f);
/// `crl-issuer-without-crl-sign`). "Its own issuer" is the CA, not one certificate of it: the
/// CRL may match the CA's cross-certificate or renewal while the chain took another.
pub(crate) fn mark_revoked(
    certs: &mut [Certificate],
    crls: &Crls,
    by_issuer: &std::collections::HashMap<CertId, Vec<CrlId>>,
    now: i64,
) {
    let counts = |k: &CrlId| {
        crls.get(*k).is_some_and(|crl| {
            let current =
                crl.data.this_update <= now && crl.data.next_update.is_none_or(|n| now <= n);
            let signer_may_sign = crl
                .issuer
                .and_then(|i| certs.get(i.index()))
                .is_some_and(|issuer| issuer.may_sign_crls());
            crl.issuer_signature == Some(SignatureCheck::Valid)
                && current
                && signer_may_sign
                && !crl.data.revoked_serials.is_empty()
        })
    };
    // Most bundles list no revoked serial at all: then no certificate needs a look.
    let crls_of: std::collections::HashMap<CertId, Vec<CrlId>> = by_issuer
        .iter()
        .filter_map(|(i, ks)| {
            let ks: Vec<CrlId> = ks.iter().copied().filter(counts).collect();
            (!ks.is_empty()).then_some((*i, ks))
        })
        .collect();
    if crls_of.is_empty() {
        return;
    }
    certs.par_iter_mut().for_each(|c| {
        let Some(issuer) = c.issuer else { return };
        c.revoked_by = crls_of.get(&issuer).and_then(|ks| {
            ks.iter().copied().find(|&k| {
                crls.get(k).is_some_and(|crl| {
                    crl.data
                        .revoked_serials
                        .binary_search(&c.data.serial)
                        .is_ok()
                })
            })
        });
    });
}

/// The CRLs of each issuer of the bundle's certificates: every CRL signed with the issuer's
/// subject and key, whatever its signature check or dates (rules judge those), in id order. One
/// pass over the CRLs and one over the distinct issuers: linear.
pub(crate) fn crls_by_issuer(
    certs: &[Certificate],
    crls: &Crls,
) -> std::collections::HashMap<CertId, Vec<CrlId>> {
    // By the CA (subject and public key) that signed them: the CRL may match the CA's
    // cross-certificate or renewal while a chain took another certificate of it.
    let mut by_ca: std::collections::HashMap<(&[u8], &[u8]), Vec<CrlId>> =
        std::collections::HashMap::new();
    for (k, crl) in crls.iter_ids() {
        if let Some(issuer) = crl.issuer.and_then(|i| certs.get(i.index())) {
            by_ca
                .entry((issuer.data.subject.der.as_slice(), issuer.public_key()))
                .or_default()
                .push(k);
        }
    }
    if by_ca.is_empty() {
        return std::collections::HashMap::new();
    }
    // Each distinct issuer of the bundle once (a few CAs issue thousands of certificates).
    let mut issuers: Vec<CertId> = certs.iter().filter_map(|c| c.issuer).collect();
    issuers.sort_unstable();
    issuers.dedup();
    issuers
        .into_iter()
        .filter_map(|i| {
            let issuer = certs.get(i.index())?;
            let ks = by_ca.get(&(issuer.data.subject.der.as_slice(), issuer.public_key()))?;
            Some((i, ks.clone()))
        })
        .collect()
}

impl Crl {
    /// `CRL of <issuer CN>` (else the whole issuer name): what messages call the CRL.
    pub fn display_name(&self) -> String {
        format!("CRL of {}", self.data.issuer.short())
    }
}

impl Fact for Crl {
    fn kind_name(&self) -> &'static str {
        "CRL"
    }
    fn identity(&self) -> String {
        format!("crl sha256:{}", self.data.sha256)
    }
    fn display_name(&self) -> String {
        Crl::display_name(self)
    }
    fn location(&self) -> Option<Location> {
        Some(
            self.seen
                .first()
                .cloned()
                .unwrap_or_else(|| self.data.location.clone()),
        )
    }
    fn summary(&self) -> Option<String> {
        Some(format!(
            "CRL issuer:  {}\nthis update: {}\nnext update: {}\nrevoked:     {}\n",
            self.data.issuer.text,
            crate::clock::format_rfc3339(self.data.this_update),
            self.data
                .next_update
                .map_or_else(|| "(none)".to_owned(), crate::clock::format_rfc3339),
            self.data.revoked_serials.len()
        ))
    }
    fn also_seen(&self) -> &[Location] {
        self.seen.get(1..).unwrap_or_default()
    }
}

/// Whether a revocation URL can be fetched from the internet as written: `http` or `https`, a
/// host that is a DNS name with a dot outside the private suffixes (`.local`, `.lan`,
/// `.internal`, `.corp`, `.home.arpa`), or a public IP address. An `ldap://` URL, a single-label
/// host (`http://pki/…`) or a private address reaches only clients on the internal network.
pub(crate) fn publicly_reachable(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return match ip {
            std::net::IpAddr::V4(v4) => {
                !(v4.is_private() || v4.is_loopback() || v4.is_link_local() || v4.is_unspecified())
            }
            std::net::IpAddr::V6(v6) => {
                let first = v6.segments().first().copied().unwrap_or(0);
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80)
            }
        };
    }
    const PRIVATE_SUFFIXES: [&str; 5] = [".local", ".lan", ".internal", ".corp", ".home.arpa"];
    host.contains('.')
        && !host.ends_with('.')
        && !PRIVATE_SUFFIXES.iter().any(|s| host.ends_with(s))
}

#[cfg(test)]
mod reachability_tests {
    use super::publicly_reachable;

    #[test]
    fn internal_revocation_urls_are_told_from_public_ones() {
        for public in [
            "http://crl.contoso.com/pki/issuing.crl",
            "HTTPS://pki.contoso.com:8443/x.crl",
            "http://203.0.113.9/x.crl",
            "http://primary-cdn.pki.azure.net/centralus/crls/x.crl",
        ] {
            assert!(publicly_reachable(public), "{public}");
        }
        for internal in [
            "ldap:///CN=Contoso%20Issuing%20CA,CN=CDP,DC=contoso,DC=com?certificateRevocationList",
            "http://pki/CertEnroll/x.crl",
            "http://ca01.contoso.local/CertEnroll/x.crl",
            "http://10.0.0.4/x.crl",
            "http://192.168.1.2:80/x.crl",
            "http://[fd00::1]/x.crl",
            "file://ca01/x.crl",
        ] {
            assert!(!publicly_reachable(internal), "{internal}");
        }
    }
}
