//! The charts' data: each count the app draws over a run, as a step series (a value holds
//! until the next time). Short runs get a point at every minute where an event happened
//! (plus a regular grid), so the charts are exact; long runs get a regular sample. Every
//! value is the [`State`] at its time, so a chart reads what the state panel and
//! `license-lab state` say there; denials and discontinuations are counted from the log.
//!
//! A new chart: a field here, filled in [`Series::of`] (one `push` per state), a test in
//! `tests/series.rs`, and its spec in `app/charts` (ARCHITECTURE.md, "Where to change what").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::base::time::Minute;
use crate::engine::events::{Kind, What};
use crate::report::state::{SeatCounts, State};
use crate::report::timeline::Recording;
use crate::scenario::Scenario;

/// Up to this many events, the charts get a point at every minute where something
/// happened; above it, a regular sample of about [`SAMPLE_POINTS`] points.
pub const EXACT_EVENTS: usize = 6_000;
pub const SAMPLE_POINTS: i64 = 1_000;
/// Points of the regular grid added to the exact points of short runs.
pub const GRID_POINTS: i64 = 400;
/// Months drawn in the capacity chart (100 years).
pub const MAX_MONTHS: usize = 1_200;

/// The charts' data: counts at `times` (step functions: a value holds until the next).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub times: Vec<Minute>,
    pub total: Vec<i64>,
    pub free: Vec<i64>,
    pub user_passes: Vec<i64>,
    pub login_groups: Vec<i64>,
    pub pending: Vec<i64>,
    pub uap_allocated: Vec<i64>,
    pub uap_quarantined: Vec<i64>,
    /// Professional and Analyzer allocations, when the license has them.
    pub seats: Vec<SeatSeries>,
    pub groups: Vec<GroupSeries>,
    /// Denials and discontinuations, counted per minute (or per sampling step on long
    /// runs).
    pub markers: Vec<Marker>,
    pub months: Vec<MonthUse>,
    /// Whether `times` holds every minute at which something happened (short runs) or
    /// a regular sample (long runs).
    pub exact: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeatSeries {
    pub name: String,
    pub total: Vec<i64>,
    pub assigned: Vec<i64>,
    pub quarantined: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupSeries {
    pub name: String,
    pub passes: Vec<i64>,
    pub available: Vec<i64>,
    pub used: Vec<i64>,
    pub retiring: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    pub at: Minute,
    pub denied: u32,
    pub discontinued: u32,
}

/// One calendar month's capacity and Core minutes (at the month's last minute).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthUse {
    pub month: String,
    pub start: Minute,
    pub end: Minute,
    pub quota: i64,
    pub used: i64,
    pub overage: i64,
    pub core_quota: i64,
    pub core_used: i64,
}

impl Series {
    /// The charts' data of a recorded run.
    pub fn of(rec: &Recording) -> Series {
        let exact = rec.events.len() <= EXACT_EVENTS;
        let (times, states) = if exact {
            exact_points(rec)
        } else {
            sampled_points(rec)
        };
        let mut s = Series {
            exact,
            ..Series::default()
        };
        for st in &states {
            s.total.push(st.tokens.total);
            s.free.push(st.tokens.free);
            s.user_passes.push(st.tokens.user_passes);
            s.login_groups.push(st.tokens.login_groups);
            s.pending.push(st.tokens.pending);
            s.uap_allocated.push(st.user_passes.allocated);
            s.uap_quarantined.push(st.user_passes.quarantined);
        }
        s.seats = seats(&states);
        s.groups = groups(&rec.scenario, &states);
        // Markers: per minute on short runs, per sampling step on long ones.
        let bucket = if exact {
            1
        } else {
            times.get(1).copied().unwrap_or(1).max(1)
        };
        s.markers = markers(rec, bucket);
        s.months = months(rec);
        s.times = times;
        s
    }
}

/// Every minute with an event, plus a regular grid and the end, with the state at each.
fn exact_points(rec: &Recording) -> (Vec<Minute>, Vec<State>) {
    let end = rec.scenario.end();
    let step = (end / GRID_POINTS).max(1);
    let mut times: Vec<Minute> = (0..=end / step).map(|i| i * step).collect();
    times.extend(rec.events.iter().map(|e| e.at).filter(|&t| t <= end));
    times.push(end);
    times.sort_unstable();
    times.dedup();
    let states = times.iter().map(|&t| rec.state_at(t)).collect();
    (times, states)
}

