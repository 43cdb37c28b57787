//! [`Ctx`]: collects the problems of a file while it is checked, and reads the values every
//! section has (counts, durations, numbers, moments, the start date) with their checks.

use std::ops::Range;

use toml::Spanned as S;

use super::values::{toml_moment, value_words};
use crate::base::time::{format_duration, parse_duration, Clock, Minute, MAX_DURATION};
use crate::scenario::error::{LineIndex, ScenarioError, ScenarioErrors};
use crate::scenario::schema::{self, Section};
use crate::scenario::Scenario;

pub(super) struct Ctx<'a> {
    pub lines: LineIndex<'a>,
    pub errors: Vec<ScenarioError>,
    /// Not errors: things a tool may point out (an action at or after the end).
    notes: Vec<ScenarioError>,
}

impl<'a> Ctx<'a> {
    pub fn new(lines: LineIndex<'a>) -> Self {
        Ctx {
            lines,
            errors: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The scenario and its notes when no error was found, else every error, in file order.
    pub fn finish(
        mut self,
        scenario: Option<Scenario>,
    ) -> Result<(Scenario, Vec<ScenarioError>), ScenarioErrors> {
        if self.errors.is_empty() {
            if let Some(s) = scenario {
                self.notes.sort_by_key(|e| (e.line, e.column));
                return Ok((s, self.notes));
            }
            self.err(0..0, "the scenario is incomplete");
        }
        self.errors.sort_by_key(|e| (e.line, e.column));
        self.errors.dedup();
        Err(ScenarioErrors(self.errors))
    }

    pub fn err(&mut self, span: Range<usize>, message: impl Into<String>) {
        let e = self.lines.error(span, message);
        self.errors.push(e);
    }

    pub fn note(&mut self, span: Range<usize>, message: impl Into<String>) {
        let e = self.lines.error(span, message);
        self.notes.push(e);
    }

    /// A key that must be present in a table.
    pub fn required<'v, T>(
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

    /// A whole number from 0 to `max`.
    pub fn count(&mut self, v: &S<i64>, what: &str, max: i64) -> Option<i64> {
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

    /// A count up to its key's largest value in the schema, named after the key.
    pub fn bounded(&mut self, v: &S<i64>, section: Section, key: &str) -> Option<i64> {
        self.count(v, &format!("`{key}`"), schema::bounds(section, key).1)
    }

    /// [`Ctx::bounded`] of an optional key (0 when absent or wrong).
    pub fn opt_bounded(&mut self, v: &Option<S<i64>>, section: Section, key: &str) -> i64 {
        v.as_ref()
            .and_then(|v| self.bounded(v, section, key))
            .unwrap_or(0)
    }

    pub fn duration(&mut self, v: &S<&str>, what: &str, min: Minute) -> Option<Minute> {
        match parse_duration(v.get_ref()) {
            Ok(d) if d < min => {
                self.err(
                    v.span(),
                    format!("{what} must be at least {}", format_duration(min)),
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

    pub fn number(&mut self, v: &S<toml::Value>, what: &str) -> Option<f64> {
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

    /// A moment (`at`): quoted text (`"day N HH:MM"`, `"YYYY-MM-DDTHH:MM"`) or TOML's own
    /// local date or date-time, unquoted (`at = 2026-03-02T09:00`; SCENARIOS.md).
    pub fn when(
        &mut self,
        clock: Option<&Clock>,
        v: &S<toml::Value>,
        what: &str,
    ) -> Option<Minute> {
        let bad = match v.get_ref() {
            toml::Value::String(text) => {
                let clock = clock?;
                match clock.parse_time(text) {
                    Ok(m) => return Some(m),
                    Err(e) => format!("{what}: {e}"),
                }
            }
            toml::Value::Datetime(d) => match toml_moment(d) {
                Ok((date, minute)) => {
                    let clock = clock?;
                    let m = clock.minute_of(date.and_time(chrono::NaiveTime::MIN)) + minute;
                    if m.abs() <= MAX_DURATION {
                        return Some(m);
                    }
                    format!("{what}: bad time `{d}`: too far from the start")
                }
                Err(why) => format!("{what}: bad time `{d}`: {why}"),
            },
            other => format!(
                "{what} must be a time, like \"day 1 09:00\" or 2026-03-02T09:00, not {}",
                value_words(other)
            ),
        };
        self.err(v.span(), bad);
        None
    }

    /// `start`: a quoted `"YYYY-MM-DD"` or TOML's own local date, unquoted.
    pub fn date(&mut self, v: &S<toml::Value>) -> Option<chrono::NaiveDate> {
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
