//! Property tests over random scenarios: the rule book's invariants hold after every
//! event (TOK-1, available + used − retiring = passes, no negative counts, no connection
//! on an allocation its user does not hold), and a scenario run twice gives identical
//! output.

use std::sync::Arc;

use license_lab::engine::Simulation;
use license_lab::report::state::State;
use license_lab::scenario::parse;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Spec {
    days: i64,
    tokens: i64,
    professional: i64,
    analyzer: i64,
    packs: i64,
    core_minutes: i64,
    overage: u8,
    groups: Vec<i64>,
    users: Vec<(u8, bool)>,
    visits: Vec<(usize, i64, i64, u8, u8)>,
    actions: Vec<(i64, u8, usize, i64)>,
    window: i64,
    ret_hours: i64,
    quarantine_hours: i64,
    max_conn: i64,
    cooldown: i64,
    per_user: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (
            3i64..20,
            0i64..25,
            0i64..3,
            0i64..3,
            0i64..2,
            0i64..60,
            0u8..3,
        ),
        proptest::collection::vec(0i64..4, 0..3),
        proptest::collection::vec((0u8..7, any::<bool>()), 1..7),
        proptest::collection::vec((0usize..7, 0i64..100_000, 0i64..200, 0u8..3, 0u8..3), 0..40),
        proptest::collection::vec((0i64..100_000, 0u8..9, 0usize..7, 0i64..6), 0..8),
        (
            1i64..90,
            1i64..200,
            0i64..100,
            // `max_connections = 0` is valid: every capped connection is refused.
            0i64..6,
            0i64..10,
            any::<bool>(),
        ),
    )
        .prop_map(|(lic, groups, users, visits, actions, settings)| Spec {
            days: lic.0,
            tokens: lic.1,
            professional: lic.2,
            analyzer: lic.3,
            packs: lic.4,
            core_minutes: lic.5,
            overage: lic.6,
            groups,
            users,
            visits,
            actions,
            window: settings.0,
            ret_hours: settings.1,
            quarantine_hours: settings.2,
            max_conn: settings.3,
            cooldown: settings.4,
            per_user: settings.5,
        })
}

fn day_time(m: i64) -> String {
    format!("day {} {:02}:{:02}", m / 1440, (m % 1440) / 60, m % 60)
}

