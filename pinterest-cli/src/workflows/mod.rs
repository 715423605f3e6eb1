//! Commands built on pinterest-ext's helpers rather than one operation:
//! pins from files and videos, bulk creation with a journal, ads reports,
//! analytics with charts.

pub mod analytics;
pub mod bulk;
pub mod pins;
pub mod plot;
pub mod reports;

use clap::{Arg, ArgMatches, Command};

use crate::exit::Failure;

/// Adds the workflows of `group` to its command.
pub fn extend_group(group: &str, cmd: Command) -> Command {
    match group {
        "pins" => bulk::extend(pins::extend(cmd)),
        "reports" => reports::extend(cmd),
        "analytics" => analytics::extend(cmd),
        _ => cmd,
    }
}

/// Runs a workflow, or `None` when `group command` is a plain operation.
pub async fn dispatch(group: &str, command: &str, m: &ArgMatches) -> Option<Result<(), Failure>> {
    match (group, command) {
        ("pins", "create") if pins::wants_workflow(m) => Some(pins::create(m).await),
        ("pins", "bulk-create") => Some(bulk::run(m).await),
        ("reports", "ads") => Some(reports::ads(m).await),
        ("analytics", name) => Some(analytics::run(name, m).await),
        _ => None,
    }
}

/// A date flag (`YYYY-MM-DD`).
pub fn date(m: &ArgMatches, id: &str) -> Result<chrono::NaiveDate, Failure> {
    let text = m
        .get_one::<String>(id)
        .ok_or_else(|| Failure::usage(format!("--{id} is required")))?;
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| Failure::usage(format!("--{id} {text:?}: not a YYYY-MM-DD date ({e})")))
}

/// `--from` and `--to`, both required.
pub fn date_range_args() -> [Arg; 2] {
    [
        Arg::new("from")
            .long("from")
            .required(true)
            .value_name("YYYY-MM-DD"),
        Arg::new("to")
            .long("to")
            .required(true)
            .value_name("YYYY-MM-DD"),
    ]
}

/// A value of one of the generated (open) enums, from `--flag`'s text.
pub fn enum_value<T: serde::de::DeserializeOwned>(flag: &str, text: &str) -> Result<T, Failure> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|e| Failure::usage(format!("--{flag} {text:?}: {e}")))
}
