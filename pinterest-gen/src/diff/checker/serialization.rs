//! How a parameter goes on the wire: `style`, `explode` and
//! `allowEmptyValue` (oasdiff has no rules for them; these are
//! `generic-*`). The generator encodes `deepObject` and `explode: false`
//! arrays (normalization passes `deep_object_query` and
//! `delimited_query_arrays`), so a change here changes what generated
//! clients send.
//!
//! Values are compared as they take effect: a missing `style` is the
//! location's default (`form` for query and cookie, `simple` for path and
//! header) and a missing `explode` is `true` for `form` and `false`
//! otherwise, so writing out a default is no change. For a scalar (not an
//! array or object) `explode` changes nothing on the wire, and `style`
//! only does for `label` and `matrix` (which prefix the value).

use serde_json::Value;

use super::OpDiff;
use super::parameters::Param;
use crate::diff::Rule;

/// The `style` in effect for a parameter `in` `location`.
pub(crate) fn effective_style(param: &Value, location: &str) -> String {
    match param.get("style").and_then(Value::as_str) {
        Some(style) => style.to_string(),
        None if matches!(location, "query" | "cookie") => "form".into(),
        None => "simple".into(),
    }
}

/// The `explode` in effect for a parameter with `style`.
pub(crate) fn effective_explode(param: &Value, style: &str) -> bool {
    match param.get("explode").and_then(Value::as_bool) {
        Some(explode) => explode,
        None => style == "form",
    }
}

/// Whether the parameter's schema (either side) is an array or object,
/// the values `style` and `explode` shape.
fn structured(doc: &Value, param: &Value) -> bool {
    let Some(schema) = param.get("schema") else {
        return false;
    };
    let schema = crate::diff::schema::resolve(doc, schema, "").0;
    matches!(
        schema.get("type").and_then(Value::as_str),
        Some("array" | "object")
    ) || schema.get("properties").is_some()
        || schema.get("items").is_some()
}

fn allow_empty(param: &Value) -> bool {
    param.get("allowEmptyValue") == Some(&Value::Bool(true))
}

impl OpDiff<'_> {
    pub(super) fn serialization(&mut self, location: &str, what: &str, a: &Param, b: &Param) {
        // `content` parameters are serialized by their media type.
        if a.value.get("schema").is_none() || b.value.get("schema").is_none() {
            return;
        }
        let (ap, bp) = (Some(a.pointer.clone()), Some(b.pointer.clone()));
        let (sa, sb) = (
            effective_style(a.value, location),
            effective_style(b.value, location),
        );
        let structured = structured(self.base, a.value) || structured(self.revision, b.value);
        let prefixed = |s: &str| matches!(s, "label" | "matrix");
        if sa != sb && (structured || prefixed(&sa) || prefixed(&sb)) {
            self.push(
                Rule::GenericRequestParameterStyleChanged,
                format!("{what}: style changed from {sa} to {sb}"),
                ap.clone(),
                bp.clone(),
            );
        }
        let (ea, eb) = (
            effective_explode(a.value, &sa),
            effective_explode(b.value, &sb),
        );
        // A new style brings its own default; only an explicit flip of
        // the same style is reported twice otherwise.
        if structured && ea != eb && (sa == sb || b.value.get("explode").is_some()) {
            self.push(
                Rule::GenericRequestParameterExplodeChanged,
                format!("{what}: explode changed from {ea} to {eb}"),
                ap.clone(),
                bp.clone(),
            );
        }
        match (allow_empty(a.value), allow_empty(b.value)) {
            (true, false) => self.push(
                Rule::GenericRequestParameterAllowEmptyValueRemoved,
                format!("{what}: empty values no longer allowed"),
                ap,
                bp,
            ),
            (false, true) => self.push(
                Rule::GenericRequestParameterAllowEmptyValueAdded,
                format!("{what}: empty values now allowed"),
                ap,
                bp,
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::ids;

    fn op(param: serde_json::Value) -> serde_json::Value {
        json!({"parameters": [param], "responses": {"200": {"description": "ok"}}})
    }

    #[test]
    fn style_explode_and_empty_values_are_compared_as_they_take_effect() {
        let array = json!({"type": "array", "items": {"type": "string"}});
        let q = |extra: serde_json::Value| {
            let mut p = json!({"in": "query", "name": "ids", "schema": array});
            for (k, v) in extra.as_object().unwrap() {
                p[k] = v.clone();
            }
            op(p)
        };
        // Writing out the defaults is no change.
        assert!(ids(q(json!({})), q(json!({"style": "form", "explode": true}))).is_empty());
        let flipped = q(json!({"explode": false}));
        assert_eq!(
            ids(q(json!({})), flipped.clone()),
            ["generic-request-parameter-explode-changed"]
        );
        assert_eq!(
            ids(flipped, q(json!({}))),
            ["generic-request-parameter-explode-changed"],
            "symmetric"
        );
        let deep = q(json!({"style": "deepObject", "explode": true}));
        assert_eq!(
            ids(q(json!({})), deep),
            ["generic-request-parameter-style-changed"]
        );
        let empty = q(json!({"allowEmptyValue": true}));
        assert_eq!(
            ids(q(json!({})), empty.clone()),
            ["generic-request-parameter-allow-empty-value-added"]
        );
        assert_eq!(
            ids(empty.clone(), q(json!({}))),
            ["generic-request-parameter-allow-empty-value-removed"]
        );
        assert!(ids(empty.clone(), empty).is_empty(), "self-diff");

        // A scalar goes on the wire the same whatever `explode` says.
        let scalar = |extra: serde_json::Value| {
            let mut p = json!({"in": "query", "name": "id", "schema": {"type": "string"}});
            for (k, v) in extra.as_object().unwrap() {
                p[k] = v.clone();
            }
            op(p)
        };
        assert!(ids(scalar(json!({})), scalar(json!({"explode": false}))).is_empty());
        let path = |style: &str| {
            op(
                json!({"in": "path", "name": "pin_id", "required": true, "style": style, "schema": {"type": "string"}}),
            )
        };
        assert_eq!(
            ids(path("simple"), path("label")),
            ["generic-request-parameter-style-changed"]
        );
    }
}
