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

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
#[cfg(feature = "ads")]
use crate::types;
#[cfg(any(feature = "ads", feature = "catalogs"))]
use {
    crate::client::Client,
    futures::StreamExt,
    std::path::Path,
    tokio::io::{AsyncWrite, AsyncWriteExt},
};

/// A job Pinterest runs in the background, by what identifies it
/// (features `ads`, `catalogs`).
#[cfg(any(feature = "ads", feature = "catalogs"))]
#[derive(Debug, Clone, PartialEq, Eq)]
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
pub struct JobStatus {
    /// Where it is.
    pub state: JobState,
    /// The download URL, once finished.
    pub url: Option<String>,
    /// The result's size in bytes, when Pinterest says.
    pub size: Option<u64>,
}

impl JobStatus {
    /// Reads the status fields of any job status body: `report_status`,
    /// `status` or `export_status`; `url`, `result_url` or `download_url`;
    /// `size` (MMM reports nest them under `data`).
    pub fn from_body(body: &Value) -> Result<JobStatus> {
        let body = body.get("data").filter(|d| d.is_object()).unwrap_or(body);
        let text = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| body.get(*k).and_then(Value::as_str).map(str::to_string))
        };
        let status = text(&["report_status", "export_status", "status"]).ok_or_else(|| {
            Error::new(ErrorKind::Decode, "the job status response has no status")
        })?;
        Ok(JobStatus {
            state: JobState::parse(&status),
            url: text(&["url", "result_url", "download_url"]).filter(|u| !u.is_empty()),
            size: body.get("size").and_then(Value::as_f64).map(|s| s as u64),
        })
    }
}

/// How to poll: delays from `initial` doubling up to `max`, giving up
/// after `timeout`.
#[derive(Debug, Clone, PartialEq)]
pub struct PollPolicy {
    /// First delay.
    pub initial: Duration,
    /// Largest delay.
    pub max: Duration,
    /// Total time to wait.
    pub timeout: Duration,
}

impl Default for PollPolicy {
    /// 1 s doubling to 30 s, for up to 30 minutes.
    fn default() -> Self {
        PollPolicy {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(30),
            timeout: Duration::from_secs(1800),
        }
    }
}

impl PollPolicy {
    /// Polls every few milliseconds (for tests against mocks).
    pub fn fast() -> PollPolicy {
        PollPolicy {
            initial: Duration::from_millis(1),
            max: Duration::from_millis(5),
            timeout: Duration::from_secs(10),
        }
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
    let mut delay = policy.initial;
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
        if started.elapsed() + delay > policy.timeout {
            return fail(format!(
                "the job is still IN_PROGRESS after {}s; poll it again later",
                started.elapsed().as_secs()
            ));
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(policy.max);
    }
}

#[cfg(any(feature = "ads", feature = "catalogs"))]
fn to_value<T: serde::Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("re-encoding the job status failed: {e}"),
        )
    })
}

#[cfg(any(feature = "ads", feature = "catalogs"))]
impl Client {
    /// Starts an asynchronous ads report.
    #[cfg(feature = "ads")]
    pub async fn start_ads_report(
        &self,
        ad_account_id: &str,
        request: types::AdsAnalyticsCreateAsyncRequest,
    ) -> Result<Job> {
        let created = self
            .analytics_create_report()
            .ad_account_id(ad_account_id)
            .body(request)
            .send()
            .await
            .map_err(|e| Error::from(e).at_stage("create"))?
            .into_inner();
        let token = created.token.filter(|t| !t.is_empty()).ok_or_else(|| {
            Error::new(
                ErrorKind::Workflow,
                format!(
                    "Pinterest did not return a report token ({})",
                    created.message.unwrap_or_else(|| "no message".into())
                ),
            )
            .at_stage("create")
        })?;
        Ok(Job::AdsReport {
            ad_account_id: ad_account_id.to_string(),
            token,
        })
    }

