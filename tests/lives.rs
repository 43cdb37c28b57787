//! Lives and reasons (`report::lives`, `report::reasons`): the walkthrough's pass lanes
//! read as the token walkthrough tells them; on every example and on random scenarios
//! the lanes agree with the state at every minute (available, used, retiring per group;
//! allocations held and in quarantine; open connections), every count's reasons add up
//! to the count, and the tally's series are the state's counts.

mod common;

use std::sync::Arc;

use license_lab::base::rng::Pcg32;
use license_lab::base::time::MINUTES_PER_DAY;
use license_lab::engine::events::What;
use license_lab::report::lives::{Held, Lives, Run, Window, NONE};
use license_lab::report::reasons;
use license_lab::report::tally::Tally;
use license_lab::report::timeline::Recording;
use license_lab::scenario::{parse, Scenario, Seat};
use proptest::prelude::*;

fn examples() -> Vec<(String, Arc<Scenario>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out: Vec<(String, Arc<Scenario>)> = std::fs::read_dir(&dir)
        .expect("examples/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let sc = parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, Arc::new(sc))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn walkthrough() -> Recording {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/walkthrough.toml"),
    )
    .expect("walkthrough");
    Recording::new(common::scenario(&text))
}

fn day(m: i64) -> i64 {
    m / MINUTES_PER_DAY
}

#[test]
fn lap_7_walkthrough_lanes_day_1_two_day_15_one_day_25_one_back_on_29_43_53() {
    let rec = walkthrough();
    let run = Run::of(&rec);
    let lives = Lives::build(&run);
    let view = lives
        .passes(&run, 0, Window::default())
        .expect("group analysts");
    assert_eq!(
        (view.group.as_str(), view.passes, view.block),
        ("analysts", 10, 1)
    );
    assert_eq!(view.lanes.len(), 10);
    let bars: Vec<(u32, i64, i64, i64, bool)> = view
        .lanes
        .iter()
        .flat_map(|l| {
            l.uses.iter().map(move |u| {
                (
                    l.pass,
                    day(u.consumed),
                    u.live_until - u.consumed,
                    day(u.returns),
                    u.returned,
                )
            })
        })
        .collect();
    // Passes 1 and 2 on day 1 (LAP-2, then LAP-3 an hour later), pass 3 on day 15 (one
    // pass for two devices, LAP-5), pass 4 on day 25 (LAP-4); each live 60 minutes,
    // back 28 days later (LAP-7); passes 5 to 10 never used.
    assert_eq!(
        bars,
        vec![
            (1, 1, 60, 29, true),
            (2, 1, 60, 29, true),
            (3, 15, 60, 43, true),
            (4, 25, 60, 53, true),
        ]
    );
    let first = &view.lanes[0].uses[0];
    assert_eq!(first.user, "sam");
    assert_eq!(
        rec.scenario.clock.format(first.consumed),
        "2026-03-02T09:00"
    );
    assert_eq!(rec.scenario.clock.format(first.returns), "2026-03-30T09:00");
    assert!(view.lanes[4..].iter().all(|l| l.uses.is_empty()));
    // From the log: the return on day 43 opens pass 3's lane.
    let ret = rec
        .events
        .iter()
        .position(|e| day(e.at) == 43 && matches!(e.what, What::PassReturned { .. }))
        .expect("a return on day 43");
    assert_eq!(
        lives.lanes_of(&run, ret as u32),
        [license_lab::report::lives::LaneRef::Pass {
            group: "analysts".into(),
            pass: 3
        }]
    );
    let reuse = rec
        .events
        .iter()
        .position(|e| matches!(e.what, What::PassReused { .. }))
        .expect("a reuse");
    assert_eq!(
        serde_json::to_string(&lives.lanes_of(&run, reuse as u32)).unwrap(),
        r#"[{"lane":"pass","group":"analysts","pass":3},{"lane":"person","user":"sam"}]"#
    );
}

