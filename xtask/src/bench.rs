//! `cargo xtask bench ...`: measurements reported in BENCHMARKS.md, each
//! taken side by side with its baseline in one run.
//!
//! - `bench gen`: wall time of `xtask gen` (whole process) vs a baseline
//!   command (openapi-generator's Rust generator).
//! - `bench compile`: debug build time of the generated crate in several
//!   shapes (progenitor's raw builder output, positional, ours, features).
//! - `bench diff`: `xtask diff` vs api-smart-diff (see `bench_diff`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use pinterest_gen::codegen::{self, Interface, Options};

use crate::gen_cmd;
use crate::pin;

#[derive(clap::Subcommand)]
pub enum Bench {
    /// Wall time of `xtask gen` vs a baseline generator command.
    Gen(GenArgs),
    /// Debug build time of the generated crate, by variant.
    Compile(CompileArgs),
    /// Release build time and size of an app binary, `organic` vs `full`.
    Release,
    /// Rebuild after touching a pinterest-ext file: pinterest-api is not rebuilt.
    Incremental,
    /// `xtask diff` (release, whole process) vs api-smart-diff on 5.22.0 -> 5.23.0.
    Diff(crate::bench_diff::DiffArgs),
    /// The `pinterest` CLI: start-up vs `curl --version`, release build
    /// time and size vs pinterest-ext's example app.
    Cli(crate::bench_cli::CliArgs),
    /// A fresh clone's cold build, before and after, in one run.
    Cold(crate::bench_cold::ColdArgs),
    /// Decoding 250 pins: open enums vs the same output with closed ones.
    Decode,
}

#[derive(clap::Args)]
pub struct GenArgs {
    /// Runs per command (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Baseline command; `{spec}` and `{out}` are replaced. Example:
    /// "openapi-generator-cli generate -g rust -i {spec} -o {out} --skip-validate-spec"
    #[arg(long)]
    baseline: Option<String>,
}

#[derive(clap::Args)]
pub struct CompileArgs {
    /// Builds per variant (the median is reported).
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// Variants to measure (default: all). `raw-builder` is progenitor's
    /// builder output with only the obstacle passes (the baseline);
    /// `positional` and `builder-no-struct-builders` isolate the interface
    /// choice; `pinterest-api` is the committed crate with default features;
    /// `feature:NAME` is the committed crate with only that feature.
    #[arg(long, value_delimiter = ',')]
    variants: Vec<String>,
}

pub fn run(root: &Path, bench: Bench) -> Result<ExitCode, String> {
    match bench {
        Bench::Gen(args) => bench_gen(root, args),
        Bench::Compile(args) => bench_compile(root, args),
        Bench::Release => bench_release(root),
        Bench::Incremental => bench_incremental(root),
        Bench::Diff(args) => crate::bench_diff::run(root, args),
        Bench::Cli(args) => crate::bench_cli::run(root, args),
        Bench::Cold(args) => crate::bench_cold::run(root, args),
        Bench::Decode => crate::bench_decode::run(root),
    }
}

/// The median (upper middle for an even count).
pub(crate) fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// Runs `cmd` without output; its wall time in seconds, or why it failed.
pub(crate) fn timed(mut cmd: Command) -> Result<f64, String> {
    let started = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("{cmd:?} failed ({status})"));
    }
    Ok(secs)
}

