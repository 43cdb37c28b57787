//! The compact visits table (SCENARIOS.md, "`visits`"): the rows of `[[visit]]` tables as
//! CSV in one TOML string, read with the `csv` crate. The header names the columns in any
//! order; an empty cell takes the key's default; each row has the checks of a `[[visit]]`
//! table and comes after every `[[visit]]` table in script order. Errors name the line of
//! the file and the column by its name.
//!
//! The table is also how imports are stored: [`write`] gives the text of a scenario's
//! visits, and a file larger than the 16 MB limit is accepted when the excess is this
//! table ([`check_size`]), which costs about 3 bytes of memory per byte instead of the
//! ~40 of `[[visit]]` tables.

use std::fmt::Write as _;
use std::ops::Range;

use super::builder::ScenarioBuilder;
use super::error::{LineIndex, ScenarioError};
use super::schema::{self, Section};
use super::{limits, Ends, NodeId, Scenario, Visit};
use crate::base::time::{format_duration, parse_duration, Clock, Minute, MINUTES_PER_DAY};

/// The columns, named after the `[[visit]]` keys (in the schema's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    User,
    At,
    Active,
    Ends,
    Device,
    SessionId,
    Node,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::User,
        Column::At,
        Column::Active,
        Column::Ends,
        Column::Device,
        Column::SessionId,
        Column::Node,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::User => "user",
            Column::At => "at",
            Column::Active => "active",
            Column::Ends => "ends",
            Column::Device => "device",
            Column::SessionId => "session_id",
            Column::Node => "node",
        }
    }

    /// The required keys of `[[visit]]` (`user`, `at`, `active`) are required columns.
    pub fn required(self) -> bool {
        schema::field(Section::Visit, self.name()).is_some_and(|f| f.required)
    }

    fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Errors beyond this many in one table are counted, not listed.
const MAX_LISTED_ERRORS: usize = 50;

/// What the table's rows are checked against.
pub struct TableContext<'a> {
    /// The whole file.
    pub text: &'a str,
    pub lines: &'a LineIndex<'a>,
    pub clock: Option<&'a Clock>,
    /// The end of the simulated period, when `days` is valid.
    pub end: Option<Minute>,
    /// The node of a name, if it is declared.
    pub node: &'a dyn Fn(&str) -> Option<NodeId>,
    pub central: NodeId,
}

/// Where a byte of the string's value is in the file.
enum Locator {
    /// The value is the file's text (no escapes): offset + `body_start`.
    Exact { body_start: usize },
    /// Escapes change offsets: lines are counted from the string's first line
    /// (`starts`: where each line of the value begins).
    Lines {
        first_line: usize,
        starts: Vec<usize>,
    },
}

impl Locator {
    fn new(text: &str, value: &str, span: Range<usize>) -> Locator {
        let raw = text.get(span.clone()).unwrap_or("");
        let (open, close) = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            (3, 3)
        } else {
            (1, 1)
        };
        let mut body_start = span.start + open;
        let mut body = raw.get(open..raw.len().saturating_sub(close)).unwrap_or("");
        // TOML drops a newline right after the opening delimiter of a multi-line string.
        if open == 3 {
            if let Some(b) = body.strip_prefix("\r\n") {
                body = b;
                body_start += 2;
            } else if let Some(b) = body.strip_prefix('\n') {
                body = b;
                body_start += 1;
            }
        }
        if body == value {
            Locator::Exact { body_start }
        } else {
            let first_line = text[..body_start.min(text.len())].matches('\n').count() + 1;
            let mut starts = vec![0];
            starts.extend(value.match_indices('\n').map(|(i, _)| i + 1));
            Locator::Lines { first_line, starts }
        }
    }

    fn error(
        &self,
        cx: &TableContext,
        value: &str,
        offset: usize,
        message: String,
    ) -> ScenarioError {
        match self {
            Locator::Exact { body_start } => cx
                .lines
                .error_in_file(body_start + offset..body_start + offset, message),
            Locator::Lines { first_line, starts } => {
                let line = match starts.binary_search(&offset) {
                    Ok(i) => i,
                    Err(i) => i.saturating_sub(1),
                };
                let from = starts.get(line).copied().unwrap_or(0).min(value.len());
                let to = offset.clamp(from, value.len());
                let column = value.get(from..to).map(|t| t.chars().count()).unwrap_or(0) + 1;
                ScenarioError {
                    line: first_line + line,
                    column,
                    message,
                }
            }
        }
    }
}

