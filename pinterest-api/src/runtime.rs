//! What every generated `send()` ends with: hand the built request to the
//! client's [`Middleware`](crate::Middleware) (or straight to `reqwest`),
//! turn an error status into an [`Error`], and decode the body once, with
//! the operation, the request id and the JSON path of any failure.

use bytes::Bytes;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};
use crate::hooks::Call;
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
}

impl RawResponse {
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
        let body = response
            .bytes()
            .await
            .map_err(|e| Error::from_transport(&e, method))?;
        Ok(RawResponse {
            status,
            headers,
            body,
            attempts: 1,
        })
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

fn call_of(method_name: &'static str) -> Call {
    Call {
        method_name,
        operation: Operation::by_method_name(method_name),
    }
}

/// Runs the call through the middleware (or `reqwest`) and checks the
/// status; errors carry the operation.
async fn execute(client: &Client, request: reqwest::Request, call: Call) -> Result<RawResponse> {
    let method = call.operation.map(|op| op.method);
    let outcome = match client.inner.middleware() {
        Some(middleware) => middleware.execute(&client.client, request, call).await,
        None => RawResponse::fetch(&client.client, request, method).await,
    };
    let named = |e: Error| match call.operation {
        Some(op) => e.or_operation(op.id, op.method),
        None => e,
    };
    outcome
        .and_then(RawResponse::error_for_status)
        .map_err(named)
}

/// Sends a request whose success body is JSON of type `T`.
#[doc(hidden)]
pub async fn send_json<T: DeserializeOwned>(
    client: &Client,
    request: reqwest::Request,
    method_name: &'static str,
) -> Result<ResponseValue<T>> {
    let call = call_of(method_name);
    let raw = execute(client, request, call).await?;
    match crate::decode::json::<T>(&raw.body, client.inner.is_strict()) {
        Ok(value) => Ok(ResponseValue::new(value, raw.status, raw.headers)),
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

/// Sends a request whose success response has no body.
#[doc(hidden)]
pub async fn send_empty(
    client: &Client,
    request: reqwest::Request,
    method_name: &'static str,
) -> Result<ResponseValue<()>> {
    let raw = execute(client, request, call_of(method_name)).await?;
    Ok(ResponseValue::new((), raw.status, raw.headers))
}
