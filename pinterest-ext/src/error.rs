//! The error type: `pinterest_api::Error`, which every generated `send()`
//! returns too, so errors of generated calls and of this crate's helpers
//! are the same type, matched the same way.
//!
//! ```no_run
//! # async fn run(client: pinterest_ext::Client) {
//! use pinterest_ext::ErrorKind;
//! match client.pins_get().pin_id("1234").send().await {
//!     Err(e) if e.kind() == ErrorKind::NotFound => println!("gone"),
//!     Err(e) => eprintln!("{e:#}"),
//!     Ok(pin) => println!("{:?}", pin.title),
//! }
//! # }
//! ```

pub use pinterest_api::{Error, ErrorKind, Result, codes};
