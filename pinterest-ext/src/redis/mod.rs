//! Shared state on Redis, for integrations that run as several processes
//! and act for many Pinterest accounts (feature `redis`):
//!
//! - [`RedisTokenStore`]: tokens encrypted at rest (AES-256-GCM, an
//!   app-held key, the account as associated data), written atomically,
//!   with a cross-process refresh lease: one process refreshes a token,
//!   the others wait for the token it saves (see [`crate::TokenStore`]).
//! - [`RedisLimiter`]: a [`Limiter`](crate::Limiter) shared by every
//!   process, one Lua script (GCRA) and one round trip per call, that also
//!   shares what `X-RateLimit-*`/`Retry-After` headers said.
//! - [`RedisAccounts`]: the token stores of many accounts, for a
//!   [`ClientPool`](crate::ClientPool) and its keep-alive sweep.
//! - [`RedisJournal`]: the bulk journal, so a job restarted on another
//!   machine does not create duplicates.
//!
//! Every command is bounded ([`RedisConfig::command_timeout`]); a failure
//! is an [`ErrorKind::Backend`](crate::ErrorKind::Backend) error. What a
//! failure means:
//!
//! | when Redis fails | what happens |
//! |---|---|
//! | loading a token | the call fails (`Backend`); the client keeps the token it has in memory and uses it while it is valid |
//! | the refresh lease | the refresh fails (`Backend`, fail closed: two processes refreshing would lose the rotated refresh token); the failure cool-down keeps other calls from retrying it at once |
//! | saving a refreshed token | the new token is kept in memory, used, and saved again on the next call (never lost) |
//! | the limiter | per [`LimiterFallback`]: fail closed (`Backend`), or fall back to this process's own limiter |
//! | the journal | the bulk item is not sent (its record must be durable first) |
//!
//! Keys live under [`RedisConfig::prefix`] (`pinterest:` by default):
//! `{prefix}token:{account}`, `{prefix}lease:{account}`,
//! `{prefix}fence:{account}`, `{prefix}accounts` (a set),
//! `{prefix}limit:{scope}:{category}`, `{prefix}journal:{job}`.
//!
//! ```no_run
//! # async fn run() -> pinterest_ext::Result<()> {
//! use pinterest_ext::redis::{Redis, RedisConfig};
//! use pinterest_ext::{AppCredentials, ClientPool, RateLimits};
//! let key = [7u8; 32]; // from your secret manager
//! let redis = Redis::connect(RedisConfig::new("redis://127.0.0.1/").encryption_key(key)).await?;
//! let pool = ClientPool::builder()
//!     .credentials(AppCredentials::from_env()?)
//!     .accounts(redis.accounts())
//!     .limiter(redis.limiter(RateLimits::standard()))
//!     .build()?;
//! let client = pool.client("user-1234").await?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```

mod crypto;
mod journal;
mod limiter;
mod tokens;

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

pub use crypto::TokenKey;
pub use journal::RedisJournal;
pub use limiter::{LimiterFallback, RedisLimiter};
pub use tokens::{RedisAccounts, RedisTokenStore};

use crate::error::{Error, ErrorKind, Result};

/// How to reach Redis and how to use it.
#[derive(Clone)]
pub struct RedisConfig {
    url: String,
    prefix: String,
    key: Option<TokenKey>,
    connect_timeout: Duration,
    command_timeout: Duration,
    lease_ttl: Duration,
}

impl fmt::Debug for RedisConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may hold a password.
        f.debug_struct("RedisConfig")
            .field("prefix", &self.prefix)
            .field("encryption_key", &self.key.as_ref().map(|_| "[set]"))
            .field("connect_timeout", &self.connect_timeout)
            .field("command_timeout", &self.command_timeout)
            .field("lease_ttl", &self.lease_ttl)
            .finish_non_exhaustive()
    }
}

impl RedisConfig {
    /// Redis at `url` (`redis://host:port/db`, `rediss://` for TLS is not
    /// compiled in), key prefix `pinterest:`, 2 s to connect, 500 ms per
    /// command, refresh leases of 30 s.
    pub fn new(url: impl Into<String>) -> RedisConfig {
        RedisConfig {
            url: url.into(),
            prefix: "pinterest:".into(),
            key: None,
            connect_timeout: Duration::from_secs(2),
            command_timeout: Duration::from_millis(500),
            lease_ttl: Duration::from_secs(30),
        }
    }

    /// The prefix of every key (so several apps can share a Redis).
    pub fn prefix(mut self, prefix: impl Into<String>) -> RedisConfig {
        self.prefix = prefix.into();
        self
    }

    /// The key tokens are encrypted with (32 bytes, kept by the app, not
    /// in Redis). Required for token stores.
    pub fn encryption_key(mut self, key: [u8; 32]) -> RedisConfig {
        self.key = Some(TokenKey::new(key));
        self
    }

