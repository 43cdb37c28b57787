//! The page: header, the scenario column (gallery, editor, run controls) and the result
//! column (time controls, charts, state, log), and the rule book's side panel.

use leptos::prelude::*;

use super::charts::Charts;
use super::compare::{Compare, ComparePanel};
use super::editor::Editor;
use super::event_log::EventLog;
use super::examples::{self, Example};
use super::exports::Exports;
use super::form::Form;
use super::gallery::{self, ExampleNotes, Gallery};
use super::history::{History, How};
use super::library::Library;
use super::lives::{Lives, LivesPanel};
use super::protocol::ToolResponse;
use super::rulebook::{RuleBook, RulePanel};
use super::run::Runner;
use super::share::{Share, Shared};
use super::sizing::{Sizing, SizingPanel};
use super::state_panel::StatePanel;
use super::store::{ctx, Cursor, Doc, EditView, Notices, ResultTab, Run, Ui};
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
    (
        examples::FIRST_TEXT.to_string(),
        Some(examples::first().file),
    )
}

/// The example the address names, if any.
fn opened_example() -> Option<&'static Example> {
    let hash = window().location().hash().unwrap_or_default();
    examples::by_file(hash.trim_start_matches('#'))
}

/// Opens what the address names (a share link, an example) when Back or Forward reach an
/// entry the app did not make; else keeps the entry as it is.
fn open_address(history: History, notices: Notices, how: How) {
    if super::share::opened_from_link() {
        super::share::open_link(how);
    } else if let Some(e) = opened_example() {
        gallery::open(history, notices, e, how);
    } else {
        history.save();
    }
}

/// Provides the features over the stores, and routes the tools worker's answers to the
/// one that asked.
fn provide_features(history: History, notices: Notices) -> Form {
    let form = Form::provide();
    // Before `Shared`: a share link carries the sizing.
    let sizing = Sizing::provide();
    let shared = Shared::provide();
    let compare = Compare::provide();
    let lives = Lives::provide();
    // A stand-in without its `Blob` (kept across a reload): the tools worker looks for
    // its text among the kept imports. Later, not inside the send that noticed it.
    super::large::on_missing(|id| {
        let id = id.to_string();
        wasm_bindgen_futures::spawn_local(async move {
            super::tools_client::send(&super::protocol::ToolRequest::LargeLoad { id });
        });
    });
    super::tools_client::init(
        move |resp| match resp {
            ToolResponse::Ready => {}
            r @ (ToolResponse::Form { .. } | ToolResponse::FormEdited { .. }) => {
                form.on_response(r)
            }
            r @ (ToolResponse::Shared { .. } | ToolResponse::Unshared { .. }) => {
                shared.on_response(history, notices, r)
            }
            ToolResponse::ImportChecked { name, text, errors } => {
                super::library::on_import_checked(history, notices, name, text, errors)
            }
            r @ ToolResponse::Compared(_) => compare.on_response(r),
            r @ (ToolResponse::SeedDone { .. }
            | ToolResponse::SizePlanned { .. }
            | ToolResponse::CurveDone { .. }
            | ToolResponse::SizeReported { .. }) => super::sizing::on_response(sizing, r),
            r @ (ToolResponse::ImportReady
            | ToolResponse::ImportPreview { .. }
            | ToolResponse::ImportedList { .. }) => super::import::on_response(notices, r),
            ToolResponse::Lives { rev, part, html } => lives.on_response(rev, part, html),
            ToolResponse::UseRights { rev, warnings } => {
                super::use_rights::on_response(rev, &warnings)
            }
            ToolResponse::LargeLoaded { id, found } => {
                super::import::on_large_loaded(history, notices, &id, found)
            }
        },
        move |w| super::import::listen_worker(w, history, notices),
        notices,
    );
    form
}

/// Each revision of the text handed to the worker (typed, once typing pauses; opened;
/// edited) is kept for the next visit and for Back, Forward and reload, and the form
/// shows it. The text the page opens with is not written: a first visit's walkthrough
/// stays the example it is.
fn follow_sent(doc: Doc, run: Run, history: History, form: Form) {
    let sent = run.sent;
    Effect::new(move |prev: Option<u64>| {
        let rev = sent.get();
        if prev.is_some_and(|p| p != rev) {
            doc.text
                .with_untracked(|t| super::library::remember_last(t));
            history.save();
            form.refresh();
        }
        rev
    });
}

