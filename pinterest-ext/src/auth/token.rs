//! Tokens and app credentials. Secrets are `secrecy` types: they never
//! appear in `Debug` output, and only [`Token::access_token`] and friends
//! hand them out, explicitly.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use pinterest_api::Scope;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Your app's id and secret (Pinterest developer portal), used for the
/// token endpoint's HTTP Basic authentication.
///
/// ```
/// let creds = pinterest_ext::AppCredentials::new("1234567", "s3cr3t");
/// assert!(!format!("{creds:?}").contains("s3cr3t"));
/// ```
#[derive(Clone)]
pub struct AppCredentials {
    app_id: String,
    app_secret: SecretString,
}

impl AppCredentials {
    /// Credentials from the app id and secret.
    pub fn new(app_id: impl Into<String>, app_secret: impl Into<String>) -> AppCredentials {
        AppCredentials {
            app_id: app_id.into(),
            app_secret: SecretString::from(app_secret.into()),
        }
    }

    /// The app id (not secret).
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The app secret.
    pub fn app_secret(&self) -> &SecretString {
        &self.app_secret
    }
}

impl fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppCredentials")
            .field("app_id", &self.app_id)
            .field("app_secret", &"[redacted]")
            .finish()
    }
}

/// An OAuth token: the access token, and what is needed to renew it.
///
/// ```
/// use std::time::Duration;
/// let token = pinterest_ext::Token::new("pina_abc")
///     .with_refresh_token("pinr_def")
///     .expires_in(Duration::from_secs(30 * 86_400));
/// assert!(!token.needs_refresh(Duration::from_secs(300)));
/// assert!(!format!("{token:?}").contains("pina_abc"));
/// ```
#[derive(Clone)]
pub struct Token {
    access_token: SecretString,
    refresh_token: Option<SecretString>,
    expires_at: Option<DateTime<Utc>>,
    refresh_token_expires_at: Option<DateTime<Utc>>,
    issued_at: Option<DateTime<Utc>>,
    scopes: Vec<String>,
}

