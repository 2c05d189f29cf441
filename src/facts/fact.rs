//! What every entity of the fact model says about itself to findings and reports. A new scope's
//! entity type implements [`Fact`] beside its definition; every method is required, so the
//! compiler names each one a new type must answer.

use crate::location::Location;

/// An entity a rule can look at, as findings and reports describe it.
pub(crate) trait Fact {
    /// What kind of thing it is, in words: `certificate`, `CRL`, `registry host`…
    fn kind_name(&self) -> &'static str;

    /// A stable identity for findings, fingerprints, baselines and SARIF
    /// `partialFingerprints`: for entities with content of their own (certificates, CRLs,
    /// profiles) it does not change when a file moves, and it changes when that content does.
    fn identity(&self) -> String;

    /// A human name: a certificate's CN, a host's name, a file's path.
    fn display_name(&self) -> String;

    /// Where a finding on it points; `None` for the bundle as a whole.
    fn location(&self) -> Option<Location>;

    /// A text view for reports when the entity lives in a binary file (DER has no lines).
    fn summary(&self) -> Option<String>;

    /// Other places the same entity was seen (a certificate in several files).
    fn also_seen(&self) -> &[Location];
}

impl<T: Fact + ?Sized> Fact for &T {
    fn kind_name(&self) -> &'static str {
        (**self).kind_name()
    }
    fn identity(&self) -> String {
        (**self).identity()
    }
    fn display_name(&self) -> String {
        (**self).display_name()
    }
    fn location(&self) -> Option<Location> {
        (**self).location()
    }
    fn summary(&self) -> Option<String> {
        (**self).summary()
    }
    fn also_seen(&self) -> &[Location] {
        (**self).also_seen()
    }
}
