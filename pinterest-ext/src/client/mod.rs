//! [`Client`]: the generated client with auth, retries, rate limits and
//! tracing plugged into every call, its builder, and the helpers, one
//! module per area:
//!
//! | area | helpers | module |
//! |---|---|---|
//! | pins, boards, sections, account | [`Client::create_pin`], [`Client::board_pins`], [`Client::me`], ... | `client/organic.rs` |
//! | video pins | [`Client::upload_video`], [`Client::create_video_pin`] | `client/video.rs` |
//! | async jobs (reports, bulk, exports) | [`Client::start_ads_report`], [`Client::download_job_to_file`], ... | `client/jobs.rs` |
//! | bulk writes with a journal | [`Client::create_pins`] | `client/bulk.rs` |
//! | analytics over date ranges | `Client::user_analytics`, `Client::ad_account_daily`, `Client::ads_report_daily` | `client/analytics.rs` |
//! | Conversions API | [`Client::send_conversion_events`] | `client/conversions.rs` |

#[cfg(any(feature = "organic", feature = "ads"))]
mod analytics;
#[cfg(feature = "organic")]
mod bulk;
#[cfg(feature = "conversions")]
mod conversions;
#[cfg(any(feature = "ads", feature = "catalogs"))]
mod jobs;
#[cfg(feature = "organic")]
mod organic;
#[cfg(feature = "organic")]
mod video;

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use pinterest_api::{ClientInfo, Scope};

use crate::auth::events::{TokenEvent, TokenEvents};
use crate::auth::manager::{Grant, TokenManager, TokenPrecedence};
use crate::auth::{AppCredentials, MemoryStore, OAuth, Token, TokenStore};
use crate::cache::{CacheCounts, ResponseCache};
use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};
use crate::layers::auth::Auth;
use crate::layers::cache::Cache;
use crate::layers::preflight::PreflightCheck;
use crate::layers::ratelimit::RateLimit;
use crate::layers::retry::Retry;
use crate::layers::sandbox::SandboxCheck;
use crate::layers::trace::Trace;
use crate::layers::transport::Transport;
use crate::layers::{CallOptions, Layer, Stack};
use crate::preflight::Preflight;
use crate::quota::{Quota, QuotaBook};
use crate::ratelimit::{LimitKey, Limiter, RateLimiter, RateLimits};
use crate::retry::RetryPolicy;

/// A Pinterest API client. Dereferences to the generated
/// [`pinterest_api::Client`], so every operation is a method on it; all of
/// them run through this crate's layers (see [`crate::layers`]) and return
/// [`Error`], the same type the helpers return.
///
/// Cheap to clone; clones share the token, its refresh, the rate limiter
/// and the connection pool.
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
    stack: Stack,
    shared: Arc<Shared>,
}

