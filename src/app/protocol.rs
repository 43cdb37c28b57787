//! The messages between the page and the worker that runs the engine.
//!
//! Both sides post JSON text (`serde_json`): the page sends [`Request`]s, the worker
//! answers with [`Response`]s. The worker keeps the last finished run (the
//! [`crate::report::timeline::Recording`]) and answers questions about it (the state at a minute, a
//! page of the event log, the next event), so nothing large ever crosses to the page.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::base::time::Minute;

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
    Check { rev: u64, text: String },
    /// Parse, then run; a run under way is dropped.
    Run { rev: u64, text: String },
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
        text: String,
        /// Which page of rows each list section shows (by section key).
        pages: Vec<(String, usize)>,
    },
    /// A form edit applied to the text (keeping its comments): answered with new text.
    FormEdit {
        rev: u64,
        text: String,
        edit: FormEdit,
    },
    /// The fragment of a share link for `text`.
    Share {
        text: String,
    },
    /// The text a share link's fragment carries.
    Unshare {
        fragment: String,
    },
    /// Checks an imported file before it replaces anything.
    CheckImport {
        name: String,
        text: String,
    },
    /// Runs a second scenario to compare with the last finished run.
    Compare {
        text: String,
    },
    /// Sizing: runs one seed (the first with `heavy: None`).
    SizeSeed {
        text: String,
        seed: u64,
        heavy: Option<Vec<bool>>,
    },
    /// Sizing: the report of the seeds' runs, in seed order.
    SizeReport {
        text: String,
        /// The seeds' [`crate::tools::sizing::SeedRun`]s as the tools workers wrote them (the
        /// page only passes them on).
        runs: Vec<Box<serde_json::value::RawValue>>,
        max_denials: u64,
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
    /// Sizing of fixed visits in this worker, after growing the people by `grow`%
    /// ([`crate::tools::growth`]): answered with `SizeReported`.
    SizeHistory {
        text: String,
        grow: Option<u32>,
        seeds: u64,
        max_denials: u64,
    },
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
    /// The state at `at` as the command line's State JSON, of the run `run`.
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
    },
    ImportChecked {
        name: String,
        text: String,
        errors: Vec<ErrorView>,
    },
    Compared(Box<Result<CompareResult, Vec<ErrorView>>>),
    SeedDone {
        seed: u64,
        /// A [`crate::tools::sizing::SeedRun`], and its SIZE-2 set for the next seeds.
        result: Result<SeedDone, String>,
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
}

/// One seed's run, passed through the page untouched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedDone {
    pub run: Box<serde_json::value::RawValue>,
    pub heavy: Vec<bool>,
}

/// The sizing report as the page shows it: the tools worker writes it as markup (each
/// group's figures as sentences that say what they count and in which unit, the license
/// models, the command line's text), so the page only places it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizingView {
    pub html: String,
}

