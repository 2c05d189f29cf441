//! Name constraints (RFC 5280 §4.2.1.10) as the chain engine applies them: every name of a
//! certificate must fall inside a CA's permitted subtrees of its form, when the CA has any of
//! that form, and outside its excluded subtrees. Windows reports a breach as
//! `CERT_TRUST_INVALID_NAME_CONSTRAINTS` (or one of its `…NAME_CONSTRAINT` siblings).
//!
//! Evaluated: dNSName, rfc822Name (SAN e-mail and the subject's e-mail attribute), iPAddress,
//! directoryName (the subject). Other forms (URI, otherName such as the UPN) are not.

use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Name;

use crate::load::CertificateData;
use crate::load::x509::{NameConstraints, SubtreeName};

/// Most name-against-subtree comparisons one certificate may cost, as rustls-webpki bounds them
/// (250,000): a crafted CA with thousands of subtrees over a certificate with thousands of
/// names would otherwise cost their product.
pub(crate) const MAX_COMPARISONS: usize = 250_000;

/// How a certificate breaks a CA's name constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameConstraintBreach {
    /// This name is outside every permitted subtree of its form.
    NotPermitted(String),
    /// This name is inside an excluded subtree.
    Excluded(String),
    /// The comparisons passed [`MAX_COMPARISONS`]; trustlint stopped (rustls-webpki rejects).
    TooManyComparisons,
}

impl NameConstraintBreach {
    /// Words for messages.
    pub fn describe(&self) -> String {
        match self {
            NameConstraintBreach::NotPermitted(n) => {
                format!("'{n}' is outside its permitted subtrees")
            }
            NameConstraintBreach::Excluded(n) => format!("'{n}' is inside its excluded subtrees"),
            NameConstraintBreach::TooManyComparisons => format!(
                "checking its names took more than {MAX_COMPARISONS} comparisons, where trustlint (like rustls-webpki) stops"
            ),
        }
    }
}

/// One name of a certificate, in the form constraints compare.
enum Name<'a> {
    Dns(&'a str),
    Email(String),
    Ip(&'a [u8]),
    /// The subject: its DER (for messages) and its RDNs, prepared once.
    Directory(&'a [u8], Rdns),
}

/// A name's RDNs, each a sorted list of (attribute OID, prepared value).
type Rdns = Vec<Vec<(String, String)>>;

impl Name<'_> {
    fn text(&self) -> String {
        match self {
            Name::Dns(s) => (*s).to_owned(),
            Name::Email(s) => s.clone(),
            Name::Ip(ip) => ip_text(ip),
            Name::Directory(der, _) => X509Name::from_der(der)
                .map(|(_, n)| n.to_string())
                .unwrap_or_default(),
        }
    }
}

/// The names of one certificate that name constraints judge, gathered (and its subject parsed)
/// once for every CA above it.
pub(crate) struct Names<'a>(Vec<Name<'a>>);

