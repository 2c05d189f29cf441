//! The text of `trustlint chain`: a [`ChainReport`] as certutil-like lines.

use std::io::{self, Write};

use crate::chain_view::{ChainElement, ChainEnd, ChainReport, CrlCoverage, Revocation, Validity};
use crate::clock::format_rfc3339;

/// Writes `report` as text.
pub fn render(report: &ChainReport, out: &mut impl Write) -> io::Result<()> {
    for chain in &report.chains {
        writeln!(
            out,
            "chain of '{}' ({}), at {}\n",
            chain.name,
            chain.path,
            format_rfc3339(report.now)
        )?;
        for (depth, e) in chain.elements.iter().enumerate() {
            element(depth, e, out)?;
        }
        match &chain.end {
            ChainEnd::Complete => writeln!(
                out,
                "\nthe chain is complete: it ends in a self-signed root of the bundle"
            )?,
            ChainEnd::Incomplete { last, aia } => {
                let aia = if aia.is_empty() {
                    String::new()
                } else {
                    format!(" (its AIA points at {})", aia.join(", "))
                };
                writeln!(
                    out,
                    "\nthe chain is incomplete: the issuer of '{last}' is not in the bundle{aia}"
                )?;
            }
            ChainEnd::SignatureMismatch { last } => writeln!(
                out,
                "\nthe chain is incomplete: no certificate of the bundle that matches the issuer of '{last}' verifies its signature"
            )?,
            ChainEnd::SearchExhausted { last } => writeln!(
                out,
                "\nthe chain is incomplete: trustlint stopped looking for the issuer of '{last}' at its budget"
            )?,
            ChainEnd::Cycle { last, back_to } => writeln!(
                out,
                "\nthe chain is incomplete: it cycles; every issuer of '{last}' is already in it (back to '{back_to}'), and no self-signed root ends it"
            )?,
            ChainEnd::DepthLimit => writeln!(
                out,
                "\nthe chain is incomplete: it is longer than 16 certificates, where trustlint stops"
            )?,
        }
        if !chain.presented_by.is_empty() {
            writeln!(out, "\npresented by NPS:")?;
            for p in &chain.presented_by {
                writeln!(out, "  {p}")?;
            }
        }
        if !chain.alternatives.is_empty() {
            writeln!(out, "\nother candidate paths, not chosen:")?;
            for a in &chain.alternatives {
                let path = if a.path.is_empty() {
                    "(no issuer)".to_owned()
                } else {
                    a.path
                        .iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(" -> ")
                };
                writeln!(out, "  via {path}: {}", a.reason)?;
            }
        }
        match chain.more_alternatives {
            Some(0) => {}
            Some(n) => writeln!(out, "  and {n} more")?,
            None => writeln!(
                out,
                "  and more: trustlint explores 64 candidate paths per certificate"
            )?,
        }
        writeln!(out)?;
    }
    if report.nps_hosts.is_empty() {
        writeln!(
            out,
            "NPS: no NPS registry snapshot or configuration export in the bundle"
        )
    } else {
        let hosts: Vec<String> = report
            .nps_hosts
            .iter()
            .map(|(name, v)| match v {
                Some(v) => format!("{name} (EAP\\13 IgnoreNoRevocationCheck={v})"),
                None => format!("{name} (no EAP\\13 snapshot)"),
            })
            .collect();
        writeln!(out, "NPS hosts: {}", hosts.join(", "))
    }
}

fn element(depth: usize, e: &ChainElement, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "[{depth}] {}  —  {}", e.subject, e.role)?;
    writeln!(out, "    thumbprint {}  serial {}", e.thumbprint, e.serial)?;
    let validity = match e.validity {
        Validity::Valid => "valid",
        Validity::Expired => "EXPIRED",
        Validity::NotYetValid => "NOT YET VALID",
    };
    writeln!(
        out,
        "    {} to {} ({validity}); {} {}-bit key, {}",
        format_rfc3339(e.not_before),
        format_rfc3339(e.not_after),
        e.key_algorithm,
        e.key_bits,
        e.signature_algorithm
    )?;
    writeln!(out, "    revocation: {}", revocation(&e.revocation))?;
    for ca in &e.cloud_cas {
        writeln!(
            out,
            "    Microsoft Cloud PKI CA '{}' ({}), exported in {}; its CRL URL: {}",
            ca.name.as_deref().unwrap_or("(unnamed)"),
            ca.ca_type.as_deref().unwrap_or("type not exported"),
            ca.path,
            ca.crl_url.as_deref().unwrap_or("(none)")
        )?;
    }
    if let Some(crl) = &e.crl_for_below {
        writeln!(
            out,
            "    CRL in the bundle for what it issued: {}",
            crl_coverage(crl)
        )?;
    }
    Ok(())
}

fn revocation(r: &Revocation) -> String {
    match r {
        Revocation::SelfSignedRoot => "not checked for a self-signed root".to_owned(),
        Revocation::Unknown => "NO CDP and NO OCSP: status unknown; NPS rejects with reason 258 unless IgnoreNoRevocationCheck=1".to_owned(),
        Revocation::Published {
            cdp,
            ldap_only,
            ocsp,
        } => {
            let mut parts = Vec::new();
            if !cdp.is_empty() {
                parts.push(format!(
                    "CDP {}{}",
                    cdp.join(", "),
                    if *ldap_only {
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
    }
}

fn crl_coverage(c: &CrlCoverage) -> String {
    match c {
        CrlCoverage::None => "none".to_owned(),
        CrlCoverage::Crl {
            path,
            next_update,
            expired,
            revoked,
        } => format!(
            "{path} (next update {}{}){}",
            next_update.map_or_else(|| "none".to_owned(), format_rfc3339),
            if *expired { ", EXPIRED" } else { "" },
            revoked
                .as_ref()
                .map(|name| format!(": '{name}' is REVOKED"))
                .unwrap_or_default()
        ),
    }
}
