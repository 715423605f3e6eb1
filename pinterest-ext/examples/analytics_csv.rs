//! Exports your account's daily analytics for the last days as CSV.
//!
//! ```text
//! cargo run -p pinterest-examples --example analytics_csv -- --days 30 > analytics.csv
//! ```

use pinterest_examples as common;

use clap::Parser;
use pinterest_ext::analytics::{DateRange, today};
use pinterest_ext::types::MetricTypesItem as Metric;

/// Daily organic analytics as CSV.
#[derive(Parser)]
struct Args {
    /// Days back from today (at most 90).
    #[arg(long, default_value_t = 30)]
    days: u64,
    #[command(flatten)]
    token: common::TokenArgs,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let client = args.token.client().await?;
    let range = DateRange::last_days(args.days, today());
    let metrics = vec![
        Metric::Impression,
        Metric::Save,
        Metric::PinClick,
        Metric::OutboundClick,
    ];
    let daily = client.user_analytics(range, metrics).await?;
    daily.write_csv(std::io::stdout().lock())?;
    for (metric, total) in daily.totals() {
        eprintln!("{metric}: {total}");
    }
    Ok(())
}
