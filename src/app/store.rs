//! The app's state: signals shared by every panel, and the actions that change them
//! (edit, run, cancel, move the time cursor, step through the log). Responses from the
//! worker land in [`Store::on_response`].

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;

use super::client::{self, Lane};
use super::protocol::*;
use crate::base::time::{Clock, Minute};
use crate::report::state::State;

/// Quiet time after the last keystroke before the text is checked (and run).
const DEBOUNCE: Duration = Duration::from_millis(300);

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Waiting for the worker to start.
    Starting,
    Idle,
    Running {
        rev: u64,
        now: Minute,
        end: Minute,
    },
    Cancelled,
    Failed(String),
}

/// The outcome of checking one revision of the text; `None` while it is being checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckState {
    pub rev: u64,
    pub outcome: Option<Checked>,
}

/// The state shown in the state panel, and the one shown before it (for highlighting
/// what changed).
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub run: u64,
    pub at: Minute,
    pub state: State,
    /// The State JSON as the worker wrote it (`license-lab state`'s text).
    pub json: String,
    pub before: Option<State>,
}

/// Who moved the time cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The scrubber, the time field or a chart: the log follows to that time.
    Time,
    /// A click in the log or a step: the log stays where it is.
    Log,
}

/// How the scenario is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditView {
    Text,
    Form,
}

/// What the result column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultTab {
    Run,
    Compare,
    Sizing,
}

/// A message for the user about something a tool did (share, import, save, export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
    /// Offers "Restore the text you were editing" ([`super::history::restore`]).
    pub restore: bool,
}

/// The compare view: the second scenario's text and its run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompareState {
    pub text: String,
    pub running: bool,
    pub result: Option<Result<Arc<CompareResult>, Vec<ErrorView>>>,
}

/// Sizing in the browser: seeds run in several workers, then the report.
#[derive(Debug, Clone, Default)]
pub struct SizingState {
    pub running: bool,
    /// Cancel stopped the last sizing (the result, if any, is from the one before).
    pub cancelled: bool,
    /// Seeds done, of `seeds`.
    pub done: usize,
    pub seeds: usize,
    pub workers: usize,
    pub started_ms: f64,
    pub ms: f64,
    pub result: Option<Result<Arc<SizingView>, String>>,
}

#[derive(Clone, Copy)]
pub struct Store {
    /// The editor's text as typed.
    pub text: RwSignal<String>,
    /// Text pushed into the editor from outside (the gallery); typing does not set it.
    pub loaded: RwSignal<String>,
    /// Incremented on every change of `text`.
    pub rev: RwSignal<u64>,
    /// The newest revision sent to the worker.
    sent: StoredValue<u64>,
    pub auto_run: RwSignal<bool>,
    pub check: RwSignal<CheckState>,
    pub phase: RwSignal<Phase>,
    pub result: RwSignal<Option<Arc<RunResult>>>,
    pub cursor: RwSignal<Minute>,
    pub hover: RwSignal<Option<Minute>>,
    pub shown: RwSignal<Option<Shown>>,
    pub filter: RwSignal<Filter>,
    pub page: RwSignal<Option<EventPage>>,
    pub selected: RwSignal<Option<u32>>,
    pub step: RwSignal<Option<Step>>,
    /// Said when a step finds no further event.
    pub step_note: RwSignal<Option<&'static str>>,
    last_step_forward: StoredValue<bool>,
    /// The rule-book panel: `Some("")` shows the index, `Some(id)` one rule.
    pub rule: RwSignal<Option<String>>,
    /// The rule book has been fetched ([`super::rulebook::load`]).
    pub rules_ready: RwSignal<bool>,
    /// The gallery entry last loaded (its file name).
    pub example: RwSignal<Option<&'static str>>,
    pub edit_view: RwSignal<EditView>,
    /// The form's view of the text, for the revision it was made from.
    pub form: RwSignal<Option<(u64, FormModel)>>,
    /// The page of rows each list section of the form shows.
    pub form_pages: RwSignal<Vec<(String, usize)>>,
    /// The last form edit the text refused: (section, row, key, why).
    pub form_error: RwSignal<Option<(String, usize, String, String)>>,
    pub notice: RwSignal<Option<Notice>>,
    /// The last share link made (or why none could be).
    pub share: RwSignal<Option<Result<String, String>>>,
    pub tab: RwSignal<ResultTab>,
    pub compare: RwSignal<CompareState>,
    pub sizing: RwSignal<SizingState>,
    /// Where the last form edit was typed (to place a refusal beside it).
    edit_target: StoredValue<Option<(String, usize, String)>>,
}

