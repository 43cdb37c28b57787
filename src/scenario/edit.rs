//! Editing scenario text through a form without losing what the form does not touch.
//!
//! The text stays the one source of truth: a form edit is an operation on a format-keeping
//! TOML document (`toml_edit`), so comments, blank lines and the order of everything the
//! edit did not touch survive, and a value's trailing comment stays with the new value.
//! The form reads its rows and values back from the same document.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::str::FromStr;

use toml_edit::{value, ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use super::error::{LineIndex, ScenarioError};
use super::limits;
use super::schema::{self, Kind, Section};
use crate::base::time::{parse_duration, Clock};

/// The keys an `[[action]]` may take besides `at` and `do` (see [`schema::ACTIONS`]).
const ACTION_KEYS: [&str; 6] = ["user", "group", "tokens", "kind", "node", "deployment"];

/// Accesses an anonymous user cannot hold (UAP-1).
const NAMED_ACCESS: [&str; 3] = ["user_pass", "professional", "analyzer"];

/// The most `[[user]]` or `[[action]]` rows one form edit adds (a cohort holds more).
pub const MAX_ROWS_AT_ONCE: usize = 5_000;

/// The scenario's name after a count it quotes changed from `old` to `new`: `old` must
/// stand in the name exactly once as a whole number ("103 people", not "1030" or "Q103").
pub fn name_following(name: &str, old: &str, new: &str) -> Option<String> {
    let (old, new) = (old.trim(), new.trim());
    let whole = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !whole(old) || !whole(new) || old == new {
        return None;
    }
    let bytes = name.as_bytes();
    let digit = |i: Option<usize>| i.and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit);
    // The byte at `i` (next to the number, `beyond` one further out) ends the number:
    // not a letter or digit, nor a decimal or thousands mark between digits.
    let apart = |i: Option<usize>, beyond: Option<usize>| match i.and_then(|i| bytes.get(i)) {
        None => true,
        Some(b'.' | b',') => !digit(beyond),
        Some(b) => !b.is_ascii_alphanumeric(),
    };
    let found: Vec<usize> = name
        .match_indices(old)
        .map(|(i, _)| i)
        .filter(|&i| {
            let end = i + old.len();
            apart(i.checked_sub(1), i.checked_sub(2)) && apart(Some(end), Some(end + 1))
        })
        .collect();
    match found[..] {
        [i] => Some(format!("{}{new}{}", &name[..i], &name[i + old.len()..])),
        _ => None,
    }
}

/// A list of user names as a person writes it: names separated by commas or spaces,
/// and ranges `staff-1..20` (also `staff-1..staff-20`) for `staff-1` … `staff-20`.
pub fn expand_names(list: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for item in list.split(|c: char| c == ',' || c.is_whitespace()) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let Some((from, to)) = item.split_once("..") else {
            out.push(item.to_string());
            continue;
        };
        let bad = || format!("`{item}` is not a range: write it like staff-1..20");
        let split = from
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |i| i + 1);
        let (prefix, a) = from.split_at(split);
        let b = to.strip_prefix(prefix).unwrap_or(to);
        let (a, b) = (
            a.parse::<usize>().map_err(|_| bad())?,
            b.parse::<usize>().map_err(|_| bad())?,
        );
        if b < a {
            return Err(format!(
                "`{item}` counts down: write the smaller number first"
            ));
        }
        if b - a >= MAX_ROWS_AT_ONCE || out.len() + b - a >= MAX_ROWS_AT_ONCE {
            return Err(format!("at most {MAX_ROWS_AT_ONCE} users at once"));
        }
        out.extend((a..=b).map(|n| format!("{prefix}{n}")));
    }
    Ok(out)
}

/// Whether a form edit may replace `before` with `after`: it may not add an error the
/// parser did not already report (the form never makes a valid scenario invalid, and
/// never makes an invalid one worse). The refusal names the first new error.
pub fn check_edit(before: &str, after: &str) -> Result<(), String> {
    let Err(after_errors) = super::parse(after) else {
        return Ok(());
    };
    let mut known: HashMap<String, usize> = HashMap::new();
    if let Err(errs) = super::parse(before) {
        for e in errs.0 {
            *known.entry(e.message).or_default() += 1;
        }
    }
    for e in after_errors.0 {
        match known.get_mut(&e.message) {
            Some(n) if *n > 0 => *n -= 1,
            _ => {
                return Err(format!(
                    "not changed: the scenario would not be valid ({}, line {})",
                    e.message, e.line
                ))
            }
        }
    }
    Ok(())
}

/// A scenario's text as an editable document.
#[derive(Debug, Clone)]
pub struct Doc {
    doc: DocumentMut,
}

fn kind_of(section: Section, key: &str) -> Result<Kind, String> {
    schema::field(section, key)
        .map(|f| f.kind)
        .ok_or_else(|| format!("`{key}` is not a key of {}", section.label()))
}

/// Keeps the decoration (spacing, trailing comment) of the value being replaced.
fn with_decor(mut new: Value, old: Option<&Item>) -> Value {
    if let Some(old) = old.and_then(|i| i.as_value()) {
        let decor = old.decor().clone();
        *new.decor_mut() = decor;
    }
    new
}

/// The value a form shows for an item.
fn display(item: &Item) -> Option<String> {
    let v = item.as_value()?;
    Some(match v {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => {
            let x = *f.value();
            if x.fract() == 0.0 && x.abs() < 1e15 {
                format!("{x:.1}")
            } else {
                x.to_string()
            }
        }
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => datetime_text(d.value()),
        Value::InlineTable(t) => t
            .iter()
            .map(|(k, v)| format!("{k}={}", v.to_string().trim()))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(a) => a.to_string(),
    })
}

