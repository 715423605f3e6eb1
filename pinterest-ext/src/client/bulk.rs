//! Bulk creation of pins (see [`crate::bulk`] for the journal).

use super::Client;
use crate::bulk::{BulkOptions, BulkReport, run};
use crate::error::Result;
use crate::organic::NewPin;

impl Client {
    /// Creates many pins: `(key, pin)` pairs, the key stable across runs
    /// (an id from your catalog, a file name) and unique.
    pub async fn create_pins(
        &self,
        pins: Vec<(String, NewPin)>,
        options: BulkOptions,
    ) -> Result<BulkReport> {
        run(pins, options, |pin| async move {
            let created = self.create_pin(pin).await?;
            // Created either way: an id Pinterest did not return is empty
            // (never a failure, which a re-run would send again).
            Ok(created
                .id
                .map(|id| id.as_str().to_string())
                .unwrap_or_default())
        })
        .await
    }
}
