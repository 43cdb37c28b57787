//! Sizing (SIZE-1, SIZE-2) and sizing by simulation.

use license_lab::scenario::parse;
use license_lab::tools::decision;
use license_lab::tools::sizing::{self, simulate};

/// 30 people who each log in once at 09:00 every weekday for 30 minutes and log out,
/// for 8 weeks starting on a Monday.
fn thirty_every_weekday(group_tokens: i64) -> String {
    let mut s = format!(
        "name = \"30 daily\"\nstart = \"2026-01-05\"\ndays = 56\n\n[license]\ntokens = 100\n\n[[group]]\nname = \"daily\"\ntokens = {group_tokens}\n"
    );
    for p in 1..=30 {
        s.push_str(&format!(
            "\n[[user]]\nname = \"p{p}\"\naccess = \"login:daily\"\n"
        ));
    }
    for day in 0..56 {
        if day % 7 >= 5 {
            continue;
        }
        for p in 1..=30 {
            s.push_str(&format!(
                "\n[[visit]]\nuser = \"p{p}\"\nat = \"day {day} 09:00\"\nactive = \"30m\"\nends = \"logout\"\n"
            ));
        }
    }
    s
}

#[test]
fn size_1_the_walkthrough_estimate() {
    assert_eq!(sizing::size1(103, 4, 20), Some(50));
}

#[test]
fn sizing_search_returns_the_count_the_rules_imply() {
    // Every 28-day window holds 20 weekdays: 30 people x 20 passes = 600 passes in use at
    // the peak, so exactly 60 tokens; with 59 the 20th weekday is short of 10 passes.
    let sc = parse(&thirty_every_weekday(10)).expect("valid");
    let r = simulate(&sc, 3, 0, 2).expect("sizing");
    let g = &r.groups[0];
    assert_eq!(g.min_tokens, Some(60));
    assert_eq!(g.needed_passes.max, 600.0);
    // With 10 tokens in the file, the scenario as written is short.
    assert!(g.denied.max > 0.0);
    // SIZE-1 from the measured passes: 20 per 28 days.
    assert_eq!(g.size1_passes, 20);
    assert_eq!(g.size1_tokens, 72);
    // Everyone uses 20 passes in 28 days: SIZE-2 puts all 30 on User Access Passes.
    assert_eq!(g.uap_people.len(), 30);
    assert_eq!(g.uap_rest_tokens, Some(0));
}

#[test]
fn sizing_the_answer_really_has_no_refusal_and_one_less_has() {
    for (tokens, refused) in [(60, false), (59, true)] {
        let sc = std::sync::Arc::new(parse(&thirty_every_weekday(tokens)).expect("valid"));
        let last = license_lab::report::timeline::state_at(&sc, sc.end());
        assert_eq!(
            last.totals.denied + last.totals.discontinued > 0,
            refused,
            "{tokens}"
        );
    }
}

#[test]
fn sizing_search_with_allowed_denials_matches_brute_force() {
    let text = thirty_every_weekday(60);
    let sc = parse(&text).expect("valid");
    let allowed = 25;
    let r = simulate(&sc, 1, allowed, 1).expect("sizing");
    let found = r.groups[0].min_tokens.expect("a count");
    assert!(r.groups[0].search_steps > 0);
    // Brute force: the worst month's refusals for every count around the answer.
    let worst = |k: i64| {
        let mut s = sc.clone();
        s.groups[0].tokens = k;
        let mut sim = license_lab::engine::Simulation::new(std::sync::Arc::new(s), false);
        sim.advance_to(sim.end());
        sim.group_stats()[0]
            .refused_by_month
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
    };
    assert!(u64::from(worst(found)) <= allowed);
    assert!(u64::from(worst(found - 1)) > allowed);
    assert!(found < 60);
}

#[test]
fn sizing_does_not_depend_on_the_thread_count() {
    let sc = parse(include_str!("../examples/sizing.toml")).expect("valid");
    let one = serde_json::to_string(&simulate(&sc, 8, 0, 1).expect("sizing")).unwrap();
    let four = serde_json::to_string(&simulate(&sc, 8, 0, 4).expect("sizing")).unwrap();
    assert_eq!(one, four);
}

#[test]
fn sizing_toml_prints_the_simulation_and_size_1s_50() {
    let sc = parse(include_str!("../examples/sizing.toml")).expect("valid");
    let r = simulate(&sc, 50, 0, 2).expect("sizing");
    let g = &r.groups[0];
    assert_eq!(g.people, 103);
    assert_eq!(g.size1_passes, 4);
    assert_eq!(g.size1_tokens, 50);
    let text = r.to_text();
    assert!(text.contains("SIZE-1:             50 tokens"), "{text}");
    assert!(text.contains("is the smallest count"), "{text}");
    // The file's 50 tokens carry this population: available passes never reach zero.
    assert_eq!(g.denied.max, 0.0);
    assert!(g.min_tokens.expect("count") <= 50);
}

