//! Parameters of operations, resolved through `components/parameters`.

use serde_json::Value;

use crate::pointer;
use crate::spec;

/// A parameter as used by one operation.
#[derive(Debug, Clone)]
pub struct ParamUse {
    /// The operation's id.
    pub operation_id: String,
    /// The parameter's wire name.
    pub name: String,
    /// The resolved parameter object.
    pub param: Value,
}

/// The parameters of an operation (path-level ones first, overridden by
/// operation-level ones with the same name and location), resolved.
pub fn of_operation(doc: &Value, op: &spec::OperationRef<'_>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for holder in [op.item, op.op] {
        let Some(list) = holder.get("parameters").and_then(Value::as_array) else {
            continue;
        };
        for p in list {
            let Some(p) = pointer::deref(doc, p) else {
                continue;
            };
            let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
            out.retain(|q| key(q) != key(p));
            out.push(p.clone());
        }
    }
    out
}

/// Every (operation, parameter) pair whose resolved parameter matches.
pub fn query_uses(doc: &Value, matches: impl Fn(&Value) -> bool) -> Vec<ParamUse> {
    let mut out = Vec::new();
    for op in spec::operations(doc) {
        for p in of_operation(doc, &op) {
            if matches(&p) {
                out.push(ParamUse {
                    operation_id: op.id(),
                    name: p
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    param: p,
                });
            }
        }
    }
    out
}

/// Pointers of every parameter definition (in `components/parameters`, on
/// path items and on operations, not `$ref`s) that matches.
pub fn definitions(doc: &Value, matches: impl Fn(&Value) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(params) = doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
    {
        for (name, p) in params {
            if matches(p) {
                out.push(pointer::join(&["components", "parameters", name]));
            }
        }
    }
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let mut holders = vec![(pointer::join(&["paths", path]), item)];
            for method in spec::METHODS {
                if let Some(op) = item.get(method) {
                    holders.push((pointer::join(&["paths", path, method]), op));
                }
            }
            for (at, holder) in holders {
                let Some(list) = holder.get("parameters").and_then(Value::as_array) else {
                    continue;
                };
                for (i, p) in list.iter().enumerate() {
                    if p.get("$ref").is_none() && matches(p) {
                        out.push(format!("{at}/parameters/{i}"));
                    }
                }
            }
        }
    }
    out
}
