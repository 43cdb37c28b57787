//! The messages between the page and the worker that runs the engine.
//!
//! Both sides post JSON text (`serde_json`): the page sends [`Request`]s, the worker
//! answers with [`Response`]s. The worker keeps the last finished run (the
//! [`crate::report::timeline::Recording`]) and answers questions about it (the state at a minute, a
//! page of the event log, the next event), so nothing large ever crosses to the page.

use serde::{Deserialize, Serialize};

use crate::base::time::Minute;
use crate::report::series::Series;
use crate::scenario::{Scenario, ScenarioErrors};

/// Rows per page of the event log.
pub const PAGE_SIZE: usize = 100;

/// Which events the log shows. Empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// A rule id, e.g. `LAP-4`.
    pub rule: String,
    /// A kind label, e.g. `denied` (see [`crate::engine::events::Kind::label`]).
    pub kind: String,
    /// A user's name (that user only), part of one, or a pattern with `*`, any case
    /// ([`crate::report::filter::users_matching`]).
    pub user: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Parse only: validation as the user types.
    Check {
        rev: u64,
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
    },
    /// Parse, then run; a run under way is dropped.
    Run {
        rev: u64,
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
    },
    /// Drop the run under way; the last finished result stays.
    Cancel,
    /// The state at a minute of the last finished run.
    State { at: Minute },
    /// A page of the filtered log: page `page`, or the page holding the first event at
    /// or after `at` when `at` is given.
    Events {
        filter: Filter,
        page: usize,
        at: Option<Minute>,
    },
    /// The event after (`forward`) or before `from` in the filtered log; without `from`,
    /// the first event at or after `at` (forward) or the last at or before it.
    Step {
        filter: Filter,
        from: Option<u32>,
        at: Minute,
        forward: bool,
    },
    /// A download of the last finished run.
    Export { what: ExportWhat },
}

/// What the page asks the tools worker ([`super::tools`]), which the page starts on the
/// first use of a tool.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ToolRequest {
    /// The form view of the text: sections, rows (a page of each list), names, and the
    /// parser's errors placed at their rows.
    Form {
        rev: u64,
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
        /// Which page of rows each list section shows (by section key).
        pages: Vec<(String, usize)>,
    },
    /// A form edit applied to the text (keeping its comments): answered with new text.
    FormEdit {
        rev: u64,
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
        edit: FormEdit,
    },
    /// The fragment of a share link for `text` (and the sizing to run on opening it).
    Share {
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
        #[serde(default)]
        size: Option<crate::tools::share::SizeRequest>,
    },
    /// The text a share link's fragment carries.
    Unshare {
        fragment: String,
    },
    /// Checks an imported file before it replaces anything.
    CheckImport {
        name: String,
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
    },
    /// Runs a second scenario (B) to compare with the last finished run (A: revision
    /// `a_rev`, with its text when the worker may not hold that run).
    Compare {
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
        a_rev: u64,
        #[serde(default, deserialize_with = "super::large::whole_text_opt")]
        a_text: Option<String>,
    },
    /// Sizing: runs one seed (the first with `heavy: None`).
    SizeSeed {
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
        seed: u64,
        heavy: Option<Vec<bool>>,
    },
    /// Sizing: the report of the seeds' runs, in seed order, and the decision curve's
    /// plan ([`crate::tools::decision::Plan`]): answered with `SizePlanned`.
    SizeReport {
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
        /// The seeds' [`crate::tools::sizing::SeedRun`]s as the tools workers wrote them (the
        /// page only passes them on).
        runs: Vec<Box<serde_json::value::RawValue>>,
        max_denials: u64,
    },
    /// Sizing: one seed at every token count of the plan: answered with `CurveDone`.
    SizeCurve {
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
        seed: u64,
        plan: Box<serde_json::value::RawValue>,
    },
    /// Sizing: the decision from the seeds' curves (in seed order) and the report as
    /// markup: answered with `SizeReported`.
    SizeDecide {
        report: Box<serde_json::value::RawValue>,
        plan: Box<serde_json::value::RawValue>,
        curves: Vec<Box<serde_json::value::RawValue>>,
    },
    /// Import (issue 14): the page is about to post files (as a JS array, outside this
    /// JSON protocol: see [`super::import`]); answered with `ImportReady`.
    ImportStart,
    /// Opens the last import previewed: its text comes back outside this protocol, and
    /// it is kept in IndexedDB.
    ImportOpen,
    /// The imports kept in IndexedDB, as markup.
    ImportedList,
    /// Opens a kept import (its text comes back outside this protocol).
    ImportedOpen {
        name: String,
    },
    ImportedDelete {
        name: String,
    },
    /// The whole text of a large one whose stand-in the page has without its `Blob` (after
    /// a reload): found among the kept imports, its `Blob` comes back
    /// ([`super::large`]), then `LargeLoaded`.
    LargeLoad {
        id: String,
    },
    /// The use rights' warnings of a valid text (`report::use_rights`; run here when a
    /// check needs the run's log): answered with `UseRights`.
    UseRights {
        rev: u64,
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
    },
    /// Sizing of fixed visits in this worker, after growing the people by `grow`%
    /// ([`crate::tools::growth`]): answered with `SizeReported`.
    SizeHistory {
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
        grow: Option<u32>,
        seeds: u64,
        max_denials: u64,
    },
    /// Lives and reasons (issue 15) of run `rev`: the worker runs `text` once per
    /// revision (the page sends it with the first question about a run) and answers
    /// with markup (`ToolResponse::Lives`).
    Lives {
        rev: u64,
        #[serde(default, deserialize_with = "super::large::whole_text_opt")]
        text: Option<String>,
        ask: LivesAsk,
    },
}

