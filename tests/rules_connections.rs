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

fn capacity_license(extra: &str) -> String {
    format!(
        "name = \"t\"\nstart = \"2026-01-01\"\ndays = 10\n\n[license]\nprofessional = 1\nanalyzer_capacity_packs = 10\ncore_minutes = 1000\n{extra}\n"
    )
}

#[test]
fn conn_1_the_cap_and_the_cooldown_apply_to_identified_capacity_and_dynamic_users() {
    let mut s = capacity_license("");
    // pat holds the only Professional allocation, so NU-4 gives dyn Analyzer Capacity.
    s.push_str(&user("pat", "professional"));
    s.push_str(&user("cam", "capacity"));
    s.push_str(&user("dyn", "dynamic"));
    for d in 1..=6 {
        let device = format!("d{d}");
        s.push_str(&visit(
            "cam",
            &format!("day 1 09:0{d}"),
            "1h",
            "logout",
            &device,
        ));
        s.push_str(&visit(
            "dyn",
            &format!("day 2 09:0{d}"),
            "1h",
            "logout",
            &device,
        ));
    }
    // Day 3: cam closes d1 at 09:10; a 6th device at 09:12 finds it cooling down, one at
    // 09:15 gets in.
    s.push_str(&visit("cam", "day 3 09:00", "10m", "logout", "d1"));
    for d in 2..=5 {
        s.push_str(&visit(
            "cam",
            "day 3 09:00",
            "1h",
            "logout",
            &format!("d{d}"),
        ));
    }
    s.push_str(&visit("cam", "day 3 09:12", "10m", "logout", "d6"));
    s.push_str(&visit("cam", "day 3 09:15", "10m", "logout", "d7"));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:06");
    assert_eq!((st.connections, st.totals.denied), (5, 1));
    assert_eq!(rules_at(&sc, "2026-01-02T09:06"), vec!["CONN-1"]);
    let st = state(&sc, "day 2 09:06");
    assert_eq!((st.connections, st.totals.denied), (5, 2));
    assert!(log(&sc)
        .iter()
        .any(|e| e.0 == "2026-01-03T09:06" && e.2 == "dyn" && e.3.contains("in parallel")));
    assert_eq!(state(&sc, "day 3 09:12").totals.denied, 3);
    assert!(log(&sc).iter().any(|e| e.0 == "2026-01-04T09:12"
        && e.1 == "CONN-1"
        && e.3.contains("4 open and 1 closed less than 5m ago")));
    let st = state(&sc, "day 3 09:15");
    assert_eq!((st.connections, st.totals.denied), (5, 3));
}

#[test]
fn conn_1_the_cap_does_not_apply_to_anonymous_users_nor_to_qlik_core() {
    let mut s = capacity_license("");
    s.push_str(&anon("guest", "capacity"));
    s.push_str(&user("api", "core"));
    for d in 1..=7 {
        let device = format!("d{d}");
        s.push_str(&visit(
            "guest",
            &format!("day 1 09:0{d}"),
            "1h",
            "logout",
            &device,
        ));
        s.push_str(&visit(
            "api",
            &format!("day 2 09:0{d}"),
            "1h",
            "logout",
            &device,
        ));
    }
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:07");
    assert_eq!((st.connections, st.totals.denied), (7, 0));
    let st = state(&sc, "day 2 09:07");
    assert_eq!((st.connections, st.totals.denied), (7, 0));
}

/// (user, rule id) of the events at a time, in log order.
fn who_at(sc: &std::sync::Arc<license_lab::scenario::Scenario>, at: &str) -> Vec<(String, String)> {
    log(sc)
        .into_iter()
        .filter(|e| e.0 == at)
        .map(|e| (e.2, e.1.to_string()))
        .collect()
}

#[test]
fn time_3_renewals_go_in_user_file_order_with_cohort_members_after() {
    // The cohort is written first, but its member comes after every [[user]]; the
    // member's visit is written first too. One pass is left for the 10:00 renewals.
    let mut s = login_header(1, 10);
    s.push_str("\n[[cohort]]\nname = \"crowd\"\ncount = 1\naccess = \"login:g\"\nvisits_per_month = 0\nvisit_length = \"10m\"\n");
    s.push_str(&user("zed", "login:g"));
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
    s.push_str(&visit("crowd-1", "day 1 09:00", "2h", "logout", "web"));
    s.push_str(&visit("zed", "day 1 09:00", "2h", "logout", "web"));
    let sc = scenario(&s);
    let at_ten = who_at(&sc, "2026-03-02T10:00");
    assert_eq!(at_ten[0], ("zed".to_string(), "LAP-3".to_string()));
    assert!(at_ten.contains(&("crowd-1".to_string(), "LAP-8".to_string())));
}

