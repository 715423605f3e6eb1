//! Typed mocks of every operation for tests (feature `mock`): progenitor's
//! httpmock extensions, generated from the same spec as the client, and
//! fixtures of the main response types.
//!
//! ```
//! # #[cfg(feature = "organic")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use httpmock::MockServer;
//! use pinterest_api::mock::{MockServerExt, fixtures};
//! use pinterest_api::{Client, Hooks};
//!
//! let server = MockServer::start_async().await;
//! let mock = server
//!     .pins_get_async(|when, then| {
//!         when.pin_id("813744226420795884");
//!         then.ok(&fixtures::pin());
//!     })
//!     .await;
//! let client = Client::new(&server.base_url(), Hooks::none());
//! let pin = client.pins_get().pin_id("813744226420795884").send().await.unwrap();
//! assert_eq!(pin.title.as_deref().map(|t| t.as_str()), Some("Lemon cake"));
//! mock.assert_async().await;
//! # }
//! # #[cfg(not(feature = "organic"))]
//! # fn main() {}
//! ```
//!
//! Every operation has a method on [`MockServerExt`] named like the client
//! method (`pins_create`, `boards_list`, ...) and an `_async` twin; its
//! `when` takes the operation's parameters and body, typed, and its `then`
//! has one method per documented response (`ok`, `created`,
//! `client_error`, ...) taking the typed body.

#[cfg(feature = "organic")]
pub mod fixtures;
pub mod support;

#[rustfmt::skip]
#[path = "generated/mock.rs"]
mod generated;
pub use generated::*;
