//! Checks made before a request goes out, from the operations table and
//! the token: OAuth scopes the token lacks, and deprecated operations.
//!
//! - **Scopes** (on by default): when the token says which scopes it was
//!   granted and an operation needs one it lacks, the call fails with
//!   [`ErrorKind::Auth`](crate::ErrorKind::Auth) naming the missing scopes
//!   and how to get them; nothing is sent (Pinterest would answer 403 and
//!   charge the quota). A token whose scopes are unknown (built by hand,
//!   from the environment) is not checked.
//! - **Deprecation** (warn by default): the first call of an operation the
//!   spec marks deprecated logs one `tracing` warning per operation per
//!   process, with its summary and sunset date;
//!   [`DeprecationPolicy::Refuse`] turns it into an
//!   [`ErrorKind::Deprecated`](crate::ErrorKind::Deprecated) error, for CI.
//!
//! ```
//! use pinterest_ext::{DeprecationPolicy, Preflight};
//! let ci = Preflight::default().deprecated(DeprecationPolicy::Refuse);
//! assert!(ci.checks_scopes());
//! ```

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

/// What to do when a deprecated operation is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DeprecationPolicy {
    /// One warning per operation per process (default).
    #[default]
    Warn,
    /// Fail the call before sending it.
    Refuse,
    /// Say nothing.
    Allow,
}

/// Which pre-flight checks a client makes (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Preflight {
    scopes: bool,
    deprecated: DeprecationPolicy,
}

impl Default for Preflight {
    fn default() -> Self {
        Preflight {
            scopes: true,
            deprecated: DeprecationPolicy::Warn,
        }
    }
}

impl Preflight {
    /// No checks at all.
    pub fn none() -> Preflight {
        Preflight {
            scopes: false,
            deprecated: DeprecationPolicy::Allow,
        }
    }

    /// Whether to check the token's scopes (default on).
    pub fn scopes(mut self, check: bool) -> Preflight {
        self.scopes = check;
        self
    }

    /// What to do with deprecated operations (default warn).
    pub fn deprecated(mut self, policy: DeprecationPolicy) -> Preflight {
        self.deprecated = policy;
        self
    }

    /// Whether scopes are checked.
    pub fn checks_scopes(&self) -> bool {
        self.scopes
    }

    /// The deprecation policy.
    pub fn deprecation_policy(&self) -> DeprecationPolicy {
        self.deprecated
    }
}

/// Operations already warned about in this process.
static WARNED: LazyLock<Mutex<HashSet<&'static str>>> = LazyLock::new(Default::default);

/// Whether this is the first warning for `operation` in this process.
pub(crate) fn first_warning(operation: &'static str) -> bool {
    WARNED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(operation)
}