/// Collects the table's errors, located, with a cap on how many are listed.
struct Errors<'a, 'b> {
    cx: &'a TableContext<'b>,
    value: &'a str,
    locator: Locator,
    out: &'a mut Vec<ScenarioError>,
    count: usize,
}

impl Errors<'_, '_> {
    fn at(&mut self, offset: usize, message: String) {
        self.count += 1;
        if self.count <= MAX_LISTED_ERRORS {
            let e = self.locator.error(self.cx, self.value, offset, message);
            self.out.push(e);
        }
    }

    fn cell(&mut self, record_start: usize, index: usize, column: Column, message: String) {
        let offset = cell_offset(self.value, record_start, index);
        self.at(
            offset,
            format!("`visits` table, column `{}`: {message}", column.name()),
        );
    }

    fn finish(self, last_offset: usize) {
        if self.count > MAX_LISTED_ERRORS {
            let more = self.count - MAX_LISTED_ERRORS;
            let e = self.locator.error(
                self.cx,
                self.value,
                last_offset,
                format!("… and {more} more errors in the `visits` table"),
            );
            self.out.push(e);
        }
    }
}

/// The byte offset of cell `index` of the record starting at `record_start`: the CSV is
/// read again with `csv_core`, which says how many input bytes each field took (quotes
/// and separators included), then leading blanks are skipped (cells are trimmed).
fn cell_offset(value: &str, record_start: usize, index: usize) -> usize {
    let bytes = value.as_bytes();
    let mut reader = csv_core::Reader::new();
    let mut input = bytes.get(record_start..).unwrap_or(&[]);
    let mut pos = record_start;
    let mut field = 0;
    let mut out = [0u8; 1024];
    while field < index {
        let (result, nin, _) = reader.read_field(input, &mut out);
        input = &input[nin..];
        pos += nin;
        match result {
            // Output full: the same field goes on (a step that reads nothing cannot loop).
            csv_core::ReadFieldResult::OutputFull if nin > 0 => {}
            csv_core::ReadFieldResult::OutputFull => break,
            csv_core::ReadFieldResult::Field { record_end } => {
                field += 1;
                if record_end {
                    break;
                }
            }
            csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::End => {
                if input.is_empty() {
                    break;
                }
            }
        }
    }
    while pos < bytes.len() && matches!(bytes[pos], b' ' | b'\t') {
        pos += 1;
    }
    pos.min(bytes.len())
}

/// Reads the table's rows into `builder` (after the `[[visit]]` tables already there);
/// every problem goes to `errors`, located in the file.
/// `value` is the string's value, `span` the string in the file.
pub fn read(
    value: &str,
    span: Range<usize>,
    cx: &TableContext,
    builder: &mut ScenarioBuilder,
    errors: &mut Vec<ScenarioError>,
) {
    let mut errs = Errors {
        cx,
        value,
        locator: Locator::new(cx.text, value, span),
        out: errors,
        count: 0,
    };
    // Cells are trimmed here rather than by the reader, which would copy every record.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(value.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut header: Option<Header> = None;
    let mut last = 0usize;
    let mut dates = DateCache::default();
    // An empty `ends` cell takes the default of `[[visit]]`.
    let default_ends =
        schema::from_word(&schema::END_WORDS, schema::default(Section::Visit, "ends"))
            .unwrap_or(Ends::Logout);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let offset = e.position().map(|p| p.byte() as usize).unwrap_or(last);
                errs.at(offset, format!("`visits` table: {e}"));
                break;
            }
        }
        let start = record.position().map(|p| p.byte() as usize).unwrap_or(last);
        last = start;
        // A line of blanks is an empty line.
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        let Some((columns, index)) = &header else {
            match read_header(&record, start, &mut errs) {
                Some(h) => header = Some(h),
                None => break,
            }
            continue;
        };
        if record.len() != columns.len() {
            errs.at(
                start,
                format!(
                    "`visits` table: this row has {} cells, the header names {} columns",
                    record.len(),
                    columns.len()
                ),
            );
            continue;
        }
        let row = Cells {
            record: &record,
            index,
            start,
            default_ends,
        };
        match read_row(&row, cx, builder, &mut errs, &mut dates) {
            RowResult::Ok | RowResult::Bad => {}
            RowResult::Full => break,
        }
    }
    if header.is_none() && errs.count == 0 {
        errs.at(
            0,
            "the `visits` table has no header: its first line names the columns, like `user,at,active,ends,device`"
                .into(),
        );
    }
    errs.finish(last);
}

