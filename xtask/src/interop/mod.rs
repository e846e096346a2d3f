//! `cargo xtask interop`: the emulator against real third-party Webex clients.
//!
//! 1. builds `webex-emulator` and installs each suite's client into a cache
//!    outside the clone (`$HOME/.cache/webex-rs/interop`): a venv with
//!    `webexpythonsdk` and `webex-bot` ([`python`]), the npm `webex` SDK
//!    ([`node`]), and puppeteer-core for the SDK's browser bundle in
//!    Chromium ([`browser`]);
//! 2. starts the emulator on a free port ([`emulator`]), and a second one
//!    with `--tls` for the [`tls`] suite;
//! 3. runs each suite against it (`interop/python/run.py`,
//!    `interop/node/run.js`, `interop/browser/run.js`; the tls suite's
//!    `run_tls.py` and `run_tls.js` against the TLS one, with its CA in the
//!    clients' trust variables), passing the base URL in
//!    `WEBEX_INTEROP_BASE_URL`; each suite writes its counts to the file named
//!    by `WEBEX_INTEROP_SUMMARY` ([`summary`]);
//! 4. stops the emulator (also on failure) and prints a per-suite summary.
//!
//! It fails when a suite fails a check, crashes, or cannot be set up. Checks
//! listed in `interop/known-gaps.txt` still run, but their failures are
//! reported as known gaps; `--strict` counts them as failures.

mod browser;
pub(crate) mod emulator;
pub(crate) mod node;
pub(crate) mod python;
mod summary;
mod tls;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

use clap::ValueEnum;

use crate::run::{fmt_duration, workspace_root};

use self::emulator::Emulator;
use self::summary::{Counts, SuiteReport};

/// How long one suite may run before it is killed and counted as failed.
const SUITE_TIMEOUT: Duration = Duration::from_secs(600);

/// A suite of checks driven by one real client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Suite {
    /// `webexpythonsdk` and `webex-bot` (PyPI), `interop/python/`.
    Python,
    /// The official JS SDK (npm `webex`), `interop/node/`.
    Node,
    /// The official JS SDK's browser bundle in headless Chromium, a
    /// meeting: `interop/browser/`.
    Browser,
    /// webexpythonsdk, webex-bot and the official JS SDK against an
    /// emulator started with `--tls`: `interop/python/run_tls.py`,
    /// `interop/node/run_tls.js`.
    Tls,
}

impl Suite {
    /// Every suite, in the order they run.
    pub(crate) const ALL: &'static [Suite] =
        &[Suite::Python, Suite::Node, Suite::Browser, Suite::Tls];

    /// The suite's name, as accepted by `--suite`.
    fn name(self) -> &'static str {
        match self {
            Suite::Python => "python",
            Suite::Node => "node",
            Suite::Browser => "browser",
            Suite::Tls => "tls",
        }
    }

    /// Install the suite's clients if needed; the commands that run the
    /// suite.
    fn prepare(self, root: &Path, cache: &Path) -> Result<Vec<Run>, String> {
        let plain = |name, command: Result<Command, String>| {
            command.map(|command| vec![Run::on_plain(name, command)])
        };
        match self {
            Suite::Python => plain("python", python::prepare(root, cache)),
            Suite::Node => plain("node", node::prepare(root, cache)),
            Suite::Browser => plain("browser", browser::prepare(root, cache)),
            Suite::Tls => tls::prepare(root, cache),
        }
    }
}

/// One command of a suite, reported on its own, and the emulator it runs
/// against.
#[derive(Debug)]
pub(crate) struct Run {
    /// The name its report has.
    name: &'static str,
    /// What runs the checks.
    command: Command,
    /// Whether it runs against the emulator started with `--tls`.
    tls: bool,
}

impl Run {
    /// A run against the plain emulator.
    fn on_plain(name: &'static str, command: Command) -> Run {
        Run {
            name,
            command,
            tls: false,
        }
    }

    /// A run against the emulator started with `--tls`.
    fn on_tls(name: &'static str, command: Command) -> Run {
        Run {
            name,
            command,
            tls: true,
        }
    }
}

