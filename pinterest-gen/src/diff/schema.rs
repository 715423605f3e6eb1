//! Schema comparison: one request or response body, or one parameter,
//! walked in both documents at once through `$ref`s, properties, items,
//! `additionalProperties` and `allOf`/`oneOf`/`anyOf` members.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use super::Finding;
use super::rules;
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
}

/// Where findings go and which operation they belong to.
pub(crate) struct Sink {
    pub out: Vec<Finding>,
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
}

impl Sink {
    pub(crate) fn push(
        &mut self,
        id: &'static str,
        text: String,
        base: Option<String>,
        revision: Option<String>,
    ) {
        self.out.push(Finding {
            id,
            level: rules::level(id),
            text,
            operation: Some(self.method.clone()),
            path: Some(self.path.clone()),
            operation_id: self.operation_id.clone(),
            base_pointer: base,
            revision_pointer: revision,
        });
    }
}

/// A schema position: the value and its JSON pointer.
#[derive(Clone, Copy)]
pub(crate) struct Node<'v, 'p> {
    pub value: &'v Value,
    pub pointer: &'p str,
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
fn resolve<'a>(doc: &'a Value, value: &'a Value, at: &str) -> (&'a Value, String) {
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

/// The static rule id named `{prefix}-{suffix}`, if the rule exists.
fn rule(name: &str) -> Option<&'static str> {
    rules::RULES
        .iter()
        .map(|(id, _)| *id)
        .find(|id| *id == name)
}

