//! The engine benchmark compiled to wasm32 and run under Node (`scripts/bench-wasm.sh`):
//! the same generated explicit scenarios as `license-lab bench`, timed with the host's
//! clock. A benchmark, not an assertion: it prints figures.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use license_lab::engine::Simulation;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn time(people: u32) {
    let sc = Arc::new(license_lab::tools::bench::generate(people, 365, 4.0, 42));
    let mut best = f64::INFINITY;
    let mut events = 0;
    for _ in 0..if people <= 20_000 { 3 } else { 1 } {
        let t = now_ms();
        let mut sim = Simulation::new(sc.clone(), false);
        sim.advance_to(sim.end());
        best = best.min((now_ms() - t) / 1000.0);
        events = sim.events_processed();
    }
    console_log!(
        "wasm {{\"people\":{people},\"visits\":{},\"events\":{events},\"seconds\":{best:.3},\"events_per_s\":{:.0}}}",
        sc.visits.len(),
        events as f64 / best.max(1e-9)
    );
}

#[wasm_bindgen_test]
fn bench_explicit_years_in_wasm() {
    for people in [1_000, 20_000, 100_000] {
        time(people);
    }
}
