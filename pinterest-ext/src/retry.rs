//! The one backoff schedule of the crate: API calls ([`RetryPolicy`]), the
//! token endpoint, and job polling ([`PollPolicy`](crate::jobs::PollPolicy))
//! all draw their waits from [`Schedule`].
//!
//! The rule that keeps writes safe: Pinterest has no idempotency keys, so a
//! POST or PATCH is retried only when it provably did not take effect: the
//! connection was never established, the answer was 429, or 503 with code
//! 4197 ("endpoint ramped down"). After a timeout or a broken connection a
//! write fails with [`ErrorKind::OutcomeUnknown`](crate::ErrorKind) instead.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use pinterest_api::Method;
use pinterest_api::codes;
use reqwest::StatusCode;

use crate::error::{Error, ErrorKind};

/// Exponential delays: from `initial`, doubling, capped at `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Backoff {
    /// The first delay (at least 1 ms: a zero delay would busy-loop).
    pub initial: Duration,
    /// The largest delay.
    pub max: Duration,
    /// Whether each wait is drawn uniformly from `[0, delay]` ("full
    /// jitter", for retries many clients make at once) or is the delay
    /// itself (polling).
    pub jitter: bool,
}

impl Backoff {
    /// Delays from `initial` doubling to `max`, with full jitter.
    pub fn new(initial: Duration, max: Duration) -> Backoff {
        Backoff {
            initial,
            max,
            jitter: true,
        }
    }

    /// The same delays without jitter.
    pub fn without_jitter(mut self) -> Backoff {
        self.jitter = false;
        self
    }

    /// A schedule of at most `max_waits` waits (`None`: unbounded) adding up
    /// to at most `budget`.
    pub(crate) fn schedule(&self, max_waits: Option<u32>, budget: Duration) -> Schedule {
        let initial = self.initial.max(MIN_DELAY);
        let mut builder = ExponentialBuilder::default()
            .with_min_delay(initial)
            .with_max_delay(self.max.max(initial))
            .with_factor(2.0);
        builder = match max_waits {
            Some(n) => builder.with_max_times(n as usize),
            None => builder.without_max_times(),
        };
        Schedule {
            backoff: builder.build(),
            jitter: self.jitter,
            waited: Duration::ZERO,
            budget,
        }
    }
}

/// The shortest wait any schedule hands out.
const MIN_DELAY: Duration = Duration::from_millis(1);

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
    backoff: Backoff,
    max_server_wait: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts; at most 2 minutes spent waiting (for retries and for the
    /// rate limiter); delays from 500 ms doubling to 30 s (full jitter);
    /// a server hint (`Retry-After`) is followed up to 60 s, and a longer
    /// one fails the call at once with [`Error::retry_at`].
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(120),
            backoff: Backoff::new(Duration::from_millis(500), Duration::from_secs(30)),
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

    /// Upper bound on the time a call spends waiting: between attempts, and
    /// for a rate-limit slot.
    pub fn max_elapsed(mut self, total: Duration) -> Self {
        self.max_elapsed = total;
        self
    }

    /// First backoff delay (then doubled per attempt, with full jitter).
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.backoff.initial = delay;
        self
    }

    /// Largest backoff delay.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.backoff.max = delay;
        self
    }

    /// Longest wait a server hint (`Retry-After`, `X-RateLimit-Reset`) may
    /// impose before a retry. A longer hint is not slept through: the call
    /// fails with [`ErrorKind::RateLimited`](crate::ErrorKind) and
    /// [`Error::retry_at`] says when to try again.
    pub fn max_server_wait(mut self, wait: Duration) -> Self {
        self.max_server_wait = wait;
        self
    }

    /// Total attempts allowed.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The time budget of one call.
    pub fn budget(&self) -> Duration {
        self.max_elapsed
    }

    /// Longest server-requested wait followed.
    pub fn server_wait_limit(&self) -> Duration {
        self.max_server_wait
    }

    pub(crate) fn schedule(&self) -> Schedule {
        self.backoff
            .schedule(Some(self.max_attempts.saturating_sub(1)), self.max_elapsed)
    }
}

/// The waits of one call's retries (or one job's polls).
#[derive(Debug)]
pub(crate) struct Schedule {
    backoff: backon::ExponentialBackoff,
    jitter: bool,
    waited: Duration,
    budget: Duration,
}

impl Schedule {
    /// The wait before the next attempt, or `None` when attempts or time
    /// are used up. backon gives the capped exponential delay; the wait is
    /// drawn uniformly from `[1 ms, delay]` when jittered. A server hint
    /// (already bounded by the caller) replaces the draw.
    pub(crate) fn next_wait(&mut self, hint: Option<Duration>) -> Option<Duration> {
        let delay = self.backoff.next()?;
        let wait = match hint {
            Some(h) => h,
            None if self.jitter => delay.mul_f64(fastrand::f64()).max(MIN_DELAY),
            None => delay,
        };
        let total = self.waited.checked_add(wait)?;
        if total > self.budget {
            return None;
        }
        self.waited = total;
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

/// Whether a failure without a response is retried: a connection that was
/// never made always (nothing was sent); a timeout or a broken connection
/// only when repeating the request is harmless.
pub(crate) fn retry_error(method: Method, error: &Error) -> bool {
    match error.kind() {
        ErrorKind::Connect => true,
        ErrorKind::Timeout | ErrorKind::Network => method.is_idempotent(),
        _ => false,
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
    fn schedule_is_bounded_by_attempts_and_time() {
        let mut s = RetryPolicy::default().max_attempts(3).schedule();
        let first = s.next_wait(None).unwrap();
        assert!(first <= Duration::from_millis(500));
        assert_eq!(
            s.next_wait(Some(Duration::from_secs(5))),
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
    fn full_jitter_stays_within_the_exponential_envelope_and_never_spins() {
        let policy = RetryPolicy::default()
            .max_attempts(6)
            .initial_delay(Duration::ZERO)
            .max_delay(Duration::from_millis(400));
        for _ in 0..50 {
            let mut s = policy.schedule();
            for cap in [1, 2, 4, 8, 16] {
                let w = s.next_wait(None).unwrap();
                assert!(w >= MIN_DELAY, "{w:?}");
                assert!(w <= Duration::from_millis(cap), "{w:?} > {cap}ms");
            }
        }
        let mut polls = Backoff::new(Duration::ZERO, Duration::ZERO)
            .without_jitter()
            .schedule(None, Duration::from_secs(1));
        assert_eq!(
            polls.next_wait(None),
            Some(MIN_DELAY),
            "a zero delay is floored"
        );
    }
}
