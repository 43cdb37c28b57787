//! `license-lab lanes`, `license-lab why` and `license-lab compare --answer`: the lives,
//! reasons and comparison of `report` for people (text) and tests (JSON).

use std::io::Write;
use std::sync::Arc;

use super::{fail, load, number, usage, Args, Failure};
use crate::base::time::{hh_mm, Minute};
use crate::report::compare::{answer_text, compare, Side};
use crate::report::lives::{AllocationLanes, Lives, PassLanes, Person, RanOn, Run, Window, NONE};
use crate::report::reasons;
use crate::report::timeline::Recording;
use crate::scenario::use_rights::{Places, Warning};
use crate::scenario::{Scenario, ScenarioError, ScenarioErrors};

fn write(out: &mut dyn Write, s: &str) -> Result<(), Failure> {
    out.write_all(s.as_bytes())
        .map_err(|e| fail(format!("cannot write the output: {e}")))
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| fail(format!("cannot write JSON: {e}")))
}

/// `--name TIME` within the simulated period.
fn time(sc: &Scenario, a: &Args, name: &str) -> Result<Option<Minute>, Failure> {
    let Some(text) = a.get(name) else {
        return Ok(None);
    };
    let at = sc
        .clock
        .parse_time(text)
        .map_err(|e| fail(format!("--{name}: {e}")))?;
    if at < 0 || at > sc.end() {
        return Err(fail(format!(
            "--{name} {text} is outside the simulated period (day 0 00:00 to day {} 00:00)",
            sc.days
        )));
    }
    Ok(Some(at))
}

fn format<'a>(a: &'a Args, allowed: &[&str]) -> Result<&'a str, Failure> {
    let f = a.get("format").unwrap_or("text");
    if allowed.contains(&f) {
        Ok(f)
    } else {
        Err(usage(format!(
            "--format must be {}, not `{f}`",
            allowed.join(" or ")
        )))
    }
}

fn recorded(path: &str) -> Result<Recording, Failure> {
    let sc = load(path).map_err(fail)?;
    Ok(Recording::new(Arc::new(sc)))
}

/// `license-lab lanes FILE (--group NAME | --allocations | --user NAME) …`
pub(super) fn lanes(rest: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let a = Args::parse(
        rest,
        &[
            "group", "user", "from", "to", "first", "count", "block", "buckets", "format",
        ],
        &["allocations"],
    )?;
    let rec = recorded(a.file()?)?;
    let sc = &rec.scenario;
    let fmt = format(&a, &["text", "json"])?;
    let mut q = Window {
        from: time(sc, &a, "from")?.unwrap_or(0),
        to: time(sc, &a, "to")?.unwrap_or(sc.end()),
        ..Window::default()
    };
    if q.from > q.to {
        return Err(fail("--from is after --to"));
    }
    let n = |name: &str| -> Result<Option<u32>, Failure> {
        a.get(name)
            .map(|v| number(v, &format!("--{name}")).map(|n| n.min(u64::from(u32::MAX)) as u32))
            .transpose()
    };
    if let Some(v) = n("first")? {
        q.first = v;
    }
    if let Some(v) = n("count")? {
        q.count = v;
    }
    if let Some(v) = n("block")? {
        q.block = v;
    }
    if let Some(v) = n("buckets")? {
        q.buckets = v;
    }
    let chosen = [
        a.get("group").is_some(),
        a.has("allocations"),
        a.get("user").is_some(),
    ];
    if chosen.iter().filter(|x| **x).count() != 1 {
        return Err(usage(
            "lanes needs one of --group NAME, --allocations or --user NAME",
        ));
    }
    let run = Run::of(&rec);
    let lives = Lives::build(&run);
    let text = if let Some(name) = a.get("group") {
        let g = sc
            .group_id(name)
            .ok_or_else(|| fail(format!("--group: no group `{name}` in the scenario")))?;
        let view = lives
            .passes(&run, g, q)
            .ok_or_else(|| fail(format!("--group: no group `{name}`")))?;
        match fmt {
            "json" => json(&view)?,
            _ => pass_text(sc, &view),
        }
    } else if a.has("allocations") {
        let view = lives.allocations(&run, q);
        match fmt {
            "json" => json(&view)?,
            _ => allocation_text(sc, &view),
        }
    } else {
        let name = a.get("user").unwrap_or_default();
        let u = sc
            .user_id(name)
            .ok_or_else(|| fail(format!("--user: unknown user `{name}`")))?;
        let view = lives
            .person(&run, u, q)
            .ok_or_else(|| fail(format!("--user: unknown user `{name}`")))?;
        match fmt {
            "json" => json(&view)?,
            _ => person_text(sc, &view),
        }
    };
    write(out, &text)
}

