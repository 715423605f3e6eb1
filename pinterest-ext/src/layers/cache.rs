//! The response cache of [`crate::cache`] as a layer: a fresh entry
//! answers a GET without sending it; a stale one with an `ETag` is
//! revalidated; a successful write drops the entries it may have changed.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use pinterest_api::{BoxFuture, Method, RawResponse};
use reqwest::Request;
use reqwest::header::{ETAG, HeaderValue, IF_NONE_MATCH};

use super::{CallContext, Layer, Next};
use crate::auth::manager::TokenManager;
use crate::cache::{
    CachedResponse, Now, ResponseCache, body_tags, cache_control, collection, path_tags,
};
use crate::error::Result;

/// Serves GETs from the cache and invalidates it on writes.
#[derive(Debug, Clone)]
pub struct Cache {
    cache: ResponseCache,
    tokens: Arc<TokenManager>,
}

impl Cache {
    /// The layer over `cache`, keyed by the token of `tokens`.
    pub(crate) fn new(cache: ResponseCache, tokens: Arc<TokenManager>) -> Cache {
        Cache { cache, tokens }
    }

    /// Whose entries: the account label and a fingerprint of the access
    /// token (never the token). `None` without a token: nothing cached.
    fn identity(&self, cx: &CallContext) -> Option<Arc<str>> {
        let fingerprint = self.tokens.fingerprint()?;
        Some(match &cx.account {
            Some(account) => format!("{account}:{fingerprint}").into(),
            None => fingerprint,
        })
    }
}

/// `identity|path?query`, the query's parameters sorted.
fn key(identity: &str, url: &reqwest::Url) -> String {
    if url.query().is_none_or(str::is_empty) {
        return path_key(identity, url);
    }
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{identity}|{}?{query}", url.path())
}

/// The key of a GET of `url`'s path without a query.
fn path_key(identity: &str, url: &reqwest::Url) -> String {
    let path = url.path();
    let mut key = String::with_capacity(identity.len() + path.len() + 2);
    key.push_str(identity);
    key.push('|');
    key.push_str(path);
    key.push('?');
    key
}

/// A GET the cache could not answer: its key, how long its response is
/// kept, the operation's path template, and the stale entry if there is
/// one (boxed: the future that carries it stays small).
struct Miss {
    key: String,
    ttl: Duration,
    template: &'static str,
    stale: Option<Box<CachedResponse>>,
}

/// A GET on its way to Pinterest: the rest of the stack running it, its
/// path (to tag the response), and the cache's write count when it left.
struct Sent<'a> {
    response: BoxFuture<'a, Result<RawResponse>>,
    path: String,
    writes: u64,
}

