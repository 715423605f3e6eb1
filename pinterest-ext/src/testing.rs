//! A test kit for applications (feature `testing`): a mock Pinterest
//! server and a client already pointed at it, with a token preset, fast
//! retries and no client-side rate limiting (unless you ask for it), plus
//! typed mocks of every operation ([`MockServerExt`], generated from the
//! spec, checked by the compiler) and [`fixtures`] of the main types.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> pinterest_ext::Result<()> {
//! use pinterest_ext::testing::{MockPinterest, MockServerExt, fixtures};
//!
//! let pinterest = MockPinterest::start().await;
//! let create = pinterest
//!     .server()
//!     .pins_create_async(|when, then| {
//!         when.body(&pinterest_ext::NewPin::from_image_url("1", "https://x/a.jpg").to_body().unwrap());
//!         then.created(&fixtures::pin());
//!     })
//!     .await;
//! let client = pinterest.client().await;
//! let pin = client.create_pin(pinterest_ext::NewPin::from_image_url("1", "https://x/a.jpg")).await?;
//! assert_eq!(pin.id, fixtures::pin().id);
//! create.assert_async().await;
//! # Ok(())
//! # }
//! ```
//!
//! Untyped httpmock works too:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> pinterest_ext::Result<()> {
//! use pinterest_ext::testing::MockPinterest;
//! use serde_json::json;
//!
//! let pinterest = MockPinterest::start().await;
//! let user = pinterest
//!     .server()
//!     .mock_async(|when, then| {
//!         when.method("GET").path("/user_account");
//!         then.status(200).json_body(json!({"username": "cook", "account_type": "BUSINESS"}));
//!     })
//!     .await;
//! let client = pinterest.client().await;
//! let me = client.user_account_get().send().await?;
//! assert_eq!(me.username.as_deref(), Some("cook"));
//! user.assert_async().await;
//! # Ok(())
//! # }
//! ```

use std::time::Duration;

use httpmock::MockServer;

use crate::{Client, ClientBuilder, RateLimits, RetryPolicy, Token};

pub use pinterest_api::mock::MockServerExt;
#[cfg(feature = "organic")]
pub use pinterest_api::mock::fixtures;

/// The access token [`MockPinterest::client`] sends.
pub const TEST_ACCESS_TOKEN: &str = "pina_test_access_token";

/// A retry policy for tests: the same rules as the default, with waits of
/// a few milliseconds (server hints clamped to 20 ms).
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
        .max_server_wait(Duration::from_millis(20))
}

/// A mock Pinterest API server (httpmock).
pub struct MockPinterest {
    server: MockServer,
}

impl MockPinterest {
    /// Starts a server.
    pub async fn start() -> MockPinterest {
        MockPinterest {
            server: MockServer::start_async().await,
        }
    }

    /// The httpmock server, to declare mocks on.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// The base URL clients should use.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// A builder for a client of this server: bearer token
    /// [`TEST_ACCESS_TOKEN`], [`fast_retry`], no client-side rate limits,
    /// 5 s request timeout, and strict decoding: a fixture or mock body with
    /// a value the spec does not list fails the call, naming the type,
    /// path and value (turn it off with `.strict(false)`). Change what the
    /// test needs, then `build()`.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(self.base_url())
            .token(Token::new(TEST_ACCESS_TOKEN))
            .retry(fast_retry())
            .rate_limits(RateLimits::unlimited())
            .request_timeout(Duration::from_secs(5))
            .strict(true)
    }

    /// A client of this server, configured as [`MockPinterest::client_builder`].
    ///
    /// # Panics
    ///
    /// If the client cannot be built (it cannot fail with this
    /// configuration short of the TLS backend failing to initialize).
    pub async fn client(&self) -> Client {
        match self.client_builder().build().await {
            Ok(client) => client,
            Err(e) => panic!("the test client could not be built: {e}"),
        }
    }
}
