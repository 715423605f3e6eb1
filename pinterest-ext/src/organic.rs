//! The request shapes of the organic helpers: [`NewPin`], built into the
//! generated `types::PinCreate` without going through JSON.
//!
//! ```
//! use pinterest_ext::NewPin;
//! let body = NewPin::from_image_url("549755885175", "https://example.com/cake.jpg")
//!     .title("Lemon cake")
//!     .to_body()
//!     .unwrap();
//! assert_eq!(body.title.as_deref(), Some("Lemon cake"));
//! ```

use base64::Engine;

use crate::error::{Error, ErrorKind, Result};
use crate::media::{ImageFormat, MediaLimits, check_image};
use crate::types;

/// Image formats Pinterest accepts as base64 data (the spec's
/// `content_type`: JPEG and PNG).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageType {
    /// `image/jpeg`
    Jpeg,
    /// `image/png`
    Png,
}

impl ImageType {
    fn content_type(self) -> types::ContentType {
        match self {
            ImageType::Jpeg => types::ContentType::ImageJpeg,
            ImageType::Png => types::ContentType::ImagePng,
        }
    }
}

/// The cover of a video pin.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum VideoCover {
    /// An image at a URL.
    ImageUrl(String),
    /// The frame at this many seconds into the video.
    KeyFrame(u64),
}

#[derive(Debug, Clone, PartialEq)]
enum Media {
    ImageUrl(String),
    ImageBase64(ImageType, String),
    ImageUrls(Vec<String>),
    Video(String, VideoCover),
}

/// A pin to create. Start from one of the `from_*` constructors.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPin {
    board_id: String,
    section_id: Option<String>,
    title: Option<String>,
    description: Option<String>,
    link: Option<String>,
    alt_text: Option<String>,
    media: Media,
}

fn invalid(detail: String) -> Error {
    Error::new(ErrorKind::InvalidRequest, detail)
}

impl NewPin {
    fn new(board_id: impl Into<String>, media: Media) -> NewPin {
        NewPin {
            board_id: board_id.into(),
            section_id: None,
            title: None,
            description: None,
            link: None,
            alt_text: None,
            media,
        }
    }

    /// A pin of the image at `url`.
    pub fn from_image_url(board_id: impl Into<String>, url: impl Into<String>) -> NewPin {
        NewPin::new(board_id, Media::ImageUrl(url.into()))
    }

    /// A pin of an image's bytes (sent base64-encoded), checked first
    /// against [`MediaLimits::default`]: at most 10 MB, and JPEG or PNG by
    /// its magic bytes (the only types the spec's base64 source takes).
    pub fn from_image_bytes(board_id: impl Into<String>, bytes: &[u8]) -> Result<NewPin> {
        NewPin::from_image_bytes_with(board_id, bytes, &MediaLimits::default())
    }

    /// [`NewPin::from_image_bytes`] with other limits.
    pub fn from_image_bytes_with(
        board_id: impl Into<String>,
        bytes: &[u8],
        limits: &MediaLimits,
    ) -> Result<NewPin> {
        let image_type = match check_image(bytes, limits)? {
            ImageFormat::Jpeg => ImageType::Jpeg,
            ImageFormat::Png => ImageType::Png,
            _ => {
                return Err(invalid(
                    "a GIF cannot be sent as base64 data (the spec takes JPEG and PNG); host it and use NewPin::from_image_url".into(),
                )
                .at_stage("check"));
            }
        };
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        Ok(NewPin::new(board_id, Media::ImageBase64(image_type, data)))
    }

    /// A pin of an image file, read and checked as
    /// [`NewPin::from_image_bytes`].
    pub async fn from_image_file(
        board_id: impl Into<String>,
        path: impl AsRef<std::path::Path>,
    ) -> Result<NewPin> {
        let path = path.as_ref();
        let limits = MediaLimits::default();
        let meta = tokio::fs::metadata(path).await.map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        if meta.len() > limits.max_image_bytes {
            return Err(invalid(format!(
                "{} is {} bytes; the limit is {} bytes (max_image_bytes)",
                path.display(),
                meta.len(),
                limits.max_image_bytes
            ))
            .at_stage("check"));
        }
        let bytes = tokio::fs::read(path).await.map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        NewPin::from_image_bytes_with(board_id, &bytes, &limits)
    }

