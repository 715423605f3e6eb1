//! Exit codes and how failures are printed: Pinterest's code, message,
//! request id and the advice, never a token.

use std::process::ExitCode;

use pinterest_ext::{Error, ErrorKind};

/// Success.
pub const OK: u8 = 0;
/// Pinterest refused the request (4xx other than auth), or a local
/// failure (a file, a decode).
pub const API: u8 = 1;
/// Bad command line: unknown flag, bad value, malformed `--body`, missing
/// parameter. Nothing was sent.
pub const USAGE: u8 = 2;
/// No token, an expired or revoked one, missing scopes.
pub const AUTH: u8 = 3;
/// Rate limited, server error, timeout or network: the same command may
/// succeed later.
pub const RETRYABLE: u8 = 4;
/// A write may or may not have happened (the connection died after it was
/// sent): check before running it again.
pub const OUTCOME_UNKNOWN: u8 = 5;

/// Why a command failed, and its exit code.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// What to print on stderr (one or more lines).
    pub message: String,
}

impl Failure {
    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: USAGE,
            message: format!("error: {}", message.into()),
        }
    }

    /// An auth problem (exit 3).
    pub fn auth(message: impl Into<String>) -> Failure {
        Failure {
            code: AUTH,
            message: format!("error: {}", message.into()),
        }
    }

    /// A local failure (exit 1).
    pub fn local(message: impl Into<String>) -> Failure {
        Failure {
            code: API,
            message: format!("error: {}", message.into()),
        }
    }

    /// An error of a call, with Pinterest's code, message and request id,
    /// and the advice.
    pub fn from_error(e: Error) -> Failure {
        // Display carries the operation, status, Pinterest's code and
        // message.
        let mut lines = vec![format!("error: {e}")];
        if let Some(id) = e.request_id() {
            lines.push(format!("  request id: {id}"));
        }
        let advice = e.advice();
        if !advice.is_empty() {
            lines.push(format!("  advice: {advice}"));
        }
        Failure {
            code: code_of(&e),
            message: lines.join("\n"),
        }
    }

    /// Adds a line (e.g. the bookmark to resume from).
    pub fn with_line(mut self, line: impl AsRef<str>) -> Failure {
        self.message.push('\n');
        self.message.push_str(line.as_ref());
        self
    }

    /// Prints the message and returns the exit code.
    pub fn report(self) -> ExitCode {
        eprintln!("{}", self.message);
        ExitCode::from(self.code)
    }
}

/// The exit code for an error.
pub fn code_of(e: &Error) -> u8 {
    match e.kind() {
        ErrorKind::Unauthorized
        | ErrorKind::Forbidden
        | ErrorKind::Auth
        | ErrorKind::InvalidGrant
        | ErrorKind::TokenStore => AUTH,
        ErrorKind::InvalidRequest => USAGE,
        _ if e.write_outcome_unknown() => OUTCOME_UNKNOWN,
        _ if e.is_retryable() => RETRYABLE,
        _ => API,
    }
}

impl From<crate::values::UsageError> for Failure {
    fn from(e: crate::values::UsageError) -> Failure {
        Failure::usage(e.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_documented_codes() {
        let code = |kind| code_of(&Error::new(kind, "x"));
        assert_eq!(code(ErrorKind::Unauthorized), AUTH);
        assert_eq!(code(ErrorKind::RateLimited), RETRYABLE);
        assert_eq!(code(ErrorKind::NotFound), API);
        assert_eq!(code(ErrorKind::InvalidRequest), USAGE);
        assert_eq!(code(ErrorKind::OutcomeUnknown), OUTCOME_UNKNOWN);
    }
}
