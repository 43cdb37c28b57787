//! Professional and Analyzer users (NU-1..4), Qlik Core (CORE-1..3), cores and nodes
//! (NODE-1..2) and license-service sync (QLS-1).

mod common;
use common::*;

fn users_license(prof: i64, analyzer: i64, extra: &str) -> String {
    format!(
        "name = \"t\"\nstart = \"2026-01-01\"\ndays = 40\n\n[license]\nprofessional = {prof}\nanalyzer = {analyzer}\n{extra}\n"
    )
}

#[test]
fn nu_1_allocations_assigned_at_day_0_in_file_order() {
    let mut s = users_license(1, 1, "");
    s.push_str(&user("pat", "professional"));
    s.push_str(&user("pam", "professional"));
    s.push_str(&user("ana", "analyzer"));
    let sc = scenario(&s);
    let st = state(&sc, "day 0 00:00");
    assert_eq!((st.professional.total, st.professional.assigned), (1, 1));
    assert_eq!(st.analyzer.assigned, 1);
    assert!(log(&sc)
        .iter()
        .any(|e| e.1 == "NU-1" && e.2 == "pam" && e.3.contains("refused")));
}

#[test]
fn nu_1_a_user_without_an_allocation_is_refused() {
    let mut s = users_license(1, 0, "");
    s.push_str(&user("pat", "professional"));
    s.push_str(&user("pam", "professional"));
    s.push_str(&visit("pam", "day 1 09:00", "10m", "logout", "web"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 09:00").totals.denied, 1);
}

#[test]
fn nu_2_unassigning_a_used_allocation_quarantines_it_7_days_from_last_use() {
    let mut s = users_license(1, 0, "");
    s.push_str(&user("pat", "professional"));
    s.push_str(&user("pam", "dynamic"));
    s.push_str(&visit("pat", "2026-01-10T14:00", "45m", "logout", "web"));
    s.push_str(&action(
        "day 12 12:00",
        "unassign",
        "user = \"pat\"\nkind = \"professional\"",
    ));
    s.push_str(&visit("pam", "day 14 09:00", "10m", "logout", "web"));
    s.push_str(&visit("pam", "day 17 09:00", "10m", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 12 12:00");
    assert_eq!(
        (st.professional.assigned, st.professional.quarantined),
        (0, 1)
    );
    assert_eq!(state(&sc, "day 14 09:00").totals.denied, 1);
    let back = state(&sc, "day 17 00:00");
    assert_eq!(back.professional.quarantined, 0);
    assert_eq!(state(&sc, "day 17 09:00").professional.assigned, 1);
}

#[test]
fn nu_2_never_used_is_freed_at_once_and_reinstating_ends_the_quarantine() {
    let mut s = users_license(2, 0, "");
    s.push_str(&user("pat", "professional"));
    s.push_str(&user("pia", "professional"));
    s.push_str(&visit("pat", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&action(
        "day 2 09:00",
        "unassign",
        "user = \"pat\"\nkind = \"professional\"",
    ));
    s.push_str(&action(
        "day 2 09:00",
        "unassign",
        "user = \"pia\"\nkind = \"professional\"",
    ));
    s.push_str(&action(
        "day 3 09:00",
        "reinstate",
        "user = \"pat\"\nkind = \"professional\"",
    ));
    let sc = scenario(&s);
    let st = state(&sc, "day 2 09:00");
    assert_eq!(
        (st.professional.assigned, st.professional.quarantined),
        (0, 1)
    );
    let st = state(&sc, "day 3 09:00");
    assert_eq!(
        (st.professional.assigned, st.professional.quarantined),
        (1, 0)
    );
}

#[test]
fn nu_3_parallel_connections_per_user() {
    let mut s = users_license(1, 0, "");
    s.push_str(&user("pat", "professional"));
    for d in 1..=6 {
        s.push_str(&visit(
            "pat",
            &format!("day 1 09:0{d}"),
            "1h",
            "logout",
            &format!("d{d}"),
        ));
    }
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:06");
    assert_eq!((st.connections, st.totals.denied), (5, 1));
    assert_eq!(rules_at(&sc, "2026-01-02T09:06"), vec!["NU-3"]);
}

#[test]
fn nu_4_dynamic_assignment_professional_then_analyzer_then_capacity() {
    let mut s = users_license(1, 1, "analyzer_capacity_packs = 1");
    for n in ["d1", "d2", "d3"] {
        s.push_str(&user(n, "dynamic"));
    }
    s.push_str(&visit("d1", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&visit("d2", "day 1 09:01", "10m", "logout", "web"));
    s.push_str(&visit("d3", "day 1 09:02", "10m", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:05");
    assert_eq!((st.professional.assigned, st.analyzer.assigned), (1, 1));
    assert_eq!(st.capacity.used, 6);
    let events = log(&sc);
    assert!(events
        .iter()
        .any(|e| e.1 == "NU-4" && e.2 == "d1" && e.3.contains("Professional")));
    assert!(events
        .iter()
        .any(|e| e.1 == "NU-4" && e.2 == "d2" && e.3.contains("Analyzer")));
}

#[test]
fn nu_4_no_allocation_and_no_capacity_is_refused() {
    let mut s = users_license(1, 0, "");
    s.push_str(&user("d1", "dynamic"));
    s.push_str(&user("d2", "dynamic"));
    s.push_str(&visit("d1", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&visit("d2", "day 1 09:01", "10m", "logout", "web"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 09:05").totals.denied, 1);
    assert!(rules_at(&sc, "2026-01-02T09:01").contains(&"NU-4"));
}

#[test]
fn nu_4_the_allocation_stays_with_the_user() {
    let mut s = users_license(1, 0, "");
    s.push_str(&user("d1", "dynamic"));
    s.push_str(&visit("d1", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&visit("d1", "day 5 09:00", "10m", "logout", "web"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 4 00:00").professional.assigned, 1);
    let nu4 = log(&sc).iter().filter(|e| e.1 == "NU-4").count();
    assert_eq!(nu4, 1);
}

fn core(minutes: i64) -> String {
    format!(
        "name = \"t\"\nstart = \"2026-01-01\"\ndays = 40\n\n[license]\ncore_minutes = {minutes}\n\n[[user]]\nname = \"api\"\naccess = \"core\"\n\n[[user]]\nname = \"bot\"\naccess = \"core\"\n"
    )
}

fn core_visit(user: &str, at: &str, active: &str, session: &str) -> String {
    format!("\n[[visit]]\nuser = \"{user}\"\nat = \"{at}\"\nactive = \"{active}\"\nsession_id = \"{session}\"\n")
}

#[test]
fn core_1_minutes_per_month_metered_in_5_minute_sessions() {
    let mut s = core(100);
    s.push_str(&core_visit("api", "day 1 09:00", "2m", "s1"));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 10:00");
    assert_eq!((st.core.quota, st.core.used), (100, 5));
}

#[test]
fn core_2_same_id_four_minutes_apart_one_session_five_apart_two() {
    let mut s = core(100);
    s.push_str(&core_visit("api", "day 1 09:00", "1m", "s1"));
    s.push_str(&core_visit("bot", "day 1 09:04", "1m", "s1"));
    s.push_str(&core_visit("api", "day 2 09:00", "1m", "s2"));
    s.push_str(&core_visit("bot", "day 2 09:05", "1m", "s2"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 12:00").core.used, 5);
    assert_eq!(state(&sc, "day 2 12:00").core.used, 15);
}

#[test]
fn core_2_different_ids_each_trigger_a_session() {
    let mut s = core(100);
    s.push_str(&core_visit("api", "day 1 09:00", "1m", "a"));
    s.push_str(&core_visit("bot", "day 1 09:01", "1m", "b"));
    assert_eq!(state(&scenario(&s), "day 1 12:00").core.used, 10);
}

#[test]
fn core_2_decision_an_open_connection_triggers_a_new_session_every_5_minutes() {
    let mut s = core(100);
    s.push_str(&core_visit("api", "day 1 09:00", "12m", "s1"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 09:04").core.used, 5);
    assert_eq!(state(&sc, "day 1 09:05").core.used, 10);
    assert_eq!(state(&sc, "day 1 09:12").core.used, 15);
}

#[test]
fn core_3_refused_when_the_month_is_spent() {
    let mut s = core(5);
    s.push_str(&core_visit("api", "day 1 09:00", "1m", "a"));
    s.push_str(&core_visit("bot", "day 1 09:10", "1m", "b"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 1 09:10").totals.denied, 1);
    assert!(rules_at(&sc, "2026-01-02T09:10").contains(&"CORE-3"));
}

#[test]
fn core_3_an_open_connection_whose_next_session_does_not_fit_is_discontinued() {
    let mut s = core(10);
    s.push_str(&core_visit("api", "day 1 09:00", "30m", "a"));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:10");
    assert_eq!(
        (st.core.used, st.totals.discontinued, st.connections),
        (10, 1, 0)
    );
}

#[test]
fn core_1_minutes_reset_on_the_1st() {
    let mut s = core(10);
    s.push_str(&core_visit("api", "day 30 09:00", "1m", "a"));
    let sc = scenario(&s);
    assert_eq!(state(&sc, "day 30 23:59").core.used, 5);
    assert_eq!(state(&sc, "day 31 00:00").core.used, 0);
}

fn site(extra_nodes: &str) -> String {
    format!(
        "name = \"t\"\nstart = \"2026-01-01\"\ndays = 10\n\n[license]\ntokens = 5\ncores = 4\n\n[[node]]\nname = \"central\"\nrole = \"central\"\n\n[[node]]\nname = \"users\"\nrole = \"rim\"\n\n[[node]]\nname = \"scheduler\"\nrole = \"rim\"\nengine = false\n{extra_nodes}\n[[user]]\nname = \"rim-user\"\naccess = \"user_pass\"\nnode = \"users\"\n"
    )
}

#[test]
fn node_1_the_lm_example_4_cores_give_2_and_2() {
    let sc = scenario(&site(""));
    let st = state(&sc, "day 0 00:00");
    let nodes = st.nodes.expect("nodes in the state");
    assert_eq!(nodes.get("central").map(|n| n.cores), Some(2));
    assert_eq!(nodes.get("users").map(|n| n.cores), Some(2));
    assert_eq!(nodes.get("scheduler").map(|n| n.cores), Some(0));
}

#[test]
fn node_1_manual_allocation_may_not_exceed_the_license() {
    let text = site("").replace(
        "name = \"users\"\nrole = \"rim\"\n",
        "name = \"users\"\nrole = \"rim\"\nallocated_cores = 5\n",
    );
    let err = license_lab::scenario::parse(&text).unwrap_err();
    assert!(err.0[0].message.contains("NODE-1"), "{err}");
}

#[test]
fn node_2_disconnected_2_hours_refuses_new_connections_at_2_00_not_at_1_59() {
    let mut s = site("");
    s.push_str(&action(
        "day 1 08:00",
        "disconnect_node",
        "node = \"users\"",
    ));
    s.push_str(&visit("rim-user", "day 1 09:59", "1m", "logout", "a"));
    s.push_str(&visit("rim-user", "day 1 10:00", "1m", "logout", "b"));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:59");
    assert_eq!((st.totals.denied, st.connections), (0, 1));
    let st = state(&sc, "day 1 10:00");
    assert_eq!(st.totals.denied, 1);
    let nodes = st.nodes.expect("nodes");
    let users = nodes.get("users").expect("users node");
    assert!(!users.connected && !users.accepting);
    assert!(rules_at(&sc, "2026-01-02T10:00").contains(&"NODE-2"));
}

#[test]
fn node_2_open_connections_close_at_the_cut_off_and_reconnect_restores_access() {
    let mut s = site("");
    s.push_str(&action(
        "day 1 08:00",
        "disconnect_node",
        "node = \"users\"",
    ));
    s.push_str(&visit("rim-user", "day 1 09:00", "3h", "logout", "web"));
    s.push_str(&action("day 1 11:00", "reconnect_node", "node = \"users\""));
    s.push_str(&visit("rim-user", "day 1 11:01", "10m", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 10:00");
    assert_eq!((st.connections, st.totals.discontinued), (0, 1));
    let st = state(&sc, "day 1 11:01");
    assert_eq!((st.connections, st.totals.denied), (1, 0));
}

#[test]
fn node_2_the_central_node_cannot_be_disconnected() {
    let mut s = site("");
    s.push_str(&action(
        "day 1 08:00",
        "disconnect_node",
        "node = \"central\"",
    ));
    let err = license_lab::scenario::parse(&s).unwrap_err();
    assert!(err.0[0].message.contains("central node"), "{err}");
}

fn two_sites() -> String {
    "name = \"t\"\nstart = \"2026-01-01\"\ndays = 10\n\n[license]\nprofessional = 1\n\n[[deployment]]\nname = \"emea\"\n\n[[deployment]]\nname = \"amer\"\n\n[[user]]\nname = \"eve\"\naccess = \"dynamic\"\ndeployment = \"emea\"\n\n[[user]]\nname = \"abe\"\naccess = \"dynamic\"\ndeployment = \"amer\"\n".to_string()
}

#[test]
fn qls_1_two_deployments_take_the_last_allocation_the_later_is_rejected_at_the_next_sync() {
    let mut s = two_sites();
    s.push_str(&action(
        "day 1 09:01",
        "assign",
        "user = \"eve\"\nkind = \"professional\"",
    ));
    s.push_str(&action(
        "day 1 09:04",
        "assign",
        "user = \"abe\"\nkind = \"professional\"",
    ));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:05");
    // Both deployments believe they assigned it.
    assert_eq!(st.professional.assigned, 2);
    let st = state(&sc, "day 1 09:10");
    assert_eq!(st.professional.assigned, 1);
    let events = log(&sc);
    assert!(events.iter().any(|e| e.0 == "2026-01-02T09:10"
        && e.1 == "QLS-1"
        && e.2 == "abe"
        && e.3.contains("rejected")));
    let deps = st.deployments.expect("deployments");
    assert_eq!(deps.get("emea").map(|d| d.professional), Some(1));
    assert_eq!(deps.get("amer").map(|d| d.professional), Some(0));
}

#[test]
fn qls_1_after_a_sync_the_other_deployment_sees_the_assignment() {
    let mut s = two_sites();
    s.push_str(&action(
        "day 1 09:01",
        "assign",
        "user = \"eve\"\nkind = \"professional\"",
    ));
    s.push_str(&action(
        "day 1 09:11",
        "assign",
        "user = \"abe\"\nkind = \"professional\"",
    ));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:11");
    assert_eq!(st.professional.assigned, 1);
    assert!(log(&sc)
        .iter()
        .any(|e| e.0 == "2026-01-02T09:11" && e.2 == "abe" && e.3.contains("refused")));
}

#[test]
fn core_3_joining_a_running_core_session_is_admitted_when_the_month_is_spent() {
    // 5 Core minutes: api's session spends the month at 09:00.
    let mut s = core(5);
    s.push_str(&core_visit("api", "day 1 09:00", "4m", "s1"));
    // bot joins api's running session at 09:02: no new Core Session, admitted.
    s.push_str(&core_visit("bot", "day 1 09:02", "1m", "s1"));
    // A new session id at 09:03 needs a new Core Session: refused.
    s.push_str(&core_visit("bot", "day 1 09:03", "1m", "s2"));
    let sc = scenario(&s);
    let st = state(&sc, "day 1 09:02");
    assert_eq!((st.core.used, st.connections, st.totals.denied), (5, 2, 0));
    assert!(rules_at(&sc, "2026-01-02T09:02").contains(&"CORE-2"));
    assert_eq!(state(&sc, "day 1 09:03").totals.denied, 1);
    assert!(rules_at(&sc, "2026-01-02T09:03").contains(&"CORE-3"));
}

#[test]
fn nu_4_without_capacity_packs_there_is_no_capacity_and_overage_alone_grants_none() {
    let mut s = users_license(1, 0, "overage = \"unlimited\"");
    s.push_str(&user("pat", "professional"));
    s.push_str(&user("cam", "capacity"));
    s.push_str(&user("dyn", "dynamic"));
    s.push_str(&visit("cam", "day 1 09:00", "10m", "logout", "web"));
    s.push_str(&visit("cam", "day 1 09:30", "0m", "timeout", "web"));
    // The only Professional allocation is pat's: NU-4 has nothing to give.
    s.push_str(&visit("dyn", "day 1 10:00", "10m", "logout", "web"));
    let sc = scenario(&s);
    let st = state(&sc, "day 2 00:00");
    assert_eq!((st.capacity.used, st.capacity.overage), (0, 0));
    assert_eq!((st.totals.denied, st.connections), (3, 0));
    let events = log(&sc);
    let refusals: Vec<_> = events
        .iter()
        .filter(|e| e.3.contains("refused"))
        .map(|e| (e.1, e.2.as_str()))
        .collect();
    assert_eq!(
        refusals,
        vec![("NU-4", "cam"), ("NU-4", "cam"), ("NU-4", "dyn")]
    );
    assert!(events
        .iter()
        .any(|e| e.2 == "cam" && e.3.contains("no access pass")));
}
