//! The mock fixtures decode and round-trip (features `mock`, `organic`).

#![cfg(all(feature = "mock", feature = "organic"))]

use pinterest_api::mock::fixtures::*;
use pinterest_api::types;

#[test]
fn every_fixture_decodes_and_round_trips() {
    let pin = pin();
    assert_eq!(
        pin.id.as_ref().map(|i| i.as_str()),
        Some("813744226420795884")
    );
    assert_eq!(board().name.as_deref(), Some("Recipes"));
    assert_eq!(board_section().name, "Cakes");
    assert_eq!(user_account().username.as_deref(), Some("cook"));
    assert_eq!(pins(3).len(), 3);
    assert_eq!(media("succeeded").media_id.as_deref(), Some("12345"));
    let upload = media_upload("https://upload.example.com");
    assert!(upload.upload_parameters.unwrap().x_amz_signature.is_some());
    let back: types::Pin = serde_json::from_value(serde_json::to_value(&pin).unwrap()).unwrap();
    assert_eq!(back.id, pin.id);
    assert_eq!(rate_limit_exceeded().code, Some(8));
    assert_eq!(page_of_boards(vec![board()], None).items.len(), 1);
    assert_eq!(
        page_of_board_pins(pins(2), Some("b")).bookmark.as_deref(),
        Some("b")
    );
}
