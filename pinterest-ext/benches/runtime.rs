//! Runtime benchmarks for BENCHMARKS.md, each side by side with its
//! baseline in one run against local servers:
//!
//! ```text
//! cargo bench -p pinterest-ext --bench runtime -- overhead     # 10,000 GETs per side: full stack vs bare reqwest
//! cargo bench -p pinterest-ext --bench runtime -- ratelimit    # 1,000 writes at N/s: limiter vs none vs sleep(0.5)
//! cargo bench -p pinterest-ext --bench runtime -- cache        # a cache hit vs a loopback round trip; a miss vs no cache (cache growing, cache full); a dashboard loop
//! cargo bench -p pinterest-ext --bench runtime -- pagination   # 10k and 100k items: memory and items/s vs bare reqwest
//! ```

// The memory figures come from a counting global allocator.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use pinterest_ext::bulk::BulkOptions;
use pinterest_ext::{Client, Limit, NewPin, Paginate, RateLimits, RetryPolicy, Token, types};

/// Counts live heap bytes and their peak, once [`count_heap`] turned it
/// on (the pagination bench). Off, it is the system allocator behind one
/// load of a flag: the counters' atomic updates on a line every thread
/// shares would otherwise tax each allocation, more on the side that
/// allocates more, and most on the multi-thread runtime, where the
/// line moves between cores.
struct Counting;
static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() && COUNTING.load(Ordering::Relaxed) {
            let size = layout.size() as isize;
            let now = LIVE.fetch_add(size, Ordering::Relaxed) + size;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Turns the heap counting on, for the rest of the process.
fn count_heap() {
    COUNTING.store(true, Ordering::SeqCst);
}

/// Sets the peak to the live bytes now and returns them (bytes freed
/// that were taken before counting began count as negative).
fn reset_peak() -> isize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

#[path = "support/server.rs"]
mod server;
use server::{Behaviour, SERVED, serve};

async fn client(base: &str, limits: RateLimits, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base)
        .token(Token::new("pina_bench"))
        .rate_limits(limits)
        .retry(retry)
        .build()
        .await
        .unwrap()
}

