//! Bookmark pagination against a mock with several pages: order, one
//! request per page, page_size, resume, repeated bookmarks, a failing
//! page, limits, and one operation of every tag group that paginates.

use futures::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use pinterest_ext::testing::MockPinterest;
use pinterest_ext::{ErrorKind, Paginate, ResumePoint};
use serde_json::{Value, json};

fn pins(ids: std::ops::RangeInclusive<u32>) -> Value {
    Value::Array(
        ids.map(|i| json!({"id": i.to_string(), "title": format!("pin {i}")}))
            .collect(),
    )
}

/// Three pages of board 1's pins: 1-3 (bookmark b2), 4-6 (b3), 7 (end).
/// Returns the three mocks.
async fn three_pages(pinterest: &MockPinterest, last: Value) -> [httpmock::Mock<'_>; 3] {
    let server = pinterest.server();
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards/1/pins")
                .query_param("page_size", "250")
                .query_param_missing("bookmark");
            then.status(200)
                .json_body(json!({"items": pins(1..=3), "bookmark": "b2"}));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards/1/pins")
                .query_param("page_size", "250")
                .query_param("bookmark", "b2");
            then.status(200)
                .json_body(json!({"items": pins(4..=6), "bookmark": "b3"}));
        })
        .await;
    let third = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards/1/pins")
                .query_param("bookmark", "b3");
            then.status(200).json_body(last.clone());
        })
        .await;
    [first, second, third]
}

fn ids(items: &[pinterest_ext::types::Pin]) -> Vec<String> {
    items
        .iter()
        .map(|p| {
            p.id.as_ref()
                .map(|i| i.as_str().to_string())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn all_items_in_order_with_one_request_per_page() {
    for end in [json!(null), json!("")] {
        let pinterest = MockPinterest::start().await;
        let mocks = three_pages(&pinterest, json!({"items": pins(7..=7), "bookmark": end})).await;
        let client = pinterest.client().await;
        let items: Vec<_> = client.board_pins("1").try_collect().await.unwrap();
        assert_eq!(ids(&items), ["1", "2", "3", "4", "5", "6", "7"]);
        for mock in &mocks {
            mock.assert_calls_async(1).await;
        }
    }
}

#[tokio::test]
async fn pages_carry_their_bookmarks_and_resume_where_told() {
    let pinterest = MockPinterest::start().await;
    let [first, second, third] = three_pages(&pinterest, json!({"items": pins(7..=7)})).await;
    let client = pinterest.client().await;
    let mut pages = client.boards_list_pins().board_id("1").paginate().pages();
    let page = pages.next().await.unwrap().unwrap();
    assert_eq!(
        (page.bookmark.as_deref(), page.next.as_deref()),
        (None, Some("b2"))
    );
    assert_eq!(
        pages.resume_point(),
        Some(ResumePoint::at(Some("b2".into())))
    );
    drop(pages);

    let resumed: Vec<_> = client
        .boards_list_pins()
        .board_id("1")
        .paginate()
        .starting_at("b2")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&resumed), ["4", "5", "6", "7"]);
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    third.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_repeated_bookmark_stops_with_an_error_instead_of_looping() {
    let pinterest = MockPinterest::start().await;
    let [first, second, third] =
        three_pages(&pinterest, json!({"items": pins(7..=7), "bookmark": "b2"})).await;
    let client = pinterest.client().await;
    let results: Vec<_> = client.board_pins("1").collect().await;
    let (ok, err): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    assert_eq!(ok.len(), 7);
    assert_eq!(err.len(), 1);
    let e = err.into_iter().next().unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("\"b2\" a second time"), "{e}");
    assert_eq!(e.operation(), Some("boards/list_pins"));
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    third.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_error_on_page_three_keeps_pages_one_and_two_and_names_the_bookmark() {
    let pinterest = MockPinterest::start().await;
    let server = pinterest.server();
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards/1/pins")
                .query_param_missing("bookmark");
            then.status(200)
                .json_body(json!({"items": pins(1..=3), "bookmark": "b2"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards/1/pins")
                .query_param("bookmark", "b2");
            then.status(200)
                .json_body(json!({"items": pins(4..=6), "bookmark": "b3"}));
        })
        .await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards/1/pins")
                .query_param("bookmark", "b3");
            then.status(500)
                .json_body(json!({"code": 1, "message": "oops"}));
        })
        .await;
    let client = pinterest.client().await;
    let mut stream = client.board_pins("1");
    let mut yielded = Vec::new();
    let error = loop {
        match stream.next().await {
            Some(Ok(pin)) => yielded.push(pin),
            Some(Err(e)) => break e,
            None => panic!("the stream ended without the error"),
        }
    };
    assert_eq!(ids(&yielded), ["1", "2", "3", "4", "5", "6"]);
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.resume_bookmark(), Some("b3"));
    assert!(
        error.to_string().contains("resume from bookmark \"b3\""),
        "{error}"
    );
    // Retried per the client's policy (3 attempts) before giving up.
    failing.assert_calls_async(3).await;
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_limit_stops_fetching_and_page_size_is_configurable() {
    let pinterest = MockPinterest::start().await;
    let [first, second, third] = three_pages(&pinterest, json!({"items": pins(7..=7)})).await;
    let client = pinterest.client().await;
    let mut stream = client
        .boards_list_pins()
        .board_id("1")
        .paginate()
        .limit(4)
        .items();
    let mut got = Vec::new();
    while let Some(pin) = stream.next().await {
        got.push(pin.unwrap());
        if got.len() == 4 {
            // The limit ends the stream; the point after item 4 remains.
            assert_eq!(stream.resume_point(), Some(at(Some("b2"), 1)));
        }
    }
    assert_eq!(ids(&got), ["1", "2", "3", "4"]);
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    third.assert_calls_async(0).await;

    let small = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards")
                .query_param("page_size", "10");
            then.status(200)
                .json_body(json!({"items": [], "bookmark": null}));
        })
        .await;
    let boards: Vec<_> = client
        .boards_list()
        .paginate()
        .page_size(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(boards.is_empty());
    small.assert_async().await;
}

