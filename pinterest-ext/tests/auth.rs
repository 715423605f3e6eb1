//! OAuth flows and the token lifecycle against a mock Pinterest
//! (httpmock): code exchange, refresh with rotation, client credentials,
//! single-flight refresh, 401 replay, stores, login, and no secret in any
//! output.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use httpmock::prelude::*;
use pinterest_ext::testing::MockPinterest;
use pinterest_ext::{
    AppCredentials, Client, ErrorKind, FileStore, LoginFlow, LoginOptions, MemoryStore, OAuth,
    Scope, Token, TokenStore,
};
use secrecy::ExposeSecret;
use serde_json::json;

const APP_ID: &str = "app-id";
const APP_SECRET: &str = "app-secret-value";
/// base64("app-id:app-secret-value")
const BASIC: &str = "Basic YXBwLWlkOmFwcC1zZWNyZXQtdmFsdWU=";

fn creds() -> AppCredentials {
    AppCredentials::new(APP_ID, APP_SECRET)
}

fn token_body(access: &str, refresh: Option<&str>) -> serde_json::Value {
    let mut body = json!({
        "access_token": access,
        "token_type": "bearer",
        "expires_in": 2_592_000,
        "refresh_token_expires_in": 5_184_000,
        "refresh_token_expires_at": Utc::now().timestamp() + 5_184_000,
        "scope": "boards:read,pins:read,user_accounts:read,ads:read,catalogs:read",
        "response_type": "refresh_token"
    });
    if let Some(r) = refresh {
        body["refresh_token"] = json!(r);
    }
    body
}

/// The token endpoint, answering every request with a new token.
async fn token_endpoint<'a>(
    pinterest: &'a MockPinterest,
    access: &str,
    refresh: Option<&str>,
) -> httpmock::Mock<'a> {
    let body = token_body(access, refresh);
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(200).json_body(body);
        })
        .await
}

fn expired(access: &str, refresh: &str) -> Token {
    Token::new(access)
        .with_refresh_token(refresh)
        .with_expires_at(Utc::now() - chrono::Duration::minutes(1))
}

async fn refreshing_client(
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
        .expect("client")
}

#[tokio::test]
async fn code_exchange_sends_basic_auth_and_form_fields() {
    let pinterest = MockPinterest::start().await;
    let mock = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("authorization", BASIC)
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("grant_type", "authorization_code")
                .form_urlencoded_tuple("code", "the-code")
                .form_urlencoded_tuple("redirect_uri", "http://localhost:8085/");
            then.status(200)
                .json_body(token_body("pina_A", Some("pinr_A")));
        })
        .await;
    let oauth = OAuth::new(creds(), &pinterest.base_url())
        .unwrap()
        .with_redirect_uri("http://localhost:8085/");
    let token = oauth.exchange_code("the-code").await.expect("token");
    mock.assert_async().await;
    assert_eq!(token.access_token().expose_secret(), "pina_A");
    assert_eq!(token.refresh_token().unwrap().expose_secret(), "pinr_A");
    assert_eq!(
        token.scopes(),
        [
            Scope::BoardsRead,
            Scope::PinsRead,
            Scope::UserAccountsRead,
            Scope::AdsRead,
            Scope::CatalogsRead
        ]
    );
    let expires = token.expires_at().unwrap() - Utc::now();
    assert!(expires > chrono::Duration::days(29) && expires <= chrono::Duration::days(30));
    let refresh_expires = token.refresh_token_expires_at().unwrap() - Utc::now();
    assert!(refresh_expires > chrono::Duration::days(59));
}

#[test]
fn authorize_url_has_every_parameter() {
    let oauth = OAuth::new(creds(), "https://api.pinterest.com/v5")
        .unwrap()
        .with_redirect_uri("http://localhost:8085/cb");
    let auth = oauth.authorize_url(&[Scope::BoardsRead, Scope::PinsWriteSecret], Some("st4te"));
    assert_eq!(auth.url.host_str(), Some("www.pinterest.com"));
    assert_eq!(auth.url.path(), "/oauth/");
    let q: Vec<(String, String)> = auth.url.query_pairs().into_owned().collect();
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("client_id"), Some(APP_ID));
    assert_eq!(get("redirect_uri"), Some("http://localhost:8085/cb"));
    assert_eq!(get("response_type"), Some("code"));
    assert_eq!(get("scope"), Some("boards:read,pins:write_secret"));
    assert_eq!(get("state"), Some("st4te"));
    let random = oauth.authorize_url(&[Scope::BoardsRead], None);
    assert!(random.state.len() >= 16);
    assert_ne!(
        random.state,
        oauth.authorize_url(&[Scope::BoardsRead], None).state
    );
}

