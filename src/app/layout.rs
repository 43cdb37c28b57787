//! The page: header, the scenario column (gallery, editor, run controls) and the result
//! column (time controls, charts, state, log), and the rule book's side panel.

use leptos::prelude::*;

use super::charts::Charts;
use super::compare::ComparePanel;
use super::editor::Editor;
use super::event_log::EventLog;
use super::exports::Exports;
use super::gallery::{self, ExampleNotes, Gallery};
use super::history::How;
use super::library::Library;
use super::rulebook::RulePanel;
use super::share::Share;
use super::sizing::SizingPanel;
use super::state_panel::StatePanel;
use super::store::{ResultTab, Store};
use super::timebar::TimeBar;
use crate::scenario::about;

/// What the page opens with: the scenario open when the page was last left, else the
/// first example (embedded). An example named in the address (`#q05-….toml`) is fetched
/// and opened once the page is up ([`opened_example`]); a share link (`#s=…`) is read by
/// the tools worker.
fn initial_text() -> (String, Option<&'static str>) {
    if opened_example().is_none() && !super::share::opened_from_link() {
        if let Some(text) = super::library::last() {
            return (text, None);
        }
    }
    (gallery::FIRST_TEXT.to_string(), Some(gallery::first().file))
}

/// The example the address names, if any.
fn opened_example() -> Option<&'static gallery::Example> {
    let hash = window().location().hash().unwrap_or_default();
    gallery::by_file(hash.trim_start_matches('#'))
}

/// Messages from the tools (share, import, save, export, form edits).
#[component]
fn Notices(store: Store) -> impl IntoView {
    move || {
        store.notice.get().map(|n| {
            view! {
                <div class="notice" class:error=n.error role=if n.error { "alert" } else { "status" }>
                    <span class="notice-text">{n.text}</span>
                    {n.restore.then(|| view! {
                        <button type="button" id="restore-text" on:click=move |_| super::history::restore(store)>
                            "Restore the text you were editing"
                        </button>
                    })}
                    <button type="button" class="notice-close" aria-label="Dismiss" on:click=move |_| store.notice.set(None)>"×"</button>
                </div>
            }
        })
    }
}

/// Result / Compare / Sizing.
#[component]
fn ResultTabs(store: Store) -> impl IntoView {
    let tab = move |t: ResultTab, id: &'static str, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                id=id
                aria-selected=move || (store.tab.get() == t).to_string()
                on:click=move |_| store.tab.set(t)
            >{label}</button>
        }
    };
    view! {
        <div class="result-tabs" role="tablist" aria-label="What to show">
            {tab(ResultTab::Run, "tab-run", "Result")}
            {tab(ResultTab::Compare, "tab-compare", "Compare")}
            {tab(ResultTab::Sizing, "tab-sizing", "Sizing")}
        </div>
    }
}

#[component]
pub fn App() -> impl IntoView {
    // A reload reopens the entry as it was left; else the address names what to open.
    let entry = super::history::start();
    let (text, example) = match &entry {
        Some(e) => (e.text.clone(), e.example()),
        None => initial_text(),
    };
    let store = Store::new(&text, example);
    // The walkthrough a first visit opens with is nobody's edit; a text kept from the
    // last visit may be.
    if entry.is_none() && example.is_some() {
        super::history::saved(&text);
    }
    if let Some(e) = &entry {
        store.cursor.set(e.cursor);
        store.tab.set(e.result_tab());
        if e.form {
            store.edit_view.set(super::store::EditView::Form);
        }
    }
    store.connect();
    store.refresh_form();
    super::history::listen(store);
    super::rulebook::load(store);
    if entry.is_none() {
        if super::share::opened_from_link() {
            super::share::open_link(How::Start);
        } else if let Some(e) = opened_example().filter(|e| e.file != gallery::first().file) {
            gallery::open(store, e, How::Start);
        }
    }
    // The title follows the `name` in the text as it is typed (the last run's name
    // while the text has none that reads).
    let title = Memo::new(move |_| {
        store
            .text
            .with(|t| about::top_string(t, "name"))
            .or_else(|| {
                store
                    .result
                    .with(|r| r.as_ref().map(|r| r.info.name.clone()))
            })
            .unwrap_or_else(|| "Untitled scenario".to_string())
    });
    let description = move || {
        store
            .text
            .with(|t| about::top_string(t, "description"))
            .filter(|d| !d.is_empty())
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
            <Share store/>
            <button type="button" class="rulebook-button" on:click=move |_| store.rule.set(Some(String::new()))>
                "Rule book"
            </button>
        </header>
        <Notices store/>
        <main class="layout">
            <div
                class="col-scenario"
                on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                on:drop=move |ev: web_sys::DragEvent| super::library::on_drop(store, ev)
            >
                <Gallery store/>
                <Library store/>
                <ExampleNotes store/>
                <Editor store/>
            </div>
            <div class="col-result">
                <ResultTabs store/>
                <div class="tab-compare" class:hidden=move || store.tab.get() != ResultTab::Compare>
                    <ComparePanel store/>
                </div>
                <div class="tab-sizing" class:hidden=move || store.tab.get() != ResultTab::Sizing>
                    <SizingPanel store/>
                </div>
                <div class="tab-run" class:hidden=move || store.tab.get() != ResultTab::Run>
                <div class="result-head">
                    <h2 class="result-title">{title}</h2>
                    <p class="stale-note" role="status" class:shown=move || store.stale()>
                        {move || store.stale().then(|| {
                            // Named when the run shown had another name than the text now.
                            let ran = store.result.with(|r| r.as_ref().map(|r| r.info.name.clone())).unwrap_or_default();
                            if ran == title.get() {
                                "Stale: this result is from an earlier version of the scenario.".to_string()
                            } else {
                                format!("Stale: this result is of “{ran}”, an earlier version of the scenario.")
                            }
                        })}
                    </p>
                    {move || description().map(|d| view! { <p class="description">{d}</p> })}
                </div>
                <TimeBar store/>
                <StatePanel store/>
                <Exports store/>
                <Charts store/>
                <EventLog store/>
                </div>
            </div>
        </main>
        <RulePanel store/>
    }
}
