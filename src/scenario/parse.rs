//! Scenario text → validated [`Scenario`] (SCENARIOS.md). The TOML is read with serde into
//! raw structures that keep every value's position, then checked as a whole: the file is
//! accepted whole or rejected whole, with every problem located at its line and column.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::builder::{Head, ScenarioBuilder};
use super::error::{LineIndex, ScenarioError, ScenarioErrors};
use super::limits;
use super::*;
use crate::base::time::{parse_duration, parse_hh_mm, Clock, Minute, MINUTES_PER_DAY};

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Option<S<String>>,
    description: Option<S<String>>,
    /// A quoted `"YYYY-MM-DD"` or TOML's own local date (`start = 2026-03-01`).
    start: Option<S<toml::Value>>,
    days: Option<S<i64>>,
    seed: Option<S<i64>>,
    visits: Option<S<String>>,
    license: Option<S<RawLicense>>,
    settings: Option<RawSettings>,
    prices: Option<RawPrices>,
    #[serde(default)]
    group: Vec<S<RawGroup>>,
    #[serde(default)]
    user: Vec<S<RawUser>>,
    #[serde(default)]
    cohort: Vec<S<RawCohort>>,
    #[serde(default)]
    visit: Vec<S<RawVisit>>,
    #[serde(default)]
    action: Vec<S<RawAction>>,
    #[serde(default)]
    node: Vec<S<RawNode>>,
    #[serde(default)]
    deployment: Vec<S<RawDeployment>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLicense {
    kind: Option<S<String>>,
    tokens: Option<S<i64>>,
    professional: Option<S<i64>>,
    analyzer: Option<S<i64>>,
    analyzer_capacity_packs: Option<S<i64>>,
    overage: Option<S<toml::Value>>,
    core_minutes: Option<S<i64>>,
    cores: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    inactivity_timeout: Option<S<String>>,
    login_pass_window: Option<S<String>>,
    login_pass_return: Option<S<String>>,
    quarantine: Option<S<String>>,
    capacity_block: Option<S<String>>,
    capacity_parallel: Option<S<String>>,
    core_session: Option<S<String>>,
    max_connections: Option<S<i64>>,
    connection_cooldown: Option<S<String>>,
    node_grace: Option<S<String>>,
    sync_interval: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrices {
    token: Option<S<toml::Value>>,
    professional: Option<S<toml::Value>>,
    analyzer: Option<S<toml::Value>>,
    capacity_pack: Option<S<toml::Value>>,
    overage_minute: Option<S<toml::Value>>,
    currency: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: Option<S<String>>,
    tokens: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUser {
    name: Option<S<String>>,
    access: Option<S<String>>,
    identity: Option<S<String>>,
    node: Option<S<String>>,
    deployment: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCohort {
    name: Option<S<String>>,
    count: Option<S<i64>>,
    access: Option<S<String>>,
    identity: Option<S<String>>,
    visits_per_month: Option<S<toml::Value>>,
    visit_length: Option<S<String>>,
    visit_length_spread: Option<S<String>>,
    hours: Option<S<String>>,
    weekdays: Option<S<bool>>,
    devices: Option<S<i64>>,
    ends: Option<S<toml::Value>>,
    node: Option<S<String>>,
    deployment: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVisit {
    user: Option<S<String>>,
    /// Quoted text or TOML's own local date-time (see [`Ctx::when`]).
    at: Option<S<toml::Value>>,
    active: Option<S<String>>,
    ends: Option<S<String>>,
    device: Option<S<String>>,
    session_id: Option<S<String>>,
    node: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    at: Option<S<toml::Value>>,
    #[serde(rename = "do")]
    what: Option<S<String>>,
    user: Option<S<String>>,
    group: Option<S<String>>,
    tokens: Option<S<i64>>,
    kind: Option<S<String>>,
    node: Option<S<String>>,
    deployment: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    name: Option<S<String>>,
    role: Option<S<String>>,
    engine: Option<S<bool>>,
    cores: Option<S<i64>>,
    allocated_cores: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeployment {
    name: Option<S<String>>,
}

/// Collects problems while the raw file is checked.
struct Ctx<'a> {
    lines: LineIndex<'a>,
    errors: Vec<ScenarioError>,
    /// Not errors: things a tool may point out (an action at or after the end).
    notes: Vec<ScenarioError>,
}

impl Ctx<'_> {
    fn err(&mut self, span: Range<usize>, message: impl Into<String>) {
        let e = self.lines.error(span, message);
        self.errors.push(e);
    }

    /// A key that must be present in a table.
    fn required<'v, T>(
        &mut self,
        value: &'v Option<S<T>>,
        table_span: &Range<usize>,
        what: &str,
    ) -> Option<&'v S<T>> {
        if value.is_none() {
            self.err(table_span.clone(), format!("missing key {what}"));
        }
        value.as_ref()
    }

    fn count(&mut self, v: &S<i64>, what: &str, max: i64) -> Option<i64> {
        let n = *v.get_ref();
        if n < 0 {
            self.err(v.span(), format!("{what} cannot be negative (got {n})"));
            None
        } else if n > max {
            self.err(
                v.span(),
                format!("{what} is too large (got {n}, the limit is {max})"),
            );
            None
        } else {
            Some(n)
        }
    }

    fn opt_count(&mut self, v: &Option<S<i64>>, what: &str, max: i64) -> i64 {
        v.as_ref()
            .and_then(|v| self.count(v, what, max))
            .unwrap_or(0)
    }

    fn duration(&mut self, v: &S<String>, what: &str, min: Minute) -> Option<Minute> {
        match parse_duration(v.get_ref()) {
            Ok(d) if d < min => {
                self.err(
                    v.span(),
                    format!(
                        "{what} must be at least {}",
                        crate::base::time::format_duration(min)
                    ),
                );
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                self.err(v.span(), format!("{what}: {e}"));
                None
            }
        }
    }

    fn number(&mut self, v: &S<toml::Value>, what: &str) -> Option<f64> {
        let n = match v.get_ref() {
            toml::Value::Integer(i) => *i as f64,
            toml::Value::Float(f) => *f,
            other => {
                self.err(
                    v.span(),
                    format!("{what} must be a number, not {}", other.type_str()),
                );
                return None;
            }
        };
        if !n.is_finite() || n < 0.0 {
            self.err(v.span(), format!("{what} must be a number of zero or more"));
            return None;
        }
        Some(n)
    }

    fn note(&mut self, span: Range<usize>, message: impl Into<String>) {
        let e = self.lines.error(span, message);
        self.notes.push(e);
    }

    /// A moment (`at`): quoted text (`"day N HH:MM"`, `"YYYY-MM-DDTHH:MM"`) or TOML's own
    /// local date or date-time, unquoted (`at = 2026-03-02T09:00`; SCENARIOS.md).
    fn when(&mut self, clock: Option<&Clock>, v: &S<toml::Value>, what: &str) -> Option<Minute> {
        match v.get_ref() {
            toml::Value::String(text) => self.time_at(clock, text, v.span(), what),
            toml::Value::Datetime(d) => match toml_moment(d) {
                Ok((date, minute)) => {
                    let clock = clock?;
                    let m = clock.minute_of(date.and_time(chrono::NaiveTime::MIN)) + minute;
                    if m.abs() > crate::base::time::MAX_DURATION {
                        self.err(
                            v.span(),
                            format!("{what}: bad time `{d}`: too far from the start"),
                        );
                        return None;
                    }
                    Some(m)
                }
                Err(why) => {
                    self.err(v.span(), format!("{what}: bad time `{d}`: {why}"));
                    None
                }
            },
            other => {
                self.err(
                    v.span(),
                    format!(
                        "{what} must be a time, like \"day 1 09:00\" or 2026-03-02T09:00, not {}",
                        value_words(other)
                    ),
                );
                None
            }
        }
    }

    /// A moment written as text (`"day N HH:MM"`, `"YYYY-MM-DDTHH:MM"`) at `span`.
    fn time_at(
        &mut self,
        clock: Option<&Clock>,
        text: &str,
        span: Range<usize>,
        what: &str,
    ) -> Option<Minute> {
        let clock = clock?;
        match clock.parse_time(text) {
            Ok(m) => Some(m),
            Err(e) => {
                self.err(span, format!("{what}: {e}"));
                None
            }
        }
    }

    /// `start`: a quoted `"YYYY-MM-DD"` or TOML's own local date, unquoted.
    fn date(&mut self, v: &S<toml::Value>) -> Option<chrono::NaiveDate> {
        let bad = |why: String| {
            format!("`start`: {why}; write the first day like start = 2026-03-01 or \"2026-03-01\"")
        };
        let result = match v.get_ref() {
            toml::Value::String(text) => {
                crate::base::time::parse_date(text).ok_or_else(|| bad(format!("bad date `{text}`")))
            }
            toml::Value::Datetime(d) => {
                if d.date.is_none() {
                    Err(bad(format!("`{d}` is a time of day, not a date")))
                } else if let Some(o) = &d.offset {
                    Err(bad(format!(
                        "`{d}` has a time zone offset ({o}); simulated time has no time zones (TIME-1)"
                    )))
                } else if d.time.is_some() {
                    Err(bad(format!(
                        "`{d}` is a date and time; a scenario starts at 00:00 of its first day"
                    )))
                } else {
                    toml_moment(d)
                        .map(|(date, _)| date)
                        .map_err(|why| bad(format!("bad date `{d}`: {why}")))
                }
            }
            other => Err(bad(format!(
                "a date is expected, not {}",
                value_words(other)
            ))),
        };
        match result {
            Ok(d) => Some(d),
            Err(e) => {
                self.err(v.span(), e);
                None
            }
        }
    }
}

/// A date or time as the scenario wrote it, for messages.
fn when_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => value_words(other),
    }
}

