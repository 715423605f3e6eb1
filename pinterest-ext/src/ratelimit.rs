//! Client-side rate limiting per `x-ratelimit-category`: one token bucket
//! per category (taken from the generated operations table), shared by all
//! clones of a client, handing out slots in arrival order so no task
//! starves. When responses carry `X-RateLimit-Remaining: 0` or a 429 with
//! `Retry-After`, the category waits for the reset before sending more.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::time::Instant;

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

    /// Whether to wait when `X-RateLimit-Remaining` reaches 0 (default on).
    pub fn follow_headers(mut self, follow: bool) -> RateLimits {
        self.follow_headers = follow;
        self
    }

    /// The limit applied to `category`.
    pub fn limit_for(&self, category: &str) -> Option<Limit> {
        self.categories.get(category).copied().or(self.default)
    }
}

/// The buckets of one client and its clones: one per category. Clients
/// own one; use your own for requests made outside the client.
///
/// ```
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() {
/// use pinterest_ext::{Limit, RateLimiter, RateLimits};
/// let limiter = RateLimiter::new(RateLimits::unlimited().category("org_write", Limit::per_second(2)));
/// limiter.acquire(Some("org_write")).await;
/// let waited = limiter.acquire(Some("org_write")).await;
/// assert_eq!(waited.as_millis(), 500);
/// # }
/// ```
#[derive(Debug)]
pub struct RateLimiter {
    limits: RateLimits,
    buckets: Mutex<HashMap<String, Arc<Bucket>>>,
}

#[derive(Debug)]
struct Bucket {
    limit: Option<Limit>,
    // tokio's Mutex queues waiters first-come first-served: slots are
    // reserved in arrival order.
    state: tokio::sync::Mutex<BucketState>,
}

#[derive(Debug)]
struct BucketState {
    tokens: f64,
    updated: Instant,
    blocked_until: Option<Instant>,
}

const UNCATEGORIZED: &str = "";

impl RateLimiter {
    /// A limiter with `limits`.
    pub fn new(limits: RateLimits) -> RateLimiter {
        RateLimiter {
            limits,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn bucket(&self, category: Option<&str>) -> Arc<Bucket> {
        let key = category.unwrap_or(UNCATEGORIZED);
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        buckets
            .entry(key.to_string())
            .or_insert_with(|| {
                let limit = self.limits.limit_for(key);
                Arc::new(Bucket {
                    limit,
                    state: tokio::sync::Mutex::new(BucketState {
                        tokens: limit.map_or(0.0, |l| f64::from(l.burst)),
                        updated: Instant::now(),
                        blocked_until: None,
                    }),
                })
            })
            .clone()
    }

    /// Waits for a slot in `category` (`None`: operations without one);
    /// returns how long it waited.
    pub async fn acquire(&self, category: Option<&str>) -> Duration {
        let bucket = self.bucket(category);
        let start = Instant::now();
        let ready_at = {
            let mut st = bucket.state.lock().await;
            let now = Instant::now();
            let mut ready_at = st.blocked_until.filter(|b| *b > now).unwrap_or(now);
            if let Some(limit) = bucket.limit {
                let rate = limit.requests_per_second();
                let elapsed = now.saturating_duration_since(st.updated).as_secs_f64();
                st.tokens = (st.tokens + elapsed * rate).min(f64::from(limit.burst));
                st.updated = now;
                if st.tokens < 1.0 {
                    // Reserve the next token: it goes negative, so the
                    // next caller queues behind this one.
                    let wait = Duration::from_secs_f64((1.0 - st.tokens) / rate);
                    ready_at = ready_at.max(now + wait);
                }
                st.tokens -= 1.0;
            }
            ready_at
        };
        // A timer, even for "now", costs a tick of tokio's 1 ms wheel.
        if ready_at > Instant::now() {
            tokio::time::sleep_until(ready_at).await;
        }
        start.elapsed()
    }

    /// Learns from a response: after a 429 with `Retry-After`, or when
    /// `X-RateLimit-Remaining` is 0, the category waits until the reset.
    pub async fn observe(&self, category: Option<&str>, status: u16, headers: &HeaderMap) {
        if !self.limits.follow_headers {
            return;
        }
        let wait = if status == 429 {
            crate::retry::retry_after(headers)
        } else {
            let remaining = headers
                .get("x-ratelimit-remaining")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<f64>().ok());
            match remaining {
                Some(r) if r <= 0.0 => headers
                    .get("x-ratelimit-reset")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| crate::retry::reset_delay(v.trim())),
                _ => None,
            }
        };
        if let Some(wait) = wait {
            let until = Instant::now() + wait;
            let bucket = self.bucket(category);
            let mut st = bucket.state.lock().await;
            if st.blocked_until.is_none_or(|b| b < until) {
                st.blocked_until = Some(until);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn paces_each_category_and_categories_do_not_block_each_other() {
        let limiter =
            RateLimiter::new(RateLimits::unlimited().category("org_write", Limit::per_second(10)));
        let start = Instant::now();
        for _ in 0..21 {
            limiter.acquire(Some("org_write")).await;
        }
        // 1 at once, then 20 at 100 ms each.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        let before = Instant::now();
        limiter.acquire(Some("org_read")).await;
        assert_eq!(before.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn headers_block_the_category_until_reset() {
        let limiter = RateLimiter::new(RateLimits::unlimited());
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", "0".parse().unwrap());
        h.insert("x-ratelimit-reset", "5".parse().unwrap());
        limiter.observe(Some("ads_read"), 200, &h).await;
        let waited = limiter.acquire(Some("ads_read")).await;
        assert_eq!(waited, Duration::from_secs(5));
        assert_eq!(limiter.acquire(Some("ads_read")).await, Duration::ZERO);
        let off = RateLimiter::new(RateLimits::unlimited().follow_headers(false));
        off.observe(Some("ads_read"), 200, &h).await;
        assert_eq!(off.acquire(Some("ads_read")).await, Duration::ZERO);
    }
}
