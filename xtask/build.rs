//! Empty: it exists so that the `[build-dependencies]` in Cargo.toml, which
//! align the proc-macros' `syn` features with the workspace's, are resolved.

fn main() {}
