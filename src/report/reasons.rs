//! Reasons: every count of the state at a minute traced to the events that made it what
//! it is, each with its share of the count, so the shares add up to the count ("4 used:
//! consumed 03-02 09:00 by sam (returns 03-30 09:00), …").
//!
//! A count is the sum of what stands at the cursor: the passes out (not yet returned),
//! the allocations held or in quarantine, the group sizes, the retiring blocks, the
//! month's capacity blocks and Core Sessions, the open connections, the refusals so far.
//! A count that is a balance (tokens free, passes available) lists what adds and what
//! takes away: "10 tokens licensed, −1 held by analysts". A count set by the scenario
//! alone (the license's tokens, before any `set_tokens`) has a reason with no event.
//!
//! Keys are the State JSON's paths ([`keys`]): `tokens.free`, `groups.analysts.used`, …

use serde::{Deserialize, Serialize};

use crate::base::time::Minute;
use crate::engine::events::What;
use crate::report::describe::Describe;
use crate::report::lives::{Held, Lives, On, Run, NONE};
use crate::scenario::{GroupId, Scenario, Seat};

/// A count at a minute and its reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reasons {
    pub key: String,
    pub at: Minute,
    /// The sum of every reason, kept or left off: the state's count.
    pub count: i64,
    /// The count in words: "4 passes used in analysts".
    pub label: String,
    /// The latest reasons, oldest first (at most the limit asked for).
    pub reasons: Vec<Reason>,
    /// The older reasons left off, summed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub earlier: Option<Earlier>,
}

/// One reason: its share of the count and the event it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub value: i64,
    /// Index into the event log; `None`: the scenario itself (the license).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub event: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub at: Option<Minute>,
    pub line: String,
}

/// Reasons left off: how many, and their shares together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Earlier {
    pub reasons: u64,
    pub value: i64,
}

