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
    check_structure(file, doc)?;
    model(file, doc)
}

/// The checks before normalization: the OpenAPI version, `paths`, every
/// `$ref` (it resolves, inside the file, without a cycle of references),
/// and the operations (`operationId`s, no cookie parameters). Shapes that
/// a normalization pass repairs (`type: [string, "null"]`) are left to
/// [`model`], which runs on the normalized document.
pub fn check_structure(file: &Path, doc: &Value) -> Result<(), SpecError> {
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
    check_refs(file, doc)?;
    check_composition_cycles(file, doc)?;
    check_operations(file, doc)
}

/// A schema that contains itself through `allOf`/`oneOf`/`anyOf` members
/// and `$ref`s only (not through a property or `items`, which is ordinary
/// recursion) describes an infinitely nested type; typify recursed until
/// the stack overflowed on one.
fn check_composition_cycles(file: &Path, doc: &Value) -> Result<(), SpecError> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    let mut done = std::collections::HashSet::new();
    for name in schemas.keys() {
        let start = format!("/components/schemas/{}", pointer::escape(name));
        let mut path = Vec::new();
        if let Some(cycle) = composition_cycle(doc, &start, &mut path, &mut done) {
            let mut e = SpecError::new(
                file,
                start.clone(),
                format!(
                    "schema contains itself through allOf/oneOf/anyOf: {}; a type cannot be its own member (recursion needs a property or `items` in between)",
                    cycle
                        .iter()
                        .map(|p| format!("`#{p}`"))
                        .collect::<Vec<_>>()
                        .join(" -> ")
                ),
            );
            e.subject = Some(Subject::Schema(name.clone()));
            return Err(e);
        }
    }
    Ok(())
}

