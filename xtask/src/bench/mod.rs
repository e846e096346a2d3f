//! `cargo xtask bench <name>`: benchmarks that need more than `cargo bench`
//! (several processes, real third-party clients). Without a name, lists them.

mod admin;
mod rest;

use std::process::ExitCode;

use clap::ValueEnum;

/// A benchmark `cargo xtask bench` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Bench {
    /// The same REST workload (500 messages posted 16 at a time, then listed 50
    /// a page) run by our SDK, the npm `webex` SDK and webexpythonsdk against
    /// one release-built emulator; compares their CPU time per request.
    Rest,
}

impl Bench {
    /// Every bench, in the order they are listed.
    const ALL: &'static [Bench] = &[Bench::Rest];

    /// The bench's name, as `cargo xtask bench` takes it.
    fn name(self) -> &'static str {
        match self {
            Bench::Rest => "rest",
        }
    }

    /// One line about what the bench measures.
    fn about(self) -> &'static str {
        match self {
            Bench::Rest => {
                "CPU per request of our SDK vs the npm `webex` SDK and webexpythonsdk \
                 (500 posts, 16 in flight, then listed 50 a page; target: ours <= 1/10 of JS)"
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
    }
}