#[test]
fn lap_5_walkthrough_person_two_devices_on_one_pass() {
    let rec = walkthrough();
    let run = Run::of(&rec);
    let lives = Lives::build(&run);
    let sam = rec.scenario.user_id("sam").expect("sam");
    let p = lives.person(&run, sam, Window::default()).expect("sam");
    assert_eq!(p.access, "login:analysts");
    let devices: Vec<&str> = p.devices.iter().map(|d| d.device.as_str()).collect();
    assert_eq!(devices, ["web", "laptop", "ipad"]);
    let passes = |d: usize, c: usize| -> Vec<(u32, bool)> {
        p.devices[d].connections[c]
            .passes
            .iter()
            .map(|x| (x.pass, x.reused))
            .collect()
    };
    // Day 1: pass 1, renewed onto pass 2 (LAP-3).
    assert_eq!(passes(0, 0), [(1, false), (2, false)]);
    // Day 25: pass 4, then the same pass again within the hour (LAP-4).
    assert_eq!(passes(0, 1), [(4, false)]);
    assert_eq!(passes(0, 2), [(4, true)]);
    // Day 15: the laptop consumes pass 3, the iPad shares it (LAP-5).
    assert_eq!(passes(1, 0), [(3, false)]);
    assert_eq!(passes(2, 0), [(3, true)]);
    assert!(p.refused.is_empty() && p.discontinued.is_empty());
}

#[test]
fn reasons_walkthrough_four_used_on_day_26() {
    let rec = walkthrough();
    let run = Run::of(&rec);
    let lives = Lives::build(&run);
    let at = rec.scenario.clock.parse_time("day 26 00:00").unwrap();
    let r = reasons::reasons(&run, &lives, at, "groups.analysts.used", 50).unwrap();
    assert_eq!(r.count, 4);
    assert_eq!(r.label, "4 passes used in analysts");
    assert_eq!(
        r.reasons[0].line,
        "pass 1 consumed 03-02 09:00 by sam (returns 03-30 09:00)"
    );
    assert_eq!(
        r.reasons[1].line,
        "pass 2 consumed 03-02 10:00 by sam, hourly renewal (returns 03-30 10:00)"
    );
    let free = reasons::reasons(&run, &lives, at, "tokens.free", 50).unwrap();
    let lines: Vec<(i64, &str)> = free
        .reasons
        .iter()
        .map(|r| (r.value, r.line.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            (10, "10 tokens of the license (the scenario)"),
            (-1, "1 held by analysts (allocated 03-01 00:00)")
        ]
    );
    // A limit keeps the latest and sums the rest.
    let r = reasons::reasons(&run, &lives, at, "groups.analysts.available", 2).unwrap();
    assert_eq!(r.count, 6);
    assert_eq!(r.reasons.len(), 2);
    let earlier = r.earlier.expect("earlier reasons");
    assert_eq!((earlier.reasons, earlier.value), (3, 8));
}

#[test]
fn reasons_unknown_count_is_an_error() {
    let rec = walkthrough();
    let run = Run::of(&rec);
    let lives = Lives::build(&run);
    assert!(reasons::reasons(&run, &lives, 0, "tokens.colour", 5).is_err());
    assert!(reasons::reasons(&run, &lives, 0, "groups.nobody.used", 5)
        .unwrap_err()
        .contains("nobody"));
}

/// The State JSON value at a key path.
fn value(state: &serde_json::Value, key: &str) -> i64 {
    let v = if let Some(rest) = key.strip_prefix("groups.") {
        let (name, count) = rest.rsplit_once('.').expect("groups.NAME.count");
        &state["groups"][name][count]
    } else {
        key.split('.').fold(state, |v, k| &v[k])
    };
    v.as_i64()
        .unwrap_or_else(|| panic!("{key} is not a count: {v}"))
}

