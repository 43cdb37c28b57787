//! The app's shared state, by concern: small stores of signals, each provided once by
//! [`provide`] (in [`super::layout::App`]) and read where it is used
//! (`expect_context::<Doc>()`), as Leptos's own examples do. They hold state and answer
//! questions about it; nothing here talks to a worker or to the browser's storage: the
//! features that own those do ([`super::run`], [`super::history`], [`super::library`],
//! [`super::form`], …).
//!
//! - [`Doc`]: the scenario text in the editor, its revisions and the last check of it.
//! - [`Run`]: the run of the text in the worker, its progress and its result.
//! - [`Cursor`]: the time cursor, the pointer over the charts, the state shown there.
//! - [`Log`]: the event log's filter, page and selection, and step mode.
//! - [`Ui`]: what is shown (the result tab, the Text / Form view).
//! - [`Notices`]: messages to the user.

use std::sync::Arc;

use leptos::prelude::*;

use super::protocol::{Checked, ErrorView, EventPage, Filter, RunResult, Step};
use crate::base::time::{Clock, Minute};
use crate::report::state::State;

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
    /// Offers "Restore the text you were editing" ([`super::history::History::restore`]).
    pub restore: bool,
}

/// The scenario text in the editor.
#[derive(Clone, Copy)]
pub struct Doc {
    /// The editor's text as typed.
    pub text: RwSignal<String>,
    /// Text pushed into the editor from outside (an opening, a form edit); typing does
    /// not set it.
    pub loaded: RwSignal<String>,
    /// Incremented on every change of `text`.
    pub rev: RwSignal<u64>,
    /// The gallery entry the text is (its file name), until it is edited.
    pub example: RwSignal<Option<&'static str>>,
    /// The last check of the text by the worker.
    pub check: RwSignal<CheckState>,
}

impl Doc {
    fn new(text: &str, example: Option<&'static str>) -> Doc {
        Doc {
            text: RwSignal::new(text.to_string()),
            loaded: RwSignal::new(text.to_string()),
            rev: RwSignal::new(1),
            example: RwSignal::new(example),
            check: RwSignal::new(CheckState {
                rev: 1,
                outcome: None,
            }),
        }
    }

    /// Puts a whole text in the editor: a new revision.
    pub fn put(self, text: String, example: Option<&'static str>) {
        self.loaded.set(text.clone());
        self.text.set(text);
        self.rev.update(|r| *r += 1);
        self.example.set(example);
    }

    /// The user typed: a new revision, no longer the example it was. Returns it.
    pub fn typed(self, text: String) -> u64 {
        self.text.set(text);
        if self.example.get_untracked().is_some() {
            self.example.set(None);
        }
        let rev = self.rev.get_untracked() + 1;
        self.rev.set(rev);
        rev
    }

    /// The errors of the newest checked revision of the text, if it is the current one.
    pub fn errors(self) -> Option<Vec<ErrorView>> {
        let rev = self.rev.get();
        self.check.with(|c| match &c.outcome {
            Some(Checked::Invalid(errs)) if c.rev == rev => Some(errs.clone()),
            _ => None,
        })
    }

    /// The scenario's seed, if the current text checked valid (sizing starts from it).
    pub fn valid_seed(self) -> Option<u64> {
        let rev = self.rev.get_untracked();
        self.check.with_untracked(|c| match &c.outcome {
            Some(Checked::Valid(info)) if c.rev == rev => Some(info.seed),
            _ => None,
        })
    }

    /// The scenario's name as its text says it now (the title, download names and run
    /// status follow it), else the last run's.
    pub fn name(self, run: Run) -> String {
        self.text
            .with(|t| crate::scenario::about::top_string(t, "name"))
            .or_else(|| run.result.with(|r| r.as_ref().map(|r| r.info.name.clone())))
            .unwrap_or_else(|| "Untitled scenario".to_string())
    }

    pub fn name_untracked(self, run: Run) -> String {
        untrack(|| self.name(run))
    }
}

/// The run of the text in the worker, and its result.
#[derive(Clone, Copy)]
pub struct Run {
    pub phase: RwSignal<Phase>,
    pub result: RwSignal<Option<Arc<RunResult>>>,
    /// "Run as I type".
    pub auto_run: RwSignal<bool>,
    /// The newest revision of the text handed to the worker (checked or run): the
    /// features that keep or redraw the text follow it (local and session storage, the
    /// form).
    pub sent: RwSignal<u64>,
}

