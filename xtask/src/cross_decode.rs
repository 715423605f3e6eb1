//! `cargo xtask cross-decode OLD NEW`: does a client generated from the
//! OLD spec decode what a server described by the NEW spec sends? For
//! every operation present in both, the NEW spec's success body is built
//! in full and changed as a newer Pinterest changes responses (unlisted
//! enum values, unknown fields), then decoded by the OLD client's
//! generated type, in a scratch copy of `pinterest-api` under
//! `target/cross-decode/` (sharing the workspace's target directory).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use pinterest_gen::Spec;
use pinterest_gen::codegen::{self, Options};
use serde_json::{Value, json};

use crate::pin;

#[derive(clap::Args)]
pub struct Args {
    /// The spec the client is generated from (the older one).
    old: PathBuf,
    /// The spec the responses are built from (the newer one).
    new: PathBuf,
}

/// The test the scratch crate runs: decode every case, count, list
/// failures.
const TEST: &str = r#"//! Written by `cargo xtask cross-decode`.
#[rustfmt::skip]
#[path = "dispatch.rs"]
mod dispatch;

#[test]
fn the_old_client_decodes_the_newer_responses() {
    let cases: serde_json::Value = serde_json::from_str(include_str!("cases.json")).unwrap();
    let mut decoded = 0;
    let mut failures = Vec::new();
    let mut skipped = 0;
    for case in cases.as_array().unwrap() {
        let method = case["method"].as_str().unwrap();
        let body = serde_json::to_vec(&case["body"]).unwrap();
        match dispatch::decode_success(method, &body, false) {
            None => skipped += 1,
            Some(Ok(())) => decoded += 1,
            Some(Err(e)) => failures.push(format!("{method}: {e}")),
        }
    }
    println!("CROSS-DECODE {decoded} decoded, {} failed, {skipped} without a JSON body in the old client", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
"#;

pub fn run(root: &Path, args: Args) -> Result<ExitCode, String> {
    let old = Spec::load(&args.old).map_err(|e| e.to_string())?;
    let new = Spec::load(&args.new).map_err(|e| e.to_string())?;
    let generated =
        codegen::generate(&old, &Options::pinterest_api()).map_err(|e| e.to_string())?;
    let old_methods: BTreeSet<String> = generated
        .table
        .iter()
        .map(|o| o.method_name.clone())
        .collect();
    let builder = pinterest_gen::instances::Builder::new(&new.doc);
    let mut cases = Vec::new();
    let mut only_new = 0;
    // `extract` lists the operations in `spec::operations` order.
    let table = pinterest_gen::operations::extract(&new.doc);
    for (op, source) in table.iter().zip(pinterest_gen::spec::operations(&new.doc)) {
        let Some(schema) = pinterest_gen::operations::success_schema(&new.doc, source.op) else {
            continue;
        };
        if !old_methods.contains(&op.method_name) {
            only_new += 1;
            continue;
        }
        cases.push(json!({"method": &op.method_name, "body": builder.newer(schema)}));
    }
    let stem = format!(
        "{}_to_{}",
        old.version().unwrap_or("old").replace('.', "_"),
        new.version().unwrap_or("new").replace('.', "_")
    );
    let krate = root.join("target").join("cross-decode").join(&stem);
    crate::check_specs::write_crate(root, &krate, &stem, &generated)?;
    let manifest_path = krate.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| e.to_string())?;
    let manifest = crate::manifest::with_lib_name(&manifest, "pinterest_api")?;
    pin::write_atomic(&manifest_path, manifest.as_bytes())?;
    let tests = krate.join("tests");
    pin::write_atomic(&tests.join("dispatch.rs"), generated.dispatch.as_bytes())?;
    pin::write_atomic(
        &tests.join("cases.json"),
        serde_json::to_string(&Value::Array(cases.clone()))
            .map_err(|e| e.to_string())?
            .as_bytes(),
    )?;
    pin::write_atomic(&tests.join("cross.rs"), TEST.as_bytes())?;
    eprintln!(
        "{} operations of {} in both specs with a JSON success body; {only_new} only in {}; building the {} client...",
        cases.len(),
        new.version().unwrap_or("?"),
        new.version().unwrap_or("?"),
        old.version().unwrap_or("?")
    );
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--quiet", "--test", "cross", "--manifest-path"])
        .arg(&manifest_path)
        .args(["--", "--nocapture"])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("CROSS-DECODE"))
        .map(|l| l.trim_start_matches("CROSS-DECODE ").to_string());
    match (output.status.success(), summary) {
        (true, Some(s)) => {
            println!(
                "client {} decodes responses built for {}: {s}",
                old.version().unwrap_or("?"),
                new.version().unwrap_or("?")
            );
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!("{stdout}\n{stderr}");
            Ok(ExitCode::from(1))
        }
    }
}
