//! Drops typify's struct builders (`types::builder`, `X::builder()`) from
//! builder-style output. Progenitor turns them on whenever the operation
//! interface is `Builder`; they double the size of `types` and cost ~25%
//! of the crate's compile time. Operation builders keep their named,
//! optional setters; a request body is passed whole (`.body(PinCreate {..})`)
//! and must be set (`body_map`, which edited a struct builder, is removed).

use syn::visit_mut::VisitMut;

/// Removes struct builders from `file` in place.
pub fn drop_type_builders(file: &mut syn::File) {
    for item in &mut file.items {
        let syn::Item::Mod(m) = item else { continue };
        let Some((_, items)) = m.content.as_mut() else {
            continue;
        };
        if m.ident == "types" {
            items.retain(|item| !is_type_builder_item(item));
        } else if m.ident == "builder" {
            OperationBuilders.visit_item_mod_mut(m);
        }
    }
}

fn mentions_type_builder(tokens: &impl quote::ToTokens) -> bool {
    let text = tokens.to_token_stream().to_string();
    text.contains("builder ::")
}

fn is_type_builder_item(item: &syn::Item) -> bool {
    match item {
        syn::Item::Mod(m) => m.ident == "builder",
        syn::Item::Impl(imp) => {
            let only_builder_fn = imp.trait_.is_none()
                && imp.items.len() == 1
                && matches!(&imp.items[0], syn::ImplItem::Fn(f) if f.sig.ident == "builder");
            let builder_conversion = imp
                .trait_
                .as_ref()
                .is_some_and(|(path, _)| mentions_type_builder(path))
                || mentions_type_builder(&imp.self_ty);
            only_builder_fn || builder_conversion
        }
        _ => false,
    }
}

/// Rewrites operation builders that stored their body as a struct builder.
struct OperationBuilders;

impl VisitMut for OperationBuilders {
    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        let text = quote::ToTokens::to_token_stream(&field.ty).to_string();
        if text.contains("types :: builder ::") {
            let fixed = text.replace("types :: builder ::", "types ::");
            if let Ok(ty) = syn::parse_str::<syn::Type>(&fixed) {
                field.ty = ty;
            }
        }
    }

    fn visit_item_impl_mut(&mut self, imp: &mut syn::ItemImpl) {
        imp.items
            .retain(|item| !matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == "body_map"));
        syn::visit_mut::visit_item_impl_mut(self, imp);
    }

    fn visit_field_value_mut(&mut self, fv: &mut syn::FieldValue) {
        let is_body = matches!(&fv.member, syn::Member::Named(n) if n == "body");
        let default_init = quote::ToTokens::to_token_stream(&fv.expr)
            .to_string()
            .replace(' ', "")
            == "Ok(::std::default::Default::default())";
        if is_body && default_init {
            fv.expr = syn::parse_quote!(Err(
                "the request body is required: set it with `.body(...)`".to_string()
            ));
        }
    }
}

/// Drops `PartialOrd`/`Ord` from the derives of generated types: typify
/// derives them on every string enum, where an order of API values has no
/// meaning, and they cost compile time on ~450 enums. `Eq` and `Hash` stay
/// (enums as map keys).
pub fn drop_ordering_derives(file: &mut syn::File) {
    struct Trim;
    impl VisitMut for Trim {
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            if !attr.path().is_ident("derive") {
                return;
            }
            let Ok(paths) = attr.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            ) else {
                return;
            };
            let kept: Vec<&syn::Path> = paths
                .iter()
                .filter(|p| !(p.is_ident("Ord") || p.is_ident("PartialOrd")))
                .collect();
            if kept.len() != paths.len() {
                *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
            }
        }
    }
    Trim.visit_file_mut(file);
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn type_builders_go_and_operation_builders_take_the_type() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct PinCreate { pub title: Option<String> }
                impl PinCreate { pub fn builder() -> builder::PinCreate { Default::default() } }
                impl ::std::convert::From<builder::PinCreate> for PinCreate { fn from(b: builder::PinCreate) -> Self { todo() } }
                impl ::std::fmt::Display for PinCreate { fn fmt(&self) {} }
                pub mod builder { pub struct PinCreate {} }
            }
            pub mod builder {
                pub struct PinsCreate<'a> {
                    client: &'a super::Client,
                    body: Result<types::builder::PinCreate, String>,
                }
                impl<'a> PinsCreate<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, body: Ok(::std::default::Default::default()) }
                    }
                    pub fn body_map<F>(mut self, f: F) -> Self { self }
                    pub async fn send(self) {}
                }
            }
        };
        drop_type_builders(&mut file);
        let text = file.to_token_stream().to_string();
        assert!(!text.contains("builder :: PinCreate"), "{text}");
        assert!(!text.contains("fn builder"), "{text}");
        assert!(!text.contains("body_map"), "{text}");
        assert!(text.contains("Display for PinCreate"), "{text}");
        assert!(
            text.contains("body : Result < types :: PinCreate , String >"),
            "{text}"
        );
        assert!(text.contains("the request body is required"), "{text}");
        assert!(text.contains("async fn send"), "{text}");
    }
}
