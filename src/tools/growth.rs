//! Growth: "N% more people like ours". New people are drawn from the people with visits
//! (uniformly, with replacement), each a copy of one of them: the same access and
//! identity, the same visits shifted in time, deterministic from the scenario's `seed`.
//!
//! The generator: a [`Pcg32`] seeded with `splitmix64(seed ^ 0x67726f77)` (stream
//! `0x67`); for each new person `k` (0-based) in turn: the source is `below(sources)`,
//! the shift is `below(weeks)` whole weeks (`weeks` = whole weeks in the period less
//! one, at least 1, so the weekly rhythm is kept) plus `below(61) − 30` minutes, and a
//! visit shifted past the end of the period comes back in from the start (modulo the
//! period), so every copy has as many visits as its source. New people are named
//! `grown-1` … `grown-N` and come after everyone else; their visits come after the
//! explicit visits in script order. The visits go through [`ScenarioBuilder`] like any
//! other input.

use std::collections::HashMap;

use crate::base::rng::{splitmix64, Pcg32};
use crate::base::time::{Minute, MINUTES_PER_DAY};
use crate::scenario::builder::{Head, ScenarioBuilder};
use crate::scenario::{limits, Scenario, User, UserId, Visit};

/// The scenario with `percent`% more people like those with explicit visits.
pub fn grow(sc: &Scenario, percent: u32, seed: u64) -> Result<Scenario, String> {
    let explicit: Vec<Visit> = {
        let mut v: Vec<Visit> = sc
            .visits
            .iter()
            .copied()
            .filter(|v| v.script < sc.explicit_visits)
            .collect();
        v.sort_unstable_by_key(|v| v.script);
        v
    };
    let mut by_user: Vec<Vec<usize>> = vec![Vec::new(); sc.users.len()];
    for (i, v) in explicit.iter().enumerate() {
        by_user[v.user.index()].push(i);
    }
    let sources: Vec<UserId> = (0..sc.users.len())
        .filter(|u| !by_user[*u].is_empty())
        .map(UserId::new)
        .collect();
    if sources.is_empty() {
        return Err("growth needs people with visits to copy: the scenario has no [[visit]]s or `visits` table".into());
    }
    let new_people = (sources.len() as u64 * u64::from(percent)).div_ceil(100) as usize;
    if sc.users.len() + new_people > limits::MAX_USERS {
        return Err(format!(
            "{percent}% more people makes {} users, over the limit of {}",
            sc.users.len() + new_people,
            limits::MAX_USERS
        ));
    }
    let index: HashMap<String, UserId> = sc
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| (u.name.clone(), UserId::new(i)))
        .collect();
    let mut builder = ScenarioBuilder::with_users(sc.users.clone(), index);
    for d in sc.devices.iter().skip(1) {
        builder.device(d);
    }
    for s in &sc.session_ids {
        builder.session(s);
    }
    for v in &explicit {
        builder.push_visit(*v);
    }
    let end = sc.end().max(1);
    let weeks = (sc.days / 7 - 1).max(1) as u32;
    let mut rng = Pcg32::new(splitmix64(seed ^ 0x6772_6f77), 0x67);
    let mut k = 0usize;
    let mut n = 1usize;
    while k < new_people {
        let source = sources[rng.below(sources.len() as u32) as usize];
        let shift: Minute =
            Minute::from(rng.below(weeks)) * 7 * MINUTES_PER_DAY + Minute::from(rng.below(61)) - 30;
        let mut name = format!("grown-{n}");
        while builder.user_id(&name).is_some() {
            n += 1;
            name = format!("grown-{n}");
        }
        n += 1;
        let template = &sc.users[source.index()];
        let Some(id) = builder.add_user(User {
            name,
            cohort: None,
            ..template.clone()
        }) else {
            return Err("too many users".into());
        };
        for &i in &by_user[source.index()] {
            let v = explicit[i];
            let visit = Visit {
                user: id,
                at: (v.at + shift).rem_euclid(end),
                ..v
            };
            if !builder.push_visit(visit) {
                return Err(format!(
                    "the grown scenario has more than {} visits, the limit",
                    limits::MAX_VISITS
                ));
            }
        }
        k += 1;
    }
    let head = Head {
        name: sc.name.clone(),
        description: sc.description.clone(),
        clock: sc.clock,
        days: sc.days,
        seed: sc.seed,
        license: sc.license.clone(),
        settings: sc.settings.clone(),
        prices: sc.prices.clone(),
        groups: sc.groups.clone(),
        cohorts: sc.cohorts.clone(),
        actions: sc.actions.clone(),
        nodes: sc.nodes.clone(),
        deployments: sc.deployments.clone(),
    };
    builder.finish(head)
}
