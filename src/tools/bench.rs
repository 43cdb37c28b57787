//! Benchmarks (`license-lab bench`): generated explicit scenarios run through the engine,
//! reported as wall time and events per second.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use crate::base::rng::{splitmix64, Pcg32};
use crate::base::time::{Clock, Minute, MINUTES_PER_DAY};
use crate::engine::Simulation;
use crate::report::state::State;
use crate::scenario::*;

mod lives;

/// An explicit scenario of `people` users over `days` days: 10% on User Access Passes,
/// the rest on four login access groups (a fifth of them anonymous), about
/// `visits_per_month` visits each in office hours, a few administrative changes.
pub fn generate(people: u32, days: i64, visits_per_month: f64, seed: u64) -> Scenario {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
    let clock = Clock::new(start);
    let uap_users = people / 10;
    let login_users = people - uap_users;
    let group_count = 4u32;
    let per_group = login_users.div_ceil(group_count);
    let group_tokens = crate::tools::sizing::size1(u64::from(per_group), 6, 20).unwrap_or(1) as i64;
    let groups: Vec<Group> = (0..group_count)
        .map(|g| Group {
            name: format!("group-{}", g + 1),
            tokens: group_tokens,
        })
        .collect();
    let users = bench_users(people, uap_users, group_count);
    let end = days * MINUTES_PER_DAY;
    let visits = bench_visits(people, end, visits_per_month, seed);
    let visits_len = visits.len() as u32;
    let actions = bench_actions(days, end, uap_users, group_count, group_tokens);
    let devices = vec!["web".to_string(), "laptop".to_string(), "phone".to_string()];
    Scenario {
        name: format!("benchmark: {people} people, {days} days"),
        description: String::new(),
        clock,
        days,
        seed,
        license: License {
            kind: LicenseKind::Perpetual,
            tokens: i64::from(uap_users) + group_tokens * i64::from(group_count) + 10,
            professional: 0,
            analyzer: 0,
            analyzer_capacity_packs: 0,
            overage: Overage::None,
            core_minutes: 0,
            cores: None,
            qap_edition: None,
        },
        settings: Settings::default(),
        prices: Prices::default(),
        groups,
        users,
        cohorts: Vec::new(),
        visits,
        actions,
        nodes: Vec::new(),
        deployments: Vec::new(),
        explicit_visits: visits_len,
        devices,
        session_ids: Vec::new(),
    }
}

/// The first tenth on User Access Passes, the rest spread over the login access groups
/// (every fifth of them anonymous).
fn bench_users(people: u32, uap_users: u32, group_count: u32) -> Vec<User> {
    let mut users = Vec::with_capacity(people as usize);
    for i in 0..people {
        let (access, identity) = if i < uap_users {
            (Access::UserPass, Identity::Identified)
        } else {
            let g = (i - uap_users) % group_count;
            let anon = (i - uap_users) % 5 == 4;
            (
                Access::Login(g),
                if anon {
                    Identity::Anonymous
                } else {
                    Identity::Identified
                },
            )
        };
        users.push(User {
            name: format!("user-{}", i + 1),
            access,
            identity,
            node: 0,
            deployment: 0,
            cohort: None,
            rights: Default::default(),
        });
    }
    users
}

/// About `visits_per_month` visits per person at random in office hours (a Poisson
/// process per person from `seed`), sorted.
fn bench_visits(people: u32, end: Minute, visits_per_month: f64, seed: u64) -> Vec<Visit> {
    let mut visits = Vec::new();
    let rate_per_minute = visits_per_month / (30.0 * MINUTES_PER_DAY as f64);
    for i in 0..people {
        let mut rng = Pcg32::new(splitmix64(seed ^ u64::from(i)), 7);
        let mut t = 0.0;
        loop {
            t += rng.exponential(rate_per_minute);
            if t >= end as f64 {
                break;
            }
            let day = (t as Minute) / MINUTES_PER_DAY;
            let at = day * MINUTES_PER_DAY + 8 * 60 + Minute::from(rng.below(10 * 60));
            if at >= end {
                break;
            }
            let active = 5 + Minute::from(rng.below(85));
            let ends = match rng.below(10) {
                0..=4 => Ends::Logout,
                5..=6 => Ends::Close,
                _ => Ends::Timeout,
            };
            let script = visits.len() as u32;
            visits.push(Visit {
                user: UserId::new(i as usize),
                at,
                active,
                ends,
                device: rng.below(3),
                session: None,
                node: 0,
                script,
            });
        }
    }
    visits.sort_unstable_by_key(|v| (v.at, v.script));
    visits
}

