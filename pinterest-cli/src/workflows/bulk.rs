//! `pinterest pins bulk-create FILE.csv`: one pin per row, several in
//! flight, every send recorded in a journal first so a re-run after a
//! crash skips what was created and never resends a pin whose outcome is
//! unknown. Writes one outcome row per input row.
//!
//! Input columns (header row required): `board_id` and one of `image_url`
//! / `image_path`; optional `key`, `title`, `description`, `link`,
//! `alt_text`, `board_section_id`. Without a `key` column a row's key is
//! its board and image, which stays stable when rows are reordered.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, ArgMatches, Command};
use indicatif::{ProgressBar, ProgressStyle};
use pinterest_ext::NewPin;
use pinterest_ext::bulk::{BulkOptions, Outcome};

use crate::config::Globals;
use crate::exit::{self, Failure};

/// Adds `bulk-create` to the `pins` group.
pub fn extend(group: Command) -> Command {
    group.subcommand(
        Command::new("bulk-create")
            .about("[workflow] Creates a pin per CSV row, with a journal so a re-run never duplicates one")
            .args([
                Arg::new("file").required(true).value_name("FILE.csv"),
                Arg::new("journal")
                    .long("journal")
                    .value_name("FILE")
                    .help("The journal [default: FILE.csv.journal]"),
                Arg::new("outcomes")
                    .long("outcomes")
                    .value_name("FILE")
                    .help("Per-row outcome CSV [default: FILE.outcomes.csv]"),
                Arg::new("concurrency")
                    .long("concurrency")
                    .value_parser(clap::value_parser!(u64).range(1..=64))
                    .default_value("4")
                    .help("Pins in flight at once (the rate limiter still paces them)"),
                Arg::new("resend-unknown")
                    .long("resend-unknown")
                    .action(ArgAction::SetTrue)
                    .help("Resend rows whose outcome a crash left unknown (check the board first)"),
            ]),
    )
}

/// One input row.
#[derive(Debug)]
struct Row {
    key: String,
    pin: NewPin,
}

/// Reads the rows, with the row number in every error.
async fn read_rows(path: &Path) -> Result<Vec<Row>, Failure> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    let headers = reader
        .headers()
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?
        .clone();
    let index: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h, i)).collect();
    if !index.contains_key("board_id")
        || !(index.contains_key("image_url") || index.contains_key("image_path"))
    {
        return Err(Failure::usage(format!(
            "{}: the header needs board_id and image_url or image_path (has: {})",
            path.display(),
            headers.iter().collect::<Vec<_>>().join(",")
        )));
    }
    let mut rows = Vec::new();
    let mut seen = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record =
            record.map_err(|e| Failure::usage(format!("{} row {line}: {e}", path.display())))?;
        let get = |name: &str| {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let board = get("board_id").ok_or_else(|| {
            Failure::usage(format!("{} row {line}: board_id is empty", path.display()))
        })?;
        let (mut pin, source) = match (get("image_url"), get("image_path")) {
            (Some(url), _) => (NewPin::from_image_url(&board, &url), url),
            (None, Some(file)) => (
                NewPin::from_image_file(&board, &file)
                    .await
                    .map_err(|e| Failure::usage(format!("{} row {line}: {e}", path.display())))?,
                file,
            ),
            (None, None) => {
                return Err(Failure::usage(format!(
                    "{} row {line}: give image_url or image_path",
                    path.display()
                )));
            }
        };
        if let Some(v) = get("title") {
            pin = pin.title(v);
        }
        if let Some(v) = get("description") {
            pin = pin.description(v);
        }
        if let Some(v) = get("link") {
            pin = pin.link(v);
        }
        if let Some(v) = get("alt_text") {
            pin = pin.alt_text(v);
        }
        if let Some(v) = get("board_section_id") {
            pin = pin.section(v);
        }
        let key = get("key").unwrap_or_else(|| format!("{board}|{source}"));
        if let Some(first) = seen.insert(key.clone(), line) {
            return Err(Failure::usage(format!(
                "{} rows {first} and {line} have the same key {key:?}; give each row a unique `key`",
                path.display()
            )));
        }
        rows.push(Row { key, pin });
    }
    Ok(rows)
}

/// Runs the bulk creation.
pub async fn run(m: &ArgMatches) -> Result<(), Failure> {
    let g = Globals::from(m);
    let file = PathBuf::from(m.get_one::<String>("file").cloned().unwrap_or_default());
    let journal = m
        .get_one::<String>("journal")
        .map(PathBuf::from)
        .unwrap_or_else(|| suffixed(&file, ".journal"));
    let outcomes = m
        .get_one::<String>("outcomes")
        .map(PathBuf::from)
        .unwrap_or_else(|| file.with_extension("outcomes.csv"));
    let rows = read_rows(&file).await?;
    if g.dry_run {
        eprintln!(
            "{} row(s) read from {}; nothing sent (--dry-run)",
            rows.len(),
            file.display()
        );
        return Ok(());
    }
    let client = g.client().await?;
    let total = rows.len() as u64;
    let bar = ProgressBar::new(total).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} pins {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = bar.clone();
    let options = BulkOptions::default()
        .concurrency(m.get_one::<u64>("concurrency").copied().unwrap_or(4) as usize)
        .journal(&journal)
        .resend_unknown(m.get_flag("resend-unknown"))
        .on_progress(move |p| progress.set_position(p.done as u64));
    let pins = rows.into_iter().map(|r| (r.key, r.pin)).collect();
    let report = client
        .create_pins(pins, options)
        .await
        .map_err(Failure::from_error)?;
    bar.finish_and_clear();
    write_outcomes(&outcomes, &report.items)?;
    eprintln!(
        "{} created, {} already created, {} failed, {} unknown; outcomes in {}, journal {}",
        report.created(),
        report.already_created(),
        report.failed(),
        report.unknown(),
        outcomes.display(),
        journal.display()
    );
    if report.unknown() > 0 {
        return Err(Failure {
            code: exit::OUTCOME_UNKNOWN,
            message: "some pins may or may not exist: check the board, then re-run with --resend-unknown for the ones that do not".to_string(),
        });
    }
    if report.failed() > 0 {
        return Err(Failure::local(format!(
            "{} row(s) failed (see {}); re-running retries only those",
            report.failed(),
            outcomes.display()
        )));
    }
    Ok(())
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn write_outcomes(path: &Path, items: &[pinterest_ext::bulk::ItemOutcome]) -> Result<(), Failure> {
    let fail = |e: csv::Error| Failure::local(format!("cannot write {}: {e}", path.display()));
    let mut w = csv::Writer::from_path(path).map_err(fail)?;
    w.write_record(["key", "outcome", "pin_id", "error"])
        .map_err(fail)?;
    for item in items {
        let (outcome, id, error) = match &item.outcome {
            Outcome::Created(id) => ("created", id.clone(), String::new()),
            Outcome::AlreadyCreated(id) => ("already_created", id.clone(), String::new()),
            Outcome::Failed(e) => ("failed", String::new(), e.to_string()),
            Outcome::Unknown(why) => ("unknown", String::new(), why.clone()),
            other => ("other", String::new(), format!("{other:?}")),
        };
        w.write_record([item.key.as_str(), outcome, &id, &error])
            .map_err(fail)?;
    }
    w.flush()
        .map_err(|e| Failure::local(format!("cannot write {}: {e}", path.display())))
}
