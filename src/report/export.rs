//! Exports of a run: the timeline as CSV and JSON (the columns of `license-lab run`), the
//! event log as CSV and JSON. The app's downloads use the same functions.

use crate::engine::events::Event;
use crate::report::describe::Describe;
use crate::report::state::State;
use crate::scenario::Scenario;

/// `run --format csv`: a header, then one row per state.
pub fn timeline_csv(states: &[State]) -> String {
    let mut s = String::new();
    if let Some(first) = states.first() {
        s.push_str(&first.csv_header());
        s.push('\n');
    }
    for st in states {
        s.push_str(&st.csv_row());
        s.push('\n');
    }
    s
}

/// `run --format json`: an array of State JSON objects, one per line.
pub fn timeline_json(states: &[State]) -> String {
    let mut s = String::from("[\n");
    for (i, st) in states.iter().enumerate() {
        s.push_str("  ");
        s.push_str(&st.to_json());
        if i + 1 < states.len() {
            s.push(',');
        }
        s.push('\n');
    }
    s.push_str("]\n");
    s
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The event log as CSV: time, rule, user, kind, what happened.
pub fn events_csv(sc: &Scenario, events: &[Event]) -> String {
    let mut s = String::from("at,rule,user,kind,what\n");
    for e in events {
        let user = e.user.map_or("", |u| sc.user_name(u));
        s.push_str(&format!(
            "{},{},{},{},{}\n",
            sc.clock.format(e.at),
            e.rule.id(),
            csv_field(user),
            e.kind().label(),
            csv_field(&e.describe(sc))
        ));
    }
    s
}

#[derive(serde::Serialize)]
struct EventRow<'a> {
    at: String,
    rule: &'static str,
    user: Option<&'a str>,
    kind: &'static str,
    what: String,
}

/// The event log as a JSON array.
pub fn events_json(sc: &Scenario, events: &[Event]) -> String {
    let rows: Vec<EventRow> = events
        .iter()
        .map(|e| EventRow {
            at: sc.clock.format(e.at),
            rule: e.rule.id(),
            user: e.user.map(|u| sc.user_name(u)),
            kind: e.kind().label(),
            what: e.describe(sc),
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}
