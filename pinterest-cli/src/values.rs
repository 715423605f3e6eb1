//! From parsed flags to a request plan: the path filled in, the query, and
//! the body (`--body` merged with field flags). Every mistake is a usage
//! error naming the flag, found before anything is sent.

use std::io::Read;

use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::table::{CommandSpec, FlagSpec, Kind, Location, Scalar};

/// What to send, before the base URL and the token.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The operation.
    pub spec: &'static CommandSpec,
    /// The path with its parameters filled in and percent-encoded.
    pub path: String,
    /// Query pairs, in flag order.
    pub query: Vec<(String, String)>,
    /// The body, when there is one.
    pub body: Option<Body>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// `application/json`.
    Json(Value),
    /// `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
}

/// A usage mistake: exit code 2, nothing sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Builds the plan of `spec` from its parsed flags.
pub fn plan(spec: &'static CommandSpec, m: &ArgMatches) -> Result<Plan, UsageError> {
    let op = spec.operation();
    let mut path = op.path.to_string();
    let mut query = Vec::new();
    for f in spec.params {
        let Some(raw) = raw_values(m, f) else {
            if f.required {
                return Err(UsageError(format!("--{} is required", f.flag)));
            }
            continue;
        };
        match f.location {
            Location::Path => {
                let value = raw.join(",");
                if value.is_empty() {
                    return Err(UsageError(format!("--{} must not be empty", f.flag)));
                }
                path = path.replace(&format!("{{{}}}", f.name), &encode_segment(&value));
            }
            Location::Query | Location::Body => {
                if matches!(f.kind, Kind::List(_)) && f.explode {
                    query.extend(raw.into_iter().map(|v| (f.name.to_string(), v)));
                } else {
                    query.push((f.name.to_string(), raw.join(",")));
                }
            }
        }
    }
    let body = match spec.body {
        Some(b) => body(spec, b, m)?,
        None => None,
    };
    Ok(Plan {
        spec,
        path,
        query,
        body,
    })
}

fn raw_values(m: &ArgMatches, f: &FlagSpec) -> Option<Vec<String>> {
    let values: Vec<String> = m.get_many::<String>(f.flag)?.cloned().collect();
    (!values.is_empty()).then_some(values)
}

fn body(
    spec: &CommandSpec,
    b: &crate::table::BodySpec,
    m: &ArgMatches,
) -> Result<Option<Body>, UsageError> {
    let mut base = match m.get_one::<String>("body") {
        Some(source) => Some(read_body(source)?),
        None => None,
    };
    let mut fields = Map::new();
    for f in b.fields {
        if let Some(raw) = raw_values(m, f) {
            fields.insert(f.name.to_string(), to_json(f, &raw)?);
        }
    }
    if !fields.is_empty() {
        match base.get_or_insert_with(|| Value::Object(Map::new())) {
            Value::Object(obj) => obj.extend(fields),
            _ => {
                return Err(UsageError(
                    "--body is not a JSON object, so field flags cannot be merged into it"
                        .to_string(),
                ));
            }
        }
    }
    let Some(value) = base else {
        if b.required {
            let flags: Vec<String> = b
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| format!("--{}", f.flag))
                .collect();
            return Err(UsageError(if flags.is_empty() {
                format!(
                    "{} {} needs a body: --body FILE or --body -",
                    spec.group, spec.name
                )
            } else {
                format!(
                    "{} {} needs a body: --body FILE, --body -, or the field flags ({})",
                    spec.group,
                    spec.name,
                    flags.join(", ")
                )
            }));
        }
        return Ok(None);
    };
    if let Value::Object(obj) = &value {
        let missing: Vec<String> = b
            .fields
            .iter()
            .filter(|f| f.required && !obj.contains_key(f.name))
            .map(|f| format!("--{} (body field `{}`)", f.flag, f.name))
            .collect();
        if !missing.is_empty() {
            return Err(UsageError(format!(
                "the body lacks required fields: {}",
                missing.join(", ")
            )));
        }
    }
    if b.form {
        let Value::Object(obj) = value else {
            return Err(UsageError(
                "a form body must be a JSON object of fields".to_string(),
            ));
        };
        let pairs = obj
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect();
        return Ok(Some(Body::Form(pairs)));
    }
    Ok(Some(Body::Json(value)))
}

/// Reads `--body`: a file, or stdin for `-`. Not JSON is a usage error
/// with the line and column.
fn read_body(source: &str) -> Result<Value, UsageError> {
    let text = if source == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| UsageError(format!("--body -: cannot read stdin: {e}")))?;
        s
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| UsageError(format!("--body {source}: cannot read the file: {e}")))?
    };
    serde_json::from_str(&text).map_err(|e| {
        UsageError(format!(
            "--body {source}: not JSON: {e} (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

/// A field's text as JSON of its kind.
pub fn to_json(f: &FlagSpec, raw: &[String]) -> Result<Value, UsageError> {
    let one = || raw.last().map(String::as_str).unwrap_or("");
    match f.kind {
        Kind::String => Ok(Value::String(one().to_string())),
        Kind::Integer => scalar(f, Scalar::Integer, one()),
        Kind::Number => scalar(f, Scalar::Number, one()),
        Kind::Boolean => scalar(f, Scalar::Boolean, one()),
        Kind::List(s) => raw
            .iter()
            .map(|v| scalar(f, s, v))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Kind::Json => serde_json::from_str(one()).map_err(|e| {
            UsageError(format!(
                "--{}: not JSON: {e} (give a JSON value, e.g. '{{\"key\": \"value\"}}')",
                f.flag
            ))
        }),
    }
}

fn scalar(f: &FlagSpec, kind: Scalar, text: &str) -> Result<Value, UsageError> {
    let bad = |what: &str| UsageError(format!("--{}: `{text}` is not {what}", f.flag));
    match kind {
        Scalar::String => Ok(Value::String(text.to_string())),
        Scalar::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| bad("an integer")),
        Scalar::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| bad("a number")),
        Scalar::Boolean => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(bad("true or false")),
        },
    }
}

/// Percent-encodes a path segment (everything but RFC 3986's unreserved
/// characters).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_segment("123-abc_~."), "123-abc_~.");
    }

    #[test]
    fn field_text_becomes_typed_json() {
        let f = FlagSpec {
            name: "n",
            flag: "n",
            location: Location::Body,
            required: false,
            kind: Kind::List(Scalar::Integer),
            values: &[],
            explode: false,
            help: "",
        };
        assert_eq!(
            to_json(&f, &["1".into(), "2".into()]).unwrap(),
            serde_json::json!([1, 2])
        );
        let err = to_json(&f, &["x".into()]).unwrap_err();
        assert_eq!(err.0, "--n: `x` is not an integer");
    }
}
