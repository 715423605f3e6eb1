//! Properties added, removed, made required or optional, and made
//! `readOnly`/`writeOnly` or not; then the walk into each property.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Compare, Dir, Node, Pair, Place, object, resolve};
use crate::diff::rules::Rule;
use crate::pointer;

fn required(schema: &Value) -> BTreeSet<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// `readOnly`/`writeOnly` of a property, on it or on the schema it
/// references.
fn flag(doc: &Value, schema: &Value, key: &str) -> bool {
    let yes = |s: &Value| s.get(key) == Some(&Value::Bool(true));
    yes(schema) || (schema.get("$ref").is_some() && yes(resolve(doc, schema, "").0))
}

fn has_default(doc: &Value, schema: &Value) -> bool {
    resolve(doc, schema, "").0.get("default").is_some()
}

/// `readOnly` or `writeOnly`.
#[derive(Clone, Copy)]
enum Access {
    ReadOnly,
    WriteOnly,
}

/// The rule for a property that became (`became`) or stopped being
/// read-only or write-only, by direction and whether it is required.
fn access_rule(dir: Dir, required: bool, access: Access, became: bool) -> Rule {
    use Access::*;
    use Rule::*;
    match (dir, required, access, became) {
        (Dir::Request, false, ReadOnly, true) => RequestOptionalPropertyBecameReadOnly,
        (Dir::Request, false, ReadOnly, false) => RequestOptionalPropertyBecameNotReadOnly,
        (Dir::Request, false, WriteOnly, true) => RequestOptionalPropertyBecameWriteOnly,
        (Dir::Request, false, WriteOnly, false) => RequestOptionalPropertyBecameNotWriteOnly,
        (Dir::Request, true, ReadOnly, true) => RequestRequiredPropertyBecameReadOnly,
        (Dir::Request, true, ReadOnly, false) => RequestRequiredPropertyBecameNotReadOnly,
        (Dir::Request, true, WriteOnly, true) => RequestRequiredPropertyBecameWriteOnly,
        (Dir::Request, true, WriteOnly, false) => RequestRequiredPropertyBecameNotWriteOnly,
        (Dir::Response, false, ReadOnly, true) => ResponseOptionalPropertyBecameReadOnly,
        (Dir::Response, false, ReadOnly, false) => ResponseOptionalPropertyBecameNotReadOnly,
        (Dir::Response, false, WriteOnly, true) => ResponseOptionalPropertyBecameWriteOnly,
        (Dir::Response, false, WriteOnly, false) => ResponseOptionalPropertyBecameNotWriteOnly,
        (Dir::Response, true, ReadOnly, true) => ResponseRequiredPropertyBecameReadOnly,
        (Dir::Response, true, ReadOnly, false) => ResponseRequiredPropertyBecameNotReadOnly,
        (Dir::Response, true, WriteOnly, true) => ResponseRequiredPropertyBecameWriteOnly,
        (Dir::Response, true, WriteOnly, false) => ResponseRequiredPropertyBecameNotWriteOnly,
    }
}

