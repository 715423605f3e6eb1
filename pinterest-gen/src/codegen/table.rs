//! Emits `generated/operations.rs`: the `Scope` enum (from the spec's
//! security schemes) and the `OPERATIONS` table, sorted by method name so
//! `Operation::by_method_name` can binary-search it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::names;
use crate::operations::Operation;

/// The Rust variant name of a scope (`pins:write_secret` -> `PinsWriteSecret`).
pub fn scope_variant(scope: &str) -> String {
    names::pascal(scope)
}

/// The file's items.
pub fn tokens(
    ops: &[Operation],
    scopes: &[(String, String)],
    header: &crate::codegen::render::Header,
    gate: bool,
) -> TokenStream {
    let version = &header.spec_version;
    let sha256 = &header.sha256;
    let mut ops: Vec<&Operation> = ops.iter().collect();
    ops.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    let entries = ops.iter().map(|op| {
        let entry = entry(op);
        if gate {
            let cfg = crate::features::cfg(&std::collections::BTreeSet::from([
                crate::features::of_operation(op),
            ]));
            quote!(#cfg #entry)
        } else {
            entry
        }
    });
    let scope_enum = scope_enum(scopes);
    quote! {
        #![allow(unused_imports)]
        use crate::operation::{Method, Operation, Pagination, Sandbox};

        /// `info.version` of the spec this crate was generated from.
        pub const SPEC_VERSION: &str = #version;
        /// sha256 of the spec file this crate was generated from.
        pub const SPEC_SHA256: &str = #sha256;

        #scope_enum

        /// Every operation of the spec whose feature is enabled, sorted by
        /// `method_name`.
        pub static OPERATIONS: &[Operation] = &[ #(#entries),* ];
    }
}

fn entry(op: &Operation) -> TokenStream {
    let id = &op.id;
    let method_name = &op.method_name;
    let method = format_ident!("{}", names::pascal(&op.method.to_lowercase()));
    let path = &op.path;
    let tags = &op.tags;
    let category = match &op.rate_limit_category {
        Some(c) => quote!(Some(#c)),
        None => quote!(None),
    };
    let sandbox = match op.sandbox {
        Some(true) => quote!(Sandbox::Enabled),
        Some(false) => quote!(Sandbox::Disabled),
        None => quote!(Sandbox::Unspecified),
    };
    let scopes = op
        .scopes
        .iter()
        .map(|s| format_ident!("{}", scope_variant(s)));
    let security = &op.security;
    let deprecated = op.deprecated;
    let sunset = match &op.sunset {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let summary = &op.summary;
    let success_json = op.success_json;
    let feature = crate::features::of_operation(op);
    let pagination = match &op.pagination {
        Some(p) => {
            let item = match &p.item_schema {
                Some(s) => quote!(Some(#s)),
                None => quote!(None),
            };
            let has = p.has_page_size;
            let max = match p.max_page_size {
                Some(m) => quote!(Some(#m)),
                None => quote!(None),
            };
            quote!(Some(Pagination { item_schema: #item, has_page_size: #has, max_page_size: #max }))
        }
        None => quote!(None),
    };
    quote! {
        Operation {
            id: #id,
            method_name: #method_name,
            method: Method::#method,
            path: #path,
            tags: &[#(#tags),*],
            rate_limit_category: #category,
            sandbox: #sandbox,
            scopes: &[#(crate::Scope::#scopes),*],
            security: &[#(#security),*],
            deprecated: #deprecated,
            sunset: #sunset,
            summary: #summary,
            success_json: #success_json,
            feature: #feature,
            pagination: #pagination,
        }
    }
}

fn scope_enum(scopes: &[(String, String)]) -> TokenStream {
    let idents: Vec<_> = scopes
        .iter()
        .map(|(s, _)| format_ident!("{}", scope_variant(s)))
        .collect();
    let values: Vec<&str> = scopes.iter().map(|(s, _)| s.as_str()).collect();
    let docs: Vec<String> = scopes.iter().map(|(s, d)| format!("`{s}`: {d}")).collect();
    quote! {
        /// An OAuth scope, as the spec's security schemes define them.
        ///
        /// Pinterest's authorize URL takes them comma-separated:
        /// `Scope::join(&[Scope::BoardsRead, Scope::PinsRead])` is
        /// `"boards:read,pins:read"`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        pub enum Scope {
            #( #[doc = #docs] #[serde(rename = #values)] #idents, )*
        }

        impl Scope {
            /// Every scope, sorted by name.
            pub const ALL: &'static [Scope] = &[ #(Scope::#idents),* ];

            /// The scope as Pinterest writes it (`"boards:read"`).
            pub const fn as_str(self) -> &'static str {
                match self { #( Scope::#idents => #values, )* }
            }

            /// What the scope allows, from the spec.
            pub const fn description(self) -> &'static str {
                match self { #( Scope::#idents => #docs, )* }
            }

            /// Scopes joined with commas, as the authorize URL wants them.
            pub fn join(scopes: &[Scope]) -> String {
                scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
            }
        }

        impl ::std::fmt::Display for Scope {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for Scope {
            type Err = crate::UnknownScope;
            fn from_str(s: &str) -> ::std::result::Result<Scope, crate::UnknownScope> {
                match s {
                    #( #values => Ok(Scope::#idents), )*
                    other => Err(crate::UnknownScope(other.to_string())),
                }
            }
        }
    }
}
