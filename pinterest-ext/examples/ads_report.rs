//! Runs an asynchronous ads report over the last year (split into windows
//! the API accepts) and prints daily spend and the totals.
//!
//! ```text
//! cargo run -p pinterest-ext --example ads_report -- --ad-account 549755885175
//! ```

#[path = "common.rs"]
mod common;

use pinterest_ext::analytics::{DateRange, today};
use pinterest_ext::jobs::PollPolicy;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ad_account = common::arg("--ad-account").ok_or("pass --ad-account AD_ACCOUNT_ID")?;
    let template = serde_json::from_value(serde_json::json!({
        "start_date": "2025-01-01",
        "end_date": "2025-01-01",
        "granularity": "DAY",
        "level": "ADVERTISER",
        "columns": ["SPEND_IN_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH"],
        "report_format": "JSON"
    }))?;
    let client = common::client().await?;
    let range = DateRange::last_days(365, today());
    let daily = client
        .ads_report_daily(&ad_account, template, range, &PollPolicy::default())
        .await?;
    daily.write_csv(std::io::stdout().lock())?;
    eprintln!("totals: {:?}", daily.totals());
    Ok(())
}
