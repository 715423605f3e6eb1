//! Operation-level comparison: which operations were added, removed,
//! deprecated; their parameters, request bodies, responses, security and
//! Pinterest extensions. Schemas are handed to [`super::schema`].

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use super::schema::{Compare, Dir, Node, Place, Sink, object, unchanged_schemas};
use super::{Finding, parse_date, rules};
use crate::pointer;
use crate::spec::{self, OperationRef};

/// Compares every operation of `base` with its counterpart in `revision`.
pub(crate) fn compare(base: &Value, revision: &Value, today: i64) -> Vec<Finding> {
    let base_ops = spec::operations(base);
    let rev_ops = spec::operations(revision);
    let key = |op: &OperationRef| (op.method, path_key(op.path));
    let rev_index: BTreeMap<_, &OperationRef> = rev_ops.iter().map(|op| (key(op), op)).collect();
    let base_keys: BTreeSet<_> = base_ops.iter().map(key).collect();
    let rev_paths: BTreeSet<String> = rev_ops.iter().map(|op| path_key(op.path)).collect();
    let unchanged = unchanged_schemas(base, revision);
    let mut out = Vec::new();
    for a in &base_ops {
        match rev_index.get(&key(a)) {
            Some(b) => {
                let mut d = OpDiff::new(base, revision, a, b, today, &unchanged);
                d.run();
                out.append(&mut d.sink.out);
            }
            None => removed(&mut out, a, !rev_paths.contains(&path_key(a.path)), today),
        }
    }
    for b in rev_ops.iter().filter(|b| !base_keys.contains(&key(b))) {
        out.push(finding(
            "endpoint-added",
            format!("endpoint added: {} {}", b.method.to_uppercase(), b.path),
            b,
            None,
            Some(b.pointer()),
        ));
    }
    global_security(&mut out, base, revision);
    out
}

/// A path with its parameter names erased, so `/pins/{id}` and
/// `/pins/{pin_id}` are the same endpoint.
fn path_key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

fn finding(
    id: &'static str,
    text: String,
    op: &OperationRef,
    a: Option<String>,
    b: Option<String>,
) -> Finding {
    Finding {
        id,
        level: rules::level(id),
        text,
        operation: Some(op.method.to_uppercase()),
        path: Some(op.path.to_string()),
        operation_id: op
            .op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string),
        base_pointer: a,
        revision_pointer: b,
    }
}

fn deprecated(v: &Value) -> bool {
    v.get("deprecated") == Some(&Value::Bool(true))
}

fn sunset(v: &Value) -> Option<String> {
    match v.get("x-sunset") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    }
}

/// How an operation (or a path holding it) was removed.
fn removed(out: &mut Vec<Finding>, a: &OperationRef, whole_path: bool, today: i64) {
    // Draft and alpha operations carry no stability promise.
    if matches!(stability(a.op), Ok(Some(level)) if level <= ALPHA) {
        return;
    }
    let name = format!("{} {}", a.method.to_uppercase(), a.path);
    let (id, text) = if !deprecated(a.op) {
        (
            if whole_path {
                "api-path-removed-without-deprecation"
            } else {
                "api-removed-without-deprecation"
            },
            format!("{name} removed without deprecation"),
        )
    } else {
        match sunset(a.op).map(|s| (parse_date(&s), s)) {
            None => (
                if whole_path {
                    "api-path-removed-with-deprecation"
                } else {
                    "api-removed-with-deprecation"
                },
                format!("deprecated {name} removed"),
            ),
            Some((None, s)) => (
                if whole_path {
                    "api-path-sunset-parse"
                } else {
                    "api-deprecated-sunset-parse"
                },
                format!("{name} removed; its sunset date {s:?} cannot be parsed"),
            ),
            Some((Some(day), s)) if today < day => (
                if whole_path {
                    "api-path-removed-before-sunset"
                } else {
                    "api-removed-before-sunset"
                },
                format!("{name} removed before its sunset date {s}"),
            ),
            Some((Some(_), s)) => (
                if whole_path {
                    "api-path-removed-with-deprecation"
                } else {
                    "api-removed-with-deprecation"
                },
                format!("deprecated {name} removed after its sunset date {s}"),
            ),
        }
    };
    out.push(finding(id, text, a, Some(a.pointer()), None));
}

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

/// A parameter after `$ref` resolution, with where it is defined.
struct Param<'a> {
    value: &'a Value,
    pointer: String,
    /// Defined on the path item rather than the operation.
    path_level: bool,
}

