//! The example gallery: the project's example scenarios ([`super::examples`]) on their
//! shelves, one click to open and run, and the opened example's notes.

use leptos::prelude::*;

use super::examples::{Example, Shelf, EXAMPLES};
use super::history::{History, How};
use super::rulebook::{render_html, RuleBook};
use super::store::{ctx, Doc, Notices};
use crate::scenario::about::{self, Block};

/// Opens an example: its text replaces the editor's and runs; the address names it, so
/// it can be shared or reloaded.
pub fn open(history: History, notices: Notices, e: &'static Example, how: How) {
    leptos::task::spawn_local(async move {
        match e.text().await {
            Ok(text) => history.open(text, Some(e.file), how, Some(&format!("#{}", e.file))),
            Err(why) => notices.say(true, format!("Nothing changed: {why}.")),
        }
    });
}

#[component]
pub fn Gallery() -> impl IntoView {
    let doc = ctx::<Doc>();
    let history = ctx::<History>();
    let notices = ctx::<Notices>();
    let shelf = move |shelf: Shelf, heading: &'static str| {
        let items = EXAMPLES
            .iter()
            .filter(|e| e.shelf == shelf)
            .map(|e| {
                let file = e.file;
                view! {
                    <li>
                        <button
                            type="button"
                            class="example"
                            class:current=move || doc.example.get() == Some(file)
                            aria-pressed=move || (doc.example.get() == Some(file)).to_string()
                            data-file=file
                            on:click=move |_| open(history, notices, e, How::Push)
                        >
                            {e.title()}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3 class="shelf">{heading}</h3>
            <ul>{items}</ul>
        }
    };
    view! {
        <details class="gallery" open>
            <summary>
                <h2>"Examples"</h2>
                <span class="muted">" one click to load and run"</span>
            </summary>
            <div class="shelves">
                {shelf(Shelf::Tour, "Walkthroughs")}
                {shelf(Shelf::Question, "Questions people ask")}
                {shelf(Shelf::Stress, "Stress test")}
            </div>
        </details>
    }
}

/// The loaded example's notes, for stepping through it: its top comments as prose, the
/// rule ids in them opening the rule book.
#[component]
pub fn ExampleNotes() -> impl IntoView {
    let doc = ctx::<Doc>();
    let book = ctx::<RuleBook>();
    move || {
        doc.example.get()?;
        book.ready.track();
        let blocks = doc.loaded.with(|t| about::notes(t));
        (!blocks.is_empty()).then(|| {
            let body: String = blocks
                .into_iter()
                .map(|b| match b {
                    Block::Paragraph(p) => format!("<p>{}</p>", render_html(&p)),
                    Block::List(items) => format!(
                        "<ul>{}</ul>",
                        items.iter().map(|i| format!("<li>{}</li>", render_html(i))).collect::<String>()
                    ),
                })
                .collect();
            view! {
                <details class="example-notes">
                    <summary>"About this example: what to look for"</summary>
                    <div class="notes-text" inner_html=body on:click=move |ev| book.open_clicked(ev)></div>
                </details>
            }
        })
    }
}
