//! The top level: `name`, `description`, `start`, `days`, `seed`.

use super::ctx::Ctx;
use super::raw::RawScenario;
use crate::base::time::{Clock, Minute, MINUTES_PER_DAY};
use crate::scenario::schema::{self, Section};

/// The top-level keys, checked.
pub(super) struct Top {
    pub name: String,
    pub description: String,
    pub clock: Option<Clock>,
    pub days: Option<i64>,
    /// The file's `seed` as the generator's 64 bits.
    pub seed: u64,
    /// The end of the simulated period (day `days` 00:00), when `days` is valid.
    pub end: Option<Minute>,
}

pub(super) fn read(cx: &mut Ctx, raw: &RawScenario) -> Top {
    let untitled = schema::field(Section::Scenario, "name").map_or("", |f| f.default);
    let name = raw
        .name
        .as_ref()
        .map(|n| n.get_ref().trim())
        .filter(|n| !n.is_empty())
        .unwrap_or(untitled)
        .to_string();
    let description = raw
        .description
        .as_ref()
        .map(|d| d.get_ref().to_string())
        .unwrap_or_default();
    let clock = match &raw.start {
        None => {
            cx.err(0..0, "missing key `start` (the first day, \"YYYY-MM-DD\")");
            None
        }
        Some(s) => cx.date(s).map(Clock::new),
    };
    let days = match &raw.days {
        None => {
            cx.err(0..0, "missing key `days` (how many days to simulate)");
            None
        }
        Some(d) => {
            let n = *d.get_ref();
            let (min, max) =
                schema::field(Section::Scenario, "days").map_or((1, 1), |f| (f.min, f.max));
            if n < min {
                cx.err(d.span(), format!("`days` must be at least {min} (got {n})"));
                None
            } else if n > max {
                cx.err(
                    d.span(),
                    format!("`days` is too large (got {n}, the limit is {max} days, 100 years)"),
                );
                None
            } else {
                Some(n)
            }
        }
    };
    // Any 64-bit integer, negative too: the generator takes its two's-complement bits
    // (`seed = -1` is 0xFFFF_FFFF_FFFF_FFFF; see `cohort`). Absent: the schema's 0.
    let seed = raw.seed.as_ref().map_or(0, |s| *s.get_ref()) as u64;
    Top {
        name,
        description,
        clock,
        days,
        seed,
        end: days.map(|d| d * MINUTES_PER_DAY),
    }
}
