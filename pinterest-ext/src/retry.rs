//! Retry policy: which failures are retried for which methods, and how long
//! to wait (exponential backoff with full jitter, server hints honoured but
//! clamped), bounded by attempts and total time.
//!
//! The rule that keeps writes safe: Pinterest has no idempotency keys, so a
//! POST or PATCH is retried only when it provably did not take effect: the
//! connection was never established, the answer was 429, or 503 with code
//! 4197 ("endpoint ramped down"). After a timeout or a broken connection a
//! write fails with [`ErrorKind::OutcomeUnknown`](crate::ErrorKind) instead.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use pinterest_api::Method;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::codes;

/// How a client retries. Set it per client
/// ([`ClientBuilder::retry`](crate::ClientBuilder::retry)) or per call
/// ([`Client::with_retry`](crate::Client::with_retry)).
///
/// ```
/// use std::time::Duration;
/// use pinterest_ext::RetryPolicy;
/// let patient = RetryPolicy::default().max_attempts(8).max_elapsed(Duration::from_secs(300));
/// let never = RetryPolicy::none();
/// assert_eq!(never.attempts(), 1);
/// # let _ = patient;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_elapsed: Duration,
    initial_delay: Duration,
    max_delay: Duration,
    max_server_wait: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts within 2 minutes; delays from 500 ms doubling up to 30 s
    /// (full jitter); server hints (`Retry-After`) up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(120),
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_server_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Total attempts, the first one included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Upper bound on the time spent waiting between attempts.
    pub fn max_elapsed(mut self, total: Duration) -> Self {
        self.max_elapsed = total;
        self
    }

    /// First backoff delay (then doubled per attempt, with full jitter).
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Largest backoff delay.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Largest wait a server hint (`Retry-After`, `X-RateLimit-Reset`) may
    /// impose; longer hints are clamped to it.
    pub fn max_server_wait(mut self, wait: Duration) -> Self {
        self.max_server_wait = wait;
        self
    }

    /// Total attempts allowed.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn schedule(&self) -> Schedule {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.initial_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_max_times(self.max_attempts.saturating_sub(1) as usize)
            .build();
        Schedule {
            backoff,
            waited: Duration::ZERO,
            max_elapsed: self.max_elapsed,
            max_server_wait: self.max_server_wait,
        }
    }
}

/// The delays of one call's retries.
pub(crate) struct Schedule {
    backoff: backon::ExponentialBackoff,
    waited: Duration,
    max_elapsed: Duration,
    max_server_wait: Duration,
}

impl Schedule {
    /// The wait before the next attempt, or `None` when attempts or time
    /// are used up. backon gives the capped exponential delay; we draw the
    /// actual wait uniformly from `[0, delay]` ("full jitter": backon's own
    /// jitter adds to the delay instead). A server hint replaces the draw.
    pub(crate) fn next_wait(&mut self, hint: Option<Duration>) -> Option<Duration> {
        let delay = self.backoff.next()?;
        let wait = match hint {
            Some(h) => h.min(self.max_server_wait),
            None => delay.mul_f64(fastrand::f64()),
        };
        if self.waited + wait > self.max_elapsed {
            return None;
        }
        self.waited += wait;
        Some(wait)
    }
}

/// Whether an HTTP error status is retried for `method`.
pub(crate) fn retry_status(method: Method, status: StatusCode, code: Option<i64>) -> bool {
    match status.as_u16() {
        429 => true,
        503 if code == Some(codes::ENDPOINT_RAMPED_DOWN) => true,
        408 | 500 | 502 | 503 | 504 => method.is_idempotent(),
        _ => false,
    }
}

/// Whether a transport failure is retried for `method`: connection
/// failures always (nothing was sent), anything else only when repeating
/// the request is harmless.
pub(crate) fn retry_transport(method: Method, err: &reqwest::Error) -> bool {
    err.is_connect() || method.is_idempotent()
}

