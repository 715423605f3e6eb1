//! Analytics over date ranges: the limits the spec states, checked before
//! sending (a range the API cannot serve is an error, never silently cut),
//! long ads ranges split into windows the API accepts, and daily metrics
//! merged into rows ready for CSV, with totals.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use chrono::{Days, NaiveDate, Utc};
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
#[cfg(any(feature = "organic", feature = "ads"))]
use crate::types;

/// Today in UTC (the API's reference for "days back").
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// An inclusive range of dates.
///
/// ```
/// use chrono::NaiveDate;
/// use pinterest_ext::analytics::DateRange;
/// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
/// let r = DateRange::new(d("2025-01-01"), d("2025-01-31")).unwrap();
/// assert_eq!(r.days(), 31);
/// assert!(DateRange::new(d("2025-02-01"), d("2025-01-01")).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateRange {
    /// First day.
    pub start: NaiveDate,
    /// Last day (included).
    pub end: NaiveDate,
}

impl DateRange {
    /// `start..=end`; an error when `end` is before `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<DateRange> {
        if end < start {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("the date range ends ({end}) before it starts ({start})"),
            ));
        }
        Ok(DateRange { start, end })
    }

    /// The last `days` days up to and including `today`.
    pub fn last_days(days: u64, today: NaiveDate) -> DateRange {
        let start = today
            .checked_sub_days(Days::new(days.saturating_sub(1)))
            .unwrap_or(today);
        DateRange { start, end: today }
    }

    /// Number of days in the range.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }
}

/// What an analytics endpoint can serve, as its spec description states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Which endpoints these are (for messages).
    pub name: &'static str,
    /// Earliest start: this many days before today (UTC).
    pub days_back: i64,
    /// Longest range in days.
    pub max_days: i64,
    /// The same two limits for hourly granularity.
    pub hourly: (i64, i64),
}

impl Limits {
    /// Organic analytics (`user_account/analytics`, `pins/analytics`, ...):
    /// up to 90 days back, ranges of at most 90 days.
    pub const ORGANIC: Limits = Limits {
        name: "organic analytics",
        days_back: 90,
        max_days: 90,
        hourly: (90, 90),
    };
    /// Synchronous ads analytics (`ad_account/analytics`,
    /// `campaigns/analytics`, ...): 90 days back, 90-day ranges; hourly: 8
    /// days back, 3-day ranges.
    pub const ADS: Limits = Limits {
        name: "ads analytics",
        days_back: 90,
        max_days: 90,
        hourly: (8, 3),
    };
    /// Asynchronous ads reports (`analytics/create_report`): 914 days
    /// back, 186-day ranges; hourly: 8 days back, 3-day ranges.
    pub const ADS_REPORT: Limits = Limits {
        name: "ads reports",
        days_back: 914,
        max_days: 186,
        hourly: (8, 3),
    };

    fn for_granularity(&self, hourly: bool) -> (i64, i64) {
        if hourly {
            self.hourly
        } else {
            (self.days_back, self.max_days)
        }
    }

