//! The words of metering (`engine/metering.rs`): capacity blocks and Core Sessions.

use super::Words;
use crate::base::time::{format_duration, hh_mm};
use crate::engine::events::What;

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
            sc.core_session_name(session)
        ),
        What::CoreJoined { session, started } => format!(
            "{who} connected within {} of the Core Session {} started {}: no new Core Session",
            format_duration(sc.settings.core_session),
            sc.core_session_name(session),
            hh_mm(started)
        ),
        _ => w.unrouted(),
    }
}
