//! The rules engine: an event-driven simulation of one scenario.
//!
//! Connection starts come from the scenario's visits (already sorted), administrative
//! changes from its actions; everything the rules schedule (connection ends, renewals,
//! pass returns, quarantine ends, monthly resets) goes through a priority [`Queue`]. At
//! each minute the events are applied in TIME-3's order: releases, administrative
//! changes, connection ends, connection starts, renewals; ties keep script order.

mod admin;
mod connect;
pub mod events;
mod links;
mod login;
mod metering;
mod queue;
mod releases;

use std::collections::HashMap;
use std::sync::Arc;

pub use links::Link;
pub use queue::{Class, Key, Queue, Runner, Timed};

use crate::base::time::Minute;
use crate::engine::events::{Consume, Event, How, Refusal, Rule, Via, What};
use crate::rules::capacity::{CapacityMeter, MonthUsage};
use crate::rules::connections::{Connection, Connections, Cooling, Path};
use crate::rules::core_sessions::{CoreMeter, CoreSessions};
use crate::rules::login_pass::{GroupPool, Returned};
use crate::rules::nodes::{allocate_cores, NodeLink};
use crate::rules::quarantine::{self, Allocation, Removal, SeatPool, Status};
use crate::rules::tokens::{Bucket, TokenLedger};
use crate::scenario::{
    Access, ActionKind, CapacityParallel, CoreKey, DeploymentId, Ends, GroupId, NodeId, Scenario,
    Seat, Settings, User, UserId, Visit,
};

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
    /// NU-4: no Professional or Analyzer allocation free; Analyzer Capacity instead.
    DynamicCapacity,
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
    /// A renewal for the current pass is in the queue.
    renewal_scheduled: bool,
    /// Capacity per user: the running block ends here.
    block_end: Minute,
    block_generation: u32,
}

impl UserRt {
    fn new(u: &User) -> UserRt {
        UserRt {
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
            renewal_scheduled: false,
            block_end: Minute::MIN,
            block_generation: 0,
        }
    }
}

/// Per-group figures a run collects for sizing (SIZE-1, SIZE-2).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// Running totals since the start (the State JSON's `totals`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    pub passes_consumed: i64,
    pub denied: i64,
    pub discontinued: i64,
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
    core_sessions: HashMap<CoreKey, CoreSessions>,
    nodes: Vec<NodeLink>,
    node_cores: Vec<i64>,
    unsynced: Vec<Unsynced>,
    totals: Totals,
    group_stats: Vec<GroupStats>,
    user_passes_consumed: Vec<u32>,
    unlimited_passes: bool,
    consumptions: Option<Vec<Consumption>>,
    first_month: i64,
    /// Used passes across all groups, and the most at once so far.
    used_total: i64,
    peak_used_total: i64,
    trace: Option<Vec<Key>>,
    events_processed: u64,
    log: Log,
    links: links::Links,
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

/// The administrative changes in TIME-3 order: the day-0 allocations (groups in file
/// order, then named users), then the `[[action]]`s before the end.
fn admin_items(sc: &Scenario) -> Vec<AdminItem> {
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
            admin.push(Admin::Seat(UserId::new(i), seat));
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
    // SCENARIOS.md: an action at or after the end (day `days` 00:00 or later) is
    // accepted and never applied.
    let end = sc.end();
    items.extend(
        sc.actions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.at < end)
            .map(|(i, a)| AdminItem {
                at: a.at,
                order: 1 + initial + u64::from(a.script),
                what: Admin::Action(i as u32),
            }),
    );
    items.sort_by_key(|a| (a.at, a.order));
    items
}

/// TIME-3 Decision: renewals at one minute (login passes, capacity blocks, Core Sessions)
/// go in `[[user]]` file order (cohort members after, cohort by cohort: the order of
/// `UserId`s), then visit order. A renewal's queue order is `user << USER_ORDER_SHIFT`
/// for the user as a whole (an identified login session, a per-user capacity run), plus
/// `1 + script` for one connection (the script order of the visit that opened it).
const USER_ORDER_SHIFT: u32 = 32;

/// The queue order of a renewal of one connection of `user` opened by visit `script`.
fn connection_renewal_order(user: UserId, script: u32) -> u64 {
    (u64::from(user.get()) << USER_ORDER_SHIFT) + 1 + u64::from(script)
}

/// How many visits ahead [`prefetch`] looks.
const PREFETCH_AHEAD: usize = 16;

