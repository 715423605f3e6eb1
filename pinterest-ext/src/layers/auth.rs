//! The bearer token: taken from the [`TokenManager`] (refreshed first when
//! it is about to expire), set as a sensitive `Authorization` header; after
//! a 401 the token is refreshed once and the request replayed once.
//! Operations that authenticate with HTTP Basic only (the token endpoint)
//! and requests that carry their own `Authorization` are left alone.

use std::sync::Arc;

use pinterest_api::{BoxFuture, RawResponse};
use reqwest::Request;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use secrecy::ExposeSecret;

use super::{CallContext, Layer, Next};
use crate::auth::manager::{Bearer, TokenManager};
use crate::error::{Error, ErrorKind, Result};

/// Adds the bearer token and refreshes it on a 401.
#[derive(Debug, Clone)]
pub struct Auth {
    tokens: Arc<TokenManager>,
}

impl Auth {
    /// The layer for `tokens`.
    pub(crate) fn new(tokens: Arc<TokenManager>) -> Auth {
        Auth { tokens }
    }
}

/// Whether the operation takes the user's bearer token (not only HTTP
/// Basic, like the token endpoint).
fn takes_bearer(cx: &CallContext) -> bool {
    cx.operation()
        .is_none_or(|op| op.security.is_empty() || op.security.iter().any(|s| *s != "basic"))
}

fn authorize(request: &mut Request, bearer: &Bearer) -> Result<()> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", bearer.value.expose_secret()))
        .map_err(|_| {
            Error::new(
                ErrorKind::Auth,
                "the access token is not a valid header value",
            )
        })?;
    value.set_sensitive(true);
    request.headers_mut().insert(AUTHORIZATION, value);
    Ok(())
}

impl Layer for Auth {
    fn call<'a>(
        &'a self,
        mut request: Request,
        cx: &'a CallContext,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        if !takes_bearer(cx) || request.headers().contains_key(AUTHORIZATION) {
            return next.run(request, cx);
        }
        Box::pin(async move {
            let bearer = self.tokens.bearer().await?;
            authorize(&mut request, &bearer)?;
            let spare = request.try_clone();
            let response = next.run(request, cx).await?;
            if response.status.as_u16() != 401 || !self.tokens.can_refresh() {
                return Ok(response);
            }
            let Some(mut spare) = spare else {
                return Err(Error::from_response(
                    response.status,
                    &response.headers,
                    response.body,
                )
                .with_detail("the request body cannot be replayed after the token refresh"));
            };
            let fresh = self.tokens.refresh(bearer.generation).await?;
            tracing::debug!("401: token refreshed, replaying once");
            authorize(&mut spare, &fresh)?;
            next.run(spare, cx).await
        })
    }
}
