//! Sizing in the browser: the same sizing by simulation as `license-lab size FILE`, its
//! seeds run in several workers at once (one per core the browser offers), with a
//! progress bar. The first seed runs alone (it decides SIZE-2's set of heavy users); the
//! others are handed out one at a time to whichever worker is free; the report is made
//! from the runs in seed order, so the numbers are the command line's. Then the decision
//! curve (issue 15, [`crate::tools::decision`]): one worker makes the report and the
//! curve's plan, every seed runs again at each token count of the plan (handed out the
//! same way), and one worker decides and writes the report as markup. The panel also
//! has SIZE-1's quick calculator, the chart's and the curve's exports, and starts the
//! sizing a share link asks for.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Worker;

use super::protocol::{Checked, Planned, SizingView, ToolRequest, ToolResponse};
use super::store::{ctx, Doc, Notices, ResultTab, Run, Ui};
use super::wire;
use crate::tools::share::SizeRequest;
use serde_json::value::RawValue;

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
    /// Seeds done of the decision curve (its second pass over the seeds).
    pub curve_done: usize,
    pub result: Option<Result<Arc<SizingView>, String>>,
    /// The request of the sizing shown and the text's revision it sized (a share link
    /// carries it while the text is unchanged); `None` for a What-if on history.
    pub request: Option<(SizeRequest, u64)>,
}

/// The sizing's state, over the text it sizes; provided as context.
#[derive(Clone, Copy)]
pub struct Sizing {
    pub state: RwSignal<SizingState>,
    /// The panel's inputs: seeds and refusals allowed per month.
    seeds: RwSignal<usize>,
    max_denials: RwSignal<u64>,
    /// A share link asked for a sizing: it starts once its text checks valid.
    pending: RwSignal<bool>,
    doc: Doc,
    ui: Ui,
    notices: Notices,
}

impl Sizing {
    pub fn provide() -> Sizing {
        let sizing = Sizing {
            state: RwSignal::new(SizingState::default()),
            seeds: RwSignal::new(50),
            max_denials: RwSignal::new(0),
            pending: RwSignal::new(false),
            doc: ctx(),
            ui: ctx(),
            notices: ctx(),
        };
        provide_context(sizing);
        sizing
    }

    /// The sizing a share link should carry: the one shown, if the text is unchanged.
    pub fn shared_request(self) -> Option<SizeRequest> {
        let rev = self.doc.rev.get_untracked();
        self.state.with_untracked(|s| match (&s.result, s.request) {
            (Some(Ok(_)), Some((req, r))) if r == rev => Some(req),
            _ => None,
        })
    }

    /// A share link asks for this sizing: it runs once the opened text checks valid.
    pub fn from_link(self, req: SizeRequest) {
        self.seeds.set(req.seeds as usize);
        self.max_denials.set(req.max_denials);
        self.pending.set(true);
        self.ui.tab.set(ResultTab::Sizing);
    }
}

/// Where the sizing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Phase {
    #[default]
    Seeds,
    /// One worker makes the report and the curve's plan.
    Plan,
    /// The seeds again, at each token count of the plan.
    Curve,
    /// One worker decides and writes the markup.
    Decide,
}

struct PoolWorker {
    worker: Worker,
    ready: bool,
    busy: bool,
}

#[derive(Default)]
struct Pool {
    workers: Vec<PoolWorker>,
    text: String,
    /// Seeds not yet handed out (after the first).
    queue: Vec<u64>,
    seeds: Vec<u64>,
    first_done: bool,
    heavy: Option<Vec<bool>>,
    runs: BTreeMap<u64, Box<RawValue>>,
    max_denials: u64,
    phase: Phase,
    planned: Option<Planned>,
    /// Seeds whose curve is not yet handed out.
    curve_queue: Vec<u64>,
    curves: BTreeMap<u64, Box<RawValue>>,
}

thread_local! {
    static POOL: RefCell<Pool> = RefCell::new(Pool::default());
}

fn stop_pool() {
    POOL.with(|p| {
        for w in std::mem::take(&mut p.borrow_mut().workers) {
            w.worker.terminate();
        }
    });
}

/// How many workers to run: the browser's cores, at most 8, at most one per seed.
fn worker_count(seeds: usize) -> usize {
    let cores = window().navigator().hardware_concurrency();
    (cores as usize).clamp(1, 8).min(seeds.max(1))
}

