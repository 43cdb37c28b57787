//! The lives view and the reasons (issue 15) as markup, written in the tools worker: it
//! runs the scenario once per revision, reads its lanes once ([`Lives::build`]) and
//! answers each question with escaped HTML and SVG from `report::lives` and
//! `report::reasons` (nothing is recomputed here), so the page's bundle carries no
//! view for them: the page sets the markup and handles its clicks in one place
//! ([`super::lives`]).
//!
//! Every lane chart has the same geometry: a gutter of labels, then time from the
//! window's `from` to its `to` across [`PLOT`] units; the `<svg>` carries them
//! (`data-from`, `data-to`) so the page moves the time cursor's line without asking.

use std::cell::RefCell;
use std::fmt::Write;
use std::sync::Arc;

use super::protocol::{LivesAsk, LivesPart, ToolResponse};
use super::wire::reply as post;
use crate::base::time::{format_duration, hh_mm, Clock, Minute, MINUTES_PER_DAY};
use crate::report::lives::{
    AllocationLanes, Ended, LaneRef, LeftHow, Lives, PassLanes, Person, RanOn, Run, SeatKind,
    SpanState, Why, Window,
};
use crate::report::reasons;
use crate::report::timeline::Recording;
use crate::scenario;

/// Rows per page of lanes.
pub const ROWS: u32 = 40;
/// Reasons written out (the older ones are summed).
const REASONS: usize = 30;
/// The chart's width, its label gutter and its plot.
const WIDTH: f64 = 760.0;
const GUTTER: f64 = 120.0;
const PLOT: f64 = WIDTH - GUTTER - 12.0;
const ROW_H: f64 = 20.0;
const TOP: f64 = 22.0;
/// Colours: live hour, waiting for the return, retiring, held, quarantined, refused.
const LIVE: &str = "#1f5fa8";
const WAIT: &str = "#a9c6e8";
const RETIRING: &str = "#c8661b";
const HELD: &str = "#3b8a3e";
const QUARANTINE: &str = "#e3a72f";
const REFUSED: &str = "#c0392b";

struct Prepared {
    rev: u64,
    rec: Recording,
    lives: Lives,
}

