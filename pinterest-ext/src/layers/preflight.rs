//! The pre-flight checks of [`crate::preflight`]: a call for which the
//! token lacks a scope, or a deprecated operation under
//! [`DeprecationPolicy::Refuse`], fails here without being sent.

use std::sync::Arc;

use pinterest_api::{BoxFuture, RawResponse, Scope};
use reqwest::Request;

use super::{CallContext, Layer, Next};
use crate::auth::manager::TokenManager;
use crate::error::{Error, ErrorKind, Result};
use crate::preflight::{DeprecationPolicy, Preflight, first_warning};

/// Checks scopes and deprecation before the rest of the stack runs.
#[derive(Debug, Clone)]
pub struct PreflightCheck {
    policy: Preflight,
    tokens: Arc<TokenManager>,
}

impl PreflightCheck {
    /// The layer for `policy`, reading the scopes of `tokens`' token.
    pub(crate) fn new(policy: Preflight, tokens: Arc<TokenManager>) -> PreflightCheck {
        PreflightCheck { policy, tokens }
    }

    fn check(&self, cx: &CallContext) -> Result<()> {
        let Some(op) = cx.operation() else {
            return Ok(());
        };
        if op.deprecated {
            let sunset = op
                .sunset
                .map(|s| format!(", sunset {s}"))
                .unwrap_or_else(|| ", no sunset date given".into());
            match self.policy.deprecation_policy() {
                DeprecationPolicy::Refuse => {
                    return Err(Error::new(
                        ErrorKind::Deprecated,
                        format!(
                            "{} ({}) is deprecated in spec {}{sunset}; the client refuses deprecated operations",
                            op.id,
                            op.summary,
                            pinterest_api::SPEC_VERSION
                        ),
                    ));
                }
                DeprecationPolicy::Warn if first_warning(op.id) => {
                    tracing::warn!(
                        operation = op.id,
                        sunset = op.sunset.unwrap_or(""),
                        "{} ({}) is deprecated in spec {}{sunset}; this warning is logged once per process",
                        op.id,
                        op.summary,
                        pinterest_api::SPEC_VERSION
                    );
                }
                _ => {}
            }
        }
        if self.policy.checks_scopes()
            && !op.scopes.is_empty()
            && let Some(granted) = self.tokens.granted_scopes()
        {
            let missing = Scope::missing(op, &granted);
            if !missing.is_empty() {
                let token = self
                    .tokens
                    .current()
                    .unwrap_or_else(|| crate::Token::new(""));
                return Err(Error::new(
                    ErrorKind::Auth,
                    format!(
                        "{} needs the OAuth scope(s) {}, which the token was not granted (it has {}); log in again asking for them, e.g. LoginOptions::for_operations(&[\"{}\"]); nothing was sent",
                        op.id,
                        Scope::join(&missing),
                        token.scope_names().join(","),
                        op.id
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl Layer for PreflightCheck {
    fn call<'a>(
        &'a self,
        request: Request,
        cx: &'a CallContext,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        match self.check(cx) {
            Ok(()) => next.run(request, cx),
            Err(e) => Box::pin(async move { Err(e) }),
        }
    }
}
