//! One error type for the whole crate: what happened (the [`ErrorKind`],
//! decided by HTTP status first), Pinterest's own `code` and `message` as
//! data, where it happened (operation, request id, attempts), and a message
//! that says what to do next.
//!
//! Errors of generated calls convert with `?`:
//!
//! ```no_run
//! # async fn run(client: pinterest_ext::Client) -> pinterest_ext::Result<()> {
//! let pin = client.pins_get().pin_id("1234").send().await?;
//! # let _ = pin;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use pinterest_api::Method;
use reqwest::StatusCode;

/// Result of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Pinterest error codes whose meaning the spec shows consistently.
///
/// Published code tables disagree with the spec's own examples (the spec's
/// 429 examples carry code 8, its 401 examples code 2 "Authentication
/// failed"; other tables call 2 a rate limit and 8 an invalid token), so
/// this crate decides what an error *is* by HTTP status and keeps the code
/// as data. Only the codes below are named.
pub mod codes {
    /// "You are not permitted to access that resource." (HTTP 403/401)
    pub const NOT_PERMITTED: i64 = 29;
    /// "The endpoint has been ramped down and is currently not accepting
    /// any traffic." (HTTP 503): the request was not processed.
    pub const ENDPOINT_RAMPED_DOWN: i64 = 4197;
    /// Invalid grant from the token endpoint (reported by users for an
    /// expired or revoked refresh token).
    pub const INVALID_GRANT: i64 = 283;
}

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// HTTP 400, 405, 413, 422 or another 4xx not listed here: the request
    /// itself is wrong.
    BadRequest,
    /// HTTP 401: the access token was rejected (after one refresh, if the
    /// client can refresh).
    Unauthorized,
    /// HTTP 403: the token lacks a scope, or the account lacks access.
    Forbidden,
    /// HTTP 404.
    NotFound,
    /// HTTP 409.
    Conflict,
    /// HTTP 429, after the retries the policy allows.
    RateLimited,
    /// HTTP 5xx, after the retries the policy allows.
    Server,
    /// The request timed out (idempotent requests are retried first).
    Timeout,
    /// No connection could be made; the request was never sent.
    Connect,
    /// The connection failed after it was established (reset, truncated
    /// body) on a request that is safe to repeat; it was retried first.
    Network,
    /// A write (POST/PATCH) may have reached Pinterest before the
    /// connection failed or timed out. It was not retried, so it was not
    /// sent twice; whether it took effect is unknown.
    OutcomeUnknown,
    /// The response body is not what the spec describes (invalid JSON, an
    /// HTML page, an empty body, a different shape).
    Decode,
    /// Authentication is not set up to make this call (no token, expired
    /// token that cannot be refreshed, token endpoint failure).
    Auth,
    /// The refresh token or authorization code was rejected
    /// (`invalid_grant`, code 283): the user must authorize again.
    InvalidGrant,
    /// Loading or saving the token in its store failed.
    TokenStore,
    /// The operation is disabled in Pinterest's sandbox (`x-sandbox:
    /// disabled`); it was not sent.
    SandboxUnsupported,
    /// The request could not be built (a required parameter is missing or
    /// a value does not convert).
    InvalidRequest,
    /// An HTTP status the operation does not document and this crate does
    /// not classify (1xx, 3xx).
    UnexpectedStatus,
    /// A local file or stream failed (workflows).
    Io,
    /// A multi-step workflow failed at a stage (see [`Error::stage`]).
    Workflow,
}

impl ErrorKind {
    /// The kind an HTTP error status maps to (status decides, never the
    /// Pinterest code alone).
    pub fn from_status(status: StatusCode) -> ErrorKind {
        match status.as_u16() {
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimited,
            408 => ErrorKind::Timeout,
            400..=499 => ErrorKind::BadRequest,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::UnexpectedStatus,
        }
    }
}

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    operation: Option<&'static str>,
    method: Option<Method>,
    status: Option<StatusCode>,
    code: Option<i64>,
    message: Option<String>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    attempts: u32,
    body_excerpt: Option<String>,
    detail: Option<String>,
    stage: Option<&'static str>,
    resume_bookmark: Option<String>,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// An error of this crate. See [`ErrorKind`] for what went wrong; the
