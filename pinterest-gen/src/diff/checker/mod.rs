//! Operation-level checks, one file per rule family (as oasdiff's
//! `checker/` is organized): [`endpoints`] (added, removed, deprecated,
//! stability), [`parameters`], [`serialization`] (`style`, `explode`,
//! `allowEmptyValue`), [`request_body`], [`media_types`], [`responses`]
//! (statuses), [`headers`] (response headers), [`security`] (requirements
//! and schemes) and [`pinterest`] (Pinterest's extensions). Schemas are
//! handed to [`super::schema`].

mod endpoints;
mod headers;
mod media_types;
mod parameters;
mod pinterest;
mod request_body;
mod responses;
mod security;
mod serialization;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::NaiveDate;
use serde_json::Value;

use super::{Finding, Rule};
use crate::spec::{self, OperationRef};

/// Findings of one operation.
pub(crate) struct Sink {
    pub out: Vec<Finding>,
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
}

impl Sink {
    fn of(op: &OperationRef, operation_id: Option<String>) -> Sink {
        Sink {
            out: Vec::new(),
            method: op.method.to_uppercase(),
            path: op.path.to_string(),
            operation_id,
        }
    }

    /// Records a finding of `rule` for this operation.
    pub(crate) fn push(
        &mut self,
        rule: Rule,
        text: String,
        base: Option<String>,
        revision: Option<String>,
    ) {
        self.out.push(Finding {
            operation: Some(self.method.clone()),
            path: Some(self.path.clone()),
            operation_id: self.operation_id.clone(),
            ..Finding::new(rule, text, base, revision)
        });
    }
}

fn operation_id(op: &OperationRef) -> Option<String> {
    op.op
        .get("operationId")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// Compares every operation of `base` with its counterpart in `revision`,
/// then what belongs to the whole document (global security, security
/// schemes). `same` holds the schemas equal in both (skipped).
pub(crate) fn compare(
    base: &Value,
    revision: &Value,
    today: NaiveDate,
    same: &HashSet<String>,
) -> Vec<Finding> {
    let base_ops = spec::operations(base);
    let rev_ops = spec::operations(revision);
    let key = |op: &OperationRef| (op.method, path_key(op.path));
    let rev_index: BTreeMap<_, &OperationRef> = rev_ops.iter().map(|op| (key(op), op)).collect();
    let base_keys: BTreeSet<_> = base_ops.iter().map(key).collect();
    let rev_paths: BTreeSet<String> = rev_ops.iter().map(|op| path_key(op.path)).collect();
    let mut out = Vec::new();
    for a in &base_ops {
        match rev_index.get(&key(a)) {
            Some(b) => {
                let mut d = OpDiff::new(base, revision, a, b, today, same);
                d.run();
                out.append(&mut d.sink.out);
            }
            None => {
                let whole_path = !rev_paths.contains(&path_key(a.path));
                let mut sink = Sink::of(a, operation_id(a));
                endpoints::removed(&mut sink, a, whole_path, today);
                out.append(&mut sink.out);
            }
        }
    }
    for b in rev_ops.iter().filter(|b| !base_keys.contains(&key(b))) {
        let mut sink = Sink::of(b, operation_id(b));
        endpoints::added(&mut sink, b);
        out.append(&mut sink.out);
    }
    security::document(&mut out, base, revision);
    out
}

/// A path with its parameter names erased, so `/pins/{id}` and
/// `/pins/{pin_id}` are the same endpoint.
fn path_key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// The comparison of one operation present in both documents: the two
/// documents, the two operations, and where findings go.
pub(crate) struct OpDiff<'a> {
    base: &'a Value,
    revision: &'a Value,
    a: &'a OperationRef<'a>,
    b: &'a OperationRef<'a>,
    today: NaiveDate,
    same: &'a HashSet<String>,
    sink: Sink,
}

impl<'a> OpDiff<'a> {
    fn new(
        base: &'a Value,
        revision: &'a Value,
        a: &'a OperationRef<'a>,
        b: &'a OperationRef<'a>,
        today: NaiveDate,
        same: &'a HashSet<String>,
    ) -> Self {
        let id = operation_id(b).or_else(|| operation_id(a));
        OpDiff {
            base,
            revision,
            a,
            b,
            today,
            same,
            sink: Sink::of(b, id),
        }
    }

