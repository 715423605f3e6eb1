//! Uploads and downloads outside the API (video uploads to the address
//! `POST /media` returns, report and export downloads): their own timeout
//! model, and checked addresses.
//!
//! - An API call has one whole-request timeout; a transfer of up to 2 GB
//!   cannot. A transfer fails only when it makes no progress for
//!   [`TransferPolicy::idle_timeout`] (bytes sent or received), however
//!   long it takes in all.
//! - Addresses come from Pinterest's responses: they must be `https` and
//!   on an expected host ([`TransferPolicy::allowed_hosts`]), so a
//!   tampered response cannot send a file, or a token, elsewhere. They are
//!   pre-signed (the signature is in the query) and may be personal data
//!   (a leads export), so no error ever carries one.
// Uploads serve the `organic` video helpers, downloads the `ads` and
// `catalogs` job helpers: with only some API areas enabled, the others' half
// is unused.
#![cfg_attr(
    not(all(feature = "organic", any(feature = "ads", feature = "catalogs"))),
    allow(dead_code, unused_imports)
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;

use crate::error::{Error, ErrorKind, Result};

/// How transfers are timed and where they may go.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TransferPolicy {
    /// A transfer with no progress for this long fails (default 60 s).
    pub idle_timeout: Duration,
    /// Hosts transfers may use: a host matches an entry equal to it or
    /// ending in `.` + the entry (default: `amazonaws.com`,
    /// `pinterest.com`, `pinimg.com`).
    pub allowed_hosts: Vec<String>,
    /// Addresses also allowed over plain `http` (a local mock server).
    pub http_hosts: Vec<String>,
}

impl Default for TransferPolicy {
    fn default() -> Self {
        TransferPolicy {
            idle_timeout: Duration::from_secs(60),
            allowed_hosts: vec![
                "amazonaws.com".into(),
                "pinterest.com".into(),
                "pinimg.com".into(),
            ],
            http_hosts: Vec::new(),
        }
    }
}

impl TransferPolicy {
    /// Sets the idle timeout.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Allows one more host (and its subdomains).
    pub fn allow_host(mut self, host: impl Into<String>) -> Self {
        self.allowed_hosts.push(host.into());
        self
    }

    /// Allows `host` over plain `http` too (for a test server).
    pub fn allow_http_host(mut self, host: impl Into<String>) -> Self {
        let host = host.into();
        self.allowed_hosts.push(host.clone());
        self.http_hosts.push(host);
        self
    }

    /// Checks an address from a response; the error names the host, never
    /// the whole address.
    pub fn check(&self, address: &str, what: &str) -> Result<url::Url> {
        let url = url::Url::parse(address).map_err(|e| {
            Error::new(
                ErrorKind::Workflow,
                format!("the {what} address is not a URL ({e})"),
            )
        })?;
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let matches = |list: &[String]| {
            list.iter().any(|h| {
                let h = h.to_ascii_lowercase();
                host == h || host.ends_with(&format!(".{h}"))
            })
        };
        let scheme_ok =
            url.scheme() == "https" || (url.scheme() == "http" && matches(&self.http_hosts));
        if !scheme_ok {
            return Err(Error::new(
                ErrorKind::Workflow,
                format!(
                    "the {what} address uses {}:, not https:; refused",
                    url.scheme()
                ),
            ));
        }
        if !matches(&self.allowed_hosts) {
            return Err(Error::new(
                ErrorKind::Workflow,
                format!(
                    "the {what} address is on {host:?}, which is not an allowed host (TransferPolicy::allowed_hosts); refused"
                ),
            ));
        }
        Ok(url)
    }
}

/// Progress in bytes, shared between a transfer and its watchdog.
#[derive(Debug, Default)]
struct Progress {
    bytes: AtomicU64,
}

/// Waits until `progress` stops moving for `idle`; returns then.
async fn stalled(progress: &Progress, idle: Duration) {
    let mut last = progress.bytes.load(Ordering::Relaxed);
    let mut since = Instant::now();
    let tick = (idle / 4).max(Duration::from_millis(10));
    loop {
        tokio::time::sleep(tick).await;
        let now = progress.bytes.load(Ordering::Relaxed);
        if now != last {
            last = now;
            since = Instant::now();
        } else if since.elapsed() >= idle {
            return;
        }
    }
}

fn idle_error(idle: Duration, what: &str, write: bool) -> Error {
    Error::new(
        if write {
            ErrorKind::OutcomeUnknown
        } else {
            ErrorKind::Timeout
        },
        format!("the {what} made no progress for {}s", idle.as_secs().max(1)),
    )
}

