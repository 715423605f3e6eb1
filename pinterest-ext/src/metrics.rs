//! Counters and histograms of every call, through the `metrics` crate's
//! facade: install any recorder (Prometheus, StatsD, ...) and they appear;
//! without one they cost an atomic load. Labels: `operation` (the
//! `operationId`), `category` (the `x-ratelimit-category`) and, for
//! requests, `status` (the HTTP status, or the error kind when there was
//! no response).
//!
//! | name | kind | what |
//! |---|---|---|
//! | `pinterest_requests_total` | counter | calls finished |
//! | `pinterest_retries_total` | counter | retries sent |
//! | `pinterest_rate_limited_total` | counter | 429 answers |
//! | `pinterest_limiter_wait_seconds` | histogram | waits for a rate-limit slot |
//! | `pinterest_cache_hits_total` / `pinterest_cache_misses_total` | counter | response cache |
//! | `pinterest_token_refreshes_total` | counter | token refreshes (label `outcome`) |

use std::time::Duration;

use pinterest_api::RawResponse;

use crate::error::Result;
use crate::layers::CallContext;

fn labels(cx: &CallContext) -> [(&'static str, &'static str); 2] {
    [
        ("operation", cx.operation_id),
        ("category", cx.category.unwrap_or("")),
    ]
}

/// A call ended.
pub(crate) fn finished(cx: &CallContext, outcome: &Result<RawResponse>) {
    let status: std::borrow::Cow<'static, str> = match outcome {
        Ok(r) => r.status.as_u16().to_string().into(),
        Err(e) => match e.status() {
            Some(s) => s.as_u16().to_string().into(),
            None => e.kind().as_str().into(),
        },
    };
    let [op, cat] = labels(cx);
    metrics::counter!("pinterest_requests_total", op.0 => op.1, cat.0 => cat.1, "status" => status)
        .increment(1);
}

/// A retry is about to be sent.
pub(crate) fn retried(cx: &CallContext) {
    metrics::counter!("pinterest_retries_total", &labels(cx)).increment(1);
}

/// A response said 429.
pub(crate) fn rate_limited(cx: &CallContext) {
    metrics::counter!("pinterest_rate_limited_total", &labels(cx)).increment(1);
}

/// The limiter made the call wait.
pub(crate) fn waited(cx: &CallContext, wait: Duration) {
    if !wait.is_zero() {
        metrics::histogram!("pinterest_limiter_wait_seconds", &labels(cx))
            .record(wait.as_secs_f64());
    }
}

/// A cache lookup.
pub(crate) fn cache(cx: &CallContext, hit: bool) {
    if hit {
        metrics::counter!("pinterest_cache_hits_total", &labels(cx)).increment(1);
    } else {
        metrics::counter!("pinterest_cache_misses_total", &labels(cx)).increment(1);
    }
}

/// A token refresh finished.
pub(crate) fn refreshed(ok: bool) {
    let outcome = if ok { "ok" } else { "failed" };
    metrics::counter!("pinterest_token_refreshes_total", "outcome" => outcome).increment(1);
}
