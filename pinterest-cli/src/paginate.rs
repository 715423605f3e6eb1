//! `--all`, `--limit N` and `--resume BOOKMARK`: follow bookmarks page by
//! page, writing each item as it arrives (NDJSON, or CSV with
//! `--format csv`), never holding more than one page. A failure prints the
//! bookmark of the page that failed, and `--resume` starts there.

use std::io::Write;

use clap::ArgMatches;
use pinterest_ext::Client;
use serde_json::Value;

use crate::config::Globals;
use crate::exit::Failure;
use crate::output;
use crate::values::Plan;

/// What the pagination flags asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paging {
    /// `--all`.
    pub all: bool,
    /// `--limit N`.
    pub limit: Option<u64>,
    /// `--resume BOOKMARK` (or `--bookmark`, which it replaces).
    pub resume: Option<String>,
}

impl Paging {
    /// Reads the flags; a `--bookmark` parameter moves out of the plan's
    /// query into `resume`, so the loop owns the bookmark.
    pub fn from_matches(m: &ArgMatches, plan: &mut Plan) -> Paging {
        let get = |id: &str| m.try_get_one::<String>(id).ok().flatten().cloned();
        let mut paging = Paging {
            all: m.try_get_one::<bool>("all").ok().flatten() == Some(&true),
            limit: m.try_get_one::<u64>("limit").ok().flatten().copied(),
            resume: get("resume"),
        };
        if paging.active()
            && let Some(i) = plan.query.iter().position(|(k, _)| k == "bookmark")
        {
            let (_, b) = plan.query.remove(i);
            paging.resume.get_or_insert(b);
        }
        paging
    }

    /// Whether to follow pages.
    pub fn active(&self) -> bool {
        self.all || self.limit.is_some() || self.resume.is_some()
    }
}

/// Streams the pages of `plan`.
pub async fn run(
    client: &Client,
    plan: &Plan,
    base: &str,
    paging: &Paging,
    g: &Globals,
) -> Result<(), Failure> {
    // Streams are NDJSON unless CSV is asked for by name.
    let csv_out = g.format.as_deref() == Some("csv");
    let stdout = std::io::stdout();
    let mut csv_columns: Option<Vec<String>> = None;
    let mut csv_writer = csv_out.then(|| csv::Writer::from_writer(stdout.lock()));
    let mut bookmark = paging.resume.clone();
    let mut written: u64 = 0;
    let mut pages: u64 = 0;
    loop {
        let extra: Vec<(&str, &str)> = bookmark
            .as_deref()
            .map(|b| vec![("bookmark", b)])
            .unwrap_or_default();
        let resume_hint = |f: Failure| match &bookmark {
            Some(b) => f.with_line(format!(
                "  {written} item(s) written from {pages} page(s); resume with: --resume {b}"
            )),
            None => f.with_line(format!(
                "  {written} item(s) written; the first page failed, run the same command again"
            )),
        };
        let response = crate::run::send(client, plan, base, &extra, g)
            .await
            .map_err(resume_hint)?;
        let page: Value = serde_json::from_slice(&response.body).map_err(|e| {
            resume_hint(Failure::local(format!(
                "page {} is not JSON: {e}",
                pages + 1
            )))
        })?;
        pages += 1;
        let items = output::rows(&page);
        for item in items {
            if paging.limit.is_some_and(|l| written >= l) {
                break;
            }
            match &mut csv_writer {
                Some(w) => {
                    let cols = csv_columns.get_or_insert_with(|| {
                        let cols = output::columns(&[item], g.columns.as_deref());
                        let _ = w.write_record(&cols);
                        cols
                    });
                    w.write_record(cols.iter().map(|c| output::cell(item, c)))
                        .map_err(|e| Failure::local(format!("cannot write CSV: {e}")))?;
                }
                None => {
                    let mut out = stdout.lock();
                    serde_json::to_writer(&mut out, item)
                        .map_err(|e| output::io_failure(e.into()))?;
                    out.write_all(b"\n").map_err(output::io_failure)?;
                }
            }
            written += 1;
        }
        match &mut csv_writer {
            Some(w) => w.flush().map_err(output::io_failure)?,
            None => stdout.lock().flush().map_err(output::io_failure)?,
        }
        let next = page
            .get("bookmark")
            .and_then(Value::as_str)
            .filter(|b| !b.is_empty())
            .map(str::to_string);
        let limit_reached = paging.limit.is_some_and(|l| written >= l);
        match next {
            Some(b) if !limit_reached => bookmark = Some(b),
            next => {
                if g.verbose {
                    eprintln!(
                        "{written} item(s) from {pages} page(s){}",
                        next.map(|b| format!("; next bookmark: {b}"))
                            .unwrap_or_default()
                    );
                }
                return Ok(());
            }
        }
    }
}
