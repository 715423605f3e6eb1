//! `optional_response_fields`: a field the spec marks `required` in a
//! response is not relied on to stay. Pinterest's own history says so:
//! between 5.8.0 and 5.23.0 it removed 16 required response properties,
//! made 10 optional and 35 nullable (`cargo xtask diff`, spec/README.md),
//! and each would make a client built earlier fail on every response that
//! lacks the field. The pass drops `required` from schemas that only
//! responses reach, so their fields are `Option`s; schemas that requests
//! use too keep it (a request body must carry its required fields).

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Instructions, Pass, Touch, touch};
use crate::pointer;
use crate::walk;

pub(crate) struct OptionalResponseFields;

/// Component schemas reached from `roots` (transitively).
fn reached(doc: &Value, roots: &[String]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut todo: Vec<String> = Vec::new();
    for root in roots {
        if let Some(v) = doc.pointer(root) {
            collect(v, &mut todo);
        }
    }
    while let Some(name) = todo.pop() {
        if names.insert(name.clone())
            && let Some(schema) = doc.pointer(&pointer::schema(&name))
        {
            collect(schema, &mut todo);
        }
    }
    names
}

fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(pointer::schema_ref_name)
            {
                out.push(name);
            }
            map.values().for_each(|v| collect(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

impl Pass for OptionalResponseFields {
    const NAME: &'static str = "optional_response_fields";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let roots = walk::roots(doc);
        let (response_roots, request_roots): (Vec<String>, Vec<String>) = roots
            .into_iter()
            .filter(|r| !r.starts_with("/components/schemas/"))
            .partition(|r| r.contains("/responses/"));
        let responses = reached(doc, &response_roots);
        let requests = reached(doc, &request_roots);
        let only_responses = pointer::Subtrees::new(
            responses
                .difference(&requests)
                .map(|n| pointer::schema(n))
                .chain(response_roots.iter().cloned()),
        );
        let targets: Vec<String> = walk::schemas(doc)
            .into_iter()
            .map(|f| f.pointer)
            .filter(|at| only_responses.covers(at))
            .filter(|at| {
                doc.pointer(at)
                    .and_then(|s| s.get("required"))
                    .and_then(Value::as_array)
                    .is_some_and(|r| !r.is_empty())
            })
            .collect();
        let mut touched = Vec::new();
        for at in targets {
            touched.push(touch(
                doc,
                &at,
                "required dropped (response only: fields are Options)",
            ));
            if let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
                obj.remove("required");
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
    fn only_schemas_no_request_uses_lose_required() {
        let mut doc = json!({
            "paths": {"/b": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Section"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Board"}}}}}
            }}},
            "components": {"schemas": {
                "Board": {"type": "object", "required": ["id", "section"], "properties": {
                    "id": {"type": "string"}, "section": {"$ref": "#/components/schemas/Section"}}},
                "Section": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
            }}
        });
        let touched = OptionalResponseFields::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 1);
        assert!(
            doc["components"]["schemas"]["Board"]
                .get("required")
                .is_none()
        );
        assert_eq!(
            doc["components"]["schemas"]["Section"]["required"],
            json!(["name"]),
            "a request uses it"
        );
    }
}
