//! Bulk operations: many writes with bounded concurrency (each through the
//! client's rate limiter and retries), a progress callback, a per-item
//! outcome, and an optional journal so a re-run after a crash or Ctrl-C
//! skips what was created and never creates an item twice.
//!
//! The journal records, per key, `started` (written and synced before the
//! item is sent: a failed write stops the run before sending), then
//! `created` (with the new id), `failed` (it provably did not happen) or
//! `unknown` (the write may have reached Pinterest). On a re-run, `created`
//! items are skipped (a `created` record is final, whatever follows it),
//! `failed` ones are sent again, and `unknown` ones, including items that
//! were `started` when the process died, are reported and not resent
//! unless [`BulkOptions::resend_unknown`] says so (check them first).
//!
//! [`FileJournal`] keeps it in a JSON-lines file, locked for one process
//! at a time; `RedisJournal` (feature `redis`) in Redis, so a job restarted
//! on another machine resumes too.
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

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use pinterest_api::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// What happened to one item.
#[derive(Debug, Clone)]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct ItemOutcome {
    /// The caller's key for the item.
    pub key: String,
    /// What happened.
    pub outcome: Outcome,
}

/// Counts so far, passed to the progress callback after each item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Items finished (any outcome).
    pub done: usize,
    /// Items in the job.
    pub total: usize,
}

/// One journal record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Entry {
    /// About to be sent.
    Started {
        /// The item's key.
        key: String,
    },
    /// Created, with its id.
    Created {
        /// The item's key.
        key: String,
        /// The new resource's id.
        id: String,
    },
    /// Provably not created.
    Failed {
        /// The item's key.
        key: String,
        /// Why.
        error: String,
    },
    /// May have been created.
    Unknown {
        /// The item's key.
        key: String,
        /// Why it is unknown.
        error: String,
    },
}

impl Entry {
    /// The item's key.
    pub fn key(&self) -> &str {
        match self {
            Entry::Started { key }
            | Entry::Created { key, .. }
            | Entry::Failed { key, .. }
            | Entry::Unknown { key, .. } => key,
        }
    }
}

/// Folds a record into the state of its key: `created` is final.
pub fn fold(state: &mut HashMap<String, Entry>, entry: Entry) {
    if matches!(state.get(entry.key()), Some(Entry::Created { .. })) {
        return;
    }
    state.insert(entry.key().to_string(), entry);
}

/// Where a bulk run records its progress. [`Journal::record`] must be
/// durable when it returns `Ok`: the item is sent right after.
pub trait Journal: Send + Sync + fmt::Debug {
    /// What earlier runs recorded: the state of each key.
    fn load(&self) -> BoxFuture<'_, Result<HashMap<String, Entry>>>;
    /// Appends a record, durably.
    fn record<'a>(&'a self, entry: &'a Entry) -> BoxFuture<'a, Result<()>>;
}

/// Options of a bulk run.
#[derive(Clone)]
pub struct BulkOptions {
    concurrency: usize,
    journal: Option<JournalChoice>,
    resend_unknown: bool,
    progress: Option<Arc<dyn Fn(Progress) + Send + Sync>>,
}

#[derive(Clone, Debug)]
enum JournalChoice {
    File(PathBuf),
    Custom(Arc<dyn Journal>),
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

    /// Records progress in the file at `path` ([`FileJournal`]) and
    /// resumes from it.
    pub fn journal(mut self, path: impl Into<PathBuf>) -> Self {
        self.journal = Some(JournalChoice::File(path.into()));
        self
    }

    /// Records progress in `journal` and resumes from it.
    pub fn journal_in(mut self, journal: Arc<dyn Journal>) -> Self {
        self.journal = Some(JournalChoice::Custom(journal));
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
#[non_exhaustive]
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

fn journal_error(path: &Path, what: &str, e: impl fmt::Display) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("journal {}: {what}: {e}", path.display()),
    )
    .at_stage("journal")
}

/// A journal in a JSON-lines file, exclusively locked while a run uses
/// it. Each record is written with a blocking write and `fdatasync` on the
/// blocking pool, and its result is known before the item is sent.
#[derive(Debug)]
pub struct FileJournal {
    path: PathBuf,
    file: Arc<Mutex<std::fs::File>>,
}

