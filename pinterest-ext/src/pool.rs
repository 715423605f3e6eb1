//! Many Pinterest accounts in one process: [`ClientPool`] gives a
//! [`Client`] per account. The clients share one HTTP connection pool, one
//! app credential (OAuth client), one limiter and one quota book; each has
//! its own token, from an [`AccountStore`] (in memory, or
//! `redis::RedisAccounts`, feature `redis`, for many processes).
//!
//! The pool also keeps idle accounts alive: since May 2025 Pinterest issues
//! only continuous refresh tokens, each valid 60 days from issue and
//! replaced at every refresh, so an account that makes no call for 60 days
//! is locked out. [`ClientPool::keep_alive`] refreshes every stored account
//! whose refresh token expires within a window, one process at a time.
//!
//! ```no_run
//! # async fn run() -> pinterest_ext::Result<()> {
//! use std::time::Duration;
//! use pinterest_ext::{AppCredentials, ClientPool, MemoryAccounts};
//! let pool = ClientPool::builder()
//!     .credentials(AppCredentials::from_env()?)
//!     .accounts(MemoryAccounts::new())
//!     .build()?;
//! let alice = pool.client("alice").await?;
//! let report = pool.keep_alive(Duration::from_secs(14 * 86_400)).await?;
//! println!("refreshed {:?}, re-authorize {:?}", report.refreshed, report.needs_reauthorization);
//! # let _ = alice;
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use pinterest_api::BoxFuture;

use crate::auth::{AppCredentials, Lease, MemoryStore, OAuth, Token, TokenStore};
use crate::cache::ResponseCache;
use crate::client::{Client, ClientBuilder};
use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};
use crate::preflight::Preflight;
use crate::quota::QuotaBook;
use crate::ratelimit::{Limiter, RateLimiter, RateLimits};
use crate::retry::RetryPolicy;

/// The token stores of many accounts.
pub trait AccountStore: Send + Sync + fmt::Debug {
    /// The token store of `account`.
    fn store(&self, account: &str) -> Result<Arc<dyn TokenStore>>;
    /// Every account with a stored token.
    fn accounts(&self) -> BoxFuture<'_, Result<Vec<String>>>;
    /// The right to run the keep-alive sweep for at most `ttl` (one
    /// process at a time). The default, for stores only this process uses,
    /// always grants it.
    fn lease_sweep(&self, ttl: Duration) -> BoxFuture<'_, Result<Lease>> {
        let _ = ttl;
        Box::pin(async { Ok(Lease::Granted(crate::auth::LeaseGuard::local())) })
    }
}

/// Tokens of many accounts in memory.
#[derive(Debug, Default)]
pub struct MemoryAccounts {
    stores: Mutex<HashMap<String, Arc<MemoryStore>>>,
}

impl MemoryAccounts {
    /// No accounts yet.
    pub fn new() -> MemoryAccounts {
        MemoryAccounts::default()
    }
}

impl AccountStore for MemoryAccounts {
    fn store(&self, account: &str) -> Result<Arc<dyn TokenStore>> {
        let mut stores = self.stores.lock().unwrap_or_else(|p| p.into_inner());
        Ok(stores
            .entry(account.to_string())
            .or_insert_with(|| Arc::new(MemoryStore::new()))
            .clone())
    }

    fn accounts(&self) -> BoxFuture<'_, Result<Vec<String>>> {
        Box::pin(async move {
            let stores = self.stores.lock().unwrap_or_else(|p| p.into_inner());
            let mut accounts: Vec<String> = stores
                .iter()
                .filter(|(_, s)| s.get().is_some())
                .map(|(a, _)| a.clone())
                .collect();
            accounts.sort();
            Ok(accounts)
        })
    }
}

/// What one keep-alive sweep did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct SweepReport {
    /// Whether this process swept (another process may hold the sweep).
    pub swept: bool,
    /// Accounts looked at.
    pub checked: usize,
    /// Accounts refreshed because their refresh token expired within the
    /// window.
    pub refreshed: Vec<String>,
    /// Accounts whose refresh token is gone, expired or rejected: their
    /// owner must authorize again.
    pub needs_reauthorization: Vec<String>,
    /// Accounts whose refresh failed for another reason (retried at the
    /// next sweep).
    pub failed: Vec<(String, Error)>,
}

type SweepObserver = Arc<dyn Fn(&SweepReport) + Send + Sync>;

/// Builds a [`ClientPool`].
pub struct ClientPoolBuilder {
    environment: Environment,
    credentials: Option<AppCredentials>,
    accounts: Option<Arc<dyn AccountStore>>,
    limiter: Option<Arc<dyn Limiter>>,
    rate_limits: RateLimits,
    retry: RetryPolicy,
    preflight: Preflight,
    cache: Option<ResponseCache>,
    metrics: bool,
    request_timeout: Duration,
    on_sweep: Option<SweepObserver>,
}

