//! Schema comparison: one request or response body, parameter or response
//! header, walked in both documents at once through `$ref`s, properties,
//! items, `additionalProperties` and `allOf`/`oneOf`/`anyOf` members.
//!
//! The walk is here; each family of schema rules has its own file
//! ([`types`], [`enums`], [`bounds`], [`annotations`], [`composition`],
//! [`properties`]). Checks report a [`Change`] at a [`Pair`] of positions;
//! [`Compare::emit`] turns it into the [`Rule`] for the position's
//! [`Subject`].

mod annotations;
mod bounds;
mod composition;
mod enums;
mod properties;
mod types;

use std::collections::HashSet;

use serde_json::Value;

use super::checker::Sink;
use super::rules::{Change, Rule, Subject};
use crate::pointer;

/// Request or response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    Request,
    Response,
}

/// What the schema describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Place {
    /// A body; `loose` for media types that are not JSON (XML, text,
    /// forms), where a type change is only "compatible".
    Body { loose: bool },
    /// A parameter `in` a location.
    Param { location: String },
    /// A response header.
    Header,
}

/// A schema position in one document: the value and its JSON pointer.
#[derive(Clone, Copy)]
pub(crate) struct Node<'v, 'p> {
    pub value: &'v Value,
    pub pointer: &'p str,
}

/// One position of the walk in both documents: the schemas (`$ref`s
/// resolved) and their pointers, the property path from the top, and
/// whether the property there is `readOnly`/`writeOnly`. Every check takes
/// one.
#[derive(Clone, Copy)]
pub(crate) struct Pair<'v, 'p> {
    /// The base's schema.
    pub a: &'v Value,
    /// Its pointer in the base.
    pub ap: &'p str,
    /// The revision's schema.
    pub b: &'v Value,
    /// Its pointer in the revision.
    pub bp: &'p str,
    /// Property names from the top (`*` for `additionalProperties`).
    pub path: &'p [String],
    /// The property is `readOnly` (in either document).
    pub read_only: bool,
    /// The property is `writeOnly` (in either document).
    pub write_only: bool,
}

impl Pair<'_, '_> {
    /// At the top of the body, parameter or header (not in a property).
    pub fn top(&self) -> bool {
        self.path.is_empty()
    }
}

/// The `#/components/schemas/...` references whose schema is the same
/// in both documents, including everything it references: comparing them
/// can find nothing, so the walk skips them (most of a spec is unchanged
/// between two versions).
pub(crate) fn unchanged_schemas(base: &Value, revision: &Value) -> HashSet<String> {
    let (Some(a), Some(b)) = (
        base.pointer("/components/schemas")
            .and_then(Value::as_object),
        revision
            .pointer("/components/schemas")
            .and_then(Value::as_object),
    ) else {
        return HashSet::new();
    };
    let reference = |name: &str| format!("#/components/schemas/{}", pointer::escape(name));
    // Start from the textually equal ones, then drop those that reference
    // a schema that is not unchanged, until nothing moves.
    let mut same: HashSet<String> = a
        .iter()
        .filter(|(name, schema)| b.get(*name) == Some(*schema))
        .map(|(name, _)| reference(name))
        .collect();
    let refs: Vec<(String, Vec<String>)> = same
        .iter()
        .filter_map(|r| {
            let schema = pointer::resolve(base, r)?;
            let mut out = Vec::new();
            collect_refs(schema, &mut out);
            Some((r.clone(), out))
        })
        .collect();
    loop {
        let before = same.len();
        for (r, targets) in &refs {
            if same.contains(r) && targets.iter().any(|t| !same.contains(t)) {
                same.remove(r);
            }
        }
        if same.len() == before {
            return same;
        }
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Follows `$ref`s to the schema they name (guarding against loops).
pub(crate) fn resolve<'a>(doc: &'a Value, value: &'a Value, at: &str) -> (&'a Value, String) {
    let mut value = value;
    let mut at = at.to_string();
    for _ in 0..32 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(r) => match pointer::resolve(doc, r) {
                Some(target) => {
                    at = r.trim_start_matches('#').to_string();
                    value = target;
                }
                None => break,
            },
            None => break,
        }
    }
    (value, at)
}

