//! `trustlint chain FILE`: one certificate's chain as the bundle resolves it, with what a relying
//! party can learn about each element's revocation, offline. Like `certutil -verify -urlfetch`
//! without the fetching.

use std::fmt::Write;

use crate::clock::format_rfc3339;
use crate::facts::{Bundle, CertId, Certificate, Role};

/// The chain views of every certificate found in `path` (a file of the bundle), or `None` when
/// the bundle holds no certificate from that file.
pub fn describe(bundle: &Bundle, path: &str) -> Option<String> {
    let starts: Vec<CertId> = bundle
        .certificates
        .iter_ids()
        .filter(|(_, c)| c.seen.iter().any(|l| &*l.path == path))
        .map(|(id, _)| id)
        .collect();
    if starts.is_empty() {
        return None;
    }
    let mut out = String::new();
    for start in starts {
        describe_one(bundle, start, &mut out);
    }
    let _ = writeln!(out, "{}", nps_summary(bundle));
    Some(out)
}

fn describe_one(bundle: &Bundle, start: CertId, out: &mut String) {
    let Some(leaf) = bundle.certificates.get(start) else {
        return;
    };
    let _ = writeln!(
        out,
        "chain of '{}' ({}), at {}\n",
        leaf.display_name(),
        leaf.data.location.path,
        format_rfc3339(bundle.now)
    );
    for (depth, &i) in leaf.chain.iter().enumerate() {
        let Some(c) = bundle.certificates.get(i) else {
            continue;
        };
        let role = match c.role {
            Role::Root => "root (trust anchor)",
            Role::IntermediateCa => "intermediate CA",
            Role::Leaf if c.client_auth => "leaf, client authentication",
            Role::Leaf => "leaf",
        };
        let _ = writeln!(out, "[{depth}] {}  —  {role}", c.data.subject.text);
        let _ = writeln!(
            out,
            "    thumbprint {}  serial {}",
            c.data.sha1, c.data.serial
        );
        let validity = if c.data.not_after < bundle.now {
            "EXPIRED"
        } else if c.data.not_before > bundle.now {
            "NOT YET VALID"
        } else {
            "valid"
        };
        let _ = writeln!(
            out,
            "    {} to {} ({validity}); {} {}-bit key, {}",
            format_rfc3339(c.data.not_before),
            format_rfc3339(c.data.not_after),
            c.data.key_algorithm.name(),
            c.data.key_bits,
            c.data.signed.algorithm_name
        );
        let _ = writeln!(out, "    revocation: {}", revocation(c));
        for ca in c
            .links
            .cloud_cas
            .iter()
            .filter_map(|&k| bundle.profiles.cloud_cas.get(k))
        {
            let _ = writeln!(
                out,
                "    Microsoft Cloud PKI CA '{}' ({}), exported in {}; its CRL URL: {}",
                ca.data.name.as_deref().unwrap_or("(unnamed)"),
                ca.data.ca_type.as_deref().unwrap_or("type not exported"),
                ca.data.location.path,
                ca.data.crl_url.as_deref().unwrap_or("(none)")
            );
        }
        if depth > 0
            && let Some(&below) = leaf.chain.get(depth.saturating_sub(1))
            && let Some(child) = bundle.certificates.get(below)
        {
            let _ = writeln!(
                out,
                "    CRL in the bundle for what it issued: {}",
                bundle_crl(bundle, i, child)
            );
        }
    }
    let Some(last) = leaf.chain.last().and_then(|&i| bundle.certificates.get(i)) else {
        return;
    };
    if leaf.chain_complete {
        let _ = writeln!(
            out,
            "\nthe chain is complete: it ends in a self-signed root of the bundle\n"
        );
    } else {
        let aia = if last.data.ca_issuers.is_empty() {
            String::new()
        } else {
            format!(" (its AIA points at {})", last.data.ca_issuers.join(", "))
        };
        let _ = writeln!(
            out,
            "\nthe chain is incomplete: the issuer of '{}' is not in the bundle{aia}\n",
            last.display_name()
        );
    }
}

fn revocation(c: &Certificate) -> String {
    if c.self_signed {
        return "not checked for a self-signed root".to_owned();
    }
    let cdp = &c.data.crl_distribution_points;
    let ocsp = &c.data.ocsp;
    if cdp.is_empty() && ocsp.is_empty() {
        return "NO CDP and NO OCSP: status unknown; NPS rejects with reason 258 unless IgnoreNoRevocationCheck=1"
            .to_owned();
    }
    let mut parts = Vec::new();
    if !cdp.is_empty() {
        let ldap_only = cdp
            .iter()
            .all(|u| u.to_ascii_lowercase().starts_with("ldap:"));
        parts.push(format!(
            "CDP {}{}",
            cdp.join(", "),
            if ldap_only {
                " (LDAP only: unreachable outside the domain)"
            } else {
                ""
            }
        ));
    }
    if !ocsp.is_empty() {
        parts.push(format!("OCSP {}", ocsp.join(", ")));
    }
    parts.join("; ")
}

/// The freshest CRL of the bundle issued by certificate `issuer`, and whether `child` is on it.
fn bundle_crl(bundle: &Bundle, issuer: CertId, child: &Certificate) -> String {
    let crl = bundle
        .crls
        .iter()
        .filter(|crl| crl.issuer == Some(issuer) && !crl.data.is_delta)
        .max_by_key(|crl| crl.data.this_update);
    let Some(crl) = crl else {
        return "none".to_owned();
    };
    let fresh = crl.data.next_update.is_none_or(|n| n >= bundle.now);
    let revoked = crl.data.revoked_serials.contains(&child.data.serial);
    format!(
        "{} (next update {}{}){}",
        crl.data.location.path,
        crl.data
            .next_update
            .map_or_else(|| "none".to_owned(), format_rfc3339),
        if fresh { "" } else { ", EXPIRED" },
        if revoked {
            format!(": '{}' is REVOKED", child.display_name())
        } else {
            String::new()
        }
    )
}

fn nps_summary(bundle: &Bundle) -> String {
    let hosts: Vec<String> = bundle
        .nps_hosts()
        .map(|h| {
            let v = h
                .eap_tls
                .as_ref()
                .map_or(0, |e| e.ignore_no_revocation_check.value);
            format!("{} (EAP\\13 IgnoreNoRevocationCheck={v})", h.name)
        })
        .collect();
    if hosts.is_empty() {
        "NPS: no NPS registry snapshot in the bundle".to_owned()
    } else {
        format!("NPS hosts: {}", hosts.join(", "))
    }
}
