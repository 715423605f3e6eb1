//! The defects of the hardening review (issue 14), each shown fixed end to
//! end against mock servers: token races and ordering, the token
//! endpoint's redirects, transfers, polling, and bulk outcomes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use httpmock::prelude::*;
use pinterest_ext::bulk::{BulkOptions, Entry, Journal, Outcome};
use pinterest_ext::jobs::{JobState, JobStatus, PollPolicy, wait_for};
use pinterest_ext::testing::MockPinterest;
use pinterest_ext::{
    AppCredentials, Client, ErrorKind, MemoryStore, NewPin, OAuth, Token, TokenPrecedence,
    TokenStore, TransferPolicy,
};
use secrecy::ExposeSecret;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn creds() -> AppCredentials {
    AppCredentials::new("app-id", "app-secret-value")
}

fn token_body(access: &str, refresh: &str) -> serde_json::Value {
    json!({
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "bearer",
        "expires_in": 2_592_000,
        "refresh_token_expires_in": 5_184_000,
        "scope": "boards:read,pins:read"
    })
}

fn expired(access: &str, refresh: &str) -> Token {
    Token::new(access)
        .with_refresh_token(refresh)
        .with_expires_at(Utc::now() - chrono::Duration::minutes(1))
}

async fn user_account_ok<'a>(pinterest: &'a MockPinterest, bearer: &str) -> httpmock::Mock<'a> {
    let bearer = format!("Bearer {bearer}");
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user_account")
                .header("authorization", bearer);
            then.status(200).json_body(json!({"username": "cook"}));
        })
        .await
}

async fn client_with(
    pinterest: &MockPinterest,
    token: Token,
    store: Arc<dyn TokenStore>,
) -> Client {
    pinterest
        .client_builder()
        .credentials(creds())
        .token(token)
        .token_store_arc(store)
        .build()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_caller_that_gives_up_does_not_lose_the_rotated_refresh_token() {
    let pinterest = MockPinterest::start().await;
    let refresh = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .form_urlencoded_tuple("refresh_token", "pinr_OLD");
            then.status(200)
                .delay(Duration::from_millis(300))
                .json_body(token_body("pina_NEW", "pinr_NEW"));
        })
        .await;
    let store = Arc::new(MemoryStore::new());
    let client = client_with(&pinterest, expired("pina_OLD", "pinr_OLD"), store.clone()).await;
    // The caller gives up while Pinterest is rotating the refresh token.
    let gave_up =
        tokio::time::timeout(Duration::from_millis(50), client.user_account_get().send()).await;
    assert!(gave_up.is_err(), "the call was cancelled mid-refresh");
    // The refresh finishes on its own and is saved.
    for _ in 0..100 {
        if store
            .get()
            .and_then(|t| t.refresh_token().map(|r| r.expose_secret().to_string()))
            .as_deref()
            == Some("pinr_NEW")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        store
            .get()
            .unwrap()
            .refresh_token()
            .unwrap()
            .expose_secret(),
        "pinr_NEW"
    );
    assert_eq!(
        client.token().unwrap().access_token().expose_secret(),
        "pina_NEW"
    );
    refresh.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_refresh_uses_the_newest_refresh_token_known() {
    let pinterest = MockPinterest::start().await;
    let t0 = Utc::now() - chrono::Duration::hours(2);
    // This process holds R1; another process has since stored R2 (newer),
    // and both access tokens have expired.
    let mine = expired("pina_1", "pinr_R1").with_issued_at(t0);
    let theirs = expired("pina_2", "pinr_R2").with_issued_at(t0 + chrono::Duration::hours(1));
    let with_r2 = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .form_urlencoded_tuple("refresh_token", "pinr_R2");
            then.status(200).json_body(token_body("pina_3", "pinr_R3"));
        })
        .await;
    let with_r1 = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .form_urlencoded_tuple("refresh_token", "pinr_R1");
            then.status(400).json_body(
                json!({"code": 283, "message": "Invalid grant", "error": "invalid_grant"}),
            );
        })
        .await;
    user_account_ok(&pinterest, "pina_3").await;
    let store = Arc::new(MemoryStore::new());
    let client = client_with(&pinterest, mine, store.clone()).await;
    store.save(&theirs).await.unwrap();
    client
        .user_account_get()
        .send()
        .await
        .expect("refreshed with R2");
    with_r2.assert_calls_async(1).await;
    with_r1.assert_calls_async(0).await;
    assert_eq!(
        store
            .get()
            .unwrap()
            .refresh_token()
            .unwrap()
            .expose_secret(),
        "pinr_R3"
    );
}

