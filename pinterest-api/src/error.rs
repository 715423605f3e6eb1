//! The one error type of this crate and of `pinterest-ext`: every generated
//! `send()` returns it, the middleware returns it, and the helpers of
//! `pinterest-ext` return it. What happened is the [`ErrorKind`] (decided by
//! HTTP status first); Pinterest's own `code` and `message` are data; where
//! it happened is the operation, the request id and the attempts; and a
//! body that did not decode keeps its JSON path and its raw bytes.
//!
//! ```no_run
//! # async fn run(client: pinterest_api::Client) {
//! use pinterest_api::ErrorKind;
//! match client.pins_get().pin_id("1234").send().await {
//!     Ok(pin) => println!("{:?}", pin.title),
//!     Err(e) if e.kind() == ErrorKind::NotFound => println!("no such pin"),
//!     Err(e) => eprintln!("{e}\n  advice: {}", e.advice()),
//! }
//! # }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::Method;

/// Result of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Pinterest error codes whose meaning the spec shows consistently.
///
/// Published code tables disagree with the spec's own examples (the spec's
/// 429 examples carry code 8, its 401 examples code 2 "Authentication
/// failed"; other tables call 2 a rate limit and 8 an invalid token), so an
/// error's kind is decided by HTTP status and the code is kept as data.
/// Only the codes below are named.
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

/// The header carrying Pinterest's request id.
pub const REQUEST_ID_HEADER: &str = "x-pinterest-rid";

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
    /// HTTP 429 after the retries the policy allows, or a wait Pinterest
    /// asked for that is longer than the call may wait (see
    /// [`Error::retry_at`]).
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
    /// HTML page, an empty body, a different shape). See
    /// [`Error::decode_path`] and [`Error::body`].
    Decode,
    /// Authentication is not set up to make this call (no token, an expired
    /// token that cannot be refreshed, a token endpoint failure), or the
    /// token lacks a scope the operation needs (checked before sending).
    Auth,
    /// The refresh token or authorization code was rejected
    /// (`invalid_grant`, code 283): the user must authorize again.
    InvalidGrant,
    /// Loading or saving the token in its store failed.
    TokenStore,
    /// The operation is disabled in Pinterest's sandbox (`x-sandbox:
    /// disabled`); it was not sent.
    SandboxUnsupported,
    /// The request could not be built (a required parameter is missing, a
    /// value does not convert, a file fails a check); nothing was sent.
    InvalidRequest,
    /// An HTTP status the operation does not document and this crate does
    /// not classify (1xx, 3xx).
    UnexpectedStatus,
    /// A local file or stream failed (workflows).
    Io,
    /// A multi-step workflow failed at a stage (see [`Error::stage`]).
    Workflow,
    /// A shared backend (Redis) failed or timed out.
    Backend,
    /// The operation is deprecated in the spec and the client was told to
    /// refuse deprecated operations; it was not sent.
    Deprecated,
}

impl ErrorKind {
    /// The kind an HTTP error status maps to (status decides, never the
    /// Pinterest code alone).
    ///
    /// ```
    /// use pinterest_api::ErrorKind;
    /// use reqwest::StatusCode;
    /// assert_eq!(ErrorKind::from_status(StatusCode::TOO_MANY_REQUESTS), ErrorKind::RateLimited);
    /// assert_eq!(ErrorKind::from_status(StatusCode::IM_A_TEAPOT), ErrorKind::BadRequest);
    /// ```
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

