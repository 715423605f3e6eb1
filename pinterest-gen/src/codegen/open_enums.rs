//! Makes the generated types forward-compatible: a response from a newer
//! Pinterest (a new enum value, a new kind of union member, a new integer
//! code) decodes instead of failing the whole response.
//!
//! - String enums become `crate::open_enum!` invocations: the same
//!   variants plus `Unknown(String)`, which keeps the raw value and
//!   serializes back to it. A spec value spelled `UNKNOWN`/`unknown` (whose
//!   variant typify names `Unknown`) becomes `UnknownValue`, as in
//!   aws-sdk-rust.
//! - Untagged unions (`oneOf`/`anyOf`) get a last member
//!   `Unknown(serde_json::Value)`; internally tagged ones an `Unknown` unit
//!   variant for unknown tags. Both are `#[non_exhaustive]`, so a value or
//!   member a newer spec adds is a new variant in a minor release.
//! - Integer enums (typify's validating newtypes) accept any integer.
//!
//! Two kinds of enum stay closed, because their union is open instead: an
//! enum that is itself a member of an untagged union (open, it would accept
//! every string and the members after it would never match), and a
//! single-valued enum that is a field of a union member, because it is the
//! member's discriminator (`source_type: "image_url"`).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use syn::visit_mut::VisitMut;

/// What the pass did, for reports and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenReport {
    /// String enums made open.
    pub string_enums: Vec<String>,
    /// String enums kept closed (union discriminators).
    pub closed: Vec<String>,
    /// Unions given an `Unknown` member.
    pub unions: Vec<String>,
    /// Integer enums made open.
    pub integer_enums: Vec<String>,
}

/// A string enum's variants: (Rust identifier, wire value).
type Variants = Vec<(String, String)>;

