//! The Rust client of `cargo xtask bench events`. `WEBEX_BENCH_MODE` picks what it measures:
//!
//! - `listen` ([`listen`]): one client, `webex.messages().listen()`, counts
//!   `WEBEX_BENCH_EVENTS` created-message events (each converted and its message fetched from
//!   Hydra, as the JS SDK's `messages.listen()` does) and reports its CPU and wall time; then,
//!   with `WEBEX_BENCH_RECONNECT=1`, waits for its socket to drop and reports how long the
//!   client took to be ready again.
//! - `scale` ([`scale`]): one process, one client per token in the file
//!   `WEBEX_BENCH_TOKENS_FILE`, each with its own device and socket, all listening; reports the
//!   process's RSS before and after and its CPU over `WEBEX_BENCH_IDLE_SECS` of idling.
//!
//! Both take `WEBEX_BENCH_BASE_URL` and print JSON lines on stdout (progress lines, then the
//! result); the harness reads them. Every client has the plugins `listen()` needs and no
//! other: devices, mercury and a listening messages plugin.
//!
//! ```text
//! WEBEX_BENCH_MODE=listen WEBEX_BENCH_BASE_URL=http://127.0.0.1:8642 WEBEX_BENCH_TOKEN=... \
//!     WEBEX_BENCH_EVENTS=1000 cargo run --release --example bench-events
//! ```

#[path = "../bench/common.rs"]
mod common;
mod listen;
mod scale;

use webex::devices::DevicesPlugin;
use webex::mercury::MercuryPlugin;
use webex::messages::MessagesPlugin;
use webex::prelude::*;

use common::{BoxError, var};

/// A client of `token` with the plugins `listen()` needs.
async fn client(base: &str, token: &str) -> Result<Webex, BoxError> {
    Ok(Webex::builder()
        .plugin(DevicesPlugin::default())
        .plugin(MercuryPlugin::default())
        .plugin(MessagesPlugin::listening())
        .access_token(token)
        .discovery_base(base)
        .build()
        .await?)
}

/// One JSON line on stdout, flushed at once (the harness waits for some).
fn say(line: &serde_json::Value) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let base = var("WEBEX_BENCH_BASE_URL")?;
    match var("WEBEX_BENCH_MODE")?.as_str() {
        "listen" => listen::run(&base).await,
        "scale" => scale::run(&base).await,
        other => Err(format!("WEBEX_BENCH_MODE={other}: expected listen or scale").into()),
    }
}
