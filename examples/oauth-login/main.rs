//! OAuth login: an integration signs its user in with the authorization code grant (PKCE,
//! the redirect received on a loopback port), calls `people/me` with the new token and keeps
//! the tokens in a file (mode 0600), so the next run needs no sign-in.
//!
//! ```text
//! cargo run --example oauth-login                  # against an in-process emulator
//! WEBEX_CLIENT_ID=... WEBEX_CLIENT_SECRET=... WEBEX_REDIRECT_URI=http://127.0.0.1:8765/callback \
//!     cargo run --example oauth-login              # as a real Webex integration
//! cargo run --example oauth-login -- --help
//! ```
//!
//! The authorize URL is printed on its own line, `open: <url>`: open it in a browser, sign
//! in and accept. The example then prints `signed in as <name> (<email>)`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use url::Url;
use webex::auth::{DEFAULT_IDBROKER, FileTokenStore, OAuthClient, RedirectListener};
use webex::config::ConfigLoader;
use webex::prelude::*;
use webex_emulator::{Emulator, NewOAuthClient, NewPerson, PersonType};
use webex_examples::oauth_login::{BoxError, Login, Redirect};

/// Signs in as a Webex integration (OAuth code grant with PKCE) and prints who you are.
///
/// The integration comes from the environment: WEBEX_CLIENT_ID, WEBEX_CLIENT_SECRET and
/// WEBEX_REDIRECT_URI (a loopback URI the integration registered, default
/// http://127.0.0.1:8765/callback); WEBEX_IDBROKER_URL names the identity broker (default
/// https://idbroker.webex.com) and the WEBEX_* configuration layer the rest (for an emulator:
/// WEBEX_SERVICES__DISCOVERY__U2C and WEBEX_SERVICES__DISCOVERY__HYDRA; for one serving TLS,
/// WEBEX_CA_FILE=<its CA>, which the sign-in at the broker trusts too).
///
/// Without WEBEX_CLIENT_ID it starts a local emulator, registers an integration there and
/// creates a person to sign in as; that emulator forgets everything when the example ends,
/// so every such run signs in again.
///
/// The authorize URL is printed as `open: <url>`. With a valid token in the token file, no
/// sign-in is needed (no `open:` line). Ctrl-C stops the wait.
#[derive(Debug, Parser)]
#[command(version, about, long_about)]
struct Args {
    /// Where the tokens are kept [default: $XDG_CONFIG_HOME/webex-rs/oauth-login/tokens.json,
    /// or emulator-tokens.json there for the local emulator].
    #[arg(long, value_name = "PATH")]
    token_file: Option<PathBuf>,
    /// The scopes to ask for, separated by spaces.
    #[arg(long, default_value = "spark:all")]
    scopes: String,
    /// Log what the SDK does (info; debug with -vv).
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
}

/// The redirect URI used when WEBEX_REDIRECT_URI is not set.
const DEFAULT_REDIRECT_URI: &str = "http://127.0.0.1:8765/callback";

/// The person the local emulator's sign-in is for.
const DEMO_EMAIL: &str = "olive@example.com";

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    webex_examples::init_logging(args.verbose);
    tokio::select! {
        result = run(args) => match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("oauth-login: {error}");
                ExitCode::FAILURE
            }
        },
        () = ctrl_c() => {
            eprintln!("oauth-login: interrupted");
            ExitCode::from(130)
        }
    }
}

async fn run(args: Args) -> Result<(), BoxError> {
    let scopes: Vec<String> = args.scopes.split_whitespace().map(str::to_owned).collect();
    // Keep a local emulator alive for as long as the run uses it.
    let mut _emulator = None;
    let (client, redirect, builder, default_file): (
        _,
        _,
        Box<dyn Fn() -> Result<WebexBuilder>>,
        _,
    ) = match non_empty("WEBEX_CLIENT_ID") {
        Some(client_id) => {
            let secret = non_empty("WEBEX_CLIENT_SECRET")
                .ok_or("WEBEX_CLIENT_ID is set, so WEBEX_CLIENT_SECRET must be too")?;
            let redirect_uri =
                non_empty("WEBEX_REDIRECT_URI").unwrap_or_else(|| DEFAULT_REDIRECT_URI.to_owned());
            let redirect = Url::parse(&redirect_uri)
                .map_err(|e| format!("WEBEX_REDIRECT_URI {redirect_uri:?}: {e}"))?;
            let idbroker =
                non_empty("WEBEX_IDBROKER_URL").unwrap_or_else(|| DEFAULT_IDBROKER.to_owned());
            // The WEBEX_* layer, read once: the client and the sign-in at the broker trust
            // the same roots (WEBEX_CA_FILE).
            let config = ConfigLoader::new().load()?;
            let client = OAuthClient::new(client_id, secret, redirect_uri)
                .with_idbroker(&idbroker)?
                .with_config(&config)?;
            let builder = move || Ok(Webex::builder().config(config.clone()));
            (
                client,
                Redirect::At(redirect),
                Box::new(builder),
                "tokens.json",
            )
        }
        None => {
            let local = Emulator::start_default().await?;
            let base = local.base_url();
            local.create_person(NewPerson {
                display_name: "Olive Oauth".into(),
                email: DEMO_EMAIL.into(),
                kind: PersonType::Person,
            });
            let listener = RedirectListener::bind(0, "/callback").await?;
            let redirect_uri = listener.redirect_uri().to_string();
            let registered = local.create_oauth_client(NewOAuthClient {
                redirect_uris: vec![redirect_uri.clone()],
                scopes: scopes.clone(),
                ..NewOAuthClient::default()
            })?;
            println!(
                "No WEBEX_CLIENT_ID: a local emulator at {base} with a new integration; \
                     sign in as {DEMO_EMAIL}"
            );
            let client =
                OAuthClient::new(registered.client_id, registered.client_secret, redirect_uri)
                    .with_idbroker(&base)?;
            let builder = move || Ok(Webex::builder().discovery_base(&base));
            _emulator = Some(local);
            (
                client,
                Redirect::Bound(listener),
                Box::new(builder),
                "emulator-tokens.json",
            )
        }
    };
    let token_file = match args.token_file {
        Some(path) => path,
        None => config_dir()?.join(default_file),
    };
    let login = Login {
        client,
        redirect,
        scopes,
        store: FileTokenStore::new(&token_file),
        builder,
    };
    let me = login
        .run(|url| async move {
            println!("Open this address in a browser, sign in and accept:");
            println!("open: {url}");
        })
        .await?;
    println!("signed in as {} ({})", me.display_name, me.email);
    let how = if me.new_sign_in {
        "saved in"
    } else {
        "read from"
    };
    println!("tokens {how} {}", token_file.display());
    Ok(())
}

/// An environment variable that is set and not blank.
fn non_empty(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// `$XDG_CONFIG_HOME/webex-rs/oauth-login`, else `$HOME/.config/webex-rs/oauth-login` (the
/// XDG base directory rule; the workspace has no directories crate, and this is all of it
/// the example needs).
fn config_dir() -> Result<PathBuf, BoxError> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|home| !home.is_empty())
                .map(|home| PathBuf::from(home).join(".config"))
        })
        .ok_or("neither XDG_CONFIG_HOME nor HOME is set: give --token-file")?;
    Ok(base.join("webex-rs").join("oauth-login"))
}

/// Completes on Ctrl-C (never, where the signal cannot be listened to).
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