/// Rewrites the items of the `types` module. Errors name the type whose
/// shape was not what typify emits.
pub fn open(items: &mut Vec<syn::Item>) -> Result<OpenReport, String> {
    let string_enums = string_enums(items);
    let closed = discriminators(items, &string_enums);
    let mut report = OpenReport::default();
    let open: BTreeMap<String, Variants> = string_enums
        .into_iter()
        .filter(|(name, _)| !closed.contains(name))
        .collect();
    report.closed = closed.into_iter().collect();

    // Typify's own conversions of the open enums are replaced by the macro's.
    items.retain(|item| match item {
        syn::Item::Impl(imp) => {
            let Some(name) = self_name(&imp.self_ty) else {
                return true;
            };
            !(open.contains_key(&name) && is_string_conversion(imp))
        }
        _ => true,
    });
    let renamed: BTreeSet<String> = open
        .iter()
        .filter(|(_, vs)| vs.iter().any(|(ident, _)| ident == "Unknown"))
        .map(|(name, _)| name.clone())
        .collect();
    RenameUnknown { enums: &renamed }.visit_items(items);

    for item in items.iter_mut() {
        match item {
            syn::Item::Enum(e) if open.contains_key(&e.ident.to_string()) => {
                let name = e.ident.to_string();
                *item = open_enum_item(e, &open[&name])?;
                report.string_enums.push(name);
            }
            syn::Item::Enum(e) if has_serde_word(&e.attrs, "untagged") => {
                e.attrs.push(syn::parse_quote!(#[non_exhaustive]));
                e.variants.push(syn::parse_quote! {
                    /// A member the spec this client was generated from does
                    /// not list, kept as JSON.
                    #[serde(deserialize_with = "crate::decode::unknown_member")]
                    Unknown(::serde_json::Value)
                });
                report.unions.push(e.ident.to_string());
            }
            syn::Item::Enum(e) if has_serde_key(&e.attrs, "tag") => {
                e.attrs.push(syn::parse_quote!(#[non_exhaustive]));
                e.variants.push(syn::parse_quote! {
                    /// A kind the spec this client was generated from does
                    /// not list (its fields are not kept).
                    #[serde(other)]
                    Unknown
                });
                report.unions.push(e.ident.to_string());
            }
            _ => {}
        }
    }
    let unions: BTreeSet<String> = report.unions.iter().cloned().collect();
    for item in items.iter_mut() {
        if let syn::Item::Impl(imp) = item
            && let Some(name) = self_name(&imp.self_ty)
            && unions.contains(&name)
        {
            patch_union_impl(imp, &name)?;
        }
    }
    report.integer_enums = open_integer_enums(items)?;
    Ok(report)
}

fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn trait_name(imp: &syn::ItemImpl) -> Option<String> {
    imp.trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .map(|s| s.ident.to_string())
}

/// `Display`, `FromStr`, `TryFrom<&str|&String|String>`, and an inherent
/// `as_str` (the enums pinterest-gen emits itself have one).
fn is_string_conversion(imp: &syn::ItemImpl) -> bool {
    if imp.trait_.is_none() {
        return !imp.items.is_empty()
            && imp
                .items
                .iter()
                .all(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "as_str"));
    }
    match trait_name(imp).as_deref() {
        Some("Display" | "FromStr") => true,
        Some("TryFrom") => {
            let text = imp
                .trait_
                .as_ref()
                .map(|(p, _)| p.to_token_stream().to_string());
            text.is_some_and(|t| t.contains("str") || t.contains("String"))
        }
        _ => false,
    }
}

fn serde_args(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .map(|a| a.meta.to_token_stream().to_string())
        .collect()
}

fn has_serde_word(attrs: &[syn::Attribute], word: &str) -> bool {
    serde_args(attrs).iter().any(|t| {
        t.contains(&format!("({word})"))
            || t.contains(&format!("{word} ,"))
            || t.contains(&format!(", {word}"))
    })
}

fn has_serde_key(attrs: &[syn::Attribute], key: &str) -> bool {
    serde_args(attrs)
        .iter()
        .any(|t| t.contains(&format!("{key} =")))
}

fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("derive") && a.meta.to_token_stream().to_string().contains(name))
}

/// Enums whose variants are all units, with their wire values
/// (`#[serde(rename = "..")]`, else the identifier).
fn string_enums(items: &[syn::Item]) -> BTreeMap<String, Variants> {
    let mut out = BTreeMap::new();
    for item in items {
        let syn::Item::Enum(e) = item else { continue };
        if e.variants.is_empty()
            || !derives(&e.attrs, "Deserialize")
            || has_serde_word(&e.attrs, "untagged")
            || has_serde_key(&e.attrs, "tag")
            || !e
                .variants
                .iter()
                .all(|v| matches!(v.fields, syn::Fields::Unit))
        {
            continue;
        }
        let variants = e
            .variants
            .iter()
            .map(|v| {
                let wire = rename_of(&v.attrs).unwrap_or_else(|| v.ident.to_string());
                (v.ident.to_string(), wire)
            })
            .collect();
        out.insert(e.ident.to_string(), variants);
    }
    out
}

fn rename_of(attrs: &[syn::Attribute]) -> Option<String> {
    let mut found = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                found = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

/// Enums that are members of an untagged union, and single-valued enums
/// used as a field of a member (they discriminate the members).
fn discriminators(
    items: &[syn::Item],
    string_enums: &BTreeMap<String, Variants>,
) -> BTreeSet<String> {
    let structs: BTreeMap<String, &syn::ItemStruct> = items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Struct(s) => Some((s.ident.to_string(), s)),
            _ => None,
        })
        .collect();
    let mut closed = BTreeSet::new();
    for item in items {
        let syn::Item::Enum(e) = item else { continue };
        if !has_serde_word(&e.attrs, "untagged") {
            continue;
        }
        for v in &e.variants {
            // A struct-like variant is a member written out: its own
            // single-valued fields discriminate it.
            let fields: Vec<&syn::Field> = match &v.fields {
                syn::Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                    let Some(member) = self_name(&u.unnamed[0].ty) else {
                        continue;
                    };
                    // An enum that is a member itself: an open one would
                    // accept every string, and the members after it would
                    // never match.
                    if string_enums.contains_key(&member) {
                        closed.insert(member);
                        continue;
                    }
                    match structs.get(&member) {
                        Some(s) => s.fields.iter().collect(),
                        None => continue,
                    }
                }
                syn::Fields::Named(n) => n.named.iter().collect(),
                _ => continue,
            };
            for field in fields {
                for name in type_names(&field.ty) {
                    if string_enums.get(&name).is_some_and(|vs| vs.len() == 1) {
                        closed.insert(name);
                    }
                }
            }
        }
    }
    closed
}

