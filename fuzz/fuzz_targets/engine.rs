//! The engine over structurally valid random scenarios: every invariant of the rule book
//! holds after every event, and describing every event works.
#![no_main]

use std::sync::Arc;

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fn day_time(m: i64) -> String {
    format!("day {} {:02}:{:02}", m / 1440, (m % 1440) / 60, m % 60)
}

fn scenario(u: &mut Unstructured) -> Result<String> {
    let days: i64 = u.int_in_range(1..=40)?;
    let end = days * 1440;
    let tokens: i64 = u.int_in_range(0..=30)?;
    let professional: i64 = u.int_in_range(0..=3)?;
    let groups: usize = u.int_in_range(0..=3)?;
    let mut t = format!(
        "start = \"2026-02-20\"\ndays = {days}\nseed = {}\n\n[license]\ntokens = {tokens}\nprofessional = {professional}\nanalyzer = {}\nanalyzer_capacity_packs = {}\ncore_minutes = {}\noverage = {}\n",
        // Any 64-bit integer, negative too.
        u.int_in_range(-1000..=1000i64)?,
        if professional > 0 { u.int_in_range(0..=3)? } else { 0 },
        if professional > 0 { u.int_in_range(0..=1)? } else { 0 },
        u.int_in_range(0..=40)?,
        ["\"none\"", "\"unlimited\"", "12"][u.int_in_range(0..=2)?],
    );
    t.push_str(&format!(
        "\n[settings]\ninactivity_timeout = \"{}m\"\nlogin_pass_window = \"{}m\"\nlogin_pass_return = \"{}h\"\nquarantine = \"{}h\"\nmax_connections = {}\nconnection_cooldown = \"{}m\"\ncapacity_block = \"{}m\"\ncapacity_parallel = \"{}\"\ncore_session = \"{}m\"\n",
        u.int_in_range(0..=60)?,
        u.int_in_range(1..=120)?,
        u.int_in_range(1..=700)?,
        u.int_in_range(0..=200)?,
        // `max_connections = 0` is valid: every capped connection is refused.
        u.int_in_range(0..=6)?,
        u.int_in_range(0..=10)?,
        u.int_in_range(1..=10)?,
        if u.arbitrary()? { "per_user" } else { "per_device" },
        u.int_in_range(1..=10)?,
    ));
    for g in 0..groups {
        t.push_str(&format!("\n[[group]]\nname = \"g{g}\"\ntokens = {}\n", u.int_in_range(0..=4)?));
    }
    let mut nodes = false;
    if u.arbitrary()? {
        nodes = true;
        t.push_str("\n[[node]]\nname = \"central\"\nrole = \"central\"\n\n[[node]]\nname = \"rim\"\n");
    }
    let users: usize = u.int_in_range(1..=6)?;
    let mut anonymous = Vec::new();
    for i in 0..users {
        let kind: u8 = u.int_in_range(0..=6)?;
        let anon = u.arbitrary::<bool>()?;
        let (access, anon) = match kind {
            0 | 1 if groups > 0 => (format!("login:g{}", i % groups), anon),
            3 if professional > 0 => ("professional".into(), false),
            // An anonymous dynamic user is valid: NU-4 gives it only capacity (UAP-1).
            4 if professional > 0 => ("dynamic".into(), anon),
            5 if professional > 0 => ("capacity".into(), anon),
            6 => ("core".into(), anon),
            _ => ("user_pass".into(), false),
        };
        anonymous.push(anon);
        t.push_str(&format!(
            "\n[[user]]\nname = \"u{i}\"\naccess = \"{access}\"\nidentity = \"{}\"\n{}",
            if anon { "anonymous" } else { "identified" },
            if nodes && u.arbitrary()? { "node = \"rim\"\n" } else { "" }
        ));
    }
    let visits: usize = u.int_in_range(0..=60)?;
    for _ in 0..visits {
        let user = u.int_in_range(0..=users - 1)?;
        t.push_str(&format!(
            "\n[[visit]]\nuser = \"u{user}\"\nat = \"{}\"\nactive = \"{}m\"\nends = \"{}\"\ndevice = \"d{}\"\n",
            day_time(u.int_in_range(0..=end - 1)?),
            u.int_in_range(0..=300)?,
            ["logout", "close", "timeout"][u.int_in_range(0..=2)?],
            u.int_in_range(0..=6)?,
        ));
    }
    let actions: usize = u.int_in_range(0..=10)?;
    for _ in 0..actions {
        // Up to two days past the end: accepted and never applied.
        let at = day_time(u.int_in_range(0..=end + 2 * 1440)?);
        let user = u.int_in_range(0..=users - 1)?;
        let named = !anonymous[user];
        let body = match u.int_in_range(0..=9)? {
            0 if named => format!("do = \"allocate_user_pass\"\nuser = \"u{user}\""),
            1 if named => format!("do = \"remove_user_pass\"\nuser = \"u{user}\""),
            2 if named => format!("do = \"reinstate_user_pass\"\nuser = \"u{user}\""),
            3 if groups > 0 => format!(
                "do = \"set_group_tokens\"\ngroup = \"g{}\"\ntokens = {}",
                user % groups,
                u.int_in_range(0..=5)?
            ),
            5 if named => format!("do = \"assign\"\nuser = \"u{user}\"\nkind = \"professional\""),
            6 if named => format!("do = \"unassign\"\nuser = \"u{user}\"\nkind = \"professional\""),
            7 if named => format!("do = \"reinstate\"\nuser = \"u{user}\"\nkind = \"professional\""),
            8 if nodes => "do = \"disconnect_node\"\nnode = \"rim\"".to_string(),
            9 if nodes => "do = \"reconnect_node\"\nnode = \"rim\"".to_string(),
            _ => format!("do = \"set_tokens\"\ntokens = {}", u.int_in_range(0..=40)?),
        };
        t.push_str(&format!("\n[[action]]\nat = \"{at}\"\n{body}\n"));
    }
    Ok(t)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(text) = scenario(&mut u) else {
        return;
    };
    let sc = match license_lab::scenario::parse(&text) {
        Ok(sc) => Arc::new(sc),
        Err(e) => panic!("a structurally valid scenario was rejected: {e}\n{text}"),
    };
    let mut sim = license_lab::engine::Simulation::new(sc.clone(), true);
    let end = sim.end();
    while sim.step(end) {
        if let Err(why) = sim.check_invariants() {
            panic!("invariant broken at minute {}: {why}\n{text}", sim.now());
        }
    }
    for e in sim.log() {
        let _ = license_lab::report::describe::describe(e, &sc);
    }
    let _ = license_lab::report::state::State::of(&sim).to_json();
});
