//! The Web Worker: parses and runs scenarios off the page's main thread and answers the
//! page's questions about the last finished run (see [`super::protocol`]).
//!
//! A run advances in slices of about [`SLICE_MS`] milliseconds. Between slices the worker
//! posts its progress and returns to its event loop (through a `MessageChannel`, which,
//! unlike `setTimeout`, is not throttled), so a `Cancel`, a new `Run`, or a question about
//! the previous result is handled between two slices.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageChannel, MessageEvent, MessagePort};

use super::protocol::*;
use crate::engine::events::{Event, Kind, Rule};
use crate::report::series::Series;
use crate::report::timeline::{Recorder, Recording};
use crate::scenario::{self, Scenario};

/// Wall time of one slice of a run.
const SLICE_MS: f64 = 30.0;
/// Events between two looks at the clock.
const EVENTS_PER_CHECK: u64 = 4_000;

struct Running {
    rev: u64,
    recorder: Recorder,
    started: f64,
}

/// The last finished run and the filtered view of its log that was asked for last.
struct Done {
    rev: u64,
    rec: Recording,
    filtered: Option<(Filter, Arc<Vec<u32>>)>,
}

#[derive(Default)]
struct Session {
    running: Option<Running>,
    done: Option<Done>,
    slice_scheduled: bool,
}

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
    static TICK: RefCell<Option<MessagePort>> = const { RefCell::new(None) };
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

use super::wire::reply as post;

/// Entry point of the worker bin.
pub fn start() {
    console_error_panic_hook::set_once();
    super::wire::listen::<Request>("worker", handle);

    if let Ok(channel) = MessageChannel::new() {
        let on_tick = Closure::<dyn FnMut(MessageEvent)>::new(|_: MessageEvent| slice());
        channel
            .port1()
            .set_onmessage(Some(on_tick.as_ref().unchecked_ref()));
        on_tick.forget();
        TICK.with(|t| *t.borrow_mut() = Some(channel.port2()));
    }
    post(&Response::Ready);
}

/// Runs [`slice`] once the worker's event loop has had a turn.
fn schedule_slice() {
    let already = SESSION.with(|s| std::mem::replace(&mut s.borrow_mut().slice_scheduled, true));
    if already {
        return;
    }
    let sent = TICK.with(|t| {
        t.borrow()
            .as_ref()
            .is_some_and(|p| p.post_message(&JsValue::NULL).is_ok())
    });
    if !sent {
        // No channel: fall back to a timer.
        let cb = Closure::once_into_js(slice);
        let _ = super::wire::scope()
            .set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0);
    }
}

fn check(text: &str) -> (Checked, Option<Scenario>) {
    match scenario::parse(text) {
        Ok(sc) => (Checked::Valid(ScenarioInfo::of(&sc)), Some(sc)),
        Err(errs) => (Checked::Invalid(ErrorView::list(errs)), None),
    }
}

fn handle(req: Request) {
    match req {
        Request::Check { rev, text } => {
            let (outcome, _) = check(&text);
            post(&Response::Checked { rev, outcome });
        }
        Request::Run { rev, text } => {
            let started = now_ms();
            let (outcome, sc) = check(&text);
            post(&Response::Checked { rev, outcome });
            let Some(sc) = sc else { return };
            let recorder = Recorder::new(Arc::new(sc));
            let end = recorder.end();
            SESSION.with(|s| {
                s.borrow_mut().running = Some(Running {
                    rev,
                    recorder,
                    started,
                })
            });
            post(&Response::Started { rev, end });
            schedule_slice();
        }
        Request::Cancel => {
            if let Some(r) = SESSION.with(|s| s.borrow_mut().running.take()) {
                post(&Response::Cancelled { rev: r.rev });
            }
        }
        // Questions about the last result. Without one (a restarted worker) the answer is
        // empty and names run 0, which the page ignores.
        Request::State { at } => {
            let reply = SESSION.with(|s| {
                let s = s.borrow();
                s.done.as_ref().map(|d| Response::State {
                    run: d.rev,
                    at,
                    json: d.rec.state_at(at).to_json_pretty(),
                })
            });
            post(&reply.unwrap_or(Response::State {
                run: 0,
                at,
                json: String::new(),
            }));
        }
        Request::Events { filter, page, at } => {
            let reply = SESSION.with(|s| {
                let mut s = s.borrow_mut();
                let d = s.done.as_mut()?;
                let ix = filtered(d, &filter);
                let total = ix.len();
                let pages = total.div_ceil(PAGE_SIZE).max(1);
                let page = match at {
                    Some(at) => {
                        ix.partition_point(|&i| d.rec.events[i as usize].at < at) / PAGE_SIZE
                    }
                    None => page,
                }
                .min(pages - 1);
                let sc = &d.rec.scenario;
                let rows = ix
                    .iter()
                    .skip(page * PAGE_SIZE)
                    .take(PAGE_SIZE)
                    .map(|&i| row(sc, &d.rec.events, i))
                    .collect();
                Some(Response::Events {
                    run: d.rev,
                    page: EventPage {
                        filter: filter.clone(),
                        page,
                        pages,
                        total,
                        rows,
                    },
                })
            });
            post(&reply.unwrap_or(Response::Events {
                run: 0,
                page: EventPage {
                    filter,
                    page: 0,
                    pages: 1,
                    total: 0,
                    rows: Vec::new(),
                },
            }));
        }
        Request::Step {
            filter,
            from,
            at,
            forward,
        } => {
            let reply = SESSION.with(|s| {
                let mut s = s.borrow_mut();
                let d = s.done.as_mut()?;
                let ix = filtered(d, &filter);
                let events = &d.rec.events;
                let position = match (from, forward) {
                    (Some(i), true) => match ix.binary_search(&i) {
                        Ok(p) => Some(p + 1),
                        Err(p) => Some(p),
                    },
                    (Some(i), false) => match ix.binary_search(&i) {
                        Ok(p) | Err(p) => p.checked_sub(1),
                    },
                    (None, true) => Some(ix.partition_point(|&i| events[i as usize].at < at)),
                    (None, false) => ix
                        .partition_point(|&i| events[i as usize].at <= at)
                        .checked_sub(1),
                };
                let step = position.filter(|&p| p < ix.len()).map(|p| Step {
                    row: row(&d.rec.scenario, events, ix[p]),
                    position: p,
                    total: ix.len(),
                });
                Some(Response::Stepped { run: d.rev, step })
            });
            post(&reply.unwrap_or(Response::Stepped { run: 0, step: None }));
        }
        Request::Export { what } => export(what),
    }
}

