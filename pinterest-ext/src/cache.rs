//! An opt-in response cache for GETs: calls that never needed to be made
//! cost no quota.
//!
//! - **What is cached, and for how long** ([`CachePolicy`]): by default
//!   analytics for an hour, single resources and account/board metadata
//!   (`user_account/get`, `boards/get`, `boards/list`, `ad_accounts/list`,
//!   ...) for five minutes, and other lists (pins of a board, campaigns)
//!   not at all unless asked for. Only `200` responses of GETs are stored.
//! - **Keys** are the account (the client's account label, or a
//!   fingerprint of the access token: never a token itself), the
//!   operation, the path and the query with its parameters sorted. Two
//!   accounts, or two tokens, never share an entry.
//! - **Invalidation**: a successful write drops what it may have changed:
//!   the resources in its path (`PATCH /pins/1` drops `pins/1`), their
//!   collection (`pins`), the resources its request or response body
//!   names (`board_id: "7"` drops `boards/7`, which tags the board and its
//!   pin lists), and whatever the cached GET of the same path was tagged
//!   with (the pin's board). A GET answered while a write went through is
//!   not stored: its answer may show the resource from before the write.
//!   An entry's own tags are worked out from its path and body only when
//!   an invalidation asks for them, not on every store.
//! - **HTTP caching**: Pinterest's spec declares no `Cache-Control` or
//!   `ETag` header (checked in 5.8 to 5.23). If a response carries them
//!   anyway they are honoured: `no-store`/`no-cache` keep it out,
//!   `max-age` shortens the entry's life, and an expired entry with an
//!   `ETag` is revalidated with `If-None-Match` (a `304` renews it).
//! - **Storage** is pluggable ([`CacheStore`]); [`MemoryCache`] is a
//!   bounded in-memory store (`quick_cache`, chosen by measurement over
//!   `moka`: 60 ns against 167 ns a hit, 120 ns against 265 ns an insert,
//!   and a smaller dependency tree; see BENCHMARKS.md).
//! - **Decoding once**: the first hit of an in-memory entry leaves the
//!   typed value it decoded beside the body, and later hits get a copy of
//!   it instead of parsing the body again
//!   ([`pinterest_api::DecodedMemo`]). The entry's weight allows for it.
//! - Per call, [`Client::bypass_cache`](crate::Client::bypass_cache)
//!   neither reads nor fills it; [`Client::cache_stats`](crate::Client::cache_stats)
//!   counts hits, misses, stores, revalidations and invalidations (also
//!   as `metrics`: `pinterest_cache_hits_total`, `..._misses_total`).
//!
//! ```no_run
//! # async fn run() -> pinterest_ext::Result<()> {
//! use std::time::Duration;
//! use pinterest_ext::{CachePolicy, Client, ResponseCache};
//! let client = Client::builder()
//!     .cache(ResponseCache::memory(
//!         CachePolicy::default().ttl("boards/list_pins", Duration::from_secs(60)),
//!         64 << 20,
//!     ))
//!     .build()
//!     .await?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use pinterest_api::{BoxFuture, DecodedMemo, Method, Operation, RawResponse};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// How long each operation's responses are kept.
#[derive(Debug, Clone, Default)]
pub struct CachePolicy {
    overrides: BTreeMap<String, Option<Duration>>,
}

/// Analytics: an hour (Pinterest's analytics lag by hours anyway).
const ANALYTICS: Duration = Duration::from_secs(3600);
/// Single resources and account/board metadata: five minutes.
const METADATA: Duration = Duration::from_secs(300);
/// Lists that are metadata rather than content.
const METADATA_LISTS: &[&str] = &[
    "boards/list",
    "board_sections/list",
    "ad_accounts/list",
    "user_account/followers",
    "user_account/following",
];

impl CachePolicy {
    /// Caches `operation` (an `operationId`) for `ttl`.
    pub fn ttl(mut self, operation: &str, ttl: Duration) -> CachePolicy {
        self.overrides.insert(operation.to_string(), Some(ttl));
        self
    }

