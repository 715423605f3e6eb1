//! `cargo xtask bench cold --before REV`: the cold start of a fresh clone,
//! before and after, in one run. Each revision is cloned beside the
//! workspace (so `../shared` resolves the same way), with an empty target
//! directory (crates already downloaded), and timed for the README's main
//! command, the build of its test command, and the release build of the
//! `organic_app` example.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::process::git;

#[derive(clap::Args)]
pub struct ColdArgs {
    /// The revision to compare against (e.g. the start of the round).
    #[arg(long)]
    before: String,
    /// The revision measured as "after".
    #[arg(long, default_value = "HEAD")]
    after: String,
}

/// The release build of the `organic_app` example before it had its own
/// package: as pinterest-ext's example, built with pinterest-ext's
/// dev-dependencies.
const ORGANIC_APP_RELEASE_IN_EXT: [&str; 6] = [
    "build",
    "--release",
    "-p",
    "pinterest-ext",
    "--example",
    "organic_app",
];

/// The steps of a revision, as (label, cargo arguments). The example's
/// step is the command that builds it at that revision.
fn steps(dir: &Path) -> [(&'static str, &'static [&'static str]); 3] {
    let example: (&str, &[&str]) = if dir.join("pinterest-ext/examples/Cargo.toml").exists() {
        (
            "cargo build --release -p pinterest-examples --example organic_app",
            &crate::bench::ORGANIC_APP_RELEASE,
        )
    } else {
        (
            "cargo build --release -p pinterest-ext --example organic_app",
            &ORGANIC_APP_RELEASE_IN_EXT,
        )
    };
    [
        ("cargo xtask gen", &["xtask", "gen"]),
        (
            "cargo test --workspace --no-run",
            &["test", "--workspace", "--no-run"],
        ),
        example,
    ]
}

/// Clones `rev` beside `root` and returns the clone's path.
fn clone(root: &Path, label: &str, rev: &str) -> Result<PathBuf, String> {
    let parent = root
        .parent()
        .ok_or("the workspace has no parent directory")?;
    let dir = parent.join(format!("pinterest-cold-{label}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let sha = git(root, &["rev-parse", rev])?.trim().to_string();
    git(root, &["clone", "--quiet", ".", &dir.to_string_lossy()])?;
    git(&dir, &["checkout", "--quiet", &sha])?;
    Ok(dir)
}

fn timed(dir: &Path, args: &[&str]) -> Result<f64, String> {
    let mut cmd = crate::bench::cargo_cmd(dir);
    cmd.args(args)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_MANIFEST_DIR");
    crate::bench::timed(cmd)
}

pub fn run(root: &Path, args: ColdArgs) -> Result<ExitCode, String> {
    let revs = [
        ("before", args.before.as_str()),
        ("after", args.after.as_str()),
    ];
    let mut results: Vec<(String, Vec<f64>)> = Vec::new();
    let mut names: Vec<Vec<&str>> = Vec::new();
    for (label, rev) in revs {
        let dir = clone(root, label, rev)?;
        let short = git(&dir, &["rev-parse", "--short", "HEAD"])?
            .trim()
            .to_string();
        eprintln!("{label}: {short} in {}", dir.display());
        let mut times = Vec::new();
        let steps = steps(&dir);
        names.push(steps.iter().map(|(name, _)| *name).collect());
        for (name, step) in steps {
            let secs = timed(&dir, step)?;
            eprintln!("  {name}: {secs:.0} s");
            times.push(secs);
        }
        results.push((short, times));
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    println!(
        "| step (cold, empty target/) | before ({}) | after ({}) | ratio after / before |",
        results[0].0, results[1].0
    );
    println!("|---|---|---|---|");
    for (i, (before, after)) in names[0].iter().zip(&names[1]).enumerate() {
        let (b, a) = (results[0].1[i], results[1].1[i]);
        let name = if before == after {
            format!("`{after}`")
        } else {
            format!("`{after}` (before: `{before}`)")
        };
        println!("| {name} | {b:.0} s | {a:.0} s | {:.2} |", a / b);
    }
    let (b, a): (f64, f64) = (
        results[0].1[..2].iter().sum(),
        results[1].1[..2].iter().sum(),
    );
    println!("| gen + test build | {b:.0} s | {a:.0} s | {:.2} |", a / b);
    Ok(ExitCode::SUCCESS)
}
