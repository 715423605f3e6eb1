//! Code generation: the normalized spec through progenitor, then our
//! post-processing (enums typify cannot make, query encodings), formatting,
//! and the header.

pub mod builders;
pub mod cli;
pub mod compat;
mod const_headers;
pub mod enums;
pub mod guard;
pub mod mock;
pub mod open_enums;
pub mod pagination;
pub mod patterns;
pub mod plain_request;
pub mod query;
pub mod render;
pub mod send;
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
    /// Make enums and unions open to values the spec does not list
    /// ([`open_enums`]). Needs `hooks` (the runtime of `pinterest-api`).
    pub open_enums: bool,
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
            open_enums: false,
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
            open_enums: true,
        }
    }
}

/// The generated sources and what normalization did.
#[derive(Debug, Clone)]
pub struct Generated {
    /// What the open-enum pass did (empty unless `open_enums`).
    pub open: open_enums::OpenReport,
    /// Time spent in each phase, in order.
    pub timings: Timings,
    /// `generated/client.rs`: types, `Client`, methods, builders.
    pub client: String,
    /// `generated/operations.rs`: `Scope` and `OPERATIONS`.
    pub operations: String,
    /// `generated/pagination.rs`: `impl Paginated` per paginated operation.
    pub pagination: String,
    /// `generated/mock.rs`: typed httpmock extensions (feature `mock`).
    pub mock: String,
    /// `pinterest-cli/src/generated/commands.rs`: the CLI's command table.
    pub cli: String,
    /// `tests/generated/open_enum_cases.json` (empty unless `open_enums`).
    pub compat_cases: String,
    /// `tests/generated/dispatch.rs` (empty unless `open_enums`).
    pub dispatch: String,
    /// The operations table.
    pub table: Vec<crate::operations::Operation>,
    /// The normalized spec and the pass reports.
    pub normalized: Normalized,
}

/// Where the generated client's files go, relative to the workspace root.
pub const CLIENT_DIR: &str = "pinterest-api/src/generated";
/// Where the CLI's command table goes, relative to the workspace root.
pub const CLI_DIR: &str = "pinterest-cli/src/generated";
/// Where the generated tests' files go, relative to the workspace root.
pub const TESTS_DIR: &str = "tests/generated";

impl Generated {
    /// (path relative to the workspace root, contents) of every file.
    pub fn files(&self) -> Vec<(String, &str)> {
        let mut files = vec![
            (format!("{CLIENT_DIR}/client.rs"), self.client.as_str()),
            (
                format!("{CLIENT_DIR}/operations.rs"),
                self.operations.as_str(),
            ),
            (
                format!("{CLIENT_DIR}/pagination.rs"),
                self.pagination.as_str(),
            ),
            (format!("{CLIENT_DIR}/mock.rs"), self.mock.as_str()),
            (format!("{CLI_DIR}/commands.rs"), self.cli.as_str()),
        ];
        if !self.dispatch.is_empty() {
            files.push((
                format!("{TESTS_DIR}/open_enum_cases.json"),
                self.compat_cases.as_str(),
            ));
            files.push((format!("{TESTS_DIR}/dispatch.rs"), self.dispatch.as_str()));
        }
        files
    }

    /// The files of the client crate alone, by file name.
    pub fn client_files(&self) -> Vec<(&str, &str)> {
        vec![
            ("client.rs", self.client.as_str()),
            ("operations.rs", self.operations.as_str()),
            ("pagination.rs", self.pagination.as_str()),
            ("mock.rs", self.mock.as_str()),
        ]
    }
}

/// How long each phase of [`generate`] took.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// (phase, seconds), in the order they ran.
    pub phases: Vec<(&'static str, f64)>,
}