    /// Never caches `operation`.
    pub fn never(mut self, operation: &str) -> CachePolicy {
        self.overrides.insert(operation.to_string(), None);
        self
    }

    /// How long `operation`'s responses are kept (`None`: not cached).
    ///
    /// ```
    /// use pinterest_ext::{CachePolicy, api::Operation};
    /// let policy = CachePolicy::default();
    /// let ttl = |id| policy.ttl_for(Operation::by_id(id).unwrap());
    /// assert_eq!(ttl("user_account/analytics").map(|d| d.as_secs()), Some(3600));
    /// assert_eq!(ttl("boards/get").map(|d| d.as_secs()), Some(300));
    /// assert_eq!(ttl("boards/list_pins"), None);
    /// assert_eq!(ttl("pins/create"), None);
    /// ```
    pub fn ttl_for(&self, operation: &Operation) -> Option<Duration> {
        if let Some(ttl) = self.overrides.get(operation.id) {
            return *ttl;
        }
        if operation.method != Method::Get || !operation.success_json {
            return None;
        }
        let analytics = operation.id.contains("analytics")
            || operation
                .rate_limit_category
                .is_some_and(|c| c.ends_with("analytics"));
        if analytics {
            Some(ANALYTICS)
        } else if operation.pagination.is_none() || METADATA_LISTS.contains(&operation.id) {
            Some(METADATA)
        } else {
            None
        }
    }
}

/// A stored response. Headers are not kept (a cached answer has no
/// request id or quota of its own to report), only the `ETag`.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use pinterest_ext::cache::CachedResponse;
/// let entry = CachedResponse::new(
///     reqwest::StatusCode::OK,
///     bytes::Bytes::from_static(br#"{"id": "42"}"#),
///     SystemTime::now() + Duration::from_secs(60),
/// )
/// .with_tags(vec!["pins/42".into(), "boards/7".into()]);
/// assert!(entry.is_fresh());
/// assert_eq!(entry.tags(), ["boards/7", "pins/42"]);
/// ```
#[derive(Clone)]
pub struct CachedResponse {
    /// The status (200).
    pub status: StatusCode,
    /// Headers served with it (none from [`crate::layers::cache`]).
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// Until when it may be served without asking Pinterest.
    pub fresh_until: SystemTime,
    /// Its `ETag`, to revalidate once it is stale.
    pub etag: Option<String>,
    derived: Derived,
}

impl fmt::Debug for CachedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedResponse")
            .field("status", &self.status)
            .field("body_bytes", &self.body.len())
            .field("fresh_until", &self.fresh_until)
            .field("etag", &self.etag)
            .field("tags", &self.tags())
            .finish_non_exhaustive()
    }
}

impl CachedResponse {
    /// `body` with `status`, fresh until `fresh_until`, without an `ETag`
    /// or tags.
    pub fn new(status: StatusCode, body: Bytes, fresh_until: SystemTime) -> CachedResponse {
        CachedResponse {
            status,
            headers: HeaderMap::new(),
            body,
            fresh_until,
            etag: None,
            derived: Derived(None),
        }
    }

    /// With the `ETag` `etag`.
    pub fn with_etag(mut self, etag: impl Into<String>) -> CachedResponse {
        self.etag = Some(etag.into());
        self
    }

    /// With the tags `tags` (a store that keeps an entry's tags itself
    /// rebuilds the entry with them).
    pub fn with_tags(mut self, tags: Vec<String>) -> CachedResponse {
        self.derived = Derived::known(tags);
        self
    }

    /// With the tags of a response to `path`, of the operation whose path
    /// template is `template`: worked out from them and the body when
    /// first asked for.
    pub(crate) fn with_tags_of(mut self, template: &'static str, path: String) -> CachedResponse {
        self.derived = Derived::new(Some((template, path)), OnceLock::new());
        self
    }