/// What the lives view asks (see [`super::lives_markup`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LivesAsk {
    /// The passes of a group (`""`: the first), rows from `first`, pass `mark` outlined.
    Passes {
        group: String,
        first: u32,
        mark: Option<u32>,
    },
    /// The allocations, rows from `first`, allocation `mark` outlined.
    Allocations { first: u32, mark: Option<u32> },
    /// A person's devices (`""`: the first user).
    Person { user: String },
    /// The events that make count `key` what it is at `at` (`report::reasons`).
    Reasons { key: String, at: Minute },
    /// The lane of the pass, allocation or person event `index` concerns.
    Event { index: u32 },
}

/// Which part of the lives view an answer fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LivesPart {
    Lanes,
    Reasons,
    /// The worker does not hold run `rev` (restarted): ask again with the text.
    Missing,
}

/// A change made through the form (sections by their key: `scenario`, `license`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormEdit {
    Set {
        section: String,
        row: usize,
        key: String,
        value: String,
    },
    Add {
        section: String,
    },
    Remove {
        section: String,
        row: usize,
    },
    Duplicate {
        section: String,
        row: usize,
    },
    /// `count` users named `name-1` … `name-count` (or one cohort of them).
    AddUsers {
        name: String,
        count: usize,
        access: String,
        cohort: bool,
    },
    /// One change (`do`) at one time for each user of a list like `staff-1..20, sam`.
    ChangeUsers {
        verb: String,
        at: String,
        users: String,
        kind: String,
    },
}

/// A form edit as applied: the new text, and what else the edit changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edited {
    pub text: String,
    /// Said to the user (e.g. the name followed a count it quotes).
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportWhat {
    /// `license-lab run --format csv` (every day).
    TimelineCsv,
    /// `license-lab run --format json`.
    TimelineJson,
    /// `license-lab events --format csv`.
    EventsCsv,
}

impl ExportWhat {
    pub fn file_suffix(self) -> &'static str {
        match self {
            ExportWhat::TimelineCsv => "timeline.csv",
            ExportWhat::TimelineJson => "timeline.json",
            ExportWhat::EventsCsv => "events.csv",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ExportWhat::TimelineCsv | ExportWhat::EventsCsv => "text/csv",
            ExportWhat::TimelineJson => "application/json",
        }
    }
}

