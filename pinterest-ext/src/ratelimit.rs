//! Client-side rate limiting per `x-ratelimit-category` (and per account,
//! when a client serves several): the [`Limiter`] trait, and
//! [`RateLimiter`], the in-process implementation every client gets by
//! default (a shared Redis one is in [`crate::redis`] with the `redis`
//! feature).
//!
//! [`RateLimiter`] is GCRA (a token bucket kept as one "theoretical arrival
//! time" per key): each caller reserves the next slot in arrival order, so
//! no task starves, and after a block (`Retry-After`, or
//! `X-RateLimit-Remaining: 0`) the reservations continue from the block's
//! end at the configured pace instead of all firing at once. A caller
//! dropped while waiting gives its slot back. Every wait is bounded by the
//! call's deadline: a slot later than that is an
//! [`ErrorKind::RateLimited`](crate::ErrorKind) error with
//! [`Error::retry_at`](crate::Error::retry_at), never a sleep.
//!
//! The bucket is written here rather than taken from `governor`, because it
//! must follow Pinterest's headers (blocks until a reset) and reserve slots
//! for queued callers, which governor's `until_ready` does not.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use pinterest_api::BoxFuture;
use pinterest_api::headers::RateLimitHeaders;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::time::Instant;

use crate::error::{Error, ErrorKind, Result};

/// A rate: `requests` per `per`, with bursts of up to `burst` requests.
///
/// ```
/// use pinterest_ext::Limit;
/// let writes = Limit::per_minute(100);
/// assert_eq!(writes.requests_per_second(), 100.0 / 60.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    requests: u32,
    per: Duration,
    burst: u32,
}

impl Limit {
    /// `requests` per `per`. The burst defaults to 1: requests are paced
    /// evenly, which no server-side window can see as exceeding the rate.
    pub fn new(requests: u32, per: Duration) -> Limit {
        Limit {
            requests: requests.max(1),
            per: if per.is_zero() {
                Duration::from_secs(1)
            } else {
                per
            },
            burst: 1,
        }
    }

    /// `requests` per second.
    pub fn per_second(requests: u32) -> Limit {
        Limit::new(requests, Duration::from_secs(1))
    }

    /// `requests` per minute.
    pub fn per_minute(requests: u32) -> Limit {
        Limit::new(requests, Duration::from_secs(60))
    }

    /// `requests` per day.
    pub fn per_day(requests: u32) -> Limit {
        Limit::new(requests, Duration::from_secs(86_400))
    }

    /// Allows up to `burst` requests at once after an idle period.
    pub fn burst(mut self, burst: u32) -> Limit {
        self.burst = burst.max(1);
        self
    }

    /// The sustained rate.
    pub fn requests_per_second(&self) -> f64 {
        f64::from(self.requests) / self.per.as_secs_f64()
    }

    /// The time between two requests at the sustained rate.
    pub fn interval(&self) -> Duration {
        self.per / self.requests
    }

    /// Requests allowed at once.
    pub fn burst_size(&self) -> u32 {
        self.burst
    }
}

/// Limits per rate-limit category.
///
/// ```
/// use pinterest_ext::{Limit, RateLimits};
/// let limits = RateLimits::standard().category("org_write", Limit::per_minute(50));
/// assert_eq!(limits.limit_for("org_write"), Some(Limit::per_minute(50)));
/// assert!(RateLimits::unlimited().limit_for("org_write").is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    categories: BTreeMap<String, Limit>,
    default: Option<Limit>,
    follow_headers: bool,
}

impl RateLimits {
    /// No client-side limits; still waits when Pinterest's headers say the
    /// quota is used up.
    pub fn unlimited() -> RateLimits {
        RateLimits {
            categories: BTreeMap::new(),
            default: None,
            follow_headers: true,
        }
    }

    /// Pinterest's Standard access, per user and app, as its rate-limit
    /// documentation lists them (per minute): reads 1000, writes 400
    /// (`org_write` 100), analytics 300, conversions 5000. Check your app's
    /// limits in the developer portal and override what differs; headers
    /// from Pinterest take precedence at run time.
    pub fn standard() -> RateLimits {
        let m = Limit::per_minute;
        RateLimits::unlimited()
            .default_limit(m(300))
            .category("org_read", m(1000))
            .category("org_write", m(100))
            .category("org_analytics", m(300))
            .category("ads_read", m(1000))
            .category("ads_write", m(400))
            .category("ads_analytics", m(300))
            .category("ads_conversions", m(5000))
            .category("catalogs_read", m(1000))
            .category("catalogs_write", m(400))
            .category("trends_read", m(1000))
    }

