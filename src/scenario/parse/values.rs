//! The values of the format that are more than a count or a duration: choices (their words
//! from the schema), accesses, hours, end shares, TOML's own dates; and how a value is
//! named in a message.

use toml::Spanned as S;

use super::ctx::Ctx;
use super::names::Names;
use crate::base::time::{parse_hh_mm, Minute, MINUTES_PER_DAY};
use crate::scenario::schema::{self, Words};
use crate::scenario::{Access, EndShares, Ends, Identity};

/// A word of a choice table, or the message `unknown {what} `word`: expected "a" or "b"`.
pub(super) fn choice<T: Copy>(table: &Words<T>, text: &str, what: &str) -> Result<T, String> {
    schema::from_word(table, text).ok_or_else(|| {
        let words: Vec<&str> = table.iter().map(|(w, _)| *w).collect();
        format!(
            "unknown {what} `{text}`: expected {}",
            schema::quoted(&words)
        )
    })
}

fn parse_access(text: &str, names: &Names) -> Result<Access, String> {
    if let Some(access) = schema::plain_accesses().find(|(w, _)| *w == text) {
        return Ok(access.1);
    }
    match text.strip_prefix(schema::LOGIN_PREFIX) {
        Some(g) => match names.group(g.trim()) {
            Some(id) => Ok(Access::Login(id)),
            None => Err(format!(
                "unknown group `{}` in access `{text}`: declare it with [[group]]",
                g.trim()
            )),
        },
        None => {
            let words: Vec<&str> = schema::ACCESS_WORDS.iter().map(|(w, _)| *w).collect();
            Err(format!(
                "unknown access `{text}`: expected {}",
                schema::quoted(&words)
            ))
        }
    }
}

/// A user's or cohort's `access` and `identity`, with UAP-1's check; `None` after an error.
pub(super) fn access_and_identity(
    cx: &mut Ctx,
    access_text: &S<&str>,
    identity: &Option<S<&str>>,
    names: &Names,
    who: &str,
) -> Option<(Access, Identity)> {
    let access = match parse_access(access_text.get_ref(), names) {
        Ok(a) => a,
        Err(e) => {
            cx.err(access_text.span(), e);
            return None;
        }
    };
    let identity = match identity {
        None => Identity::Identified,
        Some(i) => match choice(&schema::IDENTITY_WORDS, i.get_ref(), "identity") {
            Ok(i) => i,
            Err(e) => {
                cx.err(i.span(), e);
                return None;
            }
        },
    };
    if identity == Identity::Anonymous && named_access(access) {
        cx.err(
            access_text.span(),
            format!(
                "{who} cannot hold a named access (`{}`): use a login access group, capacity or dynamic (UAP-1)",
                access_text.get_ref()
            ),
        );
        return None;
    }
    Some((access, identity))
}

/// UAP-1: anonymous users cannot hold a named access. `dynamic` is not one: NU-4 can
/// only give an anonymous user Analyzer Capacity.
fn named_access(access: Access) -> bool {
    matches!(
        access,
        Access::UserPass | Access::Professional | Access::Analyzer
    )
}

pub(super) fn parse_ends(text: &str) -> Result<Ends, String> {
    choice(&schema::END_WORDS, text, "end")
}

/// `"08:00-18:00"`: visits start inside this window (`24:00` is allowed as the end).
pub(super) fn parse_hours(text: &str) -> Result<(Minute, Minute), String> {
    let bad = || format!("bad hours `{text}`: write \"HH:MM-HH:MM\", like \"08:00-18:00\"");
    let (a, b) = text.split_once('-').ok_or_else(bad)?;
    let from = parse_hh_mm(a.trim()).ok_or_else(bad)?;
    let to = if b.trim() == "24:00" {
        MINUTES_PER_DAY
    } else {
        parse_hh_mm(b.trim()).ok_or_else(bad)?
    };
    if to <= from {
        return Err(format!(
            "bad hours `{text}`: the window must end after it starts"
        ));
    }
    Ok((from, to))
}

