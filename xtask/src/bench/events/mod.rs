//! `cargo xtask bench events`: Mercury events, our SDK against the npm
//! `webex` SDK, on one release-built emulator.
//!
//! 1. builds the emulator and `examples/bench-events` in release and reuses
//!    the interop install of the npm `webex` SDK ([`crate::interop::node`]);
//! 2. **throughput**: for each client (ours, then the JS SDK), a fresh
//!    sender and receiver in a room of theirs; the client (run by the
//!    receiver) calls `messages.listen()` and says it is ready; the harness
//!    asks the emulator for a burst of [`EVENTS`] messages from the sender
//!    (`POST /_emulator/mercury/burst`: real messages, each pushed as a
//!    `conversation.activity` `post` at the socket's pace). Both SDKs
//!    convert each activity and get its message from Hydra: the same events
//!    (the JS SDK with one `GET` per message; ours with one listing for the
//!    posts of a room that arrive together, `docs/protocol/conversation.md`,
//!    *Coalesced fetches*). Each client reports its CPU (user + system, from ready to
//!    the last event) and its wall time (first event to last);
//! 3. **reconnect**: the same client then has its socket dropped
//!    (`POST /_emulator/faults {"mercury": "drop"}`) and reports when it was
//!    ready again; the harness subtracts when it dropped it. Skipped, and
//!    said so, on an emulator without Mercury faults;
//! 4. **scale**: [`CLIENTS`] people, and one process of ours with one
//!    client per person, each listening (its own device and socket); it
//!    reports its RSS before and after connecting and its CPU over
//!    [`IDLE_SECS`] of idling. The JS SDK's side: the RSS of a Node process
//!    with one listening client, and of a bare Node process, after
//!    [`SETTLE_SECS`];
//! 5. prints the report, also written to `<target>/bench/events.md`.
//!
//! It fails when a client fails, or a target is missed: our CPU per event
//! at most 1/[`CPU_TARGET`] of the JS SDK's, our RSS per connected client
//! under 1/[`RSS_TARGET`] of one JS SDK client's (the Node process minus bare
//! Node, the stricter of the two comparisons).
//!
//! `WEBEX_BENCH_EVENTS`, `WEBEX_BENCH_CLIENTS` and `WEBEX_BENCH_IDLE_SECS`
//! override the sizes, for a quick try; the report states the sizes used.

mod report;
mod running;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use self::report::{JsRss, Scale, Throughput};
use self::running::Running;
use super::admin::{self, Person};
use super::process::process_cpu_ms;
use crate::interop::emulator::{self, Emulator, Profile};
use crate::interop::{cache_dir, node};
use crate::run::{fmt_duration, workspace_root};

/// Activities pushed through one connection, per client.
const EVENTS: usize = 100_000;
/// Clients in the scale process.
const CLIENTS: usize = 1_000;
/// The idle window of the scale process, in seconds: two ping intervals.
const IDLE_SECS: usize = 30;
/// How long the JS SDK's RSS processes idle before they report.
const SETTLE_SECS: usize = 10;
/// The JS SDK's CPU per event must be at least this many times ours.
const CPU_TARGET: f64 = 20.0;
/// One JS SDK client's RSS must be more than this many times ours per client.
const RSS_TARGET: f64 = 100.0;
/// The JS SDK's HTTP connections (Node's agent, `maxSockets`): as many as
/// our `listen()` has message fetches in flight
/// (`webex_messages::listen::FETCH_CONCURRENCY`). Unbounded, the JS SDK opens
/// one connection per activity of a burst and dies of the resets.
const FETCH_CONNECTIONS: usize = 8;
/// How long a client may take to start listening, and a reconnect.
const STEP_TIMEOUT: Duration = Duration::from_secs(180);
/// How long a whole client run may take.
const RUN_TIMEOUT: Duration = Duration::from_secs(3600);

