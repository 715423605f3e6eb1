//! `generated/mock.rs` (pinterest-api feature `mock`): progenitor's typed
//! httpmock extensions, adjusted so that
//!
//! - every `MockServerExt` method has an `_async` twin built on
//!   `mock_async` (httpmock's blocking `mock` cannot run inside a tokio
//!   test), and
//! - query parameters the client encodes specially (arrays, deepObject)
//!   are matched in the encoding the client actually sends, through
//!   `crate::mock_support`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;

use crate::names;
use crate::normalize::{QueryEncoding, QueryStyle};

/// Post-processes progenitor's httpmock output.
pub fn adjust(file: &mut syn::File, encodings: &[QueryEncoding]) {
    add_async_twins(file);
    QueryMatchers {
        encodings,
        current: None,
    }
    .visit_file_mut(file);
}

fn add_async_twins(file: &mut syn::File) {
    for item in &mut file.items {
        match item {
            syn::Item::Trait(t) if t.ident == "MockServerExt" => {
                let twins: Vec<syn::TraitItem> = t
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        syn::TraitItem::Fn(f) => {
                            when_then(&f.sig).map(|wt| trait_twin(&f.sig.ident, wt))
                        }
                        _ => None,
                    })
                    .collect();
                t.items.extend(twins);
            }
            syn::Item::Impl(imp)
                if imp
                    .trait_
                    .as_ref()
                    .is_some_and(|(p, _)| p.is_ident("MockServerExt")) =>
            {
                let twins: Vec<syn::ImplItem> = imp
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        syn::ImplItem::Fn(f) => {
                            when_then(&f.sig).map(|wt| impl_twin(&f.sig.ident, wt))
                        }
                        _ => None,
                    })
                    .collect();
                imp.items.extend(twins);
            }
            _ => {}
        }
    }
}

/// The `When`/`Then` wrapper types named in
/// `where F: FnOnce(operations::XWhen, operations::XThen)`.
fn when_then(sig: &syn::Signature) -> Option<(TokenStream, TokenStream)> {
    let text = quote::ToTokens::to_token_stream(sig).to_string();
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .collect();
    let when = words.iter().find(|w| w.ends_with("When") && w.len() > 4)?;
    let then = words.iter().find(|w| w.ends_with("Then") && w.len() > 4)?;
    let (when, then) = (format_ident!("{}", when), format_ident!("{}", then));
    Some((quote!(operations::#when), quote!(operations::#then)))
}

fn trait_twin(name: &syn::Ident, (when, then): (TokenStream, TokenStream)) -> syn::TraitItem {
    let twin = format_ident!("{}_async", name);
    let doc = format!("[`{name}`](Self::{name}) for async tests (`mock_async`).");
    syn::parse_quote! {
        #[doc = #doc]
        fn #twin<'a, F>(&'a self, config_fn: F) -> impl ::std::future::Future<Output = ::httpmock::Mock<'a>> + 'a
        where
            F: FnOnce(#when, #then) + 'a;
    }
}

fn impl_twin(name: &syn::Ident, (when, then): (TokenStream, TokenStream)) -> syn::ImplItem {
    let twin = format_ident!("{}_async", name);
    syn::parse_quote! {
        fn #twin<'a, F>(&'a self, config_fn: F) -> impl ::std::future::Future<Output = ::httpmock::Mock<'a>> + 'a
        where
            F: FnOnce(#when, #then) + 'a,
        {
            self.mock_async(move |when, then| {
                config_fn(#when::new(when), #then::new(then))
            })
        }
    }
}

/// Query matchers call `value.to_string()`, which arrays and objects do
/// not have, and would not match the client's encodings anyway; every
/// query matcher goes through `crate::mock::support::match_query` with the
/// style the client uses for that parameter.
struct QueryMatchers<'a> {
    encodings: &'a [QueryEncoding],
    current: Option<String>,
}

impl QueryMatchers<'_> {
    fn style(&self, name: &str) -> TokenStream {
        let found = self.current.as_deref().and_then(|when| {
            self.encodings.iter().find(|e| {
                e.name == name && names::pascal(&format!("{}-when", e.operation_id)) == when
            })
        });
        match found.map(|e| &e.style) {
            Some(QueryStyle::DeepObject) => quote!(crate::mock::support::QueryStyle::DeepObject),
            Some(QueryStyle::Delimited(c)) => {
                quote!(crate::mock::support::QueryStyle::Delimited(#c))
            }
            None => quote!(crate::mock::support::QueryStyle::Form),
        }
    }
}

impl VisitMut for QueryMatchers<'_> {
    fn visit_item_impl_mut(&mut self, imp: &mut syn::ItemImpl) {
        self.current = match &*imp.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        syn::visit_mut::visit_item_impl_mut(self, imp);
        self.current = None;
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::MethodCall(call) = expr else {
            return;
        };
        if call.method != "query_param" || call.args.len() != 2 {
            return;
        }
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(name),
            ..
        }) = &call.args[0]
        else {
            return;
        };
        let value = match &call.args[1] {
            syn::Expr::MethodCall(m) if m.method == "to_string" && m.args.is_empty() => {
                (*m.receiver).clone()
            }
            _ => return,
        };
        let style = self.style(&name.value());
        let receiver = (*call.receiver).clone();
        *expr = syn::parse_quote! {
            crate::mock::support::match_query(#receiver, #name, &#value, #style)
        };
    }
}
