//! Finding every schema in a document: under `components`, in parameters,
//! request bodies, responses and headers, and nested inside other schemas.

use serde_json::Value;

use crate::error::Subject;
use crate::pointer;
use crate::spec::METHODS;

/// Where a schema sits relative to its parent schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// A top-level position (component, parameter, body, response, header).
    Root,
    /// `properties/NAME` of the parent.
    Property(String),
    /// `items` of the parent.
    Items,
    /// `additionalProperties` of the parent.
    AdditionalProperties,
    /// `allOf/N`, `oneOf/N` or `anyOf/N` of the parent.
    Composite(&'static str, usize),
    /// `not` of the parent.
    Not,
}

/// A schema found by [`schemas`].
#[derive(Debug, Clone)]
pub struct Found {
    /// JSON pointer of the schema.
    pub pointer: String,
    /// JSON pointer of the parent schema (`None` at a root).
    pub parent: Option<String>,
    /// Where it sits in its parent.
    pub slot: Slot,
}

/// The pointers of every object under `value` (the raw document, schema
/// or not, unlike [`schemas`]) that `matches`, parents before children in
/// document order, not descending into keys `skip` names.
pub(crate) fn objects(
    value: &Value,
    skip: &dyn Fn(&str) -> bool,
    matches: &dyn Fn(&serde_json::Map<String, Value>) -> bool,
) -> Vec<String> {
    fn go(
        value: &Value,
        at: &mut String,
        skip: &dyn Fn(&str) -> bool,
        matches: &dyn Fn(&serde_json::Map<String, Value>) -> bool,
        out: &mut Vec<String>,
    ) {
        match value {
            Value::Object(map) => {
                if matches(map) {
                    out.push(at.clone());
                }
                for (k, v) in map {
                    if skip(k) {
                        continue;
                    }
                    let len = at.len();
                    at.push('/');
                    at.push_str(&crate::pointer::escape(k));
                    go(v, at, skip, matches, out);
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("/{i}"));
                    go(v, at, skip, matches, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    go(value, &mut String::new(), skip, matches, &mut out);
    out
}

/// Every schema object in `doc`, parents before children. References
/// (`{"$ref": ...}`) are listed but not followed.
pub fn schemas(doc: &Value) -> Vec<Found> {
    let mut out = Vec::new();
    for (root, schema) in root_schemas(doc) {
        visit(schema, root, None, Slot::Root, &mut out);
    }
    out
}

/// The pointers of all top-level schema positions.
pub fn roots(doc: &Value) -> Vec<String> {
    root_schemas(doc)
        .into_iter()
        .map(|(pointer, _)| pointer)
        .collect()
}

/// The top-level schema positions with the schema at each: the walk holds
/// each value as it builds its pointer, so [`schemas`] need not resolve the
/// pointers again.
fn root_schemas(doc: &Value) -> Vec<(String, &Value)> {
    let mut roots = Vec::new();
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        roots.extend(schemas.iter().map(|(k, v)| (pointer::schema(k), v)));
    }
    for kind in ["parameters", "headers"] {
        let base = format!("/components/{kind}");
        if let Some(items) = doc.pointer(&base).and_then(Value::as_object) {
            for (name, item) in items {
                let at = format!("{base}/{}", pointer::escape(name));
                param_like_roots(item, &at, &mut roots);
            }
        }
    }
    for kind in ["requestBodies", "responses"] {
        let base = format!("/components/{kind}");
        if let Some(items) = doc.pointer(&base).and_then(Value::as_object) {
            for (name, item) in items {
                let at = format!("{base}/{}", pointer::escape(name));
                content_roots(item, &at, &mut roots);
                headers_roots(item, &at, &mut roots);
            }
        }
    }
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let item_at = pointer::join(&["paths", path]);
            params_roots(item, &item_at, &mut roots);
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let op_at = format!("{item_at}/{method}");
                params_roots(op, &op_at, &mut roots);
                if let Some(body) = op.get("requestBody") {
                    content_roots(body, &format!("{op_at}/requestBody"), &mut roots);
                }
                if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                    for (code, response) in responses {
                        let at = format!("{op_at}/responses/{}", pointer::escape(code));
                        content_roots(response, &at, &mut roots);
                        headers_roots(response, &at, &mut roots);
                    }
                }
            }
        }
    }
    roots
}

