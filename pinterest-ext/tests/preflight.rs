//! Calls that never needed to be made: missing scopes, oversized or
//! wrong-format media, deprecated operations, and conversions user data
//! that would put plain PII on the wire. Every refused call reaches no
//! server.

use std::sync::{Arc, Mutex};

use httpmock::prelude::*;
use pinterest_ext::conversions::UserData;
use pinterest_ext::testing::MockPinterest;
use pinterest_ext::types::{ConversionEvents, ConversionEventsDataItem};
use pinterest_ext::{
    DeprecationPolicy, ErrorKind, MediaLimits, NewPin, Preflight, Scope, Token, VideoUpload,
};
use serde_json::json;

/// A mock that answers anything, to count what reached the server.
async fn catch_all(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"id": "1"}));
        })
        .await
}

#[tokio::test]
async fn a_missing_scope_fails_before_sending_and_unknown_scopes_are_not_checked() {
    let pinterest = MockPinterest::start().await;
    let any = catch_all(pinterest.server()).await;
    let reader = pinterest
        .client_builder()
        .token(Token::new("pina_read_only").with_scopes(["pins:read", "boards:read"]))
        .build()
        .await
        .unwrap();
    let err = reader
        .create_pin(NewPin::from_image_url("7", "https://example.com/a.jpg"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    let text = err.to_string();
    assert!(
        text.contains("boards:write") && text.contains("pins:write"),
        "names the missing scopes: {text}"
    );
    assert!(
        text.contains("LoginOptions::for_operations"),
        "says how: {text}"
    );
    assert_eq!(any.calls_async().await, 0, "nothing was sent");

    // Scopes it has: sent.
    reader.pins_get().pin_id("1").send().await.unwrap();
    assert_eq!(any.calls_async().await, 1);

    // A token whose scopes are unknown is not checked.
    let unknown = pinterest.client().await;
    unknown.pins_delete().pin_id("1").send().await.unwrap();
    assert_eq!(any.calls_async().await, 2);

    // Turned off: sent (and Pinterest decides).
    let unchecked = pinterest
        .client_builder()
        .token(Token::new("pina_read_only").with_scopes(["pins:read"]))
        .preflight(Preflight::default().scopes(false))
        .build()
        .await
        .unwrap();
    unchecked.pins_delete().pin_id("1").send().await.unwrap();
    assert_eq!(any.calls_async().await, 3);

    // What to ask for at login.
    assert_eq!(
        Scope::required_for(&["pins/create"]).unwrap(),
        [
            Scope::BoardsRead,
            Scope::BoardsWrite,
            Scope::PinsRead,
            Scope::PinsWrite
        ]
    );
}

fn jpeg(len: usize) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0];
    v.resize(len, 0);
    v
}

fn mp4(width: u32, height: u32, seconds: u32) -> Vec<u8> {
    fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }
    let mut mvhd = vec![0u8; 100];
    mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
    mvhd[16..20].copy_from_slice(&(seconds * 1000).to_be_bytes());
    let mut tkhd = vec![0u8; 84];
    tkhd[76..80].copy_from_slice(&(width << 16).to_be_bytes());
    tkhd[80..84].copy_from_slice(&(height << 16).to_be_bytes());
    let mut hdlr = vec![0u8; 24];
    hdlr[8..12].copy_from_slice(b"vide");
    let trak = bx(
        b"trak",
        &[bx(b"tkhd", &tkhd), bx(b"mdia", &bx(b"hdlr", &hdlr))].concat(),
    );
    [
        bx(b"ftyp", b"isom\0\0\x02\0isom"),
        bx(b"moov", &[bx(b"mvhd", &mvhd), trak].concat()),
    ]
    .concat()
}

