//! User Access Passes (UAP-1..4) and tokens (TOK-1..5): one test per rule edge.

mod common;
use common::*;

fn uap(tokens: i64, days: i64) -> String {
    format!("name = \"t\"\nstart = \"2026-01-01\"\ndays = {days}\n\n[license]\ntokens = {tokens}\n")
}

#[test]
fn uap_1_one_token_per_pass_allocated_in_file_order() {
    let mut s = uap(2, 10);
    for n in ["a", "b", "c"] {
        s.push_str(&user(n, "user_pass"));
    }
    let sc = scenario(&s);
    let st = state(&sc, "day 0 00:00");
    assert_eq!((st.tokens.user_passes, st.tokens.free), (2, 0));
    assert_eq!(st.user_passes.allocated, 2);
    let events = log(&sc);
    assert!(events.iter().any(|e| e.1 == "TOK-3" && e.2 == "c"));
}

#[test]
fn uap_1_a_user_without_a_pass_is_refused_no_access_pass() {
    let mut s = uap(0, 10);
    s.push_str(&user("a", "user_pass"));
    s.push_str(&visit("a", "day 1 09:00", "10m", "logout", "web"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 09:00").totals.denied, 1);
    assert!(log(&sc)
        .iter()
        .any(|e| e.1 == "UAP-1" && e.3.contains("no access pass")));
}

#[test]
fn uap_2_five_parallel_connections_and_a_sixth_refused() {
    let mut s = uap(1, 10);
    s.push_str(&user("a", "user_pass"));
    for d in 1..=6 {
        s.push_str(&visit(
            "a",
            &format!("day 1 09:0{d}"),
            "1h",
            "logout",
            &format!("d{d}"),
        ));
    }
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:06");
    assert_eq!((st.connections, st.totals.denied), (5, 1));
    assert_eq!(rules_at(&sc, "2026-01-02T09:06"), vec!["UAP-2"]);
    assert!(log(&sc)
        .iter()
        .any(|e| e.3.contains("too many sessions active in parallel")));
}

#[test]
fn uap_2_max_connections_setting() {
    let mut s = uap(1, 10);
    s.push_str("\n[settings]\nmax_connections = 2\n");
    s.push_str(&user("a", "user_pass"));
    for d in 1..=3 {
        s.push_str(&visit(
            "a",
            &format!("day 1 09:0{d}"),
            "1h",
            "logout",
            &format!("d{d}"),
        ));
    }
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 09:03").totals.denied, 1);
}

fn removal(last_visit: &str, remove_at: &str) -> String {
    let mut s = uap(1, 40);
    s.push_str(&user("alice", "user_pass"));
    s.push_str(&user("bob", "login:none").replace("login:none", "user_pass"));
    s.push_str(&visit("alice", last_visit, "45m", "timeout", "web"));
    s.push_str(&action(remove_at, "remove_user_pass", "user = \"alice\""));
    s
}

#[test]
fn uap_3_quarantine_ends_at_00_00_on_the_8th_day() {
    // Used January 10 (day 9): back January 18 00:00 (day 17).
    let sc = scenario(&removal("2026-01-10T14:00", "day 12 12:00"));
    let before = state(&sc, "day 16 23:59");
    assert_eq!(
        (before.tokens.pending, before.user_passes.quarantined),
        (1, 1)
    );
    let after = state(&sc, "day 17 00:00");
    assert_eq!((after.tokens.free, after.tokens.pending), (1, 0));
    assert!(log(&sc)
        .iter()
        .any(|e| e.0 == "2026-01-18T00:00" && e.1 == "UAP-3"));
}

#[test]
fn uap_3_last_use_is_the_end_of_the_inactivity_tail() {
    // Works until 23:50, times out at 00:20 the next day: the last use is January 11.
    let sc = scenario(&removal("2026-01-10T23:05", "day 12 12:00"));
    assert_eq!(state(&sc, "day 17 00:00").tokens.pending, 1);
    assert_eq!(state(&sc, "day 18 00:00").tokens.pending, 0);
}

#[test]
fn uap_3_used_more_than_seven_days_ago_is_freed_at_once() {
    let sc = scenario(&removal("2026-01-02T09:00", "day 20 12:00"));
    let s = state(&sc, "day 20 12:00");
    assert_eq!((s.tokens.free, s.tokens.pending), (1, 0));
}

#[test]
fn uap_3_never_used_removal_is_freed_at_once() {
    let mut s = uap(1, 10);
    s.push_str(&user("alice", "user_pass"));
    s.push_str(&action(
        "day 3 12:00",
        "remove_user_pass",
        "user = \"alice\"",
    ));
    let sc = scenario(&s);
    let st = state(&sc, "day 3 12:00");
    assert_eq!(
        (
            st.tokens.free,
            st.tokens.pending,
            st.user_passes.quarantined
        ),
        (1, 0, 0)
    );
    assert!(log(&sc)
        .iter()
        .any(|e| e.1 == "UAP-3" && e.3.contains("never used")));
}

#[test]
fn uap_3_removal_closes_open_connections_and_counts_as_a_use() {
    let mut s = uap(1, 20);
    s.push_str(&user("alice", "user_pass"));
    s.push_str(&visit("alice", "day 2 23:00", "3h", "logout", "web"));
    s.push_str(&action(
        "day 3 01:00",
        "remove_user_pass",
        "user = \"alice\"",
    ));
    let sc = scenario(&s);
    let st = state(&sc, "day 3 01:00");
    assert_eq!(st.connections, 0);
    // Last use day 3 (the removal), so back on day 11 00:00, not day 10.
    assert_eq!(state(&sc, "day 10 23:59").tokens.pending, 1);
    assert_eq!(state(&sc, "day 11 00:00").tokens.pending, 0);
}

#[test]
fn uap_3_quarantine_setting() {
    let mut s = removal("2026-01-10T14:00", "day 12 12:00");
    s.push_str("\n[settings]\nquarantine = \"3d\"\n");
    let sc = scenario(&s);
    // Used January 10: back January 14 00:00 (day 13).
    assert_eq!(state(&sc, "day 12 23:59").tokens.pending, 1);
    assert_eq!(state(&sc, "day 13 00:00").tokens.pending, 0);
}

#[test]
fn uap_3_a_new_allocation_removed_unused_is_freed_at_once() {
    let mut s = uap(2, 20);
    s.push_str(&user("alice", "user_pass"));
    s.push_str(&visit("alice", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&action(
        "day 2 09:00",
        "remove_user_pass",
        "user = \"alice\"",
    ));
    s.push_str(&action(
        "day 3 09:00",
        "allocate_user_pass",
        "user = \"alice\"",
    ));
    s.push_str(&action(
        "day 4 09:00",
        "remove_user_pass",
        "user = \"alice\"",
    ));
    let sc = scenario(&s);
    let st = state(&sc, "day 4 09:00");
    // The first pass is still quarantined; the second, never used, is free.
    assert_eq!((st.tokens.pending, st.tokens.free), (1, 1));
}

#[test]
fn uap_4_reinstatement_during_quarantine() {
    let mut s = removal("2026-01-10T14:00", "day 12 12:00");
    s.push_str(&action(
        "day 13 09:00",
        "reinstate_user_pass",
        "user = \"alice\"",
    ));
    s.push_str(&visit("alice", "day 13 09:05", "10m", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 13 09:05");
    assert_eq!((st.tokens.user_passes, st.tokens.pending), (1, 0));
    assert_eq!(
        (st.user_passes.allocated, st.user_passes.quarantined),
        (1, 0)
    );
    assert_eq!((st.connections, st.totals.denied), (1, 0));
    // The scheduled quarantine end no longer applies.
    assert_eq!(state(&sc, "day 17 00:00").tokens.user_passes, 1);
}

#[test]
fn uap_4_reinstating_a_pass_not_in_quarantine_is_refused() {
    let mut s = uap(1, 10);
    s.push_str(&user("alice", "user_pass"));
    s.push_str(&action(
        "day 1 09:00",
        "reinstate_user_pass",
        "user = \"alice\"",
    ));
    let sc = scenario(&s);
    assert!(log(&sc)
        .iter()
        .any(|e| e.1 == "UAP-4" && e.3.contains("refused")));
    assert_eq!(state(&sc, "day 1 09:00").tokens.user_passes, 1);
}

#[test]
fn uap_4_allocating_anew_during_quarantine_needs_a_new_token() {
    let mut s = removal("2026-01-10T14:00", "day 12 12:00");
    s.push_str(&action(
        "day 13 09:00",
        "allocate_user_pass",
        "user = \"alice\"",
    ));
    let sc = scenario(&s);
    assert!(log(&sc)
        .iter()
        .any(|e| e.0 == "2026-01-14T09:00" && e.1 == "TOK-3" && e.2 == "alice"));
}

#[test]
fn uap_4_quarantined_token_cannot_go_to_anyone_else() {
    let mut s = removal("2026-01-10T14:00", "day 12 12:00");
    s.push_str(&action(
        "day 13 09:00",
        "allocate_user_pass",
        "user = \"bob\"",
    ));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 13 09:00").tokens.user_passes, 0);
    assert!(rules_at(&sc, "2026-01-14T09:00").contains(&"TOK-3"));
}

#[test]
fn tok_1_invariant_holds_through_a_busy_day() {
    let mut s = uap(5, 30);
    s.push_str("\n[[group]]\nname = \"g\"\ntokens = 2\n");
    s.push_str(&user("a", "user_pass"));
    s.push_str(&user("b", "login:g"));
    s.push_str(&visit("a", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&visit("b", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&action("day 2 00:00", "remove_user_pass", "user = \"a\""));
    s.push_str(&action(
        "day 2 00:00",
        "set_group_tokens",
        "group = \"g\"\ntokens = 0",
    ));
    let sc = scenario(&s);
    for st in license_lab::report::timeline::run(&sc, 60) {
        let t = &st.tokens;
        assert_eq!(
            t.free + t.user_passes + t.login_groups + t.pending,
            t.total,
            "{}",
            st.at
        );
    }
}

#[test]
fn tok_3_refused_allocation_says_needed_and_free_and_changes_nothing() {
    let mut s = uap(1, 10);
    s.push_str("\n[[group]]\nname = \"g\"\ntokens = 1\n");
    s.push_str(&user("a", "user_pass"));
    let sc = scenario(&s);
    let st = state(&sc, "day 0 00:00");
    assert_eq!(
        (
            st.tokens.login_groups,
            st.tokens.user_passes,
            st.tokens.free
        ),
        (1, 0, 0)
    );
    assert!(log(&sc)
        .iter()
        .any(|e| e.1 == "TOK-3" && e.3.contains("needs 1 token, 0 free")));
}

#[test]
fn tok_4_tokens_can_be_added_and_not_lowered_below_committed() {
    let mut s = uap(2, 10);
    s.push_str(&user("a", "user_pass"));
    s.push_str(&action("day 1 00:00", "set_tokens", "tokens = 0"));
    s.push_str(&action("day 2 00:00", "set_tokens", "tokens = 1"));
    s.push_str(&action("day 3 00:00", "set_tokens", "tokens = 12"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 00:00").tokens.total, 2);
    assert_eq!(state(&sc, "day 2 00:00").tokens.total, 1);
    let st = state(&sc, "day 3 00:00");
    assert_eq!((st.tokens.total, st.tokens.free), (12, 11));
    assert_eq!(rules_at(&sc, "2026-01-02T00:00"), vec!["TOK-4"]);
}

#[test]
fn uap_1_an_anonymous_dynamic_user_is_valid_and_nu_4_gives_it_only_capacity() {
    let mut s = String::from(
        "name = \"t\"\nstart = \"2026-01-01\"\ndays = 10\n\n[license]\nprofessional = 2\nanalyzer = 1\nanalyzer_capacity_packs = 1\n",
    );
    s.push_str(&anon("guest", "dynamic"));
    // Two overlapping anonymous visits: two connections, each with its own blocks.
    s.push_str(&visit("guest", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&visit("guest", "day 1 09:03", "10m", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 2 00:00");
    assert_eq!((st.professional.assigned, st.analyzer.assigned), (0, 0));
    assert_eq!((st.capacity.used, st.totals.denied), (24, 0));
    let nu4 = log(&sc)
        .into_iter()
        .filter(|e| e.1 == "NU-4" && e.2 == "guest")
        .count();
    assert_eq!(nu4, 2);
    // Without Analyzer Capacity, NU-4 has nothing to give it.
    let sc = scenario(&s.replace("analyzer_capacity_packs = 1\n", ""));
    assert_eq!(state(&sc, "day 2 00:00").totals.denied, 2);
}

#[test]
fn uap_2_a_holder_connects_on_the_pass_whatever_their_access() {
    let mut s = String::from(
        "name = \"t\"\nstart = \"2026-01-01\"\ndays = 10\n\n[license]\ntokens = 4\nprofessional = 1\nanalyzer_capacity_packs = 1\ncore_minutes = 100\n\n[[group]]\nname = \"g\"\ntokens = 1\n",
    );
    s.push_str(&user("lou", "login:g"));
    s.push_str(&user("cam", "capacity"));
    s.push_str(&user("api", "core"));
    s.push_str(&user("dyn", "dynamic"));
    for u in ["lou", "cam", "api"] {
        s.push_str(&action(
            "day 0 00:00",
            "allocate_user_pass",
            &format!("user = \"{u}\""),
        ));
    }
    s.push_str(&action(
        "day 0 00:00",
        "assign",
        "user = \"dyn\"\nkind = \"professional\"",
    ));
    for u in ["lou", "cam", "api", "dyn"] {
        s.push_str(&visit(u, "day 1 09:00", "10m", "logout", "web"));
    }
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:05");
    assert_eq!(st.connections, 4);
    assert_eq!(
        (st.totals.passes_consumed, st.capacity.used, st.core.used),
        (0, 0, 0)
    );
    let events = log(&sc);
    assert!(!events.iter().any(|e| e.1 == "NU-4"));
    assert_eq!(
        events
            .iter()
            .filter(|e| e.0 == "2026-01-02T09:00")
            .map(|e| e.1)
            .collect::<Vec<_>>(),
        vec!["UAP-2", "UAP-2", "UAP-2", "NU-3"]
    );
}

#[test]
fn uap_3_a_connection_uses_only_the_allocation_it_runs_on() {
    // ann holds a User Access Pass and a Professional allocation; she connects on the
    // pass, so only the pass is used.
    let mut s = String::from(
        "name = \"t\"\nstart = \"2026-01-01\"\ndays = 20\n\n[license]\ntokens = 1\nprofessional = 1\n",
    );
    s.push_str(&user("ann", "user_pass"));
    s.push_str(&action(
        "day 0 00:00",
        "assign",
        "user = \"ann\"\nkind = \"professional\"",
    ));
    s.push_str(&visit("ann", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&action(
        "day 2 09:00",
        "unassign",
        "user = \"ann\"\nkind = \"professional\"",
    ));
    s.push_str(&action("day 2 09:00", "remove_user_pass", "user = \"ann\""));
    let sc = scenario(&s);
    let st = state(&sc, "day 2 09:00");
    // The Professional allocation was never used: freed at once (NU-2).
    assert_eq!(
        (st.professional.assigned, st.professional.quarantined),
        (0, 0)
    );
    // The pass was used on day 1: quarantined until day 9 00:00 (UAP-3).
    assert_eq!((st.tokens.pending, st.user_passes.quarantined), (1, 1));
    assert_eq!(state(&sc, "day 9 00:00").tokens.pending, 0);
}

#[test]
fn uap_3_removal_closes_only_the_connections_on_the_pass_and_that_moment_is_a_use() {
    let mut s = String::from(
        "name = \"t\"\nstart = \"2026-01-01\"\ndays = 20\n\n[license]\ntokens = 2\n\n[[group]]\nname = \"g\"\ntokens = 1\n",
    );
    s.push_str(&user("sam", "login:g"));
    // sam works on a login pass on the laptop; a pass is allocated to him during the
    // session, and his phone connects on it across midnight.
    s.push_str(&visit("sam", "day 1 22:30", "4h", "logout", "laptop"));
    s.push_str(&action(
        "day 1 22:45",
        "allocate_user_pass",
        "user = \"sam\"",
    ));
    s.push_str(&visit("sam", "day 1 23:00", "3h", "logout", "phone"));
    s.push_str(&action("day 2 01:00", "remove_user_pass", "user = \"sam\""));
    let sc = scenario(&s);
    let st = state(&sc, "day 2 01:00");
    // The phone's connection closes; the laptop's login session goes on.
    assert_eq!(st.connections, 1);
    assert_eq!(state(&sc, "day 2 02:00").connections, 1);
    // Removed while the phone was connected: last use day 2, back on day 10 00:00.
    assert_eq!(state(&sc, "day 9 23:59").tokens.pending, 1);
    assert_eq!(state(&sc, "day 10 00:00").tokens.pending, 0);
}
