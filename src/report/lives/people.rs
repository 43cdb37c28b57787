//! Connections and people (CONN-0, LAP-2..6, UAP-2, NU-3, CAP-2, CORE-2): a user's
//! connections per device over time, what each ran on, and their refusals.
//!
//! Connections come from the engine's links (`engine::Link`): each has its opening event,
//! its `Disconnected`, and the events in between that are its own. What it ran on:
//!
//! - login: the pass it opened on (consumed, or reused within the hour: LAP-4, LAP-5),
//!   then the passes of its renewals: an identified user's renewal (LAP-3) belongs to
//!   the session, so to each of the user's login connections open at that minute; an
//!   anonymous connection's renewals are its own (LAP-6, linked);
//! - capacity: its blocks (CAP-2; per device: linked; per user: the user's run of
//!   blocks, shown on each of their capacity connections open at that minute);
//! - Qlik Core: the Core Sessions of its session id while it is open (CORE-2).

use serde::{Deserialize, Serialize};

use super::{seat_kind, Lives, Run, SeatKind, Why, Window, NONE};
use crate::base::time::Minute;
use crate::engine::events::{Event, How, Via, What};
use crate::engine::Link;
use crate::report::describe::Describe;
use crate::scenario::{Access, CapacityParallel, CoreKey, GroupId, Seat, UserId};

/// What a connection runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    Login(GroupId),
    /// A User Access Pass, Professional or Analyzer allocation (its number).
    Seat(Seat, u32),
    Capacity,
    /// Qlik Core, with its session key (an index into the lives' key table).
    Core(u32),
}

/// One connection over the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLife {
    pub user: UserId,
    pub device: u32,
    /// The opening event.
    pub opened: u32,
    /// The `Disconnected` event; [`NONE`]: still open at the end.
    pub closed: u32,
    pub on: On,
}

#[derive(Debug, Default)]
pub(super) struct Builder {
    conns: Vec<ConnectionLife>,
    core_keys: Vec<CoreKey>,
}

impl Builder {
    /// Event `i` is linked to a connection: its opening, its end, or one of its own.
    pub(super) fn link(&mut self, i: u32, e: &Event, l: &Link, seats: &super::allocations::Seats) {
        let n = l.connection as usize;
        // Connection events are about a user (the engine logs them with the visit's).
        let Some(user) = e.user else {
            return;
        };
        if n == self.conns.len() {
            let on = match e.what {
                What::Connected {
                    via: Via::UserPass, ..
                } => On::Seat(Seat::UserPass, seats.held(user, Seat::UserPass)),
                What::Connected {
                    via: Via::Seat(s), ..
                } => On::Seat(s, seats.held(user, s)),
                What::PassConsumed { group, .. } | What::PassReused { group, .. } => {
                    On::Login(group)
                }
                What::CoreJoined { session, .. } | What::CoreSession { session, .. } => {
                    On::Core(self.key(session))
                }
                What::Connected { via: Via::Core, .. } => On::Core(self.key(CoreKey::Own(user))),
                _ => On::Capacity,
            };
            self.conns.push(ConnectionLife {
                user,
                device: l.device,
                opened: i,
                closed: NONE,
                on,
            });
        } else if let (Some(c), What::Disconnected { .. }) = (self.conns.get_mut(n), e.what) {
            c.closed = i;
        }
    }

    fn key(&mut self, session: CoreKey) -> u32 {
        match self.core_keys.iter().position(|k| *k == session) {
            Some(p) => p as u32,
            None => {
                self.core_keys.push(session);
                (self.core_keys.len() - 1) as u32
            }
        }
    }

    pub(super) fn finish(self) -> (Vec<ConnectionLife>, Vec<CoreKey>) {
        (self.conns, self.core_keys)
    }
}

/// A person's connections per device, and their refusals (`license-lab lanes FILE
/// --user NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub user: String,
    /// The scenario's `access` word (`login:analysts`, `user_pass`, …).
    pub access: String,
    pub anonymous: bool,
    pub from: Minute,
    pub to: Minute,
    /// One lane per device, in order of first connection.
    pub devices: Vec<DeviceLane>,
    /// Refused connections (CONN-0's *denied*).
    pub refused: Vec<Refused>,
    /// Sessions ended by a failed renewal or a withdrawal (*discontinued*).
    pub discontinued: Vec<Refused>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceLane {
    pub device: String,
    pub connections: Vec<ConnectionBar>,
}

/// How a connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ended {
    Logout,
    Close,
    Timeout,
    /// Its allocation was removed (UAP-3, NU-2).
    Removed,
    /// Its session was discontinued (LAP-8, CAP-3, CORE-3, NODE-2, QLS-1).
    Discontinued,
}

impl From<How> for Ended {
    fn from(h: How) -> Ended {
        match h {
            How::Logout => Ended::Logout,
            How::Close => Ended::Close,
            How::Timeout => Ended::Timeout,
            How::Removed => Ended::Removed,
            How::Discontinued => Ended::Discontinued,
        }
    }
}