/// accessors give the details Pinterest sent.
#[derive(Clone)]
pub struct Error(Box<Inner>);

impl Error {
    /// A new error of `kind` with a short description of what happened.
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            operation: None,
            method: None,
            status: None,
            code: None,
            message: None,
            request_id: None,
            retry_after: None,
            attempts: 0,
            body_excerpt: None,
            detail: Some(detail.into()),
            stage: None,
            resume_bookmark: None,
            source: None,
        }))
    }

    /// An error for an HTTP error response: kind from the status, code and
    /// message from a Pinterest error body (`{"code": .., "message": ..}`),
    /// or a short excerpt of the body when it is not one.
    pub fn from_response(
        status: StatusCode,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Error {
        let mut e = Error::new(ErrorKind::from_status(status), String::new());
        e.0.detail = None;
        e.0.status = Some(status);
        e.0.request_id = headers
            .get("x-pinterest-rid")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        e.0.retry_after = crate::retry::retry_after(headers);
        match serde_json::from_slice::<PinterestErrorBody>(body) {
            Ok(parsed) => {
                e.0.code = parsed.code;
                e.0.message = parsed.message;
            }
            Err(_) => e.0.body_excerpt = excerpt(body),
        }
        e
    }

    /// Attaches the operation (by `operationId`) and its HTTP method.
    pub fn with_operation(mut self, operation: &'static str, method: Method) -> Error {
        self.0.operation = Some(operation);
        self.0.method = Some(method);
        self
    }

    /// Attaches the operation unless the error already names one.
    pub fn or_operation(self, operation: &'static str, method: Method) -> Error {
        if self.0.operation.is_some() {
            self
        } else {
            self.with_operation(operation, method)
        }
    }

    /// Records how many attempts were made.
    pub fn with_attempts(mut self, attempts: u32) -> Error {
        self.0.attempts = attempts;
        self
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.0.source = Some(Arc::new(source));
        self
    }

    /// Names the workflow stage that failed (`"upload"`, `"poll"`, ...).
    pub fn at_stage(mut self, stage: &'static str) -> Error {
        self.0.stage = Some(stage);
        self
    }

    /// Records the bookmark from which a failed pagination can resume.
    pub fn with_resume_bookmark(mut self, bookmark: Option<String>) -> Error {
        self.0.resume_bookmark = bookmark;
        self
    }

    /// Attaches a short excerpt of a body that did not decode.
    pub fn with_body_excerpt(mut self, body: &[u8]) -> Error {
        self.0.body_excerpt = excerpt(body);
        self
    }

    /// Replaces the kind (e.g. a transport error reclassified as
    /// [`ErrorKind::OutcomeUnknown`]).
    pub fn with_kind(mut self, kind: ErrorKind) -> Error {
        self.0.kind = kind;
        self
    }

    /// Adds context to the description.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Error {
        self.0.detail = Some(detail.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// The operation's `operationId` (e.g. `"pins/create"`), when known.
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation
    }
    /// The HTTP method of the operation, when known.
    pub fn method(&self) -> Option<Method> {
        self.0.method
    }
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        self.0.status
    }
    /// Pinterest's error `code`, when the body carried one.
    pub fn code(&self) -> Option<i64> {
        self.0.code
    }
    /// Pinterest's error `message`, when the body carried one.
    pub fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }
    /// The `x-pinterest-rid` request id (quote it to Pinterest support).
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// How long Pinterest asked to wait (`Retry-After`/`X-RateLimit-Reset`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }
    /// Attempts made (1 when not retried; 0 when never sent).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }
    /// The first bytes of a body that was not a Pinterest error body.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.0.body_excerpt.as_deref()
    }
    /// The workflow stage that failed.
    pub fn stage(&self) -> Option<&'static str> {
        self.0.stage
    }
    /// For a pagination error: the bookmark to resume from (`None` means
    /// from the start).
    pub fn resume_bookmark(&self) -> Option<&str> {
        self.0.resume_bookmark.as_deref()
    }

    /// Whether trying again later may succeed (rate limits, server errors,
    /// timeouts, connection failures). Never true for
    /// [`ErrorKind::OutcomeUnknown`]: check first whether the write took
    /// effect.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::RateLimited
                | ErrorKind::Server
                | ErrorKind::Timeout
                | ErrorKind::Connect
                | ErrorKind::Network
        )
    }

    /// Whether a write (POST/PATCH) may have taken effect although this
    /// error was returned: the connection failed after sending, the server
    /// answered 500/502/504 (or a 503 that is not "ramped down"), or its
    /// success response did not decode.
    /// Bulk jobs report such items as "outcome unknown", never as failed.
    pub fn write_outcome_unknown(&self) -> bool {
        let write = self.0.method.is_some_and(|m| !m.is_idempotent());
        if self.0.kind == ErrorKind::OutcomeUnknown {
            return true;
        }
        // A write whose success response did not decode took effect.
        if write && self.0.kind == ErrorKind::Decode {
            return true;
        }
        let status = self.0.status.map(|s| s.as_u16());
        write
            && match status {
                Some(500 | 502 | 504) => true,
                Some(503) => self.0.code != Some(codes::ENDPOINT_RAMPED_DOWN),
                _ => false,
            }
    }

    fn advice(&self) -> String {
        let op = self.0.operation.unwrap_or("the request");
        match self.0.kind {
            ErrorKind::BadRequest => format!("fix the parameters of {op} (see Pinterest's message)"),
            ErrorKind::Unauthorized => {
                "the access token was rejected: authorize again, or check PINTEREST_ACCESS_TOKEN".into()
            }
            ErrorKind::Forbidden => {
                let scopes = self
                    .0
                    .operation
                    .and_then(pinterest_api::Operation::by_id)
                    .map(|o| pinterest_api::Scope::join(o.scopes))
                    .filter(|s| !s.is_empty());
                match scopes {
                    Some(s) => format!("the token needs the scopes {s} and the account needs access to the resource"),
                    None => "the token lacks a scope, or the account lacks access to the resource".into(),
                }
            }
            ErrorKind::NotFound => "check the id; the resource does not exist or is not visible to this token".into(),
            ErrorKind::Conflict => "the resource changed or already exists; fetch it and decide".into(),
            ErrorKind::RateLimited => match self.0.retry_after {
                Some(d) => format!("wait {:.0}s before retrying, or lower this client's rate limits", d.as_secs_f64().ceil()),
                None => "wait before retrying, or lower this client's rate limits".into(),
            },
            ErrorKind::Server => "Pinterest failed; retry later".into(),
            ErrorKind::Timeout => "retry later, or raise the client's request timeout".into(),
            ErrorKind::Connect => "check the network and the base URL; nothing was sent".into(),
            ErrorKind::Network => "the connection broke; retry later".into(),
            ErrorKind::OutcomeUnknown => {
                "it was not retried so it cannot have been applied twice; check whether it took effect before sending it again".into()
            }
            ErrorKind::Decode => "the response did not match the spec; report it with the request id".into(),
            ErrorKind::Auth => "check the credentials the client was built with".into(),
            ErrorKind::InvalidGrant => {
                "the refresh token (or authorization code) is no longer valid: run the OAuth login again (see examples/login.rs)".into()
            }
            ErrorKind::TokenStore => "check the token store (file path and permissions)".into(),
            ErrorKind::SandboxUnsupported => {
                "use the production environment for this operation, or mock it in tests".into()
            }
            ErrorKind::InvalidRequest => "set the missing or invalid parameter".into(),
            ErrorKind::UnexpectedStatus => "report it with the request id".into(),
            ErrorKind::Io => "check the file or stream".into(),
            ErrorKind::Workflow => "see the stage and retry the workflow".into(),
        }
    }
}

