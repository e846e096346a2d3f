//! The Node suite: the npm `webex` SDK installed outside the clone.
//!
//! `interop/node/package.json` pins `webex` exactly and `package-lock.json`
//! pins the whole tree. Both are copied to `<cache>/node`, where `npm ci`
//! installs them when the lock differs from the one last installed (kept as
//! `node_modules/.webex-rs-package-lock.json`, which `npm ci` itself wipes).
//! The suite runs from the clone with `NODE_PATH` pointing at that
//! `node_modules`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::run_command;

/// The copy of the lock that says what `node_modules` holds.
const STAMP: &str = ".webex-rs-package-lock.json";

/// Install the pinned SDK if needed and return the command that runs
/// `interop/node/run.js`.
pub(super) fn prepare(root: &Path, cache: &Path) -> Result<Command, String> {
    let modules = install(root, cache)?;
    let mut command = Command::new("node");
    command
        .arg(root.join("interop/node/run.js"))
        .current_dir(root)
        .env("NODE_PATH", &modules);
    Ok(command)
}

/// Install the pinned SDK if needed; the `node_modules` directory to put in
/// `NODE_PATH`.
pub(crate) fn install(root: &Path, cache: &Path) -> Result<PathBuf, String> {
    install_locked(&root.join("interop/node"), &cache.join("node"))
}

/// Install the packages that `suite`'s `package.json` and
/// `package-lock.json` pin into `dir`, unless `dir` already holds exactly
/// that lock; the `node_modules` directory.
pub(crate) fn install_locked(suite: &Path, dir: &Path) -> Result<PathBuf, String> {
    fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let mut lock = String::new();
    for file in ["package.json", "package-lock.json"] {
        let text = fs::read_to_string(suite.join(file))
            .map_err(|error| format!("cannot read {}: {error}", suite.join(file).display()))?;
        let copy = dir.join(file);
        if fs::read_to_string(&copy).ok().as_deref() != Some(text.as_str()) {
            fs::write(&copy, &text)
                .map_err(|error| format!("cannot write {}: {error}", copy.display()))?;
        }
        if file == "package-lock.json" {
            lock = text;
        }
    }

    let modules = dir.join("node_modules");
    let stamp = modules.join(STAMP);
    if fs::read_to_string(&stamp).ok().as_deref() == Some(lock.as_str()) {
        eprintln!("interop: {} is up to date", modules.display());
    } else {
        // --ignore-scripts: the packages are plain JavaScript; no install
        // script may download anything (puppeteer-core downloads no browser
        // anyway).
        let mut command = Command::new("npm");
        command
            .args([
                "ci",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ])
            .current_dir(dir);
        run_command(command)?;
        fs::write(&stamp, &lock)
            .map_err(|error| format!("cannot write {}: {error}", stamp.display()))?;
    }

    Ok(modules)
}
