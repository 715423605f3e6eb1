//! Response statuses added and removed; for statuses both have, their
//! headers ([`super::headers`]) and content ([`super::media_types`]).

use serde_json::Value;

use super::OpDiff;
use crate::diff::Rule;
use crate::diff::schema::Dir;
use crate::pointer;
use crate::spec::OperationRef;

fn success(status: &str) -> bool {
    status.starts_with('2')
}

/// (status, response resolved, pointer) of each response of `op`.
fn responses<'a>(doc: &'a Value, op: &OperationRef<'a>) -> Vec<(String, &'a Value, String)> {
    let at = format!("{}/responses", op.pointer());
    op.op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(status, raw)| {
            let (value, ptr) =
                super::resolved(doc, raw, format!("{at}/{}", pointer::escape(status)))?;
            Some((status.to_ascii_uppercase(), value, ptr))
        })
        .collect()
}

impl OpDiff<'_> {
    pub(super) fn responses(&mut self) {
        let name = self.name();
        let ra = responses(self.base, self.a);
        let rb = responses(self.revision, self.b);
        for (status, b, bp) in &rb {
            match ra.iter().find(|(s, ..)| s == status) {
                None => {
                    let rule = if success(status) {
                        Rule::ResponseSuccessStatusAdded
                    } else {
                        Rule::ResponseNonSuccessStatusAdded
                    };
                    self.push(
                        rule,
                        format!("{name}: response status {status} added"),
                        None,
                        Some(bp.clone()),
                    );
                }
                Some((_, a, ap)) => {
                    self.headers(status, a, ap, b, bp);
                    self.content(a, ap, b, bp, Dir::Response, status);
                }
            }
        }
        for (status, _, ap) in ra.iter().filter(|(s, ..)| !rb.iter().any(|(t, ..)| t == s)) {
            let rule = if success(status) {
                Rule::ResponseSuccessStatusRemoved
            } else {
                Rule::ResponseNonSuccessStatusRemoved
            };
            self.push(
                rule,
                format!("{name}: response status {status} removed"),
                Some(ap.clone()),
                None,
            );
        }
    }
}
