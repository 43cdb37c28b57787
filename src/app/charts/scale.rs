//! Chart geometry: the time and count scales, calendar ticks, and SVG paths for step
//! functions (a count holds its value until the next point).

use std::fmt::Write;

use crate::base::time::{Clock, Minute, MINUTES_PER_DAY, MINUTES_PER_HOUR};

/// Width of every chart's coordinate system (the SVG scales to its box).
pub const W: f64 = 960.0;
pub const LEFT: f64 = 56.0;
pub const RIGHT: f64 = 14.0;
pub const TOP: f64 = 12.0;
pub const BOTTOM: f64 = 26.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub end: Minute,
    pub height: f64,
    pub ymax: f64,
}

impl Scale {
    /// A scale whose top is the round number just above `ymax` (the top count label).
    pub fn new(end: Minute, height: f64, ymax: i64) -> Scale {
        let top = count_ticks(ymax, tick_count(height))
            .last()
            .copied()
            .unwrap_or(1);
        Scale {
            end,
            height,
            ymax: top as f64,
        }
    }

    pub fn x(&self, m: Minute) -> f64 {
        LEFT + (W - LEFT - RIGHT) * (m as f64 / self.end.max(1) as f64)
    }

    /// The minute under an x coordinate, if it is inside the plot.
    pub fn minute(&self, x: f64) -> Option<Minute> {
        let f = (x - LEFT) / (W - LEFT - RIGHT);
        (-0.01..=1.01)
            .contains(&f)
            .then(|| ((f * self.end as f64).round() as Minute).clamp(0, self.end))
    }

    pub fn y(&self, v: f64) -> f64 {
        let bottom = self.height - BOTTOM;
        bottom - (bottom - TOP) * (v / self.ymax.max(1.0)).clamp(0.0, 1.05)
    }

    pub fn bottom(&self) -> f64 {
        self.height - BOTTOM
    }
}

/// Up to about `max` ticks on the time axis at calendar-friendly moments, labelled with
/// dates (and times of day when they are closer than a day).
pub fn time_ticks(clock: &Clock, end: Minute, max: usize) -> Vec<(Minute, String)> {
    let max = max.max(2) as Minute;
    for step in [
        MINUTES_PER_HOUR,
        3 * MINUTES_PER_HOUR,
        6 * MINUTES_PER_HOUR,
        12 * MINUTES_PER_HOUR,
        MINUTES_PER_DAY,
        2 * MINUTES_PER_DAY,
        7 * MINUTES_PER_DAY,
        14 * MINUTES_PER_DAY,
    ] {
        if end / step <= max {
            let fmt = if step < MINUTES_PER_DAY {
                "%b %-d %H:%M"
            } else {
                "%b %-d"
            };
            return (0..=end / step)
                .map(|k| {
                    let m = k * step;
                    (m, clock.datetime(m).format(fmt).to_string())
                })
                .collect();
        }
    }
    // Months: the 1st of every n-th month.
    let mut firsts = Vec::new();
    let mut m = if clock.datetime(0).format("%d").to_string() == "01" {
        0
    } else {
        clock.next_month_start(0)
    };
    while m <= end {
        firsts.push(m);
        m = clock.next_month_start(m);
    }
    for n in [1usize, 2, 3, 6, 12, 24, 60, 120, 240] {
        if (firsts.len() / n) as Minute <= max {
            let fmt = if n < 12 { "%b %Y" } else { "%Y" };
            return firsts
                .iter()
                .filter(|&&m| (clock.month_index(m) as usize).is_multiple_of(n))
                .map(|&m| (m, clock.datetime(m).format(fmt).to_string()))
                .collect();
        }
    }
    Vec::new()
}

/// How many count labels a chart of this height gets: about one per 30 units.
pub fn tick_count(height: f64) -> i64 {
    ((height - TOP - BOTTOM) / 30.0).max(1.0) as i64
}

/// Round numbers from 0 up to at least `max`, about `count` of them.
pub fn count_ticks(max: i64, count: i64) -> Vec<i64> {
    let max = max.max(1);
    let raw = (max as f64 / count.max(1) as f64).max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|f| f * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
        .max(1.0) as i64;
    let mut out = vec![0];
    let mut v = 0;
    while v < max {
        v += step;
        out.push(v);
    }
    out
}

/// A count written with thousands separators: 12,345.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// The point of `times` in force at minute `m` (the last at or before it).
pub fn index_at(times: &[Minute], m: Minute) -> usize {
    times.partition_point(|&t| t <= m).saturating_sub(1)
}

/// A step line through `(times[i], values[i])`, held to the end of the axis.
pub fn step_line(s: &Scale, times: &[Minute], values: &[i64]) -> String {
    let mut d = String::new();
    for (i, (&t, &v)) in times.iter().zip(values).enumerate() {
        if i == 0 {
            let _ = write!(d, "M{:.1},{:.1}", s.x(t), s.y(v as f64));
        } else if v != values[i - 1] {
            let _ = write!(d, "H{:.1}V{:.1}", s.x(t), s.y(v as f64));
        }
    }
    if !d.is_empty() {
        let _ = write!(d, "H{:.1}", s.x(s.end));
    }
    d
}

/// The area between two step functions `lower` ≤ `upper` (a layer of a stack).
pub fn step_band(s: &Scale, times: &[Minute], lower: &[i64], upper: &[i64]) -> String {
    let n = times.len().min(lower.len()).min(upper.len());
    if n == 0 || (0..n).all(|i| upper[i] == lower[i]) {
        return String::new();
    }
    let mut d = step_line(s, &times[..n], &upper[..n]);
    let _ = write!(d, "V{:.1}", s.y(lower[n - 1] as f64));
    for i in (1..n).rev() {
        if lower[i] != lower[i - 1] {
            let _ = write!(d, "H{:.1}V{:.1}", s.x(times[i]), s.y(lower[i - 1] as f64));
        }
    }
    let _ = write!(d, "H{:.1}Z", s.x(times[0]));
    d
}
