//! Conversions API helpers.

use pinterest_api::types::{ConversionApiResponse, ConversionEvents};

use super::Client;
use crate::conversions::check_hashed;
use crate::error::Result;

impl Client {
    /// Sends conversion events (`events/create`) after checking that every
    /// event's user data is hashed (see [`crate::conversions`]): an event
    /// with a plain email or phone is refused and nothing is sent. `test`
    /// marks a request Pinterest validates but does not record.
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_ext::Client, event: pinterest_ext::types::ConversionEventsDataItem) -> pinterest_ext::Result<()> {
    /// use pinterest_ext::types::ConversionEvents;
    /// let reply = client
    ///     .send_conversion_events("549755885175", ConversionEvents { data: vec![event] }, false)
    ///     .await?;
    /// println!("{:?}", reply.num_events_received);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_conversion_events(
        &self,
        ad_account_id: &str,
        events: ConversionEvents,
        test: bool,
    ) -> Result<ConversionApiResponse> {
        for (i, event) in events.data.iter().enumerate() {
            check_hashed(&event.user_data).map_err(|e| {
                let why = e.detail().unwrap_or_default().to_string();
                e.with_detail(format!("event {i}: {why}"))
            })?;
        }
        let mut call = self
            .events_create()
            .ad_account_id(ad_account_id)
            .body(events);
        if test {
            call = call.test(true);
        }
        Ok(call.send().await?.into_inner())
    }
}
