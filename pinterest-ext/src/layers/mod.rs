//! The middleware as layers, one concern each, composed in one place
//! (`standard_stack` in the client builder). A call goes through them
//! outside in:
//!
//! 1. [`trace`]: a tracing span per call, and the call's metrics.
//! 2. [`sandbox`]: operations Pinterest's sandbox does not serve fail here.
//! 3. [`preflight`]: missing OAuth scopes and deprecated operations.
//! 4. [`cache`]: GET responses from the response cache (when enabled).
//! 5. [`retry`]: the retry policy (never a write that may have been sent).
//! 6. [`auth`]: the bearer token, refreshed when stale and once after a 401.
//! 7. [`ratelimit`]: a slot from the limiter; headers teach it.
//! 8. [`transport`]: `reqwest`, the body read whole.
//!
//! Each layer is a [`Layer`]: it gets the request, the call's context and
//! [`Next`], the rest of the stack, which it may run once, several times,
//! or not at all. Layers are tested alone against a scripted `Next`.

pub mod auth;
pub mod cache;
pub mod preflight;
pub mod ratelimit;
pub mod retry;
pub mod sandbox;
pub mod trace;
pub mod transport;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use pinterest_api::{BoxFuture, Call, Method, Operation, RawResponse};
use reqwest::Request;
use tokio::time::Instant;

use crate::error::{Error, Result};
use crate::retry::RetryPolicy;

/// One concern of the request pipeline.
pub trait Layer: Send + Sync + fmt::Debug + 'static {
    /// Handles one request: usually does something, runs `next`, and looks
    /// at what came back.
    fn call<'a>(
        &'a self,
        request: Request,
        cx: &'a CallContext,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<RawResponse>>;
}

/// The rest of the stack after a layer. `Copy`: a layer may run it again
/// (a retry, a replay after a refresh).
#[derive(Clone, Copy)]
pub struct Next<'a> {
    layers: &'a [Arc<dyn Layer>],
    transport: &'a dyn Layer,
}

impl<'a> Next<'a> {
    /// The stack `layers`, ending in `transport`.
    pub fn new(layers: &'a [Arc<dyn Layer>], transport: &'a dyn Layer) -> Next<'a> {
        Next { layers, transport }
    }

    /// Runs the rest of the stack on `request`.
    pub fn run(self, request: Request, cx: &'a CallContext) -> BoxFuture<'a, Result<RawResponse>> {
        match self.layers.split_first() {
            Some((layer, rest)) => layer.call(
                request,
                cx,
                Next {
                    layers: rest,
                    transport: self.transport,
                },
            ),
            None => self.transport.call(request, cx, self),
        }
    }
}

/// Per-call settings that differ between clones of a client
/// ([`Client::with_retry`](crate::Client::with_retry),
/// [`Client::bypass_cache`](crate::Client::bypass_cache)).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// The retry policy (and the call's time budget).
    pub retry: RetryPolicy,
    /// Skip the response cache (neither read nor write it).
    pub bypass_cache: bool,
    /// Record `metrics` (see [`ClientBuilder::metrics`](crate::ClientBuilder::metrics)).
    pub metrics: bool,
}

/// What every layer knows about the call in progress.
#[derive(Debug)]
pub struct CallContext {
    /// The generated method and its table entry.
    pub call: Call,
    /// The `operationId` (or the method name when the table lacks it).
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The `x-ratelimit-category`.
    pub category: Option<&'static str>,
    /// The account this client acts for, in a client pool.
    pub account: Option<Arc<str>>,
    /// This call's options.
    pub options: CallOptions,
    /// When the call started.
    pub started: Instant,
    /// When the call's time budget ends: no wait may reach past it.
    pub deadline: Instant,
    attempts: AtomicU32,
}