    /// A pin of base64 image data as the caller already has it.
    pub fn from_image_base64(
        board_id: impl Into<String>,
        image_type: ImageType,
        data: impl Into<String>,
    ) -> NewPin {
        NewPin::new(board_id, Media::ImageBase64(image_type, data.into()))
    }

    /// A carousel pin of 2 to 5 images.
    pub fn from_images<S: Into<String>>(
        board_id: impl Into<String>,
        urls: impl IntoIterator<Item = S>,
    ) -> NewPin {
        NewPin::new(
            board_id,
            Media::ImageUrls(urls.into_iter().map(Into::into).collect()),
        )
    }

    /// A video pin of an uploaded, processed video (see
    /// [`Client::create_video_pin`](crate::Client::create_video_pin) for the
    /// whole upload).
    pub fn from_video(
        board_id: impl Into<String>,
        media_id: impl Into<String>,
        cover: VideoCover,
    ) -> NewPin {
        NewPin::new(board_id, Media::Video(media_id.into(), cover))
    }

    /// A video pin whose video [`Client::create_video_pin`](crate::Client::create_video_pin)
    /// uploads.
    pub fn video(board_id: impl Into<String>, cover: VideoCover) -> NewPin {
        NewPin::from_video(board_id, String::new(), cover)
    }

    /// Puts it in a board section.
    pub fn section(mut self, section_id: impl Into<String>) -> NewPin {
        self.section_id = Some(section_id.into());
        self
    }

