//! Simulated time (TIME-1, TIME-2): a wall-clock calendar at one-minute resolution,
//! no time zones, no daylight saving. Minute 0 is `start` 00:00 ("day 0").

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Minutes since the scenario's start (day 0 00:00). Negative means before the start.
pub type Minute = i64;

pub const MINUTES_PER_HOUR: Minute = 60;
pub const MINUTES_PER_DAY: Minute = 24 * MINUTES_PER_HOUR;

/// The longest duration or period the simulator accepts: 100 years.
pub const MAX_DURATION: Minute = 36_525 * MINUTES_PER_DAY;

/// Maps simulated minutes to calendar dates and back (TIME-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    start: NaiveDate,
}

impl Clock {
    pub fn new(start: NaiveDate) -> Self {
        Clock { start }
    }

    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The calendar moment of a simulated minute.
    pub fn datetime(&self, m: Minute) -> NaiveDateTime {
        self.start.and_time(NaiveTime::MIN) + Duration::minutes(m)
    }

    /// The minute of a calendar moment (may be negative or past the end).
    pub fn minute_of(&self, dt: NaiveDateTime) -> Minute {
        (dt - self.start.and_time(NaiveTime::MIN)).num_minutes()
    }

    /// `YYYY-MM-DDTHH:MM`, the format of the state JSON and of the command line.
    pub fn format(&self, m: Minute) -> String {
        self.datetime(m).format("%Y-%m-%dT%H:%M").to_string()
    }

    /// `Friday 2026-03-06 17:00`: the weekday and date of a minute, for people.
    pub fn weekday_and_time(&self, m: Minute) -> String {
        self.datetime(m).format("%A %Y-%m-%d %H:%M").to_string()
    }

    /// `day N HH:MM`, relative to the start.
    pub fn format_relative(m: Minute) -> String {
        let day = m.div_euclid(MINUTES_PER_DAY);
        let rest = m.rem_euclid(MINUTES_PER_DAY);
        format!("day {} {:02}:{:02}", day, rest / 60, rest % 60)
    }

    /// The calendar month (`YYYY-MM`) of a minute (TIME-2).
    pub fn month_label(&self, m: Minute) -> String {
        let d = self.datetime(m);
        format!("{:04}-{:02}", d.year(), d.month())
    }

    /// A number that identifies the calendar month of a minute: year * 12 + month - 1.
    pub fn month_index(&self, m: Minute) -> i64 {
        let d = self.datetime(m);
        i64::from(d.year()) * 12 + i64::from(d.month0())
    }

    /// 00:00 on the 1st of the month after the month of `m` (TIME-2's monthly reset).
    pub fn next_month_start(&self, m: Minute) -> Minute {
        let d = self.datetime(m).date();
        let (y, mo) = if d.month() == 12 {
            (d.year() + 1, 1)
        } else {
            (d.year(), d.month() + 1)
        };
        match NaiveDate::from_ymd_opt(y, mo, 1) {
            Some(first) => self.minute_of(first.and_time(NaiveTime::MIN)),
            None => Minute::MAX,
        }
    }

    /// Parses a time as written in scenarios and on the command line:
    /// `day N HH:MM`, `day N` (00:00), `YYYY-MM-DDTHH:MM`, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD`.
    pub fn parse_time(&self, text: &str) -> Result<Minute, String> {
        let t = text.trim();
        let bad = || {
            format!("bad time `{text}`: write \"day N HH:MM\" (N days after the start) or \"YYYY-MM-DDTHH:MM\"")
        };
        if let Some(rest) = t.strip_prefix("day") {
            let rest = rest.trim_start();
            if rest.len() == t.len() - 3 {
                return Err(bad());
            }
            let mut parts = rest.split_whitespace();
            let day_text = parts.next().ok_or_else(bad)?;
            let day: i64 = parse_plain_int(day_text).ok_or_else(bad)?;
            let clock = match parts.next() {
                Some(hm) => parse_hh_mm(hm).ok_or_else(bad)?,
                None => 0,
            };
            if parts.next().is_some() {
                return Err(bad());
            }
            if day > MAX_DURATION / MINUTES_PER_DAY {
                return Err(format!("bad time `{text}`: day {day} is too far away"));
            }
            return Ok(day * MINUTES_PER_DAY + clock);
        }
        let (date_text, clock_text) = match t.find(['T', ' ']) {
            Some(i) => (&t[..i], Some(t[i + 1..].trim())),
            None => (t, None),
        };
        let date = parse_date(date_text).ok_or_else(bad)?;
        let clock = match clock_text {
            Some(hm) => parse_hh_mm(hm).ok_or_else(bad)?,
            None => 0,
        };
        let m = self.minute_of(date.and_time(NaiveTime::MIN)) + clock;
        if m.abs() > MAX_DURATION {
            return Err(format!("bad time `{text}`: too far from the start"));
        }
        Ok(m)
    }
}

/// Minute of the day, 0..1440, of a minute.
pub fn time_of_day(m: Minute) -> Minute {
    m.rem_euclid(MINUTES_PER_DAY)
}

/// 00:00 of the calendar day of `m`.
pub fn start_of_day(m: Minute) -> Minute {
    m.div_euclid(MINUTES_PER_DAY) * MINUTES_PER_DAY
}

