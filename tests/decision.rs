//! Sizing as a decision (issue 15): the curve of token counts against the seeds with a
//! refusal and the worst month's refusals, the sentence, the license models by cost.
//! SIZE-1's simulation: with at least ⌈peak / 10⌉ tokens a seed refuses no one, with
//! fewer it refuses someone.

use license_lab::scenario::{parse, Scenario};
use license_lab::tools::decision::{self, Decision, Plan};
use license_lab::tools::sizing::{self, simulate};

fn sizing_toml() -> Scenario {
    parse(include_str!("../examples/sizing.toml")).expect("valid")
}

/// 30 people who each log in once at 09:00 every weekday for 30 minutes, for 8 weeks:
/// 600 passes in use at the peak, exactly 60 tokens.
fn thirty_every_weekday(extra: &str) -> String {
    let mut s = format!(
        "name = \"30 daily\"\nstart = \"2026-01-05\"\ndays = 56\n\n[license]\ntokens = 100\n{extra}\n[[group]]\nname = \"daily\"\ntokens = 10\n"
    );
    for p in 1..=30 {
        s.push_str(&format!(
            "\n[[user]]\nname = \"p{p}\"\naccess = \"login:daily\"\n"
        ));
    }
    for day in (0..56).filter(|d| d % 7 < 5) {
        for p in 1..=30 {
            s.push_str(&format!(
                "\n[[visit]]\nuser = \"p{p}\"\nat = \"day {day} 09:00\"\nactive = \"30m\"\nends = \"logout\"\n"
            ));
        }
    }
    s
}

fn decision_of(sc: &Scenario, seeds: u64, max_denials: u64) -> Decision {
    simulate(sc, seeds, max_denials, 2)
        .expect("sizing")
        .decision
        .expect("a decision")
}

#[test]
fn size_1_simulation_a_seed_refuses_exactly_below_its_peak_over_ten() {
    // The curve's seeds with a refusal are the seeds whose peak needs more than the
    // count's passes: measured by running each count, predicted by the unlimited run.
    let sc = sizing_toml();
    let seeds = sizing::seeds_of(&sc, 12);
    let runs = sizing::run_seeds(&sc, &seeds, 2).expect("runs");
    let report = sizing::report(&sc, &runs, 0, 2).expect("report");
    let d = decision::decision(&sc, &report, &runs, 2).expect("decision");
    let curve = &d.curves[0];
    assert!(curve.points.len() >= 5, "{:?}", curve.points);
    for p in &curve.points {
        let predicted = runs
            .iter()
            .filter(|r| (r.needed[0] + 9) / 10 > p.tokens)
            .count() as u64;
        assert_eq!(p.seeds_refused, predicted, "at {} tokens", p.tokens);
        assert_eq!(
            p.seeds_refused == 0,
            p.worst_max == 0,
            "at {} tokens",
            p.tokens
        );
    }
}

#[test]
fn size_1_curve_the_share_with_a_refusal_never_grows_with_the_tokens() {
    for text in [
        include_str!("../examples/sizing.toml"),
        include_str!("../examples/q12-sizing-103-people.toml"),
        include_str!("../examples/q13-user-pass-or-login.toml"),
        include_str!("../examples/walkthrough.toml"),
    ] {
        let sc = parse(text).expect("valid");
        let d = decision_of(&sc, 8, 0);
        for c in &d.curves {
            for w in c.points.windows(2) {
                assert!(w[0].tokens < w[1].tokens, "{}: ascending tokens", c.name);
                assert!(
                    w[0].seeds_refused >= w[1].seeds_refused,
                    "{}: {} tokens refuse in {} seeds, {} in {}",
                    c.name,
                    w[0].tokens,
                    w[0].seeds_refused,
                    w[1].tokens,
                    w[1].seeds_refused
                );
                assert!(w[0].seeds_over >= w[1].seeds_over, "{}", c.name);
            }
        }
    }
}

