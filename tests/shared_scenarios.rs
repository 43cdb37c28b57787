//! The scenarios of ../shared/scenarios, copied verbatim into examples/: every value
//! written in their comments.

mod common;
use common::*;

const WALKTHROUGH: &str = include_str!("../examples/walkthrough.toml");
const QUARANTINE: &str = include_str!("../examples/quarantine.toml");
const SIZING: &str = include_str!("../examples/sizing.toml");

#[test]
fn examples_are_verbatim_copies_of_the_shared_scenarios() {
    for (name, copy) in [
        ("walkthrough.toml", WALKTHROUGH),
        ("quarantine.toml", QUARANTINE),
        ("sizing.toml", SIZING),
    ] {
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/scenarios")
            .join(name);
        // The shared folder sits beside the project on the team's machines and in CI.
        if let Ok(text) = std::fs::read_to_string(&shared) {
            assert_eq!(
                text,
                copy,
                "examples/{name} differs from {}",
                shared.display()
            );
        }
    }
}

fn analysts(at: &str) -> (i64, i64, i64) {
    let sc = scenario(WALKTHROUGH);
    let s = state(&sc, at);
    let g = group(&s, "analysts");
    (g.available, g.used, s.totals.passes_consumed)
}

#[test]
fn walkthrough_day_1_09_59_one_pass_consumed() {
    let (available, _, consumed) = analysts("day 1 09:59");
    assert_eq!((available, consumed), (9, 1));
}

#[test]
fn walkthrough_day_1_10_00_still_in_session_after_the_first_hour_lap_3() {
    let (available, _, consumed) = analysts("day 1 10:00");
    assert_eq!((available, consumed), (8, 2));
}

#[test]
fn walkthrough_day_15_15_00_two_devices_one_pass_lap_5() {
    let (available, _, consumed) = analysts("day 15 15:00");
    assert_eq!((available, consumed), (7, 3));
}

#[test]
fn walkthrough_day_26_00_00_same_hour_relogin_lap_4() {
    assert_eq!(analysts("day 26 00:00"), (6, 4, 4));
}

#[test]
fn walkthrough_day_29_passes_return_lap_7() {
    assert_eq!(analysts("day 29 09:00").0, 7);
    assert_eq!(analysts("day 29 10:00").0, 8);
    assert_eq!(analysts("day 29 08:59").0, 6);
}

#[test]
fn walkthrough_day_43_and_53_returns() {
    assert_eq!(analysts("day 43 14:00").0, 9);
    assert_eq!(analysts("day 53 10:00").0, 10);
    assert_eq!(analysts("day 53 09:59").0, 9);
}

#[test]
fn walkthrough_tokens_at_every_moment_total_10_login_1_free_9() {
    let sc = scenario(WALKTHROUGH);
    for s in license_lab::report::timeline::run(&sc, 60) {
        let t = &s.tokens;
        assert_eq!(
            (t.total, t.login_groups, t.free, t.pending),
            (10, 1, 9, 0),
            "at {}",
            s.at
        );
    }
}

#[test]
fn walkthrough_log_names_the_rules() {
    let sc = scenario(WALKTHROUGH);
    assert_eq!(rules_at(&sc, "2026-03-02T10:00"), vec!["LAP-3"]);
    assert_eq!(rules_at(&sc, "2026-03-16T14:05"), vec!["LAP-5"]);
    assert_eq!(rules_at(&sc, "2026-03-26T10:35"), vec!["LAP-4"]);
    assert!(log(&sc).iter().any(|e| e.1 == "LAP-3"
        && e.3
            == "sam consumed login pass 2 of 10 in analysts: still in session after 60 minutes"));
}

#[test]
fn quarantine_day_12_12_00_pending_after_the_removal() {
    let sc = scenario(QUARANTINE);
    let s = state(&sc, "day 12 12:00");
    assert_eq!((s.tokens.pending, s.tokens.free), (1, 0));
    assert_eq!(s.user_passes.quarantined, 1);
}

#[test]
fn quarantine_day_14_bob_refused_tok_3_and_his_visit_denied() {
    let sc = scenario(QUARANTINE);
    let events = log(&sc);
    assert!(events
        .iter()
        .any(|e| e.0 == "2026-01-15T09:00" && e.1 == "TOK-3" && e.2 == "bob"));
    let s = state(&sc, "day 14 09:30");
    assert_eq!(s.totals.denied, 1);
    assert_eq!(s.user_passes.allocated, 0);
}

#[test]
fn quarantine_day_17_00_00_token_free_again() {
    let sc = scenario(QUARANTINE);
    let s = state(&sc, "day 17 00:00");
    assert_eq!((s.tokens.free, s.tokens.pending), (1, 0));
    assert_eq!(s.user_passes.quarantined, 0);
    let before = state(&sc, "day 16 23:59");
    assert_eq!(before.tokens.pending, 1);
}

#[test]
fn quarantine_day_17_09_00_bob_allocated() {
    let sc = scenario(QUARANTINE);
    let s = state(&sc, "day 17 09:00");
    assert_eq!((s.tokens.user_passes, s.tokens.free), (1, 0));
}

#[test]
fn sizing_loads_verbatim() {
    let sc = scenario(SIZING);
    assert_eq!(sc.users.len(), 103);
    assert!(!sc.visits.is_empty());
}

#[test]
fn the_bundled_rule_book_is_the_shared_one() {
    let bundled = include_str!("../www/RULES.md");
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/RULES.md");
    if let Ok(text) = std::fs::read_to_string(&shared) {
        assert_eq!(
            text, bundled,
            "www/RULES.md differs from ../shared/RULES.md"
        );
    }
    // Every rule the engine cites has its text in the bundled book.
    for rule in license_lab::engine::events::Rule::ALL {
        assert!(
            bundled.contains(&format!("**{}**", rule.id())),
            "{} is not in the rule book",
            rule.id()
        );
    }
}