/// The sizes of one run.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sizes {
    /// Activities per client.
    pub(super) events: usize,
    /// Clients in the scale process.
    pub(super) clients: usize,
    /// The idle window, seconds.
    pub(super) idle_secs: usize,
}

impl Sizes {
    /// The defaults, or the `WEBEX_BENCH_*` overrides.
    fn from_env() -> Result<Self, String> {
        let read = |name: &str, default: usize| match std::env::var(name) {
            Ok(value) => value
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{name}={value}: expected a positive number")),
            Err(_) => Ok(default),
        };
        Ok(Self {
            events: read("WEBEX_BENCH_EVENTS", EVENTS)?,
            clients: read("WEBEX_BENCH_CLIENTS", CLIENTS)?,
            idle_secs: read("WEBEX_BENCH_IDLE_SECS", IDLE_SECS)?,
        })
    }
}

/// A client that runs the throughput workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Client {
    /// Our SDK: `examples/bench-events`, release build.
    Rust,
    /// The npm `webex` SDK under Node: `interop/bench/events.js`.
    Node,
}

impl Client {
    /// The order they run in.
    const ALL: [Client; 2] = [Client::Rust, Client::Node];

    /// The name in the report.
    pub(super) fn name(self) -> &'static str {
        match self {
            Client::Rust => "webex-rs (ours)",
            Client::Node => "webex (npm, JS SDK)",
        }
    }

    /// A short name for files and emails.
    fn slug(self) -> &'static str {
        match self {
            Client::Rust => "rust",
            Client::Node => "node",
        }
    }
}

/// What the clients run.
#[derive(Debug)]
struct Installs {
    /// `<target>/release/examples/bench-events`.
    example: PathBuf,
    /// The npm SDK's `node_modules`.
    node_modules: PathBuf,
}

impl Installs {
    /// The command that runs `client` in `mode` against `base`.
    fn command(&self, root: &Path, client: Client, mode: &str, base: &str) -> Command {
        let mut command = match client {
            Client::Rust => Command::new(&self.example),
            Client::Node => {
                let mut command = Command::new("node");
                command
                    .arg(root.join("interop/bench/events.js"))
                    .env("NODE_PATH", &self.node_modules);
                command
            }
        };
        command
            .current_dir(root)
            .env("WEBEX_BENCH_MODE", mode)
            .env("WEBEX_BENCH_BASE_URL", base);
        command
    }
}

/// Everything one run needs.
struct Bench<'a> {
    root: &'a Path,
    cache: &'a Path,
    installs: &'a Installs,
    emulator: &'a Emulator,
    sizes: Sizes,
}