/// Starts sizing the current text over `seeds` seeds.
pub fn start(sizing: Sizing, seeds: usize, max_denials: u64) {
    stop_pool();
    let rev = sizing.doc.rev.get_untracked();
    let seed0 = sizing.doc.check.with_untracked(|c| match &c.outcome {
        Some(Checked::Valid(info)) if c.rev == rev => Some(info.seed),
        _ => None,
    });
    let Some(seed0) = seed0 else {
        sizing.notices.say(
            true,
            "Mend the scenario's errors first: sizing runs the scenario in the editor.",
        );
        return;
    };
    let seeds = seeds.clamp(1, 1000);
    let list: Vec<u64> = (0..seeds as u64).map(|i| seed0.wrapping_add(i)).collect();
    let n = worker_count(seeds);
    sizing.state.set(SizingState {
        running: true,
        seeds,
        workers: n,
        started_ms: js_sys::Date::now(),
        request: Some((
            SizeRequest {
                seeds: seeds as u64,
                max_denials,
            },
            rev,
        )),
        ..SizingState::default()
    });
    let text = sizing.doc.text.get_untracked();
    POOL.with(|p| {
        *p.borrow_mut() = Pool {
            text,
            queue: list.iter().skip(1).rev().copied().collect(),
            curve_queue: list.iter().rev().copied().collect(),
            seeds: list,
            max_denials,
            ..Pool::default()
        };
    });
    for i in 0..n {
        let on_message = move |resp: ToolResponse| on_pool_message(sizing, i, resp);
        // A worker that fails ends the sizing with its error (the others are stopped).
        let on_error = move |ev: web_sys::ErrorEvent| {
            stop_pool();
            sizing.state.update(|s| {
                s.running = false;
                s.result = Some(Err(format!("a sizing worker failed: {}", ev.message())));
            });
        };
        let Ok(worker) = wire::spawn(
            super::tools_client::TOOLS_URL,
            "sizing worker",
            on_message,
            on_error,
        ) else {
            sizing.notices.say(true, "A sizing worker could not start.");
            return;
        };
        POOL.with(|p| {
            p.borrow_mut().workers.push(PoolWorker {
                worker,
                ready: false,
                busy: false,
            })
        });
    }
}

pub fn cancel(sizing: Sizing) {
    stop_pool();
    sizing.state.update(|s| {
        s.running = false;
        s.cancelled = true;
    });
}

/// Hands work to the free, ready workers: the first seed alone, then the rest.
fn dispatch() {
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        let p = &mut *p;
        for i in 0..p.workers.len() {
            if !p.workers[i].ready || p.workers[i].busy {
                continue;
            }
            let req = if p.phase == Phase::Curve {
                let (Some(seed), Some(planned)) = (p.curve_queue.pop(), &p.planned) else {
                    return;
                };
                ToolRequest::SizeCurve {
                    text: p.text.clone(),
                    seed,
                    plan: planned.plan.clone(),
                }
            } else if p.phase != Phase::Seeds {
                return;
            } else if !p.first_done {
                if p.workers.iter().any(|w| w.busy) {
                    return;
                }
                ToolRequest::SizeSeed {
                    text: p.text.clone(),
                    seed: p.seeds[0],
                    heavy: None,
                }
            } else {
                let Some(seed) = p.queue.pop() else { return };
                ToolRequest::SizeSeed {
                    text: p.text.clone(),
                    seed,
                    heavy: p.heavy.clone(),
                }
            };
            p.workers[i].busy = true;
            wire::post(&p.workers[i].worker, &req);
        }
    });
}

/// Ends the sizing with an error (the workers are stopped).
fn fail(sizing: Sizing, e: String) {
    stop_pool();
    sizing.state.update(|s| {
        s.running = false;
        s.result = Some(Err(e));
    });
}

/// Worker `i` is free again; posts `req` to it instead, if given.
fn free_or_post(i: usize, req: Option<ToolRequest>) {
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        if let Some(w) = p.workers.get_mut(i) {
            w.busy = req.is_some();
            if let Some(req) = &req {
                wire::post(&w.worker, req);
            }
        }
    });
}

