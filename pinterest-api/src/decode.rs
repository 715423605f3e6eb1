//! How response bodies become types, so that a newer Pinterest never
//! breaks an older client:
//!
//! - every string enum of [`crate::types`] is *open*: a value the spec did
//!   not list decodes as its `Unknown(String)` variant, keeps the raw value,
//!   and serializes back to it ([`OpenEnum`]);
//! - every `oneOf`/`anyOf` union has an `Unknown(serde_json::Value)` member
//!   that keeps a shape the spec did not list;
//! - integer enums keep any integer.
//!
//! *Strict mode* turns each of those into a decode error naming the type,
//! the JSON path and the value, for tests and CI that want to notice spec
//! drift ([`Hooks::strict`](crate::Hooks::strict), or [`strict`] around
//! your own decoding). Production keeps working either way.
//!
//! ```
//! use pinterest_api::{decode, types::AccountAccountType};
//! let t: AccountAccountType = serde_json::from_str(r#""PARTNER""#).unwrap();
//! assert_eq!(t, AccountAccountType::Unknown("PARTNER".into()));
//! assert_eq!(serde_json::to_string(&t).unwrap(), r#""PARTNER""#);
//! let strict = decode::strict(|| serde_json::from_str::<AccountAccountType>(r#""PARTNER""#));
//! assert!(strict.unwrap_err().to_string().contains("AccountAccountType"));
//! ```

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

thread_local! {
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (which decodes) in strict mode on this thread: values the spec
/// does not list are errors instead of `Unknown`.
pub fn strict<R>(f: impl FnOnce() -> R) -> R {
    with_strict(true, f)
}

/// Runs `f` with strict mode set to `on` on this thread, restoring the
/// previous setting afterwards (also on panic).
pub fn with_strict<R>(on: bool, f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            STRICT.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(STRICT.with(|s| s.replace(on)));
    f()
}

/// Whether strict mode is on for this thread.
pub fn is_strict() -> bool {
    STRICT.with(Cell::get)
}

/// A string enum generated from the spec, open to values the spec does not
/// list.
///
/// ```
/// use pinterest_api::{OpenEnum, types::AccountAccountType};
/// assert_eq!(AccountAccountType::KNOWN, &["PINNER", "BUSINESS"]);
/// assert!(AccountAccountType::from_wire("PINNER").is_known());
/// assert_eq!(AccountAccountType::from_wire("PARTNER").as_str(), "PARTNER");
/// ```
pub trait OpenEnum: Sized + Clone + fmt::Debug + 'static {
    /// The type's name (for messages).
    const NAME: &'static str;
    /// Every value the spec lists, in the spec's order.
    const KNOWN: &'static [&'static str];
    /// The value as it goes over the wire.
    fn as_str(&self) -> &str;
    /// The variant of a wire value: a known variant, or `Unknown(value)`.
    fn from_wire(value: &str) -> Self;
    /// Whether this is one of the values the spec lists.
    fn is_known(&self) -> bool;
}

/// `Deserialize` of an [`OpenEnum`] (used by generated code).
#[doc(hidden)]
pub fn open_enum<'de, D: Deserializer<'de>, T: OpenEnum>(deserializer: D) -> Result<T, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<T: OpenEnum> Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a string ({})", T::NAME)
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            let v = T::from_wire(value);
            if !v.is_known() && is_strict() {
                return Err(E::custom(format_args!(
                    "unknown value {value:?} for {} (the spec lists {})",
                    T::NAME,
                    T::KNOWN.join(", ")
                )));
            }
            Ok(v)
        }
    }
    deserializer.deserialize_str(V(PhantomData))
}

/// Checks an integer enum's value (used by generated code): any value
/// decodes, but in strict mode one the spec does not list is an error.
#[doc(hidden)]
pub fn check_integer<E: de::Error>(name: &str, known: &[i64], value: i64) -> Result<i64, E> {
    if is_strict() && !known.contains(&value) {
        return Err(E::custom(format_args!(
            "unknown value {value} for {name} (the spec lists {known:?})"
        )));
    }
    Ok(value)
}

/// `Deserialize` of a union's `Unknown` member (used by generated code):
/// keeps the JSON; an error in strict mode.
#[doc(hidden)]
pub fn unknown_member<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<serde_json::Value, D::Error> {
    if is_strict() {
        return Err(de::Error::custom(
            "no member of the union matched (strict mode: a shape the spec does not list)",
        ));
    }
    serde::Deserialize::deserialize(deserializer)
}

/// Writes a union's `Unknown` member for `Display`: a string as itself,
/// anything else as JSON.
#[doc(hidden)]
pub fn fmt_unknown(value: &serde_json::Value, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match value {
        serde_json::Value::String(s) => f.write_str(s),
        other => write!(f, "{other}"),
    }
}

/// Why a body did not decode: the JSON path (empty for the root) and the
/// message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure {
    /// Where decoding stopped, e.g. `items[3].account_type`.
    pub path: String,
    /// What was wrong there.
    pub reason: String,
}

/// Whether `value` matches the ECMAScript pattern `^\d+$`: one or more
/// ASCII digits and nothing else. The generated code checks the spec's
/// id patterns with it instead of a regex (see pinterest-gen's
/// `codegen::patterns`).
///
/// ```
/// use pinterest_api::decode::is_ascii_digits;
/// assert!(is_ascii_digits("549755885175"));
/// assert!(!is_ascii_digits(""));
/// assert!(!is_ascii_digits("12a"));
/// ```
#[inline]
pub fn is_ascii_digits(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
}

/// Decodes a JSON body as `T` (strict mode when `strict`). The fast path
/// is one `serde_json` pass; only on failure is the body decoded again
/// with `serde_path_to_error` to find the path.
pub fn json<T: DeserializeOwned>(body: &[u8], strict: bool) -> Result<T, DecodeFailure> {
    with_strict(strict, || match serde_json::from_slice::<T>(body) {
        Ok(v) => Ok(v),
        Err(first) => {
            let mut de = serde_json::Deserializer::from_slice(body);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => Err(DecodeFailure {
                    path: e.path().to_string(),
                    reason: e.into_inner().to_string(),
                }),
                // A trailing-data error is only seen by from_slice.
                Ok(_) => Err(DecodeFailure {
                    path: String::new(),
                    reason: first.to_string(),
                }),
            }
        }
    })
}
