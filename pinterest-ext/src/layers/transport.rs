//! The end of the stack: sends the request with `reqwest` and reads the
//! whole body. A failure is classified for the call's method (a write that
//! may have been sent is `OutcomeUnknown`); the URL never appears in it.

use pinterest_api::{BoxFuture, RawResponse};
use reqwest::Request;

use super::{CallContext, Layer, Next};
use crate::error::Result;

/// Sends requests with one `reqwest::Client` (one connection pool).
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
}

impl Transport {
    /// A transport over `http`.
    pub fn new(http: reqwest::Client) -> Transport {
        Transport { http }
    }
}

impl Layer for Transport {
    fn call<'a>(
        &'a self,
        request: Request,
        cx: &'a CallContext,
        _next: Next<'a>,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        // Counted when the stack hands the request over: the layer above
        // awaits this future at once. No `async` wrapper of our own: one
        // state machine less to go through at every poll.
        cx.count_attempt();
        Box::pin(RawResponse::fetch(&self.http, request, Some(cx.method)))
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;

    use reqwest::Method;

    use super::super::testing::*;
    use super::*;
    use crate::{ErrorKind, RetryPolicy};

    /// A server that answers one connection with `reply` (or hangs up
    /// after reading the request when `reply` is empty).
    fn one_shot(reply: &'static [u8]) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(reply);
            }
        });
        format!("http://{addr}/v5/pins")
    }

    fn request_to(method: Method, url: &str) -> Request {
        Request::new(method, url.parse().unwrap())
    }

    fn run_transport(request: Request, cx: &CallContext) -> Result<RawResponse> {
        let transport = Transport::new(pinterest_api::tls::http_client_builder().build().unwrap());
        let rest: [std::sync::Arc<dyn Layer>; 0] = [];
        let next = Next::new(&rest, &transport);
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(next.run(request, cx))
    }

    #[test]
    fn reads_the_whole_body_and_counts_the_attempt() {
        let url = one_shot(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"id\":\"1\"}\n",
        );
        let cx = context("pins_get", RetryPolicy::default());
        let r = run_transport(request_to(Method::GET, &url), &cx).unwrap();
        assert_eq!(r.status.as_u16(), 200);
        assert_eq!(&r.body[..], b"{\"id\":\"1\"}\n");
        assert_eq!(cx.attempts(), 1);
    }

    #[test]
    fn a_body_in_several_chunks_is_read_whole_and_an_empty_one_is_empty() {
        let url = one_shot(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n6\r\n{\"id\":\r\n1\r\n\"\r\n4\r\n12\"}\r\n0\r\n\r\n",
        );
        let cx = context("pins_get", RetryPolicy::default());
        let r = run_transport(request_to(Method::GET, &url), &cx).unwrap();
        assert_eq!(&r.body[..], b"{\"id\":\"12\"}");

        let url = one_shot(b"HTTP/1.1 204 No Content\r\n\r\n");
        let cx = context("pins_delete", RetryPolicy::default());
        let r = run_transport(request_to(Method::DELETE, &url), &cx).unwrap();
        assert_eq!(r.status.as_u16(), 204);
        assert!(r.body.is_empty());
    }

    #[test]
    fn a_hang_up_after_a_write_was_sent_is_outcome_unknown_and_a_read_is_network() {
        let url = one_shot(b"");
        let cx = context("pins_create", RetryPolicy::default());
        let err = run_transport(request_to(Method::POST, &url), &cx).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
        assert!(err.write_outcome_unknown());
        assert!(!err.to_string().contains("127.0.0.1"), "no URL: {err}");

        let url = one_shot(b"");
        let cx = context("pins_get", RetryPolicy::default());
        let err = run_transport(request_to(Method::GET, &url), &cx).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Network);
    }

    #[test]
    fn a_refused_connection_is_connect_even_for_a_write() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/v5/pins");
        let cx = context("pins_create", RetryPolicy::default());
        let err = run_transport(request_to(Method::POST, &url), &cx).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connect);
        assert!(!err.write_outcome_unknown());
    }
}
