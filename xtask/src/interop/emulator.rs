//! Building and running the `webex-emulator` binary for the interop suites
//! and the benches.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::run_command;
use crate::run::cargo;

/// How long the emulator may take to print its base URL.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// A cargo build profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    /// `cargo build` (the interop suites).
    Debug,
    /// `cargo build --release` (the benches).
    Release,
}

impl Profile {
    /// The profile's directory under the target directory.
    fn dir(self) -> &'static str {
        match self {
            Profile::Debug => "debug",
            Profile::Release => "release",
        }
    }
}

/// `cargo build -p webex-emulator` (plus `also`, e.g. more packages) in
/// `profile`; the path of the built emulator binary.
pub(crate) fn build(root: &Path, profile: Profile, also: &[&str]) -> Result<PathBuf, String> {
    let mut command = Command::new(cargo());
    command.args(["build", "-p", "webex-emulator"]);
    if profile == Profile::Release {
        command.arg("--release");
    }
    command.args(also).current_dir(root);
    run_command(command)?;
    let binary =
        profile_dir(root, profile)?.join(format!("webex-emulator{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("built, but {} is not there", binary.display()))
    }
}

/// Where cargo puts what it builds in `profile`, e.g. `target/release`.
pub(crate) fn profile_dir(root: &Path, profile: Profile) -> Result<PathBuf, String> {
    Ok(target_dir(root)?.join(profile.dir()))
}

/// The cargo that runs xtask (`$CARGO`), so the same toolchain builds.
/// The target directory: `$CARGO_TARGET_DIR`, else what `cargo metadata` says
/// (which also honours a `build.target-dir` in cargo's config).
pub(crate) fn target_dir(root: &Path) -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        return Ok(root.join(dir));
    }
    let output = Command::new(cargo())
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("could not run `cargo metadata`: {error}"))?;
    let json = String::from_utf8_lossy(&output.stdout);
    // One string field of a JSON document; not worth a JSON parser.
    let key = "\"target_directory\":\"";
    let start = json
        .find(key)
        .map(|at| at + key.len())
        .ok_or("`cargo metadata` printed no target_directory")?;
    let end = json[start..]
        .find('"')
        .ok_or("`cargo metadata`: unterminated target_directory")?;
    Ok(PathBuf::from(
        json[start..start + end].replace("\\\\", "\\"),
    ))
}

/// A running emulator. Dropping it stops the process.
#[derive(Debug)]
pub(crate) struct Emulator {
    /// The emulator process.
    child: Child,
    /// Its base URL, e.g. `http://127.0.0.1:40123`.
    base_url: String,
}

impl Emulator {
    /// Start `binary --listen 127.0.0.1:0`, its stderr going to `log`, and
    /// wait for the base URL it prints as its first stdout line.
    pub(crate) fn start(binary: &Path, log: &Path) -> Result<Emulator, String> {
        let log_file = File::create(log)
            .map_err(|error| format!("cannot create {}: {error}", log.display()))?;
        let mut child = Command::new(binary)
            .args(["--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .map_err(|error| format!("could not start {}: {error}", binary.display()))?;
        let Some(stdout) = child.stdout.take() else {
            stop(&mut child);
            return Err("the emulator's stdout was not captured".to_owned());
        };
        // From here on, `emulator` owns the process: any early return stops it.
        let mut emulator = Emulator {
            child,
            base_url: String::new(),
        };
        let (sender, receiver) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut first = String::new();
            let read = reader.read_line(&mut first).map(|_| first);
            let _ = sender.send(read);
            // Keep draining, so the emulator never blocks on a full pipe.
            let _ = io::copy(&mut reader, &mut io::sink());
        });
        let line = match receiver.recv_timeout(STARTUP_TIMEOUT) {
            Ok(Ok(line)) => line,
            Ok(Err(error)) => return Err(format!("reading the emulator's stdout: {error}")),
            Err(_) => {
                return Err(format!(
                    "the emulator printed no base URL within {}s (log: {})",
                    STARTUP_TIMEOUT.as_secs(),
                    log.display()
                ));
            }
        };
        let base_url = line.trim().trim_end_matches('/').to_owned();
        if !base_url.starts_with("http://") {
            let exited = emulator.child.try_wait().ok().flatten();
            return Err(format!(
                "expected the emulator's base URL as its first line, got {line:?}{} (log: {})",
                exited.map_or_else(String::new, |status| format!("; it {status}")),
                log.display()
            ));
        }
        emulator.base_url = base_url;
        Ok(emulator)
    }

    /// The base URL the emulator printed.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The emulator's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        stop(&mut self.child);
        eprintln!("emulator stopped");
    }
}

/// Kill `child` (if still running) and reap it.
fn stop(child: &mut Child) {
    if let Ok(None) = child.try_wait() {
        let _ = child.kill();
    }
    let _ = child.wait();
}