fn parse_plain_int(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `HH:MM` (also `H:MM`) to minutes after midnight; `24:00` is not accepted.
pub fn parse_hh_mm(s: &str) -> Option<Minute> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h = parse_plain_int(h)?;
    let m = parse_plain_int(m)?;
    if h < 24 && m < 60 {
        Some(h * 60 + m)
    } else {
        None
    }
}

/// A calendar date `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(
        parse_plain_int(y)? as i32,
        parse_plain_int(m)? as u32,
        parse_plain_int(d)? as u32,
    )
}

/// Parses a duration: `90m`, `2h`, `7d`, or combined (`1h30m`, `1d 12h`).
pub fn parse_duration(text: &str) -> Result<Minute, String> {
    let bad = |why: &str| {
        format!("bad duration `{text}`: {why}; write minutes, hours and days like \"90m\", \"2h\", \"7d\" or \"1h30m\"")
    };
    let s = text.trim();
    if s.is_empty() {
        return Err(bad("it is empty"));
    }
    let mut total: Minute = 0;
    let mut number: Option<i64> = None;
    let mut seen_unit = false;
    for c in s.chars() {
        match c {
            '0'..='9' => {
                let digit = i64::from(c as u8 - b'0');
                let n = number.unwrap_or(0);
                number = Some(
                    n.checked_mul(10)
                        .and_then(|n| n.checked_add(digit))
                        .filter(|n| *n <= MAX_DURATION)
                        .ok_or_else(|| bad("it is too long (the limit is 100 years)"))?,
                );
            }
            'd' | 'h' | 'm' => {
                let n = number
                    .take()
                    .ok_or_else(|| bad("a unit without a number"))?;
                let unit = match c {
                    'd' => MINUTES_PER_DAY,
                    'h' => MINUTES_PER_HOUR,
                    _ => 1,
                };
                total = total
                    .checked_add(n.saturating_mul(unit))
                    .filter(|t| *t <= MAX_DURATION)
                    .ok_or_else(|| bad("it is too long (the limit is 100 years)"))?;
                seen_unit = true;
            }
            ' ' => {
                if number.is_some() {
                    return Err(bad("a number without a unit"));
                }
            }
            '-' => return Err(bad("durations cannot be negative")),
            _ => return Err(bad(&format!("`{c}` is not a unit"))),
        }
    }
    if number.is_some() {
        return Err(bad("a number without a unit"));
    }
    if !seen_unit {
        return Err(bad("no duration given"));
    }
    Ok(total)
}

/// Writes a duration in the shortest of the scenario forms (`1h30m`, `7d`).
pub fn format_duration(mut m: Minute) -> String {
    if m == 0 {
        return "0m".into();
    }
    let mut out = String::new();
    let d = m / MINUTES_PER_DAY;
    m %= MINUTES_PER_DAY;
    let h = m / 60;
    let mi = m % 60;
    if d > 0 {
        out.push_str(&format!("{d}d"));
    }
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if mi > 0 {
        out.push_str(&format!("{mi}m"));
    }
    out
}

/// Minute within the hour, for display.
pub fn hh_mm(m: Minute) -> String {
    let t = time_of_day(m);
    format!("{:02}:{:02}", t / 60, t % 60)
}

/// Weekday of a minute: 0 = Monday … 6 = Sunday.
pub fn weekday(clock: &Clock, m: Minute) -> u32 {
    clock.datetime(m).weekday().num_days_from_monday()
}

/// Hour of the day, for display.
pub fn hour(clock: &Clock, m: Minute) -> u32 {
    clock.datetime(m).hour()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::new(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
    }

    #[test]
    fn time_1_day_n_is_n_days_after_start() {
        let c = clock();
        assert_eq!(c.parse_time("day 1 09:00"), Ok(1440 + 540));
        assert_eq!(c.parse_time("day 0 00:00"), Ok(0));
        assert_eq!(c.parse_time("day 26"), Ok(26 * 1440));
        assert_eq!(c.parse_time("2026-03-02T09:00"), Ok(1440 + 540));
        assert_eq!(c.format(1440 + 540), "2026-03-02T09:00");
        assert!(c.parse_time("day x 09:00").is_err());
        assert!(c.parse_time("day 1 25:00").is_err());
        assert!(c.parse_time("2026-02-30T09:00").is_err());
        assert!(c.parse_time("day1 09:00").is_err());
    }

    #[test]
    fn time_2_months_are_calendar_months() {
        let c = clock();
        assert_eq!(c.month_label(0), "2026-03");
        assert_eq!(c.next_month_start(0), 31 * 1440);
        assert_eq!(c.month_label(31 * 1440), "2026-04");
        assert_eq!(c.month_label(31 * 1440 - 1), "2026-03");
    }

    #[test]
    fn durations_parse_and_print() {
        assert_eq!(parse_duration("90m"), Ok(90));
        assert_eq!(parse_duration("2h"), Ok(120));
        assert_eq!(parse_duration("7d"), Ok(7 * 1440));
        assert_eq!(parse_duration("1h30m"), Ok(90));
        assert_eq!(parse_duration("0m"), Ok(0));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("-5m").is_err());
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("99999999999999d").is_err());
        assert_eq!(format_duration(90), "1h30m");
        assert_eq!(format_duration(7 * 1440), "7d");
    }
}
