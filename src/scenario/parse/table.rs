//! TOML's tree checked against the schema: each table of the file (the top level,
//! `[license]`, a row of `[[user]]`, …) is a [`Row`] of its section, and its values are
//! read by their key's kind. An unknown key or a value of the wrong type is an error in
//! the scenario's words, naming the key, what it must be and what was written; every one
//! is reported, and the value is left out. An absent key reads as its default in the
//! schema, as if written.

use std::cell::Cell;
use std::ops::Range;

use toml::de::{DeFloat, DeInteger, DeTable, DeValue};
use toml::Spanned as S;

use super::ctx::Ctx;
use crate::scenario::error::{LineIndex, ScenarioError};
use crate::scenario::schema::{self, Field, Kind, Section, TomlType};

/// TOML's syntax error: the first one, since the rest of the file cannot be read after it.
pub(super) fn syntax_error(lines: &LineIndex, e: &toml::de::Error) -> ScenarioError {
    let m = e.message().trim().replace('\n', " ");
    let message = if m == "duplicate key" {
        "this key is already written in the same table: write each key once".to_string()
    } else if m.starts_with("string values must be quoted") {
        "text must be in quotes, like \"day 1 09:00\" or \"90m\"".to_string()
    } else {
        m
    };
    lines.error(e.span().unwrap_or(0..0), message)
}

#[cfg(test)]
thread_local! {
    /// Every key a raw struct has read, for the test that the raw structs and the schema
    /// agree.
    pub(super) static KEYS_READ: std::cell::RefCell<std::collections::BTreeSet<(Section, &'static str)>> =
        Default::default();
}

/// The most keys a section has (`[[cohort]]`'s 13; the top level's tables are not keys).
pub(super) const MAX_KEYS: usize = 20;

/// One table of the file, read as a table of `section`.
pub(super) struct Row<'t, 'i> {
    section: Section,
    span: Range<usize>,
    fields: &'static [Field],
    /// The value of each field present, by its index in `fields`.
    values: [Option<&'t S<DeValue<'i>>>; MAX_KEYS],
    /// Where the next key read is expected: the raw structs read in the schema's order.
    next: Cell<usize>,
}

impl<'t, 'i> Row<'t, 'i> {
    /// The table (`None`: the section is absent, every key takes its default); each key the
    /// section does not have is an error at the key.
    pub fn new(
        cx: &mut Ctx,
        section: Section,
        table: Option<&'t DeTable<'i>>,
        span: Range<usize>,
    ) -> Self {
        let fields = schema::section_fields(section);
        debug_assert!(fields.len() <= MAX_KEYS);
        let mut values = [None; MAX_KEYS];
        for (key, value) in table.into_iter().flatten() {
            let k: &str = key.get_ref();
            match fields.iter().position(|f| f.key == k) {
                Some(i) => values[i] = Some(value),
                None if section == Section::Scenario && Section::from_table(k).is_some() => {}
                None => cx.err(key.span(), unknown_key(section, k)),
            }
        }
        Row {
            section,
            span,
            fields,
            values,
            next: Cell::new(0),
        }
    }

    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The key's index in `fields`, checked to be of `toml_type`; `None` only for a key
    /// missing from the schema, which the schema's tests rule out.
    fn index(&self, key: &str, toml_type: TomlType) -> Option<usize> {
        let next = self.next.get();
        let i = match self.fields.get(next) {
            Some(f) if f.key == key => Some(next),
            _ => self.fields.iter().position(|f| f.key == key),
        };
        self.next.set(i.map_or(next, |i| i + 1));
        #[cfg(test)]
        if let Some(i) = i {
            let key = self.fields[i].key;
            KEYS_READ.with(|read| read.borrow_mut().insert((self.section, key)));
        }
        debug_assert!(
            i.is_some_and(|i| self.fields[i].kind.toml_type() == toml_type),
            "{key} of {:?} is not a {toml_type:?} key of the schema",
            self.section
        );
        i
    }

    /// The key's value, or its field when it is absent (for the default).
    fn entry(
        &self,
        key: &str,
        toml_type: TomlType,
    ) -> Result<&'t S<DeValue<'i>>, Option<&'static Field>> {
        let i = self.index(key, toml_type).ok_or(None)?;
        self.values[i].ok_or(Some(&self.fields[i]))
    }

    /// The key's default as written, if it has one, at the table.
    fn default(&self, field: Option<&'static Field>) -> Option<S<&'static str>> {
        field
            .map(|f| f.default)
            .filter(|d| !d.is_empty())
            .map(|d| S::new(self.span(), d))
    }

    pub fn text(&self, cx: &mut Ctx, key: &str) -> Option<S<&'t str>> {
        let v = match self.entry(key, TomlType::Text) {
            Ok(v) => v,
            Err(field) => return self.default(field),
        };
        match v.get_ref() {
            DeValue::String(s) => Some(S::new(v.span(), s.as_ref())),
            _ => {
                wrong_type(cx, self.section, key, v);
                None
            }
        }
    }

    pub fn int(&self, cx: &mut Ctx, key: &str) -> Option<S<i64>> {
        let v = match self.entry(key, TomlType::Integer) {
            Ok(v) => v,
            Err(field) => {
                let d = self.default(field)?;
                return d.get_ref().parse().ok().map(|n| S::new(d.span(), n));
            }
        };
        match v.get_ref() {
            DeValue::Integer(i) => match to_i64(i) {
                Some(n) => Some(S::new(v.span(), n)),
                None => {
                    cx.err(v.span(), too_large(key, &integer_text(i)));
                    None
                }
            },
            _ => {
                wrong_type(cx, self.section, key, v);
                None
            }
        }
    }

    pub fn bool(&self, cx: &mut Ctx, key: &str) -> Option<S<bool>> {
        let v = match self.entry(key, TomlType::Bool) {
            Ok(v) => v,
            Err(field) => {
                let d = self.default(field)?;
                return d.get_ref().parse().ok().map(|b| S::new(d.span(), b));
            }
        };
        match v.get_ref() {
            DeValue::Boolean(b) => Some(S::new(v.span(), *b)),
            _ => {
                wrong_type(cx, self.section, key, v);
                None
            }
        }
    }

    /// A key of several TOML types, checked by its section.
    pub fn value(&self, cx: &mut Ctx, key: &str) -> Option<S<toml::Value>> {
        let v = match self.entry(key, TomlType::Any) {
            Ok(v) => v,
            Err(field) => {
                let d = self.default(field)?;
                let value = toml::Value::String(d.get_ref().to_string());
                return Some(S::new(d.span(), value));
            }
        };
        match to_value(v.get_ref()) {
            Ok(value) => Some(S::new(v.span(), value)),
            Err(message) => {
                cx.err(v.span(), format!("`{key}` is too large (got {message})"));
                None
            }
        }
    }
}

