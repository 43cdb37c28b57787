//! Scenario text → validated [`Scenario`] (SCENARIOS.md), in three stages:
//!
//! 1. the size limit;
//! 2. TOML: the text is read into TOML's tree, which keeps every value's span (a large
//!    compact `visits` table is cut out first and read from the file in stage 3), and the
//!    tree is checked against the schema into the raw structs ([`raw`]): every unknown key
//!    and every value of the wrong type is reported, in the scenario's words ([`table`]);
//! 3. the sections in order, each one function checking what its values mean: [`top`],
//!    [`license`], [`settings`], [`prices`], [`nodes`], [`deployments`], [`groups`],
//!    [`users`], [`cohorts`], [`visits`], [`actions`]. Names are looked up in [`Names`];
//!    users and visits go into the [`ScenarioBuilder`], whose `finish` makes the scenario.
//!
//! The file is accepted whole or rejected whole, with every problem of the stage that found
//! some located at its line and column.

mod actions;
mod cohorts;
mod ctx;
mod deployments;
mod groups;
mod license;
mod names;
mod nodes;
mod places;
mod prices;
mod raw;
mod settings;
mod table;
#[cfg(test)]
mod tests;
mod top;
mod users;
mod values;
mod visits;

use std::borrow::Cow;

use toml::de::DeTable;

use super::builder::{Head, ScenarioBuilder};
use super::error::{LineIndex, ScenarioError, ScenarioErrors};
use super::use_rights::Places;
use super::Scenario;
use ctx::Ctx;
use names::Names;
use raw::RawScenario;

/// Parses and validates a scenario. On failure, every problem found is returned, each
/// located at its line and column; nothing of the file is kept.
pub fn parse(text: &str) -> Result<Scenario, ScenarioErrors> {
    parse_with_notes(text).map(|(scenario, _)| scenario)
}

/// [`parse`], with the notes on a valid file: things that are not errors but that a tool
/// may point out (an action at or after the end, never applied), located like errors.
pub fn parse_with_notes(text: &str) -> Result<(Scenario, Vec<ScenarioError>), ScenarioErrors> {
    parse_text(text, false).map(|(scenario, notes, _)| (scenario, notes))
}

/// [`parse_with_notes`], with where the file states what the use rights concern (for
/// `use_rights::check`, which locates its warnings there).
pub fn parse_for_check(
    text: &str,
) -> Result<(Scenario, Vec<ScenarioError>, Places), ScenarioErrors> {
    parse_text(text, true)
        .map(|(scenario, notes, places)| (scenario, notes, places.unwrap_or_default()))
}

/// A compact `visits` table from this size on is read without TOML's parser going
/// through it (see [`parse_text_with`]).
const FAST_TABLE_BYTES: usize = 64 * 1024;

/// The stages, with a large compact table cut out first.
fn parse_text(
    text: &str,
    places: bool,
) -> Result<(Scenario, Vec<ScenarioError>, Option<Places>), ScenarioErrors> {
    parse_text_with(text, places, true)
}

/// [`parse_text`] without the cut: TOML reads the whole file.
fn parse_whole(
    text: &str,
    places: bool,
) -> Result<(Scenario, Vec<ScenarioError>, Option<Places>), ScenarioErrors> {
    parse_text_with(text, places, false)
}

/// The stages; the places too when `places` is asked for.
fn parse_text_with(
    text: &str,
    places: bool,
    cut: bool,
) -> Result<(Scenario, Vec<ScenarioError>, Option<Places>), ScenarioErrors> {
    let lines = LineIndex::new(text);
    if let Some(id) = super::stand_in::id(text) {
        let message = super::stand_in::missing_message(id);
        return Err(ScenarioErrors(vec![lines.error(0..0, message)]));
    }
    // Only a file of that size can hold a table to cut (small files are not lexed here).
    let literal = (cut && text.len() >= FAST_TABLE_BYTES)
        .then(|| super::visits_table::literal(text))
        .flatten();
    let located = || match &literal {
        Some(b) => Some(b.token..b.token_end),
        None => super::visits_table::locate(text),
    };
    if let Err(message) = super::visits_table::check_size_with(text, located) {
        return Err(ScenarioErrors(vec![lines.error(0..0, message)]));
    }
    // A large compact table is cut out before TOML reads the file, and read straight
    // from the file (its errors are located there; the cut moves every other span): a
    // literal string TOML takes as it is. Any other table is read by TOML.
    let body = literal.filter(|b| b.plain && b.end - b.open >= FAST_TABLE_BYTES);
    let short: Cow<str> = match &body {
        Some(b) => Cow::Owned([&text[..b.open], &text[b.end..]].concat()),
        None => Cow::Borrowed(text),
    };
    let lines = match &body {
        Some(b) => LineIndex::with_cut(text, &short, b.open, b.end - b.open),
        None => lines,
    };
    let tree = match DeTable::parse(&short) {
        Ok(tree) => tree,
        Err(e) => return Err(ScenarioErrors(vec![table::syntax_error(&lines, &e)])),
    };
    let mut cx = Ctx::new(lines);
    let mut raw = raw::read(&mut cx, &tree);
    if let Some(b) = &body {
        // The tree must agree: its top-level `visits` is the string that opens there
        // (now empty). Else the file is read whole, as TOML reads it.
        match &raw.visits {
            Some(v) if v.span() == (b.token..b.open + 3) => {
                raw.visits = Some(toml::Spanned::new(
                    b.token..b.token_end,
                    &text[b.open..b.end],
                ));
            }
            _ => return parse_whole(text, places),
        }
    }
    let scenario = if cx.errors.is_empty() {
        build(&mut cx, &raw)
    } else {
        None
    };
    let places = match (&scenario, places) {
        (Some(sc), true) => Some(places::of(&cx.lines, &raw, sc)),
        _ => None,
    };
    cx.finish(scenario)
        .map(|(scenario, notes)| (scenario, notes, places))
}

/// The sections in order; `None` when any has an error.
fn build(cx: &mut Ctx, raw: &RawScenario) -> Option<Scenario> {
    let top = top::read(cx, raw);
    let license = license::read(cx, &raw.license);
    let settings = settings::read(cx, &raw.settings);
    let prices = prices::read(cx, &raw.prices);
    let mut names = Names::default();
    let nodes = nodes::read(cx, &raw.node, &license, &mut names);
    let deployments = deployments::read(cx, &raw.deployment, &mut names);
    let groups = groups::read(cx, &raw.group, &license, &mut names);
    let mut builder = ScenarioBuilder::new();
    users::read(cx, &raw.user, &names, &mut builder)?;
    let cohorts = cohorts::read(cx, &raw.cohort, &names, &mut builder);
    visits::read(cx, raw, &top, &names, &mut builder)?;
    let actions = actions::read(cx, &raw.action, &top, &names, &builder);
    let (clock, days) = (top.clock?, top.days?);
    if !cx.errors.is_empty() {
        return None;
    }
    let head = Head {
        name: top.name,
        description: top.description,
        clock,
        days,
        seed: top.seed,
        license,
        settings,
        prices,
        groups,
        cohorts,
        actions,
        nodes,
        deployments,
    };
    match builder.finish(head) {
        Ok(scenario) => Some(scenario),
        Err(message) => {
            let span = raw.cohort.first().map(|c| c.span()).unwrap_or(0..0);
            cx.err(span, message);
            None
        }
    }
}