impl Run {
    fn new() -> Run {
        Run {
            phase: RwSignal::new(Phase::Starting),
            result: RwSignal::new(None),
            auto_run: RwSignal::new(true),
            // The text the page opens with is revision 1, sent as the worker starts.
            sent: RwSignal::new(1),
        }
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

    /// Whether there is a result to ask about.
    pub fn has_result(self) -> bool {
        self.result.with(|r| r.is_some())
    }

    /// The revision of the shown result.
    pub fn current(self) -> Option<u64> {
        self.result.with_untracked(|r| r.as_ref().map(|r| r.rev))
    }

    /// The shown result's name.
    pub fn result_name(self) -> String {
        self.result
            .with(|r| r.as_ref().map(|r| r.info.name.clone()))
            .unwrap_or_default()
    }

    /// Whether the shown result is older than the text in the editor.
    pub fn stale(self, doc: Doc) -> bool {
        let rev = doc.rev.get();
        self.result
            .with(|r| r.as_ref().is_some_and(|r| r.rev != rev))
    }
}

/// The time cursor, the pointer over the charts, and the state shown at the cursor.
#[derive(Clone, Copy)]
pub struct Cursor {
    pub at: RwSignal<Minute>,
    /// The minute under the pointer on a chart.
    pub hover: RwSignal<Option<Minute>>,
    pub shown: RwSignal<Option<Shown>>,
}

impl Cursor {
    fn new() -> Cursor {
        Cursor {
            at: RwSignal::new(0),
            hover: RwSignal::new(None),
            shown: RwSignal::new(None),
        }
    }

    /// The state at `at` of the run `run` arrived: it is shown, and the one shown before
    /// (of the same run, at another minute) is kept to highlight what changed.
    pub fn show(self, run: u64, at: Minute, state: State, json: String) {
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
}

/// The event log: its filter, the page shown, the selected event and step mode.
#[derive(Clone, Copy)]
pub struct Log {
    pub filter: RwSignal<Filter>,
    pub page: RwSignal<Option<EventPage>>,
    pub selected: RwSignal<Option<u32>>,
    pub step: RwSignal<Option<Step>>,
    /// Said when a step finds no further event.
    pub step_note: RwSignal<Option<&'static str>>,
    /// The direction of the last step.
    pub forward: StoredValue<bool>,
}

impl Log {
    fn new() -> Log {
        Log {
            filter: RwSignal::new(Filter::default()),
            page: RwSignal::new(None),
            selected: RwSignal::new(None),
            step: RwSignal::new(None),
            step_note: RwSignal::new(None),
            forward: StoredValue::new(true),
        }
    }

    /// No event selected and no step under way.
    pub fn deselect(self) {
        self.selected.set(None);
        self.step.set(None);
    }
}

/// What the page shows: the result tab and how the scenario is edited.
#[derive(Clone, Copy)]
pub struct Ui {
    pub tab: RwSignal<ResultTab>,
    pub edit_view: RwSignal<EditView>,
}

/// Messages to the user.
#[derive(Clone, Copy)]
pub struct Notices {
    pub notice: RwSignal<Option<Notice>>,
    /// Whether an opening put edited text aside that a notice can bring back (kept by
    /// [`super::history::History`]).
    pub aside: StoredValue<bool>,
}

impl Notices {
    /// Tells the user something; a notice that offers the text put aside keeps offering
    /// it while it is there.
    pub fn say(self, error: bool, text: impl Into<String>) {
        let restore = self.aside.get_value()
            && self
                .notice
                .with_untracked(|n| n.as_ref().is_some_and(|n| n.restore));
        self.set(error, text.into(), restore);
    }

    /// A notice with the button that restores the text an opening put aside.
    pub fn say_restorable(self, text: impl Into<String>) {
        self.set(false, text.into(), true);
    }

    fn set(self, error: bool, text: String, restore: bool) {
        self.notice.set(Some(Notice {
            error,
            text,
            restore,
        }));
    }
}

/// The store or feature of type `T` provided as context (Leptos's `expect_context`, once
/// per type and not at every call: the bundle loaded at start has a budget).
#[inline(never)]
pub fn ctx<T: Clone + 'static>() -> T {
    use_context::<T>().unwrap_or_else(|| not_provided(std::any::type_name::<T>()))
}

#[cold]
#[inline(never)]
fn not_provided(what: &str) -> ! {
    panic!("{what} was not provided as context")
}

/// Creates the shared stores for a page opened on `text` and provides them as context.
pub fn provide(text: &str, example: Option<&'static str>) {
    provide_context(Doc::new(text, example));
    provide_context(Run::new());
    provide_context(Cursor::new());
    provide_context(Log::new());
    provide_context(Ui {
        tab: RwSignal::new(ResultTab::Run),
        edit_view: RwSignal::new(EditView::Text),
    });
    provide_context(Notices {
        notice: RwSignal::new(None),
        aside: StoredValue::new(false),
    });
}
