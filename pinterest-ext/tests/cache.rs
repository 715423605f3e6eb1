//! The response cache end to end against a mock Pinterest: a dashboard
//! loop makes one request per resource within the TTLs, a pin update drops
//! exactly what it changed, accounts and tokens never share entries, and
//! `ETag`/`Cache-Control` are honoured.

use std::sync::Arc;
use std::time::Duration;

use httpmock::prelude::*;
use pinterest_ext::testing::MockPinterest;
use pinterest_ext::{CachePolicy, CacheStore, Client, MemoryCache, ResponseCache, Token};
use serde_json::json;

fn policy() -> CachePolicy {
    CachePolicy::default().ttl("boards/list_pins", Duration::from_secs(60))
}

async fn client(pinterest: &MockPinterest, cache: ResponseCache) -> Client {
    pinterest
        .client_builder()
        .cache(cache)
        .build()
        .await
        .unwrap()
}

/// One dashboard refresh: the account, its boards, one board, its pins,
/// one pin, and the account's analytics.
async fn dashboard(client: &Client) {
    client.user_account_get().send().await.unwrap();
    client.boards_list().send().await.unwrap();
    client.boards_get().board_id("7").send().await.unwrap();
    client
        .boards_list_pins()
        .board_id("7")
        .send()
        .await
        .unwrap();
    client.pins_get().pin_id("42").send().await.unwrap();
    client
        .user_account_analytics()
        .start_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap())
        .end_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
        .send()
        .await
        .unwrap();
}

struct Mocks<'a> {
    account: httpmock::Mock<'a>,
    boards: httpmock::Mock<'a>,
    board: httpmock::Mock<'a>,
    board_pins: httpmock::Mock<'a>,
    pin: httpmock::Mock<'a>,
    analytics: httpmock::Mock<'a>,
}

async fn mocks(server: &MockServer) -> Mocks<'_> {
    let get = |path: &'static str, body: serde_json::Value| {
        server.mock_async(move |when, then| {
            when.method(GET).path(path);
            then.status(200).json_body(body);
        })
    };
    Mocks {
        account: get(
            "/user_account",
            json!({"username": "cook", "account_type": "BUSINESS"}),
        )
        .await,
        boards: get(
            "/boards",
            json!({"items": [{"id": "7", "name": "Soups"}], "bookmark": null}),
        )
        .await,
        board: get("/boards/7", json!({"id": "7", "name": "Soups"})).await,
        board_pins: get(
            "/boards/7/pins",
            json!({"items": [{"id": "42", "board_id": "7"}], "bookmark": null}),
        )
        .await,
        pin: get(
            "/pins/42",
            json!({"id": "42", "board_id": "7", "title": "Pho"}),
        )
        .await,
        analytics: get(
            "/user_account/analytics",
            json!({"all": {"daily_metrics": []}}),
        )
        .await,
    }
}

impl Mocks<'_> {
    async fn calls(&self) -> [usize; 6] {
        [
            self.account.calls_async().await,
            self.boards.calls_async().await,
            self.board.calls_async().await,
            self.board_pins.calls_async().await,
            self.pin.calls_async().await,
            self.analytics.calls_async().await,
        ]
    }
}

#[tokio::test]
async fn a_dashboard_loop_is_served_from_the_cache_and_a_write_drops_what_it_changed() {
    dashboard_loop_with_an_update(ResponseCache::memory(policy(), 1 << 20)).await;
}

/// The same through the public `CacheStore` contract, as a store shared
/// between processes would be called (the in-memory store is otherwise
/// called directly).
#[tokio::test]
async fn the_same_through_a_store_behind_the_cache_store_trait() {
    let store: Arc<dyn CacheStore> = Arc::new(MemoryCache::new(1 << 20));
    dashboard_loop_with_an_update(ResponseCache::with_store(policy(), store)).await;
}

/// `PATCH /pins/42`, answered with the pin on board 7.
async fn pin_update(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(PATCH).path("/pins/42");
            then.status(200)
                .json_body(json!({"id": "42", "board_id": "7", "title": "Phở"}));
        })
        .await
}

/// A call made and dropped without being awaited does nothing: no
/// request, no cache lookup, no write.
#[tokio::test]
async fn a_call_dropped_unawaited_sends_nothing_and_reads_no_cache() {
    let pinterest = MockPinterest::start().await;
    let m = mocks(pinterest.server()).await;
    let update = pin_update(pinterest.server()).await;
    let client = client(&pinterest, ResponseCache::memory(policy(), 1 << 20)).await;
    client.pins_get().pin_id("42").send().await.unwrap();
    let before = client.cache_stats().unwrap();
    for _ in 0..3 {
        drop(client.pins_get().pin_id("42").send());
        drop(client.pins_get().pin_id("43").send());
        drop(
            client
                .pins_update()
                .pin_id("42")
                .body(pinterest_ext::types::PinUpdate::default())
                .send(),
        );
    }
    let after = client.cache_stats().unwrap();
    assert_eq!(
        (after.hits, after.misses, after.invalidations),
        (before.hits, before.misses, before.invalidations)
    );
    assert_eq!(m.pin.calls_async().await, 1);
    assert_eq!(update.calls_async().await, 0);
}

