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

/// Writes `bytes` to `path` through a uniquely named temp file in the
/// same directory (`tempfile`), synced, then renamed over `path`: a reader
/// sees the old file or the new one, and two runs never share a temp name.
/// The file keeps the permissions of the one it replaces (a new one gets
/// the usual 0644, not the temp file's 0600).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| format!("{}: cannot create a temp file: {e}", dir.display()))?;
    let permissions = match std::fs::metadata(path) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(permissions) = permissions {
        tmp.as_file()
            .set_permissions(permissions)
            .map_err(|e| format!("{}: cannot set permissions: {e}", tmp.path().display()))?;
    }
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| format!("{}: cannot write: {e}", tmp.path().display()))?;
    tmp.persist(path)
        .map_err(|e| format!("{}: cannot replace: {}", path.display(), e.error))?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

/// Elsewhere a temp file gets the platform's usual permissions already.
#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}