fn at(bookmark: Option<&str>, skip: usize) -> ResumePoint {
    ResumePoint {
        bookmark: bookmark.map(str::to_string),
        skip,
    }
}

async fn resumed(client: &pinterest_ext::Client, point: ResumePoint) -> Vec<String> {
    let items: Vec<_> = client
        .boards_list_pins()
        .board_id("1")
        .paginate()
        .resume_from(point)
        .items()
        .try_collect()
        .await
        .unwrap();
    ids(&items)
}

#[tokio::test]
async fn the_item_stream_resumes_exactly_mid_page() {
    let pinterest = MockPinterest::start().await;
    three_pages(&pinterest, json!({"items": pins(7..=7)})).await;
    let client = pinterest.client().await;
    let mut stream = client.board_pins("1");
    assert_eq!(stream.resume_point(), Some(at(None, 0)), "from the start");
    for _ in 0..4 {
        stream.next().await.unwrap().unwrap();
    }
    // Item 4 was the first of the page fetched with b2; 5 and 6 remain.
    let point = stream.resume_point().unwrap();
    assert_eq!(point, at(Some("b2"), 1));
    assert_eq!(
        resumed(&client, point).await,
        ["5", "6", "7"],
        "no item twice"
    );
    stream.next().await.unwrap().unwrap();
    stream.next().await.unwrap().unwrap();
    assert_eq!(stream.resume_point(), Some(at(Some("b3"), 0)));
    assert!(stream.next().await.unwrap().is_ok());
    assert!(stream.next().await.is_none());
    assert_eq!(stream.resume_point(), None, "nothing left");
}