/// The parameters an operation takes (path-level ones included, the
/// operation's overriding them), keyed by location and name.
fn params<'a>(doc: &'a Value, op: &OperationRef<'a>) -> BTreeMap<(String, String), Param<'a>> {
    let mut out = BTreeMap::new();
    let item_ptr = pointer::join(&["paths", op.path]);
    for (list, at, path_level) in [
        (
            op.item.get("parameters"),
            format!("{item_ptr}/parameters"),
            true,
        ),
        (
            op.op.get("parameters"),
            format!("{}/parameters", op.pointer()),
            false,
        ),
    ] {
        for (i, raw) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let (value, ptr) = match raw.get("$ref").and_then(Value::as_str) {
                Some(r) => match pointer::deref(doc, raw) {
                    Some(v) => (v, r.trim_start_matches('#').to_string()),
                    None => continue,
                },
                None => (raw, format!("{at}/{i}")),
            };
            let (Some(location), Some(name)) = (
                value.get("in").and_then(Value::as_str),
                value.get("name").and_then(Value::as_str),
            ) else {
                continue;
            };
            // Header names are case-insensitive.
            let name = if location == "header" {
                name.to_ascii_lowercase()
            } else {
                name.to_string()
            };
            out.insert(
                (location.to_string(), name),
                Param {
                    value,
                    pointer: ptr,
                    path_level,
                },
            );
        }
    }
    out
}

fn media_loose(media_type: &str) -> bool {
    let m = media_type.to_ascii_lowercase();
    m.contains("xml")
        || m.starts_with("text/")
        || m.contains("form-urlencoded")
        || m.starts_with("multipart/")
}

fn success(status: &str) -> bool {
    status.starts_with('2')
}

/// The comparison of one operation present in both documents.
struct OpDiff<'a> {
    base: &'a Value,
    revision: &'a Value,
    a: &'a OperationRef<'a>,
    b: &'a OperationRef<'a>,
    today: i64,
    unchanged: &'a HashSet<String>,
    sink: Sink,
}

impl<'a> OpDiff<'a> {
    fn new(
        base: &'a Value,
        revision: &'a Value,
        a: &'a OperationRef<'a>,
        b: &'a OperationRef<'a>,
        today: i64,
        unchanged: &'a HashSet<String>,
    ) -> Self {
        let operation_id =
            b.op.get("operationId")
                .or_else(|| a.op.get("operationId"))
                .and_then(Value::as_str)
                .map(str::to_string);
        OpDiff {
            base,
            revision,
            a,
            b,
            today,
            unchanged,
            sink: Sink {
                out: Vec::new(),
                method: b.method.to_uppercase(),
                path: b.path.to_string(),
                operation_id,
            },
        }
    }

    fn push(&mut self, id: &'static str, text: String, a: Option<String>, b: Option<String>) {
        self.sink.push(id, text, a, b);
    }

    fn run(&mut self) {
        self.lifecycle();
        self.parameters();
        self.request_body();
        self.responses();
        self.security();
        self.pinterest();
    }

    fn name(&self) -> String {
        format!("{} {}", self.b.method.to_uppercase(), self.b.path)
    }

