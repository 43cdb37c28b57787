//! The text of an imported scenario: the top-level keys, the visits in the compact table
//! (a top-level key, so before the first table), then the license, groups and users.

use crate::scenario::{schema, visits_table, Access, Identity, Scenario};

use super::Summary;

/// A TOML string: literal (`'…'`) when it can be, else basic with escapes.
pub fn toml_string(s: &str) -> String {
    if !s.contains(['\'', '\n', '\r', '\t']) && !s.chars().any(char::is_control) {
        return format!("'{s}'");
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A multi-line TOML string holding `body` exactly (it ends with a line break).
pub fn toml_block(body: &str) -> String {
    if !body.contains("'''") {
        return format!("'''\n{body}'''");
    }
    let escaped = body.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"\"\"\n{escaped}\"\"\"")
}

fn access_word(sc: &Scenario, a: Access) -> String {
    match a {
        Access::Login(g) => format!("{}{}", schema::LOGIN_PREFIX, sc.group_name(g)),
        _ => schema::plain_accesses()
            .find(|(_, x)| *x == a)
            .map(|(w, _)| w.to_string())
            .unwrap_or_default(),
    }
}

/// The scenario's text: what `license-lab import` prints. It holds no cohorts, actions
/// or nodes (imports have none), and reads back as the same scenario.
pub fn scenario_text(sc: &Scenario, summary: &Summary) -> String {
    let table = visits_table::write(sc, &sc.visits);
    let mut s = String::with_capacity(table.len() + sc.users.len() * 48 + 1024);
    s.push_str("# Imported by `license-lab import`");
    if let (Some(a), Some(b)) = (&summary.first, &summary.last) {
        s.push_str(&format!(": sessions from {a} to {b} UTC"));
    }
    s.push_str(".\n# The visits are in the compact table below (user,at,active,ends,…); the license,\n# the login access groups and the users follow it.\n");
    s.push_str(&format!("name = {}\n", toml_string(&sc.name)));
    if !sc.description.is_empty() {
        s.push_str(&format!("description = {}\n", toml_string(&sc.description)));
    }
    s.push_str(&format!(
        "start = \"{}\"\ndays = {}\n",
        sc.clock.start().format("%Y-%m-%d"),
        sc.days
    ));
    if sc.seed != 0 {
        s.push_str(&format!("seed = {}\n", sc.seed as i64));
    }
    s.push_str(&format!("visits = {}\n", toml_block(&table)));
    let l = &sc.license;
    s.push_str(&format!("\n[license]\ntokens = {}\n", l.tokens));
    for (key, n) in [
        ("professional", l.professional),
        ("analyzer", l.analyzer),
        ("analyzer_capacity_packs", l.analyzer_capacity_packs),
    ] {
        if n > 0 {
            s.push_str(&format!("{key} = {n}\n"));
        }
    }
    for g in &sc.groups {
        s.push_str(&format!(
            "\n[[group]]\nname = {}\ntokens = {}\n",
            toml_string(&g.name),
            g.tokens
        ));
    }
    for u in &sc.users {
        s.push_str(&format!(
            "\n[[user]]\nname = {}\naccess = {}\n",
            toml_string(&u.name),
            toml_string(&access_word(sc, u.access))
        ));
        if u.identity == Identity::Anonymous {
            let word = schema::word_for(&schema::IDENTITY_WORDS, &u.identity).unwrap_or("");
            s.push_str(&format!("identity = \"{word}\"\n"));
        }
    }
    s
}
