//! One test per rule family the diff gained for issue 18, on small spec
//! pairs written for the test: the expected rule ids and levels, what
//! swapping the files gives (the inverse or the symmetric finding), and an
//! empty self-diff on both sides.

use pinterest_gen::diff::{self, Level};
use serde_json::{Value, json};

/// `(id, level)` of each finding of `a` → `b`.
fn findings(a: &Value, b: &Value) -> Vec<(String, Level)> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    diff::diff_on(a, b, today)
        .findings
        .iter()
        .map(|f| (f.id.id().to_string(), f.level))
        .collect()
}

/// Checks a pair both ways and each side against itself.
fn check(a: &Value, b: &Value, forward: &[(&str, Level)], backward: &[(&str, Level)]) {
    let owned = |xs: &[(&str, Level)]| -> Vec<(String, Level)> {
        xs.iter().map(|(id, l)| (id.to_string(), *l)).collect()
    };
    assert_eq!(findings(a, b), owned(forward), "forward");
    assert_eq!(findings(b, a), owned(backward), "swapped");
    assert_eq!(findings(a, a), vec![], "self-diff of the base");
    assert_eq!(findings(b, b), vec![], "self-diff of the revision");
}

/// A document with one operation and `schemas`.
fn api(op: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"post": op}},
        "components": {"schemas": schemas}
    })
}

/// An operation taking `request` and answering `response`.
fn op(request: Value, response: Value) -> Value {
    json!({
        "operationId": "things/create",
        "requestBody": {"required": true, "content": {"application/json": {"schema": request}}},
        "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": response}}}}
    })
}

use Level::{Err as E, Info as I, Warn as W};

#[test]
fn security_schemes_and_flows() {
    let doc = |scheme: Value, security: Value| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "security": security,
            "paths": {"/things": {"get": {"responses": {"200": {"description": "ok"}}}}},
            "components": {"securitySchemes": scheme}
        })
    };
    let oauth = |refresh: &str, scopes: Value| {
        json!({"oauth": {"type": "oauth2", "flows": {"authorizationCode": {
            "authorizationUrl": "https://www.pinterest.com/oauth/",
            "tokenUrl": "https://api.pinterest.com/v5/oauth/token",
            "refreshUrl": refresh,
            "scopes": scopes
        }}}})
    };
    let a = doc(
        oauth(
            "https://api.pinterest.com/v5/oauth/token",
            json!({"pins:read": "r", "pins:write": "w"}),
        ),
        json!([{"oauth": ["pins:read"]}]),
    );
    let b = doc(
        oauth(
            "https://api.pinterest.com/v5/oauth/refresh",
            json!({"pins:read": "r"}),
        ),
        json!([{"oauth": ["pins:read"]}, {"basic": []}]),
    );
    check(
        &a,
        &b,
        &[
            ("api-global-security-added", I),
            ("generic-security-scheme-oauth-refresh-url-changed", W),
            ("api-security-component-oauth-scope-removed", I),
        ],
        &[
            ("api-global-security-removed", I),
            ("generic-security-scheme-oauth-refresh-url-changed", W),
            ("api-security-component-oauth-scope-added", I),
        ],
    );
    let bearer = doc(
        json!({"k": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}),
        json!([]),
    );
    let opaque = doc(
        json!({"k": {"type": "http", "scheme": "bearer", "bearerFormat": "opaque"}}),
        json!([]),
    );
    check(
        &bearer,
        &opaque,
        &[("generic-security-scheme-bearer-format-changed", I)],
        &[("generic-security-scheme-bearer-format-changed", I)],
    );
    let oidc = |url: &str| {
        doc(
            json!({"k": {"type": "openIdConnect", "openIdConnectUrl": url}}),
            json!([]),
        )
    };
    check(
        &oidc("https://a.example/.well-known/openid-configuration"),
        &oidc("https://b.example/.well-known/openid-configuration"),
        &[("generic-security-scheme-openid-connect-url-changed", W)],
        &[("generic-security-scheme-openid-connect-url-changed", W)],
    );
    let flows = |names: &[&str]| {
        let mut flows = serde_json::Map::new();
        for n in names {
            flows.insert(
                n.to_string(),
                json!({"tokenUrl": "https://t.example", "scopes": {}}),
            );
        }
        doc(json!({"k": {"type": "oauth2", "flows": flows}}), json!([]))
    };
    check(
        &flows(&["clientCredentials", "password"]),
        &flows(&["clientCredentials"]),
        &[("generic-security-scheme-oauth-flow-removed", E)],
        &[("generic-security-scheme-oauth-flow-added", I)],
    );
}

