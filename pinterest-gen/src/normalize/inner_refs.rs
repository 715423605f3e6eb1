//! `inner_refs`: a `$ref` is any JSON pointer, so a spec may point
//! *inside* a component (`#/components/schemas/ProductGroupPromotion/
//! properties/customizable_cta_type`, `.../items`, `.../allOf/0`) or into
//! an operation. typify resolves only `#/components/schemas/<Name>` (and
//! progenitor only `#/components/<kind>/<Name>`), and panicked on the
//! others.
//!
//! The pass hoists each such target into a component of its own, named
//! from its path (`ProductGroupPromotionCustomizableCtaType`, a number
//! appended when the name is taken), puts a `$ref` to it where it was, and
//! points every reference at it: two references to the same inner schema
//! share one type. Targets are hoisted deepest first, so a target inside
//! another one is already a `$ref` when the outer one moves. The kind of
//! component follows where the reference is used: a parameter list gives
//! `parameters`, a `requestBody` `requestBodies`, a status `responses`,
//! a header map `headers`, anything else `schemas`.
//!
//! Validation runs first: a pointer to nothing (or through another `$ref`,
//! which JSON pointers do not follow) and a cycle of references that never
//! reaches a value are errors naming both places (see
//! [`crate::validate`]). Pointers are resolved with their escapes (`~0`,
//! `~1`) and percent-encoding.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::{Value, json};

use super::{Instructions, Pass, Touch, touch};
use crate::pointer;

pub(crate) struct InnerRefs;

/// Keywords under which a schema's sub-schemas live.
const SCHEMA_KEYWORDS: [&str; 9] = [
    "schema",
    "schemas",
    "properties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "additionalProperties",
    "not",
];

/// The component kind a `$ref` at `at` (tokens of its object) stands for.
fn kind_at(at: &[String]) -> &'static str {
    let in_schema = at.iter().any(|t| SCHEMA_KEYWORDS.contains(&t.as_str()));
    match at {
        _ if in_schema => "schemas",
        [.., last] if last == "requestBody" => "requestBodies",
        [.., parent, _] if parent == "responses" => "responses",
        [.., parent, _] if parent == "headers" => "headers",
        [.., parent, _] if parent == "parameters" => "parameters",
        _ => "schemas",
    }
}

/// Whether `reference` names a whole component (`#/components/<kind>/<Name>`).
fn is_component(reference: &str) -> bool {
    reference
        .strip_prefix("#/components/")
        .is_some_and(|rest| rest.split('/').count() == 2)
}

/// Every `$ref` of the document with the tokens of the object holding it.
fn references(value: &Value, at: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push((at.clone(), r.clone()));
            }
            for (k, v) in map {
                if k != "$ref" {
                    at.push(k.clone());
                    references(v, at, out);
                    at.pop();
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(i.to_string());
                references(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// A readable type name for the value at `tokens`.
fn name_for(doc: &Value, tokens: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut rest = tokens;
    match rest {
        [c, _kind, name, tail @ ..] if c == "components" => {
            parts.push(name.clone());
            rest = tail;
        }
        [p, path, method, tail @ ..] if p == "paths" => {
            let id = doc
                .get("paths")
                .and_then(|ps| ps.get(path))
                .and_then(|item| item.get(method))
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str);
            match id {
                Some(id) => parts.push(id.to_string()),
                None => {
                    parts.push(method.clone());
                    parts.push(path.clone());
                }
            }
            rest = tail;
        }
        _ => {}
    }
    let mut i = 0;
    while i < rest.len() {
        let t = rest[i].as_str();
        let next = rest.get(i + 1).map(String::as_str);
        match (t, next) {
            ("properties", Some(name)) => {
                parts.push(name.to_string());
                i += 2;
                continue;
            }
            ("allOf" | "oneOf" | "anyOf", Some(n)) if n.parse::<usize>().is_ok() => {
                parts.push(format!("{t}{n}"));
                i += 2;
                continue;
            }
            ("content", Some(_)) => {
                i += 2;
                continue;
            }
            ("responses", Some(status)) => {
                parts.push(format!("Response{status}"));
                i += 2;
                continue;
            }
            ("parameters", Some(n)) if n.parse::<usize>().is_ok() => {
                parts.push(format!("Parameter{n}"));
                i += 2;
                continue;
            }
            ("items", _) => parts.push("Item".into()),
            ("additionalProperties", _) => parts.push("Value".into()),
            ("requestBody", _) => parts.push("Request".into()),
            (other, _) => parts.push(other.to_string()),
        }
        i += 1;
    }
    let name: String = parts
        .iter()
        .map(|p| p.to_upper_camel_case())
        .collect::<String>()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        Some(_) => format!("T{name}"),
        None => "Inner".into(),
    }
}

/// `base`, or `base2`, `base3`, ... the first not taken in `taken`.
fn free_name(base: &str, taken: &BTreeSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|n| !taken.contains(n))
        .unwrap_or_else(|| base.to_string())
}

