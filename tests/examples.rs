//! Every example scenario loads, and every expectation written in its comments holds:
//!
//! ```text
//! # expect day 26 00:00: groups.analysts.available = 6, totals.passes_consumed = 4
//! # expect-event day 14 09:00: TOK-3 bob
//! ```
//!
//! `expect` compares State JSON paths at a time (after every event at that time);
//! `expect-event` requires an event with that rule id (and user, if given) at that time;
//! `# expect-warning LM IV.A: words` is the next use-rights warning of `license-lab check`
//! (its LM section, and words its message contains), in file order: an example's warnings
//! are exactly those it expects.

use std::sync::Arc;

use license_lab::scenario::{parse, parse_for_check, Scenario};

fn examples() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("examples/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).expect("readable"),
            )
        })
        .collect();
    out.sort();
    out
}

fn lookup<'a>(v: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    path.split('.').try_fold(v, |v, k| v.get(k))
}

fn check_expectations(name: &str, text: &str, sc: &Arc<Scenario>) -> usize {
    let mut checked = 0;
    let log = license_lab::report::timeline::events(sc);
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("# expect-event ") {
            let (time, what) = rest
                .split_once(": ")
                .expect("expect-event TIME: RULE [USER]");
            let at = sc.clock.parse_time(time).expect("time");
            let mut words = what.split_whitespace();
            let rule = words.next().expect("rule id");
            let user = words.next();
            let found = log.iter().any(|e| {
                e.at == at
                    && e.rule.id() == rule
                    && user.is_none_or(|u| e.user.is_some_and(|id| sc.user_name(id) == u))
            });
            assert!(found, "{name}: no {rule} {user:?} event at {time}");
            checked += 1;
        } else if let Some(rest) = line.strip_prefix("# expect ") {
            let (time, pairs) = rest.split_once(": ").expect("expect TIME: path = value");
            let at = sc.clock.parse_time(time).expect("time");
            let state =
                serde_json::to_value(license_lab::report::timeline::state_at(sc, at)).unwrap();
            for pair in pairs.split(", ") {
                let (path, want) = pair.split_once(" = ").expect("path = value");
                let want: serde_json::Value =
                    serde_json::from_str(want.trim()).expect("JSON value");
                let got = lookup(&state, path.trim());
                let same = match (got, &want) {
                    (Some(g), w) if g.is_number() && w.is_number() => {
                        (g.as_f64().unwrap() - w.as_f64().unwrap()).abs() < 1e-9
                    }
                    (Some(g), w) => g == w,
                    (None, _) => false,
                };
                assert!(same, "{name} at {time}: {path} is {got:?}, expected {want}");
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn every_example_loads_and_meets_its_expectations() {
    let all = examples();
    assert!(all.len() >= 8, "examples: {}", all.len());
    for (name, text) in &all {
        let sc = match parse(text) {
            Ok(sc) => Arc::new(sc),
            Err(e) => panic!("{name} does not load:\n{e}"),
        };
        let checked = check_expectations(name, text, &sc);
        let shared =
            ["walkthrough.toml", "quarantine.toml", "sizing.toml"].contains(&name.as_str());
        assert!(shared || checked > 0, "{name} states no expectation");
    }
}

#[test]
fn every_example_warns_about_its_use_rights_exactly_as_it_says() {
    let mut warned = 0;
    for (name, text) in &examples() {
        let (sc, _, places) = parse_for_check(text).expect("loads");
        let warnings = license_lab::report::use_rights::check(&Arc::new(sc), &places);
        let expected: Vec<(&str, &str)> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("# expect-warning LM "))
            .map(|l| {
                l.split_once(": ")
                    .expect("expect-warning LM SECTION: words")
            })
            .collect();
        let got: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            warnings.len(),
            expected.len(),
            "{name}: the warnings are\n{}",
            got.join("\n")
        );
        for (w, (lm, words)) in warnings.iter().zip(&expected) {
            assert_eq!(w.lm, *lm, "{name}: {w}");
            assert!(w.message.contains(words), "{name}: `{words}` not in {w}");
        }
        warned += warnings.len();
    }
    assert!(warned >= 8, "{warned} warnings in the examples");
}
