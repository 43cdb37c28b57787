//! Charts over simulated time, drawn as SVG: tokens stacked by state, each login access
//! group's passes, user passes and named allocations, denials and discontinuations, and
//! capacity minutes per month against the quota. Every chart shares the time axis (in
//! calendar dates), the time cursor and the hover line; hovering shows the counts.

mod scale;

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::protocol::{CompareResult, RunResult};
use super::run::Runner;
use super::store::{ctx, Cursor, Doc, Run, Source};
use crate::base::time::{Clock, Minute};
use crate::report::series::{GroupSeries, Series};
pub use scale::thousands;
use scale::*;

/// The Okabe–Ito palette: distinguishable with every common colour-vision deficiency.
pub mod palette {
    pub const ORANGE: &str = "#E69F00";
    pub const SKY: &str = "#56B4E9";
    pub const GREEN: &str = "#009E73";
    pub const YELLOW: &str = "#F0E442";
    pub const BLUE: &str = "#0072B2";
    pub const VERMILLION: &str = "#D55E00";
    pub const PURPLE: &str = "#CC79A7";
    pub const BLACK: &str = "#000000";
}
use palette::*;

const DASHED: &str = "6 4";
const DOTTED: &str = "2 3";

#[derive(Clone)]
enum Shape {
    Area {
        d: String,
        fill: &'static str,
    },
    Line {
        d: String,
        stroke: &'static str,
        dash: &'static str,
    },
    /// Filled rectangles or thick strokes for bars and markers.
    Bars {
        d: String,
        stroke: &'static str,
        width: f64,
    },
}

#[derive(Clone)]
struct Legend {
    label: String,
    color: &'static str,
    dash: &'static str,
    area: bool,
}

#[derive(Clone)]
struct Reading {
    label: String,
    value: String,
    color: &'static str,
}

type Readout = Arc<dyn Fn(Minute) -> Vec<Reading> + Send + Sync>;

#[derive(Clone)]
struct Spec {
    key: String,
    title: String,
    /// A sentence for screen readers.
    summary: String,
    height: f64,
    ymax: i64,
    shapes: Vec<Shape>,
    legend: Vec<Legend>,
    readout: Readout,
    note: Option<String>,
}

fn area_legend(label: &str, color: &'static str) -> Legend {
    Legend {
        label: label.to_string(),
        color,
        dash: "",
        area: true,
    }
}

fn line_legend(label: &str, color: &'static str, dash: &'static str) -> Legend {
    Legend {
        label: label.to_string(),
        color,
        dash,
        area: false,
    }
}

/// One count over time, at the result's `series.times`.
struct Trace {
    label: String,
    color: &'static str,
    dash: &'static str,
    values: Vec<i64>,
}

fn trace(
    label: impl Into<String>,
    color: &'static str,
    dash: &'static str,
    values: &[i64],
) -> Trace {
    Trace {
        label: label.into(),
        color,
        dash,
        values: values.to_vec(),
    }
}

