//! Helpers the generated mocks call: query matchers in the encoding the
//! client sends (repeated keys, comma-joined arrays, deepObject).

use httpmock::When;
use serde::Serialize;
use serde_json::Value;

/// How a query parameter is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=value`; arrays repeat the key.
    Form,
    /// Arrays joined by the separator in one value.
    Delimited(char),
    /// `name[key]=value`.
    DeepObject,
}

/// Adds matchers to `when` for `value` as the client encodes it.
pub fn match_query<T: Serialize + ?Sized>(
    when: When,
    name: &str,
    value: &T,
    style: QueryStyle,
) -> When {
    let value = serde_json::to_value(value).unwrap_or(Value::Null);
    let pairs: Vec<(String, String)> = match style {
        QueryStyle::DeepObject => crate::query::deep_object_pairs(name, &value),
        QueryStyle::Delimited(sep) => match &value {
            Value::Array(items) => {
                let parts: Vec<String> =
                    items.iter().filter_map(crate::query::scalar_text).collect();
                vec![(name.to_string(), parts.join(&sep.to_string()))]
            }
            other => crate::query::scalar_text(other)
                .map(|t| (name.to_string(), t))
                .into_iter()
                .collect(),
        },
        QueryStyle::Form => match &value {
            Value::Array(items) => items
                .iter()
                .filter_map(crate::query::scalar_text)
                .map(|t| (name.to_string(), t))
                .collect(),
            other => crate::query::scalar_text(other)
                .map(|t| (name.to_string(), t))
                .into_iter()
                .collect(),
        },
    };
    if pairs.is_empty() {
        return when.query_param_missing(name);
    }
    pairs
        .into_iter()
        .fold(when, |w, (k, v)| w.query_param(k, v))
}