    /// Pinterest's Trial access: 1000 calls per day for each category
    /// (bursts allowed up to the daily quota).
    pub fn trial() -> RateLimits {
        RateLimits::unlimited().default_limit(Limit::per_day(1000).burst(1000))
    }

    /// Sets the limit of one category.
    pub fn category(mut self, name: impl Into<String>, limit: Limit) -> RateLimits {
        self.categories.insert(name.into(), limit);
        self
    }

    /// The limit of categories not set explicitly (and of operations
    /// without a category).
    pub fn default_limit(mut self, limit: Limit) -> RateLimits {
        self.default = Some(limit);
        self
    }

    /// Whether to wait when `X-RateLimit-Remaining` reaches 0 or a 429
    /// says when to come back (default on).
    pub fn follow_headers(mut self, follow: bool) -> RateLimits {
        self.follow_headers = follow;
        self
    }

    /// Whether headers are followed.
    pub fn follows_headers(&self) -> bool {
        self.follow_headers
    }

    /// Whether no category is paced at all (then only a block that
    /// Pinterest's headers impose can delay a call).
    pub(crate) fn paces_nothing(&self) -> bool {
        self.categories.is_empty() && self.default.is_none()
    }

    /// The limit applied to `category`.
    pub fn limit_for(&self, category: &str) -> Option<Limit> {
        self.categories.get(category).copied().or(self.default)
    }
}

/// What a rate limit is kept per: the account (when a client pool serves
/// several; Pinterest limits per user and app) and the operation's
/// `x-ratelimit-category`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LimitKey {
    /// The account key, `None` for a single-account client.
    pub account: Option<Arc<str>>,
    /// The category, `None` for operations without one.
    pub category: Option<&'static str>,
}

impl LimitKey {
    /// The key of `category` for a single-account client.
    pub fn category(category: Option<&'static str>) -> LimitKey {
        LimitKey {
            account: None,
            category,
        }
    }

    /// `account/category` (`-` for none), as shared backends name it.
    pub fn name(&self) -> String {
        format!(
            "{}/{}",
            self.account.as_deref().unwrap_or("-"),
            self.category.unwrap_or("-")
        )
    }
}

/// Hands out request slots and learns from responses. [`RateLimiter`] is
/// the in-process one; implement it to share limits between processes.
pub trait Limiter: Send + Sync + fmt::Debug + 'static {
    /// Waits for a slot for `key`, at the latest at `deadline`; returns how
    /// long it waited. A slot later than `deadline` is an
    /// [`ErrorKind::RateLimited`] error saying when it would be.
    fn acquire<'a>(
        &'a self,
        key: &'a LimitKey,
        deadline: Instant,
    ) -> BoxFuture<'a, Result<Duration>>;

    /// A slot for `key` when one is free now, without waiting or
    /// allocating: `Some(Ok(()))` took it, `Some(Err(_))` means none before
    /// `deadline`, `None` means "call [`Limiter::acquire`]" (the default).
    fn try_acquire_now(&self, key: &LimitKey, deadline: Instant) -> Option<Result<()>> {
        let _ = (key, deadline);
        None
    }

    /// Learns from a response's status and headers; called for responses
    /// that carry rate-limit information (a 429, `X-RateLimit-*` or
    /// `Retry-After`), not for every response.
    fn observe<'a>(
        &'a self,
        key: &'a LimitKey,
        status: StatusCode,
        headers: &'a HeaderMap,
    ) -> BoxFuture<'a, ()>;
}

/// The wait a response imposes on its key: after a 429, its
/// `Retry-After` (or the reset); otherwise the reset when the remaining
/// quota is zero. Bounded by [`pinterest_api::headers::MAX_HINT`].
pub fn block_from(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    if status == StatusCode::TOO_MANY_REQUESTS {
        pinterest_api::headers::retry_after(headers)
    } else {
        RateLimitHeaders::read(headers).exhausted_wait()
    }
}

/// The error for a slot at `ready` that the call's deadline does not
/// reach.
pub(crate) fn too_late(key: &LimitKey, wait: Duration) -> Error {
    let retry_at = SystemTime::now()
        .checked_add(wait)
        .unwrap_or(SystemTime::now());
    Error::new(
        ErrorKind::RateLimited,
        format!(
            "the next slot for {} is in {}s, after the call's deadline; not sent",
            key.name(),
            wait.as_secs().max(1)
        ),
    )
    .with_retry_at(retry_at)
    .with_retry_after(Some(wait))
}