thread_local! {
    static PREPARED: RefCell<Option<Prepared>> = const { RefCell::new(None) };
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Answers a question of the lives view about run `rev` (running `text` first when it
/// is a revision the worker does not hold).
pub fn handle(rev: u64, text: Option<String>, ask: LivesAsk) {
    let answer = with_run(rev, text, |p| {
        let run = Run::of(&p.rec);
        match &ask {
            LivesAsk::Reasons { key, at } => (LivesPart::Reasons, reasons_html(&run, p, key, *at)),
            ask => (LivesPart::Lanes, lanes_html(&run, &p.lives, ask)),
        }
    });
    let (part, html) = match answer {
        Ok(answer) => answer,
        Err(Unprepared::Missing) => (LivesPart::Missing, String::new()),
        Err(Unprepared::Errors) => (
            LivesPart::Lanes,
            "<p class=\"muted\">The scenario has errors: no lanes.</p>".into(),
        ),
    };
    post(&ToolResponse::Lives { rev, part, html });
}

/// Why run `rev` is not held.
pub enum Unprepared {
    /// Not held, and no text came with the question.
    Missing,
    /// Its text does not read.
    Errors,
}

/// Answers `f` about run `rev`: the one held, or `text` run now (and held, with its
/// lanes, for the questions that follow: the lives view and Compare share it).
fn with_run<R>(
    rev: u64,
    text: Option<String>,
    f: impl FnOnce(&Prepared) -> R,
) -> Result<R, Unprepared> {
    let have = PREPARED.with(|p| p.borrow().as_ref().is_some_and(|p| p.rev == rev));
    if !have {
        let text = text.ok_or(Unprepared::Missing)?;
        let sc = scenario::parse(&text).map_err(|_| Unprepared::Errors)?;
        let rec = Recording::new(Arc::new(sc));
        let lives = Lives::build(&Run::of(&rec));
        PREPARED.with(|p| *p.borrow_mut() = Some(Prepared { rev, rec, lives }));
    }
    PREPARED.with(|p| p.borrow().as_ref().map(f).ok_or(Unprepared::Missing))
}

/// Answers `f` with the recording of run `rev` (see [`with_run`]).
pub fn with_recording<R>(
    rev: u64,
    text: Option<String>,
    f: impl FnOnce(&Recording) -> R,
) -> Result<R, Unprepared> {
    with_run(rev, text, |p| f(&p.rec))
}

/// `2026-03-30 09:00 (day 29)`.
fn when(c: &Clock, m: Minute) -> String {
    format!(
        "{} (day {})",
        c.format(m).replace('T', " "),
        m.div_euclid(MINUTES_PER_DAY)
    )
}

/// The lanes view: its tabs, its controls and one chart.
fn lanes_html(run: &Run, lives: &Lives, ask: &LivesAsk) -> String {
    let sc = run.scenario;
    let (ask, note) = match ask {
        LivesAsk::Event { index } => event_lane(run, lives, *index),
        a => (a.clone(), String::new()),
    };
    let mut tabs = String::new();
    for g in &sc.groups {
        let on = matches!(&ask, LivesAsk::Passes { group, .. } if *group == g.name || (group.is_empty() && sc.groups.first().map(|f| &f.name) == Some(&g.name)));
        let _ = write!(
            tabs,
            "<button type=\"button\" data-lives=\"passes|{0}\" aria-pressed=\"{on}\">Passes: {0}</button>",
            esc(&g.name)
        );
    }
    if !lives.allocations.is_empty() {
        let on = matches!(ask, LivesAsk::Allocations { .. });
        let _ = write!(tabs, "<button type=\"button\" data-lives=\"allocations\" aria-pressed=\"{on}\">Allocations ({})</button>", lives.allocations.len());
    }
    let on = matches!(ask, LivesAsk::Person { .. });
    let _ = write!(
        tabs,
        "<button type=\"button\" data-lives=\"person\" aria-pressed=\"{on}\">A person</button>"
    );
    let body = match &ask {
        LivesAsk::Passes { group, first, mark } => {
            // A group this run does not have (the text changed): its first.
            let g = sc.group_id(group).or((!sc.groups.is_empty()).then_some(0));
            match g.and_then(|g| {
                lives.passes(
                    run,
                    g,
                    Window {
                        first: *first,
                        count: ROWS,
                        buckets: 180,
                        ..Window::default()
                    },
                )
            }) {
                Some(v) => passes_svg(&sc.clock, &v, *mark),
                None if sc.groups.is_empty() => {
                    "<p class=\"muted\">This scenario has no login access group.</p>".into()
                }
                None => format!("<p class=\"muted\">No group “{}”.</p>", esc(group)),
            }
        }
        LivesAsk::Allocations { first, mark } => {
            let v = lives.allocations(
                run,
                Window {
                    first: *first,
                    count: ROWS,
                    ..Window::default()
                },
            );
            allocations_svg(&sc.clock, &v, *mark)
        }
        LivesAsk::Person { user } => person_html(run, lives, user),
        _ => String::new(),
    };
    format!("<div class=\"lives-tabs\" role=\"group\" aria-label=\"Which lanes\">{tabs}</div>{note}{body}")
}

/// The view that shows the lane event `index` concerns (a pass, else an allocation, else
/// its person), and a line naming every lane it concerns.
fn event_lane(run: &Run, lives: &Lives, index: u32) -> (LivesAsk, String) {
    let refs = lives.lanes_of(run, index);
    let mut links = String::new();
    for r in &refs {
        let (data, label) = match r {
            LaneRef::Pass { group, pass } => (
                ask_data(&pass_ask(run, lives, group, *pass)),
                format!("pass {pass} of {group}"),
            ),
            LaneRef::Allocation { id } => {
                (ask_data(&allocation_ask(*id)), format!("allocation #{id}"))
            }
            LaneRef::Person { user } => (format!("person|{user}"), user.clone()),
        };
        let _ = write!(
            links,
            " <button type=\"button\" class=\"link\" data-lives=\"{}\">{}</button>",
            esc(&data),
            esc(&label)
        );
    }
    let note = if refs.is_empty() {
        format!("<p class=\"lives-note\">Event #{index} concerns no pass, allocation or person (it is about the license or a group).</p>")
    } else {
        format!("<p class=\"lives-note\">Event #{index} concerns:{links}</p>")
    };
    let ask = match refs.first() {
        Some(LaneRef::Pass { group, pass }) => pass_ask(run, lives, group, *pass),
        Some(LaneRef::Allocation { id }) => allocation_ask(*id),
        Some(LaneRef::Person { user }) => LivesAsk::Person { user: user.clone() },
        None => LivesAsk::Passes {
            group: String::new(),
            first: 0,
            mark: None,
        },
    };
    (ask, note)
}

/// A lanes question as the page's `data-lives` attribute reads it (see
/// [`super::lives`]).
fn ask_data(a: &LivesAsk) -> String {
    let mark = |m: &Option<u32>| m.map(|m| format!("|{m}")).unwrap_or_default();
    match a {
        LivesAsk::Passes {
            group,
            first,
            mark: m,
        } => format!("passes|{group}|{first}{}", mark(m)),
        LivesAsk::Allocations { first, mark: m } => format!("allocations|{first}{}", mark(m)),
        LivesAsk::Person { user } => format!("person|{user}"),
        LivesAsk::Event { index } => format!("event|{index}"),
        LivesAsk::Reasons { key, .. } => format!("reasons|{key}"),
    }
}

/// The page of rows holding pass `pass` (1-based) of `group`, with it outlined.
pub fn pass_ask(run: &Run, lives: &Lives, group: &str, pass: u32) -> LivesAsk {
    let block = lives
        .group(run.scenario, group)
        .map_or(1, |g| g.default_block())
        .max(1);
    let row = pass.saturating_sub(1) / block;
    LivesAsk::Passes {
        group: group.to_string(),
        first: row / ROWS * ROWS,
        mark: Some(pass),
    }
}

/// The page of rows holding allocation `id`, with it outlined.
pub fn allocation_ask(id: u32) -> LivesAsk {
    LivesAsk::Allocations {
        first: id.saturating_sub(1) / ROWS * ROWS,
        mark: Some(id),
    }
}

/// Time to x across the plot.
struct Axis {
    from: Minute,
    to: Minute,
}

impl Axis {
    fn x(&self, t: Minute) -> f64 {
        let span = (self.to - self.from).max(1) as f64;
        GUTTER + (t.clamp(self.from, self.to) - self.from) as f64 / span * PLOT
    }

    /// The width from `a` to `b`, at least a sliver so a minute-long thing shows.
    fn w(&self, a: Minute, b: Minute) -> f64 {
        (self.x(b) - self.x(a)).max(1.0)
    }
}

/// The chart's frame: the figure, its caption with the export buttons, the day ticks,
/// the rows' markup, the cursor line, and a pager.
fn frame(
    c: &Clock,
    key: &str,
    title: &str,
    ax: &Axis,
    rows: u32,
    inner: &str,
    pager: &str,
) -> String {
    let h = TOP + f64::from(rows) * ROW_H + 6.0;
    let mut ticks = String::new();
    let days = (ax.to - ax.from) / MINUTES_PER_DAY;
    let step = [1, 2, 7, 14, 28, 56, 91]
        .into_iter()
        .find(|s| days / s <= 8)
        .unwrap_or(182)
        * MINUTES_PER_DAY;
    let mut t = ax.from.div_euclid(step) * step;
    while t <= ax.to {
        if t >= ax.from {
            let x = ax.x(t);
            let _ = write!(
                ticks,
                "<line class=\"grid\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.0}\" y2=\"{h:.0}\" stroke=\"#e3e3e3\"/><text x=\"{x:.1}\" y=\"14\" text-anchor=\"middle\">day {}</text>",
                TOP - 4.0,
                t / MINUTES_PER_DAY
            );
        }
        t += step;
    }
    format!(
        "<figure class=\"chart lane-chart\" data-chart=\"{key}\" data-title=\"{title}\"><figcaption>{title}<span class=\"chart-export\"><button type=\"button\" data-export=\"svg\" title=\"Download this chart as SVG\">SVG</button><button type=\"button\" data-export=\"png\" title=\"Download this chart as PNG\">PNG</button></span></figcaption><div class=\"lane-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{title} (scrolls sideways)\"><svg class=\"lanes\" viewBox=\"0 0 {WIDTH} {h:.0}\" role=\"img\" aria-label=\"{title}, {} to {}\" data-from=\"{}\" data-to=\"{}\" data-x0=\"{GUTTER}\" data-w=\"{PLOT}\">{ticks}{inner}<line class=\"cursor-line\" x1=\"-9\" x2=\"-9\" y1=\"{:.0}\" y2=\"{h:.0}\" stroke=\"#000\" stroke-width=\"1.5\"/></svg></div>{pager}</figure>",
        esc(&c.format(ax.from)),
        esc(&c.format(ax.to)),
        ax.from,
        ax.to,
        TOP - 4.0,
        key = esc(key),
        title = esc(title),
    )
}

/// "rows 1–40 of 2,000" with Previous and Next (`data-lives` of each page).
fn pager(what: &str, first: u32, shown: u32, total: u32, data: &str) -> String {
    if total <= shown && first == 0 {
        return String::new();
    }
    let prev = first.saturating_sub(ROWS);
    let next = first + ROWS;
    format!(
        "<p class=\"pager lanes-pager\"><button type=\"button\" data-lives=\"{data}|{prev}\"{}>Previous</button> <span>{what} {}–{} of {}</span> <button type=\"button\" data-lives=\"{data}|{next}\"{}>Next</button></p>",
        if first == 0 { " disabled" } else { "" },
        first + 1,
        first + shown,
        total,
        if next >= total { " disabled" } else { "" },
    )
}

fn label(y: f64, text: &str, mark: bool) -> String {
    format!(
        "<text x=\"4\" y=\"{:.1}\"{}>{}</text>",
        y + 14.0,
        if mark { " font-weight=\"700\"" } else { "" },
        esc(text)
    )
}

fn why_words(w: Why) -> &'static str {
    match w {
        Why::Start => "LAP-2",
        Why::Renewal => "LAP-3, hourly renewal",
        Why::Anonymous => "LAP-6, anonymous",
    }
}

/// One lane per pass, or one per block of passes.
fn passes_svg(c: &Clock, v: &PassLanes, mark: Option<u32>) -> String {
    let ax = Axis {
        from: v.from,
        to: v.to,
    };
    let mut inner = String::new();
    let rows = if v.block == 1 {
        for (r, l) in v.lanes.iter().enumerate() {
            pass_row(
                c,
                &ax,
                &mut inner,
                TOP + r as f64 * ROW_H,
                l,
                mark == Some(l.pass),
            );
        }
        v.lanes.len()
    } else {
        for (r, b) in v.blocks.iter().enumerate() {
            let y = TOP + r as f64 * ROW_H;
            let last = b.first_pass + b.passes - 1;
            let outlined = mark.is_some_and(|m| (b.first_pass..=last).contains(&m));
            inner.push_str(&label(
                y,
                &format!("passes {}–{last}", b.first_pass),
                outlined,
            ));
            // The passes in use in each bucket, as an area filling the row.
            let n = b.used.len().max(1) as f64;
            let mut d = format!("M{GUTTER:.1},{:.1}", y + ROW_H - 2.0);
            for (k, u) in b.used.iter().enumerate() {
                let x0 = GUTTER + k as f64 / n * PLOT;
                let x1 = GUTTER + (k + 1) as f64 / n * PLOT;
                let top =
                    y + ROW_H - 2.0 - f64::from(*u) / f64::from(b.passes.max(1)) * (ROW_H - 4.0);
                let _ = write!(d, "L{x0:.1},{top:.1}L{x1:.1},{top:.1}");
            }
            let _ = write!(d, "L{:.1},{:.1}Z", GUTTER + PLOT, y + ROW_H - 2.0);
            let peak = b.used.iter().max().copied().unwrap_or(0);
            let consumed: u32 = b.consumed.iter().sum();
            let _ = write!(
                inner,
                "<g><title>passes {}–{last}: at most {peak} of {} in use at once; {consumed} consumed in the window{}</title><rect x=\"{GUTTER}\" y=\"{:.1}\" width=\"{PLOT}\" height=\"{:.1}\" fill=\"#f3f6fa\"{}/><path d=\"{d}\" fill=\"{LIVE}\" fill-opacity=\"0.75\"/></g>",
                b.first_pass,
                b.passes,
                if b.gone > 0 { format!("; {} retired (LAP-9)", b.gone) } else { String::new() },
                y + 2.0,
                ROW_H - 4.0,
                if outlined { " stroke=\"#000\" stroke-width=\"1.5\"" } else { "" },
            );
        }
        v.blocks.len()
    };
    let title = format!(
        "Login passes of {}: {} passes, {}",
        v.group,
        v.passes,
        if v.block == 1 {
            format!(
                "one lane each: live {} (dark), then waiting {} for the return (light)",
                format_duration(v.window),
                format_duration(v.return_after - v.window)
            )
        } else {
            format!(
                "rows of {}: how many are in use, {} per step",
                v.block,
                format_duration(v.bucket)
            )
        }
    );
    let data = format!("passes|{}", v.group);
    let p = pager("rows", v.first, rows as u32, v.rows_total, &esc(&data));
    frame(
        c,
        &format!("lanes-{}", v.group),
        &title,
        &ax,
        rows as u32,
        &inner,
        &p,
    )
}

/// One pass's lane: each consumption's live hour and its wait, the return, LAP-9.
fn pass_row(
    c: &Clock,
    ax: &Axis,
    out: &mut String,
    y: f64,
    l: &crate::report::lives::PassLane,
    mark: bool,
) {
    out.push_str(&label(y, &format!("pass {}", l.pass), mark));
    let _ =
        write!(
        out,
        "<rect x=\"{GUTTER}\" y=\"{:.1}\" width=\"{PLOT}\" height=\"{:.1}\" fill=\"#f3f6fa\"{}/>",
        y + 2.0,
        ROW_H - 4.0,
        if mark { " stroke=\"#000\" stroke-width=\"1.5\"" } else { "" }
    );
    for u in &l.uses {
        let retiring = u
            .retiring
            .map(|r| {
                format!(
                    "; its block retiring since {} (LAP-9): it leaves the group on its return",
                    when(c, r)
                )
            })
            .unwrap_or_default();
        let back = if u.returned {
            format!("returns {}", when(c, u.returns))
        } else {
            format!("returns {}, after the end", when(c, u.returns))
        };
        let _ = write!(
            out,
            "<g class=\"pass-use\" data-at=\"{}\" data-returns=\"{}\"><title>pass {}: consumed {} by {} ({}); live to {}; {back}{retiring}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{LIVE}\"/>",
            u.consumed,
            u.returns / MINUTES_PER_DAY,
            l.pass,
            when(c, u.consumed),
            esc(&u.user),
            why_words(u.why),
            hh_mm(u.live_until),
            ax.x(u.live_until),
            y + 5.0,
            ax.w(u.live_until, u.returns),
            ROW_H - 10.0,
            if u.retiring.is_some() { RETIRING } else { WAIT },
            ax.x(u.consumed),
            y + 2.0,
            // The live hour stays visible however long the window.
            ax.w(u.consumed, u.live_until).max(4.0),
            ROW_H - 4.0,
        );
        if u.returns <= ax.to {
            let x = ax.x(u.returns);
            let _ = write!(
                out,
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{LIVE}\" stroke-width=\"2\"/><text class=\"back\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\">back day {}</text>",
                y + 2.0,
                y + ROW_H - 2.0,
                x + 3.0,
                y + 14.0,
                u.returns / MINUTES_PER_DAY
            );
        }
        out.push_str("</g>");
    }
    if let Some(left) = l.left {
        let how = match left.how {
            LeftHow::FreedAtOnce => "retired with a block of unused passes: its token free at once",
            LeftHow::RetiredUnused => "retired unused with its block",
            LeftHow::RetiredOnReturn => "retired on its return",
        };
        let x = ax.x(left.at);
        let _ = write!(
            out,
            "<g><title>pass {}: {how}, {} (LAP-9)</title><path d=\"M{:.1},{:.1}l8,12m0,-12l-8,12\" stroke=\"{RETIRING}\" stroke-width=\"2.5\"/><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"2\" fill=\"{RETIRING}\"/></g>",
            l.pass,
            when(c, left.at),
            x - 4.0,
            y + 4.0,
            y + ROW_H / 2.0,
            (GUTTER + PLOT - x).max(0.0),
        );
    }
}

fn seat_words(s: SeatKind) -> &'static str {
    match s {
        SeatKind::UserPass => "User Access Pass",
        SeatKind::Professional => "Professional",
        SeatKind::Analyzer => "Analyzer",
    }
}

