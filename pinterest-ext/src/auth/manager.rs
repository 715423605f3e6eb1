//! The token lifecycle behind every call: hand out the current access
//! token, refresh it before it expires and once after a 401, one refresh at
//! a time however many tasks need it, and persist every new token before
//! using it.

use std::fmt;
use std::sync::Arc;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use pinterest_api::Scope;
use secrecy::{ExposeSecret, SecretString};

use super::oauth::OAuth;
use super::store::TokenStore;
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

/// The access token to send, and which token generation it belongs to
/// (so a 401 can ask for a refresh of exactly that token).
pub(crate) struct Bearer {
    pub value: SecretString,
    pub generation: u64,
}

struct State {
    token: Option<Token>,
    generation: u64,
    warned_generation: Option<u64>,
}

#[derive(Default)]
struct Flight {
    /// Outcome of the last refresh flight.
    last: Option<Result<(), Error>>,
}

pub(crate) struct TokenManager {
    oauth: Option<OAuth>,
    grant: Grant,
    store: Arc<dyn TokenStore>,
    skew: Duration,
    state: RwLock<State>,
    flight: tokio::sync::Mutex<Flight>,
    flights_done: AtomicU64,
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.state.read().unwrap_or_else(|p| p.into_inner());
        f.debug_struct("TokenManager")
            .field("oauth", &self.oauth)
            .field("grant", &self.grant)
            .field("store", &self.store)
            .field("token", &st.token)
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
    ) -> TokenManager {
        TokenManager {
            oauth,
            grant,
            store,
            skew,
            state: RwLock::new(State {
                token: None,
                generation: 0,
                warned_generation: None,
            }),
            flight: tokio::sync::Mutex::new(Flight::default()),
            flights_done: AtomicU64::new(0),
        }
    }

    /// Starts from the stored token when there is one (it is the newest:
    /// refreshes rotate it), else from `configured`, which then seeds the
    /// store.
    pub(crate) async fn init(&self, configured: Option<Token>) -> Result<()> {
        match self.store.load().await? {
            Some(stored) => {
                self.install(stored);
            }
            None => {
                if let Some(token) = configured {
                    self.store.save(&token).await?;
                    self.install(token);
                }
            }
        }
        Ok(())
    }

    /// The current token, if any.
    pub(crate) fn current(&self) -> Option<Token> {
        self.state
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .token
            .clone()
    }

    fn snapshot(&self) -> (Option<Token>, u64) {
        let st = self.state.read().unwrap_or_else(|p| p.into_inner());
        (st.token.clone(), st.generation)
    }

    fn install(&self, token: Token) -> u64 {
        let mut st = self.state.write().unwrap_or_else(|p| p.into_inner());
        st.generation += 1;
        let generation = st.generation;
        let warn = st.warned_generation.is_none_or(|g| g != generation);
        st.token = Some(token.clone());
        if warn && warn_if_refresh_token_expires_soon(&token) {
            st.warned_generation = Some(generation);
        }
        generation
    }

    /// Whether a rejected or expired token can be renewed.
    pub(crate) fn can_refresh(&self) -> bool {
        self.oauth.is_some()
            && match &self.grant {
                Grant::ClientCredentials(_) => true,
                Grant::User => self.current().is_some_and(|t| t.refresh_token().is_some()),
            }
    }

    /// The access token to send, refreshed first when it expires within
    /// the skew margin.
    pub(crate) async fn bearer(&self) -> Result<Bearer> {
        let (token, generation) = self.snapshot();
        match token {
            Some(t) if !t.needs_refresh(self.skew) || !self.can_refresh() => Ok(Bearer {
                value: t.access_token().clone(),
                generation,
            }),
            None if !self.can_refresh() => Err(Error::new(
                ErrorKind::Auth,
                "no access token: pass a Token to the client builder, set PINTEREST_ACCESS_TOKEN, or log in (examples/login.rs)",
            )),
            _ => self.refresh(generation).await,
        }
    }

    /// Renews the token of `seen` generation (it expired or was
    /// rejected). Single flight: callers that arrive while a refresh runs
    /// wait for it and share its outcome.
    pub(crate) async fn refresh(&self, seen: u64) -> Result<Bearer> {
        let ticket = self.flights_done.load(Ordering::SeqCst);
        let mut flight = self.flight.lock().await;
        let (token, generation) = self.snapshot();
        if generation != seen
            && let Some(t) = token
        {
            return Ok(Bearer {
                value: t.access_token().clone(),
                generation,
            });
        }
        if self.flights_done.load(Ordering::SeqCst) != ticket
            && let Some(Err(e)) = &flight.last
        {
            return Err(e.clone());
        }
        let outcome = self.renew(token).await;
        flight.last = Some(outcome.as_ref().map(|_| ()).map_err(Error::clone));
        self.flights_done.fetch_add(1, Ordering::SeqCst);
        outcome
    }

    async fn renew(&self, current: Option<Token>) -> Result<Bearer> {
        // Another process sharing the store may have refreshed already.
        if let Ok(Some(stored)) = self.store.load().await {
            let newer = current.as_ref().is_none_or(|c| {
                c.access_token().expose_secret() != stored.access_token().expose_secret()
            });
            if newer && !stored.needs_refresh(self.skew) {
                let generation = self.install(stored.clone());
                return Ok(Bearer {
                    value: stored.access_token().clone(),
                    generation,
                });
            }
        }
        let Some(oauth) = &self.oauth else {
            return Err(Error::new(
                ErrorKind::Auth,
                "the access token expired or was rejected and cannot be refreshed: configure the app id and secret (PINTEREST_APP_ID, PINTEREST_APP_SECRET)",
            ));
        };
        let fresh = match (&self.grant, &current) {
            (Grant::ClientCredentials(scopes), _) => oauth.client_credentials(scopes).await?,
            (Grant::User, Some(c)) if c.refresh_token().is_some() => oauth.refresh(c).await?,
            (Grant::User, _) => {
                return Err(Error::new(
                    ErrorKind::Auth,
                    "the access token expired or was rejected and there is no refresh token: log in again (examples/login.rs)",
                ));
            }
        };
        // Persist first; keep the new token in memory whatever happens.
        let saved = self.store.save(&fresh).await;
        let generation = self.install(fresh.clone());
        tracing::info!(generation, "access token refreshed");
        match saved {
            Ok(()) => Ok(Bearer {
                value: fresh.access_token().clone(),
                generation,
            }),
            Err(e) => Err(Error::new(
                ErrorKind::TokenStore,
                format!(
                    "the token was refreshed but saving it failed ({e}); the new token is kept in memory and used by this process, but it is lost at exit unless the store is fixed"
                ),
            )),
        }
    }
}

/// Logs a warning when the refresh token expires within 7 days; returns
/// whether it did.
fn warn_if_refresh_token_expires_soon(token: &Token) -> bool {
    let Some(at) = token.refresh_token_expires_at() else {
        return false;
    };
    let left = at - chrono::Utc::now();
    let limit =
        chrono::Duration::from_std(REFRESH_TOKEN_WARNING).unwrap_or(chrono::Duration::zero());
    if left > limit {
        return false;
    }
    tracing::warn!(
        refresh_token_expires_at = %at,
        days_left = left.num_days(),
        "the Pinterest refresh token expires soon: run the OAuth login again before then"
    );
    true
}