    /// A short lower-case name (`"rate limited"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad request",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::Server => "server error",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Connect => "could not connect",
            ErrorKind::Network => "connection failed",
            ErrorKind::OutcomeUnknown => "outcome unknown",
            ErrorKind::Decode => "response did not decode",
            ErrorKind::Auth => "authentication",
            ErrorKind::InvalidGrant => "invalid grant",
            ErrorKind::TokenStore => "token store",
            ErrorKind::SandboxUnsupported => "not served by the sandbox",
            ErrorKind::InvalidRequest => "invalid request",
            ErrorKind::UnexpectedStatus => "unexpected status",
            ErrorKind::Io => "I/O",
            ErrorKind::Workflow => "workflow",
            ErrorKind::Backend => "backend",
            ErrorKind::Deprecated => "deprecated operation",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    retry_at: Option<SystemTime>,
    attempts: u32,
    body: Option<Bytes>,
    decode_path: Option<String>,
    detail: Option<String>,
    stage: Option<&'static str>,
    resume_bookmark: Option<String>,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// An error of a Pinterest call. [`Error::kind`] says what went wrong; the
/// accessors give the details Pinterest sent; [`Error::advice`] says what
/// to do about it.
///
/// `Display` is one line (`{:#}` appends the advice). Neither `Display` nor
/// `Debug` prints a response body or a token.
#[derive(Clone)]
pub struct Error(Box<Inner>);

impl Error {
    /// A new error of `kind` with a short description of what happened
    /// (for your own token stores, layers and wrappers).
    ///
    /// ```
    /// use pinterest_api::{Error, ErrorKind};
    /// let e = Error::new(ErrorKind::TokenStore, "the vault is sealed");
    /// assert_eq!(e.kind(), ErrorKind::TokenStore);
    /// assert_eq!(e.to_string(), "token store: the vault is sealed");
    /// ```
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Error {
        let mut e = Error::bare(kind);
        e.0.detail = Some(detail.into());
        e
    }

    /// Attaches the underlying error (its text is not repeated in `Display`).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.0.source = Some(Arc::new(source));
        self
    }

