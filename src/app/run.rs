//! The run worker's feature on the page: checking and running the text (at once, or once
//! typing pauses), Cancel, and the questions about the finished run: the state at the
//! time cursor, a page of the log, the next or previous event, a download. Every request
//! to the run worker is made here ([`Runner`]) and every answer lands here, in the store
//! it concerns ([`Doc`], [`Run`], [`Cursor`], [`Log`]).

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;

use super::client::{self, Lane};
use super::protocol::{EventRow, ExportWhat, Filter, Request, Response, RunResult, PAGE_SIZE};
use super::store::{ctx, CheckState, Cursor, Doc, Log, Phase, Run, Source};
use crate::base::time::Minute;
use crate::report::state::State;

/// Quiet time after the last keystroke before the text is checked (and run).
const DEBOUNCE: Duration = Duration::from_millis(300);

/// The stores the run worker reads and answers into; provided as context.
#[derive(Clone, Copy)]
pub struct Runner {
    pub doc: Doc,
    pub run: Run,
    pub cursor: Cursor,
    pub log: Log,
}

impl Runner {
    /// The runner over the stores provided ([`super::store::provide`]), provided in turn.
    pub fn provide() -> Runner {
        let runner = Runner {
            doc: ctx(),
            run: ctx(),
            cursor: ctx(),
            log: ctx(),
        };
        provide_context(runner);
        runner
    }

    /// Starts the worker and runs the text loaded at start.
    pub fn connect(self) {
        let run = self.run;
        client::start(
            move |resp| self.on_response(resp),
            move |msg| run.phase.set(Phase::Failed(msg)),
        );
        self.run_now();
    }

    /// Checks and runs the current text now.
    pub fn run_now(self) {
        let rev = self.doc.rev.get_untracked();
        self.run.sent.set(rev);
        self.doc.check.set(CheckState { rev, outcome: None });
        client::send(&Request::Run {
            rev,
            text: self.doc.text.get_untracked(),
        });
    }

    pub fn cancel(self) {
        client::send(&Request::Cancel);
    }

    /// The user typed: check (and run) once typing pauses.
    pub fn edited(self, text: String) {
        let rev = self.doc.typed(text);
        set_timeout(
            move || {
                if self.doc.rev.get_untracked() == rev && self.run.sent.get_untracked() < rev {
                    self.run.sent.set(rev);
                    let text = self.doc.text.get_untracked();
                    self.doc.check.set(CheckState { rev, outcome: None });
                    if self.run.auto_run.get_untracked() {
                        client::send(&Request::Run { rev, text });
                    } else {
                        client::send(&Request::Check { rev, text });
                    }
                }
            },
            DEBOUNCE,
        );
    }

    /// Moves the time cursor and asks for the state there (and, from the time controls,
    /// for the page of the log at that time).
    pub fn move_cursor(self, at: Minute, source: Source) {
        let at = at.clamp(0, self.run.end());
        self.cursor.at.set(at);
        if self.run.result.with_untracked(|r| r.is_none()) {
            return;
        }
        client::send_latest(Lane::State, Request::State { at });
        if source == Source::Time {
            self.log.deselect();
            self.log.step_note.set(None);
            self.request_events(0, Some(at));
        }
    }

    /// Asks for a page of the log with the current filter.
    pub fn request_events(self, page: usize, at: Option<Minute>) {
        if self.run.result.with_untracked(|r| r.is_none()) {
            return;
        }
        client::send_latest(
            Lane::Events,
            Request::Events {
                filter: self.log.filter.get_untracked(),
                page,
                at,
            },
        );
    }

    /// A new filter: back to the page at the cursor.
    pub fn set_filter(self, f: impl FnOnce(&mut Filter)) {
        self.log.filter.update(f);
        self.request_events(0, Some(self.cursor.at.get_untracked()));
    }

