//! [`RedisLimiter`]: one rate limit per (account or app, category) for
//! every process, in one Lua script per call (GCRA on Redis's clock), and
//! the waits Pinterest's headers impose, shared.

use std::fmt;
use std::time::Duration;

use pinterest_api::BoxFuture;
use redis::Script;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::time::Instant;

use super::Redis;
use crate::error::Result;
use crate::ratelimit::{LimitKey, Limiter, RateLimiter, RateLimits, block_from, too_late};

/// Takes a slot: `{1, wait_us}` (sleep `wait_us`, then send) or
/// `{0, wait_us}` (no slot within `max_wait`; nothing reserved).
const ACQUIRE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
local earliest = math.max(now, blocked)
local interval = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[3])
if interval == 0 then
  local wait = earliest - now
  if wait > max_wait then return {0, wait} end
  return {1, wait}
end
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local allow = math.max(tat - tonumber(ARGV[2]), earliest)
local wait = allow - now
if wait > max_wait then return {0, wait} end
local new_tat = math.max(tat, allow) + interval
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1000)
return {1, wait}
";

/// Blocks the key until `now + ARGV[1]` µs (or later, if it already is).
const BLOCK: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local until_ = now + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%.0f', until_), 'PX', math.ceil(tonumber(ARGV[1]) / 1000) + 1000)
end
return 1
";

/// What the limiter does when Redis fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum LimiterFallback {
    /// Fall back to this process's own limiter with the same limits
    /// (default): calls go on, each process keeping its own pace, until
    /// Redis answers again.
    #[default]
    Local,
    /// Fail the call with [`ErrorKind::Backend`](crate::ErrorKind::Backend):
    /// nothing is sent that the shared limit has not allowed.
    FailClosed,
}

/// A [`Limiter`] shared by every process on one Redis (see the
/// [module docs](super)).
pub struct RedisLimiter {
    redis: Redis,
    limits: RateLimits,
    fallback: LimiterFallback,
    local: RateLimiter,
}

impl fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimiter")
            .field("limits", &self.limits)
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

impl RedisLimiter {
    pub(crate) fn new(redis: Redis, limits: RateLimits) -> RedisLimiter {
        RedisLimiter {
            local: RateLimiter::new(limits.clone()),
            redis,
            limits,
            fallback: LimiterFallback::default(),
        }
    }

    /// What to do when Redis fails (default [`LimiterFallback::Local`]).
    pub fn fallback(mut self, fallback: LimiterFallback) -> RedisLimiter {
        self.fallback = fallback;
        self
    }

    /// The Redis keys of `key`: (GCRA state, blocked-until).
    fn keys(&self, key: &LimitKey) -> (String, String) {
        let scope = key.account.as_deref().unwrap_or("app");
        let category = key.category.unwrap_or("default");
        let name = format!("{scope}:{category}");
        (
            self.redis.key("limit", &name),
            self.redis.key("blocked", &name),
        )
    }

    async fn acquire_shared(&self, key: &LimitKey, deadline: Instant) -> Result<Duration> {
        let limit = self.limits.limit_for(key.category.unwrap_or(""));
        let (interval, tolerance) = match limit {
            Some(l) => {
                let i = l.interval().as_micros().max(1) as u64;
                (
                    i,
                    i.saturating_mul(u64::from(l.burst_size().saturating_sub(1))),
                )
            }
            None => (0, 0),
        };
        let max_wait = deadline
            .saturating_duration_since(Instant::now())
            .as_micros() as u64;
        let (tat_key, blocked_key) = self.keys(key);
        let (granted, wait): (i64, i64) = self
            .redis
            .run("taking a rate-limit slot", |mut c| async move {
                Script::new(ACQUIRE)
                    .key(tat_key)
                    .key(blocked_key)
                    .arg(interval)
                    .arg(tolerance)
                    .arg(max_wait)
                    .invoke_async(&mut c)
                    .await
            })
            .await?;
        let wait = Duration::from_micros(wait.max(0) as u64);
        if granted == 0 {
            return Err(too_late(key, wait));
        }
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        Ok(wait)
    }
}

impl Limiter for RedisLimiter {
    fn acquire<'a>(
        &'a self,
        key: &'a LimitKey,
        deadline: Instant,
    ) -> BoxFuture<'a, Result<Duration>> {
        Box::pin(async move {
            match self.acquire_shared(key, deadline).await {
                Err(e) if e.kind() == crate::ErrorKind::Backend => match self.fallback {
                    LimiterFallback::FailClosed => Err(e),
                    LimiterFallback::Local => {
                        tracing::warn!(error = %e, "the shared limiter is unavailable; using this process's own");
                        self.local.acquire(key, deadline).await
                    }
                },
                other => other,
            }
        })
    }

    fn observe<'a>(
        &'a self,
        key: &'a LimitKey,
        status: StatusCode,
        headers: &'a HeaderMap,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            // This process's own limiter learns too: it is the fallback.
            self.local.observe(key, status, headers).await;
            if !self.limits.follows_headers() {
                return;
            }
            let Some(wait) = block_from(status, headers) else {
                return;
            };
            let (_, blocked_key) = self.keys(key);
            let wait_us = wait.as_micros() as u64;
            let shared = self
                .redis
                .run("sharing a rate-limit wait", |mut c| async move {
                    Script::new(BLOCK)
                        .key(blocked_key)
                        .arg(wait_us)
                        .invoke_async::<i64>(&mut c)
                        .await
                })
                .await;
            if let Err(e) = shared {
                tracing::warn!(error = %e, "could not share a rate-limit wait with the other processes");
            }
        })
    }
}
