//! Drops typify's struct builders (`types::builder`, `X::builder()`) from
//! builder-style output. Progenitor turns them on whenever the operation
//! interface is `Builder`; they double the size of `types` and cost ~25%
//! of the crate's compile time. Operation builders keep their named,
//! optional setters; a request body is passed whole (`.body(PinCreate {..})`)
//! and must be set (`body_map`, which edited a struct builder, is removed).

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::visit::Visit;
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

/// Removes typify's struct-builder module (`pub mod builder { .. }` inside
/// `pub mod types { .. }`) from progenitor's tokens, before they are
/// parsed: it is about a third of the generated tokens, and parsing it only
/// to drop it took a third of the parse. Attributes before it (its doc
/// comment) go with it. The rest of what [`drop_type_builders`] removes
/// (`X::builder()`, conversions) is left for it.
pub fn drop_type_builder_module(tokens: TokenStream) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    for tree in tokens {
        let types_body = matches!(&tree, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
            && matches!(out.as_slice(), [.., TokenTree::Ident(m), TokenTree::Ident(t)] if m == "mod" && t == "types");
        match tree {
            TokenTree::Group(g) if types_body => {
                // The group is dropped before its stream is taken apart, so
                // the stream is not shared and is moved, not copied.
                let (stream, span) = (g.stream(), g.span());
                drop(g);
                let mut body = Group::new(Delimiter::Brace, without_builder_module(stream));
                body.set_span(span);
                out.push(TokenTree::Group(body));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// The items of a module body without `[attrs] [pub] mod builder { .. }`.
fn without_builder_module(body: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = body.into_iter().collect();
    // The index ranges to drop: each builder module with its attributes.
    let mut dropped: Vec<std::ops::Range<usize>> = Vec::new();
    // Where the current item (with its leading attributes) starts.
    let mut item_start = 0;
    let mut i = 0;
    while i < trees.len() {
        let is_attribute = matches!(&trees[i], TokenTree::Punct(p) if p.as_char() == '#')
            && matches!(trees.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket);
        if is_attribute {
            i += 2;
            continue;
        }
        let builder_module = matches!(&trees[i], TokenTree::Ident(p) if p == "pub")
            && matches!(trees.get(i + 1), Some(TokenTree::Ident(m)) if m == "mod")
            && matches!(trees.get(i + 2), Some(TokenTree::Ident(b)) if b == "builder")
            && matches!(trees.get(i + 3), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace);
        if builder_module {
            dropped.push(item_start..i + 4);
            i += 4;
            item_start = i;
            continue;
        }
        // An item ends with a `;` or a `{ .. }` body at this level; the next
        // one's attributes start after it.
        let ends_item = match &trees[i] {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            _ => false,
        };
        i += 1;
        if ends_item {
            item_start = i;
        }
    }
    trees
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !dropped.iter().any(|r| r.contains(i)))
        .map(|(_, tree)| tree)
        .collect()
}

/// Finds a path through a `builder` module (`builder::X`,
/// `super::builder::X`: a `builder` segment before the last), read from the
/// tree rather than by printing it, since it runs on the self type and
/// trait of every impl in `types`.
#[derive(Default)]
struct BuilderPath(bool);

impl<'ast> syn::visit::Visit<'ast> for BuilderPath {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments = path.segments.len();
        if path
            .segments
            .iter()
            .take(segments.saturating_sub(1))
            .any(|s| s.ident == "builder")
        {
            self.0 = true;
        }
        syn::visit::visit_path(self, path);
    }
}

fn is_type_builder_item(item: &syn::Item) -> bool {
    match item {
        syn::Item::Mod(m) => m.ident == "builder",
        syn::Item::Impl(imp) => {
            let only_builder_fn = imp.trait_.is_none()
                && imp.items.len() == 1
                && matches!(&imp.items[0], syn::ImplItem::Fn(f) if f.sig.ident == "builder");
            let mut through_builder = BuilderPath::default();
            if let Some((path, _)) = &imp.trait_ {
                through_builder.visit_path(path);
            }
            through_builder.visit_type(&imp.self_ty);
            let builder_conversion = through_builder.0;
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
        // Printed only for `body` fields, not for every field value.
        let default_init = || {
            quote::ToTokens::to_token_stream(&fv.expr)
                .to_string()
                .replace(' ', "")
                == "Ok(::std::default::Default::default())"
        };
        if is_body && default_init() {
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
        // A derive's arguments are split at their commas as tokens, not
        // parsed as paths: this runs on every attribute of ~1,500 types.
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            let syn::Meta::List(list) = &mut attr.meta else {
                return;
            };
            if !list.path.is_ident("derive") {
                return;
            }
            let mut paths: Vec<Vec<TokenTree>> = vec![Vec::new()];
            for tree in list.tokens.clone() {
                match &tree {
                    TokenTree::Punct(p) if p.as_char() == ',' => paths.push(Vec::new()),
                    _ => {
                        if let Some(path) = paths.last_mut() {
                            path.push(tree);
                        }
                    }
                }
            }
            let ordering = |path: &[TokenTree]| matches!(path, [TokenTree::Ident(i)] if i == "Ord" || i == "PartialOrd");
            if !paths.iter().any(|p| ordering(p)) {
                return;
            }
            let kept = paths
                .into_iter()
                .filter(|p| !p.is_empty() && !ordering(p))
                .map(TokenStream::from_iter);
            list.tokens = quote::quote!(#(#kept),*);
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

    #[test]
    fn the_type_builder_module_goes_before_parsing_with_its_attributes() {
        let tokens = quote::quote! {
            pub mod types {
                #[doc = "A pin."]
                pub struct Pin { pub id: String }
                const LIMIT: u8 = 3;
                #[doc = "Types for composing complex structures."]
                #[allow(dead_code)]
                pub mod builder { pub struct Pin { id: Result<String, String> } }
                #[doc = "Kept."]
                impl Pin { pub fn builder() -> builder::Pin { Default::default() } }
            }
            pub mod builder { pub struct PinsCreate; }
        };
        let file: syn::File = syn::parse2(drop_type_builder_module(tokens)).unwrap();
        let text = file.to_token_stream().to_string();
        assert!(!text.contains("Types for composing"), "{text}");
        assert!(!text.contains("dead_code"), "{text}");
        assert!(!text.contains("Result < String"), "{text}");
        assert!(
            text.contains("# [doc = \"A pin.\"] pub struct Pin"),
            "{text}"
        );
        assert!(text.contains("const LIMIT : u8 = 3 ;"), "{text}");
        assert!(text.contains("# [doc = \"Kept.\"] impl Pin"), "{text}");
        assert!(
            text.contains("pub mod builder { pub struct PinsCreate ; }"),
            "{text}"
        );
    }

    #[test]
    fn ordering_derives_go_and_the_others_stay() {
        let mut file: syn::File = syn::parse_quote! {
            #[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd, ::serde::Serialize)]
            pub enum Kind { A }
            #[derive(Clone, Debug)]
            #[serde(rename = "Ord")]
            pub struct Other;
        };
        drop_ordering_derives(&mut file);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains(
                "# [derive (Clone , Copy , Debug , Eq , Hash , PartialEq , :: serde :: Serialize)]"
            ),
            "{text}"
        );
        assert!(text.contains("# [derive (Clone , Debug)]"), "{text}");
        assert!(text.contains("rename = \"Ord\""), "{text}");
    }
}
