//! Use rights, checked against a run: the scenario's own checks
//! (`scenario::use_rights`), the cores of the nodes (LM I.D, II.A; NODE-1), and what only
//! the event log shows: dynamic assignment giving an external user a Professional
//! allocation (LM IV.A) and named licenses recycled among users to defeat their
//! quarantine (LM IV.C). Warnings, never errors: the file stays valid and the run is the
//! same.
//!
//! [`check`] runs the scenario only when a run-based check can find something (an
//! external `dynamic` user, or an action that takes a named license away);
//! [`check_log`] reads a log the caller already has (the app's recording).

use std::collections::HashMap;
use std::sync::Arc;

use crate::base::time::{Clock, Minute, MINUTES_PER_DAY};
use crate::engine::events::{Event, Release, Via, What};
use crate::rules::nodes::allocate_cores;
use crate::scenario::use_rights::{
    self as rights, plural, Check, Places, Pos, Warning, LM_QUARANTINE,
};
use crate::scenario::{Access, ActionKind, Scenario, Seat, UserId};

/// Every warning of the scenario, in file order, running it if a check needs the run.
pub fn check(sc: &Arc<Scenario>, places: &Places) -> Vec<Warning> {
    if needs_run(sc) {
        let log = crate::report::timeline::events(sc);
        check_log(sc, &log, places)
    } else {
        check_log(sc, &[], places)
    }
}

/// Every warning of the scenario, with the event log of its run (`log` may be empty
/// when [`needs_run`] is false).
pub fn check_log(sc: &Scenario, log: &[Event], places: &Places) -> Vec<Warning> {
    let mut out = rights::checks(sc, places);
    nodes_cores(sc, places, &mut out);
    if !log.is_empty() {
        external_dynamic(sc, log, places, &mut out);
        recycled(sc, log, places, &mut out);
        quarantine_defeated(sc, log, places, &mut out);
    }
    rights::finish(out)
}

/// Whether a run-based check can find anything: an external user who may be given a
/// Professional allocation by dynamic assignment (NU-4), or an action that takes a named
/// license away (a license changes hands only after one, or a QLS-1 rejection).
pub fn needs_run(sc: &Scenario) -> bool {
    let external_dynamic = sc
        .users
        .iter()
        .any(|u| u.rights.external && u.access == Access::Dynamic);
    let removal = sc.actions.iter().any(|a| {
        matches!(
            a.kind,
            ActionKind::RemoveUserPass(_) | ActionKind::Unassign(..)
        )
    });
    external_dynamic || removal
}

/// LM I.D (QSE) and II.A (QAP): "Cores must be licensed for the Engine on the central
/// node and any other node used for reloading data or providing user access". With a
/// core-based license (`cores`), each node that runs an engine and gets no core by
/// NODE-1's allocation.
///
/// "The total number of Cores on all nodes may not exceed the licensed number of Cores"
/// is NODE-1's error (allocated_cores above the license: the LEF cannot allocate them),
/// not a warning. **Decision:** a node's physical `cores` above its allocation is no
/// breach: the LEF limits the cores the engine operates on, "even if the Server has more
/// capacity" (LM II.D's own example, `examples/nodes.toml`: 4 licensed cores on servers
/// of 8 and 16).
fn nodes_cores(sc: &Scenario, places: &Places, out: &mut Vec<Warning>) {
    let Some(licensed) = sc.license.cores else {
        return;
    };
    let lm = if sc.license.qap_edition.is_some() {
        "II.A"
    } else {
        "I.D"
    };
    let cores = allocate_cores(licensed, &sc.nodes);
    for (i, (n, c)) in sc.nodes.iter().zip(&cores).enumerate() {
        if n.engine && *c == 0 {
            let users = sc.users.iter().filter(|u| u.node == i as u32).count();
            let serving = if users > 0 {
                format!(", and {} connect to it", plural(users, "user", "users"))
            } else {
                String::new()
            };
            let message = format!(
                "node `{}` runs an engine but gets none of the {licensed} licensed cores (NODE-1){serving}: cores must be licensed for the engine on the central node and on every node used for reloading data or user access",
                n.name
            );
            let at = places.nodes.get(i).copied().unwrap_or(places.license);
            out.push(Warning::new(at, Check::NodeWithoutCores, message).citing(lm));
        }
    }
}