/// A regular sample of about [`SAMPLE_POINTS`] states, and the end.
fn sampled_points(rec: &Recording) -> (Vec<Minute>, Vec<State>) {
    let end = rec.scenario.end();
    let every = (end / SAMPLE_POINTS).max(1);
    let mut states = rec.sample(every);
    let mut times: Vec<Minute> = (0..states.len() as i64).map(|i| i * every).collect();
    if times.last().is_none_or(|&t| t < end) {
        times.push(end);
        states.push(rec.final_state.clone());
    }
    (times, states)
}

/// One kind of seat of a state.
type Pick = fn(&State) -> &SeatCounts;

/// Professional and Analyzer allocations, for each kind the run ever has.
fn seats(states: &[State]) -> Vec<SeatSeries> {
    let kinds: [(&str, Pick); 2] = [
        ("Professional", |st| &st.professional),
        ("Analyzer", |st| &st.analyzer),
    ];
    kinds
        .into_iter()
        .filter(|(_, pick)| {
            states
                .iter()
                .any(|st| pick(st).total > 0 || pick(st).assigned > 0)
        })
        .map(|(name, pick)| SeatSeries {
            name: name.to_string(),
            total: states.iter().map(|st| pick(st).total).collect(),
            assigned: states.iter().map(|st| pick(st).assigned).collect(),
            quarantined: states.iter().map(|st| pick(st).quarantined).collect(),
        })
        .collect()
}

/// Each login access group's passes, in file order.
fn groups(sc: &Scenario, states: &[State]) -> Vec<GroupSeries> {
    sc.groups
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            let mut gs = GroupSeries {
                name: g.name.clone(),
                ..GroupSeries::default()
            };
            for st in states {
                let c = st.groups.0.get(gi).map(|(_, c)| c);
                gs.passes.push(c.map_or(0, |c| c.passes));
                gs.available.push(c.map_or(0, |c| c.available));
                gs.used.push(c.map_or(0, |c| c.used));
                gs.retiring.push(c.map_or(0, |c| c.retiring));
            }
            gs
        })
        .collect()
}

/// Denials and discontinuations, counted per `bucket` minutes (CONN-0, LAP-8).
fn markers(rec: &Recording, bucket: Minute) -> Vec<Marker> {
    let mut marks: BTreeMap<Minute, (u32, u32)> = BTreeMap::new();
    for e in &rec.events {
        let k = e.kind();
        if k == Kind::Denied || k == Kind::Discontinued {
            let m = marks.entry(e.at / bucket * bucket).or_default();
            if k == Kind::Denied {
                m.0 += 1;
            } else {
                m.1 += 1;
            }
        }
    }
    marks
        .into_iter()
        .map(|(at, (denied, discontinued))| Marker {
            at,
            denied,
            discontinued,
        })
        .collect()
}

/// Capacity and Core minutes of each calendar month (CAP-1, CORE-1): the running totals
/// carried by the month's last capacity block and Core Session (linear in the log, exact).
fn months(rec: &Recording) -> Vec<MonthUse> {
    let sc = &rec.scenario;
    let end = sc.end();
    let quota = rec.final_state.capacity.quota;
    let core_quota = rec.final_state.core.quota;
    let first_month = sc.clock.month_index(0);
    let mut months = Vec::new();
    let mut m = 0;
    while (m < end || months.is_empty()) && months.len() < MAX_MONTHS {
        let next = sc.clock.next_month_start(m);
        months.push(MonthUse {
            month: sc.clock.month_label(m),
            start: m,
            end: next.min(end),
            quota,
            used: 0,
            overage: 0,
            core_quota,
            core_used: 0,
        });
        m = next;
    }
    for e in &rec.events {
        let slot = usize::try_from(sc.clock.month_index(e.at) - first_month)
            .ok()
            .and_then(|i| months.get_mut(i));
        match (e.what, slot) {
            (What::CapacityBlock { used, .. }, Some(mo)) => mo.used = mo.used.max(used),
            (What::CoreSession { used, .. }, Some(mo)) => mo.core_used = mo.core_used.max(used),
            _ => {}
        }
    }
    for mo in &mut months {
        mo.overage = (mo.used - mo.quota).max(0);
    }
    months
}
