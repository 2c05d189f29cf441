//! RRAS settings as PowerShell prints them, the files Richard Hicks' `Get-RrasConfiguration.ps1`
//! collects next to the NPS export: `<host>_authconfig.txt` (`Get-VpnAuthProtocol | Out-File`,
//! a list of `Name : value` lines) and `<host>_ikev2revocation.txt` (`Get-ItemProperty …\Ikev2 |
//! Select-Object CertAuthFlags | Out-File`, a one-column table). `Out-File` in Windows
//! PowerShell writes UTF-16LE with a BOM; the text decoder honours it.
//!
//! The list layout is the one Microsoft's `Set-VpnAuthProtocol` documentation prints (confirmed);
//! what `RootCertificateNameToAccept` shows when it is set (a certificate object, printed over
//! several lines) is not: trustlint reads only whether the value is empty.

use std::sync::Arc;

use super::text::{Fallback, decode_or_note};
use super::xml::Spanned;
use super::{Artifact, LoadError, LoadProblem, Parsed};
use crate::location::{LineIndex, Location};

/// What one file says about a host's RRAS.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct RrasSettingsData {
    /// The file.
    pub location: Location,
    /// `UserAuthProtocolAccepted`: `EAP`, `Certificate`, … (the braces of a list removed).
    pub user_auth_protocols: Option<Spanned<Vec<String>>>,
    /// `RootCertificateNameToAccept` holds a certificate (the value is not empty).
    pub root_certificate_set: Option<Spanned<bool>>,
    /// `CertAuthFlags` of `RemoteAccess\Parameters\Ikev2`.
    pub cert_auth_flags: Option<Spanned<u32>>,
}

/// Whether `head` (decoded, trimmed) is one of the outputs read here.
pub(crate) fn sniff(head: &str) -> bool {
    is_auth_protocol_list(head) || is_cert_auth_flags_table(head)
}

fn is_auth_protocol_list(head: &str) -> bool {
    let starts = |name: &str| {
        head.lines().any(|l| {
            l.starts_with(name)
                && l.get(name.len()..)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
        })
    };
    starts("UserAuthProtocolAccepted") && starts("TunnelAuthProtocolsAdvertised")
}

fn is_cert_auth_flags_table(head: &str) -> bool {
    let mut lines = head.lines().map(str::trim).filter(|l| !l.is_empty());
    lines.next() == Some("CertAuthFlags")
        && lines
            .next()
            .is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b == b'-'))
}

/// Loads one output file.
pub(crate) fn load(path: &Arc<str>, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    let Some(text) = decode_or_note(path, bytes, Fallback::Ansi, &mut out) else {
        return out;
    };
    let index = LineIndex::new(&text);
    let at = |offset: usize, len: usize| index.location(path.clone(), &text, offset, len);
    let mut data = RrasSettingsData {
        location: Location::file(path.clone()),
        user_auth_protocols: None,
        root_certificate_set: None,
        cert_auth_flags: None,
    };
    let trimmed = text.trim_start_matches('\u{feff}');
    if is_cert_auth_flags_table(trimmed) {
        // The value is the first non-empty line after the dashes; none when the property is
        // not set.
        let mut offset = 0usize;
        let mut seen_dashes = false;
        for line in text.split_inclusive('\n') {
            let t = line.trim();
            if seen_dashes && !t.is_empty() {
                let start = offset.saturating_add(line.len() - line.trim_start().len());
                match t.parse::<u32>() {
                    Ok(v) => {
                        data.cert_auth_flags = Some(Spanned {
                            value: v,
                            location: at(start, t.len()),
                        });
                    }
                    Err(_) => out.note(LoadError {
                        problem: LoadProblem::Malformed("CertAuthFlags is not a number".to_owned()),
                        location: at(start, t.len()),
                    }),
                }
                break;
            }
            seen_dashes |= !t.is_empty() && t.bytes().all(|b| b == b'-');
            offset = offset.saturating_add(line.len());
        }
    } else {
        read_list(&text, &at, &mut data);
    }
    out.artifacts.push(Artifact::RrasSettings(Box::new(data)));
    out.text = Some(super::FileText::Decoded(text));
    out
}

