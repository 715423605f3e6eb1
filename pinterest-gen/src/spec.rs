//! Loading a spec file (JSON or YAML) into a JSON document, with its
//! checksum, and walking its operations.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::GenError;
use crate::pointer;

/// The HTTP methods an OpenAPI path item can hold, in the order the
/// OpenAPI specification lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A spec document as loaded from disk.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Where it was read from.
    pub path: PathBuf,
    /// Lower-case hex sha256 of the file's bytes.
    pub sha256: String,
    /// The document.
    pub doc: Value,
}

impl Spec {
    /// Reads a JSON or YAML file. The format is taken from the extension
    /// (`.yaml`/`.yml` is YAML, anything else is tried as JSON first).
    ///
    /// ```no_run
    /// let spec = pinterest_gen::Spec::load("../shared/spec/pinterest-v5/openapi-5.23.0.json".as_ref())?;
    /// assert_eq!(spec.version(), Some("5.23.0"));
    /// # Ok::<(), pinterest_gen::GenError>(())
    /// ```
    pub fn load(path: &Path) -> Result<Spec, GenError> {
        let bytes = std::fs::read(path).map_err(|e| GenError::io(path, "cannot read", e))?;
        Spec::from_bytes(path, &bytes)
    }

    /// Parses bytes that were read from `path` (used for messages and to
    /// pick the format).
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Spec, GenError> {
        Ok(Spec {
            path: path.to_path_buf(),
            sha256: sha256_hex(bytes),
            doc: parse_document(path, bytes)?,
        })
    }

    /// `info.version` of the document.
    pub fn version(&self) -> Option<&str> {
        self.doc.pointer("/info/version").and_then(Value::as_str)
    }
}

/// Parses a document read from `path`: YAML for `.yaml`/`.yml`, JSON
/// otherwise. Errors name the file, line and column.
pub fn parse_document(path: &Path, bytes: &[u8]) -> Result<Value, GenError> {
    let is_yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    if is_yaml {
        parse_yaml(path, bytes)
    } else {
        parse_json(path, bytes)
    }
}

fn parse_json(path: &Path, bytes: &[u8]) -> Result<Value, GenError> {
    serde_json::from_slice(bytes).map_err(|e| GenError::Syntax {
        path: path.to_path_buf(),
        format: "JSON",
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

fn parse_yaml(path: &Path, bytes: &[u8]) -> Result<Value, GenError> {
    let yaml: serde_yaml::Value = serde_yaml::from_slice(bytes).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        GenError::Syntax {
            path: path.to_path_buf(),
            format: "YAML",
            line,
            column,
            message: e.to_string(),
        }
    })?;
    yaml_to_json(yaml, "").map_err(|(pointer, message)| GenError::Syntax {
        path: path.to_path_buf(),
        format: "YAML",
        line: 0,
        column: 0,
        message: format!("at {pointer}: {message}"),
    })
}

/// Converts YAML to JSON. Mapping keys that YAML reads as numbers or
/// booleans (status codes such as `200`) become their text, as JSON
/// requires string keys.
fn yaml_to_json(yaml: serde_yaml::Value, at: &str) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| (at.to_string(), format!("number {f} has no JSON form")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{at}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err((
                            at.to_string(),
                            format!("mapping key {other:?} is not a string"),
                        ));
                    }
                };
                let child = format!("{at}/{}", pointer::escape(&key));
                out.insert(key, yaml_to_json(v, &child)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// One operation of a document, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct OperationRef<'a> {
    /// The path template, e.g. `/pins/{pin_id}`.
    pub path: &'a str,
    /// Lower-case HTTP method.
    pub method: &'static str,
    /// The operation object.
    pub op: &'a Value,
    /// The path item (for path-level parameters).
    pub item: &'a Value,
}

impl OperationRef<'_> {
    /// JSON pointer of the operation object.
    pub fn pointer(&self) -> String {
        pointer::join(&["paths", self.path, self.method])
    }

    /// The operationId, or `METHOD /path` when there is none.
    pub fn id(&self) -> String {
        self.op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("{} {}", self.method.to_uppercase(), self.path))
    }
}

/// All operations of a document, in document order.
pub fn operations(doc: &Value) -> Vec<OperationRef<'_>> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        for method in METHODS {
            if let Some(op) = item.get(method).filter(|v| v.is_object()) {
                out.push(OperationRef {
                    path,
                    method,
                    op,
                    item,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_status_code_keys_become_strings() {
        let yaml =
            b"paths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n";
        let spec = Spec::from_bytes(Path::new("t.yaml"), yaml).unwrap();
        assert!(spec.doc.pointer("/paths/~1a/get/responses/200").is_some());
    }

    #[test]
    fn invalid_json_names_file_line_and_column() {
        let err = Spec::from_bytes(Path::new("broken.json"), b"{\n  \"a\": ,\n}").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("broken.json:2:"), "{text}");
        assert!(text.contains("not valid JSON"), "{text}");
    }

    #[test]
    fn invalid_yaml_names_file_and_line() {
        let err = Spec::from_bytes(Path::new("broken.yaml"), b"a: [1, 2\nb: c\n").unwrap_err();
        assert!(err.to_string().starts_with("broken.yaml:"), "{err}");
        assert!(err.to_string().contains("not valid YAML"), "{err}");
    }

    #[test]
    fn checksum_is_hex_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
