//! The token lifecycle behind every call: hand out the current access
//! token, refresh it before it expires and once after a 401, one refresh at
//! a time however many tasks (and, with a shared store, processes) need it,
//! and persist every new token before using it.
//!
//! A refresh runs as a task of its own: a caller that stops waiting (a
//! timeout, a `select!`) does not cancel it, so a refresh token Pinterest
//! has just rotated is always saved. Tokens are ordered by the time they
//! were issued, and a refresh always uses the newest refresh token known
//! (in memory or in the store).

use std::fmt;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use pinterest_api::Scope;
use reqwest::header::HeaderValue;
use secrecy::ExposeSecret;

use super::events::{TokenEvent, TokenEvents};
use super::oauth::OAuth;
use super::store::{Lease, TokenStore};
use super::token::Token;
use crate::error::{Error, ErrorKind, Result};

/// How new tokens are obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Grant {
    /// A user token: renewed with its refresh token.
    User,
    /// An app token: renewed with the client credentials grant.
    ClientCredentials(Vec<Scope>),
}

/// Which token a client starts from when it is given one and its store
/// holds one too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TokenPrecedence {
    /// The one issued later. A configured token without an issue time
    /// (from the environment, or built by hand) loses to a stored one: the
    /// store is written by refreshes, and with continuous refresh the
    /// configured refresh token has most likely been rotated away. The
    /// choice is logged.
    #[default]
    Newest,
    /// The stored token whenever there is one.
    Stored,
    /// The configured token, which then replaces the stored one (after a
    /// new login, say).
    Configured,
}

/// The access token to send, and which token generation it belongs to
/// (so a 401 can ask for a refresh of exactly that token).
#[derive(Clone)]
pub(crate) struct Bearer {
    /// `Authorization: Bearer ...`, marked sensitive (`None` when the
    /// token is not a valid header value).
    pub header: Option<HeaderValue>,
    pub generation: u64,
}

impl Bearer {
    fn of(token: &Token, generation: u64) -> Bearer {
        Bearer {
            header: bearer_header(token),
            generation,
        }
    }
}

/// The `Authorization` value of `token`, marked sensitive.
fn bearer_header(token: &Token) -> Option<HeaderValue> {
    let mut value =
        HeaderValue::try_from(format!("Bearer {}", token.access_token().expose_secret())).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// What every call reads about the current token, computed once per token
/// (a call clones an `Arc`, not the token).
#[derive(Clone)]
pub(crate) struct Current {
    pub token: Arc<Token>,
    pub header: Option<HeaderValue>,
    /// The granted scopes this crate knows; `None` when the token does
    /// not say.
    pub scopes: Option<Arc<[Scope]>>,
    /// A SHA-256 fingerprint of the access token (cache keys).
    pub fingerprint: Arc<str>,
}

impl Current {
    fn of(token: Token) -> Current {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new()
            .chain_update(b"pinterest-rs cache\0")
            .chain_update(token.access_token().expose_secret().as_bytes())
            .finalize();
        let fingerprint: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Current {
            header: bearer_header(&token),
            scopes: (!token.scope_names().is_empty()).then(|| token.scopes().into()),
            fingerprint: fingerprint.into(),
            token: Arc::new(token),
        }
    }
}

struct State {
    current: Option<Current>,
    generation: u64,
    warned_generation: Option<u64>,
    /// The latest token could not be saved; saving is tried again.
    unsaved: bool,
}

type Flight = Shared<BoxFuture<'static, Result<Bearer>>>;

/// After a failed refresh, calls within this time get its error instead of
/// starting another (no refresh storm against a failing endpoint).
const FAILURE_COOL_DOWN: Duration = Duration::from_secs(5);

/// How long a refresh lease is held at most (a holder that dies loses it
/// after this).
pub(crate) const LEASE_TTL: Duration = Duration::from_secs(30);

struct Inner {
    oauth: Option<OAuth>,
    grant: Grant,
    store: Arc<dyn TokenStore>,
    skew: Duration,
    state: RwLock<State>,
    flight: Mutex<Option<(u64, Flight)>>,
    last_failure: Mutex<Option<(tokio::time::Instant, u64, Error)>>,
    /// Fingerprint of a refresh token Pinterest rejected (`invalid_grant`):
    /// it is never sent again.
    rejected: Mutex<Option<u64>>,
    events: TokenEvents,
}

/// Hands out bearer tokens and renews them; shared by a client and its
/// clones.
pub(crate) struct TokenManager {
    inner: Arc<Inner>,
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.inner.read_state();
        f.debug_struct("TokenManager")
            .field("oauth", &self.inner.oauth)
            .field("grant", &self.inner.grant)
            .field("store", &self.inner.store)
            .field("token", &st.current.as_ref().map(|c| &c.token))
            .field("generation", &st.generation)
            .finish()
    }
}

