//! `spec/pin.json`: the spec version the committed client is built from.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The pin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    /// `info.version` of the spec.
    pub version: String,
    /// File name of the spec (looked up in the spec directories).
    pub file: String,
    /// Upstream commit of `pinterest/api-description`.
    pub commit: String,
    /// sha256 of the file.
    pub sha256: String,
}

/// Path of the pin file under `root`.
pub fn path(root: &Path) -> PathBuf {
    root.join("spec").join("pin.json")
}

/// Reads the pin.
pub fn read(root: &Path) -> Result<Pin, String> {
    let p = path(root);
    let text =
        std::fs::read_to_string(&p).map_err(|e| format!("{}: cannot read: {e}", p.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: not a valid pin: {e}", p.display()))
}

/// Writes the pin (atomically: temp file, then rename).
pub fn write(root: &Path, pin: &Pin) -> Result<(), String> {
    let p = path(root);
    let text = serde_json::to_string_pretty(pin).map_err(|e| e.to_string())? + "\n";
    write_atomic(&p, text.as_bytes())
}

/// Writes `bytes` to `path` through a temp file in the same directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, bytes).map_err(|e| format!("{}: cannot write: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: cannot replace: {e}", path.display()))
}

/// Where spec files are looked for, in order: `$PINTEREST_SPEC_DIR`, the
/// shared directory beside the checkout, and `target/spec` (where
/// `fetch-spec` saves downloads).
pub fn spec_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("PINTEREST_SPEC_DIR") {
        dirs.push(PathBuf::from(dir));
    }
    dirs.push(
        root.join("..")
            .join("shared")
            .join("spec")
            .join("pinterest-v5"),
    );
    dirs.push(root.join("target").join("spec"));
    dirs
}

/// Finds the pinned spec file.
pub fn find_pinned(root: &Path, pin: &Pin) -> Result<PathBuf, String> {
    let dirs = spec_dirs(root);
    dirs.iter()
        .map(|d| d.join(&pin.file))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "pinned spec {} ({}) not found in {}; run `cargo xtask fetch-spec --commit {}` or pass --spec PATH",
                pin.file,
                pin.version,
                dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", "),
                pin.commit
            )
        })
}