    /// The resources it shows (`pins/1`, `boards/7`, `boards`), sorted: a
    /// write to one of them drops it.
    ///
    /// The cache layer does not work them out when it stores a response,
    /// but the first time they are asked for (by a write, or by a read
    /// after an invalidation): most entries expire before any write could
    /// concern them, and a miss then costs little more than the store.
    /// A store that indexes its entries by tag reads them at
    /// [`CacheStore::put`].
    pub fn tags(&self) -> &[String] {
        let Some(derived) = &self.derived.0 else {
            return &[];
        };
        derived.tags.get_or_init(|| {
            let Some((template, path)) = &derived.source else {
                return Box::default();
            };
            let mut tags = path_tags(template, path);
            tags.extend(body_tags(&self.body));
            tags.sort();
            tags.dedup();
            tags.into_boxed_slice()
        })
    }

    /// Whether it may still be served as it is.
    pub fn is_fresh(&self) -> bool {
        self.fresh_until > SystemTime::now()
    }

    /// The response it stands for (no request was sent for it), made of
    /// its own status, headers and body (a lookup hands out a copy of the
    /// stored entry, so nothing is copied again). Every response made from
    /// one stored entry shares its decoded value: the first one decoded
    /// leaves it there for the others.
    pub(crate) fn into_response(self) -> RawResponse {
        let memo = self
            .derived
            .0
            .as_ref()
            .map(|derived| derived.decoded.get_or_init(Default::default).clone());
        let mut response = RawResponse::new(self.status, self.headers, self.body);
        response.attempts = 0;
        match memo {
            Some(memo) => response.with_memo(memo),
            None => response,
        }
    }
}

/// What is worked out from an entry's body on first use, shared by its
/// clones (a hit copies the entry, not this): its tags, and its decoded
/// value. `None` for an entry without tags.
#[derive(Clone)]
struct Derived(Option<Arc<DerivedInner>>);

