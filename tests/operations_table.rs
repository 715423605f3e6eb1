//! The generated `OPERATIONS` table against the spec file itself, parsed
//! here independently with serde_json.

use std::collections::BTreeMap;

use pinterest_api::{OPERATIONS, Operation, Sandbox, Scope};
use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

struct SpecOp {
    method: String,
    path: String,
    category: Option<String>,
    sandbox: Option<String>,
    tags: Vec<String>,
    paginated: bool,
}

fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    while let Some(r) = v.get("$ref").and_then(Value::as_str) {
        v = doc.pointer(&r[1..]).expect("ref resolves");
    }
    v
}

fn properties(doc: &Value, schema: &Value, out: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    for sub in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        properties(doc, sub, out);
    }
    if let Some(p) = schema.get("properties").and_then(Value::as_object) {
        out.extend(p.keys().cloned());
    }
}

fn spec_ops(doc: &Value) -> BTreeMap<String, SpecOp> {
    let mut out = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let params: Vec<&Value> = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .chain(
                    item.get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                )
                .map(|p| resolve(doc, p))
                .collect();
            let takes_bookmark = params
                .iter()
                .any(|p| p["name"] == "bookmark" && p["in"] == "query");
            let mut props = Vec::new();
            if let Some(schema) = op["responses"]
                .get("200")
                .map(|r| resolve(doc, r))
                .and_then(|r| r.pointer("/content/application~1json/schema"))
            {
                properties(doc, schema, &mut props);
            }
            let paginated = takes_bookmark
                && props.iter().any(|p| p == "items")
                && props.iter().any(|p| p == "bookmark");
            out.insert(
                op["operationId"].as_str().unwrap().to_string(),
                SpecOp {
                    method: m.to_uppercase(),
                    path: path.clone(),
                    category: op
                        .get("x-ratelimit-category")
                        .and_then(Value::as_str)
                        .map(String::from),
                    sandbox: op
                        .get("x-sandbox")
                        .and_then(Value::as_str)
                        .map(String::from),
                    tags: op["tags"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().unwrap().to_string())
                        .collect(),
                    paginated,
                },
            );
        }
    }
    out
}

#[test]
fn every_operation_of_the_pinned_spec_is_in_the_table_with_its_attributes() {
    assert_eq!(pinterest_api::SPEC_VERSION, "5.23.0");
    let doc = pinterest_tests::spec_json("openapi-5.23.0.json");
    let spec = spec_ops(&doc);
    assert_eq!(spec.len(), 231);
    assert_eq!(OPERATIONS.len(), 231);
    let table: BTreeMap<&str, &Operation> = OPERATIONS.iter().map(|op| (op.id, op)).collect();
    assert_eq!(
        table.keys().copied().collect::<Vec<_>>(),
        spec.keys().map(String::as_str).collect::<Vec<_>>()
    );
    for (id, expected) in &spec {
        let op = table[id.as_str()];
        assert_eq!(op.method.as_str(), expected.method, "{id}");
        assert_eq!(op.path, expected.path, "{id}");
        assert_eq!(op.rate_limit_category, expected.category.as_deref(), "{id}");
        assert_eq!(
            op.tags,
            expected.tags.iter().map(String::as_str).collect::<Vec<_>>(),
            "{id}"
        );
        let sandbox = match op.sandbox {
            Sandbox::Enabled => Some("enabled"),
            Sandbox::Disabled => Some("disabled"),
            Sandbox::Unspecified => None,
        };
        assert_eq!(sandbox, expected.sandbox.as_deref(), "{id}");
        assert_eq!(op.is_paginated(), expected.paginated, "{id}");
        assert_eq!(Operation::by_method_name(op.method_name), Some(op), "{id}");
    }
}

#[test]
fn fifty_six_operations_are_bookmark_paginated() {
    let paginated: Vec<&str> = OPERATIONS
        .iter()
        .filter(|op| op.is_paginated())
        .map(|op| op.id)
        .collect();
    assert_eq!(paginated.len(), 56, "{paginated:?}");
    let pins = Operation::by_id("boards/list_pins")
        .unwrap()
        .pagination
        .unwrap();
    assert_eq!(pins.item_schema, Some("Pin"));
    assert_eq!(pins.max_page_size, Some(250));
    assert!(
        !Operation::by_id("search_partner_pins")
            .unwrap()
            .pagination
            .unwrap()
            .has_page_size
    );
}

#[test]
fn scopes_come_from_the_security_schemes() {
    assert_eq!(Scope::ALL.len(), 19);
    assert_eq!(Scope::PinsWriteSecret.as_str(), "pins:write_secret");
    assert_eq!("boards:read".parse::<Scope>(), Ok(Scope::BoardsRead));
    assert!(
        "boards:admin"
            .parse::<Scope>()
            .unwrap_err()
            .to_string()
            .contains("boards:admin")
    );
    assert_eq!(
        Scope::join(&[Scope::BoardsRead, Scope::PinsRead]),
        "boards:read,pins:read"
    );
    let create = Operation::by_id("pins/create").unwrap();
    assert_eq!(
        create.scopes,
        [
            Scope::BoardsRead,
            Scope::BoardsWrite,
            Scope::PinsRead,
            Scope::PinsWrite
        ]
    );
    assert_eq!(create.rate_limit_category, Some("org_write"));
}