/// Every check of the lanes and reasons against the engine's state at minute `at`.
fn check_at(name: &str, rec: &Recording, lives: &Lives, at: i64) {
    let run = Run::of(rec);
    let sc = &rec.scenario;
    let state = serde_json::to_value(rec.state_at(at)).unwrap();
    let bound = run.upto(at);
    let when = sc.clock.format(at);
    for g in &lives.groups {
        let gname = sc.group_name(g.group);
        let mut available = 0;
        let mut in_use = 0;
        let mut retiring = 0;
        for lane in 0..g.lanes() {
            if g.joined[lane as usize] >= bound {
                continue;
            }
            let live: Vec<_> = g
                .uses_of(lane)
                .filter(|u| u.event < bound && (u.returned == NONE || u.returned >= bound))
                .collect();
            assert!(
                live.len() <= 1,
                "{name} {when}: pass {lane} of {gname} out twice"
            );
            let gone = g.left[lane as usize].is_some_and(|l| l.event < bound);
            match live.first() {
                Some(u) if u.retiring < bound => retiring += 1,
                Some(_) => in_use += 1,
                None if !gone => available += 1,
                None => {}
            }
        }
        let counts = &state["groups"][gname];
        assert_eq!(
            available, counts["available"],
            "{name} {when}: {gname} available"
        );
        assert_eq!(
            in_use + retiring,
            counts["used"],
            "{name} {when}: {gname} used"
        );
        assert_eq!(
            retiring, counts["retiring"],
            "{name} {when}: {gname} retiring"
        );
    }
    let held = |seat: Seat, quarantined: bool| {
        lives
            .allocations
            .iter()
            .filter(|a| a.seat == seat)
            .filter(|a| match a.held_at(bound) {
                Held::Allocated(_) => !quarantined,
                Held::Quarantined(_) => quarantined,
                Held::Free => false,
            })
            .count() as i64
    };
    assert_eq!(
        held(Seat::UserPass, false),
        value(&state, "user_passes.allocated")
    );
    assert_eq!(
        held(Seat::UserPass, true),
        value(&state, "user_passes.quarantined")
    );
    assert_eq!(
        held(Seat::Professional, false),
        value(&state, "professional.assigned")
    );
    assert_eq!(
        held(Seat::Analyzer, true),
        value(&state, "analyzer.quarantined")
    );
    assert_eq!(
        lives.open_at(bound).count() as i64,
        value(&state, "connections"),
        "{name} {when}: open connections"
    );
    let keys = reasons::keys(sc);
    for key in &keys {
        let r = reasons::reasons(&run, lives, at, key, 3)
            .unwrap_or_else(|e| panic!("{name}: {key}: {e}"));
        let sum: i64 = r.reasons.iter().map(|x| x.value).sum::<i64>()
            + r.earlier.as_ref().map_or(0, |e| e.value);
        assert_eq!(sum, r.count, "{name} {when} {key}: the shares add up");
        assert_eq!(
            r.count,
            value(&state, key),
            "{name} {when} {key}: {:?}",
            r.reasons
        );
        for x in &r.reasons {
            if let Some(e) = x.event {
                assert!(e < bound, "{name} {when} {key}: a reason after the cursor");
            }
        }
    }
}

/// The tally's series agree with the state at `at`.
fn check_tally(name: &str, rec: &Recording, t: &Tally, at: i64) {
    let st = rec.state_at(at);
    let when = rec.scenario.clock.format(at);
    let groups = |f: fn(&license_lab::report::state::GroupCounts) -> i64| -> i64 {
        st.groups.0.iter().map(|(_, g)| f(g)).sum()
    };
    let pairs = [
        ("total", t.total.at(at), st.tokens.total),
        ("free", t.free.at(at), st.tokens.free),
        ("user_passes", t.user_passes.at(at), st.tokens.user_passes),
        (
            "login_groups",
            t.login_groups.at(at),
            st.tokens.login_groups,
        ),
        ("pending", t.pending.at(at), st.tokens.pending),
        (
            "uap quarantined",
            t.uap_quarantined.at(at),
            st.user_passes.quarantined,
        ),
        ("passes", t.passes.at(at), groups(|g| g.passes)),
        ("available", t.available.at(at), groups(|g| g.available)),
        ("used", t.used.at(at), groups(|g| g.used)),
        ("retiring", t.retiring.at(at), groups(|g| g.retiring)),
        (
            "assigned",
            t.assigned.at(at),
            st.professional.assigned + st.analyzer.assigned,
        ),
        (
            "seats quarantined",
            t.seats_quarantined.at(at),
            st.professional.quarantined + st.analyzer.quarantined,
        ),
        ("capacity", t.capacity.at(at), st.capacity.used),
        ("core", t.core.at(at), st.core.used),
        ("connections", t.connections.at(at), st.connections),
        (
            "passes_consumed",
            t.passes_consumed.at(at),
            st.totals.passes_consumed,
        ),
        ("denied", t.denied.at(at), st.totals.denied),
        (
            "discontinued",
            t.discontinued.at(at),
            st.totals.discontinued,
        ),
        (
            "refusals",
            t.refusals.at(at),
            st.totals.denied + st.totals.discontinued,
        ),
    ];
    for (what, tally, state) in pairs {
        assert_eq!(tally, state, "{name} {when}: tally of {what}");
    }
}