#[tokio::test]
async fn refresh_sends_continuous_refresh_and_keeps_the_rotated_refresh_token() {
    let pinterest = MockPinterest::start().await;
    let mock = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("authorization", BASIC)
                .form_urlencoded_tuple("grant_type", "refresh_token")
                .form_urlencoded_tuple("refresh_token", "pinr_OLD")
                .form_urlencoded_tuple("continuous_refresh", "true");
            then.status(200)
                .json_body(token_body("pina_NEW", Some("pinr_ROTATED")));
        })
        .await;
    let oauth = OAuth::new(creds(), &pinterest.base_url()).unwrap();
    let token = oauth
        .refresh(&expired("pina_OLD", "pinr_OLD"))
        .await
        .expect("refreshed");
    mock.assert_async().await;
    assert_eq!(token.access_token().expose_secret(), "pina_NEW");
    assert_eq!(
        token.refresh_token().unwrap().expose_secret(),
        "pinr_ROTATED"
    );
}

#[tokio::test]
async fn refresh_without_a_new_refresh_token_keeps_the_old_one() {
    let pinterest = MockPinterest::start().await;
    token_endpoint(&pinterest, "pina_NEW", None).await;
    let oauth = OAuth::new(creds(), &pinterest.base_url()).unwrap();
    let token = oauth
        .refresh(&expired("pina_OLD", "pinr_OLD"))
        .await
        .unwrap();
    assert_eq!(token.refresh_token().unwrap().expose_secret(), "pinr_OLD");
}

#[tokio::test]
async fn client_credentials_gets_and_uses_an_app_token() {
    let pinterest = MockPinterest::start().await;
    let token_mock = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("authorization", BASIC)
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("scope", "ads:read,catalogs:read");
            then.status(200).json_body(token_body("pina_APP", None));
        })
        .await;
    let api = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET)
                .path("/ad_accounts")
                .header("authorization", "Bearer pina_APP");
            then.status(200)
                .json_body(json!({"items": [], "bookmark": null}));
        })
        .await;
    let client = Client::builder()
        .base_url(pinterest.base_url())
        .credentials(creds())
        .client_credentials(vec![Scope::AdsRead, Scope::CatalogsRead])
        .retry(pinterest_ext::testing::fast_retry())
        .build()
        .await
        .unwrap();
    client.ad_accounts_list().send().await.expect("listed");
    client
        .ad_accounts_list()
        .send()
        .await
        .expect("listed again");
    token_mock.assert_calls_async(1).await;
    api.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_hundred_concurrent_calls_with_an_expired_token_refresh_once() {
    let pinterest = MockPinterest::start().await;
    let refresh = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .form_urlencoded_tuple("refresh_token", "pinr_OLD");
            then.status(200)
                .delay(Duration::from_millis(50))
                .json_body(token_body("pina_NEW", Some("pinr_NEW")));
        })
        .await;
    let api = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user_account")
                .header("authorization", "Bearer pina_NEW");
            then.status(200).json_body(json!({"username": "cook"}));
        })
        .await;
    let store = Arc::new(MemoryStore::new());
    let client =
        refreshing_client(&pinterest, expired("pina_OLD", "pinr_OLD"), store.clone()).await;
    let calls = (0..100).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .user_account_get()
                .send()
                .await
                .map(|r| r.into_inner())
        })
    });
    for call in futures::future::join_all(calls).await {
        let me = call.unwrap().expect("every call succeeds");
        assert_eq!(me.username.as_deref(), Some("cook"));
    }
    refresh.assert_calls_async(1).await;
    api.assert_calls_async(100).await;
    assert_eq!(
        store
            .get()
            .unwrap()
            .refresh_token()
            .unwrap()
            .expose_secret(),
        "pinr_NEW"
    );
}

