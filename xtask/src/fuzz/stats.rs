//! What one bounded libFuzzer run did, read from its `-print_final_stats=1` lines and the
//! corpus and artifact directories.

use std::fmt;
use std::path::Path;

/// The numbers `cargo xtask fuzz` reports for one target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RunStats {
    /// Inputs executed (`stat::number_of_executed_units`).
    pub(crate) executions: u64,
    /// Average executions per second (`stat::average_exec_per_sec`).
    pub(crate) per_second: u64,
    /// Inputs in the target's corpus after the run.
    pub(crate) corpus_files: usize,
    /// Their total size in bytes.
    pub(crate) corpus_bytes: u64,
    /// Inputs libFuzzer saved as crashes, leaks, timeouts or out-of-memory during the run.
    pub(crate) crashes: usize,
    /// Peak resident memory (`stat::peak_rss_mb`).
    pub(crate) peak_rss_mb: u64,
}

impl RunStats {
    /// Reads the `stat::NAME: VALUE` lines of libFuzzer's output into `self`.
    pub(crate) fn read_final_stats(&mut self, output: &str) {
        for line in output.lines() {
            let Some((name, value)) = line.strip_prefix("stat::").and_then(|l| l.split_once(':'))
            else {
                continue;
            };
            let Ok(value) = value.trim().parse::<u64>() else {
                continue;
            };
            match name {
                "number_of_executed_units" => self.executions = value,
                "average_exec_per_sec" => self.per_second = value,
                "peak_rss_mb" => self.peak_rss_mb = value,
                _ => {}
            }
        }
    }

    /// Counts the files in `corpus` and their bytes into `self`.
    pub(crate) fn read_corpus(&mut self, corpus: &Path) {
        let (files, bytes) = files_in(corpus)
            .iter()
            .fold((0, 0), |(files, bytes), (_, size)| {
                (files + 1, bytes + size)
            });
        self.corpus_files = files;
        self.corpus_bytes = bytes;
    }
}

impl fmt::Display for RunStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:>12} execs {:>9} exec/s  corpus {:>5} files {:>9} B  peak {:>5} MB  crashes {}",
            self.executions,
            self.per_second,
            self.corpus_files,
            self.corpus_bytes,
            self.peak_rss_mb,
            self.crashes
        )
    }
}

/// The names of the crash, leak, timeout and out-of-memory inputs libFuzzer left in `dir`.
pub(crate) fn findings(dir: &Path) -> Vec<String> {
    files_in(dir)
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| {
            ["crash-", "leak-", "timeout-", "oom-", "slow-unit-"]
                .iter()
                .any(|prefix| name.starts_with(prefix))
        })
        .collect()
}

/// The regular files of `dir` (none if it does not exist), with their sizes.
fn files_in(dir: &Path) -> Vec<(String, u64)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let meta = entry.metadata().ok().filter(std::fs::Metadata::is_file)?;
            Some((entry.file_name().to_string_lossy().into_owned(), meta.len()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_stats_are_read_and_other_lines_ignored() {
        let output = "#2 INITED cov: 10 ft: 10 corp: 1/1b\n\
            stat::number_of_executed_units: 855703\n\
            stat::average_exec_per_sec:     77791\n\
            stat::new_units_added:          120\n\
            stat::peak_rss_mb:              56\n\
            stat::broken: x\n";
        let mut stats = RunStats::default();
        stats.read_final_stats(output);
        assert_eq!(stats.executions, 855_703);
        assert_eq!(stats.per_second, 77_791);
        assert_eq!(stats.peak_rss_mb, 56);
    }

    #[test]
    fn corpus_and_findings_are_counted_from_the_directories() {
        let dir = std::env::temp_dir().join(format!("xtask-fuzz-stats-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("crash-1234"), b"abc").unwrap();
        std::fs::write(dir.join("0a1b"), b"hello").unwrap();
        let mut stats = RunStats::default();
        stats.read_corpus(&dir);
        assert_eq!((stats.corpus_files, stats.corpus_bytes), (2, 8));
        assert_eq!(findings(&dir), vec!["crash-1234".to_owned()]);
        assert!(findings(&dir.join("absent")).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
