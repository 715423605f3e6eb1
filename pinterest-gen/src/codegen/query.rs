//! Rewrites the query encoding of the parameters the normalization passes
//! flagged ([`QueryEncoding`]): inside the generated function whose
//! `OperationInfo` names the operation, `progenitor_client::QueryParam::new`
//! for that parameter becomes `crate::query::DeepObject::new` or
//! `crate::query::Delimited::new` (hand-written in `pinterest-api`).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::Span;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use crate::normalize::{QueryEncoding, QueryStyle};

/// Applies `encodings` to `file`; returns the encodings that matched no
/// generated code (which means progenitor's output changed shape).
pub fn apply(file: &mut syn::File, encodings: &[QueryEncoding]) -> Vec<QueryEncoding> {
    // Progenitor puts the snake-case method name in `OperationInfo`.
    let mut by_op: BTreeMap<String, Vec<&QueryEncoding>> = BTreeMap::new();
    for e in encodings {
        by_op
            .entry(crate::names::snake(&e.operation_id))
            .or_default()
            .push(e);
    }
    let mut rewriter = FnRewriter {
        by_op,
        applied: BTreeSet::new(),
    };
    for item in file.items.iter_mut().filter(|i| !super::is_types_module(i)) {
        rewriter.visit_item_mut(item);
    }
    encodings
        .iter()
        .filter(|e| {
            !rewriter
                .applied
                .contains(&(crate::names::snake(&e.operation_id), e.name.clone()))
        })
        .cloned()
        .collect()
}

struct FnRewriter<'a> {
    by_op: BTreeMap<String, Vec<&'a QueryEncoding>>,
    applied: BTreeSet<(String, String)>,
}

impl FnRewriter<'_> {
    fn rewrite_block(&mut self, block: &mut syn::Block) {
        let Some(op) = operation_id_in(block) else {
            return;
        };
        let Some(list) = self.by_op.get(op.as_str()) else {
            return;
        };
        let mut calls = CallRewriter {
            encodings: list.clone(),
            applied: Vec::new(),
        };
        calls.visit_block_mut(block);
        for name in calls.applied {
            self.applied.insert((op.clone(), name));
        }
    }
}

impl VisitMut for FnRewriter<'_> {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        self.rewrite_block(&mut f.block);
    }
    fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
        self.rewrite_block(&mut f.block);
    }
}

/// The `operation_id` of the `OperationInfo { .. }` literal in `block`.
pub fn operation_id_in(block: &syn::Block) -> Option<String> {
    struct Finder(Option<String>);
    impl Visit<'_> for Finder {
        fn visit_expr_struct(&mut self, s: &syn::ExprStruct) {
            let is_info = s
                .path
                .segments
                .last()
                .is_some_and(|seg| seg.ident == "OperationInfo");
            if is_info {
                for field in &s.fields {
                    let named =
                        matches!(&field.member, syn::Member::Named(n) if n == "operation_id");
                    if let (
                        true,
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(value),
                            ..
                        }),
                    ) = (named, &field.expr)
                    {
                        self.0 = Some(value.value());
                    }
                }
            }
            syn::visit::visit_expr_struct(self, s);
        }
    }
    let mut finder = Finder(None);
    finder.visit_block(block);
    finder.0
}

struct CallRewriter<'a> {
    encodings: Vec<&'a QueryEncoding>,
    applied: Vec<String>,
}

impl VisitMut for CallRewriter<'_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        syn::visit_mut::visit_expr_call_mut(self, call);
        let syn::Expr::Path(func) = &*call.func else {
            return;
        };
        if !super::path_is(&func.path, &["progenitor_client", "QueryParam", "new"])
            || call.args.len() != 2
        {
            return;
        }
        let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(name),
            ..
        })) = call.args.first()
        else {
            return;
        };
        let name = name.value();
        let Some(encoding) = self.encodings.iter().find(|e| e.name == name) else {
            return;
        };
        let value = call.args[1].clone();
        let replacement: syn::ExprCall = match encoding.style {
            QueryStyle::DeepObject => syn::parse_quote! {
                crate::query::DeepObject::new(#name, #value)
            },
            QueryStyle::Delimited(sep) => {
                let sep = syn::LitChar::new(sep, Span::call_site());
                syn::parse_quote! {
                    crate::query::Delimited::new(#name, #sep, #value)
                }
            }
        };
        *call = replacement;
        self.applied.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn rewrites_only_the_named_parameter_of_the_named_operation() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub async fn analytics(&self, columns: &[String], q: &str) {
                    let request = self.client.get(url)
                        .query(&progenitor_client::QueryParam::new("columns", &columns))
                        .query(&progenitor_client::QueryParam::new("q", &q));
                    let info = OperationInfo { operation_id: "ad_account_analytics" };
                }
                pub async fn other(&self, columns: &[String]) {
                    let request = self.client.get(url)
                        .query(&progenitor_client::QueryParam::new("columns", &columns));
                    let info = OperationInfo { operation_id: "other" };
                }
            }
        };
        let encodings = vec![
            QueryEncoding {
                operation_id: "ad_account/analytics".into(),
                name: "columns".into(),
                style: QueryStyle::Delimited(','),
            },
            QueryEncoding {
                operation_id: "missing/op".into(),
                name: "x".into(),
                style: QueryStyle::DeepObject,
            },
        ];
        let unapplied = apply(&mut file, &encodings);
        assert_eq!(unapplied.len(), 1);
        assert_eq!(unapplied[0].operation_id, "missing/op");
        let text = file.to_token_stream().to_string();
        assert_eq!(
            text.matches("crate :: query :: Delimited :: new (\"columns\" , ',' , & columns)")
                .count(),
            1
        );
        assert_eq!(text.matches("QueryParam :: new (\"columns\"").count(), 1);
        assert_eq!(text.matches("QueryParam :: new (\"q\"").count(), 1);
    }
}
