//! `delimited_query_arrays`: progenitor ignores `explode: false` and the
//! `spaceDelimited`/`pipeDelimited` styles and always repeats the key for
//! array query parameters (`columns=A&columns=B`). Pinterest's analytics
//! endpoints declare `explode: false` and expect `columns=A,B`.
//!
//! The pass records a [`QueryStyle::Delimited`] encoding for every such
//! array parameter of every operation, and turns the two delimited styles
//! into `form` so progenitor accepts them. Scalars are left alone: for them
//! `explode` makes no difference.

use serde_json::Value;

use super::{Instructions, Pass, QueryEncoding, QueryStyle, Touch, touch};
use crate::params;

pub(crate) struct DelimitedQueryArrays;

fn separator(doc: &Value, p: &Value) -> Option<char> {
    if p.get("in").and_then(Value::as_str) != Some("query") {
        return None;
    }
    let schema = crate::pointer::deref(doc, p.get("schema")?)?;
    if schema.get("type").and_then(Value::as_str) != Some("array") {
        return None;
    }
    match p.get("style").and_then(Value::as_str) {
        Some("spaceDelimited") => Some(' '),
        Some("pipeDelimited") => Some('|'),
        None | Some("form") => (p.get("explode") == Some(&Value::Bool(false))).then_some(','),
        Some(_) => None,
    }
}

impl Pass for DelimitedQueryArrays {
    const NAME: &'static str = "delimited_query_arrays";

    fn run(doc: &mut Value, out: &mut Instructions) -> Vec<Touch> {
        let snapshot = doc.clone();
        let is_delimited = |p: &Value| separator(&snapshot, p).is_some();
        for u in params::query_uses(doc, is_delimited) {
            let sep = separator(&snapshot, &u.param).unwrap_or(',');
            out.query_encodings.push(QueryEncoding {
                operation_id: u.operation_id,
                name: u.name,
                style: QueryStyle::Delimited(sep),
            });
        }
        let mut touched = Vec::new();
        for at in params::definitions(doc, is_delimited) {
            let sep = snapshot
                .pointer(&at)
                .and_then(|p| separator(&snapshot, p))
                .unwrap_or(',');
            touched.push(touch(doc, &at, format!("array joined with {sep:?}")));
            if let Some(p) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
                p.insert("style".into(), Value::from("form"));
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
    fn explode_false_arrays_are_comma_joined_and_scalars_left_alone() {
        let mut doc = json!({"paths": {"/a": {"get": {"operationId": "a/get", "parameters": [
            {"name": "columns", "in": "query", "explode": false,
             "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "ids", "in": "query", "style": "pipeDelimited",
             "schema": {"$ref": "#/components/schemas/Ids"}},
            {"name": "repeated", "in": "query",
             "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "scalar", "in": "query", "explode": false, "schema": {"type": "string"}}
        ]}}}, "components": {"schemas": {"Ids": {"type": "array", "items": {"type": "string"}}}}});
        let mut out = Instructions::default();
        let touched = DelimitedQueryArrays::run(&mut doc, &mut out);
        assert_eq!(touched.len(), 2);
        assert_eq!(
            out.query_encodings
                .iter()
                .map(|e| (e.name.as_str(), e.style.clone()))
                .collect::<Vec<_>>(),
            [
                ("columns", QueryStyle::Delimited(',')),
                ("ids", QueryStyle::Delimited('|'))
            ]
        );
        assert_eq!(doc["paths"]["/a"]["get"]["parameters"][1]["style"], "form");
    }
}
