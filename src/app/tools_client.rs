//! The page's side of the tools worker ([`super::tools`]): started the first time a tool
//! is used (so the first load carries only the app and the run worker), requests queued
//! until it is ready, every response handed to the store.

use std::cell::RefCell;

use web_sys::Worker;

use super::protocol::{ToolRequest, ToolResponse};
use super::store::Store;
use super::wire::{self, Link};

/// The tools worker's script, written next to index.html.
pub const TOOLS_URL: &str = "./tools_loader.js";

#[derive(Default)]
struct Tools {
    link: Link,
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
    let on_message = move |resp: ToolResponse| match resp {
        ToolResponse::Ready => TOOLS.with(|t| t.borrow_mut().link.mark_ready()),
        resp => store.on_tool_response(resp),
    };
    let on_error = move |ev: web_sys::ErrorEvent| {
        // Started afresh on the next request.
        TOOLS.with(|t| t.borrow_mut().link.stop());
        store.say(
            true,
            format!("a tool stopped with an error ({}); try again", ev.message()),
        );
    };
    match wire::spawn(TOOLS_URL, "tools worker", on_message, on_error) {
        Ok(w) => {
            super::import::listen_worker(&w, store);
            Some(w)
        }
        Err(e) => {
            store.say(true, format!("the tools could not start: {e:?}"));
            None
        }
    }
}

/// Sends a request to the tools worker, starting it if needed.
pub fn send(req: &ToolRequest) {
    let Some(store) = TOOLS.with(|t| t.borrow().store) else {
        return;
    };
    let needs_worker = TOOLS.with(|t| t.borrow().link.worker.is_none());
    if needs_worker {
        let w = spawn(store);
        TOOLS.with(|t| {
            let mut t = t.borrow_mut();
            t.link.worker = w;
            t.link.ready = false;
        });
    }
    TOOLS.with(|t| t.borrow_mut().link.send(req));
}

/// Posts a message that is not JSON (an import's `File`s) to the tools worker, which
/// must be ready: sent on its answer to a request ([`super::import`]).
pub fn post_raw(msg: &wasm_bindgen::JsValue) {
    TOOLS.with(|t| {
        if let Some(w) = &t.borrow().link.worker {
            let _ = w.post_message(msg);
        }
    });
}
