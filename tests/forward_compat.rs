//! Responses from a newer Pinterest decode (issue 13), shown with cases
//! generated from the spec by `cargo xtask gen` (`tests/generated/`):
//!
//! - every enum property of every component schema a response reaches
//!   takes a value the spec does not list: it decodes, re-encodes to the
//!   same value, and strict mode refuses it;
//! - every response example in the pinned spec decodes with its
//!   operation's generated type;
//! - whole responses built from the spec, then changed the way a newer
//!   Pinterest changes them (every enum value unlisted, every object with
//!   a field the spec does not know), decode.

#[rustfmt::skip]
#[path = "generated/dispatch.rs"]
mod dispatch;

use std::collections::BTreeSet;

use serde_json::Value;

const CASES: &str = include_str!("generated/open_enum_cases.json");
const UNLISTED: &str = "ZZ_UNLISTED_BY_THE_SPEC";
const UNLISTED_INT: i64 = 987_654_321;

#[test]
fn every_enum_a_response_reaches_takes_a_value_the_spec_does_not_list() {
    let all: Value = serde_json::from_str(CASES).unwrap();
    let cases = all["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    let mut schemas = BTreeSet::new();
    for case in cases {
        let (ty, prop) = (
            case["rust_type"].as_str().unwrap(),
            case["property"].as_str().unwrap(),
        );
        let body = serde_json::to_vec(&case["instance"]).unwrap();
        schemas.insert(case["schema"].as_str().unwrap());
        match dispatch::roundtrip(ty, &body, false) {
            None => failures.push(format!("{ty}: no such type")),
            Some(Err(e)) => failures.push(format!("{ty}.{prop}: did not decode: {e}")),
            Some(Ok(back)) => {
                if back[prop] != case["instance"][prop] {
                    failures.push(format!(
                        "{ty}.{prop}: re-encoded as {} not {}",
                        back[prop], case["instance"][prop]
                    ));
                }
            }
        }
        match dispatch::roundtrip(ty, &body, true) {
            // Names the value, or (a union's member) the union type.
            Some(Err(e))
                if e.contains(UNLISTED)
                    || e.contains(&UNLISTED_INT.to_string())
                    || e.contains(ty) => {}
            other => failures.push(format!(
                "{ty}.{prop}: strict mode did not refuse it: {other:?}"
            )),
        }
    }
    println!(
        "{} enum properties of {} response schemas decoded an unlisted value ({} single-valued discriminators stay closed by design)",
        cases.len(),
        schemas.len(),
        all["closed"].as_array().unwrap().len()
    );
    assert!(
        cases.len() > 100,
        "the generator found only {} cases",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// `(operation method name, status, example)` for every JSON example of a
/// 2xx response in `doc`.
fn success_examples(doc: &Value) -> Vec<(String, String, String, Value)> {
    let resolve = |v: &Value| -> Value {
        let mut v = v.clone();
        for _ in 0..8 {
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) => v = doc.pointer(&r[1..]).cloned().unwrap_or(Value::Null),
                None => break,
            }
        }
        v
    };
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let method_name = id.replace(['/', '-', '.'], "_").to_lowercase();
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                if !status.starts_with('2') {
                    continue;
                }
                let response = resolve(response);
                let Some(mt) = response.pointer("/content/application~1json") else {
                    continue;
                };
                let mut examples = Vec::new();
                if let Some(e) = mt.get("example") {
                    examples.push(e.clone());
                }
                for e in mt
                    .get("examples")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(_, e)| e)
                {
                    if let Some(v) = resolve(e).get("value") {
                        examples.push(v.clone());
                    }
                }
                if examples.is_empty() {
                    // The example the documentation shows: the schema's and
                    // its properties' `example` values, composed.
                    examples
                        .push(pinterest_gen::instances::Builder::new(doc).example(&mt["schema"]));
                }
                for e in examples {
                    out.push((
                        method_name.clone(),
                        format!("{} {path}", method.to_uppercase()),
                        status.clone(),
                        e,
                    ));
                }
            }
        }
    }
    out
}

/// The examples of the pinned spec its own types reject. The policy in
/// spec/README.md says why each is a defect of the example, not of the
/// client; any new one fails this test.
const KNOWN_FINDINGS: &[&str] = &[];

#[test]
fn the_pinned_specs_response_examples_decode() {
    let doc = pinterest_tests::spec_json(&pinterest_tests::pinned_file());
    let examples = success_examples(&doc);
    let mut decoded = 0;
    let mut findings = Vec::new();
    for (method, op, status, example) in &examples {
        let body = serde_json::to_vec(example).unwrap();
        match dispatch::decode_success(method, &body, false) {
            None => {}
            Some(Ok(())) => decoded += 1,
            Some(Err(e)) => findings.push(format!("{method} ({op} {status}): {e}")),
        }
    }
    println!(
        "{decoded} of {} response examples decode; {} findings:",
        examples.len(),
        findings.len()
    );
    for f in &findings {
        println!("  {f}");
    }
    let unexpected: Vec<&String> = findings
        .iter()
        .filter(|f| !KNOWN_FINDINGS.iter().any(|k| f.starts_with(k)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "examples the generated types reject:\n{}",
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(decoded > 100, "only {decoded} examples decoded");
}

/// `(method name, operation, schema)` of every 2xx JSON response of `doc`.
fn success_schemas(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let method_name = id.replace(['/', '-', '.'], "_").to_lowercase();
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                let mut response = response.clone();
                while let Some(r) = response.get("$ref").and_then(Value::as_str) {
                    response = doc.pointer(&r[1..]).cloned().unwrap_or(Value::Null);
                }
                if let (true, Some(schema)) = (
                    status.starts_with('2'),
                    response.pointer("/content/application~1json/schema"),
                ) {
                    out.push((
                        method_name.clone(),
                        format!("{} {path}", method.to_uppercase()),
                        schema.clone(),
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn responses_of_a_newer_pinterest_decode() {
    // Every 2xx body of the pinned spec, built in full, then changed as a
    // newer Pinterest changes responses: every enum with an unlisted value,
    // every object with an unknown field.
    let doc = pinterest_tests::spec_json(&pinterest_tests::pinned_file());
    let builder = pinterest_gen::instances::Builder::new(&doc);
    let mut decoded = 0;
    let mut failures = Vec::new();
    let schemas = success_schemas(&doc);
    for (method, op, schema) in &schemas {
        let body = serde_json::to_vec(&builder.newer(schema)).unwrap();
        match dispatch::decode_success(method, &body, false) {
            None => {}
            Some(Ok(())) => decoded += 1,
            Some(Err(e)) => failures.push(format!("{method} ({op}): {e}")),
        }
    }
    println!(
        "{decoded} of {} success bodies of a newer Pinterest decode",
        schemas.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(decoded > 150, "{decoded}");
}