/// A client of `base` with `cache`, no rate limits and the default
/// retry policy.
async fn cached_client(base: &str, cache: pinterest_ext::ResponseCache) -> Client {
    Client::builder()
        .base_url(base)
        .token(Token::new("pina_bench"))
        .rate_limits(RateLimits::unlimited())
        .cache(cache)
        .build()
        .await
        .unwrap()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// GETs per round and per client in the overhead bench.
const OVERHEAD_BATCH: usize = 500;
/// Timed rounds (after one warm-up round).
const OVERHEAD_ROUNDS: usize = 20;

/// `OVERHEAD_BATCH` GETs of the account through the full client, in
/// seconds.
async fn batch_ours(ours: &Client) -> f64 {
    let start = Instant::now();
    for _ in 0..OVERHEAD_BATCH {
        let me = ours.user_account_get().send().await.unwrap();
        std::hint::black_box(me);
    }
    start.elapsed().as_secs_f64()
}

/// The same GETs with bare reqwest + serde: the same request (the headers
/// ours sends) and a typed decode.
async fn batch_bare(bare: &reqwest::Client, url: &str) -> f64 {
    let start = Instant::now();
    for _ in 0..OVERHEAD_BATCH {
        let me: types::Account = bare
            .get(url)
            .header("accept", "application/json")
            .header("api-version", pinterest_ext::api::SPEC_VERSION)
            .header("authorization", "Bearer pina_bench")
            .header(
                "user-agent",
                concat!("pinterest-rs/", env!("CARGO_PKG_VERSION")),
            )
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap();
        std::hint::black_box(me);
    }
    start.elapsed().as_secs_f64()
}

/// The full client (layers: trace, pre-flight checks, retry, token,
/// limiter, transport; typed decode) against bare reqwest + serde, on a
/// local keep-alive server, in alternating order, `OVERHEAD_ROUNDS` rounds.
/// `label` names the runtime. `OVERHEAD_ONLY=ours|bare` runs one side
/// alone and `OVERHEAD_RUNTIME=current|multi` runs on that runtime only
/// (for profilers and `valgrind --tool=callgrind`, whose instruction
/// counts do not depend on the machine's speed).
async fn overhead_on(label: &str) {
    let account = br#"{"account_type":"BUSINESS","id":"549755885175","username":"cook","about":"Recipes","business_name":"Cook & Co","board_count":12,"pin_count":340,"follower_count":1200,"following_count":30,"monthly_views":45000,"profile_image":"https://i.pinimg.com/600x600_R/42/f5/36/42f5364b5b5a.jpg","website_url":"https://example.com"}"#;
    let base = serve(Behaviour::Fixed(Arc::new(account.to_vec()))).await;
    let ours = client(&base, RateLimits::unlimited(), RetryPolicy::default()).await;
    // The same client settings as ours (connect and request timeouts).
    let bare = pinterest_ext::api::tls::http_client_builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let url = format!("{base}/user_account");
    let only = std::env::var("OVERHEAD_ONLY").unwrap_or_default();
    let (mut t_ours, mut t_bare) = (Vec::new(), Vec::new());
    for round in 0..=OVERHEAD_ROUNDS {
        // Alternate which goes first: the order must not decide.
        let (mut a, mut b) = (0.0, 0.0);
        for ours_now in [round % 2 == 0, round % 2 != 0] {
            match (ours_now, only.as_str()) {
                (true, "bare") | (false, "ours") => {}
                (true, _) => a = batch_ours(&ours).await,
                (false, _) => b = batch_bare(&bare, &url).await,
            }
        }
        if round > 0 {
            // Round 0 warms connections and caches.
            t_ours.push(a);
            t_bare.push(b);
        }
    }
    let n = (OVERHEAD_BATCH * OVERHEAD_ROUNDS) as f64;
    let (ours_s, bare_s) = (t_ours.iter().sum::<f64>(), t_bare.iter().sum::<f64>());
    let ratios: Vec<f64> = t_ours.iter().zip(&t_bare).map(|(a, b)| a / b).collect();
    println!(
        "| {label}: pinterest-ext, {n} GETs | {ours_s:.3} s | {:.1} µs |",
        ours_s / n * 1e6
    );
    println!(
        "| {label}: bare reqwest + serde, {n} GETs | {bare_s:.3} s | {:.1} µs |",
        bare_s / n * 1e6
    );
    println!(
        "| **{label}: ratio ours / bare** (median of {OVERHEAD_ROUNDS} rounds; sum ratio {:.3}) | **{:.3}** | |",
        ours_s / bare_s,
        median(ratios)
    );
}

async fn overhead() {
    println!("| client | time | per request |");
    println!("|---|---|---|");
    let runtime = std::env::var("OVERHEAD_RUNTIME").unwrap_or_default();
    if runtime != "current" {
        overhead_on("multi-thread runtime").await;
    }
    if runtime == "multi" {
        return;
    }
    // The same with client and server on one thread: the middleware's CPU
    // per call, without cross-thread wakeups.
    std::thread::spawn(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(overhead_on("current-thread runtime"))
    })
    .join()
    .unwrap();
}

/// Calls per measurement of the cache bench.
const CALLS: usize = 5_000;