/// What a client and its clones share.
pub(crate) struct Shared {
    pub(crate) tokens: Arc<TokenManager>,
    pub(crate) quota: Arc<QuotaBook>,
    pub(crate) environment: Environment,
    pub(crate) http: reqwest::Client,
    pub(crate) strict: bool,
    pub(crate) account: Option<Arc<str>>,
    /// Uploads and downloads: no whole-request timeout (see [`crate::transfer`]).
    #[cfg_attr(
        not(any(feature = "organic", feature = "ads", feature = "catalogs")),
        allow(dead_code)
    )]
    pub(crate) transfer_http: reqwest::Client,
    pub(crate) transfer: crate::transfer::TransferPolicy,
    pub(crate) cache: Option<ResponseCache>,
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
            .field("environment", &self.shared.environment)
            .field("account", &self.shared.account)
            .field("options", self.stack.options())
            .field("tokens", &self.shared.tokens)
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
        &self.shared.environment
    }

    /// The current token (after any refresh).
    pub fn token(&self) -> Option<Token> {
        self.shared.tokens.current()
    }

    /// The HTTP client (one connection pool, shared by every call; for
    /// requests outside the API).
    pub fn http(&self) -> &reqwest::Client {
        &self.shared.http
    }

    /// The account a pool client acts for (`None` for a plain client).
    pub fn account(&self) -> Option<&str> {
        self.shared.account.as_deref()
    }

    /// What Pinterest's `X-RateLimit-*` headers last said for a rate-limit
    /// category (e.g. `"org_write"`) of this client's account.
    pub fn quota(&self, category: &'static str) -> Option<Quota> {
        self.shared.quota.get(&LimitKey {
            account: self.shared.account.clone(),
            category: Some(category),
        })
    }

    /// Every quota seen by this client and its clones (all accounts of a
    /// pool), by key.
    pub fn quotas(&self) -> Vec<(LimitKey, Quota)> {
        self.shared.quota.all()
    }

    /// The response cache's counters (`None` without a cache: see
    /// [`ClientBuilder::cache`]).
    pub fn cache_stats(&self) -> Option<CacheCounts> {
        self.shared.cache.as_ref().map(ResponseCache::stats)
    }

    /// This client with other per-call options (shares everything else).
    fn with_options(&self, options: CallOptions) -> Client {
        let stack = self.stack.with_options(options);
        Client {
            api: api_client(&self.shared, &stack),
            stack,
            shared: self.shared.clone(),
        }
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
        self.with_options(CallOptions {
            retry: policy,
            ..self.stack.options().clone()
        })
    }

    /// This client without the response cache: its calls neither read nor
    /// fill it.
    pub fn bypass_cache(&self) -> Client {
        self.with_options(CallOptions {
            bypass_cache: true,
            ..self.stack.options().clone()
        })
    }

    /// How uploads and downloads are timed and where they may go.
    pub fn transfer_policy(&self) -> &crate::transfer::TransferPolicy {
        &self.shared.transfer
    }

    /// The HTTP client of uploads and downloads.
    #[cfg(any(feature = "organic", feature = "ads", feature = "catalogs"))]
    pub(crate) fn transfer_http(&self) -> &reqwest::Client {
        &self.shared.transfer_http
    }

    /// The retry policy in effect.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.stack.options().retry
    }

    /// The layers every call runs through.
    pub fn stack(&self) -> &Stack {
        &self.stack
    }

    /// Refreshes the token now (under the store's lease: with a shared
    /// store, a token another process refreshed meanwhile is taken instead).
    pub async fn refresh_token(&self) -> Result<()> {
        let generation = self.shared.tokens.generation();
        self.shared.tokens.refresh(generation).await.map(drop)
    }
}

