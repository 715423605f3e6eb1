//! Authentication: Pinterest's OAuth 2.0 flows, tokens and where they are
//! stored, automatic refresh, and a local-redirect login for CLI apps.

mod env;
mod login;
pub(crate) mod manager;
mod oauth;
mod store;
mod token;

pub use env::{ACCESS_TOKEN_VAR, APP_ID_VAR, APP_SECRET_VAR, REFRESH_TOKEN_VAR};
pub use login::{LoginFlow, LoginOptions, login};
pub use oauth::{AUTHORIZE_URL, Authorization, OAuth};
pub use store::{FileStore, MemoryStore, TokenStore};
pub use token::{AppCredentials, Token};