impl fmt::Debug for ClientPoolBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientPoolBuilder")
            .field("environment", &self.environment)
            .field("credentials", &self.credentials)
            .field("accounts", &self.accounts)
            .finish_non_exhaustive()
    }
}

impl ClientPoolBuilder {
    /// Production (default), sandbox, or a custom base URL.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Shorthand for `environment(Environment::Custom(url))`.
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.environment(Environment::Custom(url.into()))
    }

    /// The app's id and secret (one OAuth client for every account).
    pub fn credentials(mut self, credentials: AppCredentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Where the accounts' tokens live (default: [`MemoryAccounts`]).
    pub fn accounts(mut self, accounts: impl AccountStore + 'static) -> Self {
        self.accounts = Some(Arc::new(accounts));
        self
    }

    /// The limiter every client shares (default: an in-process
    /// [`RateLimiter`] with the pool's rate limits, keyed by account).
    pub fn limiter(mut self, limiter: impl Limiter) -> Self {
        self.limiter = Some(Arc::new(limiter));
        self
    }

    /// Limits of the default limiter (default [`RateLimits::standard`]).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// The retry policy of every client.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The pre-flight checks of every client.
    pub fn preflight(mut self, preflight: Preflight) -> Self {
        self.preflight = preflight;
        self
    }

    /// One response cache for every client (entries are per account).
    pub fn cache(mut self, cache: ResponseCache) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Records metrics (see [`ClientBuilder::metrics`]).
    pub fn metrics(mut self, on: bool) -> Self {
        self.metrics = on;
        self
    }

    /// Time for a whole API request (default 60 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Called with the report of every keep-alive sweep (alert on
    /// [`SweepReport::needs_reauthorization`]).
    pub fn on_sweep(mut self, f: impl Fn(&SweepReport) + Send + Sync + 'static) -> Self {
        self.on_sweep = Some(Arc::new(f));
        self
    }

    /// The pool (no client is built until asked for).
    pub fn build(self) -> Result<ClientPool> {
        let http = crate::client::api_client_http(Duration::from_secs(10), self.request_timeout)?;
        let oauth = match self.credentials {
            Some(c) => Some(
                OAuth::new(c, self.environment.oauth_base_url())?.with_retry(self.retry.clone()),
            ),
            None => None,
        };
        let transfer = crate::transfer::TransferPolicy::default();
        let transfer_http = crate::client::transfer_client(Duration::from_secs(10), &transfer)?;
        Ok(ClientPool {
            inner: Arc::new(PoolInner {
                limiter: self
                    .limiter
                    .unwrap_or_else(|| Arc::new(RateLimiter::new(self.rate_limits))),
                accounts: self
                    .accounts
                    .unwrap_or_else(|| Arc::new(MemoryAccounts::new())),
                environment: self.environment,
                oauth,
                retry: self.retry,
                preflight: self.preflight,
                cache: self.cache,
                metrics: self.metrics,
                http,
                transfer_http,
                quota: Arc::default(),
                clients: Mutex::default(),
                on_sweep: self.on_sweep,
            }),
        })
    }
}

/// Clients for many accounts, sharing what can be shared (see the
/// [module docs](self)). Cheap to clone.
#[derive(Clone)]
pub struct ClientPool {
    inner: Arc<PoolInner>,
}

struct PoolInner {
    environment: Environment,
    oauth: Option<OAuth>,
    accounts: Arc<dyn AccountStore>,
    limiter: Arc<dyn Limiter>,
    retry: RetryPolicy,
    preflight: Preflight,
    cache: Option<ResponseCache>,
    metrics: bool,
    http: reqwest::Client,
    transfer_http: reqwest::Client,
    quota: Arc<QuotaBook>,
    clients: Mutex<HashMap<String, Client>>,
    on_sweep: Option<SweepObserver>,
}

impl fmt::Debug for ClientPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientPool")
            .field("environment", &self.inner.environment)
            .field("accounts", &self.inner.accounts)
            .field("limiter", &self.inner.limiter)
            .finish_non_exhaustive()
    }
}

/// How long one keep-alive sweep may hold its lease.
const SWEEP_LEASE: Duration = Duration::from_secs(600);

impl ClientPool {
    /// A builder.
    pub fn builder() -> ClientPoolBuilder {
        ClientPoolBuilder {
            environment: Environment::Production,
            credentials: None,
            accounts: None,
            limiter: None,
            rate_limits: RateLimits::standard(),
            retry: RetryPolicy::default(),
            preflight: Preflight::default(),
            cache: None,
            metrics: false,
            request_timeout: Duration::from_secs(60),
            on_sweep: None,
        }
    }

