//! The hook point: every generated method sends its request through
//! [`ClientHooks::exec`], which hands it to the [`Middleware`] stored in the
//! client (if any). `pinterest-ext` provides the middleware that adds auth,
//! retries, rate limiting and tracing; without one, requests go straight to
//! `reqwest`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use progenitor_client::{ClientHooks, OperationInfo};

use crate::{Client, Operation};

/// A boxed, `Send` future, as [`Middleware::execute`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a [`Middleware`] knows about the call it is executing.
#[derive(Debug, Clone, Copy)]
pub struct Call {
    /// The generated method's name (`"pins_create"`).
    pub method_name: &'static str,
    /// Its entry in the operations table (always present for generated
    /// methods; `None` only for a name the table does not know).
    pub operation: Option<&'static Operation>,
}

/// Runs a request on behalf of a generated method.
///
/// Implementations must send `request` with `client` (possibly several
/// times) and return the final response or transport error.
pub trait Middleware: Send + Sync + fmt::Debug + 'static {
    /// Executes one call.
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        call: Call,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>>;
}

/// The client's extension slot (progenitor's "inner type"): holds the
/// middleware, shared by all clones of the client.
#[derive(Clone, Default)]
pub struct Hooks {
    middleware: Option<Arc<dyn Middleware>>,
}

impl Hooks {
    /// No middleware: requests go straight to `reqwest`.
    pub fn none() -> Hooks {
        Hooks::default()
    }

    /// Routes every call through `middleware`.
    pub fn with_middleware(middleware: Arc<dyn Middleware>) -> Hooks {
        Hooks {
            middleware: Some(middleware),
        }
    }

    /// The middleware, if any.
    pub fn middleware(&self) -> Option<&Arc<dyn Middleware>> {
        self.middleware.as_ref()
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("middleware", &self.middleware)
            .finish()
    }
}

impl Client {
    /// A client for `baseurl` (e.g. `"https://api.pinterest.com/v5"`) that
    /// sends every call through `middleware`, using `http` for transport.
    pub fn with_middleware(
        baseurl: &str,
        http: reqwest::Client,
        middleware: Arc<dyn Middleware>,
    ) -> Client {
        Client::new_with_client(baseurl, http, Hooks::with_middleware(middleware))
    }

    /// The client's hooks.
    pub fn hooks(&self) -> &Hooks {
        &self.inner
    }
}

impl ClientHooks<Hooks> for Client {
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        match &self.inner.middleware {
            Some(middleware) => {
                let call = Call {
                    method_name: info.operation_id,
                    operation: Operation::by_method_name(info.operation_id),
                };
                middleware.execute(&self.client, request, call).await
            }
            None => self.client.execute(request).await,
        }
    }
}