/// The in-process limiter: one GCRA state per key, shared by all clones of
/// a client (and by the clients of a pool).
///
/// ```
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() {
/// use std::time::Duration;
/// use pinterest_ext::{Limit, Limiter, LimitKey, RateLimiter, RateLimits};
/// let limiter = RateLimiter::new(RateLimits::unlimited().category("org_write", Limit::per_second(2)));
/// let key = LimitKey::category(Some("org_write"));
/// let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
/// limiter.acquire(&key, deadline).await.unwrap();
/// let waited = limiter.acquire(&key, deadline).await.unwrap();
/// assert_eq!(waited.as_millis(), 500);
/// # }
/// ```
#[derive(Debug)]
pub struct RateLimiter {
    limits: RateLimits,
    buckets: Mutex<HashMap<LimitKey, Arc<Bucket>, foldhash::fast::RandomState>>,
    /// When it was made: the origin of `blocks_end`.
    born: Instant,
    /// The end of the latest block any response imposed, in nanoseconds
    /// after `born` (0: none yet). Until then, calls go through the
    /// buckets; after it, a limiter that paces nothing lets them through
    /// without a lookup or a lock.
    blocks_end: AtomicU64,
}

#[derive(Debug)]
struct Bucket {
    limit: Option<Limit>,
    state: Mutex<BucketState>,
}

#[derive(Debug)]
struct BucketState {
    /// GCRA's theoretical arrival time: when the bucket is next empty.
    tat: Instant,
    /// No slot before this (a server-imposed block).
    blocked_until: Option<Instant>,
    /// Future slots given back by cancelled callers.
    returned: BTreeSet<Instant>,
}

impl RateLimiter {
    /// A limiter with `limits`.
    pub fn new(limits: RateLimits) -> RateLimiter {
        RateLimiter {
            limits,
            buckets: Mutex::new(HashMap::default()),
            born: Instant::now(),
            blocks_end: AtomicU64::new(0),
        }
    }

    /// `at` in nanoseconds after `born` (saturating: a block beyond 584
    /// years is one that does not end).
    fn since_born(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.born).as_nanos()).unwrap_or(u64::MAX)
    }

    /// Whether a call may go at `now` without looking at its bucket: no
    /// category is paced, and no block a response imposed lasts past
    /// `now` (nor can a slot given back by a caller that stopped waiting
    /// for one: such slots lie inside a block).
    fn free_at(&self, now: Instant) -> bool {
        self.limits.paces_nothing()
            && self.blocks_end.load(Ordering::Acquire) <= self.since_born(now)
    }

    /// The limits it applies.
    pub fn limits(&self) -> &RateLimits {
        &self.limits
    }

    fn bucket(&self, key: &LimitKey) -> Arc<Bucket> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(b) = buckets.get(key) {
            return b.clone();
        }
        let limit = self.limits.limit_for(key.category.unwrap_or(""));
        let bucket = Arc::new(Bucket {
            limit,
            state: Mutex::new(BucketState {
                tat: Instant::now(),
                blocked_until: None,
                returned: BTreeSet::new(),
            }),
        });
        buckets.insert(key.clone(), bucket.clone());
        bucket
    }

    /// Reserves the next slot of `bucket` at or after `now`; `None` when it
    /// is later than `deadline` (then nothing is reserved).
    fn reserve(
        bucket: &Bucket,
        now: Instant,
        deadline: Instant,
    ) -> std::result::Result<Reservation, Instant> {
        let mut st = bucket.state.lock().unwrap_or_else(|p| p.into_inner());
        let earliest = st.blocked_until.filter(|b| *b > now).unwrap_or(now);
        st.returned = st.returned.split_off(&earliest);
        if let Some(&slot) = st.returned.iter().next() {
            if slot > deadline {
                return Err(slot);
            }
            st.returned.remove(&slot);
            return Ok(Reservation {
                at: slot,
                tat_after: None,
            });
        }
        let Some(limit) = bucket.limit else {
            return if earliest > deadline {
                Err(earliest)
            } else {
                Ok(Reservation {
                    at: earliest,
                    tat_after: None,
                })
            };
        };
        let interval = limit.interval();
        let tolerance = interval.saturating_mul(limit.burst.saturating_sub(1));
        let from_tat = st.tat.checked_sub(tolerance).unwrap_or(st.tat);
        let at = earliest.max(from_tat);
        if at > deadline {
            return Err(at);
        }
        let tat = st.tat.max(at);
        st.tat = tat.checked_add(interval).unwrap_or(tat);
        Ok(Reservation {
            at,
            tat_after: Some(st.tat),
        })
    }
}

