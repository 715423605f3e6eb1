//! The operations table: what every operation is, as the spec says, for
//! the generated `pinterest_api::OPERATIONS` constant and for tests.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::names;
use crate::params;
use crate::pointer;
use crate::spec;

/// One operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// `operationId`, e.g. `pins/list`.
    pub id: String,
    /// The generated method's name, e.g. `pins_list`.
    pub method_name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template, e.g. `/pins/{pin_id}`.
    pub path: String,
    /// Tags, in spec order.
    pub tags: Vec<String>,
    /// `x-ratelimit-category`.
    pub rate_limit_category: Option<String>,
    /// `x-sandbox`: `Some(true)` for "enabled", `Some(false)` for
    /// "disabled", `None` when absent.
    pub sandbox: Option<bool>,
    /// OAuth scopes the operation requires (from its first OAuth2 security
    /// requirement), sorted.
    pub scopes: Vec<String>,
    /// Names of the security schemes it accepts, in spec order.
    pub security: Vec<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `x-sunset`: when a deprecated operation goes away.
    pub sunset: Option<String>,
    /// The `summary` (one line).
    pub summary: String,
    /// Whether its first 2xx response carries a JSON body.
    pub success_json: bool,
    /// Bookmark pagination, when it has it.
    pub pagination: Option<Pagination>,
}

/// How a bookmark-paginated operation pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The item schema's component name, when the items are a `$ref`.
    pub item_schema: Option<String>,
    /// Whether the operation takes `page_size`.
    pub has_page_size: bool,
    /// `maximum` of `page_size`, when the spec states one.
    pub max_page_size: Option<u64>,
}

/// All operations of `doc`, in document order.
pub fn extract(doc: &Value) -> Vec<Operation> {
    let global_security = doc.get("security").cloned().unwrap_or(Value::Null);
    spec::operations(doc)
        .into_iter()
        .map(|op| {
            let security = op.op.get("security").unwrap_or(&global_security);
            Operation {
                id: op.id(),
                method_name: names::snake(&op.id()),
                method: op.method.to_uppercase(),
                path: op.path.to_string(),
                tags: strings(op.op.get("tags")),
                rate_limit_category: op
                    .op
                    .get("x-ratelimit-category")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                sandbox: op
                    .op
                    .get("x-sandbox")
                    .and_then(Value::as_str)
                    .map(|s| s == "enabled"),
                scopes: scopes(doc, security),
                security: security
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object)
                    .flat_map(|req| req.keys().cloned())
                    .collect(),
                deprecated: op.op.get("deprecated") == Some(&Value::Bool(true)),
                sunset: op
                    .op
                    .get("x-sunset")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                summary: op
                    .op
                    .get("summary")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string(),
                success_json: success_schema(doc, op.op).is_some(),
                pagination: pagination(doc, &op),
            }
        })
        .collect()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn is_oauth2(doc: &Value, scheme: &str) -> bool {
    doc.pointer(&pointer::join(&["components", "securitySchemes", scheme]))
        .is_some_and(|s| {
            s.get("type").and_then(Value::as_str) == Some("oauth2") || s.get("flows").is_some()
        })
}

fn scopes(doc: &Value, security: &Value) -> Vec<String> {
    let first = security
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|req| req.iter())
        .find(|(scheme, _)| is_oauth2(doc, scheme));
    let mut out: Vec<String> = first
        .map(|(_, list)| strings(Some(list)))
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

/// Every OAuth scope the spec's security schemes define, with its
/// description, sorted by name.
pub fn all_scopes(doc: &Value) -> Vec<(String, String)> {
    let mut out = std::collections::BTreeMap::new();
    let schemes = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    for scheme in schemes.into_iter().flat_map(|m| m.values()) {
        let flows = scheme.get("flows").and_then(Value::as_object);
        for flow in flows.into_iter().flat_map(|m| m.values()) {
            if let Some(scopes) = flow.get("scopes").and_then(Value::as_object) {
                for (name, desc) in scopes {
                    out.entry(name.clone())
                        .or_insert_with(|| desc.as_str().unwrap_or("").to_string());
                }
            }
        }
    }
    out.into_iter().collect()
}

/// The properties of an object schema, merged through `allOf` and `$ref`s.
pub fn merged_properties(doc: &Value, schema: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    let mut seen = BTreeSet::new();
    merge_into(doc, schema, &mut out, &mut seen);
    out
}

