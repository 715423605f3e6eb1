//! Many processes, many accounts, one real Redis (`redis-server` from the
//! system's packages; `.ci/run` installs it). Workers are this test binary
//! run again as OS processes (`worker`, ignored unless asked for), against
//! a mock Pinterest that rotates tokens like the real one: every refresh
//! retires the refresh token it used, and only the newest access token of
//! an account is accepted.
//!
//! Redis: `PINTEREST_TEST_REDIS_URL` when set (`.ci/run` starts one on a
//! loopback port), else each test starts its own `redis-server`. Every
//! test uses its own key prefix and deletes its keys at the end.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use pinterest_ext::bulk::BulkOptions;
use pinterest_ext::redis::{LimiterFallback, Redis, RedisConfig};
use pinterest_ext::{
    AppCredentials, ClientPool, ErrorKind, NewPin, RateLimits, RetryPolicy, Token, TokenStore,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const KEY: [u8; 32] = [42; 32];

// ---------------------------------------------------------------- Redis

/// A `redis-server` this test started (killed when dropped).
struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl RedisServer {
    /// Starts a server with an append-only file (so a restart keeps keys).
    fn start() -> RedisServer {
        let mut server = RedisServer {
            child: None,
            port: free_port(),
            dir: tempfile::tempdir().unwrap(),
        };
        server.spawn();
        server
    }

    fn spawn(&mut self) {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
            ])
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed (apt-get install redis-server; .ci/run does it)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if redis_cli(&self.url(), &["PING"]).trim() == "PONG" {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server did not start on port {}", self.port);
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs `redis-cli -u URL args...`.
fn redis_cli(url: &str, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .arg("-u")
        .arg(url)
        .args(args)
        .output()
        .expect("redis-cli is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The Redis of one test: the shared one, or a server of its own; and a
/// key prefix of its own, deleted at the end.
struct TestRedis {
    url: String,
    prefix: String,
    _own: Option<RedisServer>,
}

impl TestRedis {
    fn new(name: &str) -> TestRedis {
        let prefix = format!("test:{name}:{}:", std::process::id());
        match std::env::var("PINTEREST_TEST_REDIS_URL") {
            Ok(url) if !url.is_empty() => TestRedis {
                url,
                prefix,
                _own: None,
            },
            _ => {
                let own = RedisServer::start();
                TestRedis {
                    url: own.url(),
                    prefix,
                    _own: Some(own),
                }
            }
        }
    }

    fn config(&self) -> RedisConfig {
        RedisConfig::new(&self.url)
            .prefix(&self.prefix)
            .encryption_key(KEY)
            .lease_ttl(Duration::from_secs(2))
    }

    async fn connect(&self) -> Redis {
        Redis::connect(self.config()).await.unwrap()
    }

    fn keys(&self) -> Vec<String> {
        redis_cli(
            &self.url,
            &["--scan", "--pattern", &format!("{}*", self.prefix)],
        )
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
        .collect()
    }
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        for key in self.keys() {
            redis_cli(&self.url, &["DEL", &key]);
        }
    }
}

// ------------------------------------------------------- mock Pinterest

/// A Pinterest that rotates tokens: per account, the current access and
/// refresh tokens (`pina_{account}_{n}`, `pinr_{account}_{n}`).
#[derive(Default)]
struct Pinterest {
    current: Mutex<HashMap<String, u64>>,
    refreshes: Mutex<BTreeMap<String, u64>>,
    /// Refresh requests received (answered or not).
    refresh_requests: AtomicUsize,
    /// Calls made with a token that was not the account's newest.
    stale_calls: AtomicUsize,
    api_calls: AtomicUsize,
    created: AtomicUsize,
    /// The first refresh request waits this long before answering.
    first_refresh_delay: Mutex<Option<Duration>>,
}

fn access(account: &str, n: u64) -> String {
    format!("pina_{account}_{n}")
}

fn refresh(account: &str, n: u64) -> String {
    format!("pinr_{account}_{n}")
}

/// `(account, n)` of a token `pin?_{account}_{n}`.
fn parse_token(token: &str) -> Option<(String, u64)> {
    let rest = token.get(5..)?;
    let (account, n) = rest.rsplit_once('_')?;
    Some((account.to_string(), n.parse().ok()?))
}

impl Pinterest {
    fn add(&self, account: &str) {
        self.current.lock().unwrap().insert(account.to_string(), 0);
    }

    fn generation(&self, account: &str) -> u64 {
        self.current.lock().unwrap()[account]
    }

    async fn handle(&self, method: &str, path: &str, headers: &str, body: &str) -> (u16, String) {
        if path.ends_with("/oauth/token") && method == "POST" {
            let first = self.refresh_requests.fetch_add(1, Ordering::SeqCst) == 0;
            let delay = *self.first_refresh_delay.lock().unwrap();
            if first && let Some(delay) = delay {
                tokio::time::sleep(delay).await;
                // Never answered in time: the holder was killed meanwhile.
                return (503, "{}".into());
            }
            let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
                .into_owned()
                .collect();
            let Some((account, n)) = form.get("refresh_token").and_then(|t| parse_token(t)) else {
                return (
                    400,
                    json!({"code": 1, "message": "no refresh token"}).to_string(),
                );
            };
            let mut current = self.current.lock().unwrap();
            if current.get(&account) != Some(&n) {
                return (
                    400,
                    json!({"code": 283, "message": "invalid_grant"}).to_string(),
                );
            }
            current.insert(account.clone(), n + 1);
            *self
                .refreshes
                .lock()
                .unwrap()
                .entry(account.clone())
                .or_default() += 1;
            return (
                200,
                json!({
                    "access_token": access(&account, n + 1),
                    "refresh_token": refresh(&account, n + 1),
                    "token_type": "bearer",
                    "expires_in": 2_592_000,
                    "refresh_token_expires_in": 5_184_000,
                    "scope": "user_accounts:read,pins:read,pins:write,boards:read,boards:write",
                    "response_type": "refresh_token"
                })
                .to_string(),
            );
        }
        let bearer = headers
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("authorization")
                    .then(|| v.trim().trim_start_matches("Bearer ").to_string())
            })
            .unwrap_or_default();
        let Some((account, n)) = parse_token(&bearer) else {
            return (
                401,
                json!({"code": 2, "message": "Authentication failed."}).to_string(),
            );
        };
        if self.current.lock().unwrap().get(&account) != Some(&n) {
            self.stale_calls.fetch_add(1, Ordering::SeqCst);
            return (
                401,
                json!({"code": 2, "message": "Authentication failed."}).to_string(),
            );
        }
        self.api_calls.fetch_add(1, Ordering::SeqCst);
        if path.ends_with("/pins") && method == "POST" {
            let id = self.created.fetch_add(1, Ordering::SeqCst);
            return (201, json!({"id": format!("{}", 7000 + id)}).to_string());
        }
        (200, json!({"username": account}).to_string())
    }
}

/// Serves `pinterest` on a loopback port; returns its base URL.
async fn serve(pinterest: Arc<Pinterest>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let pinterest = pinterest.clone();
            tokio::spawn(connection(stream, pinterest));
        }
    });
    format!("http://{addr}")
}

