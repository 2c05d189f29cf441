//! Fields of the `certificate` scope: each distinct certificate, with its chain, roles and the
//! profiles that name it.


use crate::load::x509::{KEY_USAGE_CRL_SIGN, KEY_USAGE_KEY_CERT_SIGN};

use super::{
    listed,
    Entity, FieldDef, FieldType, Scope, Value, cert_at, certs, int, opt_s, s,
    opt_bool,
};

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        Certificate,
        "role",
        FieldType::Str,
        "`root` (self-signed), `intermediate-ca` (a CA below a root) or `leaf`.",
        |_b, c| s(c.role.name())
    ),
    field!(
        Certificate,
        "self_signed",
        FieldType::Bool,
        "Subject equals issuer and its own key verifies the signature.",
        |_b, c| Value::Bool(c.self_signed)
    ),
    field!(
        Certificate,
        "display_name",
        FieldType::Str,
        "The name Windows shows as \"Issued To\": the subject's most specific (last) CN, else its last OU, else its O, else the whole subject.",
        |_b, c| s(c.display_name())
    ),
    field!(
        Certificate,
        "subject",
        FieldType::Str,
        "Subject distinguished name.",
        |_b, c| s(&c.data.subject.text)
    ),
    field!(
        Certificate,
        "subject.common_name",
        FieldType::Str,
        "Subject CN; absent when none.",
        |_b, c| opt_s(c.data.subject.common_name.as_deref())
    ),
    field!(
        Certificate,
        "issuer_name",
        FieldType::Str,
        "Issuer distinguished name as written in the certificate.",
        |_b, c| s(&c.data.issuer.text)
    ),
    field!(
        Certificate,
        "issuer",
        FieldType::Entity(Scope::Certificate),
        "The issuer on the chosen path: a certificate of the bundle matching by key identifier or name whose key verifies the signature; absent when none is in the bundle.",
        |b, c| cert_at(b, c.issuer)
    ),
    field!(
        Certificate,
        "version",
        FieldType::Int,
        "X.509 version: 1, 2 or 3.",
        |_b, c| int(c.data.version)
    ),
    field!(
        Certificate,
        "serial",
        FieldType::Str,
        "Serial number, lower-case hex.",
        |_b, c| s(&c.data.serial)
    ),
    field!(
        Certificate,
        "thumbprint",
        FieldType::Str,
        "SHA-1 of the DER, lower-case hex: the Windows thumbprint.",
        |_b, c| s(&c.data.sha1)
    ),
    field!(
        Certificate,
        "sha256",
        FieldType::Str,
        "SHA-256 of the DER, lower-case hex.",
        |_b, c| s(&c.data.sha256)
    ),
    field!(
        Certificate,
        "subject_key_id",
        FieldType::Str,
        "Subject key identifier, lower-case hex; absent when none.",
        |_b, c| opt_s(c.data.subject_key_id.as_deref())
    ),
    field!(
        Certificate,
        "authority_key_id",
        FieldType::Str,
        "Authority key identifier, lower-case hex; absent when none.",
        |_b, c| opt_s(c.data.authority_key_id.as_deref())
    ),
    field!(
        Certificate,
        "basic_constraints.ca",
        FieldType::Bool,
        "basicConstraints cA; absent when the extension is absent.",
        |_b, c| c
            .data
            .basic_constraints
            .map_or(Value::Absent, |(ca, _)| Value::Bool(ca))
    ),
    field!(
        Certificate,
        "basic_constraints.path_len",
        FieldType::Int,
        "basicConstraints pathLenConstraint; absent when none.",
        |_b, c| c
            .data
            .basic_constraints
            .and_then(|(_, p)| p)
            .map_or(Value::Absent, int)
    ),
    field!(
        Certificate,
        "key.type",
        FieldType::Str,
        "Public-key algorithm: `rsa`, `ec`, `ed25519`, `dsa`, or the OID.",
        |_b, c| s(c.data.key_algorithm.name())
    ),
    field!(
        Certificate,
        "key.bits",
        FieldType::Int,
        "Public-key size in bits.",
        |_b, c| int(c.data.key_bits)
    ),
    field!(
        Certificate,
        "signature.algorithm",
        FieldType::Str,
        "Signature algorithm name (`sha256WithRSAEncryption`…) or OID.",
        |_b, c| s(&c.data.signed.algorithm_name)
    ),
    field!(
        Certificate,
        "signature.hash",
        FieldType::Str,
        "Signature digest: `md5`, `sha1`, `sha256`, `sha384`, `sha512` or `unknown`.",
        |_b, c| s(c.data.signed.hash)
    ),
    field!(
        Certificate,
        "not_before",
        FieldType::Time,
        "Start of validity.",
        |_b, c| Value::Time(c.data.not_before)
    ),
    field!(
        Certificate,
        "not_after",
        FieldType::Time,
        "End of validity.",
        |_b, c| Value::Time(c.data.not_after)
    ),
    field!(
        Certificate,
        "days_until_expiry",
        FieldType::Int,
        "Whole days from `--now` to notAfter (negative once expired).",
        |b, c| Value::Int(c.days_until_expiry(b.now))
    ),
    field!(
        Certificate,
        "extended_key_usage",
        FieldType::StrList,
        "EKU OIDs; absent when the extension is absent (any purpose to Windows).",
        |_b, c| c
            .data
            .extended_key_usage
            .as_deref()
            .map_or(Value::Absent, Value::StrList)
    ),
    field!(
        Certificate,
        "client_auth",
        FieldType::Bool,
        "A leaf usable for client authentication: Client Auth, Any Purpose (2.5.29.37.0 or 1.3.6.1.4.1.311.10.12.1), or no EKU extension.",
        |_b, c| Value::Bool(c.client_auth)
    ),
    field!(
        Certificate,
        "server_auth",
        FieldType::Bool,
        "Its EKUs allow server authentication: Server Auth 1.3.6.1.5.5.7.3.1, Any Purpose, or no EKU extension.",
        |_b, c| Value::Bool(c.server_auth())
    ),
    field!(
        Certificate,
        "allows_client_auth",
        FieldType::Bool,
        "Its EKUs allow client authentication (Client Auth, Any Purpose, or no EKU extension), whatever its role: on a CA an EKU extension restricts every chain through it.",
        |_b, c| Value::Bool(c.allows_client_auth())
    ),
    field!(
        Certificate,
        "key_usage.key_cert_sign",
        FieldType::Bool,
        "keyUsage has keyCertSign; absent when the extension is absent.",
        |_b, c| opt_bool(c.data.key_usage.map(|k| k & KEY_USAGE_KEY_CERT_SIGN != 0))
    ),
    field!(
        Certificate,
        "key_usage.crl_sign",
        FieldType::Bool,
        "keyUsage has cRLSign; absent when the extension is absent.",
        |_b, c| opt_bool(c.data.key_usage.map(|k| k & KEY_USAGE_CRL_SIGN != 0))
    ),
    field!(
        Certificate,
        "may_sign_crls",
        FieldType::Bool,
        "Its key may sign CRLs: no keyUsage extension, or one with cRLSign (RFC 5280 §4.2.1.3).",
        |_b, c| Value::Bool(c.may_sign_crls())
    ),
    field!(
        Certificate,
        "stores",
        FieldType::StrList,
        "The certificate stores whose registry exports in the bundle hold it (`ROOT`, `CA`, `MY`, `NTAUTH`, `TRUSTEDPEOPLE`…), each once; empty when no store export holds it.",
        |_b, c| Value::StrList(&c.store_names)
    ),
    field!(
        Certificate,
        "selected_by_profile",
        FieldType::Bool,
        "A leaf that a profile of the bundle would use as client certificate: an enabled EAP `IssuerHash` names a CA of its chain, or an Intune SCEP/PKCS profile's CA issued it.",
        |b, c| Value::Bool(b.profiles.selects(c))
    ),
    field!(
        Certificate,
        "selected_by",
        FieldType::Entities(Scope::EapThumbprint),
        "The enabled `IssuerHash` filters that name a CA of its chain.",
        |b, c| listed(&b.profiles.pins, &b.profiles.selected_by(c), Entity::EapThumbprint),
        first |b, c, n| {
            let (first, total) = b.profiles.selected_by_first(c, n);
            (first.into_iter().filter_map(|id| b.profiles.pins.get(id)).map(Entity::EapThumbprint).collect(), total)
        }
    ),
    field!(
        Certificate,
        "issued_under",
        FieldType::Entities(Scope::CertificateProfile),
        "The Intune SCEP/PKCS profiles whose issuing CA issued it.",
        |b, c| listed(&b.profiles.certificate_profiles, b.profiles.issued_under(c), Entity::CertificateProfile),
        first |b, c, n| {
            let all = b.profiles.issued_under(c);
            (all.iter().take(n).filter_map(|&id| b.profiles.certificate_profiles.get(id)).map(Entity::CertificateProfile).collect(), all.len())
        }
    ),
    field!(
        Certificate,
        "named_by",
        FieldType::Entities(Scope::ServerName),
        "The profile server names (`ServerNames`, `Servers`) that name it, case ignored.",
        |b, c| listed(&b.profiles.server_names, &c.links.named_by, Entity::ServerName)
    ),
    field!(
        Certificate,
        "cloud_cas",
        FieldType::Entities(Scope::CloudCa),
        "The Cloud PKI CA exports whose thumbprint is this certificate's.",
        |b, c| listed(&b.profiles.cloud_cas, &c.links.cloud_cas, Entity::CloudCa)
    ),
    field!(
        Certificate,
        "distributed_by",
        FieldType::Entities(Scope::TrustedRootProfile),
        "The Intune trusted-certificate profiles that deploy it (to any store).",
        |b, c| listed(&b.profiles.trusted_root_profiles, &c.links.distributed_by, Entity::TrustedRootProfile)
    ),
    field!(
        Certificate,
        "issued_with_http_aia",
        FieldType::Int,
        "How many certificates it issued (on the chosen chains) carry an http(s) AIA caIssuers URL, from which a client can fetch it.",
        |_b, c| int(c.issued_with_http_aia)
    ),
    field!(
        Certificate,
        "in_client_auth_chain",
        FieldType::Bool,
        "A client-auth leaf or a certificate in the chain of one.",
        |_b, c| Value::Bool(c.in_client_auth_chain)
    ),
    field!(
        Certificate,
        "in_server_auth_chain",
        FieldType::Bool,
        "A leaf whose EKU extension names Server Authentication, or a certificate in the chain of one.",
        |_b, c| Value::Bool(c.in_server_auth_chain)
    ),
    field!(
        Certificate,
        "name_constraints_breached_by",
        FieldType::Entity(Scope::Certificate),
        "The first CA up its chain whose nameConstraints its names break (DNS, e-mail, IP and directory names; URI and otherName forms are not evaluated); absent when none.",
        |b, c| cert_at(b, c.name_constraints_breach.as_deref().map(|(a, _)| *a))
    ),
    field!(
        Certificate,
        "name_constraints_breach",
        FieldType::Str,
        "How its names break that CA's name constraints: the name and the subtree rule; absent when none.",
        |_b, c| c.name_constraints_breach.as_deref().map_or(Value::Absent, |(_, b)| Value::Str(b.describe().into()))
    ),
    field!(
        Certificate,
        "crl_distribution_points",
        FieldType::StrList,
        "CRL distribution point URLs (any scheme).",
        |_b, c| Value::StrList(&c.data.crl_distribution_points)
    ),
    field!(
        Certificate,
        "freshest_crl",
        FieldType::StrList,
        "Freshest CRL (2.5.29.46) URLs: where its issuer's delta CRLs are published.",
        |_b, c| Value::StrList(&c.data.freshest_crl)
    ),
    field!(
        Certificate,
        "issuer_crls",
        FieldType::Entities(Scope::Crl),
        "The bundle's CRLs signed by its issuer (the issuing CA's subject and key), base and delta, whatever their dates or signature check.",
        |b, c| Value::Entities(
            c.issuer
                .and_then(|i| b.crls_by_issuer.get(&i))
                .into_iter()
                .flatten()
                .filter_map(|k| b.crls.get(*k))
                .map(Entity::Crl)
                .collect()
        )
    ),
    field!(
        Certificate,
        "ocsp_urls",
        FieldType::StrList,
        "AIA OCSP responder URLs.",
        |_b, c| Value::StrList(&c.data.ocsp)
    ),
    field!(
        Certificate,
        "ca_issuers",
        FieldType::StrList,
        "AIA caIssuers URLs.",
        |_b, c| Value::StrList(&c.data.ca_issuers)
    ),
    field!(
        Certificate,
        "san.dns",
        FieldType::StrList,
        "SAN DNS names.",
        |_b, c| Value::StrList(&c.data.san_dns)
    ),
    field!(
        Certificate,
        "san.upn",
        FieldType::StrList,
        "SAN User Principal Names (otherName 1.3.6.1.4.1.311.20.2.3).",
        |_b, c| Value::StrList(&c.data.san_upn)
    ),
    field!(
        Certificate,
        "san.uri",
        FieldType::StrList,
        "SAN URIs.",
        |_b, c| Value::StrList(&c.data.san_uri)
    ),
    field!(
        Certificate,
        "san.email",
        FieldType::StrList,
        "SAN e-mail addresses.",
        |_b, c| Value::StrList(&c.data.san_email)
    ),
    field!(
        Certificate,
        "sid_extension",
        FieldType::Bool,
        "The SID extension 1.3.6.1.4.1.311.25.2 (KB5014754) is present.",
        |_b, c| Value::Bool(c.data.has_sid_extension)
    ),
    field!(
        Certificate,
        "critical_extensions",
        FieldType::StrList,
        "OIDs of the critical extensions.",
        |_b, c| Value::StrList(&c.data.critical_extensions)
    ),
    field!(
        Certificate,
        "unknown_critical_extensions",
        FieldType::StrList,
        "OIDs of critical extensions the Windows chain engine does not process (outside RFC 5280's set and Microsoft's application-policy extensions).",
        |_b, c| Value::StrList(&c.unknown_critical_extensions)
    ),
    field!(
        Certificate,
        "issued_count",
        FieldType::Int,
        "How many certificates of the bundle it issued (itself excluded).",
        |_b, c| int(c.issued_count)
    ),
    field!(
        Certificate,
        "chain",
        FieldType::Entities(Scope::Certificate),
        "The chosen path from this certificate up, itself first, as far as the bundle reaches (at most 16): of every path to a self-signed certificate, the one Windows would rank best (docs/chain-building.md).",
        |b, c| certs(b, &c.chain)
    ),
    field!(
        Certificate,
        "issuers",
        FieldType::Entities(Scope::Certificate),
        "Every certificate of the bundle whose key verifies its signature: the issuer, its cross-certificates and same-key renewals. Each starts a candidate path; `issuer` is the chosen one's.",
        |b, c| Value::Entities(c.issuer_edges.iter().filter_map(|e| b.certificates.get(e.issuer)).map(Entity::Certificate).collect())
    ),
    field!(
        Certificate,
        "issuer_search_exhausted",
        FieldType::Bool,
        "The issuer search stopped at its budget (16 candidate keys and 256 candidates per certificate; fewer keys when the scan's budget of signature checks runs short) before a key verified the signature.",
        |_b, c| Value::Bool(c.issuer_search_exhausted)
    ),
    field!(
        Certificate,
        "chain_end",
        FieldType::Str,
        "Where the chosen chain ends: `anchor` (a self-signed certificate of the bundle), `issuer-missing`, `signature-mismatch`, `search-exhausted`, `cycle` (every issuer of its last certificate is already in it) or `depth-limit` (16 certificates).",
        |_b, c| s(c.chain_end.name())
    ),
    field!(
        Certificate,
        "chain_breaks_here",
        FieldType::Bool,
        "Its chain stops short at this certificate: its own issuer is missing or unverifiable, it is in the cycle, or it is the first past the depth limit. The certificates below inherit the break.",
        |_b, c| Value::Bool(c.chain_breaks_here)
    ),
    field!(
        Certificate,
        "anchor_pinned",
        FieldType::Bool,
        "A self-signed certificate that a profile pins as trusted root (an EAP `TrustedRootCA`, an Intune trusted-root profile); paths to it are preferred.",
        |_b, c| Value::Bool(c.anchor_pinned)
    ),
    field!(
        Certificate,
        "chain_complete",
        FieldType::Bool,
        "The chain ends in a self-signed certificate of the bundle.",
        |_b, c| Value::Bool(c.chain_complete)
    ),
    field!(
        Certificate,
        "issuer_mismatches",
        FieldType::Entities(Scope::Certificate),
        "Certificates that match its issuer by key identifier or name but whose key does not verify its signature.",
        |b, c| certs(b, &c.issuer_mismatches)
    ),
    field!(
        Certificate,
        "outlives_issuer",
        FieldType::Bool,
        "Its notAfter is later than its issuer's; absent without an issuer in the bundle.",
        |b, c| opt_bool(c.outlives_issuer(&b.certificates))
    ),
    field!(
        Certificate,
        "path_len_exceeded_by",
        FieldType::Entity(Scope::Certificate),
        "The CA above it whose pathLenConstraint it is the first in its chain to exceed; absent when none.",
        |b, c| cert_at(b, c.path_len_exceeded_by)
    ),
    field!(
        Certificate,
        "revoked_by",
        FieldType::Entity(Scope::Crl),
        "A CRL of its issuer, verified by the issuer's key and current at `--now`, that lists its serial; absent when none.",
        |b, c| c
            .revoked_by
            .and_then(|k| b.crls.get(k))
            .map_or(Value::Absent, |crl| Value::Entity(Entity::Crl(crl)))
    ),
    field!(
        Certificate,
        "seen_count",
        FieldType::Int,
        "In how many places of the bundle it was found.",
        |_b, c| int(c.seen.len())
    ),
    field!(
        Certificate,
        "nps_methods",
        FieldType::Entities(Scope::NpsEapMethod),
        "The NPS EAP method configurations (of the bundle's NPS exports) that name it as their server certificate.",
        |b, c| listed(&b.nps.methods, &c.nps_methods, Entity::NpsEapMethod)
    ),
    field!(
        Certificate,
        "nps_server_certificate",
        FieldType::Bool,
        "An NPS network policy of the bundle names it as its server certificate.",
        |_b, c| Value::Bool(!c.nps_methods.is_empty())
    ),
    field!(
        Certificate,
        "subject_empty",
        FieldType::Bool,
        "The subject distinguished name is empty.",
        |_b, c| Value::Bool(c.data.subject.text.trim().is_empty())
    ),
    field!(
        Certificate,
        "san_without_dns",
        FieldType::Bool,
        "It has subject alternative names (UPN, URI, e-mail or IP address) and none is a DNS name.",
        |_b, c| Value::Bool(
            c.data.san_dns.is_empty()
                && !(c.data.san_upn.is_empty()
                    && c.data.san_uri.is_empty()
                    && c.data.san_email.is_empty()
                    && c.data.san_ip.is_empty())
        )
    ),
    field!(
        Certificate,
        "crl_public",
        FieldType::Bool,
        "A CRL distribution point or OCSP URL is reachable from the internet as written: an `http`/`https` URL whose host is a DNS name with a dot, not `.local`/`.lan`/`.internal`/`.corp`/`.home.arpa`, and not a private, loopback or link-local address.",
        |_b, c| Value::Bool(
            c.data
                .crl_distribution_points
                .iter()
                .chain(&c.data.ocsp)
                .any(|u| crate::facts::revocation::publicly_reachable(u))
        )
    ),
];