/// A download of the last finished run, written by the command line's own functions.
fn export(what: ExportWhat) {
    let reply = SESSION.with(|s| {
        let s = s.borrow();
        let d = s.done.as_ref()?;
        let sc = &d.rec.scenario;
        let text = match what {
            ExportWhat::TimelineCsv => crate::report::export::timeline_csv(
                &crate::report::timeline::run(sc, crate::base::time::MINUTES_PER_DAY),
            ),
            ExportWhat::TimelineJson => crate::report::export::timeline_json(
                &crate::report::timeline::run(sc, crate::base::time::MINUTES_PER_DAY),
            ),
            ExportWhat::EventsCsv => crate::report::export::events_csv(sc, &d.rec.events),
        };
        Some(Response::Exported {
            what,
            name: sc.name.clone(),
            text,
        })
    });
    if let Some(r) = reply {
        post(&r);
    }
}

/// Advances the run under way by one slice; finishes it when the engine is done.
fn slice() {
    let finished = SESSION.with(|s| {
        let mut s = s.borrow_mut();
        s.slice_scheduled = false;
        let r = s.running.as_mut()?;
        let deadline = now_ms() + SLICE_MS;
        loop {
            if r.recorder.work(EVENTS_PER_CHECK) {
                return s.running.take();
            }
            if now_ms() >= deadline {
                post(&Response::Progress {
                    rev: r.rev,
                    now: r.recorder.now(),
                    end: r.recorder.end(),
                });
                return None;
            }
        }
    });
    match finished {
        Some(r) => finish(r),
        None => {
            if SESSION.with(|s| s.borrow().running.is_some()) {
                schedule_slice();
            }
        }
    }
}

fn finish(r: Running) {
    let end = r.recorder.end();
    post(&Response::Progress {
        rev: r.rev,
        now: end,
        end,
    });
    let rec = r.recorder.finish();
    let series = Series::of(&rec);
    let mut rules: BTreeMap<Rule, usize> = BTreeMap::new();
    let mut kinds: BTreeMap<Kind, usize> = BTreeMap::new();
    for e in &rec.events {
        *rules.entry(e.rule).or_default() += 1;
        *kinds.entry(e.kind()).or_default() += 1;
    }
    let result = RunResult {
        rev: r.rev,
        info: ScenarioInfo::of(&rec.scenario),
        events: rec.events.len(),
        rules: rules
            .into_iter()
            .map(|(r, n)| (r.id().to_string(), n))
            .collect(),
        kinds: kinds
            .into_iter()
            .map(|(k, n)| (k.label().to_string(), n))
            .collect(),
        run_ms: now_ms() - r.started,
        series,
        summary: rec.summary.clone(),
    };
    SESSION.with(|s| {
        s.borrow_mut().done = Some(Done {
            rev: r.rev,
            rec,
            filtered: None,
        })
    });
    post(&Response::Finished(Box::new(result)));
}

/// The positions in the log of the events that pass `filter` (cached for the last filter).
fn filtered(d: &mut Done, filter: &Filter) -> Arc<Vec<u32>> {
    if let Some((f, ix)) = &d.filtered {
        if f == filter {
            return ix.clone();
        }
    }
    let sc = &d.rec.scenario;
    let users = crate::report::filter::users_matching(
        &filter.user,
        sc.users.iter().map(|u| u.name.as_str()),
    );
    let rule = Rule::from_id(filter.rule.trim());
    let any_rule = filter.rule.trim().is_empty();
    let kind = Kind::from_label(&filter.kind);
    let any_kind = filter.kind.trim().is_empty();
    let ix: Vec<u32> = d
        .rec
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            (any_rule || Some(e.rule) == rule)
                && (any_kind || Some(e.kind()) == kind)
                && users.as_ref().is_none_or(|u| {
                    e.user
                        .is_some_and(|id| u.get(id.index()).copied().unwrap_or(false))
                })
        })
        .map(|(i, _)| i as u32)
        .collect();
    let ix = Arc::new(ix);
    d.filtered = Some((filter.clone(), ix.clone()));
    ix
}

fn row(sc: &Scenario, events: &[Event], i: u32) -> EventRow {
    use crate::report::describe::Describe;
    let e = &events[i as usize];
    EventRow {
        index: i,
        at: e.at,
        rule: e.rule.id().to_string(),
        user: e
            .user
            .map_or_else(String::new, |u| sc.user_name(u).to_string()),
        kind: e.kind().label().to_string(),
        text: e.describe(sc),
    }
}