#[tokio::test]
async fn oversized_and_wrong_format_media_fail_with_the_limit_and_send_nothing() {
    let pinterest = MockPinterest::start().await;
    let any = catch_all(pinterest.server()).await;
    let client = pinterest.client().await;

    let big = jpeg(10 * 1024 * 1024 + 1);
    let err = NewPin::from_image_bytes("7", &big).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(
        err.to_string().contains("10485760"),
        "names the limit: {err}"
    );

    let text_file = b"name,price\nsoup,3\n";
    let err = NewPin::from_image_bytes("7", text_file).unwrap_err();
    assert!(
        err.to_string().contains("JPEG") || err.to_string().contains("format"),
        "names the formats: {err}"
    );
    // A smaller limit of the app's own.
    let err = NewPin::from_image_bytes_with(
        "7",
        &jpeg(2048),
        &MediaLimits::default().max_image_bytes(1024),
    )
    .unwrap_err();
    assert!(err.to_string().contains("1024"), "{err}");

    let short = VideoUpload::from_bytes(mp4(640, 480, 2), "clip.mp4").unwrap_err();
    assert!(short.to_string().contains("4 s to 900 s"), "{short}");
    let tiny = VideoUpload::from_bytes(mp4(40, 40, 10), "clip.mp4").unwrap_err();
    assert!(tiny.to_string().contains("75×75"), "{tiny}");
    let not_video = VideoUpload::from_bytes(jpeg(4096), "clip.mp4").unwrap_err();
    assert!(
        not_video.to_string().contains("MP4, MOV or M4V"),
        "{not_video}"
    );
    VideoUpload::from_bytes(mp4(1080, 1920, 30), "clip.mp4").unwrap();

    assert_eq!(any.calls_async().await, 0);
    drop(client);
}

/// Captures `tracing` warnings.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Warnings {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if *event.metadata().level() == tracing::Level::WARN {
            struct Message(String);
            impl tracing::field::Visit for Message {
                fn record_debug(&mut self, f: &tracing::field::Field, v: &dyn std::fmt::Debug) {
                    if f.name() == "message" {
                        self.0 = format!("{v:?}");
                    }
                }
            }
            let mut m = Message(String::new());
            event.record(&mut m);
            self.0.lock().unwrap().push(m.0);
        }
    }
}

#[tokio::test]
async fn a_deprecated_operation_warns_once_in_a_hundred_calls_or_is_refused() {
    use tracing_subscriber::layer::SubscriberExt;
    let warnings = Warnings::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(warnings.clone()));
    tracing::callsite::rebuild_interest_cache();

    let pinterest = MockPinterest::start().await;
    let followed = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET).path("/users/cook/interests/follow");
            then.status(200)
                .json_body(json!({"items": [], "bookmark": null}));
        })
        .await;
    let client = pinterest.client().await;
    let op = pinterest_ext::api::Operation::by_id("user_account/followed_interests").unwrap();
    assert!(op.deprecated, "5.23.0 marks it deprecated");
    for _ in 0..100 {
        client
            .user_account_followed_interests()
            .username("cook")
            .send()
            .await
            .unwrap();
    }
    assert_eq!(followed.calls_async().await, 100);
    let seen: Vec<String> = warnings.0.lock().unwrap().clone();
    let about: Vec<&String> = seen
        .iter()
        .filter(|w| w.contains("followed_interests"))
        .collect();
    assert_eq!(about.len(), 1, "one warning: {seen:?}");
    assert!(about[0].contains("deprecated"), "{}", about[0]);

    let ci = pinterest
        .client_builder()
        .preflight(Preflight::default().deprecated(DeprecationPolicy::Refuse))
        .build()
        .await
        .unwrap();
    let err = ci
        .user_account_followed_interests()
        .username("cook")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Deprecated);
    assert!(
        err.to_string().contains("user_account/followed_interests"),
        "{err}"
    );
    assert_eq!(followed.calls_async().await, 100, "refused: not sent");
}

