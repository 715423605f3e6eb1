//! Rust names as typify derives them, so passes can predict (and avoid)
//! the names typify would give, and the generator can name its own items
//! the same way.

use heck::{ToPascalCase, ToSnakeCase};

/// Typify's identifier sanitization (typify-impl 0.8 `sanitize`), Pascal
/// case: punctuation becomes a word break, a leading non-letter gets an
/// `X` prefix.
///
/// ```
/// use pinterest_gen::names::pascal;
/// assert_eq!(pascal("Etc/GMT+1"), "EtcGmt1");
/// assert_eq!(pascal("user_account/get"), "UserAccountGet");
/// ```
pub fn pascal(input: &str) -> String {
    sanitize(input, true)
}

/// The name typify gives a schema nested in `components/schemas`, from the
/// pointer's tokens: the component, then each property name on the way
/// (`item` for array items). `None` outside `components/schemas`.
///
/// ```
/// use pinterest_gen::names::nested_schema_name;
/// let tokens = pinterest_gen::pointer::tokens("/components/schemas/Pin/properties/media/items/properties/kind");
/// assert_eq!(nested_schema_name(&tokens).as_deref(), Some("PinMediaItemKind"));
/// ```
pub fn nested_schema_name(tokens: &[String]) -> Option<String> {
    let [c, s, name, rest @ ..] = tokens else {
        return None;
    };
    if c != "components" || s != "schemas" {
        return None;
    }
    let mut parts = vec![name.clone()];
    let mut i = 0;
    while i < rest.len() {
        match rest[i].as_str() {
            "properties" if i + 1 < rest.len() => {
                parts.push(rest[i + 1].clone());
                i += 2;
            }
            "items" => {
                parts.push("item".into());
                i += 1;
            }
            _ => i += 1,
        }
    }
    Some(pascal(&parts.join("-")))
}

/// Typify's identifier sanitization, snake case.
pub fn snake(input: &str) -> String {
    sanitize(input, false)
}

fn sanitize(input: &str, pascal: bool) -> String {
    let to_case = |s: &str| {
        if pascal {
            s.to_pascal_case()
        } else {
            s.to_snake_case()
        }
    };
    let out = match input {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        // Most names are already ASCII words: they go to heck as they are.
        _ if input
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
        {
            to_case(input)
        }
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !unicode_ident::is_xid_continue(c), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => to_case("x"),
        Some(c) if unicode_ident::is_xid_start(c) => out,
        Some(_) => format!("{}{}", to_case("x"), out),
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

/// Whether `word` is a Rust keyword (strict or reserved) or `_`: the words
/// `syn` refuses as an identifier, so the name takes a trailing `_`. The
/// list is syn 3's (`accept_as_ident`); checking it directly costs a
/// string match where parsing the name as a token stream cost a lexer run
/// per name, for every schema, property and enum value.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

/// The variant names typify gives to a string enum, or `None` when typify
/// would fail to make them unique (it panics in that case).
pub fn typify_variant_names(values: &[&str]) -> Option<Vec<String>> {
    let first: Vec<String> = values.iter().map(|v| pascal(v)).collect();
    if all_unique(&first) {
        return Some(first);
    }
    let second: Vec<String> = values
        .iter()
        .map(|v| {
            pascal(&v.replace(
                |c: char| c == '_' || !unicode_ident::is_xid_continue(c),
                "X",
            ))
        })
        .collect();
    all_unique(&second).then_some(second)
}

/// Whether no two names are equal.
pub fn all_unique(names: &[String]) -> bool {
    let mut seen = std::collections::HashSet::new();
    names.iter().all(|n| seen.insert(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_the_words_syn_refuses_as_identifiers() {
        let words = [
            "_", "as", "async", "await", "box", "crate", "dyn", "fn", "gen", "macro", "Self",
            "self", "super", "try", "type", "typeof", "union", "yield", "raw", "default", "Type",
            "r#type", "x", "Pin", "pin_id", "static", "unsized", "priv",
        ];
        for word in words {
            let refused = syn::parse_str::<syn::Ident>(word).is_err();
            assert_eq!(
                is_keyword(word),
                refused && !word.starts_with("r#"),
                "{word}"
            );
        }
        assert_eq!(sanitize("type", false), "type_");
        assert_eq!(pascal("self"), "Self_");
    }

    #[test]
    fn matches_typify_on_awkward_input() {
        assert_eq!(pascal("+1"), "plus1"); // typify special-cases it, unrecased
        assert_eq!(pascal("1st"), "X1st");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(snake("type"), "type_");
        assert_eq!(pascal("IN_PROGRESS"), "InProgress");
    }

    #[test]
    fn detects_colliding_enums() {
        assert!(typify_variant_names(&["Etc/GMT+1", "Etc/GMT-1"]).is_none());
        // The first attempt collides, typify's second (`_` -> `X`) does not.
        assert_eq!(typify_variant_names(&["a_b", "aB"]).unwrap(), ["AXb", "AB"]);
        assert_eq!(
            typify_variant_names(&["ACTIVE", "PAUSED"]).unwrap(),
            ["Active", "Paused"]
        );
    }
}
