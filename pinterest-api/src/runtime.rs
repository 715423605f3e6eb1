//! What every generated `send()` ends with: hand the built request to the
//! client's [`Middleware`](crate::Middleware) (or straight to `reqwest`),
//! turn an error status into an [`Error`], and decode the body once, with
//! the operation, the request id and the JSON path of any failure.

use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};
use crate::hooks::{BoxFuture, Call};
use crate::memo::DecodedMemo;
use crate::{Client, Method, Operation};

/// A whole HTTP response: status, headers and the body, read to the end.
///
/// Every Pinterest operation answers with a small JSON body (large results
/// come as download URLs), so a response is read whole once; middleware
/// can then retry a broken read, and decoding never parses twice.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// Requests sent to obtain it (more than 1 after retries).
    pub attempts: u32,
    /// Where the body's decoded value is kept for the next reader of the
    /// same body (a cache's next hit).
    memo: Option<Arc<DecodedMemo>>,
}

impl RawResponse {
    /// A response read in one attempt.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> RawResponse {
        RawResponse {
            status,
            headers,
            body,
            attempts: 1,
            memo: None,
        }
    }

    /// The same response, whose decoded body is kept in `memo` (or taken
    /// from it, when an earlier reader of the same body kept it there).
    /// For caches, which hand every reader of one stored body the same
    /// memo; a memo filled from other bytes is not used.
    pub fn with_memo(mut self, memo: Arc<DecodedMemo>) -> RawResponse {
        self.memo = Some(memo);
        self
    }

    /// Sends `request` with `http` and reads the whole body. Transport
    /// failures are classified for `method` (a write that may have been
    /// sent is [`ErrorKind::OutcomeUnknown`]).
    pub async fn fetch(
        http: &reqwest::Client,
        request: reqwest::Request,
        method: Option<Method>,
    ) -> Result<RawResponse> {
        let mut response = http
            .execute(request)
            .await
            .map_err(|e| Error::from_transport(&e, method))?;
        let status = response.status();
        // Taken, not copied: the body read below does not need them.
        let headers = std::mem::take(response.headers_mut());
        let body = read_body(&mut response)
            .await
            .map_err(|e| Error::from_transport(&e, method))?;
        Ok(RawResponse::new(status, headers, body))
    }

    /// `Ok(self)` for a 2xx status, else the [`Error`] it stands for.
    pub fn error_for_status(self) -> Result<RawResponse> {
        if self.status.is_success() {
            Ok(self)
        } else {
            let mut e = Error::from_response(self.status, &self.headers, self.body)
                .with_attempts(self.attempts);
            if !(self.status.is_client_error() || self.status.is_server_error()) {
                e = e.with_kind(ErrorKind::UnexpectedStatus);
            }
            Err(e)
        }
    }
}

/// The whole body of `response`, read chunk by chunk: a body that comes
/// in one chunk (most of Pinterest's) is that chunk, not a copy.
///
/// Not `Response::bytes`: its future holds the response and a collector,
/// 1,088 bytes, which made every call's transport future too large for
/// the allocator's per-thread cache (at most 1,032 bytes in glibc), so it
/// took the allocator's slow path and fresh memory at every call. This
/// one holds a reference and the chunks.
async fn read_body(response: &mut reqwest::Response) -> reqwest::Result<Bytes> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let mut body = Vec::with_capacity(first.len() + second.len());
    body.extend_from_slice(&first);
    body.extend_from_slice(&second);
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
    }
    Ok(body.into())
}

/// A client's base URL, parsed once: every call's URL is the base with
/// the operation's path set, so the scheme and host are not parsed again
/// per call (that parse, IDNA included, was about 3,000 instructions of
/// every call).
#[derive(Debug)]
pub(crate) struct BaseUrl {
    /// The base URL as the client was given it.
    pub(crate) raw: String,
    /// It parsed, and the path it puts before every operation's path;
    /// `None` when it does not parse or carries a query or fragment (then
    /// each call parses its whole URL, and reports the error).
    pub(crate) url: Option<(reqwest::Url, String)>,
}

