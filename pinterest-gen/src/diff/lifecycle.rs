//! Deprecation and sunset dates, judged in one place for operations,
//! parameters and properties: what a change of `deprecated`/`x-sunset`
//! is, and how a removed item had been retired. Each caller maps the
//! outcome to its own rules.

use chrono::NaiveDate;
use serde_json::Value;

use super::parse_date;

/// `deprecated` and `x-sunset` of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lifecycle {
    pub deprecated: bool,
    pub sunset: Option<String>,
}

impl Lifecycle {
    /// Reads them from an operation, parameter or schema.
    pub fn of(item: &Value) -> Lifecycle {
        Lifecycle {
            deprecated: item.get("deprecated") == Some(&Value::Bool(true)),
            sunset: match item.get("x-sunset") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            },
        }
    }
}

/// How an item present in both documents changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Transition {
    /// Deprecated, without a sunset date.
    Deprecated,
    /// Deprecated with a sunset date.
    DeprecatedWithSunset(String),
    /// Deprecated with a sunset that is not a date.
    DeprecatedSunsetInvalid(String),
    /// No longer deprecated.
    Reactivated,
    /// Still deprecated, the sunset date removed.
    SunsetDeleted,
    /// Still deprecated, the sunset changed to something not a date.
    SunsetChangedInvalid(String),
}

/// The transition from `a` to `b`, if any.
pub(crate) fn transition(a: &Lifecycle, b: &Lifecycle) -> Option<Transition> {
    match (a.deprecated, b.deprecated) {
        (false, true) => Some(match &b.sunset {
            None => Transition::Deprecated,
            Some(s) if parse_date(s).is_none() => Transition::DeprecatedSunsetInvalid(s.clone()),
            Some(s) => Transition::DeprecatedWithSunset(s.clone()),
        }),
        (true, false) => Some(Transition::Reactivated),
        (true, true) => match (&a.sunset, &b.sunset) {
            (Some(_), None) => Some(Transition::SunsetDeleted),
            (x, Some(s)) if x.as_deref() != Some(s.as_str()) && parse_date(s).is_none() => {
                Some(Transition::SunsetChangedInvalid(s.clone()))
            }
            _ => None,
        },
        (false, false) => None,
    }
}

/// How a removed item had been retired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Removal {
    /// It was not deprecated.
    WithoutDeprecation,
    /// It was deprecated (without a sunset, or after its sunset date).
    WithDeprecation,
    /// It was deprecated, but its sunset date is still ahead.
    BeforeSunset(String),
    /// It was deprecated with a sunset that is not a date.
    SunsetInvalid(String),
}

/// How the item `a` (of the base) was retired, as of `today`.
pub(crate) fn removal(a: &Lifecycle, today: NaiveDate) -> Removal {
    if !a.deprecated {
        return Removal::WithoutDeprecation;
    }
    match &a.sunset {
        None => Removal::WithDeprecation,
        Some(s) => match parse_date(s) {
            None => Removal::SunsetInvalid(s.clone()),
            Some(day) if today < day => Removal::BeforeSunset(s.clone()),
            Some(_) => Removal::WithDeprecation,
        },
    }
}

impl Removal {
    /// What happened to `what`, in words.
    pub fn describe(&self, what: &str) -> String {
        match self {
            Removal::WithoutDeprecation => format!("{what} removed without deprecation"),
            Removal::WithDeprecation => format!("deprecated {what} removed"),
            Removal::BeforeSunset(s) => format!("{what} removed before its sunset date {s}"),
            Removal::SunsetInvalid(s) => {
                format!("{what} removed; its sunset date {s:?} cannot be parsed")
            }
        }
    }
}

impl Transition {
    /// What happened to `what`, in words.
    pub fn describe(&self, what: &str) -> String {
        match self {
            Transition::Deprecated => format!("{what} deprecated"),
            Transition::DeprecatedWithSunset(s) => format!("{what} deprecated, sunset {s}"),
            Transition::DeprecatedSunsetInvalid(s) => {
                format!("{what} deprecated with sunset date {s:?}, which cannot be parsed")
            }
            Transition::Reactivated => format!("{what} no longer deprecated"),
            Transition::SunsetDeleted => format!("{what}: sunset date removed"),
            Transition::SunsetChangedInvalid(s) => {
                format!("{what}: sunset date changed to {s:?}, which cannot be parsed")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn l(v: Value) -> Lifecycle {
        Lifecycle::of(&v)
    }

    #[test]
    fn transitions_and_removals() {
        let live = l(json!({}));
        let dep = l(json!({"deprecated": true}));
        let dated = l(json!({"deprecated": true, "x-sunset": "2030-01-01"}));
        let garbled = l(json!({"deprecated": true, "x-sunset": "2030-02-31"}));
        assert_eq!(transition(&live, &dep), Some(Transition::Deprecated));
        assert_eq!(
            transition(&live, &dated),
            Some(Transition::DeprecatedWithSunset("2030-01-01".into()))
        );
        assert_eq!(
            transition(&live, &garbled),
            Some(Transition::DeprecatedSunsetInvalid("2030-02-31".into()))
        );
        assert_eq!(transition(&dep, &live), Some(Transition::Reactivated));
        assert_eq!(transition(&dated, &dep), Some(Transition::SunsetDeleted));
        assert_eq!(
            transition(&dated, &garbled),
            Some(Transition::SunsetChangedInvalid("2030-02-31".into()))
        );
        assert_eq!(transition(&dated, &dated), None);

        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(removal(&live, today), Removal::WithoutDeprecation);
        assert_eq!(removal(&dep, today), Removal::WithDeprecation);
        assert_eq!(
            removal(&dated, today),
            Removal::BeforeSunset("2030-01-01".into())
        );
        let past = l(json!({"deprecated": true, "x-sunset": "2020-01-01"}));
        assert_eq!(removal(&past, today), Removal::WithDeprecation);
        assert_eq!(
            removal(&garbled, today),
            Removal::SunsetInvalid("2030-02-31".into())
        );
    }
}
