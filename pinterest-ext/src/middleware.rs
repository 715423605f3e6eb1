//! The middleware every generated method runs through: sandbox check, rate
//! limiter, bearer token (refreshed when stale, once more after a 401),
//! the request, retries per the policy, and a tracing span per call.
//!
//! Failures travel back through progenitor's generated code inside a
//! stand-in response (see [`Error::into_carrier_response`]) and come out of
//! `?` as the full [`Error`], with operation id, status, Pinterest code,
//! request id and attempts.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use pinterest_api::{BoxFuture, Call, Method, Operation, Sandbox};
use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Request, Response, ResponseBuilderExt};
use secrecy::ExposeSecret;
use tracing::Instrument;

use crate::auth::manager::TokenManager;
use crate::environment::Environment;
use crate::error::{Error, ErrorKind, transport_kind};
use crate::ratelimit::RateLimiter;
use crate::retry::{RetryPolicy, retry_status, retry_transport};

/// State shared by a client and all its clones.
#[derive(Debug)]
pub(crate) struct Shared {
    pub tokens: TokenManager,
    pub limiter: RateLimiter,
    pub environment: Environment,
}

/// The middleware of one client (clones with another retry policy get
/// their own, sharing [`Shared`]).
#[derive(Debug, Clone)]
pub(crate) struct PinterestMiddleware {
    pub shared: Arc<Shared>,
    pub retry: RetryPolicy,
}

impl pinterest_api::Middleware for PinterestMiddleware {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        call: Call,
    ) -> BoxFuture<'a, reqwest::Result<Response>> {
        Box::pin(async move {
            Ok(self
                .run(client, request, call)
                .await
                .unwrap_or_else(Error::into_carrier_response))
        })
    }
}

/// What the middleware knows about the operation of a call.
struct Target {
    id: &'static str,
    method: Method,
    category: Option<&'static str>,
    op: Option<&'static Operation>,
}

impl Target {
    fn of(call: &Call, request: &Request) -> Target {
        let method = call
            .operation
            .map(|op| op.method)
            .unwrap_or_else(|| method_of(request));
        Target {
            id: call.operation.map_or(call.method_name, |op| op.id),
            method,
            category: call.operation.and_then(|op| op.rate_limit_category),
            op: call.operation,
        }
    }

    fn fail(&self, error: Error, attempts: u32) -> Error {
        error
            .with_operation(self.id, self.method)
            .with_attempts(attempts)
    }

    /// Whether the operation takes the user's bearer token (not only
    /// HTTP Basic, like the token endpoint).
    fn takes_bearer(&self) -> bool {
        self.op
            .is_none_or(|op| op.security.is_empty() || op.security.iter().any(|s| *s != "basic"))
    }

    /// Whether successful responses carry a JSON body.
    fn expects_json(&self) -> bool {
        self.op.is_none_or(|op| op.success_json)
    }
}

fn method_of(request: &Request) -> Method {
    match *request.method() {
        reqwest::Method::GET => Method::Get,
        reqwest::Method::PUT => Method::Put,
        reqwest::Method::DELETE => Method::Delete,
        reqwest::Method::HEAD => Method::Head,
        reqwest::Method::OPTIONS => Method::Options,
        reqwest::Method::PATCH => Method::Patch,
        reqwest::Method::TRACE => Method::Trace,
        _ => Method::Post,
    }
}