type Header = (Vec<Option<Column>>, [Option<usize>; 7]);

fn read_header(record: &csv::StringRecord, start: usize, errs: &mut Errors) -> Option<Header> {
    let mut columns = Vec::with_capacity(record.len());
    let mut index: [Option<usize>; 7] = [None; 7];
    let mut ok = true;
    for (i, name) in record.iter().map(str::trim).enumerate() {
        match Column::from_name(name) {
            Some(c) => {
                let slot = &mut index[c as usize];
                if slot.is_some() {
                    let at = cell_offset(errs.value, start, i);
                    errs.at(
                        at,
                        format!("`visits` table: the column `{name}` is named twice"),
                    );
                    ok = false;
                }
                *slot = Some(i);
                columns.push(Some(c));
            }
            None => {
                let at = cell_offset(errs.value, start, i);
                errs.at(
                    at,
                    format!(
                        "`visits` table: unknown column `{name}`: expected {}",
                        Column::ALL.map(|c| c.name()).join(", ")
                    ),
                );
                ok = false;
                columns.push(None);
            }
        }
    }
    for c in Column::ALL {
        if c.required() && index[c as usize].is_none() {
            errs.at(
                start,
                format!(
                    "the `visits` table has no `{}` column (user, at and active are required)",
                    c.name()
                ),
            );
            ok = false;
        }
    }
    ok.then_some((columns, index))
}

enum RowResult {
    Ok,
    Bad,
    /// The scenario holds the most visits it can.
    Full,
}

/// The minute of the last date seen: rows written in time order (imports) share dates,
/// and `YYYY-MM-DDTHH:MM` on a known date needs no calendar arithmetic.
#[derive(Default)]
struct DateCache {
    date: [u8; 10],
    minute: Option<Minute>,
}

impl DateCache {
    /// `Clock::parse_time`, with the same result, faster for `YYYY-MM-DDTHH:MM`.
    fn parse(&mut self, clock: &Clock, text: &str) -> Result<Minute, String> {
        let b = text.as_bytes();
        if b.len() == 16 && b[10] == b'T' && b[13] == b':' {
            let two = |i: usize| -> Option<Minute> {
                let (x, y) = (b[i], b[i + 1]);
                (x.is_ascii_digit() && y.is_ascii_digit())
                    .then(|| Minute::from(x - b'0') * 10 + Minute::from(y - b'0'))
            };
            if let (Some(h), Some(m)) = (two(11), two(14)) {
                if h < 24 && m < 60 {
                    let day = match self.minute {
                        Some(d) if b[..10] == self.date => Some(d),
                        _ => clock.parse_time(&text[..10]).ok().inspect(|d| {
                            self.date.copy_from_slice(&b[..10]);
                            self.minute = Some(*d);
                        }),
                    };
                    if let Some(d) = day {
                        let at = d + h * 60 + m;
                        if at.abs() <= crate::base::time::MAX_DURATION {
                            return Ok(at);
                        }
                    }
                }
            }
        }
        clock.parse_time(text)
    }
}

