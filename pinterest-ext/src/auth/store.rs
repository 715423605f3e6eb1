//! Where tokens live between runs: [`TokenStore`], with an in-memory
//! store and a JSON file store (atomic replacement, mode 0600, a clear
//! error when the file is unreadable or malformed; never a silent fallback).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use pinterest_api::BoxFuture;

use super::token::{Token, TokenFile};
use crate::error::{Error, ErrorKind, Result};

/// Loads and saves a token. Implement it to keep tokens in a database or
/// a keychain; the client saves every refreshed token (with its rotated
/// refresh token) before using it.
///
/// A store shared by several processes also coordinates their refreshes
/// ([`TokenStore::lease_refresh`]): with continuous refresh, two processes
/// refreshing the same token at once leave one of them with a dead refresh
/// token.
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The stored token, `None` when there is none yet.
    fn load(&self) -> BoxFuture<'_, Result<Option<Token>>>;
    /// Replaces the stored token.
    fn save<'a>(&'a self, token: &'a Token) -> BoxFuture<'a, Result<()>>;
    /// Asks for the right to refresh for at most `ttl`. The default, for a
    /// store only this process uses, always grants it (the client already
    /// runs one refresh at a time).
    fn lease_refresh(&self, ttl: Duration) -> BoxFuture<'_, Result<Lease>> {
        let _ = ttl;
        Box::pin(async { Ok(Lease::Granted(LeaseGuard::local())) })
    }
}

/// The answer to [`TokenStore::lease_refresh`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Lease {
    /// This process may refresh; release the guard afterwards.
    Granted(LeaseGuard),
    /// Another process is refreshing: look for its token after `retry_in`.
    Held {
        /// When to look again.
        retry_in: Duration,
    },
}

/// Gives a refresh lease back.
pub trait ReleaseLease: Send + fmt::Debug {
    /// Releases the lease (only if it is still this holder's).
    fn release(self: Box<Self>) -> BoxFuture<'static, Result<()>>;
}

/// A granted refresh lease.
#[derive(Debug)]
pub struct LeaseGuard(Option<Box<dyn ReleaseLease>>);

impl LeaseGuard {
    /// A lease that needs no releasing (a single-process store).
    pub fn local() -> LeaseGuard {
        LeaseGuard(None)
    }

    /// A lease released by `release`.
    pub fn new(release: impl ReleaseLease + 'static) -> LeaseGuard {
        LeaseGuard(Some(Box::new(release)))
    }

    /// Gives the lease back.
    pub async fn release(self) -> Result<()> {
        match self.0 {
            Some(r) => r.release().await,
            None => Ok(()),
        }
    }
}

/// Keeps the token in memory only (lost when the process ends).
#[derive(Default)]
pub struct MemoryStore {
    token: Mutex<Option<Token>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// A store holding `token`.
    pub fn with_token(token: Token) -> MemoryStore {
        MemoryStore {
            token: Mutex::new(Some(token)),
        }
    }

    /// The token it holds.
    pub fn get(&self) -> Option<Token> {
        self.token.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("token", &self.get())
            .finish()
    }
}

impl TokenStore for MemoryStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<Token>>> {
        Box::pin(async move { Ok(self.get()) })
    }

    fn save<'a>(&'a self, token: &'a Token) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            *self.token.lock().unwrap_or_else(|p| p.into_inner()) = Some(token.clone());
            Ok(())
        })
    }
}

/// Keeps the token in a JSON file, readable by its owner only (mode 0600
/// on Unix). Saving writes a temporary file in the same directory, syncs
/// it and renames it over the old one, so a crash leaves either the old or
/// the new token, never half of one.
///
/// ```no_run
/// # async fn run() -> pinterest_ext::Result<()> {
/// use pinterest_ext::{FileStore, TokenStore};
/// let store = FileStore::new("/home/me/.config/myapp/pinterest-token.json");
/// if let Some(token) = store.load().await? {
///     println!("token expires at {:?}", token.expires_at());
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    /// A store at `path` (the file need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> FileStore {
        FileStore { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, what: &str, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::new(
            ErrorKind::TokenStore,
            format!("{what} {}: {source}", self.path.display()),
        )
        .with_source(source)
    }

    fn load_blocking(&self) -> Result<Option<Token>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.error("cannot read the token file", e)),
        };
        warn_if_readable_by_others(&self.path);
        // serde_json's message can quote a value from the file (a token):
        // say only what kind of problem it is, and where.
        let file: TokenFile = serde_json::from_str(&text).map_err(|e| {
            let what = match e.classify() {
                serde_json::error::Category::Syntax => "not valid JSON",
                serde_json::error::Category::Eof => "truncated",
                serde_json::error::Category::Data | serde_json::error::Category::Io => {
                    "missing a field or holding one of the wrong type"
                }
            };
            Error::new(
                ErrorKind::TokenStore,
                format!(
                    "the token file {} is malformed ({what}, line {} column {}); fix it, or delete it and log in again",
                    self.path.display(),
                    e.line(),
                    e.column(),
                ),
            )
        })?;
        Ok(Some(Token::from_file(file)))
    }

    fn save_blocking(&self, token: &Token) -> Result<()> {
        let dir = self
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| self.error("cannot create the directory of", e))?;
        let json = serde_json::to_vec_pretty(&token.to_file())
            .map_err(|e| self.error("cannot encode the token for", e))?;
        write_private(dir, &self.path, &json).map_err(|e| self.error("cannot save the token to", e))
    }
}

/// Writes `bytes` to `path` atomically and privately: a uniquely named
/// temp file in `dir` (created 0600 by `tempfile`), synced, renamed over
/// `path`, and the directory synced. A crash leaves the old file or the
/// new one; the temp file is removed on failure.
pub(crate) fn write_private(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".pinterest-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                path = %path.display(),
                mode = format!("{:o}", meta.permissions().mode() & 0o777),
                "the token file is readable by other users; it will be rewritten with mode 0600 on the next save"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

impl TokenStore for FileStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<Token>>> {
        let store = self.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || store.load_blocking())
                .await
                .map_err(|e| {
                    Error::new(
                        ErrorKind::TokenStore,
                        format!("loading the token failed: {e}"),
                    )
                })?
        })
    }

    fn save<'a>(&'a self, token: &'a Token) -> BoxFuture<'a, Result<()>> {
        let store = self.clone();
        let token = token.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || store.save_blocking(&token))
                .await
                .map_err(|e| {
                    Error::new(
                        ErrorKind::TokenStore,
                        format!("saving the token failed: {e}"),
                    )
                })?
        })
    }
}
