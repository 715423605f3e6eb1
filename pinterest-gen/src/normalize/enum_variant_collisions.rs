//! `enum_variant_collisions`: typify panics ("Failed to make unique variant
//! names") on a string enum whose values differ only in punctuation, such
//! as the time zones `Etc/GMT+1` and `Etc/GMT-1`.
//!
//! The pass finds every string enum for which typify's two naming attempts
//! both collide, moves it (if inline) into `components/schemas` under the
//! name typify would have given it, and records an [`EnumReplacement`]: the
//! generator emits that enum itself, with variant names that spell the
//! punctuation out (`EtcGmtPlus1`, `EtcGmtMinus1`) and `#[serde(rename)]`s
//! that keep every wire value exact.

use serde_json::{Map, Value};

use super::{Instructions, Pass, Touch, touch};
use crate::names;
use crate::pointer;
use crate::walk::{self, Slot};

pub(crate) struct EnumVariantCollisions;

/// An enum the generator writes itself (typify cannot name its variants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumReplacement {
    /// The component schema it replaces.
    pub schema: String,
    /// The Rust type name (typify's name for the schema).
    pub rust_name: String,
    /// The schema's description, for the doc comment.
    pub description: Option<String>,
    /// The variants, in spec order.
    pub variants: Vec<EnumVariant>,
}

/// One variant of an [`EnumReplacement`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// Rust identifier.
    pub ident: String,
    /// The exact wire value.
    pub value: String,
}

fn string_values(schema: &Value) -> Option<Vec<String>> {
    let values = schema.get("enum")?.as_array()?;
    let strings: Vec<String> = values
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    (!strings.is_empty()).then_some(strings)
}

fn collides(values: &[String]) -> bool {
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    names::typify_variant_names(&refs).is_none()
}

/// Variant names that spell out the punctuation typify drops, for the
/// values whose plain names collide; a numeric suffix as the last resort.
pub(crate) fn distinct_variant_names(values: &[String]) -> Vec<String> {
    let plain: Vec<String> = values.iter().map(|v| names::pascal(v)).collect();
    let mut out: Vec<String> = values
        .iter()
        .zip(&plain)
        .map(|(value, name)| {
            if plain.iter().filter(|n| *n == name).count() == 1 {
                return name.clone();
            }
            let spelled: String = value
                .chars()
                .map(|c| match c {
                    '+' => "-plus-".to_string(),
                    '-' => "-minus-".to_string(),
                    '.' => "-dot-".to_string(),
                    '/' => "-".to_string(),
                    c => c.to_string(),
                })
                .collect();
            names::pascal(&spelled)
        })
        .collect();
    for i in 0..out.len() {
        let mut n = 2;
        while out[..i].contains(&out[i]) {
            out[i] = format!("{}{n}", out[i].trim_end_matches(char::is_numeric));
            n += 1;
        }
    }
    out
}

/// The name typify would give the schema at `at`, built from its
/// component and property names.
fn derived_name(doc: &Value, found: &walk::Found) -> String {
    if let Some(name) = names::nested_schema_name(&pointer::tokens(&found.pointer)) {
        return name;
    }
    let base = walk::subject_of(doc, &found.pointer)
        .map(|s| match s {
            crate::error::Subject::Operation(id)
            | crate::error::Subject::Schema(id)
            | crate::error::Subject::Parameter(id) => id,
        })
        .unwrap_or_else(|| "Enum".into());
    match &found.slot {
        Slot::Property(p) => names::pascal(&format!("{base}-{p}")),
        _ => names::pascal(&format!("{base}-enum")),
    }
}

