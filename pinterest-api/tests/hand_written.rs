//! Tests of pinterest-api's hand-written modules (error, headers, query
//! encodings, call URLs, id patterns). They live here, not in `#[cfg(test)]` modules, because the
//! library is never built as a test harness: that would compile the
//! generated code a second time (`test = false` in its manifest; see
//! BENCHMARKS.md, cold start).

mod error {
    use bytes::Bytes;
    use pinterest_api::{Error, ErrorKind, Method, REQUEST_ID_HEADER};
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    fn response(status: u16, body: &'static [u8]) -> Error {
        Error::from_response(
            StatusCode::from_u16(status).unwrap(),
            &HeaderMap::new(),
            Bytes::from_static(body),
        )
    }

    #[test]
    fn kind_comes_from_status_and_code_is_kept_as_data() {
        let e = response(429, br#"{"code": 8, "message": "slow down"}"#);
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert_eq!(e.code(), Some(8));
        // Code 8 with 401 is still "unauthorized": status decides.
        let e = response(401, br#"{"code": 8, "message": "x"}"#);
        assert_eq!(e.kind(), ErrorKind::Unauthorized);
        assert!(!e.is_retryable());
    }

    #[test]
    fn non_pinterest_bodies_become_an_excerpt_and_display_is_one_line() {
        let html = format!("<html><body>{}</body></html>", "x".repeat(500));
        let e = Error::from_response(
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            Bytes::from(html.clone()),
        );
        assert_eq!(e.kind(), ErrorKind::Server);
        let excerpt = e.body_excerpt().unwrap();
        assert!(excerpt.starts_with("<html><body>xxx"));
        assert!(excerpt.chars().count() <= 201);
        assert_eq!(e.body(), Some(html.as_bytes()));
        let line = e.to_string();
        assert!(line.contains("HTTP 502"), "{line}");
        assert!(
            !line.contains('\n') && !line.contains("retry later"),
            "{line}"
        );
        assert!(format!("{e:#}").ends_with("Pinterest failed; retry later"));
    }

    #[test]
    fn writes_with_ambiguous_failures_are_outcome_unknown() {
        let post = |status: u16, body: &'static [u8]| {
            response(status, body).with_operation("pins/create", Method::Post)
        };
        for status in [500, 502, 504, 507, 520, 599] {
            assert!(post(status, b"").write_outcome_unknown(), "{status}");
        }
        assert!(post(503, br#"{"code": 1, "message": "busy"}"#).write_outcome_unknown());
        assert!(!post(503, br#"{"code": 4197, "message": "ramped down"}"#).write_outcome_unknown());
        for status in [429, 400, 501, 505] {
            assert!(!post(status, b"").write_outcome_unknown(), "{status}");
        }
        let get = response(502, b"").with_operation("pins/get", Method::Get);
        assert!(!get.write_outcome_unknown());
    }

    #[test]
    fn decode_errors_name_the_path_and_keep_the_body() {
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID_HEADER, "rid-1".parse().unwrap());
        let e = Error::decode(
            StatusCode::OK,
            &headers,
            Bytes::from_static(b"{\"items\": [1]}"),
            Some("items[0]".into()),
            "invalid type: integer `1`, expected struct Pin".into(),
        )
        .with_operation("pins/list", Method::Get);
        assert_eq!(
            e.to_string(),
            "pins/list (GET): response did not decode, HTTP 200: invalid type: integer `1`, expected struct Pin at items[0] [request id rid-1]"
        );
        assert_eq!(e.decode_path(), Some("items[0]"));
        assert_eq!(e.body(), Some(&b"{\"items\": [1]}"[..]));
    }

    #[test]
    fn no_token_or_body_appears_in_debug_output() {
        let e = Error::from_response(
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            Bytes::from_static(b"pina_SECRET_IN_BODY"),
        );
        assert!(!format!("{e:?}").contains("pina_SECRET_IN_BODY"));
    }
}

mod headers {
    use std::time::{Duration, UNIX_EPOCH};

    use pinterest_api::headers::{reset_delay, retry_after_at};
    use reqwest::header::HeaderMap;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn reset_is_read_by_magnitude_and_bounded() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let d = |v: &str| reset_delay(v, now);
        assert_eq!(d("12"), Some(Duration::from_secs(12)));
        assert_eq!(d("0.4"), Some(Duration::from_millis(400)));
        assert_eq!(
            d("1700000060"),
            Some(Duration::from_secs(60)),
            "epoch seconds"
        );
        assert_eq!(
            d("1700000060000"),
            Some(Duration::from_secs(60)),
            "epoch millis"
        );
        assert_eq!(d("1600000000"), Some(Duration::ZERO), "in the past");
        for bad in [
            "inf", "-inf", "NaN", "-1", "1e20", "1e300", "abc", "86400000",
        ] {
            assert_eq!(d(bad), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_takes_seconds_dates_or_an_exhausted_reset() {
        // 1_700_000_000 is 2023-11-14 22:13:20 UTC.
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let at = |h: &HeaderMap| retry_after_at(h, now);
        assert_eq!(
            at(&headers(&[("retry-after", "7")])),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            at(&headers(&[(
                "retry-after",
                "Tue, 14 Nov 2023 22:14:20 GMT"
            )])),
            Some(Duration::from_secs(60))
        );
        assert_eq!(at(&headers(&[("retry-after", "-5")])), None);
        assert_eq!(at(&headers(&[("retry-after", "86400000")])), None);
        let exhausted = [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "12")];
        assert_eq!(at(&headers(&exhausted)), Some(Duration::from_secs(12)));
        let left = [("x-ratelimit-remaining", "3"), ("x-ratelimit-reset", "12")];
        assert_eq!(at(&headers(&left)), None);
        let frac = [
            ("x-ratelimit-remaining", "0.0"),
            ("x-ratelimit-reset", "12"),
        ];
        assert_eq!(at(&headers(&frac)), None, "a count is an integer");
    }
}

mod query {
    use pinterest_api::query::{DeepObject, Delimited};
    use serde::Serialize;
    use serde_json::{Value, json};

    fn http() -> reqwest::Client {
        pinterest_api::tls::http_client_builder().build().unwrap()
    }

    fn query_of<T: Serialize>(value: &T) -> String {
        http()
            .get("http://h/")
            .query(value)
            .build()
            .unwrap()
            .url()
            .query()
            .unwrap_or("")
            .to_string()
    }

    fn decoded(query: &str) -> Vec<(String, String)> {
        url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }

    #[test]
    fn deep_object_nests_and_skips_nulls() {
        let v = json!({"catalog_type": "RETAIL", "report": {"report_type": "FEED_INGESTION_ISSUES", "x": null}, "n": 3});
        let q = query_of(&DeepObject::new("parameters", &v));
        let mut pairs = decoded(&q);
        // The server reads keys, not positions.
        pairs.sort();
        assert_eq!(
            pairs,
            [
                ("parameters[catalog_type]".into(), "RETAIL".into()),
                ("parameters[n]".into(), "3".into()),
                (
                    "parameters[report][report_type]".into(),
                    "FEED_INGESTION_ISSUES".into()
                ),
            ]
        );
        assert_eq!(query_of(&DeepObject::new("p", &Option::<Value>::None)), "");
    }

    #[test]
    fn delimited_joins_and_omits_empty() {
        let q = query_of(&Delimited::new("columns", ',', &Some(vec!["A", "B"])));
        assert_eq!(decoded(&q), [("columns".into(), "A,B".into())]);
        assert_eq!(
            query_of(&Delimited::new("columns", ',', &Vec::<String>::new())),
            ""
        );
        let q = query_of(&Delimited::new("ids", '|', &[1, 2]));
        assert_eq!(decoded(&q), [("ids".into(), "1|2".into())]);
    }

    #[test]
    fn delimited_rejects_nested_values() {
        let err = http()
            .get("http://h/")
            .query(&Delimited::new("c", ',', &json!([{"a": 1}])))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("builder error"), "{err}");
    }
}

mod runtime_url {
    use pinterest_api::runtime::url;
    use pinterest_api::{Client, ErrorKind, Hooks};

    #[test]
    fn a_call_url_is_what_parsing_base_and_path_together_gives() {
        let bases = [
            "https://api.pinterest.com/v5",
            "https://api-sandbox.pinterest.com/v5/",
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "http://user@localhost:1/a/b",
            "HTTP://Example.COM/v5",
            "https://api.pinterest.com/v5?x=1",
        ];
        let paths = [
            "/pins/42",
            "/user_account",
            "/pins/a%20b",
            "/pins/..",
            "/boards/1/pins",
            "/pins/ü",
        ];
        for base in bases {
            let client = Client::new(base, Hooks::none());
            for path in paths {
                let ours = url(&client, path).unwrap();
                let whole = reqwest::Url::parse(&format!("{base}{path}")).unwrap();
                assert_eq!(ours, whole, "{base} + {path}");
            }
        }
    }

    #[test]
    fn hooks_shared_by_clients_of_two_bases_give_each_its_own() {
        let hooks = Hooks::none();
        let a = Client::new("http://a.test/v5", hooks.clone());
        let b = Client::new("http://b.test/v5", hooks);
        assert_eq!(url(&a, "/pins").unwrap().as_str(), "http://a.test/v5/pins");
        assert_eq!(url(&b, "/pins").unwrap().as_str(), "http://b.test/v5/pins");
        assert_eq!(url(&a, "/pins").unwrap().as_str(), "http://a.test/v5/pins");
    }

    #[test]
    fn a_request_without_a_body_is_the_one_reqwests_builder_gives() {
        use pinterest_api::runtime::request;
        use reqwest::Method;
        let client = Client::new("http://pinterest.test/v5", Hooks::none());
        for (url, method) in [
            ("http://pinterest.test/v5/pins/42?a=1", Method::GET),
            ("http://pinterest.test/v5/pins/42", Method::DELETE),
            ("http://user:secret@pinterest.test/v5/pins", Method::POST),
            ("http://user@pinterest.test/v5/pins", Method::GET),
        ] {
            let url = reqwest::Url::parse(url).unwrap();
            let ours = request(&client, method.clone(), url.clone()).unwrap();
            let built = client.http().request(method, url).build().unwrap();
            assert_eq!(ours.method(), built.method());
            assert_eq!(ours.url(), built.url(), "credentials move out of the URL");
            assert_eq!(ours.headers(), built.headers());
            assert!(ours.body().is_none());
        }
        let with_credentials = reqwest::Url::parse("http://user:secret@pinterest.test/").unwrap();
        let ours = request(&client, Method::GET, with_credentials).unwrap();
        assert!(ours.headers().contains_key(reqwest::header::AUTHORIZATION));
    }

    #[test]
    fn a_base_that_is_not_a_url_is_an_error_that_names_it() {
        let client = Client::new("not a url", Hooks::none());
        let err = url(&client, "/pins").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        assert!(err.to_string().contains("`not a url`"), "{err}");
    }
}

mod id_patterns {
    use pinterest_api::decode::is_ascii_digits;

    /// The byte scan agrees with `regress` (what typify used) on `^\d+$`.
    #[test]
    fn the_digit_check_agrees_with_the_regex() {
        let regex = regress::Regex::new(r"^\d+$").unwrap();
        for value in [
            "",
            "0",
            "42",
            "549755885175",
            "007",
            " 1",
            "1 ",
            "1\n",
            "\n1",
            "+1",
            "-1",
            "1.0",
            "1e3",
            "١٢٣",
            "１２",
            "12a",
            "a12",
            "0x1f",
            "1_000",
        ] {
            assert_eq!(
                is_ascii_digits(value),
                regex.find(value).is_some(),
                "{value:?}"
            );
        }
    }
}

mod decoded_memo {
    use std::sync::{Arc, Mutex};

    use bytes::Bytes;
    use pinterest_api::types::AccountAccountType;
    use pinterest_api::{
        BoxFuture, Call, Client, DecodedMemo, ErrorKind, Hooks, Middleware, RawResponse, Result,
    };
    use reqwest::StatusCode;

    /// Answers every call with a copy of `response`, as a cache's hits do.
    #[derive(Debug)]
    struct Answer {
        response: Mutex<RawResponse>,
    }

    impl Middleware for Answer {
        fn execute<'a>(
            &'a self,
            _: &'a reqwest::Client,
            _: reqwest::Request,
            _: Call,
        ) -> BoxFuture<'a, Result<RawResponse>> {
            let response = self.response.lock().unwrap().clone();
            Box::pin(async move { Ok(response) })
        }
    }

    fn answering(body: &Bytes, memo: &Arc<DecodedMemo>, strict: bool) -> (Client, Arc<Answer>) {
        let answer = Arc::new(Answer {
            response: Mutex::new(
                RawResponse::new(StatusCode::OK, Default::default(), body.clone())
                    .with_memo(memo.clone()),
            ),
        });
        let hooks = Hooks::with_middleware(answer.clone()).strict(strict);
        (Client::new("http://pinterest.test/v5", hooks), answer)
    }

    #[tokio::test]
    async fn the_first_reader_fills_the_memo_and_the_next_get_the_same_value() {
        let body = Bytes::from_static(br#"{"username": "cook", "account_type": "BUSINESS"}"#);
        let memo = Arc::new(DecodedMemo::new());
        let (client, _) = answering(&body, &memo, false);
        assert!(!memo.is_filled());
        let first = client.user_account_get().send().await.unwrap().into_inner();
        assert!(memo.is_filled());
        for _ in 0..3 {
            let again = client.user_account_get().send().await.unwrap().into_inner();
            assert_eq!(format!("{again:?}"), format!("{first:?}"));
        }
        assert_eq!(first.username.as_deref(), Some("cook"));
    }

    #[tokio::test]
    async fn a_memo_serves_only_the_bytes_it_was_filled_from() {
        let memo = Arc::new(DecodedMemo::new());
        let a = Bytes::from_static(br#"{"username": "a"}"#);
        let (client, answer) = answering(&a, &memo, false);
        client.user_account_get().send().await.unwrap();
        assert!(memo.is_filled());
        // Another body handed the same memo (a middleware that replaced
        // the body, say) is decoded, not answered from the memo.
        answer.response.lock().unwrap().body = Bytes::from_static(br#"{"username": "b"}"#);
        let b = client.user_account_get().send().await.unwrap().into_inner();
        assert_eq!(b.username.as_deref(), Some("b"));
        // The same content in other bytes is decoded too: equal, and
        // correct.
        answer.response.lock().unwrap().body = Bytes::copy_from_slice(&a);
        let again = client.user_account_get().send().await.unwrap().into_inner();
        assert_eq!(again.username.as_deref(), Some("a"));
    }

    #[tokio::test]
    async fn a_value_decoded_leniently_is_not_served_to_a_strict_client() {
        let body = Bytes::from_static(br#"{"username": "cook", "account_type": "CREATOR"}"#);
        let memo = Arc::new(DecodedMemo::new());
        let (lenient, _) = answering(&body, &memo, false);
        let value = lenient
            .user_account_get()
            .send()
            .await
            .unwrap()
            .into_inner();
        assert!(matches!(
            value.account_type,
            Some(AccountAccountType::Unknown(ref v)) if v == "CREATOR"
        ));
        assert!(memo.is_filled());
        let (strict, _) = answering(&body, &memo, true);
        let err = strict.user_account_get().send().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert!(err.to_string().contains("CREATOR"), "{err}");
    }
}
/// A call's future holds a pointer to the boxed future that runs the
/// request, not the request and the transport's future: every caller's
/// `.await` moves it into its own state, so its size is copied per call.
#[test]
fn a_calls_future_is_small_whatever_the_operation() {
    let client = pinterest_api::Client::new("http://x.test", pinterest_api::Hooks::none());
    let account = client.user_account_get().send();
    let boards = client.boards_list().page_size(25).send();
    let delete = client.pins_delete().pin_id("42").send();
    for (name, size) in [
        ("user_account_get", std::mem::size_of_val(&account)),
        ("boards_list", std::mem::size_of_val(&boards)),
        ("pins_delete", std::mem::size_of_val(&delete)),
    ] {
        assert!(size <= 128, "{name}: {size} bytes");
    }
}
