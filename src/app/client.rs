//! The page's side of the worker: starts it, queues requests until it is ready, and
//! hands every response to a callback. Questions that are asked again and again while the
//! user drags (the state at a minute, a page of the log) go through a [`Lane`]: at most
//! one is in flight, and only the newest waiting one is sent next.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use super::protocol::{Request, Response};

/// The worker's script, written by Trunk next to index.html (`data-loader-shim`).
const WORKER_URL: &str = "./worker_loader.js";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    State = 0,
    Events = 1,
}

#[derive(Default)]
struct LaneState {
    in_flight: bool,
    waiting: Option<Request>,
}

#[derive(Default)]
struct Client {
    worker: Option<Worker>,
    ready: bool,
    queue: Vec<String>,
    lanes: [LaneState; 2],
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client::default());
}

type OnResponse = Rc<dyn Fn(Response)>;
type OnFailure = Rc<dyn Fn(String)>;

thread_local! {
    static HANDLERS: RefCell<Option<(OnResponse, OnFailure)>> = const { RefCell::new(None) };
}

/// Starts the worker; `on_response` gets every response, `on_failure` a message if the
/// worker cannot start or stops with an error (it is then started afresh, empty).
pub fn start(on_response: impl Fn(Response) + 'static, on_failure: impl Fn(String) + 'static) {
    HANDLERS.with(|h| *h.borrow_mut() = Some((Rc::new(on_response), Rc::new(on_failure))));
    spawn();
}

fn handlers() -> Option<(OnResponse, OnFailure)> {
    HANDLERS.with(|h| h.borrow().clone())
}

/// Creates the worker (replacing a failed one): requests wait until it says it is ready.
fn spawn() {
    let Some((on_response, on_failure)) = handlers() else {
        return;
    };
    let old = CLIENT.with(|c| std::mem::take(&mut *c.borrow_mut()).worker);
    if let Some(w) = old {
        w.terminate();
    }
    let worker = match Worker::new(WORKER_URL) {
        Ok(w) => w,
        Err(e) => {
            on_failure(format!("the simulation worker could not start: {e:?}"));
            return;
        }
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(text) = ev.data().as_string() else {
            return;
        };
        let resp: Response = match serde_json::from_str(&text) {
            Ok(r) => r,
            Err(e) => {
                web_sys::console::warn_1(&format!("bad message from the worker: {e}").into());
                return;
            }
        };
        if let Response::Ready = resp {
            flush();
        }
        on_response(resp);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();

    let on_error =
        Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
            ev.prevent_default();
            // A worker that had started is started afresh; one that never started (its
            // files missing, say) is not retried.
            let was_ready = CLIENT.with(|c| c.borrow().ready);
            if was_ready {
                on_failure(format!(
                    "the simulation stopped with an error ({}); it was restarted: press Run",
                    ev.message()
                ));
                spawn();
            } else {
                on_failure(format!(
                    "the simulation worker could not start ({})",
                    ev.message()
                ));
            }
        });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();

    CLIENT.with(|c| c.borrow_mut().worker = Some(worker));
}

fn flush() {
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.ready = true;
        let queue = std::mem::take(&mut c.queue);
        if let Some(w) = &c.worker {
            for text in queue {
                let _ = w.post_message(&JsValue::from_str(&text));
            }
        }
    });
}

/// Sends a request (queued until the worker is ready).
pub fn send(req: &Request) {
    let Ok(text) = serde_json::to_string(req) else {
        return;
    };
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if !c.ready {
            c.queue.push(text);
        } else if let Some(w) = &c.worker {
            let _ = w.post_message(&JsValue::from_str(&text));
        }
    });
}

/// Sends `req` on `lane` now if nothing is in flight there, else keeps it as the next
/// one (replacing any older waiting request).
pub fn send_latest(lane: Lane, req: Request) {
    let now = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let l = &mut c.lanes[lane as usize];
        if l.in_flight {
            l.waiting = Some(req);
            None
        } else {
            l.in_flight = true;
            Some(req)
        }
    });
    if let Some(req) = now {
        send(&req);
    }
}

/// A response on `lane` arrived: sends the waiting request, if any. Returns whether one
/// was waiting (the response is then already out of date).
pub fn lane_answered(lane: Lane) -> bool {
    let next = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let l = &mut c.lanes[lane as usize];
        l.in_flight = false;
        let next = l.waiting.take();
        if next.is_some() {
            l.in_flight = true;
        }
        next
    });
    match next {
        Some(req) => {
            send(&req);
            true
        }
        None => false,
    }
}

/// Forgets the lanes' waiting requests (a new result makes them meaningless).
pub fn reset_lanes() {
    CLIENT.with(|c| {
        for l in c.borrow_mut().lanes.iter_mut() {
            l.waiting = None;
        }
    });
}
