//! The state's counts over a whole run, replayed from the event log through the rules'
//! own ledgers (`rules::tokens`, `rules::login_pass`), as step series: exact at every
//! minute, in one pass over the log, with no re-run of the engine. `tests/compare.rs`
//! checks every series against the engine's state at every minute of every example.

use serde::{Deserialize, Serialize};

use crate::base::time::Minute;
use crate::engine::events::{Event, Release, What};
use crate::report::lives::Run;
use crate::rules::login_pass::{GroupPool, Returned};
use crate::rules::tokens::{Bucket, TokenLedger};
use crate::scenario::Seat;

/// A count as steps: `values[i]` holds from `times[i]` until the next time (the state
/// after every event at that minute).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Steps {
    pub times: Vec<Minute>,
    pub values: Vec<i64>,
    /// The highest value held even for an instant: a change undone within its minute
    /// (a zero-length connection) leaves no step, but it counts here, as it does in the
    /// engine's peaks.
    #[serde(default)]
    pub peak: i64,
}

impl Steps {
    /// Notes a value held for an instant (between two events of one minute).
    fn reach(&mut self, v: i64) {
        self.peak = self.peak.max(v);
    }

    fn push(&mut self, at: Minute, v: i64) {
        if self.values.last() == Some(&v) {
            return;
        }
        if self.times.last() == Some(&at) {
            if let Some(last) = self.values.last_mut() {
                *last = v;
            }
            // A change undone within the minute leaves no step.
            let n = self.values.len();
            if n >= 2 && self.values[n - 2] == v {
                self.times.pop();
                self.values.pop();
            }
            return;
        }
        self.times.push(at);
        self.values.push(v);
    }

    /// The value at minute `t` (the first value before the first step).
    pub fn at(&self, t: Minute) -> i64 {
        let i = self.times.partition_point(|x| *x <= t);
        self.values
            .get(i.saturating_sub(1))
            .copied()
            .unwrap_or_default()
    }

    pub fn first(&self) -> i64 {
        self.values.first().copied().unwrap_or_default()
    }

    pub fn last(&self) -> i64 {
        self.values.last().copied().unwrap_or_default()
    }

    /// Whether the count never changes after day 0 00:00.
    pub fn flat(&self) -> bool {
        self.values.len() <= 1
    }

    /// The highest value of a minute's state (after every event of the minute).
    pub fn max(&self) -> i64 {
        self.values.iter().copied().max().unwrap_or_default()
    }

    /// The highest value reached at any instant, within a minute too (the engine's peaks).
    pub fn peak(&self) -> i64 {
        self.peak.max(self.max())
    }

    /// The first minute the count reaches `v`.
    pub fn first_reaching(&self, v: i64) -> Option<Minute> {
        self.values
            .iter()
            .position(|x| *x >= v)
            .map(|i| self.times[i])
    }

    /// The minute of the last change (`None`: never changes after day 0 00:00).
    pub fn settled(&self) -> Option<Minute> {
        (self.times.len() > 1).then(|| self.times[self.times.len() - 1])
    }
}

/// The counts a comparison charts, each over the run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub total: Steps,
    pub free: Steps,
    pub user_passes: Steps,
    pub login_groups: Steps,
    pub pending: Steps,
    /// User Access Passes in quarantine.
    pub uap_quarantined: Steps,
    /// Login passes over all groups.
    pub passes: Steps,
    pub available: Steps,
    pub used: Steps,
    pub retiring: Steps,
    /// Professional and Analyzer allocations assigned, and in quarantine.
    pub assigned: Steps,
    pub seats_quarantined: Steps,
    /// This month's capacity and Core minutes (reset on the 1st).
    pub capacity: Steps,
    pub core: Steps,
    pub connections: Steps,
    pub passes_consumed: Steps,
    pub denied: Steps,
    pub discontinued: Steps,
    /// Denials and discontinuations so far.
    pub refusals: Steps,
}

#[derive(Default)]
struct Counts {
    uap_quarantined: i64,
    assigned: i64,
    seats_quarantined: i64,
    capacity: i64,
    core: i64,
    connections: i64,
    consumed: i64,
    denied: i64,
    discontinued: i64,
}

