//! "What-if on history" in the app (issue 14), the page's side: a deployment's exports
//! (sessions CSV/TSV, QRS license and usage JSON, Qlik Cloud consumption, the proxy's
//! audit log) picked or dropped, handed as `File`s to the tools worker
//! ([`super::import_worker`]), which reads and imports them off the page's thread and
//! answers with the preview as markup. "Open as a scenario" opens the import like any
//! other opening ([`super::history::History::open`]: a history entry, unsaved text put aside
//! for Restore); the worker keeps it in IndexedDB, listed under the saved scenarios.
//! The sizing panel's "What-if on history" ([`super::sizing`]) sizes the fixed visits.
//!
//! The markup comes from the worker or from the constants here, with one delegated
//! handler per box, so the first load stays small.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker};

use super::history::{History, How};
use super::import_worker::TEXT_TAG;
use super::protocol::{ToolRequest, ToolResponse};
use super::store::{ctx, Notices};
use crate::tools::import::{ColumnMap, Field, Format, Options};

/// How many imports IndexedDB keeps, mirrored in local storage so the page asks the tools
/// worker for the list at start only when there is one.
const KEY_KEPT: &str = "license-lab:imports";

/// The picker row: files, how to read them, the options.
fn picker() -> String {
    let mut formats = String::from("<option value=\"\">detected from the content</option>");
    for f in Format::ALL {
        formats.push_str(&format!(
            "<option value=\"{}\">{}</option>",
            f.name(),
            f.label()
        ));
    }
    format!(
        "<div class=\"file-row import-row\">\
<button type=\"button\" id=\"history-pick\" data-act=\"pick\">Import usage or license files…</button>\
<input type=\"file\" id=\"history-input\" class=\"visually-hidden\" multiple tabindex=\"-1\" aria-label=\"Usage or license files to import\" accept=\".csv,.tsv,.txt,.json,.log,text/csv,text/plain,application/json\">\
<label>Read as <select id=\"history-format\">{formats}</select></label>\
<label><input type=\"checkbox\" id=\"history-skip-bad\"> Skip bad rows</label>\
<label><input type=\"checkbox\" id=\"history-pseudonyms\"> Pseudonyms</label>\
<span class=\"muted small\">a deployment's history: sessions CSV or TSV, QRS license and usage JSON, Qlik Cloud consumption, the proxy's audit log (one or several files, or drop them here)</span></div>"
    )
}

thread_local! {
    /// Files waiting for the tools worker to say it listens.
    static PENDING: RefCell<Vec<File>> = const { RefCell::new(Vec::new()) };
    /// The files last imported and the columns chosen for them (to import them again with
    /// other columns or another format).
    static LAST: RefCell<(Vec<File>, ColumnMap)> = RefCell::new((Vec::new(), ColumnMap::default()));
    /// The preview's and the kept list's markup.
    static BOXES: RefCell<Option<(RwSignal<String>, RwSignal<String>)>> = const { RefCell::new(None) };
}

fn boxes() -> Option<(RwSignal<String>, RwSignal<String>)> {
    BOXES.with(|b| *b.borrow())
}

fn checked(id: &str) -> bool {
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// Imports `files` (read and imported by the tools worker); the preview follows.
pub fn files(files: Vec<File>) {
    LAST.with(|l| *l.borrow_mut() = (files.clone(), ColumnMap::default()));
    send_files(files);
}

/// Imports the last files again, with the columns chosen in the preview's chooser.
fn again(columns: Option<ColumnMap>) {
    let files = LAST.with(|l| {
        let mut l = l.borrow_mut();
        if let Some(c) = columns {
            l.1 = c;
        }
        l.0.clone()
    });
    if !files.is_empty() {
        send_files(files);
    }
}

/// The columns chosen in the preview's chooser.
fn chosen_columns() -> ColumnMap {
    let mut map = Vec::new();
    if let Ok(list) = document().query_selector_all(".import-columns select[data-field]") {
        for i in 0..list.length() {
            let Some(sel) = list
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlSelectElement>().ok())
            else {
                continue;
            };
            let field = sel
                .get_attribute("data-field")
                .and_then(|f| Field::from_name(&f));
            if let (Some(f), v) = (field, sel.value()) {
                if !v.is_empty() {
                    map.push((f, v));
                }
            }
        }
    }
    ColumnMap(map)
}

fn send_files(files: Vec<File>) {
    let Some((preview, _)) = boxes() else { return };
    let bytes: f64 = files.iter().map(|f| f.size()).sum();
    preview.set(format!(
        "<p class=\"muted\" role=\"status\">Reading {} file(s), {:.1} MB, in the background…</p>",
        files.len(),
        bytes / 1_048_576.0
    ));
    PENDING.with(|p| *p.borrow_mut() = files);
    super::tools_client::send(&ToolRequest::ImportStart);
}

