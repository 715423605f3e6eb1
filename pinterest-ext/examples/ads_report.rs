//! Runs an asynchronous ads report over the last year (split into windows
//! the API accepts) and prints daily spend as CSV, and the totals.
//!
//! ```text
//! cargo run -p pinterest-examples --example ads_report -- --ad-account 549755885175
//! ```

use pinterest_examples as common;

use clap::Parser;
use pinterest_ext::analytics::{AdsReportRequest, DateRange, today};
use pinterest_ext::jobs::PollPolicy;
use pinterest_ext::types::{MetricsReportingLevel, ReportingColumnAsync as Column};

/// Daily spend of an ad account over the last year.
#[derive(Parser)]
struct Args {
    /// The ad account id.
    #[arg(long)]
    ad_account: String,
    /// Days back from today.
    #[arg(long, default_value_t = 365)]
    days: u64,
    #[command(flatten)]
    token: common::TokenArgs,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let template = AdsReportRequest::new(
        MetricsReportingLevel::Advertiser,
        vec![
            Column::SpendInDollar,
            Column::TotalImpression,
            Column::TotalClickthrough,
        ],
    )
    .build()?;
    let client = args.token.client().await?;
    let range = DateRange::last_days(args.days, today());
    let daily = client
        .ads_report_daily(&args.ad_account, template, range, &PollPolicy::default())
        .await?;
    daily.write_csv(std::io::stdout().lock())?;
    eprintln!("totals: {:?}", daily.totals());
    Ok(())
}