#[test]
fn size_1_curve_no_refusal_from_the_recommendation_up_and_one_below_refuses() {
    let sc = sizing_toml();
    let r = simulate(&sc, 20, 0, 2).expect("sizing");
    let d = r.decision.as_ref().expect("decision");
    let c = &d.curves[0];
    let rec = r.groups[0].min_tokens.expect("a count");
    assert_eq!(c.recommended, rec);
    for p in c.points.iter().filter(|p| p.tokens >= rec) {
        assert_eq!((p.seeds_refused, p.worst_max), (0, 0), "at {}", p.tokens);
    }
    let below = c.at(rec - 1).expect("one below");
    assert!(below.seeds_refused > 0 && below.worst_max > 0);
    // The curve reaches down to a count at which every seed refuses someone.
    assert_eq!(c.points[0].seeds_refused, 20, "{:?}", c.points[0]);
    // The worst month of this example also falls as tokens grow (measured, not a rule).
    for w in c.points.windows(2) {
        assert!(w[0].worst_max >= w[1].worst_max && w[0].worst_mean >= w[1].worst_mean);
    }
}

#[test]
fn size_decision_sentence_reads_the_curve() {
    let sc = sizing_toml();
    let r = simulate(&sc, 20, 0, 2).expect("sizing");
    let d = r.decision.as_ref().expect("decision");
    let c = &d.curves[0];
    let rec = c.recommended;
    let below = c.at(rec - 1).expect("one below");
    assert_eq!(
        d.sentence,
        format!(
            "{rec} tokens: no refusal in 20 of 20 seeds; {}: a refusal in {} of 20, at most {} in a month",
            rec - 1,
            below.seeds_refused,
            below.worst_max
        )
    );
    let text = r.to_text();
    assert!(
        text.contains(&format!("\ndecision: {}\n", d.sentence)),
        "{text}"
    );
    assert!(text.contains(&format!("    {rec:>6}* ")), "{text}");
}

#[test]
fn size_decision_of_fixed_visits_is_one_run() {
    // Exactly 60 tokens: with 59 the 20th weekday of a 28-day window is short.
    let sc = parse(&thirty_every_weekday("")).expect("valid");
    let d = decision_of(&sc, 50, 0);
    assert_eq!(d.seeds, 1);
    let c = &d.curves[0];
    assert_eq!(c.recommended, 60);
    let below = c.at(59).expect("59");
    assert_eq!(below.seeds_refused, 1);
    assert_eq!(
        d.sentence,
        format!(
            "60 tokens: no refusal in the run; 59: a refusal in the run, at most {} in a month",
            below.worst_max
        )
    );
}

#[test]
fn size_decision_with_refusals_allowed_counts_the_seeds_over_the_limit() {
    let sc = parse(&thirty_every_weekday("")).expect("valid");
    let r = simulate(&sc, 1, 25, 1).expect("sizing");
    let d = r.decision.as_ref().expect("decision");
    let c = &d.curves[0];
    let rec = r.groups[0].min_tokens.expect("a count");
    assert!(rec < 60);
    let at = c.at(rec).expect("the recommendation");
    assert!(at.worst_max <= 25 && at.seeds_over == 0);
    assert!(c.at(rec - 1).expect("one below").worst_max > 25);
    // The curve reaches up to the count with no refusal at all.
    assert_eq!(c.at(60).expect("60").worst_max, 0);
    assert!(
        d.sentence.starts_with(&format!(
            "{rec} tokens: at most 25 refusals a month in the run; {}: more in the run",
            rec - 1
        )),
        "{}",
        d.sentence
    );
}

