//! [`RedisTokenStore`]: one account's token in Redis, encrypted, with the
//! cross-process refresh lease; [`RedisAccounts`]: the stores of many.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pinterest_api::BoxFuture;
use redis::Script;

use super::{Redis, backend, owner_id};
use crate::auth::token::{Token, TokenFile};
use crate::auth::{Lease, LeaseGuard, ReleaseLease, TokenStore};
use crate::error::{Error, ErrorKind, Result};
use crate::pool::AccountStore;

/// Takes the lease when it is free: `{1, fence}`, else `{0, ms left}`.
const ACQUIRE: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, redis.call('PTTL', KEYS[1])}
end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. fence, 'PX', ARGV[2])
return {1, fence}
";

/// Writes the token record: with `ARGV[2]` = the lease this process holds
/// only while it still holds it (fencing: `-1` once another process took
/// over); with `ARGV[2]` = '' only while nobody refreshes (`0` otherwise).
const SAVE: &str = r"
local lease = redis.call('GET', KEYS[2])
if ARGV[2] == '' then
  if lease then return 0 end
elseif lease ~= ARGV[2] then
  return -1
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[3])
return 1
";

/// Deletes the lease if it is still this holder's.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// One account's token in Redis (see the [module docs](super)). Several
/// processes may hold a store of the same account: the refresh lease
/// lets one of them refresh at a time.
#[derive(Clone)]
pub struct RedisTokenStore {
    redis: Redis,
    account: Arc<str>,
    /// The lease value this store holds (`owner:fence`), while it does.
    held: Arc<Mutex<Option<String>>>,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

impl RedisTokenStore {
    pub(crate) fn new(redis: Redis, account: &str) -> Result<RedisTokenStore> {
        if redis.token_key().is_none() {
            return Err(Error::new(
                ErrorKind::TokenStore,
                "a Redis token store needs an encryption key (RedisConfig::encryption_key): tokens are never stored in clear",
            ));
        }
        if account.is_empty() || account.contains(char::is_whitespace) {
            return Err(Error::new(
                ErrorKind::TokenStore,
                format!("account key {account:?} is empty or contains whitespace"),
            ));
        }
        Ok(RedisTokenStore {
            redis,
            account: account.into(),
            held: Arc::default(),
        })
    }

    /// The account this store is for.
    pub fn account(&self) -> &str {
        &self.account
    }

    fn keys(&self) -> (String, String, String) {
        (
            self.redis.key("token", &self.account),
            self.redis.key("lease", &self.account),
            self.redis.key("fence", &self.account),
        )
    }
}

impl TokenStore for RedisTokenStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<Token>>> {
        Box::pin(async move {
            let (token_key, _, _) = self.keys();
            let record: Option<Vec<u8>> = self
                .redis
                .run("loading a token", |mut c| async move {
                    redis::cmd("GET").arg(&token_key).query_async(&mut c).await
                })
                .await?;
            let Some(record) = record else {
                return Ok(None);
            };
            let key = self.redis.token_key().expect("checked in new");
            let plain = key.open(&self.account, &record)?;
            let file: TokenFile = serde_json::from_slice(&plain).map_err(|e| {
                Error::new(
                    ErrorKind::TokenStore,
                    format!(
                        "the stored token of account {:?} is malformed: {e}",
                        self.account
                    ),
                )
            })?;
            Ok(Some(Token::from_file(file)))
        })
    }

