//! Parameters added, removed (judged by deprecation and sunset date),
//! made required or optional, deprecated; their schemas, and how they are
//! serialized ([`super::serialization`]).

use std::collections::BTreeMap;

use serde_json::Value;

use super::OpDiff;
use crate::diff::Rule;
use crate::diff::lifecycle::{Lifecycle, Removal, Transition, removal, transition};
use crate::diff::schema::{Compare, Dir, Node, Place};
use crate::pointer;
use crate::spec::OperationRef;

/// A parameter after `$ref` resolution, with where it is defined.
pub(super) struct Param<'a> {
    pub value: &'a Value,
    pub pointer: String,
    /// Defined on the path item rather than the operation.
    pub path_level: bool,
}

impl Param<'_> {
    fn required(&self) -> bool {
        self.value.get("required") == Some(&Value::Bool(true))
    }
}

/// The parameters an operation takes (path-level ones included, the
/// operation's overriding them), keyed by location and name.
fn params<'a>(doc: &'a Value, op: &OperationRef<'a>) -> BTreeMap<(String, String), Param<'a>> {
    let mut out = BTreeMap::new();
    let item_ptr = pointer::join(&["paths", op.path]);
    for (list, at, path_level) in [
        (
            op.item.get("parameters"),
            format!("{item_ptr}/parameters"),
            true,
        ),
        (
            op.op.get("parameters"),
            format!("{}/parameters", op.pointer()),
            false,
        ),
    ] {
        for (i, raw) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some((value, ptr)) = super::resolved(doc, raw, format!("{at}/{i}")) else {
                continue;
            };
            let (Some(location), Some(name)) = (
                value.get("in").and_then(Value::as_str),
                value.get("name").and_then(Value::as_str),
            ) else {
                continue;
            };
            // Header names are case-insensitive.
            let name = if location == "header" {
                name.to_ascii_lowercase()
            } else {
                name.to_string()
            };
            out.insert(
                (location.to_string(), name),
                Param {
                    value,
                    pointer: ptr,
                    path_level,
                },
            );
        }
    }
    out
}

impl<'a> OpDiff<'a> {
    pub(super) fn parameters(&mut self) {
        let pa = params(self.base, self.a);
        let pb = params(self.revision, self.b);
        for ((location, name), b) in &pb {
            let label = format!("'{name}'");
            match pa.get(&(location.clone(), name.clone())) {
                None => {
                    let rule = match (location.as_str(), b.path_level, b.required()) {
                        ("path", ..) => Rule::NewRequestPathParameter,
                        (_, true, true) => Rule::NewRequiredRequestDefaultParameterToExistingPath,
                        (_, true, false) => Rule::NewOptionalRequestDefaultParameterToExistingPath,
                        (_, false, true) => Rule::NewRequiredRequestParameter,
                        (_, false, false) => Rule::NewOptionalRequestParameter,
                    };
                    self.push(
                        rule,
                        format!("{location} parameter {label} added"),
                        None,
                        Some(b.pointer.clone()),
                    );
                }
                Some(a) => self.parameter(location, &label, a, b),
            }
        }
        for ((location, name), a) in pa.iter().filter(|(k, _)| !pb.contains_key(*k)) {
            let what = format!("{location} parameter '{name}'");
            let how = removal(&Lifecycle::of(a.value), self.today);
            let rule = match how {
                Removal::WithoutDeprecation => Rule::RequestParameterRemoved,
                Removal::SunsetInvalid(_) => Rule::RequestParameterSunsetParse,
                Removal::BeforeSunset(_) => Rule::RequestParameterRemovedBeforeSunset,
                Removal::WithDeprecation => Rule::RequestParameterRemovedWithDeprecation,
            };
            self.push(rule, how.describe(&what), Some(a.pointer.clone()), None);
        }
    }

    fn parameter(&mut self, location: &str, label: &str, a: &Param<'a>, b: &Param<'a>) {
        let what = format!("{location} parameter {label}");
        let (ap, bp) = (Some(a.pointer.clone()), Some(b.pointer.clone()));
        match (a.required(), b.required()) {
            (false, true) => self.push(
                Rule::RequestParameterBecameRequired,
                format!("{what} became required"),
                ap.clone(),
                bp.clone(),
            ),
            (true, false) => self.push(
                Rule::RequestParameterBecameOptional,
                format!("{what} became optional"),
                ap.clone(),
                bp.clone(),
            ),
            _ => {}
        }
        if let Some(t) = transition(&Lifecycle::of(a.value), &Lifecycle::of(b.value)) {
            let rule = match t {
                Transition::Deprecated | Transition::DeprecatedWithSunset(_) => {
                    Rule::RequestParameterDeprecated
                }
                Transition::DeprecatedSunsetInvalid(_) | Transition::SunsetChangedInvalid(_) => {
                    Rule::RequestParameterSunsetParse
                }
                Transition::Reactivated => Rule::RequestParameterReactivated,
                Transition::SunsetDeleted => Rule::RequestParameterSunsetDeleted,
            };
            self.push(rule, t.describe(&what), ap.clone(), bp.clone());
        }
        self.serialization(location, &what, a, b);
        // Parameters serialized through `content` (a JSON-encoded value)
        // are compared by presence and `required` only, as oasdiff does.
        let schema = |p: &Param<'a>| -> Option<(&'a Value, String)> {
            p.value
                .get("schema")
                .map(|s| (s, format!("{}/schema", p.pointer)))
        };
        if let (Some((sa, pa)), Some((sb, pb))) = (schema(a), schema(b)) {
            let place = Place::Param {
                location: location.to_string(),
            };
            Compare::new(
                self.base,
                self.revision,
                Dir::Request,
                place,
                label.to_string(),
                &mut self.sink,
                self.same,
            )
            .run(
                Node {
                    value: sa,
                    pointer: &pa,
                },
                Node {
                    value: sb,
                    pointer: &pb,
                },
            );
        }
    }
}
