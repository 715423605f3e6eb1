//! Resilience: a fault table against GET and POST (attempts, error kind,
//! no POST sent twice when the first may have been processed), and the
//! rate limiter (per-category pace, independence, fairness, headers).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use httpmock::prelude::*;
use pinterest_ext::testing::{MockPinterest, fast_retry};
use pinterest_ext::{
    Client, Error, ErrorKind, Limit, LimitKey, Limiter, RateLimiter, RateLimits, RetryPolicy, Token,
};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server does to every request.
#[derive(Debug, Clone, Copy)]
enum Fault {
    Status(u16, &'static str, Option<&'static str>),
    Html502,
    InvalidJson,
    EmptyOk,
    Timeout,
    ResetMidResponse,
    TruncatedBody,
    Refused,
}

/// The operations the table runs: a GET and a POST.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Get,
    Post,
}

const PIN: &str = r#"{"id": "1", "board_id": "2"}"#;

/// A raw TCP server for the faults httpmock cannot produce (resets,
/// truncated bodies), counting connections that delivered a request.
async fn raw_server(fault: Fault) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                // Read only the start of the request: closing with unread
                // data in the socket makes the kernel send a reset.
                let mut first = [0u8; 16];
                if stream.read(&mut first).await.unwrap_or(0) == 0 {
                    return;
                }
                counter.fetch_add(1, Ordering::SeqCst);
                match fault {
                    Fault::ResetMidResponse => {
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"id\": \"1\", \"bo")
                            .await;
                        let _ = stream.flush().await;
                        drop(stream);
                    }
                    Fault::TruncatedBody => {
                        let mut rest = vec![0u8; 64 * 1024];
                        let _ =
                            tokio::time::timeout(Duration::from_millis(50), stream.read(&mut rest))
                                .await;
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"id\": \"1\"")
                            .await;
                        let _ = stream.shutdown().await;
                    }
                    other => unreachable!("{other:?} is served by httpmock"),
                }
            });
        }
    });
    (format!("http://{addr}"), hits)
}

/// The test kit's fast retries, following server hints of up to 100 ms.
fn policy() -> RetryPolicy {
    fast_retry().max_server_wait(Duration::from_millis(100))
}

async fn client_for(base: String) -> Client {
    Client::builder()
        .base_url(base)
        .token(Token::new("pina_test"))
        .retry(policy())
        .rate_limits(RateLimits::unlimited())
        .request_timeout(Duration::from_millis(300))
        .build()
        .await
        .unwrap()
}

async fn call(client: &Client, op: Op) -> Result<(), Error> {
    match op {
        Op::Get => client.pins_get().pin_id("1").send().await.map(drop),
        Op::Post => client
            .pins_create()
            .body(pinterest_ext::types::PinCreate {
                alt_text: None,
                board_id: Some("2".into()),
                board_section_id: None,
                description: None,
                dominant_color: None,
                link: None,
                media_source: Some(pinterest_ext::types::PinMediaSource::ImageUrl(
                    pinterest_ext::types::PinMediaSourceImageUrl {
                        is_standard: true,
                        source_type:
                            pinterest_ext::types::PinMediaSourceImageUrlSourceType::ImageUrl,
                        url: "https://example.com/a.jpg".into(),
                    },
                )),
                parent_pin_id: None,
                sponsor_id: None,
                title: Some("t".into()),
            })
            .send()
            .await
            .map(drop),
    }
}

/// Runs `fault` against `op`; returns (requests the server saw, error,
/// time taken). A refused connection reaches no server, so it has no hit
/// count (its attempts are counted by the client: `Error::attempts`).
async fn run(fault: Fault, op: Op) -> (Option<usize>, Error, Duration) {
    let started = std::time::Instant::now();
    let (hits, err) = run_inner(fault, op).await;
    (hits, err, started.elapsed())
}