/// One lane per allocation: held, in quarantine (until …), its uses and its steps.
fn allocations_svg(c: &Clock, v: &AllocationLanes, mark: Option<u32>) -> String {
    let ax = Axis {
        from: v.from,
        to: v.to,
    };
    let mut inner = String::new();
    for (r, l) in v.lanes.iter().enumerate() {
        let y = TOP + r as f64 * ROW_H;
        let outlined = mark == Some(l.id);
        inner.push_str(&label(y, &format!("#{} {}", l.id, l.user), outlined));
        let _ = write!(
            inner,
            "<rect x=\"{GUTTER}\" y=\"{:.1}\" width=\"{PLOT}\" height=\"{:.1}\" fill=\"#f6f6f6\"{}><title>#{} {} of {}{}</title></rect>",
            y + 2.0,
            ROW_H - 4.0,
            if outlined { " stroke=\"#000\" stroke-width=\"1.5\"" } else { "" },
            l.id,
            seat_words(l.seat),
            esc(&l.user),
            if l.dynamic { " (dynamic assignment, NU-4)" } else { "" }
        );
        for s in &l.spans {
            let to = s.to.unwrap_or(ax.to);
            let (fill, words) = match s.state {
                SpanState::Allocated => (HELD, format!("allocated to {}", esc(&l.user))),
                SpanState::Quarantined => (
                    QUARANTINE,
                    format!(
                        "quarantined{}",
                        s.until
                            .map(|u| format!(" until {}", when(c, u)))
                            .unwrap_or_default()
                    ),
                ),
            };
            let _ = write!(
                inner,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" fill-opacity=\"0.55\"><title>#{} {}: {words}, {} to {}</title></rect>",
                ax.x(s.from),
                y + 2.0,
                ax.w(s.from, to),
                ROW_H - 4.0,
                l.id,
                seat_words(l.seat),
                when(c, s.from),
                s.to.map_or("the end".to_string(), |t| when(c, t)),
            );
        }
        for u in &l.uses {
            let to = u.to.unwrap_or(ax.to);
            let _ = write!(
                inner,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"6\" fill=\"#1d3d1f\" data-at=\"{}\"><title>used on {} (connection #{}), {} to {}</title></rect>",
                ax.x(u.from),
                y + 7.0,
                ax.w(u.from, to),
                u.from,
                esc(&u.device),
                u.connection,
                when(c, u.from),
                u.to.map_or("the end".to_string(), |t| when(c, t)),
            );
        }
        for m in &l.marks {
            let x = ax.x(m.at);
            let _ = write!(
                inner,
                "<g data-at=\"{}\"><title>{}: {}</title><path d=\"M{x:.1},{:.1}l-4,-5h8z\" fill=\"#222\"/></g>",
                m.at,
                when(c, m.at),
                esc(&m.line),
                y + 7.0,
            );
        }
    }
    let title = format!(
        "Allocations: {} (green: held; amber: quarantined; dark: connections on it; ▼ what happened)",
        v.total
    );
    let p = pager(
        "allocations",
        v.first,
        v.lanes.len() as u32,
        v.total,
        "allocations",
    );
    frame(
        c,
        "lanes-allocations",
        &title,
        &ax,
        v.lanes.len() as u32,
        &inner,
        &p,
    )
}

