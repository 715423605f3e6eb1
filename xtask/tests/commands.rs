//! `cargo xtask` commands as a user runs them: `gen --check` on stale
//! output, and `fetch-spec` against a local HTTP server (verified, a
//! checksum mismatch, a missing commit).

use std::path::Path;
use std::process::{Command, Output};

use httpmock::prelude::*;

const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("PINTEREST_SPEC_DIR", root.join("no-such-dir"))
        .output()
        .expect("xtask runs")
}

/// `fetch-spec --commit COMMIT [--sha256 HEX]` against `server`.
fn fetch_spec(root: &Path, server: &MockServer, sha256: Option<&str>) -> Output {
    let base_url = server.base_url();
    let mut args = vec!["fetch-spec", "--commit", COMMIT, "--base-url", &base_url];
    if let Some(sha256) = sha256 {
        args.extend(["--sha256", sha256]);
    }
    xtask(root, &args)
}

fn mini_spec() -> String {
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Mini", "version": "5.99.0"},
        "paths": {"/user_account": {"get": {
            "operationId": "user_account/get",
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"username": {"type": "string"}}
            }}}}}
        }}}
    })
    .to_string()
}

fn sha256(text: &str) -> String {
    pinterest_gen::spec::sha256_hex(text.as_bytes())
}

fn root_with_pin() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("spec")).unwrap();
    std::fs::write(
        dir.path().join("spec/pin.json"),
        r#"{"version": "5.23.0", "file": "openapi-5.23.0.json", "commit": "c05b18971472342ebdf4bafc15fea8a91c78bf79", "sha256": "537bde5a50b181d653840bed4fb4735d753b5be4ce98bc8192de258cee67b142"}"#,
    )
    .unwrap();
    dir
}

#[test]
fn gen_check_fails_on_stale_output_and_passes_after_gen() {
    let root = root_with_pin();
    let spec = root.path().join("mini.json");
    std::fs::write(&spec, mini_spec()).unwrap();
    let out = root.path().join("out");
    let spec_arg = spec.to_str().unwrap();
    let out_arg = out.to_str().unwrap();

    let missing = xtask(
        root.path(),
        &["gen", "--spec", spec_arg, "--out", out_arg, "--check"],
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("client.rs: missing"));
    let out = out.join("pinterest-api/src/generated");

    let generated = xtask(root.path(), &["gen", "--spec", spec_arg, "--out", out_arg]);
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let fresh = xtask(
        root.path(),
        &["gen", "--spec", spec_arg, "--out", out_arg, "--check"],
    );
    assert!(
        fresh.status.success(),
        "{}",
        String::from_utf8_lossy(&fresh.stderr)
    );

    let client = out.join("client.rs");
    let edited = std::fs::read_to_string(&client)
        .unwrap()
        .replace("username", "user_name");
    std::fs::write(&client, edited).unwrap();
    let stale = xtask(
        root.path(),
        &["gen", "--spec", spec_arg, "--out", out_arg, "--check"],
    );
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("client.rs: stale (+"), "{stderr}");
    assert!(
        stderr.contains("-") && stderr.contains("user_name"),
        "{stderr}"
    );
    assert!(stderr.contains("run `cargo xtask gen`"), "{stderr}");
}

#[test]
fn gen_refuses_a_pinned_file_whose_checksum_differs() {
    let root = root_with_pin();
    let dir = root.path().join("specs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("openapi-5.23.0.json"), mini_spec()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["--root", root.path().to_str().unwrap(), "gen", "--check"])
        .env("PINTEREST_SPEC_DIR", &dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sha256 is"), "{stderr}");
    assert!(stderr.contains("spec/pin.json pins 537bde5a"), "{stderr}");
}

#[test]
fn fetch_spec_verifies_saves_and_pins() {
    let server = MockServer::start();
    let body = mini_spec();
    let mock = server.mock(|when, then| {
        when.method(GET).path(format!("/{COMMIT}/v5/openapi.json"));
        then.status(200).body(body.clone());
    });
    let root = root_with_pin();
    let out = fetch_spec(root.path(), &server, Some(&sha256(&body)));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    mock.assert();
    let saved = root.path().join("target/spec/openapi-5.99.0.json");
    assert_eq!(std::fs::read_to_string(saved).unwrap(), body);
    let pin: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.path().join("spec/pin.json")).unwrap())
            .unwrap();
    assert_eq!(pin["version"], "5.99.0");
    assert_eq!(pin["commit"], COMMIT);
    assert_eq!(pin["sha256"], sha256(&body));
    assert_eq!(pin["file"], "openapi-5.99.0.json");
}

