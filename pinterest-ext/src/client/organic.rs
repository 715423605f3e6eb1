//! Helpers for the organic core: pins, boards and sections, and the user
//! account. Each is one call over the generated operations (so it gets
//! auth, retries and rate limits), with the request shapes written out.

use pinterest_api::builder;

use super::Client;
use crate::error::Result;
use crate::organic::NewPin;
use crate::pagination::{ItemStream, Paginate};
use crate::types;

impl Client {
    /// Creates a pin.
    pub async fn create_pin(&self, pin: NewPin) -> Result<types::Pin> {
        let body = pin.to_body()?;
        Ok(self.pins_create().body(body).send().await?.into_inner())
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
