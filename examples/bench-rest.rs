//! The Rust client of `cargo xtask bench rest`: posts messages into one room, a fixed number
//! at a time, then lists them all page by page, and prints one JSON line with the CPU and wall
//! time of that workload (process start and client set-up excluded).
//!
//! ```text
//! WEBEX_BENCH_BASE_URL=http://127.0.0.1:8642 WEBEX_BENCH_TOKEN=... WEBEX_BENCH_ROOM_ID=... \
//!     cargo run --release --example bench-rest
//! ```
//!
//! Optional: `WEBEX_BENCH_MESSAGES` (500), `WEBEX_BENCH_CONCURRENCY` (16), `WEBEX_BENCH_PAGE`
//! (50). The line is `{"client","requests","cpu_ms","wall_ms","posted","listed","pages"}`;
//! the process fails unless every message was posted and listed.

use std::collections::HashSet;
use std::time::Instant;

use futures::{StreamExt, TryStreamExt};
use webex::messages::id::RoomId;
use webex::messages::{MessagesExt, MessagesPlugin};
use webex::prelude::*;

#[path = "bench/common.rs"]
mod common;

use common::{BoxError, cpu_time, number, var};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let base = var("WEBEX_BENCH_BASE_URL")?;
    let token = var("WEBEX_BENCH_TOKEN")?;
    let room = RoomId::new(var("WEBEX_BENCH_ROOM_ID")?);
    let total = number("WEBEX_BENCH_MESSAGES", 500)?;
    let concurrency = number("WEBEX_BENCH_CONCURRENCY", 16)?;
    let page_size = u32::try_from(number("WEBEX_BENCH_PAGE", 50)?)?;

    // Only the messages plugin: the workload is Hydra REST, no device or websocket.
    let webex = Webex::builder()
        .plugin(MessagesPlugin::default())
        .access_token(&token)
        .discovery_base(base)
        .build()
        .await?;
    // One request before the clock starts, as every client of the bench does: the catalog is
    // loaded and a connection is open.
    let _: serde_json::Value = webex
        .http()
        .json(Request::get(Target::service("hydra", "people/me")))
        .await?;

    let cpu_start = cpu_time()?;
    let wall_start = Instant::now();

    let messages = webex.messages();
    let posted: Vec<String> = futures::stream::iter(0..total)
        .map(|i| {
            messages
                .create()
                .room_id(&room)
                .text(format!("bench message {i}"))
                .into_future()
        })
        .buffer_unordered(concurrency)
        .map_ok(|message| message.id.into_string())
        .try_collect()
        .await?;

    let mut page = messages.list(&room).max(page_size).await?;
    let mut pages = 1;
    let mut listed: Vec<String> = Vec::with_capacity(posted.len());
    loop {
        listed.extend(page.items().iter().map(|m| m.id.as_str().to_owned()));
        match page.next().await? {
            Some(next) => {
                pages += 1;
                page = next;
            }
            None => break,
        }
    }

    let wall = wall_start.elapsed();
    let cpu = cpu_time()? - cpu_start;

    let listed_ids: HashSet<&str> = listed.iter().map(String::as_str).collect();
    let unique_posted: HashSet<&str> = posted.iter().map(String::as_str).collect();
    let missing = unique_posted.difference(&listed_ids).count();
    let requests = posted.len() + pages;
    println!(
        "{}",
        serde_json::json!({
            "client": "webex-rs",
            "requests": requests,
            "cpu_ms": cpu.as_secs_f64() * 1e3,
            "wall_ms": wall.as_secs_f64() * 1e3,
            "posted": unique_posted.len(),
            "listed": listed.len(),
            "pages": pages,
        })
    );
    webex.shutdown().await?;
    if unique_posted.len() != total {
        return Err(format!(
            "posted {} distinct messages, not {total}",
            unique_posted.len()
        )
        .into());
    }
    if missing > 0 {
        return Err(format!("{missing} posted messages were not listed").into());
    }
    Ok(())
}