async fn run_inner(fault: Fault, op: Op) -> (Option<usize>, Error) {
    let (method, path) = match op {
        Op::Get => (GET, "/pins/1"),
        Op::Post => (POST, "/pins"),
    };
    match fault {
        Fault::ResetMidResponse | Fault::TruncatedBody => {
            let (base, hits) = raw_server(fault).await;
            let err = call(&client_for(base).await, op).await.unwrap_err();
            (Some(hits.load(Ordering::SeqCst)), err)
        }
        Fault::Refused => {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let base = format!("http://{}", listener.local_addr().unwrap());
            drop(listener);
            let err = call(&client_for(base).await, op).await.unwrap_err();
            (None, err)
        }
        _ => {
            let pinterest = MockPinterest::start().await;
            let mock = pinterest
                .server()
                .mock_async(|when, then| {
                    when.method(method).path(path);
                    match fault {
                        Fault::Status(code, body, retry_after) => {
                            let then = then.status(code).header("content-type", "application/json").body(body);
                            if let Some(ra) = retry_after {
                                then.header("retry-after", ra);
                            }
                        }
                        Fault::Html502 => {
                            then.status(502)
                                .header("content-type", "text/html")
                                .body("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
                        }
                        Fault::InvalidJson => {
                            then.status(200).header("content-type", "application/json").body("{\"id\": 1,,}");
                        }
                        Fault::EmptyOk => {
                            then.status(200);
                        }
                        Fault::Timeout => {
                            then.status(200).delay(Duration::from_secs(2)).body(PIN);
                        }
                        _ => unreachable!(),
                    }
                })
                .await;
            let err = call(&client_for(pinterest.base_url()).await, op)
                .await
                .unwrap_err();
            (Some(mock.calls_async().await), err)
        }
    }
}

const RATE: &str = r#"{"code": 8, "message": "This request exceeded a rate limit."}"#;
const SERVER: &str = r#"{"code": 1, "message": "Internal error"}"#;
const RAMPED: &str = r#"{"code": 4197, "message": "The endpoint has been ramped down and is currently not accepting any traffic."}"#;

#[tokio::test]
async fn fault_table() {
    use ErrorKind::*;
    use Fault::*;
    // fault, (GET hits, kind), (POST hits, kind, outcome unknown); hits
    // are requests the server saw (`None`: no server, a refused connection).
    // A POST answered 200 took effect even when its body does not decode,
    // so it counts as "may have been created" (never safe to resend).
    type Get = (Option<usize>, ErrorKind);
    type Post = (Option<usize>, ErrorKind, bool);
    let table: Vec<(&str, Fault, Get, Post)> = vec![
        (
            "429 without Retry-After",
            Status(429, RATE, None),
            (Some(3), RateLimited),
            (Some(3), RateLimited, false),
        ),
        // A hint the policy follows (<= 100 ms): retried after it.
        (
            "429 with a short Retry-After",
            Status(429, RATE, Some("0.05")),
            (Some(3), RateLimited),
            (Some(3), RateLimited, false),
        ),
        // A hint longer than the policy follows: not slept, a typed error at once.
        (
            "429 with a long Retry-After",
            Status(429, RATE, Some("3600")),
            (Some(1), RateLimited),
            (Some(1), RateLimited, false),
        ),
        (
            "500",
            Status(500, SERVER, None),
            (Some(3), Server),
            (Some(1), Server, true),
        ),
        (
            "502",
            Status(502, SERVER, None),
            (Some(3), Server),
            (Some(1), Server, true),
        ),
        (
            "503",
            Status(503, SERVER, None),
            (Some(3), Server),
            (Some(1), Server, true),
        ),
        (
            "503 ramped down",
            Status(503, RAMPED, None),
            (Some(3), Server),
            (Some(3), Server, false),
        ),
        (
            "504",
            Status(504, SERVER, None),
            (Some(3), Server),
            (Some(1), Server, true),
        ),
        (
            "507",
            Status(507, SERVER, None),
            (Some(1), Server),
            (Some(1), Server, true),
        ),
        (
            "501",
            Status(501, SERVER, None),
            (Some(1), Server),
            (Some(1), Server, false),
        ),
        (
            "connection refused",
            Refused,
            (None, Connect),
            (None, Connect, false),
        ),
        (
            "reset mid-response",
            ResetMidResponse,
            (Some(3), Network),
            (Some(1), OutcomeUnknown, true),
        ),
        (
            "timeout",
            Fault::Timeout,
            (Some(3), ErrorKind::Timeout),
            (Some(1), OutcomeUnknown, true),
        ),
        (
            "truncated body",
            TruncatedBody,
            (Some(3), Network),
            (Some(1), OutcomeUnknown, true),
        ),
        (
            "invalid JSON",
            InvalidJson,
            (Some(1), Decode),
            (Some(1), Decode, true),
        ),
        (
            "HTML error page",
            Html502,
            (Some(3), Server),
            (Some(1), Server, true),
        ),
        (
            "empty body with 200",
            EmptyOk,
            (Some(1), Decode),
            (Some(1), Decode, true),
        ),
    ];
    let mut failures = Vec::new();
    for (name, fault, (get_hits, get_kind), (post_hits, post_kind, unknown)) in table {
        let (hits, err, took) = run(fault, Op::Get).await;
        if hits != get_hits || err.kind() != get_kind || err.operation() != Some("pins/get") {
            failures.push(format!(
                "GET {name}: {hits:?} hits, {:?}: {err}",
                err.kind()
            ));
        }
        // A refused connection is tried 3 times without reaching a server.
        let attempts = get_hits.unwrap_or(3);
        if err.attempts() as usize != attempts {
            failures.push(format!("GET {name}: {} attempts", err.attempts()));
        }
        check_timing(name, fault, &err, took, &mut failures);
        let (hits, err, took) = run(fault, Op::Post).await;
        if err.attempts() as usize != post_hits.unwrap_or(3) {
            failures.push(format!("POST {name}: {} attempts", err.attempts()));
        }
        if hits != post_hits || err.kind() != post_kind || err.write_outcome_unknown() != unknown {
            failures.push(format!(
                "POST {name}: {hits:?} hits, {:?}, outcome unknown {}: {err}",
                err.kind(),
                err.write_outcome_unknown()
            ));
        }
        check_timing(name, fault, &err, took, &mut failures);
        if let Html502 = fault {
            assert!(
                err.body_excerpt().unwrap().contains("502 Bad Gateway"),
                "{err}"
            );
        }
        if let InvalidJson | EmptyOk = fault {
            assert!(err.body().is_some(), "{name}: {err}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(200), "{name}");
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The Retry-After rows: a followed hint makes the call wait for it (two
/// waits of 50 ms), a longer one ends the call at once with `retry_at`.
fn check_timing(name: &str, fault: Fault, err: &Error, took: Duration, failures: &mut Vec<String>) {
    match fault {
        Fault::Status(429, _, Some("0.05")) => {
            if took < Duration::from_millis(100) {
                failures.push(format!(
                    "{name}: took {took:?}, less than the two 50 ms waits asked for"
                ));
            }
            if err.retry_after() != Some(Duration::from_millis(50)) {
                failures.push(format!("{name}: retry_after {:?}", err.retry_after()));
            }
        }
        Fault::Status(429, _, Some("3600")) => {
            let left = err
                .retry_at()
                .and_then(|at| at.duration_since(std::time::SystemTime::now()).ok())
                .unwrap_or_default();
            if !(Duration::from_secs(3500)..=Duration::from_secs(3600)).contains(&left) {
                failures.push(format!(
                    "{name}: retry_at is {left:?} away, not about an hour"
                ));
            }
            // Not slept: well under the hour (and under a second).
            if took >= Duration::from_secs(1) {
                failures.push(format!("{name}: took {took:?}; the hint must not be slept"));
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn per_call_policy_overrides_the_client_policy() {
    let pinterest = MockPinterest::start().await;
    let mock = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET).path("/pins/1");
            then.status(503).body(SERVER);
        })
        .await;
    let client = pinterest.client().await;
    let err: Error = client
        .with_retry(pinterest_ext::RetryPolicy::none())
        .pins_get()
        .pin_id("1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    mock.assert_calls_async(1).await;
    let _ = client.pins_get().pin_id("1").send().await;
    mock.assert_calls_async(4).await;
}

#[tokio::test]
async fn retries_resend_the_same_body() {
    let pinterest = MockPinterest::start().await;
    let limited = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/pins")
                .json_body_includes(r#"{"title": "t"}"#);
            then.status(429).header("retry-after", "0").body(RATE);
        })
        .await;
    let err = call(&pinterest.client().await, Op::Post).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    limited.assert_calls_async(3).await;
}

fn far() -> tokio::time::Instant {
    tokio::time::Instant::now() + Duration::from_secs(3600)
}

#[tokio::test(start_paused = true)]
async fn concurrent_tasks_never_exceed_the_rate_and_share_it_fairly() {
    let limiter = Arc::new(RateLimiter::new(
        RateLimits::unlimited().category("org_write", Limit::per_second(10)),
    ));
    let start = tokio::time::Instant::now();
    let tasks = (0..4).map(|task| {
        let limiter = limiter.clone();
        tokio::spawn(async move {
            let mut times = Vec::new();
            for _ in 0..10 {
                limiter
                    .acquire(&LimitKey::category(Some("org_write")), far())
                    .await
                    .unwrap();
                times.push((start.elapsed(), task));
            }
            times
        })
    });
    let mut grants: Vec<(Duration, usize)> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .flat_map(|t| t.unwrap())
        .collect();
    grants.sort();
    assert_eq!(grants.len(), 40);
    // No 1-second window holds more than 10 grants (+1 for the window edge).
    for (i, (t, _)) in grants.iter().enumerate() {
        let in_window = grants[i..]
            .iter()
            .take_while(|(u, _)| *u < *t + Duration::from_secs(1))
            .count();
        assert!(
            in_window <= 10,
            "{in_window} grants in the second after {t:?}"
        );
    }
    assert_eq!(grants.last().unwrap().0, Duration::from_millis(3900));
    // Fair: in every stretch of 8 grants, each of the 4 tasks got some.
    for chunk in grants.chunks(8) {
        for task in 0..4 {
            assert!(
                chunk.iter().any(|(_, t)| *t == task),
                "task {task} starved in {chunk:?}"
            );
        }
    }
    // Another category is not held up.
    let before = tokio::time::Instant::now();
    limiter
        .acquire(&LimitKey::category(Some("org_read")), far())
        .await
        .unwrap();
    assert_eq!(before.elapsed(), Duration::ZERO);
}

#[tokio::test]
async fn the_client_paces_a_category_without_blocking_another() {
    let pinterest = MockPinterest::start().await;
    let pins = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET).path("/pins/1");
            then.status(200).body(PIN);
        })
        .await;
    // pins/get is org_read; limit it to 20/s and check that a call of
    // another category (ads_read) does not queue behind it.
    let limits = RateLimits::unlimited().category("org_read", Limit::per_second(20));
    let client = pinterest
        .client_builder()
        .rate_limits(limits)
        .build()
        .await
        .unwrap();
    let ads = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET).path("/ad_accounts");
            then.status(200).json_body(json!({"items": []}));
        })
        .await;
    let started = std::time::Instant::now();
    let calls: Vec<_> = (0..21)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.pins_get().pin_id("1").send().await.map(drop) })
        })
        .collect();
    tokio::task::yield_now().await;
    client.ad_accounts_list().send().await.unwrap();
    // Ordering, not wall-clock bounds: when the ads call is back, the
    // org_read queue (a second's worth) is far from drained.
    let served = pins.calls_async().await;
    assert!(
        served < 15,
        "ads_read waited on org_read: {served} org_read calls were served first"
    );
    for c in futures::future::join_all(calls).await {
        c.unwrap().unwrap();
    }
    // 1 immediately, 20 more at 50 ms each (a lower bound: load only adds).
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    ads.assert_async().await;
}

