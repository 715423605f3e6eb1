//! The semver bump a spec change implies for the generated `pinterest-api`
//! crate, and whether a version change makes that bump.
//!
//! The mapping is about the *Rust* API that `cargo xtask gen` produces
//! from the spec (builders for requests, plain structs with public fields,
//! exhaustive enums), not only about the wire:
//!
//! * **Major**: anything a program compiled against the old crate may no
//!   longer compile or behave with. Every ERR finding; removals of
//!   operations, parameters or properties at any level (their builder
//!   methods and fields disappear); type, nullability, `required` and
//!   `allOf`/`oneOf`/`anyOf`/discriminator changes of a schema (the
//!   generated type changes, e.g. `T` ↔ `Option<T>`); enum values added or
//!   removed (the generated enums are exhaustive, so a new variant breaks
//!   `match`es); a new request property (struct literals of the request
//!   type stop compiling).
//! * **Minor**: additions a program can ignore: new operations, optional
//!   parameters, response properties, media types, statuses, headers,
//!   optional request bodies; deprecations; security and Pinterest
//!   extension changes (behaviour, not types); every other WARN finding.
//! * **Patch**: the rest (defaults, numeric/length/pattern constraints,
//!   reactivations, stability levels), and a spec change with no findings.

use super::Finding;
use super::rules::Level;

/// A semver bump, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Bug-fix level.
    Patch,
    /// Backwards-compatible additions.
    Minor,
    /// Breaking.
    Major,
}

