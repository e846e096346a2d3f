//! `cargo xtask bench rest`: one REST workload, three SDKs, one emulator.
//!
//! 1. builds the emulator and the examples in release
//!    (`cargo build -p webex-emulator --release --bins -p webex-examples
//!    --example bench-rest`)
//!    and reuses the interop installs of the npm `webex` SDK and webexpythonsdk
//!    ([`crate::interop::node`], [`crate::interop::python`]);
//! 2. starts one emulator and, for each run of each client, makes a fresh
//!    person (so no two runs share rate state) and a room of theirs;
//! 3. runs the clients one after another, [`ROUNDS`] rounds in alternating
//!    order: `examples/bench-rest.rs` (ours), `interop/bench/rest.js` and
//!    `interop/bench/rest.py`. Each posts [`MESSAGES`] messages,
//!    [`CONCURRENCY`] in flight, lists them [`PAGE`] a page, checks it saw them
//!    all, and prints one JSON line with the CPU time (user + system) and wall
//!    time it measured itself around that workload only;
//! 4. keeps each client's better run (less CPU) and prints the comparison,
//!    also written to `<target>/bench/rest.md`.
//!
//! It fails when a client fails, or when our CPU per request is more than
//! [`TARGET_RATIO`]⁻¹ of the JS SDK's.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::interop::emulator::{self, Emulator, Profile};
use crate::interop::{cache_dir, node, python, show, wait_with_timeout};
use crate::run::{fmt_duration, workspace_root};

use super::process::{process_cpu_ms, tail};
use super::{admin, js_sdk_version, publish};

/// Messages each client posts.
const MESSAGES: usize = 500;
/// Posts in flight at once.
const CONCURRENCY: usize = 16;
/// Messages per list page.
const PAGE: usize = 50;
/// Runs of each client; the order alternates between rounds.
const ROUNDS: usize = 2;
/// How long one client run may take.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(600);
/// The JS SDK's CPU per request must be at least this many times ours.
const TARGET_RATIO: f64 = 10.0;

/// A client that runs the workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Client {
    /// Our SDK: `examples/bench-rest.rs`, release build.
    Rust,
    /// The npm `webex` SDK under Node: `interop/bench/rest.js`.
    Node,
    /// webexpythonsdk: `interop/bench/rest.py`.
    Python,
}

impl Client {
    /// The order of the first round; the next round runs it backwards.
    const ALL: [Client; 3] = [Client::Rust, Client::Node, Client::Python];

    /// The name in the report.
    fn name(self) -> &'static str {
        match self {
            Client::Rust => "webex-rs (ours)",
            Client::Node => "webex (npm, JS SDK)",
            Client::Python => "webexpythonsdk",
        }
    }

    /// A short name for files and emails.
    fn slug(self) -> &'static str {
        match self {
            Client::Rust => "rust",
            Client::Node => "node",
            Client::Python => "python",
        }
    }
}

/// What the clients run: the built example and the interop installs.
#[derive(Debug)]
struct Installs {
    /// `<target>/release/examples/bench-rest`.
    example: PathBuf,
    /// The npm SDK's `node_modules`.
    node_modules: PathBuf,
    /// The venv's `python`.
    python: PathBuf,
}

impl Installs {
    /// The command that runs `client`'s script, in the workspace root.
    fn command(&self, root: &Path, client: Client) -> Command {
        let mut command = match client {
            Client::Rust => Command::new(&self.example),
            Client::Node => {
                let mut command = Command::new("node");
                command
                    .arg(root.join("interop/bench/rest.js"))
                    .env("NODE_PATH", &self.node_modules);
                command
            }
            Client::Python => {
                let mut command = Command::new(&self.python);
                command
                    .arg(root.join("interop/bench/rest.py"))
                    .env("PYTHONDONTWRITEBYTECODE", "1");
                command
            }
        };
        command
            .current_dir(root)
            .env("WEBEX_BENCH_MESSAGES", MESSAGES.to_string())
            .env("WEBEX_BENCH_CONCURRENCY", CONCURRENCY.to_string())
            .env("WEBEX_BENCH_PAGE", PAGE.to_string());
        command
    }
}

/// One client's run, as it reported it.
#[derive(Debug, Clone)]
struct Run {
    /// Who ran.
    client: Client,
    /// Which round (1-based).
    round: usize,
    /// HTTP requests sent during the workload.
    requests: f64,
    /// CPU time (user + system) of the client process during the workload.
    cpu_ms: f64,
    /// Wall time of the workload.
    wall_ms: f64,
    /// Distinct messages posted.
    posted: f64,
    /// Messages listed.
    listed: f64,
    /// CPU time the emulator spent meanwhile (process start to exit of the
    /// client; `/proc` ticks), when known.
    emulator_cpu_ms: Option<f64>,
}

impl Run {
    /// CPU microseconds per request.
    fn cpu_us_per_request(&self) -> f64 {
        self.cpu_ms * 1e3 / self.requests.max(1.0)
    }
}