/// The one member of an `allOf` wrapper: a schema whose only structure is
/// `allOf: [X]` (other keys being annotations, `type`, `nullable`,
/// `default`, `readOnly`/`writeOnly`).
fn wrapped(schema: &Value) -> Option<&Value> {
    let members = schema.get("allOf")?.as_array()?;
    let structural = [
        "properties",
        "items",
        "oneOf",
        "anyOf",
        "enum",
        "additionalProperties",
        "not",
    ];
    match members.as_slice() {
        [only] if !structural.iter().any(|k| schema.get(*k).is_some()) => Some(only),
        _ => None,
    }
}

/// A wrapper merged with its member: the member's keys (through its
/// `$ref`), overridden by the wrapper's own.
fn unwrap(doc: &Value, wrapper: &Value) -> Value {
    let Some(member) = wrapped(wrapper) else {
        return wrapper.clone();
    };
    let (target, _) = resolve(doc, member, "");
    let mut merged = target.as_object().cloned().unwrap_or_default();
    for (k, v) in wrapper
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| *k != "allOf")
    {
        merged.insert(k.clone(), v.clone());
    }
    Value::Object(merged)
}

/// A value in words: strings as they are, the rest as JSON, `none` when
/// absent.
pub(crate) fn text(v: Option<&Value>) -> String {
    match v {
        None => "none".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// An empty map, for objects without the member asked for.
static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);

/// The object `value[key]`, or an empty one.
pub(crate) fn object<'v>(value: &'v Value, key: &str) -> &'v serde_json::Map<String, Value> {
    value.get(key).and_then(Value::as_object).unwrap_or(&EMPTY)
}

/// Compares schemas of one body, parameter or header.
pub(crate) struct Compare<'a, 's> {
    pub base: &'a Value,
    pub revision: &'a Value,
    pub dir: Dir,
    pub place: Place,
    pub label: String,
    pub sink: &'s mut Sink,
    unchanged: &'a HashSet<String>,
    stack: Vec<(String, String)>,
}

impl<'a, 's> Compare<'a, 's> {
    pub(crate) fn new(
        base: &'a Value,
        revision: &'a Value,
        dir: Dir,
        place: Place,
        label: String,
        sink: &'s mut Sink,
        unchanged: &'a HashSet<String>,
    ) -> Self {
        Compare {
            base,
            revision,
            dir,
            place,
            label,
            sink,
            unchanged,
            stack: Vec::new(),
        }
    }

    fn request(&self) -> bool {
        self.dir == Dir::Request
    }

    fn body(&self) -> bool {
        matches!(self.place, Place::Body { .. })
    }

    /// What a schema at `path` is, for the rule table; `None` inside a
    /// response header's schema (no rules there).
    fn subject(&self, path: &[String]) -> Option<Subject> {
        let top = path.is_empty();
        Some(match (&self.dir, &self.place) {
            (Dir::Request, Place::Body { .. }) if top => Subject::RequestBody,
            (Dir::Request, Place::Body { .. }) => Subject::RequestProperty,
            (Dir::Request, Place::Param { .. }) if top => Subject::RequestParameter,
            (Dir::Request, Place::Param { location }) if location == "header" => {
                Subject::RequestHeaderProperty
            }
            (Dir::Request, Place::Param { .. }) => Subject::RequestParameterProperty,
            (_, Place::Header) if top => Subject::ResponseHeader,
            (_, Place::Header) => return None,
            (Dir::Response, _) if top => Subject::ResponseBody,
            (Dir::Response, _) => Subject::ResponseProperty,
        })
    }

    /// The place in words, e.g. `response 200 (application/json), property 'a/b'`.
    fn what(&self, path: &[String]) -> String {
        let kind = match (&self.dir, &self.place) {
            (_, Place::Header) => format!("response header {}", self.label),
            (Dir::Request, Place::Param { location }) => {
                format!("{location} parameter {}", self.label)
            }
            (Dir::Request, _) => format!("request body ({})", self.label),
            (Dir::Response, _) => format!("response {}", self.label),
        };
        if path.is_empty() {
            kind
        } else {
            format!("{kind}, property '{}'", path.join("/"))
        }
    }

    /// Reports `change` at `at` as the rule its subject has for it (none
    /// when the table has no such rule: see [`Rule::for_schema`]).
    fn emit(&mut self, at: &Pair, change: Change, detail: String) {
        if let Some(rule) = self
            .subject(at.path)
            .and_then(|s| Rule::for_schema(s, change))
        {
            self.emit_rule(rule, at.path, detail, at.ap, at.bp);
        }
    }