    fn lifecycle(&mut self) {
        let (ap, bp) = (Some(self.a.pointer()), Some(self.b.pointer()));
        let name = self.name();
        let (sa, sb) = (stability(self.a.op), stability(self.b.op));
        let mut stability_ok = true;
        match (&sa, &sb) {
            (Err(bad), _) | (_, Err(bad)) => {
                stability_ok = sb.is_ok();
                let which = if sa.is_err() { "base" } else { "revision" };
                self.push(
                    "api-invalid-stability-level",
                    format!("{name}: x-stability-level {bad:?} in the {which} is not one of draft, alpha, beta, stable"),
                    ap.clone(),
                    bp.clone(),
                );
            }
            (Ok(Some(x)), Ok(Some(y))) if y < x => self.push(
                "api-stability-decreased",
                format!("{name}: stability decreased"),
                ap.clone(),
                bp.clone(),
            ),
            (Ok(Some(x)), Ok(Some(y))) if y > x => self.push(
                "api-stability-increased",
                format!("{name}: stability increased"),
                ap.clone(),
                bp.clone(),
            ),
            _ => {}
        }
        match (deprecated(self.a.op), deprecated(self.b.op)) {
            (false, true) if stability_ok => match sunset(self.b.op) {
                None => self.push("endpoint-deprecated", format!("{name} deprecated"), ap, bp),
                Some(s) if parse_date(&s).is_none() => self.push(
                    "api-deprecated-sunset-parse",
                    format!("{name} deprecated with sunset date {s:?}, which cannot be parsed"),
                    ap,
                    bp,
                ),
                Some(s) => self.push(
                    "endpoint-deprecated-with-sunset",
                    format!("{name} deprecated, sunset {s}"),
                    ap,
                    bp,
                ),
            },
            (true, false) => self.push(
                "endpoint-reactivated",
                format!("{name} no longer deprecated"),
                ap,
                bp,
            ),
            (true, true) => match (sunset(self.a.op), sunset(self.b.op)) {
                (Some(_), None) => self.push(
                    "sunset-deleted",
                    format!("{name}: sunset date removed"),
                    ap,
                    bp,
                ),
                (x, Some(s)) if x.as_deref() != Some(s.as_str()) && parse_date(&s).is_none() => {
                    self.push(
                        "api-path-sunset-parse",
                        format!("{name}: sunset date changed to {s:?}, which cannot be parsed"),
                        ap,
                        bp,
                    )
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn parameters(&mut self) {
        let pa = params(self.base, self.a);
        let pb = params(self.revision, self.b);
        for ((location, name), b) in &pb {
            let label = format!("'{name}'");
            match pa.get(&(location.clone(), name.clone())) {
                None => {
                    let required = b.value.get("required") == Some(&Value::Bool(true));
                    let id = match (location.as_str(), b.path_level, required) {
                        ("path", ..) => "new-request-path-parameter",
                        (_, true, true) => {
                            "new-required-request-default-parameter-to-existing-path"
                        }
                        (_, true, false) => {
                            "new-optional-request-default-parameter-to-existing-path"
                        }
                        (_, false, true) => "new-required-request-parameter",
                        (_, false, false) => "new-optional-request-parameter",
                    };
                    self.push(
                        id,
                        format!("{location} parameter {label} added"),
                        None,
                        Some(b.pointer.clone()),
                    );
                }
                Some(a) => self.parameter(location, &label, a, b),
            }
        }
        for ((location, name), a) in pa.iter().filter(|(k, _)| !pb.contains_key(*k)) {
            let what = format!("{location} parameter '{name}'");
            let (id, text) = if !deprecated(a.value) {
                ("request-parameter-removed", format!("{what} removed"))
            } else {
                match sunset(a.value).map(|s| (parse_date(&s), s)) {
                    Some((None, s)) => (
                        "request-parameter-sunset-parse",
                        format!("{what} removed; its sunset date {s:?} cannot be parsed"),
                    ),
                    Some((Some(day), s)) if self.today < day => (
                        "request-parameter-removed-before-sunset",
                        format!("{what} removed before its sunset date {s}"),
                    ),
                    _ => (
                        "request-parameter-removed-with-deprecation",
                        format!("deprecated {what} removed"),
                    ),
                }
            };
            self.push(id, text, Some(a.pointer.clone()), None);
        }
    }

    fn parameter(&mut self, location: &str, label: &str, a: &Param<'a>, b: &Param<'a>) {
        let what = format!("{location} parameter {label}");
        let (ap, bp) = (Some(a.pointer.clone()), Some(b.pointer.clone()));
        let req = |p: &Param| p.value.get("required") == Some(&Value::Bool(true));
        match (req(a), req(b)) {
            (false, true) => self.push(
                "request-parameter-became-required",
                format!("{what} became required"),
                ap.clone(),
                bp.clone(),
            ),
            (true, false) => self.push(
                "request-parameter-became-optional",
                format!("{what} became optional"),
                ap.clone(),
                bp.clone(),
            ),
            _ => {}
        }
        match (deprecated(a.value), deprecated(b.value)) {
            (false, true) => match sunset(b.value) {
                Some(s) if parse_date(&s).is_none() => self.push(
                    "request-parameter-sunset-parse",
                    format!("{what} deprecated with sunset date {s:?}, which cannot be parsed"),
                    ap.clone(),
                    bp.clone(),
                ),
                _ => self.push(
                    "request-parameter-deprecated",
                    format!("{what} deprecated"),
                    ap.clone(),
                    bp.clone(),
                ),
            },
            (true, false) => self.push(
                "request-parameter-reactivated",
                format!("{what} no longer deprecated"),
                ap.clone(),
                bp.clone(),
            ),
            (true, true) => match (sunset(a.value), sunset(b.value)) {
                (Some(_), None) => self.push(
                    "request-parameter-sunset-deleted",
                    format!("{what}: sunset date removed"),
                    ap.clone(),
                    bp.clone(),
                ),
                (x, Some(s)) if x.as_deref() != Some(s.as_str()) && parse_date(&s).is_none() => {
                    self.push(
                        "request-parameter-sunset-parse",
                        format!("{what}: sunset date changed to {s:?}, which cannot be parsed"),
                        ap.clone(),
                        bp.clone(),
                    )
                }
                _ => {}
            },
            _ => {}
        }
        // Parameters serialized through `content` (a JSON-encoded value)
        // are compared by presence and `required` only, as oasdiff does.
        let schema = |p: &Param<'a>| -> Option<(&'a Value, String)> {
            p.value
                .get("schema")
                .map(|s| (s, format!("{}/schema", p.pointer)))
        };
        if let (Some((sa, pa)), Some((sb, pb))) = (schema(a), schema(b)) {
            let place = Place::Param {
                location: location.to_string(),
            };
            Compare::new(
                self.base,
                self.revision,
                Dir::Request,
                place,
                label.to_string(),
                &mut self.sink,
                self.unchanged,
            )
            .run(
                Node {
                    value: sa,
                    pointer: &pa,
                },
                Node {
                    value: sb,
                    pointer: &pb,
                },
            );
        }
    }

    /// The request body, resolved, with its pointer.
    fn body(doc: &'a Value, op: &OperationRef<'a>) -> Option<(&'a Value, String)> {
        let raw = op.op.get("requestBody")?;
        match raw.get("$ref").and_then(Value::as_str) {
            Some(r) => Some((
                pointer::deref(doc, raw)?,
                r.trim_start_matches('#').to_string(),
            )),
            None => Some((raw, format!("{}/requestBody", op.pointer()))),
        }
    }

    fn request_body(&mut self) {
        let name = self.name();
        let required = |b: &Value| b.get("required") == Some(&Value::Bool(true));
        match (
            Self::body(self.base, self.a),
            Self::body(self.revision, self.b),
        ) {
            (Some((_, ap)), None) => self.push(
                "request-body-removed",
                format!("{name}: request body removed"),
                Some(ap),
                None,
            ),
            (None, Some((b, bp))) => {
                let id = if required(b) {
                    "request-body-added-required"
                } else {
                    "request-body-added-optional"
                };
                self.push(id, format!("{name}: request body added"), None, Some(bp));
            }
            (Some((a, ap)), Some((b, bp))) => {
                match (required(a), required(b)) {
                    (false, true) => self.push(
                        "request-body-became-required",
                        format!("{name}: request body became required"),
                        Some(ap.clone()),
                        Some(bp.clone()),
                    ),
                    (true, false) => self.push(
                        "request-body-became-optional",
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

    /// Compares the `content` maps of a request body or a response.
    fn content(&mut self, a: &'a Value, ap: &str, b: &'a Value, bp: &str, dir: Dir, status: &str) {
        let (ac, bc) = (object(a, "content"), object(b, "content"));
        let (removed_id, added_id, whose) = match dir {
            Dir::Request => (
                "request-body-media-type-removed",
                "request-body-media-type-added",
                "request body".to_string(),
            ),
            Dir::Response => (
                "response-media-type-removed",
                "response-media-type-added",
                format!("response {status}"),
            ),
        };
        let name = self.name();
        for (mt, bm) in bc {
            let bmp = format!("{bp}/content/{}", pointer::escape(mt));
            match ac.get(mt) {
                None => self.push(
                    added_id,
                    format!("{name}: {whose} media type {mt} added"),
                    None,
                    Some(bmp),
                ),
                Some(am) => {
                    let amp = format!("{ap}/content/{}", pointer::escape(mt));
                    if let (Some(sa), Some(sb)) = (am.get("schema"), bm.get("schema")) {
                        let (sap, sbp) = (format!("{amp}/schema"), format!("{bmp}/schema"));
                        let label = match dir {
                            Dir::Request => mt.clone(),
                            Dir::Response => format!("{status} ({mt})"),
                        };
                        let place = Place::Body {
                            loose: media_loose(mt),
                        };
                        Compare::new(
                            self.base,
                            self.revision,
                            dir,
                            place,
                            label,
                            &mut self.sink,
                            self.unchanged,
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
            }
        }
        for mt in ac.keys().filter(|k| !bc.contains_key(*k)) {
            let amp = format!("{ap}/content/{}", pointer::escape(mt));
            self.push(
                removed_id,
                format!("{name}: {whose} media type {mt} removed"),
                Some(amp),
                None,
            );
        }
    }

    fn responses(&mut self) {
        let name = self.name();
        let resolve = |doc: &'a Value, op: &OperationRef<'a>| -> Vec<(String, &'a Value, String)> {
            let at = format!("{}/responses", op.pointer());
            op.op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(status, raw)| {
                    let (value, ptr) = match raw.get("$ref").and_then(Value::as_str) {
                        Some(r) => (
                            pointer::deref(doc, raw)?,
                            r.trim_start_matches('#').to_string(),
                        ),
                        None => (raw, format!("{at}/{}", pointer::escape(status))),
                    };
                    Some((status.to_ascii_uppercase(), value, ptr))
                })
                .collect()
        };
        let ra = resolve(self.base, self.a);
        let rb = resolve(self.revision, self.b);
        for (status, b, bp) in &rb {
            match ra.iter().find(|(s, ..)| s == status) {
                None => {
                    let id = if success(status) {
                        "response-success-status-added"
                    } else {
                        "response-non-success-status-added"
                    };
                    self.push(
                        id,
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
            let id = if success(status) {
                "response-success-status-removed"
            } else {
                "response-non-success-status-removed"
            };
            self.push(
                id,
                format!("{name}: response status {status} removed"),
                Some(ap.clone()),
                None,
            );
        }
    }

    fn headers(&mut self, status: &str, a: &'a Value, ap: &str, b: &'a Value, bp: &str) {
        let name = self.name();
        let (ah, bh) = (object(a, "headers"), object(b, "headers"));
        let lower = |m: &serde_json::Map<String, Value>| -> BTreeSet<String> {
            m.keys().map(|k| k.to_ascii_lowercase()).collect()
        };
        let (al, bl) = (lower(ah), lower(bh));
        for (h, value) in ah
            .iter()
            .filter(|(h, _)| !bl.contains(&h.to_ascii_lowercase()))
        {
            let resolved = pointer::deref(self.base, value).unwrap_or(value);
            let id = if resolved.get("required") == Some(&Value::Bool(true)) {
                "required-response-header-removed"
            } else {
                "optional-response-header-removed"
            };
            let hp = format!("{ap}/headers/{}", pointer::escape(h));
            self.push(
                id,
                format!("{name}: response {status} header {h} removed"),
                Some(hp),
                None,
            );
        }
        for h in bh.keys().filter(|h| !al.contains(&h.to_ascii_lowercase())) {
            let hp = format!("{bp}/headers/{}", pointer::escape(h));
            self.push(
                "response-header-added",
                format!("{name}: response {status} header {h} added"),
                None,
                Some(hp),
            );
        }
    }

    fn security(&mut self) {
        let name = self.name();
        let (ap, bp) = (
            format!("{}/security", self.a.pointer()),
            format!("{}/security", self.b.pointer()),
        );
        let (ra, rb) = (
            requirements(self.a.op.get("security")),
            requirements(self.b.op.get("security")),
        );
        for (schemes, scopes) in &rb {
            let label = schemes.iter().cloned().collect::<Vec<_>>().join(" + ");
            match ra.iter().find(|(s, _)| s == schemes) {
                None => self.push(
                    "api-security-added",
                    format!("{name}: security {label} added"),
                    None,
                    Some(bp.clone()),
                ),
                Some((_, old)) => {
                    for scope in scopes.difference(old) {
                        self.push(
                            "api-security-scope-added",
                            format!("{name}: security {label} scope {scope} added"),
                            Some(ap.clone()),
                            Some(bp.clone()),
                        );
                    }
                    for scope in old.difference(scopes) {
                        self.push(
                            "api-security-scope-removed",
                            format!("{name}: security {label} scope {scope} removed"),
                            Some(ap.clone()),
                            Some(bp.clone()),
                        );
                    }
                }
            }
        }
        for (schemes, _) in ra.iter().filter(|(s, _)| !rb.iter().any(|(t, _)| t == s)) {
            let label = schemes.iter().cloned().collect::<Vec<_>>().join(" + ");
            self.push(
                "api-security-removed",
                format!("{name}: security {label} removed"),
                Some(ap.clone()),
                None,
            );
        }
    }

    /// Pinterest's own extensions and what a token needs.
    fn pinterest(&mut self) {
        let name = self.name();
        let (ap, bp) = (Some(self.a.pointer()), Some(self.b.pointer()));
        let category = |op: &Value| {
            op.get("x-ratelimit-category")
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let (ca, cb) = (category(self.a.op), category(self.b.op));
        if ca.is_some() && cb.is_some() && ca != cb {
            self.push(
                "pinterest-rate-limit-category-changed",
                format!(
                    "{name}: x-ratelimit-category changed from {} to {}",
                    ca.unwrap_or_default(),
                    cb.unwrap_or_default()
                ),
                ap.clone(),
                bp.clone(),
            );
        }
        let sandbox = |op: &Value| {
            op.get("x-sandbox")
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        match (sandbox(self.a.op).as_deref(), sandbox(self.b.op).as_deref()) {
            (Some("enabled"), Some("disabled")) => self.push(
                "pinterest-sandbox-disabled",
                format!("{name}: sandbox disabled"),
                ap.clone(),
                bp.clone(),
            ),
            (Some("disabled"), Some("enabled")) => self.push(
                "pinterest-sandbox-enabled",
                format!("{name}: sandbox enabled"),
                ap.clone(),
                bp.clone(),
            ),
            _ => {}
        }
        let (oa, ob) = (
            oauth_scopes(self.base, self.a.op),
            oauth_scopes(self.revision, self.b.op),
        );
        if let (Some(oa), Some(ob)) = (oa, ob) {
            let more: Vec<_> = ob.difference(&oa).cloned().collect();
            let fewer: Vec<_> = oa.difference(&ob).cloned().collect();
            if !more.is_empty() {
                self.push(
                    "pinterest-scopes-added",
                    format!("{name}: now needs OAuth scopes {}", more.join(", ")),
                    ap.clone(),
                    bp.clone(),
                );
            }
            if !fewer.is_empty() {
                self.push(
                    "pinterest-scopes-removed",
                    format!("{name}: no longer needs OAuth scopes {}", fewer.join(", ")),
                    ap,
                    bp,
                );
            }
        }
    }
}

/// Security requirements as (scheme names, scopes of all of them).
fn requirements(security: Option<&Value>) -> Vec<(BTreeSet<String>, BTreeSet<String>)> {
    security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|req| {
            let schemes = req.keys().cloned().collect();
            let scopes = req
                .values()
                .filter_map(Value::as_array)
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect();
            (schemes, scopes)
        })
        .collect()
}

/// The OAuth2 scopes a user token needs for `op`: the scopes of its
/// (or the document's) requirements on `oauth2` schemes. `None` when the
/// operation takes no OAuth2 token.
fn oauth_scopes(doc: &Value, op: &Value) -> Option<BTreeSet<String>> {
    let security = op.get("security").or_else(|| doc.get("security"))?;
    let schemes = doc.pointer("/components/securitySchemes");
    let mut out = None::<BTreeSet<String>>;
    for req in security.as_array()?.iter().filter_map(Value::as_object) {
        for (scheme, scopes) in req {
            let kind = schemes
                .and_then(|s| s.get(scheme))
                .and_then(|s| pointer::deref(doc, s))
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str);
            if kind != Some("oauth2") {
                continue;
            }
            let set = out.get_or_insert_with(BTreeSet::new);
            set.extend(
                scopes
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().map(str::to_string)),
            );
        }
    }
    out
}

/// Security requirements of the whole document.
fn global_security(out: &mut Vec<Finding>, base: &Value, revision: &Value) {
    let (ra, rb) = (
        requirements(base.get("security")),
        requirements(revision.get("security")),
    );
    let label = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(" + ");
    let global = |id: &'static str, text: String, a: Option<String>, b: Option<String>| Finding {
        id,
        level: rules::level(id),
        text,
        operation: None,
        path: None,
        operation_id: None,
        base_pointer: a,
        revision_pointer: b,
    };
    for (schemes, _) in rb.iter().filter(|(s, _)| !ra.iter().any(|(t, _)| t == s)) {
        out.push(global(
            "api-global-security-added",
            format!("global security {} added", label(schemes)),
            None,
            Some("/security".into()),
        ));
    }
    for (schemes, _) in ra.iter().filter(|(s, _)| !rb.iter().any(|(t, _)| t == s)) {
        out.push(global(
            "api-global-security-removed",
            format!("global security {} removed", label(schemes)),
            Some("/security".into()),
            None,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::diff::Level;
    use serde_json::json;

    fn doc(op: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "components": {"securitySchemes": {
                "pinterest_oauth2": {"type": "oauth2", "flows": {}},
                "basic": {"type": "http", "scheme": "basic"}
            }},
            "paths": {"/pins/{pin_id}": {"get": op}}
        })
    }

    fn ids(a: Value, b: Value) -> Vec<&'static str> {
        compare(&doc(a), &doc(b), 0).iter().map(|f| f.id).collect()
    }

    #[test]
    fn pinterest_extensions_and_scopes_are_compared() {
        let op = |scopes: Value, category: &str, sandbox: &str| {
            json!({
                "operationId": "pins/get",
                "security": [{"pinterest_oauth2": scopes}],
                "x-ratelimit-category": category,
                "x-sandbox": sandbox,
                "responses": {"200": {"description": "ok"}}
            })
        };
        let base = op(json!(["pins:read"]), "org_read", "enabled");
        assert!(ids(base.clone(), base.clone()).is_empty());
        let more = op(json!(["pins:read", "boards:read"]), "org_read", "enabled");
        assert_eq!(
            ids(base.clone(), more.clone()),
            ["api-security-scope-added", "pinterest-scopes-added"]
        );
        assert_eq!(
            ids(more, base.clone()),
            ["api-security-scope-removed", "pinterest-scopes-removed"]
        );
        let moved = op(json!(["pins:read"]), "org_write", "disabled");
        assert_eq!(
            ids(base.clone(), moved.clone()),
            [
                "pinterest-rate-limit-category-changed",
                "pinterest-sandbox-disabled"
            ]
        );
        assert_eq!(ids(moved, base)[1], "pinterest-sandbox-enabled");
        let finding = &compare(
            &doc(op(json!(["pins:read"]), "org_read", "enabled")),
            &doc(op(json!(["pins:read", "ads:read"]), "org_read", "enabled")),
            0,
        )[1];
        assert_eq!(finding.level, Level::Err);
        assert_eq!(finding.operation_id.as_deref(), Some("pins/get"));
        assert!(finding.text.contains("ads:read"), "{}", finding.text);
    }

    #[test]
    fn a_non_oauth_requirement_needs_no_scopes() {
        let op = |scheme: &str| json!({"security": [{scheme: []}], "responses": {"200": {"description": "ok"}}});
        assert_eq!(
            ids(op("basic"), op("pinterest_oauth2")),
            ["api-security-added", "api-security-removed"]
        );
    }

    #[test]
    fn sunset_dates_decide_how_a_removal_is_judged() {
        let base = doc(json!({"deprecated": true, "x-sunset": "2000-01-01", "responses": {}}));
        let mut revision = base.clone();
        revision["paths"]["/pins/{pin_id}"] = json!({"post": {"responses": {}}});
        let today = parse_date("2026-11-26").unwrap();
        let removed = |base: &Value| {
            compare(base, &revision, today)
                .into_iter()
                .find(|f| f.id != "endpoint-added")
                .unwrap()
                .id
        };
        assert_eq!(removed(&base), "api-removed-with-deprecation");
        let mut future = base.clone();
        future["paths"]["/pins/{pin_id}"]["get"]["x-sunset"] = json!("2999-01-01");
        assert_eq!(removed(&future), "api-removed-before-sunset");
        let mut garbled = base.clone();
        garbled["paths"]["/pins/{pin_id}"]["get"]["x-sunset"] = json!("soon");
        assert_eq!(removed(&garbled), "api-deprecated-sunset-parse");
    }

    #[test]
    fn path_parameter_names_do_not_matter() {
        assert_eq!(path_key("/pins/{pin_id}/x"), path_key("/pins/{id}/x"));
        assert_ne!(path_key("/pins/{pin_id}"), path_key("/boards/{pin_id}"));
    }

    #[test]
    fn stability_levels_are_ordered_and_checked() {
        let op = |s: &str| serde_json::json!({ "x-stability-level": s });
        assert!(stability(&op("alpha")).unwrap() < stability(&op("beta")).unwrap());
        assert!(stability(&op("experimental")).is_err());
        assert_eq!(stability(&serde_json::json!({})), Ok(None));
    }
}
