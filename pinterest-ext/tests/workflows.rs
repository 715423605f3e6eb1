//! Workflows against a mock Pinterest: video pins (with a mock upload
//! endpoint), the async job poller, analytics windows, and bulk creation
//! with a journal across a simulated crash.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Days;
use httpmock::prelude::*;
use pinterest_ext::analytics::{DateRange, Limits, today};
use pinterest_ext::bulk::{BulkOptions, Outcome};
use pinterest_ext::jobs::{Job, JobState, PollPolicy};
use pinterest_ext::testing::MockPinterest;
use pinterest_ext::{ErrorKind, NewPin, VideoCover, VideoUpload, types};
use serde_json::{Value, json};

/// A minimal MP4 header plus payload.
fn video_bytes() -> Vec<u8> {
    let mut v = vec![0, 0, 0, 0x18];
    v.extend_from_slice(b"ftypmp42");
    v.extend_from_slice(&[0u8; 12]);
    v.extend_from_slice(b"VIDEO-PAYLOAD-1234567890");
    v
}

const UPLOAD_PARAMETERS: [(&str, &str); 8] = [
    ("Content-Type", "multipart/form-data"),
    ("key", "uploads/11/aa/22/3:video:2030:5212"),
    ("policy", "eyJleHBpcmF0aW9uIjoiMj=="),
    ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
    (
        "x-amz-credential",
        "ASIA6QZJ/20220127/us-east-1/s3/aws4_request",
    ),
    ("x-amz-date", "20220127T185143Z"),
    ("x-amz-security-token", "IQoJb3JpZ2luX2VjEJr=="),
    ("x-amz-signature", "fcd6309a6aaee213348666a72abed8b4"),
];

/// Mocks for the video flow; `fail` names the stage that fails.
async fn video_mocks(pinterest: &MockPinterest, fail: Option<&str>) -> Arc<AtomicUsize> {
    let server = pinterest.server();
    let params: serde_json::Map<String, Value> = UPLOAD_PARAMETERS
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/media")
                .json_body(json!({"media_type": "video"}));
            if fail == Some("register") {
                then.status(400)
                    .json_body(json!({"code": 1, "message": "media type not allowed"}));
            } else {
                then.status(201).json_body(json!({
                    "media_id": "777",
                    "media_type": "video",
                    "upload_url": server.url("/s3-upload"),
                    "upload_parameters": params
                }));
            }
        })
        .await;
    server
        .mock_async(|when, then| {
            let mut when = when
                .method(POST)
                .path("/s3-upload")
                .header_missing("authorization");
            for (name, value) in UPLOAD_PARAMETERS {
                when = when.body_includes(format!("name=\"{name}\"\r\n\r\n{value}\r\n"));
            }
            when.body_includes("name=\"file\"; filename=\"clip.mp4\"")
                .body_includes("Content-Type: video/mp4")
                .body_includes("VIDEO-PAYLOAD-1234567890");
            if fail == Some("upload") {
                then.status(403)
                    .body("<Error><Code>AccessDenied</Code></Error>");
            } else {
                then.status(204);
            }
        })
        .await;
    let polls = Arc::new(AtomicUsize::new(0));
    let counter = polls.clone();
    server
        .mock_async(move |when, then| {
            when.method(GET)
                .path("/media/777")
                .is_true(move |_| counter.fetch_add(1, Ordering::SeqCst) < 2);
            then.status(200).json_body(
                json!({"media_id": "777", "media_type": "video", "status": "processing"}),
            );
        })
        .await;
    let final_status = if fail == Some("processing") {
        "failed"
    } else {
        "succeeded"
    };
    server
        .mock_async(|when, then| {
            when.method(GET).path("/media/777");
            then.status(200).json_body(
                json!({"media_id": "777", "media_type": "video", "status": final_status}),
            );
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/pins").json_body_includes(
                r#"{"board_id": "42", "media_source": {"source_type": "video_id", "media_id": "777", "cover_image_key_frame_time": 2}}"#,
            );
            if fail == Some("create pin") {
                then.status(400).json_body(json!({"code": 1, "message": "Invalid cover"}));
            } else {
                then.status(201).json_body(json!({"id": "9001", "board_id": "42", "title": "Crane"}));
            }
        })
        .await;
    polls
}

fn video_pin() -> NewPin {
    NewPin::video("42", VideoCover::KeyFrame(2)).title("Crane")
}