#[tokio::test]
async fn an_older_stored_token_is_never_adopted_because_it_differs() {
    let pinterest = MockPinterest::start().await;
    let now = Utc::now();
    let newer =
        expired("pina_NEWER", "pinr_NEWER").with_issued_at(now - chrono::Duration::minutes(10));
    // Valid, but issued before the one in memory (a stale write).
    let older = Token::new("pina_OLDER")
        .with_refresh_token("pinr_OLDER")
        .with_expires_at(now + chrono::Duration::days(10))
        .with_issued_at(now - chrono::Duration::days(20));
    let refresh = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .form_urlencoded_tuple("refresh_token", "pinr_NEWER");
            then.status(200)
                .json_body(token_body("pina_FRESH", "pinr_FRESH"));
        })
        .await;
    user_account_ok(&pinterest, "pina_FRESH").await;
    let store = Arc::new(MemoryStore::new());
    let client = client_with(&pinterest, newer, store.clone()).await;
    store.save(&older).await.unwrap();
    client
        .user_account_get()
        .send()
        .await
        .expect("refreshed, not the older stored token");
    refresh.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_failed_early_refresh_keeps_using_the_still_valid_token_and_says_so() {
    let pinterest = MockPinterest::start().await;
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(500)
                .json_body(json!({"code": 1, "message": "down"}));
        })
        .await;
    let api = user_account_ok(&pinterest, "pina_VALID").await;
    // Valid for 2 more minutes: inside the 5-minute refresh skew.
    let token = Token::new("pina_VALID")
        .with_refresh_token("pinr_R")
        .with_expires_at(Utc::now() + chrono::Duration::minutes(2));
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let client = pinterest
        .client_builder()
        .credentials(creds())
        .token(token)
        .on_token_event(move |e| seen.lock().unwrap().push(format!("{e:?}")))
        .build()
        .await
        .unwrap();
    client
        .user_account_get()
        .send()
        .await
        .expect("the still-valid token was used");
    api.assert_calls_async(1).await;
    let events = events.lock().unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.contains("RefreshFailed") && e.contains("still_valid: true")),
        "{events:?}"
    );
}

#[tokio::test]
async fn which_token_wins_is_explicit() {
    let pinterest = MockPinterest::start().await;
    let stored = Token::new("pina_STORED").with_issued_at(Utc::now() - chrono::Duration::days(1));
    // A configured token without an issue time (from the environment).
    let configured = Token::new("pina_CONFIGURED");
    let build = |precedence| {
        let store = Arc::new(MemoryStore::with_token(stored.clone()));
        let builder = pinterest
            .client_builder()
            .token(configured.clone())
            .token_store_arc(store.clone())
            .token_precedence(precedence);
        async move { (builder.build().await.unwrap(), store) }
    };
    let current = |c: &Client| {
        c.token()
            .unwrap()
            .access_token()
            .expose_secret()
            .to_string()
    };
    let (c, _) = build(TokenPrecedence::Newest).await;
    assert_eq!(
        current(&c),
        "pina_STORED",
        "unordered: the store, written by refreshes, wins"
    );
    let (c, _) = build(TokenPrecedence::Stored).await;
    assert_eq!(current(&c), "pina_STORED");
    let (c, store) = build(TokenPrecedence::Configured).await;
    assert_eq!(current(&c), "pina_CONFIGURED");
    assert_eq!(
        store.get().unwrap().access_token().expose_secret(),
        "pina_CONFIGURED",
        "and saved"
    );
    // A configured token issued after the stored one wins by default.
    let fresh_login = Token::new("pina_LOGIN").with_issued_at(Utc::now());
    let c = pinterest
        .client_builder()
        .token(fresh_login)
        .token_store(MemoryStore::with_token(stored.clone()))
        .build()
        .await
        .unwrap();
    assert_eq!(current(&c), "pina_LOGIN");
}

