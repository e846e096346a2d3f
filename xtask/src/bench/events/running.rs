//! A bench client process that reports on stdout, one JSON line at a time,
//! while the harness drives the emulator between its lines.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use crate::bench::process::tail;
use crate::interop::{show, wait_with_timeout};

/// A running client; dropping it kills the process if it still runs.
#[derive(Debug)]
pub(super) struct Running {
    /// What it is, for messages.
    name: String,
    /// The process, until [`Running::finish`] waits for it.
    child: Option<Child>,
    /// Its stdout, a line at a time.
    lines: Receiver<String>,
    /// Where its stderr goes.
    stderr: PathBuf,
}

impl Running {
    /// Starts `command` (named `name` in messages), its stderr going to
    /// `stderr`.
    pub(super) fn spawn(name: &str, mut command: Command, stderr: PathBuf) -> Result<Self, String> {
        let file = File::create(&stderr)
            .map_err(|error| format!("cannot create {}: {error}", stderr.display()))?;
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(file);
        eprintln!("bench events: {name}: {}", show(&command));
        let mut child = command
            .spawn()
            .map_err(|error| format!("{name}: could not start: {error}"))?;
        let stdout = child.stdout.take();
        let (sender, lines) = mpsc::channel();
        if let Some(stdout) = stdout {
            thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        Ok(Self {
            name: name.to_owned(),
            child: Some(child),
            lines,
            stderr,
        })
    }

    /// The next stdout line that is a JSON object with `key`, within
    /// `timeout`; other lines are skipped.
    pub(super) fn expect(&mut self, key: &str, timeout: Duration) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        let needle = format!("\"{key}\"");
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.trim_start().starts_with('{') && line.contains(&needle) => {
                    return Ok(line);
                }
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "{}: no `{key}` line within {}s{}",
                        self.name,
                        timeout.as_secs(),
                        self.stderr_tail()
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = self
                        .child
                        .as_mut()
                        .and_then(|child| child.wait().ok())
                        .map_or_else(String::new, |status| format!(" ({status})"));
                    return Err(format!(
                        "{}: exited before printing `{key}`{status}{}",
                        self.name,
                        self.stderr_tail()
                    ));
                }
            }
        }
    }

    /// Waits (up to `timeout`) for the process to exit; an error unless it
    /// exits 0.
    pub(super) fn finish(mut self, timeout: Duration) -> Result<(), String> {
        let Some(child) = self.child.take() else {
            return Ok(());
        };
        let status = wait_with_timeout(child, timeout)?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{}: {status}{}", self.name, self.stderr_tail()))
        }
    }

    /// The last lines of its stderr, for error messages.
    fn stderr_tail(&self) -> String {
        let text = fs::read_to_string(&self.stderr).unwrap_or_default();
        if text.trim().is_empty() {
            String::new()
        } else {
            format!("; stderr (last lines): {}", tail(&text, 8))
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