impl BaseUrl {
    pub(crate) fn parse(raw: &str) -> BaseUrl {
        // The path prefix exactly as parsing `raw + path` would make it
        // (`http://h` gives "", `http://h/v5` "/v5", `http://h/` "/").
        let url = if raw.contains(['?', '#']) {
            None
        } else {
            reqwest::Url::parse(&format!("{raw}/x"))
                .ok()
                .filter(|u| u.has_host())
                .and_then(|u| {
                    let prefix = u.path().strip_suffix("/x")?.to_string();
                    Some((u, prefix))
                })
        };
        BaseUrl {
            raw: raw.to_string(),
            url,
        }
    }
}

/// The URL of a call: `client`'s base URL followed by `path` (already
/// percent-encoded by the generated code), the same URL as parsing the
/// concatenation, without parsing the scheme and host again.
#[doc(hidden)]
pub fn url(client: &Client, path: &str) -> Result<reqwest::Url> {
    if let Some((base, prefix)) = client.inner.base_url(&client.baseurl) {
        let mut url = base.clone();
        url.set_path(&[prefix, path].concat());
        return Ok(url);
    }
    let joined = format!("{}{path}", client.baseurl);
    reqwest::Url::parse(&joined)
        .ok()
        .filter(|u| u.has_host())
        .ok_or_else(|| {
            Error::invalid_request(format!(
                "the client's base URL `{}` does not make a valid URL with `{path}`",
                client.baseurl
            ))
        })
}

/// Adds the pairs of a query parameter (`progenitor_client::QueryParam`,
/// or one of [`crate::query`]'s encodings) to `url`'s query, encoded as
/// `reqwest::RequestBuilder::query` encodes them. An absent optional
/// parameter adds nothing and leaves the URL untouched (reqwest's edits
/// the query and drops it again, about 350 instructions each).
#[doc(hidden)]
pub fn query<T: serde::Serialize + ?Sized>(url: &mut reqwest::Url, param: &T) -> Result<()> {
    let pairs = serde_urlencoded::to_string(param)
        .map_err(|e| Error::invalid_request(format!("a query parameter cannot be encoded: {e}")))?;
    if pairs.is_empty() {
        return Ok(());
    }
    match url.query().filter(|q| !q.is_empty()) {
        Some(existing) => {
            let joined = [existing, "&", &pairs].concat();
            url.set_query(Some(&joined));
        }
        None => url.set_query(Some(&pairs)),
    }
    Ok(())
}

/// A request without a body, with no headers yet: the request
/// `client.client.request(method, url).build()` gives, without the
/// builder, which clones the HTTP client. A URL with credentials goes
/// through the builder, which moves them into an `Authorization` header.
#[doc(hidden)]
pub fn request(
    client: &Client,
    method: reqwest::Method,
    url: reqwest::Url,
) -> Result<reqwest::Request> {
    if url.username().is_empty() && url.password().is_none() {
        return Ok(reqwest::Request::new(method, url));
    }
    client
        .client
        .request(method, url)
        .build()
        .map_err(Error::request_build)
}

/// A generated method's entry in the operations table, looked up at the
/// method's first call: each generated `send()` keeps one in a `static`,
/// so later calls do not search the table (a binary search over the
/// method names, about 300 instructions).
#[doc(hidden)]
#[derive(Debug)]
pub struct MethodOperation {
    method_name: &'static str,
    operation: OnceLock<Option<&'static Operation>>,
}

impl MethodOperation {
    /// The entry of the generated method `method_name`, not looked up yet.
    pub const fn new(method_name: &'static str) -> MethodOperation {
        MethodOperation {
            method_name,
            operation: OnceLock::new(),
        }
    }

    fn call(&self) -> Call {
        Call {
            method_name: self.method_name,
            operation: *self
                .operation
                .get_or_init(|| Operation::by_method_name(self.method_name)),
        }
    }
}

