//! [`Client`]: the generated client with auth, retries, rate limits and
//! tracing plugged into every call, and its builder.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use pinterest_api::{ClientInfo, Scope};

use crate::auth::manager::{Grant, TokenManager};
use crate::auth::{AppCredentials, MemoryStore, OAuth, Token, TokenStore};
use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};
use crate::middleware::{PinterestMiddleware, Shared};
use crate::ratelimit::{RateLimiter, RateLimits};
use crate::retry::RetryPolicy;

/// A Pinterest API client. Dereferences to the generated
/// [`pinterest_api::Client`], so every operation is a method on it; all of
/// them run through this crate's auth, retry and rate limiting.
///
/// Cheap to clone; clones share the token, its refresh, and the rate
/// limiter.
///
/// ```no_run
/// # async fn run() -> pinterest_ext::Result<()> {
/// let client = pinterest_ext::Client::from_env().await?;
/// let me = client.user_account_get().send().await?;
/// println!("{:?}", me.username);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    api: pinterest_api::Client,
    middleware: PinterestMiddleware,
    http: reqwest::Client,
}

impl Deref for Client {
    type Target = pinterest_api::Client;
    fn deref(&self) -> &pinterest_api::Client {
        &self.api
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.api.baseurl())
            .field("environment", &self.middleware.shared.environment)
            .field("retry", &self.middleware.retry)
            .field("tokens", &self.middleware.shared.tokens)
            .finish()
    }
}

impl Client {
    /// A builder (production, default retries and Standard rate limits).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client from `PINTEREST_ACCESS_TOKEN` (and, for automatic refresh,
    /// `PINTEREST_REFRESH_TOKEN`, `PINTEREST_APP_ID`,
    /// `PINTEREST_APP_SECRET`).
    pub async fn from_env() -> Result<Client> {
        let mut builder = Client::builder();
        if let Some(creds) = AppCredentials::from_env_if_set()? {
            builder = builder.credentials(creds);
        }
        match Token::from_env()? {
            Some(token) => builder.token(token).build().await,
            None => Err(Error::new(
                ErrorKind::Auth,
                "set PINTEREST_ACCESS_TOKEN (and PINTEREST_REFRESH_TOKEN, PINTEREST_APP_ID, PINTEREST_APP_SECRET for automatic refresh)",
            )),
        }
    }

    /// The generated client (what `Deref` gives too).
    pub fn api(&self) -> &pinterest_api::Client {
        &self.api
    }

    /// The environment the client talks to.
    pub fn environment(&self) -> &Environment {
        &self.middleware.shared.environment
    }

    /// The current token (after any refresh).
    pub fn token(&self) -> Option<Token> {
        self.middleware.shared.tokens.current()
    }

    /// The HTTP client (for requests outside the API, e.g. media uploads).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// This client with another retry policy, for one call or many
    /// (shares the token and rate limiter with `self`).
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_ext::Client) -> pinterest_ext::Result<()> {
    /// use pinterest_ext::RetryPolicy;
    /// client.with_retry(RetryPolicy::none()).pins_delete().pin_id("1").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_retry(&self, policy: RetryPolicy) -> Client {
        let middleware = PinterestMiddleware {
            shared: self.middleware.shared.clone(),
            retry: policy,
        };
        Client {
            api: pinterest_api::Client::with_middleware(
                self.api.baseurl(),
                self.http.clone(),
                Arc::new(middleware.clone()),
            ),
            middleware,
            http: self.http.clone(),
        }
    }

    /// The retry policy in effect.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.middleware.retry
    }
}

/// Builds a [`Client`].
///
/// ```no_run
/// # async fn run() -> pinterest_ext::Result<()> {
/// use pinterest_ext::{AppCredentials, Client, FileStore, RateLimits, RetryPolicy, Token};
/// let client = Client::builder()
///     .credentials(AppCredentials::new("1234567", "app-secret"))
///     .token(Token::new("pina_...").with_refresh_token("pinr_..."))
///     .token_store(FileStore::new("pinterest-token.json"))
///     .rate_limits(RateLimits::standard())
///     .retry(RetryPolicy::default())
///     .build()
///     .await?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
pub struct ClientBuilder {
    environment: Environment,
    credentials: Option<AppCredentials>,
    token: Option<Token>,
    store: Option<Arc<dyn TokenStore>>,
    grant: Grant,
    retry: RetryPolicy,
    rate_limits: RateLimits,
    connect_timeout: Duration,
    request_timeout: Duration,
    refresh_skew: Duration,
    http: Option<reqwest::Client>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            environment: Environment::Production,
            credentials: None,
            token: None,
            store: None,
            grant: Grant::User,
            retry: RetryPolicy::default(),
            rate_limits: RateLimits::standard(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            refresh_skew: Duration::from_secs(300),
            http: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("credentials", &self.credentials)
            .field("token", &self.token)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Production (default), sandbox, or a custom base URL.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Shorthand for `environment(Environment::Custom(url))`.
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.environment(Environment::Custom(url.into()))
    }

    /// App id and secret: needed to refresh tokens.
    pub fn credentials(mut self, credentials: AppCredentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The token to start with (a stored token takes precedence: it is
    /// newer, refreshes rotate it).
    pub fn token(mut self, token: Token) -> Self {
        self.token = Some(token);
        self
    }

    /// Where tokens are loaded from and every refreshed token is saved
    /// (default: memory only).
    pub fn token_store(mut self, store: impl TokenStore + 'static) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// [`ClientBuilder::token_store`] with a shared store.
    pub fn token_store_arc(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Uses an app token from the client credentials grant (renewed the
    /// same way) instead of a user token. Needs [`ClientBuilder::credentials`].
    pub fn client_credentials(mut self, scopes: Vec<Scope>) -> Self {
        self.grant = Grant::ClientCredentials(scopes);
        self
    }

    /// The retry policy of every call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Client-side rate limits (default [`RateLimits::standard`]).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time for a whole request, body included (default 60 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long before expiry a token is refreshed (default 5 minutes).
    pub fn refresh_skew(mut self, skew: Duration) -> Self {
        self.refresh_skew = skew;
        self
    }

    /// Uses this HTTP client (its timeouts replace the builder's).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client, loading the token from the store.
    pub async fn build(self) -> Result<Client> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.request_timeout)
                .user_agent(concat!("pinterest-rs/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| {
                    Error::new(
                        ErrorKind::InvalidRequest,
                        format!("cannot build the HTTP client: {e}"),
                    )
                    .with_source(e)
                })?,
        };
        if matches!(self.grant, Grant::ClientCredentials(_)) && self.credentials.is_none() {
            return Err(Error::new(
                ErrorKind::Auth,
                "the client credentials grant needs the app id and secret (ClientBuilder::credentials)",
            ));
        }
        let oauth = self.credentials.map(|c| {
            OAuth::new(c, self.environment.oauth_base_url())
                .with_http_client(http.clone())
                .with_retry(self.retry.clone())
        });
        let store = self.store.unwrap_or_else(|| Arc::new(MemoryStore::new()));
        let tokens = TokenManager::new(oauth, self.grant, store, self.refresh_skew);
        tokens.init(self.token).await?;
        let shared = Arc::new(Shared {
            tokens,
            limiter: RateLimiter::new(self.rate_limits),
            environment: self.environment,
        });
        let middleware = PinterestMiddleware {
            shared,
            retry: self.retry,
        };
        let api = pinterest_api::Client::with_middleware(
            middleware.shared.environment.base_url(),
            http.clone(),
            Arc::new(middleware.clone()),
        );
        Ok(Client {
            api,
            middleware,
            http,
        })
    }
}
