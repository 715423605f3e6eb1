//! Pinterest's extensions (`x-ratelimit-category`, `x-sandbox`) and the
//! OAuth scopes a user token needs for an operation.

use std::collections::BTreeSet;

use serde_json::Value;

use super::OpDiff;
use crate::diff::Rule;
use crate::pointer;

/// The OAuth2 scopes a user token needs for `op`: the scopes of its
/// (or the document's) requirements on `oauth2` schemes. `None` when the
/// operation takes no OAuth2 token.
fn oauth_scopes(doc: &Value, op: &Value) -> Option<BTreeSet<String>> {
    let security = op.get("security").or_else(|| doc.get("security"))?;
    let schemes = doc.pointer("/components/securitySchemes");
    let mut out = None::<BTreeSet<String>>;
    for req in security.as_array()?.iter().filter_map(Value::as_object) {
        for (scheme, scopes) in req {
            let kind = schemes
                .and_then(|s| s.get(scheme))
                .and_then(|s| pointer::deref(doc, s))
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str);
            if kind != Some("oauth2") {
                continue;
            }
            let set = out.get_or_insert_with(BTreeSet::new);
            set.extend(
                scopes
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().map(str::to_string)),
            );
        }
    }
    out
}

fn text(op: &Value, key: &str) -> Option<String> {
    op.get(key).and_then(Value::as_str).map(str::to_string)
}

impl OpDiff<'_> {
    pub(super) fn pinterest(&mut self) {
        let name = self.name();
        let (ap, bp) = self.pointers();
        let (ca, cb) = (
            text(self.a.op, "x-ratelimit-category"),
            text(self.b.op, "x-ratelimit-category"),
        );
        if let (Some(ca), Some(cb)) = (&ca, &cb)
            && ca != cb
        {
            self.push(
                Rule::PinterestRateLimitCategoryChanged,
                format!("{name}: x-ratelimit-category changed from {ca} to {cb}"),
                ap.clone(),
                bp.clone(),
            );
        }
        match (
            text(self.a.op, "x-sandbox").as_deref(),
            text(self.b.op, "x-sandbox").as_deref(),
        ) {
            (Some("enabled"), Some("disabled")) => self.push(
                Rule::PinterestSandboxDisabled,
                format!("{name}: sandbox disabled"),
                ap.clone(),
                bp.clone(),
            ),
            (Some("disabled"), Some("enabled")) => self.push(
                Rule::PinterestSandboxEnabled,
                format!("{name}: sandbox enabled"),
                ap.clone(),
                bp.clone(),
            ),
            _ => {}
        }
        if let (Some(oa), Some(ob)) = (
            oauth_scopes(self.base, self.a.op),
            oauth_scopes(self.revision, self.b.op),
        ) {
            let more: Vec<_> = ob.difference(&oa).cloned().collect();
            let fewer: Vec<_> = oa.difference(&ob).cloned().collect();
            if !more.is_empty() {
                self.push(
                    Rule::PinterestScopesAdded,
                    format!("{name}: now needs OAuth scopes {}", more.join(", ")),
                    ap.clone(),
                    bp.clone(),
                );
            }
            if !fewer.is_empty() {
                self.push(
                    Rule::PinterestScopesRemoved,
                    format!("{name}: no longer needs OAuth scopes {}", fewer.join(", ")),
                    ap,
                    bp,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{doc, ids, today};
    use crate::diff::Level;

    #[test]
    fn pinterest_extensions_and_scopes_are_compared() {
        let op = |scopes: serde_json::Value, category: &str, sandbox: &str| {
            json!({
                "operationId": "pins/get",
                "security": [{"pinterest_oauth2": scopes}],
                "x-ratelimit-category": category,
                "x-sandbox": sandbox,
                "responses": {"200": {"description": "ok"}}
            })
        };
        let base = op(json!(["pins:read"]), "org_read", "enabled");
        assert!(ids(base.clone(), base.clone()).is_empty());
        let more = op(json!(["pins:read", "boards:read"]), "org_read", "enabled");
        assert_eq!(
            ids(base.clone(), more.clone()),
            ["api-security-scope-added", "pinterest-scopes-added"]
        );
        assert_eq!(
            ids(more, base.clone()),
            ["api-security-scope-removed", "pinterest-scopes-removed"]
        );
        let moved = op(json!(["pins:read"]), "org_write", "disabled");
        assert_eq!(
            ids(base.clone(), moved.clone()),
            [
                "pinterest-rate-limit-category-changed",
                "pinterest-sandbox-disabled"
            ]
        );
        assert_eq!(ids(moved, base)[1], "pinterest-sandbox-enabled");
        let (a, b) = (
            doc(op(json!(["pins:read"]), "org_read", "enabled")),
            doc(op(json!(["pins:read", "ads:read"]), "org_read", "enabled")),
        );
        let same = crate::diff::schema::unchanged_schemas(&a, &b);
        let finding = &super::super::compare(&a, &b, today(), &same)[1];
        assert_eq!(finding.level, Level::Err);
        assert_eq!(finding.operation_id.as_deref(), Some("pins/get"));
        assert!(finding.text.contains("ads:read"), "{}", finding.text);
    }
}
