//! Bounds (`maximum`, `minimum`, `maxLength`, `minLength`, `maxItems`,
//! `minItems`, `maxProperties`, `minProperties`) and `pattern`. In a
//! request a stricter bound breaks clients; in a response a looser one
//! does (values beyond the old bound may arrive).

use serde_json::Value;

use super::{Compare, Pair, text};
use crate::diff::rules::{Bound, Change, Move, Subject};

/// (keyword, bound, whether a lower value is stricter).
const BOUNDS: [(&str, Bound, bool); 8] = [
    ("maximum", Bound::Max, true),
    ("minimum", Bound::Min, false),
    ("maxLength", Bound::MaxLength, true),
    ("minLength", Bound::MinLength, false),
    ("maxItems", Bound::MaxItems, true),
    ("minItems", Bound::MinItems, false),
    ("maxProperties", Bound::MaxProperties, true),
    ("minProperties", Bound::MinProperties, false),
];

fn number(schema: &Value, key: &str) -> Option<f64> {
    schema.get(key).and_then(Value::as_f64)
}

fn detail(at: &Pair, key: &str) -> String {
    format!(
        "{key} changed from {} to {}",
        text(at.a.get(key)),
        text(at.b.get(key))
    )
}

/// Patterns that accept any string.
fn any_string(pattern: &str) -> bool {
    matches!(
        pattern,
        ".*" | "^.*$" | "(.*)" | "^(.*)$" | "[\\s\\S]*" | "^(?:.*)$"
    )
}

fn pattern(s: &Value) -> Option<&str> {
    s.get("pattern")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
}

impl Compare<'_, '_> {
    pub(super) fn request_bounds(&mut self, at: &Pair) {
        // A read-only property is not sent: its stricter bounds have
        // rules of their own (INFO).
        let read_only = at.read_only && !at.top();
        for (key, bound, lower_is_stricter) in BOUNDS {
            match (number(at.a, key), number(at.b, key)) {
                (None, Some(v)) => {
                    if bound == Bound::MinLength && v > 0.0 {
                        let change = Change::Bound(bound, Move::Increased);
                        self.stricter(at, read_only, change, detail(at, key));
                    } else {
                        self.emit(at, Change::Bound(bound, Move::Set), detail(at, key));
                    }
                }
                (Some(x), Some(y)) if x != y => {
                    let moved = if y < x {
                        Move::Decreased
                    } else {
                        Move::Increased
                    };
                    let change = Change::Bound(bound, moved);
                    if (y < x) == lower_is_stricter {
                        self.stricter(at, read_only, change, detail(at, key));
                    } else {
                        self.emit(at, change, detail(at, key));
                    }
                }
                _ => {}
            }
        }
    }

    fn stricter(&mut self, at: &Pair, read_only: bool, change: Change, detail: String) {
        if read_only {
            self.emit_preferring(Subject::RequestReadOnlyProperty, at, change, detail);
        } else {
            self.emit(at, change, detail);
        }
    }

    pub(super) fn response_bounds(&mut self, at: &Pair) {
        for (key, bound, lower_is_stricter) in BOUNDS {
            let higher_is_wider = lower_is_stricter;
            match (number(at.a, key), number(at.b, key)) {
                (Some(x), Some(y)) if higher_is_wider && y > x => {
                    self.emit(at, Change::Bound(bound, Move::Increased), detail(at, key))
                }
                (Some(x), Some(y)) if !higher_is_wider && y < x => {
                    self.emit(at, Change::Bound(bound, Move::Decreased), detail(at, key))
                }
                (Some(_), None) => {
                    self.emit(at, Change::Bound(bound, Move::Unset), detail(at, key))
                }
                _ => {}
            }
        }
    }

    /// `pattern`: in requests everywhere, in responses below the top.
    pub(super) fn patterns(&mut self, at: &Pair) {
        if !self.request() && at.top() {
            return;
        }
        match (pattern(at.a), pattern(at.b)) {
            (None, Some(p)) => self.emit(at, Change::PatternAdded, format!("pattern {p} added")),
            (Some(p), None) => {
                self.emit(at, Change::PatternRemoved, format!("pattern {p} removed"))
            }
            (Some(p), Some(q)) if p != q => {
                let change = if self.request() && any_string(q) {
                    Change::PatternGeneralized
                } else {
                    Change::PatternChanged
                };
                self.emit(at, change, format!("pattern changed from {p} to {q}"));
            }
            _ => {}
        }
    }
}
