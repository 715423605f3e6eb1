//! [`RedisJournal`]: the bulk journal in a Redis hash (item key → its last
//! record, `created` final), held by one process at a time.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use pinterest_api::BoxFuture;
use redis::Script;

use super::{Redis, backend, owner_id};
use crate::bulk::{Entry, Journal};
use crate::error::Result;

/// How long the job's lock lasts without a record (it is renewed by every
/// record).
const LOCK_TTL: Duration = Duration::from_secs(600);

/// Records an entry while this process holds the job: `1` recorded, `0`
/// kept (the item was already created), `-1` the lock is someone else's.
const RECORD: &str = r#"
if redis.call('GET', KEYS[2]) ~= ARGV[3] then return -1 end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old and string.find(old, '"event":"created"', 1, true) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"#;

/// A bulk job's journal in Redis, so a job restarted on another machine
/// knows what was created (see [`crate::bulk`]). Records are as durable as
/// the Redis server makes them: run it with `appendonly yes`.
pub struct RedisJournal {
    redis: Redis,
    hash: String,
    lock: String,
    owner: String,
}

impl fmt::Debug for RedisJournal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisJournal")
            .field("hash", &self.hash)
            .finish_non_exhaustive()
    }
}

impl RedisJournal {
    pub(crate) async fn open(redis: Redis, job: &str) -> Result<RedisJournal> {
        let hash = redis.key("journal", job);
        let lock = format!("{hash}:lock");
        let owner = owner_id();
        let taken: Option<String> = {
            let (lock, owner) = (lock.clone(), owner.clone());
            redis
                .run("taking the journal's lock", |mut c| async move {
                    redis::cmd("SET")
                        .arg(lock)
                        .arg(owner)
                        .arg("NX")
                        .arg("PX")
                        .arg(LOCK_TTL.as_millis() as u64)
                        .query_async(&mut c)
                        .await
                })
                .await?
        };
        if taken.is_none() {
            return Err(backend(format!(
                "bulk job {job:?} is running in another process (its journal is locked for up to {}s after its last record)",
                LOCK_TTL.as_secs()
            )));
        }
        Ok(RedisJournal {
            redis,
            hash,
            lock,
            owner,
        })
    }

    /// Releases the job (another process may open it at once).
    pub async fn close(self) -> Result<()> {
        let (lock, owner) = (self.lock.clone(), self.owner.clone());
        self.redis
            .run("releasing the journal's lock", |mut c| async move {
                Script::new(
                    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
                )
                .key(lock)
                .arg(owner)
                .invoke_async::<i64>(&mut c)
                .await
            })
            .await
            .map(drop)
    }
}

impl Journal for RedisJournal {
    fn load(&self) -> BoxFuture<'_, Result<HashMap<String, Entry>>> {
        Box::pin(async move {
            let hash = self.hash.clone();
            let raw: HashMap<String, String> = self
                .redis
                .run("loading the journal", |mut c| async move {
                    redis::cmd("HGETALL").arg(hash).query_async(&mut c).await
                })
                .await?;
            let mut state = HashMap::with_capacity(raw.len());
            for (key, record) in raw {
                let entry: Entry = serde_json::from_str(&record)
                    .map_err(|e| backend(format!("journal record of {key:?} is malformed: {e}")))?;
                state.insert(key, entry);
            }
            Ok(state)
        })
    }

    fn record<'a>(&'a self, entry: &'a Entry) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let record = serde_json::to_string(entry)
                .map_err(|e| backend(format!("cannot serialize a journal record: {e}")))?;
            let (hash, lock, owner) = (self.hash.clone(), self.lock.clone(), self.owner.clone());
            let key = entry.key().to_string();
            let outcome: i64 = self
                .redis
                .run("recording in the journal", |mut c| async move {
                    Script::new(RECORD)
                        .key(hash)
                        .key(lock)
                        .arg(key)
                        .arg(record)
                        .arg(owner)
                        .arg(LOCK_TTL.as_millis() as u64)
                        .invoke_async(&mut c)
                        .await
                })
                .await?;
            if outcome < 0 {
                return Err(backend(
                    "this process no longer holds the bulk job's journal (its lock expired and another process took it); stopping",
                ));
            }
            Ok(())
        })
    }
}