fn unique_component_name(doc: &Value, wanted: &str) -> String {
    let taken = |n: &str| doc.pointer(&pointer::schema(n)).is_some();
    if !taken(wanted) {
        return wanted.to_string();
    }
    (2..)
        .map(|i| format!("{wanted}{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| wanted.to_string())
}

impl Pass for EnumVariantCollisions {
    const NAME: &'static str = "enum_variant_collisions";

    fn run(doc: &mut Value, out: &mut Instructions) -> Vec<Touch> {
        let mut touched = Vec::new();
        let found: Vec<walk::Found> = walk::schemas(doc)
            .into_iter()
            .filter(|f| {
                doc.pointer(&f.pointer)
                    .and_then(string_values)
                    .is_some_and(|v| collides(&v))
            })
            .collect();
        // Children before parents would invalidate pointers; enums have no
        // schema children, so document order is safe.
        for f in found {
            let Some(schema) = doc.pointer(&f.pointer).cloned() else {
                continue;
            };
            let values = string_values(&schema).unwrap_or_default();
            let component = pointer::schema_ref_name(&format!("#{}", f.pointer));
            let (name, note) = match component {
                Some(name) => (
                    name,
                    "typify cannot name its variants; emitted by the generator",
                ),
                None => {
                    let name = unique_component_name(doc, &derived_name(doc, &f));
                    let mut hoisted = schema.clone();
                    if let Some(obj) = hoisted.as_object_mut() {
                        strip_null(obj);
                    }
                    if let Some(schemas) = doc
                        .pointer_mut("/components/schemas")
                        .and_then(Value::as_object_mut)
                    {
                        schemas.insert(name.clone(), hoisted);
                    }
                    if let Some(slot) = doc.pointer_mut(&f.pointer) {
                        *slot =
                            serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
                    }
                    (
                        name,
                        "moved to components/schemas; typify cannot name its variants; emitted by the generator",
                    )
                }
            };
            touched.push(touch(
                doc,
                &f.pointer,
                format!("{note} as `{}`", names::pascal(&name)),
            ));
            let variants = distinct_variant_names(&values)
                .into_iter()
                .zip(values)
                .map(|(ident, value)| EnumVariant { ident, value })
                .collect();
            out.enum_replacements.push(EnumReplacement {
                rust_name: names::pascal(&name),
                schema: name,
                description: schema
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                variants,
            });
        }
        touched
    }
}

fn strip_null(obj: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = obj.get_mut("enum") {
        values.retain(|v| !v.is_null());
    }
    obj.remove("nullable");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inline_colliding_enum_is_hoisted_and_replaced() {
        let mut doc = json!({"components": {"schemas": {
            "Schedule": {"type": "object", "properties": {"timezone": {
                "type": "string", "description": "tz",
                "enum": ["Etc/GMT+1", "Etc/GMT-1", "UTC", null]
            }}},
            "Fine": {"type": "string", "enum": ["A", "B"]}
        }}});
        let mut out = Instructions::default();
        let touched = EnumVariantCollisions::run(&mut doc, &mut out);
        assert_eq!(touched.len(), 1);
        assert_eq!(
            doc["components"]["schemas"]["Schedule"]["properties"]["timezone"]["$ref"],
            "#/components/schemas/ScheduleTimezone"
        );
        let hoisted = &doc["components"]["schemas"]["ScheduleTimezone"];
        assert_eq!(hoisted["enum"], json!(["Etc/GMT+1", "Etc/GMT-1", "UTC"]));
        let r = &out.enum_replacements[0];
        assert_eq!(r.rust_name, "ScheduleTimezone");
        assert_eq!(r.description.as_deref(), Some("tz"));
        let pairs: Vec<(&str, &str)> = r
            .variants
            .iter()
            .map(|v| (v.ident.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("EtcGmtPlus1", "Etc/GMT+1"),
                ("EtcGmtMinus1", "Etc/GMT-1"),
                ("Utc", "UTC")
            ]
        );
    }

    #[test]
    fn component_enum_is_replaced_in_place_and_suffixes_break_ties() {
        let mut doc = json!({"components": {"schemas": {
            "Odd": {"type": "string", "enum": ["a+b", "a-b", "a b", "a/b"]}
        }}});
        let mut out = Instructions::default();
        EnumVariantCollisions::run(&mut doc, &mut out);
        assert_eq!(
            doc["components"]["schemas"]["Odd"]["enum"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
        let idents: Vec<&str> = out.enum_replacements[0]
            .variants
            .iter()
            .map(|v| v.ident.as_str())
            .collect();
        assert_eq!(idents, ["APlusB", "AMinusB", "AB", "AB2"]);
    }
}