/// The response cache: a hit against a loopback round trip, a miss against
/// the same stack without a cache, and the requests a dashboard loop saves.
async fn cache_on(label: &str) {
    use pinterest_ext::{CachePolicy, ResponseCache};
    let body = br#"{"id":"42","board_id":"7","title":"Pho","items":[],"bookmark":null}"#;
    let base = serve(Behaviour::Fixed(Arc::new(body.to_vec()))).await;
    let policy = CachePolicy::default().ttl("boards/list_pins", Duration::from_secs(60));
    let cached = cached_client(&base, ResponseCache::memory(policy.clone(), 64 << 20)).await;
    let plain = client(&base, RateLimits::unlimited(), RetryPolicy::default()).await;

    // Hits: one entry, read CALLS times; against CALLS round trips.
    cached.pins_get().pin_id("42").send().await.unwrap();
    // `HIT_ONLY=1`: hits alone, for a profiler.
    if std::env::var_os("HIT_ONLY").is_some() {
        for _ in 0..20 * CALLS {
            std::hint::black_box(cached.pins_get().pin_id("42").send().await.unwrap());
        }
        return;
    }
    let (mut hit, mut trip) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..CALLS {
            std::hint::black_box(cached.pins_get().pin_id("42").send().await.unwrap());
        }
        hit.push(start.elapsed().as_secs_f64());
        let start = Instant::now();
        for _ in 0..CALLS {
            std::hint::black_box(plain.pins_get().pin_id("42").send().await.unwrap());
        }
        trip.push(start.elapsed().as_secs_f64());
    }
    let (hit, trip) = (median(hit), median(trip));
    // Misses: a new pin each call (looked up, sent, stored), against the
    // same calls without a cache; the cache grows by an entry each.
    let mut id = 1_000_000;
    // `MISS_FULL=1` with `MISS_ONLY`: the full cache's misses instead.
    let growing = if std::env::var_os("MISS_FULL").is_none() {
        miss_ratio(&cached, &plain, &mut id).await
    } else {
        f64::NAN
    };
    // The same once the cache is full: each store evicts an entry, and
    // memory is reused rather than taken fresh.
    let full = cached_client(&base, ResponseCache::memory(policy.clone(), 1 << 20)).await;
    for _ in 0..CALLS {
        id += 1;
        full.pins_get().pin_id(id.to_string()).send().await.unwrap();
    }
    let steady = miss_ratio(&full, &plain, &mut id).await;
    println!(
        "| {label}: cache hit (pins/get), per call | {:.2} µs |",
        hit / CALLS as f64 * 1e6
    );
    println!(
        "| {label}: loopback round trip, full stack without cache, per call | {:.2} µs |",
        trip / CALLS as f64 * 1e6
    );
    println!("| **{label}: hit / round trip** | **{:.3}** |", hit / trip);
    println!(
        "| **{label}: miss with cache / same call without cache** (median of 20 rounds) | **{growing:.3}** |"
    );
    println!("| {label}: the same, the cache full (1 MB, each store evicts) | {steady:.3} |");

    // The dashboard loop of tests/cache.rs, 10 times, with and without.
    let dashboard = |c: Client| async move {
        let before = SERVED.load(Ordering::Relaxed);
        for _ in 0..10 {
            c.user_account_get().send().await.unwrap();
            c.boards_list().send().await.unwrap();
            c.boards_get().board_id("7").send().await.unwrap();
            c.boards_list_pins().board_id("7").send().await.unwrap();
            c.pins_get().pin_id("42").send().await.unwrap();
            let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
            c.user_account_analytics()
                .start_date(day(1))
                .end_date(day(28))
                .send()
                .await
                .unwrap();
        }
        SERVED.load(Ordering::Relaxed) - before
    };
    // A body every operation of the loop decodes.
    let base = serve(Behaviour::Fixed(Arc::new(b"{}".to_vec()))).await;
    let plain = client(&base, RateLimits::unlimited(), RetryPolicy::default()).await;
    let fresh = cached_client(&base, ResponseCache::memory(policy, 64 << 20)).await;
    let with = dashboard(fresh).await;
    let without = dashboard(plain.clone()).await;
    println!(
        "| {label}: dashboard loop (6 resources x 10), requests without / with cache | {without} / {with} |"
    );
    println!(
        "| **{label}: requests saved** | **{:.2}** ({} of {without}) |",
        (without - with) as f64 / without as f64,
        without - with
    );
}

/// Misses of distinct pins through `cached` against the same calls through
/// `plain`, alternating, 20 rounds of `CALLS / 5`: the median ratio.
/// `MISS_ONLY=with|without` runs one side alone (for a profiler; then
/// the ratio is not computed and the bench stops); with `MISS_FULL=1`
/// too, the misses of the full cache rather than the growing one.
async fn miss_ratio(cached: &Client, plain: &Client, id: &mut u64) -> f64 {
    let only = std::env::var("MISS_ONLY").unwrap_or_default();
    let (mut miss, mut none) = (Vec::new(), Vec::new());
    for round in 0..20 {
        for cache_first in [round % 2 == 0, round % 2 != 0] {
            if (only == "with" && !cache_first) || (only == "without" && cache_first) {
                continue;
            }
            let start = Instant::now();
            for _ in 0..CALLS / 5 {
                *id += 1;
                let c = if cache_first { cached } else { plain };
                std::hint::black_box(c.pins_get().pin_id(id.to_string()).send().await.unwrap());
            }
            let t = start.elapsed().as_secs_f64();
            if cache_first {
                miss.push(t)
            } else {
                none.push(t)
            }
        }
    }
    if !only.is_empty() {
        println!(
            "MISS_ONLY={only}: {} misses done",
            miss.len().max(none.len()) * CALLS / 5
        );
        std::process::exit(0);
    }
    let ratios: Vec<f64> = miss.iter().zip(&none).map(|(a, b)| a / b).collect();
    median(ratios)
}

