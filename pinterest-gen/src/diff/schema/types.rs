//! Types, formats and nullability; a schema newly wrapped in `oneOf`.

use serde_json::Value;

use super::{Compare, Dir, Pair, Place};
use crate::diff::rules::{Change, Rule};

impl Compare<'_, '_> {
    /// A top-level schema wrapped in a `oneOf` is a different shape
    /// altogether: reported, and nothing below it is compared.
    pub(super) fn wrapped_in_one_of(&mut self, at: &Pair) -> bool {
        let wrapped = at.top()
            && at.a.get("oneOf").is_none()
            && at.b.get("oneOf").is_some()
            && (at.a.get("properties").is_some() || at.a.get("type").is_some());
        if wrapped {
            self.emit(at, Change::WrappedInOneOf, "now wrapped in oneOf".into());
        }
        wrapped
    }

    pub(super) fn types(&mut self, at: &Pair) {
        let t = |s: &Value| s.get("type").and_then(Value::as_str).map(str::to_string);
        let f = |s: &Value| s.get("format").and_then(Value::as_str).map(str::to_string);
        let (Some(ta), Some(tb)) = (t(at.a), t(at.b)) else {
            return;
        };
        let (fa, fb) = (f(at.a), f(at.b));
        let format_changed = fa.is_some() && fb.is_some() && fa != fb;
        if ta == tb && !format_changed {
            return;
        }
        let detail = format!(
            "type/format changed from {ta}{} to {tb}{}",
            fa.map(|f| format!("/{f}")).unwrap_or_default(),
            fb.map(|f| format!("/{f}")).unwrap_or_default()
        );
        if matches!(self.place, Place::Body { loose: true }) {
            self.emit(at, Change::TypeCompatible, detail);
            return;
        }
        let param = matches!(self.place, Place::Param { .. });
        let change = match (self.dir, ta.as_str(), tb.as_str()) {
            (_, "integer", "number") => Change::TypeGeneralized,
            (Dir::Response, "number", "integer") => Change::TypeSpecialized,
            (Dir::Request, "string", _) if param && !at.top() => Change::TypeSpecialized,
            _ => Change::TypeChanged,
        };
        // Subjects without the finer rule report a plain type change.
        let has_rule = self
            .subject(at.path)
            .is_some_and(|s| Rule::for_schema(s, change).is_some());
        let change = if has_rule {
            change
        } else {
            Change::TypeChanged
        };
        self.emit(at, change, detail);
    }

    pub(super) fn nullable(&mut self, at: &Pair) {
        let n = |s: &Value| s.get("nullable") == Some(&Value::Bool(true));
        match (n(at.a), n(at.b)) {
            (false, true) => self.emit(at, Change::BecameNullable, "became nullable".into()),
            (true, false) => self.emit(at, Change::BecameNotNullable, "became not nullable".into()),
            _ => {}
        }
    }
}
