//! Authentication: Pinterest's OAuth 2.0 flows, tokens and where they are
//! stored, automatic refresh, and a local-redirect login for CLI apps.

mod env;
pub(crate) mod events;
mod login;
pub(crate) mod manager;
pub(crate) mod oauth;
pub(crate) mod store;
pub(crate) mod token;

pub use env::{ACCESS_TOKEN_VAR, APP_ID_VAR, APP_SECRET_VAR, REFRESH_TOKEN_VAR};
pub use events::TokenEvent;
pub use login::{LoginFlow, LoginOptions, login};
pub use manager::TokenPrecedence;
pub use oauth::{AUTHORIZE_URL, Authorization, OAuth};
pub use store::{FileStore, Lease, LeaseGuard, MemoryStore, ReleaseLease, TokenStore};
pub use token::{AppCredentials, Token};