/// Every identifier in a type (`Option<Vec<X>>` -> Option, Vec, X).
fn type_names(ty: &syn::Type) -> Vec<String> {
    ty.to_token_stream()
        .into_iter()
        .filter_map(|t| match t {
            proc_macro2::TokenTree::Ident(i) => Some(i.to_string()),
            _ => None,
        })
        .collect()
}

/// `Name::Unknown` / `Self::Unknown` of enums whose spec lists `UNKNOWN`
/// become `UnknownValue` (the catch-all takes the name `Unknown`).
struct RenameUnknown<'a> {
    enums: &'a BTreeSet<String>,
}

impl RenameUnknown<'_> {
    fn visit_items(&mut self, items: &mut [syn::Item]) {
        for item in items {
            match item {
                syn::Item::Enum(e) if self.enums.contains(&e.ident.to_string()) => {
                    for v in &mut e.variants {
                        if v.ident == "Unknown" {
                            v.ident = format_ident!("UnknownValue");
                        }
                    }
                }
                syn::Item::Impl(imp) => {
                    let own = self_name(&imp.self_ty).filter(|n| self.enums.contains(n));
                    SelfUnknown {
                        active: own.is_some(),
                    }
                    .visit_item_impl_mut(imp);
                    self.visit_item_impl_mut(imp);
                }
                other => self.visit_item_mut(other),
            }
        }
    }
}

impl VisitMut for RenameUnknown<'_> {
    fn visit_path_mut(&mut self, p: &mut syn::Path) {
        let n = p.segments.len();
        if n >= 2
            && p.segments[n - 1].ident == "Unknown"
            && self.enums.contains(&p.segments[n - 2].ident.to_string())
        {
            p.segments[n - 1].ident = format_ident!("UnknownValue");
        }
        syn::visit_mut::visit_path_mut(self, p);
    }
}

struct SelfUnknown {
    active: bool,
}

impl VisitMut for SelfUnknown {
    fn visit_path_mut(&mut self, p: &mut syn::Path) {
        if self.active
            && p.segments.len() == 2
            && p.segments[0].ident == "Self"
            && p.segments[1].ident == "Unknown"
        {
            p.segments[1].ident = format_ident!("UnknownValue");
        }
    }
}

/// The `crate::open_enum!` invocation for `e`.
fn open_enum_item(e: &syn::ItemEnum, variants: &Variants) -> Result<syn::Item, String> {
    let cfgs: Vec<&syn::Attribute> = e
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .collect();
    let docs: Vec<&syn::Attribute> = e
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .collect();
    let name = &e.ident;
    let arms: Vec<TokenStream> = variants
        .iter()
        .map(|(ident, wire)| {
            let ident = format_ident!(
                "{}",
                if ident == "Unknown" {
                    "UnknownValue"
                } else {
                    ident
                }
            );
            quote!(#ident = #wire)
        })
        .collect();
    let tokens = quote! {
        crate::open_enum! {
            #(#cfgs)*
            #(#docs)*
            pub enum #name { #(#arms),* }
        }
    };
    syn::parse2(tokens).map_err(|err| format!("enum `{name}`: {err}"))
}

/// Adds the `Unknown` member to a union's `Display` and `FromStr`.
fn patch_union_impl(imp: &mut syn::ItemImpl, name: &str) -> Result<(), String> {
    match trait_name(imp).as_deref() {
        Some("Display") => {
            let mut patched = false;
            for item in &mut imp.items {
                if let syn::ImplItem::Fn(f) = item {
                    AddArm(&mut patched).visit_block_mut(&mut f.block);
                }
            }
            if !patched {
                return Err(format!(
                    "union `{name}`: its Display impl has no `match self`"
                ));
            }
        }
        Some("FromStr") => {
            let mut patched = false;
            for item in &mut imp.items {
                if let syn::ImplItem::Fn(f) = item {
                    FallbackOk(&mut patched).visit_block_mut(&mut f.block);
                }
            }
            if !patched {
                return Err(format!(
                    "union `{name}`: its FromStr impl has no failing fallback"
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

struct AddArm<'a>(&'a mut bool);

impl VisitMut for AddArm<'_> {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        if m.expr.to_token_stream().to_string() == "self" {
            m.arms.push(syn::parse_quote!(
                Self::Unknown(value) => crate::decode::fmt_unknown(value, f),
            ));
            *self.0 = true;
        }
    }
}

/// The last `Err("string conversion failed for all variants".into())`
/// becomes `Ok(Self::Unknown(..))`.
struct FallbackOk<'a>(&'a mut bool);

impl VisitMut for FallbackOk<'_> {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        if let syn::Expr::Call(call) = e
            && call.func.to_token_stream().to_string() == "Err"
            && call
                .to_token_stream()
                .to_string()
                .contains("conversion failed")
        {
            *e = syn::parse_quote!(Ok(Self::Unknown(::serde_json::Value::String(
                value.to_string()
            ))));
            *self.0 = true;
            return;
        }
        syn::visit_mut::visit_expr_mut(self, e);
    }
}

