//! The `pinterest` command line's command table
//! (`pinterest-cli/src/generated/commands.rs`): one entry per operation,
//! named by tag and operation, with its parameters and body fields as
//! flags.
//!
//! It is data, not code: the CLI builds its `clap` commands from it at run
//! time, so 231 operations cost a table of constants to compile instead of
//! 231 generated command builders (see BENCHMARKS.md, "CLI").

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::operations::{self, Operation};
use crate::{params, pointer, spec};

/// One command of the table, before rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// The group (first tag, kebab-case), e.g. `ad-accounts`.
    pub group: String,
    /// The command in its group, e.g. `analytics`.
    pub name: String,
    /// The operation's generated method name (`ad_account_analytics`).
    pub method_name: String,
    /// The spec's description, first paragraph, for `--help`.
    pub about: String,
    /// Path and query parameters.
    pub params: Vec<Flag>,
    /// The JSON or form body.
    pub body: Option<Body>,
}

/// Where a flag's value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// Into the path template.
    Path,
    /// Into the query string.
    Query,
    /// A top-level field of the body.
    Body,
}

/// How a flag's text becomes a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text as is.
    String,
    /// An `i64`.
    Integer,
    /// An `f64`.
    Number,
    /// `true` / `false`.
    Boolean,
    /// Comma-separated or repeated values of a scalar kind.
    List(Scalar),
    /// JSON text (objects, unions).
    Json,
}

/// The scalar kinds a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// Text.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `true` / `false`.
    Boolean,
}

/// One parameter or body field as a flag.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// The wire name (`ad_account_id`).
    pub name: String,
    /// The flag (`ad-account-id`), unique within the command.
    pub flag: String,
    /// Where the value goes.
    pub location: Location,
    /// Required by the spec.
    pub required: bool,
    /// How its text is read.
    pub kind: Kind,
    /// The allowed values, when the spec lists them.
    pub values: Vec<String>,
    /// Query lists: repeat the key (`true`) or join with commas.
    pub explode: bool,
    /// One line of help.
    pub help: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The spec requires one.
    pub required: bool,
    /// `application/x-www-form-urlencoded` instead of JSON.
    pub form: bool,
    /// Top-level fields, as flags (empty when the body is not an object).
    pub fields: Vec<Flag>,
}

/// Flags every command has (the CLI's globals); a field with one of these
/// names gets a `body-` prefix.
pub const RESERVED_FLAGS: &[&str] = &[
    "all",
    "base-url",
    "body",
    "columns",
    "dry-run",
    "format",
    "help",
    "limit",
    "profile",
    "resume",
    "sandbox",
    "verbose",
    "image",
    "image-url",
    "video",
];

/// The commands of `doc`, one per operation of `table`, in table order.
pub fn commands(doc: &Value, table: &[Operation]) -> Vec<Command> {
    let refs = spec::operations(doc);
    let mut out: Vec<Command> = refs
        .iter()
        .zip(table)
        .map(|(op, entry)| command(doc, op, entry))
        .collect();
    dedupe_names(&mut out);
    out
}

fn command(doc: &Value, op: &spec::OperationRef<'_>, entry: &Operation) -> Command {
    let group = kebab(entry.tags.first().map_or("other", String::as_str));
    let mut used: BTreeSet<String> = RESERVED_FLAGS.iter().map(|s| s.to_string()).collect();
    let mut flags = Vec::new();
    for p in params::of_operation(doc, op) {
        let location = match p.get("in").and_then(Value::as_str) {
            Some("path") => Location::Path,
            Some("query") => Location::Query,
            _ => continue,
        };
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        let schema = p.get("schema").cloned().unwrap_or(Value::Null);
        let schema = pointer::deref(doc, &schema).cloned().unwrap_or(schema);
        let (kind, values) = kind_of(doc, &schema);
        let flag = unique_flag(&mut used, &kebab(name), "param-");
        flags.push(Flag {
            name: name.to_string(),
            flag,
            location,
            required: location == Location::Path
                || p.get("required").and_then(Value::as_bool) == Some(true),
            kind,
            values,
            explode: p.get("explode").and_then(Value::as_bool).unwrap_or(true),
            help: first_line(
                p.get("description")
                    .or_else(|| schema.get("description"))
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            ),
        });
    }
    Command {
        group,
        name: name_in_group(&entry.id, entry.tags.first().map(String::as_str)),
        method_name: entry.method_name.clone(),
        about: first_line(
            op.op
                .get("description")
                .or_else(|| op.op.get("summary"))
                .and_then(Value::as_str)
                .unwrap_or(""),
        ),
        params: flags,
        body: body(doc, op.op, &mut used),
    }
}