/// The form's view of the scenario text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormModel {
    /// The TOML does not parse: the form cannot show it until the text is mended.
    pub syntax: Option<ErrorView>,
    pub sections: Vec<FormSection>,
    /// Names for the reference selects.
    pub users: Vec<String>,
    pub groups: Vec<String>,
    pub nodes: Vec<String>,
    pub deployments: Vec<String>,
    /// Cohorts (their members are named `NAME-1` …).
    pub cohorts: Vec<String>,
    /// The parser's errors, each placed at its section, row and key where it can be.
    pub errors: Vec<FormError>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormSection {
    pub key: String,
    pub rows: Vec<FormRow>,
    /// All rows of a list section (`rows` holds one page of them).
    pub total: usize,
    pub page: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormRow {
    pub index: usize,
    /// The keys present and their values as the form shows them.
    pub values: Vec<(String, String)>,
    /// Keys the format does not know (kept, not editable here).
    pub unknown: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormError {
    pub section: String,
    pub row: usize,
    pub key: Option<String>,
    pub line: usize,
    pub message: String,
}

/// Rows of a list section per page of the form.
pub const FORM_PAGE: usize = 50;

/// One run's key figures and chart data, for the compare view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareResult {
    pub info: ScenarioInfo,
    pub summary: crate::report::timeline::Summary,
    pub series: Series,
    /// The answer line and the key figures, the most changed first, as markup
    /// (`report::compare`, written in the tools worker).
    pub answer_html: String,
    /// The compare charts' keys (`compare-used`, …), the most different first, each
    /// with whether it is flat in both runs (folded away).
    pub charts: Vec<(String, bool)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    /// The worker is listening (messages sent before this are lost).
    Ready,
    Checked {
        rev: u64,
        outcome: Checked,
    },
    Started {
        rev: u64,
        end: Minute,
    },
    Progress {
        rev: u64,
        now: Minute,
        end: Minute,
    },
    Cancelled {
        rev: u64,
    },
    Finished(Box<RunResult>),
    /// The state at `at` as the command line's State JSON, of the run `run` (the page
    /// reads it as a [`crate::report::state::State`] and shows the text too).
    State {
        run: u64,
        at: Minute,
        json: String,
    },
    Events {
        run: u64,
        page: EventPage,
    },
    Stepped {
        run: u64,
        step: Option<Step>,
    },
    Exported {
        what: ExportWhat,
        /// The scenario's name (for the file name).
        name: String,
        #[serde(deserialize_with = "super::large::whole_text")]
        text: String,
    },
}

/// What the tools worker answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ToolResponse {
    /// The worker is listening (messages sent before this are lost).
    Ready,
    Form {
        rev: u64,
        model: FormModel,
    },
    FormEdited {
        rev: u64,
        result: Result<Edited, String>,
    },
    Shared {
        result: Result<String, String>,
    },
    Unshared {
        result: Result<String, String>,
        /// The sizing the link asks for.
        #[serde(default)]
        size: Option<crate::tools::share::SizeRequest>,
    },
    ImportChecked {
        name: String,
        text: String,
        errors: Vec<ErrorView>,
    },
    Compared(Box<Result<CompareResult, Vec<ErrorView>>>),
    /// The use rights' warnings of revision `rev`, in file order.
    UseRights {
        rev: u64,
        warnings: Vec<crate::scenario::use_rights::Warning>,
    },
    /// The answer to `LargeLoad`: whether the text was found (its `Blob` then came first).
    LargeLoaded {
        id: String,
        found: bool,
    },
    SeedDone {
        seed: u64,
        /// A [`crate::tools::sizing::SeedRun`], and its SIZE-2 set for the next seeds.
        result: Result<SeedDone, String>,
    },
    /// The report ([`crate::tools::sizing::SizingReport`]) and the curve's plan, passed
    /// through the page untouched.
    SizePlanned {
        result: Result<Planned, String>,
    },
    /// One seed's [`crate::tools::decision::SeedCurve`].
    CurveDone {
        seed: u64,
        result: Result<Box<serde_json::value::RawValue>, String>,
    },
    SizeReported {
        result: Result<SizingView, String>,
    },
    /// Listening for the files of an import.
    ImportReady,
    /// An import's preview (or why the files could not be read), as markup.
    ImportPreview {
        html: String,
        ok: bool,
    },
    /// The imports kept in IndexedDB, as markup, and how many.
    ImportedList {
        html: String,
        count: usize,
    },
    /// Lanes or reasons of run `rev`, as markup.
    Lives {
        rev: u64,
        part: LivesPart,
        html: String,
    },
}

/// One seed's run, passed through the page untouched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedDone {
    pub run: Box<serde_json::value::RawValue>,
    pub heavy: Vec<bool>,
}

/// A sizing's report and its decision curve's plan, as the tools worker wrote them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Planned {
    pub report: Box<serde_json::value::RawValue>,
    pub plan: Box<serde_json::value::RawValue>,
}

/// The sizing report as the page shows it: the tools worker writes it as markup (the
/// decision's sentence and chart, each group's figures as sentences that say what they
/// count and in which unit, the license models, the command line's text), so the page
/// only places it; `csv` is the decision curve's export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizingView {
    pub html: String,
    #[serde(default)]
    pub csv: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Checked {
    Valid(ScenarioInfo),
    Invalid(Vec<ErrorView>),
}

/// One error of the scenario text (the parser's [`crate::scenario::ScenarioError`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorView {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ErrorView {
    /// The parser's errors, as the page shows them.
    pub fn list(errs: ScenarioErrors) -> Vec<ErrorView> {
        errs.0
            .into_iter()
            .map(|e| ErrorView {
                line: e.line,
                column: e.column,
                message: e.message,
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: String,
    /// Day 0, `YYYY-MM-DD`.
    pub start: String,
    pub days: i64,
    pub end: Minute,
    pub users: usize,
    pub visits: usize,
    /// The scenario's `seed` (sizing starts from it).
    pub seed: u64,
}

impl ScenarioInfo {
    pub fn of(sc: &Scenario) -> ScenarioInfo {
        ScenarioInfo {
            name: sc.name.clone(),
            description: sc.description.clone(),
            start: sc.clock.start().format("%Y-%m-%d").to_string(),
            days: sc.days,
            end: sc.end(),
            users: sc.users.len(),
            visits: sc.visits.len(),
            seed: sc.seed,
        }
    }
}

/// A finished run: what the page draws without asking again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// The editor revision that was run.
    pub rev: u64,
    pub info: ScenarioInfo,
    pub events: usize,
    /// Rule ids cited in the log, in rule-book order, with their counts.
    pub rules: Vec<(String, usize)>,
    /// Event kinds in the log with their counts.
    pub kinds: Vec<(String, usize)>,
    /// Milliseconds the worker spent (parse, run, series).
    pub run_ms: f64,
    pub series: Series,
    pub summary: crate::report::timeline::Summary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    /// Position in the whole log.
    pub index: u32,
    pub at: Minute,
    pub rule: String,
    pub user: String,
    pub kind: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPage {
    pub filter: Filter,
    pub page: usize,
    pub pages: usize,
    /// Events matching the filter.
    pub total: usize,
    pub rows: Vec<EventRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub row: EventRow,
    /// 0-based position in the filtered log, of `total`.
    pub position: usize,
    pub total: usize,
}