/// LM IV.A: dynamic assignment (NU-4) gave an external user a Professional allocation;
/// one warning per row (a user, or a cohort with the count of its members).
fn external_dynamic(sc: &Scenario, log: &[Event], places: &Places, out: &mut Vec<Warning>) {
    // Per row (its place): the first user and minute, and how many were given one.
    let mut rows: Vec<(Pos, UserId, Minute, usize, bool)> = Vec::new();
    for e in log {
        let What::SeatAllocated {
            seat: Seat::Professional,
            dynamic: true,
        } = e.what
        else {
            continue;
        };
        let Some(user) = e.user else {
            continue;
        };
        let Some(u) = sc.users.get(user.index()) else {
            continue;
        };
        if !u.rights.external {
            continue;
        }
        let Some(row) = places.row_of(sc, user) else {
            continue;
        };
        let at = row.external.unwrap_or(row.table);
        match rows.iter_mut().find(|r| r.0 == at) {
            Some(r) => r.3 += 1,
            None => rows.push((at, user, e.at, 1, u.cohort.is_some())),
        }
    }
    for (at, user, when, n, cohort) in rows {
        let u = &sc.users[user.index()];
        let whom = match (cohort, u.cohort) {
            (true, Some(c)) => format!(
                "{} of external cohort `{}` Professional allocations, the first `{}` at {}",
                plural(n, "member", "members"),
                sc.cohorts.get(c as usize).map_or("?", |c| c.name.as_str()),
                u.name,
                Clock::format_relative(when)
            ),
            _ => format!(
                "external `{}` a Professional allocation at {}",
                u.name,
                Clock::format_relative(when)
            ),
        };
        let message = format!(
            "dynamic assignment (NU-4) gave {whom}: Professional users are not available for external use by third parties (also LM I.A.1); give external users Analyzer allocations or Analyzer Capacity"
        );
        out.push(Warning::new(at, Check::ExternalProfessional, message));
    }
}

/// Where the action of a change to a user's named license is: the first action at that
/// minute that `is_it`.
fn action_at(
    sc: &Scenario,
    places: &Places,
    at: Minute,
    is_it: impl Fn(ActionKind) -> bool,
) -> Option<Pos> {
    let from = sc.actions.partition_point(|a| a.at < at);
    sc.actions[from..]
        .iter()
        .take_while(|a| a.at == at)
        .find(|a| is_it(a.kind))
        .map(|a| places.action(a.script))
}

fn gives(kind: ActionKind, user: UserId, seat: Seat) -> bool {
    match kind {
        ActionKind::AllocateUserPass(u) => seat == Seat::UserPass && u == user,
        ActionKind::Assign(u, s, _) => s == seat && u == user,
        _ => false,
    }
}

fn takes(kind: ActionKind, user: UserId, seat: Seat) -> bool {
    match kind {
        ActionKind::RemoveUserPass(u) => seat == Seat::UserPass && u == user,
        ActionKind::Unassign(u, s) => s == seat && u == user,
        _ => false,
    }
}

/// LM IV.C: named licenses "may not be … continually recycled among a group of users to
/// defeat a quarantine", and LM I.A.2: one may be transferred only when its user "no
/// longer requires access". **Decision:** a license goes round a group when a user's
/// used allocation is removed (not undone by reinstating it during the quarantine,
/// UAP-4), another user is then given one of the same kind, and the first user is given
/// one again: that user still needed it. One warning per user and kind, at the action
/// that gives it back (or, for dynamic assignment, at the removal).
fn recycled(sc: &Scenario, log: &[Event], places: &Places, out: &mut Vec<Warning>) {
    // Allocations of each kind so far; per (user, kind): the removal not yet undone.
    let mut given = [0u64; 3];
    let mut removed: HashMap<(UserId, Seat), (Minute, u64)> = HashMap::new();
    let mut warned: std::collections::HashSet<(UserId, Seat)> = Default::default();
    for e in log {
        let Some(user) = e.user else {
            continue;
        };
        match e.what {
            What::SeatAllocated { seat, .. } => {
                if let Some((when, seq)) = removed.remove(&(user, seat)) {
                    if given[seat.index()] > seq && warned.insert((user, seat)) {
                        let at = action_at(sc, places, e.at, |k| gives(k, user, seat))
                            .or_else(|| action_at(sc, places, when, |k| takes(k, user, seat)))
                            .unwrap_or(places.license);
                        let name = sc.user_name(user);
                        let message = format!(
                            "`{name}`'s {} was removed after use at {}, another user was given one, and `{name}` is given one again at {}: named licenses may not be recycled among a group of users to defeat a quarantine; one moves to another user only when its holder no longer needs access (LM I.A.2)",
                            seat.label(),
                            Clock::format_relative(when),
                            Clock::format_relative(e.at)
                        );
                        out.push(Warning::new(at, Check::Recycled, message));
                    }
                }
                given[seat.index()] += 1;
            }
            What::SeatRemoved { seat, release } if release != Release::NeverUsed => {
                removed.insert((user, seat), (e.at, given[seat.index()]));
            }
            What::Reinstated { seat } => {
                removed.remove(&(user, seat));
            }
            _ => {}
        }
    }
}

