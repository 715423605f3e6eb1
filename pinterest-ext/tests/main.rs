//! pinterest-ext's integration tests against mock servers, one module per
//! concern, built as one binary (`cargo test -p pinterest-ext --test
//! integration`; a module alone: `... --test integration cache::`).

mod auth;
mod cache;
mod hardening;
mod pagination;
mod parsers;
mod preflight;
#[cfg(feature = "redis")]
mod redis;
mod resilience;
mod workflows;
