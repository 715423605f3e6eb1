//! The library every example shares: the token options every
//! example takes (`clap`), and a client from the token file
//! `examples/login.rs` writes, or from the environment.

use pinterest_ext::{AppCredentials, Client, FileStore, Token};

/// Where the token comes from.
#[derive(clap::Args, Debug)]
pub struct TokenArgs {
    /// The token file `examples/login.rs` writes (refreshed tokens are saved
    /// back to it).
    #[arg(long, default_value = "pinterest-token.json")]
    pub token_file: String,
}

impl TokenArgs {
    /// A client that refreshes its token automatically and saves it to the
    /// token file. Uses `PINTEREST_ACCESS_TOKEN`/`PINTEREST_REFRESH_TOKEN`
    /// when the file does not exist yet.
    pub async fn client(&self) -> pinterest_ext::Result<Client> {
        let mut builder = Client::builder().token_store(FileStore::new(&self.token_file));
        if let Ok(credentials) = AppCredentials::from_env() {
            builder = builder.credentials(credentials);
        }
        if let Some(token) = Token::from_env()? {
            builder = builder.token(token);
        }
        builder.build().await
    }
}
