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
//! # Rules
//!
//! Every rule is a variant of [`Rule`], with its id, level and bump: see
//! [`rules`]. Beyond oasdiff's ids, `pinterest-*` rules cover Pinterest's
//! extensions (`x-ratelimit-category`, `x-sandbox`, the OAuth scopes an
//! operation needs) and `generic-*` rules cover what oasdiff has no rule
//! for but changes what a generated client sends or how it authenticates:
//! parameter serialization (`style`, `explode`, `allowEmptyValue`),
//! security scheme details (`scheme`, `in`, `name`, `bearerFormat`,
//! `openIdConnectUrl`, OAuth flows and `refreshUrl`), response header
//! `required`/`explode`, `minProperties`/`maxProperties`, and the response
//! bounds oasdiff leaves out (`maximum`, `minimum`, `minLength` removed,
//! `maxItems` raised or removed).
//!
//! # How it is organized
//!
//! [`checker`] compares operations, one file per rule family (endpoints,
//! parameters, serialization, request bodies, media types, responses,
//! response headers, security, Pinterest extensions); `schema` walks two
//! schemas at once, one file per family of schema rules (types, enums,
//! bounds, annotations, compositions, properties). Deprecation and sunset
//! dates are judged in one place, `lifecycle`.
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

pub mod checker;
mod lifecycle;
pub mod load;
pub mod report;
pub mod rules;
mod schema;
pub mod semver;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

pub use rules::{Level, Rule};
pub use semver::Bump;

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule (serialized as its id: oasdiff's, `generic-*` or
    /// `pinterest-*`).
    pub id: Rule,
    /// How breaking it is (the rule's level).
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

impl Finding {
    /// A finding of `rule`, with no operation.
    pub fn new(
        rule: Rule,
        text: String,
        base: Option<String>,
        revision: Option<String>,
    ) -> Finding {
        Finding {
            id: rule,
            level: rule.level(),
            text,
            operation: None,
            path: None,
            operation_id: None,
            base_pointer: base,
            revision_pointer: revision,
        }
    }
}

/// Where a diff spent its time, for `xtask diff --timings` and the
/// benchmark's phase split.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Finding the `components/schemas` that are the same in both
    /// documents (a fixpoint over their references).
    pub same_schemas: Duration,
    /// Comparing operations and schemas.
    pub walk: Duration,
}

/// Compares two documents (as [`load::load`] returns them).
pub fn diff(base: &Value, revision: &Value) -> DiffReport {
    diff_on(base, revision, today())
}

/// [`diff`] as of `today`, for sunset dates.
pub fn diff_on(base: &Value, revision: &Value, today: NaiveDate) -> DiffReport {
    diff_timed(base, revision, today).0
}

/// [`diff_on`], also saying where the time went.
pub fn diff_timed(base: &Value, revision: &Value, today: NaiveDate) -> (DiffReport, Timings) {
    let started = Instant::now();
    let same = schema::unchanged_schemas(base, revision);
    let same_schemas = started.elapsed();
    let findings = checker::compare(base, revision, today, &same);
    let walk = started.elapsed() - same_schemas;
    let bump = semver::implied(&findings);
    let version = |d: &Value| {
        d.pointer("/info/version")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let report = DiffReport {
        base_version: version(base),
        revision_version: version(revision),
        findings,
        bump,
    };
    (report, Timings { same_schemas, walk })
}

/// Today (UTC).
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Parses a sunset date: `YYYY-MM-DD`, optionally followed by a time
/// (`T...` or a space). `None` when it is not a calendar date
/// (`2023-02-31` is not).
///
/// ```
/// use pinterest_gen::diff::parse_date;
/// assert!(parse_date("2025-06-30").is_some());
/// assert!(parse_date("2025-06-30T00:00:00Z").is_some());
/// assert!(parse_date("2023-02-31").is_none());
/// ```
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let date = text.get(..10)?;
    let rest = &text[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    // chrono accepts unpadded fields; a sunset date is always padded.
    let shape = date.bytes().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            c == b'-'
        } else {
            c.is_ascii_digit()
        }
    });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_or_are_refused() {
        assert_eq!(
            parse_date("1970-01-01"),
            NaiveDate::from_ymd_opt(1970, 1, 1)
        );
        assert_eq!(
            parse_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(
            parse_date("9999-08-10T00:00:00Z").map(|d| d > today()),
            Some(true)
        );
        for bad in [
            "invalid-date",
            "2023-13-01",
            "2023-02-31",
            "2023-02-29",
            "2023-2-1",
            "2023-02-01x",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }
}