/// Wraps an upload body so every chunk sent counts as progress.
fn counted<S>(
    stream: S,
    progress: Arc<Progress>,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static
where
    S: Stream<Item = std::io::Result<Bytes>> + Send + 'static,
{
    stream.map(move |chunk| {
        if let Ok(c) = &chunk {
            progress.bytes.fetch_add(c.len() as u64, Ordering::Relaxed);
        }
        chunk
    })
}

/// An upload body: a stream of chunks.
pub(crate) type Body = std::pin::Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>;

/// The file part of a multipart upload.
pub(crate) struct UploadFile {
    pub name: String,
    pub mime: &'static str,
    pub len: u64,
    pub body: Body,
}

/// Sends a multipart upload whose file part streams `file.body`
/// (`file.len` bytes); the other fields are `fields`. Fails when no byte
/// moves for the idle timeout. The response must be 2xx.
pub(crate) async fn upload(
    http: &reqwest::Client,
    url: url::Url,
    fields: Vec<(String, String)>,
    file: UploadFile,
    policy: &TransferPolicy,
) -> Result<()> {
    let progress = Arc::new(Progress::default());
    let UploadFile {
        name,
        mime,
        len,
        body,
    } = file;
    let part = reqwest::multipart::Part::stream_with_length(
        reqwest::Body::wrap_stream(counted(body, progress.clone())),
        len,
    )
    .file_name(name)
    .mime_str(mime)
    .map_err(|e| Error::new(ErrorKind::InvalidRequest, format!("bad content type: {e}")))?;
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k, v);
    }
    form = form.part("file", part);
    let send = async {
        let response = http
            .post(url)
            .multipart(form)
            .send()
            .await
            .map_err(|e| Error::from_transport(&e, Some(pinterest_api::Method::Post)))?;
        progress.bytes.fetch_add(1, Ordering::Relaxed);
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| Error::from_transport(&e, Some(pinterest_api::Method::Post)))?;
        if status.is_success() {
            Ok(())
        } else {
            Err(Error::from_response(status, &headers, body)
                .with_detail("the media upload was rejected"))
        }
    };
    tokio::select! {
        outcome = send => outcome,
        () = stalled(&progress, policy.idle_timeout) => Err(idle_error(policy.idle_timeout, "upload", true)),
    }
}

/// Streams a pre-signed download into `out`; fails when no byte arrives
/// for the idle timeout, and when the size differs from `expected` (or
/// from `Content-Length`). Returns the bytes written.
pub(crate) async fn download<W: AsyncWrite + Unpin>(
    http: &reqwest::Client,
    url: url::Url,
    out: &mut W,
    expected: Option<u64>,
    policy: &TransferPolicy,
) -> Result<u64> {
    let idle = policy.idle_timeout;
    let response = tokio::time::timeout(idle, http.get(url).send())
        .await
        .map_err(|_| idle_error(idle, "download", false))?
        .map_err(|e| Error::from_transport(&e, None))?;
    let status = response.status();
    if !status.is_success() {
        let headers = response.headers().clone();
        let body = response.bytes().await.unwrap_or_default();
        let mut e = Error::from_response(status, &headers, body);
        if status.as_u16() == 403 {
            e = e.with_detail("the download URL expired (result URLs last five minutes)");
        }
        return Err(e);
    }
    let expected = expected.or(response.content_length());
    let mut written = 0u64;
    let mut body = response.bytes_stream();
    loop {
        let next = tokio::time::timeout(idle, body.next())
            .await
            .map_err(|_| idle_error(idle, "download", false))?;
        let Some(chunk) = next else { break };
        let chunk = chunk.map_err(|e| Error::from_transport(&e, None))?;
        out.write_all(&chunk)
            .await
            .map_err(|e| Error::new(ErrorKind::Io, format!("writing the download failed: {e}")))?;
        written += chunk.len() as u64;
        if expected.is_some_and(|n| written > n) {
            break;
        }
    }
    out.flush()
        .await
        .map_err(|e| Error::new(ErrorKind::Io, format!("writing the download failed: {e}")))?;
    if let Some(n) = expected.filter(|n| *n != written) {
        return Err(Error::new(
            ErrorKind::Network,
            format!(
                "the download has {written} bytes where {n} were announced; it is incomplete or corrupt"
            ),
        ));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_must_be_https_on_an_allowed_host() {
        let p = TransferPolicy::default();
        p.check(
            "https://pinterest-media-upload.s3-accelerate.amazonaws.com/",
            "upload",
        )
        .unwrap();
        let err = p
            .check(
                "http://pinterest-media-upload.s3.amazonaws.com/?X-Amz-Signature=secret",
                "upload",
            )
            .unwrap_err();
        assert!(err.to_string().contains("not https"), "{err}");
        assert!(!err.to_string().contains("secret"), "{err}");
        let err = p
            .check("https://evil.example/?sig=secret", "download")
            .unwrap_err();
        assert!(err.to_string().contains("\"evil.example\""), "{err}");
        assert!(!err.to_string().contains("secret"), "{err}");
        let err = p
            .check("https://amazonaws.com.evil.example/", "download")
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Workflow);
        let local = TransferPolicy::default().allow_http_host("127.0.0.1");
        local
            .check("http://127.0.0.1:8080/upload", "upload")
            .unwrap();
    }
}