#[derive(serde::Deserialize)]
struct PinterestErrorBody {
    code: Option<i64>,
    message: Option<String>,
}

/// The first 200 characters of a body, on one line.
fn excerpt(body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return Some("<empty body>".into());
    }
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = one_line.chars().take(200).collect();
    if one_line.chars().count() > 200 {
        cut.push('…');
    }
    Some(cut)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.0;
        if let Some(stage) = i.stage {
            write!(f, "[{stage}] ")?;
        }
        match (i.operation, i.method) {
            (Some(op), Some(m)) => write!(f, "{op} ({m}): ")?,
            (Some(op), None) => write!(f, "{op}: ")?,
            _ => {}
        }
        write!(f, "{:?}", i.kind)?;
        if let Some(status) = i.status {
            write!(f, ", HTTP {}", status.as_u16())?;
        }
        if let Some(code) = i.code {
            write!(f, ", Pinterest code {code}")?;
        }
        if let Some(message) = &i.message {
            write!(f, ": {message}")?;
        }
        if let Some(detail) = &i.detail {
            write!(f, ": {detail}")?;
        }
        if let Some(body) = &i.body_excerpt {
            write!(f, " (body: {body})")?;
        }
        if i.attempts > 1 {
            write!(f, " after {} attempts", i.attempts)?;
        }
        if let Some(rid) = &i.request_id {
            write!(f, " [request id {rid}]")?;
        }
        if let Some(b) = &i.resume_bookmark {
            write!(f, "; resume from bookmark {b:?}")?;
        }
        write!(f, "; {}", self.advice())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.0;
        f.debug_struct("Error")
            .field("kind", &i.kind)
            .field("operation", &i.operation)
            .field("status", &i.status)
            .field("code", &i.code)
            .field("message", &i.message)
            .field("request_id", &i.request_id)
            .field("attempts", &i.attempts)
            .field("detail", &i.detail)
            .field("stage", &i.stage)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Carries a full [`Error`] from the middleware through progenitor's
