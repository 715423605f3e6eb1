//! Forward-compatibility tests generated from the spec
//! (`tests/generated/`):
//!
//! - `open_enum_cases.json`: for every component schema a response reaches
//!   that has an enum property, a minimal valid instance (built from the
//!   spec, [`crate::instances`]) with that property set to a value the spec
//!   does not list. The test decodes, re-encodes and compares each one,
//!   and checks strict mode refuses it.
//! - `dispatch.rs`: a match from a type name to a decode/re-encode of that
//!   generated type, and from an operation to a decode of its success
//!   body, so the tests (and `check-specs` for other spec versions) can
//!   decode JSON by name.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use serde::Serialize;
use serde_json::Value;

use crate::instances::Builder;
use crate::pointer;

/// The value put into enum properties: no spec lists it.
pub const UNLISTED: &str = "ZZ_UNLISTED_BY_THE_SPEC";
/// The integer put into integer enum properties.
pub const UNLISTED_INT: i64 = 987_654_321;

/// One generated case: `instance` decodes as `rust_type` although its
/// `property` holds a value the spec does not list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumCase {
    /// The component schema.
    pub schema: String,
    /// The generated type.
    pub rust_type: String,
    /// The enum property set to the unlisted value.
    pub property: String,
    /// The instance.
    pub instance: Value,
}

/// What [`cases`] found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EnumCases {
    /// The cases.
    pub cases: Vec<EnumCase>,
    /// Enum properties left closed by design (`schema.property`): the
    /// single-valued discriminators of union members.
    pub closed: Vec<String>,
}

/// Names of the structs and enums of the generated `types` module.
pub fn type_names(file: &syn::File) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in &file.items {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident != "types" {
            continue;
        }
        for inner in m.content.iter().flat_map(|(_, items)| items) {
            match inner {
                syn::Item::Struct(s) => {
                    out.insert(s.ident.to_string());
                }
                syn::Item::Enum(e) => {
                    out.insert(e.ident.to_string());
                }
                syn::Item::Macro(mac) => {
                    // open_enum! { ... pub enum Name { .. } }
                    let mut tokens = mac.mac.tokens.clone().into_iter();
                    let after_enum = tokens
                        .by_ref()
                        .find(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if i == "enum"))
                        .and_then(|_| tokens.next());
                    if let Some(name) = after_enum {
                        out.insert(name.to_string());
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The enum a property holds: `Some(values)` for a string or integer enum
/// (directly, through a `$ref`, or as array items).
fn enum_of<'a>(b: &Builder<'a>, prop: &'a Value) -> Option<(&'a Vec<Value>, bool)> {
    let schema = b.resolve(prop);
    let (schema, array) = match schema.get("type").and_then(Value::as_str) {
        Some("array") => (b.resolve(schema.get("items")?), true),
        _ => (schema, false),
    };
    schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|v| (v, array))
}

/// The properties of an object schema, its own and its `allOf` members'.
fn properties<'a>(
    b: &Builder<'a>,
    schema: &'a Value,
    out: &mut Vec<(&'a String, &'a Value)>,
    depth: usize,
) {
    let schema = b.resolve(schema);
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            if !out.iter().any(|(n, _)| *n == name) {
                out.push((name, prop));
            }
        }
    }
    if depth < 8 {
        for member in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            properties(b, member, out, depth + 1);
        }
    }
}

