//! The scan's clock: `--now` in, RFC 3339 out. Every time-dependent fact reads this clock,
//! never the system time, so a test pinned with `--now` never rots.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Parses an RFC 3339 time (`2026-11-25T00:00:00Z`) to Unix seconds.
pub fn parse_rfc3339(s: &str) -> Result<i64, String> {
    OffsetDateTime::parse(s.trim(), &Rfc3339)
        .map(OffsetDateTime::unix_timestamp)
        .map_err(|e| format!("'{s}' is not an RFC 3339 time (like 2026-11-25T00:00:00Z): {e}"))
}

/// RFC 3339 text of Unix seconds, in UTC.
pub fn format_rfc3339(t: i64) -> String {
    OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

/// The system clock, for runs without `--now`.
pub fn system_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}
