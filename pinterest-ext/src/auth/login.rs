//! Login for CLI and desktop apps: listen on `127.0.0.1:PORT`, send the
//! user to Pinterest's authorize page, receive the redirect, check
//! `state`, show a short page, exchange the code and save the token.
//!
//! ```no_run
//! # async fn run() -> pinterest_ext::Result<()> {
//! use pinterest_ext::{AppCredentials, FileStore, LoginOptions, OAuth, Scope};
//! let oauth = OAuth::new(AppCredentials::from_env()?, "https://api.pinterest.com/v5")
//!     .with_redirect_uri("http://localhost:8085/");
//! let store = FileStore::new("pinterest-token.json");
//! let options = LoginOptions::new(vec![Scope::BoardsRead, Scope::PinsRead]).open_browser(true);
//! let token = pinterest_ext::login(&oauth, &store, options).await?;
//! # let _ = token;
//! # Ok(())
//! # }
//! ```

use std::time::Duration;

use pinterest_api::Scope;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::oauth::OAuth;
use super::store::TokenStore;
use super::token::Token;
use crate::error::{Error, ErrorKind, Result};

/// Options of [`login`].
#[derive(Debug, Clone)]
pub struct LoginOptions {
    scopes: Vec<Scope>,
    open_browser: bool,
    print_url: bool,
    timeout: Duration,
}

impl LoginOptions {
    /// Asks for `scopes`; does not open a browser; prints the URL; waits
    /// up to 5 minutes.
    pub fn new(scopes: Vec<Scope>) -> LoginOptions {
        LoginOptions {
            scopes,
            open_browser: false,
            print_url: true,
            timeout: Duration::from_secs(300),
        }
    }

    /// Tries to open the authorize URL in the default browser.
    pub fn open_browser(mut self, open: bool) -> LoginOptions {
        self.open_browser = open;
        self
    }

    /// Prints the authorize URL to stderr (default on).
    pub fn print_url(mut self, print: bool) -> LoginOptions {
        self.print_url = print;
        self
    }

    /// How long to wait for the redirect.
    pub fn timeout(mut self, timeout: Duration) -> LoginOptions {
        self.timeout = timeout;
        self
    }
}

/// Runs the whole login: [`LoginFlow::start`], show the URL, then
/// [`LoginFlow::finish`].
pub async fn login(oauth: &OAuth, store: &dyn TokenStore, options: LoginOptions) -> Result<Token> {
    let flow = LoginFlow::start(oauth, &options).await?;
    if options.print_url {
        eprintln!(
            "Open this URL to authorize the app:\n\n  {}\n",
            flow.authorize_url()
        );
    }
    if options.open_browser {
        open_in_browser(flow.authorize_url());
    }
    flow.finish(store, options.timeout).await
}

/// A login in progress: the listener is bound and the URL is known.
#[derive(Debug)]
pub struct LoginFlow {
    oauth: OAuth,
    listener: TcpListener,
    url: url::Url,
    state: String,
    path: String,
}