impl Cache {
    /// A fresh entry answers at once, in a future of its own that holds
    /// just the response; otherwise the request goes on (with the stale
    /// entry's `ETag`, to revalidate it).
    fn answer<'a>(
        &'a self,
        found: Option<CachedResponse>,
        mut request: Request,
        cx: &'a CallContext,
        next: Next<'a>,
        miss: Miss,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        let stats = &self.cache.stats;
        let found = match found {
            Some(entry) if entry.is_fresh() => {
                stats.hit();
                crate::metrics::cache(cx, true);
                return Box::pin(std::future::ready(Ok(entry.into_response())));
            }
            found => found,
        };
        if let Some(etag) = found.as_ref().and_then(|e| e.etag.as_deref())
            && let Ok(value) = HeaderValue::from_str(etag)
        {
            request.headers_mut().insert(IF_NONE_MATCH, value);
        }
        stats.miss();
        crate::metrics::cache(cx, false);
        let sent = Sent {
            path: request.url().path().to_string(),
            writes: self.cache.writes.load(Ordering::Acquire),
            response: next.run(request, cx),
        };
        let miss = Miss {
            stale: found.map(Box::new),
            ..miss
        };
        Box::pin(self.store_answer(sent, miss))
    }

    /// Waits for the response to a GET the cache could not answer, and
    /// stores a `200` (or renews the stale entry after a `304`).
    async fn store_answer(&self, sent: Sent<'_>, miss: Miss) -> Result<RawResponse> {
        let Sent {
            response,
            path,
            writes,
        } = sent;
        let Miss {
            key,
            ttl,
            template,
            stale,
        } = miss;
        let response = response.await?;
        let (answer, storing) = match (response.status.as_u16(), stale) {
            (304, Some(mut entry)) => {
                let (_, max_age) = cache_control(&response.headers);
                let fresh_for = max_age.map_or(ttl, |m| m.min(ttl));
                entry.fresh_until = SystemTime::now() + fresh_for;
                self.cache.stats.revalidated();
                // The renewed entry is stored, and a copy answers.
                let answer = entry.as_ref().clone().into_response();
                (answer, self.cache.store.put(key, *entry, fresh_for + ttl))
            }
            // Not when a write went through meanwhile: the response may
            // show the resource as it was before.
            (200, _) if self.cache.writes.load(Ordering::Acquire) == writes => {
                let storing =
                    entry_for(&response, ttl, template, path).and_then(|(entry, keep)| {
                        self.cache.stats.stored();
                        self.cache.store.put(key, entry, keep)
                    });
                (response, storing)
            }
            _ => (response, None),
        };
        if let Some(storing) = storing {
            storing.await;
        }
        Ok(answer)
    }

    async fn write(
        &self,
        request: Request,
        cx: &CallContext,
        next: Next<'_>,
        identity: Option<Arc<str>>,
    ) -> Result<RawResponse> {
        let sent: Option<Bytes> = request
            .body()
            .and_then(|b| b.as_bytes())
            .map(Bytes::copy_from_slice);
        let url = request.url().clone();
        let response = next.run(request, cx).await?;
        if !response.status.is_success() {
            return Ok(response);
        }
        let Some(op) = cx.operation() else {
            return Ok(response);
        };
        let mut tags = path_tags(op.path, url.path());
        tags.extend(collection(op.path));
        if let Some(body) = &sent {
            tags.extend(body_tags(body));
        }
        tags.extend(body_tags(&response.body));
        // What the cached GET of this resource was tagged with (a pin's
        // board, say).
        if let Some(identity) = identity
            && let Some(entry) = self
                .cache
                .store
                .get(&path_key(&identity, &url))
                .outcome()
                .await
        {
            tags.extend(entry.tags().iter().cloned());
        }
        tags.sort();
        tags.dedup();
        // Counted before the entries go: a GET in flight that stores after
        // the invalidation sees the count moved and does not.
        self.cache.writes.fetch_add(1, Ordering::AcqRel);
        if let Some(dropping) = self.cache.store.invalidate(&tags) {
            dropping.await;
        }
        self.cache.stats.invalidated();
        tracing::debug!(?tags, "cache entries invalidated by a write");
        Ok(response)
    }
}

/// The entry to store for a `200` to `path`, and how long to keep it;
/// `None` when `Cache-Control` forbids it or it would never be fresh nor
/// revalidated.
fn entry_for(
    response: &RawResponse,
    ttl: Duration,
    template: &'static str,
    path: String,
) -> Option<(CachedResponse, Duration)> {
    let (storable, max_age) = cache_control(&response.headers);
    if !storable {
        return None;
    }
    let etag = response
        .headers
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let fresh_for = max_age.map_or(ttl, |m| m.min(ttl));
    if fresh_for.is_zero() && etag.is_none() {
        return None;
    }
    // With an ETag it is kept past its freshness (the policy's TTL more),
    // to be revalidated.
    let keep = if etag.is_some() {
        fresh_for + ttl
    } else {
        fresh_for
    };
    // A compact copy: the response's own buffer may be a larger chunk of
    // the connection's, which the entry would keep alive (and the size
    // bound would not see).
    let mut entry = CachedResponse::new(
        response.status,
        Bytes::copy_from_slice(&response.body),
        SystemTime::now() + fresh_for,
    )
    .with_tags_of(template, path);
    entry.etag = etag;
    Some((entry, keep))
}

