//! Cohorts (`[[cohort]]`): a scripted population expanded into visits from the scenario's
//! `seed` alone, so the same file gives the same visits on every machine.
//!
//! The generator, per member `m` (0-based) of cohort `c` (0-based, file order):
//!
//! * Seed: `seed` is any 64-bit integer, negative too; the generator takes its 64 bits as
//!   an unsigned number (two's complement: `seed = -1` is `0xFFFF_FFFF_FFFF_FFFF`, `-2` is
//!   `0xFFFF_FFFF_FFFF_FFFE`), so a seed of zero or more is itself.
//! * Random stream: [`Pcg32`] seeded with `splitmix64(seed ^ splitmix64(c << 32 | m))`,
//!   stream `c`. Members are independent, so the expansion does not depend on the order
//!   or the thread in which members are drawn.
//! * Eligible days: the simulated days `0 .. days`, without Saturdays and Sundays when
//!   `weekdays = true`.
//! * Visit starts: a Poisson process over the eligible days with rate
//!   `visits_per_month / 30` per calendar day, concentrated on eligible days
//!   (× 7/5 with `weekdays`): the number of visits in any month is Poisson distributed
//!   with mean `visits_per_month` (scaled by the month's length). A visit falling at
//!   fraction `f` of its eligible day starts at `from + floor(f × (to − from))` inside `hours`.
//! * Active length: log-normal with mean `visit_length` and standard deviation
//!   `visit_length_spread`, rounded to whole minutes, at least 1 minute (a spread of 0
//!   gives exactly `visit_length`).
//! * How it ends: drawn by the `ends` shares.
//! * Devices: `devices = N` opens the visit on N devices at once (`device-1` … `device-N`).

use super::{limits, Cohort, Ends, Scenario, SessionId, UserId, Visit};
use crate::base::rng::{exp, ln, splitmix64, Pcg32};
use crate::base::time::{weekday, Minute, MINUTES_PER_DAY};

/// Derives the random stream of one cohort member.
pub fn member_rng(seed: u64, cohort: u32, member: u32) -> Pcg32 {
    let key = (u64::from(cohort) << 32) | u64::from(member);
    Pcg32::new(splitmix64(seed ^ splitmix64(key)), u64::from(cohort))
}

/// Parameters of the log-normal visit length, precomputed per cohort.
#[derive(Debug, Clone, Copy)]
struct LengthModel {
    mean: Minute,
    mu: f64,
    sigma: f64,
}

impl LengthModel {
    fn new(mean: Minute, spread: Minute) -> Self {
        if spread == 0 || mean == 0 {
            return LengthModel {
                mean,
                mu: 0.0,
                sigma: 0.0,
            };
        }
        let m = mean as f64;
        let s = spread as f64;
        let sigma2 = ln(1.0 + (s * s) / (m * m));
        LengthModel {
            mean,
            mu: ln(m) - sigma2 / 2.0,
            sigma: sigma2.sqrt(),
        }
    }

    fn draw(&self, rng: &mut Pcg32) -> Minute {
        if self.sigma == 0.0 {
            return self.mean;
        }
        let x = exp(self.mu + self.sigma * rng.normal());
        let minutes = (x + 0.5).floor();
        if minutes < 1.0 {
            1
        } else if minutes > 1_000_000.0 {
            1_000_000
        } else {
            minutes as Minute
        }
    }
}

/// One cohort's visit habits, ready to draw from.
pub struct CohortModel {
    eligible_days: Vec<Minute>,
    rate_per_eligible_day: f64,
    length: LengthModel,
    hours: (Minute, Minute),
    ends: [f64; 3],
}

impl CohortModel {
    pub fn new(scenario: &Scenario, cohort: &Cohort) -> Self {
        let eligible_days: Vec<Minute> = (0..scenario.days)
            .filter(|d| !cohort.weekdays || weekday(&scenario.clock, d * MINUTES_PER_DAY) < 5)
            .collect();
        let share = if cohort.weekdays { 5.0 / 7.0 } else { 1.0 };
        let total = cohort.ends.logout + cohort.ends.close + cohort.ends.timeout;
        CohortModel {
            eligible_days,
            rate_per_eligible_day: cohort.visits_per_month / (30.0 * share),
            length: LengthModel::new(cohort.visit_length, cohort.visit_length_spread),
            hours: cohort.hours,
            ends: [
                cohort.ends.logout / total,
                (cohort.ends.logout + cohort.ends.close) / total,
                1.0,
            ],
        }
    }