impl LoginFlow {
    /// Binds the redirect URI's port on 127.0.0.1 (port 0 picks a free one
    /// and the authorize URL names it) and builds the authorize URL.
    pub async fn start(oauth: &OAuth, options: &LoginOptions) -> Result<LoginFlow> {
        let configured = oauth.redirect_uri().ok_or_else(|| {
            Error::new(
                ErrorKind::Auth,
                "set the app's redirect URI (OAuth::with_redirect_uri) before logging in",
            )
        })?;
        let mut redirect = url::Url::parse(configured).map_err(|e| {
            Error::new(
                ErrorKind::Auth,
                format!("redirect URI {configured:?} is invalid: {e}"),
            )
        })?;
        let host = redirect.host_str().unwrap_or("");
        if redirect.scheme() != "http" || !matches!(host, "localhost" | "127.0.0.1") {
            return Err(Error::new(
                ErrorKind::Auth,
                format!(
                    "redirect URI {configured:?} must be http://localhost:PORT/... or http://127.0.0.1:PORT/... for a local login"
                ),
            ));
        }
        let port = redirect.port().unwrap_or(80);
        let listener = TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| {
            Error::new(
                ErrorKind::Auth,
                format!("cannot listen on 127.0.0.1:{port}: {e}"),
            )
            .with_source(e)
        })?;
        let actual = listener
            .local_addr()
            .map_err(|e| {
                Error::new(
                    ErrorKind::Auth,
                    format!("cannot read the listening port: {e}"),
                )
            })?
            .port();
        let _ = redirect.set_port(Some(actual));
        let oauth = oauth.clone().with_redirect_uri(redirect.as_str());
        let auth = oauth.authorize_url(&options.scopes, None);
        Ok(LoginFlow {
            path: redirect.path().to_string(),
            oauth,
            listener,
            url: auth.url,
            state: auth.state,
        })
    }

    /// The URL to open in the browser.
    pub fn authorize_url(&self) -> &url::Url {
        &self.url
    }

    /// The redirect URI the callback will arrive at.
    pub fn redirect_uri(&self) -> &str {
        self.oauth.redirect_uri().unwrap_or("")
    }

    /// Waits for the redirect, checks it, answers the browser, exchanges
    /// the code and saves the token.
    pub async fn finish(self, store: &dyn TokenStore, timeout: Duration) -> Result<Token> {
        let code = tokio::time::timeout(timeout, self.receive_code())
            .await
            .map_err(|_| {
                Error::new(
                    ErrorKind::Auth,
                    format!(
                        "no redirect arrived within {}s; open the authorize URL and approve the app, then try again",
                        timeout.as_secs()
                    ),
                )
            })??;
        let token = self.oauth.exchange_code(&code).await?;
        store.save(&token).await?;
        Ok(token)
    }

    async fn receive_code(&self) -> Result<String> {
        loop {
            let (mut stream, _) = self.listener.accept().await.map_err(|e| {
                Error::new(
                    ErrorKind::Auth,
                    format!("accepting the redirect failed: {e}"),
                )
            })?;
            let Some(target) = read_request_target(&mut stream).await else {
                continue;
            };
            let url = match url::Url::parse("http://127.0.0.1").and_then(|base| base.join(&target))
            {
                Ok(url) if url.path() == self.path => url,
                _ => {
                    respond(
                        &mut stream,
                        404,
                        "Not found",
                        "This is not the login callback.",
                    )
                    .await;
                    continue;
                }
            };
            let param = |name: &str| {
                url.query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
            };
            if let Some(error) = param("error") {
                respond(
                    &mut stream,
                    400,
                    "Login cancelled",
                    "Pinterest did not authorize the app. You can close this window.",
                )
                .await;
                let detail = if error == "access_denied" {
                    "the user denied access in the browser (access_denied); run the login again and approve the app".to_string()
                } else {
                    format!("Pinterest returned error `{error}` to the redirect")
                };
                return Err(Error::new(ErrorKind::Auth, detail));
            }
            if param("state").as_deref() != Some(self.state.as_str()) {
                respond(
                    &mut stream,
                    400,
                    "Login failed",
                    "The login could not be verified. Start it again from the app.",
                )
                .await;
                return Err(Error::new(
                    ErrorKind::Auth,
                    "the redirect's `state` does not match this login (a stale or forged callback); start the login again",
                ));
            }
            let Some(code) = param("code").filter(|c| !c.is_empty()) else {
                respond(
                    &mut stream,
                    400,
                    "Login failed",
                    "The redirect carried no authorization code.",
                )
                .await;
                return Err(Error::new(
                    ErrorKind::Auth,
                    "the redirect carried no `code`",
                ));
            };
            respond(
                &mut stream,
                200,
                "Logged in",
                "The app is authorized. You can close this window.",
            )
            .await;
            return Ok(code);
        }
    }
}

/// Reads an HTTP/1.x request head and returns its target (`/path?query`).
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 || buf.len() > 16 * 1024 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let mut parts = head.lines().next()?.split_whitespace();
    let method = parts.next()?;
    let target = parts.next()?;
    (method == "GET").then(|| target.to_string())
}

async fn respond(stream: &mut TcpStream, status: u16, title: &str, text: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><h1>{title}</h1><p>{text}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn open_in_browser(url: &url::Url) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program)
        .arg(url.as_str())
        .spawn()
    {
        tracing::info!(program, error = %e, "could not open a browser; open the printed URL yourself");
    }
}
