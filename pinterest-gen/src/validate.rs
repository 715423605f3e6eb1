//! Validation before generation: the checks whose failure would otherwise
//! surface as a panic or an unplaced error deep inside progenitor.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{SpecError, Subject};
use crate::params;
use crate::pointer;
use crate::spec::{self, Spec};

/// Checks `spec` and parses it into openapiv3's model.
///
/// Errors name the file, the JSON pointer and the operation or schema:
/// a missing or duplicate `operationId`, a `$ref` that points nowhere or
/// outside the file, a cookie parameter, an OpenAPI version other than 3.0,
/// or a value of the wrong shape.
pub fn validate(spec: &Spec) -> Result<openapiv3::OpenAPI, SpecError> {
    validate_doc(&spec.path, &spec.doc)
}

/// [`validate`] for a document that is not (or no longer) a file on disk;
/// `file` is used in messages.
pub fn validate_doc(file: &Path, doc: &Value) -> Result<openapiv3::OpenAPI, SpecError> {
    let err = |at: &str, msg: String| SpecError::new(file, at, msg);
    if !doc.is_object() {
        return Err(err("", "the document is not a JSON object".into()));
    }
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => {
            return Err(err(
                "/openapi",
                format!("OpenAPI {v} is not supported; Pinterest's v5 specs are 3.0.x"),
            ));
        }
        None => return Err(err("/openapi", "missing `openapi` version field".into())),
    }
    if !doc.get("paths").is_some_and(Value::is_object) {
        return Err(err("/paths", "missing `paths` object".into()));
    }
    check_refs(file, doc, doc, &mut String::new())?;
    check_operations(file, doc)?;
    serde_path_to_error::deserialize(doc).map_err(|e| {
        // openapiv3 models `$ref`-or-value as an untagged enum, which hides
        // the path below it; narrow down by parsing the parts one by one.
        let (at, message) =
            narrow(doc).unwrap_or_else(|| (path_to_pointer(e.path()), e.into_inner().to_string()));
        let mut error = err(&at, format!("not a valid OpenAPI 3.0 value: {message}"));
        error.subject = crate::walk::subject_of(doc, &at);
        error
    })
}

