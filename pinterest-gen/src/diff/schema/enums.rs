//! `enum` and `x-extensible-enum` values.

use serde_json::Value;

use super::{Compare, Pair, text};
use crate::diff::rules::{Change, Subject};

impl Compare<'_, '_> {
    pub(super) fn enums(&mut self, at: &Pair) {
        let request = self.request();
        match (values(at.a, "enum"), values(at.b, "enum")) {
            (None, Some(_)) if request => {
                self.emit(at, Change::BecameEnum, "became an enum".into())
            }
            (Some(av), Some(bv)) if av != bv => {
                for removed in av.iter().filter(|v| !bv.contains(v)) {
                    let detail = format!("enum value {} removed", text(Some(removed)));
                    if request && at.read_only && !at.top() {
                        // The client never sends a read-only property.
                        let first = Subject::RequestReadOnlyProperty;
                        self.emit_preferring(first, at, Change::EnumValueRemoved, detail);
                    } else {
                        self.emit(at, Change::EnumValueRemoved, detail);
                    }
                }
                for added in bv.iter().filter(|v| !av.contains(v)) {
                    let detail = format!("enum value {} added", text(Some(added)));
                    if !request && at.write_only && !at.top() {
                        // The server never sends a write-only property.
                        let first = Subject::ResponseWriteOnlyProperty;
                        self.emit_preferring(first, at, Change::EnumValueAdded, detail);
                    } else {
                        self.emit(at, Change::EnumValueAdded, detail);
                    }
                }
            }
            _ => {}
        }
        if request
            && let (Some(av), Some(bv)) = (
                values(at.a, "x-extensible-enum"),
                values(at.b, "x-extensible-enum"),
            )
        {
            for removed in av.iter().filter(|v| !bv.contains(v)) {
                let detail = format!("x-extensible-enum value {} removed", text(Some(removed)));
                self.emit(at, Change::ExtensibleEnumValueRemoved, detail);
            }
        }
    }
}

fn values<'v>(schema: &'v Value, key: &str) -> Option<&'v Vec<Value>> {
    schema.get(key).and_then(Value::as_array)
}
