//! Reading Pinterest's rate-limit hints: `Retry-After` and the
//! `X-RateLimit-Limit/Remaining/Reset` headers. The one place these headers
//! are parsed; every number is checked, so a hostile or broken value gives
//! `None`, never a panic or an unbounded wait.
//!
//! ```
//! use std::time::Duration;
//! use reqwest::header::HeaderMap;
//! let mut h = HeaderMap::new();
//! h.insert("retry-after", "7".parse().unwrap());
//! assert_eq!(pinterest_api::headers::retry_after(&h), Some(Duration::from_secs(7)));
//! h.insert("retry-after", "inf".parse().unwrap());
//! assert_eq!(pinterest_api::headers::retry_after(&h), None);
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};

/// The header names, parsed once (a lookup by `&str` parses the name on
/// every call).
const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// The longest wait a header can express here; anything longer (or not a
/// finite, non-negative number) is treated as no hint at all.
pub const MAX_HINT: Duration = Duration::from_secs(7 * 86_400);

/// What `X-RateLimit-*` headers said about one category's quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimitHeaders {
    /// `X-RateLimit-Limit`: requests allowed per window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`, as the time left until the window resets.
    pub reset: Option<Duration>,
}

impl RateLimitHeaders {
    /// Reads the three headers (each `None` when absent or malformed).
    pub fn read(headers: &HeaderMap) -> RateLimitHeaders {
        RateLimitHeaders::read_at(headers, SystemTime::now())
    }

    /// [`RateLimitHeaders::read`] with the current time given.
    pub fn read_at(headers: &HeaderMap, now: SystemTime) -> RateLimitHeaders {
        RateLimitHeaders {
            limit: text(headers, &LIMIT).and_then(count),
            remaining: text(headers, &REMAINING).and_then(count),
            reset: text(headers, &RESET).and_then(|v| reset_delay(v, now)),
        }
    }

    /// Whether any of the headers was present and valid.
    pub fn is_empty(&self) -> bool {
        self.limit.is_none() && self.remaining.is_none() && self.reset.is_none()
    }

    /// The wait until more requests may be sent: the reset, when the
    /// remaining quota is zero.
    pub fn exhausted_wait(&self) -> Option<Duration> {
        match self.remaining {
            Some(0) => self.reset,
            _ => None,
        }
    }
}

/// The wait a response asks for: `Retry-After` (seconds or an HTTP date),
/// else `X-RateLimit-Reset` when `X-RateLimit-Remaining` is 0.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    retry_after_at(headers, SystemTime::now())
}

/// [`retry_after`] with the current time given.
pub fn retry_after_at(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(value) = text(headers, &RETRY_AFTER) {
        if let Some(d) = seconds(value) {
            return Some(d);
        }
        if let Some(at) = http_date(value) {
            return Some(at.duration_since(now).unwrap_or(Duration::ZERO))
                .filter(|d| *d <= MAX_HINT);
        }
    }
    RateLimitHeaders::read_at(headers, now).exhausted_wait()
}

fn text<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 64)
}

/// A count: a non-negative integer (a fractional or huge value is refused).
fn count(value: &str) -> Option<u64> {
    value.parse::<u64>().ok()
}

/// A number of seconds: finite, non-negative, at most [`MAX_HINT`].
pub fn seconds(value: &str) -> Option<Duration> {
    let n: f64 = value.trim().parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    Duration::try_from_secs_f64(n)
        .ok()
        .filter(|d| *d <= MAX_HINT)
}

/// `X-RateLimit-Reset` as a delay from `now`. Pinterest's documentation
/// does not fix the unit, so by magnitude: below 10^9 it is seconds from
/// now; up to 10^11 a Unix time in seconds; up to 10^14 a Unix time in
/// milliseconds. A time in the past is a zero wait; anything else (NaN,
/// negative, larger, or a wait over [`MAX_HINT`]) is no hint.
pub fn reset_delay(value: &str, now: SystemTime) -> Option<Duration> {
    let n: f64 = value.trim().parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    let since_epoch = |secs: f64| -> Option<Duration> {
        let at = UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(secs).ok()?)?;
        Some(at.duration_since(now).unwrap_or(Duration::ZERO))
    };
    let wait = if n < 1e9 {
        Duration::try_from_secs_f64(n).ok()?
    } else if n < 1e11 {
        since_epoch(n)?
    } else if n < 1e14 {
        since_epoch(n / 1000.0)?
    } else {
        return None;
    };
    Some(wait).filter(|d| *d <= MAX_HINT)
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(value: &str) -> Option<SystemTime> {
    let parsed = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let secs = u64::try_from(parsed.timestamp()).ok()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}