    fn save<'a>(&'a self, token: &'a Token) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let (token_key, lease_key, _) = self.keys();
            let plain = serde_json::to_vec(&token.to_file()).map_err(|e| {
                Error::new(
                    ErrorKind::TokenStore,
                    format!("cannot serialize the token: {e}"),
                )
            })?;
            let record = self
                .redis
                .token_key()
                .expect("checked in new")
                .seal(&self.account, &plain)?;
            let held = self
                .held
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
                .unwrap_or_default();
            let accounts = self.redis.global_key("accounts");
            let account = self.account.to_string();
            let saved: i64 = self
                .redis
                .run("saving a token", |mut c| async move {
                    Script::new(SAVE)
                        .key(token_key)
                        .key(lease_key)
                        .key(accounts)
                        .arg(record)
                        .arg(held)
                        .arg(account)
                        .invoke_async(&mut c)
                        .await
                })
                .await?;
            match saved {
                1 => Ok(()),
                0 => Err(backend(format!(
                    "not saved: another process is refreshing account {:?}; its token wins",
                    self.account
                ))),
                _ => Err(backend(format!(
                    "not saved: this process's refresh lease on account {:?} expired and another process took over",
                    self.account
                ))),
            }
        })
    }

    /// The lease lasts [`RedisConfig::lease_ttl`](super::RedisConfig::lease_ttl)
    /// (the bound every process agrees on), whatever `ttl` the client asks.
    fn lease_refresh(&self, _ttl: Duration) -> BoxFuture<'_, Result<Lease>> {
        Box::pin(async move {
            let (_, lease_key, fence_key) = self.keys();
            let owner = owner_id();
            let ttl_ms = self.redis.lease_ttl().as_millis() as u64;
            let (granted, value): (i64, i64) = {
                let (lease_key, owner) = (lease_key.clone(), owner.clone());
                self.redis
                    .run("taking the refresh lease", |mut c| async move {
                        Script::new(ACQUIRE)
                            .key(lease_key)
                            .key(fence_key)
                            .arg(owner)
                            .arg(ttl_ms)
                            .invoke_async(&mut c)
                            .await
                    })
                    .await?
            };
            if granted == 0 {
                // Poll for the holder's token a few times per lease.
                let left = Duration::from_millis(value.max(0) as u64);
                return Ok(Lease::Held {
                    retry_in: left.clamp(Duration::from_millis(20), Duration::from_millis(200)),
                });
            }
            let lease = format!("{owner}:{value}");
            *self.held.lock().unwrap_or_else(|p| p.into_inner()) = Some(lease.clone());
            Ok(Lease::Granted(LeaseGuard::new(RedisLease {
                store: self.clone(),
                lease_key,
                lease,
            })))
        })
    }
}

/// Gives a refresh lease back.
struct RedisLease {
    store: RedisTokenStore,
    lease_key: String,
    lease: String,
}

impl fmt::Debug for RedisLease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLease")
            .field("account", &self.store.account)
            .finish_non_exhaustive()
    }
}

impl ReleaseLease for RedisLease {
    fn release(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move {
            let RedisLease {
                store,
                lease_key,
                lease,
            } = *self;
            *store.held.lock().unwrap_or_else(|p| p.into_inner()) = None;
            store
                .redis
                .run("releasing the refresh lease", |mut c| async move {
                    Script::new(RELEASE)
                        .key(lease_key)
                        .arg(lease)
                        .invoke_async::<i64>(&mut c)
                        .await
                })
                .await
                .map(drop)
        })
    }
}

/// The token stores of every account in Redis, and the lease of the
/// keep-alive sweep.
#[derive(Debug, Clone)]
pub struct RedisAccounts {
    redis: Redis,
}

impl RedisAccounts {
    pub(crate) fn new(redis: Redis) -> RedisAccounts {
        RedisAccounts { redis }
    }
}

impl AccountStore for RedisAccounts {
    fn store(&self, account: &str) -> Result<Arc<dyn TokenStore>> {
        Ok(Arc::new(RedisTokenStore::new(self.redis.clone(), account)?))
    }

    fn accounts(&self) -> BoxFuture<'_, Result<Vec<String>>> {
        Box::pin(async move {
            let key = self.redis.global_key("accounts");
            let mut accounts: Vec<String> = self
                .redis
                .run("listing accounts", |mut c| async move {
                    redis::cmd("SMEMBERS").arg(key).query_async(&mut c).await
                })
                .await?;
            accounts.sort();
            Ok(accounts)
        })
    }

    fn lease_sweep(&self, ttl: Duration) -> BoxFuture<'_, Result<Lease>> {
        Box::pin(async move {
            let key = self.redis.global_key("sweep");
            let owner = owner_id();
            let ttl_ms = ttl.as_millis().max(1) as u64;
            let taken: Option<String> = {
                let (key, owner) = (key.clone(), owner.clone());
                self.redis
                    .run("taking the sweep lease", |mut c| async move {
                        redis::cmd("SET")
                            .arg(key)
                            .arg(owner)
                            .arg("NX")
                            .arg("PX")
                            .arg(ttl_ms)
                            .query_async(&mut c)
                            .await
                    })
                    .await?
            };
            if taken.is_none() {
                return Ok(Lease::Held { retry_in: ttl });
            }
            Ok(Lease::Granted(LeaseGuard::new(SweepLease {
                redis: self.redis.clone(),
                key,
                owner,
            })))
        })
    }
}

struct SweepLease {
    redis: Redis,
    key: String,
    owner: String,
}

impl fmt::Debug for SweepLease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SweepLease")
    }
}

impl ReleaseLease for SweepLease {
    fn release(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move {
            let SweepLease { redis, key, owner } = *self;
            redis
                .run("releasing the sweep lease", |mut c| async move {
                    Script::new(RELEASE)
                        .key(key)
                        .arg(owner)
                        .invoke_async::<i64>(&mut c)
                        .await
                })
                .await
                .map(drop)
        })
    }
}
