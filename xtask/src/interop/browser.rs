//! The browser suite: the npm `webex` SDK's browser bundle
//! (`webex/umd/webex.min.js`, from the Node suite's install) in Debian's
//! headless Chromium, driven by puppeteer-core, runs a meeting against the
//! emulator (`interop/browser/`, `docs/interop-browser.md`); our SDK
//! (`interop/browser/sdk-observer.rs`, the example `interop-sdk-observer`,
//! built here) is in the same meeting. Chromium then signs our `oauth-login` example in
//! (`interop/browser/oauth-login.js`; the example is built here too); a page
//! served from a second origin lists rooms with the same bundle through the
//! emulator's CORS answers (`interop/browser/cors-page.js`); and Chromium uses the
//! emulator's chat page while our `echo-bot` example (built here) answers on it
//! (`interop/browser/chat-page.js`; its screenshot goes to `$CI_ARTIFACTS_DIR`).
//!
//! Chromium comes from the machine (`apt-get install chromium`, which
//! `.ci/run` does); `WEBEX_INTEROP_CHROMIUM` names another binary.
//! puppeteer-core is pinned by `interop/browser/package-lock.json` and
//! installed into `<cache>/browser` like the SDK ([`super::node`]), so the
//! Node suite's install is left as it is.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::emulator::{self, Profile};
use super::{node, run_command};
use crate::run::cargo;

/// Where Debian's package puts the browser.
const DEBIAN_CHROMIUM: &str = "/usr/bin/chromium";

/// The folder CI keeps after a run (screenshots); `.ci/run` sets it.
const ARTIFACTS_VAR: &str = "CI_ARTIFACTS_DIR";

/// Install what the suite needs if missing and return the command that runs
/// `interop/browser/run.js`.
pub(super) fn prepare(root: &Path, cache: &Path) -> Result<Command, String> {
    let chromium = chromium()?;
    let sdk = node::install(root, cache)?;
    let bundle = sdk.join("webex/umd/webex.min.js");
    if !bundle.is_file() {
        return Err(format!(
            "the SDK's browser bundle {} is missing",
            bundle.display()
        ));
    }
    let driver = node::install_locked(&root.join("interop/browser"), &cache.join("browser"))?;
    let observer = build_example(root, "interop-sdk-observer")?;
    let oauth_login = build_example(root, "oauth-login")?;
    let echo_bot = build_example(root, "echo-bot")?;
    let artifacts = artifacts_dir(root)?;
    let node_path = env::join_paths([&driver, &sdk])
        .map_err(|error| format!("cannot build NODE_PATH: {error}"))?;
    let mut command = Command::new("node");
    command
        .arg(root.join("interop/browser/run.js"))
        .current_dir(root)
        .env("NODE_PATH", node_path)
        .env("WEBEX_INTEROP_CHROMIUM", chromium)
        .env("WEBEX_INTEROP_WEBEX_BUNDLE", bundle)
        .env("WEBEX_INTEROP_SDK_OBSERVER", observer)
        .env("WEBEX_INTEROP_OAUTH_LOGIN", oauth_login)
        .env("WEBEX_INTEROP_ECHO_BOT", echo_bot)
        .env(ARTIFACTS_VAR, artifacts);
    Ok(command)
}

/// `cargo build --example <name>`; the binary.
fn build_example(root: &Path, name: &str) -> Result<PathBuf, String> {
    let mut command = Command::new(cargo());
    command
        .args(["build", "-p", "webex-examples", "--example", name])
        .current_dir(root);
    run_command(command)?;
    let binary = emulator::profile_dir(root, Profile::Debug)?
        .join("examples")
        .join(format!("{name}{}", env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("built, but {} is not there", binary.display()))
    }
}

/// Where the suite writes screenshots: `$CI_ARTIFACTS_DIR`, else
/// `target/interop-artifacts` under the workspace root; created if missing.
fn artifacts_dir(root: &Path) -> Result<PathBuf, String> {
    let dir = env::var_os(ARTIFACTS_VAR)
        .filter(|dir| !dir.is_empty())
        .map_or_else(
            || root.join("target/interop-artifacts"),
            |dir| root.join(dir),
        );
    std::fs::create_dir_all(&dir).map_err(|error| {
        format!(
            "cannot create the artifacts folder {}: {error}",
            dir.display()
        )
    })?;
    Ok(dir)
}

/// The Chromium binary: `WEBEX_INTEROP_CHROMIUM`, else Debian's.
fn chromium() -> Result<PathBuf, String> {
    let path = env::var_os("WEBEX_INTEROP_CHROMIUM")
        .filter(|path| !path.is_empty())
        .unwrap_or_else(|| OsString::from(DEBIAN_CHROMIUM));
    let path = PathBuf::from(path);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "no Chromium at {}: install Debian's (`apt-get install chromium`, as .ci/run does) \
             or set WEBEX_INTEROP_CHROMIUM",
            path.display()
        ))
    }
}
