//! `cargo xtask ci`: the project's CI checks, one small function per step.

use std::process::ExitCode;
use std::time::Duration;

use clap::ValueEnum;

use crate::run::{Task, fmt_duration};

/// One CI step. `cargo xtask ci` runs [`Step::ALL`] in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Step {
    /// `cargo fmt --all --check`
    Fmt,
    /// `cargo clippy --workspace --all-targets --all-features -- -D warnings`
    Clippy,
    /// `cargo test --workspace --all-features`
    Test,
    /// `cargo run --example quickstart` (the README's first command)
    Quickstart,
    /// `cargo run --example custom-plugin`
    CustomPlugin,
    /// `cargo deny check bans licenses sources`
    Deny,
    /// `cargo hack check --each-feature --no-dev-deps -p webex -p webex-messages`, then
    /// `cargo hack test --each-feature -p webex --tests`
    Hack,
    /// `RUSTDOCFLAGS='-D warnings' cargo doc --workspace --no-deps`
    Doc,
}

impl Step {
    /// Every step, in the order `cargo xtask ci` runs them.
    pub(crate) const ALL: &'static [Step] = &[
        Step::Fmt,
        Step::Clippy,
        Step::Test,
        Step::Quickstart,
        Step::CustomPlugin,
        Step::Deny,
        Step::Hack,
        Step::Doc,
    ];

    /// The step's name, as accepted by `--step`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Step::Fmt => "fmt",
            Step::Clippy => "clippy",
            Step::Test => "test",
            Step::Quickstart => "quickstart",
            Step::CustomPlugin => "custom-plugin",
            Step::Deny => "deny",
            Step::Hack => "hack",
            Step::Doc => "doc",
        }
    }

    /// The commands the step runs, in order.
    pub(crate) fn tasks(self) -> Vec<Task> {
        match self {
            Step::Fmt => vec![fmt()],
            Step::Clippy => vec![clippy()],
            Step::Test => vec![test()],
            Step::Quickstart => vec![Task::cargo(["run", "--example", "quickstart"])],
            Step::CustomPlugin => vec![Task::cargo(["run", "--example", "custom-plugin"])],
            Step::Deny => vec![deny()],
            Step::Hack => hack(),
            Step::Doc => vec![doc()],
        }
    }
}

/// Formatting: every package in the workspace, check only.
fn fmt() -> Task {
    Task::cargo(["fmt", "--all", "--check"])
}

/// Lints: every target of every package with every feature; warnings are errors.
fn clippy() -> Task {
    Task::cargo([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ])
}

/// Tests: the README's test command, `cargo test --workspace --all-features`.
fn test() -> Task {
    Task::cargo(["test", "--workspace", "--all-features"])
}

/// Dependency policy (`deny.toml`). Advisories are left out: the RustSec
/// database cannot be fetched on the CI machines.
fn deny() -> Task {
    Task::cargo(["deny", "check", "bans", "licenses", "sources"])
}

/// Each feature alone (and none): the `webex` facade and `webex-messages` (whose `listen`
/// feature pulls in Mercury) build without dev-dependencies, whose features would hide a
/// missing one; then the facade's tests run once per feature, against the emulator, so every
/// feature's default plugins build and work without the others. Doc tests are left to the
/// test step (they are written for the default features).
///
/// Note: `--no-dev-deps` makes cargo-hack strip dev-dependencies from the real
/// `Cargo.toml` files while it runs, and restore them afterwards.
fn hack() -> Vec<Task> {
    vec![
        Task::cargo([
            "hack",
            "check",
            "--each-feature",
            "--no-dev-deps",
            "-p",
            "webex",
            "-p",
            "webex-messages",
        ]),
        Task::cargo(["hack", "test", "--each-feature", "-p", "webex", "--tests"]),
    ]
}

/// API docs build without warnings (broken intra-doc links and the like).
fn doc() -> Task {
    Task::cargo(["doc", "--workspace", "--no-deps"]).env("RUSTDOCFLAGS", "-D warnings")
}

/// Print every step with its command (`cargo xtask ci --list`).
pub(crate) fn list() {
    for step in Step::ALL {
        println!("{:<7} {}", step.name(), Task::describe(&step.tasks()));
    }
}

/// Run `steps` in order, stopping at the first failure, then print a summary
/// of each step's duration. Exits with the failed command's exit code.
pub(crate) fn run(steps: &[Step]) -> ExitCode {
    let total = steps.len();
    eprintln!("ci: workspace {}", crate::run::workspace_root().display());
    let mut done: Vec<(Step, Duration)> = Vec::new();
    let mut failure = None;
    for (i, &step) in steps.iter().enumerate() {
        let tasks = step.tasks();
        eprintln!(
            "\n==> [{}/{total}] {}: {}",
            i + 1,
            step.name(),
            Task::describe(&tasks)
        );
        let outcome = Task::run_all(&tasks);
        match outcome.error {
            None => {
                eprintln!(
                    "<== [{}/{total}] {}: ok in {}",
                    i + 1,
                    step.name(),
                    fmt_duration(outcome.elapsed)
                );
                done.push((step, outcome.elapsed));
            }
            Some(error) => {
                eprintln!(
                    "<== [{}/{total}] {}: FAILED in {}: {error}",
                    i + 1,
                    step.name(),
                    fmt_duration(outcome.elapsed)
                );
                failure = Some((step, outcome.elapsed, outcome.exit_code));
                break;
            }
        }
    }
    summary(&done, failure.map(|(step, elapsed, _)| (step, elapsed)));
    match failure {
        None => ExitCode::SUCCESS,
        Some((_, _, code)) => ExitCode::from(code),
    }
}

/// Print the per-step durations, the failed step (if any) and the total.
fn summary(done: &[(Step, Duration)], failed: Option<(Step, Duration)>) {
    eprintln!("\nci summary:");
    let mut total = Duration::ZERO;
    for &(step, elapsed) in done {
        eprintln!("  {:<7} ok      {:>10}", step.name(), fmt_duration(elapsed));
        total += elapsed;
    }
    if let Some((step, elapsed)) = failed {
        eprintln!("  {:<7} FAILED  {:>10}", step.name(), fmt_duration(elapsed));
        total += elapsed;
    }
    eprintln!("  {:<7}         {:>10}", "total", fmt_duration(total));
    match failed {
        None => eprintln!("ci: all {} step(s) passed", done.len()),
        Some((step, _)) => eprintln!(
            "ci: step `{}` failed; rerun it alone with `cargo xtask ci --step {}`",
            step.name(),
            step.name()
        ),
    }
}
