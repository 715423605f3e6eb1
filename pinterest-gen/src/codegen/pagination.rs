//! Emits `generated/pagination.rs`: `impl Paginated` for the builder of
//! every bookmark-paginated operation. Page and item types are read from
//! the generated code itself (the builder's `send` return type, the page
//! struct's `items` and `bookmark` fields), so they always agree with it.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use crate::names;
use crate::operations::Operation;

/// Why an operation marked paginated got no `Paginated` impl.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The operation id.
    pub operation_id: String,
    /// What was not found in the generated code.
    pub reason: String,
}

/// The impls, and the paginated operations that could not get one.
pub fn tokens(file: &syn::File, ops: &[Operation]) -> (TokenStream, Vec<Missing>) {
    let mut impls = Vec::new();
    let mut missing = Vec::new();
    for op in ops.iter().filter(|op| op.pagination.is_some()) {
        match impl_for(file, op) {
            Ok(tokens) => impls.push(tokens),
            Err(reason) => missing.push(Missing {
                operation_id: op.id.clone(),
                reason,
            }),
        }
    }
    let out = quote! {
        use crate::builder;
        use crate::types;
        #(#impls)*
    };
    (out, missing)
}

fn module<'a>(file: &'a syn::File, name: &str) -> Option<&'a [syn::Item]> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => {
            m.content.as_ref().map(|(_, items)| items.as_slice())
        }
        _ => None,
    })
}

fn impl_for(file: &syn::File, op: &Operation) -> Result<TokenStream, String> {
    let builder_name = names::pascal(&op.id);
    let builder_ident = format_ident!("{builder_name}");
    let builders = module(file, "builder").ok_or("no `builder` module")?;
    let send = builders
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(imp)
                if imp.trait_.is_none() && type_name(&imp.self_ty) == builder_name =>
            {
                Some(imp)
            }
            _ => None,
        })
        .flat_map(|imp| imp.items.iter())
        .find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
            _ => None,
        })
        .ok_or_else(|| format!("no `builder::{builder_name}::send`"))?;
    let page = send_page_type(&send.sig.output).ok_or("unexpected `send` return type")?;
    let page_name = type_name(&page);
    let types = module(file, "types").ok_or("no `types` module")?;
    let page_struct = types
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == page_name => Some(s),
            _ => None,
        })
        .ok_or_else(|| format!("page type `{page_name}` is not a struct"))?;
    let field = |name: &str| {
        page_struct
            .fields
            .iter()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == name))
    };
    let items = field("items").ok_or_else(|| format!("`{page_name}` has no `items`"))?;
    let item = generic_arg(&items.ty, "Vec").ok_or("`items` is not a Vec")?;
    let item = qualify(item);
    let bookmark = field("bookmark").ok_or_else(|| format!("`{page_name}` has no `bookmark`"))?;
    let bookmark_expr = if generic_arg(&bookmark.ty, "Option").is_some() {
        quote!(page.bookmark)
    } else {
        quote!(Some(page.bookmark))
    };
    let pagination = op.pagination.as_ref().ok_or("not paginated")?;
    let with_page_size = if pagination.has_page_size {
        quote!(self.page_size(page_size))
    } else {
        quote!({
            let _ = page_size;
            self
        })
    };
    let max = match pagination.max_page_size {
        Some(m) => quote!(Some(#m)),
        None => quote!(None),
    };
    let method_name = &op.method_name;
    Ok(quote! {
        impl<'a> crate::Paginated for builder::#builder_ident<'a> {
            type Item = #item;
            type Page = #page;
            const OPERATION: &'static str = #method_name;
            const MAX_PAGE_SIZE: Option<u64> = #max;
            fn with_bookmark(self, bookmark: String) -> Self {
                self.bookmark(bookmark)
            }
            fn with_page_size(self, page_size: u64) -> Self {
                #with_page_size
            }
            fn send_page(self) -> impl ::std::future::Future<Output = Result<crate::ResponseValue<Self::Page>, crate::Error>> + Send {
                self.send()
            }
            fn into_parts(page: Self::Page) -> (Vec<Self::Item>, Option<String>) {
                (page.items, #bookmark_expr)
            }
        }
    })
}

fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The first generic argument of `ty` if its last segment is `wrapper`.
fn generic_arg<'a>(ty: &'a syn::Type, wrapper: &str) -> Option<&'a syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// `Result<ResponseValue<Page>, crate::Error>` (what `send` resolves to)
/// -> Page.
fn send_page_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::Type::Path(p) = super::send::send_output(output)? else {
        return None;
    };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    Some(generic_arg(types.next()?, "ResponseValue")?.clone())
}

/// A type named inside `mod types` without a path gets `types::`.
fn qualify(ty: &syn::Type) -> syn::Type {
    match ty {
        syn::Type::Path(p) if p.path.segments.len() == 1 && p.qself.is_none() => {
            let tokens = ty.to_token_stream();
            syn::parse_quote!(types::#tokens)
        }
        other => other.clone(),
    }
}
