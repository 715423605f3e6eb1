//! Rewrites every generated `send()` so it returns the one error type of
//! `pinterest-api` (`crate::Error`) and ends in the hand-written runtime
//! (`crate::runtime::send_json` / `send_empty`), which runs the middleware,
//! checks the status and decodes the body once, with the operation, the
//! request id and the JSON path of a failure.
//!
//! Each `send` is split in two: a private `into_request()` that builds the
//! request (query parameters set on the URL by `crate::runtime::query`,
//! which skips absent ones), and a `send()` that is not `async` but returns
//! the runtime's future, so a call's future has no state machine of its
//! own to go through at every poll.
//!
//! Progenitor's own tail (`pre`/`exec`/`post` hooks, a `match` on the
//! status with typed error bodies, `progenitor_client::Error<E>`) goes:
//! every 2xx is a success (a newer Pinterest may answer 200 where the spec
//! says 201), and error bodies are Pinterest's `{code, message}`, kept raw
//! in the error.

use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// What the rewrite found that it could not handle: progenitor's output
/// changed shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrewritten {
    /// The builder whose `send` was not rewritten.
    pub builder: String,
    /// Why.
    pub reason: String,
}

/// Rewrites the builders' `send` functions and the module imports in
/// `file`; returns the builders it could not rewrite.
pub fn rewrite(file: &mut syn::File) -> Vec<Unrewritten> {
    let mut failures = Vec::new();
    for item in &mut file.items {
        match item {
            // `pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};`
            syn::Item::Use(u) => drop_error_import(&mut u.tree),
            syn::Item::Mod(m) if m.ident == "builder" => {
                let Some((_, items)) = m.content.as_mut() else {
                    continue;
                };
                for item in items.iter_mut() {
                    match item {
                        syn::Item::Use(u) => drop_error_import(&mut u.tree),
                        syn::Item::Impl(imp) => {
                            let builder =
                                imp.self_ty.to_token_stream().to_string().replace(' ', "");
                            let mut built = None;
                            for member in &mut imp.items {
                                if let syn::ImplItem::Fn(f) = member {
                                    InvalidRequest.visit_block_mut(&mut f.block);
                                    if f.sig.ident == "send" {
                                        match rewrite_send(f) {
                                            Ok(into_request) => built = Some(into_request),
                                            Err(reason) => failures.push(Unrewritten {
                                                builder: builder.clone(),
                                                reason,
                                            }),
                                        }
                                    }
                                }
                            }
                            imp.items.extend(built.map(syn::ImplItem::Fn));
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    // `Client::new` builds its HTTP client through `crate::tls`, which
    // installs the TLS crypto provider first.
    for item in &mut file.items {
        if let syn::Item::Impl(imp) = item
            && imp.trait_.is_none()
            && imp.self_ty.to_token_stream().to_string() == "Client"
        {
            for member in &mut imp.items {
                if let syn::ImplItem::Fn(f) = member
                    && f.sig.ident == "new"
                {
                    f.block = syn::parse_quote!({
                        Self::new_with_client(baseurl, crate::tls::default_client(), inner)
                    });
                }
            }
        }
    }
    // The compile-time assertion that `Client: ClientHooks<Hooks>`: the
    // runtime replaces the hooks.
    file.items.retain(|item| {
        !matches!(item, syn::Item::Const(c)
            if c.expr.to_token_stream().to_string().contains("assert_client_hooks"))
    });
    failures
}

/// Removes `Error` from a `use progenitor_client::{..}` / `use super::{..}`
/// tree, so `Error` means `crate::Error`.
fn drop_error_import(tree: &mut syn::UseTree) {
    match tree {
        syn::UseTree::Path(p) => drop_error_import(&mut p.tree),
        syn::UseTree::Group(g) => {
            let kept: syn::punctuated::Punctuated<syn::UseTree, syn::Token![,]> = g
                .items
                .iter()
                .filter(|t| !matches!(t, syn::UseTree::Name(n) if n.ident == "Error"))
                .cloned()
                .collect();
            g.items = kept;
        }
        _ => {}
    }
}

/// `Error::InvalidRequest` (progenitor's variant, used as a function in
/// `map_err`) becomes `crate::Error::invalid_request`.
struct InvalidRequest;

impl VisitMut for InvalidRequest {
    fn visit_expr_path_mut(&mut self, p: &mut syn::ExprPath) {
        if super::path_is(&p.path, &["Error", "InvalidRequest"]) {
            *p = syn::parse_quote!(crate::Error::invalid_request);
        }
    }
}

/// The success type `T` of `Result<ResponseValue<T>, Error<E>>`.
fn success_type(sig: &syn::Signature) -> Result<syn::Type, String> {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return Err("send() returns nothing".into());
    };
    let result = last_segment(ty, "Result")?;
    let ok = first_type_arg(result)?;
    let rv = last_segment(ok, "ResponseValue")?;
    Ok(first_type_arg(rv)?.clone())
}

fn last_segment<'a>(ty: &'a syn::Type, name: &str) -> Result<&'a syn::PathSegment, String> {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .filter(|s| s.ident == name)
            .ok_or_else(|| format!("expected `{name}<..>`")),
        _ => Err(format!("expected `{name}<..>`")),
    }
}

fn first_type_arg(seg: &syn::PathSegment) -> Result<&syn::Type, String> {
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .find_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .ok_or_else(|| format!("`{}` has no type argument", seg.ident)),
        _ => Err(format!("`{}` has no type argument", seg.ident)),
    }
}

fn is_unit(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Tuple(t) if t.elems.is_empty())
}

