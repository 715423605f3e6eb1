//! JSON instances of a spec's schemas, built from the spec itself: the
//! minimal valid value (required properties only) or a full one (every
//! property, to a depth), honouring types, formats, enums, `allOf`
//! (merged), `oneOf`/`anyOf` (the first member), array and string bounds,
//! numeric ranges, `nullable` and maps.
//!
//! The generated forward-compatibility tests decode these with the
//! generated types, after changing them the way a newer Pinterest would
//! (an enum value the spec does not list, a field it does not know).
//!
//! ```
//! use serde_json::json;
//! let doc = json!({"components": {"schemas": {"Pin": {"type": "object", "required": ["id"],
//!     "properties": {"id": {"type": "string", "pattern": "^\\d+$"}, "title": {"type": "string"}}}}}});
//! let pin = pinterest_gen::instances::Builder::new(&doc).minimal(&doc["components"]["schemas"]["Pin"]);
//! assert_eq!(pin, json!({"id": "1"}));
//! ```

use serde_json::{Map, Value, json};

use crate::pointer;

/// How much of a schema an instance fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Required properties only.
    Minimal,
    /// Every property, down to a depth.
    Full,
    /// What the spec's documentation shows: a schema's own `example`
    /// where it has one, else every property built the same way.
    Example,
    /// A full instance changed the way a newer Pinterest changes
    /// responses: every enum with more than one value holds a value the
    /// spec does not list ([`UNLISTED`]), and every object has a field the
    /// spec does not know ([`ADDED_FIELD`]).
    Newer,
}

/// The enum value [`Fill::Newer`] uses.
pub const UNLISTED: &str = "ZZ_UNLISTED_BY_THE_SPEC";
/// The field [`Fill::Newer`] adds to objects.
pub const ADDED_FIELD: &str = "zz_added_by_a_newer_spec";

/// Builds instances of the schemas of one document.
#[derive(Debug, Clone, Copy)]
pub struct Builder<'a> {
    doc: &'a Value,
    max_depth: usize,
}

impl<'a> Builder<'a> {
    /// A builder for `doc`'s schemas (full instances go 4 levels deep).
    pub fn new(doc: &'a Value) -> Builder<'a> {
        Builder { doc, max_depth: 4 }
    }

    /// The minimal valid instance of `schema`.
    pub fn minimal(&self, schema: &Value) -> Value {
        self.build(schema, Fill::Minimal, 0, &mut Vec::new())
    }

    /// An instance with every property filled in (to the depth limit).
    pub fn full(&self, schema: &Value) -> Value {
        self.build(schema, Fill::Full, 0, &mut Vec::new())
    }

    /// The example the spec documents for `schema`: `example` values where
    /// the schema (or a property, or an item) gives one, the rest built.
    pub fn example(&self, schema: &Value) -> Value {
        self.build(schema, Fill::Example, 0, &mut Vec::new())
    }

    /// A full instance as a newer Pinterest would send it ([`Fill::Newer`]).
    pub fn newer(&self, schema: &Value) -> Value {
        self.build(schema, Fill::Newer, 0, &mut Vec::new())
    }

    /// The schema a `$ref` (or a schema) stands for, following references.
    pub fn resolve(&self, schema: &'a Value) -> &'a Value {
        pointer::deref(self.doc, schema).unwrap_or(schema)
    }

    fn build(&self, schema: &Value, fill: Fill, depth: usize, stack: &mut Vec<String>) -> Value {
        if fill == Fill::Example
            && let Some(e) = schema.get("example")
        {
            return e.clone();
        }
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            // A cycle through references ends in null (a recursive schema
            // is reached through an optional field or an array).
            if stack.iter().any(|s| s == r) || depth > 12 {
                return Value::Null;
            }
            let Some(target) = pointer::resolve(self.doc, r) else {
                return Value::Null;
            };
            stack.push(r.to_string());
            let out = self.build(target, fill, depth, stack);
            stack.pop();
            return out;
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            let mut other = None;
            for m in members {
                match self.build(m, fill, depth, stack) {
                    Value::Object(o) => merged.extend(o),
                    v if !v.is_null() => other = Some(v),
                    _ => {}
                }
            }
            let own = self.object(schema, fill, depth, stack);
            if let Value::Object(o) = own {
                merged.extend(o);
            }
            return match other {
                Some(v) if merged.is_empty() => v,
                _ => Value::Object(merged),
            };
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = schema
                .get(key)
                .and_then(Value::as_array)
                .and_then(|m| m.first())
            {
                return self.build(first, fill, depth, stack);
            }
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values
                .iter()
                .find(|v| !v.is_null())
                .cloned()
                .unwrap_or(Value::Null);
        }
        let ty = schema.get("type").and_then(|t| match t {
            Value::String(s) => Some(s.as_str()),
            Value::Array(list) => list.iter().filter_map(Value::as_str).find(|s| *s != "null"),
            _ => None,
        });
        // `items` without a `type` is an array (the spec writes page
        // overrides that way).
        let ty = ty.or_else(|| schema.get("items").map(|_| "array"));
        match ty {
            Some("object") => self.object(schema, fill, depth, stack),
            Some("array") => {
                let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                let n = match fill {
                    Fill::Minimal => min,
                    Fill::Full | Fill::Example | Fill::Newer => min.max(1),
                };
                let item = schema
                    .get("items")
                    .map(|i| self.build(i, fill, depth + 1, stack))
                    .unwrap_or(Value::Null);
                if item.is_null() && n > 0 && schema.get("items").is_some() {
                    return json!([]);
                }
                Value::Array(vec![item; n.min(8)])
            }
            Some("string") => string(schema),
            Some("integer") => number(schema, true),
            Some("number") => number(schema, false),
            Some("boolean") => json!(true),
            _ if schema.get("properties").is_some() => self.object(schema, fill, depth, stack),
            _ => json!({}),
        }
    }

    fn object(&self, schema: &Value, fill: Fill, depth: usize, stack: &mut Vec<String>) -> Value {
        let mut out = Map::new();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let wanted = required.contains(&name.as_str())
                    || (fill != Fill::Minimal && depth < self.max_depth);
                if !wanted {
                    continue;
                }
                let value = self.build(prop, fill, depth + 1, stack);
                if value.is_null() && !required.contains(&name.as_str()) {
                    continue;
                }
                out.insert(name.clone(), value);
            }
        }
        if fill == Fill::Newer && schema.get("properties").is_some() {
            // The new field is valid where the schema constrains extra
            // fields (a map of numbers gets a number).
            let added = match schema.get("additionalProperties") {
                Some(Value::Bool(false)) => None,
                Some(extra @ Value::Object(_)) => {
                    Some(self.build(extra, Fill::Full, depth + 1, stack))
                }
                _ => Some(json!({"added": true})),
            };
            if let Some(v) = added.filter(|v| !v.is_null()) {
                out.insert(ADDED_FIELD.into(), v);
            }
        }
        Value::Object(out)
    }
}