#[test]
fn size_2_heavy_users_move_to_user_passes_and_save_tokens() {
    // 20 light users (one visit a week) and 3 heavy ones (every weekday, 2 hours).
    let mut s = String::from(
        "name = \"mix\"\nstart = \"2026-01-05\"\ndays = 56\n\n[license]\ntokens = 100\n\n[[group]]\nname = \"g\"\ntokens = 30\n",
    );
    for p in 1..=20 {
        s.push_str(&format!(
            "\n[[user]]\nname = \"light{p}\"\naccess = \"login:g\"\n"
        ));
    }
    for p in 1..=3 {
        s.push_str(&format!(
            "\n[[user]]\nname = \"heavy{p}\"\naccess = \"login:g\"\n"
        ));
    }
    for day in 0..56 {
        if day % 7 >= 5 {
            continue;
        }
        for p in 1..=3 {
            s.push_str(&format!(
                "\n[[visit]]\nuser = \"heavy{p}\"\nat = \"day {day} 09:00\"\nactive = \"2h\"\nends = \"logout\"\n"
            ));
        }
        if day % 7 == 2 {
            for p in 1..=20 {
                s.push_str(&format!(
                    "\n[[visit]]\nuser = \"light{p}\"\nat = \"day {day} 14:00\"\nactive = \"20m\"\nends = \"logout\"\n"
                ));
            }
        }
    }
    let sc = parse(&s).expect("valid");
    let r = simulate(&sc, 1, 0, 1).expect("sizing");
    let g = &r.groups[0];
    // Heavy: 2 passes a weekday = 40 per 28 days; light: 4 per 28 days.
    // All on login passes: (3 × 40 + 20 × 4) / 10 = 20 tokens.
    assert_eq!(g.min_tokens, Some(20));
    assert_eq!(g.uap_people, vec!["heavy1", "heavy2", "heavy3"]);
    assert_eq!(g.uap_rest_tokens, Some(8));
    assert!(r.to_text().contains("User Access Pass for these 3 people, login group of 8 tokens for the rest: 11 tokens, 9 fewer"));
}

