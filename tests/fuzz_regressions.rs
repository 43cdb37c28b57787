//! Inputs that once broke something, or that the fuzzers should keep trying (see
//! scripts/fuzz.sh): every file in tests/fuzz-regressions/ must parse to a scenario or
//! to located errors, and a scenario must run to its end with its invariants intact.

use std::sync::Arc;

#[test]
fn every_regression_input_is_handled() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz-regressions") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("readable");
        n += 1;
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        match license_lab::scenario::parse(&text) {
            Ok(sc) => {
                let mut sim = license_lab::engine::Simulation::new(Arc::new(sc), true);
                let end = sim.end();
                while sim.step(end) {
                    if let Err(why) = sim.check_invariants() {
                        panic!("{}: {why}", path.display());
                    }
                }
            }
            Err(errors) => {
                for e in &errors.0 {
                    assert!(e.line >= 1 && e.column >= 1, "{}: {e}", path.display());
                }
            }
        }
    }
    assert!(n > 0);
}
