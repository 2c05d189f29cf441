//! How good a certification path is, in the order the Windows chain engine ranks the chains it
//! could build (docs/chain-building.md says what Microsoft documents and what is inferred).

use super::certificate::Certificate;
use super::signature::SignatureCheck;

/// The quality of a path to a trust anchor; lower is better, compared field by field in
/// declaration order. Completeness is not a field: a path that ends in a self-signed
/// certificate always beats one that does not, and only complete paths are ranked.
///
/// Each field is a sum over the certificates or links of the path, so the best path of a
/// certificate continues with the best path of its issuer and one shortest-path search from the
/// anchors finds every certificate's best path at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct PathQuality {
    /// Certificates of the path not valid at `--now` (`CERT_TRUST_IS_NOT_TIME_VALID`).
    pub(crate) not_time_valid: u32,
    /// Links where the lower certificate's validity is not inside its issuer's
    /// (`CERT_TRUST_IS_NOT_TIME_NESTED`).
    pub(crate) not_time_nested: u32,
    /// Links whose issuer is not a CA: no basicConstraints cA=TRUE, and not a version 1
    /// self-signed root (`CERT_TRUST_INVALID_BASIC_CONSTRAINTS`).
    pub(crate) issuer_not_ca: u32,
    /// CAs whose name constraints the start's names break, or whose EKUs exclude the start's
    /// usage (`CERT_TRUST_INVALID_NAME_CONSTRAINTS`, `CERT_TRUST_IS_NOT_VALID_FOR_USAGE`).
    /// These depend on the start, not on the path above it, so the shortest-path search leaves
    /// them at 0 and the candidate paths of a certificate it concerns are weighed again
    /// ([`super::candidate_paths`]).
    pub(crate) usage_errors: u32,
    /// 1 when the anchor is not one a profile of the bundle pins.
    pub(crate) anchor_not_pinned: u32,
    /// Links whose signature could not be checked here (an algorithm ring does not verify).
    pub(crate) unverified: u32,
    /// Certificates in the path.
    pub(crate) length: u32,
}

/// Why a path lost against the chosen one: the first field of [`PathQuality`] where it is
/// worse, or the content order when the two are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// It does not reach a self-signed certificate of the bundle.
    Incomplete,
    /// More of its certificates are expired or not yet valid at `--now`.
    NotTimeValid,
    /// More of its links are not time-nested.
    NotTimeNested,
    /// More of its issuers are not CAs.
    IssuerNotCa,
    /// More of its CAs constrain the certificate's names or usage against it.
    UsageErrors,
    /// Its anchor is not the one a profile pins.
    AnchorNotPinned,
    /// More of its signatures could not be checked.
    Unverified,
    /// It is longer.
    Longer,
    /// It is as good; the chosen one comes first in content (SHA-256) order.
    ContentOrder,
}

impl Rejection {
    /// Words for `trustlint chain`.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Rejection::Incomplete => "does not reach a self-signed root of the bundle",
            Rejection::NotTimeValid => "holds a certificate that is not valid at --now",
            Rejection::NotTimeNested => "holds a certificate valid beyond its issuer",
            Rejection::IssuerNotCa => "runs through an issuer that is not a CA (basicConstraints)",
            Rejection::UsageErrors => {
                "runs through a CA whose name constraints or EKUs the certificate breaks"
            }
            Rejection::AnchorNotPinned => "ends at a root no profile pins",
            Rejection::Unverified => "holds a signature trustlint cannot verify",
            Rejection::Longer => "is longer",
            Rejection::ContentOrder => "is as good; the chosen path comes first by content",
        }
    }
}

impl PathQuality {
    /// The path of an anchor alone.
    pub(crate) fn anchor(anchor: &Certificate, pinned: bool, now: i64) -> Self {
        PathQuality {
            not_time_valid: u32::from(!anchor.valid_at(now)),
            not_time_nested: 0,
            issuer_not_ca: 0,
            usage_errors: 0,
            anchor_not_pinned: u32::from(!pinned),
            unverified: 0,
            length: 1,
        }
    }

    /// The path of `issuer` extended down by `child`, whose signature `issuer`'s key checked
    /// with `signature`.
    pub(crate) fn extend(
        self,
        child: &Certificate,
        issuer: &Certificate,
        signature: SignatureCheck,
        now: i64,
    ) -> Self {
        PathQuality {
            not_time_valid: self
                .not_time_valid
                .saturating_add(u32::from(!child.valid_at(now))),
            not_time_nested: self
                .not_time_nested
                .saturating_add(u32::from(!child.nested_in(issuer))),
            issuer_not_ca: self
                .issuer_not_ca
                .saturating_add(u32::from(!issuer.may_issue())),
            usage_errors: self.usage_errors,
            anchor_not_pinned: self.anchor_not_pinned,
            unverified: self
                .unverified
                .saturating_add(u32::from(signature != SignatureCheck::Valid)),
            length: self.length.saturating_add(1),
        }
    }

    /// The same quality with `errors` usage errors.
    pub(crate) fn with_usage_errors(self, errors: u32) -> Self {
        PathQuality {
            usage_errors: errors,
            ..self
        }
    }

    /// Why `self` lost against `chosen` (which is not worse).
    pub(crate) fn rejected_against(&self, chosen: &PathQuality) -> Rejection {
        if self.not_time_valid != chosen.not_time_valid {
            Rejection::NotTimeValid
        } else if self.not_time_nested != chosen.not_time_nested {
            Rejection::NotTimeNested
        } else if self.issuer_not_ca != chosen.issuer_not_ca {
            Rejection::IssuerNotCa
        } else if self.usage_errors != chosen.usage_errors {
            Rejection::UsageErrors
        } else if self.anchor_not_pinned != chosen.anchor_not_pinned {
            Rejection::AnchorNotPinned
        } else if self.unverified != chosen.unverified {
            Rejection::Unverified
        } else if self.length != chosen.length {
            Rejection::Longer
        } else {
            Rejection::ContentOrder
        }
    }
}
