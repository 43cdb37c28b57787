//! Sizing as a decision (issue 15): the curve of token counts around the recommendation
//! against the share of seeds with a refusal and the worst month's refusals, per login
//! access group and for the whole license; the recommendation in one sentence; the
//! license models by cost, the cheapest first.
//!
//! The curve runs every seed of the sizing (the same seeds, drawn the same way) once per
//! offset from the recommendation, every group shifted by the same offset in one run
//! (groups share nothing but the license's total, which follows them). A seed's figures
//! do not depend on the others, and they are combined in seed order, so the curve is the
//! same on any number of threads or workers.
//!
//! A refusal is a denial or a discontinuation of a login access group's user (what
//! sizing counts, SIZE-1's simulation). With passes that never run out a seed needs at
//! most its peak of passes in use; with at least ⌈peak / 10⌉ tokens the run is the same
//! and refuses no one, with fewer it refuses someone (the argument of
//! [`super::sizing`]). So the share of seeds with a refusal never grows with the tokens,
//! and it is zero from the recommendation up when no refusal is allowed; the worst
//! month's refusals follow the dynamics and are measured, not assumed.

use super::sizing::{parallel_map, refusals_with_tokens, SeedRun, SizingReport};
use crate::scenario::Scenario;

/// Offsets below the recommendation the curve reaches at most (and at least).
const MAX_BELOW: i64 = 10;
const MIN_BELOW: i64 = 2;
/// Offsets above the recommendation: at least two, and up to the count with no refusal
/// at all when refusals are allowed (at most this many).
const MIN_ABOVE: i64 = 2;
const MAX_ABOVE: i64 = 12;

/// Which token counts the curve tries: every group at its recommendation plus each
/// offset (never below 0 tokens).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    /// Per group, the recommended count (the report's smallest count).
    pub recommended: Vec<i64>,
    /// The offsets, ascending; 0 is the recommendation.
    pub offsets: Vec<i64>,
}

impl Plan {
    /// The range around the report's answer: down to the count at which every seed
    /// refuses someone (from the seeds' peaks, at least 2 and at most 10 below), up to
    /// the count at which no seed refuses anyone (at least 2 above).
    pub fn of(report: &SizingReport, runs: &[SeedRun]) -> Plan {
        let n = report.groups.len();
        // Per group: the fewest tokens with no refusal in each seed (⌈peak / 10⌉).
        let enough =
            |g: usize| -> Vec<i64> { runs.iter().map(|r| (r.needed[g] + 9) / 10).collect() };
        let recommended: Vec<i64> = (0..n)
            .map(|g| {
                report.groups[g]
                    .min_tokens
                    .unwrap_or_else(|| enough(g).into_iter().max().unwrap_or(0))
            })
            .collect();
        let mut below = MIN_BELOW;
        let mut above = MIN_ABOVE;
        for (g, rec) in recommended.iter().enumerate() {
            let e = enough(g);
            // The largest count at which every seed refuses: one under the smallest need.
            let all_refuse = e.iter().copied().min().unwrap_or(0) - 1;
            let none_refuse = e.iter().copied().max().unwrap_or(0);
            below = below.max(rec - all_refuse);
            above = above.max(none_refuse - rec + 1);
        }
        let below = below.min(MAX_BELOW);
        let above = above.min(MAX_ABOVE);
        Plan {
            recommended,
            offsets: (-below..=above).collect(),
        }
    }

    /// The groups' token counts at `offset`.
    pub fn tokens(&self, offset: i64) -> Vec<i64> {
        self.recommended
            .iter()
            .map(|r| (r + offset).max(0))
            .collect()
    }
}

/// One seed's runs at each offset of a [`Plan`]: the worst month's refusals.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SeedCurve {
    pub seed: u64,
    /// Per offset, per group: the most refusals in one calendar month.
    pub worst: Vec<Vec<u32>>,
    /// Per offset: the most refusals in one calendar month, all groups together.
    pub worst_all: Vec<u32>,
}