/// Run the bench; see the module docs.
pub(super) fn run() -> ExitCode {
    let start = Instant::now();
    match bench() {
        Ok(passed) => {
            eprintln!("bench rest: took {}", fmt_duration(start.elapsed()));
            if passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("bench rest: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Build, install, run every client [`ROUNDS`] times, report. `Ok(false)` when
/// a client failed or the target was missed.
fn bench() -> Result<bool, String> {
    let root = workspace_root();
    let cache = cache_dir()?;

    eprintln!("\n==> bench rest: build the emulator and the examples (release)");
    let binary = emulator::build(
        &root,
        Profile::Release,
        &["--bins", "-p", "webex-examples", "--example", "bench-rest"],
    )?;
    let example = emulator::profile_dir(&root, Profile::Release)?
        .join("examples")
        .join(format!("bench-rest{}", std::env::consts::EXE_SUFFIX));
    if !example.is_file() {
        return Err(format!("built, but {} is not there", example.display()));
    }
    eprintln!("\n==> bench rest: the npm webex SDK and webexpythonsdk (interop installs)");
    let installs = Installs {
        example,
        node_modules: node::install(&root, &cache)?,
        python: python::install(&root, &cache)?,
    };

    eprintln!("\n==> bench rest: start the emulator (release)");
    let log = cache.join("bench-emulator.log");
    let emulator = Emulator::start(&binary, &log)?;
    eprintln!("bench rest: emulator at {}", emulator.base_url());

    let mut runs = Vec::new();
    let mut failures = Vec::new();
    for round in 1..=ROUNDS {
        let mut order = Client::ALL;
        if round % 2 == 0 {
            order.reverse();
        }
        for client in order {
            match run_client(&root, &cache, &installs, &emulator, client, round) {
                Ok(run) => {
                    eprintln!(
                        "bench rest: round {round} {}: {:.0} requests, {:.1} ms CPU ({:.1} µs/request), {:.1} ms wall",
                        client.name(),
                        run.requests,
                        run.cpu_ms,
                        run.cpu_us_per_request(),
                        run.wall_ms
                    );
                    runs.push(run);
                }
                Err(error) => {
                    eprintln!(
                        "bench rest: round {round} {} FAILED: {error}",
                        client.name()
                    );
                    failures.push(format!("round {round} {}: {error}", client.name()));
                }
            }
        }
    }
    drop(emulator);

    let (report, passed) = report(&root, &runs, &failures);
    publish(&root, "rest", &report)?;
    Ok(passed && failures.is_empty())
}

/// Set up a person and a room for `client`, run it, and read its JSON line.
fn run_client(
    root: &Path,
    cache: &Path,
    installs: &Installs,
    emulator: &Emulator,
    client: Client,
    round: usize,
) -> Result<Run, String> {
    let base = emulator.base_url();
    let slug = client.slug();
    let email = format!("bench-{slug}-{round}-{}@example.com", std::process::id());
    let person = admin::create_person(base, &format!("Bench {slug} {round}"), &email)?;
    let room = admin::create_room(base, &person, &format!("bench rest: {slug}, round {round}"))?;

    let stdout_path = cache.join(format!("bench-{slug}.out"));
    let stderr_path = cache.join(format!("bench-{slug}.err"));
    let file = |path: &Path| {
        File::create(path).map_err(|error| format!("cannot create {}: {error}", path.display()))
    };
    let mut command = installs.command(root, client);
    command
        .env("WEBEX_BENCH_BASE_URL", base)
        .env("WEBEX_BENCH_TOKEN", &person.token)
        .env("WEBEX_BENCH_ROOM_ID", &room)
        .stdout(file(&stdout_path)?)
        .stderr(file(&stderr_path)?);
    eprintln!(
        "\n==> bench rest: round {round}, {}: {}",
        client.name(),
        show(&command)
    );

    let emulator_before = process_cpu_ms(emulator.pid());
    let status = command
        .spawn()
        .map_err(|error| format!("could not start: {error}"))
        .and_then(|child| wait_with_timeout(child, CLIENT_TIMEOUT))?;
    let emulator_after = process_cpu_ms(emulator.pid());
    let stdout = fs::read_to_string(&stdout_path).unwrap_or_default();
    let stderr = fs::read_to_string(&stderr_path).unwrap_or_default();
    if !status.success() {
        return Err(format!(
            "{status}; stdout: {}; stderr (last lines): {}",
            stdout.trim(),
            tail(&stderr, 8)
        ));
    }
    let line = stdout
        .lines()
        .rev()
        .find(|line| line.trim_start().starts_with('{'))
        .ok_or_else(|| format!("printed no JSON line; stdout: {}", stdout.trim()))?;
    let field = |key: &str| {
        admin::number_field(line, key).ok_or_else(|| format!("no number `{key}` in {line}"))
    };
    let run = Run {
        client,
        round,
        requests: field("requests")?,
        cpu_ms: field("cpu_ms")?,
        wall_ms: field("wall_ms")?,
        posted: field("posted")?,
        listed: field("listed")?,
        emulator_cpu_ms: emulator_before
            .zip(emulator_after)
            .map(|(before, after)| after - before),
    };
    // The clients check this themselves; a client that does not is caught here.
    if run.posted < MESSAGES as f64 || run.listed < MESSAGES as f64 {
        return Err(format!(
            "posted {} and listed {}, expected {MESSAGES} of each: {line}",
            run.posted, run.listed
        ));
    }
    Ok(run)
}

/// The best (least CPU) run of `client`.
fn best(runs: &[Run], client: Client) -> Option<&Run> {
    runs.iter()
        .filter(|run| run.client == client)
        .min_by(|a, b| a.cpu_ms.total_cmp(&b.cpu_ms))
}

/// The Markdown report, and whether the target was met.
fn report(root: &Path, runs: &[Run], failures: &[String]) -> (String, bool) {
    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let js_version = js_sdk_version(root);
    let py_version = fs::read_to_string(root.join("interop/python/requirements.txt"))
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("webexpythonsdk==").map(str::to_owned))
        })
        .unwrap_or_else(|| "?".to_owned());
    let _ = writeln!(out, "# cargo xtask bench rest\n");
    let _ = writeln!(
        out,
        "One release-built emulator on 127.0.0.1, {cores} CPU cores. Each client, in its own \
         process and with its own person and room: {MESSAGES} messages posted, {CONCURRENCY} in \
         flight, then all listed {PAGE} a page following `Link: rel=\"next\"`. CPU = user + \
         system time of the client process, measured by the client around the workload only \
         (not process start, SDK loading or its first request). Clients: webex-rs \
         (`examples/bench-rest.rs`, release), npm `webex` {js_version} under Node \
         (`interop/bench/rest.js`), webexpythonsdk {py_version} (`interop/bench/rest.py`). \
         {ROUNDS} runs each, alternating order; the better run (less CPU) is shown.\n"
    );
    let ours = best(runs, Client::Rust);
    let _ = writeln!(
        out,
        "| client | requests | CPU ms | CPU µs/request | wall ms | cpu/request ÷ ours | wall ÷ ours | emulator CPU ms |"
    );
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for client in Client::ALL {
        let Some(run) = best(runs, client) else {
            let _ = writeln!(out, "| {} | failed | | | | | | |", client.name());
            continue;
        };
        let ratio = |value: f64, of_ours: Option<f64>| {
            of_ours.map_or_else(|| "?".to_owned(), |o| format!("{:.1}×", value / o))
        };
        let _ = writeln!(
            out,
            "| {} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {} | {} |",
            client.name(),
            run.requests,
            run.cpu_ms,
            run.cpu_us_per_request(),
            run.wall_ms,
            ratio(run.cpu_us_per_request(), ours.map(Run::cpu_us_per_request)),
            ratio(run.wall_ms, ours.map(|o| o.wall_ms)),
            run.emulator_cpu_ms
                .map_or_else(|| "?".to_owned(), |ms| format!("{ms:.0}")),
        );
    }

    let js = best(runs, Client::Node);
    let passed = match (ours, js) {
        (Some(ours), Some(js)) => {
            let times = js.cpu_us_per_request() / ours.cpu_us_per_request();
            let passed = times >= TARGET_RATIO;
            let _ = writeln!(
                out,
                "\nTarget: our CPU per request at most 1/{TARGET_RATIO:.0} of the JS SDK's. \
                 Ours {:.1} µs, JS SDK {:.1} µs: the JS SDK uses {times:.1}× ours. **{}**",
                ours.cpu_us_per_request(),
                js.cpu_us_per_request(),
                if passed { "PASS" } else { "FAIL" }
            );
            passed
        }
        _ => {
            let _ = writeln!(
                out,
                "\nTarget: our CPU per request at most 1/{TARGET_RATIO:.0} of the JS SDK's. \
                 **FAIL**: a client has no successful run."
            );
            false
        }
    };

    let _ = writeln!(
        out,
        "\n## Every run\n\n| round | client | requests | CPU ms | CPU µs/request | wall ms | emulator CPU ms |"
    );
    let _ = writeln!(out, "| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
    for run in runs {
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
            run.round,
            run.client.name(),
            run.requests,
            run.cpu_ms,
            run.cpu_us_per_request(),
            run.wall_ms,
            run.emulator_cpu_ms
                .map_or_else(|| "?".to_owned(), |ms| format!("{ms:.0}")),
        );
    }
    if !failures.is_empty() {
        let _ = writeln!(out, "\n## Failures\n");
        for failure in failures {
            let _ = writeln!(out, "- {failure}");
        }
    }
    let _ = writeln!(
        out,
        "\n`requests`: HTTP requests sent during the workload (JS: Node's \
         `http.client.request.start` channel; Python: a `requests` response hook; ours: API \
         calls, each one request as the emulator injects no faults). Emulator CPU: its \
         `/proc` ticks (10 ms) while the client process ran, start-up included."
    );
    (out, passed)
}