/// The first operation or component that does not parse on its own, with
/// the path inside it.
fn narrow(doc: &Value) -> Option<(String, String)> {
    fn attempt<T: serde::de::DeserializeOwned>(
        value: &Value,
        at: &str,
    ) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|e| {
                (
                    format!("{at}{}", path_to_pointer(e.path())),
                    e.into_inner().to_string(),
                )
            })
    }
    for op in spec::operations(doc) {
        if let Some(found) = attempt::<openapiv3::Operation>(op.op, &op.pointer()) {
            return Some(found);
        }
    }
    type Check = fn(&Value, &str) -> Option<(String, String)>;
    let kinds: [(&str, Check); 4] = [
        ("schemas", attempt::<openapiv3::Schema>),
        ("parameters", attempt::<openapiv3::Parameter>),
        ("responses", attempt::<openapiv3::Response>),
        ("requestBodies", attempt::<openapiv3::RequestBody>),
    ];
    for (kind, check) in kinds {
        let base = format!("/components/{kind}");
        for (name, value) in doc
            .pointer(&base)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if value.get("$ref").is_some() {
                continue;
            }
            if let Some(found) = check(value, &format!("{base}/{}", pointer::escape(name))) {
                return Some(found);
            }
        }
    }
    None
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|seg| match seg {
            Segment::Seq { index } => Some(format!("/{index}")),
            Segment::Map { key } => Some(format!("/{}", pointer::escape(key))),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

fn check_refs(file: &Path, doc: &Value, value: &Value, at: &mut String) -> Result<(), SpecError> {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let here = format!("{at}/$ref");
                let subject = crate::walk::subject_of(doc, at);
                let fail = |msg: String| {
                    let mut e = SpecError::new(file, here.clone(), msg);
                    e.subject = subject.clone();
                    Err(e)
                };
                if !reference.starts_with('#') {
                    return fail(format!(
                        "external reference `{reference}` is not supported: bundle the spec into one file first"
                    ));
                }
                if pointer::resolve(doc, reference).is_none() {
                    return fail(format!(
                        "dangling reference: `{reference}` points to nothing"
                    ));
                }
            }
            for (key, child) in map {
                let len = at.len();
                at.push('/');
                at.push_str(&pointer::escape(key));
                check_refs(file, doc, child, at)?;
                at.truncate(len);
            }
            Ok(())
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                check_refs(file, doc, child, at)?;
                at.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn check_operations(file: &Path, doc: &Value) -> Result<(), SpecError> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for op in spec::operations(doc) {
        let at = op.pointer();
        let Some(id) = op.op.get("operationId").and_then(Value::as_str) else {
            return Err(SpecError::new(
                file,
                at,
                "operation has no `operationId`; the generator names methods after it",
            )
            .with_subject(Subject::Operation(op.id())));
        };
        if let Some(first) = seen.insert(id.to_string(), at.clone()) {
            return Err(SpecError::new(
                file,
                format!("{at}/operationId"),
                format!("duplicate operationId (first used at #{first})"),
            )
            .with_subject(Subject::Operation(id.to_string())));
        }
        for p in params::of_operation(doc, &op) {
            let location = p.get("in").and_then(Value::as_str).unwrap_or("");
            let name = p.get("name").and_then(Value::as_str).unwrap_or("");
            if location == "cookie" {
                return Err(SpecError::new(
                    file,
                    at.clone(),
                    format!("cookie parameter `{name}` is not supported by progenitor"),
                )
                .with_subject(Subject::Operation(id.to_string())));
            }
            if p.get("schema").is_none() && p.get("content").is_none() {
                return Err(SpecError::new(
                    file,
                    at.clone(),
                    format!("parameter `{name}` has neither `schema` nor `content`"),
                )
                .with_subject(Subject::Operation(id.to_string())));
            }
        }
        if let Some(body) = op
            .op
            .get("requestBody")
            .and_then(|b| pointer::deref(doc, b))
        {
            let count = body
                .get("content")
                .and_then(Value::as_object)
                .map_or(0, |c| c.len());
            if count > 1 {
                return Err(SpecError::new(
                    file,
                    format!("{at}/requestBody/content"),
                    format!("{count} request media types; progenitor supports one per operation"),
                )
                .with_subject(Subject::Operation(id.to_string())));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}})
    }

    #[test]
    fn dangling_ref_names_pointer_and_schema() {
        let mut doc = base();
        doc["components"] = json!({"schemas": {"Pin": {"type": "object", "properties": {
            "board": {"$ref": "#/components/schemas/Nope"}
        }}}});
        let e = validate_doc(Path::new("x.json"), &doc).unwrap_err();
        assert_eq!(e.pointer, "/components/schemas/Pin/properties/board/$ref");
        assert_eq!(e.subject, Some(Subject::Schema("Pin".into())));
        assert!(e.to_string().contains("dangling reference"), "{e}");
        assert!(
            e.to_string().starts_with("x.json#/components/schemas/Pin"),
            "{e}"
        );
    }

    #[test]
    fn missing_and_duplicate_operation_ids() {
        let mut doc = base();
        doc["paths"] = json!({"/a": {"get": {"responses": {}}}});
        let e = validate_doc(Path::new("x.json"), &doc).unwrap_err();
        assert_eq!(e.pointer, "/paths/~1a/get");
        doc["paths"] = json!({
            "/a": {"get": {"operationId": "same", "responses": {}}},
            "/b": {"get": {"operationId": "same", "responses": {}}}
        });
        let e = validate_doc(Path::new("x.json"), &doc).unwrap_err();
        assert_eq!(e.pointer, "/paths/~1b/get/operationId");
        assert_eq!(e.subject, Some(Subject::Operation("same".into())));
    }

    #[test]
    fn unsupported_constructs_are_named() {
        let mut doc = base();
        doc["paths"] = json!({"/a": {"get": {"operationId": "a", "responses": {},
            "parameters": [{"name": "sid", "in": "cookie", "schema": {"type": "string"}}]}}});
        let e = validate_doc(Path::new("x.json"), &doc).unwrap_err();
        assert!(e.message.contains("cookie parameter `sid`"), "{e}");
        let mut doc = base();
        doc["openapi"] = json!("3.1.0");
        assert_eq!(
            validate_doc(Path::new("x.json"), &doc).unwrap_err().pointer,
            "/openapi"
        );
        let mut doc = base();
        doc["paths"] = json!({"/a": {"get": {"operationId": "a", "responses": {},
            "parameters": [{"$ref": "other.yaml#/p"}]}}});
        let e = validate_doc(Path::new("x.json"), &doc).unwrap_err();
        assert!(e.message.contains("external reference"), "{e}");
    }

    #[test]
    fn wrong_shapes_get_a_pointer() {
        let mut doc = base();
        doc["paths"] =
            json!({"/a": {"get": {"operationId": "a", "responses": {"200": {"description": 5}}}}});
        let e = validate_doc(Path::new("x.json"), &doc).unwrap_err();
        assert!(e.pointer.starts_with("/paths/~1a/get/responses"), "{e}");
        assert_eq!(e.subject, Some(Subject::Operation("a".into())));
    }
}
