//! The suites' summary files and the final report.
//!
//! A suite writes one line per group of checks, the last one `total`:
//!
//! ```text
//! rooms checks=6 passed=5 failed=0 known_gaps=1 fixed_gaps=0
//! total checks=40 passed=35 failed=0 known_gaps=5 fixed_gaps=0
//! ```
//!
//! `passed` includes `fixed_gaps` (listed as known gaps but passing now).
//!
//! A suite may add measurements, one per line anywhere in the file, which
//! the report prints as they are:
//!
//! ```text
//! measure create-to-joined 61.2 ms
//! ```

use std::path::Path;
use std::process::ExitStatus;
use std::time::Duration;

use crate::run::fmt_duration;

/// The counts of one group of checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts {
    /// Checks run.
    checks: u32,
    /// Checks that passed (including fixed gaps).
    passed: u32,
    /// Checks that failed and are not known gaps.
    failed: u32,
    /// Known gaps that failed as expected.
    known_gaps: u32,
    /// Known gaps that passed.
    fixed_gaps: u32,
}

impl Counts {
    /// Parse a summary file: `(group, counts)` per line, in order, `total`
    /// last; and the `measure` lines as `(name, value)`.
    pub(super) fn parse_summary(text: &str) -> Result<Summary, String> {
        let mut summary = Summary::default();
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            match line.trim().strip_prefix("measure ") {
                Some(measure) => {
                    let (name, value) = measure.trim().split_once(' ').unwrap_or((measure, ""));
                    summary
                        .measures
                        .push((name.to_owned(), value.trim().to_owned()));
                }
                None => summary.groups.push(Counts::parse_line(line)?),
            }
        }
        match summary.groups.last() {
            Some((group, _)) if group == "total" => Ok(summary),
            _ => Err("no `total` line at the end".to_owned()),
        }
    }

    /// `group checks=N passed=N failed=N known_gaps=N fixed_gaps=N`; the
    /// group name may contain spaces.
    fn parse_line(line: &str) -> Result<(String, Counts), String> {
        let mut counts = Counts::default();
        let mut name = Vec::new();
        for word in line.split_whitespace() {
            let Some((key, value)) = word.split_once('=') else {
                name.push(word);
                continue;
            };
            let value: u32 = value
                .parse()
                .map_err(|_| format!("bad number in {word:?} in {line:?}"))?;
            match key {
                "checks" => counts.checks = value,
                "passed" => counts.passed = value,
                "failed" => counts.failed = value,
                "known_gaps" => counts.known_gaps = value,
                "fixed_gaps" => counts.fixed_gaps = value,
                _ => return Err(format!("unknown key {key:?} in {line:?}")),
            }
        }
        if name.is_empty() {
            return Err(format!("no group name in {line:?}"));
        }
        Ok((name.join(" "), counts))
    }

    /// `12 passed, 0 failed, 1 known gap`, plus the fixed gaps if any.
    fn describe(self) -> String {
        let mut text = format!(
            "{} passed, {} failed, {} known gap{}",
            self.passed,
            self.failed,
            self.known_gaps,
            if self.known_gaps == 1 { "" } else { "s" }
        );
        if self.fixed_gaps > 0 {
            text.push_str(&format!(
                " ({} listed gap{} now pass: update interop/known-gaps.txt)",
                self.fixed_gaps,
                if self.fixed_gaps == 1 { "" } else { "s" }
            ));
        }
        text
    }
}

/// What a suite's summary file says.
#[derive(Debug, Default)]
pub(super) struct Summary {
    /// Counts per group, `total` last.
    pub(super) groups: Vec<(String, Counts)>,
    /// Measurements, `(name, value with unit)`, in order.
    pub(super) measures: Vec<(String, String)>,
}

/// How one suite went.
#[derive(Debug)]
pub(super) struct SuiteReport {
    /// `python` or `node`.
    name: &'static str,
    /// The suite's counts per group, `total` last; empty if it never reported.
    groups: Vec<(String, Counts)>,
    /// The suite's measurements, `(name, value)`.
    measures: Vec<(String, String)>,
    /// Why the suite failed beyond its counts (setup, crash, exit status).
    error: Option<String>,
    /// Setup plus run time.
    elapsed: Duration,
}

