//! `null_members`: a `oneOf`/`anyOf` with a member that only allows `null`
//! (`{"enum": [null]}`, `{"type": "null"}`) is OpenAPI 3.0's long way of
//! writing "X or null". typify reads it as a struct of flattened optional
//! parts, which cannot decode the plain value (`"PAGE_LOAD"` fails where
//! the spec's own example has it: `advertiser_defined_events/get`). The
//! pass drops the null members and marks the schema `nullable`; with one
//! member left, the schema becomes that member (a `$ref` through a
//! single-member `allOf`, so the nullability stays on the property).

use serde_json::{Map, Value, json};

use super::{Instructions, Pass, Touch, touch};
use crate::walk;

pub(crate) struct NullMembers;

/// Whether `schema` admits only `null`.
fn only_null(schema: &Value) -> bool {
    match schema.get("enum").and_then(Value::as_array) {
        Some(values) => !values.is_empty() && values.iter().all(Value::is_null),
        None => schema.get("type").and_then(Value::as_str) == Some("null"),
    }
}

impl Pass for NullMembers {
    const NAME: &'static str = "null_members";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let mut targets = Vec::new();
        for found in walk::schemas(doc) {
            let Some(schema) = doc.pointer(&found.pointer) else {
                continue;
            };
            for key in ["oneOf", "anyOf"] {
                if let Some(members) = schema.get(key).and_then(Value::as_array)
                    && members.iter().any(only_null)
                    && members.iter().any(|m| !only_null(m))
                {
                    targets.push((found.pointer.clone(), key));
                }
            }
        }
        let mut touched = Vec::new();
        // Deepest first: rewriting a parent does not move its children.
        targets.sort_by_key(|t| std::cmp::Reverse(t.0.len()));
        for (at, key) in targets {
            touched.push(touch(
                doc,
                &at,
                format!("{key} with a null member -> nullable"),
            ));
            let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut) else {
                continue;
            };
            let members: Vec<Value> = obj
                .remove(key)
                .and_then(|m| m.as_array().cloned())
                .unwrap_or_default()
                .into_iter()
                .filter(|m| !only_null(m))
                .collect();
            obj.insert("nullable".into(), Value::Bool(true));
            match members.as_slice() {
                [one] if one.get("$ref").is_some() => {
                    obj.insert("allOf".into(), json!([one]));
                }
                [one] => {
                    if let Some(inner) = one.as_object() {
                        merge_missing(obj, inner);
                    }
                }
                _ => {
                    obj.insert(key.into(), Value::Array(members));
                }
            }
        }
        touched
    }
}

/// Copies `inner`'s keys that `outer` lacks (the outer description wins).
fn merge_missing(outer: &mut Map<String, Value>, inner: &Map<String, Value>) {
    for (k, v) in inner {
        if k != "nullable" {
            outer.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_or_null_union_becomes_a_nullable_value() {
        let mut doc = json!({"components": {"schemas": {"E": {"type": "object", "properties": {
            "kind": {"description": "mapped", "anyOf": [
                {"type": "string", "enum": ["PAGE_LOAD", "SIGNUP"]},
                {"type": "string", "nullable": true, "enum": [null]}
            ], "nullable": true},
            "owner": {"oneOf": [{"$ref": "#/components/schemas/User"}, {"type": "null"}]},
            "both": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
        }}}}});
        let touched = NullMembers::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 2);
        let p = &doc["components"]["schemas"]["E"]["properties"];
        assert_eq!(
            p["kind"],
            json!({"description": "mapped", "nullable": true, "type": "string", "enum": ["PAGE_LOAD", "SIGNUP"]})
        );
        assert_eq!(
            p["owner"],
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/User"}]})
        );
        assert!(p["both"].get("nullable").is_none());
    }
}
