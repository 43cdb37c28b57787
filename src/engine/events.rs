//! The event log: every change the engine makes, with the id of the rule that made it
//! (RULES.md), the user it concerns and what happened.
//!
//! Events are stored compactly (ids and numbers); `report::describe` writes the words.

use serde::Serialize;

use crate::base::time::Minute;
use crate::rules::quarantine::Removal;
use crate::scenario::{CoreKey, DeploymentId, GroupId, NodeId, Seat, UserId};

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

impl From<Removal> for Release {
    fn from(r: Removal) -> Release {
        match r {
            Removal::NeverUsed => Release::NeverUsed,
            Removal::LongAgo { last_use } => Release::LongAgo { last_use },
            Removal::Quarantined { last_use, until } => Release::Quarantined { last_use, until },
        }
    }
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
        session: CoreKey,
        minutes: i64,
        used: i64,
        quota: i64,
    },
    CoreJoined {
        session: CoreKey,
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

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    pub at: Minute,
    pub rule: Rule,
    /// Whom it is about; `None`: the license, a group or a node.
    pub user: Option<UserId>,
    pub what: What,
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
}
