//! The semver bump a spec change implies for the generated `pinterest-api`
//! crate, and whether a version change makes that bump.
//!
//! Each [`Rule`](super::Rule) carries its bump (see [`super::rules`]); the
//! table follows what the change does to the *Rust* API that `cargo xtask
//! gen` produces, not only to the wire:
//!
//! * **Major**: anything a program compiled against the old crate may no
//!   longer compile or behave with. Every ERR finding; removals of
//!   operations, parameters or properties at any level (their builder
//!   methods and fields disappear); type, nullability, `required` and
//!   `allOf`/`oneOf`/`anyOf`/discriminator changes of a schema (the
//!   generated type changes, e.g. `T` ↔ `Option<T>`); enum values removed
//!   (the variant disappears); a new request property (struct literals of
//!   the request type stop compiling).
//! * **Minor**: additions a program can ignore: new operations, optional
//!   parameters, response properties, media types, statuses, headers,
//!   optional request bodies, enum values (the generated enums are open and
//!   `#[non_exhaustive]`, so a new variant breaks no `match`); deprecations;
//!   security and Pinterest extension changes (behaviour, not types); every
//!   other WARN finding.
//! * **Patch**: the rest (defaults, numeric/length/pattern constraints,
//!   `readOnly`/`writeOnly`, reactivations, stability levels), and a spec
//!   change with no findings.
//!
//! Versions are [`semver::Version`]s: a pre-release orders before its
//! release (`0.2.0-rc.1` < `0.2.0`).

pub use ::semver::Version;

use super::Finding;

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

/// The bump one finding implies: its rule's.
pub fn bump_for(finding: &Finding) -> Bump {
    finding.id.bump()
}

/// The bump a whole diff implies: the largest of its findings (patch when
/// there are none, as the spec file still changed).
pub fn implied(findings: &[Finding]) -> Bump {
    findings.iter().map(bump_for).max().unwrap_or(Bump::Patch)
}

/// The bump going from `old` to `new` makes, in Cargo's reading of semver:
/// below 1.0 the first non-zero component is the major one (0.3 → 0.4 is
/// breaking) and the next is the minor one. `None` when `new` is not
/// greater than `old` (a pre-release is less than its release).
///
/// ```
/// use pinterest_gen::diff::semver::{Bump, Version, bump_made};
/// let v = |s| Version::parse(s).unwrap();
/// assert_eq!(bump_made(&v("0.1.0"), &v("0.2.0-rc.1")), Some(Bump::Major));
/// assert_eq!(bump_made(&v("0.2.0"), &v("0.2.0-rc.1")), None);
/// ```
pub fn bump_made(old: &Version, new: &Version) -> Option<Bump> {
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
fn components(v: &Version) -> (u64, u64, u64) {
    match (v.major, v.minor, v.patch) {
        (0, 0, p) => (p, 0, 0),
        (0, m, p) => (m, p, 0),
        (x, m, p) => (x, m, p),
    }
}

/// The smallest release after `old` that makes `bump`.
///
/// ```
/// use pinterest_gen::diff::semver::{Bump, Version, next};
/// let v = |s| Version::parse(s).unwrap();
/// assert_eq!(next(&v("0.1.0"), Bump::Major), v("0.2.0"));
/// assert_eq!(next(&v("0.1.0"), Bump::Minor), v("0.1.1"));
/// assert_eq!(next(&v("1.4.2"), Bump::Minor), v("1.5.0"));
/// ```
pub fn next(old: &Version, bump: Bump) -> Version {
    let (x, m, p) = (old.major, old.minor, old.patch);
    let (x, m, p) = match (x, m, bump) {
        (0, 0, _) => (0, 0, p + 1),
        (0, m, Bump::Major) => (0, m + 1, 0),
        (0, m, _) => (0, m, p + 1),
        (x, _, Bump::Major) => (x + 1, 0, 0),
        (x, m, Bump::Minor) => (x, m + 1, 0),
        (x, m, Bump::Patch) => (x, m, p + 1),
    };
    Version::new(x, m, p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Rule;

    fn f(rule: Rule) -> Finding {
        Finding::new(rule, String::new(), None, None)
    }

    #[test]
    fn findings_map_to_bumps() {
        use Rule::*;
        for (rule, bump) in [
            (ApiRemovedWithoutDeprecation, Bump::Major),
            (ResponsePropertyEnumValueAdded, Bump::Minor),
            (RequestParameterEnumValueAdded, Bump::Minor),
            (ResponsePropertyEnumValueRemoved, Bump::Major),
            (ResponseBodyTypeSpecialized, Bump::Major),
            (RequestPropertyAllOfAddedAnnotationOnly, Bump::Patch),
            (EndpointAdded, Bump::Minor),
            (ResponseMediaTypeAdded, Bump::Minor),
            (RequestBodyMediaTypeAdded, Bump::Minor),
            (ResponseOptionalPropertyAdded, Bump::Minor),
            (RequestPropertyMaxSet, Bump::Minor),
            (EndpointDeprecated, Bump::Minor),
            (PinterestSandboxEnabled, Bump::Minor),
            (RequestPropertyDefaultValueChanged, Bump::Patch),
            (RequestPropertyPatternRemoved, Bump::Patch),
            (GenericRequestParameterExplodeChanged, Bump::Major),
        ] {
            assert_eq!(bump_for(&f(rule)), bump, "{rule}");
        }
        assert_eq!(implied(&[]), Bump::Patch);
        assert_eq!(
            implied(&[f(EndpointAdded), f(RequestBodyRemoved)]),
            Bump::Major
        );
    }

    #[test]
    fn version_bumps_follow_cargo_below_one_and_order_pre_releases() {
        let v = |s| Version::parse(s).unwrap();
        assert_eq!(bump_made(&v("0.1.0"), &v("0.2.0")), Some(Bump::Major));
        assert_eq!(bump_made(&v("0.1.0"), &v("0.1.1")), Some(Bump::Minor));
        assert_eq!(bump_made(&v("1.1.0"), &v("1.1.1")), Some(Bump::Patch));
        assert_eq!(bump_made(&v("1.1.0"), &v("2.0.0")), Some(Bump::Major));
        assert_eq!(bump_made(&v("0.1.0"), &v("0.1.0")), None);
        assert_eq!(bump_made(&v("1.2.3"), &v("1.2.3-rc.1")), None);
        assert_eq!(bump_made(&v("1.2.3-rc.1"), &v("1.2.3")), Some(Bump::Patch));
        assert!(Version::parse("1.2").is_err());
    }
}
