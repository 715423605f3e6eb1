//! `open_enum!`: the shape of every string enum in [`crate::types`]. The
//! generator writes one invocation per enum (the cfg gates and docs first,
//! then the variants with their wire values); the macro expands to the enum
//! with an `Unknown(String)` catch-all, its [`OpenEnum`](crate::OpenEnum)
//! impl, `as_str`, `Display`, `FromStr` (infallible), `From<&str>`,
//! `From<String>`, and serde impls that round-trip any value.

macro_rules! open_enum {
    (
        $(#[cfg($cfg:meta)])*
        $(#[doc = $doc:expr])*
        pub enum $name:ident {
            $( $variant:ident = $value:literal ),* $(,)?
        }
    ) => {
        $(#[cfg($cfg)])*
        $(#[doc = $doc])*
        ///
        /// Open: a value the spec does not list decodes as `Unknown` (see
        /// [`crate::decode`]), and `#[non_exhaustive]`: values a newer spec
        /// adds become variants in a minor release.
        #[derive(Clone, Debug, Eq, Hash, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!("`", $value, "`")]
                $variant,
            )*
            /// A value the spec this client was generated from does not
            /// list, kept as Pinterest sent it.
            Unknown(::std::string::String),
        }

        $(#[cfg($cfg)])*
        impl $name {
            /// The value as it goes over the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        $(#[cfg($cfg)])*
        impl $crate::OpenEnum for $name {
            const NAME: &'static str = stringify!($name);
            const KNOWN: &'static [&'static str] = &[$($value),*];
            fn as_str(&self) -> &str {
                $name::as_str(self)
            }
            fn from_wire(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
            fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        $(#[cfg($cfg)])*
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $(#[cfg($cfg)])*
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(<Self as $crate::OpenEnum>::from_wire(value))
            }
        }

        $(#[cfg($cfg)])*
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                <Self as $crate::OpenEnum>::from_wire(value)
            }
        }

        $(#[cfg($cfg)])*
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                <Self as $crate::OpenEnum>::from_wire(&value)
            }
        }

        $(#[cfg($cfg)])*
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        $(#[cfg($cfg)])*
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::decode::open_enum(deserializer)
            }
        }
    };
}

pub(crate) use open_enum;
