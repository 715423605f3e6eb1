//! Counters and histograms of every call, through the `metrics` crate's
//! facade: turn them on with
//! [`ClientBuilder::metrics`](crate::ClientBuilder::metrics), install any
//! recorder (Prometheus, StatsD, ...) and they appear. Off, they cost a
//! branch (the facade builds each metric's key even without a recorder). Labels: `operation` (the
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

/// A status as a label, without an allocation for the usual ones.
fn status_label(status: u16) -> std::borrow::Cow<'static, str> {
    match status {
        200 => "200".into(),
        201 => "201".into(),
        204 => "204".into(),
        400 => "400".into(),
        401 => "401".into(),
        403 => "403".into(),
        404 => "404".into(),
        429 => "429".into(),
        500 => "500".into(),
        503 => "503".into(),
        other => other.to_string().into(),
    }
}

/// A call ended.
pub(crate) fn finished(cx: &CallContext, outcome: &Result<RawResponse>) {
    if !cx.options.metrics {
        return;
    }
    let status: std::borrow::Cow<'static, str> = match outcome {
        Ok(r) => status_label(r.status.as_u16()),
        Err(e) => match e.status() {
            Some(s) => status_label(s.as_u16()),
            None => e.kind().as_str().into(),
        },
    };
    let [op, cat] = labels(cx);
    metrics::counter!("pinterest_requests_total", op.0 => op.1, cat.0 => cat.1, "status" => status)
        .increment(1);
}

/// A retry is about to be sent.
pub(crate) fn retried(cx: &CallContext) {
    if !cx.options.metrics {
        return;
    }
    metrics::counter!("pinterest_retries_total", &labels(cx)).increment(1);
}

/// A response said 429.
pub(crate) fn rate_limited(cx: &CallContext) {
    if !cx.options.metrics {
        return;
    }
    metrics::counter!("pinterest_rate_limited_total", &labels(cx)).increment(1);
}

/// The limiter made the call wait.
pub(crate) fn waited(cx: &CallContext, wait: Duration) {
    if !cx.options.metrics {
        return;
    }
    if !wait.is_zero() {
        metrics::histogram!("pinterest_limiter_wait_seconds", &labels(cx))
            .record(wait.as_secs_f64());
    }
}

/// A cache lookup.
pub(crate) fn cache(cx: &CallContext, hit: bool) {
    if !cx.options.metrics {
        return;
    }
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