/// The cases for the normalized `doc`; `types` are the generated type
/// names (a component without a struct of its name is skipped).
pub fn cases(doc: &Value, types: &BTreeSet<String>) -> EnumCases {
    let b = Builder::new(doc);
    let reachable: BTreeSet<String> = crate::normalize::response_roots(doc)
        .into_iter()
        .filter_map(|p| {
            pointer::tokens(&p)
                .get(2)
                .cloned()
                .filter(|_| p.starts_with("/components/schemas/"))
        })
        .collect();
    let mut out = EnumCases::default();
    for name in &reachable {
        let Some(schema) = doc.pointer(&pointer::schema(name)) else {
            continue;
        };
        let rust_type = crate::names::pascal(name);
        if !types.contains(&rust_type) {
            continue;
        }
        let mut props = Vec::new();
        properties(&b, schema, &mut props, 0);
        for (prop, prop_schema) in props {
            let Some((values, array)) = enum_of(&b, prop_schema) else {
                continue;
            };
            if values.len() <= 1 {
                out.closed.push(format!("{name}.{prop}"));
                continue;
            }
            let unlisted = if values.iter().all(Value::is_i64) {
                Value::from(UNLISTED_INT)
            } else {
                Value::from(UNLISTED)
            };
            let mut instance = b.minimal(schema);
            let Some(obj) = instance.as_object_mut() else {
                continue;
            };
            obj.insert(
                prop.to_string(),
                if array {
                    Value::Array(vec![unlisted])
                } else {
                    unlisted
                },
            );
            out.cases.push(EnumCase {
                schema: name.clone(),
                rust_type: rust_type.clone(),
                property: prop.to_string(),
                instance,
            });
        }
    }
    out
}

/// `(method name, success type)` of every builder `send` that decodes
/// JSON, from the rewritten client: the `send_json::<T>` call of a block
/// and the method name its `static OPERATION` names (see
/// [`super::send`]).
pub fn success_types(file: &syn::File) -> Vec<(String, TokenStream)> {
    struct Finder(Vec<(String, TokenStream)>);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_block(&mut self, block: &'ast syn::Block) {
            syn::visit::visit_block(self, block);
            let Some(name) = block.stmts.iter().find_map(operation_name) else {
                return;
            };
            let mut call = SendJson(None);
            for stmt in &block.stmts {
                syn::visit::Visit::visit_stmt(&mut call, stmt);
            }
            if let Some(ty) = call.0 {
                self.0.push((name, ty));
            }
        }
    }
    let mut f = Finder(Vec::new());
    for item in file.items.iter().filter(|i| !super::is_types_module(i)) {
        syn::visit::Visit::visit_item(&mut f, item);
    }
    f.0.sort_by(|a, b| a.0.cmp(&b.0));
    f.0
}

/// The method name of `static OPERATION: MethodOperation = MethodOperation::new("name");`.
fn operation_name(stmt: &syn::Stmt) -> Option<String> {
    let syn::Stmt::Item(syn::Item::Static(s)) = stmt else {
        return None;
    };
    let syn::Expr::Call(call) = &*s.expr else {
        return None;
    };
    let syn::Expr::Path(func) = &*call.func else {
        return None;
    };
    if s.ident != "OPERATION" || !super::path_ends_with(&func.path, &["MethodOperation", "new"]) {
        return None;
    }
    match call.args.first() {
        Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(name),
            ..
        })) => Some(name.value()),
        _ => None,
    }
}

/// The `T` of a `send_json::<T>(..)` call.
struct SendJson(Option<TokenStream>);

impl<'ast> syn::visit::Visit<'ast> for SendJson {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        syn::visit::visit_expr_call(self, call);
        let syn::Expr::Path(p) = &*call.func else {
            return;
        };
        let Some(last) = p.path.segments.last().filter(|l| l.ident == "send_json") else {
            return;
        };
        if let syn::PathArguments::AngleBracketed(args) = &last.arguments
            && let Some(syn::GenericArgument::Type(ty)) = args.args.first()
        {
            self.0 = Some(ty.to_token_stream());
        }
    }
}

