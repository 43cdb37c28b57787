//! The tools worker's side of an import (issue 14, "What-if on history"): the dropped or
//! picked files arrive as `File`s (a JS array outside the JSON protocol, so 60 MB never
//! goes through JSON), are read here with `FileReaderSync` and imported with
//! [`crate::tools::import`]; the page gets the preview as markup. Opening sends the
//! scenario's text back the same way (tagged [`TEXT_TAG`]) and keeps it in IndexedDB
//! ([`super::idb`]), listed with the saved scenarios; a large text goes to the page as its
//! stand-in and a `Blob` ([`super::large`]). Nothing here runs on the page's thread.

use std::cell::RefCell;

use js_sys::{Array, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, FileReaderSync, MessageEvent};

use super::protocol::{SizingView, ToolRequest, ToolResponse};
use super::wire::{reply as post, scope};
use crate::tools::import::{self, Columns, Field, Input, Options, Summary, MAX_IMPORT_BYTES};

/// The first element of a message (both ways) that is not JSON: `[TEXT_TAG, how, name,
/// text]` from the worker, `[options JSON, File…]` from the page.
pub const TEXT_TAG: &str = "license-lab:text";

/// The last import previewed, until the next.
struct Previewed {
    name: String,
    text: String,
    summary: Summary,
}

thread_local! {
    static LAST: RefCell<Option<Previewed>> = const { RefCell::new(None) };
}

/// What the list shows of a kept import (IndexedDB's `meta` store, as JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Kept {
    name: String,
    saved: String,
    users: usize,
    sessions: usize,
    bytes: usize,
    /// The text's id ([`crate::scenario::stand_in::id_of`]; empty for one kept before ids).
    #[serde(default)]
    id: String,
}

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mb(bytes: usize) -> String {
    if bytes < 1_048_576 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    }
}

/// Listens for the page's files (the JSON messages go to [`super::tools`]).
pub fn listen() {
    let on_files = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        let data = ev.data();
        // A large text's `Blob` ([`super::large`]) is an array too: `wire` keeps it.
        let blob = Array::is_array(&data)
            && Array::from(&data).get(0).as_string().as_deref() == Some(super::large::TAG);
        if Array::is_array(&data) && !blob {
            read_files(&data.unchecked_into());
        }
    });
    let _ = scope().add_event_listener_with_callback("message", on_files.as_ref().unchecked_ref());
    on_files.forget();
}

fn failed(html: String) {
    post(&ToolResponse::ImportPreview { html, ok: false });
}

fn error_html(what: &str) -> String {
    error_with(what, "")
}

/// An import's error, and `more` markup (the column chooser) under it.
fn error_with(what: &str, more: &str) -> String {
    format!(
        "<div class=\"import-preview\" data-ok=\"false\"><p class=\"check bad\" role=\"alert\">Not imported, nothing changed: {}.</p>\
         <p class=\"muted small\">The scenario in the editor is as it was. A bad row stops the import: tick “Skip bad rows” to leave such rows out (they are listed with their lines).</p>{more}</div>",
        esc(what)
    )
}

/// An importer's message in the app's words: where the command line says to map a
/// column with `--columns`, the page offers the column chooser under the message.
fn in_app_words(message: &str, chooser: &str) -> String {
    match message.find(": map one with --columns") {
        Some(at) if !chooser.is_empty() => {
            format!("{}: choose it under “Columns of …” below", &message[..at])
        }
        _ => message.to_string(),
    }
}

