//! `cargo xtask gen [--spec PATH] [--check] [--out DIR]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use pinterest_gen::Spec;
use pinterest_gen::codegen::{self, Options};

use crate::pin;
use crate::spec_source;

#[derive(clap::Args)]
pub struct Args {
    /// A spec file (JSON or YAML) other than the pinned one. Its checksum
    /// is not checked against the pin.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Compare with the committed files instead of writing; exit 1 when
    /// they are stale.
    #[arg(long)]
    check: bool,
    /// Write under DIR instead of the workspace root (the files keep their
    /// paths: DIR/pinterest-api/src/generated/..., DIR/tests/generated/...).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print the time of each phase of the generation.
    #[arg(long)]
    timings: bool,
    /// Print what each normalization pass touched.
    #[arg(long, short)]
    verbose: bool,
    /// Never download the pinned spec (also: `CARGO_NET_OFFLINE`).
    #[arg(long)]
    offline: bool,
}

/// Loads the spec to generate from: `--spec`, or the pinned file (found
/// locally or downloaded unless `offline`; its version and sha256 must
/// match the pin).
pub fn load_spec(root: &Path, explicit: Option<&Path>, offline: bool) -> Result<Spec, String> {
    if let Some(path) = explicit {
        return Spec::load(path).map_err(|e| e.to_string());
    }
    let pin = pin::read(root)?;
    let path = spec_source::pinned_file(root, &pin, spec_source::offline(offline))?;
    let spec = Spec::load(&path).map_err(|e| e.to_string())?;
    if spec.sha256 != pin.sha256 {
        return Err(format!(
            "{}: sha256 is {}, but spec/pin.json pins {}; the file changed, or the pin is wrong (run `cargo xtask fetch-spec --commit {}`)",
            path.display(),
            spec.sha256,
            pin.sha256,
            pin.commit
        ));
    }
    if spec.version() != Some(pin.version.as_str()) {
        return Err(format!(
            "{}: info.version is {:?}, but spec/pin.json pins {}",
            path.display(),
            spec.version(),
            pin.version
        ));
    }
    Ok(spec)
}

pub fn run(root: &Path, args: Args) -> Result<ExitCode, String> {
    let started = Instant::now();
    let spec = load_spec(root, args.spec.as_deref(), args.offline)?;
    let generated =
        codegen::generate(&spec, &Options::pinterest_api()).map_err(|e| e.to_string())?;
    if args.verbose {
        for report in &generated.normalized.reports {
            eprint!("{report}");
        }
        let o = &generated.open;
        eprintln!(
            "open_enums: {} string enums open, {} kept closed (union members and discriminators), {} unions and {} integer enums open",
            o.string_enums.len(),
            o.closed.len(),
            o.unions.len(),
            o.integer_enums.len()
        );
        eprintln!("  closed: {}", o.closed.join(", "));
    }
    if args.timings {
        eprintln!("phases: {}", generated.timings);
        let passes = codegen::Timings {
            phases: generated
                .normalized
                .reports
                .iter()
                .map(|r| (r.pass, r.elapsed.as_secs_f64()))
                .collect(),
        };
        eprintln!("normalization passes: {passes}");
    }
    let out_dir = args.out.unwrap_or_else(|| root.to_path_buf());
    if args.check {
        let all = generated.files();
        let files: Vec<(&str, &str)> = all.iter().map(|(p, c)| (p.as_str(), *c)).collect();
        let stale = check(&out_dir, &files);
        if stale.is_empty() {
            eprintln!(
                "generated code is up to date ({} {}, {} operations)",
                spec.path.display(),
                spec.version().unwrap_or("?"),
                generated.table.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        for s in &stale {
            eprintln!("{s}");
        }
        eprintln!("generated code is stale: run `cargo xtask gen` and commit the result");
        return Ok(ExitCode::from(1));
    }
    for (path, contents) in generated.files() {
        pin::write_atomic(&out_dir.join(path), contents.as_bytes())?;
    }
    let passes: Vec<String> = generated
        .normalized
        .reports
        .iter()
        .map(|r| format!("{} {}", r.pass, r.touched.len()))
        .collect();
    eprintln!(
        "generated {} operations from {} ({}) under {} in {:.2}s; normalization: {}",
        generated.table.len(),
        spec.path.display(),
        spec.version().unwrap_or("?"),
        out_dir.display(),
        started.elapsed().as_secs_f64(),
        passes.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

/// One line per stale file: its name, lines added/removed, and the first
/// changed lines.
fn check(out_dir: &Path, files: &[(&str, &str)]) -> Vec<String> {
    let mut stale = Vec::new();
    for (name, wanted) in files {
        let path = out_dir.join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == *wanted {
            continue;
        }
        if current.is_empty() {
            stale.push(format!("{}: missing", path.display()));
            continue;
        }
        let diff = similar::TextDiff::from_lines(current.as_str(), *wanted);
        let (mut added, mut removed) = (0, 0);
        let mut sample = Vec::new();
        for change in diff.iter_all_changes() {
            let sign = match change.tag() {
                similar::ChangeTag::Insert => {
                    added += 1;
                    '+'
                }
                similar::ChangeTag::Delete => {
                    removed += 1;
                    '-'
                }
                similar::ChangeTag::Equal => continue,
            };
            if sample.len() < 8 {
                sample.push(format!("    {sign}{}", change.value().trim_end()));
            }
        }
        stale.push(format!(
            "{}: stale (+{added} -{removed} lines)\n{}",
            path.display(),
            sample.join("\n")
        ));
    }
    stale
}
