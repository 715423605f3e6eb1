//! Response headers: added, removed, made optional or required, their
//! `explode`, and their schemas (type and nullability rules of
//! `response-header-*`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::OpDiff;
use crate::diff::Rule;
use crate::diff::schema::{Compare, Dir, Node, Place, object};
use crate::pointer;

/// The headers of a response, by lower-case name: (name as written,
/// header resolved, pointer).
fn headers<'v>(
    doc: &'v Value,
    response: &'v Value,
    at: &str,
) -> BTreeMap<String, (&'v str, &'v Value, String)> {
    object(response, "headers")
        .iter()
        .filter_map(|(name, raw)| {
            let (value, ptr) =
                super::resolved(doc, raw, format!("{at}/headers/{}", pointer::escape(name)))?;
            Some((name.to_ascii_lowercase(), (name.as_str(), value, ptr)))
        })
        .collect()
}

fn required(header: &Value) -> bool {
    header.get("required") == Some(&Value::Bool(true))
}

/// Headers are always `style: simple`, where `explode` defaults to false.
fn explode(header: &Value) -> bool {
    header.get("explode") == Some(&Value::Bool(true))
}

impl<'a> OpDiff<'a> {
    pub(super) fn headers(&mut self, status: &str, a: &'a Value, ap: &str, b: &'a Value, bp: &str) {
        let name = self.name();
        let (ha, hb) = (headers(self.base, a, ap), headers(self.revision, b, bp));
        for (key, (h, header, hp)) in &ha {
            if hb.contains_key(key) {
                continue;
            }
            let rule = if required(header) {
                Rule::RequiredResponseHeaderRemoved
            } else {
                Rule::OptionalResponseHeaderRemoved
            };
            self.push(
                rule,
                format!("{name}: response {status} header {h} removed"),
                Some(hp.clone()),
                None,
            );
        }
        for (key, (h, hb_value, hbp)) in &hb {
            let Some((_, ha_value, hap)) = ha.get(key) else {
                self.push(
                    Rule::ResponseHeaderAdded,
                    format!("{name}: response {status} header {h} added"),
                    None,
                    Some(hbp.clone()),
                );
                continue;
            };
            let what = format!("{name}: response {status} header {h}");
            let (pa, pb) = (Some(hap.clone()), Some(hbp.clone()));
            match (required(ha_value), required(hb_value)) {
                (true, false) => self.push(
                    Rule::ResponseHeaderBecameOptional,
                    format!("{what} became optional"),
                    pa.clone(),
                    pb.clone(),
                ),
                (false, true) => self.push(
                    Rule::GenericResponseHeaderBecameRequired,
                    format!("{what} became required"),
                    pa.clone(),
                    pb.clone(),
                ),
                _ => {}
            }
            if explode(ha_value) != explode(hb_value) {
                self.push(
                    Rule::GenericResponseHeaderExplodeChanged,
                    format!(
                        "{what}: explode changed from {} to {}",
                        explode(ha_value),
                        explode(hb_value)
                    ),
                    pa,
                    pb,
                );
            }
            if let (Some(sa), Some(sb)) = (ha_value.get("schema"), hb_value.get("schema")) {
                let (sap, sbp) = (format!("{hap}/schema"), format!("{hbp}/schema"));
                Compare::new(
                    self.base,
                    self.revision,
                    Dir::Response,
                    Place::Header,
                    format!("{h} ({status})"),
                    &mut self.sink,
                    self.same,
                )
                .run(
                    Node {
                        value: sa,
                        pointer: &sap,
                    },
                    Node {
                        value: sb,
                        pointer: &sbp,
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::tests::ids;

    fn op(header: Value) -> Value {
        json!({"responses": {"200": {"description": "ok", "headers": {"X-Ratelimit-Remaining": header}}}})
    }

    #[test]
    fn headers_required_explode_and_schema_are_compared() {
        let int = json!({"required": true, "schema": {"type": "integer"}});
        assert!(
            ids(op(int.clone()), op(int.clone())).is_empty(),
            "self-diff"
        );
        let optional = json!({"schema": {"type": "integer"}});
        assert_eq!(
            ids(op(int.clone()), op(optional.clone())),
            ["response-header-became-optional"]
        );
        assert_eq!(
            ids(op(optional), op(int.clone())),
            ["generic-response-header-became-required"]
        );
        let text = json!({"required": true, "schema": {"type": "string"}});
        assert_eq!(
            ids(op(int.clone()), op(text)),
            ["response-header-type-changed"]
        );
        let nullable = json!({"required": true, "schema": {"type": "integer", "nullable": true}});
        assert_eq!(
            ids(op(int.clone()), op(nullable.clone())),
            ["response-header-became-nullable"]
        );
        assert_eq!(
            ids(op(nullable), op(int.clone())),
            ["response-header-became-not-nullable"]
        );
        let exploded = json!({"required": true, "explode": true, "schema": {"type": "integer"}});
        assert_eq!(
            ids(op(int.clone()), op(exploded.clone())),
            ["generic-response-header-explode-changed"]
        );
        assert_eq!(
            ids(op(exploded), op(int.clone())),
            ["generic-response-header-explode-changed"]
        );
        let gone = json!({"responses": {"200": {"description": "ok"}}});
        assert_eq!(
            ids(op(int.clone()), gone.clone()),
            ["required-response-header-removed"]
        );
        assert_eq!(ids(gone, op(int)), ["response-header-added"]);
    }
}