/// The tally's peaks (within a minute too) are the summary's.
fn check_peaks(name: &str, rec: &Recording, t: &Tally) {
    assert_eq!(
        t.used.peak(),
        rec.summary.peak_used_passes,
        "{name}: peak used"
    );
    assert_eq!(
        t.connections.peak(),
        rec.summary.peak_connections,
        "{name}: peak connections"
    );
}

/// Links name the right events: each connection opens on its user's opening event and
/// closes on a `Disconnected` of the same user and device.
fn check_links(name: &str, rec: &Recording, lives: &Lives) {
    for (n, c) in lives.connections.iter().enumerate() {
        let open = &rec.events[c.opened as usize];
        assert_eq!(
            open.user,
            Some(c.user),
            "{name}: connection {n} opens on another user's event"
        );
        assert!(
            matches!(
                open.what,
                What::Connected { .. }
                    | What::PassConsumed { .. }
                    | What::PassReused { .. }
                    | What::CoreJoined { .. }
                    | What::CoreSession { .. }
            ),
            "{name}: connection {n} opens on {:?}",
            open.what
        );
        if c.closed != NONE {
            let close = &rec.events[c.closed as usize];
            assert_eq!(close.user, Some(c.user), "{name}: connection {n}");
            assert!(
                matches!(close.what, What::Disconnected { device, .. } if device == c.device),
                "{name}: connection {n} closes on {:?}",
                close.what
            );
        }
    }
}

/// Minutes to check: every minute with an event (and the one before it) in a small run,
/// else a seeded sample; both ends always.
fn minutes(rec: &Recording, seed: u64) -> Vec<i64> {
    let end = rec.scenario.end();
    let mut m: Vec<i64> = rec.events.iter().flat_map(|e| [e.at, e.at - 1]).collect();
    m.extend([0, end]);
    m.retain(|t| (0..=end).contains(t));
    m.sort_unstable();
    m.dedup();
    if m.len() > 60 {
        let mut rng = Pcg32::new(seed, 3);
        let sample: Vec<i64> = (0..40)
            .map(|_| m[rng.below(m.len() as u32) as usize])
            .collect();
        m = [vec![0, end], sample].concat();
    }
    m
}

#[test]
fn lanes_and_reasons_agree_with_the_state_on_every_example() {
    for (i, (name, sc)) in examples().into_iter().enumerate() {
        let rec = Recording::new(sc);
        let lives = Lives::build(&Run::of(&rec));
        check_links(&name, &rec, &lives);
        let tally = Tally::of(&Run::of(&rec));
        check_peaks(&name, &rec, &tally);
        for at in minutes(&rec, i as u64 + 1) {
            check_at(&name, &rec, &lives, at);
            check_tally(&name, &rec, &tally, at);
        }
    }
}

#[test]
fn uap_3_allocation_lanes_show_the_quarantine_and_the_reinstatement() {
    let (_, sc) = examples()
        .into_iter()
        .find(|(n, _)| n == "quarantine.toml")
        .expect("examples/quarantine.toml");
    let rec = Recording::new(sc);
    let run = Run::of(&rec);
    let lives = Lives::build(&run);
    let view = lives.allocations(&run, Window::default());
    assert_eq!(view.total as usize, lives.allocations.len());
    let quarantined: Vec<_> = view
        .lanes
        .iter()
        .flat_map(|l| l.spans.iter().map(move |s| (l, s)))
        .filter(|(_, s)| s.until.is_some())
        .collect();
    assert!(
        !quarantined.is_empty(),
        "a quarantine in examples/quarantine.toml"
    );
    for (lane, span) in quarantined {
        // The quarantine ends at 00:00 (UAP-3), by its end or by a reinstatement.
        assert_eq!(span.until.unwrap() % MINUTES_PER_DAY, 0);
        assert!(lane
            .marks
            .iter()
            .any(|m| m.line.contains("quarantined until")));
    }
    // Every use of an allocation is a connection of its holder.
    for lane in &view.lanes {
        for u in &lane.uses {
            assert_eq!(
                rec.scenario
                    .user_name(lives.connections[u.connection as usize].user),
                lane.user
            );
        }
    }
}