struct DerivedInner {
    /// The operation's path template and the request's path, while the
    /// tags are not worked out.
    source: Option<(&'static str, String)>,
    tags: OnceLock<Box<[String]>>,
    /// Where the first hit leaves the decoded body for the next ones.
    decoded: OnceLock<Arc<DecodedMemo>>,
}

impl Derived {
    fn new(source: Option<(&'static str, String)>, tags: OnceLock<Box<[String]>>) -> Derived {
        Derived(Some(Arc::new(DerivedInner {
            source,
            tags,
            decoded: OnceLock::new(),
        })))
    }

    fn known(mut tags: Vec<String>) -> Derived {
        tags.sort();
        tags.dedup();
        Derived::new(None, OnceLock::from(tags.into_boxed_slice()))
    }
}

/// Where cached responses live. [`MemoryCache`] is the in-process one;
/// implement it to share a cache between processes.
pub trait CacheStore: Send + Sync + fmt::Debug + 'static {
    /// The entry stored under `key`, if it is still there and none of its
    /// tags was invalidated since it was stored (fresh or stale: the
    /// caller checks).
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<CachedResponse>>;
    /// Stores `value` under `key`; it may be dropped after `keep` (its
    /// freshness plus the time it may be revalidated in). A store that
    /// indexes entries by tag reads them here with
    /// [`CachedResponse::tags`].
    fn put<'a>(&'a self, key: &'a str, value: CachedResponse, keep: Duration) -> BoxFuture<'a, ()>;
    /// Drops every entry tagged with one of `tags`.
    fn invalidate<'a>(&'a self, tags: &'a [String]) -> BoxFuture<'a, ()>;
}

/// A bounded in-memory [`CacheStore`].
///
/// Every invalidation moves an epoch on and records, per tag, the epoch
/// it was last invalidated at. An entry remembers the epoch it was stored
/// at: it is gone once one of its tags was invalidated later. Until some
/// invalidation happens, a read compares two numbers and looks at no tag,
/// and a store never works its entry's tags out at all.
pub struct MemoryCache {
    entries: quick_cache::sync::Cache<String, Arc<Stored>, ByBytes>,
    /// The number of invalidations so far.
    epoch: AtomicU64,
    invalidated: Mutex<Invalidated>,
}

/// When each tag was last invalidated.
#[derive(Default)]
struct Invalidated {
    /// Tag to the epoch of its last invalidation.
    at: HashMap<String, u64>,
    /// The epoch `at` was last emptied at: entries stored before it are
    /// gone whatever their tags.
    reset_at: u64,
}

impl Invalidated {
    /// Whether nothing stored at `since` with `tags` was invalidated since.
    fn spares(&self, since: u64, tags: &[String]) -> bool {
        since >= self.reset_at
            && tags
                .iter()
                .all(|tag| self.at.get(tag).is_none_or(|&at| at <= since))
    }
}

struct Stored {
    value: CachedResponse,
    drop_after: SystemTime,
    /// The epoch it was stored at.
    since: u64,
    /// The last epoch it was found current at.
    checked: AtomicU64,
}

/// Weighs an entry by the memory it may take: its key and body, the
/// value the first hit decodes the body to and leaves beside it, and a
/// fixed allowance for the entry's own fields.
#[derive(Clone)]
struct ByBytes;

/// What an entry's decoded value is reckoned to take beyond its body's
/// length: a decoded value takes about its JSON's bytes on the heap plus
/// its struct inline (measured: a 1,037-byte pin decodes to 1,152 bytes,
/// a 67-byte one to 662, `types::Pin` being 656 bytes inline).
const DECODED_ALLOWANCE: usize = 768;

/// The entry's own fields, its key's and its tags' allocations.
const ENTRY_ALLOWANCE: usize = 256;

impl quick_cache::Weighter<String, Arc<Stored>> for ByBytes {
    fn weight(&self, key: &String, value: &Arc<Stored>) -> u64 {
        let body = value.value.body.len();
        (key.len() + body + (body + DECODED_ALLOWANCE) + ENTRY_ALLOWANCE) as u64
    }
}

/// Tags whose last invalidation is remembered before the table is emptied
/// (and every entry with it).
const MAX_INVALIDATED_TAGS: usize = 100_000;

impl MemoryCache {
    /// A cache of at most about `max_bytes`: each entry is weighed as its
    /// key, its body twice (the body, and the value a hit decodes it to,
    /// kept so that later hits copy it instead of parsing again) and
    /// about 1 KB for the rest.
    pub fn new(max_bytes: u64) -> MemoryCache {
        let items = (max_bytes / 2048).clamp(16, 1 << 20) as usize;
        MemoryCache {
            entries: quick_cache::sync::Cache::with_weighter(items, max_bytes.max(4096), ByBytes),
            epoch: AtomicU64::new(0),
            invalidated: Mutex::default(),
        }
    }

    /// Whether `stored` was not invalidated since it was stored.
    fn is_current(&self, stored: &Stored) -> bool {
        let epoch = self.epoch.load(Ordering::Acquire);
        if stored.checked.load(Ordering::Relaxed) == epoch {
            return true;
        }
        // Worked out before the lock is taken: it may parse the body.
        let tags = stored.value.tags();
        let current = self
            .invalidated
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .spares(stored.since, tags);
        if current {
            stored.checked.store(epoch, Ordering::Relaxed);
        }
        current
    }
}

impl fmt::Debug for MemoryCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryCache")
            .field("entries", &self.entries.len())
            .field("bytes", &self.entries.weight())
            .finish()
    }
}

impl MemoryCache {
    /// [`CacheStore::get`], without a future.
    fn lookup(&self, key: &str) -> Option<CachedResponse> {
        let stored = self.entries.get(key)?;
        if stored.drop_after > SystemTime::now() && self.is_current(&stored) {
            Some(stored.value.clone())
        } else {
            self.entries.remove(key);
            None
        }
    }

    /// [`CacheStore::put`], without a future or a copy of the key.
    fn store(&self, key: String, value: CachedResponse, keep: Duration) {
        let since = self.epoch.load(Ordering::Acquire);
        let stored = Stored {
            drop_after: SystemTime::now() + keep,
            value,
            since,
            checked: AtomicU64::new(since),
        };
        self.entries.insert(key, Arc::new(stored));
    }

