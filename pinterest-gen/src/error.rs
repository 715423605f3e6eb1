//! Errors of the generator: every one names the file and, where it has one,
//! the JSON pointer and the operation or schema it is about.

use std::fmt;
use std::path::{Path, PathBuf};

/// What a spec error is about: an operation (by operationId) or a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// An operation, by its `operationId` (or `METHOD /path` when it has none).
    Operation(String),
    /// A schema under `components/schemas`, by name.
    Schema(String),
    /// A parameter under `components/parameters`, by name.
    Parameter(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Operation(id) => write!(f, "operation `{id}`"),
            Subject::Schema(name) => write!(f, "schema `{name}`"),
            Subject::Parameter(name) => write!(f, "parameter `{name}`"),
        }
    }
}

/// An error of the generator.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// The file could not be read or written.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What we tried to do ("cannot read", "cannot write", ...).
        action: &'static str,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not valid JSON or YAML.
    #[error("{}:{line}:{column}: not valid {format}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// "JSON" or "YAML".
        format: &'static str,
        /// 1-based line, 0 when unknown.
        line: usize,
        /// 1-based column, 0 when unknown.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The document parses but is not a spec we can generate from.
    #[error("{}", .0)]
    Spec(#[from] SpecError),
    /// The file's checksum or version does not match the pin in `spec/`.
    #[error("{}: {message}", path.display())]
    Pin {
        /// The file.
        path: PathBuf,
        /// What did not match, and what to do.
        message: String,
    },
}

impl GenError {
    /// Wraps an I/O error with the file and what was being done.
    pub fn io(path: &Path, action: &'static str, source: std::io::Error) -> Self {
        GenError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }
}

/// A problem at a place in a spec document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The spec file.
    pub file: PathBuf,
    /// JSON pointer (RFC 6901) to the offending value, e.g.
    /// `/paths/~1pins/post/responses/200`.
    pub pointer: String,
    /// The operation or schema concerned, when known.
    pub subject: Option<Subject>,
    /// What is wrong, and where possible what to do about it.
    pub message: String,
}

impl SpecError {
    /// A new error at `pointer` in `file`.
    pub fn new(file: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        SpecError {
            file: file.to_path_buf(),
            pointer: pointer.into(),
            subject: None,
            message: message.into(),
        }
    }

    /// Names the operation or schema the error is about.
    pub fn with_subject(mut self, subject: Subject) -> Self {
        self.subject = Some(subject);
        self
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.file.display(), self.pointer)?;
        if let Some(subject) = &self.subject {
            write!(f, " ({subject})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for SpecError {}
