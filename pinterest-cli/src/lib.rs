//! `pinterest`, the command line of the Pinterest API v5: every operation
//! of the spec as `pinterest GROUP COMMAND`, built on `pinterest-ext` so
//! every call gets token refresh, retries that never resend a write, rate
//! limits and typed errors; plus login, profiles, pagination, output
//! formats, `--dry-run` as curl, and the workflows (pins from files, bulk
//! creation with a journal, ads reports, analytics with charts).
//!
//! Exit codes ([`exit`]): 0 ok, 1 API error, 2 usage, 3 auth, 4 retryable
//! (rate limited, server, network: try again later), 5 a write's outcome
//! is unknown (check before re-running).

#![warn(missing_docs)]

pub mod app;
pub mod auth_cmds;
pub mod config;
pub mod exit;
pub mod output;
pub mod paginate;
pub mod request;
pub mod run;
pub mod table;
pub mod values;
pub mod workflows;

/// The generated table (`cargo xtask gen`; never edited by hand).
pub mod generated {
    // Formatted by the generator (prettyplease), not rustfmt.
    #[rustfmt::skip]
    pub mod commands;
}

use std::process::ExitCode;

/// Parses the process's arguments, runs the command and returns its exit
/// code.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let matches = match app::parse(&args) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(exit::API);
        }
    };
    match runtime.block_on(run::dispatch(&matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
