//! `cargo xtask bench cli`: the `pinterest` binary's start-up (whole
//! process, hyperfine-style: warm-up, then alternating runs, medians)
//! beside `curl --version` as the floor, and its release build time and
//! size beside the `organic_app` example (pinterest-examples).

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use crate::bench::{cargo_cmd as cargo, median, timed as seconds};

#[derive(clap::Args)]
pub struct CliArgs {
    /// Runs per command (the median is reported).
    #[arg(long, default_value_t = 60)]
    runs: usize,
    /// Skip the release builds (start-up only; the binary must exist).
    #[arg(long)]
    startup_only: bool,
}

/// Release build time after cleaning our crates (dependencies stay
/// built), and the binary's size.
fn release(root: &Path, build: &[&str], binary: &Path) -> Result<(f64, u64), String> {
    let mut deps = cargo(root);
    deps.args(build);
    seconds(deps)?;
    let mut clean = cargo(root);
    clean.args([
        "clean",
        "--release",
        "-p",
        "pinterest-api",
        "-p",
        "pinterest-ext",
        "-p",
        "pinterest-examples",
        "-p",
        "pinterest-cli",
    ]);
    seconds(clean)?;
    let mut cmd = cargo(root);
    cmd.args(build);
    let secs = seconds(cmd)?;
    let size = std::fs::metadata(binary)
        .map_err(|e| format!("{}: {e}", binary.display()))?
        .len();
    Ok((secs, size))
}

pub fn run(root: &Path, args: CliArgs) -> Result<ExitCode, String> {
    let release_dir = root.join("target").join("release");
    let cli = release_dir.join("pinterest");
    if !args.startup_only {
        let example = release_dir.join("examples").join("organic_app");
        let (ex_secs, ex_size) = release(root, &crate::bench::ORGANIC_APP_RELEASE, &example)?;
        // After the example: its clean would remove the CLI binary.
        let (cli_secs, cli_size) =
            release(root, &["build", "--release", "-p", "pinterest-cli"], &cli)?;
        println!("| release build (our crates, deps built) | time | binary size |");
        println!("|---|---|---|");
        println!(
            "| example organic_app (organic, ads) | {ex_secs:.1} s | {:.2} MiB |",
            ex_size as f64 / 1048576.0
        );
        println!(
            "| pinterest (CLI) | {cli_secs:.1} s | {:.2} MiB |",
            cli_size as f64 / 1048576.0
        );
        println!(
            "| ratio CLI / example | {:.2} | {:.2} |\n",
            cli_secs / ex_secs,
            cli_size as f64 / ex_size as f64
        );
    }
    if !cli.exists() {
        return Err(format!(
            "{} is missing: run without --startup-only",
            cli.display()
        ));
    }
    let commands: Vec<(&str, Vec<&str>, &Path)> = vec![
        (
            "curl --version (floor)",
            vec!["--version"],
            Path::new("curl"),
        ),
        ("pinterest --help", vec!["--help"], &cli),
        (
            "pinterest pins get --pin-id 1 --dry-run",
            vec!["pins", "get", "--pin-id", "1", "--dry-run"],
            &cli,
        ),
        (
            "pinterest ad-accounts analytics --help",
            vec!["ad-accounts", "analytics", "--help"],
            &cli,
        ),
    ];
    let make = |program: &Path, argv: &[&str]| {
        let mut cmd = Command::new(program);
        cmd.args(argv)
            .env("PINTEREST_CONFIG_DIR", root.join("target").join("bench"))
            .stdin(Stdio::null());
        cmd
    };
    for (_, argv, program) in &commands {
        for _ in 0..5 {
            seconds(make(program, argv))?; // warm the page cache
        }
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); commands.len()];
    for _ in 0..args.runs {
        for (i, (_, argv, program)) in commands.iter().enumerate() {
            samples[i].push(seconds(make(program, argv))? * 1000.0);
        }
    }
    let floor = median(samples[0].clone());
    println!(
        "| command ({} alternating runs) | median | p90 | ratio to curl --version |",
        args.runs
    );
    println!("|---|---|---|---|");
    for (i, (name, _, _)) in commands.iter().enumerate() {
        let mut xs = samples[i].clone();
        xs.sort_by(|a, b| a.total_cmp(b));
        let p90 = xs[(xs.len() * 9 / 10).min(xs.len() - 1)];
        let m = median(xs);
        println!("| `{name}` | {m:.1} ms | {p90:.1} ms | {:.2} |", m / floor);
    }
    Ok(ExitCode::SUCCESS)
}