/// The window of LM IV.C's quarantine, in days: a license used on day D may serve
/// another user from 00:00 of day D + 8 (UAP-3's "used on January 10 … not available
/// … until January 18").
const WINDOW_DAYS: i64 = LM_QUARANTINE / MINUTES_PER_DAY + 1;

/// LM IV.C's 7-day quarantine (its table: Professional, Analyzer and User Access Pass,
/// whatever the scenario's `quarantine`), seen in the run. Under it, a license used in a
/// window of 8 calendar days cannot serve another user before the window ends, so at
/// most as many users as there are licenses of a kind connect on that kind in any such
/// window (each still holds one or keeps it in quarantine at the window's end).
/// **Decision:** more users than that in some window means a license served another
/// user before its LM quarantine ended, which a scenario `quarantine` shorter than 7
/// days allows: one warning per kind, at the `quarantine` setting when it is shorter
/// (else at the first removal of that kind), for the first such window, with the count
/// of such windows. User Access Passes count the license's tokens less the login access
/// groups' at the window's end; an assignment rejected by the sync (QLS-1) does not
/// count.
fn quarantine_defeated(sc: &Scenario, log: &[Event], places: &Places, out: &mut Vec<Warning>) {
    let uses = Uses::of(sc, log);
    for seat in [Seat::UserPass, Seat::Professional, Seat::Analyzer] {
        let Some(crowded) = uses.crowded(sc, seat) else {
            continue;
        };
        let at = if sc.settings.quarantine < LM_QUARANTINE {
            places.quarantine
        } else {
            None
        }
        .or_else(|| {
            let t = uses.first_removal[seat.index()]?;
            action_at(sc, places, t, |k| match k {
                ActionKind::RemoveUserPass(_) => seat == Seat::UserPass,
                ActionKind::Unassign(_, s) => s == seat,
                _ => false,
            })
        })
        .unwrap_or(places.license);
        out.push(Warning::new(
            at,
            Check::QuarantineDefeated,
            crowded.message(sc, seat),
        ));
    }
}

/// The connections on named licenses by kind and day, as [`quarantine_defeated`] reads them.
struct Uses {
    /// Per kind, per day: the users who connected on that kind (on which allocation).
    per_day: [Vec<Vec<(UserId, u32)>>; 3],
    /// Allocations an assignment rejected by the sync (QLS-1) made: they do not count.
    rejected: std::collections::HashSet<u32>,
    /// User Access Passes the license holds (its tokens less the groups'), as steps.
    uap_steps: Vec<(Minute, i64)>,
    first_removal: [Option<Minute>; 3],
}

/// The first window of [`WINDOW_DAYS`] with more users than licenses of a kind.
struct Crowded {
    start: usize,
    users: Vec<UserId>,
    licensed: i64,
    /// How many windows in all.
    windows: usize,
}

impl Uses {
    fn of(sc: &Scenario, log: &[Event]) -> Uses {
        let days = sc.days.max(1) as usize + 1;
        let mut uses = Uses {
            per_day: Default::default(),
            rejected: Default::default(),
            uap_steps: vec![(0, sc.license.tokens)],
            first_removal: [None; 3],
        };
        let mut alloc: HashMap<(UserId, Seat), u32> = HashMap::new();
        let mut next_alloc = 0u32;
        let mut tokens = sc.license.tokens;
        let mut group_tokens: HashMap<u32, i64> = HashMap::new();
        for e in log {
            match (e.what, e.user) {
                (What::SeatAllocated { seat, .. }, Some(user)) => {
                    alloc.insert((user, seat), next_alloc);
                    next_alloc += 1;
                }
                (What::SyncRejected { seat, .. }, Some(user)) => {
                    if let Some(a) = alloc.get(&(user, seat)) {
                        uses.rejected.insert(*a);
                    }
                }
                (What::SeatRemoved { seat, .. }, _) => {
                    uses.first_removal[seat.index()].get_or_insert(e.at);
                }
                (What::Connected { via, .. }, Some(user)) => {
                    let seat = match via {
                        Via::UserPass => Seat::UserPass,
                        Via::Seat(s) => s,
                        Via::Capacity | Via::Core => continue,
                    };
                    let day = (e.at.max(0) / MINUTES_PER_DAY) as usize;
                    let a = alloc.get(&(user, seat)).copied().unwrap_or(u32::MAX);
                    let per_day = &mut uses.per_day[seat.index()];
                    if per_day.len() < days {
                        per_day.resize(days, Vec::new());
                    }
                    if let Some(d) = per_day.get_mut(day) {
                        d.push((user, a));
                    }
                }
                (What::TokensSet { to, .. }, _) => tokens = to,
                (What::GroupAllocated { group, tokens: t }, _) => {
                    group_tokens.insert(group, t);
                }
                (What::GroupResized { group, to, .. }, _) => {
                    group_tokens.insert(group, to);
                }
                _ => continue,
            }
            let uap = tokens - group_tokens.values().sum::<i64>();
            if uses.uap_steps.last().map(|s| s.1) != Some(uap) {
                uses.uap_steps.push((e.at, uap));
            }
        }
        uses
    }

