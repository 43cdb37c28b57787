//! Connections (CONN-0, CONN-1) and the same-minute order (TIME-3).

mod common;
use common::*;

fn uap_user(extra: &str) -> String {
    let mut s =
        String::from("name = \"t\"\nstart = \"2026-01-01\"\ndays = 40\n\n[license]\ntokens = 2\n");
    s.push_str(extra);
    s.push_str(&user("a", "user_pass"));
    s
}

#[test]
fn conn_1_cooldown_after_a_closed_connection_at_the_cap() {
    let mut s = uap_user("");
    for d in 1..=5 {
        s.push_str(&visit("a", "day 1 09:00", "2h", "logout", &format!("d{d}")));
    }
    // d1 and d2 close at 10:00 and 10:10; new devices try at 10:04 and 10:05.
    s = s.replacen(
        "active = \"2h\"\nends = \"logout\"\ndevice = \"d1\"",
        "active = \"1h\"\nends = \"logout\"\ndevice = \"d1\"",
        1,
    );
    s.push_str(&visit("a", "day 1 10:04", "10m", "logout", "d6"));
    s.push_str(&visit("a", "day 1 10:05", "10m", "logout", "d7"));
    let sc = scenario(&s);
    let at_4 = state(&sc, "day 1 10:04");
    assert_eq!((at_4.connections, at_4.totals.denied), (4, 1));
    assert_eq!(rules_at(&sc, "2026-01-02T10:04"), vec!["CONN-1"]);
    let at_5 = state(&sc, "day 1 10:05");
    assert_eq!((at_5.connections, at_5.totals.denied), (5, 1));
}

#[test]
fn conn_1_cooldown_does_not_apply_below_the_cap() {
    let mut s = uap_user("");
    s.push_str(&visit("a", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&visit("a", "day 1 09:11", "10m", "logout", "laptop"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 09:11").totals.denied, 0);
}

#[test]
fn conn_1_cooldown_setting() {
    let mut s = uap_user("\n[settings]\nmax_connections = 1\nconnection_cooldown = \"0m\"\n");
    s.push_str(&visit("a", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&visit("a", "day 1 09:10", "10m", "logout", "laptop"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 09:10").totals.denied, 0);
}

#[test]
fn conn_0_overlapping_visits_on_one_device_are_one_connection() {
    let mut s = uap_user("");
    s.push_str(&visit("a", "day 1 09:00", "30m", "logout", "web"));
    s.push_str(&visit("a", "day 1 09:10", "40m", "logout", "web"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 09:20").connections, 1);
    // The connection ends at the later end.
    assert_eq!(state(&sc, "day 1 09:45").connections, 1);
    assert_eq!(state(&sc, "day 1 09:50").connections, 0);
    assert_eq!(rules_at(&sc, "2026-01-02T09:10"), vec!["CONN-0"]);
}

#[test]
fn conn_0_every_refusal_counts_as_denied() {
    let mut s = login_header(1, 10);
    s.push_str(&user("a", "user_pass"));
    s.push_str(&visit("a", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&visit("a", "day 1 09:30", "10m", "logout", "web"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 2 00:00").totals.denied, 2);
}

#[test]
fn time_3_a_pass_returning_at_the_minute_a_connection_starts_is_available_to_it() {
    let mut s = login_header(1, 60);
    s.push_str(&user("a", "login:g"));
    s.push_str(&user("b", "login:g"));
    // a uses all 10 passes on day 1 (09:00 … 18:00); b arrives day 29 09:00, the minute
    // the first pass returns.
    for h in 9..19 {
        s.push_str(&visit(
            "a",
            &format!("day 1 {h:02}:00"),
            "10m",
            "logout",
            "web",
        ));
    }
    s.push_str(&visit("b", "day 29 09:00", "10m", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 29 09:00");
    assert_eq!(st.totals.denied, 0);
    assert_eq!(st.totals.passes_consumed, 11);
    assert_eq!(rules_at(&sc, "2026-03-30T09:00"), vec!["LAP-7", "LAP-2"]);
}

#[test]
fn time_3_a_logout_at_the_minute_of_a_renewal_consumes_nothing() {
    let mut s = login_header(1, 10);
    s.push_str(&user("a", "login:g"));
    s.push_str(&visit("a", "day 1 09:00", "60m", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 10:00");
    assert_eq!((st.totals.passes_consumed, st.connections), (1, 0));
}

#[test]
fn time_3_a_connection_starting_at_the_renewal_minute_shares_the_new_pass() {
    let mut s = login_header(1, 10);
    s.push_str(&user("a", "login:g"));
    s.push_str(&visit("a", "day 1 09:00", "90m", "logout", "web"));
    s.push_str(&visit("a", "day 1 10:00", "10m", "logout", "phone"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 10:00").totals.passes_consumed, 2);
}

#[test]
fn time_3_an_action_applies_before_a_connection_at_the_same_minute() {
    let mut s =
        String::from("name = \"t\"\nstart = \"2026-01-01\"\ndays = 10\n\n[license]\ntokens = 1\n");
    s.push_str(&user("a", "user_pass"));
    s.push_str(&visit("a", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&action("day 1 09:00", "remove_user_pass", "user = \"a\""));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:00");
    assert_eq!(st.totals.denied, 1);
    // Never used by the time of the removal: freed at once.
    assert_eq!(st.tokens.free, 1);
}

#[test]
fn time_3_a_release_applies_before_an_action_at_the_same_minute() {
    // The quarantine ends day 9 00:00; the allocation to b at that minute succeeds.
    let mut s =
        String::from("name = \"t\"\nstart = \"2026-01-01\"\ndays = 20\n\n[license]\ntokens = 1\n");
    s.push_str(&user("a", "user_pass"));
    s.push_str(&user("b", "professional").replace("professional", "user_pass"));
    s.push_str(&visit("a", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&action("day 2 00:00", "remove_user_pass", "user = \"a\""));
    s.push_str(&action("day 9 00:00", "allocate_user_pass", "user = \"b\""));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 9 00:00").tokens.user_passes, 1);
    assert_eq!(rules_at(&sc, "2026-01-10T00:00"), vec!["UAP-3", "UAP-1"]);
}

#[test]
fn time_3_renewals_at_one_minute_keep_script_order() {
    // Two users renew at 10:00 with one pass left: the first in the file gets it.
    let mut s = login_header(1, 10);
    s.push_str(&user("first", "login:g"));
    s.push_str(&user("second", "login:g"));
    s.push_str(&user("filler", "login:g"));
    for h in 0..7 {
        s.push_str(&visit(
            "filler",
            &format!("day 1 0{h}:00"),
            "5m",
            "logout",
            "web",
        ));
    }
    s.push_str(&visit("second", "day 1 09:00", "2h", "logout", "web"));
    s.push_str(&visit("first", "day 1 09:00", "2h", "logout", "web"));
    let sc = scenario(&s);
    let events = log(&sc);
    let at_ten: Vec<_> = events
        .iter()
        .filter(|e| e.0 == "2026-03-02T10:00")
        .collect();
    assert_eq!(at_ten[0].1, "LAP-3");
    assert_eq!(at_ten[0].2, "first");
    assert!(at_ten.iter().any(|e| e.1 == "LAP-8" && e.2 == "second"));
}