fn pass_text(sc: &Scenario, v: &PassLanes) -> String {
    let c = &sc.clock;
    let dur = crate::base::time::format_duration;
    let mut s = format!(
        "{}: {} passes, {} to {}; a pass is live {} after its consumption and back {} after it\n",
        v.group,
        v.passes,
        c.format(v.from),
        c.format(v.to),
        dur(v.window),
        dur(v.return_after)
    );
    if v.block == 1 {
        s.push_str(&format!(
            "one lane per pass, passes {} to {} of {}\n",
            v.first + 1,
            v.first + v.lanes.len() as u32,
            v.passes
        ));
        for l in &v.lanes {
            let head = format!("pass {}", l.pass);
            if l.uses.is_empty() {
                s.push_str(&format!("{head:<10} not used in the window\n"));
            }
            for (k, u) in l.uses.iter().enumerate() {
                let back = if u.returned {
                    format!("back {}", c.format(u.returns))
                } else {
                    format!("back {} (after the end)", c.format(u.returns))
                };
                let retiring = u
                    .retiring
                    .map(|r| format!(", retiring since {} (LAP-9)", c.format(r)))
                    .unwrap_or_default();
                s.push_str(&format!(
                    "{:<10} consumed {} by {} ({}), live to {}, {back}{retiring}\n",
                    if k == 0 { head.as_str() } else { "" },
                    c.format(u.consumed),
                    u.user,
                    match u.why {
                        crate::report::lives::Why::Start => "LAP-2",
                        crate::report::lives::Why::Renewal => "LAP-3 renewal",
                        crate::report::lives::Why::Anonymous => "LAP-6 anonymous",
                    },
                    hh_mm(u.live_until)
                ));
            }
            if let Some(left) = l.left {
                let how = match left.how {
                    crate::report::lives::LeftHow::FreedAtOnce => {
                        "retired with a block of unused passes: its token free at once"
                    }
                    crate::report::lives::LeftHow::RetiredUnused => "retired unused with its block",
                    crate::report::lives::LeftHow::RetiredOnReturn => "retired on its return",
                };
                s.push_str(&format!("{:<10} {} {how} (LAP-9)\n", "", c.format(left.at)));
            }
        }
    } else {
        s.push_str(&format!(
            "rows of {} passes, rows {} to {} of {}; one character per {} (passes in use: . none, 1-9, # 10 or more)\n",
            v.block,
            v.first + 1,
            v.first + v.blocks.len() as u32,
            v.rows_total,
            dur(v.bucket)
        ));
        for b in &v.blocks {
            let cells: String = b
                .used
                .iter()
                .map(|&n| match n {
                    0 => '.',
                    1..=9 => char::from(b'0' + n as u8),
                    _ => '#',
                })
                .collect();
            let gone = if b.gone > 0 {
                format!("  ({} retired)", b.gone)
            } else {
                String::new()
            };
            s.push_str(&format!(
                "{:>13} {cells}{gone}\n",
                format!("{}-{}", b.first_pass, b.first_pass + b.passes - 1)
            ));
        }
    }
    s
}

fn allocation_text(sc: &Scenario, v: &AllocationLanes) -> String {
    let c = &sc.clock;
    let mut s = format!(
        "{} allocations, {} to {}; allocations {} to {}\n",
        v.total,
        c.format(v.from),
        c.format(v.to),
        v.first + 1,
        v.first + v.lanes.len() as u32
    );
    for l in &v.lanes {
        let seat = match l.seat {
            crate::report::lives::SeatKind::UserPass => "User Access Pass",
            crate::report::lives::SeatKind::Professional => "Professional allocation",
            crate::report::lives::SeatKind::Analyzer => "Analyzer allocation",
        };
        s.push_str(&format!(
            "#{} {seat} of {}{}\n",
            l.id,
            l.user,
            if l.dynamic { " (dynamic)" } else { "" },
        ));
        for m in &l.marks {
            s.push_str(&format!("  {}  {}\n", c.format(m.at), m.line));
        }
        for u in &l.uses {
            let to = u.to.map_or("open at the end".to_string(), |t| c.format(t));
            s.push_str(&format!(
                "  used {} to {to} on {} (connection #{})\n",
                c.format(u.from),
                u.device,
                u.connection
            ));
        }
    }
    s
}

fn person_text(sc: &Scenario, p: &Person) -> String {
    let c = &sc.clock;
    let mut s = format!(
        "{} ({}{}), {} to {}\n",
        p.user,
        p.access,
        if p.anonymous { ", anonymous" } else { "" },
        c.format(p.from),
        c.format(p.to)
    );
    for d in &p.devices {
        s.push_str(&format!("  {}\n", d.device));
        for b in &d.connections {
            let closed = match (b.closed, b.ended) {
                (Some(t), Some(how)) => format!(
                    "{} {}",
                    c.format(t),
                    serde_json::to_value(how)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default()
                ),
                _ => "open at the end".to_string(),
            };
            let on = match &b.on {
                RanOn::Login { group } => {
                    let passes: Vec<String> = b
                        .passes
                        .iter()
                        .map(|x| {
                            format!("pass {}{}", x.pass, if x.reused { " (reused)" } else { "" })
                        })
                        .collect();
                    format!("login {group}: {}", passes.join(", "))
                }
                RanOn::Allocation { seat, allocation } => format!(
                    "{} #{allocation}",
                    serde_json::to_value(seat)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default()
                ),
                RanOn::Capacity => format!(
                    "Analyzer Capacity: {} blocks, {} minutes",
                    b.blocks.len(),
                    b.blocks.iter().map(|m| m.minutes).sum::<i64>()
                ),
                RanOn::Core { session } => format!(
                    "Qlik Core session {session}: {} Core Sessions",
                    b.core_sessions.len()
                ),
            };
            let tabs = if b.tabs > 0 {
                format!(", {} more tabs", b.tabs)
            } else {
                String::new()
            };
            s.push_str(&format!(
                "    {} to {closed}  {on}{tabs}\n",
                c.format(b.opened)
            ));
        }
    }
    for r in &p.refused {
        s.push_str(&format!("  refused {}  {}\n", c.format(r.at), r.line));
    }
    for r in &p.discontinued {
        s.push_str(&format!("  discontinued {}  {}\n", c.format(r.at), r.line));
    }
    s
}

