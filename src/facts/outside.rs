//! What the leaves a partial bundle leaves out add to it.
//!
//! A streamed scan (src/leaf_stream.rs) joins the bundle's context (CAs, CRLs, every file that
//! is not only end-entity certificates) once per chunk of leaves and once alone, never with all
//! the leaves at once. A few facts of the context depend on every leaf: how many certificates
//! a CA issued (and so whether a certificate without cA=TRUE is an intermediate), whether a CA
//! is on a client-auth or server-auth leaf's chain, the bundle's counts. Each partial bundle
//! takes them from here, so that every fact, and every finding, is the one the whole bundle
//! would have.

use std::collections::HashMap;

use super::certificate::{Certificate, Certificates, Role};

/// What the leaves of one place add to one certificate of the context: counts, so that the
/// contribution of one chunk can be taken back out of the totals.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LeafShare {
    /// Leaves whose chosen issuer it is.
    pub(crate) issued: u32,
    /// Of those, leaves with an http(s) AIA caIssuers URL.
    pub(crate) issued_with_http_aia: u32,
    /// Of those, client-auth leaves (a client-certificate source).
    pub(crate) issued_client: u32,
    /// Client-auth leaves whose chosen chain it is on.
    pub(crate) client_chains: u32,
    /// Server-auth leaves whose chosen chain it is on.
    pub(crate) server_chains: u32,
}

impl LeafShare {
    fn add(&mut self, other: &LeafShare) {
        self.issued = self.issued.saturating_add(other.issued);
        self.issued_with_http_aia = self
            .issued_with_http_aia
            .saturating_add(other.issued_with_http_aia);
        self.issued_client = self.issued_client.saturating_add(other.issued_client);
        self.client_chains = self.client_chains.saturating_add(other.client_chains);
        self.server_chains = self.server_chains.saturating_add(other.server_chains);
    }

    fn sub(&mut self, other: &LeafShare) {
        self.issued = self.issued.saturating_sub(other.issued);
        self.issued_with_http_aia = self
            .issued_with_http_aia
            .saturating_sub(other.issued_with_http_aia);
        self.issued_client = self.issued_client.saturating_sub(other.issued_client);
        self.client_chains = self.client_chains.saturating_sub(other.client_chains);
        self.server_chains = self.server_chains.saturating_sub(other.server_chains);
    }
}

/// The leaves outside a partial bundle: what they add to its certificates (by SHA-256) and to
/// its counts. Empty for a whole bundle.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct OutsideLeaves {
    /// Distinct leaves.
    pub(crate) leaves: usize,
    /// Of those, client-auth leaves.
    pub(crate) client_auth: usize,
    /// Of those, client-auth leaves with neither a CDP nor an OCSP URL.
    pub(crate) client_auth_without_revocation_info: usize,
    /// What they add to the certificates of the context, by SHA-256 (hex, as the certificate
    /// holds it).
    pub(crate) shares: HashMap<String, LeafShare>,
}

/// What of one leaf counts for the context: its purposes and the URLs it carries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LeafFlags {
    /// Usable for client authentication (a leaf whose EKUs allow it).
    pub(crate) client_auth: bool,
    /// It names Server Authentication among its EKUs.
    pub(crate) names_server_auth: bool,
    /// An http(s) AIA caIssuers URL.
    pub(crate) http_aia: bool,
    /// A CDP or an OCSP URL.
    pub(crate) revocation_info: bool,
}

impl LeafFlags {
    /// The flags of a certificate read as a leaf, from its data alone (before any join).
    pub(crate) fn of_data(d: &crate::load::CertificateData) -> LeafFlags {
        LeafFlags {
            client_auth: super::certificate::allows_eku(d, super::certificate::EKU_CLIENT_AUTH),
            names_server_auth: super::certificate::names_server_auth(d),
            http_aia: d.ca_issuers.iter().any(|u| super::chain::is_http(u)),
            revocation_info: !d.crl_distribution_points.is_empty() || !d.ocsp.is_empty(),
        }
    }
}