/// The `operation_id` of the `OperationInfo { .. }` statement.
fn operation_info(stmt: &syn::Stmt) -> Option<String> {
    let syn::Stmt::Local(local) = stmt else {
        return None;
    };
    let init = local.init.as_ref()?;
    let syn::Expr::Struct(s) = &*init.expr else {
        return None;
    };
    if s.path.segments.last()?.ident != "OperationInfo" {
        return None;
    }
    s.fields.iter().find_map(|f| match (&f.member, &f.expr) {
        (
            syn::Member::Named(n),
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(v),
                ..
            }),
        ) if n == "operation_id" => Some(v.value()),
        _ => None,
    })
}

/// `.build()?` becomes `.build().map_err(crate::Error::request_build)?`,
/// and progenitor's `.form_urlencoded(&body)?` maps its error the same way.
struct BuildErrors(usize);

impl VisitMut for BuildErrors {
    fn visit_expr_try_mut(&mut self, t: &mut syn::ExprTry) {
        syn::visit_mut::visit_expr_try_mut(self, t);
        let syn::Expr::MethodCall(call) = &*t.expr else {
            return;
        };
        let inner = (*t.expr).clone();
        if call.method == "build" && call.args.is_empty() {
            *t.expr = syn::parse_quote!(#inner.map_err(crate::Error::request_build));
            self.0 += 1;
        } else if call.method == "form_urlencoded" {
            *t.expr = syn::parse_quote!(#inner.map_err(|e: progenitor_client::Error<()>| crate::Error::invalid_request(e.to_string())));
        }
    }
}

/// `let url = format!("{}/pins/{}", client.baseurl, id);` becomes
/// `let url = crate::runtime::url(client, &format!("/pins/{}", id))?;`:
/// the runtime sets the path on the base URL parsed once, instead of
/// reqwest parsing the whole URL (scheme, host, IDNA) on every call.
/// Returns whether the statement was one.
fn rewrite_url(stmt: &mut syn::Stmt) -> Result<bool, String> {
    let syn::Stmt::Local(local) = stmt else {
        return Ok(false);
    };
    let syn::Pat::Ident(name) = &local.pat else {
        return Ok(false);
    };
    let Some(init) = local.init.as_mut() else {
        return Ok(false);
    };
    let syn::Expr::Macro(m) = &*init.expr else {
        return Ok(false);
    };
    if name.ident != "url" || !m.mac.path.is_ident("format") {
        return Ok(false);
    }
    let args = m
        .mac
        .parse_body_with(syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        .map_err(|e| format!("the URL's `format!` does not parse: {e}"))?;
    let mut args = args.into_iter();
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(template),
        ..
    })) = args.next()
    else {
        return Err("the URL's `format!` does not start with a string".into());
    };
    let base = args.next().map(|a| a.to_token_stream().to_string());
    let path = template.value();
    let (Some(path), Some("client . baseurl")) = (path.strip_prefix("{}"), base.as_deref()) else {
        return Err(format!(
            "the URL's `format!` is not `(\"{{}}/..\", client.baseurl, ..)`: {:?}",
            template.value()
        ));
    };
    let rest: Vec<syn::Expr> = args.collect();
    let path_expr: syn::Expr = if rest.is_empty() {
        syn::parse_quote!(#path)
    } else {
        syn::parse_quote!(&format!(#path, #(#rest),*))
    };
    *init.expr = syn::parse_quote!(crate::runtime::url(client, #path_expr)?);
    Ok(true)
}

/// Splits a builder's `send` in two: `into_request`, which builds the
/// request (progenitor's statements, its tail of hooks and status match
/// cut off), and a `send` that is no `async fn` but returns the runtime's
/// future at once, so a call's future has one state machine fewer to go
/// through at every poll. Returns `into_request`.
fn rewrite_send(f: &mut syn::ImplItemFn) -> Result<syn::ImplItemFn, String> {
    let success = success_type(&f.sig)?;
    let mut stmts = std::mem::take(&mut f.block.stmts);
    let (at, operation) = stmts
        .iter()
        .enumerate()
        .find_map(|(i, s)| operation_info(s).map(|op| (i, op)))
        .ok_or("no `OperationInfo` in send()")?;
    stmts.truncate(at);
    let mut urls = 0;
    for stmt in stmts.iter_mut() {
        urls += usize::from(rewrite_url(stmt)?);
    }
    if urls != 1 {
        return Err(format!(
            "expected one `let url = format!(..)`, found {urls}"
        ));
    }
    let mut build = BuildErrors(0);
    for stmt in stmts.iter_mut() {
        build.visit_stmt_mut(stmt);
    }
    if build.0 != 1 {
        return Err(format!("expected one `.build()?`, found {}", build.0));
    }
    move_queries_to_the_url(&mut stmts)?;
    set_header_params_on_the_request(&mut stmts);
    super::plain_request::build_without_builder(&mut stmts);
    stmts.push(syn::Stmt::Expr(syn::parse_quote!(Ok(request)), None));
    let into_request: syn::ImplItemFn = syn::parse_quote! {
        /// The request [`Self::send`] sends.
        fn into_request(self) -> Result<::reqwest::Request, crate::Error> {
            #(#stmts)*
        }
    };
    let runtime: syn::Expr = if is_unit(&success) {
        syn::parse_quote!(crate::runtime::send_empty)
    } else {
        syn::parse_quote!(crate::runtime::send_json::<#success>)
    };
    f.sig.asyncness = None;
    f.sig.output = syn::parse_quote!(
        -> impl ::std::future::Future<Output = Result<ResponseValue<#success>, crate::Error>> + 'a
    );
    // The operation's table entry is looked up at the first call only.
    f.block = syn::parse_quote!({
        static OPERATION: crate::runtime::MethodOperation =
            crate::runtime::MethodOperation::new(#operation);
        let client = self.client;
        #runtime(client, self.into_request(), &OPERATION)
    });
    Ok(into_request)
}

/// `.query(&param)` calls on the request builder become
/// `crate::runtime::query(&mut url, &param)?;` right after `let url`:
/// reqwest's `query` edits the URL's query (and drops it again when it
/// stayed empty) even for an absent optional parameter, about 350
/// instructions each; the runtime's adds nothing for one. The order of
/// the parameters is kept.
fn move_queries_to_the_url(stmts: &mut Vec<syn::Stmt>) -> Result<(), String> {
    let mut params = Vec::new();
    for stmt in stmts.iter_mut() {
        if binds(stmt, "request")
            && let syn::Stmt::Local(local) = stmt
            && let Some(init) = local.init.as_mut()
        {
            let queries =
                remove_calls(&mut init.expr, |c| c.method == "query" && c.args.len() == 1);
            params.extend(queries.into_iter().flat_map(|c| c.args));
        }
    }
    if params.is_empty() {
        return Ok(());
    }
    params.reverse();
    let at = stmts
        .iter()
        .position(|stmt| binds(stmt, "url"))
        .ok_or("no `let url` before the query parameters")?;
    if let syn::Stmt::Local(local) = &mut stmts[at]
        && let syn::Pat::Ident(p) = &mut local.pat
    {
        p.mutability = Some(Default::default());
    }
    let added = params
        .into_iter()
        .map(|param| -> syn::Stmt { syn::parse_quote!(crate::runtime::query(&mut url, #param)?;) });
    stmts.splice(at + 1..at + 1, added);
    Ok(())
}

/// Progenitor collects header parameters in a `HeaderMap` of their own
/// (`let mut header_map = HeaderMap::with_capacity(n); header_map.append(..)`)
/// and merges it into the request with `.headers(header_map)`: an
/// allocation, a merge and a drop per call. When each of those headers is
/// a literal name the request cannot already carry (not `accept` or
/// `content-type`, which the builder chain sets), they are appended to the
/// built request's own headers instead, and the literal names are
/// constants. Anything else is left as progenitor wrote it.
fn set_header_params_on_the_request(stmts: &mut Vec<syn::Stmt>) {
    let (Some(map_at), Some(request_at)) = (
        stmts.iter().position(|s| binds(s, "header_map")),
        stmts.iter().position(|s| binds(s, "request")),
    ) else {
        return;
    };
    if map_at > request_at {
        return;
    }
    let appends = &stmts[map_at + 1..request_at];
    let literal_names: Option<Vec<String>> = appends.iter().map(appended_name).collect();
    let Some(names) = literal_names else {
        return;
    };
    if names
        .iter()
        .any(|n| n.eq_ignore_ascii_case("accept") || n.eq_ignore_ascii_case("content-type"))
    {
        return;
    }
    let syn::Stmt::Local(request) = &mut stmts[request_at] else {
        return;
    };
    let Some(init) = request.init.as_mut() else {
        return;
    };
    let merges = remove_calls(&mut init.expr, |c| {
        c.method == "headers"
            && c.args.len() == 1
            && matches!(c.args.first(), Some(syn::Expr::Path(p)) if p.path.is_ident("header_map"))
    });
    if merges.is_empty() {
        return;
    }
    let mut moved: Vec<syn::Stmt> = stmts.drain(map_at..request_at).skip(1).collect();
    for stmt in &mut moved {
        super::const_headers::ConstHeaders.visit_stmt_mut(stmt);
    }
    let request_at = map_at;
    let mut after: Vec<syn::Stmt> = vec![syn::parse_quote!(
        let header_map = request.headers_mut();
    )];
    after.extend(moved);
    stmts.splice(request_at + 1..request_at + 1, after);
}

/// The literal name `header_map.append(HeaderName::from_static("name"), ..);`
/// appends, or `None` for a statement of another shape.
fn appended_name(stmt: &syn::Stmt) -> Option<String> {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), Some(_)) = stmt else {
        return None;
    };
    let receiver_is_map =
        matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("header_map"));
    if call.method != "append" || !receiver_is_map || call.args.len() != 2 {
        return None;
    }
    super::const_headers::static_name_literal(call.args.first()?)
}

/// Whether `stmt` is `let name = ..` (or `let mut name`).
pub(crate) fn binds(stmt: &syn::Stmt, name: &str) -> bool {
    matches!(stmt, syn::Stmt::Local(local)
        if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == name))
}

/// Removes from the method chain `expr` (through `?`) every call that
/// `is_target` picks, and returns them, outermost first.
fn remove_calls(
    mut expr: &mut syn::Expr,
    is_target: impl Fn(&syn::ExprMethodCall) -> bool,
) -> Vec<syn::ExprMethodCall> {
    let mut removed = Vec::new();
    loop {
        match expr {
            syn::Expr::Try(t) => expr = &mut *t.expr,
            syn::Expr::MethodCall(call) if is_target(call) => {
                let receiver = std::mem::replace(&mut *call.receiver, syn::parse_quote!(()));
                if let syn::Expr::MethodCall(call) = std::mem::replace(expr, receiver) {
                    removed.push(call);
                }
            }
            syn::Expr::MethodCall(call) => expr = &mut *call.receiver,
            _ => return removed,
        }
    }
}

/// The `Result<ResponseValue<T>, E>` a rewritten `send` resolves to: the
/// `Output` of the `impl Future` it returns.
pub(crate) fn send_output(output: &syn::ReturnType) -> Option<&syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::ImplTrait(imp) = &**ty else {
        return Some(ty);
    };
    imp.bounds.iter().find_map(|bound| {
        let syn::TypeParamBound::Trait(t) = bound else {
            return None;
        };
        let last = t.path.segments.last().filter(|s| s.ident == "Future")?;
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        args.args.iter().find_map(|a| match a {
            syn::GenericArgument::AssocType(at) if at.ident == "Output" => Some(&at.ty),
            _ => None,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_ends_in_the_runtime_and_returns_the_crate_error() {
        let mut file: syn::File = syn::parse_quote! {
            pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
            const _: () = { fn assert_client_hooks() where Client: ClientHooks<crate::Hooks> {} };
            pub mod builder {
                use super::{encode_path, Error, OperationInfo, ResponseValue};
                impl<'a> PinsGet<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Pin>, Error<types::Error>> {
                        let Self { client, pin_id } = self;
                        let pin_id = pin_id.map_err(Error::InvalidRequest)?;
                        let url = format!("{}/pins/{}", client.baseurl, pin_id);
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        let mut request = client.client.get(url)
                            .query(&progenitor_client::QueryParam::new("ad_account_id", &ad_account_id))
                            .query(&progenitor_client::QueryParam::new("pin_metrics", &pin_metrics))
                            .headers(header_map)
                            .build()?;
                        let info = OperationInfo { operation_id: "pins_get" };
                        client.pre(&mut request, &info).await?;
                        let result = client.exec(request, &info).await;
                        let response = result?;
                        match response.status().as_u16() {
                            200u16 => ResponseValue::from_response(response).await,
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
                impl<'a> PinsDelete<'a> {
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<types::Error>> {
                        let Self { client } = self;
                        let url = format!("{}/pins", client.baseurl);
                        let mut request = client.client.delete(url).json(&body).build()?;
                        let info = OperationInfo { operation_id: "pins_delete" };
                        let result = client.exec(request, &info).await;
                        match result?.status().as_u16() { 204u16 => Ok(ResponseValue::empty(response)), _ => Err(Error::UnexpectedResponse(response)) }
                    }
                }
            }
        };
        assert!(rewrite(&mut file).is_empty());
        let text = file.to_token_stream().to_string();
        assert!(!text.contains("assert_client_hooks"), "{text}");
        assert!(
            text.contains(
                "pub use progenitor_client :: { ByteStream , ClientInfo , ResponseValue }"
            ),
            "{text}"
        );
        assert!(
            text.contains("use super :: { encode_path , OperationInfo , ResponseValue }"),
            "{text}"
        );
        assert!(
            text.contains("map_err (crate :: Error :: invalid_request)"),
            "{text}"
        );
        assert!(
            text.contains(". build () . map_err (crate :: Error :: request_build) ?"),
            "{text}"
        );
        assert!(text.contains("static OPERATION : crate :: runtime :: MethodOperation = crate :: runtime :: MethodOperation :: new (\"pins_get\") ;"), "{text}");
        assert!(text.contains("crate :: runtime :: send_json :: < types :: Pin > (client , self . into_request () , & OPERATION)"), "{text}");
        assert!(
            text.contains(
                "fn into_request (self) -> Result < :: reqwest :: Request , crate :: Error >"
            ),
            "{text}"
        );
        assert!(!text.contains("async fn send"), "{text}");
        assert!(
            text.contains(
                "let mut url = crate :: runtime :: url (client , & format ! (\"/pins/{}\" , pin_id)) ? ; \
                 crate :: runtime :: query (& mut url , & progenitor_client :: QueryParam :: new (\"ad_account_id\" , & ad_account_id)) ? ; \
                 crate :: runtime :: query (& mut url , & progenitor_client :: QueryParam :: new (\"pin_metrics\" , & pin_metrics)) ? ;"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "let mut request = crate :: runtime :: request (client , :: reqwest :: Method :: GET , url) ? ; \
                 let header_map = request . headers_mut () ; \
                 header_map . append ({ const NAME : :: reqwest :: header :: HeaderName = \
                 :: reqwest :: header :: HeaderName :: from_static (\"api-version\") ; NAME } , \
                 { const VALUE : :: reqwest :: header :: HeaderValue = \
                 :: reqwest :: header :: HeaderValue :: from_static (crate :: SPEC_VERSION) ; VALUE } ,) ;"
            ),
            "{text}"
        );
        assert!(!text.contains("with_capacity"), "{text}");
        assert!(
            text.contains("let url = crate :: runtime :: url (client , \"/pins\") ?"),
            "{text}"
        );
        assert!(
            text.contains(
                "crate :: runtime :: send_empty (client , self . into_request () , & OPERATION)"
            ),
            "{text}"
        );
        assert!(
            text.contains("impl :: std :: future :: Future < Output = Result < ResponseValue < types :: Pin > , crate :: Error > > + 'a"),
            "{text}"
        );
        assert!(
            !text.contains("client . exec") && !text.contains("match"),
            "{text}"
        );
    }

    #[test]
    fn a_header_parameter_the_request_may_carry_already_stays_in_its_map() {
        let mut stmts: Vec<syn::Stmt> = syn::parse_quote! {
            let url = crate::runtime::url(client, "/pins")?;
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map.append(::reqwest::header::HeaderName::from_static("accept"), value);
            let mut request = client.client.get(url).headers(header_map).build()?;
        };
        let before = quote::quote!(#(#stmts)*).to_string();
        set_header_params_on_the_request(&mut stmts);
        assert_eq!(quote::quote!(#(#stmts)*).to_string(), before);
    }

    #[test]
    fn a_header_map_built_after_the_request_is_left_alone() {
        let mut stmts: Vec<syn::Stmt> = syn::parse_quote! {
            let url = crate::runtime::url(client, "/pins")?;
            let mut request = client.client.get(url).build()?;
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map.append(::reqwest::header::HeaderName::from_static("api-version"), value);
        };
        let before = quote::quote!(#(#stmts)*).to_string();
        set_header_params_on_the_request(&mut stmts);
        assert_eq!(quote::quote!(#(#stmts)*).to_string(), before);
    }

    #[test]
    fn a_send_of_another_shape_is_reported() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> Odd<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Pin>, Error<()>> { Err(Error::InvalidRequest("odd".into())) }
                }
            }
        };
        let failures = rewrite(&mut file);
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].builder, "Odd<'a>");
        assert!(failures[0].reason.contains("OperationInfo"));
    }
}
