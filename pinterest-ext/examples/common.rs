//! Shared by the examples (not an example itself): a client from the token
//! file `examples/login.rs` writes, or from the environment.

use pinterest_ext::{AppCredentials, Client, FileStore, Token};

/// The token file (`--token-file`, default `pinterest-token.json`).
pub fn token_file() -> String {
    arg("--token-file").unwrap_or_else(|| "pinterest-token.json".into())
}

/// The value after `name` on the command line.
pub fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// A client that refreshes its token automatically and saves it to the
/// token file. Uses `PINTEREST_ACCESS_TOKEN`/`PINTEREST_REFRESH_TOKEN` when
/// the file does not exist yet.
pub async fn client() -> pinterest_ext::Result<Client> {
    let mut builder = Client::builder().token_store(FileStore::new(token_file()));
    if let Ok(credentials) = AppCredentials::from_env() {
        builder = builder.credentials(credentials);
    }
    if let Some(token) = Token::from_env()? {
        builder = builder.token(token);
    }
    builder.build().await
}