    /// User Access Passes the license holds at `t`.
    fn uap_at(&self, t: Minute) -> i64 {
        let i = self.uap_steps.partition_point(|s| s.0 <= t);
        self.uap_steps
            .get(i.saturating_sub(1))
            .map_or(0, |s| s.1)
            .max(0)
    }

    /// The distinct users of `seat` in a window sliding day by day, against the licenses
    /// at each window's end.
    fn crowded(&self, sc: &Scenario, seat: Seat) -> Option<Crowded> {
        let per_day = &self.per_day[seat.index()];
        let licensed_at = |t: Minute| match seat {
            Seat::UserPass => self.uap_at(t),
            Seat::Professional => sc.license.professional,
            Seat::Analyzer => sc.license.analyzer,
        };
        let mut in_window: HashMap<UserId, u32> = HashMap::new();
        let add = |w: &mut HashMap<UserId, u32>, day: &[(UserId, u32)], by: i32| {
            for (u, _) in day.iter().filter(|(_, a)| !self.rejected.contains(a)) {
                let n = w.entry(*u).or_default();
                *n = n.saturating_add_signed(by);
                if *n == 0 {
                    w.remove(u);
                }
            }
        };
        let width = WINDOW_DAYS as usize;
        let mut first: Option<Crowded> = None;
        let mut windows = 0usize;
        for d in 0..per_day.len() {
            add(&mut in_window, &per_day[d], 1);
            if d >= width {
                add(&mut in_window, &per_day[d - width], -1);
            }
            // The window of days d + 1 - width ..= d (a shorter one at the start).
            let end = (((d + 1) as i64) * MINUTES_PER_DAY - 1).min(sc.end());
            let licensed = licensed_at(end);
            if in_window.len() as i64 > licensed {
                windows += 1;
                if first.is_none() {
                    let mut users: Vec<UserId> = in_window.keys().copied().collect();
                    users.sort_unstable();
                    let start = (d + 1).saturating_sub(width);
                    first = Some(Crowded {
                        start,
                        users,
                        licensed,
                        windows: 0,
                    });
                }
            }
        }
        first.map(|c| Crowded { windows, ..c })
    }
}

impl Crowded {
    fn message(&self, sc: &Scenario, seat: Seat) -> String {
        let kind = match seat {
            Seat::UserPass => "User Access Passes",
            Seat::Professional => "Professional allocations",
            Seat::Analyzer => "Analyzer allocations",
        };
        let setting = if sc.settings.quarantine < LM_QUARANTINE {
            format!(
                "; the scenario's `quarantine` is {}",
                crate::base::time::format_duration(sc.settings.quarantine)
            )
        } else {
            String::new()
        };
        let more = match self.windows {
            0 | 1 => String::new(),
            n => format!(
                " ({} of {WINDOW_DAYS} days like it)",
                plural(n - 1, "more window", "more windows")
            ),
        };
        let mut names: Vec<String> = self
            .users
            .iter()
            .take(5)
            .map(|u| format!("`{}`", sc.user_name(*u)))
            .collect();
        if self.users.len() > 5 {
            names.push(format!("{} more", self.users.len() - 5));
        }
        format!(
            "from day {} to day {}, {} users connected on {kind} ({}), and the license has {}{more}: a license went to another user less than 7 days after its last use (a named license is quarantined for 7 days from its last use{setting})",
            self.start,
            self.start as i64 + WINDOW_DAYS - 1,
            self.users.len(),
            names.join(", "),
            self.licensed,
        )
    }
}