impl<'a> Names<'a> {
    /// DNS and e-mail names of the SAN, the subject's e-mail attributes, SAN IP addresses, and
    /// the subject itself when it is not empty.
    pub(crate) fn of(cert: &'a CertificateData) -> Names<'a> {
        let mut names: Vec<Name<'a>> = Vec::new();
        names.extend(cert.san_dns.iter().map(|s| Name::Dns(s)));
        names.extend(cert.san_email.iter().map(|s| Name::Email(s.clone())));
        let subject = X509Name::from_der(&cert.subject.der).ok().map(|(_, n)| n);
        if let Some(n) = &subject {
            names.extend(
                n.iter_email()
                    .filter_map(|a| a.as_str().ok().map(|e| Name::Email(e.to_owned()))),
            );
        }
        names.extend(cert.san_ip.iter().map(|ip| Name::Ip(ip)));
        if let Some(n) = subject.filter(|_| !cert.subject.text.is_empty()) {
            names.push(Name::Directory(&cert.subject.der, rdns(&n)));
        }
        Names(names)
    }
}

/// Checks `names` against `nc`, spending from `budget`.
pub(crate) fn check(
    names: &Names<'_>,
    nc: &NameConstraints,
    budget: &mut usize,
) -> Option<NameConstraintBreach> {
    for name in &names.0 {
        let mut permitted_of_form = false;
        let mut permitted = false;
        for subtree in &nc.permitted {
            let Some(of_form) = matches(name, subtree, budget) else {
                return Some(NameConstraintBreach::TooManyComparisons);
            };
            if let Some(hit) = of_form {
                permitted_of_form = true;
                permitted |= hit;
            }
        }
        if permitted_of_form && !permitted {
            return Some(NameConstraintBreach::NotPermitted(name.text()));
        }
        for subtree in &nc.excluded {
            let Some(of_form) = matches(name, subtree, budget) else {
                return Some(NameConstraintBreach::TooManyComparisons);
            };
            if of_form == Some(true) {
                return Some(NameConstraintBreach::Excluded(name.text()));
            }
        }
    }
    None
}

/// `Some(Some(hit))` when `subtree` is of `name`'s form, `Some(None)` when it is of another,
/// `None` once the budget is spent.
fn matches(name: &Name<'_>, subtree: &SubtreeName, budget: &mut usize) -> Option<Option<bool>> {
    if *budget == 0 {
        return None;
    }
    *budget = budget.saturating_sub(1);
    Some(match (name, subtree) {
        (Name::Dns(n), SubtreeName::Dns(c)) => Some(dns_within(n, c)),
        (Name::Email(n), SubtreeName::Email(c)) => Some(email_within(n, c)),
        (Name::Ip(n), SubtreeName::Ip(c)) => ip_within(n, c),
        (Name::Directory(_, n), SubtreeName::Directory(c)) => Some(directory_within(n, c)),
        _ => None,
    })
}

/// A DNS name is within `constraint` when it is the constraint or ends with `.constraint`; a
/// constraint with a leading dot takes names below it only; an empty one takes every name.
fn dns_within(name: &str, constraint: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let c = constraint.trim_end_matches('.').to_ascii_lowercase();
    if c.is_empty() {
        return true;
    }
    if c.starts_with('.') {
        return name.ends_with(&c) && name.len() > c.len();
    }
    name == c || name.ends_with(&format!(".{c}"))
}

/// An address is within a mailbox constraint when equal, within a host constraint when its
/// host is that host, within `.domain` when its host is below the domain.
fn email_within(address: &str, constraint: &str) -> bool {
    let address = address.to_ascii_lowercase();
    let c = constraint.to_ascii_lowercase();
    if c.contains('@') {
        return address == c;
    }
    let host = address
        .rsplit_once('@')
        .map_or(address.as_str(), |(_, h)| h);
    if c.starts_with('.') {
        host.ends_with(&c)
    } else {
        host == c
    }
}

/// An address is within address/mask when the masked bits agree; another family is not of
/// this constraint's form.
fn ip_within(address: &[u8], constraint: &[u8]) -> Option<bool> {
    if constraint.len() != address.len().saturating_mul(2) {
        return None;
    }
    let (net, mask) = constraint.split_at(address.len());
    Some(
        address
            .iter()
            .zip(net)
            .zip(mask)
            .all(|((a, n), m)| a & m == n & m),
    )
}

/// A subject is within a directory name when the constraint's RDNs begin the subject's, each
/// compared attribute by attribute (strings trimmed, case and inner spaces folded, as RFC 4518
/// prepares them, in short).
fn directory_within(subject: &Rdns, constraint: &[u8]) -> bool {
    let Ok((_, c)) = X509Name::from_der(constraint) else {
        return false;
    };
    let c = rdns(&c);
    c.len() <= subject.len() && subject.iter().zip(&c).all(|(a, b)| a == b)
}

/// The RDNs of `n`, prepared for comparison.
fn rdns(n: &X509Name<'_>) -> Rdns {
    n.iter()
        .map(|rdn| {
            let mut attrs: Vec<(String, String)> = rdn
                .iter()
                .map(|a| {
                    let value = a.as_str().map_or_else(
                        |_| format!("{:x?}", a.attr_value().data),
                        |v| {
                            v.split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" ")
                                .to_lowercase()
                        },
                    );
                    (a.attr_type().to_id_string(), value)
                })
                .collect();
            attrs.sort();
            attrs
        })
        .collect()
}

fn ip_text(ip: &[u8]) -> String {
    match ip.len() {
        4 => ip.iter().map(u8::to_string).collect::<Vec<_>>().join("."),
        _ => ip
            .chunks(2)
            .map(|p| p.iter().map(|b| format!("{b:02x}")).collect::<String>())
            .collect::<Vec<_>>()
            .join(":"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_subtrees_take_the_domain_and_below() {
        assert!(dns_within("vpn.contoso.com", "contoso.com"));
        assert!(dns_within("contoso.com", "contoso.com"));
        assert!(!dns_within("evilcontoso.com", "contoso.com"));
        assert!(!dns_within("contoso.com", ".contoso.com"));
        assert!(dns_within("a.contoso.com", ".contoso.com"));
        assert!(dns_within("anything.example", ""));
        assert!(dns_within("VPN.Contoso.COM.", "contoso.com"));
    }

    #[test]
    fn email_subtrees_take_mailboxes_hosts_and_domains() {
        assert!(email_within("alice@contoso.com", "alice@contoso.com"));
        assert!(!email_within("bob@contoso.com", "alice@contoso.com"));
        assert!(email_within("bob@contoso.com", "contoso.com"));
        assert!(!email_within("bob@mail.contoso.com", "contoso.com"));
        assert!(email_within("bob@mail.contoso.com", ".contoso.com"));
    }

    #[test]
    fn ip_subtrees_compare_the_masked_bits_of_one_family() {
        let net = [10, 1, 0, 0, 255, 255, 0, 0];
        assert_eq!(ip_within(&[10, 1, 2, 3], &net), Some(true));
        assert_eq!(ip_within(&[10, 2, 2, 3], &net), Some(false));
        assert_eq!(ip_within(&[0; 16], &net), None);
    }
}
