//! Sizing (SIZE-1, SIZE-2): the back-of-envelope formula, and sizing by simulation over
//! many seeds.
//!
//! Sizing by simulation runs the scenario once per seed with login passes that never run
//! out ([`Simulation::set_unlimited_passes`]). Users do not interact through anything but
//! the pool, so that run shows exactly how many passes the population needs: with fewer
//! than its peak, the run would have refused someone at or before the peak (a denial or a
//! discontinuation), and with at least its peak it is identical and refuses no one. The
//! smallest token count of a group without refusals is therefore ⌈peak / 10⌉ over all
//! seeds; with `--max-denials N` per month a binary search over token counts (each step
//! runs every seed) finds the smallest count that keeps every month of every seed at or
//! under N.
//!
//! A scenario without cohorts (an imported history) has fixed visits: every seed gives
//! the same run, so it is sized from one run. Its report also says when each group ran
//! dry (the first consumption beyond the group's passes) and which User Access Pass
//! holders would have cost less on login passes (at most 10 passes in any 28 days,
//! SIZE-2 the other way round).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::base::time::Minute;
use crate::engine::{GroupStats, Simulation};
use crate::scenario::{Access, Identity, Scenario, UserId};

/// SIZE-1: tokens = ceil(people × passes per person × (100 + buffer%) / 1000), in exact
/// integer arithmetic. `None` if the numbers are too large to multiply.
pub fn size1(people: u64, passes_per_person: u64, buffer_percent: u64) -> Option<u64> {
    let numerator = u128::from(people)
        .checked_mul(u128::from(passes_per_person))?
        .checked_mul(100 + u128::from(buffer_percent))?;
    u64::try_from(numerator.div_ceil(1000)).ok()
}

/// SIZE-2: above this many passes in 28 days a User Access Pass costs less than login
/// passes (1 token = 10 login passes).
pub const UAP_BREAK_EVEN_PASSES: u64 = 10;

/// The default SIZE-1 buffer (TW: 20%).
pub const DEFAULT_BUFFER: u64 = 20;

/// Mean, 95th percentile and maximum of one figure over the seeds.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Spread {
    pub mean: f64,
    pub p95: f64,
    pub max: f64,
}

impl Spread {
    pub fn of(values: &[f64]) -> Spread {
        if values.is_empty() {
            return Spread {
                mean: 0.0,
                p95: 0.0,
                max: 0.0,
            };
        }
        let mut v = values.to_vec();
        v.sort_by(|a, b| a.total_cmp(b));
        let n = v.len();
        // Nearest-rank percentile.
        let rank = ((0.95 * n as f64).ceil() as usize).clamp(1, n);
        Spread {
            mean: v.iter().sum::<f64>() / n as f64,
            p95: v[rank - 1],
            max: v[n - 1],
        }
    }
}

/// What one seed's run measured. Serialisable, so the app's workers can each run some
/// seeds and hand their results to [`report`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SeedRun {
    pub seed: u64,
    /// Per group, with the scenario's own token counts.
    pub as_written: Vec<GroupStats>,
    /// Per group: the most passes in use at once when passes never run out.
    pub needed: Vec<i64>,
    /// Whole license, as written.
    pub peak_used_total: i64,
    pub denied: i64,
    pub discontinued: i64,
    /// Login passes consumed per user (unlimited run).
    pub passes_by_user: Vec<u32>,
    /// Per user: the most passes consumed within any `login_pass_return` window.
    pub peak_window_by_user: Vec<u32>,
    /// SIZE-2: the users better on a User Access Pass (more than 10 passes in 28 days),
    /// judged on the first seed and applied to every seed.
    pub heavy: Vec<bool>,
    /// Per group: the passes the rest of the group needs at its peak without them.
    pub rest_needed: Vec<i64>,
    /// Analyzer Capacity minutes of the busiest month if everyone were on capacity.
    pub capacity_peak_month: i64,
    /// Per group: the first consumption that finds more passes in use than the group's
    /// 10 × tokens (when it runs dry), from the unlimited run.
    #[serde(default)]
    pub first_short: Vec<Option<Minute>>,
}

/// The same population sized per login access group.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct GroupSizing {
    pub group: String,
    pub people: u64,
    pub tokens_in_file: i64,
    pub peak_used: Spread,
    pub denied: Spread,
    pub discontinued: Spread,
    /// Passes needed at the peak (unlimited run).
    pub needed_passes: Spread,
    /// The smallest token count with no refusal (or at most `max_denials` per month) in
    /// every seed; `None` when none up to the search limit qualifies.
    pub min_tokens: Option<i64>,
    /// Steps of the search (token counts tried beyond the measured bound).
    pub search_steps: u32,
    /// Measured login passes per person per 28 days (mean over seeds).
    pub passes_per_person: f64,
    /// SIZE-1 with those passes rounded up to whole passes and the default 20% buffer.
    pub size1_passes: u64,
    pub size1_tokens: u64,
    /// SIZE-2: people better on a User Access Pass (more than 10 passes in 28 days).
    pub uap_people: Vec<String>,
    /// Tokens the rest of the group needs once those people hold user passes.
    pub uap_rest_tokens: Option<i64>,
    /// When the group ran out of passes with its tokens (the earliest over the seeds),
    /// `YYYY-MM-DDTHH:MM`; `None` when it never did.
    #[serde(default)]
    pub runs_dry: Option<String>,
}