/// The rules' ledgers and the counts, replayed event by event.
struct Replay {
    /// `login_pass_return`, for the returns due (LAP-7).
    ret: Minute,
    tokens: TokenLedger,
    groups: Vec<GroupPool>,
    c: Counts,
    returned: Vec<Returned>,
}

impl Replay {
    fn apply(&mut self, e: &Event) {
        let c = &mut self.c;
        match e.what {
            What::GroupAllocated { .. }
            | What::GroupResized { .. }
            | What::PassConsumed { .. }
            | What::PassReturned { .. }
            | What::PassRetired { .. }
            | What::BlockFreed { .. } => self.login(e),
            What::SeatAllocated { .. }
            | What::SeatRemoved { .. }
            | What::QuarantineEnded { .. }
            | What::Reinstated { .. }
            | What::SyncRejected { .. } => self.seat(e.what),
            What::TokensSet { to, .. } => {
                let _ = self.tokens.set_total(to);
            }
            What::MonthStarted { .. } => {
                c.capacity = 0;
                c.core = 0;
            }
            What::CapacityBlock { used, .. } => c.capacity = used,
            What::CoreSession { used, .. } => c.core = used,
            What::Denied { .. } => c.denied += 1,
            What::Discontinued { .. } => c.discontinued += 1,
            What::Disconnected { .. } => c.connections -= 1,
            _ => {}
        }
    }

    /// Login access groups: tokens allocated and freed, passes consumed and returned.
    fn login(&mut self, e: &Event) {
        let (tokens, groups) = (&mut self.tokens, &mut self.groups);
        match e.what {
            What::GroupAllocated {
                group: g,
                tokens: k,
            } => {
                if let Some(g) = index(g, groups) {
                    tokens.moved(Bucket::Free, Bucket::LoginGroups, k);
                    groups[g].grow(k);
                }
            }
            What::GroupResized {
                group: g,
                from,
                to,
                freed_now,
                retiring,
            } => {
                if let Some(g) = index(g, groups) {
                    if to > from {
                        tokens.moved(Bucket::Free, Bucket::LoginGroups, to - from);
                        groups[g].grow(to - from);
                    } else {
                        groups[g].shrink(from - to);
                        tokens.moved(Bucket::LoginGroups, Bucket::Free, freed_now);
                        tokens.moved(Bucket::LoginGroups, Bucket::Pending, retiring);
                    }
                }
            }
            What::PassConsumed { group: g, .. } => {
                if let Some(g) = index(g, groups) {
                    groups[g].consume_unlimited(e.at);
                    self.c.consumed += 1;
                }
            }
            What::PassReturned { group: g, .. } | What::PassRetired { group: g, .. } => {
                if let Some(g) = index(g, groups) {
                    groups[g].return_due(e.at, self.ret, &mut self.returned);
                }
            }
            What::BlockFreed { group: g } => {
                if let Some(g) = index(g, groups) {
                    groups[g].return_due(e.at, self.ret, &mut self.returned);
                }
                tokens.moved(Bucket::Pending, Bucket::Free, 1);
            }
            _ => {}
        }
    }

    /// User Access Passes and Professional / Analyzer allocations.
    fn seat(&mut self, what: What) {
        let (tokens, c) = (&mut self.tokens, &mut self.c);
        match what {
            What::SeatAllocated { seat, .. } => match seat {
                Seat::UserPass => tokens.moved(Bucket::Free, Bucket::UserPasses, 1),
                _ => c.assigned += 1,
            },
            What::SeatRemoved { seat, release } => {
                let q = matches!(release, Release::Quarantined { .. });
                match (seat, q) {
                    (Seat::UserPass, true) => {
                        tokens.moved(Bucket::UserPasses, Bucket::Pending, 1);
                        c.uap_quarantined += 1;
                    }
                    (Seat::UserPass, false) => tokens.moved(Bucket::UserPasses, Bucket::Free, 1),
                    (_, true) => {
                        c.assigned -= 1;
                        c.seats_quarantined += 1;
                    }
                    (_, false) => c.assigned -= 1,
                }
            }
            What::QuarantineEnded { seat } => match seat {
                Seat::UserPass => {
                    tokens.moved(Bucket::Pending, Bucket::Free, 1);
                    c.uap_quarantined -= 1;
                }
                _ => c.seats_quarantined -= 1,
            },
            What::Reinstated { seat } => match seat {
                Seat::UserPass => {
                    tokens.moved(Bucket::Pending, Bucket::UserPasses, 1);
                    c.uap_quarantined -= 1;
                }
                _ => {
                    c.seats_quarantined -= 1;
                    c.assigned += 1;
                }
            },
            What::SyncRejected { .. } => c.assigned -= 1,
            _ => {}
        }
    }
}

