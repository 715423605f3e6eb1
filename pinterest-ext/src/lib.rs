//! Pinterest API v5 for applications, on top of the generated
//! [`pinterest_api`] client: OAuth with automatic refresh, retries that
//! never send a write twice, per-category rate limits, and typed errors,
//! applied to every generated operation through its middleware hook.
//!
//! ```no_run
//! # async fn run() -> pinterest_ext::Result<()> {
//! use pinterest_ext::{AppCredentials, Client, FileStore, Token};
//! let client = Client::builder()
//!     .credentials(AppCredentials::from_env()?)
//!     .token_store(FileStore::new("pinterest-token.json"))
//!     .build()
//!     .await?;
//! let boards = client.boards_list().page_size(25).send().await?;
//! for board in &boards.items {
//!     println!("{}", board.name);
//! }
//! # Ok(())
//! # }
//! ```

pub mod analytics;
mod auth;
pub mod bulk;
mod client;
mod environment;
mod error;
pub mod jobs;
#[cfg(feature = "organic")]
mod media;
mod middleware;
#[cfg(feature = "organic")]
mod organic;
mod pagination;
mod ratelimit;
mod retry;
#[cfg(feature = "testing")]
pub mod testing;
mod timestamp;

pub use auth::{
    ACCESS_TOKEN_VAR, APP_ID_VAR, APP_SECRET_VAR, AUTHORIZE_URL, AppCredentials, Authorization,
    FileStore, LoginFlow, LoginOptions, MemoryStore, OAuth, REFRESH_TOKEN_VAR, Token, TokenStore,
    login,
};
pub use client::{Client, ClientBuilder};
pub use environment::Environment;
pub use error::{Error, ErrorKind, Result, codes};
#[cfg(feature = "organic")]
pub use media::{MAX_VIDEO_BYTES, VideoUpload};
#[cfg(feature = "organic")]
pub use organic::{ImageType, NewPin, VideoCover};
pub use pagination::{DEFAULT_PAGE_SIZE, ItemStream, Page, PageStream, Paginate, Paginator};
pub use pinterest_api::{self as api, Scope, types};
pub use ratelimit::{Limit, RateLimiter, RateLimits};
pub use retry::{RetryPolicy, retry_after};
pub use timestamp::parse_timestamp;