    /// Selects an event of the log and moves the cursor to it.
    pub fn select(self, row: &EventRow) {
        self.log.selected.set(Some(row.index));
        self.log.step.set(None);
        self.move_cursor(row.at, Source::Log);
    }

    /// Step mode: the next or previous event of the filtered log.
    pub fn step_by(self, forward: bool) {
        if self.run.result.with_untracked(|r| r.is_none()) {
            return;
        }
        self.log.forward.set_value(forward);
        self.log.step_note.set(None);
        client::send(&Request::Step {
            filter: self.log.filter.get_untracked(),
            from: self.log.selected.get_untracked(),
            at: self.cursor.at.get_untracked(),
            forward,
        });
    }

    /// A download of the shown result, written by the worker.
    pub fn export(self, what: ExportWhat) {
        client::send(&Request::Export { what });
    }

    fn on_response(self, resp: Response) {
        let (doc, run) = (self.doc, self.run);
        match resp {
            Response::Ready => {
                if run.phase.get_untracked() == Phase::Starting {
                    run.phase.set(Phase::Idle);
                }
            }
            Response::Checked { rev, outcome } => {
                if rev == doc.rev.get_untracked() {
                    doc.check.set(CheckState {
                        rev,
                        outcome: Some(outcome),
                    });
                }
            }
            Response::Started { rev, end } => {
                run.phase.set(Phase::Running { rev, now: 0, end });
            }
            Response::Progress { rev, now, end } => {
                if matches!(run.phase.get_untracked(), Phase::Running { rev: r, .. } if r == rev) {
                    run.phase.set(Phase::Running { rev, now, end });
                }
            }
            Response::Cancelled { .. } => run.phase.set(Phase::Cancelled),
            Response::Finished(result) => self.finished(*result),
            Response::State { run: of, at, json } => {
                if client::lane_answered(Lane::State) || Some(of) != run.current() {
                    return;
                }
                match serde_json::from_str::<State>(&json) {
                    Ok(state) => self.cursor.show(of, at, state, json),
                    Err(e) => web_sys::console::warn_1(&format!("state: {e}").into()),
                }
            }
            Response::Events { run: of, page } => {
                if client::lane_answered(Lane::Events) || Some(of) != run.current() {
                    return;
                }
                self.log.page.set(Some(page));
            }
            Response::Stepped { run: of, step } => {
                if Some(of) == run.current() {
                    self.stepped(step);
                }
            }
            Response::Exported { what, text, .. } => {
                super::downloads::text_file(
                    &format!(
                        "{}-{}",
                        super::downloads::file_stem(&doc.name_untracked(run)),
                        what.file_suffix()
                    ),
                    what.mime(),
                    &text,
                );
            }
        }
    }

    /// A run finished: its result is shown, at the cursor (within its period).
    fn finished(self, result: RunResult) {
        let run = self.run;
        if matches!(run.phase.get_untracked(), Phase::Running { rev, .. } if rev == result.rev) {
            run.phase.set(Phase::Idle);
        }
        let end = result.info.end;
        client::reset_lanes();
        run.result.set(Some(Arc::new(result)));
        self.log.deselect();
        let at = self.cursor.at.get_untracked().clamp(0, end);
        self.move_cursor(at, Source::Time);
    }

    /// A step's event: selected, its page of the log shown, the cursor at its time.
    fn stepped(self, step: Option<super::protocol::Step>) {
        let log = self.log;
        let Some(step) = step else {
            log.step_note.set(Some(if log.forward.get_value() {
                "No later event in the log (with these filters)."
            } else {
                "No earlier event in the log (with these filters)."
            }));
            return;
        };
        log.selected.set(Some(step.row.index));
        let page = step.position / PAGE_SIZE;
        if log.page.with_untracked(|p| p.as_ref().map(|p| p.page)) != Some(page) {
            self.request_events(page, None);
        }
        self.move_cursor(step.row.at, Source::Log);
        log.step.set(Some(step));
    }
}