    fn builder_for(&self, account: &str) -> Result<ClientBuilder> {
        let p = &self.inner;
        let mut builder = Client::builder()
            .environment(p.environment.clone())
            .http_client(p.http.clone())
            .shared_transfer_http(p.transfer_http.clone())
            .limiter(p.limiter.clone())
            .quota_book(p.quota.clone())
            .account(account)
            .retry(p.retry.clone())
            .preflight(p.preflight)
            .metrics(p.metrics)
            .token_store_arc(p.accounts.store(account)?);
        if let Some(oauth) = &p.oauth {
            builder = builder.shared_oauth(oauth.clone());
        }
        if let Some(cache) = &p.cache {
            builder = builder.cache(cache.clone());
        }
        Ok(builder)
    }

    /// The client of `account` (built on first use from its stored token,
    /// then reused).
    pub async fn client(&self, account: &str) -> Result<Client> {
        if let Some(c) = self
            .inner
            .clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(account)
        {
            return Ok(c.clone());
        }
        let client = self.builder_for(account)?.build().await?;
        if client.token().is_none() {
            return Err(Error::new(
                ErrorKind::Auth,
                format!(
                    "account {account:?} has no token in the store: authorize it first (ClientPool::add_account)"
                ),
            ));
        }
        let mut clients = self.inner.clients.lock().unwrap_or_else(|p| p.into_inner());
        Ok(clients.entry(account.to_string()).or_insert(client).clone())
    }

    /// Stores `token` for `account` (after its owner authorized the app)
    /// and returns its client.
    pub async fn add_account(&self, account: &str, token: Token) -> Result<Client> {
        self.inner.accounts.store(account)?.save(&token).await?;
        self.inner
            .clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(account);
        self.client(account).await
    }

    /// Every account with a stored token.
    pub async fn accounts(&self) -> Result<Vec<String>> {
        self.inner.accounts.accounts().await
    }

    /// Refreshes every stored account whose refresh token expires within
    /// `window` (see [`ClientPool::keep_alive_at`]).
    pub async fn keep_alive(&self, window: Duration) -> Result<SweepReport> {
        self.keep_alive_at(window, Utc::now()).await
    }

    /// The keep-alive sweep as of `now`: under the store's sweep lease
    /// (one process at a time; the others report `swept: false`), every
    /// account whose stored refresh token expires before `now + window` is
    /// refreshed once; accounts whose refresh token is missing, expired or
    /// rejected are reported for re-authorization. The report also goes to
    /// [`ClientPoolBuilder::on_sweep`] and the
    /// `pinterest_keepalive_refreshed_total` metric.
    pub async fn keep_alive_at(&self, window: Duration, now: DateTime<Utc>) -> Result<SweepReport> {
        let mut report = SweepReport::default();
        let guard = match self.inner.accounts.lease_sweep(SWEEP_LEASE).await? {
            Lease::Granted(guard) => guard,
            Lease::Held { .. } => return Ok(self.reported(report)),
        };
        report.swept = true;
        let outcome = self.sweep(window, now, &mut report).await;
        if let Err(e) = guard.release().await {
            tracing::warn!(error = %e, "releasing the sweep lease failed; it expires on its own");
        }
        outcome?;
        Ok(self.reported(report))
    }

    async fn sweep(
        &self,
        window: Duration,
        now: DateTime<Utc>,
        report: &mut SweepReport,
    ) -> Result<()> {
        let horizon = now + chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
        for account in self.inner.accounts.accounts().await? {
            report.checked += 1;
            let Some(token) = self.inner.accounts.store(&account)?.load().await? else {
                continue;
            };
            let expires = token.refresh_token_expires_at();
            if token.refresh_token().is_none() || expires.is_some_and(|e| e <= now) {
                report.needs_reauthorization.push(account);
                continue;
            }
            if expires.is_none_or(|e| e > horizon) {
                continue;
            }
            // A fresh client: the one in this pool may hold an older token.
            self.inner
                .clients
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&account);
            let refreshed = match self.client(&account).await {
                Ok(client) => client.refresh_token().await,
                Err(e) => Err(e),
            };
            match refreshed {
                Ok(()) => report.refreshed.push(account),
                Err(e) if e.kind() == ErrorKind::InvalidGrant => {
                    report.needs_reauthorization.push(account)
                }
                Err(e) => report.failed.push((account, e)),
            }
        }
        Ok(())
    }

    fn reported(&self, report: SweepReport) -> SweepReport {
        if report.swept {
            metrics::counter!("pinterest_keepalive_refreshed_total")
                .increment(report.refreshed.len() as u64);
            metrics::gauge!("pinterest_keepalive_needs_reauthorization")
                .set(report.needs_reauthorization.len() as f64);
            tracing::info!(
                refreshed = report.refreshed.len(),
                needs_reauthorization = report.needs_reauthorization.len(),
                failed = report.failed.len(),
                "keep-alive sweep"
            );
        }
        if let Some(f) = &self.inner.on_sweep {
            f(&report);
        }
        report
    }
}