/// TOML's own date or date-time (`start = 2026-03-01`, `at = 2026-03-02T09:00`) as the
/// form shows it: a local moment in whole minutes without its `:00` seconds.
fn datetime_text(d: &toml_edit::Datetime) -> String {
    match (&d.date, &d.time, &d.offset) {
        (Some(date), Some(t), None)
            if t.second.unwrap_or(0) == 0 && t.nanosecond.unwrap_or(0) == 0 =>
        {
            format!("{date}T{:02}:{:02}", t.hour, t.minute)
        }
        _ => d.to_string(),
    }
}

fn parse_integer(text: &str) -> Result<i64, String> {
    let t = text.trim().replace('_', "");
    t.parse::<i64>()
        .map_err(|_| format!("`{text}` is not a whole number"))
}

fn parse_count(text: &str) -> Result<i64, String> {
    let t = text.trim().replace('_', "");
    match t.parse::<i64>() {
        Ok(n) if n < 0 => Err(format!("{text} is negative: counts are zero or more")),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

fn parse_number(text: &str) -> Result<Value, String> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        if n < 0 {
            return Err(format!("{text} is negative"));
        }
        return Ok(Value::from(n));
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(Value::from(x)),
        _ => Err(format!("`{text}` is not a number of zero or more")),
    }
}

/// `logout=0.6, timeout=0.4` (or one word) as the `ends` of a cohort.
fn parse_end_shares(text: &str) -> Result<Value, String> {
    let t = text.trim();
    if schema::ENDS.contains(&t) {
        return Ok(Value::from(t));
    }
    let mut table = InlineTable::new();
    for part in t.split(',') {
        let (k, v) = part.split_once('=').ok_or_else(|| {
            format!("write `{t}` as one of logout, close, timeout or like logout=0.6, timeout=0.4")
        })?;
        let k = k.trim();
        if !schema::ENDS.contains(&k) {
            return Err(format!("`{k}` is not logout, close or timeout"));
        }
        table.insert(k, parse_number(v)?);
    }
    Ok(Value::InlineTable(table))
}

impl Doc {
    /// Reads scenario text; only TOML syntax errors are reported here (the scenario's
    /// meaning is checked by [`super::parse`]).
    pub fn parse(text: &str) -> Result<Doc, ScenarioError> {
        DocumentMut::from_str(text)
            .map(|doc| Doc { doc })
            .map_err(|e| {
                let span = e.span().unwrap_or(0..0);
                LineIndex::new(text).error(span, e.message().trim().to_string())
            })
    }

    /// An empty scenario a form can start from.
    pub fn new_scenario(start: &str, days: i64) -> Doc {
        let mut doc = DocumentMut::new();
        doc["name"] = value("New scenario");
        doc["start"] = value(start);
        doc["days"] = value(days);
        let mut license = Table::new();
        license["kind"] = value("perpetual");
        license["tokens"] = value(10);
        doc["license"] = Item::Table(license);
        Doc { doc }
    }

    /// The text, comments and all.
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    fn row(&self, section: Section, index: usize) -> Option<&dyn TableLike> {
        let Some(name) = section.table() else {
            return Some(self.doc.as_table() as &dyn TableLike);
        };
        let item = self.doc.get(name)?;
        if section.is_list() {
            match item {
                Item::ArrayOfTables(a) => a.get(index).map(|t| t as &dyn TableLike),
                Item::Value(Value::Array(a)) => a
                    .get(index)
                    .and_then(|v| v.as_inline_table())
                    .map(|t| t as &dyn TableLike),
                _ => None,
            }
        } else {
            item.as_table_like()
        }
    }

    fn row_mut(&mut self, section: Section, index: usize) -> Option<&mut dyn TableLike> {
        let Some(name) = section.table() else {
            return Some(self.doc.as_table_mut() as &mut dyn TableLike);
        };
        if !section.is_list() && !self.doc.contains_key(name) {
            self.doc.insert(name, Item::Table(Table::new()));
        }
        let item = self.doc.get_mut(name)?;
        if section.is_list() {
            match item {
                Item::ArrayOfTables(a) => a.get_mut(index).map(|t| t as &mut dyn TableLike),
                Item::Value(Value::Array(a)) => a
                    .get_mut(index)
                    .and_then(|v| v.as_inline_table_mut())
                    .map(|t| t as &mut dyn TableLike),
                _ => None,
            }
        } else {
            item.as_table_like_mut()
        }
    }

    /// How many rows a list section has (1 for the other sections).
    pub fn rows(&self, section: Section) -> usize {
        if !section.is_list() {
            return 1;
        }
        match section.table().and_then(|n| self.doc.get(n)) {
            Some(Item::ArrayOfTables(a)) => a.len(),
            Some(Item::Value(Value::Array(a))) => a.len(),
            _ => 0,
        }
    }

    /// The value of `key` in a row, as a form shows it; `None` when absent.
    pub fn get(&self, section: Section, row: usize, key: &str) -> Option<String> {
        self.row(section, row)?.get(key).and_then(display)
    }

    /// The value of `key` as the form shows it: [`Doc::get`], except the compact visits
    /// table, which the form shows by its number of rows (it is edited in the text).
    pub fn form_value(&self, section: Section, row: usize, key: &str) -> Option<String> {
        if kind_of(section, key) != Ok(Kind::VisitsTable) {
            return self.get(section, row, key);
        }
        let table = self.row(section, row)?.get(key)?.as_str()?;
        let lines = table.lines().filter(|l| !l.trim().is_empty()).count();
        Some(match lines.saturating_sub(1) {
            1 => "1 row".to_string(),
            n => format!("{n} rows"),
        })
    }

    /// The keys present in a row that the format does not know (shown, not edited).
    pub fn unknown_keys(&self, section: Section, row: usize) -> Vec<String> {
        let Some(t) = self.row(section, row) else {
            return Vec::new();
        };
        t.iter()
            .map(|(k, _)| k.to_string())
            .filter(|k| {
                schema::field(section, k).is_none()
                    && !(section == Section::Scenario && Section::from_table(k).is_some())
            })
            .collect()
    }