#[tokio::test]
async fn a_401_triggers_one_refresh_and_one_replay() {
    let pinterest = MockPinterest::start().await;
    let refresh = token_endpoint(&pinterest, "pina_NEW", Some("pinr_NEW")).await;
    let rejected = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/boards")
                .header("authorization", "Bearer pina_OLD");
            then.status(401)
                .json_body(json!({"code": 2, "message": "Authentication failed."}));
        })
        .await;
    let accepted = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/boards")
                .header("authorization", "Bearer pina_NEW")
                .json_body_includes(r#"{"name": "Replayed"}"#);
            then.status(201)
                .json_body(json!({"id": "1", "name": "Replayed"}));
        })
        .await;
    let token = Token::new("pina_OLD").with_refresh_token("pinr_OLD");
    let client = refreshing_client(&pinterest, token, Arc::new(MemoryStore::new())).await;
    let board = client
        .boards_create()
        .body(pinterest_ext::types::BoardCreate {
            name: "Replayed".into(),
            description: None,
            is_ads_only: false,
            privacy: pinterest_ext::types::BoardPrivacy::Public,
        })
        .send()
        .await
        .expect("replayed with the new token");
    assert_eq!(board.name.as_deref(), Some("Replayed"));
    rejected.assert_calls_async(1).await;
    refresh.assert_calls_async(1).await;
    accepted.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_second_401_is_returned_not_looped() {
    let pinterest = MockPinterest::start().await;
    let refresh = token_endpoint(&pinterest, "pina_NEW", Some("pinr_NEW")).await;
    let api = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET).path("/user_account");
            then.status(401)
                .header("x-pinterest-rid", "rid-123")
                .json_body(json!({"code": 2, "message": "Authentication failed."}));
        })
        .await;
    let token = Token::new("pina_OLD").with_refresh_token("pinr_OLD");
    let client = refreshing_client(&pinterest, token, Arc::new(MemoryStore::new())).await;
    let err: pinterest_ext::Error = client.user_account_get().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(err.code(), Some(2));
    assert_eq!(err.request_id(), Some("rid-123"));
    assert_eq!(err.operation(), Some("user_account/get"));
    // The advice is separate from the one-line message (and in `{:#}`).
    assert!(err.advice().contains("authorize again"), "{err:#}");
    assert!(format!("{err:#}").contains("authorize again"), "{err:#}");
    api.assert_calls_async(2).await;
    refresh.assert_calls_async(1).await;
}

#[tokio::test]
async fn invalid_grant_is_a_typed_error_that_says_to_log_in_again() {
    for body in [
        json!({"code": 283, "message": "Refresh token is invalid or has expired."}),
        json!({"error": "invalid_grant", "error_description": "expired"}),
    ] {
        let pinterest = MockPinterest::start().await;
        pinterest
            .server()
            .mock_async(|when, then| {
                when.method(POST).path("/oauth/token");
                then.status(400).json_body(body.clone());
            })
            .await;
        let client = refreshing_client(
            &pinterest,
            expired("pina_OLD", "pinr_OLD"),
            Arc::new(MemoryStore::new()),
        )
        .await;
        let err: pinterest_ext::Error = client.user_account_get().send().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidGrant, "{body}: {err}");
        assert!(
            err.advice().contains("run the OAuth login again"),
            "{err:#}"
        );
    }
}

/// A store whose saves fail after the first `ok_saves`.
#[derive(Debug)]
struct FlakyStore {
    inner: MemoryStore,
    ok_saves: Mutex<u32>,
}

impl TokenStore for FlakyStore {
    fn load(&self) -> pinterest_ext::api::BoxFuture<'_, pinterest_ext::Result<Option<Token>>> {
        self.inner.load()
    }
    fn save<'a>(
        &'a self,
        token: &'a Token,
    ) -> pinterest_ext::api::BoxFuture<'a, pinterest_ext::Result<()>> {
        let mut left = self.ok_saves.lock().unwrap();
        if *left == 0 {
            return Box::pin(async {
                Err(pinterest_ext::Error::new(
                    ErrorKind::TokenStore,
                    "disk full",
                ))
            });
        }
        *left -= 1;
        self.inner.save(token)
    }
}

#[tokio::test]
async fn a_failed_save_keeps_the_new_token_and_reports_the_failure() {
    let pinterest = MockPinterest::start().await;
    let refresh = token_endpoint(&pinterest, "pina_NEW", Some("pinr_NEW")).await;
    let api = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user_account")
                .header("authorization", "Bearer pina_NEW");
            then.status(200).json_body(json!({"username": "cook"}));
        })
        .await;
    let store = Arc::new(FlakyStore {
        inner: MemoryStore::new(),
        ok_saves: Mutex::new(1), // the initial seed succeeds, the refresh's save fails
    });
    let client = refreshing_client(&pinterest, expired("pina_OLD", "pinr_OLD"), store).await;
    let err: pinterest_ext::Error = client.user_account_get().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TokenStore);
    assert!(err.to_string().contains("kept in memory"), "{err}");
    assert!(err.to_string().contains("disk full"), "{err}");
    let kept = client.token().unwrap();
    assert_eq!(kept.access_token().expose_secret(), "pina_NEW");
    assert_eq!(kept.refresh_token().unwrap().expose_secret(), "pinr_NEW");
    client
        .user_account_get()
        .send()
        .await
        .expect("the kept token works");
    refresh.assert_calls_async(1).await;
    api.assert_calls_async(1).await;
}