/// generated code (inside a response's extensions) back to the caller.
#[derive(Clone)]
pub(crate) struct Carried(pub(crate) Arc<Error>);

/// Status of the stand-in response that carries a middleware error: outside
/// every range a generated method matches, so it arrives as
/// `progenitor_client::Error::UnexpectedResponse`.
pub(crate) const CARRIER_STATUS: u16 = 999;

impl Error {
    /// Wraps the error in a response that generated code hands back
    /// untouched as `UnexpectedResponse`; `From` unwraps it again.
    pub(crate) fn into_carrier_response(self) -> reqwest::Response {
        let body = serde_json::json!({
            "code": self.code().unwrap_or(0),
            "message": self.to_string(),
        })
        .to_string();
        let mut response = http::Response::builder()
            .status(CARRIER_STATUS)
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(body)
            .unwrap_or_default();
        response.extensions_mut().insert(Carried(Arc::new(self)));
        reqwest::Response::from(response)
    }

    fn from_carrier(response: &reqwest::Response) -> Option<Error> {
        response
            .extensions()
            .get::<Carried>()
            .map(|c| Error::clone(&c.0))
    }
}

impl<E: serde::Serialize> From<progenitor_client::Error<E>> for Error {
    fn from(e: progenitor_client::Error<E>) -> Error {
        use progenitor_client::Error as P;
        match e {
            P::UnexpectedResponse(response) => {
                Error::from_carrier(&response).unwrap_or_else(|| {
                    let status = response.status();
                    let mut e = Error::new(
                        ErrorKind::from_status(status),
                        "status not documented for this operation",
                    );
                    e.0.status = Some(status);
                    e.0.request_id = response
                        .headers()
                        .get("x-pinterest-rid")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    e
                })
            }
            P::ErrorResponse(rv) => {
                let body = serde_json::to_vec(rv.as_ref()).unwrap_or_default();
                Error::from_response(rv.status(), rv.headers(), &body)
            }
            P::InvalidRequest(message) => Error::new(ErrorKind::InvalidRequest, message),
            P::CommunicationError(err) => transport_kind(&err, None).with_source(err),
            P::InvalidUpgrade(err) | P::ResponseBodyError(err) => {
                Error::new(ErrorKind::Decode, "reading the response body failed").with_source(err)
            }
            P::InvalidResponsePayload(body, err) => Error::new(
                ErrorKind::Decode,
                format!("the body does not match the spec: {err}"),
            )
            .with_body_excerpt(&body)
            .with_source(err),
            P::Custom(message) => Error::new(ErrorKind::InvalidRequest, message),
        }
    }
}

