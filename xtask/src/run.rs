//! Running one external command with timing.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A cargo command: arguments and extra environment variables. It runs in the workspace
/// root.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    /// The arguments.
    args: Vec<&'static str>,
    /// Environment variables set for the command only.
    envs: Vec<(&'static str, &'static str)>,
}

/// What happened when a [`Task`] ran.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// Wall-clock time the command took.
    pub(crate) elapsed: Duration,
    /// `None` on success, otherwise why the command failed.
    pub(crate) error: Option<String>,
    /// The exit code to hand on: 0 on success, the command's own code if it
    /// exited with one, else 1.
    pub(crate) exit_code: u8,
}

/// The cargo that runs xtask (`$CARGO`), so every step uses the same toolchain.
pub(crate) fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

impl Task {
    /// `cargo <args>`.
    pub(crate) fn cargo<const N: usize>(args: [&'static str; N]) -> Task {
        Task {
            args: args.to_vec(),
            envs: Vec::new(),
        }
    }

    /// Set an environment variable for this command.
    pub(crate) fn env(mut self, key: &'static str, value: &'static str) -> Task {
        self.envs.push((key, value));
        self
    }

    /// Run the command in the workspace root, inheriting stdio, and time it.
    pub(crate) fn run(&self) -> Outcome {
        let start = Instant::now();
        let status = Command::new(cargo())
            .args(&self.args)
            .envs(self.envs.iter().copied())
            .current_dir(workspace_root())
            .status();
        let elapsed = start.elapsed();
        let (error, exit_code) = match status {
            Ok(status) if status.success() => (None, 0),
            Ok(status) => {
                let code = status
                    .code()
                    .and_then(|code| u8::try_from(code).ok())
                    .filter(|&code| code != 0)
                    .unwrap_or(1);
                (Some(format!("`{self}` {status}")), code)
            }
            Err(err) => (Some(format!("could not start `{self}`: {err}")), 1),
        };
        Outcome {
            elapsed,
            error,
            exit_code,
        }
    }
}

impl Task {
    /// Run `tasks` in order, stopping at the first failure; the elapsed time is their sum.
    pub(crate) fn run_all(tasks: &[Task]) -> Outcome {
        let mut total = Outcome {
            elapsed: Duration::ZERO,
            error: None,
            exit_code: 0,
        };
        for task in tasks {
            let outcome = task.run();
            total.elapsed += outcome.elapsed;
            if outcome.error.is_some() {
                total.error = outcome.error;
                total.exit_code = outcome.exit_code;
                break;
            }
        }
        total
    }

    /// `tasks` as one shell line, joined with `&&`.
    pub(crate) fn describe(tasks: &[Task]) -> String {
        tasks
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" && ")
    }
}

impl fmt::Display for Task {
    /// The command as a shell line, e.g. `RUSTDOCFLAGS='-D warnings' cargo doc`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, value) in &self.envs {
            write!(f, "{key}={} ", quote(value))?;
        }
        f.write_str("cargo")?;
        for arg in &self.args {
            write!(f, " {}", quote(arg))?;
        }
        Ok(())
    }
}

/// Single-quote `s` for display if it contains characters a shell would split on.
fn quote(s: &str) -> String {
    if s.is_empty() || s.contains(|c: char| c.is_whitespace() || "'\"$\\*?;&|<>()".contains(c)) {
        format!("'{}'", s.replace('\'', r"'\''"))
    } else {
        s.to_owned()
    }
}

/// The workspace root: the parent of the xtask crate's directory.
///
/// Taken from `CARGO_MANIFEST_DIR` at run time (`cargo run` sets it to the
/// package of the checkout being run), not baked in at compile time: with a
/// target dir shared between checkouts (`CARGO_TARGET_DIR`), cargo may reuse an
/// xtask binary that was compiled in another checkout.
pub(crate) fn workspace_root() -> PathBuf {
    let xtask_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    xtask_dir
        .parent()
        .map_or_else(|| xtask_dir.clone(), Path::to_path_buf)
}

/// Human-readable duration: `0.4s`, `12.3s`, `3m 05.2s`.
pub(crate) fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        let minutes = (secs / 60.0).floor();
        format!("{minutes:.0}m {:04.1}s", secs - minutes * 60.0)
    }
}
