//! Code generation: the normalized spec through progenitor, then our
//! post-processing (enums typify cannot make, query encodings), formatting,
//! and the header.

pub mod builders;
pub mod enums;
pub mod guard;
pub mod mock;
pub mod pagination;
pub mod query;
pub mod render;
pub mod table;

use std::collections::BTreeMap;
use std::path::Path;

use quote::quote;
use serde_json::Value;

use crate::error::{GenError, SpecError};
use crate::normalize::{self, Normalized};
use crate::spec::Spec;
use crate::validate;

/// Progenitor's interface style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interface {
    /// `client.pins_list().page_size(25).send()`: one builder per operation.
    Builder,
    /// `client.pins_list(None, Some(25), ...)`: one method with every
    /// parameter.
    Positional,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Progenitor's interface style.
    pub interface: Interface,
    /// Generate struct builders for types (`types::Pin::builder()`).
    pub struct_builders: bool,
    /// Route every call through `ClientHooks` implemented by hand in
    /// `pinterest-api` (`Hooks` inner type).
    pub hooks: bool,
    /// Run the `plain_constrained_strings` pass.
    pub plain_strings: bool,
    /// Gate items behind Cargo features by API area (see [`crate::features`]).
    pub features: bool,
    /// Run the `shared_inline_enums` pass.
    pub shared_enums: bool,
}

impl Options {
    /// Progenitor's plain builder output (only the obstacle passes): the
    /// compile-time baseline.
    pub fn baseline() -> Options {
        Options {
            interface: Interface::Builder,
            struct_builders: true,
            hooks: false,
            plain_strings: false,
            features: false,
            shared_enums: false,
        }
    }

    /// What `cargo xtask gen` writes into `pinterest-api`: builder-style
    /// operations without typify's struct builders, plain strings, hooks,
    /// feature gates.
    /// See BENCHMARKS.md for the measurements behind each choice.
    pub fn pinterest_api() -> Options {
        Options {
            interface: Interface::Builder,
            struct_builders: false,
            hooks: true,
            plain_strings: true,
            features: true,
            shared_enums: true,
        }
    }
}

/// The generated sources and what normalization did.
#[derive(Debug, Clone)]
pub struct Generated {
    /// `generated/client.rs`: types, `Client`, methods, builders.
    pub client: String,
    /// `generated/operations.rs`: `Scope` and `OPERATIONS`.
    pub operations: String,
    /// `generated/pagination.rs`: `impl Paginated` per paginated operation.
    pub pagination: String,
    /// `generated/mock.rs`: typed httpmock extensions (feature `mock`).
    pub mock: String,
    /// The operations table.
    pub table: Vec<crate::operations::Operation>,
    /// The normalized spec and the pass reports.
    pub normalized: Normalized,
}

