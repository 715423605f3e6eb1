//! `cargo xtask diff OLD NEW [--format text|markdown|json] [--level L] [--fail-on L]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pinterest_gen::diff::report::{self, Format};
use pinterest_gen::diff::{self, DiffReport, Level};
use serde_json::Value;

#[derive(clap::Args)]
pub struct Args {
    /// The base spec (JSON or YAML).
    old: PathBuf,
    /// The revision spec (JSON or YAML).
    new: PathBuf,
    /// text, markdown or json (an array of findings with oasdiff rule ids).
    #[arg(long, default_value = "text", value_parser = parse_format)]
    format: Format,
    /// Show findings at or above this level: INFO, WARN or ERR.
    #[arg(long, default_value = "INFO", value_parser = parse_level)]
    level: Level,
    /// Exit 1 when a finding at or above this level exists: WARN or ERR.
    #[arg(long, value_parser = parse_level)]
    fail_on: Option<Level>,
}

fn parse_format(text: &str) -> Result<Format, String> {
    Format::parse(text)
        .ok_or_else(|| format!("unknown format {text:?}; use text, markdown or json"))
}

fn parse_level(text: &str) -> Result<Level, String> {
    Level::parse(text).ok_or_else(|| format!("unknown level {text:?}; use INFO, WARN or ERR"))
}

/// Loads a document and checks that it is an OpenAPI 3 description.
pub fn load(path: &Path) -> Result<Value, String> {
    let doc = diff::load::load(path).map_err(|e| e.to_string())?;
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.") => {}
        Some(v) => {
            return Err(format!(
                "{}#/openapi: version {v:?} is not OpenAPI 3.x",
                path.display()
            ));
        }
        None if doc.get("swagger").is_some() => {
            return Err(format!(
                "{}#/swagger: a Swagger 2.0 document; convert it to OpenAPI 3 first",
                path.display()
            ));
        }
        None => {
            return Err(format!(
                "{}: not an OpenAPI document (no top-level `openapi` field)",
                path.display()
            ));
        }
    }
    if let Some(paths) = doc.get("paths").filter(|p| !p.is_object()) {
        return Err(format!(
            "{}#/paths: expected an object, found {}",
            path.display(),
            kind(paths)
        ));
    }
    Ok(doc)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Diffs two files.
pub fn diff_files(old: &Path, new: &Path) -> Result<DiffReport, String> {
    let base = load(old)?;
    let revision = load(new)?;
    Ok(diff::diff(&base, &revision))
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let report = diff_files(&args.old, &args.new)?;
    print!("{}", report::render(&report, args.format, args.level));
    if args.format == Format::Json {
        // stdout stays a plain JSON array; the summary goes beside it.
        eprintln!("{}", report::summary(&report));
    }
    let failed = args
        .fail_on
        .is_some_and(|min| report.findings.iter().any(|f| f.level >= min));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
