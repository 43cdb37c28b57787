//! Login Access Passes (LAP-1..10): one test per rule edge, named after the rule.

mod common;
use common::*;

fn one_user(tokens: i64, visits: &[String]) -> String {
    let mut s = login_header(tokens, 60);
    s.push_str(&user("sam", "login:g"));
    for v in visits {
        s.push_str(v);
    }
    s
}

#[test]
fn lap_1_one_token_holds_ten_passes() {
    let sc = scenario(&login_header(3, 10));
    let s = state(&sc, "day 0 00:00");
    let g = group(&s, "g");
    assert_eq!((g.passes, g.available, g.used, g.retiring), (30, 30, 0, 0));
    assert_eq!(s.tokens.login_groups, 3);
}

#[test]
fn lap_2_fifteen_minutes_cost_a_whole_pass() {
    let sc = scenario(&one_user(
        1,
        &[visit("sam", "day 1 09:00", "15m", "logout", "web")],
    ));
    let s = state(&sc, "day 1 09:15");
    assert_eq!(group(&s, "g").available, 9);
    assert_eq!(s.totals.passes_consumed, 1);
    assert_eq!(rules_at(&sc, "2026-03-02T09:00"), vec!["LAP-2"]);
}

#[test]
fn lap_3_idle_past_the_hour_renews() {
    // Works 50 minutes; the inactivity timeout keeps the session alive until 10:20.
    let sc = scenario(&one_user(
        1,
        &[visit("sam", "day 1 09:00", "50m", "timeout", "web")],
    ));
    assert_eq!(state(&sc, "day 1 09:59").totals.passes_consumed, 1);
    let s = state(&sc, "day 1 10:00");
    assert_eq!(s.totals.passes_consumed, 2);
    assert_eq!(rules_at(&sc, "2026-03-02T10:00"), vec!["LAP-3"]);
    assert_eq!(state(&sc, "day 1 12:00").totals.passes_consumed, 2);
}

#[test]
fn lap_3_renews_every_hour_while_the_session_lives() {
    let sc = scenario(&one_user(
        1,
        &[visit("sam", "day 1 09:00", "150m", "logout", "web")],
    ));
    assert_eq!(state(&sc, "day 1 11:30").totals.passes_consumed, 3);
}

#[test]
fn lap_3_logout_before_the_hour_renews_nothing() {
    let sc = scenario(&one_user(
        1,
        &[visit("sam", "day 1 09:00", "50m", "logout", "web")],
    ));
    assert_eq!(state(&sc, "day 1 12:00").totals.passes_consumed, 1);
}

#[test]
fn lap_4_identified_reuse_after_logout_in_the_same_hour() {
    let sc = scenario(&one_user(
        1,
        &[
            visit("sam", "day 1 09:00", "20m", "logout", "web"),
            visit("sam", "day 1 09:40", "10m", "logout", "web"),
        ],
    ));
    assert_eq!(state(&sc, "day 1 10:00").totals.passes_consumed, 1);
    assert_eq!(rules_at(&sc, "2026-03-02T09:40"), vec!["LAP-4"]);
}

#[test]
fn lap_4_after_the_hour_a_new_pass() {
    let sc = scenario(&one_user(
        1,
        &[
            visit("sam", "day 1 09:00", "20m", "logout", "web"),
            visit("sam", "day 1 10:00", "10m", "logout", "web"),
        ],
    ));
    assert_eq!(state(&sc, "day 1 10:00").totals.passes_consumed, 2);
    assert_eq!(rules_at(&sc, "2026-03-02T10:00"), vec!["LAP-2"]);
}

#[test]
fn lap_5_five_parallel_devices_on_one_pass_and_a_sixth_refused() {
    let mut visits: Vec<String> = (1..=5)
        .map(|d| {
            visit(
                "sam",
                &format!("day 1 09:0{d}"),
                "40m",
                "logout",
                &format!("d{d}"),
            )
        })
        .collect();
    visits.push(visit("sam", "day 1 09:10", "10m", "logout", "d6"));
    let sc = scenario(&one_user(1, &visits));
    let s = state(&sc, "day 1 09:10");
    assert_eq!(s.totals.passes_consumed, 1);
    assert_eq!(s.connections, 5);
    assert_eq!(s.totals.denied, 1);
    assert_eq!(rules_at(&sc, "2026-03-02T09:10"), vec!["LAP-5"]);
}

