//! `WEBEX_BENCH_MODE=listen`: events per second and CPU per event of `messages().listen()`,
//! then reconnect-to-ready after a drop.
//!
//! Lines: `{"ready": true}` once listening; `{"client", "events", "lost", "cpu_ms", "wall_ms"}`
//! after `WEBEX_BENCH_EVENTS` distinct created-message events, or once no event came for
//! [`QUIET`] after the first (`lost` says how many never came). CPU: user + system of the
//! process from ready to the end; wall: first event to last. With
//! `WEBEX_BENCH_RECONNECT=1`, `{"awaiting_drop": true}` (once the socket has been up for longer
//! than the reconnect policy's healthy window) and then `{"reconnected_at_ms"}`: the
//! wall-clock time (ms since the Unix epoch) at which the client, having seen its socket go,
//! was ready again (`Connected`); the harness knows when it dropped the socket.

use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::StreamExt;
use webex::mercury::{ConnectionState, MercuryConfig};
use webex::messages::MessagesExt;
use webex::messages::listen::{EventType, MessageEventData};
use webex::prelude::*;

use crate::common::{BoxError, cpu_time, number, var};
use crate::{client, say};

/// How long the client waits for the first event, and for the drop and the reconnect.
const PATIENCE: Duration = Duration::from_secs(120);
/// After the first event: how long without one before the rest count as lost.
const QUIET: Duration = Duration::from_secs(10);

/// Runs the listen mode; see the module docs.
pub(crate) async fn run(base: &str) -> Result<(), BoxError> {
    let token = var("WEBEX_BENCH_TOKEN")?;
    let total = number("WEBEX_BENCH_EVENTS", 100_000)?;
    let reconnect = number("WEBEX_BENCH_RECONNECT", 0)? == 1;
    let webex = client(base, &token).await?;
    let mut events = webex.messages().listen().await?;
    let connected = Instant::now();

    let cpu_start = cpu_time()?;
    say(&serde_json::json!({"ready": true}));
    let mut first: Option<Instant> = None;
    let mut last = None;
    let mut seen = HashSet::with_capacity(total);
    while seen.len() < total {
        let wait = if first.is_some() { QUIET } else { PATIENCE };
        let event = match tokio::time::timeout(wait, events.next()).await {
            Ok(Some(Ok(event))) => event,
            Ok(Some(Err(error))) => {
                // Reported, not counted: an event lost this way shows up as lost.
                eprintln!("bench-events: listen() error item: {error}");
                continue;
            }
            Ok(None) => return Err(format!("the stream ended after {} events", seen.len()).into()),
            Err(_) if first.is_some() => break,
            Err(_) => return Err(format!("no event within {PATIENCE:?}").into()),
        };
        let now = Instant::now();
        first.get_or_insert(now);
        last = Some(now);
        if let (EventType::Created, MessageEventData::Created(message)) = (event.event, event.data)
        {
            seen.insert(message.id.into_string());
        }
    }
    let wall = first
        .zip(last)
        .map(|(first, last)| last - first)
        .unwrap_or_default();
    let cpu = cpu_time()? - cpu_start;
    say(&serde_json::json!({
        "client": "webex-rs",
        "events": seen.len(),
        "lost": total - seen.len(),
        "cpu_ms": cpu.as_secs_f64() * 1e3,
        "wall_ms": wall.as_secs_f64() * 1e3,
    }));

    if reconnect {
        // A socket that drops within the policy's healthy window of being ready counts as one
        // more failed attempt and waits a backoff step (`docs/protocol/mercury.md`): the
        // reconnect measured is that of a socket that has been up a while, as in real use.
        let healthy = MercuryConfig::default().healthy_after + Duration::from_secs(1);
        if let Some(rest) = healthy.checked_sub(connected.elapsed()) {
            tokio::time::sleep(rest).await;
        }
        let mut state = webex.mercury().state()?;
        say(&serde_json::json!({"awaiting_drop": true}));
        tokio::time::timeout(
            PATIENCE,
            state.wait_for(|state| *state != ConnectionState::Connected),
        )
        .await
        .map_err(|_| "the socket was not dropped")??;
        tokio::time::timeout(
            PATIENCE,
            state.wait_for(|state| *state == ConnectionState::Connected),
        )
        .await
        .map_err(|_| "no reconnect")??;
        let ready_at = SystemTime::now().duration_since(UNIX_EPOCH)?;
        say(&serde_json::json!({"reconnected_at_ms": ready_at.as_secs_f64() * 1e3}));
    }
    webex.shutdown().await?;
    Ok(())
}
