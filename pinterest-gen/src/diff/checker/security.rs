//! Security: an operation's requirements and their scopes, the
//! document's, and the schemes in `components/securitySchemes` (type,
//! HTTP scheme, API key location and name, OpenID Connect URL, OAuth flows
//! with their URLs and scopes).

use std::collections::BTreeSet;

use serde_json::Value;

use super::OpDiff;
use crate::diff::schema::object;
use crate::diff::{Finding, Rule};
use crate::pointer;

/// A requirement: (scheme names, scopes of all of them).
type Requirement = (BTreeSet<String>, BTreeSet<String>);

/// Security requirements as (scheme names, scopes of all of them).
fn requirements(security: Option<&Value>) -> Vec<Requirement> {
    security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|req| {
            let schemes = req.keys().cloned().collect();
            let scopes = req
                .values()
                .filter_map(Value::as_array)
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect();
            (schemes, scopes)
        })
        .collect()
}

fn label(schemes: &BTreeSet<String>) -> String {
    schemes.iter().cloned().collect::<Vec<_>>().join(" + ")
}

/// The rules of one level (operation or document).
struct Rules {
    added: Rule,
    removed: Rule,
    scope_added: Rule,
    scope_removed: Rule,
}

const OPERATION: Rules = Rules {
    added: Rule::ApiSecurityAdded,
    removed: Rule::ApiSecurityRemoved,
    scope_added: Rule::ApiSecurityScopeAdded,
    scope_removed: Rule::ApiSecurityScopeRemoved,
};

const DOCUMENT: Rules = Rules {
    added: Rule::ApiGlobalSecurityAdded,
    removed: Rule::ApiGlobalSecurityRemoved,
    scope_added: Rule::ApiGlobalSecurityScopeAdded,
    scope_removed: Rule::ApiGlobalSecurityScopeRemoved,
};

/// Compares two lists of requirements: each finding is (rule, text, base
/// pointer, revision pointer).
fn compare_requirements(
    rules: &Rules,
    what: &str,
    (a, ap): (Option<&Value>, &str),
    (b, bp): (Option<&Value>, &str),
) -> Vec<(Rule, String, Option<String>, Option<String>)> {
    let (ra, rb) = (requirements(a), requirements(b));
    let mut out = Vec::new();
    for (schemes, scopes) in &rb {
        let name = label(schemes);
        match ra.iter().find(|(s, _)| s == schemes) {
            None => out.push((
                rules.added,
                format!("{what}security {name} added"),
                None,
                Some(bp.to_string()),
            )),
            Some((_, old)) => {
                for scope in scopes.difference(old) {
                    out.push((
                        rules.scope_added,
                        format!("{what}security {name} scope {scope} added"),
                        Some(ap.to_string()),
                        Some(bp.to_string()),
                    ));
                }
                for scope in old.difference(scopes) {
                    out.push((
                        rules.scope_removed,
                        format!("{what}security {name} scope {scope} removed"),
                        Some(ap.to_string()),
                        Some(bp.to_string()),
                    ));
                }
            }
        }
    }
    for (schemes, _) in ra.iter().filter(|(s, _)| !rb.iter().any(|(t, _)| t == s)) {
        out.push((
            rules.removed,
            format!("{what}security {} removed", label(schemes)),
            Some(ap.to_string()),
            None,
        ));
    }
    out
}

impl OpDiff<'_> {
    /// The operation's own security requirements.
    pub(super) fn security(&mut self) {
        let what = format!("{}: ", self.name());
        let (ap, bp) = (
            format!("{}/security", self.a.pointer()),
            format!("{}/security", self.b.pointer()),
        );
        for (rule, text, a, b) in compare_requirements(
            &OPERATION,
            &what,
            (self.a.op.get("security"), &ap),
            (self.b.op.get("security"), &bp),
        ) {
            self.push(rule, text, a, b);
        }
    }
}

/// What belongs to the whole document: its security requirements and its
/// security schemes.
pub(super) fn document(out: &mut Vec<Finding>, base: &Value, revision: &Value) {
    for (rule, text, a, b) in compare_requirements(
        &DOCUMENT,
        "global ",
        (base.get("security"), "/security"),
        (revision.get("security"), "/security"),
    ) {
        out.push(Finding::new(rule, text, a, b));
    }
    schemes(out, base, revision);
}