#[test]
fn lap_9_lanes_of_a_reduced_group_retire_with_their_block() {
    let text = format!(
        "{}{}{}{}{}",
        common::login_header(3, 40),
        common::user("a", "login:g"),
        (0..11)
            .map(|i| common::visit(
                "a",
                &format!("day 1 {:02}:00", 8 + i),
                "50m",
                "logout",
                "web"
            ))
            .collect::<String>(),
        common::action(
            "day 2 00:00",
            "set_group_tokens",
            "group = \"g\"\ntokens = 0\n"
        ),
        ""
    );
    let rec = Recording::new(common::scenario(&text));
    let run = Run::of(&rec);
    let lives = Lives::build(&run);
    let g = &lives.groups[0];
    // Qlik's example: 3 tokens, 11 passes used → 1 token at once, 2 pending.
    assert_eq!(g.blocks.len(), 2);
    assert_eq!(
        g.blocks.iter().map(|b| b.passes).collect::<Vec<_>>(),
        [10, 1]
    );
    let view = g.view(&run, Window::default());
    let freed_at_once = view
        .lanes
        .iter()
        .filter(|l| {
            l.left
                .is_some_and(|x| x.how == license_lab::report::lives::LeftHow::FreedAtOnce)
        })
        .count();
    assert_eq!(freed_at_once, 10);
    let unused_retired = view
        .lanes
        .iter()
        .filter(|l| {
            l.left
                .is_some_and(|x| x.how == license_lab::report::lives::LeftHow::RetiredUnused)
        })
        .count();
    assert_eq!(unused_retired, 9);
    assert!(view.lanes[..11]
        .iter()
        .all(|l| l.uses[0].retiring.is_some() && l.left.is_some()));
    for at in minutes(&rec, 9) {
        check_at("lap-9", &rec, &lives, at);
    }
    let pending =
        reasons::reasons(&run, &lives, 3 * MINUTES_PER_DAY, "tokens.pending", 10).unwrap();
    assert_eq!(pending.count, 2);
    assert!(
        pending.reasons[0].line.contains("retired"),
        "{:?}",
        pending.reasons
    );
}

#[test]
fn blocks_of_ten_aggregate_the_passes() {
    let rec = walkthrough();
    let run = Run::of(&rec);
    let lives = Lives::build(&run);
    let q = Window {
        block: 10,
        buckets: 60,
        ..Window::default()
    };
    let view = lives.passes(&run, 0, q).unwrap();
    assert_eq!((view.rows_total, view.blocks.len()), (1, 1));
    let b = &view.blocks[0];
    assert_eq!((b.first_pass, b.passes), (1, 10));
    // One bucket a day: day 1 has two passes consumed; days 25..28 all four are out.
    assert_eq!(b.consumed[1], 2);
    assert_eq!(b.consumed.iter().sum::<u32>(), 4);
    assert_eq!(b.used[26], 4);
    assert_eq!(b.used[0], 0);
    assert_eq!(b.used[54], 0);
    let json = serde_json::to_string(&view).unwrap();
    let back: license_lab::report::lives::PassLanes = serde_json::from_str(&json).unwrap();
    assert_eq!(back, view);
}

// ------------------------------------------------------------------------------------
// Random scenarios
// ------------------------------------------------------------------------------------

fn day_time(m: i64) -> String {
    format!("day {} {:02}:{:02}", m / 1440, (m % 1440) / 60, m % 60)
}

#[derive(Debug, Clone)]
struct Spec {
    days: i64,
    tokens: i64,
    professional: i64,
    packs: i64,
    core: i64,
    groups: Vec<i64>,
    users: Vec<(u8, bool)>,
    visits: Vec<(usize, i64, i64, u8, u8, u8)>,
    actions: Vec<(i64, u8, usize, i64)>,
    ret_hours: i64,
    quarantine_hours: i64,
    per_user: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (3i64..12, 0i64..20, 0i64..3, 0i64..2, 0i64..40),
        proptest::collection::vec(0i64..3, 0..3),
        proptest::collection::vec((0u8..7, any::<bool>()), 1..6),
        proptest::collection::vec(
            (0usize..6, 0i64..15_000, 0i64..150, 0u8..3, 0u8..2, 0u8..2),
            0..40,
        ),
        proptest::collection::vec((0i64..15_000, 0u8..9, 0usize..6, 0i64..4), 0..8),
        (1i64..72, 0i64..60, any::<bool>()),
    )
        .prop_map(|(l, groups, users, visits, actions, s)| Spec {
            days: l.0,
            tokens: l.1,
            professional: l.2,
            packs: l.3,
            core: l.4,
            groups,
            users,
            visits,
            actions,
            ret_hours: s.0,
            quarantine_hours: s.1,
            per_user: s.2,
        })
}

