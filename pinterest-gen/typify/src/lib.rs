//! typify 0.8.0's library API (the re-exports of `typify-impl` that
//! progenitor-impl uses), without the `import_types!` proc-macro.
//!
//! progenitor-impl depends on `typify` with its default `macro` feature.
//! A proc-macro's dependencies are built for the host, and the host's
//! feature set differs from the target's along the way (syn, serde_core,
//! indexmap), so `typify-impl` (30 s at opt-level 2) and its chain were
//! built twice in every cold build, for a macro nothing here calls. The
//! workspace's `[patch.crates-io]` puts this crate in typify's place; the
//! code generator itself is `typify-impl`, unchanged (`cargo xtask gen
//! --check` compares its output byte for byte). When progenitor-impl moves
//! to another typify version, the patch no longer applies and cargo says
//! so (`patch ... was not used`): drop it or bump this crate with it.

pub use typify_impl::accept_as_ident;
pub use typify_impl::CrateVers;
pub use typify_impl::Error;
pub use typify_impl::MapType;
pub use typify_impl::Type;
pub use typify_impl::TypeDetails;
pub use typify_impl::TypeEnum;
pub use typify_impl::TypeEnumVariant;
pub use typify_impl::TypeId;
pub use typify_impl::TypeNewtype;
pub use typify_impl::TypeSpace;
pub use typify_impl::TypeSpaceImpl;
pub use typify_impl::TypeSpacePatch;
pub use typify_impl::TypeSpaceSettings;
pub use typify_impl::TypeStruct;
pub use typify_impl::TypeStructPropInfo;
pub use typify_impl::UnknownPolicy;