/// A TOML value's kind in the words of a scenario's author.
fn value_words(v: &toml::Value) -> String {
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
fn toml_moment(d: &toml::value::Datetime) -> Result<(chrono::NaiveDate, Minute), String> {
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

/// Parses and validates a scenario. On failure, every problem found is returned, each
/// located at its line and column; nothing of the file is kept.
pub fn parse(text: &str) -> Result<Scenario, ScenarioErrors> {
    parse_with_notes(text).map(|(scenario, _)| scenario)
}

/// [`parse`], with the notes on a valid file: things that are not errors but that a tool
/// may point out (an action at or after the end, never applied), located like errors.
pub fn parse_with_notes(text: &str) -> Result<(Scenario, Vec<ScenarioError>), ScenarioErrors> {
    let lines = LineIndex::new(text);
    if let Err(message) = super::visits_table::check_size(text) {
        return Err(ScenarioErrors(vec![ScenarioError {
            line: 1,
            column: 1,
            message,
        }]));
    }
    let raw: RawScenario = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().replace('\n', " ");
            let message = plain_type_error(&message, text, &span)
                .unwrap_or_else(|| tidy_toml_message(&message));
            return Err(ScenarioErrors(vec![lines.error(span, message)]));
        }
    };
    let mut cx = Ctx {
        lines,
        errors: Vec::new(),
        notes: Vec::new(),
    };
    let scenario = build(&mut cx, raw);
    if cx.errors.is_empty() {
        if let Some(s) = scenario {
            cx.notes.sort_by_key(|e| (e.line, e.column));
            return Ok((s, cx.notes));
        }
        cx.errors.push(ScenarioError {
            line: 1,
            column: 1,
            message: "the scenario is incomplete".into(),
        });
    }
    cx.errors.sort_by_key(|e| (e.line, e.column));
    cx.errors.dedup();
    Err(ScenarioErrors(cx.errors))
}

