//! Cargo manifest edits with `toml_edit`: the package version, and a
//! member's manifest made standalone (for the scratch crates of
//! `check-specs` and `bench`) by resolving what it inherits from the
//! workspace (`edition.workspace = true`, `dep = { workspace = true }`).

use std::path::Path;

use semver::Version;
use toml_edit::{DocumentMut, Item, Table, Value};

fn parse(text: &str, source: &str) -> Result<DocumentMut, String> {
    text.parse::<DocumentMut>()
        .map_err(|e| format!("{source}: not a valid manifest: {e}"))
}

/// `package.version` of a manifest's text.
pub fn package_version(manifest: &str, source: &str) -> Result<Version, String> {
    let doc = parse(manifest, source)?;
    let value = doc
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(Item::as_str)
        .ok_or_else(|| format!("{source}: no [package] version"))?;
    Version::parse(value).map_err(|e| format!("{source}: version {value:?} is not semver: {e}"))
}

/// Whether a dependency entry is `{ workspace = true, ... }`.
fn inherits(item: &Item) -> bool {
    let flag = |v: Option<&Item>| v.and_then(Item::as_bool) == Some(true);
    match item {
        Item::Value(Value::InlineTable(t)) => {
            t.get("workspace").and_then(Value::as_bool) == Some(true)
        }
        Item::Table(t) => flag(t.get("workspace")),
        _ => false,
    }
}

/// The workspace's entry for a dependency, merged with the member's
/// additions (`features` are added, `optional` and `default-features`
/// taken from the member); path dependencies become absolute.
fn resolve_dependency(root: &Path, workspace: &Item, member: &Item) -> Result<Item, String> {
    let mut merged = toml_edit::InlineTable::new();
    match workspace {
        Item::Value(Value::String(version)) => {
            merged.insert("version", Value::from(version.value().as_str()));
        }
        Item::Value(Value::InlineTable(t)) => {
            for (k, v) in t.iter() {
                merged.insert(k, v.clone());
            }
        }
        Item::Table(t) => {
            for (k, v) in t.iter() {
                if let Some(v) = v.as_value() {
                    merged.insert(k, v.clone());
                }
            }
        }
        other => return Err(format!("unexpected workspace dependency entry {other}")),
    }
    if let Some(path) = merged.get("path").and_then(Value::as_str) {
        let absolute = root.join(path).display().to_string();
        merged.insert("path", Value::from(absolute));
    }
    let member_keys: Vec<(String, Value)> = match member {
        Item::Value(Value::InlineTable(t)) => {
            t.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
        }
        Item::Table(t) => t
            .iter()
            .filter_map(|(k, v)| Some((k.to_string(), v.as_value()?.clone())))
            .collect(),
        _ => Vec::new(),
    };
    for (key, value) in member_keys {
        match key.as_str() {
            "workspace" => {}
            "features" => {
                let mut features = merged
                    .get("features")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for f in value.as_array().into_iter().flatten() {
                    if !features.iter().any(|g| g.as_str() == f.as_str()) {
                        features.push(f.clone());
                    }
                }
                merged.insert("features", Value::Array(features));
            }
            _ => {
                merged.insert(&key, value);
            }
        }
    }
    Ok(Item::Value(Value::InlineTable(merged)))
}

/// `member_manifest` (of a workspace member) as a standalone crate named
/// `name`: inherited package fields and dependencies resolved from the
/// workspace manifest at `root`, path dependencies absolute, `[lints]`
/// inherited from the workspace dropped, and an empty `[workspace]` so
/// Cargo does not look for an enclosing one.
pub fn standalone(root: &Path, member_manifest: &str, name: &str) -> Result<String, String> {
    let ws_text =
        std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    let ws = parse(&ws_text, "Cargo.toml")?;
    let mut doc = parse(member_manifest, "member manifest")?;
    let ws_package = ws.get("workspace").and_then(|w| w.get("package"));
    let ws_deps = ws.get("workspace").and_then(|w| w.get("dependencies"));

    let package = doc
        .get_mut("package")
        .and_then(Item::as_table_mut)
        .ok_or("member manifest: no [package] table")?;
    package.insert("name", toml_edit::value(name));
    package.insert("publish", toml_edit::value(false));
    let inherited: Vec<String> = package
        .iter()
        .filter(|(_, v)| inherits(v))
        .map(|(k, _)| k.to_string())
        .collect();
    for key in inherited {
        let value = ws_package
            .and_then(|p| p.get(&key))
            .cloned()
            .ok_or_else(|| {
                format!("[package] {key} inherits from the workspace, which has no {key}")
            })?;
        package.insert(&key, value);
    }
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let Some(table) = doc.get_mut(section).and_then(Item::as_table_like_mut) else {
            continue;
        };
        let names: Vec<String> = table
            .iter()
            .filter(|(_, v)| inherits(v))
            .map(|(k, _)| k.to_string())
            .collect();
        for dep in names {
            let from_ws = ws_deps.and_then(|d| d.get(&dep)).ok_or_else(|| {
                format!("[{section}] {dep} inherits from the workspace, which does not declare it")
            })?;
            let member = table.get(&dep).cloned().unwrap_or(Item::None);
            table.insert(&dep, resolve_dependency(root, from_ws, &member)?);
        }
    }
    doc.remove("lints");
    doc.insert("workspace", Item::Table(Table::new()));
    Ok(doc.to_string())
}

