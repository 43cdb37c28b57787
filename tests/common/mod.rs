//! Helpers shared by the rule tests: build a scenario from TOML, read the state at a
//! time, list the events.
#![allow(dead_code)]

use std::sync::Arc;

use license_lab::engine::events::Event;
use license_lab::report::describe::Describe;
use license_lab::report::state::{GroupCounts, State};
use license_lab::report::timeline;
use license_lab::scenario::{parse, Scenario};

pub fn scenario(text: &str) -> Arc<Scenario> {
    match parse(text) {
        Ok(s) => Arc::new(s),
        Err(e) => panic!("test scenario does not parse:\n{e}\n---\n{text}"),
    }
}

/// The state at a time written as in scenarios ("day 1 10:00").
pub fn state(sc: &Arc<Scenario>, at: &str) -> State {
    let m = sc.clock.parse_time(at).expect("test time");
    timeline::state_at(sc, m)
}

pub fn group<'a>(s: &'a State, name: &str) -> &'a GroupCounts {
    s.groups.get(name).expect("group in state")
}

/// (time, rule id, user, words) of every event.
pub fn log(sc: &Arc<Scenario>) -> Vec<(String, &'static str, String, String)> {
    timeline::events(sc)
        .iter()
        .map(|e: &Event| {
            (
                sc.clock.format(e.at),
                e.rule.id(),
                e.user
                    .map_or_else(String::new, |u| sc.user_name(u).to_string()),
                e.describe(sc),
            )
        })
        .collect()
}

/// Rule ids of the events at a time ("2026-03-02T10:00").
pub fn rules_at(sc: &Arc<Scenario>, at: &str) -> Vec<&'static str> {
    log(sc)
        .into_iter()
        .filter(|e| e.0 == at)
        .map(|e| e.1)
        .collect()
}

/// A one-group login scenario header: `tokens` on group `g`, starting 2026-03-01.
pub fn login_header(tokens: i64, days: i64) -> String {
    format!(
        "name = \"t\"\nstart = \"2026-03-01\"\ndays = {days}\n\n[license]\ntokens = {tokens}\n\n[[group]]\nname = \"g\"\ntokens = {tokens}\n"
    )
}

pub fn user(name: &str, access: &str) -> String {
    format!("\n[[user]]\nname = \"{name}\"\naccess = \"{access}\"\n")
}

pub fn anon(name: &str, access: &str) -> String {
    format!("\n[[user]]\nname = \"{name}\"\naccess = \"{access}\"\nidentity = \"anonymous\"\n")
}

pub fn visit(user: &str, at: &str, active: &str, ends: &str, device: &str) -> String {
    format!(
        "\n[[visit]]\nuser = \"{user}\"\nat = \"{at}\"\nactive = \"{active}\"\nends = \"{ends}\"\ndevice = \"{device}\"\n"
    )
}

pub fn action(at: &str, what: &str, extra: &str) -> String {
    format!("\n[[action]]\nat = \"{at}\"\ndo = \"{what}\"\n{extra}\n")
}