/// What a reason says; its words are written only for the reasons kept.
#[derive(Debug, Clone, Copy)]
enum Line {
    /// The scenario's own figure (no event).
    License(&'static str),
    /// The event's words from the log.
    Event,
    /// A pass out: use `u` of group `g`.
    Pass(GroupId, u32),
    /// Group `g`'s tokens (as tokens or as passes).
    Size(GroupId, bool),
    Held(u32),
    Quarantined(u32),
    /// Retiring block `b` of group `g`.
    Retiring(GroupId, u32),
    Connection(u32),
}

#[derive(Debug, Clone, Copy)]
struct Item {
    value: i64,
    event: u32,
    line: Line,
}

impl Item {
    fn negated(self) -> Item {
        Item {
            value: -self.value,
            ..self
        }
    }
}

/// Every count key of a scenario's state that has reasons, in the State JSON's order.
pub fn keys(sc: &Scenario) -> Vec<String> {
    let mut k: Vec<String> = [
        "tokens.total",
        "tokens.free",
        "tokens.user_passes",
        "tokens.login_groups",
        "tokens.pending",
        "user_passes.allocated",
        "user_passes.quarantined",
    ]
    .map(String::from)
    .to_vec();
    for g in &sc.groups {
        for c in ["passes", "available", "used", "retiring"] {
            k.push(format!("groups.{}.{c}", g.name));
        }
    }
    for s in ["professional", "analyzer"] {
        for c in ["total", "assigned", "quarantined"] {
            k.push(format!("{s}.{c}"));
        }
    }
    k.extend(
        [
            "capacity.quota",
            "capacity.used",
            "capacity.overage",
            "core.quota",
            "core.used",
            "connections",
            "totals.passes_consumed",
            "totals.denied",
            "totals.discontinued",
        ]
        .map(String::from),
    );
    k
}

/// The reasons of count `key` at minute `at` (after every event at `at`), the latest
/// `limit` of them written out.
pub fn reasons(
    run: &Run,
    lives: &Lives,
    at: Minute,
    key: &str,
    limit: usize,
) -> Result<Reasons, String> {
    let sc = run.scenario;
    let at = at.clamp(0, sc.end());
    let bound = run.upto(at);
    let (items, noun) = items(run, lives, bound, at, key)?;
    let count = items.iter().map(|i| i.value).sum();
    let keep = items.len().saturating_sub(limit);
    let earlier = (keep > 0).then(|| Earlier {
        reasons: keep as u64,
        value: items[..keep].iter().map(|i| i.value).sum(),
    });
    let fmt = Words::new(run, lives);
    let reasons = items[keep..]
        .iter()
        .map(|i| Reason {
            value: i.value,
            event: (i.event != NONE).then_some(i.event),
            at: run.at_opt(i.event),
            line: fmt.line(i),
        })
        .collect();
    Ok(Reasons {
        key: key.to_string(),
        at,
        count,
        label: format!(
            "{count} {}",
            if count == 1 { singular(&noun) } else { noun }
        ),
        reasons,
        earlier,
    })
}

/// "tokens free" → "token free", for a count of 1.
fn singular(noun: &str) -> String {
    for (many, one) in [
        ("login passes", "login pass"),
        ("User Access Passes", "User Access Pass"),
        ("passes", "pass"),
        ("tokens", "token"),
        ("allocations", "allocation"),
        ("connections", "connection"),
        ("sessions", "session"),
        ("minutes", "minute"),
    ] {
        if noun.contains(many) {
            return noun.replacen(many, one, 1);
        }
    }
    noun.to_string()
}

fn unknown(key: &str) -> String {
    format!("no count `{key}` (one of the State JSON's counts, e.g. tokens.free, groups.NAME.used, connections)")
}

/// The items of a key after the first `bound` events, in event order, and the noun of
/// its label.
fn items(
    run: &Run,
    lives: &Lives,
    bound: u32,
    at: Minute,
    key: &str,
) -> Result<(Vec<Item>, String), String> {
    let found = token_items(run, lives, bound, key)
        .or_else(|| seat_items(run, lives, bound, key))
        .or_else(|| meter_items(run, bound, at, key))
        .or_else(|| total_items(run, lives, bound, key));
    let mut out = match found {
        Some(found) => found,
        None => group_items(run, lives, bound, key)?,
    };
    out.0.sort_by_key(|i| (i.event != NONE, i.event));
    Ok(out)
}

/// Tokens and User Access Passes (TOK-1, UAP-1, UAP-3).
fn token_items(run: &Run, lives: &Lives, bound: u32, key: &str) -> Option<(Vec<Item>, String)> {
    let noun = |s: &str| s.to_string();
    let found = match key {
        "tokens.total" => (total(run, bound), noun("tokens in the license")),
        "tokens.free" => {
            let mut v = total(run, bound);
            let taken: Vec<Item> = held(lives, bound, Seat::UserPass)
                .into_iter()
                .chain(group_sizes(lives, bound))
                .chain(pending(lives, bound))
                .map(Item::negated)
                .collect();
            v.extend(taken);
            (v, noun("tokens free"))
        }
        "tokens.user_passes" => (
            held(lives, bound, Seat::UserPass),
            noun("tokens on User Access Passes"),
        ),
        "tokens.login_groups" => (
            group_sizes(lives, bound),
            noun("tokens on login access groups"),
        ),
        "tokens.pending" => (pending(lives, bound), noun("tokens pending")),
        "user_passes.allocated" => (
            held(lives, bound, Seat::UserPass),
            noun("User Access Passes allocated"),
        ),
        "user_passes.quarantined" => (
            quarantined(lives, bound, Seat::UserPass),
            noun("User Access Passes in quarantine"),
        ),
        _ => return None,
    };
    Some(found)
}

/// Professional and Analyzer allocations (NU-1, NU-2).
fn seat_items(run: &Run, lives: &Lives, bound: u32, key: &str) -> Option<(Vec<Item>, String)> {
    let sc = run.scenario;
    let noun = |s: &str| s.to_string();
    let found = match key {
        "professional.total" => (
            license(
                sc.license.professional,
                "Professional allocations of the license",
            ),
            noun("Professional allocations"),
        ),
        "analyzer.total" => (
            license(sc.license.analyzer, "Analyzer allocations of the license"),
            noun("Analyzer allocations"),
        ),
        "professional.assigned" => (
            held(lives, bound, Seat::Professional),
            noun("Professional allocations assigned"),
        ),
        "analyzer.assigned" => (
            held(lives, bound, Seat::Analyzer),
            noun("Analyzer allocations assigned"),
        ),
        "professional.quarantined" => (
            quarantined(lives, bound, Seat::Professional),
            noun("Professional allocations in quarantine"),
        ),
        "analyzer.quarantined" => (
            quarantined(lives, bound, Seat::Analyzer),
            noun("Analyzer allocations in quarantine"),
        ),
        _ => return None,
    };
    Some(found)
}

/// This month's Analyzer Capacity and Qlik Core minutes (CAP-1..3, CORE-1..3).
fn meter_items(run: &Run, bound: u32, at: Minute, key: &str) -> Option<(Vec<Item>, String)> {
    let sc = run.scenario;
    let noun = |s: &str| s.to_string();
    let found = match key {
        "capacity.quota" => (
            license(
                sc.license.capacity_quota(),
                "Analyzer Capacity minutes a month (1000 a pack)",
            ),
            noun("capacity minutes this month"),
        ),
        "capacity.used" => (
            metered(run, bound, at, |w| match w {
                What::CapacityBlock { minutes, .. } => Some(minutes),
                _ => None,
            }),
            format!("capacity minutes used in {}", sc.clock.month_label(at)),
        ),
        "capacity.overage" => {
            let quota = sc.license.capacity_quota();
            (
                metered(run, bound, at, |w| match w {
                    What::CapacityBlock { minutes, used, .. } if used > quota => {
                        Some(minutes.min(used - quota))
                    }
                    _ => None,
                }),
                format!("overage minutes in {}", sc.clock.month_label(at)),
            )
        }
        "core.quota" => (
            license(
                sc.license.core_minutes,
                "Qlik Core minutes a month of the license",
            ),
            noun("Core minutes this month"),
        ),
        "core.used" => (
            metered(run, bound, at, |w| match w {
                What::CoreSession { minutes, .. } => Some(minutes),
                _ => None,
            }),
            format!("Core minutes used in {}", sc.clock.month_label(at)),
        ),
        _ => return None,
    };
    Some(found)
}

/// Open connections and the running totals.
fn total_items(run: &Run, lives: &Lives, bound: u32, key: &str) -> Option<(Vec<Item>, String)> {
    let noun = |s: &str| s.to_string();
    let found = match key {
        "connections" => (
            lives
                .open_at(bound)
                .map(|(n, c)| Item {
                    value: 1,
                    event: c.opened,
                    line: Line::Connection(n),
                })
                .collect(),
            noun("connections open"),
        ),
        "totals.passes_consumed" => (
            every(run, bound, |w| matches!(w, What::PassConsumed { .. })),
            noun("login passes consumed"),
        ),
        "totals.denied" => (
            every(run, bound, |w| matches!(w, What::Denied { .. })),
            noun("connections denied"),
        ),
        "totals.discontinued" => (
            every(run, bound, |w| matches!(w, What::Discontinued { .. })),
            noun("sessions discontinued"),
        ),
        _ => return None,
    };
    Some(found)
}

/// `groups.NAME.passes|available|used|retiring`.
fn group_items(
    run: &Run,
    lives: &Lives,
    bound: u32,
    key: &str,
) -> Result<(Vec<Item>, String), String> {
    let rest = key.strip_prefix("groups.").ok_or_else(|| unknown(key))?;
    let (name, count) = rest.rsplit_once('.').ok_or_else(|| unknown(key))?;
    let g = run
        .scenario
        .group_id(name)
        .ok_or_else(|| format!("no group `{name}` in the scenario"))?;
    let lives_g = &lives.groups[g as usize];
    let out = |used: &dyn Fn(&crate::report::lives::PassUse) -> bool, value: i64| -> Vec<Item> {
        lives_g
            .used_at(bound)
            .filter(|(_, u)| used(u))
            .map(|(i, u)| Item {
                value,
                event: u.event,
                line: Line::Pass(g, i),
            })
            .collect()
    };
    let size = || -> Vec<Item> {
        let i = lives_g.sizes.partition_point(|(e, _)| *e < bound);
        match i.checked_sub(1).map(|i| lives_g.sizes[i]) {
            Some((event, tokens)) => vec![Item {
                value: tokens * 10,
                event,
                line: Line::Size(g, true),
            }],
            None => Vec::new(),
        }
    };
    Ok(match count {
        "passes" => (size(), format!("passes in {name}")),
        "used" => (out(&|_| true, 1), format!("passes used in {name}")),
        "retiring" => (
            out(&|u| u.retiring < bound, 1),
            format!("passes retiring in {name}"),
        ),
        "available" => {
            let mut v = size();
            v.extend(out(&|u| u.retiring >= bound, -1));
            (v, format!("passes available in {name}"))
        }
        _ => return Err(unknown(key)),
    })
}

fn license(value: i64, what: &'static str) -> Vec<Item> {
    vec![Item {
        value,
        event: NONE,
        line: Line::License(what),
    }]
}

/// TOK-4: the latest total set, or the license's.
fn total(run: &Run, bound: u32) -> Vec<Item> {
    let set = run.events[..bound as usize]
        .iter()
        .rposition(|e| matches!(e.what, What::TokensSet { .. }));
    match set {
        Some(i) => match run.events[i].what {
            What::TokensSet { to, .. } => vec![Item {
                value: to,
                event: i as u32,
                line: Line::Event,
            }],
            _ => Vec::new(),
        },
        None => license(run.scenario.license.tokens, "tokens of the license"),
    }
}

/// Allocations of `seat` held after `bound` events.
fn held(lives: &Lives, bound: u32, seat: Seat) -> Vec<Item> {
    lives
        .allocations
        .iter()
        .enumerate()
        .filter(|(_, a)| a.seat == seat)
        .filter_map(|(i, a)| match a.held_at(bound) {
            Held::Allocated(event) => Some(Item {
                value: 1,
                event,
                line: Line::Held(i as u32),
            }),
            _ => None,
        })
        .collect()
}

fn quarantined(lives: &Lives, bound: u32, seat: Seat) -> Vec<Item> {
    lives
        .allocations
        .iter()
        .enumerate()
        .filter(|(_, a)| a.seat == seat)
        .filter_map(|(i, a)| match a.held_at(bound) {
            Held::Quarantined(event) => Some(Item {
                value: 1,
                event,
                line: Line::Quarantined(i as u32),
            }),
            _ => None,
        })
        .collect()
}

/// Every group's tokens (LAP-1, LAP-9, LAP-10), groups at 0 left out.
fn group_sizes(lives: &Lives, bound: u32) -> Vec<Item> {
    lives
        .groups
        .iter()
        .filter_map(|g| {
            let i = g
                .sizes
                .partition_point(|(e, _)| *e < bound)
                .checked_sub(1)?;
            let (event, tokens) = g.sizes[i];
            (tokens > 0).then_some(Item {
                value: tokens,
                event,
                line: Line::Size(g.group, false),
            })
        })
        .collect()
}

/// TOK-1's pending: User Access Passes in quarantine (UAP-3) and retiring blocks (LAP-9).
fn pending(lives: &Lives, bound: u32) -> Vec<Item> {
    let mut v = quarantined(lives, bound, Seat::UserPass);
    for g in &lives.groups {
        for (b, block) in g.blocks.iter().enumerate() {
            if block.resized < bound && (block.freed == NONE || block.freed >= bound) {
                v.push(Item {
                    value: 1,
                    event: block.resized,
                    line: Line::Retiring(g.group, b as u32),
                });
            }
        }
    }
    v
}

/// This month's metered minutes (CAP-1, CORE-1: the month starts at 00:00 on the 1st).
fn metered(run: &Run, bound: u32, at: Minute, minutes: impl Fn(What) -> Option<i64>) -> Vec<Item> {
    let start = month_start(run.scenario, at);
    let lo = run.upto(start - 1);
    (lo..bound)
        .filter_map(|i| {
            minutes(run.events[i as usize].what).map(|value| Item {
                value,
                event: i,
                line: Line::Event,
            })
        })
        .collect()
}

/// 00:00 on the 1st of the month of `at` (day 0 at the earliest).
pub(crate) fn month_start(sc: &Scenario, at: Minute) -> Minute {
    use chrono::Datelike;
    let d = sc.clock.datetime(at).date();
    match d.with_day(1) {
        Some(first) => sc
            .clock
            .minute_of(first.and_time(chrono::NaiveTime::MIN))
            .max(0),
        None => 0,
    }
}

/// Every event of a kind so far (the running totals).
fn every(run: &Run, bound: u32, kind: impl Fn(What) -> bool) -> Vec<Item> {
    (0..bound)
        .filter(|&i| kind(run.events[i as usize].what))
        .map(|i| Item {
            value: 1,
            event: i,
            line: Line::Event,
        })
        .collect()
}

/// Writes the reasons' words.
struct Words<'a> {
    run: &'a Run<'a>,
    lives: &'a Lives,
    /// Times as "03-02 09:00" within one calendar year, else with the year.
    long: bool,
}

