//! Commands built on pinterest-ext's helpers rather than one operation:
//! pins from files and videos, bulk creation with a journal, ads reports,
//! analytics with charts.

pub mod analytics;
pub mod bulk;
pub mod pins;
pub mod plot;
pub mod reports;

use clap::{ArgMatches, Command};

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