/// Each month: a User Access Pass removed and reinstated two days later, and a group
/// resized by one token.
fn bench_actions(
    days: i64,
    end: Minute,
    uap_users: u32,
    group_count: u32,
    group_tokens: i64,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let months = (days / 30).max(1);
    for m in 0..months {
        let at = m * 30 * MINUTES_PER_DAY + 12 * 60;
        if uap_users > 0 {
            let u = (m as u32 * 7) % uap_users;
            actions.push(Action {
                at,
                kind: ActionKind::RemoveUserPass(UserId::new(u as usize)),
                script: actions.len() as u32,
            });
            actions.push(Action {
                at: at + 2 * MINUTES_PER_DAY,
                kind: ActionKind::ReinstateUserPass(UserId::new(u as usize)),
                script: actions.len() as u32,
            });
        }
        actions.push(Action {
            at: at + 60,
            kind: ActionKind::SetGroupTokens(
                (m as u32) % group_count,
                if m % 2 == 0 {
                    group_tokens - 1
                } else {
                    group_tokens
                },
            ),
            script: actions.len() as u32,
        });
    }
    actions.retain(|a| a.at <= end);
    actions.sort_by_key(|a| (a.at, a.script));
    actions
}

/// One measured run.
pub struct Measure {
    pub seconds: f64,
    pub events: u64,
}

impl Measure {
    pub fn events_per_second(&self) -> f64 {
        self.events as f64 / self.seconds.max(1e-9)
    }
}

/// Runs a scenario to its end, `repeat` times; the fastest run counts.
pub fn time_engine(sc: &Arc<Scenario>, record: bool, repeat: u32) -> Measure {
    let mut best = f64::INFINITY;
    let mut events = 0;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let mut sim = Simulation::new(sc.clone(), record);
        sim.advance_to(sim.end());
        let secs = t.elapsed().as_secs_f64();
        events = sim.events_processed();
        best = best.min(secs);
        std::hint::black_box(State::of(&sim));
    }
    Measure {
        seconds: best,
        events,
    }
}

/// The bare-queue baseline: the keys of every event the engine processed for `sc`,
/// pushed through a `std::collections::BinaryHeap` and popped again, no rules.
pub fn time_bare_queue(sc: &Arc<Scenario>) -> Measure {
    let mut sim = Simulation::new(sc.clone(), false);
    sim.keep_trace();
    sim.advance_to(sim.end());
    let keys: Vec<(Minute, u8, u64)> = sim
        .take_trace()
        .into_iter()
        .map(|k| (k.at, k.class as u8, k.order))
        .collect();
    // Push in an order where the heap does real work: each key goes in a window before
    // it is due, as an event is scheduled before it happens.
    let t = Instant::now();
    let mut heap = std::collections::BinaryHeap::with_capacity(1024);
    let window = 4096;
    let mut popped = 0u64;
    for (i, k) in keys.iter().enumerate() {
        heap.push(std::cmp::Reverse((*k, i)));
        if i >= window {
            std::hint::black_box(heap.pop());
            popped += 1;
        }
    }
    while let Some(x) = heap.pop() {
        std::hint::black_box(x);
        popped += 1;
    }
    Measure {
        seconds: t.elapsed().as_secs_f64(),
        events: popped,
    }
}