#[test]
fn lap_6_anonymous_reconnect_consumes_a_new_pass() {
    let mut s = login_header(1, 10);
    s.push_str(&anon("guest", "login:g"));
    s.push_str(&visit("guest", "day 1 09:00", "10m", "close", "web"));
    s.push_str(&visit("guest", "day 1 09:15", "10m", "close", "web"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 09:30").totals.passes_consumed, 2);
    assert_eq!(rules_at(&sc, "2026-03-02T09:15"), vec!["LAP-6"]);
}

#[test]
fn lap_6_anonymous_overlapping_visits_are_separate_connections() {
    let mut s = login_header(1, 10);
    s.push_str(&anon("guest", "login:g"));
    s.push_str(&visit("guest", "day 1 09:00", "30m", "close", "web"));
    s.push_str(&visit("guest", "day 1 09:10", "30m", "close", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:20");
    assert_eq!((st.totals.passes_consumed, st.connections), (2, 2));
}

#[test]
fn lap_6_anonymous_hourly_renewal_applies() {
    let mut s = login_header(1, 10);
    s.push_str(&anon("guest", "login:g"));
    s.push_str(&visit("guest", "day 1 09:00", "70m", "close", "web"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 10:00").totals.passes_consumed, 2);
}

#[test]
fn lap_7_return_28_days_later_across_a_month_boundary() {
    // Consumed 2026-03-20 09:00 (day 19), available again 2026-04-17 09:00 (day 47).
    let sc = scenario(&one_user(
        1,
        &[visit("sam", "day 19 09:00", "10m", "logout", "web")],
    ));
    assert_eq!(group(&state(&sc, "2026-04-17T08:59"), "g").available, 9);
    assert_eq!(group(&state(&sc, "2026-04-17T09:00"), "g").available, 10);
    assert_eq!(rules_at(&sc, "2026-04-17T09:00"), vec!["LAP-7"]);
}

#[test]
fn lap_7_setting_changes_the_return_period() {
    let mut s = one_user(1, &[visit("sam", "day 1 09:00", "10m", "logout", "web")]);
    s.push_str("\n[settings]\nlogin_pass_return = \"7d\"\n");
    let sc = scenario(&s);
    assert_eq!(group(&state(&sc, "day 8 09:00"), "g").available, 10);
}

#[test]
fn lap_8_denied_when_the_pool_is_empty() {
    let mut visits = Vec::new();
    for i in 0..11 {
        visits.push(visit(
            "sam",
            &format!("day {} 09:00", i + 1),
            "10m",
            "logout",
            "web",
        ));
    }
    let sc = scenario(&one_user(1, &visits));
    let s = state(&sc, "day 11 10:00");
    assert_eq!(s.totals.passes_consumed, 10);
    assert_eq!(s.totals.denied, 1);
    assert_eq!(rules_at(&sc, "2026-03-12T09:00"), vec!["LAP-8"]);
}

#[test]
fn lap_8_renewal_on_an_empty_pool_discontinues_the_session() {
    let mut s = login_header(1, 10);
    s.push_str(&user("sam", "login:g"));
    s.push_str(&user("ann", "login:g"));
    // ann takes 9 passes over the day; sam's renewal at 10:00 finds none.
    for h in 0..9 {
        s.push_str(&visit(
            "ann",
            &format!("day 1 0{h}:00"),
            "10m",
            "logout",
            "web",
        ));
    }
    s.push_str(&visit("sam", "day 1 09:00", "3h", "logout", "laptop"));
    s.push_str(&visit("sam", "day 1 09:30", "3h", "logout", "phone"));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 10:00");
    assert_eq!(st.totals.discontinued, 1);
    assert_eq!(st.connections, 0);
    assert_eq!(st.totals.passes_consumed, 10);
    assert!(rules_at(&sc, "2026-03-02T10:00").contains(&"LAP-8"));
}

fn lap_9_setup(action_at: &str, to: i64) -> std::sync::Arc<license_lab::scenario::Scenario> {
    // Qlik's example: 3 tokens, 11 passes used (one a day at 09:00, days 1..11).
    let mut s = login_header(3, 60);
    s.push_str(&user("sam", "login:g"));
    for d in 1..=11 {
        s.push_str(&visit(
            "sam",
            &format!("day {d} 09:00"),
            "10m",
            "logout",
            "web",
        ));
    }
    s.push_str(&action(
        action_at,
        "set_group_tokens",
        &format!("group = \"g\"\ntokens = {to}"),
    ));
    scenario(&s)
}

#[test]
fn lap_9_qlik_example_delete_frees_one_token_at_once() {
    let sc = lap_9_setup("day 12 12:00", 0);
    let s = state(&sc, "day 12 12:00");
    assert_eq!(
        (s.tokens.free, s.tokens.pending, s.tokens.login_groups),
        (1, 2, 0)
    );
    let g = group(&s, "g");
    assert_eq!((g.passes, g.available, g.used, g.retiring), (0, 0, 11, 11));
}

#[test]
fn lap_9_qlik_example_second_token_when_the_10th_used_pass_returns() {
    let sc = lap_9_setup("day 12 12:00", 0);
    // The 10th pass was consumed day 10 09:00: back day 38 09:00.
    assert_eq!(state(&sc, "day 38 08:59").tokens.free, 1);
    let s = state(&sc, "day 38 09:00");
    assert_eq!((s.tokens.free, s.tokens.pending), (2, 1));
}

#[test]
fn lap_9_qlik_example_third_token_when_the_11th_returns() {
    let sc = lap_9_setup("day 12 12:00", 0);
    assert_eq!(state(&sc, "day 39 08:59").tokens.free, 2);
    let s = state(&sc, "day 39 09:00");
    assert_eq!((s.tokens.free, s.tokens.pending), (3, 0));
    let g = group(&s, "g");
    assert_eq!((g.used, g.retiring), (0, 0));
}

#[test]
fn lap_9_reduction_by_one_frees_the_unused_block_at_once() {
    let sc = lap_9_setup("day 12 12:00", 2);
    let s = state(&sc, "day 12 12:00");
    assert_eq!(
        (s.tokens.free, s.tokens.pending, s.tokens.login_groups),
        (1, 0, 2)
    );
    let g = group(&s, "g");
    assert_eq!((g.passes, g.available, g.used, g.retiring), (20, 9, 11, 0));
}

#[test]
fn lap_9_reduction_by_two_retires_the_oldest_block() {
    let sc = lap_9_setup("day 12 12:00", 1);
    let s = state(&sc, "day 12 12:00");
    assert_eq!(
        (s.tokens.free, s.tokens.pending, s.tokens.login_groups),
        (1, 1, 1)
    );
    let g = group(&s, "g");
    assert_eq!((g.passes, g.available, g.used, g.retiring), (10, 9, 11, 10));
    // The oldest block frees when its last pass (day 10) returns; the 11th comes back.
    let s = state(&sc, "day 39 09:00");
    assert_eq!((s.tokens.free, s.tokens.pending), (2, 0));
    assert_eq!(group(&s, "g").available, 10);
}

#[test]
fn lap_9_retired_passes_cannot_be_consumed() {
    let mut s = login_header(1, 60);
    s.push_str(&user("sam", "login:g"));
    s.push_str(&visit("sam", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&action(
        "day 2 00:00",
        "set_group_tokens",
        "group = \"g\"\ntokens = 0",
    ));
    s.push_str(&visit("sam", "day 3 09:00", "10m", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 3 09:00");
    assert_eq!(st.totals.denied, 1);
    assert_eq!((st.tokens.pending, st.tokens.free), (1, 0));
}

#[test]
fn lap_10_adding_tokens_adds_ten_passes_each_at_once() {
    let mut s = login_header(1, 10);
    s = s.replace("[license]\ntokens = 1", "[license]\ntokens = 5");
    s.push_str(&action(
        "day 1 00:00",
        "set_group_tokens",
        "group = \"g\"\ntokens = 3",
    ));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 00:00");
    let g = group(&st, "g");
    assert_eq!((g.passes, g.available), (30, 30));
    assert_eq!((st.tokens.free, st.tokens.login_groups), (2, 3));
    assert_eq!(rules_at(&sc, "2026-03-02T00:00"), vec!["LAP-10"]);
}

#[test]
fn lap_10_growth_needs_free_tokens_tok_3() {
    let mut s = login_header(1, 10);
    s.push_str(&action(
        "day 1 00:00",
        "set_group_tokens",
        "group = \"g\"\ntokens = 2",
    ));
    let sc = scenario(&s);
    assert_eq!(group(&state(&sc, "day 1 00:00"), "g").passes, 10);
    assert_eq!(rules_at(&sc, "2026-03-02T00:00"), vec!["TOK-3"]);
}

#[test]
fn summary_counts_the_peak_of_used_passes_across_groups() {
    let sc = scenario(include_str!("../examples/walkthrough.toml"));
    let rec = license_lab::report::timeline::Recording::new(sc);
    let s = &rec.summary;
    assert_eq!(
        (
            s.peak_used_passes,
            s.passes_consumed,
            s.denied,
            s.discontinued
        ),
        (4, 4, 0, 0)
    );
    assert_eq!(
        (s.pending_at_end, s.free_at_end, s.peak_connections),
        (0, 9, 2)
    );
}
