//! Editing scenario text through a form without losing what the form does not touch.
//!
//! The text stays the one source of truth: a form edit is an operation on a format-keeping
//! TOML document (`toml_edit`), so comments, blank lines and the order of everything the
//! edit did not touch survive, and a value's trailing comment stays with the new value.
//! The form reads its rows and values back from the same document.

use std::str::FromStr;

use toml_edit::{value, ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use super::error::{LineIndex, ScenarioError};
use super::schema::{self, Kind, Section};
use crate::base::time::{parse_duration, Clock};

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
    pub fn add_row(&mut self, section: Section) -> Option<usize> {
        let name = section.table()?;
        if !section.is_list() {
            return None;
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
                t["user"] = value(first_user.unwrap_or_else(|| "user-1".into()));
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
            _ => return None,
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
        Some(index)
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
}
