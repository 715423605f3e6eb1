//! `pinterest analytics user|ad-account --from --to --metrics ...`: daily
//! metrics over a range (split into the windows Pinterest serves), as a
//! table, JSON, NDJSON or CSV, and `--plot FILE.svg|FILE.png|-` as a line
//! chart.

use clap::{Arg, ArgAction, ArgMatches, Command};
use pinterest_ext::analytics::{DailyMetrics, DateRange};
use pinterest_ext::types;
use serde_json::{Map, Value};

use crate::config::Globals;
use crate::exit::Failure;
use crate::output::{self, Format};
use crate::workflows::{date, date_range_args, enum_value, plot};

fn range_args() -> Vec<Arg> {
    let mut args = date_range_args().to_vec();
    args.extend([
        Arg::new("metrics")
            .long("metrics")
            .required(true)
            .value_delimiter(',')
            .action(ArgAction::Append)
            .help("Metrics, comma-separated (e.g. IMPRESSION,SAVE)"),
        Arg::new("plot")
            .long("plot")
            .value_name("FILE.svg|FILE.png|-")
            .help("Draw the daily metrics as a line chart (`-`: in the terminal)"),
    ]);
    args
}

/// Adds `user` and `ad-account` to the `analytics` group.
pub fn extend(group: Command) -> Command {
    group
        .subcommand(
            Command::new("user")
                .about("[workflow] The user account's daily metrics (at most 90 days back)")
                .args(range_args()),
        )
        .subcommand(
            Command::new("ad-account")
                .about("[workflow] An ad account's daily metrics (split into windows Pinterest serves)")
                .arg(Arg::new("ad-account-id").long("ad-account-id").required(true))
                .args(range_args()),
        )
}

/// Runs `analytics NAME`.
pub async fn run(name: &str, m: &ArgMatches) -> Result<(), Failure> {
    let g = Globals::from(m);
    let range = DateRange::new(date(m, "from")?, date(m, "to")?)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let metrics: Vec<String> = m
        .get_many::<String>("metrics")
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    if g.dry_run {
        return Err(Failure::usage(
            "--dry-run prints one request; analytics may send several (one per window)",
        ));
    }
    let client = g.client().await?;
    let daily = match name {
        "user" => {
            let metrics = metrics
                .iter()
                .map(|s| enum_value::<types::MetricTypesItem>("metrics", s))
                .collect::<Result<Vec<_>, _>>()?;
            client.user_analytics(range, metrics).await
        }
        "ad-account" => {
            let account = m
                .get_one::<String>("ad-account-id")
                .cloned()
                .unwrap_or_default();
            let columns = metrics
                .iter()
                .map(|s| enum_value::<types::ColumnsItem>("metrics", s))
                .collect::<Result<Vec<_>, _>>()?;
            client.ad_account_daily(&account, range, columns).await
        }
        other => return Err(Failure::usage(format!("analytics {other}: not a command"))),
    }
    .map_err(Failure::from_error)?;
    if let Some(target) = m.get_one::<String>("plot") {
        plot::draw(&daily, target)?;
        if target != "-" {
            eprintln!("chart written to {target}");
        }
        return Ok(());
    }
    let (value, columns) = as_rows(&daily);
    let selected = g.columns.clone().unwrap_or(columns);
    output::print(&value, Format::choose(g.format.as_deref()), Some(&selected))
}

/// The metrics as rows (`date`, `entity` when there is one, then the
/// metrics, sorted) and their column order.
pub fn as_rows(daily: &DailyMetrics) -> (Value, Vec<String>) {
    let with_entity = daily.rows().any(|r| !r.entity.is_empty());
    let mut columns = vec!["date".to_string()];
    if with_entity {
        columns.push("entity".to_string());
    }
    columns.extend(daily.columns().map(str::to_string));
    let rows = daily
        .rows()
        .map(|r| {
            let mut o = Map::new();
            o.insert("date".into(), Value::String(r.date.to_string()));
            if with_entity {
                o.insert("entity".into(), Value::String(r.entity.to_string()));
            }
            for (k, v) in r.metrics {
                o.insert(
                    k.clone(),
                    serde_json::Number::from_f64(*v).map_or(Value::Null, Value::Number),
                );
            }
            Value::Object(o)
        })
        .collect();
    (Value::Array(rows), columns)
}