fn body(doc: &Value, op: &Value, used: &mut BTreeSet<String>) -> Option<Body> {
    let rb = pointer::deref(doc, op.get("requestBody")?)?;
    let content = rb.get("content")?.as_object()?;
    let (media, mt) = content
        .iter()
        .find(|(m, _)| m.starts_with("application/json"))
        .or_else(|| content.iter().next())?;
    let form = media.starts_with("application/x-www-form-urlencoded");
    let schema = mt.get("schema").cloned().unwrap_or(Value::Null);
    let resolved = pointer::deref(doc, &schema).cloned().unwrap_or(Value::Null);
    let is_object = resolved.get("type").and_then(Value::as_str) == Some("object")
        || resolved.get("properties").is_some()
        || resolved.get("allOf").is_some();
    let mut fields = Vec::new();
    if is_object {
        // Sorted by name: the order does not depend on serde_json's map.
        let props: BTreeMap<String, Value> = operations::merged_properties(doc, &schema)
            .into_iter()
            .collect();
        let required = required_fields(doc, &schema);
        for (name, prop) in &props {
            let prop = pointer::deref(doc, prop).unwrap_or(prop);
            if prop.get("readOnly").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let (kind, values) = kind_of(doc, prop);
            fields.push(Flag {
                name: name.clone(),
                flag: unique_flag(used, &kebab(name), "body-"),
                location: Location::Body,
                required: required.contains(name),
                kind,
                values,
                explode: false,
                help: first_line(
                    prop.get("description")
                        .and_then(Value::as_str)
                        .unwrap_or(""),
                ),
            });
        }
    }
    Some(Body {
        required: rb.get("required").and_then(Value::as_bool) == Some(true),
        form,
        fields,
    })
}

fn required_fields(doc: &Value, schema: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![schema.clone()];
    let mut seen = 0;
    while let Some(s) = stack.pop() {
        seen += 1;
        if seen > 64 {
            break;
        }
        let s = pointer::deref(doc, &s).cloned().unwrap_or(s);
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(r) = r.as_str() {
                out.insert(r.to_string());
            }
        }
        for sub in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            stack.push(sub.clone());
        }
    }
    out
}

/// The kind and allowed values of a (resolved) schema.
fn kind_of(doc: &Value, schema: &Value) -> (Kind, Vec<String>) {
    let schema = single_member(doc, schema);
    let scalar = |s: &Value| -> Option<Scalar> {
        match s.get("type").and_then(Value::as_str) {
            Some("string") => Some(Scalar::String),
            Some("integer") => Some(Scalar::Integer),
            Some("number") => Some(Scalar::Number),
            Some("boolean") => Some(Scalar::Boolean),
            None if s.get("enum").is_some() => Some(Scalar::String),
            _ => None,
        }
    };
    let values = |s: &Value| -> Vec<String> {
        s.get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect()
    };
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        let items = schema.get("items").cloned().unwrap_or(Value::Null);
        let items = single_member(doc, &items);
        return match scalar(&items) {
            Some(s) => (Kind::List(s), values(&items)),
            None => (Kind::Json, Vec::new()),
        };
    }
    match scalar(&schema) {
        Some(Scalar::String) => (Kind::String, values(&schema)),
        Some(Scalar::Integer) => (Kind::Integer, values(&schema)),
        Some(Scalar::Number) => (Kind::Number, Vec::new()),
        Some(Scalar::Boolean) => (Kind::Boolean, Vec::new()),
        None => (Kind::Json, Vec::new()),
    }
}

