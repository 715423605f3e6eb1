//! `cargo xtask check-specs [DIR]`: for every spec file (JSON and YAML) in
//! DIR, generate the client and `cargo check` it, in a scratch copy of
//! `pinterest-api` under `target/spec-check/` that shares the workspace's
//! target directory and lock file (so dependencies build once).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use pinterest_gen::Spec;
use pinterest_gen::codegen::{self, Options};

use crate::pin;

#[derive(clap::Args)]
pub struct Args {
    /// Directory of spec files (default: ../shared/spec/pinterest-v5).
    dir: Option<PathBuf>,
    /// Only generate; do not compile.
    #[arg(long)]
    no_compile: bool,
}

pub fn run(root: &Path, args: Args) -> Result<ExitCode, String> {
    let dir = args.dir.unwrap_or_else(|| {
        root.join("..")
            .join("shared")
            .join("spec")
            .join("pinterest-v5")
    });
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: cannot list: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no spec files", dir.display()));
    }
    let mut failed = Vec::new();
    for file in &files {
        let started = Instant::now();
        let outcome = check_one(root, file, !args.no_compile);
        let secs = started.elapsed().as_secs_f64();
        match outcome {
            Ok(summary) => eprintln!("ok   {} ({summary}, {secs:.1}s)", file.display()),
            Err(e) => {
                eprintln!("FAIL {}: {e}", file.display());
                failed.push(file.clone());
            }
        }
    }
    if failed.is_empty() {
        eprintln!("all {} spec files generate code that compiles", files.len());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{} of {} spec files failed", failed.len(), files.len());
        Ok(ExitCode::from(1))
    }
}

fn check_one(root: &Path, file: &Path, compile: bool) -> Result<String, String> {
    let spec = Spec::load(file).map_err(|e| e.to_string())?;
    let generated =
        codegen::generate(&spec, &Options::pinterest_api()).map_err(|e| e.to_string())?;
    let summary = format!(
        "{} {}, {} operations",
        spec.version().unwrap_or("?"),
        file.extension().and_then(|e| e.to_str()).unwrap_or(""),
        generated.table.len()
    );
    if !compile {
        return Ok(summary);
    }
    let stem = file
        .file_name()
        .map(|n| n.to_string_lossy().replace(['.', '-'], "_"))
        .unwrap_or_default();
    let krate = root.join("target").join("spec-check").join(&stem);
    write_crate(root, &krate, &stem, &generated)?;
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .arg("check")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("error"))
            .take(10)
            .collect();
        return Err(format!("does not compile:\n  {}", errors.join("\n  ")));
    }
    let warnings = stderr.lines().filter(|l| l.starts_with("warning")).count();
    if warnings > 0 {
        return Err(format!("compiles with {warnings} warning(s):\n{stderr}"));
    }
    Ok(summary)
}

/// A copy of `pinterest-api` (manifest, lock file, hand-written sources)
/// with `generated` replaced.
pub(crate) fn write_crate(
    root: &Path,
    krate: &Path,
    stem: &str,
    generated: &codegen::Generated,
) -> Result<(), String> {
    let api = root.join("pinterest-api");
    let manifest = std::fs::read_to_string(api.join("Cargo.toml"))
        .map_err(|e| format!("pinterest-api/Cargo.toml: {e}"))?;
    let name = format!("spec-check-{}", stem.replace('_', "-"));
    let manifest = crate::manifest::standalone(root, &manifest, &name)?;
    pin::write_atomic(&krate.join("Cargo.toml"), manifest.as_bytes())?;
    if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
        pin::write_atomic(&krate.join("Cargo.lock"), &lock)?;
    }
    copy_sources(&api.join("src"), &krate.join("src"))?;
    for (name, contents) in generated.client_files() {
        pin::write_atomic(
            &krate.join("src").join("generated").join(name),
            contents.as_bytes(),
        )?;
    }
    Ok(())
}

pub(crate) fn copy_sources(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "generated") {
                copy_sources(&path, &to.join(entry.file_name()))?;
            }
        } else {
            std::fs::copy(&path, to.join(entry.file_name()))
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}