/// SIZE-2 the other way round: User Access Pass holders who would have used at most 10
/// login passes in any 28 days (first seed).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct UserPassReview {
    pub holders: u64,
    /// Holders cheaper on login passes.
    pub lighter: Vec<String>,
    /// Tokens those holders need as a login access group of their own (no refusal).
    pub lighter_tokens: i64,
}

/// SIZE-2 figures for one cohort (or the explicit users of a group).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CohortPasses {
    pub cohort: String,
    pub people: u64,
    /// Each member's most passes in any 28-day window, over members and seeds.
    pub peak_28_days: Spread,
    /// Members above the SIZE-2 break-even in the first seed.
    pub heavy: u64,
}

/// One license model's price for the population.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ModelCost {
    pub model: String,
    pub quantity: String,
    pub cost: Option<f64>,
    pub note: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SizingReport {
    pub scenario: String,
    pub seeds: u64,
    pub first_seed: u64,
    pub max_denials: u64,
    pub groups: Vec<GroupSizing>,
    pub peak_used_total: Spread,
    pub denied_total: Spread,
    pub discontinued_total: Spread,
    pub cohorts: Vec<CohortPasses>,
    pub models: Vec<ModelCost>,
    pub currency: String,
    /// No cohorts: the visits are fixed and one run sizes them.
    #[serde(default)]
    pub fixed: bool,
    /// The people were grown by this many percent ([`crate::tools::growth`]).
    #[serde(default)]
    pub growth: Option<u32>,
    #[serde(default)]
    pub user_passes: Option<UserPassReview>,
    /// The decision curve and sentence ([`super::decision`]); `None` until computed
    /// (`report` leaves it to the caller, `simulate` fills it).
    #[serde(default)]
    pub decision: Option<super::decision::Decision>,
}

fn login_group(sc: &Scenario, user: usize) -> Option<u32> {
    match sc.users[user].access {
        Access::Login(g) => Some(g),
        _ => None,
    }
}

/// The most consumptions within any window of `window` minutes (the pass return period):
/// at a consumption at t, the passes in use are those consumed in (t − window, t].
fn peak_in_window(times: &[Minute], window: Minute) -> u32 {
    let mut best = 0usize;
    let mut j = 0usize;
    for i in 0..times.len() {
        while times[j] + window <= times[i] {
            j += 1;
        }
        best = best.max(i - j + 1);
    }
    best as u32
}

/// The identified users of login access groups who consumed more than 10 passes within
/// one 28-day window (SIZE-2).
fn heavy_users(sc: &Scenario, peak_window_by_user: &[u32]) -> Vec<bool> {
    (0..sc.users.len())
        .map(|u| {
            matches!(sc.users[u].access, Access::Login(_))
                && sc.users[u].identity == Identity::Identified
                && u64::from(peak_window_by_user[u]) > UAP_BREAK_EVEN_PASSES
        })
        .collect()
}

