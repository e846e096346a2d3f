//! The binary's TLS flags: `--tls` prints the base URL and `ca: <path>`;
//! a `--tls-dir` it cannot use fails the start with a clear message.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use crate::process::{KillOnDrop, emulator, first_lines, run_to_end};
use crate::tls::{start_tls, trusting};

/// Starts `command` and reads its first two stdout lines.
async fn two_lines(command: Command) -> (KillOnDrop, String, String) {
    let (child, mut lines) = first_lines(command, 2).await;
    let second = lines.pop().unwrap_or_default();
    let first = lines.pop().unwrap_or_default();
    (child, first, second)
}

#[tokio::test]
async fn with_tls_the_binary_prints_the_base_url_then_the_ca() {
    let (mut child, first, second) = two_lines(emulator(&["--tls"])).await;
    let base = first.trim_end();
    assert!(base.starts_with("https://127.0.0.1:"), "{first:?}");
    let ca = second
        .trim_end()
        .strip_prefix("ca: ")
        .unwrap_or_else(|| panic!("second line {second:?}"));
    let ca = Path::new(ca);
    assert!(ca.is_absolute());
    // The CA works for a client that trusts nothing else.
    let config = trusting(ca);
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
    tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .expect("TLS with only the printed CA");

    // Nothing else on stdout: it ends when the process does.
    let _ = child.0.kill();
    let mut rest = String::new();
    child
        .0
        .stdout
        .take()
        .map(|mut out| out.read_to_string(&mut rest));
    assert_eq!(rest, "");
}

#[tokio::test]
async fn the_environment_turns_tls_on_and_a_flag_beats_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = emulator(&[]);
    command.env("WEBEX_EMULATOR_TLS_DIR", dir.path());
    let (child, first, second) = two_lines(command).await;
    assert!(first.starts_with("https://"), "{first:?}");
    let ca = dir.path().join("ca.pem");
    assert_eq!(second.trim_end(), format!("ca: {}", ca.display()));
    let pem = std::fs::read(&ca).unwrap();
    drop(child);
    // A second start with the flag reuses the CA the first one made.
    let (_child, _, second) =
        two_lines(emulator(&["--tls-dir", dir.path().to_str().unwrap()])).await;
    assert_eq!(second.trim_end(), format!("ca: {}", ca.display()));
    assert_eq!(std::fs::read(&ca).unwrap(), pem, "the same CA");

    let mut command = emulator(&["--log", "debug"]);
    command
        .env("WEBEX_EMULATOR_TLS", "1")
        .env("WEBEX_EMULATOR_LISTEN", "256.0.0.1:1");
    let (_child, first, _) = two_lines(command).await;
    assert!(first.starts_with("https://127.0.0.1:"), "{first:?}");
}

#[tokio::test]
async fn an_unusable_tls_dir_fails_the_start_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let below_a_file = file.join("ca");
    let (ok, stdout, stderr) =
        run_to_end(emulator(&["--tls-dir", below_a_file.to_str().unwrap()])).await;
    assert!(!ok);
    assert_eq!(stdout, "", "nothing on stdout");
    assert!(
        stderr.contains(&format!("cannot use {}", below_a_file.display())),
        "{stderr}"
    );

    // A CA made by a first start, then its certificate spoilt.
    let corrupt = dir.path().join("corrupt");
    start_tls(Some(&corrupt)).await.shutdown().await;
    std::fs::write(corrupt.join("ca.pem"), "garbage").unwrap();
    let (ok, stdout, stderr) =
        run_to_end(emulator(&["--tls", "--tls-dir", corrupt.to_str().unwrap()])).await;
    assert!(!ok);
    assert_eq!(stdout, "");
    assert!(stderr.starts_with("webex-emulator: TLS: "), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{} is not a PEM certificate",
            corrupt.join("ca.pem").display()
        )),
        "{stderr}"
    );

    // The key of another CA next to it: the start-up check catches it.
    let other = dir.path().join("other");
    start_tls(Some(&other)).await.shutdown().await;
    start_tls(Some(&corrupt.join("fresh")))
        .await
        .shutdown()
        .await;
    std::fs::remove_file(corrupt.join("fresh/ca.key")).unwrap();
    std::fs::copy(other.join("ca.key"), corrupt.join("fresh/ca.key")).unwrap();
    let (ok, _, stderr) = run_to_end(emulator(&[
        "--tls-dir",
        corrupt.join("fresh").to_str().unwrap(),
    ]))
    .await;
    assert!(!ok);
    assert!(stderr.contains("are not a pair"), "{stderr}");
}

#[tokio::test]
async fn a_bad_log_filter_is_refused() {
    let (ok, stdout, stderr) = run_to_end(emulator(&["--log", "webex_emulator=loud"])).await;
    assert!(!ok);
    assert_eq!(stdout, "");
    assert!(stderr.contains("invalid --log filter"), "{stderr}");
}