fn api_client(shared: &Shared, stack: &Stack) -> pinterest_api::Client {
    let hooks =
        pinterest_api::Hooks::with_middleware(Arc::new(stack.clone())).strict(shared.strict);
    pinterest_api::Client::new_with_client(
        shared.environment.base_url(),
        shared.http.clone(),
        hooks,
    )
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
    precedence: TokenPrecedence,
    store: Option<Arc<dyn TokenStore>>,
    grant: Grant,
    retry: RetryPolicy,
    rate_limits: RateLimits,
    limiter: Option<Arc<dyn Limiter>>,
    quota: Option<Arc<QuotaBook>>,
    connect_timeout: Duration,
    request_timeout: Duration,
    refresh_skew: Duration,
    http: Option<reqwest::Client>,
    strict: bool,
    account: Option<Arc<str>>,
    events: Option<crate::auth::events::Observer>,
    extra_layers: Vec<Arc<dyn Layer>>,
    transfer: crate::transfer::TransferPolicy,
    preflight: Preflight,
    cache: Option<ResponseCache>,
    metrics: bool,
    /// Shared by a pool's clients (built once).
    oauth: Option<OAuth>,
    transfer_http: Option<reqwest::Client>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            environment: Environment::Production,
            credentials: None,
            token: None,
            precedence: TokenPrecedence::default(),
            store: None,
            grant: Grant::User,
            retry: RetryPolicy::default(),
            rate_limits: RateLimits::standard(),
            limiter: None,
            quota: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            refresh_skew: Duration::from_secs(300),
            http: None,
            strict: false,
            account: None,
            events: None,
            extra_layers: Vec::new(),
            transfer: crate::transfer::TransferPolicy::default(),
            preflight: Preflight::default(),
            cache: None,
            metrics: false,
            oauth: None,
            transfer_http: None,
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

    /// The token to start with. When the store holds one too,
    /// [`ClientBuilder::token_precedence`] decides which is used.
    pub fn token(mut self, token: Token) -> Self {
        self.token = Some(token);
        self
    }

    /// Which token wins when both [`ClientBuilder::token`] and the store
    /// hold one (default [`TokenPrecedence::Newest`]).
    pub fn token_precedence(mut self, precedence: TokenPrecedence) -> Self {
        self.precedence = precedence;
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

    /// Client-side rate limits of the in-process limiter (default
    /// [`RateLimits::standard`]).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Another [`Limiter`] (a shared one; its own limits apply).
    pub fn limiter(mut self, limiter: Arc<dyn Limiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time for a whole API request, body included (default 60 s). Uploads
    /// and downloads have their own idle timeout (see [`crate::transfer`]).
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

    /// Strict decoding: a value the spec does not list fails the call
    /// (see [`pinterest_api::decode`]). For tests and CI.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Called on every token event (refreshed, refresh failed, save
    /// failed): wire it to your alerting.
    pub fn on_token_event(mut self, f: impl Fn(&TokenEvent) + Send + Sync + 'static) -> Self {
        self.events = Some(Arc::new(f));
        self
    }

    /// The checks made before a request is sent (default: missing scopes
    /// fail, deprecated operations warn once; see [`crate::preflight`]).
    pub fn preflight(mut self, preflight: Preflight) -> Self {
        self.preflight = preflight;
        self
    }

    /// Records requests, retries, 429s, limiter waits and cache hits
    /// through the `metrics` facade (off by default: see the table in the
    /// crate docs). Token refreshes are always recorded.
    pub fn metrics(mut self, on: bool) -> Self {
        self.metrics = on;
        self
    }

    /// Caches GET responses (off by default; see [`crate::cache`]).
    pub fn cache(mut self, cache: ResponseCache) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Adds a layer of your own, run after tracing and before the
    /// built-in checks, cache and retries.
    pub fn layer(mut self, layer: impl Layer) -> Self {
        self.extra_layers.push(Arc::new(layer));
        self
    }

    /// How uploads and downloads are timed and where they may go (default
    /// [`TransferPolicy::default`](crate::transfer::TransferPolicy); a
    /// custom base URL's host is allowed too, over `http` when it uses it).
    pub fn transfer_policy(mut self, policy: crate::transfer::TransferPolicy) -> Self {
        self.transfer = policy;
        self
    }

    /// Names the Pinterest account this client acts for (a user id or any
    /// stable label). The rate limiter keys its buckets by it and metrics
    /// carry it, so clients for different accounts never share a budget.
    pub fn account(mut self, account: impl Into<Arc<str>>) -> Self {
        self.account = Some(account.into());
        self
    }

    /// Shares one [`QuotaBook`] between clients (default: a book of its
    /// own), so the quota Pinterest reports in response headers is visible
    /// in one place for every client that talks for the same app.
    pub fn quota_book(mut self, quota: Arc<QuotaBook>) -> Self {
        self.quota = Some(quota);
        self
    }

    /// Shares one OAuth client (a pool's).
    pub(crate) fn shared_oauth(mut self, oauth: OAuth) -> Self {
        self.oauth = Some(oauth);
        self
    }

    /// Shares one transfer HTTP client (a pool's).
    pub(crate) fn shared_transfer_http(mut self, http: reqwest::Client) -> Self {
        self.transfer_http = Some(http);
        self
    }

    /// Builds the client, loading the token from the store.
    pub async fn build(self) -> Result<Client> {
        let http = match self.http {
            Some(http) => http,
            None => api_client_http(self.connect_timeout, self.request_timeout)?,
        };
        if matches!(self.grant, Grant::ClientCredentials(_)) && self.credentials.is_none() {
            return Err(Error::new(
                ErrorKind::Auth,
                "the client credentials grant needs the app id and secret (ClientBuilder::credentials)",
            ));
        }
        let oauth = match (self.oauth, self.credentials) {
            (Some(shared), _) => Some(shared),
            (None, Some(c)) => Some(
                OAuth::new(c, self.environment.oauth_base_url())?.with_retry(self.retry.clone()),
            ),
            (None, None) => None,
        };
        let store = self.store.unwrap_or_else(|| Arc::new(MemoryStore::new()));
        let tokens = Arc::new(TokenManager::new(
            oauth,
            self.grant,
            store,
            self.refresh_skew,
            TokenEvents::new(self.events),
        ));
        tokens.init(self.token, self.precedence).await?;
        let limiter = self
            .limiter
            .unwrap_or_else(|| Arc::new(RateLimiter::new(self.rate_limits)));
        let mut transfer = self.transfer;
        if let Environment::Custom(base) = &self.environment
            && let Ok(url) = url::Url::parse(base)
            && let Some(host) = url.host_str()
        {
            transfer = if url.scheme() == "http" {
                transfer.allow_http_host(host)
            } else {
                transfer.allow_host(host)
            };
        }
        let transfer_http = match self.transfer_http {
            Some(shared) => shared,
            None => transfer_client(self.connect_timeout, &transfer)?,
        };
        let shared = Arc::new(Shared {
            tokens,
            quota: self.quota.unwrap_or_default(),
            environment: self.environment,
            http,
            strict: self.strict,
            account: self.account,
            transfer_http,
            transfer,
            cache: self.cache,
        });
        let stack = standard_stack(
            &shared,
            limiter,
            self.preflight,
            self.extra_layers,
            CallOptions {
                retry: self.retry,
                bypass_cache: false,
                metrics: self.metrics,
            },
        );
        Ok(Client {
            api: api_client(&shared, &stack),
            stack,
            shared,
        })
    }
}

/// The `User-Agent` of every request.
const USER_AGENT: &str = concat!("pinterest-rs/", env!("CARGO_PKG_VERSION"));

/// The HTTP client of API calls: a connect and a whole-request timeout.
pub(crate) fn api_client_http(
    connect_timeout: Duration,
    request_timeout: Duration,
) -> Result<reqwest::Client> {
    pinterest_api::tls::http_client_builder()
        .connect_timeout(connect_timeout)
        .timeout(request_timeout)
        .user_agent(USER_AGENT)
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!("cannot build the HTTP client: {e}"),
            )
        })
}