/// Integer enums: typify's newtype whose `Deserialize` goes through a
/// validating `TryFrom<i64>`; it then keeps any integer (strict mode
/// checks the listed ones).
fn open_integer_enums(items: &mut [syn::Item]) -> Result<Vec<String>, String> {
    // The known values, from the `TryFrom<i64>` impls.
    let mut known: BTreeMap<String, syn::ExprArray> = BTreeMap::new();
    for item in items.iter() {
        let syn::Item::Impl(imp) = item else { continue };
        let is_try_from_int = trait_name(imp).as_deref() == Some("TryFrom")
            && imp
                .trait_
                .as_ref()
                .is_some_and(|(p, _)| p.to_token_stream().to_string().contains("i64"));
        if !is_try_from_int {
            continue;
        }
        let Some(name) = self_name(&imp.self_ty) else {
            continue;
        };
        let mut finder = ArrayFinder(None);
        syn::visit::Visit::visit_item_impl(&mut finder, imp);
        match finder.0 {
            Some(array) => {
                known.insert(name, array);
            }
            None => {
                return Err(format!(
                    "integer enum `{name}`: no list of values in TryFrom<i64>"
                ));
            }
        }
    }
    let mut opened = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if trait_name(imp).as_deref() != Some("Deserialize") {
            continue;
        }
        let Some(name) = self_name(&imp.self_ty) else {
            continue;
        };
        let Some(array) = known.get(&name) else {
            continue;
        };
        let body: syn::Block = syn::parse_quote!({
            let value = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
            crate::decode::check_integer::<D::Error>(#name, &#array, value).map(Self)
        });
        let Some(syn::ImplItem::Fn(f)) = imp
            .items
            .iter_mut()
            .find(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "deserialize"))
        else {
            return Err(format!("integer enum `{name}`: no deserialize fn"));
        };
        f.block = body;
        opened.push(name);
    }
    Ok(opened)
}

struct ArrayFinder(Option<syn::ExprArray>);

