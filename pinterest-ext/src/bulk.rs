//! Bulk operations: many writes with bounded concurrency (each through the
//! client's rate limiter and retries), a progress callback, a per-item
//! outcome, and an optional journal so a re-run after a crash or Ctrl-C
//! skips what was created and never creates an item twice.
//!
//! The journal is a JSON-lines file, appended and synced before and after
//! every item: `started`, then `created` (with the new id), `failed` (it
//! provably did not happen) or `unknown` (the write may have reached
//! Pinterest). On a re-run, `created` items are skipped, `failed` ones are
//! sent again, and `unknown` ones, including items that were `started`
//! when the process died, are reported and not resent unless
//! [`BulkOptions::resend_unknown`] says so (check them first).
//!
//! ```no_run
//! # async fn run(client: pinterest_ext::Client) -> pinterest_ext::Result<()> {
//! use pinterest_ext::{NewPin, bulk::BulkOptions};
//! let pins = vec![
//!     ("sku-1".to_string(), NewPin::from_image_url("549755885175", "https://example.com/1.jpg")),
//!     ("sku-2".to_string(), NewPin::from_image_url("549755885175", "https://example.com/2.jpg")),
//! ];
//! let report = client
//!     .create_pins(pins, BulkOptions::default().journal("pins.journal").concurrency(4))
//!     .await?;
//! println!("{} created, {} failed, {} unknown", report.created(), report.failed(), report.unknown());
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

#[cfg(feature = "organic")]
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};

/// What happened to one item.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Created now, with this id.
    Created(String),
    /// Created by an earlier run (from the journal), with this id.
    AlreadyCreated(String),
    /// Not created: the error says why (safe to send again).
    Failed(Error),
    /// The write may or may not have taken effect; it was not resent.
    Unknown(String),
}

/// One item's key and outcome.
#[derive(Debug, Clone)]
pub struct ItemOutcome {
    /// The caller's key for the item.
    pub key: String,
    /// What happened.
    pub outcome: Outcome,
}

/// Counts so far, passed to the progress callback after each item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Items finished (any outcome).
    pub done: usize,
    /// Items in the job.
    pub total: usize,
}

/// Options of a bulk run.
#[derive(Clone)]
pub struct BulkOptions {
    concurrency: usize,
    journal: Option<PathBuf>,
    resend_unknown: bool,
    progress: Option<Arc<dyn Fn(Progress) + Send + Sync>>,
}

impl Default for BulkOptions {
    /// 4 items in flight, no journal.
    fn default() -> Self {
        BulkOptions {
            concurrency: 4,
            journal: None,
            resend_unknown: false,
            progress: None,
        }
    }
}

impl fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkOptions")
            .field("concurrency", &self.concurrency)
            .field("journal", &self.journal)
            .field("resend_unknown", &self.resend_unknown)
            .finish_non_exhaustive()
    }
}

impl BulkOptions {
    /// Items in flight at once (at least 1). The rate limiter still paces
    /// them per category.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Records progress in `path` and resumes from it.
    pub fn journal(mut self, path: impl Into<PathBuf>) -> Self {
        self.journal = Some(path.into());
        self
    }

    /// Also resends items whose outcome is unknown (only after checking
    /// they were not created).
    pub fn resend_unknown(mut self, resend: bool) -> Self {
        self.resend_unknown = resend;
        self
    }

    /// Called after each item.
    pub fn on_progress(mut self, f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }
}

/// Outcomes of a bulk run, in input order.
#[derive(Debug, Clone)]
pub struct BulkReport {
    /// One per input item.
    pub items: Vec<ItemOutcome>,
}

impl BulkReport {
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.items.iter().filter(|i| f(&i.outcome)).count()
    }
    /// Items created by this run.
    pub fn created(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Created(_)))
    }
    /// Items skipped because an earlier run created them.
    pub fn already_created(&self) -> usize {
        self.count(|o| matches!(o, Outcome::AlreadyCreated(_)))
    }
    /// Items that failed.
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed(_)))
    }
    /// Items whose outcome is unknown.
    pub fn unknown(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Unknown(_)))
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Entry {
    Started { key: String },
    Created { key: String, id: String },
    Failed { key: String, error: String },
    Unknown { key: String, error: String },
}

impl Entry {
    fn key(&self) -> &str {
        match self {
            Entry::Started { key }
            | Entry::Created { key, .. }
            | Entry::Failed { key, .. }
            | Entry::Unknown { key, .. } => key,
        }
    }
}

/// An append-only journal file.
struct Journal {
    path: PathBuf,
    file: tokio::sync::Mutex<tokio::fs::File>,
}