/// Runs one seed: the unlimited run (needed passes, per-person figures), the as-written
/// run when the two differ, and the capacity demand for the model comparison. `heavy`
/// is SIZE-2's set from the first seed; `None` for the first seed itself.
pub fn run_seed(base: &Scenario, seed: u64, heavy: Option<&[bool]>) -> Result<SeedRun, String> {
    let sc = Arc::new(crate::scenario::cohort::reseed(base, seed)?);
    let mut unlimited = Simulation::new(sc.clone(), false);
    unlimited.set_unlimited_passes(true);
    unlimited.keep_consumptions();
    unlimited.advance_to(unlimited.end());
    let needed: Vec<i64> = unlimited
        .group_stats()
        .iter()
        .map(|g| g.peak_used)
        .collect();
    let short = unlimited.group_stats().iter().any(|g| g.min_available < 0);
    let (as_written, totals, peak_total) = if short {
        let mut real = Simulation::new(sc.clone(), false);
        real.advance_to(real.end());
        let peak: i64 = real.group_stats().iter().map(|g| g.peak_used).sum();
        (real.group_stats().to_vec(), real.totals().clone(), peak)
    } else {
        let peak: i64 = unlimited.group_stats().iter().map(|g| g.peak_used).sum();
        (
            unlimited.group_stats().to_vec(),
            unlimited.totals().clone(),
            peak,
        )
    };
    let window = sc.settings.login_pass_return;
    // Per user, their consumption times in order (a stable sort keeps time order).
    let mut by_user: Vec<(UserId, Minute)> = unlimited
        .consumptions()
        .iter()
        .map(|c| (c.user, c.at))
        .collect();
    by_user.sort_by_key(|c| c.0);
    let mut peak_window_by_user = vec![0u32; sc.users.len()];
    let mut times: Vec<Minute> = Vec::new();
    for chunk in by_user.chunk_by(|a, b| a.0 == b.0) {
        times.clear();
        times.extend(chunk.iter().map(|c| c.1));
        peak_window_by_user[chunk[0].0.index()] = peak_in_window(&times, window);
    }
    let heavy = match heavy {
        Some(h) => h.to_vec(),
        None => heavy_users(&sc, &peak_window_by_user),
    };
    // The rest of each group without the heavy users, passes in use at its peak.
    let mut rest_times: Vec<Vec<Minute>> = vec![Vec::new(); sc.groups.len()];
    for c in unlimited.consumptions() {
        if !heavy.get(c.user.index()).copied().unwrap_or(false) {
            rest_times[c.group as usize].push(c.at);
        }
    }
    let rest_needed = rest_times
        .iter()
        .map(|t| i64::from(peak_in_window(t, window)))
        .collect();
    let mut group_times: Vec<Vec<Minute>> = vec![Vec::new(); sc.groups.len()];
    for c in unlimited.consumptions() {
        group_times[c.group as usize].push(c.at);
    }
    let first_short = group_times
        .iter()
        .zip(&sc.groups)
        .map(|(t, g)| first_beyond(t, window, g.tokens.saturating_mul(10)))
        .collect();
    Ok(SeedRun {
        seed,
        as_written,
        needed,
        peak_used_total: peak_total,
        denied: totals.denied,
        discontinued: totals.discontinued,
        passes_by_user: unlimited.passes_consumed_by_user().to_vec(),
        peak_window_by_user,
        heavy,
        rest_needed,
        capacity_peak_month: capacity_peak_month(&sc),
        first_short,
    })
}

/// The first consumption at which more than `passes` are in use (consumed within the
/// return window), or `None`.
fn first_beyond(times: &[Minute], window: Minute, passes: i64) -> Option<Minute> {
    let mut j = 0usize;
    for i in 0..times.len() {
        while times[j] + window <= times[i] {
            j += 1;
        }
        if (i - j + 1) as i64 > passes {
            return Some(times[i]);
        }
    }
    None
}

/// SIZE-2 the other way round: the identified User Access Pass holders moved to a login
/// group of their own with passes that never run out; those at most at the break-even
/// in every 28 days would cost less there.
fn review_user_passes(sc: &Scenario) -> Option<UserPassReview> {
    let holders: Vec<usize> = (0..sc.users.len())
        .filter(|u| {
            sc.users[*u].access == Access::UserPass && sc.users[*u].identity == Identity::Identified
        })
        .collect();
    if holders.is_empty() {
        return None;
    }
    let mut moved = sc.clone();
    let g = moved.groups.len() as u32;
    moved.groups.push(crate::scenario::Group {
        name: "(user pass holders)".into(),
        tokens: 0,
    });
    for u in &holders {
        moved.users[*u].access = Access::Login(g);
    }
    // Their passes are allocated at day 0 unless they are login users now.
    moved.actions.retain(|a| {
        !matches!(a.kind, crate::scenario::ActionKind::AllocateUserPass(u) | crate::scenario::ActionKind::RemoveUserPass(u) | crate::scenario::ActionKind::ReinstateUserPass(u) if holders.contains(&u.index()))
    });
    let mut sim = Simulation::new(Arc::new(moved), false);
    sim.set_unlimited_passes(true);
    sim.keep_consumptions();
    sim.advance_to(sim.end());
    let window = sc.settings.login_pass_return;
    let mut times: Vec<Vec<Minute>> = vec![Vec::new(); sc.users.len()];
    for c in sim.consumptions() {
        if c.group == g {
            times[c.user.index()].push(c.at);
        }
    }
    let lighter: Vec<usize> = holders
        .iter()
        .copied()
        .filter(|u| u64::from(peak_in_window(&times[*u], window)) <= UAP_BREAK_EVEN_PASSES)
        .collect();
    let mut rest: Vec<Minute> = lighter
        .iter()
        .flat_map(|u| times[*u].iter().copied())
        .collect();
    rest.sort_unstable();
    let peak = i64::from(peak_in_window(&rest, window));
    Some(UserPassReview {
        holders: holders.len() as u64,
        lighter: lighter.iter().map(|u| sc.users[*u].name.clone()).collect(),
        lighter_tokens: (peak + 9) / 10,
    })
}

