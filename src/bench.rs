//! Benchmarks (`license-lab bench`): generated explicit scenarios run through the engine,
//! reported as wall time and events per second.

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use crate::engine::Simulation;
use crate::rng::{splitmix64, Pcg32};
use crate::scenario::*;
use crate::time::{Clock, Minute, MINUTES_PER_DAY};

/// An explicit scenario of `people` users over `days` days: 10% on User Access Passes,
/// the rest on four login access groups (a fifth of them anonymous), about
/// `visits_per_month` visits each in office hours, a few administrative changes.
pub fn generate(people: u32, days: i64, visits_per_month: f64, seed: u64) -> Scenario {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
    let clock = Clock::new(start);
    let uap_users = people / 10;
    let login_users = people - uap_users;
    let group_count = 4u32;
    let per_group = login_users.div_ceil(group_count);
    let group_tokens = crate::sizing::size1(u64::from(per_group), 6, 20).unwrap_or(1) as i64;
    let groups: Vec<Group> = (0..group_count)
        .map(|g| Group {
            name: format!("group-{}", g + 1),
            tokens: group_tokens,
        })
        .collect();
    let mut users = Vec::with_capacity(people as usize);
    for i in 0..people {
        let (access, identity) = if i < uap_users {
            (Access::UserPass, Identity::Identified)
        } else {
            let g = (i - uap_users) % group_count;
            let anon = (i - uap_users) % 5 == 4;
            (
                Access::Login(g),
                if anon {
                    Identity::Anonymous
                } else {
                    Identity::Identified
                },
            )
        };
        users.push(User {
            name: format!("user-{}", i + 1),
            access,
            identity,
            node: 0,
            deployment: 0,
            cohort: None,
        });
    }
    let mut visits = Vec::new();
    let rate_per_minute = visits_per_month / (30.0 * MINUTES_PER_DAY as f64);
    let end = days * MINUTES_PER_DAY;
    let devices = vec!["web".to_string(), "laptop".to_string(), "phone".to_string()];
    for i in 0..people {
        let mut rng = Pcg32::new(splitmix64(seed ^ u64::from(i)), 7);
        let mut t = 0.0;
        loop {
            t += rng.exponential(rate_per_minute);
            if t >= end as f64 {
                break;
            }
            let day = (t as Minute) / MINUTES_PER_DAY;
            let at = day * MINUTES_PER_DAY + 8 * 60 + Minute::from(rng.below(10 * 60));
            if at >= end {
                break;
            }
            let active = 5 + Minute::from(rng.below(85));
            let ends = match rng.below(10) {
                0..=4 => Ends::Logout,
                5..=6 => Ends::Close,
                _ => Ends::Timeout,
            };
            let script = visits.len() as u32;
            visits.push(Visit {
                user: i,
                at,
                active,
                ends,
                device: rng.below(3),
                session: crate::cohort::OWN_SESSION,
                node: 0,
                script,
            });
        }
    }
    visits.sort_by_key(|v| (v.at, v.script));
    let visits_len = visits.len() as u32;
    let mut actions = Vec::new();
    let months = (days / 30).max(1);
    for m in 0..months {
        let at = m * 30 * MINUTES_PER_DAY + 12 * 60;
        if uap_users > 0 {
            let u = (m as u32 * 7) % uap_users;
            actions.push(Action {
                at,
                kind: ActionKind::RemoveUserPass(u),
                script: actions.len() as u32,
            });
            actions.push(Action {
                at: at + 2 * MINUTES_PER_DAY,
                kind: ActionKind::ReinstateUserPass(u),
                script: actions.len() as u32,
            });
        }
        actions.push(Action {
            at: at + 60,
            kind: ActionKind::SetGroupTokens(
                (m as u32) % group_count,
                if m % 2 == 0 {
                    group_tokens - 1
                } else {
                    group_tokens
                },
            ),
            script: actions.len() as u32,
        });
    }
    actions.retain(|a| a.at <= end);
    actions.sort_by_key(|a| (a.at, a.script));
    Scenario {
        name: format!("benchmark: {people} people, {days} days"),
        description: String::new(),
        clock,
        days,
        seed,
        license: License {
            kind: LicenseKind::Perpetual,
            tokens: i64::from(uap_users) + group_tokens * i64::from(group_count) + 10,
            professional: 0,
            analyzer: 0,
            analyzer_capacity_packs: 0,
            overage: Overage::None,
            core_minutes: 0,
            cores: None,
        },
        settings: Settings::default(),
        prices: Prices::default(),
        groups,
        users,
        cohorts: Vec::new(),
        visits,
        actions,
        nodes: Vec::new(),
        deployments: Vec::new(),
        explicit_visits: visits_len,
        devices,
        session_ids: Vec::new(),
    }
}

/// One measured run.
pub struct Measure {
    pub seconds: f64,
    pub events: u64,
}

impl Measure {
    pub fn events_per_second(&self) -> f64 {
        self.events as f64 / self.seconds.max(1e-9)
    }
}

/// Runs a scenario to its end without the log, `repeat` times; the fastest run counts.
pub fn time_engine(sc: &Arc<Scenario>, record: bool, repeat: u32) -> Measure {
    let mut best = f64::INFINITY;
    let mut events = 0;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let mut sim = Simulation::new(sc.clone(), record);
        sim.advance_to(sim.end());
        let secs = t.elapsed().as_secs_f64();
        events = sim.events_processed();
        best = best.min(secs);
        std::hint::black_box(sim.state());
    }
    Measure {
        seconds: best,
        events,
    }
}

pub fn run(quick: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let sizes: &[u32] = if quick { &[1_000] } else { &[1_000, 20_000] };
    writeln!(
        out,
        "explicit scenarios, 365 days, ~3 visits per person per month (release build: cargo run --release -- bench)"
    )?;
    writeln!(
        out,
        "{:>8} {:>10} {:>12} {:>10} {:>14} {:>12}",
        "people", "visits", "events", "seconds", "events/s", "with log s"
    )?;
    for &people in sizes {
        let sc = Arc::new(generate(people, 365, 3.0, 42));
        let m = time_engine(&sc, false, 3);
        let logged = time_engine(&sc, true, 1);
        writeln!(
            out,
            "{:>8} {:>10} {:>12} {:>10.3} {:>14.0} {:>12.3}",
            people,
            sc.visits.len(),
            m.events,
            m.seconds,
            m.events_per_second(),
            logged.seconds
        )?;
    }
    Ok(())
}

/// Profiling entry: `license-lab bench --profile N` runs the N-person explicit year once.
pub fn profile(people: u32) -> Measure {
    let sc = Arc::new(generate(people, 365, 4.0, 42));
    time_engine(&sc, false, 1)
}
