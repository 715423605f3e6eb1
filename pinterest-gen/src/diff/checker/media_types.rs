//! The `content` of a request body or response: media types added and
//! removed, and the schema of each media type both have.

use serde_json::Value;

use super::OpDiff;
use crate::diff::Rule;
use crate::diff::schema::{Compare, Dir, Node, Place, object};
use crate::pointer;

/// Media types whose bodies are not JSON: a type change there is only
/// "compatible".
fn loose(media_type: &str) -> bool {
    let m = media_type.to_ascii_lowercase();
    m.contains("xml")
        || m.starts_with("text/")
        || m.contains("form-urlencoded")
        || m.starts_with("multipart/")
}

impl<'a> OpDiff<'a> {
    /// Compares the `content` maps of a request body or a response
    /// (`status` names the response).
    pub(super) fn content(
        &mut self,
        a: &'a Value,
        ap: &str,
        b: &'a Value,
        bp: &str,
        dir: Dir,
        status: &str,
    ) {
        let (ac, bc) = (object(a, "content"), object(b, "content"));
        let (removed, added, whose) = match dir {
            Dir::Request => (
                Rule::RequestBodyMediaTypeRemoved,
                Rule::RequestBodyMediaTypeAdded,
                "request body".to_string(),
            ),
            Dir::Response => (
                Rule::ResponseMediaTypeRemoved,
                Rule::ResponseMediaTypeAdded,
                format!("response {status}"),
            ),
        };
        let name = self.name();
        for (mt, bm) in bc {
            let bmp = format!("{bp}/content/{}", pointer::escape(mt));
            let Some(am) = ac.get(mt) else {
                self.push(
                    added,
                    format!("{name}: {whose} media type {mt} added"),
                    None,
                    Some(bmp),
                );
                continue;
            };
            let amp = format!("{ap}/content/{}", pointer::escape(mt));
            if let (Some(sa), Some(sb)) = (am.get("schema"), bm.get("schema")) {
                let (sap, sbp) = (format!("{amp}/schema"), format!("{bmp}/schema"));
                let label = match dir {
                    Dir::Request => mt.clone(),
                    Dir::Response => format!("{status} ({mt})"),
                };
                Compare::new(
                    self.base,
                    self.revision,
                    dir,
                    Place::Body { loose: loose(mt) },
                    label,
                    &mut self.sink,
                    self.same,
                )
                .run(
                    Node {
                        value: sa,
                        pointer: &sap,
                    },
                    Node {
                        value: sb,
                        pointer: &sbp,
                    },
                );
            }
        }
        for mt in ac.keys().filter(|k| !bc.contains_key(*k)) {
            let amp = format!("{ap}/content/{}", pointer::escape(mt));
            self.push(
                removed,
                format!("{name}: {whose} media type {mt} removed"),
                Some(amp),
                None,
            );
        }
    }
}
