//! `login`, `logout`, `whoami`, `token show` and `token refresh`.

use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use pinterest_api::Scope;
use pinterest_ext::{AppCredentials, FileStore, LoginOptions, OAuth, Token};
use serde_json::{Value, json};

use crate::config::{Globals, Profile};
use crate::exit::Failure;
use crate::output::{self, Format};
use crate::table;

/// Scopes asked for when the user names neither `--scopes` nor `--for`:
/// reading the account, its boards and pins (what `whoami` and the list
/// commands need), as in Pinterest's quickstart.
pub const DEFAULT_SCOPES: &[Scope] = &[Scope::UserAccountsRead, Scope::BoardsRead, Scope::PinsRead];

/// The redirect URI of a local login (Pinterest's quickstart uses port
/// 8085; register it in the app's settings).
pub const DEFAULT_REDIRECT: &str = "http://localhost:8085/";

/// The commands.
pub fn commands() -> Vec<Command> {
    vec![
        Command::new("login")
            .about("Authorizes the app in the browser and saves the token for the profile")
            .args([
                Arg::new("scopes")
                    .long("scopes")
                    .value_delimiter(',')
                    .action(ArgAction::Append)
                    .value_parser(Scope::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>())
                    .help("Scopes to ask for, comma-separated"),
                Arg::new("for")
                    .long("for")
                    .value_name("\"GROUP COMMAND\"")
                    .action(ArgAction::Append)
                    .help("Ask for exactly the scopes these commands need (e.g. --for \"pins create\")"),
                Arg::new("app-id").long("app-id").env("PINTEREST_APP_ID").help("The app id"),
                Arg::new("app-secret")
                    .long("app-secret")
                    .env("PINTEREST_APP_SECRET")
                    .hide_env_values(true)
                    .help("The app secret"),
                Arg::new("redirect-uri")
                    .long("redirect-uri")
                    .default_value(DEFAULT_REDIRECT)
                    .help("The app's registered redirect URI (http://localhost:PORT/...)"),
                Arg::new("no-browser")
                    .long("no-browser")
                    .action(ArgAction::SetTrue)
                    .help("Only print the URL to open"),
                Arg::new("timeout")
                    .long("timeout")
                    .value_name("SECONDS")
                    .value_parser(clap::value_parser!(u64).range(1..))
                    .default_value("300")
                    .help("How long to wait for the browser"),
            ]),
        Command::new("logout").about("Deletes the profile's token and app credentials"),
        Command::new("whoami").about("Shows the account the profile's token belongs to"),
        Command::new("token")
            .about("The profile's token")
            .subcommand_required(true)
            .subcommand(Command::new("show").about("Shows the token's expiry and scopes (never its value)"))
            .subcommand(Command::new("refresh").about("Refreshes the token now and saves it")),
    ]
}

/// Runs `name`.
pub async fn run(name: &str, m: &ArgMatches) -> Result<(), Failure> {
    let g = Globals::from(m);
    match name {
        "login" => login(&g, m).await,
        "logout" => {
            let profile = Profile::open(&g.profile)?;
            if profile.remove()? {
                eprintln!("logged out of profile `{}`", profile.name);
            } else {
                eprintln!("profile `{}` had no token", profile.name);
            }
            Ok(())
        }
        "whoami" => {
            let client = g.client().await?;
            let me = client.me().await.map_err(Failure::from_error)?;
            let value = serde_json::to_value(&me).unwrap_or(Value::Null);
            output::print(
                &value,
                Format::choose(g.format.as_deref()),
                g.columns.as_deref(),
            )
        }
        "token" => match m.subcommand() {
            Some(("show", _)) => {
                let client = g.client().await?;
                let token = client.token();
                output::print(
                    &describe(&g.profile, token.as_ref()),
                    Format::choose(g.format.as_deref()),
                    g.columns.as_deref(),
                )
            }
            Some(("refresh", _)) => {
                let client = g.client().await?;
                client.refresh_token().await.map_err(Failure::from_error)?;
                output::print(
                    &describe(&g.profile, client.token().as_ref()),
                    Format::choose(g.format.as_deref()),
                    g.columns.as_deref(),
                )
            }
            _ => Err(Failure::usage("token show | token refresh")),
        },
        other => Err(Failure::usage(format!("unknown command {other}"))),
    }
}