#[tokio::test]
async fn file_store_is_private_atomic_and_loud_about_corruption() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("token.json");
    let store = FileStore::new(&path);
    assert!(store.load().await.unwrap().is_none());

    store
        .save(&Token::new("pina_ONE").with_refresh_token("pinr_ONE"))
        .await
        .unwrap();
    store
        .save(&Token::new("pina_TWO").with_refresh_token("pinr_TWO"))
        .await
        .unwrap();
    let loaded = store.load().await.unwrap().unwrap();
    assert_eq!(loaded.access_token().expose_secret(), "pina_TWO");
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["token.json"], "no temporary files remain");
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        // Replacement is a rename: the file is a new inode, never rewritten in place.
        let inode = meta.ino();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        store.save(&Token::new("pina_THREE")).await.unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_ne!(meta.ino(), inode);
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }

    // The secret is the malformed value itself: serde's own message quotes
    // it (checked here, so this test would fail if the store passed that
    // message on), and the store's error must not.
    let malformed = r#"{"access_token": "pina_x", "scopes": "pina_SECRET_IN_FILE"}"#;
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Shape {
        access_token: String,
        scopes: Vec<String>,
    }
    let serde_message = serde_json::from_str::<Shape>(malformed)
        .unwrap_err()
        .to_string();
    assert!(
        serde_message.contains("pina_SECRET_IN_FILE"),
        "{serde_message}"
    );
    std::fs::write(&path, malformed).unwrap();
    let err = store.load().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TokenStore);
    let text = err.to_string();
    assert!(
        text.contains("malformed") && text.contains("token.json"),
        "{text}"
    );
    assert!(!text.contains("pina_SECRET_IN_FILE"), "{text}");
    std::fs::write(&path, "{not json").unwrap();
    assert!(
        store
            .load()
            .await
            .unwrap_err()
            .to_string()
            .contains("not valid JSON")
    );

    let unreadable = FileStore::new(dir.path());
    let err = unreadable.load().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TokenStore);
    assert!(
        err.to_string().contains("cannot read the token file"),
        "{err}"
    );
}

async fn browser_get(url: &str) -> (u16, String) {
    let response = reqwest::get(url).await.expect("callback reachable");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

fn callback(flow: &LoginFlow, query: &str) -> String {
    format!("{}?{query}", flow.redirect_uri())
}

#[tokio::test]
async fn login_helper_works_end_to_end_with_a_simulated_browser() {
    let pinterest = MockPinterest::start().await;
    let oauth = OAuth::new(creds(), &pinterest.base_url())
        .unwrap()
        .with_redirect_uri("http://127.0.0.1:0/callback");
    let options = LoginOptions::new(vec![Scope::BoardsRead, Scope::PinsRead]).print_url(false);
    let flow = LoginFlow::start(&oauth, &options).await.expect("listening");
    let redirect = flow.redirect_uri().to_string();
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"));
    let exchange = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .form_urlencoded_tuple("code", "granted-code")
                .form_urlencoded_tuple("redirect_uri", redirect.as_str());
            then.status(200)
                .json_body(token_body("pina_LOGIN", Some("pinr_LOGIN")));
        })
        .await;
    let url = flow.authorize_url().clone();
    let state = url
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    assert_eq!(
        url.query_pairs()
            .find(|(k, _)| k == "redirect_uri")
            .unwrap()
            .1,
        redirect
    );
    let store = MemoryStore::new();
    let browser = {
        let favicon = format!("{}/favicon.ico", redirect.trim_end_matches("/callback"));
        let good = callback(&flow, &format!("code=granted-code&state={state}"));
        tokio::spawn(async move {
            let (status, _) = browser_get(&favicon).await;
            assert_eq!(status, 404);
            browser_get(&good).await
        })
    };
    let token = flow
        .finish(&store, Duration::from_secs(10))
        .await
        .expect("logged in");
    let (status, page) = browser.await.unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("authorized"));
    assert_eq!(token.access_token().expose_secret(), "pina_LOGIN");
    assert_eq!(
        store.get().unwrap().access_token().expose_secret(),
        "pina_LOGIN"
    );
    exchange.assert_async().await;
}

