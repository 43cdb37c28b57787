//! The words of connections (`engine/connect.rs`): opened, merged, closed, refused and
//! discontinued.

use super::{ordinal, plural, Words};
use crate::base::time::format_duration;
use crate::engine::events::{How, Refusal, Rule, Via, What};

/// Connections opened, merged and closed (UAP-2, NU-3, NU-4, CONN-0).
pub(super) fn connection(w: &Words) -> String {
    let (sc, who) = (w.sc, &w.who);
    match w.e.what {
        What::DynamicCapacity { device } => format!(
            "{who} connected on {} without an allocation; no Professional or Analyzer allocation is free, so Analyzer Capacity (dynamic assignment)",
            w.dev(device)
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
                    w.dev(device),
                    ordinal(open)
                )
            } else {
                format!("{who} connected on {} with {with}", w.dev(device))
            }
        }
        What::TabMerged { device } => format!(
            "{who} opened another tab on {}: the same connection",
            w.dev(device)
        ),
        What::Disconnected { device, how } => match how {
            How::Logout => format!("{who} logged out on {}", w.dev(device)),
            How::Close => format!("{who} closed the browser on {}", w.dev(device)),
            How::Timeout => format!(
                "{who}'s connection on {} timed out after {} idle",
                w.dev(device),
                format_duration(sc.settings.inactivity_timeout)
            ),
            How::Removed => format!(
                "{who}'s connection on {} closed: its allocation was removed",
                w.dev(device)
            ),
            How::Discontinued => format!(
                "{who}'s connection on {} closed: the session was discontinued",
                w.dev(device)
            ),
        },
        _ => w.unrouted(),
    }
}

/// Refused connections and discontinued sessions (CONN-0, CONN-1, LAP-8, CAP-3, CORE-3, NODE-2, QLS-1).
pub(super) fn refusal(w: &Words) -> String {
    let (sc, who) = (w.sc, &w.who);
    match w.e.what {
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
                    format_duration(sc.settings.connection_cooldown)
                ),
                Refusal::CapacitySpent => {
                    "the month's Analyzer Capacity minutes are spent".to_string()
                }
                Refusal::CoreSpent => "the month's Qlik Core minutes are spent".to_string(),
                Refusal::NodeCutOff(n) => format!(
                    "node {} has been disconnected from the central node for {} or more",
                    sc.node_name(n),
                    format_duration(sc.settings.node_grace)
                ),
            };
            format!("{who} was refused on {}: {why}", w.dev(device))
        }
        What::Discontinued { connections } => {
            let reason = match w.e.rule {
                Rule::Lap8 => "no login pass was left for the hourly renewal",
                Rule::Cap3 => "the next capacity block does not fit in the month's minutes",
                Rule::Core3 => "the next Core Session does not fit in the month's minutes",
                Rule::Node2 => "the node was cut off",
                Rule::Qls1 => "the license-service sync rejected its allocation",
                _ => "the allocation was withdrawn",
            };
            format!(
                "{who}'s session was discontinued ({}): {reason}",
                plural(
                    i64::from(connections),
                    "connection closed",
                    "connections closed"
                )
            )
        }
        _ => w.unrouted(),
    }
}
