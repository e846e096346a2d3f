//! The `webex-emulator` binary as a child process, for the test binaries
//! that start it (`tests/api`, `tests/fixtures.rs`): a command with none of
//! the caller's `WEBEX_EMULATOR_*` variables, a guard that kills it, and
//! readers of what it prints.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The variables the binary reads; removed so the caller's environment
/// cannot change a test.
const VARIABLES: &[&str] = &[
    "WEBEX_EMULATOR_LISTEN",
    "WEBEX_EMULATOR_TLS",
    "WEBEX_EMULATOR_TLS_DIR",
    "WEBEX_EMULATOR_FIXTURES",
    "WEBEX_EMULATOR_LOG",
    "WEBEX_EMULATOR_PUBLIC_URL",
];

/// Kills the child even when an assertion fails.
pub(crate) struct KillOnDrop(pub(crate) Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The binary on a free port of 127.0.0.1 with `args`, no
/// `WEBEX_EMULATOR_*` variable, stdin closed and stdout and stderr piped.
pub(crate) fn emulator(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_webex-emulator"));
    command.args(["--listen", "127.0.0.1:0"]).args(args);
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Starts `command` and reads the first `count` lines of its stdout
/// (without their line ends).
pub(crate) async fn first_lines(mut command: Command, count: usize) -> (KillOnDrop, Vec<String>) {
    let mut child = KillOnDrop(command.spawn().expect("spawn webex-emulator"));
    let stdout = child.0.stdout.take().expect("stdout is piped");
    // Blocking reads in a blocking task: the lines come right after startup.
    let lines = tokio::task::spawn_blocking(move || {
        let mut reader = BufReader::new(stdout);
        (0..count)
            .map(|index| {
                let mut line = String::new();
                reader
                    .read_line(&mut line)
                    .unwrap_or_else(|error| panic!("stdout line {}: {error}", index + 1));
                line.trim_end().to_owned()
            })
            .collect()
    })
    .await
    .expect("join");
    (child, lines)
}

/// Starts `command` and reads its first stdout line, the base URL.
pub(crate) async fn base_url(command: Command) -> (KillOnDrop, String) {
    let (child, mut lines) = first_lines(command, 1).await;
    (child, lines.remove(0))
}

/// Runs `command` to its end: whether it exited with success, its stdout
/// and its stderr.
pub(crate) async fn run_to_end(mut command: Command) -> (bool, String, String) {
    tokio::task::spawn_blocking(move || {
        let output = command.output().expect("run webex-emulator");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .expect("join")
}
