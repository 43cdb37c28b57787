//! The Qlik Sense proxy's audit activity log (`AuditActivity_Proxy.txt`): tab-separated,
//! one header line, read with the `csv` crate (no quoting: messages hold quotes).
//! Columns by name: `Timestamp` (`YYYYMMDDThhmmss.fff±zzzz`), `ProxySessionId`,
//! `ActiveUserDirectory` and `ActiveUserId` (or `UserDirectory` and `UserId`), and
//! `Description` (or `Message`). A line starting `Command=Start session;` opens a session,
//! `Command=Stop session;` ends it; every line of the session in between is activity. A
//! session without a stop ends at the inactivity timeout after its last line; one
//! without a start starts at its first line. Lines must be in time order.

use std::collections::HashMap;

use super::{when, History, ImportError, Who};

struct Open {
    /// The person, once a line names one.
    person: Option<u32>,
    start: i64,
    last: i64,
    line: usize,
}

#[derive(Default)]
struct Columns {
    timestamp: Option<usize>,
    session: Option<usize>,
    directory: Option<usize>,
    user: Option<usize>,
    description: Option<usize>,
}

fn columns(record: &csv::StringRecord) -> Columns {
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| record.iter().position(|c| c.trim().eq_ignore_ascii_case(n)))
    };
    Columns {
        timestamp: find(&["Timestamp"]),
        session: find(&["ProxySessionId"]),
        directory: find(&["ActiveUserDirectory", "UserDirectory"]),
        user: find(&["ActiveUserId", "UserId"]),
        description: find(&["Description", "Message"]),
    }
}

/// Reads one log; returns the number of lines after the header.
pub(crate) fn read(text: &str, history: &mut History) -> Result<usize, ImportError> {
    let file = history.file.clone();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .quoting(false)
        .delimiter(b'\t')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut record = csv::StringRecord::new();
    let mut cols: Option<(Columns, usize)> = None;
    let mut reading = Reading::default();
    let mut lines = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(ImportError {
                    file,
                    line: e.position().map(|p| p.line() as usize),
                    message: format!("cannot read the log: {e}"),
                })
            }
        }
        let line = record.position().map(|p| p.line() as usize).unwrap_or(1);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some((c, width)) = &cols else {
            cols = Some((header(&record, line, &file)?, record.len()));
            continue;
        };
        lines += 1;
        reading.line(c, *width, &record, line, history)?;
    }
    if cols.is_none() {
        return Err(ImportError {
            file,
            line: Some(1),
            message: "the log is empty: expected its header line".into(),
        });
    }
    // Sessions still open at the end of the log end by inactivity after their last line.
    let mut rest: Vec<Open> = reading.open.into_values().collect();
    rest.sort_by_key(|o| o.line);
    for s in rest {
        close(s, None, history)?;
    }
    Ok(lines)
}

/// The header's columns, or which of the needed ones it lacks.
fn header(record: &csv::StringRecord, line: usize, file: &str) -> Result<Columns, ImportError> {
    let c = columns(record);
    let missing: Vec<&str> = [
        ("Timestamp", c.timestamp),
        ("ProxySessionId", c.session),
        ("ActiveUserId", c.user),
        ("Description", c.description),
    ]
    .iter()
    .filter(|(_, i)| i.is_none())
    .map(|(n, _)| *n)
    .collect();
    if !missing.is_empty() {
        return Err(ImportError {
            file: file.to_string(),
            line: Some(line),
            message: format!(
                "the header has no {} column: expected the proxy audit log's tab-separated header (Sequence#, Timestamp, …, ProxySessionId, ActiveUserDirectory, ActiveUserId, Description)",
                missing.join(", ")
            ),
        });
    }
    Ok(c)
}

/// The sessions open so far and the time of the line above.
#[derive(Default)]
struct Reading {
    open: HashMap<String, Open>,
    previous: Option<i64>,
}

impl Reading {
    /// One line after the header: a bad line is reported (or skipped), a start opens a
    /// session, a stop closes it, any other line is activity.
    fn line(
        &mut self,
        c: &Columns,
        width: usize,
        record: &csv::StringRecord,
        line: usize,
        history: &mut History,
    ) -> Result<(), ImportError> {
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim).unwrap_or("");
        let stamp = get(c.timestamp);
        if record.len() < width && c.description.is_some_and(|d| d >= record.len()) {
            history.bad(
                line,
                format!(
                    "the line has {} cells, the header names {}: expected a whole log line",
                    record.len(),
                    width
                ),
            )?;
            return Ok(());
        }
        let Some(at) = when::parse(stamp) else {
            history.bad(
                line,
                format!("`Timestamp` is `{stamp}`: expected {}", when::EXPECTED),
            )?;
            return Ok(());
        };
        if let Some(p) = self.previous {
            if at < p {
                history.bad(
                    line,
                    format!(
                        "the time goes backwards: {} is before the line above ({}); expected lines in time order",
                        when::format(at),
                        when::format(p)
                    ),
                )?;
                return Ok(());
            }
        }
        self.previous = Some(at);
        let session = get(c.session);
        if session.is_empty() {
            return Ok(());
        }
        let description = get(c.description).to_ascii_lowercase();
        let starts = description.starts_with("command=start session");
        let stops = description.starts_with("command=stop session");
        let user = get(c.user);
        let person = if user.is_empty() {
            None
        } else {
            match history.person(get(c.directory), user) {
                Ok(Who::Person(p)) => Some(Some(p)),
                Ok(Who::Service) => Some(None),
                Err(e) => {
                    history.bad(line, e)?;
                    return Ok(());
                }
            }
        };
        if starts {
            if let Some(prev) = self.open.remove(session) {
                close(prev, None, history)?;
            }
        }
        let entry = self.open.entry(session.to_string()).or_insert(Open {
            person: None,
            start: at,
            last: at,
            line,
        });
        // The stop line is when the session ended, not activity.
        if !stops {
            entry.last = at;
        }
        match person {
            Some(Some(p)) => entry.person = entry.person.or(Some(p)),
            // A service account's session: dropped.
            Some(None) => {
                self.open.remove(session);
                return Ok(());
            }
            None => {}
        }
        if stops {
            if let Some(s) = self.open.remove(session) {
                close(s, Some(at), history)?;
            }
        }
        Ok(())
    }
}

fn close(s: Open, stop: Option<i64>, history: &mut History) -> Result<(), ImportError> {
    let Some(person) = s.person else {
        return history.bad(
            s.line,
            "the session has no user on any of its lines: expected ActiveUserDirectory and ActiveUserId",
        );
    };
    match history.session(person, s.start, Some(s.last), stop, None, None) {
        Ok(()) => Ok(()),
        Err(e) => history.bad(s.line, e),
    }
}
