//! Login for CLI and desktop apps (RFC 8252, loopback redirect): listen on
//! the redirect URI's loopback address, send the user to Pinterest's
//! authorize page, receive the redirect, exchange the code, save the
//! token, and only then tell the browser it worked.
//!
//! What a hostile local page or user cannot do: abort the login or inject
//! text (a redirect without this login's `state` is answered 400 and
//! ignored, `error=` included); stall it (connections are served
//! concurrently, each with a size and time limit); or receive the code on
//! the other address family (`localhost` is bound on 127.0.0.1 and ::1,
//! on one port, or the login fails).
//!
//! ```no_run
//! # async fn run() -> pinterest_ext::Result<()> {
//! use pinterest_ext::{AppCredentials, FileStore, LoginOptions, OAuth, Scope};
//! let oauth = OAuth::new(AppCredentials::from_env()?, "https://api.pinterest.com/v5")?
//!     .with_redirect_uri("http://localhost:8085/");
//! let store = FileStore::new("pinterest-token.json");
//! let options = LoginOptions::new(vec![Scope::BoardsRead, Scope::PinsRead]).open_browser(true);
//! let token = pinterest_ext::login(&oauth, &store, options).await?;
//! # let _ = token;
//! # Ok(())
//! # }
//! ```

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use pinterest_api::Scope;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};

use super::oauth::OAuth;
use super::store::TokenStore;
use super::token::Token;
use crate::error::{Error, ErrorKind, Result};

/// Options of [`login`].
#[derive(Debug, Clone)]
#[non_exhaustive]
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

    /// Asks for what `operations` (operation ids, e.g. `"pins/create"`)
    /// need, and nothing more (see [`Scope::required_for`]).
    pub fn for_operations(operations: &[&str]) -> Result<LoginOptions> {
        let scopes = Scope::required_for(operations)
            .map_err(|e| Error::new(ErrorKind::InvalidRequest, e.to_string()))?;
        Ok(LoginOptions::new(scopes))
    }

    /// The scopes asked for.
    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// Opens the authorize URL in the default browser (`webbrowser`).
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
    if options.open_browser
        && let Err(e) = webbrowser::open(flow.authorize_url().as_str())
    {
        tracing::info!(error = %e, "could not open a browser; open the printed URL yourself");
    }
    flow.finish(store, options.timeout).await
}

/// Largest request head the redirect server reads.
const MAX_HEAD: usize = 16 * 1024;
/// Time a connection has to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once.
const MAX_CONNECTIONS: usize = 32;

/// A login in progress: the listeners are bound and the URL is known.
#[derive(Debug)]
pub struct LoginFlow {
    oauth: OAuth,
    listeners: Vec<TcpListener>,
    url: url::Url,
    state: String,
    path: String,
}

/// What a redirect carried, with the connection to answer on.
enum Callback {
    Code(String, TcpStream),
    Denied(String, TcpStream),
}

