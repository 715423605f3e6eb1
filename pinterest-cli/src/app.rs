//! The command tree: global options, the account commands, one group per
//! tag with one command per operation (from the generated table), and the
//! workflows. Parsing errors exit with 2 before anything is sent.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, ValueParser};
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::exit;
use crate::table::{self, CommandSpec, FlagSpec, Kind, Location, Scalar};

/// Global options that take a value (skipped when finding the group).
const VALUED_GLOBALS: &[&str] = &["--profile", "--format", "--columns", "--base-url"];

/// Groups the workflows add (or extend) beside the generated ones.
pub const WORKFLOW_GROUPS: &[(&str, &str)] = &[
    (
        "analytics",
        "Daily metrics over a date range, as a table, CSV or a chart",
    ),
    ("reports", "Asynchronous reports: start, wait, download"),
];

/// Parses `args` (with the program name first). Help and version print
/// and exit 0; usage errors print and exit 2.
pub fn parse(args: &[OsString]) -> Result<ArgMatches, ExitCode> {
    let group = selected_group(args);
    let full = args
        .get(1)
        .is_some_and(|a| a == "completions" || a == "man");
    let cmd = if full {
        command(None, true)
    } else {
        command(group.as_deref(), false)
    };
    cmd.try_get_matches_from(args).map_err(|e| {
        let _ = e.print();
        // Help and version exit 0 in clap; everything else is usage.
        if e.exit_code() == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(exit::USAGE)
        }
    })
}

/// The first positional argument: the group the user named, if any.
fn selected_group(args: &[OsString]) -> Option<String> {
    let mut skip = false;
    for a in args.iter().skip(1) {
        let a = a.to_string_lossy();
        if skip {
            skip = false;
            continue;
        }
        if a.starts_with('-') {
            skip = VALUED_GLOBALS.contains(&a.as_ref());
            continue;
        }
        return Some(a.into_owned());
    }
    None
}

/// The whole tree (`all`), or the tree with only `group`'s commands built
/// (the other groups are listed but empty; building 231 commands costs
/// start-up time every run).
pub fn command(group: Option<&str>, all: bool) -> Command {
    let mut root = Command::new("pinterest")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Pinterest API v5 from the shell: every operation, with login, refresh, retries, rate limits and pagination")
        .after_help(
            "Exit codes: 0 ok, 1 API error, 2 usage, 3 auth, 4 retryable (rate limited, server or network: try again later), 5 a write's outcome is unknown (check before re-running).\nEnvironment: PINTEREST_PROFILE, PINTEREST_ACCESS_TOKEN, PINTEREST_REFRESH_TOKEN, PINTEREST_APP_ID, PINTEREST_APP_SECRET, PINTEREST_BASE_URL, PINTEREST_CONFIG_DIR.",
        )
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args());
    root = root.subcommands(crate::auth_cmds::commands());
    root = root.subcommand(
        Command::new("completions")
            .about("Prints a shell completion script")
            .arg(
                Arg::new("shell")
                    .required(true)
                    .value_parser(clap::value_parser!(clap_complete::Shell)),
            ),
    );
    root = root.subcommand(Command::new("man").about("Prints the man page (roff)"));
    let mut names: Vec<&'static str> = table::groups();
    for (g, _) in WORKFLOW_GROUPS {
        if !names.contains(g) {
            names.push(g);
        }
    }
    names.sort_unstable();
    for name in names {
        let build = all || group == Some(name);
        root = root.subcommand(group_command(name, build));
    }
    root
}

fn global_args() -> Vec<Arg> {
    vec![
        Arg::new("profile")
            .long("profile")
            .global(true)
            .env("PINTEREST_PROFILE")
            .default_value("default")
            .help("Account profile: its token and app credentials live under the config dir"),
        Arg::new("format")
            .long("format")
            .global(true)
            .value_parser(["json", "ndjson", "csv", "table"])
            .help("Output format [default: table on a terminal, json otherwise]"),
        Arg::new("columns")
            .long("columns")
            .global(true)
            .help("CSV and table columns, comma-separated (default: all, in a stable order)"),
        Arg::new("base-url")
            .long("base-url")
            .global(true)
            .env("PINTEREST_BASE_URL")
            .help("API base URL (a proxy or a mock server)"),
        Arg::new("sandbox")
            .long("sandbox")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Use Pinterest's sandbox API"),
        Arg::new("dry-run")
            .long("dry-run")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Print the request as a curl command (token as $PINTEREST_ACCESS_TOKEN) and send nothing"),
        Arg::new("verbose")
            .long("verbose")
            .short('v')
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Show the request id, rate-limit headers, retries and timing on stderr"),
    ]
}

fn group_command(name: &'static str, build: bool) -> Command {
    let about = WORKFLOW_GROUPS
        .iter()
        .find(|(g, _)| *g == name)
        .map(|(_, a)| a.to_string())
        .unwrap_or_else(|| format!("Operations tagged `{}`", name.replace('-', "_")));
    let mut cmd = Command::new(name)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true);
    if !build {
        return cmd;
    }
    for spec in table::commands().iter().filter(|c| c.group == name) {
        cmd = cmd.subcommand(operation_command(spec));
    }
    crate::workflows::extend_group(name, cmd)
}

