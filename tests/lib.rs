//! Helpers shared by the workspace-level tests.

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where spec files are looked for, as `cargo xtask gen` does:
/// `$PINTEREST_SPEC_DIR`, `../shared/spec/pinterest-v5` beside the
/// checkout, and the download cache `<target>/spec`.
pub fn spec_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("PINTEREST_SPEC_DIR") {
        dirs.push(PathBuf::from(dir));
    }
    dirs.push(
        root()
            .join("..")
            .join("shared")
            .join("spec")
            .join("pinterest-v5"),
    );
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root().join(t) })
        .unwrap_or_else(|| root().join("target"));
    dirs.push(target.join("spec"));
    dirs
}

/// The path of a spec file, found in [`spec_dirs`].
pub fn spec_path(file: &str) -> PathBuf {
    let dirs = spec_dirs();
    dirs.iter().map(|d| d.join(file)).find(|p| p.is_file()).unwrap_or_else(|| {
        panic!(
            "spec file {file} not found in {dirs:?}; run `cargo xtask gen` once (it downloads the pinned spec), or set PINTEREST_SPEC_DIR"
        )
    })
}

/// The file name of the pinned spec (`spec/pin.json`).
pub fn pinned_file() -> String {
    let pin: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("spec/pin.json")).expect("spec/pin.json"),
    )
    .expect("a pin");
    pin["file"].as_str().expect("pin.file").to_string()
}

/// A spec file parsed with serde_json alone (independently of pinterest-gen).
pub fn spec_json(file: &str) -> serde_json::Value {
    let path = spec_path(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
