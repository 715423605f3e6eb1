//! `ref_siblings`: in OpenAPI 3.0 the keywords beside a `$ref` are
//! ignored, and typify ignores them; but `{"$ref": "...", "nullable":
//! true}` is how authors write "this type or null", and ignoring it makes
//! a required field that may be `null` fail to decode. The pass moves such
//! a `$ref` into a single-member `allOf`, where `nullable` applies (typify
//! then generates `Option<T>`). Other siblings (descriptions, examples)
//! change no type and stay where they are.

use serde_json::{Value, json};

use super::{DATA_KEYS, Instructions, Pass, Touch, touch};
use crate::walk;

pub(crate) struct RefSiblings;

impl Pass for RefSiblings {
    const NAME: &'static str = "ref_siblings";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let found = walk::objects(doc, &|k| DATA_KEYS.contains(&k), &|map| {
            map.contains_key("$ref") && map.get("nullable") == Some(&Value::Bool(true))
        });
        let mut touched = Vec::new();
        for at in found {
            touched.push(touch(
                doc,
                &at,
                "`$ref` with `nullable: true` -> allOf [$ref], nullable",
            ));
            if let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut)
                && let Some(reference) = obj.remove("$ref")
            {
                obj.insert("allOf".into(), json!([{ "$ref": reference }]));
            }
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nullable_ref_becomes_a_nullable_all_of() {
        let mut doc = json!({"components": {"schemas": {"P": {"type": "object", "properties": {
            "board": {"$ref": "#/components/schemas/Board", "nullable": true, "description": "d"},
            "plain": {"$ref": "#/components/schemas/Board", "description": "kept as is"}
        }}}}});
        let touched = RefSiblings::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 1);
        let p = &doc["components"]["schemas"]["P"]["properties"];
        assert_eq!(
            p["board"],
            json!({"allOf": [{"$ref": "#/components/schemas/Board"}], "nullable": true, "description": "d"})
        );
        assert_eq!(p["plain"]["$ref"], "#/components/schemas/Board");
    }
}
