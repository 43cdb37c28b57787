//! Date-times as exports write them, converted to UTC seconds (TIME-2: the scenario's
//! clock is UTC). Accepted: ISO 8601 / RFC 3339 (`2026-03-02T09:00:12.345+01:00`, `Z`, a
//! space for `T`, seconds and fractions optional, offsets `+01:00`, `+0100` or `+01`),
//! the basic form of Qlik's log files (`20260302T090012.345+0100`), and `YYYY-MM-DD`
//! alone. A time without an offset is read as UTC.

use chrono::NaiveDate;

/// Seconds since 1970-01-01 00:00 UTC.
pub type Seconds = i64;

/// What a time cell should look like, for error messages.
pub const EXPECTED: &str =
    "a date and time like 2026-03-02T09:00:00Z, 2026-03-02 09:00:00+01:00 or 20260302T090000.000+0100";

/// QRS writes 1753-01-01 (SQL Server's smallest date) for "never": such dates are absent.
pub fn is_never(s: Seconds) -> bool {
    s < -6_000_000_000
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = b.get(at..at + n)?;
    let mut v = 0u32;
    for &c in part {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// Parses one date-time; `None` when it is not one of the accepted forms.
pub fn parse(text: &str) -> Option<Seconds> {
    let b = text.trim().as_bytes();
    // Date: YYYY-MM-DD (extended) or YYYYMMDD (basic).
    let (y, mo, d, mut i, basic) = if b.get(4) == Some(&b'-') {
        if b.get(7) != Some(&b'-') {
            return None;
        }
        (
            digits(b, 0, 4)?,
            digits(b, 5, 2)?,
            digits(b, 8, 2)?,
            10,
            false,
        )
    } else {
        (
            digits(b, 0, 4)?,
            digits(b, 4, 2)?,
            digits(b, 6, 2)?,
            8,
            true,
        )
    };
    let date = NaiveDate::from_ymd_opt(y as i32, mo, d)?;
    let days = i64::from(date.num_days_from_ce()) - 719_163;
    let (mut h, mut mi, mut s) = (0u32, 0u32, 0u32);
    if i < b.len() {
        if !matches!(b[i], b'T' | b't' | b' ') {
            return None;
        }
        i += 1;
        h = digits(b, i, 2)?;
        i += 2;
        if !basic || b.get(i).is_some_and(|c| *c == b':') {
            if b.get(i) == Some(&b':') {
                i += 1;
            }
            mi = digits(b, i, 2)?;
            i += 2;
            if b.get(i) == Some(&b':') {
                s = digits(b, i + 1, 2)?;
                i += 3;
            }
        } else {
            mi = digits(b, i, 2)?;
            i += 2;
            if let Some(v) = digits(b, i, 2) {
                s = v;
                i += 2;
            }
        }
        // Fractions of a second are dropped.
        if matches!(b.get(i), Some(b'.' | b',')) {
            i += 1;
            let from = i;
            while b.get(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            if i == from {
                return None;
            }
        }
    }
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut offset: i64 = 0;
    match b.get(i) {
        None => {}
        Some(b'Z' | b'z') if i + 1 == b.len() => {}
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, i + 1, 2)?;
            let mut j = i + 3;
            if b.get(j) == Some(&b':') {
                j += 1;
            }
            let om = if j < b.len() {
                let v = digits(b, j, 2)?;
                j += 2;
                v
            } else {
                0
            };
            if j != b.len() || oh > 23 || om > 59 {
                return None;
            }
            offset = i64::from(oh * 3600 + om * 60);
            if sign == b'-' {
                offset = -offset;
            }
        }
        _ => return None,
    }
    Some(days * 86_400 + i64::from(h * 3600 + mi * 60 + s.min(59)) - offset)
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) for messages and the summary.
pub fn format(s: Seconds) -> String {
    let days = s.div_euclid(86_400);
    let rest = s.rem_euclid(86_400);
    let date = NaiveDate::from_num_days_from_ce_opt((days + 719_163) as i32)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "?".into());
    format!(
        "{date} {:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

use chrono::Datelike as _;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_2_times_with_an_offset_are_converted_to_utc() {
        let utc = parse("2026-03-02T09:00:00Z").unwrap();
        assert_eq!(format(utc), "2026-03-02 09:00:00");
        assert_eq!(parse("2026-03-02T10:00:00+01:00"), Some(utc));
        assert_eq!(parse("2026-03-02T10:00:00.123+0100"), Some(utc));
        assert_eq!(parse("2026-03-02 04:00:00-05"), Some(utc));
        assert_eq!(parse("20260302T100000.000+0100"), Some(utc));
        assert_eq!(parse("2026-03-02T09:00"), Some(utc));
        assert_eq!(parse("2026-03-02 09:00:00"), Some(utc));
        assert_eq!(parse("2026-03-02"), Some(utc - 9 * 3600));
        // Across midnight and the month.
        assert_eq!(
            format(parse("2026-03-01T00:30:00+01:00").unwrap()),
            "2026-02-28 23:30:00"
        );
    }

    #[test]
    fn bad_times_are_refused() {
        for bad in [
            "",
            "yesterday",
            "2026-02-30T09:00",
            "2026-03-02T25:00",
            "2026-03-02T09:00+",
            "2026-03-02T09:00:00Zulu",
            "2026/03/02 09:00",
            "2026-03-02T09",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn qrs_never_is_absent() {
        assert!(is_never(parse("1753-01-01T00:00:00.000Z").unwrap()));
        assert!(!is_never(parse("2000-01-23T04:56:07.000+00:00").unwrap()));
    }
}
