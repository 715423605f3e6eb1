#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod analytics;
mod auth;
pub mod bulk;
pub mod cache;
mod client;
#[cfg(feature = "conversions")]
pub mod conversions;
mod environment;
mod error;
pub mod jobs;
pub mod layers;
pub mod media;
mod metrics;
#[cfg(feature = "organic")]
mod organic;
mod pagination;
pub mod pool;
pub mod preflight;
mod quota;
mod ratelimit;
#[cfg(feature = "redis")]
pub mod redis;
mod retry;
#[cfg(feature = "testing")]
pub mod testing;
mod timestamp;
pub mod transfer;

pub use auth::{
    ACCESS_TOKEN_VAR, APP_ID_VAR, APP_SECRET_VAR, AUTHORIZE_URL, AppCredentials, Authorization,
    FileStore, Lease, LeaseGuard, LoginFlow, LoginOptions, MemoryStore, OAuth, REFRESH_TOKEN_VAR,
    ReleaseLease, Token, TokenEvent, TokenPrecedence, TokenStore, login,
};
pub use cache::{CacheCounts, CachePolicy, CacheStore, MemoryCache, ResponseCache};
pub use client::{Client, ClientBuilder};
pub use environment::Environment;
pub use error::{Error, ErrorKind, Result, codes};
pub use media::{MAX_VIDEO_BYTES, MediaLimits, VideoUpload};
#[cfg(feature = "organic")]
pub use organic::{ImageType, NewPin, VideoCover};
pub use pagination::{
    DEFAULT_PAGE_SIZE, ItemStream, Page, PageStream, Paginate, Paginator, ResumePoint,
};
pub use pinterest_api::{self as api, OpenEnum, Scope, types};
pub use pool::{AccountStore, ClientPool, ClientPoolBuilder, MemoryAccounts, SweepReport};
pub use preflight::{DeprecationPolicy, Preflight};
pub use quota::{Quota, QuotaBook};
pub use ratelimit::{Limit, LimitKey, Limiter, RateLimiter, RateLimits, block_from};
pub use retry::{Backoff, RetryPolicy};
pub use timestamp::parse_timestamp;
pub use transfer::TransferPolicy;

/// Entry points of internal parsers, for the property tests and fuzzing of
/// everything that reads the network. Not part of the API.
#[doc(hidden)]
pub mod __fuzz {
    /// A token endpoint response as the client reads it.
    pub fn token_response(status: u16, body: &[u8]) -> crate::Result<crate::Token> {
        let status =
            reqwest::StatusCode::from_u16(status).unwrap_or(reqwest::StatusCode::BAD_GATEWAY);
        crate::auth::oauth::read_token_response(status, &reqwest::header::HeaderMap::new(), body)
    }
}
