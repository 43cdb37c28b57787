//! Connections (CONN-0, CONN-1): one device + browser of one user, with the parallel cap
//! and the cool-down after a connection closes.

use crate::base::time::Minute;
use crate::scenario::{CoreKey, Ends, GroupId, NodeId, Seat, UserId};

/// What a connection uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// A User Access Pass, Professional or Analyzer allocation (index into allocations).
    Seat(Seat, u32),
    /// A login access group's passes.
    Login(GroupId),
    /// Analyzer Capacity minutes.
    Capacity,
    /// Qlik Core minutes.
    Core,
}

#[derive(Debug, Clone)]
pub struct Connection {
    pub user: UserId,
    pub device: u32,
    pub node: NodeId,
    pub path: Path,
    /// When the connection ends, as scheduled now (CONN-0: a merged tab may extend it).
    pub end: Minute,
    /// The user is active on this connection until this minute (CAP-2).
    pub active_until: Minute,
    /// Script order of the visit that opened it (TIME-3 ties).
    pub script: u32,
    /// Whether it counts against `max_connections` and cools down (CONN-1).
    pub capped: bool,
    pub anonymous: bool,
    pub open: bool,
    /// Bumped whenever the slot is reused or its end moves, so stale events are skipped.
    pub generation: u32,
    /// Anonymous login connections: which pass is live (LAP-6).
    pub pass: u32,
    pub pass_consumed_at: Minute,
    /// Capacity per device: the running block ends here (CAP-2).
    pub block_end: Minute,
    /// Qlik Core session key (CORE-2).
    pub core_session: Option<CoreKey>,
    /// How it ends when its scheduled end comes (the latest visit's `ends`).
    pub ends: Ends,
}

/// An arena of connections; closed slots are reused.
#[derive(Debug, Clone, Default)]
pub struct Connections {
    slots: Vec<Connection>,
    free: Vec<u32>,
    /// Open connections (the state's `connections`).
    pub open: i64,
    /// The most connections open at once so far.
    pub peak: i64,
}

impl Connections {
    pub fn open_new(&mut self, mut c: Connection) -> u32 {
        self.open += 1;
        self.peak = self.peak.max(self.open);
        c.open = true;
        match self.free.pop() {
            Some(id) => {
                let generation = self.slots[id as usize].generation.wrapping_add(1);
                c.generation = generation;
                self.slots[id as usize] = c;
                id
            }
            None => {
                c.generation = 0;
                self.slots.push(c);
                (self.slots.len() - 1) as u32
            }
        }
    }

    pub fn get(&self, id: u32) -> &Connection {
        &self.slots[id as usize]
    }

    pub fn get_mut(&mut self, id: u32) -> &mut Connection {
        &mut self.slots[id as usize]
    }

    /// Whether `id` is an open connection of this generation.
    pub fn is_live(&self, id: u32, generation: u32) -> bool {
        self.slots
            .get(id as usize)
            .is_some_and(|c| c.open && c.generation == generation)
    }

    pub fn close(&mut self, id: u32) {
        let c = &mut self.slots[id as usize];
        if c.open {
            c.open = false;
            c.generation = c.generation.wrapping_add(1);
            self.open -= 1;
            self.free.push(id);
        }
    }
}

/// CONN-1: closed connections that still count against the cap, per user. The few
/// recent ones live inline (no allocation, no extra cache miss for the common case);
/// more spill into a vector.
#[derive(Debug, Clone, Default)]
pub struct Cooling {
    inline: [Minute; 3],
    len: u8,
    spill: Vec<Minute>,
}

impl Cooling {
    /// Drops the connections whose cool-down is over at `now`.
    fn prune(&mut self, now: Minute, cooldown: Minute) {
        let mut kept = 0;
        for i in 0..self.len as usize {
            if self.inline[i] + cooldown > now {
                self.inline[kept] = self.inline[i];
                kept += 1;
            }
        }
        self.len = kept as u8;
        if !self.spill.is_empty() {
            self.spill.retain(|e| e + cooldown > now);
            while (self.len as usize) < self.inline.len() {
                match self.spill.pop() {
                    Some(e) => {
                        self.inline[self.len as usize] = e;
                        self.len += 1;
                    }
                    None => break,
                }
            }
        }
    }

    /// A connection closed at `ended`.
    pub fn push(&mut self, ended: Minute, cooldown: Minute) {
        self.prune(ended, cooldown);
        if (self.len as usize) < self.inline.len() {
            self.inline[self.len as usize] = ended;
            self.len += 1;
        } else {
            self.spill.push(ended);
        }
    }

    /// How many closed connections still count at `now` (ended less than `cooldown` ago).
    pub fn count(&mut self, now: Minute, cooldown: Minute) -> u32 {
        self.prune(now, cooldown);
        u32::from(self.len) + self.spill.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conn_1_closed_connections_count_for_the_cooldown() {
        let mut c = Cooling::default();
        for end in [100, 101, 102, 103, 104] {
            c.push(end, 5);
        }
        assert_eq!(c.count(104, 5), 5);
        assert_eq!(c.count(105, 5), 4);
        assert_eq!(c.count(108, 5), 1);
        assert_eq!(c.count(109, 5), 0);
        c.push(200, 0);
        assert_eq!(c.count(200, 0), 0);
    }
}
