//! `cargo xtask`: the project's automation (rust-analyzer style).
//!
//! - `gen [--spec PATH] [--check] [--out DIR]`: generate `pinterest-api`
//! - `fetch-spec --commit SHA [--sha256 HEX]`: download a spec version and pin it
//! - `check-specs`: every spec in `../shared/spec/pinterest-v5` generates code that compiles
//! - `check-features`: each API-area feature alone, `full` and none build without warnings
//! - `check-unified`: `gen` and `cargo test --workspace` build xtask's dependencies once
//! - `diff OLD NEW [--format text|markdown|json] [--level L] [--fail-on L]`: what changed, what breaks
//! - `spec-bump-check [--base REV]`: the spec pin changed → changelog, and the crate version bump suffices
//! - `cross-decode OLD NEW`: a client generated from OLD decodes responses built for NEW
//! - `bench gen|compile|release|incremental|diff|cli`: the measurements in BENCHMARKS.md

mod bench;
mod bench_cli;
mod bench_cold;
mod bench_decode;
mod bench_diff;
mod check_features;
mod check_specs;
mod check_unified;
mod cross_decode;
mod diff_cmd;
mod fetch;
mod gen_cmd;
mod manifest;
mod pin;
mod process;
mod spec_bump;
mod spec_source;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "pinterest-rs project automation")]
struct Cli {
    /// Workspace root (defaults to the one this xtask belongs to).
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate pinterest-api from the pinned spec (or --spec PATH).
    Gen(gen_cmd::Args),
    /// Download v5/openapi.json of an upstream commit, verify it, pin it.
    FetchSpec(fetch::Args),
    /// Generate and compile the client for every spec file in a directory.
    CheckSpecs(check_specs::Args),
    /// Every feature alone, full and none build without warnings.
    CheckFeatures,
    /// `cargo xtask gen` and `cargo test --workspace` resolve the same
    /// features for xtask's dependencies (so they are built once).
    CheckUnified,
    /// A client generated from OLD decodes responses built for NEW's
    /// operations (those in both specs).
    CrossDecode(cross_decode::Args),
    /// What changed between two spec files, and what it breaks.
    Diff(diff_cmd::Args),
    /// When the spec pin changed: print the changelog, and fail if
    /// pinterest-api's version bump is smaller than the change implies.
    SpecBumpCheck(spec_bump::Args),
    /// Benchmarks for BENCHMARKS.md.
    #[command(subcommand)]
    Bench(bench::Bench),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(default_root);
    let result = match cli.command {
        Command::Gen(args) => gen_cmd::run(&root, args),
        Command::FetchSpec(args) => fetch::run(&root, args),
        Command::CheckSpecs(args) => check_specs::run(&root, args),
        Command::Bench(bench) => bench::run(&root, bench),
        Command::CheckFeatures => check_features::run(&root),
        Command::CheckUnified => check_unified::run(&root),
        Command::CrossDecode(args) => cross_decode::run(&root, args),
        Command::Diff(args) => diff_cmd::run(args),
        Command::SpecBumpCheck(args) => spec_bump::run(&root, args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root: the parent of xtask's manifest directory, as
/// `cargo run` reports it at run time (so a binary built in one checkout and
/// reused from a shared target directory works on the checkout that runs
/// it), else as it was at build time.
fn default_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}
