//! The folders of `src/` are layers (ARCHITECTURE.md, "What may not depend on what"):
//!
//! ```text
//! base ← scenario ← rules ← engine ← report ← tools ← cli, app
//! ```
//!
//! A module uses its own folder and the folders to its left, never one to its right, and
//! the CLI and the app never use each other. This test reads every `crate::` path of
//! `src/` (`use` lines, groups `crate::{a, b}` and paths in code) and every `super::`
//! that climbs out of a folder, and names the file and line of each path that breaks the
//! order. Comments and strings are not code and are not read.
//!
//! It also keeps functions short: none over [`MAX_FN_LINES`] lines in the folders listed
//! in [`SHORT_FUNCTIONS`].

use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first. Folders of one rank may not use each other.
const LAYERS: &[(&str, u32)] = &[
    ("base", 0),
    ("scenario", 1),
    ("rules", 2),
    ("engine", 3),
    ("report", 4),
    ("tools", 5),
    ("cli", 6),
    ("app", 6),
];

/// The order, for messages.
const ORDER: &str = "base ← scenario ← rules ← engine ← report ← tools ← cli, app";

/// Paths that break the order today and are being removed by the engineers who own those
/// folders (scenario's parser, the app). Entries: (file, the folder it may not use).
/// Only violations inside `src/scenario/` or `src/app/` may be listed here.
const KNOWN: &[(&str, &str)] = &[];

/// The longest function allowed, in lines from `fn` to its closing brace.
const MAX_FN_LINES: usize = 120;

/// The folders whose functions are kept under [`MAX_FN_LINES`].
const SHORT_FUNCTIONS: &[&str] = &["base", "rules", "engine", "report", "tools", "cli"];

/// Files of those folders not checked yet, because another change reshapes them now.
const LONG_FUNCTIONS_KNOWN: &[&str] = &[];

fn rank(folder: &str) -> Option<u32> {
    LAYERS.iter().find(|(f, _)| *f == folder).map(|(_, r)| *r)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Path,
    Open,
    Close,
    Comma,
    Semi,
    Dollar,
    Other,
}