fn state_of(flow: &LoginFlow) -> String {
    flow.authorize_url()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned()
}

#[tokio::test]
async fn a_redirect_without_this_logins_state_is_ignored_and_the_real_denial_ends_it() {
    let oauth = OAuth::new(creds(), "http://127.0.0.1:9")
        .unwrap()
        .with_redirect_uri("http://localhost:0/");
    let options = LoginOptions::new(vec![Scope::BoardsRead]).print_url(false);
    let flow = LoginFlow::start(&oauth, &options).await.unwrap();
    let forged = [
        callback(
            &flow,
            "error=access_denied&error_description=pwned&state=forged",
        ),
        callback(&flow, "error=access_denied"),
        callback(&flow, "code=attacker-code&state=forged"),
    ];
    let denial = callback(
        &flow,
        &format!("error=access_denied&state={}", state_of(&flow)),
    );
    let browser = tokio::spawn(async move {
        let mut pages = Vec::new();
        for url in forged {
            pages.push(browser_get(&url).await);
        }
        (pages, browser_get(&denial).await)
    });
    let err = flow
        .finish(&MemoryStore::new(), Duration::from_secs(10))
        .await
        .unwrap_err();
    let (ignored, real) = browser.await.unwrap();
    for (status, page) in ignored {
        assert_eq!(status, 400);
        assert!(
            page.contains("does not belong to the login in progress"),
            "{page}"
        );
        assert!(!page.contains("pwned"), "{page}");
    }
    // Only the redirect carrying this login's state ended it.
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.to_string().contains("access_denied"), "{err}");
    assert!(!err.to_string().contains("pwned"), "{err}");
    assert_eq!(real.0, 400);
    assert!(real.1.contains("Login cancelled"), "{}", real.1);
}

#[tokio::test]
async fn idle_and_slow_connections_do_not_stall_the_login() {
    let pinterest = MockPinterest::start().await;
    token_endpoint(&pinterest, "pina_LOGIN", Some("pinr_LOGIN")).await;
    let oauth = OAuth::new(creds(), &pinterest.base_url())
        .unwrap()
        .with_redirect_uri("http://127.0.0.1:0/cb");
    let flow = LoginFlow::start(&oauth, &LoginOptions::new(vec![]).print_url(false))
        .await
        .unwrap();
    let addr = flow
        .redirect_uri()
        .trim_start_matches("http://")
        .trim_end_matches("/cb")
        .to_string();
    // A preconnect that never speaks, and one that drips a byte at a time:
    // served one after the other, each would hold the login for 10 s.
    let idle = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let mut drip = tokio::net::TcpStream::connect(&addr).await.unwrap();
    use tokio::io::AsyncWriteExt;
    drip.write_all(b"G").await.unwrap();
    let good = callback(&flow, &format!("code=c&state={}", state_of(&flow)));
    let browser = tokio::spawn(async move { browser_get(&good).await });
    let token = tokio::time::timeout(
        Duration::from_secs(5),
        flow.finish(&MemoryStore::new(), Duration::from_secs(60)),
    )
    .await
    .expect("the login was not held up by idle connections")
    .unwrap();
    assert_eq!(token.access_token().expose_secret(), "pina_LOGIN");
    assert_eq!(browser.await.unwrap().0, 200);
    drop((idle, drip));
}

#[tokio::test]
async fn a_localhost_redirect_is_bound_on_both_address_families() {
    let oauth = OAuth::new(creds(), "http://127.0.0.1:9")
        .unwrap()
        .with_redirect_uri("http://localhost:0/");
    let flow = LoginFlow::start(&oauth, &LoginOptions::new(vec![]).print_url(false))
        .await
        .unwrap();
    let port: u16 = flow
        .redirect_uri()
        .trim_start_matches("http://localhost:")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    // Another local user can take neither address of the port.
    for host in ["127.0.0.1", "::1"] {
        let taken = std::net::TcpListener::bind((host, port));
        assert!(taken.is_err(), "{host}:{port} was free for someone else");
    }
}