    fn push(&mut self, rule: Rule, text: String, a: Option<String>, b: Option<String>) {
        self.sink.push(rule, text, a, b);
    }

    fn run(&mut self) {
        // An operation written the same in both documents, whose `$ref`s
        // all lead to things that are the same too, can only differ
        // through what it inherits from the document (its scopes).
        if self.a.op == self.b.op
            && self.a.item.get("parameters") == self.b.item.get("parameters")
            && same_refs(self.base, self.revision, self.a.op, self.same, 0)
            && self
                .a
                .item
                .get("parameters")
                .is_none_or(|p| same_refs(self.base, self.revision, p, self.same, 0))
        {
            self.pinterest();
            return;
        }
        self.lifecycle();
        self.parameters();
        self.request_body();
        self.responses();
        self.security();
        self.pinterest();
    }

    /// `METHOD /path`.
    fn name(&self) -> String {
        format!("{} {}", self.b.method.to_uppercase(), self.b.path)
    }

    /// Pointers of the two operations.
    fn pointers(&self) -> (Option<String>, Option<String>) {
        (Some(self.a.pointer()), Some(self.b.pointer()))
    }
}

/// Whether every `$ref` in `value` (the same in both documents) leads to
/// the same thing in both: a schema of `same`, or another component
/// (parameter, response, ...) equal in both whose own `$ref`s do too.
pub(crate) fn same_refs(
    base: &Value,
    revision: &Value,
    value: &Value,
    same: &HashSet<String>,
    depth: usize,
) -> bool {
    match value {
        Value::Object(map) => map.iter().all(|(k, v)| match (k.as_str(), v) {
            ("$ref", Value::String(r)) => {
                if same.contains(r) {
                    return true;
                }
                if r.starts_with("#/components/schemas/") || depth > 8 {
                    return false;
                }
                match (
                    crate::pointer::resolve(base, r),
                    crate::pointer::resolve(revision, r),
                ) {
                    (Some(x), Some(y)) => x == y && same_refs(base, revision, x, same, depth + 1),
                    _ => false,
                }
            }
            _ => same_refs(base, revision, v, same, depth),
        }),
        Value::Array(items) => items
            .iter()
            .all(|v| same_refs(base, revision, v, same, depth)),
        _ => true,
    }
}

/// A `$ref`-able object (parameter, request body, response, header)
/// resolved, with the pointer of where it is defined.
fn resolved<'v>(doc: &'v Value, raw: &'v Value, at: String) -> Option<(&'v Value, String)> {
    match raw.get("$ref").and_then(Value::as_str) {
        Some(r) => Some((
            crate::pointer::deref(doc, raw)?,
            r.trim_start_matches('#').to_string(),
        )),
        None => Some((raw, at)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// A document with one operation, `GET /pins/{pin_id}`.
    pub(crate) fn doc(op: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "components": {"securitySchemes": {
                "pinterest_oauth2": {"type": "oauth2", "flows": {}},
                "basic": {"type": "http", "scheme": "basic"}
            }},
            "paths": {"/pins/{pin_id}": {"get": op}}
        })
    }

    pub(crate) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    /// The rule ids `base` → `revision` gives (documents).
    pub(crate) fn diff_ids(base: &Value, revision: &Value) -> Vec<&'static str> {
        let same = crate::diff::schema::unchanged_schemas(base, revision);
        compare(base, revision, today(), &same)
            .iter()
            .map(|f| f.id.id())
            .collect()
    }

    /// The rule ids for two operations in [`doc`].
    pub(crate) fn ids(a: Value, b: Value) -> Vec<&'static str> {
        diff_ids(&doc(a), &doc(b))
    }

    #[test]
    fn path_parameter_names_do_not_matter() {
        assert_eq!(path_key("/pins/{pin_id}/x"), path_key("/pins/{id}/x"));
        assert_ne!(path_key("/pins/{pin_id}"), path_key("/boards/{pin_id}"));
    }
}