/// One row's cells by column.
struct Cells<'r> {
    record: &'r csv::StringRecord,
    index: &'r [Option<usize>; 7],
    /// The row's first byte in the table.
    start: usize,
    default_ends: Ends,
}

impl Cells<'_> {
    /// The column's index and trimmed text, if the table has the column.
    fn get(&self, c: Column) -> Option<(usize, &str)> {
        self.index[c as usize].map(|i| (i, self.record[i].trim()))
    }

    /// The column's text; `None` when the table has no such column or the cell is empty.
    fn text(&self, c: Column) -> Option<&str> {
        self.get(c).map(|(_, t)| t).filter(|t| !t.is_empty())
    }

    fn error(&self, errs: &mut Errors, c: Column, message: String) {
        let (i, _) = self.get(c).unwrap_or((0, ""));
        errs.cell(self.start, i, c, message);
    }

    /// A required column's cell; an empty one is an error.
    fn required(&self, errs: &mut Errors, c: Column) -> Option<&str> {
        let (i, text) = self.get(c)?;
        if text.is_empty() {
            let message = "the cell is empty: every visit needs one".to_string();
            errs.cell(self.start, i, c, message);
            return None;
        }
        Some(text)
    }
}

/// One row, checked like a `[[visit]]` table, into the builder.
fn read_row(
    row: &Cells,
    cx: &TableContext,
    builder: &mut ScenarioBuilder,
    errs: &mut Errors,
    dates: &mut DateCache,
) -> RowResult {
    let user = row.required(errs, Column::User);
    let at_text = row.required(errs, Column::At);
    let active_text = row.required(errs, Column::Active);
    let (Some(user), Some(at_text), Some(active_text)) = (user, at_text, active_text) else {
        return RowResult::Bad;
    };
    let uid = builder.user_id(user);
    if uid.is_none() {
        let message = format!("unknown user `{user}`: declare it with [[user]] or a [[cohort]]");
        row.error(errs, Column::User, message);
    }
    let at = row_at(row, at_text, cx, errs, dates);
    let active = parse_duration(active_text)
        .map_err(|e| row.error(errs, Column::Active, e))
        .ok();
    let ends = row_ends(row, errs);
    let node = row_node(row, cx, errs);
    let (Some(uid), Some(at), Some(active), Some(ends), Some(node)) = (uid, at, active, ends, node)
    else {
        return RowResult::Bad;
    };
    let device = row.text(Column::Device).map_or(0, |d| builder.device(d));
    let session = row.text(Column::SessionId).map(|s| builder.session(s));
    let node = node.unwrap_or_else(|| {
        builder
            .users()
            .get(uid.index())
            .map(|u| u.node)
            .unwrap_or(cx.central)
    });
    let visit = Visit {
        user: uid,
        at,
        active,
        ends,
        device,
        session,
        node,
        script: 0,
    };
    if !builder.push_visit(visit) {
        let message = format!("too many visits (the limit is {})", limits::MAX_VISITS);
        errs.at(row.start, message);
        return RowResult::Full;
    }
    RowResult::Ok
}

/// The `at` cell: a time in the simulated period; `None` after an error (or without a
/// valid `start`).
fn row_at(
    row: &Cells,
    at_text: &str,
    cx: &TableContext,
    errs: &mut Errors,
    dates: &mut DateCache,
) -> Option<Minute> {
    let at = match cx.clock.map(|c| dates.parse(c, at_text))? {
        Ok(m) => m,
        Err(e) => {
            row.error(errs, Column::At, e);
            return None;
        }
    };
    match cx.end {
        Some(end) if at < 0 || at >= end => {
            let message = format!(
                "visit at `{at_text}` is outside the simulated period (day 0 00:00 to day {} 00:00): a visit must start before the end",
                end / MINUTES_PER_DAY
            );
            row.error(errs, Column::At, message);
            None
        }
        _ => Some(at),
    }
}