    /// Sets the title.
    pub fn title(mut self, title: impl Into<String>) -> NewPin {
        self.title = Some(title.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> NewPin {
        self.description = Some(description.into());
        self
    }

    /// Sets the destination link.
    pub fn link(mut self, link: impl Into<String>) -> NewPin {
        self.link = Some(link.into());
        self
    }

    /// Sets the alt text.
    pub fn alt_text(mut self, alt_text: impl Into<String>) -> NewPin {
        self.alt_text = Some(alt_text.into());
        self
    }

    /// Fills in the media id of a video pin.
    pub(crate) fn with_media_id(mut self, id: &str) -> NewPin {
        if let Media::Video(media_id, _) = &mut self.media {
            *media_id = id.to_string();
        }
        self
    }

    /// The board it goes to.
    pub fn board_id(&self) -> &str {
        &self.board_id
    }

    /// The request body (checked: carousels need 2 to 5 images, a video pin
    /// a media id of digits).
    pub fn to_body(&self) -> Result<types::PinCreate> {
        use types::{
            PinCreate, PinMediaSource as S, PinMediaSourceImageBase64,
            PinMediaSourceImageBase64SourceType, PinMediaSourceImageUrl,
            PinMediaSourceImageUrlSourceType, PinMediaSourceImagesUrl, PinMediaSourceImagesUrlItem,
            PinMediaSourceImagesUrlSourceType, PinMediaSourceVideoId,
            PinMediaSourceVideoIdSourceType,
        };
        let media_source = match &self.media {
            Media::ImageUrl(url) => S::ImageUrl(PinMediaSourceImageUrl {
                is_standard: true,
                source_type: PinMediaSourceImageUrlSourceType::ImageUrl,
                url: url.clone(),
            }),
            Media::ImageBase64(t, data) => S::ImageBase64(PinMediaSourceImageBase64 {
                content_type: t.content_type(),
                data: data
                    .clone()
                    .try_into()
                    .map_err(|e| invalid(format!("the base64 image data is not valid: {e}")))?,
                is_standard: true,
                source_type: PinMediaSourceImageBase64SourceType::ImageBase64,
            }),
            Media::ImageUrls(urls) => {
                if !(2..=5).contains(&urls.len()) {
                    return Err(invalid(format!(
                        "a carousel pin takes 2 to 5 images, not {}",
                        urls.len()
                    )));
                }
                S::ImagesUrl(PinMediaSourceImagesUrl {
                    index: None,
                    items: urls
                        .iter()
                        .map(|u| PinMediaSourceImagesUrlItem {
                            description: None,
                            link: None,
                            title: None,
                            url: u.clone(),
                        })
                        .collect(),
                    source_type: PinMediaSourceImagesUrlSourceType::MultipleImageUrls,
                })
            }
            Media::Video(media_id, _) if media_id.is_empty() => {
                return Err(invalid(
                    "the video pin has no media id: upload the video with Client::create_video_pin"
                        .into(),
                ));
            }
            Media::Video(media_id, cover) => {
                let (url, key_frame) = match cover {
                    VideoCover::ImageUrl(url) => (Some(url.clone()), None),
                    VideoCover::KeyFrame(secs) => (None, Some(*secs)),
                };
                S::VideoId(PinMediaSourceVideoId {
                    cover_image_content_type: None,
                    cover_image_data: None,
                    cover_image_key_frame_time: key_frame,
                    cover_image_url: url,
                    is_standard: true,
                    media_id: media_id
                        .clone()
                        .try_into()
                        .map_err(|e| invalid(format!("media id {media_id:?} is not valid: {e}")))?,
                    source_type: PinMediaSourceVideoIdSourceType::VideoId,
                })
            }
        };
        Ok(PinCreate {
            alt_text: self.alt_text.clone(),
            board_id: Some(self.board_id.clone()),
            board_section_id: self.section_id.clone(),
            description: self.description.clone(),
            dominant_color: None,
            link: self.link.clone(),
            media_source: Some(media_source),
            parent_pin_id: None,
            sponsor_id: None,
            title: self.title.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_have_the_wire_shape() {
        let png = b"\x89PNG\r\n\x1a\n";
        let pin = NewPin::from_image_bytes("1", png)
            .unwrap()
            .title("t")
            .section("9");
        let body = serde_json::to_value(pin.to_body().unwrap()).unwrap();
        assert_eq!(body["media_source"]["source_type"], "image_base64");
        assert_eq!(body["media_source"]["content_type"], "image/png");
        assert_eq!(body["media_source"]["data"], "iVBORw0KGgo=");
        assert_eq!(body["board_section_id"], "9");
        let video = NewPin::from_video("1", "123", VideoCover::KeyFrame(3))
            .to_body()
            .unwrap();
        let v = serde_json::to_value(video).unwrap();
        assert_eq!(v["media_source"]["source_type"], "video_id");
        assert_eq!(v["media_source"]["cover_image_key_frame_time"], 3);
        let err = NewPin::from_images("1", ["a"]).to_body().unwrap_err();
        assert!(err.to_string().contains("2 to 5 images"), "{err}");
        let carousel = NewPin::from_images("1", ["https://a/1.jpg", "https://a/2.jpg"])
            .to_body()
            .unwrap();
        let c = serde_json::to_value(carousel).unwrap();
        assert_eq!(c["media_source"]["items"][1]["url"], "https://a/2.jpg");
        assert_eq!(c["media_source"]["source_type"], "multiple_image_urls");
    }

    #[test]
    fn images_are_checked_by_their_bytes() {
        let err = NewPin::from_image_bytes("1", b"GIF89a....").unwrap_err();
        assert!(
            err.to_string().contains("GIF cannot be sent as base64"),
            "{err}"
        );
        let err = NewPin::from_image_bytes("1", b"<html>not an image").unwrap_err();
        assert!(err.to_string().contains("not a JPEG, PNG or GIF"), "{err}");
        let big = vec![0xFFu8; 11 * 1024 * 1024];
        let err = NewPin::from_image_bytes("1", &big).unwrap_err();
        assert!(err.to_string().contains("limit is 10485760 bytes"), "{err}");
    }
}
