//! Keeping scenarios in the browser: saved under their names in local storage (listed,
//! opened, renamed, deleted), the last text reopened on reload, and `.toml` files
//! imported (a file picker or drag and drop) and exported.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, FileReader, Storage};

use super::history::{History, How};
use super::protocol::{ErrorView, ToolRequest};
use super::store::{ctx, Doc, EditView, Notices, Run, Ui};
use crate::scenario::limits::MAX_TEXT_BYTES;

const KEY_LIBRARY: &str = "license-lab:library";
const KEY_LAST: &str = "license-lab:last";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub name: String,
    pub text: String,
    /// When it was saved, `YYYY-MM-DD HH:MM` (the browser's clock).
    pub saved: String,
}

fn storage() -> Option<Storage> {
    window().local_storage().ok().flatten()
}

/// Keeps the current text, so a reload reopens it.
pub fn remember_last(text: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY_LAST, text);
    }
}

/// The text open when the page was last left, if any.
pub fn last() -> Option<String> {
    storage()?
        .get_item(KEY_LAST)
        .ok()
        .flatten()
        .filter(|t| !t.trim().is_empty())
}

/// The saved scenarios, by name.
pub fn list() -> Vec<Saved> {
    storage()
        .and_then(|s| s.get_item(KEY_LIBRARY).ok().flatten())
        .and_then(|json| serde_json::from_str::<Vec<Saved>>(&json).ok())
        .unwrap_or_default()
}

fn write(items: &[Saved]) -> Result<(), String> {
    let s = storage().ok_or("this browser does not let the page keep anything")?;
    let json = serde_json::to_string(items).map_err(|e| e.to_string())?;
    s.set_item(KEY_LIBRARY, &json).map_err(|_| {
        "the browser's storage is full: delete a saved scenario or export it as a file".to_string()
    })
}

/// Saves `text` as `name` (replacing a scenario of that name).
pub fn save(name: &str, text: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("give the scenario a name to save it under".into());
    }
    let mut items = list();
    items.retain(|s| s.name != name);
    items.push(Saved {
        name: name.to_string(),
        text: text.to_string(),
        saved: super::downloads::now_label(),
    });
    items.sort_by_key(|a| a.name.to_ascii_lowercase());
    write(&items)
}

pub fn rename(from: &str, to: &str) -> Result<(), String> {
    let to = to.trim();
    if to.is_empty() {
        return Err("a name cannot be empty".into());
    }
    let mut items = list();
    if to != from && items.iter().any(|s| s.name == to) {
        return Err(format!("a scenario is already saved as {to}"));
    }
    if let Some(s) = items.iter_mut().find(|s| s.name == from) {
        s.name = to.to_string();
    }
    items.sort_by_key(|a| a.name.to_ascii_lowercase());
    write(&items)
}

pub fn delete(name: &str) -> Result<(), String> {
    let mut items = list();
    items.retain(|s| s.name != name);
    write(&items)
}

/// A new, empty scenario starting today: a license of 10 tokens and nothing else yet
/// (the form adds groups, users, visits).
pub fn new_scenario_text() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "name = \"New scenario\"\nstart = \"{:04}-{:02}-{:02}\"\ndays = 30\n\n[license]\nkind = \"perpetual\"\ntokens = 10\n",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// Reads a dropped or picked file and has the worker check it; only a valid scenario
/// replaces the text (see `ToolResponse::ImportChecked`).
pub fn import(notices: Notices, file: File) {
    let name = file.name();
    if file.size() > MAX_TEXT_BYTES as f64 {
        notices.say(
            true,
            format!(
                "{name} was not imported, nothing changed: it has {:.1} MB, the limit is {} MB.",
                file.size() / 1_048_576.0,
                MAX_TEXT_BYTES / 1_048_576
            ),
        );
        return;
    }
    let Ok(reader) = FileReader::new() else {
        return;
    };
    let r2 = reader.clone();
    let onload = Closure::once_into_js(move || {
        let text = r2
            .result()
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        if text.contains('\u{0}') {
            notices.say(
                true,
                format!("{name} was not imported, nothing changed: it is not a text file."),
            );
            return;
        }
        super::tools_client::send(&ToolRequest::CheckImport { name, text });
    });
    reader.set_onload(Some(onload.unchecked_ref()));
    let _ = reader.read_as_text(&file);
}

/// The tools worker checked an imported file: a valid scenario is opened, else nothing
/// changes and the notice names the first errors.
pub fn on_import_checked(
    history: History,
    notices: Notices,
    name: String,
    text: String,
    errors: Vec<ErrorView>,
) {
    if errors.is_empty() {
        history.open(text, None, How::Push, Some("#"));
        notices.say(false, format!("Imported {name}."));
        return;
    }
    let first = errors
        .iter()
        .take(3)
        .map(|e| format!("line {}, column {}: {}", e.line, e.column, e.message))
        .collect::<Vec<_>>()
        .join("; ");
    let more = if errors.len() > 3 {
        format!(" (and {} more)", errors.len() - 3)
    } else {
        String::new()
    };
    notices.say(
        true,
        format!("{name} was not imported, nothing changed: {first}{more}."),
    );
}