/// `ends` of a cohort: one word, or shares like `{ logout = 0.6, timeout = 0.4 }`.
pub(super) fn parse_end_shares(v: &toml::Value) -> Result<EndShares, String> {
    let mut shares = EndShares {
        logout: 0.0,
        close: 0.0,
        timeout: 0.0,
    };
    fn share(shares: &mut EndShares, end: Ends) -> &mut f64 {
        match end {
            Ends::Logout => &mut shares.logout,
            Ends::Close => &mut shares.close,
            Ends::Timeout => &mut shares.timeout,
        }
    }
    match v {
        toml::Value::String(s) => *share(&mut shares, parse_ends(s)?) = 1.0,
        toml::Value::Table(t) => {
            for (k, v) in t {
                let x = match v {
                    toml::Value::Integer(i) => *i as f64,
                    toml::Value::Float(f) => *f,
                    _ => return Err(format!("the share of `{k}` must be a number")),
                };
                if !x.is_finite() || x < 0.0 {
                    return Err(format!("the share of `{k}` must be zero or more"));
                }
                *share(&mut shares, parse_ends(k)?) = x;
            }
            if shares.logout + shares.close + shares.timeout <= 0.0 {
                return Err("the shares of `ends` add up to zero".into());
            }
        }
        _ => {
            return Err(format!(
                "`ends` must be {} or shares like {{ logout = 0.6, timeout = 0.4 }}",
                schema::ENDS
                    .iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    }
    Ok(shares)
}

/// A date or time as the scenario wrote it, for messages.
pub(super) fn when_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => value_words(other),
    }
}

/// A TOML value's kind in the words of a scenario's author.
pub(super) fn value_words(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("the text \"{s}\""),
        toml::Value::Integer(i) => format!("the number {i}"),
        toml::Value::Float(f) => format!("the number {f}"),
        toml::Value::Boolean(b) => format!("`{b}`"),
        toml::Value::Datetime(d) => format!("the date `{d}`"),
        toml::Value::Array(_) => "a list [ … ]".into(),
        toml::Value::Table(_) => "a table { … }".into(),
    }
}

/// TOML's own local date or date-time (unquoted, SCENARIOS.md) as a calendar day and a
/// minute of that day. Simulated time has no time zones and counts whole minutes (TIME-1):
/// an offset, seconds other than 0 or a time of day without a date are errors.
pub(super) fn toml_moment(
    d: &toml::value::Datetime,
) -> Result<(chrono::NaiveDate, Minute), String> {
    let example = |date: Option<&toml::value::Date>, hour: u8, minute: u8| match date {
        Some(x) => format!(
            "{:04}-{:02}-{:02}T{hour:02}:{minute:02}",
            x.year, x.month, x.day
        ),
        None => format!("2026-03-02T{hour:02}:{minute:02}"),
    };
    let (hour, minute) = d.time.map(|t| (t.hour, t.minute)).unwrap_or((0, 0));
    if let Some(o) = &d.offset {
        return Err(format!(
            "a time zone offset ({o}) is not allowed, simulated time has no time zones (TIME-1); write the local time, like {}",
            example(d.date.as_ref(), hour, minute)
        ));
    }
    let Some(date) = &d.date else {
        return Err(format!(
            "a time of day needs its day: write \"day N {hour:02}:{minute:02}\" or a date and time, like {}",
            example(None, hour, minute)
        ));
    };
    if let Some(t) = &d.time {
        if t.second.unwrap_or(0) != 0 || t.nanosecond.unwrap_or(0) != 0 {
            return Err(format!(
                "seconds must be 0, simulated time counts whole minutes (TIME-1); write {}",
                example(Some(date), hour, minute)
            ));
        }
    }
    let day = chrono::NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
    .ok_or_else(|| "not a day of the calendar".to_string())?;
    Ok((day, Minute::from(hour) * 60 + Minute::from(minute)))
}
