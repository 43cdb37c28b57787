//! The sizing's decision as the page shows it (issue 15), written by the tools worker as
//! markup like the rest of the report: the sentence on top, the chart of token counts
//! (x) against the share of seeds with a refusal and the worst month's refusals (y), one
//! pair of panels per group and one for the whole license, as a standalone SVG document
//! (exported as it is, SVG or PNG), the curve as a table, and the license models by
//! cost, the cheapest first.

use crate::tools::decision::{Curve, Decision};

const W: f64 = 640.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 16.0;
/// The title, then the bars' axis title on its own line, clear of a full bar's figure.
const TITLE_H: f64 = 46.0;
const SHARE_H: f64 = 110.0;
const GAP: f64 = 30.0;
const WORST_H: f64 = 80.0;
const AXIS_H: f64 = 40.0;
const BLOCK_H: f64 = TITLE_H + SHARE_H + GAP + WORST_H + AXIS_H;
const FONT: &str = "font-family=\"system-ui,sans-serif\"";

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.1}")
    }
}

fn percent(d: &Decision, refused: u64) -> String {
    num((refused as f64 / d.seeds.max(1) as f64 * 100.0 * 10.0).round() / 10.0) + "%"
}

/// A round top for the worst-month axis: 1, 2, 5, 10, 20, 50, …
fn nice_top(max: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if m * step >= max {
                return m * step;
            }
        }
        step *= 10.0;
    }
}

/// One curve's panels, translated to `y0`.
fn block(d: &Decision, c: &Curve, y0: f64) -> String {
    let n = c.points.len().max(1) as f64;
    let band = (W - LEFT - RIGHT) / n;
    let x = |i: usize| LEFT + (i as f64 + 0.5) * band;
    let share_top = y0 + TITLE_H;
    let share_bottom = share_top + SHARE_H;
    let worst_top = share_bottom + GAP;
    let worst_bottom = worst_top + WORST_H;
    let title = if c.whole {
        format!(
            "The whole license (all groups), recommended {}",
            c.recommended
        )
    } else {
        format!(
            "Login access group {}, recommended {}",
            c.name, c.recommended
        )
    };
    let mut s = format!(
        "<text x=\"8\" y=\"{:.1}\" font-size=\"14\" font-weight=\"600\">{}</text>",
        y0 + 17.0,
        esc(&title)
    );
    // Axes and grid.
    for (v, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
        let y = share_bottom - v * SHARE_H;
        s.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{label}</text>",
            W - RIGHT,
            LEFT - 4.0,
            y + 3.0
        ));
    }
    s.push_str(&format!(
        "<text x=\"{LEFT}\" y=\"{:.1}\" font-size=\"11\" fill=\"#444\">seeds with a refusal</text>",
        y0 + 32.0
    ));
    let worst_max = c.points.iter().map(|p| p.worst_max).max().unwrap_or(0);
    let top = nice_top(f64::from(worst_max).max(1.0));
    for v in [0.0, top / 2.0, top] {
        let y = worst_bottom - v / top * WORST_H;
        s.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{}</text>",
            W - RIGHT,
            LEFT - 4.0,
            y + 3.0,
            num(v)
        ));
    }
    s.push_str(&format!(
        "<text x=\"{LEFT}\" y=\"{:.1}\" font-size=\"11\" fill=\"#444\">refusals in the worst month: <tspan fill=\"#b35c00\">mean ●</tspan> <tspan fill=\"#7a1020\">max ◆</tspan></text>",
        worst_top - 4.0
    ));
    // The recommendation.
    if let Some(i) = c.points.iter().position(|p| p.tokens == c.recommended) {
        s.push_str(&format!(
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.1}\" y2=\"{2:.1}\" stroke=\"#1a5fb4\" stroke-dasharray=\"4 3\"/><text x=\"{0:.1}\" y=\"{3:.1}\" font-size=\"10\" fill=\"#1a5fb4\" text-anchor=\"middle\">recommended</text>",
            x(i),
            share_top + 4.0,
            worst_bottom,
            worst_bottom + 30.0
        ));
    }
    s.push_str(&bars(d, c, &x, band, share_bottom));
    s.push_str(&worst_lines(c, &x, worst_bottom, top));
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#444\">tokens</text>",
        W - RIGHT,
        worst_bottom + 30.0
    ));
    s
}

/// The share of seeds with a refusal: a bar per token count, its figure above it, and
/// the whole column's figures as its tooltip.
fn bars(d: &Decision, c: &Curve, x: &dyn Fn(usize) -> f64, band: f64, bottom: f64) -> String {
    let bw = (band * 0.6).min(36.0);
    let mut s = String::new();
    for (i, p) in c.points.iter().enumerate() {
        let share = p.seeds_refused as f64 / d.seeds.max(1) as f64;
        let h = share * SHARE_H;
        let fill = if p.seeds_over > 0 {
            "#c0392b"
        } else {
            "#e8a09a"
        };
        s.push_str(&format!(
            "<g><title>{} tokens: a refusal in {} of {} seeds; worst month {} on average, {} at most</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{band:.1}\" height=\"{:.1}\" fill=\"transparent\"/><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{h:.1}\" fill=\"{fill}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\"{}>{}</text></g>",
            p.tokens,
            p.seeds_refused,
            d.seeds,
            num(p.worst_mean),
            p.worst_max,
            x(i) - band / 2.0,
            bottom - SHARE_H,
            SHARE_H + GAP + WORST_H + 18.0,
            x(i) - bw / 2.0,
            bottom - h,
            x(i),
            bottom - h - 3.0,
            percent(d, p.seeds_refused),
            x(i),
            bottom + GAP + WORST_H + 14.0,
            if p.tokens == c.recommended { " font-weight=\"700\"" } else { "" },
            p.tokens
        ));
    }
    s
}

