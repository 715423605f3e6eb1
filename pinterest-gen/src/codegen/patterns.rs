//! String patterns checked without a regex engine. typify checks a
//! string type's `pattern` with `regress` on every construction and every
//! decode; most of Pinterest's patterns are `^\d+$` (44 of 55 in 5.23.0:
//! the ids), which a byte scan checks for a fraction of the cost (about
//! 1,300 instructions per id decoded with `regress`). Those checks
//! become `crate::decode::is_ascii_digits(..)`; other patterns keep
//! `regress`.

use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// The pattern a byte scan replaces: ECMAScript `^\d+$`, one or more
/// ASCII digits and nothing else (`\d` is ASCII-only, `$` is the end).
const DIGITS: &str = r"^\d+$";

/// Replaces the `^\d+$` pattern checks in `file`; returns how many.
pub fn simplify(file: &mut syn::File) -> usize {
    let mut pass = Digits(0);
    pass.visit_file_mut(file);
    pass.0
}

struct Digits(usize);

impl VisitMut for Digits {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        let Some(at) = block.stmts.iter().position(is_digits_pattern) else {
            return;
        };
        // Rewritten on a copy, kept only when no other use of the
        // pattern is left.
        let mut copy = block.clone();
        copy.stmts.remove(at);
        let mut uses = Uses(0);
        for stmt in &mut copy.stmts {
            uses.visit_stmt_mut(stmt);
        }
        let left = copy.to_token_stream().to_string().contains("PATTERN");
        if uses.0 > 0 && !left {
            *block = copy;
            self.0 += uses.0;
        }
    }
}

/// `static PATTERN: LazyLock<Regex> = LazyLock::new(|| Regex::new("^\\d+$").unwrap());`
fn is_digits_pattern(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Item(syn::Item::Static(s)) = stmt else {
        return false;
    };
    if s.ident != "PATTERN" {
        return false;
    }
    let mut lits = Lits(Vec::new());
    syn::visit::Visit::visit_expr(&mut lits, &s.expr);
    lits.0 == [DIGITS]
}

/// The string literals of an expression.
struct Lits(Vec<String>);

impl<'ast> syn::visit::Visit<'ast> for Lits {
    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        self.0.push(lit.value());
    }
}

/// `PATTERN.find(x).is_none()` becomes `!crate::decode::is_ascii_digits(x)`.
struct Uses(usize);

impl VisitMut for Uses {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::MethodCall(is_none) = expr else {
            return;
        };
        let syn::Expr::MethodCall(find) = &*is_none.receiver else {
            return;
        };
        let on_pattern =
            matches!(&*find.receiver, syn::Expr::Path(p) if p.path.is_ident("PATTERN"));
        if is_none.method == "is_none"
            && find.method == "find"
            && on_pattern
            && find.args.len() == 1
        {
            let arg = &find.args[0];
            *expr = syn::parse_quote!(!crate::decode::is_ascii_digits(#arg));
            self.0 += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A string type's `FromStr` as typify generates it for `pattern`.
    fn from_str_with_pattern(ty: &str, pattern: &str) -> syn::Item {
        let ty = syn::Ident::new(ty, proc_macro2::Span::call_site());
        let message = format!("doesn't match pattern \"{pattern}\"");
        syn::parse_quote! {
            impl ::std::str::FromStr for #ty {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                    static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                        ::std::sync::LazyLock::new(|| { ::regress::Regex::new(#pattern).unwrap() });
                    if PATTERN.find(value).is_none() {
                        return Err(#message.into());
                    }
                    Ok(Self(value.to_string()))
                }
            }
        }
    }

    #[test]
    fn digit_patterns_become_a_byte_scan_and_others_stay() {
        let digits = from_str_with_pattern("PinId", r"^\d+$");
        let link = from_str_with_pattern("Link", "^(http|https)://");
        let mut file: syn::File = syn::parse_quote!(#digits #link);
        assert_eq!(simplify(&mut file), 1);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("if ! crate :: decode :: is_ascii_digits (value)"),
            "{text}"
        );
        assert_eq!(text.matches("static PATTERN").count(), 1, "{text}");
        assert!(text.contains("(http|https)://"), "{text}");
        // The error message still names the pattern.
        assert!(
            text.contains(r#"doesn't match pattern \"^\\d+$\""#),
            "{text}"
        );
    }

    #[test]
    fn a_pattern_used_another_way_is_left_alone() {
        let mut file: syn::File = syn::parse_quote! {
            fn check(value: &str) -> bool {
                static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                    ::std::sync::LazyLock::new(|| { ::regress::Regex::new("^\\d+$").unwrap() });
                PATTERN.find(value).is_some()
            }
        };
        assert_eq!(simplify(&mut file), 0);
        assert!(
            file.to_token_stream()
                .to_string()
                .contains("static PATTERN")
        );
    }
}
