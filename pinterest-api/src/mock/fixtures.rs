//! Valid example values of the main response types (feature `organic`), so a test writes
//! `fixtures::pin()` instead of a JSON literal. Each is parsed from JSON
//! shaped like Pinterest's responses (a test checks they all decode), and
//! can be adjusted as a normal struct.
//!
//! ```
//! use pinterest_api::mock::fixtures;
//! let mut pin = fixtures::pin();
//! pin.board_id = Some("1".parse().unwrap());
//! let page = fixtures::page_of_pins(vec![pin], Some("bookmark-2"));
//! assert_eq!(page.items.len(), 1);
//! ```

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::types;

fn from<T: DeserializeOwned>(value: Value, what: &str) -> T {
    match serde_json::from_value(value) {
        Ok(v) => v,
        // A fixture that does not decode is a bug in this file, caught by
        // its tests; say which one.
        Err(e) => panic!("fixture `{what}` does not match the generated type: {e}"),
    }
}

/// JSON of a pin (`GET /pins/{pin_id}`).
pub fn pin_json() -> Value {
    json!({
        "id": "813744226420795884",
        "created_at": "2025-03-14T15:15:22",
        "link": "https://example.com/recipes/lemon-cake",
        "title": "Lemon cake",
        "description": "A bright, simple cake for spring afternoons.",
        "dominant_color": "#f5e6c8",
        "alt_text": "A lemon cake on a white plate",
        "board_id": "549755885175",
        "board_section_id": null,
        "board_owner": {"username": "cook"},
        "is_owner": true,
        "is_standard": true,
        "has_been_promoted": false,
        "creative_type": "REGULAR",
        "media": {
            "media_type": "image",
            "images": {
                "150x150": {"width": 150, "height": 150, "url": "https://i.pinimg.com/150x150/0d/f6/f1/0df6f1f0.jpg"},
                "600x": {"width": 600, "height": 900, "url": "https://i.pinimg.com/600x/0d/f6/f1/0df6f1f0.jpg"}
            }
        },
        "parent_pin_id": null,
        "note": ""
    })
}

/// A pin.
pub fn pin() -> types::Pin {
    from(pin_json(), "pin")
}

/// JSON of a board (`GET /boards/{board_id}`).
pub fn board_json() -> Value {
    json!({
        "id": "549755885175",
        "created_at": "2025-01-02T10:00:00",
        "board_pins_modified_at": "2025-03-14T15:15:22",
        "name": "Recipes",
        "description": "Cakes, breads and everything in between",
        "collaborator_count": 0,
        "pin_count": 42,
        "follower_count": 120,
        "media": {"image_cover_url": "https://i.pinimg.com/400x300/0d/f6/f1/0df6f1f0.jpg", "pin_thumbnail_urls": []},
        "owner": {"username": "cook"},
        "privacy": "PUBLIC"
    })
}

/// A board.
pub fn board() -> types::Board {
    from(board_json(), "board")
}

/// A board section.
pub fn board_section() -> types::BoardSection {
    from(
        json!({"id": "5027630990032422748", "name": "Cakes"}),
        "board_section",
    )
}

/// JSON of the user account (`GET /user_account`).
pub fn user_account_json() -> Value {
    json!({
        "account_type": "BUSINESS",
        "id": "549755885175",
        "username": "cook",
        "about": "Recipes every week",
        "business_name": "Cook & Co",
        "board_count": 12,
        "pin_count": 340,
        "follower_count": 1200,
        "following_count": 30,
        "monthly_views": 45000,
        "profile_image": "https://i.pinimg.com/600x600_R/42/f5/36/42f5364b5b5a.jpg",
        "website_url": "https://example.com"
    })
}

/// The user account.
pub fn user_account() -> types::Account {
    from(user_account_json(), "user_account")
}

/// A page of pins as `GET /pins` and `GET /boards/{id}/pins` return it.
pub fn page_of_pins(items: Vec<types::Pin>, bookmark: Option<&str>) -> types::PinsListResponse {
    types::PinsListResponse {
        items,
        bookmark: bookmark.map(str::to_string),
    }
}

/// A page of a board's pins (`GET /boards/{board_id}/pins`).
pub fn page_of_board_pins(
    items: Vec<types::Pin>,
    bookmark: Option<&str>,
) -> types::BoardsListPinsResponse {
    types::BoardsListPinsResponse {
        items,
        bookmark: bookmark.map(str::to_string),
    }
}

/// A page of boards (`GET /boards`).
pub fn page_of_boards(
    items: Vec<types::Board>,
    bookmark: Option<&str>,
) -> types::BoardsListResponse {
    types::BoardsListResponse {
        items,
        bookmark: bookmark.map(str::to_string),
    }
}

/// `n` distinct pins (ids `1000`, `1001`, ...), e.g. to fill pages.
pub fn pins(n: usize) -> Vec<types::Pin> {
    (0..n)
        .map(|i| {
            let mut json = pin_json();
            json["id"] = json!((1000 + i).to_string());
            json["title"] = json!(format!("Pin {i}"));
            from(json, "pins")
        })
        .collect()
}

/// A registered media upload (`POST /media`) with every
/// `upload_parameters` field Pinterest sends, uploading to `upload_url`.
pub fn media_upload(upload_url: &str) -> types::MediaUpload {
    from(
        json!({
            "media_id": "12345",
            "media_type": "video",
            "upload_url": upload_url,
            "upload_parameters": {
                "Content-Type": "multipart/form-data",
                "key": "uploads/11/aa/22/3:video:203014033110991560:5212123920968240771",
                "policy": "eyJleHBpcmF0aW9uIjoiMjAyMi0wMS0yN1QxOTo1MTo0M1oifQ==",
                "x-amz-algorithm": "AWS4-HMAC-SHA256",
                "x-amz-credential": "ASIA6QZJ64OPIKV7FRVX/20220127/us-east-1/s3/aws4_request",
                "x-amz-date": "20220127T185143Z",
                "x-amz-security-token": "IQoJb3JpZ2luX2VjEJr",
                "x-amz-signature": "fcd6309a6aaee213348666a72abed8b44552a43acb6b340e8e1b288d21a5fe92"
            }
        }),
        "media_upload",
    )
}

/// A media upload's status (`GET /media/{media_id}`): `"registered"`,
/// `"processing"`, `"succeeded"` or `"failed"`.
pub fn media(status: &str) -> types::Media {
    from(
        json!({"media_id": "12345", "media_type": "video", "status": status}),
        "media",
    )
}

/// A Pinterest error body.
pub fn error(code: i64, message: &str) -> types::Error {
    types::Error {
        code: Some(code),
        message: Some(message.to_string()),
    }
}

/// The error body of a 429, as the spec's examples show it (code 8).
pub fn rate_limit_exceeded() -> types::Error {
    error(
        8,
        "This request exceeded a rate limit. This can happen if the client exceeds one of the published rate limits or if multiple write operations are applied to an object within a short time window.",
    )
}

/// The error body of a 401 (code 2).
pub fn authentication_failed() -> types::Error {
    error(2, "Authentication failed.")
}

/// The error body of a 404 for a pin.
pub fn pin_not_found() -> types::Error {
    error(50, "Pin not found.")
}