/// The worst month's refusals: mean and max over the seeds, as lines with dots.
fn worst_lines(c: &Curve, x: &dyn Fn(usize) -> f64, bottom: f64, top: f64) -> String {
    let y = |v: f64| bottom - v / top * WORST_H;
    let mut s = String::new();
    for (color, dash, value) in [
        (
            "#b35c00",
            "",
            (|p| p.worst_mean) as fn(&crate::tools::decision::Point) -> f64,
        ),
        ("#7a1020", " stroke-dasharray=\"5 3\"", |p| {
            f64::from(p.worst_max)
        }),
    ] {
        let pts: Vec<String> = c
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(value(p))))
            .collect();
        s.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>",
            pts.join(" ")
        ));
        for (i, p) in c.points.iter().enumerate() {
            s.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{color}\"/>",
                x(i),
                y(value(p))
            ));
        }
    }
    s
}

/// The chart: a standalone SVG document, one block per curve.
pub fn svg(d: &Decision) -> String {
    let h = BLOCK_H * d.curves.len() as f64 + 8.0;
    let blocks: String = d
        .curves
        .iter()
        .enumerate()
        .map(|(i, c)| block(d, c, i as f64 * BLOCK_H))
        .collect();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{h:.0}\" viewBox=\"0 0 {W} {h:.0}\" {FONT} role=\"img\" aria-label=\"{}\" style=\"max-width:100%;height:auto\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>{blocks}</svg>",
        esc(&format!(
            "Token counts against the share of seeds with a refusal and the worst month's refusals. {}",
            d.sentence
        ))
    )
}

/// The curve as a table (what the chart draws, for reading and screen readers).
fn table(d: &Decision) -> String {
    let mut rows = String::new();
    for c in &d.curves {
        for p in &c.points {
            rows.push_str(&format!(
                "<tr{}><td>{}</td><td>{}</td><td>{} of {} ({})</td><td>{}</td><td>{}</td></tr>",
                if p.tokens == c.recommended {
                    " class=\"recommended\""
                } else {
                    ""
                },
                esc(&c.name),
                p.tokens,
                p.seeds_refused,
                d.seeds,
                percent(d, p.seeds_refused),
                num(p.worst_mean),
                p.worst_max
            ));
        }
    }
    format!(
        "<details><summary>The curve as a table</summary><table class=\"sizing-curve\"><thead><tr><th scope=\"col\">Curve</th><th scope=\"col\">Tokens</th><th scope=\"col\">Seeds with a refusal</th><th scope=\"col\">Worst month, mean</th><th scope=\"col\">Worst month, max</th></tr></thead><tbody>{rows}</tbody></table></details>"
    )
}

/// The license models by cost, the cheapest first (only when some model has a price).
fn models(d: &Decision) -> String {
    if d.models.iter().all(|m| m.cost.is_none()) {
        return String::new();
    }
    let money = |x: f64| esc(format!("{x:.2} {}", d.currency).trim_end());
    let items: String = d
        .models
        .iter()
        .map(|m| {
            let cost = match (m.cost, m.over_cheapest) {
                (Some(c), Some(o)) if o > 0.0 => format!(
                    "<strong>{}</strong> <span class=\"muted\">({} more)</span>",
                    money(c),
                    money(o)
                ),
                (Some(c), _) => format!(
                    "<strong>{}</strong> <span class=\"muted\">(the cheapest)</span>",
                    money(c)
                ),
                (None, _) => "<span class=\"muted\">no price given</span>".into(),
            };
            format!(
                "<li data-model=\"{}\"><span>{}</span>: {} — {cost}</li>",
                esc(&m.model),
                esc(&m.model),
                esc(&m.quantity)
            )
        })
        .collect();
    format!("<h4>License models by cost, the cheapest first</h4><ol class=\"models-by-cost\" id=\"models-by-cost\">{items}</ol>")
}

/// The decision's markup: the sentence, the chart with its exports, the table, the
/// models by cost.
pub fn html(d: &Decision) -> String {
    let chart = if d.curves.is_empty() {
        String::new()
    } else {
        format!(
            "<figure class=\"sizing-chart\" id=\"sizing-chart\">{}</figure><div class=\"chart-actions\"><button type=\"button\" id=\"sizing-svg\" data-act=\"svg\" title=\"Download the chart as SVG\">SVG</button><button type=\"button\" id=\"sizing-png\" data-act=\"png\" title=\"Download the chart as PNG\">PNG</button><button type=\"button\" id=\"sizing-csv\" data-act=\"csv\" title=\"Download the curve as CSV\">CSV</button></div>{}",
            svg(d),
            table(d)
        )
    };
    format!(
        "<section class=\"decision\" aria-labelledby=\"decision-h\"><h3 id=\"decision-h\">The answer</h3><p class=\"decision-sentence\" id=\"sizing-sentence\">{}</p><p class=\"muted small\">A refusal is a denial or a discontinuation; each token count ran every seed again.</p>{chart}{}</section>",
        esc(&d.sentence),
        models(d)
    )
}
