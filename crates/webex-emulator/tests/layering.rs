//! The emulator's layering, checked on its source: every `crate::` and
//! `super::` path in `src/` (in `use` lines and inline, groups expanded)
//! is resolved to the module it names, and these rules must hold:
//!
//! - `world/` imports only `world`, `kit` and `bus`;
//! - a service (`services/<name>/`) never imports another service, nor the
//!   service registry in `services/mod.rs`, nor `control` or `server`;
//! - `bus/` imports only `bus` and `kit`; `kit/` imports only `kit`;
//! - `views/` imports only `views`, `world`, `kit` and `bus`;
//! - `app.rs` imports only `app`, `views`, `world`, `kit` and `bus`;
//! - `fixtures/` imports only `fixtures`, `world`, `kit` and the Hydra
//!   content URL helper (`services::hydra::contents`), and only `control`,
//!   `server` and the crate root (`lib.rs`) import `fixtures`.
//!
//! The checker itself is tested on small in-memory sources, so a rule that
//! stopped catching violations would fail here too.

use std::fs;
use std::path::{Path, PathBuf};

/// One source file: its module path (`["services", "wdm"]` for
/// `src/services/wdm/mod.rs`) and its text.
struct Source {
    module: Vec<String>,
    text: String,
}

/// A broken rule: which file, which path, and why.
#[derive(Debug, PartialEq, Eq)]
struct Violation {
    file: String,
    target: String,
    rule: &'static str,
}

/// The module path of a file under `src/`.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if !matches!(stem, "mod" | "lib" | "main") {
            parts.push(stem.to_owned());
        }
    }
    parts
}

/// Whether `c` can be part of an identifier.
fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Parses a use tree starting at `chars[*at]` (after a `::`): a segment
/// followed by more, or a `{...}` group. Appends every full path to `out`.
fn parse_tree(chars: &[char], at: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
    skip_space(chars, at);
    if chars.get(*at) == Some(&'{') {
        *at += 1;
        loop {
            skip_space(chars, at);
            match chars.get(*at) {
                None => return,
                Some('}') => {
                    *at += 1;
                    return;
                }
                Some(',') => *at += 1,
                Some(_) => {
                    let before = *at;
                    parse_tree(chars, at, prefix, out);
                    if *at == before {
                        // Not a path (e.g. `*` or `self as x`): skip a char.
                        *at += 1;
                    }
                }
            }
        }
    }
    let start = *at;
    while chars.get(*at).is_some_and(|c| ident_char(*c)) {
        *at += 1;
    }
    if *at == start {
        if !prefix.is_empty() {
            out.push(prefix.to_vec());
        }
        return;
    }
    let mut path = prefix.to_vec();
    path.push(chars[start..*at].iter().collect());
    if chars.get(*at) == Some(&':') && chars.get(*at + 1) == Some(&':') {
        *at += 2;
        parse_tree(chars, at, &path, out);
    } else {
        out.push(path);
    }
}

fn skip_space(chars: &[char], at: &mut usize) {
    while chars.get(*at).is_some_and(|c| c.is_whitespace()) {
        *at += 1;
    }
}