#[tokio::test]
async fn the_token_endpoint_never_follows_a_redirect() {
    let pinterest = MockPinterest::start().await;
    let elsewhere = MockServer::start_async().await;
    let stolen = elsewhere
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(token_body("pina_X", "pinr_X"));
        })
        .await;
    let target = format!("{}/oauth/token", elsewhere.base_url());
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(307).header("location", target);
        })
        .await;
    let oauth = OAuth::new(creds(), &pinterest.base_url()).unwrap();
    let err = oauth
        .refresh(&expired("pina_OLD", "pinr_SECRET"))
        .await
        .unwrap_err();
    assert_eq!(
        stolen.calls_async().await,
        0,
        "the refresh token went to another host"
    );
    assert!(!err.to_string().contains("pinr_SECRET"), "{err}");
    let err = OAuth::new(creds(), &pinterest.base_url())
        .unwrap()
        .with_authorize_url("not a url")
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("authorize URL \"not a url\" is invalid"),
        "{err}"
    );
}

/// A server that sends response headers, a little body, then stalls.
async fn stalling_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let _ = s
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\npartial")
                    .await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    format!("http://{addr}")
}

async fn report_mocks(pinterest: &MockPinterest, url: &str, size: u64) {
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET).path("/ad_accounts/1/reports");
            then.status(200)
                .json_body(json!({"report_status": "FINISHED", "url": url, "size": size}));
        })
        .await;
}

fn report_job() -> pinterest_ext::jobs::Job {
    pinterest_ext::jobs::Job::AdsReport {
        ad_account_id: "1".into(),
        token: "tok".into(),
    }
}

#[tokio::test]
async fn a_stalled_download_ends_after_the_idle_timeout_not_the_request_timeout() {
    let pinterest = MockPinterest::start().await;
    let stalled = stalling_server().await;
    report_mocks(&pinterest, &format!("{stalled}/report.csv"), 1000).await;
    let client = pinterest
        .client_builder()
        .transfer_policy(
            TransferPolicy::default()
                .idle_timeout(Duration::from_millis(200))
                .allow_http_host("127.0.0.1"),
        )
        .build()
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut out = Vec::new();
    let err = client
        .download_job(&report_job(), &PollPolicy::fast(), &mut out)
        .await
        .unwrap_err();
    // Ended by the idle timeout (reqwest's read timeout or the watchdog,
    // whichever notices first), not by a whole-request timeout.
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn downloads_to_a_file_are_private_never_follow_links_and_check_the_size() {
    let pinterest = MockPinterest::start().await;
    let body = "date,spend\n2025-01-01,3\n";
    let file_server = MockServer::start_async().await;
    file_server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/report.csv")
                .query_param("X-Amz-Signature", "sig-secret");
            then.status(200).body(body);
        })
        .await;
    let url = format!(
        "{}/report.csv?X-Amz-Signature=sig-secret",
        file_server.base_url()
    );
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("report.csv");
    // The old code wrote to a predictable `report.csv.partial`: a link
    // planted there would have been followed and the victim truncated.
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep me").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&victim, dir.path().join("report.csv.partial")).unwrap();

    // Announced size differs: an error, and no file at the destination.
    report_mocks(&pinterest, &url, body.len() as u64 + 5).await;
    let client = pinterest.client().await;
    let err = client
        .download_job_to_file(&report_job(), &PollPolicy::fast(), &dest)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("incomplete or corrupt"), "{err}");
    assert!(
        !err.to_string().contains("sig-secret"),
        "no signed URL in errors: {err}"
    );
    assert!(!dest.exists());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");

    let pinterest = MockPinterest::start().await;
    report_mocks(&pinterest, &url, body.len() as u64).await;
    let client = pinterest.client().await;
    let n = client
        .download_job_to_file(&report_job(), &PollPolicy::fast(), &dest)
        .await
        .unwrap();
    assert_eq!(n, body.len() as u64);
    assert_eq!(std::fs::read_to_string(&dest).unwrap(), body);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&dest).unwrap().permissions().mode() & 0o077,
            0,
            "private"
        );
    }
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(
        leftovers, 3,
        "report.csv, victim and the planted link; no temp file"
    );
}