/// The `ends` cell (empty: the default); `None` after an error.
fn row_ends(row: &Cells, errs: &mut Errors) -> Option<Ends> {
    let Some(text) = row.text(Column::Ends) else {
        return Some(row.default_ends);
    };
    let ends = schema::from_word(&schema::END_WORDS, text);
    if ends.is_none() {
        let message = format!(
            "unknown end `{text}`: expected {}",
            schema::quoted(schema::ENDS)
        );
        row.error(errs, Column::Ends, message);
    }
    ends
}

/// The `node` cell: `Some(None)` when empty (the user's node), `None` after an error.
fn row_node(row: &Cells, cx: &TableContext, errs: &mut Errors) -> Option<Option<NodeId>> {
    let Some(name) = row.text(Column::Node) else {
        return Some(None);
    };
    let node = (cx.node)(name);
    if node.is_none() {
        let message = format!("unknown node `{name}`: declare it with [[node]]");
        row.error(errs, Column::Node, message);
    }
    node.map(Some)
}

/// The byte range of a top-level `visits = """…"""` string in `text`, found with TOML's
/// own lexer (strings and comments are skipped as TOML reads them) among the keys before
/// the first table header, where a top-level key must be. `None` if there is none.
pub fn locate(text: &str) -> Option<Range<usize>> {
    match find(text)? {
        Found::Literal(b) => Some(b.token..b.token_end),
        Found::Other(span) => Some(span),
    }
}

/// A top-level `visits = '''…'''` string (a multi-line literal string, as imports write
/// it), in offsets of the file: the parser cuts its body out before TOML reads the file
/// (TOML's parser would go through tens of MB of string a byte at a time) and reads the
/// body straight from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The opening `'''`.
    pub token: usize,
    /// The body: after the newline TOML drops after the opening delimiter, up to the
    /// closing `'''` (one or two quotes before it are the body's).
    pub open: usize,
    pub end: usize,
    /// Just after the closing `'''`.
    pub token_end: usize,
    /// Whether TOML takes the body as it is: no control character but tab and newlines
    /// (`\n`, `\r\n`).
    pub plain: bool,
}

/// The top-level `visits` string when it is a multi-line literal string.
pub fn literal(text: &str) -> Option<Body> {
    match find(text)? {
        Found::Literal(b) => Some(b),
        Found::Other(_) => None,
    }
}

