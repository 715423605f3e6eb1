//! A bounded spec fuzzer: structural mutations of a slice of the shared
//! 5.23.0 spec (dropped keys, renamed components, deep `$ref`s, cycles,
//! huge enums, odd names, duplicate operationIds, empty paths). Every
//! mutant either generates code or fails with an error that names a place
//! (a JSON pointer or an operation/schema); a panic that escapes the
//! generator, or a case that runs past its time limit, fails the test.
//!
//! `PINTEREST_FUZZ_CASES` sets the number of cases (default 24, a few
//! seconds) and `PINTEREST_FUZZ_SECONDS` a time budget after which the
//! remaining cases are skipped (CI's slow step runs 1000 cases within 100
//! seconds, `.ci/run`). The report (cases tried, outcomes, distinct
//! errors) is printed and written to `target/spec-fuzz-report.json`;
//! BENCHMARKS.md quotes it. `PINTEREST_FUZZ_VERBOSE=1` (with
//! `--nocapture`) prints each case before it runs, to find one that
//! aborts the process.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use pinterest_gen::codegen::{self, Options};
use pinterest_gen::{GenError, Spec};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

/// Operations the base keeps: every area, paginated and not, bodies,
/// query arrays and deep objects.
const OPERATIONS: [&str; 8] = [
    "pins/get",
    "pins/create",
    "boards/list",
    "ad_accounts/list",
    "ad_accounts/analytics",
    "campaigns/create",
    "catalogs/items/batch/post",
    "user_account/get",
];

fn shared_spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/spec/pinterest-v5/openapi-5.23.0.json")
}

fn collect_refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        out.insert(r.clone());
                    }
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// The operations of [`OPERATIONS`] with every component they reach.
fn base() -> Value {
    let doc = Spec::load(&shared_spec())
        .unwrap_or_else(|e| panic!("{e}"))
        .doc;
    let mut paths = Map::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let mut kept = Map::new();
        for (method, op) in item.as_object().unwrap() {
            let keep = op
                .get("operationId")
                .and_then(Value::as_str)
                .is_some_and(|id| OPERATIONS.contains(&id));
            if keep || (method == "parameters") {
                kept.insert(method.clone(), op.clone());
            }
        }
        if kept.keys().any(|k| k != "parameters") {
            paths.insert(path.clone(), Value::Object(kept));
        }
    }
    let mut out = json!({
        "openapi": doc["openapi"],
        "info": doc["info"],
        "security": doc["security"],
        "paths": paths,
        "components": {"securitySchemes": doc["components"]["securitySchemes"]}
    });
    let mut seen = BTreeSet::new();
    let mut todo = BTreeSet::new();
    collect_refs(&out["paths"], &mut todo);
    while let Some(r) = todo.pop_first() {
        if !seen.insert(r.clone()) {
            continue;
        }
        let tokens: Vec<&str> = r.trim_start_matches("#/").split('/').collect();
        if let ["components", kind, name] = tokens.as_slice() {
            let value = doc["components"][*kind][*name].clone();
            collect_refs(&value, &mut todo);
            out["components"][*kind][*name] = value;
        }
    }
    out
}

/// One structural mutation; indices pick among the nodes that exist.
#[derive(Debug, Clone)]
enum Mutation {
    /// Drops a key of some object (a required key, often).
    DropKey(usize, usize),
    /// Renames a schema component; `fix_refs` updates references to it.
    RenameComponent(usize, String, bool),
    /// Replaces a schema with a `$ref` into another schema.
    DeepRef(usize, usize),
    /// Points a schema at one of its ancestors (`deep` through a pointer
    /// inside a component) or at itself.
    Cycle(usize, bool),
    /// Gives a schema a string enum of `n` values.
    HugeEnum(usize, usize),
    /// Renames a property to an odd name.
    OddProperty(usize, String),
    /// Gives operation `i` the operationId of operation `j`.
    DuplicateOperationId(usize, usize),
    /// Adds an empty path (`""` or `"/"`), with or without an operation.
    EmptyPath(bool),
}

fn odd_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("名前".to_string()),
        Just("emoji 🎉".to_string()),
        Just("type".to_string()),
        Just("self".to_string()),
        Just("Self".to_string()),
        Just("crate".to_string()),
        Just("fn".to_string()),
        Just("r#match".to_string()),
        Just("1st".to_string()),
        Just("".to_string()),
        Just("-".to_string()),
        Just("__".to_string()),
        Just("a/b~c".to_string()),
        Just("Unknown".to_string()),
        "[a-zA-Z0-9_ -]{1,12}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = 0..10_000usize;
    prop_oneof![
        (i.clone(), 0..64usize).prop_map(|(a, b)| Mutation::DropKey(a, b)),
        (i.clone(), odd_name(), any::<bool>())
            .prop_map(|(a, n, f)| Mutation::RenameComponent(a, n, f)),
        (i.clone(), i.clone()).prop_map(|(a, b)| Mutation::DeepRef(a, b)),
        (i.clone(), any::<bool>()).prop_map(|(a, d)| Mutation::Cycle(a, d)),
        (
            i.clone(),
            prop_oneof![Just(0usize), Just(1), 100..5000usize]
        )
            .prop_map(|(a, n)| Mutation::HugeEnum(a, n)),
        (i.clone(), odd_name()).prop_map(|(a, n)| Mutation::OddProperty(a, n)),
        (i.clone(), i).prop_map(|(a, b)| Mutation::DuplicateOperationId(a, b)),
        any::<bool>().prop_map(Mutation::EmptyPath),
    ]
}