impl Store {
    pub fn new(text: &str, example: Option<&'static str>) -> Self {
        Store {
            text: RwSignal::new(text.to_string()),
            loaded: RwSignal::new(text.to_string()),
            rev: RwSignal::new(1),
            sent: StoredValue::new(0),
            auto_run: RwSignal::new(true),
            check: RwSignal::new(CheckState {
                rev: 1,
                outcome: None,
            }),
            phase: RwSignal::new(Phase::Starting),
            result: RwSignal::new(None),
            cursor: RwSignal::new(0),
            hover: RwSignal::new(None),
            shown: RwSignal::new(None),
            filter: RwSignal::new(Filter::default()),
            page: RwSignal::new(None),
            selected: RwSignal::new(None),
            step: RwSignal::new(None),
            step_note: RwSignal::new(None),
            last_step_forward: StoredValue::new(true),
            rule: RwSignal::new(None),
            example: RwSignal::new(example),
            rules_ready: RwSignal::new(false),
            edit_view: RwSignal::new(EditView::Text),
            form: RwSignal::new(None),
            form_pages: RwSignal::new(Vec::new()),
            form_error: RwSignal::new(None),
            notice: RwSignal::new(None),
            share: RwSignal::new(None),
            tab: RwSignal::new(ResultTab::Run),
            compare: RwSignal::new(CompareState::default()),
            sizing: RwSignal::new(SizingState::default()),
            edit_target: StoredValue::new(None),
        }
    }

    /// Replaces the whole text within the scenario (a form edit) and checks and runs it;
    /// Ctrl+Z takes it back ([`super::history`]).
    pub fn replace_text(self, text: String) {
        super::history::replacing(self);
        self.show_text(text, None);
        super::history::set_address("#");
        super::history::save(self);
    }

    /// Opens a scenario (an example, a new one, an import, a saved one, a shared link): a
    /// new entry of the tab's history (`how`), from the start of its time, with unsaved
    /// edits of the text it replaces put aside (the notice offers them back). `address`
    /// is the fragment that names it (`#walkthrough.toml`, a link), if any.
    pub fn open(
        self,
        text: String,
        example: Option<&'static str>,
        how: super::history::How,
        address: Option<&str>,
    ) {
        let aside = super::history::leaving(self, how);
        self.cursor.set(0);
        self.selected.set(None);
        self.step.set(None);
        self.filter.set(Filter::default());
        self.show_text(text, example);
        super::history::entered(self, how, address);
        if aside {
            self.say_restorable("The text you were editing is kept:");
        }
    }

    /// An entry of the tab's history, as it was left (Back, Forward).
    pub fn show_entry(self, entry: super::history::Entry) {
        self.cursor.set(entry.cursor);
        self.selected.set(None);
        self.step.set(None);
        self.show_text(entry.text.clone(), entry.example());
    }

    /// Puts `text` in the editor as a whole (remembered for the next visit), then checks
    /// and runs it.
    pub fn show_text(self, text: String, example: Option<&'static str>) {
        super::library::remember_last(&text);
        self.loaded.set(text.clone());
        self.text.set(text);
        self.rev.update(|r| *r += 1);
        self.example.set(example);
        self.run_now();
        self.refresh_form();
    }

