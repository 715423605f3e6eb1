//! Retries per the call's [`RetryPolicy`]: a retryable
//! status or failure (see the crate's `retry` module) is sent again after the
//! schedule's wait, or after the server's hint (`Retry-After`,
//! `X-RateLimit-Reset`) when it gave one. A hint longer than the policy
//! follows, or past the call's deadline, ends the call at once with
//! [`Error::retry_at`](crate::Error::retry_at) set: the caller decides
//! whether to come back then.

use std::time::{Duration, SystemTime};

use pinterest_api::{BoxFuture, RawResponse, codes};
use reqwest::Request;
use tokio::time::Instant;

use super::{CallContext, Layer, Next};
use crate::error::{Error, Result};
use crate::retry::{RetryPolicy, retry_error, retry_status};

/// The retry loop.
#[derive(Debug, Clone, Copy, Default)]
pub struct Retry;

/// Pinterest's error code of an error body (only read for 503, where code
/// 4197 means "ramped down": nothing was processed).
fn code_of(response: &RawResponse) -> Option<i64> {
    #[derive(serde::Deserialize)]
    struct Code {
        code: Option<i64>,
    }
    if response.status.as_u16() != 503 {
        return None;
    }
    serde_json::from_slice::<Code>(&response.body)
        .ok()
        .and_then(|c| c.code)
}

/// Whether `outcome` may be sent again, and the server's hint.
fn assess(outcome: &Result<RawResponse>, cx: &CallContext) -> (bool, Option<Duration>) {
    match outcome {
        Ok(r) if r.status.is_success() => (false, None),
        Ok(r) => (
            retry_status(cx.method, r.status, code_of(r)),
            pinterest_api::headers::retry_after(&r.headers),
        ),
        Err(e) => (retry_error(cx.method, e), None),
    }
}

/// The outcome as an error that says when Pinterest will take the call.
fn with_retry_at(outcome: Result<RawResponse>, wait: Duration, why: &str) -> Result<RawResponse> {
    let error = match outcome {
        Ok(r) => Error::from_response(r.status, &r.headers, r.body),
        Err(e) => e,
    };
    let at = SystemTime::now()
        .checked_add(wait)
        .unwrap_or_else(SystemTime::now);
    Err(error
        .with_retry_at(at)
        .with_retry_after(Some(wait))
        .with_detail(format!(
            "Pinterest asked to wait {}s, {why}; not retried",
            wait.as_secs().max(1)
        )))
}

impl Layer for Retry {
    fn call<'a>(
        &'a self,
        request: Request,
        cx: &'a CallContext,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        // The first attempt, which most calls stop at, in a small future:
        // the loop's state (the schedule, the sleep, the outcome kept
        // across it) is only built, boxed, when a retry is due.
        Box::pin(async move {
            let spare = spare_copy(&request, 1, &cx.options.retry).map(Box::new);
            let outcome = next.run(request, cx).await;
            let (retryable, hint) = assess(&outcome, cx);
            match spare.filter(|_| retryable) {
                None => outcome,
                Some(spare) => Box::pin(retry(*spare, outcome, hint, cx, next)).await,
            }
        })
    }
}

/// A copy of `request` to send again after attempt number `sent`, unless
/// that is the policy's last (or the body cannot be copied).
fn spare_copy(request: &Request, sent: u32, policy: &RetryPolicy) -> Option<Request> {
    if sent < policy.attempts() {
        request.try_clone()
    } else {
        None
    }
}

