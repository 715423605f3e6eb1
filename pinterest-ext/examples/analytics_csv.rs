//! Exports your account's daily analytics for the last 30 days as CSV.
//!
//! ```text
//! cargo run -p pinterest-ext --example analytics_csv > analytics.csv
//! ```

#[path = "common.rs"]
mod common;

use pinterest_ext::analytics::{DateRange, today};
use pinterest_ext::types::MetricTypesItem as Metric;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::client().await?;
    let range = DateRange::last_days(30, today());
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