/// A reserved slot; given back if the caller stops waiting before it.
struct Reservation {
    at: Instant,
    /// The bucket's `tat` right after this reservation (`None` for a
    /// returned or unpaced slot).
    tat_after: Option<Instant>,
}

struct SlotGuard {
    bucket: Arc<Bucket>,
    reservation: Option<Reservation>,
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let Some(r) = self.reservation.take() else {
            return;
        };
        if r.at <= Instant::now() {
            return;
        }
        let mut st = self.bucket.state.lock().unwrap_or_else(|p| p.into_inner());
        match (r.tat_after, self.bucket.limit) {
            // The last reservation: roll the bucket back.
            (Some(after), Some(limit)) if st.tat == after => {
                st.tat = after.checked_sub(limit.interval()).unwrap_or(after);
            }
            // Later callers hold later slots: this one goes to the next caller.
            _ => {
                st.returned.insert(r.at);
            }
        }
    }
}

impl Limiter for RateLimiter {
    fn try_acquire_now(&self, key: &LimitKey, deadline: Instant) -> Option<Result<()>> {
        let now = Instant::now();
        if self.free_at(now) {
            return Some(Ok(()));
        }
        let bucket = self.bucket(key);
        match RateLimiter::reserve(&bucket, now, deadline) {
            Ok(r) if r.at <= now => Some(Ok(())),
            Ok(r) => {
                // Not free now: give the slot back and let `acquire` wait.
                drop(SlotGuard {
                    bucket,
                    reservation: Some(r),
                });
                None
            }
            Err(at) => Some(Err(too_late(key, at.saturating_duration_since(now)))),
        }
    }