    /// Asks for the form's view of the current text (when the form is shown).
    pub fn refresh_form(self) {
        if self.edit_view.get_untracked() != EditView::Form {
            return;
        }
        super::tools_client::send(&ToolRequest::Form {
            rev: self.rev.get_untracked(),
            text: self.text.get_untracked(),
            pages: self.form_pages.get_untracked(),
        });
    }

    /// An edit made in the form: applied to the text by the worker (comments kept).
    pub fn form_edit(self, edit: FormEdit) {
        self.form_error.set(None);
        if let FormEdit::Set {
            section, row, key, ..
        } = &edit
        {
            self.edit_target
                .set_value(Some((section.clone(), *row, key.clone())));
        } else {
            self.edit_target.set_value(None);
        }
        super::tools_client::send(&ToolRequest::FormEdit {
            rev: self.rev.get_untracked(),
            text: self.text.get_untracked(),
            edit,
        });
    }

    /// Tells the user something; a notice that offers the text put aside keeps offering
    /// it while it is there.
    pub fn say(self, error: bool, text: impl Into<String>) {
        let restore = super::history::has_aside()
            && self
                .notice
                .with_untracked(|n| n.as_ref().is_some_and(|n| n.restore));
        self.notice.set(Some(Notice {
            error,
            text: text.into(),
            restore,
        }));
    }

