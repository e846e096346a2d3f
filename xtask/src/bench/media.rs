//! `cargo xtask bench media`: our media clients against the emulator's media server.
//!
//! Builds `crates/webex-media/examples/bench_media.rs` in release and runs it; it measures
//! join → first audio packet, CPU per two-way audio client and how many such clients one
//! client thread (one core) sustains without loss, and prints a Markdown report, written
//! here to `<target>/bench/media.md`. It fails when the example fails or misses a target
//! (first audio ≤ 300 ms, ≥ 100 clients per core). `WEBEX_BENCH_MEDIA_SIZES` (e.g.
//! `10,50`) sets the client counts tried, for a quick run.

use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use super::publish;
use crate::interop::emulator::{Profile, profile_dir};
use crate::run::{cargo, fmt_duration, workspace_root};

/// Run the bench; see the module docs.
pub(super) fn run() -> ExitCode {
    let start = Instant::now();
    match bench() {
        Ok(passed) => {
            eprintln!("bench media: took {}", fmt_duration(start.elapsed()));
            if passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("bench media: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Build, run, publish. `Ok(false)` when a target was missed.
fn bench() -> Result<bool, String> {
    let root = workspace_root();
    eprintln!("\n==> bench media: build the example (release)");
    let status = Command::new(cargo())
        .args([
            "build",
            "--release",
            "-p",
            "webex-media",
            "--example",
            "bench_media",
        ])
        .current_dir(&root)
        .status()
        .map_err(|error| format!("could not run cargo: {error}"))?;
    if !status.success() {
        return Err(format!("the build failed ({status})"));
    }
    let example = profile_dir(&root, Profile::Release)?
        .join("examples")
        .join(format!("bench_media{}", std::env::consts::EXE_SUFFIX));
    eprintln!("\n==> bench media: run {}", example.display());
    let output = Command::new(&example)
        .current_dir(&root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("could not run {}: {error}", example.display()))?;
    let report = String::from_utf8_lossy(&output.stdout);
    if report.trim().is_empty() {
        return Err(format!("the example printed no report ({})", output.status));
    }
    publish(&root, "media", &report)?;
    Ok(output.status.success())
}