fn text(v: Option<&Value>) -> String {
    match v {
        None => "none".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

const ANNOTATIONS: [&str; 8] = [
    "title",
    "description",
    "example",
    "examples",
    "deprecated",
    "$comment",
    "externalDocs",
    "x-stability-level",
];

fn annotation_only(schema: &Value) -> bool {
    schema.as_object().is_some_and(|o| {
        !o.contains_key("$ref") && o.keys().all(|k| ANNOTATIONS.contains(&k.as_str()))
    })
}

/// Patterns that accept any string.
fn any_string(pattern: &str) -> bool {
    matches!(
        pattern,
        ".*" | "^.*$" | "(.*)" | "^(.*)$" | "[\\s\\S]*" | "^(?:.*)$"
    )
}

fn pattern(s: &Value) -> Option<&str> {
    s.get("pattern")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
}

/// Compares schemas of one body or parameter.
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

    fn prefix(&self, path: &[String]) -> &'static str {
        match (&self.dir, &self.place, path.is_empty()) {
            (Dir::Request, Place::Body { .. }, true) => "request-body",
            (Dir::Request, Place::Body { .. }, false) => "request-property",
            (Dir::Request, Place::Param { .. }, true) => "request-parameter",
            (Dir::Request, Place::Param { location }, false) if location == "header" => {
                "request-header-property"
            }
            (Dir::Request, Place::Param { .. }, false) => "request-parameter-property",
            (Dir::Response, _, true) => "response-body",
            (Dir::Response, _, false) => "response-property",
        }
    }

    fn what(&self, path: &[String]) -> String {
        let kind = match (&self.dir, &self.place) {
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

    /// Emits `{prefix}-{suffix}` when that rule exists.
    fn emit(&mut self, path: &[String], suffix: &str, detail: String, a: &str, b: &str) {
        let name = format!("{}-{suffix}", self.prefix(path));
        self.emit_named(&name, path, detail, a, b);
    }

    fn emit_named(&mut self, name: &str, path: &[String], detail: String, a: &str, b: &str) {
        if let Some(id) = rule(name) {
            let text = format!("{}: {detail}", self.what(path));
            self.sink
                .push(id, text, Some(a.to_string()), Some(b.to_string()));
        }
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
        match (wrapped(av), wrapped(bv)) {
            (Some(_), None) if bv.get("allOf").is_none() => {
                let merged = unwrap(self.base, av);
                self.node(&merged, &ap, bv, &bp, path, read_only, write_only);
            }
            (None, Some(_)) if av.get("allOf").is_none() => {
                let merged = unwrap(self.revision, bv);
                self.node(av, &ap, &merged, &bp, path, read_only, write_only);
            }
            _ => self.node(av, &ap, bv, &bp, path, read_only, write_only),
        }
        self.stack.pop();
    }

    #[allow(clippy::too_many_arguments)]
    fn node<'v>(
        &mut self,
        a: &'v Value,
        ap: &str,
        b: &'v Value,
        bp: &str,
        path: &[String],
        ro: bool,
        wo: bool,
    ) where
        'a: 'v,
    {
        let request = self.dir == Dir::Request;
        // A schema wrapped in a oneOf is a different shape altogether.
        if path.is_empty()
            && a.get("oneOf").is_none()
            && b.get("oneOf").is_some()
            && (a.get("properties").is_some() || a.get("type").is_some())
        {
            self.emit(
                path,
                "wrapped-in-one-of",
                "now wrapped in oneOf".into(),
                ap,
                bp,
            );
            return;
        }
        self.types(a, ap, b, bp, path);
        self.nullable(a, ap, b, bp, path);
        self.enums(a, ap, b, bp, path, ro, request);
        if request {
            self.request_constraints(a, ap, b, bp, path, ro);
        } else {
            self.response_constraints(a, ap, b, bp, path);
        }
        self.default_value(a, ap, b, bp, path);
        if !path.is_empty() {
            self.property_deprecation(a, ap, b, bp, path);
        }
        if matches!(self.place, Place::Body { .. }) {
            self.compositions(a, ap, b, bp, path, ro, wo);
            self.discriminator(a, ap, b, bp, path);
        }
        self.properties(a, ap, b, bp, path);
        if let (Some(ai), Some(bi)) = (a.get("items"), b.get("items")) {
            let (aip, bip) = (format!("{ap}/items"), format!("{bp}/items"));
            self.compare(
                Node {
                    value: ai,
                    pointer: &aip,
                },
                Node {
                    value: bi,
                    pointer: &bip,
                },
                path,
                ro,
                wo,
            );
        }
        if let (Some(ax), Some(bx)) = (
            a.get("additionalProperties").filter(|v| v.is_object()),
            b.get("additionalProperties").filter(|v| v.is_object()),
        ) {
            let (axp, bxp) = (
                format!("{ap}/additionalProperties"),
                format!("{bp}/additionalProperties"),
            );
            let mut sub = path.to_vec();
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
                ro,
                wo,
            );
        }
    }

    fn types(&mut self, a: &Value, ap: &str, b: &Value, bp: &str, path: &[String]) {
        let t = |s: &Value| s.get("type").and_then(Value::as_str).map(str::to_string);
        let f = |s: &Value| s.get("format").and_then(Value::as_str).map(str::to_string);
        let (at, bt) = (t(a), t(b));
        let (af, bf) = (f(a), f(b));
        let (Some(at), Some(bt)) = (at, bt) else {
            return;
        };
        let format_changed = af.is_some() && bf.is_some() && af != bf;
        if at == bt && !format_changed {
            return;
        }
        let detail = format!(
            "type/format changed from {at}{} to {bt}{}",
            af.map(|f| format!("/{f}")).unwrap_or_default(),
            bf.map(|f| format!("/{f}")).unwrap_or_default()
        );
        if matches!(self.place, Place::Body { loose: true }) {
            self.emit(path, "type-compatible", detail, ap, bp);
            return;
        }
        let param = matches!(self.place, Place::Param { .. });
        let suffix = match (self.dir, at.as_str(), bt.as_str()) {
            (_, "integer", "number") => "type-generalized",
            (Dir::Response, "number", "integer") => "type-specialized",
            (Dir::Request, "string", _) if param && !path.is_empty() => "type-specialized",
            _ => "type-changed",
        };
        let name = format!("{}-{suffix}", self.prefix(path));
        if rule(&name).is_some() {
            self.emit(path, suffix, detail, ap, bp);
        } else {
            self.emit(path, "type-changed", detail, ap, bp);
        }
    }

    fn nullable(&mut self, a: &Value, ap: &str, b: &Value, bp: &str, path: &[String]) {
        let n = |s: &Value| s.get("nullable") == Some(&Value::Bool(true));
        match (n(a), n(b)) {
            (false, true) => self.emit(path, "became-nullable", "became nullable".into(), ap, bp),
            (true, false) => self.emit(
                path,
                "became-not-nullable",
                "became not nullable".into(),
                ap,
                bp,
            ),
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn enums<'v>(
        &mut self,
        a: &'v Value,
        ap: &str,
        b: &'v Value,
        bp: &str,
        path: &[String],
        ro: bool,
        request: bool,
    ) {
        let values = |s: &'v Value, key: &str| s.get(key).and_then(Value::as_array);
        match (values(a, "enum"), values(b, "enum")) {
            (None, Some(_)) if request => {
                self.emit(path, "became-enum", "became an enum".into(), ap, bp)
            }
            (Some(av), Some(bv)) if av != bv => {
                for removed in av.iter().filter(|v| !bv.contains(v)) {
                    let detail = format!("enum value {} removed", text(Some(removed)));
                    if request && ro && !path.is_empty() {
                        self.emit_named(
                            "request-read-only-property-enum-value-removed",
                            path,
                            detail,
                            ap,
                            bp,
                        );
                    } else if !request && path.is_empty() {
                        self.emit_named(
                            "response-mediatype-enum-value-removed",
                            path,
                            detail,
                            ap,
                            bp,
                        );
                    } else {
                        self.emit(path, "enum-value-removed", detail, ap, bp);
                    }
                }
                for added in bv.iter().filter(|v| !av.contains(v)) {
                    let detail = format!("enum value {} added", text(Some(added)));
                    if request {
                        self.emit(path, "enum-value-added", detail, ap, bp);
                    } else {
                        // A new response value breaks exhaustive matches,
                        // at the body level too.
                        self.emit_named("response-property-enum-value-added", path, detail, ap, bp);
                    }
                }
            }
            _ => {}
        }
        if request
            && let (Some(av), Some(bv)) = (
                values(a, "x-extensible-enum"),
                values(b, "x-extensible-enum"),
            )
        {
            for removed in av.iter().filter(|v| !bv.contains(v)) {
                let detail = format!("x-extensible-enum value {} removed", text(Some(removed)));
                self.emit(path, "x-extensible-enum-value-removed", detail, ap, bp);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn request_constraints(
        &mut self,
        a: &Value,
        ap: &str,
        b: &Value,
        bp: &str,
        path: &[String],
        ro: bool,
    ) {
        let num = |s: &Value, k: &str| s.get(k).and_then(Value::as_f64);
        let ro_or = |this: &Self, suffix: &str| -> String {
            let ro_name = format!("request-read-only-property-{suffix}");
            if ro && !path.is_empty() && rule(&ro_name).is_some() {
                ro_name
            } else {
                format!("{}-{suffix}", this.prefix(path))
            }
        };
        // (keyword, name part, a lower value is stricter)
        for (key, part, lower_is_stricter) in [
            ("maximum", "max", true),
            ("minimum", "min", false),
            ("maxLength", "max-length", true),
            ("minLength", "min-length", false),
            ("maxItems", "max-items", true),
            ("minItems", "min-items", false),
        ] {
            let (x, y) = (num(a, key), num(b, key));
            let detail = format!(
                "{key} changed from {} to {}",
                text(a.get(key)),
                text(b.get(key))
            );
            match (x, y) {
                (None, Some(v)) => {
                    if key == "minLength" && v > 0.0 {
                        let name = ro_or(self, "min-length-increased");
                        self.emit_named(&name, path, detail, ap, bp);
                    } else {
                        self.emit(path, &format!("{part}-set"), detail, ap, bp);
                    }
                }
                (Some(x), Some(y)) if x != y => {
                    let stricter = if lower_is_stricter { y < x } else { y > x };
                    let change = match (lower_is_stricter, y < x) {
                        (_, true) => "decreased",
                        (_, false) => "increased",
                    };
                    let suffix = format!("{part}-{change}");
                    let name = if stricter {
                        ro_or(self, &suffix)
                    } else {
                        format!("{}-{suffix}", self.prefix(path))
                    };
                    self.emit_named(&name, path, detail, ap, bp);
                }
                _ => {}
            }
        }
        match (pattern(a), pattern(b)) {
            (None, Some(p)) => {
                self.emit(path, "pattern-added", format!("pattern {p} added"), ap, bp)
            }
            (Some(p), None) => self.emit(
                path,
                "pattern-removed",
                format!("pattern {p} removed"),
                ap,
                bp,
            ),
            (Some(p), Some(q)) if p != q => {
                let suffix = if any_string(q) {
                    "pattern-generalized"
                } else {
                    "pattern-changed"
                };
                self.emit(
                    path,
                    suffix,
                    format!("pattern changed from {p} to {q}"),
                    ap,
                    bp,
                );
            }
            _ => {}
        }
    }

    fn response_constraints(&mut self, a: &Value, ap: &str, b: &Value, bp: &str, path: &[String]) {
        let num = |s: &Value, k: &str| s.get(k).and_then(Value::as_f64);
        for (key, part, higher_is_wider) in [
            ("maximum", "max", true),
            ("minimum", "min", false),
            ("maxLength", "max-length", true),
            ("minLength", "min-length", false),
            ("minItems", "min-items", false),
        ] {
            let detail = format!(
                "{key} changed from {} to {}",
                text(a.get(key)),
                text(b.get(key))
            );
            match (num(a, key), num(b, key)) {
                (Some(x), Some(y)) if higher_is_wider && y > x => {
                    self.emit(path, &format!("{part}-increased"), detail, ap, bp)
                }
                (Some(x), Some(y)) if !higher_is_wider && y < x => {
                    self.emit(path, &format!("{part}-decreased"), detail, ap, bp)
                }
                (Some(_), None) => self.emit(path, &format!("{part}-unset"), detail, ap, bp),
                _ => {}
            }
        }
        if !path.is_empty() {
            match (pattern(a), pattern(b)) {
                (None, Some(p)) => {
                    self.emit(path, "pattern-added", format!("pattern {p} added"), ap, bp)
                }
                (Some(p), None) => self.emit(
                    path,
                    "pattern-removed",
                    format!("pattern {p} removed"),
                    ap,
                    bp,
                ),
                (Some(p), Some(q)) if p != q => self.emit(
                    path,
                    "pattern-changed",
                    format!("pattern changed from {p} to {q}"),
                    ap,
                    bp,
                ),
                _ => {}
            }
        }
    }

    fn default_value(&mut self, a: &Value, ap: &str, b: &Value, bp: &str, path: &[String]) {
        let detail = format!(
            "default changed from {} to {}",
            text(a.get("default")),
            text(b.get("default"))
        );
        match (a.get("default"), b.get("default")) {
            (None, Some(_)) => self.emit(path, "default-value-added", detail, ap, bp),
            (Some(_), None) => self.emit(path, "default-value-removed", detail, ap, bp),
            (Some(x), Some(y)) if x != y => {
                self.emit(path, "default-value-changed", detail, ap, bp)
            }
            _ => {}
        }
    }

    fn property_deprecation(&mut self, a: &Value, ap: &str, b: &Value, bp: &str, path: &[String]) {
        let dep = |s: &Value| s.get("deprecated") == Some(&Value::Bool(true));
        match (dep(a), dep(b)) {
            (false, true) => match b.get("x-sunset").and_then(Value::as_str) {
                Some(sunset) if super::parse_date(sunset).is_none() => self.emit(
                    path,
                    "deprecated-sunset-invalid",
                    format!("deprecated with invalid sunset {sunset:?}"),
                    ap,
                    bp,
                ),
                Some(sunset) => self.emit(
                    path,
                    "deprecated-with-sunset",
                    format!("deprecated, sunset {sunset}"),
                    ap,
                    bp,
                ),
                None => self.emit(path, "deprecated", "deprecated".into(), ap, bp),
            },
            (true, false) => self.emit(path, "reactivated", "no longer deprecated".into(), ap, bp),
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn compositions<'v>(
        &mut self,
        a: &'v Value,
        ap: &str,
        b: &'v Value,
        bp: &str,
        path: &[String],
        ro: bool,
        wo: bool,
    ) where
        'a: 'v,
    {
        for (key, part) in [
            ("allOf", "all-of"),
            ("oneOf", "one-of"),
            ("anyOf", "any-of"),
        ] {
            let al: &'v [Value] = a
                .get(key)
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let bl: &'v [Value] = b
                .get(key)
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            if al.is_empty() && bl.is_empty() {
                continue;
            }
            // The same member: the same `$ref`, or an equal inline schema.
            let same = |x: &Value, y: &Value| match (x.get("$ref"), y.get("$ref")) {
                (Some(p), Some(q)) => p == q,
                (None, None) => x == y,
                _ => false,
            };
            let mut matched_b: BTreeSet<usize> = BTreeSet::new();
            let mut unmatched_a = Vec::new();
            let mut pairs = Vec::new();
            for (i, x) in al.iter().enumerate() {
                match bl
                    .iter()
                    .enumerate()
                    .find(|(j, y)| !matched_b.contains(j) && same(x, y))
                {
                    Some((j, _)) => {
                        matched_b.insert(j);
                        pairs.push((i, j));
                    }
                    None => unmatched_a.push(i),
                }
            }
            let mut unmatched_b: Vec<usize> =
                (0..bl.len()).filter(|j| !matched_b.contains(j)).collect();
            // Inline members that changed, or were moved into a named
            // schema (or back): pair each with the most similar member left
            // (shared property names, same type); with nothing in common,
            // only a lone pair is taken as one member.
            let mut still_a = Vec::new();
            let lone = unmatched_a.len() == 1 && unmatched_b.len() == 1;
            for i in unmatched_a {
                let best = unmatched_b
                    .iter()
                    .enumerate()
                    .filter(|(_, j)| al[i].get("$ref").is_none() || bl[**j].get("$ref").is_none())
                    .map(|(pos, j)| {
                        let x = resolve(self.base, &al[i], "").0;
                        let y = resolve(self.revision, &bl[*j], "").0;
                        (similarity(x, y), pos)
                    })
                    .max_by_key(|(score, pos)| (*score, std::cmp::Reverse(*pos)));
                match best {
                    Some((score, pos)) if score > 0 || lone => {
                        pairs.push((i, unmatched_b.remove(pos)))
                    }
                    _ => still_a.push(i),
                }
            }
            for i in still_a {
                let at = format!("{ap}/{key}/{i}");
                self.member_change(path, key, part, "removed", &al[i], &at, bp);
            }
            for j in unmatched_b {
                let at = format!("{bp}/{key}/{j}");
                self.member_change(path, key, part, "added", &bl[j], ap, &at);
            }
            for (i, j) in pairs {
                let (aip, bip) = (format!("{ap}/{key}/{i}"), format!("{bp}/{key}/{j}"));
                self.compare(
                    Node {
                        value: &al[i],
                        pointer: &aip,
                    },
                    Node {
                        value: &bl[j],
                        pointer: &bip,
                    },
                    path,
                    ro,
                    wo,
                );
            }
        }
    }

    /// A composition member added or removed (`change`), with the
    /// annotation-only variant for `allOf` members that only annotate.
    #[allow(clippy::too_many_arguments)]
    fn member_change(
        &mut self,
        path: &[String],
        key: &str,
        part: &str,
        change: &str,
        schema: &Value,
        a: &str,
        b: &str,
    ) {
        let annotation = if key == "allOf" && annotation_only(schema) {
            "-annotation-only"
        } else {
            ""
        };
        let detail = format!("{key} member {} {change}", member(schema));
        self.emit(path, &format!("{part}-{change}{annotation}"), detail, a, b);
    }

    fn discriminator(&mut self, a: &Value, ap: &str, b: &Value, bp: &str, path: &[String]) {
        let (ad, bd) = (a.get("discriminator"), b.get("discriminator"));
        match (ad, bd) {
            (None, Some(_)) => self.emit(
                path,
                "discriminator-added",
                "discriminator added".into(),
                ap,
                bp,
            ),
            (Some(_), None) => self.emit(
                path,
                "discriminator-removed",
                "discriminator removed".into(),
                ap,
                bp,
            ),
            (Some(x), Some(y)) => {
                let name = |d: &Value| {
                    d.get("propertyName")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                };
                if name(x) != name(y) {
                    let detail = format!(
                        "discriminator property changed from {} to {}",
                        name(x).unwrap_or_default(),
                        name(y).unwrap_or_default()
                    );
                    self.emit(path, "discriminator-property-name-changed", detail, ap, bp);
                }
                let (xm, ym) = (object(x, "mapping"), object(y, "mapping"));
                for (k, v) in ym {
                    match xm.get(k) {
                        None => self.emit(
                            path,
                            "discriminator-mapping-added",
                            format!("mapping {k} added"),
                            ap,
                            bp,
                        ),
                        Some(old) if old != v => self.emit(
                            path,
                            "discriminator-mapping-changed",
                            format!("mapping {k} changed"),
                            ap,
                            bp,
                        ),
                        _ => {}
                    }
                }
                for k in xm.keys().filter(|k| !ym.contains_key(*k)) {
                    self.emit(
                        path,
                        "discriminator-mapping-deleted",
                        format!("mapping {k} deleted"),
                        ap,
                        bp,
                    );
                }
            }
            (None, None) => {}
        }
    }

    fn properties<'v>(&mut self, a: &'v Value, ap: &str, b: &'v Value, bp: &str, path: &[String])
    where
        'a: 'v,
    {
        let (aprops, bprops) = (object(a, "properties"), object(b, "properties"));
        let required = |s: &Value| -> BTreeSet<String> {
            s.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let (areq, breq) = (required(a), required(b));
        let flag = |doc: &Value, s: &Value, key: &str| {
            let (r, _) = resolve(doc, s, "");
            s.get(key) == Some(&Value::Bool(true)) || r.get(key) == Some(&Value::Bool(true))
        };
        let body = matches!(self.place, Place::Body { .. });
        let header = matches!(&self.place, Place::Param { location } if location == "header");
        let request = self.dir == Dir::Request;
        for (name, bschema) in bprops {
            let mut sub = path.to_vec();
            sub.push(name.clone());
            let bpp = format!("{bp}/properties/{}", pointer::escape(name));
            let ro = flag(self.revision, bschema, "readOnly");
            let wo = flag(self.revision, bschema, "writeOnly");
            match aprops.get(name) {
                None => {
                    let is_required = breq.contains(name);
                    if request {
                        if ro {
                            continue;
                        }
                        let has_default = resolve(self.revision, bschema, "")
                            .0
                            .get("default")
                            .is_some();
                        let id = match (body, header, is_required, has_default) {
                            (true, _, true, true) => "new-required-request-property-with-default",
                            (true, _, true, false) => "new-required-request-property",
                            (true, _, false, _) => "new-optional-request-property",
                            (false, true, true, _) => "new-required-request-header-property",
                            _ => continue,
                        };
                        self.emit_named(id, &sub, "property added".into(), ap, &bpp);
                    } else {
                        let id = match (is_required, wo) {
                            (true, false) => "response-required-property-added",
                            (true, true) => "response-required-write-only-property-added",
                            (false, false) => "response-optional-property-added",
                            (false, true) => "response-optional-write-only-property-added",
                        };
                        self.emit_named(id, &sub, "property added".into(), ap, &bpp);
                    }
                }
                Some(aschema) => {
                    let app = format!("{ap}/properties/{}", pointer::escape(name));
                    let (was, is) = (areq.contains(name), breq.contains(name));
                    let ro_a = flag(self.base, aschema, "readOnly") || ro;
                    let wo_a = flag(self.base, aschema, "writeOnly") || wo;
                    if was != is {
                        if request {
                            if !ro_a {
                                let has_default = resolve(self.revision, bschema, "")
                                    .0
                                    .get("default")
                                    .is_some();
                                let id = match (is, header, has_default) {
                                    (true, true, _) => "request-header-property-became-required",
                                    (true, false, true) => {
                                        "request-property-became-required-with-default"
                                    }
                                    (true, false, false) => "request-property-became-required",
                                    (false, _, _) => "request-property-became-optional",
                                };
                                if body || header {
                                    self.emit_named(
                                        id,
                                        &sub,
                                        "required changed".into(),
                                        &app,
                                        &bpp,
                                    );
                                }
                            }
                        } else {
                            let id = match (is, wo_a) {
                                (true, false) => "response-property-became-required",
                                (true, true) => "response-write-only-property-became-required",
                                (false, false) => "response-property-became-optional",
                                (false, true) => "response-write-only-property-became-optional",
                            };
                            self.emit_named(id, &sub, "required changed".into(), &app, &bpp);
                        }
                    }
                    self.compare(
                        Node {
                            value: aschema,
                            pointer: &app,
                        },
                        Node {
                            value: bschema,
                            pointer: &bpp,
                        },
                        &sub,
                        ro_a,
                        wo_a,
                    );
                }
            }
        }
        for (name, aschema) in aprops.iter().filter(|(n, _)| !bprops.contains_key(*n)) {
            let mut sub = path.to_vec();
            sub.push(name.clone());
            let app = format!("{ap}/properties/{}", pointer::escape(name));
            let ro = flag(self.base, aschema, "readOnly");
            let wo = flag(self.base, aschema, "writeOnly");
            let was_required = areq.contains(name);
            if request {
                if body && !ro {
                    self.emit_named(
                        "request-property-removed",
                        &sub,
                        "property removed".into(),
                        &app,
                        bp,
                    );
                }
            } else {
                let id = match (was_required, wo) {
                    (true, false) => "response-required-property-removed",
                    (true, true) => "response-required-write-only-property-removed",
                    (false, false) => "response-optional-property-removed",
                    (false, true) => "response-optional-write-only-property-removed",
                };
                self.emit_named(id, &sub, "property removed".into(), &app, bp);
            }
        }
    }
}

/// An empty map, for objects without the member asked for.
static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);

/// The object `value[key]`, or an empty one.
pub(crate) fn object<'v>(value: &'v Value, key: &str) -> &'v serde_json::Map<String, Value> {
    value.get(key).and_then(Value::as_object).unwrap_or(&EMPTY)
}

/// How alike two inline schemas are: shared property names when both
/// have properties, else one for the same `type`.
fn similarity(a: &Value, b: &Value) -> usize {
    let names = |s: &Value| -> BTreeSet<String> {
        s.get("properties")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (x, y) = (names(a), names(b));
    if !x.is_empty() && !y.is_empty() {
        return x.intersection(&y).count();
    }
    usize::from(a.get("type").is_some() && a.get("type") == b.get("type"))
}

fn member(v: &Value) -> String {
    v.get("$ref")
        .and_then(Value::as_str)
        .and_then(pointer::schema_ref_name)
        .unwrap_or_else(|| "(inline)".into())
}
