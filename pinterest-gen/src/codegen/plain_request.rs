//! Builds a request that has no body without reqwest's `RequestBuilder`.
//!
//! Progenitor builds every request as
//! `client.client.get(url).header(ACCEPT, HeaderValue::from_static(..)).build()?`.
//! For a request without a body, the builder costs about 800 instructions
//! per call that the request does not need: a clone of the HTTP client
//! (dropped again at `build`), and each `header` call converting its
//! arguments and checking the value byte by byte at run time.
//!
//! When the chain is exactly that (a verb, then only `header` calls whose
//! name and value are constants), it becomes
//! `crate::runtime::request(client, Method::GET, url)?` and the headers
//! are appended to the request, in the same order, with their values
//! evaluated at compile time. `crate::runtime::request` builds the same
//! request the builder would (a URL with credentials still goes through
//! the builder, which turns them into an `Authorization` header). A chain
//! of any other shape (a body, a form, a header map) is left as it is.

use syn::visit_mut::VisitMut;

use super::const_headers::{ConstHeaders, static_name_literal, static_value_argument};

/// Rewrites `let mut request = client.client.<verb>(url).header(..)*.build().map_err(..)?;`
/// in `stmts` (see the module docs). Returns whether it did.
pub(crate) fn build_without_builder(stmts: &mut Vec<syn::Stmt>) -> bool {
    let Some(at) = stmts.iter().position(|s| super::send::binds(s, "request")) else {
        return false;
    };
    let syn::Stmt::Local(local) = &stmts[at] else {
        return false;
    };
    let Some(init) = local.init.as_ref() else {
        return false;
    };
    let Some(PlainChain { verb, url, headers }) = plain_chain(&init.expr) else {
        return false;
    };
    let method = syn::Ident::new(&verb.to_ascii_uppercase(), proc_macro2::Span::call_site());
    let mut replacement: Vec<syn::Stmt> = vec![syn::parse_quote!(
        let mut request = crate::runtime::request(client, ::reqwest::Method::#method, #url)?;
    )];
    for (name, value) in headers {
        let mut append: syn::Stmt = syn::parse_quote!(request.headers_mut().append(#name, #value););
        ConstHeaders.visit_stmt_mut(&mut append);
        replacement.push(append);
    }
    stmts.splice(at..=at, replacement);
    true
}

/// A request chain without a body: its verb (`get`), its URL and its
/// `(name, value)` headers, in order.
struct PlainChain<'a> {
    verb: String,
    url: &'a syn::Expr,
    headers: Vec<(&'a syn::Expr, &'a syn::Expr)>,
}

/// The parts of
/// `client.client.<verb>(url).header(name, value)*.build().map_err(..)?`,
/// or `None` for a chain of another shape.
fn plain_chain(expr: &syn::Expr) -> Option<PlainChain<'_>> {
    let syn::Expr::Try(t) = expr else {
        return None;
    };
    let syn::Expr::MethodCall(map_err) = &*t.expr else {
        return None;
    };
    let syn::Expr::MethodCall(build) = &*map_err.receiver else {
        return None;
    };
    let maps_the_build_error = map_err.method == "map_err"
        && map_err.args.len() == 1
        && matches!(map_err.args.first(), Some(syn::Expr::Path(p))
            if super::path_is(&p.path, &["crate", "Error", "request_build"]));
    if !maps_the_build_error || build.method != "build" || !build.args.is_empty() {
        return None;
    }
    let mut headers = Vec::new();
    let mut call = &*build.receiver;
    loop {
        let syn::Expr::MethodCall(c) = call else {
            return None;
        };
        if c.method == "header" && c.args.len() == 2 {
            let (name, value) = (&c.args[0], &c.args[1]);
            if !is_constant_name(name) || static_value_argument(value).is_none() {
                return None;
            }
            headers.push((name, value));
            call = &c.receiver;
            continue;
        }
        let verb = c.method.to_string();
        let is_verb = matches!(
            verb.as_str(),
            "get" | "post" | "put" | "patch" | "delete" | "head"
        );
        let on_the_http_client = matches!(&*c.receiver, syn::Expr::Field(f)
            if matches!(&f.member, syn::Member::Named(n) if n == "client")
                && matches!(&*f.base, syn::Expr::Path(p) if p.path.is_ident("client")));
        if !is_verb || !on_the_http_client || c.args.len() != 1 {
            return None;
        }
        headers.reverse();
        return Some(PlainChain {
            verb,
            url: &c.args[0],
            headers,
        });
    }
}

/// `::reqwest::header::ACCEPT` (one of `http`'s constants: upper case, in
/// a `header` module) or `HeaderName::from_static("<literal>")`.
fn is_constant_name(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Path(p) => {
            let segments: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
            match segments.as_slice() {
                [.., module, name] => {
                    module.ident == "header"
                        && name
                            .ident
                            .to_string()
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c == '_')
                }
                _ => false,
            }
        }
        syn::Expr::Call(_) => static_name_literal(expr).is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn text(stmts: &[syn::Stmt]) -> String {
        quote::quote!(#(#stmts)*).to_string()
    }

    #[test]
    fn a_get_with_constant_headers_is_built_without_the_builder() {
        let mut stmts: Vec<syn::Stmt> = syn::parse_quote! {
            let url = crate::runtime::url(client, "/pins")?;
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .header(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                )
                .build()
                .map_err(crate::Error::request_build)?;
            let header_map = request.headers_mut();
        };
        assert!(build_without_builder(&mut stmts));
        let text = text(&stmts);
        assert!(
            text.contains(
                "let mut request = crate :: runtime :: request (client , :: reqwest :: Method :: GET , url) ? ; \
                 request . headers_mut () . append (:: reqwest :: header :: ACCEPT , { const VALUE : :: reqwest :: header :: HeaderValue = \
                 :: reqwest :: header :: HeaderValue :: from_static (\"application/json\") ; VALUE }) ; \
                 request . headers_mut () . append ({ const NAME : :: reqwest :: header :: HeaderName = \
                 :: reqwest :: header :: HeaderName :: from_static (\"api-version\") ; NAME } ,"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                ":: reqwest :: header :: HeaderValue :: from_static (crate :: SPEC_VERSION) ; VALUE }) ; \
                 let header_map = request . headers_mut () ;"
            ),
            "{text}"
        );
        assert!(!text.contains(". build ()"), "{text}");
    }

    #[test]
    fn a_request_with_a_body_or_a_runtime_header_keeps_its_builder() {
        let shapes: [syn::Stmt; 4] = [
            syn::parse_quote!(let mut request = client.client.post(url).header(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static("application/json")).json(&body).build().map_err(crate::Error::request_build)?;),
            syn::parse_quote!(let mut request = client.client.get(url).header(::reqwest::header::ACCEPT, value).build().map_err(crate::Error::request_build)?;),
            syn::parse_quote!(let mut request = client.client.get(url).headers(header_map).build().map_err(crate::Error::request_build)?;),
            syn::parse_quote!(let mut request = other.get(url).build().map_err(crate::Error::request_build)?;),
        ];
        for shape in shapes {
            let mut stmts = vec![shape];
            let before = text(&stmts);
            assert!(!build_without_builder(&mut stmts), "{before}");
            assert_eq!(text(&stmts), before);
        }
    }

    #[test]
    fn every_verb_maps_to_its_method() {
        for verb in ["get", "post", "put", "patch", "delete", "head"] {
            let verb_ident = syn::Ident::new(verb, proc_macro2::Span::call_site());
            let mut stmts: Vec<syn::Stmt> = vec![syn::parse_quote!(
                let mut request = client.client.#verb_ident(url).build().map_err(crate::Error::request_build)?;
            )];
            assert!(build_without_builder(&mut stmts), "{verb}");
            let method = syn::Ident::new(&verb.to_uppercase(), proc_macro2::Span::call_site());
            let expected: syn::Stmt = syn::parse_quote!(
                let mut request = crate::runtime::request(client, ::reqwest::Method::#method, url)?;
            );
            assert_eq!(
                stmts[0].to_token_stream().to_string(),
                expected.to_token_stream().to_string()
            );
        }
    }
}