/// `Name : value` lines; a value may go on over indented lines (a certificate object).
fn read_list(text: &str, at: &impl Fn(usize, usize) -> Location, data: &mut RrasSettingsData) {
    let mut offset = 0usize;
    let mut current: Option<(String, usize, String)> = None;
    let finish = |entry: Option<(String, usize, String)>, data: &mut RrasSettingsData| {
        let Some((name, start, value)) = entry else {
            return;
        };
        let value = value.trim().to_owned();
        let location = at(start, name.len());
        match name.as_str() {
            "UserAuthProtocolAccepted" => {
                let list = value
                    .trim_start_matches('{')
                    .trim_end_matches('}')
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect();
                data.user_auth_protocols = Some(Spanned {
                    value: list,
                    location,
                });
            }
            "RootCertificateNameToAccept" => {
                data.root_certificate_set = Some(Spanned {
                    value: !value.is_empty(),
                    location,
                });
            }
            _ => {}
        }
    };
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\r', '\n']);
        let indented = body.starts_with([' ', '\t']);
        match body.split_once(':') {
            Some((name, value))
                if !indented
                    && !name.trim().is_empty()
                    && !name.trim().contains(char::is_whitespace) =>
            {
                finish(current.take(), data);
                current = Some((name.trim().to_owned(), offset, value.to_owned()));
            }
            _ => {
                if let Some((_, _, value)) = current.as_mut() {
                    if body.trim().is_empty() {
                        // A blank line ends the record's multi-line value only when the next
                        // line is a new name; keep it.
                        value.push('\n');
                    } else {
                        value.push(' ');
                        value.push_str(body.trim());
                    }
                }
            }
        }
        offset = offset.saturating_add(line.len());
    }
    finish(current.take(), data);
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), String>;

    fn load_text(text: &str) -> Result<RrasSettingsData, String> {
        let p = load(&Arc::from("rras01_authconfig.txt"), text.as_bytes());
        match p.artifacts.into_iter().next() {
            Some(Artifact::RrasSettings(d)) => Ok(*d),
            _ => Err(format!("not read: {:?}", p.problem)),
        }
    }

    #[test]
    fn the_documented_list_is_read() -> TestResult {
        // As Microsoft's Set-VpnAuthProtocol page prints it.
        let text = "\r\nUserAuthProtocolAccepted      : {EAP, Certificate}\r\nTunnelAuthProtocolsAdvertised : Certificates\r\nRootCertificateNameToAccept   :\r\nCertificateAdvertised         :\r\n\r\n";
        assert!(sniff(text.trim_start()));
        let d = load_text(text)?;
        assert_eq!(
            d.user_auth_protocols.map(|s| s.value),
            Some(vec!["EAP".to_owned(), "Certificate".to_owned()])
        );
        assert_eq!(d.root_certificate_set.map(|s| s.value), Some(false));
        // Set: a certificate object over several indented lines.
        let set = text.replace(
            "RootCertificateNameToAccept   :\r\n",
            "RootCertificateNameToAccept   : [Subject]\r\n                                  CN=Contoso Root CA\r\n\r\n                                [Thumbprint]\r\n                                  71899A67BF33AF31BEFDC071F8F733B183856332\r\n",
        );
        let d = load_text(&set)?;
        assert_eq!(d.root_certificate_set.map(|s| s.value), Some(true));
        Ok(())
    }

    #[test]
    fn the_cert_auth_flags_table_is_read() -> TestResult {
        let text = "\r\nCertAuthFlags\r\n-------------\r\n            4\r\n\r\n\r\n";
        assert!(sniff(text.trim_start()));
        let d = load_text(text)?;
        let flags = d.cert_auth_flags.ok_or("no value")?;
        assert_eq!(flags.value, 4);
        assert_eq!(flags.location.line, Some(4));
        // Not set: the column is empty.
        let d = load_text("\r\nCertAuthFlags\r\n-------------\r\n\r\n")?;
        assert!(d.cert_auth_flags.is_none());
        Ok(())
    }
}
