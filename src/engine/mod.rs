//! The rules engine: an event-driven simulation of one scenario.
//!
//! Connection starts come from the scenario's visits (already sorted), administrative
//! changes from its actions; everything the rules schedule (connection ends, renewals,
//! pass returns, quarantine ends, monthly resets) goes through a priority [`Queue`]. At
//! each minute the events are applied in TIME-3's order: releases, administrative
//! changes, connection ends, connection starts, renewals; ties keep script order.

mod queue;

use std::collections::HashMap;
use std::sync::Arc;

pub use queue::{Class, Key, Queue, Runner, Timed};

use crate::capacity::{CapacityMeter, MonthUsage};
use crate::cohort::OWN_SESSION;
use crate::connections::{Connection, Connections, Cooling, Path};
use crate::core_sessions::{CoreMeter, SessionId};
use crate::events::{Consume, Event, How, Refusal, Release, Rule, Via, What, NO_USER};
use crate::login_pass::{GroupPool, Returned};
use crate::nodes::{allocate_cores, NodeLink};
use crate::quarantine::{self, Allocation, SeatPool, Status};
use crate::scenario::{
    Access, ActionKind, CapacityParallel, DeploymentId, Ends, GroupId, NodeId, NodeRole, Scenario,
    Seat, Settings, UserId, Visit,
};
use crate::state::*;
use crate::time::Minute;
use crate::tokens::{Bucket, TokenLedger};

/// An administrative change: the day-0 allocations, then the `[[action]]`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Admin {
    /// `[[group]]` allocated at day 0 00:00 in file order (LAP-1).
    Group(GroupId),
    /// A `user_pass`, `professional` or `analyzer` user allocated at day 0 00:00 after the groups.
    Seat(UserId, Seat),
    /// An `[[action]]`, by index into `Scenario::actions`.
    Action(u32),
}

#[derive(Debug, Clone, Copy)]
struct AdminItem {
    at: Minute,
    order: u64,
    what: Admin,
}

/// What a connection start will use, before it is admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Seat(Seat, u32),
    /// NU-4: a free allocation to be given on connection.
    Dynamic(Seat),
    Login(GroupId),
    Capacity,
    Core,
}

/// Per-user runtime state.
#[derive(Debug, Clone)]
struct UserRt {
    access: Access,
    anonymous: bool,
    deployment: DeploymentId,
    /// Open connections.
    conns: Vec<u32>,
    cooling: Cooling,
    /// Allocated allocation per seat kind (index into `allocations`).
    seats: [Option<u32>; 3],
    /// Allocations of this user in quarantine.
    quarantined: Vec<u32>,
    /// Identified login users: open login connections (the session is alive while > 0).
    login_open: u32,
    /// Identified login users: the number of the current pass and when it was consumed.
    pass: u32,
    pass_consumed_at: Minute,
    has_pass: bool,
    /// Capacity per user: the running block ends here.
    block_end: Minute,
    block_generation: u32,
}

/// Per-group figures a run collects for sizing (SIZE-1, SIZE-2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupStats {
    /// The most passes in use at once.
    pub peak_used: i64,
    /// The fewest passes available (below zero in an unlimited run: passes missing).
    pub min_available: i64,
    pub denied: u64,
    pub discontinued: u64,
    /// Denials plus discontinuations per calendar month since the start.
    pub refused_by_month: Vec<u32>,
}

/// One login pass consumption: when, by whom, in which group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Consumption {
    pub at: Minute,
    pub user: UserId,
    pub group: GroupId,
}

/// An assignment made on one deployment, not yet seen by the others (QLS-1).
#[derive(Debug, Clone, Copy)]
struct Unsynced {
    alloc: u32,
    deployment: DeploymentId,
}

/// A running simulation. Cloning it (without its log) is how the timeline keeps
/// checkpoints for the state at any moment.
#[derive(Debug, Clone)]
pub struct Simulation {
    sc: Arc<Scenario>,
    settings: Settings,
    now: Minute,
    end: Minute,
    queue: Queue,
    admin: Arc<Vec<AdminItem>>,
    next_admin: usize,
    next_visit: usize,
    tokens: TokenLedger,
    groups: Vec<GroupPool>,
    return_scheduled: Vec<bool>,
    users: Vec<UserRt>,
    allocations: Vec<Allocation>,
    /// Professional (0) and Analyzer (1) allocations.
    seat_pools: [SeatPool; 2],
    uap_quarantined: i64,
    conns: Connections,
    capacity: CapacityMeter,
    capacity_months: Vec<MonthUsage>,
    core: CoreMeter,
    core_sessions: HashMap<u64, SessionId>,
    nodes: Vec<NodeLink>,
    node_cores: Vec<i64>,
    unsynced: Vec<Unsynced>,
    totals: Totals,
    group_stats: Vec<GroupStats>,
    user_passes_consumed: Vec<u32>,
    unlimited_passes: bool,
    consumptions: Option<Vec<Consumption>>,
    first_month: i64,
    events_processed: u64,
    log: Log,
    returned: Vec<Returned>,
}

/// The event log of a simulation. Cloning a simulation (a checkpoint) never copies it.
#[derive(Debug, Default)]
struct Log(Option<Vec<Event>>);

impl Clone for Log {
    fn clone(&self) -> Self {
        Log(None)
    }
}

fn seat_rule(seat: Seat) -> Rule {
    match seat {
        Seat::UserPass => Rule::Uap1,
        _ => Rule::Nu1,
    }
}

fn removal_rule(seat: Seat) -> Rule {
    match seat {
        Seat::UserPass => Rule::Uap3,
        _ => Rule::Nu2,
    }
}

fn reinstate_rule(seat: Seat) -> Rule {
    match seat {
        Seat::UserPass => Rule::Uap4,
        _ => Rule::Nu2,
    }
}

const USER_ORDER_SHIFT: u32 = 32;
const CORE_ORDER: u64 = 1 << 62;

impl Simulation {
    /// A simulation at day 0 00:00, before any event. `record` keeps the event log.
    pub fn new(sc: Arc<Scenario>, record: bool) -> Self {
        let mut admin = Vec::new();
        for g in 0..sc.groups.len() {
            admin.push(Admin::Group(g as GroupId));
        }
        for (i, u) in sc.users.iter().enumerate() {
            let seat = match u.access {
                Access::UserPass => Some(Seat::UserPass),
                Access::Professional => Some(Seat::Professional),
                Access::Analyzer => Some(Seat::Analyzer),
                _ => None,
            };
            if let Some(seat) = seat {
                admin.push(Admin::Seat(i as UserId, seat));
            }
        }
        let initial = admin.len() as u64;
        let mut items: Vec<AdminItem> = admin
            .into_iter()
            .enumerate()
            .map(|(i, what)| AdminItem {
                at: 0,
                order: 1 + i as u64,
                what,
            })
            .collect();
        items.extend(sc.actions.iter().enumerate().map(|(i, a)| AdminItem {
            at: a.at,
            order: 1 + initial + u64::from(a.script),
            what: Admin::Action(i as u32),
        }));
        items.sort_by_key(|a| (a.at, a.order));

        let users = sc
            .users
            .iter()
            .map(|u| UserRt {
                access: u.access,
                anonymous: u.is_anonymous(),
                deployment: u.deployment,
                conns: Vec::new(),
                cooling: Cooling::default(),
                seats: [None; 3],
                quarantined: Vec::new(),
                login_open: 0,
                pass: 0,
                pass_consumed_at: 0,
                has_pass: false,
                block_end: Minute::MIN,
                block_generation: 0,
            })
            .collect();
        let node_cores = allocate_cores(sc.license.cores.unwrap_or(0), &sc.nodes);
        let mut sim = Simulation {
            settings: sc.settings.clone(),
            now: 0,
            end: sc.end(),
            queue: Queue::default(),
            admin: Arc::new(items),
            next_admin: 0,
            next_visit: 0,
            tokens: TokenLedger::new(sc.license.tokens),
            groups: vec![GroupPool::default(); sc.groups.len()],
            return_scheduled: vec![false; sc.groups.len()],
            users,
            allocations: Vec::new(),
            seat_pools: [
                SeatPool::new(sc.license.professional),
                SeatPool::new(sc.license.analyzer),
            ],
            uap_quarantined: 0,
            conns: Connections::default(),
            capacity: CapacityMeter::new(&sc.license),
            capacity_months: Vec::new(),
            core: CoreMeter {
                quota: sc.license.core_minutes,
                used: 0,
            },
            core_sessions: HashMap::new(),
            nodes: vec![NodeLink::default(); sc.nodes.len()],
            node_cores,
            unsynced: Vec::new(),
            totals: Totals {
                passes_consumed: 0,
                denied: 0,
                discontinued: 0,
            },
            group_stats: sc
                .groups
                .iter()
                .map(|g| GroupStats {
                    min_available: g.tokens * 10,
                    ..Default::default()
                })
                .collect(),
            user_passes_consumed: vec![0; sc.users.len()],
            unlimited_passes: false,
            consumptions: None,
            first_month: sc.clock.month_index(0),
            events_processed: 0,
            log: Log(record.then(Vec::new)),
            returned: Vec::new(),
            sc,
        };
        let first_month = sim.sc.clock.next_month_start(0);
        sim.queue
            .push(first_month, Class::Release, 0, Timed::MonthlyReset);
        if sim.sc.deployments.len() > 1 {
            let every = sim.settings.sync_interval;
            sim.queue.push(every, Class::Admin, 0, Timed::Sync);
        }
        sim
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.sc
    }