impl FileJournal {
    /// Opens (creating) the journal at `path` and locks it. A second
    /// process (or run) on the same file gets an error.
    ///
    /// A last line without its newline is a record whose write was cut
    /// short by a crash; it is truncated away (a cut `started` record was
    /// never followed by a send; a cut outcome leaves the item `started`,
    /// so it is reported as unknown). Any other unreadable line stops the
    /// run with the line number; the file is left as it is.
    pub async fn open(path: impl Into<PathBuf>) -> Result<FileJournal> {
        let path = path.into();
        let p = path.clone();
        let file = tokio::task::spawn_blocking(move || open_locked(&p))
            .await
            .map_err(|e| journal_error(&path, "cannot open", e))??;
        Ok(FileJournal {
            path,
            file: Arc::new(Mutex::new(file)),
        })
    }
}

fn open_locked(path: &Path) -> Result<std::fs::File> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| journal_error(path, "cannot open", e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!(
                    "journal {} is in use by another run; wait for it, or use another journal",
                    path.display()
                ),
            )
            .at_stage("journal"));
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(journal_error(path, "cannot lock", e)),
    }
    let mut text = Vec::new();
    file.read_to_end(&mut text)
        .map_err(|e| journal_error(path, "cannot read", e))?;
    if !text.is_empty() && !text.ends_with(b"\n") {
        let keep = text.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        file.set_len(keep as u64)
            .map_err(|e| journal_error(path, "cannot repair the cut last line", e))?;
        file.sync_data()
            .map_err(|e| journal_error(path, "cannot sync", e))?;
        tracing::warn!(journal = %path.display(), "the journal's last record was cut short by a crash; it was removed");
    }
    file.seek(SeekFrom::End(0))
        .map_err(|e| journal_error(path, "cannot seek", e))?;
    Ok(file)
}

impl Journal for FileJournal {
    fn load(&self) -> BoxFuture<'_, Result<HashMap<String, Entry>>> {
        let path = self.path.clone();
        Box::pin(async move {
            let text = tokio::fs::read_to_string(&path)
                .await
                .map_err(|e| journal_error(&path, "cannot read", e))?;
            let mut state = HashMap::new();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let entry = parse_line(line).map_err(|e| {
                    Error::new(
                        ErrorKind::Io,
                        format!(
                            "journal {} line {} is not a journal record ({e}); the journal was left unchanged. Repair or remove that line, keeping every `created` record: deleting the journal would create every item again",
                            path.display(),
                            i + 1
                        ),
                    )
                    .at_stage("journal")
                })?;
                fold(&mut state, entry);
            }
            Ok(state)
        })
    }

    fn record<'a>(&'a self, entry: &'a Entry) -> BoxFuture<'a, Result<()>> {
        let file = self.file.clone();
        let path = self.path.clone();
        let line = serde_json::to_vec(entry).map(|mut l| {
            l.push(b'\n');
            l
        });
        Box::pin(async move {
            let line = line.map_err(|e| journal_error(&path, "cannot encode a record", e))?;
            tokio::task::spawn_blocking(move || {
                let mut file = file.lock().unwrap_or_else(|p| p.into_inner());
                file.write_all(&line)
                    .and_then(|()| file.sync_data())
                    .map_err(|e| journal_error(&path, "cannot write", e))
            })
            .await
            .map_err(|e| {
                Error::new(ErrorKind::Io, format!("journal write task failed: {e}"))
                    .at_stage("journal")
            })?
        })
    }
}

/// Parses one journal line (bounded: a line over 64 KiB is refused).
pub fn parse_line(line: &str) -> std::result::Result<Entry, String> {
    if line.len() > 64 * 1024 {
        return Err(format!("a line of {} bytes", line.len()));
    }
    serde_json::from_str::<Entry>(line).map_err(|e| e.to_string())
}