/// A cohort scenario: `people` knowledge workers on one login access group, 4 visits a
/// month in office hours on weekdays, over `days` days.
pub fn cohort_text(people: u32, days: i64, seed: u64) -> String {
    let tokens = crate::tools::sizing::size1(u64::from(people), 5, 20).unwrap_or(1);
    format!(
        "name = \"benchmark cohort\"\nstart = \"2026-01-05\"\ndays = {days}\nseed = {seed}\n\n[license]\ntokens = {tokens}\n\n[[group]]\nname = \"workers\"\ntokens = {tokens}\n\n[[cohort]]\nname = \"worker\"\ncount = {people}\naccess = \"login:workers\"\nvisits_per_month = 4\nvisit_length = \"40m\"\nvisit_length_spread = \"15m\"\nhours = \"08:00-18:00\"\nweekdays = true\nends = {{ logout = 0.5, close = 0.2, timeout = 0.3 }}\n"
    )
}

/// Peak resident memory of this process so far, in MB (Linux; `None` elsewhere).
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// One benchmark case, run in its own process so its peak memory is its own.
pub fn run_case(case: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let (kind, n) = case.split_once(':').unwrap_or((case, "1000"));
    let people: u32 = n.parse().unwrap_or(1000);
    match kind {
        "explicit" => case_explicit(case, people, out),
        "cohort" => case_cohort(case, people, out),
        "sizing" => case_sizing(case, people, out),
        "import" => case_import(case, people, out),
        "compact" | "tables" => case_text(case, kind, people, out),
        "lives" => lives::case(out),
        other => Err(std::io::Error::other(format!("unknown case `{other}`"))),
    }
}

/// The generated explicit year: engine time against the bare queue.
fn case_explicit(case: &str, people: u32, out: &mut dyn Write) -> std::io::Result<()> {
    let t = Instant::now();
    let sc = Arc::new(generate(people, 365, 4.0, 42));
    let build = t.elapsed().as_secs_f64();
    let repeat = if people <= 20_000 { 3 } else { 1 };
    let m = time_engine(&sc, false, repeat);
    let bare = if people <= 20_000 {
        Some(time_bare_queue(&sc))
    } else {
        None
    };
    writeln!(
        out,
        "{{\"case\":\"{case}\",\"visits\":{},\"events\":{},\"build_s\":{build:.3},\"seconds\":{:.3},\"events_per_s\":{:.0},\"bare_queue_s\":{},\"peak_mb\":{}}}",
        sc.visits.len(),
        m.events,
        m.seconds,
        m.events_per_second(),
        bare.map(|b| format!("{:.3}", b.seconds)).unwrap_or("null".into()),
        peak_memory_mb().map(|m| format!("{m:.0}")).unwrap_or("null".into())
    )
}

/// The same people as cohorts: expansion, then the run.
fn case_cohort(case: &str, people: u32, out: &mut dyn Write) -> std::io::Result<()> {
    let text = cohort_text(people, 365, 7);
    let t = Instant::now();
    let sc = crate::scenario::parse(&text).map_err(|e| std::io::Error::other(e.to_string()))?;
    let expand = t.elapsed().as_secs_f64();
    let sc = Arc::new(sc);
    let m = time_engine(&sc, false, 1);
    writeln!(
        out,
        "{{\"case\":\"{case}\",\"visits\":{},\"events\":{},\"expand_s\":{expand:.3},\"seconds\":{:.3},\"total_s\":{:.3},\"events_per_s\":{:.0},\"peak_mb\":{}}}",
        sc.visits.len(),
        m.events,
        m.seconds,
        expand + m.seconds,
        m.events_per_second(),
        peak_memory_mb().map(|m| format!("{m:.0}")).unwrap_or("null".into())
    )
}

/// Sizing by simulation: 50 seeds on every core.
fn case_sizing(case: &str, people: u32, out: &mut dyn Write) -> std::io::Result<()> {
    let text = cohort_text(people, 365, 11);
    let sc = crate::scenario::parse(&text).map_err(|e| std::io::Error::other(e.to_string()))?;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let t = Instant::now();
    let report =
        crate::tools::sizing::simulate(&sc, 50, 0, threads).map_err(std::io::Error::other)?;
    let secs = t.elapsed().as_secs_f64();
    writeln!(
        out,
        "{{\"case\":\"{case}\",\"seeds\":50,\"threads\":{threads},\"seconds\":{secs:.3},\"min_tokens\":{},\"size1\":{},\"peak_mb\":{}}}",
        report.groups[0].min_tokens.unwrap_or(-1),
        report.groups[0].size1_tokens,
        peak_memory_mb().map(|m| format!("{m:.0}")).unwrap_or("null".into())
    )
}

