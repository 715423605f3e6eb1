//! Pinterest's sandbox refuses operations whose spec says `x-sandbox:
//! disabled`; in the sandbox environment they fail here, before anything
//! is sent.

use pinterest_api::{BoxFuture, RawResponse, Sandbox};
use reqwest::Request;

use super::{CallContext, Layer, Next};
use crate::error::{Error, ErrorKind, Result};

/// Refuses sandbox-disabled operations (only in the sandbox stack).
#[derive(Debug, Clone, Copy, Default)]
pub struct SandboxCheck;

impl Layer for SandboxCheck {
    fn call<'a>(
        &'a self,
        request: Request,
        cx: &'a CallContext,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        if cx
            .operation()
            .is_some_and(|op| op.sandbox == Sandbox::Disabled)
        {
            return Box::pin(async {
                Err(Error::new(
                    ErrorKind::SandboxUnsupported,
                    "Pinterest's sandbox does not serve this operation (x-sandbox: disabled); not sent",
                ))
            });
        }
        next.run(request, cx)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::RetryPolicy;

    #[tokio::test]
    async fn disabled_operations_are_not_sent() {
        // pins/analytics is x-sandbox: disabled, pins/get is not.
        let script = Script::new(vec![response(200, &[], "{}")]);
        let cx = context("pins_analytics", RetryPolicy::none());
        let err = run(&SandboxCheck, &script, request(reqwest::Method::GET), &cx)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::SandboxUnsupported);
        assert_eq!(script.sent(), 0);
        let cx = context("pins_get", RetryPolicy::none());
        run(&SandboxCheck, &script, request(reqwest::Method::GET), &cx)
            .await
            .unwrap();
        assert_eq!(script.sent(), 1);
    }
}
