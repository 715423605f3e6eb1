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

/// Whether a response carries `X-RateLimit-*` or `Retry-After` headers
/// (one pass over its few header names).
fn has_quota_headers(headers: &reqwest::header::HeaderMap) -> bool {
    headers.keys().any(|name| {
        let name = name.as_str();
        name.starts_with("x-ratelimit-") || name == "retry-after"
    })
}

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
            match self.limiter.try_acquire_now(&key, cx.deadline) {
                Some(taken) => taken?,
                None => {
                    let waited = self.limiter.acquire(&key, cx.deadline).await?;
                    crate::metrics::waited(cx, waited);
                }
            }
            let response = next.run(request, cx).await?;
            // Only responses that say something about the quota teach
            // the limiter (most carry nothing).
            let limited = response.status.as_u16() == 429;
            if limited || has_quota_headers(&response.headers) {
                self.limiter
                    .observe(&key, response.status, &response.headers)
                    .await;
                self.quota.record(&key, &response.headers);
            }
            if limited {
                crate::metrics::rate_limited(cx);
            }
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::Method;
    use tokio::time::Instant;

    use super::super::testing::*;
    use super::*;
    use crate::ratelimit::{Limit, RateLimiter, RateLimits};
    use crate::{ErrorKind, RetryPolicy};

    fn layer(limits: RateLimits) -> (RateLimit, Arc<QuotaBook>) {
        let quota = Arc::new(QuotaBook::default());
        (
            RateLimit::new(Arc::new(RateLimiter::new(limits)), quota.clone()),
            quota,
        )
    }

    #[tokio::test(start_paused = true)]
    async fn quota_headers_are_recorded_per_category() {
        let (layer, quota) = layer(RateLimits::unlimited());
        let script = Script::new(vec![response(
            200,
            &[
                ("x-ratelimit-limit", "1000"),
                ("x-ratelimit-remaining", "997"),
                ("x-ratelimit-reset", "40"),
            ],
            "{}",
        )]);
        let cx = context("pins_get", RetryPolicy::default());
        run(&layer, &script, request(Method::GET), &cx)
            .await
            .unwrap();
        let seen = quota
            .get(&LimitKey::category(cx.category))
            .expect("recorded");
        assert_eq!((seen.limit, seen.remaining), (Some(1000), Some(997)));
        assert!(quota.get(&LimitKey::category(Some("elsewhere"))).is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn slots_are_paced_and_a_slot_past_the_deadline_is_an_error_not_a_sleep() {
        let (layer, _) = layer(RateLimits::unlimited().default_limit(Limit::per_second(1)));
        let script = Script::new(vec![response(200, &[], "{}"), response(200, &[], "{}")]);
        let cx = context("pins_get", RetryPolicy::default());
        let started = Instant::now();
        run(&layer, &script, request(Method::GET), &cx)
            .await
            .unwrap();
        run(&layer, &script, request(Method::GET), &cx)
            .await
            .unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(1), "one per second");

        let tight = context(
            "pins_get",
            RetryPolicy::default().max_elapsed(Duration::from_millis(100)),
        );
        let started = Instant::now();
        let err = run(&layer, &script, request(Method::GET), &tight)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::RateLimited);
        assert_eq!(started.elapsed(), Duration::ZERO, "no sleep");
        assert_eq!(script.sent(), 2, "nothing sent");
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_blocks_the_key_until_retry_after() {
        let (layer, _) = layer(RateLimits::unlimited());
        let script = Script::new(vec![
            response(429, &[("retry-after", "5")], r#"{"code": 8}"#),
            response(200, &[], "{}"),
        ]);
        let cx = context("pins_get", RetryPolicy::default());
        let r = run(&layer, &script, request(Method::GET), &cx)
            .await
            .unwrap();
        assert_eq!(r.status.as_u16(), 429, "the layer reports, retry decides");
        let started = Instant::now();
        run(&layer, &script, request(Method::GET), &cx)
            .await
            .unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(5));
    }
}