/// How close to the refresh token's expiry the client starts warning.
const REFRESH_TOKEN_WARNING: Duration = Duration::from_secs(7 * 86_400);

impl TokenManager {
    pub(crate) fn new(
        oauth: Option<OAuth>,
        grant: Grant,
        store: Arc<dyn TokenStore>,
        skew: Duration,
        events: TokenEvents,
    ) -> TokenManager {
        TokenManager {
            inner: Arc::new(Inner {
                oauth,
                grant,
                store,
                skew,
                state: RwLock::new(State {
                    current: None,
                    generation: 0,
                    warned_generation: None,
                    unsaved: false,
                }),
                flight: Mutex::new(None),
                last_failure: Mutex::new(None),
                rejected: Mutex::new(None),
                events,
            }),
        }
    }

    /// Picks the starting token between the store's and `configured`, per
    /// `precedence`; a configured token that wins is saved.
    pub(crate) async fn init(
        &self,
        configured: Option<Token>,
        precedence: TokenPrecedence,
    ) -> Result<()> {
        let stored = self.inner.store.load().await?;
        let pick = match (stored, configured) {
            (None, None) => return Ok(()),
            (Some(s), None) => Pick::Stored(s),
            (None, Some(c)) => Pick::Configured(c),
            (Some(s), Some(c)) => match precedence {
                TokenPrecedence::Stored => Pick::Stored(s),
                TokenPrecedence::Configured => Pick::Configured(c),
                TokenPrecedence::Newest => {
                    if c.issued_after(&s) {
                        tracing::info!(
                            "the configured token was issued after the stored one: using it"
                        );
                        Pick::Configured(c)
                    } else {
                        if !c.same_as(&s) {
                            tracing::info!(
                                "using the stored token: it is newer than, or not ordered against, the configured one (TokenPrecedence::Newest; choose TokenPrecedence::Configured after a new login)"
                            );
                        }
                        Pick::Stored(s)
                    }
                }
            },
        };
        match pick {
            Pick::Stored(token) => {
                self.inner.install(token);
            }
            Pick::Configured(token) => {
                self.inner.store.save(&token).await?;
                self.inner.install(token);
            }
        }
        Ok(())
    }

    /// The current token, if any.
    pub(crate) fn current(&self) -> Option<Token> {
        self.inner.snapshot().0.map(|t| (*t).clone())
    }

    /// The scopes the current token was granted (`None` when it does not
    /// say): one reference count, for the pre-flight check of every call.
    pub(crate) fn granted_scopes(&self) -> Option<Arc<[Scope]>> {
        self.inner
            .read_state()
            .current
            .as_ref()
            .and_then(|c| c.scopes.clone())
    }

    /// The generation of the current token (0 before the first).
    pub(crate) fn generation(&self) -> u64 {
        self.inner.read_state().generation
    }

    /// The cache fingerprint of the current token.
    pub(crate) fn fingerprint(&self) -> Option<Arc<str>> {
        self.inner
            .read_state()
            .current
            .as_ref()
            .map(|c| c.fingerprint.clone())
    }

    /// Whether a rejected or expired token can be renewed.
    pub(crate) fn can_refresh(&self) -> bool {
        self.inner.can_refresh()
    }

    /// The bearer to send when it is ready without waiting: the token
    /// does not need a refresh, and no save is pending.
    pub(crate) fn bearer_now(&self) -> Option<Bearer> {
        let st = self.inner.read_state();
        let current = st.current.as_ref()?;
        if st.unsaved
            || (current.token.needs_refresh(self.inner.skew) && self.inner.oauth.is_some())
        {
            return None;
        }
        Some(Bearer {
            header: current.header.clone(),
            generation: st.generation,
        })
    }

    /// The access token to send, refreshed first when it expires within
    /// the skew margin. A refresh that fails while the token is still
    /// valid is reported (tracing, [`TokenEvent::RefreshFailed`]) and the
    /// token is used.
    pub(crate) async fn bearer(&self) -> Result<Bearer> {
        let (current, generation, unsaved) = {
            let st = self.inner.read_state();
            (st.current.clone(), st.generation, st.unsaved)
        };
        if unsaved {
            self.inner.save_if_unsaved().await;
        }
        let token = current.as_ref().map(|c| c.token.clone());
        match token {
            Some(t) if !t.needs_refresh(self.inner.skew) || !self.can_refresh() => Ok(Bearer {
                header: current.and_then(|c| c.header),
                generation,
            }),
            None if !self.can_refresh() => Err(Error::new(
                ErrorKind::Auth,
                "no access token: pass a Token to the client builder, set PINTEREST_ACCESS_TOKEN, or log in",
            )),
            Some(t) => match self.refresh(generation).await {
                Ok(b) => Ok(b),
                Err(e) if t.is_unexpired() && e.kind() != ErrorKind::TokenStore => {
                    tracing::warn!(error = %e, "refreshing the token before it expires failed; using the current token until it does");
                    self.inner.events.emit(&TokenEvent::RefreshFailed {
                        error: e.clone(),
                        still_valid: true,
                    });
                    Ok(Bearer {
                        header: current.and_then(|c| c.header),
                        generation,
                    })
                }
                Err(e) => Err(e),
            },
            None => self.refresh(generation).await,
        }
    }