fn bench_gen(root: &Path, args: GenArgs) -> Result<ExitCode, String> {
    let spec = gen_cmd::load_spec(root, None, false)?;
    let scratch = root.join("target").join("bench").join("gen");
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let options = Options::pinterest_api();
    // The floor's input: the document `generate` hands to progenitor.
    let normalized = codegen::generate(&spec, &options)
        .map_err(|e| e.to_string())?
        .normalized;
    let normalized_json = serde_json::to_string(&normalized.doc).map_err(|e| e.to_string())?;
    let mut ours = Vec::new();
    let mut ours_in = Vec::new();
    let mut floor = Vec::new();
    let mut base = Vec::new();
    for i in 0..args.runs.max(1) {
        let out = scratch.join(format!("ours-{i}"));
        let mut cmd = Command::new(&exe);
        cmd.arg("--root")
            .arg(root)
            .arg("gen")
            .arg("--out")
            .arg(&out);
        ours.push(timed(cmd)?);
        let started = Instant::now();
        let loaded = pinterest_gen::Spec::load(&spec.path).map_err(|e| e.to_string())?;
        codegen::generate(&loaded, &options).map_err(|e| e.to_string())?;
        ours_in.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        codegen::progenitor_alone(&spec.path, &normalized_json, &normalized, &options)
            .map_err(|e| e.to_string())?;
        floor.push(started.elapsed().as_secs_f64());
        if let Some(template) = &args.baseline {
            let out = scratch.join(format!("baseline-{i}"));
            let line = template
                .replace("{spec}", &spec.path.display().to_string())
                .replace("{out}", &out.display().to_string());
            let mut cmd = Command::new("sh");
            cmd.arg("-c").arg(line);
            base.push(timed(cmd)?);
        }
    }
    let (ours, ours_in, floor) = (median(ours), median(ours_in), median(floor));
    println!("| measured | median of {} |", args.runs.max(1));
    println!("|---|---|");
    println!(
        "| floor: progenitor alone on the normalized spec (parse, generate, format; in-process) | {floor:.2} s |"
    );
    println!(
        "| `generate` (load, normalize, progenitor, post-process, mocks, tables; in-process) | {ours_in:.2} s |"
    );
    println!("| **ratio ours / floor** | **{:.2}** |", ours_in / floor);
    println!("| `cargo xtask gen` (whole process, writes the files) | {ours:.2} s |");
    if !base.is_empty() {
        let base = median(base);
        println!(
            "| baseline: `{}` | {base:.2} s |",
            args.baseline.unwrap_or_default()
        );
        println!(
            "| **ratio `cargo xtask gen` / baseline** | **{:.2}** |",
            ours / base
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A crate to build for one variant: a manifest path and a package name.
struct Variant {
    label: String,
    manifest: PathBuf,
    package: String,
    features: Option<String>,
}

fn bench_compile(root: &Path, args: CompileArgs) -> Result<ExitCode, String> {
    let all = [
        "raw-builder",
        "positional",
        "builder-no-struct-builders",
        "pinterest-api",
    ];
    let wanted: Vec<String> = if args.variants.is_empty() {
        all.iter().map(|s| s.to_string()).collect()
    } else {
        args.variants.clone()
    };
    let spec = gen_cmd::load_spec(root, None, false)?;
    let mut variants = Vec::new();
    for name in &wanted {
        let options = match name.as_str() {
            "raw-builder" => Some(Options::baseline()),
            "positional" => Some(Options {
                interface: Interface::Positional,
                struct_builders: false,
                ..Options::baseline()
            }),
            "builder-no-struct-builders" => Some(Options {
                struct_builders: false,
                ..Options::baseline()
            }),
            _ => None,
        };
        match (options, name.strip_prefix("feature:")) {
            (Some(options), _) => {
                let generated = codegen::generate(&spec, &options).map_err(|e| e.to_string())?;
                let dir = root.join("target").join("bench").join("compile").join(name);
                let package = format!("bench-{name}");
                write_bare_crate(root, &dir, &package, &generated.client)?;
                variants.push(Variant {
                    label: name.clone(),
                    manifest: dir.join("Cargo.toml"),
                    package,
                    features: None,
                });
            }
            (None, feature) => variants.push(Variant {
                label: name.clone(),
                manifest: root.join("Cargo.toml"),
                package: "pinterest-api".into(),
                features: feature.map(str::to_string),
            }),
        }
    }
    // Build every variant once so dependencies are compiled before timing.
    for v in &variants {
        cargo_build(root, v)?;
    }
    let mut rows = Vec::new();
    for v in &variants {
        let mut times = Vec::new();
        for _ in 0..args.runs.max(1) {
            clean(root, v)?;
            times.push(cargo_build(root, v)?);
        }
        rows.push((v.label.clone(), median(times)));
    }
    let base = rows
        .iter()
        .find(|(l, _)| l == "raw-builder")
        .map(|(_, t)| *t);
    println!("| variant | debug build | ratio to raw-builder |");
    println!("|---|---|---|");
    for (label, t) in &rows {
        let ratio = base
            .map(|b| format!("{:.2}", t / b))
            .unwrap_or_else(|| "-".into());
        println!("| {label} | {t:.1} s | {ratio} |");
    }
    Ok(ExitCode::SUCCESS)
}

fn cargo(root: &Path, v: &Variant, sub: &str) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.arg(sub)
        .arg("--manifest-path")
        .arg(&v.manifest)
        .arg("-p")
        .arg(&v.package)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("CARGO_INCREMENTAL", "0");
    cmd
}

fn clean(root: &Path, v: &Variant) -> Result<(), String> {
    timed(cargo(root, v, "clean")).map(drop)
}

fn cargo_build(root: &Path, v: &Variant) -> Result<f64, String> {
    let mut cmd = cargo(root, v, "build");
    if let Some(feature) = &v.features {
        cmd.arg("--no-default-features")
            .arg("--features")
            .arg(feature);
    }
    timed(cmd)
}

/// A crate holding only the generated client (plus the query encoders it
/// calls), with pinterest-api's dependencies.
fn write_bare_crate(root: &Path, dir: &Path, package: &str, client: &str) -> Result<(), String> {
    let manifest = std::fs::read_to_string(root.join("pinterest-api").join("Cargo.toml"))
        .map_err(|e| format!("pinterest-api/Cargo.toml: {e}"))?;
    let manifest = crate::manifest::standalone(root, &manifest, package)?;
    let manifest = crate::manifest::with_dependencies_of(&manifest, package)?;
    pin::write_atomic(&dir.join("Cargo.toml"), manifest.as_bytes())?;
    if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
        pin::write_atomic(&dir.join("Cargo.lock"), &lock)?;
    }
    let query = std::fs::read(root.join("pinterest-api").join("src").join("query.rs"))
        .map_err(|e| format!("pinterest-api/src/query.rs: {e}"))?;
    pin::write_atomic(&dir.join("src").join("query.rs"), &query)?;
    pin::write_atomic(&dir.join("src").join("client.rs"), client.as_bytes())?;
    let lib = "#[allow(dead_code)]\npub mod query;\nmod client;\npub use client::*;\n";
    pin::write_atomic(&dir.join("src").join("lib.rs"), lib.as_bytes())
}

/// `cargo build --release` of the `organic_app` example (package
/// `pinterest-examples`, default features), the app binary the release
/// figures are measured on.
pub(crate) const ORGANIC_APP_RELEASE: [&str; 6] = [
    "build",
    "--release",
    "-p",
    "pinterest-examples",
    "--example",
    "organic_app",
];

/// `cargo` in `root`, without incremental compilation (cold builds).
pub(crate) fn cargo_cmd(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root).env("CARGO_INCREMENTAL", "0");
    cmd
}