/// A schema through its `$ref`s and one-member `allOf`/`anyOf`/`oneOf`
/// wrappers (`allOf: [{$ref: Enum}]` is how the spec adds a description).
fn single_member(doc: &Value, schema: &Value) -> Value {
    let mut s = pointer::deref(doc, schema).cloned().unwrap_or(Value::Null);
    for _ in 0..16 {
        let one = ["allOf", "anyOf", "oneOf"].iter().find_map(|k| {
            let list = s.get(*k)?.as_array()?;
            let real: Vec<&Value> = list
                .iter()
                .filter(|m| m.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            (real.len() == 1).then(|| real[0].clone())
        });
        match one {
            Some(inner) if s.get("type").is_none() => {
                s = pointer::deref(doc, &inner).cloned().unwrap_or(inner);
            }
            _ => break,
        }
    }
    s
}

/// The command's name within its tag: the operation id without the tag
/// (`pins/create` in `pins` is `create`, `ad_account/analytics` in
/// `ad_accounts` is `analytics`), else the whole id.
fn name_in_group(id: &str, tag: Option<&str>) -> String {
    let singular = |s: &str| s.trim_end_matches('s').to_string();
    if let (Some((prefix, rest)), Some(tag)) = (id.split_once('/'), tag)
        && !rest.contains('/')
        && singular(prefix) == singular(tag)
    {
        return kebab(rest);
    }
    kebab(id)
}

/// Names that collide within a group fall back to the whole operation id.
fn dedupe_names(commands: &mut [Command]) {
    let mut count: BTreeMap<(String, String), usize> = BTreeMap::new();
    for c in commands.iter() {
        *count.entry((c.group.clone(), c.name.clone())).or_default() += 1;
    }
    for c in commands.iter_mut() {
        if count[&(c.group.clone(), c.name.clone())] > 1 {
            c.name = kebab(&c.method_name);
        }
    }
}

fn unique_flag(used: &mut BTreeSet<String>, flag: &str, prefix: &str) -> String {
    let mut candidate = flag.to_string();
    if used.contains(&candidate) {
        candidate = format!("{prefix}{flag}");
    }
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{prefix}{flag}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// `ad_accounts/get_list` becomes `ad-accounts-get-list`.
pub fn kebab(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The first sentence or line of a description, without markdown links,
/// at most 240 characters.
fn first_line(text: &str) -> String {
    let para = text.split("\n\n").next().unwrap_or("");
    let mut line: String = para.split_whitespace().collect::<Vec<_>>().join(" ");
    // [text](url) -> text
    while let Some(start) = line.find("](") {
        let Some(open) = line[..start].rfind('[') else {
            break;
        };
        let Some(close) = line[start..].find(')') else {
            break;
        };
        let label = line[open + 1..start].to_string();
        line.replace_range(open..start + close + 1, &label);
    }
    if line.chars().count() > 240 {
        let cut: String = line.chars().take(237).collect();
        line = format!("{}...", cut.trim_end());
    }
    line
}

/// The table as Rust source, against the types of `pinterest-cli`'s
/// `table` module.
pub fn tokens(commands: &[Command]) -> TokenStream {
    let entries = commands.iter().map(|c| {
        let Command {
            group,
            name,
            method_name,
            about,
            ..
        } = c;
        let params = c.params.iter().map(flag_tokens);
        let body = match &c.body {
            Some(b) => {
                let required = b.required;
                let form = b.form;
                let fields = b.fields.iter().map(flag_tokens);
                quote!(Some(&BodySpec { required: #required, form: #form, fields: &[#(#fields),*] }))
            }
            None => quote!(None),
        };
        quote! {
            CommandSpec {
                group: #group,
                name: #name,
                method_name: #method_name,
                about: #about,
                params: &[#(#params),*],
                body: #body,
            }
        }
    });
    let count = commands.len();
    quote! {
        //! Every operation of the spec as a command (see `pinterest-gen`'s
        //! `codegen::cli`).
        use crate::table::{BodySpec, CommandSpec, FlagSpec, Kind, Location, Scalar};

        /// The commands, one per operation, in spec order.
        pub static COMMANDS: [CommandSpec; #count] = [#(#entries),*];
    }
}

fn flag_tokens(f: &Flag) -> TokenStream {
    let Flag {
        name,
        flag,
        required,
        help,
        explode,
        ..
    } = f;
    let location = match f.location {
        Location::Path => quote!(Location::Path),
        Location::Query => quote!(Location::Query),
        Location::Body => quote!(Location::Body),
    };
    let scalar = |s: Scalar| match s {
        Scalar::String => quote!(Scalar::String),
        Scalar::Integer => quote!(Scalar::Integer),
        Scalar::Number => quote!(Scalar::Number),
        Scalar::Boolean => quote!(Scalar::Boolean),
    };
    let kind = match f.kind {
        Kind::String => quote!(Kind::String),
        Kind::Integer => quote!(Kind::Integer),
        Kind::Number => quote!(Kind::Number),
        Kind::Boolean => quote!(Kind::Boolean),
        Kind::Json => quote!(Kind::Json),
        Kind::List(s) => {
            let s = scalar(s);
            quote!(Kind::List(#s))
        }
    };
    let values = &f.values;
    quote! {
        FlagSpec {
            name: #name,
            flag: #flag,
            location: #location,
            required: #required,
            kind: #kind,
            values: &[#(#values),*],
            explode: #explode,
            help: #help,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/pins/{pin_id}": {
                    "parameters": [{"name": "pin_id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "patch": {
                        "operationId": "pins/update",
                        "tags": ["pins"],
                        "description": "Update a pin.\n\nMore text.",
                        "parameters": [
                            {"name": "ad_account_id", "in": "query", "schema": {"type": "string"}},
                            {"name": "format", "in": "query", "schema": {"$ref": "#/components/schemas/Format"}}
                        ],
                        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PinUpdate"}}}},
                        "responses": {"200": {"description": "ok"}}
                    }
                },
                "/ad_accounts/{ad_account_id}/analytics": {
                    "get": {
                        "operationId": "ad_account/analytics",
                        "tags": ["ad_accounts"],
                        "parameters": [
                            {"name": "ad_account_id", "in": "path", "required": true, "schema": {"type": "string"}},
                            {"name": "columns", "in": "query", "required": true, "explode": false,
                             "schema": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Column"}]}}}
                        ],
                        "responses": {"200": {"description": "ok"}}
                    }
                }
            },
            "components": {"schemas": {
                "Format": {"type": "string", "enum": ["a", "b"]},
                "Column": {"type": "string", "enum": ["SPEND", "IMPRESSION"]},
                "PinUpdate": {"type": "object", "required": ["title"], "properties": {
                    "title": {"type": "string", "description": "The title."},
                    "id": {"type": "string", "readOnly": true},
                    "carousel": {"type": "object"},
                    "board_id": {"type": "string"}
                }}
            }}
        })
    }

    #[test]
    fn operations_become_commands_named_by_tag_with_flags() {
        let d = doc();
        let table = crate::operations::extract(&d);
        let cmds = commands(&d, &table);
        assert_eq!(cmds.len(), 2);
        let update = &cmds[0];
        assert_eq!(
            (update.group.as_str(), update.name.as_str()),
            ("pins", "update")
        );
        assert_eq!(update.about, "Update a pin.");
        let flags: Vec<(&str, Location, bool)> = update
            .params
            .iter()
            .map(|f| (f.flag.as_str(), f.location, f.required))
            .collect();
        assert_eq!(
            flags,
            [
                ("pin-id", Location::Path, true),
                ("ad-account-id", Location::Query, false),
                // `--format` is the CLI's own flag.
                ("param-format", Location::Query, false)
            ]
        );
        assert_eq!(update.params[2].values, ["a", "b"]);
        let body = update.body.as_ref().unwrap();
        assert!(body.required && !body.form);
        let fields: Vec<(&str, Kind, bool)> = body
            .fields
            .iter()
            .map(|f| (f.flag.as_str(), f.kind, f.required))
            .collect();
        // `id` is read-only; `title` is required.
        assert_eq!(
            fields,
            [
                ("board-id", Kind::String, false),
                ("carousel", Kind::Json, false),
                ("title", Kind::String, true)
            ]
        );
        let analytics = &cmds[1];
        assert_eq!(
            (analytics.group.as_str(), analytics.name.as_str()),
            ("ad-accounts", "analytics")
        );
        let columns = &analytics.params[1];
        assert_eq!(columns.kind, Kind::List(Scalar::String));
        assert_eq!(columns.values, ["SPEND", "IMPRESSION"]);
        assert!(!columns.explode && columns.required);
    }

    #[test]
    fn colliding_names_fall_back_to_the_method_name() {
        let mut cmds = vec![
            Command {
                group: "g".into(),
                name: "get".into(),
                method_name: "a_get".into(),
                about: String::new(),
                params: vec![],
                body: None,
            };
            2
        ];
        cmds[1].method_name = "b_get".into();
        dedupe_names(&mut cmds);
        assert_eq!(cmds[0].name, "a-get");
        assert_eq!(cmds[1].name, "b-get");
    }

    #[test]
    fn help_lines_drop_links_and_stop_at_the_paragraph() {
        assert_eq!(
            first_line("See [the docs](https://x.y/z) now.\n\nMore."),
            "See the docs now."
        );
        assert_eq!(kebab("ad_accounts/get_list"), "ad-accounts-get-list");
    }

    #[test]
    fn the_table_renders_as_rust() {
        let d = doc();
        let table = crate::operations::extract(&d);
        let tokens = tokens(&commands(&d, &table));
        let file: syn::File = syn::parse2(tokens).expect("valid Rust");
        assert!(prettyplease::unparse(&file).contains("method_name: \"pins_update\""));
    }
}