async fn dashboard_loop_with_an_update(cache: ResponseCache) {
    let pinterest = MockPinterest::start().await;
    let m = mocks(pinterest.server()).await;
    let update = pin_update(pinterest.server()).await;
    let client = client(&pinterest, cache).await;

    for _ in 0..5 {
        dashboard(&client).await;
    }
    assert_eq!(
        m.calls().await,
        [1; 6],
        "one request per resource in 5 loops"
    );

    client
        .pins_update()
        .pin_id("42")
        .body(pinterest_ext::types::PinUpdate {
            title: Some("Phở".into()),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();
    update.assert_async().await;

    for _ in 0..5 {
        dashboard(&client).await;
    }
    // The pin, its board and the board's pins again; the account, the
    // board list and the analytics still from the cache.
    assert_eq!(m.calls().await, [1, 1, 2, 2, 2, 1]);
    let stats = client.cache_stats().unwrap();
    assert_eq!((stats.hits, stats.misses), (60 - 9, 9));
    assert_eq!(stats.invalidations, 1);

    // Bypassed: sent, and not stored.
    client
        .bypass_cache()
        .pins_get()
        .pin_id("42")
        .send()
        .await
        .unwrap();
    assert_eq!(m.pin.calls_async().await, 3);
    assert_eq!(client.cache_stats().unwrap().hits, 51);
}

#[tokio::test]
async fn two_accounts_and_two_tokens_never_share_entries() {
    let pinterest = MockPinterest::start().await;
    let alice = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user_account")
                .header("authorization", "Bearer pina_alice");
            then.status(200).json_body(json!({"username": "alice"}));
        })
        .await;
    let bob = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user_account")
                .header("authorization", "Bearer pina_bob");
            then.status(200).json_body(json!({"username": "bob"}));
        })
        .await;
    // One cache shared by both clients, as a pool would.
    let cache = ResponseCache::memory(policy(), 1 << 20);
    let as_user = |token: &'static str, account: &'static str| {
        pinterest
            .client_builder()
            .token(Token::new(token))
            .account(account)
            .cache(cache.clone())
            .build()
    };
    let a = as_user("pina_alice", "alice").await.unwrap();
    let b = as_user("pina_bob", "bob").await.unwrap();
    for _ in 0..3 {
        let me = a.user_account_get().send().await.unwrap();
        assert_eq!(me.username.as_deref(), Some("alice"));
        let me = b.user_account_get().send().await.unwrap();
        assert_eq!(me.username.as_deref(), Some("bob"));
    }
    assert_eq!((alice.calls_async().await, bob.calls_async().await), (1, 1));

    // Same account label, another token: not shared either.
    let a2 = pinterest
        .client_builder()
        .token(Token::new("pina_bob"))
        .account("alice")
        .cache(cache.clone())
        .build()
        .await
        .unwrap();
    let me = a2.user_account_get().send().await.unwrap();
    assert_eq!(me.username.as_deref(), Some("bob"));
}

#[tokio::test]
async fn cache_control_and_etags_are_honoured() {
    let pinterest = MockPinterest::start().await;
    let no_store = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET).path("/boards/1");
            then.status(200)
                .header("cache-control", "no-store")
                .json_body(json!({"id": "1"}));
        })
        .await;
    let fresh = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards/2")
                .header_missing("if-none-match");
            then.status(200)
                .header("cache-control", "max-age=0")
                .header("etag", "\"v1\"")
                .json_body(json!({"id": "2", "name": "first"}));
        })
        .await;
    let revalidated = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards/2")
                .header("if-none-match", "\"v1\"");
            then.status(304).header("etag", "\"v1\"");
        })
        .await;
    let client = client(&pinterest, ResponseCache::memory(policy(), 1 << 20)).await;
    for _ in 0..3 {
        client.boards_get().board_id("1").send().await.unwrap();
    }
    assert_eq!(no_store.calls_async().await, 3, "no-store is never cached");

    let first = client.boards_get().board_id("2").send().await.unwrap();
    assert_eq!(first.name.as_deref(), Some("first"));
    // max-age=0: stale at once; its ETag revalidates it.
    let again = client.boards_get().board_id("2").send().await.unwrap();
    assert_eq!(
        again.name.as_deref(),
        Some("first"),
        "the 304 serves the cached body"
    );
    assert_eq!(
        (fresh.calls_async().await, revalidated.calls_async().await),
        (1, 1)
    );
    assert_eq!(client.cache_stats().unwrap().revalidated, 1);
}
