//! The media benchmark `cargo xtask bench media` runs (release build): our clients against
//! the emulator's media server, in one process but on separate runtimes, so each side's CPU
//! is read from its own threads (`/proc/self/task`, Linux).
//!
//! 1. **join → first audio**: a participant joins a new meeting over Locus, creates a
//!    `MediaConnection` playing a tone, offers, applies the answer; the time until its first
//!    audio packet comes back (the media server echoes a lone participant). Median of
//!    [`JOIN_RUNS`].
//! 2. **two-way clients on one core**: `n` clients in meetings of two, each sending a tone and
//!    decoding what it hears, all on one client thread; over [`WINDOW`], the CPU of that
//!    thread per client, and the loss (RTP sequence gaps, remote-audio lag, frames the server
//!    dropped). `n` grows through [`SIZES`] until loss shows or the thread is saturated.
//!
//! Prints a Markdown report on stdout. `WEBEX_BENCH_MEDIA_SIZES` (comma-separated) overrides
//! the sizes.

#[path = "../tests/common/mod.rs"]
mod common;

use std::fmt::Write as _;
use std::fs;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use futures::StreamExt;
use tokio::runtime::{Builder, Runtime};
use webex_emulator::Emulator;
use webex_media::audio::ToneSource;
use webex_media::{Backend, MediaConnection, MediaEvent, MediaKind, StreamDirection};

use common::{Participant, config, meeting, next_event, offer_and_answer};

/// Runs of the join → first audio measurement.
const JOIN_RUNS: usize = 7;
/// Client counts tried, in order.
const SIZES: &[usize] = &[10, 50, 100, 150, 200, 300];
/// Warm-up before a measurement window.
const WARM_UP: Duration = Duration::from_secs(2);
/// The measurement window.
const WINDOW: Duration = Duration::from_secs(5);
/// The client thread's name (also the prefix `/proc` shows).
const CLIENT_THREAD: &str = "bench-client";
/// The emulator's threads' name.
const EMULATOR_THREAD: &str = "bench-emulator";