    /// A notice with the button that restores the text an opening put aside.
    pub fn say_restorable(self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: false,
            text: text.into(),
            restore: true,
        }));
    }

    /// Starts the worker and runs the text loaded at start.
    pub fn connect(self) {
        super::tools_client::init(self);
        client::start(
            move |resp| self.on_response(resp),
            move |msg| self.phase.set(Phase::Failed(msg)),
        );
        self.run_now();
    }

    /// The scenario's name as its text says it now (the title, download names and run
    /// status follow it), else the last run's.
    pub fn name(self) -> String {
        self.text
            .with(|t| crate::scenario::about::top_string(t, "name"))
            .or_else(|| {
                self.result
                    .with(|r| r.as_ref().map(|r| r.info.name.clone()))
            })
            .unwrap_or_else(|| "Untitled scenario".to_string())
    }

    pub fn name_untracked(self) -> String {
        untrack(|| self.name())
    }

    /// The clock of the shown result (calendar dates of simulated minutes).
    pub fn clock(self) -> Option<Clock> {
        self.result.with(|r| {
            r.as_ref()
                .and_then(|r| crate::base::time::parse_date(&r.info.start))
                .map(Clock::new)
        })
    }

    /// The last minute of the shown result.
    pub fn end(self) -> Minute {
        self.result
            .with(|r| r.as_ref().map(|r| r.info.end).unwrap_or(0))
    }

    /// Whether the shown result is older than the text in the editor.
    pub fn stale(self) -> bool {
        let rev = self.rev.get();
        self.result
            .with(|r| r.as_ref().is_some_and(|r| r.rev != rev))
    }

    /// The user typed: check (and run) once typing pauses.
    pub fn edited(self, text: String) {
        self.text.set(text);
        // The text is no longer the example or the link the address names: the address
        // must not offer it as such.
        if self.example.get_untracked().is_some() {
            self.example.set(None);
        }
        if window().location().hash().is_ok_and(|h| h.len() > 1) {
            super::history::set_address("#");
        }
        let rev = self.rev.get_untracked() + 1;
        self.rev.set(rev);
        set_timeout(
            move || {
                if self.rev.get_untracked() == rev && self.sent.get_value() < rev {
                    self.sent.set_value(rev);
                    let text = self.text.get_untracked();
                    super::library::remember_last(&text);
                    super::history::save(self);
                    self.refresh_form();
                    self.check.set(CheckState { rev, outcome: None });
                    if self.auto_run.get_untracked() {
                        client::send(&Request::Run { rev, text });
                    } else {
                        client::send(&Request::Check { rev, text });
                    }
                }
            },
            DEBOUNCE,
        );
    }

    /// Checks and runs the current text now.
    pub fn run_now(self) {
        let rev = self.rev.get_untracked();
        self.sent.set_value(rev);
        self.check.set(CheckState { rev, outcome: None });
        client::send(&Request::Run {
            rev,
            text: self.text.get_untracked(),
        });
    }

    pub fn cancel(self) {
        client::send(&Request::Cancel);
    }

    /// Moves the time cursor and asks for the state there (and, from the time controls,
    /// for the page of the log at that time).
    pub fn move_cursor(self, at: Minute, source: Source) {
        let at = at.clamp(0, self.end());
        self.cursor.set(at);
        if self.result.with_untracked(|r| r.is_none()) {
            return;
        }
        client::send_latest(Lane::State, Request::State { at });
        if source == Source::Time {
            self.selected.set(None);
            self.step.set(None);
            self.step_note.set(None);
            self.request_events(0, Some(at));
        }
    }

    /// Asks for a page of the log with the current filter.
    pub fn request_events(self, page: usize, at: Option<Minute>) {
        if self.result.with_untracked(|r| r.is_none()) {
            return;
        }
        client::send_latest(
            Lane::Events,
            Request::Events {
                filter: self.filter.get_untracked(),
                page,
                at,
            },
        );
    }

    /// A new filter: back to the page at the cursor.
    pub fn set_filter(self, f: impl FnOnce(&mut Filter)) {
        self.filter.update(f);
        self.request_events(0, Some(self.cursor.get_untracked()));
    }

    /// Selects an event of the log and moves the cursor to it.
    pub fn select(self, row: &EventRow) {
        self.selected.set(Some(row.index));
        self.step.set(None);
        self.move_cursor(row.at, Source::Log);
    }

    /// Step mode: the next or previous event of the filtered log.
    pub fn step_by(self, forward: bool) {
        if self.result.with_untracked(|r| r.is_none()) {
            return;
        }
        self.last_step_forward.set_value(forward);
        self.step_note.set(None);
        client::send(&Request::Step {
            filter: self.filter.get_untracked(),
            from: self.selected.get_untracked(),
            at: self.cursor.get_untracked(),
            forward,
        });
    }

    fn current_run(self) -> Option<u64> {
        self.result.with_untracked(|r| r.as_ref().map(|r| r.rev))
    }

    pub fn on_response(self, resp: Response) {
        match resp {
            Response::Ready => {
                if self.phase.get_untracked() == Phase::Starting {
                    self.phase.set(Phase::Idle);
                }
            }
            Response::Checked { rev, outcome } => {
                if rev == self.rev.get_untracked() {
                    self.check.set(CheckState {
                        rev,
                        outcome: Some(outcome),
                    });
                }
            }
            Response::Started { rev, end } => {
                self.phase.set(Phase::Running { rev, now: 0, end });
            }
            Response::Progress { rev, now, end } => {
                if matches!(self.phase.get_untracked(), Phase::Running { rev: r, .. } if r == rev) {
                    self.phase.set(Phase::Running { rev, now, end });
                }
            }
            Response::Cancelled { .. } => self.phase.set(Phase::Cancelled),
            Response::Finished(result) => {
                if matches!(self.phase.get_untracked(), Phase::Running { rev, .. } if rev == result.rev)
                {
                    self.phase.set(Phase::Idle);
                }
                let end = result.info.end;
                client::reset_lanes();
                self.result.set(Some(Arc::new(*result)));
                self.selected.set(None);
                self.step.set(None);
                let at = self.cursor.get_untracked().clamp(0, end);
                self.move_cursor(at, Source::Time);
            }
            Response::State { run, at, json } => {
                if client::lane_answered(Lane::State) || Some(run) != self.current_run() {
                    return;
                }
                let state: State = match serde_json::from_str(&json) {
                    Ok(v) => v,
                    Err(e) => {
                        web_sys::console::warn_1(&format!("state: {e}").into());
                        return;
                    }
                };
                self.shown.update(|s| {
                    let before = match s.take() {
                        Some(old) if old.run != run => None,
                        Some(old) if old.at == at => old.before,
                        Some(old) => Some(old.state),
                        None => None,
                    };
                    *s = Some(Shown {
                        run,
                        at,
                        state,
                        json,
                        before,
                    });
                });
            }
            Response::Events { run, page } => {
                if client::lane_answered(Lane::Events) || Some(run) != self.current_run() {
                    return;
                }
                self.page.set(Some(page));
            }
            Response::Stepped { run, step } => {
                if Some(run) != self.current_run() {
                    return;
                }
                let Some(step) = step else {
                    self.step_note
                        .set(Some(if self.last_step_forward.get_value() {
                            "No later event in the log (with these filters)."
                        } else {
                            "No earlier event in the log (with these filters)."
                        }));
                    return;
                };
                self.selected.set(Some(step.row.index));
                let page = step.position / PAGE_SIZE;
                if self.page.with_untracked(|p| p.as_ref().map(|p| p.page)) != Some(page) {
                    self.request_events(page, None);
                }
                self.move_cursor(step.row.at, Source::Log);
                self.step.set(Some(step));
            }
            Response::Exported { what, text, .. } => {
                super::downloads::text_file(
                    &format!(
                        "{}-{}",
                        super::downloads::file_stem(&self.name_untracked()),
                        what.file_suffix()
                    ),
                    what.mime(),
                    &text,
                );
            }
        }
    }

    /// Handles an answer of the tools worker ([`super::tools_client`]).
    pub fn on_tool_response(self, resp: ToolResponse) {
        match resp {
            ToolResponse::Ready => {}
            ToolResponse::Form { rev, model } => {
                if rev == self.rev.get_untracked() {
                    self.form.set(Some((rev, model)));
                }
            }
            ToolResponse::FormEdited { rev, result } => {
                if rev != self.rev.get_untracked() {
                    return;
                }
                match result {
                    Ok(edited) => {
                        self.replace_text(edited.text);
                        if let Some(note) = edited.note {
                            self.say(false, note);
                        }
                    }
                    Err(why) => match self.edit_target.get_value() {
                        // Shown beside the input the value was typed into.
                        Some((section, row, key)) => {
                            self.form_error.set(Some((section, row, key, why)));
                            self.form.update(|_| {});
                        }
                        None => self.say(true, why),
                    },
                }
            }
            ToolResponse::Shared { result } => {
                if let Ok(fragment) = &result {
                    super::history::set_address(&format!("#{fragment}"));
                }
                self.share.set(Some(result));
            }
            ToolResponse::Unshared { result } => match result {
                Ok(text) => {
                    let how = super::share::pending_how();
                    self.open(text, None, how, None);
                    self.say(false, "Opened the scenario from the link.");
                }
                Err(why) => self.say(true, format!("This link cannot be opened: {why}.")),
            },
            ToolResponse::ImportChecked { name, text, errors } => {
                if errors.is_empty() {
                    self.open(text, None, super::history::How::Push, Some("#"));
                    self.say(false, format!("Imported {name}."));
                } else {
                    let first = errors
                        .iter()
                        .take(3)
                        .map(|e| format!("line {}, column {}: {}", e.line, e.column, e.message))
                        .collect::<Vec<_>>()
                        .join("; ");
                    let more = if errors.len() > 3 {
                        format!(" (and {} more)", errors.len() - 3)
                    } else {
                        String::new()
                    };
                    self.say(
                        true,
                        format!("{name} was not imported, nothing changed: {first}{more}."),
                    );
                }
            }
            ToolResponse::Compared(result) => {
                self.compare.update(|c| {
                    c.running = false;
                    c.result = Some(result.map(Arc::new));
                });
            }
            ToolResponse::SeedDone { .. } | ToolResponse::SizeReported { .. } => {
                super::sizing::on_response(self, resp);
            }
        }
    }
}
