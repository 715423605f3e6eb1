//! Loading a document for the diff: JSON or YAML, with `$ref`s to other
//! files (relative to the referring file) pulled into the document.
//!
//! Each referenced file is placed once under
//! `/x-external-files/<file path relative to the root document>` and the
//! references are rewritten to local ones (`#/x-external-files/...`), so
//! the comparison follows them like any other `$ref` (cycles included) and
//! findings inside them carry pointers that name the file.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::error::{GenError, SpecError};
use crate::pointer;
use crate::spec::Spec;

/// The key under which external files are placed.
pub const EXTERNAL_KEY: &str = "x-external-files";

/// Reads `path` and every file it references.
///
/// ```no_run
/// let doc = pinterest_gen::diff::load::load("../shared/spec/pinterest-v5/openapi-5.23.0.json".as_ref())?;
/// assert_eq!(doc["info"]["version"], "5.23.0");
/// # Ok::<(), pinterest_gen::GenError>(())
/// ```
pub fn load(path: &Path) -> Result<Value, GenError> {
    load_timed(path).map(|(doc, _)| doc)
}

/// Where loading spent its time.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadTimings {
    /// Reading the file.
    pub read: Duration,
    /// Parsing it into a `serde_json::Value`.
    pub parse: Duration,
    /// Making it the diff's document: the files it references pulled in.
    pub convert: Duration,
}

/// [`load`], also saying where the time went.
pub fn load_timed(path: &Path) -> Result<(Value, LoadTimings), GenError> {
    let started = Instant::now();
    let bytes = std::fs::read(path).map_err(|e| GenError::io(path, "cannot read", e))?;
    let read = started.elapsed();
    let doc = crate::spec::parse_document(path, &bytes)?;
    let parse = started.elapsed() - read;
    let doc = resolve_files(path, doc)?;
    let convert = started.elapsed() - read - parse;
    Ok((
        doc,
        LoadTimings {
            read,
            parse,
            convert,
        },
    ))
}

/// [`load`] for a spec already read (by [`Spec::load`], e.g. to check its
/// checksum first): pulls in the files it references.
pub fn from_spec(root: Spec) -> Result<Value, GenError> {
    resolve_files(&root.path, root.doc)
}

/// Whether `value` holds a `$ref` to another file (most documents hold
/// none: then they are used as they are).
fn has_file_refs(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| match (k.as_str(), v) {
            ("$ref", Value::String(r)) => !r.starts_with('#'),
            _ => has_file_refs(v),
        }),
        Value::Array(items) => items.iter().any(has_file_refs),
        _ => false,
    }
}

/// Pulls the files `doc` (read from `path`) references into it.
fn resolve_files(path: &Path, mut doc: Value) -> Result<Value, GenError> {
    if !has_file_refs(&doc) {
        return Ok(doc);
    }
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut loader = Loader {
        root_dir: base_dir,
        files: BTreeMap::new(),
        pending: Vec::new(),
    };
    loader.rewrite(&mut doc, path, "", "")?;
    // Files may reference further files; load until none is new.
    let mut externals = serde_json::Map::new();
    while let Some((key, file)) = loader.pending.pop() {
        let mut external = Spec::load(&file)?.doc;
        let prefix = format!("/{EXTERNAL_KEY}/{}", pointer::escape(&key));
        loader.rewrite(&mut external, &file, &prefix, "")?;
        externals.insert(key, external);
    }
    if !externals.is_empty() {
        match doc.as_object_mut() {
            Some(map) => {
                map.insert(EXTERNAL_KEY.to_string(), Value::Object(externals));
            }
            None => {
                return Err(
                    SpecError::new(path, "", "the document is not a JSON/YAML object").into(),
                );
            }
        }
    }
    Ok(doc)
}

struct Loader {
    root_dir: PathBuf,
    /// Normalized file path → key under [`EXTERNAL_KEY`].
    files: BTreeMap<PathBuf, String>,
    /// Files seen but not loaded yet.
    pending: Vec<(String, PathBuf)>,
}