impl CallContext {
    /// The context of `call`, starting now.
    pub fn new(
        call: Call,
        method: Method,
        account: Option<Arc<str>>,
        options: CallOptions,
    ) -> CallContext {
        let started = Instant::now();
        let deadline = started
            .checked_add(options.retry.budget())
            .unwrap_or(started);
        CallContext {
            operation_id: call.operation.map_or(call.method_name, |op| op.id),
            category: call.operation.and_then(|op| op.rate_limit_category),
            call,
            method,
            account,
            options,
            started,
            deadline,
            attempts: AtomicU32::new(0),
        }
    }

    /// The operation's table entry.
    pub fn operation(&self) -> Option<&'static Operation> {
        self.call.operation
    }

    /// Requests sent (or tried) so far.
    pub fn attempts(&self) -> u32 {
        self.attempts.load(Ordering::Relaxed)
    }

    /// Counts one more request (the transport calls it).
    pub fn count_attempt(&self) -> u32 {
        self.attempts.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Adds the operation and attempts to an error of this call.
    pub fn finish(&self, error: Error) -> Error {
        error
            .or_operation(self.operation_id, self.method)
            .with_attempts(self.attempts())
    }
}

/// The layers of one client, in order, ending in the transport; the
/// [`pinterest_api::Middleware`] every generated method runs through.
#[derive(Debug, Clone)]
pub struct Stack {
    layers: Arc<[Arc<dyn Layer>]>,
    transport: Arc<dyn Layer>,
    options: CallOptions,
    account: Option<Arc<str>>,
}

impl Stack {
    /// A stack of `layers` ending in `transport`.
    pub fn new(
        layers: Vec<Arc<dyn Layer>>,
        transport: Arc<dyn Layer>,
        options: CallOptions,
    ) -> Stack {
        Stack {
            layers: layers.into(),
            transport,
            options,
            account: None,
        }
    }

    /// The same layers with other per-call options.
    pub fn with_options(&self, options: CallOptions) -> Stack {
        Stack {
            options,
            ..self.clone()
        }
    }

    /// The same layers acting for `account`.
    pub fn for_account(&self, account: Option<Arc<str>>) -> Stack {
        Stack {
            account,
            ..self.clone()
        }
    }

    /// The per-call options.
    pub fn options(&self) -> &CallOptions {
        &self.options
    }

    /// Runs `request` through the stack for `call` (what the generated
    /// code does through [`pinterest_api::Middleware`]). Error statuses
    /// become errors carrying the operation and the attempts.
    pub async fn run(&self, request: Request, call: Call) -> Result<RawResponse> {
        let method = call
            .operation
            .map_or_else(|| method_of(&request), |op| op.method);
        let cx = CallContext::new(call, method, self.account.clone(), self.options.clone());
        let next = Next::new(&self.layers, &*self.transport);
        match next.run(request, &cx).await {
            Ok(mut response) => {
                response.attempts = cx.attempts();
                response.error_for_status().map_err(|e| cx.finish(e))
            }
            Err(e) => Err(cx.finish(e)),
        }
    }
}

impl pinterest_api::Middleware for Stack {
    fn execute<'a>(
        &'a self,
        _client: &'a reqwest::Client,
        request: Request,
        call: Call,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        Box::pin(self.run(request, call))
    }
}

