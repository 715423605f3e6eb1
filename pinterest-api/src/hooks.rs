//! The hook point: every generated `send()` hands its built request to the
//! [`Middleware`] stored in the client (if any), which returns the whole
//! response or an [`Error`]. `pinterest-ext` provides the middleware that
//! adds auth, retries, rate limiting and tracing; without one, requests go
//! straight to `reqwest`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use crate::error::Result;
use crate::runtime::{BaseUrl, RawResponse};
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
/// Implementations send `request` with `client` (possibly several times)
/// and return the final response, read whole, or an error. Any HTTP status
/// may be returned as a response: the generated code turns error statuses
/// into [`Error`](crate::Error)s.
///
/// `execute` is called when a generated `send()` is called, and the
/// future it returns is polled when the caller awaits: like any future,
/// it should do its work when polled, not when made (a caller may build
/// a call and drop it unawaited).
pub trait Middleware: Send + Sync + fmt::Debug + 'static {
    /// Executes one call.
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        call: Call,
    ) -> BoxFuture<'a, Result<RawResponse>>;
}

/// The client's extension slot (progenitor's "inner type"): the middleware,
/// shared by all clones of the client, and the decoding mode.
#[derive(Clone, Default)]
pub struct Hooks {
    middleware: Option<Arc<dyn Middleware>>,
    strict: bool,
    /// The client's base URL, parsed once (see [`crate::runtime`]).
    base: Arc<OnceLock<BaseUrl>>,
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
            ..Hooks::default()
        }
    }

    /// Strict decoding: a value or shape the spec does not list fails the
    /// call with a [`Decode`](crate::ErrorKind::Decode) error naming the
    /// type, path and value, instead of decoding as `Unknown` (see
    /// [`crate::decode`]). For tests and CI; off by default.
    pub fn strict(mut self, strict: bool) -> Hooks {
        self.strict = strict;
        self
    }

    /// Whether decoding is strict.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// The middleware, if any.
    pub fn middleware(&self) -> Option<&Arc<dyn Middleware>> {
        self.middleware.as_ref()
    }

    /// `baseurl` parsed and its path prefix, from the first call on
    /// (`None` when it does not parse, or when these hooks serve clients
    /// of another base URL).
    pub(crate) fn base_url(&self, baseurl: &str) -> Option<&(reqwest::Url, String)> {
        let base = self.base.get_or_init(|| BaseUrl::parse(baseurl));
        base.url.as_ref().filter(|_| base.raw == baseurl)
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("middleware", &self.middleware)
            .field("strict", &self.strict)
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

    /// The HTTP client requests are sent with.
    pub fn http(&self) -> &reqwest::Client {
        &self.client
    }
}