    /// [`CacheStore::invalidate`], without a future.
    fn drop_tagged(&self, tags: &[String]) {
        if tags.is_empty() {
            return;
        }
        let mut invalidated = self.invalidated.lock().unwrap_or_else(|p| p.into_inner());
        // Moved on under the lock, after the tags are recorded: a reader
        // that sees the new epoch sees them.
        let epoch = self.epoch.load(Ordering::Relaxed) + 1;
        if invalidated.at.len() + tags.len() > MAX_INVALIDATED_TAGS {
            invalidated.at.clear();
            invalidated.reset_at = epoch;
            self.entries.clear();
        }
        for tag in tags {
            invalidated.at.insert(tag.clone(), epoch);
        }
        self.epoch.store(epoch, Ordering::Release);
    }
}

impl CacheStore for MemoryCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<CachedResponse>> {
        Box::pin(std::future::ready(self.lookup(key)))
    }

    fn put<'a>(&'a self, key: &'a str, value: CachedResponse, keep: Duration) -> BoxFuture<'a, ()> {
        self.store(key.to_string(), value, keep);
        Box::pin(std::future::ready(()))
    }

    fn invalidate<'a>(&'a self, tags: &'a [String]) -> BoxFuture<'a, ()> {
        self.drop_tagged(tags);
        Box::pin(std::future::ready(()))
    }
}

/// A cache's store: the in-memory one is called directly (no future to
/// box, no key to copy), any other through [`CacheStore`].
#[derive(Debug, Clone)]
pub(crate) enum Store {
    Memory(Arc<MemoryCache>),
    Other(Arc<dyn CacheStore>),
}

/// What a store did at once (the in-memory one), or the future that does
/// it (another, which may wait on a network).
pub(crate) enum Now<T> {
    Done(T),
    Later(BoxFuture<'static, T>),
}

impl<T> Now<T> {
    /// The outcome, waited for if need be.
    pub(crate) async fn outcome(self) -> T {
        match self {
            Now::Done(value) => value,
            Now::Later(future) => future.await,
        }
    }
}

impl Store {
    /// [`CacheStore::get`].
    pub(crate) fn get(&self, key: &str) -> Now<Option<CachedResponse>> {
        match self {
            Store::Memory(memory) => Now::Done(memory.lookup(key)),
            Store::Other(store) => {
                let (store, key) = (store.clone(), key.to_string());
                Now::Later(Box::pin(async move { store.get(&key).await }))
            }
        }
    }

    /// [`CacheStore::put`]: `None` when done already.
    pub(crate) fn put(
        &self,
        key: String,
        value: CachedResponse,
        keep: Duration,
    ) -> Option<BoxFuture<'static, ()>> {
        match self {
            Store::Memory(memory) => {
                memory.store(key, value, keep);
                None
            }
            Store::Other(store) => {
                let store = store.clone();
                Some(Box::pin(async move { store.put(&key, value, keep).await }))
            }
        }
    }

    /// [`CacheStore::invalidate`]: `None` when done already.
    pub(crate) fn invalidate(&self, tags: &[String]) -> Option<BoxFuture<'static, ()>> {
        match self {
            Store::Memory(memory) => {
                memory.drop_tagged(tags);
                None
            }
            Store::Other(store) => {
                let (store, tags) = (store.clone(), tags.to_vec());
                Some(Box::pin(async move { store.invalidate(&tags).await }))
            }
        }
    }
}

/// Counters of a cache, shared by a client and its clones.
#[derive(Debug, Default)]
pub struct CacheStats {
    hits: AtomicU64,
    misses: AtomicU64,
    stores: AtomicU64,
    revalidated: AtomicU64,
    invalidations: AtomicU64,
}

/// A snapshot of [`CacheStats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CacheCounts {
    /// Calls answered from the cache.
    pub hits: u64,
    /// Cacheable calls that went to Pinterest.
    pub misses: u64,
    /// Responses stored.
    pub stores: u64,
    /// Stale entries renewed by a `304 Not Modified`.
    pub revalidated: u64,
    /// Writes that dropped entries.
    pub invalidations: u64,
}

