//! The page's side of the worker: starts it, queues requests until it is ready, and
//! hands every response to a callback. Questions that are asked again and again while the
//! user drags (the state at a minute, a page of the log) go through a [`Lane`]: at most
//! one is in flight, and only the newest waiting one is sent next.

use std::cell::RefCell;
use std::rc::Rc;

use super::protocol::{Request, Response};
use super::wire::{self, Link};

/// The worker's script (`www/worker_loader.js`, copied next to index.html): it runs this
/// page's own module in a module worker.
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
    link: Link,
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
    // A fresh client: the old worker stops, its queue and lanes are forgotten.
    CLIENT.with(|c| std::mem::take(&mut *c.borrow_mut()).link.stop());
    let on_message = move |resp: Response| {
        if let Response::Ready = resp {
            CLIENT.with(|c| c.borrow_mut().link.mark_ready());
        }
        on_response(resp);
    };
    let fail = on_failure.clone();
    let on_error = move |ev: web_sys::ErrorEvent| {
        // A worker that had started is started afresh; one that never started (its
        // files missing, say) is not retried.
        let was_ready = CLIENT.with(|c| c.borrow().link.ready);
        if was_ready {
            fail(format!(
                "the simulation stopped with an error ({}); it was restarted: press Run",
                ev.message()
            ));
            spawn();
        } else {
            fail(format!(
                "the simulation worker could not start ({})",
                ev.message()
            ));
        }
    };
    match wire::spawn_this_module(WORKER_URL, "worker", on_message, on_error) {
        Ok(worker) => CLIENT.with(|c| c.borrow_mut().link.worker = Some(worker)),
        Err(e) => on_failure(format!("the simulation worker could not start: {e:?}")),
    }
}

/// Sends a request (queued until the worker is ready).
pub fn send(req: &Request) {
    CLIENT.with(|c| c.borrow_mut().link.send(req));
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