/// The busiest month's Analyzer Capacity minutes if every login and user-pass user were
/// on capacity (identified or not), with no cap (CAP-2's blocks).
fn capacity_peak_month(sc: &Scenario) -> i64 {
    crate::rules::capacity::demand_by_month(sc, |u| {
        matches!(sc.users[u].access, Access::Login(_) | Access::UserPass)
    })
    .into_iter()
    .max()
    .unwrap_or(0)
}

/// Runs every seed of `seeds`: the first alone (it decides SIZE-2's set), the rest in
/// parallel on `threads` threads. The result is in seed order and does not depend on the
/// thread count.
pub fn run_seeds(sc: &Scenario, seeds: &[u64], threads: usize) -> Result<Vec<SeedRun>, String> {
    let Some((first, rest)) = seeds.split_first() else {
        return Ok(Vec::new());
    };
    let first = run_seed(sc, *first, None)?;
    let heavy = first.heavy.clone();
    let mut out = vec![first];
    for r in parallel_map(rest, threads, |seed| run_seed(sc, *seed, Some(&heavy))) {
        out.push(r?);
    }
    Ok(out)
}

/// `f` over `items` on `threads` threads, the results in the order of `items` (whatever
/// the thread count).
pub(crate) fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let results: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= items.len() {
                            break;
                        }
                        mine.push((i, f(&items[i])));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for part in results {
        for (i, r) in part {
            slots[i] = Some(r);
        }
    }
    slots.into_iter().flatten().collect()
}

/// The most refusals (denials + discontinuations) of any month, per group, with the
/// groups given the token counts `tokens`.
fn worst_month(base: &Scenario, seed: u64, tokens: &[i64]) -> Result<Vec<u32>, String> {
    Ok(refusals_by_month(base, seed, tokens)?
        .iter()
        .map(|months| months.iter().copied().max().unwrap_or(0))
        .collect())
}

/// One seed's run with the groups given the token counts `tokens` (the license's total
/// follows): per group, its refusals (denials + discontinuations) in each calendar month
/// since the start.
fn refusals_by_month(base: &Scenario, seed: u64, tokens: &[i64]) -> Result<Vec<Vec<u32>>, String> {
    let sc = crate::scenario::cohort::reseed(base, seed)?;
    Ok(refusals_with_tokens(&sc, tokens))
}

/// The run of `sc` (already reseeded) with the groups given the token counts `tokens`
/// and the license's total following them: per group, its refusals (denials +
/// discontinuations) in each calendar month since the start.
pub(crate) fn refusals_with_tokens(sc: &Scenario, tokens: &[i64]) -> Vec<Vec<u32>> {
    let mut sc = sc.clone();
    let file_groups: i64 = sc.groups.iter().map(|g| g.tokens).sum();
    let new_groups: i64 = tokens.iter().sum();
    sc.license.tokens = (sc.license.tokens - file_groups).max(0) + new_groups;
    for (g, t) in sc.groups.iter_mut().zip(tokens) {
        g.tokens = *t;
    }
    let mut sim = Simulation::new(Arc::new(sc), false);
    sim.advance_to(sim.end());
    sim.group_stats()
        .iter()
        .map(|g| g.refused_by_month.clone())
        .collect()
}

/// The seeds of a sizing run: the scenario's seed and the next ones.
pub fn seeds_of(sc: &Scenario, count: u64) -> Vec<u64> {
    (0..count).map(|i| sc.seed.wrapping_add(i)).collect()
}

/// The whole sizing by simulation (`license-lab size FILE`).
pub fn simulate(
    sc: &Scenario,
    seeds: u64,
    max_denials: u64,
    threads: usize,
) -> Result<SizingReport, String> {
    // Fixed visits: every seed is the same run.
    let seeds = if sc.cohorts.is_empty() {
        1
    } else {
        seeds.max(1)
    };
    let seed_list = seeds_of(sc, seeds);
    let runs = run_seeds(sc, &seed_list, threads)?;
    let mut report = report(sc, &runs, max_denials, threads)?;
    report.decision = Some(super::decision::decision(sc, &report, &runs, threads)?);
    Ok(report)
}