impl<'ast> syn::visit::Visit<'ast> for ArrayFinder {
    fn visit_expr_array(&mut self, a: &'ast syn::ExprArray) {
        if self.0.is_none() {
            self.0 = Some(a.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(tokens: TokenStream) -> Vec<syn::Item> {
        let file: syn::File = syn::parse2(tokens).unwrap();
        file.items
    }

    fn text(items: &[syn::Item]) -> String {
        items
            .iter()
            .map(|i| i.to_token_stream().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn string_enums_become_open_and_unknown_values_are_renamed() {
        let mut items = module(quote! {
            ///Type of account
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, Hash, PartialEq)]
            #[cfg(feature = "organic")]
            pub enum AccountType {
                #[serde(rename = "PINNER")]
                Pinner,
                #[serde(rename = "UNKNOWN")]
                Unknown,
            }
            #[cfg(feature = "organic")]
            impl ::std::fmt::Display for AccountType { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(match self { Self::Pinner => "PINNER", Self::Unknown => "UNKNOWN" }) } }
            impl ::std::str::FromStr for AccountType { type Err = (); fn from_str(v: &str) -> Result<Self, ()> { match v { "PINNER" => Ok(Self::Pinner), "UNKNOWN" => Ok(Self::Unknown), _ => Err(()) } } }
            impl ::std::convert::TryFrom<&str> for AccountType { type Error = (); fn try_from(v: &str) -> Result<Self, ()> { v.parse() } }
            impl ::std::default::Default for AccountType { fn default() -> Self { AccountType::Unknown } }
            pub struct Account { pub t: Option<AccountType> }
        });
        let report = open(&mut items).unwrap();
        assert_eq!(report.string_enums, ["AccountType"]);
        let t = text(&items);
        assert!(t.contains("crate :: open_enum !"), "{t}");
        assert!(t.contains("# [cfg (feature = \"organic\")] # [doc = r\"Type of account\"] pub enum AccountType { Pinner = \"PINNER\" , UnknownValue = \"UNKNOWN\" }"), "{t}");
        assert!(
            !t.contains("FromStr") && !t.contains("TryFrom") && !t.contains("Display"),
            "{t}"
        );
        assert!(
            t.contains("AccountType :: UnknownValue"),
            "default impl follows the rename: {t}"
        );
    }

    #[test]
    fn unions_get_an_unknown_member_and_their_discriminators_stay_closed() {
        let mut items = module(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            #[serde(untagged)]
            pub enum Source { Url(SourceUrl), Id(SourceId) }
            impl ::std::fmt::Display for Source {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self { Self::Url(x) => x.fmt(f), Self::Id(x) => x.fmt(f), }
                }
            }
            impl ::std::str::FromStr for Source {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> Result<Self, self::error::ConversionError> {
                    if let Ok(v) = value.parse() { Ok(Self::Url(v)) } else { Err("string conversion failed for all variants".into()) }
                }
            }
            pub struct SourceUrl { pub source_type: SourceUrlType, pub status: Option<Status> }
            pub struct SourceId { pub id: String }
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub enum SourceUrlType { #[serde(rename = "image_url")] ImageUrl }
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub enum Status { #[serde(rename = "ok")] Ok, #[serde(rename = "bad")] Bad }
        });
        let report = open(&mut items).unwrap();
        assert_eq!(report.unions, ["Source"]);
        assert_eq!(report.closed, ["SourceUrlType"]);
        assert_eq!(report.string_enums, ["Status"]);
        let t = text(&items);
        assert!(
            t.contains("deserialize_with = \"crate::decode::unknown_member\"")
                && t.contains("Unknown (:: serde_json :: Value)"),
            "{t}"
        );
        assert!(
            t.contains("Self :: Unknown (value) => crate :: decode :: fmt_unknown (value , f)"),
            "{t}"
        );
        assert!(
            t.contains(
                "Ok (Self :: Unknown (:: serde_json :: Value :: String (value . to_string ())))"
            ),
            "{t}"
        );
    }

    #[test]
    fn integer_enums_accept_any_integer() {
        let mut items = module(quote! {
            pub struct Days(i64);
            impl ::std::convert::TryFrom<i64> for Days {
                type Error = self::error::ConversionError;
                fn try_from(value: i64) -> Result<Self, self::error::ConversionError> {
                    if ![0_i64, 7_i64].contains(&value) { Err("invalid value".into()) } else { Ok(Self(value)) }
                }
            }
            impl<'de> ::serde::Deserialize<'de> for Days {
                fn deserialize<D>(deserializer: D) -> Result<Self, D::Error> where D: ::serde::Deserializer<'de> {
                    Self::try_from(<i64>::deserialize(deserializer)?).map_err(|e| <D::Error as ::serde::de::Error>::custom(e.to_string()))
                }
            }
        });
        let report = open(&mut items).unwrap();
        assert_eq!(report.integer_enums, ["Days"]);
        let t = text(&items);
        assert!(t.contains("crate :: decode :: check_integer :: < D :: Error > (\"Days\" , & [0_i64 , 7_i64] , value) . map (Self)"), "{t}");
    }
}
