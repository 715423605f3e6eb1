//! The enums typify cannot generate (see the `enum_variant_collisions`
//! pass), written in the same shape typify uses for string enums.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::normalize::EnumReplacement;

/// The path other generated code uses for a replacement enum.
pub fn replacement_path(r: &EnumReplacement) -> String {
    format!("crate::types::{}", r.rust_name)
}

/// Items for `mod types`: the enum and its conversions.
pub fn enum_items(r: &EnumReplacement) -> TokenStream {
    let name = format_ident!("{}", r.rust_name);
    let doc = r
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}`", r.rust_name));
    let idents: Vec<_> = r
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.ident))
        .collect();
    let values: Vec<&str> = r.variants.iter().map(|v| v.value.as_str()).collect();
    quote! {
        #[doc = #doc]
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, Hash, PartialEq)]
        pub enum #name {
            #( #[serde(rename = #values)] #idents, )*
        }
        impl #name {
            /// The value as it goes over the wire.
            pub const fn as_str(&self) -> &'static str {
                match self { #( Self::#idents => #values, )* }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = self::error::ConversionError;
            fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                match value {
                    #( #values => Ok(Self::#idents), )*
                    _ => Err("invalid value".into()),
                }
            }
        }
        impl ::std::convert::TryFrom<&str> for #name {
            type Error = self::error::ConversionError;
            fn try_from(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                value.parse()
            }
        }
        impl ::std::convert::TryFrom<::std::string::String> for #name {
            type Error = self::error::ConversionError;
            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, self::error::ConversionError> {
                value.parse()
            }
        }
    }
}
