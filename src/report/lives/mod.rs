//! Lives: one lane per login pass, per allocation and per person, read from a run's event
//! log and its links (which connection each connection event concerns).
//!
//! The engine pools a group's passes (`rules::login_pass`) and gives them no identity;
//! here a pass is a **lane number** of its group, defined so:
//!
//! - A group's passes get lane numbers as they come into it (allocation, LAP-10 growth),
//!   counting up from 0; a number is never reused.
//! - A consumption (LAP-2, LAP-3, LAP-6) takes the **lowest-numbered available** pass.
//! - Passes return in the order they were consumed (LAP-7), each to its own lane.
//! - A reduction (LAP-9) retires the used passes the engine retires (the oldest in use,
//!   in order of consumption) and, of the available ones, the **highest-numbered** first.
//!
//! So at every minute the lanes agree with the state: the group's available, used and
//! retiring counts are the lanes in each condition (`tests/lives.rs` checks it on every
//! example). Lanes are drawn one per pass, or aggregated in blocks of consecutive lane
//! numbers for large groups ([`PASS_LANES`]); a display block is not a LAP-9 block.
//!
//! [`Lives::build`] reads the whole log once; the views ([`Lives::passes`],
//! [`Lives::allocations`], [`Lives::person`]) answer a time window and a range of lanes,
//! so a year of 10,000 people is drawn a screenful at a time.

mod allocations;
mod passes;
mod people;

pub use allocations::{
    AllocationLane, AllocationLanes, AllocationLife, Held, Mark, MarkKind, SeatKind, Span,
    SpanState, Step, StepWhat, UseSpan,
};
pub use passes::{
    BlockLane, GroupLives, Leaving, LeftHow, PassBar, PassLane, PassLanes, PassUse, RetiringBlock,
    Why, PASS_LANES,
};
pub use people::{
    ConnectionBar, ConnectionLife, DeviceLane, Ended, Metered, On, PassRef, Person, RanOn, Refused,
};

use serde::{Deserialize, Serialize};

use crate::base::time::Minute;
use crate::engine::events::{Event, Release, What};
use crate::engine::Link;
use crate::report::timeline::Recording;
use crate::scenario::{CoreKey, GroupId, Scenario, Seat, UserId};

/// No event (an index into the log that is not there): "not yet" or "never".
pub const NONE: u32 = u32::MAX;

/// A recorded run as the lives and reasons read it: the scenario, the event log and the
/// links of [`Recording`].
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    pub scenario: &'a Scenario,
    pub events: &'a [Event],
    pub links: &'a [Link],
}

impl<'a> Run<'a> {
    pub fn of(rec: &'a Recording) -> Run<'a> {
        Run {
            scenario: &rec.scenario,
            events: &rec.events,
            links: &rec.links,
        }
    }

    /// How many events happen at or before minute `t`: the state at `t` is the state
    /// after them (TIME-3: after every event at `t`).
    pub fn upto(&self, t: Minute) -> u32 {
        self.events.partition_point(|e| e.at <= t) as u32
    }

    /// The minute of event `i` (the end of the run for [`NONE`]).
    pub fn at(&self, i: u32) -> Minute {
        self.events
            .get(i as usize)
            .map_or(self.scenario.end(), |e| e.at)
    }

    /// The minute of event `i`, or `None` for [`NONE`].
    pub fn at_opt(&self, i: u32) -> Option<Minute> {
        self.events.get(i as usize).map(|e| e.at)
    }

    pub fn user_name(&self, u: UserId) -> String {
        self.scenario.user_name(u).to_string()
    }
}

/// What a lanes view shows: a time window and a range of lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Window {
    /// The window's first and last minute (inclusive); `to` is clamped to the end.
    pub from: Minute,
    pub to: Minute,
    /// The first row, and how many rows at most ([`MAX_ROWS`]).
    pub first: u32,
    pub count: u32,
    /// Passes per row: 1 draws one lane per pass, 10 one per 10 passes; 0 chooses
    /// ([`PASS_LANES`]).
    pub block: u32,
    /// Time buckets across the window for aggregated rows; 0 chooses (one a day, at most
    /// [`MAX_BUCKETS`]).
    pub buckets: u32,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            from: 0,
            to: Minute::MAX,
            first: 0,
            count: 100,
            block: 0,
            buckets: 0,
        }
    }
}

/// The most rows one view returns.
pub const MAX_ROWS: u32 = 1000;
/// The most time buckets of an aggregated row.
pub const MAX_BUCKETS: u32 = 2000;

impl Window {
    /// The window clamped to the run and the limits.
    pub(crate) fn clamp(self, end: Minute) -> Window {
        let to = self.to.clamp(0, end);
        Window {
            from: self.from.clamp(0, to),
            to,
            count: self.count.min(MAX_ROWS),
            buckets: self.buckets.min(MAX_BUCKETS),
            ..self
        }
    }

