//! The event log: every change the engine makes, with the id of the rule that made it
//! (RULES.md), the user it concerns and what happened, in plain words.
//!
//! Events are stored compactly (ids and numbers); [`Event::describe`] writes the words.

use serde::Serialize;

use crate::base::time::{Clock, Minute};
use crate::scenario::{DeploymentId, GroupId, NodeId, Scenario, Seat, UserId};

/// A rule of RULES.md. The id (`LAP-3`) is what the log, the tests and the app show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    Time3,
    Tok1,
    Tok3,
    Tok4,
    Tok5,
    Uap1,
    Uap2,
    Uap3,
    Uap4,
    Lap1,
    Lap2,
    Lap3,
    Lap4,
    Lap5,
    Lap6,
    Lap7,
    Lap8,
    Lap9,
    Lap10,
    Nu1,
    Nu2,
    Nu3,
    Nu4,
    Cap1,
    Cap2,
    Cap3,
    Conn0,
    Conn1,
    Core1,
    Core2,
    Core3,
    Node1,
    Node2,
    Qls1,
}

impl Rule {
    pub const ALL: [Rule; 34] = [
        Rule::Time3,
        Rule::Tok1,
        Rule::Tok3,
        Rule::Tok4,
        Rule::Tok5,
        Rule::Uap1,
        Rule::Uap2,
        Rule::Uap3,
        Rule::Uap4,
        Rule::Lap1,
        Rule::Lap2,
        Rule::Lap3,
        Rule::Lap4,
        Rule::Lap5,
        Rule::Lap6,
        Rule::Lap7,
        Rule::Lap8,
        Rule::Lap9,
        Rule::Lap10,
        Rule::Nu1,
        Rule::Nu2,
        Rule::Nu3,
        Rule::Nu4,
        Rule::Cap1,
        Rule::Cap2,
        Rule::Cap3,
        Rule::Conn0,
        Rule::Conn1,
        Rule::Core1,
        Rule::Core2,
        Rule::Core3,
        Rule::Node1,
        Rule::Node2,
        Rule::Qls1,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::Time3 => "TIME-3",
            Rule::Tok1 => "TOK-1",
            Rule::Tok3 => "TOK-3",
            Rule::Tok4 => "TOK-4",
            Rule::Tok5 => "TOK-5",
            Rule::Uap1 => "UAP-1",
            Rule::Uap2 => "UAP-2",
            Rule::Uap3 => "UAP-3",
            Rule::Uap4 => "UAP-4",
            Rule::Lap1 => "LAP-1",
            Rule::Lap2 => "LAP-2",
            Rule::Lap3 => "LAP-3",
            Rule::Lap4 => "LAP-4",
            Rule::Lap5 => "LAP-5",
            Rule::Lap6 => "LAP-6",
            Rule::Lap7 => "LAP-7",
            Rule::Lap8 => "LAP-8",
            Rule::Lap9 => "LAP-9",
            Rule::Lap10 => "LAP-10",
            Rule::Nu1 => "NU-1",
            Rule::Nu2 => "NU-2",
            Rule::Nu3 => "NU-3",
            Rule::Nu4 => "NU-4",
            Rule::Cap1 => "CAP-1",
            Rule::Cap2 => "CAP-2",
            Rule::Cap3 => "CAP-3",
            Rule::Conn0 => "CONN-0",
            Rule::Conn1 => "CONN-1",
            Rule::Core1 => "CORE-1",
            Rule::Core2 => "CORE-2",
            Rule::Core3 => "CORE-3",
            Rule::Node1 => "NODE-1",
            Rule::Node2 => "NODE-2",
            Rule::Qls1 => "QLS-1",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// Why a connection was refused (CONN-0 counts every one as *denied*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No User Access Pass, no allocation: Qlik's `NoAvailableAccessType`.
    NoAccessPass,
    /// A capacity connection on a license without Analyzer Capacity (NU-4): also
    /// `NoAvailableAccessType`.
    NoCapacity,
    /// The login access group has no available pass (LAP-8).
    NoLoginPass,
    /// The user already has `max_connections` open (`MaxParallelSessionsExceeded`).
    Parallel { open: u32 },
    /// Closed connections still cooling down fill the cap (CONN-1).
    Cooldown { open: u32, cooling: u32 },
    /// The month's capacity minutes (plus overage) are spent (CAP-3).
    CapacitySpent,
    /// The month's Qlik Core minutes are spent (CORE-3).
    CoreSpent,
    /// The user's node has been disconnected for longer than the grace (NODE-2).
    NodeCutOff(NodeId),
}

/// How a connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Logout,
    Close,
    Timeout,
    /// Closed by the removal of the allocation it used (UAP-3, NU-2).
    Removed,
    /// Closed because its session was discontinued (LAP-8, CAP-3, CORE-3, NODE-2, QLS-1).
    Discontinued,
}