/// The decision curve's messages: the report and plan, each seed's curve.
fn on_curve_message(sizing: Sizing, i: usize, resp: ToolResponse) {
    match resp {
        ToolResponse::SizePlanned { result } => match result {
            Err(e) => fail(sizing, e),
            Ok(planned) => {
                POOL.with(|p| {
                    let mut p = p.borrow_mut();
                    p.planned = Some(planned);
                    p.phase = Phase::Curve;
                });
                free_or_post(i, None);
                dispatch();
            }
        },
        ToolResponse::CurveDone { seed, result } => match result {
            Err(e) => fail(sizing, e),
            Ok(curve) => {
                let (done, decide) = POOL.with(|p| {
                    let mut p = p.borrow_mut();
                    p.curves.insert(seed, curve);
                    let done = p.curves.len();
                    let decide = (done == p.seeds.len()).then(|| {
                        p.phase = Phase::Decide;
                        let planned = p.planned.take()?;
                        // In the seeds' order (the map's is the seeds' numbers, which
                        // may wrap around).
                        let order = p.seeds.clone();
                        let curves: Vec<Box<RawValue>> =
                            order.iter().filter_map(|s| p.curves.remove(s)).collect();
                        Some((planned, curves))
                    });
                    (done, decide.flatten())
                });
                sizing.state.update(|s| s.curve_done = done);
                match decide {
                    Some((planned, curves)) => free_or_post(
                        i,
                        Some(ToolRequest::SizeDecide {
                            report: planned.report,
                            plan: planned.plan,
                            curves,
                        }),
                    ),
                    None => {
                        free_or_post(i, None);
                        dispatch();
                    }
                }
            }
        },
        ToolResponse::SizeReported { .. } => {
            stop_pool();
            on_response(sizing, resp);
        }
        _ => {}
    }
}

fn on_pool_message(sizing: Sizing, i: usize, resp: ToolResponse) {
    match resp {
        ToolResponse::Ready => {
            POOL.with(|p| {
                if let Some(w) = p.borrow_mut().workers.get_mut(i) {
                    w.ready = true;
                }
            });
            dispatch();
        }
        ToolResponse::SeedDone { seed, result } => {
            let done = match result {
                Ok(r) => r,
                Err(e) => return fail(sizing, e),
            };
            let complete = POOL.with(|p| {
                let mut p = p.borrow_mut();
                if let Some(w) = p.workers.get_mut(i) {
                    w.busy = false;
                }
                if !p.first_done {
                    p.first_done = true;
                    p.heavy = Some(done.heavy);
                }
                p.runs.insert(seed, done.run);
                let done = p.runs.len();
                let all = done == p.seeds.len();
                let report = all.then(|| {
                    p.phase = Phase::Plan;
                    let order: Vec<u64> = p.seeds.clone();
                    let runs: Vec<Box<RawValue>> =
                        order.iter().filter_map(|s| p.runs.remove(s)).collect();
                    ToolRequest::SizeReport {
                        text: p.text.clone(),
                        runs,
                        max_denials: p.max_denials,
                    }
                });
                (done, report)
            });
            sizing.state.update(|s| s.done = complete.0);
            match complete.1 {
                // The worker that ran the last seed makes the report and the curve's plan.
                Some(req) => free_or_post(i, Some(req)),
                None => dispatch(),
            }
        }
        other => on_curve_message(sizing, i, other),
    }
}

/// The report made by the main worker.
pub fn on_response(sizing: Sizing, resp: ToolResponse) {
    if let ToolResponse::SizeReported { result } = resp {
        sizing.state.update(|s| {
            s.running = false;
            s.ms = js_sys::Date::now() - s.started_ms;
            s.result = Some(result.map(Arc::new));
        });
    }
}

/// Starts the sizing a share link asked for once its text checks valid (or says why
/// not).
fn start_when_checked(sizing: Sizing) {
    Effect::new(move || {
        if !sizing.pending.get() {
            return;
        }
        let rev = sizing.doc.rev.get();
        // The check of this revision, once it is in (`None` while it is pending).
        let outcome = sizing.doc.check.with(|c| match &c.outcome {
            Some(o) if c.rev == rev => Some(matches!(o, Checked::Valid(_))),
            _ => None,
        });
        match outcome {
            Some(true) => {
                sizing.pending.set(false);
                // Opening the text shows its result; the link asked for its sizing.
                sizing.ui.tab.set(ResultTab::Sizing);
                start(
                    sizing,
                    sizing.seeds.get_untracked(),
                    sizing.max_denials.get_untracked(),
                );
            }
            Some(false) => {
                sizing.pending.set(false);
                sizing.notices.say(
                    true,
                    "The link asks for a sizing, but its scenario has errors: mend them, then Size.",
                );
            }
            None => {}
        }
    });
}

