//! The page's side of the tools worker ([`super::tools`]): started the first time a tool
//! is used (so the first load carries only the app and the run worker), requests queued
//! until it is ready, every response handed to the store.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use super::protocol::{ToolRequest, ToolResponse};
use super::store::Store;

/// The tools worker's script, written next to index.html.
pub const TOOLS_URL: &str = "./tools_loader.js";

#[derive(Default)]
struct Tools {
    worker: Option<Worker>,
    ready: bool,
    queue: Vec<String>,
    store: Option<Store>,
}

thread_local! {
    static TOOLS: RefCell<Tools> = RefCell::new(Tools::default());
}

/// Registers where responses go (the worker itself starts on the first request).
pub fn init(store: Store) {
    TOOLS.with(|t| t.borrow_mut().store = Some(store));
}

fn spawn(store: Store) -> Option<Worker> {
    let worker = match Worker::new(TOOLS_URL) {
        Ok(w) => w,
        Err(e) => {
            store.say(true, format!("the tools could not start: {e:?}"));
            return None;
        }
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(text) = ev.data().as_string() else {
            return;
        };
        let resp: ToolResponse = match serde_json::from_str(&text) {
            Ok(r) => r,
            Err(e) => {
                web_sys::console::warn_1(&format!("bad message from the tools worker: {e}").into());
                return;
            }
        };
        if let ToolResponse::Ready = resp {
            TOOLS.with(|t| {
                let mut t = t.borrow_mut();
                t.ready = true;
                let queue = std::mem::take(&mut t.queue);
                if let Some(w) = &t.worker {
                    for q in queue {
                        let _ = w.post_message(&JsValue::from_str(&q));
                    }
                }
            });
            return;
        }
        store.on_tool_response(resp);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error =
        Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
            ev.prevent_default();
            // Started afresh on the next request.
            TOOLS.with(|t| {
                let mut t = t.borrow_mut();
                if let Some(w) = t.worker.take() {
                    w.terminate();
                }
                t.ready = false;
                t.queue.clear();
            });
            store.say(
                true,
                format!("a tool stopped with an error ({}); try again", ev.message()),
            );
        });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Some(worker)
}

/// Sends a request to the tools worker, starting it if needed.
pub fn send(req: &ToolRequest) {
    let Ok(text) = serde_json::to_string(req) else {
        return;
    };
    let Some(store) = TOOLS.with(|t| t.borrow().store) else {
        return;
    };
    let needs_worker = TOOLS.with(|t| t.borrow().worker.is_none());
    if needs_worker {
        let w = spawn(store);
        TOOLS.with(|t| {
            let mut t = t.borrow_mut();
            t.worker = w;
            t.ready = false;
        });
    }
    TOOLS.with(|t| {
        let mut t = t.borrow_mut();
        if t.ready {
            if let Some(w) = &t.worker {
                let _ = w.post_message(&JsValue::from_str(&text));
            }
        } else {
            t.queue.push(text);
        }
    });
}
