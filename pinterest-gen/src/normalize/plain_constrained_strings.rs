//! `plain_constrained_strings` (a code-shape choice, not an obstacle):
//! typify turns every string with `pattern`, `minLength` or `maxLength` into
//! a validating newtype (`PinCreateTitle(String)` with a regex or length
//! check in `FromStr` and `Deserialize`). In 5.23.0 that is ~340 newtypes.
//! They make requests awkward (`"title".parse()?` for every field), make a
//! *response* fail to decode when Pinterest returns a value outside the
//! documented limit, and cost ~15% of the crate's compile time. Pinterest
//! validates requests itself and answers 400 with a message.
//!
//! The pass removes those three keywords from string schemas, except where
//! the string is reachable from a `oneOf`/`anyOf` member: there typify's
//! untagged enums may rely on the constraint to pick a variant, so it stays.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Instructions, Pass, Touch, touch};
use crate::pointer;
use crate::walk::{self, Slot};

pub(crate) struct PlainConstrainedStrings;

const CONSTRAINTS: [&str; 3] = ["pattern", "minLength", "maxLength"];

/// Component names and inline pointers reachable from union members.
fn union_reachable(doc: &Value) -> (BTreeSet<String>, Vec<String>) {
    let found = walk::schemas(doc);
    let members: Vec<&walk::Found> = found
        .iter()
        .filter(|f| matches!(f.slot, Slot::Composite("oneOf" | "anyOf", _)))
        .collect();
    let mut components = BTreeSet::new();
    let mut todo: Vec<String> = Vec::new();
    for m in &members {
        if let Some(schema) = doc.pointer(&m.pointer) {
            collect_refs(schema, &mut todo);
        }
    }
    while let Some(name) = todo.pop() {
        if !components.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = doc.pointer(&pointer::schema(&name)) {
            collect_refs(schema, &mut todo);
        }
    }
    let inline = members.iter().map(|m| m.pointer.clone()).collect();
    (components, inline)
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(pointer::schema_ref_name)
            {
                out.push(name);
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

impl Pass for PlainConstrainedStrings {
    const NAME: &'static str = "plain_constrained_strings";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let (components, inline) = union_reachable(doc);
        let protected = pointer::Subtrees::new(
            inline
                .into_iter()
                .chain(components.iter().map(|c| pointer::schema(c))),
        );
        let targets: Vec<String> = walk::schemas(doc)
            .into_iter()
            .map(|f| f.pointer)
            .filter(|at| {
                doc.pointer(at).is_some_and(|s| {
                    s.get("type").and_then(Value::as_str) == Some("string")
                        && CONSTRAINTS.iter().any(|k| s.get(k).is_some())
                })
            })
            .filter(|at| !protected.covers(at))
            .collect();
        let mut touched = Vec::new();
        for at in targets {
            let Some(obj) = doc.pointer(&at).and_then(Value::as_object) else {
                continue;
            };
            let removed: Vec<&str> = CONSTRAINTS
                .into_iter()
                .filter(|k| obj.contains_key(*k))
                .collect();
            touched.push(touch(
                doc,
                &at,
                format!("plain String (dropped {})", removed.join(", ")),
            ));
            if let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
                for k in CONSTRAINTS {
                    obj.remove(k);
                }
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
    fn strips_constraints_outside_unions_only() {
        let mut doc = json!({"components": {"schemas": {
            "PinCreate": {"type": "object", "properties": {
                "title": {"type": "string", "maxLength": 100},
                "board_id": {"type": "string", "pattern": "^\\d+$"},
                "plain": {"type": "string"}
            }},
            "Either": {"oneOf": [
                {"$ref": "#/components/schemas/Numeric"},
                {"type": "string", "minLength": 3}
            ]},
            "Numeric": {"type": "object", "properties": {"id": {"type": "string", "pattern": "^\\d+$"}}}
        }}});
        let touched = PlainConstrainedStrings::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 2);
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["PinCreate"]["properties"]["title"],
            json!({"type": "string"})
        );
        assert_eq!(
            s["PinCreate"]["properties"]["board_id"],
            json!({"type": "string"})
        );
        assert_eq!(s["Either"]["oneOf"][1]["minLength"], 3);
        assert_eq!(s["Numeric"]["properties"]["id"]["pattern"], "^\\d+$");
    }
}
