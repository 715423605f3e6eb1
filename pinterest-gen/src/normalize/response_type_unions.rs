//! `response_type_unions`: progenitor asserts that all success responses
//! of an operation share one type, and all error responses another. Some
//! Pinterest operations document two error bodies (`Error` for most codes,
//! `DetailedError` for 422, or an inline `anyOf` of both).
//!
//! For each side (success, error) with more than one distinct JSON schema,
//! the pass adds a component `{OperationId}SuccessBody` / `ErrorBody` that
//! is a `oneOf` of the distinct schemas (nested `anyOf`/`oneOf` lists are
//! flattened; schemas with more required properties come first, so the
//! untagged enum typify generates tries the most specific body first) and
//! points every response of that side at it. Bodies decode exactly as
//! Pinterest sends them, into whichever variant fits.

use serde_json::{Value, json};

use super::{Instructions, Pass, Touch, touch};
use crate::names;
use crate::pointer;
use crate::spec;

pub(crate) struct ResponseTypeUnions;

/// `true` for status keys whose responses progenitor treats as errors.
fn is_error_status(code: &str) -> bool {
    code.starts_with('4') || code.starts_with('5')
}

fn is_success_status(code: &str) -> bool {
    code.starts_with('2')
}

/// The JSON schema of a response, following `$ref`s to response objects.
fn json_schema<'a>(doc: &'a Value, response: &'a Value) -> Option<&'a Value> {
    let response = pointer::deref(doc, response)?;
    let content = response.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| {
            media.as_str() == "application/json" || media.starts_with("application/json;")
        })
        .and_then(|(_, mt)| mt.get("schema"))
}

fn flatten(schema: &Value, out: &mut Vec<Value>) {
    let only_union = schema.as_object().is_some_and(|o| {
        o.keys()
            .all(|k| matches!(k.as_str(), "anyOf" | "oneOf" | "description" | "title"))
    });
    let list = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array);
    match list {
        Some(list) if only_union => list.iter().for_each(|s| flatten(s, out)),
        _ => {
            if !out.contains(schema) {
                out.push(schema.clone());
            }
        }
    }
}

fn required_count(doc: &Value, schema: &Value) -> usize {
    pointer::deref(doc, schema)
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

impl Pass for ResponseTypeUnions {
    const NAME: &'static str = "response_type_unions";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let mut plans = Vec::new();
        for op in spec::operations(doc) {
            let Some(responses) = op.op.get("responses").and_then(Value::as_object) else {
                continue;
            };
            for (side, filter) in [
                ("ErrorBody", is_error_status as fn(&str) -> bool),
                ("SuccessBody", is_success_status),
            ] {
                let codes: Vec<&String> = responses.keys().filter(|c| filter(c)).collect();
                let schemas: Vec<&Value> = codes
                    .iter()
                    .filter_map(|c| json_schema(doc, &responses[c.as_str()]))
                    .collect();
                let mut distinct = Vec::new();
                for s in &schemas {
                    if !distinct.contains(*s) {
                        distinct.push((*s).clone());
                    }
                }
                if distinct.len() < 2 {
                    continue;
                }
                let mut variants = Vec::new();
                for s in &distinct {
                    flatten(s, &mut variants);
                }
                variants.sort_by_key(|s| std::cmp::Reverse(required_count(doc, s)));
                let name = names::pascal(&format!("{}-{side}", op.id()));
                let at = format!("{}/responses", op.pointer());
                plans.push((
                    at,
                    codes.into_iter().cloned().collect::<Vec<_>>(),
                    name,
                    variants,
                ));
            }
        }
        let mut touched = Vec::new();
        for (at, codes, name, variants) in plans {
            let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
            for code in &codes {
                let response_at = format!("{at}/{}", pointer::escape(code));
                // Inline the response object if it was a `$ref`, so only this
                // operation changes.
                let resolved = doc
                    .pointer(&response_at)
                    .and_then(|r| pointer::deref(doc, r))
                    .cloned();
                let Some(mut response) = resolved else {
                    continue;
                };
                let has_json = response
                    .get_mut("content")
                    .and_then(Value::as_object_mut)
                    .and_then(|c| {
                        c.iter_mut()
                            .find(|(m, _)| m.starts_with("application/json"))
                            .map(|(_, mt)| mt)
                    })
                    .map(|mt| mt["schema"] = reference.clone())
                    .is_some();
                if has_json {
                    touched.push(touch(
                        doc,
                        &response_at,
                        format!("body -> `{name}` (oneOf of {} schemas)", variants.len()),
                    ));
                    if let Some(slot) = doc.pointer_mut(&response_at) {
                        *slot = response;
                    }
                }
            }
            if let Some(schemas) = doc
                .pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut)
            {
                schemas.insert(name, json!({ "oneOf": variants }));
            }
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differing_error_bodies_become_one_union() {
        let err = json!({"$ref": "#/components/schemas/Error"});
        let detailed = json!({"$ref": "#/components/schemas/DetailedError"});
        let body =
            |s: &Value| json!({"description": "", "content": {"application/json": {"schema": s}}});
        let mut doc = json!({
            "paths": {"/e": {"post": {"operationId": "events/create", "responses": {
                "200": body(&json!({"type": "string"})),
                "400": body(&json!({"anyOf": [err.clone(), detailed.clone()]})),
                "422": body(&detailed),
                "4XX": body(&err),
            }}}},
            "components": {"schemas": {
                "Error": {"type": "object", "required": ["code", "message"]},
                "DetailedError": {"type": "object", "required": ["code", "message", "details"]}
            }}
        });
        let touched = ResponseTypeUnions::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 3);
        assert_eq!(
            doc["components"]["schemas"]["EventsCreateErrorBody"],
            json!({"oneOf": [detailed, err]})
        );
        for code in ["400", "422", "4XX"] {
            assert_eq!(
                doc["paths"]["/e"]["post"]["responses"][code]["content"]["application/json"]["schema"]
                    ["$ref"],
                "#/components/schemas/EventsCreateErrorBody"
            );
        }
        assert_eq!(
            doc["paths"]["/e"]["post"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "string"})
        );
    }
}
