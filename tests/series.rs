//! The charts' data (`report::series`): every value is the State at its time, so a chart
//! reads what the state panel and `license-lab state` say there; denials and
//! discontinuations are counted from the log; capacity and Core minutes per calendar
//! month. And the State JSON the app reads back is the State the engine wrote.

use std::fs;
use std::sync::Arc;

use license_lab::engine::events::Kind;
use license_lab::report::series::{Series, EXACT_EVENTS};
use license_lab::report::state::State;
use license_lab::report::timeline::Recording;
use license_lab::scenario::parse;

fn example(file: &str) -> Recording {
    let text = fs::read_to_string(format!("examples/{file}")).expect("example file");
    let sc = parse(&text).unwrap_or_else(|e| panic!("{file} does not parse: {e}"));
    Recording::new(Arc::new(sc))
}

fn examples() -> Vec<(String, Recording)> {
    let mut files: Vec<String> = fs::read_dir("examples")
        .expect("examples/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| (f.clone(), example(&f)))
        .collect()
}

/// Every count of the series, with its name, to check them all alike.
fn counts(s: &Series) -> Vec<(String, &Vec<i64>)> {
    let mut out: Vec<(String, &Vec<i64>)> = vec![
        ("total".into(), &s.total),
        ("free".into(), &s.free),
        ("user_passes".into(), &s.user_passes),
        ("login_groups".into(), &s.login_groups),
        ("pending".into(), &s.pending),
        ("uap_allocated".into(), &s.uap_allocated),
        ("uap_quarantined".into(), &s.uap_quarantined),
    ];
    for seat in &s.seats {
        out.push((format!("{}.total", seat.name), &seat.total));
        out.push((format!("{}.assigned", seat.name), &seat.assigned));
        out.push((format!("{}.quarantined", seat.name), &seat.quarantined));
    }
    for g in &s.groups {
        out.push((format!("{}.passes", g.name), &g.passes));
        out.push((format!("{}.available", g.name), &g.available));
        out.push((format!("{}.used", g.name), &g.used));
        out.push((format!("{}.retiring", g.name), &g.retiring));
    }
    out
}

/// The values the series gives at its `i`-th time, read from a State as the state panel
/// reads it.
fn from_state(s: &Series, st: &State) -> Vec<i64> {
    let mut out = vec![
        st.tokens.total,
        st.tokens.free,
        st.tokens.user_passes,
        st.tokens.login_groups,
        st.tokens.pending,
        st.user_passes.allocated,
        st.user_passes.quarantined,
    ];
    for seat in &s.seats {
        let c = if seat.name == "Professional" {
            &st.professional
        } else {
            &st.analyzer
        };
        out.extend([c.total, c.assigned, c.quarantined]);
    }
    for g in &s.groups {
        let c = st.groups.get(&g.name).expect("group in state");
        out.extend([c.passes, c.available, c.used, c.retiring]);
    }
    out
}

#[test]
fn series_times_run_from_the_start_to_the_end_in_order() {
    for (file, rec) in examples() {
        let s = Series::of(&rec);
        assert_eq!(s.times.first(), Some(&0), "{file}");
        assert_eq!(s.times.last(), Some(&rec.scenario.end()), "{file}");
        assert!(s.times.windows(2).all(|w| w[0] < w[1]), "{file}: times");
        for (name, v) in counts(&s) {
            assert_eq!(v.len(), s.times.len(), "{file}: {name}");
        }
    }
}

#[test]
fn series_values_are_the_state_at_their_time() {
    for (file, rec) in examples() {
        let s = Series::of(&rec);
        // Every point on short runs would be slow in a debug build: a spread of them.
        let step = (s.times.len() / 60).max(1);
        for i in (0..s.times.len()).step_by(step).chain([s.times.len() - 1]) {
            let st = rec.state_at(s.times[i]);
            let got: Vec<i64> = counts(&s).iter().map(|(_, v)| v[i]).collect();
            assert_eq!(got, from_state(&s, &st), "{file} at minute {}", s.times[i]);
        }
    }
}

#[test]
fn series_of_a_short_run_has_a_point_at_every_event() {
    let rec = example("q07-access-denied.toml");
    assert!(rec.events.len() <= EXACT_EVENTS);
    let s = Series::of(&rec);
    assert!(s.exact);
    for e in &rec.events {
        assert!(s.times.binary_search(&e.at).is_ok(), "no point at {}", e.at);
    }
}

#[test]
fn series_of_a_long_run_is_a_regular_sample() {
    // 60 people connecting every 20 minutes for 4 days: far more events than an exact
    // series takes.
    let mut text = "name = \"busy\"\nstart = \"2026-03-02\"\ndays = 5\n\n[license]\ntokens = 50\n\n[[group]]\nname = \"g\"\ntokens = 10\n".to_string();
    for u in 0..60 {
        text.push_str(&format!(
            "\n[[user]]\nname = \"u{u}\"\naccess = \"login:g\"\n"
        ));
    }
    for u in 0..60 {
        for day in 1..=4 {
            for h in 8..18 {
                for m in [0, 20, 40] {
                    text.push_str(&format!(
                        "\n[[visit]]\nuser = \"u{u}\"\nat = \"day {day} {h:02}:{m:02}\"\nactive = \"10m\"\nends = \"logout\"\n"
                    ));
                }
            }
        }
    }
    let sc = parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let rec = Recording::new(Arc::new(sc));
    assert!(
        rec.events.len() > EXACT_EVENTS,
        "{} events",
        rec.events.len()
    );
    let s = Series::of(&rec);
    assert!(!s.exact);
    let every = s.times[1];
    assert!(every > 1);
    for (i, w) in s.times.windows(2).enumerate() {
        if i + 2 < s.times.len() {
            assert_eq!(w[1] - w[0], every, "regular at {i}");
        }
    }
    assert_eq!(s.total.last(), Some(&rec.final_state.tokens.total));
    assert_eq!(s.free.last(), Some(&rec.final_state.tokens.free));
    // Markers are per sampling step: at multiples of it.
    assert!(s.markers.iter().all(|m| m.at % every == 0));
}

#[test]
fn series_markers_count_every_denial_and_discontinuation() {
    for (file, rec) in examples() {
        let s = Series::of(&rec);
        let count = |k: Kind| rec.events.iter().filter(|e| e.kind() == k).count() as u32;
        let denied: u32 = s.markers.iter().map(|m| m.denied).sum();
        let discontinued: u32 = s.markers.iter().map(|m| m.discontinued).sum();
        assert_eq!(denied, count(Kind::Denied), "{file}: denied");
        assert_eq!(
            discontinued,
            count(Kind::Discontinued),
            "{file}: discontinued"
        );
        assert!(s.markers.windows(2).all(|w| w[0].at < w[1].at), "{file}");
        assert!(s.markers.iter().all(|m| m.denied + m.discontinued > 0));
    }
    let q07 = Series::of(&example("q07-access-denied.toml"));
    assert_eq!(
        q07.markers.iter().map(|m| m.denied).sum::<u32>(),
        3,
        "UAP-2, CONN-1 and UAP-1 each refuse once"
    );
}

#[test]
fn series_months_carry_each_month_s_capacity_and_core_minutes() {
    for (file, rec) in examples() {
        let s = Series::of(&rec);
        assert!(!s.months.is_empty(), "{file}");
        assert_eq!(s.months[0].start, 0, "{file}");
        assert_eq!(s.months.last().map(|m| m.end), Some(rec.scenario.end()));
        for w in s.months.windows(2) {
            assert_eq!(w[0].end, w[1].start, "{file}: months follow each other");
        }
        for m in &s.months {
            assert_eq!(m.overage, (m.used - m.quota).max(0), "{file} {}", m.month);
        }
        // The last month's minutes are the final State's (CAP-1, CORE-1).
        let last = s.months.last().expect("a month");
        let fin = &rec.final_state;
        assert_eq!(last.month, fin.capacity.month, "{file}");
        assert_eq!(last.used, fin.capacity.used, "{file}: capacity");
        assert_eq!(last.overage, fin.capacity.overage, "{file}: overage");
        assert_eq!(last.core_used, fin.core.used, "{file}: core");
    }
    let q09 = Series::of(&example("q09-capacity-runs-out.toml"));
    assert!(q09.months.iter().any(|m| m.used > 0), "capacity is used");
}

#[test]
fn series_seats_only_for_the_kinds_the_license_has() {
    let mut with_seats = 0;
    for (file, rec) in examples() {
        let s = Series::of(&rec);
        let fin = &rec.final_state;
        let names: Vec<&str> = s.seats.iter().map(|x| x.name.as_str()).collect();
        let has = |c: &license_lab::report::state::SeatCounts| c.total > 0 || c.assigned > 0;
        with_seats += usize::from(!s.seats.is_empty());
        if has(&fin.professional) {
            assert!(names.contains(&"Professional"), "{file}");
        }
        if has(&fin.analyzer) {
            assert!(names.contains(&"Analyzer"), "{file}");
        }
        let names: Vec<&str> = s.groups.iter().map(|g| g.name.as_str()).collect();
        let in_file: Vec<&str> = rec
            .scenario
            .groups
            .iter()
            .map(|g| g.name.as_str())
            .collect();
        assert_eq!(names, in_file, "{file}: groups in file order");
    }
    assert!(
        with_seats > 0,
        "some example has Professional or Analyzer seats"
    );
}

#[test]
fn series_json_round_trip() {
    let s = Series::of(&example("q09-capacity-runs-out.toml"));
    let json = serde_json::to_string(&s).expect("json");
    let back: Series = serde_json::from_str(&json).expect("read back");
    assert_eq!(back, s);
}

/// The app reads the State JSON the worker writes as the same `State` (no copy of its
/// types): every example's states, at every minute of a spread and at the end, with
/// nodes, deployments and costs where the scenario has them.
#[test]
fn state_json_round_trip() {
    let mut extras = [false; 3];
    for (file, rec) in examples() {
        let end = rec.scenario.end();
        for at in (0..=end).step_by((end / 20).max(1) as usize).chain([end]) {
            let st = rec.state_at(at);
            extras[0] |= st.nodes.is_some();
            extras[1] |= st.deployments.is_some();
            extras[2] |= st.costs.is_some();
            for json in [st.to_json(), st.to_json_pretty()] {
                let back: State = serde_json::from_str(&json)
                    .unwrap_or_else(|e| panic!("{file} at {at}: {e}\n{json}"));
                assert_eq!(back, st, "{file} at {at}");
                assert_eq!(back.to_json(), st.to_json(), "{file} at {at}: same bytes");
            }
        }
    }
    assert_eq!(
        extras, [true; 3],
        "nodes, deployments and costs were read back"
    );
}

#[test]
fn state_json_keeps_the_order_of_groups_and_nodes() {
    let rec = example("nodes.toml");
    let st = &rec.final_state;
    let back: State = serde_json::from_str(&st.to_json()).expect("read back");
    let names = |s: &State| {
        s.nodes
            .as_ref()
            .map(|n| n.0.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>())
    };
    assert_eq!(names(&back), names(st));
    let in_file: Vec<String> = rec.scenario.nodes.iter().map(|n| n.name.clone()).collect();
    assert_eq!(names(&back), Some(in_file));
}
