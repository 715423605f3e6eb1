//! Normalization: named passes that rewrite a spec document so progenitor
//! can generate a client from it, without changing what goes over the wire.
//!
//! Each pass detects a general pattern (never a particular schema name),
//! fixes it, and reports every place it touched. Some passes also hand the
//! code generator a side instruction (an enum to emit by hand, a query
//! parameter to encode differently), collected in [`Normalized`].

mod colliding_titles;
mod deep_object_query;
mod default_responses;
mod delimited_query_arrays;
mod doc_code_blocks;
mod enum_variant_collisions;
mod inline_type_name_collisions;
mod inner_refs;
mod naive_date_times;
mod null_members;
mod open_objects;
mod optional_response_fields;
mod plain_constrained_strings;
mod ref_siblings;
mod response_type_unions;
mod shared_inline_enums;
mod type_arrays;

use std::fmt;

use serde_json::Value;

use crate::error::Subject;
use crate::walk;

pub use enum_variant_collisions::{EnumReplacement, EnumVariant};
pub(crate) use open_objects::response_roots;

/// One place a pass changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touch {
    /// JSON pointer of the changed value (in the document as it was).
    pub pointer: String,
    /// Operation or schema it belongs to.
    pub subject: Option<Subject>,
    /// What was done.
    pub note: String,
}

/// What one pass did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassReport {
    /// The pass's name.
    pub pass: &'static str,
    /// Every place it changed (empty when the pattern was not found).
    pub touched: Vec<Touch>,
    /// How long it ran (`cargo xtask gen --timings` prints it).
    pub elapsed: std::time::Duration,
}

/// How a query parameter must be put on the wire when progenitor's
/// default (`name=value`, arrays repeated) is not what the spec says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryStyle {
    /// `style: deepObject`: `name[key]=value`, nested as `name[a][b]=value`.
    DeepObject,
    /// Arrays joined by a separator in one value: `name=a,b` for
    /// `style: form, explode: false`, `name=a%20b` for `spaceDelimited`,
    /// `name=a|b` for `pipeDelimited`.
    Delimited(char),
}

/// A query parameter of one operation that needs a [`QueryStyle`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryEncoding {
    /// The operation's `operationId`.
    pub operation_id: String,
    /// The parameter's wire name.
    pub name: String,
    /// How to encode it.
    pub style: QueryStyle,
}

/// The result of [`normalize`].
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The rewritten document.
    pub doc: Value,
    /// One report per pass, in the order they ran.
    pub reports: Vec<PassReport>,
    /// Enums the generator emits itself instead of asking typify.
    pub enum_replacements: Vec<EnumReplacement>,
    /// Query parameters with a non-default encoding.
    pub query_encodings: Vec<QueryEncoding>,
}

impl Normalized {
    /// Total number of places touched by all passes.
    pub fn touched(&self) -> usize {
        self.reports.iter().map(|r| r.touched.len()).sum()
    }
}

impl fmt::Display for PassReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {} place(s)", self.pass, self.touched.len())?;
        for t in &self.touched {
            match &t.subject {
                Some(s) => writeln!(f, "  #{} ({s}): {}", t.pointer, t.note)?,
                None => writeln!(f, "  #{}: {}", t.pointer, t.note)?,
            }
        }
        Ok(())
    }
}

/// Side instructions a pass may leave for the code generator.
#[derive(Debug, Default)]
pub(crate) struct Instructions {
    pub enum_replacements: Vec<EnumReplacement>,
    pub query_encodings: Vec<QueryEncoding>,
}

/// A normalization pass.
pub(crate) trait Pass {
    /// Short snake_case name used in reports.
    const NAME: &'static str;
    /// Rewrites `doc`, returning what it touched.
    fn run(doc: &mut Value, out: &mut Instructions) -> Vec<Touch>;
}

fn run_pass<P: Pass>(doc: &mut Value, out: &mut Instructions, reports: &mut Vec<PassReport>) {
    let started = std::time::Instant::now();
    let touched = P::run(doc, out);
    reports.push(PassReport {
        pass: P::NAME,
        touched,
        elapsed: started.elapsed(),
    });
}

