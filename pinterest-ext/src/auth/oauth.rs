//! Pinterest's OAuth 2.0: the authorize URL, and the token endpoint
//! (`POST /v5/oauth/token`, HTTP Basic client authentication, form body)
//! for the `authorization_code`, `refresh_token` and `client_credentials`
//! grants.
//!
//! The `oauth2` crate builds and sends the token requests (Basic auth
//! encoding, form bodies, typed grants). The authorize URL is written here
//! because Pinterest wants scopes comma-separated, and errors are read from
//! the raw response because Pinterest's error bodies (`{"code": 283, ...}`)
//! are not RFC 6749's.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthorizationCode, ClientId, ClientSecret, EndpointNotSet, EndpointSet, ExtraTokenFields,
    RedirectUrl, RefreshToken, RequestTokenError, StandardRevocableToken, StandardTokenResponse,
    TokenResponse, TokenUrl,
};
use pinterest_api::{Method, Scope};
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use super::token::{AppCredentials, Token};
use crate::error::{Error, ErrorKind, Result, codes};
use crate::retry::RetryPolicy;

/// Pinterest's authorize page.
pub const AUTHORIZE_URL: &str = "https://www.pinterest.com/oauth/";

/// The operation id errors of the token endpoint carry.
const TOKEN_OPERATION: &str = "oauth/token";

/// Fields of Pinterest's token response beyond RFC 6749's.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PinterestFields {
    #[serde(default)]
    refresh_token_expires_in: Option<i64>,
    #[serde(default)]
    refresh_token_expires_at: Option<i64>,
}

impl ExtraTokenFields for PinterestFields {}

type TokenReply = StandardTokenResponse<PinterestFields, BasicTokenType>;

type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    TokenReply,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// An authorize URL and the `state` it carries (check it on the callback).
#[derive(Debug, Clone)]
pub struct Authorization {
    /// Send the user's browser here.
    pub url: url::Url,
    /// The random `state` the callback must echo.
    pub state: String,
}

/// The OAuth endpoints of one Pinterest app.
///
/// Token requests carry the app secret and a code or refresh token, so
/// they go through an HTTP client of their own that never follows
/// redirects (a 307 would replay them to another host).
///
/// ```
/// use pinterest_ext::{AppCredentials, OAuth, Scope};
/// let oauth = OAuth::new(AppCredentials::new("1234", "secret"), "https://api.pinterest.com/v5")?
///     .with_redirect_uri("http://localhost:8085/");
/// let auth = oauth.authorize_url(&[Scope::BoardsRead, Scope::PinsRead], None);
/// assert!(auth.url.as_str().starts_with("https://www.pinterest.com/oauth/?"));
/// assert!(auth.url.query().unwrap().contains("scope=boards%3Aread%2Cpins%3Aread"));
/// # Ok::<(), pinterest_ext::Error>(())
/// ```
#[derive(Clone)]
pub struct OAuth {
    credentials: AppCredentials,
    token_url: String,
    authorize_url: url::Url,
    redirect_uri: Option<String>,
    http: reqwest::Client,
    retry: RetryPolicy,
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth")
            .field("app_id", &self.credentials.app_id())
            .field("token_url", &self.token_url)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl OAuth {
    /// The OAuth endpoints for `credentials`, with the token endpoint at
    /// `{api_base}/oauth/token` (`api_base` is e.g.
    /// `https://api.pinterest.com/v5`). Fails when the token URL is not a
    /// URL or the HTTP client cannot be built.
    pub fn new(credentials: AppCredentials, api_base: &str) -> Result<OAuth> {
        let token_url = format!("{}/oauth/token", api_base.trim_end_matches('/'));
        TokenUrl::new(token_url.clone()).map_err(|e| {
            Error::new(
                ErrorKind::Auth,
                format!("token URL {token_url:?} is invalid: {e}"),
            )
        })?;
        let http = pinterest_api::tls::http_client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| {
                Error::new(
                    ErrorKind::Auth,
                    format!("cannot build the HTTP client for the token endpoint: {e}"),
                )
            })?;
        Ok(OAuth {
            credentials,
            token_url,
            authorize_url: url::Url::parse(AUTHORIZE_URL)
                .map_err(|e| Error::new(ErrorKind::Auth, format!("{AUTHORIZE_URL}: {e}")))?,
            redirect_uri: None,
            http,
            retry: RetryPolicy::default(),
        })
    }

