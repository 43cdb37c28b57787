//! Compare leads with the answer (issue 15, part 4), written in the tools worker: from
//! run A (the page's last run, held for the lives view or run here) and run B,
//! [`crate::report::compare`] finds the figure that changed most; this writes it as one
//! sentence on top, the key figures in order of change below it, and the order of the
//! compare charts (those flat in both runs folded away). The page sets the markup and
//! draws the charts in that order.

use super::charts::thousands;
use super::rulebook::escape as esc;
use crate::report::compare::{compare, Comparison, Side};
use crate::report::lives::Run;
use crate::report::timeline::Recording;

/// The compare charts the page draws, by the series of [`Comparison::series`] they show.
const CHARTS: [(&str, &str); 4] = [
    ("used", "compare-used"),
    ("available", "compare-available"),
    ("free", "compare-free"),
    ("refusals", "compare-refusals"),
];

/// A figure's row label, in the app's words.
fn label(key: &str, fallback: &str) -> String {
    let known = match key {
        "peak_used_passes" => "Peak used passes",
        "passes_consumed" => "Login passes consumed",
        "denied" => "Connections denied",
        "discontinued" => "Sessions discontinued",
        "pending_at_end" => "Tokens pending at the end",
        "free_at_end" => "Tokens available at the end",
        "peak_connections" => "Peak connections",
        "overage_minutes" => "Capacity overage minutes",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let mut c = fallback.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The comparison of run A with run B.
pub fn comparison(a: &Recording, b: &Recording) -> Comparison {
    let (ra, rb) = (Run::of(a), Run::of(b));
    compare(&Side::new(&ra, &a.summary), &Side::new(&rb, &b.summary))
}

/// The answer line, the other figures that changed (in words) and the table of key
/// figures, the most changed first.
pub fn answer_html(c: &Comparison, name_a: &str, name_b: &str) -> String {
    let mut html = format!(
        "<p class=\"compare-answer\" id=\"compare-answer\"><strong>{}</strong></p>",
        esc(&c.answer)
    );
    let more: Vec<&str> = c
        .figures
        .iter()
        .skip(1)
        .filter(|f| f.change > 0.0)
        .take(3)
        .map(|f| f.sentence.as_str())
        .collect();
    if !more.is_empty() {
        html.push_str("<ul class=\"compare-more\">");
        for s in more {
            html.push_str(&format!("<li>{}</li>", esc(s)));
        }
        html.push_str("</ul>");
    }
    html.push_str(&format!(
        "<table class=\"compare-table\"><caption>Key figures of the two runs, the most changed first</caption>\
         <thead><tr><th scope=\"col\"></th><th scope=\"col\">A: {}</th><th scope=\"col\">B: {}</th>\
         <th scope=\"col\">B − A</th></tr></thead><tbody>",
        esc(name_a),
        esc(name_b)
    ));
    for f in &c.figures {
        let diff = f.b - f.a;
        let diff = if diff == 0 {
            "=".to_string()
        } else if diff > 0 {
            format!("+{}", thousands(diff))
        } else {
            thousands(diff)
        };
        html.push_str(&format!(
            "<tr data-figure=\"{}\" data-changed=\"{}\"><th scope=\"row\">{}</th><td class=\"a\">{}</td>\
             <td class=\"b\">{}</td><td class=\"diff\">{diff}</td></tr>",
            f.key.replace('_', "-"),
            f.change > 0.0,
            esc(&label(&f.key, &f.label)),
            thousands(f.a),
            thousands(f.b),
        ));
    }
    html.push_str("</tbody></table>");
    html
}

/// The compare charts' keys, the most different first, each with whether it is folded
/// (flat in both runs at the same level).
pub fn chart_order(c: &Comparison) -> Vec<(String, bool)> {
    c.series
        .iter()
        .filter_map(|s| {
            CHARTS
                .iter()
                .find(|(series, _)| *series == s.key)
                .map(|(_, chart)| (chart.to_string(), s.fold))
        })
        .collect()
}