/// Builds the report from the seeds' runs (the app calls this after running the seeds in
/// several workers).
pub fn report(
    sc: &Scenario,
    runs: &[SeedRun],
    max_denials: u64,
    threads: usize,
) -> Result<SizingReport, String> {
    let (hi, steps) = smallest_tokens(sc, runs, max_denials, threads)?;
    let groups: Vec<GroupSizing> = (0..sc.groups.len())
        .map(|gi| group_sizing(sc, runs, gi, (hi[gi], steps[gi])))
        .collect();
    let cohorts = cohort_passes(sc, runs);
    // Fixed visits only: with cohorts, who holds a pass and how much they use it varies.
    let user_passes = if sc.cohorts.is_empty() {
        review_user_passes(sc)
    } else {
        None
    };
    let models = compare_models(sc, &groups, runs, user_passes.as_ref());
    Ok(SizingReport {
        decision: None,
        fixed: sc.cohorts.is_empty(),
        growth: None,
        user_passes,
        scenario: sc.name.clone(),
        seeds: runs.len() as u64,
        first_seed: runs.first().map(|r| r.seed).unwrap_or(sc.seed),
        max_denials,
        peak_used_total: Spread::of(
            &runs
                .iter()
                .map(|r| r.peak_used_total as f64)
                .collect::<Vec<_>>(),
        ),
        denied_total: Spread::of(&runs.iter().map(|r| r.denied as f64).collect::<Vec<_>>()),
        discontinued_total: Spread::of(
            &runs
                .iter()
                .map(|r| r.discontinued as f64)
                .collect::<Vec<_>>(),
        ),
        groups,
        cohorts,
        models,
        currency: sc.prices.currency.clone(),
    })
}

/// The smallest token count of each group, with the search steps it took: ⌈peak/10⌉
/// when no refusal is allowed, else a binary search on the worst month's denials.
fn smallest_tokens(
    sc: &Scenario,
    runs: &[SeedRun],
    max_denials: u64,
    threads: usize,
) -> Result<(Vec<i64>, Vec<u32>), String> {
    let n_groups = sc.groups.len();
    let needed_max: Vec<i64> = (0..n_groups)
        .map(|g| runs.iter().map(|r| r.needed[g]).max().unwrap_or(0))
        .collect();
    let mut hi: Vec<i64> = needed_max.iter().map(|n| (n + 9) / 10).collect();
    let mut steps = vec![0u32; n_groups];
    if max_denials > 0 && !runs.is_empty() {
        // Invariant: hi[g] qualifies; lo[g] does not (or is -1).
        let mut lo: Vec<i64> = vec![-1; n_groups];
        let seeds: Vec<u64> = runs.iter().map(|r| r.seed).collect();
        while (0..n_groups).any(|g| hi[g] - lo[g] > 1) {
            let mid: Vec<i64> = (0..n_groups)
                .map(|g| {
                    if hi[g] - lo[g] > 1 {
                        lo[g] + (hi[g] - lo[g]) / 2
                    } else {
                        hi[g]
                    }
                })
                .collect();
            let worst = parallel_map(&seeds, threads, |s| worst_month(sc, *s, &mid));
            let mut worst_all = vec![0u32; n_groups];
            for w in worst {
                for (g, x) in w?.into_iter().enumerate() {
                    worst_all[g] = worst_all[g].max(x);
                }
            }
            for g in 0..n_groups {
                if hi[g] - lo[g] > 1 {
                    steps[g] += 1;
                    if u64::from(worst_all[g]) <= max_denials {
                        hi[g] = mid[g];
                    } else {
                        lo[g] = mid[g];
                    }
                }
            }
        }
    }
    Ok((hi, steps))
}

/// One group's sizing: the figures of every seed, SIZE-1 from the measured passes and
/// SIZE-2's heavy users.
fn group_sizing(
    sc: &Scenario,
    runs: &[SeedRun],
    gi: usize,
    (min_tokens, search_steps): (i64, u32),
) -> GroupSizing {
    let g = &sc.groups[gi];
    let weeks4 = (sc.end() as f64 / sc.settings.login_pass_return.max(1) as f64).max(1.0);
    let members: Vec<usize> = (0..sc.users.len())
        .filter(|u| login_group(sc, *u) == Some(gi as u32))
        .collect();
    let people = members.len() as u64;
    let per_seed = |f: &dyn Fn(&SeedRun) -> f64| -> Spread {
        Spread::of(&runs.iter().map(f).collect::<Vec<_>>())
    };
    let passes_per_person = if people == 0 {
        0.0
    } else {
        runs.iter()
            .map(|r| {
                members
                    .iter()
                    .map(|u| f64::from(r.passes_by_user[*u]))
                    .sum::<f64>()
            })
            .sum::<f64>()
            / runs.len().max(1) as f64
            / people as f64
            / weeks4
    };
    // Whole passes: a person needs a pass or does not; a tiny excess is rounding noise.
    let size1_passes = (passes_per_person - 1e-9).ceil().max(0.0) as u64;
    let size1_tokens = size1(people, size1_passes, DEFAULT_BUFFER).unwrap_or(u64::MAX);

    // SIZE-2: who needs more than 10 passes in 28 days (first seed), and what the rest
    // of the group then needs in every seed.
    let heavy: Vec<usize> = runs
        .first()
        .map(|r| members.iter().copied().filter(|u| r.heavy[*u]).collect())
        .unwrap_or_default();
    let uap_rest_tokens = (!heavy.is_empty()).then(|| {
        let rest_peak = runs.iter().map(|r| r.rest_needed[gi]).max().unwrap_or(0);
        (rest_peak + 9) / 10
    });
    let runs_dry = runs
        .iter()
        .filter_map(|r| r.first_short.get(gi).copied().flatten())
        .min()
        .map(|m| sc.clock.format(m));
    GroupSizing {
        runs_dry,
        group: g.name.clone(),
        people,
        tokens_in_file: g.tokens,
        peak_used: per_seed(&|r| r.as_written[gi].peak_used as f64),
        denied: per_seed(&|r| r.as_written[gi].denied as f64),
        discontinued: per_seed(&|r| r.as_written[gi].discontinued as f64),
        needed_passes: per_seed(&|r| r.needed[gi] as f64),
        min_tokens: Some(min_tokens),
        search_steps,
        passes_per_person,
        size1_passes,
        size1_tokens,
        uap_people: heavy.iter().map(|u| sc.users[*u].name.clone()).collect(),
        uap_rest_tokens,
    }
}