    fn bare(kind: ErrorKind) -> Error {
        Error(Box::new(Inner {
            kind,
            operation: None,
            method: None,
            status: None,
            code: None,
            message: None,
            request_id: None,
            retry_after: None,
            retry_at: None,
            attempts: 0,
            body: None,
            decode_path: None,
            detail: None,
            stage: None,
            resume_bookmark: None,
            source: None,
        }))
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
    /// How long Pinterest asked to wait (`Retry-After`/`X-RateLimit-Reset`),
    /// as read from the response.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }
    /// For [`ErrorKind::RateLimited`]: the earliest time another attempt
    /// may succeed, when Pinterest said (the call did not wait that long
    /// because it exceeded the retry policy's bounds).
    pub fn retry_at(&self) -> Option<SystemTime> {
        self.0.retry_at
    }
    /// Attempts made (1 when not retried; 0 when never sent).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }
    /// The raw body of an error response, or of a success response that
    /// did not decode.
    pub fn body(&self) -> Option<&[u8]> {
        self.0.body.as_deref()
    }
    /// The first 200 characters of [`Error::body`], on one line, when it is
    /// not a Pinterest error body (`{"code": .., "message": ..}`).
    pub fn body_excerpt(&self) -> Option<String> {
        if self.0.message.is_some() || self.0.code.is_some() {
            return None;
        }
        self.0.body.as_deref().map(excerpt)
    }
    /// For [`ErrorKind::Decode`]: where in the JSON the body stopped
    /// matching the spec (`items[3].account_type`), when the body was JSON.
    pub fn decode_path(&self) -> Option<&str> {
        self.0.decode_path.as_deref()
    }
    /// What went wrong, in words, beyond the kind and Pinterest's message.
    pub fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }
    /// The workflow stage that failed (`"upload"`, `"poll"`, ...).
    pub fn stage(&self) -> Option<&'static str> {
        self.0.stage
    }
    /// For a pagination error: the bookmark to resume from (`None` means
    /// from the start).
    pub fn resume_bookmark(&self) -> Option<&str> {
        self.0.resume_bookmark.as_deref()
    }

    /// Whether trying again later may succeed (rate limits, server errors,
    /// timeouts, connection failures, a backend outage). Never true for
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
                | ErrorKind::Backend
        )
    }

    /// Whether a write (POST/PATCH) may have taken effect although this
    /// error was returned: the connection failed after sending, the server
    /// answered 5xx (but 501, 505 or a 503 "ramped down"), or its success
    /// response did not decode. Bulk jobs report such items as "outcome
    /// unknown", never as failed.
    pub fn write_outcome_unknown(&self) -> bool {
        if self.0.kind == ErrorKind::OutcomeUnknown {
            return true;
        }
        let write = self.0.method.is_some_and(|m| !m.is_idempotent());
        if !write {
            return false;
        }
        // A write whose success response did not decode took effect.
        if self.0.kind == ErrorKind::Decode {
            return true;
        }
        match self.0.status.map(|s| s.as_u16()) {
            // Not implemented / HTTP version: refused before processing.
            Some(501 | 505) => false,
            Some(503) => self.0.code != Some(codes::ENDPOINT_RAMPED_DOWN),
            Some(500..=599) => true,
            _ => false,
        }
    }

    /// What to do about it, in one sentence.
    pub fn advice(&self) -> String {
        let op = self.0.operation.unwrap_or("the request");
        match self.0.kind {
            ErrorKind::BadRequest => {
                format!("fix the parameters of {op} (see Pinterest's message)")
            }
            ErrorKind::Unauthorized => {
                "the access token was rejected: authorize again, or check PINTEREST_ACCESS_TOKEN".into()
            }
            ErrorKind::Forbidden => {
                let scopes = self
                    .0
                    .operation
                    .and_then(crate::Operation::by_id)
                    .map(|o| crate::Scope::join(o.scopes))
                    .filter(|s| !s.is_empty());
                match scopes {
                    Some(s) => format!(
                        "the token needs the scopes {s} and the account needs access to the resource"
                    ),
                    None => "the token lacks a scope, or the account lacks access to the resource"
                        .into(),
                }
            }
            ErrorKind::NotFound => {
                "check the id; the resource does not exist or is not visible to this token".into()
            }
            ErrorKind::Conflict => {
                "the resource changed or already exists; fetch it and decide".into()
            }
            ErrorKind::RateLimited => match (self.0.retry_at, self.0.retry_after) {
                (Some(at), _) => match at.duration_since(SystemTime::now()) {
                    Ok(left) => format!(
                        "Pinterest asked to wait {}s; retry after that, or lower this client's rate limits",
                        left.as_secs().max(1)
                    ),
                    Err(_) => "retry now, or lower this client's rate limits".into(),
                },
                (None, Some(d)) => format!(
                    "wait {}s before retrying, or lower this client's rate limits",
                    d.as_secs().max(1)
                ),
                (None, None) => "wait before retrying, or lower this client's rate limits".into(),
            },
            ErrorKind::Server => "Pinterest failed; retry later".into(),
            ErrorKind::Timeout => "retry later, or raise the client's request timeout".into(),
            ErrorKind::Connect => "check the network and the base URL; nothing was sent".into(),
            ErrorKind::Network => "the connection broke; retry later".into(),
            ErrorKind::OutcomeUnknown => {
                "it was not retried so it cannot have been applied twice; check whether it took effect before sending it again".into()
            }
            ErrorKind::Decode => {
                "the response did not match the spec this client was generated from; report it with the request id".into()
            }
            ErrorKind::Auth => "check the credentials and scopes the client was built with".into(),
            ErrorKind::InvalidGrant => {
                "the refresh token (or authorization code) is no longer valid: run the OAuth login again".into()
            }
            ErrorKind::TokenStore => "check the token store (file path and permissions)".into(),
            ErrorKind::SandboxUnsupported => {
                "use the production environment for this operation, or mock it in tests".into()
            }
            ErrorKind::InvalidRequest => "set the missing or invalid parameter".into(),
            ErrorKind::UnexpectedStatus => "report it with the request id".into(),
            ErrorKind::Io => "check the file or stream".into(),
            ErrorKind::Workflow => "see the stage and retry the workflow".into(),
            ErrorKind::Backend => {
                "check the shared backend (Redis); calls recover when it is reachable again".into()
            }
            ErrorKind::Deprecated => {
                let sunset = self
                    .0
                    .operation
                    .and_then(crate::Operation::by_id)
                    .and_then(|o| o.sunset)
                    .map(|s| format!(" (sunset {s})"))
                    .unwrap_or_default();
                format!("{op} is deprecated{sunset}: move to its replacement, or let the client warn instead of refusing")
            }
        }
    }
}

/// Constructors used by generated code and `pinterest-ext`: hidden from the
/// docs and outside the semver promise. Applications read errors; they
/// build them only with [`Error::new`].
#[doc(hidden)]
impl Error {
    /// An error for an HTTP error response: kind from the status, code and
    /// message from a Pinterest error body, the raw body kept.
    pub fn from_response(status: StatusCode, headers: &HeaderMap, body: Bytes) -> Error {
        let mut e = Error::bare(ErrorKind::from_status(status));
        e.0.status = Some(status);
        e.0.request_id = request_id(headers);
        e.0.retry_after = crate::headers::retry_after(headers);
        if let Some(parsed) = ErrorBody::parse(&body) {
            e.0.code = parsed.code;
            e.0.message = parsed.message;
        }
        if !body.is_empty() {
            e.0.body = Some(body);
        }
        e
    }

