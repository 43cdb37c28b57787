//! A sessions table (CSV, TSV or semicolon-separated, read with the `csv` crate): one row
//! per session, columns found by name. Common names are detected (`UserId`, `user`,
//! `ActiveUserId` + `ActiveUserDirectory`; `useStartTime`, `Session Start`, `start`;
//! `useStopTime`, `Session End`, `end`; `latestActivity`; a duration); a [`ColumnMap`]
//! chosen by the user overrides any of them. Extra columns are ignored.

use super::{when, History, ImportError, Who};

/// What a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Field {
    User,
    Directory,
    Start,
    End,
    LastActivity,
    Duration,
    Device,
    SessionId,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::User,
        Field::Directory,
        Field::Start,
        Field::End,
        Field::LastActivity,
        Field::Duration,
        Field::Device,
        Field::SessionId,
    ];

    /// The name in `--columns user=…,start=…`.
    pub fn name(self) -> &'static str {
        match self {
            Field::User => "user",
            Field::Directory => "directory",
            Field::Start => "start",
            Field::End => "end",
            Field::LastActivity => "activity",
            Field::Duration => "duration",
            Field::Device => "device",
            Field::SessionId => "session",
        }
    }

    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Header names recognised without a mapping, normalised (lower case, no blanks,
    /// `_`, `-` or `.`).
    fn known(self) -> &'static [&'static str] {
        match self {
            Field::User => &["userid", "user", "activeuserid", "username", "userlogin"],
            Field::Directory => &[
                "userdirectory",
                "activeuserdirectory",
                "directory",
                "domain",
            ],
            Field::Start => &[
                "usestarttime",
                "sessionstart",
                "start",
                "starttime",
                "startedat",
                "begin",
                "sessionbegin",
                "logintime",
            ],
            Field::End => &[
                "usestoptime",
                "sessionend",
                "end",
                "endtime",
                "stop",
                "stoptime",
                "endedat",
                "logouttime",
            ],
            Field::LastActivity => &["latestactivity", "lastactivity", "lastactive", "lastseen"],
            Field::Duration => &[
                "duration",
                "durationms",
                "durationmilliseconds",
                "durations",
                "durationsec",
                "durationseconds",
                "durationmin",
                "durationminutes",
                "sessionduration",
            ],
            Field::Device => &["device", "devicename", "client"],
            Field::SessionId => &["sessionid", "proxysessionid", "session"],
        }
    }
}

/// Which header names the user chose for which field (the rest are detected).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ColumnMap(pub Vec<(Field, String)>);