/// A manifest holding only `[package]` (named `name`) and the
/// `[dependencies]` of `standalone_manifest`.
pub fn with_dependencies_of(standalone_manifest: &str, name: &str) -> Result<String, String> {
    let source = parse(standalone_manifest, "manifest")?;
    let mut doc = DocumentMut::new();
    let mut package = Table::new();
    package.insert("name", toml_edit::value(name));
    package.insert("version", toml_edit::value("0.0.0"));
    package.insert("edition", toml_edit::value("2024"));
    package.insert("publish", toml_edit::value(false));
    doc.insert("package", Item::Table(package));
    if let Some(deps) = source.get("dependencies") {
        doc.insert("dependencies", deps.clone());
    }
    doc.insert("workspace", Item::Table(Table::new()));
    Ok(doc.to_string())
}

/// `manifest` with its library target named `lib` (so code written
/// against `pinterest_api` compiles against a renamed copy).
pub fn with_lib_name(manifest: &str, lib: &str) -> Result<String, String> {
    let mut doc = parse(manifest, "manifest")?;
    let table = doc
        .entry("lib")
        .or_insert(Item::Table(Table::new()))
        .as_table_mut()
        .ok_or("manifest: [lib] is not a table")?;
    table.insert("name", toml_edit::value(lib));
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_version_is_read_from_the_package_table() {
        let manifest = "[workspace]\n[workspace.package]\nversion = \"9.9.9\"\n[package]\nname = \"x\"\nversion = \"0.3.1-rc.1\"\n[dependencies]\nversion = \"1\"\n";
        assert_eq!(
            package_version(manifest, "m"),
            Ok(Version::parse("0.3.1-rc.1").unwrap())
        );
        let err = package_version("[package]\nname = \"x\"\n", "m").unwrap_err();
        assert!(err.contains("no [package] version"), "{err}");
        let err = package_version("[package]\nversion = \"1.2\"\n", "m").unwrap_err();
        assert!(err.contains("not semver"), "{err}");
    }

    #[test]
    fn a_member_becomes_standalone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            r#"[workspace]
members = ["api"]
[workspace.package]
edition = "2024"
license = "MIT"
[workspace.dependencies]
serde = { version = "1", features = ["derive"] }
local = { path = "local", default-features = false }
bytes = "1"
"#,
        )
        .unwrap();
        let member = r#"[package]
name = "api"
# the crate's own version
version = "0.1.0"
edition.workspace = true
license.workspace = true

[dependencies]
serde = { workspace = true, features = ["rc"] }
local = { workspace = true, optional = true }
bytes.workspace = true
regex = "1"

[lints]
workspace = true
"#;
        let out = standalone(dir.path(), member, "scratch").unwrap();
        let doc: DocumentMut = out.parse().unwrap();
        assert_eq!(doc["package"]["name"].as_str(), Some("scratch"));
        assert_eq!(doc["package"]["edition"].as_str(), Some("2024"));
        assert_eq!(doc["package"]["license"].as_str(), Some("MIT"));
        let serde = doc["dependencies"]["serde"].as_inline_table().unwrap();
        assert_eq!(serde.get("version").and_then(Value::as_str), Some("1"));
        let features: Vec<&str> = serde
            .get("features")
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(features, ["derive", "rc"]);
        let local = doc["dependencies"]["local"].as_inline_table().unwrap();
        assert_eq!(local.get("optional").and_then(Value::as_bool), Some(true));
        assert!(Path::new(local.get("path").and_then(Value::as_str).unwrap()).is_absolute());
        assert_eq!(doc["dependencies"]["bytes"]["version"].as_str(), Some("1"));
        assert_eq!(doc["dependencies"]["regex"].as_str(), Some("1"));
        assert!(doc.get("lints").is_none());
        assert!(doc["workspace"].is_table());
        assert!(
            out.contains("# the crate's own version"),
            "comments are kept:\n{out}"
        );

        let bare = with_dependencies_of(&out, "bare").unwrap();
        let doc: DocumentMut = bare.parse().unwrap();
        assert_eq!(doc["package"]["name"].as_str(), Some("bare"));
        assert!(doc["dependencies"]["serde"].is_inline_table());
        assert!(doc.get("dev-dependencies").is_none());
    }
}