/// A person: the user picker, then one lane per device with each connection and what it
/// ran on, and a lane of refusals.
fn person_html(run: &Run, lives: &Lives, user: &str) -> String {
    let sc = run.scenario;
    let u = if user.is_empty() {
        lives.connections.first().map(|c| c.user)
    } else {
        sc.user_id(user)
    };
    let name = u
        .map(|u| run.user_name(u))
        .unwrap_or_else(|| user.to_string());
    let picker = if sc.users.len() <= 500 {
        let mut opts = String::new();
        for x in &sc.users {
            let _ = write!(
                opts,
                "<option{}>{}</option>",
                if x.name == name { " selected" } else { "" },
                esc(&x.name)
            );
        }
        format!("<label>User <select data-lives-user>{opts}</select></label>")
    } else {
        format!("<label>User <input type=\"search\" data-lives-user value=\"{}\" placeholder=\"a user's name\"></label> <span class=\"muted\">({} users: type a name and press Enter)</span>", esc(&name), sc.users.len())
    };
    let picker = format!("<div class=\"lives-pick\">{picker}</div>");
    let Some(p) = u.and_then(|u| lives.person(run, u, Window::default())) else {
        return format!(
            "{picker}<p class=\"muted\">No user “{}” in the scenario.</p>",
            esc(user)
        );
    };
    format!("{picker}{}", person_svg(&sc.clock, &p))
}