impl Generated {
    /// (file name under `pinterest-api/src/generated/`, contents).
    pub fn files(&self) -> [(&'static str, &str); 4] {
        [
            ("client.rs", &self.client),
            ("operations.rs", &self.operations),
            ("pagination.rs", &self.pagination),
            ("mock.rs", &self.mock),
        ]
    }
}

/// Generates the client for `spec`.
///
/// ```no_run
/// use pinterest_gen::{Spec, codegen};
/// let spec = Spec::load("../shared/spec/pinterest-v5/openapi-5.23.0.json".as_ref())?;
/// let out = codegen::generate(&spec, &codegen::Options::baseline())?;
/// assert!(out.client.contains("pub struct Client"));
/// # Ok::<(), pinterest_gen::GenError>(())
/// ```
pub fn generate(spec: &Spec, options: &Options) -> Result<Generated, GenError> {
    validate::validate(spec)?;
    let choices = normalize::Choices {
        plain_strings: options.plain_strings,
        shared_enums: options.shared_enums,
    };
    let normalized = normalize::normalize_with(&spec.doc, choices);
    let table = crate::operations::extract(&spec.doc);
    let mut file = progenitor_file(&spec.path, &normalized, options)?;
    let mut mock = mock_file(&spec.path, &normalized, options)?;
    let header = render::Header::for_spec(spec);
    let scopes = crate::operations::all_scopes(&spec.doc);
    let operations = render::render_tokens(
        table::tokens(&table, &scopes, &header, options.features),
        &header,
        &spec.path,
    )?;
    // `Paginated` is implemented on operation builders.
    let (impls, missing) = match options.interface {
        Interface::Builder => pagination::tokens(&file, &table),
        Interface::Positional => (proc_macro2::TokenStream::new(), Vec::new()),
    };
    if let Some(m) = missing.first() {
        return Err(SpecError::new(
            &spec.path,
            "",
            format!(
                "paginated operation `{}` gets no `Paginated` impl: {}",
                m.operation_id, m.reason
            ),
        )
        .with_subject(crate::Subject::Operation(m.operation_id.clone()))
        .into());
    }
    let mut pagination: syn::File = syn::parse2(impls).map_err(|e| {
        SpecError::new(
            &spec.path,
            "",
            format!("generator produced invalid Rust: {e}"),
        )
    })?;
    if options.features {
        // After the pagination impls read the ungated builders.
        crate::features::gate_client(&mut file, &table);
        crate::features::gate_pagination(&mut pagination, &table);
        crate::features::gate_mock(&mut mock, &table);
    }
    pagination
        .attrs
        .push(syn::parse_quote!(#![allow(unused_imports)]));
    let pagination = render::render(&pagination, &header);
    let client = render::render(&file, &header);
    let mock = render::render(&mock, &header);
    Ok(Generated {
        client,
        mock,
        operations,
        pagination,
        table,
        normalized,
    })
}

/// Runs progenitor on the normalized document and post-processes its
/// output into a syntax tree.
fn progenitor_file(path: &Path, n: &Normalized, options: &Options) -> Result<syn::File, GenError> {
    let api = validate::validate_doc(path, &n.doc)?;
    let settings = settings(n, options);
    let tokens = match guard::guarded(|| {
        progenitor_impl::Generator::new(&settings).generate_tokens(&api)
    }) {
        Ok(tokens) => tokens,
        Err(message) => {
            let attempt = |doc: &Value| -> Result<(), String> {
                let api: openapiv3::OpenAPI =
                    serde_json::from_value(doc.clone()).map_err(|e| e.to_string())?;
                guard::guarded(|| progenitor_impl::Generator::new(&settings).generate_tokens(&api))
                    .map(drop)
            };
            return Err(guard::locate(path, &n.doc, message, &attempt).into());
        }
    };
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| SpecError::new(path, "", format!("progenitor produced invalid Rust: {e}")))?;
    add_to_types_module(&mut file, n);
    if !options.struct_builders {
        builders::drop_type_builders(&mut file);
        builders::drop_ordering_derives(&mut file);
    }
    // Progenitor emits a range arm (`400..=499`) before the specific codes
    // it covers; those later arms are unreachable but harmless.
    file.attrs
        .push(syn::parse_quote!(#![allow(unreachable_patterns, unused_imports, clippy::all)]));
    let unapplied = query::apply(&mut file, &n.query_encodings);
    if let Some(e) = unapplied.first() {
        return Err(SpecError::new(
            path,
            "",
            format!(
                "query parameter `{}` of `{}` needs {:?} encoding, but no generated call matched; \
                 progenitor's output changed shape (update pinterest-gen's codegen::query)",
                e.name, e.operation_id, e.style
            ),
        )
        .into());
    }
    check_unique_type_names(path, &file)?;
    Ok(file)
}

/// Progenitor's httpmock extensions for the same document, adjusted.
fn mock_file(path: &Path, n: &Normalized, options: &Options) -> Result<syn::File, GenError> {
    let api = validate::validate_doc(path, &n.doc)?;
    let settings = settings(n, options);
    let tokens =
        guard::guarded(|| progenitor_impl::Generator::new(&settings).httpmock(&api, "crate"))
            .map_err(|message| {
                SpecError::new(
                    path,
                    "",
                    format!("generating the httpmock extensions failed: {message}"),
                )
            })?;
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| SpecError::new(path, "", format!("progenitor produced invalid Rust: {e}")))?;
    mock::adjust(&mut file, &n.query_encodings);
    file.attrs
        .push(syn::parse_quote!(#![allow(clippy::all, unused_imports)]));
    Ok(file)
}

fn settings(n: &Normalized, options: &Options) -> progenitor_impl::GenerationSettings {
    let mut settings = progenitor_impl::GenerationSettings::new();
    settings.with_interface(match options.interface {
        Interface::Builder => progenitor_impl::InterfaceStyle::Builder,
        Interface::Positional => progenitor_impl::InterfaceStyle::Positional,
    });
    if options.hooks {
        settings
            .with_inner_type(quote!(crate::Hooks))
            .with_hooks(progenitor_impl::HooksMode::Expected);
    }
    for r in &n.enum_replacements {
        settings.with_replacement(
            &r.rust_name,
            enums::replacement_path(r),
            [
                progenitor_impl::TypeImpl::Display,
                progenitor_impl::TypeImpl::FromStr,
            ]
            .into_iter(),
        );
    }
    settings
}

fn types_module(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

fn add_to_types_module(file: &mut syn::File, n: &Normalized) {
    let Some(items) = types_module(file) else {
        return;
    };
    for r in &n.enum_replacements {
        let extra: syn::File =
            syn::parse2(enums::enum_items(r)).expect("enum items are valid Rust");
        items.extend(extra.items);
    }
}

/// Two generated types with one name would not compile; say which.
fn check_unique_type_names(path: &Path, file: &syn::File) -> Result<(), SpecError> {
    let mut file = file.clone();
    let Some(items) = types_module(&mut file) else {
        return Ok(());
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for item in items.iter() {
        let name = match item {
            syn::Item::Struct(s) => s.ident.to_string(),
            syn::Item::Enum(e) => e.ident.to_string(),
            syn::Item::Type(t) => t.ident.to_string(),
            _ => continue,
        };
        *seen.entry(name).or_default() += 1;
    }
    let dups: Vec<String> = seen
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(k, _)| k)
        .collect();
    if dups.is_empty() {
        Ok(())
    } else {
        Err(SpecError::new(
            path,
            "/components/schemas",
            format!(
                "typify generated more than one type named {}; add a normalization pass that renames the colliding schema",
                dups.join(", ")
            ),
        ))
    }
}
