//! The words of TIME-3 class 1 (`engine/releases.rs`): monthly resets, pass returns and
//! retirements, quarantine ends.

use super::{plural, Words};
use crate::engine::events::What;
use crate::scenario::Seat;

/// Class 1 of TIME-3: monthly resets, pass returns and retirements, quarantine ends.
pub(super) fn words(w: &Words) -> String {
    let (sc, who) = (w.sc, &w.who);
    match w.e.what {
        What::BlockFreed { group: g } => format!(
            "the last used pass of a retired block of {} returned: 1 token free",
            w.group(g)
        ),
        What::PassReturned { group: g, consumed_at, available, passes } => format!(
            "a login pass of {} consumed {} is available again ({} of {} available)",
            w.group(g),
            w.when(consumed_at),
            available,
            passes
        ),
        What::PassRetired { group: g, consumed_at, left } => format!(
            "a login pass of {} consumed {} came back into a retired block and retires ({} still out before its token is free)",
            w.group(g),
            w.when(consumed_at),
            plural(left, "pass", "passes")
        ),
        What::QuarantineEnded { seat } => match seat {
            Seat::UserPass => {
                format!("the quarantine of {who}'s User Access Pass ended: 1 token free")
            }
            _ => format!(
                "the quarantine of {who}'s {} ended: it is free to assign",
                seat.label()
            ),
        },
        What::MonthStarted { capacity_forfeited, core_forfeited } => {
            let what = match (sc.license.capacity_quota() > 0, sc.license.core_minutes > 0) {
                (true, true) => "Analyzer Capacity and Qlik Core minutes reset",
                (false, true) => "Qlik Core minutes reset",
                _ => "Analyzer Capacity minutes reset",
            };
            let mut s = format!("month {} starts: {what}", sc.clock.month_label(w.e.at));
            if capacity_forfeited > 0 {
                s.push_str(&format!("; {capacity_forfeited} unused capacity minutes forfeited"));
            }
            if core_forfeited > 0 {
                s.push_str(&format!("; {core_forfeited} unused Core minutes forfeited"));
            }
            s
        }
        _ => w.unrouted(),
    }
}
