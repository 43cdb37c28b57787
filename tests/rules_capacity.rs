//! Analyzer Capacity (CAP-1..3): one test per rule edge.

mod common;
use common::*;

fn cap(license_extra: &str, settings: &str) -> String {
    format!(
        "name = \"t\"\nstart = \"2026-01-20\"\ndays = 30\n\n[license]\nprofessional = 1\nanalyzer_capacity_packs = 1\n{license_extra}\n{settings}\n[[user]]\nname = \"cam\"\naccess = \"capacity\"\n\n[[user]]\nname = \"dee\"\naccess = \"capacity\"\n"
    )
}

fn used_after(visits: &[String], settings: &str) -> i64 {
    let mut s = cap("", settings);
    for v in visits {
        s.push_str(v);
    }
    let sc = scenario(&s);
    state(&sc, "day 2 00:00").capacity.used
}

#[test]
fn cap_1_one_pack_is_1000_minutes_a_month() {
    let sc = scenario(
        &cap("analyzer_capacity_packs = 3", "").replace("analyzer_capacity_packs = 1\n", ""),
    );
    let s = state(&sc, "day 0 00:00");
    assert_eq!(
        (s.capacity.quota, s.capacity.used, s.capacity.month.as_str()),
        (3000, 0, "2026-01")
    );
}

#[test]
fn cap_2_a_10_minute_visit_costs_12() {
    assert_eq!(
        used_after(&[visit("cam", "day 1 09:00", "10m", "logout", "web")], ""),
        12
    );
}

#[test]
fn cap_2_26_active_minutes_cost_30() {
    assert_eq!(
        used_after(&[visit("cam", "day 1 09:00", "26m", "logout", "web")], ""),
        30
    );
}

#[test]
fn cap_2_15_minutes_cost_18() {
    assert_eq!(
        used_after(&[visit("cam", "day 1 09:00", "15m", "logout", "web")], ""),
        18
    );
}

#[test]
fn cap_2_a_10_minute_visit_ending_by_timeout_still_costs_12() {
    assert_eq!(
        used_after(&[visit("cam", "day 1 09:00", "10m", "timeout", "web")], ""),
        12
    );
}

#[test]
fn cap_2_idle_time_between_tabs_is_free() {
    // Two tabs of one browser: active 09:00-09:05 and 09:40-09:45, the connection open
    // throughout (timeout tail). Two blocks, not eight.
    let v = [
        visit("cam", "day 1 09:00", "5m", "timeout", "web"),
        visit("cam", "day 1 09:30", "0m", "timeout", "web"),
        visit("cam", "day 1 09:40", "5m", "logout", "web"),
    ];
    assert_eq!(used_after(&v, ""), 12);
}

#[test]
fn cap_2_per_device_two_overlapping_devices_cost_two_runs_of_blocks() {
    let v = [
        visit("cam", "day 1 09:00", "10m", "logout", "laptop"),
        visit("cam", "day 1 09:03", "10m", "logout", "phone"),
    ];
    assert_eq!(used_after(&v, ""), 24);
}

#[test]
fn cap_2_per_user_two_overlapping_devices_share_one_run() {
    let v = [
        visit("cam", "day 1 09:00", "10m", "logout", "laptop"),
        visit("cam", "day 1 09:03", "10m", "logout", "phone"),
    ];
    // One run: 09:00, 09:06, 09:12 (active until 09:13).
    assert_eq!(
        used_after(&v, "[settings]\ncapacity_parallel = \"per_user\"\n"),
        18
    );
}

#[test]
fn cap_2_block_setting() {
    assert_eq!(
        used_after(
            &[visit("cam", "day 1 09:00", "10m", "logout", "web")],
            "[settings]\ncapacity_block = \"5m\"\n"
        ),
        10
    );
}

#[test]
fn cap_3_quota_reached_mid_session_discontinues_at_the_next_block() {
    let mut s = cap("", "");
    s.push_str(&visit("cam", "day 1 09:00", "20h", "logout", "web"));
    let sc = scenario(&s);
    // 166 blocks fit: 996 minutes; the 167th at 09:00 + 996 minutes does not.
    let before = state(&sc, "day 2 01:35");
    assert_eq!(
        (
            before.capacity.used,
            before.connections,
            before.totals.discontinued
        ),
        (996, 1, 0)
    );
    let at = state(&sc, "day 2 01:36");
    assert_eq!(
        (at.capacity.used, at.connections, at.totals.discontinued),
        (996, 0, 1)
    );
    assert!(rules_at(&sc, "2026-01-22T01:36").contains(&"CAP-3"));
}

