//! Query encodings progenitor does not produce itself, used by the
//! generated code for the parameters pinterest-gen's normalization flags:
//! `style: deepObject` and delimited arrays (`explode: false`).
//!
//! Both serialize into the pairs `reqwest::RequestBuilder::query` expects,
//! so they slot in where progenitor would put its own `QueryParam`.

use serde::Serialize;
use serde::ser::Error as _;
use serde_json::Value;

/// `name[key]=value` for each field of an object (nested objects become
/// `name[a][b]=value`, arrays repeat the key, `null`/`None` is omitted).
///
/// ```
/// # use pinterest_api::query::DeepObject;
/// let filters = serde_json::json!({"catalog_type": "RETAIL", "item_ids": ["1", "2"]});
/// let url = pinterest_api::tls::http_client_builder().build().unwrap()
///     .get("http://h/items")
///     .query(&DeepObject::new("filters", &filters))
///     .build()
///     .unwrap()
///     .url()
///     .clone();
/// assert_eq!(
///     url.query(),
///     Some("filters%5Bcatalog_type%5D=RETAIL&filters%5Bitem_ids%5D=1&filters%5Bitem_ids%5D=2")
/// );
/// ```
pub struct DeepObject<'a, T: ?Sized> {
    name: &'a str,
    value: &'a T,
}

impl<'a, T: ?Sized> DeepObject<'a, T> {
    /// Encodes `value` under the parameter `name`.
    pub fn new(name: &'a str, value: &'a T) -> Self {
        DeepObject { name, value }
    }
}

impl<T: Serialize + ?Sized> Serialize for DeepObject<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = serde_json::to_value(self.value).map_err(S::Error::custom)?;
        deep_object_pairs(self.name, &value).serialize(serializer)
    }
}

/// The `(key, value)` pairs of `value` as a deepObject parameter `name`.
pub(crate) fn deep_object_pairs(name: &str, value: &Value) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    flatten(name.to_string(), value, &mut pairs);
    pairs
}

fn flatten(prefix: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, child) in map {
                flatten(format!("{prefix}[{key}]"), child, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                flatten(prefix.clone(), item, out);
            }
        }
        Value::String(s) => out.push((prefix, s.clone())),
        Value::Bool(_) | Value::Number(_) => out.push((prefix, value.to_string())),
    }
}

/// An array as one value, elements joined by a separator (`name=a,b`).
/// An empty array or `None` sends nothing.
///
/// ```
/// # use pinterest_api::query::Delimited;
/// let columns = vec!["SPEND_IN_DOLLAR", "TOTAL_CLICKTHROUGH"];
/// let request = pinterest_api::tls::http_client_builder().build().unwrap()
///     .get("http://h/analytics")
///     .query(&Delimited::new("columns", ',', &columns))
///     .build()
///     .unwrap();
/// assert_eq!(request.url().query(), Some("columns=SPEND_IN_DOLLAR%2CTOTAL_CLICKTHROUGH"));
/// ```
pub struct Delimited<'a, T: ?Sized> {
    name: &'a str,
    separator: char,
    value: &'a T,
}

impl<'a, T: ?Sized> Delimited<'a, T> {
    /// Encodes `value` under `name`, joined by `separator`.
    pub fn new(name: &'a str, separator: char, value: &'a T) -> Self {
        Delimited {
            name,
            separator,
            value,
        }
    }
}

impl<T: Serialize + ?Sized> Serialize for Delimited<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = serde_json::to_value(self.value).map_err(S::Error::custom)?;
        let parts: Vec<String> = match &value {
            Value::Null => Vec::new(),
            Value::Array(items) => items
                .iter()
                .map(|item| scalar_text(item).ok_or(item))
                .collect::<Result<_, _>>()
                .map_err(|item| {
                    S::Error::custom(format!(
                        "query parameter `{}`: element {item} is not a scalar",
                        self.name
                    ))
                })?,
            other => scalar_text(other).into_iter().collect(),
        };
        let pairs: Vec<(&str, String)> = if parts.is_empty() {
            Vec::new()
        } else {
            vec![(self.name, parts.join(&self.separator.to_string()))]
        };
        pairs.serialize(serializer)
    }
}

pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(value.to_string()),
        _ => None,
    }
}