async fn cache() {
    println!("| measure | value |");
    println!("|---|---|");
    cache_on("multi-thread runtime").await;
    // On one thread: a miss's extra CPU without cross-thread wakeups.
    std::thread::spawn(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(cache_on("current-thread runtime"))
    })
    .join()
    .unwrap();
}

/// Writes per second the rate-limit bench's server allows.
const N: u64 = 100;
/// Pins each rate-limit strategy creates.
const PINS: usize = 1000;

/// Creates `PINS` pins through `client`, 16 in flight, and prints the
/// table row: count, time, rate, share of N and the 429s the server sent.
async fn bulk_row(label: &str, client: &Client, rejected: &AtomicU64) {
    let start = Instant::now();
    let report = client
        .create_pins(
            (0..PINS).map(|i| (i.to_string(), pin(i))).collect(),
            BulkOptions::default().concurrency(16),
        )
        .await
        .unwrap();
    let t = start.elapsed().as_secs_f64();
    let rate = report.created() as f64 / t;
    println!(
        "| {label} | {} | {t:.2} s | {rate:.1}/s | {:.1}% | {} |",
        report.created(),
        100.0 * rate / N as f64,
        rejected.load(Ordering::SeqCst)
    );
}

fn pin(i: usize) -> NewPin {
    NewPin::from_image_url("549755885175", format!("https://example.com/{i}.jpg"))
        .title(format!("pin {i}"))
}