fn ran_on(b: &crate::report::lives::ConnectionBar) -> (String, &'static str) {
    match &b.on {
        RanOn::Login { group } => {
            let passes: Vec<String> = b
                .passes
                .iter()
                .map(|x| format!("pass {}{}", x.pass, if x.reused { " (reused)" } else { "" }))
                .collect();
            (format!("login access {group}: {}", passes.join(", ")), LIVE)
        }
        RanOn::Allocation { seat, allocation } => (
            format!("{} allocation #{allocation}", seat_words(*seat)),
            HELD,
        ),
        RanOn::Capacity => (
            format!(
                "Analyzer Capacity: {} blocks, {} minutes",
                b.blocks.len(),
                b.blocks.iter().map(|m| m.minutes).sum::<i64>()
            ),
            "#7b4fa0",
        ),
        RanOn::Core { session } => (
            format!(
                "Qlik Core session {session}: {} Core Sessions",
                b.core_sessions.len()
            ),
            "#2a8c8c",
        ),
    }
}

fn person_svg(c: &Clock, p: &Person) -> String {
    let ax = Axis {
        from: p.from,
        to: p.to,
    };
    let mut inner = String::new();
    for (r, d) in p.devices.iter().enumerate() {
        let y = TOP + r as f64 * ROW_H;
        inner.push_str(&label(y, &d.device, false));
        let _ = write!(
            inner,
            "<rect x=\"{GUTTER}\" y=\"{:.1}\" width=\"{PLOT}\" height=\"{:.1}\" fill=\"#f3f6fa\"/>",
            y + 2.0,
            ROW_H - 4.0
        );
        for b in &d.connections {
            let (on, fill) = ran_on(b);
            let ended = match b.ended {
                Some(Ended::Logout) => "logged out",
                Some(Ended::Close) => "closed",
                Some(Ended::Timeout) => "timed out",
                Some(Ended::Removed) => "its allocation removed",
                Some(Ended::Discontinued) => "discontinued",
                None => "open at the end",
            };
            let to = b.closed.unwrap_or(ax.to);
            let _ = write!(
                inner,
                "<rect class=\"conn\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" data-at=\"{}\"><title>connection #{} on {}: {} to {} ({ended}); ran on {}{}</title></rect>",
                ax.x(b.opened),
                y + 3.0,
                ax.w(b.opened, to).max(2.0),
                ROW_H - 6.0,
                b.opened,
                b.connection,
                esc(&d.device),
                when(c, b.opened),
                b.closed.map_or("the end".to_string(), hh_mm),
                esc(&on),
                if b.tabs > 0 { format!("; {} more tabs merged (CONN-0)", b.tabs) } else { String::new() }
            );
        }
    }
    let rows = p.devices.len() + 1;
    let y = TOP + p.devices.len() as f64 * ROW_H;
    inner.push_str(&label(y, "refused", false));
    for (r, kind) in p
        .refused
        .iter()
        .map(|r| (r, "denied"))
        .chain(p.discontinued.iter().map(|r| (r, "discontinued")))
    {
        let x = ax.x(r.at);
        let _ = write!(
            inner,
            "<g class=\"refusal\" data-at=\"{}\"><title>{kind} {}{}: {}</title><path d=\"M{:.1},{:.1}l8,10m0,-10l-8,10\" stroke=\"{REFUSED}\" stroke-width=\"2\"/></g>",
            r.at,
            when(c, r.at),
            r.device.as_ref().map(|d| format!(" on {}", esc(d))).unwrap_or_default(),
            esc(&r.line),
            x - 4.0,
            y + 5.0,
        );
    }
    let title = format!(
        "{} ({}{}): {} connections on {} devices, {} refused, {} discontinued",
        p.user,
        p.access,
        if p.anonymous { ", anonymous" } else { "" },
        p.devices.iter().map(|d| d.connections.len()).sum::<usize>(),
        p.devices.len(),
        p.refused.len(),
        p.discontinued.len()
    );
    frame(
        c,
        &format!("lanes-{}", p.user),
        &title,
        &ax,
        rows as u32,
        &inner,
        "",
    )
}

