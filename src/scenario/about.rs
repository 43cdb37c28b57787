//! What the app says about a scenario from its text alone, before any run: its `name`
//! (the title, the status and the download names follow it as it is typed) and its
//! notes, the comments at the top of the file, read as prose (without the `# expect`
//! lines the test suite checks, nor the names of files).

/// One block of the notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    List(Vec<String>),
}

/// A top-level string key of the text (`name`, `description`), read from the lines
/// before the first table; `None` when it is absent or not a one-line string.
pub fn top_string(text: &str, key: &str) -> Option<String> {
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            return None;
        }
        let Some(rest) = t.strip_prefix(key) else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        return string_value(value.trim());
    }
    None
}

/// A TOML basic (`"…"`, with its escapes) or literal (`'…'`) string at the start of `v`.
fn string_value(v: &str) -> Option<String> {
    if let Some(rest) = v.strip_prefix('\'') {
        if rest.starts_with("''") {
            return None;
        }
        return rest.split_once('\'').map(|(s, _)| s.to_string());
    }
    let rest = v.strip_prefix('"')?;
    if rest.starts_with("\"\"") {
        return None;
    }
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// A word that names a file (`tests/examples.rs`, `QUESTIONS.md`, `seeds/….txt`).
fn is_file_name(word: &str) -> bool {
    let w = word.trim_matches(|c: char| {
        !(c.is_alphanumeric() || c == '/' || c == '.' || c == '-' || c == '_')
    });
    matches!(w.rsplit_once('.'), Some((stem, "md" | "rs" | "txt" | "toml" | "json" | "csv")) if !stem.is_empty())
}

/// The text without the parts of parentheses that name files; a parenthesis left empty
/// goes, with the space before it.
fn without_file_names(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(len) = rest[open..].find(')') else {
            break;
        };
        let inner = &rest[open + 1..open + len];
        let kept: Vec<String> = inner
            .split(';')
            .map(|part| {
                part.split(',')
                    .filter(|p| !p.split_whitespace().any(is_file_name))
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .filter(|p| !p.is_empty())
            .collect();
        out.push_str(&rest[..open]);
        if kept.is_empty() {
            while out.ends_with(' ') {
                out.pop();
            }
        } else {
            out.push('(');
            out.push_str(&kept.join("; "));
            out.push(')');
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether `line` starts a sentence after a paragraph that ends one (a new paragraph).
fn new_sentence(paragraph: &str, line: &str) -> bool {
    paragraph
        .trim_end_matches(['"', '\'', ')'])
        .ends_with(['.', '!', '?'])
        && line.starts_with(char::is_uppercase)
}

/// The comment block at the top of `text`, as paragraphs and lists. A comment line
/// indented by two spaces or more is a list item (continued by the next indented line
/// unless the item ends a sentence or the line starts a new `day N`); `# expect` lines
/// are the test suite's and left out.
pub fn notes(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    // Whether the next line starts a new block.
    let mut fresh = true;
    for line in text.lines() {
        let Some(body) = line.strip_prefix('#') else {
            if line.trim().is_empty() {
                fresh = true;
                continue;
            }
            break;
        };
        let body = body.strip_prefix(' ').unwrap_or(body);
        let t = body.trim();
        if t.starts_with("expect ")
            || t.starts_with("expect-event ")
            || t.starts_with("expect-warning ")
            || t.starts_with("expect:")
        {
            continue;
        }
        if t.is_empty() {
            fresh = true;
            continue;
        }
        let words = t.split_whitespace().collect::<Vec<_>>().join(" ");
        let item = body.starts_with("  ");
        let ends_sentence = |s: &str| s.ends_with(['.', '!', '?', ':']);
        match (blocks.last_mut(), item) {
            (Some(Block::List(items)), true) if !fresh => {
                let starts_day = words
                    .strip_prefix("day ")
                    .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
                match items.last_mut() {
                    Some(last) if !ends_sentence(last) && !starts_day => {
                        last.push(' ');
                        last.push_str(&words);
                    }
                    _ => items.push(words),
                }
            }
            (Some(Block::Paragraph(p)), false) if !(fresh || new_sentence(p, &words)) => {
                p.push(' ');
                p.push_str(&words);
            }
            (_, true) => blocks.push(Block::List(vec![words])),
            (_, false) => blocks.push(Block::Paragraph(words)),
        }
        fresh = false;
    }
    for b in &mut blocks {
        match b {
            Block::Paragraph(p) => *p = without_file_names(p),
            Block::List(items) => {
                for i in items.iter_mut() {
                    *i = without_file_names(i);
                }
            }
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_is_read_from_the_top_level_keys() {
        let t = "# c\nname = \"103 \\\"knowledge\\\" workers\" # note\nstart = \"2026-01-01\"\n[license]\nname = \"no\"\n";
        assert_eq!(
            top_string(t, "name").as_deref(),
            Some("103 \"knowledge\" workers")
        );
        assert_eq!(top_string("name = 'lit'\n", "name").as_deref(), Some("lit"));
        assert_eq!(top_string("[license]\nname = \"x\"\n", "name"), None);
        assert_eq!(top_string("names = \"x\"\n", "name"), None);
        assert_eq!(top_string("name = \"unclosed\n", "name"), None);
    }

    #[test]
    fn notes_read_as_prose_without_checks_or_file_names() {
        let q01 = include_str!("../../examples/q01-testers-quarantine.toml");
        let blocks = notes(q01);
        let all = format!("{blocks:?}");
        assert!(!all.contains("expect"), "{all}");
        assert!(!all.contains(".rs") && !all.contains(".md"), "{all}");
        let Block::Paragraph(first) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert!(first.starts_with("Question 1: \"I gave tokens to testers; why can't I give them to someone else for a week?\""), "{first}");
        assert!(
            blocks.contains(&Block::Paragraph(
                "What happens (step through it with \"Next event\"):".into()
            )),
            "{all}"
        );
        assert!(
            matches!(&blocks[1], Block::Paragraph(p) if p.starts_with("Answer: a removed")),
            "{all}"
        );
        let items = blocks
            .iter()
            .find_map(|b| match b {
                Block::List(i) => Some(i),
                _ => None,
            })
            .expect("a list");
        assert_eq!(
            items[0],
            "day 3 09:00: all three removed. ann and cat are quarantined until 2026-03-11T00:00 (UAP-3); ben's pass was never used, so its token is free at once."
        );
        assert_eq!(items[1], "day 3 09:05: dana gets ben's token.");
    }

    #[test]
    fn file_names_go_from_parentheses() {
        assert_eq!(
            without_file_names("Question 2 (QUESTIONS.md): x"),
            "Question 2: x"
        );
        assert_eq!(
            without_file_names("What (checked by tests/examples.rs; seed 12):"),
            "What (seed 12):"
        );
        assert_eq!(
            without_file_names("quarantine (seeds/a-b.txt, I.D.2):"),
            "quarantine (I.D.2):"
        );
        assert_eq!(
            without_file_names("two (LAP-3) and (1.5 h)"),
            "two (LAP-3) and (1.5 h)"
        );
    }

    #[test]
    fn every_example_s_notes_are_free_of_checks_and_file_names() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
        for entry in std::fs::read_dir(dir).expect("examples/") {
            let path = entry.expect("an entry").path();
            if path.extension().is_none_or(|x| x != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("text");
            let all = format!("{:?}", notes(&text));
            let file = path.display();
            assert!(!all.contains("expect"), "{file}: {all}");
            assert!(
                !all.contains("tests/") && !all.contains(".md") && !all.contains(".txt"),
                "{file}: {all}"
            );
        }
    }
}