/// A server answering `/pins/1` with `X-RateLimit-Remaining: 0` and the
/// given reset.
async fn exhausted(reset: &str) -> (MockPinterest, Client) {
    let pinterest = MockPinterest::start().await;
    let reset = reset.to_string();
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET).path("/pins/1");
            then.status(200)
                .header("x-ratelimit-limit", "100")
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", reset)
                .body(PIN);
        })
        .await;
    let client = pinterest.client().await;
    (pinterest, client)
}

#[tokio::test]
async fn rate_limit_headers_pause_the_category_until_reset() {
    let (_pinterest, client) = exhausted("0.4").await;
    client.pins_get().pin_id("1").send().await.unwrap();
    let started = std::time::Instant::now();
    client.pins_get().pin_id("1").send().await.unwrap();
    // A lower bound only: a loaded machine makes it longer, never shorter.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(390), "{waited:?}");
}

#[tokio::test]
async fn every_shape_of_reset_header_gives_a_bounded_wait() {
    use std::time::{SystemTime, UNIX_EPOCH};
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let reset_ms = now + Duration::from_millis(600);
    let reset_s = Duration::from_secs(now.as_secs() + 1);
    let epoch_ms = reset_ms.as_millis().to_string();
    let epoch_s = reset_s.as_secs().to_string();
    // (reset, the second call may not finish before, it fails as rate limited)
    let cases: Vec<(&str, Option<SystemTime>, bool)> = vec![
        ("1e20", None, false), // no meaning: ignored
        ("inf", None, false),  // not finite: ignored
        ("NaN", None, false),
        ("-5", None, false),                             // negative: ignored
        ("86400", None, true), // a day: past the call's budget, a typed error at once
        (&epoch_ms, Some(UNIX_EPOCH + reset_ms), false), // Unix milliseconds
        (&epoch_s, Some(UNIX_EPOCH + reset_s), false), // Unix seconds
    ];
    for (reset, not_before, limited) in cases {
        let (_pinterest, client) = exhausted(reset).await;
        client.pins_get().pin_id("1").send().await.unwrap();
        let second = client.pins_get().pin_id("1").send().await;
        // Waited for the reset instant itself (whatever the set-up took).
        if let Some(at) = not_before {
            let early = at.duration_since(SystemTime::now()).unwrap_or_default();
            assert!(
                early <= Duration::from_millis(5),
                "reset {reset}: finished {early:?} before the reset"
            );
        }
        match second {
            Ok(_) => assert!(!limited, "reset {reset}: expected a rate-limit error"),
            Err(e) => {
                assert!(limited, "reset {reset}: {e}");
                assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
                assert_eq!(e.attempts(), 0, "not sent: {e}");
                let left = e
                    .retry_at()
                    .unwrap()
                    .duration_since(SystemTime::now())
                    .unwrap();
                assert!(left > Duration::from_secs(86_000), "{left:?}");
            }
        }
    }
}