fn composition_cycle(
    doc: &Value,
    at: &str,
    path: &mut Vec<String>,
    done: &mut std::collections::HashSet<String>,
) -> Option<Vec<String>> {
    if let Some(i) = path.iter().position(|p| p == at) {
        let mut cycle = path[i..].to_vec();
        cycle.push(at.to_string());
        return Some(cycle);
    }
    if done.contains(at) || path.len() > 256 {
        return None;
    }
    let value = doc.pointer(at)?;
    path.push(at.to_string());
    let mut next = Vec::new();
    if let Some(target) = value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(pointer::fragment)
    {
        next.push(target);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (i, _) in value
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            next.push(format!("{at}/{key}/{i}"));
        }
    }
    for n in next {
        if let Some(cycle) = composition_cycle(doc, &n, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    done.insert(at.to_string());
    None
}

/// Parses `doc` into openapiv3's model; a value of the wrong shape is an
/// error at its pointer.
pub fn model(file: &Path, doc: &Value) -> Result<openapiv3::OpenAPI, SpecError> {
    let err = |at: &str, msg: String| SpecError::new(file, at, msg);
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

/// Every `$ref` of `doc`, in document order: local, resolvable, and not
/// part of a cycle of references. The first failure is the error.
fn check_refs(file: &Path, doc: &Value) -> Result<(), SpecError> {
    let holders = crate::walk::objects(doc, &|_| false, &|map| {
        matches!(map.get("$ref"), Some(Value::String(_)))
    });
    for at in holders {
        let Some(reference) = doc
            .pointer(&at)
            .and_then(|o| o.get("$ref"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let fail = |msg: String| {
            let mut e = SpecError::new(file, format!("{at}/$ref"), msg);
            e.subject = crate::walk::subject_of(doc, &at);
            Err(e)
        };
        if !reference.starts_with('#') {
            return fail(format!(
                "external reference `{reference}` is not supported: bundle the spec into one file first"
            ));
        }
        if pointer::resolve(doc, reference).is_none() {
            return fail(format!(
                "dangling reference: `{reference}` points to nothing ({})",
                why_dangling(doc, reference)
            ));
        }
        if let Some(cycle) = reference_cycle(doc, reference) {
            return fail(format!(
                "reference cycle: {} never reaches a value",
                cycle.join(" -> ")
            ));
        }
    }
    Ok(())
}

/// Where the resolution of a dangling `reference` stops: the deepest part
/// of its pointer that exists, and what is (not) there.
fn why_dangling(doc: &Value, reference: &str) -> String {
    let Some(fragment) = pointer::fragment(reference) else {
        return "its fragment is not valid percent-encoded UTF-8".into();
    };
    let tokens = pointer::tokens(&fragment);
    let mut at = String::new();
    let mut value = doc;
    for token in &tokens {
        let next = match value {
            Value::Object(map) => map.get(token),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(v) => {
                at.push('/');
                at.push_str(&pointer::escape(token));
                value = v;
            }
            None => {
                let place = if at.is_empty() {
                    "the document".to_string()
                } else {
                    format!("`#{at}`")
                };
                return match value.get("$ref").and_then(Value::as_str) {
                    Some(target) => format!(
                        "{place} is a `$ref` to `{target}`, and a JSON pointer does not follow references: point into `{target}` instead"
                    ),
                    None => format!("{place} has no `{token}`"),
                };
            }
        }
    }
    "it resolves to nothing".into()
}

/// The chain of references from `reference` when it loops back without
/// reaching a value that is not a reference.
fn reference_cycle(doc: &Value, reference: &str) -> Option<Vec<String>> {
    let mut seen = vec![reference.to_string()];
    let mut value = pointer::resolve(doc, reference)?;
    while let Some(next) = value.get("$ref").and_then(Value::as_str) {
        if seen.iter().any(|s| s == next) {
            seen.push(next.to_string());
            return Some(seen.iter().map(|r| format!("`{r}`")).collect());
        }
        seen.push(next.to_string());
        if seen.len() > 64 {
            return Some(vec![format!(
                "`{reference}` (more than 64 references deep)"
            )]);
        }
        value = pointer::resolve(doc, next)?;
    }
    None
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
    fn inner_pointers_that_dangle_or_loop_are_named_with_both_places() {
        let e = validate_doc(
            Path::new("s.json"),
            &json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "object", "properties": {"c": {"type": "string"}}},
                "Use": {"properties": {
                    "x": {"$ref": "#/components/schemas/A/properties/b/properties/c"}
                }}
            }}}),
        )
        .unwrap_err();
        assert_eq!(e.pointer, "/components/schemas/Use/properties/x/$ref");
        assert!(
            e.message.contains(
                "`#/components/schemas/A/properties/b` is a `$ref` to `#/components/schemas/B`"
            ),
            "{e}"
        );
        let e = validate_doc(
            Path::new("s.json"),
            &json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"type": "string"}}},
                "Use": {"properties": {"x": {"$ref": "#/components/schemas/A/properties/nope"}}}
            }}}),
        )
        .unwrap_err();
        assert!(
            e.message
                .contains("`#/components/schemas/A/properties` has no `nope`"),
            "{e}"
        );
        let e = validate_doc(
            Path::new("s.json"),
            &json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {
                "A": {"type": "object", "properties": {
                    "x": {"$ref": "#/components/schemas/A/properties/y"},
                    "y": {"$ref": "#/components/schemas/A/properties/x"}
                }}
            }}}),
        )
        .unwrap_err();
        assert!(e.message.starts_with("reference cycle: `#/components/schemas/A/properties/y` -> `#/components/schemas/A/properties/x` -> `#/components/schemas/A/properties/y`"), "{e}");
    }

    #[test]
    fn a_schema_that_is_its_own_member_is_refused_and_recursion_is_not() {
        let e = validate_doc(
            Path::new("s.json"),
            &json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {
                "A": {"allOf": [{"$ref": "#/components/schemas/B"}]},
                "B": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/A"}]}
            }}}),
        )
        .unwrap_err();
        assert_eq!(e.subject, Some(Subject::Schema("A".into())));
        assert!(e.message.contains("`#/components/schemas/A` -> `#/components/schemas/A/allOf/0` -> `#/components/schemas/B`"), "{e}");
        check_structure(
            Path::new("s.json"),
            &json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {
                "Node": {"type": "object", "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    "parent": {"allOf": [{"$ref": "#/components/schemas/Node"}]}
                }}
            }}}),
        )
        .unwrap();
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