fn text_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// Compares `components/securitySchemes`.
fn schemes(out: &mut Vec<Finding>, base: &Value, revision: &Value) {
    let at = "/components/securitySchemes";
    let empty = serde_json::Map::new();
    let (ma, mb) = (
        base.pointer(at)
            .and_then(Value::as_object)
            .unwrap_or(&empty),
        revision
            .pointer(at)
            .and_then(Value::as_object)
            .unwrap_or(&empty),
    );
    for (name, b) in mb {
        let bp = format!("{at}/{}", pointer::escape(name));
        let Some(a) = ma.get(name) else {
            out.push(Finding::new(
                Rule::ApiSecurityComponentAdded,
                format!("security scheme {name} added"),
                None,
                Some(bp),
            ));
            continue;
        };
        let ap = bp.clone();
        let a = pointer::deref(base, a).unwrap_or(a);
        let b = pointer::deref(revision, b).unwrap_or(b);
        let mut push = |rule: Rule, text: String| {
            out.push(Finding::new(
                rule,
                format!("security scheme {name}: {text}"),
                Some(ap.clone()),
                Some(bp.clone()),
            ));
        };
        let changed = |key: &str| {
            let (x, y) = (text_of(a, key), text_of(b, key));
            (x != y).then(|| {
                format!(
                    "{key} changed from {} to {}",
                    x.unwrap_or("none"),
                    y.unwrap_or("none")
                )
            })
        };
        if let Some(text) = changed("type") {
            push(Rule::ApiSecurityComponentTypeChanged, text);
            continue;
        }
        match text_of(b, "type") {
            Some("http") => {
                let lower = |v: &Value| text_of(v, "scheme").map(str::to_ascii_lowercase);
                if lower(a) != lower(b) {
                    push(
                        Rule::GenericSecuritySchemeHttpSchemeChanged,
                        changed("scheme").unwrap_or_default(),
                    );
                }
                if let Some(text) = changed("bearerFormat") {
                    push(Rule::GenericSecuritySchemeBearerFormatChanged, text);
                }
            }
            Some("apiKey") => {
                if let Some(text) = changed("in") {
                    push(Rule::GenericSecuritySchemeApiKeyLocationChanged, text);
                }
                if let Some(text) = changed("name") {
                    push(Rule::GenericSecuritySchemeApiKeyNameChanged, text);
                }
            }
            Some("openIdConnect") => {
                if let Some(text) = changed("openIdConnectUrl") {
                    push(Rule::GenericSecuritySchemeOpenidConnectUrlChanged, text);
                }
            }
            Some("oauth2") => flows(&mut push, a, b),
            _ => {}
        }
    }
    for name in ma.keys().filter(|n| !mb.contains_key(*n)) {
        out.push(Finding::new(
            Rule::ApiSecurityComponentRemoved,
            format!("security scheme {name} removed"),
            Some(format!("{at}/{}", pointer::escape(name))),
            None,
        ));
    }
}

