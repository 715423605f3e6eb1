//! `inline_type_name_collisions`: typify names an inline property schema
//! `{Parent}{Property}` (`Label.parent_type` -> `LabelParentType`). When a
//! component schema already has that name, the crate gets two types with
//! one name (5.23.0: `LabelParentType`).
//!
//! For each such inline schema the pass either points it at the component
//! (when the two describe the same values, ignoring annotations and `null`,
//! which an optional field already covers), or gives it a `title`
//! (`{Parent}{Property}Property`, unique) so typify names it apart.

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use serde_json::{Map, Value, json};

use super::{Instructions, Pass, Touch, touch};
use crate::names;
use crate::pointer;

pub(crate) struct InlineTypeNameCollisions;

/// Keywords that do not change which values a schema accepts (for our
/// purpose: whether the inline schema can be replaced by the component).
const ANNOTATIONS: [&str; 7] = [
    "description",
    "example",
    "title",
    "nullable",
    "deprecated",
    "readOnly",
    "writeOnly",
];

fn essence(schema: &Value) -> Value {
    let mut out: Map<String, Value> = schema
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !ANNOTATIONS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        values.retain(|v| !v.is_null());
    }
    Value::Object(out)
}

/// Whether typify makes a named type for this inline schema.
fn gets_a_name(schema: &Value) -> bool {
    if schema.get("$ref").is_some() || schema.get("title").is_some() {
        return false;
    }
    if is_single_ref_all_of(schema) {
        return false;
    }
    ["enum", "properties", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| schema.get(k).is_some())
}

/// `{"allOf": [{"$ref": ...}]}` plus annotations or a default: typify
/// uses the referenced type itself.
fn is_single_ref_all_of(schema: &Value) -> bool {
    let single_ref = schema
        .get("allOf")
        .and_then(Value::as_array)
        .is_some_and(|l| l.len() == 1 && l[0].get("$ref").is_some());
    let Value::Object(rest) = essence(schema) else {
        return false;
    };
    single_ref && rest.keys().all(|k| k == "allOf" || k == "default")
}

/// (pointer, derived name) of every inline property schema typify would
/// name, under every component, depth first.
fn inline_names(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (name, schema) in schemas {
        collect(schema, &pointer::schema(name), name, &mut out);
    }
    out
}

fn collect(schema: &Value, at: &str, type_name: &str, out: &mut Vec<(String, String)>) {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (prop, sub) in props {
        let derived = names::pascal(&format!("{type_name}_{}", prop.to_snake_case()));
        let sub_at = format!("{at}/properties/{}", pointer::escape(prop));
        if gets_a_name(sub) {
            out.push((sub_at.clone(), derived.clone()));
        }
        collect(sub, &sub_at, &derived, out);
    }
}

impl Pass for InlineTypeNameCollisions {
    const NAME: &'static str = "inline_type_name_collisions";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let components: Vec<(String, String)> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(|k| (names::pascal(k), k.clone())).collect())
            .unwrap_or_default();
        let mut taken: BTreeSet<String> = components.iter().map(|(rust, _)| rust.clone()).collect();
        let mut touched = Vec::new();
        for (at, derived) in inline_names(doc) {
            let Some((_, component)) = components.iter().find(|(rust, _)| *rust == derived) else {
                continue;
            };
            let Some(inline) = doc.pointer(&at).cloned() else {
                continue;
            };
            let same = doc
                .pointer(&pointer::schema(component))
                .is_some_and(|c| essence(c) == essence(&inline));
            if same {
                touched.push(touch(
                    doc,
                    &at,
                    format!("same values as component `{component}`: now a $ref to it"),
                ));
                if let Some(slot) = doc.pointer_mut(&at) {
                    *slot = json!({ "$ref": format!("#/components/schemas/{component}") });
                }
            } else {
                let mut title = format!("{derived}Property");
                let mut n = 2;
                while taken.contains(&title) {
                    title = format!("{derived}Property{n}");
                    n += 1;
                }
                taken.insert(title.clone());
                touched.push(touch(
                    doc,
                    &at,
                    format!("named `{title}` (`{derived}` is a component)"),
                ));
                if let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
                    obj.insert("title".into(), Value::from(title));
                }
            }
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inline_enum_becomes_ref_and_different_one_gets_a_title() {
        let mut doc = json!({"components": {"schemas": {
            "LabelParentType": {"type": "string", "enum": ["CAMPAIGN"], "description": "a"},
            "Label": {"type": "object", "properties": {
                "parent_type": {"type": "string", "enum": ["CAMPAIGN", null], "nullable": true}
            }},
            "ItemKind": {"type": "string", "enum": ["A"]},
            "BoardPrivacy": {"type": "string", "enum": ["PUBLIC"]},
            "Board": {"type": "object", "properties": {
                "privacy": {"allOf": [{"$ref": "#/components/schemas/BoardPrivacy"}], "default": "PUBLIC"}
            }},
            "Item": {"type": "object", "properties": {
                "kind": {"type": "string", "enum": ["A", "B"]}
            }}
        }}});
        let touched = InlineTypeNameCollisions::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 2);
        assert_eq!(
            doc["components"]["schemas"]["Label"]["properties"]["parent_type"],
            json!({"$ref": "#/components/schemas/LabelParentType"})
        );
        assert_eq!(
            doc["components"]["schemas"]["Item"]["properties"]["kind"]["title"],
            "ItemKindProperty"
        );
    }
}
