//! The JSON messages between the page and its workers, both ends: a worker listens and
//! replies ([`listen`], [`reply`]); the page starts workers ([`spawn`]) and talks to them
//! through a [`Link`], which queues what is sent before the worker says it is ready. The
//! run worker ([`super::client`], [`super::worker`]), the tools worker
//! ([`super::tools_client`], [`super::tools`]) and the sizing pool ([`super::sizing`])
//! all go through here. A large text travels as its stand-in, its `Blob` posted ahead
//! of the message that carries it ([`super::large`]).

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, ErrorEvent, MessageEvent, Worker};

/// Worker side: the worker's global scope.
pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Worker side: posts `msg` to the page.
pub fn reply<T: Serialize>(msg: &T) {
    if let Ok(text) = serde_json::to_string(msg) {
        // A failed post has no one to tell; the page times nothing out on it.
        let _ = scope().post_message(&JsValue::from_str(&text));
    }
}

/// Worker side: hands every message of the page to `handle`; one that does not read as
/// an `R` is logged with `who`, the worker's name.
pub fn listen<R: DeserializeOwned + 'static>(who: &'static str, handle: fn(R)) {
    let on_request = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        let Some(text) = data.as_string() else {
            super::large::received(&data);
            return;
        };
        match serde_json::from_str::<R>(&text) {
            Ok(req) => handle(req),
            Err(e) => web_sys::console::warn_1(&format!("{who}: bad request: {e}").into()),
        }
    });
    scope().set_onmessage(Some(on_request.as_ref().unchecked_ref()));
    on_request.forget();
}

/// Page side: starts the worker at `url`. `on_message` gets each of its messages that
/// reads as an `R` (others are logged with `who`), `on_error` its errors (the default
/// report to the console is prevented).
pub fn spawn<R: DeserializeOwned + 'static>(
    url: &str,
    who: &'static str,
    on_message: impl FnMut(R) + 'static,
    on_error: impl FnMut(ErrorEvent) + 'static,
) -> Result<Worker, JsValue> {
    connect(Worker::new(url)?, who, on_message, on_error)
}

/// Page side: starts the run worker, which is this page's own wasm module run in a
/// module worker (`www/worker_loader.js`): its first message is the compiled module
/// (nothing is fetched or compiled again); `bin/app.rs` starts the worker's side there.
pub fn spawn_this_module<R: DeserializeOwned + 'static>(
    url: &str,
    who: &'static str,
    on_message: impl FnMut(R) + 'static,
    on_error: impl FnMut(ErrorEvent) + 'static,
) -> Result<Worker, JsValue> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = Worker::new_with_options(url, &options)?;
    worker.post_message(&wasm_bindgen::module())?;
    connect(worker, who, on_message, on_error)
}

fn connect<R: DeserializeOwned + 'static>(
    worker: Worker,
    who: &'static str,
    mut on_message: impl FnMut(R) + 'static,
    mut on_error: impl FnMut(ErrorEvent) + 'static,
) -> Result<Worker, JsValue> {
    let on_msg = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        let Some(text) = data.as_string() else {
            super::large::received(&data);
            return;
        };
        match serde_json::from_str::<R>(&text) {
            Ok(msg) => on_message(msg),
            Err(e) => web_sys::console::warn_1(&format!("bad message from the {who}: {e}").into()),
        }
    });
    worker.set_onmessage(Some(on_msg.as_ref().unchecked_ref()));
    on_msg.forget();
    let on_err = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
        ev.prevent_default();
        on_error(ev);
    });
    worker.set_onerror(Some(on_err.as_ref().unchecked_ref()));
    on_err.forget();
    Ok(worker)
}

/// Page side: `msg` as the messages to post: the `Blob`s of the large texts it carries,
/// then its JSON.
fn messages<T: Serialize>(msg: &T) -> Vec<JsValue> {
    let Ok(text) = serde_json::to_string(msg) else {
        return Vec::new();
    };
    let mut out = super::large::blobs_for(&text);
    out.push(JsValue::from_str(&text));
    out
}

/// Page side: sends `msg` to `worker` now.
pub fn post<T: Serialize>(worker: &Worker, msg: &T) {
    for m in messages(msg) {
        let _ = worker.post_message(&m);
    }
}

/// Page side: a worker and the messages waiting for it to say it is ready (messages
/// posted before that are lost).
#[derive(Default)]
pub struct Link {
    pub worker: Option<Worker>,
    pub ready: bool,
    queue: Vec<JsValue>,
}

impl Link {
    /// Sends `msg` now if the worker is ready, else when it is.
    pub fn send<T: Serialize>(&mut self, msg: &T) {
        let msgs = messages(msg);
        if !self.ready {
            self.queue.extend(msgs);
        } else if let Some(w) = &self.worker {
            for m in msgs {
                let _ = w.post_message(&m);
            }
        }
    }

    /// The worker said it is ready: sends what waited.
    pub fn mark_ready(&mut self) {
        self.ready = true;
        if let Some(w) = &self.worker {
            for m in std::mem::take(&mut self.queue) {
                let _ = w.post_message(&m);
            }
        }
    }

    /// Stops the worker and forgets what waited for it.
    pub fn stop(&mut self) {
        if let Some(w) = self.worker.take() {
            w.terminate();
        }
        self.ready = false;
        self.queue.clear();
    }
}