/// Points every `$ref` equal to `from` at `to`.
fn retarget(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && r == from
            {
                *r = to.to_string();
            }
            for (k, v) in map.iter_mut() {
                if k != "$ref" {
                    retarget(v, from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| retarget(v, from, to)),
        _ => {}
    }
}

impl Pass for InnerRefs {
    const NAME: &'static str = "inner_refs";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let mut found = Vec::new();
        references(doc, &mut Vec::new(), &mut found);
        // Each inner target once, with the kind of its first use.
        let mut targets: BTreeMap<String, &'static str> = BTreeMap::new();
        for (at, reference) in &found {
            if reference.starts_with('#') && !is_component(reference) {
                targets
                    .entry(reference.clone())
                    .or_insert_with(|| kind_at(at));
            }
        }
        let mut order: Vec<(String, &'static str, Vec<String>)> = targets
            .into_iter()
            .filter_map(|(r, kind)| {
                let tokens = pointer::tokens(&pointer::fragment(&r)?);
                Some((r, kind, tokens))
            })
            .collect();
        // Deepest first (a target inside another moves before it).
        order.sort_by(|a, b| b.2.len().cmp(&a.2.len()).then_with(|| a.0.cmp(&b.0)));
        let mut touched = Vec::new();
        for (reference, kind, tokens) in order {
            let at = pointer::join(&tokens);
            let Some(target) = doc.pointer(&at).cloned() else {
                // Validation refuses these; a target that moved with an
                // enclosing one is reached through its new place.
                continue;
            };
            let taken: BTreeSet<String> = doc
                .pointer(&format!("/components/{kind}"))
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            let name = free_name(&name_for(doc, &tokens), &taken);
            let new_ref = format!("#/components/{kind}/{}", pointer::escape(&name));
            touched.push(touch(
                doc,
                &at,
                format!("`{reference}` hoisted into `{new_ref}`"),
            ));
            if doc.get("components").is_none() {
                doc["components"] = json!({});
            }
            if doc["components"].get(kind).is_none() {
                doc["components"][kind] = json!({});
            }
            doc["components"][kind][name.as_str()] = target;
            if let Some(place) = doc.pointer_mut(&at) {
                *place = json!({ "$ref": new_ref });
            }
            retarget(doc, &reference, &new_ref);
            // A reference inside the hoisted value to the value itself
            // (recursion through the inner pointer) now points at the
            // component too; one that pointed at its old place, through
            // the place that is now a `$ref`, is covered by `retarget`.
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(mut doc: Value) -> (Value, Vec<Touch>) {
        let touched = InnerRefs::run(&mut doc, &mut Instructions::default());
        (doc, touched)
    }

    #[test]
    fn a_property_target_is_hoisted_and_shared() {
        let (doc, touched) = run(json!({"components": {"schemas": {
            "ProductGroupPromotion": {"type": "object", "properties": {
                "customizable_cta_type": {"type": "string", "enum": ["SHOP_NOW", "LEARN_MORE"]}
            }},
            "AdPreviewRequest": {"type": "object", "properties": {
                "cta": {"$ref": "#/components/schemas/ProductGroupPromotion/properties/customizable_cta_type"},
                "also": {"$ref": "#/components/schemas/ProductGroupPromotion/properties/customizable_cta_type"}
            }}
        }}}));
        assert_eq!(touched.len(), 1);
        let schemas = &doc["components"]["schemas"];
        let hoisted = "#/components/schemas/ProductGroupPromotionCustomizableCtaType";
        assert_eq!(
            schemas["ProductGroupPromotionCustomizableCtaType"]["enum"],
            json!(["SHOP_NOW", "LEARN_MORE"])
        );
        assert_eq!(
            schemas["ProductGroupPromotion"]["properties"]["customizable_cta_type"]["$ref"],
            hoisted
        );
        assert_eq!(
            schemas["AdPreviewRequest"]["properties"]["cta"]["$ref"],
            hoisted
        );
        assert_eq!(
            schemas["AdPreviewRequest"]["properties"]["also"]["$ref"],
            hoisted
        );
    }

    #[test]
    fn items_members_escapes_and_nesting() {
        let (doc, _) = run(json!({"components": {"schemas": {
            "A/B": {"type": "array", "items": {"type": "object", "properties": {
                "x~y": {"allOf": [{"type": "string", "format": "date"}]}
            }}},
            "Use": {"type": "object", "properties": {
                "item": {"$ref": "#/components/schemas/A~1B/items"},
                "deep": {"$ref": "#/components/schemas/A~1B/items/properties/x~0y/allOf/0"},
                "pct": {"$ref": "#/components/schemas/A~1B/items/properties/x~0y"}
            }}
        }}}));
        let s = &doc["components"]["schemas"];
        // Deepest first: the allOf member, then the property, then items.
        assert_eq!(s["ABItemXYAllOf0"]["format"], "date");
        assert_eq!(
            s["ABItemXY"]["allOf"][0]["$ref"],
            "#/components/schemas/ABItemXYAllOf0"
        );
        assert_eq!(
            s["ABItem"]["properties"]["x~y"]["$ref"],
            "#/components/schemas/ABItemXY"
        );
        assert_eq!(s["A/B"]["items"]["$ref"], "#/components/schemas/ABItem");
        assert_eq!(
            s["Use"]["properties"]["deep"]["$ref"],
            "#/components/schemas/ABItemXYAllOf0"
        );
    }

    #[test]
    fn percent_encoded_pointers_resolve() {
        let (doc, touched) = run(json!({"components": {"schemas": {
            "Ad Group": {"type": "object", "properties": {"bid": {"type": "integer"}}},
            "Use": {"type": "object", "properties": {
                "bid": {"$ref": "#/components/schemas/Ad%20Group/properties/bid"}
            }}
        }}}));
        assert_eq!(touched.len(), 1);
        assert_eq!(
            doc["components"]["schemas"]["Use"]["properties"]["bid"]["$ref"],
            "#/components/schemas/AdGroupBid"
        );
        assert_eq!(
            doc["components"]["schemas"]["AdGroupBid"]["type"],
            "integer"
        );
    }

    #[test]
    fn names_do_not_collide_and_recursion_through_the_target_survives() {
        let (doc, _) = run(json!({"components": {"schemas": {
            "NodeChild": {"type": "string"},
            "Node": {"type": "object", "properties": {
                "child": {"type": "object", "properties": {
                    "next": {"$ref": "#/components/schemas/Node/properties/child"}
                }}
            }}
        }}}));
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["NodeChild"]["type"], "string",
            "the existing name is kept"
        );
        assert_eq!(
            s["NodeChild2"]["properties"]["next"]["$ref"], "#/components/schemas/NodeChild2",
            "the recursion points at the hoisted component"
        );
        assert_eq!(
            s["Node"]["properties"]["child"]["$ref"],
            "#/components/schemas/NodeChild2"
        );
    }

    #[test]
    fn other_kinds_follow_where_the_reference_is_used() {
        let (doc, _) = run(json!({"paths": {
            "/a": {"get": {"operationId": "a/get",
                "parameters": [{"in": "query", "name": "q", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}}},
            "/b": {"get": {"operationId": "b/get",
                "parameters": [{"$ref": "#/paths/~1a/get/parameters/0"}],
                "responses": {"200": {"$ref": "#/paths/~1a/get/responses/200"}}}}
        }}));
        assert_eq!(
            doc["components"]["parameters"]["AGetParameter0"]["name"],
            "q"
        );
        assert_eq!(
            doc["paths"]["/b"]["get"]["parameters"][0]["$ref"],
            "#/components/parameters/AGetParameter0"
        );
        assert_eq!(
            doc["components"]["responses"]["AGetResponse200"]["description"],
            "ok"
        );
    }
}
