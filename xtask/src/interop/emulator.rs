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
    /// With `--tls`, the CA certificate it printed (`ca: <path>`).
    ca: Option<PathBuf>,
}

impl Emulator {
    /// Start `binary --listen 127.0.0.1:0`, its stderr going to `log`, and
    /// wait for the base URL it prints as its first stdout line.
    pub(crate) fn start(binary: &Path, log: &Path) -> Result<Emulator, String> {
        Self::launch(binary, log, false)
    }

    /// Start `binary --listen 127.0.0.1:0 --tls`, its stderr going to `log`,
    /// and wait for its `https://` base URL and its `ca: <path>` line.
    pub(crate) fn start_tls(binary: &Path, log: &Path) -> Result<Emulator, String> {
        Self::launch(binary, log, true)
    }

    fn launch(binary: &Path, log: &Path, tls: bool) -> Result<Emulator, String> {
        let log_file = File::create(log)
            .map_err(|error| format!("cannot create {}: {error}", log.display()))?;
        let mut command = Command::new(binary);
        command.args(["--listen", "127.0.0.1:0"]);
        if tls {
            command.arg("--tls");
        }
        let mut child = command
            // Only the flags above decide: not a variable of the caller's.
            .env_remove("WEBEX_EMULATOR_TLS")
            .env_remove("WEBEX_EMULATOR_TLS_DIR")
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
            ca: None,
        };
        let (sender, receiver) = mpsc::channel();
        let wanted = if tls { 2 } else { 1 };
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let read = (0..wanted)
                .map(|_| {
                    let mut line = String::new();
                    reader.read_line(&mut line).map(|_| line)
                })
                .collect::<io::Result<Vec<String>>>();
            let _ = sender.send(read);
            // Keep draining, so the emulator never blocks on a full pipe.
            let _ = io::copy(&mut reader, &mut io::sink());
        });
        let lines = match receiver.recv_timeout(STARTUP_TIMEOUT) {
            Ok(Ok(lines)) => lines,
            Ok(Err(error)) => return Err(format!("reading the emulator's stdout: {error}")),
            Err(_) => {
                return Err(format!(
                    "the emulator printed no base URL within {}s (log: {})",
                    STARTUP_TIMEOUT.as_secs(),
                    log.display()
                ));
            }
        };
        let line = lines.first().cloned().unwrap_or_default();
        let base_url = line.trim().trim_end_matches('/').to_owned();
        let scheme = if tls { "https://" } else { "http://" };
        let ca = lines
            .get(1)
            .and_then(|line| line.trim_end().strip_prefix("ca: "))
            .map(PathBuf::from);
        if !base_url.starts_with(scheme) || (tls && !ca.as_deref().is_some_and(Path::is_file)) {
            let exited = emulator.child.try_wait().ok().flatten();
            return Err(format!(
                "expected the emulator's {scheme} base URL{} first, got {lines:?}{} (log: {})",
                if tls { " and `ca: <file>`" } else { "" },
                exited.map_or_else(String::new, |status| format!("; it {status}")),
                log.display()
            ));
        }
        emulator.base_url = base_url;
        emulator.ca = ca;
        Ok(emulator)
    }

    /// With `--tls`, the CA certificate (PEM) clients must trust.
    pub(crate) fn ca(&self) -> Option<&Path> {
        self.ca.as_deref()
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