/// SIZE-2 per cohort: each member's most passes in any 28-day window.
fn cohort_passes(sc: &Scenario, runs: &[SeedRun]) -> Vec<CohortPasses> {
    let mut cohorts = Vec::new();
    for c in &sc.cohorts {
        if !matches!(c.access, Access::Login(_)) {
            continue;
        }
        let range = c.first_user.index()..c.first_user.index() + c.count as usize;
        let values: Vec<f64> = runs
            .iter()
            .flat_map(|r| {
                range
                    .clone()
                    .map(move |u| f64::from(r.peak_window_by_user[u]))
            })
            .collect();
        let heavy = runs
            .first()
            .map(|r| {
                range
                    .clone()
                    .filter(|u| u64::from(r.peak_window_by_user[*u]) > UAP_BREAK_EVEN_PASSES)
                    .count() as u64
            })
            .unwrap_or(0);
        cohorts.push(CohortPasses {
            cohort: c.name.clone(),
            people: u64::from(c.count),
            peak_28_days: Spread::of(&values),
            heavy,
        });
    }

    cohorts
}

/// Tokens vs Professional/Analyzer users vs Analyzer Capacity for the same population.
fn compare_models(
    sc: &Scenario,
    groups: &[GroupSizing],
    runs: &[SeedRun],
    review: Option<&UserPassReview>,
) -> Vec<ModelCost> {
    let p = &sc.prices;
    let population: Vec<usize> = (0..sc.users.len())
        .filter(|u| matches!(sc.users[*u].access, Access::Login(_) | Access::UserPass))
        .collect();
    let identified = population
        .iter()
        .filter(|u| sc.users[**u].identity == Identity::Identified)
        .count() as i64;
    let anonymous = population.len() as i64 - identified;
    let uap_users = population
        .iter()
        .filter(|u| sc.users[**u].access == Access::UserPass)
        .count() as i64;
    let login_tokens: i64 = groups.iter().filter_map(|g| g.min_tokens).sum();
    let split_tokens: i64 = groups
        .iter()
        .map(|g| match (g.min_tokens, g.uap_rest_tokens) {
            (Some(all), Some(rest)) => (g.uap_people.len() as i64 + rest).min(all),
            (Some(all), None) => all,
            _ => 0,
        })
        .sum();
    let mut tokens = uap_users + split_tokens.min(login_tokens);
    let mut note = if split_tokens < login_tokens {
        format!(
            "with SIZE-2's split: {} saved by User Access Passes for heavy users",
            login_tokens - split_tokens
        )
    } else {
        "smallest token counts without refusals".into()
    };
    if let Some(r) = review {
        let n = r.lighter.len() as i64;
        if n > r.lighter_tokens {
            tokens -= n - r.lighter_tokens;
            note.push_str(&format!(
                "; {n} User Access Pass holders on a login group of {} tokens instead: {} saved",
                r.lighter_tokens,
                n - r.lighter_tokens
            ));
        }
    }
    let price = |unit: Option<f64>, n: i64| unit.map(|u| u * n as f64);
    let mut out = vec![ModelCost {
        model: "Tokens (User Access Passes + login access groups)".into(),
        quantity: format!("{tokens} tokens"),
        cost: price(p.token, tokens),
        note,
    }];
    let professional = sc.license.professional.max(1).min(identified.max(1));
    let analyzers = (identified - professional).max(0);
    out.push(ModelCost {
        model: "Professional and Analyzer users".into(),
        quantity: format!("{professional} Professional + {analyzers} Analyzer"),
        cost: match (p.professional, p.analyzer) {
            (Some(pp), Some(pa)) => Some(pp * professional as f64 + pa * analyzers as f64),
            _ => None,
        },
        note: if anonymous > 0 {
            format!("{anonymous} anonymous users cannot hold a named allocation (UAP-1)")
        } else {
            "one named allocation per identified person".into()
        },
    });
    let peak_minutes = runs
        .iter()
        .map(|r| r.capacity_peak_month)
        .max()
        .unwrap_or(0);
    let packs = (peak_minutes + 999) / 1000;
    out.push(ModelCost {
        model: "Analyzer Capacity".into(),
        quantity: format!(
            "{packs} packs ({peak_minutes} minutes in the busiest month) + 1 Professional"
        ),
        cost: match (p.capacity_pack, p.professional) {
            (Some(pc), Some(pp)) => Some(pc * packs as f64 + pp),
            (Some(pc), None) => Some(pc * packs as f64),
            _ => None,
        },
        note: "6-minute blocks of active time, per device (CAP-2)".into(),
    });
    out
}