/// Strings tried, in order, against a `pattern` (the generated types
/// validate patterns with `regress`, so the same engine checks them).
const PATTERN_CANDIDATES: &[&str] = &[
    "1",
    "12",
    "123456789",
    "x",
    "ab",
    "00:00",
    "12:30",
    "2025-01-01",
    "US",
    "USD",
    "en",
    "en_US",
    "https://example.com/x",
    "#ffffff",
    "0.5",
    "a-b",
    "A1",
    "abc123",
    "1.0",
    "x@example.com",
];

fn pattern_example(pattern: &str) -> Option<String> {
    let re = regress::Regex::new(pattern).ok()?;
    PATTERN_CANDIDATES
        .iter()
        .find(|c| {
            re.find(c)
                .is_some_and(|m| m.start() == 0 && m.end() == c.len())
        })
        .map(|c| c.to_string())
}

fn string(schema: &Value) -> Value {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let pattern = schema.get("pattern").and_then(Value::as_str).unwrap_or("");
    if let Some(s) = (!pattern.is_empty())
        .then(|| pattern_example(pattern))
        .flatten()
    {
        return Value::String(s);
    }
    let mut s = match format {
        "date" => "2025-01-01".to_string(),
        "date-time" => "2025-01-01T00:00:00Z".to_string(),
        "uri" | "url" => "https://example.com/x".to_string(),
        "email" => "cook@example.com".to_string(),
        "uuid" => "00000000-0000-4000-8000-000000000000".to_string(),
        _ if pattern.contains("\\d") || pattern.contains("[0-9]") => "1".to_string(),
        _ => "x".to_string(),
    };
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    let pad = if s.chars().all(|c| c.is_ascii_digit()) {
        '1'
    } else {
        'x'
    };
    while s.chars().count() < min {
        s.push(pad);
    }
    if let Some(max) = max.filter(|m| *m > 0 && format.is_empty()) {
        s = s.chars().take(max).collect();
    }
    Value::String(s)
}

fn number(schema: &Value, integer: bool) -> Value {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    let mut n = min
        .map(|m| {
            if schema.get("exclusiveMinimum") == Some(&json!(true)) {
                m + 1.0
            } else {
                m
            }
        })
        .unwrap_or(1.0);
    if let Some(m) = max
        && n > m
    {
        n = m;
    }
    if integer {
        json!(n.ceil() as i64)
    } else {
        json!(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances_follow_refs_all_of_enums_bounds_and_stop_at_cycles() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "minLength": 3},
                "kind": {"$ref": "#/components/schemas/Kind"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "size": {"type": "integer", "minimum": 10}
            }},
            "Kind": {"type": "string", "enum": ["LEAF", "BRANCH"]},
            "Both": {"allOf": [{"$ref": "#/components/schemas/Node"}, {"type": "object", "required": ["extra"], "properties": {"extra": {"type": "boolean"}}}]},
            "Pick": {"oneOf": [{"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "format": "date"}}}, {"type": "string"}]}
        }}});
        let b = Builder::new(&doc);
        let s = &doc["components"]["schemas"];
        assert_eq!(b.minimal(&s["Node"]), json!({"id": "xxx"}));
        let full = b.full(&s["Node"]);
        assert_eq!(full["kind"], "LEAF");
        assert_eq!(full["size"], 10);
        // The top schema is not a reference; its first nested `Node` is, and
        // the one below that ends the cycle.
        assert_eq!(full["children"][0]["children"], json!([]), "a cycle ends");
        assert_eq!(b.minimal(&s["Both"]), json!({"id": "xxx", "extra": true}));
        assert_eq!(b.minimal(&s["Pick"]), json!({"a": "2025-01-01"}));
    }
}