/// The traces' values at a minute (a step function holds until its next point).
fn traces_readout(r: &Arc<RunResult>, traces: &[Trace]) -> Readout {
    let r = r.clone();
    let traces: Vec<(String, &'static str, Vec<i64>)> = traces
        .iter()
        .map(|t| (t.label.clone(), t.color, t.values.clone()))
        .collect();
    Arc::new(move |m| {
        let i = index_at(&r.series.times, m);
        traces
            .iter()
            .map(|(label, color, values)| Reading {
                label: label.clone(),
                value: values.get(i).map(|v| thousands(*v)).unwrap_or_default(),
                color,
            })
            .collect()
    })
}

/// A chart of step lines, one per trace, with their legend and readout.
fn line_chart(
    r: &Arc<RunResult>,
    key: String,
    title: String,
    summary: String,
    height: f64,
    ymax: i64,
    traces: Vec<Trace>,
) -> Spec {
    let sc = Scale::new(r.info.end, height, ymax);
    Spec {
        key,
        title,
        summary,
        height,
        ymax,
        shapes: traces
            .iter()
            .map(|t| Shape::Line {
                d: step_line(&sc, &r.series.times, &t.values),
                stroke: t.color,
                dash: t.dash,
            })
            .collect(),
        legend: traces
            .iter()
            .map(|t| line_legend(&t.label, t.color, t.dash))
            .collect(),
        readout: traces_readout(r, &traces),
        note: None,
    }
}

fn tokens_chart(r: &Arc<RunResult>) -> Spec {
    let s = &r.series;
    let ymax = s.total.iter().copied().max().unwrap_or(0).max(1);
    let height = 200.0;
    let sc = Scale::new(r.info.end, height, ymax);
    // Stacked bottom to top: user passes, login groups, pending, free; the total on top.
    let layers = [
        trace("Allocated: User Access Passes", BLUE, "", &s.user_passes),
        trace("Allocated: login access", GREEN, "", &s.login_groups),
        trace("Quarantined / retiring", ORANGE, "", &s.pending),
        trace("Available", SKY, "", &s.free),
    ];
    let mut lower = vec![0i64; s.times.len()];
    let mut shapes = Vec::new();
    for t in &layers {
        let upper: Vec<i64> = lower.iter().zip(&t.values).map(|(a, b)| a + b).collect();
        shapes.push(Shape::Area {
            d: step_band(&sc, &s.times, &lower, &upper),
            fill: t.color,
        });
        lower = upper;
    }
    shapes.push(Shape::Line {
        d: step_line(&sc, &s.times, &s.total),
        stroke: BLACK,
        dash: "",
    });
    let mut legend: Vec<Legend> = layers
        .iter()
        .map(|t| area_legend(&t.label, t.color))
        .collect();
    legend.push(line_legend("Total", BLACK, ""));
    let mut read = vec![trace("Total", BLACK, "", &s.total)];
    read.extend(layers.into_iter().rev());
    Spec {
        key: "tokens".into(),
        title: "Tokens by state".into(),
        summary: format!(
            "Stacked areas of the license's {} tokens over time: allocated to User Access Passes, allocated to login access groups, quarantined or retiring, and available.",
            thousands(ymax)
        ),
        height,
        ymax,
        shapes,
        legend,
        readout: traces_readout(r, &read),
        note: s.total.iter().all(|t| *t == 0).then(|| "This license has no tokens.".to_string()),
    }
}

fn group_chart(r: &Arc<RunResult>, gi: usize) -> Option<Spec> {
    let g = r.series.groups.get(gi)?;
    let ymax = g
        .passes
        .iter()
        .zip(&g.available)
        .zip(&g.used)
        .map(|((p, a), u)| (*p).max(a + u))
        .max()
        .unwrap_or(0)
        .max(1);
    // Retiring passes are also used passes: the dotted line is drawn over the used one.
    let traces = vec![
        trace("Passes assigned", BLACK, DASHED, &g.passes),
        trace("Remaining (available)", GREEN, "", &g.available),
        trace("Used (waiting to return)", VERMILLION, "", &g.used),
        trace("Retiring", PURPLE, DOTTED, &g.retiring),
    ];
    Some(line_chart(
        r,
        format!("group-{gi}"),
        format!("Login access group “{}”: passes", g.name),
        format!(
            "Login passes of group {} over time: assigned, remaining (available), used and retiring.",
            g.name
        ),
        170.0,
        ymax,
        traces,
    ))
}

fn allocations_chart(r: &Arc<RunResult>) -> Spec {
    let s = &r.series;
    let mut traces = vec![
        trace("User Access Passes allocated", BLUE, "", &s.uap_allocated),
        trace(
            "User Access Passes quarantined",
            ORANGE,
            DASHED,
            &s.uap_quarantined,
        ),
    ];
    for (seat, (c1, c2)) in s.seats.iter().zip([(GREEN, VERMILLION), (PURPLE, BLACK)]) {
        traces.push(trace(
            format!("{} allocated", seat.name),
            c1,
            "",
            &seat.assigned,
        ));
        traces.push(trace(
            format!("{} quarantined", seat.name),
            c2,
            DOTTED,
            &seat.quarantined,
        ));
    }
    let ymax = traces
        .iter()
        .flat_map(|t| t.values.iter().copied())
        .chain(s.seats.iter().flat_map(|seat| seat.total.iter().copied()))
        .max()
        .unwrap_or(0)
        .max(1);
    let none = traces.iter().all(|t| t.values.iter().all(|v| *v == 0)) && s.seats.is_empty();
    let mut spec = line_chart(
        r,
        "allocations".into(),
        "User Access Passes and named allocations".into(),
        "Allocated and quarantined User Access Passes (and Professional and Analyzer allocations) over time.".into(),
        150.0,
        ymax,
        traces,
    );
    spec.note = none.then(|| "No User Access Pass or named allocation in this run.".to_string());
    spec
}

fn refusals_chart(r: &Arc<RunResult>) -> Spec {
    let s = &r.series;
    let ymax = s
        .markers
        .iter()
        .map(|m| i64::from(m.denied.max(m.discontinued)))
        .max()
        .unwrap_or(0)
        .max(1);
    let sc = Scale::new(r.info.end, 100.0, ymax);
    let mut denied = String::new();
    let mut discontinued = String::new();
    use std::fmt::Write;
    for m in &s.markers {
        let x = sc.x(m.at);
        if m.denied > 0 {
            let _ = write!(
                denied,
                "M{:.1},{:.1}V{:.1}",
                x - 1.5,
                sc.bottom(),
                sc.y(m.denied as f64).min(sc.bottom() - 3.0)
            );
        }
        if m.discontinued > 0 {
            let _ = write!(
                discontinued,
                "M{:.1},{:.1}V{:.1}",
                x + 1.5,
                sc.bottom(),
                sc.y(m.discontinued as f64).min(sc.bottom() - 3.0)
            );
        }
    }
    let rc = r.clone();
    let readout: Readout = Arc::new(move |m| {
        let s = &rc.series;
        // The marker nearest the pointer, within about 4 pixels.
        let slack = (rc.info.end as f64 * 4.0 / (W - LEFT - RIGHT)) as Minute;
        let i = s.markers.partition_point(|k| k.at < m - slack);
        let hit = s.markers[i..]
            .iter()
            .take_while(|k| k.at <= m + slack)
            .min_by_key(|k| (k.at - m).abs());
        let (d, x) = hit.map_or((0, 0), |k| (k.denied, k.discontinued));
        let mut out = vec![
            Reading {
                label: "Denied here".into(),
                value: d.to_string(),
                color: VERMILLION,
            },
            Reading {
                label: "Discontinued here".into(),
                value: x.to_string(),
                color: BLACK,
            },
        ];
        if !s.exact {
            out.push(Reading {
                label: "(counted per sampling step)".into(),
                value: String::new(),
                color: "transparent",
            });
        }
        out
    });
    let none = s.markers.is_empty();
    Spec {
        key: "refusals".into(),
        title: "Denials and discontinuations".into(),
        summary: format!(
            "Markers at the moments connections were denied or sessions discontinued: {} moments.",
            s.markers.len()
        ),
        height: sc.height,
        ymax,
        shapes: vec![
            Shape::Bars {
                d: denied,
                stroke: VERMILLION,
                width: 2.5,
            },
            Shape::Bars {
                d: discontinued,
                stroke: BLACK,
                width: 2.5,
            },
        ],
        legend: vec![
            line_legend("Connections denied", VERMILLION, ""),
            line_legend("Sessions discontinued", BLACK, ""),
        ],
        readout,
        note: none.then(|| "No connection was denied and no session discontinued.".to_string()),
    }
}

fn capacity_chart(r: &Arc<RunResult>) -> Spec {
    let months = &r.series.months;
    let core = months.iter().any(|m| m.core_quota > 0 || m.core_used > 0);
    let ymax = months
        .iter()
        .map(|m| {
            m.quota.max(m.used).max(if core {
                m.core_quota.max(m.core_used)
            } else {
                0
            })
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let sc = Scale::new(r.info.end, 160.0, ymax);
    use std::fmt::Write;
    let (mut within, mut over, mut quota, mut core_bars, mut core_quota) = (
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    );
    for m in months {
        let (x0, x1) = (sc.x(m.start) + 2.0, sc.x(m.end) - 2.0);
        if x1 <= x0 {
            continue;
        }
        let xm = if core { (x0 + x1) / 2.0 } else { x1 };
        let rect = |d: &mut String, a: f64, b: f64, lo: i64, hi: i64| {
            if hi > lo {
                let _ = write!(
                    d,
                    "M{a:.1},{:.1}H{b:.1}V{:.1}H{a:.1}Z",
                    sc.y(lo as f64),
                    sc.y(hi as f64)
                );
            }
        };
        let inside = m.used.min(m.quota.max(0));
        rect(&mut within, x0, xm, 0, inside);
        rect(&mut over, x0, xm, inside, m.used);
        if m.quota > 0 {
            let _ = write!(quota, "M{x0:.1},{:.1}H{xm:.1}", sc.y(m.quota as f64));
        }
        if core {
            rect(&mut core_bars, xm, x1, 0, m.core_used);
            if m.core_quota > 0 {
                let _ = write!(
                    core_quota,
                    "M{xm:.1},{:.1}H{x1:.1}",
                    sc.y(m.core_quota as f64)
                );
            }
        }
    }
    let mut shapes = vec![
        Shape::Area {
            d: within,
            fill: SKY,
        },
        Shape::Area {
            d: over,
            fill: VERMILLION,
        },
        Shape::Line {
            d: quota,
            stroke: BLACK,
            dash: DASHED,
        },
    ];
    let mut legend = vec![
        area_legend("Capacity minutes used", SKY),
        area_legend("Overage minutes", VERMILLION),
        line_legend("Monthly quota", BLACK, DASHED),
    ];
    if core {
        shapes.push(Shape::Area {
            d: core_bars,
            fill: PURPLE,
        });
        shapes.push(Shape::Line {
            d: core_quota,
            stroke: BLUE,
            dash: DOTTED,
        });
        legend.push(area_legend("Qlik Core minutes used", PURPLE));
        legend.push(line_legend("Qlik Core quota", BLUE, DOTTED));
    }
    let rc = r.clone();
    let readout: Readout = Arc::new(move |m| {
        let Some(mo) = rc.series.months.iter().rev().find(|mo| mo.start <= m) else {
            return Vec::new();
        };
        let mut out = vec![
            Reading {
                label: format!("Month {}", mo.month),
                value: String::new(),
                color: "transparent",
            },
            Reading {
                label: "Capacity minutes allocated".into(),
                value: thousands(mo.quota),
                color: BLACK,
            },
            Reading {
                label: "Used".into(),
                value: thousands(mo.used),
                color: SKY,
            },
            Reading {
                label: "Overage".into(),
                value: thousands(mo.overage),
                color: VERMILLION,
            },
        ];
        if core {
            out.push(Reading {
                label: "Core minutes allocated".into(),
                value: thousands(mo.core_quota),
                color: BLUE,
            });
            out.push(Reading {
                label: "Core minutes used".into(),
                value: thousands(mo.core_used),
                color: PURPLE,
            });
        }
        out
    });
    let none = months.iter().all(|m| m.quota == 0 && m.used == 0) && !core;
    Spec {
        key: "capacity".into(),
        title: "Analyzer Capacity minutes per month".into(),
        summary: "Capacity minutes used per calendar month against the monthly quota, overage in its own colour.".into(),
        height: sc.height,
        ymax,
        shapes,
        legend,
        readout,
        note: none.then(|| "This license has no Analyzer Capacity (or Qlik Core) minutes.".to_string()),
    }
}

/// Every chart of a result.
fn specs(r: &Arc<RunResult>) -> Vec<Spec> {
    let mut out = vec![tokens_chart(r)];
    out.extend((0..r.series.groups.len().min(12)).filter_map(|gi| group_chart(r, gi)));
    out.push(allocations_chart(r));
    out.push(refusals_chart(r));
    out.push(capacity_chart(r));
    out
}

/// Sums of a series' groups (`pick` one of a group's counts) at each of its times.
fn group_sum(s: &Series, pick: fn(&GroupSeries) -> &Vec<i64>) -> Vec<i64> {
    (0..s.times.len())
        .map(|i| {
            s.groups
                .iter()
                .map(|g| pick(g).get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect()
}

/// Running totals of denials plus discontinuations, as a step series.
fn refusals_so_far(s: &Series) -> (Vec<Minute>, Vec<i64>) {
    let mut times = vec![0];
    let mut values = vec![0];
    let mut total = 0i64;
    for m in &s.markers {
        total += i64::from(m.denied) + i64::from(m.discontinued);
        times.push(m.at);
        values.push(total);
    }
    (times, values)
}

/// One count of two runs over the same relative time (day 0 of each), A solid, B dashed.
#[allow(clippy::too_many_arguments)]
fn overlay(
    key: &str,
    title: &str,
    end: Minute,
    a_label: &str,
    b_label: &str,
    a: (Vec<Minute>, Vec<i64>),
    b: (Vec<Minute>, Vec<i64>),
) -> Spec {
    let ymax = a.1.iter().chain(&b.1).copied().max().unwrap_or(0).max(1);
    let height = 170.0;
    let sc = Scale::new(end, height, ymax);
    let shapes = vec![
        Shape::Line {
            d: step_line(&sc, &a.0, &a.1),
            stroke: BLUE,
            dash: "",
        },
        Shape::Line {
            d: step_line(&sc, &b.0, &b.1),
            stroke: VERMILLION,
            dash: DASHED,
        },
    ];
    let legend = vec![
        line_legend(&format!("A: {a_label}"), BLUE, ""),
        line_legend(&format!("B: {b_label}"), VERMILLION, DASHED),
    ];
    let readout: Readout = Arc::new(move |m| {
        let at = |(times, values): &(Vec<Minute>, Vec<i64>)| {
            if m > times.last().copied().unwrap_or(0) && m > end {
                return String::new();
            }
            values
                .get(index_at(times, m))
                .map(|v| thousands(*v))
                .unwrap_or_default()
        };
        vec![
            Reading {
                label: "A".into(),
                value: at(&a),
                color: BLUE,
            },
            Reading {
                label: "B".into(),
                value: at(&b),
                color: VERMILLION,
            },
        ]
    });
    Spec {
        key: key.to_string(),
        title: title.to_string(),
        summary: format!(
            "{title}: run A as a solid line, run B dashed, over the same days from each start."
        ),
        height,
        ymax,
        shapes,
        legend,
        readout,
        note: None,
    }
}

/// The compare view's charts: used login passes, available tokens, refusals so far.
fn compare_specs(a: &RunResult, b: &CompareResult) -> Vec<Spec> {
    let end = a.info.end.max(b.info.end);
    let (an, bn) = (a.info.name.as_str(), b.info.name.as_str());
    let (sa, sb) = (&a.series, &b.series);
    vec![
        overlay(
            "compare-used",
            "Login passes in use (all groups)",
            end,
            an,
            bn,
            (sa.times.clone(), group_sum(sa, |g| &g.used)),
            (sb.times.clone(), group_sum(sb, |g| &g.used)),
        ),
        overlay(
            "compare-available",
            "Login passes remaining (all groups)",
            end,
            an,
            bn,
            (sa.times.clone(), group_sum(sa, |g| &g.available)),
            (sb.times.clone(), group_sum(sb, |g| &g.available)),
        ),
        overlay(
            "compare-free",
            "Tokens available",
            end,
            an,
            bn,
            (sa.times.clone(), sa.free.clone()),
            (sb.times.clone(), sb.free.clone()),
        ),
        overlay(
            "compare-refusals",
            "Denials and discontinuations so far",
            end,
            an,
            bn,
            refusals_so_far(sa),
            refusals_so_far(sb),
        ),
    ]
}

/// Two runs' charts overlaid (the compare view), in B's order (the most different
/// first); those flat in both runs folded away.
#[component]
pub fn CompareCharts(a: Arc<RunResult>, b: Arc<CompareResult>) -> impl IntoView {
    let clock = crate::base::time::parse_date(&a.info.start).map(Clock::new);
    let end = a.info.end.max(b.info.end);
    clock.map(|clock| {
        let place = |key: &str| b.charts.iter().position(|(k, _)| k == key);
        let folded = |key: &str| b.charts.iter().any(|(k, fold)| k == key && *fold);
        let mut specs = compare_specs(&a, &b);
        specs.sort_by_key(|s| place(&s.key).unwrap_or(usize::MAX));
        let (fold, show): (Vec<Spec>, Vec<Spec>) =
            specs.into_iter().partition(|s| folded(&s.key));
        let draw = move |specs: Vec<Spec>| {
            specs
                .into_iter()
                .map(|spec| view! { <Chart spec clock end/> })
                .collect_view()
        };
        let n = fold.len();
        view! {
            <div class="charts">{draw(show)}</div>
            {(n > 0).then(|| view! {
                <details class="compare-folded">
                    <summary>{format!("{n} {} flat in both runs, the same", if n == 1 { "chart" } else { "charts" })}</summary>
                    <div class="charts">{draw(fold)}</div>
                </details>
            })}
        }
    })
}

/// The minute under the pointer, from a pointer event on the chart's SVG.
fn pointer_minute(ev: &web_sys::MouseEvent, sc: &Scale) -> Option<Minute> {
    let el = ev.current_target()?.dyn_into::<web_sys::Element>().ok()?;
    let rect = el.get_bounding_client_rect();
    if rect.width() <= 0.0 {
        return None;
    }
    sc.minute((f64::from(ev.client_x()) - rect.left()) / rect.width() * W)
}

#[component]
fn Chart(spec: Spec, clock: Clock, end: Minute) -> impl IntoView {
    let runner = ctx::<Runner>();
    let run = ctx::<Run>();
    let cursor = ctx::<Cursor>();
    if let Some(note) = spec.note {
        // Nothing to draw: the title and a sentence, no empty axes.
        return view! {
            <figure class="chart empty" data-chart=spec.key>
                <figcaption>{spec.title}</figcaption>
                <p>{note}</p>
            </figure>
        }
        .into_any();
    }
    let sc = Scale::new(end, spec.height, spec.ymax);
    let hovered = RwSignal::new(false);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let export_legend: Vec<(String, String)> = spec
        .legend
        .iter()
        .map(|l| (l.label.clone(), l.color.to_string()))
        .collect();
    let export_title = spec.title.clone();
    let export_key = spec.key.clone();
    let export = StoredValue::new(move |png: bool| {
        let Some(el) = svg_ref.get_untracked() else {
            return;
        };
        let el: &web_sys::Element = el.as_ref();
        let svg = super::downloads::chart_svg(el, &export_title, &export_legend);
        let name = run
            .result
            .with_untracked(|r| r.as_ref().map(|r| r.info.name.clone()))
            .unwrap_or_default();
        let file = format!("{}-{}", super::downloads::file_stem(&name), export_key);
        if png {
            super::downloads::png_file(&format!("{file}.png"), &svg);
        } else {
            super::downloads::text_file(&format!("{file}.svg"), "image/svg+xml", &svg);
        }
    });
    let bottom = sc.bottom();
    let xticks = time_ticks(&clock, end, 8);
    let yticks = count_ticks(spec.ymax, tick_count(spec.height));
    let grid = yticks
        .iter()
        .map(|&v| {
            let y = sc.y(v as f64);
            view! {
                <line class="grid" x1=LEFT x2=W - RIGHT y1=y y2=y></line>
                <text class="tick-y" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{thousands(v)}</text>
            }
        })
        .collect_view();
    let xaxis = xticks
        .into_iter()
        .map(|(m, label)| {
            let x = sc.x(m);
            // Labels at the ends stay inside the chart.
            let anchor = if x > W - RIGHT - 40.0 {
                "end"
            } else if x < LEFT + 30.0 {
                "start"
            } else {
                "middle"
            };
            view! {
                <line class="tick" x1=x x2=x y1=bottom y2=bottom + 4.0></line>
                <text class="tick-x" x=x y=bottom + 17.0 text-anchor=anchor>{label}</text>
            }
        })
        .collect_view();
    let shapes = spec
        .shapes
        .into_iter()
        .map(|s| match s {
            Shape::Area { d, fill } => {
                view! { <path d=d fill=fill stroke="none"></path> }.into_any()
            }
            Shape::Line { d, stroke, dash } => view! {
                <path d=d fill="none" stroke=stroke stroke-width="2" stroke-dasharray=dash></path>
            }
            .into_any(),
            Shape::Bars { d, stroke, width } => {
                view! { <path d=d fill="none" stroke=stroke stroke-width=width></path> }.into_any()
            }
        })
        .collect_view();
    let cursor_x = move || sc.x(cursor.at.get());
    let hover_x = move || cursor.hover.get().map(|m| sc.x(m));
    let readout = spec.readout.clone();
    let tip = move || {
        if !hovered.get() {
            return None;
        }
        let m = cursor.hover.get()?;
        let x = sc.x(m);
        let style = if x > W * 0.6 {
            format!("right:{:.2}%", (W - x) / W * 100.0 + 1.0)
        } else {
            format!("left:{:.2}%", x / W * 100.0 + 1.0)
        };
        let rows = readout(m)
            .into_iter()
            .map(|r| {
                view! {
                    <li>
                        <span class="swatch" style=format!("background:{}", r.color)></span>
                        {r.label}
                        <b>{r.value}</b>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <div class="tip" style=style role="status">
                <div class="tip-time">{clock.format(m)} " · " {crate::base::time::Clock::format_relative(m)}</div>
                <ul>{rows}</ul>
            </div>
        })
    };
    let legend = spec
        .legend
        .into_iter()
        .map(|l| {
            let swatch = if l.area {
                view! { <rect x="0" y="2" width="18" height="10" fill=l.color></rect> }.into_any()
            } else {
                view! {
                    <line x1="0" x2="18" y1="7" y2="7" stroke=l.color stroke-width="2.5" stroke-dasharray=l.dash></line>
                }
                .into_any()
            };
            view! {
                <li>
                    <svg class="legend-swatch" width="18" height="14" aria-hidden="true">{swatch}</svg>
                    {l.label}
                </li>
            }
        })
        .collect_view();
    let title_id = format!("chart-{}-title", spec.key);
    view! {
        <figure class="chart" data-chart=spec.key.clone()>
            <div class="chart-head">
                <figcaption id=title_id.clone()>{spec.title}</figcaption>
                <span class="chart-export">
                    <button type="button" class="export-svg" title="Download this chart as SVG" on:click=move |_| export.with_value(|f| f(false))>"SVG"</button>
                    <button type="button" class="export-png" title="Download this chart as PNG" on:click=move |_| export.with_value(|f| f(true))>"PNG"</button>
                </span>
            </div>
            <div class="chart-box">
                <svg
                    node_ref=svg_ref
                    viewBox=format!("0 0 {W} {}", sc.height)
                    role="img"
                    aria-labelledby=title_id
                    aria-description=format!(
                        "{} Arrow keys move the time cursor (Shift: by a tenth); the counts at the cursor are read out.",
                        spec.summary,
                    )
                    tabindex="0"
                    on:focus=move |_| {
                        hovered.set(true);
                        cursor.hover.set(Some(cursor.at.get_untracked()));
                    }
                    on:blur=move |_| {
                        hovered.set(false);
                        cursor.hover.set(None);
                    }
                    on:keydown=move |ev| {
                        // The arrows move the time cursor by 1% of the period (Shift: 10%).
                        let step = (end / if ev.shift_key() { 10 } else { 100 }).max(1);
                        let now = cursor.at.get_untracked();
                        let to = match ev.key().as_str() {
                            "ArrowLeft" => now - step,
                            "ArrowRight" => now + step,
                            "Home" => 0,
                            "End" => end,
                            _ => return,
                        };
                        ev.prevent_default();
                        runner.move_cursor(to, Source::Time);
                        cursor.hover.set(Some(cursor.at.get_untracked()));
                    }
                    on:pointermove=move |ev| {
                        hovered.set(true);
                        cursor.hover.set(pointer_minute(&ev, &sc));
                    }
                    on:pointerleave=move |_| {
                        hovered.set(false);
                        cursor.hover.set(None);
                    }
                    on:click=move |ev| {
                        if let Some(m) = pointer_minute(&ev, &sc) {
                            runner.move_cursor(m, Source::Time);
                        }
                    }
                >
                    {grid}
                    {shapes}
                    <line class="axis" x1=LEFT x2=W - RIGHT y1=bottom y2=bottom></line>
                    {xaxis}
                    {move || {
                        hover_x()
                            .map(|x| {
                                view! { <line class="hover-line" x1=x x2=x y1=scale::TOP y2=bottom></line> }
                            })
                    }}
                    <line class="cursor-line" x1=cursor_x x2=cursor_x y1=scale::TOP - 6.0 y2=bottom></line>
                </svg>
                {tip}
            </div>
            <ul class="legend">{legend}</ul>
        </figure>
    }
    .into_any()
}

/// All charts of the shown result.
#[component]
pub fn Charts() -> impl IntoView {
    let run = ctx::<Run>();
    let doc = ctx::<Doc>();
    move || {
        let r = run.result.get()?;
        let clock = run.clock()?;
        let end = r.info.end;
        let charts = specs(&r)
            .into_iter()
            .map(|spec| view! { <Chart spec clock end/> })
            .collect_view();
        Some(view! {
            <div class="charts" class:stale=move || run.stale(doc)>
                {charts}
            </div>
        })
    }
}
