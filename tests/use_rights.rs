//! Use rights, checked (LM II, IV): each check's breach and the case just allowed, named
//! after the section of the license metrics it reads. A warning never rejects the file.

mod common;
use std::sync::Arc;

use common::*;
use license_lab::scenario::parse_for_check;
use license_lab::scenario::use_rights::{Check, Warning};

/// The warnings `license-lab check` prints for a valid file.
fn warnings(text: &str) -> Vec<Warning> {
    let (sc, _, places) =
        parse_for_check(text).unwrap_or_else(|e| panic!("a warning never rejects:\n{e}"));
    license_lab::report::use_rights::check(&Arc::new(sc), &places)
}

fn checks(text: &str) -> Vec<(Check, String)> {
    warnings(text)
        .into_iter()
        .map(|w| (w.check, w.lm))
        .collect()
}

fn head(license: &str, days: i64) -> String {
    format!("name = \"t\"\nstart = \"2026-01-05\"\ndays = {days}\n\n[license]\n{license}\n")
}

fn user_with(name: &str, access: &str, keys: &str) -> String {
    format!("[[user]]\nname = \"{name}\"\naccess = \"{access}\"\n{keys}\n\n")
}

fn one(check: Check, lm: &str) -> Vec<(Check, String)> {
    vec![(check, lm.to_string())]
}

// LM IV.A: "Professional Users are not available for external use by third parties".

#[test]
fn lm_iv_a_an_external_professional_user_is_warned_at_its_external_key() {
    let mut s = head("professional = 2\nanalyzer = 1", 3);
    s.push_str(&user_with("acme", "professional", "external = true"));
    let w = warnings(&s);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        (w[0].check, w[0].lm.as_str()),
        (Check::ExternalProfessional, "IV.A")
    );
    // `external = true` is line 11 of the file, column 12 its value.
    assert_eq!((w[0].line, w[0].column), (11, 12));
}

#[test]
fn lm_iv_a_an_external_analyzer_user_and_an_internal_professional_are_allowed() {
    let mut s = head("professional = 2\nanalyzer = 1", 3);
    s.push_str(&user_with("acme", "analyzer", "external = true"));
    s.push_str(&user_with("ann", "professional", "external = false"));
    s.push_str(&user_with("cap", "capacity", "external = true"));
    assert_eq!(checks(&s), vec![]);
}

#[test]
fn lm_iv_a_an_external_professional_cohort_is_warned_once() {
    let mut s = head("professional = 5", 3);
    s.push_str("[[cohort]]\nname = \"partners\"\ncount = 3\naccess = \"professional\"\nexternal = true\nvisits_per_month = 4\nvisit_length = \"10m\"\n\n");
    assert_eq!(checks(&s), one(Check::ExternalProfessional, "IV.A"));
}

#[test]
fn lm_iv_a_assigning_a_professional_allocation_to_an_external_user_is_warned() {
    let mut s = head("professional = 1\nanalyzer = 1", 3);
    s.push_str(&user_with("acme", "analyzer", "external = true"));
    s.push_str(&action(
        "day 1 09:00",
        "assign",
        "user = \"acme\"\nkind = \"professional\"",
    ));
    assert_eq!(checks(&s), one(Check::ExternalProfessional, "IV.A"));
    let analyzer = s.replace("kind = \"professional\"", "kind = \"analyzer\"");
    assert_eq!(checks(&analyzer), vec![]);
}

#[test]
fn lm_iv_a_dynamic_assignment_giving_an_external_user_a_professional_allocation_is_warned() {
    let mut s = head("professional = 1\nanalyzer = 1", 3);
    s.push_str(&user_with("acme", "dynamic", "external = true"));
    s.push_str(&visit("acme", "day 1 09:00", "10m", "logout", "web"));
    assert_eq!(checks(&s), one(Check::ExternalProfessional, "IV.A"));
    // NU-4 gives an Analyzer allocation when no Professional one is free: allowed.
    let mut taken = head("professional = 1\nanalyzer = 1", 3);
    taken.push_str(&user_with("ann", "professional", ""));
    taken.push_str(&user_with("acme", "dynamic", "external = true"));
    taken.push_str(&visit("acme", "day 1 09:00", "10m", "logout", "web"));
    assert_eq!(checks(&taken), vec![]);
}