fn merge_into(
    doc: &Value,
    schema: &Value,
    out: &mut Map<String, Value>,
    seen: &mut BTreeSet<String>,
) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        if !seen.insert(r.to_string()) {
            return;
        }
        if let Some(target) = pointer::resolve(doc, r) {
            merge_into(doc, target, out, seen);
        }
        return;
    }
    for sub in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        merge_into(doc, sub, out, seen);
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            out.insert(k.clone(), v.clone());
        }
    }
}

/// The JSON schema of the first 2xx response, if it has one.
pub fn success_schema<'a>(doc: &'a Value, op: &'a Value) -> Option<&'a Value> {
    let responses = op.get("responses")?.as_object()?;
    responses
        .iter()
        .find(|(code, _)| code.starts_with('2'))
        .and_then(|(_, r)| {
            let r = pointer::deref(doc, r)?;
            r.get("content")?
                .as_object()?
                .iter()
                .find(|(media, _)| media.starts_with("application/json"))
                .and_then(|(_, mt)| mt.get("schema"))
        })
}

fn pagination(doc: &Value, op: &spec::OperationRef<'_>) -> Option<Pagination> {
    let ps = params::of_operation(doc, op);
    let query = |name: &str| {
        ps.iter().find(|p| {
            p.get("in").and_then(Value::as_str) == Some("query")
                && p.get("name").and_then(Value::as_str) == Some(name)
        })
    };
    query("bookmark")?;
    let props = merged_properties(doc, success_schema(doc, op.op)?);
    let items = props.get("items")?;
    props.get("bookmark")?;
    let items = pointer::deref(doc, items).unwrap_or(items);
    let item_schema = items
        .get("items")
        .and_then(|i| i.get("$ref"))
        .and_then(Value::as_str)
        .and_then(pointer::schema_ref_name);
    let page_size = query("page_size");
    Some(Pagination {
        item_schema,
        has_page_size: page_size.is_some(),
        max_page_size: page_size
            .and_then(|p| p.get("schema"))
            .and_then(|s| pointer::deref(doc, s))
            .and_then(|s| s.get("maximum"))
            .and_then(Value::as_u64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn extracts_every_field_and_detects_bookmark_pagination() {
        let doc = json!({
            "paths": {"/boards/{board_id}/pins": {"get": {
                "operationId": "boards/list_pins",
                "tags": ["boards"],
                "x-ratelimit-category": "org_read",
                "x-sandbox": "enabled",
                "security": [{"pinterest_oauth2": ["pins:read", "boards:read"]}, {"client_credentials": ["x"]}],
                "parameters": [
                    {"name": "bookmark", "in": "query", "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/page_size"}
                ],
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Paginated"},
                        {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Pin"}}}}
                    ]
                }}}}}
            }, "delete": {"operationId": "boards/delete", "deprecated": true, "responses": {}}}},
            "components": {
                "parameters": {"page_size": {"name": "page_size", "in": "query", "schema": {"type": "integer", "maximum": 250}}},
                "schemas": {
                    "Paginated": {"type": "object", "properties": {"items": {"type": "array", "items": {}}, "bookmark": {"type": "string"}}},
                    "Pin": {"type": "object"}
                },
                "securitySchemes": {
                    "pinterest_oauth2": {"type": "oauth2", "flows": {"authorizationCode": {"scopes": {"pins:read": "a", "boards:read": "b"}}}},
                    "client_credentials": {"flows": {"clientCredentials": {"scopes": {"x": "c"}}}}
                }
            }
        });
        let ops = extract(&doc);
        assert_eq!(ops.len(), 2);
        let list = &ops[0];
        assert_eq!(list.method_name, "boards_list_pins");
        assert_eq!(list.method, "GET");
        assert_eq!(list.rate_limit_category.as_deref(), Some("org_read"));
        assert_eq!(list.sandbox, Some(true));
        assert_eq!(list.scopes, ["boards:read", "pins:read"]);
        assert_eq!(list.security, ["pinterest_oauth2", "client_credentials"]);
        assert_eq!(
            list.pagination,
            Some(Pagination {
                item_schema: Some("Pin".into()),
                has_page_size: true,
                max_page_size: Some(250)
            })
        );
        assert!(ops[1].deprecated);
        assert_eq!(ops[1].pagination, None);
        assert_eq!(all_scopes(&doc).len(), 3);
    }
}