impl CacheStats {
    pub(crate) fn hit(&self) {
        self.hits.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn miss(&self) {
        self.misses.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn stored(&self) {
        self.stores.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn revalidated(&self) {
        self.revalidated.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn invalidated(&self) {
        self.invalidations.fetch_add(1, Ordering::Relaxed);
    }

    /// The counts so far.
    pub fn counts(&self) -> CacheCounts {
        CacheCounts {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            stores: self.stores.load(Ordering::Relaxed),
            revalidated: self.revalidated.load(Ordering::Relaxed),
            invalidations: self.invalidations.load(Ordering::Relaxed),
        }
    }
}

/// A response cache for a client: what to cache ([`CachePolicy`]), where
/// ([`CacheStore`]), and its counters.
#[derive(Debug, Clone)]
pub struct ResponseCache {
    pub(crate) policy: CachePolicy,
    pub(crate) store: Store,
    pub(crate) stats: Arc<CacheStats>,
    /// Writes that invalidated entries, through this cache's clients: a
    /// GET that one overtook is not stored (it may show the resource
    /// before the write).
    pub(crate) writes: Arc<AtomicU64>,
}

impl ResponseCache {
    /// A cache in this process of at most about `max_bytes`.
    pub fn memory(policy: CachePolicy, max_bytes: u64) -> ResponseCache {
        ResponseCache::in_store(policy, Store::Memory(Arc::new(MemoryCache::new(max_bytes))))
    }

    /// A cache in `store` (shared between processes, say).
    pub fn with_store(policy: CachePolicy, store: Arc<dyn CacheStore>) -> ResponseCache {
        ResponseCache::in_store(policy, Store::Other(store))
    }

    fn in_store(policy: CachePolicy, store: Store) -> ResponseCache {
        ResponseCache {
            policy,
            store,
            stats: Arc::default(),
            writes: Arc::default(),
        }
    }

    /// Its counters.
    pub fn stats(&self) -> CacheCounts {
        self.stats.counts()
    }
}

/// `Cache-Control` of a response: whether it may be stored, and its
/// `max-age`.
pub(crate) fn cache_control(headers: &HeaderMap) -> (bool, Option<Duration>) {
    let mut storable = true;
    let mut max_age = None;
    for value in headers.get_all(reqwest::header::CACHE_CONTROL) {
        let Ok(text) = value.to_str() else { continue };
        for directive in text.split(',').map(|d| d.trim().to_ascii_lowercase()) {
            if directive == "no-store" || directive == "no-cache" {
                storable = false;
            } else if let Some(n) = directive.strip_prefix("max-age=") {
                max_age = n
                    .trim_matches('"')
                    .parse::<u64>()
                    .ok()
                    .map(|s| Duration::from_secs(s.min(7 * 86_400)));
            }
        }
    }
    (storable, max_age)
}

/// The resources a path names, from its operation's template: for each
/// path parameter, `<the literal segment before it>/<value>`; for a path
/// without parameters, its first segment (the collection). The base URL
/// may add segments in front (`/v5`): path and template are aligned at
/// their ends.
pub(crate) fn path_tags(template: &str, path: &str) -> Vec<String> {
    let mut tags = Vec::with_capacity(4);
    let mut template_rev = template.trim_matches('/').rsplit('/');
    let mut path_rev = path.trim_matches('/').rsplit('/');
    let mut pending: Option<&str> = None;
    while let (Some(t), Some(p)) = (template_rev.next(), path_rev.next()) {
        if let Some(value) = pending.take() {
            // `t` is the literal before the parameter whose value was `value`.
            tags.push([t, "/", value].concat());
        }
        if t.starts_with('{') {
            pending = Some(p);
        }
    }
    if tags.is_empty()
        && let Some(first) = template
            .trim_matches('/')
            .split('/')
            .next()
            .filter(|s| !s.is_empty() && !s.starts_with('{'))
    {
        tags.push(first.to_string());
    }
    tags.reverse();
    tags
}

/// The collection a path belongs to (its first segment): a write to it
/// changes the lists of that collection.
pub(crate) fn collection(template: &str) -> Option<String> {
    template
        .trim_matches('/')
        .split('/')
        .next()
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .map(str::to_string)
}

/// Resources a JSON body names at its top level: `board_id: "7"` is
/// `boards/7`, `ad_account_id` is `ad_accounts/...`. Only those fields are
/// read; every other value is skipped without being built, and a body
/// without `_id"` is not parsed at all.
pub(crate) fn body_tags(body: &[u8]) -> Vec<String> {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

    struct Tags(Vec<String>);

    /// A string borrowed from the body where it has no escapes (serde's
    /// own `Cow<str>` always copies).
    struct Text<'de>(std::borrow::Cow<'de, str>);
    struct TextVisitor;
    impl<'de> Visitor<'de> for TextVisitor {
        type Value = Text<'de>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
            Ok(Text(v.into()))
        }
        fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
            Ok(Text(v.to_string().into()))
        }
    }
    impl<'de> serde::Deserialize<'de> for Text<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text<'de>, D::Error> {
            d.deserialize_str(TextVisitor)
        }
    }

    /// A string or number id (anything else is skipped).
    struct IdValue;

    impl<'de> Visitor<'de> for IdValue {
        type Value = Option<std::borrow::Cow<'de, str>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an id")
        }
        fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Some(v.into()))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string().into()))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string().into()))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string().into()))
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }

    struct Id<'de>(Option<std::borrow::Cow<'de, str>>);
    impl<'de> serde::Deserialize<'de> for Id<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Id<'de>, D::Error> {
            d.deserialize_any(IdValue).map(Id)
        }
    }

    impl<'de> Visitor<'de> for Tags {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Vec<String>, A::Error> {
            while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
                match key.strip_suffix("_id") {
                    Some(kind) => {
                        if let Id(Some(id)) = map.next_value::<Id<'de>>()? {
                            self.0.push([kind, "s/", &id].concat());
                        }
                    }
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(self.0)
        }
    }

    if !body.trim_ascii_start().starts_with(b"{") || !body.windows(4).any(|w| w == b"_id\"") {
        return Vec::new();
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut tags = de
        .deserialize_map(Tags(Vec::with_capacity(4)))
        .unwrap_or_default();
    tags.sort();
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_come_from_the_path_template_and_the_body() {
        assert_eq!(path_tags("/pins/{pin_id}", "/v5/pins/42"), ["pins/42"]);
        assert_eq!(
            path_tags("/boards/{board_id}/pins", "/v5/boards/7/pins"),
            ["boards/7"]
        );
        assert_eq!(path_tags("/boards", "/v5/boards"), ["boards"]);
        assert_eq!(collection("/pins/{pin_id}").as_deref(), Some("pins"));
        assert_eq!(
            body_tags(br#"{"id": "42", "board_id": "7", "title": "x", "ad_account_id": 9, "parent_id": null, "media": {"image_id": "1"}}"#),
            ["ad_accounts/9", "boards/7"]
        );
        assert!(body_tags(br#"[{"board_id": "7"}]"#).is_empty());
        assert_eq!(body_tags(br#"{"board_id": "a\"b"}"#), ["boards/a\"b"]);
        assert!(body_tags(b"not json").is_empty());
    }

    #[test]
    fn cache_control_is_read() {
        let mut h = HeaderMap::new();
        assert_eq!(cache_control(&h), (true, None));
        h.insert("cache-control", "private, max-age=30".parse().unwrap());
        assert_eq!(cache_control(&h), (true, Some(Duration::from_secs(30))));
        h.insert("cache-control", "no-store".parse().unwrap());
        assert!(!cache_control(&h).0);
    }

    #[tokio::test]
    async fn invalidating_a_tag_drops_the_entries_stored_before() {
        let cache = MemoryCache::new(1 << 20);
        let entry = |tags: &[&str]| {
            CachedResponse::new(
                StatusCode::OK,
                Bytes::from_static(b"{}"),
                SystemTime::now() + Duration::from_secs(60),
            )
            .with_tags(tags.iter().map(|t| t.to_string()).collect())
        };
        let keep = Duration::from_secs(60);
        cache.put("a", entry(&["pins/1", "boards/7"]), keep).await;
        cache.put("b", entry(&["boards/8"]), keep).await;
        assert!(cache.get("a").await.is_some());
        cache.invalidate(&["boards/7".to_string()]).await;
        assert!(cache.get("a").await.is_none());
        assert!(cache.get("b").await.is_some());
        cache.put("a", entry(&["pins/1", "boards/7"]), keep).await;
        assert!(
            cache.get("a").await.is_some(),
            "stored after the invalidation"
        );
    }

    #[tokio::test]
    async fn a_responses_tags_are_worked_out_only_once_an_invalidation_asks() {
        let cache = MemoryCache::new(1 << 20);
        let body = Bytes::from_static(br#"{"id": "42", "board_id": "7"}"#);
        let entry = CachedResponse::new(
            StatusCode::OK,
            body,
            SystemTime::now() + Duration::from_secs(60),
        )
        .with_tags_of("/pins/{pin_id}", "/v5/pins/42".into());
        cache.put("pin", entry, Duration::from_secs(60)).await;
        assert!(cache.get("pin").await.is_some());
        let worked_out = || {
            cache
                .entries
                .get("pin")
                .unwrap()
                .value
                .derived
                .0
                .as_ref()
                .is_some_and(|d| d.tags.get().is_some())
        };
        assert!(!worked_out(), "no invalidation yet: not parsed");

        cache.invalidate(&["boards/8".to_string()]).await;
        assert!(cache.get("pin").await.is_some(), "another board");
        assert!(worked_out());
        assert_eq!(
            cache.get("pin").await.unwrap().tags(),
            ["boards/7", "pins/42"]
        );
        cache.invalidate(&["boards/7".to_string()]).await;
        assert!(cache.get("pin").await.is_none(), "its board");
    }

    #[tokio::test]
    async fn hits_of_one_entry_share_the_value_the_first_hit_decoded() {
        use httpmock::prelude::*;
        let pinterest = crate::testing::MockPinterest::start().await;
        let pin = pinterest.server().mock(|when, then| {
            when.method(GET).path("/pins/42");
            then.status(200)
                .json_body(serde_json::json!({"id": "42", "board_id": "7", "title": "Pho"}));
        });
        let cache = ResponseCache::memory(CachePolicy::default(), 1 << 20);
        let client = pinterest
            .client_builder()
            .cache(cache.clone())
            .build()
            .await
            .unwrap();
        let Store::Memory(memory) = &cache.store else {
            unreachable!("a memory cache")
        };
        let memo_filled = || {
            let key = memory.entries.iter().next().expect("one entry").0;
            let stored = memory.entries.get(&key).unwrap();
            let derived = stored.value.derived.0.as_ref().expect("tagged");
            derived.decoded.get().is_some_and(|m| m.is_filled())
        };
        let sent = client.pins_get().pin_id("42").send().await.unwrap();
        assert!(
            !memo_filled(),
            "the response that was sent is not kept decoded"
        );
        let first_hit = client.pins_get().pin_id("42").send().await.unwrap();
        assert!(memo_filled(), "the first hit keeps what it decoded");
        for _ in 0..3 {
            let hit = client.pins_get().pin_id("42").send().await.unwrap();
            assert_eq!(format!("{:?}", *hit), format!("{:?}", *first_hit));
        }
        assert_eq!(format!("{:?}", *sent), format!("{:?}", *first_hit));
        assert_eq!(first_hit.title.as_deref().map(String::as_str), Some("Pho"));
        pin.assert_calls(1);
        assert_eq!(cache.stats().hits, 4);
    }
}