async fn connection(mut stream: tokio::net::TcpStream, pinterest: Arc<Pinterest>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let len = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().unwrap_or(0))
            })
            .unwrap_or(0);
        while buf.len() < head_end + len {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = String::from_utf8_lossy(&buf[head_end..head_end + len]).to_string();
        buf.drain(..head_end + len);
        let mut first = head.lines().next().unwrap_or("").split_whitespace();
        let (method, path) = (first.next().unwrap_or(""), first.next().unwrap_or("/"));
        let (status, reply) = pinterest.handle(method, path, &head, &body).await;
        let response = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
            reply.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

// ------------------------------------------------------------- workers

/// What a worker process does.
#[derive(Serialize, Deserialize, Clone)]
struct Job {
    scenario: String,
    redis: String,
    prefix: String,
    api: String,
    accounts: Vec<String>,
    tasks: usize,
    /// Seconds since the epoch: the sweep's "now".
    now: i64,
    window_days: i64,
}

/// What a worker reports.
#[derive(Serialize, Deserialize, Debug, Default)]
struct Outcome {
    ok: usize,
    errors: Vec<String>,
    /// (account asked for, username the API answered).
    answers: Vec<(String, String)>,
    swept: bool,
    refreshed: Vec<String>,
    needs_reauthorization: Vec<String>,
}

const JOB_VAR: &str = "PINTEREST_TEST_WORKER_JOB";

fn spawn_worker(job: &Job) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            // The test's path in the one integration-test binary.
            "redis::worker",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(JOB_VAR, serde_json::to_string(job).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn wait_worker(mut child: Child) -> Outcome {
    let stdout = child.stdout.take().unwrap();
    let mut outcome = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        // The harness prints "test redis::worker ... " before it on the same line.
        if let Some(at) = line.find("RESULT ") {
            outcome = Some(serde_json::from_str(&line[at + 7..]).unwrap());
        }
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "worker failed: {status}");
    outcome.expect("the worker reported")
}

async fn pool(job: &Job, redis: &Redis) -> ClientPool {
    ClientPool::builder()
        .base_url(&job.api)
        .credentials(AppCredentials::new("app", "secret"))
        .accounts(redis.accounts())
        .limiter(redis.limiter(RateLimits::unlimited()))
        .retry(RetryPolicy::default().max_attempts(2))
        .build()
        .unwrap()
}

/// The worker entry point (run as a process by the tests).
#[test]
#[ignore = "run as a worker process by the other tests"]
fn worker() {
    let Ok(job) = std::env::var(JOB_VAR) else {
        return;
    };
    let job: Job = serde_json::from_str(&job).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let outcome = runtime.block_on(async move {
        let redis = Redis::connect(
            RedisConfig::new(&job.redis)
                .prefix(&job.prefix)
                .encryption_key(KEY)
                .lease_ttl(Duration::from_secs(2)),
        )
        .await
        .unwrap();
        let pool = pool(&job, &redis).await;
        let mut outcome = Outcome::default();
        match job.scenario.as_str() {
            "calls" => {
                let mut tasks = Vec::new();
                for account in &job.accounts {
                    for _ in 0..job.tasks {
                        let (pool, account) = (pool.clone(), account.clone());
                        tasks.push(tokio::spawn(async move {
                            let client = pool.client(&account).await?;
                            let me = client.user_account_get().send().await?;
                            Ok::<_, pinterest_ext::Error>((
                                account,
                                me.username.clone().unwrap_or_default(),
                            ))
                        }));
                    }
                }
                for task in tasks {
                    match task.await.unwrap() {
                        Ok(answer) => {
                            outcome.ok += 1;
                            outcome.answers.push(answer);
                        }
                        Err(e) => outcome.errors.push(format!("{e:#}")),
                    }
                }
            }
            "sweep" => {
                let now = chrono::DateTime::from_timestamp(job.now, 0).unwrap();
                let window = Duration::from_secs(job.window_days as u64 * 86_400);
                let report = pool.keep_alive_at(window, now).await.unwrap();
                outcome.swept = report.swept;
                outcome.refreshed = report.refreshed;
                outcome.needs_reauthorization = report.needs_reauthorization;
                outcome.errors = report
                    .failed
                    .iter()
                    .map(|(a, e)| format!("{a}: {e}"))
                    .collect();
            }
            other => panic!("unknown scenario {other}"),
        }
        outcome
    });
    println!("RESULT {}", serde_json::to_string(&outcome).unwrap());
}

// ---------------------------------------------------------------- tests

/// An expired token of `account` at generation `n`, refresh token valid
/// until `refresh_expires`.
fn expired(account: &str, n: u64, refresh_expires: chrono::DateTime<Utc>) -> Token {
    Token::new(access(account, n))
        .with_refresh_token(refresh(account, n))
        .with_expires_at(Utc::now() - chrono::Duration::hours(1))
        .with_refresh_token_expires_at(refresh_expires)
        .with_issued_at(Utc::now() - chrono::Duration::days(30))
        .with_scopes(["user_accounts:read"])
}

fn job(redis: &TestRedis, api: &str, scenario: &str, accounts: &[String], tasks: usize) -> Job {
    Job {
        scenario: scenario.into(),
        redis: redis.url.clone(),
        prefix: redis.prefix.clone(),
        api: api.into(),
        accounts: accounts.to_vec(),
        tasks,
        now: Utc::now().timestamp(),
        window_days: 0,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn four_processes_one_expired_token_refresh_once() {
    let test = TestRedis::new("once");
    let redis = test.connect().await;
    let pinterest = Arc::new(Pinterest::default());
    pinterest.add("acme");
    let api = serve(pinterest.clone()).await;
    let far = Utc::now() + chrono::Duration::days(50);
    redis
        .token_store("acme")
        .unwrap()
        .save(&expired("acme", 0, far))
        .await
        .unwrap();

    let accounts = vec!["acme".to_string()];
    let workers: Vec<Child> = (0..4)
        .map(|_| spawn_worker(&job(&test, &api, "calls", &accounts, 25)))
        .collect();
    let outcomes: Vec<Outcome> =
        tokio::task::spawn_blocking(move || workers.into_iter().map(wait_worker).collect())
            .await
            .unwrap();
    let ok: usize = outcomes.iter().map(|o| o.ok).sum();
    let errors: Vec<&String> = outcomes.iter().flat_map(|o| &o.errors).collect();
    assert_eq!((ok, errors.len()), (100, 0), "{errors:?}");
    assert_eq!(
        pinterest.refresh_requests.load(Ordering::SeqCst),
        1,
        "one refresh"
    );
    assert_eq!(pinterest.stale_calls.load(Ordering::SeqCst), 0);
    let stored = redis
        .token_store("acme")
        .unwrap()
        .load()
        .await
        .unwrap()
        .unwrap();
    use secrecy::ExposeSecret;
    assert_eq!(
        stored.refresh_token().unwrap().expose_secret(),
        refresh("acme", 1),
        "the rotated refresh token is the stored one"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_holder_killed_mid_refresh_loses_the_lease_and_another_process_completes() {
    let test = TestRedis::new("kill");
    let redis = test.connect().await;
    let pinterest = Arc::new(Pinterest::default());
    pinterest.add("acme");
    *pinterest.first_refresh_delay.lock().unwrap() = Some(Duration::from_secs(30));
    let api = serve(pinterest.clone()).await;
    let far = Utc::now() + chrono::Duration::days(50);
    redis
        .token_store("acme")
        .unwrap()
        .save(&expired("acme", 0, far))
        .await
        .unwrap();
    let accounts = vec!["acme".to_string()];

    let mut holder = spawn_worker(&job(&test, &api, "calls", &accounts, 1));
    // Wait until its refresh reached the token endpoint, then kill it.
    let deadline = Instant::now() + Duration::from_secs(20);
    while pinterest.refresh_requests.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "the holder never refreshed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    holder.kill().unwrap(); // SIGKILL
    holder.wait().unwrap();
    let lease = test.keys().into_iter().find(|k| k.contains("lease:"));
    assert!(lease.is_some(), "the dead holder's lease is still there");

    let started = Instant::now();
    let other = spawn_worker(&job(&test, &api, "calls", &accounts, 5));
    let outcome = tokio::task::spawn_blocking(move || wait_worker(other))
        .await
        .unwrap();
    assert_eq!(
        (outcome.ok, outcome.errors.len()),
        (5, 0),
        "{:?}",
        outcome.errors
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took over after the 2 s lease, not the 30 s hung request"
    );
    assert_eq!(pinterest.refresh_requests.load(Ordering::SeqCst), 2);
    assert_eq!(pinterest.generation("acme"), 1);
    assert_eq!(
        pinterest.stale_calls.load(Ordering::SeqCst),
        0,
        "no call used a revoked token"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_accounts_two_processes_each_refresh_once_and_stay_apart() {
    let test = TestRedis::new("many");
    let redis = test.connect().await;
    let pinterest = Arc::new(Pinterest::default());
    let api = serve(pinterest.clone()).await;
    let far = Utc::now() + chrono::Duration::days(50);
    let accounts: Vec<String> = (0..200).map(|i| format!("user{i:03}")).collect();
    for a in &accounts {
        pinterest.add(a);
        redis
            .token_store(a)
            .unwrap()
            .save(&expired(a, 0, far))
            .await
            .unwrap();
    }
    let workers: Vec<Child> = (0..2)
        .map(|_| spawn_worker(&job(&test, &api, "calls", &accounts, 1)))
        .collect();
    let outcomes: Vec<Outcome> =
        tokio::task::spawn_blocking(move || workers.into_iter().map(wait_worker).collect())
            .await
            .unwrap();
    for o in &outcomes {
        assert_eq!((o.ok, o.errors.len()), (200, 0), "{:?}", o.errors);
        for (asked, answered) in &o.answers {
            assert_eq!(
                asked, answered,
                "an account's token reached another's client"
            );
        }
    }
    let refreshes = pinterest.refreshes.lock().unwrap().clone();
    assert_eq!(refreshes.len(), 200);
    assert!(
        refreshes.values().all(|n| *n == 1),
        "each account refreshed once"
    );
    assert_eq!(pinterest.stale_calls.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dump_of_the_keys_holds_no_token_in_clear() {
    let test = TestRedis::new("dump");
    let redis = test.connect().await;
    let far = Utc::now() + chrono::Duration::days(50);
    for a in ["alice", "bob"] {
        redis
            .token_store(a)
            .unwrap()
            .save(&expired(a, 7, far))
            .await
            .unwrap();
    }
    let keys = test.keys();
    assert!(keys.iter().any(|k| k.ends_with("token:alice")), "{keys:?}");
    let mut dump = String::new();
    for key in &keys {
        // Raw bytes of each value, as a backup would hold them.
        dump.push_str(&redis_cli(&test.url, &["--no-raw", "DUMP", key]));
        dump.push_str(&redis_cli(&test.url, &["--raw", "GET", key]));
    }
    for secret in [
        "pina_alice_7",
        "pinr_alice_7",
        "pina_bob_7",
        "pinr_bob_7",
        "pina_",
        "pinr_",
    ] {
        assert!(!dump.contains(secret), "{secret} in clear in the dump");
    }
    // A record copied under another account does not decrypt there.
    let alice = redis_cli(
        &test.url,
        &["--raw", "GET", &format!("{}token:alice", test.prefix)],
    );
    assert!(!alice.is_empty());
    let copy = Command::new("redis-cli")
        .args(["-u", &test.url, "COPY"])
        .arg(format!("{}token:alice", test.prefix))
        .arg(format!("{}token:mallory", test.prefix))
        .output()
        .unwrap();
    assert!(copy.status.success());
    let err = redis
        .token_store("mallory")
        .unwrap()
        .load()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TokenStore);
    assert!(err.to_string().contains("does not decrypt"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_stopped_and_restarted_fails_as_documented_loses_nothing_and_recovers() {
    let mut server = RedisServer::start();
    let prefix = "test:restart:";
    let config = RedisConfig::new(server.url())
        .prefix(prefix)
        .encryption_key(KEY)
        .connect_timeout(Duration::from_millis(300))
        .command_timeout(Duration::from_millis(300))
        .lease_ttl(Duration::from_secs(2));
    let redis = Redis::connect(config).await.unwrap();
    let pinterest = Arc::new(Pinterest::default());
    pinterest.add("acme");
    let api = serve(pinterest.clone()).await;
    let far = Utc::now() + chrono::Duration::days(50);
    // A valid token (generation 0), stored.
    let valid = Token::new(access("acme", 0))
        .with_refresh_token(refresh("acme", 0))
        .with_expires_at(Utc::now() + chrono::Duration::days(1))
        .with_refresh_token_expires_at(far);
    redis
        .token_store("acme")
        .unwrap()
        .save(&valid)
        .await
        .unwrap();
    let build = |fallback| {
        pinterest_ext::Client::builder()
            .base_url(&api)
            .credentials(AppCredentials::new("app", "secret"))
            .token_store(redis.token_store("acme").unwrap())
            .limiter(Arc::new(
                redis.limiter(RateLimits::standard()).fallback(fallback),
            ))
            .retry(RetryPolicy::none())
            .build()
    };
    let local = build(LimiterFallback::Local).await.unwrap();
    let closed = build(LimiterFallback::FailClosed).await.unwrap();
    local.user_account_get().send().await.unwrap();

    server.stop();
    // The limiter: the local fallback keeps calls going; fail-closed fails
    // them with the backend error, within the command timeout.
    let started = Instant::now();
    local.user_account_get().send().await.unwrap();
    let err = closed.user_account_get().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Backend, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "bounded: {:?}",
        started.elapsed()
    );
    // A refresh while Redis is down fails closed (no lease, no refresh)
    // and keeps the token; nothing reaches the token endpoint.
    let err = local.refresh_token().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Backend, "{err}");
    assert_eq!(pinterest.refresh_requests.load(Ordering::SeqCst), 0);
    let err = local.refresh_token().await.unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Backend,
        "cool-down: no refresh storm"
    );
    assert_eq!(pinterest.refresh_requests.load(Ordering::SeqCst), 0);
    use secrecy::ExposeSecret;
    assert_eq!(
        local.token().unwrap().access_token().expose_secret(),
        access("acme", 0),
        "the token is kept"
    );

    server.spawn();
    // Recovered: the shared limiter answers again, the refresh goes
    // through (after the cool-down) and the rotated token is stored.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match closed.user_account_get().send().await {
            Ok(_) => break,
            Err(e) if Instant::now() < deadline => {
                assert_eq!(e.kind(), ErrorKind::Backend, "{e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("no recovery: {e}"),
        }
    }
    tokio::time::sleep(Duration::from_secs(5)).await; // the refresh cool-down
    local.refresh_token().await.unwrap();
    assert_eq!(pinterest.generation("acme"), 1);
    let stored = redis
        .token_store("acme")
        .unwrap()
        .load()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.refresh_token().unwrap().expose_secret(),
        refresh("acme", 1)
    );
    local.user_account_get().send().await.unwrap();
    assert_eq!(pinterest.stale_calls.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn three_processes_sweep_at_once_and_refresh_exactly_the_accounts_in_the_window() {
    let test = TestRedis::new("sweep");
    let redis = test.connect().await;
    let pinterest = Arc::new(Pinterest::default());
    let api = serve(pinterest.clone()).await;
    let now = Utc::now();
    // Account i's refresh token expires i - 5 days from now: 0..4 already
    // expired, 5..14 within the 10-day window, 15..49 later.
    let accounts: Vec<String> = (0..50).map(|i| format!("idle{i:02}")).collect();
    for (i, a) in accounts.iter().enumerate() {
        pinterest.add(a);
        let expires = now + chrono::Duration::days(i as i64 - 5) + chrono::Duration::hours(1);
        redis
            .token_store(a)
            .unwrap()
            .save(&expired(a, 0, expires))
            .await
            .unwrap();
    }
    let mut sweep = job(&test, &api, "sweep", &[], 0);
    sweep.now = now.timestamp();
    sweep.window_days = 10;
    let workers: Vec<Child> = (0..3).map(|_| spawn_worker(&sweep)).collect();
    let outcomes: Vec<Outcome> =
        tokio::task::spawn_blocking(move || workers.into_iter().map(wait_worker).collect())
            .await
            .unwrap();
    let sweepers = outcomes.iter().filter(|o| o.swept).count();
    assert!(sweepers >= 1, "someone swept");
    let mut refreshed: Vec<String> = outcomes.iter().flat_map(|o| o.refreshed.clone()).collect();
    refreshed.sort();
    let in_window: Vec<String> = accounts[5..15].to_vec();
    assert_eq!(
        refreshed, in_window,
        "exactly the accounts in the window, once each"
    );
    let refreshes = pinterest.refreshes.lock().unwrap().clone();
    assert_eq!(refreshes.keys().cloned().collect::<Vec<_>>(), in_window);
    assert!(refreshes.values().all(|n| *n == 1));
    let sweeper = outcomes.iter().find(|o| o.swept).unwrap();
    assert_eq!(sweeper.needs_reauthorization, accounts[..5].to_vec());
    for o in &outcomes {
        assert!(o.errors.is_empty(), "{:?}", o.errors);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_job_restarted_elsewhere_creates_nothing_twice() {
    let test = TestRedis::new("journal");
    let redis = test.connect().await;
    let pinterest = Arc::new(Pinterest::default());
    pinterest.add("acme");
    let api = serve(pinterest.clone()).await;
    let token = Token::new(access("acme", 0)).with_scopes([
        "pins:write",
        "boards:read",
        "pins:read",
        "boards:write",
    ]);
    let client = pinterest_ext::Client::builder()
        .base_url(&api)
        .token(token)
        .rate_limits(RateLimits::unlimited())
        .build()
        .await
        .unwrap();
    let items = |range: std::ops::Range<usize>| -> Vec<(String, NewPin)> {
        range
            .map(|i| {
                (
                    format!("row-{i}"),
                    NewPin::from_image_url("7", format!("https://example.com/{i}.jpg")),
                )
            })
            .collect()
    };
    // The first machine creates 6 of 10, then stops (its journal closed).
    let journal = Arc::new(redis.journal("import-42").await.unwrap());
    let err = redis.journal("import-42").await.unwrap_err();
    assert!(
        err.to_string().contains("running in another process"),
        "{err}"
    );
    client
        .create_pins(
            items(0..6),
            BulkOptions::default().journal_in(journal.clone()),
        )
        .await
        .unwrap();
    Arc::into_inner(journal).unwrap().close().await.unwrap();
    assert_eq!(pinterest.created.load(Ordering::SeqCst), 6);
    // Another machine restarts the whole job.
    let journal = Arc::new(redis.journal("import-42").await.unwrap());
    let report = client
        .create_pins(
            items(0..10),
            BulkOptions::default().journal_in(journal.clone()),
        )
        .await
        .unwrap();
    assert_eq!(
        pinterest.created.load(Ordering::SeqCst),
        10,
        "4 more, none twice"
    );
    assert_eq!(report.created(), 4, "this run created the 4 missing");
    Arc::into_inner(journal).unwrap().close().await.unwrap();
}