impl<'a> Words<'a> {
    fn new(run: &'a Run<'a>, lives: &'a Lives) -> Self {
        use chrono::Datelike;
        let c = &run.scenario.clock;
        // A run of one calendar year ends at 00:00 on the next 1 January: its last minute
        // with anything to show is the one before.
        let last = (run.scenario.end() - 1).max(0);
        let long = c.datetime(0).year() != c.datetime(last).year();
        Words { run, lives, long }
    }

    fn when(&self, m: Minute) -> String {
        let f = if self.long {
            "%Y-%m-%d %H:%M"
        } else {
            "%m-%d %H:%M"
        };
        self.run.scenario.clock.datetime(m).format(f).to_string()
    }

    fn line(&self, i: &Item) -> String {
        let run = self.run;
        let sc = run.scenario;
        let at = run.at(i.event);
        match i.line {
            Line::License(what) => format!("{} {what} (the scenario)", i.value.abs()),
            Line::Event => run.events[i.event as usize].describe(sc),
            Line::Pass(g, u) => {
                let p = &self.lives.groups[g as usize].uses[u as usize];
                let ret = p.at + sc.settings.login_pass_return;
                let back = if ret > sc.end() {
                    format!("returns {}, after the end", self.when(ret))
                } else {
                    format!("returns {}", self.when(ret))
                };
                let retiring = if p.retiring != NONE {
                    format!(
                        "; retiring since {}, it leaves the group then",
                        self.when(run.at(p.retiring))
                    )
                } else {
                    String::new()
                };
                let why = match p.why {
                    crate::report::lives::Why::Start => "",
                    crate::report::lives::Why::Renewal => ", hourly renewal",
                    crate::report::lives::Why::Anonymous => ", anonymous",
                };
                format!(
                    "pass {} consumed {} by {}{why} ({back}{retiring})",
                    p.lane + 1,
                    self.when(p.at),
                    run.user_name(p.user)
                )
            }
            Line::Size(g, passes) => {
                let what = match run.events[i.event as usize].what {
                    What::GroupAllocated { .. } => "allocated",
                    What::GroupResized { from, to, .. } if to > from => "grown",
                    What::GroupResized { to: 0, .. } => "deleted",
                    _ => "reduced",
                };
                let tokens = if passes { i.value / 10 } else { i.value.abs() };
                let unit = if tokens == 1 { "token" } else { "tokens" };
                if passes {
                    format!(
                        "{} holds {tokens} {unit}: {} passes ({what} {})",
                        sc.group_name(g),
                        tokens * 10,
                        self.when(at)
                    )
                } else {
                    format!(
                        "{} held by {} ({what} {})",
                        tokens,
                        sc.group_name(g),
                        self.when(at)
                    )
                }
            }
            Line::Held(a) => {
                let l = &self.lives.allocations[a as usize];
                let how = match run.events[i.event as usize].what {
                    What::Reinstated { .. } => "reinstated",
                    What::SeatAllocated { dynamic: true, .. } => "given by dynamic assignment",
                    _ => "allocated",
                };
                format!(
                    "{}'s {} ({how} {})",
                    run.user_name(l.user),
                    l.seat.label(),
                    self.when(at)
                )
            }
            Line::Quarantined(a) => {
                let l = &self.lives.allocations[a as usize];
                let until = match run.events[i.event as usize].what {
                    What::SeatRemoved { release, .. } => {
                        crate::report::lives::quarantined_until(release)
                    }
                    _ => None,
                };
                format!(
                    "{}'s {} in quarantine until {} (removed {})",
                    run.user_name(l.user),
                    l.seat.label(),
                    until.map_or("?".into(), |u| self.when(u)),
                    self.when(at)
                )
            }
            Line::Retiring(g, b) => {
                let block = &self.lives.groups[g as usize].blocks[b as usize];
                let passes = if block.passes == 1 { "pass" } else { "passes" };
                format!(
                    "a block of {} retired {} with {} used {passes}: pending until the last returns {}",
                    sc.group_name(g),
                    self.when(at),
                    block.passes,
                    self.when(block.frees_at)
                )
            }
            Line::Connection(n) => {
                let c = &self.lives.connections[n as usize];
                let on = match c.on {
                    On::Login(g) => format!("a login pass of {}", sc.group_name(g)),
                    On::Seat(s, _) => format!("their {}", s.label()),
                    On::Capacity => "Analyzer Capacity".into(),
                    On::Core(_) => "Qlik Core".into(),
                };
                format!(
                    "{} on {} since {} ({on})",
                    run.user_name(c.user),
                    sc.device_name(c.device),
                    self.when(at)
                )
            }
        }
    }
}
