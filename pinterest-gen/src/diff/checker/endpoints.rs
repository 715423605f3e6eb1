//! Endpoints added and removed (judged by their deprecation and sunset
//! date), deprecated and reactivated, and `x-stability-level` changes.

use chrono::NaiveDate;
use serde_json::Value;

use super::{OpDiff, Sink};
use crate::diff::Rule;
use crate::diff::lifecycle::{Lifecycle, Removal, Transition, removal, transition};
use crate::spec::OperationRef;

/// The `alpha` stability level.
const ALPHA: u8 = 1;

/// `x-stability-level`: `Ok(None)` when absent, `Err` when not one of
/// draft, alpha, beta, stable.
fn stability(op: &Value) -> Result<Option<u8>, String> {
    match op.get("x-stability-level") {
        None => Ok(None),
        Some(Value::String(s)) => match s.as_str() {
            "draft" => Ok(Some(0)),
            "alpha" => Ok(Some(1)),
            "beta" => Ok(Some(2)),
            "stable" => Ok(Some(3)),
            other => Err(other.to_string()),
        },
        Some(other) => Err(other.to_string()),
    }
}

fn name(op: &OperationRef) -> String {
    format!("{} {}", op.method.to_uppercase(), op.path)
}

/// An operation only the revision has.
pub(super) fn added(sink: &mut Sink, b: &OperationRef) {
    sink.push(
        Rule::EndpointAdded,
        format!("endpoint added: {}", name(b)),
        None,
        Some(b.pointer()),
    );
}

/// An operation only the base has (`whole_path`: its path is gone too).
pub(super) fn removed(sink: &mut Sink, a: &OperationRef, whole_path: bool, today: NaiveDate) {
    // Draft and alpha operations carry no stability promise.
    if matches!(stability(a.op), Ok(Some(level)) if level <= ALPHA) {
        return;
    }
    let how = removal(&Lifecycle::of(a.op), today);
    let rule = match (&how, whole_path) {
        (Removal::WithoutDeprecation, true) => Rule::ApiPathRemovedWithoutDeprecation,
        (Removal::WithoutDeprecation, false) => Rule::ApiRemovedWithoutDeprecation,
        (Removal::WithDeprecation, true) => Rule::ApiPathRemovedWithDeprecation,
        (Removal::WithDeprecation, false) => Rule::ApiRemovedWithDeprecation,
        (Removal::BeforeSunset(_), true) => Rule::ApiPathRemovedBeforeSunset,
        (Removal::BeforeSunset(_), false) => Rule::ApiRemovedBeforeSunset,
        (Removal::SunsetInvalid(_), true) => Rule::ApiPathSunsetParse,
        (Removal::SunsetInvalid(_), false) => Rule::ApiDeprecatedSunsetParse,
    };
    sink.push(rule, how.describe(&name(a)), Some(a.pointer()), None);
}

impl OpDiff<'_> {
    /// Stability level and deprecation of an operation in both documents.
    pub(super) fn lifecycle(&mut self) {
        let (ap, bp) = self.pointers();
        let name = self.name();
        let (sa, sb) = (stability(self.a.op), stability(self.b.op));
        match (&sa, &sb) {
            (Err(bad), _) | (_, Err(bad)) => {
                let which = if sa.is_err() { "base" } else { "revision" };
                self.push(
                    Rule::ApiInvalidStabilityLevel,
                    format!("{name}: x-stability-level {bad:?} in the {which} is not one of draft, alpha, beta, stable"),
                    ap.clone(),
                    bp.clone(),
                );
            }
            (Ok(Some(x)), Ok(Some(y))) if y < x => self.push(
                Rule::ApiStabilityDecreased,
                format!("{name}: stability decreased"),
                ap.clone(),
                bp.clone(),
            ),
            (Ok(Some(x)), Ok(Some(y))) if y > x => self.push(
                Rule::ApiStabilityIncreased,
                format!("{name}: stability increased"),
                ap.clone(),
                bp.clone(),
            ),
            _ => {}
        }
        let Some(t) = transition(&Lifecycle::of(self.a.op), &Lifecycle::of(self.b.op)) else {
            return;
        };
        let rule = match &t {
            // A deprecation is only judged with a valid stability level.
            Transition::Deprecated
            | Transition::DeprecatedWithSunset(_)
            | Transition::DeprecatedSunsetInvalid(_)
                if sb.is_err() =>
            {
                return;
            }
            Transition::Deprecated => Rule::EndpointDeprecated,
            Transition::DeprecatedWithSunset(_) => Rule::EndpointDeprecatedWithSunset,
            Transition::DeprecatedSunsetInvalid(_) => Rule::ApiDeprecatedSunsetParse,
            Transition::Reactivated => Rule::EndpointReactivated,
            Transition::SunsetDeleted => Rule::SunsetDeleted,
            Transition::SunsetChangedInvalid(_) => Rule::ApiPathSunsetParse,
        };
        self.push(rule, t.describe(&name), ap, bp);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{diff_ids, doc};
    use super::*;

    #[test]
    fn sunset_dates_decide_how_a_removal_is_judged() {
        let base = doc(json!({"deprecated": true, "x-sunset": "2000-01-01", "responses": {}}));
        let mut revision = base.clone();
        revision["paths"]["/pins/{pin_id}"] = json!({"post": {"responses": {}}});
        let removed = |base: &Value| {
            diff_ids(base, &revision)
                .into_iter()
                .find(|id| *id != "endpoint-added")
                .unwrap()
        };
        assert_eq!(removed(&base), "api-removed-with-deprecation");
        let mut future = base.clone();
        future["paths"]["/pins/{pin_id}"]["get"]["x-sunset"] = json!("2999-01-01");
        assert_eq!(removed(&future), "api-removed-before-sunset");
        let mut garbled = base.clone();
        garbled["paths"]["/pins/{pin_id}"]["get"]["x-sunset"] = json!("2030-02-31");
        assert_eq!(removed(&garbled), "api-deprecated-sunset-parse");
    }

    #[test]
    fn stability_levels_are_ordered_and_checked() {
        let op = |s: &str| json!({ "x-stability-level": s });
        assert!(stability(&op("alpha")).unwrap() < stability(&op("beta")).unwrap());
        assert!(stability(&op("experimental")).is_err());
        assert_eq!(stability(&json!({})), Ok(None));
    }
}