// LM II.A: QAP is licensed by cores, minimum configuration 4; QAP for OEM is a subscription.

#[test]
fn lm_ii_a_qap_below_its_minimum_configuration_of_4_cores_is_warned() {
    let s = head("qap_edition = \"external\"\ncores = 3", 3);
    assert_eq!(checks(&s), one(Check::QapMinimumCores, "II.A"));
    let without = head("qap_edition = \"external\"", 3);
    assert_eq!(checks(&without), one(Check::QapMinimumCores, "II.A"));
}

#[test]
fn lm_ii_a_qap_on_4_cores_is_allowed() {
    assert_eq!(
        checks(&head("qap_edition = \"external\"\ncores = 4", 3)),
        vec![]
    );
}

#[test]
fn lm_ii_a_qap_for_oem_is_a_subscription_only() {
    let perpetual = head("qap_edition = \"oem\"\ncores = 4", 3);
    assert_eq!(checks(&perpetual), one(Check::QapLicenseModel, "II.A"));
    let subscription = head(
        "kind = \"subscription\"\nqap_edition = \"oem\"\ncores = 4",
        3,
    );
    assert_eq!(checks(&subscription), vec![]);
}

#[test]
fn lm_ii_a_an_unknown_qap_edition_is_an_error_at_its_line() {
    let s = head("qap_edition = \"internal\"\ncores = 4", 3);
    let e = license_lab::scenario::parse(&s).expect_err("an unknown edition");
    assert!(e.to_string().contains("line 6, column 15"), "{e}");
    assert!(e.to_string().contains("\"oem\" or \"external\""), "{e}");
}

// LM II.B: QAP is for external third parties, except testing and public anonymous access.

#[test]
fn lm_ii_b_an_internal_identified_qap_user_is_warned() {
    let mut s = head("tokens = 2\nqap_edition = \"external\"\ncores = 4", 3);
    s.push_str(&user_with("ann", "user_pass", ""));
    assert_eq!(checks(&s), one(Check::QapInternalUse, "II.B"));
}

#[test]
fn lm_ii_b_external_and_anonymous_qap_users_are_allowed() {
    let mut s = head("tokens = 2\nqap_edition = \"external\"\ncores = 4", 3);
    s.push_str(&user_with("acme", "user_pass", "external = true"));
    s.push_str("[[group]]\nname = \"web\"\ntokens = 1\n\n");
    s.push_str(&anon("public", "login:web"));
    assert_eq!(checks(&s), vec![]);
}

// LM I.D (II.A for QAP): cores licensed for every node with an engine.

#[test]
fn lm_i_d_a_node_with_an_engine_and_no_licensed_core_is_warned() {
    let mut s = head("tokens = 1\ncores = 4", 3);
    s.push_str("[[node]]\nname = \"central\"\nrole = \"central\"\nallocated_cores = 4\n\n[[node]]\nname = \"rim\"\n\n");
    assert_eq!(checks(&s), one(Check::NodeWithoutCores, "I.D"));
    let qap = s.replace(
        "tokens = 1\ncores = 4",
        "tokens = 1\ncores = 4\nqap_edition = \"external\"",
    );
    assert_eq!(checks(&qap), one(Check::NodeWithoutCores, "II.A"));
}

#[test]
fn lm_i_d_cores_split_over_the_engine_nodes_and_more_physical_cores_are_allowed() {
    // LM II.D's example: 4 cores over central, a user rim and a scheduler without an
    // engine, on servers with more capacity.
    let mut s = head("tokens = 1\ncores = 4", 3);
    s.push_str("[[node]]\nname = \"central\"\nrole = \"central\"\ncores = 8\n\n[[node]]\nname = \"rim\"\ncores = 16\n\n[[node]]\nname = \"scheduler\"\nengine = false\n\n");
    assert_eq!(checks(&s), vec![]);
}