#[tokio::test]
async fn sandbox_refuses_operations_it_does_not_serve_before_sending() {
    let pinterest = MockPinterest::start().await;
    let any = pinterest
        .server()
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let client = pinterest
        .client_builder()
        .environment(pinterest_ext::Environment::Sandbox)
        .build()
        .await
        .unwrap();
    // pins/analytics is x-sandbox: disabled in 5.23.0.
    let op = pinterest_ext::api::Operation::by_id("pins/analytics").unwrap();
    assert_eq!(op.sandbox, pinterest_ext::api::Sandbox::Disabled);
    let err: Error = client
        .pins_analytics()
        .pin_id("1")
        .start_date(chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
        .end_date(chrono::NaiveDate::from_ymd_opt(2025, 1, 2).unwrap())
        .metric_types(vec![
            pinterest_ext::types::PinsAnalyticsMetricTypesItem::Variant1(
                pinterest_ext::types::PinsAnalyticsMetricTypesItemVariant1::Impression,
            ),
        ])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SandboxUnsupported);
    assert!(err.to_string().contains("x-sandbox: disabled"), "{err}");
    any.assert_calls_async(0).await;
}

/// A generated method called through `pinterest_ext::Client` (`Deref` to
/// the generated client) returns the one error type: the kind, status,
/// code and operation are there to match on, with no conversion.
#[tokio::test]
async fn a_generated_method_through_the_client_returns_the_one_error_type() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v5/pins/404");
            then.status(404)
                .header("x-pinterest-rid", "req-404")
                .json_body(json!({"code": 50, "message": "Pin not found."}));
        })
        .await;
    let client = client_for(server.url("/v5")).await;
    let outcome: Result<_, pinterest_api::Error> = client.pins_get().pin_id("404").send().await;
    match outcome {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            assert_eq!(e.status().map(|s| s.as_u16()), Some(404));
            assert_eq!(e.code(), Some(50));
            assert_eq!(e.message(), Some("Pin not found."));
            assert_eq!(e.request_id(), Some("req-404"));
            assert_eq!(e.operation(), Some("pins/get"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}
