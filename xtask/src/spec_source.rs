//! Where the pinned spec file comes from: a local directory when one holds
//! it, else a download from its pinned upstream commit, verified against
//! the pinned sha256 before anything is written, and cached for the next
//! run (and for `--offline`).

use std::path::{Path, PathBuf};

use crate::pin::{self, Pin};

/// Upstream of Pinterest's published spec files.
pub const UPSTREAM: &str = "https://raw.githubusercontent.com/pinterest/api-description";

/// Environment variable overriding [`UPSTREAM`] (a mirror, or a test server).
pub const BASE_URL_VAR: &str = "PINTEREST_SPEC_BASE_URL";

/// Environment variable naming a directory that holds spec files.
pub const SPEC_DIR_VAR: &str = "PINTEREST_SPEC_DIR";

/// The base address downloads come from: `$PINTEREST_SPEC_BASE_URL`, else
/// [`UPSTREAM`].
pub fn base_url() -> String {
    std::env::var(BASE_URL_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| UPSTREAM.to_string())
}

/// The address of `v5/openapi.json` at `commit` under `base`.
pub fn upstream_url(base: &str, commit: &str) -> String {
    format!("{}/{commit}/v5/openapi.json", base.trim_end_matches('/'))
}

/// Whether downloads are off: `--offline`, or `CARGO_NET_OFFLINE` set to
/// anything but `false`/`0`.
pub fn offline(flag: bool) -> bool {
    flag || std::env::var("CARGO_NET_OFFLINE")
        .is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// The cargo target directory of the workspace at `root`
/// (`$CARGO_TARGET_DIR` when set).
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        }
        None => root.join("target"),
    }
}

/// Where downloaded spec files are kept: `<target>/spec`.
pub fn cache_dir(root: &Path) -> PathBuf {
    target_dir(root).join("spec")
}

/// Where spec files are looked for, in order: `$PINTEREST_SPEC_DIR`, the
/// shared directory beside the checkout, and the download cache.
pub fn spec_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os(SPEC_DIR_VAR) {
        dirs.push(PathBuf::from(dir));
    }
    dirs.push(
        root.join("..")
            .join("shared")
            .join("spec")
            .join("pinterest-v5"),
    );
    dirs.push(cache_dir(root));
    dirs
}

/// The pinned spec file: found locally, or downloaded (unless `offline`)
/// and cached. A download prints one line saying what it did.
pub fn pinned_file(root: &Path, pin: &Pin, offline: bool) -> Result<PathBuf, String> {
    let dirs = spec_dirs(root);
    if let Some(found) = dirs.iter().map(|d| d.join(&pin.file)).find(|p| p.is_file()) {
        return Ok(found);
    }
    let searched = dirs
        .iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let ways = format!(
        "provide it in one of three ways: pass `--spec PATH`; set {SPEC_DIR_VAR} to a directory holding {}; or run `cargo xtask fetch-spec --commit {}` where the network is reachable",
        pin.file, pin.commit
    );
    if offline {
        return Err(format!(
            "pinned spec {} ({}) is not in {searched}, and downloading is off (--offline or CARGO_NET_OFFLINE); {ways}",
            pin.file, pin.version
        ));
    }
    let url = upstream_url(&base_url(), &pin.commit);
    let bytes = download(&url).map_err(|e| {
        format!(
            "pinned spec {} ({}) is not in {searched}, and the download failed: {e}; {ways}",
            pin.file, pin.version
        )
    })?;
    let sha256 = pinterest_gen::spec::sha256_hex(&bytes);
    if sha256 != pin.sha256 {
        return Err(format!(
            "{url}: checksum mismatch: spec/pin.json pins sha256 {}, the server sent {sha256}; nothing was written",
            pin.sha256
        ));
    }
    let dest = cache_dir(root).join(&pin.file);
    pin::write_atomic(&dest, &bytes)?;
    eprintln!(
        "downloaded {} ({}) from {url}, sha256 verified, cached at {}",
        pin.file,
        pin.version,
        dest.display()
    );
    Ok(dest)
}

/// GETs `url` (http or https) and returns the body; any status but 200 is
/// an error naming it.
pub fn download(url: &str) -> Result<Vec<u8>, String> {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(120)))
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| format!("{url}: download failed: {e}"))?;
    let status = response.status();
    if status != 200 {
        return Err(format!(
            "{url}: HTTP {}; is the commit id right?",
            status.as_u16()
        ));
    }
    response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .map_err(|e| format!("{url}: reading the body failed: {e}"))
}