/// Which optional passes to run (the obstacle passes always run).
#[derive(Debug, Clone, Copy, Default)]
pub struct Choices {
    /// Run `plain_constrained_strings`.
    pub plain_strings: bool,
    /// Run `shared_inline_enums`.
    pub shared_enums: bool,
}

/// Runs every obstacle pass, in an order where each sees the output of the
/// last. Equivalent to [`normalize_with`] and no optional passes.
pub fn normalize(doc: &Value) -> Normalized {
    normalize_with(doc, Choices::default())
}

/// Runs every obstacle pass plus the optional passes `choices` selects.
pub fn normalize_with(doc: &Value, choices: Choices) -> Normalized {
    let mut doc = doc.clone();
    let mut out = Instructions::default();
    let mut reports = Vec::new();
    run_pass::<inner_refs::InnerRefs>(&mut doc, &mut out, &mut reports);
    run_pass::<ref_siblings::RefSiblings>(&mut doc, &mut out, &mut reports);
    run_pass::<doc_code_blocks::DocCodeBlocks>(&mut doc, &mut out, &mut reports);
    run_pass::<default_responses::DefaultResponses>(&mut doc, &mut out, &mut reports);
    run_pass::<response_type_unions::ResponseTypeUnions>(&mut doc, &mut out, &mut reports);
    run_pass::<deep_object_query::DeepObjectQuery>(&mut doc, &mut out, &mut reports);
    run_pass::<delimited_query_arrays::DelimitedQueryArrays>(&mut doc, &mut out, &mut reports);
    run_pass::<null_members::NullMembers>(&mut doc, &mut out, &mut reports);
    run_pass::<naive_date_times::NaiveDateTimes>(&mut doc, &mut out, &mut reports);
    run_pass::<open_objects::OpenObjects>(&mut doc, &mut out, &mut reports);
    run_pass::<optional_response_fields::OptionalResponseFields>(&mut doc, &mut out, &mut reports);
    run_pass::<colliding_titles::CollidingTitles>(&mut doc, &mut out, &mut reports);
    run_pass::<inline_type_name_collisions::InlineTypeNameCollisions>(
        &mut doc,
        &mut out,
        &mut reports,
    );
    run_pass::<enum_variant_collisions::EnumVariantCollisions>(&mut doc, &mut out, &mut reports);
    if choices.shared_enums {
        run_pass::<shared_inline_enums::SharedInlineEnums>(&mut doc, &mut out, &mut reports);
    }
    if choices.plain_strings {
        run_pass::<plain_constrained_strings::PlainConstrainedStrings>(
            &mut doc,
            &mut out,
            &mut reports,
        );
    }
    Normalized {
        doc,
        reports,
        enum_replacements: out.enum_replacements,
        query_encodings: out.query_encodings,
    }
}

/// The repairs: passes that make a document openapiv3 can parse out of one
/// with a common authoring mistake (`type: [string, "null"]`). They run
/// before the document is parsed into openapiv3's model, so they must
/// accept any JSON.
pub fn repair(doc: &Value) -> (Value, Vec<PassReport>) {
    let mut doc = doc.clone();
    let mut out = Instructions::default();
    let mut reports = Vec::new();
    run_pass::<type_arrays::TypeArrays>(&mut doc, &mut out, &mut reports);
    (doc, reports)
}

/// Keys whose values are data, not schemas (examples, defaults, enum
/// values): a raw walk does not descend into them.
pub(crate) const DATA_KEYS: [&str; 4] = ["example", "examples", "default", "enum"];

/// Helper for passes: a [`Touch`] at `pointer` with its subject filled in.
pub(crate) fn touch(doc: &Value, pointer: &str, note: impl Into<String>) -> Touch {
    Touch {
        pointer: pointer.to_string(),
        subject: walk::subject_of(doc, pointer),
        note: note.into(),
    }
}