/// Runs `seed` at every offset of `plan` (the app's sizing workers run some seeds each).
pub fn run_seed_curve(base: &Scenario, seed: u64, plan: &Plan) -> Result<SeedCurve, String> {
    let sc = crate::scenario::cohort::reseed(base, seed)?;
    let mut worst = Vec::with_capacity(plan.offsets.len());
    let mut worst_all = Vec::with_capacity(plan.offsets.len());
    for offset in &plan.offsets {
        let months = refusals_with_tokens(&sc, &plan.tokens(*offset));
        worst.push(
            months
                .iter()
                .map(|m| m.iter().copied().max().unwrap_or(0))
                .collect(),
        );
        let len = months.iter().map(Vec::len).max().unwrap_or(0);
        let all = (0..len)
            .map(|i| months.iter().map(|m| m.get(i).copied().unwrap_or(0)).sum())
            .max()
            .unwrap_or(0);
        worst_all.push(all);
    }
    Ok(SeedCurve {
        seed,
        worst,
        worst_all,
    })
}

/// One token count of a curve, over the seeds.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Point {
    pub tokens: i64,
    /// Seeds with at least one refusal.
    pub seeds_refused: u64,
    /// Seeds whose worst month has more refusals than allowed (`max_denials`).
    pub seeds_over: u64,
    /// The worst month's refusals, mean and max over the seeds.
    pub worst_mean: f64,
    pub worst_max: u32,
}

/// A curve: one group's (or, `whole`, the license's: every group's tokens and refusals
/// together), its points by ascending tokens.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Curve {
    pub name: String,
    pub whole: bool,
    pub recommended: i64,
    pub points: Vec<Point>,
}

impl Curve {
    pub fn at(&self, tokens: i64) -> Option<&Point> {
        self.points.iter().find(|p| p.tokens == tokens)
    }
}

/// A license model's cost, in the order of cost.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RankedModel {
    pub model: String,
    pub quantity: String,
    pub cost: Option<f64>,
    /// Above the cheapest priced model (0 for it); `None` without a price.
    pub over_cheapest: Option<f64>,
}

/// The decision: the curves, the sentence, the models by cost.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Decision {
    pub seeds: u64,
    pub max_denials: u64,
    /// The groups' curves, then the whole license's when there are several groups.
    pub curves: Vec<Curve>,
    pub sentence: String,
    /// Priced models first, cheapest first (ties in the report's order), then the rest.
    pub models: Vec<RankedModel>,
    pub currency: String,
}

/// The curve's points for one series of worst months (`worst[offset][seed]`), merging
/// offsets that clamp to the same count.
fn points(tokens: &[i64], worst: &[Vec<u32>], max_denials: u64) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::new();
    for (t, w) in tokens.iter().zip(worst) {
        if out.last().is_some_and(|p| p.tokens == *t) {
            continue;
        }
        let n = w.len().max(1) as f64;
        out.push(Point {
            tokens: *t,
            seeds_refused: w.iter().filter(|x| **x > 0).count() as u64,
            seeds_over: w.iter().filter(|x| u64::from(**x) > max_denials).count() as u64,
            worst_mean: w.iter().map(|x| f64::from(*x)).sum::<f64>() / n,
            worst_max: w.iter().copied().max().unwrap_or(0),
        });
    }
    out
}

