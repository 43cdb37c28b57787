//! Cohorts: deterministic expansion from the seed, and the generator's statistics.

use license_lab::base::time::{time_of_day, weekday, MINUTES_PER_DAY};
use license_lab::scenario::{parse, Ends, Scenario};

fn cohort(extra: &str, count: u32, days: i64, seed: u64) -> Scenario {
    let text = format!(
        "name = \"c\"\nstart = \"2026-01-05\"\ndays = {days}\nseed = {seed}\n\n[license]\ntokens = 10\n\n[[group]]\nname = \"g\"\ntokens = 10\n\n[[cohort]]\nname = \"w\"\ncount = {count}\naccess = \"login:g\"\nvisits_per_month = 4\nvisit_length = \"40m\"\nvisit_length_spread = \"15m\"\n{extra}\n"
    );
    parse(&text).expect("valid cohort scenario")
}

#[test]
fn cohort_mean_visits_per_month_within_2_percent() {
    let sc = cohort("", 5000, 360, 1);
    let months = 360.0 / 30.0;
    let per_person_month = sc.visits.len() as f64 / 5000.0 / months;
    assert!((per_person_month - 4.0).abs() < 0.08, "{per_person_month}");
}

#[test]
fn cohort_mean_visits_per_month_on_weekdays_only_within_2_percent() {
    let sc = cohort("weekdays = true", 5000, 364, 2);
    let per_person_month = sc.visits.len() as f64 / 5000.0 / (364.0 / 30.0);
    assert!((per_person_month - 4.0).abs() < 0.08, "{per_person_month}");
}

#[test]
fn cohort_mean_length_within_2_percent_and_spread_within_10_percent() {
    let sc = cohort("", 5000, 360, 3);
    let n = sc.visits.len() as f64;
    let mean = sc.visits.iter().map(|v| v.active as f64).sum::<f64>() / n;
    let var = sc
        .visits
        .iter()
        .map(|v| (v.active as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    assert!((mean - 40.0).abs() < 0.8, "mean {mean}");
    assert!((var.sqrt() - 15.0).abs() < 1.5, "sd {}", var.sqrt());
    assert!(sc.visits.iter().all(|v| v.active >= 1));
}

#[test]
fn cohort_no_visit_starts_outside_hours_or_on_a_weekend() {
    let sc = cohort("hours = \"08:00-18:00\"\nweekdays = true", 2000, 120, 4);
    assert!(!sc.visits.is_empty());
    for v in &sc.visits {
        let t = time_of_day(v.at);
        assert!((480..1080).contains(&t), "start {t}");
        assert!(weekday(&sc.clock, v.at) < 5, "weekend visit at {}", v.at);
        assert!(v.at < sc.end());
    }
}

#[test]
fn cohort_zero_spread_gives_the_exact_length() {
    let text = "name = \"c\"\nstart = \"2026-01-05\"\ndays = 30\n\n[[group]]\nname = \"g\"\ntokens = 0\n\n[[cohort]]\nname = \"w\"\ncount = 50\naccess = \"login:g\"\nvisits_per_month = 2\nvisit_length = \"25m\"\n";
    let sc = parse(text).expect("valid");
    assert!(sc.visits.iter().all(|v| v.active == 25));
}

#[test]
fn cohort_ends_shares() {
    let sc = cohort("ends = { logout = 0.6, timeout = 0.4 }", 3000, 120, 5);
    let n = sc.visits.len() as f64;
    let logout = sc.visits.iter().filter(|v| v.ends == Ends::Logout).count() as f64 / n;
    let close = sc.visits.iter().filter(|v| v.ends == Ends::Close).count();
    assert!((logout - 0.6).abs() < 0.02, "{logout}");
    assert_eq!(close, 0);
}

#[test]
fn cohort_devices_open_each_visit_on_several_devices() {
    let sc = cohort("devices = 2", 100, 60, 6);
    let mut by_start = std::collections::HashMap::new();
    for v in &sc.visits {
        by_start
            .entry((v.user, v.at))
            .or_insert_with(Vec::new)
            .push(v.device);
    }
    assert!(by_start.values().all(|d| d.len() % 2 == 0));
    assert_eq!(
        sc.devices
            .iter()
            .filter(|d| d.starts_with("device-"))
            .count(),
        2
    );
}

#[test]
fn cohort_same_seed_same_visits_other_seed_other_visits() {
    let a = cohort("", 300, 90, 7);
    let b = cohort("", 300, 90, 7);
    let c = cohort("", 300, 90, 8);
    assert_eq!(a.visits, b.visits);
    assert_ne!(a.visits, c.visits);
}

#[test]
fn cohort_members_are_named_and_explicit_visits_can_name_them() {
    let text = "name = \"c\"\nstart = \"2026-01-05\"\ndays = 30\n\n[license]\ntokens = 1\n\n[[group]]\nname = \"g\"\ntokens = 1\n\n[[cohort]]\nname = \"w\"\ncount = 3\naccess = \"login:g\"\nvisits_per_month = 0\nvisit_length = \"25m\"\n\n[[visit]]\nuser = \"w-3\"\nat = \"day 1 09:00\"\nactive = \"10m\"\n";
    let sc = parse(text).expect("valid");
    assert_eq!(
        sc.users.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        vec!["w-1", "w-2", "w-3"]
    );
    assert_eq!(sc.visits.len(), 1);
    assert_eq!(sc.user_name(sc.visits[0].user), "w-3");
}

#[test]
fn reseeding_keeps_explicit_visits_and_redraws_the_cohort() {
    let text = "name = \"c\"\nstart = \"2026-01-05\"\ndays = 60\n\n[license]\ntokens = 1\n\n[[group]]\nname = \"g\"\ntokens = 1\n\n[[user]]\nname = \"sam\"\naccess = \"login:g\"\n\n[[cohort]]\nname = \"w\"\ncount = 20\naccess = \"login:g\"\nvisits_per_month = 3\nvisit_length = \"25m\"\n\n[[visit]]\nuser = \"sam\"\nat = \"day 1 09:00\"\nactive = \"10m\"\n";
    let sc = parse(text).expect("valid");
    let again = license_lab::scenario::cohort::reseed(&sc, sc.seed).expect("reseed");
    assert_eq!(again.visits, sc.visits);
    let other = license_lab::scenario::cohort::reseed(&sc, 99).expect("reseed");
    assert_ne!(other.visits, sc.visits);
    assert_eq!(
        other
            .visits
            .iter()
            .filter(|v| sc.user_name(v.user) == "sam")
            .count(),
        1
    );
    let _ = MINUTES_PER_DAY;
}
