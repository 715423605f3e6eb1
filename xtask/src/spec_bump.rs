//! `cargo xtask spec-bump-check [--base REV]`: when the spec pin changed,
//! print the changelog between the previous pinned version and the new
//! one, and fail if the bump it implies for `pinterest-api` is larger than
//! the bump made to that crate's version.
//!
//! The previous pin is `spec/pin.json` at `--base`, by default the parent
//! of the last commit that changed `spec/pin.json`; the new one is the
//! working tree's. So a run on any later commit still checks the latest
//! pin change against the crate version as it is now.

use std::path::Path;
use std::process::ExitCode;

use pinterest_gen::Spec;
use pinterest_gen::diff::report::{self, Format};
use pinterest_gen::diff::semver::{bump_made, next};
use pinterest_gen::diff::{self, Level};

use crate::manifest::package_version;
use crate::pin::{self, Pin};
use crate::process::git;

#[derive(clap::Args)]
pub struct Args {
    /// Git revision holding the previous pin (default: the parent of the
    /// last commit that changed spec/pin.json).
    #[arg(long)]
    base: Option<String>,
}

const PIN_FILE: &str = "spec/pin.json";
const API_MANIFEST: &str = "pinterest-api/Cargo.toml";

/// The revision holding the previous pin, or `None` when history has none
/// (the pin was added by the first commit, or the clone is shallow).
fn base_revision(root: &Path, explicit: Option<String>) -> Result<Option<String>, String> {
    if let Some(rev) = explicit {
        return Ok(Some(rev));
    }
    if git(root, &["rev-parse", "--git-dir"]).is_err() {
        return Ok(None);
    }
    let last = git(root, &["log", "-n", "1", "--format=%H", "--", PIN_FILE])?;
    let last = last.trim();
    if last.is_empty() {
        return Ok(None);
    }
    let parent = format!("{last}^");
    match git(root, &["rev-parse", "--verify", "--quiet", &parent]) {
        Ok(rev) => Ok(Some(rev.trim().to_string())),
        Err(_) => Ok(None),
    }
}

/// Loads the spec file a pin names and checks its checksum.
fn pinned_spec(root: &Path, pin: &Pin, which: &str) -> Result<Spec, String> {
    let path = crate::spec_source::pinned_file(root, pin, true)
        .map_err(|e| format!("{which} pin: {e}"))?;
    let spec = Spec::load(&path).map_err(|e| e.to_string())?;
    if spec.sha256 != pin.sha256 {
        return Err(format!(
            "{}: sha256 is {}, but the {which} pin says {}",
            path.display(),
            spec.sha256,
            pin.sha256
        ));
    }
    Ok(spec)
}

pub fn run(root: &Path, args: Args) -> Result<ExitCode, String> {
    let Some(base) = base_revision(root, args.base)? else {
        println!(
            "spec-bump-check: no earlier pin in the git history (or no git checkout); nothing to compare"
        );
        return Ok(ExitCode::SUCCESS);
    };
    let old_pin: Pin = match git(root, &["show", &format!("{base}:{PIN_FILE}")]) {
        Ok(text) => serde_json::from_str(&text)
            .map_err(|e| format!("{base}:{PIN_FILE}: not a valid pin: {e}"))?,
        Err(_) => {
            println!("spec-bump-check: {base} has no {PIN_FILE}; nothing to compare");
            return Ok(ExitCode::SUCCESS);
        }
    };
    let new_pin = pin::read(root)?;
    if old_pin == new_pin {
        println!(
            "spec-bump-check: spec pin unchanged since {base} ({})",
            new_pin.version
        );
        return Ok(ExitCode::SUCCESS);
    }
    let old_spec = pinned_spec(root, &old_pin, "previous")?;
    let new_spec = pinned_spec(root, &new_pin, "new")?;
    let old_doc = diff::load::from_spec(old_spec).map_err(|e| e.to_string())?;
    let new_doc = diff::load::from_spec(new_spec).map_err(|e| e.to_string())?;
    let report = diff::diff(&old_doc, &new_doc);
    print!("{}", report::render(&report, Format::Markdown, Level::Info));

    let old_manifest = git(root, &["show", &format!("{base}:{API_MANIFEST}")])?;
    let old_version = package_version(&old_manifest, &format!("{base}:{API_MANIFEST}"))?;
    let new_manifest = std::fs::read_to_string(root.join(API_MANIFEST))
        .map_err(|e| format!("{API_MANIFEST}: {e}"))?;
    let new_version = package_version(&new_manifest, API_MANIFEST)?;
    let made = bump_made(&old_version, &new_version);
    let needed = report.bump;
    println!(
        "\nspec {} -> {} implies a {needed} bump of pinterest-api; its version went {old_version} -> {new_version} ({})",
        old_pin.version,
        new_pin.version,
        made.map(|b| format!("a {b} bump"))
            .unwrap_or_else(|| "no bump".into())
    );
    if made.is_some_and(|m| m >= needed) {
        println!("spec-bump-check: ok");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "error: pinterest-api's version must make at least a {needed} bump for this spec change: set `version = \"{}\"` (or higher) in {API_MANIFEST}",
            next(&old_version, needed)
        );
        Ok(ExitCode::from(1))
    }
}