/// Every `crate::`/`super::`/`self::` path of `source`, resolved to an
/// absolute module path, from the inline module (`mod tests { ... }`) it
/// stands in. Comment lines are skipped.
fn paths_of(source: &Source) -> Vec<Vec<String>> {
    let code: String = source
        .text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    // Inline modules entered, with the brace depth inside each.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut at = 0;
    while at < chars.len() {
        let starts_word = at == 0 || !ident_char(chars[at - 1]) && chars[at - 1] != ':';
        let rest: String = chars[at..chars.len().min(at + 7)].iter().collect();
        let root = ["crate::", "super::", "self::"]
            .into_iter()
            .find(|root| rest.starts_with(root));
        if let (true, Some(root)) = (starts_word, root) {
            let mut raw = Vec::new();
            let keyword = root.trim_end_matches(':').to_owned();
            at += root.len();
            parse_tree(&chars, &mut at, &[keyword], &mut raw);
            let mut module = source.module.clone();
            module.extend(inline.iter().map(|(name, _)| name.clone()));
            found.extend(raw.into_iter().map(|path| resolve(&module, &path)));
            continue;
        }
        if starts_word && rest.starts_with("mod ") {
            let mut end = at + 4;
            skip_space(&chars, &mut end);
            let name_start = end;
            while chars.get(end).is_some_and(|c| ident_char(*c)) {
                end += 1;
            }
            let name: String = chars[name_start..end].iter().collect();
            skip_space(&chars, &mut end);
            if !name.is_empty() && chars.get(end) == Some(&'{') {
                depth += 1;
                inline.push((name, depth));
                at = end + 1;
                continue;
            }
        }
        match chars[at] {
            '{' => depth += 1,
            '}' => {
                if inline.last().is_some_and(|(_, inner)| *inner == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        at += 1;
    }
    found
}

/// Turns a path starting with `crate`, `super` or `self` into an absolute
/// one, as seen from `module`.
fn resolve(module: &[String], path: &[String]) -> Vec<String> {
    let mut base: Vec<String> = match path.first().map(String::as_str) {
        Some("crate") => Vec::new(),
        _ => module.to_vec(),
    };
    let mut rest = path.iter().skip(1).peekable();
    if path.first().map(String::as_str) == Some("super") {
        base.pop();
    }
    while rest.peek().map(|s| s.as_str()) == Some("super") {
        base.pop();
        rest.next();
    }
    base.extend(rest.filter(|s| s.as_str() != "self").cloned());
    base
}

/// The one module of a service that `fixtures/` may use: how Hydra spells
/// a file's URL.
const HYDRA_CONTENTS: [&str; 3] = ["services", "hydra", "contents"];

/// The rules, applied to every path of every source.
fn check(sources: &[Source]) -> Vec<Violation> {
    let mut violations = Vec::new();
    for source in sources {
        let own = source.module.first().map(String::as_str).unwrap_or("");
        for target in paths_of(source) {
            let top = target.first().map(String::as_str).unwrap_or("");
            let rule = match own {
                "world" if !matches!(top, "world" | "kit" | "bus") => {
                    Some("world imports only world, kit and bus")
                }
                "bus" if !matches!(top, "bus" | "kit") => Some("bus imports only bus and kit"),
                "kit" if top != "kit" => Some("kit imports only kit"),
                "views" if !matches!(top, "views" | "world" | "kit" | "bus") => {
                    Some("views import only views, world, kit and bus")
                }
                "app" if !matches!(top, "app" | "views" | "world" | "kit" | "bus") => {
                    Some("app imports only app, views, world, kit and bus")
                }
                "fixtures"
                    if !matches!(top, "fixtures" | "world" | "kit")
                        && !target.starts_with(&HYDRA_CONTENTS.map(str::to_owned)) =>
                {
                    Some(
                        "fixtures import only fixtures, world, kit and the Hydra content URL helper",
                    )
                }
                _ if top == "fixtures"
                    && !matches!(own, "fixtures" | "control" | "server" | "") =>
                {
                    Some("only control, server and the crate root import fixtures")
                }
                "services" if matches!(top, "control" | "server") => {
                    Some("a service never imports control or the server")
                }
                "services" if top == "services" && source.module.len() >= 2 => {
                    let service = &source.module[1];
                    match target.get(1) {
                        Some(other) if other == service => None,
                        Some(_) => Some("a service never imports another service"),
                        None => Some("a service never imports the service registry"),
                    }
                }
                _ => None,
            };
            if let Some(rule) = rule {
                violations.push(Violation {
                    file: source.module.join("/"),
                    target: target.join("::"),
                    rule,
                });
            }
        }
    }
    violations
}

/// Every `.rs` file under `dir`, with its path relative to `root`.
fn read_sources(root: &Path, dir: &Path, out: &mut Vec<Source>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_sources(root, &path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let relative = path.strip_prefix(root).expect("under src");
            out.push(Source {
                module: module_of(relative),
                text: fs::read_to_string(&path).expect("readable source"),
            });
        }
    }
}

#[test]
fn the_emulator_keeps_its_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = Vec::new();
    read_sources(&root, &root, &mut sources);
    assert!(
        sources.iter().any(|s| s.module == ["world"]) && sources.len() > 40,
        "the source tree was not found"
    );
    let violations = check(&sources);
    assert!(violations.is_empty(), "layering broken: {violations:#?}");
}

fn source(file: &str, text: &str) -> Source {
    Source {
        module: module_of(Path::new(file)),
        text: text.to_owned(),
    }
}

#[test]
fn modules_are_named_after_their_files() {
    assert_eq!(module_of(Path::new("world/mod.rs")), ["world"]);
    assert_eq!(module_of(Path::new("world/rooms.rs")), ["world", "rooms"]);
    assert_eq!(
        module_of(Path::new("services/hydra/webhooks/mod.rs")),
        ["services", "hydra", "webhooks"]
    );
    assert!(module_of(Path::new("lib.rs")).is_empty());
}

#[test]
fn paths_are_found_and_resolved() {
    let file = source(
        "services/hydra/rooms.rs",
        "use crate::{kit::{lock, error::ApiError}, world::Data};\n\
         use super::super::wdm::SPEC;\n\
         use self::x::Y;\n\
         // use crate::app::AppState; (a comment)\n\
         fn f() { let _ = crate::bus::Bus::default(); let _ = other::crate_like::x; }\n",
    );
    let found: Vec<String> = paths_of(&file).iter().map(|p| p.join("::")).collect();
    assert_eq!(
        found,
        [
            "kit::lock",
            "kit::error::ApiError",
            "world::Data",
            "services::wdm::SPEC",
            "services::hydra::rooms::x::Y",
            "bus::Bus::default",
        ]
    );
}

#[test]
fn inline_modules_shift_super() {
    let file = source(
        "bus/mod.rs",
        "fn f() { if x { y } }\nmod tests {\n    use super::*;\n    fn g() { {} }\n}\nuse super::kit::lock;\n",
    );
    let found: Vec<String> = paths_of(&file).iter().map(|p| p.join("::")).collect();
    assert_eq!(found, ["bus", "kit::lock"]);
}

#[test]
fn violations_are_caught() {
    let sources = [
        source("world/rooms.rs", "use crate::services::hydra::SPEC;"),
        source("world/mod.rs", "fn f() { super::app::drain(); }"),
        source(
            "world/people.rs",
            "use crate::{kit::lock, control::Control};",
        ),
        source("services/wdm/mod.rs", "use crate::services::mercury::Hub;"),
        source("services/hydra/rooms.rs", "use super::super::u2c::SPEC;"),
        source("services/u2c/mod.rs", "use crate::services::registry;"),
        source("kit/auth.rs", "use crate::world::Data;"),
        source("bus/mod.rs", "use crate::world::Data;"),
        source("views/catalog.rs", "use crate::services::u2c;"),
        source("app.rs", "use crate::services::mercury::Hub;"),
        source("services/metrics/mod.rs", "use crate::control::Control;"),
        source("fixtures/load.rs", "use crate::services::hydra::rooms;"),
        source(
            "fixtures/apply.rs",
            "fn f() { crate::control::Control::new(); }",
        ),
        source("world/people.rs", "use crate::fixtures::Fixtures;"),
        source(
            "views/message.rs",
            "use crate::fixtures::format::FixtureMessage;",
        ),
    ];
    let caught: Vec<(String, String)> = check(&sources)
        .into_iter()
        .map(|v| (v.file, v.target))
        .collect();
    let expected = [
        ("world/rooms", "services::hydra::SPEC"),
        ("world", "app::drain"),
        ("world/people", "control::Control"),
        ("services/wdm", "services::mercury::Hub"),
        ("services/hydra/rooms", "services::u2c::SPEC"),
        ("services/u2c", "services::registry"),
        ("kit/auth", "world::Data"),
        ("bus", "world::Data"),
        ("views/catalog", "services::u2c"),
        ("app", "services::mercury::Hub"),
        ("services/metrics", "control::Control"),
        ("fixtures/load", "services::hydra::rooms"),
        ("fixtures/apply", "control::Control::new"),
        ("world/people", "fixtures::Fixtures"),
        ("views/message", "fixtures::format::FixtureMessage"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, t)| ((*f).to_owned(), (*t).to_owned()))
        .collect();
    assert_eq!(caught, expected);
}

#[test]
fn allowed_imports_pass() {
    let sources = [
        source(
            "world/rooms.rs",
            "use super::Data;\nuse crate::bus::Event;\nuse crate::kit::ids;",
        ),
        source(
            "services/hydra/webhooks/render.rs",
            "use crate::services::hydra::rooms::room_json;\nuse crate::views::message_json;\n\
             use crate::world::Data;\nuse crate::app::AppState;",
        ),
        source(
            "services/mercury/socket.rs",
            "use super::hub::Hub;\nuse crate::kit::auth;",
        ),
        source(
            "control/mod.rs",
            "use crate::services::hydra::webhooks::delivery::Deliveries;",
        ),
        source("server.rs", "use crate::services::{self, hydra, u2c};"),
        source(
            "fixtures/load.rs",
            "use super::format::FixturePerson;\nuse crate::world::Data;\n\
             use crate::kit::ids;\nuse crate::services::hydra::contents::url;",
        ),
        source("control/state.rs", "use crate::fixtures::{self, Fixtures};"),
        source("server.rs", "use crate::fixtures::error::FixturesError;"),
        source("lib.rs", "pub use crate::fixtures::Fixtures;"),
    ];
    assert_eq!(check(&sources), []);
}
