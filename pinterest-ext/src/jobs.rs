//! One poller for Pinterest's token-then-poll operations: ads reports,
//! bulk downloads/upserts, catalog reports, lead exports and MMM reports.
//! Create the job, poll its status with backoff through every status the
//! spec lists, then stream the result to a writer or a file before the
//! download URL expires (the spec gives it five minutes; an expired URL is
//! refreshed by polling once more).
//!
//! ```no_run
//! # async fn run(client: pinterest_ext::Client, request: pinterest_ext::types::AdsAnalyticsCreateAsyncRequest) -> pinterest_ext::Result<()> {
//! use pinterest_ext::jobs::PollPolicy;
//! let job = client.start_ads_report("549755885175", request).await?;
//! let bytes = client.download_job_to_file(&job, &PollPolicy::default(), "report.csv".as_ref()).await?;
//! println!("{bytes} bytes");
//! # Ok(())
//! # }
//! ```

use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::retry::Backoff;

/// A job Pinterest runs in the background, by what identifies it
/// (features `ads`, `catalogs`).
#[cfg(any(feature = "ads", feature = "catalogs"))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Job {
    /// `POST/GET /ad_accounts/{id}/reports` (token).
    #[cfg(feature = "ads")]
    AdsReport {
        /// The ad account.
        ad_account_id: String,
        /// The report token.
        token: String,
    },
    /// `POST /ad_accounts/{id}/bulk/download|upsert`, `GET .../bulk/{request_id}`.
    #[cfg(feature = "ads")]
    Bulk {
        /// The ad account.
        ad_account_id: String,
        /// The bulk request id.
        request_id: String,
    },
    /// `POST/GET /catalogs/reports` (token).
    #[cfg(feature = "catalogs")]
    CatalogsReport {
        /// The report token.
        token: String,
        /// The ad account acting for the catalog owner, if any.
        ad_account_id: Option<String>,
    },
    /// `POST/GET /ad_accounts/{id}/leads_export[/{leads_export_id}]`.
    #[cfg(feature = "ads")]
    LeadsExport {
        /// The ad account.
        ad_account_id: String,
        /// The export id.
        leads_export_id: String,
    },
    /// `POST/GET /ad_accounts/{id}/mmm_reports` (token).
    #[cfg(feature = "ads")]
    MmmReport {
        /// The ad account.
        ad_account_id: String,
        /// The report token.
        token: String,
    },
}

/// Where a job is, as its status says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobState {
    /// `IN_PROGRESS`, `RUNNING`.
    InProgress,
    /// `FINISHED`, `SUCCEEDED`: the result can be downloaded.
    Finished,
    /// `FAILED`.
    Failed,
    /// `EXPIRED`: too old; start it again.
    Expired,
    /// `CANCELLED`.
    Cancelled,
    /// `DOES_NOT_EXIST`: the token is unknown.
    DoesNotExist,
    /// A status this crate does not know (kept verbatim).
    Other(String),
}

impl JobState {
    /// Reads a status as Pinterest writes it.
    pub fn parse(status: &str) -> JobState {
        match status {
            "IN_PROGRESS" | "RUNNING" => JobState::InProgress,
            "FINISHED" | "SUCCEEDED" => JobState::Finished,
            "FAILED" => JobState::Failed,
            "EXPIRED" => JobState::Expired,
            "CANCELLED" => JobState::Cancelled,
            "DOES_NOT_EXIST" => JobState::DoesNotExist,
            other => JobState::Other(other.to_string()),
        }
    }
}

/// A job's status.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JobStatus {
    /// Where it is.
    pub state: JobState,
    /// The download URL, once finished.
    pub url: Option<String>,
    /// The result's size in bytes, when Pinterest says.
    pub size: Option<u64>,
}

impl JobStatus {
    /// A status in `state`, without a result yet.
    pub fn new(state: JobState) -> JobStatus {
        JobStatus {
            state,
            url: None,
            size: None,
        }
    }

    /// A status read from a status response's fields: its status text (any
    /// of the spec's status enums, as they write it), result URL and size.
    pub fn from_parts(
        status: Option<&str>,
        url: Option<&str>,
        size: Option<f64>,
    ) -> Result<JobStatus> {
        let status = status.ok_or_else(|| {
            Error::new(ErrorKind::Decode, "the job status response has no status")
        })?;
        Ok(JobStatus {
            state: JobState::parse(status),
            url: url.filter(|u| !u.is_empty()).map(str::to_string),
            size: size.and_then(byte_count),
        })
    }
}

/// A size from the network: a finite, non-negative whole number of bytes
/// below 2^53; anything else is no size.
fn byte_count(size: f64) -> Option<u64> {
    ((0.0..9_007_199_254_740_992.0).contains(&size) && size.fract() == 0.0).then_some(size as u64)
}

/// How to poll: delays from `backoff` (the crate's one schedule, without
/// jitter), giving up after `timeout`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PollPolicy {
    /// The delays between polls (at least 1 ms each).
    pub backoff: Backoff,
    /// Total time to wait.
    pub timeout: Duration,
}

impl Default for PollPolicy {
    /// 1 s doubling to 30 s, for up to 30 minutes.
    fn default() -> Self {
        PollPolicy {
            backoff: Backoff::new(Duration::from_secs(1), Duration::from_secs(30)).without_jitter(),
            timeout: Duration::from_secs(1800),
        }
    }
}

impl PollPolicy {
    /// Delays from `initial` doubling to `max`, for up to `timeout`.
    pub fn new(initial: Duration, max: Duration, timeout: Duration) -> PollPolicy {
        PollPolicy {
            backoff: Backoff::new(initial, max).without_jitter(),
            timeout,
        }
    }

    /// Polls every few milliseconds (for tests against mocks).
    pub fn fast() -> PollPolicy {
        PollPolicy::new(
            Duration::from_millis(1),
            Duration::from_millis(5),
            Duration::from_secs(10),
        )
    }
}

/// Calls `check` until the job leaves `IN_PROGRESS`, with backoff. Returns
/// the finished status; every other final status is an error saying what
/// to do.
pub async fn wait_for<F, Fut>(mut check: F, policy: &PollPolicy) -> Result<JobStatus>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<JobStatus>>,
{
    let started = tokio::time::Instant::now();
    let mut schedule = policy.backoff.schedule(None, policy.timeout);
    loop {
        let status = check().await.map_err(|e| e.at_stage("poll"))?;
        let fail = |detail: String| Err(Error::new(ErrorKind::Workflow, detail).at_stage("poll"));
        match &status.state {
            JobState::Finished => return Ok(status),
            JobState::InProgress => {}
            JobState::Failed => {
                return fail(
                    "the job FAILED on Pinterest's side; check its parameters and start it again"
                        .into(),
                );
            }
            JobState::Expired => {
                return fail(
                    "the job EXPIRED before its result was fetched; start it again".into(),
                );
            }
            JobState::Cancelled => return fail("the job was CANCELLED".into()),
            JobState::DoesNotExist => {
                return fail(
                    "Pinterest does not know this job (DOES_NOT_EXIST); check the token or id"
                        .into(),
                );
            }
            JobState::Other(s) => {
                return fail(format!(
                    "the job has a status this client does not know: {s}"
                ));
            }
        }
        let Some(wait) = schedule.next_wait(None) else {
            return fail(format!(
                "the job is still IN_PROGRESS after {}s; poll it again later",
                started.elapsed().as_secs()
            ));
        };
        tokio::time::sleep(wait).await;
    }
}