/// The kind of a transport failure; `method` decides whether a failure
/// after sending is [`ErrorKind::OutcomeUnknown`].
pub(crate) fn transport_kind(err: &reqwest::Error, method: Option<Method>) -> Error {
    let write = method.is_some_and(|m| !m.is_idempotent());
    let (kind, detail) = if err.is_connect() {
        (ErrorKind::Connect, "could not connect")
    } else if write {
        (
            ErrorKind::OutcomeUnknown,
            if err.is_timeout() {
                "timed out after the request may have been sent"
            } else {
                "the connection failed after the request may have been sent"
            },
        )
    } else if err.is_timeout() {
        (ErrorKind::Timeout, "timed out")
    } else {
        (
            ErrorKind::Network,
            "the connection failed before a complete response",
        )
    };
    Error::new(kind, format!("{detail} ({})", describe_transport(err)))
}

/// A one-line description of a reqwest error without its URL (URLs may
/// carry query parameters the user does not want in logs).
fn describe_transport(err: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(err);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        "transport error".into()
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_comes_from_status_and_code_is_kept_as_data() {
        let headers = reqwest::header::HeaderMap::new();
        let e = Error::from_response(
            StatusCode::TOO_MANY_REQUESTS,
            &headers,
            br#"{"code": 8, "message": "slow down"}"#,
        );
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert_eq!(e.code(), Some(8));
        // Code 8 with 401 is still "unauthorized": status decides.
        let e = Error::from_response(
            StatusCode::UNAUTHORIZED,
            &headers,
            br#"{"code": 8, "message": "x"}"#,
        );
        assert_eq!(e.kind(), ErrorKind::Unauthorized);
        assert!(!e.is_retryable());
    }

    #[test]
    fn non_pinterest_bodies_become_an_excerpt() {
        let headers = reqwest::header::HeaderMap::new();
        let html = format!("<html><body>{}</body></html>", "x".repeat(500));
        let e = Error::from_response(StatusCode::BAD_GATEWAY, &headers, html.as_bytes());
        assert_eq!(e.kind(), ErrorKind::Server);
        let excerpt = e.body_excerpt().unwrap();
        assert!(excerpt.starts_with("<html><body>xxx"));
        assert!(excerpt.chars().count() <= 201);
        assert!(e.to_string().contains("HTTP 502"));
        assert!(e.to_string().contains("retry later"));
    }

    #[test]
    fn writes_with_ambiguous_failures_are_outcome_unknown() {
        let headers = reqwest::header::HeaderMap::new();
        let post = |status: u16, body: &[u8]| {
            Error::from_response(StatusCode::from_u16(status).unwrap(), &headers, body)
                .with_operation("pins/create", Method::Post)
        };
        assert!(post(502, b"").write_outcome_unknown());
        assert!(post(503, br#"{"code": 1, "message": "busy"}"#).write_outcome_unknown());
        assert!(!post(503, br#"{"code": 4197, "message": "ramped down"}"#).write_outcome_unknown());
        assert!(!post(429, b"").write_outcome_unknown());
        assert!(!post(400, b"").write_outcome_unknown());
        let get = Error::from_response(StatusCode::BAD_GATEWAY, &headers, b"")
            .with_operation("pins/get", Method::Get);
        assert!(!get.write_outcome_unknown());
    }

    #[test]
    fn carried_errors_survive_the_generated_code() {
        let original = Error::new(ErrorKind::InvalidGrant, "refresh rejected")
            .with_operation("pins/list", Method::Get);
        let response = original.into_carrier_response();
        assert_eq!(response.status().as_u16(), CARRIER_STATUS);
        let back: Error = progenitor_client::Error::<()>::UnexpectedResponse(response).into();
        assert_eq!(back.kind(), ErrorKind::InvalidGrant);
        assert_eq!(back.operation(), Some("pins/list"));
        assert!(back.to_string().contains("run the OAuth login again"));
    }
}
