//! `naive_date_times`: typify maps `format: date-time` to
//! `chrono::DateTime<Utc>`, which only parses timestamps with an offset.
//! Pinterest sends some without one (the spec's own examples include
//! `2024-01-01T20:10:40`), and one such field fails the whole response.
//!
//! The pass drops `format: date-time` so these fields are `String`s that
//! hold the timestamp exactly as sent; `pinterest_ext::parse_timestamp`
//! reads both forms. (`format: date` is left alone: Pinterest's dates are
//! plain `YYYY-MM-DD`.)

use serde_json::Value;

use super::{Instructions, Pass, Touch, touch};
use crate::walk;

pub(crate) struct NaiveDateTimes;

impl Pass for NaiveDateTimes {
    const NAME: &'static str = "naive_date_times";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let targets: Vec<String> = walk::schemas(doc)
            .into_iter()
            .map(|f| f.pointer)
            .filter(|at| {
                doc.pointer(at)
                    .and_then(|s| s.get("format"))
                    .and_then(Value::as_str)
                    == Some("date-time")
            })
            .collect();
        let mut touched = Vec::new();
        for at in targets {
            touched.push(touch(
                doc,
                &at,
                "format date-time -> String (offset-less timestamps occur)",
            ));
            if let Some(obj) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
                obj.remove("format");
            }
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn date_times_become_strings_and_dates_stay() {
        let mut doc = json!({"components": {"schemas": {"Batch": {"type": "object", "properties": {
            "created_time": {"type": "string", "format": "date-time", "example": "2024-01-01T20:10:40"},
            "day": {"type": "string", "format": "date"}
        }}}}});
        let touched = NaiveDateTimes::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 1);
        let props = &doc["components"]["schemas"]["Batch"]["properties"];
        assert!(props["created_time"].get("format").is_none());
        assert_eq!(props["day"]["format"], "date");
    }
}
