//! A host's Routing and Remote Access settings that decide which certificates its VPN accepts
//! and presents: IKEv2 machine-certificate authentication and its CRL check
//! (`RemoteAccess\Parameters\Ikev2\CertAuthFlags`), the root it restricts machine certificates
//! to (`Get-VpnAuthProtocol`'s `RootCertificateNameToAccept`), and the SSTP certificate binding
//! (`SstpSvc\Parameters\Sha256CertificateHash` / `Sha1CertificateHash`). From registry snapshots
//! and the PowerShell outputs collectors save (`docs/failure-modes.md` §2.3).

use crate::load::RrasSettingsData;
use crate::load::xml::Spanned;
use crate::location::Location;

use super::RegData;
use super::certificate::Certificates;
use super::host::RegistryHost;
use super::id::CertId;
use super::thumbprint_index::ThumbprintIndex;

/// Below HKLM: RRAS's IKEv2 parameters.
const IKEV2_KEY: &str = r"system\currentcontrolset\services\remoteaccess\parameters\ikev2";
/// Below HKLM: the SSTP service's parameters.
const SSTP_KEY: &str = r"system\currentcontrolset\services\sstpsvc\parameters";

/// What the bundle shows of one host's RRAS.
#[derive(Debug, Clone, Default)]
pub struct RrasHost {
    /// The host runs IKEv2 VPN: a snapshot holds the Ikev2 key or an output shows its settings.
    pub ikev2: bool,
    /// Where that shows (the key line, or the output file).
    pub ikev2_location: Option<Location>,
    /// `CertAuthFlags`: the value when set; 0 (no revocation check) when the key is there
    /// without it; `None` when nothing shows it.
    pub cert_auth_flags: Option<u32>,
    /// Where `CertAuthFlags` is written, when it is.
    pub cert_auth_flags_location: Option<Location>,
    /// `UserAuthProtocolAccepted` includes `Certificate`: IKEv2 machine-certificate
    /// authentication (device tunnels) is on; `None` without a `Get-VpnAuthProtocol` output.
    pub machine_certificates_accepted: Option<Spanned<bool>>,
    /// `RootCertificateNameToAccept` is set; `None` without a `Get-VpnAuthProtocol` output.
    pub root_restricted: Option<Spanned<bool>>,
    /// The SSTP certificate hash value (SHA-256 preferred, as RRAS binds by it).
    pub sstp_hash: Option<Spanned<String>>,
    /// The certificate of the bundle that hash names.
    pub sstp_certificate: Option<CertId>,
}

/// Fills each host's [`RrasHost`] from its snapshots and the outputs in `outputs` it owns.
pub(crate) fn join(hosts: &mut [RegistryHost], outputs: &[RrasSettingsData], certs: &Certificates) {
    let index = ThumbprintIndex::new(certs);
    for h in hosts.iter_mut() {
        let mut r = RrasHost::default();
        if let Some(key) = h.keys.get(IKEV2_KEY) {
            r.ikev2 = true;
            r.ikev2_location = Some(key.location.clone());
            r.cert_auth_flags = Some(0);
            if let Some(v) = key.values.get("certauthflags")
                && let RegData::Dword(flags) = v.data
            {
                r.cert_auth_flags = Some(flags);
                r.cert_auth_flags_location = Some(v.location.clone());
            }
        }
        for o in h.rras_outputs.iter().filter_map(|&i| outputs.get(i)) {
            if let Some(flags) = &o.cert_auth_flags {
                r.ikev2 = true;
                r.ikev2_location.get_or_insert_with(|| o.location.clone());
                r.cert_auth_flags = Some(flags.value);
                r.cert_auth_flags_location = Some(flags.location.clone());
            }
            if let Some(p) = &o.user_auth_protocols {
                r.ikev2 = true;
                r.ikev2_location.get_or_insert_with(|| o.location.clone());
                r.machine_certificates_accepted = Some(Spanned {
                    value: p
                        .value
                        .iter()
                        .any(|x| x.eq_ignore_ascii_case("Certificate")),
                    location: p.location.clone(),
                });
            }
            if let Some(root) = &o.root_certificate_set {
                r.root_restricted = Some(root.clone());
            }
        }
        let hash = |name: &str| {
            let v = h.keys.get(SSTP_KEY)?.values.get(name)?;
            let RegData::Binary { bytes, .. } = &v.data else {
                return None;
            };
            Some(Spanned {
                value: bytes.iter().map(|b| format!("{b:02x}")).collect::<String>(),
                location: v.location.clone(),
            })
        };
        r.sstp_hash = hash("sha256certificatehash").or_else(|| hash("sha1certificatehash"));
        r.sstp_certificate = r.sstp_hash.as_ref().and_then(|s| match s.value.len() {
            64 => index.by_sha256(&s.value),
            40 => index.by_sha1(&s.value),
            _ => None,
        });
        h.rras = r;
    }
}
