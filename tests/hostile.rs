//! Hostile input: each case either runs within the documented limits (README, "Limits")
//! or is refused with a clear message naming the line, never a panic.

use std::sync::Arc;

use license_lab::scenario::{limits, parse};

const HEAD: &str =
    "name = \"hostile\"\nstart = \"2026-01-01\"\ndays = 365\n\n[license]\ntokens = 100\n";

fn message(text: &str) -> String {
    match parse(text) {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_50_mb_file_is_refused_before_it_is_parsed() {
    let mut text = String::from(HEAD);
    let filler = "# ".to_string() + &"x".repeat(98) + "\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&filler);
    }
    let m = message(&text);
    assert!(
        m.contains("line 1, column 1") && m.contains("limit is 16 MB"),
        "{m}"
    );
}

#[test]
fn a_file_just_under_the_size_limit_loads() {
    let mut text = String::from(HEAD);
    let filler = "# ".to_string() + &"x".repeat(98) + "\n";
    while text.len() + filler.len() + 100 < limits::MAX_TEXT_BYTES {
        text.push_str(&filler);
    }
    text.push_str("\n[[group]]\nname = \"g\"\ntokens = 1\n");
    assert!(parse(&text).is_ok());
}

/// The shortest way to write `n` visits: one inline array.
fn inline_visits(n: u32) -> String {
    let mut text =
        String::from("name = \"hostile\"\nstart = \"2026-01-01\"\ndays = 365\nvisit = [\n");
    for i in 0..n {
        let m = (u64::from(i) * 7919) % (364 * 1440);
        text.push_str(&format!(
            "{{user=\"u{}\",at=\"day {} {:02}:{:02}\",active=\"{}m\"}},\n",
            i % 1000,
            m / 1440,
            (m % 1440) / 60,
            m % 60,
            5 + i % 50
        ));
    }
    text.push_str("]\n\n[license]\ntokens = 100\n\n[[group]]\nname = \"g\"\ntokens = 100\n");
    for u in 0..1000 {
        text.push_str(&format!(
            "\n[[user]]\nname = \"u{u}\"\naccess = \"login:g\"\n"
        ));
    }
    text
}

#[test]
fn a_million_explicit_visits_are_refused_by_size_with_the_way_out() {
    let m = message(&inline_visits(1_000_000));
    assert!(
        m.contains("limit is 16 MB") && m.contains("[[cohort]]"),
        "{m}"
    );
}

#[test]
fn the_most_explicit_visits_that_fit_load_and_run() {
    let text = inline_visits(300_000);
    assert!(text.len() < limits::MAX_TEXT_BYTES, "{}", text.len());
    let sc = Arc::new(parse(&text).expect("300,000 visits"));
    assert_eq!(sc.visits.len(), 300_000);
    let last = license_lab::report::timeline::state_at(&sc, sc.end());
    assert!(
        last.totals.denied > 0,
        "1000 passes cannot carry 300,000 visits"
    );
}

#[test]
fn a_million_visits_from_a_cohort_run() {
    let text = "name = \"big\"\nstart = \"2026-01-05\"\ndays = 365\n\n[license]\ntokens = 10000\n\n[[group]]\nname = \"g\"\ntokens = 10000\n\n[[cohort]]\nname = \"w\"\ncount = 25000\naccess = \"login:g\"\nvisits_per_month = 3.5\nvisit_length = \"30m\"\n";
    let sc = Arc::new(parse(text).expect("a big cohort"));
    assert!(sc.visits.len() > 1_000_000, "{}", sc.visits.len());
    let last = license_lab::report::timeline::state_at(&sc, sc.end());
    assert!(last.totals.passes_consumed > 1_000_000);
}

#[test]
fn ten_thousand_groups_run() {
    let mut text = String::from(HEAD).replace("tokens = 100", "tokens = 20000");
    for g in 0..10_000 {
        text.push_str(&format!("\n[[group]]\nname = \"g{g}\"\ntokens = 2\n"));
    }
    text.push_str("\n[[user]]\nname = \"u\"\naccess = \"login:g9999\"\n\n[[visit]]\nuser = \"u\"\nat = \"day 1 09:00\"\nactive = \"5m\"\n");
    let sc = Arc::new(parse(&text).expect("10,000 groups"));
    let s = license_lab::report::timeline::state_at(&sc, sc.end());
    assert_eq!(s.tokens.login_groups, 20_000);
    assert_eq!(s.groups.0.len(), 10_000);
}

#[test]
fn too_many_groups_are_refused_with_a_line() {
    let mut text = String::from(HEAD);
    for g in 0..=limits::MAX_GROUPS {
        text.push_str(&format!("[[group]]\nname = \"g{g}\"\n"));
    }
    let m = message(&text);
    assert!(m.contains("too many groups"), "{m}");
}

#[test]
fn durations_of_100_years_run_and_longer_are_refused() {
    let text = format!(
        "{HEAD}\n[settings]\nquarantine = \"36525d\"\ninactivity_timeout = \"36525d\"\n\n[[user]]\nname = \"a\"\naccess = \"user_pass\"\n\n[[visit]]\nuser = \"a\"\nat = \"day 1 09:00\"\nactive = \"36525d\"\nends = \"timeout\"\n\n[[action]]\nat = \"day 2 00:00\"\ndo = \"remove_user_pass\"\nuser = \"a\"\n"
    );
    let sc = Arc::new(parse(&text).expect("100-year durations"));
    let s = license_lab::report::timeline::state_at(&sc, sc.end());
    assert_eq!(s.tokens.pending, 1);
    let m = message(&text.replace("quarantine = \"36525d\"", "quarantine = \"36526d\""));
    assert!(m.contains("line 9") && m.contains("100 years"), "{m}");
    let m = message(&text.replace("days = 365", "days = 99999"));
    assert!(
        m.contains("line 3") && m.contains("`days` is too large"),
        "{m}"
    );
}

#[test]
fn times_before_the_start_are_refused() {
    let text = format!("{HEAD}\n[[user]]\nname = \"a\"\naccess = \"user_pass\"\n\n[[action]]\nat = \"2025-12-31T23:59\"\ndo = \"remove_user_pass\"\nuser = \"a\"\n");
    let m = message(&text);
    assert!(
        m.contains("line 13") && m.contains("outside the simulated period"),
        "{m}"
    );
}

#[test]
fn duplicate_names_are_refused() {
    let text = format!("{HEAD}\n[[group]]\nname = \"g\"\n\n[[group]]\nname = \"g\"\n");
    let m = message(&text);
    assert!(
        m.contains("line 12") && m.contains("duplicate group name"),
        "{m}"
    );
    let text = format!("{HEAD}\n[[user]]\nname = \"w-1\"\naccess = \"user_pass\"\n\n[[cohort]]\nname = \"w\"\ncount = 2\naccess = \"user_pass\"\nvisits_per_month = 1\nvisit_length = \"5m\"\n");
    let m = message(&text);
    assert!(
        m.contains("w-1") && m.contains("name of another user"),
        "{m}"
    );
}

#[test]
fn non_utf8_text_is_reported_at_its_line() {
    let mut bytes = HEAD.as_bytes().to_vec();
    bytes.extend_from_slice(b"\n[[group]]\nname = \"\xff\xfe\"\n");
    let dir = std::env::temp_dir().join(format!("license-lab-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("latin1.toml");
    std::fs::write(&f, &bytes).unwrap();
    let err = license_lab::cli::load(f.to_str().unwrap()).unwrap_err();
    assert!(
        err.contains("line 9, column 9") && err.contains("not UTF-8"),
        "{err}"
    );
}

#[test]
fn deeply_nested_toml_is_refused() {
    let text = format!("{HEAD}x = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
    let m = message(&text);
    assert!(m.contains("line 7"), "{m}");
}

#[test]
fn a_cohort_that_would_generate_too_many_visits_is_refused() {
    let text = format!("{HEAD}\n[[group]]\nname = \"g\"\n\n[[cohort]]\nname = \"w\"\ncount = 2000000\naccess = \"login:g\"\nvisits_per_month = 10000\nvisit_length = \"5m\"\n");
    let m = message(&text);
    assert!(m.contains("limit"), "{m}");
}
