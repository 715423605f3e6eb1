//! Credentials from environment variables, named as in Pinterest's own
//! quickstart.

use super::token::{AppCredentials, Token};
use crate::error::{Error, ErrorKind, Result};

/// The app id.
pub const APP_ID_VAR: &str = "PINTEREST_APP_ID";
/// The app secret.
pub const APP_SECRET_VAR: &str = "PINTEREST_APP_SECRET";
/// An access token.
pub const ACCESS_TOKEN_VAR: &str = "PINTEREST_ACCESS_TOKEN";
/// A refresh token.
pub const REFRESH_TOKEN_VAR: &str = "PINTEREST_REFRESH_TOKEN";

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl AppCredentials {
    /// Reads `PINTEREST_APP_ID` and `PINTEREST_APP_SECRET`.
    pub fn from_env() -> Result<AppCredentials> {
        match (var(APP_ID_VAR), var(APP_SECRET_VAR)) {
            (Some(id), Some(secret)) => Ok(AppCredentials::new(id, secret)),
            (id, _) => Err(Error::new(
                ErrorKind::Auth,
                format!(
                    "set {} in the environment (your app's id and secret from the Pinterest developer portal)",
                    if id.is_none() {
                        APP_ID_VAR
                    } else {
                        APP_SECRET_VAR
                    }
                ),
            )),
        }
    }

    /// [`AppCredentials::from_env`], or `None` when neither is set.
    pub(crate) fn from_env_if_set() -> Result<Option<AppCredentials>> {
        if var(APP_ID_VAR).is_none() && var(APP_SECRET_VAR).is_none() {
            return Ok(None);
        }
        AppCredentials::from_env().map(Some)
    }
}

impl Token {
    /// Reads `PINTEREST_ACCESS_TOKEN` and, when set,
    /// `PINTEREST_REFRESH_TOKEN`. `None` when neither is set.
    pub fn from_env() -> Result<Option<Token>> {
        match (var(ACCESS_TOKEN_VAR), var(REFRESH_TOKEN_VAR)) {
            (None, None) => Ok(None),
            (Some(access), refresh) => {
                let token = Token::new(access);
                Ok(Some(match refresh {
                    Some(r) => token.with_refresh_token(r),
                    None => token,
                }))
            }
            // A refresh token alone: the access token is fetched on first use.
            (None, Some(refresh)) => Ok(Some(
                Token::new(String::new())
                    .with_refresh_token(refresh)
                    .with_expires_at(chrono::DateTime::<chrono::Utc>::UNIX_EPOCH),
            )),
        }
    }
}