    /// Whether `[start, end)` (an open `end`: `None`) meets the window.
    pub(crate) fn meets(&self, start: Minute, end: Option<Minute>) -> bool {
        start <= self.to && end.is_none_or(|e| e >= self.from)
    }
}

/// Every lane of a run: the passes of each group, the allocations, the connections.
#[derive(Debug, Clone, Default)]
pub struct Lives {
    /// One per `[[group]]`, in file order.
    pub groups: Vec<GroupLives>,
    /// Every User Access Pass, Professional and Analyzer allocation, in order of
    /// allocation (the engine's allocation numbers).
    pub allocations: Vec<AllocationLife>,
    /// Every connection, in order of opening.
    pub connections: Vec<ConnectionLife>,
    /// Connections of each user (indices into `connections`), CSR: user `u`'s are
    /// `user_conns[user_start[u]..user_start[u + 1]]`.
    user_start: Vec<u32>,
    user_conns: Vec<u32>,
    /// Connections on each allocation, CSR like `user_conns`.
    alloc_start: Vec<u32>,
    alloc_conns: Vec<u32>,
    /// Core session keys, for `On::Core`.
    core_keys: Vec<CoreKey>,
}

/// Builds a CSR index: `items[start[k]..start[k + 1]]` are the `i` with `key(i) == k`.
fn csr(n_keys: usize, keys: impl Iterator<Item = Option<usize>> + Clone) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n_keys + 1];
    for k in keys.clone().flatten() {
        if k < n_keys {
            start[k + 1] += 1;
        }
    }
    for k in 0..n_keys {
        start[k + 1] += start[k];
    }
    let mut fill = start.clone();
    let mut items = vec![0u32; start[n_keys] as usize];
    for (i, k) in keys.enumerate() {
        if let Some(k) = k.filter(|k| *k < n_keys) {
            items[fill[k] as usize] = i as u32;
            fill[k] += 1;
        }
    }
    (start, items)
}

impl Lives {
    /// Reads the whole run once.
    pub fn build(run: &Run) -> Lives {
        let sc = run.scenario;
        let mut groups: Vec<GroupLives> = (0..sc.groups.len())
            .map(|g| GroupLives::new(g as u32))
            .collect();
        let mut seats = allocations::Seats::new(sc.users.len());
        let mut conns = people::Builder::default();
        let mut links = run.links.iter().peekable();
        for (i, e) in run.events.iter().enumerate() {
            let i = i as u32;
            match e.what {
                What::GroupAllocated { group, tokens } => {
                    if let Some(g) = groups.get_mut(group as usize) {
                        g.resize(i, 0, tokens, 0, 0);
                    }
                }
                What::GroupResized {
                    group,
                    from,
                    to,
                    freed_now,
                    retiring,
                } => {
                    if let Some(g) = groups.get_mut(group as usize) {
                        g.resize(i, from, to, freed_now, retiring);
                    }
                }
                What::PassConsumed { group, why, .. } => {
                    if let (Some(g), Some(u)) = (groups.get_mut(group as usize), e.user) {
                        g.consume(i, e.at, u, why.into());
                    }
                }
                What::PassReturned { group, .. }
                | What::PassRetired { group, .. }
                | What::BlockFreed { group } => {
                    if let Some(g) = groups.get_mut(group as usize) {
                        g.pass_returns(i, &e.what);
                    }
                }
                What::SeatAllocated { seat, dynamic } => seats.allocated(i, e, seat, dynamic),
                What::SeatRemoved { seat, release } => seats.removed(i, e, seat, release),
                What::QuarantineEnded { seat } => seats.quarantine_ended(i, e, seat),
                What::Reinstated { seat } => seats.reinstated(i, e, seat),
                What::SyncAccepted { seat, .. } => seats.synced(i, e, seat, true),
                What::SyncRejected { seat, .. } => seats.synced(i, e, seat, false),
                _ => {}
            }
            while let Some(l) = links.next_if(|l| l.event <= i) {
                if l.event == i {
                    conns.link(i, e, l, &seats);
                }
            }
        }
        for g in &mut groups {
            g.finish();
            g.times(run, sc.settings.login_pass_return);
        }
        let allocations = seats.finish();
        let (connections, core_keys) = conns.finish();
        let (user_start, user_conns) = csr(
            sc.users.len(),
            connections.iter().map(|c| Some(c.user.index())),
        );
        let (alloc_start, alloc_conns) = csr(
            allocations.len(),
            connections.iter().map(|c| match c.on {
                On::Seat(_, a) => Some(a as usize),
                _ => None,
            }),
        );
        Lives {
            groups,
            allocations,
            connections,
            user_start,
            user_conns,
            alloc_start,
            alloc_conns,
            core_keys,
        }
    }

