//! pinterest-gen: turns Pinterest's OpenAPI v5 description into the
//! `pinterest-api` crate.
//!
//! The pipeline is [`Spec::load`] → [`validate`] → [`normalize()`] →
//! [`codegen::generate`]; [`operations`] extracts the operations table the
//! generated crate exports, and [`diff`] compares two spec versions.

pub mod diff;
pub mod error;
pub mod features;
pub mod instances;
pub mod names;
pub mod normalize;
pub mod operations;
pub mod params;
pub mod pointer;
pub mod spec;
pub mod walk;

pub use error::{GenError, SpecError, Subject};
pub use normalize::{Normalized, normalize};
pub use spec::Spec;
pub mod codegen;
pub mod validate;
