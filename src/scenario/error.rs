//! Errors in scenario text: every one names the line and column and says what is wrong.

use std::cell::OnceCell;
use std::fmt;
use std::ops::Range;

/// One problem found in a scenario file, located at a line and column (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScenarioError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// All the problems of a rejected file (a file is accepted whole or rejected whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

/// Turns byte offsets into line and column numbers. The lines are found on the first
/// question (a valid file asks none: a 50 MB import is not scanned for them).
///
/// The parser may read the file with the compact `visits` table's body cut out
/// ([`with_cut`](Self::with_cut)): offsets into that text ([`text`](Self::text)) are
/// then moved past the cut, so every error is still at the file's line and column.
pub struct LineIndex<'a> {
    /// What the offsets of [`position`](Self::position) point into.
    text: &'a str,
    /// The whole file.
    file: &'a str,
    /// Where `text` lacks a piece of `file`: its offset in `text` and its length.
    cut: Option<(usize, usize)>,
    line_starts: OnceCell<Vec<usize>>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            file: text,
            cut: None,
            line_starts: OnceCell::new(),
        }
    }

    /// `text` is `file` without the `len` bytes that were at offset `at`.
    pub fn with_cut(file: &'a str, text: &'a str, at: usize, len: usize) -> Self {
        LineIndex {
            text,
            file,
            cut: Some((at, len)),
            line_starts: OnceCell::new(),
        }
    }

    /// The text the offsets point into (the file, unless a piece was cut out).
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The whole file.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// 1-based line and column (in characters) of a byte offset into [`text`](Self::text).
    pub fn position(&self, offset: usize) -> (usize, usize) {
        self.position_in_file(self.in_file(offset))
    }

    /// The file's offset of an offset into [`text`](Self::text).
    fn in_file(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.cut {
            Some((at, len)) if offset >= at => offset + len,
            _ => offset,
        }
    }

    /// 1-based line and column (in characters) of a byte offset into the file.
    pub fn position_in_file(&self, offset: usize) -> (usize, usize) {
        let file = self.file;
        let offset = offset.min(file.len());
        let starts = self.line_starts.get_or_init(|| {
            let mut s = vec![0];
            s.extend(file.match_indices('\n').map(|(i, _)| i + 1));
            s
        });
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = starts[line];
        let mut end = offset;
        while !file.is_char_boundary(end) {
            end -= 1;
        }
        let column = file[start..end].chars().count() + 1;
        (line + 1, column)
    }

    /// An error at `span`, an offset into [`text`](Self::text).
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        let at = self.in_file(span.start);
        self.error_in_file(at..at, message)
    }

    /// An error at `span`, an offset into the file.
    pub fn error_in_file(&self, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        let (line, column) = self.position_in_file(span.start);
        ScenarioError {
            line,
            column,
            message: message.into(),
        }
    }
}