    /// The connections of user `u`, in order of opening.
    pub fn connections_of(&self, u: UserId) -> impl Iterator<Item = (u32, &ConnectionLife)> {
        let u = u.index();
        let range = match (self.user_start.get(u), self.user_start.get(u + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        };
        self.user_conns[range]
            .iter()
            .map(|&c| (c, &self.connections[c as usize]))
    }

    /// The connections on allocation `a`, in order of opening.
    pub fn connections_on(&self, a: u32) -> impl Iterator<Item = (u32, &ConnectionLife)> {
        let a = a as usize;
        let range = match (self.alloc_start.get(a), self.alloc_start.get(a + 1)) {
            (Some(&x), Some(&y)) => x as usize..y as usize,
            _ => 0..0,
        };
        self.alloc_conns[range]
            .iter()
            .map(|&c| (c, &self.connections[c as usize]))
    }

    /// The connections open after the first `bound` events (see [`Run::upto`]).
    pub fn open_at(&self, bound: u32) -> impl Iterator<Item = (u32, &ConnectionLife)> {
        // Connections open in event order: only those opened before `bound` can be open.
        let n = self.connections.partition_point(|c| c.opened < bound);
        self.connections[..n]
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.closed >= bound)
            .map(|(i, c)| (i as u32, c))
    }

    pub(crate) fn core_key(&self, i: u32) -> Option<CoreKey> {
        self.core_keys.get(i as usize).copied()
    }

    /// The passes of group `g` in a window.
    pub fn passes(&self, run: &Run, g: GroupId, q: Window) -> Option<PassLanes> {
        self.groups.get(g as usize).map(|l| l.view(run, q))
    }

    /// The group with this name.
    pub fn group(&self, sc: &Scenario, name: &str) -> Option<&GroupLives> {
        sc.group_id(name).and_then(|g| self.groups.get(g as usize))
    }
}

/// A lane an event concerns, for the app to open from the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "lane", rename_all = "snake_case")]
pub enum LaneRef {
    /// Pass `pass` (1-based lane number) of `group`.
    Pass { group: String, pass: u32 },
    /// Allocation number `id`.
    Allocation { id: u32 },
    /// A person's lanes.
    Person { user: String },
}

impl Lives {
    /// The lanes event `event` concerns: the pass it consumes, returns or reuses, the
    /// allocation it changes or runs on, and the person it is about.
    pub fn lanes_of(&self, run: &Run, event: u32) -> Vec<LaneRef> {
        let sc = run.scenario;
        let Some(e) = run.events.get(event as usize) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let pass = |g: GroupId, u: Option<u32>| {
            let lives = self.groups.get(g as usize)?;
            let u = lives.uses.get(u? as usize)?;
            Some(LaneRef::Pass {
                group: sc.group_name(g).to_string(),
                pass: u.lane + 1,
            })
        };
        let found = match e.what {
            What::PassConsumed { group, .. } => pass(
                group,
                self.groups
                    .get(group as usize)
                    .and_then(|l| l.use_of_event(event)),
            ),
            What::PassReturned { group, .. }
            | What::PassRetired { group, .. }
            | What::BlockFreed { group } => pass(
                group,
                self.groups.get(group as usize).and_then(|l| {
                    // Returns come in order of consumption: `returned` grows along `uses`.
                    let i = l.uses.partition_point(|u| u.returned < event);
                    (l.uses.get(i)?.returned == event).then_some(i as u32)
                }),
            ),
            What::PassReused {
                group, consumed_at, ..
            } => pass(
                group,
                self.groups.get(group as usize).and_then(|l| {
                    let before = l.uses.partition_point(|u| u.event < event);
                    l.uses[..before]
                        .iter()
                        .rposition(|u| Some(u.user) == e.user && u.at == consumed_at)
                        .map(|i| i as u32)
                }),
            ),
            _ => None,
        };
        out.extend(found);
        let allocation = self
            .allocations
            .iter()
            .position(|a| a.steps.iter().any(|s| s.event == event))
            .or_else(|| {
                self.connections.iter().find_map(|c| match c.on {
                    On::Seat(_, a) if c.opened == event || c.closed == event => Some(a as usize),
                    _ => None,
                })
            });
        if let Some(id) = allocation {
            out.push(LaneRef::Allocation { id: id as u32 });
        }
        if let Some(u) = e.user {
            out.push(LaneRef::Person {
                user: run.user_name(u),
            });
        }
        out
    }
}

/// A seat's words in views and keys.
pub(crate) fn seat_kind(seat: Seat) -> SeatKind {
    match seat {
        Seat::UserPass => SeatKind::UserPass,
        Seat::Professional => SeatKind::Professional,
        Seat::Analyzer => SeatKind::Analyzer,
    }
}

/// How a removed allocation comes back (UAP-3, NU-2), in the words of a view.
pub fn quarantined_until(release: Release) -> Option<Minute> {
    match release {
        Release::Quarantined { until, .. } => Some(until),
        _ => None,
    }
}