/// One operation's command: its flags, `--body`, pagination flags, and
/// the operation's scopes, rate-limit category and deprecation in the
/// help.
pub fn operation_command(spec: &'static CommandSpec) -> Command {
    let op = spec.operation();
    let mut notes = vec![format!(
        "Operation: {} ({} {})",
        op.id,
        op.method.as_str(),
        op.path
    )];
    let scopes: Vec<&str> = op.scopes.iter().map(|s| s.as_str()).collect();
    notes.push(format!(
        "Scopes: {}",
        if scopes.is_empty() {
            "none".to_string()
        } else {
            scopes.join(", ")
        }
    ));
    notes.push(format!(
        "Rate-limit category: {}",
        op.rate_limit_category.unwrap_or("none")
    ));
    if op.deprecated {
        notes.push(match op.sunset {
            Some(s) => format!("DEPRECATED: Pinterest removes it on {s}"),
            None => "DEPRECATED by Pinterest".to_string(),
        });
    }
    let about = if spec.about.is_empty() {
        op.summary
    } else {
        spec.about
    };
    let mut cmd = Command::new(spec.name)
        .about(about)
        .after_help(notes.join("\n"));
    for f in spec.params {
        cmd = cmd.arg(flag_arg(f, true));
    }
    if let Some(body) = spec.body {
        cmd = cmd.arg(
            Arg::new("body")
                .long("body")
                .value_name("FILE|-")
                .required(body.required && body.fields.is_empty())
                .help("The JSON body from a file, or from stdin with `-`; field flags override its fields"),
        );
        for f in body.fields {
            cmd = cmd.arg(flag_arg(f, false));
        }
    }
    if op.pagination.is_some() {
        cmd = cmd.args([
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Follow bookmarks through every page, streaming items as NDJSON"),
            Arg::new("limit")
                .long("limit")
                .value_name("N")
                .value_parser(clap::value_parser!(u64).range(1..))
                .help("Stop after N items (across pages), streaming NDJSON"),
            Arg::new("resume")
                .long("resume")
                .value_name("BOOKMARK")
                .help("Continue from the bookmark a failed run printed"),
        ]);
    }
    cmd
}

/// A parameter or field as an argument. Required path and query
/// parameters are required by clap; body fields are checked after
/// `--body` is merged in.
fn flag_arg(f: &'static FlagSpec, enforce_required: bool) -> Arg {
    let mut help = f.help.to_string();
    if f.location == Location::Body {
        help = format!("[body] {help}");
    }
    let mut arg = Arg::new(f.flag)
        .long(f.flag)
        .value_name(value_name(f.kind))
        .help(help)
        .required(enforce_required && f.required);
    match f.kind {
        Kind::List(scalar) => {
            arg = arg.action(ArgAction::Append).value_delimiter(',');
            arg = arg.value_parser(parser(f.values, Some(scalar)));
        }
        Kind::Json => {}
        Kind::String | Kind::Integer | Kind::Number | Kind::Boolean => {
            arg = arg.value_parser(parser(f.values, scalar_of(f.kind)));
        }
    }
    arg
}

fn value_name(kind: Kind) -> &'static str {
    match kind {
        Kind::String => "TEXT",
        Kind::Integer => "INT",
        Kind::Number => "NUMBER",
        Kind::Boolean => "BOOL",
        Kind::List(_) => "LIST",
        Kind::Json => "JSON",
    }
}

fn scalar_of(kind: Kind) -> Option<Scalar> {
    match kind {
        Kind::String => Some(Scalar::String),
        Kind::Integer => Some(Scalar::Integer),
        Kind::Number => Some(Scalar::Number),
        Kind::Boolean => Some(Scalar::Boolean),
        _ => None,
    }
}

/// Validates the text at parse time (so a bad value exits 2), keeping it
/// as text.
fn parser(values: &'static [&'static str], scalar: Option<Scalar>) -> ValueParser {
    if !values.is_empty() {
        return PossibleValuesParser::new(values.iter().copied()).into();
    }
    match scalar {
        Some(Scalar::Integer) => ValueParser::from(|s: &str| {
            s.parse::<i64>()
                .map(|_| s.to_string())
                .map_err(|_| format!("`{s}` is not an integer"))
        }),
        Some(Scalar::Number) => ValueParser::from(|s: &str| match s.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(s.to_string()),
            _ => Err(format!("`{s}` is not a number")),
        }),
        Some(Scalar::Boolean) => PossibleValuesParser::new(["true", "false"]).into(),
        _ => ValueParser::string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_group_is_the_first_positional_after_valued_globals() {
        let args: Vec<OsString> = ["pinterest", "--profile", "work", "-v", "pins", "get"]
            .iter()
            .map(OsString::from)
            .collect();
        assert_eq!(selected_group(&args).as_deref(), Some("pins"));
    }

    #[test]
    fn the_whole_tree_is_consistent() {
        command(None, true).debug_assert();
    }
}