#[tokio::test]
async fn a_result_url_on_another_host_or_scheme_is_refused_before_any_request() {
    let pinterest = MockPinterest::start().await;
    report_mocks(
        &pinterest,
        "https://evil.example/leads.csv?X-Amz-Signature=secret",
        10,
    )
    .await;
    let client = pinterest.client().await;
    let err = client
        .download_job(&report_job(), &PollPolicy::fast(), &mut Vec::new())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("\"evil.example\", which is not an allowed host"),
        "{err}"
    );
    assert!(!err.to_string().contains("secret"), "{err}");
    let chain: Vec<String> = std::iter::successors(std::error::Error::source(&err), |e| e.source())
        .map(|e| e.to_string())
        .collect();
    assert!(chain.iter().all(|e| !e.contains("secret")), "{chain:?}");
}

#[tokio::test]
async fn a_zero_poll_delay_does_not_spin() {
    let polls = AtomicUsize::new(0);
    let policy = PollPolicy::new(Duration::ZERO, Duration::ZERO, Duration::from_millis(100));
    let err = wait_for(
        || async {
            polls.fetch_add(1, Ordering::SeqCst);
            Ok(JobStatus::new(JobState::InProgress))
        },
        &policy,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("still IN_PROGRESS"), "{err}");
    // At least 1 ms between polls: at most ~100 in 100 ms, not millions.
    assert!(
        polls.load(Ordering::SeqCst) <= 101,
        "{} polls",
        polls.load(Ordering::SeqCst)
    );
}

/// A journal whose writes fail.
#[derive(Debug)]
struct FullDisk;

impl Journal for FullDisk {
    fn load(
        &self,
    ) -> pinterest_ext::api::BoxFuture<
        '_,
        pinterest_ext::Result<std::collections::HashMap<String, Entry>>,
    > {
        Box::pin(async { Ok(Default::default()) })
    }
    fn record<'a>(
        &'a self,
        _: &'a Entry,
    ) -> pinterest_ext::api::BoxFuture<'a, pinterest_ext::Result<()>> {
        Box::pin(async {
            Err(pinterest_ext::Error::new(
                ErrorKind::Io,
                "no space left on device",
            ))
        })
    }
}

#[tokio::test]
async fn a_journal_write_that_fails_stops_the_item_before_it_is_sent() {
    let pinterest = MockPinterest::start().await;
    let create = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST).path("/pins");
            then.status(201).json_body(json!({"id": "1"}));
        })
        .await;
    let client = pinterest.client().await;
    let err = client
        .create_pins(
            vec![("a".into(), NewPin::from_image_url("1", "https://x/a.jpg"))],
            BulkOptions::default().journal_in(Arc::new(FullDisk)),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no space left"), "{err}");
    create.assert_calls_async(0).await;
}

#[tokio::test]
async fn any_5xx_on_create_is_unknown_and_any_2xx_is_created() {
    for (status, created) in [(507, false), (520, false), (202, true), (200, true)] {
        let pinterest = MockPinterest::start().await;
        pinterest
            .server()
            .mock_async(|when, then| {
                when.method(POST).path("/pins");
                then.status(status)
                    .json_body(json!({"id": "77", "code": 1, "message": "m"}));
            })
            .await;
        let client = pinterest.client().await;
        let report = client
            .create_pins(
                vec![("a".into(), NewPin::from_image_url("1", "https://x/a.jpg"))],
                BulkOptions::default(),
            )
            .await
            .unwrap();
        match (&report.items[0].outcome, created) {
            (Outcome::Created(id), true) => assert_eq!(id, "77"),
            (Outcome::Unknown(_), false) => {}
            (other, _) => panic!("{status}: {other:?}"),
        }
    }
}
