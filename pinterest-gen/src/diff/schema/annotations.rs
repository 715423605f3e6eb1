//! `default` values and the deprecation of properties.

use super::{Compare, Pair, text};
use crate::diff::lifecycle::{Lifecycle, Transition, transition};
use crate::diff::rules::Change;

impl Compare<'_, '_> {
    pub(super) fn default_value(&mut self, at: &Pair) {
        let change = match (at.a.get("default"), at.b.get("default")) {
            (None, Some(_)) => Change::DefaultValueAdded,
            (Some(_), None) => Change::DefaultValueRemoved,
            (Some(x), Some(y)) if x != y => Change::DefaultValueChanged,
            _ => return,
        };
        let detail = format!(
            "default changed from {} to {}",
            text(at.a.get("default")),
            text(at.b.get("default"))
        );
        self.emit(at, change, detail);
    }

    /// A property deprecated or reactivated (sunset dates judged by
    /// [`crate::diff::lifecycle`]).
    pub(super) fn deprecation(&mut self, at: &Pair) {
        let Some(t) = transition(&Lifecycle::of(at.a), &Lifecycle::of(at.b)) else {
            return;
        };
        let change = match &t {
            Transition::Deprecated => Change::Deprecated,
            Transition::DeprecatedWithSunset(_) => Change::DeprecatedWithSunset,
            Transition::DeprecatedSunsetInvalid(_) => Change::DeprecatedSunsetInvalid,
            Transition::Reactivated => Change::Reactivated,
            // oasdiff has no property rules for these.
            Transition::SunsetDeleted | Transition::SunsetChangedInvalid(_) => return,
        };
        self.emit(at, change, t.describe("property"));
    }
}