/// `license-lab why FILE --at TIME [--count KEY] [--limit N] [--format text|json]`
pub(super) fn why(rest: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let a = Args::parse(rest, &["at", "count", "limit", "format"], &[])?;
    let rec = recorded(a.file()?)?;
    let sc = &rec.scenario;
    let fmt = format(&a, &["text", "json"])?;
    let at = time(sc, &a, "at")?.ok_or_else(|| usage("why needs --at TIME"))?;
    let limit = match a.get("limit") {
        Some(l) => number(l, "--limit")? as usize,
        None => 20,
    };
    let run = Run::of(&rec);
    let lives = Lives::build(&run);
    let keys = match a.get("count") {
        Some(k) => vec![k.to_string()],
        None => reasons::keys(sc),
    };
    let mut all = Vec::new();
    for k in &keys {
        all.push(reasons::reasons(&run, &lives, at, k, limit).map_err(fail)?);
    }
    let text = match fmt {
        "json" if a.get("count").is_some() => json(&all[0])?,
        "json" => json(&all)?,
        _ => {
            let mut s = String::new();
            for r in &all {
                s.push_str(&format!(
                    "{} at {} ({})\n",
                    r.label,
                    sc.clock.format(at),
                    r.key
                ));
                if let Some(e) = &r.earlier {
                    s.push_str(&format!(
                        "  {:>+6}  {} earlier reasons\n",
                        e.value, e.reasons
                    ));
                }
                for x in &r.reasons {
                    let when =
                        x.at.map(|m| sc.clock.format(m))
                            .unwrap_or_else(|| "scenario".into());
                    let event = x
                        .event
                        .filter(|e| *e != NONE)
                        .map(|e| format!("#{e}"))
                        .unwrap_or_default();
                    s.push_str(&format!(
                        "  {:>+6}  {when:<16} {:<8} {}\n",
                        x.value, event, x.line
                    ));
                }
            }
            s
        }
    };
    write(out, &text)
}

/// `license-lab compare FILE_A FILE_B --answer | --format json`: the answer first (the
/// plain `compare` prints the table only, as it always has).
pub(super) fn compare_answer(
    a: &Args,
    ra: &Recording,
    rb: &Recording,
    table: String,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let (run_a, run_b) = (Run::of(ra), Run::of(rb));
    let c = compare(
        &Side::new(&run_a, &ra.summary),
        &Side::new(&run_b, &rb.summary),
    );
    match a.get("format").unwrap_or("text") {
        "json" => write(out, &json(&c)?),
        "text" if a.has("answer") => write(out, &format!("{}{table}", answer_text(&c))),
        "text" => write(out, &table),
        other => Err(usage(format!(
            "--format must be text or json, not `{other}`"
        ))),
    }
}

/// `license-lab check FILE --format json`.
#[derive(serde::Serialize)]
struct Checked<'a> {
    ok: bool,
    errors: &'a [ScenarioError],
    notes: &'a [ScenarioError],
    /// The use rights' warnings (LM sections), in file order.
    warnings: &'a [Warning],
}

/// `license-lab check FILE --format json`: `{ok, errors, notes, warnings}` on stdout;
/// `Err(Some(errors))` after writing them, for the exit code and stderr.
pub(super) fn check_json(
    parsed: Result<(Scenario, Vec<ScenarioError>, Places), ScenarioErrors>,
    out: &mut dyn Write,
) -> Result<(), Option<ScenarioErrors>> {
    let (checked, errors) = match parsed {
        Ok((sc, notes, places)) => {
            let warnings = crate::report::use_rights::check(&Arc::new(sc), &places);
            let text = json(&Checked {
                ok: true,
                errors: &[],
                notes: &notes,
                warnings: &warnings,
            });
            (text, None)
        }
        Err(errs) => {
            let text = json(&Checked {
                ok: false,
                errors: &errs.0,
                notes: &[],
                warnings: &[],
            });
            (text, Some(errs))
        }
    };
    write(out, &checked.map_err(|_| None)?).map_err(|_| None)?;
    match errors {
        Some(e) => Err(Some(e)),
        None => Ok(()),
    }
}