/// From `from`: where the first `'''` is, and whether every byte before it is one a
/// multi-line literal string may hold (no control character but tab, `\n` and `\r\n`).
/// Eight bytes at a time: a chunk without a quote, a control character or DEL is
/// passed at once (the tests below may flag a byte wrongly, never miss one).
fn scan_literal(bytes: &[u8], from: usize) -> Option<(usize, bool)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut plain = true;
    let mut i = from;
    while i < bytes.len() {
        if let Some(chunk) = bytes
            .get(i..i + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
        {
            let x = u64::from_le_bytes(chunk);
            let control = x.wrapping_sub(0x20 * ONES) & !x & HIGH;
            if control | zero_in(x ^ (0x27 * ONES)) | zero_in(x ^ (0x7f * ONES)) == 0 {
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(bytes.len());
        while i < end {
            match bytes[i] {
                b'\'' if bytes[i..].starts_with(b"'''") => return Some((i, plain)),
                b'\t' | b'\n' | b'\'' => {}
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {}
                0..=0x1f | 0x7f => plain = false,
                _ => {}
            }
            i += 1;
        }
    }
    None
}

enum Found {
    Literal(Body),
    /// Any other string: its span, as TOML's lexer gives it.
    Other(Range<usize>),
}

/// A multi-line literal string opening at `at`, its end found as TOML finds it (the first
/// `'''`); `None` without one, or when the closing run is longer than TOML allows (5).
fn literal_at(text: &str, at: usize) -> Option<Body> {
    let bytes = text.as_bytes();
    let rest = bytes.get(at..)?;
    if !rest.starts_with(b"'''") {
        return None;
    }
    let open = at
        + 3
        + if rest[3..].starts_with(b"\r\n") {
            2
        } else if rest[3..].starts_with(b"\n") {
            1
        } else {
            0
        };
    let (close, plain) = scan_literal(bytes, open)?;
    let run = bytes[close..].iter().take_while(|&&b| b == b'\'').count();
    (run <= 5).then_some(Body {
        token: at,
        open,
        end: close + run - 3,
        token_end: close + run,
        plain,
    })
}

/// The top-level `visits` string (see [`locate`]).
fn find(text: &str) -> Option<Found> {
    use toml_parser::lexer::TokenKind;
    let source = toml_parser::Source::new(text);
    let mut line_start = true;
    // 0: looking for the key; 1: after `visits`; 2: after `=`.
    let mut state = 0u8;
    for token in source.lex() {
        let kind = token.kind();
        let span = token.span();
        match kind {
            TokenKind::Whitespace | TokenKind::Comment => continue,
            TokenKind::Newline => {
                line_start = true;
                state = 0;
                continue;
            }
            TokenKind::Eof => return None,
            _ => {}
        }
        let raw = text.get(span.start()..span.end()).unwrap_or("");
        match (state, kind) {
            (0, TokenKind::LeftSquareBracket) if line_start => return None,
            (0, TokenKind::Atom) if line_start && raw == "visits" => state = 1,
            (0, TokenKind::BasicString | TokenKind::LiteralString)
                if line_start && raw.len() == 8 && &raw[1..7] == "visits" =>
            {
                state = 1
            }
            (1, TokenKind::Equals) => {
                // The string is found here, before the lexer reads it whole.
                let bytes = text.as_bytes();
                let mut at = span.end();
                while matches!(bytes.get(at), Some(b' ' | b'\t')) {
                    at += 1;
                }
                if let Some(b) = literal_at(text, at) {
                    return Some(Found::Literal(b));
                }
                state = 2
            }
            (
                2,
                TokenKind::BasicString
                | TokenKind::LiteralString
                | TokenKind::MlBasicString
                | TokenKind::MlLiteralString,
            ) => return Some(Found::Other(span.start()..span.end())),
            _ => state = 0,
        }
        line_start = false;
    }
    None
}

/// The size limits (see [`limits`]): up to [`limits::MAX_TEXT_BYTES`], any file; larger,
/// only when what is over is the compact visits table, within
/// [`limits::MAX_VISITS_TABLE_BYTES`].
pub fn check_size(text: &str) -> Result<(), String> {
    check_size_with(text, || locate(text))
}

/// [`check_size`], the table found by `locate` (asked only for a file over the limit).
pub fn check_size_with(
    text: &str,
    locate: impl FnOnce() -> Option<Range<usize>>,
) -> Result<(), String> {
    if text.len() <= limits::MAX_TEXT_BYTES {
        return Ok(());
    }
    let mb = |n: usize| n / (1024 * 1024);
    let too_big = || {
        format!(
            "the file has {} bytes; the limit is {} MB, plus {} MB for the compact `visits` table (write large populations as [[cohort]]s, many visits in the `visits` table)",
            text.len(),
            mb(limits::MAX_TEXT_BYTES),
            mb(limits::MAX_VISITS_TABLE_BYTES)
        )
    };
    if text.len() > limits::MAX_FILE_BYTES {
        return Err(too_big());
    }
    match locate() {
        Some(span)
            if span.len() <= limits::MAX_VISITS_TABLE_BYTES
                && text.len() - span.len() <= limits::MAX_TEXT_BYTES =>
        {
            Ok(())
        }
        _ => Err(too_big()),
    }
}

/// The compact table of `visits` (in the order given), with the columns they need:
/// `user,at,active,ends`, then `device`, `session_id` and `node` when any visit sets them.
/// Times are written `YYYY-MM-DDTHH:MM`. The result is the body of a TOML multi-line
/// literal string: no cell holds `'''` (quoted cells escape nothing else).
pub fn write(sc: &Scenario, visits: &[Visit]) -> String {
    let has_device = visits.iter().any(|v| v.device != 0);
    let has_session = visits.iter().any(|v| v.session.is_some());
    let central = sc.central_node();
    let has_node = !sc.nodes.is_empty()
        && visits.iter().any(|v| {
            v.node
                != sc
                    .users
                    .get(v.user.index())
                    .map(|u| u.node)
                    .unwrap_or(central)
        });
    let mut out = String::with_capacity(visits.len() * 48 + 64);
    out.push_str("user,at,active,ends");
    for (on, name) in [
        (has_device, "device"),
        (has_session, "session_id"),
        (has_node, "node"),
    ] {
        if on {
            out.push(',');
            out.push_str(name);
        }
    }
    out.push('\n');
    let mut cell_buf = String::new();
    // The date of the last day written (`YYYY-MM-DD`): visits in time order share days.
    let mut day: Option<(Minute, String)> = None;
    for v in visits {
        push_cell(&mut out, &mut cell_buf, sc.user_name(v.user));
        out.push(',');
        let d = v.at.div_euclid(MINUTES_PER_DAY);
        if day.as_ref().is_none_or(|(x, _)| *x != d) {
            let date = sc.clock.format(d * MINUTES_PER_DAY);
            day = Some((d, date[..10].to_string()));
        }
        if let Some((_, date)) = &day {
            out.push_str(date);
        }
        let t = v.at.rem_euclid(MINUTES_PER_DAY);
        let _ = write!(out, "T{:02}:{:02}", t / 60, t % 60);
        out.push(',');
        out.push_str(&format_duration(v.active));
        out.push(',');
        out.push_str(v.ends.word());
        if has_device {
            out.push(',');
            if v.device != 0 {
                push_cell(&mut out, &mut cell_buf, sc.device_name(v.device));
            }
        }
        if has_session {
            out.push(',');
            if let Some(session) = v.session {
                let s = sc
                    .session_ids
                    .get(session.index())
                    .map(|s| s.as_str())
                    .unwrap_or("");
                push_cell(&mut out, &mut cell_buf, s);
            }
        }
        if has_node {
            out.push(',');
            push_cell(&mut out, &mut cell_buf, sc.node_name(v.node));
        }
        out.push('\n');
    }
    out
}

/// A CSV cell: quoted when it holds a comma, a quote, a line break or edge blanks.
fn push_cell(out: &mut String, buf: &mut String, text: &str) {
    let plain = !text.is_empty() && !text.contains([',', '"', '\n', '\r']) && text.trim() == text;
    if plain {
        out.push_str(text);
        return;
    }
    if text.is_empty() {
        return;
    }
    buf.clear();
    let _ = write!(buf, "\"{}\"", text.replace('"', "\"\""));
    out.push_str(buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_finds_the_top_level_table_only() {
        let t = "name = \"x\"\nvisits = \"\"\"\nuser,at,active\n\"\"\"\n[license]\n";
        let r = locate(t).expect("found");
        assert!(t[r].starts_with("\"\"\"\nuser"));
        // Inside a string, or after a table header, it is not the top-level key.
        assert_eq!(
            locate("description = \"\"\"\nvisits = '''\n'''\n\"\"\"\n"),
            None
        );
        assert_eq!(locate("[license]\nvisits = '''\n'''\n"), None);
        assert_eq!(locate("# visits = '''\nname = 'x'\n"), None);
    }

    #[test]
    fn cell_offsets_count_quotes_and_blanks() {
        let v = "a,\"b,c\", d\n";
        assert_eq!(cell_offset(v, 0, 0), 0);
        assert_eq!(cell_offset(v, 0, 1), 2);
        assert_eq!(cell_offset(v, 0, 2), 9);
    }

    #[test]
    fn cells_are_quoted_only_when_needed() {
        let mut out = String::new();
        let mut buf = String::new();
        push_cell(&mut out, &mut buf, "CORP\\sam");
        out.push('|');
        push_cell(&mut out, &mut buf, "a,\"b\"");
        assert_eq!(out, "CORP\\sam|\"a,\"\"b\"\"\"");
    }
}