fn to_toml(s: &Spec) -> String {
    let mut t = format!(
        "name = \"random\"\nstart = \"2026-01-20\"\ndays = {}\n\n[license]\ntokens = {}\nprofessional = {}\nanalyzer = {}\nanalyzer_capacity_packs = {}\ncore_minutes = {}\noverage = {}\n",
        s.days,
        s.tokens,
        s.professional,
        if s.professional > 0 { s.analyzer } else { 0 },
        if s.professional > 0 { s.packs } else { 0 },
        s.core_minutes,
        match s.overage {
            0 => "\"none\"".to_string(),
            1 => "\"unlimited\"".to_string(),
            _ => "30".to_string(),
        }
    );
    t.push_str(&format!(
        "\n[settings]\nlogin_pass_window = \"{}m\"\nlogin_pass_return = \"{}h\"\nquarantine = \"{}h\"\nmax_connections = {}\nconnection_cooldown = \"{}m\"\ncapacity_parallel = \"{}\"\n",
        s.window,
        s.ret_hours,
        s.quarantine_hours,
        s.max_conn,
        s.cooldown,
        if s.per_user { "per_user" } else { "per_device" }
    ));
    for (i, g) in s.groups.iter().enumerate() {
        t.push_str(&format!("\n[[group]]\nname = \"g{i}\"\ntokens = {g}\n"));
    }
    let n_users = s.users.len();
    let mut anonymous_users = Vec::new();
    for (i, (kind, anon)) in s.users.iter().enumerate() {
        let (access, anonymous) = match kind {
            0 | 1 if !s.groups.is_empty() => (format!("login:g{}", i % s.groups.len()), *anon),
            0..=2 => ("user_pass".to_string(), false),
            3 if s.professional > 0 => ("professional".to_string(), false),
            // UAP-1: an anonymous dynamic user is valid (NU-4 gives it only capacity).
            4 if s.professional > 0 => ("dynamic".to_string(), *anon),
            5 if s.professional > 0 => ("capacity".to_string(), *anon),
            6 => ("core".to_string(), *anon),
            _ => ("user_pass".to_string(), false),
        };
        anonymous_users.push(anonymous);
        t.push_str(&format!(
            "\n[[user]]\nname = \"u{i}\"\naccess = \"{access}\"\nidentity = \"{}\"\n",
            if anonymous { "anonymous" } else { "identified" }
        ));
    }
    let end = s.days * 1440;
    for (u, at, active, ends, device) in &s.visits {
        let u = u % n_users;
        let at = at % end;
        let ends = ["logout", "close", "timeout"][*ends as usize];
        t.push_str(&format!(
            "\n[[visit]]\nuser = \"u{u}\"\nat = \"{}\"\nactive = \"{active}m\"\nends = \"{ends}\"\ndevice = \"d{device}\"\n",
            day_time(at)
        ));
    }
    for (at, kind, u, n) in &s.actions {
        // Up to two days past the end: accepted and never applied.
        let at = at % (end + 2 * 1440);
        let u = u % n_users;
        let anonymous_user = anonymous_users[u];
        let body = match kind {
            0 if !anonymous_user => format!("do = \"allocate_user_pass\"\nuser = \"u{u}\""),
            1 if !anonymous_user => format!("do = \"remove_user_pass\"\nuser = \"u{u}\""),
            2 if !anonymous_user => format!("do = \"reinstate_user_pass\"\nuser = \"u{u}\""),
            3 if !s.groups.is_empty() => format!(
                "do = \"set_group_tokens\"\ngroup = \"g{}\"\ntokens = {n}",
                u % s.groups.len()
            ),
            4 => format!("do = \"set_tokens\"\ntokens = {}", n * 5),
            5 if !anonymous_user => {
                format!("do = \"assign\"\nuser = \"u{u}\"\nkind = \"professional\"")
            }
            6 if !anonymous_user => {
                format!("do = \"unassign\"\nuser = \"u{u}\"\nkind = \"professional\"")
            }
            7 if !anonymous_user => {
                format!("do = \"reinstate\"\nuser = \"u{u}\"\nkind = \"professional\"")
            }
            _ => format!("do = \"set_tokens\"\ntokens = {}", s.tokens + n),
        };
        t.push_str(&format!(
            "\n[[action]]\nat = \"{}\"\n{body}\n",
            day_time(at)
        ));
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn invariants_hold_after_every_event(s in spec()) {
        let text = to_toml(&s);
        let sc = match parse(&text) {
            Ok(sc) => Arc::new(sc),
            Err(e) => panic!("generated scenario rejected: {e}\n{text}"),
        };
        let mut sim = Simulation::new(sc.clone(), true);
        let end = sim.end();
        let mut last_totals = sim.totals().clone();
        while sim.step(end) {
            if let Err(why) = sim.check_invariants() {
                panic!("after event at minute {}: {why}\n{text}", sim.now());
            }
            let st = State::of(&sim);
            for (name, g) in &st.groups.0 {
                prop_assert_eq!(g.available + g.used - g.retiring, g.passes, "group {}", name);
                prop_assert!(g.available >= 0 && g.used >= 0 && g.retiring >= 0);
            }
            let t = &st.tokens;
            prop_assert_eq!(t.free + t.user_passes + t.login_groups + t.pending, t.total);
            prop_assert!(t.free >= 0 && t.pending >= 0);
            prop_assert!(st.capacity.used >= 0 && st.core.used >= 0 && st.connections >= 0);
            // NU-4: without packs there is no Analyzer Capacity, whatever the overage.
            prop_assert!(st.capacity.quota > 0 || st.capacity.used == 0);
            // Monotone totals.
            let tt = &st.totals;
            prop_assert!(tt.passes_consumed >= last_totals.passes_consumed);
            prop_assert!(tt.denied >= last_totals.denied);
            prop_assert!(tt.discontinued >= last_totals.discontinued);
            last_totals = tt.clone();
        }
    }

    #[test]
    fn the_same_scenario_run_twice_gives_identical_output(s in spec()) {
        let text = to_toml(&s);
        let a = Arc::new(parse(&text).expect("valid"));
        let b = Arc::new(parse(&text).expect("valid"));
        let ea = license_lab::report::timeline::events(&a);
        let eb = license_lab::report::timeline::events(&b);
        prop_assert_eq!(ea, eb);
        let ra = license_lab::report::timeline::run(&a, 360);
        let rb = license_lab::report::timeline::run(&b, 360);
        prop_assert_eq!(ra, rb);
    }

    #[test]
    fn the_recording_gives_the_same_state_as_a_direct_run(s in spec(), probe in 0i64..100_000) {
        let text = to_toml(&s);
        let sc = Arc::new(parse(&text).expect("valid"));
        let at = probe % (sc.end() + 1);
        let rec = license_lab::report::timeline::Recording::new(sc.clone());
        prop_assert_eq!(rec.state_at(at), license_lab::report::timeline::state_at(&sc, at));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, .. ProptestConfig::default() })]

    /// The sizing's capacity pricing (CAP-2 without the event queue) agrees with the
    /// engine's own metering, month by month.
    #[test]
    fn capacity_demand_matches_the_engine(
        visits in proptest::collection::vec((0usize..4, 0i64..40_000, 0i64..90, 0u8..3, 0u8..2), 1..40),
        per_user in any::<bool>(),
        block in 1i64..10,
        anonymous in any::<bool>(),
    ) {
        // The demand models no parallel cap (CONN-1): none is reached here.
        let mut t = format!(
            "name = \"cap\"\nstart = \"2026-01-25\"\ndays = 30\n\n[license]\nprofessional = 1\nanalyzer_capacity_packs = 1\noverage = \"unlimited\"\n\n[settings]\ncapacity_block = \"{block}m\"\ncapacity_parallel = \"{}\"\nmax_connections = 1000\n",
            if per_user { "per_user" } else { "per_device" }
        );
        for u in 0..4 {
            t.push_str(&format!(
                "\n[[user]]\nname = \"c{u}\"\naccess = \"capacity\"\nidentity = \"{}\"\n",
                if anonymous && u == 3 { "anonymous" } else { "identified" }
            ));
        }
        for (u, at, active, ends, device) in &visits {
            let ends = ["logout", "close", "timeout"][*ends as usize];
            t.push_str(&format!(
                "\n[[visit]]\nuser = \"c{u}\"\nat = \"{}\"\nactive = \"{active}m\"\nends = \"{ends}\"\ndevice = \"d{device}\"\n",
                day_time(*at)
            ));
        }
        let sc = Arc::new(parse(&t).expect("valid"));
        let demand = license_lab::rules::capacity::demand_by_month(&sc, |_| true);
        let mut sim = Simulation::new(sc.clone(), false);
        sim.advance_to(sim.end());
        let engine: Vec<i64> = sim.capacity_months().iter().map(|m| m.used).collect();
        let mut demand = demand;
        demand.resize(engine.len().max(demand.len()), 0);
        let mut engine = engine;
        engine.resize(demand.len(), 0);
        prop_assert_eq!(demand, engine, "\n{}", t);
    }
}