impl ColumnMap {
    /// `user=UserName,start=Begin,end=Finish`.
    pub fn parse(text: &str) -> Result<ColumnMap, String> {
        let mut out = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}`: write FIELD=COLUMN, like user=UserName"))?;
            let field = Field::from_name(k.trim()).ok_or_else(|| {
                format!(
                    "unknown field `{}`: expected {}",
                    k.trim(),
                    Field::ALL.map(|f| f.name()).join(", ")
                )
            })?;
            out.push((field, v.trim().to_string()));
        }
        Ok(ColumnMap(out))
    }

    fn get(&self, f: Field) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(x, _)| *x == f)
            .map(|(_, c)| c.as_str())
    }
}

fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\u{feff}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The separator of a header line: tab, semicolon or comma, whichever it has most of.
fn delimiter(header: &str) -> u8 {
    let count = |c: char| header.matches(c).count();
    let (tabs, semis, commas) = (count('\t'), count(';'), count(','));
    if tabs > semis && tabs > commas {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

/// True when a header line names a user and a start column (content detection).
pub(crate) fn looks_like_sessions(header: &str) -> bool {
    let cells: Vec<String> = header
        .split(delimiter(header) as char)
        .map(|c| normalise(c.trim().trim_matches('"')))
        .collect();
    let has = |f: Field| cells.iter().any(|c| f.known().contains(&c.as_str()));
    has(Field::User) && has(Field::Start)
}

/// Units of a duration column, from its header name.
#[derive(Clone, Copy)]
enum Unit {
    Milliseconds,
    Seconds,
    Minutes,
    Hours,
}

fn unit_of(header: &str) -> Unit {
    let h = normalise(header);
    if h.contains("ms") || h.contains("milli") {
        Unit::Milliseconds
    } else if h.contains("min") {
        Unit::Minutes
    } else if h.contains("hour") || h.ends_with("(h)") {
        Unit::Hours
    } else {
        Unit::Seconds
    }
}

/// A duration cell in seconds: `HH:MM:SS` / `HH:MM`, a scenario duration (`90m`), or a
/// number in the column's unit (seconds unless the header says ms, min or hours).
fn duration_seconds(text: &str, unit: Unit) -> Option<i64> {
    let t = text.trim();
    if t.contains(':') {
        let parts: Vec<&str> = t.split(':').collect();
        let n: Vec<i64> = parts
            .iter()
            .map(|p| p.trim().parse::<i64>().ok())
            .collect::<Option<_>>()?;
        return match n.as_slice() {
            [h, m] if *m < 60 && *h >= 0 && *m >= 0 => Some(h * 3600 + m * 60),
            [h, m, s] if *m < 60 && *s < 61 && *h >= 0 && *m >= 0 && *s >= 0 => {
                Some(h * 3600 + m * 60 + s)
            }
            _ => None,
        };
    }
    if let Ok(x) = t.parse::<f64>() {
        if !x.is_finite() || !(0.0..=1e13).contains(&x) {
            return None;
        }
        let s = match unit {
            Unit::Milliseconds => x / 1000.0,
            Unit::Seconds => x,
            Unit::Minutes => x * 60.0,
            Unit::Hours => x * 3600.0,
        };
        return Some(s.round() as i64);
    }
    crate::base::time::parse_duration(t).ok().map(|m| m * 60)
}

/// The header's names, where each field is, and the duration's unit.
type Header = (Vec<String>, [Option<usize>; 8], Unit);

/// Reads a sessions table; returns the number of data rows.
pub(crate) fn read(
    text: &str,
    map: &ColumnMap,
    history: &mut History,
) -> Result<usize, ImportError> {
    let file = history.file.clone();
    let fail = |line: usize, message: String| ImportError {
        file: file.clone(),
        line: Some(line),
        message,
    };
    let body = text.trim_start_matches('\u{feff}');
    let first_line = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(first_line))
        .from_reader(body.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut header: Option<Header> = None;
    let mut rows = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(1);
                return Err(fail(line, format!("cannot read the table: {e}")));
            }
        }
        let line = record.position().map(|p| p.line() as usize).unwrap_or(1);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some((names, index, unit)) = &header else {
            header = Some(read_header(&record, map, line, &fail)?);
            continue;
        };
        rows += 1;
        if record.len() < names.len() {
            history.bad(
                line,
                format!(
                    "the row has {} cells, the header names {} columns",
                    record.len(),
                    names.len()
                ),
            )?;
            continue;
        }
        if let Err(message) = read_row(&record, names, index, *unit, history) {
            history.bad(line, message)?;
        }
    }
    if header.is_none() {
        return Err(fail(
            1,
            "the table is empty: expected a header naming the user and the start".into(),
        ));
    }
    Ok(rows)
}

/// The column (index in the normalised header `normal`) that field `f` reads: the one
/// chosen in `map`, else the first with a known name; `Err` names a chosen column that is
/// not in the header.
fn column_of<'m>(
    f: Field,
    map: &'m ColumnMap,
    normal: &[String],
) -> Result<Option<usize>, &'m str> {
    match map.get(f) {
        Some(col) => {
            let want = normalise(col);
            normal.iter().position(|n| *n == want).map(Some).ok_or(col)
        }
        None => Ok(f
            .known()
            .iter()
            .find_map(|k| normal.iter().position(|n| n == k))),
    }
}

/// A table's header and the column each field reads, for the app's column chooser.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Columns {
    /// The header's names, as written.
    pub header: Vec<String>,
    /// For each field ([`Field::ALL`] order): the column it reads, and whether the user
    /// chose it (else detected from its name).
    pub fields: Vec<(Field, Option<usize>, bool)>,
}

/// The header of the table `text` and the columns its fields read with `map`; `None`
/// when the text has no line that reads as a header.
pub fn columns(text: &str, map: &ColumnMap) -> Option<Columns> {
    let body = text.trim_start_matches('\u{feff}');
    let first = body.lines().find(|l| !l.trim().is_empty())?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(first))
        .from_reader(first.as_bytes());
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record).ok()? {
        return None;
    }
    let header: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
    let normal: Vec<String> = header.iter().map(|n| normalise(n)).collect();
    let fields = Field::ALL
        .into_iter()
        .map(|f| {
            (
                f,
                column_of(f, map, &normal).ok().flatten(),
                map.get(f).is_some(),
            )
        })
        .collect();
    Some(Columns { header, fields })
}

fn read_header(
    record: &csv::StringRecord,
    map: &ColumnMap,
    line: usize,
    fail: &dyn Fn(usize, String) -> ImportError,
) -> Result<Header, ImportError> {
    let names: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
    let normal: Vec<String> = names.iter().map(|n| normalise(n)).collect();
    let mut index: [Option<usize>; 8] = [None; 8];
    for f in Field::ALL {
        index[f as usize] = match column_of(f, map, &normal) {
            Ok(i) => i,
            Err(col) => {
                return Err(fail(
                    line,
                    format!(
                        "the column `{col}` chosen for {} is not in the header (found {})",
                        f.name(),
                        names.join(", ")
                    ),
                ))
            }
        };
    }
    let missing = |what: &str| {
        fail(
            line,
            format!(
                "the header has no {what} (found {}): map one with --columns, like --columns {}",
                names.join(", "),
                match what {
                    "user column" => "user=UserName",
                    "start column" => "start=SessionStart",
                    _ => "end=SessionEnd",
                }
            ),
        )
    };
    if index[Field::User as usize].is_none() {
        return Err(missing("user column"));
    }
    if index[Field::Start as usize].is_none() {
        return Err(missing("start column"));
    }
    if index[Field::End as usize].is_none()
        && index[Field::LastActivity as usize].is_none()
        && index[Field::Duration as usize].is_none()
    {
        return Err(missing("end, last activity or duration column"));
    }
    let unit = index[Field::Duration as usize]
        .map(|i| unit_of(&names[i]))
        .unwrap_or(Unit::Seconds);
    Ok((names, index, unit))
}

fn read_row(
    record: &csv::StringRecord,
    names: &[String],
    index: &[Option<usize>; 8],
    unit: Unit,
    history: &mut History,
) -> Result<(), String> {
    let cell = |f: Field| index[f as usize].map(|i| (names[i].as_str(), record[i].trim()));
    let time = |f: Field| -> Result<Option<i64>, String> {
        match cell(f) {
            None | Some((_, "")) => Ok(None),
            Some((name, t)) => match when::parse(t) {
                Some(s) if when::is_never(s) => Ok(None),
                Some(s) => Ok(Some(s)),
                None => Err(format!("`{name}` is `{t}`: expected {}", when::EXPECTED)),
            },
        }
    };
    let (user_col, user) = cell(Field::User).unwrap_or(("user", ""));
    if user.is_empty() {
        return Err(format!("`{user_col}` is empty: expected the user's id"));
    }
    let who = match cell(Field::Directory) {
        Some((_, d)) if !d.is_empty() => history.person(d, user),
        _ => history.person_named(user),
    }?;
    let Who::Person(person) = who else {
        return Ok(());
    };
    let start = time(Field::Start)?.ok_or_else(|| {
        let name = cell(Field::Start).map(|c| c.0).unwrap_or("start");
        format!("`{name}` is empty: expected when the session started")
    })?;
    let mut stop = time(Field::End)?;
    let last = time(Field::LastActivity)?;
    if stop.is_none() {
        if let Some((name, t)) = cell(Field::Duration) {
            if !t.is_empty() {
                let d = duration_seconds(t, unit).ok_or_else(|| {
                    format!("`{name}` is `{t}`: expected a duration like 01:30:00, 5400 (seconds) or 90m")
                })?;
                stop = Some(start + d);
            }
        }
    }
    if stop.is_none() && last.is_none() {
        return Err(
            "the session has no end, last activity or duration: expected one of them".into(),
        );
    }
    let device = cell(Field::Device).map(|c| c.1);
    let session = cell(Field::SessionId).map(|c| c.1);
    history.session(person, start, last, stop, device, session)
}

#[cfg(test)]
mod tests {

    #[test]
    fn columns_show_what_each_field_reads_detected_or_chosen() {
        let text =
            "Who;Began;Session End;Device\nkim;2026-03-02T09:00:00Z;2026-03-02T10:00:00Z;pc\n";
        let none = columns(text, &ColumnMap::default()).expect("a header");
        assert_eq!(none.header, ["Who", "Began", "Session End", "Device"]);
        let at = |c: &Columns, f: Field| c.fields.iter().find(|x| x.0 == f).map(|x| (x.1, x.2));
        assert_eq!(
            at(&none, Field::User),
            Some((None, false)),
            "Who is no known name"
        );
        assert_eq!(at(&none, Field::End), Some((Some(2), false)));
        assert_eq!(at(&none, Field::Device), Some((Some(3), false)));
        let map = ColumnMap::parse("user=Who,start=Began").expect("a map");
        let chosen = columns(text, &map).expect("a header");
        assert_eq!(at(&chosen, Field::User), Some((Some(0), true)));
        assert_eq!(at(&chosen, Field::Start), Some((Some(1), true)));
        // The same choice imports the file.
        let input = super::super::Input {
            name: "s.csv",
            bytes: text.as_bytes(),
        };
        let options = super::super::Options {
            columns: map.clone(),
            ..Default::default()
        };
        let imported = super::super::import(&[input], &options).expect("imported");
        assert_eq!(imported.summary.sessions, 1);
        // A chosen column that is not there reads nothing (the import says why).
        let wrong =
            columns(text, &ColumnMap::parse("user=Nobody").expect("a map")).expect("a header");
        assert_eq!(at(&wrong, Field::User), Some((None, true)));
        assert!(columns("\n\n", &ColumnMap::default()).is_none());
        // Only tables get a column chooser.
        let json = super::super::Input {
            name: "q.json",
            bytes: b"[{\"totalTokens\": 5}]",
        };
        assert!(super::super::table_columns(&json, &options).is_none());
        assert!(super::super::table_columns(&input, &options).is_some());
    }

    use super::*;

    #[test]
    fn durations_read_in_the_columns_unit() {
        assert_eq!(duration_seconds("01:30:00", Unit::Seconds), Some(5400));
        assert_eq!(duration_seconds("90m", Unit::Seconds), Some(5400));
        assert_eq!(duration_seconds("5400", Unit::Seconds), Some(5400));
        assert_eq!(duration_seconds("5400000", Unit::Milliseconds), Some(5400));
        assert_eq!(duration_seconds("90", Unit::Minutes), Some(5400));
        assert_eq!(duration_seconds("-3", Unit::Seconds), None);
        assert_eq!(duration_seconds("soon", Unit::Seconds), None);
    }

    #[test]
    fn common_headers_are_recognised() {
        assert!(looks_like_sessions("UserId,Session Start,Session End"));
        assert!(looks_like_sessions(
            "ActiveUserDirectory\tActiveUserId\tuseStartTime\tuseStopTime"
        ));
        assert!(looks_like_sessions("user;start;duration"));
        assert!(!looks_like_sessions("name,colour"));
    }
}
