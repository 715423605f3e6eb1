//! Log in to Pinterest from the command line and save the token.
//!
//! ```text
//! export PINTEREST_APP_ID=... PINTEREST_APP_SECRET=...
//! cargo run -p pinterest-ext --example login -- \
//!     --redirect-uri http://localhost:8085/ --token-file pinterest-token.json \
//!     --scopes boards:read,pins:read,user_accounts:read
//! ```
//!
//! The redirect URI must be registered for the app in Pinterest's developer
//! portal. The example opens the authorize page, waits for the redirect,
//! saves the token (mode 0600) and greets the logged-in user. Other
//! examples reuse the token file; the client refreshes it when it expires.

use pinterest_ext::{AppCredentials, Client, FileStore, LoginOptions, OAuth, Scope};

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let redirect_uri = arg("--redirect-uri", "http://localhost:8085/");
    let token_file = arg("--token-file", "pinterest-token.json");
    let scopes = arg("--scopes", "boards:read,pins:read,user_accounts:read")
        .split(',')
        .map(|s| s.trim().parse::<Scope>())
        .collect::<Result<Vec<_>, _>>()?;

    let credentials = AppCredentials::from_env()?;
    let oauth = OAuth::new(credentials.clone(), "https://api.pinterest.com/v5")
        .with_redirect_uri(&redirect_uri);
    let store = FileStore::new(&token_file);
    let token =
        pinterest_ext::login(&oauth, &store, LoginOptions::new(scopes).open_browser(true)).await?;
    eprintln!(
        "saved the token to {token_file} (expires at {:?})",
        token.expires_at()
    );

    let client = Client::builder()
        .credentials(credentials)
        .token_store(store)
        .build()
        .await?;
    let me = client.user_account_get().send().await?;
    println!("logged in as {}", me.username.as_deref().unwrap_or("?"));
    Ok(())
}
