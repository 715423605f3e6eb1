//! The `pinterest` binary as a real process against a mock Pinterest
//! (httpmock): commands for every operation, login and refresh,
//! pagination with resume, dry-run as curl, usage errors that send
//! nothing, bulk creation surviving a kill, and charts.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use httpmock::Method::{GET, POST};
use httpmock::MockServer;
use serde_json::{Value, json};

/// The binary with a clean environment: the mock's URL, a private config
/// dir, and `extra` variables.
fn pinterest(server: &MockServer, config: &Path, extra: &[(&str, &str)]) -> Command {
    let mut cmd = Command::cargo_bin("pinterest").expect("binary built");
    cmd.env_clear()
        .env("PINTEREST_BASE_URL", server.base_url())
        .env("PINTEREST_CONFIG_DIR", config)
        .stdin(Stdio::null());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd
}

fn with_token(server: &MockServer, config: &Path) -> Command {
    pinterest(server, config, &[("PINTEREST_ACCESS_TOKEN", "pina_TEST")])
}

fn run(mut cmd: Command, args: &[&str]) -> Output {
    cmd.args(args).output().expect("process runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn lines(out: &Output) -> Vec<Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("NDJSON line"))
        .collect()
}

#[test]
fn every_operation_of_the_spec_is_a_command_reachable_by_tag_and_name() {
    let table = pinterest_cli::table::commands();
    assert_eq!(table.len(), pinterest_api::OPERATIONS.len());
    // Against the spec file itself, when ../shared is there.
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/spec/pinterest-v5/openapi-5.23.0.json");
    if let Ok(bytes) = std::fs::read(&spec) {
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        let count: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| {
                [
                    "get", "put", "post", "delete", "patch", "head", "options", "trace",
                ]
                .iter()
                .filter(|m| item.get(**m).is_some())
                .count()
            })
            .sum();
        assert_eq!(table.len(), count, "one command per operation of the spec");
    }
    let mut seen = std::collections::HashSet::new();
    for spec in table {
        assert!(
            seen.insert((spec.group, spec.name)),
            "{} {} twice",
            spec.group,
            spec.name
        );
        let op = spec.operation();
        assert_eq!(
            spec.group,
            op.tags
                .first()
                .map_or("other".to_string(), |t| t.replace('_', "-"))
        );
        let err = pinterest_cli::app::command(Some(spec.group), false)
            .try_get_matches_from(["pinterest", spec.group, spec.name, "--help"])
            .expect_err("help");
        assert_eq!(
            err.kind(),
            clap::error::ErrorKind::DisplayHelp,
            "{} {}",
            spec.group,
            spec.name
        );
        let help = err.to_string();
        assert!(help.contains(&format!("Operation: {}", op.id)), "{help}");
        assert!(help.contains("Scopes: ") && help.contains("Rate-limit category: "));
        if op.deprecated {
            assert!(help.contains("DEPRECATED"));
        }
    }
}

#[test]
fn help_names_scopes_and_category_and_enums_offer_their_values() {
    let server = MockServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        pinterest(&server, dir.path(), &[]),
        &["boards", "create", "--help"],
    );
    assert!(out.status.success());
    let help = text(&out.stdout);
    assert!(help.contains("Scopes: boards:read, boards:write"), "{help}");
    assert!(help.contains("Rate-limit category: org_write"), "{help}");
    assert!(help.contains("--privacy"), "{help}");
    let out = run(
        pinterest(&server, dir.path(), &[]),
        &["boards", "create", "--name", "x", "--privacy", "NOPE"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("PUBLIC") && err.contains("SECRET"), "{err}");
}

/// Every request the server gets when nothing should be sent.
fn catch_all(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|_, then| {
        then.status(500);
    })
}