impl OutsideLeaves {
    /// What the certificates of `certs` for which `outside_context` holds (the leaves of a
    /// chunk) add to the others (the context).
    pub(crate) fn of(
        certs: &Certificates,
        outside_context: &dyn Fn(&Certificate) -> bool,
    ) -> OutsideLeaves {
        let mut out = OutsideLeaves::default();
        // The context certificate `id` is, or none (a leaf of the chunk).
        let in_context = |id: super::CertId| -> Option<&str> {
            let c = certs.get(id)?;
            (!outside_context(c)).then_some(c.data.sha256.as_str())
        };
        for c in certs.iter().filter(|c| outside_context(c)) {
            if c.role != Role::Leaf {
                // A chunk holds certificates that issue nothing and are no CA (see
                // leaf_stream::leaf_keys); a role other than leaf would mean the join
                // disagrees, and its counts are not shares of the context.
                continue;
            }
            // As predicted from its data, but with the join's own client-auth verdict.
            let flags = LeafFlags {
                client_auth: c.client_auth,
                ..LeafFlags::of_data(&c.data)
            };
            out.add_leaf(
                flags,
                c.client_auth && c.links.client,
                c.issuer.and_then(in_context),
                c.chain.iter().skip(1).filter_map(|&j| in_context(j)),
            );
        }
        out
    }

    /// Counts one leaf: `client_source` when it is a client certificate source (a client-auth
    /// leaf no profile names as a server's), `issuer` its chosen issuer and `above` the
    /// certificates of its chain above it (SHA-256).
    pub(crate) fn add_leaf<'a>(
        &mut self,
        flags: LeafFlags,
        client_source: bool,
        issuer: Option<&str>,
        above: impl Iterator<Item = &'a str>,
    ) {
        self.leaves += 1;
        if flags.client_auth {
            self.client_auth += 1;
            if !flags.revocation_info {
                self.client_auth_without_revocation_info += 1;
            }
        }
        if let Some(issuer) = issuer {
            let s = out_share(&mut self.shares, issuer);
            s.issued = s.issued.saturating_add(1);
            if flags.http_aia {
                s.issued_with_http_aia = s.issued_with_http_aia.saturating_add(1);
            }
            if client_source {
                s.issued_client = s.issued_client.saturating_add(1);
            }
        }
        let (client, server) = (flags.client_auth, flags.names_server_auth);
        if client || server {
            for sha256 in above {
                let s = out_share(&mut self.shares, sha256);
                s.client_chains = s.client_chains.saturating_add(u32::from(client));
                s.server_chains = s.server_chains.saturating_add(u32::from(server));
            }
        }
    }

    /// Adds `other`'s leaves.
    pub(crate) fn add(&mut self, other: &OutsideLeaves) {
        self.leaves = self.leaves.saturating_add(other.leaves);
        self.client_auth = self.client_auth.saturating_add(other.client_auth);
        self.client_auth_without_revocation_info = self
            .client_auth_without_revocation_info
            .saturating_add(other.client_auth_without_revocation_info);
        for (k, v) in &other.shares {
            out_share(&mut self.shares, k).add(v);
        }
    }

    /// These leaves without `part`'s (which they include).
    pub(crate) fn without(&self, part: &OutsideLeaves) -> OutsideLeaves {
        let mut out = self.clone();
        out.leaves = out.leaves.saturating_sub(part.leaves);
        out.client_auth = out.client_auth.saturating_sub(part.client_auth);
        out.client_auth_without_revocation_info = out
            .client_auth_without_revocation_info
            .saturating_sub(part.client_auth_without_revocation_info);
        for (k, v) in &part.shares {
            out_share(&mut out.shares, k).sub(v);
        }
        out.shares.retain(|_, v| *v != LeafShare::default());
        out
    }

    /// The share of each certificate of `certs`, by id.
    pub(crate) fn by_id(&self, certs: &Certificates) -> Vec<LeafShare> {
        if self.shares.is_empty() {
            return Vec::new();
        }
        certs
            .iter()
            .map(|c| self.shares.get(&c.data.sha256).copied().unwrap_or_default())
            .collect()
    }
}

fn out_share<'a>(shares: &'a mut HashMap<String, LeafShare>, sha256: &str) -> &'a mut LeafShare {
    shares.entry(sha256.to_owned()).or_default()
}