/// The wait a response asks for: `Retry-After` (seconds or HTTP date), or
/// `X-RateLimit-Reset` (seconds, or a Unix time) when the remaining quota
/// is zero.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(value) = text("retry-after") {
        if let Ok(secs) = value.parse::<f64>() {
            return Some(Duration::from_secs_f64(secs.max(0.0)));
        }
        if let Ok(date) = chrono::DateTime::parse_from_rfc2822(value) {
            let delta = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
            return Some(delta.to_std().unwrap_or(Duration::ZERO));
        }
    }
    let exhausted = text("x-ratelimit-remaining").and_then(|v| v.parse::<f64>().ok()) == Some(0.0);
    if exhausted {
        return text("x-ratelimit-reset").and_then(reset_delay);
    }
    None
}

/// `X-RateLimit-Reset` as a delay: small numbers are seconds from now,
/// large ones a Unix time.
pub(crate) fn reset_delay(value: &str) -> Option<Duration> {
    let n = value.parse::<f64>().ok()?;
    if n > 1_000_000_000.0 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs_f64();
        Some(Duration::from_secs_f64((n - now).max(0.0)))
    } else {
        Some(Duration::from_secs_f64(n.max(0.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_retry_only_where_nothing_happened() {
        let s = |c| StatusCode::from_u16(c).unwrap();
        for code in [429, 500, 502, 503, 504] {
            assert!(retry_status(Method::Get, s(code), None), "GET {code}");
            assert!(retry_status(Method::Delete, s(code), None), "DELETE {code}");
        }
        assert!(retry_status(Method::Post, s(429), None));
        assert!(retry_status(
            Method::Post,
            s(503),
            Some(codes::ENDPOINT_RAMPED_DOWN)
        ));
        for code in [500, 502, 503, 504] {
            assert!(!retry_status(Method::Post, s(code), None), "POST {code}");
            assert!(!retry_status(Method::Patch, s(code), None), "PATCH {code}");
        }
        for code in [400, 401, 403, 404, 409] {
            assert!(!retry_status(Method::Get, s(code), None), "GET {code}");
        }
    }

    #[test]
    fn schedule_is_bounded_by_attempts_and_time_and_clamps_hints() {
        let policy = RetryPolicy::default()
            .max_attempts(3)
            .max_server_wait(Duration::from_secs(5));
        let mut s = policy.schedule();
        let first = s.next_wait(None).unwrap();
        assert!(first <= Duration::from_millis(500));
        assert_eq!(
            s.next_wait(Some(Duration::from_secs(3600))),
            Some(Duration::from_secs(5))
        );
        assert_eq!(s.next_wait(None), None, "3 attempts = 2 waits");

        let policy = RetryPolicy::default()
            .max_attempts(10)
            .max_elapsed(Duration::from_secs(4));
        let mut s = policy.schedule();
        assert_eq!(
            s.next_wait(Some(Duration::from_secs(3))),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            s.next_wait(Some(Duration::from_secs(2))),
            None,
            "would exceed 4s in total"
        );
        assert_eq!(RetryPolicy::none().schedule().next_wait(None), None);
    }

    #[test]
    fn full_jitter_stays_within_the_exponential_envelope() {
        let policy = RetryPolicy::default()
            .max_attempts(6)
            .initial_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(400));
        for _ in 0..50 {
            let mut s = policy.schedule();
            let caps = [100, 200, 400, 400, 400];
            for cap in caps {
                let w = s.next_wait(None).unwrap();
                assert!(w <= Duration::from_millis(cap), "{w:?} > {cap}ms");
            }
        }
    }

    #[test]
    fn server_hints_are_read() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", "0".parse().unwrap());
        h.insert("x-ratelimit-reset", "12".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(12)));
        h.insert("x-ratelimit-remaining", "3".parse().unwrap());
        assert_eq!(retry_after(&h), None);
        let in_a_minute = chrono::Utc::now().timestamp() + 60;
        let d = reset_delay(&in_a_minute.to_string()).unwrap();
        assert!(
            d <= Duration::from_secs(60) && d >= Duration::from_secs(58),
            "{d:?}"
        );
    }
}