/// SHA-256 of the normalized values, computed with `sha256sum` outside
/// the code under test (`printf '%s' jane.doe@example.com | sha256sum`).
const VECTORS: [(&str, &str); 10] = [
    (
        "jane.doe@example.com",
        "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d",
    ),
    (
        "15550100123",
        "2743329a9438f7d211e8abf0999ba5776dc88f21c909191d7851da8179320924",
    ),
    (
        "jane",
        "81f8f6dde88365f3928796ec7aa53f72820b06db8664f5fe76a7eb13e24546a2",
    ),
    (
        "doe",
        "799ef92a11af918e3fb741df42934f3b568ed2d93ac1df74f1b8d41a27932a6f",
    ),
    (
        "f",
        "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111",
    ),
    (
        "19900214",
        "80fb6af0c4310e4790db22c054d0c42a95c39ae4f1e14691ffbf69ce9e612940",
    ),
    (
        "sanfrancisco",
        "1a6bd4d9d79dc0a79b53795c70d3349fa9e38968a3fbefbfe8783efb1d2b6aac",
    ),
    (
        "ca",
        "6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126",
    ),
    (
        "94103",
        "91dc2519ea98c5002cf2091e6a12b772eafdce9dca618e626d7d3b8275361789",
    ),
    (
        "us",
        "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621",
    ),
];

fn event(user: pinterest_ext::types::ConversionEventsUserData) -> ConversionEventsDataItem {
    serde_json::from_value(json!({
        "event_name": "checkout",
        "action_source": "web",
        "event_time": 1_764_000_000,
        "event_id": "order-1",
        "user_data": serde_json::to_value(user).unwrap()
    }))
    .unwrap()
}

#[tokio::test]
async fn conversion_user_data_is_normalized_hashed_and_never_plain_on_the_wire() {
    let user = UserData::new()
        .email("  Jane.Doe@Example.COM ")
        .phone("+1 (555) 010-0123")
        .first_name(" Jane")
        .last_name("DOE ")
        .gender("Female")
        .date_of_birth(chrono::NaiveDate::from_ymd_opt(1990, 2, 14).unwrap())
        .city("San Francisco!")
        .state("CA")
        .zip("94103-")
        .country("US")
        .build()
        .unwrap();
    let props = user.subtype_0.clone().unwrap();
    let got = [
        &props.em[0],
        &props.ph[0],
        &props.fn_[0],
        &props.ln[0],
        &props.ge[0],
        &props.db[0],
        &props.ct[0],
        &props.st[0],
        &props.zp[0],
        &props.country[0],
    ];
    for ((plain, expected), got) in VECTORS.iter().zip(got) {
        assert_eq!(got, expected, "hash of {plain:?}");
    }

    let pinterest = MockPinterest::start().await;
    let bodies = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = bodies.clone();
    let events = pinterest
        .server()
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/ad_accounts/549755885175/events")
                .is_true(move |req| {
                    seen.lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(req.body().as_ref()).into_owned());
                    true
                });
            then.status(200).json_body(
                json!({"num_events_received": 1, "num_events_processed": 1, "events": []}),
            );
        })
        .await;
    let client = pinterest.client().await;
    client
        .send_conversion_events(
            "549755885175",
            ConversionEvents {
                data: vec![event(user)],
            },
            false,
        )
        .await
        .unwrap();
    events.assert_async().await;
    let wire = bodies.lock().unwrap().concat();
    for plain in [
        "jane.doe",
        "Jane.Doe",
        "example.com",
        "15550100123",
        "555",
        "San Francisco",
    ] {
        assert!(!wire.contains(plain), "{plain:?} on the wire");
    }
    assert!(wire.contains(VECTORS[0].1));

    // User data filled by hand with a plain email: refused, not sent.
    let plain = pinterest_ext::types::ConversionEventsUserData {
        subtype_0: Some(pinterest_ext::types::ConversionEventsUserDataProperties {
            em: vec!["jane.doe@example.com".into()],
            ..Default::default()
        }),
        ..Default::default()
    };
    let err = client
        .send_conversion_events(
            "549755885175",
            ConversionEvents {
                data: vec![event(plain)],
            },
            false,
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(err.to_string().contains("`em`"), "{err}");
    assert_eq!(events.calls_async().await, 1);

    // Not enough to match on.
    let err = UserData::new().first_name("Jane").build().unwrap_err();
    assert!(
        err.to_string().contains("email, an advertising id"),
        "{err}"
    );
    let err = UserData::new()
        .email("a@b.c")
        .gender("x")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("gender"), "{err}");
}
