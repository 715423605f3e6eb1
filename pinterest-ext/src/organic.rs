//! Typed helpers for the organic core: pins, boards and sections, and the
//! user account. Each is one call over the generated operations (so they
//! get auth, retries and rate limits), with the request shapes written out.
//!
//! ```no_run
//! # async fn run(client: pinterest_ext::Client) -> pinterest_ext::Result<()> {
//! use pinterest_ext::NewPin;
//! let pin = client
//!     .create_pin(
//!         NewPin::from_image_url("549755885175", "https://example.com/cake.jpg")
//!             .title("Lemon cake")
//!             .link("https://example.com/recipes/lemon-cake"),
//!     )
//!     .await?;
//! println!("created pin {}", pin.id.as_str());
//! # Ok(())
//! # }
//! ```

use base64::Engine;
use pinterest_api::builder;
use serde_json::{Value, json};

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::pagination::{ItemStream, Paginate};
use crate::types;

/// Image formats Pinterest accepts as base64 data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    /// `image/jpeg`
    Jpeg,
    /// `image/png`
    Png,
}

impl ImageType {
    fn mime(self) -> &'static str {
        match self {
            ImageType::Jpeg => "image/jpeg",
            ImageType::Png => "image/png",
        }
    }
}

/// The cover of a video pin.
#[derive(Debug, Clone, PartialEq)]
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

    /// A pin of an image's bytes (sent base64-encoded).
    pub fn from_image_bytes(
        board_id: impl Into<String>,
        image_type: ImageType,
        bytes: &[u8],
    ) -> NewPin {
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        NewPin::new(board_id, Media::ImageBase64(image_type, data))
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
    /// [`Client::create_video_pin`] for the whole upload).
    pub fn from_video(
        board_id: impl Into<String>,
        media_id: impl Into<String>,
        cover: VideoCover,
    ) -> NewPin {
        NewPin::new(board_id, Media::Video(media_id.into(), cover))
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

    /// The request body (checked: carousels need 2 to 5 images).
    pub fn to_body(&self) -> Result<types::PinCreate> {
        let media_source = match &self.media {
            Media::ImageUrl(url) => json!({"source_type": "image_url", "url": url}),
            Media::ImageBase64(t, data) => {
                json!({"source_type": "image_base64", "content_type": t.mime(), "data": data})
            }
            Media::ImageUrls(urls) => {
                if !(2..=5).contains(&urls.len()) {
                    return Err(Error::new(
                        ErrorKind::InvalidRequest,
                        format!("a carousel pin takes 2 to 5 images, not {}", urls.len()),
                    ));
                }
                let items: Vec<Value> = urls.iter().map(|u| json!({"url": u})).collect();
                json!({"source_type": "multiple_image_urls", "items": items})
            }
            Media::Video(media_id, _) if media_id.is_empty() => {
                return Err(Error::new(
                    ErrorKind::InvalidRequest,
                    "the video pin has no media id: upload the video with Client::create_video_pin",
                ));
            }
            Media::Video(media_id, cover) => {
                let mut v = json!({"source_type": "video_id", "media_id": media_id});
                match cover {
                    VideoCover::ImageUrl(url) => v["cover_image_url"] = json!(url),
                    VideoCover::KeyFrame(secs) => v["cover_image_key_frame_time"] = json!(secs),
                }
                v
            }
        };
        let mut body = json!({"board_id": self.board_id, "media_source": media_source});
        for (key, value) in [
            ("board_section_id", &self.section_id),
            ("title", &self.title),
            ("description", &self.description),
            ("link", &self.link),
            ("alt_text", &self.alt_text),
        ] {
            if let Some(v) = value {
                body[key] = json!(v);
            }
        }
        serde_json::from_value(body).map_err(|e| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!("the pin is not valid: {e}"),
            )
        })
    }
}

impl Client {
    /// Creates a pin.
    pub async fn create_pin(&self, pin: NewPin) -> Result<types::Pin> {
        let body = pin.to_body()?;
        let created = self.pins_create().body(body).send().await;
        Ok(created
            .map_err(|e| Error::from(e).or_operation("pins/create", pinterest_api::Method::Post))?
            .into_inner())
    }

    /// Gets a pin.
    pub async fn pin(&self, pin_id: &str) -> Result<types::Pin> {
        Ok(self.pins_get().pin_id(pin_id).send().await?.into_inner())
    }

    /// Updates a pin (only the fields set in `update` change).
    pub async fn update_pin(&self, pin_id: &str, update: types::PinUpdate) -> Result<types::Pin> {
        Ok(self
            .pins_update()
            .pin_id(pin_id)
            .body(update)
            .send()
            .await?
            .into_inner())
    }

    /// Deletes a pin.
    pub async fn delete_pin(&self, pin_id: &str) -> Result<()> {
        self.pins_delete().pin_id(pin_id).send().await?;
        Ok(())
    }