/// `[options JSON, File…]`: reads and imports the files, then posts the preview.
fn read_files(msg: &Array) {
    let options: Options = msg
        .get(0)
        .as_string()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let started = js_sys::Date::now();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for v in msg.iter().skip(1) {
        let Ok(file) = v.dyn_into::<File>() else {
            continue;
        };
        let name = file.name();
        if file.size() > MAX_IMPORT_BYTES as f64 {
            return failed(error_html(&format!(
                "{name} has {}, over the limit of {} for one file",
                mb(file.size() as usize),
                mb(MAX_IMPORT_BYTES)
            )));
        }
        let bytes = FileReaderSync::new()
            .and_then(|r| r.read_as_array_buffer(&file))
            .map(|b| Uint8Array::new(&b).to_vec());
        match bytes {
            Ok(b) => files.push((name, b)),
            Err(_) => return failed(error_html(&format!("{name} could not be read"))),
        }
    }
    if files.is_empty() {
        return failed(error_html("no file was given"));
    }
    let (result, chooser) = {
        let inputs: Vec<Input> = files
            .iter()
            .map(|(name, bytes)| Input { name, bytes })
            .collect();
        let chooser = inputs
            .iter()
            .find_map(|i| import::table_columns(i, &options).map(|c| columns_html(i.name, &c)));
        (
            import::import(&inputs, &options),
            chooser.unwrap_or_default(),
        )
    };
    drop(files);
    let result = result.and_then(|imp| imp.text().map(|text| (imp, text)));
    match result {
        Err(e) => failed(error_with(
            &in_app_words(&e.to_string(), &chooser),
            &chooser,
        )),
        Ok((imp, text)) => {
            let ms = js_sys::Date::now() - started;
            let name = imp.scenario.name.clone();
            let html = preview_html(&name, &imp.summary, (text.len(), ms), &chooser);
            let summary = imp.summary;
            drop(imp.scenario);
            LAST.with(|l| {
                *l.borrow_mut() = Some(Previewed {
                    name,
                    text,
                    summary,
                })
            });
            post(&ToolResponse::ImportPreview { html, ok: true });
        }
    }
}

/// What the chooser calls a field.
fn field_label(f: Field) -> &'static str {
    match f {
        Field::User => "Person (user id)",
        Field::Directory => "User directory",
        Field::Start => "Session start",
        Field::End => "Session end",
        Field::LastActivity => "Last activity",
        Field::Duration => "Duration",
        Field::Device => "Device",
        Field::SessionId => "Session id",
    }
}

/// The column chooser of a sessions table: per field, the column it reads (detected by
/// name, or chosen), and every column of the header to choose from.
fn columns_html(file: &str, c: &Columns) -> String {
    let mut h = format!(
        "<fieldset class=\"import-columns\"><legend>Columns of {}</legend>\
         <p class=\"muted small\">Found by their names; choose another column where one is wrong or missing, then import again. The choice applies to every table of this import.</p><div class=\"columns-grid\">",
        esc(file)
    );
    for (f, col, chosen) in &c.fields {
        let found = col.and_then(|i| c.header.get(i));
        let auto = match (found, chosen) {
            (Some(n), false) => format!("found: {}", esc(n)),
            (None, false) => "none found".to_string(),
            (_, true) => "find it by name".to_string(),
        };
        h.push_str(&format!(
            "<label><span>{}</span><select data-field=\"{}\"><option value=\"\"{}>({auto})</option>",
            field_label(*f),
            f.name(),
            if *chosen { "" } else { " selected" }
        ));
        for (i, name) in c.header.iter().enumerate() {
            let sel = if *chosen && *col == Some(i) {
                " selected"
            } else {
                ""
            };
            h.push_str(&format!(
                "<option value=\"{0}\"{sel}>{0}</option>",
                esc(name)
            ));
        }
        h.push_str("</select></label>");
    }
    h.push_str("</div><button type=\"button\" data-act=\"remap\" id=\"history-remap\">Import again with these columns</button></fieldset>");
    h
}

fn figure(key: &str, label: &str, value: &str) -> String {
    format!(
        "<div data-figure=\"{key}\"><dt>{}</dt><dd>{}</dd></div>",
        esc(label),
        esc(value)
    )
}

