//! `shared_inline_enums` (a code-shape choice, not an obstacle): typify
//! generates one enum per place an inline enum appears, and a shared
//! parameter (`components/parameters/query_columns`) gets one per
//! operation that uses it. In 5.23.0 that is, for instance, the same
//! 175-value `columns` enum ten times over (`AdAccountAnalyticsColumnsItem`,
//! `AdGroupsAnalyticsColumnsItem`, ...): a quarter of all enum variants are
//! copies.
//!
//! The pass moves every inline string enum that would be generated more
//! than once (same values, same order; no `null`, no default) into one
//! component and points the places at it (`allOf` keeps their
//! descriptions). The component is named by the Rust names the copies
//! would have had in common (`ColumnsItem`), or reuses an existing
//! component with the same values. Wire values do not change.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Value, json};

use super::{Instructions, Pass, Touch, touch};
use crate::names;
use crate::pointer;
use crate::spec;
use crate::walk::{self, Slot};

pub(crate) struct SharedInlineEnums;

/// The identity of an enum: its type and values.
fn key(schema: &Value) -> Option<String> {
    let obj = schema.as_object()?;
    if obj.contains_key("$ref")
        || obj.contains_key("default")
        || obj.get("nullable") == Some(&Value::Bool(true))
    {
        return None;
    }
    let values = obj.get("enum")?.as_array()?;
    // One-value enums are constants (`catalog_type: RETAIL`): tiny, and a
    // shared name would hide which value it holds.
    if values.len() < 2 || !values.iter().all(Value::is_string) {
        return None;
    }
    if obj
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t != "string")
    {
        return None;
    }
    let only_annotations = obj.keys().all(|k| {
        matches!(
            k.as_str(),
            "type" | "enum" | "description" | "example" | "title"
        )
    });
    only_annotations.then(|| Value::Array(values.clone()).to_string())
}

/// Pascal-case words of an identifier.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_uppercase() || out.is_empty() {
            out.push(c.to_string());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

fn common_suffix(names: &[String]) -> String {
    let split: Vec<Vec<String>> = names.iter().map(|n| words(n)).collect();
    let mut suffix: Vec<String> = Vec::new();
    'outer: for i in 1.. {
        let mut word: Option<&String> = None;
        for w in &split {
            let Some(x) = w.len().checked_sub(i).map(|j| &w[j]) else {
                break 'outer;
            };
            match word {
                None => word = Some(x),
                Some(y) if y == x => {}
                Some(_) => break 'outer,
            }
        }
        match word {
            Some(w) => suffix.insert(0, w.clone()),
            None => break,
        }
    }
    suffix.concat()
}

/// The operation ids that use each `components/parameters/NAME`, by the
/// `$ref` that names it: built once per pass, since every schema under a
/// shared parameter asks for its users.
fn parameter_users(doc: &Value) -> HashMap<&str, Vec<String>> {
    let mut users: HashMap<&str, Vec<String>> = HashMap::new();
    for op in spec::operations(doc) {
        let mut refs: Vec<&str> = [op.item, op.op]
            .iter()
            .filter_map(|h| h.get("parameters").and_then(Value::as_array))
            .flatten()
            .filter_map(|p| p.get("$ref").and_then(Value::as_str))
            .collect();
        refs.sort_unstable();
        refs.dedup();
        for reference in refs {
            users.entry(reference).or_default().push(op.id());
        }
    }
    users
}

/// The Rust names typify gives the enum at `at` (one per generated copy).
fn derived_names(
    doc: &Value,
    users: &HashMap<&str, Vec<String>>,
    found: &walk::Found,
) -> Vec<String> {
    let tokens = pointer::tokens(&found.pointer);
    let item_suffix = |rest: &[String]| {
        if rest.iter().any(|t| t == "items") {
            "-item"
        } else {
            ""
        }
    };
    match tokens.as_slice() {
        [c, p, name, rest @ ..] if c == "components" && p == "parameters" => {
            let param = doc
                .pointer(&pointer::join(&["components", "parameters", name]))
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .unwrap_or(name)
                .to_string();
            let target = format!("#/components/parameters/{}", pointer::escape(name));
            users
                .get(target.as_str())
                .into_iter()
                .flatten()
                .map(|op| names::pascal(&format!("{op}-{param}{}", item_suffix(rest))))
                .collect()
        }
        [p, _, _, params, i, rest @ ..] if p == "paths" && params == "parameters" => {
            let op = walk::subject_of(doc, &found.pointer);
            let param = doc
                .pointer(&format!("{}/parameters/{i}", pointer::join(&tokens[..3])))
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("param")
                .to_string();
            match op {
                Some(crate::error::Subject::Operation(id)) => {
                    vec![names::pascal(&format!("{id}-{param}{}", item_suffix(rest)))]
                }
                _ => Vec::new(),
            }
        }
        _ => names::nested_schema_name(&tokens).into_iter().collect(),
    }
}