    fn clock(&self) -> Clock {
        self.get(Section::Scenario, 0, "start")
            .and_then(|s| crate::base::time::parse_date(&s))
            .or_else(|| chrono::NaiveDate::from_ymd_opt(2026, 1, 1))
            .map(Clock::new)
            .unwrap_or_else(|| Clock::new(chrono::NaiveDate::MIN))
    }

    /// Sets `key` of a row from what the user typed; an empty text removes an optional
    /// key. The value is checked for its kind (a count, a duration, a time …); whether it
    /// makes sense with the rest of the scenario is the parser's job.
    pub fn set(
        &mut self,
        section: Section,
        row: usize,
        key: &str,
        text: &str,
    ) -> Result<(), String> {
        let kind = kind_of(section, key)?;
        let text_trim = text.trim();
        if text_trim.is_empty() {
            if schema::field(section, key).is_some_and(|f| f.required) {
                return Err(format!("`{key}` is required"));
            }
            if let Some(t) = self.row_mut(section, row) {
                t.remove(key);
            }
            return Ok(());
        }
        let new: Value = match kind {
            Kind::Count => Value::from(parse_count(text_trim)?),
            Kind::Integer => Value::from(parse_integer(text_trim)?),
            Kind::Number => parse_number(text_trim)?,
            Kind::Bool => match text_trim {
                "true" => Value::from(true),
                "false" => Value::from(false),
                other => return Err(format!("`{other}` is not true or false")),
            },
            Kind::Duration => {
                parse_duration(text_trim)?;
                Value::from(text_trim)
            }
            Kind::Time => {
                self.clock().parse_time(text_trim)?;
                Value::from(text_trim)
            }
            Kind::Date => {
                crate::base::time::parse_date(text_trim)
                    .ok_or_else(|| format!("`{text_trim}` is not a date: write YYYY-MM-DD"))?;
                Value::from(text_trim)
            }
            Kind::Choice(options) => {
                if !options.contains(&text_trim) {
                    return Err(format!(
                        "`{text_trim}` is not one of {}",
                        options.join(", ")
                    ));
                }
                Value::from(text_trim)
            }
            Kind::Overage => {
                if schema::from_word(&schema::OVERAGE_WORDS, text_trim).is_some() {
                    Value::from(text_trim)
                } else {
                    Value::from(
                        parse_count(text_trim).map_err(|_| {
                            "write none, unlimited or a number of minutes".to_string()
                        })?,
                    )
                }
            }
            Kind::EndShares => parse_end_shares(text_trim)?,
            Kind::Hours => {
                let ok = text_trim.split_once('-').is_some_and(|(a, b)| {
                    crate::base::time::parse_hh_mm(a.trim()).is_some()
                        && (b.trim() == "24:00"
                            || crate::base::time::parse_hh_mm(b.trim()).is_some())
                });
                if !ok {
                    return Err(format!("`{text_trim}` is not a window like 08:00-18:00"));
                }
                Value::from(text_trim)
            }
            Kind::Access => {
                let known = schema::plain_accesses().any(|(w, _)| w == text_trim);
                if !known && !text_trim.starts_with(schema::LOGIN_PREFIX) {
                    return Err(format!(
                        "`{text_trim}` is not an access: user_pass, login:GROUP, professional, analyzer, capacity, dynamic or core"
                    ));
                }
                Value::from(text_trim)
            }
            Kind::Text
            | Kind::UserRef
            | Kind::GroupRef
            | Kind::NodeRef
            | Kind::DeploymentRef
            | Kind::VisitsTable => Value::from(text),
        };
        let Some(t) = self.row_mut(section, row) else {
            return Err(format!("{} has no row {}", section.label(), row + 1));
        };
        let new = with_decor(new, t.get(key));
        t.insert(key, Item::Value(new));
        Ok(())
    }

    /// A form's edit of one value: [`Doc::set`], then what the new value implies.
    /// Changing a row's kind keeps the row valid: a new `do` of an action drops the keys
    /// it does not take and adds the ones it needs with defaults; a named `access` of a
    /// user or cohort drops `identity = "anonymous"` (UAP-1). A count that the scenario's
    /// `name` quotes (`103 people`) is changed in the name too, so the title follows
    /// the scenario; the new name is returned.
    pub fn edit_value(
        &mut self,
        section: Section,
        row: usize,
        key: &str,
        text: &str,
    ) -> Result<Option<String>, String> {
        let old = self.get(section, row, key);
        if section == Section::Action && key == "do" {
            let verb = text.trim();
            let fill = self.action_defaults(section, row, verb)?;
            self.set(section, row, key, text)?;
            if let Some(t) = self.row_mut(section, row) {
                for k in ACTION_KEYS {
                    if !schema::action_applies(verb, k) {
                        t.remove(k);
                    }
                }
            }
            for (k, v) in fill {
                self.set(section, row, k, &v)?;
            }
            return Ok(None);
        }
        self.set(section, row, key, text)?;
        if key == "access" && NAMED_ACCESS.contains(&text.trim()) {
            if let Some(t) = self.row_mut(section, row) {
                if t.get("identity").and_then(display).as_deref() == Some("anonymous") {
                    t.remove("identity");
                }
            }
        }
        let counted = schema::field(section, key)
            .is_some_and(|f| matches!(f.kind, Kind::Count | Kind::Number) && key != "seed");
        if !counted || section == Section::Scenario && key == "name" {
            return Ok(None);
        }
        let (Some(old), Some(name)) = (old, self.get(Section::Scenario, 0, "name")) else {
            return Ok(None);
        };
        let Some(renamed) = name_following(&name, &old, text.trim()) else {
            return Ok(None);
        };
        self.set(Section::Scenario, 0, "name", &renamed)?;
        Ok(Some(renamed))
    }

