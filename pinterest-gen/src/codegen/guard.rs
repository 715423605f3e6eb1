//! Calls into progenitor and typify, guarded: their `Err`s and their
//! internal panics (`assert!`, `todo!`, typify's "Failed to make unique
//! variant names") become messages, and on failure the offending operation
//! or schema is found by generating parts of the spec alone.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use serde_json::{Map, Value};

use crate::error::{SpecError, Subject};
use crate::pointer;
use crate::spec;

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Installs (once) a panic hook that stays silent for panics inside
/// [`guarded`] on this thread and defers to the previous hook otherwise.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning an `Err` or a panic into its message.
pub fn guarded<T, E: std::fmt::Display>(f: impl FnOnce() -> Result<T, E>) -> Result<T, String> {
    install_quiet_hook();
    let was = GUARDED.with(|g| g.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    match result {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(payload) => Err(panic_message(&*payload)),
    }
}

/// "generator panicked: MESSAGE" for a caught panic's payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("generator panicked: {msg}")
}

/// After generation of the whole document failed with `message`, finds
/// the first operation (or else schema) that fails on its own, and builds
/// the error for it. `attempt` runs the same generation on a document.
pub fn locate(
    file: &Path,
    doc: &Value,
    message: String,
    attempt: &dyn Fn(&Value) -> Result<(), String>,
) -> SpecError {
    // Schemas first: every operation fails if a schema does.
    let no_paths = with_paths(doc, Map::new());
    if let Err(msg) = attempt(&no_paths) {
        return locate_schema(file, doc, msg, attempt);
    }
    for op in spec::operations(doc) {
        let mut paths = Map::new();
        let mut item = op.item.as_object().cloned().unwrap_or_default();
        item.retain(|k, _| k == op.method || !spec::METHODS.contains(&k.as_str()));
        paths.insert(op.path.to_string(), Value::Object(item));
        let alone = prune_components(&with_paths(doc, paths));
        if let Err(msg) = attempt(&alone) {
            return SpecError::new(file, op.pointer(), msg)
                .with_subject(Subject::Operation(op.id()));
        }
    }
    SpecError::new(file, "", message)
}

fn locate_schema(
    file: &Path,
    doc: &Value,
    message: String,
    attempt: &dyn Fn(&Value) -> Result<(), String>,
) -> SpecError {
    let names: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    // The failing schema whose closure is smallest is the culprit.
    let mut best: Option<(usize, String, String)> = None;
    for name in &names {
        let closure = schema_closure(doc, std::slice::from_ref(name));
        if best
            .as_ref()
            .is_some_and(|(size, ..)| closure.len() >= *size)
        {
            continue;
        }
        let alone = with_schemas(&with_paths(doc, Map::new()), &closure);
        if let Err(msg) = attempt(&alone) {
            best = Some((closure.len(), name.clone(), msg));
        }
    }
    match best {
        Some((_, name, msg)) => {
            SpecError::new(file, pointer::schema(&name), msg).with_subject(Subject::Schema(name))
        }
        None => SpecError::new(file, "/components/schemas", message),
    }
}

fn with_paths(doc: &Value, paths: Map<String, Value>) -> Value {
    let mut out = doc.clone();
    out["paths"] = Value::Object(paths);
    out
}

fn with_schemas(doc: &Value, keep: &[String]) -> Value {
    let mut out = doc.clone();
    if let Some(schemas) = out
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.retain(|k, _| keep.contains(k));
    }
    out
}

/// Keeps only the component schemas the paths reach.
fn prune_components(doc: &Value) -> Value {
    let mut roots = Vec::new();
    collect_refs(
        doc,
        doc.get("paths").unwrap_or(&Value::Null),
        &mut roots,
        &mut Vec::new(),
    );
    let closure = schema_closure_from_refs(doc, roots);
    with_schemas(doc, &closure)
}

/// The names of `start` and of every schema they reference, transitively.
pub fn schema_closure(doc: &Value, start: &[String]) -> Vec<String> {
    schema_closure_from_refs(doc, start.to_vec())
}

fn schema_closure_from_refs(doc: &Value, start: Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut todo = start;
    while let Some(name) = todo.pop() {
        if seen.contains(&name) {
            continue;
        }
        if let Some(schema) = doc.pointer(&pointer::schema(&name)) {
            collect_refs(doc, schema, &mut todo, &mut Vec::new());
        }
        seen.push(name);
    }
    seen
}

/// Schema names referenced from `value`, following references to other
/// components (parameters, responses, request bodies) but not schemas.
fn collect_refs(doc: &Value, value: &Value, out: &mut Vec<String>, visiting: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if let Some(name) = pointer::schema_ref_name(r) {
                    out.push(name);
                } else if !visiting.contains(r) {
                    visiting.push(r.clone());
                    if let Some(target) = pointer::resolve(doc, r) {
                        collect_refs(doc, target, out, visiting);
                    }
                }
            }
            map.values()
                .for_each(|v| collect_refs(doc, v, out, visiting));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_refs(doc, v, out, visiting)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn panics_become_messages() {
        let r: Result<(), String> = guarded(|| -> Result<(), String> { panic!("boom {}", 1) });
        assert_eq!(r.unwrap_err(), "generator panicked: boom 1");
    }

    #[test]
    fn locate_finds_the_failing_operation_and_schema() {
        let doc = json!({"paths": {
            "/ok": {"get": {"operationId": "ok"}},
            "/bad": {"get": {"operationId": "bad", "x-bad": true}}
        }, "components": {"schemas": {"A": {"type": "string"}}}});
        let attempt = |d: &Value| -> Result<(), String> {
            if d.to_string().contains("x-bad") {
                Err("nope".into())
            } else {
                Ok(())
            }
        };
        let e = locate(Path::new("f.json"), &doc, "whole".into(), &attempt);
        assert_eq!(e.pointer, "/paths/~1bad/get");
        assert_eq!(e.subject, Some(Subject::Operation("bad".into())));
        assert_eq!(e.message, "nope");

        let doc = json!({"paths": {}, "components": {"schemas": {
            "Uses": {"properties": {"x": {"$ref": "#/components/schemas/Broken"}}},
            "Broken": {"x-bad": true},
            "Fine": {"type": "string"}
        }}});
        let e = locate(Path::new("f.json"), &doc, "whole".into(), &attempt);
        assert_eq!(e.subject, Some(Subject::Schema("Broken".into())));
        assert_eq!(e.pointer, "/components/schemas/Broken");
    }
}