/// `now + lifetime`, saturating at the largest representable time (a huge
/// `expires_in` from the network must not panic).
pub(crate) fn after(lifetime: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(lifetime)
        .ok()
        .and_then(|d| Utc::now().checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl Token {
    /// A token with just an access token (no known expiry, no refresh).
    pub fn new(access_token: impl Into<String>) -> Token {
        Token {
            access_token: SecretString::from(access_token.into()),
            refresh_token: None,
            expires_at: None,
            refresh_token_expires_at: None,
            issued_at: None,
            scopes: Vec::new(),
        }
    }

    /// Adds the refresh token.
    pub fn with_refresh_token(mut self, refresh_token: impl Into<String>) -> Token {
        self.refresh_token = Some(SecretString::from(refresh_token.into()));
        self
    }

    /// Sets when the access token expires.
    pub fn with_expires_at(mut self, at: DateTime<Utc>) -> Token {
        self.expires_at = Some(at);
        self
    }

    /// Sets the access token to expire `lifetime` from now (saturating:
    /// any lifetime is accepted).
    pub fn expires_in(self, lifetime: Duration) -> Token {
        self.with_expires_at(after(lifetime))
    }

    /// Sets when Pinterest issued the token (tokens from the token endpoint
    /// carry it; it orders tokens, see [`TokenPrecedence`](crate::TokenPrecedence)).
    pub fn with_issued_at(mut self, at: DateTime<Utc>) -> Token {
        self.issued_at = Some(at);
        self
    }

    /// When the token was issued, if known.
    pub fn issued_at(&self) -> Option<DateTime<Utc>> {
        self.issued_at
    }

    /// Whether this token was issued after `other` (a token with an issue
    /// time is newer than one without; two without are not ordered).
    pub fn issued_after(&self, other: &Token) -> bool {
        match (self.issued_at, other.issued_at) {
            (Some(a), Some(b)) => a > b,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// Whether both hold the same access token.
    pub(crate) fn same_as(&self, other: &Token) -> bool {
        self.access_token.expose_secret() == other.access_token.expose_secret()
    }

    /// Whether the access token has not expired yet (true when the expiry
    /// is unknown).
    pub fn is_unexpired(&self) -> bool {
        self.expires_at.is_none_or(|at| at > Utc::now())
    }

    /// A fingerprint of the refresh token (to recognize one Pinterest
    /// rejected without keeping a second copy of it).
    pub(crate) fn refresh_fingerprint(&self) -> Option<u64> {
        use std::hash::{Hash, Hasher};
        self.refresh_token.as_ref().map(|r| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            r.expose_secret().hash(&mut h);
            h.finish()
        })
    }

    /// Sets when the refresh token expires.
    pub fn with_refresh_token_expires_at(mut self, at: DateTime<Utc>) -> Token {
        self.refresh_token_expires_at = Some(at);
        self
    }

    /// Sets the granted scopes (as Pinterest names them).
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Token {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The access token.
    pub fn access_token(&self) -> &SecretString {
        &self.access_token
    }

    /// The refresh token, if any.
    pub fn refresh_token(&self) -> Option<&SecretString> {
        self.refresh_token.as_ref()
    }

    /// When the access token expires, if known.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.expires_at
    }

    /// When the refresh token expires, if known.
    pub fn refresh_token_expires_at(&self) -> Option<DateTime<Utc>> {
        self.refresh_token_expires_at
    }

    /// The granted scopes as Pinterest wrote them.
    pub fn scope_names(&self) -> &[String] {
        &self.scopes
    }

    /// The granted scopes this crate knows.
    pub fn scopes(&self) -> Vec<Scope> {
        self.scopes.iter().filter_map(|s| s.parse().ok()).collect()
    }

    /// Whether the access token expires within `skew` (false when the
    /// expiry is unknown).
    pub fn needs_refresh(&self, skew: Duration) -> bool {
        let skew = chrono::Duration::from_std(skew).unwrap_or(chrono::Duration::MAX);
        self.expires_at.is_some_and(|at| {
            at.checked_sub_signed(skew)
                .is_none_or(|refresh_at| refresh_at <= Utc::now())
        })
    }

    /// Keeps `previous`'s refresh token (and its expiry) when this token,
    /// fresh from a refresh response, came without one.
    pub(crate) fn inherit_refresh_token(mut self, previous: &Token) -> Token {
        if self.refresh_token.is_none() {
            self.refresh_token = previous.refresh_token.clone();
            self.refresh_token_expires_at = self
                .refresh_token_expires_at
                .or(previous.refresh_token_expires_at);
        }
        if self.scopes.is_empty() {
            self.scopes = previous.scopes.clone();
        }
        self
    }

    pub(crate) fn to_file(&self) -> TokenFile {
        TokenFile {
            access_token: self.access_token.expose_secret().to_string(),
            refresh_token: self
                .refresh_token
                .as_ref()
                .map(|t| t.expose_secret().to_string()),
            expires_at: self.expires_at,
            refresh_token_expires_at: self.refresh_token_expires_at,
            issued_at: self.issued_at,
            scopes: self.scopes.clone(),
        }
    }

    pub(crate) fn from_file(file: TokenFile) -> Token {
        Token {
            access_token: SecretString::from(file.access_token),
            refresh_token: file.refresh_token.map(SecretString::from),
            expires_at: file.expires_at,
            refresh_token_expires_at: file.refresh_token_expires_at,
            issued_at: file.issued_at,
            scopes: file.scopes,
        }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"[redacted]")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field("expires_at", &self.expires_at)
            .field("refresh_token_expires_at", &self.refresh_token_expires_at)
            .field("issued_at", &self.issued_at)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// The on-disk form of a token (JSON).
#[derive(Serialize, Deserialize)]
pub(crate) struct TokenFile {
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_expires_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub scopes: Vec<String>,
}
