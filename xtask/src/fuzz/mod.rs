//! `cargo xtask fuzz`: every fuzz target of `fuzz/` (a cargo-fuzz project: the parsers of
//! server data) for a bounded time each, then a table of executions, executions per second,
//! corpus size and crashes.
//!
//! It drives `cargo fuzz` (cargo-fuzz, `cargo install cargo-fuzz --locked`) on the stable
//! toolchain: `--sanitizer none` needs no nightly flag, and `--debug-assertions` keeps
//! overflow checks on. The corpus of each target grows in `fuzz/corpus/<target>` (not in
//! git) from the committed seeds in `fuzz/seeds/<target>` (with the libFuzzer dictionary
//! `fuzz/dicts/<target>.dict` where there is one); findings land in
//! `fuzz/artifacts/<target>` and libFuzzer's output in `fuzz/logs/<target>.log`. It fails
//! when a target finds a crash (or cannot run).

mod stats;

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use crate::run::{cargo, workspace_root};

use self::stats::{RunStats, findings};

/// The flags of every `cargo fuzz` build and run: no sanitizer (stable toolchain), debug
/// assertions (overflow checks) on.
const FUZZ_FLAGS: [&str; 3] = ["--sanitizer", "none", "--debug-assertions"];

/// Command line of `cargo xtask fuzz`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Seconds each target runs.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    seconds: u64,
    /// Run only this target (repeatable); default: every target in `fuzz/fuzz_targets`.
    #[arg(long = "target", value_name = "NAME")]
    targets: Vec<String>,
}

/// Builds the targets, runs each for `args.seconds`, prints the table; see the module docs.
pub(crate) fn run(args: &Args) -> ExitCode {
    match run_all(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("xtask fuzz: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `Ok(true)` when no target found anything.
fn run_all(args: &Args) -> Result<bool, String> {
    let root = workspace_root();
    let project = root.join("fuzz");
    let targets = select_targets(&project, &args.targets)?;
    require_cargo_fuzz()?;
    println!("xtask fuzz: building {} targets", targets.len());
    let status = cargo_fuzz(&root, "build")
        .args(FUZZ_FLAGS)
        .status()
        .map_err(|e| format!("could not start cargo fuzz build: {e}"))?;
    if !status.success() {
        return Err(format!("cargo fuzz build failed ({status})"));
    }
    let mut clean = true;
    let mut table = Vec::new();
    for target in &targets {
        println!("xtask fuzz: {target} for {} s", args.seconds);
        let outcome = run_target(&root, &project, target, args.seconds)?;
        clean &= outcome.crashes == 0;
        table.push((target.clone(), outcome));
    }
    println!("\nxtask fuzz: {} s per target", args.seconds);
    for (target, outcome) in &table {
        println!("  {target:<18} {outcome}");
    }
    let crashes: usize = table.iter().map(|(_, outcome)| outcome.crashes).sum();
    println!("  {} targets, {crashes} crashes", table.len());
    Ok(clean)
}

/// Runs one target for `seconds`; a failed run without a saved input counts as a crash.
fn run_target(root: &Path, project: &Path, target: &str, seconds: u64) -> Result<RunStats, String> {
    let corpus = project.join("corpus").join(target);
    let artifacts = project.join("artifacts").join(target);
    let logs = project.join("logs");
    for dir in [&corpus, &artifacts, &logs] {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let before = findings(&artifacts);
    let log_path = logs.join(format!("{target}.log"));
    let log = File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let log_err = log
        .try_clone()
        .map_err(|e| format!("cannot share {}: {e}", log_path.display()))?;
    let mut command = cargo_fuzz(root, "run");
    command.args(FUZZ_FLAGS).arg(target).arg(&corpus);
    let seeds = project.join("seeds").join(target);
    if seeds.is_dir() {
        command.arg(&seeds);
    }
    command.arg("--");
    let dict = project.join("dicts").join(format!("{target}.dict"));
    if dict.is_file() {
        command.arg(format!("-dict={}", dict.display()));
    }
    let status = command
        .arg(format!("-max_total_time={seconds}"))
        .args(["-print_final_stats=1", "-timeout=10", "-rss_limit_mb=2048"])
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log_err))
        .status()
        .map_err(|e| format!("could not start cargo fuzz run: {e}"))?;
    let output = fs::read_to_string(&log_path).unwrap_or_default();
    let mut stats = RunStats::default();
    stats.read_final_stats(&output);
    stats.read_corpus(&corpus);
    let new: Vec<String> = findings(&artifacts)
        .into_iter()
        .filter(|name| !before.contains(name))
        .collect();
    stats.crashes = new.len();
    for name in &new {
        eprintln!(
            "xtask fuzz: {target} found {name}; reproduce with `cargo fuzz run {} {target} {}`",
            FUZZ_FLAGS.join(" "),
            artifacts.join(name).display()
        );
    }
    if !status.success() && new.is_empty() {
        eprintln!(
            "xtask fuzz: {target} failed ({status}) without saving an input; see {}",
            log_path.display()
        );
        stats.crashes = stats.crashes.max(1);
    }
    Ok(stats)
}

/// The targets to run: `wanted`, or every `fuzz/fuzz_targets/*.rs`, sorted.
fn select_targets(project: &Path, wanted: &[String]) -> Result<Vec<String>, String> {
    let dir = project.join("fuzz_targets");
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut all: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| PathBuf::from(entry.file_name()))
        .filter(|name| name.extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|name| Some(name.file_stem()?.to_str()?.to_owned()))
        .collect();
    all.sort();
    if wanted.is_empty() {
        return Ok(all);
    }
    match wanted.iter().find(|name| !all.contains(name)) {
        Some(unknown) => Err(format!(
            "no fuzz target {unknown:?}; the targets are {}",
            all.join(", ")
        )),
        None => Ok(wanted.to_vec()),
    }
}

/// Fails with how to install cargo-fuzz when `cargo fuzz` is not there.
fn require_cargo_fuzz() -> Result<(), String> {
    let installed = Command::new(cargo())
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if installed {
        Ok(())
    } else {
        Err(
            "cargo-fuzz is not installed: `cargo install cargo-fuzz --locked` \
             (.ci/run installs it)"
                .to_owned(),
        )
    }
}

/// `cargo fuzz <subcommand>` in the workspace root, where cargo-fuzz finds `fuzz/`.
fn cargo_fuzz(root: &Path, subcommand: &str) -> Command {
    let mut command = Command::new(cargo());
    command.current_dir(root).args(["fuzz", subcommand]);
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_the_fuzz_target_files_and_unknown_names_fail() {
        let project = workspace_root().join("fuzz");
        let all = select_targets(&project, &[]).unwrap();
        for expected in ["hostmap_trust", "link", "mercury_frames", "retry_after"] {
            assert!(all.iter().any(|t| t == expected), "{all:?}");
        }
        let one = select_targets(&project, &["link".to_owned()]).unwrap();
        assert_eq!(one, vec!["link".to_owned()]);
        let error = select_targets(&project, &["nope".to_owned()]).unwrap_err();
        assert!(error.contains("hydra_id"), "{error}");
    }
}