#[test]
fn seeds_run_apart_and_reported_together_give_the_same_report() {
    // The app runs seeds in several workers and hands the results to `report`.
    let sc = parse(include_str!("../examples/sizing.toml")).expect("valid");
    let seeds = sizing::seeds_of(&sc, 6);
    let first = sizing::run_seed(&sc, seeds[0], None).expect("first seed");
    let heavy = first.heavy.clone();
    let mut runs = vec![first];
    for s in &seeds[1..] {
        let r = sizing::run_seed(&sc, *s, Some(&heavy)).expect("seed");
        // As a worker would send it.
        let json = serde_json::to_string(&r).unwrap();
        runs.push(serde_json::from_str(&json).unwrap());
    }
    let mut apart = sizing::report(&sc, &runs, 0, 1).expect("report");
    assert!(
        apart.decision.is_none(),
        "report leaves the decision to its caller"
    );
    // The decision's seeds apart too, as the workers run them, then decided together.
    let plan = decision::Plan::of(&apart, &runs);
    let curves: Vec<decision::SeedCurve> = seeds
        .iter()
        .rev()
        .map(|s| decision::run_seed_curve(&sc, *s, &plan).expect("curve"))
        .map(|c| serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    apart.decision = Some(decision::decide(&apart, &plan, &curves));
    let together = simulate(&sc, 6, 0, 2).expect("sizing");
    assert_eq!(
        serde_json::to_string(&apart).unwrap(),
        serde_json::to_string(&together).unwrap()
    );
}

/// A history: `n` identified login users with `visits` one-hour visits each on weekdays,
/// one User Access Pass holder who comes once, one who comes every day.
fn history(n: usize, tokens: i64) -> String {
    let mut t = format!(
        "name = \"history\"\nstart = \"2026-03-02\"\ndays = 28\n\n[license]\ntokens = {}\n\n[[group]]\nname = \"g\"\ntokens = {tokens}\n\n[[user]]\nname = \"once\"\naccess = \"user_pass\"\n\n[[user]]\nname = \"daily\"\naccess = \"user_pass\"\n",
        tokens + 2
    );
    for i in 0..n {
        t.push_str(&format!(
            "\n[[user]]\nname = \"u{i}\"\naccess = \"login:g\"\n"
        ));
    }
    t.push_str("\n[[visit]]\nuser = \"once\"\nat = \"day 3 10:00\"\nactive = \"20m\"\n");
    for d in 0..28 {
        t.push_str(&format!(
            "\n[[visit]]\nuser = \"daily\"\nat = \"day {d} 08:00\"\nactive = \"9h\"\n"
        ));
    }
    for d in (0..28).filter(|d| d % 7 < 5) {
        for i in 0..n {
            t.push_str(&format!(
                "\n[[visit]]\nuser = \"u{i}\"\nat = \"day {d} {:02}:00\"\nactive = \"50m\"\nends = \"logout\"\n",
                9 + i % 8
            ));
        }
    }
    t
}

#[test]
fn fixed_visits_are_sized_from_one_run() {
    let sc = parse(&history(5, 1)).expect("valid");
    let r = simulate(&sc, 50, 0, 2).expect("sizing");
    assert!(r.fixed);
    assert_eq!(r.seeds, 1);
    assert!(r
        .to_text()
        .starts_with("sizing by simulation: history (fixed visits: one run"));
}

#[test]
fn a_history_says_when_the_group_ran_dry() {
    // 12 people, one pass each per weekday (at 09:00, 09:00, 10:00, 10:00, … 15:00),
    // 1 token = 10 passes: the 11th consumption, day 0 at 15:00, finds none left.
    let sc = parse(&history(12, 1)).expect("valid");
    let r = simulate(&sc, 1, 0, 1).expect("sizing");
    let g = &r.groups[0];
    assert_eq!(g.runs_dry.as_deref(), Some("2026-03-02T15:00"));
    assert!(r
        .to_text()
        .contains("runs dry:           2026-03-02T15:00, the first pass beyond its 1 tokens"));
    // Enough tokens: it never runs dry.
    let big = parse(&history(12, 30)).expect("valid");
    assert_eq!(
        simulate(&big, 1, 0, 1).expect("sizing").groups[0].runs_dry,
        None
    );
}

#[test]
fn size_2_the_other_way_round_names_the_light_user_pass_holders() {
    let sc = parse(&history(3, 2)).expect("valid");
    let r = simulate(&sc, 1, 0, 1).expect("sizing");
    let review = r.user_passes.expect("a review");
    assert_eq!(review.holders, 2);
    assert_eq!(review.lighter, ["once"]);
    assert_eq!(review.lighter_tokens, 1);
}

#[test]
fn growth_adds_people_like_ours_deterministically() {
    use license_lab::tools::growth::grow;
    let sc = parse(&history(10, 3)).expect("valid");
    let a = grow(&sc, 20, 7).expect("grown");
    let b = grow(&sc, 20, 7).expect("grown");
    assert_eq!(a, b, "the same seed gives the same people");
    assert_ne!(a, grow(&sc, 20, 8).expect("grown"));
    // 12 people with visits: 20% is 3 (rounded up) new people.
    assert_eq!(a.users.len(), sc.users.len() + 3);
    for u in &a.users[sc.users.len()..] {
        assert!(u.name.starts_with("grown-"));
        let id = a.user_id(&u.name).expect("id");
        let n = a.visits.iter().filter(|v| v.user == id).count();
        let like = sc
            .users
            .iter()
            .position(|s| s.access == u.access)
            .expect("a source of that access");
        assert!(n > 0, "{} has the visits of a source (like {like})", u.name);
    }
    assert!(a.visits.iter().all(|v| v.at >= 0 && v.at < a.end()));
    assert_eq!(a.explicit_visits as usize, a.visits.len());
    // More people need at least as many tokens.
    let base = simulate(&sc, 1, 0, 1).expect("sizing").groups[0].min_tokens;
    let grown = simulate(&a, 1, 0, 1).expect("sizing").groups[0].min_tokens;
    assert!(grown >= base, "{grown:?} < {base:?}");
}

#[test]
fn size_2_a_split_that_saves_no_token_is_not_offered_and_says_why() {
    // heavy: 11 passes in 28 days (one visit a day); nine light users one pass each.
    // All on login passes: 20 passes at once, 2 tokens. Split: 1 User Access Pass and a
    // 1-token group for the nine: 2 tokens, no fewer.
    let mut s = String::from(
        "name = \"even\"\nstart = \"2026-01-05\"\ndays = 28\n\n[license]\ntokens = 10\n\n[[group]]\nname = \"g\"\ntokens = 5\n\n[[user]]\nname = \"heavy\"\naccess = \"login:g\"\n",
    );
    for p in 1..=9 {
        s.push_str(&format!(
            "\n[[user]]\nname = \"light{p}\"\naccess = \"login:g\"\n"
        ));
        s.push_str(&format!(
            "\n[[visit]]\nuser = \"light{p}\"\nat = \"day 2 1{p}:00\"\nactive = \"10m\"\n"
        ));
    }
    for day in 1..=11 {
        s.push_str(&format!(
            "\n[[visit]]\nuser = \"heavy\"\nat = \"day {day} 08:00\"\nactive = \"10m\"\n"
        ));
    }
    let sc = parse(&s).expect("valid");
    let r = simulate(&sc, 1, 0, 1).expect("sizing");
    let g = &r.groups[0];
    assert_eq!(g.min_tokens, Some(2));
    let split = g.split().expect("a heavy user");
    assert_eq!(
        (split.people, split.rest_tokens, split.total, split.saves),
        (1, 1, 2, 0)
    );
    let text = r.to_text();
    assert!(
        text.contains("SIZE-2:             no split: 1 person uses more than 10 passes in 28 days, but User Access Passes for them and a login group of 1 token for the rest make 2 tokens, not fewer than 2"),
        "{text}"
    );
    // The two passes-per-person figures say which is which.
    assert!(text.contains("is the average of"), "{text}");
    assert!(
        text.contains("in their busiest 28 days") || r.cohorts.is_empty(),
        "{text}"
    );
    assert!(text.contains("refused connections per run"), "{text}");
}