/// The attempts after the first, whose `outcome` was retryable (with the
/// server's `hint`): waits, sends `request` again, and so on while the
/// policy and the call's deadline allow.
async fn retry(
    mut request: Request,
    mut outcome: Result<RawResponse>,
    mut hint: Option<Duration>,
    cx: &CallContext,
    next: Next<'_>,
) -> Result<RawResponse> {
    let policy = &cx.options.retry;
    let mut schedule = policy.schedule();
    // The first attempt was sent.
    let mut sent = 1;
    loop {
        let left = cx.deadline.saturating_duration_since(Instant::now());
        if let Some(h) = hint {
            if h > policy.server_wait_limit() {
                return with_retry_at(
                    outcome,
                    h,
                    "longer than the retry policy follows (max_server_wait)",
                );
            }
            if h > left {
                return with_retry_at(outcome, h, "past the call's deadline (max_elapsed)");
            }
        }
        let Some(wait) = schedule.next_wait(hint).filter(|w| *w <= left) else {
            return outcome;
        };
        if let Some(code) = outcome
            .as_ref()
            .ok()
            .and_then(code_of)
            .filter(|c| *c == codes::ENDPOINT_RAMPED_DOWN)
        {
            tracing::debug!(code, "endpoint ramped down");
        }
        tracing::debug!(
            attempt = cx.attempts(),
            wait_ms = wait.as_millis() as u64,
            status = outcome.as_ref().ok().map(|r| r.status.as_u16()),
            "retrying"
        );
        crate::metrics::retried(cx);
        drop(outcome);
        tokio::time::sleep(wait).await;
        sent += 1;
        let spare = spare_copy(&request, sent, policy);
        outcome = next.run(request, cx).await;
        let retryable;
        (retryable, hint) = assess(&outcome, cx);
        match spare.filter(|_| retryable) {
            Some(spare) => request = spare,
            None => return outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::{ErrorKind, RetryPolicy};

    fn fast(attempts: u32) -> RetryPolicy {
        RetryPolicy::default()
            .max_attempts(attempts)
            .initial_delay(Duration::from_millis(1))
            .max_delay(Duration::from_millis(2))
    }

    #[tokio::test(start_paused = true)]
    async fn gets_are_retried_and_posts_are_not_after_a_5xx() {
        let script = Script::new(vec![
            response(502, &[], ""),
            response(502, &[], ""),
            response(200, &[], "{}"),
        ]);
        let cx = context("pins_get", fast(3));
        let r = run(&Retry, &script, request(reqwest::Method::GET), &cx)
            .await
            .unwrap();
        assert_eq!(r.status.as_u16(), 200);
        assert_eq!(script.sent(), 3);

        let script = Script::new(vec![response(502, &[], ""), response(200, &[], "{}")]);
        let cx = context("pins_create", fast(3));
        let r = run(&Retry, &script, request(reqwest::Method::POST), &cx)
            .await
            .unwrap();
        assert_eq!(r.status.as_u16(), 502);
        assert_eq!(script.sent(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_server_hint_is_followed_within_bounds_and_a_long_one_ends_the_call() {
        let script = Script::new(vec![
            response(429, &[("retry-after", "3")], ""),
            response(201, &[], "{}"),
        ]);
        let cx = context("pins_create", fast(3));
        let started = Instant::now();
        run(&Retry, &script, request(reqwest::Method::POST), &cx)
            .await
            .unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(3));

        let script = Script::new(vec![response(
            429,
            &[("retry-after", "86400")],
            r#"{"code": 8, "message": "slow down"}"#,
        )]);
        let cx = context("pins_create", fast(3));
        let started = Instant::now();
        let err = run(&Retry, &script, request(reqwest::Method::POST), &cx)
            .await
            .unwrap_err();
        assert_eq!(started.elapsed(), Duration::ZERO, "no sleep");
        assert_eq!(err.kind(), ErrorKind::RateLimited);
        assert_eq!(err.code(), Some(8));
        assert!(err.retry_at().is_some());
        assert!(
            err.to_string()
                .contains("longer than the retry policy follows"),
            "{err}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_hint_past_the_deadline_is_not_slept() {
        let policy = fast(5)
            .max_elapsed(Duration::from_secs(10))
            .max_server_wait(Duration::from_secs(60));
        let script = Script::new(vec![response(503, &[("retry-after", "30")], "")]);
        let cx = context("pins_get", policy);
        let started = Instant::now();
        let err = run(&Retry, &script, request(reqwest::Method::GET), &cx)
            .await
            .unwrap_err();
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert_eq!(err.kind(), ErrorKind::Server);
        assert!(
            err.to_string().contains("past the call's deadline"),
            "{err}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn ramped_down_writes_are_retried_and_connects_always() {
        let ramped = r#"{"code": 4197, "message": "ramped down"}"#;
        let script = Script::new(vec![response(503, &[], ramped), response(201, &[], "{}")]);
        let cx = context("pins_create", fast(3));
        run(&Retry, &script, request(reqwest::Method::POST), &cx)
            .await
            .unwrap();
        assert_eq!(script.sent(), 2);
        let refused = Err(Error::new(ErrorKind::Connect, "refused"));
        let script = Script::new(vec![refused, response(201, &[], "{}")]);
        let cx = context("pins_create", fast(3));
        run(&Retry, &script, request(reqwest::Method::POST), &cx)
            .await
            .unwrap();
        assert_eq!(script.sent(), 2);
        let unknown = Err(Error::new(ErrorKind::OutcomeUnknown, "reset"));
        let script = Script::new(vec![unknown]);
        let cx = context("pins_create", fast(3));
        let err = run(&Retry, &script, request(reqwest::Method::POST), &cx)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
        assert_eq!(script.sent(), 1);
    }
}
