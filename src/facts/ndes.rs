//! NDES hosts: the certificate templates `HKLM\SOFTWARE\Microsoft\Cryptography\MSCEP` names, and
//! which of them the bundle's Intune SCEP profiles select. NDES picks the value by the key usage
//! of the request: digital signature only → `SignatureTemplate`, key encipherment only →
//! `EncryptionTemplate`, both → `GeneralPurposeTemplate`; each is created with the default
//! `IPSECIntermediateOffline` ("IPSec (Offline request)") (`docs/failure-modes.md` §2.5,
//! confirmed: Microsoft's SCEP infrastructure guide and Configuration Manager docs).

use crate::load::xml::Spanned;

use super::RegData;
use super::certificate_profile::CertificateProfiles;
use super::host::RegistryHost;
use super::id::CertificateProfileId;

/// Below HKLM: NDES's template names.
const MSCEP_KEY: &str = r"software\microsoft\cryptography\mscep";
/// The template every MSCEP value names after NDES is installed.
pub(crate) const DEFAULT_TEMPLATE: &str = "IPSECIntermediateOffline";
/// Cloud PKI's SCEP URLs go to Microsoft's service, not to an NDES server.
const CLOUD_PKI_SCEP_PATH: &str = "/cloudpki/";

/// What the bundle shows of one NDES host.
#[derive(Debug, Clone, Default)]
pub struct NdesHost {
    /// The host has the MSCEP key.
    pub present: bool,
    /// The MSCEP values SCEP profiles of the bundle select that still name the default
    /// template, each once (`SignatureTemplate`, …).
    pub default_values_selected: Vec<String>,
    /// Where the first of them is written.
    pub first_default: Option<Spanned<String>>,
    /// The SCEP profiles that select them.
    pub profiles: Vec<CertificateProfileId>,
}

/// The MSCEP value NDES uses for a request with these key usage flags (lower case).
pub(crate) fn selected_value(key_usage: &[String]) -> Option<&'static str> {
    let signature = key_usage.iter().any(|k| k == "digitalsignature");
    let encipherment = key_usage.iter().any(|k| k == "keyencipherment");
    match (signature, encipherment) {
        (true, true) => Some("GeneralPurposeTemplate"),
        (true, false) => Some("SignatureTemplate"),
        (false, true) => Some("EncryptionTemplate"),
        (false, false) => None,
    }
}

/// Fills each host's [`NdesHost`] from its MSCEP key and the bundle's SCEP profiles that go to
/// an NDES server (not Cloud PKI).
pub(crate) fn join(hosts: &mut [RegistryHost], profiles: &CertificateProfiles) {
    let selecting: Vec<(CertificateProfileId, &'static str)> = profiles
        .iter_ids()
        .filter(|(_, p)| p.data.kind == "SCEP")
        .filter(|(_, p)| {
            !p.data.scep_server_urls.is_empty()
                && p.data
                    .scep_server_urls
                    .iter()
                    .any(|u| !u.to_ascii_lowercase().contains(CLOUD_PKI_SCEP_PATH))
        })
        .filter_map(|(id, p)| {
            let ku = p.data.key_usage.as_ref()?;
            Some((id, selected_value(&ku.value)?))
        })
        .collect();
    for h in hosts.iter_mut() {
        let Some(key) = h.keys.get(MSCEP_KEY) else {
            continue;
        };
        let mut n = NdesHost {
            present: true,
            ..NdesHost::default()
        };
        for &(id, value) in &selecting {
            let Some(v) = key.values.get(&value.to_ascii_lowercase()) else {
                continue;
            };
            let named = match &v.data {
                RegData::String(s) | RegData::ExpandString(s) => s.trim(),
                _ => continue,
            };
            if !named.eq_ignore_ascii_case(DEFAULT_TEMPLATE) {
                continue;
            }
            if !n.default_values_selected.iter().any(|x| x == value) {
                n.default_values_selected.push(value.to_owned());
            }
            n.first_default.get_or_insert_with(|| Spanned {
                value: value.to_owned(),
                location: v.location.clone(),
            });
            if !n.profiles.contains(&id) {
                n.profiles.push(id);
            }
        }
        h.ndes = n;
    }
}

#[cfg(test)]
mod tests {
    use super::selected_value;

    #[test]
    fn key_usage_picks_the_mscep_value() {
        let ku = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            selected_value(&ku(&["keyencipherment", "digitalsignature"])),
            Some("GeneralPurposeTemplate")
        );
        assert_eq!(
            selected_value(&ku(&["digitalsignature"])),
            Some("SignatureTemplate")
        );
        assert_eq!(
            selected_value(&ku(&["keyencipherment"])),
            Some("EncryptionTemplate")
        );
        assert_eq!(selected_value(&ku(&[])), None);
    }
}