    /// The values an action row needs for `verb` that it does not hold yet (or holds
    /// for a verb that took another kind of row), from the rest of the scenario.
    fn action_defaults(
        &self,
        section: Section,
        row: usize,
        verb: &str,
    ) -> Result<Vec<(&'static str, String)>, String> {
        let takes = schema::action_keys(verb)
            .ok_or_else(|| format!("`{verb}` is not one of {}", schema::ACTION_VERBS.join(", ")))?;
        let mut out = Vec::new();
        // `tokens` means the license's total for one verb and a group's for the other.
        let same_verb = self.get(section, row, "do").as_deref() == Some(verb);
        for key in takes.iter().copied().filter(|k| *k != "deployment") {
            if self.get(section, row, key).is_some() && (key != "tokens" || same_verb) {
                continue;
            }
            let value = match key {
                "user" => self.default_user().ok_or_else(|| {
                    format!("`{verb}` concerns a user: add an identified user or cohort first")
                })?,
                "group" => self
                    .names(Section::Group)
                    .into_iter()
                    .next()
                    .ok_or("`set_group_tokens` concerns a login access group: add one first")?,
                "tokens" => {
                    let from = match self.get(section, row, "group") {
                        Some(g) if verb == "set_group_tokens" => (0..self.rows(Section::Group))
                            .find(|i| self.get(Section::Group, *i, "name").as_deref() == Some(&g))
                            .and_then(|i| self.get(Section::Group, i, "tokens")),
                        _ if verb == "set_group_tokens" => self.get(Section::Group, 0, "tokens"),
                        _ => self.get(Section::License, 0, "tokens"),
                    };
                    from.unwrap_or_else(|| "0".into())
                }
                "kind" => "professional".into(),
                "node" => (0..self.rows(Section::Node))
                    .filter(|i| self.get(Section::Node, *i, "role").as_deref() != Some("central"))
                    .find_map(|i| self.get(Section::Node, i, "name"))
                    .ok_or_else(|| {
                        format!(
                            "`{verb}` concerns a node other than the central one: add one first"
                        )
                    })?,
                _ => continue,
            };
            out.push((key, value));
        }
        Ok(out)
    }

    /// The first identified user (a `[[user]]`, else the first member of a cohort).
    fn default_user(&self) -> Option<String> {
        let identified =
            |s: Section, i: usize| self.get(s, i, "identity").as_deref() != Some("anonymous");
        (0..self.rows(Section::User))
            .filter(|i| identified(Section::User, *i))
            .find_map(|i| self.get(Section::User, i, "name"))
            .or_else(|| {
                (0..self.rows(Section::Cohort))
                    .filter(|i| identified(Section::Cohort, *i))
                    .find_map(|i| self.get(Section::Cohort, i, "name"))
                    .map(|c| format!("{c}-1"))
            })
    }

    /// Every user name the scenario holds: `[[user]]` names, then cohort members
    /// (`NAME-1` … `NAME-count`).
    pub fn user_names(&self) -> Vec<String> {
        let mut out = self.names(Section::User);
        for i in 0..self.rows(Section::Cohort) {
            let (Some(name), Some(count)) = (
                self.get(Section::Cohort, i, "name"),
                self.get(Section::Cohort, i, "count")
                    .and_then(|c| c.parse::<usize>().ok()),
            ) else {
                continue;
            };
            out.extend((1..=count.min(limits::MAX_USERS)).map(|n| format!("{name}-{n}")));
        }
        out
    }

    /// Adds `count` users named `base-1` … `base-count` with one access, as one edit;
    /// or, with `as_cohort`, one cohort `base` of `count` members (named the same way,
    /// their visits drawn from the seed). Returns the rows added.
    pub fn add_users(
        &mut self,
        base: &str,
        count: usize,
        access: &str,
        as_cohort: bool,
    ) -> Result<Range<usize>, String> {
        let base = base.trim();
        if base.is_empty() || base.contains(char::is_whitespace) {
            return Err(
                "give a name without spaces: the people are named NAME-1, NAME-2, …".into(),
            );
        }
        if count == 0 {
            return Err("add at least one".into());
        }
        let taken: HashSet<String> = self.user_names().into_iter().collect();
        if as_cohort {
            if self.names(Section::Cohort).iter().any(|c| c == base) {
                return Err(format!("a cohort is already named `{base}`"));
            }
            if let Some(n) = (1..=count.min(limits::MAX_USERS))
                .map(|i| format!("{base}-{i}"))
                .find(|n| taken.contains(n))
            {
                return Err(format!("a user is already named `{n}`"));
            }
            let row = self.add_row(Section::Cohort)?;
            self.set(Section::Cohort, row, "name", base)?;
            self.set(Section::Cohort, row, "count", &count.to_string())?;
            self.set(Section::Cohort, row, "access", access)?;
            return Ok(row..row + 1);
        }
        if count > MAX_ROWS_AT_ONCE {
            return Err(format!(
                "at most {MAX_ROWS_AT_ONCE} users at once: for more, add them as a cohort"
            ));
        }
        let names: Vec<String> = (1..=count).map(|i| format!("{base}-{i}")).collect();
        if let Some(n) = names.iter().find(|n| taken.contains(*n)) {
            return Err(format!("a user is already named `{n}`"));
        }
        let first = self.rows(Section::User);
        for n in &names {
            let row = self.add_row(Section::User)?;
            self.set(Section::User, row, "name", n)?;
            self.set(Section::User, row, "access", access)?;
        }
        Ok(first..first + count)
    }