#[test]
fn size_decision_the_whole_license_adds_the_groups() {
    let sc = parse(include_str!("../examples/q13-user-pass-or-login.toml")).expect("valid");
    let d = decision_of(&sc, 6, 0);
    assert_eq!(d.curves.len(), sc.groups.len() + 1);
    let whole = d.curves.last().expect("whole");
    assert!(whole.whole);
    let groups = &d.curves[..sc.groups.len()];
    assert_eq!(
        whole.recommended,
        groups.iter().map(|c| c.recommended).sum::<i64>()
    );
    let at = whole.at(whole.recommended).expect("the recommendation");
    assert_eq!(at.seeds_refused, 0);
    // Below it, every group is one short: the license refuses in at least as many seeds
    // as its worst group, and its worst month is at least each group's.
    let under = &whole.points[whole
        .points
        .iter()
        .position(|p| p.tokens == whole.recommended)
        .unwrap()
        - 1];
    for g in groups {
        let p = g.at(g.recommended - 1).expect("one below");
        assert!(under.seeds_refused >= p.seeds_refused);
        assert!(under.worst_max >= p.worst_max);
    }
    assert!(d.sentence.contains(" tokens in all: "), "{}", d.sentence);
}

#[test]
fn size_decision_license_models_by_cost_cheapest_first() {
    // SIZE-2 puts all 30 (20 passes in 28 days each) on User Access Passes: 30 tokens at
    // 200 = 6000; 30 named users: 1 Professional at 500 + 29 Analyzer at 150 = 4850;
    // capacity packs not priced.
    let sc = parse(&thirty_every_weekday(
        "\n[prices]\ntoken = 200\nprofessional = 500\nanalyzer = 150\ncurrency = \"EUR\"\n",
    ))
    .expect("valid");
    let d = decision_of(&sc, 1, 0);
    let names: Vec<&str> = d.models.iter().map(|m| m.model.as_str()).collect();
    assert_eq!(
        names,
        [
            "Professional and Analyzer users",
            "Tokens (User Access Passes + login access groups)",
            "Analyzer Capacity"
        ]
    );
    assert_eq!(d.models[0].cost, Some(4850.0));
    assert_eq!(d.models[0].over_cheapest, Some(0.0));
    assert_eq!(d.models[1].cost, Some(6000.0));
    assert_eq!(d.models[1].over_cheapest, Some(1150.0));
    assert_eq!((d.models[2].cost, d.models[2].over_cheapest), (None, None));
    assert!(d.to_text().contains("  2. Tokens (User Access Passes + login access groups): 30 tokens (6000.00 EUR, 1150.00 EUR more)"), "{}", d.to_text());
}

#[test]
fn size_decision_csv_has_a_row_per_curve_and_count() {
    let sc = sizing_toml();
    let d = decision_of(&sc, 5, 0);
    let csv = d.to_csv();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("curve,tokens,recommended,seeds,seeds_with_refusal,share_with_refusal,seeds_over_allowed,worst_month_mean,worst_month_max")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), d.curves[0].points.len());
    assert_eq!(rows.iter().filter(|r| r[2] == "true").count(), 1);
    for (r, p) in rows.iter().zip(&d.curves[0].points) {
        assert_eq!(r[0], "workers");
        assert_eq!(r[1], p.tokens.to_string());
        assert_eq!(r[4], p.seeds_refused.to_string());
    }
}

#[test]
fn size_decision_does_not_depend_on_the_thread_count() {
    let sc = sizing_toml();
    let one = simulate(&sc, 6, 0, 1).expect("sizing").decision;
    let three = simulate(&sc, 6, 0, 3).expect("sizing").decision;
    assert_eq!(one, three);
    assert!(one.is_some());
}

#[test]
fn size_decision_plan_stays_at_or_above_zero_tokens() {
    let sc = parse(include_str!("../examples/walkthrough.toml")).expect("valid");
    let r = simulate(&sc, 1, 0, 1).expect("sizing");
    let d = r.decision.as_ref().expect("decision");
    let c = &d.curves[0];
    assert_eq!(c.points[0].tokens, 0);
    assert!(c.points.windows(2).all(|w| w[0].tokens < w[1].tokens));
    let runs = sizing::run_seeds(&sc, &[sc.seed], 1).expect("runs");
    let plan = Plan::of(&r, &runs);
    assert!(plan.offsets.contains(&0));
    assert!(plan
        .tokens(*plan.offsets.first().unwrap())
        .iter()
        .all(|t| *t >= 0));
}
