//! The Markdown report of `cargo xtask bench events`, and its verdicts.

use std::fmt::Write as _;
use std::path::Path;

use super::{CPU_TARGET, Client, FETCH_CONNECTIONS, RSS_TARGET, SETTLE_SECS, Sizes};
use crate::bench::js_sdk_version;

/// One client's throughput run, as it reported it.
#[derive(Debug, Clone)]
pub(super) struct Throughput {
    /// Who ran.
    pub(super) client: Client,
    /// Distinct created-message events seen.
    pub(super) events: f64,
    /// Events that never arrived (the client stopped waiting after a quiet spell).
    pub(super) lost: f64,
    /// CPU (user + system) of the client process, ready to last event.
    pub(super) cpu_ms: f64,
    /// Wall time, first event to last.
    pub(super) wall_ms: f64,
    /// Drop seen to ready again, when measured.
    pub(super) reconnect_ms: Option<f64>,
    /// The emulator's CPU meanwhile (burst to last event; `/proc` ticks).
    pub(super) emulator_cpu_ms: Option<f64>,
}

impl Throughput {
    /// CPU microseconds per event.
    fn cpu_us_per_event(&self) -> f64 {
        self.cpu_ms * 1e3 / self.events.max(1.0)
    }

    /// Events per second of wall time.
    fn per_second(&self) -> f64 {
        self.events * 1e3 / self.wall_ms.max(1e-3)
    }
}

/// Our scale process, as it reported itself.
#[derive(Debug, Clone)]
pub(super) struct Scale {
    /// Connected clients.
    pub(super) clients: f64,
    /// RSS before the first client.
    pub(super) rss_base_kib: f64,
    /// RSS once every client was connected.
    pub(super) rss_connected_kib: f64,
    /// RSS after the idle window.
    pub(super) rss_idle_kib: f64,
    /// Time to connect them all.
    pub(super) connect_ms: f64,
    /// The idle window.
    pub(super) idle_secs: f64,
    /// CPU (user + system) over the idle window.
    pub(super) idle_cpu_ms: f64,
}

impl Scale {
    /// KiB of RSS per connected client (after idling, the larger of the two
    /// once the first pings went out).
    fn kib_per_client(&self) -> f64 {
        (self.rss_connected_kib.max(self.rss_idle_kib) - self.rss_base_kib) / self.clients.max(1.0)
    }
}

/// The Node processes' RSS.
#[derive(Debug, Clone)]
pub(super) struct JsRss {
    /// Bare Node.
    pub(super) bare_kib: f64,
    /// Node with one listening JS SDK client.
    pub(super) connected_kib: f64,
}

/// `PASS` or `FAIL`.
fn verdict(passed: bool) -> &'static str {
    if passed { "**PASS**" } else { "**FAIL**" }
}

/// A duration in milliseconds, or `not measured`.
fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| "not measured".to_owned(), |ms| format!("{ms:.1} ms"))
}