    /// The job's current status (one request).
    pub async fn job_status(&self, job: &Job) -> Result<JobStatus> {
        let body = match job {
            #[cfg(feature = "ads")]
            Job::AdsReport {
                ad_account_id,
                token,
            } => to_value(
                self.analytics_get_report()
                    .ad_account_id(ad_account_id.as_str())
                    .token(token.as_str())
                    .send()
                    .await?
                    .into_inner(),
            )?,
            #[cfg(feature = "ads")]
            Job::Bulk {
                ad_account_id,
                request_id,
            } => to_value(
                self.bulk_request_get()
                    .ad_account_id(ad_account_id.as_str())
                    .bulk_request_id(request_id.as_str())
                    .send()
                    .await?
                    .into_inner(),
            )?,
            #[cfg(feature = "catalogs")]
            Job::CatalogsReport {
                token,
                ad_account_id,
            } => {
                let mut request = self.reports_get().token(token.as_str());
                if let Some(id) = ad_account_id {
                    request = request.ad_account_id(id.as_str());
                }
                to_value(request.send().await?.into_inner())?
            }
            #[cfg(feature = "ads")]
            Job::LeadsExport {
                ad_account_id,
                leads_export_id,
            } => to_value(
                self.leads_export_get()
                    .ad_account_id(ad_account_id.as_str())
                    .leads_export_id(leads_export_id.as_str())
                    .send()
                    .await?
                    .into_inner(),
            )?,
            #[cfg(feature = "ads")]
            Job::MmmReport {
                ad_account_id,
                token,
            } => to_value(
                self.analytics_get_mmm_report()
                    .ad_account_id(ad_account_id.as_str())
                    .token(token.as_str())
                    .send()
                    .await?
                    .into_inner(),
            )?,
        };
        JobStatus::from_body(&body)
    }

    /// Polls until the job finishes (see [`wait_for`]).
    pub async fn wait_for_job(&self, job: &Job, policy: &PollPolicy) -> Result<JobStatus> {
        wait_for(|| self.job_status(job), policy).await
    }

    /// Waits for the job and streams its result into `out`; returns the
    /// number of bytes written. If the download URL has expired (Pinterest
    /// answers 403), the job is polled once more for a fresh URL.
    pub async fn download_job<W: AsyncWrite + Unpin>(
        &self,
        job: &Job,
        policy: &PollPolicy,
        out: &mut W,
    ) -> Result<u64> {
        let mut status = self.wait_for_job(job, policy).await?;
        for attempt in 0..2 {
            let url = status.url.clone().ok_or_else(|| {
                Error::new(
                    ErrorKind::Workflow,
                    "the job FINISHED without a download URL",
                )
                .at_stage("download")
            })?;
            match self.download(&url, out).await {
                Err(e) if attempt == 0 && e.status().is_some_and(|s| s.as_u16() == 403) => {
                    status = self.wait_for_job(job, policy).await?;
                }
                other => return other,
            }
        }
        Err(Error::new(ErrorKind::Workflow, "the download URL expired twice").at_stage("download"))
    }

    /// [`Client::download_job`] into a file (written to a temporary file
    /// first, renamed when complete).
    pub async fn download_job_to_file(
        &self,
        job: &Job,
        policy: &PollPolicy,
        path: &Path,
    ) -> Result<u64> {
        let io = |what: &str, e: std::io::Error| {
            Error::new(ErrorKind::Io, format!("{what} {}: {e}", path.display()))
                .at_stage("download")
        };
        let tmp = path.with_extension(format!(
            "{}.partial",
            path.extension()
                .and_then(|e| e.to_str())
                .unwrap_or("download")
        ));
        let mut file = tokio::fs::File::create(&tmp)
            .await
            .map_err(|e| io("cannot create", e))?;
        let written = match self.download_job(job, policy, &mut file).await {
            Ok(n) => n,
            Err(e) => {
                drop(file);
                let _ = tokio::fs::remove_file(&tmp).await;
                return Err(e);
            }
        };
        file.sync_all().await.map_err(|e| io("cannot sync", e))?;
        drop(file);
        tokio::fs::rename(&tmp, path)
            .await
            .map_err(|e| io("cannot move the download to", e))?;
        Ok(written)
    }

    /// Streams a (pre-signed, unauthenticated) result URL into `out`.
    async fn download<W: AsyncWrite + Unpin>(&self, url: &str, out: &mut W) -> Result<u64> {
        let stage = |e: Error| e.at_stage("download");
        let response = self
            .http()
            .get(url)
            .send()
            .await
            .map_err(|e| stage(crate::error::transport_kind(&e, None).with_source(e)))?;
        let status = response.status();
        if !status.is_success() {
            let headers = response.headers().clone();
            let body = response.bytes().await.unwrap_or_default();
            let mut e = Error::from_response(status, &headers, &body);
            if status.as_u16() == 403 {
                e = e.with_detail("the download URL expired (result URLs last five minutes)");
            }
            return Err(stage(e));
        }
        let mut written = 0u64;
        let mut body = response.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk =
                chunk.map_err(|e| stage(crate::error::transport_kind(&e, None).with_source(e)))?;
            out.write_all(&chunk).await.map_err(|e| {
                stage(Error::new(
                    ErrorKind::Io,
                    format!("writing the download failed: {e}"),
                ))
            })?;
            written += chunk.len() as u64;
        }
        out.flush().await.map_err(|e| {
            stage(Error::new(
                ErrorKind::Io,
                format!("writing the download failed: {e}"),
            ))
        })?;
        Ok(written)
    }
}