#[test]
fn bad_input_is_a_usage_error_with_exit_2_and_sends_nothing() {
    let server = MockServer::start();
    let dir = tempfile::tempdir().unwrap();
    let any = catch_all(&server);
    let bad_body = dir.path().join("bad.json");
    std::fs::write(&bad_body, "{\"name\": ").unwrap();
    let bad_body = bad_body.to_string_lossy().into_owned();
    let cases: [(&[&str], &str); 5] = [
        (&["pins", "get", "--pin-id", "1", "--nope"], "--nope"),
        (&["boards", "list", "--privacy", "HIDDEN"], "HIDDEN"),
        (&["boards", "create", "--body", &bad_body], "not JSON"),
        (&["pins", "get"], "--pin-id"),
        (&["pins", "list", "--page-size", "ten"], "not an integer"),
    ];
    for (args, needle) in cases {
        let out = run(with_token(&server, dir.path()), args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let err = text(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(any.calls(), 0, "nothing was sent");
}

#[test]
fn errors_show_code_message_request_id_and_advice_with_documented_exit_codes() {
    let server = MockServer::start();
    let dir = tempfile::tempdir().unwrap();
    server.mock(|when, then| {
        when.method(GET).path("/pins/404");
        then.status(404)
            .header("x-pinterest-rid", "req-404")
            .json_body(json!({"code": 50, "message": "Pin not found."}));
    });
    let out = run(
        with_token(&server, dir.path()),
        &["pins", "get", "--pin-id", "404"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("Pinterest code 50: Pin not found."), "{err}");
    assert!(err.contains("request id: req-404"), "{err}");
    assert!(err.contains("advice:"), "{err}");
    assert!(!err.contains("pina_TEST"), "no token in errors");
    server.mock(|when, then| {
        when.method(GET).path("/pins/401");
        then.status(401)
            .json_body(json!({"code": 2, "message": "Authentication failed."}));
    });
    let out = run(
        with_token(&server, dir.path()),
        &["pins", "get", "--pin-id", "401"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    // No token at all: exit 3 and how to log in.
    let out = run(
        pinterest(&server, dir.path(), &[]),
        &["pins", "get", "--pin-id", "1"],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("pinterest login"));
}

fn boards_page(
    server: &MockServer,
    bookmark: Option<&str>,
    ids: &[u32],
    next: Option<&str>,
) -> usize {
    let m = server.mock(|when, then| {
        let when = when.method(GET).path("/boards");
        match bookmark {
            Some(b) => when.query_param("bookmark", b),
            None => when.query_param_missing("bookmark"),
        };
        let items: Vec<Value> = ids
            .iter()
            .map(|i| json!({"id": i.to_string(), "name": format!("b{i}")}))
            .collect();
        then.status(200)
            .json_body(json!({"items": items, "bookmark": next}));
    });
    m.id()
}

#[test]
fn all_streams_three_pages_limit_cuts_inside_a_page_and_resume_finishes_a_failed_run() {
    let server = MockServer::start();
    let dir = tempfile::tempdir().unwrap();
    boards_page(&server, None, &[1, 2], Some("b2"));
    let page2 = boards_page(&server, Some("b2"), &[3, 4], Some("b3"));
    let page3 = boards_page(&server, Some("b3"), &[5], None);
    let out = run(
        with_token(&server, dir.path()),
        &["boards", "list", "--all"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ids: Vec<String> = lines(&out)
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);

    let before = httpmock::Mock::new(page3, &server).calls();
    let out = run(
        with_token(&server, dir.path()),
        &["boards", "list", "--limit", "3"],
    );
    assert!(out.status.success());
    assert_eq!(lines(&out).len(), 3);
    assert_eq!(
        httpmock::Mock::new(page3, &server).calls(),
        before,
        "no page after the limit"
    );

    // Page 2 fails: the items so far are out, the bookmark is printed.
    httpmock::Mock::new(page2, &server).delete();
    let mut failing = server.mock(|when, then| {
        when.method(GET)
            .path("/boards")
            .query_param("bookmark", "b2");
        then.status(400)
            .json_body(json!({"code": 1, "message": "Invalid bookmark."}));
    });
    let out = run(
        with_token(&server, dir.path()),
        &["boards", "list", "--all"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out).len(), 2);
    let err = text(&out.stderr);
    assert!(err.contains("resume with: --resume b2"), "{err}");
    failing.delete();
    boards_page(&server, Some("b2"), &[3, 4], Some("b3"));
    let out = run(
        with_token(&server, dir.path()),
        &["boards", "list", "--all", "--resume", "b2"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ids: Vec<String> = lines(&out)
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["3", "4", "5"]);
}

#[test]
fn dry_run_prints_a_curl_command_that_gets_the_same_response() {
    let server = MockServer::start();
    let dir = tempfile::tempdir().unwrap();
    let any = server.mock(|when, then| {
        when.method(POST)
            .path("/boards")
            .header("authorization", "Bearer pina_TEST")
            .json_body(json!({"name": "Recipes", "privacy": "SECRET"}));
        then.status(201)
            .json_body(json!({"id": "42", "name": "Recipes", "privacy": "SECRET"}));
    });
    let args = [
        "boards",
        "create",
        "--name",
        "Recipes",
        "--privacy",
        "SECRET",
        "--format",
        "json",
    ];
    let mut dry_args = args.to_vec();
    dry_args.push("--dry-run");
    let dry = run(with_token(&server, dir.path()), &dry_args);
    assert!(dry.status.success());
    assert_eq!(any.calls(), 0, "--dry-run sends nothing");
    let curl = text(&dry.stdout);
    assert!(curl.starts_with("curl ") && curl.contains("$PINTEREST_ACCESS_TOKEN"));
    assert!(!curl.contains("pina_TEST"), "the token is not printed");
    let by_curl = Command::new("sh")
        .arg("-c")
        .arg(curl.trim())
        .env("PINTEREST_ACCESS_TOKEN", "pina_TEST")
        .output()
        .expect("sh and curl");
    assert!(by_curl.status.success(), "{}", text(&by_curl.stderr));
    let real = run(with_token(&server, dir.path()), &args);
    assert!(real.status.success(), "{}", text(&real.stderr));
    let a: Value = serde_json::from_slice(&by_curl.stdout).unwrap();
    let b: Value = serde_json::from_slice(&real.stdout).unwrap();
    assert_eq!(a, b);
    assert_eq!(any.calls(), 2);
}

fn token_body(access: &str, refresh: &str, expires_in: u64) -> Value {
    json!({
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "bearer",
        "expires_in": expires_in,
        "refresh_token_expires_in": 5_184_000,
        "scope": "boards:read,pins:read,user_accounts:read",
        "response_type": "refresh_token"
    })
}

/// A browser: GET `url` and return the status line.
fn browser_get(url: &str) -> String {
    let url = url::Url::parse(url).unwrap();
    let mut stream = TcpStream::connect((url.host_str().unwrap(), url.port().unwrap())).unwrap();
    let path = format!("{}?{}", url.path(), url.query().unwrap_or(""));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.lines().next().unwrap_or("").to_string()
}

#[test]
fn login_in_a_simulated_browser_then_whoami_then_an_expired_token_is_refreshed() {
    let server = MockServer::start();
    let dir = tempfile::tempdir().unwrap();
    // The code exchange gives a token that is already inside the refresh
    // margin; the refresh gives a fresh one.
    let exchange = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .form_urlencoded_tuple("grant_type", "authorization_code")
            .form_urlencoded_tuple("code", "granted");
        then.status(200)
            .json_body(token_body("pina_FIRST", "pinr_ONE", 60));
    });
    let refresh = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .form_urlencoded_tuple("grant_type", "refresh_token")
            .form_urlencoded_tuple("refresh_token", "pinr_ONE");
        then.status(200)
            .json_body(token_body("pina_SECOND", "pinr_ONE", 2_592_000));
    });
    let me = server.mock(|when, then| {
        when.method(GET)
            .path("/user_account")
            .header("authorization", "Bearer pina_SECOND");
        then.status(200)
            .json_body(json!({"username": "cookie_baker", "account_type": "BUSINESS"}));
    });
    let mut login = pinterest(&server, dir.path(), &[])
        .args([
            "login",
            "--no-browser",
            "--app-id",
            "1234",
            "--app-secret",
            "s3cret",
            "--redirect-uri",
            "http://127.0.0.1:0/callback",
            "--for",
            "pins list",
            "--timeout",
            "20",
        ])
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(login.stderr.take().unwrap());
    let mut authorize = None;
    let mut seen = String::new();
    while authorize.is_none() {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            panic!("login ended before printing the URL: {seen}");
        }
        seen.push_str(&line);
        if let Some(at) = line.find("https://") {
            authorize = Some(url::Url::parse(line[at..].trim()).unwrap());
        }
    }
    let authorize = authorize.unwrap();
    let param = |k: &str| {
        authorize
            .query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
            .unwrap()
    };
    // Exactly what `pins list` needs.
    assert_eq!(param("scope"), "boards:read,pins:read");
    let status = browser_get(&format!(
        "{}?code=granted&state={}",
        param("redirect_uri"),
        param("state")
    ));
    assert!(status.contains("200"), "{status}");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let done = login.wait().unwrap();
    assert!(done.success(), "{rest}");
    exchange.assert();
    assert!(!rest.contains("s3cret") && !rest.contains("pina_FIRST"));
    let token_file = dir.path().join("profiles/default/token.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in [&token_file, &dir.path().join("profiles/default/app.json")] {
            let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", f.display());
        }
    }
    // whoami: the stored token expires within the margin, so it is
    // refreshed first, with the app credentials saved at login.
    let out = run(
        pinterest(&server, dir.path(), &[]),
        &["whoami", "--format", "json"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["username"], "cookie_baker");
    refresh.assert_calls(1);
    me.assert_calls(1);
    // The refreshed token was saved: the next command does not refresh.
    let out = run(
        pinterest(&server, dir.path(), &[]),
        &["whoami", "--format", "json"],
    );
    assert!(out.status.success());
    refresh.assert_calls(1);
    let shown = run(
        pinterest(&server, dir.path(), &[]),
        &["token", "show", "--format", "json"],
    );
    let shown_text = text(&shown.stdout);
    assert!(
        shown_text.contains("(redacted)")
            && !shown_text.contains("pina_SECOND")
            && !shown_text.contains("pinr_ONE")
    );
    let out = run(pinterest(&server, dir.path(), &[]), &["logout"]);
    assert!(out.status.success());
    assert!(!token_file.exists());
}

#[test]
fn bulk_create_killed_mid_run_then_rerun_creates_no_duplicates() {
    let server = MockServer::start();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("pins.csv");
    let mut rows = String::from("key,board_id,image_url,title\n");
    for i in 1..=5 {
        rows.push_str(&format!("k{i},77,https://img.example/{i}.jpg,Pin {i}\n"));
    }
    std::fs::write(&csv, rows).unwrap();
    let created = |i: u32, delay: Duration| {
        server.mock(move |when, then| {
            when.method(POST)
                .path("/pins")
                .json_body_includes(json!({"title": format!("Pin {i}")}).to_string());
            then.status(201)
                .delay(delay)
                .json_body(json!({"id": format!("90{i}"), "title": format!("Pin {i}")}));
        })
    };
    // Run 1: pins 1 and 2 are created; pin 3 reaches the server, which
    // never answers in time: the process is killed while it waits.
    let first: Vec<_> = (1..=5)
        .map(|i| {
            created(
                i,
                if i == 3 {
                    Duration::from_secs(30)
                } else {
                    Duration::ZERO
                },
            )
        })
        .collect();
    let csv_arg = csv.to_string_lossy().into_owned();
    let mut child = with_token(&server, dir.path())
        .args(["pins", "bulk-create", &csv_arg, "--concurrency", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let journal = dir.path().join("pins.csv.journal");
    let deadline = Instant::now() + Duration::from_secs(20);
    while first[2].calls() == 0 {
        assert!(Instant::now() < deadline, "pin 3 never sent");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let recorded = std::fs::read_to_string(&journal).unwrap();
    assert!(recorded.contains("\"k3\""), "{recorded}");
    let hits_run1: Vec<usize> = first.iter().map(|m| m.calls()).collect();
    assert_eq!(hits_run1, [1, 1, 1, 0, 0]);
    for mut m in first {
        m.delete();
    }
    // Run 2, same command: 1 and 2 are skipped, 3 (outcome unknown) is not
    // resent, 4 and 5 are created. Exit 5 says some outcome is unknown.
    let second: Vec<_> = (1..=5).map(|i| created(i, Duration::ZERO)).collect();
    let out = run(
        with_token(&server, dir.path()),
        &["pins", "bulk-create", &csv_arg, "--concurrency", "2"],
    );
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    let hits_run2: Vec<usize> = second.iter().map(|m| m.calls()).collect();
    assert_eq!(hits_run2, [0, 0, 0, 1, 1]);
    let outcomes = std::fs::read_to_string(dir.path().join("pins.outcomes.csv")).unwrap();
    let lines: Vec<&str> = outcomes.lines().collect();
    assert_eq!(lines[0], "key,outcome,pin_id,error");
    assert!(lines[1].starts_with("k1,already_created,901"), "{outcomes}");
    assert!(lines[3].starts_with("k3,unknown,"), "{outcomes}");
    assert!(lines[4].starts_with("k4,created,904"), "{outcomes}");
    // Run 3: nothing left to send.
    let out = run(
        with_token(&server, dir.path()),
        &["pins", "bulk-create", &csv_arg],
    );
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(second.iter().map(|m| m.calls()).sum::<usize>(), 2);
}

/// 90 days of organic analytics ending today.
fn analytics_mock(server: &MockServer) -> (String, String, Vec<f64>) {
    let today = chrono::Utc::now().date_naive();
    let start = today - chrono::Duration::days(89);
    let mut days = Vec::new();
    let mut impressions = Vec::new();
    for i in 0..90 {
        let d = start + chrono::Duration::days(i);
        let imp = 100.0 + ((i * 37) % 90) as f64;
        impressions.push(imp);
        days.push(json!({"date": d.to_string(), "data_status": "READY", "metrics": {"IMPRESSION": imp, "SAVE": (i % 7) as f64}}));
    }
    server.mock(|when, then| {
        when.method(GET).path("/user_account/analytics");
        then.status(200)
            .json_body(json!({"all": {"daily_metrics": days, "summary_metrics": {}}}));
    });
    (start.to_string(), today.to_string(), impressions)
}

#[test]
fn plot_writes_an_svg_whose_series_and_labels_match_the_data_and_a_png() {
    let server = MockServer::start();
    let dir = tempfile::tempdir().unwrap();
    let (from, to, impressions) = analytics_mock(&server);
    let svg = dir.path().join("out.svg");
    let svg_arg = svg.to_string_lossy().into_owned();
    let base = [
        "analytics",
        "user",
        "--from",
        &from,
        "--to",
        &to,
        "--metrics",
        "IMPRESSION,SAVE",
    ];
    let mut args = base.to_vec();
    args.extend(["--plot", &svg_arg]);
    let out = run(with_token(&server, dir.path()), &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let source = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&source).expect("valid SVG");
    let series: Vec<Vec<(f64, f64)>> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .map(|n| {
            n.attribute("points")
                .unwrap()
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect::<Vec<(f64, f64)>>()
        })
        .filter(|pts| pts.len() == 90)
        .collect();
    assert_eq!(series.len(), 2, "one line per metric");
    // IMPRESSION is drawn first (sorted): its highest point (smallest y)
    // is the day with the most impressions.
    let top_day = series[0]
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.1.total_cmp(&b.1.1))
        .unwrap()
        .0;
    let max_day = impressions
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap()
        .0;
    assert_eq!(top_day, max_day);
    let labels: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect();
    assert!(
        labels.iter().any(|l| l == "IMPRESSION") && labels.iter().any(|l| l == "SAVE"),
        "{labels:?}"
    );
    assert!(
        labels.contains(&from),
        "the first date is a label: {labels:?}"
    );
    // PNG with the bundled font.
    let png = dir.path().join("out.png");
    let png_arg = png.to_string_lossy().into_owned();
    let mut args = base.to_vec();
    args.extend(["--plot", &png_arg]);
    let out = run(with_token(&server, dir.path()), &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000);
    // The terminal chart and CSV.
    let mut args = base.to_vec();
    args.extend(["--plot", "-"]);
    let out = run(with_token(&server, dir.path()), &args);
    assert!(text(&out.stdout).contains("* IMPRESSION   + SAVE"));
    let mut args = base.to_vec();
    args.extend(["--format", "csv"]);
    let out = run(with_token(&server, dir.path()), &args);
    let csv = text(&out.stdout);
    assert!(csv.starts_with("date,entity,IMPRESSION,SAVE\n"), "{csv}");
    assert_eq!(csv.lines().count(), 91);
}

#[test]
fn completions_and_man_page_cover_the_generated_commands() {
    let server = MockServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        pinterest(&server, dir.path(), &[]),
        &["completions", "bash"],
    );
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("bulk-create"));
    let out = run(pinterest(&server, dir.path(), &[]), &["man"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains(".TH pinterest"));
}

#[test]
fn verbose_shows_the_request_id_rate_limit_headers_attempts_and_time() {
    let server = MockServer::start();
    let dir = tempfile::tempdir().unwrap();
    server.mock(|when, then| {
        when.method(GET).path("/pins/7");
        then.status(200)
            .header("x-pinterest-rid", "rid-7")
            .header("x-ratelimit-remaining", "99")
            .json_body(json!({"id": "7", "title": "Cake"}));
    });
    let out = run(
        with_token(&server, dir.path()),
        &[
            "pins",
            "get",
            "--pin-id",
            "7",
            "--verbose",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("> GET ") && err.contains("/pins/7"), "{err}");
    assert!(err.contains("x-pinterest-rid: rid-7"), "{err}");
    assert!(err.contains("x-ratelimit-remaining: 99"), "{err}");
    assert!(err.contains("1 attempt(s)") && err.contains(" ms"), "{err}");
    assert!(!err.contains("pina_TEST"), "no token in verbose output");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["title"], "Cake");
}
