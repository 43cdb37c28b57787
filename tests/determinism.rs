//! Same file, same seed: byte-identical output on every run and on every platform.
//!
//! This test runs natively (`cargo test`) and compiled to wasm32 under Node
//! (`scripts/test-wasm.sh`), and both compare against the digests checked in below,
//! produced natively. A digest is FNV-1a (64 bit) of `license-lab run --every 1h` CSV
//! output followed by the event log, so any difference in a cohort draw, an event or a
//! count changes it.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::sync::Arc;

use license_lab::report::describe::Describe;
use license_lab::scenario::parse;

/// A population that exercises every random draw: spread, hours, weekdays, devices,
/// every way of ending, anonymous users, capacity.
const COHORTS: &str = r#"
name = "determinism"
start = "2026-01-26"
days = 70
seed = 4242

[license]
tokens = 40
professional = 1
analyzer_capacity_packs = 2
overage = 300

[[group]]
name = "staff"
tokens = 30

[[group]]
name = "public"
tokens = 5

[[cohort]]
name = "staff"
count = 400
access = "login:staff"
visits_per_month = 4
visit_length = "40m"
visit_length_spread = "25m"
hours = "08:00-18:00"
weekdays = true
ends = { logout = 0.5, close = 0.2, timeout = 0.3 }

[[cohort]]
name = "visitor"
count = 150
access = "login:public"
identity = "anonymous"
visits_per_month = 2.5
visit_length = "12m"
visit_length_spread = "8m"
ends = "close"

[[cohort]]
name = "analyst"
count = 60
access = "capacity"
visits_per_month = 6
visit_length = "20m"
visit_length_spread = "10m"
devices = 2
hours = "07:30-19:45"
ends = { logout = 1, timeout = 1 }
"#;

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn digest(text: &str) -> String {
    let sc = Arc::new(parse(text).expect("valid scenario"));
    let mut out =
        license_lab::report::export::timeline_csv(&license_lab::report::timeline::run(&sc, 60));
    for e in license_lab::report::timeline::events(&sc) {
        out.push_str(&format!(
            "{}\t{}\t{}\n",
            sc.clock.format(e.at),
            e.rule.id(),
            e.describe(&sc)
        ));
    }
    format!("{:016x} {}", fnv1a(out.as_bytes()), out.len())
}

/// Digests produced natively; the wasm build must reproduce them byte for byte.
const EXPECTED: &[(&str, &str)] = &[
    ("walkthrough", "07c1301e1459100d 127424"),
    ("quarantine", "6e83f0b965d4f32b 56690"),
    ("sizing", "707c4bf971f3ff4f 636716"),
    ("cohorts", "ec4103fa8c95db8a 1213076"),
];

fn check(name: &str, text: &str) {
    let got = digest(text);
    let want = EXPECTED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, d)| *d)
        .unwrap_or("");
    assert_eq!(got, want, "digest of {name} changed");
}

#[test]
fn same_file_same_seed_same_output_walkthrough() {
    check("walkthrough", include_str!("../examples/walkthrough.toml"));
}

#[test]
fn same_file_same_seed_same_output_quarantine() {
    check("quarantine", include_str!("../examples/quarantine.toml"));
}

#[test]
fn same_file_same_seed_same_output_sizing() {
    check("sizing", include_str!("../examples/sizing.toml"));
}

#[test]
fn same_file_same_seed_same_output_cohorts() {
    check("cohorts", COHORTS);
}