/// The report's buttons: the chart as SVG or PNG, the curve as CSV.
fn on_report_click(sizing: Sizing, run: Run, ev: web_sys::MouseEvent) {
    let Some(el) = super::import::act_of(&ev) else {
        return;
    };
    let doc = sizing.doc;
    let stem = format!(
        "{}-sizing",
        super::downloads::file_stem(&doc.name_untracked(run))
    );
    let svg = || {
        document()
            .query_selector("#sizing-chart svg")
            .ok()
            .flatten()
            .map(|e| e.outer_html())
            .unwrap_or_default()
    };
    match el.get_attribute("data-act").as_deref() {
        Some("svg") => super::downloads::text_file(&format!("{stem}.svg"), "image/svg+xml", &svg()),
        Some("png") => super::downloads::png_file(&format!("{stem}.png"), &svg()),
        Some("csv") => {
            let csv = sizing.state.with_untracked(|s| match &s.result {
                Some(Ok(v)) => v.csv.clone(),
                _ => String::new(),
            });
            super::downloads::text_file(&format!("{stem}.csv"), "text/csv", &csv);
        }
        _ => {}
    }
}

fn status(s: &SizingState) -> String {
    if s.running && s.done < s.seeds {
        format!(
            "{} of {} seeds done, on {} workers…",
            s.done, s.seeds, s.workers
        )
    } else if s.running {
        format!(
            "The curve: {} of {} seeds run again at each token count…",
            s.curve_done, s.seeds
        )
    } else if s.cancelled {
        format!(
            "Sizing cancelled after {} of {} seeds: no report.",
            s.done, s.seeds
        )
    } else if s.result.is_some() {
        format!(
            "{} seeds on {} workers in {:.1} s.",
            s.seeds,
            s.workers,
            s.ms / 1000.0
        )
    } else {
        String::new()
    }
}

#[component]
pub fn SizingPanel() -> impl IntoView {
    let (sizing, run) = (ctx::<Sizing>(), ctx::<Run>());
    let (seeds, max_denials) = (sizing.seeds, sizing.max_denials);
    start_when_checked(sizing);
    let running = move || sizing.state.with(|s| s.running);
    let report = move || {
        let r = sizing.state.with(|s| s.result.clone())?;
        Some(match r {
            Err(e) => view! { <p class="check bad" role="alert">{e}</p> }.into_any(),
            Ok(v) => view! {
                <div class="sizing-report" inner_html=v.html.clone() on:click=move |ev| on_report_click(sizing, run, ev)></div>
            }
            .into_any(),
        })
    };
    view! {
        <section class="sizing" aria-labelledby="sizing-h">
            <h2 id="sizing-h">"Sizing by simulation"</h2>
            <p class="muted small">
                "Runs the scenario in the editor over many seeds (its cohorts drawn afresh each time) and finds, per login access group, the smallest token count with no denial and no discontinuation in any seed; then runs every seed again at the token counts around it: the answer in one sentence and its curve. SIZE-1's formula beside it, SIZE-2's User Access Pass split, and the license models compared. The same numbers as license-lab size."
            </p>
            <div class="run-bar">
                <label for="sizing-seeds">"Seeds"</label>
                <input id="sizing-seeds" type="number" min="1" max="1000" prop:value=move || seeds.get().to_string()
                    on:change:target=move |ev| seeds.set(ev.target().value().parse().unwrap_or(50)) />
                <label for="sizing-max">"Refusals allowed per month"</label>
                <input id="sizing-max" type="number" min="0" prop:value=move || max_denials.get().to_string()
                    on:change:target=move |ev| max_denials.set(ev.target().value().parse().unwrap_or(0)) />
                <button type="button" class="primary" id="sizing-run" disabled=running on:click=move |_| {
                    start(sizing, seeds.get_untracked(), max_denials.get_untracked())
                }>"Size"</button>
                <button type="button" id="sizing-cancel" disabled=move || !running() on:click=move |_| cancel(sizing)>"Cancel"</button>
                <progress
                    id="sizing-progress"
                    aria-label="Seeds done"
                    max=move || sizing.state.with(|s| 2 * s.seeds.max(1))
                    value=move || sizing.state.with(|s| s.done + s.curve_done)
                ></progress>
                <span class="run-status" role="status" id="sizing-status">
                    {move || sizing.state.with(status)}
                </span>
            </div>
            <Calculator/>
            <WhatIf/>
            {report}
        </section>
    }
}

