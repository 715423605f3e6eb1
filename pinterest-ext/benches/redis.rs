//! The Redis-backed pieces, for BENCHMARKS.md (feature `redis`; needs
//! `redis-server` on the PATH, or `PINTEREST_BENCH_REDIS_URL`):
//!
//! ```text
//! cargo bench -p pinterest-ext --features redis --bench redis
//! ```
//!
//! 1. Four worker processes (this binary, run again) create pins against a
//!    mock that allows N writes per second and answers 429 above: once
//!    sharing one `RedisLimiter` set to N/s, once each with its own
//!    in-process limiter set to N/s. Rate reached and 429s, side by side.
//! 2. Per-call latency of the shared limiter and of a token read from
//!    Redis, beside the in-process limiter: p50 and p99 on loopback.

#[path = "support/server.rs"]
mod server;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use pinterest_ext::bulk::BulkOptions;
use pinterest_ext::redis::{Redis, RedisConfig};
use pinterest_ext::{
    Client, Limit, LimitKey, Limiter, NewPin, RateLimiter, RateLimits, Token, TokenStore,
};
use server::{Behaviour, serve};

/// Writes per second the mock allows (for all processes together).
const N: u32 = 100;
/// Worker processes.
const WORKERS: usize = 4;
/// Pins each worker creates.
const PINS: usize = 250;

fn limits() -> RateLimits {
    RateLimits::unlimited().category("org_write", Limit::per_second(N))
}

/// Worker mode: `BENCH_WORKER=redis|local`, `BENCH_API`, `BENCH_REDIS`.
async fn worker(kind: &str) {
    let api = std::env::var("BENCH_API").unwrap();
    let mut builder =
        Client::builder()
            .base_url(&api)
            .token(Token::new("pina_bench").with_scopes([
                "pins:write",
                "pins:read",
                "boards:read",
                "boards:write",
            ]));
    if kind == "redis" {
        let redis = Redis::connect(
            RedisConfig::new(std::env::var("BENCH_REDIS").unwrap()).prefix("bench:"),
        )
        .await
        .unwrap();
        builder = builder.limiter(Arc::new(redis.limiter(limits())));
    } else {
        builder = builder.rate_limits(limits());
    }
    let client = builder.build().await.unwrap();
    let pins = (0..PINS)
        .map(|i| {
            (
                i.to_string(),
                NewPin::from_image_url("549755885175", format!("https://example.com/{i}.jpg")),
            )
        })
        .collect();
    let report = client
        .create_pins(pins, BulkOptions::default().concurrency(8))
        .await
        .unwrap();
    println!("CREATED {}", report.created());
}

fn spawn(kind: &str, api: &str, redis: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .env("BENCH_WORKER", kind)
        .env("BENCH_API", api)
        .env("BENCH_REDIS", redis)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

fn created(child: Child) -> usize {
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("CREATED ").and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// A `redis-server` of the bench's own, killed when dropped.
struct OwnRedis(Child);

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn redis_url() -> (String, Option<OwnRedis>) {
    if let Ok(url) = std::env::var("PINTEREST_BENCH_REDIS_URL") {
        return (url, None);
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server on the PATH (or set PINTEREST_BENCH_REDIS_URL)");
    std::thread::sleep(Duration::from_millis(300));
    (format!("redis://127.0.0.1:{port}/"), Some(OwnRedis(child)))
}

async fn shared_rate(redis: &str) {
    println!("| limiter | processes | pins created | time | rate | share of N={N}/s | 429s |");
    println!("|---|---|---|---|---|---|---|");
    for kind in ["redis", "local"] {
        let rejected = Arc::new(AtomicU64::new(0));
        let accepted = Arc::new(AtomicU64::new(0));
        let api = serve(Behaviour::Limited {
            per_second: u64::from(N),
            start: Instant::now(),
            window: Arc::new((AtomicU64::new(0), AtomicU64::new(0))),
            rejected: rejected.clone(),
            accepted: accepted.clone(),
        })
        .await;
        let started = Instant::now();
        let workers: Vec<Child> = (0..WORKERS).map(|_| spawn(kind, &api, redis)).collect();
        let total: usize =
            tokio::task::spawn_blocking(move || workers.into_iter().map(created).sum())
                .await
                .unwrap();
        let t = started.elapsed().as_secs_f64();
        let rate = total as f64 / t;
        let label = if kind == "redis" {
            "one `RedisLimiter` shared by all"
        } else {
            "an in-process limiter each"
        };
        println!(
            "| {label} | {WORKERS} | {total} | {t:.2} s | {rate:.1}/s | {:.1}% | {} |",
            100.0 * rate / f64::from(N),
            rejected.load(Ordering::SeqCst)
        );
    }
}

fn percentile(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p) as usize]
}

async fn latency(redis_url: &str) {
    const CALLS: usize = 10_000;
    let redis = Redis::connect(
        RedisConfig::new(redis_url)
            .prefix("bench-latency:")
            .encryption_key([3; 32]),
    )
    .await
    .unwrap();
    let shared = redis.limiter(RateLimits::unlimited());
    let local = RateLimiter::new(RateLimits::unlimited());
    let store = redis.token_store("latency").unwrap();
    store
        .save(&Token::new("pina_bench").with_refresh_token("pinr_bench"))
        .await
        .unwrap();
    let key = LimitKey::category(Some("org_read"));
    let far = tokio::time::Instant::now() + Duration::from_secs(3600);
    let (mut t_shared, mut t_local, mut t_token) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..CALLS {
        let t = Instant::now();
        shared.acquire(&key, far).await.unwrap();
        t_shared.push(t.elapsed());
        let t = Instant::now();
        local.acquire(&key, far).await.unwrap();
        t_local.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.load().await.unwrap());
        t_token.push(t.elapsed());
    }
    println!("\n| per call ({CALLS} calls, loopback) | p50 | p99 |");
    println!("|---|---|---|");
    for (label, v) in [
        ("in-process limiter", t_local),
        ("`RedisLimiter` (one EVALSHA)", t_shared),
        ("token read from `RedisTokenStore` (GET + decrypt)", t_token),
    ] {
        println!(
            "| {label} | {:.0} µs | {:.0} µs |",
            percentile(v.clone(), 0.5).as_secs_f64() * 1e6,
            percentile(v, 0.99).as_secs_f64() * 1e6
        );
    }
}

#[tokio::main]
async fn main() {
    if let Ok(kind) = std::env::var("BENCH_WORKER") {
        worker(&kind).await;
        return;
    }
    let (url, _own) = redis_url();
    shared_rate(&url).await;
    latency(&url).await;
}