    /// Reports `change` as the rule of `first` when it has one, else as
    /// [`Compare::emit`] would.
    fn emit_preferring(&mut self, first: Subject, at: &Pair, change: Change, detail: String) {
        match Rule::for_schema(first, change) {
            Some(rule) => self.emit_rule(rule, at.path, detail, at.ap, at.bp),
            None => self.emit(at, change, detail),
        }
    }

    /// Reports `rule` for the property at `path`.
    fn emit_rule(&mut self, rule: Rule, path: &[String], detail: String, a: &str, b: &str) {
        let text = format!("{}: {detail}", self.what(path));
        self.sink
            .push(rule, text, Some(a.to_string()), Some(b.to_string()));
    }

    /// Compares the schema at `a` (base) with the one at `b` (revision).
    pub(crate) fn run(&mut self, a: Node<'a, '_>, b: Node<'a, '_>) {
        self.compare(a, b, &[], false, false);
    }

    fn compare<'v>(
        &mut self,
        a: Node<'v, '_>,
        b: Node<'v, '_>,
        path: &[String],
        read_only: bool,
        write_only: bool,
    ) where
        'a: 'v,
    {
        if let (Some(x), Some(y)) = (a.value.get("$ref"), b.value.get("$ref"))
            && x == y
            && x.as_str().is_some_and(|r| self.unchanged.contains(r))
        {
            return;
        }
        // The same inline schema, whose references lead to unchanged
        // schemas only, cannot differ.
        if a.value == b.value
            && super::checker::same_refs(self.base, self.revision, a.value, self.unchanged, 0)
        {
            return;
        }
        let (av, ap) = resolve(self.base, a.value, a.pointer);
        let (bv, bp) = resolve(self.revision, b.value, b.pointer);
        let key = (ap.clone(), bp.clone());
        if self.stack.contains(&key) || self.stack.len() > 40 {
            return;
        }
        self.stack.push(key);
        // `allOf: [X]` with annotations beside it is X with those
        // annotations: compared as such against a schema without `allOf`
        // (a `$ref` that became inline, or the reverse).
        let pair = |a, b| Pair {
            a,
            ap: &ap,
            b,
            bp: &bp,
            path,
            read_only,
            write_only,
        };
        match (wrapped(av), wrapped(bv)) {
            (Some(_), None) if bv.get("allOf").is_none() => {
                let merged = unwrap(self.base, av);
                self.node(pair(&merged, bv));
            }
            (None, Some(_)) if av.get("allOf").is_none() => {
                let merged = unwrap(self.revision, bv);
                self.node(pair(av, &merged));
            }
            _ => self.node(pair(av, bv)),
        }
        self.stack.pop();
    }

    /// Every check at one position, then the walk into its children.
    fn node<'v>(&mut self, at: Pair<'v, '_>)
    where
        'a: 'v,
    {
        if self.wrapped_in_one_of(&at) {
            return;
        }
        self.types(&at);
        self.nullable(&at);
        self.enums(&at);
        if self.request() {
            self.request_bounds(&at);
        } else {
            self.response_bounds(&at);
        }
        self.patterns(&at);
        self.default_value(&at);
        if !at.top() {
            self.deprecation(&at);
        }
        if self.body() {
            self.compositions(&at);
            self.discriminator(&at);
        }
        self.properties(&at);
        self.children(&at);
    }

    /// Walks into `items` and `additionalProperties`.
    fn children<'v>(&mut self, at: &Pair<'v, '_>)
    where
        'a: 'v,
    {
        if let (Some(ai), Some(bi)) = (at.a.get("items"), at.b.get("items")) {
            let (aip, bip) = (format!("{}/items", at.ap), format!("{}/items", at.bp));
            self.compare(
                Node {
                    value: ai,
                    pointer: &aip,
                },
                Node {
                    value: bi,
                    pointer: &bip,
                },
                at.path,
                at.read_only,
                at.write_only,
            );
        }
        if let (Some(ax), Some(bx)) = (
            at.a.get("additionalProperties").filter(|v| v.is_object()),
            at.b.get("additionalProperties").filter(|v| v.is_object()),
        ) {
            let (axp, bxp) = (
                format!("{}/additionalProperties", at.ap),
                format!("{}/additionalProperties", at.bp),
            );
            let mut sub = at.path.to_vec();
            sub.push("*".into());
            self.compare(
                Node {
                    value: ax,
                    pointer: &axp,
                },
                Node {
                    value: bx,
                    pointer: &bxp,
                },
                &sub,
                at.read_only,
                at.write_only,
            );
        }
    }
}