/// Messages from the tools (share, import, save, export, form edits).
#[component]
fn NoticeBar() -> impl IntoView {
    let notices = ctx::<Notices>();
    let history = ctx::<History>();
    move || {
        notices.notice.get().map(|n| {
            view! {
                <div class="notice" class:error=n.error role=if n.error { "alert" } else { "status" }>
                    <span class="notice-text">{n.text}</span>
                    {n.restore.then(|| view! {
                        <button type="button" id="restore-text" on:click=move |_| history.restore()>
                            "Restore the text you were editing"
                        </button>
                    })}
                    <button type="button" class="notice-close" aria-label="Dismiss" on:click=move |_| notices.notice.set(None)>"×"</button>
                </div>
            }
        })
    }
}

/// Result / Compare / Sizing.
#[component]
fn ResultTabs() -> impl IntoView {
    let ui = ctx::<Ui>();
    let tab = move |t: ResultTab, id: &'static str, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                id=id
                aria-selected=move || (ui.tab.get() == t).to_string()
                on:click=move |_| ui.tab.set(t)
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
    super::store::provide(&text, example);
    let (doc, run, cursor, ui, notices) = (
        ctx::<Doc>(),
        ctx::<Run>(),
        ctx::<Cursor>(),
        ctx::<Ui>(),
        ctx::<Notices>(),
    );
    // The walkthrough a first visit opens with is nobody's edit; a text kept from the
    // last visit may be.
    if entry.is_none() && example.is_some() {
        super::history::saved(&text);
    }
    if let Some(e) = &entry {
        cursor.at.set(e.cursor);
        ui.tab.set(e.result_tab());
        if e.form {
            ui.edit_view.set(EditView::Form);
        }
    }
    let runner = Runner::provide();
    let history = History::provide(runner);
    let form = provide_features(history, notices);
    follow_sent(doc, run, history, form);
    runner.connect();
    form.refresh();
    history.listen(move |how| open_address(history, notices, how));
    let book = RuleBook::provide();
    if entry.is_none() {
        if super::share::opened_from_link() {
            super::share::open_link(How::Start);
        } else if let Some(e) = opened_example().filter(|e| e.file != examples::first().file) {
            gallery::open(history, notices, e, How::Start);
        }
    }
    // The title follows the `name` in the text as it is typed (the last run's name
    // while the text has none that reads).
    let title = Memo::new(move |_| doc.name(run));
    let description = move || {
        doc.text
            .with(|t| about::top_string(t, "description"))
            .filter(|d| !d.is_empty())
    };
    // Marks the page once the first result is drawn, with the time since navigation
    // started (read by the browser test).
    Effect::new(move |_| {
        if run.result.with(|r| r.is_none()) {
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
            <Share/>
            <button type="button" class="rulebook-button" on:click=move |_| book.open("")>
                "Rule book"
            </button>
        </header>
        <NoticeBar/>
        <main class="layout">
            <div
                class="col-scenario"
                on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                on:drop=move |ev: web_sys::DragEvent| super::library::on_drop(notices, ev)
            >
                <Gallery/>
                <Library/>
                <ExampleNotes/>
                <Editor/>
            </div>
            <div class="col-result">
                <ResultTabs/>
                <div class="tab-compare" class:hidden=move || ui.tab.get() != ResultTab::Compare>
                    <ComparePanel/>
                </div>
                <div class="tab-sizing" class:hidden=move || ui.tab.get() != ResultTab::Sizing>
                    <SizingPanel/>
                </div>
                <div class="tab-run" class:hidden=move || ui.tab.get() != ResultTab::Run>
                <div class="result-head">
                    <h2 class="result-title">{title}</h2>
                    <p class="stale-note" role="status" class:shown=move || run.stale(doc)>
                        {move || run.stale(doc).then(|| {
                            // Named when the run shown had another name than the text now.
                            let ran = run.result.with(|r| r.as_ref().map(|r| r.info.name.clone())).unwrap_or_default();
                            if ran == title.get() {
                                "Stale: this result is from an earlier version of the scenario.".to_string()
                            } else {
                                format!("Stale: this result is of “{ran}”, an earlier version of the scenario.")
                            }
                        })}
                    </p>
                    {move || description().map(|d| view! { <p class="description">{d}</p> })}
                </div>
                <TimeBar/>
                <StatePanel/>
                <Exports/>
                <Charts/>
                <LivesPanel/>
                <EventLog/>
                </div>
            </div>
        </main>
        <RulePanel/>
    }
}
