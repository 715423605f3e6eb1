//! `allOf`/`oneOf`/`anyOf` members and the `discriminator`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Compare, Node, Pair, object, resolve};
use crate::diff::rules::{Change, Composition, Membership};
use crate::pointer;

const ANNOTATIONS: [&str; 8] = [
    "title",
    "description",
    "example",
    "examples",
    "deprecated",
    "$comment",
    "externalDocs",
    "x-stability-level",
];

/// A member that only annotates (no `$ref`, only annotation keywords).
fn annotation_only(schema: &Value) -> bool {
    schema.as_object().is_some_and(|o| {
        !o.contains_key("$ref") && o.keys().all(|k| ANNOTATIONS.contains(&k.as_str()))
    })
}

/// How alike two inline schemas are: shared property names when both
/// have properties, else one for the same `type`.
fn similarity(a: &Value, b: &Value) -> usize {
    let names = |s: &Value| -> BTreeSet<String> {
        s.get("properties")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (x, y) = (names(a), names(b));
    if !x.is_empty() && !y.is_empty() {
        return x.intersection(&y).count();
    }
    usize::from(a.get("type").is_some() && a.get("type") == b.get("type"))
}

fn member(v: &Value) -> String {
    v.get("$ref")
        .and_then(Value::as_str)
        .and_then(pointer::schema_ref_name)
        .unwrap_or_else(|| "(inline)".into())
}

fn members<'v>(schema: &'v Value, key: &str) -> &'v [Value] {
    schema
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The same member: the same `$ref`, or an equal inline schema.
fn same(x: &Value, y: &Value) -> bool {
    match (x.get("$ref"), y.get("$ref")) {
        (Some(p), Some(q)) => p == q,
        (None, None) => x == y,
        _ => false,
    }
}

impl<'a> Compare<'a, '_> {
    pub(super) fn compositions<'v>(&mut self, at: &Pair<'v, '_>)
    where
        'a: 'v,
    {
        for (key, composition) in [
            ("allOf", Composition::AllOf),
            ("oneOf", Composition::OneOf),
            ("anyOf", Composition::AnyOf),
        ] {
            let (al, bl) = (members(at.a, key), members(at.b, key));
            if al.is_empty() && bl.is_empty() {
                continue;
            }
            let mut matched_b: BTreeSet<usize> = BTreeSet::new();
            let mut unmatched_a = Vec::new();
            let mut pairs = Vec::new();
            for (i, x) in al.iter().enumerate() {
                match bl
                    .iter()
                    .enumerate()
                    .find(|(j, y)| !matched_b.contains(j) && same(x, y))
                {
                    Some((j, _)) => {
                        matched_b.insert(j);
                        pairs.push((i, j));
                    }
                    None => unmatched_a.push(i),
                }
            }
            let mut unmatched_b: Vec<usize> =
                (0..bl.len()).filter(|j| !matched_b.contains(j)).collect();
            // Inline members that changed, or were moved into a named
            // schema (or back): pair each with the most similar member left
            // (shared property names, same type); with nothing in common,
            // only a lone pair is taken as one member.
            let mut still_a = Vec::new();
            let lone = unmatched_a.len() == 1 && unmatched_b.len() == 1;
            for i in unmatched_a {
                let best = unmatched_b
                    .iter()
                    .enumerate()
                    .filter(|(_, j)| al[i].get("$ref").is_none() || bl[**j].get("$ref").is_none())
                    .map(|(pos, j)| {
                        let x = resolve(self.base, &al[i], "").0;
                        let y = resolve(self.revision, &bl[*j], "").0;
                        (similarity(x, y), pos)
                    })
                    .max_by_key(|(score, pos)| (*score, std::cmp::Reverse(*pos)));
                match best {
                    Some((score, pos)) if score > 0 || lone => {
                        pairs.push((i, unmatched_b.remove(pos)))
                    }
                    _ => still_a.push(i),
                }
            }
            for i in still_a {
                let pointer = format!("{}/{key}/{i}", at.ap);
                let member_at = Pair {
                    ap: &pointer,
                    ..*at
                };
                self.member_change(&member_at, key, composition, false, &al[i]);
            }
            for j in unmatched_b {
                let pointer = format!("{}/{key}/{j}", at.bp);
                let member_at = Pair {
                    bp: &pointer,
                    ..*at
                };
                self.member_change(&member_at, key, composition, true, &bl[j]);
            }
            for (i, j) in pairs {
                let (aip, bip) = (
                    format!("{}/{key}/{i}", at.ap),
                    format!("{}/{key}/{j}", at.bp),
                );
                self.compare(
                    Node {
                        value: &al[i],
                        pointer: &aip,
                    },
                    Node {
                        value: &bl[j],
                        pointer: &bip,
                    },
                    at.path,
                    at.read_only,
                    at.write_only,
                );
            }
        }
    }

    /// A composition member added or removed, with the annotation-only
    /// variant for `allOf` members that only annotate.
    fn member_change(
        &mut self,
        at: &Pair,
        key: &str,
        composition: Composition,
        added: bool,
        schema: &Value,
    ) {
        let annotation = composition == Composition::AllOf && annotation_only(schema);
        let membership = match (added, annotation) {
            (true, false) => Membership::Added,
            (true, true) => Membership::AddedAnnotationOnly,
            (false, false) => Membership::Removed,
            (false, true) => Membership::RemovedAnnotationOnly,
        };
        let detail = format!(
            "{key} member {} {}",
            member(schema),
            if added { "added" } else { "removed" }
        );
        self.emit(at, Change::Member(composition, membership), detail);
    }

    pub(super) fn discriminator(&mut self, at: &Pair) {
        match (at.a.get("discriminator"), at.b.get("discriminator")) {
            (None, Some(_)) => {
                self.emit(at, Change::DiscriminatorAdded, "discriminator added".into())
            }
            (Some(_), None) => self.emit(
                at,
                Change::DiscriminatorRemoved,
                "discriminator removed".into(),
            ),
            (Some(x), Some(y)) => {
                let name = |d: &Value| {
                    d.get("propertyName")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                };
                if name(x) != name(y) {
                    let detail = format!(
                        "discriminator property changed from {} to {}",
                        name(x).unwrap_or_default(),
                        name(y).unwrap_or_default()
                    );
                    self.emit(at, Change::DiscriminatorPropertyNameChanged, detail);
                }
                let (xm, ym) = (object(x, "mapping"), object(y, "mapping"));
                for (k, v) in ym {
                    match xm.get(k) {
                        None => self.emit(
                            at,
                            Change::DiscriminatorMappingAdded,
                            format!("mapping {k} added"),
                        ),
                        Some(old) if old != v => self.emit(
                            at,
                            Change::DiscriminatorMappingChanged,
                            format!(
                                "mapping {k} changed from {} to {}",
                                super::text(Some(old)),
                                super::text(Some(v))
                            ),
                        ),
                        _ => {}
                    }
                }
                for k in xm.keys().filter(|k| !ym.contains_key(*k)) {
                    self.emit(
                        at,
                        Change::DiscriminatorMappingDeleted,
                        format!("mapping {k} deleted"),
                    );
                }
            }
            (None, None) => {}
        }
    }
}
