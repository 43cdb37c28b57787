//! The queue of timed events, in the same-minute order of TIME-3.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::base::time::Minute;
use crate::scenario::{CoreKey, GroupId, NodeId, UserId};

/// TIME-3: the classes of events, applied in this order within a minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Pass returns, quarantine ends, monthly resets.
    Release = 1,
    /// Administrative changes (and the automatic ones: node cut-off, license sync).
    Admin = 2,
    /// Connection ends.
    End = 3,
    /// Connection starts (these come from the scenario's sorted visits, not the queue).
    Start = 4,
    /// Renewals: login passes, capacity blocks, Core Sessions.
    Renewal = 5,
}

/// A timed event; identifiers carry a generation so stale events are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timed {
    MonthlyReset,
    PassReturn {
        group: GroupId,
    },
    QuarantineEnd {
        alloc: u32,
        generation: u32,
    },
    NodeCutOff {
        node: NodeId,
        generation: u32,
    },
    Sync,
    ConnectionEnd {
        conn: u32,
        generation: u32,
    },
    /// Hourly renewal of an identified user's login session (LAP-3).
    UserRenewal {
        user: UserId,
        pass: u32,
    },
    /// Hourly renewal of one anonymous connection (LAP-3, LAP-6).
    ConnRenewal {
        conn: u32,
        generation: u32,
        pass: u32,
    },
    /// The end of a capacity block of one connection (per device) or user (per user).
    CapacityBlockEnd {
        runner: Runner,
        generation: u32,
    },
    /// The end of a Core Session (CORE-2 Decision).
    CoreSessionEnd {
        session: CoreKey,
        generation: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    Connection(u32),
    User(UserId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub at: Minute,
    pub class: Class,
    /// Script order within the class (TIME-3: ties keep script order).
    pub order: u64,
}

#[derive(Debug, Clone)]
struct Entry {
    key: Key,
    seq: u64,
    event: Timed,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.seq == other.seq
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the earliest first.
        (other.key, other.seq).cmp(&(self.key, self.seq))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Queue {
    heap: BinaryHeap<Entry>,
    seq: u64,
}

impl Queue {
    pub fn push(&mut self, at: Minute, class: Class, order: u64, event: Timed) {
        self.seq += 1;
        self.heap.push(Entry {
            key: Key { at, class, order },
            seq: self.seq,
            event,
        });
    }

    pub fn peek(&self) -> Option<Key> {
        self.heap.peek().map(|e| e.key)
    }

    pub fn pop(&mut self) -> Option<(Key, Timed)> {
        self.heap.pop().map(|e| (e.key, e.event))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}