/// OAuth flows of one scheme: added, removed, their URLs and scopes.
fn flows(push: &mut impl FnMut(Rule, String), a: &Value, b: &Value) {
    let (fa, fb) = (object(a, "flows"), object(b, "flows"));
    for (flow, b) in fb {
        let Some(a) = fa.get(flow) else {
            push(
                Rule::GenericSecuritySchemeOauthFlowAdded,
                format!("flow {flow} added"),
            );
            continue;
        };
        for (key, rule) in [
            (
                "authorizationUrl",
                Rule::ApiSecurityComponentOauthUrlChanged,
            ),
            ("tokenUrl", Rule::ApiSecurityComponentOauthTokenUrlChanged),
            (
                "refreshUrl",
                Rule::GenericSecuritySchemeOauthRefreshUrlChanged,
            ),
        ] {
            let (x, y) = (text_of(a, key), text_of(b, key));
            if x != y {
                push(
                    rule,
                    format!(
                        "flow {flow}: {key} changed from {} to {}",
                        x.unwrap_or("none"),
                        y.unwrap_or("none")
                    ),
                );
            }
        }
        let (sa, sb) = (object(a, "scopes"), object(b, "scopes"));
        for (scope, description) in sb {
            match sa.get(scope) {
                None => push(
                    Rule::ApiSecurityComponentOauthScopeAdded,
                    format!("flow {flow}: scope {scope} added"),
                ),
                Some(old) if old != description => push(
                    Rule::ApiSecurityComponentOauthScopeChanged,
                    format!("flow {flow}: scope {scope} description changed"),
                ),
                _ => {}
            }
        }
        for scope in sa.keys().filter(|s| !sb.contains_key(*s)) {
            push(
                Rule::ApiSecurityComponentOauthScopeRemoved,
                format!("flow {flow}: scope {scope} removed"),
            );
        }
    }
    for flow in fa.keys().filter(|f| !fb.contains_key(*f)) {
        push(
            Rule::GenericSecuritySchemeOauthFlowRemoved,
            format!("flow {flow} removed"),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::tests::{diff_ids, ids};

    fn with_schemes(schemes: Value, security: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "security": security,
            "components": {"securitySchemes": schemes},
            "paths": {}
        })
    }

    #[test]
    fn a_non_oauth_requirement_needs_no_scopes() {
        let op = |scheme: &str| json!({"security": [{scheme: []}], "responses": {"200": {"description": "ok"}}});
        assert_eq!(
            ids(op("basic"), op("pinterest_oauth2")),
            ["api-security-added", "api-security-removed"]
        );
    }

    #[test]
    fn schemes_and_flows_are_compared() {
        let oauth = |token: &str, scopes: Value| {
            json!({"oauth": {"type": "oauth2", "flows": {"authorizationCode": {
                "authorizationUrl": "https://www.pinterest.com/oauth/",
                "tokenUrl": token,
                "scopes": scopes
            }}}})
        };
        let base = with_schemes(
            oauth(
                "https://api.pinterest.com/v5/oauth/token",
                json!({"pins:read": "r", "boards:read": "b"}),
            ),
            json!([{"oauth": ["pins:read"]}]),
        );
        assert!(diff_ids(&base, &base).is_empty(), "self-diff");
        let moved = with_schemes(
            oauth(
                "https://api.pinterest.com/v6/oauth/token",
                json!({"pins:read": "read Pins"}),
            ),
            json!([{"oauth": ["pins:read", "boards:read"]}]),
        );
        assert_eq!(
            diff_ids(&base, &moved),
            [
                "api-global-security-scope-added",
                "api-security-component-oauth-token-url-changed",
                "api-security-component-oauth-scope-changed",
                "api-security-component-oauth-scope-removed",
            ]
        );
        assert_eq!(
            diff_ids(&moved, &base),
            [
                "api-global-security-scope-removed",
                "api-security-component-oauth-token-url-changed",
                "api-security-component-oauth-scope-changed",
                "api-security-component-oauth-scope-added",
            ]
        );

        let http = |scheme: &str| {
            with_schemes(
                json!({"auth": {"type": "http", "scheme": scheme}}),
                json!([]),
            )
        };
        assert!(
            diff_ids(&http("bearer"), &http("Bearer")).is_empty(),
            "case-insensitive"
        );
        assert_eq!(
            diff_ids(&http("bearer"), &http("basic")),
            ["generic-security-scheme-http-scheme-changed"]
        );
        let key = |place: &str, name: &str| {
            with_schemes(
                json!({"auth": {"type": "apiKey", "in": place, "name": name}}),
                json!([]),
            )
        };
        assert_eq!(
            diff_ids(&key("header", "X-Key"), &key("query", "key")),
            [
                "generic-security-scheme-api-key-location-changed",
                "generic-security-scheme-api-key-name-changed"
            ]
        );
        assert_eq!(
            diff_ids(&key("header", "X-Key"), &http("bearer")),
            ["api-security-component-type-changed"]
        );
        let empty = with_schemes(json!({}), json!([]));
        assert_eq!(
            diff_ids(&empty, &http("bearer")),
            ["api-security-component-added"]
        );
        assert_eq!(
            diff_ids(&http("bearer"), &empty),
            ["api-security-component-removed"]
        );
    }
}
