//! Named allocations and their quarantine: User Access Passes (UAP-3, UAP-4) and
//! Professional / Analyzer allocations (NU-2), which follow the same rules.

use crate::base::time::{start_of_day, Minute, MINUTES_PER_DAY};
use crate::scenario::{Seat, UserId};

/// When a removed allocation's token or seat comes back (UAP-3, NU-2). The engine logs it
/// as the event's `Release`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Never used: free at once.
    NeverUsed,
    /// Last used more than the quarantine ago: free at once.
    LongAgo { last_use: Minute },
    /// In quarantine until `until`.
    Quarantined { last_use: Minute, until: Minute },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Allocated,
    /// Removed; comes back at `until` unless reinstated (UAP-4).
    Quarantined {
        until: Minute,
    },
    /// Gone: its token or seat is free again.
    Released,
}

/// One allocation of a User Access Pass, Professional or Analyzer to one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub seat: Seat,
    pub user: UserId,
    pub status: Status,
    /// The last minute a connection of this allocation started or ended (UAP-3). It
    /// belongs to the allocation, not to the person.
    pub last_use: Option<Minute>,
    /// Bumped when a scheduled quarantine end no longer applies.
    pub generation: u32,
}

/// UAP-3: when a removed allocation's token comes back. Free at once if never used or if
/// 00:00 of the (quarantine + 1)th calendar day after the day of last use has passed
/// (with the default 7 days: used January 10, back January 18 00:00).
pub fn release(last_use: Option<Minute>, quarantine: Minute, now: Minute) -> Removal {
    match last_use {
        None => Removal::NeverUsed,
        Some(last_use) => {
            let until = start_of_day(last_use) + quarantine + MINUTES_PER_DAY;
            if until <= now {
                Removal::LongAgo { last_use }
            } else {
                Removal::Quarantined { last_use, until }
            }
        }
    }
}

/// Professional or Analyzer allocations of a user license (NU-1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeatPool {
    pub total: i64,
    pub assigned: i64,
    pub quarantined: i64,
}

impl SeatPool {
    pub fn new(total: i64) -> Self {
        SeatPool {
            total,
            ..Default::default()
        }
    }

    pub fn free(&self) -> i64 {
        self.total - self.assigned - self.quarantined
    }

    pub fn holds(&self) -> bool {
        self.assigned >= 0 && self.quarantined >= 0 && self.free() >= 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uap_3_used_january_10_back_january_18() {
        // Day 9 = January 10 when the scenario starts January 1.
        let last = 9 * MINUTES_PER_DAY + 15 * 60 + 15;
        let now = 12 * MINUTES_PER_DAY + 12 * 60;
        assert_eq!(
            release(Some(last), 7 * MINUTES_PER_DAY, now),
            Removal::Quarantined {
                last_use: last,
                until: 17 * MINUTES_PER_DAY
            }
        );
    }

    #[test]
    fn uap_3_never_used_or_long_ago_is_free_at_once() {
        assert_eq!(release(None, 7 * MINUTES_PER_DAY, 100), Removal::NeverUsed);
        let last = 60;
        assert_eq!(
            release(Some(last), 7 * MINUTES_PER_DAY, 8 * MINUTES_PER_DAY),
            Removal::LongAgo { last_use: last }
        );
    }
}