    fn acquire<'a>(
        &'a self,
        key: &'a LimitKey,
        deadline: Instant,
    ) -> BoxFuture<'a, Result<Duration>> {
        Box::pin(async move {
            let bucket = self.bucket(key);
            let now = Instant::now();
            let reservation = match RateLimiter::reserve(&bucket, now, deadline) {
                Ok(r) => r,
                Err(at) => return Err(too_late(key, at.saturating_duration_since(now))),
            };
            let at = reservation.at;
            let mut guard = SlotGuard {
                bucket,
                reservation: Some(reservation),
            };
            // A timer, even for "now", costs a tick of tokio's 1 ms wheel.
            if at > now {
                tokio::time::sleep_until(at).await;
            }
            guard.reservation = None;
            Ok(at.saturating_duration_since(now))
        })
    }

    fn observe<'a>(
        &'a self,
        key: &'a LimitKey,
        status: StatusCode,
        headers: &'a HeaderMap,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if !self.limits.follow_headers {
                return;
            }
            let Some(wait) = block_from(status, headers) else {
                return;
            };
            let now = Instant::now();
            let until = now.checked_add(wait).unwrap_or(now);
            let bucket = self.bucket(key);
            let mut st = bucket.state.lock().unwrap_or_else(|p| p.into_inner());
            if st.blocked_until.is_none_or(|b| b < until) {
                st.blocked_until = Some(until);
            }
            // After the bucket knows: a call that sees the new end looks
            // at the bucket.
            self.blocks_end
                .fetch_max(self.since_born(until), Ordering::AcqRel);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(category: &'static str) -> LimitKey {
        LimitKey::category(Some(category))
    }

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(3600)
    }

    #[tokio::test(start_paused = true)]
    async fn paces_each_category_and_categories_do_not_block_each_other() {
        let limiter =
            RateLimiter::new(RateLimits::unlimited().category("org_write", Limit::per_second(10)));
        let start = Instant::now();
        for _ in 0..21 {
            limiter.acquire(&key("org_write"), far()).await.unwrap();
        }
        // 1 at once, then 20 at 100 ms each.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        let before = Instant::now();
        limiter.acquire(&key("org_read"), far()).await.unwrap();
        assert_eq!(before.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn headers_block_the_category_until_reset_and_pacing_resumes_from_there() {
        let limiter =
            RateLimiter::new(RateLimits::unlimited().category("ads_read", Limit::per_second(10)));
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", "0".parse().unwrap());
        h.insert("x-ratelimit-reset", "5".parse().unwrap());
        let k = key("ads_read");
        limiter.observe(&k, StatusCode::OK, &h).await;
        let start = Instant::now();
        let waits: Vec<Duration> =
            futures::future::join_all((0..3).map(|_| limiter.acquire(&k, far())))
                .await
                .into_iter()
                .map(|r| r.unwrap())
                .collect();
        // After the block: spaced at the pace, not all at once.
        assert_eq!(
            waits,
            [
                Duration::from_secs(5),
                Duration::from_millis(5100),
                Duration::from_millis(5200)
            ]
        );
        assert_eq!(start.elapsed(), Duration::from_millis(5200));
        let off = RateLimiter::new(RateLimits::unlimited().follow_headers(false));
        off.observe(&k, StatusCode::OK, &h).await;
        assert_eq!(off.acquire(&k, far()).await.unwrap(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_limiter_that_paces_nothing_still_honours_a_block_until_it_ends() {
        let limiter = RateLimiter::new(RateLimits::unlimited());
        let (read, write) = (key("org_read"), key("org_write"));
        assert!(matches!(
            limiter.try_acquire_now(&read, far()),
            Some(Ok(()))
        ));
        assert!(limiter.buckets.lock().unwrap().is_empty(), "no lookup");

        let mut h = HeaderMap::new();
        h.insert("retry-after", "5".parse().unwrap());
        limiter
            .observe(&read, StatusCode::TOO_MANY_REQUESTS, &h)
            .await;
        // Blocked: the call waits for its bucket; another category's goes.
        assert!(limiter.try_acquire_now(&read, far()).is_none());
        assert!(matches!(
            limiter.try_acquire_now(&write, far()),
            Some(Ok(()))
        ));
        let start = Instant::now();
        assert_eq!(
            limiter.acquire(&read, far()).await.unwrap(),
            Duration::from_secs(5)
        );
        assert_eq!(start.elapsed(), Duration::from_secs(5));
        // Over: straight through again.
        assert!(matches!(
            limiter.try_acquire_now(&read, far()),
            Some(Ok(()))
        ));
        assert!(limiter.free_at(Instant::now()));
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_past_the_deadline_is_an_error_not_a_sleep() {
        let limiter = RateLimiter::new(RateLimits::unlimited());
        let mut h = HeaderMap::new();
        h.insert("retry-after", "86400".parse().unwrap());
        let k = key("org_read");
        limiter.observe(&k, StatusCode::TOO_MANY_REQUESTS, &h).await;
        let start = Instant::now();
        let err = limiter
            .acquire(&k, Instant::now() + Duration::from_secs(120))
            .await
            .unwrap_err();
        assert_eq!(start.elapsed(), Duration::ZERO, "no sleep");
        assert_eq!(err.kind(), ErrorKind::RateLimited);
        let left = err
            .retry_at()
            .unwrap()
            .duration_since(SystemTime::now())
            .unwrap();
        assert!(left > Duration::from_secs(86_000), "{left:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_caller_gives_its_slot_back() {
        let limiter =
            RateLimiter::new(RateLimits::unlimited().category("org_write", Limit::per_second(1)));
        let k = key("org_write");
        limiter.acquire(&k, far()).await.unwrap(); // t=0
        // Reserves t=1s, then gives up at 0.5 s.
        let cancelled =
            tokio::time::timeout(Duration::from_millis(500), limiter.acquire(&k, far())).await;
        assert!(cancelled.is_err());
        // The next caller gets t=1s, not t=2s.
        let start = Instant::now();
        limiter.acquire(&k, far()).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_millis(500));

        // A cancelled slot in the middle of a queue goes to the next caller.
        let a = tokio::spawn({
            let limiter = Arc::new(RateLimiter::new(
                RateLimits::unlimited().category("w", Limit::per_second(1)),
            ));
            async move {
                let k = key("w");
                limiter.acquire(&k, far()).await.unwrap(); // 0
                let l2 = limiter.clone();
                let middle = tokio::spawn(async move { l2.acquire(&key("w"), far()).await }); // 1s
                tokio::task::yield_now().await;
                let l3 = limiter.clone();
                let last = tokio::spawn(async move { l3.acquire(&key("w"), far()).await }); // 2s
                tokio::task::yield_now().await;
                middle.abort();
                let _ = middle.await;
                let start = Instant::now();
                limiter.acquire(&k, far()).await.unwrap(); // takes the 1 s slot
                let took = start.elapsed();
                last.await.unwrap().unwrap();
                took
            }
        });
        assert_eq!(a.await.unwrap(), Duration::from_secs(1));
    }
}