fn bench_release(root: &Path) -> Result<ExitCode, String> {
    let build = |app_features: &[&str]| {
        let mut cmd = cargo_cmd(root);
        cmd.args(ORGANIC_APP_RELEASE).args(app_features);
        cmd
    };
    let clean = || {
        let mut cmd = cargo_cmd(root);
        cmd.args([
            "clean",
            "--release",
            "-p",
            "pinterest-api",
            "-p",
            "pinterest-ext",
            "-p",
            "pinterest-examples",
        ]);
        cmd
    };
    let binary = root
        .join("target")
        .join("release")
        .join("examples")
        .join("organic_app");
    let api_only = |features: &str| {
        let mut cmd = cargo_cmd(root);
        cmd.args([
            "build",
            "--release",
            "-p",
            "pinterest-api",
            "--no-default-features",
            "--features",
        ])
        .arg(features);
        cmd
    };
    println!(
        "| features | release build: pinterest-api alone | pinterest-api + pinterest-ext + app | binary size |"
    );
    println!("|---|---|---|---|");
    let mut rows = Vec::new();
    // pinterest-api's features, and the same as pinterest-examples takes
    // them: `organic` alone is the package without its default `ads`.
    let variants: [(&str, &[&str]); 2] = [
        ("rustls,organic", &["--no-default-features"]),
        ("rustls,full", &["--features", "pinterest-ext/full"]),
    ];
    for (features, app_features) in variants {
        // Dependencies, in both feature resolutions (the crate alone
        // resolves its dependencies' features apart from the app).
        timed(build(app_features))?;
        timed(api_only(features))?;
        timed(clean())?;
        let api = timed(api_only(features))?;
        timed(clean())?;
        let secs = timed(build(app_features))?;
        let size = std::fs::metadata(&binary)
            .map_err(|e| format!("{}: {e}", binary.display()))?
            .len();
        println!(
            "| {features} | {api:.1} s | {secs:.1} s | {:.2} MiB |",
            size as f64 / 1048576.0
        );
        rows.push((api, secs, size));
    }
    println!(
        "| ratio organic / full | {:.2} | {:.2} | {:.2} |",
        rows[0].0 / rows[1].0,
        rows[0].1 / rows[1].1,
        rows[0].2 as f64 / rows[1].2 as f64
    );
    Ok(ExitCode::SUCCESS)
}

fn bench_incremental(root: &Path) -> Result<ExitCode, String> {
    let build = || {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.current_dir(root).args(["build", "-p", "pinterest-ext"]);
        cmd
    };
    timed(build())?;
    let touched = root.join("pinterest-ext").join("src").join("retry.rs");
    let text = std::fs::read(&touched).map_err(|e| e.to_string())?;
    std::fs::write(&touched, &text).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let output = build().output().map_err(|e| e.to_string())?;
    let secs = started.elapsed().as_secs_f64();
    let log = String::from_utf8_lossy(&output.stderr);
    let recompiled: Vec<&str> = log
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling"))
        .collect();
    println!("| after touching pinterest-ext/src/retry.rs | rebuild | crates recompiled |");
    println!("|---|---|---|");
    println!(
        "| `cargo build -p pinterest-ext` | {secs:.1} s | {} |",
        recompiled.join(", ")
    );
    if recompiled.iter().any(|l| l.contains("pinterest-api")) {
        return Err("pinterest-api was rebuilt after touching only pinterest-ext".into());
    }
    Ok(ExitCode::SUCCESS)
}
