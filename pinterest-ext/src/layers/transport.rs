//! The end of the stack: sends the request with `reqwest` and reads the
//! whole body. A failure is classified for the call's method (a write that
//! may have been sent is `OutcomeUnknown`); the URL never appears in it.

use pinterest_api::{BoxFuture, RawResponse};
use reqwest::Request;

use super::{CallContext, Layer, Next};
use crate::error::Result;

/// Sends requests with one `reqwest::Client` (one connection pool).
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
}

impl Transport {
    /// A transport over `http`.
    pub fn new(http: reqwest::Client) -> Transport {
        Transport { http }
    }
}

impl Layer for Transport {
    fn call<'a>(
        &'a self,
        request: Request,
        cx: &'a CallContext,
        _next: Next<'a>,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        Box::pin(async move {
            cx.count_attempt();
            RawResponse::fetch(&self.http, request, Some(cx.method)).await
        })
    }
}