/// What a connection ran on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RanOn {
    Login { group: String },
    Allocation { seat: SeatKind, allocation: u32 },
    Capacity,
    Core { session: String },
}

/// One connection of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionBar {
    /// Its number, in order of opening over the run.
    pub connection: u32,
    pub opened: Minute,
    /// `None`: still open at the end.
    pub closed: Option<Minute>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ended: Option<Ended>,
    pub opened_event: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub closed_event: Option<u32>,
    pub on: RanOn,
    /// Login passes it ran on, in order (the first may be reused: LAP-4, LAP-5).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub passes: Vec<PassRef>,
    /// Capacity blocks (CAP-2).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub blocks: Vec<Metered>,
    /// Core Sessions of its session id while it was open (CORE-2).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub core_sessions: Vec<Metered>,
    /// Other tabs merged into it (CONN-0).
    #[serde(skip_serializing_if = "is_zero", default)]
    pub tabs: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A login pass a connection ran on: lane `pass` (1-based) of `group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassRef {
    pub group: String,
    pub pass: u32,
    pub consumed: Minute,
    /// The `PassConsumed` event.
    pub event: u32,
    pub why: Why,
    /// Reused, not consumed, by this connection (LAP-4, LAP-5).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub reused: bool,
}

/// A capacity block or a Core Session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metered {
    pub at: Minute,
    pub minutes: Minute,
    pub event: u32,
}

/// A refusal or a discontinuation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    pub at: Minute,
    pub event: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub device: Option<String>,
    pub line: String,
}

/// The `access` word of SCENARIOS.md.
pub(crate) fn access_word(run: &Run, a: Access) -> String {
    match a {
        Access::UserPass => "user_pass".into(),
        Access::Login(g) => format!("login:{}", run.scenario.group_name(g)),
        Access::Professional => "professional".into(),
        Access::Analyzer => "analyzer".into(),
        Access::Capacity => "capacity".into(),
        Access::Dynamic => "dynamic".into(),
        Access::Core => "core".into(),
    }
}

impl Lives {
    /// User `u`'s connections and refusals that meet a window.
    pub fn person(&self, run: &Run, u: UserId, q: Window) -> Option<Person> {
        let sc = run.scenario;
        let user = sc.users.get(u.index())?;
        let q = q.clamp(sc.end());
        let mut devices: Vec<DeviceLane> = Vec::new();
        let mut device_ids: Vec<u32> = Vec::new();
        for (n, c) in self.connections_of(u) {
            let from = run.at(c.opened);
            let to = run.at_opt(c.closed);
            if !q.meets(from, to) {
                continue;
            }
            let bar = self.connection_bar(run, n, c);
            match device_ids.iter().position(|d| *d == c.device) {
                Some(p) => devices[p].connections.push(bar),
                None => {
                    device_ids.push(c.device);
                    devices.push(DeviceLane {
                        device: sc.device_name(c.device).to_string(),
                        connections: vec![bar],
                    });
                }
            }
        }
        let mut refused = Vec::new();
        let mut discontinued = Vec::new();
        let lo = run.upto(q.from - 1) as usize;
        let hi = run.upto(q.to) as usize;
        for (i, e) in run.events[lo..hi].iter().enumerate() {
            if e.user != Some(u) {
                continue;
            }
            let item = |device: Option<u32>| Refused {
                at: e.at,
                event: (lo + i) as u32,
                device: device.map(|d| sc.device_name(d).to_string()),
                line: e.describe(sc),
            };
            match e.what {
                What::Denied { device, .. } => refused.push(item(Some(device))),
                What::Discontinued { .. } => discontinued.push(item(None)),
                _ => {}
            }
        }
        Some(Person {
            user: user.name.clone(),
            access: access_word(run, user.access),
            anonymous: user.is_anonymous(),
            from: q.from,
            to: q.to,
            devices,
            refused,
            discontinued,
        })
    }

    /// The links of connection `n` (its own events), in event order.
    fn links_of<'r>(
        &self,
        run: &Run<'r>,
        n: u32,
        c: &ConnectionLife,
    ) -> impl Iterator<Item = &'r Link> {
        let lo = run.links.partition_point(|l| l.event < c.opened);
        let hi = if c.closed == NONE {
            run.links.len()
        } else {
            run.links.partition_point(|l| l.event <= c.closed)
        };
        run.links[lo..hi].iter().filter(move |l| l.connection == n)
    }

    fn connection_bar(&self, run: &Run, n: u32, c: &ConnectionLife) -> ConnectionBar {
        let sc = run.scenario;
        let ended = match run.events.get(c.closed as usize).map(|e| e.what) {
            Some(What::Disconnected { how, .. }) => Some(how.into()),
            _ => None,
        };
        let mut bar = ConnectionBar {
            connection: n,
            opened: run.at(c.opened),
            closed: run.at_opt(c.closed),
            ended,
            opened_event: c.opened,
            closed_event: (c.closed != NONE).then_some(c.closed),
            on: RanOn::Capacity,
            passes: Vec::new(),
            blocks: Vec::new(),
            core_sessions: Vec::new(),
            tabs: 0,
        };
        let own: Vec<u32> = self.links_of(run, n, c).map(|l| l.event).collect();
        bar.tabs = own
            .iter()
            .filter(|&&i| matches!(run.events[i as usize].what, What::TabMerged { .. }))
            .count() as u32;
        match c.on {
            On::Login(g) => {
                bar.on = RanOn::Login {
                    group: sc.group_name(g).to_string(),
                };
                bar.passes = self.passes_of(run, c, g, &own);
            }
            On::Seat(seat, a) => {
                bar.on = RanOn::Allocation {
                    seat: seat_kind(seat),
                    allocation: a,
                };
            }
            On::Capacity => bar.blocks = capacity_blocks(run, c, &own),
            On::Core(k) => {
                let key = self.core_key(k).unwrap_or(CoreKey::Own(c.user));
                bar.on = RanOn::Core {
                    session: sc.core_session_name(key).to_string(),
                };
                bar.core_sessions = during(run, c)
                    .filter_map(|(i, e)| match e.what {
                        What::CoreSession {
                            session, minutes, ..
                        } if session == key => Some(Metered {
                            at: e.at,
                            minutes,
                            event: i,
                        }),
                        _ => None,
                    })
                    .collect();
            }
        }
        bar
    }

    /// The login passes a connection on group `g` ran on: the one it consumed or reused
    /// when it opened, then its renewals (LAP-2..6). `own`: its own events.
    fn passes_of(&self, run: &Run, c: &ConnectionLife, g: GroupId, own: &[u32]) -> Vec<PassRef> {
        let sc = run.scenario;
        let mut passes = Vec::new();
        let Some(lives) = self.groups.get(g as usize) else {
            return passes;
        };
        let pass_ref = |u: u32, reused: bool| {
            let p = &lives.uses[u as usize];
            PassRef {
                group: sc.group_name(g).to_string(),
                pass: p.lane + 1,
                consumed: p.at,
                event: p.event,
                why: p.why,
                reused,
            }
        };
        match run.events[c.opened as usize].what {
            What::PassReused { consumed_at, .. } => {
                // The user's pass consumed at that minute, before this connection.
                let before = lives.uses.partition_point(|p| p.event < c.opened);
                let found = lives.uses[..before]
                    .iter()
                    .rposition(|p| p.user == c.user && p.at == consumed_at);
                if let Some(u) = found {
                    passes.push(pass_ref(u as u32, true));
                }
            }
            _ => {
                if let Some(u) = lives.use_of_event(c.opened) {
                    passes.push(pass_ref(u, false));
                }
            }
        }
        let anonymous = sc
            .users
            .get(c.user.index())
            .is_some_and(|u| u.is_anonymous());
        let renewals: Vec<u32> = if anonymous {
            own.iter().copied().filter(|&i| i != c.opened).collect()
        } else {
            during(run, c)
                .filter(|(i, e)| {
                    *i != c.opened
                        && e.user == Some(c.user)
                        && matches!(e.what, What::PassConsumed { group, .. } if group == g)
                })
                .map(|(i, _)| i)
                .collect()
        };
        for i in renewals {
            if let Some(u) = lives.use_of_event(i) {
                passes.push(pass_ref(u, false));
            }
        }
        passes
    }
}

/// The events while connection `c` was open (its own, the user's and the session's).
fn during<'r>(run: &Run<'r>, c: &ConnectionLife) -> impl Iterator<Item = (u32, &'r Event)> {
    let span_end = if c.closed == NONE {
        run.events.len()
    } else {
        c.closed as usize
    };
    let events = run.events;
    (c.opened as usize..span_end).map(move |i| (i as u32, &events[i]))
}

/// The capacity blocks of a connection on Analyzer Capacity (CAP-2): its own, or the
/// user's when blocks run per user. `own`: its own events.
fn capacity_blocks(run: &Run, c: &ConnectionLife, own: &[u32]) -> Vec<Metered> {
    let sc = run.scenario;
    let per_user = sc.settings.capacity_parallel == CapacityParallel::PerUser
        && !sc
            .users
            .get(c.user.index())
            .is_some_and(|u| u.is_anonymous());
    let block = |(i, e): (u32, &Event)| match e.what {
        What::CapacityBlock { minutes, .. } => Some(Metered {
            at: e.at,
            minutes,
            event: i,
        }),
        _ => None,
    };
    if per_user {
        during(run, c)
            .filter(|(_, e)| e.user == Some(c.user))
            .filter_map(block)
            .collect()
    } else {
        own.iter()
            .filter_map(|&i| block((i, &run.events[i as usize])))
            .collect()
    }
}
