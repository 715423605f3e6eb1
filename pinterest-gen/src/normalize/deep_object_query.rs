//! `deep_object_query`: progenitor rejects query parameters with
//! `style: deepObject` ("unsupported style of query parameter").
//!
//! The pass turns each into a plain `form` parameter (so the typed value
//! still reaches the generated method) and records a
//! [`QueryStyle::DeepObject`] encoding for every operation that uses it;
//! the generator then serializes it as `name[key]=value` (nested objects as
//! `name[a][b]=value`, arrays by repeating the key), exactly as the spec
//! describes the wire format.

use serde_json::Value;

use super::{Instructions, Pass, QueryEncoding, QueryStyle, Touch, touch};
use crate::params;

pub(crate) struct DeepObjectQuery;

impl Pass for DeepObjectQuery {
    const NAME: &'static str = "deep_object_query";

    fn run(doc: &mut Value, out: &mut Instructions) -> Vec<Touch> {
        let is_deep = |p: &Value| {
            p.get("in").and_then(Value::as_str) == Some("query")
                && p.get("style").and_then(Value::as_str) == Some("deepObject")
        };
        let uses = params::query_uses(doc, is_deep);
        for u in &uses {
            out.query_encodings.push(QueryEncoding {
                operation_id: u.operation_id.clone(),
                name: u.name.clone(),
                style: QueryStyle::DeepObject,
            });
        }
        let mut touched = Vec::new();
        for at in params::definitions(doc, is_deep) {
            touched.push(touch(
                doc,
                &at,
                "style deepObject -> form, encoded as name[key]=value",
            ));
            if let Some(p) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
                p.insert("style".into(), Value::from("form"));
                p.insert("explode".into(), Value::from(true));
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
    fn deep_object_parameters_are_recorded_per_operation() {
        let mut doc = json!({
            "paths": {"/r": {"get": {"operationId": "r/get", "parameters": [
                {"$ref": "#/components/parameters/filters"},
                {"name": "x", "in": "query", "style": "deepObject", "schema": {"type": "object"}},
                {"name": "plain", "in": "query", "schema": {"type": "string"}}
            ]}}},
            "components": {"parameters": {"filters": {
                "name": "filters", "in": "query", "style": "deepObject",
                "schema": {"type": "object", "properties": {"a": {"type": "string"}}}
            }}}
        });
        let mut out = Instructions::default();
        let touched = DeepObjectQuery::run(&mut doc, &mut out);
        assert_eq!(touched.len(), 2);
        assert_eq!(doc["components"]["parameters"]["filters"]["style"], "form");
        assert_eq!(doc["paths"]["/r"]["get"]["parameters"][1]["style"], "form");
        let names: Vec<_> = out
            .query_encodings
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(names, ["filters", "x"]);
        assert!(
            out.query_encodings
                .iter()
                .all(|e| e.operation_id == "r/get" && e.style == QueryStyle::DeepObject)
        );
    }
}
