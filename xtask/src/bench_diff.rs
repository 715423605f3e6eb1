//! `cargo xtask bench diff`: wall time of `xtask diff` (release build,
//! whole process) on two spec versions, side by side with the npm package
//! `api-smart-diff` (in-process time and whole process), and how the two
//! tools' breaking findings compare.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use serde_json::Value;

use crate::diff_cmd;

/// The baseline, pinned.
const BASELINE: &str = "api-smart-diff@1.0.6";

/// Runs api-smart-diff in-process on two files and prints its timing and
/// breaking findings as JSON.
const NODE_SCRIPT: &str = r#"
const { apiCompare } = require('api-smart-diff');
const fs = require('fs');
const t0 = process.hrtime.bigint();
const a = JSON.parse(fs.readFileSync(process.argv[2]));
const b = JSON.parse(fs.readFileSync(process.argv[3]));
const { diffs } = apiCompare(a, b);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const byType = {};
for (const d of diffs) byType[d.type] = (byType[d.type] || 0) + 1;
const breaking = diffs.filter(d => d.type === 'breaking').map(d => d.path);
process.stdout.write(JSON.stringify({ ms, total: diffs.length, byType, breaking }));
"#;

#[derive(clap::Args)]
pub struct DiffArgs {
    /// Runs per tool (the median is reported).
    #[arg(long, default_value_t = 10)]
    runs: usize,
    /// Base spec (default: 5.22.0 from the shared spec directory).
    #[arg(long)]
    old: Option<PathBuf>,
    /// Revision spec (default: 5.23.0 from the shared spec directory).
    #[arg(long)]
    new: Option<PathBuf>,
    /// Only measure ours (no node/npm needed).
    #[arg(long)]
    no_baseline: bool,
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn run_timed(cmd: &mut Command) -> Result<(f64, Vec<u8>), String> {
    let started = Instant::now();
    let out = cmd
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    // `diff` exits 1 only with --fail-on; anything else non-zero is an error.
    if !out.status.success() {
        return Err(format!("{cmd:?} failed ({})", out.status));
    }
    Ok((secs, out.stdout))
}

pub fn run(root: &Path, args: DiffArgs) -> Result<ExitCode, String> {
    let specs = crate::spec_source::spec_dirs(root)
        .into_iter()
        .find(|d| d.join("openapi-5.22.0.json").is_file());
    let pick = |given: Option<PathBuf>, name: &str| -> Result<PathBuf, String> {
        given
            .or_else(|| specs.as_ref().map(|d| d.join(name)))
            .ok_or_else(|| format!("{name} not found in the spec directories; pass --old/--new"))
    };
    let old = pick(args.old, "openapi-5.22.0.json")?;
    let new = pick(args.new, "openapi-5.23.0.json")?;

    println!("building xtask (release) ...");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build --release -p xtask failed".into());
    }
    let exe = root.join("target").join("release").join("xtask");

    let baseline = if args.no_baseline {
        None
    } else {
        Some(install_baseline(root)?)
    };
    let mut ours = Vec::new();
    let mut floor = Vec::new();
    let mut self_diff = Vec::new();
    let mut theirs = Vec::new();
    let mut theirs_inproc = Vec::new();
    let mut their_report = Value::Null;
    for _ in 0..args.runs.max(1) {
        let mut cmd = Command::new(&exe);
        cmd.arg("diff")
            .arg("--format")
            .arg("json")
            .arg(&old)
            .arg(&new);
        ours.push(run_timed(&mut cmd)?.0);
        let mut cmd = Command::new(&exe);
        cmd.arg("diff").arg("--parse-only").arg(&old).arg(&new);
        floor.push(run_timed(&mut cmd)?.0);
        let mut cmd = Command::new(&exe);
        cmd.arg("diff")
            .arg("--format")
            .arg("json")
            .arg(&new)
            .arg(&new);
        self_diff.push(run_timed(&mut cmd)?.0);
        if let Some(dir) = &baseline {
            let mut cmd = Command::new("node");
            cmd.current_dir(dir).arg("asd.cjs").arg(&old).arg(&new);
            let (secs, stdout) = run_timed(&mut cmd)?;
            theirs.push(secs);
            their_report = serde_json::from_slice(&stdout)
                .map_err(|e| format!("api-smart-diff printed no JSON report: {e}"))?;
            theirs_inproc.push(their_report["ms"].as_f64().unwrap_or(f64::NAN) / 1000.0);
        }
    }
    let ours_s = median(ours);
    let floor_s = median(floor);
    let self_s = median(self_diff);
    let report = diff_cmd::diff_files(&old, &new)?;
    println!(
        "\n{} -> {}: {} findings, {}",
        old.display(),
        new.display(),
        report.findings.len(),
        pinterest_gen::diff::report::summary(&report)
    );
    println!(
        "\n| tool | wall, whole process (median of {}) |",
        args.runs.max(1)
    );
    println!("|---|---|");
    println!(
        "| `xtask diff --format json` (release) | {:.1} ms |",
        ours_s * 1000.0
    );
    println!(
        "| floor: read and parse both files into `serde_json::Value`, one after the other (`xtask diff --parse-only`) | {:.1} ms |",
        floor_s * 1000.0
    );
    println!(
        "| self-diff of the revision (`xtask diff NEW NEW`) | {:.1} ms |",
        self_s * 1000.0
    );
    println!("| **ratio diff / floor** | **{:.2}** |", ours_s / floor_s);
    println!("| ratio self-diff / floor | {:.2} |", self_s / floor_s);
    phases(&exe, &old, &new)?;
    if baseline.is_none() {
        return Ok(ExitCode::SUCCESS);
    }
    let theirs_s = median(theirs);
    let inproc = median(theirs_inproc);
    println!(
        "| `{BASELINE}` (node, whole process) | {:.0} ms |",
        theirs_s * 1000.0
    );
    println!(
        "| `{BASELINE}` (in-process `apiCompare` only) | {:.0} ms |",
        inproc * 1000.0
    );
    println!(
        "| ratio ours / api-smart-diff whole process | {:.3} |",
        ours_s / theirs_s
    );
    println!(
        "| ratio ours / api-smart-diff in-process | {:.3} |",
        ours_s / inproc
    );
    compare_findings(&report, &their_report);
    Ok(ExitCode::SUCCESS)
}