#[test]
fn fetch_spec_with_a_checksum_mismatch_changes_nothing() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path(format!("/{COMMIT}/v5/openapi.json"));
        then.status(200).body(mini_spec());
    });
    let root = root_with_pin();
    let before = std::fs::read_to_string(root.path().join("spec/pin.json")).unwrap();
    let wrong = "0".repeat(64);
    let out = fetch_spec(root.path(), &server, Some(&wrong));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("checksum mismatch"), "{stderr}");
    assert!(stderr.contains(&sha256(&mini_spec())), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(root.path().join("spec/pin.json")).unwrap(),
        before
    );
    assert!(!root.path().join("target/spec/openapi-5.99.0.json").exists());
}

#[test]
fn fetch_spec_reports_an_unknown_commit_and_a_bad_id() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET);
        then.status(404).body("404: Not Found");
    });
    let root = root_with_pin();
    let out = fetch_spec(root.path(), &server, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HTTP 404"));
    let out = xtask(root.path(), &["fetch-spec", "--commit", "main"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a 40-digit hex commit id"));
}

/// A root whose pin names `mini_spec()` (version 5.99.0) at [`COMMIT`].
fn root_pinning_mini_spec() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("spec")).unwrap();
    let pin = serde_json::json!({
        "version": "5.99.0",
        "file": "openapi-5.99.0.json",
        "commit": COMMIT,
        "sha256": sha256(&mini_spec()),
    });
    std::fs::write(dir.path().join("spec/pin.json"), pin.to_string()).unwrap();
    dir
}

/// `gen --out OUT` in `root` with downloads from `base_url`, no local
/// spec directory and the cache in `root/target`.
fn gen_downloading(root: &Path, base_url: &str, extra: &[&str]) -> Output {
    let out = root.join("out");
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(["gen", "--out", out.to_str().unwrap()])
        .args(extra)
        .env("PINTEREST_SPEC_DIR", root.join("no-such-dir"))
        .env("PINTEREST_SPEC_BASE_URL", base_url)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_NET_OFFLINE")
        .output()
        .expect("xtask runs")
}

#[test]
fn gen_downloads_the_pinned_spec_once_and_then_uses_the_cache() {
    let root = root_pinning_mini_spec();
    let cached = root.path().join("target/spec/openapi-5.99.0.json");
    let server = MockServer::start();
    let body = mini_spec();
    let mock = server.mock(|when, then| {
        when.method(GET).path(format!("/{COMMIT}/v5/openapi.json"));
        then.status(200).body(body.clone());
    });
    let first = gen_downloading(root.path(), &server.base_url(), &[]);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    assert!(
        stderr.contains("downloaded openapi-5.99.0.json (5.99.0)")
            && stderr.contains("sha256 verified"),
        "{stderr}"
    );
    mock.assert_calls(1);
    assert_eq!(std::fs::read_to_string(&cached).unwrap(), body);
    assert!(
        root.path()
            .join("out/pinterest-api/src/generated/client.rs")
            .is_file()
    );
    assert!(
        root.path()
            .join("out/tests/generated/dispatch.rs")
            .is_file()
    );

    // The server is gone: the cached file is used, with no download.
    let gone = server.base_url();
    drop(server);
    let second = gen_downloading(root.path(), &gone, &["--check"]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(!stderr.contains("downloaded"), "{stderr}");
    assert!(stderr.contains("generated code is up to date"), "{stderr}");
}

#[test]
fn gen_refuses_a_download_whose_checksum_differs_and_writes_nothing() {
    let root = root_pinning_mini_spec();
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path(format!("/{COMMIT}/v5/openapi.json"));
        then.status(200)
            .body(mini_spec().replace("Mini", "Tampered"));
    });
    let out = gen_downloading(root.path(), &server.base_url(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("checksum mismatch"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!root.path().join("target/spec").exists());
    assert!(!root.path().join("out").exists());
}

#[test]
fn gen_offline_without_the_spec_names_the_three_ways_to_provide_it() {
    let root = root_pinning_mini_spec();
    let server = MockServer::start();
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(200).body(mini_spec());
    });
    for extra in [&["--offline"][..], &[]] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.arg("--root")
            .arg(root.path())
            .arg("gen")
            .args(extra)
            .env("PINTEREST_SPEC_DIR", root.path().join("no-such-dir"))
            .env("PINTEREST_SPEC_BASE_URL", server.base_url())
            .env_remove("CARGO_TARGET_DIR");
        if extra.is_empty() {
            cmd.env("CARGO_NET_OFFLINE", "true");
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        for way in [
            "--spec PATH",
            "PINTEREST_SPEC_DIR",
            "cargo xtask fetch-spec --commit",
        ] {
            assert!(stderr.contains(way), "{way} missing: {stderr}");
        }
        assert!(stderr.contains("downloading is off"), "{stderr}");
    }
    any.assert_calls(0);
}

#[test]
fn gen_reports_an_unreachable_download_with_the_ways_to_provide_the_spec() {
    let root = root_pinning_mini_spec();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let out = gen_downloading(root.path(), &base, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the download failed"), "{stderr}");
    assert!(stderr.contains("--spec PATH"), "{stderr}");
}
