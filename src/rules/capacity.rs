//! Analyzer Capacity (CAP-1..3): minutes per calendar month, consumed in blocks for
//! active time only, capped by the quota plus overage.

use crate::base::time::{Clock, Minute};
use crate::scenario::{CapacityParallel, Ends, License, Overage, Scenario, UserId};

/// One month's capacity figures.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MonthUsage {
    pub month: String,
    pub quota: i64,
    pub used: i64,
    pub overage: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapacityMeter {
    /// Licensed minutes per month: packs × 1000 (CAP-1).
    pub quota: i64,
    /// The most minutes a month may use (quota + overage); `None`: unlimited (CAP-3).
    pub cap: Option<i64>,
    /// Minutes consumed this month, overage included.
    pub used: i64,
    /// Whether the license has any capacity at all (NU-4's fallback).
    pub licensed: bool,
}

impl CapacityMeter {
    pub fn new(license: &License) -> Self {
        let quota = license.capacity_quota();
        let licensed = license.analyzer_capacity_packs > 0;
        let cap = match license.overage {
            // NU-4: without packs there is no Analyzer Capacity; overage alone grants none.
            _ if !licensed => Some(0),
            Overage::None => Some(quota),
            Overage::Minutes(n) => Some(quota + n),
            Overage::Unlimited => None,
        };
        CapacityMeter {
            quota,
            cap,
            used: 0,
            licensed,
        }
    }

    /// CAP-3: a block is consumed only if it fits under the cap.
    pub fn fits(&self, block: i64) -> bool {
        match self.cap {
            None => true,
            Some(cap) => self.used + block <= cap,
        }
    }

    pub fn consume(&mut self, block: i64) {
        self.used += block;
    }

    /// Minutes above the licensed quota this month (invoiced the following month).
    pub fn overage(&self) -> i64 {
        (self.used - self.quota).max(0)
    }

    /// CAP-1 / TIME-2: the month ends; returns the unused minutes forfeited.
    pub fn reset(&mut self) -> i64 {
        let forfeited = (self.quota - self.used).max(0);
        self.used = 0;
        forfeited
    }
}

/// CAP-2 without the event queue: the capacity minutes each calendar month (indexed
/// from the start's month) would cost if the users for which `on_capacity` holds were on
/// Analyzer Capacity with no cap (neither the month's minutes nor the parallel cap of
/// CONN-1: every visit is admitted). The sizing runs use it to price the capacity model; a
/// property test checks it against the engine's own metering.
pub fn demand_by_month(sc: &Scenario, on_capacity: impl Fn(usize) -> bool) -> Vec<i64> {
    let mut demand = Demand {
        clock: &sc.clock,
        block: sc.settings.capacity_block.max(1),
        first_month: sc.clock.month_index(0),
        end: sc.end(),
        months: Vec::new(),
    };
    let visits = capacity_visits(sc, on_capacity);
    let per_user = sc.settings.capacity_parallel == CapacityParallel::PerUser;
    let mut acts: Vec<(Minute, Minute)> = Vec::new();
    for user_visits in visits.chunk_by(|a, b| a.user == b.user) {
        let anonymous = sc.users[user_visits[0].user.index()].is_anonymous();
        // An anonymous user's visits cannot be linked: their own blocks each, even per user.
        if per_user && !anonymous {
            acts.clear();
            acts.extend(user_visits.iter().map(|v| (v.at, v.until)));
            demand.run(&acts);
            continue;
        }
        demand.per_device(user_visits, anonymous);
    }
    demand.months
}

/// A visit of a capacity user, as [`demand_by_month`] reads it.
struct CapacityVisit {
    user: UserId,
    at: Minute,
    script: u32,
    until: Minute,
    conn_end: Minute,
    device: u32,
}

/// The capacity users' visits, by user and then in script order (the engine's order),
/// copied so the pass over them reads memory in sequence.
fn capacity_visits(sc: &Scenario, on_capacity: impl Fn(usize) -> bool) -> Vec<CapacityVisit> {
    let timeout = sc.settings.inactivity_timeout;
    let mut visits: Vec<CapacityVisit> = sc
        .visits
        .iter()
        .filter(|v| on_capacity(v.user.index()))
        .map(|v| CapacityVisit {
            user: v.user,
            at: v.at,
            script: v.script,
            until: v.at + v.active,
            conn_end: v.at + v.active + if v.ends == Ends::Timeout { timeout } else { 0 },
            device: v.device,
        })
        .collect();
    visits.sort_unstable_by_key(|v| (v.user, v.at, v.script));
    visits
}

/// The minutes charged so far, per month from the start's month.
struct Demand<'a> {
    clock: &'a Clock,
    block: i64,
    first_month: i64,
    end: Minute,
    months: Vec<i64>,
}

impl Demand<'_> {
    /// One block starts at `at` (none after the end).
    fn charge(&mut self, at: Minute) {
        if at <= self.end {
            let m = (self.clock.month_index(at) - self.first_month).max(0) as usize;
            if self.months.len() <= m {
                self.months.resize(m + 1, 0);
            }
            self.months[m] += self.block;
        }
    }

    /// One run of blocks over activity starts (at, active until), in order.
    fn run(&mut self, starts: &[(Minute, Minute)]) {
        let block = self.block;
        let mut active_until = Minute::MIN;
        let mut block_end: Option<Minute> = None;
        let mut i = 0;
        loop {
            let next = starts.get(i).map(|s| s.0);
            // Connection starts come before renewals in the same minute (TIME-3).
            let visit_first = match (next, block_end) {
                (Some(t), Some(b)) => t <= b,
                (Some(_), None) => true,
                (None, _) => false,
            };
            match (next, block_end) {
                (Some(_), _) if visit_first => {
                    let (at, until) = starts[i];
                    i += 1;
                    active_until = active_until.max(until);
                    if until > at && block_end.is_none_or(|b| b <= at) {
                        self.charge(at);
                        block_end = Some(at + block);
                    }
                }
                (_, Some(b)) => {
                    if active_until > b {
                        self.charge(b);
                        block_end = Some(b + block);
                    } else {
                        block_end = None;
                    }
                }
                _ => break,
            }
        }
    }

    /// Per device: one run per connection, the visits of one connection being the tabs
    /// of one browser (CONN-0; an anonymous user's visits never merge).
    fn per_device(&mut self, user_visits: &[CapacityVisit], anonymous: bool) {
        // (device, when it ends, its activity starts)
        type OpenConnection = (u32, Minute, Vec<(Minute, Minute)>);
        let mut open: Vec<OpenConnection> = Vec::new();
        for v in user_visits {
            // Connections that ended by now are complete.
            let mut k = 0;
            while k < open.len() {
                if open[k].1 <= v.at {
                    let (_, _, done) = open.swap_remove(k);
                    self.run(&done);
                } else {
                    k += 1;
                }
            }
            let same = (!anonymous)
                .then(|| open.iter_mut().find(|c| c.0 == v.device))
                .flatten();
            match same {
                Some(c) => {
                    c.1 = c.1.max(v.conn_end);
                    c.2.push((v.at, v.until));
                }
                None => open.push((v.device, v.conn_end, vec![(v.at, v.until)])),
            }
        }
        for (_, _, done) in open {
            self.run(&done);
        }
    }
}
