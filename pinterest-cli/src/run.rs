//! Runs a parsed command: the account commands, completions, the
//! workflows, or one operation (sent through pinterest-ext's layers:
//! auth and refresh, retries, rate limits).

use std::time::Instant;

use clap::ArgMatches;
use pinterest_api::{Call, RawResponse};
use pinterest_ext::Client;
use serde_json::Value;

use crate::config::Globals;
use crate::exit::Failure;
use crate::output::{self, Format};
use crate::paginate::{self, Paging};
use crate::table::{self, CommandSpec};
use crate::values::{self, Plan};
use crate::{app, auth_cmds, request, workflows};

/// Runs the command `m` names.
pub async fn dispatch(m: &ArgMatches) -> Result<(), Failure> {
    let Some((name, sub)) = m.subcommand() else {
        return Err(Failure::usage("name a command (see `pinterest --help`)"));
    };
    match name {
        "login" | "logout" | "whoami" | "token" => auth_cmds::run(name, sub).await,
        "completions" => {
            let shell = sub
                .get_one::<clap_complete::Shell>("shell")
                .copied()
                .ok_or_else(|| Failure::usage("name a shell"))?;
            let mut cmd = app::command(None, true);
            clap_complete::generate(shell, &mut cmd, "pinterest", &mut std::io::stdout());
            Ok(())
        }
        "man" => clap_mangen::Man::new(app::command(None, true))
            .render(&mut std::io::stdout())
            .map_err(output::io_failure),
        group => {
            let Some((command, leaf)) = sub.subcommand() else {
                return Err(Failure::usage(format!(
                    "name a command of `{group}` (see `pinterest {group} --help`)"
                )));
            };
            if let Some(result) = workflows::dispatch(group, command, leaf).await {
                return result;
            }
            let spec = table::find(group, command)
                .ok_or_else(|| Failure::usage(format!("`{group} {command}` is not a command")))?;
            operation(spec, leaf).await
        }
    }
}

/// Runs one operation: plan, then `--dry-run`, pagination, or one call.
pub async fn operation(spec: &'static CommandSpec, m: &ArgMatches) -> Result<(), Failure> {
    let g = Globals::from(m);
    let mut plan = values::plan(spec, m)?;
    let paging = Paging::from_matches(m, &mut plan);
    let base = g.environment().base_url().to_string();
    if g.dry_run {
        let start: Vec<(&str, &str)> = paging
            .resume
            .as_deref()
            .map(|b| vec![("bookmark", b)])
            .unwrap_or_default();
        println!("{}", request::curl(&plan, &base, &start)?);
        return Ok(());
    }
    let client = g.client().await?;
    if paging.active() {
        return paginate::run(&client, &plan, &base, &paging, &g).await;
    }
    let response = send(&client, &plan, &base, &[], &g).await?;
    print_body(&response, &g)
}

/// Sends `plan` (with `extra` query pairs) through the client's layers;
/// with `--verbose`, reports the request id, rate-limit headers, retries
/// and time on stderr.
pub async fn send(
    client: &Client,
    plan: &Plan,
    base: &str,
    extra: &[(&str, &str)],
    g: &Globals,
) -> Result<RawResponse, Failure> {
    let request = request::build(plan, base, extra)?;
    let (method, url) = (request.method().clone(), request.url().clone());
    let op = plan.spec.operation();
    let call = Call {
        method_name: plan.spec.method_name,
        operation: Some(op),
    };
    let started = Instant::now();
    let result = client.stack().run(request, call).await;
    if g.verbose {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match &result {
            Ok(r) => {
                eprintln!("> {method} {url}");
                eprintln!("< {} in {ms:.0} ms, {} attempt(s)", r.status, r.attempts);
                for (name, value) in &r.headers {
                    let n = name.as_str();
                    if n == pinterest_api::REQUEST_ID_HEADER
                        || n.starts_with("x-ratelimit")
                        || n == "retry-after"
                    {
                        eprintln!("< {n}: {}", value.to_str().unwrap_or("?"));
                    }
                }
            }
            Err(e) => {
                eprintln!("> {method} {url}");
                eprintln!(
                    "< failed in {ms:.0} ms after {} attempt(s){}",
                    e.attempts(),
                    e.request_id()
                        .map(|id| format!(", request id {id}"))
                        .unwrap_or_default()
                );
            }
        }
    }
    result.map_err(Failure::from_error)
}

/// Prints a response body in the chosen format (empty bodies print
/// nothing; a body that is not JSON is printed as is).
fn print_body(response: &RawResponse, g: &Globals) -> Result<(), Failure> {
    if response.body.is_empty() {
        return Ok(());
    }
    match serde_json::from_slice::<Value>(&response.body) {
        Ok(value) => output::print(
            &value,
            Format::choose(g.format.as_deref()),
            g.columns.as_deref(),
        ),
        Err(_) => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(&response.body)
                .and_then(|()| out.flush())
                .map_err(output::io_failure)
        }
    }
}
