//! The scenario parser on arbitrary bytes: it must return a scenario or located errors,
//! never panic; a scenario it accepts must run (briefly) without panicking.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match license_lab::scenario::parse(text) {
        Ok(sc) => {
            // Keep each input cheap: only small scenarios are run.
            if sc.visits.len() <= 2_000 && sc.days <= 400 && sc.users.len() <= 2_000 {
                let mut sim = license_lab::engine::Simulation::new(Arc::new(sc), true);
                sim.advance_to(sim.end());
                let _ = license_lab::report::state::State::of(&sim).to_json();
            }
        }
        Err(errors) => {
            for e in &errors.0 {
                assert!(e.line >= 1 && e.column >= 1, "error without a position: {e}");
                assert!(!e.message.is_empty());
            }
        }
    }
});