impl LoginFlow {
    /// Binds the redirect URI's port (port 0 picks a free one, and the
    /// authorize URL names it): on 127.0.0.1 or ::1 as the URI says, on
    /// both for `localhost`. Then builds the authorize URL.
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
        let hosts: Vec<IpAddr> = match redirect.host_str() {
            Some("localhost") => vec![Ipv4Addr::LOCALHOST.into(), Ipv6Addr::LOCALHOST.into()],
            Some("127.0.0.1") => vec![Ipv4Addr::LOCALHOST.into()],
            Some("[::1]") => vec![Ipv6Addr::LOCALHOST.into()],
            _ => vec![],
        };
        if redirect.scheme() != "http" || hosts.is_empty() {
            return Err(Error::new(
                ErrorKind::Auth,
                format!(
                    "redirect URI {configured:?} must be http://localhost:PORT/..., http://127.0.0.1:PORT/... or http://[::1]:PORT/... for a local login"
                ),
            ));
        }
        let listeners = bind_all(&hosts, redirect.port().unwrap_or(80)).await?;
        let port = listeners[0]
            .local_addr()
            .map_err(|e| {
                Error::new(
                    ErrorKind::Auth,
                    format!("cannot read the listening port: {e}"),
                )
            })?
            .port();
        let _ = redirect.set_port(Some(port));
        let oauth = oauth.clone().with_redirect_uri(redirect.as_str());
        let auth = oauth.authorize_url(&options.scopes, None);
        Ok(LoginFlow {
            path: redirect.path().to_string(),
            oauth,
            listeners,
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

    /// Waits for this login's redirect, exchanges the code, saves the
    /// token, and answers the browser with the outcome.
    pub async fn finish(self, store: &dyn TokenStore, timeout: Duration) -> Result<Token> {
        let (tx, mut rx) = mpsc::channel::<Callback>(4);
        let expected = Arc::new((self.state.clone(), self.path.clone()));
        let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        let mut servers = tokio::task::JoinSet::new();
        for listener in self.listeners {
            let (tx, expected, permits) = (tx.clone(), expected.clone(), permits.clone());
            servers.spawn(accept_loop(listener, tx, expected, permits));
        }
        drop(tx);
        let received = tokio::time::timeout(timeout, rx.recv()).await;
        servers.abort_all();
        let callback = match received {
            Ok(Some(c)) => c,
            Ok(None) => {
                return Err(Error::new(ErrorKind::Auth, "the redirect listener stopped"));
            }
            Err(_) => {
                return Err(Error::new(
                    ErrorKind::Auth,
                    format!(
                        "no redirect arrived within {}s; open the authorize URL and approve the app, then try again",
                        timeout.as_secs()
                    ),
                ));
            }
        };
        match callback {
            Callback::Denied(error, mut stream) => {
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
                Err(Error::new(ErrorKind::Auth, detail))
            }
            Callback::Code(code, mut stream) => {
                let outcome = match self.oauth.exchange_code(&code).await {
                    Ok(token) => store.save(&token).await.map(|()| token),
                    Err(e) => Err(e),
                };
                match &outcome {
                    Ok(_) => {
                        respond(
                            &mut stream,
                            200,
                            "Logged in",
                            "The app is authorized. You can close this window.",
                        )
                        .await
                    }
                    Err(_) => {
                        respond(
                            &mut stream,
                            500,
                            "Login failed",
                            "The authorization could not be completed. See the app for details.",
                        )
                        .await
                    }
                }
                outcome
            }
        }
    }
}

/// Binds `port` on every host; with port 0, a port free on all of them.
async fn bind_all(hosts: &[IpAddr], port: u16) -> Result<Vec<TcpListener>> {
    let attempts = if port == 0 { 16 } else { 1 };
    let mut last = None;
    'attempt: for _ in 0..attempts {
        let mut listeners = Vec::with_capacity(hosts.len());
        let mut chosen = port;
        for host in hosts {
            match TcpListener::bind(SocketAddr::new(*host, chosen)).await {
                Ok(l) => {
                    if chosen == 0 {
                        chosen = l.local_addr().map(|a| a.port()).unwrap_or(0);
                    }
                    listeners.push(l);
                }
                // No IPv6 on this machine: nobody can listen on ::1 either.
                Err(e) if host.is_ipv6() && e.kind() == std::io::ErrorKind::AddrNotAvailable => {}
                Err(e) => {
                    last = Some(format!(
                        "cannot listen on {}: {e}",
                        SocketAddr::new(*host, chosen)
                    ));
                    continue 'attempt;
                }
            }
        }
        if !listeners.is_empty() {
            return Ok(listeners);
        }
    }
    Err(Error::new(
        ErrorKind::Auth,
        last.unwrap_or_else(|| "cannot listen for the redirect".into()),
    ))
}

async fn accept_loop(
    listener: TcpListener,
    tx: mpsc::Sender<Callback>,
    expected: Arc<(String, String)>,
    permits: Arc<Semaphore>,
) {
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let (tx, expected) = (tx.clone(), expected.clone());
        tokio::spawn(async move {
            serve(stream, &tx, &expected.0, &expected.1).await;
            drop(permit);
        });
    }
}

/// Answers one connection: a request for another path is 404, one without
/// this login's `state` is 400 and ignored; this login's redirect goes to
/// [`LoginFlow::finish`], which answers it.
async fn serve(mut stream: TcpStream, tx: &mpsc::Sender<Callback>, state: &str, path: &str) {
    let Some(target) = read_request_target(&mut stream).await else {
        return;
    };
    let url = match url::Url::parse("http://127.0.0.1").and_then(|base| base.join(&target)) {
        Ok(url) if url.path() == path => url,
        _ => {
            respond(
                &mut stream,
                404,
                "Not found",
                "This is not the login callback.",
            )
            .await;
            return;
        }
    };
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let state_ok = param("state").is_some_and(|s| constant_time_eq(s.as_bytes(), state.as_bytes()));
    if !state_ok {
        respond(
            &mut stream,
            400,
            "Not this login",
            "This request does not belong to the login in progress; it was ignored.",
        )
        .await;
        return;
    }
    let callback = match (param("error"), param("code").filter(|c| !c.is_empty())) {
        (Some(error), _) => Callback::Denied(error, stream),
        (None, Some(code)) => Callback::Code(code, stream),
        (None, None) => {
            respond(
                &mut stream,
                400,
                "Login failed",
                "The redirect carried no authorization code.",
            )
            .await;
            return;
        }
    };
    let _ = tx.send(callback).await;
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads an HTTP/1.x request head (at most [`MAX_HEAD`] bytes, within
/// [`HEAD_TIMEOUT`]) and returns its target (`/path?query`) for a GET.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let read = async {
        let mut buf = Vec::with_capacity(1024);
        let mut chunk = [0u8; 1024];
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 || buf.len() + n > MAX_HEAD {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        Some(buf)
    };
    let buf = tokio::time::timeout(HEAD_TIMEOUT, read).await.ok()??;
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
        500 => "Internal Server Error",
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
    let _ = tokio::time::timeout(HEAD_TIMEOUT, async {
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}