#[test]
fn parameter_serialization() {
    let doc = |param: Value| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things": {"get": {
                "operationId": "things/list",
                "parameters": [param],
                "responses": {"200": {"description": "ok"}}
            }}}
        })
    };
    let columns = |explode: bool| {
        doc(json!({"in": "query", "name": "columns", "explode": explode,
                   "schema": {"type": "array", "items": {"type": "string"}}}))
    };
    check(
        &columns(true),
        &columns(false),
        &[("generic-request-parameter-explode-changed", E)],
        &[("generic-request-parameter-explode-changed", E)],
    );
    let filter = |style: &str| {
        doc(json!({"in": "query", "name": "filter", "style": style,
                   "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}))
    };
    check(
        &filter("form"),
        &filter("deepObject"),
        &[("generic-request-parameter-style-changed", E)],
        &[("generic-request-parameter-style-changed", E)],
    );
    let empty = |allow: bool| {
        doc(
            json!({"in": "query", "name": "q", "allowEmptyValue": allow, "schema": {"type": "string"}}),
        )
    };
    check(
        &empty(true),
        &empty(false),
        &[("generic-request-parameter-allow-empty-value-removed", W)],
        &[("generic-request-parameter-allow-empty-value-added", I)],
    );
}

/// The explode pair above, generated: the two clients put different
/// query strings on the wire, and the diff reports exactly that change.
#[test]
fn an_explode_change_changes_the_generated_wire_encoding() {
    use pinterest_gen::Spec;
    use pinterest_gen::codegen::{self, Options};
    let doc = |explode: bool| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "5.0.0"},
            "paths": {"/analytics": {"get": {
                "operationId": "analytics/get",
                "tags": ["pins"],
                "parameters": [{"in": "query", "name": "columns", "required": true, "explode": explode,
                                "schema": {"type": "array", "items": {"type": "string"}}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }}}
        })
    };
    let client = |explode: bool| {
        let bytes = serde_json::to_vec(&doc(explode)).unwrap();
        let spec = Spec::from_bytes(std::path::Path::new("pair.json"), &bytes).unwrap();
        codegen::generate(&spec, &Options::pinterest_api())
            .unwrap()
            .client
    };
    let (repeated, joined) = (client(true), client(false));
    assert!(
        joined.contains("crate::query::Delimited::new(\"columns\", ',', &columns)"),
        "explode: false sends columns=A,B"
    );
    assert!(
        !repeated.contains("Delimited"),
        "explode: true repeats the key (columns=A&columns=B)"
    );
    assert_eq!(
        findings(&doc(true), &doc(false)),
        [("generic-request-parameter-explode-changed".to_string(), E)]
    );
}

#[test]
fn response_headers() {
    let doc = |header: Value| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things": {"get": {"responses": {"200": {
                "description": "ok", "headers": {"X-RateLimit-Remaining": header}
            }}}}}
        })
    };
    check(
        &doc(json!({"required": true, "schema": {"type": "integer"}})),
        &doc(json!({"schema": {"type": "string"}})),
        &[
            ("response-header-became-optional", E),
            ("response-header-type-changed", E),
        ],
        &[
            ("generic-response-header-became-required", I),
            ("response-header-type-changed", E),
        ],
    );
    check(
        &doc(json!({"schema": {"type": "array", "items": {"type": "string"}}})),
        &doc(json!({"explode": true, "schema": {"type": "array", "items": {"type": "string"}}})),
        &[("generic-response-header-explode-changed", W)],
        &[("generic-response-header-explode-changed", W)],
    );
    let gone = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"get": {"responses": {"200": {"description": "ok"}}}}}});
    check(
        &doc(json!({"required": true, "schema": {"type": "integer"}})),
        &gone,
        &[("required-response-header-removed", E)],
        &[("response-header-added", I)],
    );
}

#[test]
fn read_only_and_write_only() {
    let schema = |id: Value, secret: Value| json!({"type": "object", "required": ["id"], "properties": {"id": id, "secret": secret}});
    let plain = schema(json!({"type": "string"}), json!({"type": "string"}));
    let flagged = schema(
        json!({"type": "string", "readOnly": true}),
        json!({"type": "string", "writeOnly": true}),
    );
    let a = api(op(plain.clone(), plain.clone()), json!({}));
    let b = api(op(flagged.clone(), flagged.clone()), json!({}));
    check(
        &a,
        &b,
        &[
            ("request-required-property-became-read-only", I),
            ("request-optional-property-became-write-only", I),
            ("response-required-property-became-read-only", I),
            ("response-optional-property-became-write-only", I),
        ],
        &[
            ("request-required-property-became-not-read-only", I),
            ("request-optional-property-became-not-write-only", I),
            ("response-required-property-became-not-read-only", I),
            ("response-optional-property-became-not-write-only", I),
        ],
    );
}