impl Loader {
    /// Rewrites the references in `value` (part of the file `file`, placed
    /// at `prefix` in the root document): local ones get the prefix,
    /// external ones point at the file's place.
    fn rewrite(
        &mut self,
        value: &mut Value,
        file: &Path,
        prefix: &str,
        at: &str,
    ) -> Result<(), GenError> {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get_mut("$ref") {
                    let (target, fragment) = match reference.split_once('#') {
                        Some((t, f)) => (t.to_string(), f.to_string()),
                        None => (reference.clone(), String::new()),
                    };
                    if target.is_empty() {
                        *reference = format!("#{prefix}{fragment}");
                    } else if target.contains("://") {
                        return Err(SpecError::new(
                            file,
                            format!("{at}/$ref"),
                            format!("remote reference {reference:?} is not supported; download it and refer to the local file"),
                        )
                        .into());
                    } else {
                        let key = self.file_key(file, &target, at)?;
                        *reference =
                            format!("#/{EXTERNAL_KEY}/{}{fragment}", pointer::escape(&key));
                    }
                }
                for (k, v) in map.iter_mut() {
                    if k != "$ref" {
                        self.rewrite(v, file, prefix, &format!("{at}/{}", pointer::escape(k)))?;
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter_mut().enumerate() {
                    self.rewrite(v, file, prefix, &format!("{at}/{i}"))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn file_key(&mut self, from: &Path, target: &str, at: &str) -> Result<String, GenError> {
        let dir = from.parent().unwrap_or(Path::new(""));
        let full = normalize(&dir.join(target));
        if let Some(key) = self.files.get(&full) {
            return Ok(key.clone());
        }
        if !full.is_file() {
            return Err(SpecError::new(
                from,
                format!("{at}/$ref"),
                format!("referenced file {} does not exist", full.display()),
            )
            .into());
        }
        let key = full
            .strip_prefix(&self.root_dir)
            .unwrap_or(&full)
            .to_string_lossy()
            .replace('\\', "/");
        self.files.insert(full.clone(), key.clone());
        self.pending.push((key.clone(), full));
        Ok(key)
    }
}

/// Removes `.` and resolves `..` lexically, so one file gets one key.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn relative_file_refs_are_pulled_in_and_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "api.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pins:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'schemas/pin.yaml#/Pin'}\n",
        );
        write(
            dir.path(),
            "schemas/pin.yaml",
            "Pin:\n  type: object\n  properties:\n    board: {$ref: './board.yaml'}\n    parent: {$ref: '#/Pin'}\n",
        );
        write(
            dir.path(),
            "schemas/board.yaml",
            "type: object\nproperties:\n  id: {type: string}\n",
        );
        let doc = load(&dir.path().join("api.yaml")).unwrap();
        let schema = &doc["paths"]["/pins"]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"];
        assert_eq!(schema["$ref"], "#/x-external-files/schemas~1pin.yaml/Pin");
        let pin = pointer::resolve(&doc, schema["$ref"].as_str().unwrap()).unwrap();
        assert_eq!(
            pin["properties"]["parent"]["$ref"],
            "#/x-external-files/schemas~1pin.yaml/Pin"
        );
        let board =
            pointer::resolve(&doc, pin["properties"]["board"]["$ref"].as_str().unwrap()).unwrap();
        assert_eq!(board["properties"]["id"]["type"], "string");
    }

    #[test]
    fn a_missing_file_is_named_with_where_it_was_referenced() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "api.json",
            r#"{"openapi":"3.0.3","components":{"schemas":{"A":{"$ref":"gone.json#/A"}}}}"#,
        );
        let err = load(&dir.path().join("api.json")).unwrap_err().to_string();
        assert!(
            err.contains("gone.json") && err.contains("/components/schemas/A/$ref"),
            "{err}"
        );
    }
}
