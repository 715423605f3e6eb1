//! A `pinterest.call` tracing span around each call (operation, method,
//! rate-limit category; attempts, status and elapsed time when it ends),
//! and the per-call metrics.

use pinterest_api::{BoxFuture, RawResponse};
use reqwest::Request;
use tracing::Instrument;

use super::{CallContext, Layer, Next};
use crate::error::Result;

/// The span and the request metrics.
#[derive(Debug, Clone, Copy, Default)]
pub struct Trace;

impl Layer for Trace {
    fn call<'a>(
        &'a self,
        request: Request,
        cx: &'a CallContext,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        let span = tracing::info_span!(
            "pinterest.call",
            operation = cx.operation_id,
            method = cx.method.as_str(),
            category = cx.category.unwrap_or(""),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        // Nobody listens: nothing to record at the end.
        if span.is_disabled() && !cx.options.metrics {
            return next.run(request, cx);
        }
        Box::pin(
            async move {
                let outcome = next.run(request, cx).await;
                let span = tracing::Span::current();
                span.record("attempts", cx.attempts());
                span.record("elapsed_ms", cx.started.elapsed().as_millis() as u64);
                match &outcome {
                    Ok(r) => {
                        span.record("status", r.status.as_u16());
                    }
                    Err(e) => {
                        if let Some(s) = e.status() {
                            span.record("status", s.as_u16());
                        }
                        tracing::debug!(error = %e, "call failed");
                    }
                }
                crate::metrics::finished(cx, &outcome);
                outcome
            }
            .instrument(span),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    use reqwest::Method;
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing_subscriber::layer::{Context, SubscriberExt};

    use super::super::testing::*;
    use super::*;
    use crate::RetryPolicy;

    /// Collects the fields of `pinterest.call` spans.
    #[derive(Clone, Default)]
    struct Fields(Arc<Mutex<BTreeMap<String, String>>>);

    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0
                .lock()
                .unwrap()
                .insert(field.name().to_owned(), format!("{value:?}"));
        }
        fn record_str(&mut self, field: &Field, value: &str) {
            self.0
                .lock()
                .unwrap()
                .insert(field.name().to_owned(), value.to_owned());
        }
    }

    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Fields {
        fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
            if attrs.metadata().name() == "pinterest.call" {
                attrs.record(&mut self.clone());
            }
        }
        fn on_record(&self, _: &Id, values: &Record<'_>, _: Context<'_, S>) {
            values.record(&mut self.clone());
        }
    }

    #[tokio::test]
    async fn the_span_names_the_call_and_records_how_it_ended() {
        let fields = Fields::default();
        let subscriber = tracing_subscriber::registry().with(fields.clone());
        let _guard = tracing::subscriber::set_default(subscriber);

        let script = Script::new(vec![response(404, &[], r#"{"code": 50}"#)]);
        let cx = context("pins_get", RetryPolicy::default());
        let r = run(&Trace, &script, request(Method::GET), &cx)
            .await
            .unwrap();
        assert_eq!(r.status.as_u16(), 404, "the outcome passes through");

        let seen = fields.0.lock().unwrap().clone();
        assert_eq!(seen["operation"], "pins/get");
        assert_eq!(seen["method"], "GET");
        assert_eq!(seen["category"], "org_read");
        assert_eq!(seen["attempts"], "1");
        assert_eq!(seen["status"], "404");
        assert!(seen.contains_key("elapsed_ms"));
    }
}
