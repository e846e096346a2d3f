//! The `webex-emulator` binary: a local Webex cloud on a TCP port.
//!
//! It prints its base URL as the first line on stdout, so scripts and tests
//! in other languages can start it with `--listen 127.0.0.1:0` and read where
//! it ended up, then serves until Ctrl-C or SIGTERM.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use webex_emulator::{Emulator, EmulatorConfig, Fixtures, FixturesError};

/// A local Webex cloud for tests, examples and offline development.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8642")]
    listen: SocketAddr,

    /// A fixtures file to load at start: people (with fixed tokens), rooms,
    /// memberships, teams and messages; JSON, or TOML when FILE ends in
    /// `.toml` (see docs/emulator-fixtures.md).
    #[arg(long, env = "WEBEX_EMULATOR_FIXTURES", value_name = "FILE")]
    fixtures: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let fixtures = match args
        .fixtures
        .as_deref()
        .map(Fixtures::from_path)
        .transpose()
    {
        Ok(fixtures) => fixtures,
        Err(error) => {
            eprintln!("webex-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Fields the binary has no flag for keep their defaults.
    #[allow(clippy::needless_update)]
    let config = EmulatorConfig {
        listen: args.listen,
        fixtures,
        ..EmulatorConfig::default()
    };
    let emulator = match Emulator::start(config).await {
        Ok(emulator) => emulator,
        Err(error) => {
            match error
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<FixturesError>())
            {
                Some(fixtures_error) => eprintln!("webex-emulator: {fixtures_error}"),
                None => eprintln!("webex-emulator: cannot listen on {}: {error}", args.listen),
            }
            return ExitCode::FAILURE;
        }
    };

    // `println!` would panic if stdout is closed; a reader that went away is
    // a reason to stop, not to crash.
    let mut stdout = io::stdout().lock();
    if let Err(error) = writeln!(stdout, "{}", emulator.base_url()).and_then(|()| stdout.flush()) {
        eprintln!("webex-emulator: cannot write to stdout: {error}");
        emulator.shutdown().await;
        return ExitCode::FAILURE;
    }
    drop(stdout);

    let result = wait_for_stop_signal().await;
    emulator.shutdown().await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("webex-emulator: cannot listen for signals: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one (what `kill` and
/// process supervisors send).
async fn wait_for_stop_signal() -> io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