    /// Sets the redirect URI registered for the app (needed for the
    /// authorize URL and the code exchange).
    pub fn with_redirect_uri(mut self, uri: impl Into<String>) -> OAuth {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// Uses another authorize page (for tests); an invalid URL is an error.
    pub fn with_authorize_url(mut self, url: &str) -> Result<OAuth> {
        self.authorize_url = url::Url::parse(url).map_err(|e| {
            Error::new(
                ErrorKind::Auth,
                format!("authorize URL {url:?} is invalid: {e}"),
            )
        })?;
        Ok(self)
    }

    /// Retries token requests per `policy` (only where nothing can have
    /// happened: connection failures and 429).
    pub fn with_retry(mut self, policy: RetryPolicy) -> OAuth {
        self.retry = policy;
        self
    }

    /// The app credentials.
    pub fn credentials(&self) -> &AppCredentials {
        &self.credentials
    }

    /// The redirect URI, if set.
    pub fn redirect_uri(&self) -> Option<&str> {
        self.redirect_uri.as_deref()
    }

    /// The token endpoint URL.
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    /// The URL to send the user to: `client_id`, `redirect_uri`,
    /// `response_type=code`, comma-separated `scope`, and `state` (random
    /// when `state` is `None`).
    pub fn authorize_url(&self, scopes: &[Scope], state: Option<&str>) -> Authorization {
        let state = state
            .map(str::to_string)
            .unwrap_or_else(|| oauth2::CsrfToken::new_random().secret().clone());
        let mut url = self.authorize_url.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("client_id", self.credentials.app_id());
            if let Some(r) = &self.redirect_uri {
                q.append_pair("redirect_uri", r);
            }
            q.append_pair("response_type", "code");
            q.append_pair("scope", &Scope::join(scopes));
            q.append_pair("state", &state);
        }
        Authorization { url, state }
    }

    fn client(&self) -> Result<OAuthClient> {
        let token_url = TokenUrl::new(self.token_url.clone()).map_err(|e| {
            Error::new(
                ErrorKind::Auth,
                format!("token URL {:?} is invalid: {e}", self.token_url),
            )
        })?;
        let mut client = oauth2::Client::new(ClientId::new(self.credentials.app_id().to_string()))
            .set_client_secret(ClientSecret::new(
                self.credentials.app_secret().expose_secret().to_string(),
            ))
            .set_token_uri(token_url);
        if let Some(r) = &self.redirect_uri {
            let redirect = RedirectUrl::new(r.clone()).map_err(|e| {
                Error::new(
                    ErrorKind::Auth,
                    format!("redirect URI {r:?} is invalid: {e}"),
                )
            })?;
            client = client.set_redirect_uri(redirect);
        }
        Ok(client)
    }

    /// Exchanges an authorization code (from the redirect) for a token.
    pub async fn exchange_code(&self, code: &str) -> Result<Token> {
        let client = self.client()?;
        let code = AuthorizationCode::new(code.to_string());
        self.with_retries(|http| {
            let (client, code) = (&client, code.clone());
            async move { client.exchange_code(code).request_async(&http).await }
        })
        .await
        .map(|reply| token_from(&reply))
    }