/// Runs the call through the middleware (or `reqwest`), checks the
/// status (errors carry the operation) and makes the success response
/// the caller's value with `finish`.
///
/// The future that runs the request is made at once, boxed, when
/// `send()` is called (it does nothing until polled): the request moves
/// into it directly, and the future returned here, which the caller
/// moves into its own state, is about 100 bytes. Holding the request and
/// an inline transport future instead made it 1,024 bytes, copied by
/// every caller's `.await`.
///
/// One `async` block for the whole call, and the public entry points
/// below hand its future on rather than awaiting it in their own: every
/// poll of a call goes through each state machine between the caller and
/// the transport, and each costs time.
fn send<'a, T: 'a>(
    client: &'a Client,
    request: Result<reqwest::Request>,
    call: Call,
    finish: fn(&Client, RawResponse, Call) -> Result<ResponseValue<T>>,
) -> impl Future<Output = Result<ResponseValue<T>>> + 'a {
    let named = move |e: Error| match call.operation {
        Some(op) => e.or_operation(op.id, op.method),
        None => e,
    };
    let running = request.map(|request| -> BoxFuture<'a, Result<RawResponse>> {
        match client.inner.middleware() {
            Some(middleware) => middleware.execute(&client.client, request, call),
            None => Box::pin(RawResponse::fetch(
                &client.client,
                request,
                call.operation.map(|op| op.method),
            )),
        }
    });
    async move {
        let raw = running
            .map_err(named)?
            .await
            .and_then(RawResponse::error_for_status)
            .map_err(named)?;
        finish(client, raw, call)
    }
}

/// A success response's body decoded as `T`, or a copy of the value an
/// earlier reader of the same body left in its memo.
fn decode_json<T: DeserializeOwned + Clone + Send + Sync + 'static>(
    client: &Client,
    raw: RawResponse,
    call: Call,
) -> Result<ResponseValue<T>> {
    let strict = client.inner.is_strict();
    if let Some(value) = raw
        .memo
        .as_deref()
        .and_then(|m| m.get::<T>(&raw.body, strict))
    {
        return Ok(ResponseValue::new(value.clone(), raw.status, raw.headers));
    }
    match crate::decode::json::<T>(&raw.body, strict) {
        Ok(value) => {
            if let Some(memo) = &raw.memo {
                memo.keep(&raw.body, strict, value.clone());
            }
            Ok(ResponseValue::new(value, raw.status, raw.headers))
        }
        Err(failure) => {
            let e = Error::decode(
                raw.status,
                &raw.headers,
                raw.body,
                Some(failure.path),
                failure.reason,
            )
            .with_attempts(raw.attempts);
            Err(match call.operation {
                Some(op) => e.with_operation(op.id, op.method),
                None => e,
            })
        }
    }
}

/// A success response without a body.
fn no_body(_: &Client, raw: RawResponse, _: Call) -> Result<ResponseValue<()>> {
    Ok(ResponseValue::new((), raw.status, raw.headers))
}

/// Sends `request` (or fails with the error that building it met),
/// whose success body is JSON of type `T`.
#[doc(hidden)]
pub fn send_json<'a, T: DeserializeOwned + Clone + Send + Sync + 'static>(
    client: &'a Client,
    request: Result<reqwest::Request>,
    operation: &'static MethodOperation,
) -> impl Future<Output = Result<ResponseValue<T>>> + 'a {
    send(client, request, operation.call(), decode_json::<T>)
}

/// Sends `request` (or fails with the error that building it met),
/// whose success response has no body.
#[doc(hidden)]
pub fn send_empty<'a>(
    client: &'a Client,
    request: Result<reqwest::Request>,
    operation: &'static MethodOperation,
) -> impl Future<Output = Result<ResponseValue<()>>> + 'a {
    send(client, request, operation.call(), no_body)
}