    /// One change applied to several users at one time, as one edit: an `[[action]]`
    /// row per user, in the order given. `users` is a list like `staff-1..20, sam`
    /// ([`expand_names`]); every name must be a user of the scenario.
    pub fn add_actions(
        &mut self,
        verb: &str,
        at: &str,
        users: &str,
        kind: Option<&str>,
    ) -> Result<Range<usize>, String> {
        let verb = verb.trim();
        if !schema::action_keys(verb).is_some_and(|k| k.contains(&"user")) {
            return Err(format!("`{verb}` is not a change made to a user"));
        }
        self.clock().parse_time(at)?;
        let names = expand_names(users)?;
        if names.is_empty() {
            return Err("name the users: e.g. staff-1..20, sam".into());
        }
        let known: HashSet<String> = self.user_names().into_iter().collect();
        if let Some(n) = names.iter().find(|n| !known.contains(*n)) {
            return Err(format!("unknown user `{n}`"));
        }
        let first = self.rows(Section::Action);
        for n in &names {
            let row = self.add_row(Section::Action)?;
            self.set(Section::Action, row, "at", at)?;
            self.edit_value(Section::Action, row, "do", verb)?;
            self.set(Section::Action, row, "user", n)?;
            if let Some(k) = kind.filter(|k| !k.trim().is_empty()) {
                if schema::action_applies(verb, "kind") {
                    self.set(Section::Action, row, "kind", k)?;
                }
            }
        }
        Ok(first..first + names.len())
    }

    /// A name for a new row that no row of the section has yet.
    fn fresh_name(&self, section: Section, base: &str) -> String {
        let names = self.names(section);
        (1..)
            .map(|i| format!("{base}-{i}"))
            .find(|n| !names.contains(n))
            .unwrap_or_else(|| base.to_string())
    }

    /// The `name`s of a list section's rows.
    pub fn names(&self, section: Section) -> Vec<String> {
        (0..self.rows(section))
            .filter_map(|i| self.get(section, i, "name"))
            .collect()
    }

    /// Appends a row with values that make it valid on its own; returns its index.
    pub fn add_row(&mut self, section: Section) -> Result<usize, String> {
        let cannot = || format!("rows cannot be added to {}", section.label());
        let name = section.table().ok_or_else(cannot)?;
        if !section.is_list() {
            return Err(cannot());
        }
        let first_user = self.names(Section::User).into_iter().next().or_else(|| {
            self.names(Section::Cohort)
                .into_iter()
                .next()
                .map(|c| format!("{c}-1"))
        });
        let first_group = self.names(Section::Group).into_iter().next();
        let access = first_group
            .as_ref()
            .map(|g| format!("login:{g}"))
            .unwrap_or_else(|| "user_pass".into());
        let mut t = Table::new();
        match section {
            Section::Group => {
                t["name"] = value(self.fresh_name(section, "group"));
                t["tokens"] = value(1);
            }
            Section::User => {
                t["name"] = value(self.fresh_name(section, "user"));
                t["access"] = value(access);
            }
            Section::Cohort => {
                t["name"] = value(self.fresh_name(section, "cohort"));
                t["count"] = value(10);
                t["access"] = value(access);
                t["visits_per_month"] = value(4);
                t["visit_length"] = value("30m");
            }
            Section::Visit => {
                let user =
                    first_user.ok_or("a visit is made by a user: add a user or a cohort first")?;
                t["user"] = value(user);
                t["at"] = value("day 1 09:00");
                t["active"] = value("30m");
                t["ends"] = value("logout");
            }
            Section::Action => {
                let tokens = self
                    .get(Section::License, 0, "tokens")
                    .and_then(|t| t.parse::<i64>().ok())
                    .unwrap_or(0);
                t["at"] = value("day 1 09:00");
                t["do"] = value("set_tokens");
                t["tokens"] = value(tokens);
            }
            Section::Node => {
                let has_central = (0..self.rows(section))
                    .any(|i| self.get(section, i, "role").as_deref() == Some("central"));
                t["name"] = value(self.fresh_name(section, "node"));
                t["role"] = value(if has_central { "rim" } else { "central" });
            }
            Section::Deployment => {
                t["name"] = value(self.fresh_name(section, "deployment"));
            }
            _ => return Err(cannot()),
        }
        let index = self.rows(section);
        match self.doc.get_mut(name) {
            Some(Item::ArrayOfTables(a)) => a.push(t),
            Some(Item::Value(Value::Array(a))) => a.push(t.into_inline_table()),
            _ => {
                let mut a = ArrayOfTables::new();
                a.push(t);
                self.doc.insert(name, Item::ArrayOfTables(a));
            }
        }
        Ok(index)
    }

    /// Removes a row; the section disappears with its last row.
    pub fn remove_row(&mut self, section: Section, row: usize) -> bool {
        let Some(name) = section.table() else {
            return false;
        };
        if row >= self.rows(section) {
            return false;
        }
        let empty = match self.doc.get_mut(name) {
            Some(Item::ArrayOfTables(a)) => {
                a.remove(row);
                a.is_empty()
            }
            Some(Item::Value(Value::Array(a))) => {
                a.remove(row);
                a.is_empty()
            }
            _ => return false,
        };
        if empty {
            self.doc.remove(name);
        }
        true
    }

    /// Inserts a copy of a row after it (with a fresh `name` where rows have names).
    pub fn duplicate_row(&mut self, section: Section, row: usize) -> Option<usize> {
        let name = section.table()?;
        let fresh = self.get(section, row, "name").map(|n| {
            let names = self.names(section);
            (1..)
                .map(|i| {
                    if i == 1 {
                        format!("{n}-copy")
                    } else {
                        format!("{n}-copy{i}")
                    }
                })
                .find(|c| !names.contains(c))
                .unwrap_or(n)
        });
        match self.doc.get_mut(name)? {
            Item::ArrayOfTables(a) => {
                let mut copy = a.get(row)?.clone();
                if let Some(n) = fresh {
                    copy["name"] = value(n);
                }
                a.insert(row + 1, copy);
            }
            Item::Value(Value::Array(a)) => {
                let mut copy = a.get(row)?.as_inline_table()?.clone();
                if let Some(n) = fresh {
                    copy.insert("name", Value::from(n));
                }
                a.insert(row + 1, copy);
            }
            _ => return None,
        }
        Some(row + 1)
    }