#[tokio::test]
async fn a_video_pin_in_one_call_from_bytes_a_path_and_a_reader() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clip.mp4");
    std::fs::write(&path, video_bytes()).unwrap();
    for source in ["bytes", "path", "reader"] {
        let pinterest = MockPinterest::start().await;
        let polls = video_mocks(&pinterest, None).await;
        let client = pinterest.client().await;
        let video = match source {
            "bytes" => VideoUpload::from_bytes(video_bytes(), "clip.mp4").unwrap(),
            "path" => VideoUpload::from_path(&path).await.unwrap(),
            _ => {
                let file = tokio::fs::File::open(&path).await.unwrap();
                VideoUpload::from_reader(file, video_bytes().len() as u64, "clip.mp4").unwrap()
            }
        };
        let pin = client
            .create_video_pin(video, video_pin(), &PollPolicy::fast())
            .await
            .expect(source);
        assert_eq!(pin.id.as_ref().map(|i| i.as_str()), Some("9001"));
        assert_eq!(
            polls.load(Ordering::SeqCst),
            3,
            "{source}: processing, processing, then succeeded"
        );
    }
}

#[tokio::test]
async fn each_video_stage_fails_with_its_name() {
    for stage in ["register", "upload", "processing", "create pin"] {
        let pinterest = MockPinterest::start().await;
        video_mocks(&pinterest, Some(stage)).await;
        let client = pinterest.client().await;
        let video = VideoUpload::from_bytes(video_bytes(), "clip.mp4").unwrap();
        let err = client
            .create_video_pin(video, video_pin(), &PollPolicy::fast())
            .await
            .unwrap_err();
        assert_eq!(err.stage(), Some(stage), "{err}");
        assert!(err.to_string().starts_with(&format!("[{stage}]")), "{err}");
    }
}

#[tokio::test]
async fn videos_are_checked_before_anything_is_sent() {
    let e = VideoUpload::from_bytes(b"GIF89a not a video at all".to_vec(), "clip.mp4").unwrap_err();
    assert_eq!(
        (e.kind(), e.stage()),
        (ErrorKind::InvalidRequest, Some("check"))
    );
    // The type comes from the bytes, not the name.
    assert!(e.to_string().contains("not an MP4, MOV or M4V file"), "{e}");
    VideoUpload::from_bytes(video_bytes(), "clip.avi").expect("an MP4 by its bytes");
    let e = VideoUpload::from_reader(tokio::io::empty(), 10, "clip.avi").unwrap_err();
    assert!(e.to_string().contains(".mp4, .m4v or .mov"), "{e}");
    let e = VideoUpload::from_reader(tokio::io::empty(), 3 * 1024 * 1024 * 1024, "big.mov")
        .unwrap_err();
    assert!(
        e.to_string().contains("the limit is 2147483647 bytes"),
        "{e}"
    );
    let e = VideoUpload::from_path("/no/such/clip.mp4")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io);
    // A pin without a board-compatible media id is refused before upload.
    let pinterest = MockPinterest::start().await;
    let client = pinterest.client().await;
    let e = client.create_pin(video_pin()).await.unwrap_err();
    assert!(e.to_string().contains("no media id"), "{e}");
}

fn report_request() -> types::AdsAnalyticsCreateAsyncRequest {
    serde_json::from_value(json!({
        "start_date": "2025-01-01",
        "end_date": "2025-01-31",
        "granularity": "DAY",
        "level": "ADVERTISER",
        "columns": ["SPEND_IN_DOLLAR"],
        "report_format": "CSV"
    }))
    .expect("a valid report request")
}

