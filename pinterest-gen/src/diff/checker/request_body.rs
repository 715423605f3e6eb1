//! The request body: added, removed, made required or optional; its
//! media types and schemas go to [`super::media_types`].

use serde_json::Value;

use super::OpDiff;
use crate::diff::Rule;
use crate::diff::schema::Dir;
use crate::spec::OperationRef;

/// The request body, resolved, with its pointer.
fn body<'a>(doc: &'a Value, op: &OperationRef<'a>) -> Option<(&'a Value, String)> {
    let raw = op.op.get("requestBody")?;
    super::resolved(doc, raw, format!("{}/requestBody", op.pointer()))
}

fn required(body: &Value) -> bool {
    body.get("required") == Some(&Value::Bool(true))
}

impl OpDiff<'_> {
    pub(super) fn request_body(&mut self) {
        let name = self.name();
        match (body(self.base, self.a), body(self.revision, self.b)) {
            (Some((_, ap)), None) => self.push(
                Rule::RequestBodyRemoved,
                format!("{name}: request body removed"),
                Some(ap),
                None,
            ),
            (None, Some((b, bp))) => {
                let rule = if required(b) {
                    Rule::RequestBodyAddedRequired
                } else {
                    Rule::RequestBodyAddedOptional
                };
                self.push(rule, format!("{name}: request body added"), None, Some(bp));
            }
            (Some((a, ap)), Some((b, bp))) => {
                match (required(a), required(b)) {
                    (false, true) => self.push(
                        Rule::RequestBodyBecameRequired,
                        format!("{name}: request body became required"),
                        Some(ap.clone()),
                        Some(bp.clone()),
                    ),
                    (true, false) => self.push(
                        Rule::RequestBodyBecameOptional,
                        format!("{name}: request body became optional"),
                        Some(ap.clone()),
                        Some(bp.clone()),
                    ),
                    _ => {}
                }
                self.content(a, &ap, b, &bp, Dir::Request, "");
            }
            (None, None) => {}
        }
    }
}
