//! `colliding_titles`: typify names an inner or inline type after its
//! schema's `title`. When that title is the name of a component schema the
//! generated crate gets two types with one name; when it is the schema's
//! own component name and typify wraps it (a nullable enum becomes
//! `struct X(Option<Inner>)`), the inner type takes the wrapper's name and
//! the type contains itself (`OrderLinePaidType` in 5.23.0: "recursive type
//! has infinite size").
//!
//! A title is documentation only, so the pass removes every `title` whose
//! Rust name equals a component schema's Rust name. Typify then falls back
//! to structural names (`XInner`, `ParentProperty`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Instructions, Pass, Touch, touch};
use crate::names;
use crate::walk;

pub(crate) struct CollidingTitles;

impl Pass for CollidingTitles {
    const NAME: &'static str = "colliding_titles";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let components: BTreeSet<String> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(|k| names::pascal(k)).collect())
            .unwrap_or_default();
        let targets: Vec<(String, String)> = walk::schemas(doc)
            .into_iter()
            .filter_map(|f| {
                let title = doc.pointer(&f.pointer)?.get("title")?.as_str()?;
                components
                    .contains(&names::pascal(title))
                    .then(|| (f.pointer, title.to_string()))
            })
            .collect();
        let mut touched = Vec::new();
        for (at, title) in targets {
            touched.push(touch(
                doc,
                &at,
                format!("removed title `{title}` (names a component schema)"),
            ));
            if let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
                obj.remove("title");
            }
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn titles_naming_components_are_removed() {
        let mut doc = json!({"components": {"schemas": {
            "PaidType": {"title": "PaidType", "type": "string", "enum": ["A", null], "nullable": true},
            "Line": {"type": "object", "properties": {
                "kind": {"title": "Paid type", "type": "string", "enum": ["X"]},
                "own": {"title": "Unique Name", "type": "string", "enum": ["Y"]}
            }}
        }}});
        let touched = CollidingTitles::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 2);
        assert!(
            doc["components"]["schemas"]["PaidType"]
                .get("title")
                .is_none()
        );
        assert!(
            doc["components"]["schemas"]["Line"]["properties"]["kind"]
                .get("title")
                .is_none()
        );
        assert_eq!(
            doc["components"]["schemas"]["Line"]["properties"]["own"]["title"],
            "Unique Name"
        );
    }
}