    /// Checks that one request can serve `range`.
    pub fn check(&self, range: DateRange, hourly: bool, today: NaiveDate) -> Result<()> {
        self.check_reach(range, hourly, today)?;
        let (_, max_days) = self.for_granularity(hourly);
        if range.days() > max_days {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!(
                    "{} serve at most {max_days} days per request; {}..{} is {} days (split it, e.g. Limits::windows)",
                    self.name,
                    range.start,
                    range.end,
                    range.days()
                ),
            ));
        }
        Ok(())
    }

    fn check_reach(&self, range: DateRange, hourly: bool, today: NaiveDate) -> Result<()> {
        let (days_back, _) = self.for_granularity(hourly);
        let earliest = today
            .checked_sub_days(Days::new(days_back as u64))
            .unwrap_or(today);
        if range.start < earliest {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!(
                    "{} reach back {days_back} days, to {earliest}; the range starts {} (no data can be returned before {earliest})",
                    self.name, range.start
                ),
            ));
        }
        if range.end > today {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!(
                    "the range ends {} which is after today ({today}, UTC)",
                    range.end
                ),
            ));
        }
        Ok(())
    }

    /// Splits `range` into consecutive windows one request each can serve.
    /// The whole range must be within reach.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use pinterest_ext::analytics::{DateRange, Limits};
    /// let today: NaiveDate = "2025-12-31".parse().unwrap();
    /// let range = DateRange::last_days(400, today);
    /// let windows = Limits::ADS_REPORT.windows(range, false, today).unwrap();
    /// assert_eq!(windows.iter().map(|w| w.days()).collect::<Vec<_>>(), [186, 186, 28]);
    /// ```
    pub fn windows(
        &self,
        range: DateRange,
        hourly: bool,
        today: NaiveDate,
    ) -> Result<Vec<DateRange>> {
        self.check_reach(range, hourly, today)?;
        let (_, max_days) = self.for_granularity(hourly);
        let mut out = Vec::new();
        let mut start = range.start;
        while start <= range.end {
            let end = start
                .checked_add_days(Days::new(max_days as u64 - 1))
                .unwrap_or(range.end)
                .min(range.end);
            out.push(DateRange { start, end });
            match end.checked_add_days(Days::new(1)) {
                Some(next) => start = next,
                None => break,
            }
        }
        Ok(out)
    }
}

/// A typed builder of an asynchronous ads report request
/// (`types::AdsAnalyticsCreateAsyncRequest`), with Pinterest's documented
/// defaults: daily rows as JSON, attribution windows of 30 days for clicks
/// and engagements and 1 day for views, conversions at the time of the ad
/// action. [`Client::ads_report_daily`](crate::Client) sets the dates.
///
/// ```
/// use pinterest_ext::analytics::AdsReportRequest;
/// use pinterest_ext::types::{MetricsReportingLevel, ReportingColumnAsync};
/// let request = AdsReportRequest::new(
///     MetricsReportingLevel::Campaign,
///     vec![ReportingColumnAsync::SpendInDollar, ReportingColumnAsync::TotalClickthrough],
/// )
/// .campaign_ids(["626736533506"])
/// .build()
/// .unwrap();
/// assert_eq!(request.columns.len(), 2);
/// ```
#[cfg(feature = "ads")]
#[derive(Debug, Clone)]
pub struct AdsReportRequest {
    level: types::MetricsReportingLevel,
    columns: Vec<types::ReportingColumnAsync>,
    campaign_ids: Vec<String>,
    ad_group_ids: Vec<String>,
    ad_ids: Vec<String>,
    click_window_days: i64,
    engagement_window_days: i64,
    view_window_days: i64,
    format: types::DataOutputFormat,
}

#[cfg(feature = "ads")]
impl AdsReportRequest {
    /// A report at `level` with `columns`.
    pub fn new(
        level: types::MetricsReportingLevel,
        columns: Vec<types::ReportingColumnAsync>,
    ) -> Self {
        AdsReportRequest {
            level,
            columns,
            campaign_ids: Vec::new(),
            ad_group_ids: Vec::new(),
            ad_ids: Vec::new(),
            click_window_days: 30,
            engagement_window_days: 30,
            view_window_days: 1,
            format: types::DataOutputFormat::Json,
        }
    }

    /// Only these campaigns.
    pub fn campaign_ids<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.campaign_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Only these ad groups.
    pub fn ad_group_ids<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.ad_group_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Only these ads.
    pub fn ad_ids<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.ad_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Attribution windows in days (0, 1, 7, 14, 30 or 60, as the spec lists).
    pub fn windows(mut self, click: i64, engagement: i64, view: i64) -> Self {
        self.click_window_days = click;
        self.engagement_window_days = engagement;
        self.view_window_days = view;
        self
    }

    /// The result as CSV instead of JSON.
    pub fn csv(mut self) -> Self {
        self.format = types::DataOutputFormat::Csv;
        self
    }

