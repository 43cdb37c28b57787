//! The schema is the format's one description: these tests walk it against the parser,
//! the raw structs, the model's enums and the README.

use super::table::KEYS_READ;
use super::*;
use crate::scenario::schema::{self, Field, Section, TomlType, Verb};
use crate::scenario::visits_table::Column;

/// A valid scenario with one row of every section; the row a test changes is each list
/// section's last (`[[node]]` has a central node before it).
fn base() -> Vec<(Section, Vec<(&'static str, &'static str)>)> {
    use Section::*;
    vec![
        (Scenario, vec![("start", "\"2026-03-01\""), ("days", "7")]),
        (License, vec![("tokens", "10"), ("cores", "8")]),
        (Settings, vec![]),
        (Prices, vec![("token", "100")]),
        (Group, vec![("name", "\"g\""), ("tokens", "1")]),
        (User, vec![("name", "\"u\""), ("access", "\"user_pass\"")]),
        (
            Cohort,
            vec![
                ("name", "\"c\""),
                ("count", "2"),
                ("access", "\"login:g\""),
                ("visits_per_month", "4"),
                ("visit_length", "\"30m\""),
            ],
        ),
        (
            Visit,
            vec![
                ("user", "\"u\""),
                ("at", "\"day 1 09:00\""),
                ("active", "\"30m\""),
            ],
        ),
        (
            Action,
            vec![
                ("at", "\"day 2 09:00\""),
                ("do", "\"set_tokens\""),
                ("tokens", "5"),
            ],
        ),
        (Node, vec![("name", "\"n\"")]),
        (Deployment, vec![("name", "\"d\"")]),
    ]
}

/// The text of `sections`, with `[[node]] name = "hub", role = "central"` first.
fn text(sections: &[(Section, Vec<(&str, String)>)]) -> String {
    let mut out = String::new();
    for (section, keys) in sections {
        match section.table() {
            None => {}
            Some(t) if section.is_list() => {
                if *section == Section::Node {
                    out.push_str("\n[[node]]\nname = \"hub\"\nrole = \"central\"\n");
                }
                out.push_str(&format!("\n[[{t}]]\n"));
            }
            Some(t) => out.push_str(&format!("\n[{t}]\n")),
        }
        for (k, v) in keys {
            out.push_str(&format!("{k} = {v}\n"));
        }
    }
    out
}

/// The base scenario with `key` of `section` set to `value` (`None`: removed).
fn with(section: Section, key: &str, value: Option<String>) -> String {
    let sections: Vec<(Section, Vec<(&str, String)>)> = base()
        .into_iter()
        .map(|(s, keys)| {
            let mut keys: Vec<(&str, String)> = keys
                .into_iter()
                .filter(|(k, _)| s != section || *k != key)
                .map(|(k, v)| (k, v.to_string()))
                .collect();
            if let (true, Some(v)) = (s == section, &value) {
                keys.push((key, v.clone()));
            }
            (s, keys)
        })
        .collect();
    text(&sections)
}

/// A default as a TOML value: text in quotes, numbers and `true`/`false` bare.
fn literal(f: &Field) -> String {
    let bare = match f.kind.toml_type() {
        TomlType::Integer | TomlType::Bool => true,
        TomlType::Text => false,
        TomlType::Any => f.default.parse::<f64>().is_ok(),
    };
    if bare {
        f.default.to_string()
    } else {
        format!("\"{}\"", f.default)
    }
}

#[test]
fn every_key_parses_with_its_default_as_if_it_were_absent() {
    let absent_everywhere = parse(&text(
        &base()
            .into_iter()
            .map(|(s, k)| (s, k.into_iter().map(|(k, v)| (k, v.to_string())).collect()))
            .collect::<Vec<_>>(),
    ))
    .unwrap_or_else(|e| panic!("the base scenario parses: {e}"));
    let mut checked = 0;
    for f in schema::FIELDS.iter().filter(|f| !f.default.is_empty()) {
        let absent = parse(&with(f.section, f.key, None))
            .unwrap_or_else(|e| panic!("without {:?} {}: {e}", f.section, f.key));
        let written = with(f.section, f.key, Some(literal(f)));
        let written = parse(&written).unwrap_or_else(|e| panic!("{written}\n{e}"));
        assert_eq!(
            absent,
            written,
            "{:?} {} = {}",
            f.section,
            f.key,
            literal(f)
        );
        if base()
            .iter()
            .all(|(s, keys)| *s != f.section || keys.iter().all(|(k, _)| *k != f.key))
        {
            assert_eq!(absent, absent_everywhere, "{:?} {}", f.section, f.key);
        }
        checked += 1;
    }
    assert!(checked >= 30, "{checked} defaults");
    // The defaults of `[settings]` are `Settings::default()`'s.
    assert_eq!(
        absent_everywhere.settings,
        crate::scenario::Settings::default()
    );
    assert_eq!(absent_everywhere.settings.quarantine, 7 * 24 * 60);
}

#[test]
fn every_raw_field_is_a_key_of_the_schema_and_every_key_is_read() {
    KEYS_READ.with(|read| read.borrow_mut().clear());
    // Reading a row reads every key of its raw struct (a key missing from the schema
    // fails a debug assertion there).
    parse(&with(Section::Scenario, "seed", Some("1".into()))).expect("the base scenario parses");
    let read = KEYS_READ.with(|read| read.borrow().clone());
    let schema: std::collections::BTreeSet<(Section, &str)> =
        schema::FIELDS.iter().map(|f| (f.section, f.key)).collect();
    assert_eq!(read, schema);
}

