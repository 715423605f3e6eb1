//! `cargo xtask diff OLD NEW [--format text|markdown|json] [--level L] [--fail-on L] [--timings]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use pinterest_gen::diff::load::LoadTimings;

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
    /// Print where the time went to stderr (read, parse, convert, same
    /// schemas, walk, output).
    #[arg(long)]
    timings: bool,
    /// Only read and parse both files into JSON values, one after the
    /// other, and exit: the floor `bench diff` measures against.
    #[arg(long, hide = true)]
    parse_only: bool,
}

fn parse_format(text: &str) -> Result<Format, String> {
    Format::parse(text)
        .ok_or_else(|| format!("unknown format {text:?}; use text, markdown or json"))
}

fn parse_level(text: &str) -> Result<Level, String> {
    Level::parse(text).ok_or_else(|| format!("unknown level {text:?}; use INFO, WARN or ERR"))
}

/// Loads a document and checks that it is an OpenAPI 3 description.
fn load_timed(path: &Path) -> Result<(Value, LoadTimings), String> {
    let (doc, timings) = diff::load::load_timed(path).map_err(|e| e.to_string())?;
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
    Ok((doc, timings))
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
    diff_files_timed(old, new).map(|(report, _)| report)
}

/// Where a diff of two files spent its time.
struct Timings {
    load: [LoadTimings; 2],
    diff: diff::Timings,
    /// The two documents, kept for the caller to drop (or not: a process
    /// about to exit need not free millions of nodes).
    docs: [Value; 2],
}

/// Loads both files (at once, on two threads: each is a 2 MB parse), then
/// diffs them.
fn diff_files_timed(old: &Path, new: &Path) -> Result<(DiffReport, Timings), String> {
    let (base, revision) = std::thread::scope(|s| {
        let other = s.spawn(|| load_timed(new));
        let base = load_timed(old);
        let revision = other
            .join()
            .unwrap_or_else(|_| Err(format!("{}: the loader panicked", new.display())));
        (base, revision)
    });
    let ((base, tb), (revision, tr)) = (base?, revision?);
    let (report, td) = diff::diff_timed(&base, &revision, diff::today());
    Ok((
        report,
        Timings {
            load: [tb, tr],
            diff: td,
            docs: [base, revision],
        },
    ))
}

/// Reads and parses both files, one after the other.
fn parse_only(old: &Path, new: &Path) -> Result<ExitCode, String> {
    for path in [old, new] {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let doc: Value =
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        std::hint::black_box(doc);
    }
    Ok(ExitCode::SUCCESS)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    if args.parse_only {
        return parse_only(&args.old, &args.new);
    }
    let (report, timings) = diff_files_timed(&args.old, &args.new)?;
    let started = Instant::now();
    let out = report::render(&report, args.format, args.level);
    print!("{out}");
    let output = started.elapsed();
    if args.format == Format::Json {
        // stdout stays a plain JSON array; the summary goes beside it.
        eprintln!("{}", report::summary(&report));
    }
    if args.timings {
        let [a, b] = timings.load;
        eprintln!(
            "timings (base + revision, loaded on two threads): read {} + {}, parse {} + {}, convert {} + {}; same schemas {}, walk {}, output {}",
            ms(a.read),
            ms(b.read),
            ms(a.parse),
            ms(b.parse),
            ms(a.convert),
            ms(b.convert),
            ms(timings.diff.same_schemas),
            ms(timings.diff.walk),
            ms(output)
        );
    }
    let failed = args
        .fail_on
        .is_some_and(|min| report.findings.iter().any(|f| f.level >= min));
    // The process exits next: freeing two parsed 2 MB documents node by
    // node would only cost time (measured: ~10% of a whole diff).
    std::mem::forget(timings.docs);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