/// A token described without its secrets.
fn describe(profile: &str, token: Option<&Token>) -> Value {
    let Some(t) = token else {
        return json!({"profile": profile, "access_token": null});
    };
    json!({
        "profile": profile,
        "access_token": "(redacted)",
        "expires_at": t.expires_at().map(|d| d.to_rfc3339()),
        "refresh_token": t.refresh_token().map(|_| "(redacted)"),
        "refresh_token_expires_at": t.refresh_token_expires_at().map(|d| d.to_rfc3339()),
        "scopes": t.scope_names().join(","),
    })
}

async fn login(g: &Globals, m: &ArgMatches) -> Result<(), Failure> {
    let profile = Profile::open(&g.profile)?;
    let scopes = scopes(m)?;
    let app = match (
        m.get_one::<String>("app-id"),
        m.get_one::<String>("app-secret"),
    ) {
        (Some(id), Some(secret)) => AppCredentials::new(id, secret),
        _ => match profile.app()? {
            Some(app) => app,
            None => {
                return Err(Failure::auth(
                    "login needs the app's id and secret: --app-id and --app-secret, or PINTEREST_APP_ID and PINTEREST_APP_SECRET",
                ));
            }
        },
    };
    let redirect = m
        .get_one::<String>("redirect-uri")
        .cloned()
        .unwrap_or_else(|| DEFAULT_REDIRECT.to_string());
    let oauth = OAuth::new(app.clone(), g.environment().oauth_base_url())
        .map_err(Failure::from_error)?
        .with_redirect_uri(redirect);
    let timeout = Duration::from_secs(m.get_one::<u64>("timeout").copied().unwrap_or(300));
    let options = LoginOptions::new(scopes.clone())
        .open_browser(!m.get_flag("no-browser"))
        .print_url(true)
        .timeout(timeout);
    let store = FileStore::new(profile.token_path());
    pinterest_ext::login(&oauth, &store, options)
        .await
        .map_err(Failure::from_error)?;
    profile.save_app(&app)?;
    let names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    eprintln!(
        "logged in: profile `{}`, scopes {}; token saved to {}",
        profile.name,
        names.join(","),
        profile.token_path().display()
    );
    Ok(())
}

/// `--scopes`, else what the `--for` commands need, else the defaults.
fn scopes(m: &ArgMatches) -> Result<Vec<Scope>, Failure> {
    let named: Vec<Scope> = m
        .get_many::<String>("scopes")
        .into_iter()
        .flatten()
        .filter_map(|s| s.parse().ok())
        .collect();
    let commands: Vec<&String> = m.get_many::<String>("for").into_iter().flatten().collect();
    if commands.is_empty() {
        return Ok(if named.is_empty() {
            DEFAULT_SCOPES.to_vec()
        } else {
            named
        });
    }
    let mut ids = Vec::new();
    for c in commands {
        let mut words = c.split_whitespace();
        let (Some(group), Some(name)) = (words.next(), words.next()) else {
            return Err(Failure::usage(format!(
                "--for {c:?}: name a command as \"GROUP COMMAND\" (e.g. \"pins create\")"
            )));
        };
        let spec = table::find(group, name).ok_or_else(|| {
            Failure::usage(format!("--for {c:?}: `{group} {name}` is not a command"))
        })?;
        ids.push(spec.operation().id);
    }
    let mut needed = Scope::required_for(&ids).map_err(|e| Failure::usage(e.to_string()))?;
    for s in named {
        if !needed.contains(&s) {
            needed.push(s);
        }
    }
    Ok(needed)
}