impl SuiteReport {
    /// A suite that could not run, or did not report.
    pub(super) fn broken(name: &'static str, error: String, elapsed: Duration) -> SuiteReport {
        SuiteReport {
            name,
            groups: Vec::new(),
            measures: Vec::new(),
            error: Some(error),
            elapsed,
        }
    }

    /// A suite that ran to its end and reported `summary`.
    pub(super) fn finished(
        name: &'static str,
        status: ExitStatus,
        summary: Summary,
        elapsed: Duration,
    ) -> SuiteReport {
        let mut report = SuiteReport {
            name,
            groups: summary.groups,
            measures: summary.measures,
            error: None,
            elapsed,
        };
        let total = report.total();
        if total.checks == 0 {
            report.error = Some("ran no checks".to_owned());
        } else if !status.success() && total.failed == 0 {
            report.error = Some(format!("{status} although no check failed"));
        }
        report
    }

    /// The suite's `total` line (zero if it never reported).
    fn total(&self) -> Counts {
        self.groups
            .last()
            .map_or_else(Counts::default, |(_, counts)| *counts)
    }

    /// Whether the suite passed: it reported, and no check failed.
    pub(super) fn ok(&self) -> bool {
        self.error.is_none() && self.total().failed == 0
    }
}

/// Print every suite's counts per group, then the overall line.
pub(super) fn print(reports: &[SuiteReport], elapsed: Duration, emulator_log: &Path) {
    eprintln!("\ninterop summary:");
    let mut all = Counts::default();
    for report in reports {
        let total = report.total();
        let verdict = if report.ok() { "ok" } else { "FAILED" };
        eprintln!(
            "  {:<7} {:<7} {} checks: {} ({})",
            report.name,
            verdict,
            total.checks,
            total.describe(),
            fmt_duration(report.elapsed)
        );
        for (group, counts) in &report.groups {
            if group != "total" {
                eprintln!(
                    "            {:<20} {:>3} checks: {}",
                    group,
                    counts.checks,
                    counts.describe()
                );
            }
        }
        for (measure, value) in &report.measures {
            eprintln!("            {measure:<20} {value}");
        }
        if let Some(error) = &report.error {
            eprintln!("            error: {error}");
        }
        all.checks += total.checks;
        all.passed += total.passed;
        all.failed += total.failed;
        all.known_gaps += total.known_gaps;
        all.fixed_gaps += total.fixed_gaps;
    }
    let failed_suites = reports.iter().filter(|report| !report.ok()).count();
    if failed_suites > 0 {
        eprintln!("  emulator log: {}", emulator_log.display());
    }
    eprintln!(
        "  total   {} checks in {} suite(s), {}",
        all.checks,
        reports.len(),
        fmt_duration(elapsed)
    );
    if all.known_gaps > 0 {
        eprintln!(
            "interop: {} known gap(s) listed in interop/known-gaps.txt (emulator gaps or disagreements)",
            all.known_gaps
        );
    }
    if failed_suites > 0 {
        eprintln!("interop: {failed_suites} suite(s) FAILED");
    }
    // The plain closing line CI reads.
    println!("interop: {} passed, {} failed", all.passed, all.failed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_are_kept_and_total_must_end_the_counts() {
        let text = "meetings checks=2 passed=2 failed=0 known_gaps=0 fixed_gaps=0\n\
                    total checks=2 passed=2 failed=0 known_gaps=0 fixed_gaps=0\n\
                    measure create-to-joined 61.2 ms (create 3.1 ms)\n";
        let summary = Counts::parse_summary(text).unwrap();
        assert_eq!(summary.groups.len(), 2);
        assert_eq!(
            summary.measures,
            [(
                "create-to-joined".to_owned(),
                "61.2 ms (create 3.1 ms)".to_owned()
            )]
        );
        assert!(Counts::parse_summary("measure x 1 ms\n").is_err());
        assert!(Counts::parse_summary("a checks=1\ntotal checks=1\nb checks=1\n").is_err());
    }
}