    /// Renews the token of `seen` generation (it expired or was
    /// rejected). Single flight: callers that arrive while a refresh runs
    /// share its outcome. The refresh runs as its own task.
    pub(crate) async fn refresh(&self, seen: u64) -> Result<Bearer> {
        let flight = {
            let mut slot = self.inner.flight.lock().unwrap_or_else(|p| p.into_inner());
            let (token, generation) = self.inner.snapshot();
            if generation != seen
                && let Some(t) = token
            {
                return Ok(Bearer::of(&t, generation));
            }
            if let Some((_, flight)) = slot
                .as_ref()
                .filter(|(g, f)| *g == seen && f.peek().is_none())
            {
                flight.clone()
            } else {
                if let Some(e) = self.inner.recent_failure(seen) {
                    return Err(e);
                }
                let inner = self.inner.clone();
                let task = tokio::spawn(async move { inner.renew().await });
                let flight: Flight = async move {
                    task.await.unwrap_or_else(|e| {
                        Err(Error::new(
                            ErrorKind::Auth,
                            format!("the token refresh task failed: {e}"),
                        ))
                    })
                }
                .boxed()
                .shared();
                *slot = Some((seen, flight.clone()));
                flight
            }
        };
        flight.await
    }
}

enum Pick {
    Stored(Token),
    Configured(Token),
}

impl Inner {
    /// The state for reading. Poisoning is ignored: a panic elsewhere
    /// while the lock was held must not make the token unreadable.
    fn read_state(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The state for writing (poisoning ignored, as in [`Inner::read_state`]).
    fn write_state(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|p| p.into_inner())
    }

    fn snapshot(&self) -> (Option<Arc<Token>>, u64) {
        let st = self.read_state();
        (st.current.as_ref().map(|c| c.token.clone()), st.generation)
    }

    fn install(&self, token: Token) -> u64 {
        let mut st = self.write_state();
        st.generation += 1;
        let generation = st.generation;
        let warn = st.warned_generation.is_none_or(|g| g != generation);
        if warn && warn_if_refresh_token_expires_soon(&token) {
            st.warned_generation = Some(generation);
        }
        st.current = Some(Current::of(token));
        st.unsaved = false;
        generation
    }

    fn can_refresh(&self) -> bool {
        self.oauth.is_some()
            && match &self.grant {
                Grant::ClientCredentials(_) => true,
                Grant::User => self
                    .snapshot()
                    .0
                    .is_some_and(|t| t.refresh_token().is_some()),
            }
    }

    fn recent_failure(&self, seen: u64) -> Option<Error> {
        let last = self.last_failure.lock().unwrap_or_else(|p| p.into_inner());
        last.as_ref()
            .filter(|(at, generation, _)| *generation == seen && at.elapsed() < FAILURE_COOL_DOWN)
            .map(|(_, _, e)| e.clone())
    }

    /// Tries again to save a token whose save failed.
    async fn save_if_unsaved(&self) {
        let pending = {
            let st = self.read_state();
            st.current
                .as_ref()
                .filter(|_| st.unsaved)
                .map(|c| (*c.token).clone())
        };
        let Some(token) = pending else { return };
        if self.store.save(&token).await.is_ok() {
            let mut st = self.write_state();
            if st.current.as_ref().is_some_and(|c| c.token.same_as(&token)) {
                st.unsaved = false;
            }
            tracing::info!("the refreshed token was saved on a later attempt");
        }
    }

    /// The refresh task.
    async fn renew(self: Arc<Self>) -> Result<Bearer> {
        let seen = self.snapshot().1;
        let result = self.renew_under_lease().await;
        crate::metrics::refreshed(result.is_ok());
        match &result {
            Ok(b) => self.events.emit(&TokenEvent::Refreshed {
                generation: b.generation,
            }),
            Err(e) => {
                *self.last_failure.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((tokio::time::Instant::now(), seen, e.clone()));
                self.events.emit(&TokenEvent::RefreshFailed {
                    error: e.clone(),
                    still_valid: false,
                });
            }
        }
        result
    }

