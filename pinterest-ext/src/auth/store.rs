//! Where tokens live between runs: [`TokenStore`], with an in-memory
//! store and a JSON file store (atomic replacement, mode 0600, a clear
//! error when the file is unreadable or malformed; never a silent fallback).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use pinterest_api::BoxFuture;

use super::token::{Token, TokenFile};
use crate::error::{Error, ErrorKind, Result};

/// Loads and saves a token. Implement it to keep tokens in a database or
/// a keychain; the client saves every refreshed token (with its rotated
/// refresh token) before using it.
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The stored token, `None` when there is none yet.
    fn load(&self) -> BoxFuture<'_, Result<Option<Token>>>;
    /// Replaces the stored token.
    fn save<'a>(&'a self, token: &'a Token) -> BoxFuture<'a, Result<()>>;
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
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            fastrand::u64(..)
        ));
        let json = serde_json::to_vec_pretty(&token.to_file())
            .map_err(|e| self.error("cannot encode the token for", e))?;
        let written = write_private(&tmp, &json)
            .and_then(|()| std::fs::rename(&tmp, &self.path))
            .and_then(|()| sync_dir(dir));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(self.error("cannot save the token to", e));
        }
        Ok(())
    }
}

/// Creates `path` readable by its owner only, writes and syncs it.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
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
