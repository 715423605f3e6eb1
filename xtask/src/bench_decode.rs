//! `cargo xtask bench decode`: decoding a page of 250 pins
//! (`types::PinsListResponse`) with the open enums of `pinterest-api`
//! against the same generator's output with closed enums (typify's), in
//! one release binary, alternating rounds. The closed variant is generated
//! into a scratch copy of `pinterest-api` under `target/bench/decode/`.

use std::path::Path;
use std::process::{Command, ExitCode};

use pinterest_gen::codegen::{self, Options};
use serde_json::{Value, json};

use crate::{gen_cmd, pin};

const MAIN: &str = r#"//! Written by `cargo xtask bench decode`.
use std::time::Instant;

fn main() {
    let page = std::fs::read(std::env::args().nth(1).expect("page file")).expect("page");
    let per_round = 40;
    let rounds = 25;
    let time = |f: &dyn Fn()| {
        let t = Instant::now();
        for _ in 0..per_round {
            f();
        }
        t.elapsed().as_secs_f64() / per_round as f64
    };
    let open = || {
        let p: open::types::PinsListResponse = serde_json::from_slice(&page).expect("open decodes");
        assert_eq!(p.items.len(), 250);
    };
    let closed = || {
        let p: closed::types::PinsListResponse = serde_json::from_slice(&page).expect("closed decodes");
        assert_eq!(p.items.len(), 250);
    };
    time(&open);
    time(&closed);
    let mut ratios = Vec::new();
    let (mut o, mut c) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let a = time(&open);
        let b = time(&closed);
        o.push(a);
        c.push(b);
        ratios.push(a / b);
    }
    let median = |mut v: Vec<f64>| { v.sort_by(|a, b| a.total_cmp(b)); v[v.len() / 2] };
    println!("| enums | decode a page of 250 pins ({} bytes), median of {rounds} rounds |", page.len());
    println!("|---|---|");
    println!("| closed (typify) | {:.0} µs |", median(c) * 1e6);
    println!("| open (ours) | {:.0} µs |", median(o) * 1e6);
    println!("| **ratio open / closed** (median of per-round ratios) | **{:.3}** |", median(ratios));
}
"#;

pub fn run(root: &Path) -> Result<ExitCode, String> {
    let spec = gen_cmd::load_spec(root, None, false)?;
    let closed_options = Options {
        open_enums: false,
        ..Options::pinterest_api()
    };
    let generated = codegen::generate(&spec, &closed_options).map_err(|e| e.to_string())?;
    let dir = root.join("target").join("bench").join("decode");
    // A sibling, not a member: both manifests are workspace roots.
    let closed_dir = root.join("target").join("bench").join("decode-closed");
    crate::check_specs::write_crate(root, &closed_dir, "closed", &generated)?;
    // A page of 250 pins built from the spec's `Pin` schema, every field
    // filled (enums with listed values, which both variants accept).
    let builder = pinterest_gen::instances::Builder::new(&spec.doc);
    let pin_schema = json!({"$ref": "#/components/schemas/Pin"});
    let one = builder.full(&pin_schema);
    let items: Vec<Value> = (0..250)
        .map(|i| {
            let mut p = one.clone();
            if let Some(o) = p.as_object_mut() {
                o.insert("id".into(), json!(format!("81374422642079{i:04}")));
            }
            p
        })
        .collect();
    let page = serde_json::to_vec(&json!({"items": items, "bookmark": "b2"}))
        .map_err(|e| e.to_string())?;
    pin::write_atomic(&dir.join("page.json"), &page)?;
    let api = root.join("pinterest-api");
    let manifest = format!(
        r#"[package]
name = "decode-bench"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
open = {{ package = "pinterest-api", path = "{}", default-features = false, features = ["rustls", "organic"] }}
closed = {{ package = "spec-check-closed", path = "{}", default-features = false, features = ["rustls", "organic"] }}
serde_json = "1"

[workspace]
"#,
        api.display(),
        closed_dir.display()
    );
    pin::write_atomic(&dir.join("Cargo.toml"), manifest.as_bytes())?;
    if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
        pin::write_atomic(&dir.join("Cargo.lock"), &lock)?;
    }
    pin::write_atomic(&dir.join("src").join("main.rs"), MAIN.as_bytes())?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "--release", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--")
        .arg(dir.join("page.json"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