    /// Takes the store's refresh lease (always granted for a store only
    /// this process uses); while another process holds it, waits for the
    /// token it saves.
    async fn renew_under_lease(&self) -> Result<Bearer> {
        let seen = self.snapshot().0;
        let give_up = tokio::time::Instant::now() + LEASE_TTL * 2;
        loop {
            match self.store.lease_refresh(LEASE_TTL).await? {
                Lease::Granted(guard) => {
                    let outcome = self.renew_holding().await;
                    if let Err(e) = guard.release().await {
                        tracing::warn!(error = %e, "releasing the refresh lease failed; it expires on its own");
                    }
                    return outcome;
                }
                Lease::Held { retry_in } => {
                    // Another process refreshes: wait for the token it saves.
                    tokio::time::sleep(retry_in).await;
                    if let Some(stored) = self.store.load().await?
                        && seen.as_ref().is_none_or(|s| stored.issued_after(s))
                        && !stored.needs_refresh(self.skew)
                    {
                        let generation = self.install(stored.clone());
                        return Ok(Bearer::of(&stored, generation));
                    }
                    if tokio::time::Instant::now() > give_up {
                        return Err(Error::new(
                            ErrorKind::Backend,
                            "another process held the refresh lease and no new token appeared; try again",
                        ));
                    }
                }
            }
        }
    }

    /// The refresh itself, with the lease held (or no lease needed).
    async fn renew_holding(&self) -> Result<Bearer> {
        let current = self.snapshot().0;
        // Another process (or an earlier run) may have refreshed already:
        // the newest token known is the one to use or refresh.
        let stored = self.store.load().await?;
        let current = current.map(|c| (*c).clone());
        let newest = match (current, stored) {
            (Some(c), Some(s)) if s.issued_after(&c) => {
                if !s.needs_refresh(self.skew) {
                    let generation = self.install(s.clone());
                    return Ok(Bearer::of(&s, generation));
                }
                Some(s)
            }
            (Some(c), _) => Some(c),
            (None, s) => s,
        };
        let Some(oauth) = &self.oauth else {
            return Err(Error::new(
                ErrorKind::Auth,
                "the access token expired or was rejected and cannot be refreshed: configure the app id and secret (PINTEREST_APP_ID, PINTEREST_APP_SECRET)",
            ));
        };
        let fresh = match (&self.grant, &newest) {
            (Grant::ClientCredentials(scopes), _) => oauth.client_credentials(scopes).await?,
            (Grant::User, Some(t)) if t.refresh_token().is_some() => {
                let fingerprint = t.refresh_fingerprint();
                if *self.rejected.lock().unwrap_or_else(|p| p.into_inner()) == fingerprint {
                    return Err(Error::new(
                        ErrorKind::InvalidGrant,
                        "Pinterest already rejected this refresh token; not sent again",
                    ));
                }
                match oauth.refresh(t).await {
                    Err(e) if e.kind() == ErrorKind::InvalidGrant => {
                        *self.rejected.lock().unwrap_or_else(|p| p.into_inner()) = fingerprint;
                        return Err(e);
                    }
                    other => other?,
                }
            }
            (Grant::User, _) => {
                return Err(Error::new(
                    ErrorKind::Auth,
                    "the access token expired or was rejected and there is no refresh token: log in again",
                ));
            }
        };
        // Persist first; keep the new token in memory whatever happens.
        let saved = self.store.save(&fresh).await;
        let generation = self.install(fresh.clone());
        tracing::info!(generation, "access token refreshed");
        match saved {
            Ok(()) => Ok(Bearer::of(&fresh, generation)),
            Err(e) => {
                self.write_state().unsaved = true;
                self.events
                    .emit(&TokenEvent::SaveFailed { error: e.clone() });
                Err(Error::new(
                    ErrorKind::TokenStore,
                    format!(
                        "the token was refreshed but saving it failed ({e}); the new token is kept in memory, used by this process and saved again on the next call"
                    ),
                ))
            }
        }
    }
}

/// Logs a warning when the refresh token expires within 7 days; returns
/// whether it did.
fn warn_if_refresh_token_expires_soon(token: &Token) -> bool {
    let Some(at) = token.refresh_token_expires_at() else {
        return false;
    };
    let left = at.signed_duration_since(chrono::Utc::now());
    let limit =
        chrono::Duration::from_std(REFRESH_TOKEN_WARNING).unwrap_or(chrono::Duration::zero());
    if left > limit {
        return false;
    }
    tracing::warn!(
        refresh_token_expires_at = %at,
        days_left = left.num_days(),
        "the Pinterest refresh token expires soon: make a call (any refresh renews it) or run the OAuth login again before then"
    );
    true
}