/// SIZE-1's quick calculator: people × passes × (100 + buffer)% / 10, as
/// `license-lab size --people N --passes N --buffer PCT`.
const CALCULATOR: &str = "<h3>SIZE-1: a quick estimate</h3><div class=\"run-bar\">\
<label for=\"calc-people\">People</label><input id=\"calc-people\" type=\"number\" min=\"0\" value=\"103\">\
<label for=\"calc-passes\">Passes per person in 28 days</label><input id=\"calc-passes\" type=\"number\" min=\"0\" value=\"4\">\
<label for=\"calc-buffer\">Buffer (%)</label><input id=\"calc-buffer\" type=\"number\" min=\"0\" value=\"20\">\
<output id=\"calc-out\" for=\"calc-people calc-passes calc-buffer\" aria-live=\"polite\"></output></div>";

/// The calculator's answer for its inputs.
fn calculate() {
    let n = |id: &str| input_value(id).trim().parse::<u64>().ok();
    let text = match (n("calc-people"), n("calc-passes"), n("calc-buffer")) {
        (Some(p), Some(k), Some(b)) => match crate::tools::sizing::size1(p, k, b) {
            Some(t) => format!("{t} tokens ({p} × {k} × {}% / 10, rounded up)", 100 + b),
            None => "the numbers are too large".into(),
        },
        _ => "give whole numbers".into(),
    };
    if let Some(out) = document().get_element_by_id("calc-out") {
        out.set_text_content(Some(&text));
    }
}

#[component]
fn Calculator() -> impl IntoView {
    request_animation_frame(calculate);
    view! { <div class="calculator" inner_html=CALCULATOR on:input=move |_| calculate()></div> }
}

const WHAT_IF: &str = "<h3>What-if on history</h3>\
<p class=\"muted small\">For an imported history (fixed visits, no cohorts) every seed is the same run, so one run answers; the refusals allowed per month are those above.</p>\
<div class=\"run-bar\"><button type=\"button\" id=\"size-history\" data-act=\"size\">Smallest allocation that would have served this history</button>\
<label for=\"grow-pct\">More people like ours (%)</label><input id=\"grow-pct\" type=\"number\" min=\"1\" max=\"10000\" value=\"20\">\
<button type=\"button\" id=\"size-grown\" data-act=\"grow\">Size with them</button></div>";

fn input_value(id: &str) -> String {
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Sizes the scenario in the editor in the tools worker, grown by `grow`%.
fn size(doc: Doc, ui: Ui, sizing: Sizing, notices: Notices, grow: Option<u32>) {
    let rev = doc.rev.get_untracked();
    let valid = doc
        .check
        .with_untracked(|c| c.rev == rev && matches!(&c.outcome, Some(Checked::Valid(_))));
    if !valid {
        notices.say(
            true,
            "Mend the scenario's errors first: sizing runs the scenario in the editor.",
        );
        return;
    }
    let seeds: u64 = input_value("sizing-seeds").parse().unwrap_or(50);
    ui.tab.set(ResultTab::Sizing);
    sizing.state.set(SizingState {
        running: true,
        seeds: 1,
        workers: 1,
        started_ms: js_sys::Date::now(),
        ..SizingState::default()
    });
    super::tools_client::send(&ToolRequest::SizeHistory {
        text: doc.text.get_untracked(),
        grow,
        seeds: seeds.clamp(1, 1000),
        max_denials: input_value("sizing-max").parse().unwrap_or(0),
    });
}

/// The sizing panel's "What-if on history": the smallest allocation for the visits as
/// they were, or with N% more people like them ([`crate::tools::growth`]).
#[component]
pub fn WhatIf() -> impl IntoView {
    let (doc, ui, sizing, notices) = (ctx::<Doc>(), ctx::<Ui>(), ctx::<Sizing>(), ctx::<Notices>());
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(el) = super::import::act_of(&ev) else {
            return;
        };
        match el.get_attribute("data-act").as_deref() {
            Some("size") => size(doc, ui, sizing, notices, None),
            Some("grow") => match input_value("grow-pct").trim().parse::<u32>() {
                Ok(p) if (1..=10_000).contains(&p) => size(doc, ui, sizing, notices, Some(p)),
                _ => notices.say(
                    true,
                    "More people like ours: give a percentage from 1 to 10000.",
                ),
            },
            _ => {}
        }
    };
    view! { <div class="what-if" inner_html=WHAT_IF on:click=on_click></div> }
}