// LM IV.E: a Display is not interactive and has no parallel connections.

#[test]
fn lm_iv_e_a_display_with_parallel_connections_is_warned() {
    let mut s = head("tokens = 1", 3);
    s.push_str(&user_with("wall", "user_pass", "display = true"));
    s.push_str(&visit("wall", "day 1 08:00", "2h", "logout", "east"));
    s.push_str(&visit("wall", "day 1 09:59", "2h", "logout", "west"));
    let w = warnings(&s);
    assert_eq!(w.len(), 1);
    assert_eq!(
        (w[0].check, w[0].lm.as_str()),
        (Check::DisplayParallel, "IV.E")
    );
    assert!(w[0].message.contains("day 1 09:59"), "{}", w[0].message);
}

#[test]
fn lm_iv_e_a_display_whose_screens_follow_each_other_is_allowed() {
    let mut s = head("tokens = 1", 3);
    s.push_str(&user_with("wall", "user_pass", "display = true"));
    s.push_str(&visit("wall", "day 1 08:00", "2h", "logout", "east"));
    // Ends at 10:00 as the next starts (TIME-3: the close first).
    s.push_str(&visit("wall", "day 1 10:00", "2h", "logout", "west"));
    // Two tabs on one device are one connection (CONN-0).
    s.push_str(&visit("wall", "day 2 08:00", "2h", "logout", "east"));
    s.push_str(&visit("wall", "day 2 09:00", "2h", "logout", "east"));
    assert_eq!(checks(&s), vec![]);
    // Not a Display: parallel connections are the user's right (UAP-2).
    assert_eq!(checks(&s.replace("display = true", "")), vec![]);
}

#[test]
fn lm_iv_e_an_interactive_display_is_warned() {
    let mut s = head("professional = 1\nanalyzer = 1", 3);
    s.push_str(&user_with(
        "kiosk",
        "analyzer",
        "display = true\ninteractive = true",
    ));
    assert_eq!(checks(&s), one(Check::DisplayInteractive, "IV.E"));
    assert_eq!(checks(&s.replace("interactive = true", "")), vec![]);
}

// LM IV.E: one user license to one service account.

#[test]
fn lm_iv_e_a_service_account_sharing_a_login_groups_passes_is_warned() {
    let mut s = head("tokens = 2", 3);
    s.push_str("[[group]]\nname = \"staff\"\ntokens = 1\n\n");
    s.push_str(&user_with("svc", "login:staff", "service_account = true"));
    s.push_str(&user_with("ann", "login:staff", ""));
    assert_eq!(checks(&s), one(Check::ServiceAccountShared, "IV.E"));
}

#[test]
fn lm_iv_e_a_service_account_on_its_own_license_is_allowed() {
    let mut s = head("tokens = 2", 3);
    s.push_str("[[group]]\nname = \"robots\"\ntokens = 1\n\n");
    s.push_str(&user_with("svc", "login:robots", "service_account = true"));
    s.push_str(&user_with("mail", "user_pass", "service_account = true"));
    assert_eq!(checks(&s), vec![]);
}

// LM IV.F: a multiplexing front end licenses every actual user behind it.

#[test]
fn lm_iv_f_a_front_end_with_fewer_licenses_than_its_users_is_warned() {
    let mut s = head("professional = 1\nanalyzer = 4", 3);
    s.push_str(&user_with("portal", "analyzer", "multiplexed_users = 5"));
    assert_eq!(checks(&s), one(Check::Multiplexing, "IV.F"));
    let enough = s.replace("analyzer = 4", "analyzer = 5");
    assert_eq!(checks(&enough), vec![]);
}

#[test]
fn lm_iv_f_a_front_end_on_login_passes_is_warned() {
    let mut s = head("tokens = 10", 3);
    s.push_str("[[group]]\nname = \"web\"\ntokens = 10\n\n");
    s.push_str(&user_with("portal", "login:web", "multiplexed_users = 2"));
    assert_eq!(checks(&s), one(Check::Multiplexing, "IV.F"));
    // One actual user is no multiplexing.
    assert_eq!(checks(&s.replace("= 2", "= 1")), vec![]);
}