#[test]
fn cap_3_a_new_session_that_does_not_fit_is_refused() {
    let mut s = cap("", "");
    s.push_str(&visit("cam", "day 1 09:00", "20h", "logout", "web"));
    s.push_str(&visit("dee", "day 2 02:00", "10m", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 2 02:00");
    assert_eq!(st.totals.denied, 1);
    assert!(rules_at(&sc, "2026-01-22T02:00").contains(&"CAP-3"));
}

#[test]
fn cap_3_overage_n_lets_exactly_n_more_minutes_through() {
    let settings = "[settings]\ncapacity_block = \"5m\"\n";
    let mut s = cap("overage = 20", settings);
    s.push_str(&visit("cam", "day 1 09:00", "30h", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 3 00:00");
    assert_eq!((st.capacity.used, st.capacity.overage), (1020, 20));
    assert_eq!(st.totals.discontinued, 1);
    // Without overage: exactly the quota.
    let mut s = cap("", settings);
    s.push_str(&visit("cam", "day 1 09:00", "30h", "logout", "web"));
    let st = state(&scenario(&s), "day 3 00:00");
    assert_eq!((st.capacity.used, st.capacity.overage), (1000, 0));
}

#[test]
fn cap_3_unlimited_overage_never_refuses() {
    let mut s = cap("overage = \"unlimited\"", "");
    s.push_str(&visit("cam", "day 1 09:00", "40h", "logout", "web"));
    s.push_str(&visit("dee", "day 2 09:00", "10h", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 4 00:00");
    assert_eq!((st.totals.denied, st.totals.discontinued), (0, 0));
    assert_eq!(st.capacity.used, 2400 + 600);
    assert_eq!(st.capacity.overage, 2000);
}

#[test]
fn cap_1_a_month_boundary_resets_used_and_forfeits_the_rest() {
    let mut s = cap("", "");
    // January 31 (day 11): 12 minutes; February 1 00:00 resets.
    s.push_str(&visit("cam", "day 11 09:00", "10m", "logout", "web"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 11 23:59").capacity.used, 12);
    let feb = state(&sc, "day 12 00:00");
    assert_eq!(
        (feb.capacity.used, feb.capacity.month.as_str()),
        (0, "2026-02")
    );
    assert!(log(&sc)
        .iter()
        .any(|e| e.1 == "CAP-1" && e.3.contains("988 unused capacity minutes forfeited")));
}

#[test]
fn cap_3_a_block_starting_at_midnight_on_the_1st_counts_in_the_new_month() {
    let mut s = cap("", "");
    s.push_str(&visit("cam", "day 11 23:57", "10m", "logout", "web"));
    let sc = scenario(&s);
    // Blocks at 23:57 (January) and 00:03 (February).
    assert_eq!(state(&sc, "day 12 00:00").capacity.used, 0);
    assert_eq!(state(&sc, "day 12 00:03").capacity.used, 6);
}

#[test]
fn cap_3_overage_cost_with_a_price() {
    let mut s = cap(
        "overage = \"unlimited\"",
        "[prices]\noverage_minute = 0.5\ncapacity_pack = 100\n",
    );
    s.push_str(&visit("cam", "day 1 09:00", "1020m", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 2 12:00");
    assert_eq!((st.capacity.used, st.capacity.overage), (1020, 20));
    let costs = st.costs.expect("costs with prices");
    assert_eq!(costs.overage, 10.0);
    assert_eq!(costs.capacity_packs, 100.0);
}

#[test]
fn cap_2_per_user_a_device_joining_the_running_block_costs_nothing_and_needs_no_fit() {
    let mut s = cap("", "[settings]\ncapacity_parallel = \"per_user\"\n");
    s.push_str(&visit("cam", "day 1 09:00", "20h", "logout", "laptop"));
    // 01:30-01:36 is the last block that fits (996 minutes); the phone joins it at 01:32,
    // when no further block would fit.
    s.push_str(&visit("cam", "day 2 01:32", "10m", "logout", "phone"));
    let sc = scenario(&s);
    let st = state(&sc, "day 2 01:32");
    assert_eq!(
        (st.capacity.used, st.connections, st.totals.denied),
        (996, 2, 0)
    );
    // The next block does not fit: the user's run (both devices) is discontinued once.
    let st = state(&sc, "day 2 01:36");
    assert_eq!((st.connections, st.totals.discontinued), (0, 1));
}

#[test]
fn cap_2_an_anonymous_users_connections_each_run_their_own_blocks_even_per_user() {
    let mut s = cap("", "[settings]\ncapacity_parallel = \"per_user\"\n");
    s.push_str(&anon("guest", "capacity"));
    s.push_str(&visit("guest", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&visit("guest", "day 1 09:03", "10m", "logout", "web"));
    // Identified, the same visits would share one run: 09:00, 09:06, 09:12 (18 minutes).
    s.push_str(&visit("cam", "day 1 09:00", "10m", "logout", "laptop"));
    s.push_str(&visit("cam", "day 1 09:03", "10m", "logout", "phone"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 2 00:00").capacity.used, 12 + 12 + 18);
    // The sizing's capacity demand agrees (CAP-2 without the event queue).
    let demand = license_lab::rules::capacity::demand_by_month(&sc, |_| true);
    assert_eq!(demand, vec![42]);
}

#[test]
fn cap_2_a_visit_with_no_active_time_costs_nothing_and_is_admitted_when_the_month_is_spent() {
    let mut s = cap("", "");
    s.push_str(&visit("cam", "day 1 09:00", "20h", "logout", "web"));
    // The month is spent from day 2 01:36; dee opens a connection with no active time.
    s.push_str(&visit("dee", "day 2 02:00", "0m", "timeout", "web"));
    s.push_str(&visit("dee", "day 2 02:10", "1m", "logout", "laptop"));
    let sc = scenario(&s);
    let st = state(&sc, "day 2 02:05");
    assert_eq!(
        (st.capacity.used, st.connections, st.totals.denied),
        (996, 1, 0)
    );
    // A visit with active time still needs its first block to fit (CAP-3).
    assert_eq!(state(&sc, "day 2 02:10").totals.denied, 1);
}