    /// The current simulated minute.
    pub fn now(&self) -> Minute {
        self.now
    }

    /// The last simulated minute (day `days` 00:00).
    pub fn end(&self) -> Minute {
        self.end
    }

    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// The event log so far (empty when not recording).
    pub fn log(&self) -> &[Event] {
        self.log.0.as_deref().unwrap_or(&[])
    }

    /// Takes the event log out of the simulation.
    pub fn take_log(&mut self) -> Vec<Event> {
        self.log.0.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// A copy of the simulation without its log, for checkpoints.
    pub fn checkpoint(&self) -> Simulation {
        self.clone()
    }

    /// Starts or stops keeping the event log.
    pub fn set_recording(&mut self, record: bool) {
        if record && self.log.0.is_none() {
            self.log.0 = Some(Vec::new());
        } else if !record {
            self.log.0 = None;
        }
    }

    /// The key of the next event, if any.
    pub fn next_key(&self) -> Option<Key> {
        let q = self.queue.peek();
        let a = self.admin.get(self.next_admin).map(|x| Key {
            at: x.at,
            class: Class::Admin,
            order: x.order,
        });
        let v = self.sc.visits.get(self.next_visit).map(|x| Key {
            at: x.at,
            class: Class::Start,
            order: u64::from(x.script),
        });
        [q, a, v].into_iter().flatten().min()
    }

    /// Applies every event up to and including minute `t` (at most the end), in TIME-3
    /// order; afterwards the state is the state at `t`.
    pub fn advance_to(&mut self, t: Minute) {
        let t = t.min(self.end);
        while self.step(t) {}
        if t > self.now {
            self.now = t;
        }
    }

    /// Applies the next event if it falls at or before `limit`; false when there is none.
    pub fn step(&mut self, limit: Minute) -> bool {
        let limit = limit.min(self.end);
        let Some(key) = self.next_key() else {
            return false;
        };
        if key.at > limit {
            return false;
        }
        self.now = key.at;
        self.events_processed += 1;
        let from_queue = self.queue.peek() == Some(key);
        if from_queue {
            if let Some((_, ev)) = self.queue.pop() {
                self.timed(ev);
            }
        } else if key.class == Class::Admin {
            let item = self.admin[self.next_admin];
            self.next_admin += 1;
            self.administer(item.what);
        } else {
            let v = self.sc.visits[self.next_visit];
            self.next_visit += 1;
            self.start_visit(v);
        }
        debug_assert!(self.tokens.holds(), "TOK-1 broken at {}", self.now);
        true
    }

    fn emit(&mut self, rule: Rule, user: UserId, what: What) {
        if let Some(log) = &mut self.log.0 {
            log.push(Event {
                at: self.now,
                rule,
                user,
                what,
            });
        }
    }

    // ----------------------------------------------------------------------------------
    // Timed events
    // ----------------------------------------------------------------------------------

    fn timed(&mut self, ev: Timed) {
        match ev {
            Timed::MonthlyReset => self.monthly_reset(),
            Timed::PassReturn { group } => self.pass_returns(group),
            Timed::QuarantineEnd { alloc, generation } => self.quarantine_end(alloc, generation),
            Timed::Admin { .. } => {}
            Timed::NodeCutOff { node, generation } => self.node_cut_off(node, generation),
            Timed::Sync => self.sync(),
            Timed::ConnectionEnd { conn, generation } => {
                if self.conns.is_live(conn, generation) && self.conns.get(conn).end == self.now {
                    let how = match self.conns.get(conn).ends {
                        Ends::Logout => How::Logout,
                        Ends::Close => How::Close,
                        Ends::Timeout => How::Timeout,
                    };
                    self.close_connection(conn, how);
                }
            }
            Timed::UserRenewal { user, pass } => self.user_renewal(user, pass),
            Timed::ConnRenewal {
                conn,
                generation,
                pass,
            } => self.conn_renewal(conn, generation, pass),
            Timed::CapacityBlockEnd { runner, generation } => {
                self.capacity_block_end(runner, generation)
            }
            Timed::CoreSessionEnd {
                session,
                generation,
            } => self.core_session_end(session, generation),
        }
    }

    /// TIME-2, CAP-1, CORE-1: monthly quotas reset at 00:00 on the 1st.
    fn monthly_reset(&mut self) {
        let previous = self.sc.clock.month_label(self.now - 1);
        self.capacity_months.push(MonthUsage {
            month: previous,
            quota: self.capacity.quota,
            used: self.capacity.used,
            overage: self.capacity.overage(),
        });
        let used = self.capacity.used + self.core.used;
        let capacity_forfeited = self.capacity.reset();
        let core_forfeited = self.core.reset();
        if self.capacity.quota > 0 || self.core.quota > 0 || used > 0 {
            self.emit(
                Rule::Cap1,
                NO_USER,
                What::MonthStarted {
                    capacity_forfeited,
                    core_forfeited,
                },
            );
        }
        let next = self.sc.clock.next_month_start(self.now);
        if next <= self.end {
            self.queue
                .push(next, Class::Release, 0, Timed::MonthlyReset);
        }
    }

    /// LAP-7, LAP-9: used passes return 28 days after consumption.
    fn pass_returns(&mut self, g: GroupId) {
        let gi = g as usize;
        self.return_scheduled[gi] = false;
        let mut out = std::mem::take(&mut self.returned);
        out.clear();
        let ret = self.settings.login_pass_return;
        self.groups[gi].return_due(self.now, ret, &mut out);
        for r in &out {
            match *r {
                Returned::Available { consumed_at } => {
                    let (available, passes) = (self.groups[gi].available, self.groups[gi].passes());
                    self.emit(
                        Rule::Lap7,
                        NO_USER,
                        What::PassReturned {
                            group: g,
                            consumed_at,
                            available,
                            passes,
                        },
                    );
                }
                Returned::BlockFreed => {
                    self.tokens.moved(Bucket::Pending, Bucket::Free, 1);
                    self.emit(Rule::Lap9, NO_USER, What::BlockFreed { group: g });
                }
            }
        }
        self.returned = out;
        self.schedule_return(g);
    }

    fn schedule_return(&mut self, g: GroupId) {
        let gi = g as usize;
        if self.return_scheduled[gi] {
            return;
        }
        if let Some(at) = self.groups[gi].next_return(self.settings.login_pass_return) {
            if at <= self.end {
                self.queue.push(
                    at,
                    Class::Release,
                    u64::from(g) + 1,
                    Timed::PassReturn { group: g },
                );
                self.return_scheduled[gi] = true;
            }
        }
    }

    /// UAP-3, NU-2: a quarantine ends at 00:00; the token or seat is free again.
    fn quarantine_end(&mut self, alloc: u32, generation: u32) {
        let a = &self.allocations[alloc as usize];
        if a.generation != generation || !matches!(a.status, Status::Quarantined { .. }) {
            return;
        }
        let (seat, user) = (a.seat, a.user);
        self.allocations[alloc as usize].status = Status::Released;
        self.users[user as usize]
            .quarantined
            .retain(|x| *x != alloc);
        match seat {
            Seat::UserPass => {
                self.tokens.moved(Bucket::Pending, Bucket::Free, 1);
                self.uap_quarantined -= 1;
            }
            _ => self.seat_pools[seat.index() - 1].quarantined -= 1,
        }
        self.emit(removal_rule(seat), user, What::QuarantineEnded { seat });
    }

    // ----------------------------------------------------------------------------------
    // Administrative changes
    // ----------------------------------------------------------------------------------

    fn administer(&mut self, what: Admin) {
        match what {
            Admin::Group(g) => {
                let k = self.sc.groups[g as usize].tokens;
                match self.tokens.allocate(k, Bucket::LoginGroups) {
                    Ok(()) => {
                        self.groups[g as usize].grow(k);
                        self.emit(
                            Rule::Lap1,
                            NO_USER,
                            What::GroupAllocated {
                                group: g,
                                tokens: k,
                            },
                        );
                    }
                    Err(s) => self.emit(
                        Rule::Tok3,
                        NO_USER,
                        What::GroupRefused {
                            group: g,
                            tokens: k,
                            needed: s.needed,
                            free: s.free,
                        },
                    ),
                }
            }
            Admin::Seat(u, seat) => {
                let dep = self.users[u as usize].deployment;
                self.assign_seat(u, seat, dep, false);
            }
            Admin::Action(i) => {
                let action = self.sc.actions[i as usize];
                match action.kind {
                    ActionKind::AllocateUserPass(u) => {
                        let dep = self.users[u as usize].deployment;
                        self.assign_seat(u, Seat::UserPass, dep, false);
                    }
                    ActionKind::RemoveUserPass(u) => self.remove_seat(u, Seat::UserPass),
                    ActionKind::ReinstateUserPass(u) => self.reinstate_seat(u, Seat::UserPass),
                    ActionKind::Assign(u, seat, dep) => {
                        self.assign_seat(u, seat, dep, false);
                    }
                    ActionKind::Unassign(u, seat) => self.remove_seat(u, seat),
                    ActionKind::Reinstate(u, seat) => self.reinstate_seat(u, seat),
                    ActionKind::SetGroupTokens(g, n) => self.set_group_tokens(g, n),
                    ActionKind::SetTokens(n) => {
                        let from = self.tokens.total;
                        match self.tokens.set_total(n) {
                            Ok(()) => {
                                self.emit(Rule::Tok4, NO_USER, What::TokensSet { from, to: n })
                            }
                            Err(committed) => self.emit(
                                Rule::Tok4,
                                NO_USER,
                                What::TokensSetRefused { to: n, committed },
                            ),
                        }
                    }
                    ActionKind::DisconnectNode(n) => self.disconnect_node(n),
                    ActionKind::ReconnectNode(n) => self.reconnect_node(n),
                }
            }
        }
    }

    /// UAP-1, NU-1, TOK-3 (and NU-4 when `dynamic`): gives `user` an allocation of `seat`.
    /// Returns the allocation, or `None` when refused (with an event).
    fn assign_seat(
        &mut self,
        user: UserId,
        seat: Seat,
        deployment: DeploymentId,
        dynamic: bool,
    ) -> Option<u32> {
        let u = user as usize;
        if self.users[u].seats[seat.index()].is_some() {
            self.emit(seat_rule(seat), user, What::SeatAlreadyHeld { seat });
            return None;
        }
        let multi = self.sc.deployments.len() > 1;
        match seat {
            Seat::UserPass => {
                if let Err(s) = self.tokens.allocate(1, Bucket::UserPasses) {
                    self.emit(
                        Rule::Tok3,
                        user,
                        What::SeatRefused {
                            seat,
                            needed: s.needed,
                            free: s.free,
                        },
                    );
                    return None;
                }
            }
            _ => {
                let pi = seat.index() - 1;
                // QLS-1: a deployment sees the others' assignments only after a sync.
                let hidden = if multi {
                    self.unsynced
                        .iter()
                        .filter(|x| {
                            x.deployment != deployment
                                && self.allocations[x.alloc as usize].seat == seat
                        })
                        .count() as i64
                } else {
                    0
                };
                let free = self.seat_pools[pi].free() + hidden;
                if free <= 0 {
                    self.emit(
                        if dynamic { Rule::Nu4 } else { Rule::Nu1 },
                        user,
                        What::SeatRefused {
                            seat,
                            needed: 1,
                            free: free.max(0),
                        },
                    );
                    return None;
                }
                self.seat_pools[pi].assigned += 1;
            }
        }
        let id = self.allocations.len() as u32;
        self.allocations.push(Allocation {
            seat,
            user,
            status: Status::Allocated,
            last_use: None,
            generation: 0,
        });
        self.users[u].seats[seat.index()] = Some(id);
        if multi && seat != Seat::UserPass {
            self.unsynced.push(Unsynced {
                alloc: id,
                deployment,
            });
            self.emit(Rule::Qls1, user, What::AssignPending { seat, deployment });
        }
        if dynamic {
            self.emit(Rule::Nu4, user, What::SeatAllocated { seat, dynamic });
        } else {
            self.emit(seat_rule(seat), user, What::SeatAllocated { seat, dynamic });
        }
        Some(id)
    }

    /// UAP-3, NU-2: removes a user's allocation; quarantined from its last use.
    fn remove_seat(&mut self, user: UserId, seat: Seat) {
        let u = user as usize;
        let Some(alloc) = self.users[u].seats[seat.index()] else {
            self.emit(removal_rule(seat), user, What::SeatNotHeld { seat });
            return;
        };
        // Removal closes the holder's open connections; that moment counts as a use.
        let open: Vec<u32> = self.users[u]
            .conns
            .iter()
            .copied()
            .filter(|c| self.conns.get(*c).path == Path::Seat(seat, alloc))
            .collect();
        for c in open {
            self.close_connection(c, How::Removed);
        }
        self.users[u].seats[seat.index()] = None;
        self.unsynced.retain(|x| x.alloc != alloc);
        let release = quarantine::release(
            self.allocations[alloc as usize].last_use,
            self.settings.quarantine,
            self.now,
        );
        let a = &mut self.allocations[alloc as usize];
        match release {
            Release::NeverUsed | Release::LongAgo { .. } => {
                a.status = Status::Released;
                match seat {
                    Seat::UserPass => self.tokens.moved(Bucket::UserPasses, Bucket::Free, 1),
                    _ => self.seat_pools[seat.index() - 1].assigned -= 1,
                }
            }
            Release::Quarantined { until, .. } => {
                a.status = Status::Quarantined { until };
                a.generation = a.generation.wrapping_add(1);
                let generation = a.generation;
                self.users[u].quarantined.push(alloc);
                match seat {
                    Seat::UserPass => {
                        self.tokens.moved(Bucket::UserPasses, Bucket::Pending, 1);
                        self.uap_quarantined += 1;
                    }
                    _ => {
                        let p = &mut self.seat_pools[seat.index() - 1];
                        p.assigned -= 1;
                        p.quarantined += 1;
                    }
                }
                if until <= self.end {
                    self.queue.push(
                        until,
                        Class::Release,
                        (1 << 40) + u64::from(alloc),
                        Timed::QuarantineEnd { alloc, generation },
                    );
                }
            }
        }
        self.emit(
            removal_rule(seat),
            user,
            What::SeatRemoved { seat, release },
        );
    }

    /// UAP-4, NU-2: reinstating the same user during quarantine ends the quarantine.
    fn reinstate_seat(&mut self, user: UserId, seat: Seat) {
        let u = user as usize;
        if self.users[u].seats[seat.index()].is_some() {
            self.emit(
                reinstate_rule(seat),
                user,
                What::ReinstateRefused {
                    seat,
                    holds_one: true,
                },
            );
            return;
        }
        let found = self.users[u]
            .quarantined
            .iter()
            .rev()
            .copied()
            .find(|a| self.allocations[*a as usize].seat == seat);
        let Some(alloc) = found else {
            self.emit(
                reinstate_rule(seat),
                user,
                What::ReinstateRefused {
                    seat,
                    holds_one: false,
                },
            );
            return;
        };
        self.users[u].quarantined.retain(|x| *x != alloc);
        let a = &mut self.allocations[alloc as usize];
        a.status = Status::Allocated;
        a.generation = a.generation.wrapping_add(1);
        self.users[u].seats[seat.index()] = Some(alloc);
        match seat {
            Seat::UserPass => {
                self.tokens.moved(Bucket::Pending, Bucket::UserPasses, 1);
                self.uap_quarantined -= 1;
            }
            _ => {
                let p = &mut self.seat_pools[seat.index() - 1];
                p.quarantined -= 1;
                p.assigned += 1;
            }
        }
        self.emit(reinstate_rule(seat), user, What::Reinstated { seat });
    }

    /// LAP-9, LAP-10, TOK-3: a group's tokens change.
    fn set_group_tokens(&mut self, g: GroupId, to: i64) {
        let gi = g as usize;
        let from = self.groups[gi].tokens;
        if to > from {
            if let Err(s) = self.tokens.allocate(to - from, Bucket::LoginGroups) {
                self.emit(
                    Rule::Tok3,
                    NO_USER,
                    What::GroupRefused {
                        group: g,
                        tokens: to - from,
                        needed: s.needed,
                        free: s.free,
                    },
                );
                return;
            }
            self.groups[gi].grow(to - from);
            self.emit(
                Rule::Lap10,
                NO_USER,
                What::GroupResized {
                    group: g,
                    from,
                    to,
                    freed_now: 0,
                    retiring: 0,
                },
            );
        } else {
            let s = self.groups[gi].shrink(from - to);
            self.tokens
                .moved(Bucket::LoginGroups, Bucket::Free, s.freed_now);
            self.tokens
                .moved(Bucket::LoginGroups, Bucket::Pending, s.retiring_blocks);
            self.emit(
                Rule::Lap9,
                NO_USER,
                What::GroupResized {
                    group: g,
                    from,
                    to,
                    freed_now: s.freed_now,
                    retiring: s.retiring_blocks,
                },
            );
        }
    }

    /// NODE-2: a node loses its central node; after the grace it is cut off.
    fn disconnect_node(&mut self, n: NodeId) {
        let grace = self.settings.node_grace;
        let link = &mut self.nodes[n as usize];
        let at = match link.disconnected_at {
            Some(since) => since + grace,
            None => {
                link.disconnected_at = Some(self.now);
                link.generation = link.generation.wrapping_add(1);
                let generation = link.generation;
                let at = self.now + grace;
                if at <= self.end {
                    self.queue.push(
                        at,
                        Class::Admin,
                        0,
                        Timed::NodeCutOff {
                            node: n,
                            generation,
                        },
                    );
                }
                at
            }
        };
        self.emit(
            Rule::Node2,
            NO_USER,
            What::NodeDisconnected {
                node: n,
                cut_off_at: at,
            },
        );
    }

    fn node_cut_off(&mut self, n: NodeId, generation: u32) {
        let link = &mut self.nodes[n as usize];
        if link.generation != generation || link.disconnected_at.is_none() {
            return;
        }
        link.cut_off = true;
        // All user access to the node is denied: its open connections close.
        let mut affected: Vec<UserId> = Vec::new();
        let mut closing: Vec<u32> = Vec::new();
        for (ui, u) in self.users.iter().enumerate() {
            for &c in &u.conns {
                if self.conns.get(c).node == n {
                    closing.push(c);
                    if affected.last() != Some(&(ui as UserId)) {
                        affected.push(ui as UserId);
                    }
                }
            }
        }
        self.emit(
            Rule::Node2,
            NO_USER,
            What::NodeCutOff {
                node: n,
                closed: closing.len() as u32,
            },
        );
        for &user in &affected {
            let mine: Vec<u32> = closing
                .iter()
                .copied()
                .filter(|c| self.conns.get(*c).user == user)
                .collect();
            self.discontinue(user, &mine, Rule::Node2);
        }
    }

    fn reconnect_node(&mut self, n: NodeId) {
        let link = &mut self.nodes[n as usize];
        if link.disconnected_at.is_none() {
            self.emit(Rule::Node2, NO_USER, What::NodeNotDisconnected { node: n });
            return;
        }
        link.disconnected_at = None;
        link.cut_off = false;
        link.generation = link.generation.wrapping_add(1);
        self.emit(Rule::Node2, NO_USER, What::NodeReconnected { node: n });
    }

    /// QLS-1: deployments sharing a license sync assignments every `sync_interval`; when
    /// two took the last free allocation within one interval, the later one is rejected.
    fn sync(&mut self) {
        let pending = std::mem::take(&mut self.unsynced);
        for seat in [Seat::Professional, Seat::Analyzer] {
            let pi = seat.index() - 1;
            let mine: Vec<Unsynced> = pending
                .iter()
                .copied()
                .filter(|x| self.allocations[x.alloc as usize].seat == seat)
                .collect();
            // The excess over the license, rejected from the latest assignment back.
            let excess = (-self.seat_pools[pi].free()).max(0) as usize;
            let keep = mine.len().saturating_sub(excess);
            for (i, x) in mine.iter().enumerate() {
                let user = self.allocations[x.alloc as usize].user;
                if i < keep {
                    self.emit(
                        Rule::Qls1,
                        user,
                        What::SyncAccepted {
                            seat,
                            deployment: x.deployment,
                        },
                    );
                } else {
                    let winner = mine
                        .get(keep.saturating_sub(1))
                        .map(|w| self.allocations[w.alloc as usize].user)
                        .unwrap_or(user);
                    self.void_assignment(x.alloc, Rule::Qls1);
                    self.emit(
                        Rule::Qls1,
                        user,
                        What::SyncRejected {
                            seat,
                            deployment: x.deployment,
                            winner,
                        },
                    );
                }
            }
        }
        let next = self.now + self.settings.sync_interval;
        if next <= self.end {
            self.queue.push(next, Class::Admin, 0, Timed::Sync);
        }
    }

    /// A rejected assignment never existed: its seat returns at once and the user's
    /// connections on it close.
    fn void_assignment(&mut self, alloc: u32, rule: Rule) {
        let (seat, user) = {
            let a = &self.allocations[alloc as usize];
            (a.seat, a.user)
        };
        let u = user as usize;
        let open: Vec<u32> = self.users[u]
            .conns
            .iter()
            .copied()
            .filter(|c| self.conns.get(*c).path == Path::Seat(seat, alloc))
            .collect();
        if !open.is_empty() {
            self.discontinue(user, &open, rule);
        }
        if self.users[u].seats[seat.index()] == Some(alloc) {
            self.users[u].seats[seat.index()] = None;
        }
        self.allocations[alloc as usize].status = Status::Released;
        self.seat_pools[seat.index() - 1].assigned -= 1;
    }

    // ----------------------------------------------------------------------------------
    // Connections
    // ----------------------------------------------------------------------------------

    fn deny(&mut self, user: UserId, device: u32, rule: Rule, reason: Refusal) {
        self.totals.denied += 1;
        self.emit(rule, user, What::Denied { device, reason });
    }

    /// What a connection of `user` would use (UAP-1, NU-1, NU-4), or why it is refused.
    fn plan(&self, user: UserId) -> Result<Plan, (Rule, Refusal)> {
        let u = &self.users[user as usize];
        for seat in [Seat::UserPass, Seat::Professional, Seat::Analyzer] {
            if let Some(a) = u.seats[seat.index()] {
                return Ok(Plan::Seat(seat, a));
            }
        }
        match u.access {
            Access::UserPass => Err((Rule::Uap1, Refusal::NoAccessPass)),
            Access::Professional | Access::Analyzer => Err((Rule::Nu1, Refusal::NoAccessPass)),
            Access::Login(g) => Ok(Plan::Login(g)),
            Access::Capacity => Ok(Plan::Capacity),
            Access::Core => Ok(Plan::Core),
            Access::Dynamic => {
                if self.seat_free_for(Seat::Professional, u.deployment) {
                    Ok(Plan::Dynamic(Seat::Professional))
                } else if self.seat_free_for(Seat::Analyzer, u.deployment) {
                    Ok(Plan::Dynamic(Seat::Analyzer))
                } else if self.capacity.licensed {
                    Ok(Plan::Capacity)
                } else {
                    Err((Rule::Nu4, Refusal::NoAccessPass))
                }
            }
        }
    }

    fn seat_free_for(&self, seat: Seat, deployment: DeploymentId) -> bool {
        let pi = seat.index() - 1;
        let hidden = if self.sc.deployments.len() > 1 {
            self.unsynced
                .iter()
                .filter(|x| {
                    x.deployment != deployment && self.allocations[x.alloc as usize].seat == seat
                })
                .count() as i64
        } else {
            0
        };
        self.seat_pools[pi].free() + hidden > 0
    }

    /// A visit starts (class 4 of TIME-3).
    fn start_visit(&mut self, v: Visit) {
        let ui = v.user as usize;
        let anonymous = self.users[ui].anonymous;
        let timeout = if v.ends == Ends::Timeout {
            self.settings.inactivity_timeout
        } else {
            0
        };
        let conn_end = v.at + v.active + timeout;
        let active_until = v.at + v.active;

        // CONN-0: two overlapping visits of one identified user on the same device are
        // one connection (two tabs of one browser), ending at the later end.
        if !anonymous {
            let same_device = self.users[ui]
                .conns
                .iter()
                .copied()
                .find(|c| self.conns.get(*c).device == v.device);
            if let Some(c) = same_device {
                self.merge_visit(c, v, conn_end, active_until);
                return;
            }
        }

        // NODE-2: a node cut off from the central node admits no one.
        if self.nodes.get(v.node as usize).is_some_and(|n| n.cut_off) {
            self.deny(v.user, v.device, Rule::Node2, Refusal::NodeCutOff(v.node));
            return;
        }

        let plan = match self.plan(v.user) {
            Ok(p) => p,
            Err((rule, reason)) => {
                self.deny(v.user, v.device, rule, reason);
                return;
            }
        };

        // UAP-2, LAP-5, NU-3, CONN-1: the parallel cap and its cool-down.
        let capped = match plan {
            Plan::Seat(..) | Plan::Dynamic(_) => true,
            Plan::Login(_) => !anonymous,
            Plan::Capacity | Plan::Core => false,
        };
        if capped {
            let max = self.settings.max_connections as u32;
            let open = self.users[ui].conns.len() as u32;
            let cap_rule = match plan {
                Plan::Seat(Seat::UserPass, _) => Rule::Uap2,
                Plan::Login(_) => Rule::Lap5,
                _ => Rule::Nu3,
            };
            if open >= max {
                self.deny(v.user, v.device, cap_rule, Refusal::Parallel { open });
                return;
            }
            let cooldown = self.settings.connection_cooldown;
            let cooling = self.users[ui].cooling.count(self.now, cooldown);
            if open + cooling >= max {
                self.deny(
                    v.user,
                    v.device,
                    Rule::Conn1,
                    Refusal::Cooldown { open, cooling },
                );
                return;
            }
        }

        let mut base = Connection {
            user: v.user,
            device: v.device,
            node: v.node,
            path: Path::Capacity,
            end: conn_end,
            active_until,
            script: v.script,
            capped,
            anonymous,
            open: true,
            generation: 0,
            pass: 0,
            pass_consumed_at: 0,
            block_end: Minute::MIN,
            core_session: 0,
            ends: v.ends,
        };

        match plan {
            Plan::Seat(seat, alloc) => {
                base.path = Path::Seat(seat, alloc);
                self.allocations[alloc as usize].last_use = Some(self.now);
                let c = self.open_connection(base);
                let open = self.users[ui].conns.len() as u32;
                let rule = if seat == Seat::UserPass {
                    Rule::Uap2
                } else {
                    Rule::Nu3
                };
                let _ = c;
                self.emit(
                    rule,
                    v.user,
                    What::Connected {
                        device: v.device,
                        via: if seat == Seat::UserPass {
                            Via::UserPass
                        } else {
                            Via::Seat(seat)
                        },
                        open,
                    },
                );
            }
            Plan::Dynamic(seat) => {
                let dep = self.users[ui].deployment;
                let Some(alloc) = self.assign_seat(v.user, seat, dep, true) else {
                    self.deny(v.user, v.device, Rule::Nu4, Refusal::NoAccessPass);
                    return;
                };
                base.path = Path::Seat(seat, alloc);
                self.allocations[alloc as usize].last_use = Some(self.now);
                self.open_connection(base);
                let open = self.users[ui].conns.len() as u32;
                self.emit(
                    Rule::Nu3,
                    v.user,
                    What::Connected {
                        device: v.device,
                        via: Via::Seat(seat),
                        open,
                    },
                );
            }
            Plan::Login(g) => self.start_login(v, g, base),
            Plan::Capacity => self.start_capacity(v, base),
            Plan::Core => self.start_core(v, base),
        }
    }

    /// LAP-2, LAP-4, LAP-5, LAP-6, LAP-8: a connection on a login access group.
    fn start_login(&mut self, v: Visit, g: GroupId, mut base: Connection) {
        let ui = v.user as usize;
        let window = self.settings.login_pass_window;
        base.path = Path::Login(g);
        if base.anonymous {
            // LAP-6: every anonymous connection consumes a new pass.
            let Some(used) = self.consume_pass(g, v.user) else {
                self.count_group_refusal(g, false);
                self.deny(v.user, v.device, Rule::Lap8, Refusal::NoLoginPass);
                return;
            };
            base.pass = 1;
            base.pass_consumed_at = self.now;
            let c = self.open_connection(base);
            let generation = self.conns.get(c).generation;
            self.queue.push(
                self.now + window,
                Class::Renewal,
                (u64::from(v.user) << USER_ORDER_SHIFT) + 1 + u64::from(v.script),
                Timed::ConnRenewal {
                    conn: c,
                    generation,
                    pass: 1,
                },
            );
            let passes = self.groups[g as usize].passes();
            self.emit(
                Rule::Lap6,
                v.user,
                What::PassConsumed {
                    group: g,
                    used,
                    passes,
                    why: Consume::Anonymous,
                    device: v.device,
                },
            );
            return;
        }
        let u = &self.users[ui];
        if u.has_pass && self.now < u.pass_consumed_at + window {
            // LAP-4 (reconnect in the same hour) or LAP-5 (parallel device): one pass.
            let parallel = u.login_open > 0;
            let consumed_at = u.pass_consumed_at;
            self.open_connection(base);
            self.emit(
                if parallel { Rule::Lap5 } else { Rule::Lap4 },
                v.user,
                What::PassReused {
                    group: g,
                    device: v.device,
                    parallel,
                    consumed_at,
                },
            );
            return;
        }
        let Some(used) = self.consume_pass(g, v.user) else {
            self.count_group_refusal(g, false);
            self.deny(v.user, v.device, Rule::Lap8, Refusal::NoLoginPass);
            return;
        };
        let u = &mut self.users[ui];
        u.pass = u.pass.wrapping_add(1);
        u.has_pass = true;
        u.pass_consumed_at = self.now;
        let pass = u.pass;
        self.queue.push(
            self.now + window,
            Class::Renewal,
            u64::from(v.user) << USER_ORDER_SHIFT,
            Timed::UserRenewal { user: v.user, pass },
        );
        self.open_connection(base);
        let passes = self.groups[g as usize].passes();
        self.emit(
            Rule::Lap2,
            v.user,
            What::PassConsumed {
                group: g,
                used,
                passes,
                why: Consume::Start,
                device: v.device,
            },
        );
    }

    /// LAP-2: consumes one pass of group `g` for `user`, or `None` when none is available
    /// (LAP-8). Keeps the totals and the sizing figures.
    fn consume_pass(&mut self, g: GroupId, user: UserId) -> Option<i64> {
        let gi = g as usize;
        let used = if self.unlimited_passes {
            Some(self.groups[gi].consume_unlimited(self.now))
        } else {
            self.groups[gi].consume(self.now)
        }?;
        self.totals.passes_consumed += 1;
        self.schedule_return(g);
        let stats = &mut self.group_stats[gi];
        stats.peak_used = stats.peak_used.max(self.groups[gi].used());
        stats.min_available = stats.min_available.min(self.groups[gi].available);
        if let Some(c) = self.user_passes_consumed.get_mut(user as usize) {
            *c += 1;
        }
        if let Some(log) = &mut self.consumptions {
            log.push(Consumption {
                at: self.now,
                user,
                group: g,
            });
        }
        Some(used)
    }

    /// A connection or a session of group `g` was refused (for the sizing figures).
    fn count_group_refusal(&mut self, g: GroupId, discontinued: bool) {
        let month = (self.sc.clock.month_index(self.now) - self.first_month).max(0) as usize;
        let stats = &mut self.group_stats[g as usize];
        if discontinued {
            stats.discontinued += 1;
        } else {
            stats.denied += 1;
        }
        if stats.refused_by_month.len() <= month {
            stats.refused_by_month.resize(month + 1, 0);
        }
        stats.refused_by_month[month] += 1;
    }

    /// CAP-2, CAP-3: a connection on Analyzer Capacity.
    fn start_capacity(&mut self, v: Visit, mut base: Connection) {
        let ui = v.user as usize;
        let block = self.settings.capacity_block;
        let per_user = self.settings.capacity_parallel == CapacityParallel::PerUser;
        base.path = Path::Capacity;
        let needs_block = v.active > 0 && (!per_user || self.users[ui].block_end <= self.now);
        if needs_block && !self.capacity.fits(block) {
            self.deny(v.user, v.device, Rule::Cap3, Refusal::CapacitySpent);
            return;
        }
        let c = self.open_connection(base);
        let open = self.users[ui].conns.len() as u32;
        self.emit(
            Rule::Cap2,
            v.user,
            What::Connected {
                device: v.device,
                via: Via::Capacity,
                open,
            },
        );
        if needs_block {
            let runner = if per_user {
                Runner::User(v.user)
            } else {
                Runner::Connection(c)
            };
            self.consume_block(runner, v.user, v.device);
        }
    }

    /// Consumes one capacity block for `runner` at now (the caller checked it fits).
    fn consume_block(&mut self, runner: Runner, user: UserId, device: u32) {
        let block = self.settings.capacity_block;
        self.capacity.consume(block);
        let block_end = self.now + block;
        let (generation, order) = match runner {
            Runner::Connection(c) => {
                let conn = self.conns.get_mut(c);
                conn.block_end = block_end;
                (
                    conn.generation,
                    (u64::from(user) << USER_ORDER_SHIFT) + 1 + u64::from(conn.script),
                )
            }
            Runner::User(u) => {
                let rt = &mut self.users[u as usize];
                rt.block_end = block_end;
                rt.block_generation = rt.block_generation.wrapping_add(1);
                (rt.block_generation, u64::from(u) << USER_ORDER_SHIFT)
            }
        };
        if block_end <= self.end {
            self.queue.push(
                block_end,
                Class::Renewal,
                order,
                Timed::CapacityBlockEnd { runner, generation },
            );
        }
        let (used, cap, quota) = (self.capacity.used, self.capacity.cap, self.capacity.quota);
        self.emit(
            Rule::Cap2,
            user,
            What::CapacityBlock {
                minutes: block,
                used,
                cap,
                quota,
                device,
            },
        );
    }

    /// CAP-2: a block ends; the next starts at once if the user is still active.
    fn capacity_block_end(&mut self, runner: Runner, generation: u32) {
        let now = self.now;
        let (user, device, active, conns) = match runner {
            Runner::Connection(c) => {
                if !self.conns.is_live(c, generation) || self.conns.get(c).block_end != now {
                    return;
                }
                let conn = self.conns.get(c);
                (conn.user, conn.device, conn.active_until > now, vec![c])
            }
            Runner::User(u) => {
                let rt = &self.users[u as usize];
                if rt.block_generation != generation || rt.block_end != now {
                    return;
                }
                let mine: Vec<u32> = rt
                    .conns
                    .iter()
                    .copied()
                    .filter(|c| self.conns.get(*c).path == Path::Capacity)
                    .collect();
                let active = mine.iter().any(|c| self.conns.get(*c).active_until > now);
                let device = mine.first().map(|c| self.conns.get(*c).device).unwrap_or(0);
                (u, device, active, mine)
            }
        };
        if !active {
            return;
        }
        if self.capacity.fits(self.settings.capacity_block) {
            self.consume_block(runner, user, device);
        } else {
            self.discontinue(user, &conns, Rule::Cap3);
        }
    }

    /// CORE-2, CORE-3: a connection on Qlik Core.
    fn start_core(&mut self, v: Visit, mut base: Connection) {
        let key = if v.session == OWN_SESSION {
            (1u64 << 32) | u64::from(v.user)
        } else {
            u64::from(v.session)
        };
        let length = self.settings.core_session;
        base.path = Path::Core;
        base.core_session = key;
        let covered = self
            .core_sessions
            .get(&key)
            .and_then(|s| s.covers(self.now, length).then_some(s.latest_start))
            .flatten();
        if let Some(started) = covered {
            let c = self.open_connection(base);
            self.core_sessions.entry(key).or_default().open.push(c);
            self.emit(
                Rule::Core2,
                v.user,
                What::CoreJoined {
                    session: key,
                    started,
                },
            );
            return;
        }
        if !self.core.fits(length) {
            self.deny(v.user, v.device, Rule::Core3, Refusal::CoreSpent);
            return;
        }
        let c = self.open_connection(base);
        self.core_sessions.entry(key).or_default().open.push(c);
        self.new_core_session(key, v.user);
    }

    fn new_core_session(&mut self, key: u64, user: UserId) {
        let length = self.settings.core_session;
        self.core.used += length;
        let s = self.core_sessions.entry(key).or_default();
        s.latest_start = Some(self.now);
        s.generation = s.generation.wrapping_add(1);
        let generation = s.generation;
        let at = self.now + length;
        if at <= self.end {
            self.queue.push(
                at,
                Class::Renewal,
                CORE_ORDER + (key & ((1 << 40) - 1)) + ((key >> 32) << 40),
                Timed::CoreSessionEnd {
                    session: key,
                    generation,
                },
            );
        }
        let (used, quota) = (self.core.used, self.core.quota);
        self.emit(
            Rule::Core2,
            user,
            What::CoreSession {
                session: key,
                minutes: length,
                used,
                quota,
            },
        );
    }

    /// CORE-2 Decision: a connection still open past its Core Session triggers a new one.
    fn core_session_end(&mut self, key: u64, generation: u32) {
        let Some(s) = self.core_sessions.get(&key) else {
            return;
        };
        if s.generation != generation || s.open.is_empty() {
            return;
        }
        let open = s.open.clone();
        let user = self.conns.get(open[0]).user;
        if self.core.fits(self.settings.core_session) {
            self.new_core_session(key, user);
        } else {
            // CORE-3: discontinued, once per session id.
            self.totals.discontinued += 1;
            self.emit(
                Rule::Core3,
                user,
                What::Discontinued {
                    connections: open.len() as u32,
                },
            );
            for c in open {
                self.close_connection(c, How::Discontinued);
            }
        }
    }

    /// Another tab of an open connection (CONN-0).
    fn merge_visit(&mut self, c: u32, v: Visit, conn_end: Minute, active_until: Minute) {
        let now = self.now;
        let conn = self.conns.get_mut(c);
        let extended = conn_end > conn.end;
        if extended {
            conn.end = conn_end;
            conn.ends = v.ends;
        }
        let was_active = conn.active_until > now;
        conn.active_until = conn.active_until.max(active_until);
        let (path, generation, script) = (conn.path, conn.generation, conn.script);
        if extended && conn_end <= self.end {
            self.queue.push(
                conn_end,
                Class::End,
                u64::from(script),
                Timed::ConnectionEnd {
                    conn: c,
                    generation,
                },
            );
        }
        self.emit(Rule::Conn0, v.user, What::TabMerged { device: v.device });
        // CAP-2: activity after an idle gap starts a new block if none is running.
        if path == Path::Capacity && v.active > 0 {
            let per_user = self.settings.capacity_parallel == CapacityParallel::PerUser;
            let (runner, running) = if per_user {
                (
                    Runner::User(v.user),
                    self.users[v.user as usize].block_end > now,
                )
            } else {
                (Runner::Connection(c), self.conns.get(c).block_end > now)
            };
            let _ = was_active;
            if !running {
                if self.capacity.fits(self.settings.capacity_block) {
                    self.consume_block(runner, v.user, v.device);
                } else {
                    let conns = match runner {
                        Runner::Connection(c) => vec![c],
                        Runner::User(u) => self.users[u as usize]
                            .conns
                            .iter()
                            .copied()
                            .filter(|c| self.conns.get(*c).path == Path::Capacity)
                            .collect(),
                    };
                    self.discontinue(v.user, &conns, Rule::Cap3);
                }
            }
        }
    }

    fn open_connection(&mut self, c: Connection) -> u32 {
        let (user, end, script, path, anonymous) = (c.user, c.end, c.script, c.path, c.anonymous);
        let id = self.conns.open_new(c);
        let generation = self.conns.get(id).generation;
        let u = &mut self.users[user as usize];
        u.conns.push(id);
        if matches!(path, Path::Login(_)) && !anonymous {
            u.login_open += 1;
        }
        if end <= self.end {
            self.queue.push(
                end,
                Class::End,
                u64::from(script),
                Timed::ConnectionEnd {
                    conn: id,
                    generation,
                },
            );
        }
        id
    }

    /// Closes one connection; its end counts as a use of its allocation (UAP-3) and starts
    /// its cool-down (CONN-1).
    fn close_connection(&mut self, c: u32, how: How) {
        let conn = self.conns.get(c);
        if !conn.open {
            return;
        }
        let (user, device, path, capped, anonymous, session) = (
            conn.user,
            conn.device,
            conn.path,
            conn.capped,
            conn.anonymous,
            conn.core_session,
        );
        self.conns.close(c);
        let now = self.now;
        let u = &mut self.users[user as usize];
        u.conns.retain(|x| *x != c);
        if matches!(path, Path::Login(_)) && !anonymous {
            u.login_open -= 1;
        }
        if capped {
            u.cooling.push(now);
        }
        match path {
            Path::Seat(_, alloc) => self.allocations[alloc as usize].last_use = Some(now),
            Path::Core => {
                if let Some(s) = self.core_sessions.get_mut(&session) {
                    s.open.retain(|x| *x != c);
                }
            }
            _ => {}
        }
        self.emit(Rule::Conn0, user, What::Disconnected { device, how });
    }

    /// LAP-8, CAP-3, NODE-2: a session ends; all its connections close at this minute and
    /// it counts once as discontinued (CONN-0).
    fn discontinue(&mut self, user: UserId, conns: &[u32], rule: Rule) {
        self.totals.discontinued += 1;
        self.emit(
            rule,
            user,
            What::Discontinued {
                connections: conns.len() as u32,
            },
        );
        for &c in conns {
            self.close_connection(c, How::Discontinued);
        }
    }

    /// LAP-3: the identified user's pass runs out while the session is alive.
    fn user_renewal(&mut self, user: UserId, pass: u32) {
        let ui = user as usize;
        let u = &self.users[ui];
        if u.pass != pass || u.login_open == 0 {
            return;
        }
        let g = match u.access {
            Access::Login(g) => g,
            _ => match u.conns.iter().find_map(|c| match self.conns.get(*c).path {
                Path::Login(g) => Some(g),
                _ => None,
            }) {
                Some(g) => g,
                None => return,
            },
        };
        match self.consume_pass(g, user) {
            Some(used) => {
                let window = self.settings.login_pass_window;
                let u = &mut self.users[ui];
                u.pass = u.pass.wrapping_add(1);
                u.pass_consumed_at = self.now;
                let pass = u.pass;
                self.queue.push(
                    self.now + window,
                    Class::Renewal,
                    u64::from(user) << USER_ORDER_SHIFT,
                    Timed::UserRenewal { user, pass },
                );
                let passes = self.groups[g as usize].passes();
                self.emit(
                    Rule::Lap3,
                    user,
                    What::PassConsumed {
                        group: g,
                        used,
                        passes,
                        why: Consume::Renewal,
                        device: 0,
                    },
                );
            }
            None => {
                let conns: Vec<u32> = self.users[ui]
                    .conns
                    .iter()
                    .copied()
                    .filter(|c| matches!(self.conns.get(*c).path, Path::Login(_)))
                    .collect();
                self.count_group_refusal(g, true);
                self.discontinue(user, &conns, Rule::Lap8);
            }
        }
    }

    /// LAP-3 for one anonymous connection.
    fn conn_renewal(&mut self, c: u32, generation: u32, pass: u32) {
        if !self.conns.is_live(c, generation) || self.conns.get(c).pass != pass {
            return;
        }
        let (user, path, script) = {
            let conn = self.conns.get(c);
            (conn.user, conn.path, conn.script)
        };
        let Path::Login(g) = path else { return };
        match self.consume_pass(g, user) {
            Some(used) => {
                let window = self.settings.login_pass_window;
                let conn = self.conns.get_mut(c);
                conn.pass += 1;
                conn.pass_consumed_at = self.now;
                let pass = conn.pass;
                self.queue.push(
                    self.now + window,
                    Class::Renewal,
                    (u64::from(user) << USER_ORDER_SHIFT) + 1 + u64::from(script),
                    Timed::ConnRenewal {
                        conn: c,
                        generation,
                        pass,
                    },
                );
                let passes = self.groups[g as usize].passes();
                self.emit(
                    Rule::Lap3,
                    user,
                    What::PassConsumed {
                        group: g,
                        used,
                        passes,
                        why: Consume::Renewal,
                        device: 0,
                    },
                );
            }
            None => {
                self.count_group_refusal(g, true);
                self.discontinue(user, &[c], Rule::Lap8);
            }
        }
    }

    // ----------------------------------------------------------------------------------
    // State
    // ----------------------------------------------------------------------------------

    /// The state after every event at the current minute (SCENARIOS.md's State JSON).
    pub fn state(&self) -> State {
        let sc = &self.sc;
        let clock = &sc.clock;
        let month = clock.month_label(self.now);
        let t = &self.tokens;
        let groups = Ordered(
            sc.groups
                .iter()
                .zip(&self.groups)
                .map(|(g, p)| {
                    (
                        g.name.clone(),
                        GroupCounts {
                            passes: p.passes(),
                            available: p.available,
                            used: p.used(),
                            retiring: p.retiring(),
                        },
                    )
                })
                .collect(),
        );
        let seat = |p: &SeatPool| SeatCounts {
            total: p.total,
            assigned: p.assigned,
            quarantined: p.quarantined,
        };
        let nodes = (!sc.nodes.is_empty()).then(|| {
            let mut per_node = vec![0i64; sc.nodes.len()];
            for u in &self.users {
                for &c in &u.conns {
                    if let Some(n) = per_node.get_mut(self.conns.get(c).node as usize) {
                        *n += 1;
                    }
                }
            }
            Ordered(
                sc.nodes
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        let link = &self.nodes[i];
                        (
                            n.name.clone(),
                            NodeCounts {
                                role: if n.role == NodeRole::Central {
                                    "central"
                                } else {
                                    "rim"
                                },
                                engine: n.engine,
                                cores: self.node_cores[i],
                                connected: link.disconnected_at.is_none(),
                                accepting: !link.cut_off,
                                connections: per_node[i],
                            },
                        )
                    })
                    .collect(),
            )
        });
        let deployments = (!sc.deployments.is_empty()).then(|| {
            Ordered(
                sc.deployments
                    .iter()
                    .enumerate()
                    .map(|(i, d)| {
                        let mut counts = DeploymentCounts {
                            professional: 0,
                            analyzer: 0,
                            unsynced: 0,
                        };
                        for (ui, u) in self.users.iter().enumerate() {
                            if u.deployment as usize != i {
                                continue;
                            }
                            let _ = ui;
                            if u.seats[Seat::Professional.index()].is_some() {
                                counts.professional += 1;
                            }
                            if u.seats[Seat::Analyzer.index()].is_some() {
                                counts.analyzer += 1;
                            }
                        }
                        counts.unsynced = self
                            .unsynced
                            .iter()
                            .filter(|x| x.deployment as usize == i)
                            .count() as i64;
                        (d.name.clone(), counts)
                    })
                    .collect(),
            )
        });
        let costs = sc.prices.any().then(|| {
            let p = &sc.prices;
            let l = &sc.license;
            let tokens = p.token.unwrap_or(0.0) * t.total as f64;
            let professional = p.professional.unwrap_or(0.0) * l.professional as f64;
            let analyzer = p.analyzer.unwrap_or(0.0) * l.analyzer as f64;
            let capacity_packs = p.capacity_pack.unwrap_or(0.0) * l.analyzer_capacity_packs as f64;
            let overage = p.overage_minute.unwrap_or(0.0) * self.capacity.overage() as f64;
            Costs {
                currency: p.currency.clone(),
                tokens,
                professional,
                analyzer,
                capacity_packs,
                overage,
                total: tokens + professional + analyzer + capacity_packs + overage,
            }
        });
        State {
            at: clock.format(self.now),
            tokens: TokenCounts {
                total: t.total,
                free: t.free,
                user_passes: t.user_passes,
                login_groups: t.login_groups,
                pending: t.pending,
            },
            user_passes: UserPassCounts {
                allocated: t.user_passes,
                quarantined: self.uap_quarantined,
            },
            groups,
            professional: seat(&self.seat_pools[0]),
            analyzer: seat(&self.seat_pools[1]),
            capacity: CapacityCounts {
                month: month.clone(),
                quota: self.capacity.quota,
                used: self.capacity.used,
                overage: self.capacity.overage(),
            },
            core: CoreCounts {
                month,
                quota: self.core.quota,
                used: self.core.used,
            },
            connections: self.conns.open,
            totals: self.totals.clone(),
            nodes,
            deployments,
            costs,
        }
    }

    /// Capacity figures of every month so far, the current one last (CAP-3's report).
    pub fn capacity_months(&self) -> Vec<MonthUsage> {
        let mut months = self.capacity_months.clone();
        months.push(MonthUsage {
            month: self.sc.clock.month_label(self.now),
            quota: self.capacity.quota,
            used: self.capacity.used,
            overage: self.capacity.overage(),
        });
        months
    }

    /// Sizing mode: login passes never run out (`available` may go below zero), so a run
    /// measures how many passes the population needs. Call before the first event.
    pub fn set_unlimited_passes(&mut self, unlimited: bool) {
        self.unlimited_passes = unlimited;
    }

    /// Keeps every login pass consumption (for SIZE-2's per-person figures).
    pub fn keep_consumptions(&mut self) {
        if self.consumptions.is_none() {
            self.consumptions = Some(Vec::new());
        }
    }

    pub fn consumptions(&self) -> &[Consumption] {
        self.consumptions.as_deref().unwrap_or(&[])
    }

    /// Per-group sizing figures, in file order of the groups.
    pub fn group_stats(&self) -> &[GroupStats] {
        &self.group_stats
    }

    /// Login passes consumed per user, in user order.
    pub fn passes_consumed_by_user(&self) -> &[u32] {
        &self.user_passes_consumed
    }

    /// Running totals (denied, discontinued, passes consumed).
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// Checks every invariant of the rule book; the property tests call it after each
    /// event: TOK-1, the group pass identity, no negative count, no connection on an
    /// allocation its user does not hold, consistent connection counts.
    pub fn check_invariants(&self) -> Result<(), String> {
        if !self.tokens.holds() {
            return Err(format!("TOK-1 broken: {:?}", self.tokens));
        }
        for (i, g) in self.groups.iter().enumerate() {
            let ok = if self.unlimited_passes {
                g.holds()
            } else {
                g.holds_strictly()
            };
            if !ok || g.tokens < 0 {
                return Err(format!(
                    "group {i}: available + used - retiring != passes: {g:?}"
                ));
            }
        }
        let group_tokens: i64 = self.groups.iter().map(|g| g.tokens).sum();
        if group_tokens != self.tokens.login_groups {
            return Err(format!(
                "groups hold {group_tokens} tokens, the ledger says {}",
                self.tokens.login_groups
            ));
        }
        for p in &self.seat_pools {
            if p.assigned < 0 || p.quarantined < 0 {
                return Err(format!("negative seat count: {p:?}"));
            }
        }
        let mut open = 0i64;
        for (ui, u) in self.users.iter().enumerate() {
            open += u.conns.len() as i64;
            let mut login = 0;
            for &c in &u.conns {
                let conn = self.conns.get(c);
                if !conn.open || conn.user as usize != ui {
                    return Err(format!("user {ui} lists a connection that is not theirs"));
                }
                if let Path::Seat(seat, a) = conn.path {
                    if u.seats[seat.index()] != Some(a) {
                        return Err(format!(
                            "user {ui} is connected on an allocation they do not hold"
                        ));
                    }
                }
                if matches!(conn.path, Path::Login(_)) && !conn.anonymous {
                    login += 1;
                }
            }
            if login != u.login_open {
                return Err(format!("user {ui}: login connections miscounted"));
            }
            if u.conns.len() as i64 > self.settings.max_connections && !u.anonymous {
                let capped = u
                    .conns
                    .iter()
                    .filter(|c| self.conns.get(**c).capped)
                    .count() as i64;
                if capped > self.settings.max_connections {
                    return Err(format!("user {ui} is over the parallel cap"));
                }
            }
        }
        if open != self.conns.open {
            return Err(format!(
                "{open} connections listed, {} open",
                self.conns.open
            ));
        }
        let uap_allocated = self
            .allocations
            .iter()
            .filter(|a| a.seat == Seat::UserPass && a.status == Status::Allocated)
            .count() as i64;
        if uap_allocated != self.tokens.user_passes {
            return Err("User Access Passes and tokens disagree".into());
        }
        Ok(())
    }
}