#[test]
fn object_size_constraints() {
    let obj = |min: Option<u64>, max: Option<u64>| {
        let mut s = json!({"type": "object", "additionalProperties": {"type": "string"}});
        if let Some(m) = min {
            s["minProperties"] = json!(m);
        }
        if let Some(m) = max {
            s["maxProperties"] = json!(m);
        }
        s
    };
    let a = api(op(obj(None, Some(10)), obj(Some(1), Some(10))), json!({}));
    let b = api(op(obj(Some(2), Some(5)), obj(None, Some(20))), json!({}));
    check(
        &a,
        &b,
        &[
            ("generic-request-body-max-properties-decreased", E),
            ("generic-request-body-min-properties-set", W),
            ("generic-response-body-max-properties-increased", E),
            ("generic-response-body-min-properties-unset", E),
        ],
        &[("generic-request-body-max-properties-increased", I)],
    );
}

#[test]
fn response_string_and_array_bounds() {
    let body = |name: Value, tags: Value| json!({"type": "object", "properties": {"name": name, "tags": tags}});
    let a = api(
        op(
            json!({"type": "object"}),
            body(
                json!({"type": "string", "minLength": 3}),
                json!({"type": "array", "maxItems": 5, "items": {"type": "string"}}),
            ),
        ),
        json!({}),
    );
    let b = api(
        op(
            json!({"type": "object"}),
            body(
                json!({"type": "string", "minLength": 1}),
                json!({"type": "array", "maxItems": 10, "items": {"type": "string"}}),
            ),
        ),
        json!({}),
    );
    check(
        &a,
        &b,
        &[
            ("response-property-min-length-decreased", E),
            ("generic-response-property-max-items-increased", E),
        ],
        &[],
    );
    let c = api(
        op(
            json!({"type": "object"}),
            body(
                json!({"type": "string"}),
                json!({"type": "array", "items": {"type": "string"}}),
            ),
        ),
        json!({}),
    );
    check(
        &a,
        &c,
        &[
            ("generic-response-property-min-length-unset", E),
            ("generic-response-property-max-items-unset", E),
        ],
        &[],
    );
}

#[test]
fn discriminators() {
    let schemas = json!({
        "Image": {"type": "object", "properties": {"kind": {"type": "string"}, "url": {"type": "string"}}},
        "Video": {"type": "object", "properties": {"kind": {"type": "string"}, "id": {"type": "string"}}}
    });
    let media = |disc: Value| {
        json!({"oneOf": [{"$ref": "#/components/schemas/Image"}, {"$ref": "#/components/schemas/Video"}],
               "discriminator": disc})
    };
    let by_kind = media(json!({"propertyName": "kind", "mapping": {
        "image": "#/components/schemas/Image", "video": "#/components/schemas/Video"}}));
    let by_type = media(json!({"propertyName": "type", "mapping": {
        "image": "#/components/schemas/Image"}}));
    let a = api(op(by_kind.clone(), by_kind), schemas.clone());
    let b = api(op(by_type.clone(), by_type), schemas);
    check(
        &a,
        &b,
        &[
            ("request-body-discriminator-property-name-changed", I),
            ("request-body-discriminator-mapping-deleted", I),
            ("response-body-discriminator-property-name-changed", I),
            ("response-body-discriminator-mapping-deleted", I),
        ],
        &[
            ("request-body-discriminator-property-name-changed", I),
            ("request-body-discriminator-mapping-added", I),
            ("response-body-discriminator-property-name-changed", I),
            ("response-body-discriminator-mapping-added", I),
        ],
    );
}

/// `$ref`s that point inside a component (and percent-encoded ones)
/// are followed like any other: moving a schema behind one is no change,
/// and a change behind one is found.
#[test]
fn references_inside_components_are_followed() {
    let doc = |kinds: Value, use_ref: &str| {
        api(
            op(json!({"type": "object"}), json!({"$ref": use_ref})),
            json!({"Ad Group": {"type": "object", "properties": {
                "kind": {"type": "string", "enum": kinds}
            }}}),
        )
    };
    let deep = "#/components/schemas/Ad%20Group/properties/kind";
    let a = doc(json!(["A", "B"]), deep);
    let b = doc(json!(["A"]), deep);
    check(
        &a,
        &b,
        &[("response-mediatype-enum-value-removed", I)],
        &[("response-property-enum-value-added", W)],
    );
    // The same schema written inline where it is used: no change.
    let mut inline = a.clone();
    inline["paths"]["/things"]["post"]["responses"]["201"]["content"]["application/json"]["schema"] =
        json!({"type": "string", "enum": ["A", "B"]});
    assert_eq!(findings(&a, &inline), vec![]);
}
