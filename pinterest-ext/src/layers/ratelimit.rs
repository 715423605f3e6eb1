//! A slot from the [`Limiter`] before each request (bounded by the call's
//! deadline: a slot past it is a `RateLimited` error, not a sleep), and
//! the response's status and headers back to it afterwards.

use std::sync::Arc;

use pinterest_api::{BoxFuture, RawResponse};
use reqwest::Request;

use super::{CallContext, Layer, Next};
use crate::error::Result;
use crate::quota::QuotaBook;
use crate::ratelimit::{LimitKey, Limiter};

/// Waits for the limiter and feeds it the headers.
#[derive(Debug, Clone)]
pub struct RateLimit {
    limiter: Arc<dyn Limiter>,
    quota: Arc<QuotaBook>,
}

impl RateLimit {
    /// The layer for `limiter`, recording the headers in `quota`.
    pub fn new(limiter: Arc<dyn Limiter>, quota: Arc<QuotaBook>) -> RateLimit {
        RateLimit { limiter, quota }
    }
}

impl Layer for RateLimit {
    fn call<'a>(
        &'a self,
        request: Request,
        cx: &'a CallContext,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        Box::pin(async move {
            let key = LimitKey {
                account: cx.account.clone(),
                category: cx.category,
            };
            let waited = self.limiter.acquire(&key, cx.deadline).await?;
            crate::metrics::waited(cx, waited);
            let response = next.run(request, cx).await?;
            self.limiter
                .observe(&key, response.status, &response.headers)
                .await;
            if response.status.as_u16() == 429 {
                crate::metrics::rate_limited(cx);
            }
            self.quota.record(&key, &response.headers);
            Ok(response)
        })
    }
}