    /// The request (its dates are set per window when it runs); an
    /// attribution window the spec does not list is an error.
    pub fn build(self) -> Result<types::AdsAnalyticsCreateAsyncRequest> {
        let window = |days: i64| -> Result<types::ConversionAttributionWindowDays> {
            days.try_into().map_err(|_| {
                Error::new(
                    ErrorKind::InvalidRequest,
                    format!("an attribution window of {days} days is not one the spec lists (0, 1, 7, 14, 30, 60)"),
                )
            })
        };
        Ok(types::AdsAnalyticsCreateAsyncRequest {
            ad_group_ids: self.ad_group_ids,
            ad_group_statuses: Vec::new(),
            ad_ids: self.ad_ids,
            ad_statuses: Vec::new(),
            attribution_types: Vec::new(),
            campaign_brand_label: None,
            campaign_ids: self.campaign_ids,
            campaign_objective_types: Vec::new(),
            campaign_statuses: Vec::new(),
            click_window_days: window(self.click_window_days)?,
            columns: self.columns,
            combine_targeting_types: false,
            conversion_report_time: types::ConversionReportTimeType::TimeOfAdAction,
            custom_conversion_event_metrics: Vec::new(),
            end_date: String::new(),
            end_hour: None,
            engagement_window_days: window(self.engagement_window_days)?,
            granularity: types::Granularity::Day,
            level: self.level,
            metrics_filters: Vec::new(),
            primary_sort: types::AdsAnalyticsCreateAsyncRequestPrimarySort::ById,
            product_group_ids: Vec::new(),
            product_group_statuses: Vec::new(),
            product_item_ids: Vec::new(),
            report_format: self.format,
            reporting_timezone: None,
            start_date: String::new(),
            start_hour: None,
            targeting_types: Vec::new(),
            view_window_days: window(self.view_window_days)?,
        })
    }
}

/// Metric values by day (and by entity when the rows carry an id, e.g.
/// per campaign), merged from any number of responses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DailyMetrics {
    rows: BTreeMap<(NaiveDate, String), BTreeMap<String, f64>>,
    columns: BTreeSet<String>,
}

/// One row of [`DailyMetrics`].
#[derive(Debug, Clone, PartialEq)]
pub struct DailyRow<'a> {
    /// The day.
    pub date: NaiveDate,
    /// The entity id (empty for account-level rows).
    pub entity: &'a str,
    /// Metric name -> value.
    pub metrics: &'a BTreeMap<String, f64>,
}

/// Columns that identify the entity of an ads analytics row.
const ENTITY_COLUMNS: [&str; 6] = [
    "AD_ID",
    "AD_GROUP_ID",
    "CAMPAIGN_ID",
    "PIN_PROMOTION_ID",
    "ADVERTISER_ID",
    "AD_ACCOUNT_ID",
];

/// Metrics that are ratios or averages: summing them is meaningless, so
/// [`DailyMetrics::totals`] leaves them out.
fn is_additive(metric: &str) -> bool {
    let m = metric.to_ascii_uppercase();
    !(m.contains("RATE")
        || m.starts_with("CTR")
        || m.starts_with("ECTR")
        || m.starts_with("CPC")
        || m.starts_with("ECPC")
        || m.starts_with("CPM")
        || m.starts_with("ECPM")
        || m.starts_with("CPV")
        || m.starts_with("ECPV")
        || m.contains("ROAS")
        || m.starts_with("AVG")
        || m.contains("AVERAGE")
        || m.contains("PERCENT")
        || m.contains("_CPA")
        || m.starts_with("CPA"))
}

impl DailyMetrics {
    /// Rows of ads analytics (objects with `DATE`, an optional entity id
    /// column, and numeric metrics), as the synchronous endpoints and JSON
    /// reports return them. A JSON report keyed by entity id
    /// (`{"<id>": [rows]}`) is accepted too.
    pub fn from_ads_rows(value: &Value) -> Result<DailyMetrics> {
        let mut out = DailyMetrics::default();
        match value {
            Value::Array(rows) => rows.iter().try_for_each(|r| out.add_ads_row(r, None))?,
            Value::Object(by_entity) => {
                for (entity, rows) in by_entity {
                    for r in rows.as_array().into_iter().flatten() {
                        out.add_ads_row(r, Some(entity))?;
                    }
                }
            }
            _ => {
                return Err(Error::new(
                    ErrorKind::Decode,
                    "analytics rows are neither a list nor a map of lists",
                ));
            }
        }
        Ok(out)
    }

