//! `cargo xtask bench <name>`: benchmarks that need more than `cargo bench`
//! (several processes, real third-party clients). Without a name, lists them.

mod admin;
mod events;
mod media;
mod process;
mod rest;

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;

/// A benchmark `cargo xtask bench` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Bench {
    /// The same REST workload (500 messages posted 16 at a time, then listed 50
    /// a page) run by our SDK, the npm `webex` SDK and webexpythonsdk against
    /// one release-built emulator; compares their CPU time per request.
    Rest,
    /// Mercury events: 100,000 activities through one connection (CPU per
    /// event of our `messages().listen()` vs the npm `webex` SDK's),
    /// reconnect-to-ready after a drop, and 1,000 connected clients in one
    /// process (RSS per client and idle CPU vs one JS SDK client).
    Events,
    /// Media: join to first audio packet, CPU per two-way audio client, and how
    /// many two-way clients one core sustains without loss, against the
    /// emulator's media server.
    Media,
}

impl Bench {
    /// Every bench, in the order they are listed.
    const ALL: &'static [Bench] = &[Bench::Rest, Bench::Events, Bench::Media];

    /// The bench's name, as `cargo xtask bench` takes it.
    fn name(self) -> &'static str {
        match self {
            Bench::Rest => "rest",
            Bench::Events => "events",
            Bench::Media => "media",
        }
    }

    /// One line about what the bench measures.
    fn about(self) -> &'static str {
        match self {
            Bench::Rest => {
                "CPU per request of our SDK vs the npm `webex` SDK and webexpythonsdk \
                 (500 posts, 16 in flight, then listed 50 a page; target: ours <= 1/10 of JS)"
            }
            Bench::Events => {
                "CPU per event of messages().listen() vs the npm `webex` SDK (100,000 events; \
                 target: ours <= 1/20), reconnect-to-ready, RSS per client of 1,000 connected \
                 clients in one process vs one JS SDK client (target: < 1/100)"
            }
            Bench::Media => {
                "join to first audio packet (target: <= 300 ms), CPU per two-way audio client, \
                 two-way clients one core sustains without loss (target: >= 100)"
            }
        }
    }
}

/// Run `bench`, or list the benches when it is `None`.
pub(crate) fn run(bench: Option<Bench>) -> ExitCode {
    match bench {
        None => {
            println!("benches (cargo xtask bench <name>):");
            for bench in Bench::ALL {
                println!("  {:<6} {}", bench.name(), bench.about());
            }
            ExitCode::SUCCESS
        }
        Some(Bench::Rest) => rest::run(),
        Some(Bench::Events) => events::run(),
        Some(Bench::Media) => media::run(),
    }
}

/// Prints `report` and writes it to `<target>/bench/<name>.md`.
fn publish(root: &Path, name: &str, report: &str) -> Result<(), String> {
    println!("\n{report}");
    let out = crate::interop::emulator::target_dir(root)?.join("bench");
    fs::create_dir_all(&out)
        .map_err(|error| format!("cannot create {}: {error}", out.display()))?;
    let file = out.join(format!("{name}.md"));
    fs::write(&file, report)
        .map_err(|error| format!("cannot write {}: {error}", file.display()))?;
    eprintln!("bench {name}: wrote {}", file.display());
    Ok(())
}

/// The version of the npm `webex` SDK the interop suite pins, or `?`.
fn js_sdk_version(root: &Path) -> String {
    fs::read_to_string(root.join("interop/node/package.json"))
        .ok()
        .and_then(|text| admin::string_field(&text, "webex"))
        .unwrap_or_else(|| "?".to_owned())
}
