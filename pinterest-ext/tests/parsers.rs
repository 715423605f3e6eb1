//! Property tests of every parser that reads the network: rate-limit
//! headers and `Retry-After`, error bodies, token endpoint responses,
//! bookmarks and resume points, journal lines, response bodies decoded
//! into generated types, and video container headers. Random and extreme
//! inputs: no panic, and every wait derived from them is bounded.
//!
//! `PROPTEST_CASES` sets the cases per property (256 by default; CI's slow
//! step runs a larger fixed budget and reports the executions in
//! BENCHMARKS.md).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use futures::StreamExt;
use pinterest_ext::api::headers::{MAX_HINT, RateLimitHeaders, reset_delay, retry_after_at};
use pinterest_ext::api::{Error, Paginated, ResponseValue, decode};
use pinterest_ext::{LimitKey, Limiter, Paginate, RateLimiter, RateLimits, ResumePoint, types};
use proptest::prelude::*;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

/// Numbers as a hostile or broken server might write them.
fn numeric_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        (0u64..2_000_000_000_000_000).prop_map(|n| n.to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("NaN".to_string()),
        Just("1e308".to_string()),
        Just("-0".to_string()),
        Just("Sun, 06 Nov 1994 08:49:37 GMT".to_string()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_string()),
        "[ -~]{0,40}",
    ]
}

fn header_map(pairs: &[(&'static str, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(*k, v);
        }
    }
    h
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_790_000_000)
}

proptest! {
    #[test]
    fn rate_limit_headers_never_panic_and_every_wait_is_bounded(
        retry in numeric_text(), limit in numeric_text(), remaining in numeric_text(), reset in numeric_text()
    ) {
        let h = header_map(&[
            ("retry-after", retry),
            ("x-ratelimit-limit", limit),
            ("x-ratelimit-remaining", remaining),
            ("x-ratelimit-reset", reset.clone()),
        ]);
        if let Some(wait) = retry_after_at(&h, now()) {
            prop_assert!(wait <= MAX_HINT);
        }
        let read = RateLimitHeaders::read_at(&h, now());
        prop_assert!(read.reset.is_none_or(|r| r <= MAX_HINT));
        prop_assert!(reset_delay(&reset, now()).is_none_or(|r| r <= MAX_HINT));
        if let Some(wait) = pinterest_ext::block_from(StatusCode::TOO_MANY_REQUESTS, &h) {
            prop_assert!(wait <= MAX_HINT);
        }
    }

    #[test]
    fn error_responses_never_panic_and_print_one_line(
        status in 100u16..1000, body in proptest::collection::vec(any::<u8>(), 0..4096),
        code in any::<i64>(), message in "\\PC{0,80}", rid in "[ -~]{0,200}", json_body in any::<bool>()
    ) {
        let status = StatusCode::from_u16(status).unwrap();
        let body = if json_body {
            serde_json::to_vec(&json!({"code": code, "message": message})).unwrap()
        } else {
            body
        };
        let h = header_map(&[("x-pinterest-rid", rid), ("retry-after", "120".into())]);
        let e = Error::from_response(status, &h, Bytes::from(body));
        let line = e.to_string();
        prop_assert!(!line.contains('\n'));
        let _ = (e.advice(), e.body_excerpt(), e.is_retryable(), e.write_outcome_unknown(), format!("{e:?}"));
    }

    #[test]
    fn token_responses_never_panic_and_expiries_saturate(
        status in prop_oneof![Just(200u16), Just(400), Just(401), Just(429), Just(500), 100u16..600],
        expires_in in any::<u64>(), refresh_in in any::<i64>(), refresh_at in any::<i64>(),
        junk in proptest::collection::vec(any::<u8>(), 0..512), structured in any::<bool>(),
        scope in "[a-z:,_ ]{0,60}"
    ) {
        let body = if structured {
            serde_json::to_vec(&json!({
                "access_token": "pina_x", "refresh_token": "pinr_y", "token_type": "bearer",
                "expires_in": expires_in, "refresh_token_expires_in": refresh_in,
                "refresh_token_expires_at": refresh_at, "scope": scope,
                "code": 283, "error": "invalid_grant"
            })).unwrap()
        } else {
            junk
        };
        match pinterest_ext::__fuzz::token_response(status, &body) {
            Ok(token) => {
                let _ = (token.needs_refresh(Duration::from_secs(300)), token.is_unexpired());
                let debug = format!("{token:?}");
                prop_assert!(!debug.contains("pina_x"));
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert!(!text.contains("pinr_y"));
            }
        }
    }

    #[test]
    fn journal_lines_never_panic(line in "\\PC{0,300}", key in "\\PC{0,40}", id in "[0-9]{0,20}") {
        let _ = pinterest_ext::bulk::parse_line(&line);
        for entry in [
            pinterest_ext::bulk::Entry::Started { key: key.clone() },
            pinterest_ext::bulk::Entry::Created { key: key.clone(), id: id.clone() },
        ] {
            let text = serde_json::to_string(&entry).unwrap();
            prop_assert_eq!(pinterest_ext::bulk::parse_line(&text).unwrap(), entry);
        }
    }

    #[test]
    fn resume_points_parse_or_refuse(text in "\\PC{0,80}", bookmark in "[A-Za-z0-9+/=]{1,40}", skip in any::<usize>()) {
        let _ = text.parse::<ResumePoint>();
        let point = ResumePoint { bookmark: Some(bookmark), skip };
        prop_assert_eq!(point.to_string().parse::<ResumePoint>().unwrap(), point);
    }

    #[test]
    fn response_bodies_decode_or_fail_with_a_path_never_panic(value in json_value(), bytes in proptest::collection::vec(any::<u8>(), 0..256), strict in any::<bool>()) {
        let body = serde_json::to_vec(&value).unwrap();
        for b in [&body[..], &bytes[..]] {
            let _ = decode::json::<types::Pin>(b, strict);
            let _ = decode::json::<types::PinsListResponse>(b, strict);
            let _ = decode::json::<types::Account>(b, strict);
            let _ = decode::json::<types::AdAccountAnalyticsResponse>(b, strict);
        }
    }

    #[test]
    fn video_headers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), flips in proptest::collection::vec((0usize..200, any::<u8>()), 0..20)) {
        let _ = pinterest_ext::media::probe_video(&bytes);
        let mut mp4 = minimal_mp4();
        for (at, b) in flips {
            if let Some(x) = mp4.get_mut(at) {
                *x = b;
            }
        }
        let _ = pinterest_ext::media::probe_video(&mp4);
    }

    #[test]
    fn pagination_ends_on_any_bookmark_sequence(pages in proptest::collection::vec((0usize..5, bookmark()), 1..12), limit in proptest::option::of(0usize..30)) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let total: usize = pages.iter().map(|p| p.0).sum();
        let fetched = Arc::new(Mutex::new(0usize));
        let fake = FakePages { pages: Arc::new(Mutex::new(pages.iter().cloned().collect())), fetched: fetched.clone() };
        let mut paginator = fake.paginate();
        if let Some(l) = limit {
            paginator = paginator.limit(l);
        }
        let results: Vec<_> = runtime.block_on(paginator.items().collect());
        let items = results.iter().filter(|r| r.is_ok()).count();
        prop_assert!(items <= total);
        prop_assert!(limit.is_none_or(|l| items <= l));
        prop_assert!(results.iter().filter(|r| r.is_err()).count() <= 1);
        prop_assert!(*fetched.lock().unwrap() <= pages.len() + 1, "one fetch per page at most");
    }

    #[test]
    fn the_limiter_never_waits_past_the_deadline(
        events in proptest::collection::vec((prop_oneof![Just(200u16), Just(429)], numeric_text(), numeric_text()), 0..6),
        budget_ms in 0u64..5000
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap();
        runtime.block_on(async {
            let limiter = RateLimiter::new(RateLimits::standard());
            let key = LimitKey::category(Some("org_write"));
            for (status, reset, retry) in &events {
                let h = header_map(&[("x-ratelimit-remaining", "0".into()), ("x-ratelimit-reset", reset.clone()), ("retry-after", retry.clone())]);
                limiter.observe(&key, StatusCode::from_u16(*status).unwrap(), &h).await;
            }
            let start = tokio::time::Instant::now();
            let deadline = start + Duration::from_millis(budget_ms);
            let _ = limiter.acquire(&key, deadline).await;
            assert!(start.elapsed() <= Duration::from_millis(budget_ms), "waited {:?} past a {budget_ms} ms budget", start.elapsed());
        });
    }
}

