//! JSON pointers (RFC 6901): building, escaping, and resolving local `$ref`s.

use std::borrow::Cow;

use serde_json::Value;

/// Escapes one reference token: `~` becomes `~0`, `/` becomes `~1`.
///
/// Most tokens (property and schema names) need no escaping; they are
/// borrowed, not copied, since the walks escape every key they visit.
///
/// ```
/// assert_eq!(pinterest_gen::pointer::escape("/pins/{pin_id}"), "~1pins~1{pin_id}");
/// assert!(matches!(pinterest_gen::pointer::escape("board_id"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains('~') || token.contains('/') {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Undoes [`escape`].
pub fn unescape(token: &str) -> String {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~")
    } else {
        token.to_string()
    }
}

/// Joins tokens into a pointer, escaping each.
///
/// ```
/// assert_eq!(pinterest_gen::pointer::join(&["paths", "/pins", "post"]), "/paths/~1pins/post");
/// ```
pub fn join<S: AsRef<str>>(tokens: &[S]) -> String {
    let mut pointer = String::new();
    for token in tokens {
        pointer.push('/');
        pointer.push_str(&escape(token.as_ref()));
    }
    pointer
}

/// The unescaped reference tokens of a pointer.
///
/// ```
/// assert_eq!(pinterest_gen::pointer::tokens("/paths/~1pins/get"), ["paths", "/pins", "get"]);
/// ```
pub fn tokens(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(unescape).collect()
}

/// Pointer of the schema `name` under `components/schemas`.
pub fn schema(name: &str) -> String {
    join(&["components", "schemas", name])
}

/// The name of a `#/components/schemas/NAME` reference, if it is one.
pub fn schema_ref_name(reference: &str) -> Option<String> {
    reference
        .strip_prefix("#/components/schemas/")
        .filter(|rest| !rest.contains('/'))
        .map(unescape)
}

/// The JSON pointer of a local reference (`#/...`): the fragment after
/// `#`, percent-decoded (a reference is a URI). `None` for a reference to
/// another file or a fragment that does not decode to UTF-8.
///
/// ```
/// use pinterest_gen::pointer::fragment;
/// assert_eq!(fragment("#/components/schemas/Ad%20Group").as_deref(), Some("/components/schemas/Ad Group"));
/// assert_eq!(fragment("other.json#/x"), None);
/// ```
pub fn fragment(reference: &str) -> Option<String> {
    let encoded = reference.strip_prefix('#')?;
    if !encoded.contains('%') {
        return Some(encoded.to_string());
    }
    percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// Resolves a local reference (`#/...`) in `doc`.
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let encoded = reference.strip_prefix('#')?;
    if !encoded.contains('%') {
        return doc.pointer(encoded);
    }
    doc.pointer(&fragment(reference)?)
}

/// Follows `$ref`s from `value` until a non-reference value, guarding
/// against cycles. Returns `None` for a dangling or cyclic reference.
pub fn deref<'a>(doc: &'a Value, mut value: &'a Value) -> Option<&'a Value> {
    for _ in 0..64 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => value = resolve(doc, reference)?,
            None => return Some(value),
        }
    }
    None
}

/// A set of JSON pointers, asked whether a pointer lies at or under one of
/// them (`/a/b` is under `/a`, `/ab` is not). A lookup costs one hash probe
/// per `/` in the asked pointer, not one comparison per member.
#[derive(Debug, Default, Clone)]
pub struct Subtrees(std::collections::HashSet<String>);

impl Subtrees {
    /// The set of `pointers`.
    pub fn new(pointers: impl IntoIterator<Item = String>) -> Subtrees {
        Subtrees(pointers.into_iter().collect())
    }

    /// Whether `at` is one of the pointers or lies under one.
    pub fn covers(&self, at: &str) -> bool {
        self.0.contains(at)
            || at
                .match_indices('/')
                .any(|(i, _)| i > 0 && self.0.contains(&at[..i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_roundtrip() {
        for s in ["a/b", "~x", "plain", "~1/~0"] {
            assert_eq!(unescape(&escape(s)), s);
        }
    }

    #[test]
    fn deref_stops_on_cycles() {
        let doc = serde_json::json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}});
        assert!(deref(&doc, &doc["a"]).is_none());
    }

    #[test]
    fn schema_ref_names() {
        assert_eq!(
            schema_ref_name("#/components/schemas/Pin").as_deref(),
            Some("Pin")
        );
        assert_eq!(schema_ref_name("#/components/parameters/x"), None);
        assert_eq!(
            schema_ref_name("#/components/schemas/Pin/properties/id"),
            None
        );
    }

    #[test]
    fn subtrees_cover_their_members_and_what_lies_under_them() {
        let set = Subtrees::new(["/components/schemas/Pin".to_string(), "/a/b".to_string()]);
        assert!(set.covers("/components/schemas/Pin"));
        assert!(set.covers("/components/schemas/Pin/properties/id"));
        assert!(!set.covers("/components/schemas/PinCreate"));
        assert!(!set.covers("/components/schemas"));
        assert!(set.covers("/a/b/c"));
        assert!(!set.covers("/a/bc"));
        assert!(!set.covers(""));
    }
}
