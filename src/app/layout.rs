//! The page: header, the scenario column (gallery, editor, run controls) and the result
//! column (time controls, charts, state, log), and the rule book's side panel.

use leptos::prelude::*;

use super::charts::Charts;
use super::editor::Editor;
use super::event_log::EventLog;
use super::gallery::{self, ExampleNotes, Gallery};
use super::rulebook::RulePanel;
use super::state_panel::StatePanel;
use super::store::Store;
use super::timebar::TimeBar;

/// The example named in the address (`#walkthrough.toml`), else the first one.
fn initial_example() -> &'static gallery::Example {
    let hash = window().location().hash().unwrap_or_default();
    gallery::by_file(hash.trim_start_matches('#')).unwrap_or_else(gallery::first)
}

#[component]
pub fn App() -> impl IntoView {
    let first = initial_example();
    let store = Store::new(first.text, Some(first.file));
    store.connect();
    let title = move || {
        store.result.with(|r| {
            r.as_ref()
                .map(|r| r.info.name.clone())
                .unwrap_or_else(|| "No result yet".to_string())
        })
    };
    let description = move || {
        store.result.with(|r| {
            r.as_ref()
                .map(|r| r.info.description.clone())
                .filter(|d| !d.is_empty())
        })
    };
    // Marks the page once the first result is drawn, with the time since navigation
    // started (read by the browser test).
    Effect::new(move |_| {
        if store.result.with(|r| r.is_none()) {
            return;
        }
        if let Some(body) = document().body().filter(|b| !b.has_attribute("data-ready")) {
            let ms = window().performance().map(|p| p.now()).unwrap_or(0.0);
            let _ = body.set_attribute("data-ready-ms", &format!("{ms:.0}"));
            let _ = body.set_attribute("data-ready", "true");
        }
    });
    view! {
        <header class="top">
            <h1>"License Lab"</h1>
            <p class="tagline">"A simulator of Qlik Sense-style licensing: tokens, access passes, quarantine, capacity."</p>
            <button type="button" class="rulebook-button" on:click=move |_| store.rule.set(Some(String::new()))>
                "Rule book"
            </button>
        </header>
        <main class="layout">
            <div class="col-scenario">
                <Gallery store/>
                <ExampleNotes store/>
                <Editor store/>
            </div>
            <div class="col-result">
                <div class="result-head">
                    <h2 class="result-title">{title}</h2>
                    <p class="stale-note" role="status" class:shown=move || store.stale()>
                        {move || store.stale().then_some("Stale: this result is from an earlier version of the scenario.")}
                    </p>
                    {move || description().map(|d| view! { <p class="description">{d}</p> })}
                </div>
                <TimeBar store/>
                <StatePanel store/>
                <Charts store/>
                <EventLog store/>
            </div>
        </main>
        <RulePanel store/>
    }
}