/// A hint to the CPU to load `items[i]` into cache; no effect on the result, nothing on
/// targets without a prefetch instruction.
#[inline(always)]
fn prefetch<T>(items: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(item) = items.get(i) {
        let start = (item as *const T).cast::<i8>();
        // Every cache line of the element.
        for offset in (0..std::mem::size_of::<T>()).step_by(64) {
            // SAFETY: a prefetch is only a hint; the address lies inside a live element.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    start.add(offset),
                );
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (items, i);
}

impl Simulation {
    /// A simulation at day 0 00:00, before any event. `record` keeps the event log.
    pub fn new(sc: Arc<Scenario>, record: bool) -> Self {
        let items = admin_items(&sc);
        let users = sc.users.iter().map(UserRt::new).collect();
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
            used_total: 0,
            peak_used_total: 0,
            trace: None,
            events_processed: 0,
            log: Log(record.then(Vec::new)),
            links: links::Links::default(),
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
        let mut best = self.queue.peek();
        if let Some(x) = self.admin.get(self.next_admin) {
            let k = Key {
                at: x.at,
                class: Class::Admin,
                order: x.order,
            };
            if best.is_none_or(|b| k < b) {
                best = Some(k);
            }
        }
        if let Some(x) = self.sc.visits.get(self.next_visit) {
            let k = Key {
                at: x.at,
                class: Class::Start,
                order: u64::from(x.script),
            };
            if best.is_none_or(|b| k < b) {
                best = Some(k);
            }
        }
        best
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
        if let Some(trace) = &mut self.trace {
            trace.push(key);
        }
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
            // Visits come in time order but touch users at random: fetch the state of a
            // user a few visits ahead so it is in cache when its turn comes.
            if let Some(ahead) = self.sc.visits.get(self.next_visit + PREFETCH_AHEAD) {
                prefetch(&self.users, ahead.user.index());
            }
            self.start_visit(v);
        }
        // Invariants on every event in debug builds (the cheap ones; the property tests
        // run the full `check_invariants` after every event).
        debug_assert!(self.tokens.holds(), "TOK-1 broken at {}", self.now);
        debug_assert!(
            self.seat_pools
                .iter()
                .all(|p| p.assigned >= 0 && p.quarantined >= 0),
            "a negative seat count at {}",
            self.now
        );
        debug_assert!(self.conns.open >= 0 && self.uap_quarantined >= 0);
        true
    }

    /// Logs an event about `user` (a [`UserId`]) or about no one (`None`).
    fn emit(&mut self, rule: Rule, user: impl Into<Option<UserId>>, what: What) {
        if let Some(log) = &mut self.log.0 {
            log.push(Event {
                at: self.now,
                rule,
                user: user.into(),
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

    // ----------------------------------------------------------------------------------
    // The ledgers, as the report reads them (`report::state::State::of`)
    // ----------------------------------------------------------------------------------

    /// The token ledger (TOK-1).
    pub fn tokens(&self) -> &TokenLedger {
        &self.tokens
    }

    /// The login access groups' pools, in file order of the groups.
    pub fn group_pools(&self) -> &[GroupPool] {
        &self.groups
    }

    /// The Professional and Analyzer allocations, in that order.
    pub fn seat_pools(&self) -> &[SeatPool; 2] {
        &self.seat_pools
    }

    /// User Access Passes in quarantine (UAP-3).
    pub fn user_passes_quarantined(&self) -> i64 {
        self.uap_quarantined
    }

    /// This month's Analyzer Capacity minutes.
    pub fn capacity(&self) -> &CapacityMeter {
        &self.capacity
    }

    /// This month's Qlik Core minutes.
    pub fn core(&self) -> &CoreMeter {
        &self.core
    }

    /// The connections open now.
    pub fn open_connections(&self) -> i64 {
        self.conns.open
    }

    /// Each node's link to the central node, in file order of the nodes.
    pub fn node_links(&self) -> &[NodeLink] {
        &self.nodes
    }

    /// The cores allocated to each node (NODE-1), in file order of the nodes.
    pub fn node_cores(&self) -> &[i64] {
        &self.node_cores
    }

    /// The connections open now on each node, in file order of the nodes.
    pub fn connections_per_node(&self) -> Vec<i64> {
        let mut per_node = vec![0i64; self.sc.nodes.len()];
        for u in &self.users {
            for &c in &u.conns {
                if let Some(n) = per_node.get_mut(self.conns.get(c).node as usize) {
                    *n += 1;
                }
            }
        }
        per_node
    }

    /// Whether `user` holds an allocation of `seat` now.
    pub fn holds(&self, user: UserId, seat: Seat) -> bool {
        self.users[user.index()].seats[seat.index()].is_some()
    }

    /// Assignments made on `deployment` that the other deployments have not seen yet (QLS-1).
    pub fn unsynced_on(&self, deployment: DeploymentId) -> i64 {
        self.unsynced
            .iter()
            .filter(|x| x.deployment == deployment)
            .count() as i64
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

    /// The most login passes in use at once so far, across all groups.
    pub fn peak_used_passes(&self) -> i64 {
        self.peak_used_total
    }

    /// The most connections open at once so far.
    pub fn peak_connections(&self) -> i64 {
        self.conns.peak
    }

    /// Keeps the key of every processed event (for the benchmark's bare-queue baseline).
    pub fn keep_trace(&mut self) {
        self.trace = Some(Vec::new());
    }

    pub fn take_trace(&mut self) -> Vec<Key> {
        self.trace.take().unwrap_or_default()
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
        let used: i64 = self.groups.iter().map(|g| g.used()).sum();
        if used != self.used_total {
            return Err(format!(
                "{used} passes used in the groups, {} counted",
                self.used_total
            ));
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
                if !conn.open || conn.user.index() != ui {
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