fn params_roots<'a>(holder: &'a Value, at: &str, roots: &mut Vec<(String, &'a Value)>) {
    if let Some(params) = holder.get("parameters").and_then(Value::as_array) {
        for (i, p) in params.iter().enumerate() {
            param_like_roots(p, &format!("{at}/parameters/{i}"), roots);
        }
    }
}

fn param_like_roots<'a>(param: &'a Value, at: &str, roots: &mut Vec<(String, &'a Value)>) {
    if let Some(schema) = param.get("schema") {
        roots.push((format!("{at}/schema"), schema));
    }
    content_roots(param, at, roots);
}

fn content_roots<'a>(holder: &'a Value, at: &str, roots: &mut Vec<(String, &'a Value)>) {
    if let Some(content) = holder.get("content").and_then(Value::as_object) {
        for (media, mt) in content {
            if let Some(schema) = mt.get("schema") {
                roots.push((
                    format!("{at}/content/{}/schema", pointer::escape(media)),
                    schema,
                ));
            }
        }
    }
}

fn headers_roots<'a>(holder: &'a Value, at: &str, roots: &mut Vec<(String, &'a Value)>) {
    if let Some(headers) = holder.get("headers").and_then(Value::as_object) {
        for (name, header) in headers {
            param_like_roots(
                header,
                &format!("{at}/headers/{}", pointer::escape(name)),
                roots,
            );
        }
    }
}

fn visit(schema: &Value, at: String, parent: Option<String>, slot: Slot, out: &mut Vec<Found>) {
    if !schema.is_object() {
        return;
    }
    out.push(Found {
        pointer: at.clone(),
        parent,
        slot,
    });
    if schema.get("$ref").is_some() {
        return;
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let child = format!("{at}/properties/{}", pointer::escape(name));
            visit(
                prop,
                child,
                Some(at.clone()),
                Slot::Property(name.clone()),
                out,
            );
        }
    }
    if let Some(items) = schema.get("items") {
        visit(
            items,
            format!("{at}/items"),
            Some(at.clone()),
            Slot::Items,
            out,
        );
    }
    if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        let child = format!("{at}/additionalProperties");
        visit(
            extra,
            child,
            Some(at.clone()),
            Slot::AdditionalProperties,
            out,
        );
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            for (i, s) in list.iter().enumerate() {
                let child = format!("{at}/{key}/{i}");
                visit(s, child, Some(at.clone()), Slot::Composite(key, i), out);
            }
        }
    }
    if let Some(not) = schema.get("not") {
        visit(not, format!("{at}/not"), Some(at.clone()), Slot::Not, out);
    }
}

/// The operation or component a pointer lies in, for reports and errors.
pub fn subject_of(doc: &Value, at: &str) -> Option<Subject> {
    let tokens = pointer::tokens(at);
    match tokens.as_slice() {
        [c, s, name, ..] if c == "components" && s == "schemas" => {
            Some(Subject::Schema(name.clone()))
        }
        [c, p, name, ..] if c == "components" && p == "parameters" => {
            Some(Subject::Parameter(name.clone()))
        }
        [p, path, method, ..] if p == "paths" => {
            let op = doc.get("paths")?.get(path)?.get(method)?;
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
            Some(Subject::Operation(id))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_nested_and_operation_schemas() {
        let doc = json!({
            "paths": {"/a": {"get": {
                "operationId": "a/get",
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/B"}}}
                }}}}}
            }}},
            "components": {"schemas": {"B": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}}
        });
        let found: Vec<String> = schemas(&doc).into_iter().map(|f| f.pointer).collect();
        assert!(found.contains(&"/components/schemas/B/oneOf/1".to_string()));
        assert!(found.contains(&"/paths/~1a/get/parameters/0/schema".to_string()));
        assert!(found.contains(
            &"/paths/~1a/get/responses/200/content/application~1json/schema/properties/items/items"
                .to_string()
        ));
        assert_eq!(
            subject_of(&doc, "/paths/~1a/get/parameters/0"),
            Some(Subject::Operation("a/get".into()))
        );
    }
}
