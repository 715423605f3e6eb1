//! Helpers for Pinterest's token-then-poll jobs: start, poll with the
//! shared schedule, and stream the result (checked address, idle timeout,
//! size check) into a writer or a private temp file that becomes the
//! destination only when complete.

use std::path::Path;

use tokio::io::AsyncWrite;

use super::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::jobs::{Job, JobStatus, PollPolicy, wait_for};
#[cfg(feature = "ads")]
use crate::types;

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
            .map_err(|e| e.at_stage("create"))?
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
        match job {
            #[cfg(feature = "ads")]
            Job::AdsReport {
                ad_account_id,
                token,
            } => {
                let r = self
                    .analytics_get_report()
                    .ad_account_id(ad_account_id.as_str())
                    .token(token.as_str())
                    .send()
                    .await?
                    .into_inner();
                JobStatus::from_parts(
                    r.report_status.as_ref().map(|s| s.as_str()),
                    r.url.as_deref(),
                    r.size,
                )
            }
            #[cfg(feature = "ads")]
            Job::Bulk {
                ad_account_id,
                request_id,
            } => {
                let r = self
                    .bulk_request_get()
                    .ad_account_id(ad_account_id.as_str())
                    .bulk_request_id(request_id.as_str())
                    .send()
                    .await?
                    .into_inner();
                JobStatus::from_parts(
                    r.status.as_ref().map(|s| s.as_str()),
                    r.result_url.as_deref(),
                    None,
                )
            }
            #[cfg(feature = "catalogs")]
            Job::CatalogsReport {
                token,
                ad_account_id,
            } => {
                let mut request = self.reports_get().token(token.as_str());
                if let Some(id) = ad_account_id {
                    request = request.ad_account_id(id.as_str());
                }
                let r = request.send().await?.into_inner();
                JobStatus::from_parts(
                    r.report_status.as_ref().map(|s| s.as_str()),
                    r.url.as_deref(),
                    r.size,
                )
            }
            #[cfg(feature = "ads")]
            Job::LeadsExport {
                ad_account_id,
                leads_export_id,
            } => {
                let r = self
                    .leads_export_get()
                    .ad_account_id(ad_account_id.as_str())
                    .leads_export_id(leads_export_id.as_str())
                    .send()
                    .await?
                    .into_inner();
                JobStatus::from_parts(
                    r.export_status.as_ref().map(|s| s.as_str()),
                    r.download_url.as_deref(),
                    None,
                )
            }
            #[cfg(feature = "ads")]
            Job::MmmReport {
                ad_account_id,
                token,
            } => {
                let r = self
                    .analytics_get_mmm_report()
                    .ad_account_id(ad_account_id.as_str())
                    .token(token.as_str())
                    .send()
                    .await?
                    .into_inner();
                let data = r.data.unwrap_or_default();
                JobStatus::from_parts(
                    data.report_status
                        .as_ref()
                        .map(|s| s.as_str())
                        .or(r.status.as_deref()),
                    data.url.as_deref(),
                    data.size,
                )
            }
        }
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
            let address = status.url.clone().ok_or_else(|| {
                Error::new(
                    ErrorKind::Workflow,
                    "the job FINISHED without a download URL",
                )
                .at_stage("download")
            })?;
            let url = self
                .transfer_policy()
                .check(&address, "download")
                .map_err(|e| e.at_stage("download"))?;
            match crate::transfer::download(
                self.transfer_http(),
                url,
                out,
                status.size,
                self.transfer_policy(),
            )
            .await
            {
                Err(e) if attempt == 0 && e.status().is_some_and(|s| s.as_u16() == 403) => {
                    status = self.wait_for_job(job, policy).await?;
                }
                other => return other.map_err(|e| e.at_stage("download")),
            }
        }
        Err(Error::new(ErrorKind::Workflow, "the download URL expired twice").at_stage("download"))
    }

    /// [`Client::download_job`] into a file: written to a private,
    /// uniquely named temp file beside it (never following a link, never
    /// truncating anything else), synced, and renamed into place only when
    /// complete.
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
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let tmp = tokio::task::spawn_blocking(move || {
            tempfile::Builder::new()
                .prefix(".pinterest-download-")
                .suffix(".partial")
                .tempfile_in(dir)
        })
        .await
        .map_err(|e| io("cannot create a temp file beside", std::io::Error::other(e)))?
        .map_err(|e| io("cannot create a temp file beside", e))?;
        let (file, tmp_path) = tmp.into_parts();
        let mut file = tokio::fs::File::from_std(file);
        let written = self.download_job(job, policy, &mut file).await?;
        file.sync_all().await.map_err(|e| io("cannot sync", e))?;
        drop(file);
        let target = path.to_path_buf();
        tokio::task::spawn_blocking(move || tmp_path.persist(target))
            .await
            .map_err(|e| io("cannot move the download to", std::io::Error::other(e)))?
            .map_err(|e| io("cannot move the download to", e.error))?;
        Ok(written)
    }
}
