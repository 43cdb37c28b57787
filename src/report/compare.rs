//! Compare leads with the answer: from two runs, the key figure that changed most, in
//! words with its moment ("all 20 tokens are back by 2026-01-24 00:00 in A; in B they
//! stay allocated"), every figure in order of change, and the chart series in order of
//! difference with those flat in both runs marked to fold.
//!
//! Runs are set side by side from each one's day 0 (as the app's overlaid charts), over
//! the shorter of the two periods.

use serde::{Deserialize, Serialize};

use crate::base::time::Minute;
use crate::engine::events::What;
use crate::report::lives::Run;
use crate::report::tally::{Steps, Tally};
use crate::report::timeline::Summary;
use crate::scenario::Scenario;

/// The answer of a comparison of run A with run B.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub a: Summary,
    pub b: Summary,
    /// The figure that changed most, in one sentence.
    pub answer: String,
    /// Every key figure, the most changed first.
    pub figures: Vec<Figure>,
    /// The chart series, the most different first; those to fold last.
    pub series: Vec<SeriesDiff>,
}

/// One key figure of both runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// The [`Summary`] field: `denied`, `free_at_end`, …
    pub key: String,
    pub label: String,
    pub a: i64,
    pub b: i64,
    /// |a − b| / max(|a|, |b|): 0 for no change, 1 for from or to nothing.
    pub change: f64,
    /// The figure's moment in each run (its first denial, its peak, when it settled).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub a_at: Option<Minute>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub b_at: Option<Minute>,
    /// The figure in words, with its moments.
    pub sentence: String,
}

/// One chart series of both runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesDiff {
    /// `used`, `available`, `free`, `pending`, `user_passes`, `assigned`, `quarantined`,
    /// `refusals`, `connections`, `capacity`, `core` (the app's compare charts are
    /// `compare-used`, `compare-available`, `compare-free`, `compare-refusals`).
    pub key: String,
    pub title: String,
    pub flat_a: bool,
    pub flat_b: bool,
    /// Flat in both runs at the same level: nothing to see, fold it away.
    pub fold: bool,
    /// The mean of |A − B| over the common period, relative to the larger peak (0..1).
    pub difference: f64,
    /// The largest |A − B| and its first minute (from day 0).
    pub max_difference: i64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub max_at: Option<Minute>,
}

/// A run as compared: its scenario, summary and tally.
pub struct Side<'a> {
    pub scenario: &'a Scenario,
    pub summary: &'a Summary,
    pub tally: Tally,
    /// The first denial, discontinuation and capacity overage, if any.
    first_denied: Option<Minute>,
    first_discontinued: Option<Minute>,
    first_overage: Option<Minute>,
}