async fn ratelimit() {
    let limited = || Behaviour::Limited {
        per_second: N,
        start: Instant::now(),
        window: Arc::new((AtomicU64::new(0), AtomicU64::new(0))),
        rejected: Arc::new(AtomicU64::new(0)),
        accepted: Arc::new(AtomicU64::new(0)),
    };
    let counters = |b: &Behaviour| match b {
        Behaviour::Limited {
            rejected, accepted, ..
        } => (rejected.clone(), accepted.clone()),
        _ => unreachable!(),
    };
    println!("| strategy | pins created | time | rate | share of N={N}/s | 429s |");
    println!("|---|---|---|---|---|---|");

    // Ours: the limiter paces org_write at N/s; 16 in flight.
    let b = limited();
    let (rejected, accepted) = counters(&b);
    let base = serve(b).await;
    let limits = RateLimits::unlimited().category("org_write", Limit::per_second(N as u32));
    let ours = client(&base, limits, RetryPolicy::default()).await;
    bulk_row("pinterest-ext limiter (16 in flight)", &ours, &rejected).await;
    assert_eq!(accepted.load(Ordering::SeqCst) as usize, PINS);

    // No limiter: retries 429s after Retry-After (with our retry policy).
    let b = limited();
    let (rejected, _) = counters(&b);
    let base = serve(b).await;
    let retry = RetryPolicy::default()
        .max_attempts(50)
        .max_elapsed(Duration::from_secs(600));
    let unlimited = client(&base, RateLimits::unlimited().follow_headers(false), retry).await;
    bulk_row(
        "no limiter, 429s retried after Retry-After (16 in flight)",
        &unlimited,
        &rejected,
    )
    .await;

    // The seed's advice: sleep(0.5) between calls, one at a time. Measured
    // on 40 pins; its rate does not depend on the count.
    let b = limited();
    let (rejected, _) = counters(&b);
    let base = serve(b).await;
    let naive = client(&base, RateLimits::unlimited(), RetryPolicy::none()).await;
    let start = Instant::now();
    let sample = 40;
    for i in 0..sample {
        naive.create_pin(pin(i)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let t = start.elapsed().as_secs_f64();
    let rate = sample as f64 / t;
    println!(
        "| fixed sleep(0.5) between calls ({sample} pins measured; {PINS} would take {:.0} s) | {sample} | {t:.2} s | {rate:.1}/s | {:.1}% | {} |",
        PINS as f64 / rate,
        100.0 * rate / N as f64,
        rejected.load(Ordering::SeqCst)
    );
}

async fn pagination() {
    count_heap();
    let item = Arc::new(
        r##"{"id":"{ID}","created_at":"2025-01-01T12:00:00","board_id":"549755885175","board_owner":{"username":"cook"},"title":"Lemon cake with a crunchy top","description":"A bright, simple cake for spring afternoons.","link":"https://example.com/recipes/lemon-cake","dominant_color":"#f5e6c8","alt_text":"A lemon cake on a plate","is_owner":true,"is_standard":true,"has_been_promoted":false,"creative_type":"REGULAR","note":"","media":{"media_type":"image","images":{"150x150":{"width":150,"height":150,"url":"https://i.pinimg.com/150x150/0d/f6/f1/0df6f1f0.jpg"}}}}"##
            .to_string(),
    );
    println!("| items | client | time | items/s | peak heap above baseline |");
    println!("|---|---|---|---|---|");
    let mut rates = Vec::new();
    for total in [10_000usize, 100_000] {
        let base = serve(Behaviour::Pages {
            total,
            item: item.clone(),
        })
        .await;
        let ours = client(&base, RateLimits::unlimited(), RetryPolicy::default()).await;
        let bare = pinterest_ext::api::tls::http_client_builder()
            .build()
            .unwrap();
        let (mut t_ours, mut t_bare, mut peak_ours, mut peak_bare) = (Vec::new(), Vec::new(), 0, 0);
        for _ in 0..3 {
            let before = reset_peak();
            let start = Instant::now();
            let mut stream = ours.pins_list().paginate().items();
            let mut n = 0usize;
            while let Some(pin) = stream.try_next().await.unwrap() {
                std::hint::black_box(&pin);
                n += 1;
            }
            t_ours.push(start.elapsed().as_secs_f64());
            peak_ours = peak_ours.max(PEAK.load(Ordering::Relaxed) - before);
            assert_eq!(n, total);

            let before = reset_peak();
            let start = Instant::now();
            let mut bookmark: Option<String> = None;
            let mut n = 0usize;
            loop {
                let mut request = bare
                    .get(format!("{base}/pins"))
                    .query(&[("page_size", "250")]);
                if let Some(b) = &bookmark {
                    request = request.query(&[("bookmark", b)]);
                }
                let page: types::PinsListResponse = request
                    .header("authorization", "Bearer pina_bench")
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                for pin in page.items {
                    std::hint::black_box(&pin);
                    n += 1;
                }
                bookmark = page.bookmark.filter(|b| !b.is_empty());
                if bookmark.is_none() {
                    break;
                }
            }
            t_bare.push(start.elapsed().as_secs_f64());
            peak_bare = peak_bare.max(PEAK.load(Ordering::Relaxed) - before);
            assert_eq!(n, total);
        }
        let (a, b) = (median(t_ours), median(t_bare));
        let mib = |b: isize| b as f64 / (1024.0 * 1024.0);
        println!(
            "| {total} | pinterest-ext item stream | {a:.3} s | {:.0} | {:.2} MiB |",
            total as f64 / a,
            mib(peak_ours)
        );
        println!(
            "| {total} | bare reqwest + serde, page loop | {b:.3} s | {:.0} | {:.2} MiB |",
            total as f64 / b,
            mib(peak_bare)
        );
        rates.push((total, a / b, peak_ours));
    }
    for (total, ratio, _) in &rates {
        println!("| {total} | **time ratio ours / bare** | **{ratio:.3}** | | |");
    }
    println!(
        "| | **peak heap ratio 100k / 10k (ours)** | **{:.2}** | | |",
        rates[1].2 as f64 / rates[0].2 as f64
    );
}

#[tokio::main]
async fn main() {
    let which: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let all = which.is_empty();
    let run = |name: &str| all || which.iter().any(|w| w == name);
    if run("overhead") {
        overhead().await;
    }
    if run("cache") {
        cache().await;
    }
    if run("pagination") {
        pagination().await;
    }
    if run("ratelimit") {
        ratelimit().await;
    }
}
