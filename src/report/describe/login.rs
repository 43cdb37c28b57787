//! The words of login passes on the connection side (`engine/login.rs`).

use super::Words;
use crate::base::time::hh_mm;
use crate::engine::events::{Consume, What};

/// Login passes consumed and reused (LAP-2..6).
pub(super) fn words(w: &Words) -> String {
    let (sc, who) = (w.sc, &w.who);
    match w.e.what {
        What::PassConsumed { group: g, used, passes, why, device } => match why {
            Consume::Start => format!(
                "{who} connected on {} and consumed login pass {used} of {passes} in {}",
                w.dev(device),
                w.group(g)
            ),
            Consume::Renewal => format!(
                "{who} consumed login pass {used} of {passes} in {}: still in session after {} minutes",
                w.group(g),
                sc.settings.login_pass_window
            ),
            Consume::Anonymous => format!(
                "anonymous {who} connected and consumed login pass {used} of {passes} in {}: every anonymous connection takes a new pass",
                w.group(g)
            ),
        },
        What::PassReused { group: g, device, parallel, consumed_at } => {
            if parallel {
                format!(
                    "{who} connected on {} in parallel and shares the login pass of {} consumed {}",
                    w.dev(device),
                    w.group(g),
                    hh_mm(consumed_at)
                )
            } else {
                format!(
                    "{who} connected again on {} within the hour and reuses the login pass of {} consumed {}",
                    w.dev(device),
                    w.group(g),
                    hh_mm(consumed_at)
                )
            }
        }
        _ => w.unrouted(),
    }
}