/// serde's "invalid type: map, expected a string" in the scenario's own words: which key,
/// what it must be, what was written instead. `None` for other messages.
fn plain_type_error(message: &str, text: &str, span: &Range<usize>) -> Option<String> {
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.rsplit_once(", expected ")?;
    // The key: the name before `=` on the value's line.
    let start = span.start.min(text.len());
    let prefix = text.get(..start).unwrap_or("");
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    let before = prefix.get(line_start..).unwrap_or("").trim_end();
    let key = before.strip_suffix('=').map(|b| {
        let b = b.trim_end();
        let from = b
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map_or(0, |i| i + 1);
        &b[from..]
    });
    let key = key.filter(|k| !k.is_empty());
    let first = text.get(start..).and_then(|t| t.chars().next());
    if let Some(n) = found
        .strip_prefix("integer `")
        .and_then(|f| f.strip_suffix("` as i128"))
    {
        return Some(match key {
            Some(k) => format!("`{k}` is too large (got {n}, the limit is {})", i64::MAX),
            None => format!("the number {n} is too large (the limit is {})", i64::MAX),
        });
    }
    let found = if let Some(n) = found.strip_prefix("integer `") {
        format!("the number {}", n.trim_end_matches('`'))
    } else if let Some(n) = found.strip_prefix("floating point `") {
        format!("the number {}", n.trim_end_matches('`'))
    } else if let Some(t) = found.strip_prefix("string ") {
        format!("the text {t}")
    } else if let Some(b) = found.strip_prefix("boolean ") {
        b.to_string()
    } else if found == "sequence" {
        "a list [ … ]".to_string()
    } else if found == "map" {
        match first {
            Some('{') => "a table { … }".to_string(),
            Some(c) if c.is_ascii_digit() => "a date or time".to_string(),
            _ => "a table".to_string(),
        }
    } else {
        found.to_string()
    };
    let kind = key.and_then(|k| {
        super::schema::FIELDS
            .iter()
            .find(|f| f.key == k)
            .map(|f| f.kind)
    });
    let expected = match expected {
        "a string" => {
            use super::schema::Kind;
            match kind {
                Some(Kind::Duration) => "a duration in quotes, like \"90m\"".to_string(),
                Some(Kind::Hours) => "hours in quotes, like \"08:00-18:00\"".to_string(),
                Some(Kind::Access) => {
                    "an access in quotes, like \"user_pass\" or \"login:GROUP\"".to_string()
                }
                Some(Kind::Choice(options)) => format!(
                    "one of {}",
                    options
                        .iter()
                        .map(|o| format!("\"{o}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => "text in quotes".to_string(),
            }
        }
        "i64" => "a whole number".to_string(),
        "a boolean" => "true or false".to_string(),
        "a sequence" => match key {
            Some(k) => format!("tables written [[{k}]]"),
            None => "a list of tables".to_string(),
        },
        e if e.starts_with("struct ") => match key {
            Some(k) => format!("a table written [{k}]"),
            None => "a table".to_string(),
        },
        e => e.to_string(),
    };
    Some(match key {
        Some(k) => format!("`{k}` must be {expected}, not {found}"),
        None => format!("expected {expected}, not {found}"),
    })
}

/// serde's messages say "field"; scenario authors write "keys".
fn tidy_toml_message(m: &str) -> String {
    if m == "duplicate key" {
        return "this key is already written in the same table: write each key once".into();
    }
    if m.starts_with("string values must be quoted") {
        return "text must be in quotes, like \"day 1 09:00\" or \"90m\"".into();
    }
    m.replace("unknown field", "unknown key")
        .replace("missing field", "missing key")
        .replace("expected one of", "expected one of the keys")
}

fn parse_access(text: &str, groups: &HashMap<&str, GroupId>) -> Result<Access, String> {
    Ok(match text {
        "user_pass" => Access::UserPass,
        "professional" => Access::Professional,
        "analyzer" => Access::Analyzer,
        "capacity" => Access::Capacity,
        "dynamic" => Access::Dynamic,
        "core" => Access::Core,
        other => match other.strip_prefix("login:") {
            Some(g) => match groups.get(g.trim()) {
                Some(id) => Access::Login(*id),
                None => return Err(format!("unknown group `{}` in access `{other}`: declare it with [[group]]", g.trim())),
            },
            None => {
                return Err(format!(
                    "unknown access `{other}`: expected \"user_pass\", \"login:GROUP\", \"professional\", \"analyzer\", \"capacity\", \"dynamic\" or \"core\""
                ))
            }
        },
    })
}

fn parse_identity(text: &str) -> Result<Identity, String> {
    match text {
        "identified" => Ok(Identity::Identified),
        "anonymous" => Ok(Identity::Anonymous),
        other => Err(format!(
            "unknown identity `{other}`: expected \"identified\" or \"anonymous\""
        )),
    }
}

/// A user's or cohort's `access` and `identity`, with UAP-1's check; `None` after an error.
fn access_and_identity(
    cx: &mut Ctx,
    access_text: &S<String>,
    identity: &Option<S<String>>,
    groups: &HashMap<&str, GroupId>,
    who: &str,
) -> Option<(Access, Identity)> {
    let access = match parse_access(access_text.get_ref(), groups) {
        Ok(a) => a,
        Err(e) => {
            cx.err(access_text.span(), e);
            return None;
        }
    };
    let identity = match identity {
        None => Identity::Identified,
        Some(i) => match parse_identity(i.get_ref()) {
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

fn parse_ends(text: &str) -> Result<Ends, String> {
    match text {
        "logout" => Ok(Ends::Logout),
        "close" => Ok(Ends::Close),
        "timeout" => Ok(Ends::Timeout),
        other => Err(format!(
            "unknown end `{other}`: expected \"logout\", \"close\" or \"timeout\""
        )),
    }
}

fn parse_seat(text: &str) -> Result<Seat, String> {
    match text {
        "professional" => Ok(Seat::Professional),
        "analyzer" => Ok(Seat::Analyzer),
        other => Err(format!(
            "unknown kind `{other}`: expected \"professional\" or \"analyzer\""
        )),
    }
}

fn build(cx: &mut Ctx, raw: RawScenario) -> Option<Scenario> {
    let whole = 0..0;

    // --- top level ---
    let name = raw
        .name
        .as_ref()
        .map(|n| n.get_ref().trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Untitled scenario".to_string());
    let description = raw
        .description
        .as_ref()
        .map(|d| d.get_ref().clone())
        .unwrap_or_default();
    let clock = match &raw.start {
        None => {
            cx.err(
                whole.clone(),
                "missing key `start` (the first day, \"YYYY-MM-DD\")",
            );
            None
        }
        Some(s) => cx.date(s).map(Clock::new),
    };
    let days = match &raw.days {
        None => {
            cx.err(
                whole.clone(),
                "missing key `days` (how many days to simulate)",
            );
            None
        }
        Some(d) => {
            let n = *d.get_ref();
            if n < 1 {
                cx.err(d.span(), format!("`days` must be at least 1 (got {n})"));
                None
            } else if n > limits::MAX_DAYS {
                cx.err(
                    d.span(),
                    format!(
                        "`days` is too large (got {n}, the limit is {} days, 100 years)",
                        limits::MAX_DAYS
                    ),
                );
                None
            } else {
                Some(n)
            }
        }
    };
    // Any 64-bit integer, negative too: the generator takes its two's-complement bits
    // (`seed = -1` is 0xFFFF_FFFF_FFFF_FFFF; see `cohort`).
    let seed = raw.seed.as_ref().map(|s| *s.get_ref()).unwrap_or(0) as u64;
    let end = days.map(|d| d * MINUTES_PER_DAY);

    // --- [license] ---
    let mut license = License {
        kind: LicenseKind::Perpetual,
        tokens: 0,
        professional: 0,
        analyzer: 0,
        analyzer_capacity_packs: 0,
        overage: Overage::None,
        core_minutes: 0,
        cores: None,
    };
    let mut license_span = whole.clone();
    let mut license_kind_span = whole.clone();
    let mut capacity_span = whole.clone();
    let mut analyzer_span = whole.clone();
    if let Some(l) = &raw.license {
        license_span = l.span();
        let l = l.get_ref();
        if let Some(k) = &l.kind {
            license_kind_span = k.span();
            match k.get_ref().as_str() {
                "perpetual" => license.kind = LicenseKind::Perpetual,
                "subscription" => license.kind = LicenseKind::Subscription,
                other => cx.err(
                    k.span(),
                    format!("unknown license kind `{other}`: expected \"perpetual\" or \"subscription\" (TOK-5: one LEF is one or the other)"),
                ),
            }
        }
        license.tokens = cx.opt_count(&l.tokens, "`tokens`", limits::MAX_COUNT);
        license.professional = cx.opt_count(&l.professional, "`professional`", limits::MAX_COUNT);
        license.analyzer = cx.opt_count(&l.analyzer, "`analyzer`", limits::MAX_COUNT);
        if let Some(a) = &l.analyzer {
            analyzer_span = a.span();
        }
        license.analyzer_capacity_packs = cx.opt_count(
            &l.analyzer_capacity_packs,
            "`analyzer_capacity_packs`",
            limits::MAX_COUNT / 1000,
        );
        if let Some(c) = &l.analyzer_capacity_packs {
            capacity_span = c.span();
        }
        license.core_minutes = cx.opt_count(&l.core_minutes, "`core_minutes`", limits::MAX_COUNT);
        license.cores = l
            .cores
            .as_ref()
            .and_then(|c| cx.count(c, "`cores`", 1_000_000));
        if let Some(o) = &l.overage {
            match o.get_ref() {
                toml::Value::String(s) if s == "none" => license.overage = Overage::None,
                toml::Value::String(s) if s == "unlimited" => license.overage = Overage::Unlimited,
                toml::Value::Integer(n) if *n >= 0 && *n <= limits::MAX_COUNT => {
                    license.overage = Overage::Minutes(*n)
                }
                toml::Value::Integer(n) if *n < 0 => {
                    cx.err(o.span(), format!("`overage` cannot be negative (got {n})"))
                }
                _ => cx.err(
                    o.span(),
                    "`overage` must be \"none\", \"unlimited\" or a number of minutes (CAP-3)",
                ),
            }
        }
    }
    // NU-1: Analyzer and Analyzer Capacity need at least one Professional allocation.
    if license.professional == 0 {
        if license.analyzer > 0 {
            cx.err(
                analyzer_span,
                "an Analyzer allocation needs at least one Professional allocation in the license (NU-1)",
            );
        }
        if license.analyzer_capacity_packs > 0 {
            cx.err(
                capacity_span,
                "Analyzer Capacity needs at least one Professional allocation in the license (NU-1)",
            );
        }
    }

    // --- [settings] ---
    let mut settings = Settings::default();
    if let Some(s) = &raw.settings {
        let dur =
            |cx: &mut Ctx, v: &Option<S<String>>, name: &str, min: Minute, slot: &mut Minute| {
                if let Some(v) = v {
                    if let Some(d) = cx.duration(v, &format!("`{name}`"), min) {
                        *slot = d;
                    }
                }
            };
        dur(
            cx,
            &s.inactivity_timeout,
            "inactivity_timeout",
            0,
            &mut settings.inactivity_timeout,
        );
        dur(
            cx,
            &s.login_pass_window,
            "login_pass_window",
            1,
            &mut settings.login_pass_window,
        );
        dur(
            cx,
            &s.login_pass_return,
            "login_pass_return",
            1,
            &mut settings.login_pass_return,
        );
        dur(cx, &s.quarantine, "quarantine", 0, &mut settings.quarantine);
        dur(
            cx,
            &s.capacity_block,
            "capacity_block",
            1,
            &mut settings.capacity_block,
        );
        dur(
            cx,
            &s.core_session,
            "core_session",
            1,
            &mut settings.core_session,
        );
        dur(
            cx,
            &s.connection_cooldown,
            "connection_cooldown",
            0,
            &mut settings.connection_cooldown,
        );
        dur(cx, &s.node_grace, "node_grace", 0, &mut settings.node_grace);
        dur(
            cx,
            &s.sync_interval,
            "sync_interval",
            1,
            &mut settings.sync_interval,
        );
        if let Some(p) = &s.capacity_parallel {
            match p.get_ref().as_str() {
                "per_device" => settings.capacity_parallel = CapacityParallel::PerDevice,
                "per_user" => settings.capacity_parallel = CapacityParallel::PerUser,
                other => cx.err(
                    p.span(),
                    format!("unknown `capacity_parallel` `{other}`: expected \"per_device\" or \"per_user\" (CAP-2)"),
                ),
            }
        }
        if let Some(m) = &s.max_connections {
            // 0 is valid: every capped connection is refused (CONN-1).
            if let Some(n) = cx.count(m, "`max_connections`", limits::MAX_CONNECTIONS) {
                settings.max_connections = n;
            }
        }
    }

    // --- [prices] ---
    let mut prices = Prices::default();
    if let Some(p) = &raw.prices {
        let price = |cx: &mut Ctx, v: &Option<S<toml::Value>>, name: &str| {
            v.as_ref()
                .and_then(|v| cx.number(v, &format!("price `{name}`")))
        };
        prices.token = price(cx, &p.token, "token");
        prices.professional = price(cx, &p.professional, "professional");
        prices.analyzer = price(cx, &p.analyzer, "analyzer");
        prices.capacity_pack = price(cx, &p.capacity_pack, "capacity_pack");
        prices.overage_minute = price(cx, &p.overage_minute, "overage_minute");
        prices.currency = p
            .currency
            .as_ref()
            .map(|c| c.get_ref().clone())
            .unwrap_or_default();
    }

    // --- [[node]] (NODE-1) ---
    let mut nodes = Vec::new();
    let mut node_ids: HashMap<String, NodeId> = HashMap::new();
    if raw.node.len() > limits::MAX_NODES {
        cx.err(
            raw.node[limits::MAX_NODES].span(),
            format!("too many nodes (the limit is {})", limits::MAX_NODES),
        );
    }
    for n in raw.node.iter().take(limits::MAX_NODES) {
        let span = n.span();
        let r = n.get_ref();
        let Some(name) = cx.required(&r.name, &span, "`name`") else {
            continue;
        };
        if node_ids.contains_key(name.get_ref()) {
            cx.err(
                name.span(),
                format!("duplicate node name `{}`", name.get_ref()),
            );
            continue;
        }
        let role = match r.role.as_ref().map(|r| (r.get_ref().as_str(), r.span())) {
            None | Some(("rim", _)) => NodeRole::Rim,
            Some(("central", _)) => NodeRole::Central,
            Some((other, sp)) => {
                cx.err(
                    sp,
                    format!("unknown node role `{other}`: expected \"central\" or \"rim\""),
                );
                NodeRole::Rim
            }
        };
        let physical_cores = r
            .cores
            .as_ref()
            .and_then(|c| cx.count(c, "`cores`", 1_000_000));
        let allocated_cores = r
            .allocated_cores
            .as_ref()
            .and_then(|c| cx.count(c, "`allocated_cores`", 1_000_000));
        node_ids.insert(name.get_ref().clone(), nodes.len() as NodeId);
        nodes.push(Node {
            name: name.get_ref().clone(),
            role,
            engine: r.engine.as_ref().map(|e| *e.get_ref()).unwrap_or(true),
            physical_cores,
            allocated_cores,
        });
    }
    if !raw.node.is_empty() {
        let centrals = nodes.iter().filter(|n| n.role == NodeRole::Central).count();
        if centrals != 1 {
            cx.err(
                raw.node[0].span(),
                format!("a site has exactly one central node (found {centrals}); set role = \"central\" on one [[node]]"),
            );
        }
        let manual: i64 = nodes.iter().filter_map(|n| n.allocated_cores).sum();
        if let Some(lic) = license.cores {
            if manual > lic {
                cx.err(
                    raw.node[0].span(),
                    format!("the nodes' allocated_cores add up to {manual}, more than the {lic} licensed cores (NODE-1)"),
                );
            }
        } else if manual > 0 {
            cx.err(
                raw.node[0].span(),
                "allocated_cores needs `cores` in [license] (NODE-1)",
            );
        }
    }
    let central = nodes
        .iter()
        .position(|n| n.role == NodeRole::Central)
        .unwrap_or(0) as NodeId;
    let node_ref = |cx: &mut Ctx, v: &Option<S<String>>| -> NodeId {
        match v {
            None => central,
            Some(n) => match node_ids.get(n.get_ref()) {
                Some(id) => *id,
                None => {
                    cx.err(
                        n.span(),
                        format!("unknown node `{}`: declare it with [[node]]", n.get_ref()),
                    );
                    central
                }
            },
        }
    };

    // --- [[deployment]] (QLS-1) ---
    let mut deployments = Vec::new();
    let mut deployment_ids: HashMap<String, DeploymentId> = HashMap::new();
    for d in raw.deployment.iter().take(limits::MAX_NODES) {
        let span = d.span();
        let Some(name) = cx.required(&d.get_ref().name, &span, "`name`") else {
            continue;
        };
        if deployment_ids.contains_key(name.get_ref()) {
            cx.err(
                name.span(),
                format!("duplicate deployment name `{}`", name.get_ref()),
            );
            continue;
        }
        deployment_ids.insert(name.get_ref().clone(), deployments.len() as DeploymentId);
        deployments.push(Deployment {
            name: name.get_ref().clone(),
        });
    }
    let deployment_ref = |cx: &mut Ctx, v: &Option<S<String>>| -> DeploymentId {
        match v {
            None => 0,
            Some(n) => match deployment_ids.get(n.get_ref()) {
                Some(id) => *id,
                None => {
                    cx.err(
                        n.span(),
                        format!(
                            "unknown deployment `{}`: declare it with [[deployment]]",
                            n.get_ref()
                        ),
                    );
                    0
                }
            },
        }
    };

    // --- [[group]] (LAP-1, TOK-5) ---
    let mut groups = Vec::new();
    let mut group_ids: HashMap<&str, GroupId> = HashMap::new();
    if raw.group.len() > limits::MAX_GROUPS {
        cx.err(
            raw.group[limits::MAX_GROUPS].span(),
            format!("too many groups (the limit is {})", limits::MAX_GROUPS),
        );
    }
    for g in raw.group.iter().take(limits::MAX_GROUPS) {
        let span = g.span();
        let r = g.get_ref();
        let Some(name) = cx.required(&r.name, &span, "`name`") else {
            continue;
        };
        if name.get_ref().trim().is_empty() {
            cx.err(name.span(), "a group needs a name");
            continue;
        }
        if group_ids.contains_key(name.get_ref().as_str()) {
            cx.err(
                name.span(),
                format!("duplicate group name `{}`", name.get_ref()),
            );
            continue;
        }
        if license.kind == LicenseKind::Subscription {
            cx.err(
                span.clone(),
                format!(
                    "login access group `{}` on a subscription license: Login Access Passes exist only on perpetual licenses (TOK-5)",
                    name.get_ref()
                ),
            );
        }
        let tokens = cx.opt_count(&r.tokens, "`tokens`", limits::MAX_COUNT);
        group_ids.insert(name.get_ref().as_str(), groups.len() as GroupId);
        groups.push(Group {
            name: name.get_ref().clone(),
            tokens,
        });
    }
    let _ = (&license_span, &license_kind_span);

    // --- [[user]] ---
    let mut users: Vec<User> = Vec::new();
    let mut user_ids: HashMap<String, UserId> = HashMap::new();
    let mut user_spans: Vec<Range<usize>> = Vec::new();
    if raw.user.len() > limits::MAX_USERS {
        cx.err(
            raw.user[limits::MAX_USERS].span(),
            format!("too many users (the limit is {})", limits::MAX_USERS),
        );
        return None;
    }
    for u in &raw.user {
        let span = u.span();
        let r = u.get_ref();
        let name = cx.required(&r.name, &span, "`name`");
        let access = cx.required(&r.access, &span, "`access`");
        let (Some(name), Some(access_text)) = (name, access) else {
            continue;
        };
        let n = name.get_ref().trim();
        if n.is_empty() {
            cx.err(name.span(), "a user needs a name");
            continue;
        }
        if user_ids.contains_key(n) {
            cx.err(name.span(), format!("duplicate user name `{n}`"));
            continue;
        }
        let Some((access, identity)) = access_and_identity(
            cx,
            access_text,
            &r.identity,
            &group_ids,
            &format!("anonymous user `{n}`"),
        ) else {
            continue;
        };
        let node = node_ref(cx, &r.node);
        let deployment = deployment_ref(cx, &r.deployment);
        user_ids.insert(n.to_string(), users.len() as UserId);
        user_spans.push(span);
        users.push(User {
            name: n.to_string(),
            access,
            identity,
            node,
            deployment,
            cohort: None,
        });
    }

    // --- [[cohort]] ---
    let mut cohorts: Vec<Cohort> = Vec::new();
    for c in &raw.cohort {
        let span = c.span();
        let r = c.get_ref();
        let name = cx.required(&r.name, &span, "`name`");
        let count = cx.required(&r.count, &span, "`count`");
        let access = cx.required(&r.access, &span, "`access`");
        let vpm = cx.required(&r.visits_per_month, &span, "`visits_per_month`");
        let length = cx.required(&r.visit_length, &span, "`visit_length`");
        let (Some(name), Some(count), Some(access_text), Some(vpm), Some(length)) =
            (name, count, access, vpm, length)
        else {
            continue;
        };
        let cname = name.get_ref().trim().to_string();
        if cname.is_empty() {
            cx.err(name.span(), "a cohort needs a name");
            continue;
        }
        let Some(count_n) = cx.count(count, "`count`", limits::MAX_USERS as i64) else {
            continue;
        };
        if users.len() + count_n as usize > limits::MAX_USERS {
            cx.err(
                count.span(),
                format!("too many users in all (the limit is {})", limits::MAX_USERS),
            );
            continue;
        }
        let Some((access, identity)) = access_and_identity(
            cx,
            access_text,
            &r.identity,
            &group_ids,
            "an anonymous cohort",
        ) else {
            continue;
        };
        let Some(visits_per_month) = cx.number(vpm, "`visits_per_month`") else {
            continue;
        };
        if visits_per_month > 10_000.0 {
            cx.err(
                vpm.span(),
                "`visits_per_month` is too large (the limit is 10000)",
            );
            continue;
        }
        let Some(visit_length) = cx.duration(length, "`visit_length`", 0) else {
            continue;
        };
        let spread = match &r.visit_length_spread {
            None => 0,
            Some(s) => match cx.duration(s, "`visit_length_spread`", 0) {
                Some(d) => d,
                None => continue,
            },
        };
        let hours = match &r.hours {
            None => (0, MINUTES_PER_DAY),
            Some(h) => match parse_hours(h.get_ref()) {
                Ok(h) => h,
                Err(e) => {
                    cx.err(h.span(), e);
                    continue;
                }
            },
        };
        let devices = match &r.devices {
            None => 1,
            Some(d) => match cx.count(d, "`devices`", limits::MAX_CONNECTIONS) {
                Some(0) => {
                    cx.err(d.span(), "`devices` must be at least 1");
                    continue;
                }
                Some(n) => n as u32,
                None => continue,
            },
        };
        let ends = match &r.ends {
            None => EndShares {
                logout: 1.0,
                close: 0.0,
                timeout: 0.0,
            },
            Some(e) => match parse_end_shares(e.get_ref()) {
                Ok(s) => s,
                Err(msg) => {
                    cx.err(e.span(), msg);
                    continue;
                }
            },
        };
        let node = node_ref(cx, &r.node);
        let deployment = deployment_ref(cx, &r.deployment);
        let index = cohorts.len() as u32;
        let first_user = users.len() as UserId;
        let mut clash = false;
        for i in 1..=count_n {
            let member = format!("{cname}-{i}");
            if user_ids.contains_key(&member) {
                cx.err(
                    name.span(),
                    format!("cohort member `{member}` has the name of another user"),
                );
                clash = true;
                break;
            }
            user_ids.insert(member.clone(), users.len() as UserId);
            user_spans.push(span.clone());
            users.push(User {
                name: member,
                access,
                identity,
                node,
                deployment,
                cohort: Some(index),
            });
        }
        if clash {
            continue;
        }
        cohorts.push(Cohort {
            name: cname,
            count: count_n as u32,
            access,
            identity,
            visits_per_month,
            visit_length,
            visit_length_spread: spread,
            hours,
            weekdays: r.weekdays.as_ref().map(|w| *w.get_ref()).unwrap_or(false),
            devices,
            ends,
            node,
            deployment,
            first_user,
        });
    }

    // --- [[visit]], then the compact `visits` table ---
    let mut builder = ScenarioBuilder::with_users(users, user_ids);
    if raw.visit.len() > limits::MAX_VISITS {
        cx.err(
            raw.visit[limits::MAX_VISITS].span(),
            format!("too many visits (the limit is {})", limits::MAX_VISITS),
        );
        return None;
    }
    for (i, v) in raw.visit.iter().enumerate() {
        let span = v.span();
        let r = v.get_ref();
        let user = cx.required(&r.user, &span, "`user`");
        let at = cx.required(&r.at, &span, "`at`");
        let active = cx.required(&r.active, &span, "`active`");
        let (Some(user), Some(at_text), Some(active)) = (user, at, active) else {
            continue;
        };
        let Some(uid) = builder.user_id(user.get_ref().trim()) else {
            cx.err(
                user.span(),
                format!(
                    "unknown user `{}`: declare it with [[user]] or a [[cohort]]",
                    user.get_ref()
                ),
            );
            continue;
        };
        let at = cx.when(clock.as_ref(), at_text, "`at`");
        let active = cx.duration(active, "`active`", 0);
        let ends = match &r.ends {
            None => Ends::Logout,
            Some(e) => match parse_ends(e.get_ref()) {
                Ok(e) => e,
                Err(msg) => {
                    cx.err(e.span(), msg);
                    continue;
                }
            },
        };
        let (Some(at), Some(active)) = (at, active) else {
            continue;
        };
        if let Some(end) = end {
            if at < 0 || at >= end {
                cx.err(
                    at_text.span(),
                    format!(
                        "visit at `{}` is outside the simulated period (day 0 00:00 to day {} 00:00): a visit must start before the end",
                        when_text(at_text.get_ref()),
                        end / MINUTES_PER_DAY
                    ),
                );
                continue;
            }
        }
        let device = match &r.device {
            None => 0,
            Some(d) => builder.device(d.get_ref().trim()),
        };
        let session = match &r.session_id {
            Some(s) => builder.session(s.get_ref()),
            None => crate::scenario::cohort::OWN_SESSION,
        };
        let node = match &r.node {
            None => builder.users()[uid as usize].node,
            some => node_ref(cx, some),
        };
        builder.push_visit(Visit {
            user: uid,
            at,
            active,
            ends,
            device,
            session,
            node,
            script: i as u32,
        });
    }
    if let Some(table) = &raw.visits {
        let table_cx = super::visits_table::TableContext {
            text: cx.lines.text(),
            lines: &cx.lines,
            clock: clock.as_ref(),
            end,
            nodes: &node_ids,
            central,
        };
        super::visits_table::read(table, &table_cx, &mut builder, &mut cx.errors);
    }

    // --- [[action]] ---
    let mut actions = Vec::new();
    for (i, a) in raw.action.iter().enumerate() {
        let span = a.span();
        let r = a.get_ref();
        let at = cx.required(&r.at, &span, "`at`");
        let what = cx.required(&r.what, &span, "`do`");
        let (Some(at_text), Some(what)) = (at, what) else {
            continue;
        };
        let at = cx.when(clock.as_ref(), at_text, "`at`");
        if let (Some(at), Some(end)) = (at, end) {
            if at < 0 {
                cx.err(
                    at_text.span(),
                    format!(
                        "action at `{}` is outside the simulated period: it comes before the start (day 0 00:00)",
                        when_text(at_text.get_ref()),
                    ),
                );
            } else if at >= end {
                // SCENARIOS.md: valid, and never applied.
                cx.note(
                    at_text.span(),
                    format!(
                        "the action at `{}` is at or after the end of the simulation (day {} 00:00): it is never applied",
                        when_text(at_text.get_ref()),
                        end / MINUTES_PER_DAY
                    ),
                );
            }
        }
        let kind = action_kind(
            cx,
            r,
            what,
            &span,
            builder.user_index(),
            builder.users(),
            &group_ids,
            &node_ids,
            central,
            &deployment_ids,
        );
        if let (Some(at), Some(kind)) = (at, kind) {
            actions.push(Action {
                at,
                kind,
                script: i as u32,
            });
        }
    }

    let (clock, days) = (clock?, days?);
    if !cx.errors.is_empty() {
        return None;
    }
    let head = Head {
        name,
        description,
        clock,
        days,
        seed,
        license,
        settings,
        prices,
        groups,
        cohorts,
        actions,
        nodes,
        deployments,
    };
    match builder.finish(head) {
        Ok(scenario) => Some(scenario),
        Err(message) => {
            let span = raw.cohort.first().map(|c| c.span()).unwrap_or(whole);
            cx.err(span, message);
            None
        }
    }
}

/// `"08:00-18:00"`: visits start inside this window (`24:00` is allowed as the end).
fn parse_hours(text: &str) -> Result<(Minute, Minute), String> {
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
fn parse_end_shares(v: &toml::Value) -> Result<EndShares, String> {
    let mut shares = EndShares {
        logout: 0.0,
        close: 0.0,
        timeout: 0.0,
    };
    match v {
        toml::Value::String(s) => match parse_ends(s)? {
            Ends::Logout => shares.logout = 1.0,
            Ends::Close => shares.close = 1.0,
            Ends::Timeout => shares.timeout = 1.0,
        },
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
                match k.as_str() {
                    "logout" => shares.logout = x,
                    "close" => shares.close = x,
                    "timeout" => shares.timeout = x,
                    other => {
                        return Err(format!(
                            "unknown end `{other}`: expected \"logout\", \"close\" or \"timeout\""
                        ))
                    }
                }
            }
            if shares.logout + shares.close + shares.timeout <= 0.0 {
                return Err("the shares of `ends` add up to zero".into());
            }
        }
        _ => {
            return Err(
                "`ends` must be \"logout\", \"close\", \"timeout\" or shares like { logout = 0.6, timeout = 0.4 }".into(),
            )
        }
    }
    Ok(shares)
}

#[allow(clippy::too_many_arguments)]
fn action_kind(
    cx: &mut Ctx,
    r: &RawAction,
    what: &S<String>,
    span: &Range<usize>,
    user_ids: &HashMap<String, UserId>,
    users: &[User],
    group_ids: &HashMap<&str, GroupId>,
    node_ids: &HashMap<String, NodeId>,
    central: NodeId,
    deployment_ids: &HashMap<String, DeploymentId>,
) -> Option<ActionKind> {
    let verb = what.get_ref().as_str();
    // Which keys each action takes, besides `at` and `do`.
    let Some(takes) = super::schema::action_keys(verb) else {
        cx.err(
            what.span(),
            format!(
                "unknown action `{verb}`: expected {}",
                super::schema::ACTION_VERBS.join(", ")
            ),
        );
        return None;
    };
    let present: [(&str, Option<Range<usize>>); 6] = [
        ("user", r.user.as_ref().map(|v| v.span())),
        ("group", r.group.as_ref().map(|v| v.span())),
        ("tokens", r.tokens.as_ref().map(|v| v.span())),
        ("kind", r.kind.as_ref().map(|v| v.span())),
        ("node", r.node.as_ref().map(|v| v.span())),
        ("deployment", r.deployment.as_ref().map(|v| v.span())),
    ];
    let mut ok = true;
    for (key, sp) in &present {
        if let Some(sp) = sp {
            if !takes.contains(key) {
                cx.err(
                    sp.clone(),
                    format!("key `{key}` does not apply to `{verb}`"),
                );
                ok = false;
            }
        }
    }
    let mut user = || -> Option<UserId> {
        let u = cx.required(&r.user, span, "`user`")?;
        match user_ids.get(u.get_ref().trim()) {
            Some(id) => {
                // UAP-1: an action that gives (or gives back) a named access to an
                // anonymous user rejects the file; taking one away (remove, unassign)
                // gives nothing and is valid: the engine finds nothing held.
                let gives = !matches!(verb, "remove_user_pass" | "unassign");
                if gives && users[*id as usize].is_anonymous() {
                    cx.err(
                        u.span(),
                        format!(
                            "`{}` is anonymous and cannot hold a named access (UAP-1)",
                            u.get_ref()
                        ),
                    );
                    return None;
                }
                Some(*id)
            }
            None => {
                cx.err(u.span(), format!("unknown user `{}`", u.get_ref()));
                None
            }
        }
    };
    let kind = match verb {
        "allocate_user_pass" => ActionKind::AllocateUserPass(user()?),
        "remove_user_pass" => ActionKind::RemoveUserPass(user()?),
        "reinstate_user_pass" => ActionKind::ReinstateUserPass(user()?),
        "assign" | "unassign" | "reinstate" => {
            let u = user();
            let k = cx.required(&r.kind, span, "`kind` (\"professional\" or \"analyzer\")")?;
            let seat = match parse_seat(k.get_ref()) {
                Ok(s) => s,
                Err(e) => {
                    cx.err(k.span(), e);
                    return None;
                }
            };
            let u = u?;
            match verb {
                "assign" => {
                    let dep = match &r.deployment {
                        None => users[u as usize].deployment,
                        Some(d) => match deployment_ids.get(d.get_ref()) {
                            Some(id) => *id,
                            None => {
                                cx.err(d.span(), format!("unknown deployment `{}`", d.get_ref()));
                                return None;
                            }
                        },
                    };
                    ActionKind::Assign(u, seat, dep)
                }
                "unassign" => ActionKind::Unassign(u, seat),
                _ => ActionKind::Reinstate(u, seat),
            }
        }
        "set_group_tokens" => {
            let g = cx.required(&r.group, span, "`group`");
            let t = cx.required(&r.tokens, span, "`tokens`");
            let (g, t) = (g?, t?);
            let Some(&gid) = group_ids.get(g.get_ref().as_str()) else {
                cx.err(g.span(), format!("unknown group `{}`", g.get_ref()));
                return None;
            };
            ActionKind::SetGroupTokens(gid, cx.count(t, "`tokens`", limits::MAX_COUNT)?)
        }
        "set_tokens" => {
            let t = cx.required(&r.tokens, span, "`tokens`")?;
            ActionKind::SetTokens(cx.count(t, "`tokens`", limits::MAX_COUNT)?)
        }
        _ => {
            let n = cx.required(&r.node, span, "`node`")?;
            let Some(&nid) = node_ids.get(n.get_ref()) else {
                cx.err(
                    n.span(),
                    format!("unknown node `{}`: declare it with [[node]]", n.get_ref()),
                );
                return None;
            };
            if verb == "disconnect_node" {
                if nid == central {
                    cx.err(
                        n.span(),
                        format!(
                            "`{}` is the central node: only other nodes can lose it (NODE-2)",
                            n.get_ref()
                        ),
                    );
                    return None;
                }
                ActionKind::DisconnectNode(nid)
            } else {
                ActionKind::ReconnectNode(nid)
            }
        }
    };
    ok.then_some(kind)
}
