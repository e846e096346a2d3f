//! The repository stands on its own: no file in it may point at the background notes that
//! some developers keep in a directory beside their clone. Users of the crates never have
//! those notes; the protocol facts the code relies on belong in `docs/protocol/`, in the
//! project's own words, and comments point there.
//!
//! The test walks every text file of the repository (source, docs, scripts, CI and config
//! files; build output and installed packages excluded) and fails with the list of offending
//! lines.

use std::fs;
use std::path::{Path, PathBuf};

/// Directories never searched: version control, build output, installed packages.
const SKIPPED_DIRS: &[&str] = &[".git", "target", "node_modules", ".venv", "__pycache__"];

/// Hidden directories that belong to the repository and are searched.
const SEARCHED_HIDDEN_DIRS: &[&str] = &[".ci", ".cargo", ".github", ".config"];

/// What a reference to the outside notes looks like: their directories, the ways to reach
/// them from the clone, and the names of the note files. Built from pieces, so that this file
/// does not match itself.
fn forbidden() -> Vec<String> {
    let notes = "shared";
    let mut patterns: Vec<String> = ["protocol", "design", "research", "seed", "hooks"]
        .iter()
        .map(|dir| format!("{notes}/{dir}"))
        .collect();
    patterns.push(format!("../{notes}"));
    patterns.push(format!("/work/{notes}"));
    for name in [
        ["build", "-notes"],
        ["real", "-clients.md"],
        ["style", "-anchors.md"],
        ["emulator", "-layout.md"],
        ["core", ".md"],
        ["peers", ".md"],
        ["webex-js-sdk", "-api-docs.txt"],
    ] {
        patterns.push(name.concat());
    }
    patterns
}

/// Whether `c` can continue a name, so that a match inside a longer name does not count
/// (`webex-core.md` names another file).
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// The patterns `line` contains as whole names.
fn references<'a>(line: &str, patterns: &'a [String]) -> Vec<&'a str> {
    patterns
        .iter()
        .filter(|pattern| {
            line.match_indices(pattern.as_str()).any(|(at, _)| {
                let before = line[..at].chars().next_back();
                let after = line[at + pattern.len()..].chars().next();
                let starts_name = pattern.starts_with(is_name_char);
                let ends_name = pattern.ends_with(|c: char| c.is_alphanumeric());
                let glued_before = starts_name && before.is_some_and(is_name_char);
                let glued_after =
                    ends_name && after.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !(glued_before || glued_after)
            })
        })
        .map(String::as_str)
        .collect()
}

/// Every file under `dir` worth searching, in a stable order.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut entries: Vec<_> = entries
        .map(|entry| entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())))
        .collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let kind = entry
            .file_type()
            .unwrap_or_else(|e| panic!("cannot stat {}: {e}", path.display()));
        if kind.is_dir() {
            let hidden = name.starts_with('.') && !SEARCHED_HIDDEN_DIRS.contains(&name.as_ref());
            if !hidden && !SKIPPED_DIRS.contains(&name.as_ref()) {
                files_under(&path, out);
            }
        } else if kind.is_file() {
            out.push(path);
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the repository root")
        .to_path_buf()
}

#[test]
fn no_file_references_the_outside_notes() {
    let root = repo_root();
    let patterns = forbidden();
    let mut files = Vec::new();
    files_under(&root, &mut files);
    let mut searched = 0;
    let mut found = Vec::new();
    for path in &files {
        // Binary files (images, archives) are not text and cannot hold a reference.
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        searched += 1;
        let shown = path.strip_prefix(&root).unwrap_or(path).display();
        for (number, line) in text.lines().enumerate() {
            for pattern in references(line, &patterns) {
                found.push(format!(
                    "{shown}:{}: `{pattern}` in: {}",
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    // Guard against a walk that silently found nothing (a wrong root, say).
    for must in ["README.md", "ARCHITECTURE.md", "Cargo.toml"] {
        assert!(
            files.contains(&root.join(must)),
            "the walk from {} missed {must}",
            root.display()
        );
    }
    assert!(searched > 50, "only {searched} text files searched");
    assert!(
        found.is_empty(),
        "{} line(s) point at notes outside the repository, which users of the crates never \
         have. Put the fact into docs/protocol/ (or docs/) in the project's own words and \
         point there instead:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_matcher_finds_references_and_ignores_longer_names() {
    let patterns = forbidden();
    let notes = "shared";
    let hits = |line: &str| references(line, &patterns);
    assert_eq!(
        hits(&format!("see `{notes}/protocol/x.md` §4")),
        [format!("{notes}/protocol")]
    );
    assert_eq!(
        hits(&format!("in `../{notes}/design/a.md`")),
        [format!("{notes}/design"), format!("../{notes}")]
    );
    assert_eq!(hits(&format!("(core{}md §4.7)", '.')).len(), 1);
    assert!(hits("wasm-bindgen-shared = 1").is_empty());
    assert!(hits("the shared HTTP client").is_empty());
    assert!(hits("see docs/webex-core.md and score.md").is_empty());
    assert!(hits(&format!("{notes}/protocols are not the notes")).is_empty());
}