/// The reasons of a count at a minute, each with its event's lane.
fn reasons_html(run: &Run, p: &Prepared, key: &str, at: Minute) -> String {
    let c = &run.scenario.clock;
    let r = match reasons::reasons(run, &p.lives, at, key, REASONS) {
        Ok(r) => r,
        Err(e) => return format!("<p class=\"muted\">{}</p>", esc(&e)),
    };
    let mut items = String::new();
    if let Some(e) = &r.earlier {
        let _ = write!(
            items,
            "<li class=\"earlier\"><span class=\"share\">{:+}</span> {} earlier reasons together</li>",
            e.value, e.reasons
        );
    }
    for x in &r.reasons {
        let lane = x
            .event
            .map(|i| format!(" <button type=\"button\" class=\"link\" data-lives=\"event|{i}\" title=\"Show the lane of this pass, allocation or person\">lane</button>"))
            .unwrap_or_default();
        let time = x
            .at
            .map(|t| format!("<button type=\"button\" class=\"time-link\" data-at=\"{t}\" title=\"Move the time cursor here\">{}</button> ", esc(&c.format(t).replace('T', " "))))
            .unwrap_or_default();
        let _ = write!(
            items,
            "<li><span class=\"share\">{:+}</span> {time}{}{lane}</li>",
            x.value,
            esc(&x.line)
        );
    }
    format!(
        "<div class=\"reasons\" data-key=\"{}\"><p><strong>{}</strong> at {}: <button type=\"button\" class=\"link\" data-reasons-close>close</button></p><ul>{items}</ul></div>",
        esc(key),
        esc(&r.label),
        esc(&when(c, r.at)),
    )
}
