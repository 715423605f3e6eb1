//! A plan as an HTTP request, and as the `curl` command `--dry-run`
//! prints (the token as `$PINTEREST_ACCESS_TOKEN`, never its value).

use reqwest::header::{CONTENT_TYPE, HeaderValue};

use crate::values::{Body, Plan, UsageError};

/// The full URL of `plan` below `base_url`, with `extra` query pairs
/// (the bookmark) appended.
pub fn url(plan: &Plan, base_url: &str, extra: &[(&str, &str)]) -> Result<url::Url, UsageError> {
    let joined = format!("{}{}", base_url.trim_end_matches('/'), plan.path);
    let mut url = url::Url::parse(&joined)
        .map_err(|e| UsageError(format!("base URL {base_url:?} is not a URL: {e}")))?;
    if !plan.query.is_empty() || !extra.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in &plan.query {
            pairs.append_pair(k, v);
        }
        for (k, v) in extra {
            pairs.append_pair(k, v);
        }
    }
    Ok(url)
}

/// The request (without the token: the auth layer adds it).
pub fn build(
    plan: &Plan,
    base_url: &str,
    extra: &[(&str, &str)],
) -> Result<reqwest::Request, UsageError> {
    let url = url(plan, base_url, extra)?;
    let method = reqwest::Method::from_bytes(plan.spec.operation().method.as_str().as_bytes())
        .unwrap_or(reqwest::Method::GET);
    let mut request = reqwest::Request::new(method, url);
    if let Some(body) = &plan.body {
        let (content_type, bytes) = encode(body);
        request
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        *request.body_mut() = Some(bytes.into());
    }
    Ok(request)
}

fn encode(body: &Body) -> (&'static str, Vec<u8>) {
    match body {
        Body::Json(v) => ("application/json", v.to_string().into_bytes()),
        Body::Form(pairs) => {
            let mut s = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in pairs {
                s.append_pair(k, v);
            }
            ("application/x-www-form-urlencoded", s.finish().into_bytes())
        }
    }
}

/// `plan` as a runnable curl command. The token is read from
/// `$PINTEREST_ACCESS_TOKEN` when the command runs.
pub fn curl(plan: &Plan, base_url: &str, extra: &[(&str, &str)]) -> Result<String, UsageError> {
    let url = url(plan, base_url, extra)?;
    let method = plan.spec.operation().method.as_str();
    let mut parts = vec!["curl".to_string(), "-sS".to_string()];
    if method != "GET" {
        parts.push(format!("-X {method}"));
    }
    parts.push(quote(url.as_str()));
    parts.push("-H \"Authorization: Bearer $PINTEREST_ACCESS_TOKEN\"".to_string());
    if let Some(body) = &plan.body {
        let (content_type, bytes) = encode(body);
        parts.push(format!(
            "-H {}",
            quote(&format!("Content-Type: {content_type}"))
        ));
        parts.push(format!(
            "--data-binary {}",
            quote(&String::from_utf8_lossy(&bytes))
        ));
    }
    Ok(parts.join(" "))
}

/// Single-quotes `s` for a POSIX shell.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r#"'"'"'"#))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_survive_the_shell() {
        assert_eq!(quote("it's"), r#"'it'"'"'s'"#);
    }
}