    /// Refreshes with `refresh_token`, asking for continuous refresh (so
    /// Pinterest returns a new refresh token, which the result carries; the
    /// old one is kept when none comes back).
    pub async fn refresh(&self, previous: &Token) -> Result<Token> {
        let Some(refresh_token) = previous.refresh_token() else {
            return Err(Error::new(
                ErrorKind::Auth,
                "the token has no refresh token to refresh with",
            )
            .with_operation(TOKEN_OPERATION, Method::Post));
        };
        let client = self.client()?;
        let refresh_token = RefreshToken::new(refresh_token.expose_secret().to_string());
        self.with_retries(|http| {
            let (client, refresh_token) = (&client, &refresh_token);
            async move {
                client
                    .exchange_refresh_token(refresh_token)
                    .add_extra_param("continuous_refresh", "true")
                    .request_async(&http)
                    .await
            }
        })
        .await
        .map(|reply| token_from(&reply).inherit_refresh_token(previous))
    }

    /// Gets an app token with the client credentials grant.
    pub async fn client_credentials(&self, scopes: &[Scope]) -> Result<Token> {
        let client = self.client()?;
        let scope = Scope::join(scopes);
        self.with_retries(|http| {
            let (client, scope) = (&client, &scope);
            async move {
                let mut request = client.exchange_client_credentials();
                if !scope.is_empty() {
                    request = request.add_extra_param("scope", scope.clone());
                }
                request.request_async(&http).await
            }
        })
        .await
        .map(|reply| token_from(&reply))
    }

    /// Sends one token request through `send` (retrying connection
    /// failures and 429s), classifying failures from the raw response.
    async fn with_retries<F, Fut>(&self, send: F) -> Result<TokenReply>
    where
        F: Fn(HttpFn) -> Fut,
        Fut: std::future::Future<
                Output = Result<TokenReply, RequestTokenError<TransportError, BasicErrorResponse>>,
            >,
    {
        let mut schedule = self.retry.schedule();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let seen: Arc<Mutex<Option<RawReply>>> = Arc::default();
            let http = HttpFn {
                http: self.http.clone(),
                seen: seen.clone(),
            };
            let result = send(http).await;
            let raw = seen.lock().unwrap_or_else(|p| p.into_inner()).take();
            let error = match result {
                Ok(reply) => return Ok(reply),
                Err(e) => classify(e, raw),
            };
            let error = error
                .with_operation(TOKEN_OPERATION, Method::Post)
                .with_attempts(attempt);
            // Only where nothing can have happened: the connection was never
            // made, or Pinterest said 429.
            let retryable = matches!(error.kind(), ErrorKind::Connect | ErrorKind::RateLimited);
            let hint = error.retry_after();
            if !retryable || hint.is_some_and(|h| h > self.retry.server_wait_limit()) {
                return Err(error);
            }
            match schedule.next_wait(hint) {
                Some(wait) => tokio::time::sleep(wait).await,
                None => return Err(error),
            }
        }
    }
}

/// Status, headers and body of a token endpoint response, as seen by the
/// HTTP function (before `oauth2` parses it).
struct RawReply {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

/// Transport failure of a token request.
#[derive(Debug, thiserror::Error)]
pub(crate) enum TransportError {
    #[error("{0}")]
    Http(#[from] reqwest::Error),
    #[error("building the token response failed: {0}")]
    Build(#[from] http::Error),
}

/// The `oauth2` HTTP client: reqwest, remembering the raw reply.
pub(crate) struct HttpFn {
    http: reqwest::Client,
    seen: Arc<Mutex<Option<RawReply>>>,
}

impl<'c> oauth2::AsyncHttpClient<'c> for HttpFn {
    type Error = TransportError;
    type Future = std::pin::Pin<
        Box<
            dyn std::future::Future<Output = Result<oauth2::HttpResponse, TransportError>>
                + Send
                + 'c,
        >,
    >;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)?;
            let response = self.http.execute(request).await?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await?.to_vec();
            let mut builder = http::Response::builder().status(status);
            for (name, value) in &headers {
                builder = builder.header(name, value);
            }
            *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(RawReply {
                status,
                headers,
                body: body.clone(),
            });
            Ok(builder.body(body)?)
        })
    }
}