/// Prints where one in-process diff spends its time (`--timings`).
fn phases(exe: &Path, old: &Path, new: &Path) -> Result<(), String> {
    let out = Command::new(exe)
        .arg("diff")
        .arg("--timings")
        .arg("--format")
        .arg("json")
        .arg(old)
        .arg(new)
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("timings"))
        .ok_or("xtask diff --timings printed no timings")?;
    println!(
        "
phases of one run: {line}"
    );
    Ok(())
}

/// Installs the baseline under `target/bench/api-smart-diff` (once).
fn install_baseline(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target").join("bench").join("api-smart-diff");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(dir.join("asd.cjs"), NODE_SCRIPT).map_err(|e| e.to_string())?;
    if !dir.join("node_modules").join("api-smart-diff").is_dir() {
        std::fs::write(dir.join("package.json"), "{\"private\": true}\n")
            .map_err(|e| e.to_string())?;
        let status = Command::new("npm")
            .current_dir(&dir)
            .args(["install", "--no-audit", "--no-fund", "--silent", BASELINE])
            .status()
            .map_err(|e| {
                format!("cannot run npm (needed for the baseline; or pass --no-baseline): {e}")
            })?;
        if !status.success() {
            return Err(format!("npm install {BASELINE} failed"));
        }
    }
    Ok(dir)
}

/// The operations each tool calls broken, and how they overlap.
fn compare_findings(ours: &pinterest_gen::diff::DiffReport, theirs: &Value) {
    let our_ops: BTreeSet<(String, String)> = ours
        .findings
        .iter()
        .filter(|f| f.level == pinterest_gen::diff::Level::Err)
        .filter_map(|f| Some((f.operation.clone()?, f.path.clone()?)))
        .collect();
    let mut their_ops = BTreeSet::new();
    let mut their_components = 0;
    let breaking = theirs["breaking"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    for path in breaking {
        let p: Vec<&str> = path
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        match p.as_slice() {
            ["paths", url, method, ..] => {
                their_ops.insert((method.to_uppercase(), url.to_string()));
            }
            _ => their_components += 1,
        }
    }
    let by_type = &theirs["byType"];
    println!(
        "\napi-smart-diff: {} findings ({} breaking, {} unclassified, {} non-breaking, {} annotation); ours: {} findings ({} ERR)",
        theirs["total"],
        by_type["breaking"].as_u64().unwrap_or(0),
        by_type["unclassified"].as_u64().unwrap_or(0),
        by_type["non-breaking"].as_u64().unwrap_or(0),
        by_type["annotation"].as_u64().unwrap_or(0),
        ours.findings.len(),
        ours.findings
            .iter()
            .filter(|f| f.level == pinterest_gen::diff::Level::Err)
            .count()
    );
    println!(
        "operations with a breaking change: both {}, only ours {}, only api-smart-diff {} (+{} breaking findings under components/)",
        our_ops.intersection(&their_ops).count(),
        our_ops.difference(&their_ops).count(),
        their_ops.difference(&our_ops).count(),
        their_components
    );
    for (m, p) in our_ops.difference(&their_ops) {
        println!("  only ours: {m} {p}");
    }
    for (m, p) in their_ops.difference(&our_ops) {
        println!("  only api-smart-diff: {m} {p}");
    }
}
