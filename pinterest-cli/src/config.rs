//! Profiles and the client they make: where tokens and app credentials
//! live (the user's config dir, mode 0600), the base URL, and the
//! `PINTEREST_*` variables.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ArgMatches;
use pinterest_ext::{AppCredentials, Client, Environment, FileStore, Token};
use serde::{Deserialize, Serialize};

use crate::exit::Failure;

/// Overrides the config directory (tests, containers).
pub const CONFIG_DIR_VAR: &str = "PINTEREST_CONFIG_DIR";

/// One named account: its token file and its app's credentials.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The name (`default`, `work`).
    pub name: String,
    /// `CONFIG/profiles/NAME`.
    pub dir: PathBuf,
}

/// The app credentials a profile keeps for refreshing its token.
#[derive(Serialize, Deserialize)]
struct StoredApp {
    app_id: String,
    app_secret: String,
}

impl Profile {
    /// The profile `name` under the config dir. Names are letters,
    /// digits, `-` and `_`.
    pub fn open(name: &str) -> Result<Profile, Failure> {
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Failure::usage(format!(
                "--profile {name:?}: use letters, digits, `-` and `_`"
            )));
        }
        Ok(Profile {
            name: name.to_string(),
            dir: config_dir()?.join("profiles").join(name),
        })
    }

    /// The token file (written by `FileStore`: atomic, 0600).
    pub fn token_path(&self) -> PathBuf {
        self.dir.join("token.json")
    }

    fn app_path(&self) -> PathBuf {
        self.dir.join("app.json")
    }

    /// The app credentials saved at login, if any.
    pub fn app(&self) -> Result<Option<AppCredentials>, Failure> {
        let path = self.app_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Failure::auth(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
            }
        };
        let stored: StoredApp = serde_json::from_str(&text).map_err(|e| {
            Failure::auth(format!(
                "{} is not a saved app (delete it and run `pinterest login` again): {e}",
                path.display()
            ))
        })?;
        Ok(Some(AppCredentials::new(stored.app_id, stored.app_secret)))
    }

    /// Saves the app credentials (atomically, mode 0600).
    pub fn save_app(&self, app: &AppCredentials) -> Result<(), Failure> {
        use secrecy::ExposeSecret;
        let stored = StoredApp {
            app_id: app.app_id().to_string(),
            app_secret: app.app_secret().expose_secret().to_string(),
        };
        let bytes = serde_json::to_vec_pretty(&stored).unwrap_or_default();
        write_private(&self.app_path(), &bytes)
    }

    /// Removes the token and the app credentials; true when there was
    /// anything to remove.
    pub fn remove(&self) -> Result<bool, Failure> {
        let mut removed = false;
        for path in [self.token_path(), self.app_path()] {
            match std::fs::remove_file(&path) {
                Ok(()) => removed = true,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(Failure::auth(format!(
                        "cannot remove {}: {e}",
                        path.display()
                    )));
                }
            }
        }
        Ok(removed)
    }
}

/// `$PINTEREST_CONFIG_DIR`, else the platform's config dir for
/// `pinterest` (`~/.config/pinterest` on Linux).
pub fn config_dir() -> Result<PathBuf, Failure> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_VAR).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("com", "pinterest-rs", "pinterest")
        .map(|d| d.config_dir().to_path_buf())
        .ok_or_else(|| {
            Failure::auth(format!(
                "no home directory to keep the token in; set {CONFIG_DIR_VAR}"
            ))
        })
}

/// Writes `bytes` to `path` atomically with mode 0600.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| Failure::auth(format!("cannot write {}: {e}", path.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    // NamedTempFile is created with mode 0600; rename makes it appear whole.
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    file.write_all(bytes).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// The global options every command reads.
#[derive(Debug, Clone)]
pub struct Globals {
    /// `--profile` / `PINTEREST_PROFILE`.
    pub profile: String,
    /// `--base-url` / `PINTEREST_BASE_URL`.
    pub base_url: Option<String>,
    /// `--sandbox`.
    pub sandbox: bool,
    /// `--dry-run`.
    pub dry_run: bool,
    /// `--verbose`.
    pub verbose: bool,
    /// `--format`.
    pub format: Option<String>,
    /// `--columns`.
    pub columns: Option<Vec<String>>,
}

impl Globals {
    /// Reads them from a (sub)command's matches (they are global).
    pub fn from(m: &ArgMatches) -> Globals {
        let s = |id: &str| m.try_get_one::<String>(id).ok().flatten().cloned();
        let flag = |id: &str| m.try_get_one::<bool>(id).ok().flatten() == Some(&true);
        Globals {
            profile: s("profile").unwrap_or_else(|| "default".to_string()),
            base_url: s("base-url"),
            sandbox: flag("sandbox"),
            dry_run: flag("dry-run"),
            verbose: flag("verbose"),
            format: s("format"),
            columns: s("columns").map(|c| {
                c.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }),
        }
    }

    /// The environment: `--base-url`, `--sandbox`, or production.
    pub fn environment(&self) -> Environment {
        match (&self.base_url, self.sandbox) {
            (Some(url), _) => Environment::Custom(url.clone()),
            (None, true) => Environment::Sandbox,
            (None, false) => Environment::Production,
        }
    }

    /// The app credentials: `PINTEREST_APP_ID`/`_SECRET`, else the
    /// profile's.
    pub fn app(&self, profile: &Profile) -> Result<Option<AppCredentials>, Failure> {
        if std::env::var_os("PINTEREST_APP_ID").is_some() {
            return AppCredentials::from_env()
                .map(Some)
                .map_err(Failure::from_error);
        }
        profile.app()
    }

    /// A client for the profile: the token from `PINTEREST_ACCESS_TOKEN`
    /// or the profile's file, refreshed with the app credentials when it
    /// expires (and saved back).
    pub async fn client(&self) -> Result<Client, Failure> {
        let profile = Profile::open(&self.profile)?;
        let env_token = Token::from_env().map_err(Failure::from_error)?;
        let stored = profile.token_path().exists();
        if env_token.is_none() && !stored {
            return Err(Failure::auth(format!(
                "profile `{}` has no token; run `pinterest login{}` (or set PINTEREST_ACCESS_TOKEN)",
                profile.name,
                if profile.name == "default" {
                    String::new()
                } else {
                    format!(" --profile {}", profile.name)
                }
            )));
        }
        let mut builder = Client::builder().environment(self.environment());
        if let Some(app) = self.app(&profile)? {
            builder = builder.credentials(app);
        }
        if let Some(token) = env_token {
            builder = builder.token(token);
        } else {
            builder = builder.token_store(FileStore::new(profile.token_path()));
        }
        builder.build().await.map_err(Failure::from_error)
    }
}