/// Runs `op` on every item (a key and its input); `op` returns the created
/// resource's id. Keys must be unique. This is the general form behind
/// [`Client::create_pins`](crate::Client::create_pins).
pub async fn run<T, F, Fut>(
    items: Vec<(String, T)>,
    options: BulkOptions,
    op: F,
) -> Result<BulkReport>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<String>>,
{
    let mut seen = HashSet::with_capacity(items.len());
    if let Some((key, _)) = items.iter().find(|(k, _)| !seen.insert(k.as_str())) {
        return Err(Error::new(
            ErrorKind::InvalidRequest,
            format!(
                "the key {key:?} appears more than once; each item needs its own key (the journal tracks items by key)"
            ),
        ));
    }
    let total = items.len();
    let journal: Option<Arc<dyn Journal>> = match &options.journal {
        Some(JournalChoice::File(path)) => Some(Arc::new(FileJournal::open(path.clone()).await?)),
        Some(JournalChoice::Custom(j)) => Some(j.clone()),
        None => None,
    };
    let previous = match &journal {
        Some(j) => j.load().await?,
        None => HashMap::new(),
    };
    let journal = journal.as_deref();
    let done = AtomicUsize::new(0);
    let progress = |n: usize| {
        if let Some(p) = &options.progress {
            p(Progress { done: n, total });
        }
    };
    let results = futures::stream::iter(items.into_iter().enumerate())
        .map(|(index, (key, input))| {
            let earlier = previous.get(&key);
            let (op, done, progress) = (&op, &done, &progress);
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

async fn send<T, F, Fut>(
    journal: Option<&dyn Journal>,
    key: &str,
    input: T,
    op: &F,
) -> Result<Outcome>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<String>>,
{
    if let Some(j) = journal {
        // Durable before the send: if this fails, nothing is sent.
        j.record(&Entry::Started {
            key: key.to_string(),
        })
        .await?;
    }
    let (outcome, entry) = match op(input).await {
        Ok(id) => (
            Outcome::Created(id.clone()),
            Entry::Created {
                key: key.to_string(),
                id,
            },
        ),
        // A write that failed ambiguously, or whose success response did
        // not decode, may exist: never report it as failed (a re-run would
        // create it twice).
        Err(e) if e.write_outcome_unknown() || e.kind() == ErrorKind::Decode => {
            let text = e.to_string();
            (
                Outcome::Unknown(text.clone()),
                Entry::Unknown {
                    key: key.to_string(),
                    error: text,
                },
            )
        }
        Err(e) => {
            let text = e.to_string();
            (
                Outcome::Failed(e),
                Entry::Failed {
                    key: key.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_record_is_final() {
        let mut state = HashMap::new();
        fold(&mut state, Entry::Started { key: "a".into() });
        fold(
            &mut state,
            Entry::Created {
                key: "a".into(),
                id: "1".into(),
            },
        );
        fold(
            &mut state,
            Entry::Failed {
                key: "a".into(),
                error: "later".into(),
            },
        );
        assert_eq!(
            state["a"],
            Entry::Created {
                key: "a".into(),
                id: "1".into()
            }
        );
    }

    #[tokio::test]
    async fn a_cut_last_line_is_truncated_and_a_bad_middle_line_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        std::fs::write(
            &path,
            "{\"event\":\"created\",\"key\":\"a\",\"id\":\"1\"}\n{\"event\":\"sta",
        )
        .unwrap();
        let journal = FileJournal::open(&path).await.unwrap();
        let state = journal.load().await.unwrap();
        assert_eq!(state.len(), 1);
        journal
            .record(&Entry::Started { key: "b".into() })
            .await
            .unwrap();
        drop(journal);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.lines().all(|l| parse_line(l).is_ok()), "{text}");

        let bad = "{\"event\":\"created\",\"key\":\"a\",\"id\":\"1\"}\ngarbage\n{\"event\":\"started\",\"key\":\"b\"}\n";
        std::fs::write(&path, bad).unwrap();
        let err = FileJournal::open(&path)
            .await
            .unwrap()
            .load()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        assert!(
            err.to_string()
                .contains("deleting the journal would create every item again"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
    }

    #[tokio::test]
    async fn a_journal_is_used_by_one_run_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let first = FileJournal::open(&path).await.unwrap();
        let err = FileJournal::open(&path).await.unwrap_err();
        assert!(err.to_string().contains("in use by another run"), "{err}");
        drop(first);
        FileJournal::open(&path).await.unwrap();
    }

    #[tokio::test]
    async fn duplicate_keys_are_refused_before_anything_is_sent() {
        let sent = AtomicUsize::new(0);
        let items = vec![
            ("a".to_string(), 1),
            ("b".to_string(), 2),
            ("a".to_string(), 3),
        ];
        let err = run(items, BulkOptions::default(), |_| async {
            sent.fetch_add(1, Ordering::SeqCst);
            Ok("id".to_string())
        })
        .await
        .unwrap_err();
        assert!(
            err.to_string().contains("\"a\" appears more than once"),
            "{err}"
        );
        assert_eq!(sent.load(Ordering::SeqCst), 0);
    }
}