fn to_toml(s: &Spec) -> String {
    let mut t = format!(
        "name = \"random\"\nstart = \"2026-01-28\"\ndays = {}\n\n[license]\ntokens = {}\nprofessional = {}\nanalyzer = {}\nanalyzer_capacity_packs = {}\ncore_minutes = {}\n\n[settings]\nlogin_pass_return = \"{}h\"\nquarantine = \"{}h\"\ncapacity_parallel = \"{}\"\n",
        s.days,
        s.tokens,
        s.professional,
        s.professional.min(1),
        if s.professional > 0 { s.packs } else { 0 },
        s.core,
        s.ret_hours,
        s.quarantine_hours,
        if s.per_user { "per_user" } else { "per_device" }
    );
    for (i, g) in s.groups.iter().enumerate() {
        t.push_str(&format!("\n[[group]]\nname = \"g{i}\"\ntokens = {g}\n"));
    }
    let mut anonymous = Vec::new();
    for (i, (kind, anon)) in s.users.iter().enumerate() {
        let (access, anon) = match kind {
            0 | 1 if !s.groups.is_empty() => (format!("login:g{}", i % s.groups.len()), *anon),
            3 if s.professional > 0 => ("professional".into(), false),
            4 if s.professional > 0 => ("dynamic".into(), false),
            5 if s.professional > 0 && s.packs > 0 => ("capacity".into(), *anon),
            6 => ("core".into(), *anon),
            _ => ("user_pass".into(), false),
        };
        anonymous.push(anon);
        t.push_str(&format!(
            "\n[[user]]\nname = \"u{i}\"\naccess = \"{access}\"\nidentity = \"{}\"\n",
            if anon { "anonymous" } else { "identified" }
        ));
    }
    let n = s.users.len();
    let end = s.days * 1440;
    for (u, at, active, ends, device, session) in &s.visits {
        let ends = ["logout", "close", "timeout"][*ends as usize];
        t.push_str(&format!(
            "\n[[visit]]\nuser = \"u{}\"\nat = \"{}\"\nactive = \"{active}m\"\nends = \"{ends}\"\ndevice = \"d{device}\"\n",
            u % n,
            day_time(at % end)
        ));
        if *session == 1 {
            t.push_str("session_id = \"shared\"\n");
        }
    }
    for (at, kind, u, k) in &s.actions {
        let u = u % n;
        let named = !anonymous[u];
        let body = match kind {
            0 if named => format!("do = \"allocate_user_pass\"\nuser = \"u{u}\""),
            1 if named => format!("do = \"remove_user_pass\"\nuser = \"u{u}\""),
            2 if named => format!("do = \"reinstate_user_pass\"\nuser = \"u{u}\""),
            3 | 4 if !s.groups.is_empty() => format!(
                "do = \"set_group_tokens\"\ngroup = \"g{}\"\ntokens = {k}",
                u % s.groups.len()
            ),
            5 if named && s.professional > 0 => {
                format!("do = \"assign\"\nuser = \"u{u}\"\nkind = \"professional\"")
            }
            6 if named && s.professional > 0 => {
                format!("do = \"unassign\"\nuser = \"u{u}\"\nkind = \"professional\"")
            }
            7 if named && s.professional > 0 => {
                format!("do = \"reinstate\"\nuser = \"u{u}\"\nkind = \"professional\"")
            }
            _ => format!("do = \"set_tokens\"\ntokens = {}", s.tokens + k),
        };
        t.push_str(&format!(
            "\n[[action]]\nat = \"{}\"\n{body}\n",
            day_time(at % end)
        ));
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, .. ProptestConfig::default() })]

    #[test]
    fn lanes_and_reasons_agree_with_the_state_on_random_scenarios(s in spec(), seed in any::<u64>()) {
        let text = to_toml(&s);
        let sc = match parse(&text) {
            Ok(sc) => Arc::new(sc),
            Err(e) => panic!("generated scenario rejected: {e}\n{text}"),
        };
        let rec = Recording::new(sc);
        let lives = Lives::build(&Run::of(&rec));
        check_links(&text, &rec, &lives);
        let tally = Tally::of(&Run::of(&rec));
        check_peaks(&text, &rec, &tally);
        for at in minutes(&rec, seed) {
            check_at(&text, &rec, &lives, at);
            check_tally(&text, &rec, &tally, at);
        }
    }
}