/// The worker's answers about imports.
pub fn on_response(notices: Notices, resp: ToolResponse) {
    let Some((preview, kept)) = boxes() else {
        return;
    };
    match resp {
        ToolResponse::ImportReady => {
            let format = document()
                .get_element_by_id("history-format")
                .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .and_then(|s| Format::from_name(&s.value()));
            let options = Options {
                skip_bad: checked("history-skip-bad"),
                pseudonyms: checked("history-pseudonyms"),
                format,
                columns: LAST.with(|l| l.borrow().1.clone()),
                ..Options::default()
            };
            let msg = js_sys::Array::new();
            msg.push(&serde_json::to_string(&options).unwrap_or_default().into());
            for f in PENDING.with(|p| std::mem::take(&mut *p.borrow_mut())) {
                msg.push(&f);
            }
            super::tools_client::post_raw(&msg);
        }
        ToolResponse::ImportPreview { html, ok } => {
            preview.set(html);
            if !ok {
                notices.say(
                    true,
                    "Not imported, nothing changed: see the import's message.",
                );
            }
        }
        ToolResponse::ImportedList { html, count } => {
            kept.set(html);
            if let Ok(Some(s)) = window().local_storage() {
                let _ = s.set_item(KEY_KEPT, &count.to_string());
            }
        }
        _ => {}
    }
}

/// The tools worker found (or not) the whole text of a stand-in the page had without it
/// ([`super::large::on_missing`]): the text is checked and run again, now whole.
pub fn on_large_loaded(history: History, notices: Notices, id: &str, found: bool) {
    let runner = history.runner();
    let current = runner
        .doc
        .text
        .with_untracked(|t| crate::scenario::stand_in::id(t) == Some(id));
    if !current {
        return;
    }
    if found {
        runner.run_now();
    } else {
        notices.say(
            true,
            format!(
                "Not run: {}.",
                crate::scenario::stand_in::missing_message(id)
            ),
        );
    }
}

/// Page side: the tools worker's messages that carry a scenario's text (an import being
/// opened), outside the JSON protocol.
pub fn listen_worker(worker: &Worker, history: History, notices: Notices) {
    let on_text = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        if !js_sys::Array::is_array(&data) {
            return;
        }
        let msg: js_sys::Array = data.unchecked_into();
        if msg.get(0).as_string().as_deref() != Some(TEXT_TAG) {
            return;
        }
        let name = msg.get(2).as_string().unwrap_or_default();
        let Some(text) = msg.get(3).as_string() else {
            return;
        };
        history.open(text, None, How::Push, Some("#"));
        // Keeps the notice's Restore when the opening put edited text aside.
        notices.say(
            false,
            format!("Opened the imported history “{name}”: the license found with the real visits. Every tool works on it; this browser keeps it (My scenarios)."),
        );
    });
    let _ = worker.add_event_listener_with_callback("message", on_text.as_ref().unchecked_ref());
    on_text.forget();
}

pub fn act_of(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("[data-act]")
        .ok()?
}

/// The import box of "My scenarios": the picker, the preview, the imports kept.
#[component]
pub fn ImportBox() -> impl IntoView {
    let notices = ctx::<Notices>();
    let preview = RwSignal::new(String::new());
    let kept = RwSignal::new(String::new());
    BOXES.with(|b| *b.borrow_mut() = Some((preview, kept)));
    let has_kept = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(KEY_KEPT).ok().flatten())
        .is_some_and(|n| n != "0");
    if has_kept {
        super::tools_client::send(&ToolRequest::ImportedList);
    }
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(el) = act_of(&ev) else { return };
        let name = el.get_attribute("data-name").unwrap_or_default();
        match el.get_attribute("data-act").as_deref() {
            Some("pick") => {
                if let Some(i) = document()
                    .get_element_by_id("history-input")
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    i.click();
                }
            }
            Some("open") => super::tools_client::send(&ToolRequest::ImportOpen),
            Some("remap") => again(Some(chosen_columns())),
            Some("discard") => preview.set(String::new()),
            Some("open-kept") => super::tools_client::send(&ToolRequest::ImportedOpen { name }),
            Some("delete-kept") => {
                super::tools_client::send(&ToolRequest::ImportedDelete { name: name.clone() });
                notices.say(false, format!("Deleted the imported history “{name}”."));
            }
            _ => {}
        }
    };
    let on_change = move |ev: web_sys::Event| {
        // Another format: the last files are read again that way.
        let format = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| e.id() == "history-format");
        if format {
            return again(None);
        }
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .filter(|i| i.id() == "history-input")
        else {
            return;
        };
        if let Some(list) = input.files() {
            files((0..list.length()).filter_map(|i| list.get(i)).collect());
        }
        input.set_value("");
    };
    view! {
        <div class="import-box" on:click=on_click on:change=on_change>
            <div inner_html=picker()></div>
            <div class="import-preview-box" aria-live="polite" inner_html=move || preview.get()></div>
            <div class="imported-box" inner_html=move || kept.get()></div>
        </div>
    }
}