/// `dispatch.rs`: decode by type name, decode by operation.
pub fn dispatch(
    types: &BTreeSet<String>,
    cases: &EnumCases,
    ops: &[(String, TokenStream)],
) -> TokenStream {
    let names: BTreeSet<&String> = cases
        .cases
        .iter()
        .map(|c| &c.rust_type)
        .filter(|t| types.contains(*t))
        .collect();
    let type_arms = names.iter().map(|n| {
        let ident = format_ident!("{}", n);
        let lit = n.as_str();
        quote!(#lit => Some(roundtrip_as::<types::#ident>(body, strict)),)
    });
    // The types are written as in the builder module, which imports
    // `types` as this file does.
    let op_arms = ops
        .iter()
        .map(|(method, ty)| quote!(#method => Some(decode_as::<#ty>(body, strict)),));
    let op_names = ops.iter().map(|(m, _)| m.as_str());
    quote! {
        #![allow(clippy::all, unused)]
        use pinterest_api::types;

        /// Decodes `body` as `T` and encodes it again.
        fn roundtrip_as<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(body: &[u8], strict: bool) -> Result<::serde_json::Value, String> {
            let value: T = pinterest_api::decode::json(body, strict).map_err(|f| format!("{} at {}", f.reason, f.path))?;
            ::serde_json::to_value(&value).map_err(|e| e.to_string())
        }

        /// Decodes `body` as `T`.
        fn decode_as<T: ::serde::de::DeserializeOwned>(body: &[u8], strict: bool) -> Result<(), String> {
            pinterest_api::decode::json::<T>(body, strict).map(drop).map_err(|f| format!("{} at {}", f.reason, f.path))
        }

        /// Decodes `body` as the generated type `name` and re-encodes it
        /// (`None`: no such type among the cases).
        pub fn roundtrip(name: &str, body: &[u8], strict: bool) -> Option<Result<::serde_json::Value, String>> {
            match name {
                #(#type_arms)*
                _ => None,
            }
        }

        /// Decodes `body` as the success body of the operation whose
        /// generated method is `method` (`None`: no JSON success body).
        pub fn decode_success(method: &str, body: &[u8], strict: bool) -> Option<Result<(), String>> {
            match method {
                #(#op_arms)*
                _ => None,
            }
        }

        /// The generated methods with a JSON success body.
        pub const OPERATIONS: &[&str] = &[#(#op_names),*];
    }
}

/// The cases as the JSON file the test reads.
pub fn cases_json(cases: &EnumCases) -> String {
    let mut by_schema: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &cases.cases {
        *by_schema.entry(&c.schema).or_default() += 1;
    }
    serde_json::to_string_pretty(cases).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn success_types_are_read_from_the_rewritten_sends() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                use super::{Error, OperationInfo, ResponseValue};
                impl<'a> PinsGet<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Pin>, Error<types::Error>> {
                        let Self { client } = self;
                        let url = format!("{}/pins/42", client.baseurl);
                        let mut request = client.client.get(url).build()?;
                        let info = OperationInfo { operation_id: "pins_get" };
                        let result = client.exec(request, &info).await;
                        ResponseValue::from_response(result?).await
                    }
                }
                impl<'a> PinsDelete<'a> {
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<types::Error>> {
                        let Self { client } = self;
                        let url = format!("{}/pins/42", client.baseurl);
                        let mut request = client.client.delete(url).build()?;
                        let info = OperationInfo { operation_id: "pins_delete" };
                        let result = client.exec(request, &info).await;
                        Ok(ResponseValue::empty(result?))
                    }
                }
            }
        };
        assert!(super::super::send::rewrite(&mut file).is_empty());
        let found: Vec<(String, String)> = success_types(&file)
            .into_iter()
            .map(|(name, ty)| (name, ty.to_string()))
            .collect();
        assert_eq!(
            found,
            [("pins_get".to_string(), "types :: Pin".to_string())]
        );
    }

    #[test]
    fn every_reachable_enum_property_gets_a_case_and_discriminators_are_listed() {
        let doc = json!({
            "paths": {"/p": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pin"}}}}}}}},
            "components": {"schemas": {
                "Pin": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"},
                    "status": {"type": "string", "enum": ["ACTIVE", "ARCHIVED"]},
                    "kinds": {"type": "array", "items": {"$ref": "#/components/schemas/Kind"}},
                    "source_type": {"type": "string", "enum": ["image_url"]}
                }},
                "Kind": {"type": "string", "enum": ["A", "B"]},
                "RequestOnly": {"type": "object", "properties": {"x": {"type": "string", "enum": ["1", "2"]}}}
            }}
        });
        let types: BTreeSet<String> = ["Pin", "RequestOnly", "Kind"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let found = cases(&doc, &types);
        let props: Vec<&str> = found.cases.iter().map(|c| c.property.as_str()).collect();
        assert_eq!(props, ["status", "kinds"]);
        assert_eq!(
            found.cases[1].instance,
            json!({"id": "x", "kinds": [UNLISTED]})
        );
        assert_eq!(found.closed, ["Pin.source_type"]);
    }
}
