//! User Access Pass, Professional and Analyzer allocations as lanes (UAP-1, UAP-3, UAP-4,
//! NU-1, NU-2, NU-4, QLS-1): allocated, each use, removed, quarantined until …,
//! reinstated, freed.
//!
//! An allocation's number is its place in the order of allocation, as in the engine:
//! every allocation the engine makes logs one `SeatAllocated`.

use serde::{Deserialize, Serialize};

use super::{quarantined_until, seat_kind, Lives, Run, Window, NONE};
use crate::base::time::Minute;
use crate::engine::events::{Event, Release};
use crate::report::describe::Describe;
use crate::scenario::{Seat, UserId};

/// A kind of allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatKind {
    UserPass,
    Professional,
    Analyzer,
}

/// What happened to an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepWhat {
    Allocated,
    /// QLS-1: the other deployments confirmed it at the sync.
    Confirmed,
    /// QLS-1: rejected at the sync (another deployment took the last one first).
    Rejected,
    Removed(Release),
    QuarantineEnded,
    Reinstated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub event: u32,
    pub what: StepWhat,
}

/// One allocation over the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationLife {
    pub seat: Seat,
    pub user: UserId,
    /// Given by dynamic assignment (NU-4).
    pub dynamic: bool,
    /// In event order; the first is `Allocated`.
    pub steps: Vec<Step>,
}

/// Where an allocation stands after some events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Held by its user (counts as allocated or assigned); since this event.
    Allocated(u32),
    /// In quarantine since this event (pending for a User Access Pass).
    Quarantined(u32),
    /// Free again, or not allocated yet.
    Free,
}

impl AllocationLife {
    /// Where the allocation stands after the first `bound` events.
    pub fn held_at(&self, bound: u32) -> Held {
        let mut held = Held::Free;
        for s in self.steps.iter().take_while(|s| s.event < bound) {
            held = match s.what {
                StepWhat::Allocated | StepWhat::Reinstated => Held::Allocated(s.event),
                StepWhat::Confirmed => held,
                StepWhat::Removed(Release::Quarantined { .. }) => Held::Quarantined(s.event),
                StepWhat::Removed(_) | StepWhat::QuarantineEnded | StepWhat::Rejected => Held::Free,
            };
        }
        held
    }
}

/// The allocations while the log is read: who holds which, who has which in quarantine.
pub(super) struct Seats {
    lives: Vec<AllocationLife>,
    /// Per user and seat: the allocation held.
    held: Vec<[u32; 3]>,
    /// Per user: allocations in quarantine, in order of removal (as the engine keeps them).
    quarantined: Vec<Vec<u32>>,
    /// Per allocation: the minute its quarantine ends.
    until: Vec<Minute>,
}

impl Seats {
    pub(super) fn new(users: usize) -> Self {
        Seats {
            lives: Vec::new(),
            held: vec![[NONE; 3]; users],
            quarantined: vec![Vec::new(); users],
            until: Vec::new(),
        }
    }

    /// The allocation of `seat` user `u` holds now.
    pub(super) fn held(&self, u: UserId, seat: Seat) -> u32 {
        self.held.get(u.index()).map_or(NONE, |h| h[seat.index()])
    }

    fn step(&mut self, a: u32, event: u32, what: StepWhat) {
        if let Some(l) = self.lives.get_mut(a as usize) {
            l.steps.push(Step { event, what });
        }
    }

    /// Seat events are about a user; one about no one changes nothing.
    pub(super) fn allocated(&mut self, i: u32, e: &Event, seat: Seat, dynamic: bool) {
        let Some(user) = e.user else {
            return;
        };
        let a = self.lives.len() as u32;
        self.lives.push(AllocationLife {
            seat,
            user,
            dynamic,
            steps: vec![Step {
                event: i,
                what: StepWhat::Allocated,
            }],
        });
        self.until.push(Minute::MAX);
        if let Some(h) = self.held.get_mut(user.index()) {
            h[seat.index()] = a;
        }
    }

    pub(super) fn removed(&mut self, i: u32, e: &Event, seat: Seat, release: Release) {
        let Some(u) = e.user.map(|u| u.index()) else {
            return;
        };
        let Some(h) = self.held.get_mut(u) else {
            return;
        };
        let a = std::mem::replace(&mut h[seat.index()], NONE);
        if a == NONE {
            return;
        }
        self.step(a, i, StepWhat::Removed(release));
        if let Some(until) = quarantined_until(release) {
            self.until[a as usize] = until;
            self.quarantined[u].push(a);
        }
    }

    /// UAP-3, NU-2: the quarantine that ends now (at 00:00) is the user's one of this seat
    /// due now; of two due at once, the engine ends the older allocation first.
    pub(super) fn quarantine_ended(&mut self, i: u32, e: &Event, seat: Seat) {
        let Some(u) = e.user.map(|u| u.index()) else {
            return;
        };
        let Some(q) = self.quarantined.get(u) else {
            return;
        };
        let found = q
            .iter()
            .copied()
            .filter(|&a| self.lives[a as usize].seat == seat && self.until[a as usize] == e.at)
            .min();
        if let Some(a) = found {
            self.quarantined[u].retain(|x| *x != a);
            self.step(a, i, StepWhat::QuarantineEnded);
        }
    }