// LM IV.C: named licenses quarantined 7 days, not recycled among a group of users.

/// ann uses the one Professional allocation on day 1, loses it at 12:00; ben gets it on
/// `ben_day` and uses it at 10:00.
fn handed_on(quarantine: &str, ben_day: i64) -> String {
    let mut s = head("professional = 1", 20);
    s.push_str(&format!("[settings]\nquarantine = \"{quarantine}\"\n\n"));
    s.push_str(&user_with("ann", "professional", ""));
    s.push_str(&user_with("ben", "dynamic", ""));
    s.push_str(&visit("ann", "day 1 09:00", "1h", "logout", "web"));
    s.push_str(&action(
        "day 1 12:00",
        "unassign",
        "user = \"ann\"\nkind = \"professional\"",
    ));
    s.push_str(&visit(
        "ben",
        &format!("day {ben_day} 10:00"),
        "1h",
        "logout",
        "web",
    ));
    s
}

#[test]
fn lm_iv_c_a_license_serving_another_user_within_7_days_of_its_last_use_is_warned() {
    // A 2-day quarantine lets ben use it on day 8: 7 days after ann's last use on day 1.
    let s = handed_on("2d", 8);
    let w = warnings(&s);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        (w[0].check, w[0].lm.as_str()),
        (Check::QuarantineDefeated, "IV.C")
    );
    // At the `quarantine` setting that allows it.
    assert_eq!(w[0].line, 8);
}

#[test]
fn lm_iv_c_a_license_serving_another_user_8_days_on_is_allowed() {
    // UAP-3: used on day 1, available again on day 9.
    assert_eq!(checks(&handed_on("2d", 9)), vec![]);
    // The LM's 7 days in the file: the engine keeps the quarantine, ben is refused.
    assert_eq!(checks(&handed_on("7d", 8)), vec![]);
}

#[test]
fn lm_iv_c_an_allocation_taken_from_a_user_given_to_another_and_back_is_warned() {
    let mut s = head("professional = 1", 30);
    s.push_str(&user_with("ann", "professional", ""));
    s.push_str(&user_with("ben", "analyzer", ""));
    s = s.replace("professional = 1", "professional = 1\nanalyzer = 1");
    s.push_str(&visit("ann", "day 1 09:00", "1h", "logout", "web"));
    let act = |at: &str, what: &str, who: &str| {
        action(
            at,
            what,
            &format!("user = \"{who}\"\nkind = \"professional\""),
        )
    };
    s.push_str(&act("day 1 12:00", "unassign", "ann"));
    s.push_str(&act("day 9 09:00", "assign", "ben"));
    let once = s.clone();
    // Handed on once, after the quarantine: allowed.
    assert_eq!(checks(&once), vec![]);
    s.push_str(&visit("ben", "day 9 10:00", "1h", "logout", "web"));
    s.push_str(&act("day 9 12:00", "unassign", "ben"));
    s.push_str(&act("day 17 09:00", "assign", "ann"));
    let w = warnings(&s);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!((w[0].check, w[0].lm.as_str()), (Check::Recycled, "IV.C"));
    assert!(w[0].message.contains("`ann`"), "{}", w[0].message);
}

#[test]
fn warnings_never_change_the_run() {
    let mut s = head("professional = 1\nanalyzer = 2", 3);
    s.push_str(&user_with(
        "acme",
        "professional",
        "external = true\ndisplay = true",
    ));
    s.push_str(&visit("acme", "day 1 09:00", "1h", "logout", "a"));
    s.push_str(&visit("acme", "day 1 09:30", "1h", "logout", "b"));
    let plain = s.replace("external = true\ndisplay = true", "");
    assert_eq!(warnings(&s).len(), 2);
    assert_eq!(log(&scenario(&s)), log(&scenario(&plain)));
}