/// The decision from the seeds' curves (in seed order, as [`run_seed_curve`] made them).
pub fn decide(report: &SizingReport, plan: &Plan, seeds: &[SeedCurve]) -> Decision {
    let offsets = plan.offsets.len();
    let mut curves = Vec::new();
    for (g, group) in report.groups.iter().enumerate() {
        let tokens: Vec<i64> = plan.offsets.iter().map(|o| plan.tokens(*o)[g]).collect();
        let worst: Vec<Vec<u32>> = (0..offsets)
            .map(|o| seeds.iter().map(|s| s.worst[o][g]).collect())
            .collect();
        curves.push(Curve {
            name: group.group.clone(),
            whole: false,
            recommended: plan.recommended[g],
            points: points(&tokens, &worst, report.max_denials),
        });
    }
    if report.groups.len() > 1 {
        let tokens: Vec<i64> = plan
            .offsets
            .iter()
            .map(|o| plan.tokens(*o).iter().sum())
            .collect();
        let worst: Vec<Vec<u32>> = (0..offsets)
            .map(|o| seeds.iter().map(|s| s.worst_all[o]).collect())
            .collect();
        curves.push(Curve {
            name: "whole license".into(),
            whole: true,
            recommended: plan.recommended.iter().sum(),
            points: points(&tokens, &worst, report.max_denials),
        });
    }
    let sentence = sentence(&curves, seeds.len() as u64, report.max_denials);
    Decision {
        seeds: seeds.len() as u64,
        max_denials: report.max_denials,
        curves,
        sentence,
        models: ranked_models(report),
        currency: report.currency.clone(),
    }
}

/// The whole decision for a report made from `runs` (`license-lab size`).
pub fn decision(
    sc: &Scenario,
    report: &SizingReport,
    runs: &[SeedRun],
    threads: usize,
) -> Result<Decision, String> {
    let plan = Plan::of(report, runs);
    let seeds: Vec<u64> = runs.iter().map(|r| r.seed).collect();
    let curves = parallel_map(&seeds, threads, |s| run_seed_curve(sc, *s, &plan))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    Ok(decide(report, &plan, &curves))
}

/// "44 tokens: no refusal in 50 of 50 seeds; 43: a refusal in 3 of 50, at most 2 in a
/// month"; with refusals allowed, "at most N refusals a month"; one clause per group
/// and the total when there are several.
fn sentence(curves: &[Curve], seeds: u64, max_denials: u64) -> String {
    let groups: Vec<&Curve> = curves.iter().filter(|c| !c.whole).collect();
    match groups.as_slice() {
        [] => "no login access group to size".into(),
        [one] => format!(
            "{}: {}",
            super::sizing::tokens(one.recommended),
            clauses(one, seeds, max_denials)
        ),
        many => {
            let total: i64 = many.iter().map(|c| c.recommended).sum();
            let parts: Vec<String> = many
                .iter()
                .map(|c| {
                    format!(
                        "{} {} ({})",
                        c.name,
                        c.recommended,
                        clauses(c, seeds, max_denials)
                    )
                })
                .collect();
            format!(
                "{} in all: {}",
                super::sizing::tokens(total),
                parts.join(", ")
            )
        }
    }
}

/// "no refusal in 50 of 50 seeds; 43: a refusal in 3 of 50, at most 2 in a month",
/// read from the curve's points at the recommendation and one below.
fn clauses(c: &Curve, seeds: u64, max_denials: u64) -> String {
    let of = |n: u64| {
        if seeds == 1 {
            if n == 1 {
                "in the run".to_string()
            } else {
                "in no run".to_string()
            }
        } else {
            format!("in {n} of {seeds}")
        }
    };
    let seeds_word = if seeds == 1 { "" } else { " seeds" };
    let mut s = match c.at(c.recommended) {
        Some(p) if max_denials == 0 => {
            if p.seeds_refused == 0 {
                format!("no refusal {}{seeds_word}", of(seeds))
            } else {
                format!("a refusal {}{seeds_word}", of(p.seeds_refused))
            }
        }
        Some(p) => format!(
            "at most {max_denials} refusals a month {}{seeds_word}",
            of(seeds - p.seeds_over)
        ),
        None => "not measured".into(),
    };
    if let Some(p) = c.recommended.checked_sub(1).and_then(|t| c.at(t)) {
        let what = if max_denials == 0 {
            format!("a refusal {}", of(p.seeds_refused))
        } else {
            format!("more {}", of(p.seeds_over))
        };
        s.push_str(&format!(
            "; {}: {what}, at most {} in a month",
            p.tokens, p.worst_max
        ));
    }
    s
}