/// The HTTP client of uploads and downloads: no whole-request timeout, an
/// idle timeout, no redirects.
pub(crate) fn transfer_client(
    connect_timeout: Duration,
    transfer: &crate::transfer::TransferPolicy,
) -> Result<reqwest::Client> {
    pinterest_api::tls::http_client_builder()
        .connect_timeout(connect_timeout)
        .read_timeout(transfer.idle_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(USER_AGENT)
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!("cannot build the transfer HTTP client: {e}"),
            )
        })
}

/// The layers of a client, in the order a call goes through them. The one
/// place they are composed.
fn standard_stack(
    shared: &Shared,
    limiter: Arc<dyn Limiter>,
    preflight: Preflight,
    extra: Vec<Arc<dyn Layer>>,
    options: CallOptions,
) -> Stack {
    let mut layers: Vec<Arc<dyn Layer>> = vec![Arc::new(Trace)];
    layers.extend(extra);
    if shared.environment == Environment::Sandbox {
        layers.push(Arc::new(SandboxCheck));
    }
    if preflight != Preflight::none() {
        layers.push(Arc::new(PreflightCheck::new(
            preflight,
            shared.tokens.clone(),
        )));
    }
    if let Some(cache) = &shared.cache {
        layers.push(Arc::new(Cache::new(cache.clone(), shared.tokens.clone())));
    }
    layers.push(Arc::new(Retry));
    layers.push(Arc::new(Auth::new(shared.tokens.clone())));
    layers.push(Arc::new(RateLimit::new(limiter, shared.quota.clone())));
    Stack::new(
        layers,
        Arc::new(Transport::new(shared.http.clone())),
        options,
    )
    .for_account(shared.account.clone())
}
