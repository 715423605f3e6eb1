//! `cargo xtask diff` and `cargo xtask spec-bump-check` as CI runs them:
//! formats, levels, exit codes, unreadable input, and a spec pin moving
//! from 5.22.0 to 5.23.0 in a git repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn specs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("shared")
        .join("spec")
        .join("pinterest-v5")
}

fn spec(version: &str) -> String {
    specs()
        .join(format!("openapi-{version}.json"))
        .display()
        .to_string()
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("PINTEREST_SPEC_DIR", specs())
        .output()
        .expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn json_output_is_an_array_of_findings_and_the_bump_goes_to_stderr() {
    let out = xtask(
        &here(),
        &["diff", "--format", "json", &spec("5.22.0"), &spec("5.23.0")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let findings = findings.as_array().expect("an array");
    assert!(!findings.is_empty());
    for f in findings {
        for key in [
            "id",
            "level",
            "text",
            "operation",
            "path",
            "operation_id",
            "base_pointer",
            "revision_pointer",
            "bump",
            "implied_bump",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
    assert!(
        text(&out.stderr).contains("5.22.0 -> 5.23.0 implies a major bump"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn level_filters_and_fail_on_sets_the_exit_code() {
    let (old, new) = (spec("5.22.0"), spec("5.23.0"));
    let errors = xtask(
        &here(),
        &["diff", "--level", "ERR", "--fail-on", "ERR", &old, &new],
    );
    assert_eq!(errors.status.code(), Some(1));
    let stdout = text(&errors.stdout);
    assert!(
        stdout.starts_with("5.22.0 -> 5.23.0 implies a major bump"),
        "{stdout}"
    );
    assert!(
        stdout.contains("request-property-enum-value-removed")
            && !stdout.contains("endpoint-added"),
        "{stdout}"
    );
    // A file against itself is clean at any level.
    let same = xtask(
        &here(),
        &[
            "diff",
            "--fail-on",
            "WARN",
            "--format",
            "markdown",
            &new,
            &new,
        ],
    );
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));
    assert!(
        text(&same.stdout).contains("Implies a **patch** bump"),
        "{}",
        text(&same.stdout)
    );
}

#[test]
fn unreadable_input_exits_2_naming_the_file_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": [,]\n}").unwrap();
    let swagger = dir.path().join("swagger.yaml");
    std::fs::write(&swagger, "swagger: '2.0'\npaths: {}\n").unwrap();
    let good = spec("5.23.0");
    let cases = [
        (dir.path().join("missing.json"), "missing.json: cannot read"),
        (broken.clone(), "broken.json:3:"),
        (swagger.clone(), "Swagger 2.0"),
    ];
    for (path, expected) in cases {
        let out = xtask(&here(), &["diff", path.to_str().unwrap(), &good]);
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

/// (version, upstream commit, sha256) of the two pinned files.
const PIN_5_22: (&str, &str, &str) = (
    "5.22.0",
    "568e8a0cada00fdb7c506e0db0588782f153dcd5",
    "79f62f71f05b7deb45888043be65e9a95a9290105f9dedeef1bdec963b00ce54",
);
const PIN_5_23: (&str, &str, &str) = (
    "5.23.0",
    "c05b18971472342ebdf4bafc15fea8a91c78bf79",
    "537bde5a50b181d653840bed4fb4735d753b5be4ce98bc8192de258cee67b142",
);

fn write_state(
    dir: &Path,
    (spec_version, commit, sha256): (&str, &str, &str),
    crate_version: &str,
) {
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    std::fs::create_dir_all(dir.join("pinterest-api")).unwrap();
    std::fs::write(
        dir.join("spec/pin.json"),
        format!(
            r#"{{"version": "{spec_version}", "file": "openapi-{spec_version}.json", "commit": "{commit}", "sha256": "{sha256}"}}"#
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("pinterest-api/Cargo.toml"),
        format!("[package]\nname = \"pinterest-api\"\nversion = \"{crate_version}\"\n"),
    )
    .unwrap();
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

#[test]
fn spec_bump_check_fails_until_the_crate_version_makes_the_implied_bump() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write_state(root, PIN_5_22, "0.1.0");
    commit(root, "pin 5.22.0");
    let first = xtask(root, &["spec-bump-check"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("no earlier pin"),
        "{}",
        text(&first.stdout)
    );

    // The pin moves to 5.23.0, the crate version stays: fail, with the changelog.
    write_state(root, PIN_5_23, "0.1.0");
    commit(root, "pin 5.23.0");
    let stale = xtask(root, &["spec-bump-check"]);
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale.stderr));
    let stdout = text(&stale.stdout);
    assert!(
        stdout.contains("## Pinterest API 5.22.0 → 5.23.0"),
        "{stdout}"
    );
    assert!(
        stdout.contains("`endpoint-added` | GET /trends/topics/featured"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "implies a major bump of pinterest-api; its version went 0.1.0 -> 0.1.0 (no bump)"
        ),
        "{stdout}"
    );
    assert!(
        text(&stale.stderr).contains("version = \"0.2.0\""),
        "{}",
        text(&stale.stderr)
    );

    // A minor (0.1.x) bump is not enough for a breaking change.
    write_state(root, PIN_5_23, "0.1.1");
    commit(root, "bump 0.1.1");
    assert_eq!(xtask(root, &["spec-bump-check"]).status.code(), Some(1));

    // 0.2.0 makes the major bump, checked against the pin change commits ago.
    write_state(root, PIN_5_23, "0.2.0");
    commit(root, "bump 0.2.0");
    let ok = xtask(root, &["spec-bump-check"]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}\n{}",
        text(&ok.stdout),
        text(&ok.stderr)
    );
    assert!(
        text(&ok.stdout).contains("(a major bump)"),
        "{}",
        text(&ok.stdout)
    );
}

#[test]
fn spec_bump_check_names_a_pin_whose_file_does_not_match() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write_state(root, PIN_5_22, "0.1.0");
    commit(root, "pin 5.22.0");
    write_state(root, (PIN_5_23.0, PIN_5_23.1, "0000"), "0.2.0");
    commit(root, "bad pin");
    let out = xtask(root, &["spec-bump-check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("but the new pin says 0000"),
        "{}",
        text(&out.stderr)
    );
}
