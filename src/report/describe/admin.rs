//! The words of administrative changes (`engine/admin.rs`): groups, allocations, tokens,
//! nodes and the license-service sync.

use super::{plural, Words};
use crate::base::time::format_duration;
use crate::engine::events::{Release, What};
use crate::scenario::Seat;

/// Login access groups allocated, refused and resized (LAP-1, LAP-9, LAP-10).
pub(super) fn group(w: &Words) -> String {
    match w.e.what {
        What::GroupAllocated { group: g, tokens } => format!(
            "{} allocated {}: {} login passes",
            w.group(g),
            plural(tokens, "token", "tokens"),
            tokens * 10
        ),
        What::GroupRefused {
            group: g,
            tokens,
            needed,
            free,
        } => format!(
            "allocating {} to {} refused: needs {} free, {} free",
            plural(tokens, "token", "tokens"),
            w.group(g),
            needed,
            free
        ),
        What::GroupResized {
            group: g,
            from,
            to,
            freed_now,
            retiring,
        } => {
            if to > from {
                format!(
                    "{} grows from {} to {}: {} more login passes available at once",
                    w.group(g),
                    plural(from, "token", "tokens"),
                    plural(to, "token", "tokens"),
                    (to - from) * 10
                )
            } else if to == from {
                format!("{} stays at {}", w.group(g), plural(to, "token", "tokens"))
            } else {
                let mut s = format!(
                    "{} {} from {} to {}: {} freed at once (blocks of 10 unused passes)",
                    w.group(g),
                    if to == 0 { "deleted, going" } else { "reduced" },
                    plural(from, "token", "tokens"),
                    plural(to, "token", "tokens"),
                    plural(freed_now, "token", "tokens")
                );
                if retiring > 0 {
                    s.push_str(&format!(
                        ", {} pending until the used passes of {} return (oldest first)",
                        plural(retiring, "token", "tokens"),
                        if retiring == 1 {
                            "its block"
                        } else {
                            "their blocks"
                        }
                    ));
                }
                s
            }
        }
        _ => w.unrouted(),
    }
}

/// User Access Passes and Professional / Analyzer allocations: given, refused, removed, reinstated (UAP-1, UAP-3, UAP-4, NU-1, NU-2, NU-4).
pub(super) fn seat(w: &Words) -> String {
    let who = &w.who;
    match w.e.what {
        What::SeatAllocated { seat, dynamic } => {
            if dynamic {
                format!("{who} connected without an allocation and was given {} (dynamic assignment)", seat.with_article())
            } else {
                match seat {
                    Seat::UserPass => format!("{who} was allocated a User Access Pass (1 token)"),
                    _ => format!("{who} was assigned {}", seat.with_article()),
                }
            }
        }
        What::SeatRefused { seat, needed, free } => match seat {
            Seat::UserPass => format!(
                "allocating a User Access Pass to {who} refused: needs {needed} token, {free} free"
            ),
            _ => format!(
                "assigning {} to {who} refused: needs {needed}, {free} free",
                seat.with_article()
            ),
        },
        What::SeatAlreadyHeld { seat } => {
            format!("{who} already holds {}: nothing changes", seat.with_article())
        }
        What::SeatRemoved { seat, release } => match release {
            Release::NeverUsed => format!(
                "{who}'s {} removed; never used, so it is free at once",
                seat.label()
            ),
            Release::LongAgo { last_use } => format!(
                "{who}'s {} removed; last used {}, more than the quarantine ago, so it is free at once",
                seat.label(),
                w.day(last_use)
            ),
            Release::Quarantined { last_use, until } => format!(
                "{who}'s {} removed and quarantined until {} (last used {})",
                seat.label(),
                w.when(until),
                w.day(last_use)
            ),
        },
        What::SeatNotHeld { seat } => {
            format!("{who} holds no {} to remove: nothing changes", seat.label())
        }
        What::Reinstated { seat } => format!(
            "{who}'s {} reinstated during its quarantine: allocated again, usable at once",
            seat.label()
        ),
        What::ReinstateRefused { seat, holds_one } => {
            if holds_one {
                format!("reinstating {who}'s {} refused: {who} already holds one", seat.label())
            } else {
                format!(
                    "reinstating {who}'s {} refused: it is not in quarantine",
                    seat.label()
                )
            }
        }
        _ => w.unrouted(),
    }
}

/// The license's tokens (TOK-3, TOK-4), nodes (NODE-2) and the license-service sync (QLS-1).
pub(super) fn license(w: &Words) -> String {
    let (sc, who) = (w.sc, &w.who);
    match w.e.what {
        What::TokensSet { from, to } => format!("the license now holds {to} tokens (was {from})"),
        What::TokensSetRefused { to, committed } => format!(
            "lowering the license to {to} tokens refused: {committed} are allocated or pending"
        ),
        What::NodeDisconnected { node, cut_off_at } => format!(
            "node {} lost the central node; it keeps serving current allocations until {}",
            sc.node_name(node),
            w.when(cut_off_at)
        ),
        What::NodeCutOff { node, closed } => format!(
            "node {} has been disconnected for {}: no new connections, all user access denied ({} closed)",
            sc.node_name(node),
            format_duration(sc.settings.node_grace),
            plural(i64::from(closed), "connection", "connections")
        ),
        What::NodeReconnected { node } => {
            format!("node {} synchronised with the central node again", sc.node_name(node))
        }
        What::NodeNotDisconnected { node } => format!(
            "node {} is connected: nothing to reconnect",
            sc.node_name(node)
        ),
        What::AssignPending { seat, deployment } => format!(
            "{who} was assigned {} on deployment {}; other deployments learn of it at the next sync",
            seat.with_article(),
            sc.deployment_name(deployment)
        ),
        What::SyncAccepted { seat, deployment } => format!(
            "sync: {who}'s {} from deployment {} confirmed",
            seat.label(),
            sc.deployment_name(deployment)
        ),
        What::SyncRejected { seat, deployment, winner } => format!(
            "sync: {who}'s {} from deployment {} rejected: {} took the last one earlier in the interval",
            seat.label(),
            sc.deployment_name(deployment),
            sc.user_name(winner)
        ),
        _ => w.unrouted(),
    }
}
