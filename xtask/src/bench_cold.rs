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
    /// Run only the first N steps (1: gen; 2: gen, then the test build;
    /// 3: all). Each step runs after the ones before it, as a user's would.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=3))]
    steps: u8,
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

/// The steps of a revision, as cargo arguments. The example's step is the
/// command that builds it at that revision.
fn steps(dir: &Path) -> [&'static [&'static str]; 3] {
    let example: &[&str] = if dir.join("pinterest-ext/examples/Cargo.toml").exists() {
        &crate::bench::ORGANIC_APP_RELEASE
    } else {
        &ORGANIC_APP_RELEASE_IN_EXT
    };
    [
        &["xtask", "gen"],
        &["test", "--workspace", "--no-run"],
        example,
    ]
}

/// A step as the command line it runs.
fn label(step: &[&str]) -> String {
    format!("cargo {}", step.join(" "))
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
    // Per revision: its short hash, and each step's label and seconds.
    let mut results: Vec<(String, Vec<(String, f64)>)> = Vec::new();
    for (which, rev) in revs {
        let dir = clone(root, which, rev)?;
        let short = git(&dir, &["rev-parse", "--short", "HEAD"])?
            .trim()
            .to_string();
        eprintln!("{which}: {short} in {}", dir.display());
        let mut times = Vec::new();
        for step in steps(&dir).into_iter().take(usize::from(args.steps)) {
            let secs = timed(&dir, step)?;
            eprintln!("  {}: {secs:.0} s", label(step));
            times.push((label(step), secs));
        }
        results.push((short, times));
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    println!(
        "| step (cold, empty target/) | before ({}) | after ({}) | ratio after / before |",
        results[0].0, results[1].0
    );
    println!("|---|---|---|---|");
    for ((before, b), (after, a)) in results[0].1.iter().zip(&results[1].1) {
        let name = if before == after {
            format!("`{after}`")
        } else {
            format!("`{after}` (before: `{before}`)")
        };
        println!("| {name} | {b:.0} s | {a:.0} s | {:.2} |", a / b);
    }
    if args.steps < 2 {
        return Ok(ExitCode::SUCCESS);
    }
    let (b, a): (f64, f64) = (
        results[0].1[..2].iter().map(|(_, secs)| secs).sum(),
        results[1].1[..2].iter().map(|(_, secs)| secs).sum(),
    );
    println!("| gen + test build | {b:.0} s | {a:.0} s | {:.2} |", a / b);
    Ok(ExitCode::SUCCESS)
}
