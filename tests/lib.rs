//! Helpers shared by the workspace-level tests.

use std::path::PathBuf;

/// Directory of Pinterest's published spec files (read in place).
pub fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("shared")
        .join("spec")
        .join("pinterest-v5")
}

/// A spec file parsed with serde_json alone (independently of pinterest-gen).
pub fn spec_json(file: &str) -> serde_json::Value {
    let path = spec_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
