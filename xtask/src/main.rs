//! `cargo xtask`: project automation for the Webex SDK workspace.
//!
//! `cargo xtask` is an alias (see `.cargo/config.toml`) for
//! `cargo run --quiet -p xtask --`. Commands:
//!
//! - `cargo xtask ci`: every CI check, in order, stopping at the first failure.
//! - `cargo xtask ci --step <name>`: only the named step(s); repeat `--step` to
//!   run several, in the order given.
//! - `cargo xtask ci --list`: print the steps and their commands.
//! - `cargo xtask interop`: run real third-party Webex clients (webexpythonsdk,
//!   the npm `webex` SDK) against the emulator; it installs them into
//!   `$HOME/.cache/webex-rs/interop` itself (see `interop/mod.rs`).
//! - `cargo xtask bench <name>`: multi-process benchmarks (`bench rest`: our
//!   SDK vs the JS and Python SDKs on one emulator; `bench events`: Mercury
//!   events and connected clients, ours vs the JS SDK); without a name, lists
//!   them.
//! - `cargo xtask fuzz [--seconds N] [--target NAME]`: every fuzz target of
//!   `fuzz/` for N seconds (default 60) each, with corpus size, executions/s and
//!   crashes (see `fuzz/mod.rs`; needs cargo-fuzz).
//!
//! `ci` installs nothing: `.ci/run` installs the tools the steps need
//! (cargo-deny, cargo-hack).

mod bench;
mod ci;
mod fuzz;
mod interop;
mod run;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::ci::Step;

/// Command line of `cargo xtask`.
#[derive(Debug, Parser)]
#[command(
    bin_name = "cargo xtask",
    about = "Project automation for the Webex SDK workspace"
)]
struct Cli {
    /// The task to run.
    #[command(subcommand)]
    command: Command,
}

/// The tasks `cargo xtask` knows.
#[derive(Debug, Subcommand)]
enum Command {
    /// Run the CI checks in order, stopping at the first failure.
    Ci {
        /// Run only this step (repeatable; steps run in the order given).
        #[arg(long = "step", value_enum, value_name = "NAME")]
        steps: Vec<Step>,
        /// Print the steps and their commands instead of running them.
        #[arg(long, conflicts_with = "steps")]
        list: bool,
    },
    /// Run the real-client interop suites against a fresh emulator.
    Interop {
        /// Run only this suite (repeatable); default: all.
        #[arg(long = "suite", value_enum, value_name = "NAME")]
        suites: Vec<interop::Suite>,
        /// Count the checks listed in interop/known-gaps.txt as failures.
        #[arg(long)]
        strict: bool,
    },
    /// Run a benchmark (see `bench/`); without a name, list them.
    Bench {
        /// The bench to run.
        #[arg(value_enum)]
        name: Option<bench::Bench>,
    },
    /// Run every fuzz target (`fuzz/`) for a bounded time and report the numbers.
    Fuzz(fuzz::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Ci { steps, list } => {
            if list {
                ci::list();
                ExitCode::SUCCESS
            } else if steps.is_empty() {
                ci::run(Step::ALL)
            } else {
                ci::run(&steps)
            }
        }
        Command::Interop { suites, strict } => {
            if suites.is_empty() {
                interop::run(interop::Suite::ALL, strict)
            } else {
                interop::run(&suites, strict)
            }
        }
        Command::Bench { name } => bench::run(name),
        Command::Fuzz(args) => fuzz::run(&args),
    }
}