impl Journal {
    fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
        Error::new(
            ErrorKind::Io,
            format!("journal {}: {what}: {e}", path.display()),
        )
        .at_stage("journal")
    }

    /// Opens (creating) the journal and reads what earlier runs recorded:
    /// the last entry per key. A torn last line (a crash mid-write) is
    /// ignored; any other bad line is an error.
    async fn open(path: &Path) -> Result<(Journal, HashMap<String, Entry>)> {
        let text = match tokio::fs::read_to_string(path).await {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Journal::io_error(path, "cannot read", e)),
        };
        let mut state = HashMap::new();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Entry>(line) {
                Ok(entry) => {
                    state.insert(entry.key().to_string(), entry);
                }
                Err(_) if i + 1 == lines.len() && !text.ends_with('\n') => {}
                Err(e) => {
                    return Err(Error::new(
                        ErrorKind::Io,
                        format!("journal {} line {} is not a journal entry ({e}); fix or remove the file", path.display(), i + 1),
                    )
                    .at_stage("journal"));
                }
            }
        }
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .await
            .map_err(|e| Journal::io_error(path, "cannot open", e))?;
        if !text.is_empty() && !text.ends_with('\n') {
            // Terminate a torn line so the next entry starts cleanly.
            file.write_all(b"\n")
                .await
                .map_err(|e| Journal::io_error(path, "cannot write", e))?;
        }
        Ok((
            Journal {
                path: path.to_path_buf(),
                file: tokio::sync::Mutex::new(file),
            },
            state,
        ))
    }

    async fn record(&self, entry: &Entry) -> Result<()> {
        let mut line = serde_json::to_vec(entry).map_err(|e| {
            Error::new(ErrorKind::Io, format!("encoding a journal entry: {e}")).at_stage("journal")
        })?;
        line.push(b'\n');
        let mut file = self.file.lock().await;
        file.write_all(&line)
            .await
            .map_err(|e| Journal::io_error(&self.path, "cannot write", e))?;
        file.sync_data()
            .await
            .map_err(|e| Journal::io_error(&self.path, "cannot sync", e))
    }
}

/// Runs `op` on every item (a key and its input); `op` returns the created
/// resource's id. This is the general form behind [`Client::create_pins`].
pub async fn run<T, F, Fut>(
    items: Vec<(String, T)>,
    options: BulkOptions,
    op: F,
) -> Result<BulkReport>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<String>>,
{
    let total = items.len();
    let (journal, previous) = match &options.journal {
        Some(path) => {
            let (j, state) = Journal::open(path).await?;
            (Some(j), state)
        }
        None => (None, HashMap::new()),
    };
    let journal = journal.as_ref();
    let done = AtomicUsize::new(0);
    let progress = |n: usize| {
        if let Some(p) = &options.progress {
            p(Progress { done: n, total });
        }
    };
    let results = futures::stream::iter(items.into_iter().enumerate())
        .map(|(index, (key, input))| {
            let earlier = previous.get(&key);
            let op = &op;
            let done = &done;
            let progress = &progress;
            let resend_unknown = options.resend_unknown;
            async move {
                let outcome = match earlier {
                    Some(Entry::Created { id, .. }) => Outcome::AlreadyCreated(id.clone()),
                    Some(Entry::Unknown { error, .. }) if !resend_unknown => Outcome::Unknown(format!(
                        "an earlier run could not tell whether this was created ({error}); check, then re-run with resend_unknown"
                    )),
                    Some(Entry::Started { .. }) if !resend_unknown => Outcome::Unknown(
                        "an earlier run stopped while sending this item; check whether it was created, then re-run with resend_unknown".into(),
                    ),
                    _ => send(journal, &key, input, op).await?,
                };
                progress(done.fetch_add(1, Ordering::SeqCst) + 1);
                Ok::<_, Error>((index, ItemOutcome { key, outcome }))
            }
        })
        .buffer_unordered(options.concurrency)
        .collect::<Vec<_>>()
        .await;
    let mut items: Vec<(usize, ItemOutcome)> = results.into_iter().collect::<Result<_>>()?;
    items.sort_by_key(|(i, _)| *i);
    Ok(BulkReport {
        items: items.into_iter().map(|(_, o)| o).collect(),
    })
}

async fn send<T, F, Fut>(journal: Option<&Journal>, key: &str, input: T, op: &F) -> Result<Outcome>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<String>>,
{
    let key_owned = key.to_string();
    if let Some(j) = journal {
        j.record(&Entry::Started {
            key: key_owned.clone(),
        })
        .await?;
    }
    let (outcome, entry) = match op(input).await {
        Ok(id) => (
            Outcome::Created(id.clone()),
            Entry::Created { key: key_owned, id },
        ),
        // A write that failed ambiguously, or whose success response did
        // not decode, may exist: never report it as failed (a re-run would
        // create it twice).
        Err(e) if e.write_outcome_unknown() || e.kind() == ErrorKind::Decode => {
            let text = e.to_string();
            (
                Outcome::Unknown(text.clone()),
                Entry::Unknown {
                    key: key_owned,
                    error: text,
                },
            )
        }
        Err(e) => {
            let text = e.to_string();
            (
                Outcome::Failed(e),
                Entry::Failed {
                    key: key_owned,
                    error: text,
                },
            )
        }
    };
    if let Some(j) = journal {
        j.record(&entry).await?;
    }
    Ok(outcome)
}

#[cfg(feature = "organic")]
impl Client {
    /// Creates many pins: `(key, pin)` pairs, the key stable across runs
    /// (an id from your catalog, a file name).
    pub async fn create_pins(
        &self,
        pins: Vec<(String, crate::NewPin)>,
        options: BulkOptions,
    ) -> Result<BulkReport> {
        run(pins, options, |pin| async move {
            let created = self.create_pin(pin).await?;
            Ok(created.id.as_str().to_string())
        })
        .await
    }
}