/// An ads report that is IN_PROGRESS twice, then `last`.
async fn report_mocks(pinterest: &MockPinterest, token: &str, last: Value) {
    let server = pinterest.server();
    let polls = Arc::new(AtomicUsize::new(0));
    let counter = polls.clone();
    let t = token.to_string();
    server
        .mock_async(move |when, then| {
            when.method(GET)
                .path("/ad_accounts/5/reports")
                .query_param("token", t.as_str())
                .is_true(move |_| counter.fetch_add(1, Ordering::SeqCst) < 2);
            then.status(200)
                .json_body(json!({"report_status": "IN_PROGRESS"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/ad_accounts/5/reports")
                .query_param("token", token);
            then.status(200).json_body(last.clone());
        })
        .await;
}

#[tokio::test]
async fn the_report_poller_goes_through_in_progress_to_a_downloaded_file() {
    let pinterest = MockPinterest::start().await;
    pinterest
        .server()
        .mock_async(|when, then| {
            when.method(POST)
                .path("/ad_accounts/5/reports")
                .json_body_includes(r#"{"level": "ADVERTISER"}"#);
            then.status(200)
                .json_body(json!({"report_status": "IN_PROGRESS", "token": "tok-1"}));
        })
        .await;
    let url = pinterest.server().url("/files/report.csv");
    report_mocks(
        &pinterest,
        "tok-1",
        json!({"report_status": "FINISHED", "url": url, "size": 24}),
    )
    .await;
    let download = pinterest
        .server()
        .mock_async(|when, then| {
            when.method(GET)
                .path("/files/report.csv")
                .header_missing("authorization");
            then.status(200).body("DATE,SPEND\n2025-01-01,3\n");
        })
        .await;
    let client = pinterest.client().await;
    let job = client
        .start_ads_report("5", report_request())
        .await
        .unwrap();
    assert_eq!(
        job,
        Job::AdsReport {
            ad_account_id: "5".into(),
            token: "tok-1".into()
        }
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.csv");
    let written = client
        .download_job_to_file(&job, &PollPolicy::fast(), &path)
        .await
        .unwrap();
    assert_eq!(written, 24);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "DATE,SPEND\n2025-01-01,3\n"
    );
    download.assert_async().await;
}

#[tokio::test]
async fn every_failure_status_is_an_error_that_says_what_happened() {
    for (status, words) in [
        ("FAILED", "FAILED"),
        ("EXPIRED", "EXPIRED"),
        ("CANCELLED", "CANCELLED"),
        ("DOES_NOT_EXIST", "DOES_NOT_EXIST"),
    ] {
        let pinterest = MockPinterest::start().await;
        report_mocks(&pinterest, "t", json!({"report_status": status})).await;
        let client = pinterest.client().await;
        let job = Job::AdsReport {
            ad_account_id: "5".into(),
            token: "t".into(),
        };
        let err = client
            .wait_for_job(&job, &PollPolicy::fast())
            .await
            .unwrap_err();
        assert_eq!(
            (err.kind(), err.stage()),
            (ErrorKind::Workflow, Some("poll")),
            "{status}"
        );
        assert!(err.to_string().contains(words), "{err}");
    }
    assert_eq!(JobState::parse("SUCCEEDED"), JobState::Finished);
    assert_eq!(JobState::parse("RUNNING"), JobState::InProgress);
}

#[tokio::test]
async fn an_expired_download_url_is_refreshed_and_other_jobs_share_the_poller() {
    let pinterest = MockPinterest::start().await;
    let server = pinterest.server();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let old = server.url("/files/old");
    let fresh = server.url("/files/fresh");
    server
        .mock_async(move |when, then| {
            when.method(GET)
                .path("/ad_accounts/5/leads_export/88")
                .is_true(move |_| counter.fetch_add(1, Ordering::SeqCst) == 0);
            then.status(200)
                .json_body(json!({"export_status": "FINISHED", "download_url": old}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/ad_accounts/5/leads_export/88");
            then.status(200)
                .json_body(json!({"export_status": "FINISHED", "download_url": fresh}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/files/old");
            then.status(403).body(
                "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
            );
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/files/fresh");
            then.status(200).body("lead,email\n1,a@b.c\n");
        })
        .await;
    let client = pinterest.client().await;
    let job = Job::LeadsExport {
        ad_account_id: "5".into(),
        leads_export_id: "88".into(),
    };
    let mut out = Vec::new();
    let n = client
        .download_job(&job, &PollPolicy::fast(), &mut out)
        .await
        .unwrap();
    assert_eq!(n, 19);
    assert_eq!(out, b"lead,email\n1,a@b.c\n");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "polled again for a fresh URL"
    );

    // Bulk and MMM jobs read their own status shapes.
    server
        .mock_async(|when, then| {
            when.method(GET).path("/ad_accounts/5/bulk/12");
            then.status(200)
                .json_body(json!({"status": "SUCCEEDED", "result_url": "https://x/r"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/ad_accounts/5/mmm_reports")
                .query_param("token", "m");
            then.status(200).json_body(
                json!({"code": 0, "data": {"report_status": "EXPIRED"}, "message": "ok"}),
            );
        })
        .await;
    let bulk = client
        .job_status(&Job::Bulk {
            ad_account_id: "5".into(),
            request_id: "12".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        (bulk.state, bulk.url.as_deref()),
        (JobState::Finished, Some("https://x/r"))
    );
    let mmm = client
        .job_status(&Job::MmmReport {
            ad_account_id: "5".into(),
            token: "m".into(),
        })
        .await
        .unwrap();
    assert_eq!(mmm.state, JobState::Expired);
}

#[tokio::test]
async fn a_long_ads_range_is_split_into_report_windows_and_merged() {
    let pinterest = MockPinterest::start().await;
    let server = pinterest.server();
    let range = DateRange::last_days(400, today());
    let windows = Limits::ADS_REPORT.windows(range, false, today()).unwrap();
    assert_eq!(
        windows.iter().map(|w| w.days()).collect::<Vec<_>>(),
        [186, 186, 28]
    );
    let mut creates = Vec::new();
    for (i, w) in windows.iter().enumerate() {
        let token = format!("w{i}");
        creates.push(
            server
                .mock_async(|when, then| {
                    when.method(POST).path("/ad_accounts/5/reports").json_body_includes(
                        json!({"start_date": w.start.to_string(), "end_date": w.end.to_string(), "report_format": "JSON", "granularity": "DAY"})
                            .to_string(),
                    );
                    then.status(200).json_body(json!({"report_status": "IN_PROGRESS", "token": token}));
                })
                .await,
        );
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/ad_accounts/5/reports")
                    .query_param("token", token.as_str());
                then.status(200).json_body(
                    json!({"report_status": "FINISHED", "url": server.url(format!("/dl/{token}"))}),
                );
            })
            .await;
        // Each report has two days: its first and last (1 dollar each).
        let rows = json!({"5": [
            {"DATE": w.start.to_string(), "SPEND_IN_DOLLAR": 1.0, "CTR": 0.1},
            {"DATE": w.end.to_string(), "SPEND_IN_DOLLAR": 1.0, "CTR": 0.3}
        ]});
        server
            .mock_async(|when, then| {
                when.method(GET).path(format!("/dl/{token}"));
                then.status(200).json_body(rows.clone());
            })
            .await;
    }
    let client = pinterest.client().await;
    let daily = client
        .ads_report_daily("5", report_request(), range, &PollPolicy::fast())
        .await
        .unwrap();
    for create in &creates {
        create.assert_calls_async(1).await;
    }
    assert_eq!(daily.len(), 6);
    assert_eq!(daily.totals()["SPEND_IN_DOLLAR"], 6.0);
    assert!(!daily.totals().contains_key("CTR"));
    let first = daily.rows().next().unwrap();
    assert_eq!((first.date, first.entity), (range.start, "5"));
    let mut csv = Vec::new();
    daily.write_csv(&mut csv).unwrap();
    assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 7);

    // A range the API cannot serve fails before sending anything.
    let too_old = DateRange::last_days(1000, today());
    let err = client
        .ads_report_daily("5", report_request(), too_old, &PollPolicy::fast())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("reach back 914 days"), "{err}");
    let organic =
        DateRange::new(today().checked_sub_days(Days::new(120)).unwrap(), today()).unwrap();
    let err = client.user_analytics(organic, vec![]).await.unwrap_err();
    assert!(err.to_string().contains("reach back 90 days"), "{err}");
}

type Posted = Arc<std::sync::Mutex<Vec<String>>>;

/// POST /pins answers by title: "bad*" 400, "flaky*" 502, "slow*" after a
/// long delay, others 201. Returns the titles posted, in order.
async fn pin_server(pinterest: &MockPinterest) -> Posted {
    let server = pinterest.server();
    let posted = Posted::default();
    let log = posted.clone();
    // Records every POST /pins and never matches, so the mocks below answer.
    server
        .mock_async(move |when, then| {
            when.is_true(move |req| {
                if req.method_str() == "POST" && req.uri().path() == "/pins" {
                    let body: Value = serde_json::from_slice(req.body_ref()).unwrap_or_default();
                    log.lock()
                        .unwrap()
                        .push(body["title"].as_str().unwrap_or("").to_string());
                }
                false
            });
            then.status(500);
        })
        .await;
    for (prefix, status, delay) in [("bad", 400, 0), ("flaky", 502, 0), ("slow", 201, 3000)] {
        server
            .mock_async(|when, then| {
                when.method(POST).path("/pins").is_true(move |req| {
                    req.body_string().contains(&format!("\"title\":\"{prefix}"))
                });
                then.status(status)
                    .delay(Duration::from_millis(delay))
                    .json_body(json!({"id": "1002", "code": 1, "message": "no"}));
            })
            .await;
    }
    server
        .mock_async(|when, then| {
            when.method(POST).path("/pins");
            then.status(201).json_body(json!({"id": "1001"}));
        })
        .await;
    posted
}

fn posted_titles(posted: &Posted) -> Vec<String> {
    posted.lock().unwrap().clone()
}

#[tokio::test]
async fn bulk_create_survives_failures_and_a_crash_without_duplicates() {
    let pinterest = MockPinterest::start().await;
    let posted = pin_server(&pinterest).await;
    let client = pinterest.client().await;
    let titles = [
        "a", "b", "bad-1", "c", "flaky-1", "d", "slow-1", "e", "f", "g",
    ];
    let pins = || {
        titles
            .iter()
            .map(|t| {
                (
                    t.to_string(),
                    NewPin::from_image_url("42", format!("https://x/{t}.jpg")).title(*t),
                )
            })
            .collect::<Vec<_>>()
    };
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("pins.journal");
    let progress = Arc::new(AtomicUsize::new(0));
    let seen = progress.clone();
    let options = BulkOptions::default()
        .concurrency(3)
        .journal(&journal)
        .on_progress(move |p| {
            seen.store(p.done, Ordering::SeqCst);
            assert_eq!(p.total, 10);
        });
    // Crash: the run is dropped while "slow-1" is in flight.
    let crashed = tokio::time::timeout(
        Duration::from_millis(800),
        client.create_pins(pins(), options.clone()),
    )
    .await;
    assert!(crashed.is_err(), "the run was interrupted");
    let finished_before_crash = progress.load(Ordering::SeqCst);
    assert!(finished_before_crash >= 6, "{finished_before_crash}");
    let first_run = posted_titles(&posted);
    assert_eq!(first_run.iter().filter(|t| *t == "slow-1").count(), 1);

    // Re-run from the journal.
    let report = client
        .create_pins(pins(), options.clone().resend_unknown(false))
        .await
        .unwrap();
    let outcome = |key: &str| &report.items.iter().find(|i| i.key == key).unwrap().outcome;
    assert!(matches!(outcome("a"), Outcome::AlreadyCreated(id) if id == "1001"));
    assert!(matches!(outcome("bad-1"), Outcome::Failed(e) if e.kind() == ErrorKind::BadRequest));
    assert!(
        matches!(outcome("flaky-1"), Outcome::Unknown(_)),
        "502 on a write: maybe created"
    );
    assert!(
        matches!(outcome("slow-1"), Outcome::Unknown(m) if m.contains("stopped while sending"))
    );
    assert_eq!(report.items.len(), 10);
    assert_eq!(report.unknown(), 2);
    assert_eq!(report.failed(), 1);
    assert_eq!(report.already_created() + report.created(), 7);

    // Every title except the failed one was posted exactly once across both runs.
    let all = posted_titles(&posted);
    for t in titles {
        let n = all.iter().filter(|x| *x == t).count();
        let expected = if t == "bad-1" { 2 } else { 1 };
        assert_eq!(n, expected, "{t} posted {n} times");
    }

    // A third run sends nothing new but the failed item.
    let before = posted_titles(&posted).len();
    client.create_pins(pins(), options).await.unwrap();
    assert_eq!(posted_titles(&posted).len(), before + 1);
}

#[tokio::test]
async fn a_corrupt_journal_is_an_error_and_a_torn_last_line_is_not() {
    let pinterest = MockPinterest::start().await;
    pin_server(&pinterest).await;
    let client = pinterest.client().await;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j");
    std::fs::write(
        &journal,
        "{\"event\":\"created\",\"key\":\"a\",\"id\":\"1\"}\n{\"event\":\"crea",
    )
    .unwrap();
    let pins = vec![
        (
            "a".to_string(),
            NewPin::from_image_url("42", "https://x/a.jpg").title("a"),
        ),
        (
            "b".to_string(),
            NewPin::from_image_url("42", "https://x/b.jpg").title("b"),
        ),
    ];
    let report = client
        .create_pins(pins.clone(), BulkOptions::default().journal(&journal))
        .await
        .unwrap();
    assert_eq!(
        (report.already_created(), report.created()),
        (1, 1),
        "{report:?}"
    );
    std::fs::write(&journal, "garbage\n{\"event\":\"started\",\"key\":\"a\"}\n").unwrap();
    let err = client
        .create_pins(pins, BulkOptions::default().journal(&journal))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("line 1 is not a journal record"),
        "{err}"
    );
}
