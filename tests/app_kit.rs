//! How an application tests its Pinterest code with the test kit alone:
//! `pinterest_ext::testing` (mock server, preconfigured client, typed
//! mocks, fixtures). No JSON literals, no network.

use futures::TryStreamExt;
use pinterest_ext::testing::{MockPinterest, MockServerExt, fixtures};
use pinterest_ext::{Client, NewPin, Result};

/// Application code under test: reads every pin of a board and pins a
/// "board digest" image titled with the count to another board.
async fn publish_board_digest(
    client: &Client,
    board_id: &str,
    digest_board: &str,
) -> Result<String> {
    let pins: Vec<_> = client.board_pins(board_id).try_collect().await?;
    let digest = NewPin::from_image_url(digest_board, "https://example.com/digest.png")
        .title(format!("{} pins on this board", pins.len()));
    let created = client.create_pin(digest).await?;
    Ok(created
        .id
        .map(|id| id.as_str().to_string())
        .unwrap_or_default())
}

#[tokio::test]
async fn the_digest_counts_pins_across_pages_and_creates_one_pin() {
    let pinterest = MockPinterest::start().await;
    let server = pinterest.server();
    let first = server
        .boards_list_pins_async(|when, then| {
            when.board_id("549755885175").bookmark(None);
            then.ok(&fixtures::page_of_board_pins(
                fixtures::pins(250),
                Some("page-2"),
            ));
        })
        .await;
    let second = server
        .boards_list_pins_async(|when, then| {
            when.board_id("549755885175").bookmark("page-2");
            then.ok(&fixtures::page_of_board_pins(fixtures::pins(7), None));
        })
        .await;
    let expected = NewPin::from_image_url("42", "https://example.com/digest.png")
        .title("257 pins on this board")
        .to_body()
        .unwrap();
    let create = server
        .pins_create_async(|when, then| {
            when.body(&expected);
            then.created(&fixtures::pin());
        })
        .await;

    let client = pinterest.client().await;
    let id = publish_board_digest(&client, "549755885175", "42")
        .await
        .unwrap();

    assert_eq!(
        Some(id.as_str()),
        fixtures::pin().id.as_ref().map(|i| i.as_str())
    );
    first.assert_async().await;
    second.assert_async().await;
    create.assert_async().await;
}

#[tokio::test]
async fn the_digest_reports_a_rate_limit_after_the_retries() {
    let pinterest = MockPinterest::start().await;
    let limited = pinterest
        .server()
        .boards_list_pins_async(|when, then| {
            when.board_id("1");
            then.client_error(429, &fixtures::rate_limit_exceeded());
        })
        .await;
    let client = pinterest.client().await;
    let err = publish_board_digest(&client, "1", "42").await.unwrap_err();
    assert_eq!(err.kind(), pinterest_ext::ErrorKind::RateLimited);
    assert_eq!(err.code(), Some(8));
    // The kit's fast retry policy: 3 attempts.
    limited.assert_calls_async(3).await;
}

#[test]
fn the_mock_feature_adds_nothing_to_builds_without_it() {
    let tree = |features: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO"));
        cmd.args([
            "tree",
            "-q",
            "-p",
            "pinterest-api",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--no-default-features",
        ]);
        for f in features {
            cmd.args(["--features", f]);
        }
        let out = cmd
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo tree runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let without = tree(&["rustls"]);
    let with = tree(&["rustls", "mock"]);
    assert!(
        !without.contains("httpmock ") && !without.lines().any(|l| l.starts_with("regex ")),
        "{without}"
    );
    assert!(with.contains("httpmock "), "{with}");
}
