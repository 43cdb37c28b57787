//! The page's side of the tools worker ([`super::tools`]): started the first time a tool
//! is used (so the first load carries only the app and the run worker), requests queued
//! until it is ready, every response handed to the handler registered by [`init`] (the
//! page routes each to the feature that asked: form, share, import, compare, sizing).

use std::cell::RefCell;

use web_sys::Worker;

use super::protocol::{ToolRequest, ToolResponse};
use super::store::Notices;
use super::wire::{self, Link};

/// The tools worker's script, written next to index.html.
pub const TOOLS_URL: &str = "./tools_loader.js";

/// Where the answers go.
type Handler = std::rc::Rc<dyn Fn(ToolResponse)>;

/// Who listens to the worker's messages outside the JSON protocol (an import's text).
type OnSpawn = std::rc::Rc<dyn Fn(&Worker)>;

#[derive(Default)]
struct Tools {
    link: Link,
    to: Option<(Handler, OnSpawn, Notices)>,
}

thread_local! {
    static TOOLS: RefCell<Tools> = RefCell::new(Tools::default());
}

/// Registers where responses go, who listens to a new worker's other messages, and who
/// tells the user when the worker fails (the worker itself starts on the first request).
pub fn init(
    on_response: impl Fn(ToolResponse) + 'static,
    on_spawn: impl Fn(&Worker) + 'static,
    notices: Notices,
) {
    TOOLS.with(|t| {
        t.borrow_mut().to = Some((
            std::rc::Rc::new(on_response),
            std::rc::Rc::new(on_spawn),
            notices,
        ))
    });
}

fn spawn(on_response: Handler, on_spawn: OnSpawn, notices: Notices) -> Option<Worker> {
    let on_message = move |resp: ToolResponse| match resp {
        ToolResponse::Ready => TOOLS.with(|t| t.borrow_mut().link.mark_ready()),
        resp => on_response(resp),
    };
    let on_error = move |ev: web_sys::ErrorEvent| {
        // Started afresh on the next request.
        TOOLS.with(|t| t.borrow_mut().link.stop());
        notices.say(
            true,
            format!("a tool stopped with an error ({}); try again", ev.message()),
        );
    };
    match wire::spawn(TOOLS_URL, "tools worker", on_message, on_error) {
        Ok(w) => {
            on_spawn(&w);
            Some(w)
        }
        Err(e) => {
            notices.say(true, format!("the tools could not start: {e:?}"));
            None
        }
    }
}

/// Sends a request to the tools worker, starting it if needed.
pub fn send(req: &ToolRequest) {
    let Some((on_response, on_spawn, notices)) = TOOLS.with(|t| t.borrow().to.clone()) else {
        return;
    };
    let needs_worker = TOOLS.with(|t| t.borrow().link.worker.is_none());
    if needs_worker {
        let w = spawn(on_response, on_spawn, notices);
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