/// The report's license models, priced ones cheapest first, then those without a price.
fn ranked_models(report: &SizingReport) -> Vec<RankedModel> {
    let mut models: Vec<&super::sizing::ModelCost> = report.models.iter().collect();
    // A stable sort: ties keep the report's order; no price sorts last.
    models.sort_by(|a, b| match (a.cost, b.cost) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let cheapest = models.first().and_then(|m| m.cost);
    models
        .into_iter()
        .map(|m| RankedModel {
            model: m.model.clone(),
            quantity: m.quantity.clone(),
            cost: m.cost,
            over_cheapest: m.cost.zip(cheapest).map(|(c, low)| c - low),
        })
        .collect()
}

fn num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.1}")
    }
}

impl Decision {
    /// The decision as `license-lab size` prints it after the report.
    pub fn to_text(&self) -> String {
        let mut s = format!("\ndecision: {}\n", self.sentence);
        if !self.curves.is_empty() {
            s.push_str("tokens against refusals (* the recommendation; a refusal: a denial or a discontinuation; worst month: the most refusals in one calendar month of a seed):\n");
        }
        for c in &self.curves {
            s.push_str(&format!(
                "  {}{} (recommended {}):\n",
                if c.whole { "" } else { "login access group " },
                c.name,
                c.recommended
            ));
            s.push_str("    tokens  seeds with a refusal  worst month: mean    max\n");
            for p in &c.points {
                let seeds = format!(
                    "{} of {} ({}%)",
                    p.seeds_refused,
                    self.seeds,
                    num(self.share(p) * 100.0)
                );
                s.push_str(&format!(
                    "    {:>6}{}{seeds:<22}{:>17}{:>7}\n",
                    p.tokens,
                    if p.tokens == c.recommended {
                        "* "
                    } else {
                        "  "
                    },
                    num(p.worst_mean),
                    p.worst_max
                ));
            }
        }
        if self.models.iter().any(|m| m.cost.is_some()) {
            s.push_str("license models by cost, the cheapest first:\n");
            for (i, m) in self.models.iter().enumerate() {
                let money = |x: f64| format!("{x:.2} {}", self.currency).trim_end().to_string();
                let cost = match (m.cost, m.over_cheapest) {
                    (Some(c), Some(o)) if o > 0.0 => format!("{}, {} more", money(c), money(o)),
                    (Some(c), _) => money(c),
                    (None, _) => "no price given".into(),
                };
                s.push_str(&format!(
                    "  {}. {}: {} ({})\n",
                    i + 1,
                    m.model,
                    m.quantity,
                    cost
                ));
            }
        }
        s
    }

    /// The share of seeds with a refusal at `p`, 0 to 1.
    pub fn share(&self, p: &Point) -> f64 {
        p.seeds_refused as f64 / self.seeds.max(1) as f64
    }

    /// The curves as CSV, one row per curve and token count (the export).
    pub fn to_csv(&self) -> String {
        let mut s = String::from("curve,tokens,recommended,seeds,seeds_with_refusal,share_with_refusal,seeds_over_allowed,worst_month_mean,worst_month_max\n");
        for c in &self.curves {
            let name = if c.name.contains([',', '"', '\n']) {
                format!("\"{}\"", c.name.replace('"', "\"\""))
            } else {
                c.name.clone()
            };
            for p in &c.points {
                s.push_str(&format!(
                    "{name},{},{},{},{},{:.4},{},{:.3},{}\n",
                    p.tokens,
                    p.tokens == c.recommended,
                    self.seeds,
                    p.seeds_refused,
                    self.share(p),
                    p.seeds_over,
                    p.worst_mean,
                    p.worst_max
                ));
            }
        }
        s
    }
}