/// The method of a request the table does not know.
pub(crate) fn method_of(request: &Request) -> Method {
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

#[cfg(test)]
pub(crate) mod testing {
    //! A scripted end of the stack for layer tests.

    use std::collections::VecDeque;
    use std::sync::Mutex;

    use bytes::Bytes;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    use super::*;

    /// Answers each request with the next scripted outcome and records it.
    #[derive(Debug, Default)]
    pub struct Script {
        pub outcomes: Mutex<VecDeque<Result<RawResponse>>>,
        pub seen: Mutex<Vec<Request>>,
    }

    impl Script {
        pub fn new(outcomes: Vec<Result<RawResponse>>) -> Script {
            Script {
                outcomes: Mutex::new(outcomes.into()),
                seen: Mutex::default(),
            }
        }
        pub fn sent(&self) -> usize {
            self.seen.lock().unwrap().len()
        }
    }

    impl Layer for Script {
        fn call<'a>(
            &'a self,
            request: Request,
            cx: &'a CallContext,
            _next: Next<'a>,
        ) -> BoxFuture<'a, Result<RawResponse>> {
            cx.count_attempt();
            self.seen.lock().unwrap().push(request);
            let outcome = self
                .outcomes
                .lock()
                .unwrap()
                .pop_front()
                .expect("a scripted outcome");
            Box::pin(async move { outcome })
        }
    }

    pub fn response(
        status: u16,
        headers: &[(&'static str, &str)],
        body: &'static str,
    ) -> Result<RawResponse> {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, v.parse().unwrap());
        }
        Ok(RawResponse::new(
            StatusCode::from_u16(status).unwrap(),
            map,
            Bytes::from_static(body.as_bytes()),
        ))
    }

    pub fn request(method: reqwest::Method) -> Request {
        Request::new(method, "http://pinterest.test/v5/pins".parse().unwrap())
    }

    pub fn context(method_name: &'static str, retry: RetryPolicy) -> CallContext {
        let call = Call {
            method_name,
            operation: Operation::by_method_name(method_name),
        };
        let method = call.operation.map_or(Method::Get, |op| op.method);
        CallContext::new(
            call,
            method,
            None,
            CallOptions {
                retry,
                ..CallOptions::default()
            },
        )
    }

    /// Runs `layer` with `end` (a [`Script`], say) as the rest of the
    /// stack.
    pub async fn run(
        layer: &dyn Layer,
        end: &dyn Layer,
        request: Request,
        cx: &CallContext,
    ) -> Result<RawResponse> {
        let rest: [Arc<dyn Layer>; 0] = [];
        let next = Next::new(&rest, end);
        layer.call(request, cx, next).await
    }

    /// A token manager holding `token`, refreshing through `oauth` if
    /// given, with an in-memory store.
    pub async fn token_manager(
        oauth: Option<crate::auth::oauth::OAuth>,
        token: crate::auth::token::Token,
    ) -> Arc<crate::auth::manager::TokenManager> {
        let tokens = crate::auth::manager::TokenManager::new(
            oauth,
            crate::auth::manager::Grant::User,
            Arc::new(crate::auth::store::MemoryStore::new()),
            std::time::Duration::from_secs(60),
            crate::auth::events::TokenEvents::default(),
        );
        tokens.init(Some(token), Default::default()).await.unwrap();
        Arc::new(tokens)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::testing::*;
    use super::*;
    use crate::ErrorKind;

    /// Records the order layers ran in.
    #[derive(Debug)]
    struct Mark(&'static str, Arc<Mutex<Vec<&'static str>>>);

    impl Layer for Mark {
        fn call<'a>(
            &'a self,
            request: Request,
            cx: &'a CallContext,
            next: Next<'a>,
        ) -> BoxFuture<'a, Result<RawResponse>> {
            self.1.lock().unwrap().push(self.0);
            next.run(request, cx)
        }
    }

    #[tokio::test]
    async fn layers_run_outside_in_and_error_statuses_become_errors_of_the_call() {
        let order = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Script::new(vec![response(
            404,
            &[("x-pinterest-rid", "req-1")],
            r#"{"code": 50, "message": "Pin not found."}"#,
        )]));
        let stack = Stack::new(
            vec![
                Arc::new(Mark("outer", order.clone())),
                Arc::new(Mark("inner", order.clone())),
            ],
            script.clone(),
            CallOptions::default(),
        );
        let call = Call {
            method_name: "pins_get",
            operation: Operation::by_method_name("pins_get"),
        };
        let err = stack
            .run(request(reqwest::Method::GET), call)
            .await
            .unwrap_err();
        assert_eq!(*order.lock().unwrap(), ["outer", "inner"]);
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(err.code(), Some(50));
        assert_eq!(err.operation(), Some("pins/get"));
        assert_eq!(err.request_id(), Some("req-1"));
        assert_eq!(err.attempts(), 1);
    }
}