#[tokio::test]
async fn the_browser_hears_of_success_only_after_the_code_exchange_succeeded() {
    let pinterest = MockPinterest::start().await;
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(400).json_body(
                json!({"code": 283, "message": "Invalid grant", "error": "invalid_grant"}),
            );
        })
        .await;
    let oauth = OAuth::new(creds(), &pinterest.base_url())
        .unwrap()
        .with_redirect_uri("http://127.0.0.1:0/");
    let flow = LoginFlow::start(&oauth, &LoginOptions::new(vec![]).print_url(false))
        .await
        .unwrap();
    let good = callback(
        &flow,
        &format!("code=expired-code&state={}", state_of(&flow)),
    );
    let browser = tokio::spawn(async move { browser_get(&good).await });
    let err = flow
        .finish(&MemoryStore::new(), Duration::from_secs(10))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidGrant, "{err}");
    let (status, page) = browser.await.unwrap();
    assert_eq!(status, 500);
    assert!(
        page.contains("Login failed") && !page.contains("authorized"),
        "{page}"
    );
}

#[tokio::test(start_paused = true)]
async fn login_times_out_with_advice() {
    let oauth = OAuth::new(creds(), "http://127.0.0.1:9")
        .unwrap()
        .with_redirect_uri("http://127.0.0.1:0/");
    let flow = LoginFlow::start(&oauth, &LoginOptions::new(vec![]))
        .await
        .unwrap();
    let err = flow
        .finish(&MemoryStore::new(), Duration::from_secs(300))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("no redirect arrived within 300s"),
        "{err}"
    );
}

/// Collects everything the tracing subscriber writes.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The process-wide subscriber of this test binary, writing everything
/// (every test's logs) to one capture. A thread-local `set_default` loses
/// events at random while other tests register callsites in parallel.
fn global_capture() -> Capture {
    static CAPTURE: std::sync::OnceLock<Capture> = std::sync::OnceLock::new();
    CAPTURE
        .get_or_init(|| {
            let capture = Capture::default();
            let writer = capture.clone();
            // Everything but the mock server, which logs the requests it
            // receives (tokens included) as a test server may.
            let subscriber = tracing_subscriber::fmt()
                .with_env_filter("trace,httpmock=off")
                .with_writer(move || writer.clone())
                .with_ansi(false)
                .finish();
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in this test binary");
            capture
        })
        .clone()
}

#[tokio::test]
async fn no_token_or_secret_appears_in_logs_debug_output_or_errors() {
    let capture = global_capture();

    let pinterest = MockPinterest::start().await;
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .form_urlencoded_tuple("refresh_token", "pinr_SECRET_OLD");
            then.status(200)
                .json_body(token_body("pina_SECRET_NEW", Some("pinr_SECRET_NEW")));
        })
        .await;
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .form_urlencoded_tuple("refresh_token", "pinr_SECRET_NEW");
            then.status(400)
                .json_body(json!({"code": 283, "message": "invalid grant"}));
        })
        .await;
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET).path("/user_account");
            then.status(401)
                .json_body(json!({"code": 2, "message": "Authentication failed."}));
        })
        .await;
    let store = Arc::new(MemoryStore::new());
    let client = refreshing_client(
        &pinterest,
        expired("pina_SECRET_OLD", "pinr_SECRET_OLD"),
        store.clone(),
    )
    .await;
    let mut outputs = vec![
        format!("{client:?}"),
        format!("{:?}", client.token()),
        format!("{store:?}"),
    ];
    // expired -> refresh -> 401 -> refresh again -> invalid grant
    let err: pinterest_ext::Error = client.user_account_get().send().await.unwrap_err();
    outputs.push(format!("{err}"));
    outputs.push(format!("{err:?}"));
    outputs.push(format!("{client:?}"));
    outputs.push(format!("{:?}", creds()));
    let oauth = OAuth::new(creds(), &pinterest.base_url()).unwrap();
    outputs.push(format!("{oauth:?}"));
    outputs.push(String::from_utf8_lossy(&capture.0.lock().unwrap()).into_owned());
    let all = outputs.join("\n");
    assert!(all.contains("pinterest.call"), "spans were captured: {all}");
    for secret in [
        "pina_SECRET_OLD",
        "pina_SECRET_NEW",
        "pinr_SECRET_OLD",
        "pinr_SECRET_NEW",
        APP_SECRET,
        "SECRET",
    ] {
        assert!(!all.contains(secret), "{secret} leaked:\n{all}");
    }
}