impl<'a> Side<'a> {
    pub fn new(run: &Run<'a>, summary: &'a Summary) -> Side<'a> {
        let quota = run.scenario.license.capacity_quota();
        let first =
            |f: &dyn Fn(&What) -> bool| run.events.iter().find(|e| f(&e.what)).map(|e| e.at);
        Side {
            scenario: run.scenario,
            summary,
            tally: Tally::of(run),
            first_denied: first(&|w| matches!(w, What::Denied { .. })),
            first_discontinued: first(&|w| matches!(w, What::Discontinued { .. })),
            first_overage: first(
                &|w| matches!(w, What::CapacityBlock { used, .. } if *used > quota),
            ),
        }
    }

    fn when(&self, m: Minute) -> String {
        self.scenario
            .clock
            .datetime(m)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// How much a figure changed: 0 none, 1 from or to nothing.
fn change(a: i64, b: i64) -> f64 {
    let m = a.abs().max(b.abs());
    if m == 0 {
        0.0
    } else {
        (a - b).abs() as f64 / m as f64
    }
}

/// Compares run A with run B.
pub fn compare(a: &Side, b: &Side) -> Comparison {
    let mut figures = figures(a, b);
    // Most changed first; ties: the larger absolute change, then the table's order.
    let order: Vec<String> = figures.iter().map(|f| f.key.clone()).collect();
    figures.sort_by(|x, y| {
        y.change
            .total_cmp(&x.change)
            .then((y.a - y.b).abs().cmp(&(x.a - x.b).abs()))
            .then(
                order
                    .iter()
                    .position(|k| *k == x.key)
                    .cmp(&order.iter().position(|k| *k == y.key)),
            )
    });
    let series = series(a, b);
    let answer = match figures.first() {
        Some(f) if f.change > 0.0 => f.sentence.clone(),
        _ => match series.first() {
            Some(s) if s.max_difference > 0 => format!(
                "The key figures are the same; {} differs most, by up to {}{}.",
                s.title.to_lowercase(),
                s.max_difference,
                from_start(s.max_at)
            ),
            _ => "The two runs give the same key figures and the same charts.".to_string(),
        },
    };
    Comparison {
        a: a.summary.clone(),
        b: b.summary.clone(),
        answer,
        figures,
        series,
    }
}

fn figure(
    key: &str,
    label: &str,
    a: i64,
    b: i64,
    at: (Option<Minute>, Option<Minute>),
    sentence: String,
) -> Figure {
    Figure {
        key: key.into(),
        label: label.into(),
        a,
        b,
        change: change(a, b),
        a_at: at.0,
        b_at: at.1,
        sentence,
    }
}

/// "B denies 120 connections (the first on …); A none." for a count that grows from 0.
/// `words`: the verb and the noun in the singular and the plural.
fn counted(
    (a, b): (&Side, &Side),
    (x, y): (i64, i64),
    first: (Option<Minute>, Option<Minute>),
    (verb, one, many): (&str, &str, &str),
) -> String {
    let part = |name: &str, side: &Side, n: i64, at: Option<Minute>| match (n, at) {
        (0, _) | (_, None) => format!("{name} {verb} none"),
        (n, Some(t)) => format!(
            "{name} {verb} {} (the first on {})",
            plural(n, one, many),
            side.when(t)
        ),
    };
    // The run with more first.
    if y > x {
        format!(
            "{}; {}.",
            part("B", b, y, first.1),
            part("A", a, x, first.0)
        )
    } else {
        format!(
            "{}; {}.",
            part("A", a, x, first.0),
            part("B", b, y, first.1)
        )
    }
}

/// Free tokens at the end, and since when: "all 20 tokens are back by … in A".
fn free_words(name: &str, side: &Side, first: bool) -> String {
    let t = &side.tally;
    let (free, total, pending) = (t.free.last(), t.total.last(), t.pending.last());
    let allocated = total - free - pending;
    let settled = t.free.settled();
    if free == total {
        match settled {
            Some(m) => format!(
                "all {} are back by {} in {name}",
                plural(total, "token", "tokens"),
                side.when(m)
            ),
            None => format!(
                "all {} stay free throughout in {name}",
                plural(total, "token", "tokens")
            ),
        }
    } else if free == 0 {
        let what = match (allocated > 0, pending > 0) {
            (true, true) => format!("{allocated} stay allocated and {pending} pending"),
            (false, true) => "they stay pending".to_string(),
            _ => "they stay allocated".to_string(),
        };
        if first {
            format!("in {name} no token is free at the end: {what}")
        } else {
            format!("in {name} {what}")
        }
    } else {
        let since = settled
            .map(|m| format!(" (since {})", side.when(m)))
            .unwrap_or_default();
        let mut held = Vec::new();
        if allocated > 0 {
            held.push(format!("{allocated} allocated"));
        }
        if pending > 0 {
            held.push(format!("{pending} pending"));
        }
        format!(
            "in {name} {free} of {total} tokens are free at the end{since}, {}",
            held.join(" and ")
        )
    }
}

fn figures(a: &Side, b: &Side) -> Vec<Figure> {
    vec![
        peak_used_passes(a, b),
        passes_consumed(a, b),
        denied(a, b),
        discontinued(a, b),
        pending_at_end(a, b),
        free_at_end(a, b),
        peak_connections(a, b),
        overage_minutes(a, b),
    ]
}

/// "N in A (first on …)" for a peak, or "none in A".
fn peak(name: &str, side: &Side, n: i64, m: Option<Minute>) -> String {
    match (n, m) {
        (0, _) | (_, None) => format!("none in {name}"),
        (n, Some(m)) => format!("{n} in {name} (first on {})", side.when(m)),
    }
}

/// Both sides' peaks, the higher first (A first when they are equal).
fn peaks(a: &Side, b: &Side, n: (i64, i64), at: (Option<Minute>, Option<Minute>)) -> String {
    if n.1 > n.0 {
        format!("{}, {}", peak("B", b, n.1, at.1), peak("A", a, n.0, at.0))
    } else {
        format!("{}, {}", peak("A", a, n.0, at.0), peak("B", b, n.1, at.1))
    }
}

fn peak_used_passes(a: &Side, b: &Side) -> Figure {
    let (sa, sb) = (a.summary, b.summary);
    let n = (sa.peak_used_passes, sb.peak_used_passes);
    let at = (
        a.tally.used.first_reaching(n.0),
        b.tally.used.first_reaching(n.1),
    );
    figure(
        "peak_used_passes",
        "peak used passes",
        n.0,
        n.1,
        at,
        format!(
            "At most {} login passes in use at once: {}.",
            n.0.max(n.1),
            peaks(a, b, n, at)
        ),
    )
}

fn passes_consumed(a: &Side, b: &Side) -> Figure {
    let (sa, sb) = (a.summary, b.summary);
    // Where the consumptions part: the first minute the running totals differ.
    let part = first_difference(
        &a.tally.passes_consumed,
        &b.tally.passes_consumed,
        a.scenario.end().min(b.scenario.end()),
    );
    figure(
        "passes_consumed",
        "passes consumed",
        sa.passes_consumed,
        sb.passes_consumed,
        (part, part),
        match part {
            Some(m) => format!(
                "A consumes {} and B {}; the runs part on day {} {} (from each start).",
                plural(sa.passes_consumed, "login pass", "login passes"),
                sb.passes_consumed,
                m / crate::base::time::MINUTES_PER_DAY,
                crate::base::time::hh_mm(m)
            ),
            None => format!(
                "Both consume {}.",
                plural(sa.passes_consumed, "login pass", "login passes")
            ),
        },
    )
}

fn denied(a: &Side, b: &Side) -> Figure {
    let (sa, sb) = (a.summary, b.summary);
    let first = (a.first_denied, b.first_denied);
    figure(
        "denied",
        "denied",
        sa.denied,
        sb.denied,
        first,
        counted(
            (a, b),
            (sa.denied, sb.denied),
            first,
            ("denies", "connection", "connections"),
        ),
    )
}

fn discontinued(a: &Side, b: &Side) -> Figure {
    let (sa, sb) = (a.summary, b.summary);
    let first = (a.first_discontinued, b.first_discontinued);
    figure(
        "discontinued",
        "discontinued",
        sa.discontinued,
        sb.discontinued,
        first,
        counted(
            (a, b),
            (sa.discontinued, sb.discontinued),
            first,
            ("discontinues", "session", "sessions"),
        ),
    )
}

fn pending_at_end(a: &Side, b: &Side) -> Figure {
    let (sa, sb) = (a.summary, b.summary);
    let settled = (a.tally.pending.settled(), b.tally.pending.settled());
    let pending = |name: &str, side: &Side, n: i64, m: Option<Minute>| match (n, m) {
        (0, _) => format!("none in {name}"),
        (n, Some(m)) => format!("{n} in {name} (since {})", side.when(m)),
        (n, None) => format!("{n} in {name}"),
    };
    figure(
        "pending_at_end",
        "tokens pending at the end",
        sa.pending_at_end,
        sb.pending_at_end,
        settled,
        format!(
            "Tokens pending at the end (quarantine or retiring passes): {}, {}.",
            pending("A", a, sa.pending_at_end, settled.0),
            pending("B", b, sb.pending_at_end, settled.1)
        ),
    )
}

fn free_at_end(a: &Side, b: &Side) -> Figure {
    let (fa, fb) = (free_words("A", a, true), free_words("B", b, false));
    let mut sentence = format!("{fa}; {fb}.");
    if let Some(c) = sentence.get(..1) {
        sentence = c.to_uppercase() + &sentence[1..];
    }
    figure(
        "free_at_end",
        "tokens free at the end",
        a.summary.free_at_end,
        b.summary.free_at_end,
        (a.tally.free.settled(), b.tally.free.settled()),
        sentence,
    )
}

fn peak_connections(a: &Side, b: &Side) -> Figure {
    let (sa, sb) = (a.summary, b.summary);
    let n = (sa.peak_connections, sb.peak_connections);
    let at = (
        a.tally.connections.first_reaching(n.0),
        b.tally.connections.first_reaching(n.1),
    );
    figure(
        "peak_connections",
        "peak connections",
        n.0,
        n.1,
        at,
        format!(
            "At most {} connections open at once: {}.",
            n.0.max(n.1),
            peaks(a, b, n, at)
        ),
    )
}

fn overage_minutes(a: &Side, b: &Side) -> Figure {
    let (sa, sb) = (a.summary, b.summary);
    let first = (a.first_overage, b.first_overage);
    let over = |name: &str, side: &Side, n: i64, m: Option<Minute>| match (n, m) {
        (0, _) | (_, None) => format!("{name} stays within its Analyzer Capacity"),
        (n, Some(m)) => format!(
            "{name} runs {n} minutes over its Analyzer Capacity (from {})",
            side.when(m)
        ),
    };
    figure(
        "overage_minutes",
        "capacity overage minutes",
        sa.overage_minutes,
        sb.overage_minutes,
        first,
        if sb.overage_minutes > sa.overage_minutes {
            format!(
                "{}; {}.",
                over("B", b, sb.overage_minutes, first.1),
                over("A", a, sa.overage_minutes, first.0)
            )
        } else {
            format!(
                "{}; {}.",
                over("A", a, sa.overage_minutes, first.0),
                over("B", b, sb.overage_minutes, first.1)
            )
        },
    )
}

/// The first minute in `[0, end]` where two step series differ.
fn first_difference(a: &Steps, b: &Steps, end: Minute) -> Option<Minute> {
    let mut times: Vec<Minute> = a
        .times
        .iter()
        .chain(&b.times)
        .copied()
        .filter(|t| *t <= end)
        .collect();
    times.sort_unstable();
    times.dedup();
    times.into_iter().find(|&t| a.at(t) != b.at(t))
}

/// Mean and largest |A − B| over `[0, end]`, and where the largest first is.
fn difference(a: &Steps, b: &Steps, end: Minute) -> (f64, i64, Option<Minute>) {
    let mut times: Vec<Minute> = a
        .times
        .iter()
        .chain(&b.times)
        .copied()
        .filter(|t| *t <= end)
        .collect();
    times.push(0);
    times.sort_unstable();
    times.dedup();
    let (mut area, mut max, mut max_at) = (0f64, 0i64, None);
    for (k, &t) in times.iter().enumerate() {
        let d = (a.at(t) - b.at(t)).abs();
        let next = times.get(k + 1).copied().unwrap_or(end + 1).min(end + 1);
        area += d as f64 * (next - t) as f64;
        if d > max {
            max = d;
            max_at = Some(t);
        }
    }
    let scale = a.max().abs().max(b.max().abs()).max(1) as f64;
    (area / ((end + 1) as f64 * scale), max, max_at)
}

/// A count of the tally.
type Pick = fn(&Tally) -> &Steps;

fn series(a: &Side, b: &Side) -> Vec<SeriesDiff> {
    let end = a.scenario.end().min(b.scenario.end());
    let pick: [(&str, &str, Pick); 11] = [
        ("used", "Login passes in use (all groups)", |t| &t.used),
        ("available", "Login passes remaining (all groups)", |t| {
            &t.available
        }),
        ("free", "Tokens available", |t| &t.free),
        ("pending", "Tokens pending", |t| &t.pending),
        ("user_passes", "User Access Passes allocated", |t| {
            &t.user_passes
        }),
        (
            "assigned",
            "Professional and Analyzer allocations assigned",
            |t| &t.assigned,
        ),
        ("quarantined", "Allocations in quarantine", |t| {
            &t.seats_quarantined
        }),
        ("refusals", "Denials and discontinuations so far", |t| {
            &t.refusals
        }),
        ("connections", "Connections open", |t| &t.connections),
        ("capacity", "Analyzer Capacity minutes this month", |t| {
            &t.capacity
        }),
        ("core", "Qlik Core minutes this month", |t| &t.core),
    ];
    let mut v: Vec<SeriesDiff> = pick
        .iter()
        .map(|(key, title, f)| {
            let (sa, sb) = (f(&a.tally), f(&b.tally));
            // "quarantined" counts User Access Passes too.
            let (qa, qb);
            let (sa, sb) = if *key == "quarantined" {
                qa = add(sa, &a.tally.uap_quarantined);
                qb = add(sb, &b.tally.uap_quarantined);
                (&qa, &qb)
            } else {
                (sa, sb)
            };
            let (difference, max_difference, max_at) = difference(sa, sb, end);
            let (flat_a, flat_b) = (sa.flat(), sb.flat());
            SeriesDiff {
                key: key.to_string(),
                title: title.to_string(),
                flat_a,
                flat_b,
                fold: flat_a && flat_b && sa.first() == sb.first(),
                difference,
                max_difference,
                max_at,
            }
        })
        .collect();
    v.sort_by(|x, y| {
        x.fold
            .cmp(&y.fold)
            .then(y.difference.total_cmp(&x.difference))
            .then(y.max_difference.cmp(&x.max_difference))
    });
    v
}

/// " (first at day 3 09:00 from the start)".
fn from_start(m: Option<Minute>) -> String {
    m.map(|m| {
        format!(
            " (first at {} from the start)",
            crate::base::time::Clock::format_relative(m)
        )
    })
    .unwrap_or_default()
}

/// The sum of two step series.
fn add(a: &Steps, b: &Steps) -> Steps {
    let mut times: Vec<Minute> = a.times.iter().chain(&b.times).copied().collect();
    times.sort_unstable();
    times.dedup();
    let values = times.iter().map(|&t| a.at(t) + b.at(t)).collect();
    // Instants within a minute are not kept per series, so the sum's peak is its
    // minutes' highest value.
    Steps {
        times,
        values,
        peak: 0,
    }
}

/// The answer in lines for `license-lab compare --answer`: the sentence, then the chart
/// series in order (those to fold marked).
pub fn answer_text(c: &Comparison) -> String {
    let mut s = format!("{}\n\ncharts, the most different first:\n", c.answer);
    for x in &c.series {
        let note = if x.fold {
            "flat in both: folded".to_string()
        } else if x.max_difference == 0 {
            "the same in both".to_string()
        } else {
            format!(
                "differs by up to {}{}",
                x.max_difference,
                from_start(x.max_at)
            )
        };
        s.push_str(&format!("  {:<48} {note}\n", x.title));
    }
    s.push('\n');
    s
}
