//! `open_objects`: objects that responses reach must decode when a newer
//! Pinterest sends more than the spec lists, and must not drop what the
//! spec says they carry.
//!
//! - `additionalProperties: false` makes typify emit
//!   `#[serde(deny_unknown_fields)]`: one new field in a response and the
//!   whole response fails. The pass removes it from every object schema a
//!   response reaches, except direct members of a `oneOf`/`anyOf`, where
//!   it tells the members apart (the union's own catch-all keeps an
//!   unknown shape). Request-only schemas keep it, so a misspelled field in
//!   a body the client decodes (the CLI's `--body`) is caught.
//! - `additionalProperties: true` next to `properties` means the object
//!   carries more than the listed fields (ads analytics rows: one field per
//!   requested metric). typify ignores `true`, so the metrics were dropped;
//!   the equivalent `{}` makes it keep them in a flattened `extra` map.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{Instructions, Pass, Touch, touch};
use crate::pointer;
use crate::walk::{self, Slot};

pub(crate) struct OpenObjects;

/// Pointers of the schema roots under which everything is reachable from a
/// response: the response schemas and the component schemas they reach.
pub(crate) fn response_roots(doc: &Value) -> Vec<String> {
    let responses: Vec<String> = walk::roots(doc)
        .into_iter()
        .filter(|r| r.contains("/responses/"))
        .collect();
    let mut names = BTreeSet::new();
    for root in &responses {
        if let Some(schema) = doc.pointer(root) {
            collect_schema_refs(schema, &mut names);
        }
    }
    let mut todo: Vec<String> = names.iter().cloned().collect();
    while let Some(name) = todo.pop() {
        if let Some(schema) = doc.pointer(&pointer::schema(&name)) {
            let mut found = BTreeSet::new();
            collect_schema_refs(schema, &mut found);
            for n in found {
                if names.insert(n.clone()) {
                    todo.push(n);
                }
            }
        }
    }
    responses
        .into_iter()
        .chain(names.iter().map(|n| pointer::schema(n)))
        .collect()
}

fn collect_schema_refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(pointer::schema_ref_name)
            {
                out.insert(name);
            }
            map.values().for_each(|v| collect_schema_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_schema_refs(v, out)),
        _ => {}
    }
}

fn under(at: &str, roots: &[String]) -> bool {
    roots
        .iter()
        .any(|r| at == r || (at.starts_with(r.as_str()) && at[r.len()..].starts_with('/')))
}

impl Pass for OpenObjects {
    const NAME: &'static str = "open_objects";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let roots = response_roots(doc);
        let mut closed = Vec::new();
        let mut kept = Vec::new();
        for found in walk::schemas(doc) {
            let Some(schema) = doc.pointer(&found.pointer) else {
                continue;
            };
            let has_properties = schema.get("properties").is_some_and(Value::is_object);
            match schema.get("additionalProperties") {
                Some(Value::Bool(false))
                    if under(&found.pointer, &roots)
                        && !matches!(found.slot, Slot::Composite("oneOf" | "anyOf", _)) =>
                {
                    closed.push(found.pointer);
                }
                Some(Value::Bool(true)) if has_properties => kept.push(found.pointer),
                _ => {}
            }
        }
        let mut touched = Vec::new();
        for at in closed {
            touched.push(touch(
                doc,
                &at,
                "additionalProperties: false dropped (a response may carry new fields)",
            ));
            if let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
                obj.remove("additionalProperties");
            }
        }
        for at in kept {
            touched.push(touch(
                doc,
                &at,
                "additionalProperties: true -> {} (extra fields kept in `extra`)",
            ));
            if let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
                obj.insert("additionalProperties".into(), Value::Object(Map::new()));
            }
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn response_objects_open_and_request_objects_stay_strict() {
        let mut doc = json!({
            "paths": {"/a": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resp"}}}}}
            }}},
            "components": {"schemas": {
                "Req": {"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}}},
                "Resp": {"type": "object", "additionalProperties": false, "properties": {
                    "row": {"$ref": "#/components/schemas/Row"},
                    "kind": {"oneOf": [
                        {"type": "object", "additionalProperties": false, "properties": {"x": {"type": "string"}}},
                        {"type": "object", "properties": {"y": {"type": "string"}}}
                    ]}
                }},
                "Row": {"type": "object", "additionalProperties": true, "properties": {"DATE": {"type": "string"}}}
            }}
        });
        let touched = OpenObjects::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 2, "{touched:?}");
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["Req"]["additionalProperties"], false,
            "request-only stays strict"
        );
        assert!(s["Resp"].get("additionalProperties").is_none());
        assert_eq!(
            s["Resp"]["properties"]["kind"]["oneOf"][0]["additionalProperties"], false,
            "union member"
        );
        assert_eq!(s["Row"]["additionalProperties"], json!({}));
    }
}