/// How a login pass came to be consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consume {
    /// A connection with no live pass (LAP-2).
    Start,
    /// The session outlived its pass (LAP-3).
    Renewal,
    /// Every anonymous connection takes a new pass (LAP-6).
    Anonymous,
}

/// When a removed allocation's token or seat comes back (UAP-3, NU-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    NeverUsed,
    LongAgo { last_use: Minute },
    Quarantined { last_use: Minute, until: Minute },
}

/// What a user connected with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    UserPass,
    Seat(Seat),
    Capacity,
    Core,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum What {
    GroupAllocated {
        group: GroupId,
        tokens: i64,
    },
    GroupRefused {
        group: GroupId,
        tokens: i64,
        needed: i64,
        free: i64,
    },
    GroupResized {
        group: GroupId,
        from: i64,
        to: i64,
        freed_now: i64,
        retiring: i64,
    },
    BlockFreed {
        group: GroupId,
    },
    PassRetired {
        group: GroupId,
        consumed_at: Minute,
        left: i64,
    },
    DynamicCapacity {
        device: u32,
    },
    PassReturned {
        group: GroupId,
        consumed_at: Minute,
        available: i64,
        passes: i64,
    },
    SeatAllocated {
        seat: Seat,
        dynamic: bool,
    },
    SeatRefused {
        seat: Seat,
        needed: i64,
        free: i64,
    },
    SeatAlreadyHeld {
        seat: Seat,
    },
    SeatRemoved {
        seat: Seat,
        release: Release,
    },
    SeatNotHeld {
        seat: Seat,
    },
    QuarantineEnded {
        seat: Seat,
    },
    Reinstated {
        seat: Seat,
    },
    ReinstateRefused {
        seat: Seat,
        holds_one: bool,
    },
    TokensSet {
        from: i64,
        to: i64,
    },
    TokensSetRefused {
        to: i64,
        committed: i64,
    },
    Connected {
        device: u32,
        via: Via,
        open: u32,
    },
    TabMerged {
        device: u32,
    },
    Disconnected {
        device: u32,
        how: How,
    },
    PassConsumed {
        group: GroupId,
        used: i64,
        passes: i64,
        why: Consume,
        device: u32,
    },
    PassReused {
        group: GroupId,
        device: u32,
        parallel: bool,
        consumed_at: Minute,
    },
    Denied {
        device: u32,
        reason: Refusal,
    },
    Discontinued {
        connections: u32,
    },
    MonthStarted {
        capacity_forfeited: i64,
        core_forfeited: i64,
    },
    CapacityBlock {
        minutes: i64,
        used: i64,
        cap: Option<i64>,
        quota: i64,
        device: u32,
    },
    CoreSession {
        session: u64,
        minutes: i64,
        used: i64,
        quota: i64,
    },
    CoreJoined {
        session: u64,
        started: Minute,
    },
    NodeDisconnected {
        node: NodeId,
        cut_off_at: Minute,
    },
    NodeCutOff {
        node: NodeId,
        closed: u32,
    },
    NodeReconnected {
        node: NodeId,
    },
    NodeNotDisconnected {
        node: NodeId,
    },
    AssignPending {
        seat: Seat,
        deployment: DeploymentId,
    },
    SyncRejected {
        seat: Seat,
        deployment: DeploymentId,
        winner: UserId,
    },
    SyncAccepted {
        seat: Seat,
        deployment: DeploymentId,
    },
}