/// The table of a `[section]` (an empty one when absent).
pub(super) fn single<'t, 'i>(cx: &mut Ctx, root: &'t DeTable<'i>, section: Section) -> Row<'t, 'i> {
    let key = section.table().unwrap_or("");
    match root.get(key) {
        None => Row::new(cx, section, None, 0..0),
        Some(v) => match v.get_ref() {
            DeValue::Table(t) => Row::new(cx, section, Some(t), v.span()),
            _ => {
                wrong_type(cx, Section::Scenario, key, v);
                Row::new(cx, section, None, 0..0)
            }
        },
    }
}

/// The rows of a `[[section]]`, in file order, each read by `read`.
pub(super) fn list<'t, 'i, T>(
    cx: &mut Ctx,
    root: &'t DeTable<'i>,
    section: Section,
    read: impl Fn(&mut Ctx, &Row<'t, 'i>) -> T,
) -> Vec<S<T>> {
    let key = section.table().unwrap_or("");
    let Some(v) = root.get(key) else {
        return Vec::new();
    };
    let DeValue::Array(rows) = v.get_ref() else {
        wrong_type(cx, Section::Scenario, key, v);
        return Vec::new();
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows.iter() {
        match row.get_ref() {
            DeValue::Table(t) => {
                let r = Row::new(cx, section, Some(t), row.span());
                out.push(S::new(row.span(), read(cx, &r)));
            }
            _ => wrong_type(cx, Section::Scenario, key, row),
        }
    }
    out
}

/// `unknown key `k`, expected …`, listing the section's keys as serde did.
fn unknown_key(section: Section, key: &str) -> String {
    let keys: Vec<String> = schema::keys(section)
        .iter()
        .map(|k| format!("`{k}`"))
        .collect();
    let expected = match keys.as_slice() {
        [] => "no keys".to_string(),
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        more => format!("one of the keys {}", more.join(", ")),
    };
    format!("unknown key `{key}`, expected {expected}")
}

/// "`key` must be …, not …".
fn wrong_type(cx: &mut Ctx, section: Section, key: &str, v: &S<DeValue>) {
    let found = found_words(cx.lines.text(), key, v);
    let message = format!(
        "`{key}` must be {}, not {found}",
        expected_words(section, key)
    );
    cx.err(v.span(), message);
}

/// What a key must hold, by its kind in the schema.
fn expected_words(section: Section, key: &str) -> String {
    if section == Section::Scenario {
        if let Some(s) = Section::from_table(key) {
            return if s.is_list() {
                format!("tables written [[{key}]]")
            } else {
                format!("a table written [{key}]")
            };
        }
    }
    match schema::field(section, key).map(|f| f.kind) {
        Some(Kind::Duration) => "a duration in quotes, like \"90m\"".into(),
        Some(Kind::Hours) => "hours in quotes, like \"08:00-18:00\"".into(),
        Some(Kind::Access) => "an access in quotes, like \"user_pass\" or \"login:GROUP\"".into(),
        Some(Kind::Choice(words)) => format!(
            "one of {}",
            words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(Kind::Count | Kind::Integer) => "a whole number".into(),
        Some(Kind::Bool) => "true or false".into(),
        _ => "text in quotes".into(),
    }
}

/// What was written instead, in the scenario's words.
fn found_words(text: &str, key: &str, v: &S<DeValue>) -> String {
    let written = text.get(v.span()).unwrap_or("");
    match v.get_ref() {
        DeValue::String(s) => format!("the text {:?}", s.as_ref()),
        DeValue::Integer(i) => format!("the number {}", integer_text(i)),
        DeValue::Float(f) => format!("the number {}", float_text(f)),
        DeValue::Boolean(b) => format!("`{b}`"),
        DeValue::Datetime(_) => "a date or time".into(),
        DeValue::Array(_) if written.starts_with("[[") => format!("tables written [[{key}]]"),
        DeValue::Array(_) => "a list [ … ]".into(),
        DeValue::Table(_) if written.starts_with('{') => "a table { … }".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

fn too_large(key: &str, n: &str) -> String {
    format!("`{key}` is too large (got {n}, the limit is {})", i64::MAX)
}

fn to_i64(i: &DeInteger) -> Option<i64> {
    i64::from_str_radix(i.as_str(), i.radix()).ok()
}

/// An integer in decimal, as written when it is too large even for that.
fn integer_text(i: &DeInteger) -> String {
    i128::from_str_radix(i.as_str(), i.radix())
        .map(|n| n.to_string())
        .unwrap_or_else(|_| i.to_string())
}

/// TOML's float; `None` when it is too large for one (infinite, though not written `inf`).
fn to_f64(f: &DeFloat) -> Option<f64> {
    let x: f64 = f.as_str().parse().ok()?;
    (!x.is_infinite() || f.as_str().contains("inf")).then_some(x)
}

/// A float with its decimal point (`2.0`, not `2`), as written when it is too large.
fn float_text(f: &DeFloat) -> String {
    match to_f64(f) {
        Some(x) if x.is_finite() && !format!("{x}").contains('.') => format!("{x}.0"),
        Some(x) => format!("{x}"),
        None => f.as_str().to_string(),
    }
}

/// The tree's value as a `toml::Value`; `Err` (the number, and the limit for a whole
/// number) for a number too large for one.
fn to_value(v: &DeValue) -> Result<toml::Value, String> {
    Ok(match v {
        DeValue::String(s) => toml::Value::String(s.to_string()),
        DeValue::Integer(i) => toml::Value::Integer(
            to_i64(i).ok_or_else(|| format!("{}, the limit is {}", integer_text(i), i64::MAX))?,
        ),
        DeValue::Float(f) => toml::Value::Float(to_f64(f).ok_or_else(|| f.as_str().to_string())?),
        DeValue::Boolean(b) => toml::Value::Boolean(*b),
        DeValue::Datetime(d) => toml::Value::Datetime(*d),
        DeValue::Array(a) => toml::Value::Array(
            a.iter()
                .map(|x| to_value(x.get_ref()))
                .collect::<Result<_, _>>()?,
        ),
        DeValue::Table(t) => {
            let mut table = toml::Table::new();
            for (k, x) in t.iter() {
                table.insert(k.get_ref().to_string(), to_value(x.get_ref())?);
            }
            toml::Value::Table(table)
        }
    })
}