/// Run the bench; see the module docs.
pub(super) fn run() -> ExitCode {
    let start = Instant::now();
    let outcome = bench();
    eprintln!("bench events: took {}", fmt_duration(start.elapsed()));
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("bench events: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Build, install, run every part, report. `Ok(false)` when a part failed
/// or a target was missed.
fn bench() -> Result<bool, String> {
    let root = workspace_root();
    let cache = cache_dir()?;
    let sizes = Sizes::from_env()?;

    eprintln!("\n==> bench events: build the emulator and the example (release)");
    let binary = emulator::build(
        &root,
        Profile::Release,
        &[
            "--bins",
            "-p",
            "webex-examples",
            "--example",
            "bench-events",
        ],
    )?;
    let example = emulator::profile_dir(&root, Profile::Release)?
        .join("examples")
        .join(format!("bench-events{}", std::env::consts::EXE_SUFFIX));
    if !example.is_file() {
        return Err(format!("built, but {} is not there", example.display()));
    }
    eprintln!("\n==> bench events: the npm webex SDK (interop install)");
    let installs = Installs {
        example,
        node_modules: node::install(&root, &cache)?,
    };

    eprintln!("\n==> bench events: start the emulator (release)");
    let emulator = Emulator::start(&binary, &cache.join("bench-events-emulator.log"))?;
    eprintln!("bench events: emulator at {}", emulator.base_url());
    let bench = Bench {
        root: &root,
        cache: &cache,
        installs: &installs,
        emulator: &emulator,
        sizes,
    };

    let mut failures = Vec::new();
    let mut throughputs = Vec::new();
    for client in Client::ALL {
        eprintln!(
            "\n==> bench events: throughput and reconnect, {}",
            client.name()
        );
        match bench.throughput(client) {
            Ok(run) => {
                if run.lost > 0.0 {
                    failures.push(format!(
                        "throughput, {}: {:.0} of {} events never arrived",
                        client.name(),
                        run.lost,
                        sizes.events
                    ));
                }
                throughputs.push(run);
            }
            Err(error) => {
                eprintln!("bench events: {} FAILED: {error}", client.name());
                failures.push(format!("throughput, {}: {error}", client.name()));
            }
        }
    }
    eprintln!(
        "\n==> bench events: scale, {} clients of ours",
        sizes.clients
    );
    let scale = bench.scale().map_err(|error| {
        eprintln!("bench events: scale FAILED: {error}");
        failures.push(format!("scale: {error}"));
    });
    eprintln!("\n==> bench events: RSS of one JS SDK client");
    let js_rss = bench.js_rss().map_err(|error| {
        eprintln!("bench events: JS SDK RSS FAILED: {error}");
        failures.push(format!("JS SDK RSS: {error}"));
    });
    drop(emulator);

    let (text, passed) = report::render(
        &root,
        sizes,
        &throughputs,
        scale.ok().as_ref(),
        js_rss.ok().as_ref(),
        &failures,
    );
    super::publish(&root, "events", &text)?;
    Ok(passed && failures.is_empty())
}

impl Bench<'_> {
    /// A new person named for `what`.
    fn person(&self, what: &str) -> Result<Person, String> {
        let email = format!("bench-events-{what}-{}@example.com", std::process::id());
        admin::create_person(
            self.emulator.base_url(),
            &format!("Bench events {what}"),
            &email,
        )
    }

    /// Where a client's stderr goes.
    fn stderr_file(&self, what: &str) -> PathBuf {
        self.cache.join(format!("bench-events-{what}.err"))
    }

    /// The throughput and reconnect run of `client`.
    fn throughput(&self, client: Client) -> Result<Throughput, String> {
        let base = self.emulator.base_url();
        let slug = client.slug();
        let sender = self.person(&format!("{slug}-sender"))?;
        let receiver = self.person(&format!("{slug}-receiver"))?;
        let room = admin::create_room(base, &sender, &format!("bench events: {slug}"))?;
        admin::add_member(base, &sender, &room, &receiver)?;
        // Whether this emulator can drop a socket: a drop of nobody's.
        let reconnect = admin::mercury_drop(base, &receiver)?.is_some();

        let mut command = self.installs.command(self.root, client, "listen", base);
        command
            .env("WEBEX_BENCH_TOKEN", &receiver.token)
            .env("WEBEX_BENCH_EVENTS", self.sizes.events.to_string())
            .env("WEBEX_BENCH_MAX_SOCKETS", FETCH_CONNECTIONS.to_string())
            .env("WEBEX_BENCH_RECONNECT", if reconnect { "1" } else { "0" });
        let mut running = Running::spawn(
            client.name(),
            command,
            self.stderr_file(&format!("{slug}-listen")),
        )?;
        running.expect("ready", STEP_TIMEOUT)?;
        let emulator_before = process_cpu_ms(self.emulator.pid());
        admin::mercury_burst(base, &sender, &room, self.sizes.events)?;
        let line = running.expect("events", RUN_TIMEOUT)?;
        let emulator_after = process_cpu_ms(self.emulator.pid());
        let number = |line: &str, key: &str| {
            admin::number_field(line, key).ok_or_else(|| format!("no number `{key}` in {line}"))
        };
        let events = number(&line, "events")?;
        let reconnect_ms = if reconnect {
            running.expect("awaiting_drop", STEP_TIMEOUT)?;
            let dropped_at = epoch_ms()?;
            match admin::mercury_drop(base, &receiver)? {
                Some(0) | None => return Err("the drop hit no socket".to_owned()),
                Some(_) => {}
            }
            let line = running.expect("reconnected_at_ms", STEP_TIMEOUT)?;
            Some(number(&line, "reconnected_at_ms")? - dropped_at)
        } else {
            None
        };
        running.finish(STEP_TIMEOUT)?;
        Ok(Throughput {
            client,
            events,
            lost: number(&line, "lost")?,
            cpu_ms: number(&line, "cpu_ms")?,
            wall_ms: number(&line, "wall_ms")?,
            reconnect_ms,
            emulator_cpu_ms: emulator_before
                .zip(emulator_after)
                .map(|(before, after)| after - before),
        })
    }

    /// Our scale process: one client per person, all listening.
    fn scale(&self) -> Result<Scale, String> {
        let mut tokens = String::new();
        for n in 0..self.sizes.clients {
            tokens.push_str(&self.person(&format!("scale-{n}"))?.token);
            tokens.push('\n');
        }
        let file = self.cache.join("bench-events-tokens.txt");
        std::fs::write(&file, tokens)
            .map_err(|error| format!("cannot write {}: {error}", file.display()))?;
        let mut command =
            self.installs
                .command(self.root, Client::Rust, "scale", self.emulator.base_url());
        command
            .env("WEBEX_BENCH_TOKENS_FILE", &file)
            .env("WEBEX_BENCH_IDLE_SECS", self.sizes.idle_secs.to_string());
        let mut running = Running::spawn("scale", command, self.stderr_file("rust-scale"))?;
        let line = running.expect("clients", RUN_TIMEOUT)?;
        // The tokens are secrets of this run only; do not leave them behind.
        let _ = std::fs::remove_file(&file);
        running.finish(STEP_TIMEOUT)?;
        let number = |key: &str| {
            admin::number_field(&line, key).ok_or_else(|| format!("no number `{key}` in {line}"))
        };
        Ok(Scale {
            clients: number("clients")?,
            rss_base_kib: number("rss_base_kib")?,
            rss_connected_kib: number("rss_connected_kib")?,
            rss_idle_kib: number("rss_idle_kib")?,
            connect_ms: number("connect_ms")?,
            idle_secs: number("idle_secs")?,
            idle_cpu_ms: number("idle_cpu_ms")?,
        })
    }

    /// The RSS of a Node process with one listening JS SDK client, and of
    /// bare Node.
    fn js_rss(&self) -> Result<JsRss, String> {
        let person = self.person("node-rss")?;
        let rss = |mode: &str| -> Result<f64, String> {
            let mut command =
                self.installs
                    .command(self.root, Client::Node, mode, self.emulator.base_url());
            command
                .env("WEBEX_BENCH_TOKEN", &person.token)
                .env("WEBEX_BENCH_SETTLE_SECS", SETTLE_SECS.to_string());
            let mut running = Running::spawn(
                &format!("node {mode}"),
                command,
                self.stderr_file(&format!("node-{mode}")),
            )?;
            let line = running.expect("rss_kib", STEP_TIMEOUT)?;
            running.finish(STEP_TIMEOUT)?;
            admin::number_field(&line, "rss_kib").ok_or_else(|| format!("no rss_kib in {line}"))
        };
        Ok(JsRss {
            bare_kib: rss("bare")?,
            connected_kib: rss("rss")?,
        })
    }
}

/// Now, in milliseconds since the Unix epoch (the clients report when they
/// were ready again on the same clock).
fn epoch_ms() -> Result<f64, String> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|now| now.as_secs_f64() * 1e3)
        .map_err(|error| format!("the clock is before 1970: {error}"))
}
