//! The `webex-emulator` binary: a local Webex cloud on a TCP port.
//!
//! It prints its base URL as the first line on stdout (and, with `--tls`,
//! `ca: <path>` as the second), so scripts and tests in other languages can
//! start it with `--listen 127.0.0.1:0` and read where it ended up, then
//! serves until Ctrl-C or SIGTERM. Nothing else goes to stdout: logs go to
//! stderr.

use std::io::{self, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use clap::builder::BoolishValueParser;
use tracing_subscriber::EnvFilter;
use webex_emulator::{
    Emulator, EmulatorConfig, Fixtures, FixturesError, PublicUrlError, TlsConfig, TlsError,
};

/// A local Webex cloud for tests, examples and offline development.
///
/// Every flag has an environment variable; a flag given on the command line
/// wins over its variable.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on; port 0 picks a free port. The base URL is
    /// printed as the first line on stdout.
    #[arg(
        long,
        env = "WEBEX_EMULATOR_LISTEN",
        value_name = "ADDR",
        default_value = "127.0.0.1:8642"
    )]
    listen: SocketAddr,

    /// A fixtures file to load at start: people (with fixed tokens), rooms,
    /// memberships, teams and messages; JSON, or TOML when FILE ends in
    /// `.toml` (see docs/emulator-fixtures.md).
    #[arg(long, env = "WEBEX_EMULATOR_FIXTURES", value_name = "FILE")]
    fixtures: Option<PathBuf>,

    /// Serve https and wss (every URL the emulator hands out follows) with a
    /// certificate signed by a local CA, made at start unless --tls-dir has
    /// one. The CA certificate's path is printed as the second line on
    /// stdout, `ca: <path>`: hand it to clients (NODE_EXTRA_CA_CERTS,
    /// REQUESTS_CA_BUNDLE, SSL_CERT_FILE, WEBEX_CA_FILE). The variable takes
    /// `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`.
    #[arg(long, env = "WEBEX_EMULATOR_TLS", value_parser = BoolishValueParser::new())]
    tls: bool,

    /// Keep the CA in DIR (implies --tls): DIR/ca.pem and DIR/ca.key are
    /// used when both exist, else a new CA is made and written there (the
    /// key readable by its owner only), so clients trust it once. Without
    /// it, a new CA is written to a temporary directory removed at exit.
    #[arg(long, env = "WEBEX_EMULATOR_TLS_DIR", value_name = "DIR")]
    tls_dir: Option<PathBuf>,

    /// The base URL to advertise instead of the address listened on, e.g.
    /// `http://emulator:8642` for a container other containers reach by
    /// its service name, or a proxy's URL: printed as the first line, and
    /// every URL the emulator hands out (catalog links, websocket URLs,
    /// paging links, file URLs) is built on it. Only a scheme, a host and
    /// a port; https exactly when TLS is on, and then its host is one of
    /// the certificate's names.
    #[arg(long, env = "WEBEX_EMULATOR_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,

    /// Which logs go to stderr: a tracing filter such as `info`, `debug` or
    /// `webex_emulator=debug,warn`. Logs never carry a token.
    #[arg(
        long,
        env = "WEBEX_EMULATOR_LOG",
        value_name = "FILTER",
        default_value = "warn"
    )]
    log: String,
}

impl Args {
    /// How to start the emulator.
    fn config(&self, fixtures: Option<Fixtures>) -> EmulatorConfig {
        let tls = (self.tls || self.tls_dir.is_some()).then(|| TlsConfig {
            dir: self.tls_dir.clone(),
        });
        EmulatorConfig {
            listen: self.listen,
            tls,
            fixtures,
            public_url: self.public_url.clone(),
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(error) = init_logging(&args.log) {
        eprintln!(
            "webex-emulator: invalid --log filter {:?}: {error}",
            args.log
        );
        return ExitCode::FAILURE;
    }
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
    let emulator = match Emulator::start(args.config(fixtures)).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("webex-emulator: {}", start_error(&error, args.listen));
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(base_url = %emulator.base_url(), "webex-emulator is serving");

    if let Err(error) = announce(&emulator) {
        eprintln!("webex-emulator: cannot write to stdout: {error}");
        emulator.shutdown().await;
        return ExitCode::FAILURE;
    }

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

/// What to say when the emulator cannot start: the fixtures', the TLS or
/// the public URL's error as it is (each names its file or URL), else why
/// the address cannot be listened on.
fn start_error(error: &io::Error, listen: SocketAddr) -> String {
    let inner = error.get_ref();
    if let Some(fixtures) = inner.and_then(|inner| inner.downcast_ref::<FixturesError>()) {
        return fixtures.to_string();
    }
    if let Some(tls) = inner.and_then(|inner| inner.downcast_ref::<TlsError>()) {
        return format!("TLS: {tls}");
    }
    if let Some(public_url) = inner.and_then(|inner| inner.downcast_ref::<PublicUrlError>()) {
        return format!("--public-url: {public_url}");
    }
    format!("cannot listen on {listen}: {error}")
}

/// Logs matching `filter` to stderr, coloured when stderr is a terminal.
fn init_logging(filter: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let filter = EnvFilter::try_new(filter)?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .try_init()
}

/// Prints where the emulator is: the base URL, then (with TLS) the CA's
/// path. `println!` would panic if stdout is closed; a reader that went away
/// is a reason to stop, not to crash.
fn announce(emulator: &Emulator) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{}", emulator.base_url())?;
    if let Some(ca) = emulator.ca_path() {
        writeln!(stdout, "ca: {}", ca.display())?;
    }
    stdout.flush()
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