/// Pointers of every object in `value`.
fn objects(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            out.push(at.clone());
            for (k, v) in map {
                objects(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                objects(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Pointers of schema-like objects under `components/schemas`.
fn schemas(doc: &Value) -> Vec<String> {
    let mut all = Vec::new();
    objects(
        &doc["components"]["schemas"],
        "/components/schemas".into(),
        &mut all,
    );
    all.into_iter()
        .filter(|p| p.split('/').count() > 3)
        .filter(|p| {
            let last = p.rsplit('/').next().unwrap_or("");
            !matches!(
                last,
                "properties" | "discriminator" | "mapping" | "example" | "examples"
            )
        })
        .collect()
}

fn pick<T: Clone>(items: &[T], i: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[i % items.len()].clone())
}

fn rename_refs(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r))
                        if r == from || r.starts_with(&format!("{from}/")) =>
                    {
                        *r = r.replacen(from, to, 1);
                    }
                    (_, v) => rename_refs(v, from, to),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, from, to)),
        _ => {}
    }
}

fn apply(doc: &mut Value, m: &Mutation) {
    match m {
        Mutation::DropKey(i, k) => {
            let mut all = Vec::new();
            objects(doc, String::new(), &mut all);
            if let Some(at) = pick(&all, *i)
                && let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut)
                && !obj.is_empty()
            {
                let key = obj.keys().nth(k % obj.len()).cloned().unwrap();
                obj.shift_remove(&key);
            }
        }
        Mutation::RenameComponent(i, name, fix) => {
            let names: Vec<String> = doc["components"]["schemas"]
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            if let Some(old) = pick(&names, *i) {
                let schemas = doc["components"]["schemas"].as_object_mut().unwrap();
                let v = schemas.shift_remove(&old).unwrap();
                schemas.insert(name.clone(), v);
                if *fix {
                    let esc = |n: &str| n.replace('~', "~0").replace('/', "~1");
                    rename_refs(
                        doc,
                        &format!("#/components/schemas/{}", esc(&old)),
                        &format!("#/components/schemas/{}", esc(name)),
                    );
                }
            }
        }
        Mutation::DeepRef(i, j) => {
            let all = schemas(doc);
            if let (Some(at), Some(target)) = (pick(&all, *i), pick(&all, *j))
                && let Some(place) = doc.pointer_mut(&at)
            {
                *place = json!({ "$ref": format!("#{target}") });
            }
        }
        Mutation::Cycle(i, deep) => {
            let all = schemas(doc);
            if let Some(at) = pick(&all, *i) {
                let parts: Vec<&str> = at.split('/').collect();
                let target = if *deep && parts.len() > 5 {
                    parts[..parts.len() - 2].join("/")
                } else {
                    at.clone()
                };
                if let Some(place) = doc.pointer_mut(&at) {
                    *place = json!({ "$ref": format!("#{target}") });
                }
            }
        }
        Mutation::HugeEnum(i, n) => {
            let all = schemas(doc);
            if let Some(at) = pick(&all, *i)
                && let Some(place) = doc.pointer_mut(&at)
            {
                let values: Vec<Value> = (0..*n)
                    .map(|k| match k % 5 {
                        0 => json!(format!("VALUE_{k}")),
                        1 => json!(format!("value-{k}")),
                        2 => json!(format!("{k}")),
                        3 => json!(format!("Value {k} é")),
                        _ => json!(format!("v.{k}")),
                    })
                    .collect();
                *place = json!({"type": "string", "enum": values});
            }
        }
        Mutation::OddProperty(i, name) => {
            let mut all = Vec::new();
            objects(
                &doc["components"]["schemas"],
                "/components/schemas".into(),
                &mut all,
            );
            let props: Vec<String> = all
                .into_iter()
                .filter(|p| p.ends_with("/properties"))
                .collect();
            if let Some(at) = pick(&props, *i)
                && let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut)
                && let Some(key) = obj.keys().next().cloned()
            {
                let v = obj.shift_remove(&key).unwrap();
                obj.insert(name.clone(), v);
            }
        }
        Mutation::DuplicateOperationId(i, j) => {
            let mut ops = Vec::new();
            for (path, item) in doc["paths"].as_object().unwrap() {
                for (method, op) in item.as_object().into_iter().flatten() {
                    if op.get("operationId").is_some() {
                        ops.push((path.clone(), method.clone()));
                    }
                }
            }
            if let (Some(a), Some(b)) = (pick(&ops, *i), pick(&ops, *j)) {
                let id = doc["paths"][&b.0][&b.1]["operationId"].clone();
                doc["paths"][&a.0][&a.1]["operationId"] = id;
            }
        }
        Mutation::EmptyPath(with_op) => {
            let item = if *with_op {
                json!({"get": {"operationId": "empty/get", "responses": {"200": {"description": "ok"}}}})
            } else {
                json!({})
            };
            let key = if *with_op { "/" } else { "" };
            doc["paths"][key] = item;
        }
    }
}