impl Layer for Cache {
    fn call<'a>(
        &'a self,
        request: Request,
        cx: &'a CallContext,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        if cx.options.bypass_cache {
            return next.run(request, cx);
        }
        let Some(op) = cx.operation() else {
            return next.run(request, cx);
        };
        let identity = self.identity(cx);
        if cx.method != Method::Get {
            return Box::pin(self.write(request, cx, next, identity));
        }
        let (Some(ttl), Some(identity)) = (self.cache.policy.ttl_for(op), identity) else {
            return next.run(request, cx);
        };
        let miss = Miss {
            key: key(&identity, request.url()),
            ttl,
            template: op.path,
            stale: None,
        };
        match self.cache.store.get(&miss.key) {
            Now::Done(found) => self.answer(found, request, cx, next, miss),
            Now::Later(lookup) => Box::pin(async move {
                let found = lookup.await;
                self.answer(found, request, cx, next, miss).await
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::RetryPolicy;
    use crate::auth::token::Token;
    use crate::cache::CachePolicy;

    async fn layer() -> Arc<Cache> {
        let tokens = token_manager(None, Token::new("pina_test")).await;
        let cache = ResponseCache::memory(CachePolicy::default(), 1 << 20);
        Arc::new(Cache::new(cache, tokens))
    }

    fn pin_request(method: reqwest::Method) -> Request {
        Request::new(method, "http://pinterest.test/v5/pins/42".parse().unwrap())
    }

    /// The rest of the stack for a GET that a write overtakes: while the
    /// GET is in flight, an update of the same pin goes through the cache
    /// layer and succeeds; then the GET's (older) answer arrives.
    #[derive(Debug)]
    struct Overtaken {
        cache: Arc<Cache>,
        writes: Script,
    }

    impl Layer for Overtaken {
        fn call<'a>(
            &'a self,
            _request: Request,
            _cx: &'a CallContext,
            _next: Next<'a>,
        ) -> BoxFuture<'a, Result<RawResponse>> {
            Box::pin(async move {
                let update = context("pins_update", RetryPolicy::default());
                let patch = pin_request(reqwest::Method::PATCH);
                run(&*self.cache, &self.writes, patch, &update)
                    .await
                    .unwrap();
                response(200, &[], r#"{"id": "42", "board_id": "7", "title": "old"}"#)
            })
        }
    }

    #[tokio::test]
    async fn a_get_that_a_write_overtook_is_not_stored() {
        let cache = layer().await;
        let overtaken = Overtaken {
            cache: cache.clone(),
            writes: Script::new(vec![response(200, &[], r#"{"id": "42", "title": "new"}"#)]),
        };
        let get = || context("pins_get", RetryPolicy::default());
        let cx = get();
        let old = run(&*cache, &overtaken, pin_request(reqwest::Method::GET), &cx)
            .await
            .unwrap();
        assert_eq!(
            old.body.as_ref(),
            br#"{"id": "42", "board_id": "7", "title": "old"}"#
        );
        assert_eq!(overtaken.writes.sent(), 1);

        // The next GET goes to Pinterest; its answer, overtaken by nothing,
        // is stored and serves the one after.
        let script = Script::new(vec![response(200, &[], r#"{"id": "42", "title": "new"}"#)]);
        for _ in 0..2 {
            let cx = get();
            let new = run(&*cache, &script, pin_request(reqwest::Method::GET), &cx)
                .await
                .unwrap();
            assert_eq!(new.body.as_ref(), br#"{"id": "42", "title": "new"}"#);
        }
        assert_eq!(script.sent(), 1);
        let counts = cache.cache.stats();
        assert_eq!((counts.hits, counts.misses, counts.stores), (1, 2, 1));
    }

    #[test]
    fn keys_sort_the_query_and_keep_the_identity() {
        let a = key(
            "acct",
            &"http://x/v5/boards?page_size=25&bookmark=b"
                .parse()
                .unwrap(),
        );
        let b = key(
            "acct",
            &"http://x/v5/boards?bookmark=b&page_size=25"
                .parse()
                .unwrap(),
        );
        assert_eq!(a, b);
        assert_ne!(
            a,
            key(
                "other",
                &"http://x/v5/boards?bookmark=b&page_size=25"
                    .parse()
                    .unwrap()
            )
        );
        assert_eq!(
            path_key("acct", &"http://x/v5/pins/1?x=1".parse().unwrap()),
            "acct|/v5/pins/1?"
        );
        assert_eq!(
            key("acct", &"http://x/v5/pins/1".parse().unwrap()),
            "acct|/v5/pins/1?"
        );
    }
}