impl Timings {
    fn time<T>(&mut self, phase: &'static str, f: impl FnOnce() -> T) -> T {
        let started = std::time::Instant::now();
        let out = f();
        self.phases.push((phase, started.elapsed().as_secs_f64()));
        out
    }
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .phases
            .iter()
            .map(|(name, secs)| format!("{name} {:.0} ms", secs * 1000.0))
            .collect();
        f.write_str(&parts.join(", "))
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
    let mut t = Timings::default();
    t.time("validate", || {
        validate::check_structure(&spec.path, &spec.doc)
    })?;
    let (repaired, repairs) = t.time("repair", || normalize::repair(&spec.doc));
    let choices = normalize::Choices {
        plain_strings: options.plain_strings,
        shared_enums: options.shared_enums,
    };
    // The repaired document is checked against openapiv3's model on a
    // second thread while it is normalized; a model error still wins over
    // anything normalization would meet.
    let (valid, normalized) = std::thread::scope(|scope| {
        let valid = scope.spawn(|| {
            let started = std::time::Instant::now();
            let valid = validate::model(&spec.path, &repaired).map(drop);
            (valid, started.elapsed().as_secs_f64())
        });
        // Guarded: the passes may meet what the model check refuses.
        let normalized = t.time("normalize", || {
            guard::guarded(|| Ok::<_, String>(normalize::normalize_with(&repaired, choices)))
        });
        (valid.join(), normalized)
    });
    let (valid, secs) =
        valid.map_err(|payload| SpecError::new(&spec.path, "", guard::panic_message(&*payload)))?;
    t.phases.push(("validate (2nd thread)", secs));
    valid?;
    let mut normalized = normalized.map_err(|message| {
        SpecError::new(&spec.path, "", format!("normalization failed: {message}"))
    })?;
    normalized.reports.splice(0..0, repairs);
    let table = t.time("table", || crate::operations::extract(&spec.doc));
    let api = t.time("openapi model", || {
        validate::model(&spec.path, &normalized.doc)
    })?;
    let header = render::Header::for_spec(spec);
    // Two independent chains on two cores: the client (progenitor,
    // post-processing, gates, open enums) on this thread, and the mocks
    // and the two tables on a second one. syn's trees are not `Send`, so
    // the second thread hands back text and the mocks' feature roots.
    let (file, side) = std::thread::scope(|scope| {
        let side = scope.spawn(|| side_files(spec, &normalized, &api, options, &table, &header));
        let file = progenitor_file(&spec.path, &normalized, &api, options, &mut t);
        let side = side.join().unwrap_or_else(|payload| {
            Err(SpecError::new(&spec.path, "", guard::panic_message(&*payload)).into())
        });
        (file, side)
    });
    let mut file = file?;
    let side = side?;
    t.phases.extend(side.timings.phases.iter().cloned());
    // `Paginated` is implemented on operation builders, against the
    // runtime's `send`.
    let (impls, missing) = match (options.interface, options.hooks) {
        (Interface::Builder, true) => t.time("pagination", || pagination::tokens(&file, &table)),
        _ => (proc_macro2::TokenStream::new(), Vec::new()),
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
        t.time("features", || {
            crate::features::gate_client(&mut file, &side.mock_roots, &table);
            crate::features::gate_pagination(&mut pagination, &table);
        });
    }
    let open = if options.open_enums {
        t.time("open enums", || open_types(&spec.path, &mut file))?
    } else {
        open_enums::OpenReport::default()
    };
    let (compat_cases, dispatch) = if options.open_enums {
        t.time("compat tests", || {
            let names = compat::type_names(&file);
            let cases = compat::cases(&normalized.doc, &names);
            let ops = compat::success_types(&file);
            let dispatch =
                render::render_tokens(compat::dispatch(&names, &cases, &ops), &header, &spec.path);
            dispatch.map(|d| (compat::cases_json(&cases), d))
        })?
    } else {
        (String::new(), String::new())
    };
    pagination
        .attrs
        .push(syn::parse_quote!(#![allow(unused_imports)]));
    let (client, pagination) = t.time("render", || {
        (
            render::render(&file, &header),
            render::render(&pagination, &header),
        )
    });
    let SideFiles {
        mock,
        operations,
        cli,
        ..
    } = side;
    Ok(Generated {
        open,
        timings: t,
        compat_cases,
        dispatch,
        client,
        cli,
        mock,
        operations,
        pagination,
        table,
        normalized,
    })
}

/// What the second thread of [`generate`] makes: everything that does not
/// need the client's syntax tree.
struct SideFiles {
    /// `generated/mock.rs`, gated and rendered.
    mock: String,
    /// What each feature's mocks mention, for gating the client's types.
    mock_roots: crate::features::MockRoots,
    /// `generated/operations.rs`.
    operations: String,
    /// The CLI's command table.
    cli: String,
    /// The phases it ran, named as such.
    timings: Timings,
}

fn side_files(
    spec: &Spec,
    normalized: &Normalized,
    api: &openapiv3::OpenAPI,
    options: &Options,
    table: &[crate::operations::Operation],
    header: &render::Header,
) -> Result<SideFiles, GenError> {
    let mut t = Timings::default();
    let mut mock = t.time("mock (2nd thread)", || {
        mock_file(&spec.path, normalized, api, options)
    })?;
    let mock_roots = if options.features {
        t.time("mock features (2nd thread)", || {
            let roots = crate::features::mock_roots(&mock, table);
            crate::features::gate_mock(&mut mock, table);
            roots
        })
    } else {
        crate::features::MockRoots::new()
    };
    let mock = t.time("mock render (2nd thread)", || render::render(&mock, header));
    let scopes = crate::operations::all_scopes(&spec.doc);
    let operations = render::render_tokens(
        table::tokens(table, &scopes, header, options.features),
        header,
        &spec.path,
    )?;
    let cli = t.time("cli table (2nd thread)", || {
        let commands = cli::commands(&spec.doc, table);
        render::render_tokens(cli::tokens(&commands), header, &spec.path)
    })?;
    Ok(SideFiles {
        mock,
        mock_roots,
        operations,
        cli,
        timings: t,
    })
}

/// The floor `cargo xtask bench gen` measures [`generate`] against:
/// progenitor alone on an already normalized document, as a user of
/// progenitor would run it. It parses `normalized_json` (the document
/// [`generate`] hands to progenitor, serialized), generates the client with
/// the same settings, and formats it (`syn` + `prettyplease`); no
/// normalization, post-processing, mocks, feature gates or tables.
///
/// ```no_run
/// use pinterest_gen::{Spec, codegen, normalize};
/// let spec = Spec::load("../shared/spec/pinterest-v5/openapi-5.23.0.json".as_ref())?;
/// let options = codegen::Options::pinterest_api();
/// let n = codegen::generate(&spec, &options)?.normalized;
/// let json = serde_json::to_string(&n.doc).unwrap();
/// let code = codegen::progenitor_alone(&spec.path, &json, &n, &options)?;
/// assert!(code.contains("pub struct Client"));
/// # Ok::<(), pinterest_gen::GenError>(())
/// ```
pub fn progenitor_alone(
    path: &Path,
    normalized_json: &str,
    n: &Normalized,
    options: &Options,
) -> Result<String, GenError> {
    let api: openapiv3::OpenAPI = serde_json::from_str(normalized_json)
        .map_err(|e| SpecError::new(path, "", format!("not an OpenAPI 3.0 document: {e}")))?;
    let settings = settings(n, options);
    let tokens =
        guard::guarded(|| progenitor_impl::Generator::new(&settings).generate_tokens(&api))
            .map_err(|message| SpecError::new(path, "", format!("progenitor failed: {message}")))?;
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| SpecError::new(path, "", format!("progenitor produced invalid Rust: {e}")))?;
    Ok(prettyplease::unparse(&file))
}

fn open_types(path: &Path, file: &mut syn::File) -> Result<open_enums::OpenReport, GenError> {
    let Some(items) = types_module(file) else {
        return Ok(open_enums::OpenReport::default());
    };
    open_enums::open(items).map_err(|e| {
        SpecError::new(
            path,
            "/components/schemas",
            format!("making the types open failed ({e}); typify's output changed shape (update pinterest-gen's codegen::open_enums)"),
        )
        .into()
    })
}

/// Runs progenitor on the normalized document and post-processes its
/// output into a syntax tree.
fn progenitor_file(
    path: &Path,
    n: &Normalized,
    api: &openapiv3::OpenAPI,
    options: &Options,
    t: &mut Timings,
) -> Result<syn::File, GenError> {
    let settings = settings(n, options);
    let generated = t.time("progenitor", || {
        guard::guarded(|| progenitor_impl::Generator::new(&settings).generate_tokens(api))
    });
    let tokens = match generated {
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
    let tokens = if options.struct_builders {
        tokens
    } else {
        t.time("drop type builders", || {
            builders::drop_type_builder_module(tokens)
        })
    };
    let mut file: syn::File = t
        .time("parse", || syn::parse2(tokens))
        .map_err(|e| SpecError::new(path, "", format!("progenitor produced invalid Rust: {e}")))?;
    let started = std::time::Instant::now();
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
    if options.hooks {
        let failures = send::rewrite(&mut file);
        if let Some(f) = failures.first() {
            return Err(SpecError::new(
                path,
                "",
                format!(
                    "`builder::{}::send` could not be rewritten for the runtime ({}); progenitor's output changed shape (update pinterest-gen's codegen::send)",
                    f.builder, f.reason
                ),
            )
            .into());
        }
    }
    patterns::simplify(&mut file);
    check_unique_type_names(path, &file)?;
    t.phases
        .push(("post-process", started.elapsed().as_secs_f64()));
    Ok(file)
}

/// Progenitor's httpmock extensions for the same document, adjusted.
fn mock_file(
    path: &Path,
    n: &Normalized,
    api: &openapiv3::OpenAPI,
    options: &Options,
) -> Result<syn::File, GenError> {
    let settings = settings(n, options);
    let tokens =
        guard::guarded(|| progenitor_impl::Generator::new(&settings).httpmock(api, "crate"))
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

/// Whether `item` is the generated `types` module. Passes that rewrite
/// calls (query encodings, the compat cases' `send_json`) skip it: calls
/// are built in the client's methods and builders, never in `types`, which
/// is two thirds of the file.
pub(crate) fn is_types_module(item: &syn::Item) -> bool {
    matches!(item, syn::Item::Mod(m) if m.ident == "types")
}

/// Whether the last segments of `path` are `names`
/// (`["HeaderName", "from_static"]` matches
/// `::reqwest::header::HeaderName::from_static`), compared without
/// building strings.
pub(crate) fn path_ends_with(path: &syn::Path, names: &[&str]) -> bool {
    path.segments.len() >= names.len()
        && path
            .segments
            .iter()
            .rev()
            .zip(names.iter().rev())
            .all(|(segment, name)| segment.ident == name)
}

/// Whether `path` is `names`, segment for segment (a leading `::` aside).
pub(crate) fn path_is(path: &syn::Path, names: &[&str]) -> bool {
    path.segments.len() == names.len() && path_ends_with(path, names)
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
    let Some(items) = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    }) else {
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