    /// Which section, row and key a line of `text` belongs to, so a parser error can be
    /// shown beside its input. Follows the `[table]` / `[[table]]` headers above the line.
    pub fn locate(text: &str, line: usize) -> Option<(Section, usize, Option<String>)> {
        let mut section = Section::Scenario;
        let mut row = 0usize;
        let mut counts: std::collections::HashMap<&str, usize> = Default::default();
        let mut in_multiline: Option<&str> = None;
        for (i, l) in text.lines().enumerate() {
            let t = l.trim();
            if let Some(delim) = in_multiline {
                if t.contains(delim) {
                    in_multiline = None;
                }
            } else if let Some(h) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
                let h = h.trim();
                let n = counts.entry(h).or_insert(0);
                section = Section::from_table(h).unwrap_or(Section::Scenario);
                row = *n;
                *n += 1;
            } else if let Some(h) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
                section = Section::from_table(h.trim()).unwrap_or(Section::Scenario);
                row = 0;
            } else {
                for delim in ["\"\"\"", "'''"] {
                    if t.matches(delim).count() == 1 {
                        in_multiline = Some(delim);
                    }
                }
            }
            if i + 1 == line {
                let key = t
                    .split_once('=')
                    .map(|(k, _)| k.trim().trim_matches('"').to_string())
                    .filter(|k| !k.is_empty() && !k.starts_with('[') && !k.starts_with('#'));
                return Some((section, row, key));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# A comment at the top\nname = \"t\"\nstart = \"2026-03-01\"\ndays = 60\n\n[license]\ntokens = 10 # ten tokens\n\n# The analysts\n[[group]]\nname = \"analysts\"\ntokens = 1\n\n[[user]]\nname = \"sam\"\naccess = \"login:analysts\"\n";

    #[test]
    fn an_edit_keeps_every_comment_and_the_untouched_text() {
        let mut d = Doc::parse(TEXT).unwrap();
        d.set(Section::License, 0, "tokens", "20").unwrap();
        let out = d.text();
        assert!(out.contains("# A comment at the top\n"));
        assert!(out.contains("tokens = 20 # ten tokens\n"), "{out}");
        assert!(out.contains("# The analysts\n[[group]]"));
        assert_eq!(out.replace("tokens = 20 #", "tokens = 10 #"), TEXT);
    }

    #[test]
    fn values_are_checked_for_their_kind() {
        let mut d = Doc::parse(TEXT).unwrap();
        assert!(d.set(Section::License, 0, "tokens", "-1").is_err());
        assert!(d.set(Section::License, 0, "tokens", "ten").is_err());
        assert!(d.set(Section::Settings, 0, "quarantine", "7 days").is_err());
        assert!(d.set(Section::Settings, 0, "quarantine", "3d").is_ok());
        assert!(d.set(Section::License, 0, "kind", "both").is_err());
        assert!(d.set(Section::Scenario, 0, "start", "").is_err());
        assert!(d.set(Section::License, 0, "colour", "red").is_err());
        assert_eq!(
            d.get(Section::Settings, 0, "quarantine").as_deref(),
            Some("3d")
        );
    }

    #[test]
    fn rows_are_added_removed_and_duplicated_and_the_result_parses() {
        let mut d = Doc::parse(TEXT).unwrap();
        let u = d.add_row(Section::User).unwrap();
        assert_eq!(d.get(Section::User, u, "name").as_deref(), Some("user-1"));
        assert_eq!(
            d.get(Section::User, u, "access").as_deref(),
            Some("login:analysts")
        );
        let v = d.add_row(Section::Visit).unwrap();
        assert_eq!(d.get(Section::Visit, v, "user").as_deref(), Some("sam"));
        let g = d.duplicate_row(Section::Group, 0).unwrap();
        assert_eq!(
            d.get(Section::Group, g, "name").as_deref(),
            Some("analysts-copy")
        );
        d.add_row(Section::Action).unwrap();
        let sc = crate::scenario::parse(&d.text()).expect("still a valid scenario");
        assert_eq!(sc.users.len(), 2);
        assert_eq!(sc.groups.len(), 2);
        assert!(d.remove_row(Section::Visit, 0));
        assert_eq!(d.rows(Section::Visit), 0);
        assert!(!d.text().contains("[[visit]]"));
    }

    #[test]
    fn a_scenario_built_from_nothing_is_valid() {
        let mut d = Doc::new_scenario("2026-01-05", 30);
        let g = d.add_row(Section::Group).unwrap();
        d.set(Section::Group, g, "tokens", "2").unwrap();
        d.add_row(Section::User).unwrap();
        d.add_row(Section::Cohort).unwrap();
        d.add_row(Section::Visit).unwrap();
        d.set(Section::Cohort, 0, "ends", "logout=0.6, timeout=0.4")
            .unwrap();
        d.set(Section::Cohort, 0, "weekdays", "true").unwrap();
        let sc = crate::scenario::parse(&d.text()).unwrap_or_else(|e| panic!("{e}\n{}", d.text()));
        assert_eq!(sc.users.len(), 11);
        assert_eq!(
            d.get(Section::Cohort, 0, "ends").as_deref(),
            Some("logout=0.6, timeout=0.4")
        );
    }

    #[test]
    fn errors_are_located_at_their_row_and_key() {
        assert_eq!(
            Doc::locate(TEXT, 16),
            Some((Section::User, 0, Some("access".into())))
        );
        assert_eq!(
            Doc::locate(TEXT, 7),
            Some((Section::License, 0, Some("tokens".into())))
        );
        assert_eq!(
            Doc::locate(TEXT, 3),
            Some((Section::Scenario, 0, Some("start".into())))
        );
    }

    #[test]
    fn the_compact_visits_table_is_a_known_key_shown_by_its_rows() {
        let text = "start = \"2026-01-01\"\ndays = 3\nvisits = \"\"\"\nuser,at,active\na,day 1 09:00,5m\n\na,day 2 09:00,5m\n\"\"\"\n\n[[user]]\nname = \"a\"\naccess = \"user_pass\"\n";
        let d = Doc::parse(text).unwrap();
        assert!(d.unknown_keys(Section::Scenario, 0).is_empty());
        assert_eq!(
            d.form_value(Section::Scenario, 0, "visits").as_deref(),
            Some("2 rows")
        );
        assert_eq!(
            d.form_value(Section::Scenario, 0, "days").as_deref(),
            Some("3")
        );
        assert_eq!(crate::scenario::parse(text).unwrap().visits.len(), 2);
    }

    #[test]
    fn inline_arrays_of_visits_are_edited_in_place() {
        let text = "start = \"2026-01-01\"\ndays = 3\nvisit = [{ user = \"a\", at = \"day 1 09:00\", active = \"5m\" }]\n\n[[user]]\nname = \"a\"\naccess = \"user_pass\"\n";
        let mut d = Doc::parse(text).unwrap();
        assert_eq!(d.rows(Section::Visit), 1);
        d.set(Section::Visit, 0, "active", "15m").unwrap();
        d.duplicate_row(Section::Visit, 0).unwrap();
        let sc = crate::scenario::parse(&d.text()).unwrap();
        assert_eq!(sc.visits.len(), 2);
        assert_eq!(sc.visits[0].active, 15);
    }

    /// Applies a form edit as the app does: refused if the parser would reject the text.
    fn form(text: &str, f: impl FnOnce(&mut Doc) -> Result<(), String>) -> Result<String, String> {
        let mut d = Doc::parse(text).map_err(|e| e.message)?;
        f(&mut d)?;
        let out = d.text();
        check_edit(text, &out)?;
        Ok(out)
    }

    const STAFF: &str = "name = \"staff\"\nstart = \"2026-03-02\"\ndays = 14\n\n[license]\ntokens = 30\n\n[[cohort]]\nname = \"staff\"\ncount = 25\naccess = \"user_pass\"\nvisits_per_month = 4\nvisit_length = \"30m\"\n";

    #[test]
    fn a_new_do_drops_the_keys_it_does_not_take_and_adds_the_ones_it_needs() {
        let mut d = Doc::parse(STAFF).unwrap();
        let a = d.add_row(Section::Action).unwrap();
        assert_eq!(d.get(Section::Action, a, "tokens").as_deref(), Some("30"));
        d.edit_value(Section::Action, a, "do", "remove_user_pass")
            .unwrap();
        assert_eq!(d.get(Section::Action, a, "tokens"), None, "{}", d.text());
        assert_eq!(
            d.get(Section::Action, a, "user").as_deref(),
            Some("staff-1")
        );
        for _ in 0..19 {
            d.duplicate_row(Section::Action, 0).unwrap();
        }
        crate::scenario::parse(&d.text()).unwrap_or_else(|e| panic!("{e}\n{}", d.text()));
        // And back: the user goes, the tokens come.
        d.edit_value(Section::Action, 0, "do", "set_tokens")
            .unwrap();
        assert_eq!(d.get(Section::Action, 0, "user"), None);
        assert_eq!(d.get(Section::Action, 0, "tokens").as_deref(), Some("30"));
        d.edit_value(Section::Action, 1, "do", "assign").unwrap();
        assert_eq!(
            d.get(Section::Action, 1, "kind").as_deref(),
            Some("professional")
        );
        assert_eq!(
            d.get(Section::Action, 1, "user").as_deref(),
            Some("staff-1")
        );
    }

    #[test]
    fn set_group_tokens_starts_from_the_group_s_tokens() {
        let mut d = Doc::parse(TEXT).unwrap();
        let a = d.add_row(Section::Action).unwrap();
        d.edit_value(Section::Action, a, "do", "set_group_tokens")
            .unwrap();
        assert_eq!(
            d.get(Section::Action, a, "group").as_deref(),
            Some("analysts")
        );
        assert_eq!(d.get(Section::Action, a, "tokens").as_deref(), Some("1"));
        crate::scenario::parse(&d.text()).unwrap();
    }

    #[test]
    fn a_do_the_scenario_cannot_serve_is_refused_and_changes_nothing() {
        let mut d = Doc::parse(TEXT).unwrap();
        let a = d.add_row(Section::Action).unwrap();
        let before = d.text();
        let e = d
            .edit_value(Section::Action, a, "do", "disconnect_node")
            .unwrap_err();
        assert!(e.contains("add one first"), "{e}");
        assert_eq!(d.text(), before);
        let e = d
            .edit_value(Section::Action, a, "do", "pay_rise")
            .unwrap_err();
        assert!(e.contains("is not one of"), "{e}");
    }

    #[test]
    fn a_named_access_drops_an_anonymous_identity() {
        let text = format!("{TEXT}identity = \"anonymous\"\n");
        let mut d = Doc::parse(&text).unwrap();
        crate::scenario::parse(&d.text()).unwrap();
        d.edit_value(Section::User, 0, "access", "user_pass")
            .unwrap();
        assert_eq!(d.get(Section::User, 0, "identity"), None);
        crate::scenario::parse(&d.text()).unwrap();
        // A login access keeps it.
        let mut d = Doc::parse(&text).unwrap();
        d.edit_value(Section::User, 0, "access", "login:analysts")
            .unwrap();
        assert_eq!(
            d.get(Section::User, 0, "identity").as_deref(),
            Some("anonymous")
        );
    }

    #[test]
    fn a_form_edit_that_the_parser_would_reject_is_refused() {
        // An unknown group, a removed user that a visit still names, a visit with no user.
        let e = form(TEXT, |d| d.set(Section::User, 0, "access", "login:nobody")).unwrap_err();
        assert!(e.contains("not changed") && e.contains("nobody"), "{e}");
        let visit =
            format!("{TEXT}\n[[visit]]\nuser = \"sam\"\nat = \"day 1 09:00\"\nactive = \"5m\"\n");
        let e = form(&visit, |d| {
            d.remove_row(Section::User, 0);
            Ok(())
        })
        .unwrap_err();
        assert!(e.contains("unknown user `sam`"), "{e}");
        let bare = "start = \"2026-01-01\"\ndays = 3\n";
        assert!(form(bare, |d| d.add_row(Section::Visit).map(|_| ())).is_err());
        // A text that is already wrong can still be mended, and other edits go through.
        let broken =
            format!("{TEXT}\n[[visit]]\nuser = \"bob\"\nat = \"day 1 09:00\"\nactive = \"5m\"\n");
        form(&broken, |d| d.set(Section::License, 0, "tokens", "12")).unwrap();
        let mended = form(&broken, |d| d.set(Section::Visit, 0, "user", "sam")).unwrap();
        crate::scenario::parse(&mended).unwrap();
    }

    #[test]
    fn the_name_follows_a_count_it_quotes() {
        let text = include_str!("../../examples/sizing.toml");
        let mut d = Doc::parse(text).unwrap();
        let renamed = d.edit_value(Section::Cohort, 0, "count", "250").unwrap();
        assert_eq!(
            renamed.as_deref(),
            Some("250 knowledge workers on 50 tokens")
        );
        assert_eq!(
            d.get(Section::Scenario, 0, "name").as_deref(),
            Some("250 knowledge workers on 50 tokens")
        );
        // Only a whole number that stands once in the name.
        assert_eq!(name_following("Q12: 103 people", "12", "13"), None);
        assert_eq!(name_following("1030 people", "103", "250"), None);
        assert_eq!(name_following("5 on 5", "5", "6"), None);
        assert_eq!(name_following("10.5 hours", "5", "6"), None);
        assert_eq!(
            name_following("a 50-token group", "50", "60").as_deref(),
            Some("a 60-token group")
        );
        assert_eq!(
            name_following("for 103, then", "103", "7").as_deref(),
            Some("for 7, then")
        );
        // A count the name does not quote leaves it alone.
        assert_eq!(
            d.edit_value(Section::Cohort, 0, "devices", "2").unwrap(),
            None
        );
    }

    #[test]
    fn names_are_written_as_lists_and_ranges() {
        assert_eq!(
            expand_names("staff-1..3, sam  staff-9..staff-10").unwrap(),
            ["staff-1", "staff-2", "staff-3", "sam", "staff-9", "staff-10"]
        );
        assert!(expand_names("staff-3..1").is_err());
        assert!(expand_names("staff-a..b").is_err());
        assert!(expand_names("x-1..99999999").is_err());
    }

    #[test]
    fn many_users_are_added_at_once_named_name_1_to_n() {
        let out = form(TEXT, |d| {
            d.add_users("staff", 20, "user_pass", false).map(|_| ())
        })
        .unwrap();
        let sc = crate::scenario::parse(&out).unwrap();
        assert_eq!(sc.users.len(), 21);
        assert_eq!(sc.users[20].name, "staff-20");
        let again = form(&out, |d| {
            d.add_users("staff", 3, "user_pass", false).map(|_| ())
        });
        assert!(again.unwrap_err().contains("already named `staff-1`"));
        // As a cohort: one row, the members named the same way.
        let out = form(TEXT, |d| {
            d.add_users("temps", 40, "login:analysts", true).map(|_| ())
        })
        .unwrap();
        let sc = crate::scenario::parse(&out).unwrap();
        assert_eq!(sc.users.len(), 41);
        assert_eq!(sc.users[40].name, "temps-40");
        assert!(form(TEXT, |d| d
            .add_users("two words", 2, "user_pass", false)
            .map(|_| ()))
        .is_err());
    }

    #[test]
    fn one_change_is_applied_to_many_users_as_one_edit() {
        // Friday 2026-03-06 17:00 is day 4 of a scenario starting Monday 2026-03-02.
        let out = form(STAFF, |d| {
            d.add_actions("remove_user_pass", "day 4 17:00", "staff-1..20", None)
                .map(|_| ())
        })
        .unwrap();
        let sc = crate::scenario::parse(&out).unwrap();
        assert_eq!(sc.actions.len(), 20);
        let d = Doc::parse(&out).unwrap();
        assert_eq!(
            d.get(Section::Action, 19, "user").as_deref(),
            Some("staff-20")
        );
        assert_eq!(
            d.get(Section::Action, 19, "at").as_deref(),
            Some("day 4 17:00")
        );
        assert_eq!(d.get(Section::Action, 19, "tokens"), None);
        let e = form(STAFF, |d| {
            d.add_actions("remove_user_pass", "day 4 17:00", "staff-20..30", None)
                .map(|_| ())
        });
        assert!(e.unwrap_err().contains("unknown user `staff-26`"));
        let e = form(STAFF, |d| {
            d.add_actions("set_tokens", "day 4 17:00", "staff-1", None)
                .map(|_| ())
        });
        assert!(e.is_err());
        let out = form(STAFF, |d| {
            d.add_actions(
                "assign",
                "day 2 09:00",
                "staff-1, staff-2",
                Some("analyzer"),
            )
            .map(|_| ())
        });
        // Analyzer allocations the license does not hold are refused by the run, not the file.
        let d = Doc::parse(&out.unwrap()).unwrap();
        assert_eq!(
            d.get(Section::Action, 1, "kind").as_deref(),
            Some("analyzer")
        );
    }
}
