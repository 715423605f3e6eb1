//! `default_responses`: progenitor counts a `default` response as a
//! possible success next to the `2xx` ones and then fails its
//! `response_types.len() <= 1` assertion when their schemas differ.
//!
//! In Pinterest's spec `default` always means "any error". Where an
//! operation has at least one `2xx` response, the pass replaces `default`
//! by the ranges `4XX` and `5XX` (keeping explicitly listed codes, which
//! take precedence), so errors decode into the same typed error body and
//! every other status stays "unexpected". An operation whose only response
//! is `default` is left alone: there it really is the success response.

use serde_json::Value;

use super::{Instructions, Pass, Touch, touch};
use crate::spec;

pub(crate) struct DefaultResponses;

impl Pass for DefaultResponses {
    const NAME: &'static str = "default_responses";

    fn run(doc: &mut Value, _out: &mut Instructions) -> Vec<Touch> {
        let targets: Vec<String> = spec::operations(doc)
            .into_iter()
            .filter(|op| {
                let Some(responses) = op.op.get("responses").and_then(Value::as_object) else {
                    return false;
                };
                responses.contains_key("default")
                    && responses.keys().any(|code| code.starts_with('2'))
            })
            .map(|op| format!("{}/responses", op.pointer()))
            .collect();
        let mut touched = Vec::new();
        for at in targets {
            touched.push(touch(doc, &format!("{at}/default"), "default -> 4XX + 5XX"));
            let Some(responses) = doc.pointer_mut(&at).and_then(Value::as_object_mut) else {
                continue;
            };
            let Some(default) = responses.shift_remove("default") else {
                continue;
            };
            for range in ["4XX", "5XX"] {
                responses
                    .entry(range.to_string())
                    .or_insert_with(|| default.clone());
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
    fn default_next_to_success_becomes_error_ranges() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "a/get", "responses": {
                "200": {"description": "ok"},
                "404": {"description": "nf"},
                "default": {"description": "err", "content": {}}
            }}},
            "/b": {"get": {"operationId": "b/get", "responses": {
                "default": {"description": "only"}
            }}}
        }});
        let touched = DefaultResponses::run(&mut doc, &mut Instructions::default());
        assert_eq!(touched.len(), 1);
        assert_eq!(touched[0].pointer, "/paths/~1a/get/responses/default");
        let a = &doc["paths"]["/a"]["get"]["responses"];
        assert!(a.get("default").is_none());
        assert_eq!(a["4XX"]["description"], "err");
        assert_eq!(a["5XX"]["description"], "err");
        assert_eq!(a["404"]["description"], "nf");
        assert!(
            doc["paths"]["/b"]["get"]["responses"]
                .get("default")
                .is_some()
        );
    }
}