#[tokio::test]
async fn a_limit_leaves_an_exact_resume_point() {
    let pinterest = MockPinterest::start().await;
    three_pages(&pinterest, json!({"items": pins(7..=7)})).await;
    let client = pinterest.client().await;
    let mut stream = client
        .boards_list_pins()
        .board_id("1")
        .paginate()
        .limit(5)
        .items();
    let mut got = Vec::new();
    while let Some(pin) = stream.try_next().await.unwrap() {
        got.push(pin);
    }
    assert_eq!(ids(&got), ["1", "2", "3", "4", "5"]);
    let point = stream
        .resume_point()
        .expect("items remain: not `None`, which means done");
    assert_eq!(point, at(Some("b2"), 2));
    assert_eq!(resumed(&client, point).await, ["6", "7"]);
    // A limit ending exactly on a page boundary resumes at the next page.
    let mut stream = client
        .boards_list_pins()
        .board_id("1")
        .paginate()
        .limit(3)
        .items();
    while stream.try_next().await.unwrap().is_some() {}
    assert_eq!(stream.resume_point(), Some(at(Some("b2"), 0)));
}

#[tokio::test]
async fn a_limit_reached_on_a_page_with_a_repeated_bookmark_is_no_error() {
    let pinterest = MockPinterest::start().await;
    // The third page repeats b2: an error only if the stream went on.
    three_pages(&pinterest, json!({"items": pins(7..=7), "bookmark": "b2"})).await;
    let client = pinterest.client().await;
    let all: Vec<_> = client
        .boards_list_pins()
        .board_id("1")
        .paginate()
        .limit(7)
        .items()
        .collect()
        .await;
    assert_eq!(all.len(), 7);
    assert!(
        all.iter().all(Result::is_ok),
        "{:?}",
        all.iter().find(|r| r.is_err())
    );
}

/// Two pages of `item` for `path` (one item, then two).
async fn two_pages(pinterest: &MockPinterest, path: &str, item: Value) {
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET).path(path).query_param_missing("bookmark");
            then.status(200)
                .json_body(json!({"items": [item.clone()], "bookmark": "next"}));
        })
        .await;
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET).path(path).query_param("bookmark", "next");
            then.status(200)
                .json_body(json!({"items": [item.clone(), item.clone()], "bookmark": null}));
        })
        .await;
}

async fn count<B>(request: B) -> usize
where
    B: pinterest_ext::api::Paginated + Unpin,
    B::Item: Unpin,
{
    request
        .paginate()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .map(|v| v.len())
        .unwrap()
}

#[tokio::test]
async fn one_operation_of_every_tag_group_that_paginates() {
    let pinterest = MockPinterest::start().await;
    let client = pinterest.client().await;
    let board = json!({"id": "1", "name": "b", "owner": {"username": "u"}});
    let pin = json!({"id": "1"});
    let cases = [
        ("boards", "/boards", board.clone()),
        ("pins", "/pins", pin.clone()),
        (
            "ad_accounts",
            "/ad_accounts",
            json!({"id": "1", "name": "a"}),
        ),
        (
            "catalogs",
            "/catalogs",
            json!({"id": "1", "catalog_type": "RETAIL", "name": "c", "created_at": "2025-01-01T00:00:00", "updated_at": "2025-01-01T00:00:00"}),
        ),
        (
            "media",
            "/media",
            json!({"media_id": "1", "media_type": "video"}),
        ),
        (
            "user_account",
            "/user_account/followers",
            json!({"username": "u"}),
        ),
        (
            "business_access",
            "/businesses/7/members",
            json!({"user": {"id": "1"}, "role": "ADMIN"}),
        ),
        ("audiences", "/ad_accounts/7/audiences", json!({"id": "1"})),
        ("search", "/search/boards", board.clone()),
    ];
    for (_, path, item) in &cases {
        two_pages(&pinterest, path, item.clone()).await;
    }
    let totals = [
        ("boards", count(client.boards_list()).await),
        ("pins", count(client.pins_list()).await),
        ("ad_accounts", count(client.ad_accounts_list()).await),
        ("catalogs", count(client.catalogs_list()).await),
        ("media", count(client.media_list()).await),
        ("user_account", count(client.followers_list()).await),
        (
            "business_access",
            count(client.get_business_members().business_id("7")).await,
        ),
        (
            "audiences",
            count(client.audiences_list().ad_account_id("7")).await,
        ),
        (
            "search",
            count(client.search_user_boards_get().query("cake")).await,
        ),
    ];
    for (group, n) in totals {
        assert_eq!(n, 3, "{group}");
    }
    assert_eq!(cases.len(), totals.len());
}
