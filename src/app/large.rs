//! Large texts kept apart (issue 14): a scenario text over
//! [`stand_in::LARGE`](crate::scenario::stand_in::LARGE) (an imported history, tens of MB)
//! never crosses the page as a string. The worker that makes it ([`shrink`]) keeps it and
//! posts the page a `Blob` of it (`[TAG, id, blob]`, cheap to post: no copy, no
//! conversion) and its stand-in ([`crate::scenario::stand_in`]), which the page keeps,
//! shows and sends like any text. [`super::wire`] does the rest, both ways: before a
//! message that carries a stand-in, the page posts the worker its `Blob` ([`blobs_for`]);
//! a worker reads a request's text fields as the whole texts ([`whole_text`]), reading
//! the `Blob` once (`FileReaderSync`, off the page's thread). Downloads of the scenario use
//! the `Blob` ([`blob`]).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, FileReaderSync};

use crate::scenario::stand_in;

/// The first element of a `[TAG, id, blob]` message.
pub const TAG: &str = "license-lab:large-text";

/// How many large texts a thread keeps (the newest).
const KEEP: usize = 3;

struct Kept {
    id: String,
    blob: Blob,
    /// The whole text, once read (workers only).
    text: Option<Rc<String>>,
}

/// Page side: asks for the `Blob` of a stand-in the page has without it.
type OnMissing = Rc<dyn Fn(&str)>;

thread_local! {
    static KEPT: RefCell<Vec<Kept>> = const { RefCell::new(Vec::new()) };
    static MISSING: RefCell<(Option<OnMissing>, Vec<String>)> = const { RefCell::new((None, Vec::new())) };
}

/// Page side: who fetches a missing `Blob` (once per id), so a stand-in kept across a
/// reload finds its text again.
pub fn on_missing(f: impl Fn(&str) + 'static) {
    MISSING.with(|m| m.borrow_mut().0 = Some(Rc::new(f)));
}

fn missing(id: &str) {
    let ask = MISSING.with(|m| {
        let mut m = m.borrow_mut();
        if m.1.iter().any(|i| i == id) {
            return None;
        }
        m.1.push(id.to_string());
        m.0.clone()
    });
    if let Some(f) = ask {
        f(id);
    }
}

fn keep(id: String, blob: Blob, text: Option<Rc<String>>) {
    KEPT.with(|k| {
        let mut k = k.borrow_mut();
        k.retain(|e| e.id != id);
        k.push(Kept { id, blob, text });
        if k.len() > KEEP {
            k.remove(0);
        }
    });
}

/// The `Blob` of the text `id` names, if this thread has it.
pub fn blob(id: &str) -> Option<Blob> {
    KEPT.with(|k| {
        k.borrow()
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.blob.clone())
    })
}

/// Keeps the `Blob` of a `[TAG, id, blob]` message; whether `data` was one.
pub fn received(data: &JsValue) -> bool {
    if !Array::is_array(data) {
        return false;
    }
    let msg: &Array = data.unchecked_ref();
    if msg.get(0).as_string().as_deref() != Some(TAG) {
        return false;
    }
    if let (Some(id), Ok(b)) = (msg.get(1).as_string(), msg.get(2).dyn_into::<Blob>()) {
        MISSING.with(|m| m.borrow_mut().1.retain(|i| *i != id));
        if blob(&id).is_none() {
            keep(id, b, None);
        }
    }
    true
}

fn message(id: &str, blob: &Blob) -> JsValue {
    Array::of3(&TAG.into(), &id.into(), blob).into()
}

/// The `[TAG, id, blob]` messages to post before `json`, for the stand-ins it carries
/// (those whose `Blob` this thread does not have are left out: the worker's parser then
/// says the text is gone).
pub fn blobs_for(json: &str) -> Vec<JsValue> {
    stand_in::ids_in_json(json)
        .into_iter()
        .filter_map(|id| {
            let b = blob(id);
            if b.is_none() {
                missing(id);
            }
            b.map(|b| message(id, &b))
        })
        .collect()
}

/// Worker side: the whole text `id` names, read from its `Blob` the first time.
fn whole(id: &str) -> Option<Rc<String>> {
    let (blob, text) = KEPT.with(|k| {
        k.borrow()
            .iter()
            .find(|e| e.id == id)
            .map(|e| (e.blob.clone(), e.text.clone()))
    })?;
    if let Some(t) = text {
        return Some(t);
    }
    let buf = FileReaderSync::new()
        .ok()?
        .read_as_array_buffer(&blob)
        .ok()?;
    let text = Rc::new(String::from_utf8(Uint8Array::new(&buf).to_vec()).ok()?);
    keep(id.to_string(), blob, Some(text.clone()));
    Some(text)
}

/// Worker side, serde's `deserialize_with` for the text fields of requests: a stand-in
/// whose whole text this worker has (its `Blob` came ahead of the request) becomes that
/// text; any other text stays as it is (a stand-in without its text: the parser says so).
pub fn whole_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = <String as serde::Deserialize>::deserialize(d)?;
    Ok(match stand_in::id(&s).and_then(whole) {
        Some(t) => (*t).clone(),
        None => s,
    })
}

/// [`whole_text`] for an optional text field.
pub fn whole_text_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = <Option<String> as serde::Deserialize>::deserialize(d)?;
    Ok(s.map(|s| match stand_in::id(&s).and_then(whole) {
        Some(t) => (*t).clone(),
        None => s,
    }))
}

/// Worker side: what to send the page for `text`: `text` itself, or, when it is large,
/// its stand-in (its `Blob` posted to the page first, and the text kept here).
pub fn shrink(text: String) -> String {
    if !stand_in::is_large(&text) {
        return text;
    }
    let id = stand_in::id_of(&text);
    let short = stand_in::make(&id, &text);
    let parts = Array::of1(&Uint8Array::from(text.as_bytes()));
    let opts = BlobPropertyBag::new();
    opts.set_type("application/toml;charset=utf-8");
    let Ok(blob) = Blob::new_with_u8_array_sequence_and_options(&parts, &opts) else {
        return text;
    };
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&message(&id, &blob));
    keep(id, blob, Some(Rc::new(text)));
    short
}