    /// Calls `emit(at, active, ends)` for each visit of one member, in time order.
    pub fn draw_member(&self, rng: &mut Pcg32, mut emit: impl FnMut(Minute, Minute, Ends)) {
        if self.rate_per_eligible_day <= 0.0 || self.eligible_days.is_empty() {
            return;
        }
        let span = self.eligible_days.len() as f64;
        let window = (self.hours.1 - self.hours.0) as f64;
        let mut x = 0.0;
        loop {
            x += rng.exponential(self.rate_per_eligible_day);
            if x >= span {
                break;
            }
            let k = x.floor();
            let day = self.eligible_days[k as usize];
            let offset = ((x - k) * window).floor() as Minute;
            let at = day * MINUTES_PER_DAY + self.hours.0 + offset.min(window as Minute - 1);
            let active = self.length.draw(rng);
            let u = rng.next_f64();
            let ends = if u < self.ends[0] {
                Ends::Logout
            } else if u < self.ends[1] {
                Ends::Close
            } else {
                Ends::Timeout
            };
            emit(at, active, ends);
        }
    }
}

/// The same scenario with another seed: the explicit visits stay, the cohorts' visits
/// are drawn again.
pub fn reseed(scenario: &Scenario, seed: u64) -> Result<Scenario, String> {
    let mut sc = scenario.clone();
    sc.seed = seed;
    sc.visits.retain(|v| v.script < scenario.explicit_visits);
    sc.visits.sort_unstable_by_key(|v| v.script);
    expand(&mut sc)?;
    sc.visits.sort_unstable_by_key(|v| (v.at, v.script));
    Ok(sc)
}

/// Appends the visits of every cohort to the scenario (script order after the explicit
/// visits: cohort by cohort, member by member, visit by visit).
pub fn expand(scenario: &mut Scenario) -> Result<(), String> {
    if scenario.cohorts.is_empty() {
        return Ok(());
    }
    let mut script = scenario.visits.len() as u32;
    let mut visits = std::mem::take(&mut scenario.visits);
    let max_device = scenario
        .cohorts
        .iter()
        .map(|c| c.devices)
        .max()
        .unwrap_or(1);
    let mut device_ids = vec![0u32];
    if max_device > 1 {
        device_ids.clear();
        for d in 1..=max_device {
            let name = format!("device-{d}");
            let id = match scenario.devices.iter().position(|x| *x == name) {
                Some(i) => i as u32,
                None => {
                    scenario.devices.push(name);
                    (scenario.devices.len() - 1) as u32
                }
            };
            device_ids.push(id);
        }
    }
    for (ci, cohort) in scenario.cohorts.iter().enumerate() {
        let model = CohortModel::new(scenario, cohort);
        for m in 0..cohort.count {
            let user = UserId::new(cohort.first_user.index() + m as usize);
            let mut rng = member_rng(scenario.seed, ci as u32, m);
            let session = scenario
                .session_ids
                .iter()
                .position(|s| *s == scenario.users[user.index()].name)
                .map(SessionId::new);
            let mut overflow = false;
            model.draw_member(&mut rng, |at, active, ends| {
                for d in 0..cohort.devices {
                    if visits.len() >= limits::MAX_VISITS {
                        overflow = true;
                        return;
                    }
                    let device = if cohort.devices == 1 {
                        0
                    } else {
                        device_ids[d as usize]
                    };
                    visits.push(Visit {
                        user,
                        at,
                        active,
                        ends,
                        device,
                        session,
                        node: cohort.node,
                        script,
                    });
                    script = script.wrapping_add(1);
                }
            });
            if overflow {
                return Err(format!(
                    "the cohorts generate more than {} visits, the limit",
                    limits::MAX_VISITS
                ));
            }
        }
    }
    scenario.visits = visits;
    Ok(())
}
