//! `cargo xtask fetch-spec --commit SHA`: downloads `v5/openapi.json` of
//! an upstream commit of `pinterest/api-description`, verifies it, saves it
//! under `target/spec/` and updates `spec/pin.json`.

use std::path::Path;
use std::process::ExitCode;

use pinterest_gen::Spec;

use crate::pin::{self, Pin};
use crate::spec_source;

#[derive(clap::Args)]
pub struct Args {
    /// Upstream commit (40 hex digits).
    #[arg(long)]
    commit: String,
    /// Expected sha256 of the file. Without it, a re-fetch of the pinned
    /// commit is checked against the pin and a new commit is trusted (its
    /// checksum is printed and pinned).
    #[arg(long)]
    sha256: Option<String>,
    /// Base URL to download from (a mirror, or a test server; default
    /// `$PINTEREST_SPEC_BASE_URL`, else GitHub's raw files).
    #[arg(long)]
    base_url: Option<String>,
}

pub fn run(root: &Path, args: Args) -> Result<ExitCode, String> {
    let commit = args.commit.trim().to_ascii_lowercase();
    if commit.len() != 40 || !commit.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!(
            "--commit {commit:?} is not a 40-digit hex commit id"
        ));
    }
    let current = pin::read(root).ok();
    let expected = args
        .sha256
        .map(|s| s.trim().to_ascii_lowercase())
        .or_else(|| {
            current
                .as_ref()
                .filter(|p| p.commit == commit)
                .map(|p| p.sha256.clone())
        });
    let base = args.base_url.unwrap_or_else(spec_source::base_url);
    let url = spec_source::upstream_url(&base, &commit);
    eprintln!("downloading {url}");
    let bytes = spec_source::download(&url)?;
    let spec =
        Spec::from_bytes(Path::new("openapi.json"), &bytes).map_err(|e| format!("{url}: {e}"))?;
    if let Some(expected) = expected.as_ref().filter(|e| **e != spec.sha256) {
        return Err(format!(
            "{url}: checksum mismatch: expected sha256 {expected}, got {}; nothing was saved and spec/pin.json is unchanged",
            spec.sha256
        ));
    }
    pinterest_gen::validate::validate(&spec)
        .map_err(|e| format!("{url}: not a usable spec: {e}"))?;
    let version = spec
        .version()
        .ok_or_else(|| format!("{url}: the spec has no info.version"))?
        .to_string();
    if !version.starts_with("5.") {
        return Err(format!("{url}: info.version {version} is not a v5 spec"));
    }
    let file = format!("openapi-{version}.json");
    let dest = spec_source::cache_dir(root).join(&file);
    pin::write_atomic(&dest, &bytes)?;
    let new_pin = Pin {
        version: version.clone(),
        file,
        commit,
        sha256: spec.sha256.clone(),
    };
    pin::write(root, &new_pin)?;
    eprintln!(
        "saved {} (version {version}, sha256 {}{}) and updated spec/pin.json",
        dest.display(),
        spec.sha256,
        if expected.is_some() {
            ", verified"
        } else {
            ", not verified: no expected checksum given"
        }
    );
    if let Some(old) = current.filter(|p| p.version != version) {
        eprintln!(
            "next: `cargo xtask diff <{}> {}` to see what changed, then `cargo xtask gen`",
            old.file,
            dest.display()
        );
    } else {
        eprintln!("next: `cargo xtask gen`");
    }
    Ok(ExitCode::SUCCESS)
}
