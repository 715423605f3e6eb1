//! Quota visibility: the last `X-RateLimit-Limit/Remaining/Reset` Pinterest
//! sent, per account and rate-limit category, readable from the client
//! ([`Client::quota`](crate::Client::quota)).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use pinterest_api::headers::RateLimitHeaders;
use reqwest::header::HeaderMap;

use crate::ratelimit::LimitKey;

/// What Pinterest last said about one quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Quota {
    /// Requests allowed per window.
    pub limit: Option<u64>,
    /// Requests left in the window, as of `seen_at`.
    pub remaining: Option<u64>,
    /// When the window resets (absolute), if Pinterest said.
    pub resets_at: Option<SystemTime>,
    /// When the headers were received.
    pub seen_at: SystemTime,
}

impl Quota {
    /// The time left until the window resets, from now.
    pub fn resets_in(&self) -> Option<Duration> {
        self.resets_at.map(|at| {
            at.duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO)
        })
    }
}

/// The last quota headers per key, shared by a client and its clones (and
/// by a pool's clients).
#[derive(Debug, Default)]
pub struct QuotaBook {
    seen: Mutex<HashMap<LimitKey, Quota>>,
}

impl QuotaBook {
    /// Records the headers of a response for `key` (nothing when it had
    /// none).
    pub fn record(&self, key: &LimitKey, headers: &HeaderMap) {
        let now = SystemTime::now();
        let h = RateLimitHeaders::read_at(headers, now);
        if h.is_empty() {
            return;
        }
        let quota = Quota {
            limit: h.limit,
            remaining: h.remaining,
            resets_at: h.reset.and_then(|d| now.checked_add(d)),
            seen_at: now,
        };
        self.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.clone(), quota);
    }

    /// The last quota seen for `key`.
    pub fn get(&self, key: &LimitKey) -> Option<Quota> {
        self.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .copied()
    }

    /// Every quota seen, by key.
    pub fn all(&self) -> Vec<(LimitKey, Quota)> {
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let mut all: Vec<(LimitKey, Quota)> = seen.iter().map(|(k, q)| (k.clone(), *q)).collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }
}