/// A generated sessions CSV (`people` sessions) imported, written, checked and run.
fn case_import(case: &str, people: u32, out: &mut dyn Write) -> std::io::Result<()> {
    // `people` here is the number of sessions.
    let csv = sessions_csv(people as usize, 42);
    // A login access group with tokens to spare, so the run does the work of a
    // real year (no one refused).
    let groups = format!(
        "[{{\"name\": \"imported\", \"assignedTokens\": {}}}]",
        people / 50
    );
    let t = Instant::now();
    let inputs = [
        crate::tools::import::Input {
            name: "loginaccesstype.json",
            bytes: groups.as_bytes(),
        },
        crate::tools::import::Input {
            name: "sessions.csv",
            bytes: csv.as_bytes(),
        },
    ];
    let imp = crate::tools::import::import(&inputs, &Default::default())
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let import_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let text = imp.to_toml();
    let write_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let back = crate::scenario::parse(&text).map_err(|e| std::io::Error::other(e.to_string()))?;
    let check_s = t.elapsed().as_secs_f64();
    drop(back);
    let sc = Arc::new(imp.scenario);
    let m = time_engine(&sc, false, 1);
    writeln!(
        out,
        "{{\"case\":\"{case}\",\"csv_mb\":{:.1},\"toml_mb\":{:.1},\"sessions\":{},\"users\":{},\"import_s\":{import_s:.3},\"write_s\":{write_s:.3},\"check_s\":{check_s:.3},\"run_s\":{:.3},\"import_run_s\":{:.3},\"peak_mb\":{}}}",
        csv.len() as f64 / 1e6,
        text.len() as f64 / 1e6,
        sc.visits.len(),
        sc.users.len(),
        m.seconds,
        import_s + m.seconds,
        peak_memory_mb().map(|m| format!("{m:.0}")).unwrap_or("null".into())
    )
}

/// The generated year as the compact `visits` table or as `[[visit]]` tables: check, then run.
fn case_text(case: &str, kind: &str, people: u32, out: &mut dyn Write) -> std::io::Result<()> {
    let mut sc = generate(people, 365, 4.0, 42);
    sc.actions.clear();
    let text = if kind == "compact" {
        crate::tools::import::write::scenario_text(&sc, &Default::default())
    } else {
        visit_tables_text(&sc)
    };
    let before = peak_memory_mb();
    let t = Instant::now();
    let parsed = crate::scenario::parse(&text).map_err(|e| std::io::Error::other(e.to_string()))?;
    let check_s = t.elapsed().as_secs_f64();
    let parsed = Arc::new(parsed);
    let m = time_engine(&parsed, false, 1);
    writeln!(
        out,
        "{{\"case\":\"{case}\",\"text_mb\":{:.1},\"visits\":{},\"check_s\":{check_s:.3},\"run_s\":{:.3},\"total_s\":{:.3},\"peak_before_mb\":{},\"peak_mb\":{}}}",
        text.len() as f64 / 1e6,
        parsed.visits.len(),
        m.seconds,
        check_s + m.seconds,
        before.map(|m| format!("{m:.0}")).unwrap_or("null".into()),
        peak_memory_mb().map(|m| format!("{m:.0}")).unwrap_or("null".into())
    )
}