impl PinterestMiddleware {
    async fn run(
        &self,
        http: &reqwest::Client,
        request: Request,
        call: Call,
    ) -> Result<Response, Error> {
        let target = Target::of(&call, &request);
        let span = tracing::info_span!(
            "pinterest.call",
            operation = target.id,
            method = %target.method,
            category = target.category.unwrap_or(""),
            attempt = tracing::field::Empty,
            wait_ms = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.attempts(http, request, &target).instrument(span).await
    }

    async fn attempts(
        &self,
        http: &reqwest::Client,
        request: Request,
        target: &Target,
    ) -> Result<Response, Error> {
        let shared = &self.shared;
        if shared.environment == Environment::Sandbox
            && target.op.is_some_and(|op| op.sandbox == Sandbox::Disabled)
        {
            return Err(target.fail(
                Error::new(
                    ErrorKind::SandboxUnsupported,
                    "Pinterest's sandbox does not serve this operation (x-sandbox: disabled); not sent",
                ),
                0,
            ));
        }
        let add_bearer = target.takes_bearer() && !request.headers().contains_key(AUTHORIZATION);
        let mut schedule = self.retry.schedule();
        let mut next = Some(request);
        let mut attempt = 0u32;
        let mut replayed_after_401 = false;
        let mut total_wait = Duration::ZERO;
        while let Some(mut request) = next.take() {
            attempt += 1;
            let spare = request.try_clone();
            total_wait += shared.limiter.acquire(target.category).await;
            let span = tracing::Span::current();
            span.record("attempt", attempt);
            span.record("wait_ms", total_wait.as_millis() as u64);
            let generation = if add_bearer {
                let bearer = shared
                    .tokens
                    .bearer()
                    .await
                    .map_err(|e| target.fail(e, attempt - 1))?;
                let mut value =
                    HeaderValue::try_from(format!("Bearer {}", bearer.value.expose_secret()))
                        .map_err(|_| {
                            target.fail(
                                Error::new(
                                    ErrorKind::Auth,
                                    "the access token is not a valid header value",
                                ),
                                0,
                            )
                        })?;
                value.set_sensitive(true);
                request.headers_mut().insert(AUTHORIZATION, value);
                Some(bearer.generation)
            } else {
                None
            };

            let outcome = match http.execute(request).await {
                Ok(response) => self.read(response, target).await,
                Err(e) => Err(Failure::Transport(e)),
            };
            let failure = match outcome {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    return Ok(response);
                }
                Err(f) => f,
            };
            let (error, retry, hint) = match failure {
                Failure::Transport(e) => {
                    let retry = retry_transport(target.method, &e);
                    (
                        transport_kind(&e, Some(target.method)).with_source(e),
                        retry,
                        None,
                    )
                }
                Failure::Status(error) => {
                    let status = error.status().unwrap_or_default();
                    span.record("status", status.as_u16());
                    if status.as_u16() == 401
                        && !replayed_after_401
                        && generation.is_some()
                        && shared.tokens.can_refresh()
                    {
                        replayed_after_401 = true;
                        let generation = generation.unwrap_or_default();
                        shared
                            .tokens
                            .refresh(generation)
                            .await
                            .map_err(|e| target.fail(e, attempt))?;
                        match spare {
                            Some(spare) => {
                                tracing::debug!("401: token refreshed, replaying once");
                                next = Some(spare);
                                continue;
                            }
                            None => return Err(target.fail(error.with_detail("the token was refreshed but the request body cannot be replayed"), attempt)),
                        }
                    }
                    let retry = retry_status(target.method, status, error.code());
                    let hint = error.retry_after();
                    (error, retry, hint)
                }
                Failure::Decode(error) => (error, false, None),
            };
            let wait = if retry && spare.is_some() {
                schedule.next_wait(hint)
            } else {
                None
            };
            match wait {
                Some(wait) => {
                    tracing::debug!(error = %error, wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                    total_wait += wait;
                    next = spare;
                }
                None => return Err(target.fail(error, attempt)),
            }
        }
        Err(target.fail(
            Error::new(ErrorKind::InvalidRequest, "no request to send"),
            attempt,
        ))
    }

    /// Reads the whole body (so a broken body can still be retried), and
    /// turns error statuses and undecodable bodies into errors.
    async fn read(&self, response: Response, target: &Target) -> Result<Response, Failure> {
        let status = response.status();
        let headers = response.headers().clone();
        self.shared
            .limiter
            .observe(target.category, status.as_u16(), &headers)
            .await;
        let version = response.version();
        let url = response.url().clone();
        let body: Bytes = response.bytes().await.map_err(Failure::Transport)?;
        if !status.is_success() {
            return Err(Failure::Status(Error::from_response(
                status, &headers, &body,
            )));
        }
        if target.expects_json()
            && status != reqwest::StatusCode::NO_CONTENT
            && let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&body)
        {
            let mut error = Error::from_response(status, &headers, b"")
                .with_kind(ErrorKind::Decode)
                .with_detail(format!(
                    "the {} response is not JSON ({e})",
                    status.as_u16()
                ))
                .with_body_excerpt(&body);
            if body.is_empty() {
                error = error.with_detail(format!(
                    "the {} response has an empty body where JSON was expected",
                    status.as_u16()
                ));
            }
            return Err(Failure::Decode(error));
        }
        let mut builder = http::Response::builder()
            .status(status)
            .version(version)
            .url(url);
        if let Some(h) = builder.headers_mut() {
            *h = headers;
        }
        builder.body(body).map(Response::from).map_err(|e| {
            Failure::Decode(Error::new(
                ErrorKind::Decode,
                format!("rebuilding the response failed: {e}"),
            ))
        })
    }
}

enum Failure {
    Transport(reqwest::Error),
    Status(Error),
    Decode(Error),
}
