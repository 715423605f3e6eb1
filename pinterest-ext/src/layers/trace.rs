//! A `pinterest.call` tracing span around each call (operation, method,
//! rate-limit category; attempts, status and elapsed time when it ends),
//! and the per-call metrics.

use pinterest_api::{BoxFuture, RawResponse};
use reqwest::Request;
use tracing::Instrument;

use super::{CallContext, Layer, Next};
use crate::error::Result;

/// The span and the request metrics.
#[derive(Debug, Clone, Copy, Default)]
pub struct Trace;

impl Layer for Trace {
    fn call<'a>(
        &'a self,
        request: Request,
        cx: &'a CallContext,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        let span = tracing::info_span!(
            "pinterest.call",
            operation = cx.operation_id,
            method = cx.method.as_str(),
            category = cx.category.unwrap_or(""),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        Box::pin(
            async move {
                let outcome = next.run(request, cx).await;
                let span = tracing::Span::current();
                span.record("attempts", cx.attempts());
                span.record("elapsed_ms", cx.started.elapsed().as_millis() as u64);
                match &outcome {
                    Ok(r) => {
                        span.record("status", r.status.as_u16());
                    }
                    Err(e) => {
                        if let Some(s) = e.status() {
                            span.record("status", s.as_u16());
                        }
                        tracing::debug!(error = %e, "call failed");
                    }
                }
                crate::metrics::finished(cx, &outcome);
                outcome
            }
            .instrument(span),
        )
    }
}