impl Pass for SharedInlineEnums {
    const NAME: &'static str = "shared_inline_enums";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        // Existing component enums, by values.
        let mut components: BTreeMap<String, String> = BTreeMap::new();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for (name, schema) in doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            taken.insert(names::pascal(name));
            if let Some(k) = key(schema) {
                components.entry(k).or_insert_with(|| name.clone());
            }
        }
        // Inline enums (not component roots, not in responses only? all
        // places), grouped by values.
        let mut groups: BTreeMap<String, Vec<(walk::Found, Vec<String>)>> = BTreeMap::new();
        let users = parameter_users(doc);
        for found in walk::schemas(doc) {
            // Names typify may give other types: titles and derived names.
            if let Some(title) = doc
                .pointer(&found.pointer)
                .and_then(|s| s.get("title"))
                .and_then(Value::as_str)
            {
                taken.insert(names::pascal(title));
            }
            let derived = derived_names(doc, &users, &found);
            taken.extend(derived.iter().cloned());
            if found.slot == Slot::Root && found.pointer.starts_with("/components/schemas/") {
                continue;
            }
            let Some(k) = doc.pointer(&found.pointer).and_then(key) else {
                continue;
            };
            if derived.is_empty() {
                continue;
            }
            groups.entry(k).or_default().push((found, derived));
        }
        let mut touched = Vec::new();
        let mut hoisted: Vec<(String, Value)> = Vec::new();
        for (k, members) in groups {
            let copies: usize = members.iter().map(|(_, d)| d.len()).sum();
            let existing = components.get(&k).cloned();
            if copies < 2 && existing.is_none() {
                continue;
            }
            let name = match existing {
                Some(name) => name,
                None => {
                    let all: Vec<String> = members.iter().flat_map(|(_, d)| d.clone()).collect();
                    let suffix = common_suffix(&all);
                    let mut candidates = vec![suffix];
                    let mut sorted = all.clone();
                    sorted.sort();
                    candidates.extend(sorted);
                    // A one-word name (`Status`) is too likely to clash with
                    // a name typify invents elsewhere.
                    let Some(name) = candidates
                        .into_iter()
                        .find(|c| words(c).len() >= 2 && !taken.contains(c))
                    else {
                        continue;
                    };
                    taken.insert(name.clone());
                    let first = doc
                        .pointer(&members[0].0.pointer)
                        .cloned()
                        .unwrap_or(Value::Null);
                    let mut schema = json!({"type": "string", "enum": first["enum"].clone()});
                    if let Some(d) = first.get("description") {
                        schema["description"] = d.clone();
                    }
                    hoisted.push((name.clone(), schema));
                    name
                }
            };
            for (found, _) in &members {
                let Some(old) = doc.pointer(&found.pointer).cloned() else {
                    continue;
                };
                touched.push(touch(
                    doc,
                    &found.pointer,
                    format!("shared enum -> `{name}`"),
                ));
                let mut replacement =
                    json!({"allOf": [{"$ref": format!("#/components/schemas/{name}")}]});
                if let Some(d) = old.get("description") {
                    replacement["description"] = d.clone();
                }
                if let Some(slot) = doc.pointer_mut(&found.pointer) {
                    *slot = replacement;
                }
            }
        }
        if let Some(schemas) = doc
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            for (name, schema) in hoisted {
                schemas.insert(name, schema);
            }
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_share_one_component_named_by_their_common_suffix() {
        let param = |name: &str| json!({"name": name, "in": "query", "schema": {"type": "array", "items": {"type": "string", "enum": ["SPEND", "CLICKS"]}}});
        let mut doc = json!({
            "paths": {
                "/a": {"get": {"operationId": "ad_account/analytics", "parameters": [{"$ref": "#/components/parameters/query_columns"}]}},
                "/b": {"get": {"operationId": "campaigns/analytics", "parameters": [{"$ref": "#/components/parameters/query_columns"}, param("extra_columns")]}},
                "/c": {"get": {"operationId": "pins/list", "parameters": [
                    {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["ASCENDING", "DESCENDING"], "description": "Sort"}},
                    {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["A", "B"], "default": "A"}},
                    {"name": "one", "in": "query", "schema": {"type": "string", "enum": ["ONLY"]}}
                ]}}
            },
            "components": {
                "parameters": {"query_columns": param("columns")},
                "schemas": {"Order": {"type": "string", "enum": ["ASCENDING", "DESCENDING"]}}
            }
        });
        let touched = SharedInlineEnums::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 3, "{touched:#?}");
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["ColumnsItem"]["enum"], json!(["SPEND", "CLICKS"]));
        assert_eq!(
            doc["components"]["parameters"]["query_columns"]["schema"]["items"]["allOf"][0]["$ref"],
            "#/components/schemas/ColumnsItem"
        );
        // An inline copy of an existing component points at it, keeping its docs.
        let order = &doc["paths"]["/c"]["get"]["parameters"][0]["schema"];
        assert_eq!(order["allOf"][0]["$ref"], "#/components/schemas/Order");
        assert_eq!(order["description"], "Sort");
        // Enums with a default stay as they are.
        assert!(
            doc["paths"]["/c"]["get"]["parameters"][1]["schema"]
                .get("enum")
                .is_some()
        );
        assert_eq!(
            common_suffix(&[
                "AdAccountAnalyticsColumnsItem".into(),
                "CampaignsAnalyticsColumnsItem".into()
            ]),
            "AnalyticsColumnsItem"
        );
    }
}
