//! `cargo xtask check-unified`: `cargo xtask gen` and `cargo test
//! --workspace` resolve the same features for every crate xtask depends on,
//! so the second reuses what the first built.
//!
//! `cargo run -p xtask` resolves features from xtask's graph alone; a crate
//! that the rest of the workspace builds with more features is built a
//! second time by `cargo test --workspace`, and so is everything above it
//! (syn, typify-impl, progenitor-impl, pinterest-gen). xtask's Cargo.toml
//! lists those features; this check finds the ones that drifted, with
//! `cargo tree` (stable cargo; each package's features are printed per
//! build, host and target apart).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

use crate::process::stdout;

/// `cargo tree` lines of a selection: `name vX.Y.Z [features]`, one per
/// distinct build of a package.
fn tree(root: &Path, selection: &[&str]) -> Result<BTreeSet<String>, String> {
    let output = stdout(
        crate::bench::cargo_cmd(root)
            .arg("tree")
            .args(selection)
            .args(["--prefix", "none", "--format", "{p} [{f}]"]),
    )?;
    Ok(lines(&output))
}

/// The distinct package builds of `cargo tree` output, without the
/// `(*)` marks of repeated subtrees.
fn lines(output: &str) -> BTreeSet<String> {
    output
        .lines()
        .map(|line| line.trim_end_matches(" (*)").trim())
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// The builds of xtask's graph that the whole workspace does not build
/// with the same features.
fn drifted(xtask: &BTreeSet<String>, workspace: &BTreeSet<String>) -> Vec<String> {
    xtask.difference(workspace).cloned().collect()
}

/// Whether two `cargo tree` lines are builds of the same package (name
/// and version: syn 2 and syn 3 are different packages).
fn same_package(a: &str, b: &str) -> bool {
    a.split(' ').take(2).eq(b.split(' ').take(2))
}

pub fn run(root: &Path) -> Result<ExitCode, String> {
    let xtask = tree(root, &["-p", "xtask", "-e", "normal,build"])?;
    let workspace = tree(root, &["--workspace", "-e", "normal,build,dev"])?;
    let drifted = drifted(&xtask, &workspace);
    if drifted.is_empty() {
        println!(
            "feature unification: the {} package builds of `cargo xtask gen` are the same in `cargo test --workspace`",
            xtask.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "feature unification: {} package builds of `cargo xtask gen` have features that differ from `cargo test --workspace`, which builds them (and what depends on them) again:",
        drifted.len()
    );
    for line in &drifted {
        let in_workspace: Vec<&String> =
            workspace.iter().filter(|w| same_package(w, line)).collect();
        eprintln!("  xtask:     {line}");
        for w in in_workspace {
            eprintln!("  workspace: {w}");
        }
    }
    eprintln!(
        "add the workspace's features to xtask/Cargo.toml (its [dependencies], or [build-dependencies] for a proc-macro's dependency)"
    );
    Ok(ExitCode::FAILURE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_with_fewer_features_is_reported() {
        let xtask =
            lines("syn v3.0.10 [full,parsing]\nserde v1.0.229 [std]\nserde v1.0.229 [std] (*)\n");
        let workspace = lines("syn v3.0.10 [full,parsing,visit]\nserde v1.0.229 [std]\n");
        assert_eq!(drifted(&xtask, &workspace), ["syn v3.0.10 [full,parsing]"]);
    }

    #[test]
    fn a_package_is_its_name_and_version() {
        assert!(same_package(
            "syn v3.0.10 [full]",
            "syn v3.0.10 [full,visit]"
        ));
        assert!(!same_package("syn v2.0.119 [full]", "syn v3.0.10 [full]"));
    }

    #[test]
    fn the_same_builds_pass() {
        let tree = lines("xtask v0.1.0 (/w/xtask) []\nsyn v3.0.10 [full]\n");
        assert!(drifted(&tree, &tree).is_empty());
    }
}
