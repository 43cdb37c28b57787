//! Compare leads with the answer (`report::compare`): the figure that changed most in
//! words with its moment, the figures in order of change, the chart series in order of
//! difference with the flat ones folded.

mod common;

use license_lab::report::compare::{compare, Comparison, Side};
use license_lab::report::lives::Run;
use license_lab::report::timeline::Recording;

fn comparison(a: &str, b: &str) -> Comparison {
    let ra = Recording::new(common::scenario(a));
    let rb = Recording::new(common::scenario(b));
    let sa = Side::new(&Run::of(&ra), &ra.summary);
    let sb = Side::new(&Run::of(&rb), &rb.summary);
    compare(&sa, &sb)
}

/// 20 people on User Access Passes, each using theirs on 2026-01-16; with `remove`, all
/// are removed the next day (UAP-3: quarantined until 2026-01-24 00:00).
fn twenty(remove: bool) -> String {
    let mut t = String::from(
        "name = \"twenty\"\nstart = \"2026-01-01\"\ndays = 40\n\n[license]\ntokens = 20\n",
    );
    for i in 0..20 {
        t.push_str(&common::user(&format!("p{i}"), "user_pass"));
        t.push_str(&common::visit(
            &format!("p{i}"),
            "day 15 10:00",
            "30m",
            "logout",
            "web",
        ));
        if remove {
            t.push_str(&common::action(
                "day 16 09:00",
                "remove_user_pass",
                &format!("user = \"p{i}\""),
            ));
        }
    }
    t
}

#[test]
fn uap_3_the_answer_says_when_the_tokens_are_back() {
    let c = comparison(&twenty(true), &twenty(false));
    assert_eq!(
        c.answer,
        "All 20 tokens are back by 2026-01-24 00:00 in A; in B they stay allocated."
    );
    assert_eq!(c.figures[0].key, "free_at_end");
    assert_eq!((c.figures[0].a, c.figures[0].b), (20, 0));
    assert_eq!(c.figures[0].change, 1.0);
    // The figures that did not change come after it, unchanged.
    assert!(c.figures[1..]
        .iter()
        .all(|f| f.change == 0.0 || f.key == "pending_at_end"));
    // The tokens' charts differ; the login passes' are flat at 0 in both: folded, last.
    let keys: Vec<&str> = c.series.iter().map(|s| s.key.as_str()).collect();
    assert!(keys.iter().position(|k| *k == "free") < keys.iter().position(|k| *k == "used"));
    let used = c.series.iter().find(|s| s.key == "used").unwrap();
    assert!(used.fold && used.flat_a && used.flat_b);
    let free = c.series.iter().find(|s| s.key == "free").unwrap();
    assert!(!free.fold && free.max_difference == 20);
    assert!(c.series.iter().skip_while(|s| !s.fold).all(|s| s.fold));
    let json = serde_json::to_string(&c).unwrap();
    let back: Comparison = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
}

#[test]
fn lap_8_the_answer_names_the_first_denial() {
    let header = |tokens: i64| common::login_header(tokens, 5);
    let mut people = String::new();
    for i in 0..12 {
        people.push_str(&common::user(&format!("u{i}"), "login:g"));
        people.push_str(&common::visit(
            &format!("u{i}"),
            &format!("day 1 09:{:02}", i),
            "20m",
            "logout",
            "web",
        ));
    }
    let c = comparison(
        &format!("{}{people}", header(2)),
        &format!("{}{people}", header(1)),
    );
    // With 10 passes, the 11th and 12th are refused (LAP-8); with 20 none.
    assert_eq!(c.figures[0].key, "denied");
    assert_eq!(
        c.answer,
        "B denies 2 connections (the first on 2026-03-02 09:10); A denies none."
    );
}

#[test]
fn the_same_run_twice_says_so() {
    let c = comparison(&twenty(false), &twenty(false));
    assert_eq!(
        c.answer,
        "The two runs give the same key figures and the same charts."
    );
    assert!(c.figures.iter().all(|f| f.change == 0.0));
    assert!(c.series.iter().all(|s| s.max_difference == 0));
}