/// A coarse family of events, for filtering in the app and on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Allocated,
    Consumed,
    Returned,
    Freed,
    Quarantined,
    Refused,
    Denied,
    Discontinued,
    Connection,
    Capacity,
    Admin,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Allocated,
        Kind::Consumed,
        Kind::Returned,
        Kind::Freed,
        Kind::Quarantined,
        Kind::Refused,
        Kind::Denied,
        Kind::Discontinued,
        Kind::Connection,
        Kind::Capacity,
        Kind::Admin,
    ];

    /// The kind with this label (`"denied"`), as the command line and the app filter by.
    pub fn from_label(label: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.label() == label.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Allocated => "allocated",
            Kind::Consumed => "consumed",
            Kind::Returned => "returned",
            Kind::Freed => "freed",
            Kind::Quarantined => "quarantined",
            Kind::Refused => "refused",
            Kind::Denied => "denied",
            Kind::Discontinued => "discontinued",
            Kind::Connection => "connection",
            Kind::Capacity => "capacity",
            Kind::Admin => "admin",
        }
    }
}

/// No user: an event about the license or a group.
pub const NO_USER: UserId = UserId::MAX;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    pub at: Minute,
    pub rule: Rule,
    pub user: UserId,
    pub what: What,
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl Event {
    pub fn kind(&self) -> Kind {
        match self.what {
            What::GroupAllocated { .. } | What::SeatAllocated { .. } | What::Reinstated { .. } => {
                Kind::Allocated
            }
            What::GroupResized {
                freed_now,
                retiring,
                ..
            } => {
                if freed_now > 0 || retiring > 0 {
                    Kind::Freed
                } else {
                    Kind::Allocated
                }
            }
            What::GroupRefused { .. }
            | What::SeatRefused { .. }
            | What::SeatAlreadyHeld { .. }
            | What::SeatNotHeld { .. }
            | What::ReinstateRefused { .. }
            | What::TokensSetRefused { .. }
            | What::NodeNotDisconnected { .. }
            | What::SyncRejected { .. } => Kind::Refused,
            What::BlockFreed { .. } | What::QuarantineEnded { .. } => Kind::Freed,
            What::SeatRemoved { release, .. } => match release {
                Release::Quarantined { .. } => Kind::Quarantined,
                _ => Kind::Freed,
            },
            What::PassReturned { .. } | What::PassRetired { .. } => Kind::Returned,
            What::DynamicCapacity { .. } => Kind::Connection,
            What::PassConsumed { .. } => Kind::Consumed,
            What::PassReused { .. }
            | What::Connected { .. }
            | What::TabMerged { .. }
            | What::Disconnected { .. }
            | What::CoreJoined { .. } => Kind::Connection,
            What::Denied { .. } => Kind::Denied,
            What::Discontinued { .. } | What::NodeCutOff { .. } => Kind::Discontinued,
            What::MonthStarted { .. } | What::CapacityBlock { .. } | What::CoreSession { .. } => {
                Kind::Capacity
            }
            What::TokensSet { .. }
            | What::NodeDisconnected { .. }
            | What::NodeReconnected { .. }
            | What::AssignPending { .. }
            | What::SyncAccepted { .. } => Kind::Admin,
        }
    }

    /// The event in plain words, e.g. "sam consumed login pass 2 of 10 in analysts: still
    /// in session after 60 minutes".
    pub fn describe(&self, sc: &Scenario) -> String {
        let who = if self.user == NO_USER {
            String::new()
        } else {
            sc.user_name(self.user).to_string()
        };
        let clock: &Clock = &sc.clock;
        let when = |m: Minute| clock.format(m);
        let day = |m: Minute| clock.datetime(m).format("%Y-%m-%d").to_string();
        let dev = |d: u32| sc.device_name(d).to_string();
        let group = |g: GroupId| sc.group_name(g).to_string();
        match self.what {
            What::GroupAllocated { group: g, tokens } => format!(
                "{} allocated {}: {} login passes",
                group(g),
                plural(tokens, "token", "tokens"),
                tokens * 10
            ),
            What::GroupRefused { group: g, tokens, needed, free } => format!(
                "allocating {} to {} refused: needs {} free, {} free",
                plural(tokens, "token", "tokens"),
                group(g),
                needed,
                free
            ),
            What::GroupResized { group: g, from, to, freed_now, retiring } => {
                if to > from {
                    format!(
                        "{} grows from {} to {}: {} more login passes available at once",
                        group(g),
                        plural(from, "token", "tokens"),
                        plural(to, "token", "tokens"),
                        (to - from) * 10
                    )
                } else if to == from {
                    format!("{} stays at {}", group(g), plural(to, "token", "tokens"))
                } else {
                    let mut s = format!(
                        "{} {} from {} to {}: {} freed at once (blocks of 10 unused passes)",
                        group(g),
                        if to == 0 { "deleted, going" } else { "reduced" },
                        plural(from, "token", "tokens"),
                        plural(to, "token", "tokens"),
                        plural(freed_now, "token", "tokens")
                    );
                    if retiring > 0 {
                        s.push_str(&format!(
                            ", {} pending until the used passes of {} return (oldest first)",
                            plural(retiring, "token", "tokens"),
                            if retiring == 1 { "its block" } else { "their blocks" }
                        ));
                    }
                    s
                }
            }
            What::BlockFreed { group: g } => format!(
                "the last used pass of a retired block of {} returned: 1 token free",
                group(g)
            ),
            What::PassReturned { group: g, consumed_at, available, passes } => format!(
                "a login pass of {} consumed {} is available again ({} of {} available)",
                group(g),
                when(consumed_at),
                available,
                passes
            ),
            What::PassRetired { group: g, consumed_at, left } => format!(
                "a login pass of {} consumed {} came back into a retired block and retires ({} still out before its token is free)",
                group(g),
                when(consumed_at),
                plural(left, "pass", "passes")
            ),
            What::DynamicCapacity { device } => format!(
                "{who} connected on {} without an allocation; no Professional or Analyzer allocation is free, so Analyzer Capacity (dynamic assignment)",
                dev(device)
            ),
            What::SeatAllocated { seat, dynamic } => {
                if dynamic {
                    format!("{who} connected without an allocation and was given {} (dynamic assignment)", seat.with_article())
                } else {
                    match seat {
                        Seat::UserPass => format!("{who} was allocated a User Access Pass (1 token)"),
                        _ => format!("{who} was assigned {}", seat.with_article()),
                    }
                }
            }
            What::SeatRefused { seat, needed, free } => match seat {
                Seat::UserPass => format!(
                    "allocating a User Access Pass to {who} refused: needs {needed} token, {free} free"
                ),
                _ => format!(
                    "assigning {} to {who} refused: needs {needed}, {free} free",
                    seat.with_article()
                ),
            },
            What::SeatAlreadyHeld { seat } => {
                format!("{who} already holds {}: nothing changes", seat.with_article())
            }
            What::SeatRemoved { seat, release } => match release {
                Release::NeverUsed => format!(
                    "{who}'s {} removed; never used, so it is free at once",
                    seat.label()
                ),
                Release::LongAgo { last_use } => format!(
                    "{who}'s {} removed; last used {}, more than the quarantine ago, so it is free at once",
                    seat.label(),
                    day(last_use)
                ),
                Release::Quarantined { last_use, until } => format!(
                    "{who}'s {} removed and quarantined until {} (last used {})",
                    seat.label(),
                    when(until),
                    day(last_use)
                ),
            },
            What::SeatNotHeld { seat } => {
                format!("{who} holds no {} to remove: nothing changes", seat.label())
            }
            What::QuarantineEnded { seat } => match seat {
                Seat::UserPass => {
                    format!("the quarantine of {who}'s User Access Pass ended: 1 token free")
                }
                _ => format!(
                    "the quarantine of {who}'s {} ended: it is free to assign",
                    seat.label()
                ),
            },
            What::Reinstated { seat } => format!(
                "{who}'s {} reinstated during its quarantine: allocated again, usable at once",
                seat.label()
            ),
            What::ReinstateRefused { seat, holds_one } => {
                if holds_one {
                    format!("reinstating {who}'s {} refused: {who} already holds one", seat.label())
                } else {
                    format!(
                        "reinstating {who}'s {} refused: it is not in quarantine",
                        seat.label()
                    )
                }
            }
            What::TokensSet { from, to } => format!("the license now holds {to} tokens (was {from})"),
            What::TokensSetRefused { to, committed } => format!(
                "lowering the license to {to} tokens refused: {committed} are allocated or pending"
            ),
            What::Connected { device, via, open } => {
                let with = match via {
                    Via::UserPass => "their User Access Pass".to_string(),
                    Via::Seat(s) => format!("their {}", s.label()),
                    Via::Capacity => "Analyzer Capacity".to_string(),
                    Via::Core => "Qlik Core".to_string(),
                };
                if open > 1 {
                    format!(
                        "{who} connected on {} with {with} ({} parallel connection)",
                        dev(device),
                        ordinal(open)
                    )
                } else {
                    format!("{who} connected on {} with {with}", dev(device))
                }
            }
            What::TabMerged { device } => format!(
                "{who} opened another tab on {}: the same connection",
                dev(device)
            ),
            What::Disconnected { device, how } => match how {
                How::Logout => format!("{who} logged out on {}", dev(device)),
                How::Close => format!("{who} closed the browser on {}", dev(device)),
                How::Timeout => format!(
                    "{who}'s connection on {} timed out after {} idle",
                    dev(device),
                    crate::base::time::format_duration(sc.settings.inactivity_timeout)
                ),
                How::Removed => format!(
                    "{who}'s connection on {} closed: its allocation was removed",
                    dev(device)
                ),
                How::Discontinued => format!(
                    "{who}'s connection on {} closed: the session was discontinued",
                    dev(device)
                ),
            },
            What::PassConsumed { group: g, used, passes, why, device } => match why {
                Consume::Start => format!(
                    "{who} connected on {} and consumed login pass {used} of {passes} in {}",
                    dev(device),
                    group(g)
                ),
                Consume::Renewal => format!(
                    "{who} consumed login pass {used} of {passes} in {}: still in session after {} minutes",
                    group(g),
                    sc.settings.login_pass_window
                ),
                Consume::Anonymous => format!(
                    "anonymous {who} connected and consumed login pass {used} of {passes} in {}: every anonymous connection takes a new pass",
                    group(g)
                ),
            },
            What::PassReused { group: g, device, parallel, consumed_at } => {
                if parallel {
                    format!(
                        "{who} connected on {} in parallel and shares the login pass of {} consumed {}",
                        dev(device),
                        group(g),
                        crate::base::time::hh_mm(consumed_at)
                    )
                } else {
                    format!(
                        "{who} connected again on {} within the hour and reuses the login pass of {} consumed {}",
                        dev(device),
                        group(g),
                        crate::base::time::hh_mm(consumed_at)
                    )
                }
            }
            What::Denied { device, reason } => {
                let why = match reason {
                    Refusal::NoAccessPass => "no access pass (NoAvailableAccessType)".to_string(),
                    Refusal::NoCapacity => {
                        "no access pass: the license has no Analyzer Capacity (NoAvailableAccessType)"
                            .to_string()
                    }
                    Refusal::NoLoginPass => "no login pass available in the group".to_string(),
                    Refusal::Parallel { .. } if sc.settings.max_connections == 0 => {
                        "no connection is allowed: max_connections = 0 (MaxParallelSessionsExceeded)"
                            .to_string()
                    }
                    Refusal::Parallel { open } => format!(
                        "too many sessions active in parallel ({open} open; MaxParallelSessionsExceeded)"
                    ),
                    Refusal::Cooldown { open, cooling } => format!(
                        "too many sessions active in parallel: {open} open and {cooling} closed less than {} ago",
                        crate::base::time::format_duration(sc.settings.connection_cooldown)
                    ),
                    Refusal::CapacitySpent => {
                        "the month's Analyzer Capacity minutes are spent".to_string()
                    }
                    Refusal::CoreSpent => "the month's Qlik Core minutes are spent".to_string(),
                    Refusal::NodeCutOff(n) => format!(
                        "node {} has been disconnected from the central node for {} or more",
                        sc.node_name(n),
                        crate::base::time::format_duration(sc.settings.node_grace)
                    ),
                };
                format!("{who} was refused on {}: {why}", dev(device))
            }
            What::Discontinued { connections } => {
                let reason = match self.rule {
                    Rule::Lap8 => "no login pass was left for the hourly renewal",
                    Rule::Cap3 => "the next capacity block does not fit in the month's minutes",
                    Rule::Core3 => "the next Core Session does not fit in the month's minutes",
                    Rule::Node2 => "the node was cut off",
                    Rule::Qls1 => "the license-service sync rejected its allocation",
                    _ => "the allocation was withdrawn",
                };
                format!(
                    "{who}'s session was discontinued ({}): {reason}",
                    plural(i64::from(connections), "connection closed", "connections closed")
                )
            }
            What::MonthStarted { capacity_forfeited, core_forfeited } => {
                let what = match (sc.license.capacity_quota() > 0, sc.license.core_minutes > 0) {
                    (true, true) => "Analyzer Capacity and Qlik Core minutes reset",
                    (false, true) => "Qlik Core minutes reset",
                    _ => "Analyzer Capacity minutes reset",
                };
                let mut s = format!("month {} starts: {what}", clock.month_label(self.at));
                if capacity_forfeited > 0 {
                    s.push_str(&format!("; {capacity_forfeited} unused capacity minutes forfeited"));
                }
                if core_forfeited > 0 {
                    s.push_str(&format!("; {core_forfeited} unused Core minutes forfeited"));
                }
                s
            }
            What::CapacityBlock { minutes, used, cap, quota, device } => {
                let mut s = format!(
                    "{who} is active on {}: a {minutes}-minute capacity block ({used} of {quota} minutes used this month",
                    dev(device)
                );
                if used > quota {
                    s.push_str(&format!(", {} overage", used - quota));
                }
                match cap {
                    Some(c) if c > quota => s.push_str(&format!("; cap {c} with overage)")),
                    _ => s.push(')'),
                }
                s
            }
            What::CoreSession { session, minutes, used, quota } => format!(
                "a {minutes}-minute Core Session for session id {} ({used} of {quota} Core minutes used this month)",
                session_name(sc, session, self.user)
            ),
            What::CoreJoined { session, started } => format!(
                "{who} connected within {} of the Core Session {} started {}: no new Core Session",
                crate::base::time::format_duration(sc.settings.core_session),
                session_name(sc, session, self.user),
                crate::base::time::hh_mm(started)
            ),
            What::NodeDisconnected { node, cut_off_at } => format!(
                "node {} lost the central node; it keeps serving current allocations until {}",
                sc.node_name(node),
                when(cut_off_at)
            ),
            What::NodeCutOff { node, closed } => format!(
                "node {} has been disconnected for {}: no new connections, all user access denied ({} closed)",
                sc.node_name(node),
                crate::base::time::format_duration(sc.settings.node_grace),
                plural(i64::from(closed), "connection", "connections")
            ),
            What::NodeReconnected { node } => {
                format!("node {} synchronised with the central node again", sc.node_name(node))
            }
            What::NodeNotDisconnected { node } => format!(
                "node {} is connected: nothing to reconnect",
                sc.node_name(node)
            ),
            What::AssignPending { seat, deployment } => format!(
                "{who} was assigned {} on deployment {}; other deployments learn of it at the next sync",
                seat.with_article(),
                sc.deployment_name(deployment)
            ),
            What::SyncAccepted { seat, deployment } => format!(
                "sync: {who}'s {} from deployment {} confirmed",
                seat.label(),
                sc.deployment_name(deployment)
            ),
            What::SyncRejected { seat, deployment, winner } => format!(
                "sync: {who}'s {} from deployment {} rejected: {} took the last one earlier in the interval",
                seat.label(),
                sc.deployment_name(deployment),
                sc.user_name(winner)
            ),
        }
    }
}

fn session_name(sc: &Scenario, session: u64, user: UserId) -> String {
    if session >> 32 == 1 {
        sc.user_name(session as u32).to_string()
    } else {
        sc.session_ids
            .get(session as usize)
            .cloned()
            .unwrap_or_else(|| sc.user_name(user).to_string())
    }
}
