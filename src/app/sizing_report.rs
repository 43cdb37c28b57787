//! The sizing report as the page shows it, written by the tools worker as markup (a
//! read-only panel: a format string costs the page's bundle nothing): the decision on
//! top ([`super::sizing_chart`]), each group's
//! figures as sentences that say what they count and in which unit, the cohorts' busiest
//! 28 days, the license models, and the command line's text.

use super::protocol::SizingView;
use crate::tools::sizing::{CohortPasses, GroupSizing, ModelCost, SizingReport};

/// One figure of the sizing: what it is, its value with its unit, how it was found.
struct Figure {
    /// A stable name for the page (and its tests): `simulation`, `size-1`, `split`, …
    key: String,
    label: String,
    value: String,
    note: String,
}

use super::sizing_chart::esc;

/// A titled list of figures.
fn figures_html(group: &str, heading: &str, figures: &[Figure]) -> String {
    let items: String = figures
        .iter()
        .map(|f| {
            format!(
                "<div class=\"figure\" data-figure=\"{}\"><dt>{}</dt><dd><span class=\"figure-value\">{}</span><span class=\"figure-note\">{}</span></dd></div>",
                esc(&f.key),
                esc(&f.label),
                esc(&f.value),
                esc(&f.note)
            )
        })
        .collect();
    format!(
        "<section class=\"sizing-group\" data-group=\"{}\"><h3>{}</h3><dl>{items}</dl></section>",
        esc(group),
        esc(heading)
    )
}

fn figure(key: &str, label: &str, value: String, note: String) -> Figure {
    Figure {
        key: key.into(),
        label: label.into(),
        value,
        note,
    }
}

fn plural(n: f64, one: &str, many: &str) -> String {
    let s = if (n - n.round()).abs() < 1e-9 {
        format!("{}", n.round() as i64)
    } else {
        format!("{n:.1}")
    };
    format!("{s} {}", if s == "1" { one } else { many })
}

impl SizingView {
    pub fn of(report: &SizingReport) -> SizingView {
        let mut html = report
            .decision
            .as_ref()
            .map(super::sizing_chart::html)
            .unwrap_or_default();
        html.push_str(&format!(
            "<p class=\"muted small\">Over {} seeds.</p>",
            report.seeds
        ));
        for g in &report.groups {
            html.push_str(&figures_html(
                &g.group,
                &format!(
                    "Login access group {}: {}, {} in the file",
                    g.group,
                    plural(g.people as f64, "person", "people"),
                    plural(g.tokens_in_file as f64, "token", "tokens")
                ),
                &group_figures(report, g),
            ));
        }
        let cohorts: Vec<Figure> = report.cohorts.iter().map(cohort_figure).collect();
        if !cohorts.is_empty() {
            html.push_str(&figures_html(
                "",
                "Passes per person in their busiest 28 days (SIZE-2: above 10, a User Access Pass costs less)",
                &cohorts,
            ));
        }
        let models: Vec<Figure> = report
            .models
            .iter()
            .map(|m| model_figure(report, m))
            .collect();
        html.push_str(&figures_html(
            "",
            "License models for the same population",
            &models,
        ));
        html.push_str(&format!(
            "<details><summary>The report as license-lab size prints it</summary><pre class=\"sizing-text\">{}</pre></details>",
            esc(&report.to_text())
        ));
        SizingView {
            html,
            csv: report
                .decision
                .as_ref()
                .map(|d| d.to_csv())
                .unwrap_or_default(),
        }
    }
}

/// A login access group's figures: the simulation's answer, SIZE-1's estimate, the peak
/// of passes in use, the refusals with the file's tokens, and SIZE-2's split.
fn group_figures(report: &SizingReport, g: &GroupSizing) -> Vec<Figure> {
    let seeds = report.seeds;
    let refusals = if report.max_denials == 0 {
        "no denial and no discontinuation".to_string()
    } else {
        format!("at most {} refusals a month", report.max_denials)
    };
    vec![
        figure(
            "simulation",
            "Smallest token count (simulation)",
            g.min_tokens
                .map(|t| plural(t as f64, "token", "tokens"))
                .unwrap_or_else(|| "none qualifies".into()),
            format!("with {refusals} in any of {seeds} seeds"),
        ),
        figure(
            "size-1",
            "SIZE-1 estimate",
            plural(g.size1_tokens as f64, "token", "tokens"),
            format!(
                "{} people × {} passes × 120% / 10; {} is the average of {:.2} passes per person per 28 days, rounded up",
                g.people, g.size1_passes, g.size1_passes, g.passes_per_person
            ),
        ),
        figure(
            "needed",
            "Passes in use at once, at the peak",
            format!(
                "{} on average, {} at most",
                plural(g.needed_passes.mean.round(), "pass", "passes"),
                plural(g.needed_passes.max, "pass", "passes")
            ),
            "if passes never ran out (10 passes per token)".into(),
        ),
        figure(
            "refused",
            &format!("Refusals with the file's {} tokens", g.tokens_in_file),
            format!(
                "{} and {} per run on average",
                plural(g.denied.mean, "denied connection", "denied connections"),
                plural(g.discontinued.mean, "ended session", "ended sessions")
            ),
            format!(
                "at most {} and {} in one seed",
                g.denied.max, g.discontinued.max
            ),
        ),
        split_figure(g),
    ]
}

/// SIZE-2: User Access Passes for the heavy users, offered only when it costs fewer
/// tokens in all.
fn split_figure(g: &GroupSizing) -> Figure {
    match g.split() {
        Some(sp) if sp.saves > 0 => figure(
            "split",
            "SIZE-2: cheaper with User Access Passes",
            format!(
                "{} in all: {} + a login group of {}",
                plural(sp.total as f64, "token", "tokens"),
                plural(sp.people as f64, "User Access Pass", "User Access Passes"),
                plural(sp.rest_tokens as f64, "token", "tokens")
            ),
            format!(
                "{} fewer than {}; passes for the people who use more than 10 passes in 28 days: {}",
                plural(sp.saves as f64, "token", "tokens"),
                sp.all,
                g.uap_people.join(", ")
            ),
        ),
        Some(sp) => figure(
            "split",
            "SIZE-2: no split",
            "keep everyone on login passes".into(),
            format!(
                "{} use more than 10 passes in 28 days, but User Access Passes for them and a login group for the rest make {}, not fewer than {}",
                plural(sp.people as f64, "person", "people"),
                plural(sp.total as f64, "token", "tokens"),
                sp.all
            ),
        ),
        None => figure(
            "split",
            "SIZE-2: no split",
            "keep everyone on login passes".into(),
            "no one uses more than 10 passes in 28 days".into(),
        ),
    }
}

fn cohort_figure(c: &CohortPasses) -> Figure {
    figure(
        "cohort",
        &format!(
            "{} ({})",
            c.cohort,
            plural(c.people as f64, "person", "people")
        ),
        format!(
            "{} on average, {} at most",
            plural(c.peak_28_days.mean, "pass", "passes"),
            plural(c.peak_28_days.max, "pass", "passes")
        ),
        format!("{} above 10", plural(c.heavy as f64, "person", "people")),
    )
}

fn model_figure(report: &SizingReport, m: &ModelCost) -> Figure {
    let cost = m
        .cost
        .map(|c| format!("{c:.2} {}", report.currency).trim().to_string())
        .unwrap_or_else(|| "no price given".into());
    figure(
        "model",
        &m.model,
        format!("{} ({cost})", m.quantity),
        m.note.clone(),
    )
}