#[test]
fn time_3_a_core_session_renews_in_the_order_of_the_user_whose_connection_started_it() {
    // 15 Core minutes: three sessions. mid's visit (and its session id) is written first,
    // but the users are written early, mid, late. `early` starts "shared" and leaves;
    // `late`, who joined it, keeps it open. At 09:05 the Core Session `early` started
    // renews first (in early's place, though the renewal is late's), then mid's, for
    // which nothing is left.
    let mut s = String::from(
        "name = \"t\"\nstart = \"2026-01-01\"\ndays = 3\n\n[license]\ncore_minutes = 15\n",
    );
    for n in ["early", "mid", "late"] {
        s.push_str(&user(n, "core"));
    }
    let core = |user: &str, at: &str, active: &str, session: &str| {
        format!("\n[[visit]]\nuser = \"{user}\"\nat = \"{at}\"\nactive = \"{active}\"\nsession_id = \"{session}\"\n")
    };
    s.push_str(&core("mid", "day 1 09:00", "20m", "solo"));
    s.push_str(&core("late", "day 1 09:01", "20m", "shared"));
    s.push_str(&core("early", "day 1 09:00", "2m", "shared"));
    let sc = scenario(&s);
    assert_eq!(
        who_at(&sc, "2026-01-02T09:05"),
        vec![
            ("late".to_string(), "CORE-2".to_string()),
            ("mid".to_string(), "CORE-3".to_string()),
            ("mid".to_string(), "CONN-0".to_string()),
        ]
    );
    assert_eq!(state(&sc, "day 1 09:05").core.used, 15);
}

#[test]
fn time_3_renewals_of_every_kind_go_in_user_order() {
    // api (Qlik Core, first in the file) and sam (login) both renew at 10:00: api first.
    let mut s = login_header(1, 3);
    s = s.replace(
        "tokens = 1\n\n[[group]]",
        "tokens = 1\ncore_minutes = 1000\n\n[[group]]",
    );
    s.push_str(&user("api", "core"));
    s.push_str(&user("sam", "login:g"));
    s.push_str(&visit("sam", "day 1 09:00", "90m", "logout", "web"));
    s.push_str(&visit("api", "day 1 09:00", "90m", "logout", "web"));
    let sc = scenario(&s);
    assert_eq!(
        who_at(&sc, "2026-03-02T10:00"),
        vec![
            ("api".to_string(), "CORE-2".to_string()),
            ("sam".to_string(), "LAP-3".to_string()),
        ]
    );
}

#[test]
fn time_3_one_users_connections_renew_in_visit_order() {
    // 4 blocks of 250 minutes fit the month. cam's laptop starts first but its visit is
    // written second; both of cam's connections need a block at 13:10 and one is left:
    // the phone's (written first) gets it, the laptop is discontinued.
    let mut s = String::from(
        "name = \"t\"\nstart = \"2026-01-01\"\ndays = 3\n\n[license]\ntokens = 1\nprofessional = 1\nanalyzer_capacity_packs = 1\n\n[settings]\ncapacity_block = \"250m\"\n\n[[group]]\nname = \"g\"\ntokens = 1\n",
    );
    s.push_str(&user("cam", "capacity"));
    s.push_str(&visit("cam", "day 1 09:00", "10h", "logout", "phone"));
    s.push_str(&visit("cam", "day 1 04:50", "10h", "logout", "laptop"));
    // The same for an anonymous user's connections on login passes: 6 passes before
    // 09:00, screen-a at 09:00 and its renewal at 10:00, screen-b at 10:00: one pass is
    // left for the two renewals at 11:00, and screen-b's visit is written first.
    s.push_str(&anon("kiosk", "login:g"));
    for h in 0..6 {
        s.push_str(&visit(
            "kiosk",
            &format!("day 1 0{h}:00"),
            "5m",
            "logout",
            "web",
        ));
    }
    s.push_str(&visit("kiosk", "day 1 10:00", "2h", "logout", "screen-b"));
    s.push_str(&visit("kiosk", "day 1 09:00", "3h", "logout", "screen-a"));
    let sc = scenario(&s);
    let events = log(&sc);
    let at = |t: &str| events.iter().filter(|e| e.0 == t).collect::<Vec<_>>();
    let capacity = at("2026-01-02T13:10");
    assert!(capacity.iter().any(|e| e.1 == "CAP-3" && e.2 == "cam"));
    assert!(capacity
        .iter()
        .any(|e| e.1 == "CONN-0" && e.3.contains("laptop")));
    assert!(!capacity
        .iter()
        .any(|e| e.1 == "CONN-0" && e.3.contains("phone")));
    let login = at("2026-01-02T11:00");
    assert_eq!(login[0].1, "LAP-3");
    assert!(login
        .iter()
        .any(|e| e.1 == "CONN-0" && e.3.contains("screen-a")));
    assert!(!login
        .iter()
        .any(|e| e.1 == "CONN-0" && e.3.contains("screen-b")));
}
