//! What the token lifecycle tells the application: refreshes, refreshes
//! that failed (while the current token still worked, or not), and saves
//! that failed. Observe them with
//! [`ClientBuilder::on_token_event`](crate::ClientBuilder::on_token_event)
//! (for alerts: a refresh token about to die needs a human).

use std::fmt;
use std::sync::Arc;

use crate::error::Error;

/// One event of the token lifecycle.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum TokenEvent {
    /// A new token was obtained and installed.
    Refreshed {
        /// Its generation (increments with every new token).
        generation: u64,
    },
    /// A refresh failed.
    RefreshFailed {
        /// Why.
        error: Error,
        /// The current token was still valid and was used.
        still_valid: bool,
    },
    /// A new token could not be saved (it is kept in memory and saved
    /// again on the next call).
    SaveFailed {
        /// Why.
        error: Error,
    },
}

/// A callback observing token events.
pub(crate) type Observer = Arc<dyn Fn(&TokenEvent) + Send + Sync>;

/// The application's observer, if any.
#[derive(Clone, Default)]
pub(crate) struct TokenEvents(Option<Observer>);

impl TokenEvents {
    pub(crate) fn new(f: Option<Observer>) -> TokenEvents {
        TokenEvents(f)
    }

    pub(crate) fn emit(&self, event: &TokenEvent) {
        if let Some(f) = &self.0 {
            f(event);
        }
    }
}

impl fmt::Debug for TokenEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "TokenEvents(observer)"
        } else {
            "TokenEvents(none)"
        })
    }
}
