//! Every event in plain words, e.g. "sam consumed login pass 2 of 10 in analysts: still
//! in session after 60 minutes". The engine logs ids and numbers ([`Event`]); the words
//! are written here, one file per family of events, like the engine's files.

mod admin;
mod connect;
mod login;
mod metering;
mod releases;

use crate::base::time::Minute;
use crate::engine::events::{Event, What};
use crate::scenario::{GroupId, Scenario};

/// An event in plain words (`event.describe(&scenario)`).
pub trait Describe {
    fn describe(&self, sc: &Scenario) -> String;
}

impl Describe for Event {
    fn describe(&self, sc: &Scenario) -> String {
        describe(self, sc)
    }
}

/// The event in plain words, with the scenario's names for its ids.
pub fn describe(e: &Event, sc: &Scenario) -> String {
    let w = Words::of(e, sc);
    match e.what {
        What::BlockFreed { .. }
        | What::PassReturned { .. }
        | What::PassRetired { .. }
        | What::QuarantineEnded { .. }
        | What::MonthStarted { .. } => releases::words(&w),
        What::GroupAllocated { .. } | What::GroupRefused { .. } | What::GroupResized { .. } => {
            admin::group(&w)
        }
        What::SeatAllocated { .. }
        | What::SeatRefused { .. }
        | What::SeatAlreadyHeld { .. }
        | What::SeatRemoved { .. }
        | What::SeatNotHeld { .. }
        | What::Reinstated { .. }
        | What::ReinstateRefused { .. } => admin::seat(&w),
        What::TokensSet { .. }
        | What::TokensSetRefused { .. }
        | What::NodeDisconnected { .. }
        | What::NodeCutOff { .. }
        | What::NodeReconnected { .. }
        | What::NodeNotDisconnected { .. }
        | What::AssignPending { .. }
        | What::SyncAccepted { .. }
        | What::SyncRejected { .. } => admin::license(&w),
        What::DynamicCapacity { .. }
        | What::Connected { .. }
        | What::TabMerged { .. }
        | What::Disconnected { .. } => connect::connection(&w),
        What::Denied { .. } | What::Discontinued { .. } => connect::refusal(&w),
        What::PassConsumed { .. } | What::PassReused { .. } => login::words(&w),
        What::CapacityBlock { .. } | What::CoreSession { .. } | What::CoreJoined { .. } => {
            metering::words(&w)
        }
    }
}

/// One event and what its words need: the scenario's names, the user's name ("" for an
/// event about the license or a group) and the calendar.
pub(super) struct Words<'a> {
    e: &'a Event,
    sc: &'a Scenario,
    who: String,
}

impl<'a> Words<'a> {
    fn of(e: &'a Event, sc: &'a Scenario) -> Self {
        let who = e
            .user
            .map_or_else(String::new, |u| sc.user_name(u).to_string());
        Words { e, sc, who }
    }

    /// A moment: "day 3 10:00" or the date and time.
    fn when(&self, m: Minute) -> String {
        self.sc.clock.format(m)
    }

    /// The calendar day of a moment, `2025-01-10`.
    fn day(&self, m: Minute) -> String {
        self.sc.clock.datetime(m).format("%Y-%m-%d").to_string()
    }

    fn dev(&self, device: u32) -> String {
        self.sc.device_name(device).to_string()
    }

    fn group(&self, group: GroupId) -> String {
        self.sc.group_name(group).to_string()
    }

    /// A variant sent to a family that does not describe it: its fields, never a panic.
    /// The dispatch in [`describe`] is exhaustive, so this is not reached.
    fn unrouted(&self) -> String {
        format!("{:?}", self.e.what)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::events::{Consume, How, Refusal, Release, Rule, Via};
    use crate::scenario::{CoreKey, Seat, UserId};

    /// One event of every kind of `What`: each family describes its own in words (not the
    /// fields of `unrouted`).
    #[test]
    fn every_event_has_words() {
        let sc = crate::scenario::parse(include_str!("../../../examples/walkthrough.toml"))
            .expect("the walkthrough parses");
        let g = 0;
        let seat = Seat::Professional;
        let own = CoreKey::Own(UserId::new(0));
        #[rustfmt::skip]
        let all = [
            What::GroupAllocated { group: g, tokens: 1 },
            What::GroupRefused { group: g, tokens: 2, needed: 2, free: 1 },
            What::GroupResized { group: g, from: 2, to: 1, freed_now: 0, retiring: 1 },
            What::BlockFreed { group: g },
            What::PassRetired { group: g, consumed_at: 60, left: 2 },
            What::DynamicCapacity { device: 0 },
            What::PassReturned { group: g, consumed_at: 60, available: 9, passes: 10 },
            What::SeatAllocated { seat, dynamic: true },
            What::SeatRefused { seat, needed: 1, free: 0 },
            What::SeatAlreadyHeld { seat },
            What::SeatRemoved { seat, release: Release::NeverUsed },
            What::SeatNotHeld { seat },
            What::QuarantineEnded { seat },
            What::Reinstated { seat },
            What::ReinstateRefused { seat, holds_one: true },
            What::TokensSet { from: 10, to: 12 },
            What::TokensSetRefused { to: 1, committed: 2 },
            What::Connected { device: 0, via: Via::Capacity, open: 2 },
            What::TabMerged { device: 0 },
            What::Disconnected { device: 0, how: How::Timeout },
            What::PassConsumed { group: g, used: 1, passes: 10, why: Consume::Renewal, device: 0 },
            What::PassReused { group: g, device: 0, parallel: true, consumed_at: 60 },
            What::Denied { device: 0, reason: Refusal::Cooldown { open: 1, cooling: 2 } },
            What::Discontinued { connections: 2 },
            What::MonthStarted { capacity_forfeited: 5, core_forfeited: 0 },
            What::CapacityBlock { minutes: 6, used: 12, cap: None, quota: 100, device: 0 },
            What::CoreSession { session: own, minutes: 30, used: 30, quota: 60 },
            What::CoreJoined { session: own, started: 60 },
            What::NodeDisconnected { node: 0, cut_off_at: 600 },
            What::NodeCutOff { node: 0, closed: 1 },
            What::NodeReconnected { node: 0 },
            What::NodeNotDisconnected { node: 0 },
            What::AssignPending { seat, deployment: 0 },
            What::SyncRejected { seat, deployment: 0, winner: UserId::new(0) },
            What::SyncAccepted { seat, deployment: 0 },
        ];
        for what in all {
            let e = Event {
                at: 60,
                rule: Rule::Lap3,
                user: Some(UserId::new(0)),
                what,
            };
            let words = e.describe(&sc);
            assert_ne!(words, Words::of(&e, &sc).unrouted(), "{what:?}");
            assert!(!words.is_empty(), "{what:?}");
        }
    }
}