/// Run `suites` against a fresh emulator; see the module docs.
pub(crate) fn run(suites: &[Suite], strict: bool) -> ExitCode {
    let start = Instant::now();
    let root = workspace_root();
    let cache = match cache_dir() {
        Ok(cache) => cache,
        Err(error) => {
            eprintln!("interop: {error}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "interop: workspace {}, cache {}",
        root.display(),
        cache.display()
    );

    eprintln!("\n==> interop: build webex-emulator");
    let binary = match emulator::build(&root, emulator::Profile::Debug, &[]) {
        Ok(binary) => binary,
        Err(error) => {
            eprintln!("interop: {error}");
            return ExitCode::FAILURE;
        }
    };

    let mut reports = Vec::new();
    let mut ready = Vec::new();
    for &suite in suites {
        eprintln!("\n==> interop: prepare the {} suite", suite.name());
        let begun = Instant::now();
        match suite.prepare(&root, &cache) {
            Ok(runs) => ready.extend(runs.into_iter().map(|run| (run, begun.elapsed()))),
            Err(error) => reports.push(SuiteReport::broken(
                suite.name(),
                format!("setup failed: {error}"),
                begun.elapsed(),
            )),
        }
    }

    let (secure, plain): (Vec<_>, Vec<_>) = ready.into_iter().partition(|(run, _)| run.tls);
    reports.extend(run_against(plain, &cache, strict, || {
        Emulator::start(&binary, &cache.join("emulator.log"))
    }));
    reports.extend(run_against(secure, &cache, strict, || {
        Emulator::start_tls(&binary, &cache.join("emulator-tls.log"))
    }));

    summary::print(&reports, start.elapsed(), &cache.join("emulator.log"));
    if reports.iter().all(SuiteReport::ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Start an emulator with `start` and run `runs` against it (nothing when
/// there are none); their reports.
fn run_against(
    runs: Vec<(Run, Duration)>,
    cache: &Path,
    strict: bool,
    start: impl FnOnce() -> Result<Emulator, String>,
) -> Vec<SuiteReport> {
    if runs.is_empty() {
        return Vec::new();
    }
    eprintln!("\n==> interop: start the emulator");
    match start() {
        Ok(emulator) => {
            eprintln!("interop: emulator at {}", emulator.base_url());
            runs.into_iter()
                .map(|(run, setup)| run_suite(run, setup, &emulator, cache, strict))
                .collect()
            // `emulator` is dropped here, which stops it; it is stopped
            // the same way on every early return and on a panic.
        }
        Err(error) => runs
            .into_iter()
            .map(|(run, setup)| SuiteReport::broken(run.name, format!("not run: {error}"), setup))
            .collect(),
    }
}

/// Run one prepared suite against `emulator` and read its summary file.
fn run_suite(
    Run {
        name, mut command, ..
    }: Run,
    setup: Duration,
    emulator: &Emulator,
    cache: &Path,
    strict: bool,
) -> SuiteReport {
    let summary_file = cache.join(format!("{name}-summary.txt"));
    // A summary left by an earlier run must not pass for this one's.
    let _ = std::fs::remove_file(&summary_file);
    if let Some(ca) = emulator.ca() {
        tls::trust(&mut command, ca);
    }
    command
        .env("WEBEX_INTEROP_BASE_URL", emulator.base_url())
        .env("WEBEX_INTEROP_SUMMARY", &summary_file)
        .env("WEBEX_INTEROP_STRICT", if strict { "1" } else { "0" });
    eprintln!("\n==> interop: {name} suite: {}", show(&command));
    let begun = Instant::now();
    let outcome = command
        .spawn()
        .map_err(|error| format!("could not start: {error}"))
        .and_then(|child| wait_with_timeout(child, SUITE_TIMEOUT));
    let elapsed = setup + begun.elapsed();
    let status = match outcome {
        Ok(status) => status,
        Err(error) => return SuiteReport::broken(name, error, elapsed),
    };
    match std::fs::read_to_string(&summary_file) {
        Ok(text) => match Counts::parse_summary(&text) {
            Ok(summary) => SuiteReport::finished(name, status, summary, elapsed),
            Err(error) => SuiteReport::broken(
                name,
                format!(
                    "{status}; bad summary file {}: {error}",
                    summary_file.display()
                ),
                elapsed,
            ),
        },
        Err(error) => SuiteReport::broken(
            name,
            format!(
                "{status}, and wrote no summary ({}: {error})",
                summary_file.display()
            ),
            elapsed,
        ),
    }
}

/// Wait for `child`, killing it after `timeout`.
pub(crate) fn wait_with_timeout(mut child: Child, timeout: Duration) -> Result<ExitStatus, String> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("killed after {}", fmt_duration(timeout)));
            }
            Ok(None) => thread::sleep(Duration::from_millis(50)),
            Err(error) => return Err(format!("could not wait for it: {error}")),
        }
    }
}

/// `$HOME/.cache/webex-rs/interop`, created if missing. Outside the clone, so
/// the installs survive fresh clones on the same machine. `cargo xtask bench`
/// uses the same installs.
pub(crate) fn cache_dir() -> Result<PathBuf, String> {
    let home = std::env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .ok_or("HOME is not set; the interop cache lives in $HOME/.cache/webex-rs/interop")?;
    let dir = PathBuf::from(home).join(".cache/webex-rs/interop");
    std::fs::create_dir_all(&dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    Ok(dir)
}

/// Run `command` to completion with inherited stdio; an error unless it exits 0.
pub(crate) fn run_command(mut command: Command) -> Result<(), String> {
    eprintln!("interop: {}", show(&command));
    let status = command
        .status()
        .map_err(|error| format!("could not start `{}`: {error}", show(&command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` {status}", show(&command)))
    }
}

/// A command as a shell-like line, for messages.
pub(crate) fn show(command: &Command) -> String {
    let mut line = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    if let Some(dir) = command.get_current_dir() {
        line = format!("(cd {} && {line})", dir.display());
    }
    line
}
