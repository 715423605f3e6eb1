//! Header names and values the generated code builds with `from_static`,
//! made constants: `HeaderName::from_static` and
//! `HeaderValue::from_static` check every byte at run time unless they are
//! evaluated in a const. Used by the passes that move header parameters
//! onto the request ([`super::send`]) and that build requests without
//! reqwest's builder ([`super::plain_request`]).

use syn::visit_mut::VisitMut;

/// The literal of `HeaderName::from_static("<literal>")`, or `None` for
/// an expression of another shape.
pub(crate) fn static_name_literal(expr: &syn::Expr) -> Option<String> {
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    let is_from_static = matches!(&*call.func, syn::Expr::Path(f)
        if super::path_ends_with(&f.path, &["HeaderName", "from_static"]));
    match call.args.first() {
        Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        })) if is_from_static && call.args.len() == 1 => Some(lit.value()),
        _ => None,
    }
}

/// The argument of `HeaderValue::from_static(arg)` when it can be
/// evaluated at compile time: a string literal, or progenitor's
/// `super::Client::api_version()`, which is the spec's `info.version`,
/// the crate's `SPEC_VERSION`.
pub(crate) fn static_value_argument(expr: &syn::Expr) -> Option<syn::Expr> {
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    let syn::Expr::Path(func) = &*call.func else {
        return None;
    };
    if !super::path_ends_with(&func.path, &["HeaderValue", "from_static"]) || call.args.len() != 1 {
        return None;
    }
    match &call.args[0] {
        literal @ syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(_),
            ..
        }) => Some(literal.clone()),
        syn::Expr::Call(version)
            if version.args.is_empty()
                && matches!(&*version.func, syn::Expr::Path(p)
                    if super::path_ends_with(&p.path, &["Client", "api_version"])) =>
        {
            Some(syn::parse_quote!(crate::SPEC_VERSION))
        }
        _ => None,
    }
}

/// Makes every `HeaderName::from_static(..)` and every
/// `HeaderValue::from_static(..)` whose argument [`static_value_argument`]
/// accepts a constant block.
pub(crate) struct ConstHeaders;

impl VisitMut for ConstHeaders {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let Some(argument) = static_value_argument(expr) {
            *expr = syn::parse_quote!({
                const VALUE: ::reqwest::header::HeaderValue =
                    ::reqwest::header::HeaderValue::from_static(#argument);
                VALUE
            });
            return;
        }
        let syn::Expr::Call(call) = &*expr else {
            return;
        };
        let syn::Expr::Path(func) = &*call.func else {
            return;
        };
        if super::path_ends_with(&func.path, &["HeaderName", "from_static"]) {
            let call = call.clone();
            *expr = syn::parse_quote!({
                const NAME: ::reqwest::header::HeaderName = #call;
                NAME
            });
        }
    }
}