/// A sessions CSV of `sessions` rows (about 60 bytes each), as an administrator would
/// export it: about 50 sessions per person over a year in office hours, 5–90 minutes,
/// three devices, times in UTC.
pub fn sessions_csv(sessions: usize, seed: u64) -> String {
    let people = (sessions / 50).max(1);
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
    let mut rng = Pcg32::new(splitmix64(seed), 11);
    let mut out = String::with_capacity(sessions * 64 + 64);
    out.push_str("UserDirectory,UserId,Session Start,Session End,Device\n");
    let devices = ["laptop", "phone", "tablet"];
    let stamp = |out: &mut String, m: Minute| {
        let dt = start.and_time(chrono::NaiveTime::MIN) + chrono::Duration::minutes(m);
        let _ = write!(out, "{}", dt.format("%Y-%m-%dT%H:%M:00Z"));
    };
    for i in 0..sessions {
        let person = rng.below(people as u32);
        let day = Minute::from(rng.below(365));
        let at = day * MINUTES_PER_DAY + 8 * 60 + Minute::from(rng.below(10 * 60));
        let active = 5 + Minute::from(rng.below(85));
        let _ = write!(out, "CORP,user-{person:05},");
        stamp(&mut out, at);
        out.push(',');
        stamp(&mut out, at + active);
        out.push(',');
        out.push_str(devices[i % 3]);
        out.push('\n');
    }
    out
}

/// The same scenario as `tools::import::write::scenario_text`, with the visits as
/// `[[visit]]` tables instead of the compact table (for the benchmark).
pub fn visit_tables_text(sc: &Scenario) -> String {
    let mut plain = sc.clone();
    plain.visits.clear();
    let mut text = crate::tools::import::write::scenario_text(&plain, &Default::default());
    text.reserve(sc.visits.len() * 90);
    for v in &sc.visits {
        let _ = write!(
            text,
            "\n[[visit]]\nuser = \"{}\"\nat = \"{}\"\nactive = \"{}\"\nends = \"{}\"\n",
            sc.user_name(v.user),
            Clock::format_relative(v.at),
            crate::base::time::format_duration(v.active),
            v.ends.word()
        );
        if v.device != 0 {
            let _ = writeln!(text, "device = \"{}\"", sc.device_name(v.device));
        }
    }
    text
}

fn field(json: &str, key: &str) -> String {
    let pat = format!("\"{key}\":");
    json.split(&pat)
        .nth(1)
        .map(|rest| {
            rest.split([',', '}'])
                .next()
                .unwrap_or("")
                .trim_matches('"')
                .to_string()
        })
        .unwrap_or_default()
}

/// `license-lab bench`: every case in its own process, one table.
pub fn run(quick: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let exe = std::env::current_exe()?;
    let explicit: &[u32] = if quick {
        &[1_000, 20_000]
    } else {
        &[1_000, 20_000, 100_000]
    };
    let case = |name: String| own_process(&exe, &name);
    writeln!(
        out,
        "License Lab engine benchmark ({} build, {} cores)",
        if cfg!(debug_assertions) {
            "DEBUG: numbers mean nothing"
        } else {
            "release"
        },
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    )?;
    explicit_table(&case, explicit, out)?;
    forms_table(&case, out)?;
    let sessions = if quick { 100_000 } else { 1_000_000 };
    import_line(&case, sessions, out)?;
    if !quick {
        cohort_and_sizing(&case, out)?;
    }
    Ok(())
}

