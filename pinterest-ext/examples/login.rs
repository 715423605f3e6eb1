//! Log in to Pinterest from the command line and save the token.
//!
//! ```text
//! export PINTEREST_APP_ID=... PINTEREST_APP_SECRET=...
//! cargo run -p pinterest-examples --example login -- \
//!     --redirect-uri http://localhost:8085/ --token-file pinterest-token.json \
//!     --scopes boards:read,pins:read,user_accounts:read
//! ```
//!
//! The redirect URI must be registered for the app in Pinterest's developer
//! portal. The example opens the authorize page, waits for the redirect,
//! saves the token (mode 0600) and greets the logged-in user. Other
//! examples reuse the token file; the client refreshes it when it expires.

use clap::Parser;
use pinterest_ext::{
    AppCredentials, Client, FileStore, LoginOptions, OAuth, Scope, TokenPrecedence,
};

/// Logs in and saves the token.
#[derive(Parser)]
struct Args {
    /// The redirect URI registered for the app.
    #[arg(long, default_value = "http://localhost:8085/")]
    redirect_uri: String,
    /// Where the token is saved.
    #[arg(long, default_value = "pinterest-token.json")]
    token_file: String,
    /// Scopes to ask for, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "boards:read,pins:read,user_accounts:read"
    )]
    scopes: Vec<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let scopes = args
        .scopes
        .iter()
        .map(|s| s.trim().parse::<Scope>())
        .collect::<Result<Vec<_>, _>>()?;
    let credentials = AppCredentials::from_env()?;
    let oauth = OAuth::new(credentials.clone(), "https://api.pinterest.com/v5")?
        .with_redirect_uri(&args.redirect_uri);
    let store = FileStore::new(&args.token_file);
    let token =
        pinterest_ext::login(&oauth, &store, LoginOptions::new(scopes).open_browser(true)).await?;
    eprintln!(
        "saved the token to {} (expires at {:?})",
        args.token_file,
        token.expires_at()
    );

    let client = Client::builder()
        .credentials(credentials)
        .token(token)
        .token_precedence(TokenPrecedence::Configured)
        .token_store(store)
        .build()
        .await?;
    let me = client.user_account_get().send().await?;
    println!("logged in as {}", me.username.as_deref().unwrap_or("?"));
    Ok(())
}