    /// Time to connect (and to reconnect) to Redis.
    pub fn connect_timeout(mut self, timeout: Duration) -> RedisConfig {
        self.connect_timeout = timeout;
        self
    }

    /// Time for one command.
    pub fn command_timeout(mut self, timeout: Duration) -> RedisConfig {
        self.command_timeout = timeout;
        self
    }

    /// How long a refresh lease lasts: a process that dies holding it
    /// loses it after this.
    pub fn lease_ttl(mut self, ttl: Duration) -> RedisConfig {
        self.lease_ttl = ttl;
        self
    }
}

/// A connection to Redis (reconnecting by itself), shared by the stores,
/// limiters and journals made from it. Cheap to clone.
#[derive(Clone)]
pub struct Redis {
    inner: Arc<Inner>,
}

struct Inner {
    connection: ConnectionManager,
    config: RedisConfig,
}

impl fmt::Debug for Redis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redis")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Redis {
    /// Connects (within the connect timeout).
    pub async fn connect(config: RedisConfig) -> Result<Redis> {
        let client = redis::Client::open(config.url.as_str()).map_err(|e| {
            Error::new(
                ErrorKind::Backend,
                format!("invalid Redis URL: {}", redis_error(&e)),
            )
        })?;
        let manager_config = ConnectionManagerConfig::new()
            .set_connection_timeout(config.connect_timeout)
            .set_response_timeout(config.command_timeout)
            .set_number_of_retries(2)
            .set_max_delay(config.connect_timeout.as_millis() as u64);
        let connection = tokio::time::timeout(
            config.connect_timeout * 2,
            ConnectionManager::new_with_config(client, manager_config),
        )
        .await
        .map_err(|_| backend("connecting to Redis timed out"))?
        .map_err(|e| backend(format!("cannot connect to Redis: {}", redis_error(&e))))?;
        Ok(Redis {
            inner: Arc::new(Inner { connection, config }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &RedisConfig {
        &self.inner.config
    }

    /// The key `{prefix}{kind}:{name}`.
    pub(crate) fn key(&self, kind: &str, name: &str) -> String {
        format!("{}{kind}:{name}", self.inner.config.prefix)
    }

    /// The key `{prefix}{name}`.
    pub(crate) fn global_key(&self, name: &str) -> String {
        format!("{}{name}", self.inner.config.prefix)
    }

    /// Runs a command on a connection, bounded by the command timeout;
    /// failures are `Backend` errors saying `what` was being done.
    pub(crate) async fn run<T, F, Fut>(&self, what: &str, f: F) -> Result<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let connection = self.inner.connection.clone();
        match tokio::time::timeout(self.inner.config.command_timeout, f(connection)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(backend(format!("Redis failed {what}: {}", redis_error(&e)))),
            Err(_) => Err(backend(format!(
                "Redis did not answer within {:?} {what}",
                self.inner.config.command_timeout
            ))),
        }
    }

    /// The token store of `account`.
    pub fn token_store(&self, account: &str) -> Result<RedisTokenStore> {
        RedisTokenStore::new(self.clone(), account)
    }

    /// The token stores of every account (for a
    /// [`ClientPool`](crate::ClientPool)).
    pub fn accounts(&self) -> RedisAccounts {
        RedisAccounts::new(self.clone())
    }

    /// A limiter shared by every process using this Redis, with `limits`
    /// per category; when Redis fails it falls back to an in-process
    /// limiter with the same limits (see [`RedisLimiter::fallback`]).
    pub fn limiter(&self, limits: crate::RateLimits) -> RedisLimiter {
        RedisLimiter::new(self.clone(), limits)
    }

    /// The journal of bulk job `job`, held by this process while it runs
    /// (another process opening it gets an error).
    pub async fn journal(&self, job: &str) -> Result<RedisJournal> {
        RedisJournal::open(self.clone(), job).await
    }

    pub(crate) fn token_key(&self) -> Option<&TokenKey> {
        self.inner.config.key.as_ref()
    }

    pub(crate) fn lease_ttl(&self) -> Duration {
        self.inner.config.lease_ttl
    }
}

pub(crate) fn backend(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Backend, message)
}

/// A Redis error in words, without the URL or the command's arguments.
fn redis_error(e: &redis::RedisError) -> String {
    let kind = format!("{:?}", e.kind());
    match e.detail() {
        Some(detail) => format!("{kind}: {detail}"),
        None if e.is_timeout() => format!("{kind}: timed out"),
        None if e.is_connection_refusal() => format!("{kind}: connection refused"),
        None if e.is_io_error() => format!("{kind}: I/O error"),
        None => kind,
    }
}

/// A random owner id for leases and locks.
pub(crate) fn owner_id() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}