    /// Saves a pin to a board (and section).
    pub async fn save_pin(
        &self,
        pin_id: &str,
        board_id: &str,
        section_id: Option<&str>,
    ) -> Result<types::Pin> {
        let body = types::PinsSaveBody {
            board_id: Some(board_id.to_string()),
            board_section_id: section_id.map(str::to_string),
        };
        Ok(self
            .pins_save()
            .pin_id(pin_id)
            .body(body)
            .send()
            .await?
            .into_inner())
    }

    /// Creates a board.
    pub async fn create_board(
        &self,
        name: &str,
        privacy: types::BoardPrivacy,
        description: Option<&str>,
    ) -> Result<types::Board> {
        let body = types::BoardCreate {
            name: name.to_string(),
            description: description.map(str::to_string),
            is_ads_only: false,
            privacy,
        };
        Ok(self.boards_create().body(body).send().await?.into_inner())
    }

    /// Gets a board.
    pub async fn board(&self, board_id: &str) -> Result<types::Board> {
        Ok(self
            .boards_get()
            .board_id(board_id)
            .send()
            .await?
            .into_inner())
    }

    /// Updates a board's name, description or privacy.
    pub async fn update_board(
        &self,
        board_id: &str,
        update: types::BoardWithUpdatePrivacyUpdate,
    ) -> Result<types::BoardWithUpdatePrivacy> {
        Ok(self
            .boards_update()
            .board_id(board_id)
            .body(update)
            .send()
            .await?
            .into_inner())
    }

    /// Deletes a board and its pins.
    pub async fn delete_board(&self, board_id: &str) -> Result<()> {
        self.boards_delete().board_id(board_id).send().await?;
        Ok(())
    }

    /// The user's boards, streamed.
    pub fn boards(&self) -> ItemStream<'_, builder::BoardsList<'_>> {
        self.boards_list().paginate().items()
    }

    /// A board's pins, streamed.
    pub fn board_pins(&self, board_id: &str) -> ItemStream<'_, builder::BoardsListPins<'_>> {
        self.boards_list_pins()
            .board_id(board_id)
            .paginate()
            .items()
    }

    /// Creates a section in a board.
    pub async fn create_section(&self, board_id: &str, name: &str) -> Result<types::BoardSection> {
        let body = types::BoardSection {
            id: None,
            name: name.to_string(),
        };
        Ok(self
            .board_sections_create()
            .board_id(board_id)
            .body(body)
            .send()
            .await?
            .into_inner())
    }

    /// Renames a section.
    pub async fn rename_section(
        &self,
        board_id: &str,
        section_id: &str,
        name: &str,
    ) -> Result<types::BoardSection> {
        let body = types::BoardSection {
            id: None,
            name: name.to_string(),
        };
        Ok(self
            .board_sections_update()
            .board_id(board_id)
            .section_id(section_id)
            .body(body)
            .send()
            .await?
            .into_inner())
    }

    /// Deletes a section and its pins.
    pub async fn delete_section(&self, board_id: &str, section_id: &str) -> Result<()> {
        self.board_sections_delete()
            .board_id(board_id)
            .section_id(section_id)
            .send()
            .await?;
        Ok(())
    }

    /// A board's sections, streamed.
    pub fn sections(&self, board_id: &str) -> ItemStream<'_, builder::BoardSectionsList<'_>> {
        self.board_sections_list()
            .board_id(board_id)
            .paginate()
            .items()
    }

    /// A section's pins, streamed.
    pub fn section_pins(
        &self,
        board_id: &str,
        section_id: &str,
    ) -> ItemStream<'_, builder::BoardSectionsListPins<'_>> {
        self.board_sections_list_pins()
            .board_id(board_id)
            .section_id(section_id)
            .paginate()
            .items()
    }

    /// The user account of the token.
    pub async fn me(&self) -> Result<types::Account> {
        Ok(self.user_account_get().send().await?.into_inner())
    }

    /// The user's top pins over `range` (at most 90 days back), sorted by
    /// `sort_by`.
    pub async fn top_pins(
        &self,
        range: crate::analytics::DateRange,
        sort_by: types::UserAccountAnalyticsTopPinsSortBy,
    ) -> Result<types::TopPinsAnalyticsResponse> {
        crate::analytics::Limits::ORGANIC.check(range, false, crate::analytics::today())?;
        Ok(self
            .user_account_analytics_top_pins()
            .start_date(range.start)
            .end_date(range.end)
            .sort_by(sort_by)
            .send()
            .await?
            .into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_have_the_wire_shape() {
        let pin = NewPin::from_image_bytes("1", ImageType::Png, b"\x89PNG")
            .title("t")
            .section("9");
        let body = serde_json::to_value(pin.to_body().unwrap()).unwrap();
        assert_eq!(body["media_source"]["source_type"], "image_base64");
        assert_eq!(body["media_source"]["content_type"], "image/png");
        assert_eq!(body["media_source"]["data"], "iVBORw==");
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
        assert_eq!(
            serde_json::to_value(carousel).unwrap()["media_source"]["items"][1]["url"],
            "https://a/2.jpg"
        );
    }
}