    fn add_ads_row(&mut self, row: &Value, entity: Option<&str>) -> Result<()> {
        let Some(obj) = row.as_object() else {
            return Err(Error::new(
                ErrorKind::Decode,
                "an analytics row is not an object",
            ));
        };
        let date = obj
            .get("DATE")
            .and_then(Value::as_str)
            .and_then(|d| d.get(..10))
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Decode,
                    "an analytics row has no DATE (request granularity DAY)",
                )
            })?;
        let entity = ENTITY_COLUMNS
            .iter()
            .find_map(|c| {
                obj.get(*c).map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
            })
            .or(entity.map(str::to_string))
            .unwrap_or_default();
        let metrics: BTreeMap<String, f64> = obj
            .iter()
            .filter(|(k, _)| k.as_str() != "DATE" && !ENTITY_COLUMNS.contains(&k.as_str()))
            .filter_map(|(k, v)| v.as_f64().map(|n| (k.clone(), n)))
            .collect();
        self.insert(date, entity, metrics);
        Ok(())
    }

    /// The daily metrics of ad account analytics rows: `DATE`, the account
    /// id, and one field per requested metric (kept in the row's `extra`).
    #[cfg(feature = "ads")]
    pub fn from_ad_account_rows(rows: &[types::AdAccountAnalyticsResponseItem]) -> DailyMetrics {
        let mut out = DailyMetrics::default();
        for row in rows {
            let Some(date) = row.date else { continue };
            let metrics = row
                .extra
                .iter()
                .filter(|(k, _)| !ENTITY_COLUMNS.contains(&k.as_str()))
                .filter_map(|(k, v)| v.as_f64().map(|n| (k.clone(), n)))
                .collect();
            out.insert(date, row.ad_account_id.clone().unwrap_or_default(), metrics);
        }
        out
    }

    #[cfg(feature = "organic")]
    /// The daily metrics of an organic analytics response (one entity per
    /// key of the response, e.g. `all`).
    pub fn from_organic(response: &types::AnalyticsResponse) -> DailyMetrics {
        let mut out = DailyMetrics::default();
        for (entity, metrics) in response.iter() {
            for day in &metrics.daily_metrics {
                let Some(date) = day
                    .date
                    .as_deref()
                    .and_then(|d| d.parse::<NaiveDate>().ok())
                else {
                    continue;
                };
                let values = day
                    .metrics
                    .as_ref()
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), *v)).collect())
                    .unwrap_or_default();
                out.insert(date, entity.clone(), values);
            }
        }
        out
    }

    fn insert(&mut self, date: NaiveDate, entity: String, metrics: BTreeMap<String, f64>) {
        self.columns.extend(metrics.keys().cloned());
        self.rows.entry((date, entity)).or_default().extend(metrics);
    }

    /// Adds `other`'s rows (a later window); a row for the same day and
    /// entity is replaced, never added twice.
    pub fn merge(&mut self, other: DailyMetrics) {
        for ((date, entity), metrics) in other.rows {
            self.insert(date, entity, metrics);
        }
    }

    /// The rows, by day then entity.
    pub fn rows(&self) -> impl Iterator<Item = DailyRow<'_>> {
        self.rows.iter().map(|((date, entity), metrics)| DailyRow {
            date: *date,
            entity,
            metrics,
        })
    }

    /// The metric names that appear in any row.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(String::as_str)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The sum of every additive metric over all rows (ratios such as
    /// CTR, CPC, CPM, ROAS and rates are left out: they do not add up).
    pub fn totals(&self) -> BTreeMap<String, f64> {
        let mut totals = BTreeMap::new();
        for metrics in self.rows.values() {
            for (k, v) in metrics.iter().filter(|(k, _)| is_additive(k)) {
                *totals.entry(k.clone()).or_insert(0.0) += v;
            }
        }
        totals
    }

    /// Writes `date,entity,<metrics...>` rows as CSV (the `csv` crate:
    /// RFC 4180 quoting; empty cells for missing values; columns sorted).
    pub fn write_csv(&self, out: impl Write) -> std::result::Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(out);
        let columns: Vec<&String> = self.columns.iter().collect();
        w.write_record(
            ["date", "entity"]
                .into_iter()
                .chain(columns.iter().map(|c| c.as_str())),
        )?;
        for row in self.rows() {
            let mut record = vec![row.date.to_string(), row.entity.to_string()];
            record.extend(columns.iter().map(|c| {
                row.metrics
                    .get(*c)
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            }));
            w.write_record(&record)?;
        }
        w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn limits_are_enforced_with_clear_errors() {
        let today = d("2025-06-30");
        assert!(
            Limits::ORGANIC
                .check(DateRange::last_days(90, today), false, today)
                .is_ok()
        );
        let too_far = DateRange::new(d("2025-01-01"), d("2025-01-31")).unwrap();
        let e = Limits::ORGANIC.check(too_far, false, today).unwrap_err();
        assert!(e.to_string().contains("reach back 90 days"), "{e}");
        let future = DateRange::new(d("2025-06-01"), d("2025-07-02")).unwrap();
        assert!(
            Limits::ADS
                .check(future, false, today)
                .unwrap_err()
                .to_string()
                .contains("after today")
        );
        let long = DateRange::new(d("2025-04-01"), d("2025-06-30")).unwrap();
        let e = Limits::ADS.check(long, true, today).unwrap_err();
        assert!(e.to_string().contains("reach back 8 days"), "{e}");
        let e = Limits::ADS_REPORT
            .check(DateRange::last_days(200, today), false, today)
            .unwrap_err();
        assert!(e.to_string().contains("at most 186 days"), "{e}");
        assert!(
            Limits::ADS_REPORT
                .windows(DateRange::last_days(916, today), false, today)
                .is_err()
        );
        let w = Limits::ADS_REPORT
            .windows(DateRange::last_days(915, today), false, today)
            .unwrap();
        assert_eq!(w.len(), 5);
        assert_eq!(w[0].start, d("2022-12-29"));
        assert_eq!(w.last().unwrap().end, today);
        for pair in w.windows(2) {
            assert_eq!(
                pair[0].end.succ_opt().unwrap(),
                pair[1].start,
                "windows are contiguous"
            );
        }
    }

    #[test]
    fn windows_merge_without_double_counting_and_total_only_additive_metrics() {
        let first = DailyMetrics::from_ads_rows(&json!([
            {"DATE": "2025-01-01", "AD_ACCOUNT_ID": "7", "SPEND_IN_DOLLAR": 10.0, "CTR": 0.5, "TOTAL_CLICKTHROUGH": 3},
            {"DATE": "2025-01-02", "AD_ACCOUNT_ID": "7", "SPEND_IN_DOLLAR": 5.0, "CTR": 0.25, "TOTAL_CLICKTHROUGH": 1}
        ]))
        .unwrap();
        let second = DailyMetrics::from_ads_rows(&json!({"7": [
            {"DATE": "2025-01-02", "SPEND_IN_DOLLAR": 5.0, "CTR": 0.25, "TOTAL_CLICKTHROUGH": 1},
            {"DATE": "2025-01-03", "SPEND_IN_DOLLAR": 1.5, "CTR": 1.0, "TOTAL_CLICKTHROUGH": 2}
        ]}))
        .unwrap();
        let mut all = first;
        all.merge(second);
        assert_eq!(all.len(), 3);
        let totals = all.totals();
        assert_eq!(totals["SPEND_IN_DOLLAR"], 16.5);
        assert_eq!(totals["TOTAL_CLICKTHROUGH"], 6.0);
        assert!(!totals.contains_key("CTR"));
        let mut csv = Vec::new();
        all.write_csv(&mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(
            csv,
            "date,entity,CTR,SPEND_IN_DOLLAR,TOTAL_CLICKTHROUGH\n\
             2025-01-01,7,0.5,10,3\n2025-01-02,7,0.25,5,1\n2025-01-03,7,1,1.5,2\n"
        );
        assert!(DailyMetrics::from_ads_rows(&json!([{"SPEND": 1}])).is_err());
    }
}