#[test]
fn every_section_lists_its_keys_together() {
    for s in Section::ALL {
        let slice: Vec<&str> = schema::section_fields(s).iter().map(|f| f.key).collect();
        let all: Vec<&str> = schema::fields(s).map(|f| f.key).collect();
        assert_eq!(slice, all, "{s:?}");
        assert!(!slice.is_empty(), "{s:?}");
        assert!(slice.len() <= super::table::MAX_KEYS, "{s:?}");
    }
}

#[test]
fn toml_level_errors_are_reported_together_each_at_its_line() {
    let text = "start = \"2026-03-01\"\ndays = 7\ncolour = \"red\"\n\n[license]\ntokens = \"ten\"\nshade = \"dark\"\n";
    let errors = parse(text).expect_err("three errors").0;
    let got: Vec<(usize, &str)> = errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].0, 3);
    assert!(got[0]
        .1
        .starts_with("unknown key `colour`, expected one of the keys `name`"));
    assert_eq!(
        got[1],
        (6, "`tokens` must be a whole number, not the text \"ten\"")
    );
    assert_eq!(got[2].0, 7);
    assert!(got[2]
        .1
        .starts_with("unknown key `shade`, expected one of the keys `kind`"));
    for e in &errors {
        assert!(!e.message.contains("invalid type"), "{e}");
        assert!(!e.message.contains("map"), "{e}");
    }
}

#[test]
fn unknown_keys_list_the_keys_as_serde_did() {
    for s in Section::ALL {
        let keys: &'static [&'static str] = Box::leak(schema::keys(s).into_boxed_slice());
        let serde = <serde::de::value::Error as serde::de::Error>::unknown_field("x", keys)
            .to_string()
            .replace("unknown field", "unknown key")
            .replace("expected one of", "expected one of the keys");
        let table = match s.table() {
            None => String::new(),
            Some(t) if s.is_list() => format!("[[{t}]]\n"),
            Some(t) => format!("[{t}]\n"),
        };
        let text = format!("start = \"2026-03-01\"\ndays = 7\n{table}x = 1\n");
        let errors = parse(&text).expect_err("an unknown key").0;
        assert_eq!(errors.len(), 1, "{s:?}: {errors:?}");
        assert_eq!(errors[0].message, serde, "{s:?}");
    }
}

#[test]
fn every_choice_has_a_word_for_each_of_its_values() {
    use crate::scenario::{CapacityParallel, Ends, Identity, LicenseKind, NodeRole};
    for e in [Ends::Logout, Ends::Close, Ends::Timeout] {
        assert_eq!(schema::from_word(&schema::END_WORDS, e.word()), Some(e));
    }
    for i in [Identity::Identified, Identity::Anonymous] {
        assert!(schema::word_for(&schema::IDENTITY_WORDS, &i).is_some());
    }
    for k in [LicenseKind::Perpetual, LicenseKind::Subscription] {
        assert!(schema::word_for(&schema::LICENSE_KIND_WORDS, &k).is_some());
    }
    for p in [CapacityParallel::PerDevice, CapacityParallel::PerUser] {
        assert!(schema::word_for(&schema::PARALLEL_WORDS, &p).is_some());
    }
    for r in [NodeRole::Central, NodeRole::Rim] {
        assert!(schema::word_for(&schema::ROLE_WORDS, &r).is_some());
    }
    let action_keys: Vec<&str> = schema::fields(Section::Action).map(|f| f.key).collect();
    for (word, verb) in schema::VERBS {
        assert_eq!(Verb::from_word(word), Some(verb));
        assert_eq!(verb.word(), word);
        for k in verb.keys() {
            assert!(action_keys.contains(k), "{word}: {k}");
        }
    }
    assert_eq!(schema::ACTION_VERBS.len(), schema::VERBS.len());
    // Every default of a choice is one of its words.
    for f in schema::FIELDS {
        if let (schema::Kind::Choice(words), false) = (f.kind, f.default.is_empty()) {
            assert!(words.contains(&f.default), "{:?} {}", f.section, f.key);
        }
    }
}

#[test]
fn the_compact_tables_columns_are_the_keys_of_a_visit() {
    let columns: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(columns, schema::keys(Section::Visit));
}

/// The rows of the markdown table whose header line is `header`: its cells.
fn table_rows<'a>(text: &'a str, header: &str) -> Vec<Vec<&'a str>> {
    text.lines()
        .skip_while(|l| l.trim() != header)
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect()
}

fn section_cell(s: Section) -> String {
    match s.table() {
        None => "top level".into(),
        Some(t) if s.is_list() => format!("`[[{t}]]`"),
        Some(t) => format!("`[{t}]`"),
    }
}

#[test]
fn the_readme_names_every_key_and_every_extension() {
    let readme = include_str!("../../../README.md");
    let keys = table_rows(readme, "| section | keys |");
    for s in Section::ALL {
        let row = keys
            .iter()
            .find(|r| r[0] == section_cell(s))
            .unwrap_or_else(|| panic!("the README's key table has no row for {s:?}"));
        let named: Vec<&str> = row[1].split(", ").map(|k| k.trim_matches('`')).collect();
        assert_eq!(named, schema::keys(s), "the README's keys of {s:?}");
    }
    let extensions = table_rows(readme, "| where | key | meaning |");
    for f in schema::FIELDS.iter().filter(|f| f.extension) {
        let named = extensions.iter().any(|r| {
            r[0].contains(&section_cell(f.section))
                && [format!("`{}`", f.key), format!("`{} ", f.key)]
                    .iter()
                    .any(|k| r[1].contains(k.as_str()))
        });
        assert!(
            named,
            "the README's extensions lack {:?} {}",
            f.section, f.key
        );
    }
}