fn fmt1(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.1}")
    }
}

/// "1 person", "103 people".
fn people(n: i64) -> String {
    if n == 1 {
        "1 person".into()
    } else {
        format!("{n} people")
    }
}

/// "1 token", "42 tokens".
pub(crate) fn tokens(n: i64) -> String {
    if n == 1 {
        "1 token".into()
    } else {
        format!("{n} tokens")
    }
}

fn spread_text(s: &Spread) -> String {
    format!(
        "mean {}, p95 {}, max {}",
        fmt1(s.mean),
        fmt1(s.p95),
        fmt1(s.max)
    )
}

impl SizingReport {
    /// The report as `license-lab size FILE` prints it. Every figure names what it
    /// counts and its unit; a SIZE-2 split is offered only when it costs fewer tokens.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let grown = match self.growth {
            Some(p) => format!(", {p}% more people like these"),
            None => String::new(),
        };
        if self.fixed && self.seeds == 1 {
            s.push_str(&format!(
                "sizing by simulation: {}{grown} (fixed visits: one run, {} refusals allowed per month)\n",
                self.scenario, self.max_denials
            ));
        } else {
            s.push_str(&format!(
                "sizing by simulation: {}{grown} ({} seeds from seed {}, {} refusals allowed per month)\n",
                // As the file writes it: `seed` is an i64 (two's-complement bits in the u64).
                self.scenario,
                self.seeds,
                self.first_seed as i64,
                self.max_denials
            ));
            s.push_str("figures over the seeds: mean, p95 (95 of 100 seeds at or below it), max\n");
        }
        for g in &self.groups {
            self.push_group(&mut s, g);
        }
        s.push_str(&format!(
            "\nwhole license, per run: peak used passes {}; denials {}; discontinuations {}\n",
            spread_text(&self.peak_used_total),
            spread_text(&self.denied_total),
            spread_text(&self.discontinued_total)
        ));
        self.push_allocations(&mut s);
        if let Some(d) = &self.decision {
            s.push_str(&d.to_text());
        }
        s
    }

    /// One group's lines: its figures, the smallest count, SIZE-1 and SIZE-2.
    fn push_group(&self, s: &mut String, g: &GroupSizing) {
        s.push_str(&format!(
            "\nlogin access group {} ({}, {} in the file)\n",
            g.group,
            people(g.people as i64),
            tokens(g.tokens_in_file)
        ));
        s.push_str(&format!(
            "  peak used passes:   {} passes in use at once, with the file's tokens\n",
            spread_text(&g.peak_used)
        ));
        s.push_str(&format!(
            "  denials:            {} refused connections per run\n",
            spread_text(&g.denied)
        ));
        s.push_str(&format!(
            "  discontinuations:   {} sessions ended per run\n",
            spread_text(&g.discontinued)
        ));
        s.push_str(&format!(
            "  passes needed:      {} passes in use at once, if passes never ran out\n",
            spread_text(&g.needed_passes)
        ));
        match g.min_tokens {
            Some(t) => s.push_str(&format!(
                "  simulation:         {t} tokens is the smallest count with {} {}\n",
                if self.max_denials == 0 {
                    "no denial and no discontinuation".to_string()
                } else {
                    format!("at most {} refusals a month", self.max_denials)
                },
                if self.fixed && self.seeds == 1 {
                    "in the run"
                } else {
                    "in every seed"
                }
            )),
            None => s.push_str("  simulation:         no token count qualifies\n"),
        }
        if let Some(at) = &g.runs_dry {
            s.push_str(&format!(
                "  runs dry:           {at}, the first pass beyond its {} tokens\n",
                g.tokens_in_file
            ));
        }
        s.push_str(&format!(
            "  SIZE-1:             {} tokens ({} people x {} passes x 120% / 10; {} is the average of {:.2} passes per person per 28 days, rounded up)\n",
            g.size1_tokens, g.people, g.size1_passes, g.size1_passes, g.passes_per_person
        ));
        match g.split() {
            Some(split) if split.saves > 0 => {
                s.push_str(&format!(
                    "  SIZE-2:             User Access Pass for {}, login group of {} for the rest: {}, {} fewer\n",
                    if split.people == 1 { "this person".to_string() } else { format!("these {} people", split.people) },
                    tokens(split.rest_tokens),
                    tokens(split.total),
                    split.saves
                ));
                s.push_str(&format!("                      {}\n", g.uap_people.join(", ")));
            }
            Some(split) => {
                s.push_str(&format!(
                    "  SIZE-2:             no split: {} more than 10 passes in 28 days, but User Access Passes for them and a login group of {} for the rest make {}, not fewer than {}\n",
                    if split.people == 1 { "1 person uses".to_string() } else { format!("{} people use", split.people) },
                    tokens(split.rest_tokens),
                    tokens(split.total),
                    split.all
                ));
                s.push_str(&format!("                      {}\n", g.uap_people.join(", ")));
            }
            None => s.push_str("  SIZE-2:             no one needs more than 10 passes in 28 days: keep everyone on login passes\n"),
        }
    }

    /// The cohorts' busiest 28 days, the User Access Pass review and the license models.
    fn push_allocations(&self, s: &mut String) {
        if !self.cohorts.is_empty() {
            s.push_str("\npasses per person in their busiest 28 days (SIZE-2: above 10, a User Access Pass costs less):\n");
            for c in &self.cohorts {
                s.push_str(&format!(
                    "  {} ({}): {} passes; {} above 10\n",
                    c.cohort,
                    people(c.people as i64),
                    spread_text(&c.peak_28_days),
                    people(c.heavy as i64)
                ));
            }
        }
        if let Some(r) = &self.user_passes {
            if r.lighter.is_empty() {
                s.push_str(&format!(
                    "\nUser Access Passes: all {} holders use more than 10 login passes in some 28 days: keep them\n",
                    r.holders
                ));
            } else {
                let n = r.lighter.len();
                let verdict = if (n as i64) > r.lighter_tokens {
                    format!(
                        "as a login group of {} tokens they save {}",
                        r.lighter_tokens,
                        n as i64 - r.lighter_tokens
                    )
                } else {
                    format!(
                        "but as a login group they need {} tokens: moving them saves nothing",
                        r.lighter_tokens
                    )
                };
                s.push_str(&format!(
                    "\nUser Access Passes: {n} of {} holders use at most 10 login passes in every 28 days; {verdict}\n      {}\n",
                    r.holders,
                    r.lighter.join(", ")
                ));
            }
        }
        s.push_str("\nlicense models for the same population:\n");
        for m in &self.models {
            let cost = match m.cost {
                Some(c) => format!("{c:.2} {}", self.currency).trim_end().to_string(),
                None => "no price given".into(),
            };
            s.push_str(&format!("  {}: {} ({cost})\n", m.model, m.quantity));
            s.push_str(&format!("      {}\n", m.note));
        }
    }
}