/// How one case ended.
#[derive(Debug)]
enum Outcome {
    Generated,
    Located(String),
    Unlocated(String),
    Panicked(String),
    TimedOut,
}

/// The kind of an error message: its text with names and numbers taken
/// out, so errors that differ only in where they are count once.
fn kind(message: &str) -> String {
    let message = message.split(" (first used at").next().unwrap_or(message);
    let mut out = String::new();
    let mut quoted = false;
    for c in message.chars() {
        match c {
            '`' | '"' => {
                quoted = !quoted;
                if quoted {
                    out.push_str("`…`");
                }
            }
            _ if quoted => {}
            c if c.is_ascii_digit() => {}
            c => out.push(c),
        }
    }
    out.chars().take(90).collect()
}

const LIMIT: Duration = Duration::from_secs(60);

fn run_case(doc: &Value) -> Outcome {
    let bytes = serde_json::to_vec(doc).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(|| {
            let spec = Spec::from_bytes(Path::new("mutant.json"), &bytes)?;
            codegen::generate(&spec, &Options::pinterest_api())
        });
        let _ = tx.send(outcome);
    });
    match rx.recv_timeout(LIMIT) {
        Err(_) => Outcome::TimedOut,
        Ok(Err(panic)) => Outcome::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        ),
        Ok(Ok(Ok(_))) => Outcome::Generated,
        Ok(Ok(Err(GenError::Spec(e)))) if !e.pointer.is_empty() || e.subject.is_some() => {
            Outcome::Located(e.message)
        }
        Ok(Ok(Err(GenError::Syntax { .. }))) => Outcome::Located("syntax error".into()),
        Ok(Ok(Err(e))) => Outcome::Unlocated(e.to_string()),
    }
}

#[test]
fn mutated_specs_generate_or_fail_with_a_located_error() {
    let cases: u32 = std::env::var("PINTEREST_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let budget = std::env::var("PINTEREST_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_secs);
    let base = base();
    assert!(run_case(&base).is_generated(), "the base generates");
    let report = Mutex::new(BTreeMap::<String, usize>::new());
    let counts = Mutex::new([0usize; 2]);
    let started = Instant::now();
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let result = runner.run(&proptest::collection::vec(mutation(), 1..4), |mutations| {
        if budget.is_some_and(|b| started.elapsed() > b) {
            return Ok(());
        }
        if std::env::var_os("PINTEREST_FUZZ_VERBOSE").is_some() {
            eprintln!("case: {mutations:?}");
        }
        let mut doc = base.clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        let outcome = run_case(&doc);
        match &outcome {
            Outcome::Generated => counts.lock().unwrap()[0] += 1,
            Outcome::Located(message) => {
                counts.lock().unwrap()[1] += 1;
                *report.lock().unwrap().entry(kind(message)).or_default() += 1;
            }
            Outcome::Unlocated(message) => {
                return Err(TestCaseError::fail(format!(
                    "an error that names no place: {message} (after {mutations:?})"
                )));
            }
            Outcome::Panicked(message) => {
                return Err(TestCaseError::fail(format!(
                    "a panic escaped the generator: {message} (after {mutations:?})"
                )));
            }
            Outcome::TimedOut => {
                return Err(TestCaseError::fail(format!(
                    "no result within {LIMIT:?} (after {mutations:?})"
                )));
            }
        }
        Ok(())
    });
    let [generated, located] = *counts.lock().unwrap();
    let distinct = report.lock().unwrap().clone();
    let summary = json!({
        "cases": generated + located,
        "generated": generated,
        "located_errors": located,
        "distinct_errors": distinct.len(),
        "errors": distinct,
        "seconds": started.elapsed().as_secs_f64(),
    });
    eprintln!(
        "spec fuzz: {}",
        serde_json::to_string_pretty(&summary).unwrap()
    );
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/spec-fuzz-report.json");
    let _ = std::fs::write(target, serde_json::to_vec_pretty(&summary).unwrap());
    if let Err(e) = result {
        panic!("{e}");
    }
}

impl Outcome {
    fn is_generated(&self) -> bool {
        matches!(self, Outcome::Generated)
    }
}
