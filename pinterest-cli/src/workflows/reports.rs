//! `pinterest reports ads`: start an asynchronous ads report, wait for it
//! with a spinner, and download it before its URL expires (written to a
//! temp file and renamed into place only when complete).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use indicatif::ProgressBar;
use pinterest_ext::analytics::AdsReportRequest;
use pinterest_ext::jobs::PollPolicy;
use pinterest_ext::types;

use crate::config::Globals;
use crate::exit::Failure;
use crate::workflows::{date, date_range_args, enum_value};

/// Adds `ads` to the `reports` group.
pub fn extend(group: Command) -> Command {
    group.subcommand(
        Command::new("ads")
            .about("[workflow] An ads report for a date range: start, wait, download")
            .args(date_range_args())
            .args([
                Arg::new("ad-account-id")
                    .long("ad-account-id")
                    .required(true),
                Arg::new("level")
                    .long("level")
                    .default_value("CAMPAIGN")
                    .help(
                        "Reporting level (ADVERTISER, CAMPAIGN, AD_GROUP, AD, PIN_PROMOTION, ...)",
                    ),
                Arg::new("metrics")
                    .long("metrics")
                    .required(true)
                    .value_delimiter(',')
                    .action(ArgAction::Append)
                    .help("Report columns, e.g. SPEND_IN_DOLLAR,TOTAL_CLICKTHROUGH"),
                Arg::new("campaign-ids")
                    .long("campaign-ids")
                    .value_delimiter(',')
                    .action(ArgAction::Append),
                Arg::new("csv")
                    .long("csv")
                    .action(ArgAction::SetTrue)
                    .help("Ask Pinterest for CSV instead of JSON"),
                Arg::new("out")
                    .long("out")
                    .required(true)
                    .value_name("FILE")
                    .help("Where to save the report"),
            ]),
    )
}

/// Runs the report.
pub async fn ads(m: &ArgMatches) -> Result<(), Failure> {
    let g = Globals::from(m);
    let (from, to) = (date(m, "from")?, date(m, "to")?);
    if to < from {
        return Err(Failure::usage(format!("--to {to} is before --from {from}")));
    }
    let level: types::MetricsReportingLevel = enum_value(
        "level",
        m.get_one::<String>("level").map_or("CAMPAIGN", |s| s),
    )?;
    let columns = m
        .get_many::<String>("metrics")
        .into_iter()
        .flatten()
        .map(|c| enum_value::<types::ReportingColumnAsync>("metrics", c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut builder = AdsReportRequest::new(level, columns);
    let campaigns: Vec<String> = m
        .get_many::<String>("campaign-ids")
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    if !campaigns.is_empty() {
        builder = builder.campaign_ids(campaigns);
    }
    if m.get_flag("csv") {
        builder = builder.csv();
    }
    let mut request = builder.build().map_err(Failure::from_error)?;
    request.start_date = from.to_string();
    request.end_date = to.to_string();
    let account = m
        .get_one::<String>("ad-account-id")
        .cloned()
        .unwrap_or_default();
    let out = PathBuf::from(m.get_one::<String>("out").cloned().unwrap_or_default());
    if g.dry_run {
        println!(
            "{}",
            serde_json::to_string_pretty(&request).unwrap_or_default()
        );
        return Ok(());
    }
    let client = g.client().await?;
    let spinner = ProgressBar::new_spinner().with_message("starting the report");
    spinner.enable_steady_tick(Duration::from_millis(120));
    let job = client
        .start_ads_report(&account, request)
        .await
        .map_err(Failure::from_error)?;
    spinner.set_message("waiting for Pinterest to prepare the report");
    let bytes = client
        .download_job_to_file(&job, &PollPolicy::default(), &out)
        .await
        .map_err(Failure::from_error)?;
    spinner.finish_and_clear();
    eprintln!("report saved to {} ({bytes} bytes)", out.display());
    Ok(())
}
