//! `type_arrays`: OpenAPI 3.1 (and JSON Schema) write "string or null" as
//! `type: [string, "null"]`; in a 3.0 document that is a mistake, but an
//! easy one to make, and openapiv3 refuses the whole document over it.
//! The pass reads it as meant: one type plus `null` becomes that type and
//! `nullable: true`; several types become a `oneOf` of one schema per
//! type (keywords beside `type` stay on the outer schema); an empty list
//! is no constraint. This is a repair: it runs before the document is
//! parsed into openapiv3's model.
//!
//! Example values (`example`, `examples`, `default`, `enum`) are data, not
//! schemas, and are left alone.

use serde_json::{Value, json};

use super::{DATA_KEYS, Instructions, Pass, Touch, touch};
use crate::walk;

pub(crate) struct TypeArrays;

impl Pass for TypeArrays {
    const NAME: &'static str = "type_arrays";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let found = walk::objects(
            doc,
            &|k| DATA_KEYS.contains(&k) || k.starts_with("x-"),
            &|map| matches!(map.get("type"), Some(Value::Array(_))),
        );
        let mut touched = Vec::new();
        for at in found {
            let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut) else {
                continue;
            };
            let Some(Value::Array(list)) = obj.remove("type") else {
                continue;
            };
            let names: Vec<String> = list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            let nullable = names.iter().any(|t| t == "null");
            let types: Vec<&String> = names.iter().filter(|t| *t != "null").collect();
            let note = match types.as_slice() {
                [] => "type list without a type -> no type constraint".to_string(),
                [one] => {
                    obj.insert("type".into(), Value::String((*one).clone()));
                    format!("type list -> type {one}")
                }
                many => {
                    let members: Vec<Value> = many.iter().map(|t| json!({"type": t})).collect();
                    obj.insert("oneOf".into(), Value::Array(members));
                    format!(
                        "type list -> oneOf {}",
                        many.iter()
                            .map(|t| t.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            };
            if nullable {
                obj.insert("nullable".into(), Value::Bool(true));
            }
            touched.push(touch(
                doc,
                &at,
                format!("{note}{}", if nullable { ", nullable" } else { "" }),
            ));
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_lists_become_what_they_mean() {
        let mut doc = json!({"components": {"schemas": {"P": {"type": "object", "properties": {
            "a": {"type": ["string", "null"], "maxLength": 3},
            "b": {"type": ["string", "integer"]},
            "c": {"type": []},
            "d": {"type": "string", "example": {"type": ["kept"]}}
        }}}}});
        let touched = TypeArrays::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 3);
        let p = &doc["components"]["schemas"]["P"]["properties"];
        assert_eq!(
            p["a"],
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            p["b"],
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(p["c"], json!({}));
        assert_eq!(
            p["d"]["example"]["type"],
            json!(["kept"]),
            "examples are data"
        );
    }
}