/// The preview: what was found, what was skipped and why (with lines), and the buttons.
fn preview_html(name: &str, s: &Summary, (bytes, ms): (usize, f64), chooser: &str) -> String {
    let period = match (&s.first, &s.last) {
        (Some(a), Some(b)) => format!(
            "{a} to {b} UTC ({} day{} from {})",
            s.days,
            if s.days == 1 { "" } else { "s" },
            s.start
        ),
        _ => "no session".to_string(),
    };
    let mut h = format!(
        "<div class=\"import-preview\" data-ok=\"true\"><h3>Preview: {}</h3><dl class=\"import-figures\">{}{}{}{}</dl>",
        esc(name),
        figure("users", "People", &thousands(s.users)),
        figure("sessions", "Sessions", &thousands(s.sessions)),
        figure("period", "Period", &period),
        figure("skipped", "Rows skipped", &thousands(s.skipped)),
    );
    h.push_str("<table class=\"import-files\"><caption>Files read</caption><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Read as</th><th scope=\"col\">Records</th><th scope=\"col\">Sessions</th></tr></thead><tbody>");
    for f in &s.files {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&f.name),
            esc(f.format.label()),
            thousands(f.records),
            thousands(f.sessions)
        ));
    }
    h.push_str("</tbody></table>");
    if s.service_accounts > 0 {
        h.push_str(&format!(
            "<p class=\"small\">{} service account(s) (INTERNAL\\…) left out: they are not people.</p>",
            thousands(s.service_accounts)
        ));
    }
    if s.skipped > 0 {
        h.push_str(&format!(
            "<details class=\"import-skipped\" open><summary>{} bad row(s) skipped, and why</summary><table><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Line</th><th scope=\"col\">Why</th></tr></thead><tbody>",
            thousands(s.skipped)
        ));
        for r in &s.skipped_rows {
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.file),
                r.line,
                esc(&r.message)
            ));
        }
        h.push_str("</tbody></table>");
        if s.skipped > s.skipped_rows.len() {
            h.push_str(&format!(
                "<p class=\"small\">… and {} more.</p>",
                thousands(s.skipped - s.skipped_rows.len())
            ));
        }
        h.push_str("</details>");
    }
    if !s.notes.is_empty() {
        h.push_str("<ul class=\"import-notes small\">");
        for n in &s.notes {
            h.push_str(&format!("<li>{}</li>", esc(n)));
        }
        h.push_str("</ul>");
    }
    h.push_str(&format!(
        "<p class=\"muted small\">Read in {:.1} s. The scenario: the license found and the real visits in a compact <code>visits</code> table, {}.</p>\
         {chooser}<div class=\"import-actions\"><button type=\"button\" class=\"primary\" data-act=\"open\" id=\"history-open\">Open as a scenario</button>\
         <button type=\"button\" data-act=\"discard\">Discard</button></div></div>",
        ms / 1000.0,
        mb(bytes)
    ));
    h
}

/// Opens `text` on the page: a large one as its stand-in ([`super::large::shrink`]).
fn send_text(how: &str, name: &str, text: &str) {
    let text = super::large::shrink(text.to_string());
    let msg = Array::of4(
        &TEXT_TAG.into(),
        &how.into(),
        &name.into(),
        &JsValue::from_str(&text),
    );
    let _ = scope().post_message(&msg);
}

/// The kept imports as markup for the library (empty when there is none).
async fn list() {
    let (html, count) = match super::idb::metas().await {
        Err(e) => (
            format!(
                "<p class=\"check bad\" role=\"alert\">The imported histories cannot be listed: {}.</p>",
                esc(&e)
            ),
            0,
        ),
        Ok(lines) => {
            let mut kept: Vec<Kept> = lines
                .iter()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect();
            kept.sort_by_key(|k| k.name.to_ascii_lowercase());
            (list_html(&kept), kept.len())
        }
    };
    post(&ToolResponse::ImportedList { html, count });
}

fn list_html(kept: &[Kept]) -> String {
    if kept.is_empty() {
        return String::new();
    }
    let mut h = String::from(
        "<p class=\"small imported-h\">Imported histories <span class=\"muted\">kept in this browser's IndexedDB</span></p><ul class=\"saved-list imported-list\">",
    );
    for k in kept {
        let name = esc(&k.name);
        h.push_str(&format!(
            "<li class=\"saved imported\" data-name=\"{name}\"><span class=\"saved-name\">{name}</span>\
             <span class=\"saved-when\">{} · {} people · {} sessions · {}</span>\
             <span class=\"saved-actions\"><button type=\"button\" data-act=\"open-kept\" data-name=\"{name}\">Open</button>\
             <button type=\"button\" data-act=\"delete-kept\" data-name=\"{name}\">Delete</button></span></li>",
            esc(&k.saved),
            thousands(k.users),
            thousands(k.sessions),
            mb(k.bytes)
        ));
    }
    h.push_str("</ul>");
    h
}

