//! `cargo xtask check-features`: every API-area feature alone, `full`, and
//! no features, for pinterest-api and pinterest-ext (with and without the
//! test kit), must build with zero warnings.
//!
//! Runs `cargo check` (not `RUSTFLAGS=-D warnings`, which would rebuild
//! every dependency) and fails on any warning in the output.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

/// The API-area features (kept in step with pinterest-gen's table; a
/// test checks pinterest-api's Cargo.toml against it).
fn areas() -> Vec<&'static str> {
    pinterest_gen::features::all()
}

pub fn run(root: &Path) -> Result<ExitCode, String> {
    let mut runs: Vec<(&str, String)> = vec![
        ("pinterest-api", "rustls".into()),
        ("pinterest-api", "rustls,full".into()),
    ];
    for area in areas() {
        runs.push(("pinterest-ext", format!("rustls,{area}")));
    }
    runs.push(("pinterest-ext", "rustls".into()));
    runs.push(("pinterest-ext", "rustls,testing".into()));
    runs.push(("pinterest-ext", "rustls,organic,testing".into()));
    runs.push(("pinterest-api", "mock".into()));
    let mut failed = 0;
    for (package, features) in &runs {
        let started = Instant::now();
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .args([
                "check",
                "-p",
                package,
                "--no-default-features",
                "--features",
                features,
            ])
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("warning") || l.starts_with("error"))
            .collect();
        let secs = started.elapsed().as_secs_f64();
        if output.status.success() && warnings.is_empty() {
            eprintln!("ok   {package} --features {features} ({secs:.1}s)");
        } else {
            failed += 1;
            eprintln!("FAIL {package} --features {features}:\n{stderr}");
        }
    }
    if failed == 0 {
        eprintln!("all {} feature sets build without warnings", runs.len());
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(1))
    }
}
