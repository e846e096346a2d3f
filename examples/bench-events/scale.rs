//! `WEBEX_BENCH_MODE=scale`: many connected clients in one process, each its own person,
//! device and socket.
//!
//! One client per line of `WEBEX_BENCH_TOKENS_FILE`, `WEBEX_BENCH_CONNECT_CONCURRENCY` (32)
//! connecting at a time, each calling `messages().listen()` (so each registers a device and
//! opens its socket) and keeping its stream. Prints one line:
//! `{"clients", "rss_base_kib", "rss_connected_kib", "rss_idle_kib", "connect_ms",
//! "idle_secs", "idle_cpu_ms", "still_connected"}`: the RSS before the first client, once all
//! are connected, and after `WEBEX_BENCH_IDLE_SECS` (30) of idling (pings included), and the
//! CPU (user + system) of that idle window.

use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use webex::mercury::ConnectionState;
use webex::messages::MessagesExt;
use webex::prelude::*;

use crate::common::{BoxError, cpu_time, number, var};
use crate::{client, say};

/// Runs the scale mode; see the module docs.
pub(crate) async fn run(base: &str) -> Result<(), BoxError> {
    let file = var("WEBEX_BENCH_TOKENS_FILE")?;
    let tokens: Vec<String> = std::fs::read_to_string(&file)
        .map_err(|error| format!("{file}: {error}"))?
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    let concurrency = number("WEBEX_BENCH_CONNECT_CONCURRENCY", 32)?;
    let idle = Duration::from_secs(u64::try_from(number("WEBEX_BENCH_IDLE_SECS", 30)?)?);

    let rss_base = rss_kib()?;
    let connect_start = Instant::now();
    let clients: Vec<_> = futures::stream::iter(tokens.iter())
        .map(|token| async move {
            let webex = client(base, token).await?;
            let events = webex.messages().listen().await?;
            Ok::<_, BoxError>((webex, events))
        })
        .buffer_unordered(concurrency.max(1))
        .try_collect()
        .await?;
    let connect = connect_start.elapsed();
    let rss_connected = rss_kib()?;

    let cpu_start = cpu_time()?;
    tokio::time::sleep(idle).await;
    let idle_cpu = cpu_time()? - cpu_start;
    let rss_idle = rss_kib()?;

    let mut still_connected = 0;
    for (webex, _) in &clients {
        if *webex.mercury().state()?.borrow() == ConnectionState::Connected {
            still_connected += 1;
        }
    }
    say(&serde_json::json!({
        "client": "webex-rs",
        "clients": clients.len(),
        "rss_base_kib": rss_base,
        "rss_connected_kib": rss_connected,
        "rss_idle_kib": rss_idle,
        "connect_ms": connect.as_secs_f64() * 1e3,
        "idle_secs": idle.as_secs_f64(),
        "idle_cpu_ms": idle_cpu.as_secs_f64() * 1e3,
        "still_connected": still_connected,
    }));
    if still_connected != clients.len() {
        return Err(format!(
            "{} of {} clients were no longer connected after idling",
            clients.len() - still_connected,
            clients.len()
        )
        .into());
    }
    Ok(())
}

/// This process's resident set size in KiB, from `/proc/self/status` (Linux).
fn rss_kib() -> Result<u64, BoxError> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmRSS in /proc/self/status".into())
}