fn bookmark() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some(String::new())),
        "[ab]{1,2}".prop_map(Some)
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "\\PC{0,20}".prop_map(Value::String),
        prop_oneof![
            Just("id"),
            Just("items"),
            Just("bookmark"),
            Just("account_type"),
            Just("media")
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("items".to_string()),
                    Just("bookmark".to_string()),
                    Just("title".to_string()),
                    Just("account_type".to_string()),
                    Just("media".to_string()),
                    Just("AD_ACCOUNT_ID".to_string()),
                    "[a-z_]{1,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn minimal_mp4() -> Vec<u8> {
    fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }
    let mut mvhd = vec![0u8; 100];
    mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
    mvhd[16..20].copy_from_slice(&10_000u32.to_be_bytes());
    let mut tkhd = vec![0u8; 84];
    tkhd[76..80].copy_from_slice(&(640u32 << 16).to_be_bytes());
    tkhd[80..84].copy_from_slice(&(480u32 << 16).to_be_bytes());
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

/// One scripted page: (item count, next bookmark).
type ScriptedPage = (usize, Option<String>);

/// A paginated "operation" serving scripted pages.
#[derive(Clone)]
struct FakePages {
    pages: Arc<Mutex<VecDeque<ScriptedPage>>>,
    fetched: Arc<Mutex<usize>>,
}

impl Paginated for FakePages {
    type Item = u32;
    type Page = (Vec<u32>, Option<String>);
    const OPERATION: &'static str = "boards_list_pins";
    const MAX_PAGE_SIZE: Option<u64> = Some(250);

    fn with_bookmark(self, _bookmark: String) -> Self {
        self
    }
    fn with_page_size(self, _page_size: u64) -> Self {
        self
    }
    async fn send_page(self) -> Result<ResponseValue<Self::Page>, Error> {
        *self.fetched.lock().unwrap() += 1;
        let (n, next) = self.pages.lock().unwrap().pop_front().unwrap_or((0, None));
        Ok(ResponseValue::new(
            ((0..n as u32).collect(), next),
            StatusCode::OK,
            HeaderMap::new(),
        ))
    }
    fn into_parts(page: Self::Page) -> (Vec<u32>, Option<String>) {
        page
    }
}
