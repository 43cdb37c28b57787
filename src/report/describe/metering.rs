//! The words of metering (`engine/metering.rs`): capacity blocks and Core Sessions.

use super::Words;
use crate::base::time::{format_duration, hh_mm};
use crate::engine::events::What;
use crate::scenario::{Scenario, UserId};

/// Capacity blocks and Core Sessions (CAP-2, CAP-3, CORE-2, CORE-3).
pub(super) fn words(w: &Words) -> String {
    let (sc, who) = (w.sc, &w.who);
    match w.e.what {
        What::CapacityBlock { minutes, used, cap, quota, device } => {
            let mut s = format!(
                "{who} is active on {}: a {minutes}-minute capacity block ({used} of {quota} minutes used this month",
                w.dev(device)
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
            session_name(sc, session, w.e.user)
        ),
        What::CoreJoined { session, started } => format!(
            "{who} connected within {} of the Core Session {} started {}: no new Core Session",
            format_duration(sc.settings.core_session),
            session_name(sc, session, w.e.user),
            hh_mm(started)
        ),
        _ => w.unrouted(),
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