/// The code's tokens with their line numbers (1-based); comments, strings and character
/// literals are skipped, lifetimes kept as identifiers.
fn tokens(text: &str) -> Vec<(Tok, usize)> {
    let s: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let newlines = |from: usize, to: usize| s[from..to].iter().filter(|c| **c == '\n').count();
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let start = i;
            let mut depth = 0;
            while i < s.len() {
                if s[i] == '/' && s.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if s[i] == '*' && s.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line += newlines(start, i);
        } else if c == 'r' && (next == Some('"') || (next == Some('#') && raw_string_at(&s, i))) {
            // A raw string: r"…", r#"…"#.
            let start = i;
            i += 1;
            let mut hashes = 0;
            while s[i] == '#' {
                hashes += 1;
                i += 1;
            }
            i += 1;
            loop {
                if i >= s.len() {
                    break;
                }
                if s[i] == '"'
                    && s[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|c| **c == '#')
                        .count()
                        == hashes
                {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
            line += newlines(start, i.min(s.len()));
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            let start = i;
            i += if c == 'b' { 2 } else { 1 };
            while i < s.len() && s[i] != '"' {
                i += if s[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            line += newlines(start, i.min(s.len()));
        } else if c == '\'' {
            // A character literal ('a', '\n', '\u{1F600}') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < s.len() && s[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if s.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < s.len() && (s[i].is_alphanumeric() || s[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(s[start..i].iter().collect()), line));
        } else if c == ':' && next == Some(':') {
            out.push((Tok::Path, line));
            i += 2;
        } else {
            out.push((
                match c {
                    '{' => Tok::Open,
                    '}' => Tok::Close,
                    ',' => Tok::Comma,
                    ';' => Tok::Semi,
                    '$' => Tok::Dollar,
                    _ => Tok::Other,
                },
                line,
            ));
            i += 1;
        }
    }
    out
}

fn raw_string_at(s: &[char], i: usize) -> bool {
    let mut j = i + 1;
    while s.get(j) == Some(&'#') {
        j += 1;
    }
    s.get(j) == Some(&'"') && (i == 0 || !(s[i - 1].is_alphanumeric() || s[i - 1] == '_'))
}

fn ident(t: Option<&(Tok, usize)>) -> Option<&str> {
    match t {
        Some((Tok::Ident(s), _)) => Some(s),
        _ => None,
    }
}

/// The first names of the path that starts at `toks[i]`: one name, or every name of a
/// group `{a::x, b}`.
fn heads(toks: &[(Tok, usize)], i: usize) -> Vec<String> {
    match toks.get(i) {
        Some((Tok::Ident(s), _)) => vec![s.clone()],
        Some((Tok::Open, _)) => {
            let mut out = Vec::new();
            let mut depth = 0;
            let mut expect = true;
            for (t, _) in &toks[i..] {
                match t {
                    Tok::Open => {
                        depth += 1;
                        expect = depth == 1;
                    }
                    Tok::Close => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Tok::Comma if depth == 1 => expect = true,
                    Tok::Ident(s) if expect => {
                        if s != "self" {
                            out.push(s.clone());
                        }
                        expect = false;
                    }
                    _ => expect = false,
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The module path of a file: `src/report/lives/passes.rs` → `report::lives::passes`,
/// `src/engine/mod.rs` → `engine`, `src/cli.rs` → `cli`.
fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.trim_start_matches("src/").trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(String::from).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// One path from one layer into another it may not use.
#[derive(Debug, PartialEq)]
struct Violation {
    file: String,
    line: usize,
    from: String,
    to: String,
}

/// Every top-level module the file at `rel` (relative to the crate) names, with its line.
fn uses(rel: &str, text: &str) -> Vec<(String, usize)> {
    let toks = tokens(text);
    let file_module = module_of(rel);
    // Inline modules (`mod tests { … }`) and the brace depth they opened at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let (t, line) = &toks[i];
        let prev = if i > 0 { Some(&toks[i - 1].0) } else { None };
        match t {
            Tok::Open => depth += 1,
            Tok::Close => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            Tok::Ident(s) if s == "mod" => {
                if let (Some(name), Some((Tok::Open, _))) =
                    (ident(toks.get(i + 1)), toks.get(i + 2))
                {
                    inline.push((name.to_string(), depth));
                }
            }
            Tok::Ident(s)
                if s == "crate"
                    && prev != Some(&Tok::Dollar)
                    && prev != Some(&Tok::Path)
                    && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::Path) =>
            {
                for h in heads(&toks, i + 2) {
                    out.push((h, *line));
                }
            }
            Tok::Ident(s)
                if s == "super"
                    && prev != Some(&Tok::Path)
                    && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::Path) =>
            {
                let mut k = 0;
                let mut j = i;
                while ident(toks.get(j)) == Some("super")
                    && toks.get(j + 1).map(|t| &t.0) == Some(&Tok::Path)
                {
                    k += 1;
                    j += 2;
                }
                let mut here = file_module.clone();
                here.extend(inline.iter().map(|(n, _)| n.clone()));
                if k <= here.len() {
                    let lands = &here[..here.len() - k];
                    match lands.first() {
                        Some(folder) => out.push((folder.clone(), *line)),
                        None => {
                            for h in heads(&toks, j) {
                                out.push((h, *line));
                            }
                        }
                    }
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The paths of one file that break the order of [`LAYERS`].
fn violations(rel: &str, text: &str) -> Vec<Violation> {
    let from = module_of(rel)[0].clone();
    let Some(from_rank) = rank(&from) else {
        return vec![Violation {
            file: rel.to_string(),
            line: 1,
            from: from.clone(),
            to: format!("(`{from}` is in no layer: add it to LAYERS and ARCHITECTURE.md)"),
        }];
    };
    uses(rel, text)
        .into_iter()
        .filter(|(to, _)| *to != from)
        .filter(|(to, _)| rank(to).is_none_or(|r| r >= from_rank))
        .map(|(to, line)| Violation {
            file: rel.to_string(),
            line,
            from: from.clone(),
            to,
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The crate's modules: every `.rs` file of `src/` but the crate root and the binaries
/// (`main.rs`, `bin/`), which stand above every layer.
fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .expect("under the crate")
                .to_string_lossy()
                .replace('\\', "/");
            let text = fs::read_to_string(&p).unwrap_or_else(|e| panic!("{rel}: {e}"));
            (rel, text)
        })
        .filter(|(rel, _)| {
            !matches!(rel.as_str(), "src/lib.rs" | "src/main.rs") && !rel.starts_with("src/bin/")
        })
        .collect()
}

#[test]
fn no_layer_uses_a_layer_above_it() {
    let files = sources();
    assert!(
        files.len() > 50,
        "only {} files found under src/",
        files.len()
    );
    let mut found = Vec::new();
    let mut known_seen = Vec::new();
    let mut paths = 0;
    for (rel, text) in &files {
        paths += uses(rel, text).len();
        for v in violations(rel, text) {
            if KNOWN.contains(&(v.file.as_str(), v.to.as_str())) {
                known_seen.push((v.file.clone(), v.to.clone()));
                continue;
            }
            found.push(format!(
                "{}:{}: {} may not use {} (layers, lowest first: {})",
                v.file, v.line, v.from, v.to, ORDER
            ));
        }
    }
    assert!(
        paths > 300,
        "only {paths} crate paths read: is the reader broken?"
    );
    assert!(found.is_empty(), "\n{}\n", found.join("\n"));
    for (file, to) in KNOWN {
        assert!(
            file.starts_with("src/scenario/") || file.starts_with("src/app/"),
            "{file}: only scenario/ and app/ may have known violations"
        );
        // The app is compiled for wasm only, but its files are read here all the same.
        assert!(
            known_seen.iter().any(|(f, t)| f == file && t == to),
            "{file} no longer uses {to}: remove it from KNOWN"
        );
    }
}

#[test]
fn the_reader_finds_paths_that_break_the_order() {
    let text = r#"
//! Uses crate::engine in a comment only.
use crate::base::time::Minute;
use crate::engine::events::Release;
use crate::{scenario::Seat, report::state::State};
const S: &str = "crate::tools::share";
fn f(x: &'static str) -> char { let _ = crate::tools::share::encode(x); 'a' }
pub(crate) fn g() {}
mod tests {
    use super::*;
    use super::super::super::cli;
}
"#;
    let found: Vec<(String, usize)> = violations("src/rules/ledger.rs", text)
        .into_iter()
        .map(|v| (v.to, v.line))
        .collect();
    assert_eq!(
        found,
        vec![
            ("engine".to_string(), 4),
            ("report".to_string(), 5),
            ("tools".to_string(), 7),
            ("cli".to_string(), 11),
        ]
    );
    // `super::` inside a folder stays in it; out of a folder it lands on the crate root.
    assert!(violations(
        "src/report/lives/passes.rs",
        "use super::super::state::State;"
    )
    .is_empty());
    let up = violations("src/engine/mod.rs", "use super::report::state::*;");
    assert_eq!(up.len(), 1);
    assert_eq!((up[0].to.as_str(), up[0].line), ("report", 1));
    // Folders of one rank may not use each other.
    assert_eq!(violations("src/cli.rs", "use crate::app::store;").len(), 1);
    // A folder in no layer is named.
    assert_eq!(violations("src/extra/x.rs", "").len(), 1);
}

/// The functions of the file longer than `max` lines: (name, first line, lines).
fn long_functions(text: &str, max: usize) -> Vec<(String, usize, usize)> {
    let toks = tokens(text);
    let mut out = Vec::new();
    for i in 0..toks.len() {
        if ident(toks.get(i)) != Some("fn") {
            continue;
        }
        let Some(name) = ident(toks.get(i + 1)) else {
            continue;
        };
        let start = toks[i].1;
        // The body: the first `{` before any `;` (a declaration has none).
        let Some(open) = toks[i..]
            .iter()
            .position(|(t, _)| matches!(t, Tok::Open | Tok::Semi))
            .map(|p| i + p)
            .filter(|p| toks[*p].0 == Tok::Open)
        else {
            continue;
        };
        let mut depth = 0;
        for (t, line) in &toks[open..] {
            match t {
                Tok::Open => depth += 1,
                Tok::Close => {
                    depth -= 1;
                    if depth == 0 {
                        let lines = line - start + 1;
                        if lines > max {
                            out.push((name.to_string(), start, lines));
                        }
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn no_function_over_120_lines() {
    let mut found = Vec::new();
    for (rel, text) in sources() {
        let folder = module_of(&rel)[0].clone();
        if !SHORT_FUNCTIONS.contains(&folder.as_str()) {
            continue;
        }
        let long = long_functions(&text, MAX_FN_LINES);
        if LONG_FUNCTIONS_KNOWN.contains(&rel.as_str()) {
            assert!(
                !long.is_empty(),
                "{rel} has no function over {MAX_FN_LINES} lines: remove it from LONG_FUNCTIONS_KNOWN"
            );
            continue;
        }
        for (name, line, lines) in long {
            found.push(format!("{rel}:{line}: fn {name} is {lines} lines"));
        }
    }
    assert!(found.is_empty(), "\n{}\n", found.join("\n"));
    let long = format!(
        "fn long() {{\n{}}}\nfn short() {{}}\n",
        "    x();\n".repeat(130)
    );
    assert_eq!(
        long_functions(&long, MAX_FN_LINES),
        vec![("long".to_string(), 1, 132)]
    );
}