impl<'a> Compare<'a, '_> {
    pub(super) fn properties<'v>(&mut self, at: &Pair<'v, '_>)
    where
        'a: 'v,
    {
        let (aprops, bprops) = (object(at.a, "properties"), object(at.b, "properties"));
        if aprops.is_empty() && bprops.is_empty() {
            return;
        }
        let (areq, breq) = (required(at.a), required(at.b));
        for (name, bschema) in bprops {
            let mut sub = at.path.to_vec();
            sub.push(name.clone());
            let bpp = format!("{}/properties/{}", at.bp, pointer::escape(name));
            match aprops.get(name) {
                None => self.property_added(at, &sub, &bpp, bschema, breq.contains(name.as_str())),
                Some(aschema) => {
                    let app = format!("{}/properties/{}", at.ap, pointer::escape(name));
                    let (was, is) = (areq.contains(name.as_str()), breq.contains(name.as_str()));
                    let access = [Access::ReadOnly, Access::WriteOnly].map(|access| {
                        let key = match access {
                            Access::ReadOnly => "readOnly",
                            Access::WriteOnly => "writeOnly",
                        };
                        (
                            access,
                            flag(self.base, aschema, key),
                            flag(self.revision, bschema, key),
                        )
                    });
                    for (which, before, after) in access {
                        if before != after {
                            let rule = access_rule(self.dir, is, which, after);
                            let detail = format!(
                                "{} {}",
                                if after { "became" } else { "is no longer" },
                                match which {
                                    Access::ReadOnly => "readOnly",
                                    Access::WriteOnly => "writeOnly",
                                }
                            );
                            self.emit_rule(rule, &sub, detail, &app, &bpp);
                        }
                    }
                    let read_only = access[0].1 || access[0].2;
                    let write_only = access[1].1 || access[1].2;
                    if was != is {
                        self.required_changed(&sub, &app, &bpp, bschema, is, read_only, write_only);
                    }
                    self.compare(
                        Node {
                            value: aschema,
                            pointer: &app,
                        },
                        Node {
                            value: bschema,
                            pointer: &bpp,
                        },
                        &sub,
                        read_only,
                        write_only,
                    );
                }
            }
        }
        for (name, aschema) in aprops.iter().filter(|(n, _)| !bprops.contains_key(*n)) {
            let mut sub = at.path.to_vec();
            sub.push(name.clone());
            let app = format!("{}/properties/{}", at.ap, pointer::escape(name));
            let read_only = flag(self.base, aschema, "readOnly");
            let write_only = flag(self.base, aschema, "writeOnly");
            let was_required = areq.contains(name.as_str());
            let rule = if self.request() {
                if !self.body() || read_only {
                    continue;
                }
                Rule::RequestPropertyRemoved
            } else {
                match (was_required, write_only) {
                    (true, false) => Rule::ResponseRequiredPropertyRemoved,
                    (true, true) => Rule::ResponseRequiredWriteOnlyPropertyRemoved,
                    (false, false) => Rule::ResponseOptionalPropertyRemoved,
                    (false, true) => Rule::ResponseOptionalWriteOnlyPropertyRemoved,
                }
            };
            self.emit_rule(rule, &sub, "property removed".into(), &app, at.bp);
        }
    }

    fn property_added(
        &mut self,
        at: &Pair,
        sub: &[String],
        bpp: &str,
        bschema: &Value,
        is_required: bool,
    ) {
        let header = matches!(&self.place, Place::Param { location } if location == "header");
        let rule = if self.request() {
            if flag(self.revision, bschema, "readOnly") {
                return;
            }
            match (
                self.body(),
                header,
                is_required,
                has_default(self.revision, bschema),
            ) {
                (true, _, true, true) => Rule::NewRequiredRequestPropertyWithDefault,
                (true, _, true, false) => Rule::NewRequiredRequestProperty,
                (true, _, false, _) => Rule::NewOptionalRequestProperty,
                (false, true, true, _) => Rule::NewRequiredRequestHeaderProperty,
                _ => return,
            }
        } else {
            match (is_required, flag(self.revision, bschema, "writeOnly")) {
                (true, false) => Rule::ResponseRequiredPropertyAdded,
                (true, true) => Rule::ResponseRequiredWriteOnlyPropertyAdded,
                (false, false) => Rule::ResponseOptionalPropertyAdded,
                (false, true) => Rule::ResponseOptionalWriteOnlyPropertyAdded,
            }
        };
        self.emit_rule(rule, sub, "property added".into(), at.ap, bpp);
    }

    #[allow(clippy::too_many_arguments)] // one call site, each part named
    fn required_changed(
        &mut self,
        sub: &[String],
        app: &str,
        bpp: &str,
        bschema: &Value,
        is: bool,
        read_only: bool,
        write_only: bool,
    ) {
        let header = matches!(&self.place, Place::Param { location } if location == "header");
        let rule = if self.request() {
            if read_only || !(self.body() || header) {
                return;
            }
            match (is, header, has_default(self.revision, bschema)) {
                (true, true, _) => Rule::RequestHeaderPropertyBecameRequired,
                (true, false, true) => Rule::RequestPropertyBecameRequiredWithDefault,
                (true, false, false) => Rule::RequestPropertyBecameRequired,
                (false, _, _) => Rule::RequestPropertyBecameOptional,
            }
        } else {
            match (is, write_only) {
                (true, false) => Rule::ResponsePropertyBecameRequired,
                (true, true) => Rule::ResponseWriteOnlyPropertyBecameRequired,
                (false, false) => Rule::ResponsePropertyBecameOptional,
                (false, true) => Rule::ResponseWriteOnlyPropertyBecameOptional,
            }
        };
        self.emit_rule(rule, sub, "required changed".into(), app, bpp);
    }
}