#[derive(Deserialize)]
struct OAuthErrorBody {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    code: Option<i64>,
}

/// Classifies a failed token request. Bodies are never put into the
/// error: a token response that failed to parse could hold a token.
fn classify(
    e: RequestTokenError<TransportError, BasicErrorResponse>,
    raw: Option<RawReply>,
) -> Error {
    if let RequestTokenError::Request(TransportError::Http(err)) = &e {
        return Error::from_transport(err, Some(Method::Post));
    }
    let Some(raw) = raw else {
        return Error::new(ErrorKind::Auth, format!("the token request failed: {e}"));
    };
    if raw.status.is_success() {
        return Error::new(
            ErrorKind::Decode,
            "the token response is not a token (missing or malformed fields)",
        );
    }
    let parsed: Option<OAuthErrorBody> = serde_json::from_slice(&raw.body).ok();
    let invalid_grant = raw.status.is_client_error()
        && parsed.as_ref().is_some_and(|p| {
            p.code == Some(codes::INVALID_GRANT) || p.error.as_deref() == Some("invalid_grant")
        });
    let mut error = Error::from_response(raw.status, &raw.headers, bytes::Bytes::new());
    if let Some(p) = &parsed {
        // Keep Pinterest's code/message (never a token), drop raw bodies.
        let typed = Error::from_response(raw.status, &raw.headers, bytes::Bytes::from(raw.body))
            .without_body();
        if p.code.is_some() || typed.message().is_some() {
            error = typed;
        }
        if let Some(kind) = p.error.as_deref() {
            error = error.with_detail(format!("OAuth error `{kind}`"));
        }
    }
    if invalid_grant {
        error = error.with_kind(ErrorKind::InvalidGrant);
    } else if matches!(
        error.kind(),
        ErrorKind::Unauthorized | ErrorKind::BadRequest
    ) {
        error = error.with_kind(ErrorKind::Auth).with_detail(
            "the token endpoint rejected the request: check the app id, app secret and redirect URI",
        );
    }
    error
}

/// What the client makes of a token endpoint response (the parsing alone,
/// without the transport): a token, or the classified error. Used by the
/// property tests of every parser that reads the network.
pub(crate) fn read_token_response(
    status: StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
) -> Result<Token> {
    if status.is_success() {
        let reply: TokenReply = serde_json::from_slice(body).map_err(|_| {
            Error::new(
                ErrorKind::Decode,
                "the token response is not a token (missing or malformed fields)",
            )
        })?;
        return Ok(token_from(&reply));
    }
    let raw = RawReply {
        status,
        headers: headers.clone(),
        body: body.to_vec(),
    };
    Err(classify(
        RequestTokenError::Other("token endpoint error".into()),
        Some(raw),
    ))
}

fn token_from(reply: &TokenReply) -> Token {
    let mut token = Token::new(reply.access_token().secret().clone()).with_issued_at(Utc::now());
    if let Some(r) = reply.refresh_token() {
        token = token.with_refresh_token(r.secret().clone());
    }
    if let Some(lifetime) = reply.expires_in() {
        token = token.expires_in(lifetime);
    }
    let extra = reply.extra_fields();
    let refresh_expiry: Option<DateTime<Utc>> = extra
        .refresh_token_expires_at
        .and_then(|at| Utc.timestamp_opt(at, 0).single())
        .or_else(|| {
            extra
                .refresh_token_expires_in
                .and_then(|secs| u64::try_from(secs).ok())
                .map(|secs| super::token::after(Duration::from_secs(secs)))
        });
    if let Some(at) = refresh_expiry {
        token = token.with_refresh_token_expires_at(at);
    }
    // Pinterest writes scopes comma-separated; oauth2 splits on spaces.
    let scopes: Vec<String> = reply
        .scopes()
        .into_iter()
        .flatten()
        .flat_map(|s| {
            s.split(',')
                .map(str::trim)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|s| !s.is_empty())
        .collect();
    token.with_scopes(scopes)
}