impl std::fmt::Display for Bump {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// Parts of rule ids that mean the generated types change shape.
const TYPE_CHANGES: &[&str] = &[
    "body-type-",
    "property-type-",
    "parameter-type-",
    "became-nullable",
    "became-not-nullable",
    "became-enum",
    "all-of-",
    "one-of-",
    "any-of-",
    "discriminator-",
    "wrapped-in-one-of",
    "enum-value-",
];

/// Ids (not ERR) whose change removes or reshapes a generated item.
const MAJOR_IDS: &[&str] = &[
    "api-removed-with-deprecation",
    "api-path-removed-with-deprecation",
    "request-parameter-removed",
    "request-parameter-removed-with-deprecation",
    "request-property-removed",
    "request-property-became-optional",
    "response-optional-property-removed",
    "response-optional-write-only-property-removed",
    "response-required-write-only-property-removed",
    "response-property-became-required",
    "response-write-only-property-became-required",
    "response-write-only-property-became-optional",
    "new-optional-request-property",
    "request-body-removed",
];

/// Ids (INFO) that add something a program can ignore.
const MINOR_PARTS: &[&str] = &[
    "endpoint-added",
    "new-optional-request",
    "property-added",
    "media-type-added",
    "status-added",
    "header-added",
    "request-body-added-optional",
    "deprecated",
    "security-",
    "pinterest-",
];

/// The bump one finding implies.
pub fn bump_for(finding: &Finding) -> Bump {
    let id = finding.id;
    if finding.level == Level::Err || MAJOR_IDS.contains(&id) {
        return Bump::Major;
    }
    // The annotation-only allOf members change no generated type.
    if !id.ends_with("annotation-only") && TYPE_CHANGES.iter().any(|part| id.contains(part)) {
        return Bump::Major;
    }
    if finding.level == Level::Warn || MINOR_PARTS.iter().any(|part| id.contains(part)) {
        return Bump::Minor;
    }
    Bump::Patch
}

/// The bump a whole diff implies: the largest of its findings (patch when
/// there are none, as the spec file still changed).
pub fn implied(findings: &[Finding]) -> Bump {
    findings.iter().map(bump_for).max().unwrap_or(Bump::Patch)
}

/// A `MAJOR.MINOR.PATCH` version (pre-release and build parts ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    /// Parses `1.2.3`, `1.2.3-beta.1`, `1.2.3+meta`.
    pub fn parse(text: &str) -> Option<Version> {
        let core = text.trim().split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        let v = Version(parts.next()??, parts.next()??, parts.next()??);
        parts.next().is_none().then_some(v)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The bump going from `old` to `new` makes, in Cargo's reading of semver:
/// below 1.0 the first non-zero component is the major one (0.3 → 0.4 is
/// breaking) and the next is the minor one. `None` when `new` is not
/// greater than `old`.
pub fn bump_made(old: Version, new: Version) -> Option<Bump> {
    if new <= old {
        return None;
    }
    let (a, b) = (components(old), components(new));
    Some(if b.0 != a.0 {
        Bump::Major
    } else if b.1 != a.1 {
        Bump::Minor
    } else {
        Bump::Patch
    })
}

/// (major, minor, patch) as Cargo compares them.
fn components(v: Version) -> (u64, u64, u64) {
    match v {
        Version(0, 0, p) => (p, 0, 0),
        Version(0, m, p) => (m, p, 0),
        Version(x, m, p) => (x, m, p),
    }
}

/// The smallest version after `old` that makes `bump`.
///
/// ```
/// use pinterest_gen::diff::semver::{Bump, Version, next};
/// assert_eq!(next(Version(0, 1, 0), Bump::Major), Version(0, 2, 0));
/// assert_eq!(next(Version(0, 1, 0), Bump::Minor), Version(0, 1, 1));
/// assert_eq!(next(Version(1, 4, 2), Bump::Minor), Version(1, 5, 0));
/// ```
pub fn next(old: Version, bump: Bump) -> Version {
    match (old, bump) {
        (Version(0, 0, p), _) => Version(0, 0, p + 1),
        (Version(0, m, _), Bump::Major) => Version(0, m + 1, 0),
        (Version(0, m, p), _) => Version(0, m, p + 1),
        (Version(x, ..), Bump::Major) => Version(x + 1, 0, 0),
        (Version(x, m, _), Bump::Minor) => Version(x, m + 1, 0),
        (Version(x, m, p), Bump::Patch) => Version(x, m, p + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::rules;

    fn f(id: &'static str) -> Finding {
        Finding {
            id,
            level: rules::level(id),
            text: String::new(),
            operation: None,
            path: None,
            operation_id: None,
            base_pointer: None,
            revision_pointer: None,
        }
    }

    #[test]
    fn findings_map_to_bumps() {
        assert_eq!(bump_for(&f("api-removed-without-deprecation")), Bump::Major);
        assert_eq!(
            bump_for(&f("response-property-enum-value-added")),
            Bump::Major
        );
        assert_eq!(
            bump_for(&f("request-parameter-enum-value-added")),
            Bump::Major
        );
        assert_eq!(bump_for(&f("response-body-type-specialized")), Bump::Major);
        assert_eq!(
            bump_for(&f("request-property-all-of-added-annotation-only")),
            Bump::Patch
        );
        assert_eq!(bump_for(&f("endpoint-added")), Bump::Minor);
        assert_eq!(bump_for(&f("response-media-type-added")), Bump::Minor);
        assert_eq!(bump_for(&f("request-body-media-type-added")), Bump::Minor);
        assert_eq!(
            bump_for(&f("response-optional-property-added")),
            Bump::Minor
        );
        assert_eq!(bump_for(&f("request-property-max-set")), Bump::Minor);
        assert_eq!(bump_for(&f("endpoint-deprecated")), Bump::Minor);
        assert_eq!(bump_for(&f("pinterest-sandbox-enabled")), Bump::Minor);
        assert_eq!(
            bump_for(&f("request-property-default-value-changed")),
            Bump::Patch
        );
        assert_eq!(
            bump_for(&f("request-property-pattern-removed")),
            Bump::Patch
        );
        assert_eq!(implied(&[]), Bump::Patch);
        assert_eq!(
            implied(&[f("endpoint-added"), f("request-body-removed")]),
            Bump::Major
        );
    }

    #[test]
    fn version_bumps_follow_cargo_below_one() {
        let v = |s| Version::parse(s).unwrap();
        assert_eq!(bump_made(v("0.1.0"), v("0.2.0")), Some(Bump::Major));
        assert_eq!(bump_made(v("0.1.0"), v("0.1.1")), Some(Bump::Minor));
        assert_eq!(bump_made(v("1.1.0"), v("1.1.1")), Some(Bump::Patch));
        assert_eq!(bump_made(v("1.1.0"), v("2.0.0")), Some(Bump::Major));
        assert_eq!(bump_made(v("0.1.0"), v("0.1.0")), None);
        assert_eq!(Version::parse("1.2"), None);
        assert_eq!(Version::parse("1.2.3-rc.1"), Some(Version(1, 2, 3)));
    }
}
