//! The bearer token: taken from the client's token manager (refreshed first when
//! it is about to expire), set as a sensitive `Authorization` header; after
//! a 401 the token is refreshed once and the request replayed once.
//! Operations that authenticate with HTTP Basic only (the token endpoint)
//! and requests that carry their own `Authorization` are left alone.

use std::sync::Arc;

use pinterest_api::{BoxFuture, RawResponse};
use reqwest::Request;
use reqwest::header::AUTHORIZATION;

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
    let value = bearer.header.clone().ok_or_else(|| {
        Error::new(
            ErrorKind::Auth,
            "the access token is not a valid header value",
        )
    })?;
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
        // No refresh possible and none needed: the header, and on.
        if !self.tokens.can_refresh()
            && let Some(bearer) = self.tokens.bearer_now()
        {
            return match authorize(&mut request, &bearer) {
                Ok(()) => next.run(request, cx),
                Err(e) => Box::pin(async move { Err(e) }),
            };
        }
        Box::pin(async move {
            let bearer = self.tokens.bearer().await?;
            authorize(&mut request, &bearer)?;
            // A copy to replay after a refresh, when one is possible.
            let can_refresh = self.tokens.can_refresh();
            let spare = if can_refresh {
                request.try_clone()
            } else {
                None
            };
            let response = next.run(request, cx).await?;
            if response.status.as_u16() != 401 || !can_refresh {
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

#[cfg(test)]
mod tests {

    use httpmock::prelude::*;
    use reqwest::Method;

    use super::super::testing::*;
    use super::*;
    use crate::RetryPolicy;
    use crate::auth::oauth::OAuth;
    use crate::auth::token::{AppCredentials, Token};

    fn bearer_of(script: &Script, i: usize) -> Option<String> {
        let seen = script.seen.lock().unwrap();
        let value = seen[i].headers().get(AUTHORIZATION)?;
        assert!(
            value.is_sensitive(),
            "the Authorization header is marked sensitive"
        );
        Some(value.to_str().unwrap().to_owned())
    }

    #[tokio::test]
    async fn sets_a_sensitive_bearer_and_leaves_basic_only_and_preset_requests_alone() {
        let auth = Auth::new(token_manager(None, Token::new("access-1")).await);

        let script = Script::new(vec![response(200, &[], "{}")]);
        let cx = context("pins_get", RetryPolicy::default());
        run(&auth, &script, request(Method::GET), &cx)
            .await
            .unwrap();
        assert_eq!(bearer_of(&script, 0).as_deref(), Some("Bearer access-1"));

        let script = Script::new(vec![response(200, &[], "{}")]);
        let cx = context("oauth_token", RetryPolicy::default());
        run(&auth, &script, request(Method::POST), &cx)
            .await
            .unwrap();
        assert_eq!(
            bearer_of(&script, 0),
            None,
            "the token endpoint takes Basic"
        );

        let script = Script::new(vec![response(200, &[], "{}")]);
        let mut own = request(Method::GET);
        own.headers_mut().insert(
            AUTHORIZATION,
            reqwest::header::HeaderValue::from_static("Bearer mine"),
        );
        let cx = context("pins_get", RetryPolicy::default());
        run(&auth, &script, own, &cx).await.unwrap();
        let seen = script.seen.lock().unwrap();
        assert_eq!(seen[0].headers()[AUTHORIZATION], "Bearer mine");
    }

    #[tokio::test]
    async fn a_401_refreshes_once_and_replays_once() {
        let server = MockServer::start_async().await;
        let refresh = server
            .mock_async(|when, then| {
                when.method(POST)
                    .path("/v5/oauth/token")
                    .body_includes("grant_type=refresh_token");
                then.status(200).json_body(serde_json::json!({
                    "access_token": "access-2",
                    "refresh_token": "refresh-2",
                    "token_type": "bearer",
                    "expires_in": 2592000,
                    "refresh_token_expires_in": 31536000,
                    "scope": "pins:read"
                }));
            })
            .await;
        let oauth = OAuth::new(AppCredentials::new("app", "secret"), &server.url("/v5")).unwrap();
        let token = Token::new("access-1").with_refresh_token("refresh-1");
        let auth = Auth::new(token_manager(Some(oauth), token).await);

        let script = Script::new(vec![
            response(
                401,
                &[],
                r#"{"code": 2, "message": "Authentication failed."}"#,
            ),
            response(200, &[], "{}"),
        ]);
        let cx = context("pins_get", RetryPolicy::default());
        let r = run(&auth, &script, request(Method::GET), &cx)
            .await
            .unwrap();
        assert_eq!(r.status.as_u16(), 200);
        assert_eq!(script.sent(), 2);
        assert_eq!(bearer_of(&script, 0).as_deref(), Some("Bearer access-1"));
        assert_eq!(bearer_of(&script, 1).as_deref(), Some("Bearer access-2"));
        refresh.assert_calls_async(1).await;

        // A second 401 right after the replay is the answer: no loop.
        let script = Script::new(vec![
            response(
                401,
                &[],
                r#"{"code": 2, "message": "Authentication failed."}"#,
            ),
            response(
                401,
                &[],
                r#"{"code": 2, "message": "Authentication failed."}"#,
            ),
        ]);
        let r = run(&auth, &script, request(Method::GET), &cx)
            .await
            .unwrap();
        assert_eq!(r.status.as_u16(), 401);
        assert_eq!(script.sent(), 2);
    }

    #[tokio::test]
    async fn without_a_refresh_token_a_401_is_returned_as_is() {
        let auth = Auth::new(token_manager(None, Token::new("access-1")).await);
        let script = Script::new(vec![response(401, &[], r#"{"code": 2}"#)]);
        let cx = context("pins_get", RetryPolicy::default());
        let r = run(&auth, &script, request(Method::GET), &cx)
            .await
            .unwrap();
        assert_eq!(r.status.as_u16(), 401);
        assert_eq!(script.sent(), 1);
    }
}
