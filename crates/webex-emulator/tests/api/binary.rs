//! The `webex-emulator` binary.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::client::Http;

/// Kills the child even when an assertion fails.
pub(crate) struct KillOnDrop(pub(crate) Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_prints_its_base_url_first() {
    let child = Command::new(env!("CARGO_BIN_EXE_webex-emulator"))
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn webex-emulator");
    let mut child = KillOnDrop(child);
    let stdout = child.0.stdout.take().expect("stdout");

    // Blocking read in a blocking task: the line comes right after startup.
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .expect("join")
    .expect("read first line");
    let base = line.trim_end().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base:?}");
    assert!(!base.ends_with("/"));

    let health = Http::for_base(base).get("/_emulator/health").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
}
