//! Pinterest timestamps, which arrive with an offset (`...Z`) or without
//! one (UTC implied); generated types keep them as the `String` sent.

use chrono::{DateTime, NaiveDateTime, Utc};

/// Parses a timestamp as Pinterest sends it: RFC 3339 (`2024-01-01T20:10:40Z`,
/// `...+02:00`, fractional seconds) or without an offset
/// (`2024-01-01T20:10:40`, read as UTC). `None` when it is neither.
///
/// ```
/// let a = pinterest_ext::parse_timestamp("2024-01-01T20:10:40").unwrap();
/// let b = pinterest_ext::parse_timestamp("2024-01-01T21:10:40+01:00").unwrap();
/// assert_eq!(a, b);
/// assert!(pinterest_ext::parse_timestamp("yesterday").is_none());
/// ```
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}