/// One case (`bench --case NAME`) in its own process, so its peak memory is its own: the
/// JSON line it prints.
fn own_process(exe: &std::path::Path, name: &str) -> std::io::Result<String> {
    let o = std::process::Command::new(exe)
        .args(["bench", "--case", name])
        .output()?;
    if !o.status.success() {
        return Err(std::io::Error::other(
            String::from_utf8_lossy(&o.stderr).into_owned(),
        ));
    }
    Ok(String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// The explicit years: engine time, events per second, against the bare queue.
fn explicit_table(
    case: &dyn Fn(String) -> std::io::Result<String>,
    explicit: &[u32],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "\nexplicit scenarios, 365 days, ~4 visits per person per month, 10% User Access Passes, 4 login groups, a fifth of login users anonymous")?;
    writeln!(
        out,
        "{:>8} {:>10} {:>12} {:>9} {:>13} {:>12} {:>10} {:>9}",
        "people",
        "visits",
        "events",
        "seconds",
        "events/s",
        "bare queue s",
        "engine/bare",
        "peak MB"
    )?;
    for &people in explicit {
        let j = case(format!("explicit:{people}"))?;
        let secs: f64 = field(&j, "seconds").parse().unwrap_or(0.0);
        let bare: Option<f64> = field(&j, "bare_queue_s").parse().ok();
        writeln!(
            out,
            "{:>8} {:>10} {:>12} {:>9} {:>13} {:>12} {:>10} {:>9}",
            people,
            field(&j, "visits"),
            field(&j, "events"),
            field(&j, "seconds"),
            field(&j, "events_per_s"),
            bare.map(|b| format!("{b:.3}")).unwrap_or("-".into()),
            bare.map(|b| format!("{:.1}x", secs / b.max(1e-9)))
                .unwrap_or("-".into()),
            field(&j, "peak_mb")
        )?;
    }
    Ok(())
}

/// The 2,000-person year as `[[visit]]` tables and as the compact table.
fn forms_table(
    case: &dyn Fn(String) -> std::io::Result<String>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "\nthe 2,000-person year (about 100,000 visits) as [[visit]] tables and as the compact `visits` table: check (parse) + run, own process each"
    )?;
    writeln!(
        out,
        "{:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "form", "text MB", "visits", "check s", "run s", "total s", "peak MB"
    )?;
    let mut totals = Vec::new();
    for form in ["tables", "compact"] {
        let j = case(format!("{form}:2000"))?;
        totals.push(field(&j, "total_s").parse::<f64>().unwrap_or(0.0));
        writeln!(
            out,
            "{:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            form,
            field(&j, "text_mb"),
            field(&j, "visits"),
            field(&j, "check_s"),
            field(&j, "run_s"),
            field(&j, "total_s"),
            field(&j, "peak_mb")
        )?;
    }
    if let [a, b] = totals[..] {
        writeln!(out, "  compact table {:.1}x faster", a / b.max(1e-9))?;
    }
    Ok(())
}

/// A generated sessions CSV imported, then run.
fn import_line(
    case: &dyn Fn(String) -> std::io::Result<String>,
    sessions: u32,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "\nimport of a generated sessions CSV ({sessions} sessions), then the run"
    )?;
    let j = case(format!("import:{sessions}"))?;
    writeln!(
        out,
        "  CSV {} MB; {} users, {} sessions; import {} s, run {} s: import + run {} s; writing the scenario {} s ({} MB), checking it {} s; peak {} MB",
        field(&j, "csv_mb"),
        field(&j, "users"),
        field(&j, "sessions"),
        field(&j, "import_s"),
        field(&j, "run_s"),
        field(&j, "import_run_s"),
        field(&j, "write_s"),
        field(&j, "toml_mb"),
        field(&j, "check_s"),
        field(&j, "peak_mb")
    )?;
    Ok(())
}

/// The full bench only: the 100,000-person cohort year, sizing by simulation and the
/// lanes of a logged year.
fn cohort_and_sizing(
    case: &dyn Fn(String) -> std::io::Result<String>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "\ncohort scenario: 100,000 people, 365 days, 4 visits a month (parse + cohort expansion, then the run)")?;
    let j = case("cohort:100000".into())?;
    writeln!(
        out,
        "  visits {}  events {}  expansion {} s  run {} s  total {} s  peak {} MB",
        field(&j, "visits"),
        field(&j, "events"),
        field(&j, "expand_s"),
        field(&j, "seconds"),
        field(&j, "total_s"),
        field(&j, "peak_mb")
    )?;
    writeln!(
        out,
        "\nsizing by simulation: 10,000 people, 365 days, 50 seeds"
    )?;
    let j = case("sizing:10000".into())?;
    writeln!(
        out,
        "  {} s on {} threads; smallest token count {}, SIZE-1 {}; peak {} MB",
        field(&j, "seconds"),
        field(&j, "threads"),
        field(&j, "min_tokens"),
        field(&j, "size1"),
        field(&j, "peak_mb")
    )?;
    lives::report(&case("lives".into())?, out)?;
    Ok(())
}

/// Profiling entry: `license-lab bench --profile N` runs the N-person explicit year once.
pub fn profile(people: u32) -> Measure {
    let sc = Arc::new(generate(people, 365, 4.0, 42));
    time_engine(&sc, false, 1)
}
