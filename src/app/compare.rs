//! Compare: a second scenario (a copy of the current one with a change, a saved scenario,
//! an example) run beside the current result, its key figures side by side and its
//! charts overlaid.

use std::sync::Arc;

use leptos::prelude::*;

use super::charts::CompareCharts;
use super::examples::{self, EXAMPLES};
use super::protocol::{CompareResult, ErrorView, ToolRequest, ToolResponse};
use super::store::{ctx, Doc, Notices, Run};

/// The compare view: the second scenario's text and its run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompareState {
    pub text: String,
    pub running: bool,
    pub result: Option<Result<Arc<CompareResult>, Vec<ErrorView>>>,
}

/// The compare view's state, provided as context.
#[derive(Clone, Copy)]
pub struct Compare {
    pub state: RwSignal<CompareState>,
}

impl Compare {
    pub fn provide() -> Compare {
        let compare = Compare {
            state: RwSignal::new(CompareState::default()),
        };
        provide_context(compare);
        compare
    }

    /// The tools worker ran scenario B.
    pub fn on_response(self, resp: ToolResponse) {
        if let ToolResponse::Compared(result) = resp {
            self.state.update(|c| {
                c.running = false;
                c.result = Some(result.map(Arc::new));
            });
        }
    }
}

#[component]
pub fn ComparePanel() -> impl IntoView {
    let compare = ctx::<Compare>();
    let doc = ctx::<Doc>();
    let run = ctx::<Run>();
    let notices = ctx::<Notices>();
    let text_b = move || compare.state.with(|c| c.text.clone());
    let set_b = move |t: String| compare.state.update(|c| c.text = t);
    // A copy of the current scenario to change (e.g. its tokens), at first.
    Effect::new(move |_| {
        if compare.state.with_untracked(|c| c.text.is_empty()) {
            let t = doc.text.get_untracked();
            compare.state.update(|c| c.text = t);
        }
    });
    let run_b = move || {
        let text = compare.state.with_untracked(|c| c.text.clone());
        let Some(a_rev) = run.result.with_untracked(|r| r.as_ref().map(|r| r.rev)) else {
            notices.say(
                true,
                "Nothing was run: run A (the editor's scenario) first.".to_string(),
            );
            return;
        };
        // A's text goes along while the editor still holds it (the tools worker may
        // hold A's run already, for the lives view).
        let a_text = (doc.rev.get_untracked() == a_rev).then(|| doc.text.get_untracked());
        compare.state.update(|c| {
            c.running = true;
            c.result = None;
        });
        super::tools_client::send(&ToolRequest::Compare {
            text,
            a_rev,
            a_text,
        });
    };
    let sources = move || {
        let mut out = vec![(
            "current".to_string(),
            "A copy of the current scenario".to_string(),
        )];
        out.extend(
            super::library::list()
                .into_iter()
                .map(|s| (format!("saved:{}", s.name), format!("Saved: {}", s.name))),
        );
        out.extend(EXAMPLES.iter().map(|e| {
            (
                format!("example:{}", e.file),
                format!("Example: {}", e.title()),
            )
        }));
        out
    };
    let pick = move |key: String| {
        let text = if key == "current" {
            Some(doc.text.get_untracked())
        } else if let Some(name) = key.strip_prefix("saved:") {
            super::library::list()
                .into_iter()
                .find(|s| s.name == name)
                .map(|s| s.text)
        } else if let Some(e) = key.strip_prefix("example:").and_then(examples::by_file) {
            leptos::task::spawn_local(async move {
                match e.text().await {
                    Ok(t) => set_b(t),
                    Err(why) => notices.say(true, format!("Nothing changed: {why}.")),
                }
            });
            None
        } else {
            None
        };
        if let Some(t) = text {
            set_b(t);
        }
    };
    let table = move || {
        let a = run.result.get()?;
        let b = compare.state.with(|c| c.result.clone())?;
        let b = match b {
            Ok(b) => b,
            Err(errs) => {
                let items = errs
                    .into_iter()
                    .map(|e| view! { <li>{format!("line {}, column {}: {}", e.line, e.column, e.message)}</li> })
                    .collect_view();
                return Some(
                    view! {
                        <div class="compare-errors" role="alert">
                            <p class="check bad">"Scenario B does not read; nothing was run:"</p>
                            <ul class="errors">{items}</ul>
                        </div>
                    }
                    .into_any(),
                );
            }
        };
        let html = b.answer_html.clone();
        Some(
            view! {
                <div class="compare-answer-box" inner_html=html></div>
                <CompareCharts a=a b=b/>
            }
            .into_any(),
        )
    };
    view! {
        <section class="compare" aria-labelledby="compare-h">
            <h2 id="compare-h">"Compare two runs"</h2>
            <p class="muted small">
                "A is the scenario in the editor (its last run). B is the text below: a copy of A to change (say 40 tokens instead of 50), a saved scenario or an example."
            </p>
            <div class="compare-source">
                <label for="compare-from">"Start B from"</label>
                <select id="compare-from" on:change:target=move |ev| pick(ev.target().value())>
                    {move || sources().into_iter().map(|(k, label)| view! { <option value=k>{label}</option> }).collect_view()}
                </select>
            </div>
            <label for="compare-text" class="visually-hidden">"Scenario B (TOML)"</label>
            <textarea
                id="compare-text"
                class="compare-text"
                spellcheck="false"
                wrap="off"
                prop:value=text_b
                on:input:target=move |ev| set_b(ev.target().value())
            ></textarea>
            <div class="run-bar">
                <button type="button" class="primary" id="compare-run" on:click=move |_| run_b()>"Run B beside A"</button>
                <span role="status" class="run-status">
                    {move || compare.state.with(|c| c.running).then_some("Running B…")}
                </span>
            </div>
            {table}
        </section>
    }
}