/// The saved scenarios, the save box, and import / export of files.
#[component]
pub fn Library() -> impl IntoView {
    let doc = ctx::<Doc>();
    let run = ctx::<Run>();
    let ui = ctx::<Ui>();
    let history = ctx::<History>();
    let notices = ctx::<Notices>();
    let items = RwSignal::new(list());
    let refresh = move || items.set(list());
    let save_name = RwSignal::new(String::new());
    let renaming = RwSignal::new(None::<(String, String)>);
    let default_name = move || doc.name(run);
    let do_save = move || {
        let name = {
            let n = save_name.get_untracked();
            if n.trim().is_empty() {
                default_name()
            } else {
                n
            }
        };
        let text = doc.text.get_untracked();
        if crate::scenario::stand_in::id(&text).is_some() {
            notices.say(
                true,
                "Not saved here: this scenario is too large for the saved scenarios (a few MB in all). Imported histories are kept under Imported histories; Export .toml keeps it as a file.",
            );
            return;
        }
        match save(&name, &text) {
            Ok(()) => {
                super::history::saved(&text);
                notices.say(false, format!("Saved as {}.", name.trim()));
                save_name.set(String::new());
                refresh();
            }
            Err(e) => notices.say(true, e),
        }
    };
    let export_toml = move || {
        if let Err(e) =
            super::downloads::scenario_file(&doc.name_untracked(run), &doc.text.get_untracked())
        {
            notices.say(true, e);
        }
    };
    let rows = move || {
        items
            .get()
            .into_iter()
            .map(|s| {
                let name = s.name.clone();
                let text = s.text.clone();
                let n_open = name.clone();
                let n_del = name.clone();
                let n_ren = name.clone();
                let editing = {
                    let name = name.clone();
                    move || renaming.with(|r| r.as_ref().is_some_and(|(from, _)| *from == name))
                };
                let editing2 = editing.clone();
                view! {
                    <li class="saved" data-name=name.clone()>
                        <Show
                            when=editing
                            fallback=move || {
                                let n = n_open.clone();
                                view! {
                                    <span class="saved-name">{n}</span>
                                }
                            }
                        >
                            <input
                                class="rename-input"
                                aria-label="New name"
                                prop:value=move || renaming.with(|r| r.as_ref().map(|(_, to)| to.clone()).unwrap_or_default())
                                on:input:target=move |ev| renaming.update(|r| if let Some((_, to)) = r { *to = ev.target().value() })
                                on:keydown=move |ev| {
                                    if ev.key() == "Enter" {
                                        if let Some((from, to)) = renaming.get_untracked() {
                                            match rename(&from, &to) {
                                                Ok(()) => { renaming.set(None); refresh(); }
                                                Err(e) => notices.say(true, e),
                                            }
                                        }
                                    } else if ev.key() == "Escape" {
                                        renaming.set(None);
                                    }
                                }
                            />
                        </Show>
                        <span class="saved-when">{s.saved.clone()}</span>
                        <span class="saved-actions">
                            <button type="button" class="open-saved" on:click=move |_| {
                                history.open(text.clone(), None, How::Push, Some("#"));
                                notices.say(false, "Opened the saved scenario.");
                            }>"Open"</button>
                            <button type="button" class="rename-saved" on:click=move |_| {
                                if editing2() {
                                    if let Some((from, to)) = renaming.get_untracked() {
                                        match rename(&from, &to) {
                                            Ok(()) => { renaming.set(None); refresh(); }
                                            Err(e) => notices.say(true, e),
                                        }
                                    }
                                } else {
                                    renaming.set(Some((n_ren.clone(), n_ren.clone())));
                                }
                            }>"Rename"</button>
                            <button type="button" class="delete-saved" on:click=move |_| {
                                match delete(&n_del) {
                                    Ok(()) => refresh(),
                                    Err(e) => notices.say(true, e),
                                }
                            }>"Delete"</button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };
    let file_input = NodeRef::<leptos::html::Input>::new();
    view! {
        <details class="library" open>
            <summary>"My scenarios" <span class="muted">" saved in this browser"</span></summary>
            <div class="save-row">
                <label for="save-name">"Save as"</label>
                <input
                    id="save-name"
                    placeholder=default_name
                    prop:value=move || save_name.get()
                    on:input:target=move |ev| save_name.set(ev.target().value())
                    on:keydown=move |ev| if ev.key() == "Enter" { do_save() }
                />
                <button type="button" id="save-scenario" on:click=move |_| do_save()>"Save"</button>
            </div>
            <Show when=move || items.with(|i| i.is_empty())>
                <p class="muted small">"Nothing saved yet. The scenario you are editing is kept anyway and reopens when you come back."</p>
            </Show>
            <ul class="saved-list">{rows}</ul>
            <div class="file-row">
                <button type="button" id="new-scenario" on:click=move |_| {
                    ui.edit_view.set(EditView::Form);
                    history.open(new_scenario_text(), None, How::Push, Some("#"));
                }>"New scenario"</button>
                <button type="button" id="import-file" on:click=move |_| {
                    if let Some(i) = file_input.get() { i.click(); }
                }>"Import .toml…"</button>
                <input
                    type="file"
                    id="import-input"
                    class="visually-hidden"
                    accept=".toml,text/plain,application/toml"
                    aria-label="Import a scenario file"
                    node_ref=file_input
                    on:change:target=move |ev| {
                        let input = ev.target();
                        if let Some(f) = input.files().and_then(|l| l.get(0)) {
                            import(notices, f);
                        }
                        input.set_value("");
                    }
                />
                <button type="button" id="export-toml" on:click=move |_| export_toml()>"Export .toml"</button>
                <span class="muted small">"or drop a .toml file on the editor"</span>
            </div>
            <super::import::ImportBox/>
        </details>
    }
}

/// Drop handlers for the scenario column: a dropped `.toml` file is opened; other files
/// (a deployment's exports, one or several) are imported as a history
/// ([`super::import`]).
pub fn on_drop(notices: Notices, ev: web_sys::DragEvent) {
    ev.prevent_default();
    let Some(list) = ev.data_transfer().and_then(|d| d.files()) else {
        return;
    };
    let files: Vec<File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    match files.as_slice() {
        [f] if f.name().to_ascii_lowercase().ends_with(".toml") => import(notices, f.clone()),
        [] => {}
        _ => super::import::files(files),
    }
}
