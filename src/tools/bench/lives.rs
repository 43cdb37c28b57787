//! `license-lab bench --case lives`: the lanes, reasons and comparison of the
//! 10,000-person stress year (`www/ten-thousand.toml`): time and JSON size of each view.

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use crate::report::compare::{compare, Side};
use crate::report::lives::{Lives, Run, Window};
use crate::report::reasons;
use crate::report::timeline::Recording;

/// The app's stress example.
pub const TEN_THOUSAND: &str = include_str!("../../../www/ten-thousand.toml");

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed().as_secs_f64())
}

fn size<T: serde::Serialize>(v: &T) -> usize {
    serde_json::to_string(v).map_or(0, |s| s.len())
}

/// One JSON line of figures (seconds and bytes).
pub fn case(out: &mut dyn Write) -> std::io::Result<()> {
    let sc =
        crate::scenario::parse(TEN_THOUSAND).map_err(|e| std::io::Error::other(e.to_string()))?;
    let sc = Arc::new(sc);
    // What keeping the links costs a logged run (no checkpoints): the same run twice.
    let logged = |links: bool| {
        timed(|| {
            let mut sim = crate::engine::Simulation::new(sc.clone(), true);
            if links {
                sim.keep_links();
            }
            sim.advance_to(sim.end());
            sim.take_log().len() + sim.take_links().len()
        })
        .1
    };
    let (log_s, log_links_s) = (logged(false), logged(true));
    let (rec, record_s) = timed(|| Recording::new(sc.clone()));
    let run = Run::of(&rec);
    let (lives, build_s) = timed(|| Lives::build(&run));
    let end = sc.end();
    let group = 0;
    // The first screen: the whole year in blocks of 10 passes, 100 rows, a bucket a day.
    let (blocks, blocks_s) = timed(|| lives.passes(&run, group, Window::default()));
    // 100 passes one lane each over four weeks in the middle of the year.
    let lanes_q = Window {
        from: 180 * 1440,
        to: 208 * 1440,
        block: 1,
        ..Window::default()
    };
    let (lanes, lanes_s) = timed(|| lives.passes(&run, group, lanes_q));
    // All 2,000 rows of 10 at a bucket a week.
    let all_q = Window {
        count: 2000,
        block: 10,
        buckets: 53,
        ..Window::default()
    };
    let (all, all_s) = timed(|| lives.passes(&run, group, all_q));
    let person_user = crate::scenario::UserId::new(sc.users.len() / 2);
    let (person, person_s) = timed(|| lives.person(&run, person_user, Window::default()));
    let mid = end / 2;
    let mut why = Vec::new();
    for key in [
        "groups.staff.used",
        "groups.staff.available",
        "tokens.free",
        "connections",
        "totals.passes_consumed",
        "totals.denied",
    ] {
        let (r, s) = timed(|| reasons::reasons(&run, &lives, mid, key, 50));
        let r = r.map_err(std::io::Error::other)?;
        why.push(format!(
            "{{\"key\":\"{key}\",\"count\":{},\"seconds\":{s:.4},\"bytes\":{}}}",
            r.count,
            size(&r)
        ));
    }
    let (every, every_s) = timed(|| {
        reasons::keys(&sc)
            .iter()
            .filter_map(|k| reasons::reasons(&run, &lives, mid, k, 50).ok())
            .collect::<Vec<_>>()
    });
    let (cmp, compare_s) = timed(|| {
        let a = Side::new(&run, &rec.summary);
        let b = Side::new(&run, &rec.summary);
        compare(&a, &b)
    });
    writeln!(
        out,
        "{{\"case\":\"lives\",\"events\":{},\"links\":{},\"connections\":{},\"uses\":{},\"log_s\":{log_s:.3},\"log_links_s\":{log_links_s:.3},\"record_s\":{record_s:.3},\"build_s\":{build_s:.3},\"blocks_s\":{blocks_s:.4},\"blocks_bytes\":{},\"lanes_s\":{lanes_s:.4},\"lanes_bytes\":{},\"all_blocks_s\":{all_s:.4},\"all_blocks_bytes\":{},\"person_s\":{person_s:.4},\"person_bytes\":{},\"why\":[{}],\"why_all_s\":{every_s:.4},\"why_all_bytes\":{},\"compare_s\":{compare_s:.3},\"compare_bytes\":{},\"peak_mb\":{}}}",
        rec.events.len(),
        rec.links.len(),
        lives.connections.len(),
        lives.groups.iter().map(|g| g.uses.len()).sum::<usize>(),
        size(&blocks),
        size(&lanes),
        size(&all),
        size(&person),
        why.join(","),
        size(&every),
        size(&cmp),
        super::peak_memory_mb()
            .map(|m| format!("{m:.0}"))
            .unwrap_or("null".into())
    )
}

/// The table lines of `license-lab bench` for the case's JSON line.
pub fn report(j: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let f = |k: &str| super::field(j, k);
    let kb = |k: &str| {
        let b: f64 = f(k).parse().unwrap_or(0.0);
        format!("{:.1} KB", b / 1024.0)
    };
    writeln!(
        out,
        "\nlives and reasons: the 10,000-person year (www/ten-thousand.toml), {} events, {} connections, {} pass uses",
        f("events"),
        f("connections"),
        f("uses")
    )?;
    writeln!(
        out,
        "  logged run {} s, with links {} s; recording {} s; lives built in {} s; peak {} MB",
        f("log_s"),
        f("log_links_s"),
        f("record_s"),
        f("build_s"),
        f("peak_mb")
    )?;
    writeln!(
        out,
        "  passes, year in blocks of 10, 100 rows: {} s, {}",
        f("blocks_s"),
        kb("blocks_bytes")
    )?;
    writeln!(
        out,
        "  passes, 100 lanes over 4 weeks:         {} s, {}",
        f("lanes_s"),
        kb("lanes_bytes")
    )?;
    writeln!(
        out,
        "  passes, all 2,000 rows, a week a cell:  {} s, {}",
        f("all_blocks_s"),
        kb("all_blocks_bytes")
    )?;
    writeln!(
        out,
        "  one person's year:                      {} s, {}",
        f("person_s"),
        kb("person_bytes")
    )?;
    writeln!(
        out,
        "  reasons of every count at mid-year:     {} s, {} (50 reasons each at most)",
        f("why_all_s"),
        kb("why_all_bytes")
    )?;
    writeln!(
        out,
        "  compare the year with itself:           {} s, {}",
        f("compare_s"),
        kb("compare_bytes")
    )
}