/// The report, and whether every target was met.
pub(super) fn render(
    root: &Path,
    sizes: Sizes,
    runs: &[Throughput],
    scale: Option<&Scale>,
    js_rss: Option<&JsRss>,
    failures: &[String],
) -> (String, bool) {
    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let _ = writeln!(out, "# cargo xtask bench events\n");
    let _ = writeln!(
        out,
        "One release-built emulator on 127.0.0.1, {cores} CPU cores. Clients: webex-rs \
         (`examples/bench-events`, release) and npm `webex` {} under Node \
         (`interop/bench/events.js`, the SDK as the interop suite loads it).\n",
        js_sdk_version(root)
    );

    let _ = writeln!(
        out,
        "## Throughput: {} activities through one connection\n",
        sizes.events
    );
    let _ = writeln!(
        out,
        "Each client listens with `messages.listen()` (ours: `webex.messages().listen()`) as a \
         fresh receiver; the emulator posts {} messages from another member of the room \
         (`POST /_emulator/mercury/burst`) and pushes each as a `conversation.activity` `post` at \
         the socket's pace. Both SDKs read and ack each frame, parse it, convert it and get the \
         message from Hydra, giving the same `created` events: the JS SDK with one \
         `GET /v1/messages/{{id}}` per activity, ours with one listing \
         (`GET /v1/messages?roomId=..`) for the posts of a room that arrive together, and a \
         `GET` for a lone post or one the listing misses. CPU = user + system of \
         the client process from ready to the end; wall = first event to last. The JS SDK starts a \
         fetch for every activity at once; its HTTP agent is capped at {} connections (our \
         `listen()` has at most {} requests in flight), without which a burst makes it open \
         thousands and die of the resets. A client that got \
         no event for 10 s after its first stops waiting and reports the rest as lost (a \
         failure: nothing may be lost).\n",
        sizes.events, FETCH_CONNECTIONS, FETCH_CONNECTIONS
    );
    let _ = writeln!(
        out,
        "| client | events | lost | CPU ms | CPU µs/event | events/s | emulator CPU ms | reconnect-to-ready |"
    );
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for client in Client::ALL {
        let Some(run) = runs.iter().find(|run| run.client == client) else {
            let _ = writeln!(out, "| {} | failed | | | | | | |", client.name());
            continue;
        };
        let _ = writeln!(
            out,
            "| {} | {:.0} | {:.0} | {:.0} | {:.1} | {:.0} | {} | {} |",
            client.name(),
            run.events,
            run.lost,
            run.cpu_ms,
            run.cpu_us_per_event(),
            run.per_second(),
            run.emulator_cpu_ms
                .map_or_else(|| "?".to_owned(), |ms| format!("{ms:.0}")),
            ms(run.reconnect_ms),
        );
    }
    let ours = runs.iter().find(|run| run.client == Client::Rust);
    let js = runs.iter().find(|run| run.client == Client::Node);
    let cpu_passed = match (ours, js) {
        (Some(ours), Some(js)) => {
            let times = js.cpu_us_per_event() / ours.cpu_us_per_event().max(1e-9);
            let passed = times >= CPU_TARGET;
            let _ = writeln!(
                out,
                "\nTarget: our CPU per event at most 1/{CPU_TARGET:.0} of the JS SDK's. Ours \
                 {:.1} µs, JS SDK {:.1} µs: the JS SDK uses {times:.1}× ours. {}",
                ours.cpu_us_per_event(),
                js.cpu_us_per_event(),
                verdict(passed)
            );
            passed
        }
        _ => {
            let _ = writeln!(
                out,
                "\nTarget: our CPU per event at most 1/{CPU_TARGET:.0} of the JS SDK's. {}: a \
                 client has no successful run.",
                verdict(false)
            );
            false
        }
    };
    let _ = writeln!(
        out,
        "\nReconnect-to-ready: after its events, the emulator drops the client's TCP \
         connection (`POST /_emulator/faults {{\"mercury\": \"drop\"}}`); measured from just \
         before the harness asks for the drop to the moment the client is ready again (ours: \
         `mercury().state()` back at `Connected`; JS: mercury `online`), on the wall clock both \
         share. It includes whatever delay each SDK's reconnect policy waits before its first \
         attempt. Ours asks for the drop only once its socket has been up for longer than its \
         policy's healthy window (10 s): a socket that drops sooner counts as one more failed \
         attempt and waits a backoff step first. No target."
    );

    let _ = writeln!(
        out,
        "\n## Scale: {} clients in one process\n",
        sizes.clients
    );
    let rss_passed = match (scale, js_rss) {
        (Some(scale), Some(js)) => {
            let per_client = scale.kib_per_client();
            let js_client = js.connected_kib - js.bare_kib;
            let _ = writeln!(
                out,
                "Ours: one process, one client per person (devices, mercury, a listening \
                 messages plugin), each `messages().listen()`ing: its own device and socket. \
                 RSS {:.0} KiB before the first client, {:.0} KiB with all {:.0} connected \
                 (connected in {:.0} ms), {:.0} KiB after {:.0} s idle: **{per_client:.0} KiB per \
                 connected client**. Idle CPU over those {:.0} s (pings included): {:.0} ms, \
                 {:.2}% of one core, {:.1} µs per client per second.\n",
                scale.rss_base_kib,
                scale.rss_connected_kib,
                scale.clients,
                scale.connect_ms,
                scale.rss_idle_kib,
                scale.idle_secs,
                scale.idle_secs,
                scale.idle_cpu_ms,
                scale.idle_cpu_ms / (scale.idle_secs * 10.0),
                scale.idle_cpu_ms * 1e3 / scale.idle_secs / scale.clients.max(1.0),
            );
            let _ = writeln!(
                out,
                "JS SDK: a Node process with one client after `messages.listen()`, {SETTLE_SECS} \
                 s later: {:.0} KiB; bare Node: {:.0} KiB; the client alone: {js_client:.0} KiB.\n",
                js.connected_kib, js.bare_kib
            );
            let _ = writeln!(out, "| compared with | JS SDK KiB | ÷ ours per client |");
            let _ = writeln!(out, "| --- | ---: | ---: |");
            let _ = writeln!(
                out,
                "| the Node process with one client | {:.0} | {:.0}× |",
                js.connected_kib,
                js.connected_kib / per_client.max(1e-9)
            );
            let _ = writeln!(
                out,
                "| that minus bare Node | {js_client:.0} | {:.0}× |",
                js_client / per_client.max(1e-9)
            );
            let passed = js_client / per_client.max(1e-9) > RSS_TARGET;
            let _ = writeln!(
                out,
                "\nTarget: our RSS per connected client under 1/{RSS_TARGET:.0} of one JS SDK \
                 client's, judged against the stricter comparison (minus bare Node). {}",
                verdict(passed)
            );
            passed
        }
        _ => {
            let _ = writeln!(
                out,
                "Target: our RSS per connected client under 1/{RSS_TARGET:.0} of one JS SDK \
                 client's. {}: a part did not run.",
                verdict(false)
            );
            false
        }
    };

    if !failures.is_empty() {
        let _ = writeln!(out, "\n## Failures\n");
        for failure in failures {
            let _ = writeln!(out, "- {failure}");
        }
    }
    (out, cpu_passed && rss_passed)
}