fn main() -> ExitCode {
    let emulator_runtime = runtime(EMULATOR_THREAD);
    let clients = runtime(CLIENT_THREAD);
    let emulator = match emulator_runtime.block_on(Emulator::start_default()) {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("bench media: the emulator did not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let sizes = std::env::var("WEBEX_BENCH_MEDIA_SIZES")
        .ok()
        .map(|text| {
            text.split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        })
        .unwrap_or_else(|| SIZES.to_vec());
    let joins: Vec<Duration> = (0..JOIN_RUNS)
        .map(|run| clients.block_on(join_to_first_audio(&emulator, run)))
        .collect();
    let mut scales = Vec::new();
    for n in sizes {
        let scale = clients.block_on(two_way(&emulator, n));
        let stop = scale.lost > 0 || scale.client_cpu_share > 0.95;
        scales.push(scale);
        if stop {
            break;
        }
    }
    let (report, passed) = report(&joins, &scales);
    println!("{report}");
    drop(clients);
    drop(emulator);
    drop(emulator_runtime);
    if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// First audio within this, median.
const FIRST_AUDIO_TARGET: Duration = Duration::from_millis(300);
/// Two-way clients one core must sustain without loss.
const CLIENTS_TARGET: usize = 100;

/// A runtime whose one worker thread is named `name`.
fn runtime(name: &str) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

/// One join → first audio packet, timed.
async fn join_to_first_audio(emulator: &Emulator, run: usize) -> Duration {
    let link = meeting(emulator);
    let started = Instant::now();
    let participant = Participant::join(emulator, &format!("Solo{run}"), &link).await;
    let connection = MediaConnection::new(config(Backend::default()))
        .await
        .expect("connection");
    let mut events = connection.events();
    connection
        .set_audio_source(Some(Box::new(ToneSource::new(1000.0, 0.5))))
        .await;
    let answer = offer_and_answer(&connection, &mut events, &participant).await;
    connection
        .roap_message_received(answer)
        .await
        .expect("answer applied");
    next_event(&mut events, |e| {
        (e == MediaEvent::FirstAudioReceived).then_some(())
    })
    .await;
    let elapsed = started.elapsed();
    connection.close().await;
    participant.leave().await;
    elapsed
}

/// One size of the two-way measurement.
struct Scale {
    clients: usize,
    /// Client-thread CPU per client, as a share of one core.
    cpu_per_client: f64,
    /// The client thread's CPU over the window, as a share of one core.
    client_cpu_share: f64,
    /// The emulator's CPU over the window, as a share of one core.
    emulator_cpu_share: f64,
    /// Audio packets received per client per second between the two samples (50 when
    /// every 20 ms packet arrives).
    received_per_client_per_s: f64,
    /// Losses of each kind over the window.
    losses: Totals,
    /// All of them.
    lost: u64,
}

/// `n` two-way clients in meetings of two.
async fn two_way(emulator: &Emulator, n: usize) -> Scale {
    let mut connections = Vec::new();
    let mut participants = Vec::new();
    let mut lag_counters = Vec::new();
    let mut link = String::new();
    for i in 0..n {
        if i % 2 == 0 {
            link = meeting(emulator);
        }
        let participant = Participant::join(emulator, &format!("P{n}x{i}"), &link).await;
        let (connection, _events) = common::connect(&participant, config(Backend::default())).await;
        connection
            .set_audio_source(Some(Box::new(ToneSource::new(1000.0, 0.5))))
            .await;
        let lagged = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = std::sync::Arc::clone(&lagged);
        let mut heard = connection.remote_audio();
        tokio::spawn(async move {
            while let Some(frame) = heard.next().await {
                if let Err(lag) = frame {
                    counter.fetch_add(lag.frames, std::sync::atomic::Ordering::Relaxed);
                }
            }
        });
        lag_counters.push(lagged);
        connections.push(connection);
        participants.push(participant);
    }
    tokio::time::sleep(WARM_UP).await;
    let sampled = Instant::now();
    let before = totals(&connections, emulator, &lag_counters).await;
    let cpu_before = (thread_cpu(CLIENT_THREAD), thread_cpu(EMULATOR_THREAD));
    let window_start = Instant::now();
    tokio::time::sleep(WINDOW).await;
    let window = window_start.elapsed();
    let cpu_after = (thread_cpu(CLIENT_THREAD), thread_cpu(EMULATOR_THREAD));
    let after = totals(&connections, emulator, &lag_counters).await;
    let sample_span = sampled.elapsed();
    for connection in &connections {
        connection.close().await;
    }
    for participant in &participants {
        participant.leave().await;
    }
    let client_cpu = cpu_after.0.saturating_sub(cpu_before.0);
    let emulator_cpu = cpu_after.1.saturating_sub(cpu_before.1);
    let share = |cpu: Duration| cpu.as_secs_f64() / window.as_secs_f64();
    Scale {
        clients: n,
        cpu_per_client: share(client_cpu) / n as f64,
        client_cpu_share: share(client_cpu),
        emulator_cpu_share: share(emulator_cpu),
        received_per_client_per_s: after.since(before).received as f64
            / n as f64
            / sample_span.as_secs_f64(),
        losses: after.since(before),
        lost: {
            let l = after.since(before);
            l.gaps + l.lagged + l.dropped
        },
    }
}

/// Counts so far, all clients.
#[derive(Clone, Copy, Default)]
struct Totals {
    /// Audio packets received.
    received: u64,
    /// Packets missing from the received RTP sequences.
    gaps: u64,
    /// Decoded frames the remote-audio consumers were too slow for.
    lagged: u64,
    /// Frames the media server dropped (a receiver's queue full).
    dropped: u64,
}

impl Totals {
    fn since(self, before: Totals) -> Totals {
        Totals {
            received: self.received.saturating_sub(before.received),
            gaps: self.gaps.saturating_sub(before.gaps),
            lagged: self.lagged.saturating_sub(before.lagged),
            dropped: self.dropped.saturating_sub(before.dropped),
        }
    }
}

/// The counts of every kind so far.
async fn totals(
    connections: &[MediaConnection],
    emulator: &Emulator,
    lags: &[std::sync::Arc<std::sync::atomic::AtomicU64>],
) -> Totals {
    let mut totals = Totals::default();
    for connection in connections {
        if let Ok(stats) = connection.stats().await
            && let Some(stream) = stats.stream(MediaKind::Audio, StreamDirection::Receive)
        {
            totals.received += stream.packets;
            totals.gaps += stream.packets_lost;
        }
    }
    totals.lagged = lags
        .iter()
        .map(|l| l.load(std::sync::atomic::Ordering::Relaxed))
        .sum();
    totals.dropped = emulator
        .media_sessions()
        .iter()
        .map(|s| s.frames_dropped)
        .sum();
    totals
}

/// The CPU time (user + system) so far of this process's threads named `name`.
fn thread_cpu(name: &str) -> Duration {
    let Ok(tasks) = fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let mut ticks = 0u64;
    for task in tasks.flatten() {
        let path = task.path();
        let comm = fs::read_to_string(path.join("comm")).unwrap_or_default();
        if !comm.trim().starts_with(&name[..name.len().min(15)]) {
            continue;
        }
        let stat = fs::read_to_string(path.join("stat")).unwrap_or_default();
        // After the command name, utime and stime are the 12th and 13th fields.
        let fields: Vec<&str> = stat
            .rfind(')')
            .map(|end| stat[end + 1..].split_whitespace().collect())
            .unwrap_or_default();
        let field = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        ticks += field(11) + field(12);
    }
    // USER_HZ is 100 on every Linux this runs on.
    Duration::from_millis(ticks * 10)
}

/// The Markdown report, and whether both targets were met.
fn report(joins: &[Duration], scales: &[Scale]) -> (String, bool) {
    let mut sorted = joins.to_vec();
    sorted.sort();
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(out, "# cargo xtask bench media\n");
    let _ = writeln!(
        out,
        "Backend: {:?}. Emulator and clients in one release process, each on its own \
         one-thread runtime (CPU read per thread).\n",
        Backend::default()
    );
    let _ = writeln!(
        out,
        "- join → first audio packet received (Locus join, connection, offer/answer, ICE, \
         DTLS, first echoed packet): median {} ms of {} (min {} ms, max {} ms); target ≤ {} ms",
        median.as_millis(),
        joins.len(),
        sorted.first().map_or(0, Duration::as_millis),
        sorted.last().map_or(0, Duration::as_millis),
        FIRST_AUDIO_TARGET.as_millis(),
    );
    let _ = writeln!(
        out,
        "\n| two-way clients | client CPU per client (% of a core) | client thread (% of a core) | media server (% of a core) | packets received per client per s | lost in {} s: RTP gaps / decoded frames lagged / dropped by the server |",
        WINDOW.as_secs()
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
    for s in scales {
        let _ = writeln!(
            out,
            "| {} | {:.2} | {:.0} | {:.0} | {:.1} | {} / {} / {} |",
            s.clients,
            s.cpu_per_client * 100.0,
            s.client_cpu_share * 100.0,
            s.emulator_cpu_share * 100.0,
            s.received_per_client_per_s,
            s.losses.gaps,
            s.losses.lagged,
            s.losses.dropped,
        );
    }
    // Sustained means nothing lost *and* every packet arriving: a starved client thread
    // loses nothing but receives fewer than one packet per 20 ms frame.
    let full_rate = 0.95 / webex_media::audio::FRAME_DURATION.as_secs_f64();
    let sustained = |s: &&Scale| s.lost == 0 && s.received_per_client_per_s >= full_rate;
    let best = scales
        .iter()
        .filter(|s| sustained(s) && s.client_cpu_share <= 0.95)
        .map(|s| s.clients)
        .max()
        .unwrap_or(0);
    let projected = scales
        .iter()
        .filter(sustained)
        .map(|s| s.cpu_per_client)
        .fold(f64::NAN, f64::min);
    let _ = writeln!(
        out,
        "\nmost two-way clients on one client thread without loss, at ≥ 95% of the packet rate: {best} (target ≥ {CLIENTS_TARGET}); \
         at the lowest CPU per client measured, one core would hold about {:.0}",
        1.0 / projected
    );
    let passed = median <= FIRST_AUDIO_TARGET && best >= CLIENTS_TARGET;
    let _ = writeln!(out, "\ntargets: {}", if passed { "met" } else { "MISSED" });
    (out, passed)
}