    /// A success response whose body does not decode.
    pub fn decode(
        status: StatusCode,
        headers: &HeaderMap,
        body: Bytes,
        path: Option<String>,
        reason: String,
    ) -> Error {
        let mut e = Error::bare(ErrorKind::Decode);
        e.0.status = Some(status);
        e.0.request_id = request_id(headers);
        e.0.decode_path = path.filter(|p| !p.is_empty() && p != ".");
        e.0.detail = Some(if body.is_empty() {
            format!(
                "the {} response has an empty body where JSON was expected",
                status.as_u16()
            )
        } else {
            reason
        });
        e.0.body = Some(body);
        e
    }

    /// A transport failure; `method` decides whether a failure after
    /// sending is [`ErrorKind::OutcomeUnknown`]. The URL is never kept (it
    /// may be a pre-signed upload or download address).
    pub fn from_transport(err: &reqwest::Error, method: Option<Method>) -> Error {
        let write = method.is_some_and(|m| !m.is_idempotent());
        let (kind, what) = if err.is_builder() {
            (ErrorKind::InvalidRequest, "the request could not be built")
        } else if err.is_connect() {
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
        let mut e = Error::new(kind, format!("{what} ({})", describe_transport(err)));
        e.0.method = method;
        e
    }

    /// A request the generated code could not build (a parameter that does
    /// not convert, a missing body).
    pub fn invalid_request(message: String) -> Error {
        Error::new(ErrorKind::InvalidRequest, message)
    }

    /// A `reqwest::RequestBuilder::build` failure in generated code.
    pub fn request_build(err: reqwest::Error) -> Error {
        Error::new(
            ErrorKind::InvalidRequest,
            format!(
                "the request could not be built ({})",
                describe_transport(&err)
            ),
        )
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

    /// Keeps a body (an excerpt of it appears in messages when it is not a
    /// Pinterest error body).
    pub fn with_body(mut self, body: Bytes) -> Error {
        self.0.body = Some(body);
        self
    }

    /// Drops the kept body (for bodies that may hold secrets).
    pub fn without_body(mut self) -> Error {
        self.0.body = None;
        self
    }

    /// Replaces the kind.
    pub fn with_kind(mut self, kind: ErrorKind) -> Error {
        self.0.kind = kind;
        self
    }

    /// Replaces the description.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Error {
        self.0.detail = Some(detail.into());
        self
    }

    /// Sets the time after which a rate-limited call may succeed.
    pub fn with_retry_at(mut self, at: SystemTime) -> Error {
        self.0.retry_at = Some(at);
        self
    }

    /// Sets the wait Pinterest asked for.
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Error {
        self.0.retry_after = wait;
        self
    }
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    const NAME: reqwest::header::HeaderName =
        reqwest::header::HeaderName::from_static(REQUEST_ID_HEADER);
    headers
        .get(NAME)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(128).collect())
}

/// Pinterest's error body: `{"code": 8, "message": "..."}`.
#[derive(serde::Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    message: Option<String>,
}

impl ErrorBody {
    fn parse(body: &[u8]) -> Option<ErrorBody> {
        serde_json::from_slice::<ErrorBody>(body)
            .ok()
            .filter(|b| b.code.is_some() || b.message.is_some())
    }
}

/// The first 200 characters of a body, on one line.
fn excerpt(body: &[u8]) -> String {
    if body.is_empty() {
        return "<empty body>".into();
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = one_line.chars().take(200).collect();
    if one_line.chars().count() > 200 || body.len() > 4096 {
        cut.push('…');
    }
    cut
}

/// A one-line description of a reqwest error without its URL (URLs may
/// carry signed query parameters or personal data).
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

impl fmt::Display for Error {
    /// `[stage] operation (METHOD): kind, HTTP status, Pinterest code: message:
    /// detail at path (body: excerpt) after N attempts [request id]`; with
    /// `{:#}`, `; advice` follows.
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
        f.write_str(i.kind.as_str())?;
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
        if let Some(path) = &i.decode_path {
            write!(f, " at {path}")?;
        }
        if let Some(body) = self
            .body_excerpt()
            .filter(|_| i.kind != ErrorKind::Decode || i.decode_path.is_none())
        {
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
        if f.alternate() {
            write!(f, "; {}", self.advice())?;
        }
        Ok(())
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
            .field("decode_path", &i.decode_path)
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