/// Keeps the last import in IndexedDB, then lists the kept ones.
async fn keep(kept: Kept, text: String) {
    let meta = serde_json::to_string(&kept).unwrap_or_default();
    if let Err(e) = super::idb::put(&kept.name, &meta, &text).await {
        failed(format!(
            "<p class=\"check bad\" role=\"alert\">The import is open but this browser could not keep it ({}): download it as a .toml file to keep it.</p>",
            esc(&e)
        ));
    }
    list().await;
}

/// Finds the large text `id` among the last preview and the kept imports and sends the
/// page its `Blob` ([`super::large::shrink`]); then says whether it was found.
async fn load_large(id: String) {
    use crate::scenario::stand_in::id_of;
    let last = LAST.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|p| id_of(&p.text) == id)
            .map(|p| p.text.clone())
    });
    let text = match last {
        Some(t) => Some(t),
        None => {
            let name = super::idb::metas().await.ok().and_then(|lines| {
                lines
                    .iter()
                    .filter_map(|l| serde_json::from_str::<Kept>(l).ok())
                    .find(|k| k.id == id)
                    .map(|k| k.name)
            });
            match name {
                Some(n) => super::idb::text(&n).await.ok().flatten(),
                None => None,
            }
        }
    };
    let found = text.is_some_and(|t| {
        super::large::shrink(t);
        true
    });
    post(&ToolResponse::LargeLoaded { id, found });
}

/// Sizing of the text's fixed visits (one seed when it has no cohorts), after growing
/// its people by `grow`%.
fn size_history(text: &str, grow: Option<u32>, seeds: u64, max_denials: u64) {
    let result = crate::scenario::parse(text)
        .map_err(|e| e.to_string())
        .and_then(|sc| match grow {
            Some(pct) => crate::tools::growth::grow(&sc, pct, sc.seed),
            None => Ok(sc),
        })
        .and_then(|sc| crate::tools::sizing::simulate(&sc, seeds, max_denials, 1))
        .map(|mut report| {
            report.growth = grow;
            SizingView::of(&report)
        });
    post(&ToolResponse::SizeReported { result });
}

/// The import requests of [`super::tools`].
pub fn handle(req: ToolRequest) {
    use wasm_bindgen_futures::spawn_local;
    match req {
        ToolRequest::ImportStart => post(&ToolResponse::ImportReady),
        ToolRequest::ImportOpen => {
            let Some((name, text, summary)) = LAST.with(|l| {
                l.borrow()
                    .as_ref()
                    .map(|p| (p.name.clone(), p.text.clone(), p.summary.clone()))
            }) else {
                return failed(error_html("the preview is gone: drop the files again"));
            };
            send_text("import", &name, &text);
            let kept = Kept {
                name,
                saved: super::downloads::now_label(),
                users: summary.users,
                sessions: summary.sessions,
                bytes: text.len(),
                id: crate::scenario::stand_in::id_of(&text),
            };
            spawn_local(keep(kept, text));
        }
        ToolRequest::ImportedList => spawn_local(list()),
        ToolRequest::ImportedOpen { name } => spawn_local(async move {
            match super::idb::text(&name).await {
                Ok(Some(text)) => send_text("kept", &name, &text),
                Ok(None) => failed(error_html(&format!("{name} is no longer kept"))),
                Err(e) => failed(error_html(&format!("{name} cannot be read back: {e}"))),
            }
        }),
        ToolRequest::ImportedDelete { name } => spawn_local(async move {
            if let Err(e) = super::idb::delete(&name).await {
                failed(error_html(&format!("{name} could not be deleted: {e}")));
            }
            list().await;
        }),
        ToolRequest::LargeLoad { id } => spawn_local(load_large(id)),
        ToolRequest::SizeHistory {
            text,
            grow,
            seeds,
            max_denials,
        } => size_history(&text, grow, seeds, max_denials),
        _ => {}
    }
}