/// One figure of the sizing: what it is, its value with its unit, how it was found.
struct Figure {
    /// A stable name for the page (and its tests): `simulation`, `size-1`, `split`, …
    key: String,
    label: String,
    value: String,
    note: String,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A titled list of figures.
fn figures_html(group: &str, heading: &str, figures: &[Figure]) -> String {
    let items: String = figures
        .iter()
        .map(|f| {
            format!(
                "<div class=\"figure\" data-figure=\"{}\"><dt>{}</dt><dd><span class=\"figure-value\">{}</span><span class=\"figure-note\">{}</span></dd></div>",
                esc(&f.key),
                esc(&f.label),
                esc(&f.value),
                esc(&f.note)
            )
        })
        .collect();
    format!(
        "<section class=\"sizing-group\" data-group=\"{}\"><h3>{}</h3><dl>{items}</dl></section>",
        esc(group),
        esc(heading)
    )
}

fn figure(key: &str, label: &str, value: String, note: String) -> Figure {
    Figure {
        key: key.into(),
        label: label.into(),
        value,
        note,
    }
}

fn plural(n: f64, one: &str, many: &str) -> String {
    let s = if (n - n.round()).abs() < 1e-9 {
        format!("{}", n.round() as i64)
    } else {
        format!("{n:.1}")
    };
    format!("{s} {}", if s == "1" { one } else { many })
}

impl SizingView {
    pub fn of(report: &crate::tools::sizing::SizingReport) -> SizingView {
        let seeds = report.seeds;
        let mut html = format!("<p class=\"muted small\">Over {seeds} seeds.</p>");
        for g in &report.groups {
            {
                let refusals = if report.max_denials == 0 {
                    "no denial and no discontinuation".to_string()
                } else {
                    format!("at most {} refusals a month", report.max_denials)
                };
                let mut figures = vec![
                    figure(
                        "simulation",
                        "Smallest token count (simulation)",
                        g.min_tokens
                            .map(|t| plural(t as f64, "token", "tokens"))
                            .unwrap_or_else(|| "none qualifies".into()),
                        format!("with {refusals} in any of {seeds} seeds"),
                    ),
                    figure(
                        "size-1",
                        "SIZE-1 estimate",
                        plural(g.size1_tokens as f64, "token", "tokens"),
                        format!(
                            "{} people × {} passes × 120% / 10; {} is the average of {:.2} passes per person per 28 days, rounded up",
                            g.people, g.size1_passes, g.size1_passes, g.passes_per_person
                        ),
                    ),
                    figure(
                        "needed",
                        "Passes in use at once, at the peak",
                        format!(
                            "{} on average, {} at most",
                            plural(g.needed_passes.mean.round(), "pass", "passes"),
                            plural(g.needed_passes.max, "pass", "passes")
                        ),
                        "if passes never ran out (10 passes per token)".into(),
                    ),
                    figure(
                        "refused",
                        &format!("Refusals with the file's {} tokens", g.tokens_in_file),
                        format!(
                            "{} and {} per run on average",
                            plural(g.denied.mean, "denied connection", "denied connections"),
                            plural(g.discontinued.mean, "ended session", "ended sessions")
                        ),
                        format!(
                            "at most {} and {} in one seed",
                            g.denied.max, g.discontinued.max
                        ),
                    ),
                ];
                figures.push(match g.split() {
                    Some(sp) if sp.saves > 0 => figure(
                        "split",
                        "SIZE-2: cheaper with User Access Passes",
                        format!(
                            "{} in all: {} + a login group of {}",
                            plural(sp.total as f64, "token", "tokens"),
                            plural(sp.people as f64, "User Access Pass", "User Access Passes"),
                            plural(sp.rest_tokens as f64, "token", "tokens")
                        ),
                        format!(
                            "{} fewer than {}; passes for the people who use more than 10 passes in 28 days: {}",
                            plural(sp.saves as f64, "token", "tokens"),
                            sp.all,
                            g.uap_people.join(", ")
                        ),
                    ),
                    Some(sp) => figure(
                        "split",
                        "SIZE-2: no split",
                        "keep everyone on login passes".into(),
                        format!(
                            "{} use more than 10 passes in 28 days, but User Access Passes for them and a login group for the rest make {}, not fewer than {}",
                            plural(sp.people as f64, "person", "people"),
                            plural(sp.total as f64, "token", "tokens"),
                            sp.all
                        ),
                    ),
                    None => figure(
                        "split",
                        "SIZE-2: no split",
                        "keep everyone on login passes".into(),
                        "no one uses more than 10 passes in 28 days".into(),
                    ),
                });
                html.push_str(&figures_html(
                    &g.group,
                    &format!(
                        "Login access group {}: {}, {} in the file",
                        g.group,
                        plural(g.people as f64, "person", "people"),
                        plural(g.tokens_in_file as f64, "token", "tokens")
                    ),
                    &figures,
                ));
            }
        }
        let cohorts: Vec<Figure> = report
            .cohorts
            .iter()
            .map(|c| {
                figure(
                    "cohort",
                    &format!(
                        "{} ({})",
                        c.cohort,
                        plural(c.people as f64, "person", "people")
                    ),
                    format!(
                        "{} on average, {} at most",
                        plural(c.peak_28_days.mean, "pass", "passes"),
                        plural(c.peak_28_days.max, "pass", "passes")
                    ),
                    format!("{} above 10", plural(c.heavy as f64, "person", "people")),
                )
            })
            .collect();
        if !cohorts.is_empty() {
            html.push_str(&figures_html(
                "",
                "Passes per person in their busiest 28 days (SIZE-2: above 10, a User Access Pass costs less)",
                &cohorts,
            ));
        }
        let models: Vec<Figure> = report
            .models
            .iter()
            .map(|m| {
                let cost = m
                    .cost
                    .map(|c| format!("{c:.2} {}", report.currency).trim().to_string())
                    .unwrap_or_else(|| "no price given".into());
                figure(
                    "model",
                    &m.model,
                    format!("{} ({cost})", m.quantity),
                    m.note.clone(),
                )
            })
            .collect();
        html.push_str(&figures_html(
            "",
            "License models for the same population",
            &models,
        ));
        html.push_str(&format!(
            "<details><summary>The report as license-lab size prints it</summary><pre class=\"sizing-text\">{}</pre></details>",
            esc(&report.to_text())
        ));
        SizingView { html }
    }
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

/// The charts' data: counts at `times` (step functions: a value holds until the next).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub times: Vec<Minute>,
    pub total: Vec<i64>,
    pub free: Vec<i64>,
    pub user_passes: Vec<i64>,
    pub login_groups: Vec<i64>,
    pub pending: Vec<i64>,
    pub uap_allocated: Vec<i64>,
    pub uap_quarantined: Vec<i64>,
    /// Professional and Analyzer allocations, when the license has them.
    pub seats: Vec<SeatSeries>,
    pub groups: Vec<GroupSeries>,
    /// Denials and discontinuations, counted per minute (or per sampling step on long
    /// runs).
    pub markers: Vec<Marker>,
    pub months: Vec<MonthUse>,
    /// Whether `times` holds every minute at which something happened (short runs) or
    /// a regular sample (long runs).
    pub exact: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeatSeries {
    pub name: String,
    pub total: Vec<i64>,
    pub assigned: Vec<i64>,
    pub quarantined: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupSeries {
    pub name: String,
    pub passes: Vec<i64>,
    pub available: Vec<i64>,
    pub used: Vec<i64>,
    pub retiring: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    pub at: Minute,
    pub denied: u32,
    pub discontinued: u32,
}

/// One calendar month's capacity and Core minutes (at the month's last minute).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthUse {
    pub month: String,
    pub start: Minute,
    pub end: Minute,
    pub quota: i64,
    pub used: i64,
    pub overage: i64,
    pub core_quota: i64,
    pub core_used: i64,
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

/// The command line's State JSON (SCENARIOS.md), read back on the page. Groups keep the
/// file order of the JSON object.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StateView {
    pub at: String,
    pub tokens: TokensView,
    pub user_passes: UserPassesView,
    pub groups: Ordered<GroupView>,
    pub professional: SeatView,
    pub analyzer: SeatView,
    pub capacity: CapacityView,
    pub core: CoreView,
    pub connections: i64,
    pub totals: TotalsView,
    /// The project's extra keys, present when the scenario uses them.
    #[serde(default)]
    pub nodes: Option<Ordered<NodeView>>,
    #[serde(default)]
    pub deployments: Option<Ordered<DeploymentView>>,
    #[serde(default)]
    pub costs: Option<CostsView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NodeView {
    pub role: String,
    pub engine: bool,
    pub cores: i64,
    pub connected: bool,
    pub accepting: bool,
    pub connections: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DeploymentView {
    pub professional: i64,
    pub analyzer: i64,
    pub unsynced: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CostsView {
    pub currency: String,
    pub tokens: f64,
    pub professional: f64,
    pub analyzer: f64,
    pub capacity_packs: f64,
    pub overage: f64,
    pub total: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TokensView {
    pub total: i64,
    pub free: i64,
    pub user_passes: i64,
    pub login_groups: i64,
    pub pending: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserPassesView {
    pub allocated: i64,
    pub quarantined: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GroupView {
    pub passes: i64,
    pub available: i64,
    pub used: i64,
    pub retiring: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SeatView {
    pub total: i64,
    pub assigned: i64,
    pub quarantined: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CapacityView {
    pub month: String,
    pub quota: i64,
    pub used: i64,
    pub overage: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CoreView {
    pub month: String,
    pub quota: i64,
    pub used: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TotalsView {
    pub passes_consumed: i64,
    pub denied: i64,
    pub discontinued: i64,
}

/// A JSON object read as a list of entries in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, T>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}
