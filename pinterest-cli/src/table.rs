//! The shape of the generated command table (`generated/commands.rs`,
//! written by `cargo xtask gen`) and lookups into it.

use crate::generated::commands::COMMANDS;

/// One operation as a command.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Group: the operation's first tag, kebab-case (`ad-accounts`).
    pub group: &'static str,
    /// The command in its group (`analytics`).
    pub name: &'static str,
    /// The generated method's name, the key into
    /// [`pinterest_api::OPERATIONS`].
    pub method_name: &'static str,
    /// One line of help.
    pub about: &'static str,
    /// Path and query parameters.
    pub params: &'static [FlagSpec],
    /// The body, when the operation takes one.
    pub body: Option<&'static BodySpec>,
}

/// A request body.
#[derive(Debug, Clone, Copy)]
pub struct BodySpec {
    /// The spec requires one.
    pub required: bool,
    /// Form-encoded instead of JSON.
    pub form: bool,
    /// Top-level fields as flags.
    pub fields: &'static [FlagSpec],
}

/// A parameter or body field as a flag.
#[derive(Debug, Clone, Copy)]
pub struct FlagSpec {
    /// The wire name.
    pub name: &'static str,
    /// The flag, without dashes.
    pub flag: &'static str,
    /// Where the value goes.
    pub location: Location,
    /// Required by the spec.
    pub required: bool,
    /// How the text is read.
    pub kind: Kind,
    /// Allowed values, when the spec lists them.
    pub values: &'static [&'static str],
    /// Query lists: repeat the key, or join with commas.
    pub explode: bool,
    /// One line of help.
    pub help: &'static str,
}

/// Where a value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The path template.
    Path,
    /// The query string.
    Query,
    /// A top-level body field.
    Body,
}

/// How a flag's text becomes JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    String,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Comma-separated or repeated scalars.
    List(Scalar),
    /// JSON text.
    Json,
}

/// Scalars in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// Text.
    String,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// Every command, in spec order.
pub fn commands() -> &'static [CommandSpec] {
    &COMMANDS
}

/// The groups, sorted, without duplicates.
pub fn groups() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = COMMANDS.iter().map(|c| c.group).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The command `group name`.
pub fn find(group: &str, name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.group == group && c.name == name)
}

impl CommandSpec {
    /// The operation's entry in pinterest-api's table (scopes, rate-limit
    /// category, deprecation, pagination).
    pub fn operation(&self) -> &'static pinterest_api::Operation {
        pinterest_api::Operation::by_method_name(self.method_name)
            .expect("the command table and pinterest-api come from one spec")
    }
}
