//! Video pins in one call: register the upload (`POST /media`), send the
//! file to the returned address as a multipart form with every field of
//! `upload_parameters` plus `file` (streamed, with an idle timeout, see
//! [`crate::transfer`]), poll `GET /media/{id}` until `succeeded` or
//! `failed`, then create the pin with the `video_id` media source. Each
//! stage's failure names the stage (`check`, `register`, `upload`,
//! `processing`, `create pin`).
//!
//! ```no_run
//! # async fn run(client: pinterest_ext::Client) -> pinterest_ext::Result<()> {
//! use pinterest_ext::{NewPin, VideoCover, VideoUpload, jobs::PollPolicy};
//! let video = VideoUpload::from_path("clip.mp4").await?;
//! let pin = client
//!     .create_video_pin(
//!         video,
//!         NewPin::video("549755885175", VideoCover::KeyFrame(2)).title("How to fold a crane"),
//!         &PollPolicy::default(),
//!     )
//!     .await?;
//! # let _ = pin;
//! # Ok(())
//! # }
//! ```

use super::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::jobs::{JobState, JobStatus, PollPolicy, wait_for};
use crate::media::{Source, VideoUpload};
use crate::organic::NewPin;
use crate::types;

/// The form fields of `upload_parameters`, by their wire names.
fn upload_fields(p: &types::MediaUploadParameters) -> Vec<(String, String)> {
    [
        ("Content-Type", &p.content_type),
        ("key", &p.key),
        ("policy", &p.policy),
        ("x-amz-algorithm", &p.x_amz_algorithm),
        ("x-amz-credential", &p.x_amz_credential),
        ("x-amz-date", &p.x_amz_date),
        ("x-amz-security-token", &p.x_amz_security_token),
        ("x-amz-signature", &p.x_amz_signature),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.as_ref().map(|v| (name.to_string(), v.clone())))
    .collect()
}

use crate::transfer::{Body, UploadFile};

async fn body_of(video: VideoUpload) -> Result<UploadFile> {
    let mime = video.mime();
    let body: Body = match video.source {
        Source::Bytes(bytes) => Box::pin(futures::stream::once(async move { Ok(bytes) })),
        Source::Path(path) => {
            let file = tokio::fs::File::open(&path).await.map_err(|e| {
                Error::new(
                    ErrorKind::Io,
                    format!("cannot open {}: {e}", path.display()),
                )
                .at_stage("upload")
            })?;
            Box::pin(tokio_util::io::ReaderStream::new(file))
        }
        Source::Reader(reader) => Box::pin(tokio_util::io::ReaderStream::new(reader)),
    };
    Ok(UploadFile {
        name: video.file_name,
        mime,
        len: video.len,
        body,
    })
}

fn media_state(status: Option<&types::MediaUploadStatus>) -> JobState {
    use types::MediaUploadStatus as S;
    match status {
        None | Some(S::Registered | S::Processing) => JobState::InProgress,
        Some(S::Succeeded) => JobState::Finished,
        Some(S::Failed) => JobState::Failed,
        Some(other) => JobState::Other(other.as_str().to_string()),
    }
}

impl Client {
    /// Uploads a video and waits until Pinterest has processed it; returns
    /// the media id to create pins with.
    pub async fn upload_video(&self, video: VideoUpload, poll: &PollPolicy) -> Result<String> {
        let registered = self
            .media_create()
            .body(types::MediaUploadCreate {
                media_type: types::MediaUploadType::Video,
            })
            .send()
            .await
            .map_err(|e| e.at_stage("register"))?
            .into_inner();
        let media_id = registered
            .media_id
            .clone()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                Error::new(ErrorKind::Workflow, "the registered upload has no media_id")
                    .at_stage("register")
            })?;
        let address = registered.upload_url.as_deref().ok_or_else(|| {
            Error::new(
                ErrorKind::Workflow,
                "the registered upload has no upload_url",
            )
            .at_stage("register")
        })?;
        let url = self
            .transfer_policy()
            .check(address, "upload")
            .map_err(|e| e.at_stage("register"))?;
        let fields = registered
            .upload_parameters
            .as_ref()
            .map(upload_fields)
            .unwrap_or_default();
        crate::transfer::upload(
            self.transfer_http(),
            url,
            fields,
            body_of(video).await?,
            self.transfer_policy(),
        )
        .await
        .map_err(|e| e.at_stage("upload"))?;
        wait_for(
            || async {
                let media = self
                    .media_get()
                    .media_id(media_id.as_str())
                    .send()
                    .await?
                    .into_inner();
                Ok(JobStatus::new(media_state(media.status.as_ref())))
            },
            poll,
        )
        .await
        .map_err(|e| match e.kind() {
            ErrorKind::Workflow => {
                Error::new(ErrorKind::Workflow, format!("video {media_id}: {e}"))
                    .at_stage("processing")
            }
            _ => e.at_stage("processing"),
        })?;
        Ok(media_id)
    }

    /// Uploads `video`, waits for processing, and creates `pin` (made with
    /// [`NewPin::video`]) with it.
    pub async fn create_video_pin(
        &self,
        video: VideoUpload,
        pin: NewPin,
        poll: &PollPolicy,
    ) -> Result<types::Pin> {
        // Check the pin before uploading anything.
        pin.clone()
            .with_media_id("0")
            .to_body()
            .map_err(|e| e.at_stage("check"))?;
        let media_id = self.upload_video(video, poll).await?;
        self.create_pin(pin.with_media_id(&media_id))
            .await
            .map_err(|e| {
                e.with_detail(format!(
                    "the video {media_id} is uploaded; create the pin with it"
                ))
                .at_stage("create pin")
            })
    }
}
