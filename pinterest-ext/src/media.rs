//! Video pins in one call: register the upload (`POST /media`), send the
//! file to `upload_url` as a multipart form with every field of
//! `upload_parameters` plus `file` (streamed), poll `GET /media/{id}` until
//! `succeeded` or `failed`, then create the pin with the `video_id` media
//! source. Each stage's failure names the stage (`register`, `upload`,
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

use std::path::{Path, PathBuf};

use bytes::Bytes;
use tokio::io::AsyncRead;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::jobs::{JobState, JobStatus, PollPolicy, wait_for};
use crate::organic::NewPin;
use crate::types;

/// Largest video Pinterest accepts (2 GB).
pub const MAX_VIDEO_BYTES: u64 = 2 * 1024 * 1024 * 1024;

enum Source {
    Path(PathBuf),
    Bytes(Bytes),
    Reader(Box<dyn AsyncRead + Send + Sync + Unpin>),
}

/// A video to upload, checked (size, type) before anything is sent.
pub struct VideoUpload {
    source: Source,
    len: u64,
    file_name: String,
    content_type: &'static str,
}

impl std::fmt::Debug for VideoUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VideoUpload")
            .field("file_name", &self.file_name)
            .field("len", &self.len)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

fn invalid(detail: String) -> Error {
    Error::new(ErrorKind::InvalidRequest, detail).at_stage("check")
}

/// The video type of a file name (`.mp4`, `.m4v`, `.mov`).
fn content_type_of(file_name: &str) -> Result<&'static str> {
    let ext = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "mp4" | "m4v" => Ok("video/mp4"),
        "mov" => Ok("video/quicktime"),
        _ => Err(invalid(format!(
            "{file_name:?} is not a video Pinterest accepts: use an .mp4, .m4v or .mov file"
        ))),
    }
}

fn check_len(file_name: &str, len: u64) -> Result<()> {
    if len == 0 {
        return Err(invalid(format!("{file_name:?} is empty")));
    }
    if len > MAX_VIDEO_BYTES {
        return Err(invalid(format!(
            "{file_name:?} is {len} bytes; Pinterest accepts videos up to {MAX_VIDEO_BYTES} bytes (2 GB)"
        )));
    }
    Ok(())
}

impl VideoUpload {
    /// A video file (streamed from disk when uploaded).
    pub async fn from_path(path: impl AsRef<Path>) -> Result<VideoUpload> {
        let path = path.as_ref();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let content_type = content_type_of(&file_name)?;
        let meta = tokio::fs::metadata(path).await.map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("cannot read {}: {e}", path.display()),
            )
            .at_stage("check")
        })?;
        if !meta.is_file() {
            return Err(invalid(format!("{} is not a file", path.display())));
        }
        check_len(&file_name, meta.len())?;
        Ok(VideoUpload {
            source: Source::Path(path.to_path_buf()),
            len: meta.len(),
            file_name,
            content_type,
        })
    }

    /// A video in memory. MP4 and QuickTime files carry `ftyp` at byte 4;
    /// data without it is refused.
    pub fn from_bytes(
        bytes: impl Into<Bytes>,
        file_name: impl Into<String>,
    ) -> Result<VideoUpload> {
        let bytes = bytes.into();
        let file_name = file_name.into();
        let content_type = content_type_of(&file_name)?;
        check_len(&file_name, bytes.len() as u64)?;
        if bytes.get(4..8) != Some(b"ftyp") {
            return Err(invalid(format!(
                "{file_name:?} does not look like an MP4/QuickTime video (no `ftyp` box)"
            )));
        }
        Ok(VideoUpload {
            len: bytes.len() as u64,
            source: Source::Bytes(bytes),
            file_name,
            content_type,
        })
    }

    /// A video read from `reader`, which must yield exactly `len` bytes.
    pub fn from_reader(
        reader: impl AsyncRead + Send + Sync + Unpin + 'static,
        len: u64,
        file_name: impl Into<String>,
    ) -> Result<VideoUpload> {
        let file_name = file_name.into();
        let content_type = content_type_of(&file_name)?;
        check_len(&file_name, len)?;
        Ok(VideoUpload {
            source: Source::Reader(Box::new(reader)),
            len,
            file_name,
            content_type,
        })
    }

    /// Size in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether it is empty (never true for a checked upload).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    async fn into_part(self) -> Result<reqwest::multipart::Part> {
        let body = match self.source {
            Source::Bytes(bytes) => reqwest::Body::from(bytes),
            Source::Path(path) => {
                let file = tokio::fs::File::open(&path).await.map_err(|e| {
                    Error::new(
                        ErrorKind::Io,
                        format!("cannot open {}: {e}", path.display()),
                    )
                    .at_stage("upload")
                })?;
                reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(file))
            }
            Source::Reader(reader) => {
                reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(reader))
            }
        };
        reqwest::multipart::Part::stream_with_length(body, self.len)
            .file_name(self.file_name)
            .mime_str(self.content_type)
            .map_err(|e| {
                Error::new(ErrorKind::InvalidRequest, format!("bad content type: {e}"))
                    .at_stage("upload")
            })
    }
}

impl NewPin {
    /// A video pin whose video [`Client::create_video_pin`] uploads.
    pub fn video(board_id: impl Into<String>, cover: crate::organic::VideoCover) -> NewPin {
        NewPin::from_video(board_id, String::new(), cover)
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
            .map_err(|e| Error::from(e).at_stage("register"))?
            .into_inner();
        let media_id = registered.media_id.clone();
        let upload_url = registered.upload_url.clone().ok_or_else(|| {
            Error::new(
                ErrorKind::Workflow,
                "the registered upload has no upload_url",
            )
            .at_stage("register")
        })?;
        let parameters = serde_json::to_value(&registered.upload_parameters).map_err(|e| {
            Error::new(ErrorKind::Decode, format!("upload_parameters: {e}")).at_stage("register")
        })?;
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in parameters.as_object().into_iter().flatten() {
            if let Some(text) = value.as_str() {
                form = form.text(name.clone(), text.to_string());
            }
        }
        form = form.part("file", video.into_part().await?);
        let response = self
            .http()
            .post(&upload_url)
            .multipart(form)
            .send()
            .await
            .map_err(|e| {
                crate::error::transport_kind(&e, Some(pinterest_api::Method::Post))
                    .with_source(e)
                    .at_stage("upload")
            })?;
        if !response.status().is_success() {
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await.unwrap_or_default();
            return Err(Error::from_response(status, &headers, &body)
                .with_body_excerpt(&body)
                .with_detail("the media upload was rejected")
                .at_stage("upload"));
        }
        wait_for(
            || async {
                let media = self
                    .media_get()
                    .media_id(media_id.as_str())
                    .send()
                    .await?
                    .into_inner();
                let status = serde_json::to_value(media.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| "registered".into());
                let state = match status.as_str() {
                    "succeeded" => JobState::Finished,
                    "registered" | "processing" => JobState::InProgress,
                    "failed" => JobState::Failed,
                    other => JobState::Other(other.to_string()),
                };
                Ok(JobStatus {
                    state,
                    url: None,
                    size: None,
                })
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
