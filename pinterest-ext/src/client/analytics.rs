//! Analytics helpers over date ranges (see [`crate::analytics`] for the
//! limits, windows and rows).

#[cfg(feature = "ads")]
use serde_json::Value;

use super::Client;
use crate::analytics::{DailyMetrics, DateRange, Limits, today};
use crate::error::Result;
#[cfg(feature = "ads")]
use crate::error::{Error, ErrorKind};
use crate::types;

#[cfg(feature = "organic")]
impl Client {
    /// The user account's daily metrics over `range` (organic limits: at
    /// most 90 days back and 90 days long).
    pub async fn user_analytics(
        &self,
        range: DateRange,
        metrics: Vec<types::MetricTypesItem>,
    ) -> Result<DailyMetrics> {
        Limits::ORGANIC.check(range, false, today())?;
        let response = self
            .user_account_analytics()
            .start_date(range.start)
            .end_date(range.end)
            .metric_types(metrics)
            .send()
            .await?
            .into_inner();
        Ok(DailyMetrics::from_organic(&response))
    }
}

#[cfg(feature = "ads")]
impl Client {
    /// An ad account's daily metrics over `range`, split into windows the
    /// synchronous endpoint serves ([`Limits::ADS`]) and merged.
    pub async fn ad_account_daily(
        &self,
        ad_account_id: &str,
        range: DateRange,
        columns: Vec<types::ColumnsItem>,
    ) -> Result<DailyMetrics> {
        let mut merged = DailyMetrics::default();
        for window in Limits::ADS.windows(range, false, today())? {
            let rows = self
                .ad_account_analytics()
                .ad_account_id(ad_account_id)
                .start_date(window.start)
                .end_date(window.end)
                .columns(columns.clone())
                .granularity(types::Granularity::Day)
                .send()
                .await?
                .into_inner();
            merged.merge(DailyMetrics::from_ad_account_rows(&rows));
        }
        Ok(merged)
    }

    /// Daily ads metrics over a long `range` through asynchronous reports:
    /// one report per window of at most 186 days (up to 914 days back),
    /// each polled, downloaded as JSON and merged. `template` supplies
    /// level, columns and filters; its dates, granularity and format are
    /// set here.
    pub async fn ads_report_daily(
        &self,
        ad_account_id: &str,
        template: types::AdsAnalyticsCreateAsyncRequest,
        range: DateRange,
        poll: &crate::jobs::PollPolicy,
    ) -> Result<DailyMetrics> {
        let mut merged = DailyMetrics::default();
        for window in Limits::ADS_REPORT.windows(range, false, today())? {
            let mut request = template.clone();
            request.start_date = window.start.to_string();
            request.end_date = window.end.to_string();
            request.granularity = types::Granularity::Day;
            request.report_format = types::DataOutputFormat::Json;
            let job = self.start_ads_report(ad_account_id, request).await?;
            let mut body = Vec::new();
            self.download_job(&job, poll, &mut body).await?;
            let value: Value = serde_json::from_slice(&body).map_err(|e| {
                Error::new(
                    ErrorKind::Decode,
                    format!(
                        "the report for {}..{} is not JSON: {e}",
                        window.start, window.end
                    ),
                )
                .with_body(body.clone().into())
                .at_stage("parse")
            })?;
            merged.merge(DailyMetrics::from_ads_rows(&value)?);
        }
        Ok(merged)
    }
}