    /// UAP-4, NU-2: the reinstated allocation is the user's latest in quarantine of this
    /// seat.
    pub(super) fn reinstated(&mut self, i: u32, e: &Event, seat: Seat) {
        let Some(u) = e.user.map(|u| u.index()) else {
            return;
        };
        let Some(q) = self.quarantined.get(u) else {
            return;
        };
        let found = q
            .iter()
            .rev()
            .copied()
            .find(|&a| self.lives[a as usize].seat == seat);
        if let Some(a) = found {
            self.quarantined[u].retain(|x| *x != a);
            self.held[u][seat.index()] = a;
            self.step(a, i, StepWhat::Reinstated);
        }
    }

    /// QLS-1: the sync confirms or rejects the user's unsynced allocation (always the one
    /// held: a removal drops it from the unsynced list).
    pub(super) fn synced(&mut self, i: u32, e: &Event, seat: Seat, accepted: bool) {
        let Some(user) = e.user else {
            return;
        };
        let a = self.held(user, seat);
        if a == NONE {
            return;
        }
        if accepted {
            self.step(a, i, StepWhat::Confirmed);
        } else {
            self.held[user.index()][seat.index()] = NONE;
            self.step(a, i, StepWhat::Rejected);
        }
    }

    pub(super) fn finish(self) -> Vec<AllocationLife> {
        self.lives
    }
}

/// Allocations in a window (`license-lab lanes FILE --allocations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationLanes {
    pub from: Minute,
    pub to: Minute,
    /// Allocations over the run, and the first shown.
    pub total: u32,
    pub first: u32,
    pub lanes: Vec<AllocationLane>,
}

/// One allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationLane {
    /// Its number, in order of allocation.
    pub id: u32,
    pub seat: SeatKind,
    pub user: String,
    pub dynamic: bool,
    /// Held and quarantined stretches that meet the window.
    pub spans: Vec<Span>,
    /// What happened, with the log's words.
    pub marks: Vec<Mark>,
    /// Connections on it that meet the window (each start and end is a use, UAP-3).
    pub uses: Vec<UseSpan>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanState {
    Allocated,
    Quarantined,
}

/// A stretch of time the allocation is held or in quarantine; `to: None`: to the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub state: SpanState,
    pub from: Minute,
    pub to: Option<Minute>,
    /// A quarantine's scheduled end (UAP-3), which a reinstatement cuts short.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub until: Option<Minute>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    Allocated,
    Confirmed,
    Rejected,
    Removed,
    Quarantined,
    Reinstated,
    Freed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub at: Minute,
    pub event: u32,
    pub what: MarkKind,
    pub line: String,
}

/// A connection on the allocation; `to: None`: still open at the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseSpan {
    pub connection: u32,
    pub device: String,
    pub from: Minute,
    pub to: Option<Minute>,
}

impl Lives {
    /// The allocations in a window, in order of allocation.
    pub fn allocations(&self, run: &Run, q: Window) -> AllocationLanes {
        let q = q.clamp(run.scenario.end());
        let total = self.allocations.len() as u32;
        let first = q.first.min(total);
        let last = first.saturating_add(q.count).min(total);
        AllocationLanes {
            from: q.from,
            to: q.to,
            total,
            first,
            lanes: (first..last)
                .map(|a| self.allocation_lane(run, a, &q))
                .collect(),
        }
    }

    fn allocation_lane(&self, run: &Run, id: u32, q: &Window) -> AllocationLane {
        let sc = run.scenario;
        let life = &self.allocations[id as usize];
        let mut spans = Vec::new();
        let mut marks = Vec::new();
        let mut open: Option<(SpanState, Minute, Option<Minute>)> = None;
        let mut close = |open: &mut Option<(SpanState, Minute, Option<Minute>)>, to: Minute| {
            if let Some((state, from, until)) = open.take() {
                if q.meets(from, Some(to)) {
                    spans.push(Span {
                        state,
                        from,
                        to: Some(to),
                        until,
                    });
                }
            }
        };
        for s in &life.steps {
            let at = run.at(s.event);
            let what = match s.what {
                StepWhat::Allocated | StepWhat::Reinstated => {
                    close(&mut open, at);
                    open = Some((SpanState::Allocated, at, None));
                    if s.what == StepWhat::Allocated {
                        MarkKind::Allocated
                    } else {
                        MarkKind::Reinstated
                    }
                }
                StepWhat::Confirmed => MarkKind::Confirmed,
                StepWhat::Rejected => {
                    close(&mut open, at);
                    MarkKind::Rejected
                }
                StepWhat::Removed(release) => {
                    close(&mut open, at);
                    match quarantined_until(release) {
                        Some(until) => {
                            open = Some((SpanState::Quarantined, at, Some(until)));
                            MarkKind::Quarantined
                        }
                        None => MarkKind::Removed,
                    }
                }
                StepWhat::QuarantineEnded => {
                    close(&mut open, at);
                    MarkKind::Freed
                }
            };
            if at >= q.from && at <= q.to {
                marks.push(Mark {
                    at,
                    event: s.event,
                    what,
                    line: run.events[s.event as usize].describe(sc),
                });
            }
        }
        if let Some((state, from, until)) = open {
            if q.meets(from, None) {
                spans.push(Span {
                    state,
                    from,
                    to: None,
                    until,
                });
            }
        }
        let uses = self
            .connections_on(id)
            .filter_map(|(n, c)| {
                let from = run.at(c.opened);
                let to = run.at_opt(c.closed);
                q.meets(from, to).then(|| UseSpan {
                    connection: n,
                    device: sc.device_name(c.device).to_string(),
                    from,
                    to,
                })
            })
            .collect();
        AllocationLane {
            id,
            seat: seat_kind(life.seat),
            user: run.user_name(life.user),
            dynamic: life.dynamic,
            spans,
            marks,
            uses,
        }
    }
}