/// The group's index, if the scenario has it.
fn index(g: u32, groups: &[GroupPool]) -> Option<usize> {
    ((g as usize) < groups.len()).then_some(g as usize)
}

impl Tally {
    /// Replays a run's log (and its links, for the connections).
    pub fn of(run: &Run) -> Tally {
        let sc = run.scenario;
        let mut r = Replay {
            ret: sc.settings.login_pass_return,
            tokens: TokenLedger::new(sc.license.tokens),
            groups: vec![GroupPool::default(); sc.groups.len()],
            c: Counts::default(),
            returned: Vec::new(),
        };
        let mut t = Tally::default();
        let mut links = run.links.iter().peekable();
        let mut opened = 0u32;
        let n = run.events.len();
        t.record(0, &r.tokens, &r.groups, &r.c);
        // Passes in use across groups, kept after every event for the peak.
        let mut used = 0i64;
        for (i, e) in run.events.iter().enumerate() {
            let touched = group_of(&e.what).filter(|g| (*g as usize) < r.groups.len());
            let used_before = touched.map_or(0, |g| r.groups[g as usize].used());
            r.apply(e);
            // A connection's first link is its opening event.
            while let Some(l) = links.next_if(|l| l.event as usize <= i) {
                if l.event as usize == i && l.connection == opened {
                    opened += 1;
                    r.c.connections += 1;
                }
            }
            if let Some(g) = touched {
                used += r.groups[g as usize].used() - used_before;
            }
            t.used.reach(used);
            t.connections.reach(r.c.connections);
            if i + 1 == n || run.events[i + 1].at != e.at {
                t.record(e.at, &r.tokens, &r.groups, &r.c);
            }
        }
        t
    }

    fn record(&mut self, at: Minute, tokens: &TokenLedger, groups: &[GroupPool], c: &Counts) {
        let sum = |f: fn(&GroupPool) -> i64| groups.iter().map(f).sum::<i64>();
        self.total.push(at, tokens.total);
        self.free.push(at, tokens.free);
        self.user_passes.push(at, tokens.user_passes);
        self.login_groups.push(at, tokens.login_groups);
        self.pending.push(at, tokens.pending);
        self.uap_quarantined.push(at, c.uap_quarantined);
        self.passes.push(at, sum(|g| g.passes()));
        self.available.push(at, sum(|g| g.available));
        self.used.push(at, sum(|g| g.used()));
        self.retiring.push(at, sum(|g| g.retiring()));
        self.assigned.push(at, c.assigned);
        self.seats_quarantined.push(at, c.seats_quarantined);
        self.capacity.push(at, c.capacity);
        self.core.push(at, c.core);
        self.connections.push(at, c.connections);
        self.passes_consumed.push(at, c.consumed);
        self.denied.push(at, c.denied);
        self.discontinued.push(at, c.discontinued);
        self.refusals.push(at, c.denied + c.discontinued);
    }
}

/// The login access group whose passes an event changes, if any.
fn group_of(what: &What) -> Option<u32> {
    match *what {
        What::GroupAllocated { group, .. }
        | What::GroupResized { group, .. }
        | What::PassConsumed { group, .. }
        | What::PassReturned { group, .. }
        | What::PassRetired { group, .. }
        | What::BlockFreed { group } => Some(group),
        _ => None,
    }
}