/// SIZE-2's split of one group: User Access Passes for its heavy users, a login group
/// for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// People on User Access Passes (1 token each).
    pub people: i64,
    /// Tokens of the login group for the rest.
    pub rest_tokens: i64,
    /// Tokens in all: `people + rest_tokens`.
    pub total: i64,
    /// The group's smallest token count with everyone on login passes.
    pub all: i64,
    /// Tokens saved by the split (0 or less: the split costs no fewer).
    pub saves: i64,
}

impl GroupSizing {
    /// SIZE-2's split, when someone uses more than 10 passes in 28 days.
    pub fn split(&self) -> Option<Split> {
        let (rest, all) = (self.uap_rest_tokens?, self.min_tokens?);
        let people = self.uap_people.len() as i64;
        Some(Split {
            people,
            rest_tokens: rest,
            total: people + rest,
            all,
            saves: all - (people + rest),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_1_103_people_4_passes_20_percent_is_50() {
        assert_eq!(size1(103, 4, 20), Some(50));
    }

    #[test]
    fn size_1_is_exact_at_the_boundary() {
        // 100 × 5 × 120 / 1000 = 60 exactly: no rounding up.
        assert_eq!(size1(100, 5, 20), Some(60));
        assert_eq!(size1(1, 1, 0), Some(1));
        assert_eq!(size1(0, 4, 20), Some(0));
    }

    #[test]
    fn peak_in_window_counts_consumptions_in_the_last_window() {
        assert_eq!(peak_in_window(&[0, 10, 20, 30], 25), 3);
        assert_eq!(peak_in_window(&[0, 25, 50], 25), 1);
        assert_eq!(peak_in_window(&[], 25), 0);
    }

    #[test]
    fn spread_uses_the_nearest_rank_percentile() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        let s = Spread::of(&v);
        assert_eq!((s.mean, s.p95, s.max), (10.5, 19.0, 20.0));
    }
}
