//! What changed between two OpenAPI 3.0 documents, and what it breaks.
//!
//! Findings carry oasdiff's rule ids and levels (ERR breaking, WARN
//! possibly breaking, INFO not breaking; see [`rules`]), plus a few
//! Pinterest rules of our own (`pinterest-*`), and the diff as a whole
//! implies a semver bump for the generated crate ([`Bump`]).
//!
//! ```no_run
//! use pinterest_gen::diff;
//! let base = diff::load::load("../shared/spec/pinterest-v5/openapi-5.22.0.json".as_ref())?;
//! let revision = diff::load::load("../shared/spec/pinterest-v5/openapi-5.23.0.json".as_ref())?;
//! let report = diff::diff(&base, &revision);
//! println!("{} findings, implies a {} bump", report.findings.len(), report.bump);
//! # Ok::<(), pinterest_gen::GenError>(())
//! ```
//!
//! What the comparison understands: operations keyed by method and path
//! (path parameter names ignored), parameters keyed by location and name
//! (path-level ones too), request bodies and responses by media type and
//! status, schemas through `$ref`s (with cycle guards; an inline schema
//! matches a referenced one), `allOf`/`oneOf`/`anyOf` members, types and
//! formats, enums, `required`, `nullable`, defaults, numeric, length,
//! pattern and item constraints, discriminators, `readOnly`/`writeOnly`,
//! deprecation with `x-sunset` and `x-stability-level`, and security
//! requirements and scopes.
//!
//! # Pinterest rules
//!
//! See [`rules::PINTEREST_RULES`]: `x-ratelimit-category` changed (WARN:
//! the call now draws on another quota), `x-sandbox` disabled (WARN) or
//! enabled (INFO), and the OAuth2 scopes a user token needs for an
//! operation grew (ERR: tokens granted before get 401/403) or shrank (INFO).
//!
//! # Where we differ from oasdiff
//!
//! Measured on oasdiff's own checker cases (`../shared/diff-corpus`), 122
//! of 125 agree. The three that do not are choices:
//!
//! * No deprecation policy: oasdiff can require a minimum number of days
//!   between deprecation and sunset (`api-deprecated-sunset-missing`,
//!   `*-sunset-date-too-small`); we have no such policy, so a deprecation
//!   without `x-sunset` is `endpoint-deprecated` (two cases).
//! * Path-level parameters are the operation's parameters: a client sends
//!   them on every call, so a change to one is reported for each operation
//!   of the path (oasdiff only does this with `--flatten-params`; one case).
//!
//! Also: parameters serialized through `content` are compared by presence
//! and `required` only (as oasdiff does); removing a `draft` or `alpha`
//! operation is not reported; an `allOf` with a single member is compared
//! as that member against a schema without `allOf` (a `$ref` that became
//! inline, or the reverse, is no change); a composition member that moved
//! between inline and a named schema is matched by its properties.

pub mod load;
mod ops;
pub mod report;
pub mod rules;
mod schema;
pub mod semver;

use serde::Serialize;
use serde_json::Value;

pub use rules::Level;
pub use semver::Bump;

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id (oasdiff's, or `pinterest-*`).
    pub id: &'static str,
    /// How breaking it is.
    pub level: Level,
    /// What changed, in words.
    pub text: String,
    /// HTTP method of the operation (upper case), when it concerns one.
    pub operation: Option<String>,
    /// Path of the operation, as the revision (or base) writes it.
    pub path: Option<String>,
    /// `operationId`, when the operation has one.
    pub operation_id: Option<String>,
    /// JSON pointer of the changed value in the base document.
    pub base_pointer: Option<String>,
    /// JSON pointer of the changed value in the revision.
    pub revision_pointer: Option<String>,
}

/// The findings of a diff and the bump they imply.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    /// `info.version` of the base.
    pub base_version: Option<String>,
    /// `info.version` of the revision.
    pub revision_version: Option<String>,
    /// Every finding, in document order.
    pub findings: Vec<Finding>,
    /// The semver bump the findings imply for the generated crate.
    pub bump: Bump,
}

/// Compares two documents (as [`load::load`] returns them).
pub fn diff(base: &Value, revision: &Value) -> DiffReport {
    diff_on(base, revision, today())
}

/// [`diff`] as of `today` (days since 1970-01-01), for sunset dates.
pub fn diff_on(base: &Value, revision: &Value, today: i64) -> DiffReport {
    let findings = ops::compare(base, revision, today);
    let bump = semver::implied(&findings);
    let version = |d: &Value| {
        d.pointer("/info/version")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    DiffReport {
        base_version: version(base),
        revision_version: version(revision),
        findings,
        bump,
    }
}

/// Today, in days since 1970-01-01 (UTC).
pub fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    secs.div_euclid(86_400)
}

/// Parses `YYYY-MM-DD` (optionally followed by a time) into days since
/// 1970-01-01; `None` when it is not a date.
pub fn parse_date(text: &str) -> Option<i64> {
    let date = text.get(..10)?;
    let rest = &text[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some()
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
        || date.len() != 10
    {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_or_are_refused() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-03-01"), Some(11_017));
        assert_eq!(
            parse_date("9999-08-10T00:00:00Z").map(|d| d > today()),
            Some(true)
        );
        assert_eq!(parse_date("invalid-date"), None);
        assert_eq!(parse_date("2023-13-01"), None);
    }
}
